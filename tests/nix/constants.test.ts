// modules/lib/constants.json is the one place the values Nix, TypeScript and the prelude share are written.
// Nix and TypeScript read it; the two copies that cannot (the emitter, a shell script that also runs alone,
// and the dashboard's JSON) are held to it here.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_SERVICE_NAME, VM_SPOOL_DIR } from "../../src/constants.js";
import { evalJson, repoRoot } from "./nix-eval.js";

const read = (file: string) => readFile(join(repoRoot, file), "utf8");
const constants = JSON.parse(await read("modules/lib/constants.json")) as {
  serviceName: string;
  sharedFolder: { vm: string; spool: string; traceparent: string };
  spanMetricDimensions: string[];
};

describe("modules/lib/constants.json", () => {
  it("is what nixotel.lib.constants holds, with the VM paths derived from it", async () => {
    const nix = (await evalJson(`(import ${join(repoRoot, "modules/lib/default.nix")} { }).constants`)) as Record<string, unknown>;
    expect(nix).toMatchObject({
      serviceName: constants.serviceName,
      sharedFolder: constants.sharedFolder,
      spanMetricDimensions: constants.spanMetricDimensions,
      spoolDir: `${constants.sharedFolder.vm}/${constants.sharedFolder.spool}`,
      traceparentFile: `${constants.sharedFolder.vm}/${constants.sharedFolder.traceparent}`,
      prelude: { serviceName: constants.serviceName, sharedFolder: constants.sharedFolder },
    });
  });

  it("gives the Alloy config its span-metric dimensions when the module sets none", async () => {
    const config = (await evalJson(
      `import ${join(repoRoot, "modules/lib/alloy-config.nix")} { remote.endpoint = "http://x"; spanMetrics.enable = true; }`,
    )) as string;
    expect([...config.matchAll(/dimension \{\s*name = "([^"]*)"/g)].map((m) => m[1])).toEqual(constants.spanMetricDimensions);
  });

  it("is what TypeScript reads", () => {
    expect(DEFAULT_SERVICE_NAME).toBe(constants.serviceName);
    expect(VM_SPOOL_DIR).toBe(`${constants.sharedFolder.vm}/${constants.sharedFolder.spool}`);
  });

  it("matches the copies that cannot read it: the emitter's default service name, the dashboard's", async () => {
    expect(await read("scripts/emit_test_span.sh")).toContain(`set_string_attr service.name ${constants.serviceName}\n`);
    const dashboard = JSON.parse(await read("dashboards/nixotel-tests.json")) as {
      templating: { list: { name: string; current?: { value: string } }[] };
    };
    const service = dashboard.templating.list.find((variable) => variable.name === "service");
    expect(service?.current?.value).toBe(constants.serviceName);
  });
});
