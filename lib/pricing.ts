/**
 * What instance time costs: on-demand list prices of SageMaker hosting
 * instances, and what scaling to zero saved compared with keeping instances
 * running.
 *
 * @module
 */

/** An on-demand hourly price of one hosting instance type. */
export interface InstancePrice {
  /** Instance type, e.g. `ml.g5.12xlarge`. */
  readonly instanceType: string;
  /** US dollars per instance-hour. */
  readonly usdPerHour: number;
  /** Region the price is for. */
  readonly region: string;
  /** Where the figure comes from. */
  readonly source: string;
  /** Always false here: these are values common in public code, not read from AWS. */
  readonly confirmed: boolean;
  /** Anything else worth knowing about the figure. */
  readonly note?: string;
}

/** Where the authoritative prices are. */
export const PRICE_SOURCE =
  "values common in public code (reference §13), unconfirmed; authority: " +
  "https://aws.amazon.com/sagemaker/pricing/ and the AWS Price List " +
  "(AmazonSageMaker, productFamily ML Instance, platoinstancetype Hosting)";

function price(instanceType: string, usdPerHour: number, note?: string): InstancePrice {
  return Object.freeze({
    instanceType,
    usdPerHour,
    region: "us-east-1",
    source: PRICE_SOURCE,
    confirmed: false,
    ...(note !== undefined && { note }),
  });
}

/**
 * On-demand hosting list prices, us-east-1, **unconfirmed**: the values
 * common in public code, not read from AWS. Check the SageMaker pricing page
 * (or pass `pricePerHour`) before relying on a figure.
 */
export const ON_DEMAND_PRICES: Readonly<Record<string, InstancePrice>> = Object.freeze({
  "ml.g5.2xlarge": price("ml.g5.2xlarge", 1.515),
  "ml.g5.12xlarge": price("ml.g5.12xlarge", 7.09),
  "ml.g5.48xlarge": price("ml.g5.48xlarge", 20.36, "some lists give $22.74"),
  "ml.p4d.24xlarge": price("ml.p4d.24xlarge", 37.688),
});

/** Options for {@linkcode hourlyPrice}. */
export interface HourlyPriceOptions {
  /** The instance type. */
  instanceType: string;
  /** Your price per instance-hour (USD); overrides the table, and is needed for other types. */
  pricePerHour?: number;
}

/**
 * The price per instance-hour: `pricePerHour` if given, else the table's
 * ({@linkcode ON_DEMAND_PRICES}). An instance type the table does not know
 * is a `RangeError` that lists the known ones.
 *
 * @example
 * ```ts
 * import { hourlyPrice } from "@sagemaker-async/toolkit";
 *
 * if (hourlyPrice({ instanceType: "ml.g5.12xlarge" }) !== 7.09) throw new Error();
 * if (hourlyPrice({ instanceType: "ml.g6.xlarge", pricePerHour: 0.8 }) !== 0.8) throw new Error();
 * ```
 */
export function hourlyPrice(options: HourlyPriceOptions): number {
  const { instanceType, pricePerHour } = options;
  if (typeof instanceType !== "string" || instanceType === "") {
    throw new TypeError(
      `Invalid instanceType ${JSON.stringify(instanceType)}: must be a non-empty string`,
    );
  }
  if (pricePerHour !== undefined) {
    if (typeof pricePerHour !== "number" || !Number.isFinite(pricePerHour) || pricePerHour < 0) {
      throw new RangeError(
        `Invalid pricePerHour ${show(pricePerHour)}: must be a finite number >= 0 (USD)`,
      );
    }
    return pricePerHour;
  }
  const known = ON_DEMAND_PRICES[instanceType];
  if (known === undefined) {
    throw new RangeError(
      `No list price for ${JSON.stringify(instanceType)}: known instance types are ${
        Object.keys(ON_DEMAND_PRICES).join(", ")
      }; pass pricePerHour for others`,
    );
  }
  return known.usdPerHour;
}

/** Options for {@linkcode estimateCost}. */
export interface EstimateCostOptions extends HourlyPriceOptions {
  /** Instance-seconds used (one instance for an hour = 3600). */
  instanceSeconds: number;
}

/** What {@linkcode estimateCost} computed. */
export interface CostEstimate {
  /** US dollars. */
  readonly dollars: number;
  /** Instance-hours billed. */
  readonly instanceHours: number;
  /** The price per instance-hour used. */
  readonly pricePerHour: number;
  /** Whether the price came from `pricePerHour` (`given`) or the unconfirmed table (`list`). */
  readonly priceFrom: "given" | "list";
}

