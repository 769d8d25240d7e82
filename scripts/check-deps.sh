#!/usr/bin/env bash
# Fails when a program that the tests, scripts, the lab or the package test start comes from a Debian package
# that scripts/deps.sh does not install (and that a fresh Debian 12 has not anyway: Essential or Priority
# required). Programs are discovered, not listed: every word in the C# test sources' string literals and every
# word of the shell scripts that names an executable on PATH here is looked up with dpkg -S. A word that names
# no executable on this machine is skipped, so run it where the suite passes (the tests that use a program
# missing there fail on their own).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

# The package list of deps.sh: the words of its `packages=( ... )` array, comments dropped.
mapfile -t listed < <(sed -n '/^packages=(/,/^)/p' "$root/scripts/deps.sh" | sed -e 's/#.*//' -e 's/packages=(//' -e 's/)//' | tr -s ' \t' '\n' | sed '/^$/d')
declare -A allowed=()
for p in "${listed[@]}"; do allowed[$p]=1; done

# Candidate words. C#: string literals that are one word ("busybox", "ip": program names are passed that way;
# messages are several words). Shell: unquoted words outside comments (messages are quoted).
words() {
  find "$root/tests" -name '*.cs' -not -path '*/obj/*' -not -path '*/bin/*' -print0 |
    xargs -0 grep -ohE '"[A-Za-z][A-Za-z0-9_.+-]*"' | tr -d '"'
  # tests/vm/guest runs inside the VM, whose programs the image recipe (tests/vm/image.sh) installs; a
  # `packages=( ... )` array lists package names (deps.sh's own, the image's), not programs started here.
  find "$root/scripts" "$root/tests" "$root/packaging" -name '*.sh' -not -path '*/obj/*' -not -path '*/tests/vm/guest/*' -print0 |
    xargs -0 sed -e '/^packages=(/,/^)/d' -e 's/\(^\|[[:space:]]\)#.*//' -e 's/"[^"]*"//g' -e "s/'[^']*'//g" | tr -c 'A-Za-z0-9_.+-' '\n'
}

# Words that name a program on a typical machine but are data in the sources, never started: an acl rule
# named ssh or telnet, the lifecycle action reboot, `ip route`/`man:` text in heredocs, bench.sh's function pc,
# testhub's --file and time/request. A program really started under one of these names must leave this list.
ignored=" file man pc reboot route ssh telnet time "

# word -> path on PATH (skipping words that name no executable here; the SDK is not a Debian package).
declare -A pathOf=()
while read -r word; do
  [[ -z $word || $word =~ ^[0-9.+-] || $word == dotnet || $ignored == *" $word "* ]] && continue
  path=$(type -P "$word" 2>/dev/null) || continue
  pathOf[$word]=$path
done < <(words | sort -u)

# Every spelling of each path dpkg may have recorded (merged /usr, symlinks), looked up in one pass over the
# package file lists instead of one dpkg -S per program.
spellings() {
  local p=$1 r
  r=$(readlink -f "$p")
  printf '%s\n' "$p" "$r" "${p#/usr}" "${r#/usr}" "/usr${p#/usr}" "/usr${r#/usr}"
}
declare -A packageOf=()
# A line is LIST:FILE, and a multi-arch list is named PACKAGE:ARCH.list, so split at ".list:", not at ':'.
while IFS= read -r line; do
  list=${line%%.list:*}
  packageOf[${line#*.list:}]=$(basename "$list" | cut -d: -f1)
done < <(for w in "${!pathOf[@]}"; do spellings "${pathOf[$w]}"; done | sort -u |
  grep -HxF -f /dev/stdin /var/lib/dpkg/info/*.list)

problems=0
for word in $(printf '%s\n' "${!pathOf[@]}" | sort); do
  owner=""
  while read -r s; do [[ -n ${packageOf[$s]:-} ]] && { owner=${packageOf[$s]}; break; }; done < <(spellings "${pathOf[$word]}")
  if [[ -z $owner ]]; then
    echo "check-deps: $word (${pathOf[$word]}) belongs to no Debian package" >&2
    problems=$((problems + 1))
    continue
  fi
  [[ -n ${allowed[$owner]:-} ]] && continue
  read -r essential priority < <(dpkg-query -W -f='${Essential} ${Priority}\n' "$owner" 2>/dev/null | head -n1) || true
  [[ ${essential:-} == yes || ${priority:-} == required ]] && continue
  echo "check-deps: $word (${pathOf[$word]}) comes from package $owner, which scripts/deps.sh does not install" >&2
  problems=$((problems + 1))
done

if ((problems)); then
  echo "check-deps: $problems program(s) not provided by scripts/deps.sh" >&2
  exit 1
fi
echo "check-deps: ${#pathOf[@]} programs the suite may start all come from packages scripts/deps.sh installs (or Essential/required)"
