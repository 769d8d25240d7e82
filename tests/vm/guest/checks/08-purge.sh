# check: purge: no interface, route, rule, chain, xfrm state or policy, socket, key or file of the agent left
# phase: 2
out=$(apt-get purge -y branch-connector 2>&1)
rc=$?
note "apt-get purge: exit $rc; $(grep -m1 -i 'cleanup' <<<"$out")"
expect "apt-get purge exits 0" test $rc -eq 0
expect "no wg0 or wg2 interface" bash -c '! ip link show wg0 >/dev/null 2>&1 && ! ip link show wg2 >/dev/null 2>&1'
left=$(ip route show table all proto 188; ip -6 route show table all proto 188)
expect "no route with the agent's protocol (188)" test -z "$left"
expect "no rule in the agent's band (5180-5189)" bash -c '! ip rule | grep -Eq "^518[0-9]:"'
fw=$( (iptables-save; ip6tables-save; iptables-legacy-save; ip6tables-legacy-save) 2>/dev/null | grep -c 'BC-')
expect "no BC- chain or jump in iptables (nft and legacy, v4 and v6): $fw lines" test "$fw" -eq 0
expect "no xfrm state" test -z "$(ip xfrm state)"
expect "no xfrm policy" test -z "$(ip xfrm policy)"
expect "no ESP-in-UDP socket on 4500" bash -c '! ss -Hlun | grep -q ":4500 "'
expect "no agent process" bash -c '! pgrep -x branch-connector >/dev/null'
expect "the LAN address the batch set on lan0 is gone" bash -c '! ip -4 addr show lan0 | grep -q 192.168.10.1/24'
for path in /var/lib/branch-connector /etc/branch-connector /run/branch-connector /usr/bin/branch-connector \
  /lib/systemd/system/branch-connector.service /etc/systemd/system/multi-user.target.wants/branch-connector.service \
  /usr/lib/tmpfiles.d/branch-connector.conf; do
  expect "$path is gone" test ! -e "$path"
done
expect "group branch-connector is gone" bash -c '! getent group branch-connector >/dev/null'
expect "dpkg does not know the package" bash -c '! dpkg-query -W -f="\${db:Status-Status}" branch-connector 2>/dev/null | grep -q .'
note "left on the box: $(ip -br link | awk '{ print $1 }' | paste -sd' ')"
