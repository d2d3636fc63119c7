import assert from "node:assert/strict";
import { PutMetricAlarmCommand } from "@aws-sdk/client-cloudwatch";
import { CreateModelCommand } from "@aws-sdk/client-sagemaker";
import { describeLeftovers, findLeftovers } from "../../cli/leftovers.ts";
import { ROLE_ARN, TGI_IMAGE } from "../contract/_sagemaker.ts";
import { startTaskEnv } from "./_task_env.ts";

Deno.test("findLeftovers() is empty on a fresh emulator and names what was created, by kind", async () => {
  await using env = await startTaskEnv();
  const empty = await findLeftovers(env.clients);
  assert.deepEqual(empty, {
    endpoints: [],
    endpointConfigs: [],
    models: [],
    scalableTargets: [],
    alarms: [],
  });
  assert.deepEqual(describeLeftovers(empty), []);

  await env.clients.sagemaker.send(
    new CreateModelCommand({
      ModelName: "forgotten-model",
      ExecutionRoleArn: ROLE_ARN,
      PrimaryContainer: { Image: TGI_IMAGE },
    }),
  );
  await env.clients.cloudwatch.send(
    new PutMetricAlarmCommand({
      AlarmName: "forgotten-alarm",
      Namespace: "AWS/SageMaker",
      MetricName: "HasBacklogWithoutCapacity",
      Statistic: "Average",
      Period: 60,
      EvaluationPeriods: 2,
      Threshold: 1,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
    }),
  );
  const left = await findLeftovers(env.clients);
  assert.deepEqual(left.models, ["forgotten-model"]);
  assert.deepEqual(left.alarms, ["forgotten-alarm"]);
  assert.deepEqual(describeLeftovers(left), ["model forgotten-model", "alarm forgotten-alarm"]);
});

Deno.test("describeLeftovers() lists every kind in a fixed order with its label", () => {
  assert.deepEqual(
    describeLeftovers({
      alarms: ["a"],
      scalableTargets: ["endpoint/e/variant/AllTraffic"],
      models: ["m"],
      endpointConfigs: ["c"],
      endpoints: ["e"],
    }),
    [
      "endpoint e",
      "endpoint config c",
      "model m",
      "scalable target endpoint/e/variant/AllTraffic",
      "alarm a",
    ],
  );
});
