/* test-account-editor.c: Preferences → Accounts and the account editor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "push-account-editor.h"
#include "push-preferences-window.h"
#include "push-secrets.h"
#include "test-utils.h"
#include "ui-test-utils.h"

typedef struct {
  PushApplication *app;
  PushAccounts    *accounts;
  GtkWidget       *window;       /* the main window */
  GtkWidget       *preferences;  /* (nullable) */
  GtkWidget       *editor;       /* (nullable) */
} Fixture;

static Fixture *
fixture_new (PushApplication *app)
{
  Fixture *fixture = g_new0 (Fixture, 1);

  fixture->app = app;
  fixture->accounts = push_application_get_accounts (app);
  fixture->window = GTK_WIDGET (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (fixture->accounts);

  return fixture;
}

static GtkWidget *
field (Fixture    *fixture,
       const char *name)
{
  g_autofree char *id = g_strconcat (name, "_row", NULL);

  return push_ui_test_get (fixture->editor, ADW_TYPE_ENTRY_ROW, id);
}

static GtkWidget *
caption (Fixture    *fixture,
         const char *name)
{
  g_autofree char *id = g_strconcat (name, "_caption", NULL);

  return push_ui_test_get (fixture->editor, GTK_TYPE_LABEL, id);
}

static GtkWidget *
editor_button (Fixture    *fixture,
               const char *id)
{
  return push_ui_test_get (fixture->editor, GTK_TYPE_BUTTON, id);
}

static const char *
text_of (GtkWidget *editable)
{
  return gtk_editable_get_text (GTK_EDITABLE (editable));
}

/* Waits for the editor to be on screen, in the preferences window. */
static void
wait_for_editor (Fixture *fixture)
{
  push_ui_test_wait_until (
    (fixture->preferences = push_ui_test_find_window (PUSH_TYPE_PREFERENCES_WINDOW)) != NULL
    && (fixture->editor = push_ui_test_find (fixture->preferences, PUSH_TYPE_ACCOUNT_EDITOR,
                                             NULL)) != NULL
    && gtk_widget_get_mapped (fixture->editor));
}

static void
open_new_account_editor (Fixture *fixture)
{
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "add-account", NULL);
  wait_for_editor (fixture);
}

static void
wait_for_outcome (Fixture *fixture)
{
  GtkWidget *revealer = push_ui_test_get (fixture->editor, GTK_TYPE_REVEALER,
                                          "test_result_revealer");

  push_ui_test_wait_until (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));
}

static const char *
outcome (Fixture  *fixture,
         gboolean  success)
{
  GtkWidget *label = push_ui_test_get (fixture->editor, GTK_TYPE_LABEL, "test_result_label");

  g_assert_true (gtk_widget_has_css_class (label, success ? "success" : "error"));
  g_test_message ("outcome: %s", gtk_label_get_text (GTK_LABEL (label)));

  return gtk_label_get_text (GTK_LABEL (label));
}

static void
add_account_directly (Fixture    *fixture,
                      const char *name,
                      const char *secret)
{
  g_autoptr(PushAccount) account = push_account_new ();
  g_autoptr(GError) error = NULL;

  push_account_set_name (account, name);
  push_account_set_munchkin_id (account, "321-CBA-654");
  push_account_set_endpoint (account, "https://321-CBA-654.mktorest.com");
  push_account_set_client_id (account, "0123abcd-client");
  push_accounts_add_sync (fixture->accounts, account, secret, NULL, &error);
  g_assert_no_error (error);
  push_ui_test_wait_until (push_accounts_find_by_name (fixture->accounts, name) != NULL);
}

static MarketoSandbox *
start_sandbox (Fixture *fixture)
{
  push_ui_test_click (push_ui_test_get (fixture->window, GTK_TYPE_BUTTON, "try_sandbox_button"));
  push_ui_test_wait_until (push_application_get_sandbox (fixture->app) != NULL
                           && push_accounts_find_sandbox (fixture->accounts) != NULL);

  return push_application_get_sandbox (fixture->app);
}

