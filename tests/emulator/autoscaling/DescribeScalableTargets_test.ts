import assert from "node:assert/strict";
import { startAutoScaling, TARGET } from "./_autoscaling.ts";

Deno.test("DescribeScalableTargets filters by resource ids and pages with MaxResults", async () => {
  await using env = await startAutoScaling((fake) => {
    for (const name of ["a", "b", "c"]) fake.createEndpoint(name);
  });
  for (const name of ["a", "b", "c"]) {
    await env.ok("RegisterScalableTarget", {
      ...TARGET,
      ResourceId: `endpoint/${name}/variant/AllTraffic`,
      MinCapacity: 0,
      MaxCapacity: 1,
    });
  }
  const ids = (body: { ScalableTargets: Array<{ ResourceId: string }> }) =>
    body.ScalableTargets.map((t) => t.ResourceId.split("/")[1]);
  const page1 = await env.ok("DescribeScalableTargets", {
    ServiceNamespace: "sagemaker",
    MaxResults: 2,
  });
  assert.deepEqual(ids(page1), ["a", "b"]);
  const page2 = await env.ok("DescribeScalableTargets", {
    ServiceNamespace: "sagemaker",
    MaxResults: 2,
    NextToken: page1.NextToken,
  });
  assert.deepEqual(ids(page2), ["c"]);
  assert.equal(page2.NextToken, undefined);
  const some = await env.ok("DescribeScalableTargets", {
    ServiceNamespace: "sagemaker",
    ResourceIds: ["endpoint/c/variant/AllTraffic", "endpoint/zzz/variant/AllTraffic"],
  });
  assert.deepEqual(ids(some), ["c"]);
  assert.deepEqual(
    (await env.ok("DescribeScalableTargets", { ServiceNamespace: "ecs" })).ScalableTargets,
    [],
  );
  const bad = await env.call("DescribeScalableTargets", {
    ServiceNamespace: "sagemaker",
    NextToken: "x",
  });
  assert.equal(bad.body.__type, "InvalidNextTokenException");
});
