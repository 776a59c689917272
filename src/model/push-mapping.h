/* push-mapping.h: which audience column goes to which Marketo field
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A mapping has one identity row, always present (the audience column that holds the dedupe
 * value -> the destination's dedupe field), and any number of attribute rows (column ->
 * field, fields by REST name). Rows are plain data: the mapping does not judge them;
 * PushValidator does. Every change emits "changed" once.
 */
#pragma once

#include <glib-object.h>

#include "marketo-types.h"

G_BEGIN_DECLS

/**
 * PushMappingRow:
 * @column: the audience column ("" while not chosen)
 * @field: the Marketo field's REST name ("" while not chosen)
 */
typedef struct {
  char *column;
  char *field;
} PushMappingRow;

/**
 * PushMappingSuggestion:
 * @column: an audience column
 * @field: the Marketo field (REST name) it looks like
 * @identity: TRUE when this suggests the column of the identity row (@field is then the dedupe
 *   field); FALSE for an attribute row
 */
typedef struct {
  char     *column;
  char     *field;
  gboolean  identity;
} PushMappingSuggestion;

#define PUSH_TYPE_MAPPING_SUGGESTION (push_mapping_suggestion_get_type ())
GType                  push_mapping_suggestion_get_type (void) G_GNUC_CONST;
PushMappingSuggestion *push_mapping_suggestion_new      (const char                  *column,
                                                         const char                  *field,
                                                         gboolean                     identity);
PushMappingSuggestion *push_mapping_suggestion_copy     (const PushMappingSuggestion *suggestion);
void                   push_mapping_suggestion_free     (PushMappingSuggestion       *suggestion);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PushMappingSuggestion, push_mapping_suggestion_free)

#define PUSH_TYPE_MAPPING (push_mapping_get_type ())
G_DECLARE_FINAL_TYPE (PushMapping, push_mapping, PUSH, MAPPING, GObject)

/* Properties: "identity-column", "identity-field" (strings, never NULL: "" when unset),
 * "n-rows" (read-only). Signal: "changed" (no arguments) after any change. */
PushMapping          *push_mapping_new                 (void);
/* A deep copy (no signal connections). */
PushMapping          *push_mapping_copy                (PushMapping        *self);
/* Makes @self hold what @other holds (one "changed" when anything differed). */
void                  push_mapping_assign              (PushMapping        *self,
                                                        PushMapping        *other);
gboolean              push_mapping_equal               (PushMapping        *a,
                                                        PushMapping        *b);

const char           *push_mapping_get_identity_column (PushMapping        *self);
void                  push_mapping_set_identity_column (PushMapping        *self,
                                                        const char         *column);
const char           *push_mapping_get_identity_field  (PushMapping        *self);
void                  push_mapping_set_identity_field  (PushMapping        *self,
                                                        const char         *field);

/* Attribute rows, in order. */
guint                 push_mapping_get_n_rows          (PushMapping        *self);
/* Owned by the mapping, valid until the next change. */
const PushMappingRow *push_mapping_get_row             (PushMapping        *self,
                                                        guint               index);
/* NULL is taken as "". Returns the index of the new row. */
guint                 push_mapping_add_row             (PushMapping        *self,
                                                        const char         *column,
                                                        const char         *field);
void                  push_mapping_set_row             (PushMapping        *self,
                                                        guint               index,
                                                        const char         *column,
                                                        const char         *field);
void                  push_mapping_remove_row          (PushMapping        *self,
                                                        guint               index);
void                  push_mapping_clear_rows          (PushMapping        *self);
/* The index of the first attribute row targeting @field / reading @column, or -1. */
int                   push_mapping_find_field          (PushMapping        *self,
                                                        const char         *field);
int                   push_mapping_find_column         (PushMapping        *self,
                                                        const char         *column);
/* TRUE when @field gets a value: it is the identity field with a column chosen, or an
 * attribute row maps a column to it. */
gboolean              push_mapping_maps_field          (PushMapping        *self,
                                                        const char         *field);
/* The distinct non-empty columns read (identity first, then rows in order; with
 * @include_attributes FALSE only the identity's). */
GStrv                 push_mapping_dup_columns         (PushMapping        *self,
                                                        gboolean            include_attributes);

/* Suggestions for the columns of an audience (element-type PushMappingSuggestion), in
 * column order. Column names are compared after normalising case, spaces, underscores, dashes
 * and dots ("E-mail", "email_address", "Email Address" -> email; "First Name", "given name"
 * -> firstName; surname -> lastName; company, phone, city, country, postal/zip code, job
 * title, …), then against the schema's REST names and display names. With @schema (nullable)
 * only writable fields that exist are suggested. Nothing is suggested for a column or a
 * field the mapping already uses, and each field at most once; a column that matches the
 * identity field is suggested for the identity row when that row has no column yet. */
GPtrArray            *push_mapping_suggest             (PushMapping              *self,
                                                        const char * const       *columns,
                                                        const MarketoLeadSchema  *schema);
/* The field a column name looks like (the same rules), or NULL; the string belongs to
 * @schema or is static. */
const char           *push_mapping_suggest_field       (const char               *column,
                                                        const MarketoLeadSchema  *schema);
/* Applies the suggestions the user accepted: identity ones set the identity column, the
 * others add rows (skipping any whose field is already mapped). One "changed". */
void                  push_mapping_apply_suggestions   (PushMapping              *self,
                                                        GPtrArray                *suggestions);

/* "First-Name" -> "firstname": the normal form used for matching names. */
char                 *push_mapping_normalize_name      (const char               *name);

G_END_DECLS
