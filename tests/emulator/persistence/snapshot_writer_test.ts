import assert from "node:assert/strict";
import type { Persistence } from "../../../emulator/context.ts";
import { MemoryPersistence } from "../../../emulator/persistence/memory.ts";
import { SnapshotWriter } from "../../../emulator/persistence/snapshot_writer.ts";

/** A durable persistence whose saves finish when the test says so. */
class GatedPersistence implements Persistence {
  readonly durable = true;
  readonly saved: unknown[] = [];
  readonly gates: Array<PromiseWithResolvers<void>> = [];
  fail = false;

  load<T>(): Promise<T | undefined> {
    return Promise.resolve(undefined);
  }
  async save(_section: string, value: unknown): Promise<void> {
    const gate = Promise.withResolvers<void>();
    this.gates.push(gate);
    await gate.promise;
    if (this.fail) throw new Error("disk full");
    this.saved.push(structuredClone(value));
  }
  writeBlob(): Promise<void> {
    return Promise.resolve();
  }
  readBlob(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array());
  }
  deleteBlob(): Promise<void> {
    return Promise.resolve();
  }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

Deno.test("SnapshotWriter coalesces commits made during a save into one more save", async () => {
  const persistence = new GatedPersistence();
  const state = { n: 0 };
  const writer = new SnapshotWriter({ persistence, section: "s", snapshot: () => ({ ...state }) });
  state.n = 1;
  const first = writer.commit();
  await tick();
  state.n = 2;
  const second = writer.commit();
  state.n = 3;
  const third = writer.commit();
  let secondDone = false;
  second.then(() => secondDone = true);
  persistence.gates[0]!.resolve();
  await first;
  await tick();
  assert.equal(secondDone, false, "the second commit waits for a save that includes it");
  assert.equal(persistence.gates.length, 2);
  persistence.gates[1]!.resolve();
  await Promise.all([second, third]);
  assert.deepEqual(persistence.saved, [{ n: 1 }, { n: 3 }]);
});

Deno.test("SnapshotWriter rejects the commits a failed save covered, then recovers", async () => {
  const persistence = new GatedPersistence();
  const writer = new SnapshotWriter({ persistence, section: "s", snapshot: () => ({}) });
  persistence.fail = true;
  const failing = writer.commit();
  await tick();
  persistence.gates[0]!.resolve();
  await assert.rejects(failing, /disk full/);
  persistence.fail = false;
  const next = writer.commit();
  await tick();
  persistence.gates[1]!.resolve();
  await next;
  await writer.flush();
  assert.equal(persistence.saved.length, 1);
});

Deno.test("SnapshotWriter resolves at once without building snapshots for memory persistence", async () => {
  let built = 0;
  const writer = new SnapshotWriter({
    persistence: new MemoryPersistence(),
    section: "s",
    snapshot: () => ++built,
  });
  await writer.commit();
  await writer.flush();
  assert.equal(built, 0);
});

Deno.test("commitInBackground() tracks the save on the clock and reports its failure", async () => {
  const persistence = new GatedPersistence();
  const writer = new SnapshotWriter({ persistence, section: "s", snapshot: () => ({ n: 1 }) });
  const tracked: Array<Promise<unknown>> = [];
  const reported: unknown[] = [];
  const context = {
    clock: { track: (work: Promise<unknown>) => void tracked.push(work) },
    reportError: (error: unknown) => void reported.push(error),
  } as unknown as Parameters<SnapshotWriter["commitInBackground"]>[0];
  persistence.fail = true;
  writer.commitInBackground(context);
  assert.equal(tracked.length, 1);
  await tick();
  persistence.gates[0]!.resolve();
  await tracked[0];
  assert.equal((reported[0] as Error).message, "disk full");

  const memory = new SnapshotWriter({
    persistence: new MemoryPersistence(),
    section: "s",
    snapshot: () => ({}),
  });
  memory.commitInBackground(context);
  assert.equal(tracked.length, 1, "nothing to save without a durable persistence");
});
