/* report.c: the summary printed when a headless session ends */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>

#include "jout.h"
#include "judge.h"
#include "pace.h"
#include "ring.h"
#include "snap.h"
#include "sync.h"
#include "watch.h"

double
report_rate(const struct snap *sn, int role)
{
	double sum = 0;
	int any = 0;

	for (unsigned i = 0; i < sn->nworkers; i++) {
		const struct snap_worker *w = &sn->w[i];
		double span = (double)(w->last_ns - w->first_ns) / 1e9;

		if ((int)w->role != role)
			continue;
		/* n items complete n - 1 periods after the first one; with
		 * fewer than two there is no period to measure. */
		if (w->done >= 2 && span > 0) {
			sum += (double)(w->done - 1) / span;
			any = 1;
		}
	}
	return any ? sum : -1;
}

static const char *
text_rate(double rate, char *buf, size_t len)
{
	if (rate < 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.1f items/s", rate);
	return buf;
}

/* count less what the workers' own changes to it add up to. */
static long long
report_drift(const struct snap *sn)
{
	return (long long)sn->count - ((long long)sn->changes[ROLE_PRODUCER] -
	    (long long)sn->changes[ROLE_CONSUMER]);
}

/* A set rate in items/s, or null for max. */
static json_t *
set_rate(uint64_t rate)
{
	return rate == PACE_MAX ? json_null() : jout_real(rate / 1000.0, 3);
}

/* A measured rate in items/s, or null when there was none. */
static json_t *
got_rate(double rate)
{
	return rate < 0 ? json_null() : jout_real(rate, 3);
}

static void
report_json_lists(json_t *o, const struct watch *w, const struct tally *t)
{
	const struct judge *j = w->judge;
	const struct stepper *st = w->stepper;
	json_t *v = json_array(), *lost = json_array(), *d = json_object(),
	    *skipped = json_array();

	for (int i = 0; i < INV_COUNT_ALL; i++)
		if (judge_violated(j, (enum inv)i)) {
			jout_push(v, jout_string(judge_inv_name((enum inv)i)));
			jout_set(d, judge_inv_name((enum inv)i),
			    jout_string(judge_detail(j, (enum inv)i)));
		}
	for (unsigned i = 0; i < t->nnamed; i++) {
		char item[48];

		snprintf(item, sizeof(item), "P%u#%llu",
		    ring_item_producer(t->named[i]) + 1,
		    (unsigned long long)ring_item_seq(t->named[i]) + 1);
		jout_push(lost, jout_string(item));
	}
	jout_set(o, "violations", v);
	jout_set(o, "lost_items", lost);
	jout_set(o, "violation_details", d);
	jout_set(o, "deadlock", json_boolean(judge_stuck(j) == STUCK_DEADLOCK));
	if (judge_asleep(j)) {
		char text[480];

		snprintf(text, sizeof(text), "ALL ASLEEP: %s", judge_stuck_text(j));
		jout_set(o, "stuck", jout_string(text));
	} else
		jout_set(o, "stuck", jout_string(judge_stuck(j) == STUCK_NO ? "" :
		    judge_stuck_text(j)));
	jout_set(o, "steps_taken", jout_uint(stepper_taken(st)));
	jout_set(o, "steps_skipped", jout_uint(stepper_skipped(st)));
	for (unsigned i = 0; i < stepper_nskips(st); i++) {
		char line[120];
		uint32_t n;
		const char *why = stepper_skip_line(st, i, &n);

		snprintf(line, sizeof(line), "%s (%u step%s)", why, n,
		    n == 1 ? "" : "s");
		jout_push(skipped, jout_string(line));
	}
	jout_set(o, "skipped", skipped);
}

/* The steps taken, as a schedule that plays them again, and with
 * --trace each of them. */
static void
report_history(json_t *o, const struct watch *w)
{
	char *sched = w->nsteps ? schedule_format(&w->history) : NULL;

	jout_set(o, "schedule", sched != NULL ? jout_string(sched) : json_null());
	free(sched);
	if (w->s.opts.trace)
		jout_set(o, "trace", trace_json(&w->trace, w->s.opts.sync));
}

static json_t *
report_json(const struct watch *w, const struct tally *t, enum watch_state end,
    double elapsed)
{
	const struct session *s = &w->s;
	const struct snap *sn = w->cur;
	json_t *o = json_object(), *workers = json_array();

	jout_set(o, "capacity", jout_uint(sn->capacity));
	jout_set(o, "sync", jout_string(sync_name(sn->sync)));
	jout_set(o, "producers", jout_uint(s->opts.producers));
	jout_set(o, "consumers", jout_uint(s->opts.consumers));
	jout_set(o, "produced", jout_uint(t->produced));
	jout_set(o, "consumed", jout_uint(t->consumed));
	jout_set(o, "lost", jout_uint(t->lost));
	jout_set(o, "duplicated", jout_uint(t->duplicated));
	jout_set(o, "out_of_order", jout_uint(t->out_of_order));
	jout_set(o, "empty_reads", jout_uint(t->empties));
	jout_set(o, "in_ring", jout_uint(t->in_ring));
	jout_set(o, "count", jout_int(sn->count));
	jout_set(o, "fill", jout_uint(sn->fill));
	jout_set(o, "drift", jout_int(report_drift(sn)));
	jout_set(o, "sem_empty", jout_int(sn->sem_empty));
	jout_set(o, "sem_full", jout_int(sn->sem_full));
	jout_set(o, "elapsed_s", jout_real(elapsed, 3));
	jout_set(o, "producer_rate", got_rate(report_rate(sn, ROLE_PRODUCER)));
	jout_set(o, "consumer_rate", got_rate(report_rate(sn, ROLE_CONSUMER)));
	jout_set(o, "producer_set_rate", set_rate(s->opts.prod_rate));
	jout_set(o, "consumer_set_rate", set_rate(s->opts.cons_rate));
	jout_set(o, "items", jout_uint(s->opts.items));
	jout_set(o, "ended", jout_string(watch_states[end].ended));
	report_json_lists(o, w, t);
	for (unsigned i = 0; i < s->nprocs; i++) {
		const struct proc *p = &s->procs[i];
		json_t *one = json_object();
		char name[8], how[48];

		jout_set(one, "name", jout_string(session_name(p, name,
		    sizeof(name))));
		jout_set(one, "pid", jout_int(p->pid));
		jout_set(one, "done", jout_uint(sn->w[i].done));
		jout_set(one, "steps", jout_uint(sn->w[i].steps));
		jout_set(one, "exit", jout_string(p->alive ? "running" :
		    session_how(p->status, how, sizeof(how))));
		jout_push(workers, one);
	}
	jout_set(o, "workers", workers);
	report_history(o, w);
	return o;
}

/* "3 items left in it", and why fill, which counts the slots from tail
 * to head, says otherwise when it does. */
static const char *
report_left(const struct tally *t, const struct snap *sn, char *buf,
    size_t len)
{
	unsigned long long in = t->in_ring + t->in_flight, fill = sn->fill;
	int n = snprintf(buf, len, "%llu item%s left in it", in, in == 1 ? "" :
	    "s");

	if (n > 0 && (size_t)n < len && t->in_flight)
		n += snprintf(buf + n, len - (size_t)n, " (%llu written by a "
		    "producer that has not handed it on yet)",
		    (unsigned long long)t->in_flight);
	if (n < 0 || (size_t)n >= len || in == fill)
		return buf;
	if (in < fill)
		snprintf(buf + n, len - (size_t)n, " (%llu of the slots from tail "
		    "to head hold%s nothing still to be taken)", fill - in,
		    fill - in == 1 ? "s" : "");
	else
		snprintf(buf + n, len - (size_t)n, " (%llu of them outside the "
		    "slots from tail to head)", in - fill);
	return buf;
}

static void
report_text(FILE *f, const struct watch *w, const struct tally *t,
    enum watch_state end, double elapsed)
{
	const struct session *s = &w->s;
	const struct snap *sn = w->cur;
	const struct judge *j = w->judge;
	char empties[80] = "", left[120];

	/* consumed counts every read, so it says how many found nothing */
	if (t->empties)
		snprintf(empties, sizeof(empties), " (%llu of them %s a slot never "
		    "written)", (unsigned long long)t->empties, t->empties == 1 ?
		    "a read of" : "reads of");
	fprintf(f, "shmviz: %llu produced, %llu consumed%s, %llu lost, "
	    "%llu duplicated, %llu out of order (%s)\n",
	    (unsigned long long)t->produced, (unsigned long long)t->consumed,
	    empties, (unsigned long long)t->lost,
	    (unsigned long long)t->duplicated,
	    (unsigned long long)t->out_of_order, watch_states[end].ended);
	fprintf(f, "  ring: %s mode, capacity %u, count %d, fill %u, drift %lld, "
	    "%s, ", sync_name(sn->sync), sn->capacity, sn->count, sn->fill,
	    report_drift(sn), report_left(t, sn, left, sizeof(left)));
	if (sync_has_cv(sn->sync))
		fprintf(f, "m %s, condition variables\n", sn->m_free ? "free" :
		    "held");
	else if (sync_has_sems(sn->sync))
		fprintf(f, "semaphores empty %d full %d%s\n", sn->sem_empty,
		    sn->sem_full, !sync_has_m(sn->sync) ? "" : sn->m_free ?
		    ", m free" : ", m held");
	else
		fprintf(f, "no semaphores\n");
	if (s->opts.schedule != NULL)
		fprintf(f, "  %llu steps taken by schedule, over %.3f s\n",
		    (unsigned long long)stepper_taken(w->stepper), elapsed);
	else if (s->opts.random)
		fprintf(f, "  %llu steps taken, drawn from seed %llu, over %.3f s\n",
		    (unsigned long long)stepper_taken(w->stepper),
		    (unsigned long long)s->opts.seed, elapsed);
	else {
		char a[24], b[24], ra[32], rb[32];

		fprintf(f, "  rates: producers %s (set %s), consumers %s (set "
		    "%s), over %.3f s\n",
		    text_rate(report_rate(sn, ROLE_PRODUCER), ra, sizeof(ra)),
		    pace_format(s->opts.prod_rate, a, sizeof(a)),
		    text_rate(report_rate(sn, ROLE_CONSUMER), rb, sizeof(rb)),
		    pace_format(s->opts.cons_rate, b, sizeof(b)), elapsed);
	}
	for (unsigned i = 0; i < s->nprocs; i++) {
		const struct proc *p = &s->procs[i];
		char name[8], how[48];

		fprintf(f, "  %s pid %d: %llu item%s, %s\n",
		    session_name(p, name, sizeof(name)), (int)p->pid,
		    (unsigned long long)sn->w[i].done, sn->w[i].done == 1 ? "" : "s",
		    p->alive ? "running" : session_how(p->status, how, sizeof(how)));
	}
	for (int i = 0; i < INV_COUNT_ALL; i++)
		if (judge_violated(j, (enum inv)i))
			fprintf(f, "  violated: %s: %s\n",
			    judge_inv_name((enum inv)i), judge_detail(j, (enum inv)i));
	if (judge_stuck(j) != STUCK_NO && judge_stuck(j) != STUCK_DRAINED)
		fprintf(f, "  %s: %s%s\n", judge_stuck_name(judge_stuck(j)),
		    judge_asleep(j) ? "ALL ASLEEP: " : "", judge_stuck_text(j));
	if (t->nnamed) {
		fputs("  lost items:", f);
		for (unsigned i = 0; i < t->nnamed; i++)
			fprintf(f, " P%u#%llu", ring_item_producer(t->named[i]) + 1,
			    (unsigned long long)ring_item_seq(t->named[i]) + 1);
		fputs(t->lost > t->nnamed ? " ...\n" : "\n", f);
	}
	if (t->empties)
		fprintf(f, "  %llu read%s of a slot never written\n",
		    (unsigned long long)t->empties, t->empties == 1 ? "" : "s");
	for (unsigned i = 0; i < stepper_nskips(w->stepper); i++) {
		uint32_t n;
		const char *why = stepper_skip_line(w->stepper, i, &n);

		fprintf(f, "  not taken: %s (%u step%s)\n", why, n,
		    n == 1 ? "" : "s");
	}
	if (w->nsteps) {
		char *sched = schedule_format(&w->history);

		if (sched != NULL)
			fprintf(f, "  schedule: %s\n", sched);
		free(sched);
	}
	if (s->opts.trace)
		trace_text(f, &w->trace, s->opts.sync, session_count(s,
		    ROLE_PRODUCER), session_count(s, ROLE_CONSUMER));
}

int
report_print(FILE *f, const struct watch *w, const struct tally *t,
    enum watch_state end, int json)
{
	int64_t stop = w->s.end_ns ? w->s.end_ns : w->cur->t;
	double elapsed = (double)(stop - w->s.start_ns) / 1e9;

	if (json) {
		json_t *o = report_json(w, t, end, elapsed);
		int r = o != NULL ? jout_print(f, o) : -1;

		json_decref(o);
		if (r == -1)
			return -1;
	} else
		report_text(f, w, t, end, elapsed);
	return fflush(f) == 0 && !ferror(f) ? 0 : -1;
}
