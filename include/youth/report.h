/**
 * @file youth/report.h
 * @brief Indicator reports: the programme's figures from the records, disaggregated and safe to
 *        publish.
 *
 * A report counts *indicators* (docs/indicators.md: "youths counselled", "scholarships
 * awarded", "seed capital disbursed"...) over the registry, broken down by *dimensions* (a
 * gazetteer level, sex, age band, exchange, programme, fund window, course, month / quarter /
 * year), with every margin (the total over each dimension and over every combination of
 * them).  Disclosure control is applied inside the library before a caller sees a figure:
 * counts from 1 to k - 1 are suppressed, complementary cells are suppressed so that no
 * suppressed count can be recovered from the published cells and margins, and sums and
 * ratios resting on a suppressed count are suppressed too.  A suppressed cell keeps its place
 * in the report with a flag saying why; its value is never handed out.
 *
 * Indicators come from a built-in catalogue (youth_indicator_next()) or from a YAML file of the
 * user's (`format: libyouth/1`, an `indicators:` list; docs/indicators.md gives the language),
 * both read by the same parser.  A report only reads: the registry is never changed.
 *
 * The report object is immutable once built; its accessors return borrowed pointers valid
 * until youth_report_free().  Writers stream it as CSV, JSON, YAML or HTML.
 *
 * @code
 * youth_report_options o;
 * youth_report *r = NULL;
 * youth_report_options_init(&o);
 * o.indicators = "census,counselled,courses_completed";
 * o.by = "municipality,sex,age_band";
 * o.at = "2011-12-31";
 * if (youth_report_new(&r, reg, &o) == YOUTH_OK)
 *         youth_report_write_stream(stdout, r, YOUTH_REPORT_CSV, YOUTH_REPORT_BOM);
 * youth_report_free(r);
 * @endcode
 */
#ifndef YOUTH_REPORT_H
#define YOUTH_REPORT_H

#include <stdio.h>

#include "registry.h"
#include "interchange.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A built report (opaque); see youth_report_new(). */
typedef struct youth_report youth_report;

/** The default disclosure threshold: counts 1 to 4 are suppressed. */
#define YOUTH_REPORT_DEFAULT_K 5

/** What an indicator counts. */
typedef enum youth_indicator_type {
	YOUTH_INDICATOR_PERSONS = 1, /**< Distinct persons with at least one matching record. */
	YOUTH_INDICATOR_RECORDS = 2, /**< Matching records. */
	YOUTH_INDICATOR_SUM = 3,     /**< Sum of an amount over the matching records. */
	YOUTH_INDICATOR_RATIO = 4,   /**< One indicator divided by another, cell by cell. */
	YOUTH_INDICATOR_DIFFERENCE = 5 /**< One indicator minus another, cell by cell (a balance). */
} youth_indicator_type;

/** How a cell's value reads. */
typedef enum youth_indicator_unit {
	YOUTH_UNIT_COUNT = 1, /**< A whole number of persons or records. */
	YOUTH_UNIT_MONEY = 2, /**< Cents (written as dollars with two decimals, `1250.00`). */
	YOUTH_UNIT_RATIO = 3  /**< youth_report_cell.value / youth_report_cell.denominator. */
} youth_indicator_unit;

/** The published description of one indicator (static for built-ins; owned by the report for
 *  user-defined ones). */
typedef struct youth_indicator_info {
	const char *name;   /**< Identifier used in youth_report_options.indicators: `counselled`. */
	const char *label;  /**< Heading for people: `Youths counselled`. */
	const char *doc;    /**< The counting rule, one or two sentences; never NULL. */
	youth_indicator_type type; /**< What it counts. */
	youth_indicator_unit unit; /**< How its value reads. */
	/** The programme it reports on (`counselling`, `vocational`, `scholarship`, `seed_capital`,
	 *  `female_window`, see docs/rules.md), or NULL for the census. */
	const char *programme;
} youth_indicator_info;

/**
 * Walks the built-in indicators: the first with @p prev NULL, then the one after @p prev.
 * @return the next indicator, or NULL after the last (and for a @p prev not from this list).
 */
YOUTH_EXTERN(const youth_indicator_info *) youth_indicator_next(const youth_indicator_info *prev);

/** Flags of youth_report_options.flags (combine with `|`). */
enum youth_report_flags {
	/**
	 * Internal use: allows youth_report_options.k = 0 or 1 (nothing suppressed).  Without it
	 * such a k is refused.  Every writer then says so on its first line, and
	 * youth_report_internal() is 1.
	 */
	YOUTH_REPORT_INTERNAL = 1u << 0,
	/** Age bands by the age at each service's date instead of at youth_report_options.at
	 *  (the census indicator uses the census date). */
	YOUTH_REPORT_AGE_AT_SERVICE = 1u << 1
};

