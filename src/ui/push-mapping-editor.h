/* push-mapping-editor.h: the field-mapping editor of a destination
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "marketo-types.h"
#include "push-mapping.h"

G_BEGIN_DECLS

#define PUSH_TYPE_MAPPING_EDITOR (push_mapping_editor_get_type ())
G_DECLARE_FINAL_TYPE (PushMappingEditor, push_mapping_editor, PUSH, MAPPING_EDITOR, AdwBin)

/* Edits a PushMapping in place: the identity row first (always there: the column holding the
 * dedupe value), then a row per attribute (an audience column → a Marketo field, chosen
 * from the instance's writable fields with their display name, REST name and type).
 * Suggestions for the audience's columns can be applied in one go. */
GtkWidget *push_mapping_editor_new          (void);
void       push_mapping_editor_set_mapping  (PushMappingEditor       *self,
                                             PushMapping             *mapping);
/* (nullable) The instance's fields; copied. */
void       push_mapping_editor_set_schema   (PushMappingEditor       *self,
                                             const MarketoLeadSchema *schema);
/* (nullable) The sample audience's columns (NULL: none chosen, columns are typed). */
void       push_mapping_editor_set_columns  (PushMappingEditor       *self,
                                             const char * const      *columns);
/* The validator's problems (element-type PushProblem) to show: those about a row under it,
 * those about the mapping as a whole (required fields…) under the list. */
void       push_mapping_editor_set_problems (PushMappingEditor       *self,
                                             GPtrArray               *problems);
/* Applies the suggestions shown (what "Apply Suggestions" does); the number applied. */
guint      push_mapping_editor_apply_suggestions (PushMappingEditor  *self);

G_END_DECLS
