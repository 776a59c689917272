/* test-audience-page.c: adding an audience file and reading it in the audience page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "push-audience-page.h"
#include "push-window.h"
#include "test-utils.h"
#include "ui-test-utils.h"

#define N_ROWS 100000

typedef struct {
  PushApplication *app;
  GtkWidget       *window;
  GtkWidget       *page;
  char            *dir;
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
  fixture->dir = push_test_make_tmpdir ();

  /* The overview (past the first-run page) needs an account. */
  push_account_set_name (account, "Production");
  push_account_set_munchkin_id (account, "321-CBA-654");
  push_account_set_endpoint (account, "https://321-CBA-654.mktorest.com");
  push_account_set_client_id (account, "0123abcd-client");
  push_accounts_add_sync (accounts, account, "ui-test-secret-0123456789", NULL, &error);
  g_assert_no_error (error);
  push_ui_test_wait_until (g_list_model_get_n_items (G_LIST_MODEL (accounts)) == 1);
  push_window_show_page (PUSH_WINDOW (fixture->window), "audiences");
}

static void
fixture_clear (Fixture *fixture)
{
  push_test_rm_rf (fixture->dir);
  g_free (fixture->dir);
}

static char *
write_audience (Fixture *fixture,
                guint    n_rows)
{
  g_autoptr(GString) text = g_string_sized_new (n_rows * 48);
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (fixture->dir, "customers.csv", NULL);

  g_string_append (text, "email,first_name,last_name,lifetime_value\n");
  for (guint i = 1; i <= n_rows; i++)
    g_string_append_printf (text, "person%06u@example.com,First%u,Last%u,%u.%02u\n",
                            i, i, i, i % 997, i % 100);

  g_assert_true (g_file_set_contents (path, text->str, text->len, &error));
  g_assert_no_error (error);
  return path;
}

static const char *
state (Fixture *fixture)
{
  GtkWidget *stack = push_ui_test_get (fixture->page, GTK_TYPE_STACK, "state_stack");

  return gtk_stack_get_visible_child_name (GTK_STACK (stack));
}

static const char *
label_text (Fixture    *fixture,
            const char *id)
{
  return gtk_label_get_text (GTK_LABEL (push_ui_test_get (fixture->page, GTK_TYPE_LABEL, id)));
}

