/**
 * Waiting for asynchronous inference results: one polling loop serves every
 * pending wait, checks each inference's output and failure objects in the
 * same round, and settles each wait as soon as its object appears.
 *
 * @module
 */
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type S3Client,
} from "@aws-sdk/client-s3";
import { Backoff, type BackoffOptions } from "./backoff.ts";
import { type Clock, systemClock } from "./clock.ts";
import { InferenceFailedError, WaitTimeoutError } from "./errors.ts";
import { deserializeResult, type JsonValue } from "./payload.ts";
import { emitProgress, type ProgressCallback } from "./progress.ts";
import { parseS3Uri, type S3Location } from "./s3_uri.ts";
import { assertDurationMs, assertIntegerInRange } from "./validation.ts";

/**
 * Where an inference's result will appear. An {@linkcode AsyncInvocation}
 * from `invokeAsync` is one; so is an object rebuilt from stored locations,
 * which lets a wait resume after a restart.
 */
export interface ResultTarget {
  /** `s3://` URI of the output object. */
  readonly outputLocation: string;
  /** `s3://` URI of the failure object, if the endpoint has a failure path. */
  readonly failureLocation?: string | undefined;
  /** The inference id, carried into results and errors. */
  readonly inferenceId?: string | undefined;
}

/** A finished inference's output. */
export interface InferenceResult<T = JsonValue | Uint8Array> {
  /** The inference id from the target, if it had one. */
  readonly inferenceId: string | undefined;
  /** `s3://` URI the output was read from. */
  readonly outputLocation: string;
  /** The output decoded by the waiter's `decode` (default: by content type). */
  readonly value: T;
  /** The output object's bytes. */
  readonly body: Uint8Array;
  /** The output object's content type, if S3 reported one. */
  readonly contentType: string | undefined;
  /** Clock time when the output was read, epoch ms. */
  readonly observedAt: number;
}

/** Turns an output object into a value; `source` is its `s3://` URI. */
export type ResultDecoder<T> = (
  body: Uint8Array,
  contentType: string | undefined,
  source: string,
) => T;

/** How one wait ended, as a value (from `waitAll` and `asCompleted`). */
export type WaitOutcome<T = JsonValue | Uint8Array> =
  | {
    readonly status: "succeeded";
    readonly target: ResultTarget;
    readonly result: InferenceResult<T>;
  }
  | { readonly status: "failed"; readonly target: ResultTarget; readonly error: unknown };

/** Options for {@linkcode ResultWaiter}. */
export interface ResultWaiterOptions<T = JsonValue | Uint8Array> {
  /** S3 client for the checks and reads. */
  clients: { s3: S3Client };
  /** Clock for deadlines and the delays between rounds. Default {@linkcode systemClock}. */
  clock?: Clock;
  /**
   * Stops the waiter: every pending wait rejects with `signal.reason`, and
   * later waits reject at once.
   */
  signal?: AbortSignal;
  /**
   * Default per-wait deadline, ms; `Infinity` for none. Default 900,000
   * (15 minutes, the SageMaker Python SDK's 60 attempts x 15 s).
   */
  timeoutMs?: number;
  /**
   * Delays between rounds. Default: decorrelated jitter from 1 s up to 20 s.
   * The schedule starts over whenever a wait completes or a new one starts,
   * and rounds never start closer together than its initial delay.
   */
  backoff?: BackoffOptions | Backoff;
  /** Decodes outputs. Default {@linkcode deserializeResult} (by content type). */
  decode?: ResultDecoder<T>;
  /**
   * Receives a `results` event after every round and whenever waits end
   * between rounds. Counts cover the current busy period (from the moment
   * the loop starts with work until it goes idle); `failed` includes failure
   * objects, S3 errors, timeouts and cancelled waits.
   */
  onProgress?: ProgressCallback;
  /**
   * Consecutive rounds with an S3 error (other than not-found) a wait
   * tolerates before it rejects with that error. `AccessDenied` (any 403)
   * and `NoSuchBucket` reject at once. Default 5.
   */
  maxConsecutiveErrors?: number;
  /**
   * Pending objects one `ListObjectsV2` page must replace before a round
   * lists a prefix instead of sending one `HeadObject` per object. Default
   * 13 (see {@linkcode DEFAULT_LIST_THRESHOLD}); `Infinity` never lists.
   */
  listThreshold?: number;
  /** S3 requests in flight at once within a round. Default 16. */
  maxConcurrentRequests?: number;
}

