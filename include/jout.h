/* jout.h: every JSON shmviz writes, built with jansson */
#ifndef SHMVIZ_JOUT_H
#define SHMVIZ_JOUT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Values to put in objects and arrays (each NULL only when memory ran out,
 * which jansson's setters then take as nothing set).  Strings may hold any
 * bytes: what is not UTF-8 becomes U+FFFD, so what is written is always
 * valid JSON.
 */
json_t *jout_string(const char *s);
json_t *jout_stringn(const char *s, size_t n);
json_t *jout_uint(uint64_t v);
json_t *jout_int(int64_t v);

/* A number rounded to `decimals` places; null when it is not finite. */
json_t *jout_real(double v, int decimals);

/* Set obj[key] = v, taking v; in the order set, which is the order
 * written. */
void jout_set(json_t *obj, const char *key, json_t *v);

/* Append v to an array, taking it. */
void jout_push(json_t *arr, json_t *v);

/* v as one line, and a newline, to f; -1 if it could not be written. */
int jout_print(FILE *f, const json_t *v);

/* v as one line, without the newline, to free(); NULL if out of memory. */
char *jout_line(const json_t *v);

#endif
