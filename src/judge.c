/* judge.c: what can be proven about a running ring, and only that */
#include "judge.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "pace.h"
#include "session.h"
#include "snap.h"
#include "sync.h"
#include "worker.h"

/* How long everyone must look stuck, unchanged, before it is named. */
#define STUCK_CONFIRM_NS (100 * INT64_C(1000000))

static const char *const inv_names[INV_COUNT_ALL] = {
	[INV_COUNT] = "count == produced - consumed",
	[INV_PERMITS] = "empty + full == capacity",
	[INV_FILL] = "fill == count",
};

const char *
judge_inv_name(enum inv i)
{
	return inv_names[i];
}

/* The kernel's word on a process: R running, S asleep, Z exited ... */
static char
proc_state(pid_t pid)
{
	char path[32], buf[256], *p;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return 'X';
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p != NULL && p[1] == ' ' ? p[2] : '?';
}

static int
sem_value(const struct snap *sn, uint32_t which)
{
	switch (which) {
	case SEM_EMPTY:
		return sn->sem_empty;
	case SEM_FULL:
		return sn->sem_full;
	case SEM_MUTEX:
		return sn->sem_mutex;
	default:
		return -1;
	}
}

/* Blocked for good on a semaphore: its value is 0 and the kernel has the
 * worker asleep, so no post is on its way to it. */
static int
blocked_at_zero(const struct snap *sn, const struct snap_worker *w)
{
	return w->alive && w->state == WS_BLOCKED &&
	    sem_value(sn, w->blocked_on) == 0 && proc_state(w->pid) == 'S';
}

int
judge_worker_settled(const struct snap *sn, const struct snap_worker *w)
{
	if (!w->alive)
		return 1;
	if (w->state == WS_PAUSED && w->run == RUN_PAUSED &&
	    w->attempts >= w->permit)
		return 1;
	return blocked_at_zero(sn, w);
}

int
judge_settled(const struct snap *sn)
{
	for (unsigned i = 0; i < sn->nworkers; i++)
		if (!judge_worker_settled(sn, &sn->w[i]))
			return 0;
	return 1;
}

static void
prove(struct judge *j, enum inv i, const char *last_step, const char *fmt,
    ...) __attribute__((format(printf, 4, 5)));

static void
prove(struct judge *j, enum inv i, const char *last_step, const char *fmt, ...)
{
	va_list ap;

	if (j->violated[i])
		return;
	j->violated[i] = 1;
	j->fresh = 1;
	j->fresh_inv = i;
	va_start(ap, fmt);
	vsnprintf(j->detail[i], sizeof(j->detail[i]), fmt, ap);
	va_end(ap);
	snprintf(j->breaker[i], sizeof(j->breaker[i]), "%s",
	    last_step ? last_step : "");
}

/* count against the changes made to it, from counters that only grow: with
 * no update lost it lies between these bounds at every moment. */
static void
judge_count_live(struct judge *j, const struct snap *sn, unsigned np,
    unsigned nc)
{
	int64_t lo = (int64_t)sn->changes[ROLE_PRODUCER] -
	    (int64_t)sn->changes_after[ROLE_CONSUMER] - nc;
	int64_t hi = (int64_t)sn->changes_after[ROLE_PRODUCER] -
	    (int64_t)sn->changes[ROLE_CONSUMER] + np;
	uint64_t ow = 0;
	char who[64] = "";

	for (unsigned i = 0; i < sn->nworkers; i++) {
		if (sn->w[i].overwrites > 0 && who[0] == '\0')
			snprintf(who, sizeof(who), "%c%u count = r;",
			    sn->w[i].role == ROLE_PRODUCER ? 'P' : 'C',
			    sn->w[i].index + 1);
		ow += sn->w[i].overwrites;
	}
	if (ow > j->overwrites) {
		j->overwrites = ow;
		prove(j, INV_COUNT, who, "count = r found count changed since "
		    "r = count, and erased that change");
	}
	if (sn->count < lo || sn->count > hi)
		prove(j, INV_COUNT, NULL, "count %d, produced - consumed "
		    "between %lld and %lld", sn->count, (long long)lo,
		    (long long)hi);
}

/* At a quiescent moment every invariant can be checked exactly. */
static void
judge_exact(struct judge *j, const struct session *s, const struct snap *sn,
    const char *last_step)
{
	int64_t made = (int64_t)sn->changes[ROLE_PRODUCER] -
	    (int64_t)sn->changes[ROLE_CONSUMER];
	int held = 0, ahead = 0;

	for (unsigned i = 0; i < sn->nworkers; i++) {
		const struct snap_worker *w = &sn->w[i];
		const struct step *t;
		struct holding h;
		unsigned n;

		t = steps_table(sn->sync, w->role, &n);
		steps_holding(t, w->step < n ? w->step : 0, &h);
		held += h.permit;
		ahead += h.advanced ? (w->role == ROLE_PRODUCER ? 1 : -1) : 0;
	}
	if (sn->count != made)
		prove(j, INV_COUNT, last_step, "count %d, produced %llu - "
		    "consumed %llu = %lld", sn->count,
		    (unsigned long long)sn->changes[ROLE_PRODUCER],
		    (unsigned long long)sn->changes[ROLE_CONSUMER],
		    (long long)made);
	if (sync_has_sems(sn->sync) &&
	    sn->sem_empty + sn->sem_full + held != (int)sn->capacity)
		prove(j, INV_PERMITS, last_step, "empty %d + full %d + %d held "
		    "!= %u", sn->sem_empty, sn->sem_full, held, sn->capacity);
	if ((int64_t)sn->fill != (int64_t)sn->count + ahead)
		prove(j, INV_FILL, last_step, "fill %u, count %d%s", sn->fill,
		    sn->count, ahead ? " (allowing for a step half done)" : "");
	(void)s;
}

