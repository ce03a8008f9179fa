/* ring.c: layout and arithmetic of the shared bounded buffer */
#include "ring.h"

#include <errno.h>
#include <time.h>

size_t
ring_size(uint32_t capacity)
{
	return sizeof(struct ring) + (size_t)capacity * sizeof(uint64_t);
}

/* The mutex and condition variables, process-shared: they live in the
 * segment and every worker uses them through its own mapping. */
static int
ring_init_locks(struct ring *r, unsigned flags)
{
	pthread_mutexattr_t ma;
	pthread_condattr_t ca;
	int err;

	if ((err = pthread_mutexattr_init(&ma)) != 0)
		goto fail;
	pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
	if (flags & RING_ROBUST)
		pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST);
	err = pthread_mutex_init(&r->m, &ma);
	pthread_mutexattr_destroy(&ma);
	if (err != 0)
		goto fail;
	if ((err = pthread_condattr_init(&ca)) != 0)
		goto fail;
	pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
	/* timed waits count on the clock the pacing uses */
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	for (int i = 0; i < 2 && err == 0; i++)
		err = pthread_cond_init(&r->cv[i], &ca);
	pthread_condattr_destroy(&ca);
	if (err == 0)
		return 0;
fail:
	errno = err;
	return -1;
}

int
ring_init(struct ring *r, uint32_t capacity, unsigned flags)
{
	if (capacity == 0 || capacity > RING_MAX_CAPACITY) {
		errno = EINVAL;
		return -1;
	}
	/* pshared = 1: the semaphores live in memory shared between processes. */
	if (sem_init(&r->empty, 1, capacity) == -1)
		return -1;
	if (sem_init(&r->full, 1, 0) == -1)
		goto fail_full;
	if (sem_init(&r->mutex, 1, 1) == -1)
		goto fail_mutex;
	if (ring_init_locks(r, flags) == -1)
		goto fail_locks;
	r->capacity = capacity;
	atomic_init(&r->head, 0);
	atomic_init(&r->tail, 0);
	atomic_init(&r->count, 0);
	for (uint32_t i = 0; i < capacity; i++)
		atomic_init(&r->slots[i], 0);
	return 0;

fail_locks:
	sem_destroy(&r->mutex);
fail_mutex:
	sem_destroy(&r->full);
fail_full:
	sem_destroy(&r->empty);
	return -1;
}

uint32_t
ring_next(uint32_t i, uint32_t capacity)
{
	return (i + 1) % capacity;
}

uint32_t
ring_fill(uint32_t head, uint32_t tail, uint32_t capacity, int64_t moved)
{
	uint32_t fill;

	head %= capacity;
	tail %= capacity;
	fill = (head + capacity - tail) % capacity;
	/* Equal indices: empty or full.  More than half a ring moved means full. */
	if (fill == 0 && moved * 2 >= (int64_t)capacity && moved > 0)
		fill = capacity;
	return fill;
}

uint64_t
ring_item(unsigned producer, uint64_t seq)
{
	return ((uint64_t)(producer + 1) << RING_ITEM_SEQ_BITS) |
	    (seq & ((UINT64_C(1) << RING_ITEM_SEQ_BITS) - 1));
}

unsigned
ring_item_producer(uint64_t token)
{
	return (unsigned)(token >> RING_ITEM_SEQ_BITS) - 1;
}

uint64_t
ring_item_seq(uint64_t token)
{
	return token & ((UINT64_C(1) << RING_ITEM_SEQ_BITS) - 1);
}

int
ring_sem_value(const sem_t *sem)
{
	int v = 0;

	/* glibc's sem_getvalue only loads the value, so a read-only mapping
	 * serves; the cast drops a const the prototype lacks. */
	if (sem_getvalue((sem_t *)sem, &v) == -1)
		return -1;
	return v;
}

#define RING_TID_MASK 0x3fffffff        /* the kernel's FUTEX_TID_MASK */

int
ring_mutex_free(const struct ring *r)
{
	const int *lock = &r->m.__data.__lock;

	return (__atomic_load_n(lock, __ATOMIC_RELAXED) & RING_TID_MASK) == 0;
}
