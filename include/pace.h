/* pace.h: absolute deadlines that keep a worker at its set rate */
#ifndef SHMVIZ_PACE_H
#define SHMVIZ_PACE_H

#include <stdint.h>

#define PACE_NS_PER_S INT64_C(1000000000)

/* How far a worker may fall behind its deadlines and still catch up. */
#define PACE_SLACK_NS (50 * INT64_C(1000000))

/* Rates are kept in milli-items per second; 0 means unpaced ("max"). */
#define PACE_MAX 0

/* Nanoseconds between items at `rate` (milli-items/s); 0 when unpaced. */
int64_t pace_period_ns(uint64_t rate);

/*
 * The deadline of the next item, one period after the previous one: a late
 * wake-up is made up by the next deadline, so the rate set is the rate got.
 * A worker more than PACE_SLACK_NS behind (it was blocked or paused) starts
 * afresh at `now` rather than bursting to catch up.
 */
int64_t pace_next(int64_t prev, int64_t period, int64_t now);

/* CLOCK_MONOTONIC in nanoseconds. */
int64_t pace_now(void);

/* Format a rate for people: "2/s", "0.5/s", "max". */
const char *pace_format(uint64_t rate, char *buf, unsigned len);

/* The next rate on the 1-2-5 ladder above (dir > 0) or below (dir < 0). */
uint64_t pace_ladder(uint64_t rate, int dir);

#endif
