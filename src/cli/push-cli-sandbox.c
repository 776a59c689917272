/* push-cli-sandbox.c: "audience-push-cli sandbox"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs a MarketoSandbox in the foreground until SIGINT or SIGTERM. The first line on stdout
 * says where it is and which credentials it accepts, so a script can start it and read one
 * line. The secret printed there is the sandbox's own, made up for this run.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <signal.h>
#include <unistd.h>

#include "marketo-sandbox.h"
#include "push-cli-sandbox.h"

/* A Munchkin ID for accounts that point at a sandbox: well-formed, and never a real one. */
#define SANDBOX_MUNCHKIN_ID "000-SBX-000"

typedef struct {
  /* raw option values (owned) (nullable): NULL when the option was not given */
  char    *port;
  char    *seed;
  char    *leads;
  char    *window_seconds;
  char    *window_calls;
  char    *concurrency;
  char    *quota;
  char    *latency_ms;
  char    *latency_per_record_ms;
  char    *token_lifetime;
  char   **faults;
  char    *state_file;
  char    *add_account;
  char    *client_id;
  char    *now;
  char    *bulk_step_ms;
  char    *leads_csv;
  gboolean client_secret_stdin;
  gboolean log_requests;
  gboolean json;
} SandboxOptions;

static void
sandbox_options_clear (SandboxOptions *options)
{
  g_clear_pointer (&options->port, g_free);
  g_clear_pointer (&options->seed, g_free);
  g_clear_pointer (&options->leads, g_free);
  g_clear_pointer (&options->window_seconds, g_free);
  g_clear_pointer (&options->window_calls, g_free);
  g_clear_pointer (&options->concurrency, g_free);
  g_clear_pointer (&options->quota, g_free);
  g_clear_pointer (&options->latency_ms, g_free);
  g_clear_pointer (&options->latency_per_record_ms, g_free);
  g_clear_pointer (&options->token_lifetime, g_free);
  g_clear_pointer (&options->faults, g_strfreev);
  g_clear_pointer (&options->state_file, g_free);
  g_clear_pointer (&options->add_account, g_free);
  g_clear_pointer (&options->client_id, g_free);
  g_clear_pointer (&options->now, g_free);
  g_clear_pointer (&options->bulk_step_ms, g_free);
  g_clear_pointer (&options->leads_csv, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SandboxOptions, sandbox_options_clear)

/* The sandbox's own property, so the accepted range is always the sandbox's. */
static GParamSpec *
find_property (MarketoSandbox *sandbox,
               const char     *property,
               GType           value_type)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (sandbox), property);

  g_assert (pspec != NULL && G_PARAM_SPEC_VALUE_TYPE (pspec) == value_type);
  return pspec;
}

/* Sets a guint (or guint64) property from an option, when it was given. */
static gboolean
apply_uint (MarketoSandbox *sandbox,
            const char     *property,
            const char     *option,
            const char     *text,
            GError        **error)
{
  GParamSpec *pspec;
  guint64 value;

  if (text == NULL)
    return TRUE;

  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (sandbox), property);
  g_assert (pspec != NULL);
  if (G_IS_PARAM_SPEC_UINT64 (pspec))
    {
      GParamSpecUInt64 *range = G_PARAM_SPEC_UINT64 (pspec);

      if (!push_cli_parse_uint (option, text, range->minimum, range->maximum, &value, error))
        return FALSE;
      g_object_set (sandbox, property, value, NULL);
    }
  else
    {
      GParamSpecUInt *range = G_PARAM_SPEC_UINT (find_property (sandbox, property, G_TYPE_UINT));

      if (!push_cli_parse_uint (option, text, range->minimum, range->maximum, &value, error))
        return FALSE;
      g_object_set (sandbox, property, (guint) value, NULL);
    }

  return TRUE;
}

static gboolean
apply_double (MarketoSandbox *sandbox,
              const char     *property,
              const char     *option,
              const char     *text,
              GError        **error)
{
  GParamSpecDouble *range;
  double value;

  if (text == NULL)
    return TRUE;

  range = G_PARAM_SPEC_DOUBLE (find_property (sandbox, property, G_TYPE_DOUBLE));
  if (!push_cli_parse_double (option, text, range->minimum, range->maximum, &value, error))
    return FALSE;

  g_object_set (sandbox, property, value, NULL);
  return TRUE;
}

