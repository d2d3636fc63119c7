import assert from "node:assert/strict";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { main, resultText } from "../../cli/invoke.ts";
import { waitForResult } from "../../lib/wait_for_result.ts";
import { captureIo, deployWithTask, printedJson, startTaskEnv } from "./_task_env.ts";

Deno.test("deno task invoke --help exits 0 and lists the three kinds of input", async () => {
  const { io, output } = captureIo({});
  assert.equal(await main(["--help"], io), 0);
  for (
    const flag of ["--prompt", "--file", "--input", "--no-wait", "--timeout", "--max-new-tokens"]
  ) {
    assert.ok(output.out.includes(flag), flag);
  }
});

Deno.test("deno task invoke exits 2 unless exactly one of --prompt, --file and --input is given", async () => {
  const none = captureIo({});
  assert.equal(await main(["--endpoint", "falcon"], none.io), 2);
  assert.match(
    none.output.err,
    /exactly one of --prompt \(repeatable\), --file or --input; got none/,
  );
  const two = captureIo({});
  assert.equal(
    await main(["--endpoint", "falcon", "--prompt", "a", "--input", "s3://b/k"], two.io),
    2,
  );
  assert.match(two.output.err, /got more than one/);
});

Deno.test("deno task invoke exits 2 naming flags that do not fit together or bad values", async () => {
  const cases: [string[], RegExp][] = [
    [
      ["--endpoint", "falcon", "--file", "x.json", "--max-new-tokens", "5"],
      /--max-new-tokens applies to --prompt only/,
    ],
    [["--endpoint", "falcon", "--prompt", "a", "--timeout", "soon"], /Invalid --timeout "soon"/],
    [
      ["--endpoint", "falcon", "--prompt", "a", "--no-wait", "--timeout", "5m"],
      /--timeout applies to the wait/,
    ],
    [
      ["--endpoint", "falcon", "--prompt", "a", "--max-new-tokens", "0"],
      /Invalid --max-new-tokens "0"/,
    ],
    [["--prompt", "a"], /Missing --endpoint/],
  ];
  for (const [args, message] of cases) {
    const { io, output } = captureIo({});
    assert.equal(await main(args, io), 2, args.join(" "));
    assert.match(output.err, message);
  }
});

Deno.test("deno task invoke exits 1 when the endpoint does not exist", async () => {
  await using env = await startTaskEnv();
  const { io, output } = captureIo(env.env);
  assert.equal(await main(["--endpoint", "nowhere", "--prompt", "hi"], io), 1);
  assert.match(output.err, /No endpoint nowhere/);
});

Deno.test("deno task invoke sends several prompts at once and prints each generated text", async () => {
  await using env = await startTaskEnv();
  await deployWithTask(env, "falcon");
  const { io, output } = captureIo(env.env);
  const code = await main([
    "--endpoint",
    "falcon",
    "--prompt",
    "What is async inference?",
    "--prompt",
    "Why scale to zero?",
    "--max-new-tokens",
    "20",
    "--timeout",
    "1000h",
    "--json",
  ], io);
  assert.equal(code, 0, output.err);
  const results = printedJson<{ input: string; ok: boolean; result: unknown }[]>(output);
  assert.deepEqual(results.map((r) => [r.input, r.ok]), [
    ["What is async inference?", true],
    ["Why scale to zero?", true],
  ]);
  for (const r of results) assert.ok(resultText(r.result).length > 0);
});

Deno.test("deno task invoke --no-wait prints where each result will appear, and it does", async () => {
  await using env = await startTaskEnv();
  await deployWithTask(env, "falcon");
  const { io, output } = captureIo(env.env);
  assert.equal(
    await main(["--endpoint", "falcon", "--prompt", "hello", "--no-wait", "--json"], io),
    0,
  );
  const [row] = printedJson<{ inferenceId: string; outputLocation: string }[]>(output);
  assert.ok(row?.inferenceId);
  // Wait on the emulator's own (fast) clock, as a user would with the library.
  const result = await waitForResult(row, {
    clients: env.clients,
    clock: env.emulator.clock,
    timeoutMs: 1000 * 3_600_000,
  });
  assert.ok(resultText(result.value).length > 0);
});

Deno.test("deno task invoke sends a JSON file as it is, and an S3 object given by --input", async () => {
  await using env = await startTaskEnv();
  await deployWithTask(env, "falcon");
  const file = await Deno.makeTempFile({ suffix: ".json" });
  try {
    await Deno.writeTextFile(
      file,
      JSON.stringify({ inputs: "From a file", parameters: { max_new_tokens: 5 } }),
    );
    const fromFile = captureIo(env.env);
    assert.equal(
      await main(["--endpoint", "falcon", "--file", file, "--timeout", "1000h"], fromFile.io),
      0,
      fromFile.output.err,
    );
    assert.ok(fromFile.output.out.includes(`# ${file} (`), fromFile.output.out);
  } finally {
    await Deno.remove(file);
  }
  const bucket = `sagemaker-${env.emulator.region}-${env.emulator.accountId}`;
  await env.clients.s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: "mine/request.json",
      Body: JSON.stringify({ inputs: "From S3", parameters: { max_new_tokens: 5 } }),
    }),
  );
  const fromS3 = captureIo(env.env);
  const code = await main([
    "--endpoint",
    "falcon",
    "--input",
    `s3://${bucket}/mine/request.json`,
    "--timeout",
    "1000h",
    "--json",
  ], fromS3.io);
  assert.equal(code, 0, fromS3.output.err);
  assert.equal(printedJson<{ ok: boolean }[]>(fromS3.output)[0]?.ok, true);
});

Deno.test("deno task invoke exits 2 when --file cannot be read", async () => {
  await using env = await startTaskEnv();
  const { io, output } = captureIo(env.env);
  assert.equal(await main(["--endpoint", "falcon", "--file", "/no/such/payload.json"], io), 2);
  assert.match(output.err, /Cannot read --file \/no\/such\/payload\.json/);
});

Deno.test("resultText() reads TGI's generated_text and falls back to JSON", () => {
  assert.equal(resultText([{ generated_text: "Paris." }]), "Paris.");
  assert.equal(resultText({ generated_text: "Lyon." }), "Lyon.");
  assert.equal(resultText({ answer: 42 }), '{"answer":42}');
  assert.equal(resultText(new TextEncoder().encode("bytes")), "bytes");
});
