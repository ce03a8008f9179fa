/* report.h: the summary printed when a headless session ends */
#ifndef SHMVIZ_REPORT_H
#define SHMVIZ_REPORT_H

#include <stdio.h>

#include "watch.h"

struct snap;
struct tally;


/* Items per second a role achieved over its own first to last item; -1
 * when no worker of the role made two items. */
double report_rate(const struct snap *sn, int role);

/* Print the summary of a session that ended in `end` (one with an
 * "ended" name in watch_states); -1 if it could not be written (a closed pipe). */
int report_print(FILE *f, const struct watch *w, const struct tally *t,
    enum watch_state end, int json);

#endif
