#!/usr/bin/env bash
# Measures the agent side by side with the fewest possible tool calls (the floor) and with one call per object
# (the naive way), in namespaces with the real tools, for three sizes. Prints a table and writes
# artifacts/bench/bench.json. Run as root after scripts/deps.sh and scripts/build.sh.
#
#   BENCH_SIZES="S M L"      which sizes to run
#   BENCH_NAIVE_BUDGET_S=90  the naive way stops after this many seconds per size and is extrapolated (marked ≈)
set -uo pipefail
cd "$(dirname "$0")/.."
[[ $(id -u) -eq 0 ]] || { echo "bench: run as root" >&2; exit 2; }
source scripts/lib/lab.sh
source scripts/lib/bench-docs.sh
trap lab_cleanup EXIT
trap 'echo "bench: interrupted"; exit 130' INT TERM
[[ -x $BIN ]] || { echo "bench: no agent binary at $BIN (scripts/build.sh)" >&2; exit 2; }
[[ -x $TESTHUB ]] || { echo "bench: no test hub at $TESTHUB (dotnet build tests/BranchConnector.TestHub -c Release)" >&2; exit 2; }

SIZES=${BENCH_SIZES:-S M L}
NAIVE_BUDGET=${BENCH_NAIVE_BUDGET_S:-90}
declare -A ROUTES=([S]=10 [M]=200 [L]=2000) ACL=([S]=20 [M]=1000 [L]=5000) NAT=([S]=0 [M]=0 [L]=100) PEERS=([S]=0 [M]=50 [L]=250)
declare -A R=()   # results: R[size.metric]
BOX_INDEX=0
HUB_WAN=203.0.113.1 BROKER_HOST=203.0.113.1 BROKER_PORT=1883
MUTATING='^(ip (-batch|(-[46] )?(route|rule|addr|address|link) (add|del|delete|replace|change|set|flush))|wg (set|setconf|syncconf|addconf)|ip6?tables-restore|ip6?tables(-nft|-legacy)? .*(-A|-D|-I|-N|-X|-F) |wireguard-go|sysctl -w)'

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
json_get() { sed -n "s/.*\"$1\":\([^,}]*\).*/\1/p" <<<"$2" | head -1 | tr -d '"'; }
# ran_since NAME LINE: the agent's "ran <cmd> exit=…" debug lines after log line LINE (how many processes it spawned).
ran_since() { tail -n +"$(($2 + 1))" "$LAB_DIR/$1.log" | sed -n 's/.*\bran \(.*\) exit=.*/\1/p'; }
log_lines() { wc -l < "$LAB_DIR/$1.log"; }
status_kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }

echo "bench: building the hub"
lab_ns hub
HUB_NS=$NS_hub
(umask 077; echo "hub-bench-pw" > "$HUB_PASSWORD_FILE")
lab_hub_wg "$NS_hub" "wgh$LAB_TAG" 10.255.0.1/24 51820
# A bridge in the hub: each size's branch box plugs in with its own veth.
ip -n "$NS_hub" link add br0 type bridge
ip -n "$NS_hub" addr add $HUB_WAN/24 dev br0
ip -n "$NS_hub" link set br0 up

