/*
 * records.h - the generic record commands of the `youth` tool, and the steps that the commands
 * of every kind share (a change of state with --date and --reason, an application, a record
 * added to another, an add from an option table, a listing).
 *
 * Each kind of record is described once by a rec_ops: thin wrappers over its C API
 * (add/get/update/free/iterate) and the name of its kind in the library's published
 * description (youth/kind.h), which gives the fields, their types and their text form.  The
 * options of `add` and `edit` are derived from the fields of the kind: field `opened_date` is
 * option `--opened-date`, and a reference to an exchange, `exchange_id`, is option
 * `--exchange`, which takes an id or a code.  Every value goes through
 * youth_record_set_field(), so a refusal names the C field, and the columns of `show` and
 * `list` are the kind's fields, typed by the description.
 */
#ifndef YOUTH_CLI_RECORDS_H
#define YOUTH_CLI_RECORDS_H

#include "cli.h"
#include "output.h"

/** What a reference option (or a command operand) names.  Every record is named by its id or
 *  its UUID, and where its kind has one by its code or natural key (youth_record_lookup()):
 *  rec_resolve() refuses a key that names no record, so that a mistyped id is an error. */
typedef enum rec_ref {
	REF_NONE = 0,
	REF_EXCHANGE,     /**< id, UUID or code (a municipal exchange) */
	REF_OPERATOR,     /**< id or UUID */
	REF_COURSE,       /**< id, UUID or code */
	REF_COHORT,       /**< id, UUID or code */
	REF_PERSON,       /**< id, UUID or national ID */
	REF_ENROLLMENT,   /**< id or UUID */
	REF_WINDOW,       /**< a funding window by name (youth_seed, female_window): its number */
	REF_ORGANISATION, /**< id, UUID or code (any organisation, exchanges included) */
	REF_GROUP,        /**< id, UUID or name (when no other group has it) */
	REF_PLAN,         /**< id or UUID */
	REF_SESSION,      /**< a counselling session: id or UUID */
	REF_EMPLOYER,     /**< id, UUID or NIT */
	REF_SCHOLARSHIP,  /**< id or UUID */
	REF_ORG_TYPE,     /**< an organisation type by name (conamype, centre...): its number */
	REF_PLAN_STATE    /**< a plan state by name (draft, approved...): its number */
} rec_ref;

#define REC_MAX_EXTRA 4

typedef struct rec_ops {
	const char *kind;   /**< "exchange"... as in messages */
	const char *record; /**< the kind in the library's description: youth_kind_find() */
	rec_ref self;       /**< how `show ID` resolves its operand */
	int (*add)(youth_registry *reg, void *rec);
	int (*update)(youth_registry *reg, const void *rec); /**< NULL: no edit */
	int (*get)(void **out, youth_registry *reg, int64_t id);
	void (*free)(void *rec);
	/** Iteration with up to two filter ids (their meaning is the kind's). */
	int (*iter_new)(void **it, youth_registry *reg, int64_t a, int64_t b);
	/** Iteration with a third filter (slot 2), for the kinds that have one; else NULL. */
	int (*iter_new3)(void **it, youth_registry *reg, int64_t a, int64_t b, int64_t c);
	int (*next)(const void **out, void *it);
	void (*iter_free)(void *it);
	/** Fields shown in table listings, NULL-terminated (machine formats show every field). */
	const char *const *table_fields;
	/** Computed counts after the fields (e.g. "taken"), NULL-terminated, or NULL. */
	const char *const *extra_names;
	/** Fills the computed columns of @p rec into @p values (buffers of 32 bytes given). */
	int (*extras)(youth_registry *reg, const void *rec, const char **values, char (*bufs)[32]);
	/** The types of the computed columns (NULL: all integers). */
	const out_type *extra_types;
	/** Iteration with a fourth filter (slot 3), for the kinds that have one; else NULL. */
	int (*iter_new4)(void **it, youth_registry *reg, int64_t a, int64_t b, int64_t c, int64_t d);
} rec_ops;

