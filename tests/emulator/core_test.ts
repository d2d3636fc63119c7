import assert from "node:assert/strict";
import { ManualEmulatorClock } from "../../emulator/clock.ts";
import { createEmulator } from "../../emulator/core.ts";
import type { ServiceKey, ServiceModule } from "../../emulator/service.ts";
import type { AwsRequest } from "../../emulator/request.ts";

/** A service that answers with its key and the operation it saw, and records closes. */
function recorder(key: ServiceKey, log: string[], operationName?: (r: AwsRequest) => string) {
  return (): ServiceModule => ({
    key,
    handle: (request) => Promise.resolve(Response.json({ key, path: request.rawPath })),
    renderError: (error) =>
      Response.json({ key, code: error.code, message: error.message }, { status: error.status }),
    operationName,
    close: () => {
      log.push(`closed ${key}`);
      return Promise.resolve();
    },
  });
}

async function emulatorWith(log: string[] = []) {
  return await createEmulator({
    auth: false,
    clock: new ManualEmulatorClock(),
    services: [
      recorder("s3", log, (r) => (r.method === "PUT" ? "PutObject" : "GetObject")),
      recorder("sagemaker", log),
      recorder("sagemaker-runtime", log),
      recorder("sts", log),
    ],
  });
}

const json = async (response: Response) => await response.json();

Deno.test("createEmulator() routes by X-Amz-Target, Runtime path, query Version, else S3", async () => {
  const emulator = await emulatorWith();
  try {
    const target = await emulator.fetch(
      new Request("http://h/", {
        method: "POST",
        headers: { "x-amz-target": "SageMaker.ListEndpoints" },
        body: "{}",
      }),
    );
    assert.equal((await json(target)).key, "sagemaker");
    const runtime = await emulator.fetch(
      new Request("http://h/endpoints/e/async-invocations", { method: "POST" }),
    );
    assert.equal((await json(runtime)).key, "sagemaker-runtime");
    const query = await emulator.fetch(
      new Request("http://h/", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "Action=GetCallerIdentity&Version=2011-06-15",
      }),
    );
    assert.equal((await json(query)).key, "sts");
    const s3 = await emulator.fetch(new Request("http://h/bucket/a//b%2Fc"));
    assert.deepEqual(await json(s3), { key: "s3", path: "/bucket/a//b%2Fc" });
  } finally {
    await emulator.close();
  }
});

Deno.test("createEmulator() answers 400 UnknownService for a service it does not run", async () => {
  const emulator = await emulatorWith();
  try {
    const response = await emulator.fetch(
      new Request("http://h/", {
        method: "POST",
        headers: {
          authorization:
            "AWS4-HMAC-SHA256 Credential=AK/20260101/us-east-1/dynamodb/aws4_request, " +
            "SignedHeaders=host, Signature=abcd",
        },
      }),
    );
    assert.equal(response.status, 400);
    assert.equal(response.headers.get("x-amzn-errortype"), "UnknownService");
    await response.body?.cancel();
  } finally {
    await emulator.close();
  }
});

Deno.test("createEmulator() with auth rejects a malformed Authorization header in the service's shape", async () => {
  const emulator = await createEmulator({
    clock: new ManualEmulatorClock(),
    services: [recorder("s3", [])],
  });
  try {
    const response = await emulator.fetch(
      new Request("http://h/bucket", { headers: { authorization: "AWS4-HMAC-SHA256 garbage" } }),
    );
    assert.equal(response.status, 400);
    assert.equal((await json(response)).code, "AuthorizationHeaderMalformed");
  } finally {
    await emulator.close();
  }
});

Deno.test("createEmulator() renders a failing signature check as the service's 500, never rejecting", async () => {
  const emulator = await createEmulator({
    clock: new ManualEmulatorClock(),
    services: [recorder("s3", [])],
    verifySignature: () => {
      throw new Error("verifier broke");
    },
  });
  try {
    const response = await emulator.fetch(
      new Request("http://h/bucket", {
        headers: {
          authorization: "AWS4-HMAC-SHA256 Credential=AK/20260101/us-east-1/s3/aws4_request, " +
            "SignedHeaders=host, Signature=abcd",
        },
      }),
    );
    assert.equal(response.status, 500);
    assert.deepEqual(await json(response), {
      key: "s3",
      code: "InternalFailure",
      message: "Internal error: verifier broke",
    });
  } finally {
    await emulator.close();
  }
});

