/* stepper_fast.c: steps taken the fast way, and random interleavings */
#include "stepper_int.h"

#include <stdio.h>
#include <time.h>

#include "pace.h"
#include "session.h"
#include "snap.h"
#include "worker.h"

/* Worker i is stopped at its gate with no step let through, or done. */
static int
parked(const struct session *s, unsigned i)
{
	const struct wctl *c = &s->ctl->w[i];
	/* attempts first: a state read after it is the one it came back to */
	uint64_t attempts = atomic_load_explicit(&c->attempts,
	    memory_order_acquire);
	uint32_t state = atomic_load(&c->state);

	if (!s->procs[i].alive || state == WS_FINISHED)
		return 1;
	return state == WS_PAUSED && atomic_load(&c->run) == RUN_PAUSED &&
	    attempts >= atomic_load(&c->permit);
}

int
stepper_parked(const struct session *s)
{
	for (unsigned i = 0; i < s->nprocs; i++)
		if (!parked(s, i))
			return 0;
	return 1;
}

#define BACK_TRY_NS (20 * INT64_C(1000000))
#define BACK_GIVE_UP_NS (10 * INT64_C(1000000000))

/* Wait until worker i is back at its gate, the step let through over; -1
 * if it died, or blocked in the kernel after all. */
static int
wait_back(struct session *s, unsigned i)
{
	struct wctl *c = &s->ctl->w[i];
	int64_t give_up = pace_now() + BACK_GIVE_UP_NS;

	for (;;) {
		int64_t t = pace_now() + BACK_TRY_NS;
		struct timespec ts = { t / PACE_NS_PER_S, t % PACE_NS_PER_S };
		char k;

		if (parked(s, i))
			return 0;
		if (atomic_load(&c->state) == WS_BLOCKED)
			return -1;
		if (sem_clockwait(&c->ack, CLOCK_MONOTONIC, &ts) == 0)
			continue;
		k = snap_kstate(s->procs[i].pid);
		if (k == 'Z' || k == 'X' || pace_now() > give_up)
			return -1;
	}
}

/* Let worker i through one step, and wait for it to be back. */
static int
let_through(struct session *s, unsigned i)
{
	while (sem_trywait(&s->ctl->w[i].ack) == 0)
		;       /* old news: it stopped at its gate before */
	ctl_step(s->ctl, i);
	return wait_back(s, i);
}

/* The step worker i is at, and its line of code. */
static const struct step *
line_of(const struct session *s, unsigned i, unsigned *at)
{
	unsigned n;
	const struct step *t = steps_table(s->ctl->sync, s->procs[i].role, &n);

	*at = atomic_load(&s->ctl->w[i].step) % n;
	return &t[*at];
}

/* After a step: a held worker whose semaphore was posted goes through its
 * sem_wait, the first held first, as the kernel would wake it. */
static unsigned
release_held(struct stepper *st, struct session *s)
{
	unsigned released = 0;

	for (;; released++) {
		unsigned line, held_on;
		int first = -1;

		for (unsigned i = 0; i < s->nprocs; i++) {
			uint32_t which = atomic_load(&s->ctl->w[i].waits);

			if (which == SEM_NONE || !s->procs[i].alive ||
			    !steps_available(s->ring, which))
				continue;
			if (first < 0 || st->wait_order[i] < st->wait_order[first])
				first = (int)i;
		}
		if (first < 0)
			return released;
		line_of(s, (unsigned)first, &line);
		held_on = atomic_load(&s->ctl->w[first].waits);
		atomic_store(&s->ctl->w[first].waits, SEM_NONE);
		/* one that died on the way is the slow way's to tell */
		if (let_through(s, (unsigned)first) == 0)
			stepper_event(st, s, (unsigned)first, line, SW_RELEASED,
			    WHY_NONE, held_on);
	}
}

unsigned
stepper_release(struct stepper *st, struct session *s)
{
	st->nev = 0;
	return release_held(st, s);
}

void
stepper_unhold(struct session *s, int role)
{
	for (unsigned i = 0; i < s->nprocs && s->ctl != NULL; i++)
		if (role < 0 || (int)s->procs[i].role == role)
			atomic_store(&s->ctl->w[i].waits, SEM_NONE);
}

/* A plan step used: taken (or held), counted, and the next one timed. */
static void
used_one(struct stepper *st, int64_t now, int64_t delay_ns)
{
	st->left--;
	st->taken++;
	st->used += !st->keyed;
	if (st->once > 0)
		st->once--;
	st->not_before = st->keyed ? 0 : now + delay_ns;
}

/* Why worker slot cannot take a step, or WHY_NONE if it can. */
static enum stepper_why
cannot(const struct session *s, unsigned slot, char *buf, size_t len)
{
	const struct wctl *c = &s->ctl->w[slot];
	uint32_t waits = atomic_load(&c->waits);

	if (!s->procs[slot].alive) {
		snprintf(buf, len, "it has exited");
		return WHY_EXITED;
	}
	if (atomic_load(&c->state) == WS_FINISHED) {
		snprintf(buf, len, "it has made all its items");
		return WHY_FINISHED;
	}
	if (waits != SEM_NONE) {
		stepper_blocked_text(waits, buf, len);
		return WHY_BLOCKED;
	}
	/* in a wait nobody has signalled: only a signal moves it */
	if (atomic_load(&c->cv_phase) == CVP_WAITING ||
	    atomic_load(&c->cv_phase) == CVP_SLEEPING) {
		stepper_blocked_text(atomic_load(&c->cv_on), buf, len);
		return WHY_BLOCKED;
	}
	return WHY_NONE;
}

