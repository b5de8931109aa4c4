#!/usr/bin/env bash
# demo.sh - the lecture demo of chapter 05: barge-runtime, an OCI runtime.
#
#   make -C chapters/05-oci-runtime demo   (or: ROOTFS=DIR ./demo.sh, as root)
#
# A bundle is a directory with a rootfs and a config.json. The demo writes
# one with "barge-runtime spec", then walks a container through the
# spec's life: create (its process waits), state, start, kill, delete, and
# the errors the state machine demands. Then barge run, which now writes a
# bundle and hands it to barge-runtime.
#
# Each step prints the command, then its output; the demo stops with a
# non-zero status at the first step that does not show what it should. It
# leaves no process, mount or file behind.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOTFS=${ROOTFS:-$here/../../build/rootfs}
ROOTFS=$(cd "$ROOTFS" && pwd)

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


expect_has() { # TEXT NEEDLE WHAT
	case "$1" in *"$2"*) ok "$3" ;; *) fail "$3: no '$2' in: $1" ;; esac
}

# ---- the demo ------------------------------------------------------------------

[ "$(id -u)" = 0 ] || fail "run the demo as root: containers need it"
cd "$here"
bundle=$(mktemp -d /tmp/barge-demo-XXXXXX)
root=$bundle.state
cleanup() {
	./barge-runtime --root "$root" delete --force demo >/dev/null 2>&1 || true
	rm -rf "$bundle" "$root"
}
trap cleanup EXIT
rt() { ./barge-runtime --root "$root" "$@"; }

say "A bundle: a root filesystem and a config.json"
run "./barge-runtime spec --bundle $bundle"
expect_eq "$rc" 0 "spec wrote a config.json"
run "grep -c CAP_ $bundle/config.json"
# spec's rootfs is "rootfs" in the bundle, its process an interactive sh:
# point it at ours, and run sleep without a terminal
sed -i -e "s|\"path\": \"rootfs\"|\"path\": \"$ROOTFS\"|" \
	-e 's|"terminal": true|"terminal": false|' \
	-e 's|"sh"|"sleep", "30"|' "$bundle/config.json"

say "create: set up completely; the process waits for start"
# The container keeps create's stdout and stderr: give it a file, not
# the pipe of $(...), which would wait for the container to end.
run "rt create --bundle $bundle --pid-file $bundle/pid demo >$bundle/out 2>&1"
expect_eq "$rc" 0 "create succeeded"
run "rt state demo"
expect_has "$out" '"status": "created"' "state says created"
pid=$(cat "$bundle/pid")
run "cat /proc/$pid/cmdline | tr '\\0' ' '"
expect_has "$out" "barge-runtime" "the init is still barge-runtime: not exec'd yet"

say "The state machine: delete needs a stopped container"
run "rt delete demo"
expect_ne "$rc" 0 "delete of a created container is refused"

say "start: the process runs"
run "rt start demo"
expect_eq "$rc" 0 "start succeeded"
run "rt state demo"
expect_has "$out" '"status": "running"' "state says running"
run "rt start demo"
expect_has "$out" "only a created container can be started" "a second start is refused"

say "kill, then delete"
run "rt kill demo KILL"
expect_eq "$rc" 0 "kill succeeded"
for _ in $(seq 100); do
	rt state demo 2>/dev/null | grep -q stopped && break
	sleep 0.05
done
run "rt state demo"
expect_has "$out" '"status": "stopped"' "state says stopped"
run "rt kill demo"
expect_has "$out" "only a created or running container" "kill of a stopped container is refused"
run "rt delete demo"
expect_eq "$rc" 0 "delete succeeded"
run "rt state demo"
expect_has "$out" "does not exist" "the container is gone"

say "A bad config.json is refused, naming the JSON path; nothing is made"
sed -i 's|"cwd": "/"|"cwd": "relative"|' "$bundle/config.json"
run "rt create --bundle $bundle demo </dev/null"
expect_has "$out" "process.cwd" "the error names process.cwd"
run "ls $root"
expect_eq "$out" "" "no state directory"

say "barge run: its flags become a bundle that barge-runtime runs"
run "./barge run --rootfs $ROOTFS --pids-limit 10 --user 1000 -- probe ids"
expect_eq "$out" "uid=1000 gid=0 euid=1000 egid=0 groups=" "--user, through config.json"

printf '\n%sdemo passed%s\n' "$green" "$plain"
