/* test-notifications.c: run alerts reaching a notification server on the session bus
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * fake-notifyd.py owns org.freedesktop.Notifications on the session bus (tests/run-headless.sh
 * gives each run a private one) and logs what it receives; GLib's freedesktop backend talks to
 * it like to a desktop's. Real runs go into the application's sandbox:
 *
 *  - a run whose window is closed while it goes on: the application stays alive until the run
 *    ends, shows the progress in a notification, and replaces it with the completion alert;
 *  - a run that fails (a non-retryable fault injected in the sandbox): the failure alert, and
 *    its default action, invoked from the server, opens the run's page.
 */
#include "config.h"

#include <signal.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "push-run-alerts.h"
#include "push-run-page.h"
#include "run-test-utils.h"
#include "test-utils.h"
#include "ui-test-utils.h"

#define NOTIFY_NAME      "org.freedesktop.Notifications"
#define NOTIFY_PATH      "/org/freedesktop/Notifications"
#define TEST_INTERFACE   "io.github.audiencepush.TestNotifications"

static char *system_data_dirs;

typedef struct {
  GSubprocess *process;
  char        *log_path;
} FakeServer;

/* ---- The fake server ------------------------------------------------------------------ */

static char *
name_owner (GDBusConnection *bus)
{
  g_autoptr(GVariant) reply = NULL;
  char *owner = NULL;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "GetNameOwner",
                                       g_variant_new ("(s)", NOTIFY_NAME), G_VARIANT_TYPE ("(s)"),
                                       G_DBUS_CALL_FLAGS_NONE, 1000, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(s)", &owner);

  return owner;
}

static void
fake_server_start (FakeServer *server)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "ui", "fake-notifyd.py", NULL);
  g_autoptr(GVariant) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *owner = NULL;
  const char *name = NULL;
  gint64 deadline;

  g_assert_nonnull (bus);
  owner = name_owner (bus);
  if (owner != NULL)
    g_error ("%s is owned already (%s): the test needs a session of its own", NOTIFY_NAME,
             owner);

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_cache_dir (), 0700), ==, 0);
  server->log_path = g_build_filename (g_get_user_cache_dir (), "notifications.jsonl", NULL);
  g_subprocess_launcher_setenv (launcher, "NOTIFY_LOG", server->log_path, TRUE);
  server->process = g_subprocess_launcher_spawn (launcher, &error, "/usr/bin/python3", script,
                                                 NULL);
  g_assert_no_error (error);

  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while ((owner = name_owner (bus)) == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20000);
    }

  info = g_dbus_connection_call_sync (bus, NOTIFY_NAME, NOTIFY_PATH, NOTIFY_NAME,
                                      "GetServerInformation", NULL,
                                      G_VARIANT_TYPE ("(ssss)"), G_DBUS_CALL_FLAGS_NONE, 5000,
                                      NULL, &error);
  g_assert_no_error (error);
  g_variant_get (info, "(&s&s&s&s)", &name, NULL, NULL, NULL);
  g_assert_cmpstr (name, ==, "fake-notifyd");
}

static void
fake_server_stop (FakeServer *server)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (server->process, SIGTERM);
  g_subprocess_wait_check (server->process, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&server->process);
  g_clear_pointer (&server->log_path, g_free);
}

/* The Notify calls of the application @app_id so far (element-type JsonObject). */
static GPtrArray *
read_notifications (FakeServer *server,
                    const char *app_id)
{
  GPtrArray *found = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (server->log_path, &contents, NULL, NULL))
    return found;

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      JsonObject *entry, *hints;

      if (lines[i][0] == '\0')
        continue;
      json_parser_load_from_data (parser, lines[i], -1, &error);
      g_assert_no_error (error);
      entry = json_node_get_object (json_parser_get_root (parser));
      if (g_strcmp0 (json_object_get_string_member (entry, "method"), "Notify") != 0)
        continue;
      hints = json_object_get_object_member (entry, "hints");
      if (g_strcmp0 (json_object_get_string_member_with_default (hints, "desktop-entry", ""),
                     app_id) != 0)
        continue;
      g_ptr_array_add (found, json_object_ref (entry));
    }

  return found;
}

