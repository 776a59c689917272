/* push-mapping.c: which audience column goes to which Marketo field
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "push-mapping.h"

struct _PushMapping
{
  GObject parent_instance;

  char   *identity_column;  /* (owned) never NULL */
  char   *identity_field;   /* (owned) never NULL */
  GArray *rows;             /* (owned) (element-type PushMappingRow) */
};

G_DEFINE_FINAL_TYPE (PushMapping, push_mapping, G_TYPE_OBJECT)
G_DEFINE_BOXED_TYPE (PushMappingSuggestion, push_mapping_suggestion,
                     push_mapping_suggestion_copy, push_mapping_suggestion_free)

enum {
  PROP_0,
  PROP_IDENTITY_COLUMN,
  PROP_IDENTITY_FIELD,
  PROP_N_ROWS,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Normalised column names -> the standard lead field they name. Matching happens after
 * push_mapping_normalize_name(), so "E-mail", "Email Address" and "email_address" all hit. */
static const struct {
  const char *name;
  const char *field;
} synonyms[] = {
  { "email", "email" }, { "emailaddress", "email" }, { "mail", "email" },
  { "emailaddr", "email" }, { "mailaddress", "email" },
  { "firstname", "firstName" }, { "givenname", "firstName" }, { "forename", "firstName" },
  { "fname", "firstName" }, { "first", "firstName" },
  { "lastname", "lastName" }, { "surname", "lastName" }, { "familyname", "lastName" },
  { "lname", "lastName" }, { "last", "lastName" },
  { "middlename", "middleName" },
  { "company", "company" }, { "companyname", "company" }, { "organisation", "company" },
  { "organization", "company" }, { "employer", "company" },
  { "phone", "phone" }, { "phonenumber", "phone" }, { "telephone", "phone" },
  { "telephonenumber", "phone" }, { "tel", "phone" }, { "workphone", "phone" },
  { "mobile", "mobilePhone" }, { "mobilephone", "mobilePhone" },
  { "mobilenumber", "mobilePhone" }, { "cellphone", "mobilePhone" }, { "cell", "mobilePhone" },
  { "city", "city" }, { "town", "city" },
  { "country", "country" }, { "countryname", "country" },
  { "postalcode", "postalCode" }, { "postcode", "postalCode" }, { "zip", "postalCode" },
  { "zipcode", "postalCode" }, { "postal", "postalCode" },
  { "state", "state" }, { "province", "state" }, { "stateprovince", "state" },
  { "region", "state" },
  { "title", "title" }, { "jobtitle", "title" }, { "position", "title" },
  { "address", "address" }, { "street", "address" }, { "streetaddress", "address" },
  { "website", "website" }, { "homepage", "website" },
  { "salutation", "salutation" },
  { "industry", "industry" },
  { "dateofbirth", "dateOfBirth" }, { "birthdate", "dateOfBirth" },
  { "birthday", "dateOfBirth" }, { "dob", "dateOfBirth" },
};

PushMappingSuggestion *
push_mapping_suggestion_new (const char *column,
                             const char *field,
                             gboolean    identity)
{
  PushMappingSuggestion *suggestion = g_new0 (PushMappingSuggestion, 1);

  suggestion->column = g_strdup (column);
  suggestion->field = g_strdup (field);
  suggestion->identity = !!identity;
  return suggestion;
}

PushMappingSuggestion *
push_mapping_suggestion_copy (const PushMappingSuggestion *suggestion)
{
  g_return_val_if_fail (suggestion != NULL, NULL);

  return push_mapping_suggestion_new (suggestion->column, suggestion->field,
                                      suggestion->identity);
}

void
push_mapping_suggestion_free (PushMappingSuggestion *suggestion)
{
  if (suggestion == NULL)
    return;
  g_free (suggestion->column);
  g_free (suggestion->field);
  g_free (suggestion);
}

static void
clear_row (gpointer data)
{
  PushMappingRow *row = data;

  g_clear_pointer (&row->column, g_free);
  g_clear_pointer (&row->field, g_free);
}

static char *
dup_or_empty (const char *value)
{
  return g_strdup (value != NULL ? value : "");
}

static void
emit_changed (PushMapping *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static gboolean
replace_string (char       **slot,
                const char  *value)
{
  if (value == NULL)
    value = "";
  if (g_strcmp0 (*slot, value) == 0)
    return FALSE;
  g_free (*slot);
  *slot = g_strdup (value);
  return TRUE;
}

static void
push_mapping_finalize (GObject *object)
{
  PushMapping *self = (PushMapping *) object;

  g_clear_pointer (&self->identity_column, g_free);
  g_clear_pointer (&self->identity_field, g_free);
  g_clear_pointer (&self->rows, g_array_unref);

  G_OBJECT_CLASS (push_mapping_parent_class)->finalize (object);
}

static void
push_mapping_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  PushMapping *self = PUSH_MAPPING (object);

  switch (prop_id)
    {
    case PROP_IDENTITY_COLUMN:
      g_value_set_string (value, self->identity_column);
      break;
    case PROP_IDENTITY_FIELD:
      g_value_set_string (value, self->identity_field);
      break;
    case PROP_N_ROWS:
      g_value_set_uint (value, self->rows->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
push_mapping_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  PushMapping *self = PUSH_MAPPING (object);

  switch (prop_id)
    {
    case PROP_IDENTITY_COLUMN:
      push_mapping_set_identity_column (self, g_value_get_string (value));
      break;
    case PROP_IDENTITY_FIELD:
      push_mapping_set_identity_field (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
push_mapping_class_init (PushMappingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = push_mapping_finalize;
  object_class->get_property = push_mapping_get_property;
  object_class->set_property = push_mapping_set_property;

  properties[PROP_IDENTITY_COLUMN] =
    g_param_spec_string ("identity-column", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_IDENTITY_FIELD] =
    g_param_spec_string ("identity-field", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_ROWS] =
    g_param_spec_uint ("n-rows", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PushMapping::changed:
   *
   * Emitted once after any change of the identity row or the attribute rows.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
push_mapping_init (PushMapping *self)
{
  self->identity_column = g_strdup ("");
  self->identity_field = g_strdup ("");
  self->rows = g_array_new (FALSE, TRUE, sizeof (PushMappingRow));
  g_array_set_clear_func (self->rows, clear_row);
}

PushMapping *
push_mapping_new (void)
{
  return g_object_new (PUSH_TYPE_MAPPING, NULL);
}

PushMapping *
push_mapping_copy (PushMapping *self)
{
  PushMapping *copy;

  g_return_val_if_fail (PUSH_IS_MAPPING (self), NULL);

  copy = push_mapping_new ();
  g_free (copy->identity_column);
  copy->identity_column = g_strdup (self->identity_column);
  g_free (copy->identity_field);
  copy->identity_field = g_strdup (self->identity_field);
  for (guint i = 0; i < self->rows->len; i++)
    {
      const PushMappingRow *row = &g_array_index (self->rows, PushMappingRow, i);
      PushMappingRow dup = { g_strdup (row->column), g_strdup (row->field) };

      g_array_append_val (copy->rows, dup);
    }
  return copy;
}

gboolean
push_mapping_equal (PushMapping *a,
                    PushMapping *b)
{
  g_return_val_if_fail (PUSH_IS_MAPPING (a), FALSE);
  g_return_val_if_fail (PUSH_IS_MAPPING (b), FALSE);

  if (!g_str_equal (a->identity_column, b->identity_column) ||
      !g_str_equal (a->identity_field, b->identity_field) ||
      a->rows->len != b->rows->len)
    return FALSE;

  for (guint i = 0; i < a->rows->len; i++)
    {
      const PushMappingRow *ra = &g_array_index (a->rows, PushMappingRow, i);
      const PushMappingRow *rb = &g_array_index (b->rows, PushMappingRow, i);

      if (!g_str_equal (ra->column, rb->column) || !g_str_equal (ra->field, rb->field))
        return FALSE;
    }
  return TRUE;
}

void
push_mapping_assign (PushMapping *self,
                     PushMapping *other)
{
  gboolean column_changed, field_changed;
  guint old_n_rows;

  g_return_if_fail (PUSH_IS_MAPPING (self));
  g_return_if_fail (PUSH_IS_MAPPING (other));

  if (self == other || push_mapping_equal (self, other))
    return;

  old_n_rows = self->rows->len;
  column_changed = replace_string (&self->identity_column, other->identity_column);
  field_changed = replace_string (&self->identity_field, other->identity_field);
  g_array_set_size (self->rows, 0);
  for (guint i = 0; i < other->rows->len; i++)
    {
      const PushMappingRow *row = &g_array_index (other->rows, PushMappingRow, i);
      PushMappingRow dup = { g_strdup (row->column), g_strdup (row->field) };

      g_array_append_val (self->rows, dup);
    }

  g_object_freeze_notify (G_OBJECT (self));
  if (column_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDENTITY_COLUMN]);
  if (field_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDENTITY_FIELD]);
  if (old_n_rows != self->rows->len)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ROWS]);
  g_object_thaw_notify (G_OBJECT (self));
  emit_changed (self);
}

const char *
push_mapping_get_identity_column (PushMapping *self)
{
  g_return_val_if_fail (PUSH_IS_MAPPING (self), NULL);

  return self->identity_column;
}

void
push_mapping_set_identity_column (PushMapping *self,
                                  const char  *column)
{
  g_return_if_fail (PUSH_IS_MAPPING (self));

  if (replace_string (&self->identity_column, column))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDENTITY_COLUMN]);
      emit_changed (self);
    }
}

const char *
push_mapping_get_identity_field (PushMapping *self)
{
  g_return_val_if_fail (PUSH_IS_MAPPING (self), NULL);

  return self->identity_field;
}

void
push_mapping_set_identity_field (PushMapping *self,
                                 const char  *field)
{
  g_return_if_fail (PUSH_IS_MAPPING (self));

  if (replace_string (&self->identity_field, field))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDENTITY_FIELD]);
      emit_changed (self);
    }
}

