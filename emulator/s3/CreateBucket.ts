/**
 * `CreateBucket` (`PUT /<bucket>`): bucket names as S3 validates them; outside
 * us-east-1 the body's `LocationConstraint` must name the request's region.
 *
 * @module
 */
import { AwsError } from "../errors.ts";
import { parseXml } from "../protocols/xml.ts";
import { bodyText } from "../request.ts";
import { malformedXml } from "./errors.ts";
import type { S3Call } from "./operation.ts";
import { s3Headers } from "./operation.ts";

const NAME_RE = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const RESERVED_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const RESERVED_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

/** Whether S3 accepts `name` as a new general purpose bucket's name. */
export function isValidBucketName(name: string): boolean {
  return NAME_RE.test(name) && !name.includes("..") &&
    !/^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name) &&
    !RESERVED_PREFIXES.some((p) => name.startsWith(p)) &&
    !RESERVED_SUFFIXES.some((s) => name.endsWith(s));
}

function locationConstraintOf(text: string): string | undefined {
  if (text.trim() === "") return undefined;
  let doc: Record<string, unknown>;
  try {
    doc = parseXml(text);
  } catch {
    throw malformedXml();
  }
  const config = doc.CreateBucketConfiguration;
  if (config === undefined || (typeof config !== "object" && config !== "")) throw malformedXml();
  const constraint = (config as Record<string, unknown> | "") === ""
    ? undefined
    : (config as Record<string, unknown>).LocationConstraint;
  if (constraint === undefined || constraint === "") return undefined;
  if (typeof constraint !== "string") throw malformedXml();
  return constraint;
}

/** Handles `CreateBucket`. */
export async function CreateBucket(call: S3Call): Promise<Response> {
  const { request, store, bucket } = call;
  if (!isValidBucketName(bucket)) {
    throw new AwsError("InvalidBucketName", "The specified bucket is not valid.", {
      status: 400,
      fields: { BucketName: bucket },
    });
  }
  const constraint = locationConstraintOf(bodyText(request));
  const region = request.region;
  if (constraint === "us-east-1") {
    throw new AwsError(
      "InvalidLocationConstraint",
      "The specified location-constraint is not valid",
      {
        status: 400,
        fields: { LocationConstraint: constraint },
      },
    );
  }
  if (constraint === undefined && region !== "us-east-1") {
    throw new AwsError(
      "IllegalLocationConstraintException",
      "The unspecified location constraint is incompatible for the region specific endpoint " +
        "this request was sent to.",
      { status: 400 },
    );
  }
  if (constraint !== undefined && constraint !== region) {
    throw new AwsError(
      "IllegalLocationConstraintException",
      `The ${constraint} location constraint is incompatible for the region specific endpoint ` +
        "this request was sent to.",
      { status: 400 },
    );
  }
  const existing = store.bucketExists(bucket) ? store.bucket(bucket) : undefined;
  if (existing) {
    // us-east-1 answers 200 for a bucket you already own (legacy behaviour); other regions 409.
    if (region !== "us-east-1" || existing.region !== "us-east-1") {
      throw new AwsError(
        "BucketAlreadyOwnedByYou",
        "Your previous request to create the named bucket succeeded and you already own it.",
        { status: 409, fields: { BucketName: bucket } },
      );
    }
  } else {
    await store.createBucket(bucket, constraint ?? "us-east-1");
  }
  return new Response(null, {
    status: 200,
    headers: { ...s3Headers(request), location: `/${bucket}` },
  });
}
