/*
 * scrub_int.h - what the files of the scrubber share (core/scrub.c and
 * core/scrub_words.c); not for other modules, whose surface is scrub.h.
 */
#ifndef SV_SCRUB_INT_H
#define SV_SCRUB_INT_H

#include <stddef.h>

#define SCRUB_WORD_MAX 24  /* longer words are never in the list */

/* 1 if the n bytes at s are a common English word (any case, ASCII letters
 * only) or a plural or verb form of one: such a word after "snap:" or "my
 * name is" is talk, not a handle or a name. */
int scrub_common_word(const char *s, size_t n);

#endif
