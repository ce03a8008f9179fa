/* bench.c: shmviz bench: the ring against pipes and a lock-free ring */
#include "bench.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "jout.h"
#include "opts.h"
#include "pace.h"
#include "ring.h"
#include "seg.h"
#include "session.h"
#include "snap.h"
#include "sync.h"

#define BENCH_ITEMS 1000000
#define BENCH_REPS 5
#define BENCH_TRIPS 50000
#define BENCH_CAPACITY 1024      /* the tutorial's ring */
#define OBSERVE_NS (PACE_NS_PER_S / 60)
#define IDLE_CHECK_NS (50 * INT64_C(1000000))

enum observer { OBS_NONE, OBS_60HZ, OBS_BUSY, OBS_VIEWERS };
#define VIEWERS 8

static const struct bcase {
	const char *name;
	bench_fn fn;            /* or NULL: the shmviz ring */
	unsigned sync;
	enum observer observer;
} cases[] = {
	{ "pipe", bench_pipe, 0, OBS_NONE },
	{ "pipe-batched", bench_pipe_batched, 0, OBS_NONE },
	{ "sem", NULL, SYNC_SEED, OBS_NONE },
	{ "sem-bare", bench_sem_bare, 0, OBS_NONE },
	{ "sem-mutex", NULL, SYNC_MUTEX, OBS_NONE },
	{ "lockfree", bench_lockfree, 0, OBS_NONE },
	{ "sem-observed", NULL, SYNC_SEED, OBS_60HZ },
	{ "sem-busy-observer", NULL, SYNC_SEED, OBS_BUSY },
	{ "sem-8-viewers", NULL, SYNC_SEED, OBS_VIEWERS },
};
#define NCASES (sizeof(cases) / sizeof(cases[0]))

static const struct tcase {
	const char *name;
	bench_trip_fn fn;
} trips[] = {
	{ "pipe", bench_trip_pipe },
	{ "sem", bench_trip_sem },
	{ "lockfree", bench_trip_lockfree },
};
#define NTRIPS (sizeof(trips) / sizeof(trips[0]))

static double
tv_s(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

static double
usage_cpu(const struct rusage *a, const struct rusage *b)
{
	return tv_s(b->ru_utime) - tv_s(a->ru_utime) + tv_s(b->ru_stime) -
	    tv_s(a->ru_stime);
}

static double
usage_ctxsw(const struct rusage *a, const struct rusage *b)
{
	return (double)(b->ru_nvcsw - a->ru_nvcsw + b->ru_nivcsw - a->ru_nivcsw);
}

static void
sleep_until(int64_t t)
{
	struct timespec ts = { t / PACE_NS_PER_S, t % PACE_NS_PER_S };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) != 0)
		;
}

static uint64_t
consumed(const struct session *s)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < s->nprocs; i++)
		if (s->procs[i].role == ROLE_CONSUMER)
			n += atomic_load_explicit(&s->ctl->w[i].done,
			    memory_order_relaxed);
	return n;
}

/* A worker that exited other than by finishing its items. */
static void
on_exit_check(const struct proc *p, void *arg)
{
	if (!WIFEXITED(p->status) || WEXITSTATUS(p->status) != 0)
		*(int *)arg = 1;
}

/*
 * A viewer, as another process watching the session is: its own read-only
 * attachment of the ring, read whole 60 times a second (the indices, count,
 * the semaphores and every slot), until it is killed.
 */
static void __attribute__((noreturn))
viewer_main(int shmid, pid_t parent)
{
	const struct ring *r;
	int64_t next = pace_now();
	volatile uint64_t sink = 0;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent || (r = seg_attach(shmid, 1)) == NULL)
		_exit(1);
	for (;;) {
		uint64_t sum = atomic_load_explicit(&r->head, memory_order_relaxed) +
		    atomic_load_explicit(&r->tail, memory_order_relaxed) +
		    (uint64_t)atomic_load_explicit(&r->count, memory_order_relaxed) +
		    (uint64_t)ring_sem_value(&r->empty) +
		    (uint64_t)ring_sem_value(&r->full);

		for (uint32_t i = 0; i < r->capacity; i++)
			sum += atomic_load_explicit(&r->slots[i], memory_order_relaxed);
		sink += sum;
		next += OBSERVE_NS;
		sleep_until(next);
	}
}

