/* opts.c: the command line, parsed from a table of options */
#include "opts.h"

#include <errno.h>
#include <grp.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ctl.h"
#include "pace.h"
#include "schedule.h"
#include "sync.h"

const char opts_usage[] =
"usage: shmviz [-n CAPACITY] [-r PRODUCER_RATE] [-R CONSUMER_RATE]\n"
"              [-P N] [-C M] [--sync MODE] [--items N]\n"
"              [--schedule PLAN | --schedule-file FILE | --random SEED]\n"
"              [--fps N] [--step-delay MS] [--freeze-on-violation]\n"
"              [--share GROUP]\n"
"              [--record FILE.cast]\n"
"       shmviz --headless [--duration SECONDS] [--steps N] [--json]\n"
"              [--trace] [options]\n"
"       shmviz -h | --help\n"
"       shmviz -V | --version\n"
"\n"
"A real producer and a real consumer process share a ring buffer in System V\n"
"shared memory, synchronised by two semaphores; shmviz shows it live.\n"
"\n"
"  -n, --capacity N        slots in the ring, 1 to 4096 (default 16)\n"
"  -r, --producer-rate R   items per second, decimals allowed, or max (default 3)\n"
"  -R, --consumer-rate R   items per second, decimals allowed, or max (default 2)\n"
"  -P N, -C M              producers and consumers, 1 to 8 each (default 1)\n"
"      --sync MODE         seed (the tutorial, default), mutex, atomic,\n"
"                          wrong-order, none; with a pthread mutex m and\n"
"                          condition variables: two-cvs-while, two-cvs-if,\n"
"                          one-cv-while, two-cvs-while-extra-unlock; robust\n"
"      --items N           each producer stops after N items; the ring drains\n"
"      --schedule PLAN     start paused and run only these steps, in order:\n"
"                          'P1:3 C1:6 P1:5' is 3 steps of P1, 6 of C1, 5 of P1\n"
"                          (a process is P1..Pn or C1..Cm; ':1' may be left out)\n"
"      --schedule-file F   the same, read from a file ('#' starts a comment)\n"
"      --random SEED       step the workers in an order drawn from SEED\n"
"      --steps N           with --random: stop after N steps\n"
"      --step-delay MS     between scheduled steps on screen (default 400)\n"
"      --share GROUP       let members of GROUP watch the session read-only\n"
"                          (shmviz attach SHMID): mode 0640 on what they see\n"
"      --freeze-on-violation  pause everything when an invariant breaks\n"
"      --fps N             screen frames per second, 1 to 120 (default 30)\n"
"      --headless          run without a terminal and print a summary\n"
"      --duration S        headless: stop after S seconds\n"
"      --json              headless: print the summary as one JSON object\n"
"      --trace             headless: add every step taken to the summary\n"
"      --record FILE.cast  on screen: record the session as an asciicast\n"
"  -h, --help              show this help\n"
"  -V, --version           show the version\n"
"\n"
"Keys on the screen:\n";

struct optdef;
typedef int (*opt_set)(struct opts *o, const struct optdef *d, const char *v);

/* One option: its names, its argument and what values it allows. */
struct optdef {
	char sname;             /* short name, or 0 */
	const char *lname;      /* long name, without "--" */
	const char *allowed;    /* what a value may be; NULL for a flag */
	opt_set set;
};

static int
set_capacity(struct opts *o, const struct optdef *d, const char *v)
{
	uint64_t n;

	(void)d;
	if (opts_whole(v, 1, 4096, &n) == -1)
		return -1;
	o->capacity = (uint32_t)n;
	return 0;
}

static int
set_prod_rate(struct opts *o, const struct optdef *d, const char *v)
{
	(void)d;
	return opts_rate(v, &o->prod_rate);
}

static int
set_cons_rate(struct opts *o, const struct optdef *d, const char *v)
{
	(void)d;
	return opts_rate(v, &o->cons_rate);
}

static int
set_items(struct opts *o, const struct optdef *d, const char *v)
{
	(void)d;
	return opts_whole(v, 1, OPTS_MAX_ITEMS, &o->items);
}

static int
set_fps(struct opts *o, const struct optdef *d, const char *v)
{
	uint64_t n;

	(void)d;
	if (opts_whole(v, 1, OPTS_MAX_FPS, &n) == -1)
		return -1;
	o->fps = (unsigned)n;
	return 0;
}

