/**
 * SageMaker `UpdateEndpointWeightsAndCapacities`: changes variants' desired
 * weights and instance counts. The endpoint must be `InService` and every
 * named variant must exist; the change is all-or-nothing. Raising a count
 * launches instances (`Updating` until they are ready); lowering it drains.
 *
 * @module
 */
import type { SageMakerEmulatorBackend } from "./backend.ts";
import type { CapacityChange } from "./endpoint_lifecycle.ts";
import { ENDPOINT_NAME_RULE, RequestValidator } from "./validation.ts";

/** Handles `UpdateEndpointWeightsAndCapacities`. */
export function UpdateEndpointWeightsAndCapacities(
  input: Record<string, unknown>,
  backend: SageMakerEmulatorBackend,
): { EndpointArn: string } {
  const v = new RequestValidator();
  const name = v.string(input.EndpointName, "endpointName", ENDPOINT_NAME_RULE);
  const raw = v.list(input.DesiredWeightsAndCapacities, "desiredWeightsAndCapacities", {
    required: true,
    min: 1,
  }) ?? [];
  const changes: CapacityChange[] = raw.map((item, i) => {
    const at = `desiredWeightsAndCapacities.${i + 1}.member`;
    const entry = v.object(item, at, { required: true }) ?? {};
    return {
      variantName: v.string(entry.VariantName, `${at}.variantName`, ENDPOINT_NAME_RULE) ?? "",
      desiredWeight: v.number(entry.DesiredWeight, `${at}.desiredWeight`, { min: 0 }),
      desiredInstanceCount: v.number(entry.DesiredInstanceCount, `${at}.desiredInstanceCount`, {
        min: 0,
        integer: true,
      }),
    };
  });
  v.throwIfInvalid();
  const endpoint = backend.lifecycle.updateCapacity(name!, changes);
  return { EndpointArn: endpoint.arn };
}
