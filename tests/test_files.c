/*
 * Files the library writes (exports, rejects reports): complete or absent, never left behind
 * by a killed process, mode 0600 whatever the umask (libyouth/outfile.c).
 *
 * White-box: youth__outfile_no_tmpfile makes the library take the named-temporary way it
 * takes where Linux's O_TMPFILE is missing, so that both ways are tested here.
 */
#define _GNU_SOURCE
#include "helpers.h"

#include <dirent.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "private.h"

typedef struct fixture {
	char *dir;
	char *reg_path;
	char *out;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	assert_non_null(f);
	f->dir = th_tmpdir();
	f->reg_path = th_path(f->dir, "registry.youth");
	f->out = th_path(f->dir, "out.yaml");
	youth_registry *reg = NULL;
	assert_ok(youth_registry_open(&reg, f->reg_path, YOUTH_OPEN_CREATE));
	assert_ok(youth_gazetteer_load(NULL, reg, TH_GAZETTEER));
	assert_ok(youth_registry_begin(reg));
	for (int i = 0; i < 50; i++)
		assert_ok(th_add_person(reg, NULL));
	assert_ok(youth_registry_commit(reg));
	youth_registry_close(reg);
	youth__outfile_no_tmpfile = false;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	youth__outfile_no_tmpfile = false;
	th_rmtree(f->dir);
	free(f->dir);
	free(f->reg_path);
	free(f->out);
	free(f);
	return 0;
}

/* The names in @dir that are not the registry's own files, joined by spaces ("" if none). */
static char *others(const char *dir)
{
	static char list[4096];
	list[0] = '\0';
	DIR *d = opendir(dir);
	assert_non_null(d);
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
		    strncmp(e->d_name, "registry.youth", 14) == 0)
			continue;
		strncat(list, e->d_name, sizeof list - strlen(list) - 2);
		strcat(list, " ");
	}
	closedir(d);
	return list;
}

/* The export of the fixture's registry as youth_export_write() gives it. */
static youth__buf expected_export(const fixture *f)
{
	youth_registry *reg = NULL;
	assert_ok(youth_registry_open(&reg, f->reg_path, YOUTH_OPEN_READONLY));
	th_text t = {0};
	youth_interchange_summary s;
	assert_ok(youth_export_write(&s, reg, th_text_write, &t, NULL));
	youth_registry_close(reg);
	youth__buf b = {t.data, t.len, t.len};
	return b;
}

static void check_file(const fixture *f, const char *path, mode_t mode)
{
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, mode);
	youth__buf want = expected_export(f);
	size_t size;
	unsigned char *got = th_read_file(path, &size);
	assert_non_null(got);
	assert_int_equal(size, want.len);
	assert_memory_equal(got, want.data, size);
	free(got);
	free(want.data);
}

static void export_to(const fixture *f, const char *path)
{
	youth_registry *reg = NULL;
	assert_ok(youth_registry_open(&reg, f->reg_path, YOUTH_OPEN_READONLY));
	youth_interchange_summary s;
	assert_ok(youth_export_file(&s, reg, path, NULL));
	youth_registry_close(reg);
}

/* The same bytes as the stream, mode 0600 under any umask, and an existing file replaced. */
static void export_whole(void **state, bool fallback)
{
	fixture *f = *state;
	youth__outfile_no_tmpfile = fallback;
	mode_t old = umask(0);
	export_to(f, f->out);
	check_file(f, f->out, 0600);
	umask(0277); /* would leave the owner read-only */
	export_to(f, f->out); /* over the existing file */
	check_file(f, f->out, 0600);
	umask(old);
	assert_string_equal(others(f->dir), "out.yaml ");
}

static void test_export_whole_tmpfile(void **state)
{
	export_whole(state, false);
}

static void test_export_whole_fallback(void **state)
{
	export_whole(state, true);
}

/* A refused export (the progress callback stops it) leaves no file and keeps the old one. */
static int stop_now(void *ctx, int64_t records, int64_t bytes)
{
	(void)ctx;
	(void)records;
	(void)bytes;
	return 1;
}

static void export_stopped(void **state, bool fallback)
{
	fixture *f = *state;
	youth__outfile_no_tmpfile = fallback;
	youth_registry *reg = NULL;
	assert_ok(youth_registry_open(&reg, f->reg_path, YOUTH_OPEN_READONLY));
	youth_export_options o;
	youth_export_options_init(&o);
	o.progress = stop_now;
	youth_interchange_summary s;
	assert_rc(youth_export_file(&s, reg, f->out, &o), YOUTH_ECANCELLED);
	assert_string_equal(others(f->dir), "");
	assert_ok(youth_export_file(&s, reg, f->out, NULL));
	assert_rc(youth_export_file(&s, reg, f->out, &o), YOUTH_ECANCELLED);
	youth_registry_close(reg);
	check_file(f, f->out, 0600);
	assert_string_equal(others(f->dir), "out.yaml ");
}

static void test_export_stopped_tmpfile(void **state)
{
	export_stopped(state, false);
}

static void test_export_stopped_fallback(void **state)
{
	export_stopped(state, true);
}

/* ---- killed while exporting ------------------------------------------------------------- */

typedef struct hold {
	int ready; /* write end of a pipe: one byte once the export is under way */
} hold;

/* Called at the end of the export, when every byte is written but the file not yet named:
 * says so to the parent and waits to be killed. */
static int hold_here(void *ctx, int64_t records, int64_t bytes)
{
	(void)records;
	(void)bytes;
	hold *h = ctx;
	if (write(h->ready, "x", 1) != 1)
		_exit(3);
	for (;;)
		pause();
	return 0;
}

