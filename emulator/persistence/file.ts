/**
 * Durable state in a directory (`--data-dir DIR`). Layout:
 *
 * ```
 * DIR/
 *   emulator-data.json      {"format": 1}: marks the directory as emulator state
 *   sections/<name>.json    one JSON document per section (a service's index/state)
 *   blobs/<id[0..2]>/<id>   opaque byte blobs (S3 object bodies), one file each
 * ```
 *
 * Every write is crash-safe: the bytes go to a temporary file in the same
 * directory, which is fsynced, renamed over the target and followed by an
 * fsync of the directory, so a crash leaves either the old or the new
 * version, never a torn one. Temporary files left by a crash are removed
 * when the directory is opened.
 *
 * @module
 */
import type { Persistence } from "../context.ts";

const MARKER = "emulator-data.json";
const FORMAT = 1;
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;
const TEMP_MARK = ".tmp-";

/**
 * A {@linkcode Persistence} backed by a directory.
 *
 * @example
 * ```ts
 * import { FilePersistence } from "@sagemaker-async/toolkit/emulator";
 *
 * const dir = await Deno.makeTempDir();
 * const first = await FilePersistence.open(dir);
 * await first.save("s3", { buckets: ["a"] });
 * await first.writeBlob("s3-1", new TextEncoder().encode("body"));
 * const again = await FilePersistence.open(dir);
 * const state = await again.load<{ buckets: string[] }>("s3");
 * if (state?.buckets[0] !== "a") throw new Error("section lost");
 * if (new TextDecoder().decode(await again.readBlob("s3-1")) !== "body") throw new Error("blob lost");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export class FilePersistence implements Persistence {
  readonly durable = true;
  /** The directory. */
  readonly dir: string;

  private constructor(dir: string) {
    this.dir = dir;
  }

  /**
   * Opens (creating if needed) a state directory. Throws a `TypeError` if
   * the directory holds files but is not emulator state, so a wrong path
   * never gets written into.
   */
  static async open(dir: string): Promise<FilePersistence> {
    if (typeof dir !== "string" || dir === "") {
      throw new TypeError(
        `Invalid data directory ${JSON.stringify(dir)}: must be a non-empty path`,
      );
    }
    await Deno.mkdir(dir, { recursive: true });
    const marker = `${dir}/${MARKER}`;
    let format: unknown;
    try {
      format = JSON.parse(await Deno.readTextFile(marker)).format;
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) {
        throw new TypeError(`Invalid data directory ${dir}: ${MARKER} is unreadable (${error})`);
      }
      for await (const entry of Deno.readDir(dir)) {
        throw new TypeError(
          `Invalid data directory ${dir}: it is not empty (found ${entry.name}) and has no ` +
            `${MARKER}; use an empty or new directory`,
        );
      }
      format = FORMAT;
      await writeAtomically(dir, MARKER, new TextEncoder().encode(`{"format":${FORMAT}}\n`));
    }
    if (format !== FORMAT) {
      throw new TypeError(
        `Invalid data directory ${dir}: format ${JSON.stringify(format)} is not ${FORMAT}`,
      );
    }
    await Deno.mkdir(`${dir}/sections`, { recursive: true });
    await Deno.mkdir(`${dir}/blobs`, { recursive: true });
    const persistence = new FilePersistence(dir);
    await persistence.#removeTemporaryFiles();
    return persistence;
  }

  async load<T>(section: string): Promise<T | undefined> {
    checkName(section, "section");
    let text: string;
    try {
      text = await Deno.readTextFile(`${this.dir}/sections/${section}.json`);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return undefined;
      throw error;
    }
    return JSON.parse(text) as T;
  }

  async save(section: string, value: unknown): Promise<void> {
    checkName(section, "section");
    const bytes = new TextEncoder().encode(JSON.stringify(value));
    await writeAtomically(`${this.dir}/sections`, `${section}.json`, bytes);
  }

  async writeBlob(id: string, bytes: Uint8Array): Promise<void> {
    checkName(id, "blob id");
    const dir = this.#blobDir(id);
    await Deno.mkdir(dir, { recursive: true });
    await writeAtomically(dir, id, bytes);
  }

  async readBlob(id: string): Promise<Uint8Array> {
    checkName(id, "blob id");
    return await Deno.readFile(`${this.#blobDir(id)}/${id}`);
  }

  async deleteBlob(id: string): Promise<void> {
    checkName(id, "blob id");
    try {
      await Deno.remove(`${this.#blobDir(id)}/${id}`);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }

  /** Ids of every stored blob. */
  async listBlobs(): Promise<string[]> {
    const ids: string[] = [];
    for await (const shard of Deno.readDir(`${this.dir}/blobs`)) {
      if (!shard.isDirectory) continue;
      for await (const entry of Deno.readDir(`${this.dir}/blobs/${shard.name}`)) {
        if (entry.isFile && !entry.name.includes(TEMP_MARK)) ids.push(entry.name);
      }
    }
    return ids;
  }

  #blobDir(id: string): string {
    return `${this.dir}/blobs/${id.slice(0, 2)}`;
  }

  async #removeTemporaryFiles(): Promise<void> {
    const dirs = [this.dir, `${this.dir}/sections`];
    for await (const shard of Deno.readDir(`${this.dir}/blobs`)) {
      if (shard.isDirectory) dirs.push(`${this.dir}/blobs/${shard.name}`);
    }
    for (const dir of dirs) {
      for await (const entry of Deno.readDir(dir)) {
        if (entry.isFile && entry.name.includes(TEMP_MARK)) {
          await Deno.remove(`${dir}/${entry.name}`);
        }
      }
    }
  }
}

/** Replaces `dir/name` with `bytes`: temporary file, fsync, rename, fsync of the directory. */
async function writeAtomically(dir: string, name: string, bytes: Uint8Array): Promise<void> {
  const temp = `${dir}/${name}${TEMP_MARK}${crypto.randomUUID()}`;
  const file = await Deno.open(temp, { write: true, createNew: true });
  try {
    let written = 0;
    while (written < bytes.length) written += await file.write(bytes.subarray(written));
    await file.sync();
  } finally {
    file.close();
  }
  try {
    await Deno.rename(temp, `${dir}/${name}`);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
  const handle = await Deno.open(dir, { read: true });
  try {
    await handle.sync();
  } finally {
    handle.close();
  }
}

function checkName(name: string, what: string): void {
  if (typeof name !== "string" || !NAME_RE.test(name) || name.includes(TEMP_MARK)) {
    throw new TypeError(
      `Invalid ${what} ${JSON.stringify(name)}: must match ${NAME_RE.source} ` +
        `and not contain "${TEMP_MARK}"`,
    );
  }
}
