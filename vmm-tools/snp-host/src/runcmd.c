// SPDX-License-Identifier: MIT
#define _GNU_SOURCE /* pipe2 */
#include "runcmd.h"
#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Enough for `-object help` and domain capabilities; more is truncated. */
#define RUNCMD_MAX_OUTPUT  (1u << 20)
/* Exit code the child uses when exec fails, told apart through errpipe. */
#define RUNCMD_EXEC_FAILED 127

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void child(const char *const argv[], int in_fd, int out_fd, int err_fd)
{
	dup2(in_fd, STDIN_FILENO);
	dup2(out_fd, STDOUT_FILENO);
	dup2(out_fd, STDERR_FILENO);
	/* execvp takes char *const[]; the strings are not modified. */
	execvp(argv[0], (char *const *)argv);
	int e = errno;
	ssize_t w = write(err_fd, &e, sizeof(e));
	(void)w;
	_exit(RUNCMD_EXEC_FAILED);
}

enum probe_status runcmd(const char *const argv[], const char *input, unsigned timeout_s,
			 struct cmd_result *res)
{
	int out[2], in[2], errp[2];
	memset(res, 0, sizeof(*res));
	size_t cap = 4096, used = 0;
	char *buf = malloc(cap);
	if (!buf)
		return PROBE_ERROR;
	if (pipe(out) != 0) {
		free(buf);
		return PROBE_ERROR;
	}
	if (pipe(in) != 0) {
		close(out[0]);
		close(out[1]);
		free(buf);
		return PROBE_ERROR;
	}
	if (pipe2(errp, O_CLOEXEC) != 0) {
		close(out[0]);
		close(out[1]);
		close(in[0]);
		close(in[1]);
		free(buf);
		return PROBE_ERROR;
	}
	pid_t pid = fork();
	if (pid < 0) {
		close(out[0]);
		close(out[1]);
		close(in[0]);
		close(in[1]);
		close(errp[0]);
		close(errp[1]);
		free(buf);
		return PROBE_ERROR;
	}
	if (pid == 0) {
		close(out[0]);
		close(in[1]);
		close(errp[0]);
		child(argv, in[0], out[1], errp[1]);
	}
	close(out[1]);
	close(in[0]);
	close(errp[1]);
	if (input) {
		/* Inputs are a few bytes (a monitor "quit"): fits in the pipe buffer. */
		size_t n = strlen(input);
		ssize_t w = write(in[1], input, n);
		(void)w;
	}
	close(in[1]);

	double deadline = now_s() + timeout_s;
	bool timed_out = false;
	for (;;) {
		double left = deadline - now_s();
		if (left <= 0) {
			timed_out = true;
			break;
		}
		struct pollfd pfd = {.fd = out[0], .events = POLLIN};
		int pr = poll(&pfd, 1, (int)(left * 1000) + 1);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr <= 0)
			continue;
		if (cap - used < 1024 && cap < RUNCMD_MAX_OUTPUT) {
			char *nb = realloc(buf, cap * 2);
			if (!nb)
				break;
			buf = nb;
			cap *= 2;
		}
		char sink[1024];
		char *dst = cap - used > 1 ? buf + used : sink;
		size_t room = cap - used > 1 ? cap - used - 1 : sizeof(sink);
		ssize_t n = read(out[0], dst, room);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (dst == buf + used)
			used += (size_t)n;
	}
	close(out[0]);
	if (timed_out)
		kill(pid, SIGKILL);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	int exec_errno = 0;
	ssize_t r = read(errp[0], &exec_errno, sizeof(exec_errno));
	close(errp[0]);
	buf[used] = '\0';
	if (r == (ssize_t)sizeof(exec_errno)) {
		free(buf);
		return exec_errno == ENOENT ? PROBE_ABSENT : probe_from_errno(exec_errno);
	}
	res->output = buf;
	if (timed_out)
		res->exit_status = 128 + SIGKILL;
	else if (WIFEXITED(status))
		res->exit_status = WEXITSTATUS(status);
	else
		res->exit_status = 128 + WTERMSIG(status);
	return PROBE_OK;
}
