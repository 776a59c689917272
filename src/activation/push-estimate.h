/* push-estimate.h: sample sizes, seeded samples and interval estimates for the preview
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The preview's Sample mode looks up a random sample of an audience's members instead of all
 * of them, and reports each outcome's share as an estimate with a confidence interval. The
 * pieces here are pure arithmetic and a seeded random choice, with no I/O, so that they can
 * be checked offline over many synthetic populations.
 *
 *  - push_estimate_sample_size(): the smallest sample whose estimate of a proportion is within
 *    a margin at a confidence level whatever the true proportion (the worst case p = 0.5),
 *    with the finite-population correction (sampling without replacement from N members).
 *  - PushSampler: a uniform sample without replacement of k items from a stream of unknown
 *    length (reservoir sampling), reproducible from its seed.
 *  - push_estimate_proportion(): the Wilson score interval of k successes in a sample of n from
 *    a population of N, with the finite-population correction (the interval closes to the
 *    exact value when the sample is the whole population).
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The preview's default: ±2 percentage points at 95 % confidence. */
#define PUSH_ESTIMATE_DEFAULT_MARGIN     0.02
#define PUSH_ESTIMATE_DEFAULT_CONFIDENCE 0.95

/* The two-sided standard normal quantile for @confidence (0 < @confidence < 1): 1.959964…
 * for 0.95. */
double   push_estimate_z_for_confidence (double   confidence);

/* The sample size that estimates a proportion within ±@margin at @confidence in a population
 * of @population members: n0 = z² · 0.25 / margin², then n = n0 / (1 + (n0 − 1) / N), rounded
 * up; never more than @population. 0 for an empty population. */
guint64  push_estimate_sample_size      (guint64  population,
                                         double   margin,
                                         double   confidence);

/* The half-width of the interval a sample of @sample_size gives in the worst case (p = 0.5),
 * with the finite-population correction: what a capped sample really promises. */
double   push_estimate_margin_for_size  (guint64  population,
                                         guint64  sample_size,
                                         double   confidence);

/**
 * PushInterval:
 * @estimate: the point estimate of the proportion (@successes / @sample_size)
 * @low: the lower bound of the interval (0 … 1)
 * @high: the upper bound of the interval (0 … 1)
 *
 * A proportion with its confidence interval.
 */
typedef struct {
  double estimate;
  double low;
  double high;
} PushInterval;

/* The Wilson score interval for @successes out of @sample_size drawn without replacement from
 * @population (≥ @sample_size) at @confidence. The finite-population correction scales the
 * sample's information by (N − 1) / (N − n): a sample of every member gives the exact
 * proportion as both bounds. An empty sample gives [0, 1]. */
void     push_estimate_proportion       (guint64       successes,
                                         guint64       sample_size,
                                         guint64       population,
                                         double        confidence,
                                         PushInterval *interval);

/**
 * PushSampler:
 *
 * Reservoir sampling (Algorithm R): offer the items of a stream one by one; after the last,
 * the kept items are a uniform random sample without replacement of min (k, items offered)
 * of them. The random choices come from a GRand seeded with the given seed, so the same seed
 * and stream give the same sample.
 */
typedef struct _PushSampler PushSampler;

PushSampler *push_sampler_new          (guint64      capacity,
                                        guint32      seed);
void         push_sampler_free         (PushSampler *sampler);
/* Offers the next item of the stream. Returns the slot (0 … capacity − 1) where the caller
 * must keep it (replacing what was there), or -1 when the item is not kept. */
gint64       push_sampler_offer        (PushSampler *sampler);
/* Items offered so far; slots filled (min (capacity, offered)). */
guint64      push_sampler_get_offered  (PushSampler *sampler);
guint64      push_sampler_get_size     (PushSampler *sampler);
guint64      push_sampler_get_capacity (PushSampler *sampler);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PushSampler, push_sampler_free)

/* {"estimate": 0.41, "low": 0.39, "high": 0.43} */
JsonNode *push_interval_to_json        (const PushInterval *interval);
gboolean  push_interval_from_json      (JsonNode           *node,
                                        PushInterval       *interval);

G_END_DECLS