/* Forks a child that exports the registry to f->out and stops inside the export; kills it
 * with @sig and returns how it ended (waitpid's status). */
static int kill_exporting(const fixture *f, int sig)
{
	int p[2];
	assert_int_equal(pipe(p), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(p[0]);
		youth_registry *reg = NULL;
		if (youth_registry_open(&reg, f->reg_path, YOUTH_OPEN_READONLY))
			_exit(2);
		hold h = {p[1]};
		youth_export_options o;
		youth_export_options_init(&o);
		o.progress = hold_here;
		o.progress_ctx = &h;
		youth_interchange_summary s;
		youth_export_file(&s, reg, f->out, &o);
		_exit(4); /* never: the callback waits */
	}
	close(p[1]);
	char c;
	assert_int_equal(read(p[0], &c, 1), 1);
	close(p[0]);
	/* The export has written its whole document into its file. */
	assert_int_equal(kill(pid, sig), 0);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return status;
}

/* O_TMPFILE: the file has no name until it is complete, so SIGKILL leaves nothing. */
static void test_export_sigkill_leaves_nothing(void **state)
{
	fixture *f = *state;
	int status = kill_exporting(f, SIGKILL);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	assert_string_equal(others(f->dir), "");
	/* and over an existing export, which stays as it was */
	export_to(f, f->out);
	status = kill_exporting(f, SIGKILL);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	assert_string_equal(others(f->dir), "out.yaml ");
	check_file(f, f->out, 0600);
}

/* Without O_TMPFILE the temporary has a name; SIGTERM and SIGINT (default action) remove it
 * before the process ends as the signal says. */
static void test_export_sigterm_fallback(void **state)
{
	fixture *f = *state;
	youth__outfile_no_tmpfile = true;
	int sigs[] = {SIGTERM, SIGINT};
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		int status = kill_exporting(f, sigs[i]);
		assert_true(WIFSIGNALED(status) && WTERMSIG(status) == sigs[i]);
		assert_string_equal(others(f->dir), "");
	}
}

/* ---- the rejects report ----------------------------------------------------------------- */

#define PERSON(given, sex)                                                                     \
	"  - given_names: " given "\n    first_surname: Díaz\n    birth_date: 1991-06-01\n"      \
	"    sex: " sex "\n    place: sonzacate\n    census_date: 2009-03-02\n"                 \
	"    census_round: census-2009\n"

static int import_rejects(const fixture *f, const char *doc, const char *rejects,
                          youth_interchange_summary *s)
{
	youth_registry *reg = NULL;
	assert_ok(youth_registry_open(&reg, f->reg_path, 0));
	youth_import_options o;
	youth_import_options_init(&o);
	o.flags = YOUTH_IMPORT_KEEP_GOING;
	o.rejects_path = rejects;
	int rc = youth_import_buffer(s, reg, doc, strlen(doc), "in.yaml", &o);
	youth_registry_close(reg);
	return rc;
}

/* No report unless a record is rejected; then one of mode 0600; none when the import fails as
 * a whole (it imported nothing). */
static void rejects_file(void **state, bool fallback)
{
	fixture *f = *state;
	youth__outfile_no_tmpfile = fallback;
	char *rej = th_path(f->dir, "rejects.yaml");
	youth_interchange_summary s;
	mode_t old = umask(0);
	assert_ok(import_rejects(f, "format: libyouth/1\npersons:\n" PERSON("Ana", "female")
	                            "end: {records: 1}\n", rej, &s));
	assert_int_equal(s.rejected, 0);
	assert_string_equal(others(f->dir), ""); /* no empty report */

	/* the bad record after the good one; a failure of the whole file keeps no report */
	assert_rc(import_rejects(f, "format: libyouth/1\npersons:\n" PERSON("Bea", "dragon")
	                            "end: {records: 1}\n[", rej, &s), YOUTH_EPARSE);
	assert_string_equal(others(f->dir), "");

	assert_ok(import_rejects(f, "format: libyouth/1\npersons:\n" PERSON("Carla", "female")
	                            PERSON("Dora", "dragon") "end: {records: 2}\n", rej, &s));
	assert_int_equal(s.rejected, 1);
	assert_int_equal(s.imported, 1);
	umask(old);
	assert_string_equal(others(f->dir), "rejects.yaml ");
	struct stat st;
	assert_int_equal(stat(rej, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	size_t size;
	char *text = (char *)th_read_file(rej, &size);
	assert_non_null(text);
	assert_true(th_contains(text, "given_names: Dora\n"));
	assert_true(th_contains(text, "end:\n  records: 1\n"));
	free(text);
	free(rej);
}

static void test_rejects_file_tmpfile(void **state)
{
	rejects_file(state, false);
}

static void test_rejects_file_fallback(void **state)
{
	rejects_file(state, true);
}

int main(void)
{
	/* The signals' default actions, as a process started from a terminal has them, before
	 * the library first looks at them (it keeps what it finds: outfile.c).  Run in the
	 * background of a shell without job control, this process inherits SIGINT and SIGQUIT
	 * ignored, which the library rightly leaves ignored, and test_export_sigterm_fallback's
	 * child would wait for its SIGINT for ever. */
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		signal(sigs[i], SIG_DFL);
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_export_whole_tmpfile),
		T(test_export_whole_fallback),
		T(test_export_stopped_tmpfile),
		T(test_export_stopped_fallback),
		T(test_export_sigkill_leaves_nothing),
		T(test_export_sigterm_fallback),
		T(test_rejects_file_tmpfile),
		T(test_rejects_file_fallback),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
