/* push-audience-page.h: one audience file: its shape, its problems and its rows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "push-audience.h"
#include "push-audiences.h"

G_BEGIN_DECLS

#define PUSH_TYPE_AUDIENCE_PAGE (push_audience_page_get_type ())
G_DECLARE_FINAL_TYPE (PushAudiencePage, push_audience_page, PUSH, AUDIENCE_PAGE, AdwBin)

/* Reads @entry's file at once, in a worker thread (a spinner and a progress bar meanwhile),
 * then shows the row count, the columns, the format and delimiter (which the user may
 * override: that reads it again), the problems found, and every row in a table that reads
 * the file lazily. The row count and fingerprint found go back to @audiences.
 * Signal "closed": the user went back. */
GtkWidget            *push_audience_page_new       (PushAudiences     *audiences,
                                                    PushAudienceEntry *entry);
PushAudienceEntry    *push_audience_page_get_entry (PushAudiencePage  *self);
/* (nullable) The rows, once read. */
PushAudienceRowModel *push_audience_page_get_model (PushAudiencePage  *self);

G_END_DECLS
