/* schedule.c: a deterministic interleaving, as text: "P1:3 C1:6 P1:5" */
#include "schedule.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "opts.h"

#define SEPARATORS " \t\r\n,"

/* One entry, like "P1:3" or "C2", of len bytes at w. */
static int
entry_parse(const char *w, size_t len, unsigned nprod, unsigned ncons,
    struct schedule_entry *e, char *err, size_t errlen)
{
	char buf[48], num[24];
	size_t digits;
	uint64_t v;
	char *colon;

	if (len >= sizeof(buf)) {
		snprintf(err, errlen, "an entry of %zu characters is not a step; "
		    "give P1:3 or C2", len);
		return -1;
	}
	/* Quoted in messages: anything unprintable becomes '?'. */
	for (size_t i = 0; i < len; i++)
		buf[i] = (unsigned char)w[i] < 0x20 || w[i] == 0x7f ? '?' : w[i];
	buf[len] = '\0';
	if (buf[0] != 'P' && buf[0] != 'C') {
		snprintf(err, errlen, "'%s': a process is P1..P%u or C1..C%u",
		    buf, nprod, ncons);
		return -1;
	}
	e->role = buf[0] == 'P' ? ROLE_PRODUCER : ROLE_CONSUMER;
	colon = strchr(buf, ':');
	digits = (colon ? (size_t)(colon - buf) : len) - 1;
	snprintf(num, sizeof(num), "%.*s", (int)digits, buf + 1);
	if (opts_whole(num, 1, 99, &v) == -1) {
		snprintf(err, errlen, "'%s': a process is P1..P%u or C1..C%u",
		    buf, nprod, ncons);
		return -1;
	}
	if (v > (e->role == ROLE_PRODUCER ? nprod : ncons)) {
		snprintf(err, errlen, "'%s': there is no %c%llu with %u %s",
		    buf, buf[0], (unsigned long long)v,
		    e->role == ROLE_PRODUCER ? nprod : ncons,
		    e->role == ROLE_PRODUCER ? "producer(s) (-P)" :
		    "consumer(s) (-C)");
		return -1;
	}
	e->index = (unsigned)v - 1;
	e->steps = 1;
	if (colon != NULL) {
		if (opts_whole(colon + 1, 1, SCHEDULE_MAX_STEPS, &v) == -1) {
			snprintf(err, errlen, "'%s': the steps after ':' are a "
			    "whole number from 1 to %u", buf, SCHEDULE_MAX_STEPS);
			return -1;
		}
		e->steps = (uint32_t)v;
	}
	return 0;
}

/* Room for one more entry. */
static int
schedule_grow(struct schedule *s)
{
	struct schedule_entry *e;
	unsigned cap;

	if (s->n < s->cap && s->e != NULL)
		return 0;
	if (s->cap >= SCHEDULE_MAX)
		return -1;
	cap = s->cap ? 2 * s->cap : 16;
	if ((e = realloc(s->e, cap * sizeof(*e))) == NULL)
		return -1;
	s->e = e;
	s->cap = cap;
	return 0;
}

/* The next word, past separators and comments; its length in *len. */
static const char *
next_word(const char *p, size_t *len)
{
	for (;;) {
		p += strspn(p, SEPARATORS);
		if (*p != '#')
			break;
		p += strcspn(p, "\n");
	}
	*len = strcspn(p, SEPARATORS "#");
	return p;
}

int
schedule_parse(const char *text, unsigned nprod, unsigned ncons,
    struct schedule *s, char *err, size_t errlen)
{
	struct schedule_entry e;
	unsigned n = 0;
	size_t len;

	if (s != NULL)
		s->n = 0;
	for (const char *p = next_word(text, &len); *p;
	    p = next_word(p + len, &len)) {
		if (entry_parse(p, len, nprod, ncons, &e, err, errlen) == -1)
			goto fail;
		if (n == SCHEDULE_MAX) {
			snprintf(err, errlen, "has more than %u entries",
			    SCHEDULE_MAX);
			goto fail;
		}
		if (s != NULL) {
			if (schedule_grow(s) == -1) {
				snprintf(err, errlen, "is too big to hold in memory");
				goto fail;
			}
			s->e[s->n++] = e;
		}
		n++;
	}
	if (n == 0) {
		snprintf(err, errlen, "is empty; give steps like 'P1:3 C1:6'");
		goto fail;
	}
	return 0;
fail:
	if (s != NULL)
		s->n = 0;
	return -1;
}

