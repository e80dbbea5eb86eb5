// `nixotel report` end to end in-process: how RUN is found, what a bad run folder gives, the
// terminal summary, and the HTML file (written atomically, opened when an opener exists).
import { chmod, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../src/main.js";
import { FAILING_LOG_TAIL, HOSTILE_NAME } from "./support/scenario-mixed.js";
import { MIXED_ID, captureContext, installRun, tempOutDir } from "./support/fixtures.js";

let out: Awaited<ReturnType<typeof tempOutDir>>;
beforeEach(async () => void (out = await tempOutDir()));
afterEach(async () => out.cleanup());

const OLDER_ID = "20261124T080000Z-000001";

describe("finding the run", () => {
  it("takes an id under <out>/runs, `latest` (the newest id) and a folder path", async () => {
    await installRun(out.dir, "mixed", MIXED_ID);
    await installRun(out.dir, "mixed", OLDER_ID);
    for (const run of [MIXED_ID, "latest", join(out.dir, "runs", MIXED_ID), `runs/${MIXED_ID}`]) {
      const io = captureContext(out.dir);
      expect(await main(["report", run, "--out", out.dir], io.context)).toBe(0);
      expect(io.stdout()).toContain(
        `Trace 4bf92f3577b34da6a3ce929d0e0e4736: ${join(out.dir, "runs", run === "latest" ? MIXED_ID : MIXED_ID, "spans.jsonl")}`,
      );
    }
  });

  it("picks the newest id for `latest`", async () => {
    await installRun(out.dir, "mixed", OLDER_ID);
    const newer = "20261126T000000Z-ffffff";
    await installRun(out.dir, "mixed", newer);
    const io = captureContext(out.dir);
    expect(await main(["report", "latest", "--out", out.dir], io.context)).toBe(0);
    expect(io.stdout()).toContain(join("runs", newer, "spans.jsonl"));
  });

  it("exits 2 on an unknown run, naming the most recent ids", async () => {
    await installRun(out.dir, "mixed", MIXED_ID);
    await installRun(out.dir, "mixed", OLDER_ID);
    const io = captureContext(out.dir);
    expect(await main(["report", "20990101T000000Z-abcdef", "--out", out.dir], io.context)).toBe(2);
    expect(io.stderr()).toContain(`Most recent runs in ${join(out.dir, "runs")}: ${MIXED_ID}, ${OLDER_ID}.`);
  });

  it("exits 2 on `latest` when there is no run, saying how to make one", async () => {
    const io = captureContext(out.dir);
    expect(await main(["report", "latest", "--out", out.dir], io.context)).toBe(2);
    expect(io.stderr()).toMatch(/no runs in .*: run `nixotel run` first/);
  });
});

describe("a damaged run folder", () => {
  it("exits 2 with `path: message` for each problem of run.json", async () => {
    const dir = await installRun(out.dir, "corrupt-record", MIXED_ID);
    const io = captureContext(out.dir);
    expect(await main(["report", MIXED_ID, "--out", out.dir], io.context)).toBe(2);
    expect(io.stderr()).toContain(`  - ${join(dir, "run.json")}: traceId: `);
    expect(io.stderr()).toContain(`  - ${join(dir, "run.json")}: checks.0.status: `);
  });

  it("exits 2 when run.json is not JSON", async () => {
    const dir = await installRun(out.dir, "mixed", MIXED_ID);
    await writeFile(join(dir, "run.json"), "{ cut sho");
    const io = captureContext(out.dir);
    expect(await main(["report", MIXED_ID, "--out", out.dir], io.context)).toBe(2);
    expect(io.stderr()).toContain(`  - ${join(dir, "run.json")}: not JSON: `);
  });

  it("exits 2 with `path:line: message` for each bad line or span of spans.jsonl", async () => {
    const dir = await installRun(out.dir, "corrupt-spans", MIXED_ID);
    const io = captureContext(out.dir);
    expect(await main(["report", MIXED_ID, "--out", out.dir, "--html", "r.html"], io.context)).toBe(2);
    expect(io.stderr()).toContain(`  - ${join(dir, "spans.jsonl")}:2: not JSON: `);
    expect(io.stderr()).toContain(`  - ${join(dir, "spans.jsonl")}:3: span "no id": no valid spanId`);
    expect(await readdir(out.dir)).not.toContain("r.html");
  });

  it("still summarises a run whose spans.jsonl is missing", async () => {
    const dir = await installRun(out.dir, "mixed", MIXED_ID);
    await rm(join(dir, "spans.jsonl"));
    const io = captureContext(out.dir);
    expect(await main(["report", MIXED_ID, "--out", out.dir], io.context)).toBe(0);
    expect(io.stdout()).toContain("No spans recorded for this run");
    expect(io.stdout()).toContain("FAIL  nginx.broken-login");
  });
});

describe("the terminal summary", () => {
  it("shows counts, checks with subtests, the failing log tail and the slowest spans", async () => {
    await installRun(out.dir, "mixed", MIXED_ID);
    const io = captureContext(out.dir);
    expect(await main(["report", MIXED_ID, "--out", out.dir], io.context)).toBe(0);
    const text = io.stdout();
    expect(text).toContain("4 checks: 3 passed, 1 failed, 1 cached · 27 spans");
    expect(text).toMatch(/PASS {2}nginx\.startup +48\.5s\n +✓ machine boots +21\.5s/);
    expect(text).toMatch(/PASS {2}postgres\.replication +cached/);
    expect(text).toMatch(/✗ admin can log in +7\.3s/);
    for (const line of FAILING_LOG_TAIL) expect(text).toContain(`    │ ${line}`);
    expect(text).toMatch(/Slowest spans\n +1m 06s +check +test\.nginx\.broken-login/);
    // Subtests run.json lacks are read from the spans; control characters never reach the terminal.
    expect(text).toContain(`✓ quote's "sub" & <i>test</i>�line`);
  });
});

describe("--html and --open", () => {
  it("writes one file atomically, leaving no temporary file, and prints its path", async () => {
    await installRun(out.dir, "mixed", MIXED_ID);
    const io = captureContext(out.dir);
    expect(await main(["report", MIXED_ID, "--out", out.dir, "--html", "site/report.html"], io.context)).toBe(0);
    expect(io.stdout()).toBe(`${join(out.dir, "site", "report.html")}\n`);
    expect(await readdir(join(out.dir, "site"))).toEqual(["report.html"]);
    const html = await readFile(join(out.dir, "site", "report.html"), "utf8");
    expect(html).toContain("broken-login");
    expect(html).not.toContain(HOSTILE_NAME);
  });

  it("opens the file with the platform opener when there is one", async () => {
    await installRun(out.dir, "mixed", MIXED_ID);
    const bin = join(out.dir, "bin");
    await mkdir(bin);
    // A stand-in opener that records what it was asked to open (no browser in tests).
    await writeFile(join(bin, "xdg-open"), `#!/bin/sh\nprintf '%s' "$1" > "${join(out.dir, "opened")}"\n`);
    await chmod(join(bin, "xdg-open"), 0o755);
    const io = captureContext(out.dir, { PATH: bin });
    expect(await main(["report", MIXED_ID, "--out", out.dir, "--open"], io.context)).toBe(0);
    const page = join(out.dir, "runs", MIXED_ID, "report.html");
    expect(io.stdout()).toBe(`${page}\n`);
    await expect.poll(() => readFile(join(out.dir, "opened"), "utf8").catch(() => "")).toBe(page);
    expect(io.stderr()).toBe(`opened ${page}\n`);
  });

  it("says the opener failed, not that it opened, when it exits non-zero (no browser)", async () => {
    await installRun(out.dir, "mixed", MIXED_ID);
    const bin = join(out.dir, "bin");
    await mkdir(bin);
    // xdg-open exits 3 when no browser or handler exists for the file.
    await writeFile(join(bin, "xdg-open"), "#!/bin/sh\necho 'xdg-open: no method available for opening' >&2\nexit 3\n");
    await chmod(join(bin, "xdg-open"), 0o755);
    const io = captureContext(out.dir, { PATH: bin });
    expect(await main(["report", MIXED_ID, "--out", out.dir, "--open"], io.context)).toBe(0);
    const page = join(out.dir, "runs", MIXED_ID, "report.html");
    expect(io.stderr()).not.toContain("opened");
    expect(io.stderr()).toBe(`could not open it: xdg-open exited 3 (no browser here?); open ${page} yourself\n`);
  });

  it("prints the path instead of failing when no opener exists", async () => {
    await installRun(out.dir, "mixed", MIXED_ID);
    const io = captureContext(out.dir, { PATH: join(out.dir, "empty") });
    expect(await main(["report", MIXED_ID, "--out", out.dir, "--html", "r.html", "--open"], io.context)).toBe(0);
    expect(io.stderr()).toContain(`open ${join(out.dir, "r.html")} yourself`);
  });
});
