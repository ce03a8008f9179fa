/* history.c: a stepped session's steps, stepped back and forth, and saved */
#include "history.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pace.h"
#include "sync.h"
#include "watch.h"

/* A replay that takes longer than this has gone wrong. */
#define REPLAY_GIVE_UP_NS (20 * PACE_NS_PER_S)
/* Histories past this many steps are not replayed: seconds, not a blink. */
#define REPLAY_MAX_STEPS 200000

/* Run the plan to its end, looking as often as it needs; -1 if it does
 * not end. */
static int
replay(struct watch *w)
{
	int64_t give_up = pace_now() + REPLAY_GIVE_UP_NS;

	while (stepper_busy(w->stepper)) {
		uint64_t taken = stepper_taken(w->stepper) +
		    stepper_skipped(w->stepper);

		watch_look(w, 0);
		if (pace_now() > give_up)
			return -1;
		if (stepper_taken(w->stepper) + stepper_skipped(w->stepper) ==
		    taken) {
			/* the workers are not all at their gates yet */
			struct timespec ts = { 0, 100000 };

			nanosleep(&ts, NULL);
		}
	}
	return 0;
}

/* What the watch keeps across a rewind, beyond the session. */
struct kept {
	struct evlog log;
	struct opts opts;
	struct schedule replay;
	int has_replay, freeze;
	struct stepper_mark mark;
};

static void
keep(struct watch *w, struct kept *k)
{
	k->log = w->log;
	k->opts = w->s.opts;
	k->replay = w->replay;          /* moved: the new watch has none */
	memset(&w->replay, 0, sizeof(w->replay));
	k->has_replay = w->has_replay;
	k->freeze = w->freeze;
	stepper_mark(w->stepper, &k->mark);
}

int
history_back(struct watch *w, char *err, size_t len)
{
	struct stepper *st = w->stepper;
	struct schedule prefix = { 0 }, future = { 0 };
	const struct trace_row *last = trace_last_step(&w->trace);
	int64_t began = pace_now();
	struct kept *k;
	struct opts o;
	enum role role;
	unsigned index;
	uint64_t back_to;
	int by_plan, r = -1;

	if (w->unreplayable != NULL) {
		snprintf(err, len, "u: %s, so it cannot be played again; with "
		    "everything paused, r starts a fresh ring paused, to step from "
		    "the start", w->unreplayable);
		return -1;
	}
	if (w->nsteps == 0 || last == NULL) {
		snprintf(err, len, "u: no step to take back yet");
		return -1;
	}
	if (stepper_waiting(st)) {
		snprintf(err, len, "u: a step is still under way; try again");
		return -1;
	}
	if (w->trace.cut || w->nsteps > REPLAY_MAX_STEPS) {
		snprintf(err, len, "u: %llu steps are too many to replay in a "
		    "blink", (unsigned long long)w->nsteps);
		return -1;
	}
	by_plan = !last->keyed;
	if ((k = calloc(1, sizeof(*k))) == NULL || schedule_copy(&prefix,
	    &w->history) == -1 || schedule_pop_back(&prefix, &role, &index) ==
	    -1 || stepper_rest(st, &future) == -1 ||
	    schedule_push_front(&future, role, index) == -1) {
		snprintf(err, len, "u: out of memory");
		goto out;
	}
	back_to = w->nsteps - 1;
	keep(w, k);
	o = k->opts;
	o.prod_rate = session_rate(&w->s, ROLE_PRODUCER);
	o.cons_rate = session_rate(&w->s, ROLE_CONSUMER);
	o.schedule = NULL;
	o.random = 0;
	o.freeze = 0;           /* replayed, not judged afresh */
	o.start_paused = 1;
	watch_end(w);
	r = -2;
	if (watch_start(w, &o, err, len) == -1)
		goto out;
	st = w->stepper;        /* the new session's: the old one is freed */
	/* what r and m play again is still the session's */
	w->s.opts.schedule = k->opts.schedule;
	w->s.opts.random = k->opts.random;
	w->s.opts.freeze = k->opts.freeze;
	w->replay = k->replay;
	memset(&k->replay, 0, sizeof(k->replay));
	w->has_replay = k->has_replay;
	r = -1;
	if (prefix.n > 0) {
		stepper_plan(st, &prefix);
		if (replay(w) == -1) {
			snprintf(err, len, "u: the replay did not end: the ring is "
			    "where it got to");
			stepper_cancel(st);
			w->log = k->log;
			goto out;
		}
	}
	/* what is to come: the step taken back first, held */
	stepper_resume(st, &future, &k->mark, by_plan, k->has_replay);
	w->freeze = k->freeze;
	w->log = k->log;
	/* the replay's throughput is not the session's */
	memset(&w->trend, 0, sizeof(w->trend));
	w->rewinds++;
	w->rewound_to = back_to;
	evlog_add(&w->log, pace_now(), "u: back to step %llu: replayed on a "
	    "fresh ring (shmid %d) in %.1f ms; U takes the step again",
	    (unsigned long long)back_to, w->s.shmid,
	    (double)(pace_now() - began) / 1e6);
	r = 0;
out:
	if (k != NULL)
		schedule_free(&k->replay);
	free(k);
	schedule_free(&prefix);
	schedule_free(&future);
	return r;
}

int
history_save(const struct watch *w, char *name, size_t nlen, char *err,
    size_t len)
{
	const struct opts *o = &w->s.opts;
	char *sched, items[32];
	FILE *f;
	int fd = -1;

	if (w->nsteps == 0) {
		snprintf(err, len, "w: no step taken yet: nothing to write");
		return -1;
	}
	if (w->unreplayable != NULL) {
		snprintf(err, len, "w: %s: the steps would not play this session "
		    "again", w->unreplayable);
		return -1;
	}
	if ((sched = schedule_format(&w->history)) == NULL) {
		snprintf(err, len, "w: out of memory");
		return -1;
	}
	/* a name of its own, never one that exists */
	for (unsigned i = 1; i < 1000 && fd == -1; i++) {
		snprintf(name, nlen, "shmviz-%s-%u.schedule", sync_name(o->sync), i);
		fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (fd == -1 && errno != EEXIST)
			break;
	}
	if (fd == -1 || (f = fdopen(fd, "w")) == NULL) {
		snprintf(err, len, "w: %s: %s", name, strerror(errno));
		if (fd != -1)
			close(fd);
		free(sched);
		return -1;
	}
	items[0] = '\0';
	if (o->items)
		snprintf(items, sizeof(items), " --items %llu",
		    (unsigned long long)o->items);
	fprintf(f, "# %llu steps of shmviz --sync %s -n %u -P %u -C %u%s\n"
	    "# play them: shmviz --sync %s -n %u -P %u -C %u%s "
	    "--schedule-file %s\n%s\n", (unsigned long long)w->nsteps,
	    sync_name(o->sync), o->capacity, o->producers, o->consumers, items,
	    sync_name(o->sync), o->capacity, o->producers, o->consumers, items,
	    name, sched);
	free(sched);
	if (fclose(f) != 0) {
		snprintf(err, len, "w: %s: %s", name, strerror(errno));
		return -1;
	}
	return 0;
}
