/* push-cli-accounts.c: "audience-push-cli accounts add|list|test|remove"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Client secrets reach this file from standard input or from the environment, go straight to
 * the keyring (through PushAccounts) or to a MarketoClient, and are wiped when done; they are
 * never an option, never printed and never part of a message.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#include <unistd.h>

#include "marketo-client.h"
#include "push-secrets.h"
#include "push-cli-accounts.h"

static const char * const name_arg[] = { N_("NAME"), NULL };

/* Validation: the model's own sentences, after the option they are about. */
static gboolean
check_field (const char  *option,
             char        *problem,  /* (transfer full) (nullable) */
             GError     **error)
{
  g_autofree char *owned = problem;

  if (owned == NULL)
    return TRUE;

  g_set_error (error, PUSH_CLI_ERROR, PUSH_CLI_ERROR_FAILED, "%s: %s", option, owned);
  return FALSE;
}

/* A limit option: not a number is wrong usage; a number out of range is the model's call. */
static gboolean
parse_limit (const char *option,
             const char *text,
             guint      *out_value,
             GError    **error)
{
  guint64 value;

  if (text == NULL)
    return TRUE;
  if (!push_cli_parse_uint (option, text, 0, G_MAXUINT32, &value, error))
    return FALSE;

  *out_value = (guint) value;
  return TRUE;
}

/* TRUE when argv holds a --client-secret option: it is refused before anything else. */
static gboolean
has_secret_argument (int    argc,
                     char **argv)
{
  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--"))
        break;
      if (g_str_equal (argv[i], "--client-secret") ||
          g_str_has_prefix (argv[i], "--client-secret="))
        return TRUE;
    }

  return FALSE;
}

