/* test-activation.c: the activation runner against the in-process sandbox
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Real HTTP on 127.0.0.1 (MarketoSandbox), a real SQLite file, the real reader, builder,
 * validator and client. Every case checks the sandbox's final leads and list membership
 * against a model of what the audience should do, and every member's recorded outcome.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "activation-test-common.h"
#include "marketo-error.h"
#include "push-dedupe-index.h"
#include "push-forecast.h"
#include "push-lead-matcher.h"
#include "push-problem.h"
#include "push-run-report.h"
#include "test-utils.h"

/* ---- The model audience --------------------------------------------------------------- */

typedef enum {
  KIND_EXISTING,    /* a seeded lead */
  KIND_NEW,         /* nobody has it */
  KIND_BAD_VALUE,   /* a seeded lead, but "Value" is not a number */
  KIND_EMPTY,       /* no e-mail */
  KIND_TWIN,        /* two leads have it */
  KIND_DUP_EARLY,   /* a later row repeats its e-mail */
  KIND_BAD_EMAIL,   /* not an e-mail address */
} RowKind;

typedef struct {
  char    *email;
  char    *first;
  char    *last;
  char    *value;
  RowKind  kind;
  gint64   lead_id;  /* KIND_EXISTING / BAD_VALUE / TWIN: the lead it means */
} ARow;

static void
arow_free (ARow *row)
{
  g_free (row->email);
  g_free (row->first);
  g_free (row->last);
  g_free (row->value);
  g_free (row);
}

static void
add_row (GPtrArray  *rows,
         const char *email,
         const char *first,
         const char *last,
         const char *value,
         RowKind     kind,
         gint64      lead_id)
{
  ARow *row = g_new0 (ARow, 1);

  row->email = g_strdup (email);
  row->first = g_strdup (first);
  row->last = g_strdup (last);
  row->value = g_strdup (value);
  row->kind = kind;
  row->lead_id = lead_id;
  g_ptr_array_add (rows, row);
}

typedef struct {
  gint64 twin_old;
  gint64 twin_new;
} Twins;

/* Two leads sharing twin@example.com, the second updated later. */
static Twins
seed_twins (ActFixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) a = json_object_new ();
  g_autoptr(JsonObject) b = json_object_new ();
  Twins twins;

  json_object_set_string_member (a, "email", "twin@example.com");
  json_object_set_string_member (a, "firstName", "Twin A");
  json_object_set_string_member (a, "updatedAt", "2024-01-01T00:00:00Z");
  json_object_set_string_member (b, "email", "twin@example.com");
  json_object_set_string_member (b, "firstName", "Twin B");
  json_object_set_string_member (b, "updatedAt", "2025-06-01T00:00:00Z");
  /* b first, so that the newer one does not simply have the higher id */
  twins.twin_new = marketo_sandbox_add_lead (f->sandbox, b, NULL, &error);
  g_assert_no_error (error);
  twins.twin_old = marketo_sandbox_add_lead (f->sandbox, a, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (twins.twin_old, ==, twins.twin_new + 1);
  return twins;
}

/* The audience of the matrix: special rows first, then @n_existing seeded leads and @n_new
 * new people, and a last row repeating row 10. */
static GPtrArray *
make_audience (const Twins *twins,
               guint        n_existing,
               guint        n_new)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) arow_free);
  g_autofree char *e1 = act_seed_email (1);
  g_autofree char *e2 = act_seed_email (2);
  g_autofree char *e3 = act_seed_email (3);
  g_autofree char *e3_upper = g_ascii_strup (e3, -1);
  g_autofree char *e11 = NULL;

  add_row (rows, e1, "Ana", "One", "10.5", KIND_EXISTING, 1001);
  add_row (rows, "new1@new.example.test", "New", "Person", "5", KIND_NEW, 0);
  add_row (rows, e2, "Bad", "Value", "abc", KIND_BAD_VALUE, 1002);
  add_row (rows, "", "No", "Email", "1", KIND_EMPTY, 0);
  add_row (rows, "twin@example.com", "Twin", "Row", "3", KIND_TWIN, twins->twin_new);
  add_row (rows, e3, "Old", "Three", "1", KIND_DUP_EARLY, 1003);
  add_row (rows, e3_upper, "Final", "Three", "2", KIND_EXISTING, 1003);
  add_row (rows, "not-an-email", "Bad", "Email", "1", KIND_BAD_EMAIL, 0);
  for (guint i = 0; i < n_existing; i++)
    {
      guint n = 10 + i;
      g_autofree char *email = act_seed_email (n);
      g_autofree char *first = g_strdup_printf ("F%u", n);

      /* Seeded leads 999 and 1000 (1999 and 2000, …) share an e-mail: left out here */
      if (n % 1000 == 0 || (n + 1) % 1000 == 0)
        continue;
      /* row 10 is seed lead 11: repeated by the last row */
      add_row (rows, email, first, "Bulk", "7", n == 11 ? KIND_DUP_EARLY : KIND_EXISTING,
               1000 + n);
    }
  for (guint i = 0; i < n_new; i++)
    {
      g_autofree char *email = g_strdup_printf ("bulk-new-%u@new.example.test", i);

      add_row (rows, email, "Bulk", "New", "1.25", KIND_NEW, 0);
    }
  e11 = act_seed_email (11);
  add_row (rows, e11, "Last", "Eleven", "9", KIND_EXISTING, 1011);
  return rows;
}

static char *
audience_csv (GPtrArray *rows)
{
  GString *csv = g_string_new ("Email,First Name,Last Name,Value\n");

  for (guint i = 0; i < rows->len; i++)
    {
      const ARow *row = g_ptr_array_index (rows, i);

      g_string_append_printf (csv, "%s,%s,%s,%s\n", row->email, row->first, row->last,
                              row->value);
    }
  return g_string_free (csv, FALSE);
}

static PushOutcome
expected_outcome (const ARow       *row,
                  PushSyncType      sync_type,
                  PushPersonAction  action)
{
  gboolean audience_only = sync_type == PUSH_SYNC_TYPE_AUDIENCE_ONLY;

  switch (row->kind)
    {
    case KIND_EMPTY:
    case KIND_BAD_EMAIL:
      return PUSH_OUTCOME_SET_ASIDE;
    case KIND_DUP_EARLY:
      return PUSH_OUTCOME_DUPLICATE;
    case KIND_BAD_VALUE:
      if (!audience_only)
        return PUSH_OUTCOME_SET_ASIDE;
      return PUSH_OUTCOME_ADDED;
    case KIND_TWIN:
      return audience_only ? PUSH_OUTCOME_MULTIPLE_MATCHES : PUSH_OUTCOME_REJECTED;
    case KIND_NEW:
      if (!audience_only && action == PUSH_PERSON_ACTION_CREATE_OR_UPDATE)
        return PUSH_OUTCOME_CREATED;
      return PUSH_OUTCOME_NOT_FOUND;
    case KIND_EXISTING:
    default:
      return audience_only ? PUSH_OUTCOME_ADDED : PUSH_OUTCOME_UPDATED;
    }
}

static char *
first_name_of (ActFixture *f,
               gint64      lead_id)
{
  g_autoptr(JsonObject) lead = marketo_sandbox_dup_lead (f->sandbox, lead_id);

  g_assert_nonnull (lead);
  return g_strdup (json_object_get_string_member_with_default (lead, "firstName", ""));
}

/* Checks every outcome row, the run's counts, the sandbox's leads and the list against the
 * model. @list_id: the list the run used (0: none). @resent: the run was stopped and resumed,
 * so a batch may have been sent twice: a new person it created the first time is then
 * 'updated' by the second sending (still created once, with the row's values). */