static void
test_validate_and_save (PushApplication *app,
                        gpointer         data)
{
  g_autofree Fixture *fixture = fixture_new (app);
  const char *secret = "ui-test-secret-0123456789";
  g_autofree char *munchkin_error = push_account_check_munchkin_id ("12-ABC-456");
  g_autofree char *stored = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *save, *row;
  PushAccount *account;

  if (!push_test_require_keyring ())
    return;

  /* From the empty state, as a newcomer would. */
  push_ui_test_click (push_ui_test_get (fixture->window, GTK_TYPE_BUTTON, "add_account_button"));
  wait_for_editor (fixture);
  save = editor_button (fixture, "save_button");
  g_assert_false (gtk_widget_is_sensitive (save));

  push_ui_test_type (field (fixture, "name"), "Production");
  push_ui_test_type (field (fixture, "munchkin"), "12-ABC-456");

  /* The mistake shows on its row, with the reason under it; Save stays off. */
  g_assert_nonnull (munchkin_error);
  push_ui_test_wait_until (gtk_widget_has_css_class (field (fixture, "munchkin"), "error"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (caption (fixture, "munchkin"))), ==,
                   munchkin_error);
  g_assert_true (gtk_widget_has_css_class (caption (fixture, "munchkin"), "error"));
  g_assert_true (gtk_widget_get_mapped (caption (fixture, "munchkin")));
  g_assert_false (gtk_widget_has_css_class (field (fixture, "name"), "error"));
  g_assert_false (gtk_widget_is_sensitive (save));
  push_ui_test_screenshot (fixture->preferences, "ui-account-editor-error.png");

  /* Fixed: the error goes at once and the endpoint follows the Munchkin ID. */
  push_ui_test_type (field (fixture, "munchkin"), "123-abc-456");
  g_assert_false (gtk_widget_has_css_class (field (fixture, "munchkin"), "error"));
  g_assert_false (gtk_widget_has_css_class (caption (fixture, "munchkin"), "error"));
  g_assert_cmpstr (text_of (field (fixture, "endpoint")), ==, "https://123-ABC-456.mktorest.com");
  g_assert_false (gtk_widget_is_sensitive (save));

  push_ui_test_type (field (fixture, "client_id"), "ui-test-client-id");
  g_assert_false (gtk_widget_is_sensitive (save));
  push_ui_test_type (field (fixture, "secret"), secret);
  g_assert_true (gtk_widget_is_sensitive (save));

  push_ui_test_click (save);
  push_ui_test_wait_until ((account = push_accounts_find_by_name (fixture->accounts,
                                                                  "Production")) != NULL);
  g_assert_cmpstr (push_account_get_munchkin_id (account), ==, "123-ABC-456");
  g_assert_cmpstr (push_account_get_endpoint (account), ==, "https://123-ABC-456.mktorest.com");
  g_assert_cmpstr (push_account_get_client_id (account), ==, "ui-test-client-id");
  g_assert_false (push_account_get_is_sandbox (account));

  /* The secret went to the keyring. */
  stored = push_accounts_lookup_secret_sync (fixture->accounts, account, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored, ==, secret);

  /* Back on the list, which shows the new account. */
  push_ui_test_wait_until ((row = push_ui_test_find_row (fixture->preferences, "Production")) != NULL
                           && gtk_widget_get_mapped (row));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "123-ABC-456");
  push_ui_test_wait_until (push_ui_test_find_label (fixture->preferences,
                                                    "Account “Production” saved") != NULL);
  push_ui_test_screenshot (fixture->preferences, "ui-preferences-accounts.png");

  /* And the main window has left its empty state. */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (
                     GTK_STACK (push_ui_test_get (fixture->window, GTK_TYPE_STACK, "main_stack"))),
                   ==, "overview");

  push_secrets_free (g_steal_pointer (&stored));
  push_accounts_remove_sync (fixture->accounts, account, NULL, &error);
  g_assert_no_error (error);
}