static int
accounts_add (const char  *path,
              int          argc,
              char       **argv)
{
  g_autofree char *name = NULL;
  g_autofree char *munchkin_id = NULL;
  g_autofree char *client_id = NULL;
  g_autofree char *endpoint_arg = NULL;
  g_autofree char *rate_calls = NULL;
  g_autofree char *rate_window = NULL;
  g_autofree char *max_concurrency = NULL;
  g_autofree char *daily_quota = NULL;
  gboolean secret_stdin = FALSE;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "name", 'n', 0, G_OPTION_ARG_STRING, &name,
      N_("A name for the account, unique among your accounts (required)"), N_("NAME") },
    { "munchkin-id", 'm', 0, G_OPTION_ARG_STRING, &munchkin_id,
      N_("The Marketo Munchkin ID, like 123-ABC-456 (required)"), N_("ID") },
    { "client-id", 'c', 0, G_OPTION_ARG_STRING, &client_id,
      N_("The client ID of the LaunchPoint custom service (required)"), N_("ID") },
    { "endpoint", 'e', 0, G_OPTION_ARG_STRING, &endpoint_arg,
      N_("The REST endpoint (default: https://MUNCHKIN-ID.mktorest.com)"), N_("URL") },
    { "client-secret-stdin", 0, 0, G_OPTION_ARG_NONE, &secret_stdin,
      N_("Read the client secret from the first line of standard input "
         "(else it comes from $AUDIENCE_PUSH_CLIENT_SECRET)"), NULL },
    { "rate-calls", 0, 0, G_OPTION_ARG_STRING, &rate_calls,
      N_("Calls allowed per rate window (default: 50)"), N_("N") },
    { "rate-window", 0, 0, G_OPTION_ARG_STRING, &rate_window,
      N_("Length of the rate window in seconds (default: 20)"), N_("SECONDS") },
    { "max-concurrency", 0, 0, G_OPTION_ARG_STRING, &max_concurrency,
      N_("Calls allowed in flight at once (default: 5)"), N_("N") },
    { "daily-quota", 0, 0, G_OPTION_ARG_STRING, &daily_quota,
      N_("Calls allowed per day (default: 50000)"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print the new account as JSON"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PushAccounts) accounts = NULL;
  g_autoptr(PushAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names_taken = NULL;
  g_autofree char *description = NULL;
  char *secret = NULL;
  guint calls = PUSH_ACCOUNT_DEFAULT_RATE_CALLS;
  guint window = PUSH_ACCOUNT_DEFAULT_RATE_WINDOW;
  guint concurrency = PUSH_ACCOUNT_DEFAULT_MAX_CONCURRENCY;
  guint quota = PUSH_ACCOUNT_DEFAULT_DAILY_QUOTA;
  gboolean ok;

  if (has_secret_argument (argc, argv))
    return push_cli_usage_error (path,
                                 _("--client-secret is not accepted: command-line arguments are "
                                   "visible to other users and kept in shell history; pass "
                                   "--client-secret-stdin and write the secret to standard input, "
                                   "or set %s"), PUSH_CLI_SECRET_ENV);

  context = push_cli_option_context_new (path, NULL, N_("Add a Marketo account."), entries);
  description = g_strdup_printf (_("The client secret is stored in the keyring, never in the "
                                   "database. It is read from the first line of standard input "
                                   "with --client-secret-stdin, else from the %s environment "
                                   "variable; there is no option that takes it."),
                                 PUSH_CLI_SECRET_ENV);
  g_option_context_set_description (context, description);
  if (!push_cli_parse_options (context, path, &argc, &argv, NULL, &error))
    return push_cli_report_error (path, error);

  if (name == NULL)
    return push_cli_usage_error (path, _("the option %s is required"), "--name");
  if (munchkin_id == NULL)
    return push_cli_usage_error (path, _("the option %s is required"), "--munchkin-id");
  if (client_id == NULL)
    return push_cli_usage_error (path, _("the option %s is required"), "--client-id");

  if (!parse_limit ("--rate-calls", rate_calls, &calls, &error) ||
      !parse_limit ("--rate-window", rate_window, &window, &error) ||
      !parse_limit ("--max-concurrency", max_concurrency, &concurrency, &error) ||
      !parse_limit ("--daily-quota", daily_quota, &quota, &error))
    return push_cli_report_error (path, error);

  if (secret_stdin)
    {
      secret = push_cli_read_secret_line (STDIN_FILENO, &error);
      if (secret == NULL)
        return push_cli_report_error (path, error);
      if (*secret == '\0')
        {
          push_cli_secret_free (secret);
          return push_cli_fail (_("the client secret read from standard input is empty"));
        }
    }
  else if (g_getenv (PUSH_CLI_SECRET_ENV) != NULL)
    {
      secret = g_strdup (g_getenv (PUSH_CLI_SECRET_ENV));
      if (*secret == '\0')
        {
          push_cli_secret_free (secret);
          return push_cli_fail (_("the environment variable %s is empty"), PUSH_CLI_SECRET_ENV);
        }
    }
  else
    return push_cli_usage_error (path,
                                 _("no client secret: pass --client-secret-stdin and write it to "
                                   "standard input, or set %s"), PUSH_CLI_SECRET_ENV);

  /* The setters normalise (trim, upper-case the Munchkin ID, tidy the endpoint); the checks
   * then see what would be stored. */
  account = push_account_new ();
  push_account_set_name (account, name);
  push_account_set_munchkin_id (account, munchkin_id);
  if (endpoint_arg != NULL)
    push_account_set_endpoint (account, endpoint_arg);
  else
    {
      /* NULL for a bad Munchkin ID, which its own check reports */
      g_autofree char *endpoint = push_account_default_endpoint (munchkin_id);

      if (endpoint != NULL)
        push_account_set_endpoint (account, endpoint);
    }
  push_account_set_client_id (account, client_id);
  push_account_set_rate_calls (account, calls);
  push_account_set_rate_window (account, window);
  push_account_set_max_concurrency (account, concurrency);
  push_account_set_daily_quota (account, quota);

  accounts = push_cli_open_accounts (&error);
  if (accounts != NULL)
    names_taken = push_accounts_dup_names (accounts, NULL);

  ok = accounts != NULL &&
       check_field ("--name",
                    push_account_check_name (push_account_get_name (account),
                                             (const char * const *) names_taken),
                    &error) &&
       check_field ("--munchkin-id",
                    push_account_check_munchkin_id (push_account_get_munchkin_id (account)),
                    &error) &&
       check_field ("--endpoint",
                    push_account_check_endpoint (push_account_get_endpoint (account)), &error) &&
       check_field ("--client-id",
                    push_account_check_client_id (push_account_get_client_id (account)),
                    &error) &&
       check_field (_("client secret"), push_account_check_client_secret (secret), &error) &&
       check_field ("--rate-calls", push_account_check_rate_calls (calls), &error) &&
       check_field ("--rate-window", push_account_check_rate_window (window), &error) &&
       check_field ("--max-concurrency", push_account_check_max_concurrency (concurrency),
                    &error) &&
       check_field ("--daily-quota", push_account_check_daily_quota (quota), &error);

  if (ok)
    {
      ok = push_accounts_add_sync (accounts, account, secret, NULL, &error);
      if (!ok)
        g_prefix_error (&error, _("could not add the account \"%s\": "),
                        push_account_get_name (account));
    }
  push_cli_secret_free (g_steal_pointer (&secret));

  if (!ok)
    return push_cli_report_error (path, error);

  if (json)
    {
      g_autoptr(JsonNode) node = push_cli_account_to_json (account);

      push_cli_print_json (node, TRUE);
    }
  else
    {
      g_print (_("Added account \"%s\" (%s)."), push_account_get_name (account),
               push_account_get_id (account));
      g_print ("\n");
    }

  return PUSH_CLI_EXIT_OK;
}

static void
print_account (PushAccount *account)
{
  if (push_account_get_is_sandbox (account))
    /* Translators: an account name followed by a marker */
    g_print (_("%s (sandbox)"), push_account_get_name (account));
  else
    g_print ("%s", push_account_get_name (account));
  g_print ("\n");

  g_print ("  %s %s\n", _("ID:"), push_account_get_id (account));
  g_print ("  %s %s\n", _("Munchkin ID:"), push_account_get_munchkin_id (account));
  g_print ("  %s %s\n", _("Endpoint:"), push_account_get_endpoint (account));
  g_print ("  %s %s\n", _("Client ID:"), push_account_get_client_id (account));
  g_print ("  %s ", _("Limits:"));
  /* Translators: the account's API limits: "50 calls per 20 s, 5 at once, 50000 a day" */
  g_print (_("%u calls per %u s, %u at once, %u a day"),
           push_account_get_rate_calls (account), push_account_get_rate_window (account),
           push_account_get_max_concurrency (account), push_account_get_daily_quota (account));
  g_print ("\n");
}

static int
accounts_list (const char  *path,
               int          argc,
               char       **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the accounts as a JSON array"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PushAccounts) accounts = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *model;
  guint n_items;

  context = push_cli_option_context_new (path, NULL,
                                         N_("List the accounts. Client secrets are never shown."),
                                         entries);
  if (!push_cli_parse_options (context, path, &argc, &argv, NULL, &error))
    return push_cli_report_error (path, error);

  accounts = push_cli_open_accounts (&error);
  if (accounts == NULL)
    return push_cli_report_error (path, error);

  model = G_LIST_MODEL (accounts);
  n_items = g_list_model_get_n_items (model);

  if (json)
    {
      g_autoptr(JsonArray) array = json_array_sized_new (n_items);
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);

      for (guint i = 0; i < n_items; i++)
        {
          g_autoptr(PushAccount) account = g_list_model_get_item (model, i);

          json_array_add_element (array, push_cli_account_to_json (account));
        }
      json_node_set_array (node, array);
      push_cli_print_json (node, TRUE);
      return PUSH_CLI_EXIT_OK;
    }

  if (n_items == 0)
    {
      g_print (_("No accounts yet. Add one with \"%s accounts add\"."), PUSH_CLI_NAME);
      g_print ("\n");
      return PUSH_CLI_EXIT_OK;
    }

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(PushAccount) account = g_list_model_get_item (model, i);

      if (i > 0)
        g_print ("\n");
      print_account (account);
    }

  return PUSH_CLI_EXIT_OK;
}