static int
set_duration(struct opts *o, const struct optdef *d, const char *v)
{
	double s;

	(void)d;
	if (opts_decimal(v, 0.001, OPTS_MAX_DURATION, &s) == -1)
		return -1;
	o->duration_ns = (int64_t)llround(s * 1e9);
	return 0;
}

static int
set_producers(struct opts *o, const struct optdef *d, const char *v)
{
	uint64_t n;

	(void)d;
	if (opts_whole(v, 1, CTL_MAX_PRODUCERS, &n) == -1)
		return -1;
	o->producers = (unsigned)n;
	return 0;
}

static int
set_consumers(struct opts *o, const struct optdef *d, const char *v)
{
	uint64_t n;

	(void)d;
	if (opts_whole(v, 1, CTL_MAX_CONSUMERS, &n) == -1)
		return -1;
	o->consumers = (unsigned)n;
	return 0;
}

static int
set_sync(struct opts *o, const struct optdef *d, const char *v)
{
	enum sync_mode m;

	(void)d;
	if (sync_parse(v, &m) == -1)
		return -1;
	o->sync = m;
	return 0;
}

/* Checked once everything is read: it depends on -P and -C. */
static int
set_schedule(struct opts *o, const struct optdef *d, const char *v)
{
	(void)d;
	o->schedule = v;
	return 0;
}

static int
set_schedule_file(struct opts *o, const struct optdef *d, const char *v)
{
	(void)d;
	o->schedule_file = v;
	return 0;
}

static int
set_random(struct opts *o, const struct optdef *d, const char *v)
{
	(void)d;
	o->random = 1;
	return opts_whole(v, 0, UINT64_MAX, &o->seed);
}

static int
set_steps(struct opts *o, const struct optdef *d, const char *v)
{
	(void)d;
	return opts_whole(v, 1, OPTS_MAX_STEPS, &o->steps);
}

/* Checked once everything is read: only on the screen. */
static int
set_record(struct opts *o, const struct optdef *d, const char *v)
{
	(void)d;
	if (v[0] == '\0')
		return -1;
	o->record = v;
	return 0;
}

static int
set_share(struct opts *o, const struct optdef *d, const char *v)
{
	struct group *g = v[0] ? getgrnam(v) : NULL;

	(void)d;
	if (g == NULL)
		return -1;
	o->share = 1;
	o->share_gid = (unsigned)g->gr_gid;
	return 0;
}

static int
set_step_delay(struct opts *o, const struct optdef *d, const char *v)
{
	uint64_t n;

	(void)d;
	if (opts_whole(v, 0, 60000, &n) == -1)
		return -1;
	o->step_delay_ms = (unsigned)n;
	return 0;
}

static int
set_flag(struct opts *o, const struct optdef *d, const char *v)
{
	(void)v;
	if (strcmp(d->lname, "help") == 0)
		o->help = 1;
	else if (strcmp(d->lname, "version") == 0)
		o->version = 1;
	else if (strcmp(d->lname, "json") == 0)
		o->json = 1;
	else if (strcmp(d->lname, "freeze-on-violation") == 0)
		o->freeze = 1;
	else if (strcmp(d->lname, "trace") == 0)
		o->trace = 1;
	else
		o->headless = 1;
	return 0;
}

#define RATE_ALLOWED "items per second from 0.001 to 1000000 (up to three " \
	"decimals, e.g. 0.5), or 'max'"

