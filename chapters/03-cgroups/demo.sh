#!/usr/bin/env bash
# demo.sh - the lecture demo of chapter 03: cgroups.
#
#   make -C chapters/03-cgroups demo   (or: ROOTFS=DIR ./demo.sh, as root)
#
# Shows, and checks, what each limit does to a container: a memory hog
# killed at --memory and reported as out of memory, while one under the
# limit runs; a fork bomb held at --pids-limit while the host stays fine;
# a busy loop given half a CPU by --cpus 0.5; what --stats reports. Then
# the container's cgroup on the host: there while it runs, with its limits
# and its processes, and gone after. Bad values change nothing.
#
# Each step prints the command, then its output; the demo stops with a
# non-zero status at the first step that does not show what it should. It
# leaves no process, cgroup or file behind.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOTFS=${ROOTFS:-$here/../../build/rootfs}

if [ -t 1 ]; then
	bold=$'\033[1m' green=$'\033[32m' red=$'\033[31m' plain=$'\033[0m'
else
	bold='' green='' red='' plain=''
fi

# ---- narration and checks ---------------------------------------------------

say() { printf '\n%s## %s%s\n' "$bold" "$*" "$plain"; }
show() { printf '%s$ %s%s\n' "$bold" "$*" "$plain"; }
ok() { printf '%s   ok: %s%s\n' "$green" "$*" "$plain"; }
fail() {
	printf '%sdemo FAILED: %s%s\n' "$red" "$*" "$plain" >&2
	exit 1
}

# run CMD: print CMD as typed, run it, print its output (stdout and
# stderr) and exit status. Leaves them in $out and $rc for the checks.
run() {
	show "$1"
	rc=0
	out=$(eval "$1" 2>&1) || rc=$?
	if [ -n "$out" ]; then printf '%s\n' "$out"; fi
	printf '[exit status %d]\n' "$rc"
}

expect_eq() { # ACTUAL EXPECTED WHAT
	[ "$1" = "$2" ] || fail "$3: expected '$2', got '$1'"
	ok "$3"
}
expect_rc() { expect_eq "$rc" "$1" "${2:-exit status $1}"; }
expect_contains() { # TEXT PART WHAT
	case "$1" in
	*"$2"*) ok "$3" ;;
	*) fail "$3: '$2' not found in: $1" ;;
	esac
}
expect_lacks() { # TEXT PART WHAT
	case "$1" in
	*"$2"*) fail "$3: '$2' found in: $1" ;;
	*) ok "$3" ;;
	esac
}
# expect_between VALUE LOW HIGH WHAT (numbers, fractions allowed)
expect_between() {
	awk -v v="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(v >= lo && v <= hi) }' ||
		fail "$4: $1 is not between $2 and $3"
	ok "$4"
}

# The container cgroups under every barge parent: v2 and v1 alike.
barge_cgroups() {
	find /sys/fs/cgroup -mindepth 2 -maxdepth 3 -type d -path '*/barge/*' 2>/dev/null |
		sort || true
}

# wait_until CMD...: retry CMD every 0.1 s for at most 5 s.
wait_until() {
	local _
	for _ in $(seq 50); do
		if "$@"; then return 0; fi
		sleep 0.1
	done
	return 1
}
has_cgroup() { [ -n "$(barge_cgroups)" ]; }

# cg_file NAME...: the first of the files NAME... that a container cgroup
# has: "cg_file memory.max memory.limit_in_bytes" works on v2 and v1.
cg_file() {
	local d f
	for d in $(barge_cgroups); do
		for f; do
			[ -e "$d/$f" ] && { echo "$d/$f"; return 0; }
		done
	done
	return 1
}
has_file() { cg_file "$1" >/dev/null; }

# Does the kernel account swap? v1: memsw files; v2: memory.swap.max in
# the cgroups the root enables memory for.
swap_accounted() {
	[ -e /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes ] ||
		compgen -G '/sys/fs/cgroup/*/memory.swap.max' >/dev/null
}
procs_in_cgroup() {
	local f
	f=$(cg_file cgroup.procs) && [ "$(wc -l <"$f")" = "$1" ]
}

# ---- cleanup: nothing the demo starts may outlive it ------------------------

barge_pid=

