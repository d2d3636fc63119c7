/**
 * S3's state: buckets and their objects, kept in memory with each bucket's
 * keys sorted, and made durable through {@linkcode Persistence} when the
 * emulator has a data directory: object bodies as blobs (`s3-<uuid>`) and
 * the bucket/object index as the `s3` section, written with group commit.
 * A change is acknowledged only once it is durable, so a restart loses
 * nothing that was acknowledged.
 *
 * The store is also the {@linkcode S3Backend} other services use (the async
 * queue reads inputs and writes results through it).
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { EmulatorClock } from "../clock.ts";
import type { Persistence, S3Backend, StoredObject } from "../context.ts";
import { SnapshotWriter } from "../persistence/snapshot_writer.ts";
import { type ChecksumAlgorithm, computeChecksum } from "./checksums.ts";
import { noSuchBucket } from "./errors.ts";
import { SortedKeys } from "./sorted_keys.ts";
import { AwsError } from "../errors.ts";

/** A full-object checksum as S3 stores it. */
export interface ObjectChecksum {
  readonly algorithm: ChecksumAlgorithm;
  /** Base64 value. */
  readonly value: string;
}

/** An object with everything S3 returns about it. */
export interface S3Object extends StoredObject {
  readonly size: number;
  /** Stored response headers: cache-control, content-disposition, content-encoding, content-language, expires. */
  readonly headers: Readonly<Record<string, string>>;
  readonly storageClass: string;
  readonly checksum: ObjectChecksum;
  /** Blob id when persisted. */
  readonly blob: string | undefined;
}

/** What a writer supplies for a new object. */
export interface NewObject {
  readonly body: Uint8Array;
  readonly contentType?: string;
  readonly metadata?: Record<string, string>;
  readonly headers?: Record<string, string>;
  readonly storageClass?: string;
  /** A verified checksum to keep; default: CRC64NVME, as S3 computes for every new object. */
  readonly checksum?: ObjectChecksum;
  /** The quoted MD5 ETag if the caller already computed it. */
  readonly etag?: string;
  /**
   * Runs just before the object replaces `previous` (synchronously, so no
   * other write interleaves); throw to refuse the write (conditional writes).
   */
  readonly condition?: (previous: S3Object | undefined) => void;
}

/** A bucket. */
export interface Bucket {
  readonly name: string;
  readonly region: string;
  readonly creationDate: Date;
  readonly objects: Map<string, S3Object>;
  readonly keys: SortedKeys;
}

/** Options for {@linkcode S3Store.open}. */
export interface S3StoreOptions {
  persistence: Persistence;
  clock: EmulatorClock;
  /** Receives errors from clean-up work that no request waits for. */
  reportError: (error: unknown) => void;
}

/** Default `Content-Type` of objects stored without one, as S3 does. */
export const DEFAULT_CONTENT_TYPE = "binary/octet-stream";

const SECTION = "s3";
const BLOB_PREFIX = "s3-";

interface SnapshotV1 {
  version: 1;
  buckets: Array<{
    name: string;
    region: string;
    creationDate: string;
    objects: Array<{
      key: string;
      blob: string;
      size: number;
      etag: string;
      lastModified: string;
      contentType: string;
      metadata: Record<string, string>;
      headers: Record<string, string>;
      storageClass: string;
      checksum: ObjectChecksum;
    }>;
  }>;
}

/** Quoted MD5 hex of `bytes`, as S3 sends in `ETag`. */
export function md5ETag(bytes: Uint8Array): string {
  return `"${createHash("md5").update(bytes).digest("hex")}"`;
}

/**
 * Buckets and objects.
 *
 * @example
 * ```ts
 * import { ManualEmulatorClock, MemoryPersistence, S3Store } from "@sagemaker-async/toolkit/emulator";
 *
 * const store = await S3Store.open({
 *   persistence: new MemoryPersistence(), clock: new ManualEmulatorClock(), reportError: () => {},
 * });
 * store.createBucket("b", "us-east-1");
 * await store.putObject("b", "k", new TextEncoder().encode("hi"));
 * const object = await store.getObject("b", "k");
 * if (object?.etag !== '"49f68a5c8493ec2c0bf489821c21fc3b"') throw new Error(object?.etag);
 * ```
 */
