import assert from "node:assert/strict";
import { serveEmulator } from "../../emulator/server.ts";

Deno.test("serveEmulator() binds any free port, passes requests through raw and sets a real Date", async () => {
  const seen: string[] = [];
  const server = serveEmulator({
    fetch: (request) => {
      seen.push(request.url);
      return Promise.resolve(new Response("ok"));
    },
  }, { port: 0 });
  try {
    assert.ok(server.port > 0);
    assert.equal(server.endpoint, `http://127.0.0.1:${server.port}`);
    const response = await fetch(`${server.endpoint}/b/x//y/../z?q=1`);
    assert.equal(await response.text(), "ok");
    const date = Date.parse(response.headers.get("date") ?? "");
    assert.ok(Math.abs(date - Date.now()) < 5_000, "Date is wall-clock time");
    // Clients send the path raw; fetch() normalises "..", so check what arrived verbatim.
    assert.match(seen[0]!, /\/b\/x\/\/z\?q=1$/);
  } finally {
    await server.shutdown();
  }
});

Deno.test("serveEmulator() rejects invalid ports with a RangeError before binding", () => {
  const emulator = { fetch: () => Promise.resolve(new Response()) };
  assert.throws(() => serveEmulator(emulator, { port: 70_000 }), RangeError);
  assert.throws(() => serveEmulator(emulator, { port: -1 }), /Invalid port -1: must be an integer/);
});

Deno.test("EmulatorServer.shutdown() is idempotent and stops accepting connections", async () => {
  const server = serveEmulator({ fetch: () => Promise.resolve(new Response("ok")) });
  const endpoint = server.endpoint;
  await Promise.all([server.shutdown(), server.shutdown()]);
  await server.finished;
  await assert.rejects(fetch(endpoint), TypeError);
});
