/* SPDX-License-Identifier: MIT */
/*
 * test_devices.c - chapter 06: linux.resources.devices, the rules of the
 * device cgroup (v1) or eBPF program (v2). (Chapter 03's tests check the
 * rules barge itself gives every container.)
 *
 * The nodes the tests open are 0:1, character and block: no driver has
 * major 0, so an open the rules allow fails with ENXIO, and one they deny
 * with EPERM, before any driver is reached. A broken runtime writes to
 * nothing. (Not 0:0: the kernel does not check a node whose number is 0.)
 * The container makes them itself, in its /dev tmpfs: config.json gives
 * it CAP_MKNOD, and the runtime's rules after config.json's allow "m" for
 * every node, as runc's do.
 */
#include <stdio.h>
#include <string.h>

#include "runtime_util.h"

#define MKNOD_CAPS                                             \
	", \"capabilities\": {\"bounding\": [\"CAP_MKNOD\"], " \
	"\"effective\": [\"CAP_MKNOD\"], \"permitted\": [\"CAP_MKNOD\"]}"

/* Deny all, allow null and zero, allow c 0:1 then deny its "w" again. */
#define DEVICE_RULES                                                       \
	", \"resources\": {\"devices\": ["                                 \
	"{\"allow\": false, \"access\": \"rwm\"},"                         \
	"{\"allow\": true, \"type\": \"c\", \"major\": 1, \"minor\": 3, "  \
	"\"access\": \"rwm\"},"                                            \
	"{\"allow\": true, \"type\": \"c\", \"major\": 1, \"minor\": 5, "  \
	"\"access\": \"rwm\"},"                                            \
	"{\"allow\": true, \"type\": \"c\", \"major\": 0, \"minor\": 1, "  \
	"\"access\": \"rwm\"},"                                            \
	"{\"allow\": false, \"type\": \"c\", \"major\": 0, \"minor\": 1, " \
	"\"access\": \"w\"}]}"

/* What the container prints, one line per open: probe write says ok or
 * the errno; probe file says why it failed on stderr. */
#define DEVICE_SCRIPT                                            \
	"\"sh\", \"-c\", \"mknod /dev/xchar c 0 1 && "           \
	"mknod /dev/xblock b 0 1 || exit 9; "                    \
	"probe write /dev/null x; probe write /dev/zero "        \
	"x; probe write /dev/full x; probe write /dev/xchar x; " \
	"probe file /dev/xchar 2>&1; probe write /dev/xblock x; exit 0\""

/*
 * null and zero are allowed by rule, full by the rules the runtime adds
 * after config.json's, runc's list (ENOSPC is /dev/full's own answer);
 * c 0:1 may be read (ENXIO: no driver) but not written, the later rule
 * winning; b 0:1 matches no allow rule after "deny all". Without the
 * rules every open of a 0:1 node would say ENXIO.
 */
START_TEST(devices_follow_config)
{
	struct run_result r;

	rt_setup();
	rt_bundle_full(DEVICE_SCRIPT, false, MKNOD_CAPS, DEVICE_RULES, "");
	rt_run(&r, "run", "--bundle", t_bundle, "dev1", NULL);
	ck_assert_msg(r.code == 0, "run: %d: %s", r.code, r.err);
	ck_assert_str_eq(r.out, "ok\nok\nENOSPC\nEPERM\n"
				"probe: read /dev/xchar: No such device or "
				"address\nEPERM\n");
	ck_assert_msg(rt_cgroups("dev1") == 0, "the cgroup of dev1 is left");
	rt_teardown();
}
END_TEST

/* No rules, no change: the 0:1 nodes reach the (missing) driver. */
START_TEST(devices_without_rules)
{
	struct run_result r;

	rt_setup();
	rt_bundle_full(DEVICE_SCRIPT, false, MKNOD_CAPS, "", "");
	rt_run(&r, "run", "--bundle", t_bundle, "dev2", NULL);
	ck_assert_msg(r.code == 0, "run: %d: %s", r.code, r.err);
	ck_assert_str_eq(r.out, "ok\nok\nENOSPC\nENXIO\n"
				"probe: read /dev/xchar: No such device or "
				"address\nENXIO\n");
	rt_teardown();
}
END_TEST

void add_devices_tests(Suite *s)
{
	add_test(s, devices_follow_config, 60);
	add_test(s, devices_without_rules, 60);
}
