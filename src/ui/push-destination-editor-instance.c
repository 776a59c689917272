/* push-destination-editor-instance.c: the instance data, from the cache or fetched anew
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "push-connection-test.h"
#include "push-destination-editor-private.h"

void
_push_destination_editor_update_instance_row (PushDestinationEditor *self)
{
  gboolean refreshing = self->refresh_cancellable != NULL;
  PushAccount *account = _push_destination_editor_get_account (self);
  g_autofree char *subtitle = NULL;

  if (refreshing)
    subtitle = g_strdup (_("Fetching from Marketo…"));
  else if (self->fetched != NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *ago = NULL;

      ago = push_format_duration (g_date_time_difference (now, self->fetched) / G_USEC_PER_SEC);
      /* Translators: %s is a duration, like “5 minutes” */
      subtitle = g_strdup_printf (_("Fields fetched %s ago"), ago);
    }
  else if (account != NULL)
    subtitle = g_strdup (_("Not fetched yet"));
  else
    subtitle = g_strdup (_("Choose an account first"));

  adw_action_row_set_subtitle (self->instance_row, subtitle);
  gtk_widget_set_sensitive (GTK_WIDGET (self->refresh_button), account != NULL && !refreshing);
  gtk_widget_set_visible (GTK_WIDGET (self->refresh_spinner), refreshing);
  gtk_spinner_set_spinning (self->refresh_spinner, refreshing);
}

gboolean
_push_destination_editor_fetched_timer_cb (gpointer user_data)
{
  _push_destination_editor_update_instance_row (user_data);

  return G_SOURCE_CONTINUE;
}

void
_push_destination_editor_load_instance_data (PushDestinationEditor *self)
{
  PushInstanceCache *cache = push_application_get_instance_cache (self->app);
  PushAccount *account = _push_destination_editor_get_account (self);
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->schema, marketo_lead_schema_free);
  g_clear_pointer (&self->partitions, g_ptr_array_unref);
  g_clear_pointer (&self->lists, g_ptr_array_unref);
  g_clear_pointer (&self->folders, g_ptr_array_unref);
  g_clear_pointer (&self->fetched, g_date_time_unref);

  if (account != NULL)
    {
      const char *id = push_account_get_id (account);

      self->schema = push_instance_cache_get_schema (cache, id, &self->fetched, &error);
      if (error == NULL)
        self->partitions = push_instance_cache_get_partitions (cache, id, NULL, &error);
      if (error == NULL)
        self->lists = push_instance_cache_get_lists (cache, id, NULL, &error);
      if (error == NULL)
        self->folders = push_instance_cache_get_folders (cache, id, NULL, &error);
      if (error != NULL)
        {
          g_free (self->instance_notice);
          /* Translators: %s says what went wrong */
          self->instance_notice = g_strdup_printf (_("The saved instance data could not be "
                                                     "read: %s"), error->message);
        }
    }

  push_validator_set_schema (self->validator, self->schema);
  push_validator_set_partitions (self->validator, self->partitions);
  push_validator_set_folders (self->validator, self->folders);
  push_mapping_editor_set_schema (self->mapping_editor, self->schema);

  self->syncing = TRUE;
  _push_destination_editor_fill_partition_row (self);
  _push_destination_editor_fill_dedupe_row (self);
  _push_destination_editor_fill_list_rows (self);
  _push_destination_editor_fill_folder_row (self);
  self->syncing = FALSE;

  _push_destination_editor_update_instance_row (self);
}

static void
refresh_failed (PushDestinationEditor *self,
                const GError          *error)
{
  PushAccount *account = _push_destination_editor_get_account (self);
  g_autofree char *reason = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->refresh_cancellable);
  g_clear_object (&self->refresh_client);

  reason = push_connection_describe_error (error, account != NULL
                                                  ? push_account_get_endpoint (account) : NULL);
  g_free (self->instance_notice);
  if (self->fetched != NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *ago = NULL;

      ago = push_format_duration (g_date_time_difference (now, self->fetched) / G_USEC_PER_SEC);
      /* Translators: the reason a refresh failed, then a duration like “2 hours” */
      self->instance_notice = g_strdup_printf (_("Could not refresh: %s The form uses the data "
                                                 "fetched %s ago."), reason, ago);
    }
  else
    /* Translators: %s is the reason */
    self->instance_notice = g_strdup_printf (_("Could not fetch the instance data: %s The "
                                               "fields can’t be checked until it is "
                                               "fetched."), reason);

  g_debug ("Instance data refresh failed: %s", error->message);
  _push_destination_editor_update_instance_row (self);
  _push_destination_editor_revalidate (self, TRUE);
}

static void
instance_refreshed_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(PushDestinationEditor) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!push_instance_cache_refresh_finish (PUSH_INSTANCE_CACHE (source), result, &error))
    {
      refresh_failed (self, error);
      return;
    }

  g_clear_object (&self->refresh_cancellable);
  g_clear_object (&self->refresh_client);
  g_clear_pointer (&self->instance_notice, g_free);

  _push_destination_editor_load_instance_data (self);
  _push_destination_editor_revalidate (self, TRUE);
  _push_destination_editor_schedule_scan (self);
}

static void
client_ready_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PushDestinationEditor) self = user_data;
  g_autoptr(MarketoClient) client = NULL;
  g_autoptr(GError) error = NULL;
  PushAccount *account;

  client = push_connection_client_finish (result, &error);
  if (client == NULL)
    {
      refresh_failed (self, error);
      return;
    }

  account = _push_destination_editor_get_account (self);
  if (account == NULL || self->refresh_cancellable == NULL)
    return;

  /* The user is waiting: report a failure soon rather than retry for minutes. */
  marketo_client_set_retry_policy (client, 500, 2000, 2);
  marketo_client_set_timeouts (client, REFRESH_TIMEOUT_MS, REFRESH_TIMEOUT_MS,
                               REFRESH_TIMEOUT_MS);
  g_set_object (&self->refresh_client, client);

  push_instance_cache_refresh_async (push_application_get_instance_cache (self->app),
                                     push_account_get_id (account), client,
                                     self->refresh_cancellable, instance_refreshed_cb,
                                     g_object_ref (self));
}

void
_push_destination_editor_refresh_instance_data (PushDestinationEditor *self)
{
  PushAccount *account = _push_destination_editor_get_account (self);

  g_cancellable_cancel (self->refresh_cancellable);
  g_clear_object (&self->refresh_cancellable);
  g_clear_object (&self->refresh_client);

  if (account == NULL)
    return;

  self->refresh_cancellable = g_cancellable_new ();
  _push_destination_editor_update_instance_row (self);

  push_connection_client_async (self->app, account, NULL, self->refresh_cancellable,
                                client_ready_cb, g_object_ref (self));
}

/* Fetches the instance data when nothing, or only old data, is cached. */
void
_push_destination_editor_refresh_if_stale (PushDestinationEditor *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  if (_push_destination_editor_get_account (self) == NULL)
    return;
  if (self->fetched == NULL
      || g_date_time_difference (now, self->fetched) > PUSH_INSTANCE_CACHE_MAX_AGE)
    _push_destination_editor_refresh_instance_data (self);
}
