/* test-preview-agreement.c: does the preview predict what the activation then does?
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The truth test of the preview. For every sync type × person action (and the upserts again
 * with the sandbox's partition rule on), on a fresh sandbox: a Full preview of an audience
 * that has every kind of member (leads in all partitions, new people, set-aside rows, a
 * duplicate inside the audience, an e-mail two leads share with known update times, the
 * seeded duplicate e-mails), then — with nothing changed in between — the real activation
 * (PushActivation, the activation engineer's runner) of the same file. Every member's
 * predicted outcome must equal its recorded outcome, with the same lead and reason code, the
 * predicted counts the run's counts, and the preview's forecast the run's forecast. The
 * agreement over all cases is reported as a figure.
 */
#include "config.h"

#include <string.h>

#include "activation-test-common.h"
#include "marketo-client.h"
#include "push-planner.h"
#include "test-utils.h"

typedef struct {
  const char       *name;
  PushSyncType      sync_type;
  PushPersonAction  action;
  gboolean          create_list;
  gboolean          partition_rule;
} Case;

static const Case cases[] = {
  { "audience-only", PUSH_SYNC_TYPE_AUDIENCE_ONLY, PUSH_PERSON_ACTION_CREATE_OR_UPDATE, FALSE, FALSE },
  { "audience-only-update-only", PUSH_SYNC_TYPE_AUDIENCE_ONLY, PUSH_PERSON_ACTION_UPDATE_ONLY, TRUE, FALSE },
  { "profile-create-or-update", PUSH_SYNC_TYPE_PROFILE_ONLY, PUSH_PERSON_ACTION_CREATE_OR_UPDATE, FALSE, FALSE },
  { "profile-update-only", PUSH_SYNC_TYPE_PROFILE_ONLY, PUSH_PERSON_ACTION_UPDATE_ONLY, FALSE, FALSE },
  { "both-create-or-update", PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE, PUSH_PERSON_ACTION_CREATE_OR_UPDATE, TRUE, FALSE },
  { "both-update-only", PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE, PUSH_PERSON_ACTION_UPDATE_ONLY, FALSE, FALSE },
  { "profile-create-or-update-partition-rule", PUSH_SYNC_TYPE_PROFILE_ONLY, PUSH_PERSON_ACTION_CREATE_OR_UPDATE, FALSE, TRUE },
  { "both-create-or-update-partition-rule", PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE, PUSH_PERSON_ACTION_CREATE_OR_UPDATE, FALSE, TRUE },
  { "profile-update-only-partition-rule", PUSH_SYNC_TYPE_PROFILE_ONLY, PUSH_PERSON_ACTION_UPDATE_ONLY, FALSE, TRUE },
};

/* Over all cases, for the figure. */
static guint64 total_members;
static guint64 total_agreeing;
static guint   outcome_kinds_seen;

/* Two leads sharing an e-mail, the one with the lower id updated later: the winner is not
 * simply the newest id. */
static void
seed_twins (ActFixture *f,
            gint64     *winner,
            gint64     *loser)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) a = json_object_new ();
  g_autoptr(JsonObject) b = json_object_new ();

  json_object_set_string_member (a, "email", "shared@agreement.example.com");
  json_object_set_string_member (a, "firstName", "Newer");
  json_object_set_string_member (a, "updatedAt", "2025-09-01T00:00:00Z");
  json_object_set_string_member (b, "email", "Shared@Agreement.example.com");
  json_object_set_string_member (b, "firstName", "Older");
  json_object_set_string_member (b, "updatedAt", "2023-02-01T00:00:00Z");
  *winner = marketo_sandbox_add_lead (f->sandbox, a, "EMEA", &error);
  g_assert_no_error (error);
  *loser = marketo_sandbox_add_lead (f->sandbox, b, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (*loser, >, *winner);
}

