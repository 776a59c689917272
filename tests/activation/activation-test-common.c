/* activation-test-common.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "activation-test-common.h"
#include "test-utils.h"

void
act_fixture_set_up (ActFixture *f,
                    double      latency_ms)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *endpoint = NULL;

  f->tmpdir = push_test_make_tmpdir ();
  f->db_path = g_build_filename (f->tmpdir, "audience-push.db", NULL);
  f->store = push_store_open (f->db_path, &error);
  g_assert_no_error (error);
  f->runs = push_run_store_new (f->store);
  f->destinations = push_destinations_new (f->store, &error);
  g_assert_no_error (error);

  f->sandbox = marketo_sandbox_new ();
  g_object_set (f->sandbox,
                "seed", (guint64) TEST_SEED,
                "lead-count", (guint) TEST_LEAD_COUNT,
                "latency-base-ms", latency_ms,
                "window-seconds", 2.0,
                "window-calls", (guint) 100,
                NULL);
  g_assert_true (marketo_sandbox_start (f->sandbox, 0, &error));
  g_assert_no_error (error);
  endpoint = marketo_sandbox_dup_endpoint (f->sandbox);

  f->account = push_account_new ();
  push_account_set_name (f->account, "Sandbox test");
  push_account_set_munchkin_id (f->account, "123-ABC-456");
  push_account_set_endpoint (f->account, endpoint);
  push_account_set_client_id (f->account, marketo_sandbox_get_client_id (f->sandbox));
  push_account_set_is_sandbox (f->account, TRUE);
  g_assert_true (push_store_insert_account (f->store, f->account, &error));
  g_assert_no_error (error);

  f->list_id = marketo_sandbox_create_list (f->sandbox, "Activation test list", TEST_FOLDER_ID,
                                            &error);
  g_assert_no_error (error);
  g_assert_cmpint (f->list_id, >, 0);
}

void
act_fixture_tear_down (ActFixture *f)
{
  marketo_sandbox_stop (f->sandbox);
  g_clear_object (&f->sandbox);
  g_clear_object (&f->destinations);
  g_clear_object (&f->runs);
  g_clear_object (&f->account);
  g_clear_object (&f->store);
  push_test_rm_rf (f->tmpdir);
  g_clear_pointer (&f->tmpdir, g_free);
  g_clear_pointer (&f->db_path, g_free);
}

PushDestination *
act_make_destination (ActFixture       *f,
                      const char       *name,
                      PushSyncType      sync_type,
                      PushPersonAction  action,
                      gboolean          create_list)
{
  g_autoptr(PushDestination) destination = push_destination_new ();
  g_autoptr(GError) error = NULL;
  PushMapping *mapping;

  push_destination_set_name (destination, name);
  push_destination_set_account_id (destination, push_account_get_id (f->account));
  push_destination_set_sync_type (destination, sync_type);
  push_destination_set_person_action (destination, action);
  push_destination_set_dedupe_field (destination, "email");
  if (!push_sync_type_uses_list (sync_type))
    push_destination_set_list_target_kind (destination, PUSH_LIST_TARGET_NONE);
  else if (create_list)
    {
      push_destination_set_list_target_kind (destination, PUSH_LIST_TARGET_CREATE_PER_AUDIENCE);
      push_destination_set_list_name_template (destination, "AP {audience}");
      push_destination_set_list_clash_policy (destination, PUSH_LIST_CLASH_REUSE);
      push_destination_set_list_folder (destination, TEST_FOLDER_ID, "Folder", "Audiences");
    }
  else
    {
      push_destination_set_list_target_kind (destination, PUSH_LIST_TARGET_EXISTING);
      push_destination_set_existing_list (destination, f->list_id, "Activation test list");
    }
  push_destination_set_privacy_acknowledged (destination, TRUE);

  mapping = push_destination_get_mapping (destination);
  push_mapping_set_identity_column (mapping, "Email");
  push_mapping_set_identity_field (mapping, "email");
  if (sync_type != PUSH_SYNC_TYPE_AUDIENCE_ONLY)
    {
      push_mapping_add_row (mapping, "First Name", "firstName");
      push_mapping_add_row (mapping, "Last Name", "lastName");
      push_mapping_add_row (mapping, "Value", "lifetimeValue");
    }

  g_assert_true (push_destinations_add (f->destinations, destination, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&destination);
}

MarketoPacer *
act_pacer_new (guint in_flight,
               guint daily_quota)
{
  MarketoPacer *pacer = marketo_pacer_new ();

  /* The sandbox allows 100 calls per 2 s; stay a little under it. */
  marketo_pacer_set_limits (pacer, 90, 2.0, in_flight);
  if (daily_quota > 0)
    marketo_pacer_set_daily_quota (pacer, daily_quota);
  return pacer;
}

static void
configure (ActFixture     *f,
           PushActivation *activation,
           guint           in_flight,
           guint           daily_quota)
{
  g_autoptr(MarketoPacer) pacer = act_pacer_new (in_flight, daily_quota);

  push_activation_set_client_secret (activation, marketo_sandbox_get_client_secret (f->sandbox));
  push_activation_set_pacer (activation, pacer);
  push_activation_set_retry_policy (activation, 20, 200, 8);
  push_activation_set_list_folder (activation, TEST_FOLDER_ID, "Folder");
  push_activation_set_progress_interval (activation, 20);
}

PushActivation *
act_activation_new (ActFixture      *f,
                    PushDestination *destination,
                    const char      *audience_path,
                    guint            in_flight,
                    guint            daily_quota)
{
  PushActivation *activation = push_activation_new (f->store, f->account, destination,
                                                    audience_path);

  configure (f, activation, in_flight, daily_quota);
  return activation;
}

PushActivation *
act_activation_resume (ActFixture *f,
                       const char *run_id,
                       guint       in_flight)
{
  PushActivation *activation = push_activation_new_for_resume (f->store, run_id);

  configure (f, activation, in_flight, 0);
  return activation;
}

char *
act_write_file (ActFixture *f,
                const char *name,
                const char *text)
{
  g_autofree char *path = g_build_filename (f->tmpdir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

char *
act_seed_email (guint n)
{
  return marketo_sandbox_seed_email (TEST_SEED, n);
}

GHashTable *
act_outcomes_by_row (ActFixture *f,
                     const char *run_id)
{
  g_autoptr(GPtrArray) outcomes = NULL;
  g_autoptr(GError) error = NULL;
  GHashTable *by_row = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                              (GDestroyNotify) push_outcome_record_free);

  outcomes = push_run_store_list_outcomes (f->runs, run_id, PUSH_OUTCOME_MASK_ALL, 0, 0,
                                           &error);
  g_assert_no_error (error);
  for (guint i = 0; i < outcomes->len; i++)
    {
      PushOutcomeRecord *record = push_outcome_record_copy (g_ptr_array_index (outcomes, i));
      gint64 *key = g_new (gint64, 1);

      *key = (gint64) record->row_number;
      /* One outcome per row: the primary key guarantees it, check anyway. */
      g_assert_false (g_hash_table_contains (by_row, key));
      g_hash_table_insert (by_row, key, record);
    }
  return by_row;
}

GHashTable *
act_list_members (ActFixture *f,
                  gint64      list_id)
{
  g_autoptr(GArray) members = marketo_sandbox_dup_list_members (f->sandbox, list_id);
  GHashTable *set = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  g_assert_nonnull (members);
  for (guint i = 0; i < members->len; i++)
    {
      gint64 *key = g_new (gint64, 1);

      *key = g_array_index (members, gint64, i);
      g_hash_table_add (set, key);
    }
  return set;
}
