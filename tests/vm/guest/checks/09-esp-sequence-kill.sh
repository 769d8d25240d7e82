# check: IPSec sequence numbers across kill -9 of the agent: the SAs stay and count on, 0 lost under a 20 ms ping, the new agent adopts them (the no-repeat verdict over both boots is check 10)
# phase: 1
# The box's outbound SA since check 03's rekey is c003 (box -> br2). The lane's ESP capture on the WAN (wan ns,
# link wa) has run since the lab was built; check 10 reads it with the one of boot 2.
spi_out=0x0000c003
oseq() { ip xfrm state get src $BOX_WAN dst $BR2_WAN proto esp spi $spi_out 2>/dev/null | sed -n 's/.*oseq \(0x[0-9a-f]*\).*/\1/p'; }
expect "the lane's ESP capture runs" test -n "$(esp_capture_pid)"
pid=$(agent_pid)
journal_mark "$LANE_STATE/cursor-kill"
ip netns exec lan1 ping -D -i 0.02 -W 1 $LAN2_HOST >"$LANE_STATE/kill-ping.txt" 2>&1 &
pinger=$!
sleep 2
before=$(oseq)
t_kill=$(now_ms)
kill -KILL "$pid"
expect "systemd restarted the killed agent (Restart=always, RestartSec=5s)" wait_for 120 bash -c \
  'p=$(systemctl show -p MainPID --value branch-connector); [[ $p != 0 && $p != "$1" ]]' _ "$pid"
expect "the new agent applied its start-up" wait_for 120 bash -c 'journal_since "$1" | grep -q "start-up: "' _ "$LANE_STATE/cursor-kill"
sleep 3
kill -INT $pinger
wait $pinger
after=$(oseq)
lines=$(journal_since "$LANE_STATE/cursor-kill")
start=$(grep -m1 'starting for serial' <<<"$lines")
startup=$(grep -m1 'start-up: ' <<<"$lines")
note "killed pid $pid at $((t_kill / 1000)).$((t_kill % 1000)); $start"
note "$startup"
read -r sent lost < <(ping_loss "$LANE_STATE/kill-ping.txt")
# The longest silence between two replies (ping -D stamps each reply): what "traffic resumes" measures here.
gap=$(awk -F'[][]' '/bytes from/ { t = $2 + 0; if (last && t - last > max) max = t - last; last = t } END { printf "%d", max * 1000 }' "$LANE_STATE/kill-ping.txt")
note "LAN-to-LAN ping 192.168.10.5 -> 192.168.20.5 across the kill and the restart: $sent sent, $lost lost, longest gap between replies $gap ms"
expect "0 packets lost across kill -9 and the restart ($sent sent)" test "${sent:-0}" -gt 100 -a "${lost:-1}" -eq 0
note "box outbound SA c003 oseq $before -> $after"
expect "the SA was not re-installed: its sequence numbers went on from where they were" \
  test $((after)) -gt $((before)) -a $((after - before)) -lt $((1 << 30))
expect "the new agent adopted with 0 operations" grep -q ': 0 operations' <<<"$startup"
record=$(jq -c '.' /var/lib/branch-connector/xfrm-sequences.json 2>/dev/null | head -c 400)
note "sequence record after the restart (state_dir/xfrm-sequences.json): $record"
remember KILL_OSEQ "$after"
