// When each driver log line happened. Lines arrive stamped with when nixotel read them; the driver also
// states how long each block took (`(finished: MESSAGE, in N.NN seconds)`, measured by its own clock).
// A line is never earlier than the end of the last block before it (opened + stated length), so blocks
// keep the driver's lengths even when nix delivers the lines in a burst, and a stored log (`nix log`, no
// arrival times) lays its blocks out one after the other.
import type { LogLine } from "../nix/builds.js";
import { actionOpenedBy, blockClosedBy, cleanDriverLine, openedMessage, SUBTEST_OPEN } from "./driver-verbs.js";

export const secondsToNs = (seconds: number) => BigInt(Math.round(seconds * 1e9));

/** The message a line opens a block with (`subtest: NAME`, or an action's), or undefined. */
function blockOpenedBy(line: string): string | undefined {
  if (SUBTEST_OPEN.test(line)) return line;
  return actionOpenedBy(line) ? openedMessage(line) : undefined;
}

/** The lines, each timed no earlier than its arrival nor than the end of the blocks before it. */
export function timedByDriver(lines: readonly LogLine[]): LogLine[] {
  let clock = lines[0]?.timeNs ?? 0n;
  const open: { message: string; atNs: bigint }[] = [];
  return lines.map(({ timeNs, text }) => {
    if (timeNs > clock) clock = timeNs;
    const line = cleanDriverLine(text);
    const closed = blockClosedBy(line);
    const index = closed ? open.findLastIndex((block) => block.message === closed.message) : -1;
    if (closed && index >= 0) {
      const endNs = open[index]!.atNs + secondsToNs(closed.seconds);
      if (endNs > clock) clock = endNs;
      // Blocks opened inside it and never finished (they raised) end with it.
      open.splice(index);
    } else {
      const message = blockOpenedBy(line);
      if (message !== undefined) open.push({ message, atNs: clock });
    }
    return { timeNs: clock, text };
  });
}