static char *
write_audience (ActFixture *f)
{
  g_autoptr(GString) csv = g_string_new ("Email,First Name,Last Name,Value\n");
  g_autofree char *repeated = act_seed_email (12);
  g_autofree char *repeated_upper = g_ascii_strup (repeated, -1);
  g_autofree char *seeded_twin = act_seed_email (1000);  /* lead 999 has it too */
  g_autofree char *bad_value = act_seed_email (430);
  g_autofree char *broken = act_seed_email (431);

  for (guint i = 0; i < 420; i++)
    {
      /* Seeded leads 1 … 420 live in all three partitions. */
      g_autofree char *email = act_seed_email (i + 1);

      g_string_append_printf (csv, "%s,First%u,Last%u,%u.25\n", email, i, i, i);
      if (i == 6)
        {
          g_string_append (csv, ",No,Email,1\n");
          g_string_append (csv, "not-an-address,Bad,Email,2\n");
          g_string_append (csv, "jos\xc3\xa9@agreement.example.com,Jos\xc3\xa9,Accent,3\n");
          g_string_append_printf (csv, "%s,Bad,Value,lots\n", bad_value);
          g_string_append (csv, "shared@agreement.example.com,Shared,Value,4\n");
          g_string_append_printf (csv, "%s,Seeded,Twin,5\n", seeded_twin);
          g_string_append_printf (csv, "\"%s\"x,Quoted,Broken,6\n", broken);
        }
      if (i % 4 == 0)
        g_string_append_printf (csv, "brand.new.%u@agreement.example.com,New%u,Person,%u\n",
                                i, i, i);
    }
  /* Row 12's e-mail again, in capitals: the earlier row is a duplicate. */
  g_string_append_printf (csv, "%s,Again,Twelve,12\n", repeated_upper);
  return act_write_file (f, "agreement.csv", csv->str);
}

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

