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
 * A plan of steps (a --schedule, a --random seed, or what the s and S keys
 * ask for) and the machinery that runs it deterministically; private to
 * the stepper (src/stepper_int.h).
 */
struct stepper;

struct stepper *stepper_new(void);
void stepper_free(struct stepper *st);

/* A plan is running, or the step it let through is not over yet. */
int stepper_busy(const struct stepper *st);
/* A step was let through and is not over yet. */
int stepper_waiting(const struct stepper *st);
/* A plan is running and not held by the user. */
int stepper_running(const struct stepper *st);
/* Held by the user: no step is let through. */
int stepper_held(const struct stepper *st);
/* A plan runs (held or not); it is one a key asked for (s, S); its
 * entries. */
int stepper_active(const struct stepper *st);
int stepper_keyed(const struct stepper *st);
unsigned stepper_plan_length(const struct stepper *st);
/* A random run (--random), and its seed. */
int stepper_is_random(const struct stepper *st);
uint64_t stepper_seed(const struct stepper *st);
/* Nothing more to do: no plan, no step under way, a random run over. */
int stepper_over(const struct stepper *st);
/* A random run took the --steps it was given. */
int stepper_steps_out(const struct stepper *st);
/* Steps of the plan used (let through or not taken) and in all; whether
 * part of it is still to come. */
uint64_t stepper_used(const struct stepper *st);
uint64_t stepper_total(const struct stepper *st);
int stepper_unfinished(const struct stepper *st);
/* Steps let through, and scheduled steps that could not be taken. */
uint64_t stepper_taken(const struct stepper *st);
uint64_t stepper_skipped(const struct stepper *st);
/* Why steps were not taken, by line: how many lines, and line i with the
 * steps it stands for. */
unsigned stepper_nskips(const struct stepper *st);
const char *stepper_skip_line(const struct stepper *st, unsigned i,
    uint32_t *count);
/* The step just completed, in words: "P1 count = r;". */
const char *stepper_last(const struct stepper *st);
/* What the last call did, for the trace. */
const struct stepper_event *stepper_events(const struct stepper *st,
    unsigned *n);

/* The steps the plan has still to let through, one entry a step (none for a
 * keyed plan). */
int stepper_rest(const struct stepper *st, struct schedule *rest);

/* Where a plan stands, to be put back after a replay. */
struct stepper_mark {
	int random;
	uint64_t seed, rng, limit, drawn, used, total;
};
void stepper_mark(const struct stepper *st, struct stepper_mark *m);
/*
 * Put `future` in as the plan, held, where m says it stood; `back`: the
 * step taken back was the plan's; `fixed`: the plan's length is fixed (a
 * --schedule or a seed), else it is what is left.
 */
void stepper_resume(struct stepper *st, const struct schedule *future,
    const struct stepper_mark *m, int back, int fixed);


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

/* The plan's line on screen, in words, as parts painted apart: where it
 * stands ("schedule 12/32 paused"), the step it takes next, and a hint
 * (indented by hint_gap); head is "" when there is nothing to show. */
struct stepper_text {
	char head[64];
	char next[112];
	char hint[96];
	int hint_gap;
};
void stepper_text(const struct stepper *st, const struct session *s,
    const struct snap *sn, int has_replay, struct stepper_text *out);

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

/* Let held workers through whose semaphore or m is there to take now
 * without a step (m, when its owner died: robust); how many. */
unsigned stepper_release(struct stepper *st, struct session *s);

/* Let the held workers of a role (-1: all) go: they are to run free. */
void stepper_unhold(struct session *s, int role);

#endif
