#!/usr/bin/env bash
# demo.sh - the lecture demo of chapter 06: the OCI lifecycle.
#
#   make -C chapters/06-oci-lifecycle demo   (or: ROOTFS=DIR ./demo.sh, as root)
#
# The demo writes a bundle by hand (a config.json whose root is ROOTFS,
# with a hook of each kind), then walks one container through the
# runtime spec's life, one barge-runtime process per step, as an engine
# does: create (its process waits on exec.fifo), state, start, state,
# kill, delete, and the errors the state machine demands. Then a hook
# that fails, a config.json that is wrong, barge run (create, start,
# wait and delete in one process), and, if podman is installed, podman
# running a container with barge-runtime through conmon.
#
# Each step prints the command, then its output; the demo stops with a
# non-zero status at the first step that does not show what it should. It
# leaves no process, mount, cgroup or file behind.
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

# The status field of "barge-runtime state ID", or nothing.
status_of() {
	rt state "$1" 2>/dev/null | sed -n 's/.*"status": "\([a-z]*\)".*/\1/p'
}

# Wait (at most 5 s) until container ID's status is STATUS.
wait_status() { # ID STATUS
	local _
	for _ in $(seq 100); do
		[ "$(status_of "$1")" = "$2" ] && return 0
		sleep 0.05
	done
	return 1
}

# The cgroup directories named PATH in any hierarchy (v1 has one per
# controller, v2 one in all).
cgroup_dirs() { # PATH
	find /sys/fs/cgroup -maxdepth 3 -type d -path "*/$1" 2>/dev/null || true
}

# ---- cleanup: nothing the demo starts may outlive it ------------------------

[ "$(id -u)" = 0 ] || fail "run me as root: containers need it"
[ -x "$here/barge-runtime" ] || fail "build barge-runtime first: make -C $here"
[ -x "$ROOTFS/bin/probe" ] || fail "no $ROOTFS/bin/probe: run 'make rootfs' at the top first"
ROOTFS=$(realpath "$ROOTFS")
export LC_ALL=C

work=$(mktemp -d /tmp/barge-demo06-XXXXXX)
bundle=$work/bundle   # the bundle: config.json, and the hooks' output
root=$work/state      # barge-runtime --root: the state directory
pmdir=$work/podman    # podman's storage, if podman is used
cg=barge-demo06/$$    # the demo container's cgroup
mkdir -p "$bundle"

rt() { "$here/barge-runtime" --root "$root" "$@"; }

cleanup() {
	local id
	for id in demo failing bad; do
		rt delete --force "$id" >/dev/null 2>&1 || true
	done
	if [ -d "$pmdir" ]; then
		# podman's helpers (conmon, "podman container cleanup") name
		# our directory on their command line
		pkill -KILL -f "$pmdir" 2>/dev/null || true
	fi
	for d in $(cgroup_dirs "$cg") $(cgroup_dirs barge-demo06); do
		rmdir "$d" 2>/dev/null || true
	done
	rm -rf --one-file-system "$work"
}
trap cleanup EXIT
trap "exit 130" INT
trap "exit 143" TERM
cd "$here"
printf 'ROOTFS=%s\nbundle=%s\nstate root=%s\n' "$ROOTFS" "$bundle" "$root"
host_mounts_before=$(cat /proc/self/mountinfo)

# A config.json of our own: the process, the root, the mounts, the
# namespaces, a cgroup with a limit, and one hook of each kind. The
# hooks that run in the runtime's namespaces save the state they get on
# stdin in the bundle; startContainer runs inside the container, after
# pivot_root, so its /bin/sh is the rootfs's and its stderr the
# container's.
write_config() { # HOOKS
	cat >"$bundle/config.json" <<EOF
{
  "ociVersion": "1.0.2",
  "process": {
    "terminal": false,
    "user": { "uid": 0, "gid": 0 },
    "args": [ "sleep", "30" ],
    "env": [ "PATH=/usr/bin:/bin" ],
    "cwd": "/"
  },
  "root": { "path": "$ROOTFS", "readonly": true },
  "hostname": "demo",
  "mounts": [
    { "destination": "/proc", "type": "proc", "source": "proc" },
    { "destination": "/dev", "type": "tmpfs", "source": "tmpfs",
      "options": [ "nosuid", "mode=755", "size=65536k" ] }
  ],
  "hooks": { $1 },
  "linux": {
    "namespaces": [ { "type": "pid" }, { "type": "mount" }, { "type": "uts" },
                    { "type": "ipc" }, { "type": "network" } ],
    "cgroupsPath": "$cg",
    "resources": { "pids": { "limit": 20 } }
  }
}
EOF
}
save_stdin() { # KIND: a hook that saves its stdin as $bundle/KIND.json
	printf '"%s": [ { "path": "/bin/sh", "args": [ "sh", "-c", "cat > %s/%s.json" ] } ]' \
		"$1" "$bundle" "$1"
}
write_config "$(save_stdin createRuntime),
    $(save_stdin poststart),
    $(save_stdin poststop),
    \"startContainer\": [ { \"path\": \"/bin/sh\",
        \"args\": [ \"sh\", \"-c\", \"echo startContainer runs in \$(hostname) >&2\" ] } ]"