static void
test_agreement (gconstpointer data)
{
  const Case *c = data;
  ActFixture f = { 0 };
  g_autoptr(PushDestination) destination = NULL;
  g_autoptr(MarketoClient) client = NULL;
  g_autoptr(PushPlanner) planner = NULL;
  g_autoptr(PushPreview) preview = NULL;
  g_autoptr(PushActivation) activation = NULL;
  g_autoptr(PushForecast) run_forecast = NULL;
  g_autoptr(PushRunInfo) run = NULL;
  g_autoptr(GHashTable) outcomes = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *run_id = NULL;
  const PushForecast *forecast;
  guint64 agreeing = 0;
  guint kinds = 0;
  gint64 winner, loser;

  act_fixture_set_up (&f, 0.0);
  g_object_set (f.sandbox, "partition-rule", c->partition_rule, NULL);
  seed_twins (&f, &winner, &loser);
  path = write_audience (&f);
  file = g_file_new_for_path (path);
  destination = act_make_destination (&f, c->name, c->sync_type, c->action, c->create_list);

  /* The preview: Full, through a client of its own (read calls only). */
  client = make_client (&f);
  planner = push_planner_new (destination, file, client);
  push_planner_set_mode (planner, PUSH_PREVIEW_MODE_FULL);
  push_planner_set_partition_rule (planner, c->partition_rule);
  push_planner_set_store (planner, f.store);
  preview = push_planner_run (planner, NULL, &error);
  g_assert_no_error (error);

  /* Then, with nothing changed, the activation. */
  activation = act_activation_new (&f, destination, path, 5, 0);
  g_assert_true (push_activation_run_sync (activation, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (push_activation_get_state (activation), ==, PUSH_RUN_STATE_COMPLETED);
  run_id = push_activation_dup_run_id (activation);
  run = push_run_store_get_run (f.runs, run_id, &error);
  g_assert_no_error (error);
  outcomes = act_outcomes_by_row (&f, run_id);

  /* Member by member. */
  g_assert_cmpuint (push_preview_get_n_predictions (preview), ==, g_hash_table_size (outcomes));
  for (guint i = 0; i < push_preview_get_n_predictions (preview); i++)
    {
      const PushPrediction *p = push_preview_get_prediction (preview, i);
      gint64 row = (gint64) p->row_number;
      const PushOutcomeRecord *actual = g_hash_table_lookup (outcomes, &row);
      gboolean same;

      g_assert_nonnull (actual);
      same = actual->outcome == p->outcome;
      /* The lead, where the run knows it before creating anyone. */
      if (same && (p->outcome == PUSH_OUTCOME_UPDATED || p->outcome == PUSH_OUTCOME_ADDED ||
                   p->outcome == PUSH_OUTCOME_MULTIPLE_MATCHES))
        same = actual->lead_id == p->lead_id;
      if (same && (p->outcome == PUSH_OUTCOME_REJECTED || p->outcome == PUSH_OUTCOME_NOT_FOUND))
        same = actual->reason_code == p->reason_code;
      if (!same)
        g_test_message ("%s: row %" G_GINT64_FORMAT " (%s): predicted %s lead %" G_GINT64_FORMAT
                        " code %d; the run: %s lead %" G_GINT64_FORMAT " code %d (%s)",
                        c->name, row, p->dedupe_value != NULL ? p->dedupe_value : "",
                        push_outcome_to_string (p->outcome), p->lead_id, p->reason_code,
                        push_outcome_to_string (actual->outcome), actual->lead_id,
                        actual->reason_code,
                        actual->reason_message != NULL ? actual->reason_message : "");
      agreeing += same;
      kinds |= 1u << p->outcome;
    }
  total_members += push_preview_get_n_predictions (preview);
  total_agreeing += agreeing;
  outcome_kinds_seen |= kinds;
  g_test_message ("%s: %" G_GUINT64_FORMAT " of %u members predicted right (%.2f %%)", c->name,
                  agreeing, push_preview_get_n_predictions (preview),
                  100.0 * agreeing / push_preview_get_n_predictions (preview));
  g_assert_cmpuint (agreeing, ==, push_preview_get_n_predictions (preview));

  /* The counts and the forecast. */
  g_assert_true (push_run_counts_equal (push_preview_get_counts (preview), &run->counts));
  run_forecast = push_activation_dup_forecast (activation);
  forecast = push_preview_get_forecast (preview);
  g_assert_nonnull (run_forecast);
  g_assert_nonnull (forecast);
  g_assert_cmpuint (forecast->members, ==, run_forecast->members);
  g_assert_cmpuint (forecast->sendable, ==, run_forecast->sendable);
  g_assert_cmpuint (forecast->set_aside, ==, run_forecast->set_aside);
  g_assert_cmpuint (forecast->duplicates, ==, run_forecast->duplicates);
  g_assert_cmpuint (forecast->batches, ==, run_forecast->batches);
  g_assert_cmpuint (forecast->api_calls, ==, run_forecast->api_calls);

  /* The case really exercised what it is about. */
  if (c->sync_type == PUSH_SYNC_TYPE_AUDIENCE_ONLY)
    g_assert_cmpuint (push_preview_get_counts (preview)->multiple_matches, ==, 2);
  else
    g_assert_cmpuint (push_preview_get_counts (preview)->rejected, >=, 2);
  if (c->partition_rule && c->action == PUSH_PERSON_ACTION_CREATE_OR_UPDATE)
    g_assert_cmpuint (push_preview_get_counts (preview)->rejected, >, 50);
  g_assert_cmpuint (push_preview_get_counts (preview)->set_aside, >=, 3);
  g_assert_cmpuint (push_preview_get_counts (preview)->duplicates, ==, 1);

  act_fixture_tear_down (&f);
}

static void
test_figure (void)
{
  if (total_members == 0)
    {
      g_test_skip ("no agreement case ran before (run the whole program)");
      return;
    }
  g_test_message ("agreement over %u cases: %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
                  " members = %.2f %%", (guint) G_N_ELEMENTS (cases), total_agreeing,
                  total_members, 100.0 * total_agreeing / total_members);
  /* Every outcome a run can give without a failure came up somewhere. */
  for (PushOutcome o = PUSH_OUTCOME_CREATED; o < PUSH_OUTCOME_FAILED; o++)
    if ((outcome_kinds_seen & (1u << o)) == 0)
      g_error ("no case predicted %s", push_outcome_to_string (o));
  g_assert_cmpuint (total_agreeing, ==, total_members);
}

int
main (int   argc,
      char *argv[])
{
  push_test_init (&argc, &argv);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *test_path = g_strdup_printf ("/preview/agreement/%s", cases[i].name);

      g_test_add_data_func (test_path, &cases[i], test_agreement);
    }
  /* Added last: g_test_run() keeps the order. */
  g_test_add_func ("/preview/agreement/~figure", test_figure);

  return g_test_run ();
}
