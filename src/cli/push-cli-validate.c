/* push-cli-validate.c: "audience-push-cli validate", and the validation the CLI shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The instance's details come from the store's cache (PushInstanceCache), refreshed through
 * the account's client when they are missing or older than PUSH_INSTANCE_CACHE_MAX_AGE; with
 * --offline only the cache is read. The client secret goes from the keyring to the client and
 * is wiped; it is never printed.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "push-cli-audiences.h"
#include "push-cli-validate.h"
#include "push-instance-cache.h"
#include "push-secrets.h"
#include "push-usage-store.h"

void
push_cli_instance_free (PushCliInstance *instance)
{
  if (instance == NULL)
    return;

  g_clear_pointer (&instance->schema, marketo_lead_schema_free);
  g_clear_pointer (&instance->partitions, g_ptr_array_unref);
  g_clear_pointer (&instance->lists, g_ptr_array_unref);
  g_clear_pointer (&instance->folders, g_ptr_array_unref);
  g_clear_pointer (&instance->fetched, g_date_time_unref);
  g_free (instance);
}

MarketoClient *
push_cli_client_for_account (PushAccounts  *accounts,
                             PushAccount   *account,
                             GError       **error)
{
  g_autoptr(MarketoClient) client = NULL;
  g_autoptr(GError) local_error = NULL;
  char *secret;

  g_return_val_if_fail (PUSH_IS_ACCOUNTS (accounts), NULL);
  g_return_val_if_fail (PUSH_IS_ACCOUNT (account), NULL);

  secret = push_accounts_lookup_secret_sync (accounts, account, NULL, &local_error);
  if (secret == NULL)
    {
      if (local_error == NULL ||
          g_error_matches (local_error, PUSH_SECRET_ERROR, PUSH_SECRET_ERROR_NOT_FOUND))
        g_set_error (error, PUSH_CLI_ERROR, PUSH_CLI_ERROR_FAILED,
                     _("account \"%s\" has no client secret in the keyring; remove it and add "
                       "it again"), push_account_get_name (account));
      else
        g_set_error (error, PUSH_CLI_ERROR, PUSH_CLI_ERROR_FAILED, _("account \"%s\": %s"),
                     push_account_get_name (account), local_error->message);
      return NULL;
    }

  client = marketo_client_new (push_account_get_endpoint (account),
                               push_account_get_client_id (account), secret, &local_error);
  push_secrets_free (secret);
  if (client == NULL)
    {
      g_set_error (error, PUSH_CLI_ERROR, PUSH_CLI_ERROR_FAILED, _("account \"%s\": %s"),
                   push_account_get_name (account), local_error->message);
      return NULL;
    }

  /* The account's budget, and the day's count shared with the app and other runs */
  push_usage_store_configure_pacer (marketo_client_get_pacer (client),
                                    push_accounts_get_store (accounts), account);

  return g_steal_pointer (&client);
}

static gboolean
read_cache (PushInstanceCache  *cache,
            const char         *account_id,
            PushCliInstance    *instance,
            GError            **error)
{
  g_clear_pointer (&instance->schema, marketo_lead_schema_free);
  g_clear_pointer (&instance->partitions, g_ptr_array_unref);
  g_clear_pointer (&instance->lists, g_ptr_array_unref);
  g_clear_pointer (&instance->folders, g_ptr_array_unref);
  g_clear_pointer (&instance->fetched, g_date_time_unref);

  instance->schema = push_instance_cache_get_schema (cache, account_id, &instance->fetched,
                                                     error);
  if (instance->schema == NULL && *error != NULL)
    return FALSE;
  instance->partitions = push_instance_cache_get_partitions (cache, account_id, NULL, error);
  if (instance->partitions == NULL && *error != NULL)
    return FALSE;
  instance->lists = push_instance_cache_get_lists (cache, account_id, NULL, error);
  if (instance->lists == NULL && *error != NULL)
    return FALSE;
  instance->folders = push_instance_cache_get_folders (cache, account_id, NULL, error);
  if (instance->folders == NULL && *error != NULL)
    return FALSE;

  return TRUE;
}

