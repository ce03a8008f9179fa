/* evlog.h: the event log shown at the bottom of the screen */
#ifndef SHMVIZ_EVLOG_H
#define SHMVIZ_EVLOG_H

#include <stdint.h>

#define EVLOG_LINES 64
#define EVLOG_TEXT 640             /* more than the longest entry made */

struct evlog_entry {
	int64_t t;              /* CLOCK_MONOTONIC ns of its latest repeat */
	unsigned repeat;        /* how many times in a row it happened */
	char text[EVLOG_TEXT];
};

/* A ring of the newest EVLOG_LINES events; repeats fold into one line. */
struct evlog {
	struct evlog_entry e[EVLOG_LINES];
	unsigned n;             /* entries held */
	unsigned next;          /* where the next one goes */
	uint64_t gen;           /* bumped on every change, for redraws */
};

void evlog_add(struct evlog *l, int64_t t, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The entry `back` places before the newest (0 = newest), or NULL. */
const struct evlog_entry *evlog_get(const struct evlog *l, unsigned back);

#endif
