#!/usr/bin/env bash
# The main job, end to end, in network namespaces with the real agent binary (run as root from a clean clone):
# registration and approval, the first batch (backbone up), a branch LAN reaching a host behind the hub, E2E
# peering between two branches (direct, relayed while the WAN router blocks UDP between them, direct again),
# `branch-connector status`, a bad batch and its rejection, and decommission. Every namespace and process is
# removed on exit (also on Ctrl-C or failure). Exit 0 only if every step passed.
#
#   BC_DEMO_SKIP_BUILD=1   skip deps.sh/build.sh (the binary from BC_AGENT_BINARY, the hub from BC_TESTHUB)
#   BC_DEMO_RELAY_TIMEOUT  seconds to wait for a path switch (default 60)
set -uo pipefail
cd "$(dirname "$0")/.."
[[ $(id -u) -eq 0 ]] || { echo "demo: run as root (namespaces, wireguard-go, iptables)" >&2; exit 2; }

if [[ ${BC_DEMO_SKIP_BUILD:-0} != 1 ]]; then
  scripts/deps.sh || exit 1
  scripts/build.sh || exit 1
  dotnet build tests/BranchConnector.TestHub -c Release -nologo -v quiet || exit 1
fi
source scripts/lib/lab.sh
trap lab_cleanup EXIT
trap 'echo; echo "demo: interrupted"; exit 130' INT TERM
[[ -x $BIN ]] || { echo "demo: no agent binary at $BIN (run scripts/build.sh or set BC_AGENT_BINARY)" >&2; exit 2; }
[[ -x $TESTHUB ]] || { echo "demo: no test hub at $TESTHUB (dotnet build tests/BranchConnector.TestHub -c Release or set BC_TESTHUB)" >&2; exit 2; }

RELAY_TIMEOUT=${BC_DEMO_RELAY_TIMEOUT:-60}
HUB_WAN=203.0.113.1 A_WAN=192.0.2.10 B_WAN=198.51.100.20
A_LAN_HOST=192.168.10.5 B_LAN_HOST=192.168.20.5 DC_HOST=10.20.0.1
BROKER_HOST=$HUB_WAN BROKER_PORT=1883
A=BC-DEMO-A B=BC-DEMO-B
HUB_WG=wgh$LAB_TAG
RESULTS=()
FAILED=0
STARTED=$SECONDS

say()  { printf '    %s\n' "$@"; }
step() { printf '\n== %s\n' "$1"; }
# result NAME ok|FAILED|FALLBACK [why]: one line per step in the summary; FAILED makes the demo exit non-zero.
result() {
  RESULTS+=("$(printf '%-9s %s%s' "$2" "$1" "${3:+ ($3)}")")
  [[ $2 == FAILED ]] && FAILED=1
  printf '   -> %s%s\n' "$2" "${3:+: $3}"
}
show_logs() {
  say "agent A log (last lines):"; tail -n 15 "$LAB_DIR/a.log" | sed 's/^/      /'
  say "hub watch (last lines):";   tail -n 10 "$LAB_DIR/watch.log" | sed 's/^/      /'
}
# show PREFIX CMD...: runs CMD, prints its output after PREFIX, returns its exit code.
show() {
  local prefix=$1 out rc
  shift
  out=$("$@" 2>&1); rc=$?
  say "$prefix${out//$'\n'/$'\n'    }"
  return $rc
}
ping_from() { ip netns exec "$1" ping -c "${3:-3}" -i 0.3 -W 2 -q "$2" >/dev/null 2>&1; }

