import assert from "node:assert/strict";
import {
  DescribeScalableTargetsCommand,
  DescribeScalingPoliciesCommand,
} from "@aws-sdk/client-application-auto-scaling";
import { DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { main } from "../../cli/scale_to_zero.ts";
import { captureIo, deployWithTask, startTaskEnv } from "./_task_env.ts";

Deno.test("deno task scale-to-zero --help exits 0 and lists its flags", async () => {
  const { io, output } = captureIo({});
  assert.equal(await main(["--help"], io), 0);
  for (const flag of ["--max-capacity", "--target-value", "--no-wake-from-zero", "--disable"]) {
    assert.ok(output.out.includes(flag), flag);
  }
});

Deno.test("deno task scale-to-zero exits 2 naming missing, bad or conflicting flags", async () => {
  const cases: [string[], RegExp][] = [
    [[], /Missing --endpoint/],
    [["--endpoint", "falcon", "--max-capacity", "0"], /Invalid --max-capacity "0"/],
    [["--endpoint", "falcon", "--target-value=-1"], /Invalid --target-value "-1"/],
    [["--endpoint", "falcon", "--disable", "--max-capacity", "2"], /--disable .* --max-capacity/],
    [["--endpoint", "falcon", "--wake"], /'--wake'/],
  ];
  for (const [args, message] of cases) {
    const { io, output } = captureIo({});
    assert.equal(await main(args, io), 2, args.join(" "));
    assert.match(output.err, message);
  }
});

Deno.test("deno task scale-to-zero adds the scaling setup to a deployed endpoint and --disable removes it", async () => {
  await using env = await startTaskEnv();
  await deployWithTask(env, "falcon", ["--no-scale-to-zero"]);
  const enable = captureIo(env.env);
  const code = await main(
    ["--endpoint", "falcon", "--max-capacity", "3", "--target-value", "2", "--no-wake-from-zero"],
    enable.io,
  );
  assert.equal(code, 0, enable.output.err);
  assert.match(
    enable.output.out,
    /scalable-target\s+endpoint\/falcon\/variant\/AllTraffic\s+created/,
  );
  const aas = env.clients.autoscaling;
  const { ScalableTargets } = await aas.send(
    new DescribeScalableTargetsCommand({ ServiceNamespace: "sagemaker" }),
  );
  assert.deepEqual(ScalableTargets?.map((t) => [t.MinCapacity, t.MaxCapacity]), [[0, 3]]);
  const { ScalingPolicies } = await aas.send(
    new DescribeScalingPoliciesCommand({ ServiceNamespace: "sagemaker" }),
  );
  assert.deepEqual(
    ScalingPolicies?.map((
      p,
    ) => [p.PolicyType, p.TargetTrackingScalingPolicyConfiguration?.TargetValue]),
    [
      ["TargetTrackingScaling", 2],
    ],
  );

  const disable = captureIo(env.env);
  assert.equal(
    await main(["--endpoint", "falcon", "--disable"], disable.io),
    0,
    disable.output.err,
  );
  assert.match(disable.output.out, /scalable-target\s+\S+\s+deleted/);
  assert.match(disable.output.out, /alarm\s+\S+\s+not found/);
  const after = await aas.send(
    new DescribeScalableTargetsCommand({ ServiceNamespace: "sagemaker" }),
  );
  assert.deepEqual(after.ScalableTargets, []);
  const { MetricAlarms } = await env.clients.cloudwatch.send(new DescribeAlarmsCommand({}));
  assert.deepEqual(MetricAlarms, []);
});

Deno.test("deno task scale-to-zero fails with exit 1 and the AWS error for an endpoint that does not exist", async () => {
  await using env = await startTaskEnv();
  const { io, output } = captureIo(env.env);
  assert.equal(await main(["--endpoint", "nowhere"], io), 1);
  assert.match(output.err, /ValidationException/);
});
