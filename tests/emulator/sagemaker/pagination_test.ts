import assert from "node:assert/strict";
import type { AwsError } from "../../../emulator/errors.ts";
import {
  type ListFields,
  listPage,
  nextPageToken,
  pageStart,
} from "../../../emulator/sagemaker/pagination.ts";

interface Item {
  name: string;
  created: number;
}

const items: Item[] = ["delta", "alpha", "charlie", "bravo"].map((name, i) => ({
  name,
  created: i,
}));
const fields: ListFields<Item> = {
  name: (item) => item.name,
  creationTime: (item) => item.created,
};

function thrown(fn: () => unknown): AwsError {
  try {
    fn();
  } catch (error) {
    return error as AwsError;
  }
  assert.fail("expected a throw");
}

Deno.test("listPage pages with NextToken until the last page", () => {
  const input = { MaxResults: 3, SortBy: "Name", SortOrder: "Ascending" };
  const first = listPage(items, { input, fields, sortBy: ["Name", "CreationTime"] });
  assert.deepEqual(first.page.map((i) => i.name), ["alpha", "bravo", "charlie"]);
  const second = listPage(items, {
    input: { ...input, NextToken: first.nextToken },
    fields,
    sortBy: ["Name", "CreationTime"],
  });
  assert.deepEqual(second.page.map((i) => i.name), ["delta"]);
  assert.equal(second.nextToken, undefined);
});

Deno.test("listPage reports its constraint violations together", () => {
  const error = thrown(() =>
    listPage(items, { input: { MaxResults: 0, SortBy: "Size" }, fields, sortBy: ["Name"] })
  );
  assert.equal(error.code, "ValidationException");
  assert.equal(
    error.message,
    "2 validation errors detected: " +
      "Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1; " +
      "Value 'Size' at 'sortBy' failed to satisfy constraint: Member must satisfy enum value set: [Name]",
  );
});

Deno.test("page tokens round-trip and a foreign token is a ValidationException naming it", () => {
  assert.equal(pageStart(undefined), 0);
  assert.equal(pageStart(nextPageToken(50, 51)), 50);
  assert.equal(nextPageToken(51, 51), undefined);
  const error = thrown(() => pageStart("page-2"));
  assert.equal(error.code, "ValidationException");
  assert.equal(error.message, "Invalid pagination token page-2.");
});
