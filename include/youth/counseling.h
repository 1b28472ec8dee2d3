/**
 * @file youth/counseling.h
 * @brief Compatibility name of youth/counselling.h.
 *
 * The header was first published under this spelling; the API has always been
 * `youth_counselling_*`.  New code includes youth/counselling.h (or youth.h).
 */
#ifndef YOUTH_COUNSELING_COMPAT_H
#define YOUTH_COUNSELING_COMPAT_H

#include "counselling.h"

#endif
