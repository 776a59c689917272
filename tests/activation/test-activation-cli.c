/* test-activation-cli.c: "audience-push-cli activate" and "runs", as scripts run them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sandbox runs in this process (so the test can watch it and inject faults); the CLI runs
 * as a subprocess with its own XDG_DATA_HOME, whose database this test opens too. The kill
 * test SIGKILLs the CLI at scripted points (requests in flight before any commit, after k
 * committed batches, in the middle of an Add to List), resumes with the CLI, and compares the
 * final state with what the audience must give.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>

#include "marketo-sandbox.h"
#include "push-account.h"
#include "push-destinations.h"
#include "push-run-store.h"
#include "push-secrets.h"
#include "push-store.h"
#include "test-utils.h"

#define SEED        7
#define LEAD_COUNT  3000
#define CALL_TIMEOUT_S 60

static char *cli_path;

typedef struct {
  char             *tmpdir;
  char             *data_home;
  char             *db_path;
  PushStore        *store;
  PushRunStore     *runs;
  MarketoSandbox   *sandbox;
  PushAccount      *account;
  gint64            list_id;
  char             *audience;       /* path */
  guint             n_rows;
  guint             n_new;
  guint             leads_before;
  gboolean          use_keyring;
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

/* The audience: seeded leads 1..n_existing (leaving out the pairs that share an e-mail), new
 * people, every 50th row without an e-mail (set aside), and every 97th row repeated at the
 * end (the earlier one a duplicate). */
static void
write_audience (Fixture *f,
                guint    n_existing,
                guint    n_new)
{
  g_autoptr(GString) csv = g_string_new ("Email,First Name,Last Name,Value\n");
  g_autoptr(GPtrArray) repeats = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  guint rows = 0;

  for (guint n = 1; n <= n_existing; n++)
    {
      g_autofree char *email = marketo_sandbox_seed_email (SEED, n);

      if (n % 1000 == 0 || (n + 1) % 1000 == 0)
        continue;
      rows++;
      if (rows % 50 == 0)
        g_string_append_printf (csv, ",Nobody,Row%u,1\n", rows);
      else
        g_string_append_printf (csv, "%s,F%u,L%u,%u.5\n", email, n, n, n);
      if (rows % 97 == 0 && rows % 50 != 0)
        g_ptr_array_add (repeats, g_strdup_printf ("%s,Again%u,L%u,1\n", email, n, n));
    }
  for (guint i = 0; i < n_new; i++)
    {
      rows++;
      g_string_append_printf (csv, "new%u@kill.example.test,New%u,Person,2\n", i, i);
    }
  for (guint i = 0; i < repeats->len; i++)
    {
      rows++;
      g_string_append (csv, g_ptr_array_index (repeats, i));
    }

  f->audience = g_build_filename (f->tmpdir, "kill-audience.csv", NULL);
  g_file_set_contents (f->audience, csv->str, csv->len, &error);
  g_assert_no_error (error);
  f->n_rows = rows;
  f->n_new = n_new;
}

