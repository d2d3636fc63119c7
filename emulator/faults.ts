/**
 * Fault injection for tests and demos: make the next N requests to an
 * operation fail with a chosen status and error code, rendered in the
 * service's own error shape, so clients' retry paths can be exercised.
 *
 * Set faults with the `faults` option of `createEmulator()`, through
 * `emulator.faults`, or over HTTP (unsigned, emulator-only):
 *
 * - `POST /_emulator/faults` with `{"service":"s3","operation":"PutObject","status":503,"count":2}`
 *   -> 201 and the stored rule (with its `id`);
 * - `GET /_emulator/faults` -> `{"faults":[...]}` (rules with requests left);
 * - `DELETE /_emulator/faults` -> 204, clears them all.
 *
 * @module
 */
import { SERVICE_KEYS, type ServiceKey } from "./service.ts";

/** What to inject. */
export interface FaultSpec {
  /** Only requests to this service (`s3`, `sagemaker`, ...). Default: any service. */
  service?: ServiceKey;
  /** Only this wire operation (`PutObject`, `InvokeEndpointAsync`, ...). Default: any. */
  operation?: string;
  /** HTTP status of the injected error. Default 500. */
  status?: number;
  /** Error code. Default by status and service: 500 `InternalError` (S3) / `InternalFailure`, 503 `SlowDown` (S3) / `ServiceUnavailable`, 429 `ThrottlingException`. */
  code?: string;
  /** Error message. Default: says that the fault was injected. */
  message?: string;
  /** How many matching requests fail. Default 1. */
  count?: number;
}

/** A stored fault rule. */
export interface FaultRule {
  readonly id: number;
  readonly service: ServiceKey | undefined;
  readonly operation: string | undefined;
  readonly status: number;
  readonly code: string | undefined;
  readonly message: string;
  /** Matching requests still to fail. */
  remaining: number;
}

const KNOWN_SERVICES: ReadonlySet<string> = new Set(SERVICE_KEYS);

/**
 * The rules in force. Matching is by service and operation; each match uses
 * up one of the rule's `count`.
 *
 * @example
 * ```ts
 * import { FaultInjector } from "@sagemaker-async/toolkit/emulator";
 *
 * const faults = new FaultInjector();
 * faults.add({ service: "s3", operation: "PutObject", status: 503, count: 1 });
 * if (faults.take("s3", "GetObject")) throw new Error("wrong operation matched");
 * if (faults.take("s3", "PutObject")?.status !== 503) throw new Error("fault not taken");
 * if (faults.take("s3", "PutObject")) throw new Error("count not honoured");
 * ```
 */
export class FaultInjector {
  #rules: FaultRule[] = [];
  #nextId = 1;

  /** Whether any rule has requests left (a cheap check for the request path). */
  get active(): boolean {
    return this.#rules.length > 0;
  }

  /** Adds a rule; throws `TypeError`/`RangeError` naming the bad field. */
  add(spec: FaultSpec): FaultRule {
    if (typeof spec !== "object" || spec === null) {
      throw new TypeError(`Invalid fault ${JSON.stringify(spec)}: must be an object`);
    }
    if (spec.service !== undefined && !KNOWN_SERVICES.has(spec.service)) {
      throw new RangeError(
        `Invalid fault service ${JSON.stringify(spec.service)}: must be one of ${
          SERVICE_KEYS.join(", ")
        }`,
      );
    }
    if (spec.operation !== undefined && typeof spec.operation !== "string") {
      throw new TypeError(
        `Invalid fault operation ${JSON.stringify(spec.operation)}: must be a string`,
      );
    }
    const status = spec.status ?? 500;
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new RangeError(
        `Invalid fault status ${JSON.stringify(spec.status)}: must be an integer from 400 to 599`,
      );
    }
    const count = spec.count ?? 1;
    if (!Number.isInteger(count) || count < 1) {
      throw new RangeError(
        `Invalid fault count ${JSON.stringify(spec.count)}: must be an integer >= 1`,
      );
    }
    if (spec.code !== undefined && (typeof spec.code !== "string" || spec.code === "")) {
      throw new TypeError(
        `Invalid fault code ${JSON.stringify(spec.code)}: must be a non-empty string`,
      );
    }
    if (spec.message !== undefined && typeof spec.message !== "string") {
      throw new TypeError(
        `Invalid fault message ${JSON.stringify(spec.message)}: must be a string`,
      );
    }
    const rule: FaultRule = {
      id: this.#nextId++,
      service: spec.service,
      operation: spec.operation,
      status,
      code: spec.code,
      message: spec.message ?? `Fault injected by the emulator (status ${status})`,
      remaining: count,
    };
    this.#rules.push(rule);
    return rule;
  }

  /** Uses up one request of the first matching rule and returns it. */
  take(service: ServiceKey, operation: string): FaultRule | undefined {
    const index = this.#rules.findIndex((rule) =>
      (rule.service === undefined || rule.service === service) &&
      (rule.operation === undefined || rule.operation === operation)
    );
    if (index === -1) return undefined;
    const rule = this.#rules[index]!;
    rule.remaining--;
    if (rule.remaining === 0) this.#rules.splice(index, 1);
    return rule;
  }

  /** Rules with requests left. */
  list(): FaultRule[] {
    return this.#rules.map((rule) => ({ ...rule }));
  }

  /** Removes every rule. */
  clear(): void {
    this.#rules = [];
  }
}

/** The error code a fault uses when its rule names none. */
export function defaultFaultCode(status: number, service: ServiceKey): string {
  if (status === 503) return service === "s3" ? "SlowDown" : "ServiceUnavailable";
  if (status === 429) return "ThrottlingException";
  if (status >= 500) return service === "s3" ? "InternalError" : "InternalFailure";
  return "InjectedFault";
}