# ---------------------------------------------------------------------------------------------------------
step "1. The lab: hub edge, WAN router, two branch boxes, a LAN host behind each"
lab_ns hub; lab_ns wan; lab_ns bra; lab_ns brb; lab_ns lana; lab_ns lanb
HUB_NS=$NS_hub
lab_link "$NS_wan" "wh$LAB_TAG" 203.0.113.254/24 "$NS_hub" eth0 $HUB_WAN/24
lab_link "$NS_wan" "wa$LAB_TAG" 192.0.2.254/24 "$NS_bra" eth0 $A_WAN/24
lab_link "$NS_wan" "wb$LAB_TAG" 198.51.100.254/24 "$NS_brb" eth0 $B_WAN/24
lab_link "$NS_bra" lan0 - "$NS_lana" eth0 $A_LAN_HOST/24
lab_link "$NS_brb" lan0 - "$NS_lanb" eth0 $B_LAN_HOST/24
ip -n "$NS_hub" route add default via 203.0.113.254
ip -n "$NS_bra" route add default via 192.0.2.254
ip -n "$NS_brb" route add default via 198.51.100.254
ip -n "$NS_lana" route add default via 192.168.10.1
ip -n "$NS_lanb" route add default via 192.168.20.1
for ns in "$NS_wan" "$NS_hub" "$NS_bra" "$NS_brb"; do lab_forwarding "$ns"; done
lab_hub_wg "$NS_hub" "$HUB_WG" 10.255.0.1/24 51820
ip -n "$NS_hub" addr add $DC_HOST/32 dev lo
ip -n "$NS_hub" route add 192.168.10.0/24 dev "$HUB_WG"
ip -n "$NS_hub" route add 192.168.20.0/24 dev "$HUB_WG"
(umask 077; echo "hub-demo-pw" > "$HUB_PASSWORD_FILE")
lab_mosquitto "$NS_hub" $HUB_WAN $BROKER_PORT "hub=hub-demo-pw" "$A=a-demo-pw" "$B=b-demo-pw"
testhub watch > "$LAB_DIR/watch.log" 2>&1 & LAB_PIDS+=($!)
testhub answer-time > "$LAB_DIR/time.log" 2>&1 & LAB_PIDS+=($!)
say "hub $NS_hub: wireguard-go $HUB_WG 10.255.0.1, data centre host $DC_HOST, mosquitto on $HUB_WAN:$BROKER_PORT, test hub watching"
say "router $NS_wan between hub ($HUB_WAN), branch A ($A_WAN) and branch B ($B_WAN)"
say "LAN hosts: $A_LAN_HOST behind A, $B_LAN_HOST behind B; agent $($BIN --version)"
result "lab built" ok

# ---------------------------------------------------------------------------------------------------------
step "2. Registration and approval"
lab_agent_config a $A mqtt://$HUB_WAN:$BROKER_PORT a-demo-pw information 127.0.0.1:9188
lab_agent_config b $B mqtt://$HUB_WAN:$BROKER_PORT b-demo-pw
lab_agent_start "$NS_bra" a
lab_agent_start "$NS_brb" b
say "started: ip netns exec $NS_bra unshare -m sh -c 'mount -t tmpfs tmpfs /var/run/wireguard && exec branch-connector run --config …'"
registered() {
  A_WG0=$(testhub wait-register --serial $A --key wg0 --timeout 20) &&
  A_WG2=$(testhub wait-register --serial $A --key wg2 --timeout 5) &&
  B_WG0=$(testhub wait-register --serial $B --key wg0 --timeout 20) &&
  B_WG2=$(testhub wait-register --serial $B --key wg2 --timeout 5) || return 1
  say "register from $A: backbone key ${A_WG0:0:10}…, peering key ${A_WG2:0:10}…"
  say "register from $B: backbone key ${B_WG0:0:10}…, peering key ${B_WG2:0:10}…"
  show "" testhub wait-state --serial $A --state pending_approval --timeout 10 || return 1
  show "" testhub wait-state --serial $B --state pending_approval --timeout 10 || return 1
  show "hub: " testhub lifecycle approve --serial $A --wait-state approved --timeout 15 || return 1
  show "hub: " testhub lifecycle approve --serial $B --wait-state approved --timeout 15 || return 1
}
if registered; then result "registration and approval" ok; else result "registration and approval" FAILED; show_logs; exit 1; fi