/* Everything but the port, before the sandbox starts. Errors are usage errors. */
static gboolean
configure_sandbox (MarketoSandbox  *sandbox,
                   SandboxOptions  *options,
                   GError         **error)
{
  if (!apply_uint (sandbox, "seed", "--seed", options->seed, error) ||
      !apply_uint (sandbox, "lead-count", "--leads", options->leads, error) ||
      !apply_double (sandbox, "window-seconds", "--window-seconds", options->window_seconds,
                     error) ||
      !apply_uint (sandbox, "window-calls", "--window-calls", options->window_calls, error) ||
      !apply_uint (sandbox, "max-concurrency", "--concurrency", options->concurrency, error) ||
      !apply_uint (sandbox, "daily-quota", "--quota", options->quota, error) ||
      !apply_double (sandbox, "latency-base-ms", "--latency-ms", options->latency_ms, error) ||
      !apply_double (sandbox, "latency-per-record-ms", "--latency-per-record-ms",
                     options->latency_per_record_ms, error) ||
      !apply_uint (sandbox, "token-lifetime", "--token-lifetime", options->token_lifetime,
                   error) ||
      !apply_uint (sandbox, "bulk-step-ms", "--bulk-step-ms", options->bulk_step_ms, error))
    return FALSE;

  if (options->client_id != NULL)
    {
      if (*options->client_id == '\0')
        {
          g_set_error (error, PUSH_CLI_ERROR, PUSH_CLI_ERROR_USAGE,
                       _("%s must not be empty"), "--client-id");
          return FALSE;
        }
      g_object_set (sandbox, "client-id", options->client_id, NULL);
    }

  if (options->client_secret_stdin)
    {
      char *secret = push_cli_read_secret_line (STDIN_FILENO, error);

      if (secret == NULL)
        return FALSE;
      if (*secret == '\0')
        {
          push_cli_secret_free (secret);
          g_set_error (error, PUSH_CLI_ERROR, PUSH_CLI_ERROR_FAILED,
                       _("the client secret read from standard input is empty"));
          return FALSE;
        }
      g_object_set (sandbox, "client-secret", secret, NULL);
      push_cli_secret_free (secret);
    }

  if (options->now != NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 (options->now, NULL);

      if (now == NULL)
        {
          g_set_error (error, PUSH_CLI_ERROR, PUSH_CLI_ERROR_USAGE,
                       /* Translators: the placeholder is an option, --now */
                       _("%s must be a date and time like 2026-03-01T08:00:00Z"), "--now");
          return FALSE;
        }
      marketo_sandbox_set_now (sandbox, now);
    }

  if (options->state_file != NULL)
    g_object_set (sandbox, "state-file", options->state_file, NULL);

  for (guint i = 0; options->faults != NULL && options->faults[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;

      if (!marketo_sandbox_add_fault_spec (sandbox, options->faults[i], &local_error))
        {
          g_set_error (error, PUSH_CLI_ERROR, PUSH_CLI_ERROR_USAGE,
                       /* Translators: the placeholders are a fault spec and why it is wrong */
                       _("--fault \"%s\": %s"), options->faults[i], local_error->message);
          return FALSE;
        }
    }

  return TRUE;
}

/* Registers (or points again) the account @name at the running sandbox. An account of that
 * name that is not a sandbox account is left alone: that is an error. */
static gboolean
register_account (MarketoSandbox  *sandbox,
                  const char      *name,
                  GError         **error)
{
  g_autoptr(PushAccounts) accounts = NULL;
  g_autoptr(PushAccount) account = NULL;
  g_autofree char *endpoint = marketo_sandbox_dup_endpoint (sandbox);
  const char *secret = marketo_sandbox_get_client_secret (sandbox);
  PushAccount *existing;
  gboolean ok;

  accounts = push_cli_open_accounts (error);
  if (accounts == NULL)
    return FALSE;

  existing = push_accounts_find_by_name (accounts, name);
  if (existing != NULL && !push_account_get_is_sandbox (existing))
    {
      g_set_error (error, PUSH_CLI_ERROR, PUSH_CLI_ERROR_FAILED,
                   _("--add-account: account \"%s\" exists and is not a sandbox account"),
                   name);
      return FALSE;
    }

  account = existing != NULL ? push_account_copy (existing) : push_account_new ();
  push_account_set_name (account, name);
  push_account_set_is_sandbox (account, TRUE);
  push_account_set_munchkin_id (account, SANDBOX_MUNCHKIN_ID);
  push_account_set_endpoint (account, endpoint);
  push_account_set_client_id (account, marketo_sandbox_get_client_id (sandbox));

  if (existing != NULL)
    ok = push_accounts_update_sync (accounts, account, secret, NULL, error);
  else
    ok = push_accounts_add_sync (accounts, account, secret, NULL, error);

  if (!ok)
    {
      g_prefix_error (error, _("--add-account: could not save the account \"%s\": "), name);
      return FALSE;
    }

  g_debug ("Account %s (%s) points at %s", push_account_get_name (account),
           push_account_get_id (account), endpoint);
  return TRUE;
}

typedef struct {
  MarketoSandbox *sandbox;  /* (unowned) */
  guint           n_printed;
} RequestPrinter;

/* --log-requests: one line on stderr per request the sandbox answered since the last look. */
static gboolean
print_requests_cb (gpointer user_data)
{
  RequestPrinter *printer = user_data;
  g_autoptr(GPtrArray) log = marketo_sandbox_dup_request_log (printer->sandbox);

  if (log->len < printer->n_printed)
    printer->n_printed = 0;

  for (guint i = printer->n_printed; i < log->len; i++)
    {
      MarketoSandboxRequest *request = g_ptr_array_index (log, i);
      g_autoptr(GString) line = g_string_new (NULL);

      g_string_append_printf (line, "%s %s", request->method, request->path);
      if (request->query != NULL && *request->query != '\0')
        g_string_append_printf (line, "?%s", request->query);
      if (request->http_status == 0)
        g_string_append (line, " -> reset");
      else
        g_string_append_printf (line, " -> %u", request->http_status);
      if (request->code != 0)
        g_string_append_printf (line, " code %d", request->code);
      if (request->n_records > 0)
        g_string_append_printf (line, ", %u records", request->n_records);
      g_string_append_printf (line, ", %.1f ms",
                              (request->end_us - request->start_us) / 1000.0);
      if (request->faulted)
        g_string_append (line, ", injected fault");
      g_printerr ("%s\n", line->str);
    }
  printer->n_printed = log->len;

  return G_SOURCE_CONTINUE;
}

static void
print_ready_line (MarketoSandbox *sandbox,
                  gboolean        json)
{
  g_autofree char *endpoint = marketo_sandbox_dup_endpoint (sandbox);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "endpoint");
      json_builder_add_string_value (builder, endpoint);
      json_builder_set_member_name (builder, "client_id");
      json_builder_add_string_value (builder, marketo_sandbox_get_client_id (sandbox));
      json_builder_set_member_name (builder, "client_secret");
      json_builder_add_string_value (builder, marketo_sandbox_get_client_secret (sandbox));
      json_builder_end_object (builder);
      node = json_builder_get_root (builder);
      push_cli_print_json (node, FALSE);
      return;
    }

  /* Translators: the first line of "audience-push-cli sandbox"; scripts read it, so keep
   * the placeholders in this order */
  g_print (_("Sandbox Marketo at %s  client ID: %s  client secret: %s"),
           endpoint, marketo_sandbox_get_client_id (sandbox),
           marketo_sandbox_get_client_secret (sandbox));
  g_print ("\n%s\n", _("Press Ctrl+C to stop it."));
  fflush (stdout);
}