guint
push_mapping_get_n_rows (PushMapping *self)
{
  g_return_val_if_fail (PUSH_IS_MAPPING (self), 0);

  return self->rows->len;
}

const PushMappingRow *
push_mapping_get_row (PushMapping *self,
                      guint        index)
{
  g_return_val_if_fail (PUSH_IS_MAPPING (self), NULL);
  g_return_val_if_fail (index < self->rows->len, NULL);

  return &g_array_index (self->rows, PushMappingRow, index);
}

guint
push_mapping_add_row (PushMapping *self,
                      const char  *column,
                      const char  *field)
{
  PushMappingRow row;

  g_return_val_if_fail (PUSH_IS_MAPPING (self), 0);

  row.column = dup_or_empty (column);
  row.field = dup_or_empty (field);
  g_array_append_val (self->rows, row);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ROWS]);
  emit_changed (self);
  return self->rows->len - 1;
}

void
push_mapping_set_row (PushMapping *self,
                      guint        index,
                      const char  *column,
                      const char  *field)
{
  PushMappingRow *row;
  gboolean changed;

  g_return_if_fail (PUSH_IS_MAPPING (self));
  g_return_if_fail (index < self->rows->len);

  row = &g_array_index (self->rows, PushMappingRow, index);
  changed = replace_string (&row->column, column);
  changed = replace_string (&row->field, field) || changed;
  if (changed)
    emit_changed (self);
}

