import assert from "node:assert/strict";
import { AwsError } from "../../../emulator/errors.ts";
import {
  awsJsonErrorResponse,
  awsJsonService,
  jsonStringify,
} from "../../../emulator/protocols/aws_json.ts";
import type { AwsRequest } from "../../../emulator/request.ts";
import { awsRequest } from "../_aws_request.ts";

/** An awsJson request as the core hands it to a service. */
function jsonRequest(target: string | undefined, body = ""): AwsRequest {
  const headers: Record<string, string> = { "content-type": "application/x-amz-json-1.1" };
  if (target !== undefined) headers["x-amz-target"] = target;
  return awsRequest({ service: "sagemaker", headers, body });
}

Deno.test("jsonStringify() renders Date values as epoch seconds, at any depth", () => {
  assert.equal(
    jsonStringify({
      CreationTime: new Date(1_500),
      Nested: { At: [new Date(0), new Date(2_250)] },
    }),
    '{"CreationTime":1.5,"Nested":{"At":[0,2.25]}}',
  );
  assert.equal(jsonStringify(new Date(3_000)), "3");
});

Deno.test("jsonStringify() drops undefined members and keeps null", () => {
  assert.equal(jsonStringify({ a: undefined, b: null, c: "x" }), '{"b":null,"c":"x"}');
});

Deno.test("awsJsonService() dispatches by X-Amz-Target and answers with the JSON result", async () => {
  const seen: unknown[] = [];
  const handler = awsJsonService({
    targetPrefix: "SageMaker",
    version: "1.1",
    operations: {
      DescribeEndpoint: (input, request) => {
        seen.push(input, request.requestId);
        return { EndpointName: input.EndpointName, CreationTime: new Date(1_000), Gone: undefined };
      },
      CreateEndpoint: () => {
        throw new Error("wrong operation");
      },
    },
  });
  const response = await handler(
    jsonRequest("SageMaker.DescribeEndpoint", '{"EndpointName":"falcon"}'),
  );
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("content-type"), "application/x-amz-json-1.1");
  assert.equal(response.headers.get("x-amzn-requestid"), "req-1");
  assert.equal(await response.text(), '{"EndpointName":"falcon","CreationTime":1}');
  assert.deepEqual(seen, [{ EndpointName: "falcon" }, "req-1"]);
});

Deno.test("awsJsonService() passes {} for an empty body and answers {} for an undefined result", async () => {
  let input: unknown;
  const handler = awsJsonService({
    targetPrefix: "AnyScaleFrontendService",
    version: "1.1",
    operations: {
      DeleteScalingPolicy: (i) => {
        input = i;
      },
    },
  });
  const response = await handler(jsonRequest("AnyScaleFrontendService.DeleteScalingPolicy"));
  assert.equal(response.status, 200);
  assert.deepEqual(input, {});
  assert.equal(await response.text(), "{}");
});

Deno.test("awsJsonService() uses the awsJson 1.0 content type when asked", async () => {
  const handler = awsJsonService({
    targetPrefix: "GraniteServiceVersion20100801",
    version: "1.0",
    operations: { ListMetrics: () => ({ Metrics: [] }) },
  });
  const response = await handler(jsonRequest("GraniteServiceVersion20100801.ListMetrics", "{}"));
  assert.equal(response.headers.get("content-type"), "application/x-amz-json-1.0");
  assert.deepEqual(await response.json(), { Metrics: [] });
});

Deno.test("awsJsonService() answers UnknownOperationException for targets it does not serve", async () => {
  const handler = awsJsonService({
    targetPrefix: "SageMaker",
    version: "1.1",
    operations: { ListEndpoints: () => ({}) },
  });
  for (
    const target of [
      "SageMaker.DeleteEverything",
      "Other.ListEndpoints",
      "SageMakerListEndpoints",
      "SageMaker.toString",
      "SageMaker.constructor",
      "",
      undefined,
    ]
  ) {
    const response = await handler(jsonRequest(target, "{}"));
    assert.equal(response.status, 400, String(target));
    const body = await response.json();
    assert.equal(body.__type, "UnknownOperationException");
    assert.ok(body.message.includes(JSON.stringify(target ?? "")), body.message);
  }
});

Deno.test("awsJsonService() uses the configured code for unknown operations", async () => {
  const handler = awsJsonService({
    targetPrefix: "SageMaker",
    version: "1.1",
    operations: {},
    unknownOperationCode: "InvalidAction",
  });
  const body = await (await handler(jsonRequest("SageMaker.Nope"))).json();
  assert.equal(body.__type, "InvalidAction");
});

