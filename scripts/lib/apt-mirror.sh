# apt_uri_for SUITE: the first URI this machine's apt uses for SUITE (deb822 .sources first, then one-line
# .list files), empty when none. The chroot test and the VM image fetch from it, so they work where only that
# mirror is reachable. Source it; do not run it.
apt_uri_for() {
  local suite=$1 uri=""
  uri=$(awk -v RS= -v suite="$suite" '
    { uri = ""; suites = ""; enabled = 1; n = split($0, line, "\n")
      for (i = 1; i <= n; i++) {
        if (line[i] ~ /^URIs:/)    { sub(/^URIs:[ \t]*/, "", line[i]); split(line[i], u, " "); uri = u[1] }
        if (line[i] ~ /^Suites:/)  { suites = " " line[i] " " }
        if (line[i] ~ /^Enabled:[ \t]*no/) enabled = 0
      }
      if (enabled && uri != "" && index(suites, " " suite " ")) { print uri; exit } }
  ' /etc/apt/sources.list.d/*.sources 2>/dev/null)
  if [[ -z $uri ]]; then
    uri=$(awk -v suite="$suite" '$1 == "deb" {
        i = 2; if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
        if ($(i + 1) == suite) { print $i; exit } }' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null)
  fi
  echo "$uri"
}
