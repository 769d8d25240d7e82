# check: IPSec with real SAs box<->second branch: ESP-in-UDP on the wire, SA counters grow, make-before-break rekey under a 20 ms ping loses 0
# phase: 1
# The second branch runs the same installed binary in its namespace; both get their peering from the hub.
world_br2_agent
key=$(testhub wait-register --serial $BR2 --key wg0 --timeout 90)
remember BR2_WG0 "$key"
ip netns exec hub wg set wgh peer "$BR2_WG0" allowed-ips 10.255.0.3/32,192.168.20.0/24
testhub lifecycle approve --serial $BR2 --wait-state approved --timeout 90 >/dev/null 2>&1
backbone_batch "$LANE_STATE/br2-batch.json" 192.168.20.1/24 10.255.0.3 192.168.20.0/24
expect "second branch: batch 1 applied" testhub publish-batch --serial $BR2 --sequence 1 --file "$LANE_STATE/br2-batch.json" --timeout 120

hexkey() { od -An -N36 -tx1 /dev/urandom | tr -d ' \n'; }
# Keys live in 0600 files only; the peering files are the hub's documents (0600 too).
(umask 077 && for k in a1 b1 a2 b2; do hexkey >"$LANE_STATE/ipsec-$k.key"; done)
k() { cat "$LANE_STATE/ipsec-$1.key"; }
# peering_doc FILE LOCAL REMOTE LOCAL_SUBNET REMOTE_SUBNET PEER OUT_SPI OUT_KEY IN_SPI IN_KEY
peering_doc() {
  (umask 077 && cat >"$1" <<JSON
[ { "id": "pg-ipsec", "name": "dc-links", "protocol": "ipsec", "topology": "mesh", "role": "mesh-peer",
    "listen_port": 4500, "local_address": "$2",
    "links": [ { "id": "l-1", "peer_serial": "$6", "remote_address": "$3", "remote_port": 4500,
                 "local_subnets": ["$4"], "remote_subnets": ["$5"],
                 "outbound": { "spi": "$7", "key": "$8" }, "inbound": { "spi": "$9", "key": "${10}" } } ] } ]
JSON
  )
}
# step SEQ BOX_OUT BOX_IN [BR2_OUT BR2_IN]: the peering for both ends (A = box->br2, B = br2->box; SPI and key
# file name). Without the last two, br2 gets the mirror of the box's pair.
declare -A spi=([a1]=0x0000c001 [b1]=0x0000c002 [a2]=0x0000c003 [b2]=0x0000c004)
step() {
  local seq=$1 out=$2 in=$3 out2=${4:-$3} in2=${5:-$2}
  peering_doc "$LANE_STATE/box-peering.json" $BOX_WAN $BR2_WAN 192.168.10.0/24 192.168.20.0/24 $BR2 "${spi[$out]}" "$(k $out)" "${spi[$in]}" "$(k $in)"
  peering_doc "$LANE_STATE/br2-peering.json" $BR2_WAN $BOX_WAN 192.168.20.0/24 192.168.10.0/24 $BOX "${spi[$out2]}" "$(k $out2)" "${spi[$in2]}" "$(k $in2)"
  # Both ends at once: each end keeps a replaced SA for 30 s only, so the two steps must not take longer.
  testhub publish-peering --serial $BOX --sequence "$seq" --file "$LANE_STATE/box-peering.json" --timeout 120 >>"$LANE_STATE/ipsec-steps.log" 2>&1 &
  local box=$!
  testhub publish-peering --serial $BR2 --sequence "$seq" --file "$LANE_STATE/br2-peering.json" --timeout 120 >>"$LANE_STATE/ipsec-steps.log" 2>&1
  local rc=$?
  wait $box && return $rc
}
# sa_counter NETNS-ARGS SRC DST SPI bytes|packets: the SA's lifetime counter (the state's keys never leave this function).
sa_counter() {
  ip $1 -s xfrm state get src "$2" dst "$3" proto esp spi "$4" 2>/dev/null |
    sed -n "s/^[[:space:]]*\([0-9]*\)(bytes), \([0-9]*\)(packets).*/\1 \2/p" | head -n1 |
    awk -v f="$5" '{ print (f == "bytes" ? $1 : $2) }'
}

expect "peering sequence 1 (SPIs c001/c002) applied on both ends" step 1 a1 b1
expect "LAN 192.168.10.5 reaches LAN 192.168.20.5 through ESP" wait_for 30 ping_ok lan1 $LAN2_HOST
out_before=$(sa_counter "" $BOX_WAN $BR2_WAN ${spi[a1]} bytes)
in_before=$(sa_counter "" $BR2_WAN $BOX_WAN ${spi[b1]} bytes)
ip netns exec wan tcpdump -i wa -n -U -w "$LANE_STATE/wan.pcap" 'udp port 4500 or icmp' >/dev/null 2>&1 &
dump=$!
sleep 2
stats=$(ping_stats lan1 $LAN2_HOST 100)
sleep 1
kill -INT $dump
wait $dump
out_after=$(sa_counter "" $BOX_WAN $BR2_WAN ${spi[a1]} bytes)
in_after=$(sa_counter "" $BR2_WAN $BOX_WAN ${spi[b1]} bytes)
note "100 pings: $stats; box SA out c001 bytes $out_before -> $out_after, in c002 $in_before -> $in_after"
expect "outbound SA byte counter grew" test "${out_after:-0}" -gt "${out_before:-0}"
expect "inbound SA byte counter grew" test "${in_after:-0}" -gt "${in_before:-0}"
decoded=$(tcpdump -n -r "$LANE_STATE/wan.pcap" 2>/dev/null)
esp=$(grep -c 'UDP-encap: ESP' <<<"$decoded")
plain=$(grep -c "ICMP echo" <<<"$decoded")
note "capture on the WAN link (wan ns, wa): $esp ESP-in-UDP packets, $plain plaintext ICMP echoes; e.g. $(grep -m1 'UDP-encap' <<<"$decoded" | cut -d' ' -f2-)"
expect "the LAN-to-LAN ping is ESP-in-UDP on port 4500 on the wire" test "$esp" -ge 100
expect "no plaintext ICMP on the wire" test "$plain" -eq 0

