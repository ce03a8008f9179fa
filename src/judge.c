/* judge.c: what can be proven about a running ring, and only that */
#include "judge.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "pace.h"
#include "session.h"
#include "snap.h"
#include "sync.h"
#include "worker.h"

/* How long everyone must look stuck, unchanged, before it is named. */
#define STUCK_CONFIRM_NS (100 * INT64_C(1000000))

struct judge {
	int violated[INV_COUNT_ALL];    /* proven at least once */
	char detail[INV_COUNT_ALL][160];/* the values that proved it */
	char breaker[INV_COUNT_ALL][128];/* the step that broke it, if known */
	unsigned fresh;                 /* violations the last look proved: bit i
	                                   for invariant i */
	enum inv fresh_inv;             /* the first of them */
	int quiescent;                  /* the last look saw every worker settled */
	int checked;                    /* and checked every invariant exactly */
	char permits_note[160];         /* who held permits then: "P1 holds an
	                                   empty permit" */
	int fresh_clobber;              /* 1 + the producer whose write over an
	                                   unread item the last look proved */
	uint64_t clobber_more;          /* writes over unread items before it that
	                                   the looks missed */
	uint8_t place[CTL_MAX_WORKERS]; /* a worker killed mid-step: 1 it had not
	                                   finished the step, 2 it had; 0 unknown */
	uint64_t lost;                  /* items proven lost, at a quiescent moment */
	uint64_t lost_item;             /* the latest one named, as a token */
	int fresh_lost;                 /* the last look proved more lost */
	enum stuck stuck;               /* proven by two looks 100 ms apart */
	int asleep;                     /* a deadlock where every worker waits on
	                                   a condition variable */
	char stuck_text[400];           /* who waits on what, who holds the mutex */

	/* between looks */
	int64_t candidate_since;        /* first look that saw everyone stuck */
	uint64_t candidate_steps;       /* the steps taken, seen then */
	uint64_t overwrites[CTL_MAX_WORKERS]; /* each worker's, seen so far */
	uint64_t tallied;               /* attempts when items were last tallied */
	uint64_t clobbers[CTL_MAX_WORKERS]; /* each producer's, judged so far */
	int clobber_pending[CTL_MAX_WORKERS]; /* a new one waits for the consumers */
	uint64_t clobber_since[CTL_MAX_WORKERS][CTL_MAX_WORKERS];
	                                /* each worker's attempts when it was seen */
};

static const char *const inv_names[INV_COUNT_ALL] = {
	[INV_COUNT] = "count == produced - consumed",
	[INV_PERMITS] = "empty + full == capacity",
	[INV_FILL] = "fill == count",
};

struct judge *
judge_new(void)
{
	return calloc(1, sizeof(struct judge));
}

void
judge_free(struct judge *j)
{
	free(j);
}

size_t
judge_size(void)
{
	return sizeof(struct judge);
}

void
judge_save(const struct judge *j, void *bytes)
{
	memcpy(bytes, j, sizeof(*j));
}

void
judge_load(struct judge *j, const void *bytes)
{
	memcpy(j, bytes, sizeof(*j));
}

int
judge_violated(const struct judge *j, enum inv i)
{
	return j->violated[i];
}

const char *
judge_detail(const struct judge *j, enum inv i)
{
	return j->detail[i];
}

const char *
judge_breaker(const struct judge *j, enum inv i)
{
	return j->breaker[i];
}

unsigned
judge_fresh(const struct judge *j)
{
	return j->fresh;
}

enum inv
judge_fresh_inv(const struct judge *j)
{
	return j->fresh_inv;
}

int
judge_fresh_clobber(const struct judge *j, uint64_t *more)
{
	if (more != NULL)
		*more = j->clobber_more;
	return j->fresh_clobber;
}

int
judge_fresh_lost(const struct judge *j)
{
	return j->fresh_lost;
}

uint64_t
judge_lost(const struct judge *j)
{
	return j->lost;
}

uint64_t
judge_lost_item(const struct judge *j)
{
	return j->lost_item;
}

