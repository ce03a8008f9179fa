/* steps.c: each sync mode's loops, one table row per line of code */
#include "worker.h"

#include <errno.h>
#include <sched.h>
#include <time.h>

#include "pace.h"

#define RELAXED memory_order_relaxed

/* Wait for the next deadline at the set rate.  Stepping skips the delay. */
static enum step_result
step_pace(struct worker *w)
{
	struct wctl *me = w->me;
	uint64_t rate = atomic_load(&me->rate);
	int64_t now, period, next;
	struct timespec ts;

	if (w->role == ROLE_PRODUCER && w->ctl->items && w->seq >= w->ctl->items)
		return STEP_FINISH;
	/* Unpaced, or let through one step: no deadline to wait for. */
	if (rate == PACE_MAX || atomic_load(&me->run) == RUN_PAUSED) {
		w->resync = 1;
		return STEP_NEXT;
	}
	now = pace_now();
	period = pace_period_ns(rate);
	if (w->resync) {
		w->prev = now - period;
		w->resync = 0;
	}
	next = pace_next(w->prev, period, now);
	if (next <= now) {
		w->prev = next;
		return STEP_NEXT;
	}
	ts.tv_sec = next / PACE_NS_PER_S;
	ts.tv_nsec = next % PACE_NS_PER_S;
	worker_stamp(w);
	atomic_store(&me->state, WS_SLEEPING);
	if (sem_clockwait(&me->wake, CLOCK_MONOTONIC, &ts) == -1 &&
	    errno == ETIMEDOUT) {
		atomic_store(&me->state, WS_RUNNING);
		w->prev = next;
		return STEP_NEXT;
	}
	/* Woken by a command: a new rate, a pause or a stop.  Look again. */
	atomic_store(&me->state, WS_RUNNING);
	return STEP_AGAIN;
}

/* sem_wait, published: a worker that must block says on what. */
static enum step_result
wait_on(struct worker *w, sem_t *sem, enum wsem which)
{
	struct wctl *me = w->me;

	if (sem_trywait(sem) == 0)
		return STEP_NEXT;
	worker_stamp(w);
	atomic_store(&me->blocked_on, which);
	atomic_store(&me->state, WS_BLOCKED);
	while (sem_wait(sem) == -1) {
		if (errno != EINTR)
			return STEP_FAIL;
		if (atomic_load(&w->ctl->stop)) {
			w->interrupted = 1;
			atomic_store(&me->state, WS_RUNNING);
			return STEP_AGAIN;
		}
	}
	atomic_store(&me->state, WS_RUNNING);
	return STEP_NEXT;
}

/* A step that cannot go on yet: say why, let others run, try again. */
static enum step_result
spin(struct worker *w, enum wspin why)
{
	worker_stamp(w);
	atomic_store(&w->me->spin_on, why);
	atomic_store(&w->me->state, WS_SPINNING);
	w->interrupted = 1;     /* nothing half done: it may leave on a stop */
	sched_yield();
	return STEP_AGAIN;
}

static enum step_result
step_wait_empty(struct worker *w)
{
	return wait_on(w, &w->ring->empty, SEM_EMPTY);
}

static enum step_result
step_wait_full(struct worker *w)
{
	return wait_on(w, &w->ring->full, SEM_FULL);
}

static enum step_result
step_wait_mutex(struct worker *w)
{
	return wait_on(w, &w->ring->mutex, SEM_MUTEX);
}

static enum step_result
step_post_full(struct worker *w)
{
	sem_post(&w->ring->full);
	return STEP_NEXT;
}

static enum step_result
step_post_empty(struct worker *w)
{
	sem_post(&w->ring->empty);
	return STEP_NEXT;
}

static enum step_result
step_post_mutex(struct worker *w)
{
	sem_post(&w->ring->mutex);
	return STEP_NEXT;
}

/* Say which slot a write or read was at, and the item: the trace of a
 * stepped session shows it. */
static void
io(struct worker *w, uint32_t slot)
{
	atomic_store_explicit(&w->me->io_slot, slot, RELAXED);
	atomic_store_explicit(&w->me->io_item, w->item, RELAXED);
}

/* A producer about to write over an item that no consumer has taken says
 * so, with both items and the slot: the supervisor names it once it is
 * sure no consumer was in the middle of reading it. */
