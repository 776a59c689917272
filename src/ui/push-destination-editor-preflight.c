/* push-destination-editor-preflight.c: Activate; for now, the pre-flight check and its report
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "push-destination-editor-private.h"

#define MAX_REPORTED_PROBLEMS 8

static void
report_preflight (PushDestinationEditor *self,
                  AdwMessageDialog      *dialog,
                  GPtrArray             *scan_problems,
                  const PushScanStats   *stats,
                  PushAudienceEntry     *sample,
                  const GError          *scan_error)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GString) body = g_string_new (NULL);
  guint errors, listed = 0;

  problems = push_validator_check (self->validator, self->draft,
                                   (const char * const *) self->columns,
                                   PUSH_VALIDATION_PRE_ACTIVATION);
  for (guint i = 0; scan_problems != NULL && i < scan_problems->len; i++)
    g_ptr_array_add (problems, push_problem_copy (g_ptr_array_index (scan_problems, i)));
  push_problems_sort (problems);
  errors = push_problems_count (problems, PUSH_PROBLEM_SEVERITY_ERROR);

  if (errors > 0)
    g_string_append_printf (body, g_dngettext (GETTEXT_PACKAGE,
                                               "%u problem stops the activation:",
                                               "%u problems stop the activation:", errors),
                            errors);
  else if (problems->len > 0)
    g_string_append (body, _("The destination passed the check. Worth a look:"));
  else
    g_string_append (body, _("The destination passed the check."));

  for (guint i = 0; i < problems->len && listed < MAX_REPORTED_PROBLEMS; i++, listed++)
    {
      const PushProblem *problem = g_ptr_array_index (problems, i);

      g_string_append_printf (body, "\n• %s", problem->message);
    }
  if (problems->len > listed)
    g_string_append_printf (body, "\n• …");

  g_string_append (body, "\n\n");
  if (scan_error != NULL)
    /* Translators: %s says why */
    g_string_append_printf (body, _("The sample audience could not be read, so its values "
                                    "were not checked: %s"), scan_error->message);
  else if (sample != NULL && stats != NULL)
    {
      g_autofree char *checked = push_audience_format_count (stats->rows_checked);
      g_autofree char *read = push_audience_format_count (stats->rows_read);

      if (stats->rows_checked >= stats->rows_read)
        /* Translators: a number of rows, then the name of an audience */
        g_string_append_printf (body, _("Values were checked in all %s rows of “%s”."), read,
                                push_audience_entry_get_name (sample));
      else
        /* Translators: two numbers of rows, then the name of an audience */
        g_string_append_printf (body, _("Values were checked in a sample of %s of the %s rows "
                                        "of “%s”."), checked, read,
                                push_audience_entry_get_name (sample));
    }
  else
    g_string_append (body, _("No sample audience is chosen, so no values were checked."));

  g_string_append (body, "\n\n");
  g_string_append (body, _("Sending audiences to Marketo is not available in this version "
                           "yet: nothing was sent."));

  adw_message_dialog_set_heading (dialog, errors > 0 ? _("Not Ready to Activate")
                                                     : _("Pre-flight Check Passed"));
  adw_message_dialog_set_body (dialog, body->str);
  adw_message_dialog_set_response_enabled (dialog, "close", TRUE);
}

static void
preflight_scanned_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  PushDestinationEditor *self = PUSH_DESTINATION_EDITOR (source);
  PushAudienceEntry *sample = _push_destination_editor_get_sample (self);
  g_autoptr(AdwMessageDialog) dialog = user_data;
  g_autoptr(GError) error = NULL;
  ScanJob *job;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        report_preflight (self, dialog, NULL, NULL, sample, error);
      return;
    }

  job = g_task_get_task_data (G_TASK (result));
  report_preflight (self, dialog, job->problems, &job->stats, sample, NULL);
}

static void
preflight_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       GCancellable     *cancellable)
{
  g_cancellable_cancel (cancellable);
}

void
_push_destination_editor_activate (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  PushDestinationEditor *self = PUSH_DESTINATION_EDITOR (widget);
  PushAudienceEntry *sample = _push_destination_editor_get_sample (self);
  g_autoptr(GCancellable) cancellable = NULL;
  AdwMessageDialog *dialog;
  GtkRoot *root;

  if (!_push_destination_editor_can_activate (self))
    return;

  root = gtk_widget_get_root (widget);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                                            : NULL,
                                                       _("Pre-flight Check"),
                                                       _("Checking the destination and the "
                                                         "values of its sample audience…")));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));

  if (sample == NULL)
    {
      report_preflight (self, dialog, NULL, NULL, NULL, NULL);
      return;
    }

  cancellable = g_cancellable_new ();
  g_signal_connect_data (dialog, "response", G_CALLBACK (preflight_response_cb),
                         g_object_ref (cancellable), (GClosureNotify) g_object_unref, 0);
  g_signal_connect_object (self->cancellable, "cancelled", G_CALLBACK (g_cancellable_cancel),
                           cancellable, G_CONNECT_SWAPPED);
  _push_destination_editor_run_scan_job (self, sample, FALSE, cancellable, preflight_scanned_cb,
                                         g_object_ref (dialog));
}
