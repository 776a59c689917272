/* test-destination-editor.c: the destination editor against the real sandbox
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "push-connection-test.h"
#include "push-destination-editor.h"
#include "push-mapping-editor-row.h"
#include "push-mapping-editor.h"
#include "push-preview-page.h"
#include "push-problem.h"
#include "push-run-page.h"
#include "push-usage-store.h"
#include "push-window.h"
#include "run-test-utils.h"
#include "test-utils.h"
#include "ui-test-utils.h"

#define SAMPLE_CSV \
  "email,first_name,Nachname,company\n" \
  "ada@example.com,Ada,Lovelace,Analytical Engines\n" \
  "grace@example.com,Grace,Hopper,Navy\n" \
  "alan@example.com,Alan,Turing,Bletchley Park\n" \
  ",Nobody,Without-Email,Nowhere\n"

typedef struct {
  PushApplication *app;
  GtkWidget       *window;
  GtkWidget       *editor;
  char            *dir;
} Fixture;

static void
fixture_init (Fixture         *fixture,
              PushApplication *app)
{
  fixture->app = app;
  fixture->window = GTK_WIDGET (gtk_application_get_active_window (GTK_APPLICATION (app)));
  fixture->dir = push_test_make_tmpdir ();
}

static void
fixture_clear (Fixture *fixture)
{
  push_test_rm_rf (fixture->dir);
  g_free (fixture->dir);
}

static GtkWidget *
editor_child (Fixture    *fixture,
              GType       type,
              const char *id)
{
  return push_ui_test_get (fixture->editor, type, id);
}

static PushDestination *
draft (Fixture *fixture)
{
  return push_destination_editor_get_destination (PUSH_DESTINATION_EDITOR (fixture->editor));
}

static const char *
caption_text (Fixture    *fixture,
              const char *id)
{
  return gtk_label_get_text (GTK_LABEL (editor_child (fixture, GTK_TYPE_LABEL, id)));
}

static gboolean
activate_enabled (Fixture *fixture)
{
  GtkWidget *button = editor_child (fixture, GTK_TYPE_BUTTON, "activate_button");

  return gtk_widget_is_sensitive (button);
}

/* Opens the editor for a new destination the way the Add button does. */
static void
open_new_editor (Fixture *fixture)
{
  GtkWidget *view = push_ui_test_get (fixture->window, G_TYPE_INVALID, "destinations_view");

  g_assert_true (gtk_widget_activate_action (view, "destinations.add", NULL));
  push_ui_test_wait_until ((fixture->editor = push_window_get_subpage (PUSH_WINDOW (fixture->window)))
                           != NULL && gtk_widget_get_mapped (fixture->editor));
  g_assert_true (PUSH_IS_DESTINATION_EDITOR (fixture->editor));
}

static void
wait_for_instance_data (Fixture *fixture)
{
  GtkWidget *row = editor_child (fixture, ADW_TYPE_ACTION_ROW, "instance_row");

  push_ui_test_wait_until (!push_destination_editor_get_busy (PUSH_DESTINATION_EDITOR (fixture->editor))
                           && g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                                                "Fields fetched "));
}

static guint
string_position (GListModel *model,
                 const char *value)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (gtk_string_object_get_string (item), value) == 0)
        return i;
    }
  g_error ("“%s” is not offered", value);
}

static GtkWidget *
last_mapping_row (GtkWidget *mapping_editor)
{
  GtkWidget *list = push_ui_test_get (mapping_editor, GTK_TYPE_LIST_BOX, "rows_list");
  GtkWidget *row = gtk_widget_get_last_child (list);

  g_assert_true (PUSH_IS_MAPPING_EDITOR_ROW (row));
  return row;
}

static PushAudienceEntry *
add_sample_audience (Fixture *fixture)
{
  g_autofree char *path = g_build_filename (fixture->dir, "spring-vips.csv", NULL);
  PushAudiences *audiences = push_application_get_audiences (fixture->app);
  g_autoptr(GError) error = NULL;
  PushAudienceEntry *entry;

  g_assert_true (g_file_set_contents (path, SAMPLE_CSV, -1, &error));
  entry = push_audiences_add (audiences, path, "Spring VIPs sample", PUSH_AUDIENCE_FORMAT_AUTO,
                              0, &error);
  g_assert_no_error (error);
  return entry;
}

static void
choose_sample (Fixture           *fixture,
               PushAudienceEntry *entry)
{
  GtkWidget *row = editor_child (fixture, ADW_TYPE_COMBO_ROW, "sample_row");
  GListModel *labels = adw_combo_row_get_model (ADW_COMBO_ROW (row));

  adw_combo_row_set_selected (ADW_COMBO_ROW (row),
                              string_position (labels, push_audience_entry_get_name (entry)));
}

/* What the folder row shows for @folder: its name, then the path of the folder it is in
 * ("Audiences — in /Marketing Activities/Default"). */
static char *
expected_label (const MarketoFolder *folder)
{
  g_autofree char *parent = NULL;

  g_assert_true (g_str_has_suffix (folder->path, folder->name));
  parent = g_strndup (folder->path, strlen (folder->path) - strlen (folder->name) - 1);
  return g_strdup_printf ("%s — in %s", folder->name, parent);
}

/* The label of folder @id of the account's cached folders. */
static char *
folder_label (Fixture    *fixture,
              GPtrArray **folders,
              gint64      id)
{
  g_autoptr(GError) error = NULL;
  MarketoFolder *folder;

  g_clear_pointer (folders, g_ptr_array_unref);
  *folders = push_instance_cache_get_folders (push_application_get_instance_cache (fixture->app),
                                              push_destination_get_account_id (draft (fixture)),
                                              NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (*folders);
  folder = marketo_folders_find_by_id (*folders, id, "Folder");
  g_assert_nonnull (folder);
  return expected_label (folder);
}

static void
choose_folder (Fixture *fixture,
               gint64   id)
{
  GtkWidget *row = editor_child (fixture, ADW_TYPE_COMBO_ROW, "list_folder_row");
  g_autoptr(GPtrArray) folders = NULL;
  g_autofree char *label = folder_label (fixture, &folders, id);

  g_assert_true (gtk_widget_get_visible (row));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row),
                              string_position (adw_combo_row_get_model (ADW_COMBO_ROW (row)),
                                               label));
  g_assert_cmpint (push_destination_get_list_folder_id (draft (fixture)), ==, id);
}

