/* test-run-page.c: the run page driving a real run against the app's sandbox
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A run of a few thousand people into the in-process sandbox (with latency, so that it takes
 * a few seconds): the progress bar moves, Stop cancels it (state cancelled, Resume offered),
 * Resume finishes it, and then every figure on the page is the run store's. The outcome list
 * filters and searches, the report exports, the history lists the run, and a screenshot of
 * the page with its chart is saved.
 */
#include "config.h"

#include <string.h>

#include "push-run-chart.h"
#include "push-run-history.h"
#include "push-run-page.h"
#include "push-run-alerts.h"
#include "run-test-utils.h"
#include "test-utils.h"
#include "ui-test-utils.h"

static const RunTestAudience audience = {
  .n_existing = 900,
  .n_new = 4500,
  .n_invalid = 37,
  .n_repeated = 25,
};

static GtkWidget *
main_window (PushApplication *app)
{
  return GTK_WIDGET (gtk_application_get_active_window (GTK_APPLICATION (app)));
}

static double
fraction_of (GtkWidget *page)
{
  GtkWidget *bar = push_ui_test_get (page, GTK_TYPE_PROGRESS_BAR, "progress_bar");

  return gtk_progress_bar_get_fraction (GTK_PROGRESS_BAR (bar));
}

static const char *
label_text (GtkWidget  *page,
            const char *id)
{
  return gtk_label_get_text (GTK_LABEL (push_ui_test_get (page, GTK_TYPE_LABEL, id)));
}

static void
assert_count_label (GtkWidget  *page,
                    const char *id,
                    guint64     expected)
{
  g_autofree char *text = push_run_format_count (expected);

  g_assert_cmpstr (label_text (page, id), ==, text);
}

static guint
n_outcomes (PushRunPage *page)
{
  return g_list_model_get_n_items (G_LIST_MODEL (push_run_page_get_outcomes (page)));
}

static gboolean
outcomes_settled (PushRunPage *page)
{
  return push_run_page_get_outcomes (page) != NULL
         && !push_run_outcomes_model_get_busy (push_run_page_get_outcomes (page));
}

typedef struct {
  gint64   written;
  GError  *error;
  gboolean done;
} Export;

static void
exported_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Export *export = user_data;

  export->written = push_run_page_export_report_finish (PUSH_RUN_PAGE (source), result,
                                                        &export->error);
  export->done = TRUE;
}

