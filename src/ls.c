/* ls.c: shmviz ls, the System V segments as ipcs -m shows them, read */
#include "attach.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/shm.h>
#include <unistd.h>

#include "jout.h"

#define lsrow shm_row

/* key shmid perms size cpid lpid nattch uid ...: perms in octal */
int
shm_row_parse(const char *line, struct shm_row *r)
{
	long long v[8];
	const char *p = line;

	for (int k = 0; k < 8; k++) {
		char *end;

		errno = 0;
		v[k] = strtoll(p, &end, k == 2 ? 8 : 10);
		if (end == p || errno != 0)
			return -1;
		p = end;
	}
	r->key = v[0];
	r->id = (int)v[1];
	r->mode = (unsigned)v[2] & 0777;
	r->removed = (v[2] & SHM_DEST) != 0;
	r->size = (unsigned long long)v[3];
	r->cpid = (int)v[4];
	r->lpid = (int)v[5];
	r->nattch = (unsigned long)v[6];
	r->uid = (unsigned)v[7];
	return 0;
}

int
shm_pid_alive(int pid)
{
	char path[32];

	snprintf(path, sizeof(path), "/proc/%d", pid);
	return pid > 0 && access(path, F_OK) == 0;
}

int
shm_rows(struct shm_row **rows, size_t *n)
{
	FILE *f = fopen("/proc/sysvipc/shm", "r");
	char line[512];
	size_t cap = 0;

	*rows = NULL;
	*n = 0;
	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		struct shm_row r;

		if (shm_row_parse(line, &r) == -1)
			continue;       /* the header */
		if (*n == cap) {
			size_t c = cap ? cap * 2 : 32;
			struct shm_row *g = realloc(*rows, c * sizeof(*g));

			if (g == NULL) {
				fclose(f);
				free(*rows);
				*rows = NULL;
				errno = ENOMEM;
				return -1;
			}
			*rows = g;
			cap = c;
		}
		(*rows)[(*n)++] = r;
	}
	fclose(f);
	return 0;
}

/* What shmviz makes of a segment: leaked, when nothing is attached and no
 * removal is pending (nobody will ever free it but ipcrm). */
static const char *
reading(const struct lsrow *r)
{
	if (r->removed)
		return "removal pending";
	if (r->nattch == 0)
		return "leaked";
	return "in use";
}

int
ls_main(int argc, char *argv[])
{
	struct lsrow *rows = NULL;
	size_t n = 0;
	int json = 0, mine_leaked = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = 1;
		else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			fputs("usage: shmviz ls [--json]\n\nThe System V shared memory "
			    "segments this user can see, as ipcs -m lists\nthem, with "
			    "whether their creator is alive and whether each is in use,\n"
			    "marked for removal, or leaked (nothing attached, no removal "
			    "pending).\nIt removes nothing.\n", stdout);
			return 0;
		} else {
			fprintf(stderr, "shmviz ls: '%s' is not an option here; give "
			    "--json or nothing\n", argv[i]);
			return 2;
		}
	}
	if (shm_rows(&rows, &n) == -1) {
		fprintf(stderr, "shmviz ls: /proc/sysvipc/shm: %s\n", strerror(errno));
		return 1;
	}
	if (json) {
		json_t *a = json_array();
		char *text;

		for (size_t i = 0; i < n; i++) {
			json_t *o = json_object();
			char key[16], mode[8];
			struct passwd *pw = getpwuid(rows[i].uid);

			snprintf(key, sizeof(key), "0x%08x", (unsigned)rows[i].key);
			snprintf(mode, sizeof(mode), "%04o", rows[i].mode);
			jout_set(o, "shmid", jout_int(rows[i].id));
			jout_set(o, "key", jout_string(key));
			jout_set(o, "owner", jout_string(pw ? pw->pw_name : ""));
			jout_set(o, "uid", jout_uint(rows[i].uid));
			jout_set(o, "mode", jout_string(mode));
			jout_set(o, "bytes", jout_uint(rows[i].size));
			jout_set(o, "nattch", jout_uint(rows[i].nattch));
			jout_set(o, "cpid", jout_int(rows[i].cpid));
			jout_set(o, "creator_alive", json_boolean(shm_pid_alive(rows[i].cpid)));
			jout_set(o, "removed", json_boolean(rows[i].removed));
			jout_set(o, "leaked", json_boolean(!rows[i].removed &&
			    rows[i].nattch == 0));
			json_array_append_new(a, o);
		}
		text = json_dumps(a, JSON_COMPACT | JSON_PRESERVE_ORDER);
		if (text != NULL)
			puts(text);
		free(text);
		json_decref(a);
		free(rows);
		return 0;
	}
	printf("%10s  %-10s  %-10s %5s %9s %6s  %-17s %s\n", "shmid", "key",
	    "owner", "mode", "bytes", "nattch", "creator", "shmviz says");
	for (size_t i = 0; i < n; i++) {
		struct passwd *pw = getpwuid(rows[i].uid);
		char owner[16], creator[32];

		snprintf(owner, sizeof(owner), "%s", pw ? pw->pw_name : "?");
		snprintf(creator, sizeof(creator), "%d %s", rows[i].cpid,
		    shm_pid_alive(rows[i].cpid) ? "alive" : "gone");
		printf("%10d  0x%08x  %-10s %5.4o %9llu %6lu  %-17s %s\n",
		    rows[i].id, (unsigned)rows[i].key, owner, rows[i].mode,
		    rows[i].size, rows[i].nattch, creator, reading(&rows[i]));
	}
	if (n == 0)
		printf("(no segments)\n");
	for (size_t i = 0; i < n; i++)
		if (!rows[i].removed && rows[i].nattch == 0 &&
		    rows[i].uid == (unsigned)geteuid()) {
			if (!mine_leaked++)
				printf("\nyour leaked segments; remove them with:\n");
			printf("  ipcrm -m %d\n", rows[i].id);
		}
	free(rows);
	return 0;
}
