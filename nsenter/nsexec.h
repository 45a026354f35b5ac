/* Wire format shared with libcontainer/bootstrap.go. Keep both in sync. */
#ifndef VESSEL_NSEXEC_H
#define VESSEL_NSEXEC_H

#include <stdint.h>

/* Environment variable naming the init socket's descriptor number. Only the
 * number travels in the environment; the bootstrap data comes over the socket. */
#define VESSEL_ENV_INITSOCK "_VESSEL_INITSOCK"

/* Frame: u32 little-endian payload length, u8 type, payload. */
#define FRAME_HDR 5
#define MAX_BOOTSTRAP (1 << 16)

/* Frame types (see libcontainer/handshake.go for the whole table). */
enum {
	MSG_BOOTSTRAP = 1,   /* parent -> stub: records below */
	MSG_USERMAP_REQ = 2, /* stub -> parent: write my uid/gid maps */
	MSG_USERMAP_ACK = 3, /* parent -> stub: maps written */
	MSG_CHILD_PID = 4,   /* stub -> parent: u32 pid of the container init */
	MSG_STUB_ERROR = 5,  /* stub -> parent: text of a failure */
};

/* Bootstrap records: u16 type, u16 length, value. */
enum {
	REC_CLONE_FLAGS = 1, /* u32: CLONE_NEW* to unshare */
	REC_JOIN = 2,	     /* u32 CLONE_NEW* type, then a NUL-terminated path */
	REC_TIMENS = 3,	     /* text written to /proc/self/timens_offsets */
	/* exec only: the process, set up by execplan.c (libcontainer/execplan.go) */
	REC_EXEC_PLAN = 4, /* fixed fields, groups, rlimits, seccomp program */
	REC_EXEC_CWD = 5,  /* NUL-terminated strings from here on */
	REC_EXEC_ARG = 6,
	REC_EXEC_ENV = 7,
};

void vessel_nsexec(void);

#endif