static void
build_against_sandbox (PushApplication *app,
                       gpointer         data)
{
  Fixture fixture = { 0, };
  GtkWidget *mapping_editor, *caption, *row, *dropdown, *save, *dialog;
  PushAudienceEntry *sample;
  PushMapping *mapping;
  PushDestination *saved;
  const char *text;

  fixture_init (&fixture, app);
  push_ui_test_click (push_ui_test_get (fixture.window, GTK_TYPE_BUTTON, "try_sandbox_button"));
  push_ui_test_wait_until (push_application_get_sandbox (app) != NULL
                           && push_accounts_find_sandbox (push_application_get_accounts (app)));
  sample = add_sample_audience (&fixture);

  open_new_editor (&fixture);
  mapping_editor = editor_child (&fixture, PUSH_TYPE_MAPPING_EDITOR, "mapping_editor");

  /* The only account is chosen; nothing was cached, so the instance data is fetched. */
  g_assert_cmpstr (push_destination_get_account_id (draft (&fixture)), ==,
                   push_account_get_id (push_accounts_find_sandbox (push_application_get_accounts (app))));
  wait_for_instance_data (&fixture);
  /* And again on request. */
  push_ui_test_click (editor_child (&fixture, GTK_TYPE_BUTTON, "refresh_button"));
  g_assert_true (push_destination_editor_get_busy (PUSH_DESTINATION_EDITOR (fixture.editor)));
  wait_for_instance_data (&fixture);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (editor_child (&fixture,
                                                                              ADW_TYPE_ACTION_ROW,
                                                                              "instance_row"))),
                   ==, "Fields fetched less than a minute ago");

  /* The dedupe chooser offers the instance's searchable fields. */
  row = editor_child (&fixture, ADW_TYPE_COMBO_ROW, "dedupe_row");
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (ADW_COMBO_ROW (row))), >, 1);
  g_assert_cmpstr (push_destination_get_dedupe_field (draft (&fixture)), ==, "email");

  push_ui_test_type (editor_child (&fixture, ADW_TYPE_ENTRY_ROW, "name_row"), "Spring VIPs");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (editor_child (&fixture, GTK_TYPE_CHECK_BUTTON,
                                                               "privacy_check")), TRUE);
  g_assert_true (push_destination_get_privacy_acknowledged (draft (&fixture)));
  /* A new list per audience, in folder "Audiences". */
  if (push_destination_get_list_target_kind (draft (&fixture)) == PUSH_LIST_TARGET_CREATE_PER_AUDIENCE)
    choose_folder (&fixture, 12);

  /* The sample supplies the columns, and the obvious pairs are suggested. */
  choose_sample (&fixture, sample);
  push_ui_test_wait_until (gtk_widget_get_visible (push_ui_test_get (mapping_editor, GTK_TYPE_BOX,
                                                                     "suggestions_box")));
  push_ui_test_click (push_ui_test_get (mapping_editor, GTK_TYPE_BUTTON,
                                        "apply_suggestions_button"));
  mapping = push_destination_get_mapping (draft (&fixture));
  g_assert_cmpstr (push_mapping_get_identity_column (mapping), ==, "email");
  g_assert_cmpint (push_mapping_find_field (mapping, "firstName"), >=, 0);
  g_assert_cmpint (push_mapping_find_field (mapping, "company"), >=, 0);
  g_assert_false (push_mapping_maps_field (mapping, "lastName"));

  /* Creating people without a last name: an error under the mapping, and no Activate. */
  g_assert_cmpint (push_destination_get_person_action (draft (&fixture)), ==,
                   PUSH_PERSON_ACTION_CREATE_OR_UPDATE);
  caption = push_ui_test_get (mapping_editor, GTK_TYPE_LABEL, "mapping_caption");
  push_ui_test_wait_until (gtk_widget_get_visible (caption)
                           && strstr (gtk_label_get_text (GTK_LABEL (caption)),
                                      "Last Name (lastName)") != NULL);
  g_assert_true (gtk_widget_has_css_class (caption, "error"));
  g_assert_false (activate_enabled (&fixture));
  g_assert_nonnull (push_problems_find (push_destination_editor_get_problems (
                                          PUSH_DESTINATION_EDITOR (fixture.editor)),
                                        PUSH_PROBLEM_REQUIRED_FIELD_MISSING));
  /* It is listed at the top too. */
  text = gtk_label_get_text (GTK_LABEL (editor_child (&fixture, GTK_TYPE_LABEL, "problems_title")));
  g_assert_cmpstr (text, ==, "1 problem to solve before activating");

  /* Map it: a new row, Nachname → Last Name. */
  push_ui_test_click (push_ui_test_get (mapping_editor, GTK_TYPE_BUTTON, "add_row_button"));
  row = last_mapping_row (mapping_editor);
  dropdown = push_ui_test_get (row, GTK_TYPE_DROP_DOWN, "column_dropdown");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown),
                              string_position (gtk_drop_down_get_model (GTK_DROP_DOWN (dropdown)),
                                               "Nachname"));
  /* Half done: the row says what it lacks, at once for the Activate button. */
  g_assert_false (activate_enabled (&fixture));
  push_ui_test_wait_until (gtk_widget_get_visible (push_ui_test_get (row, GTK_TYPE_LABEL,
                                                                     "caption")));
  dropdown = push_ui_test_get (row, GTK_TYPE_DROP_DOWN, "field_dropdown");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown),
                              string_position (gtk_drop_down_get_model (GTK_DROP_DOWN (dropdown)),
                                               "lastName"));
  g_assert_true (push_mapping_maps_field (mapping, "lastName"));

  push_ui_test_wait_until (activate_enabled (&fixture));
  g_assert_false (gtk_widget_get_visible (caption));
  g_assert_false (gtk_widget_get_visible (push_ui_test_get (row, GTK_TYPE_LABEL, "caption")));

  /* The sampled scan found the row without an email (a warning, not an error). */
  push_ui_test_wait_until (!push_destination_editor_get_busy (PUSH_DESTINATION_EDITOR (fixture.editor))
                           && push_problems_find (push_destination_editor_get_problems (
                                                    PUSH_DESTINATION_EDITOR (fixture.editor)),
                                                  PUSH_PROBLEM_DEDUPE_VALUE_EMPTY) != NULL);
  g_assert_true (activate_enabled (&fixture));
  g_assert_nonnull (strstr (caption_text (&fixture, "sample_caption"), "all its 4 rows"));

  push_ui_test_screenshot (mapping_editor, "ui-destination-mapping.png");
  push_ui_test_scroll_to (editor_child (&fixture, ADW_TYPE_COMBO_ROW, "sync_type_row"));
  push_ui_test_screenshot (fixture.window, "ui-destination-editor-settings.png");
  row = editor_child (&fixture, ADW_TYPE_COMBO_ROW, "sample_row");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Audience");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "The audience to check, preview and send");
  push_ui_test_scroll_to (row);
  push_ui_test_screenshot (fixture.window, "ui-destination-editor.png");

  /* Save: it is in the list, with its sample remembered. */
  save = editor_child (&fixture, GTK_TYPE_BUTTON, "save_button");
  push_ui_test_click (save);
  saved = push_destinations_find_by_name (push_application_get_destinations (app), "Spring VIPs");
  g_assert_nonnull (saved);
  g_assert_true (push_destination_equal (saved, draft (&fixture)));
  g_assert_false (gtk_widget_is_sensitive (save));
  g_assert_false (push_destination_editor_get_is_new (PUSH_DESTINATION_EDITOR (fixture.editor)));

  /* Activate runs the pre-flight check; it passed, so it offers Preview and Activate. */
  push_ui_test_click (editor_child (&fixture, GTK_TYPE_BUTTON, "activate_button"));
  push_ui_test_wait_until ((dialog = push_ui_test_find_window (ADW_TYPE_MESSAGE_DIALOG)) != NULL
                           && g_strcmp0 (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)),
                                         "Pre-flight Check Passed") == 0);
  text = adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog));
  g_test_message ("pre-flight: %s", text);
  g_assert_null (strstr (text, "nothing was sent"));
  g_assert_nonnull (strstr (text, "Activate sends “Spring VIPs sample” to Marketo now"));
  /* Saved just before: nothing to save first. */
  g_assert_null (strstr (text, "save the changes"));
  g_assert_nonnull (strstr (text, "the dedupe column"));
  g_assert_true (adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (dialog), "preview"));
  g_assert_true (adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (dialog), "activate"));
  g_assert_cmpint (adw_message_dialog_get_response_appearance (ADW_MESSAGE_DIALOG (dialog),
                                                               "activate"),
                   ==, ADW_RESPONSE_SUGGESTED);
  g_assert_nonnull (push_ui_test_find_button (dialog, "_Preview"));
  g_assert_nonnull (push_ui_test_find_button (dialog, "_Activate"));
  /* The report replaced the "Checking…" dialog: let it map before the picture. */
  push_ui_test_spin (300);
  push_ui_test_screenshot (dialog, "ui-destination-preflight.png");
  push_ui_test_click (push_ui_test_find_button (dialog, "_Close"));
  push_ui_test_wait_until (push_ui_test_find_window (ADW_TYPE_MESSAGE_DIALOG) == NULL);

  /* Reopened from the list: the same settings and the same sample. */
  push_ui_test_click (editor_child (&fixture, GTK_TYPE_BUTTON, "back_button"));
  push_ui_test_wait_until (push_window_get_subpage (PUSH_WINDOW (fixture.window)) == NULL);
  g_assert_true (gtk_widget_activate_action (push_ui_test_get (fixture.window, G_TYPE_INVALID,
                                                               "destinations_view"),
                                             "destinations.edit", "s",
                                             push_destination_get_id (saved)));
  push_ui_test_wait_until ((fixture.editor = push_window_get_subpage (PUSH_WINDOW (fixture.window)))
                           != NULL);
  g_assert_true (push_destination_equal (draft (&fixture), saved));
  row = editor_child (&fixture, ADW_TYPE_COMBO_ROW, "sample_row");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (row)), ==,
                    string_position (adw_combo_row_get_model (ADW_COMBO_ROW (row)),
                                     push_audience_entry_get_name (sample)));
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (row)), >, 0);
  push_ui_test_wait_until (activate_enabled (&fixture));

  fixture_clear (&fixture);
}

