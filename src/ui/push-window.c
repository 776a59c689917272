/* push-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "push-accounts-view.h"
#include "push-audience-page.h"
#include "push-audiences-view.h"
#include "push-destination-editor.h"
#include "push-destinations-view.h"
#include "push-preview-page.h"
#include "push-run-page.h"
#include "push-window.h"

struct _PushWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *page_stack;
  AdwBin               *subpage_bin;
  GtkStack             *main_stack;
  AdwStatusPage        *empty_page;
  GtkButton            *add_account_button;
  GtkButton            *try_sandbox_button;
  GtkSpinner           *sandbox_spinner;
  AdwViewStack         *view_stack;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewSwitcherBar   *switcher_bar;
  GtkButton            *history_button;
  PushDestinationsView *destinations_view;
  PushAudiencesView    *audiences_view;
  PushAccountsView     *accounts_view;
  AdwStatusPage        *error_page;

  /* Owned references */
  GSettings            *settings;
  GCancellable         *cancellable;

  /* Borrowed references */
  PushAccounts         *accounts;  /* (nullable): the application's */
  AdwToast             *toast;     /* (nullable): the last one shown, while it is */
};

G_DEFINE_FINAL_TYPE (PushWindow, push_window, ADW_TYPE_APPLICATION_WINDOW)

static PushApplication *
get_application (PushWindow *self)
{
  return PUSH_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
}

