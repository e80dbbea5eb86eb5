# nixotel testScript prelude: records the NixOS test and every `with subtest(...)` as OpenTelemetry spans.
# Standard library only. nixotel.lib.tracedTestScript concatenates this file, then
# `nixotel_begin(name=..., suite=...)`, then the user's testScript; the driver runs the whole text with exec().
# The driver build type-checks it (mypy --no-implicit-optional over its declarations) and lints it (pyflakes
# with the driver's names as builtins): so no driver name is redefined (`subtest` is rebound through
# globals()), and every module is imported under a private alias the user's script will not collide with.
# Documentation: docs/prelude.md.
import atexit as _atexit
import json as _json
import os as _os
import re as _re
import secrets as _secrets
import sys as _sys
import threading as _threading
import time as _time
import traceback as _traceback
import typing as _t
import urllib.request as _urlreq
from urllib.parse import unquote as _unquote
from contextlib import contextmanager as _contextmanager
from pathlib import Path as _Path

# OTLP Status.code, by the one rule nixotel's spans share (src/spans/vocabulary.ts statusOf): passed is OK, failed ERROR
_NIXOTEL_STATUS_OK = 1
_NIXOTEL_STATUS_ERROR = 2
_NIXOTEL_SPOOL = "nixotel-spans"  # under the shared folder: where emit_test_span.sh appends in the VMs
_NIXOTEL_TRACEPARENT = "nixotel-traceparent"  # under the shared folder: the emitter's default parent


# The driver runs prelude + nixotel_begin(...) + the user's script as one text, file name "<string>": its
# tracebacks number lines of that text. nixotel_begin learns how many lines come before the user's script.
_NIXOTEL_SCRIPT_FRAME = _re.compile(r'File "<string>", line (\d+)(, in [^\n]*)?')
_nixotel_lines_before_script = 0


def _nixotel_user_line(line: int) -> str:
    """A line of the text the driver runs, as the user knows it: their testScript's line, or the prelude's."""
    if line > _nixotel_lines_before_script:
        return f'File "testScript", line {line - _nixotel_lines_before_script}'
    return f'File "nixotel prelude", line {line}'


def _nixotel_format_exception(exc: BaseException) -> str:
    """traceback.format_exception with the testScript's frames numbered as the user wrote them, code shown."""
    code = str(getattr(globals().get("driver"), "tests", "")).splitlines()

    def renumber(match: "_re.Match[str]") -> str:
        line = int(match.group(1))
        source = code[line - 1].strip() if 0 < line <= len(code) else ""
        return _nixotel_user_line(line) + (match.group(2) or "") + (f"\n    {source}" if source else "")

    text = "".join(_traceback.format_exception(type(exc), exc, exc.__traceback__))
    return _NIXOTEL_SCRIPT_FRAME.sub(renumber, text)


def _nixotel_explain_lines(exc: _t.Optional[BaseException]) -> None:
    """One line after the driver's raw traceback: its "line N" counted the prelude; here is the user's line."""
    if exc is None or not _nixotel_lines_before_script:
        return
    frames = [f.lineno for f in _traceback.extract_tb(exc.__traceback__) if f.filename == "<string>" and f.lineno]
    mine = [f"line {n} is line {n - _nixotel_lines_before_script}" for n in frames if n > _nixotel_lines_before_script]
    if mine:
        print(f"nixotel: the traceback counts the {_nixotel_lines_before_script} lines nixotel puts before your testScript; "
              f"in your testScript, {', '.join(mine)}", file=_sys.stderr, flush=True)


def _nixotel_value(value: object) -> _t.Dict[str, object]:
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, int):
        return {"intValue": str(value)}
    if isinstance(value, float):
        return {"doubleValue": value}
    return {"stringValue": str(value)}


def _nixotel_is_clean_exit(exc: BaseException) -> bool:
    return isinstance(exc, SystemExit) and exc.code in (None, 0)


