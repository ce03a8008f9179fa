/* explore_cli.c: shmviz explore, its options and its report */
#include "explore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"
#include "jout.h"
#include "opts.h"
#include "ring.h"
#include "sig.h"
#include "sync.h"

#define EXPLORE_MAX_ITEMS 64

static const char explore_usage[] =
"usage: shmviz explore [--sync MODE] [-P N] [-C M] [-n CAPACITY] [--items K]\n"
"                      [--preemptions B|all] [--max-schedules N] [--json]\n"
"\n"
"Run the interleavings of the workers' lines on real producer and consumer\n"
"processes and count them by outcome.\n"
"\n"
"  --sync MODE          seed (default), mutex, atomic, wrong-order, none,\n"
"                       two-cvs-while, two-cvs-if, one-cv-while,\n"
"                       two-cvs-while-extra-unlock, robust\n"
"  -P N, -C M           producers and consumers, 1 to 8 (default 1 each);\n"
"                       also --producers, --consumers\n"
"  -n CAPACITY          slots in the ring, 1 to 4096 (default 2); also\n"
"                       --capacity\n"
"  --items K            items each producer makes, 1 to 64 (default 2)\n"
"  --preemptions B|all  switches away from a worker that could go on, at\n"
"                       most (default 2); all: every interleaving\n"
"  --max-schedules N    stop after N runs from a fresh ring, and report\n"
"                       (default 1000000)\n"
"  --json               one JSON object instead of the table\n";

struct explore_args {
	struct explore_opts o;
	int json;
};

/* One option's value: -1 with the line said. */
static int
explore_value(const char *name, const char *v, uint64_t lo, uint64_t hi,
    const char *allowed, uint64_t *n)
{
	if (v == NULL) {
		fprintf(stderr, "shmviz explore: %s needs a value: %s\n", name,
		    allowed);
		return -1;
	}
	if (opts_whole(v, lo, hi, n) == -1) {
		char q[64];

		fprintf(stderr, "shmviz explore: %s: '%s' is not allowed; give "
		    "%s\n", name, opts_quote(v, strlen(v), q, sizeof(q)), allowed);
		return -1;
	}
	return 0;
}

static const char *const explore_names[] = {
	"--sync", "-P", "-C", "-n", "--items", "--preemptions",
	"--max-schedules", "--json", "--producers", "--consumers", "--capacity",
};
/* The long names' places: the short ones'. */
static const unsigned explore_same[] = { 0, 1, 2, 3, 4, 5, 6, 7, 1, 2, 3 };
#define NEXPLORE_OPTS (sizeof(explore_names) / sizeof(explore_names[0]))

static int
explore_args(struct explore_args *a, int argc, char *argv[])
{
	int seen[NEXPLORE_OPTS] = { 0 };
	char name[64], q[64];

	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i], *eq = strchr(arg, '='), *v;
		size_t nlen = eq && arg[1] == '-' ? (size_t)(eq - arg) : strlen(arg);
		unsigned k;
		uint64_t n;

		opts_quote(arg, nlen, name, sizeof(name));
		if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
			fputs(explore_usage, stdout);
			exit(0);
		}
		for (k = 0; k < NEXPLORE_OPTS; k++)
			if (strlen(explore_names[k]) == nlen &&
			    strncmp(arg, explore_names[k], nlen) == 0)
				break;
		if (k == NEXPLORE_OPTS) {
			fprintf(stderr, "shmviz explore: %s '%s'; see 'shmviz "
			    "explore --help'\n", arg[0] == '-' ? "unknown option" :
			    "unexpected argument", name);
			return -1;
		}
		k = explore_same[k];
		if (seen[k]++) {
			fprintf(stderr, "shmviz explore: %s is given twice; give each "
			    "option once\n", name);
			return -1;
		}
		if (strcmp(explore_names[k], "--json") == 0) {
			if (eq && arg[1] == '-') {
				fprintf(stderr, "shmviz explore: --json takes no value\n");
				return -1;
			}
			a->json = 1;
			continue;
		}
		v = eq && arg[1] == '-' ? eq + 1 : i + 1 < argc ? argv[++i] : NULL;
		switch (k) {
		case 0: {
			enum sync_mode m;

			if (v == NULL || sync_parse(v, &m) == -1) {
				fprintf(stderr, "shmviz explore: --sync: '%s' is not a "
				    "mode; give seed, mutex, atomic, wrong-order, none, "
				    "two-cvs-while, two-cvs-if, one-cv-while, "
				    "two-cvs-while-extra-unlock or robust\n",
				    v == NULL ? "" : opts_quote(v, strlen(v), q, sizeof(q)));
				return -1;
			}
			a->o.sync = m;
			break;
		}
		case 1:
		case 2:
			if (explore_value(name, v, 1, CTL_MAX_PRODUCERS, "a whole "
			    "number from 1 to 8", &n) == -1)
				return -1;
			if (k == 1)
				a->o.producers = (unsigned)n;
			else
				a->o.consumers = (unsigned)n;
			break;
		case 3:
			if (explore_value(name, v, 1, RING_MAX_CAPACITY, "a whole "
			    "number of slots from 1 to 4096", &n) == -1)
				return -1;
			a->o.capacity = (unsigned)n;
			break;
		case 4:
			if (explore_value(name, v, 1, EXPLORE_MAX_ITEMS, "a whole "
			    "number of items from 1 to 64", &n) == -1)
				return -1;
			a->o.items = n;
			break;
		case 5:
			if (v != NULL && strcmp(v, "all") == 0) {
				a->o.preemptions = -1;
				break;
			}
			if (explore_value(name, v, 0, 1000, "a whole number from 0 "
			    "to 1000, or all", &n) == -1)
				return -1;
			a->o.preemptions = (int)n;
			break;
		case 6:
			if (explore_value(name, v, 1, UINT64_C(1000000000000),
			    "a whole number of schedules from 1", &n) == -1)
				return -1;
			a->o.max_schedules = n;
			break;
		}
	}
	return 0;
}

