/* stepper.c: let workers through one step at a time, and wait for quiet */
#include "stepper.h"

#include <stdio.h>
#include <string.h>

#include <time.h>

#include "judge.h"
#include "pace.h"
#include "session.h"
#include "snap.h"
#include "worker.h"

void
stepper_plan(struct stepper *st, const struct schedule *plan)
{
	st->keyed = 0;
	st->plans++;
	if (schedule_copy(&st->plan, plan) == -1)
		st->plan.n = 0;         /* no memory: an empty plan */
	st->at = 0;
	st->left = st->plan.n ? st->plan.e[0].steps : 0;
	st->until_item = 0;
	st->active = st->plan.n > 0;
	st->held = st->once = 0;
	st->total = st->used = 0;
	st->total = schedule_steps(&st->plan);
}

int
stepper_playing(const struct stepper *st)
{
	if (st->random)
		return !st->keyed && !st->random_over;
	return st->active && !st->keyed && st->used < st->total;
}

const char *
stepper_noun(const struct stepper *st)
{
	return st->random ? "random run" : "schedule";
}

const char *
stepper_where(const struct stepper *st, char *buf, size_t len)
{
	uint64_t n = st->taken + st->skipped;

	if (st->random)
		snprintf(buf, len, "step %llu", (unsigned long long)n);
	else
		snprintf(buf, len, "%llu/%llu", (unsigned long long)st->used,
		    (unsigned long long)st->total);
	return buf;
}

void
stepper_hold(struct stepper *st, int held)
{
	st->held = held;
	st->once = 0;
}

void
stepper_next_once(struct stepper *st)
{
	st->held = 1;
	st->once++;
}

void
stepper_drop(struct stepper *st)
{
	st->active = 0;
	st->held = st->once = 0;
	st->random = 0;
}

void
stepper_cancel(struct stepper *st)
{
	stepper_drop(st);
	st->waiting = 0;
}

static unsigned entry_slot(const struct session *s,
    const struct schedule_entry *e);

static void
stepper_single(struct stepper *st, const struct session *s, unsigned w,
    int until_item)
{
	const struct proc *p = &s->procs[w];

	/* s pressed again before the last one is done: one more step */
	if (!until_item && st->keyed && st->active && !st->until_item &&
	    st->plan.n == 1 && entry_slot(s, &st->plan.e[0]) == w) {
		st->left++;
		return;
	}
	st->keyed = 1;
	st->plans++;
	st->held = st->once = 0;
	st->plan.n = 0;
	if (schedule_push(&st->plan, p->role, p->index) == -1)
		return;         /* no memory for one entry: no step */
	st->plan.e[0].steps = until_item ? SCHEDULE_MAX_STEPS : 1;
	st->at = 0;
	st->left = st->plan.e[0].steps;
	st->until_item = until_item;
	st->item_done_from = atomic_load(&s->ctl->w[w].done);
	st->active = 1;
}

void
stepper_one(struct stepper *st, const struct session *s, unsigned w)
{
	stepper_single(st, s, w, 0);
}

void
stepper_item(struct stepper *st, const struct session *s, unsigned w)
{
	stepper_single(st, s, w, 1);
}

static unsigned
entry_slot(const struct session *s, const struct schedule_entry *e)
{
	return e->role == ROLE_PRODUCER ? e->index : s->opts.producers + e->index;
}

/* The entry whose step comes next: the current one, or past it if it is
 * used up. */
static int
next_entry_index(const struct stepper *st)
{
	unsigned at = st->at;

	if (!st->active)
		return -1;
	if (st->left == 0)
		at++;
	return at < st->plan.n ? (int)at : -1;
}

int
stepper_next_slot(const struct stepper *st, const struct session *s)
{
	int at = next_entry_index(st);

	return at < 0 ? -1 : (int)entry_slot(s, &st->plan.e[at]);
}

