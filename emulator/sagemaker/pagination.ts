/**
 * SageMaker's `List*` conventions: `MaxResults` (1-100, default 10),
 * `NextToken`, `NameContains`, `SortBy`/`SortOrder` (default `CreationTime`,
 * `Descending`) and `CreationTimeBefore`/`After` (plus `LastModifiedTime*`
 * and `StatusEquals` for endpoints).
 *
 * @module
 */
import { parseTimestamp } from "../protocols/timestamps.ts";
import { RequestValidator, validationException } from "./validation.ts";

/** How to read the fields a list filters and sorts on. */
export interface ListFields<T> {
  name(item: T): string;
  creationTime(item: T): number;
  lastModifiedTime?(item: T): number;
  status?(item: T): string;
}

/** Options for {@linkcode listPage}. */
export interface ListPageOptions<T> {
  readonly input: Record<string, unknown>;
  readonly fields: ListFields<T>;
  /** Allowed `SortBy` values. */
  readonly sortBy: readonly string[];
  /** Allowed `StatusEquals` values (endpoints only). */
  readonly statuses?: readonly string[];
}

/** The index a `NextToken` issued by {@linkcode nextPageToken} starts at (0 without one). */
export function pageStart(token: string | undefined): number {
  if (token === undefined) return 0;
  const decoded = /^o(\d+)$/.exec(token);
  if (!decoded) throw validationException(`Invalid pagination token ${token}.`);
  return Number(decoded[1]);
}

/** The `NextToken` of a page that ends at index `next`, or `undefined` on the last page. */
export function nextPageToken(next: number, total: number): string | undefined {
  return next < total ? `o${next}` : undefined;
}

function timestamp(input: Record<string, unknown>, name: string): number | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  return parseTimestamp(value, name).getTime();
}

/** Filters, sorts and pages `items`; throws the request's validation errors. */
export function listPage<T>(
  items: Iterable<T>,
  options: ListPageOptions<T>,
): { page: T[]; nextToken: string | undefined } {
  const { input, fields } = options;
  const v = new RequestValidator();
  const maxResults =
    v.number(input.MaxResults, "maxResults", { min: 1, max: 100, integer: true }) ??
      10;
  const nextToken = v.string(input.NextToken, "nextToken", { max: 8192 });
  const nameContains = v.string(input.NameContains, "nameContains", {
    max: 63,
    pattern: "[a-zA-Z0-9-]+",
  });
  const sortBy = v.string(input.SortBy, "sortBy", { values: options.sortBy }) ?? "CreationTime";
  const sortOrder = v.string(input.SortOrder, "sortOrder", {
    values: ["Ascending", "Descending"],
  }) ?? "Descending";
  const status = options.statuses
    ? v.string(input.StatusEquals, "statusEquals", { values: options.statuses })
    : undefined;
  v.throwIfInvalid();
  const createdBefore = timestamp(input, "CreationTimeBefore");
  const createdAfter = timestamp(input, "CreationTimeAfter");
  const modifiedBefore = timestamp(input, "LastModifiedTimeBefore");
  const modifiedAfter = timestamp(input, "LastModifiedTimeAfter");
  const start = pageStart(nextToken);
  const needle = nameContains?.toLowerCase();
  const filtered = [...items].filter((item) => {
    if (needle !== undefined && !fields.name(item).toLowerCase().includes(needle)) return false;
    const created = fields.creationTime(item);
    if (createdBefore !== undefined && !(created < createdBefore)) return false;
    if (createdAfter !== undefined && !(created > createdAfter)) return false;
    if (fields.lastModifiedTime) {
      const modified = fields.lastModifiedTime(item);
      if (modifiedBefore !== undefined && !(modified < modifiedBefore)) return false;
      if (modifiedAfter !== undefined && !(modified > modifiedAfter)) return false;
    }
    if (status !== undefined && fields.status?.(item) !== status) return false;
    return true;
  });
  const key = (item: T): string | number =>
    sortBy === "Name"
      ? fields.name(item)
      : sortBy === "Status"
      ? fields.status?.(item) ?? ""
      : fields.creationTime(item);
  filtered.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    const order = ka < kb ? -1 : ka > kb ? 1 : fields.name(a).localeCompare(fields.name(b));
    return sortOrder === "Ascending" ? order : -order;
  });
  const page = filtered.slice(start, start + maxResults);
  return { page, nextToken: nextPageToken(start + page.length, filtered.length) };
}