static void
check_outcome_list (PushRunPage       *page,
                    const PushRunInfo *info)
{
  GtkWidget *dropdown = push_ui_test_get (GTK_WIDGET (page), GTK_TYPE_DROP_DOWN,
                                          "filter_dropdown");
  GtkWidget *search = push_ui_test_get (GTK_WIDGET (page), GTK_TYPE_SEARCH_ENTRY,
                                        "outcome_search");
  PushRunOutcomesModel *outcomes = push_run_page_get_outcomes (page);
  g_autoptr(PushRunOutcomeItem) item = NULL;
  g_autofree char *wanted = run_test_new_email (4321);
  g_autofree char *people = NULL;
  const PushOutcomeRecord *record;

  /* Everyone, in row order, read lazily. */
  push_ui_test_wait_until (outcomes_settled (page) && n_outcomes (page) == info->counts.members);
  {
    g_autofree char *count = push_run_format_count (info->counts.members);

    people = g_strdup_printf ("%s people", count);
  }
  item = g_list_model_get_item (G_LIST_MODEL (outcomes), 1000);
  push_ui_test_wait_until (push_run_outcome_item_get_loaded (item));
  record = push_run_outcome_item_get_record (item);
  g_assert_cmpuint (record->row_number, ==, 1001);
  g_clear_object (&item);

  /* A screen of a million-row list reads pages, never the whole run. */
  g_assert_cmpuint (push_run_outcomes_model_get_n_cached_pages (outcomes), <=,
                    PUSH_RUN_OUTCOMES_MODEL_MAX_PAGES);

  /* By outcome: the drop-down's entries after "All" are the outcomes in order. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), 1 + PUSH_OUTCOME_SET_ASIDE);
  push_ui_test_wait_until (outcomes_settled (page) && n_outcomes (page) == info->counts.set_aside);
  item = g_list_model_get_item (G_LIST_MODEL (outcomes), 0);
  push_ui_test_wait_until (push_run_outcome_item_get_loaded (item));
  record = push_run_outcome_item_get_record (item);
  g_assert_cmpint (record->outcome, ==, PUSH_OUTCOME_SET_ASIDE);
  g_assert_true (g_str_has_prefix (record->dedupe_value, "not-an-email-"));
  g_clear_object (&item);

  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), 1 + PUSH_OUTCOME_DUPLICATE);
  push_ui_test_wait_until (outcomes_settled (page) && n_outcomes (page) == info->counts.duplicates);

  /* By dedupe value, case-insensitively, within the filter. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), 0);
  gtk_editable_set_text (GTK_EDITABLE (search), "NEW.PERSON.4321@");
  push_ui_test_wait_until (push_run_outcomes_model_get_search (outcomes) != NULL
                           && outcomes_settled (page) && n_outcomes (page) == 1);
  item = g_list_model_get_item (G_LIST_MODEL (outcomes), 0);
  record = push_run_outcome_item_get_record (item);
  g_assert_cmpstr (record->dedupe_value, ==, wanted);
  g_assert_cmpint (record->outcome, ==, PUSH_OUTCOME_CREATED);
  g_assert_cmpint (record->lead_id, >, 0);
  g_assert_cmpstr (label_text (GTK_WIDGET (page), "people_label"), ==, "1 match");
  g_clear_object (&item);

  gtk_editable_set_text (GTK_EDITABLE (search), "nobody-has-this");
  push_ui_test_wait_until (outcomes_settled (page) && n_outcomes (page) == 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (
                     GTK_STACK (push_ui_test_get (GTK_WIDGET (page), GTK_TYPE_STACK,
                                                  "list_stack"))),
                   ==, "empty");

  gtk_editable_set_text (GTK_EDITABLE (search), "");
  push_ui_test_wait_until (push_run_outcomes_model_get_search (outcomes) == NULL
                           && outcomes_settled (page) && n_outcomes (page) == info->counts.members);
  g_assert_cmpstr (label_text (GTK_WIDGET (page), "people_label"), ==, people);
}

static void
check_export (PushRunPage       *page,
              const PushRunInfo *info)
{
  g_autofree char *path = g_build_filename (g_get_user_cache_dir (), "report.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  Export export = { -1, NULL, FALSE };
  guint n_lines;

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_cache_dir (), 0700), ==, 0);
  g_assert_true (gtk_widget_is_sensitive (push_ui_test_get (GTK_WIDGET (page), GTK_TYPE_BUTTON,
                                                            "export_button")));
  push_run_page_export_report_async (page, file, NULL, exported_cb, &export);
  push_ui_test_wait_until (export.done);
  g_assert_no_error (export.error);
  g_assert_cmpint (export.written, ==, (gint64) info->counts.members);

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\r\n", -1);
  n_lines = g_strv_length (lines);
  /* A header, one line per person, and the empty string after the last CRLF. */
  g_assert_cmpuint (n_lines, ==, info->counts.members + 2);
  g_assert_cmpstr (lines[n_lines - 1], ==, "");
  g_assert_nonnull (strstr (contents, "not-an-email-0"));
}