# Stop a barge started in the background: SIGKILL its child, the
# container's PID 1 (the kernel then kills the whole PID namespace), and
# let barge see it die: barge removes the cgroup on its way out.
stop_barge() {
	[ -n "$barge_pid" ] || return 0
	pkill -KILL -P "$barge_pid" 2>/dev/null || true
	wait "$barge_pid" 2>/dev/null || true
	barge_pid=
}
trap stop_barge EXIT
trap "exit 130" INT
trap "exit 143" TERM

[ "$(id -u)" = 0 ] || fail "run me as root: creating cgroups needs it"
[ -x "$here/barge" ] || fail "build barge first: make -C $here"
[ -x "$ROOTFS/bin/probe" ] || fail "no $ROOTFS/bin/probe: run 'make rootfs' at the top first"
ROOTFS=$(realpath "$ROOTFS")
export ROOTFS LC_ALL=C
cd "$here"
printf 'ROOTFS=%s\n' "$ROOTFS"
[ -z "$(barge_cgroups)" ] || fail "container cgroups exist already: $(barge_cgroups)"

# ---- the host -------------------------------------------------------------------

say "0. Which cgroup version does this host run? barge asks the same way"
run "stat -f -c %T /sys/fs/cgroup"
if [ "$out" = cgroup2fs ]; then
	ok "cgroup2 at /sys/fs/cgroup: a v2 host, one unified hierarchy"
	run "cat /sys/fs/cgroup/cgroup.controllers"
else
	ok "not cgroup2: a v1 host (hybrid if there is a /sys/fs/cgroup/unified)"
	run "grep -w cgroup /proc/self/mountinfo | awk '{ print \$5, \$NF }'"
fi

# ---- memory ----------------------------------------------------------------------

say "1. --memory: a 64 MB hog in a 32 MB container is killed by the OOM killer"
# --memory alone allows as much swap again: no swap, or the hog would
# only be slowed down on a host that has some.
noswap=
if swap_accounted; then noswap="--memory-swap 32m"; fi
run "./barge run --rootfs \"\$ROOTFS\" --memory 32m $noswap -- probe hog-memory 64"
expect_rc 137 "137: 128 + SIGKILL, the OOM killer's signal"
expect_contains "$out" "was killed: out of memory (--memory 32m)" \
	"barge tells it from a kill -9: the cgroup counted an oom_kill"
expect_lacks "$out" "done" "the hog never got its 64 MB"
run "./barge run --rootfs \"\$ROOTFS\" --memory 32m -- probe kill-self KILL"
expect_rc 137 "a kill -9 is 137 too..."
expect_lacks "$out" "out of memory" "...but not reported as out of memory"
run "./barge run --rootfs \"\$ROOTFS\" --memory 32m -- probe hog-memory 16"
expect_rc 0 "16 MB fit in 32: it runs to the end"
expect_eq "$out" "done" "the probe allocated and touched all 16 MB"

# ---- pids ------------------------------------------------------------------------

say "2. --pids-limit: a fork loop, then a real fork bomb, held at the limit"
run "./barge run --rootfs \"\$ROOTFS\" --pids-limit 20 -- probe fork-loop 100"
forked=$(sed -n 's/^forked=//p' <<<"$out")
expect_between "$forked" 1 19 "forked $forked times: the limit of 20 counts init and probe too"
expect_contains "$out" "errno=EAGAIN" "fork(2) failed with EAGAIN, as at the host's own limit"

show "./barge run --rootfs \"\$ROOTFS\" --pids-limit 30 -- sh -c 'b(){ b|b& }; b & exec sleep 30' &"
./barge run --rootfs "$ROOTFS" --pids-limit 30 -- \
	sh -c 'b(){ b|b& }; b & exec sleep 30' >/dev/null 2>&1 &
barge_pid=$!
wait_until has_file pids.current || fail "no cgroup appeared for the fork bomb"
sleep 1
show "sleep 1  # the bomb goes off, grows to the limit, and burns out"
if peak=$(cg_file pids.peak); then
	run "cat $peak"
	expect_between "$out" 2 30 "at its peak the bomb had $out processes: never more than 30"
else
	ok "(this kernel keeps no pids.peak: it is Linux 6.1's)"
