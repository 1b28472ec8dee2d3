/**
 * @file youth/enterprise.h
 * @brief Seed-capital business plans, groups of applicants, and the female entrepreneurship
 *        window (CONAMYPE) with its business-development services.
 *
 * A **plan** is submitted to one of two windows (youth seed capital, or the female
 * entrepreneurship window) by exactly one applicant: one youth (`person_id`) or one **group**
 * (`group_id`) whose members are persons.  Plan states:
 *
 *     draft --> submitted --> appraised --> approved --> funded --> operating --> closed
 *                                 |                          |                      ^
 *                                 +--> rejected              +----------------------+
 *
 * rejected and closed are final.  Each step has its own function (youth_plan_submit(),
 * youth_plan_appraise(), youth_plan_approve(), youth_plan_reject(), youth_plan_set_operating(),
 * youth_plan_close()); `funded` is entered only by the first disbursement
 * (youth_plan_disbursement_add()), and a follow-up visit that finds a funded business operating
 * moves the plan to `operating`.  An invalid transition is #YOUTH_ESTATE naming the current
 * state, the requested one and the allowed ones, and writes nothing.  State dates never go
 * backwards.
 *
 * Money is an integer number of cents (`int64_t`); the text interface takes "125.50".
 * Conventions as in youth/exchange.h: plain structs with borrowed strings on input, records
 * returned by a get are one block freed by the matching `_free`, iterator records live until
 * the next call, every service record names the operator who recorded it and (read-only) the
 * operator's exchange.
 */
#ifndef YOUTH_ENTERPRISE_H
#define YOUTH_ENTERPRISE_H

#include "registry.h"
#include "rules.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Funding windows. */
typedef enum youth_window {
	YOUTH_WINDOW_UNSET = 0,
	YOUTH_WINDOW_YOUTH_SEED = 1, /**< "youth_seed": the programme's youth seed capital. */
	YOUTH_WINDOW_FEMALE = 2      /**< "female_window": CONAMYPE's female entrepreneurship window. */
} youth_window;

/** Business-plan states. */
typedef enum youth_plan_state {
	YOUTH_PLAN_UNSET = 0,
	YOUTH_PLAN_DRAFT = 1,
	YOUTH_PLAN_SUBMITTED = 2,
	YOUTH_PLAN_APPRAISED = 3,
	YOUTH_PLAN_APPROVED = 4,
	YOUTH_PLAN_REJECTED = 5,
	YOUTH_PLAN_FUNDED = 6,
	YOUTH_PLAN_OPERATING = 7,
	YOUTH_PLAN_CLOSED = 8
} youth_plan_state;

/** Kinds of business-development service. */
typedef enum youth_business_service_kind {
	YOUTH_BUSINESS_SERVICE_UNSET = 0,
	YOUTH_BUSINESS_SERVICE_MENTORING = 1,
	YOUTH_BUSINESS_SERVICE_TRAINING = 2,
	YOUTH_BUSINESS_SERVICE_MARKET_ACCESS = 3
} youth_business_service_kind;

/** A group of persons applying together (a women's group in the female window). */
typedef struct youth_group {
	int64_t id;                    /**< Set by add. */
	char uuid[YOUTH_UUID_LEN + 1]; /**< Generated when empty; never changes. */
	const char *name;        /**< Required, 1-120 bytes. */
	int window;              /**< Required #youth_window. */
	int women_only;          /**< 0/1; forced to 1 for #YOUTH_WINDOW_FEMALE groups. */
	int64_t operator_id;     /**< Required: active operator recording the group. */
	int64_t exchange_id;     /**< Read-only: the operator's exchange. */
	const char *formed_date; /**< Required, not in the future. */
} youth_group;

/** Membership of a person in a group. */
typedef struct youth_group_member {
	int64_t id;                    /**< Set by add. */
	char uuid[YOUTH_UUID_LEN + 1]; /**< Generated when empty; never changes. */
	int64_t group_id;        /**< Required. */
	int64_t person_id;       /**< Required; a woman when the group is women-only. */
	const char *joined_date; /**< Required; not before the group's formed_date nor in the future. */
	int64_t operator_id;     /**< Required. */
	int64_t exchange_id;     /**< Read-only. */
} youth_group_member;

