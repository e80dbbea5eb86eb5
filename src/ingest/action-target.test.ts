// Targets are exported and shown: secrets-shaped values never leave, long commands are cut.
import { expect, it } from "vitest";
import { MAX_TARGET_CHARS, safeTarget } from "./action-target.js";

it.each([
  ["curl -H 'Authorization: Bearer abc.def.ghi' http://x/", "curl -H 'Authorization: Bearer ***' http://x/"],
  ["curl -H 'authorization: Basic dXNlcjpwYXNz' x", "curl -H 'authorization: Basic ***' x"],
  ["mysql --password hunter2 -e 'select 1'", "mysql --password *** -e 'select 1'"],
  ["echo PASSWORD=hunter2 DB_TOKEN='a b' api_key: zzz", "echo PASSWORD=*** DB_TOKEN=*** api_key: ***"],
  ["git clone https://user:ghp_secret@github.com/x/y", "git clone https://***@github.com/x/y"],
  ["echo ghp_abcdefghijklmnopqrstuvwxyz0123", "echo ***"],
  ["systemctl status nginx.service", "systemctl status nginx.service"],
])("%s → %s", (raw, safe) => {
  expect(safeTarget(raw)).toBe(safe);
});

it("cuts a long command to one line of at most MAX_TARGET_CHARS", () => {
  const target = safeTarget(`echo ${"x".repeat(500)}\necho done`);
  expect(target).toHaveLength(MAX_TARGET_CHARS);
  expect(target.endsWith("…")).toBe(true);
  expect(safeTarget("a\n  b")).toBe("a ⏎ b");
});
