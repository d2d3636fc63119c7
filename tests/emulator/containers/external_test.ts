import assert from "node:assert/strict";
import { containerBaseUrl, ExternalContainer } from "../../../emulator/containers/external.ts";

Deno.test("ExternalContainer forwards body, content type, accept and custom attributes to /invocations", async () => {
  let seen: { path: string; method: string; headers: Headers } | undefined;
  let seenBody = "";
  await using server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {} },
    async (req) => {
      seen = { path: new URL(req.url).pathname, method: req.method, headers: req.headers };
      seenBody = await req.text();
      return new Response("bad input", {
        status: 418,
        headers: { "content-type": "text/plain", "x-amzn-sagemaker-custom-attributes": "trace=1" },
      });
    },
  );
  const container = new ExternalContainer({ url: `http://127.0.0.1:${server.addr.port}` });
  const reply = await container.invoke({
    body: new TextEncoder().encode("payload"),
    contentType: "text/csv",
    accept: "application/json",
    customAttributes: "c=1",
    signal: new AbortController().signal,
  });
  assert.equal(seen!.path, "/invocations");
  assert.equal(seen!.method, "POST");
  assert.equal(seen!.headers.get("content-type"), "text/csv");
  assert.equal(seen!.headers.get("accept"), "application/json");
  assert.equal(seen!.headers.get("x-amzn-sagemaker-custom-attributes"), "c=1");
  assert.equal(seenBody, "payload");
  assert.equal(reply.status, 418);
  assert.equal(new TextDecoder().decode(reply.body), "bad input");
  assert.equal(reply.contentType, "text/plain");
  assert.equal(reply.customAttributes, "trace=1");
  assert.equal(reply.durationMs, undefined);
});

Deno.test("ExternalContainer.ping is true on 200 and false on errors or no server", async () => {
  let healthy = true;
  await using server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {} },
    () => new Response(null, { status: healthy ? 200 : 503 }),
  );
  const container = new ExternalContainer({ url: `http://127.0.0.1:${server.addr.port}` });
  const signal = new AbortController().signal;
  assert.equal(await container.ping(signal), true);
  healthy = false;
  assert.equal(await container.ping(signal), false);
  const probe = Deno.listen({ port: 0, hostname: "127.0.0.1" });
  const port = (probe.addr as Deno.NetAddr).port;
  probe.close();
  assert.equal(
    await new ExternalContainer({ url: `http://127.0.0.1:${port}` }).ping(signal),
    false,
  );
});

Deno.test("containerBaseUrl rejects non-HTTP URLs with a TypeError naming the value", () => {
  assert.equal(containerBaseUrl("http://h:1/"), "http://h:1");
  assert.throws(
    () => containerBaseUrl("not a url"),
    new TypeError('Invalid container URL "not a url": not a URL'),
  );
  assert.throws(
    () => containerBaseUrl("file:///x"),
    new TypeError('Invalid container URL "file:///x": must be http or https'),
  );
});
