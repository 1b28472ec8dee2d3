/* The per-thread error report (see youth/common.h for why per thread). */
#include "private.h"

#include <stdio.h>
#include <string.h>

#define MESSAGE_MAX 1024
#define FIELD_MAX 64

/* Fixed thread-local storage: reporting must work when memory is exhausted. */
static _Thread_local struct {
	youth_error pub;
	char message[MESSAGE_MAX];
	char field[FIELD_MAX];
} last = {{0, "", NULL}, "", ""};

const youth_error *youth_error_last(void)
{
	if (last.pub.message == NULL)
		last.pub.message = "";
	return &last.pub;
}

void youth_error_clear(void)
{
	last.pub.code = YOUTH_OK;
	last.message[0] = '\0';
	last.pub.message = last.message;
	last.pub.field = NULL;
}

int youth__verror(int code, const char *field, const char *fmt, va_list ap)
{
	last.pub.code = code;
	vsnprintf(last.message, sizeof last.message, fmt, ap);
	last.pub.message = last.message;
	if (field) {
		snprintf(last.field, sizeof last.field, "%s", field);
		last.pub.field = last.field;
	} else {
		last.pub.field = NULL;
	}
	return code;
}

int youth__error(int code, const char *field, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	youth__verror(code, field, fmt, ap);
	va_end(ap);
	return code;
}

void youth__error_prefix(const char *fmt, ...)
{
	char prefix[MESSAGE_MAX], old[MESSAGE_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof prefix, fmt, ap);
	va_end(ap);
	memcpy(old, last.message, sizeof old);
	snprintf(last.message, sizeof last.message, "%.500s: %.500s", prefix, old);
	last.pub.message = last.message;
}

int youth__oom(void)
{
	return youth__error(YOUTH_ENOMEM, NULL, "out of memory");
}

int youth__sqlite_error(sqlite3 *db, int rc, const char *what)
{
	const char *msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
	int code;
	switch (rc & 0xff) {
	case SQLITE_NOMEM: code = YOUTH_ENOMEM; break;
	case SQLITE_BUSY:
	case SQLITE_LOCKED: code = YOUTH_EBUSY; break;
	case SQLITE_READONLY: code = YOUTH_EREADONLY; break;
	case SQLITE_FULL: code = YOUTH_EFULL; break;
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
	case SQLITE_PROTOCOL: code = YOUTH_EIO; break;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB: code = YOUTH_ECORRUPT; break;
	case SQLITE_CONSTRAINT:
		code = (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
		               ? YOUTH_EEXISTS
		       : rc == SQLITE_CONSTRAINT_FOREIGNKEY ? YOUTH_EREFERENCED
		                                            : YOUTH_EINVAL;
		break;
	case SQLITE_MISUSE: code = YOUTH_EMISUSE; break;
	default: code = YOUTH_ERROR; break;
	}
	/* The page checksum VFS (pagesum.c) refuses a page whose bytes changed on the disk. */
	if (rc == SQLITE_IOERR_DATA)
		return youth__error(YOUTH_ECORRUPT, NULL, "%s: damaged: a page of the registry does not "
		                    "match its checksum (run `youth check`)", what);
	if (code == YOUTH_EFULL)
		return youth__error(code, NULL, "%s: disk full (%s); nothing was written", what, msg);
	if (code == YOUTH_EBUSY)
		return youth__error(code, NULL, "%s: the registry is busy: another connection kept it "
		                    "locked for the whole busy timeout (%s); nothing was done, try "
		                    "again in a moment", what, msg);
	return youth__error(code, NULL, "%s: %s", what, msg);
}

const char *youth_error_name(int code)
{
	switch (code) {
	case YOUTH_OK: return "OK";
	case YOUTH_ERROR: return "ERROR";
	case YOUTH_ENOMEM: return "ENOMEM";
	case YOUTH_EINVAL: return "EINVAL";
	case YOUTH_ENOTFOUND: return "ENOTFOUND";
	case YOUTH_EEXISTS: return "EEXISTS";
	case YOUTH_EIO: return "EIO";
	case YOUTH_ECORRUPT: return "ECORRUPT";
	case YOUTH_EVERSION: return "EVERSION";
	case YOUTH_EBUSY: return "EBUSY";
	case YOUTH_EREADONLY: return "EREADONLY";
	case YOUTH_EFULL: return "EFULL";
	case YOUTH_EMISUSE: return "EMISUSE";
	case YOUTH_EREFERENCED: return "EREFERENCED";
	case YOUTH_ESTATE: return "ESTATE";
	case YOUTH_ERULE: return "ERULE";
	case YOUTH_EPARSE: return "EPARSE";
	case YOUTH_ELIMIT: return "ELIMIT";
	case YOUTH_ECANCELLED: return "ECANCELLED";
	case YOUTH_EACCESS: return "EACCESS";
	case YOUTH_ITEROVER: return "ITEROVER";
	default: return "EUNKNOWN";
	}
}

const char *youth_version(void)
{
	return YOUTH_VERSION;
}

int youth__null_arg(const char *fn, const void *reg, const char *what)
{
	return youth__error(YOUTH_EINVAL, NULL, "%s: NULL %s", fn, reg ? what : "registry");
}

int youth__flags_rule(const char *what, unsigned flags, unsigned known)
{
	if (flags & ~known)
		return youth__error(YOUTH_EINVAL, NULL, "%s: unknown flags 0x%x", what, flags);
	return YOUTH_OK;
}
