/* push-preferences-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "push-account-editor.h"
#include "push-preferences-window.h"

struct _PushPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* Template widgets */
  GtkListBox           *accounts_list;
  GtkSwitch            *start_sandbox_switch;

  /* Owned references */
  GSettings            *settings;

  /* Borrowed references */
  PushAccounts         *accounts;  /* the application's */
};

G_DEFINE_FINAL_TYPE (PushPreferencesWindow, push_preferences_window,
                     ADW_TYPE_PREFERENCES_WINDOW)

static PushApplication *
get_application (PushPreferencesWindow *self)
{
  return PUSH_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
}

static void
add_toast (PushPreferencesWindow *self,
           const char            *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);

  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (escaped));
}

static void
update_row_subtitle (PushAccount  *account,
                     GParamSpec   *pspec,
                     AdwActionRow *row)
{
  const char *munchkin_id = push_account_get_munchkin_id (account);
  g_autofree char *subtitle = NULL;

  if (push_account_get_is_sandbox (account))
    /* Translators: %s is the sandbox's endpoint */
    subtitle = g_strdup_printf (_("Sandbox · %s"), push_account_get_endpoint (account));
  else if (munchkin_id != NULL && munchkin_id[0] != '\0')
    subtitle = g_strdup (munchkin_id);
  else
    subtitle = g_strdup (push_account_get_endpoint (account));

  adw_action_row_set_subtitle (row, subtitle);
}

static void
account_removed_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(PushPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  PushApplication *app;

  if (!push_accounts_remove_finish (PUSH_ACCOUNTS (source), result, &error))
    {
      message = g_strdup_printf (_("The account could not be removed: %s"), error->message);
      add_toast (self, message);
      return;
    }

  app = get_application (self);
  if (app != NULL && push_accounts_find_sandbox (PUSH_ACCOUNTS (source)) == NULL)
    push_application_stop_sandbox (app);

  add_toast (self, _("Account removed, and its client secret with it"));
}

static void
remove_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    PushAccount      *account)
{
  PushPreferencesWindow *self;

  self = PUSH_PREFERENCES_WINDOW (gtk_window_get_transient_for (GTK_WINDOW (dialog)));
  push_accounts_remove_async (self->accounts, account, NULL, account_removed_cb,
                              g_object_ref (self));
}

static void
confirm_remove (PushPreferencesWindow *self,
                PushAccount           *account)
{
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), NULL, NULL));
  adw_message_dialog_format_heading (dialog, _("Remove “%s”?"), push_account_get_name (account));
  adw_message_dialog_set_body (dialog,
                               _("Audience Push forgets this account, and its client secret is "
                                 "removed from the keyring. Nothing changes in Marketo."));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_data (dialog, "response::remove", G_CALLBACK (remove_response_cb),
                         g_object_ref (account), (GClosureNotify) g_object_unref, 0);

  gtk_window_present (GTK_WINDOW (dialog));
}

static void
remove_button_clicked_cb (GtkButton             *button,
                          PushPreferencesWindow *self)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_LIST_BOX_ROW);
  g_autoptr(PushAccount) account = NULL;

  g_assert (row != NULL);

  account = g_list_model_get_item (G_LIST_MODEL (self->accounts),
                                   gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row)));
  if (account != NULL)
    confirm_remove (self, account);
}

static GtkWidget *
create_account_row (gpointer item,
                    gpointer user_data)
{
  PushPreferencesWindow *self = PUSH_PREFERENCES_WINDOW (user_data);
  PushAccount *account = PUSH_ACCOUNT (item);
  GtkWidget *row;
  GtkWidget *button;

  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_bind_property (account, "name", row, "title", G_BINDING_SYNC_CREATE);
  g_signal_connect_object (account, "notify", G_CALLBACK (update_row_subtitle), row, 0);
  update_row_subtitle (account, NULL, ADW_ACTION_ROW (row));

  button = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Remove Account"));
  gtk_widget_add_css_class (button, "flat");
  g_signal_connect_object (button, "clicked", G_CALLBACK (remove_button_clicked_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));

  return row;
}

