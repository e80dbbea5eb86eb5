import { expect, test } from "vitest";
import { repairTree } from "./invariants.js";
import { bareSpan } from "../../tests/support/bare-span.js";
import { RecentIds } from "./recent-ids.js";

const span = (spanId: string) => bareSpan({ spanId });

test("the ids remembered stay within the limit, the oldest forgotten first", () => {
  const ids = new RecentIds(3);
  for (const id of ["a", "b", "c", "d", "e"]) ids.add(id);
  expect(ids.size).toBe(3);
  expect(["a", "b", "c", "d", "e"].map((id) => ids.has(id))).toEqual([false, false, true, true, true]);
});

test("a batch reusing an id written within the limit is repaired, as with every id remembered", () => {
  const written = new RecentIds(4);
  repairTree([span("0000000000000001"), span("0000000000000002")], written);
  const again = repairTree([span("0000000000000002")], written);
  expect(again.spans[0]!.spanId).not.toBe("0000000000000002");
  expect(again.problems).toEqual([expect.stringContaining("id used by an earlier span")]);
});

test("a run writing 80,000 span ids remembers no more than the limit", () => {
  const written = new RecentIds();
  for (let batch = 0; batch < 800; batch++)
    repairTree(
      Array.from({ length: 100 }, (_, i) => span((batch * 100 + i).toString(16).padStart(16, "0"))),
      written,
    );
  expect(written.size).toBe(65_536);
});