static gboolean
stop_requested_cb (gpointer user_data)
{
  GMainLoop *loop = user_data;

  g_debug ("Stop requested");
  g_main_loop_quit (loop);
  return G_SOURCE_CONTINUE;
}

int
push_cli_sandbox_run (const char  *path,
                      int          argc,
                      char       **argv)
{
  g_auto(SandboxOptions) options = { NULL, };
  const GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_STRING, &options.port,
      N_("Listen on this port of 127.0.0.1 (default: 0, any free port)"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &options.json,
      N_("Print the first line as a JSON object (endpoint, client_id, client_secret)"), NULL },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &options.seed,
      N_("Seed of the generated lead database"), N_("N") },
    { "leads", 0, 0, G_OPTION_ARG_STRING, &options.leads,
      N_("How many leads to generate"), N_("N") },
    { "window-seconds", 0, 0, G_OPTION_ARG_STRING, &options.window_seconds,
      N_("Length of the rate-limit window (default: 20)"), N_("SECONDS") },
    { "window-calls", 0, 0, G_OPTION_ARG_STRING, &options.window_calls,
      N_("Calls allowed per window (default: 100)"), N_("N") },
    { "concurrency", 0, 0, G_OPTION_ARG_STRING, &options.concurrency,
      N_("Calls allowed in flight at once (default: 10)"), N_("N") },
    { "quota", 0, 0, G_OPTION_ARG_STRING, &options.quota,
      N_("Calls allowed per day (default: 50000)"), N_("N") },
    { "latency-ms", 0, 0, G_OPTION_ARG_STRING, &options.latency_ms,
      N_("Added to every answer, in milliseconds (default: 0)"), N_("MS") },
    { "latency-per-record-ms", 0, 0, G_OPTION_ARG_STRING, &options.latency_per_record_ms,
      N_("Added per record of a call, in milliseconds (default: 0)"), N_("MS") },
    { "token-lifetime", 0, 0, G_OPTION_ARG_STRING, &options.token_lifetime,
      N_("Lifetime of an access token in seconds (default: 3600)"), N_("SECONDS") },
    { "fault", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options.faults,
      N_("Inject faults, e.g. 606:3, http502:2, reset, stall=5000@/rest/v1/leads.json "
         "(repeatable)"), N_("SPEC") },
    { "state-file", 0, 0, G_OPTION_ARG_FILENAME, &options.state_file,
      N_("Keep the lead database in this file (default: memory only)"), N_("PATH") },
    { "add-account", 0, 0, G_OPTION_ARG_STRING, &options.add_account,
      N_("Also save a sandbox account of this name pointing at this sandbox"), N_("NAME") },
    { "client-id", 0, 0, G_OPTION_ARG_STRING, &options.client_id,
      N_("The client ID to accept (default: a random one)"), N_("ID") },
    { "client-secret-stdin", 0, 0, G_OPTION_ARG_NONE, &options.client_secret_stdin,
      N_("Read the client secret to accept from standard input (default: a random one)"),
      NULL },
    { "now", 0, 0, G_OPTION_ARG_STRING, &options.now,
      N_("Run the sandbox clock from this date and time (ISO 8601), for token expiry and "
         "the daily quota"), N_("DATETIME") },
    { "bulk-step-ms", 0, 0, G_OPTION_ARG_STRING, &options.bulk_step_ms,
      N_("How often bulk import jobs advance a step (default: 2000; 0: never)"), N_("MS") },
    { "leads-csv", 0, 0, G_OPTION_ARG_FILENAME, &options.leads_csv,
      N_("Also load (upsert by email) the leads of this CSV file"), N_("PATH") },
    { "log-requests", 0, 0, G_OPTION_ARG_NONE, &options.log_requests,
      N_("Print a line on stderr for every request served"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(MarketoSandbox) sandbox = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  guint64 port = 0;
  RequestPrinter printer = { NULL, 0 };
  guint sigint_id;
  guint sigterm_id;
  guint log_id = 0;

  context = push_cli_option_context_new (path, NULL,
                                         N_("Run a simulated Marketo instance on 127.0.0.1 "
                                            "until interrupted."),
                                         entries);
  g_option_context_set_description (context,
    _("The first line of output gives the endpoint, the client ID and the client secret the "
      "sandbox accepts. SIGINT or SIGTERM stops it cleanly.\n"
      "\n"
      "A fault spec is one or more faults separated by commas:\n"
      "  WHAT[:COUNT][@PATH-PREFIX]\n"
      "where WHAT is a Marketo error code (606), http and an HTTP status (http502), reset, or\n"
      "stall=MILLISECONDS. COUNT is how many calls fail (default 1); PATH-PREFIX limits the\n"
      "fault to matching calls (\"/identity\" to hit the token endpoint)."));
  if (!push_cli_parse_options (context, path, &argc, &argv, NULL, &error))
    return push_cli_report_error (path, error);

  if (options.port != NULL &&
      !push_cli_parse_uint ("--port", options.port, 0, G_MAXUINT16, &port, &error))
    return push_cli_report_error (path, error);

  sandbox = marketo_sandbox_new ();
  printer.sandbox = sandbox;
  if (!configure_sandbox (sandbox, &options, &error))
    return push_cli_report_error (path, error);

  if (!marketo_sandbox_start (sandbox, (guint16) port, &error))
    return push_cli_fail (_("could not start the sandbox: %s"), error->message);

  if (options.leads_csv != NULL &&
      marketo_sandbox_load_leads_csv (sandbox, options.leads_csv, NULL, &error) == 0 &&
      error != NULL)
    {
      marketo_sandbox_stop (sandbox);
      return push_cli_fail ("--leads-csv: %s", error->message);
    }

  if (options.add_account != NULL && !register_account (sandbox, options.add_account, &error))
    {
      marketo_sandbox_stop (sandbox);
      return push_cli_report_error (path, error);
    }

  /* A reader that goes away must not kill the sandbox half-way through a save. */
  signal (SIGPIPE, SIG_IGN);

  loop = g_main_loop_new (NULL, FALSE);
  sigint_id = g_unix_signal_add (SIGINT, stop_requested_cb, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, stop_requested_cb, loop);

  print_ready_line (sandbox, options.json);
  if (options.log_requests)
    log_id = g_timeout_add (200, print_requests_cb, &printer);
  g_debug ("Sandbox running at port %u, scope %s", marketo_sandbox_get_port (sandbox),
           marketo_sandbox_get_scope (sandbox));

  g_main_loop_run (loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  marketo_sandbox_stop (sandbox);
  if (log_id != 0)
    {
      print_requests_cb (&printer);
      g_source_remove (log_id);
    }
  g_debug ("Sandbox stopped");

  return PUSH_CLI_EXIT_OK;
}
