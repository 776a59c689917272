/* push-cli-preview.c: "audience-push-cli preview"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs PushPlanner (the same planner as the app's Preview page) on the main context and
 * prints its PushPreview. On a terminal a progress line goes to stderr while the members are
 * looked up; never with --json or when stderr is piped. SIGINT and SIGTERM cancel between
 * lookups.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "push-audience-types.h"
#include "push-cli-audiences.h"
#include "push-cli-preview.h"
#include "push-cli-validate.h"
#include "push-destinations.h"
#include "push-planner.h"
#include "push-problem.h"
#include "push-usage-store.h"

#define EXIT_CANCELLED 4

typedef struct {
  GMainLoop    *loop;           /* (owned) */
  GCancellable *cancellable;    /* (owned) */
  GAsyncResult *result;         /* (owned) (nullable) */
  gboolean      progress_line;
  gboolean      line_shown;
  guint         signal_ids[2];
} PreviewLoop;

static void
preview_loop_clear (PreviewLoop *loop)
{
  for (guint i = 0; i < G_N_ELEMENTS (loop->signal_ids); i++)
    g_clear_handle_id (&loop->signal_ids[i], g_source_remove);
  g_clear_pointer (&loop->loop, g_main_loop_unref);
  g_clear_object (&loop->cancellable);
  g_clear_object (&loop->result);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PreviewLoop, preview_loop_clear)

static gboolean
stop_signal_cb (gpointer user_data)
{
  PreviewLoop *loop = user_data;

  g_cancellable_cancel (loop->cancellable);
  return G_SOURCE_CONTINUE;
}

static void
clear_progress_line (PreviewLoop *loop)
{
  if (loop->line_shown)
    {
      fputs ("\r\033[K", stderr);
      fflush (stderr);
      loop->line_shown = FALSE;
    }
}

static void
progress_cb (PushPlanner *planner,
             PreviewLoop *loop)
{
  g_autofree char *done_text = NULL;
  g_autofree char *total_text = NULL;
  guint64 done, total;

  if (!loop->progress_line || push_planner_get_phase (planner) != PUSH_PLANNER_PHASE_LOOKING_UP)
    return;

  push_planner_get_progress (planner, &done, &total);
  done_text = push_audience_format_count (done);
  total_text = push_audience_format_count (total);
  /* Translators: the progress line while a preview looks members up */
  g_printerr (_("\rLooking up %s of %s members…"), done_text, total_text);
  g_printerr ("\033[K");
  fflush (stderr);
  loop->line_shown = TRUE;
}

static void
planner_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  PreviewLoop *loop = user_data;

  loop->result = g_object_ref (result);
  g_main_loop_quit (loop->loop);
}

/* A client for the account: the secret from AUDIENCE_PUSH_CLIENT_SECRET when it is set, else
 * from the keyring; the pacer set to the account's limits and counting in the store. */
static MarketoClient *
client_for (PushAccounts  *accounts,
            PushAccount   *account,
            GError       **error)
{
  const char *secret = g_getenv (PUSH_CLI_SECRET_ENV);
  g_autoptr(MarketoClient) client = NULL;
  g_autoptr(GError) local_error = NULL;

  if (secret == NULL || *secret == '\0')
    return push_cli_client_for_account (accounts, account, error);

  client = marketo_client_new (push_account_get_endpoint (account),
                               push_account_get_client_id (account), secret, &local_error);
  if (client == NULL)
    {
      g_set_error (error, PUSH_CLI_ERROR, PUSH_CLI_ERROR_FAILED, _("account \"%s\": %s"),
                   push_account_get_name (account), local_error->message);
      return NULL;
    }
  push_usage_store_configure_pacer (marketo_client_get_pacer (client),
                                    push_accounts_get_store (accounts), account);
  return g_steal_pointer (&client);
}

