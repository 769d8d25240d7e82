# check: full tunnel on a strict rp_filter=1 box (real kernel): Confirm over the same MQTT connection, LAN and box reach the host behind the hub, split again restores rules, mangle chains and sysctls
# phase: 1
# What FullTunnelTests proves in namespaces, on Debian's kernel under systemd: the hub is reached only through
# the main default route (wan0 has no route to 203.0.113.0/24 but the default), so a full tunnel would capture
# the broker and the WireGuard endpoint unless the agent keeps them out (fwmark, suppress_prefixlength 0,
# src_valid_mark, connmark save/restore), and rp_filter=1 drops the hub's replies unless the mark is restored.
sysctls="net.ipv4.conf.all.rp_filter net.ipv4.conf.wan0.rp_filter net.ipv4.conf.all.src_valid_mark"
saved=$(sysctl -e $sysctls | tr -d ' ')
sysctl -qw net.ipv4.conf.all.rp_filter=1 net.ipv4.conf.wan0.rp_filter=1 net.ipv4.conf.all.src_valid_mark=0
note "box before: $(sysctl $sysctls | paste -sd' ')"
view() { # rules, mangle rules of both families (no counters), the sysctls
  ip -4 rule show; ip -6 rule show
  iptables-save -t mangle | grep -E '^(-A |:)' | sed 's/\[[0-9]*:[0-9]*\]//'
  ip6tables-save -t mangle | grep -E '^(-A |:)' | sed 's/\[[0-9]*:[0-9]*\]//'
  sysctl net.ipv4.conf.all.src_valid_mark net.ipv4.conf.all.rp_filter
}
split=$(view)
main_default=$(ip -4 route show default table main)
journal_mark "$LANE_STATE/cursor-full"

backbone_batch "$LANE_STATE/box-full.json" 192.168.10.1/24 10.255.0.2 192.168.10.0/24 '["0.0.0.0/0"]'
out=$(testhub publish-batch --serial $BOX --sequence 2 --file "$LANE_STATE/box-full.json" --timeout 120 --json 2>&1)
rc=$?
note "batch 2 (hub allowed_ips 0.0.0.0/0): $out"
expect "full-tunnel batch 2 confirmed with success (over the connection it came on)" test $rc -eq 0
remember BOX_BATCH 2
expect "src_valid_mark=1 (the wg-quick recipe)" test "$(sysctl -n net.ipv4.conf.all.src_valid_mark)" = 1
expect "the main table's default route is untouched" test "$(ip -4 route show default table main)" = "$main_default"
mangle=$(iptables-save -t mangle)
expect "connmark restore in BC-CTMARK-IN" grep -q -- '-A BC-CTMARK-IN -m connmark --mark 0xca6c -j CONNMARK --restore-mark' <<<"$mangle"
expect "connmark save in BC-CTMARK-OUT" grep -q -- '-A BC-CTMARK-OUT -m mark --mark 0xca6c -j CONNMARK --save-mark' <<<"$mangle"
note "rules: $(ip -4 rule show | grep -v -E '^(0|32766|32767):' | sed 's/\t/ /g' | paste -sd';')"
expect "LAN 192.168.10.5 reaches $DC_HOST through the full tunnel (rp_filter=1)" wait_for 30 ping_ok lan1 $DC_HOST
expect "the box itself reaches $DC_HOST through the full tunnel" ping -q -c 3 -i 0.3 -W 2 $DC_HOST
note "wg0: $(wg show wg0 transfer | awk '{ print "rx", $2, "tx", $3, "bytes" }'); route get $DC_HOST: $(ip route get $DC_HOST | head -n1)"

# Back to the split tunnel, still on the same MQTT connection.
backbone_batch "$LANE_STATE/box-batch3.json" 192.168.10.1/24 10.255.0.2 192.168.10.0/24
out=$(testhub publish-batch --serial $BOX --sequence 3 --file "$LANE_STATE/box-batch3.json" --timeout 120 --json 2>&1)
rc=$?
note "batch 3 (split again): $out"
expect "split-tunnel batch 3 confirmed with success" test $rc -eq 0
remember BOX_BATCH 3
lines=$(journal_since "$LANE_STATE/cursor-full")
expect "no MQTT reconnect while the full tunnel was up (the control plane stayed on the WAN)" \
  bash -c '! grep -qE "MQTT connected to|MQTT connection to" <<<"$1"' _ "$lines"
after=$(view)
expect "rules, mangle chains and sysctls exactly as before the full tunnel" test "$after" = "$split"
[[ $after == "$split" ]] || note "$(diff <(echo "$split") <(echo "$after") | head -n 20)"
expect "LAN reaches $DC_HOST again (split)" wait_for 30 ping_ok lan1 $DC_HOST

# networkd: not part of a Debian 12 install, and not enabled in the image; `networkctl reconfigure` would apply
# only where it manages the LAN link.
networkd=$(systemctl is-enabled systemd-networkd.service 2>&1)
note "systemd-networkd: $networkd (the networkctl reconfigure part applies only where networkd manages the LAN link)"
expect "systemd-networkd is not enabled in the image (so it never touches the agent's routes here)" test "$networkd" != enabled
sysctl -qw $saved
note "box after (restored for the later checks): $(sysctl $sysctls | paste -sd' ')"