static void
run_cancel_resume (PushApplication *app,
                   gpointer         data)
{
  GtkWidget *window = main_window (app);
  g_autoptr(PushDestination) destination = NULL;
  g_autoptr(PushRunStore) runs = push_run_store_new (push_application_get_store (app));
  g_autoptr(PushRunInfo) cancelled = NULL;
  g_autoptr(PushRunInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *run_id = NULL;
  PushRunController *controller;
  PushAccount *account;
  GtkWidget *page, *cancel, *resume, *history, *row;
  PushRunChart *chart;
  double first;

  /* 0.6 s per call and 1 ms per person: 300 people take about a second */
  account = run_test_start_sandbox (app, 600, 1);
  destination = run_test_add_destination (app, account, "Newsletter", PUSH_ALERT_NONE);
  path = run_test_write_audience (app, "VIP list", &audience);

  page = push_run_page_start (PUSH_WINDOW (window), destination, path);
  g_assert_true (PUSH_IS_RUN_PAGE (page));
  g_assert_true (push_window_get_subpage (PUSH_WINDOW (window)) == page);
  push_ui_test_wait_until (gtk_widget_get_mapped (page));
  g_assert_cmpstr (adw_window_title_get_title (ADW_WINDOW_TITLE (
                     push_ui_test_get (page, ADW_TYPE_WINDOW_TITLE, "window_title"))),
                   ==, "VIP list");

  cancel = push_ui_test_get (page, GTK_TYPE_BUTTON, "cancel_button");
  resume = push_ui_test_get (page, GTK_TYPE_BUTTON, "resume_button");
  chart = PUSH_RUN_CHART (push_ui_test_get (page, PUSH_TYPE_RUN_CHART, "chart"));

  /* It sends, and the progress bar moves forward more than once. */
  push_ui_test_wait_until (push_run_page_get_state (PUSH_RUN_PAGE (page)) ==
                           PUSH_RUN_STATE_RUNNING && fraction_of (page) > 0);
  first = fraction_of (page);
  g_test_message ("first progress: %.3f", first);
  g_assert_cmpfloat (first, <, 1.0);
  g_assert_true (gtk_widget_get_mapped (cancel));
  g_assert_false (gtk_widget_get_visible (resume));
  g_assert_cmpstr (label_text (page, "state_label"), ==, "Sending…");
  g_assert_cmpuint (push_run_chart_get_remaining (chart), >, 0);
  push_ui_test_wait_until (fraction_of (page) > first);
  g_test_message ("second progress: %.3f", fraction_of (page));
  g_assert_cmpfloat (fraction_of (page), <, 1.0);
  push_ui_test_screenshot (window, "ui-run-page-running.png");

  /* Stop: it ends between requests, cancelled and resumable. */
  controller = push_run_page_get_controller (PUSH_RUN_PAGE (page));
  run_id = g_strdup (push_run_controller_get_run_id (controller));
  g_assert_nonnull (run_id);
  push_ui_test_click (cancel);
  g_assert_cmpstr (label_text (page, "state_label"), ==, "Stopping…");
  g_assert_false (gtk_widget_is_sensitive (cancel));
  push_ui_test_wait_until (push_run_page_get_state (PUSH_RUN_PAGE (page)) ==
                           PUSH_RUN_STATE_CANCELLED);
  g_assert_cmpstr (label_text (page, "state_label"), ==,
                   push_run_state_get_label (PUSH_RUN_STATE_CANCELLED));
  g_assert_false (gtk_widget_get_visible (cancel));
  g_assert_true (gtk_widget_get_mapped (resume));
  g_assert_true (gtk_widget_is_sensitive (resume));

  cancelled = push_run_store_get_run (runs, run_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cancelled->state, ==, PUSH_RUN_STATE_CANCELLED);
  g_assert_cmpuint (cancelled->counts.members, >, 0);
  g_assert_cmpuint (cancelled->counts.members, <, cancelled->total_members);
  assert_count_label (page, "created_label", cancelled->counts.created);
  g_assert_cmpfloat_with_epsilon (fraction_of (page), (double) cancelled->counts.members /
                                  cancelled->total_members, 1e-9);
  g_test_message ("cancelled after %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT,
                  cancelled->counts.members, cancelled->total_members);

  /* Resume: the same run goes on to the end. */
  push_ui_test_click (resume);
  g_assert_true (push_run_page_get_controller (PUSH_RUN_PAGE (page)) != controller);
  push_ui_test_wait_until (push_run_page_get_state (PUSH_RUN_PAGE (page)) ==
                           PUSH_RUN_STATE_RUNNING);
  g_assert_true (gtk_widget_get_visible (cancel));
  push_ui_test_wait_until (push_run_page_get_state (PUSH_RUN_PAGE (page)) ==
                           PUSH_RUN_STATE_COMPLETED);
  g_assert_cmpstr (push_run_page_get_run_id (PUSH_RUN_PAGE (page)), ==, run_id);

  info = push_run_store_get_run (runs, run_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (info->state, ==, PUSH_RUN_STATE_COMPLETED);
  g_test_message ("completed: %" G_GUINT64_FORMAT " members: %" G_GUINT64_FORMAT " created, %"
                  G_GUINT64_FORMAT " updated, %" G_GUINT64_FORMAT " set aside, %" G_GUINT64_FORMAT
                  " duplicates, %" G_GUINT64_FORMAT " rejected, %" G_GUINT64_FORMAT " failed",
                  info->counts.members, info->counts.created, info->counts.updated,
                  info->counts.set_aside, info->counts.duplicates, info->counts.rejected,
                  info->counts.failed);
  g_assert_cmpuint (info->total_members, ==, audience.n_existing + audience.n_new +
                                             audience.n_repeated + audience.n_invalid);
  g_assert_cmpuint (info->counts.members, ==, info->total_members);
  g_assert_cmpuint (info->counts.set_aside, ==, audience.n_invalid);
  g_assert_cmpuint (info->counts.duplicates, ==, audience.n_repeated);
  /* Batches in flight when it stopped were sent again on resume: their people, created the
   * first time, count as updated. */
  g_assert_cmpuint (info->counts.created + info->counts.updated, ==,
                    audience.n_new + audience.n_existing);
  g_assert_cmpuint (info->counts.updated, >=, audience.n_existing);
  g_assert_cmpuint (info->counts.created, >, 0);

  /* The page's figures are the store's. */
  g_assert_cmpstr (label_text (page, "state_label"), ==,
                   push_run_state_get_label (PUSH_RUN_STATE_COMPLETED));
  g_assert_cmpfloat (fraction_of (page), ==, 1.0);
  assert_count_label (page, "created_label", info->counts.created);
  assert_count_label (page, "updated_label", info->counts.updated);
  assert_count_label (page, "added_label", info->counts.added);
  assert_count_label (page, "not_found_label", info->counts.not_found);
  assert_count_label (page, "rejected_label", info->counts.rejected);
  assert_count_label (page, "set_aside_label", info->counts.set_aside);
  assert_count_label (page, "duplicates_label", info->counts.duplicates);
  assert_count_label (page, "calls_label", info->calls_used);
  g_assert_cmpuint (info->calls_used, >=, (audience.n_new + audience.n_existing + 299) / 300);
  g_assert_cmpuint (push_run_chart_get_segment (chart, PUSH_OUTCOME_CREATED), ==,
                    info->counts.created);
  g_assert_cmpuint (push_run_chart_get_segment (chart, PUSH_OUTCOME_UPDATED), ==,
                    info->counts.updated);
  g_assert_cmpuint (push_run_chart_get_segment (chart, PUSH_OUTCOME_SET_ASIDE), ==,
                    info->counts.set_aside);
  g_assert_cmpuint (push_run_chart_get_remaining (chart), ==, 0);
  g_assert_nonnull (strstr (push_run_chart_get_description (chart), "Created: "));
  g_assert_false (gtk_widget_get_visible (cancel));
  g_assert_false (gtk_widget_get_visible (resume));

  push_ui_test_screenshot (window, "ui-run-page.png");
  /* The chart and the counts use the theme's named colours: the dark style too. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  push_ui_test_screenshot (window, "ui-run-page-dark.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  check_outcome_list (PUSH_RUN_PAGE (page), info);
  check_export (PUSH_RUN_PAGE (page), info);

  /* The history lists the run; opening it shows the same run from the store. */
  gtk_widget_activate_action (window, "win.show-history", NULL);
  history = push_window_get_subpage (PUSH_WINDOW (window));
  g_assert_true (PUSH_IS_RUN_HISTORY (history));
  push_ui_test_wait_until (!push_run_history_get_loading (PUSH_RUN_HISTORY (history)));
  g_assert_cmpuint (push_run_history_get_n_runs (PUSH_RUN_HISTORY (history)), ==, 1);
  row = push_run_history_find_row (PUSH_RUN_HISTORY (history), run_id);
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                   "VIP list → Newsletter");
  push_ui_test_screenshot (window, "ui-run-history.png");

  g_signal_emit_by_name (row, "activate");
  push_ui_test_wait_until (PUSH_IS_RUN_PAGE (push_window_get_subpage (PUSH_WINDOW (window))));
  page = push_window_get_subpage (PUSH_WINDOW (window));
  g_assert_cmpstr (push_run_page_get_run_id (PUSH_RUN_PAGE (page)), ==, run_id);
  g_assert_null (push_run_page_get_controller (PUSH_RUN_PAGE (page)));
  g_assert_cmpint (push_run_page_get_state (PUSH_RUN_PAGE (page)), ==, PUSH_RUN_STATE_COMPLETED);
  assert_count_label (page, "updated_label", info->counts.updated);
  push_ui_test_wait_until (outcomes_settled (PUSH_RUN_PAGE (page))
                           && n_outcomes (PUSH_RUN_PAGE (page)) == info->counts.members);
}

static void
test_cancel_resume (void)
{
  if (!push_test_require_keyring ())
    return;

  push_ui_test_run_app (run_cancel_resume, NULL);
}

/* ---- Over today's quota: confirm, then a pause until the reset ------------------------- */

static void
run_over_quota (PushApplication *app,
                gpointer         data)
{
  GtkWidget *window = main_window (app);
  const RunTestAudience small = { .n_new = 3000 };
  g_autoptr(PushDestination) destination = NULL;
  g_autoptr(PushAccount) limited = NULL;
  g_autoptr(PushRunStore) runs = push_run_store_new (push_application_get_store (app));
  g_autoptr(PushRunInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  GtkWidget *page, *dialog, *resume;
  PushAccount *account;
  const char *message;

  account = run_test_start_sandbox (app, 20, 0);
  /* Six calls a day: the run needs ten syncs. */
  limited = push_account_copy (account);
  push_account_set_daily_quota (limited, 6);
  g_assert_true (push_accounts_update_sync (push_application_get_accounts (app), limited, NULL,
                                            NULL, &error));
  g_assert_no_error (error);
  destination = run_test_add_destination (app, push_accounts_find_by_id (
                                            push_application_get_accounts (app),
                                            push_account_get_id (limited)),
                                          "Quota", PUSH_ALERT_NONE);
  path = run_test_write_audience (app, "Big list", &small);

  page = push_run_page_start (PUSH_WINDOW (window), destination, path);

  /* Nothing is sent before the user agrees. */
  push_ui_test_wait_until ((dialog = push_ui_test_find_window (ADW_TYPE_MESSAGE_DIALOG)) != NULL);
  g_assert_null (push_run_page_get_run_id (PUSH_RUN_PAGE (page)));
  g_assert_cmpstr (label_text (page, "state_label"), ==, "Waiting for Confirmation");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                            "more API calls than remain today"));
  push_ui_test_screenshot (dialog, "ui-run-confirm.png");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "send");

  /* Sent until the quota ran out: paused, and the page says until when. */
  push_ui_test_wait_until (push_run_page_get_state (PUSH_RUN_PAGE (page)) ==
                           PUSH_RUN_STATE_PAUSED);
  info = push_run_store_get_run (runs, push_run_page_get_run_id (PUSH_RUN_PAGE (page)), &error);
  g_assert_no_error (error);
  g_assert_cmpint (info->state, ==, PUSH_RUN_STATE_PAUSED);
  g_assert_nonnull (info->quota_reset);
  g_assert_cmpuint (info->counts.members, <, info->total_members);

  message = label_text (page, "message_label");
  g_test_message ("paused: %s", message);
  g_assert_true (g_str_has_prefix (message, "Daily API quota reached. It resets at "));
  g_assert_true (gtk_widget_has_css_class (push_ui_test_get (page, GTK_TYPE_LABEL,
                                                             "message_label"), "warning"));
  resume = push_ui_test_get (page, GTK_TYPE_BUTTON, "resume_button");
  g_assert_true (gtk_widget_get_mapped (resume));
  /* Not before the reset. */
  g_assert_false (gtk_widget_is_sensitive (resume));
  push_ui_test_screenshot (window, "ui-run-page-paused.png");
}

