/* test-cli-destinations.c: "destinations", "audiences inspect" and "validate", run the way
 * scripts run them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each test has its own XDG_DATA_HOME (so its own database), starts its own
 * "audience-push-cli sandbox --port 0 --json" when it needs Marketo, adds the account with the
 * sandbox's secret on stdin (the real gnome-keyring of tests/run-headless.sh), and removes
 * what it added to the keyring at the end. The binary is $AUDIENCE_PUSH_CLI, else
 * $AUDIENCE_PUSH_BUILD_ROOT/src/cli/audience-push-cli.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>

#include "cli-test-utils.h"
#include "push-destination.h"
#include "push-list-reference.h"
#include "test-utils.h"

#define ACCOUNT "Sandbox"
#define MUNCHKIN_ID "123-ABC-456"

/* Shorter names for the shared fixture and result (cli-test-utils.h). */
typedef CliFixture Fixture;
typedef CliResult Result;

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Result, cli_result_clear)

/* ---- Running the CLI ---- */

/* The shared fixture, with every command run in the test's temporary directory. */
static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  cli_fixture_set_up (f, data);
  f->run_in_tmpdir = TRUE;
}

#define run_cli(f, result, ...) \
  G_STMT_START { \
    const char * const _args[] = { __VA_ARGS__, NULL }; \
    cli_fixture_run_cliv ((f), NULL, NULL, _args, (result)); \
  } G_STMT_END

static void
assert_usage_error (const Result *result,
                    const char   *expected_part)
{
  g_assert_cmpint (result->status, ==, 2);
  cli_test_assert_error_line (result, expected_part);
  g_assert_nonnull (strstr (result->err, "--help"));
  g_assert_cmpstr (result->out, ==, "");
}

/* "audience-push-cli sandbox --port 0 --json", then the account ACCOUNT for it, with the
 * secret on stdin. */
static void
fixture_start_sandbox (Fixture *f)
{
  g_autofree char *stdin_text = NULL;
  g_auto(Result) added = { 0, };

  cli_fixture_start_json_sandbox (f);

  stdin_text = g_strdup_printf ("%s\n", f->client_secret);
  {
    const char * const args[] = { "accounts", "add", "--name", ACCOUNT,
                                  "--munchkin-id", MUNCHKIN_ID, "--client-id", f->client_id,
                                  "--endpoint", f->endpoint, "--client-secret-stdin", NULL };

    cli_fixture_run_cliv (f, stdin_text, NULL, args, &added);
  }
  g_assert_cmpint (added.status, ==, 0);
}

/* Removes every destination, then the accounts named (their keyring items go with them). */
static void
fixture_clean_up (Fixture            *f,
                  const char * const *accounts)
{
  g_auto(Result) list = { 0, };
  g_autoptr(JsonNode) node = NULL;
  JsonArray *array;

  run_cli (f, &list, "destinations", "list", "--json");
  g_assert_cmpint (list.status, ==, 0);
  node = cli_test_parse_json (list.out);
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *document = json_array_get_object_element (array, i);
      JsonObject *destination = json_object_get_object_member (document, "destination");
      g_auto(Result) removed = { 0, };

      run_cli (f, &removed, "destinations", "remove",
               json_object_get_string_member (destination, "name"));
      g_assert_cmpint (removed.status, ==, 0);
    }

  for (guint i = 0; accounts[i] != NULL; i++)
    {
      g_auto(Result) removed = { 0, };

      run_cli (f, &removed, "accounts", "remove", accounts[i]);
      g_assert_cmpint (removed.status, ==, 0);
    }
}

static char *
write_file (Fixture    *f,
            const char *name,
            const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (f->tmpdir, name, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

/* ---- JSON helpers ---- */

/* The problem with @code in a "problems" array, or NULL. */
static JsonObject *
find_problem (JsonArray  *problems,
              const char *code)
{
  for (guint i = 0; i < json_array_get_length (problems); i++)
    {
      JsonObject *problem = json_array_get_object_element (problems, i);

      if (g_strcmp0 (json_object_get_string_member (problem, "code"), code) == 0)
        return problem;
    }

  return NULL;
}

static guint
count_severity (JsonArray  *problems,
                const char *severity)
{
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (problems); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (problems, i),
                                                  "severity"), severity) == 0)
      n++;

  return n;
}

/* "destinations show NAME --json": the destination member of the document. */
static JsonNode *
show_json (Fixture     *f,
           const char  *name,
           JsonObject **out_destination,
           JsonArray  **out_problems)
{
  g_auto(Result) shown = { 0, };
  JsonNode *node;
  JsonObject *object;

  run_cli (f, &shown, "destinations", "show", name, "--json");
  g_assert_cmpint (shown.status, ==, 0);
  node = cli_test_parse_json (shown.out);
  object = json_node_get_object (node);
  *out_destination = json_object_get_object_member (
    json_object_get_object_member (object, "destination"), "destination");
  *out_problems = json_object_get_array_member (object, "problems");
  return node;
}

static guint
count_destinations (Fixture *f)
{
  g_auto(Result) list = { 0, };
  g_autoptr(JsonNode) node = NULL;

  run_cli (f, &list, "destinations", "list", "--json");
  g_assert_cmpint (list.status, ==, 0);
  node = cli_test_parse_json (list.out);
  return json_array_get_length (json_node_get_array (node));
}

/* ---- The tests ---- */