static void
check_clobber(struct worker *w, uint32_t slot)
{
	uint64_t old = atomic_load_explicit(&w->ring->slots[slot], RELAXED);
	unsigned p = ring_item_producer(old);
	struct wctl *me = w->me;

	if (old == 0 || p >= w->ctl->nprod ||
	    check_seen(&w->ctl->check[p], ring_item_seq(old)))
		return;
	atomic_store_explicit(&me->clobbered, old, RELAXED);
	atomic_store_explicit(&me->clobber_by, w->item, RELAXED);
	atomic_store_explicit(&me->clobber_slot, slot, RELAXED);
	atomic_fetch_add_explicit(&me->clobbers, 1, memory_order_release);
}

static enum step_result
step_write(struct worker *w)
{
	uint32_t h = atomic_load_explicit(&w->ring->head, RELAXED) %
	    w->ring->capacity;

	w->item = ring_item(w->index, w->seq);
	if (w->check_writes)
		check_clobber(w, h);
	atomic_store_explicit(&w->ring->slots[h], w->item, RELAXED);
	io(w, h);
	return STEP_NEXT;
}

/* index = (index + 1) % capacity, as a separate load and store. */
static enum step_result
advance(struct worker *w, _Atomic uint32_t *index)
{
	uint32_t i = atomic_load_explicit(index, RELAXED);

	atomic_store_explicit(index, ring_next(i, w->ring->capacity), RELAXED);
	atomic_fetch_add_explicit(&w->me->moved, 1, RELAXED);
	return STEP_NEXT;
}

static enum step_result
step_advance_head(struct worker *w)
{
	return advance(w, &w->ring->head);
}

static enum step_result
step_advance_tail(struct worker *w)
{
	return advance(w, &w->ring->tail);
}

/* Record what arrived: the consumers' check that makes the counts exact. */
static void
check_arrival(struct worker *w, uint64_t token, uint32_t slot)
{
	struct wctl *me = w->me;
	unsigned p = ring_item_producer(token);
	uint64_t seq = ring_item_seq(token);

	if (token == 0 || p >= w->ctl->nprod) {
		atomic_store_explicit(&me->empty_slot, slot, RELAXED);
		atomic_fetch_add_explicit(&me->empties, 1, memory_order_release);
		return;
	}
	if (check_item(&w->ctl->check[p], seq) == CHECK_DUP)
		atomic_fetch_add_explicit(&me->dup, 1, RELAXED);
	else if (seq + 1 < w->newest[p])
		atomic_fetch_add_explicit(&me->ooo, 1, RELAXED);
	if (seq + 1 > w->newest[p])
		w->newest[p] = seq + 1;
}

static enum step_result
step_read(struct worker *w)
{
	uint32_t t = atomic_load_explicit(&w->ring->tail, RELAXED) %
	    w->ring->capacity;

	w->item = atomic_load_explicit(&w->ring->slots[t], RELAXED);
	io(w, t);
	check_arrival(w, w->item, t);
	return STEP_NEXT;
}

/* count++ and count-- as the CPU runs them: load, change, store. */
static enum step_result
step_load(struct worker *w)
{
	/* With freeze on, others see this worker holding a copy of count
	 * before it reads count: a store it will erase sees it (Dekker's
	 * pairing, with the fence in others_in_window). */
	if (atomic_load_explicit(&w->ctl->freeze, RELAXED)) {
		atomic_store(&w->me->window, 1);
		atomic_thread_fence(memory_order_seq_cst);
	}
	w->r = w->loaded = atomic_load_explicit(&w->ring->count, RELAXED);
	atomic_store_explicit(&w->me->r, w->r, RELAXED);
	return STEP_NEXT;
}

static enum step_result
step_add(struct worker *w)
{
	w->r = w->r + 1;
	atomic_store_explicit(&w->me->r, w->r, RELAXED);
	return STEP_NEXT;
}

static enum step_result
step_sub(struct worker *w)
{
	w->r = w->r - 1;
	atomic_store_explicit(&w->me->r, w->r, RELAXED);
	return STEP_NEXT;
}

/*
 * With freeze on, whether the update just stored will be erased: another
 * worker running free holds a copy of count it has yet to store.  Either
 * that worker's read of count saw this store, or this look sees its window
 * flag: each sets its flag (or stores) before a full fence, then looks.
 */