/** A list filter option: `--course X` resolved with @p ref, passed as filter a or b. */
typedef struct rec_filter {
	const char *option; /**< "course" */
	rec_ref ref;
	int slot;           /**< 0: filter a, 1: filter b, 2: filter c (needs iter_new3), 3: d
	                         (needs iter_new4) */
} rec_filter;

/** An option of a hand-written add: `--option VALUE` sets @p field (a reference resolved with
 *  @p ref first, REF_NONE for plain values). */
typedef struct rec_opt {
	const char *option, *field;
	rec_ref ref;
} rec_opt;

/** Most options a rec_opts_parse() table may have. */
#define REC_OPTS_MAX 16

/** The number of entries of the rec_opt table @p a; does not compile past REC_OPTS_MAX. */
#define REC_OPTS_N(a) \
	(sizeof(a) / sizeof((a)[0]) + \
	 0 * sizeof(char[sizeof(a) / sizeof((a)[0]) <= REC_OPTS_MAX ? 1 : -1]))

/**
 * Parses the common options and `--option VALUE` for each of the @p n entries of @p f (at most
 * REC_OPTS_MAX) into @p values (left NULL when absent; the last one given wins).  Returns
 * CLI_OK with optind at the operands, or CLI_DONE when the caller must return *status.
 */
int rec_opts_parse(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv,
                   const rec_opt *f, size_t n, const char **values, int *status);

/**
 * Calls @p fn(arg, field, value) for each option given in @p a that sets a field of @p kind
 * (`--opened-date` field opened_date, a reference `--exchange` field exchange_id), in the
 * order of the command's options; stops at the first status other than CLI_OK and returns it.
 * The options of `add` and `edit` are the fields their help describes.
 */
int rec_each_field(const cli_args *a, const youth_kind_info *kind, const char *const *renames,
                   int (*fn)(void *arg, const char *field, const char *value), void *arg);

/** Sets on @p rec, a record of @p ops, every field given in @p a (rec_each_field() with
 *  @p renames), references resolved on @p reg.  CLI_OK, or the status of the first failure
 *  (printed). */
int rec_set_fields(youth_registry *reg, const rec_ops *ops, void *rec, const cli_args *a,
                   const char *const *renames);

/** A rec_each_field() callback counting the fields given into the size_t at @p arg. */
int rec_count_field(void *arg, const char *field, const char *value);

/** Sets each value given on @p rec through youth_record_set_field(), references resolved to ids;
 *  CLI_OK, or the status of the first failure (printed). */
int rec_opts_apply(youth_registry *reg, const rec_ops *ops, void *rec, const rec_opt *f,
                   size_t n, const char *const *values);

/** Sets on @p rec the values given of the plain options (REF_NONE) alone: the part of an add
 *  that is checked before the registry is opened.  CLI_OK, or the status of the failure. */
int rec_opts_set(const rec_ops *ops, void *rec, const rec_opt *f, size_t n,
                 const char *const *values);

/** An add whose options are the fields its help describes (rec_each_field()), some under
 *  another name, with a rule on which must be given. */
typedef struct rec_add_form {
	const rec_ops *ops;          /**< the kind added (uses its kind and add) */
	const char *const *renames;  /**< option, field, option, field..., NULL: `--duration` sets
	                                  duration_minutes; NULL: none */
	const char *one_of[2];       /**< exactly one of these two options is required ("give one
	                                  of --plan and --group"), or NULL */
	int need_operator;           /**< nonzero: --operator is required (a usage error) */
} rec_add_form;

/** `KIND add --option VALUE...` for the form @p f: prints "ID UUID". */
int rec_cmd_add_form(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv,
                     const rec_add_form *f);

/**
 * The rest of an add whose options are parsed: sets the plain ones (rec_opts_set()), opens
 * the registry, resolves values[@p op] (required, so even "" is resolved and refused) as field
 * operator_id, adds @p rec with @p ops->add and prints "ID UUID".  Uses only the kind and add
 * of @p ops.
 */
