#!/usr/bin/env bash
# emit_test_span.sh: send one OpenTelemetry span for a test case over OTLP/HTTP (JSON), and keep a copy
# in the nixotel spool. Telemetry must never break a test: delivery problems are warnings (exit 0)
# unless --strict is given; bad arguments exit 2. Once the span is in the spool, the POST goes on in a
# background subshell and the script returns at once (unless --wait, --strict or --verbose). One
# deadline bounds the whole run, delivery included, from this line to the last exit:
# OTEL_EXPORTER_OTLP_TIMEOUT (default 3000 ms) + a fixed slack of 250 ms. Every string is
# handled in linear time, a collector's answer is read up to 16 KiB, and no header value or URL
# userinfo is ever printed. Pure bash apart from curl (one call per attempt; a forked subshell reads its
# answer when delivery goes on in the background), and mkdir and sleep from
# coreutils on rare paths (a missing spool folder, a retry). Needs bash >= 5.1 and
# curl >= 7.84. Reads top-down: main, then each step in the order main takes it. Docs: docs/emitter.md.
START_US=${EPOCHREALTIME//[!0-9]/} # the deadline counts from here
set -uo pipefail                  # no -e: every failure below is handled, and none may abort the calling test

if ((BASH_VERSINFO[0] < 5 || (BASH_VERSINFO[0] == 5 && BASH_VERSINFO[1] < 1))); then
  echo "emit_test_span.sh: expected bash >= 5.1 (for \$SRANDOM), got $BASH_VERSION; install a newer bash" >&2
  exit 2
fi
LC_ALL=C # byte semantics for ${#s}, ${s:i}, globs and regexes: escaping works on bytes, not characters
shopt -u patsub_replacement 2>/dev/null || true # bash 5.2: `&` in ${s//p/r} must stay a literal `&`

readonly PROG=emit_test_span.sh BS=$'\\' DQ='"' DEFAULT_TIMEOUT_MS=3000 SLACK_MS=250
readonly CHUNK=256         # strings longer than this are encoded piece by piece: linear, whatever the input
readonly ANSWER_CAP=16384  # bytes of a collector's answer (headers and body) read; the rest is not read
readonly CURL_MARK='@nixotel-curl ' # starts the line curl writes after the answer: exit code, message

main() {
  read_deadline
  parse_arguments "$@"
  check_arguments
  resolve_times
  resolve_parent
  if build_span; then
    spool_span
    export_span
  else
    FAILED=1
    warn "span neither sent nor spooled: encoding its names and attributes did not finish within the ${TIMEOUT_MS} ms deadline"
  fi
  ((PRINT_TRACEPARENT)) && printf '00-%s-%s-%s\n' "$TRACE_ID" "$SPAN_ID" "$FLAGS"
  if [[ -n $POST_TO ]]; then
    may_return_before_delivery && hand_off # which exits
    deliver
  fi
  finish
}

usage() {
  cat <<'EOF'
Usage: emit_test_span.sh [OPTION]... [--] NAME passed|failed [DURATION_MS]

Send one span `test.NAME` (or `test.SUITE.NAME`) that ended now and lasted DURATION_MS (default 0).

Options:
  --suite SUITE          test suite name (span test.SUITE.NAME, attribute test.suite.name)
  --attr KEY=VALUE       extra attribute; VALUE typed: integer, true/false, else string (repeatable)
  --attr-string KEY=VALUE  extra attribute, always a string
  --kind KIND            internal (default), server, client, producer or consumer
  --start-ns NS          start time, unix nanoseconds (default: end - DURATION_MS)
  --end-ns NS            end time, unix nanoseconds (default: now, or start + DURATION_MS)
  --parent TRACEPARENT   parent span, W3C `00-<32 hex>-<16 hex>-<2 hex>` (default: $TRACEPARENT,
                         else the first line of $NIXOTEL_TRACEPARENT_FILE)
  --print-traceparent    print the new span's traceparent on stdout, to parent child spans
  --strict               exit 1 when the span could not be delivered or spooled (waits for delivery)
  --wait                 return only once the span is delivered or given up (also NIXOTEL_EMIT_WAIT=1);
                         without it, a span written to the spool is delivered in the background
  --verbose              say on stderr what happens and when (never a header value or URL userinfo;
                         waits for delivery)
  -h, --help             show this help
  --                     end of options (for a NAME that starts with `-`)

Environment: OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT, _HEADERS, _TIMEOUT (ms, default 3000: the deadline
for the whole run, + 250 ms slack), OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES, OTEL_TRACES_EXPORTER,
NIXOTEL_SPOOL_DIR, NIXOTEL_TRACEPARENT_FILE, NIXOTEL_EMIT_WAIT.
Exit: 0 sent, handed to the background or not delivered without --strict; 1 delivery failed with
--strict; 2 bad arguments.
EOF
}

# ---- the deadline -----------------------------------------------------------------------------------

now_us() { REPLY=${EPOCHREALTIME//[!0-9]/}; } # microseconds, whatever the decimal mark
elapsed_ms() { now_us && REPLY=$(((REPLY - START_US) / 1000)); }
left_ms() { now_us && REPLY=$(((DEADLINE_US - REPLY) / 1000)) && ((REPLY > 0)); } # 1 when none is left
as_seconds() { printf -v REPLY '%d.%03d' $(($1 / 1000)) $(($1 % 1000)); }

read_deadline() { # TIMEOUT_MS and DEADLINE_US, first of all: they bound everything that follows
  TIMEOUT_MS=$DEFAULT_TIMEOUT_MS TIMEOUT_PROBLEM=''
  if first OTEL_EXPORTER_OTLP_TRACES_TIMEOUT OTEL_EXPORTER_OTLP_TIMEOUT; then
    if [[ $REPLY =~ ^[0-9]{1,9}$ ]] && ((10#$REPLY > 0)); then
      TIMEOUT_MS=$((10#$REPLY))
    else
      shown "$REPLY"
      TIMEOUT_PROBLEM="expected OTEL_EXPORTER_OTLP_TIMEOUT to be positive milliseconds, got $REPLY; using $DEFAULT_TIMEOUT_MS"
    fi
  fi
  DEADLINE_US=$((START_US + TIMEOUT_MS * 1000))
}

# ---- arguments --------------------------------------------------------------------------------------

SUITE='' KIND=1 START_NS='' END_NS='' PRINT_TRACEPARENT=0 STRICT=0 VERBOSE=0 WAIT=0 USER_ATTRS=() POSITIONAL=()
PARENT_TRACE='' PARENT_SPAN='' PARENT_FLAGS=''

parse_arguments() { # linear in the number of arguments (no `set --` per option)
  local arg value inline
  while (($#)); do
    arg=$1 value='' inline=0
    shift
    if [[ $arg == --?*=* ]]; then # --option=value
      value=${arg#*=} arg=${arg%%=*} inline=1
    fi
    case $arg in
      --) POSITIONAL+=("$@") && break ;;
      -h | --help | --print-traceparent | --strict | --verbose | --wait)
        ((inline)) && die_usage "expected no value after $arg"
        case $arg in
          --print-traceparent) PRINT_TRACEPARENT=1 ;;
          --strict) STRICT=1 ;;
          --verbose) VERBOSE=1 ;;
          --wait) WAIT=1 ;;
          *) usage && exit 0 ;;
        esac
        ;;
      --suite | --attr | --attr-string | --kind | --start-ns | --end-ns | --parent)
        if ((!inline)); then
          (($#)) || die_usage "expected a value after $arg"
          value=$1
          shift
        fi
        take_option "$arg" "$value"
        ;;
      -?*) shown "$arg" && die_usage "unknown option $REPLY (put -- before a NAME that starts with -)" ;;
      *) POSITIONAL+=("$arg") ;;
    esac
  done
}

take_option() { # OPTION VALUE
  case $1 in
    --suite) SUITE=$2 ;;
    --attr | --attr-string)
      [[ $2 == ?*=* ]] || { shown "$2" && die_usage "expected $1 KEY=VALUE with a non-empty KEY, got $REPLY"; }
      USER_ATTRS+=("$1" "$2")
      ;;
    --kind)
      case $2 in
        internal) KIND=1 ;; server) KIND=2 ;; client) KIND=3 ;; producer) KIND=4 ;; consumer) KIND=5 ;;
        *) shown "$2" && die_usage "expected --kind to be internal, server, client, producer or consumer, got $REPLY" ;;
      esac
      ;;
    --start-ns | --end-ns)
      is_ns "$2" || { shown "$2" && die_usage "expected $1 to be unix nanoseconds (digits only, fits int64), got $REPLY"; }
      if [[ $1 == --start-ns ]]; then START_NS=$((10#$2)); else END_NS=$((10#$2)); fi
      ;;
    --parent)
      parse_traceparent "$2" || { shown "$2" &&
        die_usage "expected --parent to be a W3C traceparent 00-<32 hex>-<16 hex>-<2 hex> (lowercase, ids not all zero), got $REPLY"; }
      ;;
  esac
}

