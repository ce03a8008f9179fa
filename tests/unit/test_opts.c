/* test_opts.c: the command line, good and bad */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "opts.h"
#include "pace.h"
#include "schedule.h"
#include "sync.h"

#define MAXARGS 12

/* Parse a command line given as one string of space-separated words. */
static int
parse(struct opts *o, const char *line, char *err, size_t errlen)
{
	static char buf[512];
	char *argv[MAXARGS] = { "shmviz" };
	int argc = 1;

	opts_defaults(o);
	snprintf(buf, sizeof(buf), "%s", line);
	for (char *w = strtok(buf, " "); w && argc < MAXARGS; w = strtok(NULL, " "))
		argv[argc++] = strcmp(w, "''") == 0 ? "" : w;
	return opts_parse(o, argc, argv, err, errlen);
}

static void
defaults_keep_the_tutorials_three_to_two(void **state)
{
	struct opts o;
	char err[256];

	(void)state;
	assert_int_equal(parse(&o, "", err, sizeof(err)), 0);
	assert_int_equal(o.capacity, OPTS_CAPACITY);
	assert_int_equal(o.prod_rate * 2, o.cons_rate * 3);
	assert_int_equal(o.fps, 30);
	assert_int_equal(o.items, 0);
	assert_false(o.headless);
}

static void
good_values_are_taken(void **state)
{
	struct opts o;
	char err[256];

	(void)state;
	assert_int_equal(parse(&o, "-n 1 -r 2.5 -R max", err, sizeof(err)), 0);
	assert_int_equal(o.capacity, 1);
	assert_int_equal(o.prod_rate, 2500);
	assert_int_equal(o.cons_rate, PACE_MAX);
	assert_int_equal(parse(&o, "-n4096 --items 100 --fps 60", err,
	    sizeof(err)), 0);
	assert_int_equal(o.capacity, 4096);
	assert_int_equal(o.items, 100);
	assert_int_equal(o.fps, 60);
	assert_int_equal(parse(&o, "--capacity=32 -R .5 --headless --duration 2.5 "
	    "--json", err, sizeof(err)), 0);
	assert_int_equal(o.capacity, 32);
	assert_int_equal(o.cons_rate, 500);
	assert_int_equal(o.duration_ns, 2500000000);
	assert_true(o.headless && o.json);
	assert_int_equal(parse(&o, "-r 0.001 -R 1000000", err, sizeof(err)), 0);
	assert_int_equal(o.prod_rate, 1);
	assert_int_equal(o.cons_rate, 1000000000);
	assert_int_equal(parse(&o, "-P 8 -C 2 --sync wrong-order --schedule "
	    "P8:3,C2 --step-delay 0 --freeze-on-violation", err, sizeof(err)), 0);
	assert_int_equal(o.producers, 8);
	assert_int_equal(o.consumers, 2);
	assert_int_equal(o.sync, SYNC_WRONG_ORDER);
	assert_string_equal(o.schedule, "P8:3,C2");
	assert_int_equal(o.step_delay_ms, 0);
	assert_true(o.freeze);
	assert_int_equal(parse(&o, "-h", err, sizeof(err)), 0);
	assert_true(o.help);
	assert_int_equal(parse(&o, "--version", err, sizeof(err)), 0);
	assert_true(o.version);
}

/* Each bad command line, and a word its one-line message must contain. */
static const struct {
	const char *line;
	const char *names;
} bad[] = {
	{ "-n ''", "-n" }, { "-n abc", "-n" }, { "-n 0", "-n" },
	{ "-n 4097", "-n" }, { "-n -1", "-n" }, { "-n 1.5", "-n" },
	{ "-n 0x10", "-n" }, { "-n 1e3", "-n" }, { "-n 16k", "-n" },
	{ "-n 99999999999999999999999", "-n" }, { "--capacity=0", "--capacity" },
	{ "-r 0", "-r" }, { "-r -1", "-r" }, { "-r abc", "-r" }, { "-r ''", "-r" },
	{ "-r nan", "-r" }, { "-r inf", "-r" }, { "-r 1e309", "-r" },
	{ "-r 2/s", "-r" }, { "-r 1,5", "-r" }, { "-r 1000001", "-r" },
	{ "-r 0.0001", "-r" }, { "-r MAX", "-r" }, { "-r .", "-r" },
	{ "-r 0.000", "-r" }, { "-r 0.0015", "-r" }, { "-R 0", "-R" },
	{ "-R -2", "-R" }, { "--sync fast", "--sync" }, { "--sync ''", "--sync" },
	{ "-P 0", "-P" }, { "-P 9", "-P" }, { "-C 0", "-C" }, { "-C 9", "-C" },
	{ "--schedule ''", "--schedule" }, { "--schedule P1:0", "--schedule" },
	{ "--schedule X1", "--schedule" }, { "--schedule P2", "--schedule" },
	{ "-P 2 --schedule P3:1", "--schedule" }, { "--schedule C2", "--schedule" },
	{ "--schedule P1:x", "--schedule" }, { "--schedule P1:", "--schedule" },
	{ "--schedule P1:1000001", "--schedule" }, { "--step-delay -1", "--step-delay" },
	{ "--step-delay 60001", "--step-delay" },
	{ "-R x", "-R" }, { "--items 0", "--items" }, { "--items -5", "--items" },
	{ "--items 1e3", "--items" }, { "--items 1000000000000001", "--items" },
	{ "--fps 0", "--fps" }, { "--fps 121", "--fps" }, { "--fps ten", "--fps" },
	{ "--headless --duration 0", "--duration" },
	{ "--headless --duration -1", "--duration" },
	{ "--headless --duration nan", "--duration" },
	{ "--bogus", "--bogus" }, { "-x", "-x" }, { "-n", "-n" },
	{ "--items", "--items" }, { "-r", "-r" }, { "-n 4 -n 5", "-n" },
	{ "-n 4 --capacity 5", "--capacity" }, { "--headless --json=1", "--json" },
	{ "foo", "foo" }, { "--json", "--json" }, { "--duration 5", "--duration" },
};

