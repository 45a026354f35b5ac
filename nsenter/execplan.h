/* The exec plan: a process of `vessel exec` set up in C (execplan.c). */
#ifndef VESSEL_EXECPLAN_H
#define VESSEL_EXECPLAN_H

#include <stdint.h>

#define PLAN_NO_NEW_PRIVS 1u

struct exec_plan {
	int present;
	uint32_t flags, uid, gid, umask, last_cap, preserve_fds;
	uint32_t ngroups, nrlimits, seccomp_flags, ninsns;
	uint64_t caps[5];	      /* bounding, effective, permitted, inheritable, ambient */
	const unsigned char *groups;  /* ngroups u32 */
	const unsigned char *rlimits; /* nrlimits of u32 resource, u64 soft, u64 hard */
	const unsigned char *insns;   /* ninsns BPF instructions, 8 bytes each */
	const char *cwd;
	char **argv; /* NULL-terminated */
	int argc, argcap;
	char **envp; /* NULL-terminated, one slot spare for HOME */
	int envc, envcap;
};

/* Record parsers, called by parse_bootstrap in nsexec.c. */
void plan_fixed(struct exec_plan *p, const unsigned char *val, uint32_t len);
void plan_arg(struct exec_plan *p, char *val);
void plan_env(struct exec_plan *p, char *val);

/* Set the process up and execve it; reports failures with bail(). */
void __attribute__((noreturn)) run_exec_plan(struct exec_plan *p);

/* From nsexec.c: report a failure to the parent and exit. */
void __attribute__((noreturn, format(printf, 1, 2))) bail(const char *fmt, ...);

#endif
