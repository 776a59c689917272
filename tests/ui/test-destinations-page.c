/* test-destinations-page.c: the Destinations and Audiences pages; export, import, duplicate, remove
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "push-destination-editor.h"
#include "push-destinations-view.h"
#include "push-window.h"
#include "test-utils.h"
#include "ui-test-utils.h"

typedef struct {
  PushApplication  *app;
  GtkWidget        *window;
  GtkWidget        *view;
  PushDestinations *destinations;
  char             *dir;
  char             *account_id;
} Fixture;

static void
fixture_init (Fixture         *fixture,
              PushApplication *app)
{
  PushAccounts *accounts = push_application_get_accounts (app);
  g_autoptr(PushAccount) account = push_account_new ();
  g_autoptr(GError) error = NULL;

  fixture->app = app;
  fixture->window = GTK_WIDGET (gtk_application_get_active_window (GTK_APPLICATION (app)));
  fixture->view = push_ui_test_get (fixture->window, PUSH_TYPE_DESTINATIONS_VIEW, NULL);
  fixture->destinations = push_application_get_destinations (app);
  fixture->dir = push_test_make_tmpdir ();

  push_account_set_name (account, "Production");
  push_account_set_munchkin_id (account, "321-CBA-654");
  push_account_set_endpoint (account, "https://321-CBA-654.mktorest.com");
  push_account_set_client_id (account, "0123abcd-client");
  push_accounts_add_sync (accounts, account, "ui-test-secret-0123456789", NULL, &error);
  g_assert_no_error (error);
  push_ui_test_wait_until (push_accounts_find_by_name (accounts, "Production") != NULL);
  fixture->account_id = g_strdup (push_account_get_id (push_accounts_find_by_name (accounts,
                                                                                   "Production")));
}

static void
fixture_clear (Fixture *fixture)
{
  push_test_rm_rf (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->account_id);
}

static guint
n_destinations (Fixture *fixture)
{
  return g_list_model_get_n_items (G_LIST_MODEL (fixture->destinations));
}

static PushDestination *
add_destination (Fixture    *fixture,
                 const char *name)
{
  g_autoptr(PushDestination) destination = push_destination_new ();
  PushMapping *mapping = push_destination_get_mapping (destination);
  g_autoptr(GError) error = NULL;

  push_destination_set_name (destination, name);
  push_destination_set_description (destination, "Everyone who bought twice in March");
  push_destination_set_account_id (destination, fixture->account_id);
  push_destination_set_sync_type (destination, PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE);
  push_destination_set_partition (destination, "EMEA");
  push_destination_set_existing_list (destination, 1190, "Spring VIPs");
  push_destination_set_alerts (destination, PUSH_ALERT_ON_FAILURE | PUSH_ALERT_ON_COMPLETION);
  push_destination_set_privacy_acknowledged (destination, TRUE);
  push_mapping_set_identity_column (mapping, "E-mail");
  push_mapping_add_row (mapping, "First Name", "firstName");
  push_mapping_add_row (mapping, "Last Name", "lastName");
  push_mapping_add_row (mapping, "Tier", "loyaltyTier");

  g_assert_true (push_destinations_add (fixture->destinations, destination, &error));
  g_assert_no_error (error);

  return push_destinations_find_by_name (fixture->destinations, name);
}

/* The export document without the destination's id and name. */
static JsonNode *
document_without_identity (PushDestination *destination)
{
  JsonNode *node = push_destination_to_json (destination, NULL);
  JsonObject *inner = json_object_get_object_member (json_node_get_object (node), "destination");

  json_object_remove_member (inner, "id");
  json_object_remove_member (inner, "name");
  return node;
}

static GtkWidget *
wait_for_dialog (void)
{
  GtkWidget *dialog;

  push_ui_test_wait_until ((dialog = push_ui_test_find_window (ADW_TYPE_MESSAGE_DIALOG)) != NULL
                           && gtk_widget_get_mapped (dialog));
  return dialog;
}

