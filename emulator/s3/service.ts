/**
 * S3 (REST-XML, path-style only): routes `/<bucket>[/<key>]` requests to one
 * handler per operation, with keys sliced from the raw path (percent-decoded,
 * never normalised: `a//b` and `../x` are keys like any other). Features the
 * emulator does not implement (multipart uploads, versioning, ACLs, tagging,
 * bucket configuration sub-resources) answer 501 `NotImplemented` naming
 * what was asked for.
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { EmulatorContext } from "../context.ts";
import { AwsError, toAwsError } from "../errors.ts";
import { s3ErrorResponse } from "../protocols/rest_xml.ts";
import type { AwsRequest } from "../request.ts";
import type { ServiceModule } from "../service.ts";
import { CopyObject } from "./CopyObject.ts";
import { CreateBucket } from "./CreateBucket.ts";
import { DeleteBucket } from "./DeleteBucket.ts";
import { DeleteObject } from "./DeleteObject.ts";
import { DeleteObjects } from "./DeleteObjects.ts";
import { notImplemented } from "./errors.ts";
import { GetObject } from "./GetObject.ts";
import { HeadBucket } from "./HeadBucket.ts";
import { HeadObject } from "./HeadObject.ts";
import { ListBuckets } from "./ListBuckets.ts";
import { ListObjects } from "./ListObjects.ts";
import { ListObjectsV2 } from "./ListObjectsV2.ts";
import type { S3Call, S3Operation } from "./operation.ts";
import { PutObject } from "./PutObject.ts";
import { S3Store } from "./store.ts";

/** Bucket sub-resources S3 has and this emulator does not implement. */
const BUCKET_SUBRESOURCES = [
  "accelerate",
  "acl",
  "analytics",
  "cors",
  "encryption",
  "intelligent-tiering",
  "inventory",
  "lifecycle",
  "location",
  "logging",
  "metrics",
  "notification",
  "object-lock",
  "ownershipControls",
  "policy",
  "policyStatus",
  "publicAccessBlock",
  "replication",
  "requestPayment",
  "tagging",
  "uploads",
  "versioning",
  "versions",
  "website",
];
const OBJECT_SUBRESOURCES = [
  "acl",
  "attributes",
  "legal-hold",
  "restore",
  "retention",
  "select",
  "tagging",
  "torrent",
];

interface Route {
  readonly name: string;
  readonly run: S3Operation;
}

function unsupported(name: string, what: string): Route {
  return {
    name,
    run: () => {
      throw notImplemented(what);
    },
  };
}

function methodNotAllowed(method: string, resource: string): Route {
  return {
    name: "MethodNotAllowed",
    run: () => {
      throw new AwsError(
        "MethodNotAllowed",
        "The specified method is not allowed against this resource.",
        { status: 405, fields: { Method: method, ResourceType: resource } },
      );
    },
  };
}

function firstOf(query: URLSearchParams, names: readonly string[]): string | undefined {
  return names.find((name) => query.has(name));
}