enum stuck
judge_stuck(const struct judge *j)
{
	return j->stuck;
}

const char *
judge_stuck_text(const struct judge *j)
{
	return j->stuck_text;
}

int
judge_asleep(const struct judge *j)
{
	return j->stuck == STUCK_DEADLOCK && j->asleep;
}

int
judge_deciding(const struct judge *j)
{
	return j->candidate_since != 0;
}

int
judge_quiescent(const struct judge *j)
{
	return j->quiescent;
}

int
judge_checked(const struct judge *j)
{
	return j->checked;
}

const char *
judge_permits_note(const struct judge *j)
{
	return j->permits_note;
}


const char *
judge_stuck_name(enum stuck k)
{
	switch (k) {
	case STUCK_DRAINED:
		return "drained";
	case STUCK_DEADLOCK:
		return "deadlock";
	case STUCK_HANG:
		return "hang";
	case STUCK_SPIN:
		return "spin";
	default:
		return "";
	}
}

const char *
judge_inv_name(enum inv i)
{
	return inv_names[i];
}

/* Blocked for good on a semaphore: its value is 0 and the kernel had the
 * worker asleep, so no post is on its way to it. */
static int
blocked_at_zero(const struct snap *sn, const struct snap_worker *w)
{
	/* in sem_wait and asleep in the kernel, or held at its gate by a
	 * stepper that knows its sem_wait would block */
	return w->alive && ((w->state == WS_BLOCKED && w->kstate == 'S') ||
	    (w->waits && w->state == WS_PAUSED) ||
	    ((w->cv_phase == CVP_WAITING || w->cv_phase == CVP_WOKEN) &&
	    w->state == WS_PAUSED)) &&
	    snap_sem(sn, w->blocked_on) == 0;
}

int
judge_blocked(const struct snap *sn, unsigned i)
{
	return blocked_at_zero(sn, &sn->w[i]);
}

int
judge_worker_settled(const struct snap *sn, unsigned i)
{
	const struct snap_worker *w = &sn->w[i];

	if (!w->alive)
		return 1;
	if (w->state == WS_PAUSED && w->run == RUN_PAUSED &&
	    w->attempts >= w->permit)
		return 1;
	if (w->state == WS_FINISHED)
		return 1;
	/* Asleep until its next deadline, at the top of its loop: it holds
	 * nothing and touches nothing until it wakes, which its attempts
	 * then show. */
	if (w->state == WS_SLEEPING)
		return 1;
	/* Asleep in sem_wait in the kernel though the semaphore is above 0:
	 * no post woke it (a sem_init on the live semaphore forgot it, see
	 * watch.c), and it moves only if another worker acts.  A post whose
	 * wake is on its way is made by a worker in a step, not settled. */
	if (w->alive && w->state == WS_BLOCKED && w->kstate == 'S' &&
	    (w->blocked_on == SEM_EMPTY || w->blocked_on == SEM_FULL ||
	    w->blocked_on == SEM_MUTEX))
		return 1;
	return blocked_at_zero(sn, w);
}

int
judge_settled(const struct snap *sn)
{
	if (sn->attempts != sn->attempts_after)
		return 0;
	for (unsigned i = 0; i < sn->nworkers; i++)
		if (!judge_worker_settled(sn, i))
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
	if (j->fresh == 0)
		j->fresh_inv = i;
	j->fresh |= 1u << i;
	va_start(ap, fmt);
	vsnprintf(j->detail[i], sizeof(j->detail[i]), fmt, ap);
	va_end(ap);
	snprintf(j->breaker[i], sizeof(j->breaker[i]), "%s",
	    last_step ? last_step : "");
}

/* A worker that saw its own store erase a change says so, with what it
 * read, found and wrote: the plainest proof there is, so it comes first. */
