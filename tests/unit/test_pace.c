/* test_pace.c: deadlines, rates and the rate ladder */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "pace.h"

#define MS (INT64_C(1000000))

static void
period_is_the_inverse_of_the_rate(void **state)
{
	(void)state;
	assert_int_equal(pace_period_ns(1000), PACE_NS_PER_S);          /* 1/s */
	assert_int_equal(pace_period_ns(3000), 333333333);              /* 3/s */
	assert_int_equal(pace_period_ns(500), 2 * PACE_NS_PER_S);       /* 0.5/s */
	assert_int_equal(pace_period_ns(1000000000), 1000);             /* 10^6/s */
	assert_int_equal(pace_period_ns(PACE_MAX), 0);
}

static void
next_deadline_is_one_period_after_the_last(void **state)
{
	(void)state;
	assert_int_equal(pace_next(1000 * MS, 100 * MS, 1000 * MS), 1100 * MS);
	/* Woken a little late: the next deadline does not move. */
	assert_int_equal(pace_next(1000 * MS, 100 * MS, 1130 * MS), 1100 * MS);
}

static void
a_worker_far_behind_starts_afresh(void **state)
{
	(void)state;
	/* Blocked or paused for a second: no burst to catch up. */
	assert_int_equal(pace_next(1000 * MS, 100 * MS, 2000 * MS), 2000 * MS);
}

static void
deadlines_do_not_drift_with_late_wakeups(void **state)
{
	int64_t start = 5000 * MS, prev = start, period = pace_period_ns(100000);

	(void)state;
	/* 1000 items at 100/s, each woken up to 3 ms late. */
	for (int i = 0; i < 1000; i++) {
		int64_t next = pace_next(prev, period, prev + (i % 4) * MS);
		prev = next;
	}
	assert_int_equal(prev, start + 1000 * period);
}

static void
ladder_steps_one_two_five(void **state)
{
	(void)state;
	assert_int_equal(pace_ladder(1000, 1), 2000);
	assert_int_equal(pace_ladder(2000, 1), 5000);
	assert_int_equal(pace_ladder(5000, 1), 10000);
	assert_int_equal(pace_ladder(10000, -1), 5000);
	assert_int_equal(pace_ladder(500, -1), 200);
}

static void
ladder_from_between_steps_goes_to_the_neighbours(void **state)
{
	(void)state;
	assert_int_equal(pace_ladder(3000, 1), 5000);
	assert_int_equal(pace_ladder(3000, -1), 2000);
	assert_int_equal(pace_ladder(66667, 1), 100000);
}

static void
ladder_ends_at_one_tenth_and_at_max(void **state)
{
	(void)state;
	assert_int_equal(pace_ladder(100, -1), 100);
	assert_int_equal(pace_ladder(50, -1), 100);
	assert_int_equal(pace_ladder(100000000, 1), PACE_MAX);
	assert_int_equal(pace_ladder(PACE_MAX, 1), PACE_MAX);
	assert_int_equal(pace_ladder(PACE_MAX, -1), 100000000);
}

static void
rates_read_as_people_write_them(void **state)
{
	char b[24];

	(void)state;
	assert_string_equal(pace_format(2000, b, sizeof(b)), "2/s");
	assert_string_equal(pace_format(500, b, sizeof(b)), "0.5/s");
	assert_string_equal(pace_format(66667, b, sizeof(b)), "66.7/s");
	assert_string_equal(pace_format(PACE_MAX, b, sizeof(b)), "max");
	assert_string_equal(pace_format(100000000, b, sizeof(b)), "100000/s");
}

static void
now_is_monotonic(void **state)
{
	int64_t a = pace_now(), b = pace_now();

	(void)state;
	assert_true(a > 0);
	assert_true(b >= a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(period_is_the_inverse_of_the_rate),
		cmocka_unit_test(next_deadline_is_one_period_after_the_last),
		cmocka_unit_test(a_worker_far_behind_starts_afresh),
		cmocka_unit_test(deadlines_do_not_drift_with_late_wakeups),
		cmocka_unit_test(ladder_steps_one_two_five),
		cmocka_unit_test(ladder_from_between_steps_goes_to_the_neighbours),
		cmocka_unit_test(ladder_ends_at_one_tenth_and_at_max),
		cmocka_unit_test(rates_read_as_people_write_them),
		cmocka_unit_test(now_is_monotonic),
	};

	return cmocka_run_group_tests_name("pace", tests, NULL, NULL);
}