Deno.test("awsJsonService() answers SerializationException for a body that is not a JSON object", async () => {
  let calls = 0;
  const handler = awsJsonService({
    targetPrefix: "SageMaker",
    version: "1.1",
    operations: {
      ListEndpoints: () => {
        calls++;
        return {};
      },
    },
  });
  for (
    const [body, message] of [["{not json", "not valid JSON"], ["[1]", "JSON object"], [
      "null",
      "JSON object",
    ], ['"s"', "JSON object"]]
  ) {
    const response = await handler(jsonRequest("SageMaker.ListEndpoints", body));
    assert.equal(response.status, 400, body);
    const json = await response.json();
    assert.equal(json.__type, "SerializationException");
    assert.ok(json.message.includes(message!), json.message);
  }
  assert.equal(calls, 0);
});

Deno.test("awsJsonService() renders an AwsError with __type, the message key, fields and headers", async () => {
  const operations = {
    CreateEndpoint: () => {
      throw new AwsError("ResourceLimitExceeded", "Too many endpoints", {
        fields: { Resource: "endpoint" },
        headers: { "retry-after": "5" },
      });
    },
  };
  const lower = await awsJsonService({ targetPrefix: "SageMaker", version: "1.1", operations })(
    jsonRequest("SageMaker.CreateEndpoint", "{}"),
  );
  assert.equal(lower.status, 400);
  assert.equal(lower.headers.get("content-type"), "application/x-amz-json-1.1");
  assert.equal(lower.headers.get("x-amzn-requestid"), "req-1");
  assert.equal(lower.headers.get("retry-after"), "5");
  assert.equal(lower.headers.get("x-amzn-query-error"), null);
  assert.deepEqual(await lower.json(), {
    __type: "ResourceLimitExceeded",
    message: "Too many endpoints",
    Resource: "endpoint",
  });

  const upper = await awsJsonService({
    targetPrefix: "SageMaker",
    version: "1.1",
    operations,
    messageKey: "Message",
  })(jsonRequest("SageMaker.CreateEndpoint", "{}"));
  const body = await upper.json();
  assert.equal(body.Message, "Too many endpoints");
  assert.equal(body.message, undefined);
});

Deno.test("awsJsonService() turns any other thrown value into a 500 InternalFailure", async () => {
  const handler = awsJsonService({
    targetPrefix: "SageMaker",
    version: "1.1",
    operations: {
      ListEndpoints: () => Promise.reject(new Error("disk on fire")),
    },
  });
  const response = await handler(jsonRequest("SageMaker.ListEndpoints", "{}"));
  assert.equal(response.status, 500);
  const body = await response.json();
  assert.equal(body.__type, "InternalFailure");
  assert.ok(body.message.includes("disk on fire"));
});

Deno.test("awsJsonService() with queryCompatible sends x-amzn-query-error as code;fault", async () => {
  const handler = awsJsonService({
    targetPrefix: "GraniteServiceVersion20100801",
    version: "1.0",
    queryCompatible: true,
    operations: {
      PutMetricData: () => {
        throw new AwsError("InvalidParameterValueException", "bad value", {
          queryCode: "InvalidParameterValue",
        });
      },
      GetMetricData: () => {
        throw new AwsError("ResourceNotFound", "gone", { status: 404 });
      },
      ListMetrics: () => {
        throw new Error("crash");
      },
    },
  });
  const call = async (op: string) =>
    (await handler(jsonRequest(`GraniteServiceVersion20100801.${op}`, "{}"))).headers.get(
      "x-amzn-query-error",
    );
  assert.equal(await call("PutMetricData"), "InvalidParameterValue;Sender");
  assert.equal(await call("GetMetricData"), "ResourceNotFound;Sender");
  assert.equal(await call("ListMetrics"), "InternalFailure;Receiver");
});

Deno.test("awsJsonErrorResponse() renders errors raised outside a handler as the service does", async () => {
  const error = new AwsError("UnrecognizedClientException", "The token is invalid.", {
    status: 403,
    fields: { Reason: "key" },
  });
  const plain = awsJsonErrorResponse(error, {
    version: "1.1",
    messageKey: "Message",
    requestId: "r",
  });
  assert.equal(plain.status, 403);
  assert.equal(plain.headers.get("content-type"), "application/x-amz-json-1.1");
  assert.equal(plain.headers.get("x-amzn-requestid"), "r");
  assert.equal(plain.headers.get("x-amzn-query-error"), null);
  assert.deepEqual(await plain.json(), {
    __type: "UnrecognizedClientException",
    Message: "The token is invalid.",
    Reason: "key",
  });
  const compatible = awsJsonErrorResponse(error, {
    version: "1.0",
    queryCompatible: true,
    requestId: "r",
  });
  assert.equal(compatible.headers.get("content-type"), "application/x-amz-json-1.0");
  assert.equal(compatible.headers.get("x-amzn-query-error"), "UnrecognizedClientException;Sender");
  assert.equal((await compatible.json()).message, "The token is invalid.");
});
