/*
 * Output files written whole or not at all, and never left behind half-written.
 *
 * An export (and a rejects report) is personal data: a reader must never see half of it, and
 * a process killed while writing must not leave a copy lying around.  On Linux the file is
 * made with O_TMPFILE: it has no name while it is written, so whatever kills the process
 * (even SIGKILL, a power cut) the kernel frees it; once complete and synced it is given its
 * name with linkat().  Where O_TMPFILE is missing (another system, a file system without it)
 * the file is a named temporary beside the destination, removed on an error, on exit() and on
 * SIGINT, SIGTERM, SIGHUP and SIGQUIT when they end the process (their default action), by a
 * handler that then lets the signal do what it did before: best effort, since SIGKILL and a
 * crash cannot be caught.  Either way the file has
 * mode 0600 whatever the umask, and the destination is replaced in one step (rename), so a
 * reader sees the old file or the new one.
 */
#include "private.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool youth__outfile_no_tmpfile = false;

/* ---- cleanup of named temporaries (the fallback) ----------------------------------------- */

/* Names of the named temporaries being written, for the signal handler and exit(): fixed
 * storage, claimed and released atomically, read without locks (a handler may not lock). */
#define SLOTS 8
static struct {
	int used; /* 0 free, 1 claimed, 2 name ready */
	char name[PATH_MAX];
} slots[SLOTS];

static const int caught[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
#define N_CAUGHT (sizeof caught / sizeof caught[0])
static struct sigaction previous[N_CAUGHT];
static int handlers_installed; /* once per process */

static void unlink_all(void)
{
	for (int i = 0; i < SLOTS; i++)
		if (__atomic_load_n(&slots[i].used, __ATOMIC_ACQUIRE) == 2)
			unlink(slots[i].name); /* async-signal-safe */
}

/* Only a signal that ends the process removes the files: under a handler of the program's
 * own (Python's SIGINT, a daemon's SIGHUP) the process goes on, and so does the writing. */
static void on_signal(int sig, siginfo_t *info, void *uctx)
{
	int saved = errno;
	for (size_t i = 0; i < N_CAUGHT; i++) {
		if (caught[i] != sig)
			continue;
		const struct sigaction *old = &previous[i];
		if (old->sa_flags & SA_SIGINFO) {
			if (old->sa_sigaction)
				old->sa_sigaction(sig, info, uctx);
		} else if (old->sa_handler == SIG_DFL) {
			/* What the signal would have done, once the files are gone: the default is put
			 * back and the signal raised again (delivered when this handler returns). */
			unlink_all();
			sigaction(sig, old, NULL);
			raise(sig);
		} else if (old->sa_handler != SIG_IGN) {
			old->sa_handler(sig);
		}
	}
	errno = saved;
}

static void install_handlers(void)
{
	int expected = 0;
	if (!__atomic_compare_exchange_n(&handlers_installed, &expected, 1, false, __ATOMIC_ACQ_REL,
	                                 __ATOMIC_ACQUIRE))
		return;
	atexit(unlink_all);
	for (size_t i = 0; i < N_CAUGHT; i++) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_sigaction = on_signal;
		sa.sa_flags = SA_SIGINFO | SA_RESTART;
		sigemptyset(&sa.sa_mask);
		if (sigaction(caught[i], NULL, &previous[i]) == 0 &&
		    previous[i].sa_handler != SIG_IGN) /* an ignored signal stays ignored */
			sigaction(caught[i], &sa, NULL);
	}
}

static int claim_slot(const char *name)
{
	install_handlers();
	for (int i = 0; i < SLOTS; i++) {
		int expected = 0;
		if (strlen(name) < sizeof slots[i].name &&
		    __atomic_compare_exchange_n(&slots[i].used, &expected, 1, false, __ATOMIC_ACQ_REL,
		                                __ATOMIC_ACQUIRE)) {
			strcpy(slots[i].name, name);
			__atomic_store_n(&slots[i].used, 2, __ATOMIC_RELEASE);
			return i;
		}
	}
	return -1; /* all taken: this one is cleaned up on errors only */
}

static void release_slot(int i)
{
	if (i >= 0)
		__atomic_store_n(&slots[i].used, 0, __ATOMIC_RELEASE);
}

/* ---- the output file --------------------------------------------------------------------- */

static int io_error(const char *path)
{
	return youth__error(errno == ENOSPC ? YOUTH_EFULL : YOUTH_EIO, NULL, "%s: %s", path,
	                    strerror(errno));
}

/* The directory of @path, for O_TMPFILE ("." when it has none). */
static int dir_of(youth__buf *dir, const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return youth__buf_puts(dir, ".");
	return youth__buf_put(dir, path, slash == path ? 1 : (size_t)(slash - path));
}

