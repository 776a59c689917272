/* test-cli.c: audience-push-cli, run as a subprocess the way scripts run it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every test has its own XDG_DATA_HOME and XDG_CONFIG_HOME, starts its own
 * "audience-push-cli sandbox" when it needs Marketo and stops it with SIGTERM. The keyring is
 * the real gnome-keyring of tests/run-headless.sh. The binary is found through
 * $AUDIENCE_PUSH_CLI, else $AUDIENCE_PUSH_BUILD_ROOT/src/cli/audience-push-cli.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>

#include "cli-test-utils.h"
#include "marketo-error.h"
#include "push-account.h"
#include "push-secrets.h"
#include "test-utils.h"

#define MUNCHKIN_ID "123-ABC-456"

/* Shorter names for the shared fixture and result (cli-test-utils.h). */
typedef CliFixture Fixture;
typedef CliResult Result;

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Result, cli_result_clear)

#define run_cli(f, stdin_text, env, result, ...) \
  G_STMT_START { \
    const char * const _args[] = { __VA_ARGS__, NULL }; \
    cli_fixture_run_cliv ((f), (stdin_text), (env), _args, (result)); \
  } G_STMT_END

static void
assert_usage_error (const Result *result,
                    const char   *expected_part)
{
  g_auto(GStrv) lines = g_strsplit (result->err, "\n", -1);

  g_assert_cmpint (result->status, ==, 2);
  cli_test_assert_error_line (result, expected_part);
  /* then the hint, and nothing else */
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_nonnull (strstr (lines[1], "--help"));
  g_assert_cmpstr (lines[2], ==, "");
}

#define fixture_start_sandbox(f, ...) \
  cli_fixture_start_sandbox_full ((f), NULL, NULL, (const char * const []) { __VA_ARGS__, NULL })

/* The account called @name in "accounts list --json", or NULL. */
static JsonObject *
listed_account (JsonNode   *list,
                const char *name)
{
  JsonArray *array;

  g_assert_true (JSON_NODE_HOLDS_ARRAY (list));
  array = json_node_get_array (list);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);

      if (g_strcmp0 (json_object_get_string_member (object, "name"), name) == 0)
        return object;
    }

  return NULL;
}

static char *
account_id (Fixture    *f,
            const char *name)
{
  g_auto(Result) result = { 0, };
  g_autoptr(JsonNode) list = NULL;
  JsonObject *account;

  run_cli (f, NULL, NULL, &result, "accounts", "list", "--json");
  g_assert_cmpint (result.status, ==, 0);
  list = cli_test_parse_json (result.out);
  account = listed_account (list, name);
  g_assert_nonnull (account);
  return g_strdup (json_object_get_string_member (account, "id"));
}

static gboolean
contains_bytes (const char *haystack,
                gsize       length,
                const char *needle)
{
  gsize needle_length = strlen (needle);

  for (gsize i = 0; needle_length <= length && i <= length - needle_length; i++)
    if (memcmp (haystack + i, needle, needle_length) == 0)
      return TRUE;

  return FALSE;
}

/* Fails when @needle is in any file under @dir (recursively); returns how many files were
 * read, so a caller can tell the search was not empty. */
static guint
assert_not_in_files (const char *dir,
                     const char *needle)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n_files = 0;

  if (handle == NULL)
    return 0;

  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          n_files += assert_not_in_files (path, needle);
          continue;
        }
      if (!g_file_get_contents (path, &contents, &length, NULL))
        continue;
      n_files++;
      if (contains_bytes (contents, length, needle))
        g_error ("a secret was written to %s", path);
    }

  return n_files;
}

/* ---- the tests ---- */

