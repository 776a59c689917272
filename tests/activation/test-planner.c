/* test-planner.c: the preview's statistics (offline) and its planner against the sandbox
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sampler and the estimator are checked offline over synthetic populations (no HTTP):
 * sample sizes, the Wilson interval with the finite-population correction against values
 * worked out by hand, the sampler's uniformity, and the coverage of the intervals over 200
 * seeded samples per population. The planner is checked against the in-process sandbox (real
 * HTTP on 127.0.0.1) and a real SQLite file: every member's prediction against a model built
 * from the sandbox's own lead database, the sample's size and calls, the request log (reads
 * only), cancellation, a refused destination, and the store.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "activation-test-common.h"
#include "marketo-client.h"
#include "push-estimate.h"
#include "push-planner.h"
#include "push-preview-store.h"
#include "push-problem.h"
#include "test-utils.h"

/* ---- Offline: the estimator ----------------------------------------------------------- */

static void
test_z (void)
{
  g_assert_cmpfloat_with_epsilon (push_estimate_z_for_confidence (0.95), 1.959964, 1e-6);
  g_assert_cmpfloat_with_epsilon (push_estimate_z_for_confidence (0.99), 2.575829, 1e-6);
  g_assert_cmpfloat_with_epsilon (push_estimate_z_for_confidence (0.90), 1.644854, 1e-6);
}

static void
test_sample_size (void)
{
  /* n0 = 1.959964² × 0.25 / 0.02² = 2400.91; n = n0 / (1 + (n0 − 1) / N), rounded up. */
  g_assert_cmpuint (push_estimate_sample_size (G_MAXUINT32 * (guint64) 1000, 0.02, 0.95), ==,
                    2401);
  g_assert_cmpuint (push_estimate_sample_size (10000, 0.02, 0.95), ==, 1937);
  g_assert_cmpuint (push_estimate_sample_size (3000, 0.02, 0.95), ==, 1334);
  g_assert_cmpuint (push_estimate_sample_size (500, 0.02, 0.95), ==, 414);
  g_assert_cmpuint (push_estimate_sample_size (1, 0.02, 0.95), ==, 1);
  g_assert_cmpuint (push_estimate_sample_size (0, 0.02, 0.95), ==, 0);
  /* ±5 points at 95 %: 384.15 -> 385 */
  g_assert_cmpuint (push_estimate_sample_size (G_MAXUINT32 * (guint64) 1000, 0.05, 0.95), ==,
                    385);

  /* The size keeps its promise: the worst-case half-width is within the margin. */
  for (guint64 n = 50; n <= 2000000; n *= 3)
    {
      guint64 size = push_estimate_sample_size (n, 0.02, 0.95);

      g_assert_cmpfloat (push_estimate_margin_for_size (n, size, 0.95), <=, 0.02 + 1e-9);
      if (size > 1 && size < n)
        g_assert_cmpfloat (push_estimate_margin_for_size (n, size - 1, 0.95), >, 0.02);
    }
}

static void
test_wilson (void)
{
  PushInterval interval;

  /* 30 of 100 from a huge population: Wilson's interval is (0.2189, 0.3958). */
  push_estimate_proportion (30, 100, G_MAXUINT32 * (guint64) 1000, 0.95, &interval);
  g_assert_cmpfloat_with_epsilon (interval.estimate, 0.30, 1e-12);
  g_assert_cmpfloat_with_epsilon (interval.low, 0.21895, 2e-4);
  g_assert_cmpfloat_with_epsilon (interval.high, 0.39586, 2e-4);

  /* 50 of 100 from 200: the correction halves the variance, n_eff = 199: ±0.0688. */
  push_estimate_proportion (50, 100, 200, 0.95, &interval);
  g_assert_cmpfloat_with_epsilon (interval.low, 0.4312, 5e-4);
  g_assert_cmpfloat_with_epsilon (interval.high, 0.5688, 5e-4);

  /* The whole population: exact. */
  push_estimate_proportion (37, 120, 120, 0.95, &interval);
  g_assert_cmpfloat (interval.low, ==, 37.0 / 120.0);
  g_assert_cmpfloat (interval.high, ==, 37.0 / 120.0);

  /* None and all: the interval still has width on the open side. */
  push_estimate_proportion (0, 200, 100000, 0.95, &interval);
  g_assert_cmpfloat (interval.low, ==, 0.0);
  g_assert_cmpfloat (interval.high, >, 0.005);
  push_estimate_proportion (200, 200, 100000, 0.95, &interval);
  g_assert_cmpfloat (interval.high, ==, 1.0);
  g_assert_cmpfloat (interval.low, <, 0.995);

  /* No sample: nothing is known. */
  push_estimate_proportion (0, 0, 10, 0.95, &interval);
  g_assert_cmpfloat (interval.low, ==, 0.0);
  g_assert_cmpfloat (interval.high, ==, 1.0);
}

static void
test_sampler_deterministic (void)
{
  g_autoptr(PushSampler) a = push_sampler_new (10, 1234);
  g_autoptr(PushSampler) b = push_sampler_new (10, 1234);
  g_autoptr(PushSampler) c = push_sampler_new (10, 4321);
  guint differ = 0;

  for (guint i = 0; i < 1000; i++)
    {
      gint64 sa = push_sampler_offer (a);
      gint64 sb = push_sampler_offer (b);
      gint64 sc = push_sampler_offer (c);

      g_assert_cmpint (sa, ==, sb);
      g_assert_cmpint (sa, <, 10);
      if (i < 10)
        g_assert_cmpint (sa, ==, i);
      differ += sa != sc;
    }
  g_assert_cmpuint (differ, >, 0);
  g_assert_cmpuint (push_sampler_get_offered (a), ==, 1000);
  g_assert_cmpuint (push_sampler_get_size (a), ==, 10);
}