static void
account_row_activated_cb (GtkListBox            *list,
                          GtkListBoxRow         *row,
                          PushPreferencesWindow *self)
{
  g_autoptr(PushAccount) account = NULL;

  account = g_list_model_get_item (G_LIST_MODEL (self->accounts),
                                   gtk_list_box_row_get_index (row));
  if (account != NULL)
    push_preferences_window_edit_account (self, account);
}

static void
editor_saved_cb (PushAccountEditor     *editor,
                 PushAccount           *account,
                 PushPreferencesWindow *self)
{
  g_autofree char *message = NULL;

  adw_preferences_window_close_subpage (ADW_PREFERENCES_WINDOW (self));

  message = g_strdup_printf (_("Account “%s” saved"), push_account_get_name (account));
  add_toast (self, message);
}

static void
editor_cancelled_cb (PushAccountEditor     *editor,
                     PushPreferencesWindow *self)
{
  adw_preferences_window_close_subpage (ADW_PREFERENCES_WINDOW (self));
}

static void
present_editor (PushPreferencesWindow *self,
                PushAccount           *account)
{
  GtkWidget *editor = push_account_editor_new (self->accounts, account);

  g_signal_connect_object (editor, "saved", G_CALLBACK (editor_saved_cb), self, 0);
  g_signal_connect_object (editor, "cancelled", G_CALLBACK (editor_cancelled_cb), self, 0);
  adw_preferences_window_present_subpage (ADW_PREFERENCES_WINDOW (self), editor);
  gtk_widget_grab_focus (editor);
}

static void
push_preferences_window_dispose (GObject *object)
{
  PushPreferencesWindow *self = PUSH_PREFERENCES_WINDOW (object);

  /* The list would go on making rows for this window while the model changes. */
  if (self->accounts_list != NULL)
    gtk_list_box_bind_model (self->accounts_list, NULL, NULL, NULL, NULL);
  g_clear_object (&self->settings);
  self->accounts = NULL;

  gtk_widget_dispose_template (GTK_WIDGET (self), PUSH_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (push_preferences_window_parent_class)->dispose (object);
}

static void
push_preferences_window_class_init (PushPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = push_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/push-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PushPreferencesWindow, accounts_list);
  gtk_widget_class_bind_template_child (widget_class, PushPreferencesWindow,
                                        start_sandbox_switch);
  gtk_widget_class_bind_template_callback (widget_class, account_row_activated_cb);
}

static void
push_preferences_window_init (PushPreferencesWindow *self)
{
  GtkWidget *placeholder;

  gtk_widget_init_template (GTK_WIDGET (self));

  placeholder = gtk_label_new (_("No accounts yet"));
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 12);
  gtk_widget_set_margin_bottom (placeholder, 12);
  gtk_list_box_set_placeholder (self->accounts_list, placeholder);

  self->settings = g_settings_new (BASE_APPLICATION_ID);
  g_settings_bind (self->settings, "start-sandbox", self->start_sandbox_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
}

PushPreferencesWindow *
push_preferences_window_new (PushApplication *application,
                             GtkWindow       *parent)
{
  PushPreferencesWindow *self;

  g_return_val_if_fail (PUSH_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);

  self = g_object_new (PUSH_TYPE_PREFERENCES_WINDOW,
                       "application", application,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       "destroy-with-parent", TRUE,
                       NULL);

  self->accounts = push_application_get_accounts (application);
  g_assert (PUSH_IS_ACCOUNTS (self->accounts));

  gtk_list_box_bind_model (self->accounts_list, G_LIST_MODEL (self->accounts),
                           create_account_row, self, NULL);

  return self;
}

void
push_preferences_window_add_account (PushPreferencesWindow *self)
{
  g_return_if_fail (PUSH_IS_PREFERENCES_WINDOW (self));

  present_editor (self, NULL);
}

void
push_preferences_window_edit_account (PushPreferencesWindow *self,
                                      PushAccount           *account)
{
  g_return_if_fail (PUSH_IS_PREFERENCES_WINDOW (self));
  g_return_if_fail (PUSH_IS_ACCOUNT (account));

  present_editor (self, account);
}