/** Options for one wait. */
export interface WaitOptions {
  /** Cancels this wait only; it rejects with `signal.reason` unchanged. */
  signal?: AbortSignal;
  /** Deadline for this wait, ms; default the waiter's `timeoutMs`. */
  timeoutMs?: number;
}

/** What the waiter has done so far (S3 calls it sent, by kind). */
export interface ResultWaiterStats {
  /** Polling rounds run. */
  readonly rounds: number;
  /** `HeadObject` calls. */
  readonly headRequests: number;
  /** `ListObjectsV2` pages. */
  readonly listRequests: number;
  /** `GetObject` calls. */
  readonly getRequests: number;
  /** S3 errors other than not-found. */
  readonly errors: number;
}

/**
 * When to list instead of HEAD. A `ListObjectsV2` page returns up to 1,000
 * keys of a prefix for one request, but S3 bills it as a LIST: $0.005 per
 * 1,000 against $0.0004 per 1,000 for HEAD/GET (S3 Standard, us-east-1),
 * so one page costs as much as 12.5 HEADs. HEADs of a round go out in
 * parallel (up to `maxConcurrentRequests`, 16), so below that many objects a
 * round of HEADs takes about one request's latency anyway and listing would
 * only cost more. At 13 or more pending objects per expected page, listing is
 * both cheaper and needs fewer requests: 100 pending inferences of one
 * endpoint cost 2 LIST pages a round (outputs and failures) instead of 200
 * HEADs. The expected page count of a prefix is what its previous listing
 * took (listing starts just before the lowest pending key and stops after
 * the highest), so a prefix crowded with old results falls back to HEADs.
 * S3 listings are strongly consistent (since December 2020), so a listed
 * miss means the object is not there yet.
 */
export const DEFAULT_LIST_THRESHOLD = 13;

const DEFAULT_TIMEOUT_MS = 15 * 60_000;

interface ObjectRef extends S3Location {
  readonly uri: string;
}

interface Entry<T> {
  readonly target: ResultTarget;
  readonly output: ObjectRef;
  readonly failure: ObjectRef | undefined;
  readonly startedAt: number;
  readonly deadline: number;
  rounds: number;
  lastAt: number | undefined;
  summary: string;
  consecutiveErrors: number;
  settled: boolean;
  resolve(result: InferenceResult<T>): void;
  reject(error: unknown): void;
  detach(): void;
}

interface Probe {
  readonly ref: ObjectRef;
  state: "missing" | "found" | "error";
  error?: unknown;
}

/**
 * One polling loop for any number of pending asynchronous inferences.
 *
 * Each round checks the output and the failure object of every pending wait
 * (a `HeadObject` each, or one `ListObjectsV2` per prefix when many share it,
 * see {@linkcode DEFAULT_LIST_THRESHOLD}), then reads what appeared: an
 * output resolves its wait with the decoded result (the output wins if both
 * objects exist), a failure object rejects it with
 * {@linkcode InferenceFailedError}, a deadline with
 * {@linkcode WaitTimeoutError} carrying the last observation. Between rounds
 * it sleeps on the injected clock with backoff. The loop runs only while
 * waits are pending, so an idle waiter holds no timer.
 *
 * @example Wait for one result (the output is already there)
 * ```ts
 * import { ResultWaiter } from "@sagemaker-async/toolkit";
 * import { ManualClock } from "@sagemaker-async/toolkit/testing";
 * import { GetObjectCommand, HeadObjectCommand, S3Client } from "@aws-sdk/client-s3";
 * import { mockClient } from "aws-sdk-client-mock";
 *
 * const s3 = new S3Client({ region: "us-east-1" });
 * const body = new TextEncoder().encode('[{"generated_text":"Paris"}]');
 * const s3Mock = mockClient(s3);
 * s3Mock.on(HeadObjectCommand).resolves({});
 * s3Mock.on(GetObjectCommand).resolves({
 *   ContentType: "application/json",
 *   // deno-lint-ignore no-explicit-any
 *   Body: { transformToByteArray: () => Promise.resolve(body) } as any,
 * });
 *
 * await using waiter = new ResultWaiter({ clients: { s3 }, clock: new ManualClock() });
 * const result = await waiter.wait({
 *   inferenceId: "q1",
 *   outputLocation: "s3://my-bucket/out/q1.out",
 *   failureLocation: "s3://my-bucket/fail/q1-error.out",
 * });
 * const [first] = result.value as { generated_text: string }[];
 * if (first?.generated_text !== "Paris") throw new Error("unexpected result");
 * ```
 */
