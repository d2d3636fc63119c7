/**
 * SageMaker's request validation, with its exact wording: constraint
 * violations are collected and reported together as one
 * `ValidationException` ("2 validation errors detected: Value 'x y' at
 * 'endpointName' failed to satisfy constraint: Member must satisfy regular
 * expression pattern: ...; ..."), wrong JSON types are a
 * `SerializationException`, and missing resources are the
 * `ValidationException`s SageMaker really sends ("Could not find endpoint
 * \"x\".") rather than the modeled `ResourceNotFound`.
 *
 * @module
 */
import { AwsError } from "../errors.ts";
import { constraintViolation } from "../protocols/parameters.ts";

/** Endpoint, endpoint config and variant names. */
export const ENDPOINT_NAME_PATTERN = "^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}";
/** Model names. */
export const MODEL_NAME_PATTERN = "^[a-zA-Z0-9]([\\-a-zA-Z0-9]*[a-zA-Z0-9])?";
/** S3 URIs in model data and async output paths. */
export const S3_URI_PATTERN = "^(https|s3)://([^/]+)/?(.*)$";
/** IAM role ARNs. */
export const ROLE_ARN_PATTERN = "^arn:aws[a-z\\-]*:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+$";
/** SNS topic ARNs. */
export const SNS_TOPIC_ARN_PATTERN = "arn:aws[a-z\\-]*:sns:[a-z0-9\\-]*:[0-9]{12}:[a-zA-Z0-9_.-]+";
/** SageMaker resource ARNs (tagging). */
export const SAGEMAKER_ARN_PATTERN = "arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:.+";
/** Tag keys and values. */
export const TAG_PATTERN = "^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$";

const compiled = new Map<string, RegExp>();
function fullMatch(pattern: string, value: string): boolean {
  let re = compiled.get(pattern);
  if (!re) {
    re = new RegExp(`^(?:${pattern})$`, "u");
    compiled.set(pattern, re);
  }
  return re.test(value);
}

/** String constraints. */
export interface StringRule {
  required?: boolean;
  min?: number;
  max?: number;
  pattern?: string;
  values?: readonly string[];
}

/** `EndpointName`, `EndpointConfigName` and `VariantName` members: required, 63 characters. */
export const ENDPOINT_NAME_RULE: Readonly<StringRule> = {
  required: true,
  max: 63,
  pattern: ENDPOINT_NAME_PATTERN,
};

/** `ModelName` members: required, 63 characters. */
export const MODEL_NAME_RULE: Readonly<StringRule> = {
  required: true,
  max: 63,
  pattern: MODEL_NAME_PATTERN,
};

/** Number constraints. */
export interface NumberRule {
  required?: boolean;
  min?: number;
  max?: number;
  integer?: boolean;
}

function serialization(path: string, expected: string, value: unknown): AwsError {
  return new AwsError(
    "SerializationException",
    `Expected ${expected} at '${path}' but got ${JSON.stringify(value)}`,
  );
}

/**
 * Collects constraint violations for one request, in AWS's format, and
 * throws them together.
 *
 * @example
 * ```ts
 * import { RequestValidator } from "@sagemaker-async/toolkit/emulator";
 *
 * const v = new RequestValidator();
 * v.string("x y", "endpointName", { required: true, max: 63, pattern: "^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}" });
 * try {
 *   v.throwIfInvalid();
 *   throw new Error("should have thrown");
 * } catch (error) {
 *   if (!String((error as Error).message).startsWith("1 validation error detected: Value 'x y' at 'endpointName'")) throw error;
 * }
 * ```
 */
export class RequestValidator {
  readonly #errors: string[] = [];

  /** Records a violation. */
  fail(value: unknown, path: string, constraint: string): void {
    this.#errors.push(constraintViolation(path, value, constraint));
  }

  /** Validates a string member; returns it (or `undefined` when absent). */
  string(value: unknown, path: string, rule: StringRule = {}): string | undefined {
    if (value === undefined || value === null) {
      if (rule.required) this.fail(value, path, "Member must not be null");
      return undefined;
    }
    if (typeof value !== "string") throw serialization(path, "a string", value);
    if (rule.min !== undefined && value.length < rule.min) {
      this.fail(value, path, `Member must have length greater than or equal to ${rule.min}`);
    }
    if (rule.max !== undefined && value.length > rule.max) {
      this.fail(value, path, `Member must have length less than or equal to ${rule.max}`);
    }
    if (rule.pattern !== undefined && !fullMatch(rule.pattern, value)) {
      this.fail(value, path, `Member must satisfy regular expression pattern: ${rule.pattern}`);
    }
    if (rule.values !== undefined && !rule.values.includes(value)) {
      this.fail(value, path, `Member must satisfy enum value set: [${rule.values.join(", ")}]`);
    }
    return value;
  }

