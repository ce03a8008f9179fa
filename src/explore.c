/* explore.c: every interleaving of the workers' lines, run on real processes */
#include "explore.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ctl.h"
#include "opts.h"
#include "pace.h"
#include "schedule.h"
#include "session.h"
#include "sig.h"
#include "snap.h"
#include "worker.h"

/* Steps on one path, at most: far past any size a search can finish. */
#define EX_MAX_DEPTH 4096
/* A worker that does not come back from a step in this long has died. */
#define EX_BACK_TRY_NS (20 * INT64_C(1000000))
#define EX_BACK_GIVE_UP_NS (10 * INT64_C(1000000000))
#define EX_PROGRESS_NS (100 * INT64_C(1000000))

/* How many interleavings from a state end in one outcome, and the first
 * step of the shortest of them. */
struct ex_count {
	uint8_t mask;
	int8_t via;             /* the worker that takes it; -1 at an end state */
	uint32_t length;        /* steps to that end */
	explore_n count;
};

/* A state reached, with what its futures come to. */
struct ex_node {
	int32_t child[CTL_MAX_WORKERS]; /* after each worker's step; -1 none */
	struct ex_count *c;
	uint8_t n, cap;
	uint8_t busy;           /* its futures are being searched */
};

struct ex {
	const struct explore_opts *o;
	struct explore_result *r;
	struct session s;
	unsigned nw, np;
	size_t klen;            /* words of a state's key */
	uint64_t *keys;         /* node i's key at keys[i * klen] */
	struct ex_node *nodes;
	size_t nnodes, capnodes;
	uint32_t *table;        /* open addressing: node + 1, 0 empty */
	size_t tsize;
	uint64_t *key;          /* the key being built */
	struct snap *sn;        /* an end state, to be judged */
	char why[200];
	uint8_t path[EX_MAX_DEPTH];
	unsigned live;          /* the ring is at path[0, live) */
	uint32_t epoch;
	int64_t t0, next_progress;
	int failed;             /* a worker died, memory ran out */
	char *err;
	size_t errlen;
};

static const char *const oc_names[OC_KINDS] = {
	"lost update", "lost item", "duplicated", "empty read", "deadlock",
	"hang",
};

const char *
explore_n_text(explore_n n, char *buf, size_t len)
{
	char digits[48];
	size_t k = sizeof(digits) - 1;

	digits[k] = '\0';
	do {
		digits[--k] = (char)('0' + (int)(n % 10));
		n /= 10;
	} while (n > 0 && k > 0);
	snprintf(buf, len, "%s", digits + k);
	return buf;
}

const char *
explore_outcome_name(unsigned mask, char *buf, size_t len)
{
	size_t at = 0;

	if (mask == 0) {
		snprintf(buf, len, "correct");
		return buf;
	}
	buf[0] = '\0';
	for (unsigned k = 0; k < OC_KINDS; k++)
		if ((mask & (1u << k)) && at < len)
			at += (size_t)snprintf(buf + at, len - at, "%s%s",
			    at ? ", " : "", oc_names[k]);
	return buf;
}

static void
ex_fail(struct ex *x, const char *fmt, const char *what)
{
	if (!x->failed)
		snprintf(x->err, x->errlen, fmt, what);
	x->failed = 1;
}

/* Worker i's next line, from its step table. */
static const struct step *
ex_line(const struct ex *x, unsigned i)
{
	unsigned n;
	const struct step *t = steps_table(x->o->sync, x->s.procs[i].role, &n);

	return &t[atomic_load(&x->s.ctl->w[i].step) % n];
}

/* A producer with its items made, at the top of its loop: done. */
static int
ex_finished(const struct ex *x, unsigned i)
{
	const struct wctl *c = &x->s.ctl->w[i];

	return x->s.procs[i].role == ROLE_PRODUCER &&
	    atomic_load(&c->done) >= x->o->items && atomic_load(&c->step) == 0;
}

/* Whether worker i's next step can go on now (see steps_can_go). */
static int
ex_enabled(const struct ex *x, unsigned i)
{
	if (ex_finished(x, i))
		return 0;
	return steps_can_go(ex_line(x, i), x->s.ring, &x->s.ctl->w[i]);
}