static void
test_list_reference (void)
{
  const struct {
    const char *text;
    gint64      id;
  } good[] = {
    { "1190", 1190 },
    { "  42 ", 42 },
    { "ST1190", 1190 },
    { "st1190a1", 1190 },
    { "#ST1190A1", 1190 },
    { "https://app-ab12.marketo.com/#ST1190A1", 1190 },
    { "http://app-ab12.marketo.com/#ST77B2", 77 },
    { "2147483647", G_MAXINT32 },
  };
  const struct {
    const char *text;
    int         code;
  } bad[] = {
    { "", PUSH_LIST_REFERENCE_ERROR_EMPTY },
    { "   ", PUSH_LIST_REFERENCE_ERROR_EMPTY },
    { "0", PUSH_LIST_REFERENCE_ERROR_OUT_OF_RANGE },
    { "2147483648", PUSH_LIST_REFERENCE_ERROR_OUT_OF_RANGE },
    { "-5", PUSH_LIST_REFERENCE_ERROR_INVALID },
    { "Spring Promo", PUSH_LIST_REFERENCE_ERROR_INVALID },
    { "https://app-ab12.marketo.com/#SL1190B2", PUSH_LIST_REFERENCE_ERROR_NOT_STATIC_LIST },
    { "SL1190", PUSH_LIST_REFERENCE_ERROR_NOT_STATIC_LIST },
    { "PG1001A1", PUSH_LIST_REFERENCE_ERROR_NOT_STATIC_LIST },
    { "https://app-ab12.marketo.com/", PUSH_LIST_REFERENCE_ERROR_INVALID },
    { "https://app-ab12.marketo.com/#home", PUSH_LIST_REFERENCE_ERROR_INVALID },
    { "ftp://app-ab12.marketo.com/#ST1190A1", PUSH_LIST_REFERENCE_ERROR_INVALID },
    { "ST0A1", PUSH_LIST_REFERENCE_ERROR_OUT_OF_RANGE },
    { "ST1190-A1", PUSH_LIST_REFERENCE_ERROR_INVALID },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 id = -1;

      g_test_message ("good: \"%s\"", good[i].text);
      g_assert_true (push_list_reference_parse (good[i].text, &id, &error));
      g_assert_no_error (error);
      g_assert_cmpint (id, ==, good[i].id);
    }

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 id = -1;

      g_test_message ("bad: \"%s\"", bad[i].text);
      g_assert_false (push_list_reference_parse (bad[i].text, &id, &error));
      g_assert_error (error, PUSH_LIST_REFERENCE_ERROR, bad[i].code);
      g_assert_cmpint (id, ==, -1);
      g_assert_cmpstr (error->message, !=, "");
    }
}

