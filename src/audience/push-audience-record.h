/* push-audience-record.h: one decoded audience row, as an item of PushAudienceRowModel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "push-audience-reader.h"
#include "push-audience-types.h"

G_BEGIN_DECLS

#define PUSH_TYPE_AUDIENCE_RECORD (push_audience_record_get_type ())
G_DECLARE_FINAL_TYPE (PushAudienceRecord, push_audience_record, PUSH, AUDIENCE_RECORD, GObject)

/* A copy of @row (one allocation for all its text). Properties (read-only): "number",
 * "line", "problem". */
PushAudienceRecord      *push_audience_record_new_from_row   (const PushAudienceRow *row);
/* A row that could not be read back (the file went away): no values, no problem. */
PushAudienceRecord      *push_audience_record_new_empty      (guint64                number,
                                                              guint                  n_values);

guint64                  push_audience_record_get_number     (PushAudienceRecord    *self);
guint64                  push_audience_record_get_line       (PushAudienceRecord    *self);
goffset                  push_audience_record_get_offset     (PushAudienceRecord    *self);
PushAudienceProblemKind  push_audience_record_get_problem    (PushAudienceRecord    *self);
guint                    push_audience_record_get_n_values   (PushAudienceRecord    *self);
/* The text in @column ("" when the value is not text); NULL when @column is out of range. */
const char              *push_audience_record_get_value      (PushAudienceRecord    *self,
                                                              guint                  column);
PushAudienceValueKind    push_audience_record_get_value_kind (PushAudienceRecord    *self,
                                                              guint                  column);

G_END_DECLS
