/* push-destination-editor-preflight.c: Activate and Preview: the pre-flight check, its report,
 * then the run or the Preview of the saved destination
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "push-destination-editor-private.h"

#define MAX_REPORTED_PROBLEMS 8

/* Saves the edits not saved yet (as Save does), then activates the window's @action_name
 * with the saved destination's id and the audience's path. FALSE when nothing was opened:
 * no audience, or the save failed (the form says why). */
static gboolean
open_with_audience (PushDestinationEditor *self,
                    const char            *action_name)
{
  g_autoptr(PushDestinationEditor) keep = g_object_ref (self);
  PushAudienceEntry *audience = _push_destination_editor_get_sample (self);
  g_autofree char *path = NULL;
  g_autofree char *id = NULL;

  if (audience == NULL)
    return FALSE;
  path = g_strdup (push_audience_entry_get_path (audience));

  if (_push_destination_editor_needs_save (self) && !_push_destination_editor_save (self))
    {
      g_debug ("Not opened (%s): the destination could not be saved", action_name);
      return FALSE;
    }

  /* The window replaces this editor with the page it opens. */
  id = g_strdup (push_destination_get_id (self->draft));
  if (!gtk_widget_activate_action (GTK_WIDGET (self), action_name, "(ss)", id, path))
    {
      g_debug ("No %s action above the destination editor", action_name);
      return FALSE;
    }
  return TRUE;
}

static void
preflight_done_cb (AdwMessageDialog      *dialog,
                   const char            *response,
                   PushDestinationEditor *self)
{
  if (g_strcmp0 (response, "activate") == 0)
    open_with_audience (self, "win.start-run");
  else if (g_strcmp0 (response, "preview") == 0)
    open_with_audience (self, "win.preview-destination");
}

static void
report_preflight (PushDestinationEditor *self,
                  AdwMessageDialog      *checking,
                  GPtrArray             *scan_problems,
                  const PushScanStats   *stats,
                  PushAudienceEntry     *audience,
                  const GError          *scan_error)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GString) body = g_string_new (NULL);
  AdwMessageDialog *dialog;
  const char *heading;
  guint errors, listed = 0;
  gboolean ready;

  problems = push_validator_check (self->validator, self->draft,
                                   (const char * const *) self->columns,
                                   PUSH_VALIDATION_PRE_ACTIVATION);
  for (guint i = 0; scan_problems != NULL && i < scan_problems->len; i++)
    g_ptr_array_add (problems, push_problem_copy (g_ptr_array_index (scan_problems, i)));
  push_problems_sort (problems);
  errors = push_problems_count (problems, PUSH_PROBLEM_SEVERITY_ERROR);
  ready = errors == 0 && audience != NULL && scan_error == NULL;

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
    g_string_append_printf (body, _("The audience could not be read, so its values were not "
                                    "checked: %s"), scan_error->message);
  else if (audience != NULL && stats != NULL)
    {
      g_autofree char *checked = push_audience_format_count (stats->rows_checked);
      g_autofree char *read = push_audience_format_count (stats->rows_read);

      if (stats->rows_checked >= stats->rows_read)
        /* Translators: a number of rows, then the name of an audience */
        g_string_append_printf (body, _("Values were checked in all %s rows of “%s”."), read,
                                push_audience_entry_get_name (audience));
      else
        /* Translators: two numbers of rows, then the name of an audience */
        g_string_append_printf (body, _("Values were checked in a sample of %s of the %s rows "
                                        "of “%s”."), checked, read,
                                push_audience_entry_get_name (audience));
    }
  else
    g_string_append (body, _("No audience is chosen: choose the one to check, preview and "
                             "send in the Audience row of the form."));

  if (ready)
    {
      g_string_append (body, "\n\n");
      /* Translators: the name of an audience */
      g_string_append_printf (body, _("Activate sends “%s” to Marketo now. Preview shows what "
                                      "it would do first, without writing anything."),
                              push_audience_entry_get_name (audience));
      if (_push_destination_editor_needs_save (self))
        {
          g_string_append (body, " ");
          g_string_append (body, _("Both save the changes to this destination first."));
        }
    }

  if (errors > 0)
    heading = _("Not Ready to Activate");
  else if (audience == NULL)
    heading = _("Choose an Audience");
  else if (scan_error != NULL)
    heading = _("Audience Not Readable");
  else
    heading = _("Pre-flight Check Passed");
  /* A new dialog in place of the "Checking…" one: a dialog on screen does not grow to a
   * longer body (its body scrolls), so the report would be cut off. */
  if (!gtk_widget_get_visible (GTK_WIDGET (checking)))
    return;   /* closed while the check ran */
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (gtk_window_get_transient_for (
                                                         GTK_WINDOW (checking)),
                                                       heading, body->str));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  adw_message_dialog_set_close_response (dialog, "close");
  gtk_window_destroy (GTK_WINDOW (checking));
  gtk_window_present (GTK_WINDOW (dialog));

  if (ready)
    {
      adw_message_dialog_add_responses (dialog,
                                        "preview", _("_Preview"),
                                        "activate", _("_Activate"),
                                        NULL);
      adw_message_dialog_set_response_appearance (dialog, "activate", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (dialog, "activate");
      g_signal_connect_object (dialog, "response", G_CALLBACK (preflight_done_cb), self, 0);
    }
}

static void
preflight_scanned_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  PushDestinationEditor *self = PUSH_DESTINATION_EDITOR (source);
  PushAudienceEntry *audience = _push_destination_editor_get_sample (self);
  g_autoptr(AdwMessageDialog) dialog = user_data;
  g_autoptr(GError) error = NULL;
  ScanJob *job;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        report_preflight (self, dialog, NULL, NULL, audience, error);
      return;
    }

  job = g_task_get_task_data (G_TASK (result));
  report_preflight (self, dialog, job->problems, &job->stats, audience, NULL);
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
  PushAudienceEntry *audience = _push_destination_editor_get_sample (self);
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
                                                         "values of its audience…")));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  adw_message_dialog_set_close_response (dialog, "close");
  gtk_window_present (GTK_WINDOW (dialog));

  if (audience == NULL)
    {
      report_preflight (self, dialog, NULL, NULL, NULL, NULL);
      return;
    }

  cancellable = g_cancellable_new ();
  g_signal_connect_data (dialog, "response", G_CALLBACK (preflight_response_cb),
                         g_object_ref (cancellable), (GClosureNotify) g_object_unref, 0);
  g_signal_connect_object (self->cancellable, "cancelled", G_CALLBACK (g_cancellable_cancel),
                           cancellable, G_CONNECT_SWAPPED);
  _push_destination_editor_run_scan_job (self, audience, FALSE, cancellable, preflight_scanned_cb,
                                         g_object_ref (dialog));
}

/* The header's Preview: no pre-flight dialog, the Preview page checks and says what it finds. */
void
_push_destination_editor_preview (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  PushDestinationEditor *self = PUSH_DESTINATION_EDITOR (widget);

  if (_push_destination_editor_can_preview (self))
    open_with_audience (self, "win.preview-destination");
}
