#!/usr/bin/env bash
# demo.sh - the lecture demo of chapter 04: security.
#
#   make -C chapters/04-security demo   (or: ROOTFS=DIR ./demo.sh, as root)
#
# Each attack runs twice: with the previous chapter's barge, where it
# works, and with this chapter's, where it fails. PREV_BARGE names the
# previous barge (default: chapters/03-cgroups/barge, or 02's if 03 is not
# built). The attacks are chosen to be harmless when they succeed: a tmpfs
# mounted in the container's own mount namespace, a host kernel setting
# opened for writing with nothing written, files of /proc read. Then
# each option of the chapter: --cap-add, seccomp profiles, --user,
# --read-only, --ulimit, --userns, and a rootless run.
#
# Each step prints the command, then its output; the demo stops with a
# non-zero status at the first step that does not show what it should. It
# leaves no process, mount or file behind.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOTFS=${ROOTFS:-$here/../../build/rootfs}
if [ -z "${PREV_BARGE:-}" ]; then
	PREV_BARGE=$here/../03-cgroups/barge
	[ -x "$PREV_BARGE" ] || PREV_BARGE=$here/../02-namespaces/barge
fi
ROOTLESS_UID=40123 # any unused uid: setpriv needs no passwd entry

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

# The pid of a process named NAME among the children and grandchildren of
# PID (barge's init sits in between), or nothing.
find_descendant() { # PID NAME
	local p
	{
		pgrep -P "$1" -x "$2" || true
		for p in $(pgrep -P "$1" || true); do
			pgrep -P "$p" -x "$2" || true
		done
	} | head -1
}

# ---- cleanup: nothing the demo starts may outlive it ------------------------

barge_pid= profile=

stop_barge() {
	[ -n "$barge_pid" ] || return 0
	pkill -KILL -P "$barge_pid" 2>/dev/null || true
	kill -KILL "$barge_pid" 2>/dev/null || true
	wait "$barge_pid" 2>/dev/null || true
	barge_pid=
}
cleanup() {
	stop_barge
	[ -z "$profile" ] || rm -f "$profile"
}
trap cleanup EXIT
trap "exit 130" INT
trap "exit 143" TERM

[ "$(id -u)" = 0 ] || fail "run me as root: containers need it (the rootless step uses setpriv)"
[ -x "$here/barge" ] || fail "build barge first: make -C $here"
[ -x "$PREV_BARGE" ] || fail "no previous chapter's barge at $PREV_BARGE: build it, or set PREV_BARGE"
[ -x "$ROOTFS/bin/probe" ] || fail "no $ROOTFS/bin/probe: run 'make rootfs' at the top first"
ROOTFS=$(realpath "$ROOTFS")
PREV_BARGE=$(realpath "$PREV_BARGE")
export ROOTFS PREV_BARGE LC_ALL=C
cd "$here"
printf 'ROOTFS=%s\nPREV_BARGE=%s\n' "$ROOTFS" "$PREV_BARGE"
host_mounts_before=$(cat /proc/self/mountinfo)

# ---- capabilities ------------------------------------------------------------

say "1. Before: the container's root has every capability of the host's root"
run "\"\$PREV_BARGE\" run --rootfs \"\$ROOTFS\" -- probe caps"
expect_contains "$out" "CapEff=$(awk '/^CapPrm/ { print $2 }' /proc/self/status)" \
	"effective set: all of barge's own"
run "./barge run --rootfs \"\$ROOTFS\" -- probe caps"
expect_eq "$out" "$(printf 'CapInh=%s\nCapPrm=%s\nCapEff=%s\nCapBnd=%s\nCapAmb=%s' \
	0000000000000000 00000000a80425fb 00000000a80425fb 00000000a80425fb 0000000000000000)" \
	"now: Docker's 14 (a80425fb), bounding set too; inheritable and ambient empty"
run "capsh --decode=00000000a80425fb 2>/dev/null || true"

# ---- attack 1: mount ------------------------------------------------------------

say "2. Attack: mount a filesystem (a tmpfs, in the container's own mount namespace)"
attack='sh -c "mount -t tmpfs none /tmp && echo mounted"'
run "\"\$PREV_BARGE\" run --rootfs \"\$ROOTFS\" -- $attack"
expect_eq "$out" "mounted" "before: root mounts whatever it likes"
run "./barge run --rootfs \"\$ROOTFS\" -- $attack"
expect_ne "$rc" 0 "now: refused (no CAP_SYS_ADMIN, and the seccomp filter says EPERM)"
run "./barge run --rootfs \"\$ROOTFS\" -- probe syscall mount"
expect_eq "$out" "EPERM" "mount(2) fails with EPERM"
run "./barge run --rootfs \"\$ROOTFS\" --cap-add SYS_ADMIN -- $attack"
expect_eq "$out" "mounted" "--cap-add SYS_ADMIN gives it back: capability and filter rule both"

