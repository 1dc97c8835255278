#!/bin/sh
# serve.sh: fivewhys serve through the real program: started as a user
# would on a free loopback port, its JSON API and the seed 004 drill, hostile
# requests (tests/serve-api.py), the session limits, usage errors, and a clean
# stop on SIGTERM and SIGINT. Arguments select checks by name.
. "$(dirname "$0")/lib.sh"

if ! command -v python3 >/dev/null 2>&1; then
  echo "python3 is not installed: skipping the serve tests"
  exit 77
fi

rules=$TOP_SRCDIR/rules
# The sanitizer builds start slowly: wait this long for the address.
start_timeout=${FW_TIMEOUT}

# serve_start NAME [ARG...]: starts `fivewhys serve --port 0` with the rules
# and ARGs, waits for the address it prints, and sets serve_pid and
# serve_url. Returns 1 (the output is in $FW_TMP/NAME.out and .err) when it
# printed none.
serve_start () {
  name=$1
  shift
  "$FIVEWHYS" serve --port 0 -r "$rules" "$@" >"$FW_TMP/$name.out" 2>"$FW_TMP/$name.err" &
  serve_pid=$!
  serve_url=""
  waited=0
  while [ "$waited" -lt $((start_timeout * 10)) ]; do
    serve_url=$(sed -n 's|^Open \(http://[^ ]*\) in a browser\.$|\1|p' "$FW_TMP/$name.out")
    [ -n "$serve_url" ] && return 0
    kill -0 "$serve_pid" 2>/dev/null || return 1
    sleep 0.1
    waited=$((waited + 1))
  done
  kill "$serve_pid" 2>/dev/null
  return 1
}

# serve_stop NAME SIGNAL: stops the server with SIGNAL and checks that it
# exits 0 and says so.
serve_stop () {
  name=$1
  kill "-$2" "$serve_pid" 2>/dev/null
  wait "$serve_pid"
  status=$?
  if [ "$status" -eq 0 ] && grep -q "stopped" "$FW_TMP/$name.err"; then
    fw_ok "$name: SIG$2 stops the server cleanly"
  else
    fw_fail "$name: SIG$2 stops the server cleanly" "exit status $status" "$(cat "$FW_TMP/$name.err")"
  fi
}

# api_checks NAME ARG...: runs serve-api.py against the running server and
# counts its ok and FAIL lines.
api_checks () {
  name=$1
  shift
  SERVE_PID=$serve_pid python3 "$TOP_SRCDIR/tests/serve-api.py" "$serve_url" "$@" >"$FW_TMP/$name.api" 2>&1
  cat "$FW_TMP/$name.api"
  fw_passed=$((fw_passed + $(grep -c '^ok ' "$FW_TMP/$name.api")))
  fw_failed=$((fw_failed + $(grep -c '^FAIL ' "$FW_TMP/$name.api")))
  if ! grep -q '^ok ' "$FW_TMP/$name.api"; then
    fw_fail "$name: serve-api.py ran" "$(cat "$FW_TMP/$name.api")"
  fi
}

if fw_selected api "$@"; then
  if serve_start api; then
    case $serve_url in
      http://127.0.0.1:*/) fw_ok "api: listens on loopback by default and prints the address" ;;
      *) fw_fail "api: listens on loopback by default and prints the address" "$serve_url" ;;
    esac
    api_checks api api
    port=${serve_url##*:}
    port=${port%/}
    fw_run serve -r "$rules" --port "$port"
    if [ "$fw_status" -eq 4 ] && grep -q "cannot listen on http://127.0.0.1:$port/" "$FW_TMP/stderr"; then
      fw_ok "api: a port in use is an I/O error (exit 4)"
    else
      fw_fail "api: a port in use is an I/O error (exit 4)" "exit $fw_status" "$(cat "$FW_TMP/stderr")"
    fi
    if command -v curl >/dev/null 2>&1; then
      head -c 1048576 /dev/zero | tr '\0' 'a' >"$FW_TMP/big"
      code=$(curl -s -o "$FW_TMP/big.out" -w '%{http_code}' -H 'Content-Type: application/json' \
        --data-binary @"$FW_TMP/big" "${serve_url}api/sessions")
      if [ "$code" = 413 ] && grep -q '"error"' "$FW_TMP/big.out"; then
        fw_ok "api: curl posting 1 MiB gets 413"
      else
        fw_fail "api: curl posting 1 MiB gets 413" "status $code" "$(cat "$FW_TMP/big.out")"
      fi
      code=$(curl -s -o /dev/null -w '%{http_code}' "${serve_url}api/needs")
      [ "$code" = 200 ] && fw_ok "api: still serving after the 1 MiB body" ||
        fw_fail "api: still serving after the 1 MiB body" "status $code"
    fi
    serve_stop api TERM
  else
    fw_fail "api: the server starts and prints its address" "$(cat "$FW_TMP/api.out" "$FW_TMP/api.err")"
  fi
fi

if fw_selected full "$@"; then
  if serve_start full --max-sessions 6; then
    api_checks full full 6
    serve_stop full INT
  else
    fw_fail "full: the server starts" "$(cat "$FW_TMP/full.err")"
  fi
fi

if fw_selected client "$@"; then
  if serve_start client --max-per-client 3 --idle 1; then
    api_checks client client 3
    serve_stop client TERM
  else
    fw_fail "client: the server starts" "$(cat "$FW_TMP/client.err")"
  fi
fi

# usage NAME WANT-IN-STDERR ARG...: a usage error exits 2 before listening.
usage () {
  name=$1
  want=$2
  shift 2
  fw_selected "$name" $FW_SELECT || return 0
  fw_run serve -r "$rules" "$@"
  if [ "$fw_status" -eq 2 ] && grep -qF -e "$want" "$FW_TMP/stderr"; then
    fw_ok "$name"
  else
    fw_fail "$name" "exit status $fw_status, expected 2; stderr:" "$(cat "$FW_TMP/stderr")"
  fi
}
FW_SELECT="$*"
usage "usage: --bind takes an IP address" "--bind 'example' is not an IP address" --bind example
usage "usage: --port is checked" "--port must be from 0 to 65535" --port 70000
usage "usage: --max-sessions is checked" "--max-sessions must be from 1" --max-sessions 0
usage "usage: no arguments" "unexpected argument 'now'" now

if fw_selected rules "$@"; then
  fw_run serve -r "$TOP_SRCDIR/tests/cases/check/dead-end.xml" -r "$rules/motivations.xml" --port 0
  if [ "$fw_status" -eq 3 ]; then
    fw_ok "rules: broken rules exit 3 before listening"
  else
    fw_fail "rules: broken rules exit 3 before listening" "exit status $fw_status" "$(cat "$FW_TMP/stderr")"
  fi
fi

fw_finish
