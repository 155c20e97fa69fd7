/*
 * err.h - the one error type every fallible function in youthvoice returns.
 *
 * Results go out through pointer parameters marked OUT; the return value says
 * only whether it worked.  survey-server turns an error into an HTTP status in
 * one place (http_status_from_err); survey-export into an exit status.
 */
#ifndef SV_ERR_H
#define SV_ERR_H

enum sv_err {
	SV_OK = 0,
	SV_ERR_NOMEM,    /* allocation failed */
	SV_ERR_TOOBIG,   /* input or output over its named limit */
	SV_ERR_INVALID,  /* input does not parse or does not validate */
	SV_ERR_NOTFOUND, /* no such survey, key, consultation ... */
	SV_ERR_DB,       /* SQLite failed; details went to the log */
	SV_ERR_CRYPTO,   /* a key or ciphertext did not open */
	SV_ERR_IO,       /* a file could not be read or written */
	SV_ERR_EXISTS    /* already done: a one-time token used twice */
};

/* A short, fixed English phrase for logs and command-line messages. */
const char *sv_err_str(enum sv_err err);

#endif
