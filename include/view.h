/* view.h: the parts of the screen, each drawn from a snapshot */
#ifndef SHMVIZ_VIEW_H
#define SHMVIZ_VIEW_H

#include <stddef.h>
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
 * Most parts are one function that measures and draws: given a rectangle
 * (only its width matters when not drawing), it returns the rows it needs.
 * `how` is 0 to measure, or these: */
#define VIEW_DRAW 1             /* draw, not only measure */
#define VIEW_BRIEF 2            /* the short form, for a crowded screen */

/*
 * The ring: rows it needs at this width (at most max_rows), and drawing.
 * `quality` says how it would look: 3 boxes with an index row, 2 boxes,
 * 1 a cell a slot, 0 packed.
 */
int view_ring_rows(const struct snap *sn, int width, int max_rows,
    int *quality);
void view_ring_draw(const struct snap *sn, struct rect r);

/* The top bar: the segment as ipcs sees it, and the session's state. */
void view_title_draw(const struct tui *t, struct rect r);

/* head, tail, count, fill, the semaphores and who waits on them (brief:
 * not who). */
int view_numbers(const struct snap *sn, struct rect r, int how);

/* The invariants, each with its mark: holds, not known, broken (brief:
 * without the permits held). */
int view_judge(const struct tui *t, struct rect r, int how);

/* A banner for a frozen violation, a deadlock or a hang, whole. */
int view_banner(const struct tui *t, struct rect r, int draw);

/* A schedule's progress and its next step, while there is one. */
int view_schedule(const struct tui *t, struct rect r, int draw);

/*
 * A status line per worker (pid, state, rate, items, r); with fewer rows
 * than workers, a line says how many are not shown.
 */
int view_status(const struct tui *t, struct rect r, int draw);

/* Each role's loop once, every worker's name on the line it is at. */
int view_code_rows(const struct snap *sn);
void view_code_draw(const struct tui *t, struct rect r);

/* The trace: the steps so far as a schedule, then a row a step, a column
 * a process, the newest at the bottom (measured: the rows it would like). */
int view_trace(const struct tui *t, struct rect r, int how);

/* Throughput, counts and checks; with two rows, occupancy too.  The rows
 * the short form needs at this width (1, or 2 if it does not fit). */
int view_trend_rows(const struct tui *t, int cols);
void view_trend_draw(const struct tui *t, struct rect r);

/* The newest events that fit, newest at the bottom, each whole; and the
 * rows they fill of at most max_rows. */
void view_log_draw(const struct evlog *l, int64_t start, struct rect r);
int view_log_rows(const struct evlog *l, int width, int max_rows);

/* The key bar and the help overlay, both from the key table. */
void view_keys_draw(struct rect r);
void view_help_draw(struct rect r);

/* A box over the whole of r, blank inside, a title on its top edge and
 * (or NULL) a line at the right of its bottom edge. */
void view_frame(struct rect r, const char *title, const char *foot);

/* e: the table of outcomes over the screen, and the bar while it runs. */
void view_explore_draw(const struct tui *t, struct rect r);
void view_explore_progress(struct rect r, const char *what, double frac,
    uint64_t schedules, uint64_t states);

/* The message shown instead of the screen when the terminal is too small. */
void view_small_draw(int rows, int cols);

/* "P1,P2", "P1-P4": workers named compactly in at most `max` columns
 * (those that do not fit as "+N"); `who` are worker slots of the snapshot,
 * in order, and `keep` (or -1) one that is named on its own. */
const char *view_names(const struct snap *sn, const unsigned *who,
    unsigned n, int keep, int max, char *buf, size_t len);

#endif