# ---------------------------------------------------------------------------------------------------------
step "3. The first batch: backbone up"
batch_file() { # NAME LAN_ADDR TUNNEL_IP LAN_SUBNET [extra command JSON]
  cat > "$LAB_DIR/$1-batch.json" <<JSON
[ { "topic": "interface", "body": { "interfaces": [ { "name": "lan0", "addresses": ["$2"] } ] } },
  { "topic": "wireguard", "body": { "interface": "wg0", "enabled": true, "addresses": ["$3/32"], "listen_port": 51820, "mtu": 1420,
      "hub": { "kind": "dedicated_edge", "name": "hub-demo", "public_key": "$HUB_PUBLIC_KEY", "endpoint": "$HUB_WAN:51820",
               "allowed_ips": ["10.255.0.0/24", "10.20.0.0/16"], "persistent_keepalive": 5 },
      "lan_subnets": ["$4"] } },
  { "topic": "monitoring", "body": { "tunnel_status_interval_s": 3, "keepalive_interval_s": 10, "inform_interval_s": 30 } }${5:+, $5} ]
JSON
}
first_batch() {
  ip netns exec "$NS_hub" wg set "$HUB_WG" peer "$A_WG0" allowed-ips 10.255.0.2/32,192.168.10.0/24 &&
  ip netns exec "$NS_hub" wg set "$HUB_WG" peer "$B_WG0" allowed-ips 10.255.0.3/32,192.168.20.0/24 || return 1
  say "hub: branch backbone keys added to $HUB_WG (the orchestrator's job)"
  batch_file a 192.168.10.1/24 10.255.0.2 192.168.10.0/24
  batch_file b 192.168.20.1/24 10.255.0.3 192.168.20.0/24
  show "$A: " testhub publish-batch --serial $A --sequence 1 --file "$LAB_DIR/a-batch.json" || return 1
  show "$B: " testhub publish-batch --serial $B --sequence 1 --file "$LAB_DIR/b-batch.json" || return 1
  show "" testhub wait-state --serial $A --state active --timeout 20 || return 1
  show "" testhub wait-state --serial $B --state active --timeout 20 || return 1
  say "$A wg0: $(lab_in_agent a wg show wg0 latest-handshakes | awk '{print "handshake with hub " ($2 ? "done" : "none")}')"
}
if first_batch; then result "first batch, backbone up" ok; else result "first batch, backbone up" FAILED; show_logs; exit 1; fi

# ---------------------------------------------------------------------------------------------------------
step "4. A branch LAN reaches the host behind the hub"
if ping_from "$NS_lana" $DC_HOST 5 && ping_from "$NS_lanb" $DC_HOST 3; then
  say "ping $A_LAN_HOST (LAN A) → $DC_HOST (behind the hub): ok; and from LAN B: ok"
  result "LAN to data centre" ok
else
  result "LAN to data centre" FAILED "ping $DC_HOST from a branch LAN failed"
fi

# ---------------------------------------------------------------------------------------------------------
step "5. E2E peering between the branches: direct"
peering_file() { # NAME TUNNEL_ADDR PEER_SERIAL PEER_KEY PEER_ENDPOINT PEER_TUNNEL_IP PEER_SUBNET
  cat > "$LAB_DIR/$1-peering.json" <<JSON
[ { "id": "pg-demo", "name": "demo", "protocol": "wireguard", "topology": "mesh", "role": "mesh-peer",
    "interface": "wg2", "tunnel_address": "$2", "listen_port": 51821, "direct_timeout_s": 10,
    "members": [ { "serial": "$3", "public_key": "$4", "endpoint": "$5", "tunnel_ip": "$6", "allowed_ips": ["$7"] } ] } ]
JSON
}
peering_direct() {
  peering_file a 10.250.0.1/24 $B "$B_WG2" $B_WAN:51821 10.250.0.2 192.168.20.0/24
  peering_file b 10.250.0.2/24 $A "$A_WG2" $A_WAN:51821 10.250.0.1 192.168.10.0/24
  show "$A: " testhub publish-peering --serial $A --sequence 1 --file "$LAB_DIR/a-peering.json" || return 1
  show "$B: " testhub publish-peering --serial $B --sequence 1 --file "$LAB_DIR/b-peering.json" || return 1
  ping_from "$NS_lana" $B_LAN_HOST 3 || { say "ping LAN A → LAN B failed"; return 1; }
  say "ping $A_LAN_HOST → $B_LAN_HOST: ok"
  show "tunnel status from $A: " testhub tunnel-status --serial $A --peer $B --path direct --timeout 20 || return 1
}
if peering_direct; then result "peering direct" ok; else result "peering direct" FAILED; fi

