/*
 * form_int.h - what the files of the forms module share among themselves
 * (form_define.c, form_catalog.c, form_answers.c, form_lang.c,
 * form_payload.c) and nobody else: form.h is the module's whole public
 * surface.  Included only by forms/form_*.c.
 */
#ifndef SV_FORM_INT_H
#define SV_FORM_INT_H

#include "../core/jsoncheck.h"
#include "form.h"

/* "single", "multiple", ...: a question type as the definition writes it
 * (form_define.c). */
extern const char *const form_qtype_names[FORM_NQTYPES];

/* Reads "language" and "translations" of a survey whose questions are read
 * (form_lang.c); failures go to c. */
void form_read_translations(struct json_check *c, const cJSON *root,
			    const struct form_catalog *cat, struct form_survey *s);

/* The size every payload of s is padded to (form_payload.c). */
size_t form_sealed_size(const struct form_survey *s);

#endif