int rec_add_operator(cli_ctx *ctx, const cli_command *cmd, const rec_ops *ops, void *rec,
                     const rec_opt *f, size_t n, const char *const *values, size_t op);

/** A record added to the one an operand names: `plan disburse ID --operator ID ...`. */
typedef struct rec_child {
	const char *owner;       /**< the kind of the operand in messages ("plan") */
	const char *owner_field; /**< the field of the new record that takes its id ("plan_id") */
	rec_ref owner_ref;       /**< how the operand names its record (an id, UUID or code) */
	const rec_ops *ops;      /**< the kind added (uses its kind and add) */
	const rec_opt *opts;     /**< the options, at most REC_OPTS_MAX */
	size_t nopts;
	size_t op;               /**< the entry of --operator (required) in @c opts */
	int date;                /**< the entry whose value defaults to today, or -1 */
} rec_child;

/** Parses the options and the id of @p c, then adds the record (rec_add_operator()). */
int rec_cmd_add_child(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv,
                      const rec_child *c);

/**
 * The options of an application (`enroll`, `scholarship apply`): --operator (required),
 * --date (default today), --override-operator and --override-reason (together), then the
 * @p n operands (cli_operands() with @p all and @p rest).  CLI_OK, or CLI_DONE when the
 * caller must return *status.
 */
typedef struct rec_application {
	const char *op, *date, *ovr_op, *ovr_reason;
	char today[YOUTH_DATE_LEN + 1];
} rec_application;
int rec_application_opts(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv, int n,
                         const char *all, const char *rest, rec_application *a, int *status);

/** An application (`enroll PERSON COHORT`, `scholarship apply PERSON`): a record of kind
 *  @c ops->record whose operands name records, put through a call that may take an
 *  override. */
typedef struct rec_apply {
	const rec_ops *ops;      /**< the kind applied for (uses its record) */
	const char *all, *rest;  /**< the operands in messages (cli_operands()) */
	const rec_opt *operands; /**< the field each operand sets, and how it is resolved */
	int noperands;
	int (*apply)(youth_registry *reg, void *rec, const youth_override *ovr);
} rec_apply;

/** Runs the application @p ap: its options (rec_application_opts()), the operands resolved,
 *  the operator, the date applied and the override; prints "ID UUID". */
int rec_cmd_apply(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv,
                  const rec_apply *ap);

/**
 * `KIND remove OWNER PERSON` (a member of a group, a participant of a session): the common
 * options, the owner resolved with @p owner (its name in messages: @p what, "SESSION"), the
 * person resolved (an id, a UUID or a national ID) and @p remove(reg, owner, person) called.
 */
int rec_cmd_remove_person(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv,
                          rec_ref owner, const char *what,
                          int (*remove)(youth_registry *reg, int64_t owner, int64_t person));

/** What rec_start() read and opened for a command. */
typedef struct rec_cmdline {
	cli_args a;         /**< the options given */
	out_format format;  /**< --format (table when the command has none) */
	youth_registry *reg;
	int64_t id;         /**< the record the operand names */
} rec_cmdline;

/**
 * The start of most commands: the options (--format among them when the help describes it),
 * exactly @p n operands (cli_operands() with @p all and @p rest), the registry opened with
 * @p flags.  CLI_OK with @p c->reg open, or CLI_DONE when the caller must return *@p status.
 */
int rec_begin(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv, unsigned flags, int n,
              const char *all, const char *rest, rec_cmdline *c, int *status);

/**
 * The start of a command on one record (or on none when @p what is NULL): the options, exactly
 * one operand naming a record of kind @p ref (@p what in messages; rec_one_operand()), the
 * registry opened with @p flags and the operand resolved (rec_open_operand()).  CLI_OK with
 * @p c->reg open, or CLI_DONE when the caller must return *@p status.
 */
int rec_start(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv, unsigned flags,
              rec_ref ref, const char *what, rec_cmdline *c, int *status);

