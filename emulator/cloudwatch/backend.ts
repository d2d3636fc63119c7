/**
 * CloudWatch's state and background work: the metric store, the alarms and
 * their history, and the minute tick that first runs the metric collectors
 * (SageMaker's published metrics) and then evaluates every alarm and runs
 * its actions.
 *
 * Persistence (section `cloudwatch`): alarms, their history and the data
 * points of custom namespaces are saved; an API change is durable before it
 * is acknowledged, background changes (alarm transitions) are saved as they
 * happen. Metrics in `AWS/` namespaces (SageMaker's, re-published every
 * minute) are not saved.
 *
 * Timing: collectors run every `timings.metricPeriodMs` and alarms are
 * evaluated every 60 s, both on multiples of their interval since the epoch;
 * when both fall on the same instant the collectors run first, so an
 * evaluation at 10:02:00 already sees the data point for 10:01-10:02.
 *
 * Actions: on every transition the new state's actions run (SNS topics get
 * CloudWatch's JSON alarm message; other ARNs are recorded in the history as
 * not supported). Application Auto Scaling policy ARNs
 * (`arn:aws:autoscaling:...`) are invoked again at every evaluation while the
 * alarm stays in that state, as CloudWatch does for scaling actions;
 * re-invocations are not written to the history, transitions are.
 *
 * @module
 */
import type {
  AutoScalingBackend,
  CloudWatchBackend,
  EmulatorContext,
  MetricDatum,
} from "../context.ts";
import type { ScheduledTask } from "../clock.ts";
import type { AlarmState, MetricAlarm, MetricAlarmDefinition } from "./alarm.ts";
import { type AlarmEvaluation, evaluateAlarm, evaluationRange } from "./evaluate_alarm.ts";
import { type MetricIdentity, MetricStore, type SeriesPoint } from "./metric_store.ts";
import { parseStatistic, type Sample, singleValueSample, type Statistic } from "./statistics.ts";
import { cloudWatchError } from "./errors.ts";
import { parseMetricAlarmInput } from "./PutMetricAlarm.ts";
import type { Members } from "./parameters.ts";
import { SnapshotWriter } from "../persistence/snapshot_writer.ts";

/** Persistence section of CloudWatch's state. */
export const CLOUDWATCH_PERSISTENCE_SECTION = "cloudwatch";

/** What is saved (dates as ISO strings once serialised). */
interface SavedCloudWatch {
  readonly version: 1;
  readonly alarms: MetricAlarm[];
  readonly history: AlarmHistoryItem[];
  readonly metrics: ReturnType<MetricStore["export"]>;
}

const ALARM_DATES = [
  "AlarmConfigurationUpdatedTimestamp",
  "StateUpdatedTimestamp",
  "StateTransitionedTimestamp",
] as const;

/** How often alarms are evaluated, ms. */
export const ALARM_EVALUATION_INTERVAL_MS = 60_000;

/** How long alarm history is kept, ms (two weeks, as CloudWatch). */
export const HISTORY_RETENTION_MS = 14 * 24 * 3_600_000;

/** The most alarms one emulator holds (`LimitExceeded` beyond). */
export const ALARM_LIMIT = 10_000;

/** One `DescribeAlarmHistory` item. */
export interface AlarmHistoryItem {
  readonly AlarmName: string;
  readonly AlarmType: "MetricAlarm";
  readonly Timestamp: Date;
  readonly HistoryItemType: "ConfigurationUpdate" | "StateUpdate" | "Action";
  readonly HistorySummary: string;
  readonly HistoryData: string;
}

/** Runs before each alarm evaluation with the end of the period just closed. */
export type MetricCollector = (periodEnd: number) => void;

/** What an alarm reads: a metric, a period and a statistic. */
export interface AlarmMetric {
  readonly metric: MetricIdentity;
  readonly periodMs: number;
  readonly statistic: Statistic;
  readonly unit?: string;
}

/** The metric, period and statistic an alarm definition evaluates. */
export function alarmMetric(alarm: MetricAlarmDefinition): AlarmMetric {
  if (alarm.MetricName !== undefined && alarm.Namespace !== undefined) {
    const statText = alarm.Statistic ?? alarm.ExtendedStatistic ?? "";
    return {
      metric: {
        namespace: alarm.Namespace,
        metricName: alarm.MetricName,
        dimensions: alarm.Dimensions,
      },
      periodMs: (alarm.Period ?? 60) * 1000,
      statistic: parseStatistic(statText)!,
      unit: alarm.Unit,
    };
  }
  const query = (alarm.Metrics ?? []).find((q) => q.ReturnData !== false);
  const stat = query?.MetricStat;
  if (!stat) throw new Error(`Alarm ${alarm.AlarmName} has no metric to evaluate`);
  return {
    metric: {
      namespace: stat.Metric.Namespace,
      metricName: stat.Metric.MetricName,
      dimensions: stat.Metric.Dimensions,
    },
    periodMs: stat.Period * 1000,
    statistic: parseStatistic(stat.Stat)!,
    unit: stat.Unit,
  };
}

