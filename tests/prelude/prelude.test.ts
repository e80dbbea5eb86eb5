// The prelude under the stand-in driver (standin_driver.py, a mock of nixpkgs' driver): the spans it records,
// how a failure shows, what it collects from the VM spool, and the traceparent file it keeps current.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { attr, byName, bySubtest, cleanupStandinRuns, generations, repoRoot, runStandin, spansOf } from "./standin.js";

afterEach(cleanupStandinRuns);

describe("prelude spans", () => {
  it("makes subtests sibling spans under one test span, all passing", async () => {
    const run = await runStandin(`start_all()\nwith subtest("boot"):\n    machine.succeed("true")\nwith subtest("serve"):\n    pass\n`);
    expect(run.exitCode).toBe(0);
    const test = byName(run.spans, "test.prelude.demo");
    const [boot, serve] = [bySubtest(run.spans, "boot"), bySubtest(run.spans, "serve")];
    // Besides the driver actions (start, boot, succeed: tests/prelude/actions.test.ts), the test and its two subtests.
    expect(run.spans.filter((s) => attr(s, "nixos.test.action") === undefined)).toHaveLength(3);
    expect(test.parentSpanId).toBeUndefined();
    expect([boot.parentSpanId, serve.parentSpanId]).toEqual([test.spanId, test.spanId]);
    expect(new Set(run.spans.map((s) => s.traceId))).toEqual(new Set([test.traceId]));
    expect(test.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(boot.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(BigInt(boot.endTimeUnixNano) <= BigInt(serve.startTimeUnixNano)).toBe(true);
    expect([attr(test, "test.case.name"), attr(test, "test.suite.name"), attr(test, "test.case.result.status")]).toEqual([
      "demo",
      "prelude",
      "pass",
    ]);
    expect([attr(boot, "test.case.name"), attr(boot, "test.suite.name"), attr(boot, "test.case.result.status")]).toEqual([
      "boot",
      "demo",
      "pass",
    ]);
    expect(test.status).toEqual({ code: 1 }); // passed is OK: src/spans/vocabulary.ts statusOf
  });

  it("nests subtests and custom spans as the blocks nest, with typed attributes", async () => {
    const script = `with subtest("outer"):\n    with subtest("inner"):\n        with otel_span("load", rows=3, ratio=0.5, ok=True, who="me"):\n            pass\n    otel_emit("measured", 2.0, phase="boot")\n`;
    const run = await runStandin(script);
    expect(run.exitCode).toBe(0);
    const [outer, inner] = ["outer", "inner"].map((n) => bySubtest(run.spans, n));
    const [load, measured] = ["load", "measured"].map((n) => byName(run.spans, n)); // custom spans keep their plain names
    expect([attr(load!, "nixos.test.subtest"), attr(measured!, "nixos.test.subtest")]).toEqual([undefined, undefined]);
    expect(inner?.parentSpanId).toBe(outer?.spanId);
    expect(load?.parentSpanId).toBe(inner?.spanId);
    expect(measured?.parentSpanId).toBe(outer?.spanId);
    expect(load?.attributes).toEqual([
      { key: "rows", value: { intValue: "3" } },
      { key: "ratio", value: { doubleValue: 0.5 } },
      { key: "ok", value: { boolValue: true } },
      { key: "who", value: { stringValue: "me" } },
    ]);
    const lasted = BigInt(measured!.endTimeUnixNano) - BigInt(measured!.startTimeUnixNano);
    expect(lasted >= 2_000_000_000n).toBe(true);
  });

  it.each(generations)("marks a raising subtest ERROR and fails the test (%s driver exits)", async (generation) => {
    const run = await runStandin(
      `with subtest("fine"):\n    pass\nwith subtest("broken"):\n    machine.succeed("exit 3")\nwith subtest("never"):\n    pass\n`,
      { generation },
    );
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('Test "broken" failed with error: "command `exit 3` failed (exit code 3)"');
    const broken = bySubtest(run.spans, "broken");
    expect(broken.status).toEqual({ code: 2, message: "RequestedAssertionFailed: command `exit 3` failed (exit code 3)" });
    expect(attr(broken, "test.case.result.status")).toBe("fail");
    expect(broken.events[0]?.name).toBe("exception");
    expect(attr(broken.events[0] as never, "exception.type")).toBe("RequestedAssertionFailed");
    const test = byName(run.spans, "test.prelude.demo");
    expect([test.status.code, attr(test, "test.case.result.status")]).toEqual([2, "fail"]);
    expect(run.spans.map((s) => s.name)).not.toContain("subtest: never");
  });

  it("fails the test on an exception outside any subtest that ends the driver", async () => {
    const run = await runStandin(`with subtest("ok"):\n    pass\nraise ValueError("top level")\n`);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("ValueError: top level"); // the driver's own traceback still prints
    const test = byName(run.spans, "test.prelude.demo");
    expect(test.status.message).toBe("ValueError: top level");
    expect(test.events.map((e) => e.name)).toEqual(["exception"]);
  });

  it("keeps valid JSON for hostile subtest, test and suite names", async () => {
    const hostile = `quote " apostrophe ' back\\\\slash\nnew line \u00fc\u6f22\u{1F680} \t tab`;
    const script = `with subtest(${JSON.stringify(hostile)}):\n    pass\n`;
    const run = await runStandin(script, { name: `n"a\nme`, suite: "s\u00fcite'" });
    expect(run.exitCode).toBe(0);
    expect(bySubtest(run.spans, hostile).name).toBe(`subtest: ${hostile}`);
    expect(attr(bySubtest(run.spans, hostile), "test.case.name")).toBe(hostile);
    expect(byName(run.spans, `test.s\u00fcite'.n"a\nme`)).toBeDefined();
  });
});

describe("prelude and the VMs", () => {
  it("keeps the traceparent file on the innermost open span", async () => {
    const save = (file: string) => `(driver.out_dir / "${file}").write_text(machine.succeed("cat $NIXOTEL_TRACEPARENT_FILE"))`;
    const script = `${save("top")}\nwith subtest("a"):\n    ${save("a")}\n    with subtest("b"):\n        ${save("b")}\n    ${save("a-again")}\n`;
    const run = await runStandin(script);
    expect(run.exitCode).toBe(0);
    const parentOf = async (file: string) => (await readFile(join(run.outDir, file), "utf8")).trim();
    const test = byName(run.spans, "test.prelude.demo");
    const [a, b] = ["a", "b"].map((n) => bySubtest(run.spans, n));
    expect(await parentOf("top")).toBe(`00-${test.traceId}-${test.spanId}-01`);
    expect(await parentOf("a")).toBe(`00-${a!.traceId}-${a!.spanId}-01`);
    expect(await parentOf("b")).toBe(`00-${b!.traceId}-${b!.spanId}-01`);
    expect(await parentOf("a-again")).toBe(`00-${a!.traceId}-${a!.spanId}-01`);
  });

  it("moves VM-spooled spans into $out/otel/<host>.jsonl and prints them on stderr; reports, and keeps, every line it cannot read", async () => {
    // In each VM: the real emitter (one file per span), an older emitter's append with a torn line after
    // it, the scratch file of an older emitter that never finished, and the span file of one stopped
    // while writing it (no final newline).
    const vmSpan = {
      resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: "emit" }, spans: [{ name: "in-vm" }] }] }],
    };
    const emitter = join(repoRoot, "scripts", "emit_test_span.sh");
    const inVm = [
      `OTEL_TRACES_EXPORTER=none bash ${emitter} --strict "line\u2028separator" passed`,
      `echo '${JSON.stringify(vmSpan)}' >> $NIXOTEL_SPOOL_DIR/$HOSTNAME.jsonl && printf '{"resourceSpans":[\n' >> $NIXOTEL_SPOOL_DIR/$HOSTNAME.jsonl`,
      `printf '{"resourceSpans":[{"resource"' > $NIXOTEL_SPOOL_DIR/.$HOSTNAME.0123456789abcdef.tmp`,
      `printf '{"resourceSpans":[{"scopeSp' > $NIXOTEL_SPOOL_DIR/$HOSTNAME.fedcba9876543210.jsonl`,
    ].join(" && ");
    const run = await runStandin(
      `start_all()\nwith subtest("emit"):\n    server.succeed(${JSON.stringify(inVm)})\n    client.succeed(${JSON.stringify(inVm)})\n`,
      { machines: "server,client" },
    );
    expect(run.exitCode).toBe(0);
    expect(Object.keys(run.files).sort()).toEqual(["client.jsonl", "prelude.jsonl", "server.jsonl"]);
    for (const host of ["server", "client"]) {
      // In the order the files were written, as far as the file system's clock tells them apart.
      const lines = run.files[`${host}.jsonl`]!;
      const emitted = lines.filter((l) => typeof l === "object" && l !== null && "resourceSpans" in l && !("unreadable" in l));
      expect(emitted.flatMap(spansOf).map((s) => s.name)).toEqual(
        expect.arrayContaining(["test.line\u2028separator", "in-vm"]), // whole: split on \n only
      );
      expect(lines).toEqual(
        expect.arrayContaining([
          vmSpan,
          { unreadable: '{"resourceSpans":[' },
          { unreadable: '{"resourceSpans":[{"resource"' },
          { unreadable: '{"resourceSpans":[{"scopeSp' },
        ]),
      );
      expect(run.files[`${host}.jsonl`]).toHaveLength(5);
      expect(run.stderr).toMatch(
        new RegExp(
          `^nixotel: \\S+/nixotel-spans/${host}\\.jsonl:2: not JSON \\(.+\\); kept in \\$out/otel/${host}\\.jsonl for nixotel run to report$`,
          "m",
        ),
      );
      expect(run.stderr).toMatch(
        new RegExp(
          `^nixotel: \\S+/nixotel-spans/\\.${host}\\.0123456789abcdef\\.tmp:1: not JSON \\(.+\\), an emitter did not finish writing it; kept in`,
          "m",
        ),
      );
      expect(run.stderr).toMatch(
        new RegExp(
          `^nixotel: \\S+/nixotel-spans/${host}\\.fedcba9876543210\\.jsonl:1: not JSON \\(.+\\), an emitter did not finish writing it; kept in`,
          "m",
        ),
      );
    }
    const fileRequests = Object.values(run.files).flat();
    expect(run.stderrRequests).toHaveLength(fileRequests.length);
    expect(new Set(run.stderrRequests.map((r) => JSON.stringify(r)))).toEqual(new Set(fileRequests.map((r) => JSON.stringify(r))));
  });

  it("works without a shared folder (no machines)", async () => {
    const run = await runStandin(`with subtest("alone"):\n    pass\n`, { machines: "" });
    expect(run.exitCode).toBe(0);
    expect(run.spans.map((s) => s.name)).toEqual(["subtest: alone", "test.prelude.demo"]);
  });
});
