// Runs a testScript under the stand-in driver (standin_driver.py, a mock of nixpkgs' driver) and reads what the
// prelude left: $out/otel/*.jsonl, the `@nixotel-otlp` lines on stderr, the exit.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";

export const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = join(here, "..", "..");
export const python = "/usr/bin/python3"; // Debian's: what the offline nix fixture calls (PATH is unset there)

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: { key: string; value: Record<string, unknown> }[];
  events: { name: string; attributes: { key: string; value: Record<string, unknown> }[] }[];
  status: { code?: number; message?: string };
}

export interface StandinRun {
  exitCode: number | undefined;
  signal: string | undefined;
  stderr: string;
  outDir: string;
  /** file name under $out/otel → its lines, parsed */
  files: Record<string, unknown[]>;
  /** the prelude's spans (prelude.jsonl), in the order they ended */
  spans: OtlpSpan[];
  /** the `@nixotel-otlp ` lines of stderr, parsed */
  stderrRequests: unknown[];
}

export const generations = ["24.11", "25.05", "2026"] as const;
export type Generation = (typeof generations)[number];

export interface StandinOptions {
  name?: string;
  suite?: string;
  /** the driver generation the stand-in behaves as (standin_driver.py's header) */
  generation?: Generation;
  /** 2026: pass the machines, timeout and script through a `--config` JSON file, as that driver is run */
  viaConfig?: boolean;
  machines?: string;
  globalTimeout?: number;
  env?: Record<string, string>;
  /** A constants file other than modules/lib/constants.json. */
  constants?: string;
}

const created: string[] = [];

export async function cleanupStandinRuns(): Promise<void> {
  await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

export function spansOf(request: unknown): OtlpSpan[] {
  const { resourceSpans } = request as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] };
  return resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
}

export function attr(span: OtlpSpan, key: string): unknown {
  const found = span.attributes.find((a) => a.key === key);
  return found === undefined ? undefined : Object.values(found.value)[0];
}

export function byName(spans: OtlpSpan[], name: string): OtlpSpan {
  const found = spans.filter((s) => s.name === name);
  if (found.length !== 1) throw new Error(`expected one span named ${JSON.stringify(name)}, found ${found.length}`);
  return found[0] as OtlpSpan;
}

/** The span of subtest NAME: named like the driver's log line, carrying the subtest as `nixos.test.subtest`. */
export function bySubtest(spans: OtlpSpan[], name: string): OtlpSpan {
  const found = byName(spans, `subtest: ${name}`);
  if (attr(found, "nixos.test.subtest") !== name)
    throw new Error(`span "subtest: ${name}" lacks nixos.test.subtest = ${JSON.stringify(name)}`);
  return found;
}

/** A line as parsed JSON, or `{ unreadable: line }` (the prelude keeps a line it cannot read, for nixotel run to report). */
function parsedOrUnreadable(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch (error) {
    if (error instanceof SyntaxError) return { unreadable: line };
    throw error;
  }
}

export async function runStandin(script: string, options: StandinOptions = {}): Promise<StandinRun> {
  const dir = await mkdtemp(join(tmpdir(), "nixotel-prelude-"));
  created.push(dir);
  const outDir = join(dir, "out");
  await mkdir(outDir);
  await writeFile(join(dir, "script.py"), script);
  const args = [join(here, "standin_driver.py"), "--out", outDir, "--name", options.name ?? "demo", "--suite", options.suite ?? "prelude"];
  args.push("--generation", options.generation ?? "2026");
  if (options.constants !== undefined) args.push("--constants", options.constants);
  const machines = options.machines ?? "machine";
  if (options.viaConfig) {
    // nixos/lib/testing/driver-configuration.nix's shape (start scripts unused by the stand-in)
    const vms = Object.fromEntries(
      machines
        .split(",")
        .filter(Boolean)
        .map((name) => [name, { name, start_script: "/bin/true" }]),
    );
    const config = {
      vms,
      containers: {},
      vlans: [],
      global_timeout: options.globalTimeout ?? 3600,
      enable_ssh_backdoor: false,
      test_script: join(dir, "script.py"),
    };
    await writeFile(join(dir, "config.json"), JSON.stringify(config));
    args.push("--config", join(dir, "config.json"));
  } else {
    args.push("--script", join(dir, "script.py"), "--machines", machines);
    if (options.globalTimeout !== undefined) args.push("--global-timeout", String(options.globalTimeout));
  }
  // The driver's <tmp> (shared folder included) goes under our temp folder; no collector from the caller's shell.
  const env: Record<string, string> = { TMPDIR: dir, ...options.env };
  for (const key of ["TRACEPARENT", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_SERVICE_NAME"]) {
    if (!(key in env)) env[key] = "";
  }
  const result = await execa(python, args, { env, reject: false, timeout: 50_000 });
  const files: Record<string, unknown[]> = {};
  const otelDir = join(outDir, "otel");
  for (const file of await readdir(otelDir).catch(() => [] as string[])) {
    const text = await readFile(join(otelDir, file), "utf8");
    files[file] = text
      .split("\n")
      .filter((line) => line !== "")
      .map(parsedOrUnreadable);
  }
  const stderrRequests = result.stderr
    .split("\n")
    .filter((line) => line.startsWith("@nixotel-otlp "))
    .map((line) => parsedOrUnreadable(line.slice("@nixotel-otlp ".length)));
  return {
    exitCode: result.exitCode,
    signal: result.signal,
    stderr: result.stderr,
    outDir,
    files,
    spans: (files["prelude.jsonl"] ?? []).flatMap(spansOf),
    stderrRequests,
  };
}
