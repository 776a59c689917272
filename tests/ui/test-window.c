/* test-window.c: the main window — empty state, "Try with the sandbox", menu and geometry
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "push-account-row.h"
#include "push-audiences.h"
#include "test-utils.h"
#include "ui-test-utils.h"

static GtkWidget *
main_window (PushApplication *app)
{
  return GTK_WIDGET (gtk_application_get_active_window (GTK_APPLICATION (app)));
}

static const char *
visible_page (GtkWidget *window)
{
  GtkWidget *stack = push_ui_test_get (window, GTK_TYPE_STACK, "main_stack");

  return gtk_stack_get_visible_child_name (GTK_STACK (stack));
}

static void
test_empty_state (PushApplication *app,
                  gpointer         data)
{
  GtkWidget *window = main_window (app);
  GtkWidget *status = push_ui_test_get (window, ADW_TYPE_STATUS_PAGE, "empty_page");
  GtkWidget *add = push_ui_test_get (window, GTK_TYPE_BUTTON, "add_account_button");
  GtkWidget *try = push_ui_test_get (window, GTK_TYPE_BUTTON, "try_sandbox_button");

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (push_application_get_accounts (app))),
                    ==, 0);
  g_assert_cmpstr (visible_page (window), ==, "empty");

  g_assert_cmpstr (adw_status_page_get_icon_name (ADW_STATUS_PAGE (status)), ==, APPLICATION_ID);
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (status)), !=, "");
  g_assert_cmpstr (adw_status_page_get_description (ADW_STATUS_PAGE (status)), !=, "");

  /* Both offers are on screen and can be clicked. */
  for (guint i = 0; i < 2; i++)
    {
      GtkWidget *button = i == 0 ? add : try;

      g_assert_true (gtk_widget_get_mapped (button));
      g_assert_true (gtk_widget_is_sensitive (button));
      g_assert_true (gtk_widget_has_css_class (button, "pill"));
    }
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (add)), ==, "_Add Marketo Account");
  g_assert_true (gtk_widget_has_css_class (add, "suggested-action"));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (try)), ==, "_Try with the Sandbox");

  push_ui_test_screenshot (window, "ui-empty-state.png");
}

static gboolean
port_is_open (guint16 port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);

  return connection != NULL;
}