# ---- attack 2: /proc/sys --------------------------------------------------------

say "3. Attack: remount /proc read-write, then open a setting of the HOST's kernel for writing"
swappiness=$(cat /proc/sys/vm/swappiness)
printf 'host: vm.swappiness = %s\n' "$swappiness"
printf '(": > FILE" opens FILE for writing and writes nothing: harmless, and enough to show the door is open)\n'
attack='sh -c "mount -o remount,rw /proc && : > /proc/sys/vm/swappiness && echo opened vm.swappiness for writing"'
run "\"\$PREV_BARGE\" run --rootfs \"\$ROOTFS\" -- $attack"
expect_contains "$out" "opened vm.swappiness for writing" \
	"before: chapter 02's read-only /proc was one remount away; a write to kernel.core_pattern would be next"
run "./barge run --rootfs \"\$ROOTFS\" -- $attack"
expect_ne "$rc" 0 "now: the remount is refused"
run "./barge run --rootfs \"\$ROOTFS\" -- sh -c ': > /proc/sys/vm/swappiness'"
expect_contains "$out" "Read-only file system" "and /proc/sys itself is a read-only bind mount (EROFS)"
expect_eq "$(cat /proc/sys/vm/swappiness)" "$swappiness" "the host's setting is unchanged"
run "./barge run --rootfs \"\$ROOTFS\" -- sh -c 'grep -E \" /proc(/sys)? \" /proc/self/mountinfo'"
expect_contains "$out" " /proc rw," "/proc itself is read-write now, as in Docker"

# ---- attack 3: what /proc tells ---------------------------------------------------

say "4. Attack: read what /proc shows of the host (timers of every host process, keys)"
attack='sh -c "head -c 200 /proc/timer_list | wc -c; wc -c < /proc/keys"'
run "\"\$PREV_BARGE\" run --rootfs \"\$ROOTFS\" -- $attack"
expect_ne "$(head -1 <<<"$out")" "0" "before: the host's timer list is readable"
run "./barge run --rootfs \"\$ROOTFS\" -- $attack"
expect_eq "$(tr -d ' ' <<<"$out")" $'0\n0' "now: masked, /dev/null bound over them"
run "./barge run --rootfs \"\$ROOTFS\" -- probe mounts"

# ---- attack 4: keyctl, a call only seccomp stops ------------------------------------

say "5. Attack: keyctl(2), the kernel keyring: no capability needed, not namespaced"
run "\"\$PREV_BARGE\" run --rootfs \"\$ROOTFS\" -- probe syscall keyctl"
expect_eq "$out" "ok" "before: allowed"
run "./barge run --rootfs \"\$ROOTFS\" -- probe syscall keyctl"
expect_eq "$out" "EPERM" "now: the seccomp filter refuses it"
run "./barge run --rootfs \"\$ROOTFS\" -- sh -c 'probe status NoNewPrivs; probe status Seccomp'"
expect_eq "$out" $'1\n2' "no_new_privs is set, a seccomp filter (mode 2) is loaded"
run "./barge run --rootfs \"\$ROOTFS\" --security-opt seccomp=unconfined -- probe syscall keyctl"
expect_eq "$out" "ok" "seccomp=unconfined: no filter, keyctl goes through"

# ---- profiles ------------------------------------------------------------------------

say "6. Docker's JSON profile format: Debian's copy, and a broken one"
if [ -r /usr/share/containers/seccomp.json ]; then
	run "./barge run --rootfs \"\$ROOTFS\" --security-opt seccomp=/usr/share/containers/seccomp.json -- sh -c 'probe status Seccomp; probe syscall mount'"
	expect_eq "$out" $'2\nEPERM' "the profile of podman and Docker loads; mount is refused"
else
	echo "(no /usr/share/containers/seccomp.json: install golang-github-containers-common)"
