/* headless.c: a session without a terminal, ending in a summary */
#include "headless.h"

#include <stdio.h>
#include <sys/wait.h>

#include "pace.h"
#include "report.h"
#include "sig.h"
#include "snap.h"
#include "watch.h"

/* How often the session is looked at: a plan of steps wants it often. */
#define HEADLESS_TICK_NS (10 * INT64_C(1000000))
#define HEADLESS_STEP_TICK_NS (200 * INT64_C(1000))

/* Whether any worker ended other than by finishing or being stopped. */
static int
headless_faulted(const struct session *s)
{
	for (unsigned i = 0; i < s->nprocs; i++) {
		const struct proc *p = &s->procs[i];

		if (!p->alive && !(WIFEXITED(p->status) &&
		    WEXITSTATUS(p->status) == 0))
			return 1;
	}
	return 0;
}

/* Why the session is over, or -1 while it goes on. */
static int
headless_over(struct watch *w, const struct opts *o, int had_plan)
{
	if (sig_quit)
		return END_SIGNAL;
	/* frozen at the violation it was asked to stop at, whenever that was */
	if (w->frozen)
		return END_FROZEN;
	if (o->duration_ns && pace_now() - w->s.start_ns >= o->duration_ns)
		return END_DURATION;
	switch (w->judge.stuck) {
	case STUCK_DRAINED:
		return END_DRAINED;
	case STUCK_DEADLOCK:
		return END_DEADLOCK;
	case STUCK_HANG:
		return END_STALLED;
	case STUCK_SPIN:
		return END_SPIN;
	default:
		break;
	}
	/* A plan used up ends the run, unless everyone left looks stuck: then
	 * the judge is given the moment it needs to say so. */
	if (had_plan && !w->stepper.active && !w->stepper.waiting &&
	    (!o->random || w->stepper.random_over) &&
	    w->judge.candidate_since == 0)
		return o->random && w->stepper.limit &&
		    w->stepper.drawn >= w->stepper.limit ? END_STEPS : END_SCHEDULE;
	return -1;
}

int
headless_run(const struct opts *o)
{
	static struct watch w;
	struct tally t;
	char err[256];
	int status, end;

	sig_init(0);
	sig_crash_init(NULL);
	if (watch_start(&w, o, err, sizeof(err)) == -1) {
		fprintf(stderr, "shmviz: %s\n", err);
		return 1;
	}
	for (;;) {
		int64_t wait = w.stepper.active || w.stepper.waiting ?
		    HEADLESS_STEP_TICK_NS : HEADLESS_TICK_NS;

		if (o->duration_ns) {
			int64_t left = w.s.start_ns + o->duration_ns - pace_now();
			if (left < wait)
				wait = left;
		}
		sig_wait(-1, wait);
		sig_chld = 0;
		watch_look(&w, 0);
		if ((end = headless_over(&w, o, o->schedule != NULL || o->random)) >= 0)
			break;
	}
	session_stop(&w.s);
	snap_take(&w.s, w.cur);
	snap_tally(&w.s, w.cur, &t);
	status = end == END_SIGNAL ? 128 + sig_quit : (end == END_DEADLOCK || end == END_SPIN) ? 3 :
	    (end == END_STALLED || headless_faulted(&w.s)) ? 1 : 0;
	if (report_print(stdout, &w, &t, (enum report_end)end, o->json) == -1) {
		fprintf(stderr, "shmviz: the summary could not be written\n");
		if (status == 0)
			status = 1;
	}
	watch_done(&w);
	return status;
}
