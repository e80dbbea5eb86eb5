# nixotel testScript prelude: records the NixOS test and every `with subtest(...)` as OpenTelemetry spans.
# Standard library only. nixotel.lib.tracedTestScript concatenates this file, then
# `nixotel_begin(name=..., suite=...)`, then the user's testScript; the driver runs the whole text with exec().
# The driver build type-checks it (mypy --no-implicit-optional over its declarations) and lints it (pyflakes
# with the driver's names as builtins): so no driver name is redefined (`subtest` is rebound through
# globals()), and every module is imported under a private alias the user's script will not collide with.
# Documentation: docs/prelude.md.
import atexit as _atexit
import functools as _functools
import inspect as _inspect
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


_NIXOTEL_INT64 = (-(2 ** 63), 2 ** 63 - 1)
_NIXOTEL_NON_FINITE = {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}  # the protobuf JSON mapping's names


def _nixotel_text(value: str) -> str:
    """The string with every lone surrogate (not encodable as UTF-8) replaced by U+FFFD; pairs are joined."""
    return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _nixotel_str(value: object) -> str:
    try:
        return _nixotel_text(str(value))
    except Exception as err:  # a user object whose __str__ raises must not cost the test its spans
        return f"<{type(value).__qualname__}: str() failed: {type(err).__qualname__}>"


def _nixotel_value(value: object, key: str, notes: _t.List[str]) -> _t.Dict[str, object]:
    """An OTLP AnyValue that any receiver accepts; what had to change is described in `notes`."""
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, int):
        if _NIXOTEL_INT64[0] <= value <= _NIXOTEL_INT64[1]:
            return {"intValue": str(value)}
        notes.append(f"{key}: {value} is beyond int64, recorded as a string")
        return {"stringValue": str(value)}
    if isinstance(value, float):
        text = repr(value)
        return {"doubleValue": _NIXOTEL_NON_FINITE[text] if text in _NIXOTEL_NON_FINITE else value}
    return {"stringValue": _nixotel_str(value)}


def _nixotel_is_clean_exit(exc: BaseException) -> bool:
    return isinstance(exc, SystemExit) and exc.code in (None, 0)


class _NixotelSpan:
    def __init__(self, name: str, trace_id: str, parent_id: str, attributes: _t.Dict[str, object],
                 action: bool = False) -> None:
        self.name = name
        self.action = action  # a driver action's span: never the VMs' parent (the traceparent file stays put)
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
        notes: _t.List[str] = []

        def attrs(values: _t.Mapping[str, object]) -> _t.List[object]:
            return [{"key": _nixotel_str(k), "value": _nixotel_value(v, _nixotel_str(k), notes)} for k, v in values.items()]

        span: _t.Dict[str, object] = {
            "traceId": self.trace_id,
            "spanId": self.span_id,
            "name": _nixotel_str(self.name),
            "kind": 1,
            "startTimeUnixNano": str(self.start_ns),
            "endTimeUnixNano": str(self.end_ns or _time.time_ns()),
            "attributes": attrs(self.attributes),
            "events": [
                {"timeUnixNano": str(e["time_ns"]), "name": _nixotel_str(e["name"]),
                 "attributes": attrs(_t.cast(dict, e["attributes"]))}
                for e in self.events
            ],
            "status": ({"code": _NIXOTEL_STATUS_ERROR, "message": _nixotel_str(self.status_message)} if self.status_message
                       else {"code": _NIXOTEL_STATUS_OK}),
        }
        if notes:  # said on the span itself, so whoever reads the value sees why it is not what was passed
            span["attributes"] = _t.cast(list, span["attributes"]) + [
                {"key": "nixotel.prelude.notes", "value": {"arrayValue": {"values": [{"stringValue": n} for n in notes]}}}]
        if self.parent_id:
            span["parentSpanId"] = self.parent_id
        return span

    def to_otlp_minimal(self, err: BaseException) -> _t.Dict[str, object]:
        """What is left of the span when to_otlp() failed: ids, name, times and why."""
        return {
            "traceId": self.trace_id, "spanId": self.span_id, "name": _nixotel_str(self.name), "kind": 1,
            "startTimeUnixNano": str(self.start_ns), "endTimeUnixNano": str(self.end_ns or _time.time_ns()),
            **({"parentSpanId": self.parent_id} if self.parent_id else {}),
            "attributes": [{"key": "nixotel.prelude.error", "value": {"stringValue": _nixotel_str(repr(err))}}],
            "status": ({"code": _NIXOTEL_STATUS_ERROR, "message": _nixotel_str(self.status_message)} if self.status_message
                       else {"code": _NIXOTEL_STATUS_OK}),
        }