/* Worker i is at its gate, the permit it was given used. */
static int
ex_parked(const struct ex *x, unsigned i)
{
	const struct wctl *c = &x->s.ctl->w[i];
	uint64_t attempts = atomic_load_explicit(&c->attempts,
	    memory_order_acquire);
	uint32_t state = atomic_load(&c->state);

	return (state == WS_PAUSED || state == WS_FINISHED) &&
	    attempts >= atomic_load(&c->permit) &&
	    atomic_load(&c->epoch_seen) == x->epoch;
}

/* Wait until worker i is parked; -1 (and the search fails) if it died. */
static int
ex_wait(struct ex *x, unsigned i, int fresh)
{
	struct wctl *c = &x->s.ctl->w[i];
	int64_t give_up = pace_now() + EX_BACK_GIVE_UP_NS;

	for (;;) {
		int64_t t = pace_now() + EX_BACK_TRY_NS;
		struct timespec ts = { t / PACE_NS_PER_S, t % PACE_NS_PER_S };

		if (ex_parked(x, i) && (!fresh ||
		    atomic_load(&c->state) == WS_PAUSED))
			return 0;
		if (sem_clockwait(&c->ack, CLOCK_MONOTONIC, &ts) == 0)
			continue;
		session_reap(&x->s, NULL, NULL);
		if (!x->s.procs[i].alive || pace_now() > give_up) {
			ex_fail(x, "%s: a worker did not come back from its step",
			    "explore");
			return -1;
		}
	}
}

/* Wait for every worker, just forked or sent back to the start, to stop
 * at its gate. */
static int
ex_all_parked(struct ex *x)
{
	for (unsigned i = 0; i < x->nw; i++)
		if (ex_wait(x, i, 1) == -1)
			return -1;
	return 0;
}

/* Let worker i take n steps in a row, nobody else moving; how many it
 * took (fewer: it could not go on), -1 if it died. */
static int
ex_steps(struct ex *x, unsigned i, unsigned n)
{
	struct wctl *c = &x->s.ctl->w[i];
	uint64_t before = atomic_load(&c->steps);

	while (sem_trywait(&c->ack) == 0)
		;       /* old news */
	atomic_store(&c->permit, atomic_load(&c->attempts) + n);
	sem_post(&c->gate);
	if (ex_wait(x, i, 0) == -1)
		return -1;
	n = (unsigned)(atomic_load(&c->steps) - before);
	x->r->steps += n;
	x->r->trips++;
	return (int)n;
}

/* One step of worker i: 1 if it took it, 0 if it could not go on after all
 * (it changed nothing), -1 if it died. */
static int
ex_step(struct ex *x, unsigned i)
{
	return ex_steps(x, i, 1);
}

/*
 * Back to the start on the same processes: every worker, paused at its
 * gate, starts afresh (worker 0 empties the ring), the records of arrivals
 * are cleared, and the path so far is taken again.
 */
static int
ex_restore(struct ex *x, unsigned depth)
{
	struct ctl *ctl = x->s.ctl;

	for (unsigned i = 0; i < x->nw; i++) {
		atomic_store(&ctl->w[i].permit, 0);
		while (sem_trywait(&ctl->w[i].ack) == 0)
			;
	}
	ctl_clear_checks(ctl, x->o->items);
	x->epoch++;
	atomic_store_explicit(&ctl->epoch, x->epoch, memory_order_release);
	for (unsigned i = 0; i < x->nw; i++)
		ctl_wake(ctl, i);
	if (ex_all_parked(x) == -1)
		return -1;
	x->r->schedules++;
	/* a worker's steps in a row go in one round trip: nobody else moves
	 * between them, so the ring ends where the steps one by one left it */
	for (x->live = 0; x->live < depth;) {
		unsigned w = x->path[x->live], n = 1;

		while (x->live + n < depth && x->path[x->live + n] == w)
			n++;
		if (ex_steps(x, w, n) != (int)n) {
			ex_fail(x, "%s: a replayed step did not do what it did "
			    "before", "explore");
			return -1;
		}
		x->live += n;
	}
	return 0;
}

