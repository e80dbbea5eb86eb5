// nixotel.nixosModules.tracedNode (modules/nixos/traced-node.nix) evaluated by real nix for each collector
// mode. nixpkgs is not available here: the module system is the MOCK in ./mock-module-system.nix (nixpkgs'
// own representations of mkIf/mkMerge/mkDefault, inert option types) and `pkgs.callPackage` returns a marker.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { evalJson, repoRoot } from "./nix-eval.js";

const moduleFile = join(repoRoot, "modules/nixos/traced-node.nix");
const mockModules = join(repoRoot, "tests/nix/mock-module-system.nix");
const mockPkgs = `{ callPackage = path: args: { calledPackage = toString path; }; }`;
const constants = JSON.parse(await readFile(join(repoRoot, "modules/lib/constants.json"), "utf8")) as {
  serviceName: string;
  sharedFolder: { vm: string; spool: string; traceparent: string };
};
const spoolDir = `${constants.sharedFolder.vm}/${constants.sharedFolder.spool}`;
const traceparentFile = `${constants.sharedFolder.vm}/${constants.sharedFolder.traceparent}`;

interface Evaluated {
  config: {
    environment?: { sessionVariables: Record<string, string>; systemPackages: { calledPackage: string }[] };
    services?: { "grafana-alloy": Record<string, unknown> };
  };
  imports: string[];
  failedAssertions: string[];
}

/** The module evaluated with `settings` as the test's nixotel.tracedNode definitions (a Nix expression). */
const evalTracedNode = async (settings: string) =>
  (await evalJson(
    `let r = (import ${mockModules}).evalModule { module = ${moduleFile}; pkgs = ${mockPkgs};` +
      ` definitions = { nixotel.tracedNode = ${settings}; }; }; in { inherit (r) config imports failedAssertions; }`,
  )) as Evaluated;

const atDefault = (value: unknown) => ({ _priority: 1000, value });
const variables = (endpoint: string | undefined, serviceName = constants.serviceName) => ({
  ...(endpoint ? { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint } : {}),
  OTEL_SERVICE_NAME: serviceName,
  NIXOTEL_SPOOL_DIR: spoolDir,
  NIXOTEL_TRACEPARENT_FILE: traceparentFile,
});

describe("nixotel.tracedNode", () => {
  it("local: runs Alloy in the VM and points the session at it", async () => {
    const { config, imports, failedAssertions } = await evalTracedNode(`{ enable = true; collector = "local"; }`);
    expect(failedAssertions).toEqual([]);
    expect(imports).toEqual([join(repoRoot, "modules/services/grafana-alloy.nix")]);
    expect(config.environment?.sessionVariables).toEqual(variables("http://localhost:4318"));
    expect(config.environment?.systemPackages).toEqual([{ calledPackage: join(repoRoot, "modules/packages/emit-test-span.nix") }]);
    expect(config.services?.["grafana-alloy"]).toEqual({
      enable: true,
      otlpPort: atDefault(4318),
      serviceName: atDefault(constants.serviceName),
      spoolDir: atDefault(spoolDir),
      traceparentFile: atDefault(traceparentFile),
    });
  });

  it("local is the default collector", async () => {
    const { config } = await evalTracedNode(`{ enable = true; }`);
    expect(config.services?.["grafana-alloy"]?.enable).toBe(true);
  });

  it("host: no collector in the VM, spans go to QEMU's address of the host", async () => {
    const { config, failedAssertions } = await evalTracedNode(`{ enable = true; collector = "host"; }`);
    expect(failedAssertions).toEqual([]);
    expect(config.environment?.sessionVariables).toEqual(variables("http://10.0.2.2:4318"));
    expect(config.services).toBeUndefined();
  });

  it("remote: spans go to the named node; an IPv6 address is bracketed", async () => {
    const byName = await evalTracedNode(`{ enable = true; collector = "remote"; remoteHost = "server"; otlpPort = 4319; }`);
    expect(byName.failedAssertions).toEqual([]);
    expect(byName.config.environment?.sessionVariables).toEqual(variables("http://server:4319"));
    expect(byName.config.services).toBeUndefined();
    const byAddress = await evalTracedNode(`{ enable = true; collector = "remote"; remoteHost = "fd00::1"; }`);
    expect(byAddress.config.environment?.sessionVariables.OTEL_EXPORTER_OTLP_ENDPOINT).toBe("http://[fd00::1]:4318");
  });

  it("remote without remoteHost or endpoint fails evaluation, naming the options to set", async () => {
    const { config, failedAssertions } = await evalTracedNode(`{ enable = true; collector = "remote"; }`);
    expect(failedAssertions).toEqual([
      expect.stringContaining('set nixotel.tracedNode.remoteHost (e.g. "server") or nixotel.tracedNode.endpoint'),
    ]);
    expect(config.environment?.sessionVariables.OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
    const withEndpoint = await evalTracedNode(`{ enable = true; collector = "remote"; endpoint = "https://otel.example.org"; }`);
    expect(withEndpoint.failedAssertions).toEqual([]);
    expect(withEndpoint.config.environment?.sessionVariables.OTEL_EXPORTER_OTLP_ENDPOINT).toBe("https://otel.example.org");
  });

  it("a spool turned off stays off, in the session and in Alloy's own defaults", async () => {
    const { config } = await evalTracedNode(
      `{ enable = true; spoolDir = null; traceparentFile = null; serviceName = "web"; otlpPort = 4400; }`,
    );
    expect(config.environment?.sessionVariables).toEqual({
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://localhost:4400",
      OTEL_SERVICE_NAME: "web",
    });
    expect(config.services?.["grafana-alloy"]).toMatchObject({
      otlpPort: atDefault(4400),
      serviceName: atDefault("web"),
      spoolDir: atDefault(null),
      traceparentFile: atDefault(null),
    });
  });

  it("does nothing unless enabled", async () => {
    const { config } = await evalTracedNode(`{ collector = "host"; }`);
    expect(config).toEqual({});
  });

  it("describes every option, with defaults from modules/lib/constants.json", async () => {
    const options = (await evalJson(
      `let r = (import ${mockModules}).evalModule { module = ${moduleFile}; pkgs = ${mockPkgs}; definitions = { }; };` +
        ` in builtins.mapAttrs (_: o: { description = o.description; default = o.default or null; }) r.options.nixotel.tracedNode`,
    )) as Record<string, { description: string; default: unknown }>;
    for (const [name, option] of Object.entries(options)) expect(option.description.length, name).toBeGreaterThan(20);
    expect(options.serviceName?.default).toBe(constants.serviceName);
    expect(options.spoolDir?.default).toBe(spoolDir);
    expect(options.traceparentFile?.default).toBe(traceparentFile);
  });
});
