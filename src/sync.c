/* sync.c: the ways producers and consumers can synchronise */
#include "sync.h"

#include "ring.h"

#include <string.h>

static const struct {
	const char *name;
	const char *lesson;
} modes[SYNC_COUNT] = {
	[SYNC_SEED] = { "seed", "the tutorial: count++ and count-- race" },
	[SYNC_MUTEX] = { "mutex", "a mutex semaphore guards the critical section" },
	[SYNC_ATOMIC] = { "atomic", "count and the indices change atomically" },
	[SYNC_WRONG_ORDER] = { "wrong-order",
	    "mutex taken before empty/full: deadlock" },
	[SYNC_NONE] = { "none", "no semaphores: each side polls count" },
	[SYNC_TWO_CVS_WHILE] = { "two-cvs-while",
	    "a mutex and two condition variables, rechecked: correct" },
	[SYNC_TWO_CVS_IF] = { "two-cvs-if",
	    "if, not while: a woken consumer may find the ring empty" },
	[SYNC_ONE_CV_WHILE] = { "one-cv-while",
	    "one condition variable: a signal can wake the wrong side" },
	[SYNC_EXTRA_UNLOCK] = { "two-cvs-while-extra-unlock",
	    "m let go around the slot: the slot accesses race" },
	[SYNC_ROBUST] = { "robust",
	    "a robust mutex: a holder's death hands the lock on" },
};

const char *
sync_name(enum sync_mode m)
{
	return m < SYNC_COUNT ? modes[m].name : "?";
}

const char *
sync_lesson(enum sync_mode m)
{
	return m < SYNC_COUNT ? modes[m].lesson : "";
}

int
sync_parse(const char *s, enum sync_mode *m)
{
	for (int i = 0; i < SYNC_COUNT; i++) {
		if (strcmp(s, modes[i].name) == 0) {
			*m = (enum sync_mode)i;
			return 0;
		}
	}
	return -1;
}

int
sync_has_sems(enum sync_mode m)
{
	return m != SYNC_NONE && !sync_has_cv(m);
}

int
sync_has_mutex(enum sync_mode m)
{
	return m == SYNC_MUTEX || m == SYNC_WRONG_ORDER;
}

int
sync_has_m(enum sync_mode m)
{
	return sync_has_cv(m) || m == SYNC_ROBUST;
}

int
sync_has_cv(enum sync_mode m)
{
	return m == SYNC_TWO_CVS_WHILE || m == SYNC_TWO_CVS_IF ||
	    m == SYNC_ONE_CV_WHILE || m == SYNC_EXTRA_UNLOCK;
}

unsigned
sync_ring_flags(enum sync_mode m)
{
	return m == SYNC_ROBUST ? RING_ROBUST : 0;
}
