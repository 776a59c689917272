/* push-cli-activate.c: "audience-push-cli activate" and "audience-push-cli runs"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The forecast comes first, then (on a terminal, never when stderr is piped) a progress line
 * on stderr, then the final counts (with --json: one JSON object on stdout and nothing else).
 * SIGINT and SIGTERM cancel the run cleanly: it stops between requests, keeps what was
 * committed and exits with 4 (resumable).
 *
 * When the forecast needs more API calls than remain today, the run asks on a terminal
 * (stdin and stderr both terminals, no --json); otherwise it refuses, says to use --yes, and
 * exits with 4 without sending anything.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "push-activation.h"
#include "push-audience-types.h"
#include "push-cli-activate.h"
#include "push-cli-audiences.h"
#include "push-destinations.h"
#include "push-problem.h"
#include "push-run-report.h"
#include "push-run-store.h"

typedef struct {
  GMainLoop    *loop;           /* (owned) */
  GCancellable *cancellable;    /* (owned) */
  GAsyncResult *result;         /* (owned) (nullable) */
  gboolean      json;
  gboolean      progress_line;  /* stderr is a terminal: keep a progress line there */
  gboolean      line_shown;
  guint         signal_ids[2];
} RunLoop;

static void
run_loop_clear (RunLoop *loop)
{
  for (guint i = 0; i < G_N_ELEMENTS (loop->signal_ids); i++)
    g_clear_handle_id (&loop->signal_ids[i], g_source_remove);
  g_clear_pointer (&loop->loop, g_main_loop_unref);
  g_clear_object (&loop->cancellable);
  g_clear_object (&loop->result);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RunLoop, run_loop_clear)

static char *
format_count (guint64 count)
{
  return push_audience_format_count (count);
}

static char *
format_duration (double seconds)
{
  guint64 s;

  if (seconds < 0)
    return g_strdup ("?");
  s = (guint64) (seconds + 0.5);
  if (s < 60)
    return g_strdup_printf ("%us", (guint) s);
  if (s < 3600)
    return g_strdup_printf ("%um%02us", (guint) (s / 60), (guint) (s % 60));
  return g_strdup_printf ("%uh%02um", (guint) (s / 3600), (guint) ((s % 3600) / 60));
}

static void
clear_progress_line (RunLoop *loop)
{
  if (loop->line_shown)
    {
      fputs ("\r\033[K", stderr);
      fflush (stderr);
      loop->line_shown = FALSE;
    }
}

/* ---- Signals of the activation ---- */

static void
progress_cb (PushActivation               *activation,
             const PushActivationProgress *progress,
             gpointer                      user_data)
{
  RunLoop *loop = user_data;
  g_autofree char *done = NULL;
  g_autofree char *total = NULL;
  g_autofree char *eta = NULL;
  g_autofree char *created = NULL;
  g_autofree char *updated = NULL;
  g_autofree char *added = NULL;
  g_autofree char *not_found = NULL;
  g_autofree char *rejected = NULL;
  g_autofree char *set_aside = NULL;
  g_autofree char *duplicates = NULL;
  g_autofree char *calls = NULL;

  if (!loop->progress_line || progress->members_total == 0)
    return;

  done = format_count (progress->members_done);
  total = format_count (progress->members_total);
  eta = format_duration (progress->eta_seconds);
  created = format_count (progress->counts.created);
  updated = format_count (progress->counts.updated);
  added = format_count (progress->counts.added);
  not_found = format_count (progress->counts.not_found);
  rejected = format_count (progress->counts.rejected);
  set_aside = format_count (progress->counts.set_aside);
  duplicates = format_count (progress->counts.duplicates);
  calls = format_count (progress->calls_used);
  /* Translators: the progress line; keep it short (one terminal line) */
  g_printerr (_("\r%s/%s members · %s created · %s updated · %s added · %s not found · "
                "%s rejected · %s set aside · %s duplicates · %s calls · %.0f/s · ETA %s"),
              done, total, created, updated, added, not_found, rejected, set_aside, duplicates,
              calls, progress->rate, eta);
  g_printerr ("\033[K");
  fflush (stderr);
  loop->line_shown = TRUE;
}

