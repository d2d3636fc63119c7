/**
 * Where async inference reads and writes: parsing `s3://` and `https://` S3
 * locations, and naming result objects. The output object is
 * `<S3OutputPath>/<inference-id>.out` and the failure object
 * `<S3FailurePath>/<inference-id>-error.out`. The 2026 request headers
 * `X-Amzn-SageMaker-S3OutputPathExtension` (a sub-path appended to both
 * paths) and `X-Amzn-SageMaker-Filename` (the output object's file name)
 * follow their names; their real semantics are unconfirmed. Without
 * `S3FailurePath` the failure object is written next to the output
 * (`<S3OutputPath>/<inference-id>-error.out`) and no `FailureLocation` is
 * returned (where AWS puts it is unconfirmed).
 *
 * @module
 */

/** A bucket and key. */
export interface S3Location {
  readonly bucket: string;
  readonly key: string;
}

/**
 * Parses `s3://bucket/key`, `https://bucket.s3.<region>.amazonaws.com/key`
 * or a path-style `https://<host>/bucket/key`. Returns `undefined` if it is
 * none of these.
 *
 * @example
 * ```ts
 * import { parseS3Location } from "@sagemaker-async/toolkit/emulator";
 *
 * const loc = parseS3Location("s3://my-bucket/in/a.json");
 * if (loc?.bucket !== "my-bucket" || loc.key !== "in/a.json") throw new Error();
 * ```
 */
export function parseS3Location(uri: string): S3Location | undefined {
  const s3 = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (s3) return { bucket: s3[1]!, key: s3[2]! };
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return undefined;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return undefined;
  const path = decodeURIComponent(url.pathname.slice(1));
  const virtual = /^(.+)\.s3[.-](?:[a-z0-9-]+\.)?amazonaws\.com$/.exec(url.hostname);
  if (virtual) return { bucket: virtual[1]!, key: path };
  const slash = path.indexOf("/");
  if (slash <= 0) return path === "" ? undefined : { bucket: path, key: "" };
  return { bucket: path.slice(0, slash), key: path.slice(slash + 1) };
}

/** Joins an S3 path and a relative name with exactly one `/`. */
export function joinS3Path(base: string, name: string): string {
  const trimmedBase = base.replace(/\/+$/, "");
  const trimmedName = name.replace(/^\/+/, "");
  return `${trimmedBase}/${trimmedName}`;
}

/** Options for {@linkcode resultLocations}. */
export interface ResultLocationsOptions {
  readonly inferenceId: string;
  readonly s3OutputPath: string;
  readonly s3FailurePath?: string;
  /** `X-Amzn-SageMaker-S3OutputPathExtension`. */
  readonly outputPathExtension?: string;
  /** `X-Amzn-SageMaker-Filename`. */
  readonly filename?: string;
}

/** Where one request's result goes. */
export interface ResultLocations {
  /** Returned as `OutputLocation`. */
  readonly outputLocation: string;
  /** Returned as `FailureLocation` (only with an `S3FailurePath`). */
  readonly failureLocation: string | undefined;
  /** Where the failure object is really written. */
  readonly failureWriteLocation: string;
}

/**
 * Names the output and failure objects of a request (see the module docs).
 *
 * @example
 * ```ts
 * import { resultLocations } from "@sagemaker-async/toolkit/emulator";
 *
 * const at = resultLocations({
 *   inferenceId: "abc",
 *   s3OutputPath: "s3://b/out/",
 *   s3FailurePath: "s3://b/fail",
 * });
 * if (at.outputLocation !== "s3://b/out/abc.out") throw new Error(at.outputLocation);
 * if (at.failureLocation !== "s3://b/fail/abc-error.out") throw new Error(at.failureLocation);
 * ```
 */
export function resultLocations(options: ResultLocationsOptions): ResultLocations {
  const extend = (path: string) =>
    options.outputPathExtension ? joinS3Path(path, options.outputPathExtension) : path;
  const outputDir = extend(options.s3OutputPath);
  const outputLocation = joinS3Path(outputDir, options.filename ?? `${options.inferenceId}.out`);
  const errorName = `${options.inferenceId}-error.out`;
  if (options.s3FailurePath !== undefined) {
    const failureLocation = joinS3Path(extend(options.s3FailurePath), errorName);
    return { outputLocation, failureLocation, failureWriteLocation: failureLocation };
  }
  return {
    outputLocation,
    failureLocation: undefined,
    failureWriteLocation: joinS3Path(outputDir, errorName),
  };
}
