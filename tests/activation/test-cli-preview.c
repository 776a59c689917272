/* test-cli-preview.c: "audience-push-cli preview", run as a subprocess the way scripts run it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The account and the destination are put in the default database (under the test's own
 * isolated XDG directories, which the subprocess inherits); the secret goes through
 * AUDIENCE_PUSH_CLIENT_SECRET, so no keyring is needed. The sandbox runs in this process, so
 * its request log shows that the command only read.
 */
#include "config.h"

#include <string.h>

#include "marketo-sandbox.h"
#include "push-destinations.h"
#include "push-preview-store.h"
#include "push-store.h"
#include "test-utils.h"

static char *cli_path;

typedef struct {
  MarketoSandbox   *sandbox;
  PushStore        *store;
  PushDestinations *destinations;
  char             *tmpdir;
  char             *audience;
} Fixture;

typedef struct {
  int   status;
  char *out;
  char *err;
} Result;

static void
result_clear (Result *result)
{
  g_clear_pointer (&result->out, g_free);
  g_clear_pointer (&result->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Result, result_clear)

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PushAccount) account = push_account_new ();
  g_autoptr(PushDestination) destination = push_destination_new ();
  g_autoptr(GString) csv = g_string_new ("email,first,last\n");
  g_autofree char *endpoint = NULL;
  PushMapping *mapping;

  f->sandbox = marketo_sandbox_new ();
  g_object_set (f->sandbox, "seed", (guint64) 7, "lead-count", (guint) 1500, NULL);
  g_assert_true (marketo_sandbox_start (f->sandbox, 0, &error));
  g_assert_no_error (error);
  endpoint = marketo_sandbox_dup_endpoint (f->sandbox);

  /* The default database, where the command looks. */
  f->store = push_store_open (NULL, &error);
  g_assert_no_error (error);
  push_account_set_name (account, "CLI sandbox");
  push_account_set_munchkin_id (account, "123-ABC-456");
  push_account_set_endpoint (account, endpoint);
  push_account_set_client_id (account, marketo_sandbox_get_client_id (f->sandbox));
  push_account_set_is_sandbox (account, TRUE);
  g_assert_true (push_store_insert_account (f->store, account, &error));
  g_assert_no_error (error);

  f->destinations = push_destinations_new (f->store, &error);
  g_assert_no_error (error);
  push_destination_set_name (destination, "Newsletter");
  push_destination_set_account_id (destination, push_account_get_id (account));
  push_destination_set_sync_type (destination, PUSH_SYNC_TYPE_PROFILE_ONLY);
  push_destination_set_person_action (destination, PUSH_PERSON_ACTION_CREATE_OR_UPDATE);
  push_destination_set_list_target_kind (destination, PUSH_LIST_TARGET_NONE);
  push_destination_set_dedupe_field (destination, "email");
  mapping = push_destination_get_mapping (destination);
  push_mapping_set_identity_column (mapping, "email");
  push_mapping_set_identity_field (mapping, "email");
  push_mapping_add_row (mapping, "first", "firstName");
  push_mapping_add_row (mapping, "last", "lastName");
  g_assert_true (push_destinations_add (f->destinations, destination, &error));
  g_assert_no_error (error);

  /* 800 seeded leads (all distinct e-mails) and 400 new people, one without an e-mail. */
  for (guint i = 1; i <= 800; i++)
    {
      g_autofree char *email = marketo_sandbox_seed_email (7, i);

      g_string_append_printf (csv, "%s,F%u,L%u\n", email, i, i);
    }
  for (guint i = 0; i < 400; i++)
    g_string_append_printf (csv, "fresh.%u@cli.example.com,N%u,P%u\n", i, i, i);
  g_string_append (csv, ",Nobody,Here\n");
  f->tmpdir = push_test_make_tmpdir ();
  f->audience = g_build_filename (f->tmpdir, "people.csv", NULL);
  g_file_set_contents (f->audience, csv->str, -1, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  marketo_sandbox_stop (f->sandbox);
  g_clear_object (&f->sandbox);
  g_clear_object (&f->destinations);
  g_clear_object (&f->store);
  push_test_rm_rf (f->tmpdir);
  g_clear_pointer (&f->tmpdir, g_free);
  g_clear_pointer (&f->audience, g_free);
}

