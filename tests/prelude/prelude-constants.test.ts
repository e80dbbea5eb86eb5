// The prelude takes the values it shares with Nix and TypeScript from nixotel_begin's constants_json (what
// nixotel.lib.tracedTestScript passes from modules/lib/constants.json), not from copies of its own: under the
// stand-in driver (a mock of nixpkgs'), renamed constants move the spool, the traceparent file and the
// default service name.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bySubtest, cleanupStandinRuns, runStandin, spansOf } from "./standin.js";

const dirs: string[] = [];
afterAll(async () => {
  await cleanupStandinRuns();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

const renamed = {
  serviceName: "svc-from-constants",
  sharedFolder: { vm: "/tmp/shared", spool: "other-spool", traceparent: "other-parent" },
};

describe("the prelude's shared constants", () => {
  it("spool folder, traceparent file and default service name come from constants_json", async () => {
    const dir = await mkdtemp(join(tmpdir(), "nixotel-constants-"));
    dirs.push(dir);
    const constants = join(dir, "constants.json");
    await writeFile(constants, JSON.stringify(renamed));
    const vmSpan = {
      resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: "emit" }, spans: [{ name: "in-vm" }] }] }],
    };
    // In the VM: where the spool and the traceparent are (what nixotel.tracedNode sets), and a spooled span.
    const inVm = `echo "$NIXOTEL_SPOOL_DIR $(cat $NIXOTEL_TRACEPARENT_FILE)" && mkdir -p $NIXOTEL_SPOOL_DIR && echo '${JSON.stringify(vmSpan)}' >> $NIXOTEL_SPOOL_DIR/$HOSTNAME.jsonl`;
    const script = `import sys\nwith subtest("inside"):\n    print("seen:", machine.succeed(${JSON.stringify(inVm)}).strip(), file=sys.stderr)\n`;
    const run = await runStandin(script, { constants });
    expect(run.exitCode).toBe(0);
    const inside = bySubtest(run.spans, "inside");
    const seen = /seen: (\S+) (\S+)/.exec(run.stderr)?.slice(1);
    expect(seen?.[0]).toMatch(/\/shared-xchg\/other-spool$/);
    expect(seen?.[1]).toBe(`00-${inside.traceId}-${inside.spanId}-01`);
    expect(run.files["machine.jsonl"]).toEqual([vmSpan]);
    const [request] = run.files["prelude.jsonl"] as { resourceSpans: { resource: { attributes: unknown[] } }[] }[];
    expect(request?.resourceSpans[0]?.resource.attributes).toEqual([{ key: "service.name", value: { stringValue: "svc-from-constants" } }]);
    expect(spansOf(request).length).toBe(1);
  });
});
