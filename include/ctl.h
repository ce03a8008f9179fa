/* ctl.h: the control channel between the supervisor and its workers */
#ifndef SHMVIZ_CTL_H
#define SHMVIZ_CTL_H

#include <semaphore.h>
#include <stddef.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/types.h>

#include "check.h"

#define CTL_MAX_PRODUCERS 8u
#define CTL_MAX_CONSUMERS 8u
#define CTL_MAX_WORKERS (CTL_MAX_PRODUCERS + CTL_MAX_CONSUMERS)

enum role { ROLE_PRODUCER, ROLE_CONSUMER };

/* Why the workers stop at their gates with freeze on. */
enum frozen {
	FROZEN_NO,
	FROZEN_ERASED,  /* a store erased an update: everyone stops */
	FROZEN_COMING,  /* a store will be erased: everyone stops but a worker
	                   holding a copy of count, which goes on to its store */
};

/* How a worker passes its gate before each step. */
enum run {
	RUN_FREE,       /* at once */
	RUN_PAUSED,     /* only while steps < permit */
};

/* What a worker is doing, as it last said. */
enum wstate {
	WS_STARTING,    /* forked, not yet at its first gate */
	WS_RUNNING,     /* executing a step */
	WS_SLEEPING,    /* pacing: waiting for its next deadline */
	WS_BLOCKED,     /* in sem_wait on the semaphore in blocked_on */
	WS_SPINNING,    /* its step could not go on and will be retried (spin_on) */
	WS_PAUSED,      /* waiting at its gate */
	WS_DONE,        /* stopped; about to exit */
	WS_FINISHED,    /* made all its items: waits at its gate to be stopped */
};

/* What a worker can wait on, as named in blocked_on: the semaphores of
 * the ring, its pthread mutex m and its condition variables. */
enum wsem {
	SEM_NONE, SEM_EMPTY, SEM_FULL, SEM_MUTEX,
	SEM_M,          /* pthread_mutex_lock(&m), or taking m again */
	SEM_CV_EMPTY,   /* pthread_cond_wait(&empty, &m) */
	SEM_CV_FILL,    /* pthread_cond_wait(&fill, &m) */
	SEM_CV,         /* pthread_cond_wait(&cv, &m): one-cv-while */
};

/* Whether an enum wsem names a condition variable; which of the ring's
 * two it is. */
#define CTL_IS_CV(s) ((s) >= SEM_CV_EMPTY && (s) <= SEM_CV)
#define CTL_CV_INDEX(s) ((s) == SEM_CV_FILL ? 1 : 0)

/*
 * Where a worker is in pthread_cond_wait, the one line that does three
 * things: it lets m go and sleeps, is woken, and takes m again.  Stepped
 * (see docs/architecture.md), the sleep is at the worker's gate and the
 * worker that signals wakes the waiter that has waited longest.
 */
enum cvphase {
	CVP_NONE,       /* not in a wait */
	CVP_WAITING,    /* stepped: m let go, waits at its gate for a signal */
	CVP_SLEEPING,   /* running free: asleep in pthread_cond_wait itself */
	CVP_WOKEN,      /* stepped: signalled, must take m again */
	CVP_AGAIN,      /* back from the wait, holding m again */
};

/* What a spinning worker waits for, as named in spin_on. */
enum wspin { SPIN_NONE, SPIN_ROOM, SPIN_ITEM, SPIN_SLOT_FREE, SPIN_SLOT_FULL };

/* One worker's slot.  Aligned so that no two workers share a cache line. */
struct wctl {
	/* written by the supervisor */
	_Atomic uint64_t permit;    /* a paused worker may try steps while attempts < permit */
	_Atomic uint64_t rate;      /* set rate, milli-items/s; 0 = unpaced */
	sem_t gate;                 /* doorbell: posted when run or permit changes */
	sem_t wake;                 /* doorbell: cuts a pacing sleep short */
	_Atomic uint32_t run;       /* enum run */
	_Atomic uint32_t waits;     /* enum wsem: the stepper holds it in that
	                               sem_wait, at its gate, until a post */
	_Atomic uint32_t gone;      /* it has died: its step says nothing more */
	uint32_t role;              /* enum role; written before its fork */
	uint32_t tutorial_start;    /* seed, n: it starts as the tutorial's
	                               producer does; written before its fork */

