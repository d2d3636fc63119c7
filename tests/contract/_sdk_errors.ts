/**
 * Looking at the errors the real SDK clients throw: what a call rejected
 * with, its HTTP status, and an `assert.rejects` matcher for name and
 * message.
 *
 * @module
 */
import assert from "node:assert/strict";

/** What `promise` rejected with; fails the test if it resolved. */
export async function rejection(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Record<string, unknown>;
  }
  assert.fail("expected the call to fail");
}

/** The HTTP status an SDK error came with. */
export function statusOf(error: Record<string, unknown>): number | undefined {
  return (error.$metadata as { httpStatusCode?: number }).httpStatusCode;
}

/** An `assert.rejects` validator: the error's name, and its message exactly or by pattern. */
export function rejectsWith(name: string, message: string | RegExp): (error: Error) => true {
  return (error: Error) => {
    assert.equal(error.name, name);
    if (typeof message === "string") assert.equal(error.message, message);
    else assert.match(error.message, message);
    return true;
  };
}
