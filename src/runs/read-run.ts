// Finding a run folder from what the user typed (a path, an id, `latest`) and reading its run.json.
// Shared by `report` and anything else that reads runs back; every bad input is an exit-2 error.
import { readdir, readFile, stat } from "node:fs/promises";
import { isAbsolute, join } from "node:path";
import { NixotelError, expected } from "../errors.js";
import { runPaths, runPathsIn, type RunPaths } from "./files.js";
import { runRecord, runsDir, type RunRecord } from "./record.js";
import { PROJECT_WORDING } from "../config/issue-message.js";

const RUN_ID = /^\d{8}T\d{6}(\.\d{3})?Z-[0-9a-f]{6}$/; // older ids lack the milliseconds
const SHOWN_IDS = 5;

const isDirectory = (path: string) =>
  stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );

const isFile = (path: string) =>
  stat(path).then(
    (s) => s.isFile(),
    () => false,
  );

/** Run ids under `<outDir>/runs/`, oldest first (ids sort by time). */
export async function listRunIds(outDir: string): Promise<string[]> {
  const names = await readdir(runsDir(outDir)).catch(() => [] as string[]);
  return names.filter((name) => RUN_ID.test(name)).sort();
}

function unknownRun(raw: string, outDir: string, ids: readonly string[]): NixotelError {
  const recent = ids.slice(-SHOWN_IDS).reverse();
  const fix = recent.length
    ? `Most recent runs in ${runsDir(outDir)}: ${recent.join(", ")}.`
    : `There are no runs in ${runsDir(outDir)} yet: run \`nixotel run\` first, or pass --out DIR.`;
  return new NixotelError("USAGE", expected("a run folder, a run id or `latest`", raw, fix));
}

/** RUN as typed → the run's paths. A path (anything with a slash, or an existing folder) wins over an id. */
export async function resolveRun(raw: string, cwd: string, outDir: string): Promise<RunPaths> {
  const ids = await listRunIds(outDir);
  if (raw === "latest") {
    // The newest run with a record: a run still going (or one killed before its record) has none yet.
    const recorded = await Promise.all(ids.map((id) => isFile(runPaths(outDir, id).record)));
    const newest = ids.filter((_, i) => recorded[i]).at(-1);
    if (!newest) throw unknownRun(raw, outDir, ids);
    return runPaths(outDir, newest);
  }
  const asPath = isAbsolute(raw) ? raw : join(cwd, raw);
  if ((raw.includes("/") || !ids.includes(raw)) && (await isDirectory(asPath))) {
    return runPathsIn(asPath);
  }
  if (ids.includes(raw)) return runPaths(outDir, raw);
  throw unknownRun(raw, outDir, ids);
}

const corrupt = (path: string, problems: string[], cause?: unknown) =>
  new NixotelError(
    "ENVIRONMENT",
    `Cannot read the run record ${path}; it is not one nixotel wrote (or it was cut short). Rerun \`nixotel run\`, or pass another run.`,
    {
      problems,
      cause,
    },
  );

export async function readRunRecord(path: string): Promise<RunRecord> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw corrupt(path, [`${path}: ${(error as Error).message}`], error);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw corrupt(path, [`${path}: not JSON: ${(error as Error).message}`], error);
  }
  const parsed = runRecord.safeParse(raw, PROJECT_WORDING);
  if (!parsed.success) {
    throw corrupt(
      path,
      parsed.error.issues.map((issue) => `${path}: ${issue.path.length ? `${issue.path.join(".")}: ` : ""}${issue.message}`),
    );
  }
  return parsed.data;
}
