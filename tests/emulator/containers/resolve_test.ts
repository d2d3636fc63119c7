import assert from "node:assert/strict";
import { ExternalContainer } from "../../../emulator/containers/external.ts";
import { OpenAiCompletionsContainer } from "../../../emulator/containers/openai_adapter.ts";
import { imageRepository, resolveModelContainer } from "../../../emulator/containers/resolve.ts";
import { TgiBuiltinContainer } from "../../../emulator/containers/tgi_builtin.ts";

const options = { timings: { inferenceBaseMs: 0, inferencePerTokenMs: 0 } };

Deno.test("imageRepository strips the registry, tag and digest", () => {
  assert.equal(
    imageRepository(
      "763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-tgi-inference:2.1.1-tgi1.4.0-gpu-py310-cu121-ubuntu20.04",
    ),
    "huggingface-pytorch-tgi-inference",
  );
  assert.equal(imageRepository("emulator/tgi"), "emulator/tgi");
  assert.equal(imageRepository("emulator/tgi:latest"), "emulator/tgi");
  assert.equal(imageRepository("localhost:5000/emulator/tgi@sha256:abc"), "emulator/tgi");
});

Deno.test("the JumpStart TGI image family and emulator/tgi run the built-in stand-in", () => {
  for (
    const image of [
      "763104351884.dkr.ecr.eu-west-1.amazonaws.com/huggingface-pytorch-tgi-inference:2.0.0-tgi0.8.2-gpu-py39-cu118-ubuntu20.04",
      "emulator/tgi:1",
    ]
  ) {
    const resolved = resolveModelContainer({ Image: image }, options);
    assert.ok(resolved.container instanceof TgiBuiltinContainer, image);
  }
});

Deno.test("EMULATOR_CONTAINER_URL selects an external container, or the OpenAI adapter", () => {
  const external = resolveModelContainer({
    Image: "anything",
    Environment: { EMULATOR_CONTAINER_URL: "http://127.0.0.1:8080/" },
  }, options);
  assert.ok(external.container instanceof ExternalContainer);
  assert.equal(external.container.description, "external container at http://127.0.0.1:8080");
  const openai = resolveModelContainer({
    Environment: {
      EMULATOR_CONTAINER_URL: "http://127.0.0.1:8080",
      EMULATOR_CONTAINER_API: "openai",
    },
  }, options);
  assert.ok(openai.container instanceof OpenAiCompletionsContainer);
});

Deno.test("other images, bad URLs and unknown APIs give a failure reason naming the problem", () => {
  const unknown = resolveModelContainer({ Image: "busybox:latest" }, options);
  assert.match(unknown.failureReason ?? "", /cannot run image "busybox:latest"/);
  const noImage = resolveModelContainer({}, options);
  assert.match(noImage.failureReason ?? "", /"\(none\)"/);
  const badUrl = resolveModelContainer({
    Environment: { EMULATOR_CONTAINER_URL: "ftp://host" },
  }, options);
  assert.equal(
    badUrl.failureReason,
    'EMULATOR_CONTAINER_URL: Invalid container URL "ftp://host": must be http or https',
  );
  const badApi = resolveModelContainer({
    Environment: { EMULATOR_CONTAINER_URL: "http://h", EMULATOR_CONTAINER_API: "grpc" },
  }, options);
  assert.match(badApi.failureReason ?? "", /EMULATOR_CONTAINER_API="grpc" is not supported/);
});
