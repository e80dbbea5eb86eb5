// An endpoint with credentials in it (`http://user:pw@host`) must still authenticate, but the
// password must reach no artifact: not the terminal, not run.json, not report.html.
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { exporterSettings, redactUrl } from "../../src/export/config.js";
import { main } from "../../src/main.js";
import { baseEnv, copyFixture, nixotel, type FlakeCopy } from "../runner/support/fixture.js";
import { startReceiver, type OtlpReceiver } from "../support/otlp-receiver.js";
import { MIXED_ID, captureContext, installRun, tempOutDir } from "./support/fixtures.js";

const PASSWORD = "s3cr%40t-pw"; // percent-encoded `s3cr@t-pw`
const basic = (auth: string) => `Basic ${Buffer.from(auth).toString("base64")}`;

describe("exporter settings", () => {
  test("move URL credentials into a Basic auth header, as Node's http would send them", () => {
    const settings = exporterSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: `https://inst-1:${PASSWORD}@otlp.example/otlp` });
    expect(settings).toMatchObject({
      kind: "otlp",
      url: "https://otlp.example/otlp/v1/traces",
      headers: { Authorization: basic("inst-1:s3cr@t-pw") },
    });
  });

  test("keep an explicit Authorization header, and still drop the credentials from the URL", () => {
    const settings = exporterSettings({
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://u:p@collector:4318/v1/traces",
      OTEL_EXPORTER_OTLP_HEADERS: "authorization=Bearer%20tok",
    });
    expect(settings).toMatchObject({ url: "http://collector:4318/v1/traces", headers: { authorization: "Bearer tok" } });
    expect(Object.keys(settings.kind === "otlp" ? settings.headers : {})).toEqual(["authorization"]);
  });

  test("leave a URL without credentials exactly as given", () => {
    expect(exporterSettings({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://collector:4318" })).toMatchObject({
      url: "http://collector:4318",
      headers: {},
    });
  });

  test("never echo credentials of an endpoint that is not a URL", () => {
    expect(() => exporterSettings({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://u:hunter2@[bad" })).toThrow(/http:\/\/\*\*\*@\[bad/);
    expect(() => exporterSettings({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://u:hunter2@[bad" })).not.toThrow(/hunter2/);
  });

  test("redactUrl hides every userinfo in a text, up to the host", () => {
    expect(redactUrl("to http://a@b:c@host:1/x and https://h/p?u=v@w")).toBe("to http://***@host:1/x and https://h/p?u=v@w");
  });
});

describe("a run sending to http://user:pw@collector", () => {
  let flake: FlakeCopy;
  let receiver: OtlpReceiver;
  beforeAll(async () => {
    [flake, receiver] = await Promise.all([copyFixture("mixed"), startReceiver()]);
  });
  afterAll(async () => {
    await receiver?.close();
    await flake?.remove();
  });

  test("authenticates, and neither prints nor stores the password", async () => {
    const endpoint = receiver.url.replace("http://", `http://ci-bot:${PASSWORD}@`);
    const result = await nixotel(["run", "pass", "--flake", flake.ref, "--out", "out"], {
      cwd: flake.dir,
      env: baseEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: "http/json" }),
    });
    expect(result.code, result.stderr).toBe(0);
    // One spans request per batch (the check's as it settled, the run's own) and the check's log
    // records' (sent beside its spans): each one authenticated the same way.
    expect(receiver.requests.map((r) => [r.path, r.headers.authorization]).sort()).toEqual([
      ["/v1/logs", basic("ci-bot:s3cr@t-pw")],
      ["/v1/traces", basic("ci-bot:s3cr@t-pw")],
      ["/v1/traces", basic("ci-bot:s3cr@t-pw")],
    ]);
    expect(result.stdout).toContain(`sent `);
    expect(result.stdout).toContain(`${receiver.url}/v1/traces`);

    const [runId] = await readdir(join(flake.dir, "out", "runs"));
    const record = await readFile(join(flake.dir, "out", "runs", runId!, "run.json"), "utf8");
    expect(JSON.parse(record).export.endpoint).toBe(`${receiver.url}/v1/traces`);
    const io = captureContext(flake.dir);
    expect(await main(["report", "latest", "--out", "out", "--html", "report.html"], io.context)).toBe(0);
    const html = await readFile(join(flake.dir, "report.html"), "utf8");
    for (const text of [result.stdout, result.stderr, record, html, io.stdout()]) {
      expect(text).not.toContain("s3cr");
      expect(text).not.toContain("ci-bot");
    }
  });
});

test("the HTML report of an older run.json that stored credentials does not show them", async () => {
  const out = await tempOutDir();
  try {
    const dir = await installRun(out.dir, "mixed", MIXED_ID);
    const record = JSON.parse(await readFile(join(dir, "run.json"), "utf8"));
    record.export = { ...record.export, endpoint: "https://inst:hunter2@otlp.example/otlp/v1/traces", delivered: true };
    await writeFile(join(dir, "run.json"), JSON.stringify(record));
    const io = captureContext(out.dir);
    expect(await main(["report", MIXED_ID, "--out", out.dir, "--html", "r.html"], io.context)).toBe(0);
    const html = await readFile(join(out.dir, "r.html"), "utf8");
    expect(html).toContain("https://***@otlp.example/otlp/v1/traces");
    expect(html).not.toContain("hunter2");
  } finally {
    await out.cleanup();
  }
});