/* One destination of each sync type, and the settings the instance refuses */
static void
test_add (Fixture       *f,
          gconstpointer  data)
{
  const char * const accounts[] = { ACCOUNT, NULL };
  g_auto(Result) audience = { 0, };
  g_auto(Result) profile = { 0, };
  g_auto(Result) both = { 0, };
  g_auto(Result) no_last_name = { 0, };
  g_auto(Result) no_last_name_json = { 0, };
  g_auto(Result) lead_id = { 0, };
  g_auto(Result) refused = { 0, };
  g_auto(Result) taken = { 0, };
  g_auto(Result) r = { 0, };
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) shown = NULL;
  g_autofree char *expected_line = NULL;
  g_autofree char *short_csv = NULL;
  g_auto(GStrv) lines = NULL;
  JsonObject *destination;
  JsonObject *problem;
  JsonArray *problems;
  JsonArray *alerts;

  if (!push_test_require_keyring ())
    return;
  fixture_start_sandbox (f);

  /* audience only, the list pasted as its address in Marketo */
  run_cli (f, &audience, "destinations", "add", "--name", "Webinar", "--account", ACCOUNT,
           "--sync-type", "audience", "--dedupe-field", "email", "--identity", "Email",
           "--list", "https://app-ab12.marketo.com/#ST1190A1");
  g_assert_cmpint (audience.status, ==, 0);
  g_assert_nonnull (strstr (audience.out, "Webinar"));
  shown = show_json (f, "Webinar", &destination, &problems);
  g_assert_cmpstr (json_object_get_string_member (destination, "syncType"), ==, "audience-only");
  g_assert_cmpstr (json_object_get_string_member (destination, "dedupeField"), ==, "email");
  {
    JsonObject *list = json_object_get_object_member (destination, "list");

    g_assert_cmpstr (json_object_get_string_member (list, "kind"), ==, "existing");
    g_assert_cmpint (json_object_get_int_member (list, "id"), ==, 1190);
    /* the name comes from the instance's lists */
    g_assert_cmpstr (json_object_get_string_member (list, "name"), ==,
                     "EMEA Webinar Attendees");
  }
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (destination, "mapping"), "identityColumn"),
                   ==, "Email");
  /* nobody is created: the person action does not apply, which is only a remark */
  problem = find_problem (problems, "person-action-ignored");
  g_assert_nonnull (problem);
  g_assert_cmpstr (json_object_get_string_member (problem, "severity"), ==, "info");
  /* show asks for what an activation needs: the privacy acknowledgement is missing */
  g_assert_nonnull (find_problem (problems, "privacy-not-acknowledged"));
  g_clear_pointer (&shown, json_node_unref);

  /* profile only, update-only in the EMEA partition */
  run_cli (f, &profile, "destinations", "add", "--name", "Loyalty", "--account", ACCOUNT,
           "--sync-type", "profile", "--person-action", "update-only", "--partition", "EMEA",
           "--dedupe-field", "customerNumber", "--identity", "Customer",
           "--map", "Tier=loyaltyTier", "--map", "Value = lifetimeValue",
           "--description", "Loyalty tiers from the warehouse", "--alerts", "completed,failed",
           "--privacy-acknowledged");
  g_assert_cmpint (profile.status, ==, 0);
  shown = show_json (f, "Loyalty", &destination, &problems);
  g_assert_cmpstr (json_object_get_string_member (destination, "syncType"), ==, "profile-only");
  g_assert_cmpstr (json_object_get_string_member (destination, "personAction"), ==,
                   "update-only");
  g_assert_cmpstr (json_object_get_string_member (destination, "partition"), ==, "EMEA");
  g_assert_cmpstr (json_object_get_string_member (destination, "description"), ==,
                   "Loyalty tiers from the warehouse");
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (destination, "list"), "kind"), ==, "none");
  alerts = json_object_get_array_member (destination, "alerts");
  g_assert_cmpuint (json_array_get_length (alerts), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (alerts, 0), ==, "on-completion");
  g_assert_cmpstr (json_array_get_string_element (alerts, 1), ==, "on-failure");
  {
    JsonArray *rows = json_object_get_array_member (
      json_object_get_object_member (destination, "mapping"), "rows");

    g_assert_cmpuint (json_array_get_length (rows), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rows, 1),
                                                    "column"), ==, "Value");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rows, 1),
                                                    "field"), ==, "lifetimeValue");
  }
  g_assert_true (json_object_get_boolean_member (
                   json_object_get_object_member (destination, "privacy"), "acknowledged"));
  g_assert_cmpuint (json_array_get_length (problems), ==, 0);
  g_clear_pointer (&shown, json_node_unref);

  /* audience and profile, a new list per audience that must not exist yet */
  run_cli (f, &both, "destinations", "add", "--name", "Spring", "--account", ACCOUNT,
           "--sync-type", "audience-and-profile", "--dedupe-field", "email", "--identity", "Email",
           "--map", "First Name=firstName", "--map", "Last Name=lastName",
           "--create-list", "Spring {audience} {date}", "--on-list-clash", "fail",
           "--list-folder", "12", "--alerts", "none", "--json");
  g_assert_cmpint (both.status, ==, 0);
  node = cli_test_parse_json (both.out);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (node), "saved"));
  destination = json_object_get_object_member (
    json_object_get_object_member (json_node_get_object (node), "destination"), "destination");
  g_assert_cmpstr (json_object_get_string_member (destination, "personAction"), ==,
                   "create-or-update");
  {
    JsonObject *list = json_object_get_object_member (destination, "list");

    g_assert_cmpstr (json_object_get_string_member (list, "kind"), ==, "create-per-audience");
    g_assert_cmpstr (json_object_get_string_member (list, "nameTemplate"), ==,
                     "Spring {audience} {date}");
    g_assert_cmpstr (json_object_get_string_member (list, "onClash"), ==, "fail");
    list = json_object_get_object_member (list, "folder");
    g_assert_cmpint (json_object_get_int_member (list, "id"), ==, 12);
    g_assert_cmpstr (json_object_get_string_member (list, "type"), ==, "Folder");
    g_assert_cmpstr (json_object_get_string_member (list, "name"), ==, "Audiences");
  }
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (destination, "alerts")),
                    ==, 0);
  g_clear_pointer (&node, json_node_unref);
  g_assert_cmpuint (count_destinations (f), ==, 3);

  /* lastName unmapped while people may be created: refused, with the validator's sentence */
  run_cli (f, &no_last_name_json, "destinations", "add", "--name", "Half", "--account", ACCOUNT,
           "--sync-type", "profile", "--person-action", "create-or-update",
           "--dedupe-field", "email", "--identity", "Email", "--map", "First Name=firstName",
           "--json");
  g_assert_cmpint (no_last_name_json.status, ==, 1);
  node = cli_test_parse_json (no_last_name_json.out);
  g_assert_false (json_object_get_boolean_member (json_node_get_object (node), "saved"));
  problems = json_object_get_array_member (json_node_get_object (node), "problems");
  g_assert_cmpuint (count_severity (problems, "error"), ==, 1);
  problem = find_problem (problems, "required-field-missing");
  g_assert_nonnull (problem);
  g_assert_cmpstr (json_object_get_string_member (problem, "severity"), ==, "error");
  g_assert_cmpstr (json_object_get_string_member (problem, "field"), ==, "lastName");
  /* the display name comes from the instance's describe */
  g_assert_nonnull (strstr (json_object_get_string_member (problem, "message"),
                            "Last Name (lastName)"));
  expected_line = g_strdup_printf ("error: %s", json_object_get_string_member (problem,
                                                                               "message"));
  g_clear_pointer (&node, json_node_unref);

  run_cli (f, &no_last_name, "destinations", "add", "--name", "Half", "--account", ACCOUNT,
           "--sync-type", "profile", "--person-action", "create-or-update",
           "--dedupe-field", "email", "--identity", "Email", "--map", "First Name=firstName");
  g_assert_cmpint (no_last_name.status, ==, 1);
  g_assert_cmpstr (no_last_name.out, ==, "");
  lines = g_strsplit (no_last_name.err, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "audience-push-cli: destination \"Half\" not saved: 1 error");
  g_assert_cmpstr (lines[1], ==, expected_line);
  g_assert_cmpuint (count_destinations (f), ==, 3);

  /* Lead ID as the dedupe field */
  run_cli (f, &lead_id, "destinations", "add", "--name", "By id", "--account", ACCOUNT,
           "--sync-type", "audience", "--dedupe-field", "id", "--identity", "Lead",
           "--list", "1187", "--json");
  g_assert_cmpint (lead_id.status, ==, 1);
  node = cli_test_parse_json (lead_id.out);
  problems = json_object_get_array_member (json_node_get_object (node), "problems");
  g_assert_cmpuint (count_severity (problems, "error"), ==, 1);
  g_assert_nonnull (find_problem (problems, "dedupe-field-id"));
  cli_test_assert_error_line (&lead_id, "not saved: 1 error");
  g_assert_nonnull (strstr (lead_id.err, "\nerror: Lead ID"));
  g_clear_pointer (&node, json_node_unref);

  /* what the instance does not have or allow: a field that is not searchable, a partition and a
   * list it does not have */
  run_cli (f, &refused, "destinations", "add", "--name", "Wrong", "--account", ACCOUNT,
           "--sync-type", "audience-and-profile", "--dedupe-field", "firstName",
           "--identity", "First", "--partition", "Atlantis", "--list", "ST999A1",
           "--map", "Email=email", "--map", "Last=lastName", "--json");
  g_assert_cmpint (refused.status, ==, 1);
  node = cli_test_parse_json (refused.out);
  problems = json_object_get_array_member (json_node_get_object (node), "problems");
  g_assert_cmpuint (count_severity (problems, "error"), ==, 3);
  g_assert_nonnull (find_problem (problems, "dedupe-field-not-searchable"));
  g_assert_nonnull (find_problem (problems, "partition-unknown"));
  problem = find_problem (problems, "list-target-missing");
  g_assert_nonnull (problem);
  g_assert_nonnull (strstr (json_object_get_string_member (problem, "message"), "999"));
  g_assert_nonnull (strstr (refused.err, "not saved: 3 errors"));
  g_clear_pointer (&node, json_node_unref);

  /* --audience: the mapping against the file's columns */
  short_csv = write_file (f, "short.csv", "Email,First Name\nann@example.com,Ann\n");
  run_cli (f, &r, "destinations", "add", "--name", "Short", "--account", ACCOUNT,
           "--sync-type", "profile", "--dedupe-field", "email", "--identity", "Email",
           "--map", "First Name=firstName", "--map", "Last Name=lastName",
           "--audience", short_csv, "--json");
  g_assert_cmpint (r.status, ==, 1);
  node = cli_test_parse_json (r.out);
  problems = json_object_get_array_member (json_node_get_object (node), "problems");
  problem = find_problem (problems, "column-missing");
  g_assert_nonnull (problem);
  g_assert_cmpstr (json_object_get_string_member (problem, "column"), ==, "Last Name");
  g_clear_pointer (&node, json_node_unref);
  cli_result_clear (&r);

  /* a name that is taken, whatever its case */
  run_cli (f, &taken, "destinations", "add", "--name", "loyalty", "--account", ACCOUNT,
           "--sync-type", "audience", "--dedupe-field", "email", "--identity", "Email",
           "--list", "1187");
  g_assert_cmpint (taken.status, ==, 1);
  cli_test_assert_error_line (&taken, "--name");

  /* wrong usage: exit status 2, nothing contacted, nothing saved */
  run_cli (f, &r, "destinations", "add", "--name", "X", "--account", ACCOUNT,
           "--sync-type", "audience", "--dedupe-field", "email", "--identity", "Email",
           "--list", "https://app-ab12.marketo.com/#SL1190B2");
  assert_usage_error (&r, "smart list");
  cli_result_clear (&r);
  run_cli (f, &r, "destinations", "add", "--name", "X", "--account", ACCOUNT,
           "--sync-type", "audience", "--person-action", "create-or-update",
           "--dedupe-field", "email", "--identity", "Email", "--list", "1187");
  assert_usage_error (&r, "--person-action");
  cli_result_clear (&r);
  run_cli (f, &r, "destinations", "add", "--name", "X", "--account", ACCOUNT,
           "--sync-type", "profile", "--dedupe-field", "email", "--identity", "Email",
           "--map", "lastName");
  assert_usage_error (&r, "--map");
  cli_result_clear (&r);
  run_cli (f, &r, "destinations", "add", "--name", "X", "--account", ACCOUNT,
           "--sync-type", "sideways", "--dedupe-field", "email", "--identity", "Email");
  assert_usage_error (&r, "--sync-type");
  cli_result_clear (&r);
  run_cli (f, &r, "destinations", "add", "--name", "X", "--account", ACCOUNT,
           "--sync-type", "profile", "--dedupe-field", "email");
  assert_usage_error (&r, "--identity");
  cli_result_clear (&r);
  run_cli (f, &r, "destinations", "add", "--name", "X", "--account", ACCOUNT,
           "--sync-type", "audience", "--dedupe-field", "email", "--identity", "Email",
           "--list", "1187", "--create-list", "{audience}");
  assert_usage_error (&r, "--create-list");
  cli_result_clear (&r);
  run_cli (f, &r, "destinations", "add", "--name", "X", "--account", ACCOUNT,
           "--sync-type", "audience", "--dedupe-field", "email", "--identity", "Email",
           "--list", "1187", "--alerts", "completed,sometimes");
  assert_usage_error (&r, "sometimes");
  cli_result_clear (&r);
  run_cli (f, &r, "destinations", "add", "--name", "X", "--account", "Nobody",
           "--sync-type", "audience", "--dedupe-field", "email", "--identity", "Email");
  g_assert_cmpint (r.status, ==, 1);
  cli_test_assert_error_line (&r, "account \"Nobody\" not found");
  g_assert_cmpuint (count_destinations (f), ==, 3);

  fixture_clean_up (f, accounts);
}