static void
test_build_against_sandbox (void)
{
  if (!push_test_require_keyring ())
    return;

  push_ui_test_run_app (build_against_sandbox, NULL);
}

static void
validation (PushApplication *app,
            gpointer         data)
{
  Fixture fixture = { 0, };
  PushAccounts *accounts = push_application_get_accounts (app);
  g_autoptr(PushAccount) account = push_account_new ();
  g_autoptr(PushDestination) other = push_destination_new ();
  g_autoptr(GError) error = NULL;
  GtkWidget *name, *dedupe, *save, *list_kind, *reference;
  GListModel *labels;

  fixture_init (&fixture, app);

  /* An account whose instance can't be reached: the form works without the field list. */
  push_account_set_name (account, "Unreachable");
  push_account_set_munchkin_id (account, "123-ABC-456");
  push_account_set_endpoint (account, "http://127.0.0.1:9");
  push_account_set_client_id (account, "0123abcd-client");
  push_accounts_add_sync (accounts, account, "secret-secret-secret-0123", NULL, &error);
  g_assert_no_error (error);
  push_ui_test_wait_until (g_list_model_get_n_items (G_LIST_MODEL (accounts)) == 1);
  push_destination_set_name (other, "Taken");
  push_destination_set_account_id (other,
                                   push_account_get_id (push_accounts_find_by_name (accounts,
                                                                                    "Unreachable")));
  g_assert_true (push_destinations_add (push_application_get_destinations (app), other, &error));

  open_new_editor (&fixture);
  save = editor_child (&fixture, GTK_TYPE_BUTTON, "save_button");
  name = editor_child (&fixture, ADW_TYPE_ENTRY_ROW, "name_row");

  /* The fetch fails at once (nothing listens there), and says so under the row. */
  push_ui_test_wait_until (!push_destination_editor_get_busy (PUSH_DESTINATION_EDITOR (fixture.editor))
                           && g_str_has_prefix (caption_text (&fixture, "instance_caption"),
                                                "Could not fetch the instance data: "));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (editor_child (&fixture,
                                                                              ADW_TYPE_ACTION_ROW,
                                                                              "instance_row"))),
                   ==, "Not fetched yet");

  /* A name that is taken: an error on the row after the pause, and no Save. */
  push_ui_test_type (name, "taken");
  g_assert_false (gtk_widget_is_sensitive (save));
  push_ui_test_wait_until (gtk_widget_has_css_class (name, "error"));
  g_assert_cmpstr (caption_text (&fixture, "name_caption"), ==,
                   "A destination named “taken” already exists");
  push_ui_test_type (name, "Fresh");
  g_assert_false (gtk_widget_has_css_class (name, "error"));
  g_assert_true (gtk_widget_is_sensitive (save));

  /* Lead ID is refused as the dedupe field, with the validator's reason. */
  push_destination_set_dedupe_field (draft (&fixture), "id");
  push_ui_test_wait_until (gtk_widget_has_css_class (editor_child (&fixture, ADW_TYPE_COMBO_ROW,
                                                                   "dedupe_row"), "error"));
  g_assert_nonnull (push_problems_find (push_destination_editor_get_problems (
                                          PUSH_DESTINATION_EDITOR (fixture.editor)),
                                        PUSH_PROBLEM_DEDUPE_FIELD_ID));
  g_assert_nonnull (strstr (caption_text (&fixture, "dedupe_caption"), "dedupe field"));
  dedupe = editor_child (&fixture, ADW_TYPE_COMBO_ROW, "dedupe_row");
  labels = adw_combo_row_get_model (ADW_COMBO_ROW (dedupe));
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (dedupe)), <,
                    g_list_model_get_n_items (labels));
  push_destination_set_dedupe_field (draft (&fixture), "email");

  /* Audience only: no person action nor partition; a list is needed. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (editor_child (&fixture, ADW_TYPE_COMBO_ROW,
                                                           "sync_type_row")),
                              PUSH_SYNC_TYPE_AUDIENCE_ONLY);
  g_assert_cmpint (push_destination_get_sync_type (draft (&fixture)), ==,
                   PUSH_SYNC_TYPE_AUDIENCE_ONLY);
  g_assert_false (gtk_widget_get_visible (editor_child (&fixture, ADW_TYPE_COMBO_ROW,
                                                        "person_action_row")));
  g_assert_false (gtk_widget_get_visible (editor_child (&fixture, GTK_TYPE_BOX, "partition_box")));
  g_assert_true (gtk_widget_get_visible (editor_child (&fixture, GTK_TYPE_BOX, "list_section")));

  /* An existing list, pasted as an address: parsed into its id. */
  list_kind = editor_child (&fixture, ADW_TYPE_COMBO_ROW, "list_kind_row");
  adw_combo_row_set_selected (ADW_COMBO_ROW (list_kind), 0);
  g_assert_cmpint (push_destination_get_list_target_kind (draft (&fixture)), ==,
                   PUSH_LIST_TARGET_EXISTING);
  push_ui_test_wait_until (strstr (caption_text (&fixture, "list_caption"), "existing") != NULL);
  reference = editor_child (&fixture, ADW_TYPE_ENTRY_ROW, "list_reference_row");
  push_ui_test_type (reference, "https://app-ab12.marketo.com/#SL1190A1");
  g_signal_emit_by_name (reference, "apply");
  g_assert_cmpint (push_destination_get_list_id (draft (&fixture)), ==, 0);
  g_assert_true (gtk_widget_has_css_class (editor_child (&fixture, GTK_TYPE_LABEL, "list_caption"),
                                           "error"));
  push_ui_test_type (reference, "https://app-ab12.marketo.com/#ST1190A1");
  g_signal_emit_by_name (reference, "apply");
  g_assert_cmpint (push_destination_get_list_id (draft (&fixture)), ==, 1190);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (reference)), ==, "");
  g_assert_false (gtk_widget_has_css_class (editor_child (&fixture, GTK_TYPE_LABEL, "list_caption"),
                                            "error"));

  push_ui_test_screenshot (fixture.window, "ui-destination-editor-offline.png");

  /* Going back with changes asks first. */
  push_ui_test_click (editor_child (&fixture, GTK_TYPE_BUTTON, "back_button"));
  push_ui_test_wait_until (push_ui_test_find_window (ADW_TYPE_MESSAGE_DIALOG) != NULL);
  push_ui_test_click (push_ui_test_find_button (push_ui_test_find_window (ADW_TYPE_MESSAGE_DIALOG),
                                                "_Discard"));
  push_ui_test_wait_until (push_ui_test_find_window (ADW_TYPE_MESSAGE_DIALOG) == NULL);
  push_ui_test_wait_until (push_window_get_subpage (PUSH_WINDOW (fixture.window)) == NULL);
  g_assert_null (push_destinations_find_by_name (push_application_get_destinations (app), "Fresh"));

  fixture_clear (&fixture);
}