/* "1,234" for counts, "≈ 1,234 (1,180–1,290)" for estimates. */
static char *
format_estimate (PushPreview               *preview,
                 const PushPreviewEstimate *estimate)
{
  g_autofree char *count = NULL;
  g_autofree char *low = NULL;
  g_autofree char *high = NULL;

  if (!push_preview_is_estimate (preview))
    return push_audience_format_count ((guint64) (estimate->count + 0.5));

  count = push_audience_format_count ((guint64) (estimate->count + 0.5));
  low = push_audience_format_count ((guint64) (estimate->count_low + 0.5));
  high = push_audience_format_count ((guint64) (estimate->count_high + 0.5));
  /* Translators: an estimated number of members, then its confidence interval */
  return g_strdup_printf (_("≈ %s (%s–%s)"), count, low, high);
}

static void
print_line (const char *label,
            const char *value)
{
  g_print ("  %-28s %s\n", label, value);
}

static void
print_outcome (PushPreview *preview,
               PushOutcome  outcome)
{
  PushPreviewEstimate estimate;
  g_autofree char *text = NULL;

  if (!push_preview_get_estimate (preview, outcome, &estimate) || estimate.successes == 0)
    return;
  text = format_estimate (preview, &estimate);
  print_line (push_outcome_get_label (outcome), text);
}

static void
print_preview (PushPreview *preview,
               const char  *audience_path)
{
  PushDestination *destination = push_preview_get_destination (preview);
  PushSyncType sync_type = push_destination_get_sync_type (destination);
  const PushRunCounts *counts = push_preview_get_counts (preview);
  g_autofree char *members = push_audience_format_count (push_preview_get_n_members (preview));
  g_autofree char *sendable = push_audience_format_count (push_preview_get_n_sendable (preview));
  g_autofree char *looked_up = push_audience_format_count (push_preview_get_n_looked_up (preview));
  g_autofree char *set_aside = push_audience_format_count (counts->set_aside);
  g_autofree char *duplicates = push_audience_format_count (counts->duplicates);
  PushPreviewEstimate estimate;
  const gint64 *partitions;
  guint n_partitions;

  g_print (_("Preview of “%s” into “%s” (%s)"), audience_path,
           push_destination_get_name (destination), push_sync_type_get_label (sync_type));
  g_print ("\n");
  if (push_preview_is_estimate (preview))
    {
      /* Translators: the sample's size, the members sent, the margin and the confidence */
      g_print (_("Sample: %s of the %s members sent were looked up; the numbers marked ≈ are "
                 "estimates (±%.1f points at %.0f %% confidence)"),
               looked_up, sendable, 100.0 * push_preview_get_margin (preview),
               100.0 * push_preview_get_confidence (preview));
    }
  else
    g_print (_("Full: all %s members sent were looked up"), looked_up);
  g_print ("\n\n");

  g_print (_("%s members:"), members);
  g_print ("\n");
  print_outcome (preview, PUSH_OUTCOME_UPDATED);
  print_outcome (preview, PUSH_OUTCOME_CREATED);
  print_outcome (preview, PUSH_OUTCOME_ADDED);
  print_outcome (preview, PUSH_OUTCOME_MULTIPLE_MATCHES);
  print_outcome (preview, PUSH_OUTCOME_NOT_FOUND);
  print_outcome (preview, PUSH_OUTCOME_REJECTED);
  print_line (push_outcome_get_label (PUSH_OUTCOME_SET_ASIDE), set_aside);
  for (guint i = 0; i < push_preview_get_n_reasons (preview); i++)
    {
      guint64 count;
      const char *reason = push_preview_get_reason (preview, i, &count);
      g_autofree char *count_text = push_audience_format_count (count);

      g_print ("      %s × %s\n", count_text, reason);
    }
  print_line (push_outcome_get_label (PUSH_OUTCOME_DUPLICATE), duplicates);
  if (sync_type != PUSH_SYNC_TYPE_PROFILE_ONLY)
    {
      g_autofree char *added = push_audience_format_count (counts->added);

      print_line (_("Added to the list"), added);
    }
  g_print ("\n");

  push_preview_get_match_estimate (preview, &estimate);
  {
    g_autofree char *text = format_estimate (preview, &estimate);

    print_line (_("Match an existing lead"), text);
  }
  partitions = push_preview_get_partition_ids (preview, &n_partitions);
  for (guint i = 0; i < n_partitions; i++)
    {
      const char *name = push_preview_get_partition_name (preview, partitions[i]);
      g_autofree char *fallback = g_strdup_printf (_("Partition %" G_GINT64_FORMAT),
                                                   partitions[i]);
      g_autofree char *label = NULL;
      g_autofree char *text = NULL;

      push_preview_get_partition_estimate (preview, partitions[i], &estimate);
      text = format_estimate (preview, &estimate);
      label = g_strdup_printf ("  %s", name != NULL ? name : fallback);
      print_line (label, text);
    }
  push_preview_get_multiple_estimate (preview, &estimate);
  if (estimate.successes > 0)
    {
      g_autofree char *text = format_estimate (preview, &estimate);

      print_line (_("Match several leads"), text);
    }
  g_print ("\n");

  if (push_preview_get_forecast (preview) != NULL)
    {
      g_autofree char *text = push_forecast_describe (push_preview_get_forecast (preview));

      g_print (_("Forecast of the activation: %s"), text);
      g_print ("\n");
    }
  if (push_preview_get_id (preview) != NULL)
    {
      g_print (_("Saved as preview %s (%" G_GUINT64_FORMAT " read calls)"),
               push_preview_get_id (preview), push_preview_get_calls (preview));
      g_print ("\n");
    }
}

