/*
 * kiosk_int.h - what kiosk.c and kiosk_staff.c share; not for other files.
 */
#ifndef SV_KIOSK_INT_H
#define SV_KIOSK_INT_H

#include <stddef.h>

#include "../forms/form.h"
#include "kiosk.h"

#define KIOSK_PAD_UNIT 256   /* the padded body is a whole number of these */

/* Hex of BLAKE2b-256(token): what the kiosks table keeps. */
void kiosk_token_hash(const char *token, char out[65]);

/*
 * The size every answer set of survey s is padded to before it is sealed on
 * the device: more than the longest body kiosk.js can make for it (each
 * character at most 4 bytes, whether raw UTF-8 or escaped), so the sealed
 * boxes waiting on a tablet all have one length.  0 if that is more than a
 * request may carry: the survey cannot run as a kiosk.
 */
size_t kiosk_pad_block(const struct form_survey *s);

#endif
