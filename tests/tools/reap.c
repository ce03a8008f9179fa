/* reap.c: run a command and check that it left nothing behind, for tests.
 *
 *   reap CMD [ARGS...]
 *
 * Runs CMD as a child of a child subreaper, so that anything CMD forks and
 * abandons comes back here instead of to init.  Exits with CMD's status;
 * or, if CMD left a process or a System V segment behind, removes them (by
 * pid and id) and exits 99, saying what on stderr. */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

/* Segments whose creator is pid: removed, and counted. */
static int
segments_left(pid_t pid)
{
	char line[512];
	FILE *f = fopen("/proc/sysvipc/shm", "r");
	int n = 0;

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		long key, id, perms, size, cpid;

		if (sscanf(line, "%ld %ld %ld %ld %ld", &key, &id, &perms, &size,
		    &cpid) == 5 && cpid == pid) {
			fprintf(stderr, "reap: segment %ld left behind\n", id);
			shmctl((int)id, IPC_RMID, NULL);
			n++;
		}
	}
	fclose(f);
	return n;
}

/* Processes handed to us when their parent died: killed, reaped, counted. */
static int
orphans_left(void)
{
	int n = 0, status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) != -1) {
		if (pid > 0)
			continue;       /* one that had exited: reaped */
		/* some are still running: find and end them */
		char path[64], buf[4096];
		FILE *f;

		snprintf(path, sizeof(path), "/proc/%d/task/%d/children",
		    (int)getpid(), (int)getpid());
		if ((f = fopen(path, "r")) == NULL)
			break;
		if (fgets(buf, sizeof(buf), f) != NULL)
			for (char *t = strtok(buf, " \n"); t; t = strtok(NULL, " \n")) {
				fprintf(stderr, "reap: process %s left behind\n", t);
				kill((pid_t)atoi(t), SIGKILL);
				n++;
			}
		fclose(f);
		while (waitpid(-1, &status, 0) > 0)
			;
	}
	return n;
}

int
main(int argc, char *argv[])
{
	int status, left;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: reap CMD [ARGS...]\n");
		return 2;
	}
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) == -1) {
		perror("reap: prctl");
		return 2;
	}
	if ((pid = fork()) == 0) {
		execvp(argv[1], argv + 1);
		perror("reap: exec");
		_exit(127);
	}
	if (pid == -1 || waitpid(pid, &status, 0) != pid)
		return 2;
	left = orphans_left() + segments_left(pid);
	if (left)
		return 99;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
