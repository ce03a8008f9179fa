/* snap.c: what the supervisor reads of the ring and the workers at a moment */
#include "snap.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "pace.h"
#include "session.h"

/*
 * The latest erased update and the latest write over an unread item are
 * each three fields, which a worker may be writing afresh while they are
 * read: read again until the counter before them and after them agree.
 */
#define SNAP_TRIES 4

static void
snap_erased(const struct wctl *w, struct snap_worker *o)
{
	for (int k = 0; k < SNAP_TRIES; k++) {
		o->overwrites = atomic_load_explicit(&w->overwrites,
		    memory_order_acquire);
		o->ow_loaded = atomic_load_explicit(&w->ow_loaded, memory_order_relaxed);
		o->ow_found = atomic_load_explicit(&w->ow_found, memory_order_relaxed);
		o->ow_stored = atomic_load_explicit(&w->ow_stored, memory_order_relaxed);
		atomic_thread_fence(memory_order_acquire);
		if (atomic_load_explicit(&w->overwrites, memory_order_relaxed) ==
		    o->overwrites)
			break;
	}
}

static void
snap_clobbered(const struct wctl *w, struct snap_worker *o)
{
	for (int k = 0; k < SNAP_TRIES; k++) {
		o->clobbers = atomic_load_explicit(&w->clobbers, memory_order_acquire);
		o->clobbered = atomic_load_explicit(&w->clobbered,
		    memory_order_relaxed);
		o->clobber_by = atomic_load_explicit(&w->clobber_by,
		    memory_order_relaxed);
		o->clobber_slot = atomic_load_explicit(&w->clobber_slot,
		    memory_order_relaxed);
		atomic_thread_fence(memory_order_acquire);
		if (atomic_load_explicit(&w->clobbers, memory_order_relaxed) ==
		    o->clobbers)
			break;
	}
}

static void
snap_worker(const struct session *s, unsigned i, struct snap_worker *o)
{
	const struct wctl *w = &s->ctl->w[i];
	const struct proc *p = &s->procs[i];

	o->pid = p->pid;
	o->role = p->role;
	o->index = p->index;
	o->alive = p->alive;
	o->status = p->status;
	o->run = atomic_load_explicit(&w->run, memory_order_relaxed);
	o->state = atomic_load_explicit(&w->state, memory_order_relaxed);
	o->blocked_on = atomic_load_explicit(&w->blocked_on, memory_order_relaxed);
	o->waits = atomic_load_explicit(&w->waits, memory_order_relaxed);
	if (o->waits)
		o->blocked_on = o->waits;
	o->spin_on = atomic_load_explicit(&w->spin_on, memory_order_relaxed);
	o->permit = atomic_load_explicit(&w->permit, memory_order_relaxed);
	o->step = atomic_load_explicit(&w->step, memory_order_acquire);
	o->r = atomic_load_explicit(&w->r, memory_order_relaxed);
	o->slot = atomic_load_explicit(&w->slot, memory_order_relaxed);
	o->rate = atomic_load_explicit(&w->rate, memory_order_relaxed);
	o->steps = atomic_load_explicit(&w->steps, memory_order_relaxed);
	o->changes = atomic_load_explicit(&w->changes, memory_order_acquire);
	o->window = atomic_load_explicit(&w->window, memory_order_relaxed) != 0;
	snap_erased(w, o);
	o->done = atomic_load_explicit(&w->done, memory_order_relaxed);
	o->moved = atomic_load_explicit(&w->moved, memory_order_relaxed);
	o->dup = atomic_load_explicit(&w->dup, memory_order_relaxed);
	o->ooo = atomic_load_explicit(&w->ooo, memory_order_relaxed);
	o->first_ns = atomic_load_explicit(&w->first_ns, memory_order_relaxed);
	o->last_ns = atomic_load_explicit(&w->last_ns, memory_order_relaxed);
	o->empties = atomic_load_explicit(&w->empties, memory_order_acquire);
	o->empty_slot = atomic_load_explicit(&w->empty_slot, memory_order_relaxed);
	snap_clobbered(w, o);
	o->cv_phase = atomic_load_explicit(&w->cv_phase, memory_order_relaxed);
	o->cv_on = atomic_load_explicit(&w->cv_on, memory_order_relaxed);
	o->woke = atomic_load_explicit(&w->woke, memory_order_relaxed);
	o->woken_read = atomic_load_explicit(&w->woken_read, memory_order_relaxed);
	o->owner_dead = atomic_load_explicit(&w->owner_dead, memory_order_relaxed);
	o->dead_owner = atomic_load_explicit(&w->dead_owner, memory_order_relaxed);
	o->repaired_for = atomic_load_explicit(&w->repaired_for,
	    memory_order_relaxed);
	o->repair_from = atomic_load_explicit(&w->repair_from, memory_order_relaxed);
	o->repair_to = atomic_load_explicit(&w->repair_to, memory_order_relaxed);
	o->repaired = atomic_load_explicit(&w->repaired, memory_order_acquire);
	o->consistent = atomic_load_explicit(&w->consistent, memory_order_relaxed);
	/* in a wait: what it waits on is where it is in it */
	if (!o->waits && (o->cv_phase == CVP_WAITING ||
	    o->cv_phase == CVP_SLEEPING))
		o->blocked_on = o->cv_on;
	else if (!o->waits && o->cv_phase == CVP_WOKEN)
		o->blocked_on = SEM_M;
}

