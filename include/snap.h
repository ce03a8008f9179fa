/* snap.h: what the supervisor reads of the ring and the workers at a moment */
#ifndef SHMVIZ_SNAP_H
#define SHMVIZ_SNAP_H

#include <stdint.h>
#include <sys/types.h>

#include "ctl.h"
#include "ring.h"
#include "seg.h"

struct session;

/* One worker as last seen. */
struct snap_worker {
	pid_t pid;
	enum role role;
	unsigned index;         /* among its role */
	int alive;              /* not yet reaped */
	int status;             /* wait status, once reaped */
	uint32_t run;           /* enum run, as the supervisor set it */
	uint32_t state;         /* enum wstate, as the worker said */
	uint32_t blocked_on;    /* enum wsem: what it waits on, itself or held */
	uint32_t waits;         /* enum wsem: held by the stepper at its gate,
	                           in front of that sem_wait */
	uint32_t spin_on;       /* enum wspin */
	uint32_t step;          /* the step it is at */
	int32_t r;              /* its register */
	uint32_t slot;          /* atomic mode: the slot it claimed */
	int window;             /* it holds a copy of count not yet stored */
	uint64_t rate;          /* set rate, milli-items/s */
	uint64_t permit, attempts, steps, done, moved, dup, ooo, empties;
	char kstate;            /* the kernel's state letter (/proc/PID/stat) while
	                           it says it is blocked; 0 otherwise */
	uint64_t changes;       /* times it changed count */
	uint64_t overwrites;    /* count = r stores that erased a change */
	int32_t ow_loaded, ow_found, ow_stored; /* the latest such store */
	uint32_t empty_slot;    /* consumer: the latest slot read that held no item */
	uint64_t clobbers;      /* producer: writes over an item not yet taken */
	uint64_t clobbered, clobber_by; /* the latest: the item written over, and by */
	uint32_t clobber_slot;  /* in this slot */
	int clobbered_seen;     /* whether a consumer has taken that item since:
	                           1 yes, 0 no, -1 no longer known */
	int64_t first_ns, last_ns;
	uint32_t cv_phase;      /* enum cvphase */
	uint32_t cv_on;         /* enum wsem: the condition variable of its wait */
	uint32_t woke;          /* 1 + the waiter its latest signal woke */
	uint32_t woken_read;    /* its latest read came straight from a wait */
	uint64_t owner_dead;    /* times its lock found m's owner dead */
	uint32_t dead_owner;    /* 1 + the worker that died holding m, 0 unknown */
	uint32_t repaired_for;  /* bit k: it repaired what worker k left */
	int32_t repair_from, repair_to; /* the latest repair of count */
	int64_t repaired;       /* what its repairs added to count */
	uint64_t consistent;    /* times it made m consistent again */
};

/*
 * Fields are read one relaxed load at a time while the workers run, so a
 * snapshot is not consistent: it shows, it does not prove (see
 * docs/architecture.md).
 */
struct snap {
	int64_t t;                      /* CLOCK_MONOTONIC ns when taken */
	uint32_t frozen;                /* enum frozen: why the workers stopped */
	uint64_t attempts;              /* every worker's attempts, read first */
	uint64_t attempts_after;        /* and again, after everything else */
	uint32_t capacity, head, tail;
	int32_t count;
	int sem_empty, sem_full, sem_mutex; /* sem_getvalue, read-only view */
	int m_free;                     /* the pthread mutex m is unlocked */
	uint32_t sync;                  /* enum sync_mode */
	uint64_t changes[2];            /* by role: count changes, read before count */
	uint64_t changes_after[2];      /* the same, read after count */
	uint32_t fill;                  /* slots from tail to head */
	uint64_t produced, consumed;    /* items completed, by role */
	int64_t last_item[2];           /* by role: when its newest item completed */
	uint64_t dup, ooo, empties;     /* consumers' checks, summed */
	unsigned nworkers;
	struct snap_worker w[CTL_MAX_WORKERS];
	struct seg_info seg;            /* the segment as ipcs sees it */
	uint64_t slots[RING_MAX_CAPACITY];
};

void snap_take(const struct session *s, struct snap *out);

/* Robust: the workers whose half-done work a repair has made good, bit k
 * for worker k. */
uint32_t snap_repaired(const struct snap *sn);

/* The value a snapshot saw of the semaphore an enum wsem names; -1 none. */
int snap_sem(const struct snap *sn, unsigned which);

/* The kernel's state letter for a process: R running, S asleep, Z exited. */
char snap_kstate(pid_t pid);

/* Whether two snapshots show the same thing (their times aside). */
int snap_equal(const struct snap *a, const struct snap *b);

/* The exact tally of items, taken when the workers have stopped. */
struct tally {
	uint64_t produced, consumed;
	uint64_t lost;          /* produced, never consumed, not in the ring */
	uint64_t duplicated;    /* consumed more than once */
	uint64_t out_of_order;  /* consumed after a newer one from its producer */
	uint64_t empties;       /* reads of a slot that held no item */
	uint64_t in_ring;       /* produced, not yet consumed, still in a slot */
	uint64_t in_flight;     /* written to a slot by a producer that has not
	                           finished it yet (not counted as produced) */
	unsigned nnamed;        /* how many lost items are named below */
	uint64_t named[8];      /* the first lost items, as item tokens */
};

void snap_tally(const struct session *s, const struct snap *sn,
    struct tally *t);

#endif