type Trigger = Parameters<AutoScalingBackend["executePolicy"]>[1];

interface PendingInvocation {
  readonly alarm: MetricAlarm;
  readonly policyArn: string;
  readonly trigger: Trigger;
  /** Whether this run follows a transition (and is logged). */
  readonly logged: boolean;
}

const AUTOSCALING_ARN = /^arn:aws[a-z-]*:autoscaling:/;
const SNS_ARN = /^arn:aws[a-z-]*:sns:/;

/** CloudWatch's in-memory backend. */
export class CloudWatch implements CloudWatchBackend {
  /** The metric store. */
  readonly metrics: MetricStore = new MetricStore();
  readonly #context: EmulatorContext;
  readonly #alarms = new Map<string, MetricAlarm>();
  #history: AlarmHistoryItem[] = [];
  readonly #collectors: MetricCollector[] = [];
  #task: ScheduledTask | undefined;
  #nextCollect = 0;
  #nextEvaluate = 0;
  #closed = false;
  readonly #writer: SnapshotWriter;

  constructor(context: EmulatorContext) {
    this.#context = context;
    this.#writer = new SnapshotWriter({
      persistence: context.persistence,
      section: CLOUDWATCH_PERSISTENCE_SECTION,
      snapshot: (): SavedCloudWatch => ({
        version: 1,
        alarms: [...this.#alarms.values()],
        history: this.#history,
        metrics: this.metrics.export((m) => !m.namespace.startsWith("AWS/")),
      }),
    });
  }

  /** Loads saved state, if any. */
  async load(): Promise<void> {
    const saved = await this.#context.persistence.load<SavedCloudWatch>(
      CLOUDWATCH_PERSISTENCE_SECTION,
    );
    if (!saved) return;
    for (const raw of saved.alarms) {
      const alarm = { ...raw } as Record<string, unknown>;
      for (const key of ALARM_DATES) alarm[key] = new Date(alarm[key] as string);
      this.#alarms.set(raw.AlarmName, alarm as unknown as MetricAlarm);
    }
    this.#history = saved.history.map((h) => ({ ...h, Timestamp: new Date(h.Timestamp) }));
    this.metrics.import(saved.metrics);
  }

  /** Resolves once every change so far is durable (at once without a data directory). */
  commit(): Promise<void> {
    return this.#writer.commit();
  }

  /** Saves in the background; failures go to `context.reportError`. */
  #changed(): void {
    this.#writer.commitInBackground(this.#context);
  }

  /** Waits for pending saves. */
  flush(): Promise<void> {
    return this.#writer.flush();
  }

  /** Emulated now. */
  now(): number {
    return this.#context.clock.now();
  }

  /** Starts the collector and evaluation ticks. */
  start(): void {
    const now = this.now();
    const period = this.#context.config.timings.metricPeriodMs;
    this.#nextCollect = (Math.floor(now / period) + 1) * period;
    this.#nextEvaluate = (Math.floor(now / ALARM_EVALUATION_INTERVAL_MS) + 1) *
      ALARM_EVALUATION_INTERVAL_MS;
    this.#arm();
  }

  /** Stops the ticks. */
  stop(): void {
    this.#closed = true;
    this.#task?.cancel();
  }

  /** Adds a collector run at every metric period's end, before alarms are evaluated. */
  addCollector(collector: MetricCollector): void {
    this.#collectors.push(collector);
  }

  #arm(): void {
    if (this.#closed) return;
    const at = Math.min(this.#nextCollect, this.#nextEvaluate);
    this.#task = this.#context.clock.schedule(at, () => this.#tick(at));
  }

  async #tick(at: number): Promise<void> {
    try {
      if (at >= this.#nextCollect) {
        this.#nextCollect += this.#context.config.timings.metricPeriodMs;
        for (const collect of this.#collectors) {
          try {
            collect(at);
          } catch (error) {
            this.#context.reportError(error);
          }
        }
      }
      if (at >= this.#nextEvaluate) {
        this.#nextEvaluate += ALARM_EVALUATION_INTERVAL_MS;
        await this.evaluateAlarms(at);
      }
    } finally {
      this.#arm();
    }
  }

  /** Stores data points published by another service (no validation: trusted callers). */
  putMetricData(data: readonly MetricDatum[]): void {
    const now = this.now();
    for (const datum of data) {
      this.metrics.put(
        {
          namespace: datum.namespace,
          metricName: datum.metricName,
          dimensions: datum.dimensions,
        },
        singleValueSample(datum.value, datum),
        now,
      );
    }
  }

  /** Stores validated samples (from `PutMetricData`). */
  putSamples(entries: ReadonlyArray<{ metric: MetricIdentity; sample: Sample }>): void {
    const now = this.now();
    for (const { metric, sample } of entries) this.metrics.put(metric, sample, now);
  }

  /** Creates or updates an alarm from a `PutMetricAlarm` input (JSON member names). */
  putMetricAlarm(input: Record<string, unknown>): { alarmArn: string } {
    const alarm = this.setAlarm(parseMetricAlarmInput(input as Members));
    return { alarmArn: alarm.AlarmArn };
  }

  /** Deletes alarms; names that do not exist are skipped. */
  deleteAlarms(alarmNames: readonly string[]): void {
    for (const name of alarmNames) {
      if (this.#alarms.delete(name)) {
        this.#record(name, "ConfigurationUpdate", `Alarm "${name}" deleted`, {
          type: "Delete",
          version: "1.0",
        });
      }
    }
  }

  /** The ARN of an alarm name. */
  alarmArn(name: string): string {
    const { region, accountId } = this.#context.config;
    return `arn:aws:cloudwatch:${region}:${accountId}:alarm:${name}`;
  }

  /** Creates or replaces an alarm's configuration; an update keeps the state. */
  setAlarm(definition: MetricAlarmDefinition): MetricAlarm {
    const existing = this.#alarms.get(definition.AlarmName);
    if (!existing && this.#alarms.size >= ALARM_LIMIT) {
      throw cloudWatchError(
        "LimitExceededFault",
        "The quota for alarms for this customer has already been reached.",
      );
    }
    const now = new Date(this.now());
    const alarm: MetricAlarm = {
      ...definition,
      AlarmArn: this.alarmArn(definition.AlarmName),
      AlarmConfigurationUpdatedTimestamp: now,
      StateValue: existing?.StateValue ?? "INSUFFICIENT_DATA",
      StateReason: existing?.StateReason ?? "Unchecked: Initial alarm creation",
      StateReasonData: existing?.StateReasonData,
      StateUpdatedTimestamp: existing?.StateUpdatedTimestamp ?? now,
      StateTransitionedTimestamp: existing?.StateTransitionedTimestamp ?? now,
    };
    this.#alarms.set(alarm.AlarmName, alarm);
    const verb = existing ? "updated" : "created";
    this.#record(alarm.AlarmName, "ConfigurationUpdate", `Alarm "${alarm.AlarmName}" ${verb}`, {
      type: existing ? "Update" : "Create",
      version: "1.0",
      ...(existing ? { originalUpdatedAlarm: describeForHistory(existing) } : {}),
      [existing ? "updatedAlarm" : "createdAlarm"]: describeForHistory(alarm),
    });
    return alarm;
  }

  /** An alarm by name. */
  alarm(name: string): MetricAlarm | undefined {
    return this.#alarms.get(name);
  }

  /** Every alarm, sorted by name. */
  alarms(): MetricAlarm[] {
    return [...this.#alarms.values()].sort((a, b) =>
      a.AlarmName < b.AlarmName ? -1 : a.AlarmName > b.AlarmName ? 1 : 0
    );
  }

  /** The history, oldest first. */
  history(): readonly AlarmHistoryItem[] {
    return this.#history;
  }

  /** Sets an alarm's state by hand (`SetAlarmState`); runs actions if the state changes. */
  async setAlarmState(
    name: string,
    state: AlarmState,
    reason: string,
    reasonData: string | undefined,
  ): Promise<void> {
    const alarm = this.#alarms.get(name);
    if (!alarm) throw cloudWatchError("ResourceNotFound", `Alarm ${name} not found`);
    if (alarm.StateValue === state) return;
    const updated = this.#transition(alarm, state, reason, reasonData);
    await this.#runActions([
      { alarm: updated, evaluation: undefined, previousState: alarm.StateValue },
    ]);
  }

  /** The alarm's metric (`target`), per period within its evaluation range. */
  #alarmSeries(alarm: MetricAlarmDefinition, target: AlarmMetric, now: number): SeriesPoint[] {
    const { start, end } = evaluationRange(now, target.periodMs, alarm.EvaluationPeriods);
    return this.metrics.series(target.metric, {
      start,
      end,
      periodMs: target.periodMs,
      statistic: target.statistic,
      unit: target.unit,
    });
  }

  /** Evaluates every alarm at `now` and runs the resulting actions. */
  async evaluateAlarms(now: number): Promise<void> {
    const runs: ActionRun[] = [];
    for (const alarm of this.alarms()) {
      const target = alarmMetric(alarm);
      const evaluation = evaluateAlarm({
        alarm,
        now,
        periodMs: target.periodMs,
        statistic: target.statistic.name,
        points: this.#alarmSeries(alarm, target, now),
      });
      if (evaluation.state === undefined || evaluation.state === alarm.StateValue) {
        runs.push({ alarm, evaluation, previousState: undefined });
        continue;
      }
      const current = this.#transition(
        alarm,
        evaluation.state,
        evaluation.reason,
        evaluation.reasonData,
      );
      runs.push({ alarm: current, evaluation, previousState: alarm.StateValue });
    }
    await this.#runActions(runs);
    this.#pruneHistory(now);
  }

  #transition(
    alarm: MetricAlarm,
    state: AlarmState,
    reason: string,
    reasonData: string | undefined,
  ): MetricAlarm {
    const now = new Date(this.now());
    const updated: MetricAlarm = {
      ...alarm,
      StateValue: state,
      StateReason: reason,
      StateReasonData: reasonData,
      StateUpdatedTimestamp: now,
      StateTransitionedTimestamp: now,
    };
    this.#alarms.set(alarm.AlarmName, updated);
    this.#record(
      alarm.AlarmName,
      "StateUpdate",
      `Alarm updated from ${alarm.StateValue} to ${state}`,
      {
        version: "1.0",
        oldState: { stateValue: alarm.StateValue, stateReason: alarm.StateReason },
        newState: {
          stateValue: state,
          stateReason: reason,
          ...(reasonData ? { stateReasonData: JSON.parse(reasonData) } : {}),
        },
      },
    );
    return updated;
  }

  async #runActions(runs: readonly ActionRun[]): Promise<void> {
    const invocations: PendingInvocation[] = [];
    for (const { alarm, evaluation, previousState } of runs) {
      if (!alarm.ActionsEnabled) continue;
      const transitioned = previousState !== undefined;
      const arns = alarm.StateValue === "ALARM"
        ? alarm.AlarmActions
        : alarm.StateValue === "OK"
        ? alarm.OKActions
        : alarm.InsufficientDataActions;
      for (const arn of arns) {
        if (AUTOSCALING_ARN.test(arn)) {
          const datapoints = evaluation?.datapoints ?? [];
          invocations.push({
            alarm,
            policyArn: arn,
            logged: transitioned,
            trigger: {
              alarmName: alarm.AlarmName,
              alarmArn: alarm.AlarmArn,
              stateValue: alarm.StateValue,
              metricValue: datapoints[0]?.value,
              metricValues: datapoints.map((p) => p.value),
              threshold: alarm.Threshold,
            },
          });
        } else if (transitioned) {
          await this.#runOtherAction(alarm, previousState, arn);
        }
      }
    }
    if (invocations.length === 0) return;
    const autoscaling = this.#context.autoscaling;
    if (!autoscaling) {
      for (const inv of invocations) {
        if (inv.logged) {
          this.#recordAction(
            inv.alarm,
            inv.policyArn,
            "the Application Auto Scaling service is not running",
          );
        }
      }
      return;
    }
    const results = await autoscaling.executePolicies(
      invocations.map((inv) => ({ policyArn: inv.policyArn, trigger: inv.trigger })),
    );
    invocations.forEach((inv, i) => {
      if (!inv.logged) return;
      const result = results[i];
      this.#recordAction(
        inv.alarm,
        inv.policyArn,
        result?.outcome === "executed" ? undefined : result?.message ?? "no result",
      );
    });
  }

  async #runOtherAction(alarm: MetricAlarm, previousState: AlarmState, arn: string): Promise<void> {
    if (SNS_ARN.test(arn)) {
      const sns = this.#context.sns;
      if (!sns) {
        this.#recordAction(alarm, arn, "the SNS service is not running");
        return;
      }
      try {
        await sns.publish(arn, this.#alarmMessage(alarm, previousState), {
          subject: `${alarm.StateValue}: "${alarm.AlarmName}" in ${this.#context.config.region}`
            .slice(0, 100),
        });
        this.#recordAction(alarm, arn, undefined);
      } catch (error) {
        this.#recordAction(alarm, arn, error instanceof Error ? error.message : String(error));
      }
      return;
    }
    this.#recordAction(alarm, arn, "this kind of action is not supported by the emulator");
  }

  /** CloudWatch's JSON alarm message for a transition from `previousState`. */
  #alarmMessage(alarm: MetricAlarm, previousState: AlarmState): string {
    return JSON.stringify({
      AlarmName: alarm.AlarmName,
      AlarmDescription: alarm.AlarmDescription ?? null,
      AWSAccountId: this.#context.config.accountId,
      AlarmConfigurationUpdatedTimestamp: alarm.AlarmConfigurationUpdatedTimestamp.toISOString()
        .replace("Z", "+0000"),
      NewStateValue: alarm.StateValue,
      NewStateReason: alarm.StateReason,
      StateChangeTime: alarm.StateUpdatedTimestamp.toISOString().replace("Z", "+0000"),
      Region: this.#context.config.region,
      AlarmArn: alarm.AlarmArn,
      OldStateValue: previousState,
      OKActions: alarm.OKActions,
      AlarmActions: alarm.AlarmActions,
      InsufficientDataActions: alarm.InsufficientDataActions,
      Trigger: {
        MetricName: alarm.MetricName,
        Namespace: alarm.Namespace,
        StatisticType: alarm.ExtendedStatistic ? "ExtendedStatistic" : "Statistic",
        Statistic: alarm.Statistic?.toUpperCase(),
        ExtendedStatistic: alarm.ExtendedStatistic,
        Unit: alarm.Unit ?? null,
        Dimensions: alarm.Dimensions.map((d) => ({ value: d.Value, name: d.Name })),
        Period: alarm.Period,
        EvaluationPeriods: alarm.EvaluationPeriods,
        DatapointsToAlarm: alarm.DatapointsToAlarm ?? alarm.EvaluationPeriods,
        ComparisonOperator: alarm.ComparisonOperator,
        Threshold: alarm.Threshold,
        TreatMissingData: alarm.TreatMissingData ?? "missing",
        EvaluateLowSampleCountPercentile: alarm.EvaluateLowSampleCountPercentile ?? "",
      },
    });
  }

  #recordAction(alarm: MetricAlarm, arn: string, failure: string | undefined): void {
    this.#record(
      alarm.AlarmName,
      "Action",
      failure === undefined
        ? `Successfully executed action ${arn}`
        : `Failed to execute action ${arn}. Received error: "${failure}"`,
      {
        actionState: failure === undefined ? "Succeeded" : "Failed",
        stateUpdateTimestamp: alarm.StateUpdatedTimestamp.getTime(),
        ...(failure === undefined ? {} : { error: failure }),
      },
    );
  }

  #record(
    alarmName: string,
    type: AlarmHistoryItem["HistoryItemType"],
    summary: string,
    data: unknown,
  ): void {
    this.#changed();
    this.#history.push({
      AlarmName: alarmName,
      AlarmType: "MetricAlarm",
      Timestamp: new Date(this.now()),
      HistoryItemType: type,
      HistorySummary: summary,
      HistoryData: JSON.stringify(data),
    });
  }

  #pruneHistory(now: number): void {
    const horizon = now - HISTORY_RETENTION_MS;
    if (this.#history.length > 0 && this.#history[0]!.Timestamp.getTime() < horizon) {
      this.#history = this.#history.filter((h) => h.Timestamp.getTime() >= horizon);
    }
  }
}

interface ActionRun {
  readonly alarm: MetricAlarm;
  readonly evaluation: AlarmEvaluation | undefined;
  /** The state before this run's transition; `undefined` when the state did not change. */
  readonly previousState: AlarmState | undefined;
}

function describeForHistory(alarm: MetricAlarm): Record<string, unknown> {
  return {
    alarmName: alarm.AlarmName,
    metricName: alarm.MetricName,
    namespace: alarm.Namespace,
    statistic: alarm.Statistic?.toUpperCase(),
    dimensions: alarm.Dimensions.map((d) => ({ name: d.Name, value: d.Value })),
    period: alarm.Period,
    evaluationPeriods: alarm.EvaluationPeriods,
    datapointsToAlarm: alarm.DatapointsToAlarm,
    threshold: alarm.Threshold,
    comparisonOperator: alarm.ComparisonOperator,
    treatMissingData: alarm.TreatMissingData,
    actionsEnabled: alarm.ActionsEnabled,
    alarmActions: alarm.AlarmActions,
    okactions: alarm.OKActions,
    insufficientDataActions: alarm.InsufficientDataActions,
  };
}
