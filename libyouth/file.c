/*
 * Files written whole or not at all: the export and the report writers write beside the
 * destination and rename into place once the text is complete and on disk, so that a reader
 * never sees half a file and a failure leaves none behind.
 */
#include "private.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int youth__file_replace(const char *path, int (*fill)(FILE *f, void *ctx), void *ctx)
{
	youth__buf tmp = {0};
	int rc = youth__buf_printf(&tmp, "%s.tmp-XXXXXX", path);
	if (rc)
		return rc;
	int fd = mkstemp(tmp.data);
	if (fd < 0) {
		rc = youth__error(YOUTH_EIO, NULL, "%s: %s", path, strerror(errno));
		youth__buf_free(&tmp);
		return rc;
	}
	FILE *f = fdopen(fd, "wb");
	if (!f) {
		rc = youth__oom();
		close(fd);
	} else {
		rc = fill(f, ctx);
		if (rc == YOUTH_OK && (fflush(f) != 0 || fsync(fileno(f)) != 0))
			rc = youth__error(errno == ENOSPC ? YOUTH_EFULL : YOUTH_EIO, NULL, "%s: %s", path,
			                  strerror(errno));
		if (fclose(f) != 0 && rc == YOUTH_OK)
			rc = youth__error(errno == ENOSPC ? YOUTH_EFULL : YOUTH_EIO, NULL, "%s: %s", path,
			                  strerror(errno));
	}
	if (rc == YOUTH_OK && rename(tmp.data, path) != 0)
		rc = youth__error(YOUTH_EIO, NULL, "%s: %s", path, strerror(errno));
	if (rc)
		unlink(tmp.data);
	youth__buf_free(&tmp);
	return rc;
}
