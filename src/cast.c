/* cast.c: the screen session recorded as an asciicast v2 file */
#include "cast.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "jout.h"
#include "pace.h"

/* [seconds, kind, text] as one line. */
static void
cast_event(struct cast *c, const char *kind, const char *text, size_t n)
{
	json_t *e;

	if (c->f == NULL || c->failed)
		return;
	e = json_array();
	jout_push(e, jout_real((double)(pace_now() - c->t0) / 1e9, 6));
	jout_push(e, jout_string(kind));
	jout_push(e, jout_stringn(text, n));
	if (jout_print(c->f, e) == -1)
		c->failed = 1;
	json_decref(e);
}

int
cast_open(struct cast *c, const char *path, int width, int height,
    const char *title, char *err, size_t len)
{
	json_t *h;
	int fd;

	memset(c, 0, sizeof(*c));
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	/* 0644 whatever the umask: a recording is for sharing */
	if (fd == -1 || fchmod(fd, 0644) == -1 ||
	    (c->f = fdopen(fd, "w")) == NULL) {
		snprintf(err, len, "--record: %s: %s", path, strerror(errno));
		if (fd != -1) {
			close(fd);
			unlink(path);
		}
		return -1;
	}
	c->t0 = pace_now();
	h = json_object();
	jout_set(h, "version", jout_uint(2));
	jout_set(h, "width", jout_uint((unsigned)width));
	jout_set(h, "height", jout_uint((unsigned)height));
	jout_set(h, "timestamp", jout_int((int64_t)time(NULL)));
	jout_set(h, "title", jout_string(title));
	if (jout_print(c->f, h) == -1)
		c->failed = 1;
	json_decref(h);
	return 0;
}

/* Bytes of buf that end on a whole UTF-8 character. */
static size_t
whole(const char *buf, size_t n)
{
	size_t i = n, k = 0;

	/* back over continuation bytes to the lead of the last character */
	while (i > 0 && k < 3 && ((unsigned char)buf[i - 1] & 0xc0) == 0x80) {
		i--;
		k++;
	}
	if (i > 0) {
		unsigned char lead = (unsigned char)buf[i - 1];
		size_t need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ?
		    2 : 1;

		if (need > k + 1)
			return i - 1;   /* cut: keep it for the next write */
	}
	return n;
}

void
cast_output(struct cast *c, const char *buf, size_t n)
{
	char joined[4096 + 4];

	if (c->f == NULL || c->failed)
		return;
	while (n > 0) {
		size_t take = n > 4096 ? 4096 : n, m, keep;

		memcpy(joined, c->pend, c->npend);
		memcpy(joined + c->npend, buf, take);
		m = c->npend + take;
		keep = m - whole(joined, m);
		if (m - keep > 0)
			cast_event(c, "o", joined, m - keep);
		memcpy(c->pend, joined + m - keep, keep);
		c->npend = keep;
		buf += take;
		n -= take;
	}
}

void
cast_resize(struct cast *c, int width, int height)
{
	char size[32];

	snprintf(size, sizeof(size), "%dx%d", width, height);
	cast_event(c, "r", size, strlen(size));
}

void
cast_mark(struct cast *c, const char *label)
{
	cast_event(c, "m", label, strlen(label));
}

int
cast_close(struct cast *c)
{
	int r = 0;

	if (c->f == NULL)
		return 0;
	if (c->npend > 0)
		cast_event(c, "o", c->pend, c->npend);
	if (fclose(c->f) != 0 || c->failed)
		r = -1;
	c->f = NULL;
	return r;
}