static void
try_sandbox (PushApplication *app,
             gpointer         data)
{
  guint16 *port = data;
  GtkWidget *window = main_window (app);
  PushAccounts *accounts = push_application_get_accounts (app);
  PushAccount *account;
  MarketoSandbox *sandbox;
  GtkWidget *row, *result, *details;
  g_autofree char *toast = NULL;
  g_autofree char *endpoint = NULL;
  const char *text;

  push_ui_test_click (push_ui_test_get (window, GTK_TYPE_BUTTON, "try_sandbox_button"));
  push_ui_test_wait_until (g_strcmp0 (visible_page (window), "overview") == 0);
  push_ui_test_wait_until (push_application_get_sandbox (app) != NULL);

  sandbox = push_application_get_sandbox (app);
  *port = marketo_sandbox_get_port (sandbox);
  endpoint = marketo_sandbox_dup_endpoint (sandbox);
  g_assert_cmpuint (*port, >, 0);
  toast = g_strdup_printf ("Sandbox started on 127.0.0.1:%u, with a sample audience", *port);
  push_ui_test_wait_until (push_ui_test_find_label (window, toast) != NULL);

  /* Something to send: the sample audience is listed, its file copied beside the sandbox. */
  {
    PushAudiences *audiences = push_application_get_audiences (app);
    g_autoptr(PushAudienceEntry) entry = NULL;
    g_autofree char *contents = NULL;

    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (audiences)), ==, 1);
    entry = g_list_model_get_item (G_LIST_MODEL (audiences), 0);
    g_assert_cmpstr (push_audience_entry_get_name (entry), ==, "Sample customers");
    g_assert_true (g_file_get_contents (push_audience_entry_get_path (entry), &contents, NULL,
                                        NULL));
    g_assert_true (g_str_has_prefix (contents, "Email,First Name,Last Name,"));
  }

  account = push_accounts_find_sandbox (accounts);
  g_assert_nonnull (account);
  g_assert_cmpstr (push_account_get_endpoint (account), ==, endpoint);

  /* The overview lists it, tagged, with where it lives. */
  row = push_ui_test_get (window, PUSH_TYPE_ACCOUNT_ROW, NULL);
  g_assert_cmpstr (push_account_get_id (push_account_row_get_account (PUSH_ACCOUNT_ROW (row))),
                   ==, push_account_get_id (account));
  g_assert_true (gtk_widget_get_mapped (push_ui_test_get (row, GTK_TYPE_LABEL, "sandbox_tag")));
  details = push_ui_test_get (row, GTK_TYPE_LABEL, "details_label");
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (details)), endpoint));

  /* Test connection from the row talks to the sandbox for real. */
  push_ui_test_click (push_ui_test_get (row, GTK_TYPE_BUTTON, "test_button"));
  result = push_ui_test_get (row, GTK_TYPE_LABEL, "result_label");
  push_ui_test_wait_until (gtk_revealer_get_reveal_child (
                             GTK_REVEALER (push_ui_test_get (row, GTK_TYPE_REVEALER,
                                                             "result_revealer"))));
  text = gtk_label_get_text (GTK_LABEL (result));
  g_test_message ("outcome: %s", text);
  g_assert_true (gtk_widget_has_css_class (result, "success"));
  g_assert_true (g_str_has_prefix (text, "Connected as "));
  g_assert_nonnull (strstr (text, marketo_sandbox_get_scope (sandbox)));
  g_assert_nonnull (strstr (text, "token valid for "));
  g_assert_true (port_is_open (*port));

  push_ui_test_screenshot (window, "ui-overview-sandbox.png");
}

static void
test_try_sandbox (void)
{
  guint16 port = 0;

  if (!push_test_require_keyring ())
    return;

  push_ui_test_run_app (try_sandbox, &port);

  /* The application stopped the sandbox when it shut down. */
  g_assert_cmpuint (port, >, 0);
  g_assert_false (port_is_open (port));
}

static void
create_sandbox_account (PushApplication *app,
                        gpointer         data)
{
  GtkWidget *window = main_window (app);

  push_ui_test_click (push_ui_test_get (window, GTK_TYPE_BUTTON, "try_sandbox_button"));
  push_ui_test_wait_until (push_application_get_sandbox (app) != NULL);
  g_assert_nonnull (push_accounts_find_sandbox (push_application_get_accounts (app)));
}

static void
sandbox_started_at_launch (PushApplication *app,
                           gpointer         data)
{
  PushAccount *account = push_accounts_find_sandbox (push_application_get_accounts (app));
  g_autofree char *endpoint = NULL;

  g_assert_nonnull (account);
  g_assert_cmpstr (visible_page (main_window (app)), ==, "overview");

  push_ui_test_wait_until (push_application_get_sandbox (app) != NULL);
  endpoint = marketo_sandbox_dup_endpoint (push_application_get_sandbox (app));
  account = push_accounts_find_sandbox (push_application_get_accounts (app));
  g_assert_cmpstr (push_account_get_endpoint (account), ==, endpoint);
}

static void
sandbox_not_started_at_launch (PushApplication *app,
                               gpointer         data)
{
  g_assert_nonnull (push_accounts_find_sandbox (push_application_get_accounts (app)));

  push_ui_test_spin (300);
  g_assert_null (push_application_get_sandbox (app));
}

