/* judge.h: what can be proven about a running ring, and only that */
#ifndef SHMVIZ_JUDGE_H
#define SHMVIZ_JUDGE_H

#include <stddef.h>
#include <stdint.h>

#include "ctl.h"

struct session;
struct snap;
struct snap_worker;

/* The invariants shown on screen, each held until proven violated. */
enum inv {
	INV_COUNT,      /* count == produced - consumed (the lost update) */
	INV_PERMITS,    /* empty + full + permits held == capacity */
	INV_FILL,       /* fill == count, allowing for steps half done */
	INV_COUNT_ALL
};

/* How a session that can no longer move ended up that way. */
enum stuck {
	STUCK_NO,       /* something can still move */
	STUCK_DRAINED,  /* the producers finished and no item is left to take */
	STUCK_DEADLOCK, /* every live worker waits on a semaphore no one can post */
	STUCK_HANG,     /* the same, after a worker died: the rest wait forever */
	STUCK_SPIN,     /* every live worker spins on a condition that nobody
	                   left can change */
};

/* What the screen may say of an invariant. */
enum mark {
	MARK_HOLDS,     /* proven at the last look, and nothing has moved since */
	MARK_UNKNOWN,   /* the ring is moving: it cannot be known */
	MARK_BROKEN,    /* proven violated */
	MARK_NA,        /* this mode has no such thing */
};

struct judge {
	int violated[INV_COUNT_ALL];    /* proven at least once */
	char detail[INV_COUNT_ALL][160];/* the values that proved it */
	char breaker[INV_COUNT_ALL][80];/* the step that broke it, if known */
	unsigned fresh;                 /* violations the last look proved: bit i
	                                   for invariant i */
	enum inv fresh_inv;             /* the first of them */
	int quiescent;                  /* the last look saw every worker settled */
	int checked;                    /* and checked every invariant exactly */
	char permits_note[160];         /* who held permits then: "P1 holds an
	                                   empty permit" */
	int fresh_clobber;              /* 1 + the producer whose write over an
	                                   unread item the last look proved */
	uint64_t clobber_more;          /* writes over unread items before it that
	                                   the looks missed */
	uint8_t place[CTL_MAX_WORKERS]; /* a worker killed mid-step: 1 it had not
	                                   finished the step, 2 it had; 0 unknown */
	uint64_t lost;                  /* items proven lost, at a quiescent moment */
	uint64_t lost_item;             /* the latest one named, as a token */
	int fresh_lost;                 /* the last look proved more lost */
	enum stuck stuck;               /* proven by two looks 100 ms apart */
	char stuck_text[400];           /* who waits on what, who holds the mutex */

	/* between looks */
	int64_t candidate_since;        /* first look that saw everyone stuck */
	uint64_t candidate_steps;       /* the steps taken, seen then */
	uint64_t overwrites[CTL_MAX_WORKERS]; /* each worker's, seen so far */
	uint64_t tallied;               /* attempts when items were last tallied */
	uint64_t clobbers[CTL_MAX_WORKERS]; /* each producer's, judged so far */
	int clobber_pending[CTL_MAX_WORKERS]; /* a new one waits for the consumers */
	uint64_t clobber_since[CTL_MAX_WORKERS][CTL_MAX_WORKERS];
	                                /* each worker's attempts when it was seen */
};

/* "deadlock", "hang", "spin": in the log, the recording and the summary. */
const char *judge_stuck_name(enum stuck k);

/* Names shown on screen and in the JSON "violations" list. */
const char *judge_inv_name(enum inv i);

/*
 * A live worker is settled when it is paused at its gate with no permit
 * left, asleep until its next deadline, or blocked in sem_wait on a
 * semaphore whose value is 0 while the kernel has it asleep.  Dead workers
 * are settled.  A snapshot is settled when every worker is and no attempt
 * was made while it was taken.
 */
int judge_worker_settled(const struct snap *sn, unsigned i);

/* Worker i is blocked in sem_wait on a semaphore at 0, asleep. */
int judge_blocked(const struct snap *sn, unsigned i);
int judge_settled(const struct snap *sn);

/* The mark for invariant i after the last look. */
enum mark judge_mark(const struct judge *j, const struct snap *sn,
    enum inv i);

/*
 * What dead worker i took with it, from where it died: 1 with buf naming
 * it ("an empty permit", "the mutex"), 0 nothing, -1 not known yet (it
 * died in the middle of a step that takes or hands on a permit, and the
 * semaphores have not yet said which).  `brief`: fit for a pane.
 */
int judge_took(const struct judge *j, const struct snap *sn, unsigned i,
    int brief, char *buf, size_t len);

/* Attempts of all workers: unchanged between two looks, nobody moved. */
uint64_t judge_attempts(const struct snap *sn);

/*
 * Look at a new snapshot: check the invariants where they can be proven
 * (a quiescent moment, counters that only grow, a worker that saw its store
 * erase a change) and whether the workers can still move.  A moment is
 * quiescent when two looks in a row find every worker settled and nobody
 * moved between them, or when the caller proved it (`quiet`, after a step
 * it let through).  `last_step` names that step ("P1 count = r;").
 */
void judge_look(struct judge *j, const struct session *s,
    const struct snap *sn, const char *last_step, int quiet);

#endif
