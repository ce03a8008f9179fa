/* schedule.h: a deterministic interleaving, as text: "P1:3 C1:6 P1:5" */
#ifndef SHMVIZ_SCHEDULE_H
#define SHMVIZ_SCHEDULE_H

#include <stddef.h>
#include <stdint.h>

#include "ctl.h"

#define SCHEDULE_MAX 1024u              /* entries */
#define SCHEDULE_MAX_STEPS 1000000u     /* steps in one entry */

/* Run `steps` steps of one process. */
struct schedule_entry {
	enum role role;
	unsigned index;         /* P1 is ROLE_PRODUCER, 0 */
	uint32_t steps;
};

struct schedule {
	struct schedule_entry e[SCHEDULE_MAX];
	unsigned n;
};

/*
 * Parse a schedule for nprod producers and ncons consumers: entries
 * separated by spaces or commas, each P<n> or C<n>, then optionally :<steps>
 * (1 when left out).  With s NULL, only check.  -1 with a reason in err.
 */
int schedule_parse(const char *text, unsigned nprod, unsigned ncons,
    struct schedule *s, char *err, size_t errlen);

#endif
