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

/* What the looks so far proved; private to judge.c. */
struct judge;

struct judge *judge_new(void);
void judge_free(struct judge *j);

/* The judge as bytes, for a viewer in another process (it holds no
 * pointer): its size, saved, loaded. */
size_t judge_size(void);
void judge_save(const struct judge *j, void *bytes);
void judge_load(struct judge *j, const void *bytes);

/* Invariant i was proven violated at least once; the values that proved
 * it; the step that broke it ("" if not known). */
int judge_violated(const struct judge *j, enum inv i);
const char *judge_detail(const struct judge *j, enum inv i);
const char *judge_breaker(const struct judge *j, enum inv i);

/* What the last look proved anew: violations (bit i for invariant i, the
 * first of them), a producer's write over an unread item (1 + the
 * producer; 0 none; and how many before it the looks missed), more items
 * lost. */
unsigned judge_fresh(const struct judge *j);
enum inv judge_fresh_inv(const struct judge *j);
int judge_fresh_clobber(const struct judge *j, uint64_t *more);
int judge_fresh_lost(const struct judge *j);

/* Items proven lost, and the latest named, as a token. */
uint64_t judge_lost(const struct judge *j);
uint64_t judge_lost_item(const struct judge *j);

/* Whether the workers can still move, and if not who waits on what. */
enum stuck judge_stuck(const struct judge *j);
const char *judge_stuck_text(const struct judge *j);

/* The deadlock is everyone asleep on condition variables: ALL ASLEEP. */
int judge_asleep(const struct judge *j);

/* A first look found everyone stuck: the second, to prove it, is due. */
int judge_deciding(const struct judge *j);

/* The last look saw every worker settled, and checked every invariant. */
int judge_quiescent(const struct judge *j);
int judge_checked(const struct judge *j);

/* Who held permits at the last quiet look: "P1 holds an empty permit". */
const char *judge_permits_note(const struct judge *j);

/* "deadlock", "hang", "spin": in the log, the recording and the summary. */
const char *judge_stuck_name(enum stuck k);

/* Names shown on screen and in the JSON "violations" list. */
const char *judge_inv_name(enum inv i);

/*
 * A live worker is settled when it is paused at its gate with no permit
 * left, asleep until its next deadline, or blocked in sem_wait while the
 * kernel has it asleep (the semaphore at 0, or above it with no post
 * waking it: forgotten by a sem_init).  Dead workers
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
