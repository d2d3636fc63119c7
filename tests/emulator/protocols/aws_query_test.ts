import assert from "node:assert/strict";
import { AwsError } from "../../../emulator/errors.ts";
import {
  awsQueryService,
  queryErrorResponse,
  unflattenQuery,
} from "../../../emulator/protocols/aws_query.ts";
import { parseXml } from "../../../emulator/protocols/xml.ts";
import type { AwsRequest } from "../../../emulator/request.ts";
import { awsRequest } from "../_aws_request.ts";

const XMLNS = "https://sts.amazonaws.com/doc/2011-06-15/";

/** A query-protocol request: a form body and an optional query string. */
function formRequest(body: string, rawQuery = ""): AwsRequest {
  return awsRequest({
    service: "sts",
    target: rawQuery === "" ? "/" : `/?${rawQuery}`,
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body,
    requestId: "req-9",
  });
}

Deno.test("unflattenQuery() keeps plain parameters as strings, empty values included", () => {
  assert.deepEqual(unflattenQuery(new URLSearchParams("Action=GetCallerIdentity&Name=&X=a%20b")), {
    Action: "GetCallerIdentity",
    Name: "",
    X: "a b",
  });
});

Deno.test("unflattenQuery() builds lists from .member.N in numeric order", () => {
  const form = new URLSearchParams(
    "Names.member.10=j&Names.member.2=b&Names.member.1=a&Names.member.3=c",
  );
  assert.deepEqual(unflattenQuery(form), { Names: ["a", "b", "c", "j"] });
});

Deno.test("unflattenQuery() builds lists of structures and nested structures", () => {
  const form = new URLSearchParams(
    "MetricData.member.1.MetricName=Lat&MetricData.member.1.Dimensions.member.1.Name=EndpointName" +
      "&MetricData.member.1.Dimensions.member.1.Value=falcon&MetricData.member.2.MetricName=Err" +
      "&Options.Deep.Leaf=1",
  );
  assert.deepEqual(unflattenQuery(form), {
    MetricData: [
      { MetricName: "Lat", Dimensions: [{ Name: "EndpointName", Value: "falcon" }] },
      { MetricName: "Err" },
    ],
    Options: { Deep: { Leaf: "1" } },
  });
});

Deno.test("unflattenQuery() builds maps from .entry.N.key/value and .entry.N.Name/Value", () => {
  const form = new URLSearchParams(
    "Attributes.entry.1.key=DisplayName&Attributes.entry.1.value=Alerts" +
      "&Attributes.entry.2.key=Policy&Attributes.entry.2.value=%7B%7D" +
      "&Tags.entry.1.Name=team&Tags.entry.1.Value=ml",
  );
  assert.deepEqual(unflattenQuery(form), {
    Attributes: { DisplayName: "Alerts", Policy: "{}" },
    Tags: { team: "ml" },
  });
});

Deno.test("unflattenQuery() renders an empty list parameter (A=) as an empty string", () => {
  assert.deepEqual(unflattenQuery(new URLSearchParams("Dimensions=&Action=ListMetrics")), {
    Dimensions: "",
    Action: "ListMetrics",
  });
});

Deno.test("awsQueryService() wraps the result in <OpResponse><OpResult> with ResponseMetadata", async () => {
  let params: unknown;
  const handler = awsQueryService({
    version: "2011-06-15",
    xmlns: XMLNS,
    operations: {
      GetCallerIdentity: (p) => {
        params = p;
        return { Account: "123456789012", Arn: "arn:aws:iam::123456789012:user/a&b" };
      },
    },
  });
  const response = await handler(
    formRequest("Action=GetCallerIdentity&Version=2011-06-15&Names.member.1=x"),
  );
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("content-type"), "text/xml");
  assert.equal(response.headers.get("x-amzn-requestid"), "req-9");
  const text = await response.text();
  assert.ok(text.includes(`<GetCallerIdentityResponse xmlns="${XMLNS}">`), text);
  assert.ok(text.includes("user/a&amp;b"), text);
  assert.deepEqual(parseXml(text), {
    GetCallerIdentityResponse: {
      GetCallerIdentityResult: {
        Account: "123456789012",
        Arn: "arn:aws:iam::123456789012:user/a&b",
      },
      ResponseMetadata: { RequestId: "req-9" },
    },
  });
  assert.deepEqual(params, { Names: ["x"] });
});

Deno.test("awsQueryService() omits <OpResult> when the operation returns nothing", async () => {
  const handler = awsQueryService({
    version: "2010-03-31",
    xmlns: "http://sns.amazonaws.com/doc/2010-03-31/",
    operations: { DeleteTopic: () => undefined },
  });
  const text = await (await handler(formRequest("Action=DeleteTopic&TopicArn=x"))).text();
  assert.deepEqual(parseXml(text), {
    DeleteTopicResponse: { ResponseMetadata: { RequestId: "req-9" } },
  });
});