class _NixotelTrace:
    """The spans of one test run, its hooks into the driver process, and how they leave it."""

    def __init__(self, name: str, suite: str, out_dir: _Path, shared_dir: _t.Optional[_Path],
                 attributes: _t.Dict[str, object], constants: _t.Dict[str, _t.Any]) -> None:
        self.out_dir, self.shared_dir = out_dir, shared_dir
        # modules/lib/constants.json: the spool folder and traceparent file under the shared folder, the
        # default service name.
        self.spool_name: str = constants["sharedFolder"]["spool"]
        self.traceparent_name: str = constants["sharedFolder"]["traceparent"]
        self.default_service: str = constants["serviceName"]
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
        target = self.shared_dir / self.traceparent_name
        try:
            current = [span for span in self.stack if not span.action]
            if not current:  # the test span has ended: nothing to parent under any more
                target.unlink(missing_ok=True)
                return
            scratch = self.shared_dir / f".{self.traceparent_name}.tmp"
            scratch.write_text(current[-1].traceparent() + "\n")
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

    @_contextmanager
    def action(self, name: str, attributes: _t.Dict[str, object]) -> _t.Iterator[_NixotelSpan]:
        """A driver action's span (see _nixotel_trace_actions): ERROR with the driver's own message when it raises."""
        with self.lock:
            span = _NixotelSpan(name, self.root.trace_id, self.stack[-1].span_id, attributes, action=True)
            self.stack.append(span)
        try:
            yield span
        except BaseException as exc:
            if not _nixotel_is_clean_exit(exc):
                kind = type(exc).__qualname__
                span.status_message = _nixotel_str(exc)  # what the driver's `Test "X" failed with error: "…"` line says
                span.attributes["error.type"] = kind
                span.events.append({"name": "exception", "time_ns": _time.time_ns(),
                                    "attributes": {"exception.type": kind, "exception.message": span.status_message}})
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
            if not span.action:
                self.publish_traceparent()

    def note_failure(self, reason: str, exc: _t.Optional[BaseException] = None) -> None:
        with self.lock:
            self.failure = self.failure or reason
            self.fatal = self.fatal or exc

    def finish(self, reason: str = "") -> None:
        """End every open span, write the OTLP lines, collect the VM spool; once, pass or fail.

        No exception stops it: each step runs, what it could not do is reported on stderr."""
        with self.lock:
            if self.done:
                return
            self.done = True
            try:
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
            except Exception as err:
                _nixotel_report("could not close every span", err)
                for span in reversed(list(self.stack)):  # what is still open is written all the same
                    self.stack.remove(span)
                    span.end_ns = span.end_ns or _time.time_ns()
                    self.finished.append(span)
            lines = _nixotel_request_lines(self.finished, self.default_service)
        steps: _t.List[_t.Tuple[str, _t.Callable[[], None]]] = [
            ("write the spans", lambda: _nixotel_write(self.out_dir / "otel" / "prelude.jsonl", lines)),
            ("send the spans live", lambda: _nixotel_send_live(lines)),
        ]
        if self.shared_dir is not None:
            shared_dir = self.shared_dir
            steps.append(("collect the VMs' spans", lambda: _nixotel_collect_spool(shared_dir / self.spool_name, self.out_dir / "otel")))
        for what, step in steps:
            try:
                step()
            except Exception as err:
                _nixotel_report(f"could not {what}", err)


def _nixotel_report(what: str, err: BaseException) -> None:
    try:
        print(f"nixotel: {what}: {type(err).__qualname__}: {_nixotel_str(err)}", file=_sys.stderr, flush=True)
    except (OSError, ValueError):  # stderr itself is gone (closed or broken): nowhere left to say it
        pass