/** Checks that the command has exactly one operand, the record of kind @p what ("plan") that
 *  rec_open_operand() resolves once the registry is open. */
int rec_one_operand(const cli_command *cmd, int argc, char **argv, const char *what);

/**
 * Opens the registry with @p flags and resolves operand @p text into @p id with @p ref (an id,
 * a UUID or the kind's code: rec_resolve(), its messages naming @p what).  CLI_OK with *@p reg
 * open, or the status of the failure (printed) with *@p reg NULL.  Every operand that names a
 * record goes through here, so that each takes the keys the options take.
 */
int rec_open_operand(cli_ctx *ctx, const cli_command *cmd, unsigned flags, rec_ref ref,
                     const char *what, const char *text, youth_registry **reg, int64_t *id);

/** Resolves --override-operator @p op (NULL: none; an id or a UUID) on @p reg into @p ovr with
 *  its @p reason; prints the refusal of an operator that names none.  CLI_OK or CLI_FAIL. */
int rec_override(youth_registry *reg, const char *op, const char *reason, youth_override *ovr);

/**
 * A change of state of one record, `KIND VERB ID [--date DATE] [--reason TEXT]`: the date
 * defaults to today (UTC), and --reason is required by the changes that record one and
 * refused by the others of the family.
 */
typedef struct rec_change {
	const char *what; /**< the kind in the messages ("scholarship") */
	rec_ref ref;      /**< how the operand names its record (rec_open_operand()) */
	/** The change, without a reason (NULL when it takes one)... */
	int (*dated)(youth_registry *reg, int64_t id, const char *date);
	/** ...or with one (NULL when it takes none). */
	int (*reasoned)(youth_registry *reg, int64_t id, const char *date, const char *reason);
	/** The commands of the family that take --reason, as the refusal names them ("reject
	 *  and terminate"); NULL when none does (then --reason is no option at all). */
	const char *reason_for;
} rec_change;

/** Runs the change @p ch: options, operand, the checks of --reason, then the call on the
 *  registry opened for writing. */
int rec_cmd_change(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv,
                   const rec_change *ch);

/**
 * Writes a row per record left in @p it (read with @p next, written by @p row: 0, -1 out of
 * memory, -2 the library failed), then ends @p w; the caller frees @p it.  One loop for every
 * listing, so that all stop at the same failures and report them in the same words.
 */
int rec_write_rows(out_writer *w, void *it, int (*next)(const void **, void *),
                   int (*row)(void *arg, const void *rec), void *arg);

/** Writes every record left in @p it (read with @p next) as one row of every field of the kind
 *  named @p kind (at most 16), with rec_write_rows(); the fields of @p machine_only
 *  (NULL-terminated, or NULL) show in CSV and JSON only.  The caller frees @p it. */
int rec_write_kind(const char *kind, out_format format, const char *const *machine_only,
                   void *it, int (*next)(const void **, void *));

/**
 * The end of a listing of the kind named @p kind: @p rc is what made the iterator @p it
 * returned; on success its records are written (rec_write_kind()).  Then @p it is freed with
 * @p iter_free and @p reg closed.  Returns the exit status.
 */
int rec_write_list(youth_registry *reg, int rc, const char *kind, out_format format,
                   const char *const *machine_only, void *it,
                   int (*next)(const void **, void *), void (*iter_free)(void *));

/** Writes @p rec, a record of the kind named @p kind, as `show` does: every field, one a line
 *  in a table. */
int rec_write_kind_one(const char *kind, out_format format, const void *rec);

/** Parses the options of a command that prints: the common ones and --format.  CLI_OK with
 *  optind at the operands, or CLI_DONE when the caller must return *status. */
int rec_format_opts(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv,
                    out_format *format, int *status);

/** Reads --format (default table) of the options @p a parsed: CLI_OK, or CLI_DONE with the
 *  usage error of an unknown format in *@p status. */
int rec_format_arg(const cli_args *a, out_format *format, int *status);

/** The options of a listing without operands: every option of @p cmd into @p a, --format
 *  read.  CLI_OK, or CLI_DONE when the caller must return *@p status. */
