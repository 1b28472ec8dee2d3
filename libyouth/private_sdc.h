/*
 * Statistical disclosure control of one table with margins (libyouth/sdc.c, docs/disclosure.md).
 * Bottom layer: uses only the error and allocation helpers, so every report path can call it
 * and none can publish a table without it by accident.
 */
#ifndef YOUTH_PRIVATE_SDC_H
#define YOUTH_PRIVATE_SDC_H

#include <stddef.h>
#include <stdint.h>

#define YOUTH__SDC_MAXDIMS 8
enum { YOUTH__SDC_SHOWN = 0, YOUTH__SDC_PRIMARY = 1, YOUTH__SDC_COMPLEMENT = 2 };
typedef struct youth__sdc_table {
	size_t ndims;                      /* 0..YOUTH__SDC_MAXDIMS */
	size_t size[YOUTH__SDC_MAXDIMS];   /* categories of dimension d, NOT counting its margin */
	const int64_t *count;              /* prod(size[d] + 1) cells, row-major, last dimension fastest;
	                                      index size[d] on dimension d is the total over d (the margin),
	                                      so the all-margins cell (last one) is the grand total */
	unsigned char *flag;               /* out, same layout: YOUTH__SDC_* for every cell */
	/* Optional hierarchy of dimension d (NULL: flat, every category's parent is the total).
	 * parent[d][i], for each index i < size[d], is the index of the node i is a part of (any
	 * order: leaves first, or each group before its parts), size[d] for the total.  The nodes
	 * without children are the leaves (communities); the others are groups (districts,
	 * municipalities) whose counts must be the sums of their children's, as the total is
	 * the sum of the top groups.  At most YOUTH__SDC_MAXDEPTH levels below the total. */
	const size_t *parent[YOUTH__SDC_MAXDIMS];
} youth__sdc_table;
#define YOUTH__SDC_MAXDEPTH 12
/* Marks cells to suppress so that no suppressed cell can be derived exactly from the shown cells
 * by the table's additivity (every margin = sum of its line, in every dimension, for every
 * combination of margins; along a hierarchical dimension, every group = sum of its children).  k <= 1: nothing suppressed (internal use).  Counts 1..k-1 are
 * primary; zero is shown (not disclosive by itself).  Deterministic: same input, same output.
 * Returns YOUTH_OK; YOUTH_EINVAL (via youth__error, message naming the first bad cell) when the
 * table is not additive or a count is negative, or sizes overflow; YOUTH_ENOMEM.
 * Fails closed: after an error on a table whose size and flags are valid, every cell is flagged
 * suppressed (YOUTH__SDC_COMPLEMENT), so a caller that publishes anyway publishes nothing. */
int youth__sdc_suppress(youth__sdc_table *t, int64_t k);

#endif
