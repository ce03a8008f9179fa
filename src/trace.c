/* trace.c: every step of a stepped session, and what it left behind */
#include "trace.h"

#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "jout.h"
#include "judge.h"
#include "ring.h"
#include "stepper.h"
#include "sync.h"
#include "worker.h"

int
trace_add(struct trace *t, const struct trace_row *row)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 256;
		struct trace_row *r;

		if (t->n >= TRACE_MAX_ROWS ||
		    (r = realloc(t->rows, cap * sizeof(*r))) == NULL) {
			t->cut = 1;
			return -1;
		}
		t->rows = r;
		t->cap = cap;
	}
	t->rows[t->n++] = *row;
	return 0;
}

struct trace_row *
trace_last_step(struct trace *t)
{
	for (size_t i = t->n; i > 0; i--)
		if (t->rows[i - 1].kind == TR_STEP)
			return &t->rows[i - 1];
	return NULL;
}

void
trace_free(struct trace *t)
{
	free(t->rows);
	memset(t, 0, sizeof(*t));
}

static const struct step *
row_step(const struct trace_row *row, unsigned sync)
{
	unsigned n;
	const struct step *t = steps_table(sync, row->role, &n);

	return &t[row->line % n];
}

/* "P1#3", or "empty" for a slot never written. */
const char *
trace_item(uint64_t token, char *buf, size_t len)
{
	if (token == 0)
		snprintf(buf, len, "empty");
	else
		snprintf(buf, len, "P%u#%llu", ring_item_producer(token) + 1,
		    (unsigned long long)ring_item_seq(token) + 1);
	return buf;
}

static int
row_value_of(const struct trace_row *row, unsigned sem)
{
	return sem == SEM_EMPTY ? row->v.sem_empty : sem == SEM_FULL ?
	    row->v.sem_full : row->v.sem_mutex;
}

const char *
trace_cell(const struct trace_row *row, unsigned sync, char *buf, size_t len)
{
	const struct step *st = row_step(row, sync);
	char item[32];

	buf[0] = '\0';
	if (row->what == SW_NOT_TAKEN)
		snprintf(buf, len, "(not taken: %s%s)", row->why == WHY_EXITED ?
		    "exited" : row->why == WHY_FINISHED ? "all items made" :
		    "blocked on ", row->why == WHY_BLOCKED ? ctl_sem_name(row->sem) :
		    "");
	else if (row->what == SW_HELD && row->sem == SEM_M)
		snprintf(buf, len, "blocked: m is held");
	else if (row->what == SW_HELD)
		snprintf(buf, len, "blocked: %s is 0", ctl_sem_name(row->sem));
	else if (row->what == SW_SPUN)
		snprintf(buf, len, "(spins)");
	else if (row->what == SW_RELEASED && row->sem == SEM_M)
		snprintf(buf, len, (st->flags & SF_CV_WAIT) ? "m free: holds m "
		    "again" : "m free: takes it");
	else if (row->what == SW_RELEASED)
		snprintf(buf, len, "woken: %s %d", ctl_sem_name(row->sem),
		    row_value_of(row, row->sem));
	else if (st->flags & SF_CV_WAIT)
		snprintf(buf, len, "%s", row->v.cv_phase == CVP_WAITING ?
		    "lets m go, sleeps" : "woken: holds m again");
	else if ((st->flags & SF_CV_SIGNAL) && row->v.woke) {
		char who[8];

		snprintf(buf, len, "wakes %s", ctl_name(row->v.woke_role,
		    row->v.woke_index, who, sizeof(who)));
	} else if (st->flags & SF_CV_SIGNAL)
		snprintf(buf, len, "nobody waiting");
	else if (st->waits == SEM_M)
		snprintf(buf, len, "holds m");
	else if (st->flags & SF_GIVE_MUTEX && st->waits == SEM_NONE &&
	    sync_has_m(sync) && !(st->flags & SF_GIVE_PERMIT))
		snprintf(buf, len, "m free");
	else if (st->flags & SF_DATA)
		snprintf(buf, len, "slot %u: %s", row->v.io_slot,
		    trace_item(row->v.io_item, item, sizeof(item)));
	else if (st->flags & (SF_LOAD | SF_REG))
		snprintf(buf, len, "r=%d", row->v.r);
	else if (st->flags & SF_COUNT)
		snprintf(buf, len, "count=%d", row->v.count);
	else if (st->flags & SF_ADVANCE)
		snprintf(buf, len, "%s=%u", row->role == ROLE_PRODUCER ? "head" :
		    "tail", row->role == ROLE_PRODUCER ? row->v.head : row->v.tail);
	else if (st->waits != SEM_NONE)
		snprintf(buf, len, "%s=%d", ctl_sem_name(st->waits),
		    row_value_of(row, st->waits));
	else if (st->flags & (SF_GIVE_PERMIT | SF_GIVE_MUTEX)) {
		/* which one it posted: the other side's, or the mutex */
		unsigned sem = st->flags & SF_GIVE_MUTEX ? SEM_MUTEX :
		    row->role == ROLE_PRODUCER ? SEM_FULL : SEM_EMPTY;

		snprintf(buf, len, "%s=%d", ctl_sem_name(sem), row_value_of(row,
		    sem));
	}
	return buf;
}