const char *
stepper_next_text(const struct stepper *st, const struct session *s,
    const struct snap *sn, char *buf, size_t len)
{
	int slot = stepper_next_slot(st, s);
	const struct snap_worker *w;
	const struct step *t;
	char name[8];
	unsigned n;

	if (slot < 0) {
		snprintf(buf, len, "%s", "");
		return buf;
	}
	w = &sn->w[slot];
	t = steps_table(sn->sync, w->role, &n);
	snprintf(buf, len, "%s %s", ctl_name(w->role, w->index, name,
	    sizeof(name)), t[w->step < n ? w->step : 0].code);
	return buf;
}

/* Note what a step did, for the trace. */
static void
event(struct stepper *st, const struct session *s, unsigned slot,
    unsigned line, enum stepper_what what, enum stepper_why why, unsigned sem)
{
	const struct wctl *c = &s->ctl->w[slot];
	const struct ring *r = s->ring;
	struct stepper_event *e;

	if (st->nev >= STEPPER_EVENTS)
		return;
	e = &st->ev[st->nev++];
	*e = (struct stepper_event){ slot, line, what, why, sem, st->keyed,
	    { 0 } };
	/* read now: a worker released after this step changes them */
	e->v.r = atomic_load(&c->r);
	e->v.count = atomic_load(&r->count);
	e->v.head = atomic_load(&r->head);
	e->v.tail = atomic_load(&r->tail);
	e->v.sem_empty = ring_sem_value(&r->empty);
	e->v.sem_full = ring_sem_value(&r->full);
	e->v.sem_mutex = ring_sem_value(&r->mutex);
	e->v.io_slot = atomic_load(&c->io_slot);
	e->v.io_item = atomic_load(&c->io_item);
}

/* A scheduled step that could not be taken; those of one entry, for one
 * reason, fold into one line. */
static void skip(struct stepper *st, const struct session *s, unsigned slot,
    const char *why);

static void
skip(struct stepper *st, const struct session *s, unsigned slot,
    const char *why)
{
	char name[8], line[80];

	st->skipped++;
	st->used += !st->keyed;
	snprintf(line, sizeof(line), "entry %u (%s): %s", st->at + 1,
	    session_name(&s->procs[slot], name, sizeof(name)), why);
	if (st->nskips > 0 && strcmp(st->skips[st->nskips - 1], line) == 0) {
		st->skip_counts[st->nskips - 1]++;
		return;
	}
	if (st->nskips < STEPPER_SKIPS) {
		memcpy(st->skips[st->nskips], line, sizeof(line));
		st->skip_counts[st->nskips++] = 1;
	}
}

/* The next entry, or the end of the plan. */
static void
next_entry(struct stepper *st)
{
	st->at++;
	st->until_item = 0;
	if (st->at < st->plan.n)
		st->left = st->plan.e[st->at].steps;
	else
		st->active = 0;
}

/* Quiet: every worker settled, on two looks with nobody moving between. */
static int
stepper_quiet(struct stepper *st, const struct snap *sn)
{
	uint64_t attempts = judge_attempts(sn);

	if (!judge_settled(sn)) {
		st->quiet_once = 0;
		return 0;
	}
	if (!st->quiet_once || attempts != st->quiet_attempts) {
		st->quiet_once = 1;
		st->quiet_attempts = attempts;
		return 0;
	}
	return 1;
}