def _nixotel_request_lines(spans: _t.List[_NixotelSpan], default_service: str) -> _t.List[str]:
    """One OTLP JSON line per span; a span that cannot be encoded is written with ids, name and times only."""
    lines: _t.List[str] = []
    for span in spans:
        try:
            lines.append(_nixotel_request_line(span.to_otlp(), default_service))
            continue
        except Exception as err:
            _nixotel_report(f"span {_nixotel_str(span.name)!r} written without its attributes", err)
            failure: BaseException = err
        try:
            lines.append(_nixotel_request_line(span.to_otlp_minimal(failure), default_service))
        except Exception as err:
            _nixotel_report(f"span {_nixotel_str(span.name)!r} lost", err)
    return lines


def _nixotel_parse_traceparent(raw: str) -> _t.Optional[_t.Tuple[str, str]]:
    parts = raw.strip().split("-")
    hex_digits = set("0123456789abcdef")
    if len(parts) != 4 or [len(p) for p in parts] != [2, 32, 16, 2] or not set("".join(parts)) <= hex_digits:
        return None
    if set(parts[1]) == {"0"} or set(parts[2]) == {"0"}:
        return None
    return parts[1], parts[2]


def _nixotel_request_line(span: _t.Dict[str, object], default_service: str) -> str:
    service = _nixotel_str(_os.environ.get("OTEL_SERVICE_NAME") or default_service)
    resource = {"attributes": [{"key": "service.name", "value": {"stringValue": service}}]}
    scope = {"name": "nixotel.prelude", "version": "1"}
    request = {"resourceSpans": [{"resource": resource, "scopeSpans": [{"scope": scope, "spans": [span]}]}]}
    # allow_nan=False: a NaN that got past _nixotel_value raises here instead of writing invalid JSON.
    return _json.dumps(request, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


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
    """Move what the VMs spooled into $out/otel/<host>.jsonl, every line of it.

    emit_test_span.sh writes one file per span, `<host>.<16 hex span id>.jsonl`, created exclusively
    and ending in a newline once written whole: one without it is a span an emitter did not finish
    (stopped, or still running when the test ended), as is a `.<host>.<span id>.tmp` left by emitters
    that wrote under a hidden name and renamed it. Older emitters appended to `<host>.jsonl`, still read. A line that is not a JSON object is never dropped: it is named on stderr
    as `file:line: why`, the way `nixotel run` names what it cannot read, and kept in $out/otel, where
    `nixotel run` reports it again on the test's span.
    """
    if not spool.is_dir():
        return
    by_host: _t.Dict[str, _t.List[str]] = {}
    entries = []
    for source in spool.iterdir():
        unfinished = source.name.startswith(".") and source.name.endswith(".tmp")
        if not (source.name.endswith(".jsonl") or unfinished):
            continue
        stem = source.name[1:-4] if unfinished else source.name[:-6]
        host, _, span_id = stem.rpartition(".")
        if len(span_id) != 16 or not host or set(span_id) - set("0123456789abcdef"):
            host = stem
        try:
            entries.append((host, source.stat().st_mtime_ns, source.name, source, unfinished))
        except OSError:
            continue  # gone since the listing (an emitter renamed its scratch file): read under its new name
    for host, _, _, source, unfinished in sorted(entries, key=lambda e: e[:3]):
        try:
            text = source.read_bytes().decode("utf-8", errors="replace")
            source.unlink()
        except OSError as err:
            print(f"nixotel: cannot collect the spool file {source}: {err}", file=_sys.stderr)
            continue
        unfinished = unfinished or not text.endswith("\n")
        name = "spool-prelude.jsonl" if host == "prelude" else f"{host}.jsonl"
        # Split on "\n" only: a span may hold U+2028 and other separators str.splitlines() would cut at.
        for number, raw in enumerate(text.split("\n"), start=1):
            if not raw.strip():
                continue
            try:
                why = "" if isinstance(_json.loads(raw), dict) else "not a JSON object"
            except ValueError as err:
                why = f"not JSON ({err})"
            if why:
                cause = ", an emitter did not finish writing it" if unfinished else ""
                print(f"nixotel: {source}:{number}: {why}{cause}; kept in $out/otel/{name} for nixotel run to report",
                      file=_sys.stderr)
            by_host.setdefault(name, []).append(raw.strip())
    for name, lines in by_host.items():
        _nixotel_write(target / name, lines)


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
            try:
                trace.finish(f"global timeout of {_nixotel_global_timeout()} seconds reached")
            finally:  # whatever finish() met, the driver's own kill still comes
                on_timeout()

        setattr(timer, "function", flush_then_terminate)


# --- Driver actions: each Machine method the driver logs as a nested block becomes a span ---
# Named by the verb src/ingest/driver-verbs.ts gives that block's message, so the prelude and the log give
# the same tree: a call made inside another action is a span only where the driver logs a block for it too
# (boot inside the first command, start inside boot, wait_until_succeeds inside an old wait_for_file); what
# it logs nothing for (execute, systemctl) folds into the action that called it, which keeps execute's exit
# code. Read from nixos/lib/test-driver/…/machine.py, 21.11 to 2026 master; a method a driver lacks is skipped.
_NixotelTarget = _t.Callable[[_t.Dict[str, _t.Any]], _t.Optional[str]]


def _nixotel_port(args: _t.Dict[str, _t.Any]) -> str:
    """`A:P` as the driver's `waiting for TCP port P on A`; `P` from old drivers whose method has no `addr`."""
    return f"{args['addr']}:{args['port']}" if "addr" in args else str(args["port"])


def _nixotel_arg(name: str) -> _NixotelTarget:
    return lambda args: _nixotel_str(args[name])


_NIXOTEL_NO_TARGET: _NixotelTarget = lambda args: None
# method → (verb, target from the call's arguments, bound with the method's own signature)
_NIXOTEL_ACTIONS: _t.Dict[str, _t.Tuple[str, _NixotelTarget]] = {
    "start": ("start", _NIXOTEL_NO_TARGET),
    "connect": ("boot", _NIXOTEL_NO_TARGET),  # `waiting for the VM to finish booting`
    "shutdown": ("shutdown", _NIXOTEL_NO_TARGET),
    "crash": ("shutdown", _NIXOTEL_NO_TARGET),
    "wait_for_shutdown": ("shutdown", _NIXOTEL_NO_TARGET),  # `waiting for the VM to power off`
    "execute": ("execute", _nixotel_arg("command")),  # the driver logs no block: a span only when the script calls it
    "succeed": ("succeed", lambda args: _nixotel_str(args["commands"][0])),
    "fail": ("fail", lambda args: _nixotel_str(args["commands"][0])),
    "wait_until_succeeds": ("wait_until_succeeds", _nixotel_arg("command")),
    "wait_until_fails": ("wait_until_fails", _nixotel_arg("command")),
    "wait_for_unit": ("wait_for_unit", lambda args: _nixotel_str(args["unit"]) + (
        f" (user {args['user']})" if args.get("user") is not None else "")),
    "wait_for_open_port": ("wait_for_open_port", _nixotel_port),
    "wait_for_closed_port": ("wait_for_closed_port", _nixotel_port),
    "wait_for_open_unix_socket": ("wait_for_open_unix_socket", _nixotel_arg("addr")),
    "wait_for_file": ("wait_for_file", _nixotel_arg("filename")),
    "wait_for_text": ("wait_for_text", _nixotel_arg("regex")),
    "wait_for_console_text": ("wait_for_console_text", _nixotel_arg("regex")),
    "wait_until_tty_matches": ("wait_until_tty_matches", lambda args: f"tty{args['tty']}: {args['regexp']}"),
    "wait_for_x": ("wait_for_x", _NIXOTEL_NO_TARGET),
    "wait_for_window": ("wait_for_window", _NIXOTEL_NO_TARGET),  # `waiting for a window to appear`: no target
    "require_unit_state": ("require_unit_state", lambda args: f"{args['unit']} {args['require_state']}"),
    "screenshot": ("screenshot", _nixotel_arg("filename")),
    "send_chars": ("send_keys", lambda args: repr(args["chars"])),  # `sending keys 'abc'`
    "send_key": ("send_key", lambda args: repr(args["key"])),
}
_NIXOTEL_VM_UP = {"shutdown", "crash", "wait_for_shutdown"}  # return at once, logging nothing, unless booted


def _nixotel_logs_block(method: str, machine: object, args: _t.Dict[str, _t.Any], inside: bool) -> bool:
    """Whether the driver logs a block for this call (the calls that return at once log nothing)."""
    if method == "start":
        return not getattr(machine, "booted", False)
    if method == "connect":
        return not getattr(machine, "connected", False)
    if method in _NIXOTEL_VM_UP:
        return bool(getattr(machine, "booted", True))
    if method == "send_key":  # `sending key …` arrived with the `log` parameter (False inside send_chars)
        return bool(args.get("log", False))
    if method == "execute":
        return not inside
    return True


# Secrets-shaped values in a target become `***`, one line, at most 160 characters: the rules of
# src/ingest/action-target.ts, written twice (Python here, TypeScript there); tests/prelude/actions.test.ts
# runs the same targets through both. (The TypeScript counts UTF-16 units, this code points.)
_NIXOTEL_MAX_TARGET = 160
_NIXOTEL_SECRET_KEY = r"[\w.-]*(?:pass(?:word|wd)?|secret|token|api[_-]?key|credential|private[_-]?key)[\w.-]*"
_NIXOTEL_VALUE = r"(\"[^\"]*\"|'[^']*'|\S+)"
_NIXOTEL_REDACTIONS: _t.List[_t.Tuple["_re.Pattern[str]", _t.Callable[["_re.Match[str]"], str]]] = [
    (_re.compile(r"\b([a-z][a-z0-9+.-]*://)[^/?#\s]*@", _re.I | _re.A), lambda m: f"{m[1]}***@"),
    (_re.compile(r"(\b(?:proxy-)?authorization:\s*)(?:(basic|bearer|token|digest)\s+)?(\"[^\"]*\"|'[^']*'|[^\s'\"]+)", _re.I | _re.A),
     lambda m: f"{m[1]}{m[2] + ' ' if m[2] else ''}***"),
    (_re.compile(r"\b(bearer\s+)[\w.~+/=-]{8,}", _re.I | _re.A), lambda m: f"{m[1]}***"),
    (_re.compile(rf"(--{_NIXOTEL_SECRET_KEY}\s+){_NIXOTEL_VALUE}", _re.I | _re.A), lambda m: f"{m[1]}***"),
    (_re.compile(rf"(\b{_NIXOTEL_SECRET_KEY}\s*[=:]\s*){_NIXOTEL_VALUE}", _re.I | _re.A), lambda m: f"{m[1]}***"),
    (_re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{20,}|xox[abpr]-[\w-]{10,}|eyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]{10,})\b", _re.A),
     lambda m: "***"),
]