static void
fixture_set_up (Fixture  *f,
                double    latency_ms,
                gboolean  use_keyring)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *endpoint = NULL;
  g_autofree char *db_dir = NULL;
  g_autoptr(PushDestinations) destinations = NULL;
  g_autoptr(PushDestination) destination = push_destination_new ();
  PushMapping *mapping;

  f->tmpdir = push_test_make_tmpdir ();
  f->data_home = g_build_filename (f->tmpdir, "data", NULL);
  db_dir = g_build_filename (f->data_home, "audience-push", NULL);
  g_assert_cmpint (g_mkdir_with_parents (db_dir, 0700), ==, 0);
  f->db_path = g_build_filename (db_dir, "audience-push.db", NULL);
  f->store = push_store_open (f->db_path, &error);
  g_assert_no_error (error);
  f->runs = push_run_store_new (f->store);

  f->sandbox = marketo_sandbox_new ();
  g_object_set (f->sandbox, "seed", (guint64) SEED, "lead-count", (guint) LEAD_COUNT,
                "latency-base-ms", latency_ms, "window-seconds", 2.0,
                "window-calls", (guint) 100, NULL);
  g_assert_true (marketo_sandbox_start (f->sandbox, 0, &error));
  g_assert_no_error (error);
  endpoint = marketo_sandbox_dup_endpoint (f->sandbox);
  f->list_id = marketo_sandbox_create_list (f->sandbox, "Kill test list", 12, &error);
  g_assert_no_error (error);

  f->account = push_account_new ();
  push_account_set_name (f->account, "CLI sandbox");
  push_account_set_munchkin_id (f->account, "123-ABC-456");
  push_account_set_endpoint (f->account, endpoint);
  push_account_set_client_id (f->account, marketo_sandbox_get_client_id (f->sandbox));
  push_account_set_is_sandbox (f->account, TRUE);
  push_account_set_rate_calls (f->account, 90);
  push_account_set_rate_window (f->account, 2);
  push_account_set_max_concurrency (f->account, 3);
  g_assert_true (push_store_insert_account (f->store, f->account, &error));
  g_assert_no_error (error);
  f->use_keyring = use_keyring;
  if (use_keyring)
    {
      g_assert_true (push_secrets_store_sync (push_account_get_id (f->account), "CLI sandbox",
                                              marketo_sandbox_get_client_secret (f->sandbox),
                                              NULL, &error));
      g_assert_no_error (error);
    }

  push_destination_set_name (destination, "Kill test");
  push_destination_set_account_id (destination, push_account_get_id (f->account));
  push_destination_set_sync_type (destination, PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE);
  push_destination_set_person_action (destination, PUSH_PERSON_ACTION_CREATE_OR_UPDATE);
  push_destination_set_dedupe_field (destination, "email");
  push_destination_set_list_target_kind (destination, PUSH_LIST_TARGET_EXISTING);
  push_destination_set_existing_list (destination, f->list_id, "Kill test list");
  push_destination_set_privacy_acknowledged (destination, TRUE);
  mapping = push_destination_get_mapping (destination);
  push_mapping_set_identity_column (mapping, "Email");
  push_mapping_set_identity_field (mapping, "email");
  push_mapping_add_row (mapping, "First Name", "firstName");
  push_mapping_add_row (mapping, "Last Name", "lastName");
  push_mapping_add_row (mapping, "Value", "lifetimeValue");
  destinations = push_destinations_new (f->store, &error);
  g_assert_no_error (error);
  g_assert_true (push_destinations_add (destinations, destination, &error));
  g_assert_no_error (error);

  f->leads_before = marketo_sandbox_count_leads (f->sandbox);
}

static void
fixture_tear_down (Fixture *f)
{
  if (f->use_keyring)
    push_secrets_clear_sync (push_account_get_id (f->account), NULL, NULL);
  marketo_sandbox_stop (f->sandbox);
  g_clear_object (&f->sandbox);
  g_clear_object (&f->runs);
  g_clear_object (&f->store);
  g_clear_object (&f->account);
  push_test_rm_rf (f->tmpdir);
  g_clear_pointer (&f->tmpdir, g_free);
  g_clear_pointer (&f->data_home, g_free);
  g_clear_pointer (&f->db_path, g_free);
  g_clear_pointer (&f->audience, g_free);
}

/* ---- Running the CLI ---- */

