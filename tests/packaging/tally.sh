# Sourced by the packaging test scripts: ok/FAIL lines and a summary named $tally_name; finish exits non-zero
# when anything failed.
passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok   - $*"; }
fail() { failed=$((failed + 1)); echo "FAIL - $*"; }
check() { local what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }
finish() {
  echo "$tally_name: $passed passed, $failed failed"
  ((failed == 0))
  exit $?
}