fi
run "cat $(cg_file pids.events)"
refused=$(awk '$1 == "max" { print $2 }' <<<"$out")
expect_between "${refused:-0}" 1 1e12 "the kernel refused $refused forks: the bomb hit the wall"
run "uptime"
ok "and the host answers at once"
stop_barge
show "kill -KILL <the container's PID 1>; wait"
run "barge_cgroups"
expect_eq "$out" "" "the bomb is gone, and so is its cgroup"

# ---- cpu -------------------------------------------------------------------------

say "3. --cpus 0.5: a busy loop of 2 s gets half a CPU"
run "./barge run --rootfs \"\$ROOTFS\" -- probe spin 2"
full=$(sed -n 's/^cpu_ms=//p' <<<"$out")
run "./barge run --rootfs \"\$ROOTFS\" --cpus 0.5 -- probe spin 2"
half=$(sed -n 's/^cpu_ms=//p' <<<"$out")
expect_between "$half" 500 1500 "$half ms of CPU in 2000 ms: the quota is 50 ms every 100 ms"
expect_between "$full" 1200 2100 "without --cpus the same loop got $full ms"

# ---- stats -----------------------------------------------------------------------

say "4. --stats: what the container used, read from its cgroup before it goes"
run "./barge run --rootfs \"\$ROOTFS\" --stats -- sh -c 'probe hog-memory 20 >/dev/null && probe spin 0.5'"
expect_rc 0
expect_contains "$out" "barge: stats: memory peak " "peak memory, CPU time and peak pids"
mib=$(sed -n 's/.*memory peak \([0-9.]*\) MiB.*/\1/p' <<<"$out")
expect_between "${mib:-0}" 20 200 "memory peak $mib MiB: at least the 20 MB the probe touched"

# ---- the cgroup on the host ------------------------------------------------------

say "5. The container's cgroup, seen from the host while it runs"
show "./barge run --rootfs \"\$ROOTFS\" --memory 64m --pids-limit 50 -- sleep 30 &"
./barge run --rootfs "$ROOTFS" --memory 64m --pids-limit 50 -- sleep 30 &
barge_pid=$!
wait_until has_cgroup || fail "no cgroup appeared"
wait_until procs_in_cgroup 2 || fail "sleep did not start in the cgroup"
run "barge_cgroups"
id=$(barge_cgroups | head -1 | xargs basename)
expect_eq "$(barge_cgroups | xargs -n1 basename | sort -u)" "$id" \
	"one cgroup, named by the container's id $id (in each v1 hierarchy)"
run "cat $(cg_file cgroup.procs)"
expect_eq "$(wc -l <<<"$out")" "2" "two processes in it: barge's init and sleep"
sleep_pid=$(tail -1 <<<"$out")
run "cat /proc/$sleep_pid/cgroup"
expect_contains "$out" "/barge/$id" "the host sees sleep in /barge/$id"
run "cat $(cg_file memory.max memory.limit_in_bytes)"
expect_eq "$out" "67108864" "the limit: 64 MiB, in bytes"
if f=$(cg_file memory.swap.max memory.memsw.limit_in_bytes); then
	run "cat $f"
	case $f in
	*swap.max) expect_eq "$out" "67108864" "swap alone: as much as memory, Docker's default" ;;
	*) expect_eq "$out" "134217728" "memory and swap: twice --memory, Docker's default" ;;
	esac
fi
run "nsenter -t $sleep_pid -C cat /proc/$sleep_pid/cgroup"
grep -qv ':/$' <<<"$out" && fail "a cgroup path other than / inside"
ok "read from inside its cgroup namespace, the same cgroup is /"
stop_barge
show "kill -KILL <the container's PID 1>; wait"
run "barge_cgroups"
expect_eq "$out" "" "gone: barge removed its cgroup when the container ended"

# ---- bad values ------------------------------------------------------------------

say "6. Bad values: one line, exit 125, nothing created"
for flags in "--memory 12x" "--cpus -1" "--pids-limit abc" "--memory 64m --memory-swap 32m"; do
	run "./barge run --rootfs \"\$ROOTFS\" $flags -- true"
	expect_rc 125 "125 for $flags"
	expect_eq "$(wc -l <<<"$out")" 1 "one line"
done
expect_eq "$(barge_cgroups)" "" "no cgroup was made for any of them"

say "demo 03 passed: memory, processes and CPU limited, OOM reported, cgroups cleaned up"
