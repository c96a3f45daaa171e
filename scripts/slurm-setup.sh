#!/usr/bin/env bash
# Brings up a real one-node Slurm (Debian's slurm-wlm 22.05 + munge) on this machine, for testing the
# Slurm executor: installs the packages when missing, writes the munge key and /etc/slurm/slurm.conf,
# starts munged, slurmctld and slurmd without systemd (state, logs and pid files under $JCP_SLURM_STATE),
# waits for the node to be idle and runs a one-task smoke job. Idempotent: running daemons are left alone
# unless slurm.conf changed, in which case the Slurm daemons are restarted. Stop with scripts/slurm-stop.sh.
# Knobs (environment): JCP_SLURM_STATE (state folder), JCP_SLURM_TIMEOUT (seconds to wait for the node).
set -euo pipefail

state_dir=${JCP_SLURM_STATE:-/var/lib/jcp-slurm}
wait_s=${JCP_SLURM_TIMEOUT:-60}
conf_dir=/etc/slurm # where Debian's slurm 22.05 (and every client command) looks for slurm.conf
conf=$conf_dir/slurm.conf
# Every Slurm command and daemon reads SLURM_CONF first: one left in the caller's shell would make this
# script check (or start) some other cluster.
export SLURM_CONF=$conf
node=$(hostname -s)

as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)

say() { printf 'slurm-setup: %s\n' "$*"; }

