/* steps.c: each sync mode's loops, one table row per line of code */
#include "worker.h"

#include <errno.h>
#include <pthread.h>
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

/*
 * The condition-variable modes and robust.  Running free, the workers use
 * m and the condition variables as any program would, but for a timeout
 * that lets a stop reach a worker asleep in them.  Stepped (the worker is
 * paused and let through one step at a time), no worker ever sleeps in
 * them: a lock is only let through when m is free, and a wait lets m go
 * and waits at the worker's gate, where the worker that signals finds it
 * and wakes the one that has waited longest (docs/architecture.md).
 */
#define CV_TRY_NS (200 * INT64_C(1000000))

static struct timespec
cv_deadline(void)
{
	int64_t t = pace_now() + CV_TRY_NS;

	return (struct timespec){ t / PACE_NS_PER_S, t % PACE_NS_PER_S };
}

static int
stepped(const struct worker *w)
{
	return atomic_load_explicit(&w->me->run, RELAXED) == RUN_PAUSED;
}

/* pthread_mutex_lock(&m), published like a sem_wait; *dead is set when it
 * took m from an owner that died holding it (EOWNERDEAD). */
static enum step_result
lock_m(struct worker *w, int *dead)
{
	struct wctl *me = w->me;
	int err = pthread_mutex_trylock(&w->ring->m);

	if (err == EBUSY) {
		worker_stamp(w);
		atomic_store(&me->blocked_on, SEM_M);
		atomic_store(&me->state, WS_BLOCKED);
		for (;;) {
			struct timespec ts = cv_deadline();

			err = pthread_mutex_clocklock(&w->ring->m, CLOCK_MONOTONIC,
			    &ts);
			if (err != ETIMEDOUT)
				break;
			if (atomic_load(&w->ctl->stop)) {
				w->interrupted = 1;
				atomic_store(&me->state, WS_RUNNING);
				return STEP_AGAIN;
			}
		}
		atomic_store(&me->state, WS_RUNNING);
	}
	if (err == EOWNERDEAD) {
		*dead = 1;
		return STEP_NEXT;
	}
	return err == 0 ? STEP_NEXT : STEP_FAIL;
}

static enum step_result
step_lock(struct worker *w)
{
	int dead = 0;

	return lock_m(w, &dead);
}

static enum step_result
step_unlock(struct worker *w)
{
	return pthread_mutex_unlock(&w->ring->m) == 0 ? STEP_NEXT : STEP_FAIL;
}

/* Robust: a lock that finds the owner dead goes on to the repair lines,
 * the two after it; any other goes past them. */
/* Whose death gave m to w: the other worker whose published line says
 * it holds m (no live one can, while w has it); -1 if none says so. */
static int
dead_owner(const struct worker *w)
{
	const struct ctl *ctl = w->ctl;

	for (unsigned k = 0; k < ctl->nworkers; k++) {
		const struct wctl *o = &ctl->w[k];
		const struct step *t;
		unsigned n;

		if (o == w->me)
			continue;
		t = steps_table(ctl->sync, ctl_role(ctl, k), &n);
		if (steps_holds_mutex(t, atomic_load(&o->step) % n,
		    atomic_load(&o->cv_phase)))
			return (int)k;
	}
	return -1;
}

static enum step_result
step_lock_robust(struct worker *w)
{
	int dead = 0;
	enum step_result res = lock_m(w, &dead);

	if (res == STEP_NEXT && dead) {
		w->dead_owner = dead_owner(w);
		atomic_store(&w->me->dead_owner, (uint32_t)(w->dead_owner + 1));
		atomic_fetch_add(&w->me->owner_dead, 1);
	} else if (res == STEP_NEXT)
		w->jump = (int)((w->at + 3) % w->nsteps);
	return res;
}

/*
 * count = fill(head, tail): what the dead owner may have left half done
 * is an index moved and count not yet changed, so count is set from the
 * indices.  Equal indices are an empty ring or a full one, which the ring
 * cannot say: the repair tells them apart by how far each index has moved
 * in all, which every worker publishes (a program that is to repair must
 * keep what the repair needs).  The permit the dead owner held, and an item
 * it had written and not yet handed on, no lock can give back.
 */
