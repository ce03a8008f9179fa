/* attach.c: watch a ring that shmviz did not make, read-only */
#include "attach.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <pwd.h>
#include <semaphore.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <unistd.h>

#include "jout.h"
#include "layout.h"
#include "opts.h"
#include "pace.h"
#include "ring.h"
#include "screen.h"
#include "seg.h"
#include "sig.h"
#include "snap.h"
#include "sync.h"
#include "worker.h"
#include "status.h"
#include "tui.h"

#define MAX_PROCS 16

/* A process attached to the segment, as far as /proc lets us see it. */
struct aproc {
	pid_t pid;
	char comm[32];
	char state;             /* R, S, D, T, Z */
	char wchan[48];         /* where it sleeps in the kernel */
};

struct sample {
	int64_t t;
	int head, tail, count, fill;
	int sem_free, sem_items;
	struct shm_row k;
	unsigned nprocs;                /* attached processes we may look at */
	struct aproc p[MAX_PROCS];
};

struct attach {
	int id;
	const unsigned char *base;      /* the segment, read-only */
	struct layout l;
	int slots;                      /* the buffer's length */
	int headless, json;
	double duration;
	unsigned fps;
	/* what has been proven, once each, in words */
	char warn[4][240];
	unsigned nwarn;
	int warned_mode, warned_reinit, warned_drift, warned_outlive;
	unsigned quiet_drift;           /* samples in a row: nothing moved, count
	                                   apart from fill */
	int have_prev;
	struct sample prev;
};

static void
usage_error(const char *fmt, const char *what)
{
	fputs("shmviz attach: ", stderr);
	fprintf(stderr, fmt, what);
	fputc('\n', stderr);
}

/* The segment's row in /proc/sysvipc/shm, which anyone may read: for
 * naming the owner and mode of one we may not attach. */
static int
proc_row(int id, struct shm_row *k)
{
	struct shm_row *rows;
	size_t n;
	int found = -1;

	if (shm_rows(&rows, &n) == -1)
		return -1;
	for (size_t i = 0; i < n && found < 0; i++)
		if (rows[i].id == id) {
			*k = rows[i];
			found = 0;
		}
	free(rows);
	return found;
}

static int
kseg_stat(int id, struct shm_row *k)
{
	struct shmid_ds ds;

	if (shmctl(id, IPC_STAT, &ds) == -1)
		return -1;
	k->id = id;
	k->key = (unsigned)ds.shm_perm.__key;
	k->mode = ds.shm_perm.mode & 0777;
	k->removed = (ds.shm_perm.mode & SHM_DEST) != 0;
	k->uid = ds.shm_perm.uid;
	k->size = (unsigned long long)ds.shm_segsz;
	k->nattch = ds.shm_nattch;
	k->cpid = ds.shm_cpid;
	k->lpid = ds.shm_lpid;
	return 0;
}

static const char *
user_name(uid_t uid, char *buf, size_t len)
{
	struct passwd *pw = getpwuid(uid);

	if (pw != NULL)
		snprintf(buf, len, "%s", pw->pw_name);
	else
		snprintf(buf, len, "uid %u", (unsigned)uid);
	return buf;
}