/* --list-folder: by id, name or path; the instance's folders judge it */
static void
test_list_folder (Fixture       *f,
                  gconstpointer  data)
{
  const char * const accounts[] = { ACCOUNT, NULL };
  g_auto(Result) r = { 0, };
  g_autoptr(JsonNode) node = NULL;
  JsonObject *destination;
  JsonObject *folder;
  JsonObject *problem;
  JsonArray *problems;

  if (!push_test_require_keyring ())
    return;
  fixture_start_sandbox (f);

#define ADD_NEW_LIST(result, name, ...) \
  run_cli (f, (result), "destinations", "add", "--name", (name), "--account", ACCOUNT, \
           "--sync-type", "audience", "--dedupe-field", "email", "--identity", "Email", \
           __VA_ARGS__)

  /* a new list per audience needs a folder */
  ADD_NEW_LIST (&r, "No folder", "--create-list", "{audience}", "--json");
  g_assert_cmpint (r.status, ==, 1);
  node = cli_test_parse_json (r.out);
  problems = json_object_get_array_member (json_node_get_object (node), "problems");
  g_assert_cmpuint (count_severity (problems, "error"), ==, 1);
  problem = find_problem (problems, "list-folder-missing");
  g_assert_nonnull (problem);
  g_assert_cmpstr (json_object_get_string_member (problem, "message"), ==,
                   "Choose the folder where the new lists go");
  g_clear_pointer (&node, json_node_unref);
  cli_result_clear (&r);

  /* a name two workspaces share: refused, with the candidates */
  ADD_NEW_LIST (&r, "Ambiguous", "--list-folder", "Audiences");
  g_assert_cmpint (r.status, ==, 1);
  cli_test_assert_error_line (&r, "several folders are named \"Audiences\": "
                         "12 (/Marketing Activities/Default/Audiences), "
                         "21 (/Marketing Activities/EMEA/Audiences)");
  cli_result_clear (&r);
  ADD_NEW_LIST (&r, "Nowhere", "--list-folder", "Attic");
  g_assert_cmpint (r.status, ==, 1);
  cli_test_assert_error_line (&r, "has no folder named \"Attic\"");
  cli_result_clear (&r);

  /* an archive, an id the instance does not have */
  ADD_NEW_LIST (&r, "Archived", "--list-folder", "Archive", "--json");
  g_assert_cmpint (r.status, ==, 1);
  node = cli_test_parse_json (r.out);
  problems = json_object_get_array_member (json_node_get_object (node), "problems");
  problem = find_problem (problems, "list-folder-archived");
  g_assert_nonnull (problem);
  g_assert_nonnull (strstr (json_object_get_string_member (problem, "message"),
                            "/Marketing Activities/Default/Archive"));
  g_clear_pointer (&node, json_node_unref);
  cli_result_clear (&r);
  ADD_NEW_LIST (&r, "Unknown", "--list-folder", "77", "--json");
  g_assert_cmpint (r.status, ==, 1);
  node = cli_test_parse_json (r.out);
  problems = json_object_get_array_member (json_node_get_object (node), "problems");
  g_assert_nonnull (find_problem (problems, "list-folder-unknown"));
  g_clear_pointer (&node, json_node_unref);
  cli_result_clear (&r);

  /* usage: a folder without a new list */
  run_cli (f, &r, "destinations", "add", "--name", "X", "--account", ACCOUNT,
           "--sync-type", "audience", "--dedupe-field", "email", "--identity", "Email",
           "--list", "1187", "--list-folder", "12");
  assert_usage_error (&r, "--list-folder");
  cli_result_clear (&r);
  g_assert_cmpuint (count_destinations (f), ==, 0);

  /* by path; and a program by id (the default kind: a new list per audience) */
  ADD_NEW_LIST (&r, "EMEA lists", "--list-folder", "/Marketing Activities/EMEA/Audiences");
  g_assert_cmpint (r.status, ==, 0);
  cli_result_clear (&r);
  ADD_NEW_LIST (&r, "Campaign lists", "--list-folder", "1001");
  g_assert_cmpint (r.status, ==, 0);
  cli_result_clear (&r);

  node = show_json (f, "Campaign lists", &destination, &problems);
  folder = json_object_get_object_member (json_object_get_object_member (destination, "list"),
                                          "folder");
  g_assert_cmpint (json_object_get_int_member (folder, "id"), ==, 1001);
  g_assert_cmpstr (json_object_get_string_member (folder, "type"), ==, "Program");
  g_assert_cmpstr (json_object_get_string_member (folder, "name"), ==, "2026 Spring Campaign");
  g_assert_null (find_problem (problems, "list-folder-unknown"));
  g_clear_pointer (&node, json_node_unref);

  /* show prints the folder's path, as the instance knows it */
  run_cli (f, &r, "destinations", "show", "EMEA lists");
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "  List folder: /Marketing Activities/EMEA/Audiences "
                                   "(folder 21)\n"));
  cli_result_clear (&r);

