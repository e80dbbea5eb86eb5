// Runs the real scripts/emit_test_span.sh against the real OTLP receiver, in a clean environment.
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { spawn } from "node:child_process";
import { execa } from "execa";
import { startReceiver, type OtlpReceiver } from "../support/otlp-receiver.js";

export const SCRIPT = fileURLToPath(new URL("../../scripts/emit_test_span.sh", import.meta.url));
export const HOST = "testhost";

export interface AnyValue {
  stringValue?: string;
  intValue?: string;
  boolValue?: boolean;
}
export interface KeyValue {
  key: string;
  value: AnyValue;
}
export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: KeyValue[];
  status: { code: number };
}
export interface ExportRequest {
  resourceSpans: { resource: { attributes: KeyValue[] }; scopeSpans: { scope: { name: string }; spans: OtlpSpan[] }[] }[];
}

export interface EmitResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** An emitter (or a shell around it) still running: its own exit and the end of its output are apart,
 * as a delivery in the background keeps stderr open after the emitter has returned. */
export interface Running {
  /** Resolves with the exit code once the process itself has exited. */
  exited: Promise<number>;
  hasExited: () => boolean;
  /** What reached stderr so far. */
  stderrSoFar: () => string;
  /** Resolves with stdout once every process holding it has closed it (its reader got EOF). */
  stdoutEnded: Promise<string>;
  /** Resolves once stdout and stderr are both closed: no process holds them any more. */
  closed: Promise<{ stdout: string; stderr: string }>;
}

