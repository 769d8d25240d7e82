#!/bin/sh
# Captures the real `ip -j` output the Routes and Interfaces parser tests read (run as root, iproute2 6.1).
# Builds a throwaway namespace with our proto-188 routes, foreign routes, policy rules in and outside the
# agent's band (5180..5189), v4 and v6, then writes the JSON next to this script and the Interfaces golden folder.
set -eu
here=$(dirname "$0")
ifdir="$here/../../Interfaces/golden"
ns=bc-capture-$$
ip netns add "$ns"
trap 'ip netns del "$ns"' EXIT
ipn() { ip -n "$ns" "$@"; }
ipn link set lo up
ipn link add lan0 type veth peer name wan0
ipn tuntap add mode tun name tun0
ipn link set lan0 mtu 1400
ipn link set tun0 mtu 1420
ipn addr add 192.168.10.1/24 dev lan0
ipn addr add 192.168.11.1/24 dev lan0
ipn addr add 2001:db8:10::1/64 dev lan0 nodad
ipn addr add 192.0.2.2/24 dev wan0
ipn addr add 2001:db8::2/64 dev wan0 nodad
ipn addr add 10.255.0.2/32 dev tun0
ipn link set lan0 up
ipn link set wan0 up
ipn link set tun0 up
ipn -batch - <<'B'
route add 10.20.0.0/16 via 192.0.2.1 metric 100 proto 188
route add 10.21.0.0/16 dev lan0 proto 188
route add 10.22.0.7/32 via 192.0.2.1 proto 188
route add 0.0.0.0/0 dev tun0 table 51820 proto 188
route add 0.0.0.0/0 via 192.0.2.254 table 100 metric 10 proto 188
route add 10.30.0.0/16 via 10.255.0.1 dev tun0 onlink proto 188
route add 10.99.0.0/16 via 192.0.2.254 proto static
route add 10.98.0.0/16 via 192.0.2.254 proto 189
rule add table main suppress_prefixlength 0 priority 5180
rule add not fwmark 0xca6c table 51820 priority 5181
rule add from 192.168.10.0/24 to 10.40.0.0/16 table 100 priority 5182
rule add from 192.168.11.5/32 table 100 priority 5183
rule add fwmark 0x10/0xff table 100 priority 5184
rule add from 192.168.12.0/24 table 100 priority 100
rule add table 100 priority 5190
B
ipn -6 -batch - <<'B'
route add 2001:db8:20::/48 via 2001:db8::1 metric 300 proto 188
route add 2001:db8:21::7/128 dev lan0 proto 188
route add ::/0 dev tun0 table 51820 proto 188
route add 2001:db8:99::/48 via 2001:db8::1 proto static
rule add table main suppress_prefixlength 0 priority 5180
rule add not fwmark 0xca6c table 51820 priority 5181
B
ipn -4 -N -j route show table all proto 188 > "$here/route-v4.json"
ipn -6 -N -j route show table all proto 188 > "$here/route-v6.json"
ipn -4 -N -j route show table all > "$here/route-v4-all-protocols.json"
ipn -4 -j route show table all proto 188 > "$here/route-v4-names.json"
ipn -4 -j rule show > "$here/rule-v4-names.json"
ipn -4 -N -j rule show > "$here/rule-v4.json"
ipn -6 -N -j rule show > "$here/rule-v6.json"
ipn -j -d addr show > "$ifdir/addr.json"