static void
empty_pages (PushApplication *app,
             gpointer         data)
{
  GtkWidget *window = GTK_WIDGET (gtk_application_get_active_window (GTK_APPLICATION (app)));
  GtkWidget *destinations = push_ui_test_get (window, PUSH_TYPE_DESTINATIONS_VIEW, NULL);
  GtkWidget *stack, *audiences, *status;
  g_autoptr(PushAccount) account = push_account_new ();
  g_autoptr(GError) error = NULL;

  /* No account yet: the first-run page. */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (push_ui_test_get (window,
                                                                                  GTK_TYPE_STACK,
                                                                                  "main_stack"))),
                   ==, "empty");

  push_account_set_name (account, "Production");
  push_account_set_munchkin_id (account, "321-CBA-654");
  push_account_set_endpoint (account, "https://321-CBA-654.mktorest.com");
  push_account_set_client_id (account, "0123abcd-client");
  push_accounts_add_sync (push_application_get_accounts (app), account,
                          "ui-test-secret-0123456789", NULL, &error);
  g_assert_no_error (error);

  /* The overview opens on Destinations, which says what to do. */
  stack = push_ui_test_get (window, ADW_TYPE_VIEW_STACK, "view_stack");
  push_ui_test_wait_until (gtk_widget_get_mapped (stack));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (stack)), ==,
                   "destinations");
  status = push_ui_test_get (destinations, ADW_TYPE_STATUS_PAGE, "empty_page");
  g_assert_true (gtk_widget_get_mapped (status));
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (status)), ==, "No Destinations");
  g_assert_true (gtk_widget_is_sensitive (push_ui_test_get (destinations, GTK_TYPE_BUTTON,
                                                            "empty_add_button")));
  g_assert_true (gtk_widget_is_sensitive (push_ui_test_get (destinations, GTK_TYPE_BUTTON,
                                                            "empty_import_button")));
  push_ui_test_screenshot (window, "ui-destinations-empty.png");

  push_window_show_page (PUSH_WINDOW (window), "audiences");
  audiences = push_ui_test_get (window, G_TYPE_INVALID, "audiences_view");
  status = push_ui_test_get (audiences, ADW_TYPE_STATUS_PAGE, "empty_page");
  push_ui_test_wait_until (gtk_widget_get_mapped (status));
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (status)), ==, "No Audiences");
  g_assert_true (gtk_widget_get_mapped (push_ui_test_get (audiences, GTK_TYPE_BUTTON,
                                                          "empty_add_button")));
  push_ui_test_screenshot (window, "ui-audiences-empty.png");
}

static void
test_empty_pages (void)
{
  if (!push_test_require_keyring ())
    return;

  push_ui_test_run_app (empty_pages, NULL);
}

static void
export_import (PushApplication *app,
               gpointer         data)
{
  Fixture fixture = { 0, };
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(JsonNode) original_doc = NULL;
  g_autoptr(JsonNode) copy_doc = NULL;
  PushDestination *original, *copy;
  GtkWidget *row;

  fixture_init (&fixture, app);
  original = add_destination (&fixture, "Spring VIPs");

  /* The list shows it, with its account and sync type. */
  push_ui_test_wait_until ((row = push_ui_test_find_row (fixture.view, "Spring VIPs")) != NULL
                           && gtk_widget_get_mapped (row));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "Production · Audience and profile");
  push_ui_test_screenshot (fixture.window, "ui-destinations-list.png");

  /* Export: what the file chooser's response does. */
  path = g_build_filename (fixture.dir, "Spring VIPs.json", NULL);
  file = g_file_new_for_path (path);
  push_destinations_view_export_file (PUSH_DESTINATIONS_VIEW (fixture.view), original, file);
  push_ui_test_wait_until (push_ui_test_find_label (fixture.window,
                                                    "Exported “Spring VIPs” to Spring VIPs.json")
                           != NULL);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "\"audience-push-destination\""));
  g_assert_nonnull (strstr (contents, "\"Production\""));

  /* Import it back: the same destination is there already, so a copy comes in. */
  push_destinations_view_import_file (PUSH_DESTINATIONS_VIEW (fixture.view), file);
  push_ui_test_wait_until (n_destinations (&fixture) == 2);
  copy = push_destinations_find_by_name (fixture.destinations, "Spring VIPs (copy)");
  g_assert_nonnull (copy);
  g_assert_cmpstr (push_destination_get_id (copy), !=, push_destination_get_id (original));
  original_doc = document_without_identity (original);
  copy_doc = document_without_identity (copy);
  g_assert_true (json_node_equal (original_doc, copy_doc));
  g_assert_false (push_destination_equal (original, copy));
  push_ui_test_wait_until (push_ui_test_find_label (fixture.window,
                                                    "Imported “Spring VIPs (copy)”") != NULL);

  fixture_clear (&fixture);
}