typedef struct {
  GMainLoop        *loop;
  MarketoTokenInfo *info;
  GError           *error;
} AuthWait;

static void
authenticated_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  AuthWait *wait = user_data;

  wait->info = marketo_client_authenticate_finish (MARKETO_CLIENT (source), result,
                                                   &wait->error);
  g_main_loop_quit (wait->loop);
}

/* The error with what it means in Marketo's terms, when Marketo has a word for it. */
static char *
describe_auth_error (const GError *error)
{
  const char *meaning = NULL;

  if (error->domain == MARKETO_ERROR)
    meaning = marketo_error_code_describe (error->code);

  if (meaning != NULL && strstr (error->message, meaning) == NULL)
    return g_strdup_printf ("%s (%s)", meaning, error->message);

  return g_strdup (error->message);
}

static void
print_test_json (PushAccount      *account,
                 MarketoTokenInfo *info,
                 GDateTime        *expires_at,
                 const GError     *error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "account");
  json_builder_add_string_value (builder, push_account_get_name (account));
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, push_account_get_id (account));
  json_builder_set_member_name (builder, "endpoint");
  json_builder_add_string_value (builder, push_account_get_endpoint (account));
  json_builder_set_member_name (builder, "ok");
  json_builder_add_boolean_value (builder, info != NULL);
  if (info != NULL)
    {
      g_autofree char *when = g_date_time_format_iso8601 (expires_at);

      json_builder_set_member_name (builder, "scope");
      json_builder_add_string_value (builder, info->scope);
      json_builder_set_member_name (builder, "token_type");
      json_builder_add_string_value (builder, info->token_type);
      json_builder_set_member_name (builder, "expires_in");
      json_builder_add_int_value (builder, info->expires_in);
      json_builder_set_member_name (builder, "expires_at");
      json_builder_add_string_value (builder, when);
    }
  else
    {
      json_builder_set_member_name (builder, "error");
      json_builder_add_value (builder, push_cli_error_to_json (error));
    }
  json_builder_end_object (builder);

  node = json_builder_get_root (builder);
  push_cli_print_json (node, TRUE);
}

