/* push-mapping-editor-row.h: a row of the field-mapping editor: audience column → Marketo field
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "push-mapping.h"

G_BEGIN_DECLS

#define PUSH_TYPE_MAPPING_EDITOR_ROW (push_mapping_editor_row_get_type ())
G_DECLARE_FINAL_TYPE (PushMappingEditorRow, push_mapping_editor_row, PUSH, MAPPING_EDITOR_ROW,
                      GtkListBoxRow)

/* The row edits @mapping directly: attribute row @index, or the identity row when @index is
 * PUSH_PROBLEM_ROW_IDENTITY (its field is the dedupe field, chosen elsewhere).
 * @columns: a GtkStringList of the audience's columns, "" first (NULL: no sample audience,
 * the column is typed); @fields: a GtkStringList of REST names, "" first; @field_info maps a
 * REST name to its MarketoField (display name, type), for the chooser. */
GtkWidget *push_mapping_editor_row_new          (PushMapping        *mapping,
                                          int                 index,
                                          GtkStringList      *columns,
                                          GtkStringList      *fields,
                                          GHashTable         *field_info);
int        push_mapping_editor_row_get_index    (PushMappingEditorRow     *self);
/* Shows what the mapping holds now. */
void       push_mapping_editor_row_sync         (PushMappingEditorRow     *self);
/* Shows the problems (element-type PushProblem) about this row, under it. */
void       push_mapping_editor_row_set_problems (PushMappingEditorRow     *self,
                                          GPtrArray          *problems);

/* "Email Address (email)", or the REST name alone when @field_info doesn't know it. */
char      *push_mapping_describe_field   (GHashTable         *field_info,
                                          const char         *field);

G_END_DECLS