static enum step_result
step_repair(struct worker *w)
{
	struct ring *r = w->ring;
	uint32_t h = atomic_load_explicit(&r->head, RELAXED) % r->capacity;
	uint32_t t = atomic_load_explicit(&r->tail, RELAXED) % r->capacity;
	int32_t was = atomic_load_explicit(&r->count, RELAXED);
	int32_t fill = (int32_t)ring_fill(h, t, r->capacity, ctl_moved(w->ctl));

	atomic_store_explicit(&r->count, fill, RELAXED);
	atomic_store_explicit(&w->me->repair_from, was, RELAXED);
	atomic_store_explicit(&w->me->repair_to, fill, RELAXED);
	atomic_fetch_add_explicit(&w->me->repaired, fill - was,
	    memory_order_release);
	if (w->dead_owner >= 0)
		atomic_fetch_or(&w->me->repaired_for, 1u << w->dead_owner);
	return STEP_NEXT;
}

static enum step_result
step_consistent(struct worker *w)
{
	if (pthread_mutex_consistent(&w->ring->m) != 0)
		return STEP_FAIL;
	atomic_fetch_add(&w->me->consistent, 1);
	return STEP_NEXT;
}

/* while (count == capacity) / while (count == 0), and the if of the same:
 * go on to the wait below if the ring is full (empty), past it if not. */
static enum step_result
cv_test(struct worker *w, int must_wait)
{
	if (atomic_load_explicit(&w->me->cv_phase, RELAXED) != CVP_NONE)
		atomic_store(&w->me->cv_phase, CVP_NONE);
	if (!must_wait)
		w->jump = (int)((w->at + 2) % w->nsteps);
	return STEP_NEXT;
}

static enum step_result
step_test_full(struct worker *w)
{
	return cv_test(w, atomic_load_explicit(&w->ring->count, RELAXED) >=
	    (int32_t)w->ring->capacity);
}

static enum step_result
step_test_empty(struct worker *w)
{
	return cv_test(w, atomic_load_explicit(&w->ring->count, RELAXED) <= 0);
}

static pthread_cond_t *
cv_of(struct worker *w, unsigned which)
{
	return &w->ring->cv[CTL_CV_INDEX(which)];
}

/* Back from a wait with m held again: a while tests again, an if goes on. */
static enum step_result
cv_back(struct worker *w)
{
	const struct step *t = &w->steps[w->at];

	atomic_store(&w->me->cv_phase, CVP_AGAIN);
	atomic_store(&w->me->blocked_on, SEM_NONE);
	w->jump = (int)(t->flags & SF_RECHECK ? w->at - 1 : w->at + 1);
	return STEP_NEXT;
}

/* Whether the ring still gives a reason to wait: full for a producer,
 * empty for a consumer. */
static int
cv_must_wait(const struct worker *w)
{
	int32_t count = atomic_load_explicit(&w->ring->count, RELAXED);

	return w->role == ROLE_PRODUCER ? count >= (int32_t)w->ring->capacity :
	    count <= 0;
}

/* Running free: the real pthread_cond_wait, m held. */
static enum step_result
cv_sleep(struct worker *w, unsigned which)
{
	struct wctl *me = w->me;

	worker_stamp(w);
	atomic_store(&me->cv_on, which);
	atomic_store(&me->blocked_on, which);
	atomic_store(&me->cv_phase, CVP_SLEEPING);
	atomic_store(&me->state, WS_BLOCKED);
	for (;;) {
		struct timespec ts = cv_deadline();
		int err = pthread_cond_clockwait(cv_of(w, which), &w->ring->m,
		    CLOCK_MONOTONIC, &ts);

		if (err == 0)
			break;          /* signalled, or woken for nothing */
		if (err != ETIMEDOUT)
			return STEP_FAIL;
		/* a signal that came as the wait timed out may be lost to it:
		 * if the ring has changed, it goes on as if woken */
		if (!cv_must_wait(w))
			break;
		if (atomic_load(&w->ctl->stop)) {
			pthread_mutex_unlock(&w->ring->m);
			atomic_store(&me->cv_phase, CVP_NONE);
			atomic_store(&me->blocked_on, SEM_NONE);
			atomic_store(&me->state, WS_RUNNING);
			w->interrupted = 1;
			return STEP_AGAIN;
		}
	}
	atomic_store(&me->state, WS_RUNNING);
	return cv_back(w);
}