static GSubprocess *
spawn_cli (Fixture            *f,
           const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = g_build_filename (f->tmpdir, "cli.out", NULL);
  g_autofree char *err = g_build_filename (f->tmpdir, "cli.err", NULL);
  GSubprocess *subprocess;

  /* fresh output files for every command */
  g_unlink (out);
  g_unlink (err);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", f->data_home, TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  if (f->use_keyring)
    g_subprocess_launcher_unsetenv (launcher, "AUDIENCE_PUSH_CLIENT_SECRET");
  else
    g_subprocess_launcher_setenv (launcher, "AUDIENCE_PUSH_CLIENT_SECRET",
                                  marketo_sandbox_get_client_secret (f->sandbox), TRUE);
  g_subprocess_launcher_set_stdout_file_path (launcher, out);
  g_subprocess_launcher_set_stderr_file_path (launcher, err);

  g_ptr_array_add (argv, cli_path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  subprocess = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                             &error);
  g_assert_no_error (error);
  return subprocess;
}

static gboolean
timed_out_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
waited_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *(gboolean *) user_data = TRUE;
}

static void
wait_and_collect (Fixture     *f,
                  GSubprocess *subprocess,
                  Result      *result)
{
  gboolean timed_out = FALSE;
  gboolean done = FALSE;
  guint timeout_id;
  g_autofree char *out = g_build_filename (f->tmpdir, "cli.out", NULL);
  g_autofree char *err = g_build_filename (f->tmpdir, "cli.err", NULL);

  timeout_id = g_timeout_add_seconds (CALL_TIMEOUT_S, timed_out_cb, &timed_out);
  g_subprocess_wait_async (subprocess, NULL, waited_cb, &done);
  while (!timed_out && !done)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    {
      g_subprocess_force_exit (subprocess);
      g_error ("%s did not end within %d s", cli_path, CALL_TIMEOUT_S);
    }
  g_source_remove (timeout_id);

  result->status = g_subprocess_get_if_exited (subprocess) ?
                   g_subprocess_get_exit_status (subprocess) : -1;
  g_file_get_contents (out, &result->out, NULL, NULL);
  g_file_get_contents (err, &result->err, NULL, NULL);
  g_test_message ("exit %d\nstdout: %s\nstderr: %s", result->status, result->out, result->err);
}

