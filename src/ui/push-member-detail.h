/* push-member-detail.h: one member of a preview, its values beside Marketo's
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the member chosen in the Preview page's table: its row, dedupe value, predicted outcome,
 * the lead it matches (and the others when several do) and the reason; then, field by field,
 * the value Marketo holds now beside the value the activation would send. A value that would
 * change is highlighted (the "changed" style class on its row's labels, and an icon with a
 * tooltip and an accessible label saying so).
 */
#pragma once

#include <adwaita.h>

#include "push-preview-member.h"

G_BEGIN_DECLS

#define PUSH_TYPE_MEMBER_DETAIL (push_member_detail_get_type ())
G_DECLARE_FINAL_TYPE (PushMemberDetail, push_member_detail, PUSH, MEMBER_DETAIL, GtkWidget)

GtkWidget   *push_member_detail_new            (void);
/* @member (nullable: nothing chosen); @fields: the fields to compare, in order
 * (push_preview_get_detail_fields()). */
void         push_member_detail_set_member     (PushMemberDetail   *self,
                                                PushPreviewMember  *member,
                                                const char * const *fields);
PushPreviewMember *push_member_detail_get_member (PushMemberDetail *self);

/* How many of the fields would change; whether @field would. */
guint        push_member_detail_get_n_changed  (PushMemberDetail   *self);
gboolean     push_member_detail_is_changed     (PushMemberDetail   *self,
                                                const char         *field);
/* The labels of @field's row, for tests: the current value and the value sent. */
GtkWidget   *push_member_detail_get_value_label (PushMemberDetail  *self,
                                                const char         *field,
                                                gboolean            sent);

/* TRUE when @current (Marketo's value) and @sent (the value sent) are the same value: the
 * same text, or the same number however written ("1.50" and 1.5), or the same boolean. */
gboolean     push_member_detail_values_equal   (JsonNode           *current,
                                                JsonNode           *sent);

G_END_DECLS