Deno.test("injected faults fail matching operations in the service's shape, count down, then stop", async () => {
  const emulator = await createEmulator({
    auth: false,
    clock: new ManualEmulatorClock(),
    services: [recorder("s3", [], (r) => (r.method === "PUT" ? "PutObject" : "GetObject"))],
    faults: [{ service: "s3", operation: "PutObject", status: 503, count: 2 }],
  });
  try {
    const put = () => emulator.fetch(new Request("http://h/b/k", { method: "PUT", body: "x" }));
    const get = await emulator.fetch(new Request("http://h/b/k"));
    assert.equal(get.status, 200, "other operations are untouched");
    await get.body?.cancel();
    for (let i = 0; i < 2; i++) {
      const failed = await put();
      assert.equal(failed.status, 503);
      assert.deepEqual(await json(failed), {
        key: "s3",
        code: "SlowDown",
        message: "Fault injected by the emulator (status 503)",
      });
    }
    const ok = await put();
    assert.equal(ok.status, 200);
    await ok.body?.cancel();
    assert.deepEqual(emulator.faults.list(), []);
  } finally {
    await emulator.close();
  }
});

Deno.test("/_emulator/faults adds, lists and clears faults and validates what it is given", async () => {
  const emulator = await emulatorWith();
  try {
    const admin = (method: string, body?: string) =>
      emulator.fetch(new Request("http://h/_emulator/faults", { method, body }));
    const added = await admin(
      "POST",
      JSON.stringify({
        service: "sagemaker",
        operation: "ListEndpoints",
        code: "ThrottlingException",
        status: 400,
      }),
    );
    assert.equal(added.status, 201);
    assert.equal((await json(added)).remaining, 1);
    assert.equal((await json(await admin("GET"))).faults.length, 1);
    const throttled = await emulator.fetch(
      new Request("http://h/", {
        method: "POST",
        headers: { "x-amz-target": "SageMaker.ListEndpoints" },
      }),
    );
    assert.equal((await json(throttled)).code, "ThrottlingException");
    const invalid = await admin("POST", JSON.stringify({ status: 200 }));
    assert.equal(invalid.status, 400);
    assert.match(
      (await json(invalid)).message,
      /Invalid fault status 200: must be an integer from 400 to 599/,
    );
    const notJson = await admin("POST", "{");
    assert.equal((await json(notJson)).code, "SerializationException");
    await admin("POST", JSON.stringify({ count: 5 }));
    const cleared = await admin("DELETE");
    assert.equal(cleared.status, 204);
    assert.deepEqual((await json(await admin("GET"))).faults, []);
    const wrongMethod = await admin("PUT");
    assert.equal(wrongMethod.status, 405);
    await wrongMethod.body?.cancel();
  } finally {
    await emulator.close();
  }
});

Deno.test("/_emulator/health reports the services, account, region and emulated time", async () => {
  const emulator = await emulatorWith();
  try {
    const health = await json(await emulator.fetch(new Request("http://h/_emulator/health")));
    assert.deepEqual(health, {
      status: "ok",
      region: "us-east-1",
      accountId: "123456789012",
      services: ["s3", "sagemaker", "sagemaker-runtime", "sts"],
      now: "2026-01-01T00:00:00.000Z",
      nowMs: Date.UTC(2026, 0, 1),
      timeScale: 1,
    });
  } finally {
    await emulator.close();
  }
});

Deno.test("Emulator.close() closes every service once, however often it is called", async () => {
  const log: string[] = [];
  const emulator = await emulatorWith(log);
  await Promise.all([emulator.close(), emulator.close()]);
  await emulator.close();
  assert.deepEqual(log, [
    "closed s3",
    "closed sagemaker",
    "closed sagemaker-runtime",
    "closed sts",
  ]);
});

Deno.test("createEmulator() continues emulated time from where a persisted emulator stopped", async () => {
  const { FilePersistence } = await import("../../emulator/persistence/file.ts");
  const dir = await Deno.makeTempDir();
  try {
    const ahead = Date.now() + 86_400_000; // a fast emulator had reached tomorrow
    const first = await createEmulator({
      auth: false,
      services: [],
      persistence: await FilePersistence.open(dir),
    });
    await first.close();
    const saved = await (await FilePersistence.open(dir)).load<{ nowMs: number }>("clock");
    assert.ok(saved && saved.nowMs <= Date.now(), "close() checkpoints the emulated time");
    await (await FilePersistence.open(dir)).save("clock", { nowMs: ahead });
    const second = await createEmulator({
      auth: false,
      services: [],
      persistence: await FilePersistence.open(dir),
    });
    try {
      assert.ok(second.clock.now() >= ahead, "a restart never goes back in emulated time");
    } finally {
      await second.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an unsigned gzip-compressed query request is routed by the Version inside it", async () => {
  const { gzipSync } = await import("node:zlib");
  const emulator = await emulatorWith();
  try {
    const body = new Uint8Array(
      gzipSync(new TextEncoder().encode("Action=GetCallerIdentity&Version=2011-06-15")),
    );
    const response = await emulator.fetch(
      new Request("http://h/", {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "content-encoding": "gzip",
        },
        body,
      }),
    );
    assert.equal((await json(response)).key, "sts");
  } finally {
    await emulator.close();
  }
});
