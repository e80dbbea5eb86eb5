# Mock of nixpkgs' test_driver.driver (see __init__.pyi).
import threading
from pathlib import Path
from typing import Any

from test_driver.logger import AbstractLogger
from test_driver.machine import BaseMachine
from test_driver.vlan import VLan

class Driver:
    tests: str
    out_dir: Path
    vlans: list[VLan]
    global_timeout: int
    race_timer: threading.Timer
    logger: AbstractLogger
    @property
    def machines(self) -> list[BaseMachine]: ...
    def test_symbols(self) -> dict[str, Any]: ...
    def run_tests(self) -> None: ...