def _nixotel_safe_target(raw: str) -> str:
    for pattern, hide in _NIXOTEL_REDACTIONS:
        raw = pattern.sub(hide, raw)
    one_line = _re.sub(r"\s*\n\s*", " ⏎ ", raw).strip()
    return one_line if len(one_line) <= _NIXOTEL_MAX_TARGET else one_line[:_NIXOTEL_MAX_TARGET - 1] + "…"


_nixotel_running = _threading.local()  # .actions: the action spans open on this thread, innermost last


def _nixotel_open_actions() -> _t.List[_NixotelSpan]:
    if not hasattr(_nixotel_running, "actions"):
        _nixotel_running.actions = []
    return _t.cast(_t.List[_NixotelSpan], _nixotel_running.actions)


def _nixotel_action_attributes(method: str, verb: str, target: _NixotelTarget, machine: object,
                               arguments: _t.Dict[str, _t.Any]) -> _t.Dict[str, object]:
    # No `nixotel.source`: that names the test span (nixotel run finds the prelude's root by it).
    attributes: _t.Dict[str, object] = {"nixos.test.action": verb,
                                        "nixos.test.machine": _nixotel_str(getattr(machine, "name", "?"))}
    try:
        raw = target(arguments)
    except (KeyError, IndexError):  # a driver whose method names its parameters otherwise: no target
        raw = None
    if raw is not None:
        attributes["nixos.test.action.target"] = _nixotel_safe_target(raw)
    return attributes