static const struct optdef optdefs[] = {
	{ 'n', "capacity", "a whole number of slots from 1 to 4096", set_capacity },
	{ 'r', "producer-rate", RATE_ALLOWED, set_prod_rate },
	{ 'R', "consumer-rate", RATE_ALLOWED, set_cons_rate },
	{ 'P', "producers", "a whole number of producers from 1 to 8",
	    set_producers },
	{ 'C', "consumers", "a whole number of consumers from 1 to 8",
	    set_consumers },
	{ 0, "sync", "one of seed, mutex, atomic, wrong-order, none, two-cvs-while, "
	    "two-cvs-if, one-cv-while, two-cvs-while-extra-unlock, robust", set_sync },
	{ 0, "schedule", "steps like 'P1:3 C1:6 P1' (a process P1..P8 or "
	    "C1..C8, then :N steps, N from 1 to 1000000)", set_schedule },
	{ 0, "schedule-file", "a file of steps like 'P1:3 C1:6', '#' starting "
	    "a comment", set_schedule_file },
	{ 0, "random", "a seed, a whole number from 0 to 18446744073709551615",
	    set_random },
	{ 0, "steps", "a whole number of steps from 1 to 10000000", set_steps },
	{ 0, "trace", NULL, set_flag },
	{ 0, "record", "a file to create, such as class.cast", set_record },
	{ 0, "share", "the name of a group on this machine", set_share },
	{ 0, "step-delay", "a whole number of milliseconds from 0 to 60000",
	    set_step_delay },
	{ 0, "freeze-on-violation", NULL, set_flag },
	{ 0, "items", "a whole number of items from 1 to 10^15", set_items },
	{ 0, "fps", "a whole number of frames per second from 1 to 120", set_fps },
	{ 0, "duration", "seconds from 0.001 to one year (up to three decimals, "
	    "e.g. 2.5)", set_duration },
	{ 0, "headless", NULL, set_flag },
	{ 0, "json", NULL, set_flag },
	{ 'h', "help", NULL, set_flag },
	{ 'V', "version", NULL, set_flag },
};
#define NOPTDEFS (sizeof(optdefs) / sizeof(optdefs[0]))

void
opts_defaults(struct opts *o)
{
	memset(o, 0, sizeof(*o));
	o->capacity = OPTS_CAPACITY;
	o->prod_rate = OPTS_PRODUCER_RATE;
	o->cons_rate = OPTS_CONSUMER_RATE;
	o->fps = OPTS_FPS;
	o->producers = 1;
	o->consumers = 1;
	o->step_delay_ms = OPTS_STEP_DELAY_MS;
}

int
opts_whole(const char *s, uint64_t lo, uint64_t hi, uint64_t *v)
{
	size_t n = strspn(s, "0123456789");
	unsigned long long x;

	/* Digits only: no sign, no spaces, no hex, nothing after. */
	if (n == 0 || s[n] != '\0' || n > 19)
		return -1;
	errno = 0;
	x = strtoull(s, NULL, 10);
	if (errno != 0 || x < lo || x > hi)
		return -1;
	*v = x;
	return 0;
}

int
opts_decimal(const char *s, double lo, double hi, double *v)
{
	size_t ip = strspn(s, "0123456789"), fp = 0;
	double x;

	/* Plain decimals: "2", "0.5", ".5", "2.".  No exponent, nan or inf,
	 * and no more than three decimals: milli-units are what is kept. */
	if (s[ip] == '.')
		fp = strspn(s + ip + 1, "0123456789") + 1;
	if (ip + fp == 0 || (ip == 0 && fp == 1) || s[ip + fp] != '\0' ||
	    ip > 15 || fp > 4)
		return -1;
	x = strtod(s, NULL);
	if (!isfinite(x) || x < lo || x > hi)
		return -1;
	*v = x;
	return 0;
}

int
opts_rate(const char *s, uint64_t *rate)
{
	double x;

	if (strcmp(s, "max") == 0) {
		*rate = PACE_MAX;
		return 0;
	}
	if (opts_decimal(s, 0.001, OPTS_MAX_RATE, &x) == -1)
		return -1;
	*rate = (uint64_t)llround(x * 1000);
	return 0;
}

static const struct optdef *
opts_find(const char *arg, const char **inline_val)
{
	size_t len;

	*inline_val = NULL;
	if (arg[1] != '-') {            /* -n, -n16 */
		for (size_t i = 0; i < NOPTDEFS; i++) {
			if (optdefs[i].sname && optdefs[i].sname == arg[1]) {
				if (arg[2] != '\0')
					*inline_val = arg + 2;
				return &optdefs[i];
			}
		}
		return NULL;
	}
	arg += 2;                       /* --items, --items=5 */
	len = strcspn(arg, "=");
	for (size_t i = 0; i < NOPTDEFS; i++) {
		if (strlen(optdefs[i].lname) == len &&
		    strncmp(optdefs[i].lname, arg, len) == 0) {
			if (arg[len] == '=')
				*inline_val = arg + len + 1;
			return &optdefs[i];
		}
	}
	return NULL;
}

const char *
opts_quote(const char *s, size_t n, char *buf, size_t len)
{
	size_t o = 0;

	for (size_t i = 0; i < n && s[i] && o + 5 < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (o + 8 >= len && i + 1 < n && s[i + 1]) {
			memcpy(buf + o, "...", 3);
			o += 3;
			break;
		}
		if (c < 0x20 || c == 0x7f)
			o += (size_t)snprintf(buf + o, len - o, "\\x%02x", c);
		else
			buf[o++] = (char)c;
	}
	buf[o] = '\0';
	return buf;
}

