/* test_check.c: the consumers' record of arrivals, and the event log */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include <string.h>

#include "check.h"
#include "evlog.h"

static struct check *
new_check(void)
{
	struct check *c = calloc(1, sizeof(*c));

	assert_non_null(c);
	return c;
}

static void
first_arrival_is_new_second_is_duplicate(void **state)
{
	struct check *c = new_check();

	(void)state;
	assert_int_equal(check_item(c, 0), CHECK_NEW);
	assert_int_equal(check_item(c, 1), CHECK_NEW);
	assert_int_equal(check_item(c, 0), CHECK_DUP);
	assert_int_equal(check_item(c, 1), CHECK_DUP);
	free(c);
}

static void
unseen_counts_the_gaps_below_what_was_produced(void **state)
{
	struct check *c = new_check();

	(void)state;
	check_item(c, 0);
	check_item(c, 1);
	check_item(c, 3);
	assert_int_equal(check_unseen(c, 4), 1);
	assert_int_equal(check_unseen(c, 10), 7);
	check_item(c, 2);
	assert_int_equal(check_unseen(c, 4), 0);
	free(c);
}

static void
a_sliding_window_settles_old_gaps_as_lost(void **state)
{
	struct check *c = new_check();
	uint64_t n = 3 * CHECK_WINDOW;

	(void)state;
	for (uint64_t s = 0; s < n; s++)
		if (s != 5 && s != CHECK_WINDOW + 77)
			assert_int_equal(check_item(c, s), CHECK_NEW);
	/* Both gaps are far behind now: settled and counted once each. */
	assert_true(atomic_load(&c->base) > CHECK_WINDOW + 77);
	assert_int_equal(atomic_load(&c->lost), 2);
	assert_int_equal(check_unseen(c, n), 2);
	free(c);
}

static void
log_folds_repeats_into_one_line(void **state)
{
	static struct evlog l;

	(void)state;
	evlog_add(&l, 1, "P1 waits on %s", "empty");
	evlog_add(&l, 2, "P1 waits on %s", "empty");
	evlog_add(&l, 3, "C1 exited");
	assert_int_equal(l.n, 2);
	assert_string_equal(evlog_get(&l, 0)->text, "C1 exited");
	assert_int_equal(evlog_get(&l, 1)->repeat, 2);
	assert_null(evlog_get(&l, 2));
}

static void
log_keeps_the_newest_lines(void **state)
{
	static struct evlog l;

	(void)state;
	for (int i = 0; i < EVLOG_LINES + 10; i++)
		evlog_add(&l, i, "event %d", i);
	assert_int_equal(l.n, EVLOG_LINES);
	assert_string_equal(evlog_get(&l, 0)->text, "event 73");
	assert_string_equal(evlog_get(&l, EVLOG_LINES - 1)->text, "event 10");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(first_arrival_is_new_second_is_duplicate),
		cmocka_unit_test(unseen_counts_the_gaps_below_what_was_produced),
		cmocka_unit_test(a_sliding_window_settles_old_gaps_as_lost),
		cmocka_unit_test(log_folds_repeats_into_one_line),
		cmocka_unit_test(log_keeps_the_newest_lines),
	};

	return cmocka_run_group_tests_name("check", tests, NULL, NULL);
}