/* Everything that can change what happens next, or how it is judged. */
static void
ex_key(struct ex *x, int last, unsigned used)
{
	const struct ring *ring = x->s.ring;
	const struct ctl *ctl = x->s.ctl;
	uint64_t words = (x->o->items + 63) / 64;
	uint64_t *k = x->key;

	*k++ = (uint64_t)(uint32_t)last << 32 | used;
	*k++ = (uint64_t)atomic_load(&ring->head) << 32 | atomic_load(&ring->tail);
	*k++ = (uint64_t)(uint32_t)atomic_load(&ring->count) << 32 |
	    (uint32_t)ring_sem_value(&ring->mutex);
	*k++ = (uint64_t)(uint32_t)ring_sem_value(&ring->empty) << 32 |
	    (uint32_t)ring_sem_value(&ring->full);
	for (uint32_t i = 0; i < x->o->capacity; i++)
		*k++ = atomic_load(&ring->slots[i]);
	*k++ = (uint64_t)ring_mutex_free(ring);
	for (unsigned i = 0; i < x->nw; i++) {
		const struct wctl *c = &ctl->w[i];
		uint32_t phase = atomic_load(&c->cv_phase), rank = 0;

		/* in a wait: its place in the line a signal wakes from, which
		 * is all its ticket says that matters */
		if (phase == CVP_WAITING)
			for (unsigned o = 0; o < x->nw; o++)
				rank += atomic_load(&ctl->w[o].cv_phase) == CVP_WAITING &&
				    atomic_load(&ctl->w[o].cv_on) ==
				    atomic_load(&c->cv_on) &&
				    atomic_load(&ctl->w[o].cv_ticket) <
				    atomic_load(&c->cv_ticket);
		*k++ = (uint64_t)phase << 40 | (uint64_t)atomic_load(&c->cv_on) << 32 |
		    rank;
		*k++ = (uint64_t)atomic_load(&c->step) << 32 |
		    (uint32_t)atomic_load(&c->r);
		*k++ = (uint64_t)atomic_load(&c->slot) << 32 |
		    (uint32_t)atomic_load(&c->done);
		*k++ = atomic_load(&c->changes) << 32 | atomic_load(&c->moved);
		*k++ = atomic_load(&c->dup) << 32 | atomic_load(&c->empties);
	}
	for (unsigned p = 0; p < x->np; p++) {
		*k++ = atomic_load(&ctl->check[p].base) << 32 |
		    atomic_load(&ctl->check[p].lost);
		for (uint64_t w = 0; w < words; w++)
			*k++ = atomic_load(&ctl->check[p].bits[w]);
	}
}

static uint64_t
ex_hash(const uint64_t *k, size_t n)
{
	uint64_t h = UINT64_C(0x9e3779b97f4a7c15);

	for (size_t i = 0; i < n; i++) {
		h ^= k[i] + UINT64_C(0x9e3779b97f4a7c15) + (h << 6) + (h >> 2);
		h *= UINT64_C(0xff51afd7ed558ccd);
		h ^= h >> 33;
	}
	return h;
}

static int
ex_grow_table(struct ex *x)
{
	size_t size = x->tsize ? x->tsize * 2 : 4096;
	uint32_t *t = calloc(size, sizeof(*t));

	if (t == NULL)
		return -1;
	for (size_t i = 0; i < x->nnodes; i++) {
		size_t at = ex_hash(&x->keys[i * x->klen], x->klen) & (size - 1);

		while (t[at])
			at = (at + 1) & (size - 1);
		t[at] = (uint32_t)(i + 1);
	}
	free(x->table);
	x->table = t;
	x->tsize = size;
	return 0;
}

/* The node of the key just built: found, or made (*made set). */
static int32_t
ex_node(struct ex *x, int *made)
{
	size_t at;

	*made = 0;
	if ((x->nnodes + 1) * 2 > x->tsize && ex_grow_table(x) == -1)
		goto nomem;
	at = ex_hash(x->key, x->klen) & (x->tsize - 1);
	for (; x->table[at]; at = (at + 1) & (x->tsize - 1)) {
		size_t i = x->table[at] - 1;

		if (memcmp(&x->keys[i * x->klen], x->key,
		    x->klen * sizeof(uint64_t)) == 0)
			return (int32_t)i;
	}
	if (x->nnodes == x->capnodes) {
		size_t cap = x->capnodes ? x->capnodes * 2 : 4096;
		struct ex_node *n = realloc(x->nodes, cap * sizeof(*n));
		uint64_t *k;

		if (n == NULL)
			goto nomem;
		x->nodes = n;
		if ((k = realloc(x->keys, cap * x->klen * sizeof(*k))) == NULL)
			goto nomem;
		x->keys = k;
		x->capnodes = cap;
	}
	memcpy(&x->keys[x->nnodes * x->klen], x->key, x->klen * sizeof(uint64_t));
	memset(&x->nodes[x->nnodes], 0, sizeof(struct ex_node));
	for (unsigned w = 0; w < CTL_MAX_WORKERS; w++)
		x->nodes[x->nnodes].child[w] = -1;
	x->table[at] = (uint32_t)(x->nnodes + 1);
	*made = 1;
	x->r->states++;
	return (int32_t)x->nnodes++;
nomem:
	ex_fail(x, "%s: out of memory: give a smaller size or a bound",
	    "explore");
	return -1;
}

