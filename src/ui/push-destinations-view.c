/* push-destinations-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "push-destinations-view.h"
#include "push-window.h"

struct _PushDestinationsView
{
  AdwBin            parent_instance;

  /* Template widgets */
  GtkListBox       *destinations_list;

  /* Owned references */
  PushDestinations *destinations;  /* (nullable) */
  PushAccounts     *accounts;      /* (nullable) */
};

G_DEFINE_FINAL_TYPE (PushDestinationsView, push_destinations_view, ADW_TYPE_BIN)

static PushWindow *
get_window (PushDestinationsView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return PUSH_IS_WINDOW (root) ? PUSH_WINDOW (root) : NULL;
}

static void
add_toast (PushDestinationsView *self,
           const char           *message)
{
  PushWindow *window = get_window (self);

  if (window != NULL)
    push_window_add_toast (window, message);
}

static const char *
account_name (PushDestinationsView *self,
              PushDestination      *destination)
{
  PushAccount *account = NULL;

  if (self->accounts != NULL)
    account = push_accounts_find_by_id (self->accounts,
                                        push_destination_get_account_id (destination));

  return account != NULL ? push_account_get_name (account) : NULL;
}

static void
show_error_dialog (PushDestinationsView *self,
                   const char           *heading,
                   const char           *body)
{
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (get_window (self)), heading, body);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* "Name (copy)", "Name (copy 2)", … the first one no destination uses. */
static char *
make_copy_name (PushDestinationsView *self,
                const char           *name,
                const char           *except_id)
{
  for (guint i = 1; ; i++)
    {
      g_autofree char *candidate = NULL;
      g_autofree char *problem = NULL;

      if (i == 1)
        /* Translators: the name of a copy of a destination */
        candidate = g_strdup_printf (_("%s (copy)"), name);
      else
        /* Translators: the name of the second, third… copy of a destination */
        candidate = g_strdup_printf (_("%s (copy %u)"), name, i);

      problem = push_destinations_check_name (self->destinations, candidate, except_id);
      if (problem == NULL)
        return g_steal_pointer (&candidate);
    }
}

static void
update_page (PushDestinationsView *self)
{
  gboolean empty = self->destinations == NULL
                   || g_list_model_get_n_items (G_LIST_MODEL (self->destinations)) == 0;

  /* The template's root: AdwBin owns it, so it is not a bound template child. */
  gtk_stack_set_visible_child_name (GTK_STACK (adw_bin_get_child (ADW_BIN (self))),
                                    empty ? "empty" : "list");
}

static GtkWidget *
create_destination_row (gpointer item,
                        gpointer user_data)
{
  PushDestinationsView *self = PUSH_DESTINATIONS_VIEW (user_data);
  PushDestination *destination = PUSH_DESTINATION (item);
  const char *id = push_destination_get_id (destination);
  const char *account = account_name (self, destination);
  PushSyncType sync_type = push_destination_get_sync_type (destination);
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenuItem) menu_item = NULL;
  g_autofree char *subtitle = NULL;
  GtkWidget *row, *button;

  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 push_destination_get_name (destination));
  /* Translators: an account name, then a sync type ("Audience and profile") */
  subtitle = g_strdup_printf (_("%s · %s"), account != NULL ? account : _("No account"),
                              push_sync_type_get_label (sync_type));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);

  menu_item = g_menu_item_new (_("_Duplicate"), NULL);
  g_menu_item_set_action_and_target (menu_item, "destinations.duplicate", "s", id);
  g_menu_append_item (menu, menu_item);
  g_clear_object (&menu_item);
  menu_item = g_menu_item_new (_("_Export…"), NULL);
  g_menu_item_set_action_and_target (menu_item, "destinations.export", "s", id);
  g_menu_append_item (menu, menu_item);
  g_clear_object (&menu_item);
  menu_item = g_menu_item_new (_("_Remove…"), NULL);
  g_menu_item_set_action_and_target (menu_item, "destinations.remove", "s", id);
  g_menu_append_item (menu, menu_item);

  button = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "view-more-symbolic");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), G_MENU_MODEL (menu));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("More"));
  gtk_widget_add_css_class (button, "flat");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name ("go-next-symbolic"));

  return row;
}

static void
bind_list (PushDestinationsView *self)
{
  gtk_list_box_bind_model (self->destinations_list,
                           self->destinations != NULL ? G_LIST_MODEL (self->destinations) : NULL,
                           self->destinations != NULL ? create_destination_row : NULL,
                           self, NULL);
  update_page (self);
}

