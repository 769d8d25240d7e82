# check: install: dpkg -i, serial and broker set, enable --now -> active; live unit's security; journal priorities; no secret in the journal
# phase: 1
conf=/etc/branch-connector/agent.yaml
deb=$(ls "$LANE"/deb/v1/branch-connector_*_amd64.deb)
out=$(dpkg -i "$deb" 2>&1)
rc=$?
note "dpkg -i $(basename "$deb"): exit $rc"
note "$(grep -i "serial" <<<"$out")"
expect "dpkg -i exits 0 (the image holds the Depends; there is no network)" test $rc -eq 0
expect "not enabled nor started without a serial" bash -c '! systemctl is-enabled --quiet branch-connector && ! systemctl is-active --quiet branch-connector'
remember V1 "$(dpkg-query -W -f='${Version}' branch-connector)"

# The administrator's part: forwarding (the agent never sets it; doctor checks it), the serial, the broker and
# its password (a 0600 file, never in agent.yaml).
echo 'net.ipv4.ip_forward = 1' >/etc/sysctl.d/90-branch-box.conf
sysctl -q -p /etc/sysctl.d/90-branch-box.conf
(umask 077 && cp "$LANE_STATE/hub/box-password" /etc/branch-connector/token)
sed -i -e "s/^#serial: BC-0001/serial: $BOX/" \
  -e "s|^  urls: .*|  urls: [ \"$BROKER_URL\" ]|" \
  -e "s|^  #username: .*|  username: $BOX|" \
  -e "s|^  #password_file: |  password_file: |" "$conf"
journal_mark "$LANE_STATE/cursor-install"
t0=$(now_ms)
systemctl enable --now branch-connector.service >/dev/null 2>&1
rc=$?
note "systemctl enable --now: exit $rc after $(( $(now_ms) - t0 )) ms (Type=notify: returns at READY=1)"
expect "branch-connector.service is active" systemctl is-active --quiet branch-connector
expect "MQTT connected within 60 s" wait_for 60 bash -c "journalctl -u branch-connector -o cat -q | grep -q 'MQTT connected to'"
pid=$(agent_pid)
note "$(journalctl -u branch-connector -o cat -q | head -n 6)"

# The live unit, as systemd runs it (not only the offline rating the packaging test has).
live=$(systemd-analyze security branch-connector.service 2>&1 | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
offline=$(systemd-analyze security --offline=true /lib/systemd/system/branch-connector.service 2>&1 |
  sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
note "systemd-analyze security: live $live, offline $offline"
expect "live exposure at most 3.0 ($live)" awk -v e="${live:-99}" 'BEGIN { exit !(e <= 3.0) }'
caps=$(awk '/^Cap(Eff|Bnd|Amb):/ { printf "%s=%s ", $1, $2 }' /proc/"$pid"/status)
note "agent pid $pid: $caps"
# CAP_NET_ADMIN (12) and CAP_NET_RAW (13) only: 0x3000.
expect "the agent has exactly CAP_NET_ADMIN and CAP_NET_RAW" \
  test "$(awk '/^CapBnd:/ { print $2 }' /proc/"$pid"/status)" = 0000000000003000
# A sandbox denial (a filtered system call fails with EPERM, a read-only path) shows as an error line.
errors=$(journalctl -u branch-connector -p err -o cat -q)
expect "no error line from the agent under the hardened unit${errors:+: $(head -n1 <<<"$errors")}" test -z "$errors"
expect "no restart since the start (NRestarts=0)" test "$(systemctl show -p NRestarts --value branch-connector)" = 0

# Journal priorities: the <N> prefixes are parsed (no literal "<6>"), information lines are not warnings.
unit_json=$(journalctl -u branch-connector -o json -q --output-fields=PRIORITY,MESSAGE,_PID)
start_prio=$(jq -r --arg p "$pid" 'select(._PID == $p and (.MESSAGE | tostring | test("starting for serial"))) | .PRIORITY' <<<"$unit_json" | head -n1)
note "start line priority: ${start_prio:-none}"
expect "the start line is priority 6 (info)" test "$start_prio" = 6
expect "no agent line carries a literal <N> prefix" bash -c '! journalctl -u branch-connector -o cat -q | grep -Eq "^<[0-7]>"'
warnings=$(journalctl -u branch-connector -p warning -o cat -q)
note "journalctl -p warning: $(grep -c . <<<"$warnings") lines${warnings:+; first: $(head -n1 <<<"$warnings")}"
expect "journalctl -p warning shows no information line" bash -c '! grep -Eq "starting for serial|MQTT connected|WireGuard: |start-up: " <<<"$1"' _ "$warnings"
agent_prios=$(jq -r --arg p "$pid" 'select(._PID == $p) | .PRIORITY' <<<"$unit_json" | sort | uniq -c | awk '{ printf "%s×%s ", $2, $1 }')
note "priorities of the agent's lines: $agent_prios"

# No secret in the journal: the box's WireGuard private keys and its broker password (all fields, all units).
# (In a file: the whole journal is far beyond the 128 KiB an argument may have.)
journalctl -b -o verbose -q --no-pager >"$LANE_STATE/journal-check1.txt"
note "journal searched: $(wc -l <"$LANE_STATE/journal-check1.txt") lines"
secrets=0
for f in /var/lib/branch-connector/keys/*.key /etc/branch-connector/token; do
  [[ -s $f ]] || continue
  secrets=$((secrets + 1))
  expect "$(basename "$f")'s secret is not in the journal" bash -c 's=$(tr -d "\n" <"$1"); [[ -n $s ]] && ! grep -qF -- "$s" "$2"' _ "$f" "$LANE_STATE/journal-check1.txt"
done
note "secrets looked for: $secrets ($(ls /var/lib/branch-connector/keys/*.key 2>/dev/null | xargs -n1 basename 2>/dev/null | paste -sd' '), token)"
expect "the private keys exist (so the search above meant something)" test "$secrets" -ge 2
