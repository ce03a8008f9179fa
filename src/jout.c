/* jout.c: every JSON shmviz writes, built with jansson */
#include "jout.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Compact, keys in the order set, numbers with up to 15 digits. */
#define JOUT_FLAGS (JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15))

/* The length of the UTF-8 sequence at s (at most n bytes), 0 if it is not
 * one: a lead byte, its continuations, no overlong form, no surrogate, not
 * past U+10FFFF. */
static size_t
utf8_seq(const unsigned char *s, size_t n)
{
	size_t len;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

json_t *
jout_stringn(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, o = 0;
	char *clean;
	json_t *v;

	/* valid already: as it is */
	while (i < n) {
		size_t k = utf8_seq(u + i, n - i);

		if (k == 0)
			break;
		i += k;
	}
	if (i == n)
		return json_stringn(s, n);
	/* each byte that starts no sequence becomes U+FFFD (3 bytes) */
	if ((clean = malloc(3 * n + 1)) == NULL)
		return NULL;
	for (i = 0; i < n;) {
		size_t k = utf8_seq(u + i, n - i);

		if (k == 0) {
			clean[o++] = '\xef';
			clean[o++] = '\xbf';
			clean[o++] = '\xbd';
			i++;
			continue;
		}
		memcpy(clean + o, s + i, k);
		o += k;
		i += k;
	}
	v = json_stringn(clean, o);
	free(clean);
	return v;
}

json_t *
jout_string(const char *s)
{
	return jout_stringn(s, strlen(s));
}

json_t *
jout_uint(uint64_t v)
{
	return json_integer((json_int_t)(v > INT64_MAX ? INT64_MAX : v));
}

json_t *
jout_int(int64_t v)
{
	return json_integer((json_int_t)v);
}

json_t *
jout_real(double v, int decimals)
{
	double scale = pow(10, decimals);

	if (!isfinite(v))
		return json_null();
	/* rounded, so that 15 digits print it as it would be read */
	if (fabs(v) < 1e15 / scale)
		v = round(v * scale) / scale;
	return json_real(v);
}

void
jout_set(json_t *obj, const char *key, json_t *v)
{
	json_object_set_new(obj, key, v != NULL ? v : json_null());
}

void
jout_push(json_t *arr, json_t *v)
{
	json_array_append_new(arr, v != NULL ? v : json_null());
}

int
jout_print(FILE *f, const json_t *v)
{
	if (json_dumpf(v, f, JOUT_FLAGS) == -1 || fputc('\n', f) == EOF)
		return -1;
	return 0;
}

char *
jout_line(const json_t *v)
{
	return json_dumps(v, JOUT_FLAGS);
}
