#!/usr/bin/env bash
# demo.sh - the lecture demo of chapter 02: namespaces.
#
#   make -C chapters/02-namespaces demo   (or: ROOTFS=DIR ./demo.sh, as root)
#
# Shows, and checks, what each namespace gives the container: its own
# hostname (UTS), its own process tree with PID 1 (PID), only lo (network),
# its own mount table built by rootfs.c and invisible to the host (mount),
# its own cgroup root (cgroup). Then PID 1's duties: orphans reaped and
# SIGTERM obeyed with barge's minimal init, zombies and an ignored SIGTERM
# without it (--no-init). Finally the chroot escape of chapter 01, which
# now lands back in the container's own root.
#
# Each step prints the command, then its output; the demo stops with a
# non-zero status at the first step that does not show what it should. It
# leaves no process, mount or file behind.
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
expect_ne() { # ACTUAL UNEXPECTED WHAT
	[ "$1" != "$2" ] || fail "$3: got '$1'"
	ok "$3"
}
expect_rc() { expect_eq "$rc" "$1" "${2:-exit status $1}"; }
expect_contains() { # TEXT PART WHAT
	case "$1" in
	*"$2"*) ok "$3" ;;
	*) fail "$3: '$2' not found in: $1" ;;
	esac
}
expect_match() { # TEXT REGEX WHAT (extended regex, whole text)
	[[ $1 =~ ^$2$ ]] || fail "$3: '$1' does not match $2"
	ok "$3"
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

# The pid of a process named NAME among the descendants of PID (one level
# for --no-init, two with barge's init in between), or nothing.
find_descendant() { # PID NAME
	local p
	{
		pgrep -P "$1" -x "$2" || true
		for p in $(pgrep -P "$1" || true); do
			pgrep -P "$p" -x "$2" || true
		done
	} | head -1
}
has_descendant() { [ -n "$(find_descendant "$@")" ]; }

now() { printf '%s\n' "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# ---- cleanup: nothing the demo starts may outlive it ------------------------

barge_pid=

# Stop a barge started in the background. Its child is the container's
# PID 1: SIGKILL to it kills every process of the PID namespace, and the
# kernel then tears down the namespace's mounts (pid_namespaces(7)).
stop_barge() {
	[ -n "$barge_pid" ] || return 0
	pkill -KILL -P "$barge_pid" 2>/dev/null || true
	kill -KILL "$barge_pid" 2>/dev/null || true
	wait "$barge_pid" 2>/dev/null || true
	barge_pid=
}
trap stop_barge EXIT
trap "exit 130" INT
trap "exit 143" TERM

[ "$(id -u)" = 0 ] || fail "run me as root: clone(2) with CLONE_NEW* needs it"
[ -x "$here/barge" ] || fail "build barge first: make -C $here"
[ -x "$ROOTFS/bin/probe" ] || fail "no $ROOTFS/bin/probe: run 'make rootfs' at the top first"
ROOTFS=$(realpath "$ROOTFS")
export ROOTFS LC_ALL=C
cd "$here"
printf 'ROOTFS=%s\n' "$ROOTFS"

host_mounts_before=$(cat /proc/self/mountinfo)
rootfs_hostname_before=$(cat "$ROOTFS/etc/hostname")

say "0. --rootfs is now required: without one there is nothing to pivot_root into"
run "./barge run -- true"
expect_rc 125 "125: barge refuses, and changes nothing"

# ---- UTS ------------------------------------------------------------------------

say "1. UTS namespace: the container's hostname is its own"
run "hostname"
host_name=$out
run "./barge run --rootfs \"\$ROOTFS\" --hostname web1 -- hostname"
expect_eq "$out" "web1" "hostname inside: web1"
run "./barge run --rootfs \"\$ROOTFS\" --hostname web1 -- cat /etc/hostname"
expect_eq "$out" "web1" "/etc/hostname says so too (bind-mounted from /dev)"
run "./barge run --rootfs \"\$ROOTFS\" -- hostname"
expect_match "$out" "[0-9a-f]{12}" "without --hostname: the container id, 12 hex digits"
run "hostname"
expect_eq "$out" "$host_name" "the host's hostname did not change"
expect_eq "$(cat "$ROOTFS/etc/hostname")" "$rootfs_hostname_before" \
	"neither did ROOTFS/etc/hostname on the host"
run "./barge run --rootfs \"\$ROOTFS\" -- uname -r"
expect_eq "$out" "$(uname -r)" "still the host's kernel, $(uname -r)"

# ---- PID ------------------------------------------------------------------------

say "2. PID namespace: a process tree of its own; barge's init is PID 1"
run "./barge run --rootfs \"\$ROOTFS\" -- ps"
run "./barge run --rootfs \"\$ROOTFS\" -- probe ps"
expect_eq "$out" $'1\n2' "only two processes: init (1) and the command (2)"
run "./barge run --rootfs \"\$ROOTFS\" -- probe pid"
expect_eq "$out" "2" "the command is PID 2, the child of init"
run "./barge run --rootfs \"\$ROOTFS\" --no-init -- probe pid"
expect_eq "$out" "1" "with --no-init the command itself is PID 1"

# ---- network ----------------------------------------------------------------------

say "3. Network namespace: only lo, and barge brought it up (SIOCSIFFLAGS)"
run "\"\$ROOTFS\"/bin/probe netdevs"
run "./barge run --rootfs \"\$ROOTFS\" -- probe netdevs"
expect_eq "$out" "lo up" "one interface: lo, up"
run "./barge run --rootfs \"\$ROOTFS\" -- ping -c 1 -W 1 127.0.0.1"
expect_rc 0 "127.0.0.1 answers inside"

# ---- mount ----------------------------------------------------------------------

say "4. Mount namespace: the mount table rootfs.c builds, and nothing of the host's"
run "./barge run --rootfs \"\$ROOTFS\" -- probe mounts"
expect_eq "$out" $'/\n/proc\n/sys\n/dev\n/dev/pts\n/dev/shm\n/etc/hostname' \
	"/, /proc, /sys, /dev (+ pts, shm) and /etc/hostname: nothing else"
run "./barge run --rootfs \"\$ROOTFS\" -- sh -c 'grep -E \" /(proc|sys) \" /proc/self/mountinfo'"
run "./barge run --rootfs \"\$ROOTFS\" -- probe write /proc/sys/kernel/domainname x"
expect_eq "$out" "EROFS" "/proc is read-only: writing /proc/sys fails with EROFS"
run "./barge run --rootfs \"\$ROOTFS\" -- ls /dev"
expect_eq "$out" "$(printf '%s\n' fd full null ptmx pts random shm stderr stdin stdout tty urandom zero)" \
	"a minimal /dev: no disks, no host ttys"

# ---- cgroup -----------------------------------------------------------------------

say "5. Cgroup namespace: the container's cgroup looks like the root, /"
run "cat /proc/self/cgroup"
run "./barge run --rootfs \"\$ROOTFS\" -- probe cgroup"
if grep -qv ':/$' <<<"$out"; then
	fail "a cgroup path other than / inside"
fi
ok "every cgroup path inside is /"

# ---- PID 1's duties ---------------------------------------------------------------

say "6. PID 1 reaps orphans: probe leaves an orphan that exits, then counts zombies"
run "./barge run --rootfs \"\$ROOTFS\" -- probe orphan-zombie"
expect_eq "$out" "0" "with barge's init: no zombie, init reaped the orphan"
run "./barge run --rootfs \"\$ROOTFS\" --no-init -- probe orphan-zombie"
expect_eq "$out" "1" "with --no-init: one zombie, nobody reaps it"

# start_sleep FLAGS...: barge run FLAGS -- sleep 3 in the background; wait
# until sleep runs; $sleep_pid is its pid on the host.
start_sleep() {
	show "./barge run --rootfs \"\$ROOTFS\"${*:+ $*} -- sleep 3 &"
	./barge run --rootfs "$ROOTFS" "$@" -- sleep 3 &
	barge_pid=$!
	wait_until has_descendant "$barge_pid" sleep ||
		fail "sleep did not start under barge (pid $barge_pid)"
	sleep_pid=$(find_descendant "$barge_pid" sleep)
}

# term_barge: SIGTERM to barge, wait for it; $rc and $secs.
term_barge() {
	local t0
	t0=$(now)
	run "kill -TERM $barge_pid"
	rc=0
	wait "$barge_pid" || rc=$?
	barge_pid=
	secs=$(elapsed "$t0")
	show "wait  # for barge"
	printf '[exit status %d after %s s]\n' "$rc" "$secs"
}

say "7. PID 1 gets only the signals it handles. With init: barge -> init -> sleep..."
start_sleep
run "ps -o pid,ppid,comm -p $barge_pid,$(pgrep -P "$barge_pid" | head -1),$sleep_pid"
term_barge
expect_rc 143 "143: sleep (PID 2) died of the SIGTERM init forwarded"
awk -v s="$secs" 'BEGIN { exit !(s < 2) }' || fail "took $secs s: SIGTERM was not obeyed"
ok "at once ($secs s), not after 3 s"

say "...and with --no-init: sleep is PID 1, has no handler, the kernel drops SIGTERM"
start_sleep --no-init
run "ps -o pid,ppid,comm -p $barge_pid,$sleep_pid"
term_barge
expect_rc 0 "0: sleep was not killed, it ran to its end"
awk -v s="$secs" 'BEGIN { exit !(s >= 2.5) }' || fail "took only $secs s: SIGTERM was obeyed"
ok "SIGTERM ignored: barge ran the full 3 s ($secs s)"

# ---- the host ----------------------------------------------------------------------

say "8. The host's mount table: untouched, during and after a container"
start_sleep
show "diff <(before) /proc/self/mountinfo  # while the container runs"
during=$(cat /proc/self/mountinfo)
diff <(printf '%s\n' "$host_mounts_before") <(printf '%s\n' "$during") ||
	fail "the host's mount table changed while the container ran"
ok "no difference: the container's 7 mounts exist only in its namespace"
run "grep -cF \"\$ROOTFS\" /proc/self/mountinfo"
expect_eq "$out" "0" "no mount under ROOTFS on the host"
kill -TERM "$barge_pid"
wait "$barge_pid" || true
barge_pid=
show "diff <(before) /proc/self/mountinfo  # after the demo's containers"
diff <(printf '%s\n' "$host_mounts_before") /proc/self/mountinfo ||
	fail "the host's mount table changed"
ok "no difference: nothing to unmount, the kernel dropped it all"

# ---- the escape -------------------------------------------------------------------

say "9. The chroot escape of chapter 01, again"
run "ls -A \"\$ROOTFS\""
rootfs_lsa=$out
run "./barge run --rootfs \"\$ROOTFS\" -- probe escape-chroot"
expect_eq "$(head -1 <<<"$out")" "escaped" "the probe's chroot and .. trick still runs (it is root)"
escaped=$(sed 1d <<<"$out")
expect_eq "$escaped" "$rootfs_lsa" "it climbs .. to the top and lists the ROOTFS again"
expect_ne "$escaped" "$(ls -A /)" "not the host's /: after pivot_root there is nothing above"

say "demo 02 passed: hostname, PIDs, network, mounts, cgroups are the container's own"
