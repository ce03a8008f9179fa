/* trend.h: throughput and occupancy over the last seconds */
#ifndef SHMVIZ_TREND_H
#define SHMVIZ_TREND_H

#include <stdint.h>

struct snap;

#define TREND_SAMPLE_NS (100 * INT64_C(1000000))   /* counters, 10 a second */
#define TREND_SAMPLES 64
#define TREND_WINDOW_NS (3 * INT64_C(1000000000))  /* throughput window */
#define TREND_SPARK_NS (500 * INT64_C(1000000))    /* occupancy, 2 a second */
#define TREND_SPARK 200

struct trend {
	struct {
		int64_t t;
		uint64_t done[2];       /* by role: items completed */
		int64_t last[2];        /* by role: when the newest completed */
	} s[TREND_SAMPLES];             /* counter samples, oldest overwritten */
	unsigned n, next;
	float spark[TREND_SPARK];       /* fill / capacity, oldest first once full */
	unsigned nspark, sparknext;
	int64_t spark_due;              /* when the next occupancy sample is due */
	uint64_t gen;                   /* bumped when anything shown changes */
};

/* Record what a snapshot shows, if a sample is due. */
void trend_add(struct trend *tr, const struct snap *sn);

/*
 * Items per second produced (role 0) or consumed (1) over the window: the
 * items completed in it, over the time between the completion before it
 * and the newest, so that a steady rate reads exactly.
 */
double trend_rate(const struct trend *tr, int role);

/* Occupancy sample `back` places before the newest, or -1. */
float trend_spark(const struct trend *tr, unsigned back);

#endif
