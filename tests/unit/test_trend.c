/* test_trend.c: throughput over the last seconds, and occupancy */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "snap.h"
#include "trend.h"

#define MS (INT64_C(1000000))

/* Feed frames every 33 ms for `ms`, with a producer at `per_s` items/s. */
static void
run(struct trend *tr, struct snap *sn, int64_t *t, int64_t ms, int per_s)
{
	int64_t end = *t + ms * MS;

	for (; *t < end; *t += 33 * MS) {
		sn->t = *t;
		if (per_s > 0) {
			int64_t period = 1000 * MS / per_s;
			while (sn->last_item[0] + period <= *t) {
				sn->last_item[0] += period;
				sn->produced++;
			}
		}
		trend_add(tr, sn);
	}
}

static void
a_steady_rate_reads_exactly(void **state)
{
	struct trend *tr = calloc(1, sizeof(*tr));
	struct snap *sn = calloc(1, sizeof(*sn));
	int64_t t = 1000 * MS;

	(void)state;
	sn->capacity = 16;
	sn->last_item[0] = t;
	run(tr, sn, &t, 5000, 3);
	assert_float_equal(trend_rate(tr, 0), 3.0, 1e-6);
	assert_float_equal(trend_rate(tr, 1), 0.0, 1e-9);
	free(tr);
	free(sn);
}

static void
a_rate_that_stops_falls_to_zero_within_the_window(void **state)
{
	struct trend *tr = calloc(1, sizeof(*tr));
	struct snap *sn = calloc(1, sizeof(*sn));
	int64_t t = 1000 * MS;

	(void)state;
	sn->capacity = 16;
	sn->last_item[0] = t;
	run(tr, sn, &t, 4000, 50);
	assert_float_equal(trend_rate(tr, 0), 50.0, 1e-6);
	run(tr, sn, &t, 3500, 0);
	assert_float_equal(trend_rate(tr, 0), 0.0, 1e-9);
	free(tr);
	free(sn);
}

static void
occupancy_is_sampled_twice_a_second(void **state)
{
	struct trend *tr = calloc(1, sizeof(*tr));
	struct snap *sn = calloc(1, sizeof(*sn));
	int64_t t = 1000 * MS;

	(void)state;
	sn->capacity = 16;
	sn->fill = 4;
	run(tr, sn, &t, 2000, 0);
	sn->fill = 16;
	run(tr, sn, &t, 600, 0);
	assert_float_equal(trend_spark(tr, 0), 1.0, 1e-6);
	assert_float_equal(trend_spark(tr, 2), 0.25, 1e-6);
	assert_true(tr->nspark >= 5 && tr->nspark <= 6);
	assert_true(trend_spark(tr, TREND_SPARK) < 0);
	free(tr);
	free(sn);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_steady_rate_reads_exactly),
		cmocka_unit_test(a_rate_that_stops_falls_to_zero_within_the_window),
		cmocka_unit_test(occupancy_is_sampled_twice_a_second),
	};

	return cmocka_run_group_tests_name("trend", tests, NULL, NULL);
}
