/**
 * @file youth/organisation.h
 * @brief Organisations whose operators record work: municipal exchanges, CONAMYPE, its
 *        women's entrepreneurship centres, training providers.
 *
 * A municipal employment exchange is one type of organisation: every exchange is also an
 * organisation (same id, uuid and code), and youth/exchange.h reads and writes the exchanges
 * alone.  An operator belongs to one organisation (youth_operator.exchange_id, a historical
 * name: the field holds the organisation's id), and every record an operator makes names that
 * organisation in its read-only `exchange_id`.  So CONAMYPE's operators record the groups,
 * plans, appraisals, disbursements and visits of the female entrepreneurship window under
 * CONAMYPE (or one of its centres) without being operators of a municipal exchange.
 * docs/organisations.md explains the choice.  Records follow the conventions of
 * youth/person.h.
 */
#ifndef YOUTH_ORGANISATION_H
#define YOUTH_ORGANISATION_H

#include "registry.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Types of organisation. */
typedef enum youth_organisation_type {
	YOUTH_ORG_UNSET = 0,
	YOUTH_ORG_EXCHANGE = 1, /**< A municipal employment exchange (bolsa de empleo). */
	YOUTH_ORG_CONAMYPE = 2, /**< The national commission for micro and small enterprises. */
	YOUTH_ORG_CENTRE = 3,   /**< A women's entrepreneurship centre ("Ciudad Mujer"). */
	YOUTH_ORG_TRAINING = 4  /**< A training provider. */
} youth_organisation_type;

/** An organisation whose operators record work. */
typedef struct youth_organisation {
	int64_t id;                    /**< Set by add; an exchange's organisation has its id. */
	char uuid[YOUTH_UUID_LEN + 1]; /**< Generated when empty. */
	const char *code;              /**< Required, unique among all organisations: 1-16 letters,
	                                    digits, '-', '_'. */
	const char *name;              /**< Required, 1-80 bytes. */
	int type;                      /**< Required #youth_organisation_type; never changes. */
	int64_t parent_id;             /**< Optional: the organisation it belongs to (0: none). */
	const char *place;             /**< Required gazetteer place of its office. */
	const char *opened_date;       /**< Optional `YYYY-MM-DD`. */
} youth_organisation;

/** Iterator over organisations (youth_organisation_iter_new()). */
typedef struct youth_organisation_iter youth_organisation_iter;

/** The name of type @p type ("exchange", "conamype", "centre", "training_provider"), or NULL. */
YOUTH_EXTERN(const char *) youth_organisation_type_name(int type);
/** Zeroes @p o.  Call before filling a new record. */
YOUTH_EXTERN(void) youth_organisation_init(youth_organisation *o);
/**
 * Validates and stores an organisation; sets `id` and (if empty) `uuid`.  An organisation of
 * type exchange is a municipal exchange (youth_exchange_get() finds it).
 * @return #YOUTH_OK, #YOUTH_EINVAL (a field), #YOUTH_ENOTFOUND (place, parent),
 *         #YOUTH_EEXISTS (code or uuid).
 */
YOUTH_EXTERN(int) youth_organisation_add(youth_registry *reg, youth_organisation *o);
/**
 * Replaces the fields of organisation `o->id` (code, name, parent, place, opened date).  Its
 * type and uuid never change.
 * @return #YOUTH_OK, #YOUTH_EINVAL (a field, a new type or uuid), #YOUTH_ENOTFOUND (the
 *         organisation, its place or parent), #YOUTH_EEXISTS (code used by another one).
 */
YOUTH_EXTERN(int) youth_organisation_update(youth_registry *reg, const youth_organisation *o);
/** Reads an organisation (of any type) by id; free with youth_organisation_free().
 *  #YOUTH_ENOTFOUND if none. */
YOUTH_EXTERN(int) youth_organisation_get(youth_organisation **out, youth_registry *reg,
                                         int64_t id);
/** Reads an organisation by its code.  #YOUTH_ENOTFOUND if none. */
YOUTH_EXTERN(int) youth_organisation_get_by_code(youth_organisation **out, youth_registry *reg,
                                                 const char *code);
/** Frees a record returned by a get.  NULL-safe. */
YOUTH_EXTERN(void) youth_organisation_free(youth_organisation *o);
/**
 * Iterates over the organisations of type @p type (0: every type) in code order.
 * @return #YOUTH_OK, #YOUTH_EINVAL (@p type not a #youth_organisation_type).
 */
YOUTH_EXTERN(int) youth_organisation_iter_new(youth_organisation_iter **out, youth_registry *reg,
                                              int type);
/** Next organisation (owned by the iterator) or #YOUTH_ITEROVER (latched). */
YOUTH_EXTERN(int) youth_organisation_next(const youth_organisation **out,
                                          youth_organisation_iter *it);
/** Frees the iterator.  NULL-safe. */
YOUTH_EXTERN(void) youth_organisation_iter_free(youth_organisation_iter *it);
/** Sets a field from text by name (see youth_person_set_field()). */
YOUTH_EXTERN(int) youth_organisation_set_field(youth_organisation *o, const char *field,
                                               const char *text);
/** Gets a field as text by name (see youth_person_get_field()). */
YOUTH_EXTERN(int) youth_organisation_get_field(const char **out, const youth_organisation *o,
                                               const char *field, char *buf, size_t size);
/** Field names in canonical order, then NULL. */
YOUTH_EXTERN(const char *) youth_organisation_field_name(size_t index);

/**
 * Finds the record of kind @p kind (a name of the published description: "operator",
 * "group", "plan", "counselling_session", "employer"...) that @p key names: its id (decimal
 * digits), its UUID, or its code or natural key where the kind has one (an exchange's,
 * organisation's, course's or cohort's code, a person's national ID, an employer's NIT, a
 * group's name when no other group has it).  Sets *@p id.  Every front end that takes a record
 * from a user's text uses it, so that a mistyped key is refused instead of naming another
 * record.
 * @return #YOUTH_OK, #YOUTH_ENOTFOUND ("operator 99: no such operator", naming the key),
 *         #YOUTH_EINVAL (NULL or empty key, a kind without records), #YOUTH_EEXISTS (a name
 *         shared by several records).
 */
YOUTH_EXTERN(int) youth_record_lookup(int64_t *id, youth_registry *reg, const char *kind,
                                      const char *key);

#ifdef __cplusplus
}
#endif

#endif
