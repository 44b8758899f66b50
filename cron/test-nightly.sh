#!/usr/bin/env bash
# Runs the nightly wrapper as cron would (PATH=/usr/bin:/bin, an empty environment, a UTC clock) against
# the embedded sample market, pinning "now" with VIXSHIELD_NOW. Usage: cron/test-nightly.sh PATH_TO_VIXSHIELD
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
passes=0
check() { # check NAME EXPECTED ACTUAL
    if [ "$2" = "$3" ]; then echo "ok: $1"; passes=$((passes + 1)); else echo "FAILED: $1 (expected $2, got $3)"; failures=$((failures + 1)); fi
}
# The sample pipeline without its pinned default date, so the run decides the date from the clock.
grep -v '^default_date:' "$here/../pipelines/sample.yaml" > "$work/sample-nightly.yaml"
run() { # run NOW [VAR=VALUE...]: the wrapper under cron's environment
    local now=$1; shift
    env -i PATH=/usr/bin:/bin TZ=UTC HOME="$work" VIXSHIELD_BIN="$bin" VIXSHIELD_PIPELINE="$work/sample-nightly.yaml" \
        VIXSHIELD_DATA_DIR="$work/data" VIXSHIELD_LOG_DIR="$work/logs" VIXSHIELD_ALERT_CMD="$work/alert" \
        VIXSHIELD_NOW="$now" "$@" "$here/vixshield-nightly"
}
printf '#!/bin/sh\necho "alert $1 $2" >> "%s/alerts"\n' "$work" > "$work/alert"
chmod +x "$work/alert"

# Friday 2026-07-17, 22:30 UTC = 18:30 New York (EDT): the run happens, for that session.
run 2026-07-17T22:30:00Z; status=$?
check "summer evening line runs and succeeds" 0 "$status"
check "dated log written" yes "$([ -s "$work/logs/nightly-2026-07-17.log" ] && echo yes || echo no)"
check "log names the session" yes "$(grep -q '^2026-07-17 ok' "$work/logs/nightly-2026-07-17.log" && echo yes || echo no)"
# The same evening's other line (23:30 UTC = 19:30 EDT) is outside the window: nothing runs.
run 2026-07-17T23:30:00Z; status=$?
check "the other offset's line does nothing" 0 "$status"
check "one run in the log" 1 "$(grep -c 'vixshield-nightly: start' "$work/logs/nightly-2026-07-17.log")"
# A window that opens before the close (14:30 EDT): vixshield refuses (exit 4) and the alert fires.
run 2026-07-17T18:30:00Z VIXSHIELD_NY_WINDOW=1400-1459; status=$?
check "before the close exits 4" 4 "$status"
check "alert called with the code and the log" "alert 4 $work/logs/nightly-2026-07-17.log" "$(tail -1 "$work/alerts" 2>/dev/null)"
# Saturday evening: a weekend is reported and exits 0.
run 2026-07-18T22:30:00Z; status=$?
check "weekend exits 0" 0 "$status"
check "weekend said in the log" yes "$(grep -q 'not a trading day (weekend)' "$work/logs/nightly-2026-07-18.log" && echo yes || echo no)"
# No binary at all (cron's PATH, nothing installed): exit 127 with a message and an alert, not silence.
run 2026-07-20T22:30:00Z VIXSHIELD_BIN=/nonexistent/vixshield; status=$?
check "missing binary exits 127" 127 "$status"
check "missing binary alerts" "alert 127 $work/logs/nightly-2026-07-20.log" "$(tail -1 "$work/alerts")"

echo "cron-wrapper: $passes passed, $failures failed"
[ "$failures" -eq 0 ]
