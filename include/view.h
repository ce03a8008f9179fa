/* view.h: the parts of the screen, each drawn from a snapshot */
#ifndef SHMVIZ_VIEW_H
#define SHMVIZ_VIEW_H

#include <stdint.h>

struct evlog;
struct session;
struct snap;
struct trend;
struct tui;

/* A rectangle of the screen. */
struct rect {
	int y, x, h, w;
};

/*
 * The ring: rows it needs at this width (at most max_rows), and drawing.
 * `quality` says how it would look: 3 boxes with an index row, 2 boxes,
 * 1 a cell a slot, 0 packed.
 */
int view_ring_rows(uint32_t capacity, int width, int max_rows, int *quality);
void view_ring_draw(const struct snap *sn, struct rect r);

/* The top bar: the segment as ipcs sees it, and the session's state. */
void view_title_draw(const struct tui *t, struct rect r);

/* head, tail, count, fill and the semaphores: one row. */
void view_numbers_draw(const struct snap *sn, struct rect r);

/* The invariants, each marked held or violated: one row. */
void view_judge_draw(const struct tui *t, struct rect r);

/* A banner for a frozen violation, a deadlock or a hang; rows used. */
int view_banner_draw(const struct tui *t, struct rect r);

/*
 * A pane per worker: its loop as code with the current step marked (full),
 * or one line each (compact).  Rows each form needs at this width.
 */
int view_panes_rows(const struct snap *sn, int cols, int full);
void view_panes_draw(const struct tui *t, struct rect r, int full);

/* Throughput, checks and the occupancy sparkline: two rows. */
void view_trend_draw(const struct tui *t, struct rect r);

void view_log_draw(const struct evlog *l, int64_t start, struct rect r);

/* The key bar and the help overlay, both from the key table. */
void view_keys_draw(struct rect r);
void view_help_draw(struct rect r);

/* The message shown instead of the screen when the terminal is too small. */
void view_small_draw(int rows, int cols);

#endif
