/**
 * Application Auto Scaling's state and behaviour for SageMaker variants:
 * scalable targets, scaling policies, scaling activities, and running
 * policies when CloudWatch alarms invoke them.
 *
 * - Capacity is the variant's desired instance count, as SageMaker reports
 *   it; a change calls `setDesiredInstanceCount` and records an activity
 *   (`InProgress` until SageMaker has fulfilled it: the variant's in-service
 *   count reaches it and the endpoint is `InService` again, with no instance
 *   launching or draining; then `Successful`. `Failed` with SageMaker's
 *   message when SageMaker refuses, e.g. while the endpoint is updating).
 * - Policies invoked in one round of alarm evaluations are resolved together
 *   per target: any scale-out wins over scale-in, and the largest capacity
 *   wins; the result is clamped to `[MinCapacity, MaxCapacity]`.
 * - Cooldowns are per policy and start when its activity completes (an
 *   activity still in progress counts as cooldown). During a scale-out
 *   cooldown a policy scales out again only to a capacity above the one its
 *   last scale-out set, and step scaling computes from the capacity before
 *   that scale-out (the capacity it added counts towards the next); during a
 *   scale-in cooldown the policy does not scale in. A scale-in cooldown never
 *   delays a scale-out.
 * - `DynamicScalingInSuspended` / `DynamicScalingOutSuspended` stop that
 *   direction.
 * - Persistence (section `autoscaling`): targets, policies (with their
 *   cooldown state) and activities are saved; API changes are durable before
 *   they are acknowledged, scaling activities are saved as they happen.
 *
 * @module
 */
import {
  type AutoScalingBackend,
  type CloudWatchBackend,
  type EmulatorContext,
  requireBackend,
} from "../context.ts";
import { AwsError } from "../errors.ts";
import type { ScheduledTask } from "../clock.ts";
import { SnapshotWriter } from "../persistence/snapshot_writer.ts";
import { autoScalingError } from "./parameters.ts";
import { aggregate, applyAdjustment, selectStep, type StepScalingConfig } from "./step_scaling.ts";
import { alarmNamePrefix, targetTrackingCapacity } from "./target_tracking.ts";

/** The scalable dimension this emulator models. */
export const VARIANT_DIMENSION = "sagemaker:variant:DesiredInstanceCount";
/** How often in-progress activities are checked for completion, ms. */
export const ACTIVITY_POLL_MS = 10_000;
/** Default cooldown for SageMaker variants, seconds. */
export const DEFAULT_COOLDOWN_SECONDS = 300;

/** A registered scalable target, as `DescribeScalableTargets` returns it. */
export interface ScalableTarget {
  readonly ServiceNamespace: "sagemaker";
  readonly ResourceId: string;
  readonly ScalableDimension: string;
  readonly MinCapacity: number;
  readonly MaxCapacity: number;
  readonly RoleARN: string;
  readonly CreationTime: Date;
  readonly SuspendedState: {
    readonly DynamicScalingInSuspended: boolean;
    readonly DynamicScalingOutSuspended: boolean;
    readonly ScheduledScalingSuspended: boolean;
  };
  readonly ScalableTargetARN: string;
}

/** A target tracking configuration as given (cooldowns default to 300 s). */
export interface TargetTrackingConfig {
  readonly TargetValue: number;
  readonly PredefinedMetricSpecification?: Record<string, unknown>;
  readonly CustomizedMetricSpecification?: Record<string, unknown>;
  readonly ScaleOutCooldown?: number;
  readonly ScaleInCooldown?: number;
  readonly DisableScaleIn?: boolean;
}

/** A scaling policy, as `DescribeScalingPolicies` returns it. */
export interface ScalingPolicy {
  readonly PolicyARN: string;
  readonly PolicyName: string;
  readonly ServiceNamespace: "sagemaker";
  readonly ResourceId: string;
  readonly ScalableDimension: string;
  readonly PolicyType: "StepScaling" | "TargetTrackingScaling";
  readonly StepScalingPolicyConfiguration?: StepScalingConfig;
  readonly TargetTrackingScalingPolicyConfiguration?: TargetTrackingConfig;
  readonly Alarms: ReadonlyArray<{ AlarmName: string; AlarmARN: string }>;
  readonly CreationTime: Date;
}