static void
test_endpoint_follows_munchkin (PushApplication *app,
                                gpointer         data)
{
  g_autofree Fixture *fixture = fixture_new (app);
  g_autofree char *http_error = push_account_check_endpoint ("http://example.com");

  open_new_account_editor (fixture);

  push_ui_test_type (field (fixture, "munchkin"), "123-ABC-456");
  g_assert_cmpstr (text_of (field (fixture, "endpoint")), ==, "https://123-ABC-456.mktorest.com");

  /* Once the user typed an endpoint, it is theirs. */
  push_ui_test_type (field (fixture, "endpoint"), "http://example.com");
  push_ui_test_wait_until (gtk_widget_has_css_class (field (fixture, "endpoint"), "error"));
  g_assert_nonnull (http_error);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (caption (fixture, "endpoint"))), ==, http_error);

  push_ui_test_type (field (fixture, "endpoint"), "https://custom.example.com");
  g_assert_false (gtk_widget_has_css_class (field (fixture, "endpoint"), "error"));
  push_ui_test_type (field (fixture, "munchkin"), "987-XYZ-654");
  g_assert_cmpstr (text_of (field (fixture, "endpoint")), ==, "https://custom.example.com");

  /* Emptied, it is filled in again. */
  push_ui_test_type (field (fixture, "endpoint"), "");
  push_ui_test_type (field (fixture, "munchkin"), "555-AAA-555");
  g_assert_cmpstr (text_of (field (fixture, "endpoint")), ==, "https://555-AAA-555.mktorest.com");
}

static void
test_name_taken (PushApplication *app,
                 gpointer         data)
{
  g_autofree Fixture *fixture = fixture_new (app);
  g_auto(GStrv) names = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;

  if (!push_test_require_keyring ())
    return;

  add_account_directly (fixture, "Production", "a-secret-for-production");
  names = push_accounts_dup_names (fixture->accounts, NULL);
  expected = push_account_check_name ("production", (const char * const *) names);
  g_assert_nonnull (expected);

  open_new_account_editor (fixture);
  push_ui_test_type (field (fixture, "name"), "production");
  push_ui_test_type (field (fixture, "munchkin"), "123-ABC-456");
  push_ui_test_type (field (fixture, "client_id"), "ui-test-client-id");
  push_ui_test_type (field (fixture, "secret"), "some-secret");

  push_ui_test_wait_until (gtk_widget_has_css_class (field (fixture, "name"), "error"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (caption (fixture, "name"))), ==, expected);
  g_assert_false (gtk_widget_is_sensitive (editor_button (fixture, "save_button")));

  push_ui_test_type (field (fixture, "name"), "Production 2");
  g_assert_false (gtk_widget_has_css_class (field (fixture, "name"), "error"));
  g_assert_true (gtk_widget_is_sensitive (editor_button (fixture, "save_button")));

  push_accounts_remove_sync (fixture->accounts,
                             push_accounts_find_by_name (fixture->accounts, "Production"),
                             NULL, &error);
  g_assert_no_error (error);
}