/* Every item of a stream is kept with probability k / N. */
static void
test_sampler_uniform (void)
{
  const guint n_items = 50, k = 10, runs = 20000;
  guint kept[50] = { 0 };

  for (guint seed = 1; seed <= runs; seed++)
    {
      g_autoptr(PushSampler) sampler = push_sampler_new (k, seed);
      guint slots[10];

      for (guint i = 0; i < n_items; i++)
        {
          gint64 slot = push_sampler_offer (sampler);

          if (slot >= 0)
            slots[slot] = i;
        }
      for (guint s = 0; s < k; s++)
        kept[slots[s]]++;
    }

  for (guint i = 0; i < n_items; i++)
    {
      double share = kept[i] / (double) runs;

      /* 0.2 expected; the standard error is 0.0028, so ±0.015 is over five of them. */
      g_assert_cmpfloat_with_epsilon (share, (double) k / n_items, 0.015);
    }
}

/* 200 seeded samples of a synthetic population: the intervals cover the true share. */
static void
test_coverage (void)
{
  const guint64 population = 20000;
  const double rates[] = { 0.5, 0.3, 0.1, 0.02 };
  const guint runs = 200;
  g_autoptr(GRand) shuffle = g_rand_new_with_seed (7);
  guint64 size = push_estimate_sample_size (population, 0.02, 0.95);
  guint8 *members = g_new (guint8, population);

  g_assert_cmpuint (size, ==, 2144);

  for (guint r = 0; r < G_N_ELEMENTS (rates); r++)
    {
      guint64 successes_total = (guint64) llround (rates[r] * population);
      double truth = successes_total / (double) population;
      guint covered = 0;
      double widest = 0.0;
      g_autofree guint64 *sample = g_new (guint64, size);

      /* The members that match, spread at random through the stream. */
      for (guint64 i = 0; i < population; i++)
        members[i] = i < successes_total;
      for (guint64 i = population - 1; i > 0; i--)
        {
          guint64 j = (guint64) g_rand_int_range (shuffle, 0, (gint32) i + 1);
          guint8 t = members[i];

          members[i] = members[j];
          members[j] = t;
        }

      for (guint seed = 1; seed <= runs; seed++)
        {
          g_autoptr(PushSampler) sampler = push_sampler_new (size, seed * 7919 + r);
          PushInterval interval;
          guint64 successes = 0;

          for (guint64 i = 0; i < population; i++)
            {
              gint64 slot = push_sampler_offer (sampler);

              if (slot >= 0)
                sample[slot] = i;
            }
          for (guint64 s = 0; s < size; s++)
            successes += members[sample[s]];

          push_estimate_proportion (successes, size, population, 0.95, &interval);
          if (interval.low <= truth && truth <= interval.high)
            covered++;
          widest = MAX (widest, (interval.high - interval.low) / 2.0);
        }

      g_test_message ("share %.2f: %u of %u intervals cover it (%.1f %%), widest +/-%.4f",
                      truth, covered, runs, 100.0 * covered / runs, widest);
      g_assert_cmpfloat (covered / (double) runs, >=, 0.93);
      /* The sample was sized for ±2 points in the worst case. */
      g_assert_cmpfloat (widest, <=, 0.0205);
    }
  g_free (members);
}

/* ---- Offline: one member's prediction ------------------------------------------------- */

static PushLeadMatch *
fake_match (guint   n_matches,
            gint64  lead_id,
            gint64  partition_id)
{
  PushLeadMatch *match = g_new0 (PushLeadMatch, 1);

  match->other_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  match->n_matches = n_matches;
  if (n_matches > 0)
    {
      match->lead = g_new0 (MarketoLead, 1);
      match->lead->id = lead_id;
      match->lead->fields = json_object_new ();
      json_object_set_int_member (match->lead->fields, "id", lead_id);
      json_object_set_int_member (match->lead->fields, "leadPartitionId", partition_id);
      for (guint i = 1; i < n_matches; i++)
        {
          gint64 other = lead_id + 100 * i;

          g_array_append_val (match->other_ids, other);
        }
    }
  return match;
}

