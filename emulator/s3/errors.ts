/**
 * S3's errors, with the codes, statuses, messages and extra elements S3
 * renders (`<Key>`, `<BucketName>`, ...). Handlers throw these; the S3
 * service renders them as `<Error>` XML (or a bare status for HEAD).
 *
 * @module
 */
import { AwsError } from "../errors.ts";

/** 404 `NoSuchBucket` with `<BucketName>`. */
export function noSuchBucket(bucket: string): AwsError {
  return new AwsError("NoSuchBucket", "The specified bucket does not exist", {
    status: 404,
    fields: { BucketName: bucket },
  });
}

/** 404 `NoSuchKey` with `<Key>`. */
export function noSuchKey(key: string): AwsError {
  return new AwsError("NoSuchKey", "The specified key does not exist.", {
    status: 404,
    fields: { Key: key },
  });
}

/** 400 `InvalidArgument` with `<ArgumentName>` and `<ArgumentValue>`. */
export function invalidArgument(message: string, name: string, value: string): AwsError {
  return new AwsError("InvalidArgument", message, {
    status: 400,
    fields: { ArgumentName: name, ArgumentValue: value },
  });
}

/** 400 `InvalidRequest`. */
export function invalidRequest(message: string): AwsError {
  return new AwsError("InvalidRequest", message, { status: 400 });
}

/** 501 `NotImplemented`, naming what the emulator does not do. */
export function notImplemented(what: string): AwsError {
  return new AwsError(
    "NotImplemented",
    `A header or query you provided implies functionality that is not implemented: ${what} ` +
      "is not supported by this emulator",
    { status: 501 },
  );
}

/** 400 `MalformedXML` for a request document that does not parse or match S3's schema. */
export function malformedXml(): AwsError {
  return new AwsError(
    "MalformedXML",
    "The XML you provided was not well-formed or did not validate against our published schema",
    { status: 400 },
  );
}

/** 412 `PreconditionFailed` with `<Condition>`. */
export function preconditionFailed(condition: string): AwsError {
  return new AwsError(
    "PreconditionFailed",
    "At least one of the pre-conditions you specified did not hold",
    { status: 412, fields: { Condition: condition } },
  );
}

/** 400 `KeyTooLongError` for keys over 1024 UTF-8 bytes. */
export function keyTooLong(key: string): AwsError {
  return new AwsError("KeyTooLongError", "Your key is too long", {
    status: 400,
    fields: {
      MaxSizeAllowed: "1024",
      Size: String(new TextEncoder().encode(key).length),
    },
  });
}
