/* report.c: the summary printed when a headless session ends */
#include "report.h"

#include "pace.h"
#include "session.h"
#include "snap.h"

static const char *const end_names[] = {
	[END_DRAINED] = "drained",
	[END_DURATION] = "duration",
	[END_SIGNAL] = "signal",
	[END_STALLED] = "stalled",
};

double
report_rate(const struct snap *sn, int role, double elapsed_s)
{
	double sum = 0;

	for (unsigned i = 0; i < sn->nworkers; i++) {
		const struct snap_worker *w = &sn->w[i];
		double span = (double)(w->last_ns - w->first_ns) / 1e9;

		if ((int)w->role != role)
			continue;
		/* n items complete n - 1 periods after the first one. */
		if (w->done >= 2 && span > 0)
			sum += (double)(w->done - 1) / span;
		else if (elapsed_s > 0)
			sum += (double)w->done / elapsed_s;
	}
	return sum;
}

static void
report_set_rate(FILE *f, uint64_t rate)
{
	if (rate == PACE_MAX)
		fputs("null", f);
	else
		fprintf(f, "%.3f", rate / 1000.0);
}

static void
report_json(FILE *f, const struct session *s, const struct snap *sn,
    const struct tally *t, enum report_end end, double elapsed)
{
	fprintf(f, "{\"capacity\":%u,\"produced\":%llu,\"consumed\":%llu,"
	    "\"lost\":%llu,\"duplicated\":%llu,\"out_of_order\":%llu,"
	    "\"empty_reads\":%llu,\"in_ring\":%llu,\"count\":%d,\"fill\":%u,"
	    "\"sem_empty\":%d,\"sem_full\":%d,\"elapsed_s\":%.3f,"
	    "\"producer_rate\":%.3f,\"consumer_rate\":%.3f,",
	    sn->capacity, (unsigned long long)t->produced,
	    (unsigned long long)t->consumed, (unsigned long long)t->lost,
	    (unsigned long long)t->duplicated,
	    (unsigned long long)t->out_of_order,
	    (unsigned long long)t->empties, (unsigned long long)t->in_ring,
	    sn->count, sn->fill, sn->sem_empty, sn->sem_full, elapsed,
	    report_rate(sn, ROLE_PRODUCER, elapsed),
	    report_rate(sn, ROLE_CONSUMER, elapsed));
	fputs("\"producer_set_rate\":", f);
	report_set_rate(f, s->opts.prod_rate);
	fputs(",\"consumer_set_rate\":", f);
	report_set_rate(f, s->opts.cons_rate);
	fprintf(f, ",\"items\":%llu,\"ended\":\"%s\",\"workers\":[",
	    (unsigned long long)s->opts.items, end_names[end]);
	for (unsigned i = 0; i < s->nprocs; i++) {
		const struct proc *p = &s->procs[i];
		char name[8], how[48];

		fprintf(f, "%s{\"name\":\"%s\",\"pid\":%d,\"done\":%llu,"
		    "\"exit\":\"%s\"}", i ? "," : "",
		    session_name(p, name, sizeof(name)), (int)p->pid,
		    (unsigned long long)sn->w[i].done,
		    p->alive ? "running" : session_how(p->status, how, sizeof(how)));
	}
	fputs("]}\n", f);
}

static void
report_text(FILE *f, const struct session *s, const struct snap *sn,
    const struct tally *t, enum report_end end, double elapsed)
{
	char a[24], b[24];

	fprintf(f, "shmviz: %llu produced, %llu consumed, %llu lost, "
	    "%llu duplicated, %llu out of order (%s)\n",
	    (unsigned long long)t->produced, (unsigned long long)t->consumed,
	    (unsigned long long)t->lost, (unsigned long long)t->duplicated,
	    (unsigned long long)t->out_of_order, end_names[end]);
	fprintf(f, "  ring: capacity %u, count %d, fill %u, %llu left in it, "
	    "semaphores empty %d full %d\n", sn->capacity, sn->count, sn->fill,
	    (unsigned long long)t->in_ring, sn->sem_empty, sn->sem_full);
	fprintf(f, "  rates: producer %.1f items/s (set %s), consumer %.1f "
	    "items/s (set %s), over %.3f s\n",
	    report_rate(sn, ROLE_PRODUCER, elapsed),
	    pace_format(s->opts.prod_rate, a, sizeof(a)),
	    report_rate(sn, ROLE_CONSUMER, elapsed),
	    pace_format(s->opts.cons_rate, b, sizeof(b)), elapsed);
	for (unsigned i = 0; i < s->nprocs; i++) {
		const struct proc *p = &s->procs[i];
		char name[8], how[48];

		fprintf(f, "  %s pid %d: %llu items, %s\n",
		    session_name(p, name, sizeof(name)), (int)p->pid,
		    (unsigned long long)sn->w[i].done,
		    p->alive ? "running" : session_how(p->status, how, sizeof(how)));
	}
	if (t->empties)
		fprintf(f, "  %llu reads of a slot that held no item\n",
		    (unsigned long long)t->empties);
}

void
report_print(FILE *f, const struct session *s, const struct snap *sn,
    const struct tally *t, enum report_end end, int json)
{
	int64_t stop = s->end_ns ? s->end_ns : sn->t;
	double elapsed = (double)(stop - s->start_ns) / 1e9;

	if (json)
		report_json(f, s, sn, t, end, elapsed);
	else
		report_text(f, s, sn, t, end, elapsed);
	fflush(f);
}