/* Fork the viewers; how many run. */
static unsigned
viewers_start(const struct session *s, pid_t *pids)
{
	unsigned n = 0;
	pid_t parent = getpid();

	for (; n < VIEWERS; n++) {
		if ((pids[n] = fork()) == -1)
			break;
		if (pids[n] == 0)
			viewer_main(s->shmid, parent);
	}
	return n;
}

static void
viewers_stop(const pid_t *pids, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		kill(pids[i], SIGKILL);
	for (unsigned i = 0; i < n; i++)
		waitpid(pids[i], NULL, 0);
}

/* Watch the ring as the case says until every item is consumed. */
static int
ring_watch(struct session *s, struct snap *sn, uint64_t items,
    enum observer obs)
{
	int64_t next = pace_now();
	int died = 0;

	while (consumed(s) < items) {
		session_reap(s, on_exit_check, &died);
		if (died)
			return -1;
		switch (obs) {
		case OBS_NONE:
		case OBS_VIEWERS:
			next += IDLE_CHECK_NS;
			sleep_until(next);
			break;
		case OBS_60HZ:
			snap_take(s, sn);
			next += OBSERVE_NS;
			sleep_until(next);
			break;
		case OBS_BUSY:
			snap_take(s, sn);
			break;
		}
	}
	return 0;
}

int
bench_ring(uint64_t items, uint32_t capacity, unsigned sync, int observer,
    struct bench_run *r)
{
	struct { struct session s; struct snap sn; } *m = calloc(1, sizeof(*m));
	struct rusage c0, c1, s0, s1;
	struct tally t;
	struct opts o;
	char err[sizeof(r->why)];
	int64_t start, end = 0;
	int watched;
	pid_t viewers[VIEWERS];
	unsigned nviewers = 0;

	if (m == NULL) {
		snprintf(r->why, sizeof(r->why), "out of memory");
		return -1;
	}
	opts_defaults(&o);
	o.capacity = capacity;
	o.prod_rate = o.cons_rate = PACE_MAX;
	o.items = items;
	o.sync = sync;
	o.headless = 1;
	getrusage(RUSAGE_CHILDREN, &c0);
	getrusage(RUSAGE_SELF, &s0);
	if (session_start(&m->s, &o, err, sizeof(err)) == -1) {
		snprintf(r->why, sizeof(r->why), "%s", err);
		free(m);
		return -1;
	}
	if (observer == OBS_VIEWERS && (nviewers = viewers_start(&m->s,
	    viewers)) < VIEWERS) {
		viewers_stop(viewers, nviewers);
		session_stop(&m->s);
		session_end(&m->s);
		snprintf(r->why, sizeof(r->why), "could not fork the viewers");
		free(m);
		return -1;
	}
	watched = ring_watch(&m->s, &m->sn, items, (enum observer)observer);
	viewers_stop(viewers, nviewers);
	getrusage(RUSAGE_SELF, &s1);
	session_stop(&m->s);
	getrusage(RUSAGE_CHILDREN, &c1);
	snap_take(&m->s, &m->sn);
	snap_tally(&m->s, &m->sn, &t);
	/* From the producers' first item to the consumers' last: making the
	 * segment and forking are not what is measured. */
	start = INT64_MAX;
	for (unsigned i = 0; i < m->sn.nworkers; i++) {
		const struct snap_worker *w = &m->sn.w[i];

		if (w->role == ROLE_CONSUMER && w->last_ns > end)
			end = w->last_ns;
		if (w->role == ROLE_PRODUCER && w->done && w->first_ns < start)
			start = w->first_ns;
	}
	session_end(&m->s);
	r->seconds = start < end ? (double)(end - start) / 1e9 : 0;
	r->cpu_s = usage_cpu(&c0, &c1) + usage_cpu(&s0, &s1);
	r->ctxsw = usage_ctxsw(&c0, &c1) + usage_ctxsw(&s0, &s1);
	r->ok = watched == 0 && t.consumed == items && t.produced == items &&
	    t.lost == 0 && t.duplicated == 0 && t.out_of_order == 0 &&
	    t.empties == 0;
	if (!r->ok)
		snprintf(r->why, sizeof(r->why), "%llu of %llu consumed, %llu "
		    "lost, %llu duplicated, %llu out of order%s",
		    (unsigned long long)t.consumed, (unsigned long long)items,
		    (unsigned long long)t.lost, (unsigned long long)t.duplicated,
		    (unsigned long long)t.out_of_order,
		    watched ? ", a worker died" : "");
	free(m);
	return r->ok ? 0 : -1;
}