# measure_size SIZE: one fresh branch box and agent, a floor box and a naive box for SIZE.
measure_size() {
  local s=$1 serial="BENCH-$1-$LAB_TAG" name="agent$1" br fl nv pid line out
  lab_ns "br$s"; lab_ns "fl$s"; lab_ns "nv$s"
  br="bc$LAB_TAG-br$s"; fl="bc$LAB_TAG-fl$s"; nv="bc$LAB_TAG-nv$s"
  lab_link "$NS_hub" "h$s$LAB_TAG" - "$br" eth0 "203.0.113.$((10 + ++BOX_INDEX))/24"
  ip -n "$NS_hub" link set "h$s$LAB_TAG" master br0
  # No dummy driver everywhere: a veth pair inside the box stands in for the LAN port.
  for ns in "$br" "$fl" "$nv"; do ip -n "$ns" link add lan0 type veth peer name lanp; ip -n "$ns" link set lanp up; ip -n "$ns" link set lan0 up; done
  lab_agent_config "$name" "$serial" "mqtt://$HUB_WAN:$BROKER_PORT" "pw-$s" debug

  bench_batch "$LAB_DIR/$s-batch.json" "${ROUTES[$s]}" "${ACL[$s]}" "${NAT[$s]}" "$HUB_PUBLIC_KEY" "$HUB_WAN:51820"
  bench_batch "$LAB_DIR/$s-batch-changed.json" "${ROUTES[$s]}" "${ACL[$s]}" "${NAT[$s]}" "$HUB_PUBLIC_KEY" "$HUB_WAN:51820" 1
  ((PEERS[$s] > 0)) && bench_peering "$LAB_DIR/$s-peering.json" "${PEERS[$s]}"

  lab_agent_start "$br" "$name"
  local pidvar="AGENT_PID_$name"; pid=${!pidvar}
  testhub wait-register --serial "$serial" --key wg0 --timeout 30 > /dev/null || { echo "bench: $serial did not register" >&2; return 1; }
  sleep 2
  R[$s.rss_idle_kb]=$(status_kb "$pid" VmRSS)

  # Cold apply: publish → Confirm received, and the agent's own duration_ms.
  line=$(log_lines "$name")
  out=$(testhub publish-batch --serial "$serial" --sequence 1 --file "$LAB_DIR/$s-batch.json" --json --timeout 120) || { echo "bench: $s cold apply: $out" >&2; return 1; }
  R[$s.cold_ms]=$(json_get elapsed_ms "$out"); R[$s.cold_agent_ms]=$(json_get duration_ms "$out")
  R[$s.cold_procs]=$(ran_since "$name" "$line" | wc -l)
  R[$s.cold_mutating]=$(ran_since "$name" "$line" | grep -cE "$MUTATING")

  R[$s.peering_ms]=n/a R[$s.peering_agent_ms]=n/a
  if ((PEERS[$s] > 0)); then
    if out=$(testhub publish-peering --serial "$serial" --sequence 1 --file "$LAB_DIR/$s-peering.json" --json --timeout 120); then
      R[$s.peering_ms]=$(json_get elapsed_ms "$out"); R[$s.peering_agent_ms]=$(json_get duration_ms "$out")
    else
      R[$s.peering_ms]="n/a (peering not applied)"; R[$s.peering_agent_ms]="n/a (peering not applied)"
      echo "bench: $s peering not applied: $out" >&2
    fi
  fi

  # The end state the floor and the naive way reproduce.
  capture_state "$name" "$br"
  floor_apply "$s" "$fl"
  naive_apply "$s" "$nv"
  R[$s.agent_total_ms]=$(awk -v a="${R[$s.cold_ms]}" -v b="${R[$s.peering_ms]}" 'BEGIN { printf "%.1f", a + (b ~ /^[0-9.]+$/ ? b : 0) }')

  # Re-applying the same batch (a new sequence, same content): nothing may change.
  line=$(log_lines "$name")
  out=$(testhub publish-batch --serial "$serial" --sequence 2 --file "$LAB_DIR/$s-batch.json" --json --timeout 120) || return 1
  R[$s.reapply_ms]=$(json_get elapsed_ms "$out"); R[$s.reapply_agent_ms]=$(json_get duration_ms "$out")
  R[$s.reapply_procs]=$(ran_since "$name" "$line" | wc -l)
  R[$s.reapply_mutating]=$(ran_since "$name" "$line" | grep -cE "$MUTATING")

  # One route changed.
  line=$(log_lines "$name")
  out=$(testhub publish-batch --serial "$serial" --sequence 3 --file "$LAB_DIR/$s-batch-changed.json" --json --timeout 120) || return 1
  R[$s.change_ms]=$(json_get elapsed_ms "$out"); R[$s.change_agent_ms]=$(json_get duration_ms "$out")
  R[$s.change_ops]=$(( $(json_get added "$out") + $(json_get removed "$out") + $(json_get changed "$out") ))
  R[$s.change_procs]=$(ran_since "$name" "$line" | wc -l)
  R[$s.change_mutating]=$(ran_since "$name" "$line" | grep -cE "$MUTATING")
  R[$s.rss_peak_kb]=$(status_kb "$pid" VmHWM)

  [[ $s == M ]] && startup_offline "$name" "$br"
  kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  ip netns exec "$br" "$BIN" cleanup --config "$LAB_DIR/$name/agent.yaml" > /dev/null 2>&1
  return 0
}