#undef ADD_NEW_LIST
  fixture_clean_up (f, accounts);
}

/* list, show, export, remove, import, export: the same document; and bad documents */
static void
test_export_import (Fixture       *f,
                    gconstpointer  data)
{
  const char * const accounts[] = { ACCOUNT, "Other", NULL };
  g_auto(Result) added = { 0, };
  g_auto(Result) list = { 0, };
  g_auto(Result) shown = { 0, };
  g_auto(Result) exported = { 0, };
  g_auto(Result) exported_file = { 0, };
  g_auto(Result) removed = { 0, };
  g_auto(Result) gone = { 0, };
  g_auto(Result) imported = { 0, };
  g_auto(Result) exported_again = { 0, };
  g_auto(Result) clash = { 0, };
  g_auto(Result) renamed = { 0, };
  g_auto(Result) other = { 0, };
  g_auto(Result) r = { 0, };
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *export_path = NULL;
  g_autofree char *file_contents = NULL;
  g_autofree char *stdout_contents = NULL;
  g_autofree char *stdin_text = NULL;
  const struct {
    const char *name;
    const char *contents;
    int         code;
  } bad_documents[] = {
    { "truncated.json", "{\"format\": \"audience-push-destination\", \"version\": 1,",
      PUSH_DESTINATION_ERROR_INVALID_JSON },
    { "other.json", "{\"format\": \"something-else\", \"version\": 1}",
      PUSH_DESTINATION_ERROR_WRONG_FORMAT },
    { "future.json", "{\"format\": \"audience-push-destination\", \"version\": 99, "
                     "\"destination\": {}}",
      PUSH_DESTINATION_ERROR_UNSUPPORTED_VERSION },
  };

  if (!push_test_require_keyring ())
    return;
  fixture_start_sandbox (f);

  run_cli (f, &added, "destinations", "add", "--name", "Customers", "--account", ACCOUNT,
           "--sync-type", "audience-and-profile", "--dedupe-field", "email",
           "--identity", "E-mail", "--map", "First Name=firstName", "--map", "Surname=lastName",
           "--map", "City=city", "--list", "ST1188A1", "--privacy-acknowledged",
           "--description", "Everyone who bought this year");
  g_assert_cmpint (added.status, ==, 0);

  run_cli (f, &list, "destinations", "list");
  g_assert_cmpint (list.status, ==, 0);
  g_assert_nonnull (strstr (list.out, "Customers"));
  g_assert_nonnull (strstr (list.out, ACCOUNT));

  run_cli (f, &shown, "destinations", "show", "Customers");
  g_assert_cmpint (shown.status, ==, 0);
  g_assert_nonnull (strstr (shown.out, "Newsletter Subscribers"));
  g_assert_nonnull (strstr (shown.out, "E-mail → email"));
  g_assert_nonnull (strstr (shown.out, "Surname → lastName"));
  g_assert_nonnull (strstr (shown.out, "Problems: none"));

  /* to stdout and to a file: the same document */
  run_cli (f, &exported, "destinations", "export", "Customers");
  g_assert_cmpint (exported.status, ==, 0);
  node = cli_test_parse_json (exported.out);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "format"), ==,
                   PUSH_DESTINATION_FORMAT);
  g_clear_pointer (&node, json_node_unref);
  export_path = g_build_filename (f->tmpdir, "customers.json", NULL);
  run_cli (f, &exported_file, "destinations", "export", "Customers", "--output", export_path);
  g_assert_cmpint (exported_file.status, ==, 0);
  g_file_get_contents (export_path, &file_contents, NULL, &error);
  g_assert_no_error (error);
  stdout_contents = g_strdup (exported.out);
  g_assert_cmpstr (g_strchomp (stdout_contents), ==, g_strchomp (file_contents));

  run_cli (f, &removed, "destinations", "remove", "Customers");
  g_assert_cmpint (removed.status, ==, 0);
  g_assert_cmpuint (count_destinations (f), ==, 0);
  run_cli (f, &gone, "destinations", "show", "Customers");
  g_assert_cmpint (gone.status, ==, 1);
  g_assert_cmpstr (gone.err, ==, "audience-push-cli: destination \"Customers\" not found\n");

  run_cli (f, &imported, "destinations", "import", export_path);
  g_assert_cmpint (imported.status, ==, 0);
  run_cli (f, &exported_again, "destinations", "export", "Customers");
  g_assert_cmpint (exported_again.status, ==, 0);
  g_assert_cmpstr (exported_again.out, ==, exported.out);

  /* the name is taken now: an error unless --name is given, and the copy gets its own id */
  run_cli (f, &clash, "destinations", "import", export_path);
  g_assert_cmpint (clash.status, ==, 1);
  cli_test_assert_error_line (&clash, "\"Customers\"");
  cli_test_assert_error_line (&clash, "--name");
  run_cli (f, &renamed, "destinations", "import", export_path, "--name", "Customers 2",
           "--json");
  g_assert_cmpint (renamed.status, ==, 0);
  node = cli_test_parse_json (renamed.out);
  {
    JsonObject *copy = json_object_get_object_member (
      json_object_get_object_member (json_node_get_object (node), "destination"), "destination");
    g_autoptr(JsonNode) original = cli_test_parse_json (exported.out);
    JsonObject *first = json_object_get_object_member (json_node_get_object (original),
                                                       "destination");

    g_assert_cmpstr (json_object_get_string_member (copy, "name"), ==, "Customers 2");
    g_assert_cmpstr (json_object_get_string_member (copy, "id"), !=,
                     json_object_get_string_member (first, "id"));
  }
  g_clear_pointer (&node, json_node_unref);
  g_assert_cmpuint (count_destinations (f), ==, 2);

  /* bad documents: the model's precise error, after the file's name */
  for (gsize i = 0; i < G_N_ELEMENTS (bad_documents); i++)
    {
      g_autofree char *path = write_file (f, bad_documents[i].name, bad_documents[i].contents);
      g_autofree char *expected = NULL;
      g_autoptr(GError) import_error = NULL;
      g_autoptr(PushDestination) none = NULL;
      g_auto(Result) bad = { 0, };

      none = push_destination_import (bad_documents[i].contents, -1, NULL, &import_error);
      g_assert_null (none);
      g_assert_error (import_error, PUSH_DESTINATION_ERROR, bad_documents[i].code);
      expected = g_strdup_printf ("audience-push-cli: %s: %s\n", path, import_error->message);

      run_cli (f, &bad, "destinations", "import", path);
      g_assert_cmpint (bad.status, ==, 1);
      g_assert_cmpstr (bad.err, ==, expected);
      g_assert_cmpstr (bad.out, ==, "");
    }
  {
    g_autofree char *expected = g_strdup_printf ("%s/missing.json", f->tmpdir);

    run_cli (f, &r, "destinations", "import", expected);
    g_assert_cmpint (r.status, ==, 1);
    cli_test_assert_error_line (&r, "missing.json");
    cli_result_clear (&r);
  }

  /* an account that is not here: --account says which one it goes to */
  {
    g_autofree char *elsewhere = NULL;
    g_autofree char *path = NULL;
    g_autoptr(GRegex) regex = g_regex_new ("\"account\" : \\{[^}]*\\}", 0, 0, &error);

    g_assert_no_error (error);
    elsewhere = g_regex_replace_literal (regex, exported.out, -1, 0,
                                         "\"account\" : { \"id\" : "
                                         "\"0f5e4d3c-2b1a-4098-8765-43210fedcba9\", "
                                         "\"name\" : \"Elsewhere\" }", 0, &error);
    g_assert_no_error (error);
    g_assert_nonnull (strstr (elsewhere, "Elsewhere"));
    path = write_file (f, "elsewhere.json", elsewhere);

    run_cli (f, &r, "destinations", "import", path, "--name", "Moved");
    g_assert_cmpint (r.status, ==, 1);
    cli_test_assert_error_line (&r, "\"Elsewhere\"");
    cli_test_assert_error_line (&r, "--account");
    cli_result_clear (&r);

    stdin_text = g_strdup_printf ("%s\n", f->client_secret);
    {
      const char * const args[] = { "accounts", "add", "--name", "Other",
                                    "--munchkin-id", MUNCHKIN_ID, "--client-id", f->client_id,
                                    "--endpoint", f->endpoint, "--client-secret-stdin", NULL };

      cli_fixture_run_cliv (f, stdin_text, NULL, args, &other);
      g_assert_cmpint (other.status, ==, 0);
    }
    run_cli (f, &r, "destinations", "import", path, "--name", "Moved", "--account", "Other",
             "--json");
    g_assert_cmpint (r.status, ==, 0);
    node = cli_test_parse_json (r.out);
    g_assert_cmpstr (json_object_get_string_member (
                       json_object_get_object_member (
                         json_object_get_object_member (
                           json_object_get_object_member (json_node_get_object (node),
                                                          "destination"),
                           "destination"),
                         "account"),
                       "name"), ==, "Other");
    g_clear_pointer (&node, json_node_unref);
  }
  g_assert_cmpuint (count_destinations (f), ==, 3);

  fixture_clean_up (f, accounts);
}