static void
test_validation (void)
{
  if (!push_test_require_keyring ())
    return;

  push_ui_test_run_app (validation, NULL);
}

typedef struct {
  MarketoSandbox *sandbox;
  char           *destination_id;
} OfflineData;

/* The first run: an account on a sandbox of the test's own; a destination saved with the
 * instance data fetched. */
static void
save_online (PushApplication *app,
             gpointer         user_data)
{
  OfflineData *data = user_data;
  Fixture fixture = { 0, };
  PushAccounts *accounts = push_application_get_accounts (app);
  g_autoptr(PushAccount) account = push_account_new ();
  g_autofree char *endpoint = marketo_sandbox_dup_endpoint (data->sandbox);
  g_autoptr(GError) error = NULL;

  fixture_init (&fixture, app);

  push_account_set_name (account, "Staging");
  push_account_set_munchkin_id (account, "123-ABC-456");
  push_account_set_endpoint (account, endpoint);
  push_account_set_client_id (account, marketo_sandbox_get_client_id (data->sandbox));
  push_accounts_add_sync (accounts, account, marketo_sandbox_get_client_secret (data->sandbox),
                          NULL, &error);
  g_assert_no_error (error);
  push_ui_test_wait_until (g_list_model_get_n_items (G_LIST_MODEL (accounts)) == 1);

  open_new_editor (&fixture);
  wait_for_instance_data (&fixture);
  push_ui_test_type (editor_child (&fixture, ADW_TYPE_ENTRY_ROW, "name_row"), "Weekly churn");
  push_ui_test_click (editor_child (&fixture, GTK_TYPE_BUTTON, "save_button"));
  data->destination_id = g_strdup (push_destination_get_id (draft (&fixture)));
  g_assert_nonnull (push_destinations_find_by_id (push_application_get_destinations (app),
                                                  data->destination_id));

  fixture_clear (&fixture);
}