static int
others_in_window(struct worker *w)
{
	atomic_thread_fence(memory_order_seq_cst);
	for (uint32_t k = 0; k < w->ctl->nworkers; k++) {
		const struct wctl *o = &w->ctl->w[k];

		if (o == w->me || atomic_load_explicit(&o->gone, RELAXED) ||
		    atomic_load_explicit(&o->run, RELAXED) != RUN_FREE)
			continue;
		if (atomic_load_explicit(&o->window, RELAXED))
			return 1;
	}
	return 0;
}

/*
 * The store that loses an update when count moved since the load.  It is a
 * plain store of r, whatever count holds; made as an exchange, it also
 * tells the worker exactly what it replaced, so that every erased update
 * is seen, and proven, by the store that erased it.
 */
static enum step_result
step_store(struct worker *w)
{
	int32_t found = atomic_exchange_explicit(&w->ring->count, w->r, RELAXED);

	if (atomic_load_explicit(&w->me->window, RELAXED))
		atomic_store_explicit(&w->me->window, 0, RELAXED);
	if (found != w->loaded) {
		atomic_store_explicit(&w->me->ow_loaded, w->loaded, RELAXED);
		atomic_store_explicit(&w->me->ow_found, found, RELAXED);
		atomic_store_explicit(&w->me->ow_stored, w->r, RELAXED);
		atomic_fetch_add_explicit(&w->me->overwrites, 1,
		    memory_order_release);
	}
	atomic_fetch_add_explicit(&w->me->changes, 1, memory_order_release);
	/* Seen erasing an update, or sure to have this one erased: everyone
	 * stops at their next gate, but for a worker that holds a copy of
	 * count, which goes on to its store: the erase happens, and no more. */
	if (!atomic_load_explicit(&w->ctl->freeze, RELAXED))
		return STEP_NEXT;
	if (found != w->loaded)
		atomic_store(&w->ctl->frozen, FROZEN_ERASED);
	else if (atomic_load_explicit(&w->me->run, RELAXED) == RUN_FREE &&
	    others_in_window(w)) {
		uint32_t no = FROZEN_NO;

		/* an erase already seen stays the reason */
		atomic_compare_exchange_strong(&w->ctl->frozen, &no,
		    FROZEN_COMING);
	}
	return STEP_NEXT;
}

/* Atomic mode: each index is claimed with one read-modify-write. */
static enum step_result
claim(struct worker *w, _Atomic uint32_t *index)
{
	uint32_t i = atomic_load(index);

	while (!atomic_compare_exchange_weak(index, &i,
	    ring_next(i, w->ring->capacity)))
		;
	w->slot = i % w->ring->capacity;
	atomic_store_explicit(&w->me->slot, w->slot, RELAXED);
	atomic_fetch_add_explicit(&w->me->moved, 1, RELAXED);
	return STEP_NEXT;
}

static enum step_result
step_claim_head(struct worker *w)
{
	return claim(w, &w->ring->head);
}

static enum step_result
step_claim_tail(struct worker *w)
{
	return claim(w, &w->ring->tail);
}

/* Two producers may claim slots in one order and fill them in the other:
 * a slot is written only once it is empty, and taken only once it is full,
 * so no item is overwritten or read twice. */
static enum step_result
step_put(struct worker *w)
{
	uint64_t expect = 0;

	w->item = ring_item(w->index, w->seq);
	if (!atomic_compare_exchange_strong(&w->ring->slots[w->slot], &expect,
	    w->item))
		return spin(w, SPIN_SLOT_FREE);
	io(w, w->slot);
	return STEP_NEXT;
}

static enum step_result
step_take(struct worker *w)
{
	w->item = atomic_exchange(&w->ring->slots[w->slot], 0);
	if (w->item == 0)
		return spin(w, SPIN_SLOT_FULL);
	io(w, w->slot);
	check_arrival(w, w->item, w->slot);
	return STEP_NEXT;
}

static enum step_result
step_count_inc(struct worker *w)
{
	atomic_fetch_add(&w->ring->count, 1);
	atomic_fetch_add_explicit(&w->me->changes, 1, memory_order_release);
	return STEP_NEXT;
}

static enum step_result
step_count_dec(struct worker *w)
{
	atomic_fetch_sub(&w->ring->count, 1);
	atomic_fetch_add_explicit(&w->me->changes, 1, memory_order_release);
	return STEP_NEXT;
}

/* Whether a spinning step would spin now, from the ring alone: the steps
 * ask it, and so does a stepper that wants to know before it lets one go. */
static int
full_ring(const struct ring *r, uint32_t slot)
{
	(void)slot;
	return atomic_load_explicit(&r->count, RELAXED) >= (int32_t)r->capacity;
}

