# Stand-in for the NixOS test driver (a mock of nixpkgs: no nixpkgs, no VMs here). It builds the testScript the
# way nixotel.lib.tracedTestScript does (prelude + nixotel_begin(...) + script) and runs it the way
# nixos/lib/test-driver runs it: exec() over a fresh symbols dict, the driver's log lines on stderr, the same
# exits (sys.exit(1) after a failed command on master; logger.error -> sys.exit(1) from a failed subtest in
# 24.11), machine release in Driver.__exit__, and the globalTimeout timer that SIGTERMs the process.
# A "machine" runs its commands with /bin/sh on this host, with the VM's nixotel environment pointed at the
# shared folder, so the real emit_test_span.sh can run under it.
#   python3 standin_driver.py --out DIR --script FILE [--name N] [--suite S] [--machines a,b]
#                             [--flavour master|24.11] [--global-timeout SECONDS] [--prelude FILE]
#                             [--constants modules/lib/constants.json]
import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

REPO = Path(__file__).resolve().parent.parent.parent
DEFAULT_PRELUDE = REPO / "scripts" / "nixotel_prelude.py"
DEFAULT_CONSTANTS = REPO / "modules" / "lib" / "constants.json"


class RequestedAssertionFailed(AssertionError):
    pass


class Logger:
    """TerminalLogger's lines: `subtest: X`, then `(finished: subtest: X, in N.NN seconds)` only on success."""

    def __init__(self, exit_on_error: bool) -> None:
        self.exit_on_error = exit_on_error

    def log(self, message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    @contextmanager
    def nested(self, message: str) -> Iterator[None]:
        self.log(message)
        tic = time.time()
        yield
        self.log(f"(finished: {message}, in {time.time() - tic:.2f} seconds)")

    def log_test_error(self, message: str) -> None:
        self.log(f"!!! {message}")

    def error(self, message: str) -> None:
        self.log(message)
        if self.exit_on_error:  # 24.11's CompositeLogger.error
            sys.exit(1)


class Machine:
    def __init__(self, name: str, tmp_dir: Path, logger: Logger, shared_folder: Dict[str, str]) -> None:
        self.name, self.logger, self.booted = name, logger, False
        self.shared_dir = tmp_dir / "shared-xchg"
        self.shared_folder = shared_folder  # constants.json's entries, as nixotel.tracedNode sets them in a VM
        self.shared_dir.mkdir(mode=0o700, exist_ok=True)

    def start(self) -> None:
        self.booted = True

    def is_up(self) -> bool:
        return self.booted

    def release(self) -> None:
        self.booted = False

    def execute(self, command: str) -> Tuple[int, str]:
        env = {k: v for k, v in os.environ.items() if k != "TRACEPARENT"}  # a VM does not inherit the host's
        env.update(NIXOTEL_SPOOL_DIR=str(self.shared_dir / self.shared_folder["spool"]), HOSTNAME=self.name,
                   NIXOTEL_TRACEPARENT_FILE=str(self.shared_dir / self.shared_folder["traceparent"]))
        done = subprocess.run(["/bin/sh", "-c", command], env=env, stdout=subprocess.PIPE, text=True)
        return done.returncode, done.stdout

    def succeed(self, *commands: str) -> str:
        output = ""
        for command in commands:
            with self.logger.nested(f"{self.name}: must succeed: {command}"):
                status, out = self.execute(command)
                if status != 0:
                    raise RequestedAssertionFailed(f"command `{command}` failed (exit code {status})")
                output += out
        return output

    def fail(self, *commands: str) -> str:
        output = ""
        for command in commands:
            status, out = self.execute(command)
            if status == 0:
                raise RequestedAssertionFailed(f"command `{command}` unexpectedly succeeded")
            output += out
        return output

    def wait_for_unit(self, unit: str) -> None:
        self.logger.log(f"{self.name}: waiting for unit {unit}")


class Driver:
    def __init__(self, tests: str, out_dir: Path, names: List[str], flavour: str, global_timeout: int,
                 shared_folder: Dict[str, str]) -> None:
        self.tests, self.out_dir, self.flavour, self.global_timeout = tests, out_dir, flavour, global_timeout
        self.logger = Logger(exit_on_error=flavour == "24.11")
        self.tmp = tempfile.TemporaryDirectory(prefix="standin-driver-")
        self.machines = [Machine(name, Path(self.tmp.name), self.logger, shared_folder) for name in names]
        self.race_timer = threading.Timer(global_timeout, self.terminate_test)

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
                if self.flavour == "24.11":
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
        symbols.update({m.name: m for m in self.machines})
        if len(self.machines) == 1:
            symbols["machine"] = self.machines[0]
        return symbols

    def start_all(self) -> None:
        for machine in self.machines:
            machine.start()

    def test_script(self) -> None:
        with self.logger.nested("run the VM test script"):
            symbols = self.test_symbols()
            if self.flavour == "24.11":
                exec(self.tests, symbols, None)
                return
            try:
                exec(self.tests, symbols, None)
            except RequestedAssertionFailed as e:
                self.logger.log_test_error(f"{type(e).__name__}: {e}")
                sys.exit(1)

    def run_tests(self) -> None:
        self.logger.log(f"Test will time out and terminate in {self.global_timeout} seconds")
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
    parser.add_argument("--script", required=True, type=Path, help="the user's testScript")
    parser.add_argument("--name", help="test name (default: the script's file name)")
    parser.add_argument("--suite", default="nixotel")
    parser.add_argument("--machines", default="machine", help="comma-separated machine names")
    parser.add_argument("--flavour", choices=["master", "24.11"], default="master")
    parser.add_argument("--global-timeout", type=int, default=3600)
    parser.add_argument("--prelude", type=Path, default=DEFAULT_PRELUDE)
    parser.add_argument("--constants", type=Path, default=DEFAULT_CONSTANTS)
    args = parser.parse_args()
    if not args.out.is_dir():
        parser.error(f"expected --out to be an existing folder, got {args.out}; create it first (nix: mkdir $out)")
    constants = json.loads(args.constants.read_text())
    tests = traced_test_script(args.prelude.read_text(), args.name or args.script.stem, args.suite,
                               args.script.read_text(), constants)
    machines = [n for n in args.machines.split(",") if n]
    with Driver(tests, args.out.resolve(), machines, args.flavour, args.global_timeout, constants["sharedFolder"]) as driver:
        tic = time.time()
        driver.run_tests()
        driver.logger.log(f"test script finished in {time.time() - tic:.2f}s")


if __name__ == "__main__":
    main()