uint32_t
snap_repaired(const struct snap *sn)
{
	uint32_t mask = 0;

	for (unsigned k = 0; k < sn->nworkers; k++)
		mask |= sn->w[k].repaired_for;
	return mask;
}

int
snap_sem(const struct snap *sn, unsigned which)
{
	switch (which) {
	case SEM_EMPTY:
		return sn->sem_empty;
	case SEM_FULL:
		return sn->sem_full;
	case SEM_MUTEX:
		return sn->sem_mutex;
	case SEM_M:
		return sn->m_free;
	case SEM_CV_EMPTY:
	case SEM_CV_FILL:
	case SEM_CV:
		return 0;       /* only a signal ends a wait */
	default:
		return -1;
	}
}

char
snap_kstate(pid_t pid)
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

/* Whether a consumer has taken the item a producer wrote over: from the
 * consumers' record, while the item is still in its window. */
static int
snap_seen(const struct session *s, uint64_t token)
{
	unsigned p = ring_item_producer(token);
	uint64_t seq = ring_item_seq(token);

	if (token == 0 || p >= s->ctl->nprod ||
	    seq < atomic_load(&s->ctl->check[p].base))
		return -1;
	return check_seen(&s->ctl->check[p], seq);
}

void
snap_take(const struct session *s, struct snap *o)
{
	const struct ring *r = s->ring;
	int64_t moved = 0;

	/* Zero the header, padding too, so that snap_equal can compare bytes. */
	memset(o, 0, offsetof(struct snap, slots));
	o->t = pace_now();
	o->nworkers = s->nprocs;
	/* First: a worker that froze everyone did so after publishing the
	 * store that made it, which the loads below then see. */
	o->frozen = atomic_load(&s->ctl->frozen);
	/* Every worker's attempts before anything else of it: a step begun
	 * after this shows in the second reading, below. */
	for (unsigned i = 0; i < s->nprocs; i++) {
		o->w[i].attempts = atomic_load_explicit(&s->ctl->w[i].attempts,
		    memory_order_acquire);
		o->attempts += o->w[i].attempts;
	}
	for (unsigned i = 0; i < s->nprocs; i++) {
		struct snap_worker *w = &o->w[i];

		snap_worker(s, i, w);
		o->changes[w->role] += w->changes;
		/* a repair of count after an owner's death (robust) is a change
		 * too: up, as a producer's; down, as a consumer's */
		o->changes[w->repaired < 0] += (uint64_t)(w->repaired < 0 ?
		    -w->repaired : w->repaired);
		if (w->last_ns > o->last_item[w->role])
			o->last_item[w->role] = w->last_ns;
		if (w->role == ROLE_PRODUCER) {
			o->produced += w->done;
			moved += (int64_t)w->moved;
		} else {
			o->consumed += w->done;
			o->dup += w->dup;
			o->ooo += w->ooo;
			o->empties += w->empties;
			moved -= (int64_t)w->moved;
		}
	}
	o->capacity = r->capacity;
	o->sync = s->ctl->sync;
	o->head = atomic_load_explicit(&r->head, memory_order_relaxed);
	o->tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
	o->count = atomic_load(&r->count);
	/* Count changes read again after count: together they bound it. */
	for (unsigned i = 0; i < s->nprocs; i++) {
		int64_t fix = o->w[i].repaired;

		o->changes_after[o->w[i].role] += atomic_load_explicit(
		    &s->ctl->w[i].changes, memory_order_acquire);
		o->changes_after[fix < 0] += (uint64_t)(fix < 0 ? -fix : fix);
	}
	o->sem_empty = ring_sem_value(&r->empty);
	o->sem_full = ring_sem_value(&r->full);
	o->sem_mutex = ring_sem_value(&r->mutex);
	o->m_free = ring_mutex_free(r);
	/* head and tail set to 0 by a start the tutorial's way (n) */
	moved -= atomic_load(&s->ctl->moved_base);
	o->fill = ring_fill(o->head, o->tail, o->capacity, moved);
	for (uint32_t i = 0; i < o->capacity; i++)
		o->slots[i] = atomic_load_explicit(&r->slots[i],
		    memory_order_relaxed);
	for (unsigned i = 0; i < s->nprocs; i++) {
		struct snap_worker *w = &o->w[i];

		if (w->alive && w->state == WS_BLOCKED)
			w->kstate = snap_kstate(w->pid);
		if (w->clobbers)
			w->clobbered_seen = snap_seen(s, w->clobbered);
	}
	/* Attempts again, last: unchanged, no step ran while this was read
	 * (the workers fence each attempt off from the step after it). */
	atomic_thread_fence(memory_order_acquire);
	for (unsigned i = 0; i < s->nprocs; i++)
		o->attempts_after += atomic_load_explicit(&s->ctl->w[i].attempts,
		    memory_order_relaxed);
	if (seg_stat(s->shmid, &o->seg) == -1)
		memset(&o->seg, 0, sizeof(o->seg));
}