/** A seed-capital business plan. */
typedef struct youth_plan {
	int64_t id;                    /**< Set by add. */
	char uuid[YOUTH_UUID_LEN + 1]; /**< Generated when empty; never changes. */
	int window;                /**< Required #youth_window. */
	int64_t person_id;         /**< The applicant youth, or 0 ... */
	int64_t group_id;          /**< ... the applicant group: exactly one of the two. */
	const char *title;         /**< Required, 1-120 bytes. */
	const char *sector;        /**< Required, 1-80 bytes ("food", "tailoring"...). */
	const char *description;   /**< Required, 1-1000 bytes. */
	int64_t requested;         /**< Required, cents, > 0. */
	int64_t approved;          /**< Read-only: cents approved (0 until approved). */
	int state;                 /**< Read-only #youth_plan_state. */
	const char *drafted_date;  /**< Required, not in the future. */
	const char *state_date;    /**< Read-only: date of the last state change. */
	const char *approved_date; /**< Read-only: date of approval, or NULL. */
	const char *reason;        /**< Read-only: reason of a rejection or closure. */
	int64_t operator_id;       /**< Required. */
	int64_t exchange_id;       /**< Read-only. */
} youth_plan;

/** A payment of seed capital to a plan. */
typedef struct youth_plan_disbursement {
	int64_t id;                    /**< Set by add. */
	char uuid[YOUTH_UUID_LEN + 1]; /**< Generated when empty; never changes. */
	int64_t plan_id;       /**< Required: an approved or funded plan. */
	int64_t amount;        /**< Required, cents, > 0. */
	const char *date;      /**< Required; not before approval nor before the last disbursement. */
	const char *reference; /**< Required, unique, 1-40 bytes (voucher, transfer number). */
	int64_t operator_id;   /**< Required. */
	int64_t exchange_id;   /**< Read-only. */
} youth_plan_disbursement;

/** A follow-up visit to a funded business. */
typedef struct youth_plan_visit {
	int64_t id;                    /**< Set by add. */
	char uuid[YOUTH_UUID_LEN + 1]; /**< Generated when empty; never changes. */
	int64_t plan_id;       /**< Required: a funded, operating or closed plan. */
	const char *date;      /**< Required; not before the first disbursement; one visit a day. */
	int operating;         /**< 0/1: the business was operating. */
	int jobs_created;      /**< 0-10000. */
	int64_t monthly_sales; /**< Cents, >= 0. */
	const char *notes;     /**< Optional, up to 1000 bytes. */
	int64_t operator_id;   /**< Required. */
	int64_t exchange_id;   /**< Read-only. */
} youth_plan_visit;

/** A business-development service of the female window, to a group or to a plan. */
typedef struct youth_business_service {
	int64_t id;                    /**< Set by add. */
	char uuid[YOUTH_UUID_LEN + 1]; /**< Generated when empty; never changes. */
	int64_t group_id;     /**< A female-window group, or 0 ... */
	int64_t plan_id;      /**< ... a female-window plan: exactly one of the two. */
	int kind;             /**< Required #youth_business_service_kind. */
	const char *date;     /**< Required; not before the group was formed / the plan drafted. */
	int hours;            /**< Required, 1-200. */
	const char *provider; /**< Required, 1-120 bytes. */
	const char *notes;    /**< Optional, up to 1000 bytes. */
	int64_t operator_id;  /**< Required. */
	int64_t exchange_id;  /**< Read-only. */
} youth_business_service;

/** What was approved for a plan, what was paid, what remains (cents). */
typedef struct youth_plan_balance_info {
	int64_t approved;  /**< The amount approved (0 before approval). */
	int64_t disbursed; /**< The sum of the disbursements. */
	int64_t remaining; /**< approved - disbursed. */
} youth_plan_balance_info;