	/* written by the worker */
	_Atomic uint32_t epoch_seen;/* the ctl epoch it last started afresh in */
	sem_t ack;                  /* posted each time it stops at its gate */
	_Atomic int32_t pid;        /* the worker's pid, once it runs */
	_Atomic uint32_t step;      /* index of the step it is at */
	_Atomic uint32_t state;     /* enum wstate */
	_Atomic uint32_t blocked_on;/* enum wsem, while WS_BLOCKED */
	_Atomic uint32_t spin_on;   /* enum wspin, while WS_SPINNING */
	_Atomic int32_t r;          /* its register: the copy of count it changes */
	_Atomic uint32_t slot;      /* atomic mode: the slot it claimed */
	_Atomic uint32_t window;    /* with freeze on: it holds a copy of count it
	                               has yet to store (past r = count) */
	_Atomic int32_t ow_loaded;  /* the latest store that erased a change: what
	                               r = count read, */
	_Atomic int32_t ow_found;   /* what count was at count = r, */
	_Atomic int32_t ow_stored;  /* and what it stored */
	_Atomic uint32_t empty_slot;/* consumer: the latest slot read empty */
	_Atomic uint32_t clobber_slot; /* producer: where it wrote over an unread item */
	_Atomic uint32_t io_slot;   /* the slot its latest write or read was at */
	_Atomic uint64_t io_item;   /* and the item it wrote or read there */
	_Atomic uint64_t attempts;  /* steps tried, done or to be retried */
	_Atomic uint64_t steps;     /* steps executed */
	_Atomic uint64_t changes;   /* times it changed count (count = r, or atomically) */
	_Atomic uint64_t overwrites;/* count = r stores that found count changed since r = count */
	_Atomic uint64_t done;      /* items completed */
	_Atomic uint64_t moved;     /* times it advanced head (producer) or tail (consumer) */
	_Atomic uint64_t dup;       /* consumer: items that had arrived before */
	_Atomic uint64_t ooo;       /* consumer: items older than one it already had */
	_Atomic uint64_t empties;   /* consumer: slots read that never held an item */
	_Atomic uint64_t clobbers;  /* producer: writes over an item no consumer had yet taken */
	_Atomic uint64_t clobbered; /* the latest of them: the item written over, */
	_Atomic uint64_t clobber_by;/* and the item written */
	_Atomic int64_t first_ns;   /* when it completed its first item */
	_Atomic int64_t last_ns;    /* when it completed its latest item */

	/* the condition-variable modes: written by the worker, but for
	 * cv_phase and blocked_on, which a stepped worker that signals sets
	 * (woken, waiting for m) */
	_Atomic uint32_t cv_phase;  /* enum cvphase */
	_Atomic uint32_t cv_on;     /* enum wsem: the condition variable */
	_Atomic uint64_t cv_ticket; /* when it began to wait: the lowest wakes */
	_Atomic uint32_t woke;      /* 1 + the waiter its latest signal woke at
	                               a gate; 0 none */
	_Atomic uint32_t woken_read;/* consumer: its latest read came straight
	                               from a wake, the ring not looked at again */
	/* robust: the latest pthread_mutex_lock that found its owner dead */
	_Atomic uint64_t owner_dead;/* times it got EOWNERDEAD */
	_Atomic uint32_t dead_owner;/* 1 + the worker slot that died holding m,
	                               as its published line says; 0 unknown */
	_Atomic uint32_t repaired_for; /* bit k: it repaired what worker k left */
	_Atomic int32_t repair_from;/* count as the dead owner left it, */
	_Atomic int32_t repair_to;  /* and as it was repaired */
	_Atomic int64_t repaired;   /* what its repairs added to count, in all */
	_Atomic uint64_t consistent;/* times it made m consistent again */

