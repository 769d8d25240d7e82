# check: reboot with the broker unreachable: tunnel and routes back from last-known-good within 2 s of the start line, traffic flows
# phase: 2
# bc-lane-net.service rebuilt the links before the agent started (a real box's NICs); the hub's broker is not
# running. The agent was enabled in check 1 and started on its own at boot.
lines=$(journalctl -b -u branch-connector -o short-unix -q --no-pager)
start=$(grep -m1 'starting for serial' <<<"$lines")
restored=$(grep -m1 'start-up: ' <<<"$lines")
note "$start"
note "$restored"
ms() { awk '{ printf "%d", $1 * 1000 }' <<<"$1"; }
if [[ -n $start && -n $restored ]]; then
  gap=$(( $(ms "$restored") - $(ms "$start") ))
  note "start line -> last-known-good applied: $gap ms (agent started $(awk '{ print $1 }' /proc/uptime | cut -d. -f1) s ago minus the lane's own start)"
else
  gap=999999
fi
expect "the agent started on boot and restored its last batch and the peering" grep -q "start-up: batch ${BOX_BATCH:-1}, peering 3" <<<"$restored"
expect "tunnel and routes back within 2 s of the agent's start line ($gap ms)" test "$gap" -le 2000
expect "the broker was unreachable meanwhile (no MQTT connection this boot)" bash -c '! grep -q "MQTT connected" <<<"$1"' _ "$lines"
expect "wg0 is a kernel wireguard link again" bash -c 'ip -d link show wg0 | grep -qw wireguard'
expect "the LAN route via wg0 is back (10.20.0.0/16)" bash -c 'ip route show 10.20.0.0/16 | grep -q "dev wg0"'
expect "the IPSec SAs and policies are back" bash -c 'ip xfrm state | grep -q "spi 0x0000c003" && ip xfrm policy | grep -q "192.168.20.0/24"'
expect "ping 192.168.10.5 (LAN) -> $DC_HOST (behind the hub) without a broker" wait_for 60 ping_ok lan1 $DC_HOST
note "$(wg show wg0 latest-handshakes | awk '{ print "wg0 handshake at", $2 }')"
# The broker comes back for the next checks; the agent reconnects on its own.
world_broker
expect "MQTT reconnects once the broker is back" wait_for 120 bash -c 'journalctl -b -u branch-connector -o cat -q | grep -q "MQTT connected"'