static enum step_result
step_cv_wait(struct worker *w)
{
	struct wctl *me = w->me;
	unsigned which = w->steps[w->at].cv;
	int dead = 0;
	enum step_result res;

	switch (atomic_load(&me->cv_phase)) {
	case CVP_WAITING:
		/* stepped, not yet signalled: it sleeps on; run free, it goes
		 * on sleeping in the real wait, m taken first to enter it */
		if (stepped(w))
			return STEP_AGAIN;
		if ((res = lock_m(w, &dead)) != STEP_NEXT)
			return res;
		if (atomic_load(&me->cv_phase) == CVP_WOKEN)
			return cv_back(w);      /* signalled on the way */
		return cv_sleep(w, which);
	case CVP_WOKEN:
		if ((res = lock_m(w, &dead)) != STEP_NEXT)
			return res;
		return cv_back(w);
	default:
		break;
	}
	if (!stepped(w))
		return cv_sleep(w, which);
	/* stepped: let m go and wait at the gate, in line */
	atomic_store(&me->cv_ticket, atomic_fetch_add(&w->ctl->cv_tickets, 1) + 1);
	atomic_store(&me->cv_on, which);
	atomic_store(&me->blocked_on, which);
	atomic_store(&me->cv_phase, CVP_WAITING);
	if (pthread_mutex_unlock(&w->ring->m) != 0)
		return STEP_FAIL;
	w->jump = (int)w->at;
	return STEP_NEXT;
}

/*
 * pthread_cond_signal(&cv), with m held.  It wakes whoever sleeps in the
 * real wait; a waiter at its gate (stepped) is woken here, the one that
 * has waited longest, even when one in the real wait takes the signal too
 * (a signal may wake more than one: POSIX allows it, and no signal owed
 * to a waiter at its gate is lost).
 */
static enum step_result
step_cv_signal(struct worker *w)
{
	unsigned which = w->steps[w->at].cv;
	struct ctl *ctl = w->ctl;
	int oldest = -1;
	uint64_t best = 0;

	pthread_cond_signal(cv_of(w, which));
	for (unsigned k = 0; k < ctl->nworkers; k++) {
		struct wctl *o = &ctl->w[k];
		uint32_t ph = atomic_load(&o->cv_phase);

		if (atomic_load(&o->cv_on) != which || atomic_load(&o->gone))
			continue;
		if (ph == CVP_WAITING && (oldest < 0 ||
		    atomic_load(&o->cv_ticket) < best)) {
			oldest = (int)k;
			best = atomic_load(&o->cv_ticket);
		}
	}
	atomic_store_explicit(&w->me->woke, oldest >= 0 ?
	    (uint32_t)oldest + 1 : 0, RELAXED);
	if (oldest >= 0) {
		struct wctl *o = &ctl->w[oldest];

		atomic_store(&o->blocked_on, SEM_M);
		atomic_store(&o->cv_phase, CVP_WOKEN);
	}
	return STEP_NEXT;
}

/* count++ and count-- in one line, under m: the store still says what it
 * replaced, for the extra-unlock mode, where m does not guard it. */
static enum step_result step_store(struct worker *w);

static enum step_result
step_count_add(struct worker *w)
{
	w->loaded = atomic_load_explicit(&w->ring->count, RELAXED);
	w->r = w->loaded + 1;
	return step_store(w);
}

