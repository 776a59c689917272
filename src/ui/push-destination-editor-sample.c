/* push-destination-editor-sample.c: the sample audience's columns and the scan of its values
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "push-destination-editor-private.h"

static void
scan_job_free (ScanJob *job)
{
  g_free (job->path);
  g_clear_object (&job->destination);
  g_clear_pointer (&job->schema, marketo_lead_schema_free);
  g_strfreev (job->columns);
  g_clear_pointer (&job->problems, g_ptr_array_unref);
  g_free (job);
}

static void
scan_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  ScanJob *job = task_data;
  g_autoptr(PushAudienceReader) reader = NULL;
  g_autoptr(PushValidator) validator = NULL;
  GError *error = NULL;

  reader = push_audience_reader_new_for_path (job->path, job->format, job->delimiter);
  if (!push_audience_reader_open (reader, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  job->columns = g_strdupv ((GStrv) push_audience_reader_get_columns (reader, NULL));
  if (job->columns_only)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  validator = push_validator_new (job->schema);
  job->problems = push_validator_scan (validator, job->destination, reader, &job->stats,
                                       cancellable, &error);
  if (job->problems == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/* Reads @entry's columns, and unless @columns_only scans its values against the draft. */
void
_push_destination_editor_run_scan_job (PushDestinationEditor *self,
                                       PushAudienceEntry     *entry,
                                       gboolean               columns_only,
                                       GCancellable          *cancellable,
                                       GAsyncReadyCallback    callback,
                                       gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  ScanJob *job = g_new0 (ScanJob, 1);

  job->path = g_strdup (push_audience_entry_get_path (entry));
  job->format = push_audience_entry_get_format (entry);
  job->delimiter = push_audience_entry_get_delimiter (entry);
  job->columns_only = columns_only;
  if (!columns_only)
    {
      job->destination = push_destination_copy (self->draft);
      job->schema = self->schema != NULL ? marketo_lead_schema_copy (self->schema) : NULL;
    }

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, _push_destination_editor_run_scan_job);
  g_task_set_task_data (task, job, (GDestroyNotify) scan_job_free);
  g_task_run_in_thread (task, scan_thread);
}

/* The scan of a mapping row or of the identity still applies when the row reads the same
 * column into the same field. */
static gboolean
scan_problem_applies (PushDestinationEditor *self,
                      const PushProblem     *problem)
{
  PushMapping *mapping = push_destination_get_mapping (self->draft);

  if (problem->row == PUSH_PROBLEM_ROW_IDENTITY)
    return g_strcmp0 (problem->column, push_mapping_get_identity_column (mapping)) == 0;
  if (problem->row >= 0 && (guint) problem->row < push_mapping_get_n_rows (mapping))
    {
      const PushMappingRow *row = push_mapping_get_row (mapping, problem->row);

      return g_strcmp0 (problem->column, row->column) == 0
             && g_strcmp0 (problem->field, row->field) == 0;
    }
  return problem->row == PUSH_PROBLEM_ROW_NONE;
}

void
_push_destination_editor_drop_stale_scan_problems (PushDestinationEditor *self)
{
  for (guint i = 0; self->scan_problems != NULL && i < self->scan_problems->len; )
    {
      if (scan_problem_applies (self, g_ptr_array_index (self->scan_problems, i)))
        i++;
      else
        g_ptr_array_remove_index (self->scan_problems, i);
    }
}

void
_push_destination_editor_set_columns (PushDestinationEditor *self,
                                      GStrv                  columns)
{
  if ((self->columns == NULL && columns == NULL)
      || (self->columns != NULL && columns != NULL
          && g_strv_equal ((const char * const *) self->columns,
                           (const char * const *) columns)))
    return;

  g_strfreev (self->columns);
  self->columns = g_strdupv (columns);
  push_mapping_editor_set_columns (self->mapping_editor, (const char * const *) columns);
}