static void
large_file (PushApplication *app,
            gpointer         data)
{
  Fixture fixture = { 0, };
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  PushAudiences *audiences = push_application_get_audiences (app);
  PushAudienceEntry *entry;
  PushAudienceRowModel *model;
  GtkWidget *table, *scrolled, *row;
  GtkAdjustment *adjustment;
  GListModel *columns;
  gint64 start;

  fixture_init (&fixture, app);
  path = write_audience (&fixture, N_ROWS);
  file = g_file_new_for_path (path);

  /* What the file chooser's response does. */
  start = g_get_monotonic_time ();
  fixture.page = push_window_add_audience_file (PUSH_WINDOW (fixture.window), file);
  g_assert_true (PUSH_IS_AUDIENCE_PAGE (fixture.page));
  g_assert_true (push_window_get_subpage (PUSH_WINDOW (fixture.window)) == fixture.page);
  push_ui_test_wait_until (g_strcmp0 (state (&fixture), "loaded") == 0);
  g_test_message ("%u rows opened in %.3f s", N_ROWS,
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);

  entry = push_audiences_find_by_path (audiences, path);
  g_assert_nonnull (entry);
  g_assert_cmpint (push_audience_entry_get_row_count (entry), ==, N_ROWS);
  g_assert_nonnull (push_audience_entry_get_fingerprint (entry));

  g_assert_cmpstr (label_text (&fixture, "rows_label"), ==, "100,000 rows");
  g_assert_true (g_str_has_prefix (label_text (&fixture, "details_label"),
                                   "4 columns · CSV, comma-separated · "));
  g_assert_cmpstr (label_text (&fixture, "columns_label"), ==,
                   "Columns: email, first_name, last_name, lifetime_value");
  g_assert_false (gtk_widget_get_visible (push_ui_test_get (fixture.page, GTK_TYPE_LIST_BOX,
                                                            "problems_list")));

  /* A column per audience column, after the row number. */
  table = push_ui_test_get (fixture.page, GTK_TYPE_COLUMN_VIEW, "column_view");
  columns = gtk_column_view_get_columns (GTK_COLUMN_VIEW (table));
  g_assert_cmpuint (g_list_model_get_n_items (columns), ==, 5);
  model = push_audience_page_get_model (PUSH_AUDIENCE_PAGE (fixture.page));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, N_ROWS);
  push_ui_test_wait_until (push_ui_test_find_label (table, "person000001@example.com") != NULL);
  push_ui_test_screenshot (fixture.window, "ui-audience-page.png");

  /* To the end: the last row shows, read lazily (only a few blocks were decoded). */
  scrolled = push_ui_test_get (fixture.page, GTK_TYPE_SCROLLED_WINDOW, "table_window");
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  push_ui_test_wait_until ((gtk_adjustment_set_value (adjustment,
                                                      gtk_adjustment_get_upper (adjustment)),
                            push_ui_test_find_label (table, "person100000@example.com") != NULL));
  g_assert_nonnull (push_ui_test_find_label (table, "Last100000"));
  g_assert_nonnull (push_ui_test_find_label (table, "100000"));
  g_assert_null (push_ui_test_find_label (table, "person000001@example.com"));
  g_test_message ("blocks decoded: %u", push_audience_row_model_get_blocks_decoded (model));
  g_assert_cmpuint (push_audience_row_model_get_blocks_decoded (model), <, 64);
  push_ui_test_screenshot (fixture.window, "ui-audience-page-end.png");

  /* Back: the list shows the audience with its row count. */
  push_ui_test_click (push_ui_test_get (fixture.page, GTK_TYPE_BUTTON, "back_button"));
  push_ui_test_wait_until (push_window_get_subpage (PUSH_WINDOW (fixture.window)) == NULL);
  push_ui_test_wait_until ((row = push_ui_test_find_row (fixture.window, "customers.csv")) != NULL
                           && gtk_widget_get_mapped (row));
  g_assert_nonnull (push_ui_test_find_label (row, "100,000 rows"));
  push_ui_test_screenshot (fixture.window, "ui-audiences-list.png");

  /* Adding the same file again opens it rather than listing it twice. */
  fixture.page = push_window_add_audience_file (PUSH_WINDOW (fixture.window), file);
  g_assert_true (push_audience_page_get_entry (PUSH_AUDIENCE_PAGE (fixture.page)) == entry);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (audiences)), ==, 1);
  push_ui_test_wait_until (g_strcmp0 (state (&fixture), "loaded") == 0);

  fixture_clear (&fixture);
}

static void
test_large_file (void)
{
  if (!push_test_require_keyring ())
    return;

  push_ui_test_run_app (large_file, NULL);
}