/** Iterator (opaque); see youth_group_iter_new(), freed by youth_group_iter_free(). */
typedef struct youth_group_iter youth_group_iter;
/** Iterator (opaque); see youth_group_member_iter_new(), freed by youth_group_member_iter_free(). */
typedef struct youth_group_member_iter youth_group_member_iter;
/** Iterator (opaque); see youth_plan_iter_new(), freed by youth_plan_iter_free(). */
typedef struct youth_plan_iter youth_plan_iter;
/** Iterator (opaque); see youth_plan_disbursement_iter_new(), freed by youth_plan_disbursement_iter_free(). */
typedef struct youth_plan_disbursement_iter youth_plan_disbursement_iter;
/** Iterator (opaque); see youth_plan_visit_iter_new(), freed by youth_plan_visit_iter_free(). */
typedef struct youth_plan_visit_iter youth_plan_visit_iter;
/** Iterator (opaque); see youth_business_service_iter_new(), freed by youth_business_service_iter_free(). */
typedef struct youth_business_service_iter youth_business_service_iter;

/** "youth_seed", "female_window", or NULL. */
YOUTH_EXTERN(const char *) youth_window_name(int window);
/** "draft", "submitted", "appraised", "approved", "rejected", "funded", "operating",
 * "closed", or NULL. */
YOUTH_EXTERN(const char *) youth_plan_state_name(int state);
/** "mentoring", "training", "market_access", or NULL. */
YOUTH_EXTERN(const char *) youth_business_service_kind_name(int kind);

/* ---- groups ------------------------------------------------------------------------------ */

/** Zeroes @p g. */
YOUTH_EXTERN(void) youth_group_init(youth_group *g);
/**
 * Validates and stores a group; sets `id`, `uuid`, `exchange_id` and (female window)
 * `women_only` = 1.
 * @return #YOUTH_OK; #YOUTH_EINVAL (a field, naming it); #YOUTH_ENOTFOUND (operator);
 *         #YOUTH_ERULE (inactive operator); #YOUTH_EEXISTS (uuid).
 */
YOUTH_EXTERN(int) youth_group_add(youth_registry *reg, youth_group *g);
/** Reads a group by id; free with youth_group_free().  #YOUTH_ENOTFOUND if none. */
YOUTH_EXTERN(int) youth_group_get(youth_group **out, youth_registry *reg, int64_t id);
/** Frees a record returned by a get.  NULL-safe. */
YOUTH_EXTERN(void) youth_group_free(youth_group *g);
/** Iterates over groups of one window (0 for all) in id order.  #YOUTH_EINVAL bad window. */
YOUTH_EXTERN(int) youth_group_iter_new(youth_group_iter **out, youth_registry *reg, int window);
/** Next group or #YOUTH_ITEROVER (latched). */
YOUTH_EXTERN(int) youth_group_next(const youth_group **out, youth_group_iter *it);
/** Frees the iterator.  NULL-safe. */
YOUTH_EXTERN(void) youth_group_iter_free(youth_group_iter *it);
/** Sets a field from text by name (read-only fields are refused). */
YOUTH_EXTERN(int) youth_group_set_field(youth_group *g, const char *field, const char *text);
/** Gets a field as text by name. */
YOUTH_EXTERN(int) youth_group_get_field(const char **out, const youth_group *g, const char *field,
                                        char *buf, size_t size);
/** Field names in canonical order, then NULL. */
YOUTH_EXTERN(const char *) youth_group_field_name(size_t index);

/** Zeroes @p m. */
YOUTH_EXTERN(void) youth_group_member_init(youth_group_member *m);
/**
 * Adds a person to a group.  A person may belong to several groups, but to a group once.
 * @return #YOUTH_OK; #YOUTH_EINVAL; #YOUTH_ENOTFOUND (group, person, operator);
 *         #YOUTH_ERULE (a man joining a women-only group: the message names the person and the
 *         women_only rule; inactive operator); #YOUTH_EEXISTS (already a member, or uuid).
 */
YOUTH_EXTERN(int) youth_group_member_add(youth_registry *reg, youth_group_member *m);
/**
 * Removes @p person_id from group @p group_id, while the group is still being formed: only
 * when none of the group's plans has left draft.  Once a plan is submitted its members were
 * checked against the window's rules and are counted as the persons it reaches, so they stay.
 * @return #YOUTH_OK; #YOUTH_EINVAL (an id not positive); #YOUTH_ENOTFOUND (no such group, or
 *         the person is not a member); #YOUTH_ESTATE (a plan of the group is submitted or
 *         later: the message names the plan and its state).
 */