void
push_mapping_remove_row (PushMapping *self,
                         guint        index)
{
  g_return_if_fail (PUSH_IS_MAPPING (self));
  g_return_if_fail (index < self->rows->len);

  g_array_remove_index (self->rows, index);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ROWS]);
  emit_changed (self);
}

void
push_mapping_clear_rows (PushMapping *self)
{
  g_return_if_fail (PUSH_IS_MAPPING (self));

  if (self->rows->len == 0)
    return;
  g_array_set_size (self->rows, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ROWS]);
  emit_changed (self);
}

int
push_mapping_find_field (PushMapping *self,
                         const char  *field)
{
  g_return_val_if_fail (PUSH_IS_MAPPING (self), -1);

  if (field == NULL || *field == '\0')
    return -1;
  for (guint i = 0; i < self->rows->len; i++)
    if (g_str_equal (g_array_index (self->rows, PushMappingRow, i).field, field))
      return (int) i;
  return -1;
}

int
push_mapping_find_column (PushMapping *self,
                          const char  *column)
{
  g_return_val_if_fail (PUSH_IS_MAPPING (self), -1);

  if (column == NULL || *column == '\0')
    return -1;
  for (guint i = 0; i < self->rows->len; i++)
    if (g_str_equal (g_array_index (self->rows, PushMappingRow, i).column, column))
      return (int) i;
  return -1;
}