int rec_list_opts(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv, cli_args *a,
                  out_format *format, int *status);

/** The column type of field @p f in an output: numbers and ids are integers, flags booleans. */
out_type rec_column_type(const youth_field_info *f);

/** Formats @p cents as money ("-12.50"). */
void rec_fmt_money(char *buf, size_t size, int64_t cents);

#define REC_AMOUNTS_MAX 8

/** Prints @p n (at most REC_AMOUNTS_MAX) amounts of money as one record (show format): column
 *  @p names[i] holds @p cents[i] (rec_fmt_money()).  A balance is such a record. */
int rec_print_amounts(out_format format, const char *const *names, const int64_t *cents,
                      size_t n);

/** Resolves @p text to a record id of kind @p ref; prints the error itself. */
int rec_resolve(youth_registry *reg, rec_ref ref, const char *field, const char *text,
                int64_t *id);

/** `KIND add --field value...`: prints "ID UUID". */
int rec_cmd_add(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv,
                const rec_ops *ops);
/** `KIND show ID`: every field (and the computed columns), one record. */
int rec_cmd_show(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv,
                 const rec_ops *ops);
/** `KIND list [filters]`. */
int rec_cmd_list(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv,
                 const rec_ops *ops, const rec_filter *filters, size_t nfilters);
/** `KIND edit ID --field value...`: reads, changes the fields given, updates. */
int rec_cmd_edit(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv,
                 const rec_ops *ops);

/** Prints one record of @p ops (show format) to stdout. */
int rec_print(youth_registry *reg, const rec_ops *ops, const void *rec, out_format format);

#define REC_SECTION_COLS 16

/**
 * A list that `show` prints after its record (a session's roster, a plan's disbursements):
 * one entry a kind, printed by rec_print_section().  The columns are either fixed, with a
 * row writer, or fields of a kind of the library's description (every one, or those named).
 */
typedef struct rec_section {
	const char *name; /**< heading "NAME:" (table), JSON member "NAME" */
	int (*iter_new)(void **it, youth_registry *reg, int64_t owner);
	int (*next)(const void **out, void *it);
	void (*iter_free)(void *it);
	/* Fixed columns: */
	const out_column *cols;
	size_t ncols;
	void (*row)(const void *rec, const char **values, char (*bufs)[48]);
	/* Or one column a field of kind @record (ids and references are integers): */
	const char *record;
	const char *const *machine_only; /**< fields left out of the table, NULL-terminated */
	/* Or only the fields named here (NULL-terminated), typed as in a listing
	 * (rec_column_type()): a roster shows who, not the record's every key. */
	const char *const *fields;
	/* Or not a list (a plan's balance): prints itself, heading included. */
	int (*print)(youth_registry *reg, int64_t owner, out_format format);
} rec_section;

/**
 * Prints the records of @p s that belong to @p owner after a record: under a heading in a
 * table, after a blank line in CSV, as member "NAME" of the JSON object the caller opened.
 */
int rec_print_section(youth_registry *reg, const rec_section *s, int64_t owner,
                      out_format format);

/** The rows of @p s that belong to @p owner as a listing of their own (no heading), as
 *  `plan visits` prints them. */
int rec_print_rows(youth_registry *reg, const rec_section *s, int64_t owner, out_format format);

/**
 * `KIND show ID` of a record with sections: the record, then each of the @p n @p sections;
 * in JSON one object, the record as member @p name.  The operand is resolved with
 * @p ops->self.
 */
int rec_cmd_show_sections(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv,
                          const rec_ops *ops, const char *name, const rec_section *sections,
                          size_t n);

/* Wrappers giving the C API of kind P (struct T) the untyped signatures of rec_ops and
 * rec_section (the fields need none: the library's description reads them); REC_WRAP_LIST
 * alone serves the kinds that are only listed, REC_WRAP_ADD those only added by
 * rec_add_operator(). */
