/* sync.h: the ways producers and consumers can synchronise */
#ifndef SHMVIZ_SYNC_H
#define SHMVIZ_SYNC_H

/* Each mode is a pair of step tables (src/steps.c). */
enum sync_mode {
	SYNC_SEED,          /* the tutorial: empty/full, count unprotected */
	SYNC_MUTEX,         /* a binary semaphore around the critical section */
	SYNC_ATOMIC,        /* count and the indices changed atomically */
	SYNC_WRONG_ORDER,   /* the mutex taken before empty/full: deadlocks */
	SYNC_NONE,          /* no semaphores: each side polls count */
	SYNC_TWO_CVS_WHILE, /* a mutex m and condition variables empty and fill */
	SYNC_TWO_CVS_IF,    /* the same with if: a woken consumer may find none */
	SYNC_ONE_CV_WHILE,  /* one condition variable: everyone may fall asleep */
	SYNC_EXTRA_UNLOCK,  /* m let go around the slot: the slots race again */
	SYNC_ROBUST,        /* mutex, with a robust pthread mutex for the semaphore */
	SYNC_COUNT
};

const char *sync_name(enum sync_mode m);

/* One line: what the mode shows a class. */
const char *sync_lesson(enum sync_mode m);

/* The mode named s; -1 if there is none. */
int sync_parse(const char *s, enum sync_mode *m);

/* Whether the mode uses the empty and full semaphores, and the mutex. */
int sync_has_sems(enum sync_mode m);
int sync_has_mutex(enum sync_mode m);

/* Whether the mode uses the pthread mutex m; its condition variables;
 * and the flags its ring is initialised with (ring_init). */
int sync_has_m(enum sync_mode m);
int sync_has_cv(enum sync_mode m);
unsigned sync_ring_flags(enum sync_mode m);

#endif