fi
profile=$(mktemp /tmp/barge-demo-XXXXXX.json)
cat >"$profile" <<'EOF'
{ "defaultAction": "SCMP_ACT_ALLOW",
  "syscalls": [ { "names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13 },
                { "names": ["chroot"], "action": "SCMP_ACT_FOO" } ] }
EOF
run "cat \"\$profile\""
run "./barge run --rootfs \"\$ROOTFS\" --security-opt seccomp=\"\$profile\" -- true"
expect_rc 125 "125: the profile is refused before anything is created"
expect_contains "$out" 'syscalls[1].action: unknown action "SCMP_ACT_FOO"' "the message says where"
sed -i '/SCMP_ACT_FOO/d; s/13 },/13 } ] }/' "$profile"
run "./barge run --rootfs \"\$ROOTFS\" --security-opt seccomp=\"\$profile\" -- mkdir /tmp/demo-dir"
expect_contains "$out" "Permission denied" "fixed: mkdir gets errno 13, EACCES, from the filter"
[ ! -e "$ROOTFS/tmp/demo-dir" ] || fail "mkdir went through"

# ---- --user, --read-only, --ulimit -------------------------------------------------------

say "7. --user: an ordinary user has no capability left"
run "./barge run --rootfs \"\$ROOTFS\" --user 1000:1000 -- sh -c 'id; probe caps'"
expect_contains "$out" "uid=1000" "uid 1000"
expect_contains "$out" "CapEff=0000000000000000" "no effective capability"
expect_contains "$out" "CapBnd=00000000a80425fb" "and a setuid-root program could not get more than Docker's set"

say "8. --read-only: the rootfs is read-only, /dev/shm is not"
run "./barge run --rootfs \"\$ROOTFS\" --read-only -- sh -c 'probe write /etc/demo x; probe write /dev/shm/x x'"
expect_eq "$out" $'EROFS\nok' "/ refuses (EROFS), /dev/shm takes it"
[ ! -e "$ROOTFS/etc/demo" ] || fail "the write reached the rootfs"

say "9. --ulimit: resource limits (setrlimit)"
run "./barge run --rootfs \"\$ROOTFS\" --ulimit nofile=100:200 -- sh -c 'ulimit -n; ulimit -Hn'"
expect_eq "$out" $'100\n200' "soft 100, hard 200"

# ---- user namespaces ------------------------------------------------------------------------

say "10. --userns: root inside, an unused uid outside"
run "./barge run --rootfs \"\$ROOTFS\" --userns -- sh -c 'id; cat /proc/self/uid_map'"
expect_contains "$out" "uid=0(root)" "root inside"
outside=$(awk 'END { print $2 }' <<<"$out")
expect_ne "$outside" "0" "mapped onto host uid $outside"
show "./barge run --rootfs \"\$ROOTFS\" --userns -- sleep 30 &"
./barge run --rootfs "$ROOTFS" --userns -- sleep 30 &
barge_pid=$!
sleep_pid=
for _ in $(seq 50); do
	sleep_pid=$(find_descendant "$barge_pid" sleep)
	[ -n "$sleep_pid" ] && break
	sleep 0.1
done
[ -n "$sleep_pid" ] || fail "sleep did not start"
run "ps -o uid,pid,cmd -p $sleep_pid"
expect_eq "$(ps -o uid= -p "$sleep_pid" | tr -d ' ')" "$outside" \
	"on the host, the container's root is uid $outside: nobody's uid"
stop_barge

say "11. Rootless: an ordinary user (uid $ROOTLESS_UID, via setpriv) runs a container"
# The user must reach barge and the rootfs: root's clone may be under
# /root (mode 0700), so they are copied to a directory of mode 0755.
mine=$(mktemp -d /tmp/demo04-rootless.XXXXXX)
chmod 0755 "$mine" && cp -a ./barge "$ROOTFS" "$mine/" || fail "copy to $mine"
run "setpriv --reuid=$ROOTLESS_UID --regid=$ROOTLESS_UID --clear-groups $mine/barge run --rootfs $mine/$(basename "$ROOTFS") -- sh -c 'id; cat /proc/self/uid_map; ls -l /dev/null'"
rm -rf "$mine"
if [ "$rc" = 0 ]; then
	expect_contains "$out" "uid=0(root)" "root inside"
	expect_contains "$out" "$ROOTLESS_UID" "its own uid outside, the only one mapped"
	expect_contains "$out" "nobody" "/dev/null is the host's, bind-mounted: no mknod in a user namespace"
else
	fail "rootless run failed: does the kernel allow unprivileged user namespaces?"
fi

# ---- the host ----------------------------------------------------------------------

say "12. The host: mount table as before"
diff <(printf '%s\n' "$host_mounts_before") /proc/self/mountinfo ||
	fail "the host's mount table changed"
ok "no difference"

say "demo 04 passed: every attack that worked before fails now"