Deno.test("awsQueryService() reads parameters from the query string when the body lacks them", async () => {
  let params: unknown;
  const handler = awsQueryService({
    version: "2011-06-15",
    xmlns: XMLNS,
    operations: {
      GetCallerIdentity: (p) => {
        params = p;
        return {};
      },
    },
  });
  const response = await handler(formRequest("Extra=body", "Action=GetCallerIdentity&Extra=query"));
  assert.equal(response.status, 200);
  assert.deepEqual(params, { Extra: "body" });
});

Deno.test("awsQueryService() answers InvalidAction for an unknown or missing Action", async () => {
  const handler = awsQueryService({
    version: "2011-06-15",
    xmlns: XMLNS,
    operations: { GetCallerIdentity: () => ({}) },
  });
  for (
    const [body, named] of [["Action=AssumeRole", "AssumeRole"], ["", "(none)"], [
      "Action=toString",
      "toString",
    ]]
  ) {
    const response = await handler(formRequest(body!));
    assert.equal(response.status, 400, body);
    const xml = parseXml(await response.text()) as {
      ErrorResponse: { Error: Record<string, string>; RequestId: string };
    };
    assert.equal(xml.ErrorResponse.Error.Code, "InvalidAction");
    assert.equal(xml.ErrorResponse.Error.Type, "Sender");
    assert.ok(xml.ErrorResponse.Error.Message!.includes(named!));
    assert.ok(xml.ErrorResponse.Error.Message!.includes("2011-06-15"));
    assert.equal(xml.ErrorResponse.RequestId, "req-9");
  }
});

Deno.test("awsQueryService() renders errors as <ErrorResponse><Error> with Type, Code, Message and fields", async () => {
  const handler = awsQueryService({
    version: "2010-03-31",
    xmlns: "http://sns.amazonaws.com/doc/2010-03-31/",
    operations: {
      Publish: () => {
        throw new AwsError("NotFound", "Topic does not exist", {
          status: 404,
          fields: { Detail: "x" },
          headers: { "x-extra": "1" },
        });
      },
      Subscribe: () => {
        throw new Error("boom");
      },
    },
  });
  const response = await handler(formRequest("Action=Publish"));
  assert.equal(response.status, 404);
  assert.equal(response.headers.get("content-type"), "text/xml");
  assert.equal(response.headers.get("x-extra"), "1");
  const text = await response.text();
  assert.ok(text.includes('<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">'));
  assert.deepEqual(parseXml(text), {
    ErrorResponse: {
      Error: { Type: "Sender", Code: "NotFound", Message: "Topic does not exist", Detail: "x" },
      RequestId: "req-9",
    },
  });

  const crash = await handler(formRequest("Action=Subscribe"));
  assert.equal(crash.status, 500);
  const crashXml = parseXml(await crash.text()) as {
    ErrorResponse: { Error: Record<string, string> };
  };
  assert.equal(crashXml.ErrorResponse.Error.Type, "Receiver");
  assert.equal(crashXml.ErrorResponse.Error.Code, "InternalFailure");
});

Deno.test("queryErrorResponse() leaves out xmlns when none is given", async () => {
  const response = queryErrorResponse(new AwsError("Throttling", "Rate exceeded"), "r-1");
  const text = await response.text();
  assert.ok(text.includes("<ErrorResponse>"), text);
  assert.equal(response.status, 400);
  assert.equal(response.headers.get("x-amzn-requestid"), "r-1");
});

Deno.test("unflattenQuery() keeps a map entry whose key is __proto__", () => {
  const params = unflattenQuery(
    new URLSearchParams(
      "Tags.entry.1.key=__proto__&Tags.entry.1.value=v&Tags.entry.2.key=a&Tags.entry.2.value=b",
    ),
  );
  const tags = params.Tags as Record<string, string>;
  assert.deepEqual(Object.keys(tags).sort(), ["__proto__", "a"]);
  assert.equal(Object.getOwnPropertyDescriptor(tags, "__proto__")?.value, "v");
});

Deno.test("awsQueryService() renders lists as asked and maps errors to their query code", async () => {
  const handler = awsQueryService({
    version: "2010-08-01",
    xmlns: "http://monitoring.amazonaws.com/doc/2010-08-01/",
    lists: "flat",
    queryError: (error) => new AwsError(`Query${error.code}`, error.message),
    operations: {
      ListMetrics: () => ({ Metrics: { member: [{ MetricName: "a" }, { MetricName: "b" }] } }),
      PutMetricData: () => {
        throw new AwsError("InvalidParameterValueException", "bad");
      },
    },
  });
  const listed = await (await handler(formRequest("Action=ListMetrics"))).text();
  assert.ok(
    listed.includes("<Metrics><member><MetricName>a</MetricName></member><member>"),
    listed,
  );
  const failed = await handler(formRequest("Action=PutMetricData"));
  assert.equal(failed.status, 400);
  assert.match(await failed.text(), /<Code>QueryInvalidParameterValueException<\/Code>/);
});