/* Let the worker the plan names next take one step, if it can. */
static void
stepper_grant(struct stepper *st, struct session *s, const struct snap *sn,
    int64_t delay_ns)
{
	while (st->active) {
		const struct schedule_entry *e = &st->plan.e[st->at];
		unsigned slot = entry_slot(s, e), n;
		const struct snap_worker *w = &sn->w[slot];
		const struct step *t = steps_table(sn->sync, w->role, &n);
		char name[8];

		if (st->left == 0 || (st->until_item && w->done > st->item_done_from)) {
			next_entry(st);
			continue;
		}
		if (!w->alive || w->state == WS_BLOCKED) {
			char why[64];

			if (!w->alive)
				snprintf(why, sizeof(why), "it has exited");
			else
				snprintf(why, sizeof(why), "blocked in sem_wait(&%s)",
				    ctl_sem_name(w->blocked_on));
			if (st->until_item)
				next_entry(st);
			else {
				event(st, s, slot, w->step % n, SW_NOT_TAKEN, w->alive ?
				    WHY_BLOCKED : WHY_EXITED, w->blocked_on);
				skip(st, s, slot, why);
				if (--st->left == 0)
					next_entry(st);
				/* held: a step not taken is the one step asked for */
				if (st->held) {
					st->once--;
					return;
				}
			}
			continue;
		}
		st->granted = slot;
		st->granted_line = w->step % n;
		st->granted_steps = w->steps;
		st->granted_plan = st->plans;
		ctl_step(s->ctl, slot);
		snprintf(st->last, sizeof(st->last), "%s %s",
		    session_name(&s->procs[slot], name, sizeof(name)),
		    t[w->step < n ? w->step : 0].code);
		st->left--;
		st->taken++;
		st->used += !st->keyed;
		if (st->once > 0)
			st->once--;
		st->waiting = 1;
		st->quiet_once = 0;
		st->not_before = st->keyed ? 0 : sn->t + delay_ns;
		return;
	}
}

/* Pause everyone: only the plan moves anyone. */
static void
pause_all(struct session *s)
{
	for (int r = 0; r < 2; r++)
		if (!s->paused[r])
			session_pause(s, (enum role)r, 1);
}

int
stepper_tick(struct stepper *st, struct session *s, const struct snap *sn,
    int64_t delay_ns)
{
	int completed = 0;

	st->nev = 0;
	if (!st->active && !st->waiting)
		return 0;
	pause_all(s);
	/* stopped at their gates: steps are taken the fast way */
	if (!st->waiting && stepper_parked(s))
		return 0;
	if (!stepper_quiet(st, sn) && !stepper_parked(s))
		return 0;
	if (st->waiting) {
		const struct snap_worker *w = &sn->w[st->granted];

		st->waiting = 0;
		completed = 1;
		/* Let through, but it could not go on and is not blocked in a
		 * sem_wait (a step taken, that waits): it spins. */
		if (w->alive && w->state != WS_BLOCKED &&
		    w->steps == st->granted_steps) {
			char why[64];

			st->taken--;
			st->used -= !st->keyed; /* skip() counts it again */
			snprintf(why, sizeof(why), "spinning: %s",
			    ctl_spin_name(w->spin_on));
			skip(st, s, st->granted, why);
			event(st, s, st->granted, st->granted_line, SW_SPUN, WHY_NONE,
			    SEM_NONE);
			/* the plan it belonged to, not one a key put in since */
			if (st->until_item && st->granted_plan == st->plans)
				next_entry(st);
		} else
			event(st, s, st->granted, st->granted_line, w->alive &&
			    w->state == WS_BLOCKED ? SW_HELD : SW_TAKEN, WHY_NONE,
			    w->blocked_on);
	}
	if (st->active && (!st->held || st->once > 0) &&
	    (sn->t >= st->not_before || st->once > 0))
		stepper_grant(st, s, sn, delay_ns);
	return completed;
}

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