static int open_anonymous(youth__outfile *o)
{
#ifdef O_TMPFILE
	if (youth__outfile_no_tmpfile)
		return -1;
	/* Naming the file at the end needs /proc/self/fd (or a capability few processes have):
	 * without /proc (some containers) the named temporary is the safer way. */
	if (access("/proc/self/fd", X_OK) != 0)
		return -1;
	youth__buf dir = {0};
	if (dir_of(&dir, o->path)) {
		youth__buf_free(&dir);
		return -1;
	}
	int fd = open(dir.data, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
	youth__buf_free(&dir);
	return fd;
#else
	(void)o;
	return -1;
#endif
}

int youth__outfile_open(youth__outfile *o, const char *path)
{
	memset(o, 0, sizeof *o);
	o->fd = -1;
	o->slot = -1;
	o->path = path;
	int fd = open_anonymous(o);
	if (fd < 0) {
		/* No O_TMPFILE here (or the directory does not exist: mkstemp says which). */
		int rc = youth__buf_printf(&o->tmp, "%s.tmp-XXXXXX", path);
		if (rc)
			return rc;
		fd = mkostemp(o->tmp.data, O_CLOEXEC);
		if (fd < 0) {
			rc = io_error(path);
			youth__buf_free(&o->tmp);
			return rc;
		}
		o->named = true;
		o->slot = claim_slot(o->tmp.data);
	}
	o->fd = fd;
	/* 0600 whatever the umask: the file holds personal data. */
	if (fchmod(fd, 0600) != 0) {
		int rc = io_error(path);
		youth__outfile_abort(o);
		return rc;
	}
	o->f = fdopen(fd, "wb");
	if (!o->f) {
		int rc = youth__oom();
		youth__outfile_abort(o);
		return rc;
	}
	return YOUTH_OK;
}

/* Gives the anonymous file @fd the name @name (which must not exist): with AT_EMPTY_PATH
 * where the process may (it needs CAP_DAC_READ_SEARCH), else through /proc/self/fd. */
static int link_anonymous(int fd, const char *name)
{
#ifdef AT_EMPTY_PATH
	if (linkat(fd, "", AT_FDCWD, name, AT_EMPTY_PATH) == 0)
		return 0;
	if (errno == EEXIST)
		return -1;
#endif
	char proc[64];
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
	return linkat(AT_FDCWD, proc, AT_FDCWD, name, AT_SYMLINK_FOLLOW);
}

/* The anonymous file becomes @o->path.  A destination that exists is replaced in one step:
 * the file is linked under a temporary name beside it and renamed over it (a kill between
 * the two leaves that name: the one moment this path can leave a file behind). */
static int name_anonymous(youth__outfile *o)
{
	if (link_anonymous(o->fd, o->path) == 0)
		return YOUTH_OK;
	if (errno != EEXIST)
		return io_error(o->path);
	int rc = YOUTH_OK;
	for (int attempt = 0; attempt < 100; attempt++) {
		o->tmp.len = 0;
		char rnd[YOUTH_UUID_LEN + 1];
		if ((rc = youth__uuid_new(rnd)) ||
		    (rc = youth__buf_printf(&o->tmp, "%s.tmp-%.8s", o->path, rnd + 28)))
			return rc;
		if (link_anonymous(o->fd, o->tmp.data) == 0) {
			if (rename(o->tmp.data, o->path) == 0)
				return YOUTH_OK;
			rc = io_error(o->path);
			unlink(o->tmp.data);
			return rc;
		}
		if (errno != EEXIST)
			return io_error(o->path);
	}
	errno = EEXIST;
	return io_error(o->path);
}

int youth__outfile_commit(youth__outfile *o)
{
	int rc = YOUTH_OK;
	if (fflush(o->f) != 0 || fsync(o->fd) != 0)
		rc = io_error(o->path);
	if (rc == YOUTH_OK)
		rc = o->named ? (rename(o->tmp.data, o->path) == 0 ? YOUTH_OK : io_error(o->path))
		              : name_anonymous(o);
	if (rc == YOUTH_OK)
		o->named = false; /* nothing to remove any more */
	if (fclose(o->f) != 0 && rc == YOUTH_OK)
		rc = io_error(o->path);
	o->f = NULL;
	o->fd = -1;
	youth__outfile_abort(o);
	return rc;
}

void youth__outfile_abort(youth__outfile *o)
{
	if (o->f)
		fclose(o->f);
	else if (o->fd >= 0)
		close(o->fd);
	o->f = NULL;
	o->fd = -1;
	if (o->named)
		unlink(o->tmp.data);
	o->named = false;
	release_slot(o->slot);
	o->slot = -1;
	youth__buf_free(&o->tmp);
}

int youth__file_replace(const char *path, int (*fill)(FILE *f, void *ctx), void *ctx)
{
	youth__outfile out;
	int rc = youth__outfile_open(&out, path);
	if (rc)
		return rc;
	if ((rc = fill(out.f, ctx)) == YOUTH_OK)
		return youth__outfile_commit(&out);
	youth__outfile_abort(&out);
	return rc;
}
