# The lab inside the VM (sourced). The box is the VM's own root namespace, running the agent from the .deb
# under systemd; everything else is a namespace:
#
#   lan1 192.168.10.5 ── lan0 [box, root ns] wan0 192.0.2.10 ── wan (router) ── 203.0.113.1 hub ── dc 10.20.0.5
#                                                                   │            (mosquitto, kernel WireGuard wgh)
#   lan2 192.168.20.5 ── lan0 [br2, second branch, agent] 198.51.100.20
#
# world_links builds the links, addresses and the hub's WireGuard peer, as a real site has them at boot
# (bc-lane-net.service runs it before branch-connector.service on the second boot). world_broker starts the
# hub's broker; world_br2_agent the second branch's agent (a plain process in its namespace).

BOX=BC-VM-BOX
BR2=BC-VM-BR2
HUB_WAN=203.0.113.1
BOX_WAN=192.0.2.10
BR2_WAN=198.51.100.20
LAN1_HOST=192.168.10.5
LAN2_HOST=192.168.20.5
DC_HOST=10.20.0.5
BROKER_URL=mqtt://$HUB_WAN:1883
HUB_KEY=$LANE_STATE/hub/wg.key
HUB_PASSWORD_FILE=$LANE_STATE/hub/password
BR2_DIR=$LANE_STATE/br2

ns_up() { ip netns add "$1" && ip -n "$1" link set lo up; }
# veth NS_A IF_A ADDR_A NS_B IF_B ADDR_B ("" = the root namespace, "-" = no address). Both ends are made in
# the root namespace under throwaway names, then moved and renamed: in the VM, `ip link add lan0 type veth
# peer name eth0 netns lan1` failed with "File exists".
veth() {
  ip link add bcvA type veth peer name bcvB
  [[ -z $1 ]] || ip link set bcvA netns "$1"
  [[ -z $4 ]] || ip link set bcvB netns "$4"
  ip ${1:+-n $1} link set bcvA name "$2"
  ip ${4:+-n $4} link set bcvB name "$5"
  [[ $3 == - ]] || ip ${1:+-n $1} addr add "$3" dev "$2"
  [[ $6 == - ]] || ip ${4:+-n $4} addr add "$6" dev "$5"
  ip ${1:+-n $1} link set "$2" up
  ip ${4:+-n $4} link set "$5" up
}

world_links() {
  mkdir -p "$LANE_STATE/hub" "$BR2_DIR"
  local ns
  for ns in wan hub dc br2 lan1 lan2; do ns_up "$ns"; done
  veth wan wh 203.0.113.254/24 hub eth0 $HUB_WAN/24
  veth wan wa 192.0.2.254/24 "" wan0 $BOX_WAN/24
  veth wan wb 198.51.100.254/24 br2 eth0 $BR2_WAN/24
  veth hub dcl 10.20.0.1/24 dc eth0 $DC_HOST/24
  veth "" lan0 - lan1 eth0 $LAN1_HOST/24
  veth br2 lan0 - lan2 eth0 $LAN2_HOST/24
  ip route add default via 192.0.2.254
  ip -n hub route add default via 203.0.113.254
  ip -n br2 route add default via 198.51.100.254
  ip -n dc route add default via 10.20.0.1
  ip -n lan1 route add default via 192.168.10.1
  ip -n lan2 route add default via 192.168.20.1
  for ns in wan hub br2; do ip netns exec "$ns" sysctl -qw net.ipv4.ip_forward=1; done

  # The hub edge: kernel WireGuard, its key kept across the reboot (a hub does not change keys either).
  [[ -s $HUB_KEY ]] || (umask 077 && wg genkey >"$HUB_KEY")
  ip -n hub link add wgh type wireguard
  ip netns exec hub wg set wgh private-key "$HUB_KEY" listen-port 51820
  ip -n hub addr add 10.255.0.1/24 dev wgh
  ip -n hub link set wgh up
  ip -n hub route add 192.168.10.0/24 dev wgh
  ip -n hub route add 192.168.20.0/24 dev wgh
  # The branches' backbone keys, once they registered (the orchestrator's job).
  [[ -n ${BOX_WG0:-} ]] && ip netns exec hub wg set wgh peer "$BOX_WG0" allowed-ips 10.255.0.2/32,192.168.10.0/24
  [[ -n ${BR2_WG0:-} ]] && ip netns exec hub wg set wgh peer "$BR2_WG0" allowed-ips 10.255.0.3/32,192.168.20.0/24
  return 0
}

hub_public_key() { wg pubkey <"$HUB_KEY"; }