static void
test_sandbox_at_launch (void)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_APPLICATION_ID);

  if (!push_test_require_keyring ())
    return;

  /* The three runs share the test's data directory, hence the Sandbox account. */
  push_ui_test_run_app (create_sandbox_account, NULL);

  g_settings_set_boolean (settings, "start-sandbox", TRUE);
  push_ui_test_run_app (sandbox_started_at_launch, NULL);

  g_settings_set_boolean (settings, "start-sandbox", FALSE);
  push_ui_test_run_app (sandbox_not_started_at_launch, NULL);

  g_settings_reset (settings, "start-sandbox");
}

static void
collect_actions (GMenuModel *menu,
                 GPtrArray  *actions)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);
      char *action = NULL;

      if (section != NULL)
        collect_actions (section, actions);
      else if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &action))
        g_ptr_array_add (actions, action);
    }
}

static void
assert_accel (PushApplication *app,
              const char      *action,
              const char      *accel)
{
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), action);

  g_assert_true (g_strv_contains ((const char * const *) accels, accel));
}

static void
test_menu_and_shortcuts (PushApplication *app,
                         gpointer         data)
{
  GtkWidget *window = main_window (app);
  GtkWidget *menu_button = push_ui_test_get (window, GTK_TYPE_MENU_BUTTON, NULL);
  g_autoptr(GPtrArray) actions = g_ptr_array_new_with_free_func (g_free);
  const char *expected[] = { "app.preferences", "win.show-help-overlay", "app.help", "app.about" };
  GtkWidget *about;

  collect_actions (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (menu_button)), actions);
  g_assert_cmpuint (actions->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpstr (g_ptr_array_index (actions, i), ==, expected[i]);

  assert_accel (app, "app.preferences", "<Control>comma");
  assert_accel (app, "app.help", "F1");
  assert_accel (app, "app.quit", "<Control>q");
  assert_accel (app, "window.close", "<Control>w");
  assert_accel (app, "win.show-help-overlay", "<Control>question");
  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (gtk_application_window_get_help_overlay (
                                            GTK_APPLICATION_WINDOW (window))));

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  push_ui_test_wait_until ((about = push_ui_test_find_window (ADW_TYPE_ABOUT_WINDOW)) != NULL);
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==, PACKAGE_VERSION);
  g_assert_cmpstr (adw_about_window_get_application_name (ADW_ABOUT_WINDOW (about)), ==,
                   "Audience Push");
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (about)) == GTK_WINDOW (window));

  /* Quit closes every window. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  push_ui_test_wait_until (gtk_application_get_windows (GTK_APPLICATION (app)) == NULL);
}

static void
resize_and_close (PushApplication *app,
                  gpointer         data)
{
  GtkWidget *window = main_window (app);
  int width, height;

  /* What the settings said at startup. */
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 820);
  g_assert_cmpint (height, ==, 610);

  gtk_window_set_default_size (GTK_WINDOW (window), 900, 640);
  gtk_test_widget_wait_for_draw (window);
  gtk_window_close (GTK_WINDOW (window));
  push_ui_test_wait_until (gtk_application_get_windows (GTK_APPLICATION (app)) == NULL);
}

static void
test_geometry (void)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_APPLICATION_ID);

  g_settings_set_int (settings, "window-width", 820);
  g_settings_set_int (settings, "window-height", 610);
  g_settings_set_boolean (settings, "window-maximized", FALSE);

  push_ui_test_run_app (resize_and_close, NULL);

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 900);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 640);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));

  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
}

int
main (int   argc,
      char *argv[])
{
  if (!push_ui_test_init (&argc, &argv))
    return 0;

  push_ui_test_add ("/ui/window/empty-state", test_empty_state, NULL);
  g_test_add_func ("/ui/window/try-sandbox", test_try_sandbox);
  g_test_add_func ("/ui/window/sandbox-at-launch", test_sandbox_at_launch);
  push_ui_test_add ("/ui/window/menu-and-shortcuts", test_menu_and_shortcuts, NULL);
  g_test_add_func ("/ui/window/geometry", test_geometry);

  return g_test_run ();
}