static void
forecast_cb (PushActivation *activation,
             PushForecast   *forecast,
             gpointer        user_data)
{
  RunLoop *loop = user_data;
  g_autofree char *text = NULL;

  if (loop->json)
    return;

  text = push_forecast_describe (forecast);
  g_print (_("Forecast: %s"), text);
  g_print ("\n");
  if (forecast->set_aside > 0 || forecast->duplicates > 0)
    {
      g_autofree char *set_aside = format_count (forecast->set_aside);
      g_autofree char *duplicates = format_count (forecast->duplicates);
      g_autofree char *set_aside_text = NULL;
      g_autofree char *duplicates_text = NULL;

      set_aside_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                     "%s row with problems (set aside)",
                                                     "%s rows with problems (set aside)",
                                                     (gulong) MIN (forecast->set_aside,
                                                                   G_MAXULONG)),
                                        set_aside);
      duplicates_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                      "%s duplicate (a later row has the same "
                                                      "dedupe value)",
                                                      "%s duplicates (a later row has the same "
                                                      "dedupe value)",
                                                      (gulong) MIN (forecast->duplicates,
                                                                    G_MAXULONG)),
                                         duplicates);
      /* Translators: the two parts above */
      g_print (_("Not sent: %s, %s"), set_aside_text, duplicates_text);
      g_print ("\n");
    }
  fflush (stdout);
}

static gboolean
stop_signal_cb (gpointer user_data)
{
  RunLoop *loop = user_data;

  g_debug ("Signal received: cancelling the run");
  g_cancellable_cancel (loop->cancellable);
  return G_SOURCE_CONTINUE;
}

static void
run_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  RunLoop *loop = user_data;

  loop->result = g_object_ref (result);
  g_main_loop_quit (loop->loop);
}

/* Runs @activation to its end on the default main context. */
static gboolean
run_activation (PushActivation  *activation,
                RunLoop         *loop,
                GError         **error)
{
  gulong progress_id, forecast_id;
  gboolean ok;

  progress_id = g_signal_connect (activation, "progress", G_CALLBACK (progress_cb), loop);
  forecast_id = g_signal_connect (activation, "forecast", G_CALLBACK (forecast_cb), loop);
  g_clear_object (&loop->result);

  push_activation_run_async (activation, loop->cancellable, run_done_cb, loop);
  g_main_loop_run (loop->loop);
  ok = push_activation_run_finish (activation, loop->result, error);

  g_signal_handler_disconnect (activation, progress_id);
  g_signal_handler_disconnect (activation, forecast_id);
  clear_progress_line (loop);
  return ok;
}

/* Asks "go ahead?" on the terminal; FALSE when nobody is there to answer. */
static gboolean
ask_confirmation (const GError *error)
{
  char answer[16] = { 0 };

  if (!isatty (STDIN_FILENO) || !isatty (STDERR_FILENO))
    return FALSE;

  g_printerr ("%s\n", error->message);
  /* Translators: the answer that means yes is the first letter of "y/N" in your language */
  g_printerr ("%s ", _("Go ahead anyway? [y/N]"));
  fflush (stderr);
  if (fgets (answer, sizeof answer, stdin) == NULL)
    return FALSE;
  g_strstrip (answer);
  return g_ascii_strcasecmp (answer, "y") == 0 || g_ascii_strcasecmp (answer, "yes") == 0 ||
         g_ascii_strcasecmp (answer, _("y")) == 0;
}

/* ---- Output ---- */

