# Stand-in for the NixOS test driver (a mock of nixpkgs: no nixpkgs, no VMs here), one switch per driver
# generation (read from nixos/lib/test-driver at each release). It builds the testScript the way
# nixotel.lib.tracedTestScript does (prelude + nixotel_begin(...) + script) and runs it the way the driver
# runs it: exec() over a fresh symbols dict, the driver's log lines on stderr, its exits, machine release in
# Driver.__exit__, and the globalTimeout timer that SIGTERMs the process.
#   24.11  a failed subtest goes through CompositeLogger.error, which calls sys.exit(1) before the script's
#          own `except` runs; error lines have no `!!! `; an uncaught error ends with Python's traceback.
#   25.05  a failed subtest prints `!!! Test "X" failed with error: …` and re-raises (a script may catch it
#          and exit 0); a failed command or assertion ends with a `!!! ` traceback and sys.exit(1).
#   2026   as 25.05, configured by a `--config` JSON file (driver.config; global_timeout a timedelta, no
#          driver.global_timeout); `machines` beside machines_qemu/machines_nspawn; a single node not named
#          `machine` is also `machine`, through a wrapper that warns it is deprecated.
# A "machine" runs its commands with /bin/sh on this host, with the VM's nixotel environment pointed at the
# shared folder, so the real emit_test_span.sh can run under it.
#   python3 standin_driver.py --out DIR (--script FILE | --config FILE) [--name N] [--suite S] [--machines a,b]
#                             [--generation 24.11|25.05|2026] [--global-timeout SECONDS] [--prelude FILE]
#                             [--constants modules/lib/constants.json]
import argparse
import contextlib
import datetime
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import unittest
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

REPO = Path(__file__).resolve().parent.parent.parent
DEFAULT_PRELUDE = REPO / "scripts" / "nixotel_prelude.py"
DEFAULT_CONSTANTS = REPO / "modules" / "lib" / "constants.json"
GENERATIONS = ["24.11", "25.05", "2026"]


class RequestedAssertionFailed(AssertionError):
    pass