/* Add `count` interleavings ending in `mask`, the shortest `length` steps
 * long by way of `via`. */
static int
ex_add(struct ex *x, struct ex_node *n, unsigned mask, explore_n count,
    uint32_t length, int via)
{
	for (unsigned k = 0; k < n->n; k++) {
		struct ex_count *c = &n->c[k];

		if (c->mask != mask)
			continue;
		if (c->count + count < c->count) {
			c->count = ~(explore_n)0;
			x->r->saturated = 1;
		} else
			c->count += count;
		if (length < c->length) {
			c->length = length;
			c->via = (int8_t)via;
		}
		return 0;
	}
	if (n->n == n->cap) {
		unsigned cap = n->cap ? n->cap * 2u : 2u;
		struct ex_count *c = realloc(n->c, cap * sizeof(*c));

		if (c == NULL) {
			ex_fail(x, "%s: out of memory", "explore");
			return -1;
		}
		n->c = c;
		n->cap = (uint8_t)(cap > 255 ? 255 : cap);
	}
	n->c[n->n++] = (struct ex_count){ (uint8_t)mask, (int8_t)via, length,
	    count };
	return 0;
}

/* What an end state is: the judge's tally of the ring, and who is stuck. */
static unsigned
ex_judge(struct ex *x)
{
	struct snap *sn = x->sn;
	struct tally t;
	unsigned mask = 0;
	int done = 1, spins = 0;
	int64_t made;

	snap_take(&x->s, sn);
	snap_tally(&x->s, sn, &t);
	made = (int64_t)sn->changes[ROLE_PRODUCER] -
	    (int64_t)sn->changes[ROLE_CONSUMER];
	if (sn->count != made)
		mask |= OC_LOST_UPDATE;
	if (t.lost)
		mask |= OC_LOST_ITEM;
	if (t.duplicated)
		mask |= OC_DUPLICATED;
	if (t.empties)
		mask |= OC_EMPTY_READ;
	for (unsigned i = 0; i < x->nw; i++) {
		if (x->s.procs[i].role == ROLE_PRODUCER && !ex_finished(x, i))
			done = 0;
		if (!ex_finished(x, i) && ex_line(x, i)->would_spin != NULL)
			spins = 1;
	}
	if (!done || t.in_ring + t.in_flight > 0)
		mask |= spins ? OC_HANG : OC_DEADLOCK;
	return mask;
}

static void
ex_tick(struct ex *x)
{
	int64_t now = pace_now();

	if (now < x->next_progress)
		return;
	x->next_progress = now + EX_PROGRESS_NS;
	sig_wait(-1, 0);        /* let a pending ^C in */
	if (x->o->progress != NULL)
		x->o->progress(x->o->progress_arg, x->r->schedules, x->r->states,
		    (double)(now - x->t0) / 1e9);
	if (x->o->time_limit_ns && now - x->t0 >= x->o->time_limit_ns &&
	    x->r->stop == EXPLORE_DONE)
		x->r->stop = EXPLORE_LIMIT;
}

static int
ex_stopped(struct ex *x)
{
	if (sig_quit)
		x->r->stop = EXPLORE_SIGNAL;
	return x->failed || x->r->stop != EXPLORE_DONE;
}

/*
 * The state the ring is in, after path[0, depth): its node, its futures
 * searched (each state's once).  `last` took the step before, `used`
 * preemptions so far.  -1 when the search failed.
 */