/* How the user named the option, for messages: "-n" or "--items". */
static const char *
opts_name(const char *arg, char *buf, size_t len)
{
	return opts_quote(arg, arg[1] == '-' ? strcspn(arg, "=") : 2, buf, len);
}

static int opts_check(struct opts *o, char *err, size_t errlen);

int
opts_parse(struct opts *o, int argc, char *const argv[], char *err,
    size_t errlen)
{
	unsigned char seen[NOPTDEFS] = { 0 };
	char name[64], q[64];

	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i], *val;
		const struct optdef *d;

		if (arg[0] != '-' || arg[1] == '\0') {
			snprintf(err, errlen, "unexpected argument '%s'; "
			    "try 'shmviz --help'", opts_quote(arg, strlen(arg), q,
			    sizeof(q)));
			return -1;
		}
		opts_name(arg, name, sizeof(name));
		if ((d = opts_find(arg, &val)) == NULL) {
			snprintf(err, errlen, "unknown option '%s'; "
			    "try 'shmviz --help'", name);
			return -1;
		}
		if (seen[d - optdefs]++) {
			snprintf(err, errlen, "%s is given twice; give each "
			    "option once", name);
			return -1;
		}
		if (d->allowed == NULL) {
			if (val != NULL) {
				snprintf(err, errlen, "%s takes no value", name);
				return -1;
			}
			d->set(o, d, NULL);
			continue;
		}
		if (val == NULL) {
			if (i + 1 >= argc) {
				snprintf(err, errlen, "%s needs a value: %s", name,
				    d->allowed);
				return -1;
			}
			val = argv[++i];
		}
		if (d->set(o, d, val) == -1) {
			snprintf(err, errlen, "%s: '%s' is not allowed; give %s",
			    name, opts_quote(val, strlen(val), q, sizeof(q)),
			    d->allowed);
			return -1;
		}
	}
	if (o->json && !o->headless) {
		snprintf(err, errlen, "--json goes with --headless");
		return -1;
	}
	if (o->duration_ns && !o->headless) {
		snprintf(err, errlen, "--duration goes with --headless");
		return -1;
	}
	return opts_check(o, err, errlen);
}

/* What goes with what, and the plan of steps: checked once everything is
 * read, since it depends on -P and -C. */
static int
opts_check(struct opts *o, char *err, size_t errlen)
{
	char why[200], q[80];

	if ((o->schedule != NULL) + (o->schedule_file != NULL) + o->random > 1) {
		snprintf(err, errlen, "give one of --schedule, --schedule-file and "
		    "--random");
		return -1;
	}
	if (o->steps && !o->random) {
		snprintf(err, errlen, "--steps goes with --random");
		return -1;
	}
	if (o->trace && !o->headless) {
		snprintf(err, errlen, "--trace goes with --headless (on the screen, "
		    "t shows the trace)");
		return -1;
	}
	if (o->record != NULL) {
		struct stat st;

		opts_quote(o->record, strlen(o->record), q, sizeof(q));
		if (o->headless) {
			snprintf(err, errlen, "--record records the screen: it does "
			    "not go with --headless");
			return -1;
		}
		if (lstat(o->record, &st) == 0) {
			snprintf(err, errlen, "--record: '%s' exists; give a file "
			    "that does not", q);
			return -1;
		}
	}
	if (o->schedule_file != NULL) {
		if ((o->schedule_text = schedule_slurp(o->schedule_file, why,
		    sizeof(why))) == NULL) {
			snprintf(err, errlen, "--schedule-file: %s", why);
			return -1;
		}
		o->schedule = o->schedule_text;
	}
	if (o->schedule != NULL && schedule_parse(o->schedule, o->producers,
	    o->consumers, NULL, why, sizeof(why)) == -1) {
		if (o->schedule_file != NULL)
			snprintf(err, errlen, "--schedule-file '%s': %s",
			    opts_quote(o->schedule_file, strlen(o->schedule_file), q,
			    sizeof(q)), why);
		else
			snprintf(err, errlen, "--schedule: %s", why);
		return -1;
	}
	return 0;
}

void
opts_free(struct opts *o)
{
	free(o->schedule_text);
	o->schedule_text = NULL;
}