static int
empty_ring(const struct ring *r, uint32_t slot)
{
	(void)slot;
	return atomic_load_explicit(&r->count, RELAXED) <= 0;
}

/* No semaphores: each side looks at count and goes on if it seems fine. */
static enum step_result
step_room(struct worker *w)
{
	return full_ring(w->ring, 0) ? spin(w, SPIN_ROOM) : STEP_NEXT;
}

static enum step_result
step_items(struct worker *w)
{
	return empty_ring(w->ring, 0) ? spin(w, SPIN_ITEM) : STEP_NEXT;
}

static int
slot_taken(const struct ring *r, uint32_t slot)
{
	return atomic_load_explicit(&r->slots[slot % r->capacity], RELAXED) != 0;
}

static int
slot_empty(const struct ring *r, uint32_t slot)
{
	return atomic_load_explicit(&r->slots[slot % r->capacity], RELAXED) == 0;
}

#define PACE { \
	.name = "pace", .code = "wait_for_next_deadline();", \
	.run = step_pace }
#define WAIT_EMPTY { \
	.name = "wait empty", .code = "sem_wait(&empty);", \
	.run = step_wait_empty, .flags = SF_TAKE_PERMIT, .waits = SEM_EMPTY }
#define WAIT_FULL { \
	.name = "wait full", .code = "sem_wait(&full);", \
	.run = step_wait_full, .flags = SF_TAKE_PERMIT, .waits = SEM_FULL }
#define WAIT_MUTEX { \
	.name = "wait mutex", .code = "sem_wait(&mutex);", \
	.run = step_wait_mutex, .flags = SF_TAKE_MUTEX, .waits = SEM_MUTEX }
#define POST_MUTEX { \
	.name = "post mutex", .code = "sem_post(&mutex);", \
	.run = step_post_mutex, .flags = SF_GIVE_MUTEX }
#define POST_FULL { \
	.name = "post full", .code = "sem_post(&full);", \
	.run = step_post_full, .flags = SF_GIVE_PERMIT }
#define POST_EMPTY { \
	.name = "post empty", .code = "sem_post(&empty);", \
	.run = step_post_empty, .flags = SF_GIVE_PERMIT }
#define WRITE { \
	.name = "write", .code = "slots[head] = item;", .run = step_write, \
	.flags = SF_DATA }
#define READ { \
	.name = "read", .code = "item = slots[tail];", .run = step_read, \
	.flags = SF_DATA }
#define ADV_HEAD { \
	.name = "advance", .code = "head = (head + 1) % capacity;", \
	.run = step_advance_head, .flags = SF_ADVANCE }
#define ADV_TAIL { \
	.name = "advance", .code = "tail = (tail + 1) % capacity;", \
	.run = step_advance_tail, .flags = SF_ADVANCE }
#define LOAD { \
	.name = "load", .code = "r = count;", .run = step_load, \
	.flags = SF_LOAD }
#define ADD { \
	.name = "add", .code = "r = r + 1;", .run = step_add, .flags = SF_REG }
#define SUB { \
	.name = "sub", .code = "r = r - 1;", .run = step_sub, .flags = SF_REG }
#define STORE { \
	.name = "store", .code = "count = r;", .run = step_store, \
	.flags = SF_COUNT }