/* Every run of every case, and what the command line asked for. */
struct bench {
	uint64_t items, trips;
	unsigned reps;
	uint32_t capacity;
	int json;
	struct bench_run runs[NCASES][BENCH_REPS * 4];  /* reps, warm-up not kept */
	struct bench_run tripruns[NTRIPS][BENCH_REPS * 4];
	int failed;
	char why[160];
};

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Median, min and max of one field over the repetitions of a case. */
struct stat3 {
	double median, min, max;
};

static struct stat3
stat_of(const struct bench_run *runs, unsigned n, double (*f)(
    const struct bench_run *, const struct bench *), const struct bench *b)
{
	double v[BENCH_REPS * 4] = { 0 };
	struct stat3 s;

	if (n == 0)
		n = 1;          /* reps are 1 or more: this only keeps v defined */
	for (unsigned i = 0; i < n; i++) {
		v[i] = f(&runs[i], b);
		if (isnan(v[i])) {      /* a failed run: no figure for the case */
			s.median = s.min = s.max = NAN;
			return s;
		}
	}
	qsort(v, n, sizeof(v[0]), cmp_double);
	s.min = v[0];
	s.max = v[n - 1];
	s.median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	return s;
}

/* A run that failed has no rate. */
static double
f_rate(const struct bench_run *r, const struct bench *b)
{
	return r->ok && r->seconds > 0 ? (double)b->items / r->seconds : NAN;
}

static double
f_cpu(const struct bench_run *r, const struct bench *b)
{
	return r->cpu_s / (double)b->items;
}

static double
f_ctx(const struct bench_run *r, const struct bench *b)
{
	return r->ctxsw / (double)b->items;
}

static double
f_trip(const struct bench_run *r, const struct bench *b)
{
	return r->ok ? r->seconds * 1e9 / (double)b->trips : NAN;
}

static void
progress(const char *what, unsigned rep, unsigned reps, const char *name)
{
	if (isatty(STDERR_FILENO))
		fprintf(stderr, "\r\033[Kbench: %s %u/%u %s", what, rep, reps, name);
	else if (name[0] == '\0')
		fprintf(stderr, "bench: %s %u/%u\n", what, rep, reps);
}

static int
bench_once(struct bench *b, unsigned c, struct bench_run *r)
{
	memset(r, 0, sizeof(*r));
	if (cases[c].fn != NULL)
		return cases[c].fn(b->items, b->capacity, r);
	return bench_ring(b->items, b->capacity, cases[c].sync,
	    cases[c].observer, r);
}

static void
note_failure(struct bench *b, const char *name, const struct bench_run *r)
{
	if (b->failed++ == 0)
		snprintf(b->why, sizeof(b->why), "%s: %s", name, r->why);
}

/* A warm-up round, then the repetitions, each going through every case
 * in turn (A B C ... A B C ...) so that a machine that slows down or
 * speeds up affects them alike. */