static void
run_cli (Fixture            *f,
         const char * const *args,
         Result             *result)
{
  g_autoptr(GSubprocess) subprocess = spawn_cli (f, args);

  wait_and_collect (f, subprocess, result);
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* Spins the default context for @ms (the CLI is another process: nothing to dispatch here,
 * but the sandbox's thread keeps serving). */
static void
sleep_ms (guint ms)
{
  g_usleep (ms * 1000);
}

static PushRunInfo *
only_run (Fixture *f)
{
  g_autoptr(GPtrArray) runs = push_run_store_list_runs (f->runs, NULL);

  if (runs == NULL || runs->len == 0)
    return NULL;
  g_assert_cmpuint (runs->len, ==, 1);
  return push_run_info_copy (g_ptr_array_index (runs, 0));
}

/* ---- What the audience must give ---- */

static void
check_final_state (Fixture    *f,
                   const char *run_id)
{
  g_autoptr(PushRunInfo) info = push_run_store_get_run (f->runs, run_id, NULL);
  g_autoptr(GPtrArray) outcomes = NULL;
  g_autoptr(GArray) members = marketo_sandbox_dup_list_members (f->sandbox, f->list_id);
  g_autoptr(GHashTable) list = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GHashTable) listed = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GHashTable) sent_values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                             NULL);
  guint set_aside = 0, duplicates = 0, sent = 0;

  g_assert_nonnull (info);
  g_assert_cmpint (info->state, ==, PUSH_RUN_STATE_COMPLETED);
  outcomes = push_run_store_list_outcomes (f->runs, run_id, PUSH_OUTCOME_MASK_ALL, 0, 0, NULL);
  /* Nobody lost, nobody counted twice */
  g_assert_cmpuint (outcomes->len, ==, f->n_rows);
  g_assert_cmpuint (info->counts.members, ==, f->n_rows);
  g_assert_cmpuint (info->total_members, ==, f->n_rows);

  for (guint i = 0; i < members->len; i++)
    g_hash_table_add (list, &g_array_index (members, gint64, i));

  for (guint i = 0; i < outcomes->len; i++)
    {
      PushOutcomeRecord *record = g_ptr_array_index (outcomes, i);

      g_assert_cmpuint (record->row_number, ==, i + 1);
      switch (record->outcome)
        {
        case PUSH_OUTCOME_SET_ASIDE:
          g_assert_null (record->dedupe_value);
          set_aside++;
          break;
        case PUSH_OUTCOME_DUPLICATE:
          duplicates++;
          break;
        case PUSH_OUTCOME_CREATED:
        case PUSH_OUTCOME_UPDATED:
          {
            g_autoptr(GPtrArray) found = marketo_sandbox_find_leads (f->sandbox, "email",
                                                                     record->dedupe_value);

            /* exactly one lead per person, whatever was re-sent */
            g_assert_cmpuint (found->len, ==, 1);
            g_assert_cmpint (json_object_get_int_member (g_ptr_array_index (found, 0), "id"), ==,
                             record->lead_id);
            g_assert_true (g_hash_table_contains (list, &record->lead_id));
            g_hash_table_add (listed, &record->lead_id);
            g_assert_true (g_hash_table_add (sent_values,
                                             g_ascii_strdown (record->dedupe_value, -1)));
            if (g_str_has_prefix (record->dedupe_value, "new"))
              g_assert_true (record->outcome == PUSH_OUTCOME_CREATED ||
                             record->outcome == PUSH_OUTCOME_UPDATED);
            else
              g_assert_cmpint (record->outcome, ==, PUSH_OUTCOME_UPDATED);
            sent++;
          }
          break;
        case PUSH_OUTCOME_ADDED:
        case PUSH_OUTCOME_NOT_FOUND:
        case PUSH_OUTCOME_MULTIPLE_MATCHES:
        case PUSH_OUTCOME_REJECTED:
        case PUSH_OUTCOME_FAILED:
        default:
          g_error ("row %" G_GUINT64_FORMAT ": unexpected outcome %s", record->row_number,
                   push_outcome_to_string (record->outcome));
        }
    }
  g_assert_cmpuint (set_aside, ==, info->counts.set_aside);
  g_assert_cmpuint (duplicates, ==, info->counts.duplicates);
  g_assert_cmpuint (set_aside + duplicates + sent, ==, f->n_rows);
  g_assert_cmpuint (info->counts.added, ==, sent);
  /* The list holds exactly the people sent */
  g_assert_cmpuint (members->len, ==, g_hash_table_size (listed));
  /* Only the new people were created, once each */
  g_assert_cmpuint (marketo_sandbox_count_leads (f->sandbox), ==, f->leads_before + f->n_new);
}

/* ---- Tests ---- */