static const sem_t *
ring_sem(const struct session *s, unsigned which)
{
	return which == SEM_EMPTY ? &s->ring->empty : which == SEM_FULL ?
	    &s->ring->full : &s->ring->mutex;
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
static void
release_held(struct stepper *st, struct session *s)
{
	for (;;) {
		unsigned line, held_on;
		int first = -1;

		for (unsigned i = 0; i < s->nprocs; i++) {
			uint32_t which = atomic_load(&s->ctl->w[i].waits);

			if (which == SEM_NONE || !s->procs[i].alive ||
			    ring_sem_value(ring_sem(s, which)) <= 0)
				continue;
			if (first < 0 || st->wait_order[i] < st->wait_order[first])
				first = (int)i;
		}
		if (first < 0)
			return;
		line_of(s, (unsigned)first, &line);
		held_on = atomic_load(&s->ctl->w[first].waits);
		atomic_store(&s->ctl->w[first].waits, SEM_NONE);
		let_through(s, (unsigned)first);
		event(st, s, (unsigned)first, line, SW_RELEASED, WHY_NONE, held_on);
	}
}

void
stepper_unhold(struct stepper *st, struct session *s, int role)
{
	(void)st;
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
		snprintf(buf, len, "blocked in sem_wait(&%s)", ctl_sem_name(waits));
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
	st->keyed = 0;
	st->plan.n = 0;
	st->active = 0;
	st->total = st->used = 0;
}

/*
 * The next random step: one of the workers that can take one, drawn.  If
 * none can, one whose sem_wait would block (the first of them) tries it, to
 * be held there: so the end is a state a --schedule of the same steps
 * reaches too.  Sets the plan to that one step.
 */
static void
random_draw(struct stepper *st, const struct session *s)
{
	unsigned can[CTL_MAX_WORKERS], n = 0, pick;
	int blocked = -1;

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
		if (steps_can_go(line, s->ring, atomic_load(&c->slot)))
			can[n++] = i;
		else if (line->waits != SEM_NONE && blocked < 0)
			blocked = (int)i;
	}
	if (n == 0 && blocked < 0) {
		st->random_over = 1;
		return;
	}
	pick = n ? can[rng_next(&st->rng) % n] : (unsigned)blocked;
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
	pause_all(s);
	while (st->active) {
		unsigned slot = entry_slot(s, &st->plan.e[st->at]), at;
		struct wctl *c = &s->ctl->w[slot];
		const struct step *line = line_of(s, slot, &at);
		char why[64], name[8];
		enum stepper_why no;
		uint64_t steps;

		if (st->left == 0 || (st->until_item &&
		    atomic_load(&c->done) > st->item_done_from)) {
			next_entry(st);
			continue;
		}
		if ((no = cannot(s, slot, why, sizeof(why))) != WHY_NONE) {
			if (st->until_item) {
				next_entry(st);
				continue;
			}
			event(st, s, slot, at, SW_NOT_TAKEN, no,
			    atomic_load(&c->waits));
			skip(st, s, slot, why);
			if (--st->left == 0)
				next_entry(st);
			if (st->once > 0)
				st->once--;
			return 1;
		}
		snprintf(st->last, sizeof(st->last), "%s %s",
		    session_name(&s->procs[slot], name, sizeof(name)), line->code);
		st->last_blocked = 0;
		if (line->waits != SEM_NONE &&
		    ring_sem_value(ring_sem(s, line->waits)) == 0) {
			/* it would block: held in front of it, as blocked */
			atomic_store(&c->waits, line->waits);
			st->wait_order[slot] = ++st->waited;
			st->last_blocked = 1;
			event(st, s, slot, at, SW_HELD, WHY_NONE, line->waits);
			used_one(st, now, delay_ns);
			if (st->until_item || st->left == 0)
				next_entry(st);
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
			st->taken--;
			st->used -= !st->keyed; /* skip() counts it again */
			snprintf(why, sizeof(why), "spinning: %s",
			    ctl_spin_name(atomic_load(&c->spin_on)));
			skip(st, s, slot, why);
			event(st, s, slot, at, SW_SPUN, WHY_NONE, SEM_NONE);
			if (st->until_item)
				next_entry(st);
		} else
			event(st, s, slot, at, SW_TAKEN, WHY_NONE, SEM_NONE);
		release_held(st, s);
		if (st->left == 0 && st->at + 1 >= st->plan.n && !st->until_item)
			next_entry(st);
		if (st->random && !st->active)
			random_draw(st, s);
		return 1;
	}
	return 0;
}