static void
destinations_changed_cb (PushDestinationsView *self)
{
  update_page (self);
}

static void
accounts_changed_cb (PushDestinationsView *self)
{
  /* The rows show the account names. */
  bind_list (self);
}

static void
destination_row_activated_cb (GtkListBox           *list,
                              GtkListBoxRow        *row,
                              PushDestinationsView *self)
{
  g_autoptr(PushDestination) destination = NULL;
  PushWindow *window = get_window (self);

  destination = g_list_model_get_item (G_LIST_MODEL (self->destinations),
                                       gtk_list_box_row_get_index (row));
  if (destination != NULL && window != NULL)
    push_window_edit_destination (window, destination, FALSE);
}

/* ---- Import ---- */

static void
import_loaded_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(PushDestinationsView) self = user_data;
  GFile *file = G_FILE (source);
  g_autoptr(PushDestination) imported = NULL;
  g_autoptr(PushDestination) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *document_account = NULL;
  g_autofree char *basename = g_file_get_basename (file);
  g_autofree char *heading = NULL;
  g_autofree char *problem = NULL;
  g_autofree char *message = NULL;
  PushAccount *account;
  PushWindow *window;
  gsize length;

  /* Translators: %s is a file name */
  heading = g_strdup_printf (_("Could Not Import “%s”"), basename);

  if (!g_file_load_contents_finish (file, result, &contents, &length, NULL, &error))
    {
      show_error_dialog (self, heading, error->message);
      return;
    }

  imported = push_destination_import (contents, length, &document_account, &error);
  if (imported == NULL)
    {
      show_error_dialog (self, heading, error->message);
      return;
    }
  if (self->destinations == NULL || self->accounts == NULL)
    return;

  /* The same destination again (say, exported from here): a copy beside it. */
  if (push_destinations_find_by_id (self->destinations, push_destination_get_id (imported)))
    copy = push_destination_duplicate (imported);
  else
    copy = g_object_ref (imported);

  problem = push_destinations_check_name (self->destinations, push_destination_get_name (copy),
                                          push_destination_get_id (copy));
  if (problem != NULL && *push_destination_get_name (copy) != '\0')
    {
      g_autofree char *name = make_copy_name (self, push_destination_get_name (copy),
                                              push_destination_get_id (copy));

      push_destination_set_name (copy, name);
    }

  /* On another computer the account has another id: find it by name. */
  account = push_accounts_find_by_id (self->accounts, push_destination_get_account_id (copy));
  if (account == NULL && document_account != NULL && *document_account != '\0')
    account = push_accounts_find_by_name (self->accounts, document_account);

  window = get_window (self);
  if (account == NULL)
    {
      push_destination_set_account_id (copy, "");
      if (window == NULL)
        return;
      push_window_edit_destination (window, copy, TRUE);
      if (document_account != NULL && *document_account != '\0')
        /* Translators: %s is the name of a Marketo account */
        message = g_strdup_printf (_("No account named “%s” is set up here: choose the "
                                     "account, then save"), document_account);
      else
        message = g_strdup (_("Choose the account of the imported destination, then save"));
      add_toast (self, message);
      return;
    }

  push_destination_set_account_id (copy, push_account_get_id (account));
  if (!push_destinations_add (self->destinations, copy, &error))
    {
      show_error_dialog (self, heading, error->message);
      return;
    }

  /* Translators: %s is the name of a destination */
  message = g_strdup_printf (_("Imported “%s”"), push_destination_get_name (copy));
  add_toast (self, message);
}

static void
import_response_cb (GtkNativeDialog      *dialog,
                    int                   response,
                    PushDestinationsView *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  if (file != NULL)
    push_destinations_view_import_file (self, file);

  g_object_unref (dialog);
}

static void
add_json_filters (GtkFileChooser *chooser)
{
  g_autoptr(GtkFileFilter) json = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  gtk_file_filter_set_name (json, _("Destinations (JSON)"));
  gtk_file_filter_add_mime_type (json, "application/json");
  gtk_file_filter_add_suffix (json, "json");
  gtk_file_chooser_add_filter (chooser, json);

  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (chooser, all);
}

