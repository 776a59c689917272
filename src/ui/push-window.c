/* push-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "push-accounts-view.h"
#include "push-window.h"

struct _PushWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  AdwStatusPage        *empty_page;
  GtkButton            *add_account_button;
  GtkButton            *try_sandbox_button;
  GtkSpinner           *sandbox_spinner;
  AdwViewStack         *view_stack;
  PushAccountsView     *accounts_view;
  AdwStatusPage        *error_page;

  /* Owned references */
  GSettings            *settings;
  GCancellable         *cancellable;

  /* Borrowed references */
  PushAccounts         *accounts;  /* (nullable): the application's */
};

G_DEFINE_FINAL_TYPE (PushWindow, push_window, ADW_TYPE_APPLICATION_WINDOW)

static void
update_page (PushWindow *self)
{
  const char *page;

  if (self->accounts == NULL)
    page = "error";
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->accounts)) == 0)
    page = "empty";
  else
    page = "overview";

  gtk_stack_set_visible_child_name (self->main_stack, page);
}

static void
set_sandbox_starting (PushWindow *self,
                      gboolean    starting)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->try_sandbox_button), !starting);
  gtk_widget_set_sensitive (GTK_WIDGET (self->add_account_button), !starting);
  gtk_widget_set_visible (GTK_WIDGET (self->sandbox_spinner), starting);
  gtk_spinner_set_spinning (self->sandbox_spinner, starting);
}

static void
restore_geometry (PushWindow *self)
{
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
save_geometry (PushWindow *self)
{
  int width, height;
  gboolean maximized = gtk_window_is_maximized (GTK_WINDOW (self));

  g_settings_set_boolean (self->settings, "window-maximized", maximized);
  if (maximized)
    return;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  if (width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
}

static void
accounts_changed_cb (PushWindow *self)
{
  update_page (self);
}

static void
sandbox_started_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  PushApplication *app = PUSH_APPLICATION (source);
  g_autoptr(PushAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  MarketoSandbox *sandbox;
  PushWindow *self;

  account = push_application_start_sandbox_finish (app, result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* Not cancelled, so the window is still there. */
  self = PUSH_WINDOW (user_data);
  set_sandbox_starting (self, FALSE);

  sandbox = push_application_get_sandbox (app);
  if (account == NULL || sandbox == NULL)
    {
      message = g_strdup_printf (_("The sandbox could not be started: %s"),
                                 error != NULL ? error->message : _("it stopped at once"));
      push_window_add_toast (self, message);
      return;
    }

  update_page (self);
  adw_view_stack_set_visible_child_name (self->view_stack, "accounts");

  message = g_strdup_printf (_("Sandbox started on 127.0.0.1:%u"),
                             (guint) marketo_sandbox_get_port (sandbox));
  push_window_add_toast (self, message);
}

static void
try_sandbox_button_clicked_cb (GtkButton  *button,
                               PushWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  g_return_if_fail (PUSH_IS_APPLICATION (app));

  set_sandbox_starting (self, TRUE);
  push_application_start_sandbox_async (PUSH_APPLICATION (app), self->cancellable,
                                        sandbox_started_cb, self);
}

static gboolean
push_window_close_request (GtkWindow *window)
{
  save_geometry (PUSH_WINDOW (window));

  return GTK_WINDOW_CLASS (push_window_parent_class)->close_request (window);
}

static void
push_window_dispose (GObject *object)
{
  PushWindow *self = PUSH_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  self->accounts = NULL;

  gtk_widget_dispose_template (GTK_WIDGET (self), PUSH_TYPE_WINDOW);

  G_OBJECT_CLASS (push_window_parent_class)->dispose (object);
}

static void
push_window_class_init (PushWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = push_window_dispose;

  window_class->close_request = push_window_close_request;

  g_type_ensure (PUSH_TYPE_ACCOUNTS_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/push-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PushWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PushWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, PushWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, PushWindow, add_account_button);
  gtk_widget_class_bind_template_child (widget_class, PushWindow, try_sandbox_button);
  gtk_widget_class_bind_template_child (widget_class, PushWindow, sandbox_spinner);
  gtk_widget_class_bind_template_child (widget_class, PushWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, PushWindow, accounts_view);
  gtk_widget_class_bind_template_child (widget_class, PushWindow, error_page);
  gtk_widget_class_bind_template_callback (widget_class, try_sandbox_button_clicked_cb);
}

static void
push_window_init (PushWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (BASE_APPLICATION_ID);

  adw_status_page_set_icon_name (self->empty_page, APPLICATION_ID);
  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  restore_geometry (self);
}

PushWindow *
push_window_new (PushApplication *application)
{
  PushWindow *self;

  g_return_val_if_fail (PUSH_IS_APPLICATION (application), NULL);

  self = g_object_new (PUSH_TYPE_WINDOW, "application", application, NULL);

  self->accounts = push_application_get_accounts (application);
  if (self->accounts != NULL)
    {
      push_accounts_view_set_accounts (self->accounts_view, self->accounts);
      g_signal_connect_object (self->accounts, "items-changed",
                               G_CALLBACK (accounts_changed_cb), self, G_CONNECT_SWAPPED);
    }
  else
    {
      const GError *error = push_application_get_store_error (application);

      adw_status_page_set_description (self->error_page, error != NULL ? error->message : NULL);
    }

  update_page (self);

  return self;
}

void
push_window_add_toast (PushWindow *self,
                       const char *message)
{
  g_autofree char *escaped = NULL;

  g_return_if_fail (PUSH_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  /* Toast titles are markup. */
  escaped = g_markup_escape_text (message, -1);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
}
