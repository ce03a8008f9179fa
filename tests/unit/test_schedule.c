/* test_schedule.c: schedules as text, and the history built step by step */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "schedule.h"

/* Parse for two producers and two consumers, and format back. */
static char *
round_trip(const char *text)
{
	struct schedule s = { 0 };
	char err[160], *out;

	assert_int_equal(schedule_parse(text, 2, 2, &s, err, sizeof(err)), 0);
	out = schedule_format(&s);
	assert_non_null(out);
	schedule_free(&s);
	return out;
}

static void
a_schedule_formats_back_to_its_own_grammar(void **state)
{
	char *out = round_trip("P1:14 C1:8 P1");

	(void)state;
	assert_string_equal(out, "P1:14 C1:8 P1");
	free(out);
}

static void
commas_newlines_and_comments_are_separators(void **state)
{
	char *out = round_trip("# a lesson\nP1:8, P2 # the other one\n\tC2:3\n");

	(void)state;
	assert_string_equal(out, "P1:8 P2 C2:3");
	free(out);
}

static void
a_bad_schedule_says_what_is_wrong(void **state)
{
	struct schedule s = { 0 };
	char err[160];

	(void)state;
	assert_int_equal(schedule_parse("P3", 2, 2, NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "P3"));
	assert_int_equal(schedule_parse("C1:0", 2, 2, &s, err, sizeof(err)), -1);
	assert_int_equal(s.n, 0);
	assert_int_equal(schedule_parse("# only a comment\n", 2, 2, NULL, err,
	    sizeof(err)), -1);
	assert_int_equal(schedule_parse("P1:x", 2, 2, NULL, err, sizeof(err)),
	    -1);
}

static void
steps_of_one_process_in_a_row_join_one_entry(void **state)
{
	struct schedule s = { 0 };
	char *out;

	(void)state;
	for (int i = 0; i < 3; i++)
		assert_int_equal(schedule_push(&s, ROLE_PRODUCER, 0), 0);
	assert_int_equal(schedule_push(&s, ROLE_CONSUMER, 1), 0);
	assert_int_equal(schedule_push_front(&s, ROLE_PRODUCER, 0), 0);
	assert_int_equal(schedule_push_front(&s, ROLE_CONSUMER, 0), 0);
	assert_int_equal(s.n, 3);
	assert_int_equal(schedule_steps(&s), 6);
	out = schedule_format(&s);
	assert_string_equal(out, "C1 P1:4 C2");
	free(out);
	schedule_free(&s);
}

static void
pop_back_takes_the_last_step_off(void **state)
{
	struct schedule s = { 0 }, copy = { 0 };
	enum role role;
	unsigned index;
	char err[160], *out;

	(void)state;
	assert_int_equal(schedule_parse("P1:2 C1", 1, 1, &s, err, sizeof(err)), 0);
	assert_int_equal(schedule_copy(&copy, &s), 0);
	assert_int_equal(schedule_pop_back(&s, &role, &index), 0);
	assert_int_equal(role, ROLE_CONSUMER);
	assert_int_equal(index, 0);
	assert_int_equal(schedule_pop_back(&s, &role, &index), 0);
	assert_int_equal(role, ROLE_PRODUCER);
	out = schedule_format(&s);
	assert_string_equal(out, "P1");
	free(out);
	assert_int_equal(schedule_pop_back(&s, &role, &index), 0);
	assert_int_equal(schedule_pop_back(&s, &role, &index), -1);
	/* the copy is its own */
	out = schedule_format(&copy);
	assert_string_equal(out, "P1:2 C1");
	free(out);
	schedule_free(&s);
	schedule_free(&copy);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_schedule_formats_back_to_its_own_grammar),
		cmocka_unit_test(commas_newlines_and_comments_are_separators),
		cmocka_unit_test(a_bad_schedule_says_what_is_wrong),
		cmocka_unit_test(steps_of_one_process_in_a_row_join_one_entry),
		cmocka_unit_test(pop_back_takes_the_last_step_off),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