static void
test_json_and_runs (void)
{
  Fixture f = { 0 };
  g_auto(Result) result = { 0 };
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonObject) counts = NULL;
  g_autofree char *run_id = NULL;
  g_autofree char *report = NULL;
  g_autofree char *contents = NULL;

  fixture_set_up (&f, 0, FALSE);
  write_audience (&f, 700, 40);

  run_cli (&f, (const char *[]) { "activate", "--destination", "kill test", "--audience",
                                  f.audience, "--json", NULL }, &result);
  /* rows were set aside: completed with rejections */
  g_assert_cmpint (result.status, ==, 3);
  object = parse_object (result.out);
  g_assert_cmpstr (json_object_get_string_member (object, "state"), ==, "completed");
  g_assert_cmpint (json_object_get_int_member (object, "exit_status"), ==, 3);
  counts = json_object_ref (json_object_get_object_member (object, "counts"));
  g_assert_cmpint (json_object_get_int_member (counts, "members"), ==, f.n_rows);
  g_assert_cmpint (json_object_get_int_member (counts, "created"), ==, f.n_new);
  g_assert_true (json_object_has_member (object, "forecast"));
  run_id = g_strdup (json_object_get_string_member (object, "run_id"));
  /* no progress line when stderr is not a terminal */
  g_assert_null (strstr (result.err, "members ·"));
  /* the secret never shows */
  g_assert_null (strstr (result.out, marketo_sandbox_get_client_secret (f.sandbox)));
  g_assert_null (strstr (result.err, marketo_sandbox_get_client_secret (f.sandbox)));
  check_final_state (&f, run_id);
  result_clear (&result);

  run_cli (&f, (const char *[]) { "runs", "list", "--json", NULL }, &result);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, run_id));
  result_clear (&result);

  run_cli (&f, (const char *[]) { "runs", "show", run_id, "--json", NULL }, &result);
  g_assert_cmpint (result.status, ==, 0);
  g_clear_pointer (&object, json_object_unref);
  object = parse_object (result.out);
  g_assert_cmpstr (json_object_get_string_member (object, "state"), ==, "completed");
  g_assert_cmpstr (json_object_get_string_member (object, "destination"), ==, "Kill test");
  result_clear (&result);

  run_cli (&f, (const char *[]) { "runs", "show", "no-such-run", NULL }, &result);
  g_assert_cmpint (result.status, ==, 1);
  result_clear (&result);

  report = g_build_filename (f.tmpdir, "report.csv", NULL);
  run_cli (&f, (const char *[]) { "runs", "export", run_id, "--output", report, NULL }, &result);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_true (g_file_get_contents (report, &contents, NULL, NULL));
  {
    g_auto(GStrv) lines = g_strsplit (contents, "\r\n", -1);

    /* header + one line per member + the empty string after the last CRLF */
    g_assert_cmpuint (g_strv_length (lines), ==, f.n_rows + 2);
  }
  result_clear (&result);

  /* Wrong usage */
  run_cli (&f, (const char *[]) { "activate", "--audience", f.audience, NULL }, &result);
  g_assert_cmpint (result.status, ==, 2);
  result_clear (&result);
  run_cli (&f, (const char *[]) { "activate", "--resume", run_id, "--destination", "x", NULL },
           &result);
  g_assert_cmpint (result.status, ==, 2);
  result_clear (&result);
  /* A completed run has nothing to resume */
  run_cli (&f, (const char *[]) { "activate", "--resume", run_id, NULL }, &result);
  g_assert_cmpint (result.status, ==, 1);

  fixture_tear_down (&f);
}

static void
test_needs_confirmation (void)
{
  Fixture f = { 0 };
  g_auto(Result) result = { 0 };
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(PushRunInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  fixture_set_up (&f, 0, FALSE);
  write_audience (&f, 700, 40);
  /* Each try spends 2 calls on describe and partitions; the run needs 6 more */
  push_account_set_daily_quota (f.account, 7);
  g_assert_true (push_store_update_account (f.store, f.account, &error));
  g_assert_no_error (error);

  run_cli (&f, (const char *[]) { "activate", "--destination", "Kill test", "--audience",
                                  f.audience, NULL }, &result);
  g_assert_cmpint (result.status, ==, 4);
  g_assert_nonnull (strstr (result.err, "--yes"));
  g_assert_null (only_run (&f));
  result_clear (&result);

  run_cli (&f, (const char *[]) { "activate", "--destination", "Kill test", "--audience",
                                  f.audience, "--json", NULL }, &result);
  g_assert_cmpint (result.status, ==, 4);
  object = parse_object (result.out);
  g_assert_cmpstr (json_object_get_string_member (object, "state"), ==, "not-started");
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (object,
                                                                                "forecast"),
                                                 "exceeds_quota"));
  g_assert_null (only_run (&f));
  result_clear (&result);

  /* --yes: it goes, and pauses when the local count reaches the quota */
  run_cli (&f, (const char *[]) { "activate", "--destination", "Kill test", "--audience",
                                  f.audience, "--yes", NULL }, &result);
  g_assert_cmpint (result.status, ==, 4);
  g_assert_nonnull (strstr (result.out, "--resume"));
  info = only_run (&f);
  g_assert_cmpint (info->state, ==, PUSH_RUN_STATE_PAUSED);
  g_assert_nonnull (info->quota_reset);

  fixture_tear_down (&f);
}

