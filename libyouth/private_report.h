/*
 * Internals of the report layer: indicator definitions (indicator.c: the definition language,
 * the built-in catalogue written in it) and the counting engine with its writers (report.c).
 * The layer sits above every record module and the engines (tests/check-layers.sh): it reads
 * the kinds through their published description and the rows through plain SELECTs.
 */
#ifndef YOUTH_PRIVATE_REPORT_H
#define YOUTH_PRIVATE_REPORT_H

#include "private.h"

/* Hostile-input bounds of a definitions file, beside the YAML reader's own. */
#define YOUTH__RPT_MAX_DEFS 512
#define YOUTH__RPT_MAX_ALTS 16    /* alternatives of one `where` */
#define YOUTH__RPT_MAX_TERMS 16   /* fields of one alternative */
#define YOUTH__RPT_MAX_VALUES 64  /* values of one field's list */
#define YOUTH__RPT_NAME_MAX 64

/* How a term compares its field. */
enum {
	YOUTH__RT_IN = 1, /* integer value in vals[] (enum, bool, int, count, ref, money) */
	YOUTH__RT_TEXT,   /* text equal to one of texts[] */
	YOUTH__RT_RANGE,  /* integer in [lo, hi] (dates as yyyymmdd) */
	YOUTH__RT_SET     /* set (want_set 1) or unset (0) */
};

/* One condition on one field of the counted kind, or of its parent (`session.state`). */
typedef struct youth__rterm {
	char *field;                  /* as written, for messages */
	const youth_field_info *f;
	bool parent;                  /* a field of the parent record */
	int op;
	int64_t *vals;
	char **texts;
	size_t n;
	int64_t lo, hi;
	int want_set;
	int col;                      /* column of the source's SELECT (set by report.c) */
} youth__rterm;

/* All the terms of one alternative hold. */
typedef struct youth__ralt {
	youth__rterm *t;
	size_t n;
} youth__ralt;

/* One indicator definition. */
typedef struct youth__rdef {
	youth_indicator_info info;     /* strings owned by the definition */
	char *name, *label, *doc;
	const youth_kind_info *kind;   /* what is counted (NULL for a ratio or difference) */
	const youth_field_info *sum;   /* YOUTH_INDICATOR_SUM: the amount */
	bool sum_parent;
	youth__ralt *alts;             /* any alternative holds; none: every record */
	size_t n_alts;
	const youth_field_info *date;  /* the record's date */
	bool date_parent;
	bool latest;                   /* only each parent's latest record by date */
	char *operand[2];              /* ratio / difference */
	size_t line, col;              /* where the definition starts, for later errors */
} youth__rdef;

typedef struct youth__rdefs {
	youth__rdef *d;
	size_t n;
} youth__rdefs;

/* The parent of a counted kind: the record its person, exchange, course or window come from
 * when it has none of its own (an enrollment's cohort, a payment's scholarship).  NULL
 * fields: the kind cannot be counted. */
typedef struct youth__rsource {
	const char *kind;       /* counted kind */
	const char *table;      /* its table */
	const char *parent_ref; /* its field naming the parent (NULL: none) */
	const char *programme;  /* its programme code, "window" (by the plan's window), or NULL */
} youth__rsource;

const youth__rsource *youth__rsource_find(const char *kind);
/* The table of a kind that may be a parent (cohort -> cohort, plan -> enterprise_plan). */
const char *youth__rtable(const char *kind);
/* The column of a field ("window" -> "fund_window"); NULL for a field that is no column. */
const char *youth__rcolumn(const char *kind, const char *field);
/* The parent kind of @s (through its parent_ref's refers_to), or NULL. */
const youth_kind_info *youth__rparent(const youth__rsource *s);

/* Parses the definitions of a document (a file when @path, else @data/@size named @name)
 * and appends them to @out. */
int youth__rdefs_load(youth__rdefs *out, const char *path, const char *data, size_t size,
                      const char *name);
/* Appends the built-in definitions. */
int youth__rdefs_builtin(youth__rdefs *out);
void youth__rdefs_free(youth__rdefs *defs);
const youth__rdef *youth__rdefs_find(const youth__rdefs *defs, const char *name, size_t n);

/* The HTML page of a report (report_html.c): youth_report_write() with YOUTH_REPORT_HTML. */
int youth__report_write_html(youth_write_fn write, void *ctx, const youth_report *r,
                             unsigned flags);

#endif
