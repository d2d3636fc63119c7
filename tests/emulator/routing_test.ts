import assert from "node:assert/strict";
import { parseAuthorization, routeService } from "../../emulator/routing.ts";

const SIGNATURE = "fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024";
const HEADER =
  "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-west-2/sagemaker/aws4_request, " +
  `SignedHeaders=host;x-amz-date;x-amz-target, Signature=${SIGNATURE}`;

const noQuery = new URLSearchParams();

Deno.test("parseAuthorization() reads key, date, region, service, signed headers and signature from the header", () => {
  assert.deepEqual(parseAuthorization(new Headers({ authorization: HEADER }), noQuery), {
    accessKeyId: "AKIDEXAMPLE",
    date: "20260101",
    region: "us-west-2",
    service: "sagemaker",
    signedHeaders: ["host", "x-amz-date", "x-amz-target"],
    signature: SIGNATURE,
    presigned: false,
  });
});

Deno.test("parseAuthorization() accepts the header without spaces after commas", () => {
  const compact = HEADER.replaceAll(", ", ",");
  const parsed = parseAuthorization(new Headers({ authorization: compact }), noQuery);
  assert.equal(parsed?.service, "sagemaker");
  assert.equal(parsed?.signature, SIGNATURE);
});

Deno.test("parseAuthorization() returns null for a malformed Authorization header", () => {
  const malformed = [
    "Bearer abc",
    "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/s3/aws4_request, Signature=abcd",
    "AWS4-HMAC-SHA256 Credential=AKID/2026/us-east-1/s3/aws4_request, SignedHeaders=host, " +
    "Signature=abcd",
    "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/s3/aws4_other, SignedHeaders=host, " +
    "Signature=abcd",
    "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, " +
    "Signature=XYZ",
    "",
  ];
  for (const authorization of malformed) {
    assert.equal(
      parseAuthorization(new Headers({ authorization }), noQuery),
      null,
      JSON.stringify(authorization),
    );
  }
});

Deno.test("parseAuthorization() reads a presigned query", () => {
  const query = new URLSearchParams({
    "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
    "X-Amz-Credential": "AKIDEXAMPLE/20260101/eu-west-1/s3/aws4_request",
    "X-Amz-Date": "20260101T000000Z",
    "X-Amz-Expires": "900",
    "X-Amz-SignedHeaders": "host",
    "X-Amz-Signature": SIGNATURE,
  });
  assert.deepEqual(parseAuthorization(new Headers(), query), {
    accessKeyId: "AKIDEXAMPLE",
    date: "20260101",
    region: "eu-west-1",
    service: "s3",
    signedHeaders: ["host"],
    signature: SIGNATURE,
    presigned: true,
  });
});

Deno.test("parseAuthorization() returns null for a presigned query missing a part", () => {
  const complete = {
    "X-Amz-Credential": "AKID/20260101/eu-west-1/s3/aws4_request",
    "X-Amz-SignedHeaders": "host",
    "X-Amz-Signature": SIGNATURE,
  };
  const broken: Array<Record<string, string>> = [
    { ...complete, "X-Amz-Credential": "AKID/20260101/eu-west-1/s3" },
    { ...complete, "X-Amz-Credential": "AKID/20260101/eu-west-1/s3/other" },
    { ...complete, "X-Amz-SignedHeaders": "" },
    { "X-Amz-Credential": complete["X-Amz-Credential"], "X-Amz-Signature": SIGNATURE },
    { "X-Amz-Credential": complete["X-Amz-Credential"], "X-Amz-SignedHeaders": "host" },
  ];
  for (const params of broken) {
    assert.equal(
      parseAuthorization(new Headers(), new URLSearchParams(params)),
      null,
      JSON.stringify(params),
    );
  }
});

Deno.test("parseAuthorization() returns undefined for an unsigned request", () => {
  assert.equal(parseAuthorization(new Headers(), noQuery), undefined);
  assert.equal(
    parseAuthorization(
      new Headers({ "x-amz-date": "20260101T000000Z" }),
      new URLSearchParams("a=1"),
    ),
    undefined,
  );
});

