/* ring.h: the bounded buffer that producers and consumers share */
#ifndef SHMVIZ_RING_H
#define SHMVIZ_RING_H

#include <pthread.h>
#include <semaphore.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#define RING_MAX_CAPACITY 4096

/* Shared between processes, atomics must be lock-free: a lock-based
 * fallback would live in each process, not in the segment. */
_Static_assert(ATOMIC_INT_LOCK_FREE == 2 && ATOMIC_LLONG_LOCK_FREE == 2,
    "shmviz needs lock-free 32- and 64-bit atomics");

/*
 * The tutorial's shared structure, laid out in one System V segment.  The
 * indices and the count are C11 atomics so that the supervisor's read-only
 * view and the races the lessons provoke are defined behaviour: workers use
 * separate relaxed loads and stores, never a hidden read-modify-write.
 *
 * Each field the two sides write is on a cache line of its own: packed
 * together, a producer's sem_post(&full) and a consumer's sem_post(&empty)
 * would fight over one line though they share no data.
 */
#define RING_LINE 64
struct ring {
	alignas(RING_LINE) sem_t empty; /* free slots: producers wait, consumers post */
	alignas(RING_LINE) sem_t full;  /* filled slots: consumers wait, producers post */
	alignas(RING_LINE) sem_t mutex; /* guards the critical section where used */
	/* The condition-variable modes and robust: a process-shared mutex
	 * and two condition variables (one-cv-while uses the first alone). */
	alignas(RING_LINE) pthread_mutex_t m;
	alignas(RING_LINE) pthread_cond_t cv[2]; /* empty (producers wait),
	                                           fill (consumers wait) */
	alignas(RING_LINE) _Atomic uint32_t head; /* next slot to fill; producers write */
	alignas(RING_LINE) _Atomic uint32_t tail; /* next slot to empty; consumers write */
	alignas(RING_LINE) _Atomic int32_t count; /* items as the workers count them */
	uint32_t capacity;         /* slots; written once, before any worker starts */
	alignas(RING_LINE) _Atomic uint64_t slots[]; /* item tokens (ring_item); 0 = none */
};

/* Bytes a ring of this capacity occupies. */
size_t ring_size(uint32_t capacity);

/* Initialise a ring in fresh shared memory: empty = capacity, full = 0,
 * m unlocked (robust with RING_ROBUST), nobody waiting on cv. */
#define RING_ROBUST 1
int ring_init(struct ring *r, uint32_t capacity, unsigned flags);

/*
 * Whether m is free for the taking, read through any mapping: glibc keeps
 * the owner's thread id in the low 30 bits of its lock word (a plain mutex
 * keeps 1 or 2 there), and a robust mutex whose owner died has only the
 * owner-died bit left.
 */
int ring_mutex_free(const struct ring *r);

/* The slot after i, wrapping at the capacity. */
uint32_t ring_next(uint32_t i, uint32_t capacity);

/*
 * Slots between tail and head.  (head - tail) mod capacity is 0 both when the
 * ring is empty and when it is full; `moved` (index advances by producers
 * minus those by consumers) says which of the two it is.
 */
uint32_t ring_fill(uint32_t head, uint32_t tail, uint32_t capacity, int64_t moved);

/*
 * An item is a token that names its producer and its sequence number, so
 * that consumers can tell a lost, duplicated or reordered item exactly.
 * Token 0 never names an item: it is what an unwritten slot holds.
 */
#define RING_ITEM_SEQ_BITS 56
uint64_t ring_item(unsigned producer, uint64_t seq);
unsigned ring_item_producer(uint64_t token);
uint64_t ring_item_seq(uint64_t token);

/* The value a semaphore holds, read through any mapping (even read-only). */
int ring_sem_value(const sem_t *sem);

#endif
