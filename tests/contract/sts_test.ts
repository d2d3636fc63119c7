import assert from "node:assert/strict";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { startContractEnv } from "./_harness.ts";

Deno.test("GetCallerIdentity returns the emulator's account, user ARN and user id", async () => {
  await using env = await startContractEnv({ accountId: "210987654321" });
  const identity = await env.clients.sts.send(new GetCallerIdentityCommand({}));
  assert.equal(identity.Account, "210987654321");
  assert.equal(identity.Arn, "arn:aws:iam::210987654321:user/emulator");
  assert.equal(identity.UserId, "AIDAEMULATORUSER0000");
  assert.match(identity.$metadata.requestId ?? "", /^[0-9a-f-]{36}$/);
});

Deno.test("an unknown STS action is rejected with InvalidAction in the query error shape", async () => {
  await using env = await startContractEnv({ auth: false });
  const response = await fetch(`${env.emulator.endpoint}/`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "Action=AssumeRoot&Version=2011-06-15",
  });
  const text = await response.text();
  assert.equal(response.status, 400);
  assert.match(text, /<ErrorResponse[^>]*><Error><Type>Sender<\/Type><Code>InvalidAction<\/Code>/);
});