static guint16
closed_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;

  /* Bind, read the port the system chose, and close: nothing listens there. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, any_port, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);

  return port;
}

static void
test_connection_from_editor (PushApplication *app,
                             gpointer         data)
{
  g_autofree Fixture *fixture = fixture_new (app);
  g_autofree char *endpoint = NULL;
  g_autofree char *unreachable = NULL;
  MarketoSandbox *sandbox;
  GtkWidget *test_button;
  const char *text;

  if (!push_test_require_keyring ())
    return;

  sandbox = start_sandbox (fixture);
  endpoint = marketo_sandbox_dup_endpoint (sandbox);

  open_new_account_editor (fixture);
  test_button = editor_button (fixture, "test_button");
  g_assert_false (gtk_widget_is_sensitive (test_button));

  push_ui_test_type (field (fixture, "name"), "Sandbox copy");
  push_ui_test_type (field (fixture, "munchkin"), "123-ABC-456");
  push_ui_test_type (field (fixture, "endpoint"), endpoint);
  push_ui_test_type (field (fixture, "client_id"), marketo_sandbox_get_client_id (sandbox));
  push_ui_test_type (field (fixture, "secret"), "not-the-right-secret");

  /* Wrong credentials. */
  push_ui_test_click (test_button);
  wait_for_outcome (fixture);
  text = outcome (fixture, FALSE);
  g_assert_true (g_str_has_prefix (text, "Wrong credentials:"));

  /* The right ones. */
  push_ui_test_type (field (fixture, "secret"), marketo_sandbox_get_client_secret (sandbox));
  g_assert_false (gtk_revealer_get_reveal_child (
                    GTK_REVEALER (push_ui_test_get (fixture->editor, GTK_TYPE_REVEALER,
                                                    "test_result_revealer"))));
  push_ui_test_click (test_button);
  wait_for_outcome (fixture);
  text = outcome (fixture, TRUE);
  g_assert_true (g_str_has_prefix (text, "Connected as "));
  g_assert_nonnull (strstr (text, marketo_sandbox_get_scope (sandbox)));

  /* Nobody there. */
  unreachable = g_strdup_printf ("http://127.0.0.1:%u", closed_port ());
  push_ui_test_type (field (fixture, "endpoint"), unreachable);
  push_ui_test_click (test_button);
  wait_for_outcome (fixture);
  text = outcome (fixture, FALSE);
  g_assert_true (g_str_has_prefix (text, "Endpoint unreachable:"));
  g_assert_nonnull (strstr (text, unreachable));
}

static void
test_closing_cancels_test (PushApplication *app,
                           gpointer         data)
{
  g_autofree Fixture *fixture = fixture_new (app);
  g_autofree char *endpoint = NULL;
  MarketoSandbox *sandbox;
  GtkWidget *spinner;

  if (!push_test_require_keyring ())
    return;

  sandbox = start_sandbox (fixture);
  endpoint = marketo_sandbox_dup_endpoint (sandbox);
  /* The identity answer is held back for long enough to close the editor first. */
  marketo_sandbox_add_fault (sandbox, MARKETO_SANDBOX_FAULT_STALL, 1500, 1, "/identity");

  open_new_account_editor (fixture);
  push_ui_test_type (field (fixture, "munchkin"), "123-ABC-456");
  push_ui_test_type (field (fixture, "endpoint"), endpoint);
  push_ui_test_type (field (fixture, "client_id"), marketo_sandbox_get_client_id (sandbox));
  push_ui_test_type (field (fixture, "secret"), marketo_sandbox_get_client_secret (sandbox));
  push_ui_test_click (editor_button (fixture, "test_button"));

  spinner = push_ui_test_get (fixture->editor, GTK_TYPE_SPINNER, "test_spinner");
  g_assert_true (gtk_widget_get_visible (spinner));
  g_assert_false (gtk_widget_is_sensitive (editor_button (fixture, "test_button")));
  /* The window stays responsive meanwhile. */
  push_ui_test_spin (200);
  g_assert_true (gtk_widget_get_visible (spinner));

  /* Back: the editor goes away at once, the test with it. */
  g_object_add_weak_pointer (G_OBJECT (fixture->editor), (gpointer *) &fixture->editor);
  push_ui_test_click (editor_button (fixture, "back_button"));
  push_ui_test_wait_until (fixture->editor == NULL);

  /* The held-back answer arrives after the editor is gone, and is ignored. */
  push_ui_test_spin (1800);
  g_assert_null (push_ui_test_find (fixture->preferences, PUSH_TYPE_ACCOUNT_EDITOR, NULL));
}