def _nixotel_exit_code(result: object) -> _t.Optional[int]:
    """execute's `(status, output)`: the status, unless the driver did not read it (-1, -2)."""
    if isinstance(result, tuple) and result and isinstance(result[0], int) and result[0] >= 0:
        return result[0]
    return None


def _nixotel_traced_method(method: str, original: _t.Callable[..., _t.Any]) -> _t.Callable[..., _t.Any]:
    verb, target = _NIXOTEL_ACTIONS[method]
    signature = _inspect.signature(original)

    @_functools.wraps(original)
    def traced(self: object, *args: _t.Any, **kwargs: _t.Any) -> _t.Any:
        trace = _nixotel
        if trace is None or trace.done:
            return original(self, *args, **kwargs)
        if method in ("succeed", "fail") and len(args) > 1:  # the driver logs one block per command
            return "".join(traced(self, command, **kwargs) for command in args)
        try:
            bound = signature.bind(self, *args, **kwargs)
        except TypeError:  # the driver's own call raises it
            return original(self, *args, **kwargs)
        bound.apply_defaults()
        running = _nixotel_open_actions()
        outer = running[-1] if running else None
        same = outer is not None and outer.attributes["nixos.test.action"] == verb and \
            outer.attributes["nixos.test.machine"] == getattr(self, "name", "?")  # shutdown() → wait_for_shutdown()
        if same or not _nixotel_logs_block(method, self, bound.arguments, outer is not None):
            result = original(self, *args, **kwargs)
            code = _nixotel_exit_code(result) if method == "execute" else None
            if outer is not None and code is not None and outer.attributes["nixos.test.action"] in ("succeed", "fail"):
                outer.attributes["process.exit.code"] = code
            return result
        with trace.action(verb, _nixotel_action_attributes(method, verb, target, self, bound.arguments)) as span:
            running.append(span)
            try:
                result = original(self, *args, **kwargs)
            finally:
                running.remove(span)
            code = _nixotel_exit_code(result) if method == "execute" else None
            if code is not None:
                span.attributes["process.exit.code"] = code
            return result

    setattr(traced, "_nixotel_action", True)
    return traced


