/* status.h: what a session shows, published for viewers of the same user */
#ifndef SHMVIZ_STATUS_H
#define SHMVIZ_STATUS_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "evlog.h"
#include "session.h"
#include "snap.h"
#include "stepper.h"
#include "trace.h"
#include "trend.h"

struct watch;

#define STATUS_MAGIC "shmviz-status-3"
#define STATUS_TRACE_ROWS 256   /* the newest rows of the trace a viewer gets */

/*
 * The session's own view, copied by its supervisor after every look into
 * a memory file (memfd) that only it writes: the snapshot, the judge's
 * findings, the log, the trend and the session's state.  A viewer finds it
 * through /proc/PID/fd, which the kernel opens only for the same user, and
 * maps it read-only; `seq` is odd while a copy is being written.
 */
struct status_page {
	char magic[16];
	_Atomic uint64_t seq;
	_Atomic uint32_t closed;        /* the session left this page for a
	                                   fresh ring's (r, m, u) */
	int ring_shmid;
	int32_t supervisor;
	uint32_t producers, consumers, sync, capacity;
	uint64_t items;
	int paused[2];
	int finished, frozen, frozen_inv;
	uint32_t forgotten;             /* the watch's: asleep, forgotten */
	char state[32];                 /* the title's label: RUNNING, ... */
	unsigned nprocs;
	struct proc procs[CTL_MAX_WORKERS];
	int64_t t0;
	struct snap snap;
	struct evlog log;
	struct trend trend;
	struct stepper_text plan;       /* the plan's line */
	uint64_t nsteps;                /* steps let through so far */
	char history[TRACE_HISTORY_MAX + 1]; /* they, as a schedule; "" when
	                                        too long to show */
	unsigned trace_n;               /* the newest rows of the trace: */
	struct trace_row trace[STATUS_TRACE_ROWS];
	size_t judge_len;
	unsigned char judge[];          /* the judge, as the session has it */
};

/* The supervisor: make (or remake, for a new ring) the page; publish the
 * watch's view into it; close it.  Errors leave the session unwatchable,
 * nothing more. */
void status_open(struct watch *w);
void status_publish(struct watch *w);
void status_close(struct watch *w);

/* A viewer's hold on a session's page, mapped read-only. */
struct status_view {
	const struct status_page *page;
	size_t len;
	int sysv;               /* a System V segment (--share), not a memfd */
	int32_t supervisor;     /* the session's */
};

/* The page of the session whose ring is `shmid`, of this build's layout:
 * 0, or -1 if there is none. */
int status_open_view(struct status_view *v, int shmid);
void status_close_view(struct status_view *v);

/* The session left its page for a fresh ring's: hold the new one instead,
 * once it is there (1); 0 while the page is still the session's, or the
 * next is not there yet. */
int status_follow(struct status_view *v);

/* Copy it whole, consistent; -1 if it kept changing. */
int status_read(const struct status_page *p, struct status_page *out,
    size_t len);

#endif