# Make-before-break rekey under a 20 ms ping. The hub sends the new inbound SAs first (both ends), then the
# new outbound ones: a sender may only switch once its receiver holds the new SA (the agents cannot see each
# other; docs/xfrm.md). Each end keeps the replaced SAs for 30 s. Step 1 changes only inbound SAs: the box's
# document is (out c001, in c004) and br2's (out c002, in c003); neither end's outbound moves until step 2.
ip netns exec lan1 ping -i 0.02 -W 1 $LAN2_HOST >"$LANE_STATE/rekey-ping.txt" 2>&1 &
pinger=$!
sleep 2
expect "rekey step 1: new inbound SAs (c004 at the box, c003 at br2) applied on both ends" step 2 a1 b2 b1 a2
t_step=$(now_ms)
expect "rekey step 2: new outbound SAs applied on both ends" step 3 a2 b2
note "step 2 took $(( $(now_ms) - t_step )) ms (both ends in parallel; must stay well under the 30 s retirement)"
sleep 3
kill -INT $pinger
wait $pinger
read -r sent lost < <(ping_loss "$LANE_STATE/rekey-ping.txt")
stats="$sent sent, $lost lost"
note "rekey under a 20 ms ping: $stats"
expect "the rekey lost 0 packets ($sent sent)" test "${sent:-0}" -gt 100 -a "${lost:-1}" -eq 0
spis=$(ip xfrm state | grep -o 'spi 0x[0-9a-f]*' | sort -u | paste -sd' ')
note "box SAs right after the rekey: $spis (the old pair retires 30 s after it was replaced)"
expect "traffic now uses the new outbound SA c003" bash -c 'b=$(ip -s xfrm state get src '$BOX_WAN' dst '$BR2_WAN' proto esp spi 0x0000c003 | sed -n "s/^[[:space:]]*\([0-9]*\)(bytes).*/\1/p" | head -n1); test "${b:-0}" -gt 0'

# Static keys and a restarted peer (docs/xfrm.md, "Sequence numbers across restarts"). (a) The second branch's
# agent restarts: it adopts the SAs, their sequence numbers go on. (b) The second branch "reboots" (its SAs are
# gone, its agent starts again): the agent re-installs the same keys from last-known-good above its sequence
# record (record + 2^30), never at 1, and the box (replay window, ESN) accepts the jump.
oseq() { ip -n br2 xfrm state get src $BR2_WAN dst $BOX_WAN proto esp spi ${spi[b2]} 2>/dev/null | sed -n 's/.*oseq \(0x[0-9a-f]*\).*/\1/p'; }
restart_br2() { # [flush]
  local starts pid
  starts=$(grep -c 'start-up: ' "$BR2_DIR/agent.log")
  pid=$(cat "$BR2_DIR/pid")
  kill -TERM "$pid"
  wait_for 30 bash -c '! kill -0 "$1" 2>/dev/null' _ "$pid"
  [[ ${1:-} == flush ]] && ip -n br2 xfrm state flush
  world_br2_agent
  wait_for 60 bash -c 'test "$(grep -c "start-up: " "$1")" -gt "$2"' _ "$BR2_DIR/agent.log" "$starts"
}
ping_ok lan2 $LAN1_HOST
before=$(oseq)
restart_br2
ping_ok lan2 $LAN1_HOST
after=$(oseq)
note "(a) br2 agent restart: outbound SA c004 oseq $before -> $after; $(grep 'start-up: ' "$BR2_DIR/agent.log" | tail -n1 | sed 's/^.*start-up/start-up/')"
expect "(a) an agent restart keeps the SAs: sequence numbers go on" test $((after)) -gt $((before))
restart_br2 flush
expect "(b) after its SAs were lost the peer reaches the box again" wait_for 20 ping_ok lan2 $LAN1_HOST
again=$(oseq)
in_stats=$(ip -s xfrm state get src $BR2_WAN dst $BOX_WAN proto esp spi ${spi[b2]} | grep -E 'replay-window|oseq' | sed 's/^[[:space:]]*//' | paste -sd';')
note "(b) br2 SAs re-installed from last-known-good: oseq $after -> $again; box's inbound c004: $in_stats"
expect "(b) the re-installed SA starts above everything it sent before ($again > $after): no sequence number is used twice" test $((again)) -gt $((after))
note "(b) jump $((again - after)) = 2^30 + $((again - after - (1 << 30))) (the margin over the record taken when the agent stopped, plus the packets since)"

# No IPSec key anywhere in the journal or in the second agent's log.
journalctl -b -o verbose -q --no-pager >"$LANE_STATE/journal-check3.txt"
for key in a1 b1 a2 b2; do
  expect "IPSec key $key is in no log" bash -c '[[ -n $1 ]] && ! grep -qiF -- "$1" "$2" "$3"' _ "$(k $key)" "$LANE_STATE/journal-check3.txt" "$BR2_DIR/agent.log"
done