int
snap_equal(const struct snap *a, const struct snap *b)
{
	size_t from = offsetof(struct snap, capacity);

	return memcmp((const char *)a + from, (const char *)b + from,
	    offsetof(struct snap, slots) - from) == 0 &&
	    memcmp(a->slots, b->slots, a->capacity * sizeof(a->slots[0])) == 0;
}

/* Whether an item of producer p is still in a slot. */
static int
snap_in_ring(const struct snap *sn, unsigned p, uint64_t seq)
{
	uint64_t tok = ring_item(p, seq);

	for (uint32_t i = 0; i < sn->capacity; i++)
		if (sn->slots[i] == tok)
			return 1;
	return 0;
}

/* Of producer p's first `produced` items: those never consumed, counted as
 * still in the ring or as lost (naming the first lost ones). */
static void
snap_unconsumed(const struct session *s, const struct snap *sn, unsigned p,
    uint64_t produced, struct tally *t)
{
	const struct check *c = &s->ctl->check[p];
	uint64_t base = atomic_load(&c->base), settled = atomic_load(&c->lost);

	t->lost += settled;
	if (check_unseen(c, produced) == settled)
		return;         /* every item in the window arrived */
	for (uint64_t seq = base; seq < produced; seq++) {
		if (check_seen(c, seq))
			continue;
		if (snap_in_ring(sn, p, seq)) {
			t->in_ring++;
			continue;
		}
		t->lost++;
		if (t->nnamed < sizeof(t->named) / sizeof(t->named[0]))
			t->named[t->nnamed++] = ring_item(p, seq);
	}
}

void
snap_tally(const struct session *s, const struct snap *sn, struct tally *t)
{
	memset(t, 0, sizeof(*t));
	t->produced = sn->produced;
	t->consumed = sn->consumed;
	t->duplicated = sn->dup;
	t->out_of_order = sn->ooo;
	t->empties = sn->empties;
	for (unsigned i = 0; i < sn->nworkers; i++) {
		if (sn->w[i].role != ROLE_PRODUCER)
			continue;
		snap_unconsumed(s, sn, sn->w[i].index, sn->w[i].done, t);
		t->in_flight += snap_in_ring(sn, sn->w[i].index, sn->w[i].done);
	}
}
