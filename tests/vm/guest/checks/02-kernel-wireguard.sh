# check: kernel WireGuard: implementation auto picks the module, no wireguard-go; the LAN reaches the host behind the hub
# phase: 1
# Registration, approval and the first batch, as the orchestrator does them.
key=$(testhub wait-register --serial $BOX --key wg0 --timeout 90)
expect "Register carries the backbone key" test -n "$key"
remember BOX_WG0 "$key"
ip netns exec hub wg set wgh peer "$BOX_WG0" allowed-ips 10.255.0.2/32,192.168.10.0/24
note "$(testhub lifecycle approve --serial $BOX --wait-state approved --timeout 90 2>&1)"
backbone_batch "$LANE_STATE/box-batch.json" 192.168.10.1/24 10.255.0.2 192.168.10.0/24
out=$(testhub publish-batch --serial $BOX --sequence 1 --file "$LANE_STATE/box-batch.json" --timeout 120 2>&1)
rc=$?
note "batch 1: $out"
expect "batch 1 confirmed with success" test $rc -eq 0
expect "state active (backbone handshake) within 90 s" testhub wait-state --serial $BOX --state active --timeout 90

impl=$(journalctl -u branch-connector -o cat -q | grep -m1 '^WireGuard: ')
note "agent: $impl"
expect "implementation auto chose the kernel module" grep -q '^WireGuard: kernel' <<<"$impl"
note "$(ip -d link show wg0 | sed -n '1p;3p' | sed 's/^ *//')"
expect "wg0 is a kernel wireguard link (not a TUN device)" bash -c 'ip -d link show wg0 | grep -qw wireguard'
expect "the wireguard module is loaded" grep -q '^wireguard ' /proc/modules
expect "no wireguard-go process" bash -c '! pgrep -x wireguard-go >/dev/null'
expect "no wireguard-go on the box at all" bash -c '! command -v wireguard-go >/dev/null'
expect "ping 192.168.10.5 (LAN) -> $DC_HOST (behind the hub)" wait_for 30 ping_ok lan1 $DC_HOST
note "$(wg show wg0 latest-handshakes | awk '{ print "wg0 handshake with the hub " ($2 ? "at " $2 : "none") }'); $(wg show wg0 transfer | awk '{ print "rx", $2, "tx", $3, "bytes" }')"
note "routes: $(ip route show dev wg0 | paste -sd';')"