static void
bench_run_all(struct bench *b)
{
	struct bench_run scratch = { 0 };

	for (unsigned rep = 0; rep <= b->reps; rep++) {
		const char *what = rep == 0 ? "warm-up" : "repetition";

		progress(what, rep ? rep : 1, rep ? b->reps : 1, "");
		for (unsigned c = 0; c < NCASES; c++) {
			struct bench_run *r = rep ? &b->runs[c][rep - 1] : &scratch;

			progress(what, rep ? rep : 1, rep ? b->reps : 1,
			    cases[c].name);
			if (bench_once(b, c, r) == -1)
				note_failure(b, cases[c].name, r);
		}
		for (unsigned c = 0; c < NTRIPS; c++) {
			struct bench_run *r = rep ? &b->tripruns[c][rep - 1] :
			    &scratch;

			progress(what, rep ? rep : 1, rep ? b->reps : 1,
			    trips[c].name);
			memset(r, 0, sizeof(*r));
			if (trips[c].fn(b->trips, r) == -1)
				note_failure(b, trips[c].name, r);
		}
	}
	if (isatty(STDERR_FILENO))
		fprintf(stderr, "\r\033[K");
}

/* The machine, as the header names it. */
static void
machine(char *cpu, size_t len, long *cores, char *kernel, size_t klen)
{
	struct utsname u;
	FILE *f;

	snprintf(cpu, len, "unknown CPU");
	if ((f = fopen("/proc/cpuinfo", "r")) != NULL) {
		char line[256];

		while (fgets(line, sizeof(line), f) != NULL) {
			char *colon = strchr(line, ':');

			if (strncmp(line, "model name", 10) == 0 && colon) {
				snprintf(cpu, len, "%s", colon + 2);
				cpu[strcspn(cpu, "\n")] = '\0';
				break;
			}
		}
		fclose(f);
	}
	*cores = sysconf(_SC_NPROCESSORS_ONLN);
	if (uname(&u) == 0)
		snprintf(kernel, klen, "%.40s %.60s", u.sysname, u.release);
	else
		snprintf(kernel, klen, "unknown kernel");
}

static void
print_text(const struct bench *b)
{
	struct stat3 pipe = stat_of(b->runs[0], b->reps, f_rate, b);
	char cpu[128], kernel[128];
	long cores;

	machine(cpu, sizeof(cpu), &cores, kernel, sizeof(kernel));
	printf("shmviz bench: %llu items a case, a warm-up then %u repetition%s, "
	    "interleaved; median (min..max)\n", (unsigned long long)b->items,
	    b->reps, b->reps == 1 ? "" : "s");
	printf("machine: %s, %ld cores, %s; ring of %u slots\n\n", cpu, cores,
	    kernel, b->capacity);
	printf("%-18s %12s %25s %9s %9s %11s %10s\n", "case", "items/s",
	    "min..max", "ns/item", "x pipe", "cpu s/item", "ctxsw/item");
	for (unsigned c = 0; c < NCASES; c++) {
		struct stat3 r = stat_of(b->runs[c], b->reps, f_rate, b);
		struct stat3 cpuv = stat_of(b->runs[c], b->reps, f_cpu, b);
		struct stat3 ctx = stat_of(b->runs[c], b->reps, f_ctx, b);
		char range[40];

		snprintf(range, sizeof(range), "%.0f..%.0f", r.min, r.max);
		printf("%-18s %12.0f %25s %9.1f %9.2f %11.2e %10.4f\n",
		    cases[c].name, r.median, range, 1e9 / r.median,
		    r.median / pipe.median, cpuv.median, ctx.median);
	}
	printf("\n%-18s %12s %25s   (%llu round trips)\n", "ping-pong",
	    "ns/trip", "min..max", (unsigned long long)b->trips);
	for (unsigned c = 0; c < NTRIPS; c++) {
		struct stat3 t = stat_of(b->tripruns[c], b->reps, f_trip, b);
		char range[40];

		snprintf(range, sizeof(range), "%.0f..%.0f", t.min, t.max);
		printf("%-18s %12.0f %25s\n", trips[c].name, t.median, range);
	}
	printf("\nevery item of every run arrived exactly once and in order: %s\n",
	    b->failed ? "NO" : "yes");
}

/* Rounded to `decimals`, or null when there is no valid run. */
static json_t *
num(double v, int decimals)
{
	return jout_real(v, decimals);
}