static enum step_result
step_count_sub(struct worker *w)
{
	w->loaded = atomic_load_explicit(&w->ring->count, RELAXED);
	w->r = w->loaded - 1;
	return step_store(w);
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
	if (w->check_writes > 1 || (w->check_writes &&
	    atomic_load_explicit(&w->ctl->nprod, RELAXED) > 1))
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

	/* straight from a wait, the ring not tested again (an if): said
	 * before the read is counted, so that it is seen with it */
	if (w->cv_mode) {
		uint32_t from_wake = atomic_load_explicit(&w->me->cv_phase,
		    RELAXED) == CVP_AGAIN;

		if (from_wake || atomic_load_explicit(&w->me->woken_read, RELAXED)) {
			atomic_store(&w->me->woken_read, from_wake);
			atomic_store(&w->me->cv_phase, CVP_NONE);
		}
	}
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

#define LOCK { \
	.name = "lock", .code = "pthread_mutex_lock(&m);", .run = step_lock, \
	.flags = SF_TAKE_MUTEX, .waits = SEM_M }
#define UNLOCK { \
	.name = "unlock", .code = "pthread_mutex_unlock(&m);", \
	.run = step_unlock, .flags = SF_GIVE_MUTEX }
#define TEST_FULL(kw) { \
	.name = kw " full", .code = kw " (count == capacity)", \
	.run = step_test_full }
#define TEST_EMPTY(kw) { \
	.name = kw " empty", .code = kw " (count == 0)", \
	.run = step_test_empty }
#define CV_WAIT(cvname, which, loop) { \
	.name = "wait " cvname, \
	.code = "    pthread_cond_wait(&" cvname ", &m);", .run = step_cv_wait, \
	.flags = SF_CV_WAIT | (loop), .cv = (which) }
#define CV_SIGNAL(cvname, which) { \
	.name = "signal " cvname, .code = "pthread_cond_signal(&" cvname ");", \
	.run = step_cv_signal, .flags = SF_CV_SIGNAL, .cv = (which) }
#define COUNT_ADD { \
	.name = "count++", .code = "count++;", .run = step_count_add, \
	.flags = SF_COUNT }
#define COUNT_SUB { \
	.name = "count--", .code = "count--;", .run = step_count_sub, \
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

/* OSTEP's main-two-cvs-while.c, main-two-cvs-if.c, main-one-cv-while.c
 * and main-two-cvs-while-extra-unlock.c, on the ring. */
static const struct step cvs_while_p[] = {
	PACE, LOCK, TEST_FULL("while"),
	CV_WAIT("empty", SEM_CV_EMPTY, SF_RECHECK),
	WRITE, ADV_HEAD, COUNT_ADD, CV_SIGNAL("fill", SEM_CV_FILL), UNLOCK,
};
static const struct step cvs_while_c[] = {
	PACE, LOCK, TEST_EMPTY("while"),
	CV_WAIT("fill", SEM_CV_FILL, SF_RECHECK),
	READ, ADV_TAIL, COUNT_SUB, CV_SIGNAL("empty", SEM_CV_EMPTY), UNLOCK,
};
static const struct step cvs_if_p[] = {
	PACE, LOCK, TEST_FULL("if"), CV_WAIT("empty", SEM_CV_EMPTY, 0),
	WRITE, ADV_HEAD, COUNT_ADD, CV_SIGNAL("fill", SEM_CV_FILL), UNLOCK,
};
static const struct step cvs_if_c[] = {
	PACE, LOCK, TEST_EMPTY("if"), CV_WAIT("fill", SEM_CV_FILL, 0),
	READ, ADV_TAIL, COUNT_SUB, CV_SIGNAL("empty", SEM_CV_EMPTY), UNLOCK,
};
static const struct step one_cv_p[] = {
	PACE, LOCK, TEST_FULL("while"), CV_WAIT("cv", SEM_CV, SF_RECHECK),
	WRITE, ADV_HEAD, COUNT_ADD, CV_SIGNAL("cv", SEM_CV), UNLOCK,
};
static const struct step one_cv_c[] = {
	PACE, LOCK, TEST_EMPTY("while"), CV_WAIT("cv", SEM_CV, SF_RECHECK),
	READ, ADV_TAIL, COUNT_SUB, CV_SIGNAL("cv", SEM_CV), UNLOCK,
};
static const struct step extra_p[] = {
	PACE, LOCK, TEST_FULL("while"),
	CV_WAIT("empty", SEM_CV_EMPTY, SF_RECHECK), UNLOCK,
	WRITE, ADV_HEAD, COUNT_ADD, LOCK, CV_SIGNAL("fill", SEM_CV_FILL), UNLOCK,
};
static const struct step extra_c[] = {
	PACE, LOCK, TEST_EMPTY("while"),
	CV_WAIT("fill", SEM_CV_FILL, SF_RECHECK), UNLOCK,
	READ, ADV_TAIL, COUNT_SUB, LOCK, CV_SIGNAL("empty", SEM_CV_EMPTY), UNLOCK,
};
#define ROBUST_LOCK { \
	.name = "lock", .code = "if (pthread_mutex_lock(&m) != 0)", \
	.run = step_lock_robust, .flags = SF_TAKE_MUTEX, .waits = SEM_M }