static void
test_usage (Fixture       *f,
            gconstpointer  data)
{
  g_auto(Result) r1 = { 0, };
  g_auto(Result) r2 = { 0, };
  g_auto(Result) r3 = { 0, };
  g_auto(Result) r4 = { 0, };
  g_auto(Result) r5 = { 0, };
  g_auto(Result) r6 = { 0, };
  g_auto(Result) r7 = { 0, };
  g_auto(Result) r8 = { 0, };
  g_auto(Result) r9 = { 0, };
  g_auto(Result) r10 = { 0, };
  g_auto(Result) r11 = { 0, };
  g_auto(Result) r12 = { 0, };
  g_auto(Result) r13 = { 0, };
  g_autofree char *version = g_strdup_printf ("audience-push-cli %s\n", PACKAGE_VERSION);
  g_autofree char *db_dir = g_build_filename (f->data_home, "audience-push", NULL);
  const char * const secret_env[] = { "AUDIENCE_PUSH_CLIENT_SECRET=from-the-environment", NULL };

  g_ptr_array_add (f->forbidden, g_strdup ("hunter2-on-the-command-line"));

  run_cli (f, NULL, NULL, &r1, "frobnicate");
  assert_usage_error (&r1, "unknown command \"frobnicate\"");
  g_assert_cmpstr (r1.out, ==, "");

  run_cli (f, NULL, NULL, &r2, "--version");
  g_assert_cmpint (r2.status, ==, 0);
  g_assert_cmpstr (r2.out, ==, version);

  run_cli (f, NULL, NULL, &r3, "--help");
  g_assert_cmpint (r3.status, ==, 0);
  g_assert_nonnull (strstr (r3.out, "accounts"));
  g_assert_nonnull (strstr (r3.out, "sandbox"));

  /* missing --name */
  run_cli (f, NULL, secret_env, &r4, "accounts", "add", "--munchkin-id", MUNCHKIN_ID,
           "--client-id", "abc");
  assert_usage_error (&r4, "--name");

  /* a secret on the command line is refused, and not repeated */
  run_cli (f, NULL, secret_env, &r5, "accounts", "add", "--name", "Prod",
           "--munchkin-id", MUNCHKIN_ID, "--client-id", "abc",
           "--client-secret", "hunter2-on-the-command-line");
  assert_usage_error (&r5, "--client-secret-stdin");
  run_cli (f, NULL, secret_env, &r6, "accounts", "add", "--name", "Prod",
           "--munchkin-id", MUNCHKIN_ID, "--client-id", "abc",
           "--client-secret=hunter2-on-the-command-line");
  assert_usage_error (&r6, "--client-secret");

  /* an unknown option, a missing and an extra argument, a bad number */
  run_cli (f, NULL, NULL, &r7, "accounts", "list", "--bogus");
  assert_usage_error (&r7, "--bogus");
  run_cli (f, NULL, NULL, &r8, "accounts", "test");
  assert_usage_error (&r8, "NAME");
  run_cli (f, NULL, NULL, &r9, "accounts", "remove", "A", "B");
  assert_usage_error (&r9, "\"B\"");
  run_cli (f, NULL, NULL, &r10, "sandbox", "--port", "seventy");
  assert_usage_error (&r10, "--port");
  run_cli (f, NULL, NULL, &r11, "sandbox", "--fault", "not-a-fault");
  assert_usage_error (&r11, "not-a-fault");

  /* no secret at all: neither stdin nor the environment */
  run_cli (f, NULL, NULL, &r12, "accounts", "add", "--name", "Prod",
           "--munchkin-id", MUNCHKIN_ID, "--client-id", "abc");
  assert_usage_error (&r12, "AUDIENCE_PUSH_CLIENT_SECRET");

  /* every command has a --help, and no option takes the secret */
  run_cli (f, NULL, NULL, &r13, "accounts", "add", "--help");
  g_assert_cmpint (r13.status, ==, 0);
  g_assert_nonnull (strstr (r13.out, "--client-secret-stdin"));
  g_assert_nonnull (strstr (r13.out, "--munchkin-id"));
  g_assert_null (strstr (r13.out, "--client-secret "));
  g_assert_null (strstr (r13.out, "--client-secret="));

  /* none of this touched the database */
  g_assert_false (g_file_test (db_dir, G_FILE_TEST_EXISTS));
}