#define REC_WRAP_LIST(T, P) \
	static int P##_w_next(const void **o, void *it) \
	{ \
		const T *x = NULL; \
		int rc = youth_##P##_next(&x, (youth_##P##_iter *)it); \
		*o = x; \
		return rc; \
	} \
	static void P##_w_iter_free(void *it) { youth_##P##_iter_free((youth_##P##_iter *)it); }
#define REC_WRAP_ADD(T, P) \
	static int P##_w_add(youth_registry *g, void *r) { return youth_##P##_add(g, (T *)r); }
/* The rec_ops of a kind P that is only added, by rec_add_operator(). */
#define REC_ADD_OPS(name, K, P) \
	static const rec_ops name = {.kind = K, .record = #P, .add = P##_w_add}
#define REC_WRAP_GET(T, P) \
	static int P##_w_get(void **o, youth_registry *g, int64_t id) \
	{ \
		T *x = NULL; \
		int rc = youth_##P##_get(&x, g, id); \
		*o = x; \
		return rc; \
	} \
	static void P##_w_free(void *r) { youth_##P##_free((T *)r); }
#define REC_WRAP(T, P) \
	REC_WRAP_LIST(T, P) \
	REC_WRAP_ADD(T, P) \
	REC_WRAP_GET(T, P)
#define REC_WRAP_UPDATE(T, P) \
	static int P##_w_update(youth_registry *g, const void *r) \
	{ \
		return youth_##P##_update(g, (const T *)r); \
	}
/* Every wrapper of a kind that is added, shown, edited and listed: its iteration calls
 * youth_P_iter_new with @p ARGS (see REC_WRAP_ITER). */
#define REC_WRAP_EDITABLE(T, P, ARGS) \
	REC_WRAP(T, P) \
	REC_WRAP_UPDATE(T, P) \
	REC_WRAP_ITER(P##_w_iter, P, ARGS)
/* The iteration of rec_ops (filters a and b) named @p name, calling youth_P_iter_new with the
 * parenthesised @p ARGS, in which the new iterator is &x: REC_WRAP_ITER(x_iter, course, (&x,
 * reg)).  REC_WRAP_OWNER_ITER: the same for rec_section (the owner's id, @c owner). */
#define REC_WRAP_ITER(name, P, ARGS) \
	static int name(void **it, youth_registry *reg, int64_t a, int64_t b) \
	{ \
		youth_##P##_iter *x = NULL; \
		int rc = youth_##P##_iter_new ARGS; \
		(void)a; \
		(void)b; \
		*it = x; \
		return rc; \
	}
#define REC_WRAP_OWNER_ITER(name, P, ARGS) \
	static int name(void **it, youth_registry *reg, int64_t owner) \
	{ \
		youth_##P##_iter *x = NULL; \
		int rc = youth_##P##_iter_new ARGS; \
		*it = x; \
		return rc; \
	}

/* The members of a rec_ops that the wrappers of kind P give (REC_WRAP_LIST, REC_WRAP_GET):
 * read one, free it, iterate. */
#define REC_OPS_READ(P) \
	.get = P##_w_get, .free = P##_w_free, .next = P##_w_next, .iter_free = P##_w_iter_free

/* A command that is one call: REC_CMD(cmd_course_add, rec_cmd_add, &course_ops) defines
 * cmd_course_add() as rec_cmd_add(ctx, cmd, argc, argv, &course_ops). */
#define REC_CMD(name, fn, ...) \
	int name(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv) \
	{ \
		return fn(ctx, cmd, argc, argv, __VA_ARGS__); \
	}

/* add, show and edit of a kind K whose options are its fields: cmd_K_add, cmd_K_show and
 * cmd_K_edit over @p ops (its list has filters of its own). */
#define REC_CMDS_ADD_SHOW_EDIT(K, ops) \
	REC_CMD(cmd_##K##_add, rec_cmd_add, ops) \
	REC_CMD(cmd_##K##_show, rec_cmd_show, ops) \
	REC_CMD(cmd_##K##_edit, rec_cmd_edit, ops)

#endif
