# check: upgrade to a higher version with dpkg -i under a 20 ms ping: 0 lost, wg0 not recreated, 0 operations
# phase: 2
deb=$(ls "$LANE"/deb/v2/branch-connector_*_amd64.deb)
ifindex=$(cat /sys/class/net/wg0/ifindex)
read -r _ hs_before < <(wg show wg0 latest-handshakes)
read -r _ rx_before tx_before < <(wg show wg0 transfer)
pid_before=$(agent_pid)
journal_mark "$LANE_STATE/cursor-upgrade"
ip netns exec lan1 ping -i 0.02 -W 1 $DC_HOST >"$LANE_STATE/upgrade-ping.txt" 2>&1 &
pinger=$!
sleep 2
t0=$(now_ms)
out=$(dpkg -i "$deb" 2>&1)
rc=$?
note "dpkg -i $(basename "$deb"): exit $rc after $(( $(now_ms) - t0 )) ms"
expect "dpkg -i exits 0" test $rc -eq 0
expect "the new agent applied its start-up within 120 s" wait_for 120 bash -c 'journal_since "$1" | grep -q "start-up: "' _ "$LANE_STATE/cursor-upgrade"
sleep 3
kill -INT $pinger
wait $pinger
read -r sent lost < <(ping_loss "$LANE_STATE/upgrade-ping.txt")
stats="$sent sent, $lost lost"
note "ping through wg0 during the upgrade: $stats"
expect "0 packets lost ($sent sent)" test "${sent:-0}" -gt 100 -a "${lost:-1}" -eq 0
version=$(dpkg-query -W -f='${Version}' branch-connector)
note "version $V1 -> $version; agent pid $pid_before -> $(agent_pid)"
expect "the higher version is installed and running" bash -c 'dpkg --compare-versions "$1" gt "$2" && systemctl is-active --quiet branch-connector' _ "$version" "$V1"
read -r _ hs_after < <(wg show wg0 latest-handshakes)
read -r _ rx_after tx_after < <(wg show wg0 transfer)
note "wg0 ifindex $ifindex -> $(cat /sys/class/net/wg0/ifindex); handshake $hs_before -> $hs_after; rx $rx_before -> $rx_after, tx $tx_before -> $tx_after"
expect "wg0 not recreated (same ifindex)" test "$(cat /sys/class/net/wg0/ifindex)" = "$ifindex"
expect "counters continue (no reset)" test "$rx_after" -gt "$rx_before" -a "$tx_after" -gt "$tx_before"
startup=$(journal_since "$LANE_STATE/cursor-upgrade" | grep 'start-up: ' | tail -n1)
note "$startup"
expect "the new agent adopted with 0 operations" grep -q ': 0 operations' <<<"$startup"