/** Current layout of youth_report_options (youth_report_options.version). */
#define YOUTH_REPORT_OPTIONS_VERSION 1

/**
 * What to report.  Fill it with youth_report_options_init() and change what you need: the
 * library reads only the members that existed in the `version` the caller was compiled
 * with, so a program built against an older header keeps working with a newer library.
 * Strings are borrowed for the duration of youth_report_new().
 */
typedef struct youth_report_options {
	/** #YOUTH_REPORT_OPTIONS_VERSION when the struct was filled (set by
	 *  youth_report_options_init()); 0 or a version the library does not know is refused. */
	unsigned version;
	/** sizeof(youth_report_options) as the caller saw it (set by youth_report_options_init()). */
	size_t size;
	/**
	 * Indicator names separated by commas (`"census,counselled"`), in the order of the report's
	 * columns; the names of @ref definitions come first, then the built-ins.  NULL: every
	 * indicator of @ref definitions when definitions are given, else every built-in one.
	 */
	const char *indicators;
	/**
	 * Dimensions separated by commas, outermost first (`"municipality,sex,age_band"`); NULL
	 * or "" for one row of totals.  A gazetteer level by its name or either of its labels
	 * (`department`, `municipality`, `district`, `community`, `municipality (before 2024)`),
	 * `sex`, `age_band`,
	 * `exchange`, `programme`, `window`, `course`, `month`, `quarter`, `year`.  Several place
	 * levels joined by `>`, from the top down (`"municipality>district>community"`), are ONE
	 * hierarchical dimension: a row for every place of each level, each group before its parts
	 * (youth_report_category_parent(), youth_report_category_level()), protected as one table in
	 * which every group is the sum of its parts (docs/indicators.md).
	 */
	const char *by;
	/** Only records dated from / to these days, inclusive (`YYYY-MM-DD`; NULL = open).
	 *  Persons are dated by their census date, services by the date docs/indicators.md gives
	 *  each indicator.  @{ */
	const char *from, *to;
	/** @} */
	/** Reference date of ages (`YYYY-MM-DD`); NULL: `to` when given, else today (UTC). */
	const char *at;
	/** Only persons living in this place or below it (any form youth_place_get() takes). */
	const char *place;
	/** Only persons of this census round (NULL = every round). */
	const char *census_round;
	/**
	 * Age bands `"16-17,18-20,21-24"` (the default, NULL): disjoint ranges of whole years in
	 * increasing order; ages outside every band fall in a last band `other`.
	 */
	const char *age_bands;
	/** Disclosure threshold: counts 1 .. k-1 are suppressed; #YOUTH_REPORT_DEFAULT_K after
	 *  youth_report_options_init().  0 or 1 (nothing suppressed) needs
	 *  #YOUTH_REPORT_INTERNAL; negative is refused. */
	int64_t k;
	/** #youth_report_flags. */
	unsigned flags;
	/** A file of indicator definitions (docs/indicators.md), or NULL. */
	const char *definitions_path;
	/** The same held in memory (used when @ref definitions_path is NULL), or NULL. */
	const char *definitions;
	/** Length of @ref definitions in bytes. */
	size_t definitions_size;
} youth_report_options;

/** Sets @p o to the defaults: current version and size, k = 5, everything else zero / NULL. */
YOUTH_EXTERN(void) youth_report_options_init(youth_report_options *o);

/**
 * Builds a report: counts every indicator in every cell of the dimensions' lattice (margins
 * included), then applies disclosure control.  Reads the registry in one read transaction and
 * changes nothing.
 *
 * @param[out] out the report, released with youth_report_free(); NULL on failure.
 * @param options NULL for the defaults of youth_report_options_init().
 * @return #YOUTH_OK; #YOUTH_EINVAL (NULL argument, unknown indicator or dimension, a
 *         dimension given twice, bad date, bad age bands, k < 0, k = 0 without
 *         #YOUTH_REPORT_INTERNAL, unknown options version; the message names the option and
 *         the value); #YOUTH_ENOTFOUND (place, definitions file); #YOUTH_EPARSE /
 *         #YOUTH_EINVAL (a bad definition: file, line, column and the problem);
 *         #YOUTH_ELIMIT (a definitions file beyond the hostile-input limits, a lattice of
 *         more than 10 million cells, or a record key beyond 2^31 in a crafted registry);
 *         #YOUTH_ENOMEM; I/O codes.
 */
YOUTH_EXTERN(int) youth_report_new(youth_report **out, youth_registry *reg,
                                   const youth_report_options *options);

/** Frees a report.  NULL-safe; may be called after the registry is closed. */
YOUTH_EXTERN(void) youth_report_free(youth_report *report);