static void
check_run_full (ActFixture       *f,
                const char       *run_id,
                GPtrArray        *rows,
                PushSyncType      sync_type,
                PushPersonAction  action,
                guint             leads_before,
                GHashTable       *first_names_before,
                gint64            list_id,
                gboolean          resent)
{
  g_autoptr(GHashTable) outcomes = act_outcomes_by_row (f, run_id);
  g_autoptr(GHashTable) expected_list = g_hash_table_new_full (g_int64_hash, g_int64_equal,
                                                               g_free, NULL);
  g_autoptr(PushRunInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  PushRunCounts expected_counts = { 0 };
  guint created = 0;

  info = push_run_store_get_run (f->runs, run_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (info->state, ==, PUSH_RUN_STATE_COMPLETED);
  g_assert_cmpuint (g_hash_table_size (outcomes), ==, rows->len);
  g_assert_cmpuint (info->total_members, ==, rows->len);
  g_assert_cmpuint (info->resume_row, ==, rows->len);

  for (guint i = 0; i < rows->len; i++)
    {
      const ARow *row = g_ptr_array_index (rows, i);
      gint64 key = i + 1;
      const PushOutcomeRecord *record = g_hash_table_lookup (outcomes, &key);
      PushOutcome expected = expected_outcome (row, sync_type, action);

      g_assert_nonnull (record);
      if (resent && expected == PUSH_OUTCOME_CREATED && record->outcome == PUSH_OUTCOME_UPDATED)
        {
          created++;
          expected = PUSH_OUTCOME_UPDATED;
          g_assert_cmpint (record->lead_id, >, 0);
        }
      if (record->outcome != expected)
        g_error ("row %u (%s): outcome %s, expected %s (%s)", i + 1, row->email,
                 push_outcome_to_string (record->outcome), push_outcome_to_string (expected),
                 record->detail != NULL ? record->detail : "");
      push_run_counts_add_outcome (&expected_counts, expected);

      switch (expected)
        {
        case PUSH_OUTCOME_UPDATED:
          if (row->kind == KIND_NEW)
            {
              g_autoptr(GPtrArray) found = marketo_sandbox_find_leads (f->sandbox, "email",
                                                                       row->email);

              g_assert_cmpuint (found->len, ==, 1);
              g_assert_cmpint (json_object_get_int_member (g_ptr_array_index (found, 0), "id"),
                               ==, record->lead_id);
              break;
            }
          g_assert_cmpint (record->lead_id, ==, row->lead_id);
          break;
        case PUSH_OUTCOME_ADDED:
        case PUSH_OUTCOME_MULTIPLE_MATCHES:
          g_assert_cmpint (record->lead_id, ==, row->lead_id);
          break;
        case PUSH_OUTCOME_CREATED:
          {
            g_autoptr(GPtrArray) found = marketo_sandbox_find_leads (f->sandbox, "email",
                                                                     row->email);
            JsonObject *lead;

            g_assert_cmpuint (found->len, ==, 1);
            lead = g_ptr_array_index (found, 0);
            g_assert_cmpint (json_object_get_int_member (lead, "id"), ==, record->lead_id);
            g_assert_cmpstr (json_object_get_string_member (lead, "firstName"), ==, row->first);
            created++;
          }
          break;
        case PUSH_OUTCOME_REJECTED:
          g_assert_cmpint (record->reason_code, ==, 1007);
          g_assert_nonnull (record->reason_message);
          break;
        case PUSH_OUTCOME_NOT_FOUND:
          if (sync_type != PUSH_SYNC_TYPE_AUDIENCE_ONLY)
            g_assert_cmpint (record->reason_code, ==, 1004);
          g_assert_cmpint (record->lead_id, ==, 0);
          {
            g_autoptr(GPtrArray) found = marketo_sandbox_find_leads (f->sandbox, "email",
                                                                     row->email);
            g_assert_cmpuint (found->len, ==, 0);
          }
          break;
        case PUSH_OUTCOME_SET_ASIDE:
          g_assert_nonnull (record->detail);
          break;
        case PUSH_OUTCOME_DUPLICATE:
          g_assert_nonnull (record->detail);
          break;
        case PUSH_OUTCOME_FAILED:
        default:
          g_assert_not_reached ();
        }

      if (expected == PUSH_OUTCOME_MULTIPLE_MATCHES)
        {
          g_autofree char *old_id = g_strdup_printf ("%" G_GINT64_FORMAT, row->lead_id + 1);

          g_assert_nonnull (strstr (record->detail, old_id));
        }

      /* The dedupe value is recorded as read */
      if (row->kind != KIND_EMPTY)
        g_assert_cmpstr (record->dedupe_value, ==, row->email);

      if (list_id > 0 && record->lead_id > 0 &&
          (expected == PUSH_OUTCOME_CREATED || expected == PUSH_OUTCOME_UPDATED ||
           expected == PUSH_OUTCOME_ADDED || expected == PUSH_OUTCOME_MULTIPLE_MATCHES))
        {
          gint64 *id = g_new (gint64, 1);

          *id = record->lead_id;
          g_hash_table_add (expected_list, id);
          expected_counts.added++;
        }
    }

  g_assert_true (push_run_counts_equal (&info->counts, &expected_counts));

  /* The lead database: only creations add leads; updates carry the last row's values */
  g_assert_cmpuint (marketo_sandbox_count_leads (f->sandbox), ==, leads_before + created);
  {
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init (&iter, first_names_before);
    while (g_hash_table_iter_next (&iter, &key, &value))
      {
        gint64 id = *(gint64 *) key;
        g_autofree char *now = first_name_of (f, id);
        const char *expected_name = value;

        for (guint i = 0; i < rows->len; i++)
          {
            const ARow *row = g_ptr_array_index (rows, i);

            if (row->lead_id == id && expected_outcome (row, sync_type, action) ==
                                        PUSH_OUTCOME_UPDATED)
              expected_name = row->first;
          }
        g_assert_cmpstr (now, ==, expected_name);
      }
  }

  /* The list holds exactly the people added to it */
  if (list_id > 0)
    {
      g_autoptr(GHashTable) members = act_list_members (f, list_id);
      GHashTableIter iter;
      gpointer key;

      g_assert_cmpuint (g_hash_table_size (members), ==, g_hash_table_size (expected_list));
      g_hash_table_iter_init (&iter, expected_list);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_assert_true (g_hash_table_contains (members, key));
    }
}

static void
check_run (ActFixture       *f,
           const char       *run_id,
           GPtrArray        *rows,
           PushSyncType      sync_type,
           PushPersonAction  action,
           guint             leads_before,
           GHashTable       *first_names_before,
           gint64            list_id)
{
  check_run_full (f, run_id, rows, sync_type, action, leads_before, first_names_before, list_id,
                  FALSE);
}

static GHashTable *
remember_first_names (ActFixture *f,
                      GPtrArray  *rows)
{
  GHashTable *names = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);

  for (guint i = 0; i < rows->len; i++)
    {
      const ARow *row = g_ptr_array_index (rows, i);
      gint64 *key;

      if (row->lead_id <= 0)
        continue;
      key = g_new (gint64, 1);
      *key = row->lead_id;
      g_hash_table_replace (names, key, first_name_of (f, row->lead_id));
    }
  return names;
}

/* ---- Matrix: each sync type × person action ------------------------------------------- */

typedef struct {
  const char       *name;
  PushSyncType      sync_type;
  PushPersonAction  action;
  gboolean          create_list;
} MatrixCase;

static const MatrixCase matrix_cases[] = {
  { "audience-only", PUSH_SYNC_TYPE_AUDIENCE_ONLY, PUSH_PERSON_ACTION_CREATE_OR_UPDATE, FALSE },
  { "profile-only-update", PUSH_SYNC_TYPE_PROFILE_ONLY, PUSH_PERSON_ACTION_UPDATE_ONLY, FALSE },
  { "profile-only-create-or-update", PUSH_SYNC_TYPE_PROFILE_ONLY,
    PUSH_PERSON_ACTION_CREATE_OR_UPDATE, FALSE },
  { "audience-and-profile-update", PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE,
    PUSH_PERSON_ACTION_UPDATE_ONLY, FALSE },
  { "audience-and-profile-create-or-update", PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE,
    PUSH_PERSON_ACTION_CREATE_OR_UPDATE, TRUE },
};

static void
test_matrix (gconstpointer data)
{
  const MatrixCase *c = data;
  ActFixture f = { 0 };
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GHashTable) names = NULL;
  g_autoptr(PushDestination) destination = NULL;
  g_autoptr(PushActivation) activation = NULL;
  g_autoptr(PushForecast) forecast = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *path = NULL;
  g_autofree char *run_id = NULL;
  g_autoptr(PushRunInfo) info = NULL;
  g_autoptr(GPtrArray) log = NULL;
  Twins twins;
  guint leads_before;
  gint64 list_id;

  act_fixture_set_up (&f, 5);
  twins = seed_twins (&f);
  rows = make_audience (&twins, 600, 80);
  csv = audience_csv (rows);
  path = act_write_file (&f, "matrix.csv", csv);
  names = remember_first_names (&f, rows);
  leads_before = marketo_sandbox_count_leads (f.sandbox);

  destination = act_make_destination (&f, c->name, c->sync_type, c->action, c->create_list);
  activation = act_activation_new (&f, destination, path, 4, 0);
  g_assert_true (push_activation_run_sync (activation, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (push_activation_get_state (activation), ==, PUSH_RUN_STATE_COMPLETED);

  run_id = push_activation_dup_run_id (activation);
  g_assert_nonnull (run_id);
  info = push_run_store_get_run (f.runs, run_id, &error);
  g_assert_no_error (error);

  list_id = 0;
  if (push_sync_type_uses_list (c->sync_type))
    {
      if (c->create_list)
        {
          list_id = marketo_sandbox_find_list (f.sandbox, "AP matrix");
          g_assert_cmpint (list_id, >, 0);
          g_assert_cmpint (list_id, !=, f.list_id);
        }
      else
        list_id = f.list_id;
      g_assert_cmpint (info->list_id, ==, list_id);
    }
  else
    g_assert_cmpint (info->list_id, ==, 0);

  check_run (&f, run_id, rows, c->sync_type, c->action, leads_before, names, list_id);

  /* The progress counts the calls the store counts (the list's look-up and creation too) */
  {
    PushActivationProgress progress;

    push_activation_get_progress (activation, &progress);
    g_assert_cmpuint (progress.calls_used, ==, info->calls_used);
  }

  /* The forecast counted what the run then did */
  forecast = push_activation_dup_forecast (activation);
  g_assert_nonnull (forecast);
  g_assert_cmpuint (forecast->members, ==, rows->len);
  g_assert_cmpuint (forecast->set_aside, ==, info->counts.set_aside);
  g_assert_cmpuint (forecast->duplicates, ==, info->counts.duplicates);
  g_assert_cmpuint (forecast->sendable + forecast->set_aside + forecast->duplicates, ==,
                    rows->len);

  /* Batches of at most 300 records, and the destination's choices on the wire */
  log = marketo_sandbox_dup_request_log (f.sandbox);
  {
    guint syncs = 0, adds = 0, lookups = 0;

    for (guint i = 0; i < log->len; i++)
      {
        const MarketoSandboxRequest *request = g_ptr_array_index (log, i);

        g_assert_cmpuint (request->n_records, <=, 300);
        g_assert_true (request->has_bearer || g_str_has_prefix (request->path, "/identity"));
        if (g_str_equal (request->path, "/rest/v1/leads.json") &&
            g_str_equal (request->method, "POST") &&
            g_strcmp0 (request->content_type, "application/json") == 0)
          syncs++;
        else if (g_str_equal (request->path, "/rest/v1/leads.json"))
          lookups++;
        else if (g_str_has_prefix (request->path, "/rest/v1/lists/"))
          adds++;
      }
    if (c->sync_type == PUSH_SYNC_TYPE_AUDIENCE_ONLY)
      {
        g_assert_cmpuint (syncs, ==, 0);
        g_assert_cmpuint (lookups, ==, forecast->batches);
      }
    else
      {
        g_assert_cmpuint (syncs, ==, forecast->batches);
        g_assert_cmpuint (lookups, ==, 0);
      }
    g_assert_cmpuint (adds, ==, push_sync_type_uses_list (c->sync_type) ? forecast->batches : 0);
  }

  act_fixture_tear_down (&f);
}

/* ---- Faults mid-run -------------------------------------------------------------------- */

static void
test_faults (void)
{
  ActFixture f = { 0 };
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GHashTable) names = NULL;
  g_autoptr(PushDestination) destination = NULL;
  g_autoptr(PushActivation) activation = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) log = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *path = NULL;
  g_autofree char *run_id = NULL;
  guint faulted = 0;
  Twins twins;
  guint leads_before;

  act_fixture_set_up (&f, 5);
  twins = seed_twins (&f);
  rows = make_audience (&twins, 600, 80);
  csv = audience_csv (rows);
  path = act_write_file (&f, "faults.csv", csv);
  names = remember_first_names (&f, rows);
  leads_before = marketo_sandbox_count_leads (f.sandbox);

  destination = act_make_destination (&f, "faults", PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE,
                                      PUSH_PERSON_ACTION_CREATE_OR_UPDATE, FALSE);
  /* After describe and partitions: token expiry, rate limit, concurrency limit, 5xx with an
   * HTML body, a reset connection, a transient code; on syncs and on list additions. */
  g_assert_true (marketo_sandbox_add_fault_spec (f.sandbox,
                                                 "602:1@/rest/v1/leads.json,"
                                                 "606:1@/rest/v1/lists/,"
                                                 "615:1@/rest/v1/leads.json,"
                                                 "http502:1@/rest/v1/leads.json,"
                                                 "reset:1@/rest/v1/lists/,"
                                                 "604:1@/rest/v1/leads.json",
                                                 &error));
  g_assert_no_error (error);

  activation = act_activation_new (&f, destination, path, 3, 0);
  g_assert_true (push_activation_run_sync (activation, NULL, &error));
  g_assert_no_error (error);
  run_id = push_activation_dup_run_id (activation);
  check_run (&f, run_id, rows, PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE,
             PUSH_PERSON_ACTION_CREATE_OR_UPDATE, leads_before, names, f.list_id);

  log = marketo_sandbox_dup_request_log (f.sandbox);
  for (guint i = 0; i < log->len; i++)
    {
      const MarketoSandboxRequest *request = g_ptr_array_index (log, i);

      if (request->faulted)
        faulted++;
    }
  g_assert_cmpuint (faulted, ==, 6);

  act_fixture_tear_down (&f);
}

