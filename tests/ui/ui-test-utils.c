/* ui-test-utils.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>

#include "test-utils.h"
#include "ui-test-utils.h"

/* System data directories (icons, MIME types, GTK's schemas) as they were before
 * G_TEST_OPTION_ISOLATE_DIRS pointed them at an empty directory. */
static char *system_data_dirs;

gboolean
push_ui_test_init (int    *argc,
                   char ***argv)
{
  const char *data_dirs = g_getenv ("XDG_DATA_DIRS");

  system_data_dirs = g_strdup (data_dirs != NULL && data_dirs[0] != '\0'
                               ? data_dirs : "/usr/local/share:/usr/share");

  /* GTK first, so that it starts up in the real environment. */
  if (!gtk_init_check ())
    {
      if (push_test_is_headless_run ())
        g_error ("no display in a headless run (tests/run-headless.sh starts Xvfb)");

      printf ("1..0 # SKIP no display\n");
      return FALSE;
    }
  adw_init ();

  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  return TRUE;
}

typedef struct {
  PushApplication *app;
  PushUiTestFunc   func;
  gpointer         data;
  gboolean         ran;
} TestRun;

static gboolean
run_test_cb (gpointer user_data)
{
  TestRun *run = user_data;
  PushApplication *app = run->app;
  GtkWindow *window;
  GList *windows;

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_nonnull (window);
  push_ui_test_wait_until (gtk_widget_get_mapped (GTK_WIDGET (window)));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  run->func (app, run->data);
  run->ran = TRUE;

  while ((windows = gtk_application_get_windows (GTK_APPLICATION (app))) != NULL)
    gtk_window_destroy (windows->data);
  g_application_quit (G_APPLICATION (app));

  return G_SOURCE_REMOVE;
}

static void
activated_cb (PushApplication *app,
              TestRun         *run)
{
  g_idle_add (run_test_cb, run);
}

void
push_ui_test_run_app (PushUiTestFunc func,
                      gpointer       data)
{
  static guint n_apps = 0;
  TestRun run = { NULL, func, data, FALSE };
  g_autofree char *id = NULL;
  PushApplication *app;
  int status;

  /* Each test has its own (empty) user directories, hence a fresh database; the system
   * directories only hold what is installed, so they stay. */
  g_setenv ("XDG_DATA_DIRS", system_data_dirs, TRUE);

  /* A new id for each: nothing may be left of the previous one on the bus. */
  id = g_strdup_printf ("%s.Test%u", APPLICATION_ID, ++n_apps);
  run.app = app = push_application_new ();
  g_application_set_application_id (G_APPLICATION (app), id);
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (app, "activate", G_CALLBACK (activated_cb), &run);

  status = g_application_run (G_APPLICATION (app), 0, NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (run.ran);

  g_object_unref (app);
}

typedef struct {
  PushUiTestFunc func;
  gpointer       data;
} TestCase;

static void
run_test_case (gconstpointer data)
{
  const TestCase *test = data;

  push_ui_test_run_app (test->func, test->data);
}

void
push_ui_test_add (const char     *path,
                  PushUiTestFunc  func,
                  gpointer        data)
{
  TestCase *test = g_new0 (TestCase, 1);

  test->func = func;
  test->data = data;
  g_test_add_data_func_full (path, test, run_test_case, g_free);
}

void
push_ui_test_spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  do
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  while (g_get_monotonic_time () < end);
}

typedef gboolean (*WidgetMatch) (GtkWidget *widget, gconstpointer data);

static GtkWidget *
find_widget (GtkWidget     *root,
             WidgetMatch    match,
             gconstpointer  data)
{
  if (match (root, data))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, match, data);

      if (found != NULL)
        return found;
    }

  return NULL;
}

typedef struct {
  GType       type;
  const char *id;
} TypeAndId;

static gboolean
has_type_and_id (GtkWidget     *widget,
                 gconstpointer  data)
{
  const TypeAndId *wanted = data;

  if (wanted->type != G_TYPE_INVALID && !G_TYPE_CHECK_INSTANCE_TYPE (widget, wanted->type))
    return FALSE;

  return wanted->id == NULL
         || g_strcmp0 (gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget)), wanted->id) == 0;
}

static gboolean
shows_text (GtkWidget     *widget,
            gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

static gboolean
has_label (GtkWidget     *widget,
           gconstpointer  label)
{
  return GTK_IS_BUTTON (widget)
         && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

static gboolean
has_title (GtkWidget     *widget,
           gconstpointer  title)
{
  return ADW_IS_PREFERENCES_ROW (widget)
         && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

GtkWidget *
push_ui_test_find (GtkWidget  *root,
                   GType       type,
                   const char *id)
{
  TypeAndId wanted = { type, id };

  return find_widget (root, has_type_and_id, &wanted);
}

GtkWidget *
push_ui_test_get (GtkWidget  *root,
                  GType       type,
                  const char *id)
{
  GtkWidget *widget = push_ui_test_find (root, type, id);

  if (widget == NULL)
    g_error ("no %s with id “%s” under %s", g_type_name (type), id ? id : "(any)",
             G_OBJECT_TYPE_NAME (root));

  return widget;
}

GtkWidget *
push_ui_test_find_label (GtkWidget  *root,
                         const char *text)
{
  return find_widget (root, shows_text, text);
}

GtkWidget *
push_ui_test_find_button (GtkWidget  *root,
                          const char *label)
{
  return find_widget (root, has_label, label);
}

GtkWidget *
push_ui_test_find_row (GtkWidget  *root,
                       const char *title)
{
  return find_widget (root, has_title, title);
}

GtkWidget *
push_ui_test_find_window (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return window;
    }

  return NULL;
}

void
push_ui_test_type (GtkWidget  *editable,
                   const char *text)
{
  g_assert_true (GTK_IS_EDITABLE (editable));

  gtk_editable_delete_text (GTK_EDITABLE (editable), 0, -1);
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      int position = -1;

      gtk_editable_insert_text (GTK_EDITABLE (editable), p, g_utf8_next_char (p) - p, &position);
      g_main_context_iteration (NULL, FALSE);
    }
}

void
push_ui_test_click (GtkWidget *button)
{
  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_true (gtk_widget_get_mapped (button));
  g_assert_true (gtk_widget_is_sensitive (button));

  g_signal_emit_by_name (button, "clicked");
}

void
push_ui_test_scroll_to (GtkWidget *widget)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment;
  graphene_point_t point;

  g_assert_nonnull (scrolled);
  g_assert_true (gtk_widget_compute_point (widget,
                                           gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled)),
                                           &GRAPHENE_POINT_INIT (0, 0), &point));

  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  gtk_adjustment_set_value (adjustment, point.y - 12);
  gtk_test_widget_wait_for_draw (scrolled);
}

void
push_ui_test_screenshot (GtkWidget  *widget,
                         const char *basename)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = push_test_log_path (basename);
  GtkSnapshot *snapshot;
  int width, height;

  /* Let transitions and revealers finish. */
  push_ui_test_spin (600);
  gtk_test_widget_wait_for_draw (widget);

  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);

  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}