YOUTH_EXTERN(int) youth_group_member_remove(youth_registry *reg, int64_t group_id,
                                            int64_t person_id);
/** Reads a membership by id. */
YOUTH_EXTERN(int) youth_group_member_get(youth_group_member **out, youth_registry *reg,
                                         int64_t id);
/** Frees a record returned by a get.  NULL-safe. */
YOUTH_EXTERN(void) youth_group_member_free(youth_group_member *m);
/** Iterates over memberships of a group and/or a person (0 = any), in id order. */
YOUTH_EXTERN(int) youth_group_member_iter_new(youth_group_member_iter **out, youth_registry *reg,
                                              int64_t group_id, int64_t person_id);
/** Next membership or #YOUTH_ITEROVER. */
YOUTH_EXTERN(int) youth_group_member_next(const youth_group_member **out,
                                          youth_group_member_iter *it);
/** Frees the iterator.  NULL-safe. */
YOUTH_EXTERN(void) youth_group_member_iter_free(youth_group_member_iter *it);
/** Sets a field from text by name. */
YOUTH_EXTERN(int) youth_group_member_set_field(youth_group_member *m, const char *field,
                                               const char *text);
/** Gets a field as text by name. */
YOUTH_EXTERN(int) youth_group_member_get_field(const char **out, const youth_group_member *m,
                                               const char *field, char *buf, size_t size);
/** Field names in canonical order, then NULL. */
YOUTH_EXTERN(const char *) youth_group_member_field_name(size_t index);

/* ---- plans ------------------------------------------------------------------------------- */

/** Zeroes @p p. */
YOUTH_EXTERN(void) youth_plan_init(youth_plan *p);
/**
 * Stores a new plan in state draft; sets `id`, `uuid`, `state`, `state_date`, `exchange_id`.
 * A female-window plan must come from a woman or from a female-window group; a group's plan
 * goes to the group's own window.
 * @return #YOUTH_OK; #YOUTH_EINVAL (a field; none or both of person_id/group_id; drafted
 *         before the group was formed); #YOUTH_ENOTFOUND (person, group, operator);
 *         #YOUTH_ERULE (window rule; inactive operator); #YOUTH_EEXISTS (uuid).
 */
YOUTH_EXTERN(int) youth_plan_add(youth_registry *reg, youth_plan *p);
/**
 * draft -> submitted on @p date.  Checks the eligibility rules of programme "seed_capital"
 * (or "female_window") for the applicant, or for every member of the applicant group (a group
 * without members is #YOUTH_ERULE).  With @p override each broken rule is recorded as an
 * override of service "plan" instead of failing.
 * @return #YOUTH_OK; #YOUTH_ESTATE; #YOUTH_ERULE; #YOUTH_EINVAL (date); #YOUTH_ENOTFOUND.
 */
YOUTH_EXTERN(int) youth_plan_submit(youth_registry *reg, int64_t id, const char *date,
                                    const youth_override *override);
/** submitted -> appraised.  @return #YOUTH_OK, #YOUTH_ESTATE, #YOUTH_EINVAL, #YOUTH_ENOTFOUND. */
YOUTH_EXTERN(int) youth_plan_appraise(youth_registry *reg, int64_t id, const char *date);
/**
 * appraised -> approved with @p amount cents (> 0, at most the amount requested).
 * @return #YOUTH_OK; #YOUTH_ESTATE; #YOUTH_EINVAL (date, amount <= 0); #YOUTH_ERULE (amount
 *         above the request); #YOUTH_ENOTFOUND.
 */
YOUTH_EXTERN(int) youth_plan_approve(youth_registry *reg, int64_t id, const char *date,
                                     int64_t amount);
/** appraised -> rejected; @p reason required (1-500 bytes).  Errors as youth_plan_appraise(). */
YOUTH_EXTERN(int) youth_plan_reject(youth_registry *reg, int64_t id, const char *date,
                                    const char *reason);