# capture_state NAME NS: addresses, routes, wg configs and iptables rules the agent left, as floor scripts.
capture_state() {
  local name=$1 ns=$2 dir=$LAB_DIR/state-$1 ifc
  mkdir -p "$dir"; chmod 700 "$dir"
  : > "$dir/ip.batch"
  for ifc in wg0 wg2; do
    ip -n "$ns" link show "$ifc" > /dev/null 2>&1 || continue
    lab_in_agent "$name" wg showconf "$ifc" > "$dir/$ifc.conf"
    echo "$ifc" >> "$dir/wg-ifs"
    ip -n "$ns" -o -4 addr show dev "$ifc" | awk -v d="$ifc" '{ print "addr add " $4 " dev " d }' >> "$dir/ip.batch"
    echo "link set $ifc mtu $(ip -n "$ns" -o link show "$ifc" | sed -n 's/.* mtu \([0-9]*\).*/\1/p') up" >> "$dir/ip.batch"
  done
  ip -n "$ns" -o -4 addr show dev lan0 | awk '{ print "addr add " $4 " dev lan0" }' >> "$dir/ip.batch"
  ip -n "$ns" route show proto 188 | sed 's/^/route add /' >> "$dir/ip.batch"
  ip netns exec "$ns" iptables-save > "$dir/v4.rules"
  ip netns exec "$ns" ip6tables-save > "$dir/v6.rules"
  R[${1#agent}.objects]=$(( $(grep -c . "$dir/ip.batch") + $(grep -c '^-A' "$dir/v4.rules") + $(grep -c '^-A' "$dir/v6.rules") + $(cat "$dir"/wg*.conf | grep -c '^\[Peer\]') ))
}

# In a fresh namespace with its own /var/run/wireguard: run a shell script, print its "ms calls" line.
in_box() { ip netns exec "$1" unshare -m sh -c 'mkdir -p /var/run/wireguard && mount -t tmpfs tmpfs /var/run/wireguard && . "$0"' "$2"; }

# floor_apply SIZE NS: the same end state with the fewest calls: wireguard-go per device, one wg setconf per
# device, one ip -batch, one iptables-restore (and ip6tables-restore).
floor_apply() {
  local dir=$LAB_DIR/state-agent$1 script=$LAB_DIR/floor-$1.sh
  cat > "$script" <<SH
start=\$(date +%s%N); calls=0
for d in \$(cat $dir/wg-ifs); do wireguard-go \$d 2>/dev/null; wg setconf \$d $dir/\$d.conf; calls=\$((calls + 2)); done
ip -batch $dir/ip.batch; iptables-restore < $dir/v4.rules; ip6tables-restore < $dir/v6.rules; calls=\$((calls + 3))
echo \$(( (\$(date +%s%N) - start) / 1000000 )) \$calls
SH
  read -r R[$1.floor_ms] R[$1.floor_calls] < <(in_box "$2" "$script")
  R[$1.floor_check]=$(ip -n "$2" route show proto 188 | wc -l)/$(grep -c '^route' "$dir/ip.batch")
}

# naive_apply SIZE NS: one call per object (wg set per peer, ip per address/route, iptables per chain/rule),
# stopped after NAIVE_BUDGET seconds and extrapolated from the objects done.
naive_apply() {
  local dir=$LAB_DIR/state-agent$1 script=$LAB_DIR/naive-$1.sh
  cat > "$script" <<SH
start=\$(date +%s%N); calls=0; done_objects=0; budget=\$(( $NAIVE_BUDGET * 1000000000 ))
over() { [ \$(( \$(date +%s%N) - start )) -gt \$budget ]; }
for d in \$(cat $dir/wg-ifs); do
  wireguard-go \$d 2>/dev/null; calls=\$((calls + 1))
  awk '/^PrivateKey/ { print \$3 }' $dir/\$d.conf > $dir/\$d.key
  port=\$(awk '/^ListenPort/ { print \$3 }' $dir/\$d.conf)
  wg set \$d private-key $dir/\$d.key \${port:+listen-port \$port}; calls=\$((calls + 1))
  awk '/^\[Peer\]/ { if (k) print k, a, e, p; k = a = e = p = "" } /^PublicKey/ { k = \$3 } /^AllowedIPs/ { sub(/^AllowedIPs = /, ""); gsub(/ /, ""); a = \$0 }
       /^Endpoint/ { e = \$3 } /^PersistentKeepalive/ { p = \$3 } END { if (k) print k, a, e, p }' $dir/\$d.conf |
  while read -r k a e p; do over && break; wg set \$d peer \$k allowed-ips \$a \${e:+endpoint \$e} \${p:+persistent-keepalive \$p}; done
  calls=\$((calls + \$(grep -c '^\[Peer\]' $dir/\$d.conf)))
done
while read -r line; do over && break; ip \$line; calls=\$((calls + 1)); done < $dir/ip.batch
for fam in v4 v6; do
  tool=iptables; [ \$fam = v6 ] && tool=ip6tables
  awk '/^\*/ { t = substr(\$0, 2) } /^:BC-/ { print t, "-N", substr(\$1, 2) } /^-A/ { print t, \$0 }' $dir/\$fam.rules > $dir/\$fam.naive
  while read -r t rule; do over && break; eval "\$tool -t \$t \$rule"; calls=\$((calls + 1)); done < $dir/\$fam.naive
done
echo \$(( (\$(date +%s%N) - start) / 1000000 )) \$calls
SH
  read -r R[$1.naive_ms] R[$1.naive_calls] < <(in_box "$2" "$script")
  local total
  total=$(( $(cat "$dir"/wg-ifs | wc -l) * 2 + $(cat "$dir"/wg*.conf | grep -c '^\[Peer\]') + $(grep -c . "$dir/ip.batch") + $(cat "$dir"/v4.naive "$dir"/v6.naive | wc -l) ))
  R[$1.naive_total_calls]=$total
  if ((R[$1.naive_calls] < total)); then
    R[$1.naive_ms]="≈$(awk -v ms="${R[$1.naive_ms]}" -v n="${R[$1.naive_calls]}" -v t="$total" 'BEGIN { printf "%.0f", ms * t / n }')"
  fi
}

# startup_offline NAME NS: stop the agent, remove what it owns (keys and applied config stay), start it with the
# broker unreachable, time until the backbone device and every route are back.
startup_offline() {
  local name=$1 ns=$2 pidvar="AGENT_PID_$1" expected t0 i
  expected=$(ip -n "$ns" route show proto 188 | wc -l)
  kill -TERM "${!pidvar}"; wait "${!pidvar}" 2>/dev/null
  ip netns exec "$ns" "$BIN" cleanup --config "$LAB_DIR/$name/agent.yaml" > /dev/null 2>&1
  sed -i 's|urls: \[ .* \]|urls: [ "mqtt://192.0.2.99:1883" ]|' "$LAB_DIR/$name/agent.yaml"
  t0=$(now_ms)
  lab_agent_start "$ns" "$name"
  R[M.startup_ms]="not reached in 60 s"
  for i in $(seq 3000); do
    if ip -n "$ns" link show wg0 up > /dev/null 2>&1 && (( $(ip -n "$ns" route show proto 188 | wc -l) >= expected )); then
      R[M.startup_ms]=$(( $(now_ms) - t0 )); break
    fi
    sleep 0.02
  done
}

# The broker needs every bench serial up front: the hub's users are known before the agents start.
: > "$LAB_DIR/bench-users"
for s in $SIZES; do echo "BENCH-$s-$LAB_TAG=pw-$s" >> "$LAB_DIR/bench-users"; done
mapfile -t USERS < "$LAB_DIR/bench-users"
lab_mosquitto "$NS_hub" $HUB_WAN $BROKER_PORT "hub=hub-bench-pw" "${USERS[@]}"
for s in $SIZES; do
  echo "bench: size $s (${ROUTES[$s]} routes, ${ACL[$s]} acl rules, ${NAT[$s]} nat rules, ${PEERS[$s]} peering members)"
  measure_size "$s" || { echo "bench: size $s failed" >&2; BENCH_FAILED=1; }
done

ratio() { awk -v a="${1#≈}" -v b="${2#≈}" 'BEGIN { if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b > 0) printf "%.1f×", a / b; else print "n/a" }'; }
BIN_MB=$(awk -v b="$(stat -c %s "$BIN")" 'BEGIN { printf "%.1f", b / 1048576 }')
DEB=$(ls "$REPO"/artifacts/deb/*_amd64.deb 2>/dev/null | head -1)
ARM_BIN=$REPO/artifacts/bin/arm64/branch-connector
ARM_MB=$([[ -f $ARM_BIN ]] && awk -v b="$(stat -c %s "$ARM_BIN")" 'BEGIN { printf "%.1f", b / 1048576 }' || echo "n/a")
DEB_MB=$([[ -n $DEB ]] && awk -v b="$(stat -c %s "$DEB")" 'BEGIN { printf "%.1f", b / 1048576 }' || echo "n/a (no .deb built)")
MACHINE="$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), kernel $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"

pc() { echo "${R[$2.$1_procs]:-n/a} (${R[$2.$1_mutating]:-n/a})"; }
fc() { echo "${R[$2.$1_ms]:-n/a} / ${R[$2.$1_calls]:-n/a}"; }
td() { echo "${R[$2.$1_ms]:-n/a} (${R[$2.$1_agent_ms]:-n/a})"; }
ra() { if [[ $1 == agent ]]; then ratio "${R[$2.agent_total_ms]:-}" "${R[$2.floor_ms]:-}"; else ratio "${R[$2.naive_ms]:-}" "${R[$2.agent_total_ms]:-}"; fi; }
rss() { awk -v i="${R[$2.rss_idle_kb]:-0}" -v p="${R[$2.rss_peak_kb]:-0}" 'BEGIN { printf "%.0f / %.0f", i / 1024, p / 1024 }'; }
v() { echo "${R[$2.$1]:-n/a}"; }
row() { printf '| %s |' "$1"; shift; local s; for s in $SIZES; do printf ' %s |' "$("$@" "$s")"; done; echo; }

mkdir -p artifacts/bench
{
  echo "Machine: $MACHINE; agent $("$BIN" --version), binary $BIN_MB MiB, .deb $DEB_MB MiB; $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  printf '| %s |' "metric"; for s in $SIZES; do printf ' %s |' "$s"; done; echo
  printf '|---|'; for s in $SIZES; do printf -- '---:|'; done; echo
  row "objects in the end state (addresses, routes, rules, peers)" v objects
  row "cold apply, batch: publish → Confirm (ms)" v cold_ms
  row "cold apply, batch: agent duration_ms" v cold_agent_ms
  row "cold apply, peering: publish → Confirm (ms)" v peering_ms
  row "cold apply, peering: agent duration_ms" v peering_agent_ms
  row "processes spawned, cold batch (mutating)" pc cold
  row "floor: fewest calls (ms / calls)" fc floor
  row "agent (batch+peering) / floor" ra agent
  row "naive: one call per object (ms / calls)" fc naive
  row "naive / agent" ra naive
  row "re-apply same batch (ms, agent duration_ms)" td reapply
  row "re-apply: processes spawned (mutating)" pc reapply
  row "one route changed: operations" v change_ops
  row "one route changed (ms, agent duration_ms)" td change
  row "one route changed: processes (mutating)" pc change
  row "agent RSS idle / peak (MiB)" rss x
  row "start-up to tunnel configured, persisted config, broker unreachable (ms)" v startup_ms
  echo
  # The small-box goals (issue 15): measured here, never asserted by a test.
  goal() { awk -v v="${2#≈}" -v g="$3" 'BEGIN { if (v ~ /^[0-9.]+$/) printf "%s", (v + 0 <= g + 0) ? "met" : "missed"; else printf "n/a" }'; }
  idle_mib=$(awk -v k="${R[M.rss_idle_kb]:-}" 'BEGIN { if (k != "") printf "%.1f", k / 1024; else print "n/a" }')
  peak_l_mib=$(awk -v k="${R[L.rss_peak_kb]:-}" 'BEGIN { if (k != "") printf "%.1f", k / 1024; else print "n/a" }')
  echo "| goal | measured | target | |"
  echo "|---|---:|---:|---|"
  echo "| binary size, x64 (arm64) (MiB) | $BIN_MB ($ARM_MB) | ≤ 12 | $(goal x "$BIN_MB" 12) |"
  echo "| RSS idle: registered, before any batch (M box) (MiB) | $idle_mib | ≤ 25 | $(goal x "$idle_mib" 25) |"
  echo "| RSS peak after the L batch (MiB) | $peak_l_mib | ≤ 60 | $(goal x "$peak_l_mib" 60) |"
  echo "| start → tunnel configured, persisted M, broker down (ms) | ${R[M.startup_ms]:-n/a} | ≤ 150 | $(goal x "${R[M.startup_ms]:-}" 150) |"
  echo
  echo "floor: wireguard-go + wg setconf per device, one ip -batch, one iptables-restore, one ip6tables-restore, from scripts prepared"
  echo "from the agent's end state; naive: the same objects one tool call each (≈: stopped after ${NAIVE_BUDGET} s and extrapolated)."
  echo "Processes: the agent's own debug log (\"ran <cmd> exit=… in … ms\"); mutating = anything but show/save/dump reads."
} > artifacts/bench/table.md
cat artifacts/bench/table.md

# bench.json: every measured value, by size, as strings where a value may be "n/a …" or "≈…".
{
  printf '{ "machine": "%s", "agent_version": "%s", "binary_mib": %s, "arm64_binary_mib": "%s", "deb_mib": "%s", "measured_at": "%s", "sizes": {' \
    "$MACHINE" "$("$BIN" --version | awk '{ print $2 }')" "$BIN_MB" "$ARM_MB" "$DEB_MB" "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  first=1
  for s in $SIZES; do
    ((first)) || printf ','; first=0
    printf '\n  "%s": { "routes": %s, "acl_rules": %s, "nat_rules": %s, "peering_members": %s' "$s" "${ROUTES[$s]}" "${ACL[$s]}" "${NAT[$s]}" "${PEERS[$s]}"
    for k in $(printf '%s\n' "${!R[@]}" | sed -n "s/^$s\.//p" | sort); do printf ', "%s": "%s"' "$k" "${R[$s.$k]}"; done
    printf ' }'
  done
  printf '\n} }\n'
} > artifacts/bench/bench.json
echo "bench: wrote artifacts/bench/table.md and artifacts/bench/bench.json"
exit "${BENCH_FAILED:-0}"