/* The last notification of @app_id whose summary starts with @prefix, or NULL. */
static JsonObject *
find_notification (FakeServer *server,
                   const char *app_id,
                   const char *prefix)
{
  g_autoptr(GPtrArray) all = read_notifications (server, app_id);

  for (guint i = all->len; i > 0; i--)
    {
      JsonObject *entry = g_ptr_array_index (all, i - 1);

      if (g_str_has_prefix (json_object_get_string_member (entry, "summary"), prefix))
        return json_object_ref (entry);
    }

  return NULL;
}

static gboolean
has_default_action (JsonObject *entry)
{
  JsonArray *actions = json_object_get_array_member (entry, "actions");

  /* Pairs of key and label. */
  for (guint i = 0; i + 1 < json_array_get_length (actions); i += 2)
    {
      if (g_strcmp0 (json_array_get_string_element (actions, i), "default") == 0)
        return TRUE;
    }

  return FALSE;
}

static gint64
urgency_of (JsonObject *entry)
{
  return json_object_get_int_member_with_default (json_object_get_object_member (entry, "hints"),
                                                  "urgency", -1);
}

static void
invoke_action (guint       id,
               const char *key)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_sync (bus, NOTIFY_NAME, NOTIFY_PATH, TEST_INTERFACE,
                                       "InvokeAction", g_variant_new ("(us)", id, key), NULL,
                                       G_DBUS_CALL_FLAGS_NONE, 5000, NULL, &error);
  g_assert_no_error (error);
}

/* ---- A run that goes on after its window closed ---------------------------------------- */

#define UNSEEN_APP_ID APPLICATION_ID ".NotifyTest"

typedef struct {
  PushRunController *controller;   /* (owned) */
  char              *run_id;
  gint64             closed_at;
  gint64             finished_at;
  gboolean           timed_out;
  guint64            members;
} Unseen;

static void
unseen_finished_cb (PushRunController *controller,
                    Unseen            *unseen)
{
  unseen->finished_at = g_get_monotonic_time ();
}

static gboolean
unseen_start_cb (gpointer user_data)
{
  Unseen *unseen = user_data;
  GApplication *application = g_application_get_default ();
  PushApplication *app = PUSH_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  const RunTestAudience audience = { .n_new = 3000 };
  g_autoptr(PushDestination) destination = NULL;
  g_autofree char *path = NULL;
  PushAccount *account;
  GtkWidget *page;

  g_assert_nonnull (window);
  push_ui_test_wait_until (gtk_widget_get_mapped (GTK_WIDGET (window)));

  /* About 0.8 s per call of 300 people, 5 at once: two rounds of calls. */
  account = run_test_start_sandbox (app, 500, 1);
  destination = run_test_add_destination (app, account, "Newsletter", PUSH_ALERT_ALL);
  path = run_test_write_audience (app, "VIP list", &audience);
  unseen->members = 3000;

  page = push_run_page_start (PUSH_WINDOW (window), destination, path);
  unseen->controller = g_object_ref (push_run_page_get_controller (PUSH_RUN_PAGE (page)));
  g_signal_connect (unseen->controller, "finished", G_CALLBACK (unseen_finished_cb), unseen);
  push_ui_test_wait_until (push_run_controller_get_run_id (unseen->controller) != NULL
                           && push_run_controller_get_progress (unseen->controller)->state ==
                              PUSH_RUN_STATE_RUNNING);
  unseen->run_id = g_strdup (push_run_controller_get_run_id (unseen->controller));

  /* The user closes the window while the run goes on. */
  gtk_window_close (window);
  unseen->closed_at = g_get_monotonic_time ();
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (app)));
  g_assert_true (push_run_controller_get_running (unseen->controller));

  return G_SOURCE_REMOVE;
}

static void
unseen_activated_cb (GApplication *application,
                     Unseen       *unseen)
{
  g_idle_add (unseen_start_cb, unseen);
}

static gboolean
watchdog_cb (gpointer user_data)
{
  Unseen *unseen = user_data;

  unseen->timed_out = TRUE;
  g_application_quit (g_application_get_default ());
  return G_SOURCE_REMOVE;
}

