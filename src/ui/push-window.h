/* push-window.h: the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "push-application.h"
#include "push-audiences.h"
#include "push-destination.h"

G_BEGIN_DECLS

#define PUSH_TYPE_WINDOW (push_window_get_type ())
G_DECLARE_FINAL_TYPE (PushWindow, push_window, PUSH, WINDOW, AdwApplicationWindow)

PushWindow *push_window_new                (PushApplication   *application);
/* Shows @message (plain text) in a toast. */
void        push_window_add_toast          (PushWindow        *self,
                                            const char        *message);
/* Shows @name ("destinations", "audiences" or "accounts") of the overview. */
void        push_window_show_page          (PushWindow        *self,
                                            const char        *name);

/* Slides @page (a widget with a "closed" signal: PushDestinationEditor, PushAudiencePage) in
 * over the overview, replacing any other; it slides out when it emits "closed". */
void        push_window_show_subpage       (PushWindow        *self,
                                            GtkWidget         *page);
void        push_window_close_subpage      (PushWindow        *self);
/* (nullable) The page shown over the overview. */
GtkWidget  *push_window_get_subpage        (PushWindow        *self);

/* Opens the destination editor on a copy of @destination; with @is_new, saving adds it
 * (a new, imported or duplicated destination), else it updates the saved one. @destination
 * NULL: a new destination with the defaults. Returns the editor. */
GtkWidget  *push_window_edit_destination   (PushWindow        *self,
                                            PushDestination   *destination,
                                            gboolean           is_new);
/* Opens the page of an audience of the list. Returns it. */
GtkWidget  *push_window_open_audience      (PushWindow        *self,
                                            PushAudienceEntry *entry);
/* What choosing a file in "Add Audience" does: adds @file to the audiences (or finds it
 * there) and opens its page. NULL, with a toast saying why, when it can't be added. */
GtkWidget  *push_window_add_audience_file  (PushWindow        *self,
                                            GFile             *file);

G_END_DECLS
