/* attach.h: watch a ring shmviz did not make, read-only; list segments */
#ifndef SHMVIZ_ATTACH_H
#define SHMVIZ_ATTACH_H

#include <stddef.h>

/* shmviz attach (SHMID | --key KEY | --ftok PATH PROJ_ID) ...: argv[0] is
 * "attach"; returns the exit status. */
int attach_main(int argc, char *argv[]);

/* A row of /proc/sysvipc/shm, which anyone may read. */
struct shm_row {
	long long key;
	unsigned long long size;
	unsigned long nattch;
	int id;
	unsigned mode;          /* permission bits */
	int removed;            /* marked for removal */
	int cpid, lpid;
	unsigned uid;
};

/* Parse one; -1 if it is not a row (the header). */
int shm_row_parse(const char *line, struct shm_row *r);

/* Every row, in *rows (to be freed) and *n; -1 with errno on error. */
int shm_rows(struct shm_row **rows, size_t *n);

/* Whether a process of that pid exists (a zombie counts). */
int shm_pid_alive(int pid);

/* shmviz ls [--json]: argv[0] is "ls". */
int ls_main(int argc, char *argv[]);

#endif