static gboolean
is_stale (PushCliInstance *instance)
{
  g_autoptr(GDateTime) now = NULL;

  /* (a cache from before folders were kept has none) */
  if (instance->schema == NULL || instance->fetched == NULL || instance->folders == NULL)
    return TRUE;

  now = g_date_time_new_now_utc ();
  return g_date_time_difference (now, instance->fetched) > PUSH_INSTANCE_CACHE_MAX_AGE;
}

PushCliInstance *
push_cli_instance_load (PushAccounts  *accounts,
                        PushAccount   *account,
                        PushCliFetch   fetch,
                        GError       **error)
{
  g_autoptr(PushInstanceCache) cache = NULL;
  g_autoptr(PushCliInstance) instance = g_new0 (PushCliInstance, 1);
  g_autoptr(GError) local_error = NULL;
  const char *account_id;
  const char *name;

  g_return_val_if_fail (PUSH_IS_ACCOUNTS (accounts), NULL);
  g_return_val_if_fail (PUSH_IS_ACCOUNT (account), NULL);

  account_id = push_account_get_id (account);
  name = push_account_get_name (account);
  cache = push_instance_cache_new (push_accounts_get_store (accounts));
  if (!read_cache (cache, account_id, instance, &local_error))
    {
      g_set_error (error, PUSH_CLI_ERROR, PUSH_CLI_ERROR_FAILED, _("account \"%s\": %s"), name,
                   local_error->message);
      return NULL;
    }

  if (fetch == PUSH_CLI_FETCH_WHEN_STALE && is_stale (instance))
    {
      g_autoptr(MarketoClient) client = NULL;

      g_debug ("Fetching the instance details of account %s", account_id);
      client = push_cli_client_for_account (accounts, account, &local_error);
      if (client != NULL &&
          push_instance_cache_refresh_sync (cache, account_id, client, NULL, &local_error) &&
          read_cache (cache, account_id, instance, &local_error))
        return g_steal_pointer (&instance);

      if (instance->schema == NULL || instance->fetched == NULL)
        {
          g_set_error (error, PUSH_CLI_ERROR, PUSH_CLI_ERROR_FAILED,
                       /* Translators: an account name, then why */
                       _("could not fetch the fields, partitions and lists of account \"%s\": "
                         "%s"), name, local_error->message);
          return NULL;
        }
      else
        {
          g_autofree char *when = g_date_time_format (instance->fetched, "%c");

          fflush (stdout);
          g_printerr ("%s: ", PUSH_CLI_NAME);
          /* Translators: an account name, why, then a date and time */
          g_printerr (_("warning: could not refresh the fields, partitions and lists of account "
                        "\"%s\" (%s); using those fetched on %s"),
                      name, local_error->message, when);
          g_printerr ("\n");
        }
    }

  if (fetch == PUSH_CLI_FETCH_NEVER_REQUIRE && instance->schema == NULL)
    {
      g_set_error (error, PUSH_CLI_ERROR, PUSH_CLI_ERROR_FAILED,
                   _("nothing is known yet about the Marketo instance of account \"%s\": run "
                     "once without --offline to fetch its fields, partitions and lists"), name);
      return NULL;
    }

  return g_steal_pointer (&instance);
}

const MarketoList *
push_cli_instance_find_list (PushCliInstance *instance,
                             gint64           list_id)
{
  g_return_val_if_fail (instance != NULL, NULL);

  for (guint i = 0; instance->lists != NULL && i < instance->lists->len; i++)
    {
      const MarketoList *list = g_ptr_array_index (instance->lists, i);

      if (list->id == list_id)
        return list;
    }

  return NULL;
}

/* The validator knows no lists: an existing list that the instance does not have is checked
 * here. */