char *
schedule_slurp(const char *path, char *err, size_t errlen)
{
	struct stat st;
	char q[80], *text;
	FILE *f;
	size_t got;
	int fd;

	opts_quote(path, strlen(path), q, sizeof(q));
	/* not blocking: a FIFO is refused, not waited on */
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1) {
		snprintf(err, errlen, "'%s': %s", q, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "'%s' is not a file", q);
		close(fd);
		return NULL;
	}
	if ((f = fdopen(fd, "r")) == NULL) {
		snprintf(err, errlen, "'%s': %s", q, strerror(errno));
		close(fd);
		return NULL;
	}
	if ((uint64_t)st.st_size > SCHEDULE_FILE_MAX ||
	    (text = malloc((size_t)st.st_size + 1)) == NULL) {
		snprintf(err, errlen, "'%s' is too big for a schedule", q);
		fclose(f);
		return NULL;
	}
	got = fread(text, 1, (size_t)st.st_size, f);
	if (ferror(f)) {
		snprintf(err, errlen, "'%s': %s", q, strerror(errno));
		fclose(f);
		free(text);
		return NULL;
	}
	fclose(f);
	text[got] = '\0';
	if (strlen(text) != got) {
		snprintf(err, errlen, "'%s' holds a NUL byte: it is not a "
		    "schedule", q);
		free(text);
		return NULL;
	}
	return text;
}

int
schedule_push(struct schedule *s, enum role role, unsigned index)
{
	struct schedule_entry *last = s->n ? &s->e[s->n - 1] : NULL;

	if (last != NULL && last->role == role && last->index == index &&
	    last->steps < SCHEDULE_MAX_STEPS) {
		last->steps++;
		return 0;
	}
	if (schedule_grow(s) == -1)
		return -1;
	s->e[s->n++] = (struct schedule_entry){ role, index, 1 };
	return 0;
}

int
schedule_push_front(struct schedule *s, enum role role, unsigned index)
{
	if (s->n && s->e[0].role == role && s->e[0].index == index &&
	    s->e[0].steps < SCHEDULE_MAX_STEPS) {
		s->e[0].steps++;
		return 0;
	}
	if (schedule_grow(s) == -1)
		return -1;
	memmove(s->e + 1, s->e, s->n * sizeof(s->e[0]));
	s->e[0] = (struct schedule_entry){ role, index, 1 };
	s->n++;
	return 0;
}

int
schedule_pop_back(struct schedule *s, enum role *role, unsigned *index)
{
	if (s->n == 0)
		return -1;
	*role = s->e[s->n - 1].role;
	*index = s->e[s->n - 1].index;
	if (--s->e[s->n - 1].steps == 0)
		s->n--;
	return 0;
}

uint64_t
schedule_steps(const struct schedule *s)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < s->n; i++)
		n += s->e[i].steps;
	return n;
}

int
schedule_copy(struct schedule *dst, const struct schedule *src)
{
	struct schedule_entry *e = NULL;

	if (src->n > 0 && (e = malloc(src->n * sizeof(*e))) == NULL)
		return -1;
	if (src->n > 0)
		memcpy(e, src->e, src->n * sizeof(*e));
	free(dst->e);
	dst->e = e;
	dst->n = dst->cap = src->n;
	return 0;
}

void
schedule_free(struct schedule *s)
{
	free(s->e);
	memset(s, 0, sizeof(*s));
}

char *
schedule_format(const struct schedule *s)
{
	size_t len = (size_t)s->n * 16 + 1, off = 0;
	char *buf = malloc(len);

	if (buf == NULL)
		return NULL;
	buf[0] = '\0';
	for (unsigned i = 0; i < s->n; i++) {
		const struct schedule_entry *e = &s->e[i];

		off += (size_t)snprintf(buf + off, len - off, "%s%c%u", i ? " " : "",
		    e->role == ROLE_PRODUCER ? 'P' : 'C', e->index + 1);
		if (e->steps > 1)
			off += (size_t)snprintf(buf + off, len - off, ":%u", e->steps);
	}
	return buf;
}
