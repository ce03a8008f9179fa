/* report.c: the summary printed when a headless session ends */
#include "report.h"

#include "judge.h"
#include "pace.h"
#include "ring.h"
#include "snap.h"
#include "sync.h"
#include "watch.h"

static const char *const end_names[] = {
	[END_DRAINED] = "drained",
	[END_DURATION] = "duration",
	[END_SIGNAL] = "signal",
	[END_STALLED] = "stalled",
	[END_DEADLOCK] = "deadlock",
	[END_SCHEDULE] = "schedule",
	[END_FROZEN] = "frozen",
};

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

static void
json_rate(FILE *f, const char *key, double rate)
{
	if (rate < 0)
		fprintf(f, ",\"%s\":null", key);
	else
		fprintf(f, ",\"%s\":%.3f", key, rate);
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

/* A string with JSON's special characters escaped. */
static void
json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		if ((unsigned char)*s >= 0x20)
			fputc(*s, f);
	}
	fputc('"', f);
}

static void
report_set_rate(FILE *f, const char *key, uint64_t rate)
{
	fprintf(f, ",\"%s\":", key);
	if (rate == PACE_MAX)
		fputs("null", f);
	else
		fprintf(f, "%.3f", rate / 1000.0);
}

static void
report_json_lists(FILE *f, const struct watch *w, const struct tally *t)
{
	const struct judge *j = &w->judge;
	const struct stepper *st = &w->stepper;
	int first = 1;

	fputs(",\"violations\":[", f);
	for (int i = 0; i < INV_COUNT_ALL; i++) {
		if (!j->violated[i])
			continue;
		fputs(first ? "" : ",", f);
		json_string(f, judge_inv_name((enum inv)i));
		first = 0;
	}
	fputs("],\"lost_items\":[", f);
	for (unsigned i = 0; i < t->nnamed; i++)
		fprintf(f, "%s\"P%u#%llu\"", i ? "," : "",
		    ring_item_producer(t->named[i]) + 1,
		    (unsigned long long)ring_item_seq(t->named[i]) + 1);
	fputs("],\"violation_details\":{", f);
	first = 1;
	for (int i = 0; i < INV_COUNT_ALL; i++) {
		if (!j->violated[i])
			continue;
		fputs(first ? "" : ",", f);
		json_string(f, judge_inv_name((enum inv)i));
		fputc(':', f);
		json_string(f, j->detail[i]);
		first = 0;
	}
	fprintf(f, "},\"deadlock\":%s,\"stuck\":", j->stuck == STUCK_DEADLOCK ?
	    "true" : "false");
	json_string(f, j->stuck == STUCK_NO ? "" : j->stuck_text);
	fprintf(f, ",\"steps_taken\":%llu,\"steps_skipped\":%llu,\"skipped\":[",
	    (unsigned long long)st->taken, (unsigned long long)st->skipped);
	for (unsigned i = 0; i < st->nskips; i++) {
		char line[100];

		snprintf(line, sizeof(line), "%s (%u step%s)", st->skips[i],
		    st->skip_counts[i], st->skip_counts[i] == 1 ? "" : "s");
		fputs(i ? "," : "", f);
		json_string(f, line);
	}
	fputc(']', f);
}

static void
report_json(FILE *f, const struct watch *w, const struct tally *t,
    enum report_end end, double elapsed)
{
	const struct session *s = &w->s;
	const struct snap *sn = w->cur;

	fprintf(f, "{\"capacity\":%u,\"sync\":\"%s\",\"producers\":%u,"
	    "\"consumers\":%u,\"produced\":%llu,\"consumed\":%llu,"
	    "\"lost\":%llu,\"duplicated\":%llu,\"out_of_order\":%llu,"
	    "\"empty_reads\":%llu,\"in_ring\":%llu,\"count\":%d,\"fill\":%u,"
	    "\"drift\":%lld,\"sem_empty\":%d,\"sem_full\":%d,\"elapsed_s\":%.3f",
	    sn->capacity, sync_name(sn->sync), s->opts.producers,
	    s->opts.consumers, (unsigned long long)t->produced,
	    (unsigned long long)t->consumed, (unsigned long long)t->lost,
	    (unsigned long long)t->duplicated,
	    (unsigned long long)t->out_of_order,
	    (unsigned long long)t->empties, (unsigned long long)t->in_ring,
	    sn->count, sn->fill, report_drift(sn), sn->sem_empty, sn->sem_full,
	    elapsed);
	json_rate(f, "producer_rate", report_rate(sn, ROLE_PRODUCER));
	json_rate(f, "consumer_rate", report_rate(sn, ROLE_CONSUMER));
	report_set_rate(f, "producer_set_rate", s->opts.prod_rate);
	report_set_rate(f, "consumer_set_rate", s->opts.cons_rate);
	fprintf(f, ",\"items\":%llu,\"ended\":\"%s\"",
	    (unsigned long long)s->opts.items, end_names[end]);
	report_json_lists(f, w, t);
	fputs(",\"workers\":[", f);
	for (unsigned i = 0; i < s->nprocs; i++) {
		const struct proc *p = &s->procs[i];
		char name[8], how[48];

		fprintf(f, "%s{\"name\":\"%s\",\"pid\":%d,\"done\":%llu,"
		    "\"steps\":%llu,\"exit\":\"%s\"}", i ? "," : "",
		    session_name(p, name, sizeof(name)), (int)p->pid,
		    (unsigned long long)sn->w[i].done,
		    (unsigned long long)sn->w[i].steps,
		    p->alive ? "running" : session_how(p->status, how, sizeof(how)));
	}
	fputs("]}\n", f);
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
    enum report_end end, double elapsed)
{
	const struct session *s = &w->s;
	const struct snap *sn = w->cur;
	const struct judge *j = &w->judge;
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
	    (unsigned long long)t->out_of_order, end_names[end]);
	fprintf(f, "  ring: %s mode, capacity %u, count %d, fill %u, drift %lld, "
	    "%s, ", sync_name(sn->sync), sn->capacity, sn->count, sn->fill,
	    report_drift(sn), report_left(t, sn, left, sizeof(left)));
	if (sync_has_sems(sn->sync))
		fprintf(f, "semaphores empty %d full %d\n", sn->sem_empty,
		    sn->sem_full);
	else
		fprintf(f, "no semaphores\n");
	if (s->opts.schedule != NULL)
		fprintf(f, "  %llu steps taken by schedule, over %.3f s\n",
		    (unsigned long long)w->stepper.taken, elapsed);
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
		if (j->violated[i])
			fprintf(f, "  violated: %s: %s\n",
			    judge_inv_name((enum inv)i), j->detail[i]);
	if (j->stuck == STUCK_DEADLOCK || j->stuck == STUCK_HANG)
		fprintf(f, "  %s: %s\n", j->stuck == STUCK_DEADLOCK ? "deadlock" :
		    "hang", j->stuck_text);
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
	for (unsigned i = 0; i < w->stepper.nskips; i++)
		fprintf(f, "  not taken: %s (%u step%s)\n", w->stepper.skips[i],
		    w->stepper.skip_counts[i],
		    w->stepper.skip_counts[i] == 1 ? "" : "s");
}

int
report_print(FILE *f, const struct watch *w, const struct tally *t,
    enum report_end end, int json)
{
	int64_t stop = w->s.end_ns ? w->s.end_ns : w->cur->t;
	double elapsed = (double)(stop - w->s.start_ns) / 1e9;

	if (json)
		report_json(f, w, t, end, elapsed);
	else
		report_text(f, w, t, end, elapsed);
	return fflush(f) == 0 && !ferror(f) ? 0 : -1;
}
