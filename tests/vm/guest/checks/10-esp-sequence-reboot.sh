# check: no (SPI, sequence number) pair is sent twice on the WAN across check 03's restarts, kill -9 (check 9), the reboot, the upgrade and the watchdog restart; LAN-to-LAN traffic back after the reboot (measured)
# phase: 2
# Two captures of ESP-in-UDP on the box's WAN link (wan ns, wa): boot 1 from the lab's start to the reboot, boot 2
# from before the agent started (bc-lane-net.service) until now. A (source, SPI, sequence) seen twice would be
# a GCM nonce used twice under one key (issue 21); the sequence numbers are the low 32 bits ESN puts on the wire.
esp_capture_stop
pkill -INT -F "$LANE_STATE/boot-ping.pid" 2>/dev/null
sleep 1
# Lines "TIME SOURCE SPI SEQ" with SEQ in decimal (the image's awk is mawk: no hex).
decode() {
  tcpdump -tt -n -r "$1" 2>/dev/null |
    sed -n 's/^\([0-9.]*\) IP \([0-9.]*\)\.4500 > .*ESP(spi=\(0x[0-9a-f]*\),seq=\(0x[0-9a-f]*\)).*/\1 \2 \3 \4/p' |
    while read -r t src spi seq; do echo "$t $src $spi $((seq))"; done
}
decode "$LANE_STATE/esp-boot1.pcap" >"$LANE_STATE/esp-boot1.txt"
decode "$LANE_STATE/esp-boot2.pcap" >"$LANE_STATE/esp-boot2.txt"
count() { awk -v s="$2" -v p="$3" '$2 == s && $3 == p' "$1" | wc -l; }
for b in 1 2; do
  note "boot $b capture: $(wc -l <"$LANE_STATE/esp-boot$b.txt") ESP packets; by source and SPI: $(awk '{ print $2 "/" $3 }' "$LANE_STATE/esp-boot$b.txt" | sort | uniq -c | awk '{ printf "%s×%s ", $2, $1 }')"
done
expect "boot 1 captured the box's outbound c003 (before and after kill -9)" test "$(count "$LANE_STATE/esp-boot1.txt" $BOX_WAN 0x0000c003)" -gt 100
expect "boot 2 captured the box's outbound c003 (after the reboot)" test "$(count "$LANE_STATE/esp-boot2.txt" $BOX_WAN 0x0000c003)" -gt 100
expect "boot 2 captured br2's outbound c004 (its agent restarted too)" test "$(count "$LANE_STATE/esp-boot2.txt" $BR2_WAN 0x0000c004)" -gt 10
dups=$(cat "$LANE_STATE/esp-boot1.txt" "$LANE_STATE/esp-boot2.txt" | awk '{ print $2, $3, $4 }' | sort | uniq -d)
note "(source, SPI, sequence) pairs sent more than once: $(grep -c . <<<"$dups")${dups:+; e.g. $(head -n3 <<<"$dups" | paste -sd';')}"
expect "no (SPI, sequence number) pair is on the wire twice across kill -9, the reboot, the upgrade and the watchdog restart" test -z "$dups"
span() { awk -v s="$2" -v p="$3" '$2 == s && $3 == p { v = $4 + 0; if (min == "" || v < min) min = v; if (v > max) max = v } END { printf "%d..%d", min, max }' "$1"; }
note "box c003 sequence numbers: boot 1 $(span "$LANE_STATE/esp-boot1.txt" $BOX_WAN 0x0000c003), boot 2 $(span "$LANE_STATE/esp-boot2.txt" $BOX_WAN 0x0000c003)"
last1=$(awk -v s=$BOX_WAN '$2 == s && $3 == "0x0000c003" { v = $4 + 0; if (v > m) m = v } END { printf "%d", m }' "$LANE_STATE/esp-boot1.txt")
first2=$(awk -v s=$BOX_WAN '$2 == s && $3 == "0x0000c003" { printf "%d", $4; exit }' "$LANE_STATE/esp-boot2.txt")
expect "after the reboot the box's c003 starts above the last number it sent before ($first2 > $last1)" test "${first2:-0}" -gt "${last1:-0}"

# Back after the reboot: from the agent's start line to its first ESP packet and to the first LAN-to-LAN reply
# (the ping from lan1 ran from before the agents started; br2's agent started at the same time).
ms() { awk '{ printf "%d", $1 * 1000 }' <<<"$1"; }
start=$(journalctl -b -u branch-connector -o short-unix -q --no-pager | grep -m1 'starting for serial' | awk '{ print $1 }')
first_esp=$(awk -v s=$BOX_WAN '$2 == s { print $1; exit }' "$LANE_STATE/esp-boot2.txt")
first_reply=$(sed -n 's/^\[\([0-9.]*\)\].*bytes from.*/\1/p' "$LANE_STATE/boot-ping.txt" | head -n1)
br2_start=$(grep 'starting for serial' "$BR2_DIR/agent.log" | tail -n1 | cut -c1-40)
if [[ -n $start && -n $first_esp ]]; then
  note "box agent start line -> its first ESP packet: $(( $(ms "$first_esp") - $(ms "$start") )) ms"
fi
if [[ -n $start && -n $first_reply ]]; then
  note "box agent start line -> first LAN-to-LAN reply (both agents restoring): $(( $(ms "$first_reply") - $(ms "$start") )) ms${br2_start:+ (br2 agent: $br2_start)}"
fi
expect "LAN-to-LAN traffic came back after the reboot without a broker (a reply in the boot ping)" test -n "$first_reply"
