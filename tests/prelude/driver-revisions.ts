// What each nixpkgs revision's driver build checks a testScript with (nixos/lib/testing/driver.nix):
// mypy over declarations + machine hints + testScript, pyflakes over the testScript with the driver's names.
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
}

const common = ["start_all", "test_script", "vlans", "driver", "log", "os", "create_machine", "subtest", "run_tests", "join_all", "retry"];
const tail = ["serial_stdout_off", "serial_stdout_on", "polling_condition"];

export const driverRevisions: DriverRevision[] = [
  {
    label: "master 2026 (QemuMachine, bound names)",
    declarations: join(here, "test-script-prepend.py"),
    machineHint: (name) => `${name}: QemuMachine;`,
    driverSymbols: [...common, ...tail, "machines_qemu", "machines_nspawn", "BaseMachine", "t", "debug"],
  },
  {
    label: "24.05 (Machine, declared-only names)",
    declarations: join(here, "test-script-prepend-24.05.py"),
    machineHint: (name) => `${name}: Machine;`,
    driverSymbols: [...common, ...tail, "machines", "Machine"],
  },
];

/** mypy and pyflakes exactly as the driver build runs them (MYPYPATH points test_driver at our stubs). */
export const mypyArgs = ["-m", "mypy", "--no-implicit-optional", "--pretty", "--no-color-output", "testScriptWithTypes"];
export const stubsDir = join(here, "stubs");

export interface CheckResult {
  exitCode: number | undefined;
  all: string;
}

/** Runs both checks on a full testScript for the given machines; the temp folder is pushed to `dirs` for cleanup. */
export async function runDriverChecks(
  revision: DriverRevision,
  script: string,
  machines: string[],
  dirs: string[],
): Promise<{ mypy: CheckResult; pyflakes: CheckResult }> {
  const dir = await mkdtemp(join(tmpdir(), "nixotel-driver-checks-"));
  dirs.push(dir);
  const declarations = await readFile(revision.declarations, "utf8");
  // driver.nix: cat prepend >> f; echo "<hints>" >> f (one echo for VMs, one for containers, one for vlans); echo -n "$testScript" >> f
  const hints = `${machines.map(revision.machineHint).join(" ")}\n\n\n`;
  await writeFile(join(dir, "testScriptWithTypes"), declarations + hints + script);
  await writeFile(join(dir, "test-script"), script);
  const mypy = await execa(python, mypyArgs, { cwd: dir, env: { MYPYPATH: stubsDir }, reject: false, all: true });
  const builtins = `${machines.join(",")},${revision.driverSymbols.join(",")}`;
  const pyflakes = await execa("pyflakes3", ["test-script"], { cwd: dir, env: { PYFLAKES_BUILTINS: builtins }, reject: false, all: true });
  return { mypy: { exitCode: mypy.exitCode, all: String(mypy.all) }, pyflakes: { exitCode: pyflakes.exitCode, all: String(pyflakes.all) } };
}
