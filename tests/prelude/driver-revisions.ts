// What each nixpkgs revision's driver build checks a testScript with (nixos/lib/testing/driver.nix):
// mypy over declarations + machine hints + testScript, pyflakes over the testScript with the driver's names.
import { join } from "node:path";
import { here } from "./standin.js";

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