static const struct step seed_p[] = {
	PACE, WAIT_EMPTY, WRITE, ADV_HEAD, LOAD, ADD, STORE, POST_FULL,
};
static const struct step seed_c[] = {
	PACE, WAIT_FULL, READ, ADV_TAIL, LOAD, SUB, STORE, POST_EMPTY,
};
static const struct step mutex_p[] = {
	PACE, WAIT_EMPTY, WAIT_MUTEX, WRITE, ADV_HEAD, LOAD, ADD, STORE,
	POST_MUTEX, POST_FULL,
};
static const struct step mutex_c[] = {
	PACE, WAIT_FULL, WAIT_MUTEX, READ, ADV_TAIL, LOAD, SUB, STORE,
	POST_MUTEX, POST_EMPTY,
};
static const struct step atomic_p[] = {
	PACE, WAIT_EMPTY,
	{ .name = "claim", .code = "i = fetch_inc_mod(&head);",
	    .run = step_claim_head, .flags = SF_ADVANCE },
	{ .name = "put", .code = "cas(&slots[i], EMPTY, item);",
	    .run = step_put, .flags = SF_DATA, .would_spin = slot_taken },
	{ .name = "count", .code = "atomic_fetch_add(&count, 1);",
	    .run = step_count_inc, .flags = SF_COUNT },
	POST_FULL,
};
static const struct step atomic_c[] = {
	PACE, WAIT_FULL,
	{ .name = "claim", .code = "i = fetch_inc_mod(&tail);",
	    .run = step_claim_tail, .flags = SF_ADVANCE },
	{ .name = "take", .code = "item = xchg(&slots[i], EMPTY);",
	    .run = step_take, .flags = SF_DATA, .would_spin = slot_empty },
	{ .name = "count", .code = "atomic_fetch_sub(&count, 1);",
	    .run = step_count_dec, .flags = SF_COUNT },
	POST_EMPTY,
};
static const struct step wrong_p[] = {
	PACE, WAIT_MUTEX, WAIT_EMPTY, WRITE, ADV_HEAD, LOAD, ADD, STORE,
	POST_FULL, POST_MUTEX,
};
static const struct step wrong_c[] = {
	PACE, WAIT_MUTEX, WAIT_FULL, READ, ADV_TAIL, LOAD, SUB, STORE,
	POST_EMPTY, POST_MUTEX,
};
static const struct step none_p[] = {
	PACE,
	{ .name = "room?", .code = "while (count == capacity) ;",
	    .run = step_room, .would_spin = full_ring },
	WRITE, ADV_HEAD, LOAD, ADD, STORE,
};
static const struct step none_c[] = {
	PACE,
	{ .name = "item?", .code = "while (count == 0) ;", .run = step_items,
	    .would_spin = empty_ring },
	READ, ADV_TAIL, LOAD, SUB, STORE,
};

#define TABLE(t) { (t), sizeof(t) / sizeof((t)[0]) }

static const struct {
	const struct step *steps;
	unsigned n;
} tables[SYNC_COUNT][2] = {
	[SYNC_SEED] = { TABLE(seed_p), TABLE(seed_c) },
	[SYNC_MUTEX] = { TABLE(mutex_p), TABLE(mutex_c) },
	[SYNC_ATOMIC] = { TABLE(atomic_p), TABLE(atomic_c) },
	[SYNC_WRONG_ORDER] = { TABLE(wrong_p), TABLE(wrong_c) },
	[SYNC_NONE] = { TABLE(none_p), TABLE(none_c) },
};

int
steps_has_register(enum sync_mode mode)
{
	unsigned n;
	const struct step *t = steps_table(mode, ROLE_PRODUCER, &n);

	for (unsigned i = 0; i < n; i++)
		if (t[i].flags & SF_LOAD)
			return 1;
	return 0;
}

int
steps_can_go(const struct step *t, const struct ring *r, uint32_t slot)
{
	if (t->waits != SEM_NONE && ring_sem_value(steps_sem(r, t->waits)) <= 0)
		return 0;
	return t->would_spin == NULL || !t->would_spin(r, slot);
}

int
steps_in_window(const struct step *t, unsigned n, unsigned at)
{
	int loaded = 0;

	for (unsigned i = 0; i < at && i < n; i++) {
		if (t[i].flags & SF_LOAD)
			loaded = 1;
		if (t[i].flags & SF_COUNT)
			loaded = 0;
	}
	return loaded;
}

const sem_t *
steps_sem(const struct ring *r, unsigned which)
{
	return which == SEM_EMPTY ? &r->empty : which == SEM_FULL ? &r->full :
	    &r->mutex;
}

const struct step *
steps_table(enum sync_mode mode, enum role role, unsigned *n)
{
	if (mode >= SYNC_COUNT)
		mode = SYNC_SEED;
	*n = tables[mode][role].n;
	return tables[mode][role].steps;
}

void
steps_holding(const struct step *t, unsigned at, struct holding *h)
{
	h->permit = h->mutex = h->advanced = 0;
	for (unsigned i = 0; i < at; i++) {
		unsigned f = t[i].flags;

		if (f & SF_TAKE_PERMIT)
			h->permit = 1;
		if (f & SF_GIVE_PERMIT)
			h->permit = 0;
		if (f & SF_TAKE_MUTEX)
			h->mutex = 1;
		if (f & SF_GIVE_MUTEX)
			h->mutex = 0;
		if (f & SF_ADVANCE)
			h->advanced = 1;
		if (f & SF_COUNT)
			h->advanced = 0;
	}
}
