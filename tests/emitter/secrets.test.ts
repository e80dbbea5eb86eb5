// No header value and no URL userinfo is ever printed: not in a warning, not with --verbose, not when
// a collector echoes a credential back, not when a header is written the wrong way round.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "./emitter-harness.js";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => h.close());

const TOKEN = "s3cr3t-T0KEN";

function expectNoSecret(text: string, ...secrets: string[]): void {
  for (const secret of secrets) expect(text).not.toContain(secret);
}

describe("malformed header entries are named by key only", () => {
  it.each([
    ["`Name: value` instead of `Name=value`", `Authorization: Bearer ${TOKEN}`],
    ["the same with base64 padding (a `=` inside the value)", `Authorization: Basic ${TOKEN}==`],
  ])("%s", async (_why, entry) => {
    const result = await h.emit(["--verbose", "x", "passed"], { OTEL_EXPORTER_OTLP_HEADERS: `x-ok=1,${entry}` });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain(
      "ignoring OTEL_EXPORTER_OTLP_HEADERS entry 2 (Authorization: …, value hidden; write Authorization=VALUE): expected",
    );
    expect(result.stderr).toContain("e.g. Authorization=Bearer%20TOKEN");
    expectNoSecret(result.stderr, TOKEN);
    expect(h.receiver.requests[0]!.headers["x-ok"]).toBe("1");
    expect(h.receiver.requests[0]!.headers.authorization).toBeUndefined();
  });

  it("a bare token with no key at all is named by its position only", async () => {
    const result = await h.emit(["x", "passed"], { OTEL_EXPORTER_OTLP_HEADERS: `${TOKEN}` });
    expect(result.stderr).toContain("ignoring OTEL_EXPORTER_OTLP_HEADERS entry 1 (text hidden): expected key=value");
    expectNoSecret(result.stderr, TOKEN);
  });

  it("a value with a control character is refused by its header name, the value hidden", async () => {
    const result = await h.emit(["x", "passed"], { OTEL_EXPORTER_OTLP_HEADERS: `x-api-key=${TOKEN}%0Aevil` });
    expect(result.stderr).toContain(
      "ignoring header x-api-key from OTEL_EXPORTER_OTLP_HEADERS: its value (hidden) holds a control character",
    );
    expectNoSecret(result.stderr, TOKEN);
  });
});

describe("--verbose names headers, never their values", () => {
  it("lists the header names it sends", async () => {
    const result = await h.emit(["--verbose", "x", "passed"], {
      OTEL_EXPORTER_OTLP_HEADERS: `Authorization=Bearer%20${TOKEN},X-Scope-OrgID=team`,
    });
    expect(result.stderr).toContain("with headers Authorization, X-Scope-OrgID (values hidden)");
    expectNoSecret(result.stderr, TOKEN, "team");
    expect(h.receiver.requests[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it("hides a credential a collector echoes back in its answer", async () => {
    h.receiver.setDefault({ kind: "answer", status: 401, body: `{"message":"invalid token Bearer ${TOKEN}"}` });
    const result = await h.emit(["--verbose", "x", "passed"], { OTEL_EXPORTER_OTLP_HEADERS: `Authorization=Bearer%20${TOKEN}` });
    expect(result.stderr).toContain('HTTP 401, not retried: {"message":"invalid token ***"}');
    expectNoSecret(result.stderr, TOKEN);
  });
});

describe("URL userinfo", () => {
  it("is shown as *** in the warning and with --verbose, whichever endpoint variable holds it", async () => {
    const port = new URL(h.receiver.url).port;
    h.receiver.setDefault({ kind: "answer", status: 500, body: "no" });
    for (const variable of ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"]) {
      const result = await h.emit(["--verbose", "x", "passed"], { [variable]: `http://alice:${TOKEN}@127.0.0.1:${port}` });
      expect(result.stderr).toContain(`POST http://***@127.0.0.1:${port}`);
      expect(result.stderr).toContain(`span not delivered to http://***@127.0.0.1:${port}`);
      expectNoSecret(result.stderr, TOKEN, "alice");
    }
    expect(h.receiver.requests.map((r) => r.headers.authorization)).toEqual([
      `Basic ${Buffer.from(`alice:${TOKEN}`).toString("base64")}`,
      `Basic ${Buffer.from(`alice:${TOKEN}`).toString("base64")}`,
    ]); // curl still sends them: only the printing is redacted
  });

  it("is hidden in the control-character refusal too", async () => {
    const result = await h.emit(["x", "passed"], {
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `http://bob:${TOKEN}@127.0.0.1:1/\nheader = "X: y"`,
    });
    expect(result.stderr).toContain(
      "expected OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT to be a URL without control characters, got $'http://***@127.0.0.1:1/",
    );
    expectNoSecret(result.stderr, TOKEN, "bob");
  });
});