/** A receiver, a temporary folder (spool, traceparent file) and a runner bound to both. */
export interface Harness {
  receiver: OtlpReceiver;
  dir: string;
  /** NIXOTEL_SPOOL_DIR: one `<host>.<span id>.jsonl` file per span. */
  spoolDir: string;
  /** Runs the emitter; `env` is added to a minimal environment pointing at the receiver. */
  emit: (args: readonly string[], env?: Record<string, string>) => Promise<EmitResult>;
  /** Runs `bash -c SCRIPT` with the emitter path as $0, for arguments Node cannot pass (invalid UTF-8). */
  emitViaBash: (script: string, env?: Record<string, string>) => Promise<EmitResult>;
  /** Starts the emitter without waiting for it; see Running. */
  start: (args: readonly string[], env?: Record<string, string>) => Running;
  /** Starts `bash -c SCRIPT` with the emitter path as $0 without waiting for it. */
  startViaBash: (script: string, env?: Record<string, string>) => Running;
  requests: () => ExportRequest[];
  onlySpan: () => OtlpSpan;
  /** The lines of every spool file, oldest file first; fails on a file that is not one whole line. */
  spoolLines: () => Promise<string[]>;
  /** Names in the spool folder (published files and anything else, such as leftover scratch files). */
  spoolNames: () => Promise<string[]>;
  /** Every request body as received, concatenated (each is one OTLP JSON line ending in a newline). */
  bodiesText: () => string;
  close: () => Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const receiver = await startReceiver();
  const dir = await mkdtemp(join(tmpdir(), "nixotel-emitter-"));
  const spoolDir = join(dir, "spool");
  const baseEnv = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOSTNAME: HOST,
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    NIXOTEL_SPOOL_DIR: spoolDir,
    // A deadline no load reaches, so a busy machine never turns a delivery into a warning; tests of the
    // 3000 ms default set this to "" (unset, as the OTel spec reads an empty variable).
    OTEL_EXPORTER_OTLP_TIMEOUT: "60000",
  };
  const run = async (file: string, args: readonly string[], env: Record<string, string>): Promise<EmitResult> => {
    const result = await execa(file, args, { env: { ...baseEnv, ...env }, extendEnv: false, reject: false, stripFinalNewline: false });
    return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
  };
  const requests = () => receiver.jsonBodies() as ExportRequest[];
  const start = (file: string, args: readonly string[], env: Record<string, string>) => startProcess(file, args, { ...baseEnv, ...env });
  return {
    receiver,
    dir,
    spoolDir,
    emit: (args, env = {}) => run(SCRIPT, args, env),
    emitViaBash: (script, env = {}) => run("bash", ["--norc", "--noprofile", "-c", script, SCRIPT], env),
    start: (args, env = {}) => start(SCRIPT, args, env),
    startViaBash: (script, env = {}) => start("bash", ["--norc", "--noprofile", "-c", script, SCRIPT], env),
    requests,
    onlySpan: () => {
      const all = requests();
      if (all.length !== 1) throw new Error(`expected exactly one request, got ${all.length}`);
      const spans = all[0]!.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
      if (spans.length !== 1) throw new Error(`expected exactly one span, got ${spans.length}`);
      return spans[0]!;
    },
    spoolLines: () => spoolLines(spoolDir),
    spoolNames: async () => (await readdir(spoolDir)).sort(),
    bodiesText: () => receiver.requests.map((r) => r.body.toString("utf8")).join(""),
    close: async () => {
      await receiver.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function startProcess(file: string, args: readonly string[], env: Record<string, string>): Running {
  const child = spawn(file, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  const stderrChunks: Buffer[] = [];
  const text = (stream: NodeJS.ReadableStream, chunks: Buffer[] = []) =>
    new Promise<string>((resolve, reject) => {
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
      stream.on("error", reject);
    });
  const stdoutEnded = text(child.stdout);
  const stderrEnded = text(child.stderr, stderrChunks);
  let done = false;
  const exited = new Promise<number>((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code) => {
      done = true;
      resolve(code ?? -1); // -1: ended by a signal
    });
  });
  const closed = Promise.all([stdoutEnded, stderrEnded]).then(([stdout, stderr]) => ({ stdout, stderr }));
  const stderrSoFar = () => Buffer.concat(stderrChunks).toString("utf8");
  return { exited, hasExited: () => done, stderrSoFar, stdoutEnded, closed };
}

/** The attribute `key` as a plain object, or undefined. */
export function attr(attributes: readonly KeyValue[], key: string): AnyValue | undefined {
  return attributes.find((a) => a.key === key)?.value;
}

export function resourceOf(request: ExportRequest): KeyValue[] {
  return request.resourceSpans[0]!.resource.attributes;
}

/** A spool file is `<host>.<16 hex span id>.jsonl` holding exactly one line. */
const SPOOL_FILE = new RegExp(`^${HOST}\\.[0-9a-f]{16}\\.jsonl$`);

async function spoolLines(spoolDir: string): Promise<string[]> {
  const names = await readdir(spoolDir);
  const files = await Promise.all(
    names.map(async (name) => {
      if (!SPOOL_FILE.test(name)) throw new Error(`unexpected spool entry ${name}`);
      const path = join(spoolDir, name);
      return { text: await readFile(path, "utf8"), mtime: (await stat(path, { bigint: true })).mtimeNs };
    }),
  );
  files.sort((a, b) => (a.mtime < b.mtime ? -1 : a.mtime > b.mtime ? 1 : 0));
  return files.map(({ text }) => {
    if (!text.endsWith("\n") || text.indexOf("\n") !== text.length - 1)
      throw new Error(`expected one whole line, got ${JSON.stringify(text)}`);
    return text.slice(0, -1);
  });
}

/** The emitter's documented slack beyond OTEL_EXPORTER_OTLP_TIMEOUT (docs/emitter.md, "The deadline"). */
export const SLACK_MS = 250;

/** The run time the emitter measured itself (its `--verbose` last line), from its first line to its exit. */
export function doneMs(stderr: string): number {
  const match = /^emit_test_span\.sh: done in (\d+) ms \(deadline (\d+) ms \+ 250 ms slack\)$/m.exec(stderr);
  if (!match) throw new Error(`expected a "done in N ms" line (--verbose) in:\n${stderr}`);
  return Number(match[1]);
}