/* The second run, with the instance gone: the form still lists its fields, from the cache. */
static void
open_offline (PushApplication *app,
              gpointer         user_data)
{
  OfflineData *data = user_data;
  Fixture fixture = { 0, };
  GtkWidget *view, *row, *mapping_editor, *dropdown, *dedupe;
  GListModel *fields;

  fixture_init (&fixture, app);
  view = push_ui_test_get (fixture.window, G_TYPE_INVALID, "destinations_view");
  g_assert_true (gtk_widget_activate_action (view, "destinations.edit", "s",
                                             data->destination_id));
  push_ui_test_wait_until ((fixture.editor = push_window_get_subpage (PUSH_WINDOW (fixture.window)))
                           != NULL && gtk_widget_get_mapped (fixture.editor));

  /* Fresh enough: no fetch was tried. The fields come from the cache. */
  g_assert_false (push_destination_editor_get_busy (PUSH_DESTINATION_EDITOR (fixture.editor)));
  row = editor_child (&fixture, ADW_TYPE_ACTION_ROW, "instance_row");
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                                   "Fields fetched "));
  dedupe = editor_child (&fixture, ADW_TYPE_COMBO_ROW, "dedupe_row");
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (ADW_COMBO_ROW (dedupe))),
                    >, 1);
  g_assert_null (push_problems_find (push_destination_editor_get_problems (
                                       PUSH_DESTINATION_EDITOR (fixture.editor)),
                                     PUSH_PROBLEM_SCHEMA_UNAVAILABLE));

  mapping_editor = editor_child (&fixture, PUSH_TYPE_MAPPING_EDITOR, "mapping_editor");
  push_ui_test_click (push_ui_test_get (mapping_editor, GTK_TYPE_BUTTON, "add_row_button"));
  dropdown = push_ui_test_get (last_mapping_row (mapping_editor), GTK_TYPE_DROP_DOWN,
                               "field_dropdown");
  fields = gtk_drop_down_get_model (GTK_DROP_DOWN (dropdown));
  g_assert_cmpuint (g_list_model_get_n_items (fields), >, 10);
  string_position (fields, "lastName");
  string_position (fields, "loyaltyTier");

  /* A refresh now fails, and the notice says the form works from what was fetched. */
  push_ui_test_click (editor_child (&fixture, GTK_TYPE_BUTTON, "refresh_button"));
  push_ui_test_wait_until (!push_destination_editor_get_busy (PUSH_DESTINATION_EDITOR (fixture.editor))
                           && g_str_has_prefix (caption_text (&fixture, "instance_caption"),
                                                "Could not refresh: "));
  g_test_message ("notice: %s", caption_text (&fixture, "instance_caption"));
  g_assert_nonnull (strstr (caption_text (&fixture, "instance_caption"),
                            "The form uses the data fetched "));
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (ADW_COMBO_ROW (dedupe))),
                    >, 1);
  push_ui_test_screenshot (fixture.window, "ui-destination-editor-cached.png");

  fixture_clear (&fixture);
}

static void
test_offline_from_cache (void)
{
  g_autoptr(MarketoSandbox) sandbox = marketo_sandbox_new ();
  g_autoptr(GError) error = NULL;
  OfflineData data = { sandbox, NULL };

  if (!push_test_require_keyring ())
    return;

  g_assert_true (marketo_sandbox_start (sandbox, 0, &error));
  g_assert_no_error (error);
  push_ui_test_run_app (save_online, &data);

  marketo_sandbox_stop (sandbox);
  push_ui_test_run_app (open_offline, &data);

  g_free (data.destination_id);
}

/* ---- Activate and Preview, with the app's sandbox ------------------------------------- */

static const RunTestAudience small_audience = { .n_existing = 5, .n_new = 7 };

/* The destination's editor, opened from the list as the user does. */
static void
open_editor (Fixture    *fixture,
             const char *destination_id)
{
  GtkWidget *view = push_ui_test_get (fixture->window, G_TYPE_INVALID, "destinations_view");

  g_assert_true (gtk_widget_activate_action (view, "destinations.edit", "s", destination_id));
  push_ui_test_wait_until (PUSH_IS_DESTINATION_EDITOR (fixture->editor =
                                                         push_window_get_subpage (PUSH_WINDOW (fixture->window)))
                           && gtk_widget_get_mapped (fixture->editor)
                           && !push_destination_editor_get_busy (PUSH_DESTINATION_EDITOR (fixture->editor)));
}

static PushAudienceEntry *
add_audience (PushApplication       *app,
              const char            *name,
              const RunTestAudience *audience)
{
  g_autofree char *path = run_test_write_audience (app, name, audience);
  g_autoptr(GError) error = NULL;
  PushAudienceEntry *entry;

  entry = push_audiences_add (push_application_get_audiences (app), path, name,
                              PUSH_AUDIENCE_FORMAT_AUTO, 0, &error);
  g_assert_no_error (error);
  return entry;
}

/* Clicks Activate and waits for the pre-flight check's verdict. */
static GtkWidget *
run_preflight (Fixture    *fixture,
               const char *heading)
{
  GtkWidget *dialog;

  push_ui_test_click (editor_child (fixture, GTK_TYPE_BUTTON, "activate_button"));
  push_ui_test_wait_until ((dialog = push_ui_test_find_window (ADW_TYPE_MESSAGE_DIALOG)) != NULL
                           && g_strcmp0 (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)),
                                         "Pre-flight Check") != 0);
  g_test_message ("pre-flight: %s\n%s", adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)),
                  adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)));
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==, heading);
  return dialog;
}

