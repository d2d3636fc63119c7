/**
 * The default: state lives only in the services' own memory and is gone when
 * the process ends. Services check {@linkcode Persistence.durable} and skip
 * building snapshots when it is false.
 *
 * @module
 */
import type { Persistence } from "../context.ts";

/** A {@linkcode Persistence} that keeps nothing: every load finds nothing. */
export class MemoryPersistence implements Persistence {
  readonly durable = false;

  load<T>(_section: string): Promise<T | undefined> {
    return Promise.resolve(undefined);
  }

  save(_section: string, _value: unknown): Promise<void> {
    return Promise.resolve();
  }

  writeBlob(_id: string, _bytes: Uint8Array): Promise<void> {
    return Promise.resolve();
  }

  readBlob(id: string): Promise<Uint8Array> {
    return Promise.reject(
      new Deno.errors.NotFound(`In-memory emulator keeps no blob ${id}`),
    );
  }

  deleteBlob(_id: string): Promise<void> {
    return Promise.resolve();
  }
}