static void
judge_erased(struct judge *j, const struct snap *sn)
{
	for (unsigned i = 0; i < sn->nworkers; i++) {
		const struct snap_worker *w = &sn->w[i];
		char name[8], who[64];

		if (w->overwrites <= j->overwrites[i])
			continue;
		j->overwrites[i] = w->overwrites;
		ctl_name(w->role, w->index, name, sizeof(name));
		snprintf(who, sizeof(who), "%s count = r;", name);
		prove(j, INV_COUNT, who, "%s read count %d, found it %d when it "
		    "stored %d: the change between was erased", name,
		    w->ow_loaded, w->ow_found, w->ow_stored);
	}
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

	if (sn->count < lo || sn->count > hi)
		prove(j, INV_COUNT, NULL, "count %d, produced - consumed "
		    "between %lld and %lld", sn->count, (long long)lo,
		    (long long)hi);
}

static void judge_resolve(struct judge *j, const struct snap *sn,
    unsigned ways);

/* Where a worker may be in its loop: where it said, or, if it was killed
 * in the middle of a step, perhaps one step further: it publishes a step
 * once it has run it.  Returns how many places are possible. */
static unsigned
places(const struct snap_worker *w, unsigned n, unsigned at[2])
{
	at[0] = w->step < n ? w->step : 0;
	at[1] = (at[0] + 1) % n;
	if (w->alive || w->state == WS_PAUSED ||
	    (WIFEXITED(w->status) && WEXITSTATUS(w->status) == 0))
		return 1;
	return 2;
}

/* What the workers hold if each uncertain one is at the place its bit in
 * `choice` picks. */
struct held {
	int permits;            /* empty or full permits taken, not handed on */
	int ahead;              /* producers past their index move, less consumers */
	int64_t made;           /* count changes not yet in the counters */
};

/* Robust: a dead owner of m whose half-done change a repair has since
 * made good (count set from the indices) holds no change any more. */
static int
repaired_away(const struct snap *sn, unsigned i, const struct holding *h)
{
	if (sn->w[i].alive || !h->mutex || sn->sync != SYNC_ROBUST)
		return 0;
	return (snap_repaired(sn) >> i) & 1;
}

static void
holdings(const struct snap *sn, unsigned choice, struct held *out)
{
	unsigned bit = 0;

	memset(out, 0, sizeof(*out));
	for (unsigned i = 0; i < sn->nworkers; i++) {
		const struct snap_worker *w = &sn->w[i];
		int sign = w->role == ROLE_PRODUCER ? 1 : -1;
		const struct step *t;
		struct holding h;
		unsigned n, at[2], k = 0;

		t = steps_table(sn->sync, w->role, &n);
		if (places(w, n, at) == 2 && (choice >> bit++) & 1)
			k = 1;
		steps_holding(t, at[k], &h);
		out->permits += h.permit;
		if (repaired_away(sn, i, &h))
			continue;
		out->ahead += h.advanced ? sign : 0;
		/* count = r done, its counter not yet: the change is in count */
		if (k == 1 && (t[at[0]].flags & SF_COUNT))
			out->made += sign;
	}
}

static unsigned
uncertain(const struct snap *sn)
{
	unsigned u = 0;

	for (unsigned i = 0; i < sn->nworkers; i++) {
		unsigned n, at[2];

		steps_table(sn->sync, sn->w[i].role, &n);
		u += places(&sn->w[i], n, at) == 2;
	}
	return u;
}

/* "P1", "P1 and P2", "P1, P2 and P3": names joined as a sentence. */
static size_t
names_join(char *buf, size_t len, const struct snap *sn, const unsigned *who,
    unsigned n)
{
	size_t off = 0;

	buf[0] = '\0';
	for (unsigned k = 0; k < n && off < len; k++) {
		char name[8];

		off += (size_t)snprintf(buf + off, len - off, "%s%s",
		    k == 0 ? "" : k + 1 == n ? " and " : ", ",
		    ctl_name(sn->w[who[k]].role, sn->w[who[k]].index, name,
		    sizeof(name)));
	}
	return off < len ? off : len - 1;
}