static int
accounts_test (const char  *path,
               int          argc,
               char       **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as JSON"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PushAccounts) accounts = NULL;
  g_autoptr(PushAccount) account = NULL;
  g_autoptr(MarketoClient) client = NULL;
  g_autoptr(MarketoTokenInfo) info = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) expires_at = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *problem = NULL;
  char *secret;
  AuthWait wait = { NULL, };

  context = push_cli_option_context_new (path, _("NAME"),
                                         N_("Check an account's credentials by asking Marketo "
                                            "for an access token."),
                                         entries);
  if (!push_cli_parse_options (context, path, &argc, &argv, name_arg, &error))
    return push_cli_report_error (path, error);

  accounts = push_cli_open_accounts (&error);
  if (accounts == NULL)
    return push_cli_report_error (path, error);
  account = push_cli_find_account (accounts, argv[1], &error);
  if (account == NULL)
    return push_cli_report_error (path, error);

  secret = push_accounts_lookup_secret_sync (accounts, account, NULL, &error);
  if (secret == NULL && error == NULL)
    return push_cli_fail (_("account \"%s\" has no client secret in the keyring; remove it and "
                            "add it again"), push_account_get_name (account));
  if (secret == NULL)
    return push_cli_fail (_("account \"%s\": %s"), push_account_get_name (account),
                          error->message);

  client = marketo_client_new (push_account_get_endpoint (account),
                               push_account_get_client_id (account), secret, &error);
  push_secrets_free (secret);
  if (client == NULL)
    return push_cli_fail (_("account \"%s\": %s"), push_account_get_name (account),
                          error->message);

  g_debug ("Requesting a token from %s", marketo_client_get_endpoint (client));
  loop = g_main_loop_new (NULL, FALSE);
  wait.loop = loop;
  marketo_client_authenticate_async (client, NULL, authenticated_cb, &wait);
  g_main_loop_run (loop);
  info = g_steal_pointer (&wait.info);
  error = g_steal_pointer (&wait.error);

  now = g_date_time_new_now_local ();
  if (info != NULL)
    expires_at = g_date_time_add_seconds (now, (double) info->expires_in);

  if (json)
    print_test_json (account, info, expires_at, error);

  if (info == NULL)
    {
      problem = describe_auth_error (error);
      return push_cli_fail (_("account \"%s\" failed the test: %s"),
                            push_account_get_name (account), problem);
    }

  if (!json)
    {
      g_autofree char *when = g_date_time_format (expires_at, "%X");

      g_print (_("Account \"%s\": the credentials work."), push_account_get_name (account));
      g_print ("\n  %s %s\n", _("Scope:"), info->scope != NULL ? info->scope : "");
      g_print ("  %s ", _("Token:"));
      /* Translators: "bearer, expires in 3599 s (at 14:05:09)" */
      g_print (_("%s, expires in %" G_GINT64_FORMAT " s (at %s)"),
               info->token_type != NULL ? info->token_type : "", info->expires_in, when);
      g_print ("\n");
    }

  return PUSH_CLI_EXIT_OK;
}

static int
accounts_remove (const char  *path,
                 int          argc,
                 char       **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the removed account as JSON"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PushAccounts) accounts = NULL;
  g_autoptr(PushAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  context = push_cli_option_context_new (path, _("NAME"),
                                         N_("Remove an account and its client secret."),
                                         entries);
  if (!push_cli_parse_options (context, path, &argc, &argv, name_arg, &error))
    return push_cli_report_error (path, error);

  accounts = push_cli_open_accounts (&error);
  if (accounts == NULL)
    return push_cli_report_error (path, error);
  account = push_cli_find_account (accounts, argv[1], &error);
  if (account == NULL)
    return push_cli_report_error (path, error);

  if (!push_accounts_remove_sync (accounts, account, NULL, &error))
    return push_cli_fail (_("could not remove the account \"%s\": %s"),
                          push_account_get_name (account), error->message);

  if (json)
    {
      g_autoptr(JsonNode) node = push_cli_account_to_json (account);

      push_cli_print_json (node, TRUE);
    }
  else
    {
      g_print (_("Removed account \"%s\" and its client secret."),
               push_account_get_name (account));
      g_print ("\n");
    }

  return PUSH_CLI_EXIT_OK;
}

static const PushCliCommand accounts_commands[] = {
  { "add", N_("Add an account (the secret comes from stdin or the environment)"), accounts_add },
  { "list", N_("List the accounts"), accounts_list },
  { "test", N_("Check an account's credentials against Marketo"), accounts_test },
  { "remove", N_("Remove an account and its client secret"), accounts_remove },
  { NULL, NULL, NULL }
};

int
push_cli_accounts_run (const char  *path,
                       int          argc,
                       char       **argv)
{
  return push_cli_dispatch (path, N_("Manage the Marketo accounts that audiences are sent to."),
                            accounts_commands, argc, argv);
}