/** funded -> operating.  Errors as youth_plan_appraise(). */
YOUTH_EXTERN(int) youth_plan_set_operating(youth_registry *reg, int64_t id, const char *date);
/** funded or operating -> closed; @p reason required.  Errors as youth_plan_appraise(). */
YOUTH_EXTERN(int) youth_plan_close(youth_registry *reg, int64_t id, const char *date,
                                   const char *reason);
/**
 * Corrects a draft: replaces `title`, `sector`, `description` and `requested` of plan `p->id`
 * (the other members are ignored: the applicant, window and dates of a plan never change).
 * @return #YOUTH_OK; #YOUTH_EINVAL (a field); #YOUTH_ENOTFOUND; #YOUTH_ESTATE (the plan is no
 *         longer a draft).
 */
YOUTH_EXTERN(int) youth_plan_update(youth_registry *reg, const youth_plan *p);
/** Reads a plan by id. */
YOUTH_EXTERN(int) youth_plan_get(youth_plan **out, youth_registry *reg, int64_t id);
/** Frees a record returned by a get.  NULL-safe. */
YOUTH_EXTERN(void) youth_plan_free(youth_plan *p);
/** Iterates over plans of a window, a person and/or a group (0 = any), in id order. */
YOUTH_EXTERN(int) youth_plan_iter_new(youth_plan_iter **out, youth_registry *reg, int window,
                                      int64_t person_id, int64_t group_id);
/** Next plan or #YOUTH_ITEROVER. */
YOUTH_EXTERN(int) youth_plan_next(const youth_plan **out, youth_plan_iter *it);
/** Frees the iterator.  NULL-safe. */
YOUTH_EXTERN(void) youth_plan_iter_free(youth_plan_iter *it);
/** Sets a field from text by name (read-only fields are refused). */
YOUTH_EXTERN(int) youth_plan_set_field(youth_plan *p, const char *field, const char *text);
/** Gets a field as text by name. */
YOUTH_EXTERN(int) youth_plan_get_field(const char **out, const youth_plan *p, const char *field,
                                       char *buf, size_t size);
/** Field names in canonical order, then NULL. */
YOUTH_EXTERN(const char *) youth_plan_field_name(size_t index);
/**
 * Approved, disbursed and remaining amounts of a plan (approved is 0 before approval).
 * @return #YOUTH_OK, #YOUTH_EINVAL, #YOUTH_ENOTFOUND.
 */
YOUTH_EXTERN(int) youth_plan_balance(youth_plan_balance_info *out, youth_registry *reg,
                                     int64_t plan_id);
/** Counts plans of a window and a state (0 = any).  #YOUTH_EINVAL for unknown values. */
YOUTH_EXTERN(int) youth_plan_count(int64_t *out, youth_registry *reg, int window, int state);
/**
 * Counts distinct persons reached by plans of a window (0 = any): individual applicants and
 * members of applicant groups.  With @p funded_only = 1 only plans that received seed capital
 * (funded, operating, closed) count; with 0 every plan does.
 */
YOUTH_EXTERN(int) youth_plan_count_persons(int64_t *out, youth_registry *reg, int window,
                                           int funded_only);

/* ---- disbursements ----------------------------------------------------------------------- */

/** Zeroes @p d. */
YOUTH_EXTERN(void) youth_plan_disbursement_init(youth_plan_disbursement *d);
/**
 * Records a payment to an approved or funded plan; the first one moves approved -> funded
 * (state date = the payment's date).  The payments of a plan never add up to more than the
 * approved amount.
 * @return #YOUTH_OK; #YOUTH_EINVAL (a field; date before approval or the last payment);
 *         #YOUTH_ESTATE (plan not approved/funded); #YOUTH_ERULE (above the approved amount:
 *         the message names approved, already disbursed and the amount asked);
 *         #YOUTH_EEXISTS (reference or uuid); #YOUTH_ENOTFOUND.
 */
YOUTH_EXTERN(int) youth_plan_disbursement_add(youth_registry *reg, youth_plan_disbursement *d);
/** Reads a disbursement by id. */
YOUTH_EXTERN(int) youth_plan_disbursement_get(youth_plan_disbursement **out, youth_registry *reg,
                                              int64_t id);