static void
test_accounts (Fixture       *f,
               gconstpointer  data)
{
  g_auto(Result) add1 = { 0, };
  g_auto(Result) add2 = { 0, };
  g_auto(Result) add_empty = { 0, };
  g_auto(Result) bad_munchkin = { 0, };
  g_auto(Result) duplicate = { 0, };
  g_auto(Result) list = { 0, };
  g_auto(Result) list_human = { 0, };
  g_auto(Result) test_ok = { 0, };
  g_auto(Result) test_ok_json = { 0, };
  g_auto(Result) test_bad = { 0, };
  g_auto(Result) test_bad_json = { 0, };
  g_auto(Result) test_missing = { 0, };
  g_auto(Result) removed = { 0, };
  g_auto(Result) remove_again = { 0, };
  g_auto(Result) list_after = { 0, };
  g_autoptr(JsonNode) listed = NULL;
  g_autoptr(JsonNode) listed_after = NULL;
  g_autoptr(JsonNode) test_json = NULL;
  g_autoptr(JsonNode) bad_json = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stdin_text = NULL;
  g_autofree char *wrong_secret = NULL;
  g_autofree char *wrong_env = NULL;
  g_autofree char *munchkin_problem = NULL;
  g_autofree char *id_stdin = NULL;
  g_autofree char *id_env = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *db_dir = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  JsonObject *account;
  JsonObject *limits;
  JsonObject *object;
  const char *scope;

  if (!push_test_require_keyring ())
    return;

  cli_fixture_start_json_sandbox (f);
  wrong_secret = g_strdup_printf ("wrong-secret-%s", uuid);
  wrong_env = g_strdup_printf ("AUDIENCE_PUSH_CLIENT_SECRET=%s", wrong_secret);
  g_ptr_array_add (f->forbidden, g_strdup (wrong_secret));

  /* the sandbox's secret on stdin, with the line end a shell adds */
  stdin_text = g_strdup_printf ("%s\n", f->client_secret);
  run_cli (f, stdin_text, NULL, &add1, "accounts", "add", "--name", "Sandbox A",
           "--munchkin-id", MUNCHKIN_ID, "--client-id", f->client_id,
           "--endpoint", f->endpoint, "--client-secret-stdin", "--rate-calls", "40");
  g_assert_cmpint (add1.status, ==, 0);
  g_assert_nonnull (strstr (add1.out, "Sandbox A"));

  /* a wrong secret, through the environment */
  {
    const char * const env[] = { wrong_env, NULL };

    run_cli (f, NULL, env, &add2, "accounts", "add", "--name", "Sandbox B",
             "--munchkin-id", MUNCHKIN_ID, "--client-id", f->client_id,
             "--endpoint", f->endpoint, "--json");
    g_assert_cmpint (add2.status, ==, 0);
  }

  /* an empty secret on stdin is refused */
  run_cli (f, "\n", NULL, &add_empty, "accounts", "add", "--name", "Empty",
           "--munchkin-id", MUNCHKIN_ID, "--client-id", f->client_id,
           "--endpoint", f->endpoint, "--client-secret-stdin");
  g_assert_cmpint (add_empty.status, ==, 1);
  cli_test_assert_error_line (&add_empty, "empty");

  /* a bad Munchkin ID: exit 1 with the model's own sentence */
  munchkin_problem = push_account_check_munchkin_id ("12-ABC-456");
  g_assert_nonnull (munchkin_problem);
  run_cli (f, stdin_text, NULL, &bad_munchkin, "accounts", "add", "--name", "Bad",
           "--munchkin-id", "12-ABC-456", "--client-id", f->client_id,
           "--client-secret-stdin");
  g_assert_cmpint (bad_munchkin.status, ==, 1);
  cli_test_assert_error_line (&bad_munchkin, munchkin_problem);

  /* a name that is taken (whatever the case) */
  run_cli (f, stdin_text, NULL, &duplicate, "accounts", "add", "--name", "sandbox a",
           "--munchkin-id", MUNCHKIN_ID, "--client-id", f->client_id,
           "--endpoint", f->endpoint, "--client-secret-stdin");
  g_assert_cmpint (duplicate.status, ==, 1);
  cli_test_assert_error_line (&duplicate, "--name");

  /* the list: both accounts with every field, and no secret anywhere in it */
  run_cli (f, NULL, NULL, &list, "accounts", "list", "--json");
  g_assert_cmpint (list.status, ==, 0);
  listed = cli_test_parse_json (list.out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (listed)), ==, 2);
  account = listed_account (listed, "Sandbox A");
  g_assert_nonnull (account);
  g_assert_cmpstr (json_object_get_string_member (account, "munchkin_id"), ==, MUNCHKIN_ID);
  g_assert_cmpstr (json_object_get_string_member (account, "endpoint"), ==, f->endpoint);
  g_assert_cmpstr (json_object_get_string_member (account, "client_id"), ==, f->client_id);
  g_assert_false (json_object_get_boolean_member (account, "is_sandbox"));
  g_assert_true (g_uuid_string_is_valid (json_object_get_string_member (account, "id")));
  limits = json_object_get_object_member (account, "limits");
  g_assert_nonnull (limits);
  g_assert_cmpint (json_object_get_int_member (limits, "rate_calls"), ==, 40);
  g_assert_cmpint (json_object_get_int_member (limits, "rate_window"), ==,
                   PUSH_ACCOUNT_DEFAULT_RATE_WINDOW);
  g_assert_cmpint (json_object_get_int_member (limits, "max_concurrency"), ==,
                   PUSH_ACCOUNT_DEFAULT_MAX_CONCURRENCY);
  g_assert_cmpint (json_object_get_int_member (limits, "daily_quota"), ==,
                   PUSH_ACCOUNT_DEFAULT_DAILY_QUOTA);
  g_assert_nonnull (listed_account (listed, "Sandbox B"));
  g_assert_null (strstr (list.out, "secret"));

  run_cli (f, NULL, NULL, &list_human, "accounts", "list");
  g_assert_cmpint (list_human.status, ==, 0);
  g_assert_nonnull (strstr (list_human.out, "Sandbox A"));
  g_assert_nonnull (strstr (list_human.out, f->endpoint));

  /* the right secret gets a token; the scope is shown */
  run_cli (f, NULL, NULL, &test_ok_json, "accounts", "test", "Sandbox A", "--json");
  g_assert_cmpint (test_ok_json.status, ==, 0);
  test_json = cli_test_parse_json (test_ok_json.out);
  object = json_node_get_object (test_json);
  g_assert_true (json_object_get_boolean_member (object, "ok"));
  scope = json_object_get_string_member (object, "scope");
  g_assert_nonnull (scope);
  g_assert_cmpstr (scope, !=, "");
  g_assert_cmpint (json_object_get_int_member (object, "expires_in"), >, 0);
  g_assert_cmpint (json_object_get_int_member (object, "expires_in"), <=, 3600);

  run_cli (f, NULL, NULL, &test_ok, "accounts", "test", "Sandbox A");
  g_assert_cmpint (test_ok.status, ==, 0);
  g_assert_nonnull (strstr (test_ok.out, scope));
  g_assert_cmpstr (test_ok.err, ==, "");

  /* the wrong secret: exit 1, and the message says it is the credentials */
  run_cli (f, NULL, NULL, &test_bad, "accounts", "test", "Sandbox B");
  g_assert_cmpint (test_bad.status, ==, 1);
  cli_test_assert_error_line (&test_bad, "Sandbox B");
  cli_test_assert_error_line (&test_bad,
                              marketo_error_code_describe (MARKETO_ERROR_INVALID_CLIENT));
  g_assert_cmpstr (test_bad.out, ==, "");

  run_cli (f, NULL, NULL, &test_bad_json, "accounts", "test", "Sandbox B", "--json");
  g_assert_cmpint (test_bad_json.status, ==, 1);
  bad_json = cli_test_parse_json (test_bad_json.out);
  object = json_node_get_object (bad_json);
  g_assert_false (json_object_get_boolean_member (object, "ok"));
  object = json_object_get_object_member (object, "error");
  g_assert_cmpint (json_object_get_int_member (object, "code"), ==,
                   MARKETO_ERROR_INVALID_CLIENT);

  run_cli (f, NULL, NULL, &test_missing, "accounts", "test", "Nobody");
  g_assert_cmpint (test_missing.status, ==, 1);
  g_assert_cmpstr (test_missing.err, ==, "audience-push-cli: account \"Nobody\" not found\n");

  /* remove: the row and the keyring item go; the other account stays */
  id_stdin = account_id (f, "Sandbox A");
  id_env = account_id (f, "Sandbox B");
  stored = push_secrets_lookup_sync (id_stdin, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored, ==, f->client_secret);
  push_secrets_free (g_steal_pointer (&stored));

  run_cli (f, NULL, NULL, &removed, "accounts", "remove", "Sandbox A");
  g_assert_cmpint (removed.status, ==, 0);
  stored = push_secrets_lookup_sync (id_stdin, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (stored);
  stored = push_secrets_lookup_sync (id_env, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored, ==, wrong_secret);
  push_secrets_free (g_steal_pointer (&stored));

  run_cli (f, NULL, NULL, &list_after, "accounts", "list", "--json");
  g_assert_cmpint (list_after.status, ==, 0);
  listed_after = cli_test_parse_json (list_after.out);
  g_assert_null (listed_account (listed_after, "Sandbox A"));
  g_assert_nonnull (listed_account (listed_after, "Sandbox B"));

  run_cli (f, NULL, NULL, &remove_again, "accounts", "remove", "Sandbox A");
  g_assert_cmpint (remove_again.status, ==, 1);
  cli_test_assert_error_line (&remove_again, "not found");

  /* no secret reached the database (or any file of the data and config directories) */
  db_dir = g_build_filename (f->data_home, "audience-push", NULL);
  db_path = g_build_filename (db_dir, "audience-push.db", NULL);
  g_assert_true (g_file_test (db_path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (assert_not_in_files (f->data_home, f->client_secret), >=, 1);
  g_assert_cmpuint (assert_not_in_files (f->data_home, wrong_secret), >=, 1);
  assert_not_in_files (f->config_home, f->client_secret);
  assert_not_in_files (f->config_home, wrong_secret);

  /* the one left over goes too, so the keyring is as it was */
  {
    g_auto(Result) cleanup = { 0, };

    run_cli (f, NULL, NULL, &cleanup, "accounts", "remove", "Sandbox B");
    g_assert_cmpint (cleanup.status, ==, 0);
  }
}

static void
test_sandbox (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *line = NULL;
  g_autofree char *endpoint = NULL;
  g_autofree char *client_id = NULL;
  g_autofree char *client_secret = NULL;
  g_autofree char *id = NULL;
  g_autofree char *stored = NULL;
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(JsonNode) listed = NULL;
  g_autoptr(JsonNode) tested = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Result) list = { 0, };
  g_auto(Result) faulted = { 0, };
  g_auto(Result) test = { 0, };
  g_auto(Result) other = { 0, };
  g_auto(Result) removed = { 0, };
  JsonObject *account;
  gint64 expires_in;

  if (!push_test_require_keyring ())
    return;

  /* the human first line, with a short token lifetime and the first token call failing */
  line = fixture_start_sandbox (f, "--seed", "42", "--leads", "10", "--window-seconds", "2",
                                "--window-calls", "50", "--concurrency", "4", "--quota", "1000",
                                "--latency-ms", "1", "--latency-per-record-ms", "0.5",
                                "--token-lifetime", "120", "--fault", "http503:1@/identity",
                                "--add-account", "Sandbox");
  regex = g_regex_new ("^Sandbox Marketo at (http://127\\.0\\.0\\.1:[0-9]+)  "
                       "client ID: (\\S+)  client secret: (\\S+)$", 0, 0, &error);
  g_assert_no_error (error);
  if (!g_regex_match (regex, line, 0, &match))
    g_error ("unexpected first line \"%s\"", line);
  endpoint = g_match_info_fetch (match, 1);
  client_id = g_match_info_fetch (match, 2);
  client_secret = g_match_info_fetch (match, 3);
  g_ptr_array_add (f->forbidden, g_strdup (client_secret));

  /* --add-account registered it, secret in the keyring */
  run_cli (f, NULL, NULL, &list, "accounts", "list", "--json");
  g_assert_cmpint (list.status, ==, 0);
  listed = cli_test_parse_json (list.out);
  account = listed_account (listed, "Sandbox");
  g_assert_nonnull (account);
  g_assert_true (json_object_get_boolean_member (account, "is_sandbox"));
  g_assert_cmpstr (json_object_get_string_member (account, "endpoint"), ==, endpoint);
  g_assert_cmpstr (json_object_get_string_member (account, "client_id"), ==, client_id);
  id = g_strdup (json_object_get_string_member (account, "id"));
  stored = push_secrets_lookup_sync (id, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored, ==, client_secret);

  /* --fault: the first token request gets HTTP 503 */
  run_cli (f, NULL, NULL, &faulted, "accounts", "test", "Sandbox");
  g_assert_cmpint (faulted.status, ==, 1);
  cli_test_assert_error_line (&faulted, "503");

  /* then it works, and --token-lifetime shows in the token */
  run_cli (f, NULL, NULL, &test, "accounts", "test", "Sandbox", "--json");
  g_assert_cmpint (test.status, ==, 0);
  tested = cli_test_parse_json (test.out);
  expires_in = json_object_get_int_member (json_node_get_object (tested), "expires_in");
  g_assert_cmpint (expires_in, >, 0);
  g_assert_cmpint (expires_in, <=, 120);

  /* a second sandbox with --add-account of a name that is not a sandbox account fails */
  {
    const char * const env[] = { "AUDIENCE_PUSH_CLIENT_SECRET=not-a-sandbox-secret", NULL };
    g_auto(Result) add = { 0, };

    run_cli (f, NULL, env, &add, "accounts", "add", "--name", "Prod",
             "--munchkin-id", MUNCHKIN_ID, "--client-id", "0123abcd-4567-89ab-cdef-0123456789ab");
    g_assert_cmpint (add.status, ==, 0);
    run_cli (f, NULL, NULL, &other, "sandbox", "--port", "0", "--add-account", "Prod");
    g_assert_cmpint (other.status, ==, 1);
    cli_test_assert_error_line (&other, "Prod");
    g_assert_cmpstr (other.out, ==, "");
  }

  cli_fixture_stop_sandbox (f);

  run_cli (f, NULL, NULL, &removed, "accounts", "remove", "Sandbox");
  g_assert_cmpint (removed.status, ==, 0);
  push_secrets_free (g_steal_pointer (&stored));
  stored = push_secrets_lookup_sync (id, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (stored);
  {
    g_auto(Result) cleanup = { 0, };

    run_cli (f, NULL, NULL, &cleanup, "accounts", "remove", "Prod");
    g_assert_cmpint (cleanup.status, ==, 0);
  }
}

/* Chosen credentials, the request log on stderr, and the other knobs that take effect */
static void
test_sandbox_credentials (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GInputStream) errors = NULL;
  g_autoptr(GMemoryOutputStream) sink = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *csv_path = NULL;
  g_autofree char *secret_line = NULL;
  g_autofree char *log = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *secret = g_strdup_printf ("chosen-secret-%s", uuid);
  g_auto(Result) test = { 0, };
  g_auto(Result) bad_csv = { 0, };
  g_auto(Result) bad_now = { 0, };
  JsonObject *object;

  if (!push_test_require_keyring ())
    return;

  csv_path = g_build_filename (f->tmpdir, "missing.csv", NULL);
  run_cli (f, NULL, NULL, &bad_csv, "sandbox", "--port", "0", "--leads-csv", csv_path);
  g_assert_cmpint (bad_csv.status, ==, 1);
  cli_test_assert_error_line (&bad_csv, "--leads-csv");
  run_cli (f, NULL, NULL, &bad_now, "sandbox", "--port", "0", "--now", "yesterday");
  assert_usage_error (&bad_now, "--now");

  secret_line = g_strdup_printf ("%s\n", secret);
  line = cli_fixture_start_sandbox_full (f, secret_line, &errors,
                                         (const char * const []) {
                                           "--json", "--client-id", "chosen-client-id",
                                           "--client-secret-stdin", "--log-requests",
                                           "--now", "2030-06-01T12:00:00Z", "--bulk-step-ms", "0",
                                           "--add-account", "Chosen", NULL });
  node = cli_test_parse_json (line);
  object = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (object, "client_id"), ==, "chosen-client-id");
  g_assert_cmpstr (json_object_get_string_member (object, "client_secret"), ==, secret);
  g_ptr_array_add (f->forbidden, g_strdup (secret));

  run_cli (f, NULL, NULL, &test, "accounts", "test", "Chosen");
  g_assert_cmpint (test.status, ==, 0);

  cli_fixture_stop_sandbox (f);
  sink = G_MEMORY_OUTPUT_STREAM (g_memory_output_stream_new_resizable ());
  g_output_stream_splice (G_OUTPUT_STREAM (sink), errors,
                          G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE |
                          G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error);
  g_assert_no_error (error);
  log = g_strndup (g_memory_output_stream_get_data (sink),
                   g_memory_output_stream_get_data_size (sink));
  g_test_message ("sandbox stderr: %s", log);
  /* the token request was logged, without the secret */
  g_assert_nonnull (strstr (log, "/identity/oauth/token"));
  g_assert_null (strstr (log, secret));

  {
    g_auto(Result) cleanup = { 0, };

    run_cli (f, NULL, NULL, &cleanup, "accounts", "remove", "Chosen");
    g_assert_cmpint (cleanup.status, ==, 0);
  }
}

static void
test_sandbox_stops_on_sigint (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *line = fixture_start_sandbox (f, "--json");
  g_autoptr(JsonNode) node = cli_test_parse_json (line);
  int status;

  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  g_subprocess_send_signal (f->sandbox, SIGINT);
  status = cli_test_wait_for_exit (f->sandbox);
  g_clear_object (&f->sandbox);
  g_assert_cmpint (status, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  cli_test_init (&argc, &argv);

  g_test_add ("/cli/usage", Fixture, NULL, cli_fixture_set_up, test_usage,
              cli_fixture_tear_down);
  g_test_add ("/cli/accounts", Fixture, NULL, cli_fixture_set_up, test_accounts,
              cli_fixture_tear_down);
  g_test_add ("/cli/sandbox/options", Fixture, NULL, cli_fixture_set_up, test_sandbox,
              cli_fixture_tear_down);
  g_test_add ("/cli/sandbox/credentials", Fixture, NULL, cli_fixture_set_up,
              test_sandbox_credentials, cli_fixture_tear_down);
  g_test_add ("/cli/sandbox/sigint", Fixture, NULL, cli_fixture_set_up,
              test_sandbox_stops_on_sigint, cli_fixture_tear_down);

  return g_test_run ();
}