static void
check_list_exists (PushCliInstance *instance,
                   PushDestination *destination,
                   GPtrArray       *problems)
{
  gint64 list_id = push_destination_get_list_id (destination);
  const char *list_name = push_destination_get_list_name (destination);
  g_autofree char *message = NULL;

  if (!push_sync_type_uses_list (push_destination_get_sync_type (destination)) ||
      push_destination_get_list_target_kind (destination) != PUSH_LIST_TARGET_EXISTING ||
      list_id <= 0 || instance->lists == NULL ||
      push_cli_instance_find_list (instance, list_id) != NULL)
    return;

  if (*list_name != '\0')
    /* Translators: a list id, then the list's name as last seen */
    message = g_strdup_printf (_("This Marketo instance has no static list %" G_GINT64_FORMAT
                                 " (“%s”): it was deleted, or belongs to another instance; "
                                 "choose another list"), list_id, list_name);
  else
    message = g_strdup_printf (_("This Marketo instance has no static list %" G_GINT64_FORMAT
                                 "; choose one of its lists"), list_id);
  g_ptr_array_add (problems, push_problem_new (PUSH_PROBLEM_LIST_TARGET_MISSING,
                                               PUSH_PROBLEM_ROW_NONE, NULL, NULL, message));
}

GPtrArray *
push_cli_validate_destination (PushCliInstance      *instance,
                               PushDestination      *destination,
                               PushValidationLevel   level,
                               PushAudienceReader   *reader,
                               PushScanStats        *stats,
                               GError              **error)
{
  g_autoptr(PushValidator) validator = NULL;
  g_autoptr(GPtrArray) problems = NULL;

  g_return_val_if_fail (instance != NULL, NULL);
  g_return_val_if_fail (PUSH_IS_DESTINATION (destination), NULL);

  validator = push_validator_new (instance->schema);
  push_validator_set_partitions (validator, instance->partitions);
  push_validator_set_folders (validator, instance->folders);
  problems = push_validator_validate (validator, destination, level, reader, stats, NULL, error);
  if (problems == NULL)
    return NULL;

  check_list_exists (instance, destination, problems);
  push_problems_sort (problems);
  return g_steal_pointer (&problems);
}

void
push_cli_print_problems (FILE      *stream,
                         GPtrArray *problems)
{
  g_return_if_fail (stream != NULL);

  for (guint i = 0; problems != NULL && i < problems->len; i++)
    {
      const PushProblem *problem = g_ptr_array_index (problems, i);

      /* The severity is a stable word ("error", "warning", "info") that scripts may match */
      fprintf (stream, "%s: %s\n", push_problem_severity_to_string (problem->severity),
               problem->message);
    }
  fflush (stream);
}

PushDestinations *
push_cli_open_destinations (PushAccounts  *accounts,
                            GError       **error)
{
  PushDestinations *destinations;

  g_return_val_if_fail (PUSH_IS_ACCOUNTS (accounts), NULL);

  destinations = push_destinations_new (push_accounts_get_store (accounts), error);
  if (destinations == NULL)
    g_prefix_error (error, _("Could not read the destinations: "));
  return destinations;
}

