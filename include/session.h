/* session.h: one ring, its workers, and their lifecycle */
#ifndef SHMVIZ_SESSION_H
#define SHMVIZ_SESSION_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ctl.h"
#include "opts.h"
#include "ring.h"

/* A forked worker, as the supervisor knows it. */
struct proc {
	pid_t pid;
	enum role role;
	unsigned index;         /* among its role: P1 and C1 are 0 */
	int alive;              /* not yet reaped */
	int status;             /* wait status, once reaped */
};

struct session {
	struct opts opts;
	int shmid;                      /* the ring segment */
	size_t size;                    /* its bytes */
	const struct ring *ring;        /* the supervisor's read-only attachment */
	struct ctl *ctl;                /* the control segment */
	struct proc procs[CTL_MAX_WORKERS];
	unsigned nprocs;
	int paused[2];                  /* by role: what the supervisor asked */
	int64_t start_ns;               /* CLOCK_MONOTONIC when the workers started */
	int64_t end_ns;                 /* when they were stopped, 0 while running */
};

/*
 * Create the segments, fork the workers and keep only a read-only view of
 * the ring.  On failure nothing is left and err says what failed.
 */
int session_start(struct session *s, const struct opts *o, char *err,
    size_t errlen);

/*
 * n, in seed: fork one more producer, in the next slot, that starts as the
 * tutorial's producer does (sem_init on the live semaphores, head = tail =
 * count = 0) and then runs like the others, paused if they are.  Its slot,
 * or -1 with err saying why (the most producers already).
 */
int session_add_producer(struct session *s, char *err, size_t errlen);

/* Workers of a role, exited ones too: P1 to Pn are n producers. */
unsigned session_count(const struct session *s, enum role role);

/* Reap the workers that exited; returns how many.  `on_exit` may be NULL. */
int session_reap(struct session *s,
    void (*on_exit)(const struct proc *p, void *arg), void *arg);

/* Ask every worker to stop, wait for them, SIGKILL any that linger. */
void session_stop(struct session *s);

/* Drop the attachments: with the workers gone, the segments vanish. */
void session_end(struct session *s);

unsigned session_live(const struct session *s, int role);
void session_set_rate(struct session *s, enum role role, uint64_t rate);
uint64_t session_rate(const struct session *s, enum role role);
void session_pause(struct session *s, enum role role, int paused);

/* "P1", "C2": a worker's name on screen. */
const char *session_name(const struct proc *p, char *buf, size_t len);

/* "exited 0", "killed by SIGKILL": how a reaped worker ended. */
const char *session_how(int status, char *buf, size_t len);

#endif
