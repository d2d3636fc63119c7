/**
 * An in-memory S3 for lib tests, behind a real `S3Client` whose `send` is
 * replaced by aws-sdk-client-mock. It answers the calls the invoke and
 * waiting code makes (PutObject, HeadObject, GetObject, ListObjectsV2) the
 * way S3 does, records every call, and can inject errors.
 *
 * @module
 */
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { type AwsClientStub, mockClient } from "aws-sdk-client-mock";
import type { Clock } from "../../lib/clock.ts";

/** The operations the fake answers. */
export type FakeS3Operation = "PutObject" | "HeadObject" | "GetObject" | "ListObjectsV2";

/** One recorded call. */
export interface FakeS3Call {
  readonly operation: FakeS3Operation;
  readonly bucket: string;
  /** Key for object calls, prefix for listings. */
  readonly key: string;
  /** Clock time of the call, if the fake has a clock. */
  readonly at: number | undefined;
  readonly input: Record<string, unknown>;
}

interface Fault {
  readonly operation: FakeS3Operation;
  readonly key: string | undefined;
  readonly error: unknown;
  remaining: number;
}

/** An S3 service exception as the SDK builds it for an unmodelled code. */
export function s3Error(name: string, httpStatusCode: number): S3ServiceException {
  return new S3ServiceException({
    name,
    $fault: httpStatusCode >= 500 ? "server" : "client",
    $metadata: { httpStatusCode },
    message: `${name} (${httpStatusCode})`,
  });
}

/** In-memory S3 store plus a mocked client. */
export class FakeS3 {
  readonly client: S3Client = new S3Client({
    region: "us-east-1",
    credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "secret" },
  });
  readonly calls: FakeS3Call[] = [];
  readonly objects = new Map<string, { body: Uint8Array; contentType: string | undefined }>();
  /** The aws-sdk-client-mock handle (e.g. for `send` call options). */
  readonly mock: AwsClientStub<S3Client>;
  readonly #faults: Fault[] = [];
  readonly #pageSize: number;
  readonly #clock: Clock | undefined;

  constructor(options: { pageSize?: number; clock?: Clock } = {}) {
    this.#pageSize = options.pageSize ?? 1000;
    this.#clock = options.clock;
    const mock = mockClient(this.client);
    this.mock = mock;
    const record = (
      operation: FakeS3Operation,
      input: Record<string, unknown>,
      key: string,
    ) => {
      this.calls.push({
        operation,
        bucket: String(input.Bucket),
        key,
        at: this.#clock?.now(),
        input,
      });
      const fault = this.#faults.find((f) =>
        f.operation === operation && f.remaining > 0 && (f.key === undefined || f.key === key)
      );
      if (fault) {
        fault.remaining--;
        throw fault.error;
      }
    };
    mock.on(PutObjectCommand).callsFake((input) => {
      record("PutObject", input, input.Key);
      const body = input.Body instanceof Uint8Array
        ? input.Body
        : new TextEncoder().encode(String(input.Body));
      this.objects.set(`${input.Bucket}/${input.Key}`, { body, contentType: input.ContentType });
      return { ETag: '"etag"' };
    });
    mock.on(HeadObjectCommand).callsFake((input) => {
      record("HeadObject", input, input.Key);
      const object = this.objects.get(`${input.Bucket}/${input.Key}`);
      if (!object) {
        throw new NotFound({ message: "NotFound", $metadata: { httpStatusCode: 404 } });
      }
      return { ContentType: object.contentType, ContentLength: object.body.byteLength };
    });
    mock.on(GetObjectCommand).callsFake((input) => {
      record("GetObject", input, input.Key);
      const object = this.objects.get(`${input.Bucket}/${input.Key}`);
      if (!object) {
        throw new NoSuchKey({
          message: "The specified key does not exist.",
          $metadata: { httpStatusCode: 404 },
        });
      }
      const body = object.body;
      return {
        ContentType: object.contentType,
        ContentLength: body.byteLength,
        // The SDK's stream mixin, reduced to what the library reads.
        Body: { transformToByteArray: () => Promise.resolve(body) } as never,
      };
    });
    mock.on(ListObjectsV2Command).callsFake((input) => {
      record("ListObjectsV2", input, input.Prefix ?? "");
      const prefix = `${input.Bucket}/${input.Prefix ?? ""}`;
      const after = input.ContinuationToken ?? input.StartAfter;
      const keys = [...this.objects.keys()]
        .filter((k) => k.startsWith(prefix))
        .map((k) => k.slice(String(input.Bucket).length + 1))
        .filter((k) => after === undefined || k > after)
        .sort();
      const size = Math.min(input.MaxKeys ?? 1000, this.#pageSize);
      const page = keys.slice(0, size);
      const truncated = keys.length > size;
      return {
        Contents: page.length ? page.map((Key) => ({ Key, Size: 1 })) : undefined,
        KeyCount: page.length,
        IsTruncated: truncated,
        NextContinuationToken: truncated ? page.at(-1) : undefined,
      };
    });
  }

  /** Stores an object at an `s3://bucket/key` URI. */
  put(uri: string, body: string | Uint8Array, contentType?: string): void {
    const path = uri.slice("s3://".length);
    this.objects.set(path, {
      body: typeof body === "string" ? new TextEncoder().encode(body) : body,
      contentType,
    });
  }

  /** Makes the next `times` calls of `operation` (optionally on `key`) throw `error`. */
  fail(
    operation: FakeS3Operation,
    error: unknown,
    options: { times?: number; key?: string } = {},
  ): void {
    this.#faults.push({ operation, key: options.key, error, remaining: options.times ?? 1 });
  }

  /** Calls of one operation (all, or since call index `from`). */
  count(operation: FakeS3Operation, from = 0): number {
    return this.calls.slice(from).filter((c) => c.operation === operation).length;
  }
}