# Prints the last lines of every daemon log, then fails: the log says why a daemon died or a node is down.
die_with_logs() {
  printf 'slurm-setup: ERROR: %s\n' "$1" >&2
  for log in "$state_dir"/log/*.log "$state_dir"/log/*.out; do
    [ -f "$log" ] || continue
    printf -- '--- last lines of %s ---\n' "$log" >&2
    "${as_root[@]}" tail -n 25 "$log" >&2 || true
  done
  exit 1
}

# Alive: the process exists and is not a zombie. (In some containers PID 1 reaps orphans late, so a
# stopped daemon can linger as a zombie for seconds.)
alive() { [ -d "/proc/$1" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }

# True when the pid in file $1 is alive and its command name is $2 (a stale pid file after a reboot may
# name a pid that another program now has).
running() {
  local pid
  pid=$("${as_root[@]}" cat "$1" 2>/dev/null) || return 1
  [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ] && alive "$pid"
}

# --- 1. packages -------------------------------------------------------------------------------------
apt_missing=()
for pkg in slurm-wlm munge; do
  dpkg -s "$pkg" 2>/dev/null | grep -q '^Status: install ok installed' || apt_missing+=("$pkg")
done
if [ "${#apt_missing[@]}" -gt 0 ]; then
  say "installing ${apt_missing[*]}"
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${apt_missing[@]}" >/dev/null
fi

"${as_root[@]}" mkdir -p "$state_dir"/{log,run,slurmctld,slurmd} "$conf_dir"

# --- 2. munge ----------------------------------------------------------------------------------------
# munged refuses a key that is readable by others or not owned by the user it runs as, so the key is
# munge:munge 0400 and munged runs as the munge user (as Debian's own unit does).
if ! "${as_root[@]}" test -s /etc/munge/munge.key; then
  say "writing /etc/munge/munge.key"
  "${as_root[@]}" mkdir -p /etc/munge
  "${as_root[@]}" mungekey --create --keyfile=/etc/munge/munge.key --force
fi
"${as_root[@]}" chown munge:munge /etc/munge/munge.key
"${as_root[@]}" chmod 0400 /etc/munge/munge.key
# /run is a tmpfs: the socket folder that systemd's tmpfiles would make is gone after a reboot.
"${as_root[@]}" install -d -o munge -g munge -m 0755 /run/munge
"${as_root[@]}" install -d -o munge -g munge -m 0700 /var/lib/munge /var/log/munge
if "${as_root[@]}" munge -n 2>/dev/null | "${as_root[@]}" unmunge >/dev/null 2>&1; then
  say "munged already running"
else
  say "starting munged"
  "${as_root[@]}" runuser -u munge -- /usr/sbin/munged --pid-file=/run/munge/munged.pid \
    --log-file=/var/log/munge/munged.log </dev/null || die_with_logs "munged did not start"
  for _ in $(seq 50); do
    "${as_root[@]}" munge -n 2>/dev/null | "${as_root[@]}" unmunge >/dev/null 2>&1 && break
    sleep 0.1
  done
  "${as_root[@]}" munge -n | "${as_root[@]}" unmunge >/dev/null || die_with_logs "munged does not answer"
  # slurm-stop.sh stops munged only when this file says we started it (not a system munged).
  "${as_root[@]}" touch "$state_dir/run/munged.ours"
fi

# --- 3. slurm.conf -----------------------------------------------------------------------------------
cpus=$(nproc --all)
mem_mb=$(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo)
# 95 % of the total: slurmd drains a node that reports less memory than RealMemory says, and the
# total a VM or laptop reports can shrink by a few MB between boots.
real_mem=$((mem_mb * 95 / 100))
# Without a default, a job that does not ask for memory is given the whole node's, and then only one
# job runs at a time: a fair share per CPU lets one single-CPU task run on every CPU.
def_mem=$((real_mem / cpus))

new_conf=$(cat <<EOF
# Written by scripts/slurm-setup.sh: a one-node Slurm for local tests. Edits are overwritten.
ClusterName=jcp-local
# Addresses are loopback, so no DNS entry for the host name is needed.
SlurmctldHost=${node}(127.0.0.1)
AuthType=auth/munge
# Root runs everything: simplest in a container, where there is no slurm user with a home.
SlurmUser=root
SlurmdUser=root
MpiDefault=none
# No mail in a test cluster (the default, /bin/mail, is not installed and slurmctld logs an error).
MailProg=/bin/true
# No cgroups: containers seldom delegate them. Processes are tracked through /proc.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
# Without slurmdbd there is no sacct: finished jobs are kept in slurmctld (scontrol show job) for
# MinJobAge seconds, and each one's final state is appended to this text file.
JobCompType=jobcomp/filetxt
JobCompLoc=${state_dir}/log/jobcomp.txt
MinJobAge=3600
# A node that comes back after a restart is put back in service without scontrol.
ReturnToService=2
StateSaveLocation=${state_dir}/slurmctld
SlurmdSpoolDir=${state_dir}/slurmd
SlurmctldPidFile=${state_dir}/run/slurmctld.pid
SlurmdPidFile=${state_dir}/run/slurmd.pid
SlurmctldLogFile=${state_dir}/log/slurmctld.log
SlurmdLogFile=${state_dir}/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
# A cancelled task gets SIGTERM, then SIGKILL this many seconds later (default 30).
KillWait=5
SchedulerType=sched/backfill
# Start jobs within a second: by default a job that becomes runnable because another finished (the next
# task of a throttled array, a dependent job) or a new array waits up to batch_sched_delay=3 s (measured:
# 2-3 s, against 0.2-0.7 s with 0). bf_interval=1 runs the backfill pass every second (default 30 s).
# Both are cheap on a one-node queue.
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0,bf_interval=1
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
DefMemPerCPU=${def_mem}
# Only CPUs= (no sockets/cores/threads): with CR_CPU that makes every hardware thread a schedulable
# unit, so one single-CPU array task runs per CPU even on a machine with hyper-threads.
NodeName=${node} NodeAddr=127.0.0.1 CPUs=${cpus} RealMemory=${real_mem} State=UNKNOWN
PartitionName=debug Nodes=${node} Default=YES MaxTime=INFINITE State=UP
EOF
)

conf_changed=0
if [ "$("${as_root[@]}" cat "$conf" 2>/dev/null)" != "$new_conf" ]; then
  say "writing $conf"
  printf '%s\n' "$new_conf" | "${as_root[@]}" tee "$conf" >/dev/null
  conf_changed=1
fi

# --- 4. slurmctld and slurmd -------------------------------------------------------------------------
stop_daemon() { # pidfile name
  local pid
  running "$1" "$2" || return 0
  pid=$("${as_root[@]}" cat "$1")
  say "stopping $2 (pid $pid) to load the new slurm.conf"
  "${as_root[@]}" kill "$pid"
  for _ in $(seq 100); do alive "$pid" || return 0; sleep 0.1; done
  "${as_root[@]}" kill -9 "$pid" 2>/dev/null || true
}
if [ "$conf_changed" -eq 1 ]; then
  stop_daemon "$state_dir/run/slurmd.pid" slurmd
  stop_daemon "$state_dir/run/slurmctld.pid" slurmctld
fi

# The daemons run in the foreground (-D) in their own session (setsid), started in the background from
# here: this script then knows each one's pid and sees at once one that dies at start (port taken, bad
# config), which a self-daemonising slurmd hides (it forks before binding its port). They start with a
# small fixed environment rather than the caller's, so that nothing in one developer's shell (SLURM_*
# variables, a virtualenv's PATH) changes how the cluster behaves. Jobs do not see it: with the default
# --export=ALL a job gets the submitter's environment, with --export=NONE the user's login environment.
daemon_env=(env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 SLURM_CONF="$conf")
declare -A started=() # daemon name -> pid of what was started (sudo's when not root)
start_daemon() { # name
  if running "$state_dir/run/$1.pid" "$1"; then
    say "$1 already running"
    return
  fi
  say "starting $1"
  # cd /: a daemon should not hold the caller's working folder.
  (cd / && exec "${as_root[@]}" "${daemon_env[@]}" setsid "$1" -D) </dev/null >>"$state_dir/log/$1.out" 2>&1 &
  started[$1]=$!
}
start_daemon slurmctld
slurmd_since=$(date +%s)
start_daemon slurmd

# Seconds since the epoch at which the slurmd that slurmctld last heard from started (0 if unknown).
slurmd_start_time() {
  local t
  t=$(scontrol show node -o "$node" 2>/dev/null | grep -o 'SlurmdStartTime=[^ ]*' | cut -d= -f2) || true
  date -d "${t:-@0}" +%s 2>/dev/null || echo 0
}

say "waiting for node $node to be idle (up to ${wait_s}s)"
deadline=$((SECONDS + wait_s))
while :; do
  for daemon in "${!started[@]}"; do
    alive "${started[$daemon]}" || die_with_logs "$daemon exited right after starting"
  done
  node_state=$(sinfo -h -n "$node" -o '%T' 2>/dev/null || true)
  # slurmctld keeps showing the node idle for a while after its slurmd died: a slurmd started here
  # counts only once it has registered (its start time is the one slurmctld reports).
  registered=1
  if [ -n "${started[slurmd]:-}" ] && [ "$(slurmd_start_time)" -lt "$slurmd_since" ]; then registered=0; fi
  case "$registered:$node_state" in
    1:idle | 1:mixed | 1:allocated) break ;;
    *:down* | *:drain* | *:fail*)
      # A node that was down before a restart (or drained by an earlier config) stays so until resumed.
      "${as_root[@]}" scontrol update nodename="$node" state=resume 2>/dev/null || true ;;
  esac
  if [ "$SECONDS" -ge "$deadline" ]; then
    [ "$registered" -eq 1 ] || node_state="${node_state:-not reported}, and the slurmd started here has not registered"
    die_with_logs "node $node is '${node_state:-not reported}' after ${wait_s}s"
  fi
  sleep 0.5
done
say "node $node is $node_state"

# --- 5. smoke check ----------------------------------------------------------------------------------
out=$(timeout "$wait_s" srun -N1 -n1 hostname 2>&1) || die_with_logs "srun -N1 -n1 hostname failed: $out"
say "srun ran on $out: Slurm is up (stop it with scripts/slurm-stop.sh)"
