#!/usr/bin/env bash
# demo.sh - the lecture demo of chapter 00: a container is a process.
#
#   make -C chapters/00-process demo      (or: ROOTFS=DIR ./demo.sh, as root)
#
# Shows, and checks, that barge run passes the command's exit status
# through (128+N for a death by signal N; 125/126/127 for barge's own
# failures, as docker run does), that the "container" is an ordinary
# process of the host, on the host's kernel, and that signals sent to
# barge reach the command. Each step prints the command, then its output;
# the demo stops with a non-zero status at the first step that does not
# show what it should. It leaves no process or file behind.
#
# ROOTFS (default: build/rootfs) only provides bin/probe, a static helper
# that reports which signal it received; this chapter has no --rootfs yet,
# so the demo puts probe on the PATH of the host.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOTFS=${ROOTFS:-$here/../../build/rootfs}
PROBE=$ROOTFS/bin/probe

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

# wait_until CMD...: retry CMD every 0.1 s for at most 5 s.
wait_until() {
	local _
	for _ in $(seq 50); do
		if "$@"; then return 0; fi
		sleep 0.1
	done
	return 1
}

# ---- cleanup: nothing the demo starts may outlive it ------------------------

tmp=$(mktemp -d /tmp/barge-demo-00.XXXXXX)
barge_pid=

# Stop a barge started in the background: its child first (barge forwards
# nothing once it is killed), then barge itself.
stop_barge() {
	[ -n "$barge_pid" ] || return 0
	pkill -KILL -P "$barge_pid" 2>/dev/null || true
	kill -KILL "$barge_pid" 2>/dev/null || true
	wait "$barge_pid" 2>/dev/null || true
	barge_pid=
}

cleanup() {
	stop_barge
	rm -rf "$tmp"
}
trap cleanup EXIT
trap "exit 130" INT
trap "exit 143" TERM

[ -x "$here/barge" ] || fail "build barge first: make -C $here"
[ -x "$PROBE" ] || fail "no $PROBE: run 'make rootfs' at the top first"
# Put probe, and only probe, on the PATH that barge's execvp searches.
mkdir "$tmp/bin"
ln -s "$(realpath "$PROBE")" "$tmp/bin/probe"
export PATH="$tmp/bin:$PATH"
cd "$here"

# ---- 1. exit status ----------------------------------------------------------

say "1. barge exits with the command's exit status (wait(2): WEXITSTATUS)"
run "./barge run true"
expect_rc 0
run "./barge run false"
expect_rc 1
run "./barge run -- sh -c 'exit 42'"
expect_rc 42

say "A command killed by signal N: barge exits 128+N, as a shell does"
run "./barge run -- sh -c 'kill -KILL \$\$'"
expect_rc 137 "exit status 137 = 128 + 9 (SIGKILL)"
run "./barge run -- sh -c 'kill -SEGV \$\$'"
expect_rc 139 "exit status 139 = 128 + 11 (SIGSEGV)"

# ---- 2. barge's own failures ---------------------------------------------------

say "2. When barge cannot run the command: docker run's 127, 126 and 125"
say "The child's failed exec comes back through the close-on-exec pipe"
run "./barge run no-such-command"
expect_rc 127 "exit status 127: command not found"
expect_contains "$out" "exec no-such-command: No such file or directory" \
	"the child's errno reached the parent"
run "./barge run /etc/passwd"
expect_rc 126 "exit status 126: found, but cannot be executed (EACCES)"
expect_contains "$out" "Permission denied" "the reason is printed once"
run "./barge run --no-such-flag true"
expect_rc 125 "exit status 125: barge itself failed (bad usage)"

# ---- 3. a container is a process ------------------------------------------------

say "3. A container is just a process: same kernel inside and out"
run "uname -r"
host_kernel=$out
run "./barge run uname -r"
expect_eq "$out" "$host_kernel" "the same kernel release inside and out"

say "Start a long-running container in the background..."
show "./barge run sleep 30 &"
./barge run sleep 30 &
barge_pid=$!
wait_until pgrep -P "$barge_pid" -x sleep >/dev/null ||
	fail "sleep did not start under barge (pid $barge_pid)"
sleep_pid=$(pgrep -P "$barge_pid" -x sleep)

say "...and find it in the host's process list: its parent is barge"
run "ps -ef | grep '[s]leep 30'"
run "ps -o pid,ppid,comm -p $barge_pid,$sleep_pid"
expect_eq "$(ps -o ppid= -p "$sleep_pid" | tr -d ' ')" "$barge_pid" \
	"sleep (pid $sleep_pid) is a child of barge (pid $barge_pid)"

say "kill -TERM barge: barge forwards SIGTERM, sleep dies of it"
run "kill -TERM $barge_pid"
rc=0
wait "$barge_pid" || rc=$?
barge_pid=
show "wait  # for barge"
printf '[exit status %d]\n' "$rc"
expect_rc 143 "barge exited 143 = 128 + 15: sleep died of the forwarded SIGTERM"
if kill -0 "$sleep_pid" 2>/dev/null; then
	fail "sleep (pid $sleep_pid) is still running"
fi
ok "sleep (pid $sleep_pid) is gone"

# ---- 4. signal forwarding --------------------------------------------------------

# Start CMD... under barge in the background, its output in $tmp/out, and
# wait until it prints "ready".
start_ready() {
	: >"$tmp/out"
	./barge run "$@" >"$tmp/out" 2>&1 &
	barge_pid=$!
	wait_until grep -q ready "$tmp/out" ||
		fail "the command never said ready: $(cat "$tmp/out")"
}

say "4. Signals sent to barge reach the command (sigwaitinfo(2), then kill(2))"
say "The command handles SIGTERM itself and chooses its exit status"
show "./barge run -- sh -c 'trap \"echo child: got SIGTERM; exit 7\" TERM; echo ready; while :; do sleep 0.1; done' &"
start_ready sh -c 'trap "echo child: got SIGTERM; exit 7" TERM; echo ready; while :; do sleep 0.1; done'
run "kill -TERM $barge_pid"
rc=0
wait "$barge_pid" || rc=$?
barge_pid=
show "wait; cat out  # barge's exit status, the command's output"
cat "$tmp/out"
printf '[exit status %d]\n' "$rc"
expect_contains "$(cat "$tmp/out")" "child: got SIGTERM" "the child's trap ran"
expect_rc 7 "barge exited with the status the child chose (7)"

say "Every forwarded signal arrives: probe wait-signal prints what it got"
for sig in HUP INT QUIT TERM USR1 USR2; do
	show "./barge run -- probe wait-signal &   # then: kill -$sig \$barge_pid"
	start_ready probe wait-signal
	kill -"$sig" "$barge_pid"
	rc=0
	wait "$barge_pid" || rc=$?
	barge_pid=
	cat "$tmp/out"
	expect_contains "$(cat "$tmp/out")" "got SIG$sig" "SIG$sig reached the command"
	expect_rc 0
done

say "demo 00 passed: exit codes, a host process, signals forwarded"