static PushRunInfo *
wait_for_completed_run (Fixture *fixture)
{
  g_autoptr(PushRunStore) runs = push_run_store_new (push_application_get_store (fixture->app));
  g_autoptr(GError) error = NULL;
  PushRunInfo *info;
  GtkWidget *page;

  push_ui_test_wait_until (PUSH_IS_RUN_PAGE (page = push_window_get_subpage (PUSH_WINDOW (fixture->window))));
  push_ui_test_wait_until (push_run_page_get_state (PUSH_RUN_PAGE (page)) == PUSH_RUN_STATE_COMPLETED
                           || push_run_page_get_state (PUSH_RUN_PAGE (page)) == PUSH_RUN_STATE_FAILED);
  g_assert_cmpint (push_run_page_get_state (PUSH_RUN_PAGE (page)), ==, PUSH_RUN_STATE_COMPLETED);
  info = push_run_store_get_run (runs, push_run_page_get_run_id (PUSH_RUN_PAGE (page)), &error);
  g_assert_no_error (error);
  g_assert_cmpint (info->state, ==, PUSH_RUN_STATE_COMPLETED);
  return info;
}

static void
activate_runs (PushApplication *app,
               gpointer         data)
{
  Fixture fixture = { 0, };
  g_autoptr(PushDestination) destination = NULL;
  g_autoptr(PushRunInfo) info = NULL;
  PushAudienceEntry *entry;
  PushDestination *saved;
  PushAccount *account;
  GtkWidget *dialog;
  const char *text;

  fixture_init (&fixture, app);
  account = run_test_start_sandbox (app, 20, 0);
  destination = run_test_add_destination (app, account, "Newsletter", PUSH_ALERT_NONE);
  entry = add_audience (app, "VIP list", &small_audience);
  open_editor (&fixture, push_destination_get_id (destination));
  push_ui_test_wait_until (activate_enabled (&fixture));

  /* No audience chosen: the check says to choose one, and offers neither Preview nor
   * Activate; nor is the header's Preview possible. */
  g_assert_false (gtk_widget_is_sensitive (editor_child (&fixture, GTK_TYPE_BUTTON,
                                                         "preview_button")));
  dialog = run_preflight (&fixture, "Choose an Audience");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                            "choose the one to check, preview and send"));
  g_assert_false (adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (dialog), "activate"));
  g_assert_false (adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (dialog), "preview"));
  push_ui_test_click (push_ui_test_find_button (dialog, "_Close"));
  push_ui_test_wait_until (push_ui_test_find_window (ADW_TYPE_MESSAGE_DIALOG) == NULL);

  /* The audience, and an edit left unsaved. */
  choose_sample (&fixture, entry);
  push_ui_test_type (editor_child (&fixture, ADW_TYPE_ENTRY_ROW, "description_row"),
                     "Weekly VIPs");
  g_assert_true (gtk_widget_is_sensitive (editor_child (&fixture, GTK_TYPE_BUTTON, "save_button")));
  push_ui_test_wait_until (activate_enabled (&fixture)
                           && !push_destination_editor_get_busy (PUSH_DESTINATION_EDITOR (fixture.editor)));
  g_assert_true (gtk_widget_is_sensitive (editor_child (&fixture, GTK_TYPE_BUTTON,
                                                        "preview_button")));

  dialog = run_preflight (&fixture, "Pre-flight Check Passed");
  text = adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog));
  g_assert_nonnull (strstr (text, "Values were checked in all 12 rows of “VIP list”."));
  g_assert_nonnull (strstr (text, "Both save the changes to this destination first."));
  saved = push_destinations_find_by_id (push_application_get_destinations (app),
                                        push_destination_get_id (destination));
  g_assert_cmpstr (push_destination_get_description (saved), ==, "");
  push_ui_test_click (push_ui_test_find_button (dialog, "_Activate"));

  /* Saved first, then sent: the run page shows the run to its end. */
  saved = push_destinations_find_by_id (push_application_get_destinations (app),
                                        push_destination_get_id (destination));
  g_assert_cmpstr (push_destination_get_description (saved), ==, "Weekly VIPs");
  info = wait_for_completed_run (&fixture);
  g_assert_cmpstr (info->audience_path, ==, push_audience_entry_get_path (entry));
  g_assert_cmpstr (info->destination_name, ==, "Newsletter");
  g_assert_cmpuint (info->counts.members, ==, 12);
  g_assert_cmpuint (info->counts.created, ==, small_audience.n_new);
  g_assert_cmpuint (info->counts.updated, ==, small_audience.n_existing);
  g_assert_null (push_ui_test_find_window (ADW_TYPE_MESSAGE_DIALOG));

  fixture_clear (&fixture);
}

static void
test_activate_runs (void)
{
  if (!push_test_require_keyring ())
    return;

  push_ui_test_run_app (activate_runs, NULL);
}

static void
wait_for_preview (Fixture *fixture)
{
  GtkWidget *page;

  push_ui_test_wait_until (PUSH_IS_PREVIEW_PAGE (page = push_window_get_subpage (PUSH_WINDOW (fixture->window))));
  push_ui_test_wait_until (!push_preview_page_get_running (PUSH_PREVIEW_PAGE (page))
                           && push_preview_page_get_preview (PUSH_PREVIEW_PAGE (page)) != NULL);
}

