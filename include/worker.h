/* worker.h: a producer or consumer process, run as a table of steps */
#ifndef SHMVIZ_WORKER_H
#define SHMVIZ_WORKER_H

#include <signal.h>
#include <stdint.h>

#include "ctl.h"
#include "ring.h"
#include "sync.h"

struct worker;

enum step_result {
	STEP_NEXT,      /* done: go on to the next step */
	STEP_AGAIN,     /* not done (cut short, or it must wait): retry it */
	STEP_FINISH,    /* the worker has nothing more to do */
	STEP_FAIL,      /* a system call failed: the worker exits with status 1 */
};

/* What a step does to the shared state, for the supervisor's accounting. */
#define SF_TAKE_PERMIT  0x01    /* takes an empty or full permit */
#define SF_GIVE_PERMIT  0x02    /* posts the other side's semaphore */
#define SF_TAKE_MUTEX   0x04
#define SF_GIVE_MUTEX   0x08
#define SF_ADVANCE      0x10    /* moves head or tail */
#define SF_COUNT        0x20    /* changes count */
#define SF_LOAD         0x40    /* copies count into the register r */
#define SF_DATA         0x80    /* writes or reads a slot */
#define SF_REG          0x100   /* changes the register r */
#define SF_CV_WAIT      0x200   /* pthread_cond_wait(&cv, &m) */
#define SF_CV_SIGNAL    0x400   /* pthread_cond_signal(&cv) */
#define SF_RECHECK      0x800   /* the wait is in a while: back to the test */

/*
 * One line of a worker's loop: the code a pane shows and the function that
 * performs it.  A role's loop in a sync mode is an ordered table of these.
 */
struct step {
	const char *name;                       /* short name: "wait empty" */
	const char *code;                       /* the line as C */
	enum step_result (*run)(struct worker *w);
	unsigned flags;                         /* SF_* */
	unsigned waits;                         /* enum wsem: the semaphore a
	                                           sem_wait step waits on, or m */
	unsigned cv;                            /* enum wsem: the condition
	                                           variable it waits on or
	                                           signals */
	/* A step that spins while its condition is false: whether it would,
	 * now (the ring as seen read-only, the slot the worker claimed). */
	int (*would_spin)(const struct ring *r, uint32_t slot);
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
	unsigned at;                /* the step it is at */
	uint64_t steps_done;        /* steps executed */
	uint64_t attempts;          /* steps tried */

	int32_t r;                  /* the copy of count being changed */
	int32_t loaded;             /* what r = count read */
	uint32_t slot;              /* atomic mode: the slot it claimed */
	uint64_t item;              /* token just written or read */
	uint64_t seq;               /* producer: number of its next item */
	uint64_t newest[CTL_MAX_PRODUCERS]; /* consumer: 1 + newest seq seen */
	int64_t prev;               /* deadline of the previous item */
	int check_writes;           /* producer: look for unread items written
	                               over (2), or only once a second producer
	                               is started (1) */

	int resync;                 /* pacing restarts: it was paused or blocked */
	int interrupted;            /* a wait was cut short by a stop request */
	uint32_t epoch;             /* the ctl epoch it started afresh in */
	int stamp_due;              /* its latest item's time is not yet in
	                               last_ns */
	int jump;                   /* set by a step: the line to go on at
	                               (-1: the next) */
	int cv_mode;                /* its loop waits on condition variables */
	int dead_owner;             /* robust: the worker whose death gave it m
	                               (-1: none, or not known) */
};

/* The loop of a role in a sync mode. */
const struct step *steps_table(enum sync_mode mode, enum role role,
    unsigned *n);

/* Whether a mode's loop copies count into a register r. */
int steps_has_register(enum sync_mode mode);

/*
 * Whether a worker at the gate before step `at` holds a copy of count it
 * has yet to store (it is past r = count, not past count = r): its store
 * will erase whatever changed count since.
 */
int steps_in_window(const struct step *t, unsigned n, unsigned at);

/*
 * Whether a worker at the gate before step t can take it now: a sem_wait
 * on a semaphore at 0 cannot (it would block), nor a lock of m while
 * someone holds it, nor a pthread_cond_wait nobody has signalled, nor a
 * step that would spin; anything else can.  c is the worker's slot (the
 * slot it claimed in atomic mode, where it is in a wait).
 */
int steps_can_go(const struct step *t, const struct ring *r,
    const struct wctl *c);

/* What the worker at step t would wait on if it went now: the line's
 * semaphore or m, or in a wait, its condition variable (not yet woken)
 * or m (woken); SEM_NONE if nothing. */
unsigned steps_waits_on(const struct step *t, const struct wctl *c);

/* Whether what an enum wsem names is there to take: a semaphore above 0,
 * m unlocked; never a condition variable, which only a signal ends. */
int steps_available(const struct ring *r, unsigned which);

/* The semaphore of the ring an enum wsem names. */
const sem_t *steps_sem(const struct ring *r, unsigned which);

/* What a worker at the gate before step `at` holds, from the table. */
struct holding {
	int permit;             /* an empty or full permit, not yet handed on */
	int mutex;
	int advanced;           /* has moved its index but not yet changed count */
};
void steps_holding(const struct step *t, unsigned at, struct holding *h);

/* Whether a worker at step `at`, cv_phase where it is in a wait, holds
 * the mutex (the semaphore or m): a wait lets m go until it is back. */
int steps_holds_mutex(const struct step *t, unsigned at, unsigned cv_phase);

/*
 * The body of a forked worker: never returns.  `ro` is the supervisor's
 * read-only attachment, inherited across fork, which the worker drops.
 */
void worker_main(struct ring *ring, const void *ro, struct ctl *ctl,
    unsigned slot, enum role role, unsigned index, pid_t parent)
    __attribute__((noreturn));

/* Set up w for a role in ctl's sync mode. */
void worker_init(struct worker *w, struct ring *ring, struct ctl *ctl,
    unsigned slot, enum role role, unsigned index);

/* Put the time of w's latest item in last_ns if it is not there yet:
 * before the worker waits or stops. */
void worker_stamp(struct worker *w);

/* Try the step w is at once (no gate); counts the item when the loop wraps. */
enum step_result worker_step(struct worker *w);

/* Run the loop until it finishes or is stopped; returns the exit status. */
int worker_run(struct worker *w);

#endif