/** Picks the operation for a request from its method, path shape, query and headers. */
function route(request: AwsRequest, bucket: string, key: string): Route {
  const { method, query } = request;
  if (bucket === "") {
    return method === "GET"
      ? { name: "ListBuckets", run: ListBuckets }
      : methodNotAllowed(method, "SERVICE");
  }
  if (key === "") {
    const sub = firstOf(query, BUCKET_SUBRESOURCES);
    switch (method) {
      case "GET":
        if (query.get("list-type") === "2") return { name: "ListObjectsV2", run: ListObjectsV2 };
        if (sub) return unsupported(`GetBucket:${sub}`, `the bucket ${sub} sub-resource`);
        return { name: "ListObjects", run: ListObjects };
      case "PUT":
        if (sub) return unsupported(`PutBucket:${sub}`, `the bucket ${sub} sub-resource`);
        return { name: "CreateBucket", run: CreateBucket };
      case "HEAD":
        return { name: "HeadBucket", run: HeadBucket };
      case "DELETE":
        if (sub) return unsupported(`DeleteBucket:${sub}`, `the bucket ${sub} sub-resource`);
        return { name: "DeleteBucket", run: DeleteBucket };
      case "POST":
        if (query.has("delete")) return { name: "DeleteObjects", run: DeleteObjects };
        return methodNotAllowed(method, "BUCKET");
      default:
        return methodNotAllowed(method, "BUCKET");
    }
  }
  const sub = firstOf(query, OBJECT_SUBRESOURCES);
  switch (method) {
    case "PUT":
      if (query.has("uploadId") || query.has("partNumber")) {
        return unsupported("UploadPart", "multipart upload (UploadPart)");
      }
      if (sub) return unsupported(`PutObject:${sub}`, `the object ${sub} sub-resource`);
      if (request.headers.has("x-amz-copy-source")) {
        return { name: "CopyObject", run: CopyObject };
      }
      return { name: "PutObject", run: PutObject };
    case "GET":
      if (query.has("uploadId")) return unsupported("ListParts", "multipart upload (ListParts)");
      if (sub) return unsupported(`GetObject:${sub}`, `the object ${sub} sub-resource`);
      return { name: "GetObject", run: GetObject };
    case "HEAD":
      return { name: "HeadObject", run: HeadObject };
    case "DELETE":
      if (query.has("uploadId")) {
        return unsupported("AbortMultipartUpload", "multipart upload (AbortMultipartUpload)");
      }
      if (sub) return unsupported(`DeleteObject:${sub}`, `the object ${sub} sub-resource`);
      return { name: "DeleteObject", run: DeleteObject };
    case "POST":
      if (query.has("uploads")) {
        return unsupported("CreateMultipartUpload", "multipart upload (CreateMultipartUpload)");
      }
      if (query.has("uploadId")) {
        return unsupported("CompleteMultipartUpload", "multipart upload (CompleteMultipartUpload)");
      }
      if (sub) return unsupported(`PostObject:${sub}`, `the object ${sub} sub-resource`);
      return methodNotAllowed(method, "OBJECT");
    default:
      return methodNotAllowed(method, "OBJECT");
  }
}

/** Splits the raw path into bucket and key, percent-decoded but never normalised. */
function splitPath(rawPath: string): { bucket: string; key: string } {
  const slash = rawPath.indexOf("/", 1);
  const bucketRaw = slash === -1 ? rawPath.slice(1) : rawPath.slice(1, slash);
  const keyRaw = slash === -1 ? "" : rawPath.slice(slash + 1);
  try {
    return {
      bucket: bucketRaw.includes("%") ? decodeURIComponent(bucketRaw) : bucketRaw,
      key: keyRaw.includes("%") ? decodeURIComponent(keyRaw) : keyRaw,
    };
  } catch {
    throw new AwsError("InvalidURI", "Couldn't parse the specified URI.", {
      status: 400,
      fields: { URI: rawPath },
    });
  }
}

/**
 * Creates the S3 service and registers its store as `context.s3`.
 *
 * @example
 * ```ts
 * import { createEmulator, createS3Service, ManualEmulatorClock } from "@sagemaker-async/toolkit/emulator";
 *
 * const emulator = await createEmulator({
 *   auth: false, clock: new ManualEmulatorClock(), services: [createS3Service],
 * });
 * await emulator.fetch(new Request("http://127.0.0.1/demo/", { method: "PUT" }));
 * await emulator.fetch(new Request("http://127.0.0.1/demo/a//b", { method: "PUT", body: "x" }));
 * const object = await emulator.context.s3!.getObject("demo", "a//b");
 * if (new TextDecoder().decode(object?.body) !== "x") throw new Error("key was normalised");
 * await emulator.close();
 * ```
 */
export async function createS3Service(context: EmulatorContext): Promise<ServiceModule> {
  const store = await S3Store.open({
    persistence: context.persistence,
    clock: context.clock,
    reportError: context.reportError,
  });
  context.s3 = store;
  const ownerId = createHash("sha256").update(`emulator-owner:${context.config.accountId}`)
    .digest("hex");

  const resolve = (request: AwsRequest): { route: Route; call: S3Call } => {
    const { bucket, key } = splitPath(request.rawPath);
    return {
      route: route(request, bucket, key),
      call: { request, store, bucket, key, ownerId },
    };
  };

  return {
    key: "s3",
    async handle(request) {
      try {
        const { route, call } = resolve(request);
        return await route.run(call);
      } catch (error) {
        return s3ErrorResponse(
          toAwsError(error, "InternalError"),
          request.requestId,
          request.method,
        );
      }
    },
    renderError: (error, request) => s3ErrorResponse(error, request.requestId, request.method),
    operationName(request) {
      try {
        return resolve(request).route.name;
      } catch {
        return "";
      }
    },
    close: () => store.close(),
  };
}
