import assert from "node:assert/strict";
import { ManualEmulatorClock } from "../../../emulator/clock.ts";
import { AwsError } from "../../../emulator/errors.ts";
import { FilePersistence } from "../../../emulator/persistence/file.ts";
import { MemoryPersistence } from "../../../emulator/persistence/memory.ts";
import { S3Store } from "../../../emulator/s3/store.ts";

const bytes = (s: string) => new TextEncoder().encode(s);

async function open(persistence = new MemoryPersistence() as MemoryPersistence | FilePersistence) {
  return await S3Store.open({
    persistence,
    clock: new ManualEmulatorClock({ start: Date.UTC(2026, 0, 1, 0, 0, 0, 750) }),
    reportError: (error) => {
      throw error;
    },
  });
}

Deno.test("S3Store stores objects with MD5 ETags, whole-second times and a default CRC64NVME", async () => {
  const store = await open();
  await store.createBucket("b", "us-east-1");
  const object = await store.putObject("b", "k", bytes("hello"), {
    contentType: "text/plain",
    metadata: { a: "1" },
  });
  assert.equal(object.etag, '"5d41402abc4b2a76b9719d911017c592"');
  assert.equal(object.lastModified.toISOString(), "2026-01-01T00:00:00.000Z");
  assert.equal(object.checksum.algorithm, "CRC64NVME");
  assert.equal(object.contentType, "text/plain");
  assert.deepEqual((await store.getObject("b", "k"))?.metadata, { a: "1" });
  assert.equal(await store.getObject("b", "missing"), undefined);
  assert.equal(await store.getObject("nobucket", "k"), undefined);
});

Deno.test("S3Store.putObject() rejects a missing bucket with NoSuchBucket", async () => {
  const store = await open();
  await assert.rejects(
    store.putObject("ghost", "k", bytes("x")),
    (error: unknown) => error instanceof AwsError && error.code === "NoSuchBucket",
  );
});

Deno.test("S3Store.writeObject() runs the condition before replacing and stores nothing when it throws", async () => {
  const store = await open();
  await store.createBucket("b", "us-east-1");
  await store.putObject("b", "k", bytes("v1"));
  await assert.rejects(
    store.writeObject("b", "k", {
      body: bytes("v2"),
      condition: (previous) => {
        if (previous) throw new AwsError("PreconditionFailed", "exists", { status: 412 });
      },
    }),
    (error: unknown) => error instanceof AwsError && error.code === "PreconditionFailed",
  );
  assert.equal(new TextDecoder().decode((await store.getObject("b", "k"))?.body), "v1");
});

Deno.test("S3Store.deleteBucket() refuses a non-empty bucket with BucketNotEmpty", async () => {
  const store = await open();
  await store.createBucket("b", "us-east-1");
  await store.putObject("b", "k", bytes("x"));
  await assert.rejects(
    store.deleteBucket("b"),
    (error: unknown) => error instanceof AwsError && error.code === "BucketNotEmpty",
  );
  await store.deleteObjects("b", ["k", "not-there"]);
  await store.deleteBucket("b");
  assert.equal(store.bucketExists("b"), false);
});

Deno.test("S3Store with a data directory restores buckets, objects and bodies after a restart", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const first = await open(await FilePersistence.open(dir));
    await first.createBucket("keep", "eu-west-1");
    await Promise.all([
      first.putObject("keep", "a/1", bytes("one"), {
        contentType: "text/plain",
        metadata: { m: "v" },
      }),
      first.putObject("keep", "a/2", bytes("two")),
      first.putObject("keep", "gone", bytes("bye")),
    ]);
    await first.putObject("keep", "a/2", bytes("two, again"));
    await first.deleteObjects("keep", ["gone"]);
    await first.close();

    const second = await open(await FilePersistence.open(dir));
    assert.equal(second.bucket("keep").region, "eu-west-1");
    assert.deepEqual(second.bucket("keep").keys.toArray(), ["a/1", "a/2"]);
    const one = await second.getObject("keep", "a/1");
    assert.equal(new TextDecoder().decode(one?.body), "one");
    assert.equal(one?.contentType, "text/plain");
    assert.deepEqual(one?.metadata, { m: "v" });
    assert.equal(
      new TextDecoder().decode((await second.getObject("keep", "a/2"))?.body),
      "two, again",
    );
    // Replaced and deleted bodies were removed: one blob per live object.
    const blobs = await (await FilePersistence.open(dir)).listBlobs();
    assert.equal(blobs.length, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("S3Store removes blobs a crash left without an index entry when it opens", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const persistence = await FilePersistence.open(dir);
    const store = await open(persistence);
    await store.createBucket("b", "us-east-1");
    await store.putObject("b", "k", bytes("kept"));
    await store.close();
    await persistence.writeBlob("s3-orphan", bytes("half-written upload"));
    await persistence.writeBlob("other-service-blob", bytes("not ours"));
    await open(await FilePersistence.open(dir));
    const blobs = await persistence.listBlobs();
    assert.equal(blobs.includes("s3-orphan"), false);
    assert.equal(blobs.includes("other-service-blob"), true);
    assert.equal(blobs.length, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