/* A count in the JSON: a whole number while it fits one, else the nearest
 * real (and "exact" says so). */
static json_t *
explore_count_json(explore_n n)
{
	if (n <= (explore_n)INT64_MAX)
		return jout_uint((uint64_t)n);
	return json_real((double)n);
}

/* Progress on stderr, once a search has taken a second. */
struct explore_progress {
	int shown, tty;
	double next;
};

static void
explore_progress(void *arg, uint64_t schedules, uint64_t states,
    double elapsed_s)
{
	struct explore_progress *p = arg;

	if (elapsed_s < 1 || elapsed_s < p->next)
		return;
	p->next = elapsed_s + 1;
	p->shown = 1;
	fprintf(stderr, "%sexplore: %llu schedules, %llu states, %.0f s%s",
	    p->tty ? "\r" : "", (unsigned long long)schedules,
	    (unsigned long long)states, elapsed_s, p->tty ? "" : "\n");
}

static const char *
explore_stop_name(enum explore_stop s)
{
	return s == EXPLORE_SIGNAL ? "signal" : s == EXPLORE_LIMIT ?
	    "max-schedules" : "";
}

static int
explore_json(const struct explore_args *a, const struct explore_result *r)
{
	json_t *o = json_object(), *outs = json_array();
	char name[96];
	int rc;

	jout_set(o, "sync", jout_string(sync_name(a->o.sync)));
	jout_set(o, "producers", jout_uint(a->o.producers));
	jout_set(o, "consumers", jout_uint(a->o.consumers));
	jout_set(o, "capacity", jout_uint(a->o.capacity));
	jout_set(o, "items", jout_uint(a->o.items));
	jout_set(o, "preemptions", a->o.preemptions < 0 ? jout_string("all") :
	    jout_uint((uint64_t)a->o.preemptions));
	jout_set(o, "complete", json_boolean(r->stop == EXPLORE_DONE &&
	    !r->bounded));
	jout_set(o, "bounded", json_boolean(r->bounded));
	jout_set(o, "stopped", jout_string(explore_stop_name(r->stop)));
	jout_set(o, "schedules", jout_uint(r->schedules));
	jout_set(o, "end_states", jout_uint(r->end_states));
	jout_set(o, "states", jout_uint(r->states));
	jout_set(o, "interleavings", explore_count_json(r->interleavings));
	jout_set(o, "exact", json_boolean(r->interleavings <=
	    (explore_n)INT64_MAX));
	jout_set(o, "saturated", json_boolean(r->saturated));
	jout_set(o, "steps", jout_uint(r->steps));
	jout_set(o, "round_trips", jout_uint(r->trips));
	jout_set(o, "elapsed_s", jout_real(r->elapsed_s, 6));
	jout_set(o, "schedules_per_s", jout_real(r->elapsed_s > 0 ?
	    (double)r->schedules / r->elapsed_s : 0, 0));
	jout_set(o, "steps_per_s", jout_real(r->elapsed_s > 0 ?
	    (double)r->steps / r->elapsed_s : 0, 0));
	jout_set(o, "round_trips_per_s", jout_real(r->elapsed_s > 0 ?
	    (double)r->trips / r->elapsed_s : 0, 0));
	for (unsigned k = 0; k < r->n; k++) {
		const struct explore_outcome *e = &r->out[k];
		json_t *v = json_object();

		jout_set(v, "outcome", jout_string(explore_outcome_name(e->mask,
		    name, sizeof(name))));
		jout_set(v, "count", explore_count_json(e->count));
		jout_set(v, "share", jout_real(explore_share(r, e->count) / 100,
		    6));
		jout_set(v, "forbidden", json_boolean(e->mask != 0));
		jout_set(v, "shortest", jout_string(e->shortest ? e->shortest :
		    ""));
		jout_push(outs, v);
	}
	jout_set(o, "outcomes", outs);
	rc = jout_print(stdout, o);
	json_decref(o);
	return rc;
}