int
push_cli_preview_run (const char  *path,
                      int          argc,
                      char       **argv)
{
  g_autofree char *destination_name = NULL;
  g_autofree char *audience_path = NULL;
  g_autofree char *seed_text = NULL;
  g_autofree char *format = NULL;
  g_autofree char *delimiter = NULL;
  PushAudienceFormat audience_format = PUSH_AUDIENCE_FORMAT_AUTO;
  char audience_delimiter = 0;
  g_autofree char *size_text = NULL;
  gboolean full = FALSE;
  gboolean json = FALSE;
  gboolean partition_rule = FALSE;
  gboolean no_save = FALSE;
  const GOptionEntry entries[] = {
    { "destination", 'D', 0, G_OPTION_ARG_STRING, &destination_name,
      N_("The destination to preview (required)"), N_("NAME") },
    { "audience", 'a', 0, G_OPTION_ARG_FILENAME, &audience_path,
      N_("The audience file (required)"), N_("FILE") },
    { "full", 0, 0, G_OPTION_ARG_NONE, &full,
      N_("Look every member up, paced like an activation (default: a random sample)"), NULL },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed_text,
      N_("The sample's random seed, to draw the same sample again"), N_("NUMBER") },
    { "sample-size", 0, 0, G_OPTION_ARG_STRING, &size_text,
      N_("Look up this many members (default: enough for ±2 points at 95 % confidence)"),
      N_("NUMBER") },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format,
      N_("How to read the audience: csv, jsonl or auto (default: auto)"), N_("FORMAT") },
    { "delimiter", 'd', 0, G_OPTION_ARG_STRING, &delimiter,
      N_("The CSV delimiter: , ; | or tab (default: detected)"), N_("CHAR") },
    { "partition-rule", 0, 0, G_OPTION_ARG_NONE, &partition_rule,
      N_("The instance refuses to update people of another partition (code 1010)"), NULL },
    { "no-save", 0, 0, G_OPTION_ARG_NONE, &no_save,
      N_("Do not keep a copy of the preview in the database"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print the preview and every member’s prediction as JSON"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_auto(PreviewLoop) loop = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PushAccounts) accounts = NULL;
  g_autoptr(PushDestinations) destinations = NULL;
  g_autoptr(PushDestination) destination = NULL;
  g_autoptr(PushAccount) account = NULL;
  g_autoptr(MarketoClient) client = NULL;
  g_autoptr(PushPlanner) planner = NULL;
  g_autoptr(PushPreview) preview = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  guint64 seed = 0, sample_size = 0;

  context = push_cli_option_context_new (path, NULL,
                                         N_("Show what an activation would do to every member "
                                            "of an audience, without writing anything to "
                                            "Marketo."),
                                         entries);
  g_option_context_set_description (context,
                                    _("Members are looked up by the destination’s dedupe "
                                      "field with read calls only. A sample (the default) "
                                      "gives estimates with confidence intervals in a few "
                                      "calls; --full predicts every member. The preview is "
                                      "kept in the application’s database (its id is printed "
                                      "last) unless --no-save is given. Members set aside and "
                                      "duplicates are always counted exactly."));
  if (!push_cli_parse_options (context, path, &argc, &argv, NULL, &error) ||
      !push_cli_parse_audience_format (format, delimiter, &audience_format, &audience_delimiter,
                                       &error))
    return push_cli_report_error (path, error);
  if (destination_name == NULL)
    return push_cli_usage_error (path, _("the option %s is required"), "--destination");
  if (audience_path == NULL)
    return push_cli_usage_error (path, _("the option %s is required"), "--audience");
  if (seed_text != NULL &&
      !push_cli_parse_uint ("--seed", seed_text, 0, G_MAXUINT32, &seed, &error))
    return push_cli_report_error (path, error);
  if (size_text != NULL &&
      !push_cli_parse_uint ("--sample-size", size_text, 1, G_MAXUINT32, &sample_size, &error))
    return push_cli_report_error (path, error);
  if (full && (seed_text != NULL || size_text != NULL))
    return push_cli_usage_error (path, _("--seed and --sample-size apply to a sample, not "
                                         "to --full"));

  file = g_file_new_for_commandline_arg (audience_path);
  if (!g_file_query_exists (file, NULL))
    return push_cli_fail (_("%s: no such file"), audience_path);

  if (!push_cli_open_named_destination (destination_name, &accounts, &destinations,
                                        &destination, &error))
    return push_cli_report_error (path, error);
  account = push_cli_destination_account (accounts, destination, &error);
  if (account == NULL)
    return push_cli_report_error (path, error);
  client = client_for (accounts, account, &error);
  if (client == NULL)
    return push_cli_report_error (path, error);

  planner = push_planner_new (destination, file, client);
  push_planner_set_mode (planner, full ? PUSH_PREVIEW_MODE_FULL : PUSH_PREVIEW_MODE_SAMPLE);
  push_planner_set_audience_format (planner, audience_format, audience_delimiter);
  push_planner_set_partition_rule (planner, partition_rule);
  if (seed_text != NULL)
    push_planner_set_seed (planner, (guint32) seed);
  if (sample_size > 0)
    push_planner_set_sample_size (planner, sample_size);
  if (!no_save)
    push_planner_set_store (planner, push_accounts_get_store (accounts));

  loop.loop = g_main_loop_new (NULL, FALSE);
  loop.cancellable = g_cancellable_new ();
  loop.progress_line = !json && isatty (STDERR_FILENO);
  loop.signal_ids[0] = g_unix_signal_add (SIGINT, stop_signal_cb, &loop);
  loop.signal_ids[1] = g_unix_signal_add (SIGTERM, stop_signal_cb, &loop);
  g_signal_connect (planner, "progress", G_CALLBACK (progress_cb), &loop);

  push_planner_run_async (planner, loop.cancellable, planner_done_cb, &loop);
  g_main_loop_run (loop.loop);
  clear_progress_line (&loop);

  preview = push_planner_run_finish (planner, loop.result, &error);
  if (preview == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_printerr ("%s: %s\n", PUSH_CLI_NAME, _("the preview was cancelled"));
          return EXIT_CANCELLED;
        }
      if (g_error_matches (error, PUSH_PLANNER_ERROR, PUSH_PLANNER_ERROR_INVALID))
        {
          g_autoptr(GPtrArray) problems = push_planner_dup_problems (planner);

          push_cli_print_problems (stderr, problems);
        }
      return push_cli_report_error (path, error);
    }

  if (json)
    {
      g_autoptr(JsonNode) node = push_preview_to_json (preview, TRUE);

      push_cli_print_json (node, TRUE);
    }
  else
    print_preview (preview, audience_path);

  return PUSH_CLI_EXIT_OK;
}
