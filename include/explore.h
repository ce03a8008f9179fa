/* explore.h: every interleaving of the workers' lines, run on real processes */
#ifndef SHMVIZ_EXPLORE_H
#define SHMVIZ_EXPLORE_H

#include <stddef.h>
#include <stdint.h>

#include "sync.h"

/* What a finished order of steps did; several at once where they meet.
 * None of them: correct. */
#define OC_LOST_UPDATE  0x01    /* count drifted from produced - consumed */
#define OC_LOST_ITEM    0x02    /* an item made, never taken, not in the ring */
#define OC_DUPLICATED   0x04    /* an item taken twice */
#define OC_EMPTY_READ   0x08    /* a slot read that held no item */
#define OC_DEADLOCK     0x10    /* everyone left waits on a semaphore at 0 */
#define OC_HANG         0x20    /* someone left spins on what nobody changes */
#define OC_KINDS 6

/* Interleavings are counted past 2^64: -P 2 -C 2 --items 2 has more. */
typedef unsigned __int128 explore_n;

/* n in decimal, into buf (40 digits at most). */
const char *explore_n_text(explore_n n, char *buf, size_t len);

struct explore_opts {
	enum sync_mode sync;
	unsigned producers, consumers, capacity;
	uint64_t items;                 /* per producer */
	int preemptions;                /* at most; -1: every interleaving */
	uint64_t max_schedules;         /* stop, reporting, after this many */
	int64_t time_limit_ns;          /* and after this long; 0: no limit */
	/* called about ten times a second with the counts so far */
	void (*progress)(void *arg, uint64_t schedules, uint64_t states,
	    double elapsed_s);
	void *progress_arg;
};

struct explore_outcome {
	unsigned mask;                  /* OC_* */
	explore_n count;                /* interleavings that end so */
	uint32_t length;                /* steps of the shortest of them */
	char *shortest;                 /* it, in the --schedule grammar */
};

enum explore_stop {
	EXPLORE_DONE,                   /* searched to the end (of the bound) */
	EXPLORE_LIMIT,                  /* --max-schedules, or the time limit */
	EXPLORE_SIGNAL,                 /* SIGINT and the like */
};

struct explore_result {
	enum explore_stop stop;
	int bounded;                    /* the preemption bound cut some orders */
	int saturated;                  /* a count passed 2^128 - 1: shown as that */
	uint64_t schedules;             /* runs from a fresh ring */
	uint64_t states;                /* states searched (under a bound, a state
	                                   is told apart also by who stepped last
	                                   and the switches used) */
	uint64_t end_states;            /* of them where no one can go on */
	explore_n interleavings;        /* orders counted, over all outcomes */
	uint64_t steps;                 /* steps let through, replays included */
	uint64_t trips;                 /* round trips to a worker for them: a
	                                   replay lets one worker's steps in a row
	                                   through at once */
	double elapsed_s;
	unsigned n;                     /* outcomes below, correct first, then by
	                                   mask */
	struct explore_outcome out[1u << OC_KINDS];
};

/* Search; -1 with err set when it could not run (nothing is left). */
int explore_run(const struct explore_opts *o, struct explore_result *r,
    char *err, size_t len);
void explore_result_free(struct explore_result *r);

/* Percent of the interleavings a count is. */
double explore_share(const struct explore_result *r, explore_n count);

/* "correct", "lost update", "lost item, empty read". */
const char *explore_outcome_name(unsigned mask, char *buf, size_t len);

/* shmviz explore ...: the command; returns the exit status. */
int explore_main(int argc, char *argv[]);

#endif