static json_t *
case_json(const struct bench *b, unsigned c, double pipe)
{
	struct stat3 r = stat_of(b->runs[c], b->reps, f_rate, b);
	json_t *o = json_object(), *runs = json_array();

	jout_set(o, "name", jout_string(cases[c].name));
	jout_set(o, "items_per_s", num(r.median, 1));
	jout_set(o, "ns_per_item", num(1e9 / r.median, 3));
	jout_set(o, "ratio_to_pipe", num(r.median / pipe, 3));
	jout_set(o, "min_items_per_s", num(r.min, 1));
	jout_set(o, "max_items_per_s", num(r.max, 1));
	jout_set(o, "cpu_s_per_item", num(stat_of(b->runs[c], b->reps, f_cpu,
	    b).median, 12));
	jout_set(o, "ctxsw_per_item", num(stat_of(b->runs[c], b->reps, f_ctx,
	    b).median, 6));
	/* each repetition, in order, for ratios taken within one */
	for (unsigned i = 0; i < b->reps; i++)
		jout_push(runs, num(f_rate(&b->runs[c][i], b), 1));
	jout_set(o, "runs_items_per_s", runs);
	return o;
}

static int
print_json(const struct bench *b)
{
	struct stat3 pipe = stat_of(b->runs[0], b->reps, f_rate, b);
	json_t *o = json_object(), *cs = json_array(), *lat = json_array();
	char cpu[128], kernel[128];
	long cores;
	int r;

	machine(cpu, sizeof(cpu), &cores, kernel, sizeof(kernel));
	jout_set(o, "cpu", jout_string(cpu));
	jout_set(o, "cores", jout_int(cores));
	jout_set(o, "kernel", jout_string(kernel));
	jout_set(o, "items", jout_uint(b->items));
	jout_set(o, "reps", jout_uint(b->reps));
	jout_set(o, "capacity", jout_uint(b->capacity));
	jout_set(o, "verified", json_boolean(!b->failed));
	for (unsigned c = 0; c < NCASES; c++)
		jout_push(cs, case_json(b, c, pipe.median));
	jout_set(o, "cases", cs);
	for (unsigned c = 0; c < NTRIPS; c++) {
		struct stat3 t = stat_of(b->tripruns[c], b->reps, f_trip, b);
		json_t *one = json_object();

		jout_set(one, "name", jout_string(trips[c].name));
		jout_set(one, "ns_per_round_trip", num(t.median, 1));
		jout_set(one, "min_ns", num(t.min, 1));
		jout_set(one, "max_ns", num(t.max, 1));
		jout_push(lat, one);
	}
	jout_set(o, "latency", lat);
	jout_set(o, "trips", jout_uint(b->trips));
	r = jout_print(stdout, o);
	json_decref(o);
	return r;
}

static const char bench_usage[] =
"usage: shmviz bench [--items N] [--reps N] [--trips N] [-n CAPACITY] [--json]\n"
"\n"
"Moves N integers from one process to another in each of these ways, a\n"
"warm-up then --reps repetitions, interleaved, and reports the median with\n"
"min and max, checking that every item arrives once and in order:\n"
"  pipe               one write(2) and one read(2) an item\n"
"  pipe-batched       items gathered into 4 KiB writes\n"
"  sem                the shmviz ring and its two semaphores, no pacing\n"
"  sem-mutex          the same with the mutex semaphore\n"
"  lockfree           a single-producer/single-consumer ring, C11 atomics\n"
"  sem-observed       sem, with the supervisor sampling the ring at 60 Hz\n"
"  sem-busy-observer  sem, with the supervisor sampling without a pause\n"
"  sem-8-viewers      sem, with eight read-only viewer processes at 60 Hz\n"
"and a ping-pong round trip over a pipe, two semaphores and two atomics.\n"
"\n"
"  --items N   items a case (default 1000000)\n"
"  --reps N    repetitions, 1 to 20 (default 5)\n"
"  --trips N   ping-pong round trips (default 50000)\n"
"  -n N        slots in the ring, 1 to 4096 (default 1024)\n"
"  --json      one JSON object on stdout\n";

