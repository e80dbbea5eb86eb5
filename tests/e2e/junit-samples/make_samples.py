# Writes the driver-format JUnit samples next to this file with the real `junit_xml` library (Debian's
# python3-junit.xml 1.9, the library nixpkgs' driver imports), called the way the driver's JunitXMLLogger
# (nixos/lib/test-driver/src/test_driver/logger.py) calls it when the interpreter exits. Not run by the test
# suite: the samples are committed. Rerun by hand: /usr/bin/python3 tests/e2e/junit-samples/make_samples.py
from pathlib import Path
from typing import List, Optional, Tuple

from junit_xml import TestCase, TestSuite

HERE = Path(__file__).resolve().parent
# name, failed, stdout, stderr, seconds (None: the 2024 logger recorded no time)
Case = Tuple[str, bool, str, str, Optional[float]]


def write(file: str, cases: List[Case]) -> None:
    test_cases = []
    for name, failed, stdout, stderr, seconds in cases:
        case = TestCase(name, elapsed_sec=seconds, stdout=stdout, stderr=stderr)
        if failed:
            case.add_failure_info("test case failed")  # the logger's only failure message
        test_cases.append(case)
    suite = TestSuite("NixOS integration test", test_cases)  # the logger's fixed suite name
    (HERE / file).write_text(TestSuite.to_xml_string([suite]))


# 24.11-era logger: a "main" case first (lines outside any subtest), then one case per subtest name, flat
# (nested subtests are cases of their own), no times; a failed subtest and "main" carry the error on stderr.
write("driver-24.11-failed.xml", [
    ("main", False, "start all VMs\n", "", None),
    ("collector is listening", False, "machine: waiting for unit grafana-alloy.service\n", "", None),
    ("span is emitted", False, "machine: must succeed: emit_test_span.sh --strict web passed 1\n", "", None),
    ("inner <check> & \"quotes\"", False, "nested subtest\n", "", None),
    ("span is received", True, "machine: must succeed: curl -sf http://localhost:12345/metrics\n",
     'Test "span is received" failed with error: "command `curl` failed (exit code 1)"\n', None),
])
# Later logger: per-case times, and a case the prelude's spans will not have ("cleanup").
write("driver-timed-passed.xml", [
    ("main", False, "", "", 0.5),
    ("machine boots", False, "machine: waiting for unit multi-user.target\n", "", 12.25),
    ("span is recorded", False, "", "", 0.75),
    ("cleanup", False, "", "", 0.125),
])