static void
test_predict (void)
{
  static const struct {
    PushSyncType      sync_type;
    PushPersonAction  action;
    gboolean          rule;
    guint             n_matches;
    gint64            lead_partition;
    PushOutcome       outcome;
    int               code;
  } cases[] = {
    { PUSH_SYNC_TYPE_AUDIENCE_ONLY, PUSH_PERSON_ACTION_CREATE_OR_UPDATE, FALSE, 0, 0, PUSH_OUTCOME_NOT_FOUND, 0 },
    { PUSH_SYNC_TYPE_AUDIENCE_ONLY, PUSH_PERSON_ACTION_CREATE_OR_UPDATE, FALSE, 1, 2, PUSH_OUTCOME_ADDED, 0 },
    { PUSH_SYNC_TYPE_AUDIENCE_ONLY, PUSH_PERSON_ACTION_CREATE_OR_UPDATE, TRUE, 3, 2, PUSH_OUTCOME_MULTIPLE_MATCHES, 0 },
    { PUSH_SYNC_TYPE_PROFILE_ONLY, PUSH_PERSON_ACTION_CREATE_OR_UPDATE, FALSE, 0, 0, PUSH_OUTCOME_CREATED, 0 },
    { PUSH_SYNC_TYPE_PROFILE_ONLY, PUSH_PERSON_ACTION_CREATE_OR_UPDATE, FALSE, 1, 2, PUSH_OUTCOME_UPDATED, 0 },
    { PUSH_SYNC_TYPE_PROFILE_ONLY, PUSH_PERSON_ACTION_CREATE_OR_UPDATE, TRUE, 1, 2, PUSH_OUTCOME_REJECTED, 1010 },
    { PUSH_SYNC_TYPE_PROFILE_ONLY, PUSH_PERSON_ACTION_CREATE_OR_UPDATE, TRUE, 1, 1, PUSH_OUTCOME_UPDATED, 0 },
    { PUSH_SYNC_TYPE_PROFILE_ONLY, PUSH_PERSON_ACTION_CREATE_OR_UPDATE, FALSE, 2, 1, PUSH_OUTCOME_REJECTED, 1007 },
    { PUSH_SYNC_TYPE_PROFILE_ONLY, PUSH_PERSON_ACTION_UPDATE_ONLY, FALSE, 0, 0, PUSH_OUTCOME_NOT_FOUND, 1004 },
    { PUSH_SYNC_TYPE_PROFILE_ONLY, PUSH_PERSON_ACTION_UPDATE_ONLY, TRUE, 1, 3, PUSH_OUTCOME_UPDATED, 0 },
    { PUSH_SYNC_TYPE_PROFILE_ONLY, PUSH_PERSON_ACTION_UPDATE_ONLY, FALSE, 2, 1, PUSH_OUTCOME_REJECTED, 1007 },
    { PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE, PUSH_PERSON_ACTION_CREATE_OR_UPDATE, FALSE, 0, 0, PUSH_OUTCOME_CREATED, 0 },
    { PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE, PUSH_PERSON_ACTION_CREATE_OR_UPDATE, TRUE, 1, 3, PUSH_OUTCOME_REJECTED, 1010 },
    { PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE, PUSH_PERSON_ACTION_UPDATE_ONLY, FALSE, 1, 1, PUSH_OUTCOME_UPDATED, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      PushLeadMatch *match = fake_match (cases[i].n_matches, 5000 + i, cases[i].lead_partition);
      g_autoptr(PushPrediction) prediction = push_prediction_new (i + 1, "x@example.com",
                                                                  PUSH_OUTCOME_FAILED);

      /* The destination names partition 1 (Default) when it may create people. */
      push_planner_predict (cases[i].sync_type, cases[i].action, 1, cases[i].rule,
                            cases[i].n_matches > 0 ? match : NULL, prediction);
      g_test_message ("case %u: %s", i, push_outcome_to_string (prediction->outcome));
      g_assert_cmpint (prediction->outcome, ==, cases[i].outcome);
      g_assert_cmpint (prediction->reason_code, ==, cases[i].code);
      g_assert_cmpuint (prediction->n_matches, ==, cases[i].n_matches);
      if (cases[i].n_matches > 0)
        {
          g_assert_cmpint (prediction->lead_id, ==, 5000 + i);
          g_assert_cmpint (prediction->partition_id, ==, cases[i].lead_partition);
        }
      else
        g_assert_cmpint (prediction->lead_id, ==, 0);
      if (cases[i].n_matches > 1)
        {
          g_assert_nonnull (prediction->other_lead_ids);
          g_assert_cmpuint (prediction->other_lead_ids->len, ==, cases[i].n_matches - 1);
          g_assert_nonnull (prediction->reason);
        }
      push_lead_match_free (match);
    }
}

/* ---- The sandbox ---------------------------------------------------------------------- */

/* A client of the sandbox with a pacer of its own. */
static MarketoClient *
make_client (ActFixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *endpoint = marketo_sandbox_dup_endpoint (f->sandbox);
  g_autoptr(MarketoPacer) pacer = act_pacer_new (5, 0);
  MarketoClient *client;

  client = marketo_client_new (endpoint, marketo_sandbox_get_client_id (f->sandbox),
                               marketo_sandbox_get_client_secret (f->sandbox), &error);
  g_assert_no_error (error);
  marketo_client_set_pacer (client, pacer);
  marketo_client_set_retry_policy (client, 20, 200, 8);
  return client;
}

/* Every request the preview made was a read: identity, GETs, and POST ?_method=GET lookups.
 * Returns the number of lead lookups. */
static guint
assert_reads_only (ActFixture *f)
{
  g_autoptr(GPtrArray) log = marketo_sandbox_dup_request_log (f->sandbox);
  guint lookups = 0;

  g_assert_cmpuint (log->len, >, 0);
  for (guint i = 0; i < log->len; i++)
    {
      const MarketoSandboxRequest *request = g_ptr_array_index (log, i);
      gboolean read = g_str_equal (request->method, "GET") ||
                      (g_str_equal (request->method, "POST") && request->query != NULL &&
                       strstr (request->query, "_method=GET") != NULL);

      if (g_str_has_prefix (request->path, "/identity/"))
        continue;
      if (!read)
        g_error ("the preview wrote: %s %s?%s", request->method, request->path,
                 request->query != NULL ? request->query : "");
      if (g_str_equal (request->path, "/rest/v1/leads.json"))
        lookups++;
    }
  return lookups;
}

typedef struct {
  guint64      row;
  char        *email;
  PushOutcome  expected;
  gint64       lead_id;
} Expected;

static void
expected_free (Expected *e)
{
  g_free (e->email);
  g_free (e);
}

/* What a member sent will meet, from the sandbox's own database (not from the planner's
 * lookups): how many leads have the e-mail, and which one is the most recently updated. */
static PushOutcome
model_outcome (ActFixture       *f,
               PushSyncType      sync_type,
               PushPersonAction  action,
               const char       *email,
               gint64           *lead_id)
{
  g_autoptr(GPtrArray) leads = marketo_sandbox_find_leads (f->sandbox, "email", email);

  *lead_id = 0;
  if (leads->len >= 1)
    {
      JsonObject *best = NULL;

      for (guint i = 0; i < leads->len; i++)
        {
          JsonObject *lead = g_ptr_array_index (leads, i);
          const char *updated = json_object_get_string_member (lead, "updatedAt");

          if (best == NULL ||
              g_strcmp0 (updated, json_object_get_string_member (best, "updatedAt")) > 0 ||
              (g_strcmp0 (updated, json_object_get_string_member (best, "updatedAt")) == 0 &&
               json_object_get_int_member (lead, "id") > json_object_get_int_member (best, "id")))
            best = lead;
        }
      *lead_id = json_object_get_int_member (best, "id");
    }

  if (sync_type == PUSH_SYNC_TYPE_AUDIENCE_ONLY)
    return leads->len == 0 ? PUSH_OUTCOME_NOT_FOUND :
           leads->len == 1 ? PUSH_OUTCOME_ADDED : PUSH_OUTCOME_MULTIPLE_MATCHES;
  if (leads->len > 1)
    return PUSH_OUTCOME_REJECTED;
  if (leads->len == 0)
    return action == PUSH_PERSON_ACTION_UPDATE_ONLY ? PUSH_OUTCOME_NOT_FOUND :
                                                      PUSH_OUTCOME_CREATED;
  return PUSH_OUTCOME_UPDATED;
}

/* An audience of @n_existing seeded leads (from lead @first), @n_new new people, and the
 * special rows: an empty e-mail, a bad value, a bad e-mail, an e-mail two leads share, and a
 * repeat of an earlier row. Fills @expected (row -> Expected) for @sync_type/@action. */
static char *
write_audience (ActFixture       *f,
                const char       *name,
                guint             first,
                guint             n_existing,
                guint             n_new,
                PushSyncType      sync_type,
                PushPersonAction  action,
                GPtrArray        *expected)
{
  g_autoptr(GString) csv = g_string_new ("Email,First Name,Last Name,Value\n");
  g_autoptr(GPtrArray) emails = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) kinds = g_array_new (FALSE, FALSE, sizeof (int));
  g_autofree char *twin = act_seed_email (1000);  /* lead 1000 shares lead 999's e-mail */
  guint64 repeated_row = 3;

  /* kinds: 0 sent, 1 set aside, 2 duplicate (decided below) */
  for (guint i = 0; i < n_existing + n_new; i++)
    {
      char *email = i < n_existing ? act_seed_email (first + i) :
                    g_strdup_printf ("new.person.%u@example.com", i);
      int kind = 0;

      g_string_append_printf (csv, "%s,First%u,Last%u,%u.5\n", email, i, i, i);
      g_ptr_array_add (emails, email);
      g_array_append_val (kinds, kind);
      if (i == 5)
        {
          /* the special rows, early in the file */
          int aside = 1, sent = 0;
          /* Audience only sends the dedupe value alone: the bad value does not matter. */
          int bad_value = sync_type == PUSH_SYNC_TYPE_AUDIENCE_ONLY ? 0 : 1;

          g_string_append (csv, ",NoMail,Nobody,1\n");
          g_ptr_array_add (emails, NULL);
          g_array_append_val (kinds, aside);
          g_string_append (csv, "bad.value@example.com,Bad,Value,lots\n");
          g_ptr_array_add (emails, g_strdup ("bad.value@example.com"));
          g_array_append_val (kinds, bad_value);
          g_string_append (csv, "not-an-address,Bad,Mail,2\n");
          g_ptr_array_add (emails, g_strdup ("not-an-address"));
          g_array_append_val (kinds, aside);
          g_string_append_printf (csv, "%s,Twin,Person,3\n", twin);
          g_ptr_array_add (emails, g_strdup (twin));
          g_array_append_val (kinds, sent);
        }
    }
  /* The last row repeats row 3 (in upper case: the same dedupe value): row 3 is a duplicate. */
  {
    g_autofree char *upper = g_ascii_strup (g_ptr_array_index (emails, repeated_row - 1), -1);
    int sent = 0;

    g_string_append_printf (csv, "%s,Again,Person,9\n", upper);
    g_ptr_array_add (emails, g_strdup (upper));
    g_array_append_val (kinds, sent);
    g_array_index (kinds, int, repeated_row - 1) = 2;
  }

  for (guint i = 0; i < emails->len; i++)
    {
      Expected *e = g_new0 (Expected, 1);
      int kind = g_array_index (kinds, int, i);

      e->row = i + 1;
      e->email = g_strdup (g_ptr_array_index (emails, i));
      if (kind == 1)
        e->expected = PUSH_OUTCOME_SET_ASIDE;
      else if (kind == 2)
        e->expected = PUSH_OUTCOME_DUPLICATE;
      else
        e->expected = model_outcome (f, sync_type, action, e->email, &e->lead_id);
      g_ptr_array_add (expected, e);
    }
  return act_write_file (f, name, csv->str);
}

