/* trend.c: throughput and occupancy over the last seconds */
#include "trend.h"

#include "snap.h"

void
trend_add(struct trend *tr, const struct snap *sn)
{
	unsigned last = (tr->next + TREND_SAMPLES - 1) % TREND_SAMPLES;

	if (tr->n == 0 || sn->t - tr->s[last].t >= TREND_SAMPLE_NS) {
		tr->s[tr->next].t = sn->t;
		tr->s[tr->next].done[0] = sn->produced;
		tr->s[tr->next].done[1] = sn->consumed;
		tr->s[tr->next].last[0] = sn->last_item[0];
		tr->s[tr->next].last[1] = sn->last_item[1];
		tr->next = (tr->next + 1) % TREND_SAMPLES;
		if (tr->n < TREND_SAMPLES)
			tr->n++;
		tr->gen++;
	}
	if (sn->t >= tr->spark_due) {
		tr->spark[tr->sparknext] = sn->capacity ?
		    (float)sn->fill / (float)sn->capacity : 0;
		tr->sparknext = (tr->sparknext + 1) % TREND_SPARK;
		if (tr->nspark < TREND_SPARK)
			tr->nspark++;
		tr->spark_due = sn->t + TREND_SPARK_NS;
		tr->gen++;
	}
}

double
trend_rate(const struct trend *tr, int role)
{
	unsigned newest, old;
	int64_t dt;
	uint64_t dv;

	if (tr->n < 2)
		return 0;
	newest = (tr->next + TREND_SAMPLES - 1) % TREND_SAMPLES;
	/* The oldest sample still inside the window. */
	for (unsigned back = tr->n - 1;; back--) {
		old = (tr->next + TREND_SAMPLES - 1 - back) % TREND_SAMPLES;
		if (tr->s[newest].t - tr->s[old].t <= TREND_WINDOW_NS || back == 1)
			break;
	}
	dv = tr->s[newest].done[role] - tr->s[old].done[role];
	if (dv == 0)
		return 0;
	dt = tr->s[newest].last[role] - tr->s[old].last[role];
	if (tr->s[old].done[role] == 0)         /* nothing before the window */
		dt = tr->s[newest].t - tr->s[old].t;
	return dt > 0 ? (double)dv * 1e9 / (double)dt : 0;
}

float
trend_spark(const struct trend *tr, unsigned back)
{
	if (back >= tr->nspark)
		return -1;
	return tr->spark[(tr->sparknext + 2 * TREND_SPARK - 1 - back) %
	    TREND_SPARK];
}
