/* fuzz_opts.c: the command line parser, fed arbitrary argument vectors */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "opts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input is the arguments, separated by NUL bytes. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *argv[34] = { "shmviz" };
	char err[320];
	struct opts o;
	int argc = 1;

	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	for (size_t i = 0; i <= size && argc < 33; ) {
		argv[argc++] = buf + i;
		i += strlen(buf + i) + 1;
	}
	argv[argc] = NULL;
	opts_defaults(&o);
	if (opts_parse(&o, argc, argv, err, sizeof(err)) == -1 &&
	    (err[0] == '\0' || strchr(err, '\n') != NULL))
		abort();        /* a refusal is always one line */
	opts_free(&o);
	free(buf);
	return 0;
}