def _nixotel_trace_actions(machines: _t.List[object]) -> None:
    """Wrap the action methods of each machine's class once; signatures, results and exceptions unchanged."""
    for cls in {type(machine) for machine in machines}:
        for method in _NIXOTEL_ACTIONS:
            original = getattr(cls, method, None)
            if not callable(original) or getattr(original, "_nixotel_action", False):
                continue
            try:
                setattr(cls, method, _nixotel_traced_method(method, original))
            except (TypeError, ValueError) as err:  # no signature to read (a builtin): left as it is
                _nixotel_report(f"cannot trace {cls.__qualname__}.{method}", err)


def nixotel_begin(name: str, suite: str, attributes_json: str = "{}", *, constants_json: str) -> None:
    """Open the test span and trace every `with subtest(...)`; called once, right after this prelude.

    `attributes_json` is a JSON object of extra attributes for the test span (nixotel.json's `attributes`).
    `constants_json` holds the values this prelude shares with Nix and TypeScript (modules/lib/constants.json:
    `serviceName`, `sharedFolder`), passed by nixotel.lib.tracedTestScript so that they are written once.
    """
    global _nixotel, _nixotel_lines_before_script
    if not isinstance(name, str) or not isinstance(suite, str):
        raise TypeError(f"nixotel_begin: expected name and suite as strings, got {name!r} and {suite!r}")
    attributes = _json.loads(attributes_json)
    if not isinstance(attributes, dict):
        raise TypeError(f"nixotel_begin: expected attributes_json to be a JSON object, got {attributes_json!r}")
    constants = _json.loads(constants_json)
    if not isinstance(constants, dict) or not isinstance(constants.get("sharedFolder"), dict):
        raise TypeError("nixotel_begin: expected constants_json to be modules/lib/constants.json's serviceName and "
                        f"sharedFolder, got {constants_json!r}; wrap the testScript with nixotel.lib.tracedTestScript")
    if _nixotel is not None:
        return
    # This call's line is the last one before the user's script (tracedTestScript puts it there).
    caller = _sys._getframe(1)
    if caller.f_code.co_filename == "<string>":  # the text the driver exec()s
        _nixotel_lines_before_script = caller.f_lineno
    trace = _NixotelTrace(name, suite, _Path(driver.out_dir), _nixotel_find_shared_dir(), attributes, constants)
    _nixotel = trace
    _nixotel_hook_process(trace)
    _nixotel_trace_actions(_nixotel_machines())
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