# The hub's broker in the hub namespace; accounts for the hub and both branches.
world_broker() {
  local dir=$LANE_STATE/hub/broker
  mkdir -p "$dir"
  world_passwords
  [[ -s $HUB_PASSWORD_FILE ]] || (umask 077 && head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$HUB_PASSWORD_FILE")
  (umask 077 && printf 'hub:%s\n%s:%s\n%s:%s\n' "$(cat "$HUB_PASSWORD_FILE")" \
    $BOX "$(cat "$LANE_STATE/hub/box-password")" $BR2 "$(cat "$LANE_STATE/hub/br2-password")" >"$dir/passwd")
  mosquitto_passwd -U "$dir/passwd"
  cat >"$dir/mosquitto.conf" <<CONF
user root
persistence false
log_dest file $dir/mosquitto.log
per_listener_settings true
listener 1883 $HUB_WAN
allow_anonymous false
password_file $dir/passwd
CONF
  : >"$dir/mosquitto.log"
  ip netns exec hub setsid mosquitto -c "$dir/mosquitto.conf" </dev/null >/dev/null 2>&1 &
  wait_for 10 grep -q ' running' "$dir/mosquitto.log"
}

# Broker passwords for the branches, made once (the box's is written into its token file by check 1).
world_passwords() {
  mkdir -p "$LANE_STATE/hub"
  local who
  for who in box br2; do
    [[ -s $LANE_STATE/hub/$who-password ]] ||
      (umask 077 && head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$LANE_STATE/hub/$who-password")
  done
}

# The second branch's agent: the installed binary, its own settings and state, run in the br2 namespace.
world_br2_agent() {
  mkdir -p "$BR2_DIR/state"
  (umask 077 && cp "$LANE_STATE/hub/br2-password" "$BR2_DIR/token")
  cat >"$BR2_DIR/agent.yaml" <<YAML
serial: $BR2
broker:
  urls: [ "$BROKER_URL" ]
  username: $BR2
  password_file: $BR2_DIR/token
state_dir: $BR2_DIR/state
runtime_dir: /run/bc-br2
log: { level: information }
YAML
  ip netns exec br2 setsid /usr/bin/branch-connector run --config "$BR2_DIR/agent.yaml" </dev/null >>"$BR2_DIR/agent.log" 2>&1 &
  echo $! >"$BR2_DIR/pid"
}

# The lane's ESP capture on the box's WAN link (wan ns, wa), one file per boot: from the lab's start (boot 1) and
# from before the agent starts (boot 2, bc-lane-net.service), so check 10 sees every ESP packet the box and br2
# exchange across the restarts. Returns once tcpdump listens.
esp_capture_start() {
  local boot=$1
  : >"$LANE_STATE/esp-capture.err"
  ip netns exec wan setsid tcpdump -i wa -n -U -s 128 -w "$LANE_STATE/esp-boot$boot.pcap" 'udp port 4500' \
    </dev/null >/dev/null 2>"$LANE_STATE/esp-capture.err" &
  echo $! >"$LANE_STATE/esp-capture.pid"
  wait_for 60 grep -q 'listening on' "$LANE_STATE/esp-capture.err"
}
esp_capture_pid() { local p; p=$(cat "$LANE_STATE/esp-capture.pid" 2>/dev/null) && kill -0 "$p" 2>/dev/null && echo "$p"; }
esp_capture_stop() {
  local p
  p=$(esp_capture_pid) || return 0
  kill -INT "$p"
  wait_for 30 bash -c '! kill -0 "$1" 2>/dev/null' _ "$p"
}

# testhub VERB ARGS...: the orchestrator stand-in (published with the lane) against the hub's broker.
testhub() {
  local verb=$1
  shift
  # Under TCG a client needs far more than the fixtures' 10 s to see its own probe.
  BC_MQTT_READY_TIMEOUT_S=180 "$LANE/hub/testhub" "$verb" --broker-ns hub --host $HUB_WAN --port 1883 --user hub --password-file "$HUB_PASSWORD_FILE" "$@"
}

# backbone_batch FILE LAN_ADDR TUNNEL_IP LAN_SUBNET [HUB_ALLOWED_IPS_JSON]: the first batch (backbone to the hub,
# LAN address); check 7 passes '["0.0.0.0/0"]' for a full tunnel.
backbone_batch() {
  local hub_allowed=${5:-'["10.255.0.0/24", "10.20.0.0/16"]'}
  cat >"$1" <<JSON
[ { "topic": "interface", "body": { "interfaces": [ { "name": "lan0", "addresses": ["$2"] } ] } },
  { "topic": "wireguard", "body": { "interface": "wg0", "enabled": true, "addresses": ["$3/32"], "listen_port": 51820, "mtu": 1420,
      "hub": { "kind": "dedicated_edge", "name": "hub-vm", "public_key": "$(hub_public_key)", "endpoint": "$HUB_WAN:51820",
               "allowed_ips": $hub_allowed, "persistent_keepalive": 5 },
      "lan_subnets": ["$4"] } },
  { "topic": "monitoring", "body": { "tunnel_status_interval_s": 10, "keepalive_interval_s": 10, "inform_interval_s": 30 } } ]
JSON
}
