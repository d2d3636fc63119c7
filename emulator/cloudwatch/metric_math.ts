/**
 * A small subset of CloudWatch metric math for `GetMetricData`: arithmetic
 * (`+ - * /`, unary minus, parentheses) over numbers and the ids of other
 * queries, e.g. `m1 / m2 * 100`. Series combine point by point on the
 * timestamps they share; results that are not finite (division by zero) are
 * dropped. Functions (`SUM`, `FILL`, `SEARCH`, ...) are not modelled.
 *
 * @module
 */
import type { SeriesPoint } from "./metric_store.ts";

type Value = number | SeriesPoint[];

type Token =
  | { kind: "number"; value: number }
  | { kind: "id"; name: string }
  | { kind: "op"; op: string };

/** Thrown for an expression outside the supported subset. */
export class MetricMathError extends Error {
  override name = "MetricMathError";
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|([a-zA-Z_][a-zA-Z0-9_]*)|([-+*/()]))/y;
  let pos = 0;
  while (pos < text.length) {
    if (/^\s*$/.test(text.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) {
      const rest = text.slice(pos);
      const at = pos + rest.length - rest.trimStart().length + 1;
      throw new MetricMathError(`Unexpected character at position ${at}`);
    }
    if (m[1] !== undefined) tokens.push({ kind: "number", value: Number(m[1]) });
    else if (m[2] !== undefined) tokens.push({ kind: "id", name: m[2] });
    else tokens.push({ kind: "op", op: m[3]! });
    pos = re.lastIndex;
  }
  return tokens;
}

function combine(a: Value, b: Value, f: (x: number, y: number) => number): Value {
  if (typeof a === "number" && typeof b === "number") return f(a, b);
  if (typeof a === "number") {
    return (b as SeriesPoint[]).map((p) => ({ timestamp: p.timestamp, value: f(a, p.value) }));
  }
  if (typeof b === "number") {
    return a.map((p) => ({ timestamp: p.timestamp, value: f(p.value, b) }));
  }
  const right = new Map(b.map((p) => [p.timestamp, p.value]));
  const out: SeriesPoint[] = [];
  for (const p of a) {
    const y = right.get(p.timestamp);
    if (y !== undefined) out.push({ timestamp: p.timestamp, value: f(p.value, y) });
  }
  return out;
}

const OPS: Record<string, (x: number, y: number) => number> = {
  "+": (x, y) => x + y,
  "-": (x, y) => x - y,
  "*": (x, y) => x * y,
  "/": (x, y) => x / y,
};

/**
 * Evaluates an arithmetic expression over the series of other queries.
 * Throws {@linkcode MetricMathError} for anything outside the subset or an
 * unknown id; the result must involve at least one series.
 */
export function evaluateMetricMath(
  expression: string,
  series: ReadonlyMap<string, readonly SeriesPoint[]>,
): SeriesPoint[] {
  const tokens = tokenize(expression);
  let i = 0;
  const peekOp = () => {
    const t = tokens[i];
    return t?.kind === "op" ? t.op : undefined;
  };
  const parseExpr = (): Value => {
    let left = parseTerm();
    while (peekOp() === "+" || peekOp() === "-") {
      const op = (tokens[i++] as { op: string }).op;
      left = combine(left, parseTerm(), OPS[op]!);
    }
    return left;
  };
  const parseTerm = (): Value => {
    let left = parseFactor();
    while (peekOp() === "*" || peekOp() === "/") {
      const op = (tokens[i++] as { op: string }).op;
      left = combine(left, parseFactor(), OPS[op]!);
    }
    return left;
  };
  const parseFactor = (): Value => {
    const t = tokens[i++];
    if (!t) throw new MetricMathError("Unexpected end of expression");
    if (t.kind === "number") return t.value;
    if (t.kind === "id") {
      if (tokens[i]?.kind === "op" && (tokens[i] as { op: string }).op === "(") {
        throw new MetricMathError(`Function ${t.name} is not supported by this emulator`);
      }
      const s = series.get(t.name);
      if (!s) throw new MetricMathError(`Unrecognized metric id ${t.name}`);
      return [...s];
    }
    if (t.op === "(") {
      const inner = parseExpr();
      if (peekOp() !== ")") throw new MetricMathError("Missing closing parenthesis");
      i++;
      return inner;
    }
    if (t.op === "-") return combine(0, parseFactor(), OPS["-"]!);
    throw new MetricMathError(`Unexpected token ${t.op}`);
  };
  const result = parseExpr();
  if (i < tokens.length) throw new MetricMathError("Unexpected trailing input");
  if (typeof result === "number") {
    throw new MetricMathError("The expression must refer to at least one metric");
  }
  return result.filter((p) => Number.isFinite(p.value));
}
