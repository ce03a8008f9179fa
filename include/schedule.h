/* schedule.h: a deterministic interleaving, as text: "P1:3 C1:6 P1:5" */
#ifndef SHMVIZ_SCHEDULE_H
#define SHMVIZ_SCHEDULE_H

#include <stddef.h>
#include <stdint.h>

#include "ctl.h"

#define SCHEDULE_MAX (1u << 20)         /* entries */
#define SCHEDULE_MAX_STEPS 1000000u     /* steps in one entry */
#define SCHEDULE_FILE_MAX (16u << 20)   /* bytes of a --schedule-file */

/* Run `steps` steps of one process. */
struct schedule_entry {
	enum role role;
	unsigned index;         /* P1 is ROLE_PRODUCER, 0 */
	uint32_t steps;
};

/* Entries in order; zeroed, a schedule is empty and owns nothing. */
struct schedule {
	struct schedule_entry *e;
	unsigned n, cap;
};

/*
 * Parse a schedule for nprod producers and ncons consumers: entries
 * separated by spaces, commas or newlines, each P<n> or C<n>, then
 * optionally :<steps> (1 when left out); '#' starts a comment that runs to
 * the end of its line.  With s NULL, only check.  -1 with a reason in err
 * (the schedule is then left empty).
 */
int schedule_parse(const char *text, unsigned nprod, unsigned ncons,
    struct schedule *s, char *err, size_t errlen);

/* The text of a --schedule-file (malloc'd), or NULL with a reason in err
 * (naming the file). */
char *schedule_slurp(const char *path, char *err, size_t errlen);

/* One more step of a process, at the end or at the front: joined to the
 * entry there when it is the same process.  -1 when memory runs out. */
int schedule_push(struct schedule *s, enum role role, unsigned index);
int schedule_push_front(struct schedule *s, enum role role, unsigned index);

/* Take the last step off; the process it was of in *role, *index; -1 when
 * there is none. */
int schedule_pop_back(struct schedule *s, enum role *role, unsigned *index);

/* Steps in all. */
uint64_t schedule_steps(const struct schedule *s);

/* dst = src, dst's old entries freed; -1 when memory runs out. */
int schedule_copy(struct schedule *dst, const struct schedule *src);
void schedule_free(struct schedule *s);

/* The schedule in its own grammar, "P1:14 C1:8 P1" (malloc'd; NULL when
 * memory runs out). */
char *schedule_format(const struct schedule *s);

#endif
