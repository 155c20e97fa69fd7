/*
 * qr.h - a QR code as inline SVG, made here with libqrencode (Debian's
 * libqrencode-dev): no image file, no third party, no script.
 *
 * The SVG draws each row's runs of dark modules as one path on a white
 * square with the standard quiet zone of 4 modules, scales to whatever
 * width its CSS gives it, and carries role="img" with the label given.
 * Pure: text in, an sbuf out.
 */
#ifndef SV_QR_H
#define SV_QR_H

#include "../core/err.h"
#include "../core/sbuf.h"

#define QR_MAX_TEXT 512   /* bytes encoded in one code (a link, never more) */
#define QR_QUIET 4        /* modules of white border on each side */

/*
 * Appends an <svg> element encoding text (NUL-ended, 1 to QR_MAX_TEXT bytes)
 * at error-correction level M, labelled label (escaped) for screen readers.
 * SV_ERR_TOOBIG for a longer text, SV_ERR_NOMEM if libqrencode could not
 * make it; nothing is appended then.
 */
enum sv_err qr_svg(struct sbuf *b, const char *text, const char *label);

#endif