static int32_t
ex_visit(struct ex *x, unsigned depth, int last, unsigned used)
{
	unsigned enabled[CTL_MAX_WORKERS], ne = 0;
	int made, last_enabled = 0, first = 1, taken = 0, cut = 0;
	int bounded = x->o->preemptions >= 0;
	int32_t id;

	for (unsigned i = 0; i < x->nw; i++)
		if (ex_enabled(x, i)) {
			enabled[ne++] = i;
			if ((int)i == last)
				last_enabled = 1;
		}
	/* where no one can go on, or with no bound, the past does not matter */
	if (ne == 0 || !bounded)
		ex_key(x, -1, 0);
	else
		ex_key(x, last_enabled ? last : -1, used);
	if ((id = ex_node(x, &made)) < 0)
		return -1;
	if (!made) {
		if (x->nodes[id].busy)
			ex_fail(x, "%s: a state came back on its own path",
			    "explore");
		return x->failed ? -1 : id;
	}
	if (ne == 0) {
		x->r->end_states++;
		return ex_add(x, &x->nodes[id], ex_judge(x), 1, 0, -1) == -1 ?
		    -1 : id;
	}
	if (depth >= EX_MAX_DEPTH) {
		ex_fail(x, "%s: a path longer than 4096 steps", "explore");
		return -1;
	}
	x->nodes[id].busy = 1;
	for (unsigned k = 0; k < ne; k++) {
		unsigned w = enabled[k];
		int preempt = last_enabled && (int)w != last;
		int32_t c;
		int r;

		if (bounded && used + (unsigned)preempt >
		    (unsigned)x->o->preemptions) {
			x->r->bounded = 1;
			cut = 1;
			continue;
		}
		ex_tick(x);
		if (ex_stopped(x))
			break;
		if (!first || x->live != depth) {
			/* a new run from a fresh ring: one more schedule */
			if (x->r->schedules >= x->o->max_schedules) {
				x->r->stop = EXPLORE_LIMIT;
				break;
			}
			if (ex_restore(x, depth) == -1)
				return -1;
		}
		first = 0;
		x->path[depth] = (uint8_t)w;
		if ((r = ex_step(x, w)) == -1)
			return -1;
		if (r == 0) {
			x->live = depth;
			continue;       /* it could not go on: no step */
		}
		x->live = depth + 1;
		taken++;
		if ((c = ex_visit(x, depth + 1, (int)w, used +
		    (unsigned)preempt)) < 0)
			return -1;
		x->nodes[id].child[w] = c;
		/* the child's counts, copied: adding may move the arrays */
		for (unsigned j = 0; j < x->nodes[c].n; j++) {
			struct ex_count cc = x->nodes[c].c[j];

			if (ex_add(x, &x->nodes[id], cc.mask, cc.count,
			    cc.length + 1, (int)w) == -1)
				return -1;
		}
	}
	x->nodes[id].busy = 0;
	/* every step it could take turned out not to move: no one can go on
	 * after all, and it is an end state */
	if (taken == 0 && !cut && !ex_stopped(x)) {
		x->r->end_states++;
		if (ex_add(x, &x->nodes[id], ex_judge(x), 1, 0, -1) == -1)
			return -1;
	}
	return id;
}

/*
 * The steps that show an end state stuck in a replay: each producer done
 * with its items takes the step that finishes it (a replay's judge counts a
 * producer that could still be stepped as able to move), then each worker
 * that cannot go on tries, to be held or seen spinning.
 */
static int
ex_stuck_tail(struct ex *x, struct schedule *s)
{
	for (unsigned i = 0; i < x->nw; i++)
		if (ex_finished(x, i) &&
		    schedule_push(s, x->s.procs[i].role, x->s.procs[i].index) == -1)
			return -1;
	for (unsigned i = 0; i < x->nw; i++)
		if (!ex_finished(x, i) && !ex_enabled(x, i) &&
		    schedule_push(s, x->s.procs[i].role, x->s.procs[i].index) == -1)
			return -1;
	return 0;
}

/* The shortest path to `mask` from the root, as a schedule; an end where
 * workers are stuck gets one more step of each, to be seen stuck. */
