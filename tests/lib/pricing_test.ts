import assert from "node:assert/strict";
import {
  compareWithAlwaysOn,
  estimateCost,
  hourlyPrice,
  ON_DEMAND_PRICES,
} from "../../lib/pricing.ts";

Deno.test("ON_DEMAND_PRICES lists the reference's instance types as unconfirmed us-east-1 prices", () => {
  assert.deepEqual(Object.keys(ON_DEMAND_PRICES).sort(), [
    "ml.g5.12xlarge",
    "ml.g5.2xlarge",
    "ml.g5.48xlarge",
    "ml.p4d.24xlarge",
  ]);
  for (const price of Object.values(ON_DEMAND_PRICES)) {
    assert.equal(price.confirmed, false);
    assert.equal(price.region, "us-east-1");
    assert.match(price.source, /aws\.amazon\.com\/sagemaker\/pricing/);
  }
  assert.equal(ON_DEMAND_PRICES["ml.g5.48xlarge"]?.usdPerHour, 20.36);
  assert.equal(ON_DEMAND_PRICES["ml.p4d.24xlarge"]?.usdPerHour, 37.688);
});

Deno.test("hourlyPrice() rejects an unknown instance type with a RangeError listing the known ones", () => {
  assert.throws(
    () => hourlyPrice({ instanceType: "ml.g6.xlarge" }),
    (e: unknown) =>
      e instanceof RangeError && /"ml\.g6\.xlarge"/.test(e.message) &&
      /ml\.g5\.12xlarge/.test(e.message) && /pricePerHour/.test(e.message),
  );
});

Deno.test("hourlyPrice() prefers an explicit pricePerHour and refuses a negative one", () => {
  assert.equal(hourlyPrice({ instanceType: "ml.g5.12xlarge", pricePerHour: 5 }), 5);
  assert.equal(hourlyPrice({ instanceType: "ml.custom.type", pricePerHour: 0 }), 0);
  assert.throws(
    () => hourlyPrice({ instanceType: "ml.g5.12xlarge", pricePerHour: -1 }),
    /Invalid pricePerHour -1/,
  );
  assert.throws(() => hourlyPrice({ instanceType: "" }), TypeError);
});

Deno.test("estimateCost() bills instance-seconds at the hourly price", () => {
  const cost = estimateCost({ instanceType: "ml.g5.48xlarge", instanceSeconds: 5400 });
  assert.equal(cost.instanceHours, 1.5);
  assert.equal(cost.pricePerHour, 20.36);
  assert.ok(Math.abs(cost.dollars - 30.54) < 1e-9);
  assert.equal(cost.priceFrom, "list");
  assert.equal(
    estimateCost({ instanceType: "x", instanceSeconds: 3600, pricePerHour: 2 }).priceFrom,
    "given",
  );
});

Deno.test("estimateCost() rejects negative or non-finite instance-seconds naming the value", () => {
  for (const bad of [-1, NaN, Infinity]) {
    assert.throws(
      () => estimateCost({ instanceType: "ml.g5.12xlarge", instanceSeconds: bad }),
      (e: unknown) => e instanceof RangeError && e.message.includes(`instanceSeconds ${bad}`),
    );
  }
});

Deno.test("compareWithAlwaysOn() compares with always-on instances over the same span", () => {
  const result = compareWithAlwaysOn({
    instanceType: "ml.g5.12xlarge",
    instanceSeconds: 1800,
    spanSeconds: 3600,
    alwaysOnInstances: 2,
  });
  assert.equal(result.alwaysOnInstanceSeconds, 7200);
  assert.equal(result.usedInstanceSeconds, 1800);
  assert.ok(Math.abs(result.usedDollars - 3.545) < 1e-9);
  assert.ok(Math.abs(result.alwaysOnDollars - 14.18) < 1e-9);
  assert.equal(result.savedFraction, 0.75);
});

Deno.test("compareWithAlwaysOn() reports no saving over an empty span and a negative one when more was used", () => {
  assert.equal(
    compareWithAlwaysOn({ instanceType: "ml.g5.12xlarge", instanceSeconds: 0, spanSeconds: 0 })
      .savedFraction,
    0,
  );
  assert.equal(
    compareWithAlwaysOn({
      instanceType: "ml.g5.12xlarge",
      instanceSeconds: 7200,
      spanSeconds: 3600,
    })
      .savedFraction,
    -1,
  );
});

Deno.test("compareWithAlwaysOn() rejects alwaysOnInstances below 1 or fractional", () => {
  for (const bad of [0, 1.5]) {
    assert.throws(
      () =>
        compareWithAlwaysOn({
          instanceType: "ml.g5.12xlarge",
          instanceSeconds: 1,
          spanSeconds: 1,
          alwaysOnInstances: bad,
        }),
      new RegExp(`alwaysOnInstances ${bad}: must be an integer >= 1`),
    );
  }
});
