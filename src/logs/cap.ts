// A check's log kept within its limits (nixotel.json `logs`): the head and the tail, each up to half
// the lines and half the bytes, and where the middle was cut one record that says how much went.
import type { LogLimits } from "./model.js";

export interface Cut {
  /** Lines kept from the start and from the end. */
  head: number;
  tail: number;
  /** Lines left out between head and tail, and their bytes (UTF-8). */
  cutLines: number;
  cutBytes: number;
}

const utf8Bytes = (text: string) => Buffer.byteLength(text, "utf8");
/** A UTF-16 code unit is at most 3 bytes of UTF-8. */
const MAX_BYTES_PER_UNIT = 3;

/** How much of `texts` is kept; `cutLines` 0 means all of it fits. */
export function cutToLimits(texts: readonly string[], limits: LogLimits): Cut {
  const all = { head: texts.length, tail: 0, cutLines: 0, cutBytes: 0 };
  if (texts.length > limits.maxLinesPerCheck) return cut(texts, limits);
  // Most logs are far within the byte limit: sure of it from the lengths alone, no line is measured.
  let units = 0;
  for (const text of texts) units += text.length + 1;
  return units * MAX_BYTES_PER_UNIT <= limits.maxBytesPerCheck ? all : cut(texts, limits);
}

function cut(texts: readonly string[], limits: LogLimits): Cut {
  const sizes = texts.map((text) => utf8Bytes(text) + 1); // + the newline it ended with
  const total = sizes.reduce((sum, size) => sum + size, 0);
  if (texts.length <= limits.maxLinesPerCheck && total <= limits.maxBytesPerCheck)
    return { head: texts.length, tail: 0, cutLines: 0, cutBytes: 0 };
  // One line of the budget goes to the record that says what was cut.
  const lineBudget = Math.max(0, limits.maxLinesPerCheck - 1);
  const take = (from: number, step: 1 | -1, lineCap: number, byteCap: number) => {
    let count = 0;
    let bytes = 0;
    for (let i = from; count < lineCap && i >= 0 && i < texts.length; i += step) {
      if (bytes + sizes[i]! > byteCap) break;
      bytes += sizes[i]!;
      count += 1;
    }
    return { count, bytes };
  };
  const head = take(0, 1, Math.ceil(lineBudget / 2), Math.ceil(limits.maxBytesPerCheck / 2));
  const tail = take(texts.length - 1, -1, lineBudget - head.count, limits.maxBytesPerCheck - head.bytes);
  return {
    head: head.count,
    tail: tail.count,
    cutLines: texts.length - head.count - tail.count,
    cutBytes: total - head.bytes - tail.bytes,
  };
}