static void
test_edit_keeps_secret (PushApplication *app,
                        gpointer         data)
{
  g_autofree Fixture *fixture = fixture_new (app);
  g_autofree char *stored = NULL;
  g_autoptr(GError) error = NULL;
  MarketoSandbox *sandbox;
  PushAccount *account;
  GtkWidget *row;

  if (!push_test_require_keyring ())
    return;

  sandbox = start_sandbox (fixture);
  account = push_accounts_find_sandbox (fixture->accounts);

  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "preferences", NULL);
  push_ui_test_wait_until (
    (fixture->preferences = push_ui_test_find_window (PUSH_TYPE_PREFERENCES_WINDOW)) != NULL
    && (row = push_ui_test_find_row (fixture->preferences, push_account_get_name (account))) != NULL
    && gtk_widget_get_mapped (row));
  gtk_widget_activate (row);
  wait_for_editor (fixture);

  /* The stored values are there, the secret field is empty and that is fine. */
  g_assert_cmpstr (text_of (field (fixture, "name")), ==, push_account_get_name (account));
  g_assert_cmpstr (text_of (field (fixture, "endpoint")), ==, push_account_get_endpoint (account));
  g_assert_cmpstr (text_of (field (fixture, "secret")), ==, "");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (caption (fixture, "secret"))), ==,
                   "Leave empty to keep the secret stored in the keyring");
  g_assert_true (gtk_widget_is_sensitive (editor_button (fixture, "save_button")));

  /* Test connection uses the stored secret. */
  push_ui_test_click (editor_button (fixture, "test_button"));
  wait_for_outcome (fixture);
  g_assert_true (g_str_has_prefix (outcome (fixture, TRUE), "Connected as "));

  /* Renamed, with the secret kept. */
  push_ui_test_type (field (fixture, "name"), "My Sandbox");
  push_ui_test_click (editor_button (fixture, "save_button"));
  push_ui_test_wait_until (push_ui_test_find_label (fixture->preferences,
                                                    "Account “My Sandbox” saved") != NULL);
  account = push_accounts_find_by_name (fixture->accounts, "My Sandbox");
  g_assert_nonnull (account);
  g_assert_true (push_account_get_is_sandbox (account));
  stored = push_accounts_lookup_secret_sync (fixture->accounts, account, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored, ==, marketo_sandbox_get_client_secret (sandbox));
  push_secrets_free (g_steal_pointer (&stored));
}

static void
test_remove (PushApplication *app,
             gpointer         data)
{
  g_autofree Fixture *fixture = fixture_new (app);
  g_autoptr(PushAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;
  GtkWidget *row, *dialog;

  if (!push_test_require_keyring ())
    return;

  add_account_directly (fixture, "Doomed", "doomed-secret");
  account = g_object_ref (push_accounts_find_by_name (fixture->accounts, "Doomed"));

  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "preferences", NULL);
  push_ui_test_wait_until (
    (fixture->preferences = push_ui_test_find_window (PUSH_TYPE_PREFERENCES_WINDOW)) != NULL
    && (row = push_ui_test_find_row (fixture->preferences, "Doomed")) != NULL
    && gtk_widget_get_mapped (row));

  push_ui_test_click (push_ui_test_get (row, GTK_TYPE_BUTTON, NULL));
  push_ui_test_wait_until ((dialog = push_ui_test_find_window (ADW_TYPE_MESSAGE_DIALOG)) != NULL);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "Remove “Doomed”?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                            "removed from the keyring"));
  g_assert_cmpint (adw_message_dialog_get_response_appearance (ADW_MESSAGE_DIALOG (dialog),
                                                               "remove"),
                   ==, ADW_RESPONSE_DESTRUCTIVE);

  /* Nothing happens before the user confirms. */
  push_ui_test_spin (100);
  g_assert_nonnull (push_accounts_find_by_name (fixture->accounts, "Doomed"));

  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "remove");
  push_ui_test_wait_until (push_accounts_find_by_name (fixture->accounts, "Doomed") == NULL);
  push_ui_test_wait_until (push_ui_test_find_row (fixture->preferences, "Doomed") == NULL);

  secret = push_accounts_lookup_secret_sync (fixture->accounts, account, NULL, &error);
  g_assert_null (secret);
  g_assert_error (error, PUSH_SECRET_ERROR, PUSH_SECRET_ERROR_NOT_FOUND);
}