#define AWKWARD_CSV \
  "email;First Name;Last Name;Company\n" \
  "ann@example.com;Ann;Lee;\"Acme; Inc.\"\n" \
  "bob@example.com;\"Bob \"\"B\"\"\";Stone;Initech\n" \
  "carl@example.com;Carl\n" \
  "\n" \
  "eve@example.com;\"Eve\"x;Ray;Umbrella\n" \
  "dana@example.com;Dana;Ray;\"Umbrella\n"

#define SMALL_JSONL \
  "{\"email\": \"a@example.com\", \"n\": 1}\n" \
  "[1, 2]\n" \
  "{\"email\": \"b@example.com\", \"n\": {\"x\": 1}}\n" \
  "not json\n" \
  "{\"email\": \"c@example.com\", \"late\": true}\n"

static void
assert_audience_problem (JsonArray  *problems,
                         guint       index,
                         gint64      row,
                         gint64      column,
                         const char *column_name,
                         const char *kind)
{
  JsonObject *problem;

  g_assert_cmpuint (index, <, json_array_get_length (problems));
  problem = json_array_get_object_element (problems, index);
  g_assert_cmpint (json_object_get_int_member (problem, "row"), ==, row);
  g_assert_cmpint (json_object_get_int_member (problem, "column"), ==, column);
  if (column_name != NULL)
    g_assert_cmpstr (json_object_get_string_member (problem, "column_name"), ==, column_name);
  else
    g_assert_true (json_object_get_null_member (problem, "column_name"));
  g_assert_cmpstr (json_object_get_string_member (problem, "kind"), ==, kind);
  g_assert_cmpstr (json_object_get_string_member (problem, "message"), !=, "");
}

