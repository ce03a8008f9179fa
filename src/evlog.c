/* evlog.c: the event log shown at the bottom of the screen */
#include "evlog.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void
evlog_add(struct evlog *l, int64_t t, const char *fmt, ...)
{
	struct evlog_entry *e;
	char text[EVLOG_TEXT];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	l->gen++;
	e = l->n ? &l->e[(l->next + EVLOG_LINES - 1) % EVLOG_LINES] : NULL;
	if (e != NULL && strcmp(e->text, text) == 0) {
		e->repeat++;
		e->t = t;
		return;
	}
	e = &l->e[l->next];
	l->next = (l->next + 1) % EVLOG_LINES;
	if (l->n < EVLOG_LINES)
		l->n++;
	e->t = t;
	e->repeat = 1;
	memcpy(e->text, text, sizeof(text));
}

const struct evlog_entry *
evlog_get(const struct evlog *l, unsigned back)
{
	if (back >= l->n)
		return NULL;
	return &l->e[(l->next + 2 * EVLOG_LINES - 1 - back) % EVLOG_LINES];
}
