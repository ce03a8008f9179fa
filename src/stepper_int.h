/* stepper_int.h: the stepper's own state, shared by stepper.c and
 * stepper_fast.c only */
#ifndef SHMVIZ_STEPPER_INT_H
#define SHMVIZ_STEPPER_INT_H

#include "stepper.h"

/*
 * A plan of steps (a --schedule, or what the s and S keys ask for) and the
 * machinery that runs it deterministically: one step is let through only
 * when every worker has settled, and the next only once they have settled
 * again, so the same plan always ends in the same state.
 */
struct stepper {
	struct schedule plan;
	unsigned at;                /* the entry being run */
	uint32_t left;              /* its steps still to take */
	int until_item;             /* the entry runs until blocked or an item is done */
	uint64_t item_done_from;    /* the worker's items when it began */
	int active;                 /* a plan is running */
	int held;                   /* paused by the user: no step is let through */
	unsigned once;              /* while held: steps still to let through,
	                               one for each s pressed */
	uint64_t total;             /* steps the plan has in all (not for S) */
	uint64_t used;              /* steps of it let through or not taken */
	int waiting;                /* a step was let through: waiting for quiet */
	unsigned granted;           /* to which worker */
	unsigned granted_line;      /* at which line of its loop */
	uint64_t granted_steps;     /* its steps taken before it */
	unsigned plans;             /* plans put in so far */
	unsigned granted_plan;      /* the one the step let through belongs to */
	int keyed;                  /* the plan came from a key: no step delay */
	int quiet_once;             /* one quiet look so far */
	uint64_t quiet_attempts;    /* attempts at that look */
	int64_t not_before;         /* the step delay */
	uint64_t taken;             /* steps let through */
	uint64_t skipped;           /* scheduled steps that could not be taken */
	unsigned nskips;            /* lines below */
	char skips[STEPPER_SKIPS][80]; /* why, by entry, in words */
	uint32_t skip_counts[STEPPER_SKIPS]; /* steps each line stands for */
	char last[80];              /* the step just completed: "P1 count = r;" */
	uint64_t waited;            /* workers held in front of a sem_wait so far */
	uint64_t wait_order[CTL_MAX_WORKERS]; /* when each began to be held:
	                               a post releases the first of them */
	struct stepper_event ev[STEPPER_EVENTS]; /* what the last call did */
	unsigned nev;
	int random;                 /* --random: each next step drawn */
	uint64_t rng;               /* its generator's state */
	uint64_t limit;             /* steps to draw at most; 0 no limit */
	uint64_t drawn;             /* steps drawn so far */
	int random_over;            /* nobody could take a step, or the limit */
	uint32_t spun;              /* workers drawn to spin since the last step
	                               taken: bit i for worker i */
	uint64_t seed;              /* the seed, to say which */
};

/* Between stepper.c and the fast way, in src/stepper_fast.c. */
unsigned stepper_entry_slot(const struct session *s,
    const struct schedule_entry *e);
void stepper_next_entry(struct stepper *st);
void stepper_pause_all(struct session *s);
/* Note what a step did, for the trace (line: of the worker's loop). */
void stepper_event(struct stepper *st, const struct session *s, unsigned slot,
    unsigned line, enum stepper_what what, enum stepper_why why, unsigned sem);
void stepper_skip(struct stepper *st, const struct session *s, unsigned slot,
    const char *why);
/* Why a worker waiting on `which` cannot go on, in words. */
void stepper_blocked_text(unsigned which, char *buf, size_t len);
/* A step let through that could not go on: it spins on spin_on. */
void stepper_spun(struct stepper *st, const struct session *s, unsigned slot,
    unsigned line, unsigned spin_on);

#endif
