/* report.h: the summary printed when a headless session ends */
#ifndef SHMVIZ_REPORT_H
#define SHMVIZ_REPORT_H

#include <stdio.h>

struct snap;
struct tally;
struct watch;

/* Why a session ended. */
enum report_end {
	END_DRAINED,    /* the producers finished and the ring drained */
	END_DURATION,   /* --duration ran out */
	END_SIGNAL,     /* SIGINT, SIGTERM or SIGHUP */
	END_STALLED,    /* a worker died and the rest can never move */
	END_DEADLOCK,   /* every worker waits on a semaphore no one can post */
	END_SCHEDULE,   /* --schedule was used up */
	END_FROZEN,     /* --freeze-on-violation: an invariant broke */
	END_STEPS,      /* --random took its --steps */
	END_SPIN,       /* every worker left spins on what nobody can change */
};

/* Items per second a role achieved over its own first to last item; -1
 * when no worker of the role made two items. */
double report_rate(const struct snap *sn, int role);

/* Print the summary; -1 if it could not be written (a closed pipe). */
int report_print(FILE *f, const struct watch *w, const struct tally *t,
    enum report_end end, int json);

#endif