check_arguments() { # NAME, RESULT (status), DURATION_NS from the positionals
  ((${#POSITIONAL[@]} == 2 || ${#POSITIONAL[@]} == 3)) ||
    die_usage "expected NAME passed|failed [DURATION_MS], got ${#POSITIONAL[@]} argument(s)"
  NAME=${POSITIONAL[0]} RESULT=${POSITIONAL[1]}
  [[ -n $NAME ]] || die_usage "expected a non-empty NAME"
  case $RESULT in
    passed) STATUS_CODE=1 CASE_STATUS=pass ;;
    failed) STATUS_CODE=2 CASE_STATUS=fail ;;
    *) shown "$RESULT" && die_usage "expected the result to be passed or failed, got $REPLY" ;;
  esac
  DURATION_NS=0
  if ((${#POSITIONAL[@]} == 3)); then
    [[ ${POSITIONAL[2]} =~ ^[0-9]{1,12}$ ]] || { shown "${POSITIONAL[2]}" &&
      die_usage "expected DURATION_MS to be a whole number of milliseconds (at most 12 digits), got $REPLY"; }
    [[ -n $START_NS && -n $END_NS ]] && die_usage "expected at most two of --start-ns, --end-ns and DURATION_MS"
    DURATION_NS=$((10#${POSITIONAL[2]} * 1000000))
  fi
  [[ -n $TIMEOUT_PROBLEM ]] && warn "$TIMEOUT_PROBLEM"
  verbose "deadline ${TIMEOUT_MS} ms from the start (+ ${SLACK_MS} ms slack)"
}

resolve_times() { # end defaults to now (or start + duration), start to end - duration
  if [[ -z $END_NS ]]; then
    if [[ -n $START_NS ]] && ((${#POSITIONAL[@]} == 3)); then
      ((START_NS <= 9223372036854775807 - DURATION_NS)) || die_usage "expected --start-ns + DURATION_MS to fit int64"
      END_NS=$((START_NS + DURATION_NS))
    else
      now_us
      END_NS=$((REPLY * 1000))
    fi
  fi
  [[ -n $START_NS ]] || START_NS=$((END_NS - DURATION_NS))
  ((0 <= START_NS && START_NS <= END_NS)) ||
    die_usage "expected 0 <= start <= end, got start $START_NS ns and end $END_NS ns"
}

resolve_parent() { # --parent, else $TRACEPARENT, else the file the testScript prelude keeps up to date
  local line=''
  if [[ -z $PARENT_TRACE ]] && first TRACEPARENT && ! parse_traceparent "$REPLY"; then
    shown "$REPLY"
    warn "ignoring TRACEPARENT=$REPLY: not a W3C traceparent; starting a new trace"
  fi
  if [[ -z $PARENT_TRACE ]] && first NIXOTEL_TRACEPARENT_FILE && [[ -f $REPLY ]]; then
    { IFS= read -r -n 512 line || true; } 2>/dev/null <"$REPLY" # the first line, never a whole big file
    trim "$line"
    if [[ -n $REPLY ]] && ! parse_traceparent "$REPLY"; then
      shown "$REPLY"
      warn "ignoring $REPLY from NIXOTEL_TRACEPARENT_FILE: not a W3C traceparent; starting a new trace"
    fi
  fi
  if [[ -n $PARENT_TRACE ]]; then
    TRACE_ID=$PARENT_TRACE FLAGS=$PARENT_FLAGS
  else
    random_hex 4
    TRACE_ID=$REPLY FLAGS=01
  fi
  random_hex 2
  SPAN_ID=$REPLY
}

parse_traceparent() { # sets PARENT_*; returns 1 unless $1 is a valid W3C traceparent
  [[ $1 =~ ^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$ ]] || return 1
  [[ ${BASH_REMATCH[1]} != ff && ${BASH_REMATCH[2]} == *[!0]* && ${BASH_REMATCH[3]} == *[!0]* ]] || return 1
  [[ ${BASH_REMATCH[1]} == 00 && -n ${BASH_REMATCH[5]} ]] && return 1 # version 00 has exactly 4 fields
  PARENT_TRACE=${BASH_REMATCH[2]} PARENT_SPAN=${BASH_REMATCH[3]} PARENT_FLAGS=${BASH_REMATCH[4]}
}

# ---- the span ---------------------------------------------------------------------------------------

# BODY := the OTLP/JSON request for the span; 1 when the deadline passed while encoding it.
build_span() {
  local i pair name suite
  LATE=0 REPAIRED=0
  json_text "$NAME" || return 1
  name=$REPLY
  json_text "$SUITE" || return 1
  suite=$REPLY
  # Span attributes: the semantic conventions', the seed's, then the user's (which may replace them).
  reset_attrs
  set_attr test.case.name "{\"stringValue\":\"$name\"}"
  set_attr test.case.result.status "{\"stringValue\":\"$CASE_STATUS\"}"
  [[ -n $SUITE ]] && set_attr test.suite.name "{\"stringValue\":\"$suite\"}"
  set_attr test.name "{\"stringValue\":\"$name\"}"
  set_attr test.result "{\"stringValue\":\"$RESULT\"}"
  [[ -n $SUITE ]] && set_attr test.suite "{\"stringValue\":\"$suite\"}"
  for ((i = 0; i < ${#USER_ATTRS[@]} && !LATE; i += 2)); do
    pair=${USER_ATTRS[i + 1]}
    if [[ ${USER_ATTRS[i]} == --attr ]]; then
      set_typed_attr "${pair%%=*}" "${pair#*=}"
    else
      set_string_attr "${pair%%=*}" "${pair#*=}"
    fi
  done
  attrs_json
  local span_attrs=$REPLY
  # Resource: defaults, then OTEL_RESOURCE_ATTRIBUTES, then OTEL_SERVICE_NAME (the spec's precedence).
  reset_attrs
  set_string_attr service.name nixos-integration-tests
  [[ -n ${HOSTNAME:-} ]] && set_string_attr host.name "$HOSTNAME"
  if first OTEL_RESOURCE_ATTRIBUTES; then
    parse_pairs "$REPLY"
    for i in "${!BAD_ENTRIES[@]}"; do
      shown "${BAD_ENTRIES[i]}"
      warn "ignoring $REPLY in OTEL_RESOURCE_ATTRIBUTES: expected key=value"
    done
    for ((i = 0; i < ${#PAIR_KEYS[@]} && !LATE; i++)); do set_string_attr "${PAIR_KEYS[i]}" "${PAIR_VALUES[i]}"; done
  fi
  first OTEL_SERVICE_NAME && set_string_attr service.name "$REPLY"
  attrs_json
  local resource_attrs=$REPLY
  ((LATE)) && return 1
  ((REPAIRED)) && warn "replaced bytes that are not UTF-8 with U+FFFD (OTLP strings must be UTF-8)"
  [[ -n $SUITE ]] && name="$suite.$name"
  BODY="{\"resourceSpans\":[{\"resource\":{\"attributes\":$resource_attrs},\
\"scopeSpans\":[{\"scope\":{\"name\":\"nixotel.emit_test_span\"},\"spans\":[{\"traceId\":\"$TRACE_ID\",\
\"spanId\":\"$SPAN_ID\",${PARENT_SPAN:+\"parentSpanId\":\"$PARENT_SPAN\",}\"name\":\"test.$name\",\
\"kind\":$KIND,\"startTimeUnixNano\":\"$START_NS\",\"endTimeUnixNano\":\"$END_NS\",\
\"attributes\":$span_attrs,\"status\":{\"code\":$STATUS_CODE}}]}]}]}"
  ((VERBOSE)) || return 0
  elapsed_ms
  local at=$REPLY
  shown "test.${SUITE:+$SUITE.}$NAME"
  verbose "span $REPLY built (${#BODY} bytes) at $at ms"
}

# Attributes in order of first appearance; a later key replaces an earlier one's value in place.
reset_attrs() {
  ATTR_KEYS=() ATTR_VALUES=()
  unset ATTR_SLOT
  declare -gA ATTR_SLOT=() # raw key (prefixed, so `@` and `*` are plain keys) -> index
}
set_attr() { # RAW_KEY JSON_VALUE
  local slot=${ATTR_SLOT["k:$1"]-}
  if [[ -n $slot ]]; then
    ATTR_VALUES[slot]=$2
    return
  fi
  ATTR_SLOT["k:$1"]=${#ATTR_KEYS[@]}
  json_text "$1"
  ATTR_KEYS+=("\"$REPLY\"") ATTR_VALUES+=("$2")
}
set_string_attr() {
  json_text "$2"
  set_attr "$1" "{\"stringValue\":\"$REPLY\"}"
}
# --attr typing: canonical int64 decimal → intValue, true/false → boolValue, anything else → string
# ("007", "1.5", "1e3" stay strings, so versions and zip codes keep their spelling).
set_typed_attr() {
  local v=$2 digits=${2#-}
  if [[ $v =~ ^-?(0|[1-9][0-9]{0,18})$ ]] &&
    if [[ $v == -* ]]; then at_most_2p63 "$digits" 8; else at_most_2p63 "$digits" 7; fi; then
    set_attr "$1" "{\"intValue\":\"$v\"}"
  elif [[ $v == true || $v == false ]]; then
    set_attr "$1" "{\"boolValue\":$v}"
  else
    set_string_attr "$1" "$v"
  fi
}
attrs_json() { # REPLY := the JSON array of the current attributes
  local i out=''
  for i in "${!ATTR_KEYS[@]}"; do out+="${out:+,}{\"key\":${ATTR_KEYS[i]},\"value\":${ATTR_VALUES[i]}}"; done
  REPLY="[$out]"
}
# Whether the digits $1 are at most 2^63 - 8 + $2 (int64 max: $2 = 7), without overflowing bash's int64.
at_most_2p63() {
  ((${#1} < 19)) && return 0
  ((${#1} == 19)) && ((10#${1:0:18} < 922337203685477580 || (10#${1:0:18} == 922337203685477580 && ${1:18} <= $2)))
}

# ---- JSON text in linear time -----------------------------------------------------------------------
# bash's ${s//p/r} and ${s:i} cost time in proportion to the whole string, so a long string is cut into
# CHUNK-byte pieces (read -N from a here-string: one linear pass) and each piece is repaired and escaped.

# REPLY := $1 as the inside of a JSON string: invalid UTF-8 replaced by U+FFFD (REPAIRED=1), then
# backslash, quote and every control byte escaped. Returns 1 (LATE=1) once the deadline has passed.
json_text() {
  if ((${#1} <= CHUNK)); then
    UTF8_CARRY=''
    escape_piece "$1" 1
    return 0
  fi
  local out='' i last
  split_pieces "$1"
  last=$((${#PIECES[@]} - 1))
  UTF8_CARRY=''
  for ((i = 0; i <= last; i++)); do
    if ! left_ms; then
      LATE=1 REPLY=''
      return 1
    fi
    escape_piece "${PIECES[i]}" $((i == last))
    out+=$REPLY
  done
  REPLY=$out
}

split_pieces() { # PIECES := $1 cut into CHUNK-byte pieces, in one pass over a here-string
  local piece
  PIECES=()
  while IFS= read -r -N "$CHUNK" piece; do PIECES+=("$piece"); done <<<"$1"
  [[ -n $piece ]] && PIECES+=("$piece")
  PIECES[-1]=${PIECES[-1]%$'\n'} # the newline the here-string added
}

# REPLY := the escaped piece $UTF8_CARRY$1. Unless $2 (last piece), a character cut at the end of the
# piece is kept back in UTF8_CARRY for the next one. Lead bytes (c2-f4) never continue a character, so
# the carried bytes always start one.
escape_piece() {
  local s=$UTF8_CARRY$1
  UTF8_CARRY=''
  if ((!$2)); then
    case $s in
      *[$'\xc2'-$'\xf4']) UTF8_CARRY=${s: -1} ;;
      *[$'\xe0'-$'\xf4'][$'\x80'-$'\xbf']) UTF8_CARRY=${s: -2} ;;
      *[$'\xf0'-$'\xf4'][$'\x80'-$'\xbf'][$'\x80'-$'\xbf']) UTF8_CARRY=${s: -3} ;;
    esac
    s=${s:0:${#s}-${#UTF8_CARRY}}
  fi
  if [[ $s == *[$'\x80'-$'\xff']* ]] && ! is_utf8 "$s"; then
    repair_utf8 "$s"
    s=$REPLY REPAIRED=1
  fi
  if [[ $s == *[\"\\]* ]]; then
    s=${s//"$BS"/"$BS$BS"}
    s=${s//"$DQ"/"$BS$DQ"}
  fi
  local before ch code escaped
  while [[ $s == *[$'\x01'-$'\x1f\x7f']* ]]; do # once per distinct control byte present
    before=${s%%[$'\x01'-$'\x1f\x7f']*}
    ch=${s:${#before}:1}
    printf -v code '%d' "'$ch"
    case $code in
      8) escaped=${BS}b ;; 9) escaped=${BS}t ;; 10) escaped=${BS}n ;; 12) escaped=${BS}f ;; 13) escaped=${BS}r ;;
      *) printf -v escaped '\\u%04x' "$code" ;;
    esac
    s=${s//"$ch"/"$escaped"}
  done
  REPLY=$s
}

# Whether $1 is well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF), by
# looking for each way it can fail: globs, several times faster here than one regex of the valid forms.
is_utf8() {
  case $1 in
    [$'\x80'-$'\xbf']* | *[$'\x01'-$'\x7f'][$'\x80'-$'\xbf']* | *[$'\xc0\xc1\xf5'-$'\xff']*) return 1 ;; # stray, never valid
    *[$'\xc2'-$'\xf4'] | *[$'\xc2'-$'\xf4'][!$'\x80'-$'\xbf']*) return 1 ;; # a lead byte without continuation
    *[$'\xe0'-$'\xf4'][$'\x80'-$'\xbf'] | *[$'\xe0'-$'\xf4'][$'\x80'-$'\xbf'][!$'\x80'-$'\xbf']*) return 1 ;;
    *[$'\xf0'-$'\xf4'][$'\x80'-$'\xbf'][$'\x80'-$'\xbf'] | *[$'\xf0'-$'\xf4'][$'\x80'-$'\xbf'][$'\x80'-$'\xbf'][!$'\x80'-$'\xbf']*) return 1 ;;
    *[$'\xc2'-$'\xdf'][$'\x80'-$'\xbf'][$'\x80'-$'\xbf']*) return 1 ;; # a continuation too many
    *[$'\xe0'-$'\xef'][$'\x80'-$'\xbf'][$'\x80'-$'\xbf'][$'\x80'-$'\xbf']*) return 1 ;;
    *[$'\xf0'-$'\xf4'][$'\x80'-$'\xbf'][$'\x80'-$'\xbf'][$'\x80'-$'\xbf'][$'\x80'-$'\xbf']*) return 1 ;;
    *$'\xe0'[$'\x80'-$'\x9f']* | *$'\xf0'[$'\x80'-$'\x8f']*) return 1 ;; # overlong
    *$'\xed'[$'\xa0'-$'\xbf']* | *$'\xf4'[$'\x90'-$'\xbf']*) return 1 ;; # surrogate, above U+10FFFF
  esac
}

readonly FFFD=$'\xef\xbf\xbd'
# REPLY := the piece $1 (at most CHUNK + 3 bytes) with each byte that is not part of a well-formed
# character replaced by U+FFFD. One pass; patterns are tried on the next 4 bytes only (bash matches in
# time proportional to the string), and runs of ASCII, of bytes no character starts with (80-c1, f5-ff)
# and of lead bytes followed by lead bytes are taken at once.
repair_utf8() {
  local rest=$1 out='' n run head
  while [[ -n $rest ]]; do
    head=${rest:0:4}
    case $head in
      [!$'\x80'-$'\xff']*) run=${rest%%[$'\x80'-$'\xff']*} n=${#run} ;;
      [$'\x80'-$'\xc1\xf5'-$'\xff']*)
        run=${rest%%[!$'\x80'-$'\xc1\xf5'-$'\xff']*}
        rest=${rest:${#run}} out+=${run//?/$FFFD}
        continue
        ;;
      [$'\xc2'-$'\xf4'][$'\xc2'-$'\xf4']*) # every lead byte but the last of the run has no continuation
        run=${rest%%[!$'\xc2'-$'\xf4']*}
        run=${run:1}
        rest=${rest:${#run}} out+=${run//?/$FFFD}
        continue
        ;;
      [$'\xc2'-$'\xdf'][$'\x80'-$'\xbf']*) n=2 ;;
      [$'\xe1'-$'\xec\xee\xef'][$'\x80'-$'\xbf'][$'\x80'-$'\xbf']* | $'\xe0'[$'\xa0'-$'\xbf'][$'\x80'-$'\xbf']* | \
        $'\xed'[$'\x80'-$'\x9f'][$'\x80'-$'\xbf']*) n=3 ;;
      [$'\xf1'-$'\xf3'][$'\x80'-$'\xbf'][$'\x80'-$'\xbf'][$'\x80'-$'\xbf'] | \
        $'\xf0'[$'\x90'-$'\xbf'][$'\x80'-$'\xbf'][$'\x80'-$'\xbf'] | $'\xf4'[$'\x80'-$'\x8f'][$'\x80'-$'\xbf'][$'\x80'-$'\xbf']) n=4 ;;
      *) # a lead byte that starts no well-formed character, and the ASCII after it
        rest=${rest:1} run=${rest%%[$'\x80'-$'\xff']*}
        out+=$FFFD$run rest=${rest:${#run}}
        continue
        ;;
    esac
    out+=${rest:0:n} rest=${rest:n}
  done
  REPLY=$out
}

# ---- the spool --------------------------------------------------------------------------------------
# One file per span, created exclusively under its final name and written by one printf: concurrent
# emitters (in one VM or many, over 9p) never write into the same file, and a reader tells a file still
# being written (or left by a killed emitter) by its missing final newline. No rename: bash cannot
# rename a file, and an `mv` per span was the emitter's one process start besides curl (issue 14).
spool_span() {
  SPOOLED=0
  first NIXOTEL_SPOOL_DIR || return 0
  local dir=$REPLY host=${HOSTNAME:-localhost}
  host=${host//[!A-Za-z0-9_.-]/_}
  SPOOL_FILE=$dir/$host.$SPAN_ID.jsonl SPOOL_DIR=$dir
  # The folder is made (one mkdir) only when the first write fails: no stat of it for every span.
  if { write_new_file "$SPOOL_FILE" || { mkdir -p -- "$dir" && write_new_file "$SPOOL_FILE"; }; } 2>/dev/null; then
    SPOOLED=1
    if ((VERBOSE)); then
      elapsed_ms
      local at=$REPLY
      shown "$SPOOL_FILE"
      verbose "spooled to $REPLY by $at ms"
    fi
  else
    spool_failed
  fi
}
spool_failed() {
  FAILED=1
  shown "$SPOOL_DIR"
  warn "could not write the span to the spool $REPLY"
}
write_new_file() { # $1 := BODY and a newline; fails if $1 exists (noclobber: O_EXCL), never appends
  local status
  set -C
  printf '%s\n' "$BODY" >"$1"
  status=$?
  set +C
  return "$status"
}

# ---- export -----------------------------------------------------------------------------------------

# The console exporter prints now; the otlp one (sent once, however often listed) is prepared here
# (POST_TO, CURL_CONFIG) and sent by `deliver`, now or in the background (main).
export_span() {
  local exporters exporter otlp=0
  first OTEL_TRACES_EXPORTER || REPLY=otlp
  exporters=("$REPLY")
  [[ $REPLY == *,* ]] && mapfile -d , -t exporters <<<"$REPLY" # split only a list: no here-string per span
  for exporter in "${exporters[@]}"; do
    trim "$exporter"
    case $REPLY in
      none | '') ;;
      console) printf '%s\n' "$BODY" ;;
      otlp) otlp=1 ;;
      *)
        shown "$REPLY"
        warn "ignoring OTEL_TRACES_EXPORTER entry $REPLY: expected otlp, console or none"
        ;;
    esac
  done
  ((otlp)) && prepare_post
}

prepare_post() { # POST_TO := the endpoint as it may be shown; stays empty when the span cannot be sent
  local url
  if first OTEL_EXPORTER_OTLP_TRACES_ENDPOINT; then
    url=$REPLY
  else
    first OTEL_EXPORTER_OTLP_ENDPOINT || REPLY=http://localhost:4318
    url=${REPLY%/}/v1/traces
  fi
  note_url_secrets "$url"
  if ! type -P curl >/dev/null; then
    warn "span not sent: curl not found on PATH"
    FAILED=1
    return
  fi
  if [[ $url == *[$'\x01'-$'\x1f\x7f']* ]]; then # a newline would add a line to curl's config
    shown_url "$url"
    warn "span not sent: expected OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT to be a URL without control characters, got $REPLY"
    FAILED=1
    return
  fi
  config_quote "$url"
  CURL_CONFIG="url = $REPLY"$'\n''header = "Content-Type: application/json"'$'\n''header = "Expect:"'$'\n'
  add_headers
  shown_url "$url"
  POST_TO=$REPLY
}

# Whether the caller may get back before delivery ends: only once the span is safe in the spool, and
# only when nothing it asked for needs the collector's answer. NIXOTEL_EMIT_WAIT=1 is --wait.
may_return_before_delivery() {
  ((SPOOLED && !STRICT && !VERBOSE && !WAIT)) || return 1
  first NIXOTEL_EMIT_WAIT || return 0
  [[ $REPLY == 0 ]] && return 0
  if [[ $REPLY != 1 ]]; then
    shown "$REPLY"
    warn "expected NIXOTEL_EMIT_WAIT to be 1 (wait for delivery) or 0, got $REPLY; waiting"
  fi
  return 1
}

# Delivery goes on in a forked subshell (no new program) and the script exits 0 now. Its stdin and
# stdout are /dev/null, so a caller that reads our stdout to its end (the NixOS test driver pipes it
# into base64) is not held up by it; stderr stays the caller's, for its warnings. It keeps the same
# deadline, counted from the script's start. No `trap '' HUP`: a SIGHUP (the end of the session, e.g.
# systemd stopping the driver's backdoor shell at shutdown) may end it, as the span is in the spool.
hand_off() {
  deliver </dev/null >/dev/null &
  disown
  exit 0
}

deliver() { # POST the span prepared by prepare_post; a warning (and FAILED) when it is not delivered
  verbose "POST $POST_TO${HEADER_NAMES:+ with headers $HEADER_NAMES (values hidden)}"
  send_with_retries && return 0
  local why=$REPLY kept=''
  ((SPOOLED)) && kept='; it is kept in the spool'
  warn "span not delivered to $POST_TO: $why$kept"
  FAILED=1
}

# CURL_CONFIG += one `header = …` line per valid entry of OTEL_EXPORTER_OTLP_[TRACES_]HEADERS.
# Entries that cannot be a header are named by position and header name only: their text may be a secret.
add_headers() {
  local i name
  HEADER_NAMES=''
  first OTEL_EXPORTER_OTLP_TRACES_HEADERS OTEL_EXPORTER_OTLP_HEADERS || return 0
  parse_pairs "$REPLY"
  for i in "${!BAD_ENTRIES[@]}"; do
    note_secret "${BAD_ENTRIES[i]}"
    header_hint "${BAD_ENTRIES[i]}" "${BAD_POSITIONS[i]}"
    warn "ignoring OTEL_EXPORTER_OTLP_HEADERS entry $REPLY: expected key=value, e.g. Authorization=Bearer%20TOKEN"
  done
  for i in "${!PAIR_KEYS[@]}"; do
    name=${PAIR_KEYS[i]}
    note_secret "${PAIR_VALUES[i]}"
    if [[ ! $name =~ ^[A-Za-z0-9_.-]+$ ]]; then
      note_secret "$name"
      header_hint "$name" "${PAIR_POSITIONS[i]}"
      warn "ignoring OTEL_EXPORTER_OTLP_HEADERS entry $REPLY: expected a header name of letters, digits, -, _ or . before the =, e.g. Authorization=Bearer%20TOKEN"
    elif [[ ${PAIR_VALUES[i]} == *[$'\x01'-$'\x1f\x7f']* ]]; then
      warn "ignoring header $name from OTEL_EXPORTER_OTLP_HEADERS: its value (hidden) holds a control character"
    else
      config_quote "$name: ${PAIR_VALUES[i]}"
      CURL_CONFIG+="header = $REPLY"$'\n'
      HEADER_NAMES+="${HEADER_NAMES:+, }$name"
    fi
  done
}
# REPLY := how to name a bad header entry: its position, and the header name when it reads `Name: …`.
header_hint() {
  if [[ $1 =~ ^[[:space:]]*([A-Za-z0-9_.-]+)[[:space:]]*: ]]; then
    REPLY="$2 (${BASH_REMATCH[1]}: …, value hidden; write ${BASH_REMATCH[1]}=VALUE)"
  else
    REPLY="$2 (text hidden)"
  fi
}
config_quote() { # REPLY := $1 quoted for curl -K; linear (long values are escaped piece by piece)
  local s=$1
  if [[ $s == *[\"\\]* ]]; then
    if ((${#s} > CHUNK)); then
      local piece out='' i
      split_pieces "$s"
      for i in "${!PIECES[@]}"; do
        piece=${PIECES[i]//"$BS"/"$BS$BS"}
        out+=${piece//"$DQ"/"$BS$DQ"}
      done
      s=$out
    else
      s=${s//"$BS"/"$BS$BS"} s=${s//"$DQ"/"$BS$DQ"}
    fi
  fi
  REPLY="$DQ$s$DQ"
}

# ---- delivery ---------------------------------------------------------------------------------------

# POSTs $BODY with $CURL_CONFIG until accepted, retrying 429/502/503/504 as the OTLP spec says, never
# past the deadline. 0 when accepted, else 1 and REPLY = why.
send_with_retries() {
  local attempt=0 delay_ms code
  while :; do
    if ! left_ms; then
      REPLY="no answer within the ${TIMEOUT_MS} ms deadline"
      return 1
    fi
    ((attempt++))
    post_once "$REPLY" || return 1
    code=$ANSWER_CODE
    elapsed_ms
    verbose "attempt $attempt: HTTP $code at $REPLY ms${ANSWER_CUT:+ (answer cut at $ANSWER_CAP bytes)}"
    if [[ $code == 2?? ]]; then
      rejected_spans "$ANSWER_BODY" || return 0
      answer_excerpt
      REPLY="the collector rejected it (partial success): $REPLY"
      return 1
    elif [[ $code != 429 && $code != 50[234] ]]; then
      answer_excerpt
      REPLY="HTTP $code, not retried: $REPLY"
      return 1
    fi
    retry_delay "$attempt"
    delay_ms=$REPLY
    left_ms
    if ((delay_ms >= REPLY)); then
      REPLY="HTTP $code; retrying after ${delay_ms} ms would pass the ${TIMEOUT_MS} ms deadline"
      return 1
    fi
    verbose "retrying in $delay_ms ms"
    as_seconds "$delay_ms"
    sleep "$REPLY"
  done
}

# One POST within $1 ms: ANSWER_CODE ("000" when there was no HTTP answer), ANSWER_RETRY_AFTER,
# ANSWER_BODY and ANSWER_CUT (set when the answer was longer than ANSWER_CAP and the rest not read);
# 1 and REPLY = why when curl failed or the deadline came first. curl runs as a process substitution
# so that bash's own `read -t` enforces the deadline and reads at most ANSWER_CAP bytes.
post_once() {
  local secs fd pid stream status
  as_seconds "$1"
  secs=$REPLY
  # Config on fd 3 and body on stdin, both here-strings: no secret header or long body on argv
  # (visible in ps, limited to 128 KiB). Headers first (-D -), then the body, then the mark line.
  exec {fd}< <(exec curl -q --silent --max-time "$secs" --config /dev/fd/3 --data-binary @- --dump-header - \
    --write-out "\\n$CURL_MARK%{exitcode} %{errormsg}" 3<<<"$CURL_CONFIG" <<<"$BODY" 2>/dev/null)
  pid=$!
  IFS= read -r -d '' -N "$ANSWER_CAP" -t "$secs" -u "$fd" stream
  status=$?
  exec {fd}<&-
  ANSWER_CUT=''
  if ((status > 128)); then # bash's clock: the deadline came first
    kill "$pid" 2>/dev/null
    REPLY="no answer within the ${TIMEOUT_MS} ms deadline"
    return 1
  elif ((status == 0)); then # ANSWER_CAP bytes and more to come: stop reading
    kill "$pid" 2>/dev/null
    ANSWER_CUT=1
  fi
  parse_answer "$stream"
}

# Sets the ANSWER_* fields from curl's output $1: header blocks, body, then (unless cut) the mark line.
parse_answer() {
  local lines=() i=0 n line rc='' message=
  ANSWER_CODE=000 ANSWER_RETRY_AFTER='' ANSWER_BODY=''
  mapfile -t lines <<<"$1"
  n=${#lines[@]}
  if [[ -z $ANSWER_CUT ]]; then
    line=${lines[n - 1]-}
    if [[ $line != "$CURL_MARK"* ]]; then
      REPLY="curl ended without an answer"
      return 1
    fi
    ((n--))
    line=${line#"$CURL_MARK"}
    rc=${line%% *} message=${line#* }
  fi
  while ((i < n)) && [[ ${lines[i]} =~ ^HTTP/[0-9.]+\ ([0-9]{3}) ]]; do # a header block (1xx ones first)
    ANSWER_CODE=${BASH_REMATCH[1]}
    for ((i++; i < n; i++)); do
      line=${lines[i]%$'\r'}
      [[ -z $line ]] && break
      [[ ${line,,} == retry-after:* ]] && ANSWER_RETRY_AFTER=${line#*:}
    done
    ((i++))
  done
  if [[ $ANSWER_CODE == 000 && -n $ANSWER_CUT ]]; then
    REPLY="an answer of more than $ANSWER_CAP bytes without an HTTP status line"
    return 1
  fi
  ((i < n)) && printf -v ANSWER_BODY '%s\n' "${lines[@]:i:n-i}"
  ANSWER_BODY=${ANSWER_BODY%$'\n'}
  if [[ -z $ANSWER_CUT && $rc != 0 ]]; then
    if [[ $rc == 28 ]]; then
      REPLY="no answer within the ${TIMEOUT_MS} ms deadline (curl exit 28: $message)"
    else
      REPLY="curl exit $rc: ${message:-no message}"
    fi
    return 1
  fi
  return 0
}

# Whether the OTLP partial success in $1 rejected spans: `"rejectedSpans"` (or the proto name
# `"rejected_spans"`), any JSON whitespace, `:`, then a number or an int64 string that is not zero.
# Inside a JSON string a quote is escaped, so this text can only be a key.
readonly REJECTED_SPANS=$'"rejected(Spans|_spans)"[ \t\r\n]*:[ \t\r\n]*"?[ \t\r\n]*0*[1-9]'
rejected_spans() { [[ $1 =~ $REJECTED_SPANS ]]; }

answer_excerpt() { # REPLY := the first 300 bytes of the answer body on one line
  REPLY=${ANSWER_BODY:0:300}
  REPLY=${REPLY//[$'\x01'-$'\x1f\x7f']/ }
}

retry_delay() { # REPLY := ms to wait before attempt $1 + 1: Retry-After, else backoff with jitter
  local at_s
  trim "$ANSWER_RETRY_AFTER"
  if [[ $REPLY =~ ^[0-9]{1,9}$ ]]; then
    REPLY=$((10#$REPLY * 1000))
  elif http_date_s "$REPLY"; then
    at_s=$REPLY
    now_us
    REPLY=$((at_s * 1000 - REPLY / 1000))
    ((REPLY < 0)) && REPLY=0
  else # exponential backoff with jitter: 100, 200, 400 ms … plus up to 100 ms
    REPLY=$((100 * 2 ** ($1 - 1 < 10 ? $1 - 1 : 10) + SRANDOM % 100))
  fi
}
http_date_s() { # REPLY := unix seconds of an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"); 1 if not one
  local re='^[A-Za-z]{3}, ([0-9]{2}) ([A-Za-z]{3}) ([0-9]{4}) ([0-9]{2}):([0-9]{2}):([0-9]{2}) GMT$'
  local months=JanFebMarAprMayJunJulAugSepOctNovDec prefix y m d era yoe days
  [[ $1 =~ $re ]] || return 1
  prefix=${months%%"${BASH_REMATCH[2]}"*}
  [[ $prefix != "$months" ]] && ((${#prefix} % 3 == 0)) || return 1
  y=$((10#${BASH_REMATCH[3]})) m=$((${#prefix} / 3 + 1)) d=$((10#${BASH_REMATCH[1]}))
  ((y -= m <= 2, m += m <= 2 ? 9 : -3)) # days_from_civil (H. Hinnant): years start in March
  era=$((y / 400)) yoe=$((y % 400))
  days=$((era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + (153 * m + 2) / 5 + d - 1 - 719468))
  REPLY=$((days * 86400 + 10#${BASH_REMATCH[4]} * 3600 + 10#${BASH_REMATCH[5]} * 60 + 10#${BASH_REMATCH[6]}))
}

finish() {
  elapsed_ms
  verbose "done in $REPLY ms (deadline ${TIMEOUT_MS} ms + ${SLACK_MS} ms slack)"
  ((FAILED && STRICT)) && exit 1
  exit 0
}

# ---- messages: never a secret -------------------------------------------------------------------------

SECRETS=() FAILED=0 SPOOLED=0 SPOOL_FILE='' SPOOL_DIR='' POST_TO='' HEADER_NAMES=''
note_secret() { ((${#1} >= 4)) && SECRETS+=("$1"); } # shorter values are not credentials, and would mangle numbers
note_url_secrets() { # the userinfo of URL $1, as written and percent-decoded
  [[ $1 =~ ^[A-Za-z][A-Za-z0-9+.-]*://([^/?#]*)@ ]] || return 0
  local userinfo=${BASH_REMATCH[1]}
  note_secret "$userinfo"
  percent_decode "$userinfo" && note_secret "$REPLY"
  percent_decode "${userinfo#*:}" && [[ $userinfo == *:* ]] && note_secret "$REPLY"
}
shown_url() { # REPLY := URL $1 with its userinfo replaced by ***; quoted like `shown` if it has control bytes
  local url=$1
  [[ $url =~ ^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@(.*)$ ]] && url="${BASH_REMATCH[1]}***@${BASH_REMATCH[2]}"
  if [[ $url == *[$'\x01'-$'\x1f\x7f']* ]]; then shown "$url"; else REPLY=$url; fi
}
shown() { # REPLY := $1 quoted as bash %q, cut to 200 bytes with the length given when longer
  if ((${#1} > 200)); then
    printf -v REPLY '%q…(%d bytes)' "${1:0:200}" "${#1}"
  else
    printf -v REPLY '%q' "$1"
  fi
}
redact() { # REPLY := $1 with every known secret replaced by ***
  local secret
  REPLY=$1
  for secret in "${SECRETS[@]}"; do REPLY=${REPLY//"$secret"/***}; done
}
warn() { redact "$1" && printf '%s: warning: %s\n' "$PROG" "$REPLY" >&2; }
verbose() { ((VERBOSE)) && redact "$1" && printf '%s: %s\n' "$PROG" "$REPLY" >&2; return 0; }
die_usage() {
  printf '%s: %s\n\n' "$PROG" "$1" >&2
  usage >&2
  exit 2
}

# ---- small helpers ----------------------------------------------------------------------------------

is_ns() { [[ $1 =~ ^[0-9]{1,19}$ ]] && at_most_2p63 "$1" 7; }
random_hex() { # REPLY := $1 * 8 random hex digits, never all zero (an invalid id in W3C and OTLP)
  local i
  REPLY=''
  for ((i = 0; i < $1; i++)); do printf -v REPLY '%s%08x' "$REPLY" "$SRANDOM"; done
  [[ $REPLY == *[!0]* ]] || random_hex "$1"
}
trim() { # REPLY := $1 without leading/trailing blanks and CR (a regex: linear, unlike ${s%%…*} on long blanks)
  [[ $1 =~ ^[[:space:]]*(.*[^[:space:]])?[[:space:]]*$ ]]
  REPLY=${BASH_REMATCH[1]}
}
percent_decode() { # REPLY := $1 with %HH decoded; a `%` not followed by two hex digits stays as is
  if [[ $1 != *%* ]]; then
    REPLY=$1
    return 0
  fi
  local parts=() out ch i
  mapfile -d % -t parts <<<"$1" # one linear split
  i=$((${#parts[@]} - 1))
  parts[i]=${parts[i]%$'\n'}
  out=${parts[0]}
  for ((i = 1; i < ${#parts[@]}; i++)); do
    if [[ ${parts[i]:0:2} == [0-9A-Fa-f][0-9A-Fa-f] ]]; then
      printf -v ch '%b' "\\x${parts[i]:0:2}"
      out+=$ch${parts[i]:2}
    else
      out+=%${parts[i]}
    fi
  done
  REPLY=$out
}
# PAIR_KEYS/PAIR_VALUES/PAIR_POSITIONS := the `k=v` items of the OTel list $1 (comma separated, trimmed,
# decoded); BAD_ENTRIES/BAD_POSITIONS := the items that are not `k=v`. Linear: one split.
parse_pairs() {
  local items=() item i
  PAIR_KEYS=() PAIR_VALUES=() PAIR_POSITIONS=() BAD_ENTRIES=() BAD_POSITIONS=()
  mapfile -d , -t items <<<"$1"
  ((${#items[@]})) && items[-1]=${items[-1]%$'\n'}
  for i in "${!items[@]}"; do
    item=${items[i]}
    trim "$item"
    [[ -z $REPLY ]] && continue
    if [[ $REPLY != *=* ]]; then
      BAD_ENTRIES+=("$REPLY") BAD_POSITIONS+=($((i + 1)))
      continue
    fi
    trim "${item%%=*}"
    if [[ -z $REPLY ]]; then
      BAD_ENTRIES+=("$item") BAD_POSITIONS+=($((i + 1)))
      continue
    fi
    percent_decode "$REPLY"
    PAIR_KEYS+=("$REPLY") PAIR_POSITIONS+=($((i + 1)))
    trim "${item#*=}"
    percent_decode "$REPLY"
    PAIR_VALUES+=("$REPLY")
  done
}
first() { # REPLY := the first of the named variables that is set and non-empty (OTel: empty = unset)
  local name
  for name; do
    if [[ -n ${!name:-} ]]; then
      REPLY=${!name}
      return 0
    fi
  done
  REPLY=''
  return 1
}

main "$@"
