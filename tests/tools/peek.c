/* peek.c: what another user can do to a shmviz session, for the tests.
 *
 *   peek shm SHMID    try to attach the segment, read-only and read-write
 *   peek proc PID     try to read the process's memory and to signal it
 *
 * Prints one word per attempt, "denied" or "ALLOWED", and exits 0 if every
 * attempt was denied, 1 otherwise. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/shm.h>
#include <unistd.h>

static int allowed;

static void
report(const char *what, int ok)
{
	printf("%s %s (%s)\n", what, ok ? "ALLOWED" : "denied",
	    ok ? "-" : strerror(errno));
	allowed |= ok;
}

static void
peek_shm(int id)
{
	struct shmid_ds ds;
	void *p;

	p = shmat(id, NULL, SHM_RDONLY);
	report("shmat-read", p != (void *)-1);
	if (p != (void *)-1)
		shmdt(p);
	p = shmat(id, NULL, 0);
	report("shmat-write", p != (void *)-1);
	if (p != (void *)-1)
		shmdt(p);
	report("shmctl-stat", shmctl(id, IPC_STAT, &ds) == 0);
	report("shmctl-rmid", shmctl(id, IPC_RMID, NULL) == 0);
}

static void
peek_proc(pid_t pid)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
	fd = open(path, O_RDWR);
	report("mem", fd >= 0);
	if (fd >= 0)
		close(fd);
	report("signal", kill(pid, SIGUSR1) == 0);
}

int
main(int argc, char *argv[])
{
	if (argc != 3)
		return 2;
	if (strcmp(argv[1], "shm") == 0)
		peek_shm(atoi(argv[2]));
	else if (strcmp(argv[1], "proc") == 0)
		peek_proc((pid_t)atoi(argv[2]));
	else
		return 2;
	return allowed ? 1 : 0;
}