static gboolean
wait_for (Fixture     *f,
          GSubprocess *cli,
          gboolean   (*condition) (Fixture *f, gpointer data),
          gpointer     data)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      if (condition (f, data))
        return TRUE;
      /* the CLI must still be working */
      if (g_subprocess_get_identifier (cli) == NULL)
        return FALSE;
      sleep_ms (5);
    }
  return FALSE;
}

static gboolean
committed_at_least (Fixture  *f,
                    gpointer  data)
{
  g_autoptr(PushRunInfo) info = only_run (f);

  return info != NULL && info->next_batch >= GPOINTER_TO_UINT (data);
}

/* Sync requests have reached the sandbox (and wait out its latency), nothing committed. */
static gboolean
requests_in_flight (Fixture  *f,
                    gpointer  data)
{
  g_autoptr(PushRunInfo) info = only_run (f);

  return info != NULL && info->state == PUSH_RUN_STATE_RUNNING &&
         marketo_sandbox_get_calls_today (f->sandbox) >= 3;
}

/* Marketo has added people to the list, but no batch is committed yet. */
static gboolean
list_add_applied (Fixture  *f,
                  gpointer  data)
{
  g_autoptr(GArray) members = marketo_sandbox_dup_list_members (f->sandbox, f->list_id);

  return members != NULL && members->len > 0;
}

typedef enum {
  KILL_IN_FLIGHT,
  KILL_AFTER_COMMITS,
  KILL_MID_LIST_ADD,
} KillPoint;

static void
test_kill (gconstpointer data)
{
  KillPoint point = GPOINTER_TO_INT (data);
  Fixture f = { 0 };
  g_auto(Result) killed = { 0 };
  g_auto(Result) shown = { 0 };
  g_auto(Result) resumed = { 0 };
  g_autoptr(GSubprocess) cli = NULL;
  g_autoptr(PushRunInfo) at_kill = NULL;
  g_autoptr(JsonObject) object = NULL;
  gboolean reached = FALSE;

  if (!push_test_require_keyring ())
    return;

  fixture_set_up (&f, 250, TRUE);
  write_audience (&f, 1500, 100);
  if (point == KILL_MID_LIST_ADD)
    {
      /* The first Add to List is applied, then its answer is held back */
      g_assert_true (marketo_sandbox_add_fault_spec (f.sandbox, "stall=3000:1@/rest/v1/lists/",
                                                     NULL));
    }

  cli = spawn_cli (&f, (const char *[]) { "activate", "--destination", "Kill test",
                                          "--audience", f.audience, NULL });
  switch (point)
    {
    case KILL_IN_FLIGHT:
      reached = wait_for (&f, cli, requests_in_flight, NULL);
      break;
    case KILL_AFTER_COMMITS:
      reached = wait_for (&f, cli, committed_at_least, GUINT_TO_POINTER (2));
      break;
    case KILL_MID_LIST_ADD:
      reached = wait_for (&f, cli, list_add_applied, NULL);
      break;
    default:
      g_assert_not_reached ();
    }
  g_subprocess_send_signal (cli, SIGKILL);
  wait_and_collect (&f, cli, &killed);
  g_assert_true (reached);
  g_assert_cmpint (killed.status, ==, -1);
  g_assert_false (g_subprocess_get_if_exited (cli));
  g_assert_cmpint (g_subprocess_get_term_sig (cli), ==, SIGKILL);

  at_kill = only_run (&f);
  g_assert_nonnull (at_kill);
  /* Left 'running' by a dead process */
  g_assert_cmpint (at_kill->state, ==, PUSH_RUN_STATE_RUNNING);
  switch (point)
    {
    case KILL_IN_FLIGHT:
    case KILL_MID_LIST_ADD:
      g_assert_cmpuint (at_kill->next_batch, ==, 0);
      break;
    case KILL_AFTER_COMMITS:
      g_assert_cmpuint (at_kill->next_batch, >=, 2);
      g_assert_cmpuint (at_kill->counts.members, ==, at_kill->resume_row);
      break;
    default:
      g_assert_not_reached ();
    }
  g_assert_cmpint (push_run_store_count_outcomes (f.runs, at_kill->id, PUSH_OUTCOME_MASK_ALL,
                                                  NULL), ==, (gint64) at_kill->resume_row);

  /* The next start finds it interrupted */
  run_cli (&f, (const char *[]) { "runs", "show", at_kill->id, "--json", NULL }, &shown);
  g_assert_cmpint (shown.status, ==, 0);
  object = parse_object (shown.out);
  g_assert_cmpstr (json_object_get_string_member (object, "state"), ==, "interrupted");

  /* Resumed by the CLI, it ends as if nothing had happened */
  marketo_sandbox_clear_faults (f.sandbox);
  run_cli (&f, (const char *[]) { "activate", "--resume", at_kill->id, NULL }, &resumed);
  g_assert_cmpint (resumed.status, ==, 3);
  check_final_state (&f, at_kill->id);

  fixture_tear_down (&f);
}

