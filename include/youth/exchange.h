/**
 * @file youth/exchange.h
 * @brief Municipal employment exchanges (sites), their operators, and employers.
 *
 * Every service record names the exchange and the operator that recorded it.  Records follow
 * the conventions of youth/person.h: plain structs whose string members are borrowed on input;
 * records returned by a get are one block freed with the matching `_free`; records returned by
 * an iterator are valid until the next call.  `_set_field`/`_get_field`/`_field_name` give the
 * text interface used by the CLI, YAML files and Python.
 */
#ifndef YOUTH_EXCHANGE_H
#define YOUTH_EXCHANGE_H

#include "registry.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A municipal employment exchange (bolsa de empleo). */
typedef struct youth_exchange {
	int64_t id;                    /**< Set by add. */
	char uuid[YOUTH_UUID_LEN + 1]; /**< Generated when empty. */
	const char *code;              /**< Required, unique: 1-16 letters, digits, '-', '_'. */
	const char *name;              /**< Required, 1-80 bytes. */
	const char *place;             /**< Required gazetteer place (usually a district). */
	const char *opened_date;       /**< Optional `YYYY-MM-DD`. */
} youth_exchange;

/** Roles of an operator. */
typedef enum youth_operator_role {
	YOUTH_ROLE_UNSET = 0,
	YOUTH_ROLE_COUNSELLOR = 1,  /**< Career guidance and life skills. */
	YOUTH_ROLE_INTAKE = 2,      /**< Registration and census. */
	YOUTH_ROLE_PLACEMENT = 3,   /**< Employer relations, first-work scholarships. */
	YOUTH_ROLE_COORDINATOR = 4  /**< Runs the exchange. */
} youth_operator_role;

/** A person working at an exchange who records services. */
typedef struct youth_operator {
	int64_t id;                    /**< Set by add. */
	char uuid[YOUTH_UUID_LEN + 1]; /**< Generated when empty; never changes. */
	int64_t exchange_id;        /**< Required: the exchange the operator works at. */
	const char *given_names;    /**< Required. */
	const char *first_surname;  /**< Required. */
	const char *second_surname; /**< Optional. */
	int role;                   /**< Required #youth_operator_role. */
	const char *phone;          /**< Optional, as for persons. */
	int active;                 /**< 1 while the operator may record services. */
} youth_operator;

/** An employer offering first jobs. */
typedef struct youth_employer {
	int64_t id;                    /**< Set by add. */
	char uuid[YOUTH_UUID_LEN + 1]; /**< Generated when empty; never changes. */
	const char *name;         /**< Required, 1-120 bytes; unique together with the NIT. */
	const char *sector;       /**< Optional free text ("retail", "hotels and restaurants"). */
	const char *nit;          /**< Optional tax id `NNNN-NNNNNN-NNN-N`; unique when given. */
	const char *place;        /**< Optional gazetteer place. */
	const char *contact_name; /**< Optional. */
	const char *phone;        /**< Optional, as for persons. */
	const char *email;        /**< Optional, must contain one '@'. */
} youth_employer;

/** Iterator (opaque); see youth_exchange_iter_new(), freed by youth_exchange_iter_free(). */
typedef struct youth_exchange_iter youth_exchange_iter;
/** Iterator (opaque); see youth_operator_iter_new(), freed by youth_operator_iter_free(). */
typedef struct youth_operator_iter youth_operator_iter;
/** Iterator (opaque); see youth_employer_iter_new(), freed by youth_employer_iter_free(). */
typedef struct youth_employer_iter youth_employer_iter;

/** Zeroes @p e.  Call before filling a new record. */
YOUTH_EXTERN(void) youth_exchange_init(youth_exchange *e);
/**
 * Validates and stores an exchange; sets `id` and (if empty) `uuid`.
 * @return #YOUTH_OK, #YOUTH_EINVAL, #YOUTH_ENOTFOUND (place), #YOUTH_EEXISTS (code or uuid).
 */
YOUTH_EXTERN(int) youth_exchange_add(youth_registry *reg, youth_exchange *e);
/**
 * Replaces the fields of exchange `e->id` (code, name, place, opened date).  Services keep
 * referring to the exchange by id, so they follow a new code or name.  The uuid never changes.
 * @return #YOUTH_OK, #YOUTH_EINVAL (a field; a different uuid), #YOUTH_ENOTFOUND (the
 *         exchange, the place), #YOUTH_EEXISTS (code used by another exchange).
 */
YOUTH_EXTERN(int) youth_exchange_update(youth_registry *reg, const youth_exchange *e);
/** Reads an exchange by id; free with youth_exchange_free().  #YOUTH_ENOTFOUND if none. */
YOUTH_EXTERN(int) youth_exchange_get(youth_exchange **out, youth_registry *reg, int64_t id);
/** Reads an exchange by its code. */
YOUTH_EXTERN(int) youth_exchange_get_by_code(youth_exchange **out, youth_registry *reg,
                                             const char *code);
