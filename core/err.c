/*
 * err.c - names for enum sv_err (see err.h).
 */
#include "err.h"

const char *sv_err_str(enum sv_err err)
{
	switch (err) {
	case SV_OK: return "ok";
	case SV_ERR_NOMEM: return "out of memory";
	case SV_ERR_TOOBIG: return "too large";
	case SV_ERR_INVALID: return "invalid input";
	case SV_ERR_NOTFOUND: return "not found";
	case SV_ERR_DB: return "database error";
	case SV_ERR_CRYPTO: return "cryptographic check failed";
	case SV_ERR_IO: return "input/output error";
	case SV_ERR_EXISTS: return "already done";
	}
	return "unknown error";
}