/** Frees a record returned by a get.  NULL-safe. */
YOUTH_EXTERN(void) youth_plan_disbursement_free(youth_plan_disbursement *d);
/** Iterates over disbursements of a plan (0 for all) in date order. */
YOUTH_EXTERN(int) youth_plan_disbursement_iter_new(youth_plan_disbursement_iter **out,
                                                   youth_registry *reg, int64_t plan_id);
/** Next disbursement or #YOUTH_ITEROVER. */
YOUTH_EXTERN(int) youth_plan_disbursement_next(const youth_plan_disbursement **out,
                                               youth_plan_disbursement_iter *it);
/** Frees the iterator.  NULL-safe. */
YOUTH_EXTERN(void) youth_plan_disbursement_iter_free(youth_plan_disbursement_iter *it);
/** Sets a field from text by name. */
YOUTH_EXTERN(int) youth_plan_disbursement_set_field(youth_plan_disbursement *d, const char *field,
                                                    const char *text);
/** Gets a field as text by name. */
YOUTH_EXTERN(int) youth_plan_disbursement_get_field(const char **out,
                                                    const youth_plan_disbursement *d,
                                                    const char *field, char *buf, size_t size);
/** Field names in canonical order, then NULL. */
YOUTH_EXTERN(const char *) youth_plan_disbursement_field_name(size_t index);

/* ---- follow-up visits -------------------------------------------------------------------- */

/** Zeroes @p v. */
YOUTH_EXTERN(void) youth_plan_visit_init(youth_plan_visit *v);
/**
 * Records a follow-up visit to a funded, operating or closed plan.  A visit that finds a
 * funded business operating (`operating` = 1) moves the plan to operating on the visit date.
 * @return #YOUTH_OK; #YOUTH_EINVAL (a field; date before the first disbursement);
 *         #YOUTH_ESTATE (plan not funded yet); #YOUTH_EEXISTS (a visit that day, or uuid);
 *         #YOUTH_ENOTFOUND.
 */
YOUTH_EXTERN(int) youth_plan_visit_add(youth_registry *reg, youth_plan_visit *v);
/** Reads a visit by id. */
YOUTH_EXTERN(int) youth_plan_visit_get(youth_plan_visit **out, youth_registry *reg, int64_t id);
/** Frees a record returned by a get.  NULL-safe. */
YOUTH_EXTERN(void) youth_plan_visit_free(youth_plan_visit *v);
/** Iterates over visits of a plan (0 for all) in date order. */
YOUTH_EXTERN(int) youth_plan_visit_iter_new(youth_plan_visit_iter **out, youth_registry *reg,
                                            int64_t plan_id);
/** Next visit or #YOUTH_ITEROVER. */
YOUTH_EXTERN(int) youth_plan_visit_next(const youth_plan_visit **out, youth_plan_visit_iter *it);
/** Frees the iterator.  NULL-safe. */
YOUTH_EXTERN(void) youth_plan_visit_iter_free(youth_plan_visit_iter *it);
/** Sets a field from text by name. */
YOUTH_EXTERN(int) youth_plan_visit_set_field(youth_plan_visit *v, const char *field,
                                             const char *text);
/** Gets a field as text by name. */
YOUTH_EXTERN(int) youth_plan_visit_get_field(const char **out, const youth_plan_visit *v,
                                             const char *field, char *buf, size_t size);
/** Field names in canonical order, then NULL. */
YOUTH_EXTERN(const char *) youth_plan_visit_field_name(size_t index);

/* ---- business-development services (female window) --------------------------------------- */

/** Zeroes @p s. */
YOUTH_EXTERN(void) youth_business_service_init(youth_business_service *s);
/**
 * Records a business-development service delivered to a female-window group or plan.
 * @return #YOUTH_OK; #YOUTH_EINVAL (a field; none or both of group_id/plan_id; date before the
 *         group was formed or the plan drafted); #YOUTH_ERULE (not of the female window;
 *         inactive operator); #YOUTH_ENOTFOUND; #YOUTH_EEXISTS (uuid).
 */
YOUTH_EXTERN(int) youth_business_service_add(youth_registry *reg, youth_business_service *s);
/** Reads a service by id. */
YOUTH_EXTERN(int) youth_business_service_get(youth_business_service **out, youth_registry *reg,
                                             int64_t id);