/* Who holds the permits counted between the two semaphores, in words. */
static void
note_permits(struct judge *j, const struct snap *sn)
{
	size_t off = 0, len = sizeof(j->permits_note);

	j->permits_note[0] = '\0';
	for (int role = 0; role < 2 && off < len; role++) {
		unsigned who[CTL_MAX_WORKERS], n = 0;

		for (unsigned i = 0; i < sn->nworkers; i++) {
			const struct snap_worker *w = &sn->w[i];
			const struct step *t;
			struct holding h;
			unsigned steps, at[2];

			if ((int)w->role != role)
				continue;
			t = steps_table(sn->sync, w->role, &steps);
			if (places(w, steps, at) == 2 && j->place[i] == 0)
				continue;       /* not known: the note says nothing */
			steps_holding(t, at[places(w, steps, at) == 2 ?
			    j->place[i] - 1 : 0], &h);
			if (h.permit)
				who[n++] = i;
		}
		if (n == 0)
			continue;
		if (off > 0)
			off += (size_t)snprintf(j->permits_note + off, len - off,
			    "; ");
		off += names_join(j->permits_note + off, len - off, sn, who, n);
		if (off < len)
			off += (size_t)snprintf(j->permits_note + off, len - off,
			    " %s %s", n == 1 ? "holds" : "hold", role ==
			    ROLE_PRODUCER ? (n == 1 ? "an empty permit" :
			    "empty permits") : (n == 1 ? "a full permit" :
			    "full permits"));
	}
}

#define MAX_UNCERTAIN 8         /* 256 ways the killed may have stopped */

/*
 * At a quiescent moment every invariant can be checked exactly, but for
 * workers killed in the middle of a step: each may or may not have
 * finished it, and a violation is claimed only if no way they could have
 * stopped explains what is in memory.
 */
static void
judge_exact(struct judge *j, const struct snap *sn, const char *last_step)
{
	int64_t made = (int64_t)sn->changes[ROLE_PRODUCER] -
	    (int64_t)sn->changes[ROLE_CONSUMER];
	unsigned u = uncertain(sn), ways, ok_count = 0, ok_perm = 0, ok_fill = 0;
	int sems = sync_has_sems(sn->sync);
	struct held h0, h;

	if (u > MAX_UNCERTAIN)
		return;
	ways = 1u << u;
	holdings(sn, 0, &h0);
	for (unsigned c = 0; c < ways; c++) {
		holdings(sn, c, &h);
		ok_count += sn->count == made + h.made;
		ok_perm += sn->sem_empty + sn->sem_full + h.permits ==
		    (int)sn->capacity;
		ok_fill += (int64_t)sn->fill == (int64_t)sn->count + h.ahead;
	}
	if (ok_count == 0)
		prove(j, INV_COUNT, last_step, "count %d, produced %llu - "
		    "consumed %llu = %lld", sn->count,
		    (unsigned long long)sn->changes[ROLE_PRODUCER],
		    (unsigned long long)sn->changes[ROLE_CONSUMER],
		    (long long)made);
	if (sems && ok_perm == 0)
		prove(j, INV_PERMITS, last_step, "empty %d + full %d + %d held "
		    "!= %u", sn->sem_empty, sn->sem_full, h0.permits,
		    sn->capacity);
	if (ok_fill == 0)
		prove(j, INV_FILL, last_step, "fill %u, count %d%s", sn->fill,
		    sn->count, h0.ahead ? " (allowing for a step half done)" : "");
	if (sems && u > 0)
		judge_resolve(j, sn, ways);
	j->checked = 1;
	note_permits(j, sn);
}

/*
 * A worker killed in the middle of a step: the semaphores say whether it
 * finished it, when only one of its two places fits them.  Then what it
 * took with it is known (judge_took).
 */
