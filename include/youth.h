/**
 * @file youth.h
 * @brief Umbrella header of libyouth: include this one.
 *
 * @mainpage libyouth
 * libyouth keeps the registry of a youth employability programme: census records of youths,
 * the places they live in, and the services they receive (counselling, vocational courses,
 * first-work scholarships, seed capital, the female entrepreneurship window, follow-ups).
 * Start with youth/registry.h (opening a registry), youth/person.h (census records) and
 * youth/common.h (the error model); youth/kind.h describes every kind of record and its
 * fields.  The user guide lives in docs/.
 */
#ifndef YOUTH_H
#define YOUTH_H

#include "youth/version.h"
#include "youth/common.h"
#include "youth/kind.h"
#include "youth/registry.h"
#include "youth/gazetteer.h"
#include "youth/person.h"
#include "youth/rules.h"
#include "youth/exchange.h"
#include "youth/course.h"
#include "youth/counselling.h"
#include "youth/scholarship.h"
#include "youth/enterprise.h"
#include "youth/followup.h"
#include "youth/timeline.h"
#include "youth/interchange.h"
#include "youth/report.h"
#include "youth/audit.h"
#include "youth/check.h"
#include "youth/duplicates.h"
#include "youth/organisation.h"
#include "youth/consent.h"
#include "youth/erase.h"

#endif