static void
test_export_import (void)
{
  if (!push_test_require_keyring ())
    return;

  push_ui_test_run_app (export_import, NULL);
}

static void
import_errors (PushApplication *app,
               gpointer         data)
{
  Fixture fixture = { 0, };
  const char *broken = "{\"format\": \"audience-push-destination\", \"version\": 1,"
                       " \"destination\": {\"name\": \"Half\"}}";
  g_autofree char *path = NULL;
  g_autofree char *elsewhere = NULL;
  g_autofree char *document = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(PushDestination) parsed = NULL;
  g_autoptr(PushDestination) foreign = push_destination_new ();
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog, *editor, *account_row;

  fixture_init (&fixture, app);

  /* A document with a member missing: the dialog gives the importer's precise words. */
  parsed = push_destination_import (broken, -1, NULL, &error);
  g_assert_null (parsed);
  g_assert_nonnull (error);
  expected = g_strdup (error->message);
  g_test_message ("expected: %s", expected);

  path = g_build_filename (fixture.dir, "half.json", NULL);
  g_assert_true (g_file_set_contents (path, broken, -1, NULL));
  file = g_file_new_for_path (path);
  push_destinations_view_import_file (PUSH_DESTINATIONS_VIEW (fixture.view), file);
  dialog = wait_for_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "Could Not Import “half.json”");
  g_assert_cmpstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), ==, expected);
  push_ui_test_screenshot (dialog, "ui-destination-import-error.png");
  push_ui_test_click (push_ui_test_find_button (dialog, "_Close"));
  push_ui_test_wait_until (push_ui_test_find_window (ADW_TYPE_MESSAGE_DIALOG) == NULL);
  g_assert_cmpuint (n_destinations (&fixture), ==, 0);

  /* From another computer, for an account not set up here: the editor opens on it, unsaved,
   * asking for the account. */
  push_destination_set_name (foreign, "From Elsewhere");
  push_destination_set_account_id (foreign, "9c6d9b9e-0000-4000-8000-000000000000");
  document = push_destination_export (foreign, "Their Production", NULL);
  elsewhere = g_build_filename (fixture.dir, "elsewhere.json", NULL);
  g_assert_true (g_file_set_contents (elsewhere, document, -1, NULL));
  g_clear_object (&file);
  file = g_file_new_for_path (elsewhere);
  push_destinations_view_import_file (PUSH_DESTINATIONS_VIEW (fixture.view), file);
  push_ui_test_wait_until ((editor = push_window_get_subpage (PUSH_WINDOW (fixture.window)))
                           != NULL && gtk_widget_get_mapped (editor));
  g_assert_true (push_destination_editor_get_is_new (PUSH_DESTINATION_EDITOR (editor)));
  g_assert_cmpstr (push_destination_get_name (push_destination_editor_get_destination (
                                                PUSH_DESTINATION_EDITOR (editor))), ==,
                   "From Elsewhere");
  account_row = push_ui_test_get (editor, ADW_TYPE_COMBO_ROW, "account_row");
  g_assert_true (gtk_widget_has_css_class (account_row, "error"));
  g_assert_false (gtk_widget_is_sensitive (push_ui_test_get (editor, GTK_TYPE_BUTTON,
                                                             "save_button")));
  push_ui_test_wait_until (push_ui_test_find_label (fixture.window,
                                                    "No account named “Their Production” is set "
                                                    "up here: choose the account, then save")
                           != NULL);

  /* Choosing the account makes it savable. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (account_row), 0);
  g_assert_false (gtk_widget_has_css_class (account_row, "error"));
  push_ui_test_click (push_ui_test_get (editor, GTK_TYPE_BUTTON, "save_button"));
  g_assert_nonnull (push_destinations_find_by_name (fixture.destinations, "From Elsewhere"));
  g_assert_cmpstr (push_destination_get_account_id (push_destinations_find_by_name (
                                                      fixture.destinations, "From Elsewhere")),
                   ==, fixture.account_id);

  fixture_clear (&fixture);
}

static void
test_import_errors (void)
{
  if (!push_test_require_keyring ())
    return;

  push_ui_test_run_app (import_errors, NULL);
}

static void
duplicate_remove (PushApplication *app,
                  gpointer         data)
{
  Fixture fixture = { 0, };
  PushDestination *original, *copy;
  g_autofree char *original_id = NULL;
  GtkWidget *dialog, *row, *menu_button;

  fixture_init (&fixture, app);
  original = add_destination (&fixture, "Weekly Churn");
  original_id = g_strdup (push_destination_get_id (original));

  /* The row's menu offers the three actions for this destination. */
  push_ui_test_wait_until ((row = push_ui_test_find_row (fixture.view, "Weekly Churn")) != NULL);
  menu_button = push_ui_test_get (row, GTK_TYPE_MENU_BUTTON, NULL);
  g_assert_nonnull (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (menu_button)));
  g_assert_cmpint (g_menu_model_get_n_items (gtk_menu_button_get_menu_model (
                                               GTK_MENU_BUTTON (menu_button))), ==, 3);

  g_assert_true (gtk_widget_activate_action (fixture.view, "destinations.duplicate", "s",
                                             original_id));
  g_assert_cmpuint (n_destinations (&fixture), ==, 2);
  copy = push_destinations_find_by_name (fixture.destinations, "Weekly Churn (copy)");
  g_assert_nonnull (copy);
  g_assert_cmpstr (push_destination_get_id (copy), !=, original_id);
  g_assert_true (push_mapping_equal (push_destination_get_mapping (copy),
                                     push_destination_get_mapping (original)));
  g_assert_true (gtk_widget_activate_action (fixture.view, "destinations.duplicate", "s",
                                             original_id));
  g_assert_nonnull (push_destinations_find_by_name (fixture.destinations,
                                                    "Weekly Churn (copy 2)"));

  /* Remove asks first; Cancel keeps it. */
  g_assert_true (gtk_widget_activate_action (fixture.view, "destinations.remove", "s",
                                             original_id));
  dialog = wait_for_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "Remove “Weekly Churn”?");
  push_ui_test_click (push_ui_test_find_button (dialog, "_Cancel"));
  push_ui_test_wait_until (push_ui_test_find_window (ADW_TYPE_MESSAGE_DIALOG) == NULL);
  g_assert_cmpuint (n_destinations (&fixture), ==, 3);

  g_assert_true (gtk_widget_activate_action (fixture.view, "destinations.remove", "s",
                                             original_id));
  dialog = wait_for_dialog ();
  push_ui_test_click (push_ui_test_find_button (dialog, "_Remove"));
  g_assert_cmpuint (n_destinations (&fixture), ==, 2);
  g_assert_null (push_destinations_find_by_id (fixture.destinations, original_id));
  push_ui_test_wait_until (push_ui_test_find_label (fixture.window,
                                                    "Destination “Weekly Churn” removed") != NULL);

  fixture_clear (&fixture);
}

static void
test_duplicate_remove (void)
{
  if (!push_test_require_keyring ())
    return;

  push_ui_test_run_app (duplicate_remove, NULL);
}

int
main (int   argc,
      char *argv[])
{
  if (!push_ui_test_init (&argc, &argv))
    return 0;

  g_test_add_func ("/ui/destinations/empty-pages", test_empty_pages);
  g_test_add_func ("/ui/destinations/export-import", test_export_import);
  g_test_add_func ("/ui/destinations/import-errors", test_import_errors);
  g_test_add_func ("/ui/destinations/duplicate-remove", test_duplicate_remove);

  return g_test_run ();
}