static void
preview_opens (PushApplication *app,
               gpointer         data)
{
  Fixture fixture = { 0, };
  g_autoptr(PushDestination) destination = NULL;
  g_autoptr(PushRunStore) runs = push_run_store_new (push_application_get_store (app));
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GError) error = NULL;
  PushAudienceEntry *entry;
  PushAccount *account;
  GtkWidget *dialog;

  fixture_init (&fixture, app);
  account = run_test_start_sandbox (app, 20, 0);
  destination = run_test_add_destination (app, account, "Newsletter", PUSH_ALERT_NONE);
  entry = add_audience (app, "VIP list", &small_audience);
  open_editor (&fixture, push_destination_get_id (destination));
  choose_sample (&fixture, entry);
  push_ui_test_wait_until (activate_enabled (&fixture)
                           && !push_destination_editor_get_busy (PUSH_DESTINATION_EDITOR (fixture.editor)));

  /* From the pre-flight dialog. */
  dialog = run_preflight (&fixture, "Pre-flight Check Passed");
  push_ui_test_click (push_ui_test_find_button (dialog, "_Preview"));
  wait_for_preview (&fixture);

  /* From the header: the privacy acknowledgement guards sending, not this read-only look. */
  open_editor (&fixture, push_destination_get_id (destination));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (editor_child (&fixture, GTK_TYPE_CHECK_BUTTON,
                                                               "privacy_check")), FALSE);
  push_ui_test_wait_until (!activate_enabled (&fixture));
  g_assert_true (gtk_widget_is_sensitive (editor_child (&fixture, GTK_TYPE_BUTTON,
                                                        "preview_button")));
  push_ui_test_click (editor_child (&fixture, GTK_TYPE_BUTTON, "preview_button"));
  wait_for_preview (&fixture);
  g_assert_false (push_destination_get_privacy_acknowledged (
                    push_destinations_find_by_id (push_application_get_destinations (app),
                                                  push_destination_get_id (destination))));

  /* A preview sends nothing: no run. */
  listed = push_run_store_list_runs (runs, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 0);

  fixture_clear (&fixture);
}

static void
test_preview_opens (void)
{
  if (!push_test_require_keyring ())
    return;

  push_ui_test_run_app (preview_opens, NULL);
}

/* ---- The folder of the lists created per audience --------------------------------------- */

typedef struct {
  MarketoList *list;
  GError      *error;
  gboolean     done;
} ListLookup;

static void
list_got_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  ListLookup *lookup = user_data;

  lookup->list = marketo_client_get_static_list_finish (MARKETO_CLIENT (source), result,
                                                        &lookup->error);
  lookup->done = TRUE;
}

typedef struct {
  MarketoClient *client;
  GError        *error;
  gboolean       done;
} ClientGet;

static void
client_got_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  ClientGet *get = user_data;

  get->client = push_connection_client_finish (result, &get->error);
  get->done = TRUE;
}

static void
list_folder (PushApplication *app,
             gpointer         data)
{
  Fixture fixture = { 0, };
  g_autoptr(PushDestination) destination = NULL;
  g_autoptr(PushRunInfo) info = NULL;
  g_autoptr(GPtrArray) folders = NULL;
  g_autoptr(GArray) members = NULL;
  g_autoptr(GError) error = NULL;
  ClientGet get = { NULL, NULL, FALSE };
  ListLookup lookup = { NULL, NULL, FALSE };
  PushAudienceEntry *entry;
  PushAccount *account;
  GtkWidget *row, *caption, *dialog;
  GListModel *labels;
  const char *audiences_path = NULL;
  g_autofree char *audiences_label = NULL;

  fixture_init (&fixture, app);
  account = run_test_start_sandbox (app, 20, 0);
  destination = run_test_add_destination (app, account, "Spring lists", PUSH_ALERT_NONE);
  push_destination_set_sync_type (destination, PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE);
  push_destination_set_list_target_kind (destination, PUSH_LIST_TARGET_CREATE_PER_AUDIENCE);
  push_destination_set_list_name_template (destination, "{audience} (folder test)");
  g_assert_true (push_destinations_update (push_application_get_destinations (app), destination,
                                           &error));
  g_assert_no_error (error);
  entry = add_audience (app, "VIP list", &small_audience);

  open_editor (&fixture, push_destination_get_id (destination));
  wait_for_instance_data (&fixture);
  choose_sample (&fixture, entry);

  /* Shown for a list per audience; no folder yet: an error on the row, and no Activate. */
  row = editor_child (&fixture, ADW_TYPE_COMBO_ROW, "list_folder_row");
  caption = editor_child (&fixture, GTK_TYPE_LABEL, "list_folder_caption");
  g_assert_true (gtk_widget_get_visible (row));
  push_ui_test_wait_until (!push_destination_editor_get_busy (PUSH_DESTINATION_EDITOR (fixture.editor))
                           && gtk_widget_has_css_class (row, "error")
                           && gtk_widget_get_visible (caption));
  g_test_message ("folder caption: %s", gtk_label_get_text (GTK_LABEL (caption)));
  g_assert_true (gtk_widget_has_css_class (caption, "error"));
  g_assert_nonnull (push_problems_find (push_destination_editor_get_problems (
                                          PUSH_DESTINATION_EDITOR (fixture.editor)),
                                        PUSH_PROBLEM_LIST_FOLDER_MISSING));
  g_assert_false (activate_enabled (&fixture));
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (row)), ==,
                    GTK_INVALID_LIST_POSITION);
  push_ui_test_scroll_to (editor_child (&fixture, ADW_TYPE_COMBO_ROW, "list_kind_row"));
  push_ui_test_screenshot (fixture.window, "ui-destination-folder-missing.png");

  /* The cached folders, by path, without the archives. */
  folders = push_instance_cache_get_folders (push_application_get_instance_cache (app),
                                             push_account_get_id (account), NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (folders);
  labels = adw_combo_row_get_model (ADW_COMBO_ROW (row));
  for (guint i = 0; i < folders->len; i++)
    {
      const MarketoFolder *folder = g_ptr_array_index (folders, i);
      g_autofree char *label = expected_label (folder);
      gboolean offered = FALSE;

      for (guint j = 0; j < g_list_model_get_n_items (labels); j++)
        {
          g_autoptr(GtkStringObject) item = g_list_model_get_item (labels, j);

          offered = offered || g_strcmp0 (gtk_string_object_get_string (item), label) == 0;
        }
      g_assert_true (offered == !folder->is_archive);
      if (folder->id == 12 && g_strcmp0 (folder->type, "Folder") == 0)
        {
          audiences_path = folder->path;
          g_free (audiences_label);
          audiences_label = g_steal_pointer (&label);
        }
    }
  g_assert_nonnull (audiences_path);
  g_assert_true (g_str_has_suffix (audiences_path, "Audiences"));
  g_assert_cmpuint (g_list_model_get_n_items (labels), <, folders->len);

  /* "Audiences" (12): the error goes, Activate comes back. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), string_position (labels, audiences_label));
  g_assert_cmpint (push_destination_get_list_folder_id (draft (&fixture)), ==, 12);
  g_assert_cmpstr (push_destination_get_list_folder_type (draft (&fixture)), ==, "Folder");
  g_assert_false (gtk_widget_has_css_class (row, "error"));
  g_assert_false (gtk_widget_get_visible (caption));
  push_ui_test_wait_until (activate_enabled (&fixture)
                           && !push_destination_editor_get_busy (PUSH_DESTINATION_EDITOR (fixture.editor)));
  push_ui_test_screenshot (fixture.window, "ui-destination-folder.png");

  /* A run creates the list in that folder, with the audience in it. */
  dialog = run_preflight (&fixture, "Pre-flight Check Passed");
  push_ui_test_click (push_ui_test_find_button (dialog, "_Activate"));
  info = wait_for_completed_run (&fixture);
  g_assert_cmpint (push_destination_get_list_folder_id (
                     push_destinations_find_by_id (push_application_get_destinations (app),
                                                   push_destination_get_id (destination))), ==, 12);
  g_assert_cmpint (info->list_id, >, 0);
  g_assert_cmpint (marketo_sandbox_find_list (push_application_get_sandbox (app),
                                              "VIP list (folder test)"), ==, info->list_id);
  members = marketo_sandbox_dup_list_members (push_application_get_sandbox (app), info->list_id);
  g_assert_nonnull (members);
  g_assert_cmpuint (members->len, ==, 12);

  push_connection_client_async (app, account, NULL, NULL, client_got_cb, &get);
  push_ui_test_wait_until (get.done);
  g_assert_no_error (get.error);
  marketo_client_get_static_list_async (get.client, info->list_id, NULL, list_got_cb, &lookup);
  push_ui_test_wait_until (lookup.done);
  g_assert_no_error (lookup.error);
  g_assert_cmpint (lookup.list->folder_id, ==, 12);
  marketo_list_free (lookup.list);
  g_object_unref (get.client);

  fixture_clear (&fixture);
}

