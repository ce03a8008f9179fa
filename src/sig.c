/* sig.c: signals as flags, delivered only where the main loop waits */
#include "sig.h"

#include <string.h>
#include <unistd.h>
#include <poll.h>

#include "pace.h"

volatile sig_atomic_t sig_quit, sig_chld, sig_winch, sig_tstp, sig_cont;

static sigset_t sig_waitmask;   /* the mask while waiting: ours unblocked */
static sigset_t sig_blocked;    /* the mask elsewhere: ours blocked */

static void
sig_on(int sig)
{
	switch (sig) {
	case SIGCHLD:
		sig_chld = 1;
		break;
	case SIGWINCH:
		sig_winch = 1;
		break;
	case SIGTSTP:
		sig_tstp = 1;
		break;
	case SIGCONT:
		sig_cont = 1;
		break;
	default:
		sig_quit = sig;
		break;
	}
}

void
sig_init(int tty)
{
	static const int quiet[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD };
	static const int ttysigs[] = { SIGWINCH, SIGTSTP, SIGCONT };
	struct sigaction sa;
	sigset_t ours;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sa.sa_handler = sig_on;
	sigemptyset(&sa.sa_mask);
	sigemptyset(&ours);
	for (unsigned i = 0; i < sizeof(quiet) / sizeof(quiet[0]); i++) {
		sigaction(quiet[i], &sa, NULL);
		sigaddset(&ours, quiet[i]);
	}
	for (unsigned i = 0; tty && i < sizeof(ttysigs) / sizeof(ttysigs[0]); i++) {
		sigaction(ttysigs[i], &sa, NULL);
		sigaddset(&ours, ttysigs[i]);
	}
	sigprocmask(SIG_BLOCK, &ours, &sig_waitmask);
	for (int s = 1; s < NSIG; s++)
		if (sigismember(&ours, s))
			sigdelset(&sig_waitmask, s);
}

int
sig_wait(int fd, int64_t timeout_ns)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct timespec ts;
	int n;

	if (timeout_ns < 0)
		timeout_ns = 0;
	ts.tv_sec = timeout_ns / PACE_NS_PER_S;
	ts.tv_nsec = timeout_ns % PACE_NS_PER_S;
	n = ppoll(&pfd, fd >= 0 ? 1 : 0, &ts, &sig_waitmask);
	if (n <= 0)
		return 0;
	/* ppoll that returns ready restores the mask without delivering
	 * what is pending: open it for a moment, or a terminal that is
	 * always readable (a held key, a hangup) would starve the signals. */
	sigprocmask(SIG_SETMASK, &sig_waitmask, &sig_blocked);
	sigprocmask(SIG_SETMASK, &sig_blocked, NULL);
	if (pfd.revents & (POLLHUP | POLLERR | POLLNVAL))
		return -1;
	return 1;
}

void
sig_suspend_self(void)
{
	struct sigaction sa, old;
	sigset_t tstp;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigaction(SIGTSTP, &sa, &old);
	sigemptyset(&tstp);
	sigaddset(&tstp, SIGTSTP);
	raise(SIGTSTP);         /* pending: the default action needs it unblocked */
	/* raise() returns here: SIGTSTP is blocked, so it is only pending. */
	// cppcheck-suppress unreachableCode
	sigprocmask(SIG_UNBLOCK, &tstp, NULL);
	/* Stopped here until SIGCONT. */
	sigprocmask(SIG_BLOCK, &tstp, NULL);
	sigaction(SIGTSTP, &old, NULL);
}

void
sig_reraise(int sig)
{
	struct sigaction sa;
	sigset_t one;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigaction(sig, &sa, NULL);
	sigemptyset(&one);
	sigaddset(&one, sig);
	/* Not a core dump for ^\: the terminal is already restored. */
	if (sig == SIGQUIT)
		_exit(128 + sig);
	raise(sig);
	/* raise() returns here: the signal is blocked, so it is only pending
	 * until this unblocks it, and then ends the process. */
	// cppcheck-suppress unreachableCode
	sigprocmask(SIG_UNBLOCK, &one, NULL);
	_exit(128 + sig);
}