#define REPAIR { \
	.name = "repair", .code = "    count = fill(head, tail);", \
	.run = step_repair, .flags = SF_COUNT }
#define CONSISTENT { \
	.name = "consistent", .code = "    pthread_mutex_consistent(&m);", \
	.run = step_consistent }
/* The lock's if is taken only for EOWNERDEAD: the two lines under it
 * run only then.  count++ is one line here, as m guards it. */
static const struct step robust_p[] = {
	PACE, WAIT_EMPTY, ROBUST_LOCK, REPAIR, CONSISTENT, WRITE, ADV_HEAD,
	COUNT_ADD, UNLOCK, POST_FULL,
};
static const struct step robust_c[] = {
	PACE, WAIT_FULL, ROBUST_LOCK, REPAIR, CONSISTENT, READ, ADV_TAIL,
	COUNT_SUB, UNLOCK, POST_EMPTY,
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
	[SYNC_TWO_CVS_WHILE] = { TABLE(cvs_while_p), TABLE(cvs_while_c) },
	[SYNC_TWO_CVS_IF] = { TABLE(cvs_if_p), TABLE(cvs_if_c) },
	[SYNC_ONE_CV_WHILE] = { TABLE(one_cv_p), TABLE(one_cv_c) },
	[SYNC_EXTRA_UNLOCK] = { TABLE(extra_p), TABLE(extra_c) },
	[SYNC_ROBUST] = { TABLE(robust_p), TABLE(robust_c) },
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
steps_available(const struct ring *r, unsigned which)
{
	if (which == SEM_M)
		return ring_mutex_free(r);
	if (CTL_IS_CV(which) || which == SEM_NONE)
		return 0;
	return ring_sem_value(steps_sem(r, which)) > 0;
}

unsigned
steps_waits_on(const struct step *t, const struct wctl *c)
{
	if (t->flags & SF_CV_WAIT) {
		switch (atomic_load_explicit(&c->cv_phase, RELAXED)) {
		case CVP_WAITING:
		case CVP_SLEEPING:
			return t->cv;
		case CVP_WOKEN:
			return SEM_M;
		default:
			return SEM_NONE;        /* it lets m go: nothing to wait for */
		}
	}
	return t->waits;
}

int
steps_can_go(const struct step *t, const struct ring *r, const struct wctl *c)
{
	unsigned which = steps_waits_on(t, c);

	if (which != SEM_NONE && !steps_available(r, which))
		return 0;
	return t->would_spin == NULL ||
	    !t->would_spin(r, atomic_load_explicit(&c->slot, RELAXED));
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

/* Only for the semaphores: m and the condition variables are no sem_t. */
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

int
steps_holds_mutex(const struct step *t, unsigned at, unsigned cv_phase)
{
	struct holding h;

	if (cv_phase == CVP_WAITING || cv_phase == CVP_SLEEPING ||
	    cv_phase == CVP_WOKEN)
		return 0;
	steps_holding(t, at, &h);
	return h.mutex;
}
