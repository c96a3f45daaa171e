#!/usr/bin/env bash
# Stops the one-node Slurm that scripts/slurm-setup.sh started: cancels every job still queued or running
# (so no slurmstepd is left behind), stops slurmd and slurmctld, and stops munged only if slurm-setup.sh
# started it (a munged that was already running, e.g. the system's, is left alone). Safe to run twice.
#   --purge   also delete the state folder (job state, logs, spool) and /etc/slurm/slurm.conf, so that the
#             next slurm-setup.sh starts from nothing. The munge key and the packages stay.
# Knob (environment): JCP_SLURM_STATE, the state folder slurm-setup.sh used.
set -euo pipefail

state_dir=${JCP_SLURM_STATE:-/var/lib/jcp-slurm}
conf=/etc/slurm/slurm.conf
export SLURM_CONF=$conf # the cluster slurm-setup.sh made, whatever the caller's shell says
purge=0
case "${1:-}" in
  --purge) purge=1 ;;
  '') ;;
  *) echo "usage: $0 [--purge]" >&2; exit 2 ;;
esac

as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)

say() { printf 'slurm-stop: %s\n' "$*"; }

# Alive: the process exists and is not a zombie. (In some containers PID 1 reaps orphans late, so a
# stopped daemon can linger as a zombie for seconds.)
alive() { [ -d "/proc/$1" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }

# Kills the daemon whose pid is in file $1 if its command name is $2 (a stale pid file after a reboot may
# name a pid that another program now has), waiting up to 10 s before SIGKILL.
stop_daemon() {
  local pid
  pid=$("${as_root[@]}" cat "$1" 2>/dev/null) || return 0
  if [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ] && alive "$pid"; then
    say "stopping $2 (pid $pid)"
    "${as_root[@]}" kill "$pid"
    for _ in $(seq 100); do alive "$pid" || break; sleep 0.1; done
    if alive "$pid"; then
      say "$2 (pid $pid) ignored SIGTERM for 10 s: SIGKILL"
      "${as_root[@]}" kill -9 "$pid" 2>/dev/null || true
    fi
  fi
  "${as_root[@]}" rm -f "$1"
}

# Jobs first, while slurmctld and slurmd still run: a job's processes belong to slurmstepd, which
# outlives slurmd, so stopping the daemons alone would leave jobs running with no one to account for them.
if command -v scontrol >/dev/null 2>&1 && scontrol ping 2>/dev/null | grep -q 'is UP'; then
  # %F is the array's id for an array task (cancelling it cancels every task) and the job's own id otherwise.
  jobs=$(squeue -h -t PENDING,RUNNING,SUSPENDED,CONFIGURING,COMPLETING -o '%F' 2>/dev/null | sort -u || true)
  if [ -n "$jobs" ]; then
    say "cancelling jobs: $(tr '\n' ' ' <<<"$jobs")"
    # shellcheck disable=SC2086 # one job id a word
    "${as_root[@]}" scancel $jobs 2>/dev/null || true
    # KillWait in slurm.conf is 5 s between SIGTERM and SIGKILL.
    for _ in $(seq 30); do
      [ -z "$(squeue -h -t RUNNING,COMPLETING -o '%A' 2>/dev/null)" ] && break
      sleep 0.5
    done
  fi
fi

stop_daemon "$state_dir/run/slurmd.pid" slurmd
stop_daemon "$state_dir/run/slurmctld.pid" slurmctld
if "${as_root[@]}" test -e "$state_dir/run/munged.ours"; then
  stop_daemon /run/munge/munged.pid munged
  "${as_root[@]}" rm -f "$state_dir/run/munged.ours"
fi

if [ "$purge" -eq 1 ]; then
  say "removing $state_dir and $conf"
  "${as_root[@]}" rm -rf "$state_dir"
  # Only the file slurm-setup.sh wrote: a hand-written slurm.conf is not ours to delete.
  if "${as_root[@]}" grep -q '^# Written by scripts/slurm-setup.sh' "$conf" 2>/dev/null; then
    "${as_root[@]}" rm -f "$conf"
  fi
fi
say "done"
