#!/usr/bin/env bash
# demo.sh - the lecture demo of chapter 05: an OCI bundle, and
# barge-runtime run.
#
#   make -C chapters/05-oci-bundle demo   (or: ROOTFS=DIR ./demo.sh, as root)
#
# barge no longer makes containers: it writes its flags as a bundle (a
# directory with a config.json) and runs "barge-runtime run --bundle DIR
# ID", as dockerd has runc do it. The demo shows the two programs at work,
# the config.json barge writes (kept by a --runtime script that copies the
# bundle, then runs barge-runtime), barge-runtime on a config.json written
# by hand (it does what the file says, and nothing else), its errors
# (each names a JSON path, and nothing is created), and the same bundle
# under runc and crun, when they are installed.
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

# run_quiet CMD: the same, for a command whose output goes to a file.
run_quiet() {
	show "$1"
	rc=0
	out=$(eval "$1" 2>&1) || rc=$?
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

# The first child of PID whose command name is NAME, waiting up to 5 s.
child_named() { # PID NAME
	local pid _
	for _ in $(seq 50); do
		pid=$(pgrep -P "$1" -x "$2" | head -1 || true)
		[ -n "$pid" ] && { echo "$pid"; return; }
		sleep 0.1
	done
}

# The cgroups of the controllers the host has (v1), or the one (v2).
cgroup_dirs() { # PATH BELOW THE ROOT
	local d
	for d in /sys/fs/cgroup /sys/fs/cgroup/*; do
		[ -d "$d/$1" ] && echo "$d/$1"
	done
	return 0
}

# ---- cleanup: nothing the demo starts may outlive it ------------------------

barge_pid='' tmp=''

stop_barge() {
	[ -n "$barge_pid" ] || return 0
	kill -KILL "$barge_pid" 2>/dev/null || true
	wait "$barge_pid" 2>/dev/null || true
	barge_pid=
}
cleanup() {
	stop_barge
	[ -z "$tmp" ] || rm -rf "$tmp"
}
trap cleanup EXIT
trap "exit 130" INT
trap "exit 143" TERM

[ "$(id -u)" = 0 ] || fail "run me as root: containers need it"
for prog in barge barge-runtime barge-init; do
	[ -x "$here/$prog" ] || fail "build barge, barge-runtime and barge-init first: make -C $here"
done
[ -x "$ROOTFS/bin/probe" ] || fail "no $ROOTFS/bin/probe: run 'make rootfs' at the top first"
command -v jq >/dev/null || fail "no jq: run 'make deps' at the top (it installs jq)"
ROOTFS=$(realpath "$ROOTFS")
tmp=$(mktemp -d /tmp/barge-demo-05-XXXXXX)
export ROOTFS LC_ALL=C
cd "$here"
printf 'ROOTFS=%s\n' "$ROOTFS"
host_mounts_before=$(cat /proc/self/mountinfo)
touch "$tmp/start"
# The bundles made since a mark: none may be left when barge has returned.
new_bundles() { # MARK
	find /run/barge-bundles -mindepth 1 -maxdepth 1 -newer "$1" 2>/dev/null || true
}

# ---- 1. the same barge run, two programs --------------------------------------

say "1. barge run works as in chapter 04; but who is PID 1?"
run "./barge run --rootfs \"\$ROOTFS\" --hostname web -- sh -c 'hostname; id; cat /proc/1/cmdline | tr \"\\0\" \" \"'"
expect_rc 0
expect_contains "$out" "web" "the hostname, as before"
expect_contains "$out" "uid=0(root)" "root, as before"
expect_contains "$out" "/dev/init -- sh -c" \
	"PID 1 is barge-init, bind-mounted at /dev/init: config.json's process.args names it first"

say "2. barge -> barge-runtime -> barge-init -> the command; the bundle exists while it runs"
show "./barge run --rootfs \"\$ROOTFS\" -- sleep 30 &"
./barge run --rootfs "$ROOTFS" -- sleep 30 &
barge_pid=$!
rt_pid=$(child_named "$barge_pid" barge-runtime)
[ -n "$rt_pid" ] || fail "barge started no barge-runtime"
init_pid=$(child_named "$rt_pid" init)
[ -n "$init_pid" ] || fail "barge-runtime started no init"
sleep_pid=$(child_named "$init_pid" sleep)
[ -n "$sleep_pid" ] || fail "the init started no sleep"
run "ps -o pid,ppid,args -p $barge_pid,$rt_pid,$init_pid,$sleep_pid"
id=$(ps -o args= -p "$rt_pid" | awk '{ print $NF }')
expect_contains "$out" "barge-runtime run --bundle /run/barge-bundles/$id $id" \
	"barge's child is 'barge-runtime run --bundle /run/barge-bundles/ID ID'"
run "ls -l /run/barge-bundles/$id"
expect_contains "$out" "config.json" "the bundle: config.json"
expect_contains "$out" "hostname" "and the file bind-mounted over /etc/hostname"
show "kill -TERM $barge_pid    # barge passes it to barge-runtime, which passes it to the init, to sleep"
kill -TERM "$barge_pid"
rc=0
wait "$barge_pid" || rc=$?
barge_pid=
printf '[exit status %d]\n' "$rc"
expect_rc 143 "143 = 128 + SIGTERM: the signal went down three processes, the status came back up"
[ ! -e "/run/barge-bundles/$id" ] || fail "the bundle /run/barge-bundles/$id is still there"
ok "the bundle is gone: barge removes it when the runtime returns"

# ---- 3. the config.json barge writes --------------------------------------------

say "3. The config.json barge writes: a --runtime that keeps a copy, then runs barge-runtime"
keep=$tmp/keep-bundle
cat >"$keep" <<EOF
#!/bin/sh
# A --runtime for the demo: copy the bundle to $tmp/bundle, then run
# barge-runtime with the same arguments.
for a; do [ "\$prev" = --bundle ] && cp -r "\$a" "$tmp/bundle"; prev=\$a; done
exec "$here/barge-runtime" "\$@"
EOF
chmod +x "$keep"
run "cat \"\$tmp/keep-bundle\""
flags="--hostname web --memory 64m --pids-limit 20 --cap-drop ALL --cap-add NET_BIND_SERVICE --read-only --ulimit nofile=100:200"
run "./barge run --runtime \"\$tmp/keep-bundle\" --rootfs \"\$ROOTFS\" $flags -- probe caps"
expect_rc 0
expect_contains "$out" "CapEff=0000000000000400" "the container ran, with CAP_NET_BIND_SERVICE (bit 10) only"
config=$tmp/bundle/config.json
[ -r "$config" ] || fail "the runtime script kept no config.json"
run "jq -c 'keys_unsorted' \"\$config\""
expect_eq "$out" '["ociVersion","process","root","hostname","mounts","linux"]' \
	"the spec's top-level objects, and nothing of barge's own"
run "jq -c '.process | {args, user, cwd, env, noNewPrivileges}' \"\$config\""
expect_contains "$out" '"args":["/dev/init","--","probe","caps"]' "process.args: barge's init, then the command"
expect_contains "$out" '"HOSTNAME=web"' "process.env: chapter 01's clean environment, written out"
run "jq -c '.process.capabilities, .process.rlimits' \"\$config\""
expect_contains "$out" '"bounding":["CAP_NET_BIND_SERVICE"]' "--cap-drop ALL --cap-add NET_BIND_SERVICE: the five sets"
expect_contains "$out" '{"type":"RLIMIT_NOFILE","soft":100,"hard":200}' "--ulimit nofile=100:200: process.rlimits"
run "jq -c '.root, .hostname' \"\$config\""
expect_contains "$out" "{\"path\":\"$ROOTFS\",\"readonly\":true}" "--rootfs, --read-only: root"
run "jq -r '.mounts[] | \"\\(.destination)  \\(.type)  \\(.source)  \\(.options | join(\",\"))\"' \"\$config\""
expect_eq "$(jq -r '[.mounts[].destination] | join(" ")' "$config")" \
	"/proc /dev /dev/pts /dev/shm /sys /etc/hostname /dev/init" \
	"the mounts chapter 02 hard-coded, now data, in the order they are made"
run "jq -c '.linux | {namespaces: [.namespaces[].type], cgroupsPath, resources}' \"\$config\""
expect_contains "$out" '"namespaces":["pid","network","ipc","uts","mount","cgroup"]' "chapter 02's namespaces"
expect_contains "$out" "\"cgroupsPath\":\"/barge/" "chapter 03's cgroup, barge/ID"
expect_contains "$out" '"limit":67108864' "--memory 64m, in bytes"
expect_contains "$out" '"pids":{"limit":20}' "--pids-limit 20"
run "jq -c '.linux | {maskedPaths, readonlyPaths}' \"\$config\""
expect_contains "$out" '"/proc/kcore"' "chapter 04's masked paths"
run "jq -c '.linux.seccomp | {defaultAction, architectures, rules: (.syscalls | length), first: .syscalls[0]}' \"\$config\""
expect_contains "$out" '"first":{"names":["mount"],"errnoRet":1,"action":"SCMP_ACT_ERRNO"}' \
	"chapter 04's filter, in the runtime spec's format: the runtime compiles it"

# ---- 4. barge-runtime on a config.json of our own ----------------------------------

say "4. barge-runtime alone: the smallest config.json, then the one barge-runtime spec writes; it does what the file says, and nothing else"
mkdir "$tmp/mini"
cat >"$tmp/mini/config.json" <<EOF
{
  "ociVersion": "1.0.2",
  "root": { "path": "$ROOTFS" },
  "process": {
    "args": [ "sh", "-c", "echo pid \$\$; ls /proc | wc -l; hostname" ],
    "env": [ "PATH=/bin:/sbin:/usr/bin:/usr/sbin" ],
    "cwd": "/"
  },
  "linux": { "namespaces": [ { "type": "mount" }, { "type": "pid" } ] }
}
EOF
run "cat \"\$tmp/mini/config.json\""
run "./barge-runtime run --bundle \"\$tmp/mini\" demo-mini"
expect_rc 0
expect_eq "$out" "pid 1
0
$(hostname)" "PID 1 of its own pid namespace; no \"mounts\": an empty /proc; no \"uts\": the host's hostname"
jq '.mounts = [ { "destination": "/proc", "type": "proc", "source": "proc" } ]
	| .process.args = [ "sh", "-c", "probe caps | grep Eff; probe status Seccomp; probe status NoNewPrivs" ]' \
	"$tmp/mini/config.json" >"$tmp/mini/c" && mv "$tmp/mini/c" "$tmp/mini/config.json"
run "jq -c '.mounts, .process.args' \"\$tmp/mini/config.json\""
run "./barge-runtime run --bundle \"\$tmp/mini\" demo-mini"
expect_eq "$out" $'CapEff=0000000000000000\n0\n0' \
	"with /proc: no capabilities listed is none at all; no linux.seccomp, no filter; no noNewPrivileges, not set"
run "cgroup_dirs demo-mini; cgroup_dirs barge/demo-mini"
expect_eq "$out" "" "neither cgroupsPath nor resources: no cgroup was made"
mkdir "$tmp/spec"
run "./barge-runtime spec --bundle \"\$tmp/spec\" && jq -c '{args: .process.args, caps: .process.capabilities.bounding, mounts: [.mounts[].destination], namespaces: [.linux.namespaces[].type]}' \"\$tmp/spec/config.json\""
expect_rc 0
jq --arg root "$ROOTFS" '.root.path = $root | .process.args = [ "sh", "-c", "probe caps | grep Eff; hostname" ]' \
	"$tmp/spec/config.json" >"$tmp/spec/c" && mv "$tmp/spec/c" "$tmp/spec/config.json"
run "./barge-runtime run --bundle \"\$tmp/spec\" demo-spec"
expect_eq "$out" $'CapEff=0000000020000420\nbarge' \
	"barge-runtime spec: runc's example, a starting point to edit: three capabilities, hostname barge"
run "./barge-runtime spec --bundle \"\$tmp/spec\""
expect_rc 125
expect_contains "$out" "exists: remove it first" "spec never overwrites a config.json"

# ---- 5. errors ------------------------------------------------------------------

say "5. Bad input gets a clear error, exit 125, and changes nothing"
mkdir "$tmp/bad"
jq '.process.cwd = "tmp" | .linux.cgroupsPath = "/barge-demo/bad"' \
	"$tmp/mini/config.json" >"$tmp/bad/config.json"
run "./barge-runtime run --bundle \"\$tmp/bad\" demo-bad"
expect_rc 125
expect_eq "$out" 'barge-runtime: run: config.json: process.cwd: "tmp" is not an absolute path' \
	"the parser names the JSON path"
jq '.process.cwd = "/" | .linux.namespaces += [ { "type": "net" } ]' \
	"$tmp/mini/config.json" >"$tmp/bad/config.json"
run "./barge-runtime run --bundle \"\$tmp/bad\" demo-bad"
expect_rc 125
expect_contains "$out" 'linux.namespaces[2].type' "an unknown namespace type (the spec says \"network\")"
jq '.hooks = { "prestart": [ { "path": "/bin/true" } ] } | .linux.cgroupsPath = "/barge-demo/bad"' \
	"$tmp/mini/config.json" >"$tmp/bad/config.json"
run "./barge-runtime run --bundle \"\$tmp/bad\" demo-bad"
expect_rc 125
expect_eq "$out" 'barge-runtime: run: config.json: hooks.prestart: hooks come in chapter 06' \
	"valid, but not done here: refused by the adapter (oci.c), not ignored"
printf '{ "ociVersion": "1.0.2",\n  "root": { "path": "rootfs" ]\n}\n' >"$tmp/bad/config.json"
run "cat \"\$tmp/bad/config.json\"; ./barge-runtime run --bundle \"\$tmp/bad\" demo-bad"
expect_rc 125
expect_contains "$out" "config.json:2:" "invalid JSON: the line and column"
run "cgroup_dirs barge-demo"
expect_eq "$out" "" "no cgroup was made for any of them: every check comes before the first mkdir"
jq '.process.cwd = "tmp"' "$tmp/mini/config.json" >"$tmp/bad/config.json"
run "./barge-runtime --log \"\$tmp/log.json\" --log-format json run --bundle \"\$tmp/bad\" demo-bad; cat \"\$tmp/log.json\""
expect_contains "$out" '"level":"error","msg":"run: config.json: process.cwd: \"tmp\" is not an absolute path"' \
	"--log FILE --log-format json: the message as a JSON line, where engines look for it"
touch "$tmp/mark"
run "./barge run --rootfs \"\$ROOTFS\" --memory 1x -- true"
expect_rc 125
expect_contains "$out" "invalid --memory '1x'" "barge checks its own flags before any bundle exists"
run "./barge run --runtime /no/such/runtime --rootfs \"\$ROOTFS\" -- true"
expect_rc 125
expect_contains "$out" "runtime /no/such/runtime: No such file or directory" "a runtime that is not there"
expect_eq "$(new_bundles "$tmp/mark")" "" "/run/barge-bundles: no bundle was written for either"

# ---- 6. the same bundle, three runtimes --------------------------------------------

say "6. The proof: runc and crun run barge's bundles too (barge run --runtime PATH)"
facts='hostname; id; cat /proc/1/cmdline | tr "\0" " "; echo; probe caps; probe status NoNewPrivs; probe status Seccomp; probe syscall keyctl; probe mounts | sort'
show "facts='$facts'"
run "./barge run --rootfs \"\$ROOTFS\" --hostname web --memory 64m -- sh -c \"\$facts\" | tee \"\$tmp/barge-runtime.out\""
expect_rc 0
for rt in runc crun; do
	path=$(command -v "$rt" || true)
	if [ -z "$path" ]; then
		echo "($rt is not installed: skipped; 'make deps' installs it)"
		continue
	fi
	# crun refuses a hybrid cgroup host (v1 controllers, and cgroup2 at
	# /sys/fs/cgroup/unified): give it a mount namespace without that
	# cgroup2 mount, as tools/bench-runtime does.
	ns=""
	if [ "$rt" = crun ] && mountpoint -q /sys/fs/cgroup/unified; then
		ns="unshare -m --propagation private sh -c 'umount /sys/fs/cgroup/unified && exec \"\$@\"' sh "
	fi
	run_quiet "$ns./barge run --runtime $path --rootfs \"\$ROOTFS\" --hostname web --memory 64m -- sh -c \"\$facts\" > \"\$tmp/$rt.out\""
	expect_rc 0
	run "diff \"\$tmp/barge-runtime.out\" \"\$tmp/$rt.out\""
	expect_eq "$out" "" \
		"$rt: the same hostname, user, PID 1, capabilities, no_new_privs, seccomp filter and mounts"
done

# ---- 7. the host ----------------------------------------------------------------------

say "7. The host: mount table as before, no bundle and no cgroup left"
diff <(printf '%s\n' "$host_mounts_before") /proc/self/mountinfo ||
	fail "the host's mount table changed"
ok "mount table: no difference"
expect_eq "$(new_bundles "$tmp/start")" "" "/run/barge-bundles: none of the demo's bundles is left"
id3=$(jq -r '.linux.cgroupsPath' "$config")
expect_eq "$(cgroup_dirs "barge/$id"; cgroup_dirs "$id3")" "" \
	"no cgroup barge/$id (step 2) or $id3 (step 3): barge-runtime removed them"

say "demo 05 passed: barge writes the bundle, and any OCI runtime runs it"
