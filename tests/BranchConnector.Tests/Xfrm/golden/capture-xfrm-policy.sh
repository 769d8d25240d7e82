#!/bin/sh
# Captures real `ip xfrm policy` text for XfrmPolicyParserTests (run as root; leaves nothing behind).
# States cannot be captured on a kernel without ESP, so xfrm-state.txt is written by hand.
set -eu
ns="bcxfrmcap$$"
ip netns add "$ns"
trap 'ip netns del "$ns"' EXIT
x() { ip netns exec "$ns" ip xfrm policy add "$@"; }
# Ours: link reqid 0xbc00c3a1, priority 48128, one subnet pair (out, in, fwd).
x src 192.168.10.0/24 dst 10.40.0.0/16 dir out priority 48128 tmpl src 198.51.100.2 dst 198.51.100.9 proto esp reqid 0xbc00c3a1 mode tunnel
x src 10.40.0.0/16 dst 192.168.10.0/24 dir in priority 48128 tmpl src 198.51.100.9 dst 198.51.100.2 proto esp reqid 0xbc00c3a1 mode tunnel
x src 10.40.0.0/16 dst 192.168.10.0/24 dir fwd priority 48128 tmpl src 198.51.100.9 dst 198.51.100.2 proto esp reqid 0xbc00c3a1 mode tunnel
# In our band but with a mark: not something the agent writes.
x src 192.168.20.0/24 dst 10.60.0.0/16 dir out priority 48128 mark 7 tmpl src 198.51.100.2 dst 198.51.100.9 proto esp reqid 0xbc00c3a1 mode tunnel
# In our band with a port selector and a second template: ours by band, but never equal to a desired policy.
x src 192.168.30.0/24 dst 10.70.0.0/16 proto udp dport 53 dir out priority 48129 tmpl src 198.51.100.2 dst 198.51.100.9 proto esp reqid 0xbc000002 mode tunnel
# Foreign: an IKE daemon's priorities, a default-priority manual policy, an IPv6 one.
x src 192.168.99.0/24 dst 10.99.0.0/16 dir out priority 379519 tmpl src 198.51.100.2 dst 198.51.100.77 proto esp reqid 1 mode tunnel
x src 192.168.98.0/24 dst 10.98.0.0/16 dir out tmpl src 198.51.100.2 dst 198.51.100.78 proto esp reqid 5 mode tunnel
x src 2001:db8:1::/48 dst 2001:db8:2::/48 dir out priority 48128 tmpl src 2001:db8::2 dst 2001:db8::9 proto esp reqid 0xbc000003 mode tunnel
ip netns exec "$ns" ip xfrm policy > "$(dirname "$0")/xfrm-policy.txt"
