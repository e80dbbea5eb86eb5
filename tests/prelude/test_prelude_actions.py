# Unit tests of the prelude's driver action spans (scripts/nixotel_prelude.py, _nixotel_trace_actions), run by
# tests/prelude/actions.test.ts with Debian's python3. The machines here are MOCKS of nixpkgs' driver (no nixpkgs
# here): FakeMachine follows nixos/lib/test-driver/src/test_driver/machine/__init__.py (2026 master: nested
# blocks, connect() starting the VM, succeed one block per command, send_key's `log`), OldMachine the 21.11
# machine.py (wait_for_open_port without `addr`, send_key without `log`, no wait_for_x or crash).
import contextlib
import inspect
import io
import json
import sys
import tempfile
import unittest
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

PRELUDE = Path(__file__).resolve().parent.parent.parent / "scripts" / "nixotel_prelude.py"
CONSTANTS = json.dumps({"serviceName": "s", "sharedFolder": {"vm": "/tmp/shared", "spool": "spool", "traceparent": "tp"}})


class Failed(AssertionError):  # the driver's RequestedAssertionFailed
    pass


def machine_classes() -> Tuple[type, type]:
    """Fresh classes per test: the prelude patches the classes it finds."""

    class Machine:
        def __init__(self, name: str, statuses: Optional[Dict[str, int]] = None) -> None:
            self.name, self.booted, self.connected = name, False, False
            self.statuses = statuses or {}
            self.blocks: List[str] = []  # what the driver's log would show, in order

        @contextlib.contextmanager
        def nested(self, message: str) -> Iterator[None]:
            self.blocks.append(message)
            yield

        def start(self, allow_reboot: bool = False) -> None:
            if self.booted:
                return
            self.booted = True

        def connect(self) -> None:
            if self.connected:
                return
            with self.nested("waiting for the VM to finish booting"):
                self.start()
                self.connected = True

        def execute(self, command: str, check_return: bool = True, check_output: bool = True,
                    timeout: Optional[int] = 900) -> Tuple[int, str]:
            self.connect()
            return self.statuses.get(command, 0), f"<{command}>"

        def succeed(self, *commands: str, timeout: Optional[int] = None) -> str:
            """Execute a shell command, raising an exception if the exit status is not zero."""
            output = ""
            for command in commands:
                with self.nested(f"must succeed: {command}"):
                    status, out = self.execute(command, timeout=timeout)
                    if status != 0:
                        raise Failed(f"command `{command}` failed (exit code {status})")
                    output += out
            return output

        def fail(self, *commands: str, timeout: Optional[int] = None) -> str:
            output = ""
            for command in commands:
                with self.nested(f"must fail: {command}"):
                    status, out = self.execute(command, timeout=timeout)
                    if status == 0:
                        raise Failed(f"command `{command}` unexpectedly succeeded")
                    output += out
            return output

        def wait_for_unit(self, unit: str, user: Optional[str] = None, timeout: int = 900) -> None:
            with self.nested(f"waiting for unit {unit}"):
                self.execute(f"systemctl show {unit}")

        def wait_until_succeeds(self, command: str, timeout: int = 900) -> str:
            with self.nested(f"waiting for success: {command}"):
                for _ in range(3):
                    status, output = self.execute(command)
                return output

        def wait_for_open_port(self, port: int, addr: str = "localhost", timeout: int = 900) -> None:
            with self.nested(f"waiting for TCP port {port} on {addr}"):
                self.execute(f"nc -z {addr} {port}")

        def wait_for_shutdown(self) -> None:
            if not self.booted:
                return
            with self.nested("waiting for the VM to power off"):
                self.booted = self.connected = False

        def shutdown(self) -> None:
            if not self.booted:
                return
            self.wait_for_shutdown()

        def send_key(self, key: str, delay: Optional[float] = 0.01, log: Optional[bool] = True) -> None:
            context = self.nested(f"sending key {key!r}") if log else contextlib.nullcontext()
            with context:
                pass

        def send_chars(self, chars: str, delay: Optional[float] = 0.01) -> None:
            with self.nested(f"sending keys {chars!r}"):
                for char in chars:
                    self.send_key(char, delay, log=False)

    class FakeMachine(Machine):
        def crash(self) -> None:
            if not self.booted:
                return
            self.wait_for_shutdown()

    class OldMachine(Machine):  # no crash()
        def wait_for_open_port(self, port: int) -> None:  # type: ignore[override]
            with self.nested(f"waiting for TCP port {port}"):
                self.execute(f"nc -z localhost {port}")

        def send_key(self, key: str) -> None:  # type: ignore[override]
            pass

    return FakeMachine, OldMachine