/**
 * Checks a file of indicator definitions without a registry.
 * @param[out] count number of indicators defined (may be NULL).
 * @return #YOUTH_OK or the errors of youth_report_new() for definitions.
 */
YOUTH_EXTERN(int) youth_indicators_check(size_t *count, const char *path);

/* ---- the report object ----------------------------------------------------------------- */

/** Why a cell is not shown, or how to read it (youth_report_cell.flags). */
enum youth_cell_flags {
	/** A count from 1 to k - 1. */
	YOUTH_CELL_PRIMARY = 1u << 0,
	/** Suppressed so that a primary cell cannot be recovered from the margins. */
	YOUTH_CELL_COMPLEMENT = 1u << 1,
	/** A sum or ratio whose underlying count is suppressed. */
	YOUTH_CELL_DERIVED = 1u << 2,
	/** A ratio with a zero denominator: no value. */
	YOUTH_CELL_UNDEFINED = 1u << 3,
	/** The indicator does not vary along a dimension of this cell (the census by course): only
	 *  the margin over that dimension has a value, this cell has none. */
	YOUTH_CELL_NOT_APPLICABLE = 1u << 4
};

/** Any suppression flag. */
#define YOUTH_CELL_SUPPRESSED (YOUTH_CELL_PRIMARY | YOUTH_CELL_COMPLEMENT | YOUTH_CELL_DERIVED)

/** One figure of a report. */
typedef struct youth_report_cell {
	/** The count, the amount in cents, or a ratio's numerator.  0 when any flag is set: a
	 *  suppressed value is never handed out, and must be shown as suppressed, not as 0. */
	int64_t value;
	/** For #YOUTH_UNIT_RATIO the denominator; 1 for the other units; 0 whenever a flag is
	 *  set. */
	int64_t denominator;
	/** #youth_cell_flags. */
	unsigned flags;
} youth_report_cell;

/** Number of dimensions (0 for a report of totals only). */
YOUTH_EXTERN(size_t) youth_report_dimension_count(const youth_report *report);

/**
 * The name of dimension @p dim as the caller wrote it resolved to its canonical form
 * (`municipality`, `sex`, `age_band`, `quarter`...), or NULL when @p dim is out of range.
 */
YOUTH_EXTERN(const char *) youth_report_dimension_name(const youth_report *report, size_t dim);

/**
 * The heading of dimension @p dim for people: a gazetteer level's label as the registry
 * gives it (`municipality (before 2024)` when the caller asked for that label), else the name.
 * NULL when @p dim is out of range.
 */
YOUTH_EXTERN(const char *) youth_report_dimension_label(const youth_report *report, size_t dim);

/**
 * Number of categories of dimension @p dim, not counting its margin (0 when out of range).
 * Category index youth_report_category_count() itself is the margin ("Total").
 */
YOUTH_EXTERN(size_t) youth_report_category_count(const youth_report *report, size_t dim);

/**
 * Reads category @p cat of dimension @p dim.
 * @param[out] label heading for people (`Sonsonate`, `female`, `18-20`, `2009-Q3`, `Total`).
 * @param[out] key stable identifier (a place's path, a course's or exchange's code, the
 *             label for the others; `total` for the margin; "" for the category of persons
 *             registered above a place level, labelled `(no <level>)`).  May be NULL.
 * @return #YOUTH_OK; #YOUTH_EINVAL when @p report is NULL or an index is out of range.
 */
YOUTH_EXTERN(int) youth_report_category(const char **label, const char **key,
                                        const youth_report *report, size_t dim, size_t cat);

/**
 * Along a hierarchical place dimension (`municipality>district>community` in
 * youth_report_options.by), the category that category @p cat is a part of: a district's
 * municipality, a community's district.  Groups come before their parts, so the parent's index
 * is lower.
 * @return the parent category; youth_report_category_count() (the margin) for a category of
 *         the top level and for every category of a flat dimension; SIZE_MAX when @p report is
 *         NULL or an index is out of range (the margin included).
 */
YOUTH_EXTERN(size_t) youth_report_category_parent(const youth_report *report, size_t dim,
                                                  size_t cat);

/**
 * The gazetteer level (#YOUTH_PLACE_MUNICIPALITY...) of category @p cat of a place dimension:
 * the place's level; for the category `(no district)` of the persons recorded above a level,
 * that level.  0 for the margin, for a dimension that is not of places, and when out of range.
 */
YOUTH_EXTERN(int) youth_report_category_level(const youth_report *report, size_t dim,
                                              size_t cat);

/** Number of indicators (columns of figures). */
YOUTH_EXTERN(size_t) youth_report_indicator_count(const youth_report *report);

