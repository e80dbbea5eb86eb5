#!/usr/bin/env bash
# emit_test_span.sh: send one OpenTelemetry span for a test case over OTLP/HTTP (JSON), and append it
# to the nixotel spool. Telemetry must never break a test: delivery problems are warnings (exit 0)
# unless --strict is given; bad arguments exit 2. Pure bash apart from curl (and `mkdir`/`sleep` on the
# rare paths) so that a span costs about one curl call. Needs bash >= 5.1 ($SRANDOM) and curl >= 7.84.
# Full documentation: docs/emitter.md.
set -uo pipefail # no -e: every failure below is handled, and none may abort the calling test

if ((BASH_VERSINFO[0] < 5 || (BASH_VERSINFO[0] == 5 && BASH_VERSINFO[1] < 1))); then
  echo "emit_test_span.sh: expected bash >= 5.1 (for \$SRANDOM), got $BASH_VERSION; install a newer bash" >&2
  exit 2
fi
LC_ALL=C # byte semantics for ${#s}, ${s:i}, globs and regexes: escaping works on bytes, not characters
shopt -u patsub_replacement 2>/dev/null || true # bash 5.2: `&` in ${s//p/r} must stay a literal `&`

readonly PROG=emit_test_span.sh BS=$'\\' DQ='"' DEFAULT_TIMEOUT_MS=3000
# One well-formed UTF-8 character (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF).
readonly UTF8_CHAR=$'[\x01-\x7f]|[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf][\x80-\xbf]|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf][\x80-\xbf]|[\xf1-\xf3][\x80-\xbf][\x80-\xbf][\x80-\xbf]|\xf4[\x80-\x8f][\x80-\xbf][\x80-\xbf]'

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
  --strict               exit 1 when the span could not be delivered or spooled
  -h, --help             show this help
  --                     end of options (for a NAME that starts with `-`)

Environment: OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT, _HEADERS, _TIMEOUT (ms, default 3000),
OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES, OTEL_TRACES_EXPORTER, NIXOTEL_SPOOL_DIR.
Exit: 0 sent (or delivery failed without --strict), 1 delivery failed with --strict, 2 bad arguments.
EOF
}

quoted() { printf -v REPLY '%q' "$1"; }
die_usage() {
  printf '%s: %s\n\n' "$PROG" "$1" >&2
  usage >&2
  exit 2
}
warn() { printf '%s: warning: %s\n' "$PROG" "$1" >&2; }

# ---- JSON -------------------------------------------------------------------------------------------