static void
import_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PushDestinationsView *self = PUSH_DESTINATIONS_VIEW (widget);
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (_("Import Destination"),
                                        GTK_WINDOW (get_window (self)),
                                        GTK_FILE_CHOOSER_ACTION_OPEN,
                                        _("_Import"), NULL);
  add_json_filters (GTK_FILE_CHOOSER (dialog));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (import_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* ---- Export ---- */

typedef struct {
  PushDestinationsView *view;  /* (owned) */
  char                 *name;
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_clear_object (&data->view);
  g_free (data->name);
  g_free (data);
}

static void
export_written_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ExportData *data = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *basename = g_file_get_basename (G_FILE (source));
  g_autofree char *message = NULL;

  if (g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    /* Translators: a destination name, then a file name */
    message = g_strdup_printf (_("Exported “%s” to %s"), data->name, basename);
  else
    message = g_strdup_printf (_("The destination could not be exported: %s"), error->message);

  add_toast (data->view, message);
  export_data_free (data);
}

static void
export_response_cb (GtkNativeDialog      *dialog,
                    int                   response,
                    PushDestinationsView *self)
{
  const char *id = g_object_get_data (G_OBJECT (dialog), "destination-id");
  g_autoptr(GFile) file = NULL;
  PushDestination *destination;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

  destination = self->destinations != NULL
                ? push_destinations_find_by_id (self->destinations, id) : NULL;
  if (file != NULL && destination != NULL)
    push_destinations_view_export_file (self, destination, file);

  g_object_unref (dialog);
}

static void
export_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PushDestinationsView *self = PUSH_DESTINATIONS_VIEW (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  GtkFileChooserNative *dialog;
  g_autofree char *filename = NULL;
  PushDestination *destination;

  destination = push_destinations_find_by_id (self->destinations, id);
  if (destination == NULL)
    return;

  dialog = gtk_file_chooser_native_new (_("Export Destination"),
                                        GTK_WINDOW (get_window (self)),
                                        GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Export"), NULL);
  add_json_filters (GTK_FILE_CHOOSER (dialog));
  filename = g_strdup_printf ("%s.json", push_destination_get_name (destination));
  g_strdelimit (filename, "/", '-');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), filename);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_object_set_data_full (G_OBJECT (dialog), "destination-id", g_strdup (id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (export_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* ---- Add, edit, duplicate, remove ---- */

static void
add_activated (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PushWindow *window = get_window (PUSH_DESTINATIONS_VIEW (widget));

  if (window != NULL)
    push_window_edit_destination (window, NULL, TRUE);
}

static void
edit_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PushDestinationsView *self = PUSH_DESTINATIONS_VIEW (widget);
  PushDestination *destination;
  PushWindow *window = get_window (self);

  destination = push_destinations_find_by_id (self->destinations,
                                              g_variant_get_string (parameter, NULL));
  if (destination != NULL && window != NULL)
    push_window_edit_destination (window, destination, FALSE);
}

static void
duplicate_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  PushDestinationsView *self = PUSH_DESTINATIONS_VIEW (widget);
  g_autoptr(PushDestination) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;
  PushDestination *destination;

  destination = push_destinations_find_by_id (self->destinations,
                                              g_variant_get_string (parameter, NULL));
  if (destination == NULL)
    return;

  copy = push_destination_duplicate (destination);
  name = make_copy_name (self, push_destination_get_name (destination),
                         push_destination_get_id (copy));
  push_destination_set_name (copy, name);

  if (push_destinations_add (self->destinations, copy, &error))
    /* Translators: %s is the name of the new destination */
    message = g_strdup_printf (_("Duplicated as “%s”"), name);
  else
    message = g_strdup_printf (_("The destination could not be duplicated: %s"),
                               error->message);
  add_toast (self, message);
}

static void
remove_response_cb (AdwMessageDialog     *dialog,
                    const char           *response,
                    PushDestinationsView *self)
{
  const char *id = g_object_get_data (G_OBJECT (dialog), "destination-id");
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *name = NULL;
  PushDestination *destination;

  destination = push_destinations_find_by_id (self->destinations, id);
  if (destination == NULL)
    return;

  name = g_strdup (push_destination_get_name (destination));
  if (push_destinations_remove (self->destinations, id, &error))
    /* Translators: %s is the name of a destination */
    message = g_strdup_printf (_("Destination “%s” removed"), name);
  else
    message = g_strdup_printf (_("The destination could not be removed: %s"), error->message);
  add_toast (self, message);
}

static void
remove_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PushDestinationsView *self = PUSH_DESTINATIONS_VIEW (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  PushDestination *destination;
  AdwMessageDialog *dialog;

  destination = push_destinations_find_by_id (self->destinations, id);
  if (destination == NULL)
    return;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (get_window (self)),
                                                       NULL, NULL));
  adw_message_dialog_format_heading (dialog, _("Remove “%s”?"),
                                     push_destination_get_name (destination));
  adw_message_dialog_set_body (dialog,
                               _("Audience Push forgets this destination and its field mapping. "
                                 "Nothing changes in Marketo, and past activations stay in the "
                                 "history."));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "destination-id", g_strdup (id), g_free);
  g_signal_connect_object (dialog, "response::remove", G_CALLBACK (remove_response_cb), self, 0);

  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- GObject ---- */