# ---------------------------------------------------------------------------------------------------------
step "6. UDP between the branches blocked on the WAN router: relayed through the hub   [needs: relay switching]"
block() { # -I to block, -D to unblock
  ip netns exec "$NS_wan" iptables "$1" FORWARD -p udp -s $A_WAN -d $B_WAN -j DROP &&
  ip netns exec "$NS_wan" iptables "$1" FORWARD -p udp -s $B_WAN -d $A_WAN -j DROP
}
RELAYED=0
# Each end switches on its own evidence: watch both from before the block, so replies also take the hub.
testhub tunnel-status --serial $A --peer $B --path relayed --timeout "$RELAY_TIMEOUT" >"$LAB_DIR/relayed-a" 2>&1 & watch_a=$!
testhub tunnel-status --serial $B --peer $A --path relayed --timeout "$RELAY_TIMEOUT" >"$LAB_DIR/relayed-b" 2>&1 & watch_b=$!
sleep 1
block -I
say "router: iptables -I FORWARD -p udp between $A_WAN and $B_WAN -j DROP (the hub stays reachable)"
say "waiting up to ${RELAY_TIMEOUT}s for tunnel/status from $A and $B to show each other relayed…"
if wait $watch_a && wait $watch_b; then
  RELAYED=1
  say "tunnel status from $A: $(cat "$LAB_DIR/relayed-a")"
  say "tunnel status from $B: $(cat "$LAB_DIR/relayed-b")"
  if ping_from "$NS_lana" $B_LAN_HOST 5; then say "ping $A_LAN_HOST → $B_LAN_HOST through the hub: ok"; result "peering relayed" ok
  else result "peering relayed" FAILED "path says relayed, but LAN A cannot reach LAN B"; fi
else
  say "$(cat "$LAB_DIR/relayed-a" "$LAB_DIR/relayed-b")"
  result "peering relayed" FAILED "no relayed path on both ends within ${RELAY_TIMEOUT}s"
fi

step "7. UDP allowed again: direct again   [needs: relay switching]"
block -D
say "router: the DROP rules removed"
if [[ $RELAYED == 0 ]]; then
  result "peering direct again" FAILED "not shown: the path never switched to relayed"
elif out=$(testhub tunnel-status --serial $A --peer $B --path direct --timeout "$RELAY_TIMEOUT" 2>&1); then
  say "tunnel status from $A: $out"; result "peering direct again" ok
else
  say "$out"; result "peering direct again" FAILED "no direct path within ${RELAY_TIMEOUT}s"
fi

# ---------------------------------------------------------------------------------------------------------
step "8. branch-connector status on branch A"
if "$BIN" --help 2>/dev/null | grep -qE '^\s+status\b'; then
  if ip netns exec "$NS_bra" "$BIN" status --config "$LAB_DIR/a/agent.yaml" | sed 's/^/    /'; then result "status" ok
  else result "status" FAILED "branch-connector status exited non-zero"; fi
else
  say "this binary has no 'status' command yet: the last TunnelStatus the test hub received from $A instead:"
  show "" testhub tunnel-status --serial $A --timeout 10
  result "status" FALLBACK "no status command in this binary; showed the hub's TunnelStatus"
fi