  /** Validates a number member. */
  number(value: unknown, path: string, rule: NumberRule = {}): number | undefined {
    if (value === undefined || value === null) {
      if (rule.required) this.fail(value, path, "Member must not be null");
      return undefined;
    }
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw serialization(path, "a number", value);
    }
    if (rule.integer && !Number.isInteger(value)) {
      throw serialization(path, "an integer", value);
    }
    if (rule.min !== undefined && value < rule.min) {
      this.fail(value, path, `Member must have value greater than or equal to ${rule.min}`);
    }
    if (rule.max !== undefined && value > rule.max) {
      this.fail(value, path, `Member must have value less than or equal to ${rule.max}`);
    }
    return value;
  }

  /** Validates a boolean member. */
  boolean(value: unknown, path: string): boolean | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "boolean") throw serialization(path, "a boolean", value);
    return value;
  }

  /** Validates the length of a binary member (a payload), reported as `'<n> bytes'`. */
  blob(value: Uint8Array, path: string, rule: { max: number }): void {
    if (value.length > rule.max) {
      this.fail(
        `${value.length} bytes`,
        path,
        `Member must have length less than or equal to ${rule.max}`,
      );
    }
  }

  /** Validates a structure member. */
  object(
    value: unknown,
    path: string,
    rule: { required?: boolean } = {},
  ): Record<string, unknown> | undefined {
    if (value === undefined || value === null) {
      if (rule.required) this.fail(value, path, "Member must not be null");
      return undefined;
    }
    if (typeof value !== "object" || Array.isArray(value)) {
      throw serialization(path, "a structure", value);
    }
    return value as Record<string, unknown>;
  }

  /** Validates a list member and its length. */
  list(
    value: unknown,
    path: string,
    rule: { required?: boolean; min?: number; max?: number } = {},
  ): unknown[] | undefined {
    if (value === undefined || value === null) {
      if (rule.required) this.fail(value, path, "Member must not be null");
      return undefined;
    }
    if (!Array.isArray(value)) throw serialization(path, "a list", value);
    if (rule.min !== undefined && value.length < rule.min) {
      this.fail(value, path, `Member must have length greater than or equal to ${rule.min}`);
    }
    if (rule.max !== undefined && value.length > rule.max) {
      this.fail(value, path, `Member must have length less than or equal to ${rule.max}`);
    }
    return value;
  }

  /** Validates a string-to-string map: entry count, key and value rules. */
  stringMap(
    value: unknown,
    path: string,
    rule: { maxEntries?: number; key?: StringRule; value?: StringRule } = {},
  ): Record<string, string> | undefined {
    const map = this.object(value, path);
    if (!map) return undefined;
    const entries = Object.entries(map);
    if (rule.maxEntries !== undefined && entries.length > rule.maxEntries) {
      this.fail(map, path, `Member must have length less than or equal to ${rule.maxEntries}`);
    }
    for (const [k, v] of entries) {
      if (typeof v !== "string") throw serialization(`${path}.${k}`, "a string", v);
      if (rule.key?.max !== undefined && k.length > rule.key.max) {
        this.fail(
          map,
          path,
          `Map keys must satisfy constraint: [Member must have length less than or equal to ${rule.key.max}]`,
        );
      }
      if (rule.key?.pattern !== undefined && !fullMatch(rule.key.pattern, k)) {
        this.fail(
          map,
          path,
          `Map keys must satisfy constraint: [Member must satisfy regular expression pattern: ${rule.key.pattern}]`,
        );
      }
      if (rule.value?.max !== undefined && v.length > rule.value.max) {
        this.fail(
          map,
          path,
          `Map value must satisfy constraint: [Member must have length less than or equal to ${rule.value.max}]`,
        );
      }
    }
    return map as Record<string, string>;
  }

  /** Validates a `Tags` list (at most 50 tags, AWS's key and value rules). */
  tags(value: unknown, path: string): Array<{ Key: string; Value: string }> | undefined {
    const list = this.list(value, path, { max: 50 });
    if (!list) return undefined;
    return list.map((item, i) => {
      const at = `${path}.${i + 1}.member`;
      const tag = this.object(item, at, { required: true }) ?? {};
      const key = this.string(tag.Key, `${at}.key`, {
        required: true,
        min: 1,
        max: 128,
        pattern: TAG_PATTERN,
      });
      const val = this.string(tag.Value, `${at}.value`, { max: 256, pattern: TAG_PATTERN });
      return { Key: key ?? "", Value: val ?? "" };
    });
  }

  /**
   * Throws the collected violations as one error: `ValidationException`
   * (SageMaker) or the code given (`ValidationError` for SageMaker Runtime).
   */
  throwIfInvalid(code = "ValidationException"): void {
    const n = this.#errors.length;
    if (n === 0) return;
    throw new AwsError(
      code,
      `${n} validation error${n === 1 ? "" : "s"} detected: ${this.#errors.join("; ")}`,
    );
  }
}

/** A plain `ValidationException` with SageMaker's wording. */
export function validationException(message: string): AwsError {
  return new AwsError("ValidationException", message);
}

/** `Could not find model "<arn>".` */
export function modelNotFound(arn: string): AwsError {
  return validationException(`Could not find model "${arn}".`);
}

/** `Could not find endpoint configuration "<arn>".` */
export function endpointConfigNotFound(arn: string): AwsError {
  return validationException(`Could not find endpoint configuration "${arn}".`);
}

/** `Could not find endpoint "<name>".` (the SDK waiters rely on this error). */
export function endpointNotFound(name: string): AwsError {
  return validationException(`Could not find endpoint "${name}".`);
}

/** `Cannot create already existing <kind> "<arn>".` */
export function alreadyExists(
  kind: "model" | "endpoint configuration" | "endpoint",
  arn: string,
): AwsError {
  return validationException(`Cannot create already existing ${kind} "${arn}".`);
}
