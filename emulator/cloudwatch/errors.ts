/**
 * CloudWatch's errors. The service is awsQueryCompatible: JSON clients read
 * the shape name from `__type` (`com.amazonaws.cloudwatch#<Shape>`) and the
 * query code from `x-amzn-query-error`; query-protocol clients read the query
 * code from `<Code>`. {@linkcode cloudWatchError} builds an `AwsError` that
 * carries both.
 *
 * @module
 */
import { AwsError } from "../errors.ts";

/** CloudWatch error shapes with their query code and HTTP status (from the service model). */
export const CLOUDWATCH_ERROR_SHAPES = {
  InvalidParameterValueException: { queryCode: "InvalidParameterValue", status: 400 },
  InvalidParameterCombinationException: { queryCode: "InvalidParameterCombination", status: 400 },
  MissingRequiredParameterException: { queryCode: "MissingParameter", status: 400 },
  ValidationException: { queryCode: "ValidationError", status: 400 },
  ResourceNotFound: { queryCode: "ResourceNotFound", status: 404 },
  LimitExceededFault: { queryCode: "LimitExceeded", status: 400 },
  InvalidNextToken: { queryCode: "InvalidNextToken", status: 400 },
  InvalidFormatFault: { queryCode: "InvalidFormat", status: 400 },
  InternalServiceFault: { queryCode: "InternalServiceError", status: 500 },
} as const;

/** A CloudWatch error shape name. */
export type CloudWatchErrorShape = keyof typeof CLOUDWATCH_ERROR_SHAPES;

const SHAPE_PREFIX = "com.amazonaws.cloudwatch#";

/**
 * A CloudWatch error: `code` is the namespaced shape id the JSON protocol
 * sends in `__type`; `queryCode` is what `x-amzn-query-error` and the query
 * protocol's `<Code>` carry.
 */
export function cloudWatchError(shape: CloudWatchErrorShape, message: string): AwsError {
  const { queryCode, status } = CLOUDWATCH_ERROR_SHAPES[shape];
  return new AwsError(`${SHAPE_PREFIX}${shape}`, message, { status, queryCode });
}

/**
 * The same error as the query protocol renders it: `Code` is the query code
 * (errors not made by {@linkcode cloudWatchError}, such as authentication
 * failures, keep their code).
 */
export function asQueryError(error: AwsError): AwsError {
  const code = error.queryCode ??
    (error.code.startsWith(SHAPE_PREFIX) ? error.code.slice(SHAPE_PREFIX.length) : error.code);
  if (code === error.code) return error;
  return new AwsError(code, error.message, {
    status: error.status,
    fault: error.fault,
    fields: { ...error.fields },
    headers: { ...error.headers },
  });
}