static void
update_page (PushWindow *self)
{
  const char *page;
  gboolean overview;

  if (self->accounts == NULL)
    page = "error";
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->accounts)) == 0)
    page = "empty";
  else
    page = "overview";

  gtk_stack_set_visible_child_name (self->main_stack, page);
  /* The pages can only be switched once there is an overview: then the switcher sits in the
   * title, or in a bar at the bottom when the window is too narrow for it. Run history
   * belongs with the pages too. */
  overview = g_str_equal (page, "overview");
  adw_view_switcher_title_set_view_switcher_enabled (self->switcher_title, overview);
  adw_view_switcher_bar_set_reveal (self->switcher_bar,
                                    overview &&
                                    adw_view_switcher_title_get_title_visible (self->switcher_title));
  gtk_widget_set_visible (GTK_WIDGET (self->history_button), overview);
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

  /* Something to send: the sample audience, listed under Audiences. */
  if (push_application_ensure_sample_audience (app, &error) == NULL)
    message = g_strdup_printf (_("Sandbox started on 127.0.0.1:%u, but the sample audience "
                                 "could not be added: %s"),
                               (guint) marketo_sandbox_get_port (sandbox), error->message);
  else
    message = g_strdup_printf (_("Sandbox started on 127.0.0.1:%u, with a sample audience"),
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

static void
subpage_closed_cb (GtkWidget  *page,
                   PushWindow *self)
{
  if (adw_bin_get_child (self->subpage_bin) == page)
    push_window_close_subpage (self);
}

static void
page_transition_done_cb (PushWindow *self)
{
  /* Once it has slid out, the closed page goes (and its work with it). */
  if (!gtk_stack_get_transition_running (self->page_stack)
      && g_strcmp0 (gtk_stack_get_visible_child_name (self->page_stack), "main") == 0)
    adw_bin_set_child (self->subpage_bin, NULL);
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
  g_clear_weak_pointer (&self->toast);
  self->accounts = NULL;

  /* The switchers let go of the pages while the pages are all still there. */
  if (self->switcher_bar != NULL)
    adw_view_switcher_bar_set_stack (self->switcher_bar, NULL);
  if (self->switcher_title != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->switcher_title, self);
      adw_view_switcher_title_set_stack (self->switcher_title, NULL);
    }

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
  g_type_ensure (PUSH_TYPE_AUDIENCES_VIEW);
  g_type_ensure (PUSH_TYPE_DESTINATIONS_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/push-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PushWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PushWindow, page_stack);
  gtk_widget_class_bind_template_child (widget_class, PushWindow, subpage_bin);
  gtk_widget_class_bind_template_child (widget_class, PushWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, PushWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, PushWindow, add_account_button);
  gtk_widget_class_bind_template_child (widget_class, PushWindow, try_sandbox_button);
  gtk_widget_class_bind_template_child (widget_class, PushWindow, sandbox_spinner);
  gtk_widget_class_bind_template_child (widget_class, PushWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, PushWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, PushWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, PushWindow, history_button);
  gtk_widget_class_bind_template_callback (widget_class, update_page);
  gtk_widget_class_bind_template_child (widget_class, PushWindow, destinations_view);
  gtk_widget_class_bind_template_child (widget_class, PushWindow, audiences_view);
  gtk_widget_class_bind_template_child (widget_class, PushWindow, accounts_view);
  gtk_widget_class_bind_template_child (widget_class, PushWindow, error_page);
  gtk_widget_class_bind_template_callback (widget_class, try_sandbox_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, page_transition_done_cb);

  /* win.preview-destination (destination id, audience path): the Preview page */
  push_preview_page_install_window_action (widget_class);

  /* win.start-run (destination id, audience path), win.show-run (run id), win.show-history */
  push_run_page_install_window_actions (widget_class);
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
      push_destinations_view_set_models (self->destinations_view,
                                         push_application_get_destinations (application),
                                         self->accounts);
      push_audiences_view_set_audiences (self->audiences_view,
                                         push_application_get_audiences (application));
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
  AdwToast *toast;

  g_return_if_fail (PUSH_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  /* The newest says what happened last: it replaces the one on screen rather than wait
   * behind it. */
  if (self->toast != NULL)
    adw_toast_dismiss (self->toast);

  /* Toast titles are markup. */
  escaped = g_markup_escape_text (message, -1);
  toast = adw_toast_new (escaped);
  g_set_weak_pointer (&self->toast, toast);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
push_window_show_page (PushWindow *self,
                       const char *name)
{
  g_return_if_fail (PUSH_IS_WINDOW (self));
  g_return_if_fail (name != NULL);

  push_window_close_subpage (self);
  adw_view_stack_set_visible_child_name (self->view_stack, name);
}

void
push_window_show_subpage (PushWindow *self,
                          GtkWidget  *page)
{
  g_return_if_fail (PUSH_IS_WINDOW (self));
  g_return_if_fail (GTK_IS_WIDGET (page));

  g_signal_connect_object (page, "closed", G_CALLBACK (subpage_closed_cb), self, 0);
  adw_bin_set_child (self->subpage_bin, page);
  gtk_stack_set_visible_child_name (self->page_stack, "subpage");
  gtk_widget_grab_focus (page);
}

void
push_window_close_subpage (PushWindow *self)
{
  g_return_if_fail (PUSH_IS_WINDOW (self));

  gtk_stack_set_visible_child_name (self->page_stack, "main");
  page_transition_done_cb (self);
}

GtkWidget *
push_window_get_subpage (PushWindow *self)
{
  g_return_val_if_fail (PUSH_IS_WINDOW (self), NULL);

  return adw_bin_get_child (self->subpage_bin);
}

GtkWidget *
push_window_edit_destination (PushWindow      *self,
                              PushDestination *destination,
                              gboolean         is_new)
{
  GtkWidget *editor;

  g_return_val_if_fail (PUSH_IS_WINDOW (self), NULL);
  g_return_val_if_fail (!destination || PUSH_IS_DESTINATION (destination), NULL);
  g_return_val_if_fail (destination != NULL || is_new, NULL);
  g_return_val_if_fail (self->accounts != NULL, NULL);

  editor = push_destination_editor_new (get_application (self), destination, is_new);
  push_window_show_subpage (self, editor);

  return editor;
}

GtkWidget *
push_window_open_audience (PushWindow        *self,
                           PushAudienceEntry *entry)
{
  GtkWidget *page;

  g_return_val_if_fail (PUSH_IS_WINDOW (self), NULL);
  g_return_val_if_fail (PUSH_IS_AUDIENCE_ENTRY (entry), NULL);
  g_return_val_if_fail (self->accounts != NULL, NULL);

  page = push_audience_page_new (push_application_get_audiences (get_application (self)), entry);
  push_window_show_subpage (self, page);

  return page;
}

GtkWidget *
push_window_add_audience_file (PushWindow *self,
                               GFile      *file)
{
  PushAudiences *audiences;
  PushAudienceEntry *entry;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (PUSH_IS_WINDOW (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  audiences = push_application_get_audiences (get_application (self));
  g_return_val_if_fail (audiences != NULL, NULL);

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);
      g_autofree char *message = NULL;

      /* Translators: %s is the address of a file */
      message = g_strdup_printf (_("“%s” is not a local file: Audience Push reads audiences "
                                   "from this computer"), uri);
      push_window_add_toast (self, message);
      return NULL;
    }

  entry = push_audiences_find_by_path (audiences, path);
  if (entry == NULL)
    entry = push_audiences_add (audiences, path, NULL, PUSH_AUDIENCE_FORMAT_AUTO, 0, &error);
  if (entry == NULL)
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("The audience could not be added: %s"), error->message);
      push_window_add_toast (self, message);
      return NULL;
    }

  return push_window_open_audience (self, entry);
}
