/* report.h: the summary printed when a headless session ends */
#ifndef SHMVIZ_REPORT_H
#define SHMVIZ_REPORT_H

#include <stdio.h>

struct session;
struct snap;
struct tally;

/* Why a session ended. */
enum report_end {
	END_DRAINED,    /* the producers finished and the ring drained */
	END_DURATION,   /* --duration ran out */
	END_SIGNAL,     /* SIGINT, SIGTERM or SIGHUP */
	END_STALLED,    /* one side is gone and the other can never move */
};

/* Items per second a role achieved over its own first to last item. */
double report_rate(const struct snap *sn, int role, double elapsed_s);

void report_print(FILE *f, const struct session *s, const struct snap *sn,
    const struct tally *t, enum report_end end, int json);

#endif