class _NixotelSpan:
    def __init__(self, name: str, trace_id: str, parent_id: str, attributes: _t.Dict[str, object]) -> None:
        self.name = name
        self.trace_id = trace_id
        self.span_id = _secrets.token_hex(8)
        self.parent_id = parent_id
        self.attributes = dict(attributes)
        self.events: _t.List[_t.Dict[str, object]] = []
        self.start_ns = _time.time_ns()
        self.end_ns = 0
        self.status_message = ""

    def fail(self, exc: BaseException) -> None:
        """ERROR status plus an `exception` event, as the OTel semantic conventions describe."""
        kind = type(exc).__qualname__
        self.status_message = f"{kind}: {exc}"
        self.attributes["error.type"] = kind
        attributes = {"exception.type": kind, "exception.message": str(exc), "exception.stacktrace": _nixotel_format_exception(exc)}
        self.events.append({"name": "exception", "time_ns": _time.time_ns(), "attributes": attributes})

    def traceparent(self) -> str:
        return f"00-{self.trace_id}-{self.span_id}-01"

    def to_otlp(self) -> _t.Dict[str, object]:
        def attrs(values: _t.Mapping[str, object]) -> _t.List[object]:
            return [{"key": k, "value": _nixotel_value(v)} for k, v in values.items()]

        span: _t.Dict[str, object] = {
            "traceId": self.trace_id,
            "spanId": self.span_id,
            "name": self.name,
            "kind": 1,
            "startTimeUnixNano": str(self.start_ns),
            "endTimeUnixNano": str(self.end_ns or _time.time_ns()),
            "attributes": attrs(self.attributes),
            "events": [
                {"timeUnixNano": str(e["time_ns"]), "name": e["name"], "attributes": attrs(_t.cast(dict, e["attributes"]))}
                for e in self.events
            ],
            "status": ({"code": _NIXOTEL_STATUS_ERROR, "message": self.status_message} if self.status_message
                       else {"code": _NIXOTEL_STATUS_OK}),
        }
        if self.parent_id:
            span["parentSpanId"] = self.parent_id
        return span


class _NixotelTrace:
    """The spans of one test run, its hooks into the driver process, and how they leave it."""

    def __init__(self, name: str, suite: str, out_dir: _Path, shared_dir: _t.Optional[_Path],
                 attributes: _t.Dict[str, object]) -> None:
        self.out_dir, self.shared_dir = out_dir, shared_dir
        self.lock = _threading.RLock()
        self.finished: _t.List[_NixotelSpan] = []
        self.failure = ""  # why the driver is failing the test, once known
        self.fatal: _t.Optional[BaseException] = None  # the exception that ended the driver, if one did
        self.escaped: _t.Optional[BaseException] = None  # the last exception that left a top-level span
        self.done = False
        parent = _nixotel_parse_traceparent(_os.environ.get("TRACEPARENT", ""))
        trace_id, parent_id = parent if parent else (_secrets.token_hex(16), "")
        self.root = _NixotelSpan(f"test.{suite}.{name}", trace_id, parent_id, {
            **attributes,
            "test.case.name": name, "test.suite.name": suite, "test.name": name, "test.suite": suite,
            "nixotel.source": "prelude",
        })
        self.stack: _t.List[_NixotelSpan] = [self.root]
        self.publish_traceparent()

    def publish_traceparent(self) -> None:
        """Keep the shared folder's traceparent on the innermost open span, for emit_test_span.sh in the VMs."""
        if self.shared_dir is None:
            return
        target = self.shared_dir / _NIXOTEL_TRACEPARENT
        try:
            if not self.stack:  # the test span has ended: nothing to parent under any more
                target.unlink(missing_ok=True)
                return
            scratch = self.shared_dir / f".{_NIXOTEL_TRACEPARENT}.tmp"
            scratch.write_text(self.stack[-1].traceparent() + "\n")
            _os.replace(scratch, target)  # a VM never reads half a line
        except OSError as err:
            print(f"nixotel: cannot write the traceparent file: {err}", file=_sys.stderr)

    @_contextmanager
    def span(self, name: str, attributes: _t.Dict[str, object]) -> _t.Iterator[_NixotelSpan]:
        with self.lock:
            span = _NixotelSpan(name, self.root.trace_id, self.stack[-1].span_id, attributes)
            self.stack.append(span)
            self.publish_traceparent()
        try:
            yield span
        except BaseException as exc:
            if not _nixotel_is_clean_exit(exc):
                span.fail(exc)
                if span.parent_id == self.root.span_id:
                    self.escaped = exc
            raise
        finally:
            self.end(span)

    def end(self, span: _NixotelSpan) -> None:
        with self.lock:
            if span not in self.stack:
                return  # already closed by finish() (global timeout) while the script ran on
            span.end_ns = _time.time_ns()
            if "test.case.name" in span.attributes:
                span.attributes["test.case.result.status"] = "fail" if span.status_message else "pass"
            self.stack.remove(span)
            self.finished.append(span)
            self.publish_traceparent()

    def note_failure(self, reason: str, exc: _t.Optional[BaseException] = None) -> None:
        with self.lock:
            self.failure = self.failure or reason
            self.fatal = self.fatal or exc

    def finish(self, reason: str = "") -> None:
        """End every open span, write the OTLP lines, collect the VM spool; once, pass or fail."""
        with self.lock:
            if self.done:
                return
            self.done = True
            if reason:
                self.note_failure(reason)
            for span in reversed(self.stack[1:]):
                span.status_message = span.status_message or f"span still open when the test ended: {self.failure or 'exit'}"
                self.end(span)
            cause = self.fatal or self.escaped
            if self.failure and cause is not None:
                self.root.fail(cause)
            self.root.status_message = self.root.status_message or self.failure
            self.end(self.root)
            self.root.attributes["test.result"] = self.root.attributes["test.case.result.status"]
            lines = [_nixotel_request_line(s) for s in self.finished]
        _nixotel_write(self.out_dir / "otel" / "prelude.jsonl", lines)
        _nixotel_send_live(lines)
        if self.shared_dir is not None:
            _nixotel_collect_spool(self.shared_dir / _NIXOTEL_SPOOL, self.out_dir / "otel")


