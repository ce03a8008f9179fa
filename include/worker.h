/* worker.h: a producer or consumer process, run as a table of steps */
#ifndef SHMVIZ_WORKER_H
#define SHMVIZ_WORKER_H

#include <signal.h>
#include <stdint.h>

#include "ctl.h"
#include "ring.h"

struct worker;

enum step_result {
	STEP_NEXT,      /* done: go on to the next step */
	STEP_AGAIN,     /* not done (a sleep or wait was cut short): retry it */
	STEP_FINISH,    /* the worker has nothing more to do */
	STEP_FAIL,      /* a system call failed: the worker exits with status 1 */
};

/*
 * One line of a worker's loop: the code a pane shows and the function that
 * performs it.  A role's loop is an ordered table of these.
 */
struct step {
	const char *name;                       /* short name: "wait empty" */
	const char *code;                       /* the line as C */
	enum step_result (*run)(struct worker *w);
};

/* A worker's private state: its view of the segments and its registers. */
struct worker {
	struct ring *ring;          /* read-write attachment */
	struct ctl *ctl;
	struct wctl *me;            /* its own slot in ctl */
	enum role role;
	unsigned index;             /* among its role: P1 and C1 are 0 */
	const struct step *steps;   /* its loop */
	unsigned nsteps;

	int32_t r;                  /* the copy of count being changed */
	uint64_t item;              /* token just written or read */
	uint64_t seq;               /* producer: number of its next item */
	uint64_t newest[CTL_MAX_PRODUCERS]; /* consumer: 1 + newest seq seen */
	int64_t prev;               /* deadline of the previous item */
	int resync;                 /* pacing restarts: it was paused or blocked */
	int interrupted;            /* a wait was cut short by a stop request */
};

/* The loop of a role. */
const struct step *steps_table(enum role role, unsigned *n);

/*
 * The body of a forked worker: never returns.  `ro` is the supervisor's
 * read-only attachment, inherited across fork, which the worker drops.
 */
void worker_main(struct ring *ring, const void *ro, struct ctl *ctl,
    unsigned slot, enum role role, unsigned index, pid_t parent)
    __attribute__((noreturn));

/* Run the loop until it finishes or is stopped; returns the exit status. */
int worker_run(struct worker *w);

#endif
