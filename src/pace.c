/* pace.c: absolute deadlines that keep a worker at its set rate */
#include "pace.h"

#include <stdio.h>
#include <time.h>

/* The rate ladder in milli-items/s: 0.1/s up to 100000/s, then max. */
#define LADDER_LOW UINT64_C(100)
#define LADDER_HIGH UINT64_C(100000000)

int64_t
pace_period_ns(uint64_t rate)
{
	if (rate == PACE_MAX)
		return 0;
	return (int64_t)((UINT64_C(1000) * (uint64_t)PACE_NS_PER_S + rate / 2) /
	    rate);
}

int64_t
pace_next(int64_t prev, int64_t period, int64_t now)
{
	int64_t next = prev + period;

	if (next < now - PACE_SLACK_NS)
		next = now;
	return next;
}

int64_t
pace_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * PACE_NS_PER_S + ts.tv_nsec;
}

const char *
pace_format(uint64_t rate, char *buf, unsigned len)
{
	if (rate == PACE_MAX)
		snprintf(buf, len, "max");
	else if (rate % 1000 == 0)
		snprintf(buf, len, "%llu/s", (unsigned long long)(rate / 1000));
	else if (rate >= 100000)
		snprintf(buf, len, "%.0f/s", rate / 1000.0);
	else
		snprintf(buf, len, "%.3g/s", rate / 1000.0);
	return buf;
}

/* Steps 1, 2, 5 in each decade from LADDER_LOW to LADDER_HIGH. */
static uint64_t
ladder_step(uint64_t x, int up)
{
	uint64_t decade = 1, best = 0;

	for (; decade * LADDER_LOW <= LADDER_HIGH; decade *= 10) {
		static const unsigned mult[] = { 1, 2, 5 };
		for (unsigned i = 0; i < 3; i++) {
			uint64_t v = LADDER_LOW * decade * mult[i];
			if (v > LADDER_HIGH)
				break;
			if (up && v > x)
				return v;
			if (!up && v < x)
				best = v;
		}
	}
	return up ? PACE_MAX : best;
}

uint64_t
pace_ladder(uint64_t rate, int dir)
{
	if (dir > 0)
		return rate == PACE_MAX ? PACE_MAX : ladder_step(rate, 1);
	if (rate == PACE_MAX)
		return LADDER_HIGH;
	rate = ladder_step(rate, 0);
	return rate ? rate : LADDER_LOW;
}