class FakeDriver:
    def __init__(self, machines: List[Any], out_dir: Path) -> None:
        self.machines, self.out_dir = machines, out_dir


class Traced:
    """The prelude loaded as the driver runs it (exec over a symbols dict), around the given machines."""

    def __init__(self, machines: List[Any], out_dir: Path) -> None:
        @contextlib.contextmanager
        def subtest(name: str) -> Iterator[None]:
            yield

        self.symbols: Dict[str, Any] = {"driver": FakeDriver(machines, out_dir), "subtest": subtest}
        exec(compile(PRELUDE.read_text(), "<string>", "exec"), self.symbols)
        self.symbols["nixotel_begin"](name="t", suite="s", constants_json=CONSTANTS)

    def spans(self) -> List[Dict[str, Any]]:
        with contextlib.redirect_stderr(io.StringIO()):  # finish() also prints every span as `@nixotel-otlp`
            self.symbols["_nixotel"].finish()
        return [json.loads(line)["resourceSpans"][0]["scopeSpans"][0]["spans"][0]
                for line in (self.symbols["driver"].out_dir / "otel" / "prelude.jsonl").read_text().splitlines()]


def attrs(span: Dict[str, Any]) -> Dict[str, Any]:
    return {a["key"]: next(iter(a["value"].values())) for a in span["attributes"]}


def tree(spans: List[Dict[str, Any]]) -> List[str]:
    """`parent > verb (machine, target)` per action span, in the order they started."""
    by_id = {s["spanId"]: s for s in spans}
    actions = sorted((s for s in spans if "nixos.test.action" in attrs(s)), key=lambda s: int(s["startTimeUnixNano"]))
    return [f"{by_id[s['parentSpanId']]['name']} > {s['name']} ({attrs(s)['nixos.test.machine']}, "
            f"{attrs(s).get('nixos.test.action.target', '-')})" for s in actions]


