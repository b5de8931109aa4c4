/* SPDX-License-Identifier: MIT */
/*
 * console.c - chapter 06: process.terminal, a pseudo-terminal for the
 * container, handed to the caller through --console-socket.
 *
 * "podman run -t" wants the container's stdio to be a terminal, and wants
 * to hold the other end itself (conmon copies it to the user's terminal).
 * The runtime spec's answer (runtime.md and runc's docs/terminals.md):
 * the caller listens on a unix socket and passes its path as
 * --console-socket; the runtime opens a pty pair, makes the slave the
 * container's stdin, stdout, stderr and controlling terminal, and sends
 * the master down the socket as SCM_RIGHTS ancillary data (unix(7)): the
 * kernel copies the open file into the receiver, as if it had opened it.
 *
 * The pty comes from the container's own devpts (its /dev/ptmx, after
 * pivot_root), so that inside it is /dev/pts/0 like on any machine; the
 * socket was connected by create, on the host, before clone.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "barge.h"
#include "oci_spec.h"

/* One byte of data (a message with none is not delivered) and the fd. */
static int send_fd(int sock, int fd)
{
	/* LAB(console-send): send fd over the unix socket sock as SCM_RIGHTS ancillary data, with one byte of data */
	char data = 'c', control[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { .iov_base = &data, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = control,
		.msg_controllen = sizeof(control),
	};
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);

	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	if (sendmsg(sock, &msg, MSG_NOSIGNAL) < 0)
		return -errno;
	return 0;
	/* LAB STUB: (void)sock; */
	/* LAB STUB: (void)fd; */
	/* LAB STUB: return -ENOSYS; */
	/* LAB END */
}

/*
 * posix_openpt(3) and friends: a master, and the slave it unlocked. The
 * slave is the master's own peer (TIOCGPTPEER, Linux 4.13), not a path
 * looked up by name in a /dev/pts the image may have made; and since
 * only a pty's master answers that ioctl, what goes to the engine on the
 * host is a pty, whatever the image's /dev/ptmx led to.
 */
static int open_pty(int *ret_master, int *ret_slave)
{
	int master, slave;

	master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0)
		return -errno;
	if (unlockpt(master) < 0 ||
	    (slave = ioctl(master, TIOCGPTPEER,
			   O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0) {
		close(master);
		return -errno;
	}
	*ret_master = master;
	*ret_slave = slave;
	return 0;
}

/* A new session whose controlling terminal is the slave; the slave is
 * stdin, stdout and stderr. */
static int take_terminal(int slave)
{
	int fd;

	if (setsid() < 0 || ioctl(slave, TIOCSCTTY, 0) < 0)
		return -errno;
	for (fd = 0; fd < 3; fd++)
		if (dup2(slave, fd) < 0)
			return -errno;
	if (slave > 2)
		close(slave);
	return 0;
}

int console_setup(const struct container *c)
{
	struct winsize ws = { 0 };
	int master = -1, slave = -1, r;

	if (!c->terminal || c->console_fd < 0)
		return 0;
	r = open_pty(&master, &slave);
	if (r < 0)
		return r;
	if (c->console_width) {
		ws.ws_row = c->console_height;
		ws.ws_col = c->console_width;
		ioctl(slave, TIOCSWINSZ, &ws);
	}
	r = send_fd(c->console_fd, master);
	close(master);
	close(c->console_fd);
	if (r < 0) {
		close(slave);
		return r;
	}
	return take_terminal(slave);
}

/* In create, on the host: connect to the caller's socket. */
int console_connect(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(addr.sun_path))
		return -ENAMETOOLONG;
	strcpy(addr.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		close(fd);
		return -errno;
	}
	return fd;
}