static gboolean
send_term_after_commit (Fixture  *f,
                        gpointer  data)
{
  return committed_at_least (f, GUINT_TO_POINTER (1));
}

static void
test_sigterm_resume (void)
{
  Fixture f = { 0 };
  g_auto(Result) stopped = { 0 };
  g_auto(Result) resumed = { 0 };
  g_autoptr(GSubprocess) cli = NULL;
  g_autoptr(PushRunInfo) info = NULL;

  fixture_set_up (&f, 150, FALSE);
  write_audience (&f, 1500, 100);
  cli = spawn_cli (&f, (const char *[]) { "activate", "--destination", "Kill test",
                                          "--audience", f.audience, NULL });
  g_assert_true (wait_for (&f, cli, send_term_after_commit, NULL));
  g_subprocess_send_signal (cli, SIGTERM);
  wait_and_collect (&f, cli, &stopped);
  g_assert_cmpint (stopped.status, ==, 4);
  info = only_run (&f);
  g_assert_cmpint (info->state, ==, PUSH_RUN_STATE_CANCELLED);
  g_assert_nonnull (strstr (stopped.out, info->id));

  run_cli (&f, (const char *[]) { "activate", "--resume", info->id, NULL }, &resumed);
  g_assert_cmpint (resumed.status, ==, 3);
  check_final_state (&f, info->id);

  fixture_tear_down (&f);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *default_path = NULL;
  const char *build_root;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  build_root = g_getenv ("AUDIENCE_PUSH_BUILD_ROOT");
  if (g_getenv ("AUDIENCE_PUSH_CLI") != NULL)
    cli_path = g_strdup (g_getenv ("AUDIENCE_PUSH_CLI"));
  else
    cli_path = g_build_filename (build_root != NULL ? build_root : ".", "src", "cli",
                                 "audience-push-cli", NULL);

  g_test_add_func ("/activation-cli/json-and-runs", test_json_and_runs);
  g_test_add_func ("/activation-cli/needs-confirmation", test_needs_confirmation);
  g_test_add_func ("/activation-cli/sigterm-resume", test_sigterm_resume);
  g_test_add_data_func ("/activation-cli/kill/in-flight", GINT_TO_POINTER (KILL_IN_FLIGHT),
                        test_kill);
  g_test_add_data_func ("/activation-cli/kill/after-commits",
                        GINT_TO_POINTER (KILL_AFTER_COMMITS), test_kill);
  g_test_add_data_func ("/activation-cli/kill/mid-list-add", GINT_TO_POINTER (KILL_MID_LIST_ADD),
                        test_kill);

  return g_test_run ();
}