static void
test_over_quota (void)
{
  if (!push_test_require_keyring ())
    return;

  push_ui_test_run_app (run_over_quota, NULL);
}

/* ---- A run left running by a process that died ----------------------------------------- */

static void
check_interrupted (PushApplication *app,
                   gpointer         data)
{
  const char *run_id = data;
  GtkWidget *window = main_window (app);
  g_autoptr(PushRunStore) runs = push_run_store_new (push_application_get_store (app));
  g_autoptr(PushRunInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *page, *resume;

  /* Found at startup. */
  info = push_run_store_get_run (runs, run_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (info->state, ==, PUSH_RUN_STATE_INTERRUPTED);

  gtk_widget_activate_action (window, "win.show-run", "s", run_id);
  page = push_window_get_subpage (PUSH_WINDOW (window));
  g_assert_true (PUSH_IS_RUN_PAGE (page));
  push_ui_test_wait_until (gtk_widget_get_mapped (page));
  g_assert_cmpint (push_run_page_get_state (PUSH_RUN_PAGE (page)), ==,
                   PUSH_RUN_STATE_INTERRUPTED);
  g_assert_cmpstr (label_text (page, "state_label"), ==,
                   push_run_state_get_label (PUSH_RUN_STATE_INTERRUPTED));
  g_assert_true (g_str_has_prefix (label_text (page, "message_label"),
                                   "The application stopped during this run."));
  assert_count_label (page, "created_label", 300);
  resume = push_ui_test_get (page, GTK_TYPE_BUTTON, "resume_button");
  g_assert_true (gtk_widget_get_mapped (resume));
  g_assert_true (gtk_widget_is_sensitive (resume));
  g_assert_cmpfloat_with_epsilon (fraction_of (page), 0.3, 1e-9);
}

static void
test_interrupted (void)
{
  g_autoptr(PushStore) store = NULL;
  g_autoptr(PushRunStore) runs = NULL;
  g_autoptr(PushRunInfo) info = push_run_info_new ();
  g_autoptr(GPtrArray) outcomes = g_ptr_array_new_with_free_func (
                                    (GDestroyNotify) push_outcome_record_free);
  g_autoptr(GError) error = NULL;
  PushRunBatch batch = { 0, 1, 300, 0, 1 };
  PushRunCounts delta = { 0 };

  /* The application's database, as a process that died mid-run left it. */
  store = push_store_open (NULL, &error);
  g_assert_no_error (error);
  runs = push_run_store_new (store);
  info->id = push_run_store_new_id ();
  info->destination_name = g_strdup ("Newsletter");
  info->destination_document = g_strdup ("{}");
  info->audience_path = g_strdup ("/nowhere/Old list.csv");
  info->audience_fingerprint = g_strdup ("v1:10:0:0123456789abcdef0123456789abcdef"
                                         "0123456789abcdef0123456789abcdef");
  info->state = PUSH_RUN_STATE_PENDING;
  info->created = g_date_time_new_now_utc ();
  info->total_members = 1000;
  g_assert_true (push_run_store_create_run (runs, info, &error));
  g_assert_no_error (error);
  g_assert_true (push_run_store_set_state (runs, info->id, PUSH_RUN_STATE_RUNNING, NULL, NULL,
                                           &error));
  g_assert_no_error (error);
  for (guint64 row = 1; row <= 300; row++)
    {
      g_autofree char *email = g_strdup_printf ("person.%" G_GUINT64_FORMAT "@example.com", row);

      g_ptr_array_add (outcomes, push_outcome_record_new (row, email, PUSH_OUTCOME_CREATED));
      push_run_counts_add_outcome (&delta, PUSH_OUTCOME_CREATED);
    }
  g_assert_true (push_run_store_commit_batch (runs, info->id, &batch, outcomes, &delta, &error));
  g_assert_no_error (error);
  g_clear_object (&runs);
  g_clear_object (&store);

  push_ui_test_run_app (check_interrupted, info->id);
}

/* ---- Units that need no run ---------------------------------------------------------- */

static void
test_format (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2024, 3, 5, 1, 48, 0);
  g_autoptr(GDateTime) reset = g_date_time_add_seconds (now, 5 * 3600 + 12 * 60);
  g_autoptr(GDateTime) local_reset = g_date_time_to_local (reset);
  g_autoptr(GDateTime) local_now = g_date_time_to_local (now);
  g_autofree char *time = g_date_time_format (local_reset, "%H:%M");
  g_autofree char *expected = NULL;
  g_autofree char *text = NULL;
  g_autofree char *past = NULL;
  g_autofree char *d = NULL;

  expected = g_strdup_printf ("Daily API quota reached. It resets at %s (in 5 h 12 min).", time);
  text = push_run_format_quota_reset (reset, now);
  /* The day may differ in the local zone: only the same-day form is checked word for word. */
  if (g_date_time_get_day_of_year (local_reset) ==
      g_date_time_get_day_of_year (local_now))
    g_assert_cmpstr (text, ==, expected);
  else
    g_assert_nonnull (strstr (text, "(in 5 h 12 min)."));

  past = push_run_format_quota_reset (now, reset);
  g_assert_true (g_str_has_prefix (past, "Daily API quota reached. It was reset at "));

  d = push_run_format_duration (42);
  g_assert_cmpstr (d, ==, "42 s");
  g_free (d);
  d = push_run_format_duration (130);
  g_assert_cmpstr (d, ==, "2 min 10 s");
  g_free (d);
  d = push_run_format_duration (7200);
  g_assert_cmpstr (d, ==, "2 h");
  g_free (d);
  d = push_run_format_duration (93600 + 60);
  g_assert_cmpstr (d, ==, "1 d 2 h");
  g_free (d);
  d = push_run_format_short_fingerprint ("v1:10:0:"
                                         "0123456789abcdef0123456789abcdef"
                                         "0123456789abcdef0123456789abcdef");
  g_assert_cmpstr (d, ==, "01234567");
  g_free (d);
  d = push_run_format_short_fingerprint ("garbage");
  g_assert_cmpstr (d, ==, "");
}

static void
test_chart (void)
{
  GtkWidget *chart = push_run_chart_new ();
  PushRunCounts counts = { 0 };
  int minimum, natural;

  g_object_ref_sink (chart);
  counts.members = 60;
  counts.created = 30;
  counts.updated = 20;
  counts.set_aside = 4;
  counts.duplicates = 1;
  /* 5 members added to the list (Audience only): the rest of the members. */
  push_run_chart_set_counts (PUSH_RUN_CHART (chart), &counts, 100);
  g_assert_cmpuint (push_run_chart_get_segment (PUSH_RUN_CHART (chart), PUSH_OUTCOME_CREATED),
                    ==, 30);
  g_assert_cmpuint (push_run_chart_get_segment (PUSH_RUN_CHART (chart), PUSH_OUTCOME_ADDED),
                    ==, 5);
  g_assert_cmpuint (push_run_chart_get_remaining (PUSH_RUN_CHART (chart)), ==, 40);
  g_assert_nonnull (strstr (push_run_chart_get_description (PUSH_RUN_CHART (chart)),
                            "Created: 30 (30 %)"));

  /* Narrower means more legend lines, so taller. */
  gtk_widget_measure (chart, GTK_ORIENTATION_VERTICAL, 1000, &minimum, &natural, NULL, NULL);
  {
    int narrow_minimum, narrow_natural;

    gtk_widget_measure (chart, GTK_ORIENTATION_VERTICAL, 150, &narrow_minimum,
                        &narrow_natural, NULL, NULL);
    g_assert_cmpint (narrow_natural, >, natural);
  }

  g_object_unref (chart);
}

int
main (int    argc,
      char **argv)
{
  if (!push_ui_test_init (&argc, &argv))
    return 0;

  g_test_add_func ("/ui/run-page/format", test_format);
  g_test_add_func ("/ui/run-page/chart", test_chart);
  g_test_add_func ("/ui/run-page/cancel-resume", test_cancel_resume);
  g_test_add_func ("/ui/run-page/over-quota", test_over_quota);
  g_test_add_func ("/ui/run-page/interrupted", test_interrupted);

  return g_test_run ();
}
