/* push-audiences-view.h: the Audiences page of the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "push-audiences.h"

G_BEGIN_DECLS

#define PUSH_TYPE_AUDIENCES_VIEW (push_audiences_view_get_type ())
G_DECLARE_FINAL_TYPE (PushAudiencesView, push_audiences_view, PUSH, AUDIENCES_VIEW, AdwBin)

/* Actions: "audiences.add" (a file chooser: CSV, JSON Lines, all files), and with an audience
 * id (s) "audiences.open" and "audiences.remove". */
void push_audiences_view_set_audiences (PushAudiencesView *self,
                                        PushAudiences     *audiences);

G_END_DECLS
