/* push-destination-editor.h: adds or edits a destination, with live validation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "push-application.h"
#include "push-destination.h"

G_BEGIN_DECLS

#define PUSH_TYPE_DESTINATION_EDITOR (push_destination_editor_get_type ())
G_DECLARE_FINAL_TYPE (PushDestinationEditor, push_destination_editor, PUSH, DESTINATION_EDITOR,
                      AdwBin)

/* Edits a copy of @destination (NULL: a new one with the defaults and the first account).
 * With @is_new, Save adds it to the application's destinations; else it updates the saved
 * one. Everything is checked by PushValidator as the user edits: problems show on the rows
 * they concern and in a list at the top. The instance's fields, partitions and lists come
 * from the cache (fetched again on Refresh, or when the cache is missing or a day old), so
 * the form also opens offline.
 *
 * The Audience row chooses the audience this destination checks, previews and sends.
 * The header's Activate button has the action "win.activate-destination", installed on this
 * widget and enabled only while no error stands (the data-privacy acknowledgement
 * included): it runs the pre-flight check, reports it and, when it passed and an audience is
 * chosen, offers Preview ("win.preview-destination") and Activate ("win.start-run"), with
 * the saved destination's id and the audience's path; edits not saved yet are saved first,
 * as Save does. The header's Preview button ("editor.preview") opens the Preview at once: it
 * writes nothing to Marketo, so it needs no privacy acknowledgement, only no other error and
 * an audience.
 * Signals: "saved" (PushDestination *: as saved), "closed" (the user went back). */
GtkWidget       *push_destination_editor_new             (PushApplication       *app,
                                                          PushDestination       *destination,
                                                          gboolean               is_new);
/* The destination as edited so far (owned by the editor; edit it only through the form). */
PushDestination *push_destination_editor_get_destination (PushDestinationEditor *self);
gboolean         push_destination_editor_get_is_new      (PushDestinationEditor *self);
/* What the form shows now (element-type PushProblem), sorted; NULL before any check. */
GPtrArray       *push_destination_editor_get_problems    (PushDestinationEditor *self);
/* TRUE while the instance data is being fetched, or a sample audience scanned. */
gboolean         push_destination_editor_get_busy        (PushDestinationEditor *self);

G_END_DECLS