static void
test_list_folder (void)
{
  if (!push_test_require_keyring ())
    return;

  push_ui_test_run_app (list_folder, NULL);
}

/* ---- Resume over today's quota: confirmed like a first start ------------------------------ */

static void
resume_confirms (PushApplication *app,
                 gpointer         data)
{
  const RunTestAudience big = { .n_new = 3000 };
  g_autoptr(PushDestination) destination = NULL;
  g_autoptr(PushAccount) limited = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *run_id = NULL;
  GtkWidget *window = GTK_WIDGET (gtk_application_get_active_window (GTK_APPLICATION (app)));
  GtkWidget *page, *dialog;
  PushAccount *account;
  guint64 used;

  /* Slow enough to stop it half-way. */
  account = run_test_start_sandbox (app, 600, 1);
  destination = run_test_add_destination (app, account, "Quota", PUSH_ALERT_NONE);
  path = run_test_write_audience (app, "Big list", &big);
  page = push_run_page_start (PUSH_WINDOW (window), destination, path);
  push_ui_test_wait_until (push_run_page_get_state (PUSH_RUN_PAGE (page)) == PUSH_RUN_STATE_RUNNING
                           && push_run_page_get_run_id (PUSH_RUN_PAGE (page)) != NULL);
  run_id = g_strdup (push_run_page_get_run_id (PUSH_RUN_PAGE (page)));
  push_ui_test_click (push_ui_test_get (page, GTK_TYPE_BUTTON, "cancel_button"));
  push_ui_test_wait_until (push_run_page_get_state (PUSH_RUN_PAGE (page)) == PUSH_RUN_STATE_CANCELLED);

  /* Now the day's quota is nearly gone (room for the pre-flight's calls, not for the rest
   * of the run): Resume asks first, and sends nothing before. */
  {
    g_autoptr(MarketoPacer) pacer = marketo_pacer_new ();

    push_usage_store_configure_pacer (pacer, push_application_get_store (app), account);
    used = marketo_pacer_get_daily_count (pacer);
    g_test_message ("calls used today: %" G_GUINT64_FORMAT, used);
  }
  limited = push_account_copy (account);
  push_account_set_daily_quota (limited, (guint) used + 5);
  g_assert_true (push_accounts_update_sync (push_application_get_accounts (app), limited, NULL,
                                            NULL, &error));
  g_assert_no_error (error);
  push_ui_test_click (push_ui_test_get (page, GTK_TYPE_BUTTON, "resume_button"));
  push_ui_test_wait_until ((dialog = push_ui_test_find_window (ADW_TYPE_MESSAGE_DIALOG)) != NULL);
  g_assert_cmpint (push_run_page_get_state (PUSH_RUN_PAGE (page)), ==, PUSH_RUN_STATE_CANCELLED);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (push_ui_test_get (page, GTK_TYPE_LABEL,
                                                                    "state_label"))),
                   ==, "Waiting for Confirmation");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                            "more API calls than remain today"));
  push_ui_test_screenshot (dialog, "ui-run-resume-confirm.png");

  /* Yes: the same run goes on until the quota runs out. */
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "send");
  push_ui_test_wait_until (push_run_page_get_state (PUSH_RUN_PAGE (page)) == PUSH_RUN_STATE_PAUSED);
  g_assert_cmpstr (push_run_page_get_run_id (PUSH_RUN_PAGE (page)), ==, run_id);
}

static void
test_resume_confirms (void)
{
  if (!push_test_require_keyring ())
    return;

  push_ui_test_run_app (resume_confirms, NULL);
}

int
main (int   argc,
      char *argv[])
{
  if (!push_ui_test_init (&argc, &argv))
    return 0;

  g_test_add_func ("/ui/destination-editor/build-against-sandbox", test_build_against_sandbox);
  g_test_add_func ("/ui/destination-editor/validation", test_validation);
  g_test_add_func ("/ui/destination-editor/offline-from-cache", test_offline_from_cache);
  g_test_add_func ("/ui/destination-editor/activate-runs", test_activate_runs);
  g_test_add_func ("/ui/destination-editor/preview-opens", test_preview_opens);
  g_test_add_func ("/ui/destination-editor/list-folder", test_list_folder);
  g_test_add_func ("/ui/destination-editor/resume-confirms", test_resume_confirms);

  return g_test_run ();
}