PushDestination *
push_cli_find_destination (PushDestinations  *destinations,
                           const char        *name,
                           GError           **error)
{
  PushDestination *destination;

  g_return_val_if_fail (PUSH_IS_DESTINATIONS (destinations), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  destination = push_destinations_find_by_name (destinations, name);
  if (destination == NULL)
    {
      g_set_error (error, PUSH_CLI_ERROR, PUSH_CLI_ERROR_FAILED,
                   _("destination \"%s\" not found"), name);
      return NULL;
    }

  return g_object_ref (destination);
}

gboolean
push_cli_open_named_destination (const char         *name,
                                 PushAccounts      **out_accounts,
                                 PushDestinations  **out_destinations,
                                 PushDestination   **out_destination,
                                 GError            **error)
{
  g_autoptr(PushAccounts) accounts = NULL;
  g_autoptr(PushDestinations) destinations = NULL;
  g_autoptr(PushDestination) destination = NULL;

  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (out_accounts != NULL, FALSE);
  g_return_val_if_fail (out_destinations != NULL, FALSE);
  g_return_val_if_fail (out_destination != NULL, FALSE);

  accounts = push_cli_open_accounts (error);
  if (accounts == NULL)
    return FALSE;
  destinations = push_cli_open_destinations (accounts, error);
  if (destinations == NULL)
    return FALSE;
  destination = push_cli_find_destination (destinations, name, error);
  if (destination == NULL)
    return FALSE;

  *out_accounts = g_steal_pointer (&accounts);
  *out_destinations = g_steal_pointer (&destinations);
  *out_destination = g_steal_pointer (&destination);
  return TRUE;
}

PushAccount *
push_cli_destination_account (PushAccounts     *accounts,
                              PushDestination  *destination,
                              GError          **error)
{
  PushAccount *account;

  g_return_val_if_fail (PUSH_IS_ACCOUNTS (accounts), NULL);
  g_return_val_if_fail (PUSH_IS_DESTINATION (destination), NULL);

  account = push_accounts_find_by_id (accounts, push_destination_get_account_id (destination));
  if (account == NULL)
    {
      g_set_error (error, PUSH_CLI_ERROR, PUSH_CLI_ERROR_FAILED,
                   _("the account of destination \"%s\" no longer exists; import the "
                     "destination again with --account"),
                   push_destination_get_name (destination));
      return NULL;
    }

  return g_object_ref (account);
}

/* ---- "validate" ---- */

static void
print_validate_json (PushDestination *destination,
                     const char      *file_path,
                     GPtrArray       *problems,
                     PushScanStats   *stats)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "destination");
  json_builder_add_string_value (builder, push_destination_get_name (destination));
  json_builder_set_member_name (builder, "audience");
  json_builder_add_string_value (builder, file_path);
  json_builder_set_member_name (builder, "ok");
  json_builder_add_boolean_value (builder, !push_problems_has_errors (problems));
  json_builder_set_member_name (builder, "errors");
  json_builder_add_int_value (builder, push_problems_count (problems,
                                                            PUSH_PROBLEM_SEVERITY_ERROR));
  json_builder_set_member_name (builder, "warnings");
  json_builder_add_int_value (builder, push_problems_count (problems,
                                                            PUSH_PROBLEM_SEVERITY_WARNING));
  json_builder_set_member_name (builder, "rows_read");
  json_builder_add_int_value (builder, (gint64) stats->rows_read);
  json_builder_set_member_name (builder, "rows_checked");
  json_builder_add_int_value (builder, (gint64) stats->rows_checked);
  json_builder_set_member_name (builder, "problems");
  json_builder_add_value (builder, push_problems_to_json (problems));
  json_builder_end_object (builder);

  node = json_builder_get_root (builder);
  push_cli_print_json (node, TRUE);
}