static json_t *
or_null(int has, json_t *v)
{
	if (has)
		return v;
	json_decref(v);
	return json_null();
}

static const char *const marks[] = {
	[TR_FREE_BEGAN] = "free running began: its steps are not traced",
	[TR_FREE_ENDED] = "free running ended",
	/* one string, in two pieces */
	// NOLINTNEXTLINE(bugprone-suspicious-missing-comma)
	[TR_RESET] = "a producer started the tutorial's way, with sem_init "
	    "on both semaphores, then head = tail = count = 0",
};

json_t *
trace_json(const struct trace *t, unsigned sync)
{
	json_t *a = json_array();
	int sems = sync_has_sems(sync), mutex = sync_has_mutex(sync);
	int reg = steps_has_register(sync);

	for (size_t i = 0; i < t->n; i++) {
		const struct trace_row *row = &t->rows[i];
		int mark = row->kind >= TR_FREE_BEGAN;
		const struct step *st = mark ? NULL : row_step(row, sync);
		int io = !mark && (st->flags & SF_DATA) && row->what == SW_TAKEN;
		json_t *o = json_object();
		char name[8], item[32], cell[96];

		jout_set(o, "n", or_null(!mark, jout_uint(row->n)));
		jout_set(o, "worker", or_null(!mark, jout_string(ctl_name(row->role,
		    row->index, name, sizeof(name)))));
		jout_set(o, "line", or_null(!mark, jout_string(mark ? "" :
		    st->code)));
		jout_set(o, "blocked", or_null(!mark, json_boolean(row->what ==
		    SW_HELD || (row->what == SW_NOT_TAKEN && row->why ==
		    WHY_BLOCKED))));
		jout_set(o, "taken", or_null(!mark, json_boolean(row->what ==
		    SW_TAKEN || row->what == SW_HELD || row->what == SW_RELEASED)));
		jout_set(o, "r", or_null(!mark && reg, jout_int(row->v.r)));
		jout_set(o, "count", or_null(!mark, jout_int(row->v.count)));
		jout_set(o, "head", or_null(!mark, jout_uint(row->v.head)));
		jout_set(o, "tail", or_null(!mark, jout_uint(row->v.tail)));
		jout_set(o, "sem_empty", or_null(!mark && sems,
		    jout_int(row->v.sem_empty)));
		jout_set(o, "sem_full", or_null(!mark && sems,
		    jout_int(row->v.sem_full)));
		jout_set(o, "sem_mutex", or_null(!mark && mutex,
		    jout_int(row->v.sem_mutex)));
		jout_set(o, "slot", or_null(io, jout_uint(row->v.io_slot)));
		jout_set(o, "item", or_null(io, jout_string(trace_item(row->v.io_item,
		    item, sizeof(item)))));
		jout_set(o, "note", jout_string(mark ? marks[row->kind] :
		    trace_cell(row, sync, cell, sizeof(cell))));
		if (row->broke) {
			json_t *b = json_array();

			for (int k = 0; k < INV_COUNT_ALL; k++)
				if (row->broke & (1u << k))
					jout_push(b, jout_string(judge_inv_name((enum inv)k)));
			jout_set(o, "broke", b);
		}
		jout_push(a, o);
	}
	return a;
}