static void
push_destinations_view_dispose (GObject *object)
{
  PushDestinationsView *self = PUSH_DESTINATIONS_VIEW (object);

  if (self->destinations_list != NULL)
    gtk_list_box_bind_model (self->destinations_list, NULL, NULL, NULL, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), PUSH_TYPE_DESTINATIONS_VIEW);
  g_clear_object (&self->destinations);
  g_clear_object (&self->accounts);

  G_OBJECT_CLASS (push_destinations_view_parent_class)->dispose (object);
}

static void
push_destinations_view_class_init (PushDestinationsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = push_destinations_view_dispose;

  gtk_widget_class_install_action (widget_class, "destinations.add", NULL, add_activated);
  gtk_widget_class_install_action (widget_class, "destinations.import", NULL, import_activated);
  gtk_widget_class_install_action (widget_class, "destinations.edit", "s", edit_activated);
  gtk_widget_class_install_action (widget_class, "destinations.duplicate", "s",
                                   duplicate_activated);
  gtk_widget_class_install_action (widget_class, "destinations.export", "s", export_activated);
  gtk_widget_class_install_action (widget_class, "destinations.remove", "s", remove_activated);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/push-destinations-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PushDestinationsView, destinations_list);
  gtk_widget_class_bind_template_callback (widget_class, destination_row_activated_cb);
}

static void
push_destinations_view_init (PushDestinationsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_page (self);
}

void
push_destinations_view_set_models (PushDestinationsView *self,
                                   PushDestinations     *destinations,
                                   PushAccounts         *accounts)
{
  g_return_if_fail (PUSH_IS_DESTINATIONS_VIEW (self));
  g_return_if_fail (!destinations || PUSH_IS_DESTINATIONS (destinations));
  g_return_if_fail (!accounts || PUSH_IS_ACCOUNTS (accounts));

  if (self->destinations != NULL)
    g_signal_handlers_disconnect_by_data (self->destinations, self);
  if (self->accounts != NULL)
    g_signal_handlers_disconnect_by_data (self->accounts, self);

  g_set_object (&self->destinations, destinations);
  g_set_object (&self->accounts, accounts);

  if (destinations != NULL)
    g_signal_connect_object (destinations, "items-changed",
                             G_CALLBACK (destinations_changed_cb), self, G_CONNECT_SWAPPED);
  if (accounts != NULL)
    g_signal_connect_object (accounts, "items-changed",
                             G_CALLBACK (accounts_changed_cb), self, G_CONNECT_SWAPPED);

  bind_list (self);
}

void
push_destinations_view_import_file (PushDestinationsView *self,
                                    GFile                *file)
{
  g_return_if_fail (PUSH_IS_DESTINATIONS_VIEW (self));
  g_return_if_fail (G_IS_FILE (file));

  g_file_load_contents_async (file, NULL, import_loaded_cb, g_object_ref (self));
}

void
push_destinations_view_export_file (PushDestinationsView *self,
                                    PushDestination      *destination,
                                    GFile                *file)
{
  g_autoptr(GBytes) bytes = NULL;
  ExportData *data;
  char *document;
  gsize length;

  g_return_if_fail (PUSH_IS_DESTINATIONS_VIEW (self));
  g_return_if_fail (PUSH_IS_DESTINATION (destination));
  g_return_if_fail (G_IS_FILE (file));

  document = push_destination_export (destination, account_name (self, destination), &length);
  bytes = g_bytes_new_take (document, length);

  data = g_new0 (ExportData, 1);
  data->view = g_object_ref (self);
  data->name = g_strdup (push_destination_get_name (destination));
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE,
                                       G_FILE_CREATE_REPLACE_DESTINATION, NULL,
                                       export_written_cb, data);
}