static void
run_cli (Fixture            *f,
         Result             *result,
         const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) subprocess = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, cli_path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "AUDIENCE_PUSH_CLIENT_SECRET",
                                marketo_sandbox_get_client_secret (f->sandbox), TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  /* The test's isolated directories are this process's idea only: hand them over. */
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "HOME", g_get_home_dir (), TRUE);
  subprocess = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                             &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (subprocess, NULL, NULL, &result->out, &result->err, &error);
  g_assert_no_error (error);
  result->status = g_subprocess_get_exit_status (subprocess);
}

static void
assert_reads_only (Fixture *f)
{
  g_autoptr(GPtrArray) log = marketo_sandbox_dup_request_log (f->sandbox);

  g_assert_cmpuint (log->len, >, 0);
  for (guint i = 0; i < log->len; i++)
    {
      const MarketoSandboxRequest *request = g_ptr_array_index (log, i);

      if (g_str_has_prefix (request->path, "/identity/") || g_str_equal (request->method, "GET"))
        continue;
      g_assert_cmpstr (request->method, ==, "POST");
      g_assert_nonnull (request->query);
      g_assert_nonnull (strstr (request->query, "_method=GET"));
    }
}

static void
test_sample_json (Fixture       *f,
                  gconstpointer  data)
{
  g_auto(Result) result = { 0 };
  const char *args[] = { "preview", "--destination", "Newsletter", "--audience", f->audience,
                         "--seed", "99", "--json", NULL };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object, *estimates, *updated, *share;
  JsonArray *predictions;
  guint leads_before = marketo_sandbox_count_leads (f->sandbox);

  marketo_sandbox_clear_request_log (f->sandbox);
  run_cli (f, &result, args);
  g_assert_cmpstr (result.err, ==, "");
  g_assert_cmpint (result.status, ==, 0);

  root = json_from_string (result.out, &error);
  g_assert_no_error (error);
  object = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (object, "mode"), ==, "sample");
  g_assert_true (json_object_get_boolean_member (object, "estimate"));
  g_assert_cmpint (json_object_get_int_member (object, "members"), ==, 1201);
  g_assert_cmpint (json_object_get_int_member (object, "sendable"), ==, 1200);
  /* 2400.91 / (1 + 2399.91 / 1200) = 800.2: 801 looked up */
  g_assert_cmpint (json_object_get_int_member (object, "looked_up"), ==, 801);
  g_assert_cmpint (json_object_get_int_member (object, "seed"), ==, 99);

  /* Two thirds are updated: the interval holds 800 and is about ±2 points of 1,200. */
  estimates = json_object_get_object_member (object, "estimates");
  updated = json_object_get_object_member (estimates, "updated");
  share = json_object_get_object_member (updated, "share");
  g_assert_cmpfloat (json_object_get_double_member (updated, "count_low"), <=, 800.0);
  g_assert_cmpfloat (json_object_get_double_member (updated, "count_high"), >=, 800.0);
  g_assert_cmpfloat (json_object_get_double_member (share, "high") -
                     json_object_get_double_member (share, "low"), <=, 0.041);
  g_assert_true (json_object_has_member (estimates, "created"));

  /* The per-member predictions: the sample and the member set aside. */
  predictions = json_object_get_array_member (object, "predictions");
  g_assert_cmpuint (json_array_get_length (predictions), ==, 802);
  for (guint i = 0; i < json_array_get_length (predictions); i++)
    {
      JsonObject *p = json_array_get_object_element (predictions, i);
      const char *outcome = json_object_get_string_member (p, "outcome");
      const char *email = json_object_get_string_member_with_default (p, "dedupe_value", NULL);

      if (email == NULL)
        g_assert_cmpstr (outcome, ==, "set_aside");
      else if (g_str_has_prefix (email, "fresh."))
        g_assert_cmpstr (outcome, ==, "created");
      else
        {
          g_assert_cmpstr (outcome, ==, "updated");
          g_assert_cmpint (json_object_get_int_member (p, "lead_id"), >, 1000);
        }
    }

  assert_reads_only (f);
  g_assert_cmpuint (marketo_sandbox_count_leads (f->sandbox), ==, leads_before);
}

