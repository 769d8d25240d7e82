# Shared by scripts/demo.sh and scripts/bench.sh: a throwaway lab of network namespaces with the real tools
# (mosquitto, wireguard-go, iptables) and the real agent binary. Everything it creates carries LAB_TAG and is
# removed by lab_cleanup, which the caller installs as its EXIT/INT/TERM trap. Source it; do not run it.

LAB_TAG=${LAB_TAG:-$(od -An -N2 -tx1 /dev/urandom | tr -d ' \n')}
LAB_DIR=$(mktemp -d "/tmp/bc-lab-$LAB_TAG.XXXX")
LAB_NAMESPACES=()
LAB_PIDS=()
LAB_WG_SOCKETS=()
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BIN=${BC_AGENT_BINARY:-$REPO/artifacts/bin/branch-connector}
TESTHUB=${BC_TESTHUB:-$REPO/tests/BranchConnector.TestHub/bin/Release/net10.0/testhub}
HUB_PASSWORD_FILE=$LAB_DIR/hub-password

lab_cleanup() {
  local pid ns
  trap - EXIT INT TERM
  for pid in "${LAB_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  # The agents stop cleanly on SIGTERM within a few seconds; only what is still running after that is killed.
  local alive _
  for _ in $(seq 50); do
    alive=0
    for pid in "${LAB_PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    ((alive)) || break
    sleep 0.1
  done
  for ns in "${LAB_NAMESPACES[@]}"; do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
  done
  for pid in "${LAB_PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  for ns in "${LAB_NAMESPACES[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
  for sock in "${LAB_WG_SOCKETS[@]}"; do rm -f "$sock"; done
  [[ ${LAB_KEEP_DIR:-0} == 1 ]] || rm -rf "$LAB_DIR"
}

# lab_ns ROLE: creates namespace "bc<tag>-ROLE" with loopback up; prints nothing, sets NS_<ROLE>.
lab_ns() {
  local name="bc$LAB_TAG-$1"
  ip netns add "$name"
  LAB_NAMESPACES+=("$name")
  ip -n "$name" link set lo up
  printf -v "NS_$1" '%s' "$name"
}

# lab_link NS_A IF_A ADDR_A NS_B IF_B ADDR_B: a veth pair, addresses (CIDR; "-" for none), both ends up.
lab_link() {
  ip link add "$2" netns "$1" type veth peer name "$5" netns "$4"
  [[ $3 == - ]] || ip -n "$1" addr add "$3" dev "$2"
  [[ $6 == - ]] || ip -n "$4" addr add "$6" dev "$5"
  ip -n "$1" link set "$2" up
  ip -n "$4" link set "$5" up
}

lab_forwarding() { ip netns exec "$1" sysctl -qw net.ipv4.ip_forward=1; }

# lab_mosquitto NS ADDRESS PORT USER=PASSWORD...: a broker refusing anonymous clients; hub's password in HUB_PASSWORD_FILE.
lab_mosquitto() {
  local ns=$1 addr=$2 port=$3 dir=$LAB_DIR/mosquitto
  shift 3
  mkdir -p "$dir"
  (umask 077; printf '%s\n' "$@" | tr '=' ':' > "$dir/passwd")
  mosquitto_passwd -U "$dir/passwd"
  cat > "$dir/mosquitto.conf" <<CONF
user root
persistence false
log_dest file $dir/mosquitto.log
per_listener_settings true
listener $port $addr
allow_anonymous false
password_file $dir/passwd
CONF
  ip netns exec "$ns" mosquitto -c "$dir/mosquitto.conf" 2>>"$dir/mosquitto.log" &
  LAB_PIDS+=($!)
  local i
  for i in $(seq 100); do
    grep -q ' running' "$dir/mosquitto.log" 2>/dev/null && return 0
    sleep 0.05
  done
  echo "mosquitto did not start:" >&2; cat "$dir/mosquitto.log" >&2; return 1
}

# lab_hub_wg NS IF ADDRESS PORT: a wireguard-go hub peer; sets HUB_PUBLIC_KEY. The private key stays in a 0600 file.
lab_hub_wg() {
  local ns=$1 ifname=$2 key=$LAB_DIR/hub-wg.key
  LAB_WG_SOCKETS+=("/var/run/wireguard/$ifname.sock")
  mkdir -p /var/run/wireguard
  ip netns exec "$ns" wireguard-go "$ifname" 2>/dev/null
  (umask 077; wg genkey > "$key")
  HUB_PUBLIC_KEY=$(wg pubkey < "$key")
  ip netns exec "$ns" wg set "$ifname" private-key "$key" listen-port "$4"
  ip -n "$ns" addr add "$3" dev "$ifname"
  ip -n "$ns" link set "$ifname" up
}

# lab_agent_config NAME SERIAL BROKER_URL PASSWORD [LOG_LEVEL] [METRICS_LISTEN]: writes $LAB_DIR/NAME/agent.yaml;
# sets nothing else. METRICS_LISTEN (e.g. 127.0.0.1:9188, the namespace's own loopback) turns /metrics on.
lab_agent_config() {
  local dir=$LAB_DIR/$1
  mkdir -p "$dir"
  (umask 077; printf '%s\n' "$4" > "$dir/token")
  cat > "$dir/agent.yaml" <<YAML
serial: $2
broker:
  urls: [ "$3" ]
  username: $2
  password_file: $dir/token
state_dir: $dir/state
runtime_dir: $dir/run
log: { level: ${5:-information} }
metrics: { listen: "${6:-}" }
YAML
}

# lab_agent_start NS NAME: runs the real binary in NS with its own /var/run/wireguard (a private tmpfs), so
# several agents can each own "wg0"/"wg2". Output goes to $LAB_DIR/NAME.log; sets AGENT_PID_<NAME>.
lab_agent_start() {
  local ns=$1 name=$2
  ip netns exec "$ns" unshare -m sh -c 'mkdir -p /var/run/wireguard && mount -t tmpfs tmpfs /var/run/wireguard && exec "$0" run --config "$1"' \
    "$BIN" "$LAB_DIR/$name/agent.yaml" >> "$LAB_DIR/$name.log" 2>&1 &
  local pid=$!
  LAB_PIDS+=("$pid")
  printf -v "AGENT_PID_$name" '%s' "$pid"
}

# lab_in_agent NAME CMD...: runs CMD in the agent's network and mount namespace (wg needs its private socket folder).
lab_in_agent() {
  local var="AGENT_PID_$1"
  shift
  nsenter -t "${!var}" -m -n "$@"
}

# testhub VERB ARGS...: the orchestrator stand-in against the lab's broker.
testhub() {
  local verb=$1
  shift
  "$TESTHUB" "$verb" --broker-ns "$HUB_NS" --host "$BROKER_HOST" --port "$BROKER_PORT" --user hub --password-file "$HUB_PASSWORD_FILE" "$@"
}
