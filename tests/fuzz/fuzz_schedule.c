/* fuzz_schedule.c: the schedule grammar, fed arbitrary text */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "schedule.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The first byte picks the producers and consumers; the rest is the plan. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct schedule s;
	unsigned np, nc;
	char err[200], *text;
	uint32_t total = 0;

	if (size == 0)
		return 0;
	np = 1 + data[0] % CTL_MAX_PRODUCERS;
	nc = 1 + (data[0] >> 4) % CTL_MAX_CONSUMERS;
	if ((text = malloc(size)) == NULL)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	if (schedule_parse(text, np, nc, &s, err, sizeof(err)) == 0) {
		/* what was accepted is within bounds */
		if (s.n == 0 || s.n > SCHEDULE_MAX)
			abort();
		for (unsigned i = 0; i < s.n; i++) {
			unsigned limit = s.e[i].role == ROLE_PRODUCER ? np : nc;
			if (s.e[i].index >= limit || s.e[i].steps == 0 ||
			    s.e[i].steps > SCHEDULE_MAX_STEPS)
				abort();
			total += 1;
		}
		if (schedule_parse(text, np, nc, NULL, err, sizeof(err)) != 0)
			abort();    /* checking agrees with parsing */
	} else if (err[0] == '\0') {
		abort();
	}
	(void)total;
	schedule_free(&s);
	free(text);
	return 0;
}
