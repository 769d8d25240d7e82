# Generates the bench's documents (sourced by scripts/bench.sh): batch commands and peering groups of a given
# size, as the files `testhub publish-batch|publish-peering --file` reads. Plain awk: no extra tool needed.

# Rules are written compactly: a batch must stay under the 1 MiB message limit (L has 5,000 rules).
# bench_batch FILE ROUTES ACL_RULES NAT_RULES HUB_KEY HUB_ENDPOINT [CHANGED_ROUTE]
bench_batch() {
  awk -v routes="$2" -v acl="$3" -v nat="$4" -v key="$5" -v ep="$6" -v changed="${7:-0}" 'BEGIN {
    printf "[ { \"topic\": \"interface\", \"body\": { \"interfaces\": [ { \"name\": \"lan0\", \"addresses\": [\"192.168.10.1/24\"] } ] } },\n"
    printf "  { \"topic\": \"wireguard\", \"body\": { \"interface\": \"wg0\", \"enabled\": true, \"addresses\": [\"10.255.0.2/32\"], \"listen_port\": 51820, \"mtu\": 1420,\n"
    printf "    \"hub\": { \"kind\": \"dedicated_edge\", \"name\": \"hub-bench\", \"public_key\": \"%s\", \"endpoint\": \"%s\", \"allowed_ips\": [\"10.255.0.0/24\", \"10.20.0.0/16\"], \"persistent_keepalive\": 25 },\n", key, ep
    printf "    \"lan_subnets\": [\"192.168.10.0/24\"] } },\n"
    printf "  { \"topic\": \"static\", \"body\": { \"routes\": ["
    for (i = 0; i < routes; i++) {
      third = (i == 0 && changed) ? 255 : i % 250
      printf "%s{ \"destination\": \"10.%d.%d.0/24\", \"interface\": \"wg0\" }", (i ? "," : ""), 100 + int(i / 250), third
    }
    printf "] } }"
    if (nat > 0) {
      printf ",\n  { \"topic\": \"nat44\", \"body\": { \"rules\": ["
      for (i = 0; i < nat; i++)
        printf "%s{ \"type\": \"dnat\", \"in_interface\": \"wg0\", \"protocol\": \"tcp\", \"destination_port\": %d, \"to\": \"192.168.10.%d:80\" }", (i ? "," : ""), 8000 + i, 2 + i % 250
      printf "] } }"
    }
    printf ",\n  { \"topic\": \"acl\", \"body\": { \"forward_policy\": \"accept\", \"rules\": ["
    for (i = 0; i < acl; i++)
      printf "%s{\"name\":\"r%d\",\"chain\":\"forward\",\"action\":\"%s\",\"in_interface\":\"wg0\",\"source\":\"10.%d.%d.0/24\",\"protocol\":\"tcp\",\"destination_ports\":\"%d\"}", \
        (i ? "," : ""), i, (i % 2 ? "drop" : "accept"), 40 + int(i / 250), i % 250, 1000 + i % 60000
    printf "] } } ]\n"
  }' > "$1"
}

# bench_peering FILE MEMBERS: one WireGuard mesh group on wg2; member keys are random 32-byte values (valid WireGuard
# public keys), endpoints in 198.51.100.0/24 which the bench's namespaces do not route (no traffic leaves them).
bench_peering() {
  local keys=$LAB_DIR/peer-keys
  : > "$keys"
  local i
  for ((i = 0; i < $2; i++)); do head -c 32 /dev/urandom | base64 >> "$keys"; done
  awk -v n="$2" 'BEGIN { printf "[ { \"id\": \"pg-bench\", \"name\": \"bench\", \"protocol\": \"wireguard\", \"topology\": \"mesh\", \"role\": \"mesh-peer\", \"interface\": \"wg2\", \"tunnel_address\": \"10.250.0.1/16\", \"listen_port\": 51821, \"members\": [" }
    { i = NR - 1
      printf "%s{ \"serial\": \"BENCH-%04d\", \"public_key\": \"%s\", \"endpoint\": \"198.51.100.%d:%d\", \"tunnel_ip\": \"10.250.%d.%d\", \"allowed_ips\": [\"10.30.%d.0/24\"] }", \
        (i ? "," : ""), i, $1, 1 + i % 250, 51821 + int(i / 250), 1 + int((i + 2) / 250), (i + 2) % 250, i % 250 + 0 }
    END { printf "] } ]\n" }' "$keys" > "$1"
}