/** The description of indicator @p i, or NULL when out of range.  Borrowed from the report. */
YOUTH_EXTERN(const youth_indicator_info *) youth_report_indicator(const youth_report *report,
                                                                  size_t i);

/**
 * Number of rows: the product over the dimensions of (categories + 1), every margin
 * included.  Rows run in row-major order, the last dimension fastest, each dimension's margin
 * after its categories; the last row is the grand total.
 */
YOUTH_EXTERN(size_t) youth_report_row_count(const youth_report *report);

/**
 * The category of dimension @p dim in row @p row (youth_report_category_count() for the
 * margin).
 * @return #YOUTH_OK; #YOUTH_EINVAL when an argument is NULL or out of range.
 */
YOUTH_EXTERN(int) youth_report_row_category(size_t *out, const youth_report *report, size_t row,
                                            size_t dim);

/**
 * The cell of indicator @p indicator in row @p row.
 * @param[out] out borrowed from the report.
 * @return #YOUTH_OK; #YOUTH_EINVAL when an argument is NULL or out of range.
 */
YOUTH_EXTERN(int) youth_report_cell_get(const youth_report_cell **out, const youth_report *report,
                                        size_t row, size_t indicator);

/**
 * Formats a cell's value as the writers do: a count in digits, money as dollars with two
 * decimals, a ratio as a decimal fraction rounded to four places (`0.8889`); "" for a cell
 * with any flag.  @p buf must hold at least 32 bytes.
 * @return #YOUTH_OK; #YOUTH_EINVAL (NULL argument, small buffer, indexes out of range).
 */
YOUTH_EXTERN(int) youth_report_cell_text(char *buf, size_t size, const youth_report *report,
                                         size_t row, size_t indicator);

/** The threshold applied (0 for an internal report). */
YOUTH_EXTERN(int64_t) youth_report_k(const youth_report *report);

/** 1 for an internal report (k = 0 or 1, with #YOUTH_REPORT_INTERNAL), else 0. */
YOUTH_EXTERN(int) youth_report_internal(const youth_report *report);

/** The reference date of ages (`YYYY-MM-DD`), borrowed; NULL when @p report is NULL. */
YOUTH_EXTERN(const char *) youth_report_at(const youth_report *report);

/* ---- writers ----------------------------------------------------------------------------- */

/** Output formats of the writers. */
typedef enum youth_report_format {
	YOUTH_REPORT_CSV = 1,  /**< One row per report row; RFC 4180 quoting; UTF-8. */
	YOUTH_REPORT_JSON = 2, /**< One object: dimensions, indicators, rows of cells. */
	YOUTH_REPORT_YAML = 3, /**< The same as JSON, in YAML. */
	YOUTH_REPORT_HTML = 4  /**< One self-contained page (table and inline SVG charts). */
} youth_report_format;

/** Flags of the writers (combine with `|`). */
enum youth_report_write_flags {
	/** CSV: begin with a UTF-8 byte order mark, which spreadsheets need to read UTF-8. */
	YOUTH_REPORT_BOM = 1u << 0,
	/** Leave out the rows whose figures are all 0 (suppressed rows are always kept). */
	YOUTH_REPORT_SKIP_EMPTY = 1u << 1
};

/**
 * Writes @p report in @p format, handing the text to @p write in pieces (rows are formatted
 * one at a time: memory does not grow with the report).  Suppressed cells are written as
 * such (CSV: `suppressed`, `undefined`, `n/a`; JSON/YAML: a null value and a `flag`), never
 * as 0.  An internal report says so on the first line.  CSV cells that a spreadsheet would
 * take for a formula (beginning with `=`, `+`, `-`, `@`, tab or carriage return) are prefixed
 * with `'`.
 *
 * @return #YOUTH_OK; #YOUTH_EINVAL (NULL argument, unknown format or flag); #YOUTH_EIO when
 *         @p write fails; #YOUTH_ENOMEM.
 */
YOUTH_EXTERN(int) youth_report_write(youth_write_fn write, void *ctx, const youth_report *report,
                                     youth_report_format format, unsigned flags);

/** Same as youth_report_write() to an open stream (not closed). */
YOUTH_EXTERN(int) youth_report_write_stream(FILE *stream, const youth_report *report,
                                            youth_report_format format, unsigned flags);

/**
 * Same as youth_report_write() to a new file at @p path, written next to it and renamed into
 * place once complete (a failed write leaves no partial file).
 * @return as youth_report_write(), and #YOUTH_EIO when the file cannot be created.
 */
YOUTH_EXTERN(int) youth_report_write_file(const char *path, const youth_report *report,
                                          youth_report_format format, unsigned flags);

#ifdef __cplusplus
}
#endif
#endif
