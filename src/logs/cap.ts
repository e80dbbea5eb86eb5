// A check's log kept within its limits (nixotel.json `logs`): the head and the tail, each up to half
// the lines and half the bytes, and where the middle was cut one record that says how much went.
import type { LogLimits } from "./model.js";

export interface Cut<T> {
  head: T[];
  tail: T[];
  /** Lines left out between head and tail, and their bytes (UTF-8). */
  cutLines: number;
  cutBytes: number;
}

const utf8Bytes = (text: string) => Buffer.byteLength(text, "utf8");

/** Splits `lines` into what is kept; `cutLines` 0 means all of it fits. */
export function cutToLimits<T>(lines: readonly T[], textOf: (line: T) => string, limits: LogLimits): Cut<T> {
  const sizes = lines.map((line) => utf8Bytes(textOf(line)) + 1); // + the newline it ended with
  const total = sizes.reduce((sum, size) => sum + size, 0);
  if (lines.length <= limits.maxLinesPerCheck && total <= limits.maxBytesPerCheck)
    return { head: [...lines], tail: [], cutLines: 0, cutBytes: 0 };
  // One line of the budget goes to the record that says what was cut.
  const lineBudget = Math.max(0, limits.maxLinesPerCheck - 1);
  const take = (from: number, step: 1 | -1, lineCap: number, byteCap: number) => {
    let count = 0;
    let bytes = 0;
    for (let i = from; count < lineCap && i >= 0 && i < lines.length; i += step) {
      if (bytes + sizes[i]! > byteCap) break;
      bytes += sizes[i]!;
      count += 1;
    }
    return { count, bytes };
  };
  const head = take(0, 1, Math.ceil(lineBudget / 2), Math.ceil(limits.maxBytesPerCheck / 2));
  const tail = take(lines.length - 1, -1, lineBudget - head.count, limits.maxBytesPerCheck - head.bytes);
  return {
    head: lines.slice(0, head.count),
    tail: lines.slice(lines.length - tail.count),
    cutLines: lines.length - head.count - tail.count,
    cutBytes: total - head.bytes - tail.bytes,
  };
}