static void
test_full_text (Fixture       *f,
                gconstpointer  data)
{
  g_auto(Result) result = { 0 };
  const char *args[] = { "preview", "--destination", "Newsletter", "--audience", f->audience,
                         "--full", NULL };
  g_autoptr(PushPreviewStore) previews = push_preview_store_new (f->store);
  g_autoptr(PushPreviewInfo) latest = NULL;
  g_autoptr(GError) error = NULL;
  PushDestination *destination = push_destinations_find_by_name (f->destinations, "Newsletter");

  marketo_sandbox_clear_request_log (f->sandbox);
  run_cli (f, &result, args);
  g_assert_cmpstr (result.err, ==, "");
  g_assert_cmpint (result.status, ==, 0);
  g_test_message ("%s", result.out);
  g_assert_nonnull (strstr (result.out, "Full: all 1,200 members sent were looked up"));
  g_assert_nonnull (strstr (result.out, "1,201 members:"));
  g_assert_nonnull (strstr (result.out, "Updated                      800"));
  g_assert_nonnull (strstr (result.out, "Created                      400"));
  g_assert_nonnull (strstr (result.out, "Set aside                    1"));
  g_assert_nonnull (strstr (result.out, "Forecast of the activation: "));
  g_assert_null (strstr (result.out, "≈"));
  assert_reads_only (f);

  /* Kept for the activation. */
  latest = push_preview_store_find_latest (previews, push_destination_get_id (destination),
                                           NULL, PUSH_PREVIEW_MODE_FULL, FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (latest);
  g_assert_cmpuint (latest->n_members, ==, 1201);
  g_assert_nonnull (strstr (result.out, latest->id));
}

static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  g_auto(Result) missing = { 0 };
  g_auto(Result) unknown = { 0 };
  g_auto(Result) both = { 0 };
  const char *missing_args[] = { "preview", "--destination", "Newsletter", NULL };
  const char *unknown_args[] = { "preview", "--destination", "Nope", "--audience", f->audience,
                                 NULL };
  const char *both_args[] = { "preview", "--destination", "Newsletter", "--audience",
                              f->audience, "--full", "--seed", "3", NULL };

  run_cli (f, &missing, missing_args);
  g_assert_cmpint (missing.status, ==, 2);
  g_assert_nonnull (strstr (missing.err, "--audience"));
  g_assert_cmpstr (missing.out, ==, "");

  run_cli (f, &unknown, unknown_args);
  g_assert_cmpint (unknown.status, ==, 1);
  g_assert_cmpstr (unknown.err, ==, "audience-push-cli: destination \"Nope\" not found\n");

  run_cli (f, &both, both_args);
  g_assert_cmpint (both.status, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  const char *build_root;

  push_test_init (&argc, &argv);

  build_root = g_getenv ("AUDIENCE_PUSH_BUILD_ROOT");
  if (build_root == NULL)
    g_error ("AUDIENCE_PUSH_BUILD_ROOT is not set: run through meson test");
  cli_path = g_build_filename (build_root, "src", "cli", "audience-push-cli", NULL);

  g_test_add ("/preview/cli/sample-json", Fixture, NULL, fixture_set_up, test_sample_json,
              fixture_tear_down);
  g_test_add ("/preview/cli/full-text", Fixture, NULL, fixture_set_up, test_full_text,
              fixture_tear_down);
  g_test_add ("/preview/cli/errors", Fixture, NULL, fixture_set_up, test_errors,
              fixture_tear_down);

  return g_test_run ();
}