/**
 * The on-demand cost of some instance-seconds (instances are billed while
 * they exist; nothing at zero instances). S3, SNS and CloudWatch are not
 * included.
 *
 * @example
 * ```ts
 * import { estimateCost } from "@sagemaker-async/toolkit";
 *
 * const cost = estimateCost({ instanceType: "ml.g5.12xlarge", instanceSeconds: 1800 });
 * if (cost.dollars !== 3.545 || cost.priceFrom !== "list") throw new Error(String(cost.dollars));
 * ```
 */
export function estimateCost(options: EstimateCostOptions): CostEstimate {
  const pricePerHour = hourlyPrice(options);
  assertSeconds(options.instanceSeconds, "instanceSeconds");
  const instanceHours = options.instanceSeconds / 3600;
  return {
    dollars: instanceHours * pricePerHour,
    instanceHours,
    pricePerHour,
    priceFrom: options.pricePerHour === undefined ? "list" : "given",
  };
}

/** Options for {@linkcode compareWithAlwaysOn}. */
export interface CompareWithAlwaysOnOptions extends EstimateCostOptions {
  /** The span the instance-seconds were used in, s. */
  spanSeconds: number;
  /** Instances an always-on endpoint would keep running; default 1. */
  alwaysOnInstances?: number;
}

/** What scaling to zero cost compared with instances always on. */
export interface AlwaysOnComparison {
  /** Cost of the instance-seconds used. */
  readonly usedDollars: number;
  /** Cost of `alwaysOnInstances` instances over the whole span. */
  readonly alwaysOnDollars: number;
  /** `1 - used / alwaysOn` (0 when the span is empty; negative when more was used). */
  readonly savedFraction: number;
  /** Instance-seconds used. */
  readonly usedInstanceSeconds: number;
  /** Instance-seconds always-on instances would have used. */
  readonly alwaysOnInstanceSeconds: number;
  /** The price per instance-hour used. */
  readonly pricePerHour: number;
  /** Whether the price came from `pricePerHour` (`given`) or the unconfirmed table (`list`). */
  readonly priceFrom: "given" | "list";
}

/**
 * Compares the instance-seconds an endpoint used (e.g. from
 * `CapacityRecorder.instanceSeconds()`) with `alwaysOnInstances` instances
 * running for the whole span, in dollars at the on-demand price.
 *
 * @example Half an hour of one instance in a two-hour span
 * ```ts
 * import { compareWithAlwaysOn } from "@sagemaker-async/toolkit";
 *
 * const result = compareWithAlwaysOn({
 *   instanceType: "ml.g5.12xlarge",
 *   instanceSeconds: 1800,
 *   spanSeconds: 7200,
 * });
 * if (result.savedFraction !== 0.75) throw new Error(String(result.savedFraction));
 * if (result.alwaysOnDollars !== 14.18) throw new Error(String(result.alwaysOnDollars));
 * ```
 */
export function compareWithAlwaysOn(options: CompareWithAlwaysOnOptions): AlwaysOnComparison {
  const used = estimateCost(options);
  assertSeconds(options.spanSeconds, "spanSeconds");
  const alwaysOnInstances = options.alwaysOnInstances ?? 1;
  if (!Number.isInteger(alwaysOnInstances) || alwaysOnInstances < 1) {
    throw new RangeError(
      `Invalid alwaysOnInstances ${show(alwaysOnInstances)}: must be an integer >= 1`,
    );
  }
  const alwaysOnInstanceSeconds = options.spanSeconds * alwaysOnInstances;
  const alwaysOnDollars = alwaysOnInstanceSeconds / 3600 * used.pricePerHour;
  return {
    usedDollars: used.dollars,
    alwaysOnDollars,
    savedFraction: alwaysOnInstanceSeconds === 0
      ? 0
      : 1 - options.instanceSeconds / alwaysOnInstanceSeconds,
    usedInstanceSeconds: options.instanceSeconds,
    alwaysOnInstanceSeconds,
    pricePerHour: used.pricePerHour,
    priceFrom: used.priceFrom,
  };
}

function assertSeconds(value: unknown, name: string): asserts value is number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new RangeError(
      `Invalid ${name} ${show(value)}: must be a finite number of seconds >= 0`,
    );
  }
}

function show(value: unknown): string {
  return typeof value === "number" ? String(value) : JSON.stringify(value) ?? String(value);
}
