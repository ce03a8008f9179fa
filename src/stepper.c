/* stepper.c: let workers through one step at a time, and wait for quiet */
#include "stepper_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <time.h>

#include "judge.h"
#include "pace.h"
#include "session.h"
#include "snap.h"
#include "worker.h"

struct stepper *
stepper_new(void)
{
	return calloc(1, sizeof(struct stepper));
}

void
stepper_free(struct stepper *st)
{
	if (st == NULL)
		return;
	schedule_free(&st->plan);
	free(st);
}

int
stepper_busy(const struct stepper *st)
{
	return st->active || st->waiting;
}

int
stepper_waiting(const struct stepper *st)
{
	return st->waiting;
}

int
stepper_running(const struct stepper *st)
{
	return (st->active && !st->held) || st->waiting;
}

int
stepper_held(const struct stepper *st)
{
	return st->held;
}

int
stepper_active(const struct stepper *st)
{
	return st->active;
}

int
stepper_keyed(const struct stepper *st)
{
	return st->keyed;
}

unsigned
stepper_plan_length(const struct stepper *st)
{
	return st->plan.n;
}

int
stepper_is_random(const struct stepper *st)
{
	return st->random;
}

uint64_t
stepper_seed(const struct stepper *st)
{
	return st->seed;
}

int
stepper_over(const struct stepper *st)
{
	return !st->active && !st->waiting && (!st->random || st->random_over);
}

int
stepper_steps_out(const struct stepper *st)
{
	return st->random && st->limit && st->drawn >= st->limit;
}

uint64_t
stepper_used(const struct stepper *st)
{
	return st->used;
}

uint64_t
stepper_total(const struct stepper *st)
{
	return st->total;
}

int
stepper_unfinished(const struct stepper *st)
{
	return stepper_playing(st) && (st->random || st->used < st->total);
}

uint64_t
stepper_taken(const struct stepper *st)
{
	return st->taken;
}

uint64_t
stepper_skipped(const struct stepper *st)
{
	return st->skipped;
}

unsigned
stepper_nskips(const struct stepper *st)
{
	return st->nskips;
}

const char *
stepper_skip_line(const struct stepper *st, unsigned i, uint32_t *count)
{
	if (count != NULL)
		*count = st->skip_counts[i];
	return st->skips[i];
}

const char *
stepper_last(const struct stepper *st)
{
	return st->last;
}

const struct stepper_event *
stepper_events(const struct stepper *st, unsigned *n)
{
	*n = st->nev;
	return st->ev;
}

int
stepper_rest(const struct stepper *st, struct schedule *rest)
{
	rest->n = 0;
	if (!st->active || st->keyed)
		return 0;
	for (unsigned i = st->at; i < st->plan.n; i++) {
		uint32_t n = i == st->at ? st->left : st->plan.e[i].steps;

		for (uint32_t k = 0; k < n; k++)
			if (schedule_push(rest, st->plan.e[i].role,
			    st->plan.e[i].index) == -1)
				return -1;
	}
	return 0;
}

void
stepper_mark(const struct stepper *st, struct stepper_mark *m)
{
	m->random = st->random;
	m->seed = st->seed;
	m->rng = st->rng;
	m->limit = st->limit;
	m->drawn = st->drawn;
	m->used = st->used;
	m->total = st->total;
}

void
stepper_resume(struct stepper *st, const struct schedule *future,
    const struct stepper_mark *m, int back, int fixed)
{
	stepper_plan(st, future);
	st->held = 1;
	st->random = m->random;
	st->random_over = 0;
	st->seed = m->seed;
	st->rng = m->rng;
	st->limit = m->limit;
	st->drawn = m->drawn;
	st->used = m->used - (back && m->used > 0);
	st->total = fixed || m->random ? m->total : st->used +
	    schedule_steps(future);
	if (m->random)
		st->total = 0;
}

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