/* A key: decimal, 0x hex, or negative, as key_t may be. */
static int
parse_key(const char *s, long long lo, long long hi, long long *out)
{
	char *end;
	long long v;

	if (s == NULL || *s == '\0')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 0);
	if (errno != 0 || *end != '\0' || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* Which segment: an id, a key, or ftok's key of a path and a project id.
 * -1 (the reason said) when there is none. */
static int
find_segment(const char *idstr, const char *keystr, const char *path,
    const char *proj, int *id)
{
	long long v;
	uint64_t u;
	key_t key;

	if (idstr != NULL) {
		if (opts_whole(idstr, 0, INT_MAX, &u) == -1) {
			usage_error("'%s' is not a segment id (a number from ipcs -m "
			    "or shmviz ls)", idstr);
			return -1;
		}
		*id = (int)u;
		return 0;
	}
	if (keystr != NULL) {
		if (parse_key(keystr, INT_MIN, UINT32_MAX, &v) == -1 || v == 0) {
			usage_error("--key: '%s' is not a key (a number, 0x... for "
			    "hex; not 0, which no segment can be found by)", keystr);
			return -1;
		}
		key = (key_t)(uint32_t)v;
	} else {
		if (opts_whole(proj, 1, 255, &u) == -1) {
			usage_error("--ftok: '%s' is not a project id from 1 to 255",
			    proj);
			return -1;
		}
		if ((key = ftok(path, (int)u)) == -1) {
			fprintf(stderr, "shmviz attach: --ftok: %s: %s\n", path,
			    strerror(errno));
			return -1;
		}
	}
	/* no IPC_CREAT: find it, never make it */
	if ((*id = shmget(key, 0, 0)) == -1) {
		fprintf(stderr, "shmviz attach: no segment has key 0x%08x%s\n",
		    (unsigned)key, errno == ENOENT ? "" : strerror(errno));
		return -1;
	}
	return 0;
}

/* Attach read-only, after the checks that refuse with one line. */
static int
attach_segment(struct attach *a)
{
	struct shm_row k;
	void *p;

	if (kseg_stat(a->id, &k) == -1) {
		if ((errno == EACCES || errno == EPERM) && proc_row(a->id, &k) == 0) {
			char who[64];

			fprintf(stderr, "shmviz attach: segment %d is %s's, mode %04o: "
			    "you may not read it\n", a->id, user_name(k.uid, who,
			    sizeof(who)), k.mode);
			return -1;
		}
		fprintf(stderr, "shmviz attach: no segment has id %d\n", a->id);
		return -1;
	}
	if (k.size < a->l.size) {
		fprintf(stderr, "shmviz attach: segment %d is %llu bytes; struct %s "
		    "needs %zu\n", a->id, k.size, a->l.name, a->l.size);
		return -1;
	}
	/* SHM_RDONLY and nothing else: this viewer can never write the ring */
	if ((p = seg_attach(a->id, 1)) == NULL) {
		fprintf(stderr, "shmviz attach: segment %d: %s\n", a->id,
		    strerror(errno));
		return -1;
	}
	a->base = p;
	return 0;
}

/* A process's name, state letter and where it sleeps, from /proc. */
static void
proc_look(struct aproc *ap, pid_t pid)
{
	char path[64];
	size_t n;
	FILE *f;

	memset(ap, 0, sizeof(*ap));
	ap->pid = pid;
	ap->state = '?';
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((f = fopen(path, "r")) != NULL) {
		const char *open_p, *close_p;
		char buf[512];

		n = fread(buf, 1, sizeof(buf) - 1, f);
		buf[n] = '\0';
		fclose(f);
		open_p = strchr(buf, '(');
		close_p = strrchr(buf, ')');
		if (open_p != NULL && close_p != NULL && close_p > open_p) {
			snprintf(ap->comm, sizeof(ap->comm), "%.*s",
			    (int)(close_p - open_p - 1), open_p + 1);
			if (close_p[1] == ' ')
				ap->state = close_p[2];
		}
	}
	snprintf(path, sizeof(path), "/proc/%d/wchan", (int)pid);
	if ((f = fopen(path, "r")) != NULL) {
		n = fread(ap->wchan, 1, sizeof(ap->wchan) - 1, f);
		ap->wchan[n] = '\0';
		fclose(f);
	}
}

/* The processes attached to the segment that /proc lets us look at: their
 * maps name it (SYSV<key>, its inode is the shmid). */
static void
find_procs(struct sample *s, int id)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	pid_t self = getpid();

	s->nprocs = 0;
	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		char path[300], line[512];
		pid_t pid;
		FILE *f;
		int on = 0;

		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		pid = (pid_t)strtol(e->d_name, NULL, 10);
		if (pid == self)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		while (!on && fgets(line, sizeof(line), f) != NULL) {
			/* address perms offset dev inode path: the inode */
			const char *p = line;

			if (strstr(line, "/SYSV") == NULL)
				continue;
			for (int k = 0; k < 4 && p != NULL; k++)
				if ((p = strchr(p, ' ')) != NULL)
					p++;
			on = p != NULL && strtoul(p, NULL, 10) == (unsigned long)id;
		}
		fclose(f);
		if (!on || s->nprocs >= MAX_PROCS)
			continue;
		proc_look(&s->p[s->nprocs++], pid);
	}
	closedir(d);
}

