/* fuzz_jout.c: any bytes, as a JSON string, always come out as valid JSON */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jout.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *o = json_object(), *back;
	char *line;

	jout_set(o, "s", jout_stringn((const char *)data, size));
	if ((line = jout_line(o)) == NULL)
		abort();
	/* what was written parses, as one object holding one string */
	back = json_loads(line, JSON_ALLOW_NUL, NULL);
	if (back == NULL || !json_is_string(json_object_get(back, "s")))
		abort();
	/* text that was valid UTF-8 comes back as it was */
	if (json_string_length(json_object_get(o, "s")) == size &&
	    memcmp(json_string_value(json_object_get(back, "s")), data, size) != 0)
		abort();
	json_decref(back);
	json_decref(o);
	free(line);
	return 0;
}
