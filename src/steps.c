/* steps.c: the producer's and consumer's loops, one table row per line */
#include "worker.h"

#include <errno.h>
#include <time.h>

#include "pace.h"

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
	now = pace_now();
	if (rate == PACE_MAX || atomic_load(&me->run) == RUN_PAUSED) {
		w->prev = now;
		return STEP_NEXT;
	}
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
	atomic_store(&me->wake_at, next);
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
step_write(struct worker *w)
{
	uint32_t h = atomic_load_explicit(&w->ring->head, memory_order_relaxed);

	w->item = ring_item(w->index, w->seq);
	atomic_store_explicit(&w->ring->slots[h % w->ring->capacity], w->item,
	    memory_order_relaxed);
	return STEP_NEXT;
}

static enum step_result
step_advance_head(struct worker *w)
{
	uint32_t h = atomic_load_explicit(&w->ring->head, memory_order_relaxed);

	atomic_store_explicit(&w->ring->head, ring_next(h, w->ring->capacity),
	    memory_order_relaxed);
	atomic_fetch_add_explicit(&w->me->moved, 1, memory_order_relaxed);
	return STEP_NEXT;
}

/* Record what arrived: the consumers' check that makes the counts exact. */
static void
check_arrival(struct worker *w, uint64_t token)
{
	struct wctl *me = w->me;
	unsigned p = ring_item_producer(token);
	uint64_t seq = ring_item_seq(token);

	if (token == 0 || p >= CTL_MAX_PRODUCERS) {
		atomic_fetch_add_explicit(&me->empties, 1, memory_order_relaxed);
		return;
	}
	if (check_item(&w->ctl->check[p], seq) == CHECK_DUP)
		atomic_fetch_add_explicit(&me->dup, 1, memory_order_relaxed);
	else if (seq + 1 < w->newest[p])
		atomic_fetch_add_explicit(&me->ooo, 1, memory_order_relaxed);
	if (seq + 1 > w->newest[p])
		w->newest[p] = seq + 1;
}

static enum step_result
step_read(struct worker *w)
{
	uint32_t t = atomic_load_explicit(&w->ring->tail, memory_order_relaxed);

	w->item = atomic_load_explicit(&w->ring->slots[t % w->ring->capacity],
	    memory_order_relaxed);
	check_arrival(w, w->item);
	return STEP_NEXT;
}

static enum step_result
step_advance_tail(struct worker *w)
{
	uint32_t t = atomic_load_explicit(&w->ring->tail, memory_order_relaxed);

	atomic_store_explicit(&w->ring->tail, ring_next(t, w->ring->capacity),
	    memory_order_relaxed);
	atomic_fetch_add_explicit(&w->me->moved, 1, memory_order_relaxed);
	return STEP_NEXT;
}

/* count++ and count-- as the CPU runs them: load, change, store. */
static enum step_result
step_load(struct worker *w)
{
	w->r = atomic_load_explicit(&w->ring->count, memory_order_relaxed);
	return STEP_NEXT;
}

static enum step_result
step_add(struct worker *w)
{
	w->r = w->r + 1;
	return STEP_NEXT;
}

static enum step_result
step_sub(struct worker *w)
{
	w->r = w->r - 1;
	return STEP_NEXT;
}

static enum step_result
step_store(struct worker *w)
{
	atomic_store_explicit(&w->ring->count, w->r, memory_order_relaxed);
	return STEP_NEXT;
}

/* The item is complete once the other side is told. */
static void
item_done(struct worker *w)
{
	struct wctl *me = w->me;
	int64_t now = pace_now();
	uint64_t done = atomic_load_explicit(&me->done, memory_order_relaxed);

	if (done == 0)
		atomic_store_explicit(&me->first_ns, now, memory_order_relaxed);
	atomic_store_explicit(&me->last_ns, now, memory_order_relaxed);
	atomic_store_explicit(&me->done, done + 1, memory_order_relaxed);
}

static enum step_result
step_post_full(struct worker *w)
{
	sem_post(&w->ring->full);
	w->seq++;
	item_done(w);
	return STEP_NEXT;
}

static enum step_result
step_post_empty(struct worker *w)
{
	sem_post(&w->ring->empty);
	item_done(w);
	return STEP_NEXT;
}

static const struct step producer_steps[] = {
	{ "pace",       "wait_for_next_deadline();",    step_pace },
	{ "wait empty", "sem_wait(&empty);",            step_wait_empty },
	{ "write",      "slots[head] = item;",          step_write },
	{ "advance",    "head = (head + 1) % capacity;", step_advance_head },
	{ "load",       "r = count;",                   step_load },
	{ "add",        "r = r + 1;",                   step_add },
	{ "store",      "count = r;",                   step_store },
	{ "post full",  "sem_post(&full);",             step_post_full },
};

static const struct step consumer_steps[] = {
	{ "pace",       "wait_for_next_deadline();",    step_pace },
	{ "wait full",  "sem_wait(&full);",             step_wait_full },
	{ "read",       "item = slots[tail];",          step_read },
	{ "advance",    "tail = (tail + 1) % capacity;", step_advance_tail },
	{ "load",       "r = count;",                   step_load },
	{ "sub",        "r = r - 1;",                   step_sub },
	{ "store",      "count = r;",                   step_store },
	{ "post empty", "sem_post(&empty);",            step_post_empty },
};

const struct step *
steps_table(enum role role, unsigned *n)
{
	if (role == ROLE_PRODUCER) {
		*n = sizeof(producer_steps) / sizeof(producer_steps[0]);
		return producer_steps;
	}
	*n = sizeof(consumer_steps) / sizeof(consumer_steps[0]);
	return consumer_steps;
}
