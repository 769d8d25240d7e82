# check: watchdog: SIGSTOP the agent -> systemd restarts it after WatchdogSec; traffic flows throughout; 0 operations
# phase: 2
pid=$(agent_pid)
restarts=$(systemctl show -p NRestarts --value branch-connector)
wd=$(systemctl show -p WatchdogUSec --value branch-connector)
journal_mark "$LANE_STATE/cursor-watchdog"
ip netns exec lan1 ping -i 0.02 -W 1 $DC_HOST >"$LANE_STATE/watchdog-ping.txt" 2>&1 &
pinger=$!
sleep 2
t0=$(now_ms)
kill -STOP "$pid"
expect "systemd replaced the stopped agent within 180 s" wait_for 180 bash -c 'p=$(systemctl show -p MainPID --value branch-connector); [[ $p != 0 && $p != "$1" ]] && systemctl is-active --quiet branch-connector' _ "$pid"
expect "the new agent applied its start-up" wait_for 120 bash -c 'journal_since "$1" | grep -q "start-up: "' _ "$LANE_STATE/cursor-watchdog"
note "restarted $(( ($(now_ms) - t0) / 1000 )) s after SIGSTOP (WatchdogUSec=$wd); NRestarts $restarts -> $(systemctl show -p NRestarts --value branch-connector)"
sleep 3
kill -INT $pinger
wait $pinger
lines=$(journalctl -u branch-connector --after-cursor "$(cat "$LANE_STATE/cursor-watchdog")" -o cat -q; journalctl -b -q -o cat --after-cursor "$(cat "$LANE_STATE/cursor-watchdog")" | grep -i 'watchdog')
note "$(grep -i -m2 'watchdog' <<<"$lines")"
expect "systemd saw the watchdog timeout" grep -qi 'watchdog timeout' <<<"$lines"
read -r sent lost < <(ping_loss "$LANE_STATE/watchdog-ping.txt")
stats="$sent sent, $lost lost"
note "ping through wg0 throughout: $stats"
expect "traffic flowed throughout: 0 lost ($sent sent)" test "${sent:-0}" -gt 100 -a "${lost:-1}" -eq 0
startup=$(journal_since "$LANE_STATE/cursor-watchdog" | grep 'start-up: ' | tail -n1)
note "$startup"
expect "the new agent adopted with 0 operations" grep -q ': 0 operations' <<<"$startup"
