// What each nixpkgs revision's driver build checks a testScript with (nixos/lib/testing/driver.nix):
// mypy over declarations + machine hints + testScript, pyflakes over the testScript with the driver's names.
// Many scripts, of any revisions, are checked in one mypy process (each its own module, its declarations in
// it) and one pyflakes process per set of builtins: the verdict per script is the same as one process each,
// at a fraction of the start-ups.
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { here, python } from "./standin.js";

export interface DriverRevision {
  label: string;
  /** stand-in for nixos/lib/test-script-prepend.py at that revision */
  declarations: string;
  /** the line driver.nix echoes per machine */
  machineHint: (name: string) => string;
  /** keys of Driver.test_symbols() for a driver without machines: what generate-driver-symbols writes */
  driverSymbols: string[];
  /** the Python the driver of that revision runs on (for pyright) */
  pythonVersion: string;
}

const common = ["start_all", "test_script", "vlans", "driver", "log", "os", "create_machine", "subtest", "run_tests", "join_all", "retry"];
const tail = ["serial_stdout_off", "serial_stdout_on", "polling_condition"];

export const driverRevisions: DriverRevision[] = [
  {
    label: "master 2026 (QemuMachine, bound names)",
    declarations: join(here, "test-script-prepend.py"),
    machineHint: (name) => `${name}: QemuMachine;`,
    driverSymbols: [...common, ...tail, "machines", "machines_qemu", "machines_nspawn", "BaseMachine", "t", "debug"],
    pythonVersion: "3.13",
  },
  {
    label: "24.05 (Machine, declared-only names)",
    declarations: join(here, "test-script-prepend-24.05.py"),
    machineHint: (name) => `${name}: Machine;`,
    driverSymbols: [...common, ...tail, "machines", "Machine"],
    pythonVersion: "3.11",
  },
];

/** How long a batch of checks may take before it counts as hung: a guard, not a speed bound. Batches run
 * mypy and pyright on several scripts, minutes on a machine whose cores are busy with other work. */
export const CHECKERS_GUARD_MS = 300_000;

/** mypy and pyflakes exactly as the driver build runs them (MYPYPATH points test_driver at our stubs). */
export const mypyFlags = ["--no-implicit-optional", "--pretty", "--no-color-output"];
export const stubsDir = join(here, "stubs");

export interface ScriptUnderCheck {
  revision: DriverRevision;
  /** the full testScript as the driver gets it */
  script: string;
  machines: string[];
}

export interface CheckResult {
  ok: boolean;
  /** what the checker said about this script (empty when nothing) */
  output: string;
}

/** The file the driver build type-checks: declarations, one echo of machine hints, one of vlan hints, the script. */
export async function withTypes({ revision, script, machines }: ScriptUnderCheck): Promise<string> {
  const declarations = await readFile(revision.declarations, "utf8");
  return `${declarations}${machines.map(revision.machineHint).join(" ")}\n\n\n${script}`;
}

// One mypy cache per test file: the standard library's stubs are parsed once. It changes speed, never verdicts.
let mypyCache: Promise<string> | undefined;
const sharedMypyCache = () => (mypyCache ??= mkdtemp(join(tmpdir(), "nixotel-mypy-cache-")));

/** Runs both checks on each script; temp folders are pushed to `dirs` for cleanup. */
export async function runDriverChecks(
  scripts: readonly ScriptUnderCheck[],
  dirs: string[],
): Promise<{ mypy: CheckResult; pyflakes: CheckResult }[]> {
  const dir = await mkdtemp(join(tmpdir(), "nixotel-driver-checks-"));
  const cacheDir = await sharedMypyCache();
  dirs.push(dir, cacheDir);
  // Named modules (.py): mypy takes files without a suffix as `__main__`, and two of those collide.
  const typed = scripts.map((_, i) => `testScriptWithTypes_${i}.py`);
  const plain = scripts.map((_, i) => `test-script-${i}`);
  for (const [i, item] of scripts.entries()) {
    await writeFile(join(dir, typed[i]!), await withTypes(item));
    await writeFile(join(dir, plain[i]!), item.script);
  }
  const mypy = await execa(python, ["-m", "mypy", ...mypyFlags, "--cache-dir", cacheDir, ...typed], {
    cwd: dir,
    env: { MYPYPATH: stubsDir },
    reject: false,
    all: true,
  });
  const mypyOut = String(mypy.all);
  // A crash or a usage error is no verdict on any script: stop here, with what mypy said.
  const summary = /^(Success: no issues found|Found \d+ errors? in \d+ files?) .*?(\d+) source files?\)?$/m.exec(mypyOut);
  if (![0, 1].includes(mypy.exitCode ?? -1) || Number(summary?.[2]) !== scripts.length)
    throw new Error(`mypy did not check all ${scripts.length} scripts (exit ${mypy.exitCode}):\n${mypyOut}`);
  const mypyBy = messagesByFile(mypyOut, typed);

  const pyflakesBy = new Map<string, string>();
  // PYFLAKES_BUILTINS as driver.nix sets it: the machines' names, then the driver's symbols.
  const builtinsOf = ({ machines, revision }: ScriptUnderCheck) => `${machines.join(",")},${revision.driverSymbols.join(",")}`;
  const groups = new Map<string, number[]>();
  for (const [i, item] of scripts.entries()) groups.set(builtinsOf(item), [...(groups.get(builtinsOf(item)) ?? []), i]);
  for (const [builtins, indexes] of groups) {
    const files = indexes.map((i) => plain[i]!);
    const run = await execa("pyflakes3", files, { cwd: dir, env: { PYFLAKES_BUILTINS: builtins }, reject: false, all: true });
    if (![0, 1].includes(run.exitCode ?? -1)) throw new Error(`pyflakes failed (exit ${run.exitCode}):\n${run.all}`);
    for (const [file, text] of messagesByFile(String(run.all), files)) pyflakesBy.set(file, text);
  }
  return scripts.map((_, i) => {
    const [mypyText, pyflakesText] = [mypyBy.get(typed[i]!) ?? "", pyflakesBy.get(plain[i]!) ?? ""];
    return { mypy: { ok: !/: error: /.test(mypyText), output: mypyText }, pyflakes: { ok: pyflakesText === "", output: pyflakesText } };
  });
}

/** Output lines by the file they start with (`FILE:LINE: …`); continuation lines stay with the last file named. */
function messagesByFile(output: string, files: readonly string[]): Map<string, string> {
  const by = new Map<string, string[]>();
  let current: string | undefined;
  for (const line of output.split("\n")) {
    const named = files.find((file) => line.startsWith(`${file}:`));
    if (named) current = named;
    else if (/^(Success: |Found \d+ error)/.test(line)) current = undefined;
    if (current) by.set(current, [...(by.get(current) ?? []), line]);
  }
  return new Map([...by].map(([file, lines]) => [file, lines.join("\n")]));
}
