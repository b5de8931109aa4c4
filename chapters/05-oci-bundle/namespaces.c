/* SPDX-License-Identifier: MIT */
/*
 * namespaces.c - create the child in new namespaces, and set up the two
 * that need more than creating: UTS (the hostname) and network (lo).
 *
 * A namespace wraps one kind of global resource so that the processes
 * inside see their own copy (namespaces(7)):
 *
 *	UTS     hostname and domain name
 *	PID     process IDs: the child is PID 1 of a new tree
 *	mount   the mount table: mounts made inside stay inside
 *	IPC     System V IPC objects and POSIX message queues
 *	network interfaces, addresses, routes, ports: only lo, down
 *	cgroup  the root of /proc/self/cgroup is the container's cgroup
 *
 * clone(2) creates the child and its new namespaces in one call, all but
 * the cgroup namespace: the child makes that one itself, once it is in
 * its cgroup (ns_unshare_cgroup).
 */
#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "barge.h"

/*
 * Like fork(), but the child starts in new namespaces. We call the raw
 * system call without a new stack: the child then continues on a copy of
 * ours, exactly as after fork(), so the code reads the same. (glibc's
 * clone() wrapper wants a function and a stack instead.) SIGCHLD tells the
 * kernel to signal us when the child exits, as fork() does.
 *
 * Chapter 05: the namespaces are config.json's (linux.namespaces), not a
 * list of ours; the cgroup namespace is left to the child, as before.
 */
pid_t ns_clone(int flags)
{
	flags &= ~CLONE_NEWCGROUP;
	return syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL);
}

/*
 * A new cgroup namespace takes the cgroup its creator is in *at that
 * moment* as the root it shows (cgroup_namespaces(7)). Made by clone(2),
 * its root would be barge's own cgroup, and once the parent moved the
 * child into barge/ID, /proc/self/cgroup would read "/../barge/ID": the
 * container would see where it lives on the host. So the child waits
 * until it is in its cgroup, then unshares: its cgroup becomes its "/".
 * runc orders it the same way.
 */
int ns_unshare_cgroup(void)
{
	/* LAB(cg-cgroupns): give the child a new cgroup namespace */
	if (unshare(CLONE_NEWCGROUP) < 0)
		return -errno;
	/* LAB END */
	return 0;
}

int ns_set_hostname(const char *hostname)
{
	/* LAB(hostname): set the hostname of the new UTS namespace */
	if (sethostname(hostname, strlen(hostname)) < 0)
		return -errno;
	/* LAB STUB: (void)hostname; */
	/* LAB END */
	return 0;
}

/*
 * A new network namespace has one interface, lo, and it is down: even
 * 127.0.0.1 does not work until it is up. SIOCSIFFLAGS is the ioctl
 * behind "ip link set lo up" (netdevice(7)); chapter 07 switches to
 * netlink to create interfaces.
 */
int ns_loopback_up(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd, r = 0;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0) {
		r = -errno;
		goto out_close;
	}
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		r = -errno;
out_close:
	close(fd);
	return r;
}
