// The OpenTelemetry environment variables, as the spec defines them, read by emit_test_span.sh.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { attr, HOST, resourceOf, startHarness, type Harness } from "./emitter-harness.js";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => h.close());

describe("endpoint", () => {
  it("appends v1/traces to OTEL_EXPORTER_OTLP_ENDPOINT, with or without a trailing slash", async () => {
    await h.emit(["a", "passed"], { OTEL_EXPORTER_OTLP_ENDPOINT: `${h.receiver.url}/base/` });
    await h.emit(["b", "passed"], { OTEL_EXPORTER_OTLP_ENDPOINT: `${h.receiver.url}/base` });
    expect(h.receiver.requests.map((r) => r.path)).toEqual(["/base/v1/traces", "/base/v1/traces"]);
  });

  it("uses OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as is, ahead of the base endpoint", async () => {
    const result = await h.emit(["a", "passed"], {
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:9",
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${h.receiver.url}/custom/path`,
    });
    expect(result.stderr).toBe("");
    expect(h.receiver.requests.map((r) => r.path)).toEqual(["/custom/path"]);
  });

  it("treats an empty OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as unset", async () => {
    await h.emit(["a", "passed"], { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "" });
    expect(h.receiver.requests.map((r) => r.path)).toEqual(["/v1/traces"]);
  });
});

describe("headers", () => {
  it("sends OTEL_EXPORTER_OTLP_HEADERS trimmed and percent-decoded", async () => {
    await h.emit(["a", "passed"], {
      OTEL_EXPORTER_OTLP_HEADERS: " Authorization = Basic%20dXNlcjpwYXNz , X-Scope-OrgID=team%2Ca,x-quoted=%22q%22%5C, x-bad-pct=100%zz",
    });
    const headers = h.receiver.requests[0]!.headers;
    expect(headers.authorization).toBe("Basic dXNlcjpwYXNz");
    expect(headers["x-scope-orgid"]).toBe("team,a");
    expect(headers["x-quoted"]).toBe('"q"\\');
    expect(headers["x-bad-pct"]).toBe("100%zz");
  });

  it("prefers OTEL_EXPORTER_OTLP_TRACES_HEADERS over OTEL_EXPORTER_OTLP_HEADERS", async () => {
    await h.emit(["a", "passed"], { OTEL_EXPORTER_OTLP_HEADERS: "x-which=general", OTEL_EXPORTER_OTLP_TRACES_HEADERS: "x-which=traces" });
    expect(h.receiver.requests[0]!.headers["x-which"]).toBe("traces");
  });

  it("refuses a header that would smuggle another one (CR/LF), with a warning, and still sends", async () => {
    const result = await h.emit(["a", "passed"], { OTEL_EXPORTER_OTLP_HEADERS: "x-ok=1,x-evil=a%0D%0AInjected: yes,bad name=2" });
    const headers = h.receiver.requests[0]!.headers;
    expect(headers["x-ok"]).toBe("1");
    expect(headers["x-evil"]).toBeUndefined();
    expect(headers.injected).toBeUndefined();
    expect(result.stderr).toContain("ignoring header x-evil from OTEL_EXPORTER_OTLP_HEADERS: its value (hidden) holds a control character");
    expect(result.stderr).toContain("ignoring OTEL_EXPORTER_OTLP_HEADERS entry 3 (text hidden): expected a header name of letters");
    expect(result.exitCode).toBe(0);
  });

  it("refuses an endpoint with a control character (it would add a line to curl's config)", async () => {
    const evil = `${h.receiver.url}\nheader = "X-Injected: yes"`;
    const result = await h.emit(["a", "passed"], { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: evil });
    expect(h.receiver.requests).toEqual([]);
    expect(result.stderr).toContain("span not sent: expected OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT to be a URL without control characters");
    expect(result.exitCode).toBe(0);
    expect((await h.emit(["--strict", "a", "passed"], { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: evil })).exitCode).toBe(1);
  });
});

describe("resource", () => {
  it("defaults service.name and sets host.name", async () => {
    await h.emit(["a", "passed"]);
    expect(resourceOf(h.requests()[0]!)).toEqual([
      { key: "service.name", value: { stringValue: "nixos-integration-tests" } },
      { key: "host.name", value: { stringValue: HOST } },
    ]);
  });

  it("reads OTEL_RESOURCE_ATTRIBUTES (decoded) and lets OTEL_SERVICE_NAME override its service.name", async () => {
    await h.emit(["a", "passed"], {
      OTEL_RESOURCE_ATTRIBUTES: "service.name=from-attrs,deployment.environment=ci%2Cnix, team = a b ",
      OTEL_SERVICE_NAME: "vm-tests",
    });
    const resource = resourceOf(h.requests()[0]!);
    expect(attr(resource, "service.name")).toEqual({ stringValue: "vm-tests" });
    expect(attr(resource, "deployment.environment")).toEqual({ stringValue: "ci,nix" });
    expect(attr(resource, "team")).toEqual({ stringValue: "a b" });
  });

  it("treats an empty OTEL_SERVICE_NAME as unset", async () => {
    await h.emit(["a", "passed"], { OTEL_RESOURCE_ATTRIBUTES: "service.name=from-attrs", OTEL_SERVICE_NAME: "" });
    expect(attr(resourceOf(h.requests()[0]!), "service.name")).toEqual({ stringValue: "from-attrs" });
  });
});

describe("OTEL_TRACES_EXPORTER", () => {
  it("none sends nothing but still spools", async () => {
    expect(await h.emit(["a", "passed"], { OTEL_TRACES_EXPORTER: "none" })).toMatchObject({ exitCode: 0, stderr: "" });
    expect(h.receiver.requests).toHaveLength(0);
    expect(await h.spoolLines()).toHaveLength(1);
  });

  it("console prints the OTLP JSON line on stdout, and a list can name both exporters", async () => {
    const result = await h.emit(["a", "passed"], { OTEL_TRACES_EXPORTER: "console,otlp" });
    expect(result.stdout).toBe(h.bodiesText());
  });
});

describe("timeout", () => {
  it("warns about an OTEL_EXPORTER_OTLP_TIMEOUT that is not positive milliseconds and still sends", async () => {
    const result = await h.emit(["a", "passed"], { OTEL_EXPORTER_OTLP_TIMEOUT: "5s" });
    expect(result.stderr).toContain("expected OTEL_EXPORTER_OTLP_TIMEOUT to be positive milliseconds, got 5s; using 3000");
    expect(h.receiver.requests).toHaveLength(1);
  });
});