/** A scaling activity, as `DescribeScalingActivities` returns it. */
export interface ScalingActivity {
  readonly ActivityId: string;
  readonly ServiceNamespace: "sagemaker";
  readonly ResourceId: string;
  readonly ScalableDimension: string;
  readonly Description: string;
  readonly Cause: string;
  readonly StartTime: Date;
  EndTime?: Date;
  StatusCode: "Pending" | "InProgress" | "Successful" | "Overridden" | "Unfulfilled" | "Failed";
  StatusMessage?: string;
  readonly NotScaledReasons?: ReadonlyArray<Record<string, unknown>>;
}

interface ActivityRecord {
  readonly activity: ScalingActivity;
  /** The desired count it set, when it changed capacity. */
  readonly capacity: number | undefined;
  /** Whether it was a not-scaled record (only with `IncludeNotScaledActivities`). */
  readonly notScaled: boolean;
}

interface CooldownMark {
  readonly activity: ScalingActivity;
  readonly from: number;
  readonly to: number;
}

interface PolicyState {
  policy: ScalingPolicy;
  lastScaleOut?: CooldownMark;
  lastScaleIn?: CooldownMark;
  lastNotScaled?: string;
}

type Trigger = Parameters<AutoScalingBackend["executePolicy"]>[1];

interface Proposal {
  readonly state: PolicyState;
  readonly trigger: Trigger;
  readonly capacity: number;
}

/** Persistence section of Application Auto Scaling's state. */
export const AUTOSCALING_PERSISTENCE_SECTION = "autoscaling";

interface SavedMark {
  readonly activityId: string;
  readonly from: number;
  readonly to: number;
}

/** What is saved (dates as ISO strings once serialised). */
interface SavedAutoScaling {
  readonly version: 1;
  readonly targets: ScalableTarget[];
  readonly policies: Array<{
    policy: ScalingPolicy;
    lastScaleOut?: SavedMark;
    lastScaleIn?: SavedMark;
  }>;
  readonly activities: ActivityRecord[];
}

/** The key of a scalable target. */
export function targetKey(resourceId: string, dimension: string): string {
  return `${resourceId}|${dimension}`;
}

/** `endpoint/<name>/variant/<variant>` split, or `undefined`. */
export function parseVariantResourceId(
  resourceId: string,
): { endpointName: string; variantName: string } | undefined {
  const m = /^endpoint\/([^/]+)\/variant\/([^/]+)$/.exec(resourceId);
  return m ? { endpointName: m[1]!, variantName: m[2]! } : undefined;
}

/** Application Auto Scaling's in-memory backend. */
export class ApplicationAutoScaling implements AutoScalingBackend {
  readonly #context: EmulatorContext;
  readonly #targets = new Map<string, ScalableTarget>();
  readonly #policies = new Map<string, PolicyState>();
  #activities: ActivityRecord[] = [];
  #poll: ScheduledTask | undefined;
  #closed = false;
  readonly #writer: SnapshotWriter;