export class ResultWaiter<T = JsonValue | Uint8Array> implements AsyncDisposable {
  readonly #s3: S3Client;
  readonly #clock: Clock;
  readonly #timeoutMs: number;
  readonly #backoff: Backoff;
  readonly #decode: ResultDecoder<T>;
  readonly #onProgress: ProgressCallback | undefined;
  readonly #maxErrors: number;
  readonly #listThreshold: number;
  readonly #concurrency: number;
  readonly #stopController = new AbortController();
  readonly #externalSignal: AbortSignal | undefined;
  readonly #onExternalAbort = () => this.#stop(this.#externalSignal!.reason);

  readonly #pending = new Set<Entry<T>>();
  readonly #listPages = new Map<string, number>();
  #stopped = false;
  #stopReason: unknown;
  #running = false;
  #loopDone: Promise<void> = Promise.resolve();
  #wake: AbortController | undefined;
  #added = false;
  #reportedInRound = false;
  #lastRoundAt = -Infinity;
  #busy = { since: 0, total: 0, succeeded: 0, failed: 0 };
  #stats = { rounds: 0, headRequests: 0, listRequests: 0, getRequests: 0, errors: 0 };

  /** Checks the options; the loop starts only once there is something to wait for. */
  constructor(options: ResultWaiterOptions<T>) {
    if (typeof options?.clients?.s3?.send !== "function") {
      throw new TypeError("Invalid clients.s3: a ResultWaiter needs an S3Client");
    }
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    assertDurationMs(timeoutMs, "timeoutMs");
    const maxErrors = options.maxConsecutiveErrors ?? 5;
    assertIntegerInRange(maxErrors, "maxConsecutiveErrors", { min: 1, max: 1_000 });
    const listThreshold = options.listThreshold ?? DEFAULT_LIST_THRESHOLD;
    if (
      typeof listThreshold !== "number" || Number.isNaN(listThreshold) || listThreshold < 1
    ) {
      throw new RangeError(
        `Invalid listThreshold ${listThreshold}: must be a number >= 1 (Infinity never lists)`,
      );
    }
    const concurrency = options.maxConcurrentRequests ?? 16;
    assertIntegerInRange(concurrency, "maxConcurrentRequests", { min: 1, max: 1_000 });
    if (options.decode !== undefined && typeof options.decode !== "function") {
      throw new TypeError("Invalid decode: must be a function (body, contentType, source)");
    }
    this.#s3 = options.clients.s3;
    this.#clock = options.clock ?? systemClock;
    this.#timeoutMs = timeoutMs;
    this.#backoff = options.backoff instanceof Backoff
      ? options.backoff
      : new Backoff({ initialMs: 1_000, maxMs: 20_000, ...options.backoff });
    this.#decode = options.decode ??
      ((body, contentType, source) => deserializeResult(body, contentType, { source }) as T);
    this.#onProgress = options.onProgress;
    this.#maxErrors = maxErrors;
    this.#listThreshold = listThreshold;
    this.#concurrency = concurrency;
    this.#externalSignal = options.signal;
    if (options.signal?.aborted) this.#stop(options.signal.reason);
    else options.signal?.addEventListener("abort", this.#onExternalAbort, { once: true });
  }

  /** Waits currently pending. */
  get pending(): number {
    return this.#pending.size;
  }

  /** S3 calls and rounds so far. */
  get stats(): ResultWaiterStats {
    return { ...this.#stats };
  }

  /**
   * Waits for one inference. Resolves with its decoded output; rejects with
   * {@linkcode InferenceFailedError} when its failure object appears,
   * {@linkcode WaitTimeoutError} at the deadline, `signal.reason` unchanged
   * when `signal` aborts, or the S3 error that kept failing its checks.
   * A target that is not a valid `s3://` location rejects with a `TypeError`
   * before any call.
   */
  wait(target: ResultTarget, options: WaitOptions = {}): Promise<InferenceResult<T>> {
    let refs: { output: ObjectRef; failure: ObjectRef | undefined; timeoutMs: number };
    try {
      refs = this.#prepare(target, options.timeoutMs);
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.#stopped) return Promise.reject(this.#stopReason);
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<InferenceResult<T>>((resolve, reject) => {
      const startedAt = this.#clock.now();
      const onAbort = () => {
        if (this.#fail(entry, signal!.reason)) this.#poke();
      };
      const entry: Entry<T> = {
        target,
        output: refs.output,
        failure: refs.failure,
        startedAt,
        deadline: startedAt + refs.timeoutMs,
        rounds: 0,
        lastAt: undefined,
        summary: "not checked yet",
        consecutiveErrors: 0,
        settled: false,
        resolve,
        reject,
        detach: () => signal?.removeEventListener("abort", onAbort),
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#add(entry);
    });
  }

  /**
   * Waits for every target through the one loop and returns how each ended,
   * in the order given. A failed inference, an S3 error or a timeout is an
   * outcome, not a rejection, so no result is lost; only an abort of
   * `signal` rejects (with `signal.reason` unchanged).
   */
  async waitAll(
    targets: Iterable<ResultTarget>,
    options: WaitOptions = {},
  ): Promise<WaitOutcome<T>[]> {
    const list = [...targets];
    for (const target of list) this.#prepare(target, options.timeoutMs);
    options.signal?.throwIfAborted();
    const outcomes = await Promise.all(list.map((target) => this.#outcome(target, options)));
    options.signal?.throwIfAborted();
    return outcomes;
  }

  /**
   * Yields how each wait ended, in completion order. Failures are yielded as
   * values (`status: "failed"`), so one failed inference does not end the
   * iteration or lose the others. Aborting `signal` ends the iteration by
   * throwing `signal.reason`; leaving the loop early cancels the waits not
   * yet yielded. Invalid targets throw a `TypeError` before any call.
   *
   * @example
   * ```ts
   * import { ResultWaiter } from "@sagemaker-async/toolkit";
   * import { ManualClock } from "@sagemaker-async/toolkit/testing";
   * import { GetObjectCommand, HeadObjectCommand, NotFound, S3Client } from "@aws-sdk/client-s3";
   * import { mockClient } from "aws-sdk-client-mock";
   *
   * const s3 = new S3Client({ region: "us-east-1" });
   * const s3Mock = mockClient(s3);
   * s3Mock.on(HeadObjectCommand).callsFake(({ Key }) => {
   *   if (Key === "out/a.out" || Key === "fail/b-error.out") return {};
   *   throw new NotFound({ message: "NotFound", $metadata: { httpStatusCode: 404 } });
   * });
   * s3Mock.on(GetObjectCommand).callsFake(({ Key }) => ({
   *   ContentType: "text/plain",
   *   // deno-lint-ignore no-explicit-any
   *   Body: { transformToByteArray: () => Promise.resolve(new TextEncoder().encode(Key)) } as any,
   * }));
   *
   * await using waiter = new ResultWaiter({ clients: { s3 }, clock: new ManualClock() });
   * const statuses: string[] = [];
   * for await (const outcome of waiter.asCompleted([
   *   { outputLocation: "s3://my-bucket/out/a.out", failureLocation: "s3://my-bucket/fail/a-error.out" },
   *   { outputLocation: "s3://my-bucket/out/b.out", failureLocation: "s3://my-bucket/fail/b-error.out" },
   * ])) {
   *   statuses.push(outcome.status);
   * }
   * if (statuses.sort().join() !== "failed,succeeded") throw new Error(statuses.join());
   * ```
   */
  async *asCompleted(
    targets: Iterable<ResultTarget>,
    options: WaitOptions = {},
  ): AsyncGenerator<WaitOutcome<T>, void, undefined> {
    const list = [...targets];
    for (const target of list) this.#prepare(target, options.timeoutMs);
    const { signal } = options;
    signal?.throwIfAborted();
    const cancel = new AbortController();
    const combined = signal ? AbortSignal.any([signal, cancel.signal]) : cancel.signal;
    const queue: WaitOutcome<T>[] = [];
    let notify: (() => void) | undefined;
    for (const target of list) {
      this.#outcome(target, { signal: combined, timeoutMs: options.timeoutMs }).then((outcome) => {
        queue.push(outcome);
        notify?.();
      });
    }
    try {
      for (let remaining = list.length; remaining > 0;) {
        if (queue.length === 0) {
          await new Promise<void>((resolve) => notify = resolve);
          notify = undefined;
        }
        signal?.throwIfAborted();
        while (queue.length > 0) {
          remaining--;
          yield queue.shift()!;
        }
      }
    } finally {
      cancel.abort(new DOMException("asCompleted() iteration ended", "AbortError"));
    }
  }

  /**
   * Checks once, outside the loop: reads the output (resolving with it), or
   * else the failure object (rejecting with {@linkcode InferenceFailedError}),
   * or resolves `undefined` when neither exists yet. S3 errors other than
   * not-found reject unchanged.
   */
  async check(
    target: ResultTarget,
    options: { signal?: AbortSignal } = {},
  ): Promise<InferenceResult<T> | undefined> {
    const { output, failure } = this.#prepare(target, undefined);
    options.signal?.throwIfAborted();
    const out = await this.#getIfExists(output, options.signal);
    if (out) return this.#toResult(target, output, out);
    if (!failure) return undefined;
    const failed = await this.#getIfExists(failure, options.signal);
    if (failed) throw this.#toFailure(target, failure, failed.body);
    return undefined;
  }

  /**
   * Stops the waiter: pending waits reject with an `AbortError`, later ones
   * reject at once, and the returned promise settles when the loop has
   * exited (no timer or request left behind).
   */
  async close(): Promise<void> {
    this.#stop(new DOMException("The ResultWaiter was closed", "AbortError"));
    await this.#loopDone;
  }

  /** Same as {@linkcode ResultWaiter.close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #prepare(
    target: ResultTarget,
    timeoutMs: number | undefined,
  ): { output: ObjectRef; failure: ObjectRef | undefined; timeoutMs: number } {
    if (typeof target !== "object" || target === null) {
      throw new TypeError(
        `Invalid result target ${String(target)}: must be an object with outputLocation`,
      );
    }
    const output = objectRef(target.outputLocation, "outputLocation");
    const failure = target.failureLocation === undefined
      ? undefined
      : objectRef(target.failureLocation, "failureLocation");
    const ms = timeoutMs ?? this.#timeoutMs;
    assertDurationMs(ms, "timeoutMs");
    return { output, failure, timeoutMs: ms };
  }

  #outcome(target: ResultTarget, options: WaitOptions): Promise<WaitOutcome<T>> {
    return this.wait(target, options).then(
      (result) => ({ status: "succeeded", target, result }),
      (error) => ({ status: "failed", target, error }),
    );
  }

  #add(entry: Entry<T>): void {
    if (!this.#running) {
      this.#busy = { since: this.#clock.now(), total: 0, succeeded: 0, failed: 0 };
    }
    this.#pending.add(entry);
    this.#busy.total++;
    this.#backoff.reset();
    if (this.#running) {
      this.#added = true;
      this.#poke();
    } else {
      this.#running = true;
      this.#loopDone = this.#run();
    }
  }

  /** Ends a sleep early so the loop looks at its work again. */
  #poke(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.abort();
  }

  #stop(reason: unknown): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#stopReason = reason;
    this.#externalSignal?.removeEventListener("abort", this.#onExternalAbort);
    this.#stopController.abort(reason);
    for (const entry of [...this.#pending]) this.#fail(entry, reason);
    this.#poke();
  }

  async #run(): Promise<void> {
    // Let callers that start many waits in one go join the first round.
    await Promise.resolve();
    try {
      let nextRoundAt = this.#clock.now();
      for (;;) {
        this.#expireDeadlines();
        if (this.#stopped || this.#pending.size === 0) break;
        const now = this.#clock.now();
        if (this.#added) {
          this.#added = false;
          nextRoundAt = Math.min(
            nextRoundAt,
            Math.max(now, this.#lastRoundAt + this.#backoff.initialMs),
          );
        }
        if (now >= nextRoundAt) {
          this.#lastRoundAt = now;
          this.#added = false;
          this.#reportedInRound = false;
          const completed = await this.#round();
          if (this.#stopped) break;
          // A round that settled nothing still reports (elapsed time, pending count).
          if (!this.#reportedInRound) this.#emitResults();
          if (completed) this.#backoff.reset();
          nextRoundAt = this.#clock.now() + this.#backoff.next();
          continue;
        }
        await this.#sleepUntil(Math.min(nextRoundAt, this.#earliestDeadline()));
      }
    } catch (error) {
      // Only a broken clock gets here; fail the waits rather than leave them hanging.
      for (const entry of [...this.#pending]) this.#fail(entry, error);
    } finally {
      this.#running = false;
    }
  }

  async #sleepUntil(at: number): Promise<void> {
    const ms = at - this.#clock.now();
    if (ms <= 0) return;
    const wake = new AbortController();
    this.#wake = wake;
    try {
      await this.#clock.sleep(ms, wake.signal);
    } catch (error) {
      if (!wake.signal.aborted) throw error;
    } finally {
      if (this.#wake === wake) this.#wake = undefined;
    }
  }

  #earliestDeadline(): number {
    let earliest = Infinity;
    for (const entry of this.#pending) earliest = Math.min(earliest, entry.deadline);
    return earliest;
  }

  #expireDeadlines(): void {
    const now = this.#clock.now();
    for (const entry of [...this.#pending]) {
      if (now < entry.deadline) continue;
      const waitingFor = `output ${entry.output.uri}` +
        (entry.failure ? ` or failure ${entry.failure.uri}` : "");
      this.#fail(
        entry,
        new WaitTimeoutError({
          waitingFor,
          waitedMs: now - entry.startedAt,
          lastObserved: { at: entry.lastAt, rounds: entry.rounds, summary: entry.summary },
        }),
      );
    }
  }

  /** One round; returns whether any wait completed (output or failure object). */
  async #round(): Promise<boolean> {
    this.#stats.rounds++;
    const entries = [...this.#pending];
    const probes = new Map<string, Probe>();
    for (const entry of entries) {
      for (const ref of [entry.output, entry.failure]) {
        if (ref && !probes.has(ref.uri)) probes.set(ref.uri, { ref, state: "missing" });
      }
    }
    await this.#probe([...probes.values()]);
    if (this.#stopped) return false;

    const reads = new Map<
      string,
      { ref: ObjectRef; kind: "output" | "failure"; entries: Entry<T>[] }
    >();
    const read = (ref: ObjectRef, kind: "output" | "failure", entry: Entry<T>) => {
      const existing = reads.get(ref.uri);
      if (existing) existing.entries.push(entry);
      else reads.set(ref.uri, { ref, kind, entries: [entry] });
    };
    const observedAt = this.#clock.now();
    for (const entry of entries) {
      if (entry.settled) continue;
      entry.rounds++;
      entry.lastAt = observedAt;
      const output = probes.get(entry.output.uri)!;
      const failure = entry.failure && probes.get(entry.failure.uri)!;
      if (output.state === "found") read(entry.output, "output", entry);
      else if (output.state === "error") {
        this.#recordError(entry, output.error, `checking output ${entry.output.uri}`);
      } else if (failure?.state === "found") read(entry.failure!, "failure", entry);
      else if (failure?.state === "error") {
        this.#recordError(entry, failure.error, `checking failure ${entry.failure!.uri}`);
      } else {
        entry.consecutiveErrors = 0;
        entry.summary = entry.failure
          ? "no output or failure object yet"
          : "no output object yet (no failure location to check)";
      }
    }

    let completed = false;
    await runLimited(
      [...reads.values()].map(({ ref, kind, entries: readers }) => async () => {
        let object: StoredObject | undefined;
        try {
          object = await this.#getIfExists(ref, this.#stopController.signal);
        } catch (error) {
          if (this.#stopped) return;
          for (const entry of readers) {
            this.#recordError(entry, error, `reading ${kind} ${ref.uri}`);
          }
          return;
        }
        if (this.#stopped) return;
        for (const entry of readers) {
          if (entry.settled) continue;
          if (!object) {
            entry.summary = `${kind} object ${ref.uri} was listed but gone when read`;
            continue;
          }
          completed = true;
          if (kind === "failure") {
            this.#fail(entry, this.#toFailure(entry.target, ref, object.body));
            continue;
          }
          let result: InferenceResult<T>;
          try {
            result = this.#toResult(entry.target, ref, object);
          } catch (error) {
            this.#fail(entry, error);
            continue;
          }
          this.#succeed(entry, result);
        }
      }),
      this.#concurrency,
    );
    return completed;
  }

  /** Fills in each probe: found, missing or error. */
  async #probe(probes: Probe[]): Promise<void> {
    const groups = new Map<string, Probe[]>();
    for (const probe of probes) {
      const dir = probe.ref.key.slice(0, probe.ref.key.lastIndexOf("/") + 1);
      const group = `${probe.ref.bucket}/${dir}`;
      const list = groups.get(group);
      if (list) list.push(probe);
      else groups.set(group, [probe]);
    }
    const tasks: (() => Promise<void>)[] = [];
    for (const [group, members] of groups) {
      const pages = this.#listPages.get(group) ?? 1;
      // Listing compares keys as JS strings; that matches S3's UTF-8 order for ASCII only.
      const ascii = members.every((p) => isAscii(p.ref.key));
      if (ascii && members.length >= this.#listThreshold * pages) {
        tasks.push(() => this.#list(group, members));
      } else {
        for (const probe of members) tasks.push(() => this.#head(probe));
      }
    }
    await runLimited(tasks, this.#concurrency);
  }

  async #head(probe: Probe): Promise<void> {
    this.#stats.headRequests++;
    try {
      await this.#s3.send(
        new HeadObjectCommand({ Bucket: probe.ref.bucket, Key: probe.ref.key }),
        { abortSignal: this.#stopController.signal },
      );
      probe.state = "found";
    } catch (error) {
      if (classifyS3Error(error) === "not-found") probe.state = "missing";
      else Object.assign(probe, { state: "error", error });
    }
  }

  async #list(group: string, members: Probe[]): Promise<void> {
    const { bucket } = members[0]!.ref;
    const prefix = group.slice(bucket.length + 1);
    const keys = members.map((p) => p.ref.key).sort();
    const lowest = keys[0]!;
    const highest = keys.at(-1)!;
    const wanted = new Set(keys);
    const found = new Set<string>();
    let pages = 0;
    let token: string | undefined;
    try {
      do {
        this.#stats.listRequests++;
        pages++;
        const page = await this.#s3.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            Prefix: prefix === "" ? undefined : prefix,
            // Just before the lowest pending key: a proper prefix of it sorts first.
            StartAfter: token === undefined ? lowest.slice(0, -1) || undefined : undefined,
            ContinuationToken: token,
          }),
          { abortSignal: this.#stopController.signal },
        );
        for (const object of page.Contents ?? []) {
          if (object.Key !== undefined && wanted.has(object.Key)) found.add(object.Key);
        }
        const last = page.Contents?.at(-1)?.Key;
        token = page.NextContinuationToken || undefined;
        if (last !== undefined && last >= highest) break;
      } while (token);
    } catch (error) {
      for (const probe of members) Object.assign(probe, { state: "error", error });
      return;
    }
    this.#listPages.set(group, pages);
    for (const probe of members) probe.state = found.has(probe.ref.key) ? "found" : "missing";
  }

  /** GETs an object; `undefined` when it does not exist. */
  async #getIfExists(
    ref: ObjectRef,
    signal: AbortSignal | undefined,
  ): Promise<StoredObject | undefined> {
    this.#stats.getRequests++;
    try {
      const response = await this.#s3.send(
        new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key }),
        { abortSignal: signal },
      );
      const body = response.Body ? await response.Body.transformToByteArray() : new Uint8Array();
      return { body, contentType: response.ContentType };
    } catch (error) {
      if (classifyS3Error(error) === "not-found") return undefined;
      throw error;
    }
  }

  #toResult(target: ResultTarget, ref: ObjectRef, object: StoredObject): InferenceResult<T> {
    return {
      inferenceId: target.inferenceId,
      outputLocation: ref.uri,
      value: this.#decode(object.body, object.contentType, ref.uri),
      body: object.body,
      contentType: object.contentType,
      observedAt: this.#clock.now(),
    };
  }

  #toFailure(target: ResultTarget, ref: ObjectRef, body: Uint8Array): InferenceFailedError {
    return new InferenceFailedError({
      inferenceId: target.inferenceId,
      failureLocation: ref.uri,
      outputLocation: target.outputLocation,
      failureBody: new TextDecoder().decode(body),
    });
  }

  #recordError(entry: Entry<T>, error: unknown, doing: string): void {
    this.#stats.errors++;
    entry.consecutiveErrors++;
    const name = (error as { name?: unknown })?.name ?? "error";
    entry.summary = `${String(name)} while ${doing} ` +
      `(${entry.consecutiveErrors} consecutive error round(s))`;
    if (
      classifyS3Error(error) === "fatal" || entry.consecutiveErrors >= this.#maxErrors
    ) {
      this.#fail(entry, error);
    }
  }

  #succeed(entry: Entry<T>, result: InferenceResult<T>): void {
    if (!this.#settle(entry)) return;
    this.#busy.succeeded++;
    // Counts reach the display before the caller resumes with the result.
    this.#emitResults();
    entry.resolve(result);
  }

  /** Rejects a pending wait; false if it had already ended. */
  #fail(entry: Entry<T>, error: unknown): boolean {
    if (!this.#settle(entry)) return false;
    this.#busy.failed++;
    this.#emitResults();
    entry.reject(error);
    return true;
  }

  #settle(entry: Entry<T>): boolean {
    if (entry.settled) return false;
    entry.settled = true;
    entry.detach();
    this.#pending.delete(entry);
    return true;
  }

  #emitResults(): void {
    this.#reportedInRound = true;
    if (!this.#onProgress) return;
    const { total, succeeded, failed, since } = this.#busy;
    const pending = this.#pending.size;
    emitProgress(this.#onProgress, {
      type: "results",
      total,
      succeeded,
      failed,
      pending,
      elapsedMs: this.#clock.now() - since,
      message: `${succeeded + failed} of ${total} results: ${succeeded} succeeded, ` +
        `${failed} failed, ${pending} pending`,
    });
  }
}

interface StoredObject {
  readonly body: Uint8Array;
  readonly contentType: string | undefined;
}

function objectRef(uri: string, what: string): ObjectRef {
  const location = parseS3Uri(uri, what);
  if (location.key === "" || location.key.endsWith("/")) {
    throw new TypeError(
      `Invalid ${what} ${JSON.stringify(uri)}: must name an object, not a bucket or prefix`,
    );
  }
  return { ...location, uri };
}

/**
 * `not-found`: the object is not there (yet). `fatal`: waiting longer will
 * not help (403 / AccessDenied, NoSuchBucket). `retry`: anything else
 * (throttling, 5xx, network), which the SDK has already retried.
 */
function classifyS3Error(error: unknown): "not-found" | "fatal" | "retry" {
  const { name, $metadata } = (error ?? {}) as {
    name?: string;
    $metadata?: { httpStatusCode?: number };
  };
  if (name === "NoSuchBucket") return "fatal";
  if (name === "NotFound" || name === "NoSuchKey" || $metadata?.httpStatusCode === 404) {
    return "not-found";
  }
  if (name === "AccessDenied" || name === "Forbidden" || $metadata?.httpStatusCode === 403) {
    return "fatal";
  }
  return "retry";
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** Runs tasks (which must not reject) with at most `limit` in flight. */
async function runLimited(tasks: (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) await tasks[next++]!();
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}