static int
exit_status_for (PushRunState         state,
                 const PushRunCounts *counts)
{
  switch (state)
    {
    case PUSH_RUN_STATE_COMPLETED:
      if (counts->rejected > 0 || counts->set_aside > 0 || counts->failed > 0)
        return PUSH_CLI_EXIT_COMPLETED_WITH_REJECTIONS;
      return PUSH_CLI_EXIT_OK;
    case PUSH_RUN_STATE_PAUSED:
    case PUSH_RUN_STATE_CANCELLED:
    case PUSH_RUN_STATE_INTERRUPTED:
    case PUSH_RUN_STATE_PENDING:
      return PUSH_CLI_EXIT_RESUMABLE;
    case PUSH_RUN_STATE_RUNNING:
    case PUSH_RUN_STATE_FAILED:
    default:
      return PUSH_CLI_EXIT_FAILURE;
    }
}

static void
print_counts (const PushRunCounts *counts,
              guint64              total)
{
  struct { const char *label; guint64 value; } rows[] = {
    { N_("Created"), counts->created },
    { N_("Updated"), counts->updated },
    { N_("Added to the list"), counts->added },
    { N_("Not found"), counts->not_found },
    { N_("Several matches (most recent chosen)"), counts->multiple_matches },
    { N_("Rejected by Marketo"), counts->rejected },
    { N_("Set aside (problems in the row)"), counts->set_aside },
    { N_("Duplicates in the audience"), counts->duplicates },
    { N_("Failed"), counts->failed },
  };
  g_autofree char *done = format_count (counts->members);
  g_autofree char *all = format_count (total);

  g_print ("  %-38s %s / %s\n", _("Members done"), done, all);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *value = format_count (rows[i].value);

      g_print ("  %-38s %s\n", _(rows[i].label), value);
    }
}

static JsonNode *
result_to_json (PushActivation *activation,
                PushRunInfo    *info,
                const GError   *error,
                int             status)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(PushForecast) forecast = push_activation_dup_forecast (activation);
  g_autoptr(GPtrArray) problems = push_activation_dup_problems (activation);
  JsonNode *node;

  if (info != NULL)
    {
      g_autoptr(JsonNode) run = push_run_info_to_json (info);
      JsonObject *run_object = json_node_get_object (run);

      json_object_set_string_member (object, "run_id", info->id);
      json_object_set_string_member (object, "state", push_run_state_to_string (info->state));
      json_object_set_member (object, "counts", push_run_counts_to_json (&info->counts));
      json_object_set_int_member (object, "total_members", (gint64) info->total_members);
      json_object_set_int_member (object, "calls_used", (gint64) info->calls_used);
      json_object_set_member (object, "quota_reset",
                              json_node_copy (json_object_get_member (run_object, "quota_reset")));
      json_object_set_member (object, "list_id",
                              json_node_copy (json_object_get_member (run_object, "list_id")));
      json_object_set_member (object, "message",
                              json_node_copy (json_object_get_member (run_object, "message")));
    }
  else
    {
      json_object_set_null_member (object, "run_id");
      json_object_set_string_member (object, "state", "not-started");
    }
  if (forecast != NULL)
    json_object_set_member (object, "forecast", push_forecast_to_json (forecast));
  if (problems->len > 0)
    json_object_set_member (object, "problems", push_problems_to_json (problems));
  if (error != NULL)
    json_object_set_member (object, "error", push_cli_error_to_json (error));
  json_object_set_int_member (object, "exit_status", status);

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, object);
  return node;
}

static void
print_problems (GPtrArray *problems)
{
  for (guint i = 0; i < problems->len; i++)
    {
      const PushProblem *problem = g_ptr_array_index (problems, i);

      g_printerr ("  %s: %s\n", push_problem_severity_get_label (problem->severity),
                  problem->message);
    }
}

/* ---- activate ---- */

static gboolean
parse_folder (const char  *text,
              gint64      *folder_id,
              GError     **error)
{
  guint64 value;

  if (text == NULL)
    {
      *folder_id = 0;
      return TRUE;
    }
  if (!push_cli_parse_uint ("--list-folder", text, 1, G_MAXINT64, &value, error))
    return FALSE;
  *folder_id = (gint64) value;
  return TRUE;
}