static void
problems_and_format (PushApplication *app,
                     gpointer         data)
{
  Fixture fixture = { 0, };
  const char *csv = "id;name;city\n"
                    "1;Ada;London\n"
                    "2;\"Grace;Washington\n"
                    "3;Alan\n";
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) missing = NULL;
  PushAudienceEntry *entry;
  GtkWidget *problems, *delimiter, *format;
  const char *title;

  fixture_init (&fixture, app);
  path = g_build_filename (fixture.dir, "awkward.txt", NULL);
  g_assert_true (g_file_set_contents (path, csv, -1, NULL));
  file = g_file_new_for_path (path);

  fixture.page = push_window_add_audience_file (PUSH_WINDOW (fixture.window), file);
  push_ui_test_wait_until (g_strcmp0 (state (&fixture), "loaded") == 0);

  /* The delimiter was detected; the problems are listed with where they are. */
  g_assert_true (g_str_has_prefix (label_text (&fixture, "details_label"),
                                   "3 columns · CSV, semicolon-separated"));
  problems = push_ui_test_get (fixture.page, GTK_TYPE_LIST_BOX, "problems_list");
  g_assert_true (gtk_widget_get_visible (problems));
  title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (push_ui_test_get (problems,
                                                                              ADW_TYPE_EXPANDER_ROW,
                                                                              "problems_row")));
  g_test_message ("problems: %s", title);
  g_assert_true (g_str_has_suffix (title, " problem") || g_str_has_suffix (title, " problems"));
  {
    PushAudienceRowModel *model = push_audience_page_get_model (PUSH_AUDIENCE_PAGE (fixture.page));
    GPtrArray *found = push_audience_row_model_get_problems (model);
    const PushAudienceProblem *first;

    g_assert_cmpuint (found->len, >, 0);
    first = g_ptr_array_index (found, 0);
    g_assert_nonnull (push_ui_test_find_row (problems, first->message));
    g_assert_true (g_str_has_prefix (first->message, "Row "));
  }
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (push_ui_test_get (problems,
                                                                     ADW_TYPE_EXPANDER_ROW,
                                                                     "problems_row")), TRUE);
  push_ui_test_screenshot (fixture.window, "ui-audience-problems.png");

  /* Overriding the delimiter reads the file again that way, and is remembered. */
  delimiter = push_ui_test_get (fixture.page, GTK_TYPE_DROP_DOWN, "delimiter_dropdown");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (delimiter), 1);  /* Comma */
  push_ui_test_wait_until (g_strcmp0 (state (&fixture), "loaded") == 0
                           && g_str_has_prefix (label_text (&fixture, "details_label"),
                                                "1 column · CSV, comma-separated"));
  entry = push_audience_page_get_entry (PUSH_AUDIENCE_PAGE (fixture.page));
  g_assert_cmpint (push_audience_entry_get_delimiter (entry), ==, ',');
  g_assert_cmpint (push_audience_entry_get_format (entry), ==, PUSH_AUDIENCE_FORMAT_AUTO);

  /* Read as JSON Lines, this file has no JSON object to take columns from: the page says
   * why it can't be read. */
  format = push_ui_test_get (fixture.page, GTK_TYPE_DROP_DOWN, "format_dropdown");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (format), 2);
  g_assert_cmpint (push_audience_entry_get_format (entry), ==, PUSH_AUDIENCE_FORMAT_JSONL);
  push_ui_test_wait_until (g_strcmp0 (state (&fixture), "error") == 0);
  g_test_message ("as JSON Lines: %s",
                  adw_status_page_get_description (ADW_STATUS_PAGE (push_ui_test_get (
                                                     fixture.page, ADW_TYPE_STATUS_PAGE,
                                                     "error_page"))));

  /* A file that went away: the page says so, and offers to try again. */
  push_ui_test_click (push_ui_test_get (fixture.page, GTK_TYPE_BUTTON, "back_button"));
  missing = g_file_new_build_filename (fixture.dir, "gone.csv", NULL);
  fixture.page = push_window_add_audience_file (PUSH_WINDOW (fixture.window), missing);
  push_ui_test_wait_until (g_strcmp0 (state (&fixture), "error") == 0);
  g_test_message ("missing file: %s",
                  adw_status_page_get_description (ADW_STATUS_PAGE (push_ui_test_get (
                                                     fixture.page, ADW_TYPE_STATUS_PAGE,
                                                     "error_page"))));
  g_assert_nonnull (strstr (adw_status_page_get_description (ADW_STATUS_PAGE (push_ui_test_get (
                                                                fixture.page, ADW_TYPE_STATUS_PAGE,
                                                                "error_page"))),
                            "gone.csv"));

  fixture_clear (&fixture);
}

static void
test_problems_and_format (void)
{
  if (!push_test_require_keyring ())
    return;

  push_ui_test_run_app (problems_and_format, NULL);
}

int
main (int   argc,
      char *argv[])
{
  if (!push_ui_test_init (&argc, &argv))
    return 0;

  g_test_add_func ("/ui/audience-page/large-file", test_large_file);
  g_test_add_func ("/ui/audience-page/problems-and-format", test_problems_and_format);

  return g_test_run ();
}