static void
test_inspect (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *csv = write_file (f, "awkward.csv", AWKWARD_CSV);
  g_autofree char *jsonl = write_file (f, "small.jsonl", SMALL_JSONL);
  g_autofree char *sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, AWKWARD_CSV, -1);
  g_autofree char *missing = g_build_filename (f->tmpdir, "missing.csv", NULL);
  g_auto(Result) human = { 0, };
  g_auto(Result) json = { 0, };
  g_auto(Result) lines = { 0, };
  g_auto(Result) r = { 0, };
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;
  JsonObject *fingerprint;
  JsonArray *columns;
  JsonArray *problems;

  /* CSV: semicolons, quoted delimiters and quotes, a blank line, a short row, text after a
   * closing quote, a quote that never closes */
  run_cli (f, &json, "audiences", "inspect", csv, "--json");
  g_assert_cmpint (json.status, ==, 0);
  node = cli_test_parse_json (json.out);
  object = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (object, "format"), ==, "csv");
  g_assert_cmpstr (json_object_get_string_member (object, "delimiter"), ==, ";");
  columns = json_object_get_array_member (object, "columns");
  g_assert_cmpuint (json_array_get_length (columns), ==, 4);
  g_assert_cmpstr (json_array_get_string_element (columns, 1), ==, "First Name");
  g_assert_cmpint (json_object_get_int_member (object, "rows"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (object, "bad_rows"), ==, 3);
  fingerprint = json_object_get_object_member (object, "fingerprint");
  g_assert_cmpstr (json_object_get_string_member (fingerprint, "sha256"), ==, sha256);
  g_assert_cmpint (json_object_get_int_member (fingerprint, "size"), ==, strlen (AWKWARD_CSV));
  g_assert_cmpint (json_object_get_int_member (object, "problem_count"), ==, 3);
  problems = json_object_get_array_member (object, "problems");
  g_assert_cmpuint (json_array_get_length (problems), ==, 3);
  assert_audience_problem (problems, 0, 3, 3, "Last Name", "field-count");
  assert_audience_problem (problems, 1, 4, 2, "First Name", "stray-quote");
  assert_audience_problem (problems, 2, 5, 4, "Company", "unterminated-quote");
  /* the blank line is skipped: row 4 starts on line 6 */
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (problems, 1),
                                               "line"), ==, 6);
  g_clear_pointer (&node, json_node_unref);

  run_cli (f, &human, "audiences", "inspect", csv);
  g_assert_cmpint (human.status, ==, 0);
  g_assert_nonnull (strstr (human.out, "delimiter \";\""));
  g_assert_nonnull (strstr (human.out, "Row 3, column 3"));
  g_assert_nonnull (strstr (human.out, "Row 5, column 4"));
  g_assert_nonnull (strstr (human.out, sha256));

  /* JSON Lines: a line that is an array, a nested value, a line that is not JSON, and a key
   * first seen late */
  run_cli (f, &lines, "audiences", "inspect", jsonl, "--json");
  g_assert_cmpint (lines.status, ==, 0);
  node = cli_test_parse_json (lines.out);
  object = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (object, "format"), ==, "jsonl");
  g_assert_true (json_object_get_null_member (object, "delimiter"));
  columns = json_object_get_array_member (object, "columns");
  g_assert_cmpuint (json_array_get_length (columns), ==, 3);
  g_assert_cmpstr (json_array_get_string_element (columns, 0), ==, "email");
  g_assert_cmpstr (json_array_get_string_element (columns, 2), ==, "late");
  g_assert_cmpint (json_object_get_int_member (object, "rows"), ==, 5);
  problems = json_object_get_array_member (object, "problems");
  g_assert_cmpuint (json_array_get_length (problems), ==, 3);
  assert_audience_problem (problems, 0, 2, 0, NULL, "json-not-object");
  assert_audience_problem (problems, 1, 3, 2, "n", "json-nested");
  assert_audience_problem (problems, 2, 4, 0, NULL, "json-syntax");
  g_clear_pointer (&node, json_node_unref);

  /* another delimiter forced: each line is one column */
  run_cli (f, &r, "audiences", "inspect", csv, "--delimiter", "tab", "--json");
  g_assert_cmpint (r.status, ==, 0);
  node = cli_test_parse_json (r.out);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (node), "columns")), ==, 1);
  g_clear_pointer (&node, json_node_unref);
  cli_result_clear (&r);

  run_cli (f, &r, "audiences", "inspect", missing);
  g_assert_cmpint (r.status, ==, 1);
  cli_test_assert_error_line (&r, missing);
  cli_result_clear (&r);
  run_cli (f, &r, "audiences", "inspect", csv, "--delimiter", "::");
  assert_usage_error (&r, "--delimiter");
  cli_result_clear (&r);
  run_cli (f, &r, "audiences", "inspect", csv, "--format", "xlsx");
  assert_usage_error (&r, "--format");
  cli_result_clear (&r);
  run_cli (f, &r, "audiences", "inspect");
  assert_usage_error (&r, "FILE");
}

#define GOOD_CSV \
  "Email,First Name,Last Name\n" \
  "ann@example.com,Ann,Lee\n" \
  "bob@example.com,Bob,Stone\n"

#define BAD_EMAIL_CSV \
  "Email,First Name,Last Name\n" \
  "ann@example.com,Ann,Lee\n" \
  "not-an-address,Bob,Stone\n" \
  "carl@example.com,Carl,Cole\n"

#define NO_LAST_NAME_CSV \
  "Email,First Name\n" \
  "ann@example.com,Ann\n"