static void
every_bad_value_is_refused_with_one_line_naming_it(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct opts o;
		char err[320] = "";

		if (parse(&o, bad[i].line, err, sizeof(err)) != -1)
			fail_msg("accepted: shmviz %s", bad[i].line);
		if (strstr(err, bad[i].names) == NULL)
			fail_msg("'%s': message does not name it: %s", bad[i].line,
			    err);
		if (strchr(err, '\n') != NULL || strlen(err) == 0)
			fail_msg("'%s': not one line: %s", bad[i].line, err);
	}
}

static void
a_value_message_says_what_is_allowed(void **state)
{
	struct opts o;
	char err[320];

	(void)state;
	parse(&o, "-n 0", err, sizeof(err));
	assert_non_null(strstr(err, "1 to 4096"));
	parse(&o, "-r abc", err, sizeof(err));
	assert_non_null(strstr(err, "'max'"));
	parse(&o, "-n", err, sizeof(err));
	assert_non_null(strstr(err, "needs a value"));
}

static void
whole_numbers_take_digits_only(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(opts_whole("42", 1, 100, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(opts_whole("+42", 1, 100, &v), -1);
	assert_int_equal(opts_whole(" 42", 1, 100, &v), -1);
	assert_int_equal(opts_whole("42 ", 1, 100, &v), -1);
	assert_int_equal(opts_whole("18446744073709551616", 1, UINT64_MAX, &v), -1);
}

static void
a_schedule_reads_as_entries_of_steps(void **state)
{
	static struct schedule s;
	char err[160];

	(void)state;
	assert_int_equal(schedule_parse("P1:3 C1:6,P2  C1:1000000", 2, 1, &s, err,
	    sizeof(err)), 0);
	assert_int_equal(s.n, 4);
	assert_int_equal(s.e[0].role, ROLE_PRODUCER);
	assert_int_equal(s.e[0].index, 0);
	assert_int_equal(s.e[0].steps, 3);
	assert_int_equal(s.e[1].role, ROLE_CONSUMER);
	assert_int_equal(s.e[1].steps, 6);
	assert_int_equal(s.e[2].index, 1);
	assert_int_equal(s.e[2].steps, 1);
	assert_int_equal(s.e[3].steps, 1000000);
	assert_int_equal(schedule_parse("P9", 2, 1, NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no P9 with 2 producer"));
	schedule_free(&s);
}

static void
a_schedule_file_has_comments_and_lines(void **state)
{
	struct schedule s = { 0 };
	char err[160], *text;

	(void)state;
	assert_int_equal(schedule_parse("# the lost update\nP1:8 P1:6 # one\n"
	    "\tC1:8,\n P1#no space needed\n", 1, 1, &s, err, sizeof(err)), 0);
	assert_int_equal(s.n, 4);
	assert_int_equal(s.e[3].steps, 1);
	assert_non_null(text = schedule_format(&s));
	assert_string_equal(text, "P1:8 P1:6 C1:8 P1");
	free(text);
	/* steps pushed join the entry of the same process */
	s.n = 0;
	assert_int_equal(schedule_push(&s, ROLE_PRODUCER, 0), 0);
	assert_int_equal(schedule_push(&s, ROLE_PRODUCER, 0), 0);
	assert_int_equal(schedule_push(&s, ROLE_CONSUMER, 0), 0);
	assert_int_equal(schedule_push_front(&s, ROLE_CONSUMER, 1), 0);
	assert_non_null(text = schedule_format(&s));
	assert_string_equal(text, "C2 P1:2 C1");
	free(text);
	assert_int_equal(schedule_steps(&s), 4);
	assert_int_equal(schedule_parse("# only a comment\n", 1, 1, &s, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "is empty"));
	schedule_free(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults_keep_the_tutorials_three_to_two),
		cmocka_unit_test(good_values_are_taken),
		cmocka_unit_test(every_bad_value_is_refused_with_one_line_naming_it),
		cmocka_unit_test(a_value_message_says_what_is_allowed),
		cmocka_unit_test(whole_numbers_take_digits_only),
		cmocka_unit_test(a_schedule_reads_as_entries_of_steps),
		cmocka_unit_test(a_schedule_file_has_comments_and_lines),
	};

	return cmocka_run_group_tests_name("opts", tests, NULL, NULL);
}