static int
explore_text(const struct explore_args *a, const struct explore_result *r)
{
	const struct explore_opts *o = &a->o;
	char pre[32], args[160], name[96], num[48];
	int namew = 7, numw = 13;

	if (o->preemptions < 0)
		snprintf(pre, sizeof(pre), "all");
	else
		snprintf(pre, sizeof(pre), "%d", o->preemptions);
	snprintf(args, sizeof(args), "--sync %s -P %u -C %u -n %u --items %llu",
	    sync_name(o->sync), o->producers, o->consumers, o->capacity,
	    (unsigned long long)o->items);
	printf("shmviz explore %s --preemptions %s\n", args, pre);
	printf("explored %llu schedule%s (%llu distinct end state%s) of %s%s "
	    "interleaving%s", (unsigned long long)r->schedules,
	    r->schedules == 1 ? "" : "s", (unsigned long long)r->end_states,
	    r->end_states == 1 ? "" : "s", r->saturated ? "at least " : "",
	    explore_n_text(r->interleavings, num, sizeof(num)),
	    r->interleavings == 1 ? "" : "s");
	if (r->stop != EXPLORE_DONE)
		printf("\nINCOMPLETE: stopped by %s; the counts are of the orders "
		    "searched so far%s\n", r->stop == EXPLORE_SIGNAL ? "a signal" :
		    "--max-schedules", r->bounded ? ", within the bound of "
		    "--preemptions" : "");
	else if (r->bounded)
		printf(", bounded: the orders with at most %d preemption%s "
		    "(--preemptions all counts every one)\n", o->preemptions,
		    o->preemptions == 1 ? "" : "s");
	else
		printf(": every one\n");
	printf("  %llu states, %llu steps (%llu round trips) in %.3f s: %.0f "
	    "schedules/s, %.0f steps/s\n\n", (unsigned long long)r->states,
	    (unsigned long long)r->steps, (unsigned long long)r->trips,
	    r->elapsed_s, r->elapsed_s > 0 ? (double)r->schedules /
	    r->elapsed_s : 0, r->elapsed_s > 0 ? (double)r->steps /
	    r->elapsed_s : 0);
	for (unsigned k = 0; k < r->n; k++) {
		int la = (int)strlen(explore_outcome_name(r->out[k].mask, name,
		    sizeof(name)));
		int lb = (int)strlen(explore_n_text(r->out[k].count, num,
		    sizeof(num)));

		namew = la > namew ? la : namew;
		numw = lb > numw ? lb : numw;
	}
	printf("  %-*s %*s %8s  %s\n", namew, "outcome", numw, "interleavings",
	    "share", "verdict");
	for (unsigned k = 0; k < r->n; k++)
		printf("  %-*s %*s %7.2f%%  %s\n", namew,
		    explore_outcome_name(r->out[k].mask, name, sizeof(name)), numw,
		    explore_n_text(r->out[k].count, num, sizeof(num)),
		    explore_share(r, r->out[k].count),
		    r->out[k].mask ? "FORBIDDEN" : "ok");
	printf("\nthe shortest of each, to watch with\n"
	    "  shmviz %s --schedule \"...\"\n", args);
	for (unsigned k = 0; k < r->n; k++)
		printf("  %s (%u steps%s): %s\n", explore_outcome_name(
		    r->out[k].mask, name, sizeof(name)), r->out[k].length,
		    r->out[k].mask & (OC_DEADLOCK | OC_HANG) ? ", then a step of "
		    "each worker left, to show it stuck" : "", r->out[k].shortest ?
		    r->out[k].shortest : "");
	return fflush(stdout) == 0 ? 0 : -1;
}

int
explore_main(int argc, char *argv[])
{
	struct explore_args a;
	struct explore_result r;
	struct explore_progress p = { 0 };
	char err[256];
	int status;

	memset(&a, 0, sizeof(a));
	a.o.sync = SYNC_SEED;
	a.o.producers = a.o.consumers = 1;
	a.o.capacity = 2;
	a.o.items = 2;
	a.o.preemptions = 2;
	a.o.max_schedules = 1000000;
	if (explore_args(&a, argc, argv) == -1)
		return 2;
	p.tty = isatty(2);
	a.o.progress = explore_progress;
	a.o.progress_arg = &p;
	sig_init(0);
	if (explore_run(&a.o, &r, err, sizeof(err)) == -1) {
		if (p.shown && p.tty)
			fputc('\n', stderr);
		fprintf(stderr, "shmviz %s\n", err);
		return 1;
	}
	if (p.shown && p.tty)
		fputc('\n', stderr);
	status = (a.json ? explore_json(&a, &r) : explore_text(&a, &r)) == -1 ?
	    1 : 0;
	if (status)
		fprintf(stderr, "shmviz explore: the report could not be written\n");
	explore_result_free(&r);
	if (r.stop == EXPLORE_SIGNAL)
		return 128 + sig_quit;
	return status;
}