static void
test_validate (Fixture       *f,
               gconstpointer  data)
{
  const char * const accounts[] = { ACCOUNT, "Unfetched", NULL };
  g_autofree char *good = write_file (f, "good.csv", GOOD_CSV);
  g_autofree char *bad_email = write_file (f, "bad-email.csv", BAD_EMAIL_CSV);
  g_autofree char *no_last_name = write_file (f, "no-last-name.csv", NO_LAST_NAME_CSV);
  g_auto(Result) added = { 0, };
  g_auto(Result) ok = { 0, };
  g_auto(Result) warned = { 0, };
  g_auto(Result) warned_json = { 0, };
  g_auto(Result) failed = { 0, };
  g_auto(Result) failed_json = { 0, };
  g_auto(Result) unacknowledged = { 0, };
  g_auto(Result) offline = { 0, };
  g_auto(Result) cached = { 0, };
  g_auto(Result) r = { 0, };
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;
  JsonObject *problem;
  JsonArray *problems;

  if (!push_test_require_keyring ())
    return;
  fixture_start_sandbox (f);

  run_cli (f, &added, "destinations", "add", "--name", "Customers", "--account", ACCOUNT,
           "--sync-type", "profile", "--dedupe-field", "email", "--identity", "Email",
           "--map", "First Name=firstName", "--map", "Last Name=lastName",
           "--privacy-acknowledged");
  g_assert_cmpint (added.status, ==, 0);

  /* nothing wrong */
  run_cli (f, &ok, "validate", "--destination", "Customers", "--audience", good);
  g_assert_cmpint (ok.status, ==, 0);
  g_assert_nonnull (strstr (ok.out, "0 errors, 0 warnings; 2 of 2 rows checked"));
  g_assert_cmpstr (ok.err, ==, "");

  /* a value that is not an email address: a warning, still exit 0 */
  run_cli (f, &warned, "validate", "--destination", "Customers", "--audience", bad_email);
  g_assert_cmpint (warned.status, ==, 0);
  g_assert_true (g_str_has_prefix (warned.out, "warning: "));
  g_assert_nonnull (strstr (warned.out, "0 errors, 1 warning;"));
  run_cli (f, &warned_json, "validate", "--destination", "Customers", "--audience", bad_email,
           "--json");
  g_assert_cmpint (warned_json.status, ==, 0);
  node = cli_test_parse_json (warned_json.out);
  object = json_node_get_object (node);
  g_assert_true (json_object_get_boolean_member (object, "ok"));
  g_assert_cmpint (json_object_get_int_member (object, "rows_read"), ==, 3);
  problems = json_object_get_array_member (object, "problems");
  g_assert_cmpuint (json_array_get_length (problems), ==, 1);
  problem = find_problem (problems, "value-not-email");
  g_assert_nonnull (problem);
  g_assert_cmpstr (json_object_get_string_member (problem, "severity"), ==, "warning");
  g_assert_cmpstr (json_object_get_string_member (problem, "column"), ==, "Email");
  g_assert_cmpint (json_object_get_int_member (problem, "row"), ==, -2);  /* the identity row */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (problem, "examples")),
                    ==, 1);
  g_assert_cmpint (json_array_get_int_element (json_object_get_array_member (problem,
                                                                              "examples"), 0),
                   ==, 2);
  g_clear_pointer (&node, json_node_unref);

  /* a mapped column the file does not have: exit 1 */
  run_cli (f, &failed, "validate", "--destination", "Customers", "--audience", no_last_name);
  g_assert_cmpint (failed.status, ==, 1);
  g_assert_true (g_str_has_prefix (failed.out, "error: "));
  g_assert_cmpstr (failed.err, ==,
                   "audience-push-cli: the audience can't be sent to \"Customers\": 1 error\n");
  run_cli (f, &failed_json, "validate", "--destination", "Customers", "--audience",
           no_last_name, "--json");
  g_assert_cmpint (failed_json.status, ==, 1);
  node = cli_test_parse_json (failed_json.out);
  object = json_node_get_object (node);
  g_assert_false (json_object_get_boolean_member (object, "ok"));
  g_assert_cmpint (json_object_get_int_member (object, "errors"), ==, 1);
  problems = json_object_get_array_member (object, "problems");
  problem = find_problem (problems, "column-missing");
  g_assert_nonnull (problem);
  g_assert_cmpstr (json_object_get_string_member (problem, "severity"), ==, "error");
  g_assert_cmpstr (json_object_get_string_member (problem, "column"), ==, "Last Name");
  g_assert_cmpstr (json_object_get_string_member (problem, "field"), ==, "lastName");
  g_assert_cmpint (json_object_get_int_member (problem, "row"), ==, 1);  /* mapping row 1 */
  g_assert_true (json_object_has_member (problem, "message"));
  g_assert_true (json_object_has_member (problem, "examples"));
  g_clear_pointer (&node, json_node_unref);

  /* validate asks what an activation needs: the privacy acknowledgement */
  cli_result_clear (&added);
  run_cli (f, &added, "destinations", "add", "--name", "Unconfirmed", "--account", ACCOUNT,
           "--sync-type", "profile", "--person-action", "update-only", "--dedupe-field", "email",
           "--identity", "Email");
  g_assert_cmpint (added.status, ==, 0);
  run_cli (f, &unacknowledged, "validate", "--destination", "Unconfirmed", "--audience", good,
           "--json");
  g_assert_cmpint (unacknowledged.status, ==, 1);
  node = cli_test_parse_json (unacknowledged.out);
  problems = json_object_get_array_member (json_node_get_object (node), "problems");
  g_assert_nonnull (find_problem (problems, "privacy-not-acknowledged"));
  g_clear_pointer (&node, json_node_unref);

  /* the sandbox gone: what was fetched is enough, with --offline or while it is fresh */
  cli_fixture_stop_sandbox (f);
  run_cli (f, &offline, "validate", "--destination", "Customers", "--audience", good,
           "--offline");
  g_assert_cmpint (offline.status, ==, 0);
  g_assert_nonnull (strstr (offline.out, "0 errors"));
  run_cli (f, &cached, "validate", "--destination", "Customers", "--audience", no_last_name,
           "--offline", "--json");
  g_assert_cmpint (cached.status, ==, 1);
  node = cli_test_parse_json (cached.out);
  problems = json_object_get_array_member (json_node_get_object (node), "problems");
  g_assert_nonnull (find_problem (problems, "column-missing"));
  /* the field list still came from the cache: no "schema-unavailable" note */
  g_assert_null (find_problem (problems, "schema-unavailable"));
  g_clear_pointer (&node, json_node_unref);
  run_cli (f, &r, "validate", "--destination", "Customers", "--audience", good);
  g_assert_cmpint (r.status, ==, 0);
  cli_result_clear (&r);

  /* --offline with nothing fetched yet for the account */
  {
    const char * const args[] = { "accounts", "add", "--name", "Unfetched",
                                  "--munchkin-id", MUNCHKIN_ID,
                                  "--client-id", "0123abcd-4567-89ab-cdef-0123456789ab",
                                  "--endpoint", "http://127.0.0.1:9", "--client-secret-stdin",
                                  NULL };

    cli_fixture_run_cliv (f, "not-a-real-secret\n", NULL, args, &r);
    g_assert_cmpint (r.status, ==, 0);
    cli_result_clear (&r);
  }
  run_cli (f, &r, "destinations", "add", "--name", "Nowhere", "--account", "Unfetched",
           "--sync-type", "audience", "--dedupe-field", "email", "--identity", "Email",
           "--list", "1187", "--offline");
  g_assert_cmpint (r.status, ==, 1);
  cli_test_assert_error_line (&r, "--offline");
  cli_result_clear (&r);

  /* wrong usage and unknown names */
  run_cli (f, &r, "validate", "--audience", good);
  assert_usage_error (&r, "--destination");
  cli_result_clear (&r);
  run_cli (f, &r, "validate", "--destination", "Customers");
  assert_usage_error (&r, "--audience");
  cli_result_clear (&r);
  run_cli (f, &r, "validate", "--destination", "Nobody", "--audience", good, "--offline");
  g_assert_cmpint (r.status, ==, 1);
  g_assert_cmpstr (r.err, ==, "audience-push-cli: destination \"Nobody\" not found\n");
  cli_result_clear (&r);

  fixture_clean_up (f, accounts);
}

int
main (int   argc,
      char *argv[])
{
  cli_test_init (&argc, &argv);

  g_test_add_func ("/cli/destinations/list-reference", test_list_reference);
  g_test_add ("/cli/destinations/add", Fixture, NULL, fixture_set_up, test_add,
              cli_fixture_tear_down);
  g_test_add ("/cli/destinations/list-folder", Fixture, NULL, fixture_set_up, test_list_folder,
              cli_fixture_tear_down);
  g_test_add ("/cli/destinations/export-import", Fixture, NULL, fixture_set_up,
              test_export_import, cli_fixture_tear_down);
  g_test_add ("/cli/audiences/inspect", Fixture, NULL, fixture_set_up, test_inspect,
              cli_fixture_tear_down);
  g_test_add ("/cli/validate", Fixture, NULL, fixture_set_up, test_validate,
              cli_fixture_tear_down);

  return g_test_run ();
}