/** Frees a record returned by a get.  NULL-safe. */
YOUTH_EXTERN(void) youth_business_service_free(youth_business_service *s);
/**
 * Iterates over services of a group and/or a plan (0 = any; a group's services include those
 * to its plans), in date order.
 */
YOUTH_EXTERN(int) youth_business_service_iter_new(youth_business_service_iter **out,
                                                  youth_registry *reg, int64_t group_id,
                                                  int64_t plan_id);
/** Next service or #YOUTH_ITEROVER. */
YOUTH_EXTERN(int) youth_business_service_next(const youth_business_service **out,
                                              youth_business_service_iter *it);
/** Frees the iterator.  NULL-safe. */
YOUTH_EXTERN(void) youth_business_service_iter_free(youth_business_service_iter *it);
/** Sets a field from text by name. */
YOUTH_EXTERN(int) youth_business_service_set_field(youth_business_service *s, const char *field,
                                                   const char *text);
/** Gets a field as text by name. */
YOUTH_EXTERN(int) youth_business_service_get_field(const char **out,
                                                   const youth_business_service *s,
                                                   const char *field, char *buf, size_t size);
/** Field names in canonical order, then NULL. */
YOUTH_EXTERN(const char *) youth_business_service_field_name(size_t index);

/* ---- deprecated names -------------------------------------------------------------------- */

#ifndef YOUTH_NO_DEPRECATED
/*
 * Deprecated: the names under which business-development services were first published
 * (`youth_bds_*`).  They remain so that existing C callers still compile; new code uses
 * youth_business_service_*, the name the YAML section (business_services), the published kind
 * (business_service), the Python package and the CLI share.  Define YOUTH_NO_DEPRECATED before
 * including libyouth's headers to hide them.  Only the source keeps working: the library
 * exports the new symbols only.
 */
/** Deprecated name of youth_business_service. */
#define youth_bds youth_business_service
/** Deprecated name of youth_business_service_iter. */
#define youth_bds_iter youth_business_service_iter
/** Deprecated name of youth_business_service_kind. */
#define youth_bds_kind youth_business_service_kind
/** Deprecated name of YOUTH_BUSINESS_SERVICE_UNSET. */
#define YOUTH_BDS_UNSET YOUTH_BUSINESS_SERVICE_UNSET
/** Deprecated name of YOUTH_BUSINESS_SERVICE_MENTORING. */
#define YOUTH_BDS_MENTORING YOUTH_BUSINESS_SERVICE_MENTORING
/** Deprecated name of YOUTH_BUSINESS_SERVICE_TRAINING. */
#define YOUTH_BDS_TRAINING YOUTH_BUSINESS_SERVICE_TRAINING
/** Deprecated name of YOUTH_BUSINESS_SERVICE_MARKET_ACCESS. */
#define YOUTH_BDS_MARKET_ACCESS YOUTH_BUSINESS_SERVICE_MARKET_ACCESS
/** Deprecated name of youth_business_service_kind_name. */
#define youth_bds_kind_name youth_business_service_kind_name
/** Deprecated name of youth_business_service_init. */
#define youth_bds_init youth_business_service_init
/** Deprecated name of youth_business_service_add. */
#define youth_bds_add youth_business_service_add
/** Deprecated name of youth_business_service_get. */
#define youth_bds_get youth_business_service_get
/** Deprecated name of youth_business_service_free. */
#define youth_bds_free youth_business_service_free
/** Deprecated name of youth_business_service_iter_new. */
#define youth_bds_iter_new youth_business_service_iter_new
/** Deprecated name of youth_business_service_next. */
#define youth_bds_next youth_business_service_next
/** Deprecated name of youth_business_service_iter_free. */
#define youth_bds_iter_free youth_business_service_iter_free
/** Deprecated name of youth_business_service_set_field. */
#define youth_bds_set_field youth_business_service_set_field
/** Deprecated name of youth_business_service_get_field. */
#define youth_bds_get_field youth_business_service_get_field
/** Deprecated name of youth_business_service_field_name. */
#define youth_bds_field_name youth_business_service_field_name
#endif /* YOUTH_NO_DEPRECATED */

#ifdef __cplusplus
}
#endif
#endif