  constructor(context: EmulatorContext) {
    this.#context = context;
    const mark = (m: CooldownMark | undefined): SavedMark | undefined =>
      m && { activityId: m.activity.ActivityId, from: m.from, to: m.to };
    this.#writer = new SnapshotWriter({
      persistence: context.persistence,
      section: AUTOSCALING_PERSISTENCE_SECTION,
      snapshot: (): SavedAutoScaling => ({
        version: 1,
        targets: this.targets(),
        policies: [...this.#policies.values()].map((s) => ({
          policy: s.policy,
          lastScaleOut: mark(s.lastScaleOut),
          lastScaleIn: mark(s.lastScaleIn),
        })),
        activities: this.#activities,
      }),
    });
  }

  /** Loads saved state, if any, and resumes watching activities in progress. */
  async load(): Promise<void> {
    const saved = await this.#context.persistence.load<SavedAutoScaling>(
      AUTOSCALING_PERSISTENCE_SECTION,
    );
    if (!saved) return;
    const date = (value: unknown) => new Date(value as string);
    for (const t of saved.targets) this.saveTarget({ ...t, CreationTime: date(t.CreationTime) });
    this.#activities = saved.activities.map((r) => ({
      ...r,
      activity: {
        ...r.activity,
        StartTime: date(r.activity.StartTime),
        ...(r.activity.EndTime === undefined ? {} : { EndTime: date(r.activity.EndTime) }),
      },
    }));
    const byId = new Map(this.#activities.map((r) => [r.activity.ActivityId, r.activity]));
    const mark = (m: SavedMark | undefined): CooldownMark | undefined => {
      const activity = m && byId.get(m.activityId);
      return activity && { activity, from: m.from, to: m.to };
    };
    for (const p of saved.policies) {
      this.#policies.set(p.policy.PolicyARN, {
        policy: { ...p.policy, CreationTime: date(p.policy.CreationTime) },
        lastScaleOut: mark(p.lastScaleOut),
        lastScaleIn: mark(p.lastScaleIn),
      });
    }
    this.#refreshActivities();
  }

  /** Resolves once every change so far is durable (at once without a data directory). */
  commit(): Promise<void> {
    return this.#writer.commit();
  }

  /** Waits for pending saves. */
  flush(): Promise<void> {
    return this.#writer.flush();
  }

  #changed(): void {
    this.#writer.commitInBackground(this.#context);
  }

  /** Emulated now. */
  now(): number {
    return this.#context.clock.now();
  }

  /** The emulator's configuration. */
  get config(): EmulatorContext["config"] {
    return this.#context.config;
  }

  /** Stops background work. */
  stop(): void {
    this.#closed = true;
    this.#poll?.cancel();
  }

  /** A target by resource id and dimension. */
  target(resourceId: string, dimension: string): ScalableTarget | undefined {
    return this.#targets.get(targetKey(resourceId, dimension));
  }

  /** Every target, in registration order. */
  targets(): ScalableTarget[] {
    return [...this.#targets.values()];
  }

  /** Stores a target (new or updated). */
  saveTarget(target: ScalableTarget): void {
    this.#targets.set(targetKey(target.ResourceId, target.ScalableDimension), target);
  }

  /** Removes a target with its policies and their alarms. */
  removeTarget(resourceId: string, dimension: string): void {
    for (const state of [...this.#policies.values()]) {
      const p = state.policy;
      if (p.ResourceId === resourceId && p.ScalableDimension === dimension) {
        this.removePolicy(p.PolicyARN);
      }
    }
    this.#targets.delete(targetKey(resourceId, dimension));
  }

  /** Every policy, in creation order. */
  policies(): ScalingPolicy[] {
    return [...this.#policies.values()].map((s) => s.policy);
  }

  /** A policy of a target by name. */
  policy(resourceId: string, dimension: string, name: string): ScalingPolicy | undefined {
    return this.policies().find((p) =>
      p.ResourceId === resourceId && p.ScalableDimension === dimension && p.PolicyName === name
    );
  }

  /** Stores a policy (new or replacing one with the same ARN). */
  savePolicy(policy: ScalingPolicy): void {
    const existing = this.#policies.get(policy.PolicyARN);
    if (existing) existing.policy = policy;
    else this.#policies.set(policy.PolicyARN, { policy });
  }

  /** Removes a policy and deletes the alarms target tracking created for it. */
  removePolicy(policyArn: string): void {
    const state = this.#policies.get(policyArn);
    if (!state) return;
    this.#policies.delete(policyArn);
    if (state.policy.PolicyType === "TargetTrackingScaling" && state.policy.Alarms.length > 0) {
      this.#context.cloudwatch?.deleteAlarms(state.policy.Alarms.map((a) => a.AlarmName));
    }
  }

  /** Every activity (newest first), optionally with not-scaled records. */
  activities(includeNotScaled: boolean): ScalingActivity[] {
    this.#refreshActivities();
    return this.#activities
      .filter((r) => includeNotScaled || !r.notScaled)
      .map((r) => r.activity)
      .reverse();
  }

  /** CloudWatch, which holds target tracking's alarms. */
  cloudWatch(): CloudWatchBackend {
    return requireBackend(this.#context, "cloudwatch");
  }

  /** Whether SageMaker reports the endpoint as asynchronous. */
  isAsyncEndpoint(endpointName: string): boolean {
    return this.#context.sagemaker?.isAsync(endpointName) ?? false;
  }

  /** The variant's desired instance count, or `undefined` if it is gone. */
  currentCapacity(resourceId: string): number | undefined {
    const ids = parseVariantResourceId(resourceId);
    if (!ids) return undefined;
    const variant = this.#context.sagemaker?.variants(ids.endpointName)
      .find((v) => v.variantName === ids.variantName);
    return variant?.desiredInstanceCount;
  }

  /**
   * Sets a target's capacity outside any policy (a new `MinCapacity` above
   * or `MaxCapacity` below the current count) and records the activity.
   */
  setCapacity(target: ScalableTarget, capacity: number, cause: string): ScalingActivity {
    return this.#scale(target, capacity, cause).activity;
  }

  /** Removes targets of a deleted endpoint, with their policies and alarms. */
  endpointDeleted(endpointName: string): void {
    for (const target of this.targets()) {
      if (parseVariantResourceId(target.ResourceId)?.endpointName !== endpointName) continue;
      this.removeTarget(target.ResourceId, target.ScalableDimension);
      this.#changed();
    }
    // SageMaker no longer lists the endpoint: its activities in progress fail.
    this.#refreshActivities();
  }

  /** {@inheritDoc AutoScalingBackend.executePolicy} */
  async executePolicy(policyArn: string, trigger: Trigger): Promise<void> {
    await this.executePolicies([{ policyArn, trigger }]);
  }

  /** {@inheritDoc AutoScalingBackend.executePolicies} */
  executePolicies(
    invocations: ReadonlyArray<{ policyArn: string; trigger: Trigger }>,
  ): Promise<Array<{ outcome: "executed" | "not-found"; message?: string }>> {
    this.#refreshActivities();
    const results: Array<{ outcome: "executed" | "not-found"; message?: string }> = [];
    const byTarget = new Map<string, Proposal[]>();
    for (const { policyArn, trigger } of invocations) {
      const state = this.#policies.get(policyArn);
      if (!state) {
        results.push({ outcome: "not-found", message: `No scaling policy found for ${policyArn}` });
        continue;
      }
      results.push({ outcome: "executed" });
      const policy = state.policy;
      const target = this.target(policy.ResourceId, policy.ScalableDimension);
      const current = this.currentCapacity(policy.ResourceId);
      if (!target || current === undefined) continue;
      const capacity = this.#propose(state, trigger, current);
      if (capacity === undefined) continue;
      const key = targetKey(policy.ResourceId, policy.ScalableDimension);
      let list = byTarget.get(key);
      if (!list) byTarget.set(key, list = []);
      list.push({ state, trigger, capacity });
    }
    for (const [key, proposals] of byTarget) {
      const target = this.#targets.get(key);
      const current = target && this.currentCapacity(target.ResourceId);
      if (!target || current === undefined) continue;
      this.#resolve(target, current, proposals);
    }
    return Promise.resolve(results);
  }

  #cooldownActive(mark: CooldownMark | undefined, cooldownSeconds: number): boolean {
    if (!mark) return false;
    const a = mark.activity;
    if (a.StatusCode === "InProgress" || a.StatusCode === "Pending") return true;
    if (a.StatusCode !== "Successful" || !a.EndTime) return false;
    return this.now() < a.EndTime.getTime() + cooldownSeconds * 1000;
  }

  #propose(state: PolicyState, trigger: Trigger, current: number): number | undefined {
    const policy = state.policy;
    const stateValue = trigger.stateValue ?? "ALARM";
    if (policy.PolicyType === "TargetTrackingScaling") {
      const config = policy.TargetTrackingScalingPolicyConfiguration!;
      if (stateValue !== "ALARM" || trigger.metricValue === undefined) return undefined;
      const own = policy.Alarms.some((a) => a.AlarmName === trigger.alarmName);
      const high = own && trigger.alarmName.startsWith(alarmNamePrefix(policy.ResourceId, "High"));
      const low = own && trigger.alarmName.startsWith(alarmNamePrefix(policy.ResourceId, "Low"));
      if (high) {
        const wanted = targetTrackingCapacity({
          current,
          metricValue: trigger.metricValue,
          targetValue: config.TargetValue,
          direction: "out",
        });
        if (wanted === undefined) return undefined;
        if (
          this.#cooldownActive(
            state.lastScaleOut,
            config.ScaleOutCooldown ?? DEFAULT_COOLDOWN_SECONDS,
          ) &&
          wanted <= state.lastScaleOut!.to
        ) return undefined;
        return wanted;
      }
      if (low && !config.DisableScaleIn) {
        const cooldown = config.ScaleInCooldown ?? DEFAULT_COOLDOWN_SECONDS;
        if (this.#cooldownActive(state.lastScaleIn, cooldown)) return undefined;
        return targetTrackingCapacity({
          current,
          metricValue: trigger.metricValue,
          targetValue: config.TargetValue,
          direction: "in",
        });
      }
      return undefined;
    }
    const config = policy.StepScalingPolicyConfiguration!;
    const values = trigger.metricValues ??
      (trigger.metricValue === undefined ? [] : [trigger.metricValue]);
    const value = aggregate(values, config.MetricAggregationType ?? "Average");
    if (value === undefined) return undefined;
    const step = selectStep(config.StepAdjustments, value - (trigger.threshold ?? 0));
    if (!step) return undefined;
    const cooldown = config.Cooldown ?? DEFAULT_COOLDOWN_SECONDS;
    const outCooling = this.#cooldownActive(state.lastScaleOut, cooldown);
    const inCooling = this.#cooldownActive(state.lastScaleIn, cooldown);
    const plain = applyAdjustment(config, current, step.ScalingAdjustment);
    if (plain > current) {
      if (!outCooling) return plain;
      const fromBase = applyAdjustment(config, state.lastScaleOut!.from, step.ScalingAdjustment);
      return fromBase > current ? fromBase : undefined;
    }
    if (plain < current) return inCooling || outCooling ? undefined : plain;
    return undefined;
  }

  #resolve(target: ScalableTarget, current: number, proposals: readonly Proposal[]): void {
    const clamp = (n: number) =>
      Math.min(target.MaxCapacity, Math.max(target.MinCapacity, Math.round(n)));
    const outs = proposals.filter((p) => p.capacity > current);
    const ins = proposals.filter((p) => p.capacity < current);
    const suspended = target.SuspendedState;
    const candidates = outs.length > 0
      ? (suspended.DynamicScalingOutSuspended ? [] : outs)
      : (suspended.DynamicScalingInSuspended ? [] : ins);
    if (candidates.length === 0) return;
    const winner = candidates.reduce((a, b) => (b.capacity > a.capacity ? b : a));
    const capacity = clamp(winner.capacity);
    const cause =
      `monitor alarm ${winner.trigger.alarmName} in state ${
        winner.trigger.stateValue ?? "ALARM"
      } ` +
      `triggered policy ${winner.state.policy.PolicyName}`;
    if (capacity === current) {
      this.#recordNotScaled(target, winner, current, cause);
      return;
    }
    const { activity, changed } = this.#scale(target, capacity, cause);
    if (!changed) return;
    const mark: CooldownMark = { activity, from: current, to: capacity };
    if (capacity > current) winner.state.lastScaleOut = mark;
    else winner.state.lastScaleIn = mark;
    winner.state.lastNotScaled = undefined;
  }

  #recordNotScaled(
    target: ScalableTarget,
    winner: Proposal,
    current: number,
    cause: string,
  ): void {
    const atMax = winner.capacity > current;
    const code = atMax ? "AlreadyAtMaxCapacity" : "AlreadyAtMinCapacity";
    const signature = `${code}:${current}:${winner.trigger.alarmName}`;
    if (winner.state.lastNotScaled === signature) return;
    winner.state.lastNotScaled = signature;
    const now = new Date(this.now());
    this.#activities.push({
      activity: {
        ActivityId: this.#context.newId(),
        ServiceNamespace: "sagemaker",
        ResourceId: target.ResourceId,
        ScalableDimension: target.ScalableDimension,
        Description: "Attempting to scale due to alarm triggered",
        Cause: cause,
        StartTime: now,
        EndTime: now,
        StatusCode: "Failed",
        StatusMessage: `Failed to set desired instance count to ${winner.capacity}`,
        NotScaledReasons: [
          atMax
            ? { Code: code, MaxCapacity: target.MaxCapacity, CurrentCapacity: current }
            : { Code: code, MinCapacity: target.MinCapacity, CurrentCapacity: current },
        ],
      },
      capacity: undefined,
      notScaled: true,
    });
    this.#changed();
  }

  #scale(
    target: ScalableTarget,
    capacity: number,
    cause: string,
  ): { activity: ScalingActivity; changed: boolean } {
    const ids = parseVariantResourceId(target.ResourceId)!;
    const now = new Date(this.now());
    const activity: ScalingActivity = {
      ActivityId: this.#context.newId(),
      ServiceNamespace: "sagemaker",
      ResourceId: target.ResourceId,
      ScalableDimension: target.ScalableDimension,
      Description: `Setting desired instance count to ${capacity}.`,
      Cause: cause,
      StartTime: now,
      StatusCode: "InProgress",
    };
    this.#activities.push({ activity, capacity, notScaled: false });
    this.#changed();
    try {
      const sagemaker = this.#context.sagemaker;
      if (!sagemaker) {
        throw autoScalingError(
          "FailedResourceAccessException",
          "The SageMaker service is not running in this emulator",
        );
      }
      sagemaker.setDesiredInstanceCount(ids.endpointName, ids.variantName, capacity);
    } catch (error) {
      activity.StatusCode = "Failed";
      activity.EndTime = now;
      activity.StatusMessage = `Failed to set desired instance count to ${capacity}. Reason: ${
        error instanceof Error ? error.message : String(error)
      }`;
      if (!(error instanceof AwsError)) this.#context.reportError(error);
      return { activity, changed: false };
    }
    for (const record of this.#activities) {
      const other = record.activity;
      if (
        other !== activity && other.ResourceId === target.ResourceId &&
        other.StatusCode === "InProgress"
      ) {
        other.StatusCode = "Overridden";
        other.EndTime = now;
        other.StatusMessage = `Overridden by activity ${activity.ActivityId}.`;
      }
    }
    this.#refreshActivities();
    return { activity, changed: true };
  }

  /**
   * Completes in-progress activities SageMaker has fulfilled: the capacity is
   * in service and the endpoint is `InService` again (busy instances removed
   * at a scale-in have drained).
   */
  #refreshActivities(): void {
    const sagemaker = this.#context.sagemaker;
    let pending = false;
    for (const record of this.#activities) {
      const a = record.activity;
      if (a.StatusCode !== "InProgress" || record.capacity === undefined) continue;
      const ids = parseVariantResourceId(a.ResourceId)!;
      const variant = sagemaker?.variants(ids.endpointName)
        .find((v) => v.variantName === ids.variantName);
      if (!variant) {
        a.StatusCode = "Failed";
        a.EndTime = new Date(this.now());
        a.StatusMessage = `Failed to set desired instance count to ${record.capacity}. ` +
          `Reason: endpoint ${ids.endpointName} no longer exists.`;
      } else if (variant.desiredInstanceCount !== record.capacity) {
        a.StatusCode = "Overridden";
        a.EndTime = new Date(this.now());
        a.StatusMessage =
          `Desired instance count was changed to ${variant.desiredInstanceCount} outside this activity.`;
      } else if (
        variant.currentInstanceCount === record.capacity &&
        sagemaker?.endpointStatus(ids.endpointName) === "InService"
      ) {
        a.StatusCode = "Successful";
        a.EndTime = new Date(this.now());
        a.StatusMessage = `Successfully set desired instance count to ${record.capacity}. ` +
          "Change successfully fulfilled by sagemaker.";
      } else pending = true;
      if (a.StatusCode !== "InProgress") this.#changed();
    }
    if (pending && !this.#poll && !this.#closed) {
      this.#poll = this.#context.clock.schedule(this.now() + ACTIVITY_POLL_MS, () => {
        this.#poll = undefined;
        this.#refreshActivities();
      });
    }
  }
}
