import assert from "node:assert/strict";
import { createClients } from "../../lib/clients.ts";

const noEnv = {};

Deno.test("createClients() builds every client for the region given", async () => {
  using clients = createClients({ region: "eu-west-1", env: noEnv });
  assert.equal(clients.region, "eu-west-1");
  for (
    const client of [
      clients.s3,
      clients.sagemaker,
      clients.runtime,
      clients.autoscaling,
      clients.cloudwatch,
      clients.sts,
      clients.sns!,
    ]
  ) {
    assert.equal(await client.config.region(), "eu-west-1");
  }
  assert.equal(clients.endpoint, undefined);
  assert.equal(clients.s3.config.forcePathStyle, false);
});

Deno.test("createClients() falls back to AWS_REGION, then AWS_DEFAULT_REGION", () => {
  using a = createClients({ env: { AWS_REGION: "us-west-2", AWS_DEFAULT_REGION: "eu-west-1" } });
  assert.equal(a.region, "us-west-2");
  using b = createClients({ env: { AWS_DEFAULT_REGION: "ap-southeast-2" } });
  assert.equal(b.region, "ap-southeast-2");
});

Deno.test("createClients() without any region throws a TypeError naming the settings", () => {
  assert.throws(() => createClients({ env: { AWS_REGION: "" } }), {
    name: "TypeError",
    message: /AWS_REGION.*AWS_DEFAULT_REGION/,
  });
});

Deno.test("createClients() with an endpoint points every client at it, path-style S3, static keys", async () => {
  using clients = createClients({
    region: "us-east-1",
    endpoint: "http://127.0.0.1:4566",
    credentials: { accessKeyId: "AKID", secretAccessKey: "SECRET" },
    env: noEnv,
  });
  assert.equal(clients.endpoint, "http://127.0.0.1:4566");
  assert.equal(clients.s3.config.forcePathStyle, true);
  for (const client of [clients.sagemaker, clients.runtime, clients.autoscaling, clients.sts]) {
    const endpoint = await client.config.endpoint!();
    assert.equal(endpoint.hostname, "127.0.0.1");
    assert.equal(endpoint.port, 4566);
    assert.equal(endpoint.protocol, "http:");
  }
  const credentials = await clients.sagemaker.config.credentials();
  assert.equal(credentials.accessKeyId, "AKID");
  assert.equal(credentials.secretAccessKey, "SECRET");
});

Deno.test("createClients() makes S3 path-style when AWS_ENDPOINT_URL is set", () => {
  using clients = createClients({
    region: "us-east-1",
    env: { AWS_ENDPOINT_URL: "http://localhost:4566" },
  });
  assert.equal(clients.s3.config.forcePathStyle, true);
  assert.equal(clients.endpoint, "http://localhost:4566");
  using s3Only = createClients({
    region: "us-east-1",
    env: { AWS_ENDPOINT_URL_S3: "http://localhost:9000" },
  });
  assert.equal(s3Only.s3.config.forcePathStyle, true);
  assert.equal(s3Only.endpoint, undefined);
});

Deno.test("createClients() passes maxAttempts and retryMode through", async () => {
  using clients = createClients({
    region: "us-east-1",
    maxAttempts: 7,
    retryMode: "adaptive",
    env: noEnv,
  });
  assert.equal(await clients.sagemaker.config.maxAttempts(), 7);
  const retryMode = clients.s3.config.retryMode;
  assert.equal(typeof retryMode === "function" ? await retryMode() : retryMode, "adaptive");
});

Deno.test("createClients() rejects bad settings with the value and the rule", () => {
  assert.throws(() => createClients({ region: "Narnia", env: noEnv }), {
    name: "TypeError",
    message: /"Narnia".*us-east-1/,
  });
  assert.throws(() => createClients({ region: "us-east-1", endpoint: "ftp://x", env: noEnv }), {
    name: "TypeError",
    message: /"ftp:\/\/x".*http/,
  });
  assert.throws(
    () =>
      createClients({
        region: "us-east-1",
        credentials: { accessKeyId: "", secretAccessKey: "s" },
        env: noEnv,
      }),
    { name: "TypeError", message: /credentials/ },
  );
  assert.throws(() => createClients({ region: "us-east-1", maxAttempts: 0, env: noEnv }), {
    name: "RangeError",
    message: /maxAttempts 0/,
  });
  assert.throws(
    () => createClients({ region: "us-east-1", retryMode: "eager" as never, env: noEnv }),
    { name: "TypeError", message: /"eager"/ },
  );
});

Deno.test("createClients() destroy() closes every client", () => {
  const clients = createClients({ region: "us-east-1", env: noEnv });
  let destroyed = 0;
  for (const client of [clients.s3, clients.sagemaker, clients.runtime, clients.sns!]) {
    const original = client.destroy.bind(client);
    client.destroy = () => {
      destroyed++;
      original();
    };
  }
  clients[Symbol.dispose]();
  assert.equal(destroyed, 4);
});
