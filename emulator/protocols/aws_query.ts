/**
 * The query protocol (STS, SNS, and CloudWatch from older clients): a form
 * body `Action=<Op>&Version=<v>&...`, replies
 * `<OpResponse><OpResult>...</OpResult><ResponseMetadata>` in XML.
 *
 * @module
 */
import { AwsError, toAwsError } from "../errors.ts";
import { type AwsRequest, bodyText, type ServiceHandler } from "../request.ts";
import { type ListStyle, toXml } from "./xml.ts";

/** A query-protocol value after un-flattening: strings, lists and structures. */
export type QueryValue = string | QueryValue[] | { [key: string]: QueryValue };

/** One operation: un-flattened parameters in, result structure out. */
export type QueryOperation = (
  params: Record<string, QueryValue>,
  request: AwsRequest,
) => unknown | Promise<unknown>;

/** Options for {@linkcode awsQueryService}. */
export interface AwsQueryServiceOptions {
  /** API version (`2011-06-15` for STS). */
  version: string;
  /** XML namespace of responses. */
  xmlns: string;
  /** Operations by action name. */
  operations: Record<string, QueryOperation>;
  /** How arrays in results render (see `toXml`). Default `member`. */
  lists?: ListStyle;
  /** Turns an error into the one the query protocol reports (e.g. its query code). Default: as is. */
  queryError?: (error: AwsError) => AwsError;
}

/**
 * Un-flattens query parameters: `A.member.1.B=x` -> `{A: [{B: "x"}]}`,
 * `M.entry.1.key=k&M.entry.1.value=v` -> `{M: {k: "v"}}`, `A=` -> `{A: ""}`.
 *
 * @example
 * ```ts
 * import { unflattenQuery } from "@sagemaker-async/toolkit/emulator";
 *
 * const params = unflattenQuery(new URLSearchParams("Names.member.2=b&Names.member.1=a"));
 * if (JSON.stringify(params) !== '{"Names":["a","b"]}') throw new Error(JSON.stringify(params));
 * ```
 */
export function unflattenQuery(
  form: URLSearchParams,
): Record<string, QueryValue> {
  type Node = { value?: string; children: Map<string, Node> };
  const root: Node = { children: new Map() };
  for (const [key, value] of form) {
    let node = root;
    for (const part of key.split(".")) {
      let child = node.children.get(part);
      if (!child) node.children.set(part, child = { children: new Map() });
      node = child;
    }
    node.value = value;
  }
  const build = (node: Node): QueryValue => {
    if (node.children.size === 0) return node.value ?? "";
    const member = node.children.get("member");
    if (member && node.children.size === 1) {
      return [...member.children.entries()]
        .sort(([a], [b]) => Number(a) - Number(b))
        .map(([, child]) => build(child));
    }
    const entry = node.children.get("entry");
    if (entry && node.children.size === 1) {
      const map: Record<string, QueryValue> = {};
      for (const child of entry.children.values()) {
        const k = child.children.get("key") ?? child.children.get("Name");
        const v = child.children.get("value") ?? child.children.get("Value");
        if (k?.value !== undefined && v) map[k.value] = build(v);
      }
      return map;
    }
    const out: Record<string, QueryValue> = {};
    for (const [k, child] of node.children) out[k] = build(child);
    return out;
  };
  return build(root) as Record<string, QueryValue>;
}

/** Renders an error in the query protocol's shape. */
export function queryErrorResponse(
  error: AwsError,
  requestId: string,
  xmlns?: string,
): Response {
  const xml = toXml("ErrorResponse", {
    Error: {
      Type: error.fault,
      Code: error.code,
      Message: error.message,
      ...error.fields,
    },
    RequestId: requestId,
  }, { attributes: xmlns ? { xmlns } : {} });
  return new Response(xml, {
    status: error.status,
    headers: {
      "content-type": "text/xml",
      "x-amzn-requestid": requestId,
      ...error.headers,
    },
  });
}

/** Builds the handler for a query-protocol service. */
export function awsQueryService(
  options: AwsQueryServiceOptions,
): ServiceHandler {
  return async (request) => {
    try {
      const form = new URLSearchParams(bodyText(request));
      for (const [k, v] of request.query) if (!form.has(k)) form.set(k, v);
      const action = form.get("Action") ?? "";
      const operation = Object.hasOwn(options.operations, action)
        ? options.operations[action]
        : undefined;
      if (!operation) {
        throw new AwsError(
          "InvalidAction",
          `Could not find operation ${action || "(none)"} for version ${options.version}`,
        );
      }
      const params = unflattenQuery(form);
      delete params.Action;
      delete params.Version;
      const result = await operation(params, request);
      const body: Record<string, unknown> = {};
      if (result !== undefined && result !== null) {
        body[`${action}Result`] = result;
      }
      body.ResponseMetadata = { RequestId: request.requestId };
      return new Response(
        toXml(`${action}Response`, body, {
          lists: options.lists,
          attributes: { xmlns: options.xmlns },
        }),
        {
          status: 200,
          headers: {
            "content-type": "text/xml",
            "x-amzn-requestid": request.requestId,
          },
        },
      );
    } catch (error) {
      const aws = toAwsError(error, "InternalFailure");
      return queryErrorResponse(
        options.queryError ? options.queryError(aws) : aws,
        request.requestId,
        options.xmlns,
      );
    }
  };
}