# ---- the lifecycle ------------------------------------------------------------

say "1. The bundle: a config.json (root.path is ROOTFS) with hooks"
run "grep -E '\"(args|path|cgroupsPath)\"' $bundle/config.json"

say "2. create: everything is set up, and the process waits"
# The container keeps create's stdout and stderr: give it a file, not
# the pipe of \$(...), which would wait for the container to end.
run "rt create --bundle $bundle --pid-file $bundle/pid demo >$bundle/out 2>&1 </dev/null"
expect_rc 0 "create succeeded, and exited"
run "rt state demo"
expect_contains "$out" '"status": "created"' "state says created"
pid=$(cat "$bundle/pid")
expect_contains "$out" "\"pid\": $pid" "the pid in the state is the pid file's"
run "tr '\\0' ' ' </proc/$pid/cmdline"
expect_contains "$out" "barge-runtime" "the process is still barge-runtime: it has not exec'd sleep"
run "ls $root/demo"
expect_eq "$(echo $out)" "config.json exec.fifo state.json" "the state directory: state.json, the config.json create checked, and the fifo it waits on"
run "grep -h -m1 $cg /proc/$pid/cgroup"
expect_contains "$out" "$cg" "it is in its cgroup already"
run "cat $bundle/createRuntime.json"
expect_contains "$out" "\"pid\":$pid" "createRuntime got the state on stdin, with the pid"
expect_contains "$out" '"status":"creating"' "... during create"

say "3. The state machine: only a stopped container may be deleted"
run "rt delete demo"
expect_rc 1 "delete refused"
expect_contains "$out" 'is created: stop it first' "and says why"

say "4. start: open the fifo's other end; the process runs"
run "rt start demo"
expect_rc 0 "start succeeded"
run "rt state demo"
expect_contains "$out" '"status": "running"' "state says running"
run "tr '\\0' ' ' </proc/$pid/cmdline"
expect_eq "$out" "sleep 30 " "the same pid is sleep now: the init exec'd"
run "ls $root/demo"
expect_eq "$(echo $out)" "config.json state.json" "exec.fifo is gone: start removed it"
run "cat $bundle/out"
expect_contains "$out" "startContainer runs in demo" "startContainer ran in the container (its hostname)"
run "cat $bundle/poststart.json"
expect_contains "$out" '"status":"running"' "poststart ran after it, on the host"
run "rt start demo"
expect_contains "$out" "only a created container can be started" "a second start is refused"

say "5. kill: a signal, through a pidfd"
run "rt kill demo TERM; sleep 0.2; rt state demo | grep status"
expect_contains "$out" '"running"' "SIGTERM did nothing: sleep is PID 1 with no handler (chapter 02)"
run "rt kill demo KILL"
expect_rc 0 "kill KILL succeeded"
wait_status demo stopped || fail "the container did not stop"
run "rt state demo"
expect_contains "$out" '"status": "stopped"' "state says stopped: worked out from /proc, nobody told the runtime"
run "rt kill demo"
expect_contains "$out" "container not running" "kill of a stopped container is refused, in runc's words"
run "rt kill --all demo KILL"
expect_rc 0 "kill --all of a stopped container succeeds: containerd's shim ends with it"

say "6. delete: the cgroup and the state go; then the poststop hooks"
expect_ne "$(cgroup_dirs "$cg")" "" "before delete, the cgroup is there"
run "rt delete demo"
expect_rc 0 "delete succeeded"
run "rt state demo"
expect_contains "$out" 'does not exist' "the container is gone"
expect_eq "$(cgroup_dirs "$cg")" "" "its cgroup is gone"
expect_eq "$(ls -A "$root")" "" "the state root is empty"
run "cat $bundle/poststop.json"
expect_contains "$out" '"status":"stopped"' "poststop got the last state"
rm -f "$bundle/createRuntime.json" "$bundle/poststart.json" "$bundle/poststop.json"