/* ---- Daily quota: 607 pauses, a new day resumes ------------------------------------------ */

static void
test_quota_pause_resume (void)
{
  ActFixture f = { 0 };
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GHashTable) names = NULL;
  g_autoptr(PushDestination) destination = NULL;
  g_autoptr(PushActivation) activation = NULL;
  g_autoptr(PushActivation) resumed = NULL;
  g_autoptr(PushRunInfo) paused = NULL;
  g_autoptr(GDateTime) reset = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *path = NULL;
  g_autofree char *run_id = NULL;
  Twins twins;
  guint leads_before;

  act_fixture_set_up (&f, 2);
  twins = seed_twins (&f);
  rows = make_audience (&twins, 600, 80);
  csv = audience_csv (rows);
  path = act_write_file (&f, "quota.csv", csv);
  names = remember_first_names (&f, rows);
  leads_before = marketo_sandbox_count_leads (f.sandbox);

  /* describe + partitions + a few syncs and additions; then 607 */
  g_object_set (f.sandbox, "daily-quota", (guint) 6, NULL);

  destination = act_make_destination (&f, "quota", PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE,
                                      PUSH_PERSON_ACTION_CREATE_OR_UPDATE, FALSE);
  activation = act_activation_new (&f, destination, path, 1, 0);
  g_assert_true (push_activation_run_sync (activation, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (push_activation_get_state (activation), ==, PUSH_RUN_STATE_PAUSED);
  reset = push_activation_dup_quota_reset (activation);
  g_assert_nonnull (reset);

  run_id = push_activation_dup_run_id (activation);
  paused = push_run_store_get_run (f.runs, run_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (paused->state, ==, PUSH_RUN_STATE_PAUSED);
  g_assert_nonnull (paused->quota_reset);
  g_assert_cmpint (g_date_time_to_unix (paused->quota_reset), ==, g_date_time_to_unix (reset));
  g_assert_cmpuint (paused->next_batch, >=, 1);
  g_assert_cmpuint (paused->resume_row, <, rows->len);
  g_assert_cmpuint (paused->counts.members, ==, paused->resume_row);
  g_assert_cmpint (push_run_store_count_outcomes (f.runs, run_id, PUSH_OUTCOME_MASK_ALL, NULL),
                   ==, (gint64) paused->resume_row);
  g_assert_true (push_run_state_is_resumable (paused->state));

  /* Still the same day: resuming pauses again at once, without losing anything */
  resumed = act_activation_resume (&f, run_id, 1);
  g_assert_true (push_activation_run_sync (resumed, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (push_activation_get_state (resumed), ==, PUSH_RUN_STATE_PAUSED);
  g_clear_object (&resumed);

  /* The next day in the sandbox: the quota is back */
  {
    g_autoptr(GDateTime) now = marketo_sandbox_dup_now (f.sandbox);
    g_autoptr(GDateTime) tomorrow = g_date_time_add_days (now, 1);

    marketo_sandbox_set_now (f.sandbox, tomorrow);
  }
  resumed = act_activation_resume (&f, run_id, 1);
  g_assert_true (push_activation_run_sync (resumed, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (push_activation_get_state (resumed), ==, PUSH_RUN_STATE_COMPLETED);

  check_run_full (&f, run_id, rows, PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE,
                  PUSH_PERSON_ACTION_CREATE_OR_UPDATE, leads_before, names, f.list_id, TRUE);

  act_fixture_tear_down (&f);
}

/* The local count: the forecast needs confirmation, then the pacer pauses the run. */
static void
test_local_quota (void)
{
  ActFixture f = { 0 };
  g_autoptr(PushDestination) destination = NULL;
  g_autoptr(PushActivation) activation = NULL;
  g_autoptr(PushForecast) forecast = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *path = NULL;
  g_autofree char *run_id = NULL;
  g_autoptr(PushRunInfo) info = NULL;
  Twins twins;

  act_fixture_set_up (&f, 0);
  twins = seed_twins (&f);
  rows = make_audience (&twins, 600, 80);
  csv = audience_csv (rows);
  path = act_write_file (&f, "local.csv", csv);
  destination = act_make_destination (&f, "local", PUSH_SYNC_TYPE_PROFILE_ONLY,
                                      PUSH_PERSON_ACTION_CREATE_OR_UPDATE, FALSE);

  /* 2 calls of a quota of 4 go to describe and partitions; the run needs 3 more */
  activation = act_activation_new (&f, destination, path, 1, 4);
  g_assert_false (push_activation_run_sync (activation, NULL, &error));
  g_assert_error (error, PUSH_ACTIVATION_ERROR, PUSH_ACTIVATION_ERROR_NEEDS_CONFIRMATION);
  forecast = push_activation_dup_forecast (activation);
  g_assert_nonnull (forecast);
  g_assert_true (forecast->exceeds_quota);
  g_assert_cmpuint (forecast->api_calls, ==, 3);
  g_assert_cmpuint (forecast->quota_remaining, ==, 2);
  /* Nothing started */
  runs = push_run_store_list_runs (f.runs, NULL);
  g_assert_cmpuint (runs->len, ==, 0);
  g_clear_error (&error);
  g_clear_object (&activation);

  activation = act_activation_new (&f, destination, path, 1, 4);
  push_activation_set_confirmed (activation, TRUE);
  g_assert_true (push_activation_run_sync (activation, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (push_activation_get_state (activation), ==, PUSH_RUN_STATE_PAUSED);
  run_id = push_activation_dup_run_id (activation);
  info = push_run_store_get_run (f.runs, run_id, NULL);
  g_assert_cmpint (info->state, ==, PUSH_RUN_STATE_PAUSED);
  g_assert_cmpuint (info->next_batch, ==, 2);
  g_assert_nonnull (info->quota_reset);

  act_fixture_tear_down (&f);
}

/* ---- Cancel and resume ---------------------------------------------------------------- */

static void
cancel_after_first_commit_cb (PushActivation               *activation,
                              const PushActivationProgress *progress,
                              gpointer                      user_data)
{
  if (progress->members_done > 0)
    g_cancellable_cancel (user_data);
}

static void
test_cancel_resume (void)
{
  ActFixture f = { 0 };
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GHashTable) names = NULL;
  g_autoptr(PushDestination) destination = NULL;
  g_autoptr(PushActivation) activation = NULL;
  g_autoptr(PushActivation) resumed = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(PushRunInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *path = NULL;
  g_autofree char *run_id = NULL;
  Twins twins;
  guint leads_before;

  act_fixture_set_up (&f, 60);
  twins = seed_twins (&f);
  rows = make_audience (&twins, 1200, 80);
  csv = audience_csv (rows);
  path = act_write_file (&f, "cancel.csv", csv);
  names = remember_first_names (&f, rows);
  leads_before = marketo_sandbox_count_leads (f.sandbox);

  destination = act_make_destination (&f, "cancel", PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE,
                                      PUSH_PERSON_ACTION_CREATE_OR_UPDATE, TRUE);
  activation = act_activation_new (&f, destination, path, 1, 0);
  g_signal_connect (activation, "progress", G_CALLBACK (cancel_after_first_commit_cb),
                    cancellable);
  /* A cancelled run is not an error */
  g_assert_true (push_activation_run_sync (activation, cancellable, &error));
  g_assert_no_error (error);
  g_assert_cmpint (push_activation_get_state (activation), ==, PUSH_RUN_STATE_CANCELLED);

  run_id = push_activation_dup_run_id (activation);
  info = push_run_store_get_run (f.runs, run_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (info->state, ==, PUSH_RUN_STATE_CANCELLED);
  g_assert_cmpuint (info->next_batch, >=, 1);
  g_assert_cmpuint (info->resume_row, <, rows->len);
  g_assert_cmpint (info->list_id, >, 0);

  resumed = act_activation_resume (&f, run_id, 3);
  g_assert_true (push_activation_run_sync (resumed, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (push_activation_get_state (resumed), ==, PUSH_RUN_STATE_COMPLETED);

  /* One list for the whole run: the resume reused the list id it saved */
  g_assert_cmpint (marketo_sandbox_find_list (f.sandbox, "AP cancel"), ==, info->list_id);
  check_run_full (&f, run_id, rows, PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE,
                  PUSH_PERSON_ACTION_CREATE_OR_UPDATE, leads_before, names, info->list_id, TRUE);

  act_fixture_tear_down (&f);
}

/* ---- A changed audience refuses to resume ------------------------------------------------- */

static void
test_fingerprint_changed (void)
{
  ActFixture f = { 0 };
  g_autoptr(PushDestination) destination = NULL;
  g_autoptr(PushActivation) activation = NULL;
  g_autoptr(PushActivation) resumed = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(PushRunInfo) before = NULL;
  g_autoptr(PushRunInfo) after = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *changed = NULL;
  g_autofree char *path = NULL;
  g_autofree char *run_id = NULL;
  Twins twins;

  act_fixture_set_up (&f, 40);
  twins = seed_twins (&f);
  rows = make_audience (&twins, 900, 0);
  csv = audience_csv (rows);
  path = act_write_file (&f, "fingerprint.csv", csv);
  destination = act_make_destination (&f, "fingerprint", PUSH_SYNC_TYPE_PROFILE_ONLY,
                                      PUSH_PERSON_ACTION_UPDATE_ONLY, FALSE);
  activation = act_activation_new (&f, destination, path, 1, 0);
  g_signal_connect (activation, "progress", G_CALLBACK (cancel_after_first_commit_cb),
                    cancellable);
  g_assert_true (push_activation_run_sync (activation, cancellable, &error));
  g_assert_no_error (error);
  g_assert_cmpint (push_activation_get_state (activation), ==, PUSH_RUN_STATE_CANCELLED);
  run_id = push_activation_dup_run_id (activation);
  before = push_run_store_get_run (f.runs, run_id, NULL);

  /* One character changes (same size) */
  changed = g_strdup (csv);
  *strstr (changed, "Ana") = 'E';
  g_free (act_write_file (&f, "fingerprint.csv", changed));

  resumed = act_activation_resume (&f, run_id, 1);
  g_assert_false (push_activation_run_sync (resumed, NULL, &error));
  g_assert_error (error, PUSH_ACTIVATION_ERROR, PUSH_ACTIVATION_ERROR_AUDIENCE_CHANGED);
  g_assert_nonnull (strstr (error->message, run_id));

  /* The run is untouched, and still resumable with the right file */
  after = push_run_store_get_run (f.runs, run_id, NULL);
  g_assert_cmpint (after->state, ==, PUSH_RUN_STATE_CANCELLED);
  g_assert_cmpuint (after->next_batch, ==, before->next_batch);
  g_clear_error (&error);
  g_clear_object (&resumed);

  g_free (act_write_file (&f, "fingerprint.csv", csv));
  resumed = act_activation_resume (&f, run_id, 3);
  g_assert_true (push_activation_run_sync (resumed, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (push_activation_get_state (resumed), ==, PUSH_RUN_STATE_COMPLETED);

  act_fixture_tear_down (&f);
}

/* ---- Interrupted runs ----------------------------------------------------------------- */

static PushRunInfo *
make_run_row (ActFixture   *f,
              PushRunState  state)
{
  PushRunInfo *info = push_run_info_new ();
  g_autoptr(GError) error = NULL;

  info->id = push_run_store_new_id ();
  info->destination_name = g_strdup ("d");
  info->destination_document = g_strdup ("{}");
  info->audience_path = g_strdup ("/nowhere.csv");
  info->audience_fingerprint = g_strdup ("v1:0:0:0");
  info->state = state;
  g_assert_true (push_run_store_create_run (f->runs, info, &error));
  g_assert_no_error (error);
  return info;
}

static void
test_interrupted (void)
{
  ActFixture f = { 0 };
  g_autoptr(PushRunInfo) dead = NULL;
  g_autoptr(PushRunInfo) alive = NULL;
  g_autoptr(PushRunInfo) done = NULL;
  g_autoptr(PushRunInfo) read = NULL;
  g_autoptr(PushRunLock) lock = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) holder = NULL;
  g_autofree char *lock_path = NULL;
  g_autofree char *dead_lock = NULL;
  int status;

  act_fixture_set_up (&f, 0);
  dead = make_run_row (&f, PUSH_RUN_STATE_RUNNING);
  alive = make_run_row (&f, PUSH_RUN_STATE_RUNNING);
  done = make_run_row (&f, PUSH_RUN_STATE_COMPLETED);

  /* "alive" is held by another process: a child holding the lock file */
  lock = push_run_store_lock_run (f.runs, alive->id, &error);
  g_assert_no_error (error);
  lock_path = g_strdup_printf ("%s.runs/%s.lock", f.db_path, alive->id);
  g_clear_pointer (&lock, push_run_lock_release);
  /* The shell becomes the sleep that holds the lock: killing it frees the lock, and
   * nothing is left behind. */
  holder = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                             "sh", "-c", "exec 9>>\"$0\" && flock -x 9 && echo locked && "
                             "exec sleep 30", lock_path, NULL);
  g_assert_no_error (error);
  {
    g_autoptr(GDataInputStream) out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (holder));
    g_autofree char *line = g_data_input_stream_read_line (out, NULL, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (line, ==, "locked");
  }

  /* "dead" left a lock file behind, but nobody holds it (its process was killed) */
  dead_lock = g_strdup_printf ("%s.runs/%s.lock", f.db_path, dead->id);
  g_assert_true (g_file_set_contents (dead_lock, "", 0, NULL));

  status = push_run_store_detect_interrupted (f.runs, &error);
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 1);

  read = push_run_store_get_run (f.runs, dead->id, NULL);
  g_assert_cmpint (read->state, ==, PUSH_RUN_STATE_INTERRUPTED);
  g_assert_nonnull (read->message);
  g_clear_pointer (&read, push_run_info_free);
  read = push_run_store_get_run (f.runs, alive->id, NULL);
  g_assert_cmpint (read->state, ==, PUSH_RUN_STATE_RUNNING);
  g_clear_pointer (&read, push_run_info_free);
  read = push_run_store_get_run (f.runs, done->id, NULL);
  g_assert_cmpint (read->state, ==, PUSH_RUN_STATE_COMPLETED);
  g_clear_pointer (&read, push_run_info_free);

  /* This process can't take the live one either */
  lock = push_run_store_lock_run (f.runs, alive->id, &error);
  g_assert_error (error, PUSH_RUN_STORE_ERROR, PUSH_RUN_STORE_ERROR_LOCKED);
  g_assert_null (lock);
  g_clear_error (&error);

  /* Once the holder dies, the run is found interrupted */
  g_subprocess_force_exit (holder);
  g_subprocess_wait (holder, NULL, NULL);
  status = push_run_store_detect_interrupted (f.runs, &error);
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 1);
  read = push_run_store_get_run (f.runs, alive->id, NULL);
  g_assert_cmpint (read->state, ==, PUSH_RUN_STATE_INTERRUPTED);

  act_fixture_tear_down (&f);
}

/* ---- Duplicates never travel in two batches ------------------------------------------------ */

static void
test_inflight_dedupe (void)
{
  ActFixture f = { 0 };
  g_autoptr(PushDestination) destination = NULL;
  g_autoptr(PushActivation) activation = NULL;
  g_autoptr(GHashTable) outcomes = NULL;
  g_autoptr(GHashTable) sent_rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) csv = g_string_new ("Email,First Name,Last Name,Value\n");
  g_autofree char *path = NULL;
  g_autofree char *run_id = NULL;
  const guint n_people = 1200;
  const guint n_rows = 3000;
  guint leads_before;

  act_fixture_set_up (&f, 40);
  leads_before = marketo_sandbox_count_leads (f.sandbox);

  /* 1,200 new people on 3,000 rows spread over the whole file, in varying case */
  for (guint i = 0; i < n_rows; i++)
    {
      guint person = (i * 7) % n_people;

      g_string_append_printf (csv, "%s%u@dupes.example.test,Row%u,Dup,%u\n",
                              i % 2 ? "Person" : "person", person, i + 1, i);
    }
  path = act_write_file (&f, "dupes.csv", csv->str);

  destination = act_make_destination (&f, "dupes", PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE,
                                      PUSH_PERSON_ACTION_CREATE_OR_UPDATE, FALSE);
  activation = act_activation_new (&f, destination, path, 5, 0);
  g_assert_true (push_activation_run_sync (activation, NULL, &error));
  g_assert_no_error (error);
  run_id = push_activation_dup_run_id (activation);
  outcomes = act_outcomes_by_row (&f, run_id);
  g_assert_cmpuint (g_hash_table_size (outcomes), ==, n_rows);

  /* Each value went out exactly once, from its last row: it was never in two batches, so
   * never in two batches in flight */
  for (guint i = 0; i < n_rows; i++)
    {
      gint64 key = i + 1;
      const PushOutcomeRecord *record = g_hash_table_lookup (outcomes, &key);
      g_autofree char *normal = push_dedupe_key_normalize (record->dedupe_value, -1);
      /* 7 and 1,200 are coprime: a person's rows are n_people apart */
      gboolean last = i + n_people >= n_rows;

      if (record->outcome == PUSH_OUTCOME_DUPLICATE)
        {
          g_assert_false (last);
          continue;
        }
      g_assert_true (last);
      g_assert_cmpint (record->outcome, ==, PUSH_OUTCOME_CREATED);
      g_assert_false (g_hash_table_contains (sent_rows, normal));
      g_hash_table_add (sent_rows, g_steal_pointer (&normal));
    }
  g_assert_cmpuint (g_hash_table_size (sent_rows), ==, n_people);

  /* …and so nobody was created twice */
  g_assert_cmpuint (marketo_sandbox_count_leads (f.sandbox), ==, leads_before + n_people);
  for (guint p = 0; p < n_people; p++)
    {
      g_autofree char *email = g_strdup_printf ("person%u@dupes.example.test", p);
      g_autoptr(GPtrArray) found = marketo_sandbox_find_leads (f.sandbox, "email", email);

      g_assert_cmpuint (found->len, ==, 1);
    }
  /* There was real concurrency to get wrong */
  g_assert_cmpuint (marketo_sandbox_get_peak_in_flight (f.sandbox), >, 1);

  act_fixture_tear_down (&f);
}

/* ---- Pre-flight, list clash, progress ------------------------------------------------------ */

/* The audience is read as the user said: the same file, read with a delimiter it does not
 * use, has none of the mapped columns (and auto-detection reads it right). */
static void
test_audience_format (void)
{
  ActFixture f = { 0 };
  g_autoptr(PushDestination) destination = NULL;
  g_autoptr(PushActivation) wrong = NULL;
  g_autoptr(PushActivation) detected = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  act_fixture_set_up (&f, 0);
  path = act_write_file (&f, "comma.csv",
                         "Email,First Name,Last Name,Value\n"
                         "format.one@example.com,Ann,One,1\n"
                         "format.two@example.com,Bo,Two,2\n");
  destination = act_make_destination (&f, "format", PUSH_SYNC_TYPE_PROFILE_ONLY,
                                      PUSH_PERSON_ACTION_CREATE_OR_UPDATE, FALSE);

  wrong = act_activation_new (&f, destination, path, 2, 0);
  push_activation_set_audience_format (wrong, PUSH_AUDIENCE_FORMAT_CSV, ';');
  g_assert_false (push_activation_run_sync (wrong, NULL, &error));
  g_assert_error (error, PUSH_ACTIVATION_ERROR, PUSH_ACTIVATION_ERROR_INVALID);
  problems = push_activation_dup_problems (wrong);
  g_assert_nonnull (push_problems_find (problems, PUSH_PROBLEM_COLUMN_MISSING));
  g_clear_error (&error);

  detected = act_activation_new (&f, destination, path, 2, 0);
  push_activation_set_audience_format (detected, PUSH_AUDIENCE_FORMAT_CSV, ',');
  g_assert_true (push_activation_run_sync (detected, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (push_activation_get_state (detected), ==, PUSH_RUN_STATE_COMPLETED);

  act_fixture_tear_down (&f);
}

static void
test_preflight_invalid (void)
{
  ActFixture f = { 0 };
  g_autoptr(PushDestination) destination = NULL;
  g_autoptr(PushActivation) activation = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GPtrArray) log = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  act_fixture_set_up (&f, 0);
  path = act_write_file (&f, "nocolumn.csv", "Mail,First Name,Last Name,Value\na@b.example,A,B,1\n");
  destination = act_make_destination (&f, "invalid", PUSH_SYNC_TYPE_PROFILE_ONLY,
                                      PUSH_PERSON_ACTION_CREATE_OR_UPDATE, FALSE);
  marketo_sandbox_clear_request_log (f.sandbox);
  activation = act_activation_new (&f, destination, path, 2, 0);
  g_assert_false (push_activation_run_sync (activation, NULL, &error));
  g_assert_error (error, PUSH_ACTIVATION_ERROR, PUSH_ACTIVATION_ERROR_INVALID);
  problems = push_activation_dup_problems (activation);
  g_assert_nonnull (push_problems_find (problems, PUSH_PROBLEM_COLUMN_MISSING));

  runs = push_run_store_list_runs (f.runs, NULL);
  g_assert_cmpuint (runs->len, ==, 0);
  /* Only the instance's description was read: nothing sent */
  log = marketo_sandbox_dup_request_log (f.sandbox);
  for (guint i = 0; i < log->len; i++)
    {
      const MarketoSandboxRequest *request = g_ptr_array_index (log, i);

      g_assert_true (g_str_equal (request->method, "GET") ||
                     g_str_has_prefix (request->path, "/identity"));
    }

  act_fixture_tear_down (&f);
}

static void
test_list_clash (void)
{
  ActFixture f = { 0 };
  g_autoptr(PushDestination) destination = NULL;
  g_autoptr(PushActivation) activation = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) members = NULL;
  g_autoptr(PushRunInfo) info = NULL;
  g_autofree char *path = NULL;
  g_autofree char *email = act_seed_email (5);
  g_autofree char *csv = g_strdup_printf ("Email,First Name,Last Name,Value\n%s,A,B,1\n", email);
  g_autofree char *message = NULL;
  g_autofree char *run_id = NULL;
  gint64 taken;

  act_fixture_set_up (&f, 0);
  path = act_write_file (&f, "clash.csv", csv);
  taken = marketo_sandbox_create_list (f.sandbox, "AP clash", TEST_FOLDER_ID, &error);
  g_assert_no_error (error);

  /* Reuse: said in the run's message, and the people land in the existing list */
  destination = act_make_destination (&f, "clash", PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE,
                                      PUSH_PERSON_ACTION_CREATE_OR_UPDATE, TRUE);
  activation = act_activation_new (&f, destination, path, 2, 0);
  g_assert_true (push_activation_run_sync (activation, NULL, &error));
  g_assert_no_error (error);
  message = push_activation_dup_message (activation);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "AP clash"));
  run_id = push_activation_dup_run_id (activation);
  info = push_run_store_get_run (f.runs, run_id, NULL);
  g_assert_cmpint (info->list_id, ==, taken);
  g_assert_cmpstr (info->message, ==, message);
  members = marketo_sandbox_dup_list_members (f.sandbox, taken);
  g_assert_cmpuint (members->len, ==, 1);
  g_assert_cmpint (g_array_index (members, gint64, 0), ==, 1005);
  g_clear_object (&activation);

  /* Fail: the run fails before sending anything */
  push_destination_set_list_clash_policy (destination, PUSH_LIST_CLASH_FAIL);
  activation = act_activation_new (&f, destination, path, 2, 0);
  g_assert_false (push_activation_run_sync (activation, NULL, &error));
  g_assert_error (error, PUSH_ACTIVATION_ERROR, PUSH_ACTIVATION_ERROR_LIST_CLASH);
  g_assert_cmpint (push_activation_get_state (activation), ==, PUSH_RUN_STATE_FAILED);
  g_clear_pointer (&run_id, g_free);
  run_id = push_activation_dup_run_id (activation);
  g_clear_pointer (&info, push_run_info_free);
  info = push_run_store_get_run (f.runs, run_id, NULL);
  g_assert_cmpint (info->state, ==, PUSH_RUN_STATE_FAILED);
  g_assert_cmpuint (info->next_batch, ==, 0);

  act_fixture_tear_down (&f);
}

typedef struct {
  guint                  n_signals;
  PushActivationProgress last;
  gboolean               in_main_thread;
  GThread               *main_thread;
} ProgressLog;

static void
progress_logged_cb (PushActivation               *activation,
                    const PushActivationProgress *progress,
                    gpointer                      user_data)
{
  ProgressLog *log = user_data;

  if (log->n_signals > 0)
    g_assert_cmpuint (progress->members_done, >=, log->last.members_done);
  log->n_signals++;
  log->last = *progress;
  if (g_thread_self () != log->main_thread)
    log->in_main_thread = FALSE;
}

static void
test_progress (void)
{
  ActFixture f = { 0 };
  g_autoptr(PushDestination) destination = NULL;
  g_autoptr(PushActivation) activation = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *path = NULL;
  ProgressLog log = { 0 };
  Twins twins;

  act_fixture_set_up (&f, 30);
  twins = seed_twins (&f);
  rows = make_audience (&twins, 1500, 0);
  csv = audience_csv (rows);
  path = act_write_file (&f, "progress.csv", csv);
  destination = act_make_destination (&f, "progress", PUSH_SYNC_TYPE_PROFILE_ONLY,
                                      PUSH_PERSON_ACTION_UPDATE_ONLY, FALSE);
  activation = act_activation_new (&f, destination, path, 1, 0);
  log.main_thread = g_thread_self ();
  log.in_main_thread = TRUE;
  g_signal_connect (activation, "progress", G_CALLBACK (progress_logged_cb), &log);
  g_assert_true (push_activation_run_sync (activation, NULL, &error));
  g_assert_no_error (error);

  /* Several updates (6 batches, one at a time), in the caller's thread, ending complete */
  g_assert_cmpuint (log.n_signals, >=, 3);
  g_assert_true (log.in_main_thread);
  g_assert_cmpint (log.last.state, ==, PUSH_RUN_STATE_COMPLETED);
  g_assert_cmpuint (log.last.members_done, ==, rows->len);
  g_assert_cmpuint (log.last.members_total, ==, rows->len);
  g_assert_cmpuint (log.last.calls_used, >=, 6);
  g_assert_cmpuint (log.last.counts.updated + log.last.counts.set_aside +
                    log.last.counts.duplicates + log.last.counts.rejected +
                    log.last.counts.not_found, ==, rows->len);

  act_fixture_tear_down (&f);
}

/* ---- Units ------------------------------------------------------------------------------ */

static void
test_dedupe_index (void)
{
  g_autoptr(PushDedupeIndex) index = push_dedupe_index_new (0);
  const guint n = 200000;

  g_assert_cmpuint (push_dedupe_key_hash ("Ana@Example.com", 15), ==,
                    push_dedupe_key_hash (" ana@example.COM ", 17));
  g_assert_cmpuint (push_dedupe_key_hash ("a", 1), !=, push_dedupe_key_hash ("b", 1));

  for (guint i = 1; i <= n; i++)
    {
      g_autofree char *value = g_strdup_printf ("v%u", i % (n / 2));

      push_dedupe_index_insert (index, push_dedupe_key_hash (value, strlen (value)), i);
    }
  g_assert_cmpuint (push_dedupe_index_get_size (index), ==, n / 2);
  g_assert_cmpuint (push_dedupe_index_get_n_inserted (index), ==, n);
  for (guint i = 0; i < n / 2; i++)
    {
      g_autofree char *value = g_strdup_printf ("v%u", i);
      guint64 expected = i == 0 ? n : i + n / 2;

      g_assert_cmpuint (push_dedupe_index_lookup (index, push_dedupe_key_hash (value,
                                                                               strlen (value))),
                        ==, expected);
    }
  g_assert_cmpuint (push_dedupe_index_lookup (index, push_dedupe_key_hash ("absent", 6)), ==, 0);
  /* 12 bytes a slot, at most 3/4 full, at most doubled: bounded memory */
  g_assert_cmpuint (push_dedupe_index_get_memory (index), <=, (gsize) (n / 2) * 12 * 4 / 3 * 2);
}

static void
test_forecast (void)
{
  PushForecastInput input = { 0 };
  g_autoptr(PushForecast) forecast = NULL;
  g_autoptr(PushForecast) copy = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  input.sync_type = PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE;
  input.members = 1000;
  input.sendable = 901;
  input.set_aside = 50;
  input.duplicates = 49;
  input.needs_list = TRUE;
  input.daily_quota = 50000;
  input.daily_used = 49995;
  input.window_calls = 100;
  input.window_seconds = 20;
  input.max_in_flight = 10;
  input.latency_seconds = 0.5;
  forecast = push_forecast_compute (&input);

  g_assert_cmpuint (forecast->batches, ==, 4);
  g_assert_cmpuint (forecast->api_calls, ==, 4 + 4 + 2);
  g_assert_cmpuint (forecast->quota_remaining, ==, 5);
  g_assert_true (forecast->exceeds_quota);
  g_assert_cmpfloat_with_epsilon (forecast->quota_share, 2.0, 1e-9);
  /* 10 calls at 100 per 20 s = 2 s; at 10 in flight of 0.5 s each = 0.5 s */
  g_assert_cmpfloat_with_epsilon (forecast->eta_seconds, 2.0, 1e-9);

  node = push_forecast_to_json (forecast);
  copy = push_forecast_new_from_json (node);
  g_assert_cmpuint (copy->api_calls, ==, forecast->api_calls);
  g_assert_cmpint (copy->sync_type, ==, forecast->sync_type);
  g_assert_true (copy->exceeds_quota);
  text = push_forecast_describe (forecast);
  g_assert_nonnull (strstr (text, "901"));

  input.sync_type = PUSH_SYNC_TYPE_PROFILE_ONLY;
  input.daily_used = 0;
  input.latency_seconds = 30;
  g_clear_pointer (&forecast, push_forecast_free);
  forecast = push_forecast_compute (&input);
  g_assert_cmpuint (forecast->api_calls, ==, 4);
  g_assert_false (forecast->exceeds_quota);
  /* the latency bound wins: 4 calls × 30 s / 10 */
  g_assert_cmpfloat_with_epsilon (forecast->eta_seconds, 12.0, 1e-9);
}

static void
test_csv_escape (void)
{
  static const struct { const char *in; const char *out; } cases[] = {
    { "plain", "plain" },
    { "=1+1", "\"'=1+1\"" },
    { "+33 1 23", "\"'+33 1 23\"" },
    { "-2", "\"'-2\"" },
    { "@SUM(A1)", "\"'@SUM(A1)\"" },
    { "\tx", "\"'\tx\"" },
    { "\rx", "\"'\rx\"" },
    { "a,b", "\"a,b\"" },
    { "say \"hi\"", "\"say \"\"hi\"\"\"" },
    { "two\nlines", "\"two\nlines\"" },
    { "a=b", "a=b" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = push_csv_escape_cell (cases[i].in);

      g_assert_cmpstr (out, ==, cases[i].out);
    }
}

static void
test_report_export (void)
{
  ActFixture f = { 0 };
  g_autoptr(PushRunInfo) info = NULL;
  g_autoptr(GPtrArray) outcomes = g_ptr_array_new_with_free_func ((GDestroyNotify) push_outcome_record_free);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  PushRunBatch batch = { 0 };
  PushOutcomeRecord *record;
  PushRunCounts delta = { 0 };
  gint64 n;

  act_fixture_set_up (&f, 0);
  info = make_run_row (&f, PUSH_RUN_STATE_RUNNING);

  record = push_outcome_record_new (1, "=HYPERLINK(\"http://x\")", PUSH_OUTCOME_REJECTED);
  record->reason_code = 1003;
  record->reason_message = g_strdup ("Invalid, \"data\"");
  g_ptr_array_add (outcomes, record);
  record = push_outcome_record_new (2, "-cmd", PUSH_OUTCOME_CREATED);
  record->lead_id = 4242;
  g_ptr_array_add (outcomes, record);
  record = push_outcome_record_new (3, NULL, PUSH_OUTCOME_SET_ASIDE);
  record->detail = g_strdup ("@no value");
  g_ptr_array_add (outcomes, record);
  for (guint i = 0; i < outcomes->len; i++)
    push_run_counts_add_outcome (&delta, ((PushOutcomeRecord *) outcomes->pdata[i])->outcome);
  batch.seq = 0;
  batch.first_row = 1;
  batch.last_row = 3;
  batch.calls = 1;
  g_assert_true (push_run_store_commit_batch (f.runs, info->id, &batch, outcomes, &delta, &error));
  g_assert_no_error (error);

  /* Out of order: refused, nothing written */
  batch.seq = 5;
  g_assert_false (push_run_store_commit_batch (f.runs, info->id, &batch, outcomes, &delta,
                                               &error));
  g_assert_error (error, PUSH_RUN_STORE_ERROR, PUSH_RUN_STORE_ERROR_CHECKPOINT);
  g_clear_error (&error);
  g_assert_cmpint (push_run_store_count_outcomes (f.runs, info->id, PUSH_OUTCOME_MASK_ALL, NULL),
                   ==, 3);
  g_assert_cmpint (push_run_store_count_outcomes (f.runs, info->id,
                                                  PUSH_OUTCOME_MASK (PUSH_OUTCOME_CREATED) |
                                                  PUSH_OUTCOME_MASK (PUSH_OUTCOME_SET_ASIDE),
                                                  NULL), ==, 2);
  {
    g_autoptr(GPtrArray) page = push_run_store_list_outcomes (f.runs, info->id,
                                                              PUSH_OUTCOME_MASK_ALL, 1, 1, NULL);

    g_assert_cmpuint (page->len, ==, 1);
    g_assert_cmpuint (((PushOutcomeRecord *) page->pdata[0])->row_number, ==, 2);
  }

  path = g_build_filename (f.tmpdir, "report.csv", NULL);
  file = g_file_new_for_path (path);
  n = push_run_report_export (f.runs, info->id, file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 3);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 5);
  g_assert_cmpstr (lines[0], ==,
                   "row,dedupe_value,outcome,outcome_label,lead_id,reason_code,reason_message,detail");
  g_assert_true (g_str_has_prefix (lines[1],
                                   "1,\"'=HYPERLINK(\"\"http://x\"\")\",rejected,"));
  g_assert_true (g_str_has_suffix (lines[1], ",,1003,\"Invalid, \"\"data\"\"\","));
  g_assert_true (g_str_has_prefix (lines[2], "2,\"'-cmd\",created,"));
  g_assert_true (g_str_has_suffix (lines[2], ",4242,,,"));
  g_assert_true (g_str_has_suffix (lines[3], ",,,,\"'@no value\""));
  g_assert_cmpstr (lines[4], ==, "");

  act_fixture_tear_down (&f);
}

static void
store_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_matcher (void)
{
  ActFixture f = { 0 };
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(MarketoClient) client = NULL;
  g_autoptr(MarketoPacer) pacer = act_pacer_new (2, 0);
  g_autoptr(PushLeadMatcher) matcher = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) matches = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *endpoint = NULL;
  g_autofree char *e7 = act_seed_email (7);
  g_autofree char *e7_upper = g_ascii_strup (e7, -1);
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  const PushLeadMatch *match;
  Twins twins;

  act_fixture_set_up (&f, 0);
  twins = seed_twins (&f);
  g_main_context_push_thread_default (context);
  endpoint = marketo_sandbox_dup_endpoint (f.sandbox);
  client = marketo_client_new (endpoint, marketo_sandbox_get_client_id (f.sandbox),
                               marketo_sandbox_get_client_secret (f.sandbox), &error);
  g_assert_no_error (error);
  marketo_client_set_pacer (client, pacer);
  matcher = push_lead_matcher_new (client, "email");
  push_lead_matcher_set_extra_fields (matcher, (const char *[]) { "leadPartitionId", NULL });

  /* 650 values: three calls */
  g_ptr_array_add (values, g_strdup (e7_upper));
  g_ptr_array_add (values, g_strdup ("nobody@nowhere.example"));
  g_ptr_array_add (values, g_strdup ("twin@example.com"));
  g_ptr_array_add (values, g_strdup (""));
  for (guint i = 0; i < 646; i++)
    g_ptr_array_add (values, act_seed_email (100 + i));
  push_lead_matcher_match_async (matcher, (const char * const *) values->pdata, values->len,
                                 NULL, store_cb, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  matches = push_lead_matcher_match_finish (matcher, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (matches->len, ==, values->len);
  g_assert_cmpuint (push_lead_matcher_get_calls (matcher), ==, 3);

  match = g_ptr_array_index (matches, 0);
  g_assert_cmpint (push_lead_match_get_lead_id (match), ==, 1007);
  g_assert_cmpuint (match->n_matches, ==, 1);
  g_assert_true (json_object_has_member (match->lead->fields, "leadPartitionId"));
  match = g_ptr_array_index (matches, 1);
  g_assert_cmpint (push_lead_match_get_lead_id (match), ==, 0);
  g_assert_cmpuint (match->n_matches, ==, 0);
  match = g_ptr_array_index (matches, 2);
  g_assert_cmpint (push_lead_match_get_lead_id (match), ==, twins.twin_new);
  g_assert_cmpuint (match->n_matches, ==, 2);
  g_assert_cmpuint (match->other_ids->len, ==, 1);
  g_assert_cmpint (g_array_index (match->other_ids, gint64, 0), ==, twins.twin_old);
  match = g_ptr_array_index (matches, 3);
  g_assert_cmpint (push_lead_match_get_lead_id (match), ==, 0);
  for (guint i = 4; i < values->len; i++)
    {
      match = g_ptr_array_index (matches, i);
      g_assert_cmpuint (match->index, ==, i);
      g_assert_cmpint (push_lead_match_get_lead_id (match), ==, 1000 + 100 + (i - 4));
    }

  g_clear_object (&matcher);
  g_clear_object (&client);
  while (g_main_context_pending (context))
    g_main_context_iteration (context, FALSE);
  g_main_context_pop_thread_default (context);
  act_fixture_tear_down (&f);
}

/* The forecast sentence: plural forms, and durations rounded to the minute. */
static void
test_forecast_wording (void)
{
  static const struct { guint64 sendable, batches, calls; double eta; const char *expect; } cases[] = {
    { 1, 1, 1, 0.4, "1 person to send in 1 batch: about 1 API call (" },
    { 2, 1, 2, 1.0, "2 people to send in 1 batch: about 2 API calls (" },
    { 301, 2, 4, 125.0, "about 2 minutes" },
    { 301, 2, 4, 3580.0, "about 1 h 00 min" },
    { 301, 2, 4, 3540.0, "about 59 minutes" },
    { 301, 2, 4, 7500.0, "about 2 h 05 min" },
    { 301, 2, 4, 59.0, "about 59 seconds" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      PushForecast forecast = { 0, };
      g_autofree char *text = NULL;

      forecast.sendable = cases[i].sendable;
      forecast.batches = cases[i].batches;
      forecast.api_calls = cases[i].calls;
      forecast.quota_remaining = 50000;
      forecast.quota_share = cases[i].calls / 50000.0;
      forecast.eta_seconds = cases[i].eta;
      text = push_forecast_describe (&forecast);
      g_test_message ("%s", text);
      g_assert_nonnull (strstr (text, cases[i].expect));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/activation/dedupe-index", test_dedupe_index);
  g_test_add_func ("/activation/forecast", test_forecast);
  g_test_add_func ("/activation/forecast/wording", test_forecast_wording);
  g_test_add_func ("/activation/csv-escape", test_csv_escape);
  g_test_add_func ("/activation/report-export", test_report_export);
  g_test_add_func ("/activation/matcher", test_matcher);
  for (guint i = 0; i < G_N_ELEMENTS (matrix_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/activation/matrix/%s", matrix_cases[i].name);

      g_test_add_data_func (path, &matrix_cases[i], test_matrix);
    }
  g_test_add_func ("/activation/preflight-invalid", test_preflight_invalid);
  g_test_add_func ("/activation/audience-format", test_audience_format);
  g_test_add_func ("/activation/list-clash", test_list_clash);
  g_test_add_func ("/activation/progress", test_progress);
  g_test_add_func ("/activation/faults", test_faults);
  g_test_add_func ("/activation/quota-pause-resume", test_quota_pause_resume);
  g_test_add_func ("/activation/local-quota", test_local_quota);
  g_test_add_func ("/activation/cancel-resume", test_cancel_resume);
  g_test_add_func ("/activation/fingerprint-changed", test_fingerprint_changed);
  g_test_add_func ("/activation/interrupted", test_interrupted);
  g_test_add_func ("/activation/inflight-dedupe", test_inflight_dedupe);

  return g_test_run ();
}