def _nixotel_parse_traceparent(raw: str) -> _t.Optional[_t.Tuple[str, str]]:
    parts = raw.strip().split("-")
    hex_digits = set("0123456789abcdef")
    if len(parts) != 4 or [len(p) for p in parts] != [2, 32, 16, 2] or not set("".join(parts)) <= hex_digits:
        return None
    if set(parts[1]) == {"0"} or set(parts[2]) == {"0"}:
        return None
    return parts[1], parts[2]


def _nixotel_request_line(span: _NixotelSpan) -> str:
    service = _os.environ.get("OTEL_SERVICE_NAME") or "nixos-integration-tests"
    resource = {"attributes": [{"key": "service.name", "value": {"stringValue": service}}]}
    scope = {"name": "nixotel.prelude", "version": "1"}
    request = {"resourceSpans": [{"resource": resource, "scopeSpans": [{"scope": scope, "spans": [span.to_otlp()]}]}]}
    return _json.dumps(request, ensure_ascii=False, separators=(",", ":"))


def _nixotel_write(path: _Path, lines: _t.List[str]) -> None:
    """Into $out (kept when the build succeeds) and onto stderr (the build log, kept when it fails)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as out:
            out.writelines(line + "\n" for line in lines)
    except OSError as err:
        print(f"nixotel: cannot write {path}: {err}", file=_sys.stderr)
    for line in lines:
        print("@nixotel-otlp " + line, file=_sys.stderr, flush=True)


def _nixotel_collect_spool(spool: _Path, target: _Path) -> None:
    """Move what the VMs spooled into $out/otel, keeping only whole JSON lines (a VM may die mid-write)."""
    if not spool.is_dir():
        return
    for source in sorted(spool.glob("*.jsonl")):
        lines: _t.List[str] = []
        for raw in source.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                if isinstance(_json.loads(raw), dict):
                    lines.append(raw.strip())
            except ValueError:
                continue
        name = source.name if source.name != "prelude.jsonl" else "spool-prelude.jsonl"
        _nixotel_write(target / name, lines)
        source.unlink()


def _nixotel_send_live(lines: _t.List[str]) -> None:
    """Outside the sandbox, with an OTLP endpoint in the environment: POST http/json, never failing the test."""
    url = _os.environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "")
    if not url and _os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"):
        url = _os.environ["OTEL_EXPORTER_OTLP_ENDPOINT"].rstrip("/") + "/v1/traces"
    if not url or not lines:
        return
    headers = {"Content-Type": "application/json"}
    # The spec's `k=v,k2=v2`, percent-decoded; the traces-specific variable wins per key.
    for variable in ("OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_TRACES_HEADERS"):
        for pair in _os.environ.get(variable, "").split(","):
            key, _, value = pair.partition("=")
            if key.strip() and value:
                headers[_unquote(key.strip())] = _unquote(value.strip())
    merged = [rs for line in lines for rs in _json.loads(line)["resourceSpans"]]
    body = _json.dumps({"resourceSpans": merged}).encode("utf-8")
    try:
        with _urlreq.urlopen(_urlreq.Request(url, data=body, headers=headers, method="POST"), timeout=3) as response:
            response.read()
    except Exception as err:  # a collector that is away must not fail the test
        print(f"nixotel: live export to {url} failed: {err}", file=_sys.stderr)


_nixotel: _t.Optional[_NixotelTrace] = None


def _nixotel_current() -> _NixotelTrace:
    if _nixotel is None:
        raise RuntimeError("nixotel: expected nixotel_begin(name=..., suite=...) before the first span; "
                           "wrap the testScript with nixotel.lib.tracedTestScript")
    return _nixotel


def _nixotel_machines() -> _t.List[object]:
    """driver.machines (a list up to 25.x, a property again in 2026); else the late-2025 split lists."""
    machines = getattr(driver, "machines", None)
    if machines is None:
        machines = [*getattr(driver, "machines_qemu", []), *getattr(driver, "machines_nspawn", [])]
    return list(machines)


def _nixotel_find_shared_dir() -> _t.Optional[_Path]:
    """machine.shared_dir (`<tmp>/shared-xchg`, one for all machines); None for machines without one."""
    for machine in _nixotel_machines():
        shared = getattr(machine, "shared_dir", None)
        if isinstance(shared, _Path):
            return shared
    return None


def _nixotel_global_timeout() -> str:
    """The test's globalTimeout in seconds: driver.global_timeout (an int) up to 2025, driver.config.global_timeout
    (a timedelta) from 2026; "?" when neither is there."""
    value = getattr(driver, "global_timeout", None)
    if value is None:
        value = getattr(getattr(driver, "config", None), "global_timeout", None)
    total_seconds = getattr(value, "total_seconds", None)
    if callable(total_seconds):
        value = total_seconds()
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "?"
    return str(int(value)) if float(value).is_integer() else str(value)


def _nixotel_hook_process(trace: _NixotelTrace) -> None:
    """Learn how the test ends: the driver exits through sys.exit, an uncaught exception, or its timeout."""
    exit_original = _sys.exit
    hook_original = _sys.excepthook

    def recording_exit(status: _t.Any = None) -> None:
        if status not in (None, 0):
            trace.note_failure(f"the driver exited with status {status}")
            _nixotel_explain_lines(_sys.exc_info()[1])  # 25.05+: right after the `!!!` traceback it printed
        exit_original(status)

    def recording_excepthook(kind: _t.Type[BaseException], exc: BaseException, tb: _t.Any) -> None:
        trace.note_failure(f"{kind.__qualname__}: {exc}", exc)
        hook_original(kind, exc, tb)
        _nixotel_explain_lines(exc)  # right after Python's own traceback

    setattr(_sys, "exit", recording_exit)  # the driver calls sys.exit(1) after catching a failed command or assertion
    setattr(_sys, "excepthook", recording_excepthook)  # runs before atexit for an exception that ends the driver
    _atexit.register(trace.finish)  # the driver's own JUnit file is written at exit the same way
    timer = getattr(driver, "race_timer", None)  # globalTimeout: the timer SIGTERMs the driver, atexit never runs
    if isinstance(timer, _threading.Timer):
        on_timeout = getattr(timer, "function")

        def flush_then_terminate() -> None:
            trace.finish(f"global timeout of {_nixotel_global_timeout()} seconds reached")
            on_timeout()

        setattr(timer, "function", flush_then_terminate)


def nixotel_begin(name: str, suite: str, attributes_json: str = "{}") -> None:
    """Open the test span and trace every `with subtest(...)`; called once, right after this prelude.

    `attributes_json` is a JSON object of extra attributes for the test span (nixotel.json's `attributes`).
    """
    global _nixotel, _nixotel_lines_before_script
    if not isinstance(name, str) or not isinstance(suite, str):
        raise TypeError(f"nixotel_begin: expected name and suite as strings, got {name!r} and {suite!r}")
    attributes = _json.loads(attributes_json)
    if not isinstance(attributes, dict):
        raise TypeError(f"nixotel_begin: expected attributes_json to be a JSON object, got {attributes_json!r}")
    if _nixotel is not None:
        return
    # This call's line is the last one before the user's script (tracedTestScript puts it there).
    caller = _sys._getframe(1)
    if caller.f_code.co_filename == "<string>":  # the text the driver exec()s
        _nixotel_lines_before_script = caller.f_lineno
    trace = _NixotelTrace(name, suite, _Path(driver.out_dir), _nixotel_find_shared_dir(), attributes)
    _nixotel = trace
    _nixotel_hook_process(trace)
    driver_subtest = globals()["subtest"]

    @_contextmanager
    def traced_subtest(subtest_name: str) -> _t.Iterator[None]:
        # Inside the driver's subtest: our span sees the script's exception before the driver logs it.
        with driver_subtest(subtest_name):
            # Named like the driver's log line; nixotel run and the report find subtests by the attribute.
            with trace.span(f"subtest: {subtest_name}", {"nixos.test.subtest": subtest_name,
                                                        "test.case.name": subtest_name, "test.suite.name": name}):
                yield

    globals()["subtest"] = traced_subtest


@_contextmanager
def otel_span(name: str, **attributes: object) -> _t.Iterator[None]:
    """`with otel_span("load data", rows=3):` — a span around any block, under the current span."""
    with _nixotel_current().span(name, attributes):
        yield


def otel_emit(name: str, seconds: float = 0.0, error: str = "", **attributes: object) -> None:
    """Record a span from the host side that ended now and lasted `seconds`; `error` marks it failed."""
    trace = _nixotel_current()
    with trace.span(name, attributes) as span:
        span.start_ns -= int(seconds * 1e9)
        span.status_message = error


def nixotel_traceparent() -> str:
    """The W3C traceparent of the current span, e.g. to pass as TRACEPARENT to a command in a VM."""
    trace = _nixotel_current()
    with trace.lock:
        return trace.stack[-1].traceparent()
