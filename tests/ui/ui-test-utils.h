/* ui-test-utils.h: small helpers for the widget tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "push-application.h"

G_BEGIN_DECLS

/* g_test_init() with isolated XDG directories (so each test has a fresh database), then GTK
 * and libadwaita. Without a display it prints the TAP line "1..0 # SKIP no display" and
 * returns FALSE, except under tests/run-headless.sh, where a missing display is a failure. */
gboolean         push_ui_test_init         (int          *argc,
                                            char       ***argv);

typedef void (*PushUiTestFunc) (PushApplication *app,
                                gpointer         data);

/* Runs the application (g_application_run()) and, once its main window is on screen, calls
 * @func; then closes the windows and lets the application shut down. */
void             push_ui_test_run_app      (PushUiTestFunc   func,
                                            gpointer         data);
/* Adds a test case that is push_ui_test_run_app (@func, @data). */
void             push_ui_test_add          (const char      *path,
                                            PushUiTestFunc   func,
                                            gpointer         data);

/* Runs the main context for @ms milliseconds. */
void             push_ui_test_spin         (guint         ms);

/* Runs the main context until @expr is true; fails the test after 10 seconds. */
#define push_ui_test_wait_until(expr) \
  G_STMT_START { \
    gint64 push_deadline_ = g_get_monotonic_time () + 10 * G_USEC_PER_SEC; \
    while (!(expr)) \
      { \
        if (g_get_monotonic_time () > push_deadline_) \
          g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, \
                               "timed out waiting for: " #expr); \
        push_ui_test_spin (10); \
      } \
  } G_STMT_END

/* The first widget under @root (itself included) of @type whose builder id is @id; either
 * may be left out (G_TYPE_INVALID, NULL). NULL if there is none. */
GtkWidget       *push_ui_test_find         (GtkWidget    *root,
                                            GType         type,
                                            const char   *id);
/* The same, asserting that it exists. */
GtkWidget       *push_ui_test_get          (GtkWidget    *root,
                                            GType         type,
                                            const char   *id);
/* The first GtkLabel under @root showing @text, or NULL. */
GtkWidget       *push_ui_test_find_label   (GtkWidget    *root,
                                            const char   *text);
/* The first GtkButton under @root labelled @label (mnemonic underscores included), or NULL. */
GtkWidget       *push_ui_test_find_button  (GtkWidget    *root,
                                            const char   *label);
/* The first AdwPreferencesRow under @root titled @title, or NULL. */
GtkWidget       *push_ui_test_find_row     (GtkWidget    *root,
                                            const char   *title);
/* The first toplevel window of @type, or NULL. */
GtkWidget       *push_ui_test_find_window  (GType         type);

/* Replaces the text of @editable one character at a time, as typing does. */
void             push_ui_test_type         (GtkWidget    *editable,
                                            const char   *text);
/* Clicks @button, asserting that a user could: it is on screen and sensitive. */
void             push_ui_test_click        (GtkWidget    *button);
/* Scrolls the GtkScrolledWindow around @widget so that @widget is at its top. */
void             push_ui_test_scroll_to    (GtkWidget    *widget);
/* Saves a PNG of @widget in the test log directory. */
void             push_ui_test_screenshot   (GtkWidget    *widget,
                                            const char   *basename);

G_END_DECLS
