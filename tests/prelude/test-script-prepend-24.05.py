# Stand-in for nixpkgs' nixos/lib/test-script-prepend.py at 161b3b0108441b7b27fa89a8ce75823bf9229e43 (the
# NixOS 24.05-era shape: names only *declared*, machines typed `Machine`, `NAME: Machine;` hints appended).
# Restated, not copied: the same names with the same types. Declared-only names are why a prelude must not
# write `subtest = ...` (mypy: Name "subtest" already defined). A mock of nixpkgs; see ./stubs.
from pathlib import Path
from typing import Any, Callable, ContextManager, Dict, Iterator, List, Optional, Union

from test_driver.driver import Driver
from test_driver.logger import Logger
from test_driver.machine import Machine
from test_driver.vlan import VLan
from typing_extensions import Protocol


class RetryProtocol(Protocol):
    def __call__(self, fn: Callable, timeout: int = 900) -> None:
        raise Exception("type information only")


class PollingConditionProtocol(Protocol):
    def __call__(self, fun_: Optional[Callable] = None, *, seconds_interval: float = 2.0,
                 description: Optional[str] = None) -> Union[Callable[[Callable], ContextManager], ContextManager]:
        raise Exception("type information only")


class CreateMachineProtocol(Protocol):
    def __call__(self, start_command: str | dict, *, name: Optional[str] = None,
                 keep_vm_state: bool = False) -> Machine:
        raise Exception("type information only")


start_all: Callable[[], None]
subtest: Callable[[str], ContextManager[None]]
retry: RetryProtocol
test_script: Callable[[], None]
machines: List[Machine]
vlans: List[VLan]
driver: Driver
log: Logger
create_machine: CreateMachineProtocol
run_tests: Callable[[], None]
join_all: Callable[[], None]
serial_stdout_off: Callable[[], None]
serial_stdout_on: Callable[[], None]
polling_condition: PollingConditionProtocol