unsigned
trace_columns(const struct trace *t, size_t from, size_t last, unsigned nprod,
    unsigned ncons, int *col)
{
	unsigned n = 0;

	for (unsigned w = 0; w < nprod + ncons; w++)
		col[w] = -1;
	for (size_t i = from; i < last && i < t->n; i++) {
		const struct trace_row *row = &t->rows[i];
		unsigned w = row->role == ROLE_PRODUCER ? row->index :
		    nprod + row->index;

		if (row->kind <= TR_RELEASED && w < nprod + ncons && col[w] < 0)
			col[w] = 0;
	}
	for (unsigned w = 0; w < nprod + ncons; w++)
		if (col[w] == 0)
			col[w] = (int)n++;
	return n;
}

#define CELL_W 42

void
trace_text(FILE *f, const struct trace *t, unsigned sync, unsigned nprod,
    unsigned ncons)
{
	int col[CTL_MAX_WORKERS], cw = CELL_W;
	unsigned ncol = trace_columns(t, 0, t->n, nprod, ncons, col);
	int sems = sync_has_sems(sync);

	/* columns as wide as the widest cell, so that they stay in line */
	for (size_t i = 0; i < t->n; i++) {
		char cell[96];
		int n;

		if (t->rows[i].kind >= TR_FREE_BEGAN)
			continue;
		n = (int)strlen(row_step(&t->rows[i], sync)->code) + 1 +
		    (int)strlen(trace_cell(&t->rows[i], sync, cell, sizeof(cell)));
		if (n > cw)
			cw = n < CELL_W * 2 - 1 ? n : CELL_W * 2 - 1;
	}

	fprintf(f, "  trace: %zu row%s%s\n  %5s", t->n, t->n == 1 ? "" : "s",
	    t->cut ? " (cut: too many to keep)" : "", "n");
	for (unsigned w = 0; w < nprod + ncons; w++)
		if (col[w] >= 0) {
			char name[8];

			fprintf(f, "  %-*s", cw, ctl_name(w < nprod ? ROLE_PRODUCER :
			    ROLE_CONSUMER, w < nprod ? w : w - nprod, name,
			    sizeof(name)));
		}
	fprintf(f, "  %5s %4s %4s%s\n", "count", "head", "tail", sems ?
	    "  empty full" : "");
	for (size_t i = 0; i < t->n; i++) {
		const struct trace_row *row = &t->rows[i];
		unsigned w = row->role == ROLE_PRODUCER ? row->index :
		    nprod + row->index;
		char text[CELL_W * 2], cell[96];

		if (row->kind >= TR_FREE_BEGAN) {
			fprintf(f, "  %5s  (%s)\n", "", marks[row->kind]);
			continue;
		}
		snprintf(text, sizeof(text), "%s %s", row_step(row, sync)->code,
		    trace_cell(row, sync, cell, sizeof(cell)));
		if (row->kind == TR_STEP)
			fprintf(f, "  %5llu", (unsigned long long)row->n);
		else
			fprintf(f, "  %5s", "");
		for (int c = 0; c < (int)ncol; c++)
			fprintf(f, "  %-*s", cw, c == col[w] ? text : "");
		fprintf(f, "  %5d %4u %4u", row->v.count, row->v.head, row->v.tail);
		if (sems)
			fprintf(f, "  %5d %4d", row->v.sem_empty, row->v.sem_full);
		for (int k = 0; k < INV_COUNT_ALL; k++)
			if (row->broke & (1u << k))
				fprintf(f, "  <- breaks %s", judge_inv_name((enum inv)k));
		fputc('\n', f);
	}
}
