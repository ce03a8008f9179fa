/* stepper.h: let workers through one step at a time, and wait for quiet */
#ifndef SHMVIZ_STEPPER_H
#define SHMVIZ_STEPPER_H

#include <stddef.h>
#include <stdint.h>

#include "ctl.h"
#include "schedule.h"
#include "trace.h"

struct session;
struct snap;

#define STEPPER_SKIPS 8
#define STEPPER_EVENTS (2 * CTL_MAX_WORKERS + 2)

/* What became of a step the plan named. */
enum stepper_what {
	SW_TAKEN,       /* let through, and done */
	SW_HELD,        /* a sem_wait that would block: held in front of it */
	SW_SPUN,        /* let through, it could not go on */
	SW_NOT_TAKEN,   /* it could not be let through (see why) */
	SW_RELEASED,    /* a held worker let through its sem_wait by a post */
};

enum stepper_why { WHY_NONE, WHY_EXITED, WHY_FINISHED, WHY_BLOCKED };

/* One thing a call of the stepper did, for the trace. */
struct stepper_event {
	unsigned slot;          /* the worker */
	unsigned line;          /* the step of its loop it was at */
	enum stepper_what what;
	enum stepper_why why;   /* not taken: why */
	unsigned sem;           /* enum wsem it was blocked or held on */
	int keyed;              /* asked for by a key, not by the plan */
	struct trace_vals v;    /* what it left behind */
};

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

/* Draw the steps from a seed: each next one among the workers that can
 * take one; `limit` steps at most (0: until nobody can). */
void stepper_random(struct stepper *st, uint64_t seed, uint64_t limit);

/* Replace the plan. */
void stepper_plan(struct stepper *st, const struct schedule *plan);

/* A plan from a schedule or a seed is running (not one a key asked for). */
int stepper_playing(const struct stepper *st);

/* Where it is, for a sentence: "12/23", or "step 12" for a random run;
 * and what it is: "schedule", "random run". */
const char *stepper_where(const struct stepper *st, char *buf, size_t len);
const char *stepper_noun(const struct stepper *st);

/* Hold a playing plan, or go on with it; while held, let only its next
 * step through (the s key on the process it names). */
void stepper_hold(struct stepper *st, int held);
void stepper_next_once(struct stepper *st);

/* Drop the rest of the plan; a step under way still completes. */
void stepper_drop(struct stepper *st);

/* Drop the plan and stop waiting for the step under way (its permit was
 * taken back, or the workers run free). */
void stepper_cancel(struct stepper *st);

/* The worker slot the plan lets through next, or -1; and that step in
 * words, "C1 r = count;". */
int stepper_next_slot(const struct stepper *st, const struct session *s);
const char *stepper_next_text(const struct stepper *st,
    const struct session *s, const struct snap *sn, char *buf, size_t len);

/* One step of worker slot w (the s key); run w to its next item (S). */
void stepper_one(struct stepper *st, const struct session *s, unsigned w);
void stepper_item(struct stepper *st, const struct session *s, unsigned w);

/*
 * Move the plan on; call with every new snapshot.  Pauses the workers if
 * need be.  Returns 1 when a step was completed and everything is quiet
 * again, so the snapshot is a quiescent moment (st->last names the step).
 * This is the slow way, for workers that are not all stopped at their
 * gates (they ran free until now, or one is blocked in a sem_wait).
 */
int stepper_tick(struct stepper *st, struct session *s, const struct snap *sn,
    int64_t delay_ns);

/*
 * Whether every live worker is stopped at its gate with no step let
 * through, or done with its items: then steps are taken the fast way.
 */
int stepper_parked(const struct session *s);

/*
 * The fast way: take the plan's next step now, if one is due at `now`, and
 * wait for it to be over (the worker is back at its gate).  A sem_wait on
 * a semaphore at 0 is not let through: the worker is held in front of it,
 * as blocked, and let through when a later step posts it (the first held
 * first).  Returns 1 when a step of the plan was used (taken, or found
 * not possible), 0 when none was due, -1 when a worker did not come back
 * (it died): the slow way then takes over.
 */
int stepper_step(struct stepper *st, struct session *s, int64_t now,
    int64_t delay_ns);

/* Let the held workers of a role (-1: all) go: they are to run free. */
void stepper_unhold(struct session *s, int role);

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
/* A step let through that could not go on: it spins on spin_on. */
void stepper_spun(struct stepper *st, const struct session *s, unsigned slot,
    unsigned line, unsigned spin_on);

#endif
