/*
 * qr.c - a QR code as inline SVG (see qr.h).
 *
 * libqrencode gives one byte per module, bit 0 set for dark.  Each run of
 * dark modules in a row becomes "M x y h n v 1 h -n z" in a single path, so
 * a code for a link (version 4 to 8, 33 to 49 modules a side) is a few
 * kilobytes of markup, crisp at any size (shape-rendering crispEdges).
 */
#include <string.h>

#include <qrencode.h>

#include "qr.h"

enum sv_err qr_svg(struct sbuf *b, const char *text, const char *label)
{
	size_t n = strlen(text);

	if (n == 0 || n > QR_MAX_TEXT)
		return SV_ERR_TOOBIG;
	/* Level M: a poster survives some dirt, and the code stays small. */
	QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!qr)
		return SV_ERR_NOMEM;
	int w = qr->width, side = w + 2 * QR_QUIET;
	sbuf_addf(b, "<svg class=\"qr\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
		  "role=\"img\" aria-label=\"", side, side);
	sbuf_adds_html(b, label);
	sbuf_addf(b, "\" shape-rendering=\"crispEdges\"><rect width=\"%d\" height=\"%d\" "
		  "fill=\"#fff\"/><path fill=\"#000\" d=\"", side, side);
	for (int y = 0; y < w; y++) {
		const unsigned char *row = qr->data + (size_t)y * (size_t)w;
		for (int x = 0; x < w;) {
			if (!(row[x] & 1)) {
				x++;
				continue;
			}
			int run = 1;
			while (x + run < w && (row[x + run] & 1))
				run++;
			sbuf_addf(b, "M%d %dh%dv1h-%dz", x + QR_QUIET, y + QR_QUIET, run, run);
			x += run;
		}
	}
	sbuf_adds(b, "\"/></svg>");
	QRcode_free(qr);
	return SV_OK;
}