# REPLY := $1 as a JSON string literal. Backslash and quote first, then every control byte (0x01-0x1f,
# 0x7f) as \uXXXX or its short form, so no input can end the string or break the line. NUL cannot occur
# in a bash string. Bytes >= 0x80 pass through; utf8_sanitize makes the whole body valid UTF-8.
json_string() {
  local s=$1 code hex ch
  if [[ $s == *[\"\\]* ]]; then
    s=${s//"$BS"/"$BS$BS"}
    s=${s//"$DQ"/"$BS$DQ"}
  fi
  if [[ $s == *[$'\x01'-$'\x1f\x7f']* ]]; then
    for code in {1..31} 127; do
      printf -v hex '%02x' "$code"
      printf -v ch '%b' "\\x$hex"
      [[ $s == *"$ch"* ]] || continue
      case $code in
        8) s=${s//"$ch"/"${BS}b"} ;;
        9) s=${s//"$ch"/"${BS}t"} ;;
        10) s=${s//"$ch"/"${BS}n"} ;;
        12) s=${s//"$ch"/"${BS}f"} ;;
        13) s=${s//"$ch"/"${BS}r"} ;;
        *) s=${s//"$ch"/"${BS}u00$hex"} ;;
      esac
    done
  fi
  REPLY="$DQ$s$DQ"
}

# REPLY := $1 with every byte that is not part of a well-formed UTF-8 character replaced by U+FFFD
# (OTLP strings must be UTF-8; collectors reject the whole request otherwise). Returns 1 if it replaced.
utf8_sanitize() {
  local rest=$1 out='' valid_prefix="^($UTF8_CHAR)*"
  REPLY=$rest
  [[ $rest == *[$'\x80'-$'\xff']* ]] || return 0 # plain ASCII: nothing to check
  [[ $rest =~ ^($UTF8_CHAR)*$ ]] && return 0
  while [[ -n $rest ]]; do
    [[ $rest =~ $valid_prefix ]] # POSIX leftmost-longest: the longest valid prefix
    out+=${BASH_REMATCH[0]}
    rest=${rest:${#BASH_REMATCH[0]}}
    [[ -n $rest ]] && out+=$'\xef\xbf\xbd' rest=${rest:1}
  done
  REPLY=$out
  return 1
}

# Whether the digits $1 are at most 2^63 - 8 + $2 (int64 max: $2 = 7), without overflowing bash's int64.
at_most_2p63() {
  ((${#1} < 19)) && return 0
  ((${#1} == 19)) && ((10#${1:0:18} < 922337203685477580 || (10#${1:0:18} == 922337203685477580 && ${1:18} <= $2)))
}

ATTR_KEYS=() ATTR_VALUES=() # parallel arrays: key, JSON value object; a later key replaces an earlier one
set_attr() {
  local i
  for i in "${!ATTR_KEYS[@]}"; do
    if [[ ${ATTR_KEYS[i]} == "$1" ]]; then
      ATTR_VALUES[i]=$2
      return
    fi
  done
  ATTR_KEYS+=("$1") ATTR_VALUES+=("$2")
}
set_string_attr() {
  json_string "$2"
  set_attr "$1" "{\"stringValue\":$REPLY}"
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
  local i out='' key
  for i in "${!ATTR_KEYS[@]}"; do
    json_string "${ATTR_KEYS[i]}"
    key=$REPLY
    out+="${out:+,}{\"key\":$key,\"value\":${ATTR_VALUES[i]}}"
  done
  REPLY="[$out]"
}

# ---- values from arguments and environment -------------------------------------------------------

now_ns() { REPLY=$((10#${EPOCHREALTIME//[!0-9]/} * 1000)); } # microseconds, whatever the decimal mark
is_ns() { [[ $1 =~ ^[0-9]{1,19}$ ]] && at_most_2p63 "$1" 7; }
random_hex() { # REPLY := $1 * 8 random hex digits, never all zero (an invalid id in W3C and OTLP)
  local i
  REPLY=''
  for ((i = 0; i < $1; i++)); do printf -v REPLY '%s%08x' "$REPLY" "$SRANDOM"; done
  [[ $REPLY == *[!0]* ]] || random_hex "$1"
}
trim() { # REPLY := $1 without leading/trailing blanks and CR
  REPLY=${1#"${1%%[![:space:]]*}"}
  REPLY=${REPLY%"${REPLY##*[![:space:]]}"}
}
percent_decode() { # REPLY := $1 with %HH decoded; a `%` not followed by two hex digits stays as is
  local rest=$1 out='' ch
  while [[ $rest == *%* ]]; do
    out+=${rest%%"%"*}
    rest=${rest#*"%"}
    if [[ ${rest:0:2} == [0-9A-Fa-f][0-9A-Fa-f] ]]; then
      printf -v ch '%b' "\\x${rest:0:2}"
      out+=$ch rest=${rest:2}
    else
      out+=%
    fi
  done
  REPLY=$out$rest
}
# PAIR_KEYS/PAIR_VALUES := the `k=v` items of the OTel list $1 (comma separated, trimmed, decoded).
parse_pairs() {
  local rest=$1 item
  PAIR_KEYS=() PAIR_VALUES=()
  while [[ -n $rest ]]; do
    item=${rest%%,*}
    if [[ $rest == *,* ]]; then rest=${rest#*,}; else rest=''; fi
    trim "$item"
    [[ -z $REPLY ]] && continue
    if [[ $REPLY != ?*=* ]]; then
      quoted "$REPLY"
      warn "ignoring $REPLY in $2: expected key=value"
      continue
    fi
    trim "${REPLY%%=*}"
    percent_decode "$REPLY"
    PAIR_KEYS+=("$REPLY")
    trim "${item#*=}"
    percent_decode "$REPLY"
    PAIR_VALUES+=("$REPLY")
  done
}
PARENT_TRACE='' PARENT_SPAN='' PARENT_FLAGS=''
parse_traceparent() { # sets PARENT_*; returns 1 unless $1 is a valid W3C traceparent
  [[ $1 =~ ^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$ ]] || return 1
  [[ ${BASH_REMATCH[1]} != ff && ${BASH_REMATCH[2]} == *[!0]* && ${BASH_REMATCH[3]} == *[!0]* ]] || return 1
  [[ ${BASH_REMATCH[1]} == 00 && -n ${BASH_REMATCH[5]} ]] && return 1 # version 00 has exactly 4 fields
  PARENT_TRACE=${BASH_REMATCH[2]} PARENT_SPAN=${BASH_REMATCH[3]} PARENT_FLAGS=${BASH_REMATCH[4]}
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

# ---- delivery ---------------------------------------------------------------------------------------

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
config_quote() { REPLY=${1//"$BS"/"$BS$BS"} REPLY="$DQ${REPLY//"$DQ"/"$BS$DQ"}$DQ"; } # curl -K syntax
add_header() { # KEY VALUE: one `header = …` curl config line; never a header that smuggles another
  if [[ ! $1 =~ ^[A-Za-z0-9_.-]+$ || $2 == *[$'\x01'-$'\x1f\x7f']* ]]; then
    quoted "$1"
    warn "ignoring header $REPLY from OTEL_EXPORTER_OTLP_HEADERS: expected a name of letters, digits, -, _ or . and a value without control characters"
    return
  fi
  config_quote "$1: $2"
  CURL_CONFIG+="header = $REPLY"$'\n'
}

# POSTs $BODY with the curl config $CURL_CONFIG (url, headers) until accepted, retrying 429/502/503/504 as
# the OTLP spec says, never past the deadline $1 (epoch µs). 0 when accepted, else 1 and REPLY = why.
send_span() {
  local deadline_us=$1 attempt=0 left_ms secs result rc code retry_after errmsg answer delay_ms now_ms
  while :; do
    left_ms=$(((deadline_us - 10#${EPOCHREALTIME//[!0-9]/}) / 1000))
    if ((left_ms <= 0)); then
      REPLY="no answer within the ${TIMEOUT_MS} ms bound"
      return 1
    fi
    printf -v secs '%d.%03d' $((left_ms / 1000)) $((left_ms % 1000))
    # Config on fd 3 and body on stdin, both here-strings: no fork, and no secret header or long body
    # on argv (visible in ps, limited to 128 KiB). curl 7.x also caps a config line at 100 KiB.
    result=$(curl -q --silent --max-time "$secs" --config /dev/fd/3 --data-binary @- \
      --write-out $'\n%{http_code}\n%header{retry-after}\n%{errormsg}\n.' 3<<<"$CURL_CONFIG" <<<"$BODY" 2>/dev/null)
    rc=$?
    result=${result%$'\n.'} # the `.` kept $(…) from eating empty trailing fields
    errmsg=${result##*$'\n'} result=${result%$'\n'*}
    retry_after=${result##*$'\n'} result=${result%$'\n'*}
    code=${result##*$'\n'} answer=${result%$'\n'*}
    answer=${answer//[$'\x01'-$'\x1f']/ }
    if ((rc == 127)); then
      REPLY="curl not found on PATH"
      return 1
    elif ((rc != 0)); then
      REPLY="curl exit $rc: ${errmsg:-no message}"
      return 1
    elif [[ $code == 2?? ]]; then
      [[ $answer =~ \"rejectedSpans\":\"?[1-9] ]] || return 0
      REPLY="the collector rejected it (partial success): ${answer:0:300}"
      return 1
    elif [[ $code != 429 && $code != 50[234] ]]; then
      REPLY="HTTP $code, not retried: ${answer:0:300}"
      return 1
    fi
    trim "$retry_after"
    now_ms=$((10#${EPOCHREALTIME//[!0-9]/} / 1000))
    if [[ $REPLY =~ ^[0-9]{1,9}$ ]]; then
      delay_ms=$((10#$REPLY * 1000))
    elif http_date_s "$REPLY"; then
      delay_ms=$((REPLY * 1000 - now_ms))
      ((delay_ms < 0)) && delay_ms=0
    else # exponential backoff with jitter: 100, 200, 400 ms … plus up to 100 ms
      delay_ms=$((100 * 2 ** (attempt < 10 ? attempt : 10) + SRANDOM % 100))
    fi
    if (((now_ms + delay_ms) * 1000 >= deadline_us)); then
      REPLY="HTTP $code; retrying after ${delay_ms} ms would pass the ${TIMEOUT_MS} ms bound"
      return 1
    fi
    printf -v secs '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000))
    sleep "$secs"
    ((attempt++))
  done
}

for_each_exporter() {
  local rest=$1 exporter
  while [[ -n $rest ]]; do
    exporter=${rest%%,*}
    if [[ $rest == *,* ]]; then rest=${rest#*,}; else rest=''; fi
    trim "$exporter"
    case $REPLY in
      none | '') ;;
      console) printf '%s\n' "$BODY" ;;
      otlp) export_otlp ;;
      *)
        quoted "$REPLY"
        warn "ignoring OTEL_TRACES_EXPORTER entry $REPLY: expected otlp, console or none"
        ;;
    esac
  done
}
export_otlp() {
  local url i
  if first OTEL_EXPORTER_OTLP_TRACES_ENDPOINT; then
    url=$REPLY
  else
    first OTEL_EXPORTER_OTLP_ENDPOINT || REPLY=http://localhost:4318
    url=${REPLY%/}/v1/traces
  fi
  if [[ $url == *[$'\x01'-$'\x1f\x7f']* ]]; then # a newline would add a line to curl's config
    quoted "$url"
    warn "span not sent: expected OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT to be a URL without control characters, got $REPLY"
    FAILED=1
    return
  fi
  TIMEOUT_MS=$DEFAULT_TIMEOUT_MS
  if first OTEL_EXPORTER_OTLP_TRACES_TIMEOUT OTEL_EXPORTER_OTLP_TIMEOUT; then
    if [[ $REPLY =~ ^[0-9]{1,9}$ ]] && ((10#$REPLY > 0)); then
      TIMEOUT_MS=$((10#$REPLY))
    else
      quoted "$REPLY"
      warn "expected OTEL_EXPORTER_OTLP_TIMEOUT to be positive milliseconds, got $REPLY; using $DEFAULT_TIMEOUT_MS"
    fi
  fi
  config_quote "$url"
  CURL_CONFIG="url = $REPLY"$'\n''header = "Content-Type: application/json"'$'\n''header = "Expect:"'$'\n'
  if first OTEL_EXPORTER_OTLP_TRACES_HEADERS OTEL_EXPORTER_OTLP_HEADERS; then
    parse_pairs "$REPLY" OTEL_EXPORTER_OTLP_HEADERS
    for i in "${!PAIR_KEYS[@]}"; do add_header "${PAIR_KEYS[i]}" "${PAIR_VALUES[i]}"; done
  fi
  if ! send_span $((START_US + TIMEOUT_MS * 1000)); then
    local why=$REPLY kept=''
    ((SPOOLED)) && kept='; it is kept in the spool'
    quoted "$url"
    warn "span not delivered to $REPLY: $why$kept"
    FAILED=1
  fi
}
# ---- main -------------------------------------------------------------------------------------------

START_US=${EPOCHREALTIME//[!0-9]/} # the time bound covers the whole run, not only curl
SUITE='' KIND=1 START_NS='' END_NS='' PRINT_TRACEPARENT=0 STRICT=0 USER_ATTRS=() POSITIONAL=()

take_option() { # OPTION VALUE
  quoted "$2"
  case $1 in
    --suite) SUITE=$2 ;;
    --attr | --attr-string)
      [[ $2 == ?*=* ]] || die_usage "expected $1 KEY=VALUE with a non-empty KEY, got $REPLY"
      USER_ATTRS+=("$1" "$2")
      ;;
    --kind)
      case $2 in
        internal) KIND=1 ;; server) KIND=2 ;; client) KIND=3 ;; producer) KIND=4 ;; consumer) KIND=5 ;;
        *) die_usage "expected --kind to be internal, server, client, producer or consumer, got $REPLY" ;;
      esac
      ;;
    --start-ns | --end-ns)
      is_ns "$2" || die_usage "expected $1 to be unix nanoseconds (digits only, fits int64), got $REPLY"
      if [[ $1 == --start-ns ]]; then START_NS=$((10#$2)); else END_NS=$((10#$2)); fi
      ;;
    --parent)
      parse_traceparent "$2" ||
        die_usage "expected --parent to be a W3C traceparent 00-<32 hex>-<16 hex>-<2 hex> (lowercase, ids not all zero), got $REPLY"
      ;;
  esac
}

while (($#)); do
  arg=$1 inline=0
  shift
  if [[ $arg == --?*=* ]]; then # --option=value
    set -- "${arg#*=}" "$@"
    arg=${arg%%=*} inline=1
  fi
  case $arg in
    --) POSITIONAL+=("$@") && break ;;
    -h | --help | --print-traceparent | --strict)
      ((inline)) && die_usage "expected no value after $arg"
      case $arg in
        --print-traceparent) PRINT_TRACEPARENT=1 ;;
        --strict) STRICT=1 ;;
        *) usage && exit 0 ;;
      esac
      ;;
    --suite | --attr | --attr-string | --kind | --start-ns | --end-ns | --parent)
      (($#)) || die_usage "expected a value after $arg"
      take_option "$arg" "$1"
      shift
      ;;
    -?*) quoted "$arg" && die_usage "unknown option $REPLY (put -- before a NAME that starts with -)" ;;
    *) POSITIONAL+=("$arg") ;;
  esac
done

((${#POSITIONAL[@]} == 2 || ${#POSITIONAL[@]} == 3)) ||
  die_usage "expected NAME passed|failed [DURATION_MS], got ${#POSITIONAL[@]} argument(s)"
NAME=${POSITIONAL[0]} RESULT=${POSITIONAL[1]}
[[ -n $NAME ]] || die_usage "expected a non-empty NAME"
quoted "$RESULT"
case $RESULT in
  passed) STATUS_CODE=1 CASE_STATUS=pass ;;
  failed) STATUS_CODE=2 CASE_STATUS=fail ;;
  *) die_usage "expected the result to be passed or failed, got $REPLY" ;;
esac
DURATION_NS=0
if ((${#POSITIONAL[@]} == 3)); then
  quoted "${POSITIONAL[2]}"
  [[ ${POSITIONAL[2]} =~ ^[0-9]{1,12}$ ]] ||
    die_usage "expected DURATION_MS to be a whole number of milliseconds (at most 12 digits), got $REPLY"
  [[ -n $START_NS && -n $END_NS ]] && die_usage "expected at most two of --start-ns, --end-ns and DURATION_MS"
  DURATION_NS=$((10#${POSITIONAL[2]} * 1000000))
fi

# Times: end defaults to now (or start + duration), start to end - duration.
if [[ -z $END_NS ]]; then
  if [[ -n $START_NS ]] && ((${#POSITIONAL[@]} == 3)); then
    ((START_NS <= 9223372036854775807 - DURATION_NS)) || die_usage "expected --start-ns + DURATION_MS to fit int64"
    END_NS=$((START_NS + DURATION_NS))
  else
    now_ns
    END_NS=$REPLY
  fi
fi
[[ -n $START_NS ]] || START_NS=$((END_NS - DURATION_NS))
((0 <= START_NS && START_NS <= END_NS)) ||
  die_usage "expected 0 <= start <= end, got start $START_NS ns and end $END_NS ns"

# Parent: --parent, else $TRACEPARENT, else the file the testScript prelude keeps up to date.
if [[ -z $PARENT_TRACE ]] && first TRACEPARENT && ! parse_traceparent "$REPLY"; then
  quoted "$REPLY"
  warn "ignoring TRACEPARENT=$REPLY: not a W3C traceparent; starting a new trace"
fi
if [[ -z $PARENT_TRACE ]] && first NIXOTEL_TRACEPARENT_FILE && [[ -f $REPLY ]]; then
  line=''
  { IFS= read -r line || true; } 2>/dev/null <"$REPLY"
  trim "$line"
  if [[ -n $REPLY ]] && ! parse_traceparent "$REPLY"; then
    quoted "$REPLY"
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

# Span attributes: the semantic conventions', the seed's, then the user's (which may replace them).
set_string_attr test.case.name "$NAME"
set_string_attr test.case.result.status "$CASE_STATUS"
[[ -n $SUITE ]] && set_string_attr test.suite.name "$SUITE"
set_string_attr test.name "$NAME"
set_string_attr test.result "$RESULT"
[[ -n $SUITE ]] && set_string_attr test.suite "$SUITE"
for ((i = 0; i < ${#USER_ATTRS[@]}; i += 2)); do
  pair=${USER_ATTRS[i + 1]}
  if [[ ${USER_ATTRS[i]} == --attr ]]; then
    set_typed_attr "${pair%%=*}" "${pair#*=}"
  else
    set_string_attr "${pair%%=*}" "${pair#*=}"
  fi
done
attrs_json
SPAN_ATTRS=$REPLY

# Resource: defaults, then OTEL_RESOURCE_ATTRIBUTES, then OTEL_SERVICE_NAME (the spec's precedence).
ATTR_KEYS=() ATTR_VALUES=()
set_string_attr service.name nixos-integration-tests
[[ -n ${HOSTNAME:-} ]] && set_string_attr host.name "$HOSTNAME"
if first OTEL_RESOURCE_ATTRIBUTES; then
  parse_pairs "$REPLY" OTEL_RESOURCE_ATTRIBUTES
  for i in "${!PAIR_KEYS[@]}"; do set_string_attr "${PAIR_KEYS[i]}" "${PAIR_VALUES[i]}"; done
fi
first OTEL_SERVICE_NAME && set_string_attr service.name "$REPLY"
attrs_json
RESOURCE_ATTRS=$REPLY

if [[ -n $SUITE ]]; then json_string "test.$SUITE.$NAME"; else json_string "test.$NAME"; fi
SPAN="{\"traceId\":\"$TRACE_ID\",\"spanId\":\"$SPAN_ID\",${PARENT_SPAN:+\"parentSpanId\":\"$PARENT_SPAN\",}\
\"name\":$REPLY,\"kind\":$KIND,\"startTimeUnixNano\":\"$START_NS\",\"endTimeUnixNano\":\"$END_NS\",\
\"attributes\":$SPAN_ATTRS,\"status\":{\"code\":$STATUS_CODE}}"
BODY="{\"resourceSpans\":[{\"resource\":{\"attributes\":$RESOURCE_ATTRS},\
\"scopeSpans\":[{\"scope\":{\"name\":\"nixotel.emit_test_span\"},\"spans\":[$SPAN]}]}]}"
utf8_sanitize "$BODY" || warn "replaced bytes that are not UTF-8 with U+FFFD (OTLP strings must be UTF-8)"
BODY=$REPLY

FAILED=0
# The spool keeps every span, delivered or not: the prelude collects it from the shared folder.
SPOOLED=0
if first NIXOTEL_SPOOL_DIR; then
  host=${HOSTNAME:-localhost}
  spool_file=$REPLY/${host//\//_}.jsonl
  if { { [[ -d $REPLY ]] || mkdir -p -- "$REPLY"; } && printf '%s\n' "$BODY" >>"$spool_file"; } 2>/dev/null; then
    SPOOLED=1
  else
    quoted "$spool_file"
    warn "could not append the span to the spool $REPLY"
    FAILED=1
  fi
fi

first OTEL_TRACES_EXPORTER || REPLY=otlp
for_each_exporter "$REPLY"

((PRINT_TRACEPARENT)) && printf '00-%s-%s-%s\n' "$TRACE_ID" "$SPAN_ID" "$FLAGS"
((FAILED && STRICT)) && exit 1
exit 0
