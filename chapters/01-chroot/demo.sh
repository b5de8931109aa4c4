#!/usr/bin/env bash
# demo.sh - the lecture demo of chapter 01: chroot, and why it is not enough.
#
#   make -C chapters/01-chroot demo      (or: ROOTFS=DIR ./demo.sh, as root)
#
# Shows, and checks, that with --rootfs the command sees the rootfs as "/"
# and a clean environment; that the /proc barge mounts for it is visible on
# the host while the container runs and gone afterwards; and that nothing
# else is isolated: the container sees every host process, the host's
# hostname, network and init, shares the host's mount table, and a root
# process walks out of the chroot with two system calls.
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
expect_lacks() { # TEXT PART WHAT
	case "$1" in
	*"$2"*) fail "$3: '$2' found in: $1" ;;
	*) ok "$3" ;;
	esac
}
expect_line() { # TEXT LINE WHAT: LINE is one of TEXT's lines
	grep -qxF -- "$2" <<<"$1" || fail "$3: no line '$2' in: $1"
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

# The IDs (mountinfo field 1) of the mounts on PATH, one per line.
mount_ids_at() {
	awk -v p="$1" '$5 == p { print $1 }' /proc/self/mountinfo
}

# ---- cleanup: nothing the demo starts may outlive it ------------------------

barge_pid=
proc_ids=
tmpfs_mounted=

# Stop a barge started in the background. SIGTERM first: barge forwards
# it and then unmounts DIR/proc itself; SIGKILL if that did not work.
stop_barge() {
	local _
	[ -n "$barge_pid" ] || return 0
	kill -TERM "$barge_pid" 2>/dev/null || true
	for _ in $(seq 30); do
		kill -0 "$barge_pid" 2>/dev/null || break
		sleep 0.1
	done
	pkill -KILL -P "$barge_pid" 2>/dev/null || true
	kill -KILL "$barge_pid" 2>/dev/null || true
	wait "$barge_pid" 2>/dev/null || true
	barge_pid=
}

cleanup() {
	local id
	stop_barge
	# A /proc that barge did not get to unmount (only ours, by mount ID).
	for id in $proc_ids; do
		if mount_ids_at "$ROOTFS/proc" | grep -qx "$id"; then
			umount -l "$ROOTFS/proc" || true
		fi
	done
	if [ -n "$tmpfs_mounted" ]; then
		if grep -q " $ROOTFS/tmp/demo-mnt .* barge-demo-01 " /proc/self/mountinfo; then
			umount "$ROOTFS/tmp/demo-mnt" || true
		fi
		rmdir "$ROOTFS/tmp/demo-mnt" 2>/dev/null || true
	fi
}
trap cleanup EXIT
trap "exit 130" INT
trap "exit 143" TERM

[ "$(id -u)" = 0 ] || fail "run me as root: chroot(2) and mount(2) need it"
[ -x "$here/barge" ] || fail "build barge first: make -C $here"
[ -x "$ROOTFS/bin/probe" ] || fail "no $ROOTFS/bin/probe: run 'make rootfs' at the top first"
# mountinfo shows canonical paths: resolve "..", symlinks.
ROOTFS=$(realpath "$ROOTFS")
export ROOTFS LC_ALL=C
cd "$here"
printf 'ROOTFS=%s\n' "$ROOTFS"

# ---- 1. a root of its own ----------------------------------------------------

say "1. With --rootfs, the command's / is the rootfs (chroot(2))"
run "ls /"
host_ls=$out
run "ls \"\$ROOTFS\""
rootfs_ls=$out
run "./barge run --rootfs \"\$ROOTFS\" -- ls /"
expect_rc 0
expect_eq "$out" "$rootfs_ls" "ls / inside lists the rootfs"
expect_ne "$out" "$host_ls" "and not the host's /"
run "./barge run --rootfs \"\$ROOTFS\" -- cat /etc/os-release"
expect_contains "$out" 'NAME="barge busybox rootfs"' "files come from the rootfs"

say "Programs and their libraries must be in the rootfs (the host's are not)"
run "./barge run --rootfs \"\$ROOTFS\" -- python3 -c 1"
expect_rc 127 "127: there is no python3 in the rootfs"

say "2. A clean environment: the host's variables stay outside"
run "SECRET_TOKEN=hunter2 ./barge run --rootfs \"\$ROOTFS\" -- env"
expect_lacks "$out" "SECRET_TOKEN" "the host's variables are not passed in"
expect_line "$out" "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
	"PATH is barge's default"
expect_line "$out" "HOME=/root" "HOME is /root"

# ---- 2. /proc, mounted by the parent ---------------------------------------------

say "3. barge mounts a proc on ROOTFS/proc for the container; the host sees it"
before_ids=$(mount_ids_at "$ROOTFS/proc")
show "./barge run --rootfs \"\$ROOTFS\" -- sleep 30 &"
./barge run --rootfs "$ROOTFS" -- sleep 30 &
barge_pid=$!
wait_until pgrep -P "$barge_pid" -x sleep >/dev/null ||
	fail "sleep did not start under barge (pid $barge_pid)"
sleep_pid=$(pgrep -P "$barge_pid" -x sleep)
proc_ids=$(comm -13 <(printf '%s\n' "$before_ids" | sort) \
	<(mount_ids_at "$ROOTFS/proc" | sort) | xargs)
run "grep -F \"\$ROOTFS/proc\" /proc/self/mountinfo"
expect_contains "$out" " $ROOTFS/proc " "the container's /proc is in the host's mount table"
[ -n "$proc_ids" ] || fail "no new mount on $ROOTFS/proc"
ok "it is mount $proc_ids (mountinfo field 1)"

say "The container is a host process whose root directory is the rootfs"
run "ps -o pid,ppid,comm -p $barge_pid,$sleep_pid"
run "readlink /proc/$sleep_pid/root"
expect_eq "$out" "$ROOTFS" "/proc/$sleep_pid/root points at the rootfs"

say "When the container ends, barge unmounts ROOTFS/proc"
run "kill -TERM $barge_pid"
rc=0
wait "$barge_pid" || rc=$?
barge_pid=
show "wait  # for barge"
printf '[exit status %d]\n' "$rc"
expect_rc 143 "143: sleep died of the forwarded SIGTERM"
run "grep -F \"\$ROOTFS/proc\" /proc/self/mountinfo"
for id in $proc_ids; do
	if mount_ids_at "$ROOTFS/proc" | grep -qx "$id"; then
		fail "mount $id on $ROOTFS/proc is still there"
	fi
done
ok "mount $proc_ids is gone"

# ---- 3. what chroot does not isolate -------------------------------------------

say "4. chroot isolates nothing else. Processes: the container sees them all"
run "./barge run --rootfs \"\$ROOTFS\" -- sh -c 'probe ps | wc -l'"
[ "$out" -gt 2 ] || fail "expected the host's processes, got $out"
ok "the container sees $out processes"
run "./barge run --rootfs \"\$ROOTFS\" -- sh -c 'ps -o pid,comm | head -6'"
run "./barge run --rootfs \"\$ROOTFS\" -- sh -c 'probe ps | grep -x $$'"
expect_eq "$out" "$$" "it sees this demo script (pid $$), a host process"
run "./barge run --rootfs \"\$ROOTFS\" -- probe file /proc/1/comm"
expect_eq "$out" "$(cat /proc/1/comm)" "its PID 1 is the host's init, $(cat /proc/1/comm)"

say "The hostname: the host's"
run "hostname"
host_name=$out
run "./barge run --rootfs \"\$ROOTFS\" -- hostname"
expect_eq "$out" "$host_name" "same hostname inside and out"

say "The network: the host's interfaces"
run "\"\$ROOTFS\"/bin/probe netdevs"
host_devs=$out
run "./barge run --rootfs \"\$ROOTFS\" -- probe netdevs"
expect_eq "$out" "$host_devs" "same interfaces inside and out"

say "The users: root inside is the host's root, with all its privileges"
run "./barge run --rootfs \"\$ROOTFS\" -- probe ids"
expect_contains "$out" "uid=0 " "uid 0, the host's root"
run "./barge run --rootfs \"\$ROOTFS\" -- probe status CapEff"
expect_ne "$out" "0000000000000000" "every capability is still there"

say "The mount table: a mount made inside stays on the host after the container"
tmpfs_mounted=yes
run "./barge run --rootfs \"\$ROOTFS\" -- sh -c 'mkdir -p /tmp/demo-mnt && mount -t tmpfs barge-demo-01 /tmp/demo-mnt'"
expect_rc 0
run "grep barge-demo-01 /proc/self/mountinfo"
expect_contains "$out" " $ROOTFS/tmp/demo-mnt " \
	"the container's mount is on the host, at ROOTFS/tmp/demo-mnt"
run "umount \"\$ROOTFS\"/tmp/demo-mnt && rmdir \"\$ROOTFS\"/tmp/demo-mnt"
expect_rc 0 "cleaned up by hand"
tmpfs_mounted=

# ---- 4. the escape --------------------------------------------------------------

say "5. The escape: chroot into a subdirectory, then climb with .. (chroot(2))"
run "ls -A /"
host_lsa=$out
run "ls -A \"\$ROOTFS\""
rootfs_lsa=$out
run "./barge run --rootfs \"\$ROOTFS\" -- probe escape-chroot"
expect_rc 0
expect_line "$out" "escaped" "probe got out"
expect_eq "$(sed 1d <<<"$out")" "$host_lsa" "what it lists is the HOST's /"
expect_ne "$(sed 1d <<<"$out")" "$rootfs_lsa" "not the rootfs's"
if [ -r /etc/os-release ]; then
	run "./barge run --rootfs \"\$ROOTFS\" -- probe escape-chroot cat /etc/os-release"
	expect_eq "$(sed 1d <<<"$out")" "$(cat /etc/os-release)" \
		"the escaped process reads the host's files, and runs its programs"
fi

say "demo 01 passed: chroot moves /, and only /"
