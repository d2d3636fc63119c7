import assert from "node:assert/strict";
import { CreateBucketCommand, ListBucketsCommand, S3Client } from "@aws-sdk/client-s3";
import { main } from "../../emulator/main.ts";
import { FilePersistence } from "../../emulator/persistence/file.ts";
import type { RunningEmulator } from "../../emulator/start.ts";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, print: (l: string) => out.push(l), printError: (l: string) => err.push(l) };
}

Deno.test("main() prints ready-to-paste exports and stops cleanly when signalled", async () => {
  const io = capture();
  const controller = new AbortController();
  const ready = Promise.withResolvers<RunningEmulator>();
  const exit = main(["--port", "0", "--region", "eu-west-1", "--time-scale", "60"], {
    ...io,
    signal: controller.signal,
    onReady: ready.resolve,
  });
  const running = await ready.promise;
  const s3 = new S3Client(running.clientConfig());
  try {
    await s3.send(
      new CreateBucketCommand({
        Bucket: "from-main",
        CreateBucketConfiguration: { LocationConstraint: "eu-west-1" },
      }),
    );
  } finally {
    s3.destroy();
  }
  controller.abort();
  assert.equal(await exit, 0);
  assert.ok(io.out.includes(`export AWS_ENDPOINT_URL=${running.endpoint}`), io.out.join("\n"));
  assert.ok(io.out.includes("export AWS_REGION=eu-west-1"));
  assert.ok(io.out.includes(`export AWS_ACCESS_KEY_ID=${running.credentials.accessKeyId}`));
  assert.ok(io.out.includes(`export AWS_SECRET_ACCESS_KEY=${running.credentials.secretAccessKey}`));
  assert.ok(io.out.some((l) => l.startsWith("Account id: 123456789012") && l.includes("60x")));
  assert.deepEqual(io.err.slice(-1), ["emulator: stopped"]);
});

Deno.test("main() with --data-dir keeps buckets across a restart", async () => {
  const dir = await Deno.makeTempDir();
  try {
    for (const step of ["create", "check"]) {
      const controller = new AbortController();
      const ready = Promise.withResolvers<RunningEmulator>();
      const exit = main(["--port", "0", "--data-dir", dir], {
        ...capture(),
        signal: controller.signal,
        onReady: ready.resolve,
      });
      const running = await ready.promise;
      const s3 = new S3Client(running.clientConfig());
      try {
        if (step === "create") await s3.send(new CreateBucketCommand({ Bucket: "durable" }));
        const listed = await s3.send(new ListBucketsCommand({}));
        assert.deepEqual(listed.Buckets?.map((b) => b.Name), ["durable"], step);
      } finally {
        s3.destroy();
      }
      controller.abort();
      assert.equal(await exit, 0);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("main() with --data-dir continues emulated time from where the last run stopped", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const persistence = await FilePersistence.open(dir);
    const ahead = Date.now() + 86_400_000; // a fast emulator had reached tomorrow
    await persistence.save("clock", { nowMs: ahead });
    const controller = new AbortController();
    const ready = Promise.withResolvers<RunningEmulator>();
    const exit = main(["--port", "0", "--data-dir", dir, "--time-scale", "60"], {
      ...capture(),
      signal: controller.signal,
      onReady: ready.resolve,
    });
    const running = await ready.promise;
    assert.ok(running.clock.now() >= ahead, "a restart never goes back in emulated time");
    assert.equal(running.clock.timeScale, 60);
    controller.abort();
    assert.equal(await exit, 0);
    const saved = await persistence.load<{ nowMs: number }>("clock");
    assert.ok(saved !== undefined && saved.nowMs >= ahead, "stopping saves the time reached");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("main() explains bad flags and returns 2, --help returns 0", async () => {
  const cases: Array<[string[], RegExp]> = [
    [["--bogus"], /Unknown flag --bogus/],
    [["--port"], /Flag --port needs a value/],
    [["--port", "99999"], /Invalid --port "99999": must be 0 to 65535/],
    [["--time-scale", "0"], /Invalid --time-scale "0": must be a number > 0/],
    [["--region", "mars"], /Invalid --region "mars"/],
    [["--no-auth=yes"], /Flag --no-auth takes no value/],
    [["serve"], /Unexpected argument "serve"/],
  ];
  for (const [args, message] of cases) {
    const io = capture();
    assert.equal(await main(args, io), 2, args.join(" "));
    assert.match(io.err[0] ?? "", message);
  }
  const io = capture();
  assert.equal(await main(["--help"], io), 0);
  assert.match(io.out[0] ?? "", /^Usage: deno task emulator/);
});

Deno.test("main() reports a port in use and returns 1", async () => {
  const blocker = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const io = capture();
    const port = (blocker.addr as Deno.NetAddr).port;
    assert.equal(await main(["--port", String(port)], io), 1);
    assert.match(
      io.err[0] ?? "",
      new RegExp(`port ${port} on 127\\.0\\.0\\.1 is in use.*--port 0`),
    );
  } finally {
    blocker.close();
  }
});