static void
stepper_single(struct stepper *st, const struct session *s, unsigned w,
    int until_item)
{
	const struct proc *p = &s->procs[w];

	/* s pressed again before the last one is done: one more step */
	if (!until_item && st->keyed && st->active && !st->until_item &&
	    st->plan.n == 1 && stepper_entry_slot(s, &st->plan.e[0]) == w) {
		st->left++;
		return;
	}
	st->keyed = 1;
	st->plans++;
	st->held = st->once = 0;
	st->plan.n = 0;
	if (schedule_push(&st->plan, p->role, p->index) == -1) {
		st->active = 0;         /* no memory for one entry: no step */
		return;
	}
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

unsigned
stepper_entry_slot(const struct session *s, const struct schedule_entry *e)
{
	/* by name: a producer started later (n) is in the slot after the
	 * consumers */
	for (unsigned i = 0; i < s->nprocs; i++)
		if (s->procs[i].role == e->role && s->procs[i].index == e->index)
			return i;
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

	return at < 0 ? -1 : (int)stepper_entry_slot(s, &st->plan.e[at]);
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

void
stepper_text(const struct stepper *st, const struct session *s,
    const struct snap *sn, int has_replay, struct stepper_text *out)
{
	unsigned long long used = st->used, total = st->total;
	int held = st->held, playing = stepper_playing(st);

	memset(out, 0, sizeof(*out));
	if (!st->random && (!has_replay || total == 0) && !(playing && total > 0))
		return;
	if (st->random) {
		char where[32];

		snprintf(out->head, sizeof(out->head), "random seed %llu: %s%s",
		    (unsigned long long)st->seed, stepper_where(st, where,
		    sizeof(where)), held ? " paused" : "");
		if (playing && st->active)
			stepper_next_text(st, s, sn, out->next, sizeof(out->next));
		snprintf(out->hint, sizeof(out->hint), "%s%s%s", playing ? "" :
		    stepper_steps_out(st) ? "(its --steps are taken)" :
		    "(no worker can take a step)", !playing && held ? " " : "",
		    held ? "(space resumes it, s takes that step)" : "");
		out->hint_gap = 2;
	} else if (playing) {
		snprintf(out->head, sizeof(out->head), "schedule %llu/%llu%s", used,
		    total, held ? " paused" : "");
		stepper_next_text(st, s, sn, out->next, sizeof(out->next));
		snprintf(out->hint, sizeof(out->hint), "%s", held ? "(space "
		    "resumes it, s takes that step)" : "");
		out->hint_gap = 2;
	} else if (used >= total) {
		snprintf(out->head, sizeof(out->head), "schedule %llu/%llu done:",
		    used, total);
		snprintf(out->hint, sizeof(out->hint), "r plays it again, m plays "
		    "it in the next mode");
		out->hint_gap = 1;
	} else {
		snprintf(out->head, sizeof(out->head), "schedule dropped at "
		    "%llu/%llu:", used, total);
		snprintf(out->hint, sizeof(out->hint), "r plays it again");
		out->hint_gap = 1;
	}
}

void
stepper_event(struct stepper *st, const struct session *s, unsigned slot,
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
	e->v.cv_phase = (uint8_t)atomic_load(&c->cv_phase);
	e->v.woke = (uint8_t)atomic_load(&c->woke);
	if (e->v.woke > 0 && e->v.woke <= s->nprocs) {
		e->v.woke_role = (uint8_t)s->procs[e->v.woke - 1].role;
		e->v.woke_index = (uint8_t)s->procs[e->v.woke - 1].index;
	}
	e->v.m_free = (uint8_t)ring_mutex_free(r);
}

/* A scheduled step that could not be taken; those of one entry, for one
 * reason, fold into one line. */
void
stepper_skip(struct stepper *st, const struct session *s, unsigned slot,
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

void
stepper_spun(struct stepper *st, const struct session *s, unsigned slot,
    unsigned line, unsigned spin_on)
{
	char why[64];

	st->taken--;
	st->used -= !st->keyed; /* stepper_skip() counts it again */
	snprintf(why, sizeof(why), "spinning: %s",
	    ctl_spin_name((enum wspin)spin_on));
	stepper_skip(st, s, slot, why);
	stepper_event(st, s, slot, line, SW_SPUN, WHY_NONE, SEM_NONE);
}

/* The next entry, or the end of the plan. */
void
stepper_next_entry(struct stepper *st)
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
		unsigned slot = stepper_entry_slot(s, e), n;
		const struct snap_worker *w = &sn->w[slot];
		const struct step *t = steps_table(sn->sync, w->role, &n);
		char name[8];

		if (st->left == 0 || (st->until_item && w->done > st->item_done_from)) {
			stepper_next_entry(st);
			continue;
		}
		if (!w->alive || w->state == WS_BLOCKED ||
		    w->cv_phase == CVP_WAITING) {
			char why[64];

			if (!w->alive)
				snprintf(why, sizeof(why), "it has exited");
			else
				stepper_blocked_text(w->blocked_on, why, sizeof(why));
			if (st->until_item)
				stepper_next_entry(st);
			else {
				stepper_event(st, s, slot, w->step % n, SW_NOT_TAKEN, w->alive ?
				    WHY_BLOCKED : WHY_EXITED, w->blocked_on);
				stepper_skip(st, s, slot, why);
				if (--st->left == 0)
					stepper_next_entry(st);
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

void
stepper_blocked_text(unsigned which, char *buf, size_t len)
{
	if (CTL_IS_CV(which))
		snprintf(buf, len, "waiting on %s, m let go", ctl_sem_name(which));
	else if (which == SEM_M)
		snprintf(buf, len, "waiting for m");
	else
		snprintf(buf, len, "blocked in sem_wait(&%s)", ctl_sem_name(which));
}

/* Pause everyone: only the plan moves anyone. */
void
stepper_pause_all(struct session *s)
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
	stepper_pause_all(s);
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
			stepper_spun(st, s, st->granted, st->granted_line,
			    w->spin_on);
			/* the plan it belonged to, not one a key put in since */
			if (st->until_item && st->granted_plan == st->plans)
				stepper_next_entry(st);
		} else
			stepper_event(st, s, st->granted, st->granted_line,
			    w->alive && w->state == WS_BLOCKED ? SW_HELD : SW_TAKEN,
			    WHY_NONE, w->blocked_on);
	}
	if (st->active && (!st->held || st->once > 0) &&
	    (sn->t >= st->not_before || st->once > 0))
		stepper_grant(st, s, sn, delay_ns);
	return completed;
}

