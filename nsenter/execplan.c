/*
 * The exec plan: `vessel exec` resolved the process (capability masks,
 * rlimits, the compiled seccomp filter) and sent it with the bootstrap; the
 * stub's child, already in every namespace of the container, sets it up and
 * execs it here, so that exec starts no second Go runtime. The steps and
 * their order are those of processSetup.exec (libcontainer/process.go),
 * which keeps doing it for what a plan cannot carry (a terminal, AppArmor,
 * a NOTIFY filter). Keep both in step.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "execplan.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

static uint32_t get32(const unsigned char *b)
{
	uint32_t v;
	memcpy(&v, b, sizeof(v)); /* little-endian, as the host */
	return v;
}

static uint64_t get64(const unsigned char *b)
{
	uint64_t v;
	memcpy(&v, b, sizeof(v));
	return v;
}

#define FIXED_LEN (7 * 4 + 5 * 8 + 3 * 4)

void plan_fixed(struct exec_plan *p, const unsigned char *val, uint32_t len)
{
	const unsigned char *v = val;
	size_t need;

	if (len < FIXED_LEN) {
		errno = EPROTO;
		bail("nsenter: short exec plan");
	}
	p->flags = get32(v), p->uid = get32(v + 4), p->gid = get32(v + 8);
	p->umask = get32(v + 12), p->last_cap = get32(v + 16), p->preserve_fds = get32(v + 20);
	p->ngroups = get32(v + 24);
	v += 28;
	for (int i = 0; i < 5; i++, v += 8)
		p->caps[i] = get64(v);
	p->nrlimits = get32(v), p->seccomp_flags = get32(v + 4), p->ninsns = get32(v + 8);
	v += 12;
	need = FIXED_LEN + (size_t)p->ngroups * 4 + (size_t)p->nrlimits * 20 +
	       (size_t)p->ninsns * 8;
	if (need != len || p->last_cap > 63) {
		errno = EPROTO;
		bail("nsenter: bad exec plan");
	}
	p->groups = v;
	p->rlimits = v + p->ngroups * 4;
	p->insns = p->rlimits + p->nrlimits * 20;
	p->present = 1;
}

/* Append to a NULL-terminated array that grows as needed. */
static void push(char ***arr, int *n, int *cap, char *s)
{
	if (*n + 2 > *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*arr = realloc(*arr, (size_t)*cap * sizeof(char *));
		if (*arr == NULL)
			bail("nsenter: exec plan");
	}
	(*arr)[(*n)++] = s;
	(*arr)[*n] = NULL;
}

void plan_arg(struct exec_plan *p, char *val)
{
	push(&p->argv, &p->argc, &p->argcap, val);
}

void plan_env(struct exec_plan *p, char *val)
{
	push(&p->envp, &p->envc, &p->envcap, val);
}

/* The last value of KEY in the environment, or NULL. */
static const char *env_value(struct exec_plan *p, const char *key)
{
	size_t klen = strlen(key);
	const char *found = NULL;
	for (int i = 0; i < p->envc; i++)
		if (strncmp(p->envp[i], key, klen) == 0 && p->envp[i][klen] == '=')
			found = p->envp[i] + klen + 1;
	return found;
}

#define MAX_PASSWD (1 << 20)

/*
 * HOME from the container's /etc/passwd (or "/") unless set, as runc. The
 * file is the container's: only a regular file is read (a fifo would block
 * exec, /dev/zero never end), and only its first MiB; withHome in
 * libcontainer/process.go does the same for the Go init.
 */
static void add_home(struct exec_plan *p)
{
	char *entry;
	const char *home = env_value(p, "HOME");
	const char *result = "/";
	char uid[16], *data = NULL, *s, *line;
	struct stat st;
	ssize_t n = 0, r;
	int fd;

	if (home != NULL && home[0] != '\0')
		return;
	snprintf(uid, sizeof(uid), "%u", p->uid);
	fd = open("/etc/passwd", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (data = malloc(MAX_PASSWD + 1)) != NULL) {
		while (n < MAX_PASSWD && (r = read(fd, data + n, (size_t)(MAX_PASSWD - n))) > 0)
			n += r;
		data[n] = '\0';
		for (s = data; (line = strsep(&s, "\n")) != NULL;) {
			char *fields[6];
			int nf = 0;

			while (nf < 6 && (fields[nf] = strsep(&line, ":")) != NULL)
				nf++;
			if (nf == 6 && strcmp(fields[2], uid) == 0 && fields[5][0] != '\0') {
				/* the home field ends at the next ':' (strsep put a NUL there) */
				result = fields[5];
				break;
			}
		}
	}
	if (fd >= 0)
		close(fd);
	if (asprintf(&entry, "HOME=%s", result) < 0)
		bail("nsenter: exec plan");
	free(data);
	plan_env(p, entry);
}

/* 0 if path is an executable file; -errno if stat fails; else the errno Go
 * reports (EISDIR, EACCES). */
static int executable(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return -errno;
	if (S_ISDIR(st.st_mode))
		return EISDIR;
	if ((st.st_mode & 0111) == 0)
		return EACCES;
	return 0;
}

/* exec.LookPath with the process's PATH, and Go's error texts (podman maps
 * "executable file not found" to 127 and "permission denied" to 126). */