/* The options of shmviz bench, by the rules of the main command line:
 * each once, "--items 5" or "--items=5", one line for anything wrong. */
static const struct {
	const char *name;
	uint64_t lo, hi;
	const char *allowed;
} bench_opts[] = {
	{ "--items", 1, UINT64_C(1000000000), "items from 1 to 10^9" },
	{ "--reps", 1, 20, "repetitions from 1 to 20" },
	{ "--trips", 1, UINT64_C(100000000), "round trips from 1 to 10^8" },
	{ "-n", 1, 4096, "slots from 1 to 4096" },
};
#define NBENCH_OPTS (sizeof(bench_opts) / sizeof(bench_opts[0]))

static int
bench_set(struct bench *b, unsigned k, uint64_t v)
{
	switch (k) {
	case 0: b->items = v; break;
	case 1: b->reps = (unsigned)v; break;
	case 2: b->trips = v; break;
	default: b->capacity = (uint32_t)v; break;
	}
	return 0;
}

static int
bench_args(struct bench *b, int argc, char *argv[])
{
	int seen[NBENCH_OPTS + 1] = { 0 };
	char q[64], name[64];

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *eq = strchr(a, '='), *v;
		size_t nlen = eq && a[1] == '-' ? (size_t)(eq - a) : strlen(a);
		unsigned k;
		uint64_t n;

		opts_quote(a, nlen, name, sizeof(name));
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			fputs(bench_usage, stdout);
			exit(0);
		}
		if (strcmp(a, "--json") == 0) {
			if (seen[NBENCH_OPTS]++) {
				fprintf(stderr, "shmviz bench: --json is given twice\n");
				return -1;
			}
			b->json = 1;
			continue;
		}
		for (k = 0; k < NBENCH_OPTS; k++)
			if (strlen(bench_opts[k].name) == nlen &&
			    strncmp(a, bench_opts[k].name, nlen) == 0)
				break;
		if (k == NBENCH_OPTS) {
			fprintf(stderr, "shmviz bench: unknown option '%s'; see "
			    "'shmviz bench --help'\n", name);
			return -1;
		}
		if (seen[k]++) {
			fprintf(stderr, "shmviz bench: %s is given twice; give each "
			    "option once\n", name);
			return -1;
		}
		v = eq && a[1] == '-' ? eq + 1 : i + 1 < argc ? argv[++i] : NULL;
		if (v == NULL) {
			fprintf(stderr, "shmviz bench: %s needs a value: %s\n", name,
			    bench_opts[k].allowed);
			return -1;
		}
		if (opts_whole(v, bench_opts[k].lo, bench_opts[k].hi, &n) == -1) {
			fprintf(stderr, "shmviz bench: %s: '%s' is not allowed; give "
			    "%s\n", name, opts_quote(v, strlen(v), q, sizeof(q)),
			    bench_opts[k].allowed);
			return -1;
		}
		bench_set(b, k, n);
	}
	return 0;
}

int
bench_main(int argc, char *argv[])
{
	struct bench *b = calloc(1, sizeof(*b));
	int status = 0;

	if (b == NULL) {
		fprintf(stderr, "shmviz bench: out of memory\n");
		return 1;
	}
	b->items = BENCH_ITEMS;
	b->reps = BENCH_REPS;
	b->trips = BENCH_TRIPS;
	b->capacity = BENCH_CAPACITY;
	if (bench_args(b, argc, argv) == -1) {
		free(b);
		return 2;
	}
	bench_run_all(b);
	if (b->json && print_json(b) == -1) {
		fprintf(stderr, "shmviz bench: the JSON could not be written\n");
		status = 1;
	} else if (!b->json)
		print_text(b);
	if (status == 0 && b->failed) {
		fprintf(stderr, "shmviz bench: %d run(s) failed; the first: %s\n",
		    b->failed, b->why);
		status = 1;
	}
	free(b);
	return status;
}
