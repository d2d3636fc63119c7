/**
 * Emulator-only routes under `/_emulator/sns` (not an AWS API) for tests and
 * notebooks:
 *
 * - `GET /_emulator/sns/queues`: every in-emulator queue and its message count.
 * - `GET /_emulator/sns/queues/<name>`: `{"messages": [...]}`, oldest first; each
 *   has `messageId`, `subscriptionArn`, `body` (what an HTTP endpoint would
 *   receive) and `notification` (`body` parsed, absent with raw delivery).
 *   A queue nothing was delivered to is empty.
 * - `DELETE /_emulator/sns/queues/<name>`: empties the queue; `{"deleted": n}`.
 * - `GET /_emulator/sns/undeliverable`: HTTP deliveries that failed every retry.
 *
 * @module
 */
import type { AwsRequest } from "../request.ts";
import type { SnsState } from "./state.ts";

/** Serves the SNS admin routes; `subpath` starts after `/_emulator/sns`. */
export async function snsAdmin(
  state: SnsState,
  request: AwsRequest,
  subpath: string,
): Promise<Response> {
  const parts = subpath.split("/").filter((part) => part !== "").map(decodeURIComponent);
  if (request.method === "GET" && parts.length === 1 && parts[0] === "queues") {
    return Response.json({
      queues: [...state.queues.entries()].map(([name, messages]) => ({
        name,
        messages: messages.length,
      })),
    });
  }
  if (parts.length === 2 && parts[0] === "queues") {
    const name = parts[1]!;
    if (request.method === "GET") {
      return Response.json({ messages: state.queues.get(name) ?? [] });
    }
    if (request.method === "DELETE") {
      const deleted = state.queues.get(name)?.length ?? 0;
      state.queues.delete(name);
      await state.changed();
      return Response.json({ deleted });
    }
  }
  if (request.method === "GET" && parts.length === 1 && parts[0] === "undeliverable") {
    return Response.json({ messages: state.undeliverable });
  }
  return Response.json(
    { message: `No SNS admin route ${request.method} /_emulator/sns${subpath}` },
    { status: 404 },
  );
}