int
push_cli_validate_run (const char  *path,
                       int          argc,
                       char       **argv)
{
  g_autofree char *destination_name = NULL;
  g_autofree char *audience_path = NULL;
  g_autofree char *format = NULL;
  g_autofree char *delimiter = NULL;
  gboolean offline = FALSE;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "destination", 'D', 0, G_OPTION_ARG_STRING, &destination_name,
      N_("The destination to check (required)"), N_("NAME") },
    { "audience", 'a', 0, G_OPTION_ARG_FILENAME, &audience_path,
      N_("The audience file to check against it (required)"), N_("FILE") },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format,
      N_("The file's format: csv, jsonl or auto (default)"), N_("FORMAT") },
    { "delimiter", 'd', 0, G_OPTION_ARG_STRING, &delimiter,
      N_("The CSV delimiter: , ; | or tab (default: guessed)"), N_("CHARACTER") },
    { "offline", 0, 0, G_OPTION_ARG_NONE, &offline,
      N_("Use only the Marketo details fetched before; contact nothing"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the problems as JSON"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PushAudienceReader) reader = NULL;
  g_autoptr(PushAccounts) accounts = NULL;
  g_autoptr(PushDestinations) destinations = NULL;
  g_autoptr(PushDestination) destination = NULL;
  g_autoptr(PushCliInstance) instance = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PushAccount) account = NULL;
  PushScanStats stats = { 0, 0 };
  guint n_errors, n_warnings;

  context = push_cli_option_context_new (path, NULL,
                                         N_("Check that an audience can be sent to a "
                                            "destination: its settings, its mapping against "
                                            "the file's columns, and a sample of the values."),
                                         entries);
  g_option_context_set_description (context,
                                    _("The checks are those run before an activation, with "
                                      "the same rules as the application. The exit status is 0 "
                                      "when no error stands (warnings are printed), 1 "
                                      "otherwise."));
  if (!push_cli_parse_options (context, path, &argc, &argv, NULL, &error))
    return push_cli_report_error (path, error);
  if (destination_name == NULL)
    return push_cli_usage_error (path, _("the option %s is required"), "--destination");
  if (audience_path == NULL)
    return push_cli_usage_error (path, _("the option %s is required"), "--audience");

  reader = push_cli_audience_reader_new (audience_path, format, delimiter, &error);
  if (reader == NULL)
    return push_cli_report_error (path, error);

  if (!push_cli_open_named_destination (destination_name, &accounts, &destinations,
                                        &destination, &error))
    return push_cli_report_error (path, error);

  /* a reference: the fetch iterates the main context, the account stays alive through it */
  account = push_cli_destination_account (accounts, destination, &error);
  if (account == NULL)
    return push_cli_report_error (path, error);
  instance = push_cli_instance_load (accounts, account,
                                     offline ? PUSH_CLI_FETCH_NEVER_REQUIRE
                                             : PUSH_CLI_FETCH_WHEN_STALE,
                                     &error);
  if (instance == NULL)
    return push_cli_report_error (path, error);

  if (!push_cli_audience_reader_open (reader, audience_path, &error))
    return push_cli_report_error (path, error);
  problems = push_cli_validate_destination (instance, destination,
                                            PUSH_VALIDATION_PRE_ACTIVATION, reader, &stats,
                                            &error);
  if (problems == NULL)
    {
      g_prefix_error (&error, "%s: ", audience_path);
      return push_cli_report_error (path, error);
    }

  n_errors = push_problems_count (problems, PUSH_PROBLEM_SEVERITY_ERROR);
  n_warnings = push_problems_count (problems, PUSH_PROBLEM_SEVERITY_WARNING);

  if (json)
    print_validate_json (destination, audience_path, problems, &stats);
  else
    {
      g_autofree char *read = push_audience_format_count (stats.rows_read);
      g_autofree char *checked = push_audience_format_count (stats.rows_checked);
      g_autofree char *errors = NULL;
      g_autofree char *warnings = NULL;

      errors = g_strdup_printf (ngettext ("%u error", "%u errors", n_errors), n_errors);
      warnings = g_strdup_printf (ngettext ("%u warning", "%u warnings", n_warnings),
                                  n_warnings);
      push_cli_print_problems (stdout, problems);
      /* Translators: “1 error”, “2 warnings”, then the rows checked and the rows read, as in
       * “0 errors, 2 warnings; 2,000 of 50,000 rows checked” */
      g_print (_("%s, %s; %s of %s rows checked"), errors, warnings, checked, read);
      g_print ("\n");
    }

  if (n_errors > 0)
    return push_cli_fail (ngettext ("the audience can't be sent to \"%s\": %u error",
                                    "the audience can't be sent to \"%s\": %u errors",
                                    n_errors),
                          push_destination_get_name (destination), n_errors);

  return PUSH_CLI_EXIT_OK;
}
