/*
 * The container init's first steps, run as a cgo constructor before the Go
 * runtime starts: setns(2) and unshare(2) of a user namespace need a
 * single-threaded caller, which a Go program never is.
 *
 * The stub does only what must happen before Go: join namespaces by path,
 * unshare new ones (the user namespace first, its id maps written by the
 * parent), write time namespace offsets, and fork so that the init is born
 * inside the new PID and time namespaces. Everything else is Go code in
 * libcontainer. The protocol is described in libcontainer/handshake.go.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <unistd.h>

#include "execplan.h"
#include "nsexec.h"

#define MAX_JOIN 16

struct bootstrap {
	uint32_t clone_flags;
	int njoin;
	uint32_t join_type[MAX_JOIN];
	int join_fd[MAX_JOIN];
	const char *timens;
	struct exec_plan plan; /* exec: the process to run, set up in C */
};

static int sockfd = -1;

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int read_all(int fd, void *buf, size_t len)
{
	char *p = buf;
	while (len > 0) {
		ssize_t n = read(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static void send_frame(uint8_t type, const void *payload, uint32_t len)
{
	unsigned char hdr[FRAME_HDR] = { len & 0xff, (len >> 8) & 0xff, (len >> 16) & 0xff,
					 (len >> 24) & 0xff, type };
	/* A failed write means the parent is gone; nothing is left to report to. */
	if (write_all(sockfd, hdr, sizeof(hdr)) < 0 || write_all(sockfd, payload, len) < 0)
		_exit(1);
}

/*
 * Report a failure to the parent, which turns it into the command's error.
 * The errno text is lower-cased as Go prints it ("permission denied"):
 * clients such as podman match those words.
 */
void bail(const char *fmt, ...)
{
	char msg[512];
	int saved = errno;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if (saved != 0 && (size_t)n < sizeof(msg)) {
		snprintf(msg + n, sizeof(msg) - (size_t)n, ": %s", strerror(saved));
		if ((size_t)n + 2 < sizeof(msg) && msg[n + 2] >= 'A' && msg[n + 2] <= 'Z')
			msg[n + 2] = (char)(msg[n + 2] - 'A' + 'a');
	}
	send_frame(MSG_STUB_ERROR, msg, (uint32_t)strlen(msg));
	_exit(1);
}

/* Read one frame of the expected type into buf (NUL-terminated); returns its length. */
static uint32_t read_frame(uint8_t want, char *buf, uint32_t cap)
{
	unsigned char hdr[FRAME_HDR];
	uint32_t len;

	if (read_all(sockfd, hdr, sizeof(hdr)) < 0)
		_exit(1); /* parent gone: abandon quietly */
	len = (uint32_t)hdr[0] | (uint32_t)hdr[1] << 8 | (uint32_t)hdr[2] << 16 |
	      (uint32_t)hdr[3] << 24;
	if (hdr[4] != want || len >= cap) {
		errno = EPROTO;
		bail("nsenter: unexpected frame type %u length %u", hdr[4], len);
	}
	if (read_all(sockfd, buf, len) < 0)
		_exit(1);
	buf[len] = '\0';
	return len;
}

/*
 * Decode the records. Every namespace path is opened here, before any setns,
 * because the paths name files in the runtime's mount namespace.
 */
static void parse_bootstrap(char *buf, uint32_t len, struct bootstrap *bs)
{
	uint32_t off = 0;

	memset(bs, 0, sizeof(*bs));
	while (off + 4 <= len) {
		uint16_t type =
			(uint16_t)((unsigned char)buf[off] | (unsigned char)buf[off + 1] << 8);
		uint16_t rlen =
			(uint16_t)((unsigned char)buf[off + 2] | (unsigned char)buf[off + 3] << 8);
		char *val = buf + off + 4;

		if (off + 4 + rlen > len) {
			errno = EPROTO;
			bail("nsenter: truncated bootstrap record");
		}
		switch (type) {
		case REC_CLONE_FLAGS:
			memcpy(&bs->clone_flags, val, sizeof(uint32_t));
			break;
		case REC_JOIN:
			if (bs->njoin == MAX_JOIN || rlen < 6 || val[rlen - 1] != '\0') {
				errno = EPROTO;
				bail("nsenter: bad namespace record");
			}
			memcpy(&bs->join_type[bs->njoin], val, sizeof(uint32_t));
			bs->join_fd[bs->njoin] = open(val + 4, O_RDONLY | O_CLOEXEC);
			if (bs->join_fd[bs->njoin] < 0)
				bail("nsenter: open namespace %s", val + 4);
			bs->njoin++;
			break;
		case REC_TIMENS:
			val[rlen - 1] = '\0'; /* the sender includes a terminating NUL */
			bs->timens = val;
			break;
		case REC_EXEC_PLAN:
			plan_fixed(&bs->plan, (const unsigned char *)val, rlen);
			break;
		case REC_EXEC_CWD:
		case REC_EXEC_ARG:
		case REC_EXEC_ENV:
			if (rlen == 0 || val[rlen - 1] != '\0') {
				errno = EPROTO;
				bail("nsenter: bad exec plan string");
			}
			if (type == REC_EXEC_CWD)
				bs->plan.cwd = val;
			else if (type == REC_EXEC_ARG)
				plan_arg(&bs->plan, val);
			else
				plan_env(&bs->plan, val);
			break;
		}
		off += 4 + rlen;
	}
}

/*
 * Join the user namespace first (it grants the rights to join the others),
 * then the rest. In a joined user namespace we become its root, so that the
 * Go init can set the workload's ids from there (exec into a container).
 */
static void join_namespaces(struct bootstrap *bs)
{
	int joined_user = 0;

	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < bs->njoin; i++) {
			int is_user = bs->join_type[i] == CLONE_NEWUSER;
			if (is_user != (pass == 0))
				continue;
			if (setns(bs->join_fd[i], (int)bs->join_type[i]) < 0)
				bail("nsenter: setns %#x", bs->join_type[i]);
			close(bs->join_fd[i]);
			joined_user |= is_user;
		}
	}
	if (joined_user && (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0))
		bail("nsenter: become root in the joined user namespace");
}

static void write_timens_offsets(const char *offsets)
{
	int fd = open("/proc/self/timens_offsets", O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write_all(fd, offsets, strlen(offsets)) < 0)
		bail("nsenter: write timens_offsets");
	close(fd);
}

void vessel_nsexec(void)
{
	static char buf[MAX_BOOTSTRAP];
	struct bootstrap bs;
	const char *env = getenv(VESSEL_ENV_INITSOCK);
	uint32_t pid;
	pid_t child;

	if (env == NULL)
		return; /* an ordinary vessel command */
	sockfd = atoi(env);

	/*
	 * CVE-2019-5736: until the workload is exec'd, nothing in the container
	 * may open /proc/<pid>/exe of this process or ptrace it. execve(2)
	 * restores dumpability for the workload.
	 */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		bail("nsenter: prctl(PR_SET_DUMPABLE)");

	parse_bootstrap(buf, read_frame(MSG_BOOTSTRAP, buf, sizeof(buf)), &bs);
	join_namespaces(&bs);

	if (bs.clone_flags & CLONE_NEWUSER) {
		/*
		 * An unprivileged parent can open our /proc/<pid>/uid_map only while
		 * we are dumpable (else the files belong to root). It runs as our
		 * own user, so this exposes nothing it could not already reach; we
		 * are not dumpable again before anything of the container is open.
		 */
		int rootless = geteuid() != 0;

		if (unshare(CLONE_NEWUSER) < 0)
			bail("nsenter: unshare user namespace");
		if (rootless && prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) < 0)
			bail("nsenter: prctl(PR_SET_DUMPABLE)");
		/* Only the parent, outside the namespace, may write our maps. */
		send_frame(MSG_USERMAP_REQ, "", 0);
		read_frame(MSG_USERMAP_ACK, buf, sizeof(buf));
		if (rootless && prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
			bail("nsenter: prctl(PR_SET_DUMPABLE)");
		if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
			bail("nsenter: become root in the user namespace");
	}
	if (unshare((int)(bs.clone_flags & ~(uint32_t)CLONE_NEWUSER)) < 0)
		bail("nsenter: unshare %#x", bs.clone_flags);
	if (bs.timens != NULL)
		write_timens_offsets(bs.timens);

	/* New (or joined) PID and time namespaces apply to children only. */
	child = fork();
	if (child < 0)
		bail("nsenter: fork");
	if (child > 0) {
		pid = (uint32_t)child;
		send_frame(MSG_CHILD_PID, &pid, sizeof(pid));
		_exit(0);
	}
	if (setsid() < 0)
		bail("nsenter: setsid");
	/* exec with a plan: the process is set up and exec'd here. */
	if (bs.plan.present) {
		if (bs.plan.cwd == NULL)
			bs.plan.cwd = "/";
		run_exec_plan(&bs.plan);
	}
	/* Return into the Go runtime, which runs the init (libcontainer.Init). */
}
