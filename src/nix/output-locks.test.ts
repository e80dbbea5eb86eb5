import { stat } from "node:fs/promises";
import { expect, test } from "vitest";
import { flockedFiles, lockKey } from "./output-locks.js";

test("a file's device and inode as /proc/locks writes them", () => {
  // stat -c '%D %i' said `fe00 9557118` of a lock file /proc/locks listed as `fe:00:9557118`.
  expect(lockKey(0xfe00n, 9557118n)).toBe("fe:00:9557118");
  expect(lockKey(0x801n, 12n)).toBe("08:01:12");
  // Minor numbers above 255 live in bits 20 and up.
  expect(lockKey((0x1n << 20n) | (0x3n << 8n) | 0x4n, 5n)).toBe("03:104:5");
});

test("only flock()ed files are listed, a waiter's line too", async () => {
  const text = [
    "1: FLOCK  ADVISORY  WRITE 28896 fe:00:9557118 0 EOF",
    "1: -> FLOCK  ADVISORY  WRITE 28900 fe:00:9557118 0 EOF",
    "2: POSIX  ADVISORY  READ 28896 fe:00:9477160 128 128",
    "3: FLOCK  ADVISORY  READ 28896 fe:00:9469968 0 EOF",
    "",
  ].join("\n");
  expect(await flockedFiles(async () => text)).toEqual(new Set(["fe:00:9557118", "fe:00:9469968"]));
});

test("without /proc/locks nothing can be told; other read errors are not hidden", async () => {
  const missing = Object.assign(new Error("no"), { code: "ENOENT" });
  expect(await flockedFiles(() => Promise.reject(missing))).toBeUndefined();
  const denied = Object.assign(new Error("denied"), { code: "EIO" });
  await expect(flockedFiles(() => Promise.reject(denied))).rejects.toThrow("denied");
});

test("this machine's own stat agrees with the key format (device numbers from the kernel)", async () => {
  const { dev, ino } = await stat(import.meta.filename, { bigint: true });
  expect(lockKey(dev, ino)).toMatch(/^[0-9a-f]{2,}:[0-9a-f]{2,}:\d+$/);
});
