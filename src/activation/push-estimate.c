/* push-estimate.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "push-estimate.h"

struct _PushSampler
{
  GRand   *rand;
  guint64  capacity;
  guint64  offered;
};

double
push_estimate_z_for_confidence (double confidence)
{
  double tail;
  double low = 0.0;
  double high = 40.0;

  g_return_val_if_fail (confidence > 0.0 && confidence < 1.0, 0.0);

  /* Solve erfc (z / √2) = 1 − confidence (both tails) by bisection: erfc is decreasing, and
   * 200 halvings of [0, 40] are far below double precision. */
  tail = 1.0 - confidence;
  for (guint i = 0; i < 200; i++)
    {
      double mid = (low + high) / 2.0;

      if (erfc (mid / G_SQRT2) > tail)
        low = mid;
      else
        high = mid;
    }
  return (low + high) / 2.0;
}

guint64
push_estimate_sample_size (guint64 population,
                           double  margin,
                           double  confidence)
{
  double z, n0, n;

  g_return_val_if_fail (margin > 0.0 && margin < 1.0, 0);

  if (population == 0)
    return 0;

  z = push_estimate_z_for_confidence (confidence);
  n0 = z * z * 0.25 / (margin * margin);
  n = n0 / (1.0 + (n0 - 1.0) / (double) population);
  /* Guard against 1936.0000000001 becoming 1937 through rounding noise. */
  n = ceil (n - 1e-9);
  if (n < 1.0)
    n = 1.0;
  if (n >= (double) population)
    return population;
  return (guint64) n;
}

/* The finite-population correction of the variance: (N − n) / (N − 1). */
static double
fpc (guint64 population,
     guint64 sample_size)
{
  if (population <= 1 || sample_size >= population)
    return 0.0;
  return (double) (population - sample_size) / (double) (population - 1);
}

double
push_estimate_margin_for_size (guint64 population,
                               guint64 sample_size,
                               double  confidence)
{
  double z;

  if (sample_size == 0)
    return 1.0;
  z = push_estimate_z_for_confidence (confidence);
  return z * sqrt (0.25 / (double) sample_size * fpc (population, sample_size));
}

void
push_estimate_proportion (guint64       successes,
                          guint64       sample_size,
                          guint64       population,
                          double        confidence,
                          PushInterval *interval)
{
  double p, z, z2, f, n, denominator, centre, half;

  g_return_if_fail (interval != NULL);
  g_return_if_fail (successes <= sample_size);

  if (sample_size == 0)
    {
      interval->estimate = 0.0;
      interval->low = 0.0;
      interval->high = 1.0;
      return;
    }

  p = (double) successes / (double) sample_size;
  interval->estimate = p;

  f = fpc (MAX (population, sample_size), sample_size);
  if (f <= 0.0)
    {
      /* The whole population was looked at: nothing is uncertain. */
      interval->low = p;
      interval->high = p;
      return;
    }

  /* Wilson's interval with the sample size scaled up by the correction: the variance of
   * p̂ without replacement is p (1 − p) / n × f, i.e. that of a sample of n / f with
   * replacement. */
  z = push_estimate_z_for_confidence (confidence);
  z2 = z * z;
  n = (double) sample_size / f;
  denominator = 1.0 + z2 / n;
  centre = (p + z2 / (2.0 * n)) / denominator;
  half = z / denominator * sqrt (p * (1.0 - p) / n + z2 / (4.0 * n * n));

  interval->low = CLAMP (centre - half, 0.0, 1.0);
  interval->high = CLAMP (centre + half, 0.0, 1.0);
  /* The point estimate always lies inside (rounding aside). */
  interval->low = MIN (interval->low, p);
  interval->high = MAX (interval->high, p);
}

PushSampler *
push_sampler_new (guint64 capacity,
                  guint32 seed)
{
  PushSampler *sampler = g_new0 (PushSampler, 1);

  sampler->rand = g_rand_new_with_seed (seed);
  sampler->capacity = capacity;
  return sampler;
}

void
push_sampler_free (PushSampler *sampler)
{
  if (sampler == NULL)
    return;
  g_rand_free (sampler->rand);
  g_free (sampler);
}

/* A uniform integer in [0, bound), bound up to 2^64 − 1, without modulo bias. */
static guint64
uniform_below (GRand   *rand,
               guint64  bound)
{
  guint64 limit, value;

  if (bound <= G_MAXINT32)
    return (guint64) g_rand_int_range (rand, 0, (gint32) bound);

  limit = G_MAXUINT64 - G_MAXUINT64 % bound;
  do
    value = ((guint64) g_rand_int (rand) << 32) | g_rand_int (rand);
  while (value >= limit);
  return value % bound;
}

gint64
push_sampler_offer (PushSampler *sampler)
{
  guint64 index, slot;

  g_return_val_if_fail (sampler != NULL, -1);

  index = sampler->offered++;
  if (sampler->capacity == 0)
    return -1;
  if (index < sampler->capacity)
    return (gint64) index;

  /* Item number index + 1 is kept with probability capacity / (index + 1), in a slot chosen
   * uniformly: every item offered so far stays with the same probability. */
  slot = uniform_below (sampler->rand, index + 1);
  return slot < sampler->capacity ? (gint64) slot : -1;
}

guint64
push_sampler_get_offered (PushSampler *sampler)
{
  g_return_val_if_fail (sampler != NULL, 0);
  return sampler->offered;
}

guint64
push_sampler_get_size (PushSampler *sampler)
{
  g_return_val_if_fail (sampler != NULL, 0);
  return MIN (sampler->offered, sampler->capacity);
}

guint64
push_sampler_get_capacity (PushSampler *sampler)
{
  g_return_val_if_fail (sampler != NULL, 0);
  return sampler->capacity;
}

JsonNode *
push_interval_to_json (const PushInterval *interval)
{
  JsonObject *object;
  JsonNode *node;

  g_return_val_if_fail (interval != NULL, NULL);

  object = json_object_new ();
  json_object_set_double_member (object, "estimate", interval->estimate);
  json_object_set_double_member (object, "low", interval->low);
  json_object_set_double_member (object, "high", interval->high);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);
  return node;
}

static gboolean
read_fraction (JsonObject *object,
               const char *name,
               double     *out)
{
  JsonNode *member = json_object_get_member (object, name);

  if (member == NULL || !JSON_NODE_HOLDS_VALUE (member))
    return FALSE;
  if (json_node_get_value_type (member) != G_TYPE_DOUBLE
      && json_node_get_value_type (member) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_double (member);
  return *out >= 0.0 && *out <= 1.0;
}

gboolean
push_interval_from_json (JsonNode     *node,
                         PushInterval *interval)
{
  JsonObject *object;
  PushInterval read = { 0 };

  g_return_val_if_fail (interval != NULL, FALSE);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  object = json_node_get_object (node);
  if (!read_fraction (object, "estimate", &read.estimate)
      || !read_fraction (object, "low", &read.low)
      || !read_fraction (object, "high", &read.high))
    return FALSE;
  *interval = read;
  return TRUE;
}