/* What a process is doing, in words: "blocked (futex wait)". */
static const char *
proc_doing(const struct aproc *p, char *buf, size_t len)
{
	if (p->state == 'R')
		snprintf(buf, len, "running");
	else if ((p->state == 'S' || p->state == 'D') &&
	    strstr(p->wchan, "futex") != NULL)
		snprintf(buf, len, "blocked (futex wait)");
	else if (p->state == 'S' && (strstr(p->wchan, "nanosleep") != NULL ||
	    strstr(p->wchan, "hrtimer") != NULL))
		snprintf(buf, len, "asleep (sleeping on a timer)");
	else if (p->state == 'S' || p->state == 'D')
		snprintf(buf, len, "asleep%s%s%s", p->wchan[0] &&
		    strcmp(p->wchan, "0") != 0 ? " (" : "", p->wchan[0] &&
		    strcmp(p->wchan, "0") != 0 ? p->wchan : "", p->wchan[0] &&
		    strcmp(p->wchan, "0") != 0 ? ")" : "");
	else if (p->state == 'T' || p->state == 't')
		snprintf(buf, len, "stopped");
	else if (p->state == 'Z')
		snprintf(buf, len, "exited, not yet reaped");
	else
		snprintf(buf, len, "state %c", p->state);
	return buf;
}

/* One look: relaxed loads through the read-only mapping, then the kernel's
 * view.  -1 when the segment is gone. */
static int
sample_take(struct attach *a, struct sample *s)
{
	const struct layout *l = &a->l;

	memset(s, 0, sizeof(*s));
	s->t = pace_now();
	s->head = (int)layout_int(l, a->base, l->role[R_HEAD], 0);
	s->tail = (int)layout_int(l, a->base, l->role[R_TAIL], 0);
	s->count = (int)layout_int(l, a->base, l->role[R_COUNT], 0);
	s->sem_free = l->role[R_EMPTY] < 0 ? -1 : ring_sem_value((const sem_t *)
	    (const void *)(a->base + l->f[l->role[R_EMPTY]].off));
	s->sem_items = l->role[R_FULL] < 0 ? -1 : ring_sem_value((const sem_t *)
	    (const void *)(a->base + l->f[l->role[R_FULL]].off));
	/* gone: removed, or marked for removal with only this viewer left on
	 * it, which keeps it in being */
	if (kseg_stat(a->id, &s->k) == -1 || (s->k.removed && s->k.nattch <= 1))
		return -1;
	s->fill = ((s->head % a->slots) - (s->tail % a->slots) + a->slots) %
	    a->slots;
	/* equal indices: empty, or full if no slot is free */
	if (s->fill == 0 && s->head == s->tail && s->sem_free == 0 &&
	    s->sem_items > 0)
		s->fill = a->slots;
	find_procs(s, a->id);
	return 0;
}