/* splitmix64: the same numbers from the same seed on any machine. */
static uint64_t
rng_next(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

void
stepper_random(struct stepper *st, uint64_t seed, uint64_t limit)
{
	st->random = 1;
	st->seed = seed;
	st->rng = seed;
	st->limit = limit;
	st->drawn = 0;
	st->random_over = 0;
	st->spun = 0;
	st->keyed = 0;
	st->plan.n = 0;
	st->active = 0;
	st->total = st->used = 0;
}

/*
 * The next random step: one of the workers that can take one, drawn.  If
 * none can, one whose sem_wait would block (the first of them) tries it, to
 * be held there; or one that would spin and has not tried since the last
 * step taken, so that the judge sees it spin: the end is a state a
 * --schedule of the same steps reaches too.  Sets the plan to that step.
 */
static void
random_draw(struct stepper *st, const struct session *s)
{
	unsigned can[CTL_MAX_WORKERS], n = 0, pick;
	int blocked = -1, spinner = -1;

	if (st->random_over || st->active)
		return;
	if (st->limit && st->drawn >= st->limit) {
		st->random_over = 1;
		return;
	}
	for (unsigned i = 0; i < s->nprocs; i++) {
		const struct wctl *c = &s->ctl->w[i];
		const struct step *line;
		unsigned at;
		char why[64];

		if (cannot(s, i, why, sizeof(why)) != WHY_NONE)
			continue;
		line = line_of(s, i, &at);
		if (steps_can_go(line, s->ring, c))
			can[n++] = i;
		else if (steps_waits_on(line, c) != SEM_NONE) {
			if (blocked < 0)
				blocked = (int)i;
		} else if (spinner < 0 && !(st->spun & (1u << i)))
			spinner = (int)i;
	}
	if (n == 0 && blocked < 0 && spinner < 0) {
		st->random_over = 1;
		return;
	}
	pick = n ? can[rng_next(&st->rng) % n] :
	    (unsigned)(blocked >= 0 ? blocked : spinner);
	st->plan.n = 0;
	if (schedule_push(&st->plan, s->procs[pick].role,
	    s->procs[pick].index) == -1) {
		st->random_over = 1;
		return;
	}
	st->drawn++;
	st->at = 0;
	st->left = 1;
	st->until_item = 0;
	st->active = 1;
}

int
stepper_step(struct stepper *st, struct session *s, int64_t now,
    int64_t delay_ns)
{
	st->nev = 0;
	if (st->random && !st->active && !st->keyed)
		random_draw(st, s);
	if (!st->active || st->waiting || (st->held && st->once == 0) ||
	    (now < st->not_before && st->once == 0))
		return 0;
	stepper_pause_all(s);
	while (st->active) {
		unsigned slot = stepper_entry_slot(s, &st->plan.e[st->at]), at;
		struct wctl *c = &s->ctl->w[slot];
		const struct step *line = line_of(s, slot, &at);
		char why[64], name[8];
		enum stepper_why no;
		uint64_t steps;
		unsigned which;

		if (st->left == 0 || (st->until_item &&
		    atomic_load(&c->done) > st->item_done_from)) {
			stepper_next_entry(st);
			continue;
		}
		if ((no = cannot(s, slot, why, sizeof(why))) != WHY_NONE) {
			if (st->until_item) {
				stepper_next_entry(st);
				continue;
			}
			stepper_event(st, s, slot, at, SW_NOT_TAKEN, no,
			    atomic_load(&c->waits));
			stepper_skip(st, s, slot, why);
			if (--st->left == 0)
				stepper_next_entry(st);
			if (st->once > 0)
				st->once--;
			return 1;
		}
		snprintf(st->last, sizeof(st->last), "%s %s",
		    session_name(&s->procs[slot], name, sizeof(name)), line->code);
		if ((which = steps_waits_on(line, c)) != SEM_NONE &&
		    !steps_available(s->ring, which)) {
			/* it would block: held in front of it, as blocked */
			atomic_store(&c->waits, which);
			st->wait_order[slot] = ++st->waited;
			stepper_event(st, s, slot, at, SW_HELD, WHY_NONE, which);
			used_one(st, now, delay_ns);
			if (st->until_item || st->left == 0)
				stepper_next_entry(st);
			return 1;
		}
		steps = atomic_load(&c->steps);
		used_one(st, now, delay_ns);
		if (let_through(s, slot) == -1) {
			/* the slow way sees what became of it */
			st->granted = slot;
			st->granted_line = at;
			st->granted_steps = steps;
			st->granted_plan = st->plans;
			st->waiting = 1;
			st->quiet_once = 0;
			return -1;
		}
		if (atomic_load(&c->state) != WS_FINISHED &&
		    atomic_load(&c->steps) == steps) {
			/* let through, it could not go on: it spins */
			stepper_spun(st, s, slot, at, atomic_load(&c->spin_on));
			st->spun |= 1u << slot;
			if (st->until_item)
				stepper_next_entry(st);
		} else {
			stepper_event(st, s, slot, at, SW_TAKEN, WHY_NONE, SEM_NONE);
			st->spun = 0;
		}
		release_held(st, s);
		if (st->left == 0 && st->at + 1 >= st->plan.n && !st->until_item)
			stepper_next_entry(st);
		if (st->random && !st->active)
			random_draw(st, s);
		return 1;
	}
	return 0;
}