static void look_path(struct exec_plan *p, char *out, size_t outlen)
{
	const char *file = p->argv[0];
	const char *path;
	static char dirs[8192];
	char *s, *dir;
	int err;

	if (strchr(file, '/') != NULL) {
		if ((err = executable(file)) == 0) {
			snprintf(out, outlen, "%s", file);
			return;
		}
		if (err < 0) {
			errno = -err;
			bail("exec: \"%s\": stat %s", file, file);
		}
		errno = err;
		bail("exec: \"%s\"", file);
	}
	path = env_value(p, "PATH");
	snprintf(dirs, sizeof(dirs), "%s", path != NULL ? path : DEFAULT_PATH);
	for (s = dirs; (dir = strsep(&s, ":")) != NULL;) {
		snprintf(out, outlen, "%s/%s", dir[0] ? dir : ".", file);
		if (executable(out) == 0)
			return;
	}
	errno = 0;
	bail("exec: \"%s\": executable file not found in $PATH", file);
}

static void install_seccomp(struct exec_plan *p)
{
	struct sock_fprog prog = { .len = (unsigned short)p->ninsns,
				   .filter = (struct sock_filter *)p->insns };

	if (p->ninsns == 0)
		return;
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, p->seccomp_flags, &prog) < 0)
		bail("linux.seccomp: seccomp(SET_MODE_FILTER)");
}

/* Groups, gid and uid, keeping capabilities across the uid change. */
static void set_user(struct exec_plan *p)
{
	gid_t *gids = NULL;

	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		bail("process.user: keepcaps");
	if (p->ngroups > 0 && (gids = calloc(p->ngroups, sizeof(gid_t))) == NULL)
		bail("process.user.additionalGids");
	for (uint32_t i = 0; i < p->ngroups; i++)
		gids[i] = get32(p->groups + 4 * i);
	/* With setgroups denied in a user namespace only an empty list is moot. */
	if (setgroups(p->ngroups, gids) < 0 && (p->ngroups > 0 || errno != EPERM))
		bail("process.user.additionalGids: setgroups");
	if (setresgid(p->gid, p->gid, p->gid) < 0)
		bail("process.user.gid: setresgid %u", p->gid);
	if (setresuid(p->uid, p->uid, p->uid) < 0)
		bail("process.user.uid: setresuid %u", p->uid);
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
		bail("process.user: keepcaps");
	free(gids);
}

/* chdir, then make sure the directory is inside the container: one reached
 * through a leaked descriptor has no path from our root (CVE-2024-21626). */
static void enter_cwd(struct exec_plan *p)
{
	static char wd[4096];

	if (chdir(p->cwd) < 0)
		bail("process.cwd: chdir %s", p->cwd);
	if (getcwd(wd, sizeof(wd)) == NULL || wd[0] != '/') {
		errno = 0;
		bail("process.cwd: %s is outside the container", p->cwd);
	}
}

static void apply_caps(struct exec_plan *p)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];
	/* Capabilities this kernel does not have are ignored, as runc does. */
	uint64_t valid = p->last_cap >= 63 ? ~0ULL : (1ULL << (p->last_cap + 1)) - 1;
	uint64_t eff = p->caps[1] & valid, perm = p->caps[2] & valid, inh = p->caps[3] & valid;

	for (int i = 0; i < 2; i++) {
		data[i].effective = (uint32_t)(eff >> (32 * i));
		data[i].permitted = (uint32_t)(perm >> (32 * i));
		data[i].inheritable = (uint32_t)(inh >> (32 * i));
	}
	if (syscall(SYS_capset, &hdr, data) < 0)
		bail("process.capabilities: capset");
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
		bail("process.capabilities.ambient");
	for (uint32_t c = 0; c <= p->last_cap; c++)
		if ((p->caps[4] >> c & 1) &&
		    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, c, 0, 0) < 0)
			bail("process.capabilities.ambient: raise %u", c);
}

void run_exec_plan(struct exec_plan *p)
{
	static char path[4096];
	int nnp = (p->flags & PLAN_NO_NEW_PRIVS) != 0;

	if (p->argc == 0) {
		errno = EPROTO;
		bail("nsenter: exec plan without args");
	}
	add_home(p);
	look_path(p, path, sizeof(path));
	/* CVE-2024-21626: nothing of the runtime's may reach the workload. */
	if (syscall(SYS_close_range, 3 + p->preserve_fds, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
		bail("close descriptors");
	for (uint32_t i = 0; i < p->nrlimits; i++) {
		const unsigned char *r = p->rlimits + 20 * i;
		struct rlimit rl = { .rlim_cur = get64(r + 4), .rlim_max = get64(r + 12) };
		if (setrlimit((int)get32(r), &rl) < 0)
			bail("process.rlimits");
	}
	/* Without no_new_privs a filter needs CAP_SYS_ADMIN: install it while
	 * we have it; with it, last, so it sees few of our own syscalls. */
	if (!nnp)
		install_seccomp(p);
	for (uint32_t c = 0; c <= p->last_cap; c++)
		if (!(p->caps[0] >> c & 1) && prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0)
			bail("process.capabilities.bounding: drop %u", c);
	set_user(p);
	enter_cwd(p);
	apply_caps(p);
	if (nnp && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		bail("process.noNewPrivileges");
	umask((mode_t)p->umask);
	if (nnp)
		install_seccomp(p);
	execve(path, p->argv, p->envp);
	bail("exec %s", p->argv[0]);
}
