# Unit tests of the prelude's driver action spans (scripts/nixotel_prelude.py, _nixotel_trace_actions), run by
# tests/prelude/actions.test.ts with Debian's python3. The machines are MOCKS of nixpkgs' driver (no nixpkgs
# here): standin_driver.Machine follows nixos/lib/test-driver/src/test_driver/machine/__init__.py (nested
# blocks, connect() starting the VM, succeed one block per command, send_key's `log`), running its commands
# with /bin/sh; OldMachine changes what 21.11's machine.py had otherwise (wait_for_open_port without `addr`,
# send_key without `log`), and Bare has one method only.
import contextlib
import inspect
import io
import json
import tempfile
import unittest
from pathlib import Path
from typing import Any, Dict, Iterator, List

import standin_driver

PRELUDE = Path(__file__).resolve().parent.parent.parent / "scripts" / "nixotel_prelude.py"
SHARED = {"vm": "/tmp/shared", "spool": "spool", "traceparent": "tp"}
CONSTANTS = json.dumps({"serviceName": "s", "sharedFolder": SHARED})


class Traced:
    """The prelude loaded as the driver runs it (exec over a symbols dict), around the given machines."""

    def __init__(self, machines: List[Any], out_dir: Path) -> None:
        @contextlib.contextmanager
        def subtest(name: str) -> Iterator[None]:
            yield

        driver = type("Driver", (), {"machines": machines, "out_dir": out_dir})()
        self.symbols: Dict[str, Any] = {"driver": driver, "subtest": subtest}
        exec(compile(PRELUDE.read_text(), "<string>", "exec"), self.symbols)
        self.symbols["nixotel_begin"](name="t", suite="s", constants_json=CONSTANTS)

    def spans(self) -> List[Dict[str, Any]]:
        with contextlib.redirect_stderr(io.StringIO()):  # finish() also prints every span as `@nixotel-otlp`
            self.symbols["_nixotel"].finish()
        lines = (self.symbols["driver"].out_dir / "otel" / "prelude.jsonl").read_text().splitlines()
        return [json.loads(line)["resourceSpans"][0]["scopeSpans"][0]["spans"][0] for line in lines]


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
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.out = Path(folder.name)
        self.logger = standin_driver.Logger("2026")
        # A fresh class per test: the prelude patches the classes it finds.
        self.Machine = type("Machine", (standin_driver.Machine,), {})
        quiet = contextlib.redirect_stderr(io.StringIO())  # the driver's log lines
        quiet.__enter__()
        self.addCleanup(quiet.__exit__, None, None, None)

    def machine(self, name: str, cls: Any = None, up: bool = False) -> Any:
        machine = (cls or self.Machine)(name, self.out, self.logger, SHARED)
        machine.booted = machine.connected = up
        return machine

    def test_the_first_action_boots_and_starts_the_vm_as_the_log_nests_them(self) -> None:
        server = self.machine("server")
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
        machine = self.machine("m", up=True)
        traced = Traced([machine], self.out)
        self.assertEqual(machine.succeed("echo a", "echo b"), "a\nb\n")
        self.assertEqual(machine.fail("echo c; exit 3"), "c\n")
        spans = traced.spans()
        self.assertEqual(tree(spans), ["test.s.t > succeed (m, echo a)", "test.s.t > succeed (m, echo b)",
                                       "test.s.t > fail (m, echo c; exit 3)"])
        self.assertEqual([attrs(s).get("process.exit.code") for s in spans if s["name"] != "test.s.t"], ["0", "0", "3"])

    def test_a_failed_command_is_error_with_the_drivers_message_and_the_exception_unchanged(self) -> None:
        machine = self.machine("m", up=True)
        traced = Traced([machine], self.out)
        with self.assertRaises(standin_driver.RequestedAssertionFailed) as raised:
            machine.succeed("false")
        self.assertEqual(str(raised.exception), "command `false` failed (exit code 1)")
        span = next(s for s in traced.spans() if s["name"] == "succeed")
        self.assertEqual(span["status"], {"code": 2, "message": "command `false` failed (exit code 1)"})
        self.assertEqual((attrs(span)["error.type"], attrs(span)["process.exit.code"]), ("RequestedAssertionFailed", "1"))

    def test_execute_is_a_span_only_when_the_script_calls_it(self) -> None:
        machine = self.machine("m", up=True)
        traced = Traced([machine], self.out)
        self.assertEqual(machine.execute("echo x; exit 7"), (7, "x\n"))
        self.assertEqual(machine.wait_until_succeeds("echo y"), "y\n")
        spans = traced.spans()
        self.assertEqual(tree(spans), ["test.s.t > execute (m, echo x; exit 7)", "test.s.t > wait_until_succeeds (m, echo y)"])
        self.assertEqual(attrs(spans[0])["process.exit.code"], "7")

    def test_targets_hide_secrets_like_the_log_parser(self) -> None:
        machine = self.machine("m", up=True)
        traced = Traced([machine], self.out)
        machine.succeed("echo -H 'Authorization: Bearer s3cr3t-token' https://user:pw@host/ --password=hunter2")
        self.assertEqual(tree(traced.spans()),
                         ["test.s.t > succeed (m, echo -H 'Authorization: Bearer ***' https://***@host/ --password=***)"])

    def test_shutdown_is_one_span_and_nothing_when_the_vm_is_down(self) -> None:
        machine = self.machine("m")
        traced = Traced([machine], self.out)
        machine.shutdown()  # not booted: returns at once, the driver logs nothing
        machine.start()
        machine.start()  # running already: nothing either
        machine.crash()
        self.assertEqual(tree(traced.spans()), ["test.s.t > start (m, -)", "test.s.t > shutdown (m, -)"])

    def test_send_chars_is_one_send_keys_span(self) -> None:
        machine = self.machine("m", up=True)
        traced = Traced([machine], self.out)
        machine.send_chars("ab")
        machine.send_key("ret")
        self.assertEqual(tree(traced.spans()), ["test.s.t > send_keys (m, 'ab')", "test.s.t > send_key (m, 'ret')"])

    def test_an_old_driver_and_one_lacking_methods(self) -> None:
        class OldMachine(self.Machine):  # type: ignore[name-defined]
            def wait_for_open_port(self, port: int) -> None:
                with self.nested(f"waiting for TCP port {port}"):
                    self.execute(f"true {port}")

            def send_key(self, key: str) -> None:  # logged no block before `log` came
                pass

        class Bare:
            name = "bare"

            def succeed(self, *commands: str) -> str:
                return "".join(commands)

        old, bare = self.machine("old", OldMachine, up=True), Bare()
        traced = Traced([old, bare], self.out)
        old.wait_for_open_port(8080)
        old.send_key("a")
        self.assertEqual(bare.succeed("x", "y"), "xy")
        self.assertEqual(tree(traced.spans()), ["test.s.t > wait_for_open_port (old, 8080)",
                                                "test.s.t > succeed (bare, x)", "test.s.t > succeed (bare, y)"])

    def test_signatures_names_and_argument_errors_are_the_drivers(self) -> None:
        names = ("succeed", "wait_for_unit", "execute", "send_key")
        originals = {name: inspect.signature(getattr(self.Machine, name)) for name in names}
        machine = self.machine("m")
        traced = Traced([machine, self.machine("n")], self.out)
        Traced([machine], self.out).spans()  # a second begin in another script: no second wrapping
        self.assertEqual({name: inspect.signature(getattr(self.Machine, name)) for name in names}, originals)
        self.assertEqual(self.Machine.succeed.__name__, "succeed")
        with self.assertRaises(TypeError):
            machine.wait_for_unit()
        machine.booted = machine.connected = True
        machine.succeed("true")
        self.assertEqual(tree(traced.spans()), ["test.s.t > succeed (m, true)"])


if __name__ == "__main__":
    unittest.main()
