/**
 * @file youth/gazetteer.h
 * @brief Geography as data: department -> municipality -> district -> community.
 *
 * Places form a tree loaded from YAML (see docs/gazetteer.md).  Each place has a *path*: the
 * slugs of its ancestors and itself joined by '/', e.g.
 * `sonsonate/sonsonate-centro/sonzacate/santa-eugenia`.  Wherever a function takes a place, it
 * accepts the full path, the same path written with names ("Sonsonate/Sonsonate Centro/..."),
 * or any trailing part of a path that names exactly one place ("Santa Eugenia",
 * "sonzacate/el-sauce"), optionally after a level and ':' ("district:Sonsonate",
 * "department:Sonsonate"; a label of the level works too).  Matching ignores accents and case.
 * Text that names several places, at one level or at several (the department "sonsonate" and
 * the district "sonsonate/sonsonate-centro/sonsonate"), is refused with the candidates.
 */
#ifndef YOUTH_GAZETTEER_H
#define YOUTH_GAZETTEER_H

#include "registry.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Levels of the place tree (El Salvador after the 2024 municipal reorganisation). */
typedef enum youth_place_level {
	YOUTH_PLACE_DEPARTMENT = 1,   /**< Departamento (14 in El Salvador). */
	YOUTH_PLACE_MUNICIPALITY = 2, /**< Municipio (44 since 2024). */
	YOUTH_PLACE_DISTRICT = 3,     /**< Distrito (the 262 former municipalities). */
	YOUTH_PLACE_COMMUNITY = 4     /**< Community, neighbourhood or critical area. */
} youth_place_level;

/** A place of the gazetteer. */
typedef struct youth_place {
	int64_t id;                     /**< Integer key within this registry. */
	char uuid[YOUTH_UUID_LEN + 1];  /**< Globally unique id. */
	const char *path;               /**< Canonical slug path. */
	const char *name;               /**< Name as written in the gazetteer ("Santa Eugenia"). */
	int level;                      /**< One of #youth_place_level. */
	int critical;                   /**< 1 for a critical area of the programme. */
} youth_place;

/** Iterator over places; see youth_place_iter_new(). */
typedef struct youth_place_iter youth_place_iter;

/**
 * Loads a gazetteer YAML file and adds the places it names that the registry lacks.
 *
 * Loading is idempotent: places already present (same path) are kept, so a gazetteer can be
 * extended by loading a larger file.  All or nothing: on any error nothing is added.  The file is
 * read as a stream of libyaml events with the hostile-input limits of docs/format.md (no aliases,
 * no tags, bounded depth and scalar length).
 *
 * @param[out] added number of places added (may be NULL).
 * @return #YOUTH_OK; #YOUTH_ENOTFOUND/#YOUTH_EIO (file); #YOUTH_EPARSE (malformed YAML, with
 *         line and column); #YOUTH_EINVAL (a place breaks a rule); #YOUTH_ELIMIT; #YOUTH_ENOMEM.
 */
YOUTH_EXTERN(int) youth_gazetteer_load(int64_t *added, youth_registry *reg, const char *path);

/**
 * Same as youth_gazetteer_load() on a YAML document held in memory.
 * @param name shown in error messages in place of a file name (may be NULL).
 */
YOUTH_EXTERN(int) youth_gazetteer_load_buffer(int64_t *added, youth_registry *reg, const char *data,
                                              size_t size, const char *name);

/**
 * Adds one place under @p parent (NULL for a department).  The level is the parent's plus one.
 *
 * @param[out] id the new place's id (may be NULL).
 * @return #YOUTH_OK; #YOUTH_ENOTFOUND (parent); #YOUTH_EEXISTS (same name under that parent);
 *         #YOUTH_EINVAL (empty name, or a community's child).
 */
YOUTH_EXTERN(int) youth_place_add(int64_t *id, youth_registry *reg, const char *parent,
                                  const char *name, int critical);

/**
 * Finds a place by full path, path of names, or unambiguous trailing part of a path.
 *
 * @param[out] out a new place, released with youth_place_free().
 * @return #YOUTH_OK; #YOUTH_ENOTFOUND; #YOUTH_EINVAL when the text matches several places,
 *         at one level or at several (the message lists each with its level), or names an
 *         unknown level before ':'.
 */
YOUTH_EXTERN(int) youth_place_get(youth_place **out, youth_registry *reg, const char *place);

/** Frees a place returned by youth_place_get().  NULL-safe. */
YOUTH_EXTERN(void) youth_place_free(youth_place *place);

/**
 * Iterates over places in path order.
 *
 * @param under only this place and its descendants (NULL for all).
 * @param level only places of this #youth_place_level (0 for all levels).
 */
YOUTH_EXTERN(int) youth_place_iter_new(youth_place_iter **out, youth_registry *reg,
                                       const char *under, int level);

/**
 * Advances the iterator.
 * @param[out] out the next place, owned by the iterator and valid until the next call.
 * @return #YOUTH_OK, #YOUTH_ITEROVER when done (and on every later call), or an error.
 */
YOUTH_EXTERN(int) youth_place_next(const youth_place **out, youth_place_iter *it);

/** Frees an iterator.  NULL-safe. */
YOUTH_EXTERN(void) youth_place_iter_free(youth_place_iter *it);

/**
 * Returns "department", "municipality", "district", "community", or NULL.  These fixed names
 * are the API's; a registry may also give each level labels (youth_place_level_label()).
 */
YOUTH_EXTERN(const char *) youth_place_level_name(int level);

/**
 * Reads a label of a level, as the gazetteer file (`levels:`) or
 * youth_place_level_set_labels() gave it.
 *
 * @param[out] out a new string released with youth_free(): with @p alternative 0 the level's
 *             label (its name, youth_place_level_name(), when none was given); with 1 its second
 *             label ("municipality (before 2024)"), NULL when it has none.
 * @return #YOUTH_OK; #YOUTH_EINVAL (not a level 1-4); #YOUTH_ENOMEM.
 */
YOUTH_EXTERN(int) youth_place_level_label(char **out, youth_registry *reg, int level,
                                          int alternative);

/**
 * Gives a level its label and second label (NULL: the level's name, and no second label).
 *
 * Every name and label must name one level only, compared as place names are (accents, case
 * and punctuation ignored), and may not contain ':' (the separator of "district:Sonsonate").
 *
 * @return #YOUTH_OK; #YOUTH_EINVAL (not a level, a bad label or one another level already
 *         has); #YOUTH_EREADONLY and the other write errors.
 */
YOUTH_EXTERN(int) youth_place_level_set_labels(youth_registry *reg, int level, const char *label,
                                               const char *alt_label);

/**
 * Finds the level a name or a label names ("district", "Municipality (before 2024)").
 *
 * @param[out] out one of #youth_place_level (0 on failure).
 * @return #YOUTH_OK; #YOUTH_ENOTFOUND when no level has that name or label.
 */
YOUTH_EXTERN(int) youth_place_level_find(int *out, youth_registry *reg, const char *text);

#ifdef __cplusplus
}
#endif
#endif
