import { UnreadableFile, type Candidate, type ReadItem } from "./import.types.ts";

/*
 * JSON imports are read item by item: a small scanner finds where each top-level array item ends
 * (tracking strings, escapes and bracket depth) and hands that slice to the native JSON.parse. Only
 * one item is held as text at a time, parsing stays native-fast, and a malformed item is reported
 * with its index while the items after it are still read and checked, which a token-stream parser
 * (stream-json) cannot do once it meets a syntax error.
 */

function jsonCandidate(row: number, value: unknown): Candidate {
  return {
    row,
    rows: 1,
    value,
    errors: [],
    locate: (path) => ({ row, field: path.map(String).join(".") || "(item)" }),
  };
}

function parseItem(text: string, row: number): ReadItem {
  try {
    return { kind: "product", candidate: jsonCandidate(row, JSON.parse(text)) };
  } catch (err) {
    return { kind: "error", rows: 1, error: { row, field: "(item)", message: `not valid JSON: ${(err as Error).message}` } };
  }
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d, 0xfeff]);
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;

/**
 * Products of a JSON array (`[{...}, {...}]`), streamed; rows are array indexes (from 0).
 * @throws UnreadableFile when the text is not an array or ends inside an item.
 */
export async function* readJsonArray(chunks: AsyncIterable<string>): AsyncGenerator<ReadItem> {
  let state: "start" | "first" | "next" | "item" | "end" = "start";
  let buf = "";
  let pos = 0;
  let itemStart = 0;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let index = 0;
  const fail = (message: string): never => {
    throw new UnreadableFile({ row: index, field: "(file)", message });
  };
  for await (const chunk of chunks) {
    buf += chunk;
    const out: ReadItem[] = [];
    for (; pos < buf.length; pos++) {
      const ch = buf.charCodeAt(pos);
      if (state === "item") {
        if (inString) {
          if (escaped) escaped = false;
          else if (ch === BACKSLASH) escaped = true;
          else if (ch === QUOTE) inString = false;
          continue;
        }
        if (ch === QUOTE) inString = true;
        else if (ch === 0x7b || ch === 0x5b) depth++;
        else if (ch === 0x7d || (ch === 0x5d && depth > 0)) depth = Math.max(0, depth - 1);
        else if (depth === 0 && (ch === COMMA || ch === 0x5d)) {
          out.push(parseItem(buf.slice(itemStart, pos), index++));
          state = ch === COMMA ? "next" : "end";
        }
        continue;
      }
      if (WS.has(ch)) continue;
      if (state === "start") {
        if (ch !== 0x5b) fail("The file must be a JSON array of products ([...]); use format=ndjson for one product per line.");
        state = "first";
      } else if (state === "first" || state === "next") {
        if (ch === 0x5d && state === "first") state = "end";
        else if (ch === 0x5d || ch === COMMA) fail(`A product is missing at index ${index} (two commas, or a comma before "]").`);
        else {
          state = "item";
          itemStart = pos;
          pos--; // scan this character as part of the item
        }
      } else {
        fail("There is text after the closing bracket of the array.");
      }
    }
    // Keep only the unfinished item's text.
    if (state === "item") {
      buf = buf.slice(itemStart);
      pos -= itemStart;
      itemStart = 0;
    } else {
      buf = "";
      pos = 0;
    }
    yield* out;
  }
  const final: string = state; // (narrowed by the loop's last branch otherwise)
  if (final !== "end") {
    fail(final === "start" ? "The file is empty; send a JSON array of products." : `The file ends inside the array (at item ${index}): a bracket or quote is not closed, or the upload was cut short.`);
  }
}

/** Products of NDJSON (one JSON object per line; blank lines skipped), streamed; rows are line numbers from 1. */
export async function* readNdjson(chunks: AsyncIterable<string>): AsyncGenerator<ReadItem> {
  let rest = "";
  let line = 0;
  for await (const chunk of chunks) {
    rest += chunk;
    const lines = rest.split("\n");
    rest = lines.pop()!;
    const out: ReadItem[] = [];
    for (const text of lines) {
      line++;
      if (text.trim() !== "") out.push(parseItem(text, line));
    }
    yield* out;
  }
  line++;
  if (rest.trim() !== "") yield parseItem(rest, line);
}
