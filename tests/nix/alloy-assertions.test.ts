// services.grafana-alloy's assertions and credentials, evaluated through the module (offline, with the
// module-system MOCK in ./support/module-eval.nix): no way to put a credential into the store.
import { describe, expect, it } from "vitest";
import { ATTR } from "../../src/spans/vocabulary.js";
import { evalModule, failedAssertions, stabilityLevelOf } from "./support/module-eval.js";

const secret = "s3cr3t-TOKEN";
const urlOptions = [
  [
    "remote.endpoint",
    `remote.endpoint = "https://123456:${secret}@otlp.example.org/otlp";`,
    "remote.basicAuth.username and remote.basicAuth.passwordFile",
  ],
  [
    "spanMetrics.remoteWriteUrl",
    `remote.endpoint = "https://otlp.example.org"; spanMetrics = { enable = true; remoteWriteUrl = "https://tenant:${secret}@mimir.example.org/api/v1/push"; };`,
    "spanMetrics.remoteWriteBearerTokenFile",
  ],
  ["logs.lokiUrl", `logs.lokiUrl = "http://tenant:${secret}@loki.lan:3100/loki/api/v1/push";`, "logs.bearerTokenFile"],
] as const;

describe("URL options with userinfo", () => {
  it.each(urlOptions)(
    "%s: refused, naming the option and the file-based alternative, without the secret",
    async (option, settings, alternative) => {
      const failed = await failedAssertions(`{ enable = true; ${settings} }`);
      expect(failed).toHaveLength(1);
      expect(failed[0]).toContain(`services.grafana-alloy.${option}: the URL carries credentials`);
      expect(failed[0]).toContain(alternative);
      expect(failed[0]).not.toContain(secret);
    },
  );

  it("refuses a token given as the user alone, and a scheme-less URL", async () => {
    expect(await failedAssertions(`{ enable = true; logs.lokiUrl = "https://${secret}@loki.example.org/push"; }`)).toHaveLength(1);
    expect(await failedAssertions(`{ enable = true; logs.lokiUrl = "tenant:${secret}@loki.lan:3100/push"; }`)).toHaveLength(1);
  });

  it("accepts an @ in the path or query, which is not userinfo", async () => {
    expect(await failedAssertions(`{ enable = true; logs.lokiUrl = "http://loki.lan/push/@team?x=a@b"; }`)).toEqual([]);
  });
});

describe("Loki and remote-write credentials from files", () => {
  const files = `{
    enable = true;
    remote.endpoint = "https://otlp.example.org/otlp";
    spanMetrics = { enable = true; remoteWriteUrl = "https://mimir.example.org/api/v1/push";
      remoteWriteBasicAuth = { username = "tenant-1"; passwordFile = "/run/secrets/mimir-password"; }; };
    logs = { lokiUrl = "https://loki.example.org/loki/api/v1/push"; bearerTokenFile = "/run/secrets/loki-token"; };
  }`;

  it("passes each file to the unit as a systemd credential, and the config reads it from there", async () => {
    const { configText, loadCredential } = await evalModule(files);
    expect(loadCredential).toEqual(["loki-bearer-token:/run/secrets/loki-token", "remote-write-password:/run/secrets/mimir-password"]);
    expect(configText).toContain('password_file = sys.env("CREDENTIALS_DIRECTORY") + "/remote-write-password"');
    expect(configText).toContain('bearer_token_file = sys.env("CREDENTIALS_DIRECTORY") + "/loki-bearer-token"');
    expect(configText).not.toContain("/run/secrets");
  });

  it.each([
    [
      "basic auth and a bearer token for one endpoint",
      `logs = { lokiUrl = "https://l"; bearerTokenFile = "/run/t"; basicAuth = { username = "u"; passwordFile = "/run/p"; }; };`,
      "only one of them",
    ],
    [
      "a user without a password file",
      `logs = { lokiUrl = "https://l"; basicAuth.username = "u"; };`,
      "logs.basicAuth: username and passwordFile go together",
    ],
    ["credentials without their URL", `spanMetrics.remoteWriteBearerTokenFile = "/run/t";`, "spanMetrics.remoteWriteUrl is null"],
    [
      "a credentials file in the store",
      `logs = { lokiUrl = "https://l"; bearerTokenFile = "/nix/store/abc-token"; };`,
      "lies in the world-readable Nix store",
    ],
  ])("refuses %s", async (_, settings, message) => {
    const failed = await failedAssertions(`{ enable = true; ${settings} }`);
    expect(failed).toEqual([expect.stringContaining(message)]);
  });
});

describe("the stability level the unit runs Alloy at", () => {
  it("is experimental whenever the debug exporter is rendered: with debugLog, or as the only consumer", async () => {
    for (const settings of ["{ enable = true; }", '{ enable = true; debugLog = true; remote.endpoint = "https://x"; }']) {
      const { configText, startScript } = await evalModule(settings);
      expect(configText).toContain('otelcol.exporter.debug "nixotel"');
      expect(stabilityLevelOf(startScript)).toBe("experimental");
    }
  });

  it("stays generally-available when spans are forwarded and debugLog is off", async () => {
    const { configText, startScript } = await evalModule('{ enable = true; remote.endpoint = "https://x"; }');
    expect(configText).not.toContain("otelcol.exporter.debug");
    expect(startScript).not.toContain("--stability.level");
  });
});

describe("span-metric dimensions stay low-cardinality", () => {
  // The vocabulary's names for what differs per command, build or run (src/spans/vocabulary.ts).
  const perRun = [ATTR.actionTarget, ATTR.nixDrvPath, ATTR.nixOutPath, ATTR.pipelineRunId, ATTR.repetition, ATTR.vcsRevision];

  it.each(perRun)("refuses %s as a dimension, naming it", async (attribute) => {
    const settings = `{ enable = true; spanMetrics = { enable = true; remoteWriteUrl = "http://m"; dimensions = [ "test.case.name" ${JSON.stringify(attribute)} ]; }; }`;
    const failed = await failedAssertions(settings);
    expect(failed).toEqual([expect.stringContaining(`spanMetrics.dimensions: ${attribute} differ per run`)]);
  });

  it("accepts the default dimensions, among them the driver action's verb but not its target", async () => {
    const defaults = `{ enable = true; spanMetrics = { enable = true; remoteWriteUrl = "http://m"; }; }`;
    expect(await failedAssertions(defaults)).toEqual([]);
    const { configText } = await evalModule(defaults);
    expect(configText).toContain(`name = "${ATTR.action}"`);
    expect(configText).not.toContain(ATTR.actionTarget);
  });
});
