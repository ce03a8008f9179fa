/* schedule.c: a deterministic interleaving, as text: "P1:3 C1:6 P1:5" */
#include "schedule.h"

#include <stdio.h>
#include <string.h>

#include "opts.h"

#define SEPARATORS " \t,"

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

int
schedule_parse(const char *text, unsigned nprod, unsigned ncons,
    struct schedule *s, char *err, size_t errlen)
{
	struct schedule_entry e;
	unsigned n = 0;

	for (const char *p = text + strspn(text, SEPARATORS); *p;
	    p += strspn(p, SEPARATORS)) {
		size_t len = strcspn(p, SEPARATORS);

		if (entry_parse(p, len, nprod, ncons, &e, err, errlen) == -1)
			return -1;
		if (n == SCHEDULE_MAX) {
			snprintf(err, errlen, "has more than %u entries",
			    SCHEDULE_MAX);
			return -1;
		}
		if (s != NULL)
			s->e[n] = e;
		n++;
		p += len;
	}
	if (n == 0) {
		snprintf(err, errlen, "is empty; give steps like 'P1:3 C1:6'");
		return -1;
	}
	if (s != NULL)
		s->n = n;
	return 0;
}