/* At a new quiescent moment, the items: any produced, never consumed and
 * no longer in the ring are lost for good. */
static void
judge_items(struct judge *j, const struct session *s, const struct snap *sn)
{
	uint64_t attempts = judge_attempts(sn);
	struct tally t;

	if (attempts == j->tallied)
		return;
	j->tallied = attempts;
	snap_tally(s, sn, &t);
	if (t.lost > j->lost) {
		j->lost = t.lost;
		j->lost_item = t.nnamed ? t.named[t.nnamed - 1] : 0;
		j->fresh_lost = 1;
	}
}

/* Whether a live worker can never move again. */
static int
stuck_worker(const struct snap *sn, const struct snap_worker *w,
    unsigned live_other)
{
	if (w->state == WS_SPINNING)
		return live_other == 0;
	return blocked_at_zero(sn, w);
}

static void
describe_stuck(struct judge *j, const struct snap *sn)
{
	size_t off = 0;

	j->stuck_text[0] = '\0';
	for (unsigned i = 0; i < sn->nworkers && off < sizeof(j->stuck_text); i++) {
		const struct snap_worker *w = &sn->w[i];
		const struct step *t;
		struct holding h;
		unsigned n;

		if (!w->alive)
			continue;
		t = steps_table(sn->sync, w->role, &n);
		steps_holding(t, w->step < n ? w->step : 0, &h);
		off += (size_t)snprintf(j->stuck_text + off,
		    sizeof(j->stuck_text) - off, "%s%c%u waits on %s%s",
		    off ? "; " : "", w->role == ROLE_PRODUCER ? 'P' : 'C',
		    w->index + 1, w->state == WS_SPINNING ?
		    ctl_spin_name(w->spin_on) : ctl_sem_name(w->blocked_on),
		    h.mutex ? ", holds mutex" : "");
	}
}

static enum stuck
stuck_kind(const struct session *s)
{
	int died = 0, producers_done = 1;

	for (unsigned i = 0; i < s->nprocs; i++) {
		const struct proc *p = &s->procs[i];
		int ok = !p->alive && WIFEXITED(p->status) &&
		    WEXITSTATUS(p->status) == 0;

		if (!p->alive && !ok)
			died = 1;
		if (p->role == ROLE_PRODUCER && !ok)
			producers_done = 0;
	}
	if (producers_done && s->opts.items)
		return STUCK_DRAINED;
	return died ? STUCK_HANG : STUCK_DEADLOCK;
}

/* Everyone stuck, twice, STUCK_CONFIRM_NS apart, with no step in between. */
static void
judge_stuck(struct judge *j, const struct session *s, const struct snap *sn)
{
	unsigned live[2] = { 0, 0 }, stuck = 0;
	uint64_t attempts = 0;

	if (j->stuck != STUCK_NO)
		return;
	for (unsigned i = 0; i < sn->nworkers; i++)
		if (sn->w[i].alive)
			live[sn->w[i].role]++;
	for (unsigned i = 0; i < sn->nworkers; i++) {
		const struct snap_worker *w = &sn->w[i];

		attempts += w->attempts;
		if (w->alive && stuck_worker(sn, w, live[!w->role]))
			stuck++;
	}
	if (stuck == 0 || stuck != live[0] + live[1]) {
		j->candidate_since = 0;
		return;
	}
	if (j->candidate_since == 0 || attempts != j->candidate_attempts) {
		j->candidate_since = sn->t;
		j->candidate_attempts = attempts;
		return;
	}
	if (sn->t - j->candidate_since < STUCK_CONFIRM_NS)
		return;
	j->stuck = stuck_kind(s);
	describe_stuck(j, sn);
}

uint64_t
judge_attempts(const struct snap *sn)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < sn->nworkers; i++)
		n += sn->w[i].attempts;
	return n;
}

void
judge_look(struct judge *j, const struct session *s, const struct snap *sn,
    const char *last_step, int quiet)
{
	unsigned np = s->opts.producers, nc = s->opts.consumers;
	int settled = quiet || judge_settled(sn);
	uint64_t attempts = judge_attempts(sn);

	j->fresh = j->fresh_lost = 0;
	j->quiescent = quiet || (settled && j->prev_settled &&
	    attempts == j->prev_attempts);
	j->prev_settled = settled;
	j->prev_attempts = attempts;
	/* Exact first: its values say more than the live bounds do. */
	if (j->quiescent) {
		judge_exact(j, s, sn, last_step);
		judge_items(j, s, sn);
	}
	judge_count_live(j, sn, np, nc);
	judge_stuck(j, s, sn);
}