static int
activate (const char  *path,
          int          argc,
          char       **argv)
{
  g_autofree char *destination_name = NULL;
  g_autofree char *audience = NULL;
  g_autofree char *resume = NULL;
  g_autofree char *list_folder = NULL;
  g_autofree char *format = NULL;
  g_autofree char *delimiter = NULL;
  PushAudienceFormat audience_format = PUSH_AUDIENCE_FORMAT_AUTO;
  char audience_delimiter = 0;
  const char *folder_type = "Folder";
  gboolean json = FALSE;
  gboolean yes = FALSE;
  const GOptionEntry entries[] = {
    { "destination", 'D', 0, G_OPTION_ARG_STRING, &destination_name,
      N_("The destination to send the audience to (by name)"), N_("NAME") },
    { "audience", 'a', 0, G_OPTION_ARG_FILENAME, &audience,
      N_("The audience file (CSV or JSON Lines); with --resume, where it is now"), N_("FILE") },
    { "resume", 0, 0, G_OPTION_ARG_STRING, &resume,
      N_("Resume a paused, cancelled, interrupted or failed run"), N_("RUN_ID") },
    { "list-folder", 0, 0, G_OPTION_ARG_STRING, &list_folder,
      N_("The folder id where a destination that makes a list per audience creates it "
         "(default: the destination's folder)"),
      N_("ID") },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format,
      N_("How to read the audience: csv, jsonl or auto (default: auto)"), N_("FORMAT") },
    { "delimiter", 'd', 0, G_OPTION_ARG_STRING, &delimiter,
      N_("The CSV delimiter: , ; | or tab (default: detected)"), N_("CHAR") },
    { "yes", 'y', 0, G_OPTION_ARG_NONE, &yes,
      N_("Go ahead even if the run needs more API calls than remain today"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print the result as one JSON object (and no progress)"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PushAccounts) accounts = NULL;
  g_autoptr(PushDestinations) destinations = NULL;
  g_autoptr(PushRunStore) runs = NULL;
  g_autoptr(PushActivation) activation = NULL;
  g_autoptr(PushRunInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  g_autofree char *run_id = NULL;
  g_auto(RunLoop) loop = { 0 };
  PushStore *store;
  PushDestination *destination = NULL;
  PushAccount *account = NULL;
  gint64 folder_id = 0;
  int status;

  description = g_strdup_printf (_("Exit status: 0 completed; 3 completed with members rejected "
                                   "or set aside; 4 paused, cancelled or not confirmed "
                                   "(resumable); 1 failed; 2 wrong usage. The client secret "
                                   "comes from the keyring, or from %s when it is set."),
                                 PUSH_CLI_SECRET_ENV);
  context = push_cli_option_context_new (path, NULL,
                                         N_("Send an audience to a destination in Marketo."),
                                         entries);
  g_option_context_set_description (context, description);
  if (!push_cli_parse_options (context, path, &argc, &argv, NULL, &error) ||
      !parse_folder (list_folder, &folder_id, &error) ||
      !push_cli_parse_audience_format (format, delimiter, &audience_format, &audience_delimiter,
                                       &error))
    return push_cli_report_error (path, error);

  if (resume != NULL && destination_name != NULL)
    return push_cli_usage_error (path, _("--destination can't be used with --resume: a run "
                                         "goes on with the destination it began with"));
  if (resume == NULL && (destination_name == NULL || audience == NULL))
    return push_cli_usage_error (path, _("--destination and --audience are needed (or "
                                         "--resume RUN_ID)"));

  accounts = push_cli_open_accounts (&error);
  if (accounts == NULL)
    return push_cli_report_error (path, error);
  store = push_accounts_get_store (accounts);
  runs = push_run_store_new (store);
  if (push_run_store_detect_interrupted (runs, &error) < 0)
    return push_cli_report_error (path, error);

  if (resume != NULL)
    {
      activation = push_activation_new_for_resume (store, resume);
      if (audience != NULL)
        push_activation_set_audience_path (activation, audience);
    }
  else
    {
      destinations = push_destinations_new (store, &error);
      if (destinations == NULL)
        return push_cli_report_error (path, error);
      destination = push_destinations_find_by_name (destinations, destination_name);
      if (destination == NULL)
        return push_cli_fail (_("destination \"%s\" not found"), destination_name);
      account = push_accounts_find_by_id (accounts, push_destination_get_account_id (destination));
      if (account == NULL)
        return push_cli_fail (_("the account of destination \"%s\" no longer exists"),
                              destination_name);
      activation = push_activation_new (store, account, destination, audience);
    }

  if (g_getenv (PUSH_CLI_SECRET_ENV) != NULL && *g_getenv (PUSH_CLI_SECRET_ENV) != '\0')
    push_activation_set_client_secret (activation, g_getenv (PUSH_CLI_SECRET_ENV));
  if (folder_id > 0)
    push_activation_set_list_folder (activation, folder_id, folder_type);
  push_activation_set_audience_format (activation, audience_format, audience_delimiter);
  push_activation_set_confirmed (activation, yes);

  loop.loop = g_main_loop_new (NULL, FALSE);
  loop.cancellable = g_cancellable_new ();
  loop.json = json;
  loop.progress_line = !json && isatty (STDERR_FILENO);
  loop.signal_ids[0] = g_unix_signal_add (SIGINT, stop_signal_cb, &loop);
  loop.signal_ids[1] = g_unix_signal_add (SIGTERM, stop_signal_cb, &loop);

  if (!run_activation (activation, &loop, &error) &&
      g_error_matches (error, PUSH_ACTIVATION_ERROR, PUSH_ACTIVATION_ERROR_NEEDS_CONFIRMATION) &&
      !json && !g_cancellable_is_cancelled (loop.cancellable) && ask_confirmation (error))
    {
      g_autoptr(PushActivation) confirmed = NULL;

      g_clear_error (&error);
      if (resume != NULL)
        {
          confirmed = push_activation_new_for_resume (store, resume);
          if (audience != NULL)
            push_activation_set_audience_path (confirmed, audience);
        }
      else
        confirmed = push_activation_new (store, account, destination, audience);
      if (g_getenv (PUSH_CLI_SECRET_ENV) != NULL && *g_getenv (PUSH_CLI_SECRET_ENV) != '\0')
        push_activation_set_client_secret (confirmed, g_getenv (PUSH_CLI_SECRET_ENV));
      if (folder_id > 0)
        push_activation_set_list_folder (confirmed, folder_id, folder_type);
      push_activation_set_audience_format (confirmed, audience_format, audience_delimiter);
      push_activation_set_confirmed (confirmed, TRUE);
      g_set_object (&activation, confirmed);
      run_activation (activation, &loop, &error);
    }

  run_id = push_activation_dup_run_id (activation);
  if (run_id != NULL)
    info = push_run_store_get_run (runs, run_id, NULL);

  /* The activation never got to the run (a check, a refusal, a resume that can't be) */
  if (error != NULL && push_activation_get_state (activation) == PUSH_RUN_STATE_PENDING)
    {
      if (g_error_matches (error, PUSH_ACTIVATION_ERROR, PUSH_ACTIVATION_ERROR_NEEDS_CONFIRMATION) ||
          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        status = PUSH_CLI_EXIT_RESUMABLE;
      else
        status = PUSH_CLI_EXIT_FAILURE;

      if (json)
        {
          g_autoptr(JsonNode) node = result_to_json (activation, NULL, error, status);

          push_cli_print_json (node, FALSE);
          return status;
        }
      if (g_error_matches (error, PUSH_ACTIVATION_ERROR, PUSH_ACTIVATION_ERROR_NEEDS_CONFIRMATION))
        push_cli_fail (_("%s. Nothing was sent; run again with --yes to go ahead."),
                       error->message);
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        push_cli_fail (_("cancelled before anything was sent"));
      else
        push_cli_fail ("%s", error->message);
      if (g_error_matches (error, PUSH_ACTIVATION_ERROR, PUSH_ACTIVATION_ERROR_INVALID))
        {
          g_autoptr(GPtrArray) problems = push_activation_dup_problems (activation);

          print_problems (problems);
        }
      return status;
    }

  if (info == NULL)
    {
      g_autoptr(GError) local_error = NULL;

      if (error != NULL)
        return push_cli_fail ("%s", error->message);
      info = push_run_store_get_run (runs, run_id, &local_error);
      if (info == NULL)
        return push_cli_report_error (path, local_error);
    }

  status = error != NULL ? PUSH_CLI_EXIT_FAILURE : exit_status_for (info->state, &info->counts);
  if (json)
    {
      g_autoptr(JsonNode) node = result_to_json (activation, info, error, status);

      push_cli_print_json (node, FALSE);
      return status;
    }

  g_print (_("Run %s: %s"), info->id, push_run_state_get_label (info->state));
  g_print ("\n");
  print_counts (&info->counts, info->total_members);
  {
    g_autofree char *calls = format_count (info->calls_used);

    g_print ("  %-38s %s\n", _("API calls"), calls);
  }
  if (info->message != NULL)
    g_print ("%s\n", info->message);
  if (push_run_state_is_resumable (info->state))
    {
      g_print (_("Resume it with: %s activate --resume %s"), PUSH_CLI_NAME, info->id);
      g_print ("\n");
    }
  fflush (stdout);
  if (error != NULL)
    push_cli_fail ("%s", error->message);
  return status;
}

int
push_cli_activate_run (const char  *path,
                       int          argc,
                       char       **argv)
{
  return activate (path, argc, argv);
}

/* ---- runs ---- */

static PushRunStore *
open_runs (GError **error)
{
  g_autoptr(PushStore) store = push_store_open (NULL, error);
  g_autoptr(PushRunStore) runs = NULL;

  if (store == NULL)
    {
      g_prefix_error (error, _("Could not open the database: "));
      return NULL;
    }
  runs = push_run_store_new (store);
  if (push_run_store_detect_interrupted (runs, error) < 0)
    return NULL;
  return g_steal_pointer (&runs);
}

static char *
format_time (GDateTime *time)
{
  g_autoptr(GDateTime) local = NULL;

  if (time == NULL)
    return g_strdup ("-");
  local = g_date_time_to_local (time);
  return g_date_time_format (local, "%Y-%m-%d %H:%M:%S");
}

static int
runs_list (const char  *path,
           int          argc,
           char       **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the runs as a JSON array"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PushRunStore) runs = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;

  context = push_cli_option_context_new (path, NULL, N_("List the activation runs, newest first."),
                                         entries);
  if (!push_cli_parse_options (context, path, &argc, &argv, NULL, &error))
    return push_cli_report_error (path, error);

  runs = open_runs (&error);
  if (runs == NULL)
    return push_cli_report_error (path, error);
  list = push_run_store_list_runs (runs, &error);
  if (list == NULL)
    return push_cli_report_error (path, error);

  if (json)
    {
      g_autoptr(JsonArray) array = json_array_sized_new (list->len);
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);

      for (guint i = 0; i < list->len; i++)
        json_array_add_element (array, push_run_info_to_json (g_ptr_array_index (list, i)));
      json_node_set_array (node, array);
      push_cli_print_json (node, TRUE);
      return PUSH_CLI_EXIT_OK;
    }

  if (list->len == 0)
    {
      g_print ("%s\n", _("No runs yet."));
      return PUSH_CLI_EXIT_OK;
    }
  for (guint i = 0; i < list->len; i++)
    {
      const PushRunInfo *info = g_ptr_array_index (list, i);
      g_autofree char *created = format_time (info->created);
      g_autofree char *done = format_count (info->counts.members);
      g_autofree char *total = format_count (info->total_members);

      g_print ("%s  %-11s  %s  %s/%s  %s  %s\n", info->id, push_run_state_to_string (info->state),
               created, done, total, info->destination_name, info->audience_path);
    }
  return PUSH_CLI_EXIT_OK;
}

static const char * const run_id_args[] = { "RUN_ID", NULL };

static int
runs_show (const char  *path,
           int          argc,
           char       **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the run as a JSON object"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PushRunStore) runs = NULL;
  g_autoptr(PushRunInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  context = push_cli_option_context_new (path, N_("RUN_ID"), N_("Show one activation run."),
                                         entries);
  if (!push_cli_parse_options (context, path, &argc, &argv, run_id_args, &error))
    return push_cli_report_error (path, error);

  runs = open_runs (&error);
  if (runs == NULL)
    return push_cli_report_error (path, error);
  info = push_run_store_get_run (runs, argv[1], &error);
  if (info == NULL)
    return push_cli_report_error (path, error);

  if (json)
    {
      g_autoptr(JsonNode) node = push_run_info_to_json (info);

      push_cli_print_json (node, TRUE);
      return PUSH_CLI_EXIT_OK;
    }

  {
    g_autofree char *created = format_time (info->created);
    g_autofree char *started = format_time (info->started);
    g_autofree char *finished = format_time (info->finished);
    g_autofree char *calls = format_count (info->calls_used);

    g_print ("%-14s %s\n", _("Run"), info->id);
    g_print ("%-14s %s\n", _("State"), push_run_state_get_label (info->state));
    g_print ("%-14s %s\n", _("Destination"), info->destination_name);
    g_print ("%-14s %s\n", _("Audience"), info->audience_path);
    g_print ("%-14s %s\n", _("Fingerprint"), info->audience_fingerprint);
    g_print ("%-14s %s\n", _("Created"), created);
    g_print ("%-14s %s\n", _("Started"), started);
    g_print ("%-14s %s\n", _("Finished"), finished);
    if (info->list_id > 0)
      g_print ("%-14s %" G_GINT64_FORMAT "\n", _("List"), info->list_id);
    g_print ("%-14s %s\n", _("API calls"), calls);
    if (info->quota_reset != NULL)
      {
        g_autofree char *reset = format_time (info->quota_reset);

        g_print ("%-14s %s\n", _("Quota resets"), reset);
      }
    if (info->message != NULL)
      g_print ("%-14s %s\n", _("Message"), info->message);
    print_counts (&info->counts, info->total_members);
  }
  return PUSH_CLI_EXIT_OK;
}

static int
runs_export (const char  *path,
             int          argc,
             char       **argv)
{
  g_autofree char *output = NULL;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Where to write the CSV report"), N_("FILE") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PushRunStore) runs = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  gint64 written;

  context = push_cli_option_context_new (path, N_("RUN_ID"),
                                         N_("Write a run's per-person outcomes as CSV."), entries);
  if (!push_cli_parse_options (context, path, &argc, &argv, run_id_args, &error))
    return push_cli_report_error (path, error);
  if (output == NULL)
    return push_cli_usage_error (path, _("--output is needed"));

  runs = open_runs (&error);
  if (runs == NULL)
    return push_cli_report_error (path, error);
  file = g_file_new_for_commandline_arg (output);
  written = push_run_report_export (runs, argv[1], file, NULL, &error);
  if (written < 0)
    return push_cli_report_error (path, error);

  {
    g_autofree char *count = format_count ((guint64) written);

    g_printerr (_("Wrote %s members to %s"), count, output);
    g_printerr ("\n");
  }
  return PUSH_CLI_EXIT_OK;
}

static const PushCliCommand runs_commands[] = {
  { "list", N_("List the activation runs"), runs_list },
  { "show", N_("Show one run"), runs_show },
  { "export", N_("Write a run's per-person report as CSV"), runs_export },
  { NULL, NULL, NULL }
};

int
push_cli_runs_run (const char  *path,
                   int          argc,
                   char       **argv)
{
  return push_cli_dispatch (path, N_("Look at activation runs and export their reports."),
                            runs_commands, argc, argv);
}