/** Frees a record returned by a get.  NULL-safe. */
YOUTH_EXTERN(void) youth_exchange_free(youth_exchange *e);
/** Iterates over all exchanges in code order. */
YOUTH_EXTERN(int) youth_exchange_iter_new(youth_exchange_iter **out, youth_registry *reg);
/** Next exchange (owned by the iterator) or #YOUTH_ITEROVER (latched). */
YOUTH_EXTERN(int) youth_exchange_next(const youth_exchange **out, youth_exchange_iter *it);
/** Frees the iterator.  NULL-safe. */
YOUTH_EXTERN(void) youth_exchange_iter_free(youth_exchange_iter *it);
/** Sets a field from text by name (see youth_person_set_field()). */
YOUTH_EXTERN(int) youth_exchange_set_field(youth_exchange *e, const char *field, const char *text);
/** Gets a field as text by name (see youth_person_get_field()). */
YOUTH_EXTERN(int) youth_exchange_get_field(const char **out, const youth_exchange *e,
                                           const char *field, char *buf, size_t size);
/** Field names in canonical order, then NULL. */
YOUTH_EXTERN(const char *) youth_exchange_field_name(size_t index);

/** Zeroes @p o and sets `active` to 1. */
YOUTH_EXTERN(void) youth_operator_init(youth_operator *o);
/**
 * Validates and stores an operator.
 * @return #YOUTH_OK, #YOUTH_EINVAL, #YOUTH_ENOTFOUND (exchange), #YOUTH_EEXISTS (uuid).
 */
YOUTH_EXTERN(int) youth_operator_add(youth_registry *reg, youth_operator *o);
/** Replaces the fields of operator `o->id` (e.g. to deactivate one). */
YOUTH_EXTERN(int) youth_operator_update(youth_registry *reg, const youth_operator *o);
/** Reads an operator by id. */
YOUTH_EXTERN(int) youth_operator_get(youth_operator **out, youth_registry *reg, int64_t id);
/** Frees a record returned by a get.  NULL-safe. */
YOUTH_EXTERN(void) youth_operator_free(youth_operator *o);
/** Iterates over operators of one exchange (0 for all), in id order. */
YOUTH_EXTERN(int) youth_operator_iter_new(youth_operator_iter **out, youth_registry *reg,
                                          int64_t exchange_id);
/** Next operator or #YOUTH_ITEROVER. */
YOUTH_EXTERN(int) youth_operator_next(const youth_operator **out, youth_operator_iter *it);
/** Frees the iterator.  NULL-safe. */
YOUTH_EXTERN(void) youth_operator_iter_free(youth_operator_iter *it);
/** Sets a field from text by name. */
YOUTH_EXTERN(int) youth_operator_set_field(youth_operator *o, const char *field, const char *text);
/** Gets a field as text by name. */
YOUTH_EXTERN(int) youth_operator_get_field(const char **out, const youth_operator *o,
                                           const char *field, char *buf, size_t size);
/** Field names in canonical order, then NULL. */
YOUTH_EXTERN(const char *) youth_operator_field_name(size_t index);
/** "counsellor", "intake", "placement", "coordinator", or NULL. */
YOUTH_EXTERN(const char *) youth_operator_role_name(int role);

/** Zeroes @p e. */
YOUTH_EXTERN(void) youth_employer_init(youth_employer *e);
/**
 * Validates and stores an employer.
 * @return #YOUTH_OK, #YOUTH_EINVAL (e.g. malformed NIT), #YOUTH_ENOTFOUND (place),
 *         #YOUTH_EEXISTS (NIT or uuid already registered).
 */
YOUTH_EXTERN(int) youth_employer_add(youth_registry *reg, youth_employer *e);
/** Replaces the fields of employer `e->id`. */
YOUTH_EXTERN(int) youth_employer_update(youth_registry *reg, const youth_employer *e);
/** Reads an employer by id. */
YOUTH_EXTERN(int) youth_employer_get(youth_employer **out, youth_registry *reg, int64_t id);
/** Frees a record returned by a get.  NULL-safe. */
YOUTH_EXTERN(void) youth_employer_free(youth_employer *e);
/** Iterates over employers in name order. */
YOUTH_EXTERN(int) youth_employer_iter_new(youth_employer_iter **out, youth_registry *reg);
/** Next employer or #YOUTH_ITEROVER. */
YOUTH_EXTERN(int) youth_employer_next(const youth_employer **out, youth_employer_iter *it);
/** Frees the iterator.  NULL-safe. */
YOUTH_EXTERN(void) youth_employer_iter_free(youth_employer_iter *it);
/** Sets a field from text by name. */
YOUTH_EXTERN(int) youth_employer_set_field(youth_employer *e, const char *field, const char *text);
/** Gets a field as text by name. */
YOUTH_EXTERN(int) youth_employer_get_field(const char **out, const youth_employer *e,
                                           const char *field, char *buf, size_t size);
/** Field names in canonical order, then NULL. */
YOUTH_EXTERN(const char *) youth_employer_field_name(size_t index);

/**
 * Checks the shape of a Salvadoran NIT `NNNN-NNNNNN-NNN-N`.
 * @return #YOUTH_OK or #YOUTH_EINVAL naming the rule.
 */
YOUTH_EXTERN(int) youth_nit_check(const char *nit);

#ifdef __cplusplus
}
#endif
#endif