	/* a producer started the tutorial's way (n): what its sem_init and
	 * head = tail = count = 0 found, read just before it wrote them */
	_Atomic uint32_t init_done; /* 1 once it has, published last */
	int32_t init_was[5];        /* head, tail, count, empty, full */
	uint32_t init_n;            /* items from tail to head, as it judged */
	uint64_t init_items[4];     /* the first items from tail to head */
} __attribute__((aligned(64)));

/*
 * The control segment: a shared anonymous mapping made before the workers
 * are forked, so only the supervisor and its children can ever reach it.
 */
struct ctl {
	_Atomic uint32_t stop;      /* supervisor: workers leave at their next gate */
	_Atomic uint32_t freeze;    /* supervisor: a store that erases an update freezes */
	_Atomic uint32_t frozen;    /* enum frozen: set by a worker, cleared by the
	                               supervisor once it has paused them all */
	_Atomic uint32_t epoch;     /* supervisor: raised to have every worker,
	                               paused at its gate, start afresh (and
	                               worker 0 empty the ring): explore reuses
	                               them from one schedule to the next */
	_Atomic uint32_t nworkers;  /* written before each fork */
	_Atomic uint32_t nprod;     /* producers, P1 to Pn; the first nprod
	                               workers but for one started later (n),
	                               which takes the next slot */
	uint32_t sync;              /* enum sync_mode; written once */
	uint64_t items;             /* per producer, 0 = unlimited; written once */
	_Atomic uint64_t cv_tickets;/* stepped waits begun: their order */
	_Atomic int64_t moved_base; /* index moves (producers' less consumers')
	                               when a producer started with n set head
	                               and tail to 0: fill counts from there */
	struct wctl w[CTL_MAX_WORKERS];
	struct check check[];       /* one per producer (room for the most);
	                               written by consumers */
};

/*
 * Map and initialise a control segment for nprod producers and ncons
 * consumers; NULL with errno set on error.
 */
struct ctl *ctl_create(uint32_t nprod, uint32_t ncons, uint64_t items,
    uint32_t sync);
void ctl_destroy(struct ctl *c);

/* A worker's role, from its slot. */
static inline enum role
ctl_role(const struct ctl *c, unsigned w)
{
	return (enum role)c->w[w].role;
}

/* Index moves so far, producers' less consumers', as the workers count
 * them: with head and tail, whether equal indices are full or empty. */
int64_t ctl_moved(const struct ctl *c);

/* Room for one more producer, in the next slot: its slot, set up for its
 * fork, or -1 with errno set (EBUSY: already the most). */
int ctl_add_producer(struct ctl *c, unsigned *index);

/* Commands, all from the supervisor. */
void ctl_set_rate(struct ctl *c, unsigned w, uint64_t rate);
void ctl_set_run(struct ctl *c, unsigned w, enum run run);

/* Let a paused worker try exactly one more step. */
void ctl_step(struct ctl *c, unsigned w);

/* Pause a worker where it is, taking back a step let through and not yet
 * begun: one already under way finishes. */
void ctl_halt(struct ctl *c, unsigned w);

/* Clear the consumers' records of arrivals for the first `items` numbers
 * of each producer, with every worker paused: before a fresh start. */
void ctl_clear_checks(struct ctl *c, uint64_t items);

/* Ring a worker's gate: it looks again at whether it may go on. */
void ctl_wake(struct ctl *c, unsigned w);
void ctl_stop(struct ctl *c);

const char *ctl_sem_name(enum wsem s);

/* "P1", "C2": a worker's name, from its role and its index in the role. */
const char *ctl_name(enum role role, unsigned index, char *buf, size_t len);

/* What a spinning worker waits for, in words. */
const char *ctl_spin_name(enum wspin s);

#endif
