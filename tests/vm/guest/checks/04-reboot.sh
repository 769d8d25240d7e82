# check: reboot with the broker unreachable: tunnel and routes back from last-known-good (time from the start line measured), the unit not killed at boot, traffic flows
# phase: 2
# bc-lane-net.service rebuilt the links before the agent started (a real box's NICs); the hub's broker is not
# running. The agent was enabled in check 1 and started on its own at boot.
# bc-lane.service may start before the agent has (under TCG and load its start takes minutes): wait for it.
wait_for 600 bash -c 'journalctl -b -u branch-connector -q -o cat | grep -qE "start-up: |start-up reconcile incomplete"'
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
# Measured, not asserted: the 2 s of issue 14 is a real box's figure; under TCG one `ip` call takes 0.1-1 s and
# an empty start (check 1) already takes tens of seconds (the project times nothing in tests: scripts/bench.sh).
note "(issue 14's target on a real box: 2000 ms; under TCG the figure only shows the order of events)"
expect "the unit was not killed or restarted this boot (no watchdog, no start timeout): NRestarts=$(systemctl show -p NRestarts --value branch-connector)" \
  bash -c 'test "$(systemctl show -p NRestarts --value branch-connector)" = 0 && ! journalctl -b -u branch-connector -q -o cat | grep -q "Failed with result"'
note "$(journalctl -b -u branch-connector -q -o cat | grep -E 'Failed with result|Watchdog timeout|start operation timed out' | head -n 3)"
expect "the broker was unreachable meanwhile (no MQTT connection this boot)" bash -c '! grep -q "MQTT connected" <<<"$1"' _ "$lines"
expect "wg0 is a kernel wireguard link again" bash -c 'ip -d link show wg0 | grep -qw wireguard'
expect "the LAN route via wg0 is back (10.20.0.0/16)" bash -c 'ip route show 10.20.0.0/16 | grep -q "dev wg0"'
expect "the IPSec SAs and policies are back" bash -c 'ip xfrm state | grep -q "spi 0x0000c003" && ip xfrm policy | grep -q "192.168.20.0/24"'
expect "ping 192.168.10.5 (LAN) -> $DC_HOST (behind the hub) without a broker" wait_for 60 ping_ok lan1 $DC_HOST
note "$(wg show wg0 latest-handshakes | awk '{ print "wg0 handshake at", $2 }')"
# The broker comes back for the next checks; the agent reconnects on its own.
world_broker
expect "MQTT reconnects once the broker is back" wait_for 120 bash -c 'journalctl -b -u branch-connector -o cat -q | grep -q "MQTT connected"'
