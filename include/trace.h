/* trace.h: every step of a stepped session, and what it left behind */
#ifndef SHMVIZ_TRACE_H
#define SHMVIZ_TRACE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define TRACE_MAX_ROWS 1000000u  /* kept; past that the trace says it is cut */
#define TRACE_HISTORY_MAX 400   /* the history is shown up to this long */

enum trace_kind {
	TR_STEP,        /* a step the plan named: taken, held, spun or not */
	TR_RELEASED,    /* a held worker let through by a post, in that step */
	TR_FREE_BEGAN,  /* free running began: its steps are not traced */
	TR_FREE_ENDED,
	TR_RESET,       /* n: a producer started the tutorial's way reset the
	                   semaphores, head, tail and count (role, index: it) */
};

/* The numbers a step left behind, read right after it. */
struct trace_vals {
	int32_t r, count;
	uint32_t head, tail;
	int sem_empty, sem_full, sem_mutex;
	uint32_t io_slot;       /* where the worker's latest write or read was */
	uint64_t io_item;       /* and the item */
	uint8_t cv_phase;       /* enum cvphase: where it is in a wait */
	uint8_t woke;           /* a signal: 1 + the waiter it woke; 0 none */
	uint8_t woke_role, woke_index; /* and who that is */
	uint8_t m_free;         /* m was free after it */
};

struct trace_row {
	uint64_t n;             /* the step's number (1 the first), 0 for a mark */
	uint8_t kind;           /* enum trace_kind */
	uint8_t what;           /* enum stepper_what */
	uint8_t why;            /* enum stepper_why, when not taken */
	uint8_t sem;            /* enum wsem it was held or blocked on */
	uint8_t role, index;    /* the worker */
	uint8_t line;           /* the line of its loop */
	uint8_t broke;          /* invariants proven broken by it: bit i */
	uint8_t keyed;          /* asked for by a key, not a schedule or seed */
	struct trace_vals v;
};

struct trace {
	struct trace_row *rows;
	size_t n, cap;
	int cut;                /* rows past TRACE_MAX_ROWS were not kept */
};

/* Add a row; -1 (and the trace cut) when it cannot be kept. */
int trace_add(struct trace *t, const struct trace_row *row);

/* The last row of a step, or NULL. */
struct trace_row *trace_last_step(struct trace *t);

void trace_free(struct trace *t);

/* An item as the screen names it: "P2#13", or "empty" for no item. */
const char *trace_item(uint64_t token, char *buf, size_t len);

/* The rows as JSON objects, for the summary's "trace". */
json_t *trace_json(const struct trace *t, unsigned sync);

/* The table, a column a process (x86.py's shape), for the text summary. */
void trace_text(FILE *f, const struct trace *t, unsigned sync,
    unsigned nprod, unsigned ncons);

/* The columns of a table of rows [from, last): col[w] for worker w (its
 * producers first), -1 for one that took no step in them; how many. */
unsigned trace_columns(const struct trace *t, size_t from, size_t last,
    unsigned nprod, unsigned ncons, int *col);

/* What a row's step did, short, for a cell of the table: "r=1",
 * "slot 0: P1#1", "blocked", "(not taken: ...)". */
const char *trace_cell(const struct trace_row *row, unsigned sync, char *buf,
    size_t len);

#endif