static void
assert_matches_model (PushPreview *preview,
                      GPtrArray   *expected,
                      gboolean     every_member)
{
  guint checked = 0;

  for (guint i = 0; i < expected->len; i++)
    {
      const Expected *e = g_ptr_array_index (expected, i);
      const PushPrediction *p = push_preview_find_row (preview, e->row);

      if (p == NULL)
        {
          /* Only members not in the sample may be missing. */
          g_assert_false (every_member);
          g_assert_cmpint (e->expected, !=, PUSH_OUTCOME_SET_ASIDE);
          g_assert_cmpint (e->expected, !=, PUSH_OUTCOME_DUPLICATE);
          continue;
        }
      if (p->outcome != e->expected)
        g_error ("row %" G_GUINT64_FORMAT " (%s): predicted %s, the model says %s", e->row,
                 e->email, push_outcome_to_string (p->outcome),
                 push_outcome_to_string (e->expected));
      if (e->lead_id != 0)
        g_assert_cmpint (p->lead_id, ==, e->lead_id);
      checked++;
    }
  g_assert_cmpuint (checked, ==, push_preview_get_n_predictions (preview));
}

static void
count_progress_cb (PushPlanner *planner,
                   guint       *count)
{
  (*count)++;
}

static void
test_full_sandbox (void)
{
  ActFixture f = { 0 };
  g_autoptr(GPtrArray) expected = g_ptr_array_new_with_free_func ((GDestroyNotify) expected_free);
  g_autoptr(PushDestination) destination = NULL;
  g_autoptr(MarketoClient) client = NULL;
  g_autoptr(PushPlanner) planner = NULL;
  g_autoptr(PushPreview) preview = NULL;
  g_autoptr(PushPreview) loaded = NULL;
  g_autoptr(PushPreviewStore) previews = NULL;
  g_autoptr(PushPreviewInfo) latest = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *fingerprint = NULL;
  const PushRunCounts *counts;
  const PushPrediction *twin;
  PushPreviewEstimate estimate;
  guint leads_before;
  guint lookups;
  guint progress = 0;
  guint64 twin_row = 0;

  act_fixture_set_up (&f, 0.0);
  leads_before = marketo_sandbox_count_leads (f.sandbox);
  destination = act_make_destination (&f, "Full preview", PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE,
                                      PUSH_PERSON_ACTION_CREATE_OR_UPDATE, FALSE);
  path = write_audience (&f, "full.csv", 1, 700, 150, PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE,
                         PUSH_PERSON_ACTION_CREATE_OR_UPDATE, expected);
  file = g_file_new_for_path (path);
  client = make_client (&f);
  marketo_sandbox_clear_request_log (f.sandbox);

  planner = push_planner_new (destination, file, client);
  push_planner_set_mode (planner, PUSH_PREVIEW_MODE_FULL);
  push_planner_set_store (planner, f.store);
  g_signal_connect (planner, "progress", G_CALLBACK (count_progress_cb), &progress);
  preview = push_planner_run (planner, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (preview);
  g_assert_cmpint (push_planner_get_phase (planner), ==, PUSH_PLANNER_PHASE_DONE);
  g_assert_cmpuint (progress, >=, 5);

  /* Every member, as the sandbox's own database says. */
  g_assert_cmpuint (push_preview_get_n_members (preview), ==, expected->len);
  g_assert_cmpuint (push_preview_get_n_predictions (preview), ==, expected->len);
  assert_matches_model (preview, expected, TRUE);
  g_assert_false (push_preview_is_estimate (preview));

  counts = push_preview_get_counts (preview);
  g_assert_cmpuint (counts->members, ==, expected->len);
  g_assert_cmpuint (counts->set_aside, ==, 3);
  g_assert_cmpuint (counts->duplicates, ==, 1);
  g_assert_cmpuint (counts->rejected, ==, 1);          /* the twins' e-mail: 1007 */
  g_assert_cmpuint (counts->created, ==, 150);
  g_assert_cmpuint (counts->updated, ==, 700);
  g_assert_cmpuint (counts->added, ==, 850);
  g_assert_cmpuint (push_preview_get_n_sendable (preview), ==, 851);

  /* Exact, so the intervals are closed. */
  g_assert_true (push_preview_get_estimate (preview, PUSH_OUTCOME_UPDATED, &estimate));
  g_assert_cmpfloat (estimate.count, ==, 700.0);
  g_assert_cmpfloat (estimate.count_low, ==, estimate.count_high);
  g_assert_false (push_preview_get_estimate (preview, PUSH_OUTCOME_SET_ASIDE, &estimate));

  /* The twins: both ids, 1007 predicted. */
  for (guint i = 0; i < expected->len; i++)
    {
      const Expected *e = g_ptr_array_index (expected, i);
      g_autofree char *twin_email = act_seed_email (1000);

      if (g_strcmp0 (e->email, twin_email) != 0)
        continue;
      twin_row = e->row;
      twin = push_preview_find_row (preview, e->row);
      g_assert_nonnull (twin);
      g_assert_cmpint (twin->reason_code, ==, 1007);
      g_assert_cmpuint (twin->n_matches, ==, 2);
      g_assert_nonnull (twin->other_lead_ids);
      g_assert_cmpuint (twin->other_lead_ids->len, ==, 1);
      g_assert_true ((twin->lead_id == 1000 + 999 && g_array_index (twin->other_lead_ids,
                                                                    gint64, 0) == 2000) ||
                     (twin->lead_id == 2000 && g_array_index (twin->other_lead_ids,
                                                              gint64, 0) == 1999));
    }

  /* Matches by partition add up to the members that match. */
  {
    guint n_ids;
    const gint64 *ids = push_preview_get_partition_ids (preview, &n_ids);
    double sum = 0.0;

    g_assert_cmpuint (n_ids, >=, 2);
    for (guint i = 0; i < n_ids; i++)
      {
        push_preview_get_partition_estimate (preview, ids[i], &estimate);
        g_assert_nonnull (push_preview_get_partition_name (preview, ids[i]));
        sum += estimate.count;
      }
    push_preview_get_match_estimate (preview, &estimate);
    g_assert_cmpfloat (sum, ==, estimate.count);
    g_assert_cmpfloat (estimate.count, ==, 701.0);
  }

  /* The detail values of a member that is updated: sent and current side by side. */
  {
    const Expected *e = g_ptr_array_index (expected, 0);
    const PushPrediction *p = push_preview_find_row (preview, e->row);

    g_assert_nonnull (p->sent);
    g_assert_nonnull (p->current);
    g_assert_cmpstr (json_object_get_string_member (p->sent, "firstName"), ==, "First0");
    g_assert_true (json_object_has_member (p->current, "firstName"));
    g_assert_cmpstr (json_object_get_string_member (p->current, "email"), ==, e->email);
  }

  /* The forecast is the activation's: 851 people, 3 batches, a Sync Leads and an Add to
   * List call each. */
  g_assert_nonnull (push_preview_get_forecast (preview));
  g_assert_cmpuint (push_preview_get_forecast (preview)->batches, ==, 3);
  g_assert_cmpuint (push_preview_get_forecast (preview)->api_calls, ==, 6);

  /* Nothing was written; the lookups went 300 values a call: 851 values in 3 calls, the
   * first of which matched 301 leads (the twins) and so took a second page. */
  lookups = assert_reads_only (&f);
  g_assert_cmpuint (lookups, ==, 4);
  g_assert_cmpuint (push_preview_get_calls (preview), ==, lookups + 2);
  g_assert_cmpuint (marketo_sandbox_count_leads (f.sandbox), ==, leads_before);

  /* Stored, and read back the same. */
  g_assert_nonnull (push_preview_get_id (preview));
  previews = push_preview_store_new (f.store);
  fingerprint = push_audience_fingerprint_to_string (push_preview_get_fingerprint (preview));
  latest = push_preview_store_find_latest (previews, push_destination_get_id (destination),
                                           fingerprint, PUSH_PREVIEW_MODE_FULL, FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (latest);
  g_assert_cmpstr (latest->id, ==, push_preview_get_id (preview));
  g_assert_cmpuint (latest->n_members, ==, expected->len);

  loaded = push_preview_load (previews, push_preview_get_id (preview), &error);
  g_assert_no_error (error);
  g_assert_true (push_run_counts_equal (push_preview_get_counts (loaded), counts));
  g_assert_cmpuint (push_preview_get_n_sendable (loaded), ==, 851);
  g_assert_nonnull (push_preview_get_forecast (loaded));
  g_assert_cmpuint (push_preview_get_forecast (loaded)->api_calls, ==, 6);
  assert_matches_model (loaded, expected, TRUE);
  g_assert_cmpuint (twin_row, ==, 10);
  twin = push_preview_find_row (loaded, twin_row);
  g_assert_nonnull (twin);
  g_assert_cmpint (twin->reason_code, ==, 1007);
  g_assert_cmpuint (twin->other_lead_ids->len, ==, 1);
  g_assert_cmpuint (push_preview_get_n_reasons (loaded), ==, 3);

  act_fixture_tear_down (&f);
}

static void
test_sample_sandbox (void)
{
  ActFixture f = { 0 };
  g_autoptr(GPtrArray) expected = g_ptr_array_new_with_free_func ((GDestroyNotify) expected_free);
  g_autoptr(PushDestination) destination = NULL;
  g_autoptr(MarketoClient) client = NULL;
  g_autoptr(PushPlanner) planner = NULL;
  g_autoptr(PushPreview) preview = NULL;
  g_autoptr(PushPreview) again = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  PushPreviewEstimate estimate;
  guint64 truth_added = 0, truth_not_found = 0, sendable = 0;
  guint lookups;
  gboolean same = TRUE;

  act_fixture_set_up (&f, 0.0);
  destination = act_make_destination (&f, "Sample preview", PUSH_SYNC_TYPE_AUDIENCE_ONLY,
                                      PUSH_PERSON_ACTION_CREATE_OR_UPDATE, FALSE);
  /* 990 seeded leads, 2,010 new people, the twins and the row whose "Value" is bad (only
   * the e-mail counts for Audience only): 3,002 members sent. */
  path = write_audience (&f, "sample.csv", 1001, 990, 2010, PUSH_SYNC_TYPE_AUDIENCE_ONLY,
                         PUSH_PERSON_ACTION_CREATE_OR_UPDATE, expected);
  for (guint i = 0; i < expected->len; i++)
    {
      const Expected *e = g_ptr_array_index (expected, i);

      sendable += e->expected != PUSH_OUTCOME_SET_ASIDE && e->expected != PUSH_OUTCOME_DUPLICATE;
      truth_added += e->expected == PUSH_OUTCOME_ADDED;
      truth_not_found += e->expected == PUSH_OUTCOME_NOT_FOUND;
    }
  g_assert_cmpuint (sendable, ==, 3002);

  file = g_file_new_for_path (path);
  client = make_client (&f);
  marketo_sandbox_clear_request_log (f.sandbox);

  planner = push_planner_new (destination, file, client);
  push_planner_set_seed (planner, 20240601);
  preview = push_planner_run (planner, NULL, &error);
  g_assert_no_error (error);

  /* ±2 points at 95 % of 3,002 members: 2400.91 / (1 + 2399.91 / 3002) = 1334.26, so 1,335
   * looked up, in 5 calls. */
  g_assert_true (push_preview_is_estimate (preview));
  g_assert_cmpuint (push_preview_get_n_sendable (preview), ==, 3002);
  g_assert_cmpuint (push_preview_get_n_looked_up (preview), ==, 1335);
  g_assert_cmpfloat (push_preview_get_margin (preview), <=, 0.02);
  /* 5 calls of ≤ 300 values, one more page when the twins' e-mail is in the sample. */
  lookups = assert_reads_only (&f);
  g_assert_cmpuint (lookups, >=, 5);
  g_assert_cmpuint (lookups, <=, 6);
  g_assert_cmpuint (push_preview_get_calls (preview), ==, lookups + 2);  /* + describe, partitions */

  /* The sample's members are predicted right, and the locally decided ones are all there. */
  assert_matches_model (preview, expected, FALSE);
  g_assert_cmpuint (push_preview_get_counts (preview)->set_aside, ==, 2);
  g_assert_cmpuint (push_preview_get_counts (preview)->duplicates, ==, 1);
  g_assert_cmpuint (push_preview_get_n_predictions (preview), ==, 1335 + 3);

  /* The intervals hold the truth (the model's exact counts). */
  g_assert_true (push_preview_get_estimate (preview, PUSH_OUTCOME_ADDED, &estimate));
  g_test_message ("added: %.0f (%.0f to %.0f), truth %" G_GUINT64_FORMAT, estimate.count,
                  estimate.count_low, estimate.count_high, truth_added);
  g_assert_cmpfloat (estimate.count_low, <=, (double) truth_added);
  g_assert_cmpfloat (estimate.count_high, >=, (double) truth_added);
  g_assert_cmpfloat (estimate.count_high - estimate.count_low, <=, 2 * 0.02 * 3002);
  g_assert_true (push_preview_get_estimate (preview, PUSH_OUTCOME_NOT_FOUND, &estimate));
  g_assert_cmpfloat (estimate.count_low, <=, (double) truth_not_found);
  g_assert_cmpfloat (estimate.count_high, >=, (double) truth_not_found);
  /* The counts are the estimates, rounded to add up. */
  g_assert_cmpuint (push_preview_get_counts (preview)->members, ==, expected->len);

  /* The same seed draws the same sample. */
  g_clear_object (&planner);
  planner = push_planner_new (destination, file, client);
  push_planner_set_seed (planner, 20240601);
  again = push_planner_run (planner, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (push_preview_get_n_predictions (again), ==,
                    push_preview_get_n_predictions (preview));
  for (guint i = 0; i < push_preview_get_n_predictions (again); i++)
    same = same && push_preview_get_prediction (again, i)->row_number ==
                   push_preview_get_prediction (preview, i)->row_number;
  g_assert_true (same);

  act_fixture_tear_down (&f);
}

static void
cancel_soon_cb (PushPlanner  *planner,
                GCancellable *cancellable)
{
  guint64 done = 0;

  push_planner_get_progress (planner, &done, NULL);
  if (push_planner_get_phase (planner) == PUSH_PLANNER_PHASE_LOOKING_UP && done >= 300)
    g_cancellable_cancel (cancellable);
}

static void
test_cancel (void)
{
  ActFixture f = { 0 };
  g_autoptr(GPtrArray) expected = g_ptr_array_new_with_free_func ((GDestroyNotify) expected_free);
  g_autoptr(PushDestination) destination = NULL;
  g_autoptr(MarketoClient) client = NULL;
  g_autoptr(PushPlanner) planner = NULL;
  g_autoptr(PushPreview) preview = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(PushPreviewStore) previews = NULL;
  g_autoptr(GPtrArray) stored = NULL;

  act_fixture_set_up (&f, 20.0);
  destination = act_make_destination (&f, "Cancelled preview", PUSH_SYNC_TYPE_PROFILE_ONLY,
                                      PUSH_PERSON_ACTION_UPDATE_ONLY, FALSE);
  path = write_audience (&f, "cancel.csv", 1001, 900, 700, PUSH_SYNC_TYPE_PROFILE_ONLY,
                         PUSH_PERSON_ACTION_UPDATE_ONLY, expected);
  file = g_file_new_for_path (path);
  client = make_client (&f);

  planner = push_planner_new (destination, file, client);
  push_planner_set_mode (planner, PUSH_PREVIEW_MODE_FULL);
  push_planner_set_store (planner, f.store);
  g_signal_connect (planner, "progress", G_CALLBACK (cancel_soon_cb), cancellable);
  preview = push_planner_run (planner, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (preview);

  /* Stopped early: not every lookup was made, and nothing was stored. */
  g_assert_cmpuint (assert_reads_only (&f), <, 6);
  previews = push_preview_store_new (f.store);
  g_clear_error (&error);
  stored = push_preview_store_list (previews, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stored->len, ==, 0);

  act_fixture_tear_down (&f);
}

static void
test_invalid (void)
{
  ActFixture f = { 0 };
  g_autoptr(GPtrArray) expected = g_ptr_array_new_with_free_func ((GDestroyNotify) expected_free);
  g_autoptr(PushDestination) destination = NULL;
  g_autoptr(MarketoClient) client = NULL;
  g_autoptr(PushPlanner) planner = NULL;
  g_autoptr(PushPreview) preview = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  act_fixture_set_up (&f, 0.0);
  destination = act_make_destination (&f, "Broken", PUSH_SYNC_TYPE_PROFILE_ONLY,
                                      PUSH_PERSON_ACTION_CREATE_OR_UPDATE, FALSE);
  /* A column the audience does not have. */
  push_mapping_add_row (push_destination_get_mapping (destination), "Shoe Size", "city");
  path = write_audience (&f, "broken.csv", 1, 10, 0, PUSH_SYNC_TYPE_PROFILE_ONLY,
                         PUSH_PERSON_ACTION_CREATE_OR_UPDATE, expected);
  file = g_file_new_for_path (path);
  client = make_client (&f);
  marketo_sandbox_clear_request_log (f.sandbox);

  planner = push_planner_new (destination, file, client);
  push_planner_set_mode (planner, PUSH_PREVIEW_MODE_FULL);
  preview = push_planner_run (planner, NULL, &error);
  g_assert_error (error, PUSH_PLANNER_ERROR, PUSH_PLANNER_ERROR_INVALID);
  g_assert_null (preview);
  problems = push_planner_dup_problems (planner);
  g_assert_nonnull (push_problems_find (problems, PUSH_PROBLEM_COLUMN_MISSING));
  /* Only the instance was read. */
  g_assert_cmpuint (assert_reads_only (&f), ==, 0);

  act_fixture_tear_down (&f);
}

/* ---- The store ------------------------------------------------------------------------ */

static void
test_store (void)
{
  ActFixture f = { 0 };
  g_autoptr(PushDestination) destination = NULL;
  g_autoptr(PushPreviewStore) previews = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GPtrArray) members = NULL;
  g_autoptr(PushPreviewInfo) info = NULL;
  g_autoptr(PushPreviewInfo) latest = NULL;
  g_autoptr(PushPrediction) member = NULL;
  g_autoptr(GError) error = NULL;
  PushPrediction rows[3] = { { 0 } };
  gint64 other = 1999;
  char *ids[PUSH_PREVIEW_STORE_KEEP_PER_DESTINATION + 2] = { NULL };

  act_fixture_set_up (&f, 0.0);
  destination = act_make_destination (&f, "Stored", PUSH_SYNC_TYPE_PROFILE_ONLY,
                                      PUSH_PERSON_ACTION_CREATE_OR_UPDATE, FALSE);
  previews = push_preview_store_new (f.store);

  rows[0].row_number = 1;
  rows[0].dedupe_value = (char *) "a@example.com";
  rows[0].outcome = PUSH_OUTCOME_UPDATED;
  rows[0].lead_id = 1001;
  rows[0].partition_id = 2;
  rows[1].row_number = 2;
  rows[1].outcome = PUSH_OUTCOME_SET_ASIDE;
  rows[1].reason = (char *) "Row 2: the dedupe value in column “Email” (email) is empty";
  rows[2].row_number = 7;
  rows[2].dedupe_value = (char *) "twin@example.com";
  rows[2].outcome = PUSH_OUTCOME_REJECTED;
  rows[2].lead_id = 2000;
  rows[2].other_lead_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_array_append_val (rows[2].other_lead_ids, other);
  rows[2].reason_code = 1007;
  rows[2].reason = (char *) "two leads";

  /* More previews than a destination keeps: the oldest go. */
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(PushPreviewInfo) one = push_preview_info_new ();

      one->id = ids[i] = push_preview_store_new_id ();
      one->destination_id = g_strdup (push_destination_get_id (destination));
      one->destination_document = push_destination_export (destination, NULL, NULL);
      one->audience_fingerprint = g_strdup (i % 2 == 0 ? "v1:1:2:even" : "v1:1:2:odd");
      one->mode = i == 1 ? PUSH_PREVIEW_MODE_FULL : PUSH_PREVIEW_MODE_SAMPLE;
      one->summary = json_from_string ("{\"members\": 3}", NULL);
      g_assert_true (push_preview_store_save (previews, one, rows, G_N_ELEMENTS (rows), &error));
      g_assert_no_error (error);
      one->id = NULL;  /* ids[i] keeps it */
    }
  listed = push_preview_store_list (previews, push_destination_get_id (destination), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, PUSH_PREVIEW_STORE_KEEP_PER_DESTINATION);
  g_assert_cmpstr (((PushPreviewInfo *) listed->pdata[0])->id, ==, ids[G_N_ELEMENTS (ids) - 1]);
  info = push_preview_store_get (previews, ids[0], &error);
  g_assert_error (error, PUSH_PREVIEW_STORE_ERROR, PUSH_PREVIEW_STORE_ERROR_NOT_FOUND);
  g_assert_null (info);
  g_clear_error (&error);

  /* The newest for a fingerprint, in a mode. */
  latest = push_preview_store_find_latest (previews, push_destination_get_id (destination),
                                           "v1:1:2:odd", PUSH_PREVIEW_MODE_SAMPLE, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (latest->id, ==, ids[5]);
  g_assert_cmpuint (latest->n_members, ==, 3);
  g_assert_nonnull (latest->summary);
  g_clear_pointer (&latest, push_preview_info_free);
  /* The only full one was pruned. */
  latest = push_preview_store_find_latest (previews, push_destination_get_id (destination), NULL,
                                           PUSH_PREVIEW_MODE_FULL, FALSE, &error);
  g_assert_no_error (error);
  g_assert_null (latest);

  /* Members come back as saved. */
  members = push_preview_store_list_members (previews, ids[6],
                                             PUSH_OUTCOME_MASK (PUSH_OUTCOME_REJECTED) |
                                             PUSH_OUTCOME_MASK (PUSH_OUTCOME_SET_ASIDE),
                                             0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (members->len, ==, 2);
  member = push_preview_store_get_member (previews, ids[6], 7, &error);
  g_assert_no_error (error);
  g_assert_cmpint (member->outcome, ==, PUSH_OUTCOME_REJECTED);
  g_assert_cmpint (member->reason_code, ==, 1007);
  g_assert_cmpstr (member->reason, ==, "two leads");
  g_assert_cmpint (member->lead_id, ==, 2000);
  g_assert_cmpuint (member->n_matches, ==, 2);
  g_assert_cmpint (g_array_index (member->other_lead_ids, gint64, 0), ==, 1999);
  g_clear_pointer (&member, push_prediction_free);
  member = push_preview_store_get_member (previews, ids[6], 2, &error);
  g_assert_no_error (error);
  g_assert_null (member->dedupe_value);
  g_assert_cmpint (member->reason_code, ==, 0);
  g_clear_pointer (&member, push_prediction_free);

  /* A preview of a destination that is not stored is refused. */
  {
    g_autoptr(PushPreviewInfo) stray = push_preview_info_new ();

    stray->id = push_preview_store_new_id ();
    stray->destination_id = g_strdup ("00000000-0000-4000-8000-000000000000");
    g_assert_false (push_preview_store_save (previews, stray, NULL, 0, &error));
    g_assert_error (error, PUSH_STORE_ERROR, PUSH_STORE_ERROR_CONSTRAINT);
    g_clear_error (&error);
  }

  /* Deleting takes the members too; removing the destination takes its previews. */
  g_assert_true (push_preview_store_delete (previews, ids[6], &error));
  g_assert_no_error (error);
  member = push_preview_store_get_member (previews, ids[6], 7, &error);
  g_assert_no_error (error);
  g_assert_null (member);
  g_assert_false (push_preview_store_delete (previews, ids[6], &error));
  g_assert_error (error, PUSH_PREVIEW_STORE_ERROR, PUSH_PREVIEW_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (push_destinations_remove (f.destinations, push_destination_get_id (destination),
                                           &error));
  g_assert_no_error (error);
  g_clear_pointer (&listed, g_ptr_array_unref);
  listed = push_preview_store_list (previews, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 0);

  g_array_unref (rows[2].other_lead_ids);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    g_free (ids[i]);
  act_fixture_tear_down (&f);
}

int
main (int   argc,
      char *argv[])
{
  push_test_init (&argc, &argv);

  g_test_add_func ("/planner/estimate/z", test_z);
  g_test_add_func ("/planner/estimate/sample-size", test_sample_size);
  g_test_add_func ("/planner/estimate/wilson", test_wilson);
  g_test_add_func ("/planner/estimate/sampler-deterministic", test_sampler_deterministic);
  g_test_add_func ("/planner/estimate/sampler-uniform", test_sampler_uniform);
  g_test_add_func ("/planner/estimate/coverage", test_coverage);
  g_test_add_func ("/planner/predict", test_predict);
  g_test_add_func ("/planner/sandbox/full", test_full_sandbox);
  g_test_add_func ("/planner/sandbox/sample", test_sample_sandbox);
  g_test_add_func ("/planner/sandbox/cancel", test_cancel);
  g_test_add_func ("/planner/sandbox/invalid", test_invalid);
  g_test_add_func ("/planner/store", test_store);

  return g_test_run ();
}
