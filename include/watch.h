/* watch.h: the supervisor's look at its session, shared by screen and headless */
#ifndef SHMVIZ_WATCH_H
#define SHMVIZ_WATCH_H

#include <stddef.h>
#include <stdint.h>

#include "evlog.h"
#include "schedule.h"
#include "snap.h"
#include "judge.h"
#include "opts.h"
#include "session.h"
#include "stepper.h"
#include "trace.h"
#include "trend.h"

/*
 * Where a session stands: what the title says, and for those that end a
 * headless run, the "ended" name and the exit status (watch_states).
 */
enum watch_state {
	WATCH_RUNNING,
	WATCH_PRODUCER_PAUSED,
	WATCH_CONSUMER_PAUSED,
	WATCH_PAUSED,
	WATCH_GONE,             /* every worker has exited */
	WATCH_STEPPING,         /* a plan of steps runs */
	WATCH_FROZEN,           /* --freeze-on-violation: an invariant broke */
	WATCH_STALLED,          /* a worker died and the rest can never move */
	WATCH_SPIN,             /* every worker left spins on what nobody can
	                           change */
	WATCH_DEADLOCK,         /* every worker waits on a semaphore no one can
	                           post */
	WATCH_ASLEEP,           /* every worker waits on a condition variable
	                           no one is left to signal */
	WATCH_FINISHED,         /* the producers finished and the ring drained */
	/* ends of a headless run only */
	WATCH_DURATION,         /* --duration ran out */
	WATCH_SIGNAL,           /* SIGINT, SIGTERM or SIGHUP */
	WATCH_SCHEDULE,         /* --schedule was used up */
	WATCH_STEPS,            /* --random took its --steps */
	WATCH_STATES
};

struct watch_state_info {
	const char *label;      /* in the title */
	const char *ended;      /* the summary's "ended"; NULL: not an end */
	int status;             /* the exit status it ends with; -1: 128 + the
	                           signal */
};

extern const struct watch_state_info watch_states[WATCH_STATES];

/*
 * One session and everything derived from watching it: each look reaps
 * dead workers, takes a snapshot, moves a step plan on, judges the
 * invariants and whether anyone can still move, and logs what changed.
 */
struct status_page;

struct watch {
	struct session s;
	struct snap *cur;           /* this look's snapshot */
	struct snap *prev;          /* the one before */
	struct snap snaps[2];       /* what cur and prev point to */
	struct schedule replay;     /* the --schedule, for r and m to play again */
	int has_replay;
	struct schedule history;    /* every step the plans let through, in order */
	uint64_t nsteps;            /* how many: the trace's step numbers */
	struct trace trace;         /* each of them, and what it left behind */
	int free_now;               /* a side runs free */
	const char *unreplayable;   /* why the history cannot be played again
	                               (it ran free, a worker was killed), or NULL */
	unsigned starts;            /* sessions started, r, m and u included */
	unsigned rewinds;           /* of them by u */
	uint64_t rewound_to;        /* the step the latest u went back to */
	struct judge *judge;        /* what the looks proved */
	struct stepper *stepper;    /* the plan of steps, and its machinery */
	struct trend trend;
	struct evlog log;
	int64_t t0;                 /* the log's zero: the first session's start */
	int freeze;                 /* pause everything when an invariant breaks */
	int frozen;                 /* it did: the banner is up */
	enum inv frozen_inv;        /* which one */
	int finished;               /* --items made, the ring drained, workers let go */
	enum stuck stuck_told;      /* the stuck state already logged */
	uint32_t skips_told[STEPPER_SKIPS]; /* steps not taken, logged, by line */
	uint8_t took_told[CTL_MAX_WORKERS]; /* what a killed worker took: logged */
	int64_t block_logged[CTL_MAX_WORKERS]; /* when each was last logged blocked */
	int last_taker;             /* 1 + the consumer that moved tail last */
	struct status_page *status; /* what viewers see (src/status.c) */
	size_t status_len;
	int status_fd;              /* its memory file; -1 none */
	int status_shmid;           /* the ring it was made for */
	int64_t odd_logged[CTL_MAX_WORKERS];   /* when each last had a write over an
	                                          unread item or an empty read logged */
	uint64_t odd_unlogged[CTL_MAX_WORKERS];/* those since, not logged one by one */
	/* seed, n: producers started the tutorial's way */
	unsigned tutorial_starts;   /* how many */
	uint32_t tutorial_untold;   /* bit k: slot k's start not yet told */
	char breaker_note[80];      /* what changed the ring outside any step,
	                               for the judge's looks until the next
	                               step; "" none */
	size_t reset_row;           /* its row in the trace */
	uint32_t forgotten;         /* bit k: proven asleep in a sem_wait that
	                               no post ends (sem_init forgot it) */
	int64_t asleep_since[CTL_MAX_WORKERS];  /* asleep there, with the
	                                           semaphore above 0, since */
	uint64_t asleep_attempts[CTL_MAX_WORKERS]; /* its attempts then */
};

/* Where the session stands now (never a headless-only end). */
enum watch_state watch_state(const struct watch *w);

/* Start a session for o; on failure no session is left (the watch can
 * still be drawn, and watch_free frees it) and err says why. */
int watch_start(struct watch *w, const struct opts *o, char *err, size_t len);

/* Look once; `delay_ns` is the pause between scheduled steps. */
void watch_look(struct watch *w, int64_t delay_ns);

/*
 * Stop the workers and start afresh on a new ring, in sync mode m, at the
 * rates set now; a --schedule plays again from its start.
 */
int watch_restart(struct watch *w, unsigned m, char *err, size_t len);

/* The same, playing `schedule` (which must outlive the session) with
 * `items` per producer. */
int watch_play(struct watch *w, const char *schedule, uint64_t items,
    char *err, size_t len);

/* Freeze on violation, or not. */
void watch_set_freeze(struct watch *w, int on);

/* Something the history does not hold happened (a kill): it can no longer
 * be played again; `why` is a sentence's end. */
void watch_unreplayable(struct watch *w, const char *why);

/* Stop the workers and drop the segments. */
void watch_end(struct watch *w);

/* Free what the watch holds beyond its session (zeroed, it holds nothing):
 * after a watch_start that failed, which leaves no session. */
void watch_free(struct watch *w);

/* That, and free what the watch holds: it is done with. */
void watch_done(struct watch *w);

/*
 * n, in seed: one more producer, started as the tutorial's program starts
 * (sem_init on the live semaphores, head = tail = count = 0), paused if the
 * producers are.  Its slot, or -1 with err saying why not (another mode,
 * the most producers already).
 */
int watch_add_producer(struct watch *w, char *err, size_t len);

/* Pause or resume one side; resuming ends a freeze and a plan of steps. */
void watch_pause(struct watch *w, enum role role, int paused);

#endif
