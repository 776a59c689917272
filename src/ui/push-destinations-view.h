/* push-destinations-view.h: the Destinations page of the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "push-accounts.h"
#include "push-destinations.h"

G_BEGIN_DECLS

#define PUSH_TYPE_DESTINATIONS_VIEW (push_destinations_view_get_type ())
G_DECLARE_FINAL_TYPE (PushDestinationsView, push_destinations_view, PUSH, DESTINATIONS_VIEW,
                      AdwBin)

/* Actions (for its buttons and row menus): "destinations.add", "destinations.import", and,
 * with a destination id (s), "destinations.edit", "destinations.duplicate",
 * "destinations.export", "destinations.remove" (which asks first). */
void push_destinations_view_set_models  (PushDestinationsView *self,
                                         PushDestinations     *destinations,
                                         PushAccounts         *accounts);

/* What the file choosers' responses do. Import reads @file as an exported destination and
 * adds it (as a copy when that destination exists already; in the editor, unsaved, when its
 * account is not set up here); precise errors go to a dialog. Export writes the document. */
void push_destinations_view_import_file (PushDestinationsView *self,
                                         GFile                *file);
void push_destinations_view_export_file (PushDestinationsView *self,
                                         PushDestination      *destination,
                                         GFile                *file);

G_END_DECLS