static char *
ex_shortest(struct ex *x, int32_t root, unsigned mask)
{
	struct schedule s = { 0 };
	int32_t at = root;
	unsigned depth = 0;
	char *text = NULL;

	for (;;) {
		const struct ex_node *n = &x->nodes[at];
		const struct ex_count *c = NULL;

		for (unsigned k = 0; k < n->n; k++)
			if (n->c[k].mask == mask)
				c = &n->c[k];
		if (c == NULL || c->via < 0)
			break;
		if (schedule_push(&s, x->s.procs[c->via].role,
		    x->s.procs[c->via].index) == -1)
			goto out;
		x->path[depth++] = (uint8_t)c->via;
		at = n->child[c->via];
		if (at < 0)
			break;
	}
	if ((mask & (OC_DEADLOCK | OC_HANG)) && !x->failed) {
		/* to the end state on the ring, to see who is stuck there */
		if (ex_restore(x, depth) == -1 || ex_stuck_tail(x, &s) == -1)
			goto out;
	}
	text = schedule_format(&s);
out:
	schedule_free(&s);
	return text;
}

static int
ex_order(const void *a, const void *b)
{
	const struct explore_outcome *p = a, *q = b;

	return (p->mask > q->mask) - (p->mask < q->mask);
}

int
explore_run(const struct explore_opts *o, struct explore_result *r,
    char *err, size_t len)
{
	struct ex *x = calloc(1, sizeof(*x));
	struct opts so;
	int32_t root = -1;
	int status = -1;

	memset(r, 0, sizeof(*r));
	if (x == NULL) {
		snprintf(err, len, "explore: out of memory");
		return -1;
	}
	x->o = o;
	x->r = r;
	x->err = err;
	x->errlen = len;
	x->nw = o->producers + o->consumers;
	x->np = o->producers;
	x->klen = 5 + o->capacity + 5 * x->nw + x->np * (1 + (o->items + 63) / 64);
	if ((x->key = calloc(x->klen, sizeof(uint64_t))) == NULL ||
	    (x->sn = malloc(sizeof(*x->sn))) == NULL) {
		snprintf(err, len, "explore: out of memory");
		free(x->key);
		free(x);
		return -1;
	}
	opts_defaults(&so);
	so.sync = o->sync;
	so.producers = o->producers;
	so.consumers = o->consumers;
	so.capacity = o->capacity;
	so.items = o->items;
	so.prod_rate = so.cons_rate = 0;
	so.start_paused = 1;
	if (session_start(&x->s, &so, x->why, sizeof(x->why)) == -1) {
		snprintf(err, len, "explore: %s", x->why);
		goto out;
	}
	x->t0 = pace_now();
	x->next_progress = x->t0 + EX_PROGRESS_NS;
	if (ex_all_parked(x) == 0) {
		r->schedules = 1;
		root = ex_visit(x, 0, -1, 0);
	}
	r->elapsed_s = (double)(pace_now() - x->t0) / 1e9;
	if (root >= 0) {
		const struct ex_node *n = &x->nodes[root];

		for (unsigned k = 0; k < n->n; k++) {
			struct explore_outcome *e = &r->out[r->n++];

			e->mask = n->c[k].mask;
			e->count = n->c[k].count;
			e->length = n->c[k].length;
			if (r->interleavings + e->count < r->interleavings) {
				r->interleavings = ~(explore_n)0;
				r->saturated = 1;
			} else
				r->interleavings += e->count;
		}
		uint64_t schedules = r->schedules, steps = r->steps;
		uint64_t trips = r->trips;

		qsort(r->out, r->n, sizeof(r->out[0]), ex_order);
		/* the runs that find who is stuck at an end are not the search's */
		for (unsigned k = 0; k < r->n && !x->failed; k++)
			r->out[k].shortest = ex_shortest(x, root, r->out[k].mask);
		r->schedules = schedules;
		r->steps = steps;
		r->trips = trips;
	}
	status = x->failed ? -1 : 0;
	session_stop(&x->s);
	session_end(&x->s);
out:
	for (size_t i = 0; i < x->nnodes; i++)
		free(x->nodes[i].c);
	free(x->nodes);
	free(x->keys);
	free(x->table);
	free(x->key);
	free(x->sn);
	free(x);
	if (status == -1)
		explore_result_free(r);
	return status;
}

double
explore_share(const struct explore_result *r, explore_n count)
{
	return r->interleavings ? 100.0 * (double)count /
	    (double)r->interleavings : 0;
}

void
explore_result_free(struct explore_result *r)
{
	for (unsigned k = 0; k < r->n; k++) {
		free(r->out[k].shortest);
		r->out[k].shortest = NULL;
	}
}