static void
save_without_keyring (PushApplication *app,
                      gpointer         data)
{
  g_autofree Fixture *fixture = fixture_new (app);
  GtkWidget *revealer, *label, *save;
  const char *text;

  open_new_account_editor (fixture);
  push_ui_test_type (field (fixture, "name"), "Production");
  push_ui_test_type (field (fixture, "munchkin"), "123-ABC-456");
  push_ui_test_type (field (fixture, "client_id"), "ui-test-client-id");
  push_ui_test_type (field (fixture, "secret"), "ui-test-secret");
  save = editor_button (fixture, "save_button");
  push_ui_test_click (save);

  revealer = push_ui_test_get (fixture->editor, GTK_TYPE_REVEALER, "save_error_revealer");
  label = push_ui_test_get (fixture->editor, GTK_TYPE_LABEL, "save_error_label");
  push_ui_test_wait_until (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));
  text = gtk_label_get_text (GTK_LABEL (label));
  g_test_message ("message: %s", text);
  g_assert_true (g_str_has_prefix (text, "Nothing was saved. No keyring is available"));

  /* Nothing half-saved; the editor stays, ready to try again. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->accounts)), ==, 0);
  g_assert_true (gtk_widget_get_mapped (fixture->editor));
  g_assert_true (gtk_widget_is_sensitive (save));
  push_ui_test_screenshot (fixture->preferences, "ui-account-editor-no-keyring.png");
}

static void
test_keyring_unavailable (void)
{
  g_autofree char *session_bus = NULL;
  g_autofree char *display = NULL;
  GTestDBus *bus;  /* (not freed): see below */

  if (g_test_subprocess ())
    {
      push_ui_test_run_app (save_without_keyring, NULL);
      return;
    }

  /* The application runs in a child process on a session bus of its own, where no Secret
   * Service runs. */
  session_bus = g_strdup (g_getenv ("DBUS_SESSION_BUS_ADDRESS"));
  display = g_strdup (g_getenv ("DISPLAY"));
  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);
  g_setenv ("DISPLAY", display, TRUE);  /* g_test_dbus_up() unsets it */

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);

  /* stop, not down: down (and so the last unref) waits for this process's session bus
   * connection to go away, and that is the real bus, which stays. */
  g_test_dbus_stop (bus);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", session_bus, TRUE);

  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  if (!push_ui_test_init (&argc, &argv))
    return 0;

  push_ui_test_add ("/ui/account-editor/validate-and-save", test_validate_and_save, NULL);
  push_ui_test_add ("/ui/account-editor/endpoint-follows-munchkin-id",
                    test_endpoint_follows_munchkin, NULL);
  push_ui_test_add ("/ui/account-editor/name-taken", test_name_taken, NULL);
  push_ui_test_add ("/ui/account-editor/test-connection", test_connection_from_editor, NULL);
  push_ui_test_add ("/ui/account-editor/closing-cancels-test", test_closing_cancels_test, NULL);
  push_ui_test_add ("/ui/account-editor/edit-keeps-secret", test_edit_keeps_secret, NULL);
  push_ui_test_add ("/ui/account-editor/remove", test_remove, NULL);
  g_test_add_func ("/ui/account-editor/keyring-unavailable", test_keyring_unavailable);

  return g_test_run ();
}