Deno.test("parseAuthorization() prefers the header over a presigned query", () => {
  const query = new URLSearchParams({
    "X-Amz-Credential": "OTHER/20260101/eu-west-1/s3/aws4_request",
    "X-Amz-SignedHeaders": "host",
    "X-Amz-Signature": SIGNATURE,
  });
  const parsed = parseAuthorization(new Headers({ authorization: HEADER }), query);
  assert.equal(parsed?.accessKeyId, "AKIDEXAMPLE");
  assert.equal(parsed?.presigned, false);
});

Deno.test("routeService() routes signed requests by the credential scope's service", () => {
  const route = (signingService: string, rawPath = "/") =>
    routeService({ signingService, target: null, rawPath });
  assert.equal(route("s3"), "s3");
  assert.equal(route("s3", "/endpoints/x/invocations"), "s3");
  assert.equal(route("sagemaker"), "sagemaker");
  assert.equal(route("sagemaker", "/endpoints/falcon/async-invocations"), "sagemaker-runtime");
  assert.equal(route("application-autoscaling"), "application-autoscaling");
  assert.equal(route("monitoring"), "monitoring");
  assert.equal(route("sts"), "sts");
  assert.equal(route("sns"), "sns");
});

Deno.test("routeService() trusts the signing name over X-Amz-Target and form Version", () => {
  assert.equal(
    routeService({
      signingService: "sts",
      target: "SageMaker.CreateEndpoint",
      rawPath: "/",
      formVersion: "2010-03-31",
    }),
    "sts",
  );
});

Deno.test("routeService() returns undefined for a signing name it does not serve", () => {
  for (const signingService of ["dynamodb", "execute-api", "S3", ""]) {
    assert.equal(
      routeService({ signingService, target: null, rawPath: "/" }),
      undefined,
      signingService,
    );
  }
});

Deno.test("routeService() routes unsigned awsJson requests by X-Amz-Target prefix", () => {
  const route = (target: string) => routeService({ target, rawPath: "/" });
  assert.equal(route("SageMaker.CreateEndpoint"), "sagemaker");
  assert.equal(route("AnyScaleFrontendService.RegisterScalableTarget"), "application-autoscaling");
  assert.equal(route("GraniteServiceVersion20100801.PutMetricData"), "monitoring");
  assert.equal(route("DynamoDB_20120810.GetItem"), undefined);
  assert.equal(route("SageMakerX.CreateEndpoint"), undefined);
});

Deno.test("routeService() routes unsigned Runtime paths to sagemaker-runtime", () => {
  assert.equal(
    routeService({ target: null, rawPath: "/endpoints/falcon/async-invocations" }),
    "sagemaker-runtime",
  );
  assert.equal(
    routeService({
      target: null,
      rawPath: "/endpoints/falcon/invocations",
      formVersion: "2011-06-15",
    }),
    "sagemaker-runtime",
  );
});

Deno.test("routeService() routes unsigned query-protocol forms by Version", () => {
  const route = (formVersion: string) => routeService({ target: null, rawPath: "/", formVersion });
  assert.equal(route("2011-06-15"), "sts");
  assert.equal(route("2010-03-31"), "sns");
  assert.equal(route("2010-08-01"), "monitoring");
  assert.equal(route("2099-01-01"), undefined);
});

Deno.test("routeService() sends anything else unsigned to S3", () => {
  assert.equal(routeService({ target: null, rawPath: "/my-bucket/key" }), "s3");
  assert.equal(routeService({ target: null, rawPath: "/", formVersion: null }), "s3");
  assert.equal(routeService({ target: "", rawPath: "/b", formVersion: "" }), "s3");
});

Deno.test("routeService() returns undefined for a Version naming an Object.prototype member", () => {
  for (const formVersion of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
    assert.equal(
      routeService({ target: null, rawPath: "/", formVersion }),
      undefined,
      formVersion,
    );
  }
});
