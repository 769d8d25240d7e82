#!/bin/bash
# The VM lane's runner inside the VM (bc-lane.service starts it on every boot; `lane.sh links` is
# bc-lane-net.service, which rebuilds the lab's links before the agent starts on the second boot).
#
# Boot 1: build the lab, run the phase-1 checks, reboot. Boot 2: run the phase-2 checks, power off.
# Each check is one file checks/NN-name.sh (see lib.sh for its two header lines and `expect`/`note`); the
# runner runs the files of the current phase in name order, each in its own bash with a time limit, and
# appends one result line plus its evidence to $LANE/results/results.txt. To add a check, add a file.
set -uo pipefail
LANE=/lane
source $LANE/guest/lib.sh
source $LANE/guest/world.sh

if [[ ${1:-} == links ]]; then
  world_links
  # Boot 2 (after the reboot): the ESP capture, br2's agent (its SAs went with the reboot too) and a LAN-to-LAN
  # ping, all before the box's agent starts, for check 10. Processes left by this oneshot unit keep running.
  if [[ $(cat "$LANE_STATE/phase" 2>/dev/null) == 2 && -s $BR2_DIR/pid ]]; then
    esp_capture_start 2
    world_br2_agent
    ip netns exec lan1 setsid ping -D -i 0.05 -W 1 $LAN2_HOST </dev/null >"$LANE_STATE/boot-ping.txt" 2>&1 &
    echo $! >"$LANE_STATE/boot-ping.pid"
  fi
  exit 0
fi

phase=$(cat "$LANE_STATE/phase" 2>/dev/null || echo 1)
console() { printf 'LANE|%s\n' "$*" >/dev/ttyS0 2>/dev/null || true; }
console "boot $phase: $(uname -r), systemd $(systemctl --version | sed -n '1s/systemd \([0-9]*\).*/\1/p'), up $(cut -d' ' -f1 /proc/uptime) s"
echo "boot $phase at $(date -u +%FT%TZ), uptime $(cut -d' ' -f1 /proc/uptime) s" >>"$LANE_RESULTS/boots.txt"

if [[ $phase == 1 ]]; then
  world_links
  world_broker || console "the hub's broker did not start"
  esp_capture_start 1 || console "the ESP capture did not start"
  # On the next boot the links must exist before the agent starts, as a real box's NICs do.
  cat >/etc/systemd/system/bc-lane-net.service <<'UNIT'
[Unit]
Description=BranchConnector VM lane: the lab's links (a real box has its NICs at boot)
RequiresMountsFor=/lane
Before=network-pre.target branch-connector.service
Wants=network-pre.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/bin/bash /lane/guest/lane.sh links

[Install]
WantedBy=multi-user.target
UNIT
  systemctl enable bc-lane-net.service >/dev/null 2>&1
fi

limit=${LANE_CHECK_TIMEOUT:-1200}
for file in "$LANE"/guest/checks/*.sh; do
  [[ $(sed -n 's/^# phase: *//p' "$file" | head -n1) == "$phase" ]] || continue
  title=$(sed -n 's/^# check: *//p' "$file" | head -n1)
  id=$(basename "$file" .sh)
  # BC_VM_ONLY on the host (the payload's "only"): run just those checks.
  only=$(cat "$LANE/only" 2>/dev/null)
  [[ -z $only || " $only " == *" ${id%%-*} "* ]] || continue
  evidence=$LANE_RESULTS/$id.evidence
  : >"$evidence"
  console "running $id: $title"
  started=$SECONDS
  CHECK_EVIDENCE=$evidence timeout -k 10 "$limit" bash -c '
    source /lane/guest/lib.sh; source /lane/guest/world.sh
    source "$1"
    exit $CHECK_FAILED' _ "$file" >>"$LANE_RESULTS/$id.log" 2>&1
  rc=$?
  ((rc == 124 || rc == 137)) && printf '     FAIL did not finish within %s s\n' "$limit" >>"$evidence"
  if ((rc == 0)); then status="ok  "; else status="FAIL"; fi
  # The unit's restarts so far (a watchdog or start-timeout kill shows here), and on a failure the agent's
  # journal of this boot: a check that ran out of time says nothing else.
  systemctl show -p NRestarts,Result,ActiveState,ExecMainStartTimestamp branch-connector 2>/dev/null | paste -sd' ' >>"$LANE_RESULTS/$id.log"
  if ((rc != 0)); then
    journalctl -b -u branch-connector -o short-precise --no-pager -q >"$LANE_RESULTS/$id.journal.txt" 2>&1
    # The second branch's agent and the test hub's answers live on the overlay disk only.
    [[ -f $BR2_DIR/agent.log ]] && tail -n 400 "$BR2_DIR/agent.log" >"$LANE_RESULTS/$id.br2-agent.txt"
    [[ -f $LANE_STATE/ipsec-steps.log ]] && cp "$LANE_STATE/ipsec-steps.log" "$LANE_RESULTS/$id.ipsec-steps.txt"
  fi
  line="$status - $id: $title ($((SECONDS - started)) s)"
  { echo "$line"; cat "$evidence"; } >>"$LANE_RESULTS/results.txt"
  console "$line"
  sync
done

# This boot's journal (the overlay disk is thrown away with the VM): what a failed check is diagnosed from.
journalctl -b -o short-precise --no-pager -q >"$LANE_RESULTS/journal-boot$phase.txt" 2>&1
# Where this boot's time went (the lane's own budget).
{ systemd-analyze time; systemd-analyze blame | head -n 25; } >"$LANE_RESULTS/boot$phase-analyze.txt" 2>&1

# A second boot only when a selected check needs it.
later=0
for file in "$LANE"/guest/checks/*.sh; do
  id=$(basename "$file" .sh)
  only=$(cat "$LANE/only" 2>/dev/null)
  [[ -z $only || " $only " == *" ${id%%-*} "* ]] || continue
  [[ $(sed -n 's/^# phase: *//p' "$file" | head -n1) == 2 ]] && later=1
done
if [[ $phase == 1 && $later == 1 ]]; then
  esp_capture_stop
  echo 2 >"$LANE_STATE/phase"
  sync
  console "rebooting"
  systemctl reboot
else
  echo done >"$LANE_STATE/phase"
  console "done"
  sync
  systemctl poweroff
fi