static void
judge_resolve(struct judge *j, const struct snap *sn, unsigned ways)
{
	unsigned bit = 0;

	for (unsigned i = 0; i < sn->nworkers; i++) {
		const struct snap_worker *w = &sn->w[i];
		unsigned n, at[2], fits[2] = { 0, 0 };
		struct held h;

		steps_table(sn->sync, w->role, &n);
		if (places(w, n, at) == 1)
			continue;
		for (unsigned c = 0; c < ways; c++) {
			holdings(sn, c, &h);
			if (sn->sem_empty + sn->sem_full + h.permits ==
			    (int)sn->capacity)
				fits[(c >> bit) & 1]++;
		}
		if ((fits[0] == 0) != (fits[1] == 0))
			j->place[i] = fits[1] ? 2 : 1;
		bit++;
	}
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

int
judge_took(const struct judge *j, const struct snap *sn, unsigned i,
    int brief, char *buf, size_t len)
{
	const struct snap_worker *w = &sn->w[i];
	const struct step *t;
	struct holding h;
	unsigned n, at[2];

	t = steps_table(sn->sync, w->role, &n);
	if (places(w, n, at) == 2 && j->place[i] == 0)
		return -1;
	steps_holding(t, at[places(w, n, at) == 2 ? j->place[i] - 1 : 0], &h);
	h.mutex = steps_holds_mutex(t, at[places(w, n, at) == 2 ?
	    j->place[i] - 1 : 0], w->cv_phase);
	/* a robust m is handed on: only the permit is gone */
	if (sn->sync == SYNC_ROBUST && h.mutex) {
		if (!h.permit)
			return 0;
		snprintf(buf, len, "%s", brief ? "a permit, m handed on" :
		    w->role == ROLE_PRODUCER ? "an empty permit (m it held was "
		    "handed on)" : "a full permit (m it held was handed on)");
		return 1;
	}
	if (sync_has_m(sn->sync) && h.mutex) {
		snprintf(buf, len, "m");
		return 1;
	}
	if (!h.permit && !h.mutex)
		return 0;
	if (h.mutex && h.permit)
		snprintf(buf, len, "%s", brief ? "mutex+permit" :
		    w->role == ROLE_PRODUCER ? "the mutex and an empty permit" :
		    "the mutex and a full permit");
	else
		snprintf(buf, len, "%s", h.mutex ? "the mutex" :
		    w->role == ROLE_PRODUCER ? "an empty permit" : "a full permit");
	return 1;
}

/* A worker that can still move: alive, and not done with its items. */
static int
moving(const struct snap_worker *w)
{
	return w->alive && w->state != WS_FINISHED;
}

/* Whether a live worker can never move again. */
/* It spins, or its last try of its step did and it is paused there. */
static int
spinning(const struct snap_worker *w)
{
	return w->state == WS_SPINNING || (w->state == WS_PAUSED &&
	    w->spin_on != SPIN_NONE && !w->waits);
}

static int
stuck_worker(const struct snap *sn, const struct snap_worker *w,
    unsigned live_other)
{
	if (spinning(w))
		return live_other == 0;
	return blocked_at_zero(sn, w);
}

/* Who waits on what, and who holds the mutex: workers in the same plight
 * share a line, in the order they first appear. */
static void
describe_stuck(struct judge *j, const struct snap *sn)
{
	char what[CTL_MAX_WORKERS][64];
	int done[CTL_MAX_WORKERS] = { 0 };
	size_t off = 0, len = sizeof(j->stuck_text);

	for (unsigned i = 0; i < sn->nworkers; i++) {
		const struct snap_worker *w = &sn->w[i];
		const struct step *t;
		struct { int mutex; } h;
		unsigned n;

		t = steps_table(sn->sync, w->role, &n);
		h.mutex = steps_holds_mutex(t, w->step < n ? w->step : 0,
		    w->cv_phase);
		snprintf(what[i], sizeof(what[i]), "%s %s%s",
		    spinning(w) ? "while" : "on", spinning(w) ?
		    ctl_spin_name(w->spin_on) : ctl_sem_name(w->blocked_on),
		    h.mutex ? sync_has_m(sn->sync) ? ", holds m" :
		    ", holds mutex" : "");
	}
	j->stuck_text[0] = '\0';
	for (unsigned i = 0; i < sn->nworkers; i++) {
		unsigned many = 0;

		if (done[i] || !moving(&sn->w[i]))
			continue;
		off += (size_t)snprintf(j->stuck_text + off, len - off, "%s",
		    off ? "; " : "");
		for (unsigned k = i; k < sn->nworkers && off < len; k++) {
			const struct snap_worker *w = &sn->w[k];
			char name[8];

			if (done[k] || !moving(w) || strcmp(what[k], what[i]) != 0)
				continue;
			done[k] = 1;
			off += (size_t)snprintf(j->stuck_text + off, len - off,
			    "%s%s", many++ ? "," : "",
			    ctl_name(w->role, w->index, name, sizeof(name)));
		}
		if (off < len)
			off += (size_t)snprintf(j->stuck_text + off, len - off,
			    " %s%s %s", spinning(&sn->w[i]) ? "spin" : "wait",
			    many > 1 ? "" : "s", what[i]);
	}
}

/* Everyone asleep on condition variables: "P1 waits on empty, C1 and C2
 * wait on fill; nobody left to signal". */
static int
describe_asleep(struct judge *j, const struct snap *sn)
{
	static const unsigned cvs[] = { SEM_CV_EMPTY, SEM_CV_FILL, SEM_CV };
	size_t off = 0, len = sizeof(j->stuck_text);

	for (unsigned i = 0; i < sn->nworkers; i++)
		if (moving(&sn->w[i]) && !CTL_IS_CV(sn->w[i].blocked_on))
			return 0;
	j->stuck_text[0] = '\0';
	for (unsigned c = 0; c < 3 && off < len; c++) {
		unsigned who[CTL_MAX_WORKERS], n = 0;

		for (unsigned i = 0; i < sn->nworkers; i++)
			if (moving(&sn->w[i]) && sn->w[i].blocked_on == cvs[c])
				who[n++] = i;
		if (n == 0)
			continue;
		if (off > 0)
			off += (size_t)snprintf(j->stuck_text + off, len - off, ", ");
		off += names_join(j->stuck_text + off, len - off, sn, who, n);
		if (off < len)
			off += (size_t)snprintf(j->stuck_text + off, len - off,
			    " %s on %s", n == 1 ? "waits" : "wait",
			    ctl_sem_name(cvs[c]));
	}
	if (off < len)
		snprintf(j->stuck_text + off, len - off, "; nobody left to signal");
	return 1;
}

/* Items made and not yet taken, still in a slot. */
static uint64_t
items_left(const struct session *s, const struct snap *sn)
{
	struct tally t;

	snap_tally(s, sn, &t);
	return t.in_ring + t.in_flight;
}

static enum stuck
stuck_kind(const struct session *s, const struct snap *sn)
{
	int died = 0, producers_done = 1, spins = 0;

	for (unsigned i = 0; i < sn->nworkers; i++) {
		const struct snap_worker *w = &sn->w[i];
		int ok = w->state == WS_FINISHED || (!w->alive &&
		    WIFEXITED(w->status) && WEXITSTATUS(w->status) == 0);

		if (!w->alive && !ok)
			died = 1;
		if (w->role == ROLE_PRODUCER && !ok)
			producers_done = 0;
		spins |= moving(w) && spinning(w);
	}
	/* drained: nothing left to take; a count gone wrong may say so while
	 * items are still there, and the consumers spin beside them */
	if (producers_done && s->opts.items && items_left(s, sn) == 0)
		return STUCK_DRAINED;
	if (died)
		return STUCK_HANG;
	return spins ? STUCK_SPIN : STUCK_DEADLOCK;
}

/* Everyone stuck, twice, STUCK_CONFIRM_NS apart, with no step in between. */
static void
look_stuck(struct judge *j, const struct session *s, const struct snap *sn)
{
	unsigned live[2] = { 0, 0 }, stuck = 0;
	uint64_t steps = 0;

	if (j->stuck != STUCK_NO)
		return;
	for (unsigned i = 0; i < sn->nworkers; i++)
		if (moving(&sn->w[i]))
			live[sn->w[i].role]++;
	for (unsigned i = 0; i < sn->nworkers; i++) {
		const struct snap_worker *w = &sn->w[i];

		/* steps taken, not tried: a spinner tries without end */
		steps += w->steps;
		if (moving(w) && stuck_worker(sn, w, live[!w->role]))
			stuck++;
	}
	if (stuck == 0 || stuck != live[0] + live[1]) {
		j->candidate_since = 0;
		return;
	}
	if (j->candidate_since == 0 || steps != j->candidate_steps) {
		j->candidate_since = sn->t;
		j->candidate_steps = steps;
		return;
	}
	if (sn->t - j->candidate_since < STUCK_CONFIRM_NS)
		return;
	j->stuck = stuck_kind(s, sn);
	j->asleep = j->stuck == STUCK_DEADLOCK && describe_asleep(j, sn);
	if (!j->asleep)
		describe_stuck(j, sn);
	if (j->stuck == STUCK_SPIN && s->opts.items) {
		size_t off = strlen(j->stuck_text);
		uint64_t left = items_left(s, sn);

		if (left > 0)
			snprintf(j->stuck_text + off, sizeof(j->stuck_text) - off,
			    ", %llu item%s still in the ring", (unsigned long long)left,
			    left == 1 ? "" : "s");
	}
}

uint64_t
judge_attempts(const struct snap *sn)
{
	return sn->attempts;
}

enum mark
judge_mark(const struct judge *j, const struct snap *sn, enum inv i)
{
	if (i == INV_PERMITS && !sync_has_sems(sn->sync))
		return MARK_NA;
	if (j->violated[i])
		return MARK_BROKEN;
	return j->quiescent && j->checked ? MARK_HOLDS : MARK_UNKNOWN;
}

/*
 * A producer said it wrote over an item no consumer had taken.  A consumer
 * may have been reading that item at the very moment, and mark it taken
 * just after: the claim stands once every consumer has moved on since, or
 * was settled, and the item is still not taken.
 */
static void
judge_clobbers(struct judge *j, const struct snap *sn)
{
	j->fresh_clobber = 0;
	for (unsigned i = 0; i < sn->nworkers; i++) {
		const struct snap_worker *w = &sn->w[i];
		int sure = 1;

		if (w->role != ROLE_PRODUCER || w->clobbers <= j->clobbers[i])
			continue;
		if (!j->clobber_pending[i]) {
			j->clobber_pending[i] = 1;
			for (unsigned k = 0; k < sn->nworkers; k++)
				j->clobber_since[i][k] = sn->w[k].attempts;
		}
		for (unsigned k = 0; k < sn->nworkers; k++) {
			const struct snap_worker *c = &sn->w[k];

			if (c->role == ROLE_CONSUMER && c->alive &&
			    !judge_worker_settled(sn, k) &&
			    c->attempts <= j->clobber_since[i][k])
				sure = 0;
		}
		if (!sure)
			continue;
		if (w->clobbered_seen == 0 && j->fresh_clobber == 0) {
			j->fresh_clobber = (int)i + 1;
			j->clobber_more = w->clobbers - j->clobbers[i] - 1;
		}
		j->clobbers[i] = w->clobbers;
		j->clobber_pending[i] = 0;
	}
}

void
judge_look(struct judge *j, const struct session *s, const struct snap *sn,
    const char *last_step, int quiet)
{
	unsigned np = 0, nc = 0;
	int settled = quiet || judge_settled(sn);

	for (unsigned i = 0; i < sn->nworkers; i++)
		*(sn->w[i].role == ROLE_PRODUCER ? &np : &nc) += 1;

	j->fresh = j->fresh_lost = 0;
	/* Every worker settled, and no attempt made while the snapshot was
	 * read: what it shows is one moment of the ring. */
	j->quiescent = quiet || settled;
	j->checked = 0;
	/* A worker's own sight first, then the exact values of a quiet
	 * moment, then the live bounds: each says less than the one before. */
	judge_erased(j, sn);
	if (j->quiescent) {
		judge_exact(j, sn, last_step);
		judge_items(j, s, sn);
	}
	judge_count_live(j, sn, np, nc);
	judge_clobbers(j, sn);
	look_stuck(j, s, sn);
}
