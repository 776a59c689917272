/* push-preview-member.h: one member of a preview, as an item of a GListModel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A read-only object around one PushPrediction (see push-preview-store.h), for list views:
 * the member's row, dedupe value, predicted outcome, matched lead and reason, and the values
 * its detail shows (what would be sent beside what Marketo holds now).
 */
#pragma once

#include <glib-object.h>

#include "push-preview-store.h"

G_BEGIN_DECLS

#define PUSH_TYPE_PREVIEW_MEMBER (push_preview_member_get_type ())
G_DECLARE_FINAL_TYPE (PushPreviewMember, push_preview_member, PUSH, PREVIEW_MEMBER, GObject)

/* Properties (read-only): "row-number" (guint64), "dedupe-value" (string, "" when none),
 * "outcome" (PushOutcome), "outcome-label" (string), "lead-id" (gint64), "lead-text" (the
 * lead id, with the other matches: "1042 (also 1043)"; "" when none), "reason" (string, ""
 * when none). */
PushPreviewMember    *push_preview_member_new              (const PushPrediction *prediction);

const PushPrediction *push_preview_member_get_prediction   (PushPreviewMember    *self);
guint64               push_preview_member_get_row_number   (PushPreviewMember    *self);
const char           *push_preview_member_get_dedupe_value (PushPreviewMember    *self);
PushOutcome           push_preview_member_get_outcome      (PushPreviewMember    *self);
gint64                push_preview_member_get_lead_id      (PushPreviewMember    *self);
const char           *push_preview_member_get_lead_text    (PushPreviewMember    *self);
const char           *push_preview_member_get_reason       (PushPreviewMember    *self);
/* TRUE when the member's row, dedupe value, lead ids or reason contain @text (ASCII case
 * ignored): the search of the preview's table. */
gboolean              push_preview_member_matches_text     (PushPreviewMember    *self,
                                                            const char           *text);

G_END_DECLS
