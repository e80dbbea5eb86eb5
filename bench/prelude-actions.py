# What the prelude's driver action spans cost per call: the same Machine method called N times bare and
# wrapped by the prelude (scripts/nixotel_prelude.py), in one process; prints µs per call and the ratio.
# The machine is a mock with an empty nested block (the driver's real actions talk to a VM: milliseconds
# to minutes each), so this is the wrapper's own cost, an upper bound on its share.
#   python3 bench/prelude-actions.py [N]
import contextlib
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, Iterator

PRELUDE = Path(__file__).resolve().parent.parent / "scripts" / "nixotel_prelude.py"
CONSTANTS = json.dumps({"serviceName": "s", "sharedFolder": {"vm": "/tmp/shared", "spool": "a", "traceparent": "b"}})


def machine_class() -> Any:
    class Machine:
        name, booted, connected = "bench", True, True

        @contextlib.contextmanager
        def nested(self, message: str) -> Iterator[None]:
            yield

        def succeed(self, *commands: str, timeout: Any = None) -> str:
            for command in commands:
                with self.nested(f"must succeed: {command}"):
                    pass
            return ""

    return Machine


def per_call_us(machine: Any, n: int) -> float:
    tic = time.perf_counter()
    for _ in range(n):
        machine.succeed("curl --fail http://localhost/")
    return (time.perf_counter() - tic) / n * 1e6


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    bare = per_call_us(machine_class()(), n)
    traced_machine = machine_class()()
    with tempfile.TemporaryDirectory() as out:
        driver = type("Driver", (), {"machines": [traced_machine], "out_dir": Path(out)})()
        symbols: Dict[str, Any] = {"driver": driver, "subtest": contextlib.nullcontext}
        exec(compile(PRELUDE.read_text(), "<string>", "exec"), symbols)
        symbols["nixotel_begin"](name="bench", suite="bench", constants_json=CONSTANTS)
        traced = per_call_us(traced_machine, n)
        tic = time.perf_counter()
        with contextlib.redirect_stderr(open("/dev/null", "w")):
            symbols["_nixotel"].finish()  # encodes and writes the n spans
        written_us = (time.perf_counter() - tic) / n * 1e6
    print(f"{n} calls: bare {bare:.2f} µs/call, traced {traced:.2f} µs/call ({traced / bare:.1f}x), "
          f"+{traced - bare:.1f} µs per action while the test runs, +{written_us:.1f} µs per action written at the end")


if __name__ == "__main__":
    main()
