/*
 * fuzz_parse.c - libFuzzer target for core/parse: form_body_parse on any
 * bytes, then the promises parse.h makes about what it returns (field count,
 * name and value limits, valid UTF-8, no NUL, no CR, no control bytes in
 * names).  The same bytes also go through parse_int, id_valid and the UTF-8
 * helpers.  Built by `make fuzz`; tests/fuzz/corpus/parse/ holds the seeds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body = (const char *)data;
	struct form_body fb;
	const char *why = NULL;

	enum sv_err rc = form_body_parse(body, size, &fb, &why);
	if (rc) {
		if (!why || fb.count != 0 || fb.fields || fb.mem)
			abort(); /* an error names its cause and leaves nothing behind */
	} else {
		if (fb.count > PARSE_MAX_FIELDS)
			abort();
		for (size_t i = 0; i < fb.count; i++) {
			const struct form_field *f = &fb.fields[i];
			size_t nlen = strlen(f->name);
			if (nlen == 0 || nlen > PARSE_MAX_NAME || !utf8_valid(f->name, nlen))
				abort();
			for (size_t k = 0; k < nlen; k++)
				if ((unsigned char)f->name[k] < 0x20 || f->name[k] == 0x7f)
					abort();
			if (f->value_len > PARSE_MAX_VALUE || strlen(f->value) != f->value_len ||
			    !utf8_valid(f->value, f->value_len) || memchr(f->value, '\r', f->value_len))
				abort();
			if (form_body_get(&fb, f->name) == NULL)
				abort();
		}
		form_body_free(&fb);
	}

	long long v;
	if (parse_int(body, size, -1000, 1000, &v) == SV_OK && (v < -1000 || v > 1000))
		abort();
	if (id_valid(body, size) && (size == 0 || size > PARSE_MAX_ID))
		abort();
	if (utf8_valid(body, size) && utf8_length(body, size) > size)
		abort();
	return 0;
}
