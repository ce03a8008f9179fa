/* headless.c: a session without a terminal, ending in a summary */
#include "headless.h"

#include <stdio.h>
#include <sys/wait.h>

#include "pace.h"
#include "report.h"
#include "session.h"
#include "sig.h"
#include "snap.h"

/* How often the session is looked at for its end. */
#define HEADLESS_TICK_NS (10 * INT64_C(1000000))

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

int
headless_run(const struct opts *o)
{
	static struct snap sn;
	enum report_end end;
	struct session s;
	struct tally t;
	char err[256];
	int status;

	sig_init(0);
	if (session_start(&s, o, err, sizeof(err)) == -1) {
		fprintf(stderr, "shmviz: %s\n", err);
		return 1;
	}
	for (;;) {
		int64_t wait = HEADLESS_TICK_NS;

		if (o->duration_ns) {
			int64_t left = s.start_ns + o->duration_ns - pace_now();
			if (left <= 0) {
				end = END_DURATION;
				break;
			}
			if (left < wait)
				wait = left;
		}
		sig_wait(-1, wait);
		if (sig_quit) {
			end = END_SIGNAL;
			break;
		}
		sig_chld = 0;
		session_reap(&s, NULL, NULL);
		snap_take(&s, &sn);
		if (snap_settled(&sn)) {
			end = session_live(&s, ROLE_PRODUCER) == 0 ? END_DRAINED
			    : END_STALLED;
			break;
		}
	}
	session_stop(&s);
	snap_take(&s, &sn);
	snap_tally(&s, &sn, &t);
	report_print(stdout, &s, &sn, &t, end, o->json);
	status = end == END_SIGNAL ? 128 + sig_quit :
	    (end == END_STALLED || headless_faulted(&s)) ? 1 : 0;
	session_end(&s);
	return status;
}
