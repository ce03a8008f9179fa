/* headless.c: a session without a terminal, ending in a summary */
#include "headless.h"

#include <stdio.h>
#include <stdlib.h>
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
headless_over(const struct watch *w, const struct opts *o, int had_plan)
{
	enum watch_state now;

	if (sig_quit)
		return WATCH_SIGNAL;
	/* frozen at the violation it was asked to stop at, whenever that was */
	if (w->frozen)
		return WATCH_FROZEN;
	if (o->duration_ns && pace_now() - w->s.start_ns >= o->duration_ns)
		return WATCH_DURATION;
	now = watch_state(w);
	if (watch_states[now].ended != NULL)
		return (int)now;
	/* A plan used up ends the run, unless everyone left looks stuck: then
	 * the judge is given the moment it needs to say so. */
	if (had_plan && stepper_over(w->stepper) && !judge_deciding(w->judge))
		return stepper_steps_out(w->stepper) ? WATCH_STEPS :
		    WATCH_SCHEDULE;
	return -1;
}

int
headless_run(const struct opts *o)
{
	struct watch *w = calloc(1, sizeof(*w));
	struct tally t;
	char err[256];
	int status, end;

	if (w == NULL) {
		fprintf(stderr, "shmviz: out of memory\n");
		return 1;
	}
	sig_init(0);
	sig_crash_init(NULL);
	if (watch_start(w, o, err, sizeof(err)) == -1) {
		fprintf(stderr, "shmviz: %s\n", err);
		watch_free(w);
		free(w);
		return 1;
	}
	for (;;) {
		int64_t wait = stepper_busy(w->stepper) ?
		    HEADLESS_STEP_TICK_NS : HEADLESS_TICK_NS;

		if (o->duration_ns) {
			int64_t left = w->s.start_ns + o->duration_ns - pace_now();
			if (left < wait)
				wait = left;
		}
		sig_wait(-1, wait);
		sig_chld = 0;
		watch_look(w, 0);
		if ((end = headless_over(w, o, o->schedule != NULL || o->random)) >= 0)
			break;
	}
	session_stop(&w->s);
	snap_take(&w->s, w->cur);
	snap_tally(&w->s, w->cur, &t);
	/* the end's own status; a worker that faulted makes a clean end 1 */
	status = watch_states[end].status;
	if (status == -1)
		status = 128 + sig_quit;
	else if (status == 0 && headless_faulted(&w->s))
		status = 1;
	if (report_print(stdout, w, &t, (enum watch_state)end, o->json) == -1) {
		fprintf(stderr, "shmviz: the summary could not be written\n");
		if (status == 0)
			status = 1;
	}
	watch_done(w);
	free(w);
	return status;
}