class ActionSpans(unittest.TestCase):
    def setUp(self) -> None:
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)
        self.out = Path(self.dir.name)
        self.FakeMachine, self.OldMachine = machine_classes()

    def test_the_first_action_boots_and_starts_the_vm_as_the_log_nests_them(self) -> None:
        server = self.FakeMachine("server")
        traced = Traced([server], self.out)
        server.wait_for_unit("nginx.service")
        server.wait_for_open_port(80)
        self.assertEqual(tree(traced.spans()), [
            "test.s.t > wait_for_unit (server, nginx.service)",
            "wait_for_unit > boot (server, -)",
            "boot > start (server, -)",
            "test.s.t > wait_for_open_port (server, localhost:80)",
        ])

    def test_succeed_is_a_span_per_command_with_its_exit_code_and_the_same_output(self) -> None:
        machine = self.FakeMachine("m", {"false": 3})
        machine.connected = machine.booted = True
        traced = Traced([machine], self.out)
        self.assertEqual(machine.succeed("echo a", "echo b"), "<echo a><echo b>")
        self.assertEqual(machine.fail("false"), "<false>")
        spans = traced.spans()
        self.assertEqual(tree(spans), ["test.s.t > succeed (m, echo a)", "test.s.t > succeed (m, echo b)", "test.s.t > fail (m, false)"])
        self.assertEqual([attrs(s).get("process.exit.code") for s in spans if s["name"] != "test.s.t"], ["0", "0", "3"])

    def test_a_failed_command_is_error_with_the_drivers_message_and_the_exception_unchanged(self) -> None:
        machine = self.FakeMachine("m", {"false": 1})
        traced = Traced([machine], self.out)
        with self.assertRaises(Failed) as raised:
            machine.succeed("false")
        self.assertEqual(str(raised.exception), "command `false` failed (exit code 1)")
        span = next(s for s in traced.spans() if s["name"] == "succeed")
        self.assertEqual(span["status"], {"code": 2, "message": "command `false` failed (exit code 1)"})
        self.assertEqual((attrs(span)["error.type"], attrs(span)["process.exit.code"]), ("Failed", "1"))

    def test_execute_is_a_span_only_when_the_script_calls_it(self) -> None:
        machine = self.FakeMachine("m", {"probe": 7})
        machine.connected = machine.booted = True
        traced = Traced([machine], self.out)
        self.assertEqual(machine.execute("probe"), (7, "<probe>"))
        self.assertEqual(machine.wait_until_succeeds("curl x"), "<curl x>")
        spans = traced.spans()
        self.assertEqual(tree(spans), ["test.s.t > execute (m, probe)", "test.s.t > wait_until_succeeds (m, curl x)"])
        self.assertEqual(attrs(spans[0])["process.exit.code"], "7")

    def test_targets_hide_secrets_like_the_log_parser(self) -> None:
        machine = self.FakeMachine("m")
        machine.connected = machine.booted = True
        traced = Traced([machine], self.out)
        machine.succeed("curl -H 'Authorization: Bearer s3cr3t-token' https://user:pw@host/ --password=hunter2")
        self.assertEqual(tree(traced.spans()),
                         ["test.s.t > succeed (m, curl -H 'Authorization: Bearer ***' https://***@host/ --password=***)"])

    def test_shutdown_is_one_span_and_nothing_when_the_vm_is_down(self) -> None:
        machine = self.FakeMachine("m")
        traced = Traced([machine], self.out)
        machine.shutdown()  # not booted: returns at once, the driver logs nothing
        machine.start()
        machine.crash()
        self.assertEqual(tree(traced.spans()), ["test.s.t > start (m, -)", "test.s.t > shutdown (m, -)"])

    def test_send_chars_is_one_send_keys_span(self) -> None:
        machine = self.FakeMachine("m")
        traced = Traced([machine], self.out)
        machine.send_chars("ab")
        machine.send_key("ret")
        self.assertEqual(tree(traced.spans()), ["test.s.t > send_keys (m, 'ab')", "test.s.t > send_key (m, 'ret')"])

    def test_an_old_driver_port_target_and_missing_methods(self) -> None:
        machine = self.OldMachine("old")
        machine.connected = machine.booted = True
        traced = Traced([machine], self.out)
        machine.wait_for_open_port(8080)
        machine.send_key("a")  # logs no block before send_key had `log`
        self.assertEqual(tree(traced.spans()), ["test.s.t > wait_for_open_port (old, 8080)"])

    def test_signatures_names_and_argument_errors_are_the_drivers(self) -> None:
        originals = {name: inspect.signature(getattr(self.FakeMachine, name)) for name in ("succeed", "wait_for_unit", "execute")}
        machine = self.FakeMachine("m")
        traced = Traced([machine, self.FakeMachine("n")], self.out)
        Traced([machine], self.out).spans()  # a second begin in another script: no second wrapping
        for name, signature in originals.items():
            self.assertEqual(inspect.signature(getattr(self.FakeMachine, name)), signature)
        self.assertEqual(self.FakeMachine.succeed.__doc__.split(",")[0], "Execute a shell command")
        with self.assertRaises(TypeError):
            machine.wait_for_unit()  # type: ignore[call-arg]
        machine.connected = machine.booted = True
        machine.succeed("true")
        self.assertEqual(tree(traced.spans()), ["test.s.t > succeed (m, true)"])


if __name__ == "__main__":
    unittest.main()
