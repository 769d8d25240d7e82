# Sourced by lane.sh and by every check (inside the VM, as root). A check is a file checks/NN-name.sh whose
# first lines say `# check: <one-line title>` and `# phase: 1|2` (1 = first boot, 2 = after the reboot);
# its body calls `expect DESCRIPTION COMMAND...` for every assertion and `note TEXT` for evidence. The check
# passes when every expect passed; lane.sh writes its one result line and the evidence under it.
# Shared facts (addresses, serials, keys' file names) are in world.sh; values learnt at run time (versions,
# public keys) are kept with `remember NAME VALUE` in $LANE_STATE/vars, which survives the reboot.

LANE=${LANE:-/lane}
LANE_STATE=/var/lib/bc-lane
LANE_RESULTS=$LANE/results
mkdir -p "$LANE_STATE" "$LANE_RESULTS"
export PATH=/usr/sbin:/usr/bin:/sbin:/bin:$LANE/bin
[[ -f $LANE_STATE/vars ]] && source "$LANE_STATE/vars"

CHECK_FAILED=0
CHECK_EVIDENCE=${CHECK_EVIDENCE:-/dev/null}

# note TEXT...: one evidence line under the check's result (also on the serial console, for a live view).
note() {
  local line
  while IFS= read -r line; do
    printf '     %s\n' "$line" >>"$CHECK_EVIDENCE"
    # The console line carries the seconds since the check started: where a check's time goes.
    printf 'LANE|     [%3ss] %s\n' "$SECONDS" "$line" >/dev/ttyS0 2>/dev/null || true
  done <<<"$*"
}

# expect DESCRIPTION COMMAND...: runs COMMAND; its success or failure is one evidence line.
expect() {
  local what=$1
  shift
  if "$@"; then
    note "ok   $what"
  else
    note "FAIL $what"
    CHECK_FAILED=1
  fi
}

# remember NAME VALUE: kept for later checks and across the reboot.
remember() {
  printf '%s=%q\n' "$1" "$2" >>"$LANE_STATE/vars"
  printf -v "$1" '%s' "$2"
}

# Seconds since the epoch with milliseconds (timestamps compared with the journal's).
now_ms() { date +%s%3N; }

# ping_loss NS DEST COUNT: a 20 ms ping from NS; prints "sent received loss%"; exit 0 when it ran.
ping_stats() {
  ip netns exec "$1" ping -q -i 0.02 -W 1 -c "$3" "$2" 2>&1 |
    awk '/packets transmitted/ { print $1, $4, $6 }'
}

# ping_loss FILE: from a ping's per-reply output (not -q), "SENT LOST" counting only the sequence numbers up to
# the last reply: the packets still in flight when the ping was interrupted are not losses.
ping_loss() {
  awk -F'icmp_seq=' '/bytes from/ { split($2, a, " "); seen[a[1] + 0] = 1; if (a[1] + 0 > max) max = a[1] + 0 }
    END { lost = 0; for (i = 1; i <= max; i++) if (!(i in seen)) lost++; print max + 0, lost }' "$1"
}

# ping_ok NS DEST: a few packets get through (the path works at all).
ping_ok() { ip netns exec "$1" ping -q -c 3 -i 0.3 -W 2 "$2" >/dev/null 2>&1; }

# wait_for SECONDS COMMAND...: polls COMMAND every 0.5 s until it succeeds.
wait_for() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.5
  done
}

agent_pid() { systemctl show -p MainPID --value branch-connector.service; }

# journal_since CURSOR_FILE: the agent's journal lines after the cursor saved by journal_mark.
# (The whole journal's last entry: the unit may have none yet.)
journal_mark() { journalctl -n 1 --show-cursor -q 2>/dev/null | sed -n 's/^-- cursor: //p' >"$1"; }
journal_since() { journalctl -u branch-connector --after-cursor "$(cat "$1")" -o short-unix --no-pager -q; }
# Visible inside `bash -c` (wait_for conditions).
export -f journal_since agent_pid ping_ok