export class S3Store implements S3Backend {
  readonly #buckets = new Map<string, Bucket>();
  readonly #persistence: Persistence;
  readonly #clock: EmulatorClock;
  readonly #reportError: (error: unknown) => void;
  readonly #writer: SnapshotWriter;
  readonly #pendingBlobDeletes = new Set<Promise<void>>();

  private constructor(options: S3StoreOptions) {
    this.#persistence = options.persistence;
    this.#clock = options.clock;
    this.#reportError = options.reportError;
    this.#writer = new SnapshotWriter({
      persistence: options.persistence,
      section: SECTION,
      snapshot: () => this.#snapshot(),
    });
  }

  /** Opens the store, loading persisted buckets, objects and bodies. */
  static async open(options: S3StoreOptions): Promise<S3Store> {
    const store = new S3Store(options);
    await store.#load();
    return store;
  }

  /** Whether the bucket exists. */
  bucketExists(bucket: string): boolean {
    return this.#buckets.has(bucket);
  }

  /** The bucket; throws `NoSuchBucket`. */
  bucket(name: string): Bucket {
    const bucket = this.#buckets.get(name);
    if (!bucket) throw noSuchBucket(name);
    return bucket;
  }

  /** Every bucket, sorted by name. */
  buckets(): Bucket[] {
    return [...this.#buckets.values()].sort((a, b) => a.name < b.name ? -1 : 1);
  }

  /** Creates a bucket; returns false if it already existed. Durable on resolve. */
  async createBucket(name: string, region: string): Promise<boolean> {
    if (this.#buckets.has(name)) return false;
    this.#buckets.set(name, {
      name,
      region,
      creationDate: new Date(Math.floor(this.#clock.now() / 1000) * 1000),
      objects: new Map(),
      keys: new SortedKeys(),
    });
    await this.#writer.commit();
    return true;
  }

  /** Deletes an empty bucket; throws `NoSuchBucket` / `BucketNotEmpty`. */
  async deleteBucket(name: string): Promise<void> {
    const bucket = this.bucket(name);
    if (bucket.objects.size > 0) {
      throw new AwsError("BucketNotEmpty", "The bucket you tried to delete is not empty", {
        status: 409,
        fields: { BucketName: name },
      });
    }
    this.#buckets.delete(name);
    await this.#writer.commit();
  }

  /** The object, or `undefined` when the bucket or key does not exist. */
  getObject(bucket: string, key: string): Promise<S3Object | undefined> {
    return Promise.resolve(this.#buckets.get(bucket)?.objects.get(key));
  }

  /** The object, synchronously. */
  object(bucket: string, key: string): S3Object | undefined {
    return this.#buckets.get(bucket)?.objects.get(key);
  }

  /**
   * Stores an object (replacing any with that key); throws `NoSuchBucket`.
   * Resolves once durable.
   */
  async putObject(
    bucket: string,
    key: string,
    body: Uint8Array,
    options: { contentType?: string; metadata?: Record<string, string> } = {},
  ): Promise<S3Object> {
    return await this.writeObject(bucket, key, { body, ...options });
  }

  /** Stores an object with all its attributes; throws `NoSuchBucket`. Resolves once durable. */
  async writeObject(bucketName: string, key: string, input: NewObject): Promise<S3Object> {
    this.bucket(bucketName);
    const durable = this.#persistence.durable;
    const blob = durable ? `${BLOB_PREFIX}${crypto.randomUUID()}` : undefined;
    const checksum = input.checksum ??
      { algorithm: "CRC64NVME" as const, value: await computeChecksum("CRC64NVME", input.body) };
    if (blob) await this.#persistence.writeBlob(blob, input.body);
    // Re-check: the bucket may have gone while the blob was written.
    const bucket = this.#buckets.get(bucketName);
    if (!bucket) {
      if (blob) this.#deleteBlobLater(blob);
      throw noSuchBucket(bucketName);
    }
    const object: S3Object = {
      bucket: bucketName,
      key,
      body: input.body,
      size: input.body.length,
      contentType: input.contentType ?? DEFAULT_CONTENT_TYPE,
      etag: input.etag ?? md5ETag(input.body),
      lastModified: new Date(Math.floor(this.#clock.now() / 1000) * 1000),
      metadata: input.metadata ?? {},
      headers: input.headers ?? {},
      storageClass: input.storageClass ?? "STANDARD",
      checksum,
      blob,
    };
    const previous = bucket.objects.get(key);
    try {
      input.condition?.(previous);
    } catch (error) {
      if (blob) this.#deleteBlobLater(blob);
      throw error;
    }
    bucket.objects.set(key, object);
    if (!previous) bucket.keys.add(key);
    await this.#writer.commit();
    if (previous?.blob) this.#deleteBlobLater(previous.blob);
    return object;
  }

  /** Deletes objects (missing keys are fine); throws `NoSuchBucket`. Resolves once durable. */
  async deleteObjects(bucketName: string, keys: readonly string[]): Promise<void> {
    const bucket = this.bucket(bucketName);
    const gone = new Set<string>();
    const blobs: string[] = [];
    for (const key of keys) {
      const object = bucket.objects.get(key);
      if (!object) continue;
      bucket.objects.delete(key);
      gone.add(key);
      if (object.blob) blobs.push(object.blob);
    }
    if (gone.size === 0) return;
    bucket.keys.deleteMany(gone);
    await this.#writer.commit();
    for (const blob of blobs) this.#deleteBlobLater(blob);
  }

  /** Waits for pending writes and blob clean-up. */
  async close(): Promise<void> {
    await this.#writer.flush();
    await Promise.allSettled([...this.#pendingBlobDeletes]);
  }

  #deleteBlobLater(blob: string): void {
    const work = this.#persistence.deleteBlob(blob).catch(this.#reportError).finally(() => {
      this.#pendingBlobDeletes.delete(work);
    });
    this.#pendingBlobDeletes.add(work);
  }

  #snapshot(): SnapshotV1 {
    return {
      version: 1,
      buckets: [...this.#buckets.values()].map((bucket) => ({
        name: bucket.name,
        region: bucket.region,
        creationDate: bucket.creationDate.toISOString(),
        objects: [...bucket.objects.values()].map((object) => ({
          key: object.key,
          blob: object.blob!,
          size: object.size,
          etag: object.etag,
          lastModified: object.lastModified.toISOString(),
          contentType: object.contentType,
          metadata: { ...object.metadata },
          headers: { ...object.headers },
          storageClass: object.storageClass,
          checksum: object.checksum,
        })),
      })),
    };
  }

  async #load(): Promise<void> {
    if (!this.#persistence.durable) return;
    const snapshot = await this.#persistence.load<SnapshotV1>(SECTION);
    const referenced = new Set<string>();
    if (snapshot !== undefined) {
      if (snapshot.version !== 1) {
        throw new TypeError(
          `Cannot load S3 state: snapshot version ${JSON.stringify(snapshot.version)} is not 1`,
        );
      }
      for (const saved of snapshot.buckets) {
        const bucket: Bucket = {
          name: saved.name,
          region: saved.region,
          creationDate: new Date(saved.creationDate),
          objects: new Map(),
          keys: new SortedKeys(),
        };
        for (const o of saved.objects) {
          const body = await this.#persistence.readBlob(o.blob);
          if (body.length !== o.size) {
            throw new TypeError(
              `Cannot load S3 object s3://${saved.name}/${o.key}: blob ${o.blob} holds ` +
                `${body.length} bytes, the index says ${o.size}`,
            );
          }
          referenced.add(o.blob);
          bucket.objects.set(o.key, {
            bucket: saved.name,
            key: o.key,
            body,
            size: o.size,
            etag: o.etag,
            lastModified: new Date(o.lastModified),
            contentType: o.contentType,
            metadata: o.metadata,
            headers: o.headers,
            storageClass: o.storageClass,
            checksum: o.checksum,
            blob: o.blob,
          });
        }
        bucket.keys.reset(bucket.objects.keys());
        this.#buckets.set(bucket.name, bucket);
      }
    }
    // Blobs written by uploads that crashed before their index was saved.
    for (const id of await this.#persistence.listBlobs?.() ?? []) {
      if (id.startsWith(BLOB_PREFIX) && !referenced.has(id)) {
        await this.#persistence.deleteBlob(id);
      }
    }
  }
}
