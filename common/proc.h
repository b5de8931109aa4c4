/* SPDX-License-Identifier: MIT */
/*
 * proc.h - run a program as a child and wait for it, passing on the
 * signals we get: chapter 00's loop, shared from chapter 05 on by the
 * programs that need it (barge runs barge-runtime this way, barge-runtime
 * waits for a container this way, barge-init runs the command this way).
 */
#ifndef BARGE_PROC_H
#define BARGE_PROC_H

#include <signal.h>
#include <sys/types.h>

/* Block the signals we pass on, and SIGCHLD, so that they wait for
 * sigwaitinfo() instead of interrupting us; *old gets the mask before. */
int proc_block_signals(sigset_t *mask, sigset_t *old);

/* Wait for child, passing on every signal another process sends us, and
 * reaping any other child that exits (as PID 1 must). Returns the
 * child's wait status, or a negative errno. */
int proc_wait(pid_t child, const sigset_t *mask);

/* A wait(2) status as the exit code a shell would show: the status, or
 * 128+N for a death by signal N. */
int proc_exit_code(int status);

/* Run argv (execv: a path, no PATH search) as our child and wait for it
 * with proc_wait(): its exit code, or -errno if it could not start. */
int proc_spawn(char *const argv[]);

/* Field 22 of /proc/PID/stat, the time the process started (which tells
 * a reused pid apart), and field 3, its state ('R', 'S', 'Z'...).
 * -ENOENT if there is no such process. */
int proc_stat_start(pid_t pid, unsigned long long *ret_start, char *ret_state);

/*
 * Run this program again from a copy of itself that nobody can change,
 * with the same argv and environment, unless it already runs from one:
 * then it returns 0. The copy is a read-only clone of the binary's mount
 * (open_tree(2), for root), or else a sealed memfd (F_SEAL_WRITE, SHRINK,
 * GROW, SEAL). On success it does not return; a negative errno if it
 * could not. Against runc's CVE-2019-5736: a container that reaches
 * /proc/PID/exe of a process of ours finds that copy, never a writable
 * binary on the host's disk.
 */
int proc_reexec_sealed(char **argv);

#endif