gboolean
push_mapping_maps_field (PushMapping *self,
                         const char  *field)
{
  g_return_val_if_fail (PUSH_IS_MAPPING (self), FALSE);

  if (field == NULL || *field == '\0')
    return FALSE;
  if (g_str_equal (self->identity_field, field) && *self->identity_column != '\0')
    return TRUE;
  for (guint i = 0; i < self->rows->len; i++)
    {
      const PushMappingRow *row = &g_array_index (self->rows, PushMappingRow, i);

      if (g_str_equal (row->field, field) && *row->column != '\0')
        return TRUE;
    }
  return FALSE;
}

static void
add_unique (GPtrArray  *columns,
            const char *column)
{
  if (*column == '\0')
    return;
  for (guint i = 0; i < columns->len; i++)
    if (g_str_equal (g_ptr_array_index (columns, i), column))
      return;
  g_ptr_array_add (columns, g_strdup (column));
}

GStrv
push_mapping_dup_columns (PushMapping *self,
                          gboolean     include_attributes)
{
  GPtrArray *columns;

  g_return_val_if_fail (PUSH_IS_MAPPING (self), NULL);

  columns = g_ptr_array_new ();
  add_unique (columns, self->identity_column);
  for (guint i = 0; include_attributes && i < self->rows->len; i++)
    add_unique (columns, g_array_index (self->rows, PushMappingRow, i).column);
  g_ptr_array_add (columns, NULL);
  return (GStrv) g_ptr_array_free (columns, FALSE);
}

/* ---- Suggestions ---- */