# ---- errors -------------------------------------------------------------------

say "7. A createRuntime hook fails: create fails, and nothing is left"
write_config "\"createRuntime\": [ { \"path\": \"/bin/sh\", \"args\": [ \"sh\", \"-c\", \"exit 3\" ] } ],
    $(save_stdin poststop)"
run "rt create --bundle $bundle failing </dev/null"
expect_rc 1 "create failed"
expect_contains "$out" "hook createRuntime[0] /bin/sh: exited with status 3" "the message names the hook"
expect_eq "$(ls -A "$root")" "" "no state directory"
expect_eq "$(cgroup_dirs "$cg")" "" "no cgroup"
[ -s "$bundle/poststop.json" ] || fail "the poststop hook did not run"
ok "the poststop hooks ran, as after a delete"

say "8. A config.json with a mistake: refused with its JSON path; nothing made"
write_config ""
sed -i 's|"cwd": "/"|"cwd": "relative"|' "$bundle/config.json"
run "rt create --bundle $bundle bad </dev/null"
expect_rc 1 "create failed"
expect_contains "$out" "process.cwd" "the message names process.cwd"
expect_eq "$(ls -A "$root")" "" "no state directory"

# ---- barge run ------------------------------------------------------------------

say "9. barge run: a bundle, then barge-runtime run = create, start, wait, delete"
run "./barge run --rootfs $ROOTFS --hostname box -- sh -c 'hostname; exit 7'"
expect_eq "$out" "box" "the container ran"
expect_rc 7 "and its exit status came back through run"

# ---- podman -----------------------------------------------------------------------

say "10. podman runs a container with barge-runtime, through conmon"
if ! command -v podman >/dev/null ||
	! { command -v conmon >/dev/null || [ -x /usr/libexec/podman/conmon ]; }; then
	echo "podman or conmon is not installed: skipping this step"
	echo "(tools/deps installs them; tests/06-oci-lifecycle/test_podman.c needs them)"
else
	mkdir -p "$pmdir/tmp"
	# A wrapper runtime that logs how podman and conmon call it.
	cat >"$pmdir/runtime" <<EOF
#!/bin/sh
echo "\$*" | sed 's/[0-9a-f]\{64\}/ID/g; s|$pmdir|PODMAN|g' >>"$pmdir/calls"
exec "$here/barge-runtime" "\$@"
EOF
	chmod +x "$pmdir/runtime"
	# podman's own storage in $pmdir, in a mount namespace of its own:
	# the host's podman and mount table are never touched.
	pm="TMPDIR=$pmdir/tmp podman --root $pmdir/root --runroot $pmdir/runroot"
	pm+=" --tmpdir $pmdir/tmp --storage-driver vfs --cgroup-manager cgroupfs"
	pm+=" --runtime $pmdir/runtime"
	opts="--rm --pull=never --network=none --ulimit nofile=1024:1024 --ulimit nproc=1024:1024"
	cat >"$pmdir/script" <<EOF
set -e
tar -C "$ROOTFS" -cf "$pmdir/rootfs.tar" .
$pm import -q "$pmdir/rootfs.tar" localhost/barge-rootfs >/dev/null
$pm run $opts localhost/barge-rootfs probe pid
rc=0; $pm run $opts localhost/barge-rootfs sh -c 'exit 3' || rc=\$?
echo "exit status \$rc"
$pm rm -af >/dev/null
EOF
	run "unshare -m --propagation slave sh $pmdir/script"
	expect_rc 0 "podman ran"
	expect_contains "$out" "1
exit status 3" "probe is PID 1 of its namespace; sh's exit status 3 came back through conmon"
	run "cat $pmdir/calls"
	expect_contains "$out" "create --bundle" "conmon ran create with the bundle podman wrote"
	expect_contains "$out" "start ID" "podman ran start"
	expect_contains "$out" "delete --force ID" "and delete --force"
	for _ in $(seq 100); do
		pgrep -f "$pmdir" >/dev/null || break
		sleep 0.05
	done
fi

say "11. The host: mount table as before"
diff <(printf '%s\n' "$host_mounts_before") /proc/self/mountinfo ||
	fail "the host's mount table changed"
ok "no difference"

say "demo 06 passed: create, start, state, kill, delete, hooks; nothing left"