# ---------------------------------------------------------------------------------------------------------
step "8b. Observability on branch A: /metrics and a bug report"
observability() {
  local scrape="$LAB_DIR/a-metrics.txt" report="$LAB_DIR/a-bugreport.tar.gz"
  ip netns exec "$NS_bra" curl -sf http://127.0.0.1:9188/metrics > "$scrape" || { say "no answer from /metrics"; return 1; }
  say "curl http://127.0.0.1:9188/metrics (excerpt):"
  grep -E '^branch_connector_(tunnel_status\{.*\} 1|tunnel_handshake_age|tunnel_receive|peer_path\{.*\} 1|mqtt_connected|apply_results_total|drift_repairs_total|build_info)' "$scrape" | sed 's/^/      /'
  if command -v promtool >/dev/null; then
    promtool check metrics < "$scrape" > "$LAB_DIR/promtool.txt" 2>&1 || { sed 's/^/      /' "$LAB_DIR/promtool.txt"; return 1; }
    say "promtool check metrics: ok"
  fi
  # In the agent's mount namespace, so `wg show` finds its wireguard-go socket.
  local out
  out=$(lab_in_agent a "$BIN" bugreport --out "$report" --config "$LAB_DIR/a/agent.yaml" 2>&1) || { printf '%s\n' "$out" | sed 's/^/    /'; return 1; }
  printf '%s\n' "$out" | sed 's/^/    /'
  say "tar -tzvf $(basename "$report"):"
  tar -tzvf "$report" | awk '{print "      " $1 " " $3 " " $6}'
  if tar -xzOf "$report" | grep -qF "a-demo-pw"; then say "the broker password is in the archive"; return 1; fi
  say "the broker password is nowhere in it"
}
if observability; then result "metrics and bug report" ok; else result "metrics and bug report" FAILED; fi

# ---------------------------------------------------------------------------------------------------------
step "9. A bad batch is rejected and changes nothing"
bad_batch() {
  batch_file a 192.168.10.1/24 10.255.0.2 192.168.10.0/24 \
    '{ "topic": "static", "body": { "routes": [ { "destination": "10.300.0.0/16", "interface": "wg0" } ] } }'
  say "sequence 2 for $A with a static route to 10.300.0.0/16"
  show "$A: " testhub publish-batch --serial $A --sequence 2 --file "$LAB_DIR/a-batch.json" --expect failure || return 1
  ping_from "$NS_lana" $DC_HOST 3 || { say "the previous config is gone: LAN A cannot reach $DC_HOST"; return 1; }
  say "LAN A still reaches $DC_HOST: the applied config (sequence 1) is untouched"
}
if bad_batch; then result "bad batch rejected" ok; else result "bad batch rejected" FAILED; fi

# ---------------------------------------------------------------------------------------------------------
step "10. Decommission"
decommission() {
  show "hub: " testhub lifecycle decommission --serial $A --wait-state decommissioned --timeout 20 || return 1
  local i
  for i in $(seq 50); do kill -0 "$AGENT_PID_a" 2>/dev/null || break; sleep 0.2; done
  if kill -0 "$AGENT_PID_a" 2>/dev/null; then say "the agent is still running"; return 1; fi
  wait "$AGENT_PID_a"; say "the agent stopped (exit $?)"
  local left
  left=$(ip -n "$NS_bra" -br link | awk '$1 ~ /^wg/' | wc -l)
  say "tunnel interfaces left on branch A: $left"
  [[ $left == 0 ]] || return 1
  ip netns exec "$NS_bra" "$BIN" run --config "$LAB_DIR/a/agent.yaml" >/dev/null 2>&1
  local code=$?
  say "starting it again: exit $code (it refuses to run)"
  [[ $code != 0 ]]
}
if decommission; then result "decommission" ok; else result "decommission" FAILED; show_logs; fi

# ---------------------------------------------------------------------------------------------------------
printf '\n== Summary (%ss)\n' $((SECONDS - STARTED))
printf '    %s\n' "${RESULTS[@]}"
if [[ $FAILED == 1 ]]; then echo "demo: FAILED"; exit 1; fi
echo "demo: all steps passed"
