/**
 * Which container runs a model. The rule, in order:
 *
 * 1. The model's `Environment` has `EMULATOR_CONTAINER_URL` (an `http(s)` URL):
 *    an external server. `EMULATOR_CONTAINER_API=openai` puts the
 *    OpenAI-compatible adapter in front (`EMULATOR_OPENAI_MODEL` names the
 *    model to request); otherwise (`sagemaker`, the default) the server must
 *    itself serve `/ping` and `/invocations`, as a TGI server does.
 * 2. The image's repository is `huggingface-pytorch-tgi-inference` (any
 *    registry, any tag: the JumpStart TGI image family) or `emulator/tgi`:
 *    the built-in TGI stand-in.
 * 3. Anything else cannot run in the emulator: the endpoint fails with a
 *    reason naming the image and these rules.
 *
 * @module
 */
import type { EmulatorTimings } from "../context.ts";
import type { ModelContainer } from "./container.ts";
import { containerBaseUrl, ExternalContainer } from "./external.ts";
import { OpenAiCompletionsContainer } from "./openai_adapter.ts";
import { TgiBuiltinContainer } from "./tgi_builtin.ts";

/** Image repositories the built-in TGI stand-in serves. */
export const BUILTIN_TGI_REPOSITORIES: readonly string[] = [
  "huggingface-pytorch-tgi-inference",
  "emulator/tgi",
];

/** The part of a model's container definition that decides what runs. */
export interface ContainerSpec {
  readonly Image?: string;
  readonly Environment?: Readonly<Record<string, string>>;
}

/** Options for {@linkcode resolveModelContainer}. */
export interface ResolveModelContainerOptions {
  /** Durations of the built-in stand-in's inferences. */
  timings: Pick<EmulatorTimings, "inferenceBaseMs" | "inferencePerTokenMs">;
  /** Fetch for external containers. Default: global `fetch`. */
  fetch?: typeof fetch;
}

/** A container, or why none can run. */
export type ContainerResolution =
  | { readonly container: ModelContainer; readonly failureReason?: undefined }
  | { readonly container?: undefined; readonly failureReason: string };

/** The repository part of an image URI: no registry host, tag or digest. */
export function imageRepository(image: string): string {
  let rest = image.split("@")[0]!;
  const lastSlash = rest.lastIndexOf("/");
  const colon = rest.lastIndexOf(":");
  if (colon > lastSlash) rest = rest.slice(0, colon);
  const parts = rest.split("/");
  if (parts.length > 1 && /[.:]/.test(parts[0]!)) parts.shift();
  return parts.join("/");
}

/**
 * Picks the container for a model (see the module docs for the rule).
 *
 * @example
 * ```ts
 * import { resolveModelContainer } from "@sagemaker-async/toolkit/emulator";
 *
 * const options = {
 *   timings: { inferenceBaseMs: 0, inferencePerTokenMs: 0 },
 * };
 * const tgi = resolveModelContainer({
 *   Image: "763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-tgi-inference:2.1.1-tgi1.4.0-gpu-py310-cu121-ubuntu20.04",
 * }, options);
 * if (!tgi.container) throw new Error(tgi.failureReason);
 * const other = resolveModelContainer({ Image: "busybox:latest" }, options);
 * if (!other.failureReason) throw new Error("busybox should not run");
 * ```
 */
export function resolveModelContainer(
  spec: ContainerSpec,
  options: ResolveModelContainerOptions,
): ContainerResolution {
  const env = spec.Environment ?? {};
  const url = env.EMULATOR_CONTAINER_URL;
  if (url !== undefined) {
    let base: string;
    try {
      base = containerBaseUrl(url);
    } catch (error) {
      return { failureReason: `EMULATOR_CONTAINER_URL: ${(error as Error).message}` };
    }
    const api = env.EMULATOR_CONTAINER_API ?? "sagemaker";
    if (api === "openai") {
      return {
        container: new OpenAiCompletionsContainer({
          url: base,
          model: env.EMULATOR_OPENAI_MODEL,
          fetch: options.fetch,
        }),
      };
    }
    if (api !== "sagemaker") {
      return {
        failureReason: `EMULATOR_CONTAINER_API=${
          JSON.stringify(api)
        } is not supported: use "sagemaker" or "openai"`,
      };
    }
    return { container: new ExternalContainer({ url: base, fetch: options.fetch }) };
  }
  const image = spec.Image;
  if (image !== undefined && BUILTIN_TGI_REPOSITORIES.includes(imageRepository(image))) {
    return {
      container: new TgiBuiltinContainer({
        timings: options.timings,
        environment: env,
      }),
    };
  }
  return {
    failureReason: `The emulator cannot run image ${
      JSON.stringify(image ?? "(none)")
    }: it runs the JumpStart TGI image family (repository ${
      BUILTIN_TGI_REPOSITORIES[0]
    }) and emulator/tgi with its built-in TGI stand-in, or a server named by the model's EMULATOR_CONTAINER_URL environment variable.`,
  };
}
