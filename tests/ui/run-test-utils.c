/* run-test-utils.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "run-test-utils.h"
#include "ui-test-utils.h"

typedef struct {
  PushAccount *account;
  GError      *error;
  gboolean     done;
} SandboxStart;

static void
sandbox_started_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  SandboxStart *start = user_data;

  start->account = push_application_start_sandbox_finish (PUSH_APPLICATION (source), result,
                                                          &start->error);
  start->done = TRUE;
}

PushAccount *
run_test_start_sandbox (PushApplication *app,
                        double           latency_ms,
                        double           per_record_ms)
{
  SandboxStart start = { NULL, NULL, FALSE };
  MarketoSandbox *sandbox;

  push_application_start_sandbox_async (app, NULL, sandbox_started_cb, &start);
  push_ui_test_wait_until (start.done);
  g_assert_no_error (start.error);
  g_assert_nonnull (start.account);

  sandbox = push_application_get_sandbox (app);
  g_assert_nonnull (sandbox);
  g_object_set (sandbox,
                "latency-base-ms", latency_ms,
                "latency-per-record-ms", per_record_ms,
                NULL);

  /* The application keeps its own reference. */
  g_object_unref (start.account);
  return push_accounts_find_by_id (push_application_get_accounts (app),
                                   push_account_get_id (start.account));
}

PushDestination *
run_test_add_destination (PushApplication *app,
                          PushAccount     *account,
                          const char      *name,
                          PushAlertFlags   alerts)
{
  g_autoptr(PushDestination) destination = push_destination_new ();
  g_autoptr(GError) error = NULL;
  PushMapping *mapping;

  push_destination_set_name (destination, name);
  push_destination_set_account_id (destination, push_account_get_id (account));
  push_destination_set_sync_type (destination, PUSH_SYNC_TYPE_PROFILE_ONLY);
  push_destination_set_person_action (destination, PUSH_PERSON_ACTION_CREATE_OR_UPDATE);
  push_destination_set_list_target_kind (destination, PUSH_LIST_TARGET_NONE);
  push_destination_set_dedupe_field (destination, "email");
  push_destination_set_alerts (destination, alerts);
  push_destination_set_privacy_acknowledged (destination, TRUE);

  mapping = push_destination_get_mapping (destination);
  push_mapping_set_identity_column (mapping, "Email");
  push_mapping_set_identity_field (mapping, "email");
  push_mapping_add_row (mapping, "First Name", "firstName");
  push_mapping_add_row (mapping, "Last Name", "lastName");

  g_assert_true (push_destinations_add (push_application_get_destinations (app), destination,
                                        &error));
  g_assert_no_error (error);

  return g_steal_pointer (&destination);
}

char *
run_test_new_email (guint n)
{
  return g_strdup_printf ("new.person.%u@example.test", n);
}

char *
run_test_write_audience (PushApplication       *app,
                         const char            *name,
                         const RunTestAudience *audience)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "audiences", NULL);
  g_autofree char *file = g_strconcat (name, ".csv", NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autoptr(GString) csv = g_string_new ("Email,First Name,Last Name\r\n");
  g_autoptr(GError) error = NULL;
  guint64 seed = 0;

  g_object_get (push_application_get_sandbox (app), "seed", &seed, NULL);

  /* Seeded leads 1…n (none a multiple of 1000: those share an e-mail). */
  for (guint i = 0; i < audience->n_existing; i++)
    {
      g_autofree char *email = marketo_sandbox_seed_email (seed, i + 1 + (i + 1) / 1000);

      g_string_append_printf (csv, "%s,Known,Person %u\r\n", email, i);
    }
  for (guint i = 0; i < audience->n_new; i++)
    {
      g_autofree char *email = run_test_new_email (i);

      g_string_append_printf (csv, "%s,New,Person %u\r\n", email, i);
      if (i < audience->n_repeated)
        g_string_append_printf (csv, "%s,Repeated,Person %u\r\n", email, i);
    }
  for (guint i = 0; i < audience->n_invalid; i++)
    g_string_append_printf (csv, "not-an-email-%u,Bad,Row %u\r\n", i, i);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, csv->str, csv->len, &error);
  g_assert_no_error (error);

  return g_steal_pointer (&path);
}