class Logger:
    """TerminalLogger's lines: `subtest: X`, then `(finished: subtest: X, in N.NN seconds)` only on success."""

    def __init__(self, generation: str) -> None:
        self.generation = generation

    def log(self, message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    @contextmanager
    def nested(self, message: str, machine: str = "") -> Iterator[None]:
        """A block; a machine's is `NAME: MESSAGE` … `NAME: (finished: …)` (the 24.11+ logger). A body that raises
        prints no finished line (the driver's `nested` has no try/finally)."""
        prefix = f"{machine}: " if machine else ""
        self.log(prefix + message)
        tic = time.time()
        yield
        self.log(f"{prefix}(finished: {message}, in {time.time() - tic:.2f} seconds)")

    def log_test_error(self, message: str) -> None:  # 25.05+
        self.log(f"\x1b[31m!!! \x1b[0m{message}")

    def error(self, message: str) -> None:
        self.log(message)
        if self.generation == "24.11":  # CompositeLogger.error
            sys.exit(1)


class Machine:
    """The driver's Machine as the prelude meets it (nixos/lib/test-driver/…/machine.py): each action a nested block
    `NAME: MESSAGE` … `NAME: (finished: MESSAGE, in N.NN seconds)` as the 24.11+ logger prints it; the first command
    connects (`waiting for the VM to finish booting`, which starts the VM); succeed logs one block per command."""

    def __init__(self, name: str, tmp_dir: Path, logger: Logger, shared_folder: Dict[str, str]) -> None:
        self.name, self.logger, self.booted, self.connected = name, logger, False, False
        self.shared_dir = tmp_dir / "shared-xchg"
        self.shared_folder = shared_folder  # constants.json's entries, as nixotel.tracedNode sets them in a VM
        self.shared_dir.mkdir(mode=0o700, exist_ok=True)

    def nested(self, message: str) -> Any:
        return self.logger.nested(message, self.name)

    def start(self) -> None:
        if self.booted:
            return
        self.logger.log(f"{self.name}: starting vm")
        self.booted = True
        self.logger.log(f"{self.name}: QEMU running (pid {os.getpid()})")

    def connect(self) -> None:
        if self.connected:
            return
        with self.nested("waiting for the VM to finish booting"):
            self.start()
            self.connected = True

    def is_up(self) -> bool:
        return self.booted

    def release(self) -> None:
        self.booted = self.connected = False

    def execute(self, command: str, check_return: bool = True, timeout: Any = 900) -> Tuple[int, str]:
        self.connect()
        env = {k: v for k, v in os.environ.items() if k != "TRACEPARENT"}  # a VM does not inherit the host's
        env.update(NIXOTEL_SPOOL_DIR=str(self.shared_dir / self.shared_folder["spool"]), HOSTNAME=self.name,
                   NIXOTEL_TRACEPARENT_FILE=str(self.shared_dir / self.shared_folder["traceparent"]))
        done = subprocess.run(["/bin/sh", "-c", command], env=env, stdout=subprocess.PIPE, text=True)
        return (done.returncode, done.stdout) if check_return else (-1, done.stdout)

    def succeed(self, *commands: str, timeout: Any = None) -> str:
        output = ""
        for command in commands:
            with self.nested(f"must succeed: {command}"):
                status, out = self.execute(command, timeout=timeout)
                if status != 0:
                    self.logger.log(f"{self.name}: output: {out}")
                    raise RequestedAssertionFailed(f"command `{command}` failed (exit code {status})")
                output += out
        return output

    def fail(self, *commands: str, timeout: Any = None) -> str:
        output = ""
        for command in commands:
            with self.nested(f"must fail: {command}"):
                status, out = self.execute(command, timeout=timeout)
                if status == 0:
                    raise RequestedAssertionFailed(f"command `{command}` unexpectedly succeeded")
                output += out
        return output

    def wait_for_unit(self, unit: str, user: Any = None, timeout: int = 900) -> None:
        with self.nested(f"waiting for unit {unit}" + (f" with user {user}" if user is not None else "")):
            self.execute(f"true {unit}")

    def wait_until_succeeds(self, command: str, timeout: int = 900) -> str:
        with self.nested(f"waiting for success: {command}"):
            for _ in range(timeout):
                status, output = self.execute(command)
                if status == 0:
                    return output
            raise RequestedAssertionFailed(f"action timed out after {timeout} tries")

    def wait_for_open_port(self, port: int, addr: str = "localhost", timeout: int = 900) -> None:
        with self.nested(f"waiting for TCP port {port} on {addr}"):
            self.execute(f"true {addr} {port}")

    def send_key(self, key: str, delay: Any = 0.01, log: Any = True) -> None:
        with self.nested(f"sending key {key!r}") if log else contextlib.nullcontext():
            pass  # no keyboard here

    def send_chars(self, chars: str, delay: Any = 0.01) -> None:
        with self.nested(f"sending keys {chars!r}"):
            for char in chars:
                self.send_key(char, delay, log=False)

    def wait_for_shutdown(self) -> None:
        if not self.booted:
            return
        with self.nested("waiting for the VM to power off"):
            self.booted = self.connected = False

    def shutdown(self) -> None:
        if not self.booted:
            return
        self.wait_for_shutdown()

    def crash(self) -> None:
        if not self.booted:
            return
        self.logger.log(f"{self.name}: forced crash")
        self.wait_for_shutdown()


class DeprecatedMachineName:
    """2026: `machine` for a single node named otherwise; every use warns (a log line here), then goes to the
    real machine."""

    def __init__(self, target: Machine) -> None:
        object.__setattr__(self, "_target", target)

    def __getattr__(self, name: str) -> Any:
        target = object.__getattribute__(self, "_target")
        target.logger.log(f"warning: `machine` is deprecated for a node named {target.name!r}: use `{target.name}`")
        return getattr(target, name)


class DriverConfiguration:
    """2026's config object (test_driver/config.py, pydantic there): what --config's JSON holds
    (nixos/lib/testing/driver-configuration.nix writes it)."""

    def __init__(self, raw: Dict[str, Any]) -> None:
        self.vms: Dict[str, Dict[str, str]] = raw["vms"]
        self.containers: Dict[str, Dict[str, str]] = raw.get("containers", {})
        self.vlans: List[int] = raw.get("vlans", [])
        self.global_timeout = datetime.timedelta(seconds=raw["global_timeout"])
        self.enable_ssh_backdoor: bool = raw.get("enable_ssh_backdoor", False)
        self.test_script = Path(raw["test_script"])


class Driver:
    def __init__(self, tests: str, out_dir: Path, config: DriverConfiguration, generation: str,
                 shared_folder: Dict[str, str]) -> None:
        self.tests, self.out_dir, self.generation = tests, out_dir, generation
        self.logger = Logger(generation)
        self.tmp = tempfile.TemporaryDirectory(prefix="standin-driver-")
        machines = [Machine(name, Path(self.tmp.name), self.logger, shared_folder) for name in sorted(config.vms)]
        seconds = config.global_timeout.total_seconds()
        if generation == "2026":
            self.config = config
            self.machines_qemu = machines
            self.machines_nspawn: List[Machine] = []
        else:  # up to 25.x: flags, an int timeout
            self._machines = machines
            self.global_timeout = int(seconds)
        self.race_timer = threading.Timer(seconds, self.terminate_test)

    @property
    def machines(self) -> List[Machine]:
        if self.generation == "2026":
            return sorted(self.machines_qemu + self.machines_nspawn, key=lambda m: m.name)
        return self._machines

    def __enter__(self) -> "Driver":
        return self

    def __exit__(self, *_: Any) -> None:
        with self.logger.nested("cleanup"):
            self.race_timer.cancel()
            for machine in self.machines:
                machine.release()
        # self.tmp (the driver's <tmp>) is removed at interpreter exit, after the prelude's atexit hook
        # (registered later, so run earlier) has collected the spool from it.

    def terminate_test(self) -> None:
        with self.logger.nested("timeout reached; test terminating..."):
            for machine in self.machines:
                machine.release()
            os.kill(os.getpid(), signal.SIGTERM)

    def subtest(self, name: str) -> Iterator[None]:
        with self.logger.nested("subtest: " + name):
            try:
                yield
            except Exception as e:
                if self.generation == "24.11":
                    self.logger.error(f'Test "{name}" failed with error: "{e}"')
                self.logger.log_test_error(f'Test "{name}" failed with error: "{e}"')
                raise e

    def test_symbols(self) -> Dict[str, Any]:
        @contextmanager
        def subtest(name: str) -> Iterator[None]:
            return self.subtest(name)  # as the driver does: the generator itself is the context

        class AssertionTester(unittest.TestCase):
            failureException = RequestedAssertionFailed

        symbols: Dict[str, Any] = dict(start_all=self.start_all, driver=self, log=self.logger, os=os,
                                       subtest=subtest, machines=self.machines, t=AssertionTester())
        if self.generation == "2026":
            symbols.update(machines_qemu=self.machines_qemu, machines_nspawn=self.machines_nspawn)
        symbols.update({m.name: m for m in self.machines})
        if len(self.machines) == 1:
            only = self.machines[0]
            renamed = self.generation == "2026" and only.name != "machine"
            symbols["machine"] = DeprecatedMachineName(only) if renamed else only
        return symbols

    def start_all(self) -> None:
        for machine in self.machines:
            machine.start()

    def test_script(self) -> None:
        with self.logger.nested("run the VM test script"):
            symbols = self.test_symbols()
            if self.generation == "24.11":
                exec(self.tests, symbols, None)
                return
            try:
                exec(self.tests, symbols, None)
            except RequestedAssertionFailed as e:
                # As the driver does: the script's own frames (`<string>`), numbered in the text it ran.
                self.logger.log_test_error("Traceback (most recent call last):")
                frames = [f for f in traceback.extract_tb(e.__traceback__) if f.filename == "<string>"]
                code = self.tests.splitlines()
                for frame, line in zip(frames, traceback.format_list(frames)):
                    self.logger.log_test_error(line.rstrip())
                    if frame.lineno:
                        self.logger.log_test_error(f"    {code[frame.lineno - 1].strip()}")
                self.logger.log_test_error("")
                self.logger.log_test_error(f"{type(e).__name__}: {e}")
                sys.exit(1)

    def run_tests(self) -> None:
        seconds = self.race_timer.interval
        self.logger.log(f"Test will time out and terminate in {seconds:g} seconds")
        self.race_timer.start()
        self.test_script()


def traced_test_script(prelude: str, name: str, suite: str, script: str, constants: Dict[str, Any]) -> str:
    """What nixotel.lib.tracedTestScript renders (builtins.toJSON of a string is a Python string literal),
    with the constants it passes (modules/lib/constants.nix's `prelude`)."""
    shared = json.dumps({key: constants[key] for key in ("serviceName", "sharedFolder")})
    begin = f"nixotel_begin(name={json.dumps(name)}, suite={json.dumps(suite)}, constants_json={json.dumps(shared)})"
    return prelude + f"\n{begin}\n" + script


def main() -> None:
    parser = argparse.ArgumentParser(prog="standin_driver.py")
    parser.add_argument("--out", required=True, type=Path, help="driver.out_dir (the test's $out)")
    parser.add_argument("--script", type=Path, help="the user's testScript")
    parser.add_argument("--config", type=Path, help="2026: the driver configuration JSON (vms, global_timeout, test_script)")
    parser.add_argument("--name", help="test name (default: the script's file name)")
    parser.add_argument("--suite", default="nixotel")
    parser.add_argument("--machines", default="machine", help="comma-separated machine names")
    parser.add_argument("--generation", choices=GENERATIONS, default="2026")
    parser.add_argument("--global-timeout", type=float, default=3600)
    parser.add_argument("--prelude", type=Path, default=DEFAULT_PRELUDE)
    parser.add_argument("--constants", type=Path, default=DEFAULT_CONSTANTS)
    args = parser.parse_args()
    if not args.out.is_dir():
        parser.error(f"expected --out to be an existing folder, got {args.out}; create it first (nix: mkdir $out)")
    if args.config is not None:
        if args.generation != "2026":
            parser.error(f"--config is the 2026 driver's; got --generation {args.generation}")
        config = DriverConfiguration(json.loads(args.config.read_text()))
    elif args.script is not None:  # what the older drivers take as flags and environment
        names = [n for n in args.machines.split(",") if n]
        config = DriverConfiguration({"vms": {n: {"name": n, "start_script": ""} for n in names},
                                      "global_timeout": args.global_timeout, "test_script": str(args.script)})
    else:
        parser.error("expected --script FILE (or --config FILE with a test_script)")
    constants = json.loads(args.constants.read_text())
    script = config.test_script
    tests = traced_test_script(args.prelude.read_text(), args.name or script.stem, args.suite, script.read_text(), constants)
    with Driver(tests, args.out.resolve(), config, args.generation, constants["sharedFolder"]) as driver:
        tic = time.time()
        driver.run_tests()
        driver.logger.log(f"test script finished in {time.time() - tic:.2f}s")


if __name__ == "__main__":
    main()
