import assert from "node:assert/strict";
import { FilePersistence } from "../../../emulator/persistence/file.ts";

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("FilePersistence lays out sections as JSON files and blobs in sharded folders", async () => {
  await withDir(async (dir) => {
    const persistence = await FilePersistence.open(dir);
    await persistence.save("s3", { version: 1 });
    await persistence.writeBlob("s3-abc", new Uint8Array([1, 2, 3]));
    assert.deepEqual(JSON.parse(await Deno.readTextFile(`${dir}/emulator-data.json`)), {
      format: 1,
    });
    assert.deepEqual(JSON.parse(await Deno.readTextFile(`${dir}/sections/s3.json`)), {
      version: 1,
    });
    assert.deepEqual(await Deno.readFile(`${dir}/blobs/s3/s3-abc`), new Uint8Array([1, 2, 3]));
    assert.deepEqual(await persistence.listBlobs(), ["s3-abc"]);
  });
});

Deno.test("FilePersistence replaces sections whole and finds nothing for unknown ones", async () => {
  await withDir(async (dir) => {
    const persistence = await FilePersistence.open(dir);
    assert.equal(await persistence.load("missing"), undefined);
    await persistence.save("state", { n: 1 });
    await persistence.save("state", { n: 2 });
    assert.deepEqual(await persistence.load("state"), { n: 2 });
    const reopened = await FilePersistence.open(dir);
    assert.deepEqual(await reopened.load("state"), { n: 2 });
  });
});

Deno.test("FilePersistence deletes blobs idempotently and reports missing ones as NotFound", async () => {
  await withDir(async (dir) => {
    const persistence = await FilePersistence.open(dir);
    await persistence.writeBlob("b1", new Uint8Array([9]));
    await persistence.deleteBlob("b1");
    await persistence.deleteBlob("b1");
    await assert.rejects(persistence.readBlob("b1"), Deno.errors.NotFound);
  });
});

Deno.test("FilePersistence removes temporary files a crash left behind when it opens", async () => {
  await withDir(async (dir) => {
    const persistence = await FilePersistence.open(dir);
    await persistence.save("s", { ok: true });
    await Deno.writeTextFile(`${dir}/sections/s.json.tmp-123`, '{"torn":');
    await Deno.mkdir(`${dir}/blobs/ab`, { recursive: true });
    await Deno.writeTextFile(`${dir}/blobs/ab/abc.tmp-456`, "partial");
    await FilePersistence.open(dir);
    const names = [...Deno.readDirSync(`${dir}/sections`)].map((e) => e.name);
    assert.deepEqual(names, ["s.json"]);
    assert.deepEqual([...Deno.readDirSync(`${dir}/blobs/ab`)], []);
    assert.deepEqual(await persistence.load("s"), { ok: true });
  });
});

Deno.test("FilePersistence refuses a non-empty directory that is not emulator state", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/notes.txt`, "my files");
    await assert.rejects(
      FilePersistence.open(dir),
      (error: unknown) =>
        error instanceof TypeError && /not empty \(found notes\.txt\)/.test(error.message),
    );
  });
});

Deno.test("FilePersistence rejects section and blob names that could escape the directory", async () => {
  await withDir(async (dir) => {
    const persistence = await FilePersistence.open(dir);
    for (const name of ["../x", "a/b", "", ".hidden", "x.tmp-1"]) {
      await assert.rejects(persistence.save(name, {}), TypeError, name);
      await assert.rejects(persistence.writeBlob(name, new Uint8Array()), TypeError, name);
    }
  });
});