char *
push_mapping_normalize_name (const char *name)
{
  g_autofree char *nfkc = NULL;
  g_autofree char *folded = NULL;
  GString *out;

  g_return_val_if_fail (name != NULL, NULL);

  nfkc = g_utf8_normalize (name, -1, G_NORMALIZE_NFKC);
  if (nfkc == NULL)
    return g_strdup ("");
  folded = g_utf8_casefold (nfkc, -1);
  out = g_string_sized_new (strlen (folded));
  for (const char *p = folded; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '_' || c == '-' || c == '.' || c == '/' || g_unichar_isspace (c) ||
          c == 0x2010 || c == 0x2011 || c == 0x2013 || c == 0x2014)
        continue;
      g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

static const MarketoField *
writable_field (const MarketoLeadSchema *schema,
                const char              *name)
{
  const MarketoField *field = marketo_lead_schema_lookup_field (schema, name);

  if (field == NULL || field->read_only)
    return NULL;
  return field;
}

const char *
push_mapping_suggest_field (const char              *column,
                            const MarketoLeadSchema *schema)
{
  g_autofree char *normal = NULL;

  g_return_val_if_fail (column != NULL, NULL);

  /* 1. The column is a REST name as is. */
  if (schema != NULL)
    {
      const MarketoField *field = writable_field (schema, column);

      if (field != NULL)
        return field->name;
    }

  normal = push_mapping_normalize_name (column);
  if (*normal == '\0')
    return NULL;

  /* 2. A usual name of a standard field. */
  for (gsize i = 0; i < G_N_ELEMENTS (synonyms); i++)
    {
      if (!g_str_equal (synonyms[i].name, normal))
        continue;
      if (schema == NULL)
        return synonyms[i].field;
      if (writable_field (schema, synonyms[i].field) != NULL)
        return writable_field (schema, synonyms[i].field)->name;
      break;
    }

  if (schema == NULL)
    return NULL;

  /* 3. The REST name, then the display name, normalised. */
  for (guint i = 0; i < schema->fields->len; i++)
    {
      const MarketoField *field = g_ptr_array_index (schema->fields, i);
      g_autofree char *field_normal = NULL;

      if (field->name == NULL || field->read_only)
        continue;
      field_normal = push_mapping_normalize_name (field->name);
      if (g_str_equal (field_normal, normal))
        return field->name;
    }
  for (guint i = 0; i < schema->fields->len; i++)
    {
      const MarketoField *field = g_ptr_array_index (schema->fields, i);
      g_autofree char *display_normal = NULL;

      if (field->name == NULL || field->read_only || field->display_name == NULL)
        continue;
      display_normal = push_mapping_normalize_name (field->display_name);
      if (g_str_equal (display_normal, normal))
        return field->name;
    }

  return NULL;
}

static gboolean
column_is_used (PushMapping *self,
                const char  *column)
{
  return g_str_equal (self->identity_column, column) ||
         push_mapping_find_column (self, column) >= 0;
}

GPtrArray *
push_mapping_suggest (PushMapping             *self,
                      const char * const      *columns,
                      const MarketoLeadSchema *schema)
{
  g_autoptr(GHashTable) fields_taken = NULL;
  GPtrArray *suggestions;
  gboolean identity_open;

  g_return_val_if_fail (PUSH_IS_MAPPING (self), NULL);

  suggestions = g_ptr_array_new_with_free_func ((GDestroyNotify) push_mapping_suggestion_free);
  if (columns == NULL)
    return suggestions;

  fields_taken = g_hash_table_new (g_str_hash, g_str_equal);
  if (*self->identity_field != '\0')
    g_hash_table_add (fields_taken, self->identity_field);
  for (guint i = 0; i < self->rows->len; i++)
    {
      const PushMappingRow *row = &g_array_index (self->rows, PushMappingRow, i);

      if (*row->field != '\0')
        g_hash_table_add (fields_taken, row->field);
    }

  identity_open = *self->identity_column == '\0' && *self->identity_field != '\0';

  for (guint i = 0; columns[i] != NULL; i++)
    {
      const char *column = columns[i];
      const char *field;

      if (*column == '\0' || column_is_used (self, column))
        continue;

      field = push_mapping_suggest_field (column, schema);
      /* A column named like the identity field itself, whatever its kind. */
      if (identity_open &&
          ((field != NULL && g_str_equal (field, self->identity_field)) ||
           g_str_equal (column, self->identity_field)))
        {
          g_ptr_array_add (suggestions,
                           push_mapping_suggestion_new (column, self->identity_field, TRUE));
          identity_open = FALSE;
          continue;
        }

      if (field == NULL || g_hash_table_contains (fields_taken, field))
        continue;

      g_ptr_array_add (suggestions, push_mapping_suggestion_new (column, field, FALSE));
      g_hash_table_add (fields_taken, (gpointer) field);
    }

  return suggestions;
}

void
push_mapping_apply_suggestions (PushMapping *self,
                                GPtrArray   *suggestions)
{
  gboolean changed = FALSE;
  gboolean column_changed = FALSE;
  guint old_n_rows;

  g_return_if_fail (PUSH_IS_MAPPING (self));
  g_return_if_fail (suggestions != NULL);

  old_n_rows = self->rows->len;
  for (guint i = 0; i < suggestions->len; i++)
    {
      const PushMappingSuggestion *suggestion = g_ptr_array_index (suggestions, i);

      if (suggestion->identity)
        {
          if (replace_string (&self->identity_column, suggestion->column))
            column_changed = changed = TRUE;
        }
      else if (push_mapping_find_field (self, suggestion->field) < 0 &&
               !g_str_equal (suggestion->field, self->identity_field))
        {
          PushMappingRow row = { dup_or_empty (suggestion->column),
                                 dup_or_empty (suggestion->field) };

          g_array_append_val (self->rows, row);
          changed = TRUE;
        }
    }

  if (!changed)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  if (column_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDENTITY_COLUMN]);
  if (old_n_rows != self->rows->len)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ROWS]);
  g_object_thaw_notify (G_OBJECT (self));
  emit_changed (self);
}
