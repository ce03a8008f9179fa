/* sync.c: the ways producers and consumers can synchronise */
#include "sync.h"

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
	return m != SYNC_NONE;
}

int
sync_has_mutex(enum sync_mode m)
{
	return m == SYNC_MUTEX || m == SYNC_WRONG_ORDER;
}