static void
scan_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  PushDestinationEditor *self = PUSH_DESTINATION_EDITOR (source);
  g_autoptr(GError) error = NULL;
  PushAudienceEntry *entry;
  ScanJob *job;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      g_clear_object (&self->scan_cancellable);
      self->columns_pending = FALSE;
      self->sample_failed = TRUE;
      g_free (self->sample_notice);
      /* Translators: %s says what went wrong */
      self->sample_notice = g_strdup_printf (_("The audience could not be read: %s"),
                                             error->message);
      _push_destination_editor_set_columns (self, NULL);
      g_clear_pointer (&self->scan_problems, g_ptr_array_unref);
      _push_destination_editor_revalidate (self, TRUE);
      return;
    }

  job = g_task_get_task_data (G_TASK (result));
  g_clear_object (&self->scan_cancellable);
  self->sample_failed = FALSE;
  _push_destination_editor_set_columns (self, job->columns);

  if (job->columns_only)
    {
      self->columns_pending = FALSE;
      _push_destination_editor_revalidate (self, TRUE);
      _push_destination_editor_start_scan (self, FALSE);
      return;
    }

  g_clear_pointer (&self->scan_problems, g_ptr_array_unref);
  self->scan_problems = g_steal_pointer (&job->problems);
  _push_destination_editor_drop_stale_scan_problems (self);

  g_free (self->sample_notice);
  entry = _push_destination_editor_get_sample (self);
  {
    g_autofree char *checked = push_audience_format_count (job->stats.rows_checked);
    g_autofree char *read = push_audience_format_count (job->stats.rows_read);

    if (job->stats.rows_checked >= job->stats.rows_read)
      /* Translators: a number of rows, like “2,000” */
      self->sample_notice = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                          "Values checked in its %s row",
                                                          "Values checked in all its %s rows",
                                                          (gulong) MIN (job->stats.rows_read,
                                                                        G_MAXULONG)),
                                             read);
    else
      /* Translators: two numbers of rows, like “2,000” and “100,000” */
      self->sample_notice = g_strdup_printf (_("Values checked in a sample of %s of its %s "
                                               "rows"), checked, read);
  }
  if (entry != NULL && job->stats.rows_read > 0)
    {
      g_autoptr(GError) local_error = NULL;

      push_audiences_update_scan (push_application_get_audiences (self->app),
                                  push_audience_entry_get_id (entry),
                                  (gint64) job->stats.rows_read,
                                  push_audience_entry_get_fingerprint (entry), &local_error);
    }

  _push_destination_editor_revalidate (self, TRUE);
}

void
_push_destination_editor_start_scan (PushDestinationEditor *self,
                                     gboolean               columns_only)
{
  PushAudienceEntry *entry = _push_destination_editor_get_sample (self);

  g_cancellable_cancel (self->scan_cancellable);
  g_clear_object (&self->scan_cancellable);
  g_clear_handle_id (&self->scan_id, g_source_remove);

  if (entry == NULL)
    {
      self->columns_pending = FALSE;
      return;
    }

  self->scan_cancellable = g_cancellable_new ();
  self->columns_pending = columns_only;
  _push_destination_editor_run_scan_job (self, entry, columns_only, self->scan_cancellable,
                                         scan_done_cb, NULL);
}

static gboolean
scan_timeout_cb (gpointer user_data)
{
  PushDestinationEditor *self = user_data;

  self->scan_id = 0;
  _push_destination_editor_start_scan (self, self->columns == NULL);

  return G_SOURCE_REMOVE;
}

void
_push_destination_editor_schedule_scan (PushDestinationEditor *self)
{
  if (_push_destination_editor_get_sample (self) == NULL || self->columns_pending)
    return;

  /* The scan in flight is for an older mapping. */
  g_cancellable_cancel (self->scan_cancellable);
  g_clear_object (&self->scan_cancellable);
  g_clear_handle_id (&self->scan_id, g_source_remove);
  self->scan_id = g_timeout_add (SCAN_DELAY_MS, scan_timeout_cb, self);
}

/* What the scan depends on: the sync type and the mapping. */
char *
_push_destination_editor_scan_signature (PushDestinationEditor *self)
{
  PushMapping *mapping = push_destination_get_mapping (self->draft);
  GString *signature = g_string_new (NULL);

  g_string_append_printf (signature, "%d\n%s\n%s\n",
                          push_destination_get_sync_type (self->draft),
                          push_mapping_get_identity_column (mapping),
                          push_mapping_get_identity_field (mapping));
  for (guint i = 0; i < push_mapping_get_n_rows (mapping); i++)
    {
      const PushMappingRow *row = push_mapping_get_row (mapping, i);

      g_string_append_printf (signature, "%s\t%s\n", row->column, row->field);
    }
  return g_string_free (signature, FALSE);
}