static void
warn(struct attach *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
warn(struct attach *a, const char *fmt, ...)
{
	va_list ap;

	if (a->nwarn >= sizeof(a->warn) / sizeof(a->warn[0]))
		return;
	va_start(ap, fmt);
	vsnprintf(a->warn[a->nwarn++], sizeof(a->warn[0]), fmt, ap);
	va_end(ap);
}

/*
 * What can be proven from outside, and nothing more: each once.
 */
static void
judge_sample(struct attach *a, const struct sample *s)
{
	const struct sample *o = &a->prev;

	if (!a->warned_mode && (s->k.mode & 0022)) {
		a->warned_mode = 1;
		warn(a, "mode %04o lets %s write the ring: any of them can change "
		    "head, tail, count or the items", s->k.mode, s->k.mode & 0002 ?
		    "every user on this machine" : "the segment's group");
	}
	/* free slots come back only by a consumer's sem_post, each after it
	 * moved tail: more came back than tail moved (and the attached could
	 * have had half done) is no sem_post's doing */
	if (a->have_prev && !a->warned_reinit && s->sem_free >= 0 &&
	    o->sem_free >= 0 && s->sem_free > o->sem_free + ((s->tail -
	    o->tail) % a->slots + a->slots) % a->slots + (int)s->k.nattch) {
		a->warned_reinit = 1;
		warn(a, "the semaphores were initialised again while in use: "
		    "something called sem_init on a live semaphore (free slots "
		    "went from %d to %d with %d items in the ring)", o->sem_free,
		    s->sem_free, o->fill);
	}
	/* count apart from fill while nothing moves, five looks in a row */
	if (a->have_prev && s->head == o->head && s->tail == o->tail &&
	    s->count == o->count && s->count != s->fill)
		a->quiet_drift++;
	else
		a->quiet_drift = 0;
	if (!a->warned_drift && a->quiet_drift >= 5) {
		a->warned_drift = 1;
		warn(a, "count is %d but head and tail say %d items, and nothing "
		    "moved for %u looks: count has drifted from fill", s->count,
		    s->fill, a->quiet_drift);
	}
	if (!a->warned_outlive && !s->k.removed && s->k.nattch <= 1) {
		a->warned_outlive = 1;
		warn(a, "no program but this viewer is attached, and the segment "
		    "is not marked for removal: it will outlive its programs "
		    "(ipcrm -m %d removes it)", s->k.id);
	}
	a->prev = *s;
	a->have_prev = 1;
}

static void
print_json(const struct attach *a, const struct sample *s)
{
	json_t *o = json_object(), *w = json_array(), *p = json_array();
	char key[16], mode[8];
	char *text;

	snprintf(key, sizeof(key), "0x%08x", (unsigned)s->k.key);
	snprintf(mode, sizeof(mode), "%04o", s->k.mode);
	jout_set(o, "shmid", jout_int(s->k.id));
	jout_set(o, "key", jout_string(key));
	jout_set(o, "mode", jout_string(mode));
	jout_set(o, "nattch", jout_uint(s->k.nattch));
	jout_set(o, "cpid", jout_int(s->k.cpid));
	jout_set(o, "cpid_alive", json_boolean(shm_pid_alive(s->k.cpid)));
	jout_set(o, "lpid", jout_int(s->k.lpid));
	jout_set(o, "removed", json_boolean(s->k.removed));
	jout_set(o, "head", jout_int(s->head));
	jout_set(o, "tail", jout_int(s->tail));
	jout_set(o, "count", jout_int(s->count));
	jout_set(o, "fill", jout_int(s->fill));
	jout_set(o, "sem_empty", jout_int(s->sem_free));
	jout_set(o, "sem_full", jout_int(s->sem_items));
	for (unsigned i = 0; i < s->nprocs; i++) {
		json_t *q = json_object();
		char doing[80], st[2] = { s->p[i].state, 0 };

		jout_set(q, "pid", jout_int(s->p[i].pid));
		jout_set(q, "comm", jout_string(s->p[i].comm));
		jout_set(q, "state", jout_string(st));
		jout_set(q, "doing", jout_string(proc_doing(&s->p[i], doing,
		    sizeof(doing))));
		json_array_append_new(p, q);
	}
	jout_set(o, "processes", p);
	for (unsigned i = 0; i < a->nwarn; i++)
		json_array_append_new(w, jout_string(a->warn[i]));
	jout_set(o, "warnings", w);
	text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (text != NULL) {
		puts(text);
		free(text);
	}
	json_decref(o);
	fflush(stdout);
}

static void
print_line(const struct attach *a, const struct sample *s, int64_t t0)
{
	printf("%.1fs shmid %d key 0x%08x mode %04o nattch %lu: head %d tail %d "
	    "count %d fill %d, free slots %d items %d", (double)(s->t - t0) / 1e9,
	    s->k.id, (unsigned)s->k.key, s->k.mode, s->k.nattch, s->head,
	    s->tail, s->count, s->fill, s->sem_free, s->sem_items);
	for (unsigned i = 0; i < s->nprocs; i++) {
		char doing[80];

		printf("; pid %d (%s) is %s", (int)s->p[i].pid, s->p[i].comm,
		    proc_doing(&s->p[i], doing, sizeof(doing)));
	}
	for (unsigned i = 0; i < a->nwarn; i++)
		printf("; %s", a->warn[i]);
	putchar('\n');
	fflush(stdout);
}

static int
run_headless(struct attach *a)
{
	int64_t t0 = pace_now(), period = PACE_NS_PER_S / a->fps, next = t0;
	int64_t end = a->duration > 0 ? t0 + (int64_t)(a->duration * 1e9) : 0;
	struct sample s;

	while (!sig_quit) {
		if (sample_take(a, &s) == -1) {
			fprintf(stderr, "shmviz attach: segment %d is gone\n", a->id);
			return 0;
		}
		judge_sample(a, &s);
		if (a->json)
			print_json(a, &s);
		else
			print_line(a, &s, t0);
		if (end && pace_now() >= end)
			break;
		next = pace_next(next, period, pace_now());
		sig_wait(-1, next - pace_now());
	}
	return sig_quit ? 128 + sig_quit : 0;
}

/* The ring in one row: a cell for every few slots, filled from tail to
 * head, with H and T under it. */
static void
draw_ring(int y, int cols, int slots, const struct sample *s)
{
	int w = cols - 2, per = (slots + w - 1) / w, cells = (slots + per - 1) / per;
	const struct glyphs *g = screen_glyphs();

	for (int c = 0; c < cells; c++) {
		int full = 0;

		for (int k = c * per; k < (c + 1) * per && k < slots; k++) {
			int off = (k - s->tail % slots + slots) % slots;

			full |= off < s->fill;
		}
		screen_glyph(y, 1 + c, full ? P_FULL : P_FREE, full ? g->full : g->free);
	}
	screen_text(y + 1, 1 + (s->tail % slots) / per, 1, 0, P_TAIL, "T");
	screen_text(y + 1, 1 + (s->head % slots) / per, 1, 0, P_HEAD, "H");
	(void)cells;
}

static void
draw(const struct attach *a, const struct sample *s)
{
	int cols = COLS, rows = LINES, y;
	char who[64];
	struct flow f;

	erase();
	if (rows < SCREEN_MIN_ROWS || cols < SCREEN_MIN_COLS) {
		screen_text(0, 0, cols, 1, P_WARN, "shmviz attach needs 80x24");
		refresh();
		return;
	}
	screen_text(0, 0, cols, 1, P_TITLE, " attach  shmid %d  key 0x%08x  "
	    "perms %04o  nattch %lu%s", s->k.id, (unsigned)s->k.key, s->k.mode,
	    s->k.nattch, s->k.removed ? "  dest" : "");
	screen_text(0, cols - 10, 10, 1, P_TITLE, " READ-ONLY");
	draw_ring(2, cols, a->slots, s);
	flow_init(&f, 5, 1, cols - 2, 3, 1);
	flow_put(&f, 0, P_HEAD, "H");
	flow_put(&f, 0, P_NORMAL, " head %d", s->head);
	flow_put(&f, 2, P_TAIL, "T");
	flow_put(&f, 0, P_NORMAL, " tail %d", s->tail);
	flow_put(&f, 2, s->count == s->fill ? P_NORMAL : P_WARN, "count %d",
	    s->count);
	flow_put(&f, 2, P_NORMAL, "fill %d", s->fill);
	flow_put(&f, 2, P_NORMAL, "sem free slots %d", s->sem_free);
	flow_put(&f, 2, P_NORMAL, "items %d", s->sem_items);
	flow_put(&f, 2, P_FREE, "(struct %s: %d slots, %d a cell)", a->l.name,
	    a->slots, (a->slots + cols - 3) / (cols - 2));
	y = 5 + flow_rows(&f) + 1;
	screen_text(y++, 1, cols - 2, 0, P_NORMAL, "owner %s, %zu bytes, made by "
	    "pid %d (%s), last attached or detached by pid %d", user_name(s->k.uid,
	    who, sizeof(who)), (size_t)s->k.size, (int)s->k.cpid, shm_pid_alive(s->k.cpid) ?
	    "alive" : "gone", (int)s->k.lpid);
	y++;
	for (unsigned i = 0; i < s->nprocs && y < rows - 8; i++) {
		char doing[80];

		screen_text(y++, 1, cols - 2, 0, s->p[i].state == 'R' ? P_OK :
		    P_WARN, "pid %d (%s) is %s", (int)s->p[i].pid, s->p[i].comm,
		    proc_doing(&s->p[i], doing, sizeof(doing)));
	}
	if (s->nprocs == 0)
		screen_text(y++, 1, cols - 2, 0, P_FREE, "no other process attached "
		    "that this user may look at");
	y++;
	for (unsigned i = 0; i < a->nwarn && y < rows - 2; i++) {
		flow_init(&f, y, 1, cols - 2, rows - 2 - y, 1);
		flow_words(&f, 0, P_WARN, a->warn[i]);
		y += flow_rows(&f);
	}
	screen_text(rows - 1, 0, cols, 1, P_TITLE, " q quit   read-only: this "
	    "view never writes, signals or removes anything");
	refresh();
}

static int
run_screen(struct attach *a)
{
	int64_t period = PACE_NS_PER_S / a->fps, next = pace_now();
	char err[256];
	struct sample s;
	int quit = 0, gone = 0;

	if (screen_init(err, sizeof(err)) == -1) {
		fprintf(stderr, "shmviz attach: %s\n", err);
		return 1;
	}
	sig_crash_init(screen_restore_raw);
	while (!quit && !sig_quit) {
		int ready;

		if (screen_follow_signals())
			next = 0;
		if (pace_now() >= next) {
			if (sample_take(a, &s) == -1) {
				gone = 1;
				break;
			}
			judge_sample(a, &s);
			draw(a, &s);
			next = pace_next(next, period, pace_now());
		}
		ready = sig_wait(STDIN_FILENO, next - pace_now());
		if (ready < 0)
			break;
		if (ready) {
			int key;

			while ((key = getch()) != ERR)
				if (key == 'q' || key == 'Q' || key == 27)
					quit = 1;
		}
	}
	screen_done();
	if (gone)
		fprintf(stderr, "shmviz attach: segment %d is gone\n", a->id);
	return sig_quit ? 128 + sig_quit : 0;
}

/* A running shmviz session, headless: one line (JSON with --json) a look,
 * from the view its supervisor publishes. */
static int
view_headless(struct attach *a, struct status_view *v)
{
	struct status_page *p = malloc(v->len);
	int64_t t0 = pace_now(), period = PACE_NS_PER_S / a->fps, next = t0;
	int64_t end = a->duration > 0 ? t0 + (int64_t)(a->duration * 1e9) : 0;

	if (p == NULL)
		return 1;
	while (!sig_quit) {
		if (kill((pid_t)v->supervisor, 0) == -1 && errno == ESRCH) {
			fprintf(stderr, "shmviz attach: the session ended\n");
			break;
		}
		status_follow(v);
		if (status_read(v->page, p, v->len) == 0) {
			json_t *o = json_object(), *ws = json_array(), *lg = json_array();
			const struct snap *sn = &p->snap;

			for (unsigned i = 0; i < sn->nworkers; i++) {
				const struct snap_worker *w = &sn->w[i];
				const struct step *t;
				json_t *q = json_object();
				unsigned n;
				char name[8];

				t = steps_table(sn->sync, w->role, &n);
				jout_set(q, "name", jout_string(ctl_name(w->role, w->index,
				    name, sizeof(name))));
				jout_set(q, "pid", jout_int(w->pid));
				jout_set(q, "alive", json_boolean(w->alive));
				jout_set(q, "line", jout_string(t[w->step % n].code));
				jout_set(q, "done", jout_uint(w->done));
				/* asleep in sem_wait, no post waking it (n) */
				jout_set(q, "forgotten", json_boolean((p->forgotten >>
				    i) & 1));
				json_array_append_new(ws, q);
			}
			for (unsigned k = 0; k < 5; k++) {
				const struct evlog_entry *e = evlog_get(&p->log, 4 - k);

				if (e != NULL)
					json_array_append_new(lg, jout_string(e->text));
			}
			jout_set(o, "shmid", jout_int(p->ring_shmid));
			jout_set(o, "session", json_true());
			jout_set(o, "supervisor", jout_int(p->supervisor));
			jout_set(o, "sync", jout_string(sync_name(p->sync)));
			jout_set(o, "state", jout_string(p->state));
			jout_set(o, "head", jout_int((int)sn->head));
			jout_set(o, "tail", jout_int((int)sn->tail));
			jout_set(o, "count", jout_int(sn->count));
			jout_set(o, "fill", jout_int((int)sn->fill));
			jout_set(o, "produced", jout_uint(sn->produced));
			jout_set(o, "consumed", jout_uint(sn->consumed));
			jout_set(o, "workers", ws);
			jout_set(o, "log", lg);
			if (a->json) {
				char *text = json_dumps(o, JSON_COMPACT |
				    JSON_PRESERVE_ORDER);

				if (text != NULL)
					puts(text);
				free(text);
			} else
				printf("%.1fs shmid %d, pid %d's %s session, %s: produced "
				    "%llu consumed %llu count %d\n", (double)(pace_now() -
				    t0) / 1e9, p->ring_shmid, (int)p->supervisor,
				    sync_name(p->sync), p->state,
				    (unsigned long long)sn->produced,
				    (unsigned long long)sn->consumed, sn->count);
			fflush(stdout);
			json_decref(o);
		}
		if (end && pace_now() >= end)
			break;
		next = pace_next(next, period, pace_now());
		sig_wait(-1, next - pace_now());
	}
	free(p);
	return sig_quit ? 128 + sig_quit : 0;
}

int
attach_main(int argc, char *argv[])
{
	struct attach *a = calloc(1, sizeof(*a));
	const char *idstr = NULL, *keystr = NULL, *path = NULL, *proj = NULL;
	const char *binary = NULL, *sname = NULL, *maps[R_ROLES * 2];
	int ways = 0, status = 2, layout = 0;
	unsigned nmaps = 0;
	char err[320];
	uint64_t u;

	if (a == NULL) {
		fprintf(stderr, "shmviz attach: out of memory\n");
		return 1;
	}
	a->fps = 10;
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (strcmp(arg, "--key") == 0 && i + 1 < argc) {
			keystr = argv[++i];
			ways++;
		} else if (strcmp(arg, "--ftok") == 0 && i + 2 < argc) {
			path = argv[++i];
			proj = argv[++i];
			ways++;
		} else if (strcmp(arg, "--layout") == 0 && i + 1 < argc) {
			if (strcmp(argv[++i], "seed") != 0) {
				usage_error("--layout: '%s' is not a layout; give seed (the "
				    "tutorial's)", argv[i]);
				goto out;
			}
			layout = 1;
		} else if (strcmp(arg, "--binary") == 0 && i + 1 < argc)
			binary = argv[++i];
		else if (strcmp(arg, "--struct") == 0 && i + 1 < argc)
			sname = argv[++i];
		else if (strcmp(arg, "--map") == 0 && i + 1 < argc) {
			if (nmaps == sizeof(maps) / sizeof(maps[0])) {
				usage_error("%s", "--map: too many");
				goto out;
			}
			maps[nmaps++] = argv[++i];
		} else if (strcmp(arg, "--headless") == 0)
			a->headless = 1;
		else if (strcmp(arg, "--json") == 0)
			a->json = 1;
		else if (strcmp(arg, "--duration") == 0 && i + 1 < argc) {
			if (opts_decimal(argv[++i], 0.1, 86400, &a->duration) == -1) {
				usage_error("--duration: '%s' is not a number of seconds "
				    "from 0.1 to 86400", argv[i]);
				goto out;
			}
		} else if (strcmp(arg, "--fps") == 0 && i + 1 < argc) {
			if (opts_whole(argv[++i], 1, 60, &u) == -1) {
				usage_error("--fps: '%s' is not a whole number from 1 to 60",
				    argv[i]);
				goto out;
			}
			a->fps = (unsigned)u;
		} else if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
			fputs("usage: shmviz attach (SHMID | --key KEY | --ftok PATH "
			    "PROJ_ID)\n"
			    "         [--layout seed | --binary PROGRAM --struct NAME] "
			    "[--map ROLE=FIELD ...]\n"
			    "         [--headless [--duration S] [--json]] [--fps N]\n\n"
			    "Watch a System V ring read-only: the tutorial's layout (two "
			    "sem_t, int\nbuffer[1024], int head, tail, count), its "
			    "indices, count and semaphores,\nthe processes attached and "
			    "what they are doing, and what can be proven\nfrom outside. "
			    "It never writes to the segment, signals or removes.\n",
			    stdout);
			status = 0;
			goto out;
		} else if (arg[0] != '-' && idstr == NULL) {
			idstr = arg;
			ways++;
		} else {
			usage_error("'%s' is not an option here (see shmviz attach "
			    "--help)", arg);
			goto out;
		}
	}
	if (ways != 1) {
		usage_error("%s", ways == 0 ? "give a segment: SHMID, --key KEY or "
		    "--ftok PATH PROJ_ID" : "give one segment: SHMID, --key KEY or "
		    "--ftok PATH PROJ_ID, not more");
		goto out;
	}
	if ((a->duration > 0 || a->json) && !a->headless) {
		usage_error("%s", "--duration and --json are for --headless");
		goto out;
	}
	if (find_segment(idstr, keystr, path, proj, &a->id) == -1)
		goto out;
	/* a running shmviz session of this user: its own view, published */
	{
		struct status_view v;

		if (status_open_view(&v, a->id) == 0) {
			if (!a->headless && (!isatty(STDIN_FILENO) ||
			    !isatty(STDOUT_FILENO))) {
				fprintf(stderr, "shmviz attach: no terminal; use --headless "
				    "to run without a screen\n");
			} else {
				setlocale(LC_CTYPE, "");
				sig_init(!a->headless);
				status = a->headless ? view_headless(a, &v) :
				    tui_view_run(&v);
			}
			status_close_view(&v);
			goto out;
		}
	}
	if ((binary != NULL) != (sname != NULL) || (binary != NULL && layout)) {
		usage_error("%s", "give --layout seed, or --binary PROGRAM with "
		    "--struct NAME");
		goto out;
	}
	if (binary == NULL)
		layout_seed(&a->l);
	else if (layout_from_binary(&a->l, binary, sname, err,
	    sizeof(err)) == -1) {
		usage_error("%s", err);
		goto out;
	}
	for (unsigned k = 0; k < nmaps; k++)
		if (layout_map(&a->l, maps[k], err, sizeof(err)) == -1) {
			usage_error("%s", err);
			goto out;
		}
	for (int r = R_HEAD; r <= R_BUFFER; r++)
		if (a->l.role[r] < 0) {
			char names[200] = "";
			size_t off = 0;

			for (unsigned k = 0; k < a->l.n && off < sizeof(names); k++)
				off += (size_t)snprintf(names + off, sizeof(names) - off,
				    "%s%s", k ? ", " : "", a->l.f[k].name);
			snprintf(err, sizeof(err), "struct %s has no field shmviz takes "
			    "for the %s (it has %s): give --map %s=FIELD", a->l.name,
			    layout_role_name((enum role_of)r), names,
			    layout_role_name((enum role_of)r));
			usage_error("%s", err);
			goto out;
		}
	a->slots = (int)a->l.f[a->l.role[R_BUFFER]].count;
	if (a->slots <= 0) {
		usage_error("struct %s's buffer has no elements", a->l.name);
		goto out;
	}
	if (attach_segment(a) == -1)
		goto out;
	if (!a->headless) {
		setlocale(LC_CTYPE, "");
		if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
			fprintf(stderr, "shmviz attach: no terminal; use --headless to "
			    "run without a screen\n");
			goto detach;
		}
	}
	sig_init(!a->headless);
	status = a->headless ? run_headless(a) : run_screen(a);
detach:
	seg_detach(a->base);
out:
	free(a);
	return status;
}