static void
check_unseen_run (FakeServer *server)
{
  g_autoptr(PushApplication) app = NULL;
  g_autoptr(PushRunStore) runs = NULL;
  g_autoptr(PushRunInfo) info = NULL;
  g_autoptr(GPtrArray) notifications = NULL;
  g_autoptr(JsonObject) done = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  g_autofree char *count = NULL;
  g_autofree char *created = NULL;
  Unseen unseen = { 0 };
  JsonObject *progress = NULL;
  guint n_progress = 0;
  guint watchdog;
  int status;

  g_setenv ("XDG_DATA_DIRS", system_data_dirs, TRUE);
  app = push_application_new ();
  g_application_set_application_id (G_APPLICATION (app), UNSEEN_APP_ID);
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (app, "activate", G_CALLBACK (unseen_activated_cb), &unseen);
  watchdog = g_timeout_add_seconds (60, watchdog_cb, &unseen);

  /* Returns once nothing holds the application: no window, no run. */
  status = g_application_run (G_APPLICATION (app), 0, NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_false (unseen.timed_out);
  g_source_remove (watchdog);

  /* It lived on after the window closed, until the run was done. */
  g_assert_nonnull (unseen.controller);
  g_assert_true (push_run_controller_get_finished (unseen.controller));
  g_assert_null (push_run_controller_get_error (unseen.controller));
  g_assert_cmpint (unseen.finished_at, >, unseen.closed_at);
  g_test_message ("the run went on %.1f s after the window closed",
                  (unseen.finished_at - unseen.closed_at) / (double) G_USEC_PER_SEC);
  runs = push_run_store_new (push_application_get_store (app));
  info = push_run_store_get_run (runs, unseen.run_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (info->state, ==, PUSH_RUN_STATE_COMPLETED);
  g_assert_cmpuint (info->counts.members, ==, unseen.members);
  g_assert_cmpuint (push_run_controller_get_n_progress_notifications (unseen.controller), >=, 1);

  /* The server got the progress, then the completion under the same id. */
  title = g_strdup ("“VIP list” sent to Marketo");
  push_ui_test_wait_until ((done = find_notification (server, UNSEEN_APP_ID, title)) != NULL);
  notifications = read_notifications (server, UNSEEN_APP_ID);
  for (guint i = 0; i < notifications->len; i++)
    {
      JsonObject *entry = g_ptr_array_index (notifications, i);
      const char *summary = json_object_get_string_member (entry, "summary");

      g_test_message ("notification %" G_GINT64_FORMAT ": %s / %s",
                      json_object_get_int_member (entry, "id"), summary,
                      json_object_get_string_member (entry, "body"));
      if (!g_str_has_prefix (summary, "Sending “VIP list” to Marketo… "))
        continue;
      g_assert_true (g_str_has_suffix (summary, "%"));
      g_assert_true (g_str_has_prefix (json_object_get_string_member (entry, "body"),
                                       "Newsletter: "));
      g_assert_true (has_default_action (entry));
      g_assert_cmpint (urgency_of (entry), ==, 0);
      progress = entry;
      n_progress++;
    }
  g_assert_cmpuint (n_progress, >=, 1);
  /* At most one every few seconds. */
  g_assert_cmpuint (n_progress, <=, 1 + (unseen.finished_at - unseen.closed_at) /
                                        (PUSH_RUN_CONTROLLER_NOTIFY_INTERVAL_S * G_USEC_PER_SEC));

  count = push_run_format_count (info->counts.created);
  created = g_strdup_printf ("Newsletter: %s created.", count);
  g_assert_cmpstr (json_object_get_string_member (done, "body"), ==, created);
  g_assert_true (has_default_action (done));
  g_assert_cmpint (urgency_of (done), ==, 1);
  g_assert_cmpint (json_object_get_int_member (done, "replaces_id"), ==,
                   json_object_get_int_member (progress, "id"));

  g_clear_object (&unseen.controller);
  g_free (unseen.run_id);
}

/* ---- A failed run, and its default action -------------------------------------------- */

static void
failed_run (PushApplication *app,
            gpointer         data)
{
  FakeServer *server = data;
  const char *app_id = g_application_get_application_id (G_APPLICATION (app));
  GtkWidget *window = GTK_WIDGET (gtk_application_get_active_window (GTK_APPLICATION (app)));
  const RunTestAudience audience = { .n_new = 900 };
  g_autoptr(PushDestination) destination = NULL;
  g_autoptr(PushRunStore) runs = push_run_store_new (push_application_get_store (app));
  g_autoptr(PushRunInfo) info = NULL;
  g_autoptr(JsonObject) failed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *run_id = NULL;
  g_autofree char *toast = NULL;
  PushRunController *controller;
  PushAccount *account;
  GtkWidget *page;

  account = run_test_start_sandbox (app, 50, 0);
  destination = run_test_add_destination (app, account, "Weekly digest", PUSH_ALERT_ALL);
  path = run_test_write_audience (app, "Churned", &audience);

  /* Access denied on every Sync Leads: not a fault that a retry cures. */
  g_assert_true (marketo_sandbox_add_fault_spec (push_application_get_sandbox (app),
                                                 "603:100@/rest/v1/leads.json", &error));
  g_assert_no_error (error);

  /* What the destination editor's Activate does, once its checks pass. */
  gtk_widget_activate_action (window, "win.start-run", "(ss)",
                              push_destination_get_id (destination), path);
  page = push_window_get_subpage (PUSH_WINDOW (window));
  g_assert_true (PUSH_IS_RUN_PAGE (page));
  controller = push_run_page_get_controller (PUSH_RUN_PAGE (page));
  g_assert_nonnull (controller);
  push_ui_test_wait_until (push_run_controller_get_finished (controller));
  run_id = g_strdup (push_run_controller_get_run_id (controller));
  g_assert_nonnull (run_id);
  g_assert_cmpint (push_run_page_get_state (PUSH_RUN_PAGE (page)), ==, PUSH_RUN_STATE_FAILED);

  info = push_run_store_get_run (runs, run_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (info->state, ==, PUSH_RUN_STATE_FAILED);

  /* The toast in the window… */
  toast = g_strdup_printf ("Sending “Churned” failed: %s", info->message);
  g_assert_nonnull (push_ui_test_find_label (window, toast));

  /* …and the alert on the server, with its default action. */
  push_ui_test_wait_until ((failed = find_notification (server, app_id,
                                                        "Sending “Churned” failed")) != NULL);
  g_test_message ("failure: %s / %s", json_object_get_string_member (failed, "summary"),
                  json_object_get_string_member (failed, "body"));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (failed, "body"),
                                   "Weekly digest: "));
  g_assert_true (g_str_has_suffix (json_object_get_string_member (failed, "body"),
                                   "the run can be resumed."));
  g_assert_true (has_default_action (failed));
  /* GLib's freedesktop backend says "normal" for a high priority; "critical" is for urgent. */
  g_assert_cmpint (urgency_of (failed), ==, 1);

  /* The user goes elsewhere, then clicks the notification: the run's page opens. */
  push_window_close_subpage (PUSH_WINDOW (window));
  push_ui_test_wait_until (push_window_get_subpage (PUSH_WINDOW (window)) == NULL);
  invoke_action ((guint) json_object_get_int_member (failed, "id"), "default");
  push_ui_test_wait_until (PUSH_IS_RUN_PAGE (push_window_get_subpage (PUSH_WINDOW (window))));
  page = push_window_get_subpage (PUSH_WINDOW (window));
  g_assert_cmpstr (push_run_page_get_run_id (PUSH_RUN_PAGE (page)), ==, run_id);
  g_assert_cmpint (push_run_page_get_state (PUSH_RUN_PAGE (page)), ==, PUSH_RUN_STATE_FAILED);
  push_ui_test_wait_until (gtk_widget_get_mapped (page));
  g_assert_true (gtk_widget_get_mapped (push_ui_test_get (page, GTK_TYPE_BUTTON,
                                                          "resume_button")));
  push_ui_test_screenshot (window, "ui-run-failed.png");
}

static void
test_alerts (void)
{
  FakeServer server = { NULL, NULL };

  if (!push_test_require_keyring ())
    return;

  fake_server_start (&server);
  check_unseen_run (&server);
  push_ui_test_run_app (failed_run, &server);
  fake_server_stop (&server);
}

/* ---- What the alerts say, without a server ------------------------------------------- */

static void
test_alert_kinds (void)
{
  g_autoptr(PushRunInfo) info = push_run_info_new ();
  g_autoptr(PushDestination) destination = push_destination_new ();
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  g_autofree char *id = NULL;
  g_autofree char *name = NULL;

  info->id = g_strdup ("5d1e4c6e-0000-4000-8000-000000000001");
  info->destination_name = g_strdup ("Newsletter");
  info->audience_path = g_strdup ("/data/VIP list.csv");
  info->total_members = 10;
  info->counts.members = 10;
  info->counts.created = 7;
  info->counts.rejected = 3;

  name = push_run_alerts_dup_audience_name (NULL, info->audience_path);
  g_assert_cmpstr (name, ==, "VIP list");
  id = push_run_alerts_dup_notification_id (info->id);
  g_assert_cmpstr (id, ==, "run-5d1e4c6e-0000-4000-8000-000000000001");

  info->state = PUSH_RUN_STATE_RUNNING;
  g_assert_cmpint (push_run_alert_kind_for_run (info), ==, PUSH_RUN_ALERT_NONE);
  info->state = PUSH_RUN_STATE_CANCELLED;
  g_assert_cmpint (push_run_alert_kind_for_run (info), ==, PUSH_RUN_ALERT_NONE);
  info->state = PUSH_RUN_STATE_PAUSED;
  g_assert_cmpint (push_run_alert_kind_for_run (info), ==, PUSH_RUN_ALERT_QUOTA_PAUSE);
  info->state = PUSH_RUN_STATE_FAILED;
  g_assert_cmpint (push_run_alert_kind_for_run (info), ==, PUSH_RUN_ALERT_FAILED);
  info->state = PUSH_RUN_STATE_COMPLETED;
  g_assert_cmpint (push_run_alert_kind_for_run (info), ==,
                   PUSH_RUN_ALERT_COMPLETED_WITH_REJECTIONS);

  push_run_alerts_describe (info, name, PUSH_RUN_ALERT_COMPLETED_WITH_REJECTIONS, &title, &body);
  g_assert_cmpstr (title, ==, "“VIP list” sent, with rejections");
  g_assert_cmpstr (body, ==, "Newsletter: Marketo rejected 3 people. 7 created, 3 rejected.");

  /* Members set aside were not sent either: the same kind as the CLI's exit status 3. */
  info->counts.rejected = 0;
  g_assert_cmpint (push_run_alert_kind_for_run (info), ==, PUSH_RUN_ALERT_COMPLETED);
  info->counts.set_aside = 3;
  g_assert_cmpint (push_run_alert_kind_for_run (info), ==,
                   PUSH_RUN_ALERT_COMPLETED_WITH_REJECTIONS);
  g_clear_pointer (&title, g_free);
  g_clear_pointer (&body, g_free);
  push_run_alerts_describe (info, name, PUSH_RUN_ALERT_COMPLETED_WITH_REJECTIONS, &title, &body);
  g_assert_cmpstr (title, ==, "“VIP list” sent, with members set aside");
  g_assert_cmpstr (body, ==, "Newsletter: 3 members were not sent (problems in their rows). "
                   "7 created, 3 set aside.");
  info->counts.set_aside = 0;
  info->counts.rejected = 3;

  /* The destination's saved document decides; without one, the defaults (no plain
   * completion alert). */
  g_assert_cmpint (push_run_alerts_get_flags (info), ==, push_destination_get_alerts (destination));
  g_assert_false (push_run_alerts_get_flags (info) & PUSH_ALERT_ON_COMPLETION);
  push_destination_set_alerts (destination, PUSH_ALERT_ON_FAILURE);
  info->destination_document = push_destination_export (destination, NULL, NULL);
  g_assert_cmpint (push_run_alerts_get_flags (info), ==, PUSH_ALERT_ON_FAILURE);

  notification = push_run_alerts_build_notification (info, name, PUSH_RUN_ALERT_FAILED);
  g_assert_nonnull (notification);
  g_assert_null (push_run_alerts_build_notification (info, name, PUSH_RUN_ALERT_NONE));
}

int
main (int    argc,
      char **argv)
{
  const char *data_dirs = g_getenv ("XDG_DATA_DIRS");

  /* Before the test setup points them at an empty directory. */
  system_data_dirs = g_strdup (data_dirs != NULL && data_dirs[0] != '\0'
                               ? data_dirs : "/usr/local/share:/usr/share");
  /* The notification server on the bus, whatever else the session has. */
  g_setenv ("GNOTIFICATION_BACKEND", "freedesktop", TRUE);
  g_unsetenv ("GTK_USE_PORTAL");

  if (!push_ui_test_init (&argc, &argv))
    return 0;

  g_test_add_func ("/ui/notifications/alert-kinds", test_alert_kinds);
  g_test_add_func ("/ui/notifications/alerts", test_alerts);

  return g_test_run ();
}
