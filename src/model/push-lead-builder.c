/* push-lead-builder.c: an audience row + a mapping -> the lead object of Sync Leads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "push-lead-builder.h"

/* One value written per row: the identity (slot 0, when there is one) and the usable
 * attribute rows. */
typedef struct {
  int            mapping_row;  /* PUSH_PROBLEM_ROW_IDENTITY or the attribute row index */
  guint          column_index;
  char          *column;       /* (owned) */
  char          *field;        /* (owned) */
  char          *json_key;     /* (owned) "\"field\":" */
  gsize          json_key_len;
  PushValueType  type;
  gint64         max_length;
} Slot;

struct _PushLeadBuilder
{
  GObject parent_instance;

  GArray   *slots;         /* (owned) (element-type Slot) */
  gboolean  has_identity;  /* slot 0 is the identity */
  GArray   *issues;        /* (owned) (element-type PushLeadIssue) of the last row */
  GString  *dedupe;        /* (owned) buffer of get_dedupe_value() */
};

G_DEFINE_FINAL_TYPE (PushLeadBuilder, push_lead_builder, G_TYPE_OBJECT)
G_DEFINE_QUARK (push-lead-builder-error-quark, push_lead_builder_error)

G_DEFINE_ENUM_TYPE (PushValueType, push_value_type,
  G_DEFINE_ENUM_VALUE (PUSH_VALUE_TYPE_STRING, "string"),
  G_DEFINE_ENUM_VALUE (PUSH_VALUE_TYPE_TEXT, "text"),
  G_DEFINE_ENUM_VALUE (PUSH_VALUE_TYPE_EMAIL, "email"),
  G_DEFINE_ENUM_VALUE (PUSH_VALUE_TYPE_INTEGER, "integer"),
  G_DEFINE_ENUM_VALUE (PUSH_VALUE_TYPE_NUMBER, "number"),
  G_DEFINE_ENUM_VALUE (PUSH_VALUE_TYPE_BOOLEAN, "boolean"),
  G_DEFINE_ENUM_VALUE (PUSH_VALUE_TYPE_DATE, "date"),
  G_DEFINE_ENUM_VALUE (PUSH_VALUE_TYPE_DATETIME, "datetime"))

G_DEFINE_ENUM_TYPE (PushValueIssue, push_value_issue,
  G_DEFINE_ENUM_VALUE (PUSH_VALUE_OK, "ok"),
  G_DEFINE_ENUM_VALUE (PUSH_VALUE_EMPTY, "empty"),
  G_DEFINE_ENUM_VALUE (PUSH_VALUE_NOT_DATE, "not-date"),
  G_DEFINE_ENUM_VALUE (PUSH_VALUE_NOT_DATETIME, "not-datetime"),
  G_DEFINE_ENUM_VALUE (PUSH_VALUE_NOT_INTEGER, "not-integer"),
  G_DEFINE_ENUM_VALUE (PUSH_VALUE_NOT_NUMBER, "not-number"),
  G_DEFINE_ENUM_VALUE (PUSH_VALUE_NOT_BOOLEAN, "not-boolean"),
  G_DEFINE_ENUM_VALUE (PUSH_VALUE_NOT_EMAIL, "not-email"),
  G_DEFINE_ENUM_VALUE (PUSH_VALUE_TOO_LONG, "too-long"),
  G_DEFINE_ENUM_VALUE (PUSH_VALUE_NESTED, "nested"))

/* ---- Value types and checks ---- */

PushValueType
push_value_type_from_data_type (const char *data_type)
{
  if (data_type == NULL)
    return PUSH_VALUE_TYPE_STRING;
  if (g_ascii_strcasecmp (data_type, "text") == 0)
    return PUSH_VALUE_TYPE_TEXT;
  if (g_ascii_strcasecmp (data_type, "email") == 0)
    return PUSH_VALUE_TYPE_EMAIL;
  if (g_ascii_strcasecmp (data_type, "integer") == 0 ||
      g_ascii_strcasecmp (data_type, "score") == 0)
    return PUSH_VALUE_TYPE_INTEGER;
  if (g_ascii_strcasecmp (data_type, "float") == 0 ||
      g_ascii_strcasecmp (data_type, "currency") == 0 ||
      g_ascii_strcasecmp (data_type, "percent") == 0)
    return PUSH_VALUE_TYPE_NUMBER;
  if (g_ascii_strcasecmp (data_type, "boolean") == 0)
    return PUSH_VALUE_TYPE_BOOLEAN;
  if (g_ascii_strcasecmp (data_type, "date") == 0)
    return PUSH_VALUE_TYPE_DATE;
  if (g_ascii_strcasecmp (data_type, "datetime") == 0)
    return PUSH_VALUE_TYPE_DATETIME;
  return PUSH_VALUE_TYPE_STRING;
}

static inline gboolean
is_digit (char c)
{
  return c >= '0' && c <= '9';
}

/* Reads exactly @n digits at *p into *out. */
static gboolean
read_digits (const char **p,
             const char  *end,
             guint        n,
             guint       *out)
{
  guint value = 0;

  if ((gsize) (end - *p) < n)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      if (!is_digit ((*p)[i]))
        return FALSE;
      value = value * 10 + ((*p)[i] - '0');
    }
  *p += n;
  *out = value;
  return TRUE;
}

static gboolean
parse_date (const char **p,
            const char  *end)
{
  guint year, month, day;

  if (!read_digits (p, end, 4, &year) || *p >= end || **p != '-')
    return FALSE;
  (*p)++;
  if (!read_digits (p, end, 2, &month) || *p >= end || **p != '-')
    return FALSE;
  (*p)++;
  if (!read_digits (p, end, 2, &day))
    return FALSE;
  return year >= 1 && month >= 1 && month <= 12 &&
         g_date_valid_dmy (day, month, year);
}

static gboolean
check_date (const char *text,
            gsize       length)
{
  const char *p = text;

  return parse_date (&p, text + length) && p == text + length;
}

static gboolean
check_datetime (const char *text,
                gsize       length)
{
  const char *p = text, *end = text + length;
  guint hour, minute, second, zone_hour, zone_minute;

  if (!parse_date (&p, end))
    return FALSE;
  if (p == end)
    return TRUE;  /* a date alone is an ISO 8601 datetime at midnight */

  if (*p != 'T' && *p != 't')
    return FALSE;
  p++;
  if (!read_digits (&p, end, 2, &hour) || hour > 23 || p >= end || *p != ':')
    return FALSE;
  p++;
  if (!read_digits (&p, end, 2, &minute) || minute > 59)
    return FALSE;
  if (p < end && *p == ':')
    {
      p++;
      if (!read_digits (&p, end, 2, &second) || second > 60)
        return FALSE;
      if (p < end && (*p == '.' || *p == ','))
        {
          p++;
          if (p >= end || !is_digit (*p))
            return FALSE;
          while (p < end && is_digit (*p))
            p++;
        }
    }

  if (p == end)
    return TRUE;
  if ((*p == 'Z' || *p == 'z') && p + 1 == end)
    return TRUE;
  if (*p != '+' && *p != '-')
    return FALSE;
  p++;
  if (!read_digits (&p, end, 2, &zone_hour) || zone_hour > 23)
    return FALSE;
  if (p == end)
    return TRUE;
  if (*p == ':')
    p++;
  if (!read_digits (&p, end, 2, &zone_minute) || zone_minute > 59)
    return FALSE;
  return p == end;
}

static gboolean
check_integer (const char *text,
               gsize       length)
{
  const char *p = text, *end = text + length;
  gboolean negative = FALSE;
  guint64 value = 0;

  if (p < end && (*p == '+' || *p == '-'))
    negative = *p++ == '-';
  if (p == end)
    return FALSE;
  for (; p < end; p++)
    {
      if (!is_digit (*p))
        return FALSE;
      if (value > (G_MAXUINT64 - 9) / 10)
        return FALSE;
      value = value * 10 + (*p - '0');
    }
  return negative ? value <= (guint64) G_MAXINT64 + 1 : value <= (guint64) G_MAXINT64;
}

/* A decimal number: [sign] digits [. digits] [e [sign] digits], with digits on at least one
 * side of the point. Sets *json_ready when it is also a valid JSON number as written. */
static gboolean
check_number (const char *text,
              gsize       length,
              gboolean   *json_ready)
{
  const char *p = text, *end = text + length;
  gboolean ready = TRUE;
  gsize int_digits = 0, frac_digits = 0;

  if (p < end && (*p == '+' || *p == '-'))
    {
      if (*p == '+')
        ready = FALSE;
      p++;
    }
  if (p < end && *p == '0' && p + 1 < end && is_digit (p[1]))
    ready = FALSE;  /* JSON has no leading zeros */
  while (p < end && is_digit (*p))
    p++, int_digits++;
  if (p < end && *p == '.')
    {
      p++;
      while (p < end && is_digit (*p))
        p++, frac_digits++;
      if (int_digits == 0 || frac_digits == 0)
        ready = FALSE;
    }
  if (int_digits + frac_digits == 0)
    return FALSE;
  if (p < end && (*p == 'e' || *p == 'E'))
    {
      gsize exp_digits = 0;

      p++;
      if (p < end && (*p == '+' || *p == '-'))
        p++;
      while (p < end && is_digit (*p))
        p++, exp_digits++;
      if (exp_digits == 0)
        return FALSE;
    }
  if (p != end)
    return FALSE;

  if (json_ready != NULL)
    *json_ready = ready;
  return TRUE;
}

/* 1 for true, 0 for false, -1 for neither. */
static int
parse_boolean (const char *text,
               gsize       length)
{
  static const struct { const char *word; int value; } words[] = {
    { "true", 1 }, { "false", 0 }, { "1", 1 }, { "0", 0 }, { "yes", 1 }, { "no", 0 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (words); i++)
    if (strlen (words[i].word) == length &&
        g_ascii_strncasecmp (words[i].word, text, length) == 0)
      return words[i].value;
  return -1;
}

static gboolean
check_email (const char *text,
             gsize       length)
{
  const char *at = NULL;

  for (gsize i = 0; i < length; i++)
    {
      guchar c = text[i];

      if (c <= ' ' || c >= 0x7f)
        return FALSE;  /* ASCII only, no spaces or control characters */
      if (c == '@')
        {
          if (at != NULL)
            return FALSE;
          at = text + i;
        }
    }
  if (at == NULL || at == text)
    return FALSE;

  {
    const char *domain = at + 1, *end = text + length;
    gboolean dot = FALSE;

    if (domain == end || *domain == '.' || end[-1] == '.')
      return FALSE;
    for (const char *p = domain; p < end; p++)
      if (*p == '.')
        {
          if (p[1] == '.')
            return FALSE;
          dot = TRUE;
        }
    return dot;
  }
}

PushValueIssue
push_value_check (PushValueType  type,
                  gint64         max_length,
                  const char    *text,
                  gsize          length)
{
  g_return_val_if_fail (text != NULL || length == 0, PUSH_VALUE_OK);

  if (length == 0)
    return PUSH_VALUE_OK;

  switch (type)
    {
    case PUSH_VALUE_TYPE_DATE:
      return check_date (text, length) ? PUSH_VALUE_OK : PUSH_VALUE_NOT_DATE;
    case PUSH_VALUE_TYPE_DATETIME:
      return check_datetime (text, length) ? PUSH_VALUE_OK : PUSH_VALUE_NOT_DATETIME;
    case PUSH_VALUE_TYPE_INTEGER:
      return check_integer (text, length) ? PUSH_VALUE_OK : PUSH_VALUE_NOT_INTEGER;
    case PUSH_VALUE_TYPE_NUMBER:
      return check_number (text, length, NULL) ? PUSH_VALUE_OK : PUSH_VALUE_NOT_NUMBER;
    case PUSH_VALUE_TYPE_BOOLEAN:
      return parse_boolean (text, length) >= 0 ? PUSH_VALUE_OK : PUSH_VALUE_NOT_BOOLEAN;
    case PUSH_VALUE_TYPE_TEXT:
      return length <= PUSH_VALUE_TEXT_MAX_BYTES ? PUSH_VALUE_OK : PUSH_VALUE_TOO_LONG;
    case PUSH_VALUE_TYPE_EMAIL:
      if (!check_email (text, length))
        return PUSH_VALUE_NOT_EMAIL;
      G_GNUC_FALLTHROUGH;
    case PUSH_VALUE_TYPE_STRING:
    default:
      /* Bytes ≥ characters: count only when the bytes alone are over. */
      if (max_length > 0 && length > (guint64) max_length &&
          (gint64) g_utf8_strlen (text, length) > max_length)
        return PUSH_VALUE_TOO_LONG;
      return PUSH_VALUE_OK;
    }
}

PushProblemCode
push_value_issue_to_problem_code (PushValueIssue issue)
{
  switch (issue)
    {
    case PUSH_VALUE_EMPTY:
      return PUSH_PROBLEM_DEDUPE_VALUE_EMPTY;
    case PUSH_VALUE_NOT_DATE:
      return PUSH_PROBLEM_VALUE_NOT_DATE;
    case PUSH_VALUE_NOT_DATETIME:
      return PUSH_PROBLEM_VALUE_NOT_DATETIME;
    case PUSH_VALUE_NOT_INTEGER:
      return PUSH_PROBLEM_VALUE_NOT_INTEGER;
    case PUSH_VALUE_NOT_NUMBER:
      return PUSH_PROBLEM_VALUE_NOT_NUMBER;
    case PUSH_VALUE_NOT_BOOLEAN:
      return PUSH_PROBLEM_VALUE_NOT_BOOLEAN;
    case PUSH_VALUE_NOT_EMAIL:
      return PUSH_PROBLEM_VALUE_NOT_EMAIL;
    case PUSH_VALUE_TOO_LONG:
      return PUSH_PROBLEM_VALUE_TOO_LONG;
    case PUSH_VALUE_NESTED:
      return PUSH_PROBLEM_VALUE_NESTED;
    case PUSH_VALUE_OK:
    default:
      g_return_val_if_reached (PUSH_PROBLEM_VALUE_NESTED);
    }
}

const char *
push_value_issue_get_phrase (PushValueIssue issue)
{
  switch (issue)
    {
    case PUSH_VALUE_OK:
      return _("fine");
    case PUSH_VALUE_EMPTY:
      return _("empty");
    case PUSH_VALUE_NOT_DATE:
      return _("not a date (YYYY-MM-DD)");
    case PUSH_VALUE_NOT_DATETIME:
      return _("not an ISO 8601 date and time (YYYY-MM-DDTHH:MM:SS+01:00)");
    case PUSH_VALUE_NOT_INTEGER:
      return _("not a whole number");
    case PUSH_VALUE_NOT_NUMBER:
      return _("not a number (digits with a “.” for decimals)");
    case PUSH_VALUE_NOT_BOOLEAN:
      return _("not true/false, yes/no or 1/0");
    case PUSH_VALUE_NOT_EMAIL:
      return _("not an email address (ASCII only, one @, a dot in the domain)");
    case PUSH_VALUE_TOO_LONG:
      return _("longer than the field allows");
    case PUSH_VALUE_NESTED:
      return _("a JSON object or array, which can’t go into a field");
    default:
      g_return_val_if_reached (NULL);
    }
}

/* ---- JSON output ---- */

/* g_string_append_len() goes through g_string_insert_len() on every call, and a lead is
 * made of many small pieces (a million rows: tens of millions of appends), so append in place
 * while the buffer has room. */
static inline void
append_len (GString    *out,
            const char *text,
            gsize       length)
{
  if (G_LIKELY (out->len + length < out->allocated_len))
    {
      memcpy (out->str + out->len, text, length);
      out->len += length;
      out->str[out->len] = '\0';
    }
  else
    g_string_append_len (out, text, length);
}

/* Whether any of the 8 bytes of @w is below 0x20, a '"' or a '\\' (exact as to "any": the
 * borrow tricks can only misplace a hit, never invent one). Bytes >= 0x80 never match. */
static inline gboolean
word_needs_escape (guint64 w)
{
  const guint64 ones = G_GUINT64_CONSTANT (0x0101010101010101);
  const guint64 highs = G_GUINT64_CONSTANT (0x8080808080808080);
  guint64 control = (w - ones * 0x20) & ~w & highs;
  guint64 quote = w ^ (ones * '"');
  guint64 backslash = w ^ (ones * '\\');

  quote = (quote - ones) & ~quote & highs;
  backslash = (backslash - ones) & ~backslash & highs;
  return (control | quote | backslash) != 0;
}

void
push_json_append_string (GString    *out,
                         const char *text,
                         gsize       length)
{
  static const char hex[] = "0123456789abcdef";
  gsize run = 0;
  gsize i = 0;

  g_string_append_c (out, '"');
  while (i < length)
    {
      guchar c;
      const char *escape;

      /* Most values need no escaping at all: skip them a word at a time. */
      if (i + 8 <= length)
        {
          guint64 word;

          memcpy (&word, text + i, 8);
          if (!word_needs_escape (word))
            {
              i += 8;
              continue;
            }
        }

      c = text[i];
      if (G_LIKELY (c >= 0x20 && c != '"' && c != '\\'))
        {
          i++;
          continue;
        }

      append_len (out, text + run, i - run);
      run = i + 1;
      switch (c)
        {
        case '"': escape = "\\\""; break;
        case '\\': escape = "\\\\"; break;
        case '\n': escape = "\\n"; break;
        case '\r': escape = "\\r"; break;
        case '\t': escape = "\\t"; break;
        case '\b': escape = "\\b"; break;
        case '\f': escape = "\\f"; break;
        default: escape = NULL; break;
        }
      if (escape != NULL)
        append_len (out, escape, 2);
      else
        {
          char u[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xf] };

          append_len (out, u, 6);
        }
      i++;
    }
  append_len (out, text + run, length - run);
  g_string_append_c (out, '"');
}

static void
append_integer (GString    *out,
                const char *text,
                gsize       length)
{
  const char *p = text, *end = text + length;

  if (*p == '+')
    p++;
  else if (*p == '-')
    g_string_append_c (out, *p++);
  while (p + 1 < end && *p == '0')
    p++;
  append_len (out, p, end - p);
}

static void
append_number (GString    *out,
               const char *text,
               gsize       length)
{
  gboolean json_ready = FALSE;
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  char copy[64];

  if (check_number (text, length, &json_ready) && json_ready)
    {
      append_len (out, text, length);
      return;
    }

  /* "+1", ".5", "5.", "007": through a double (checked as a number already). */
  if (length < sizeof copy)
    {
      memcpy (copy, text, length);
      copy[length] = '\0';
      g_string_append (out, g_ascii_dtostr (buffer, sizeof buffer, g_ascii_strtod (copy, NULL)));
    }
  else
    {
      g_autofree char *heap = g_strndup (text, length);

      g_string_append (out, g_ascii_dtostr (buffer, sizeof buffer, g_ascii_strtod (heap, NULL)));
    }
}

/* ---- The builder ---- */

static void
clear_slot (gpointer data)
{
  Slot *slot = data;

  g_clear_pointer (&slot->column, g_free);
  g_clear_pointer (&slot->field, g_free);
  g_clear_pointer (&slot->json_key, g_free);
}

static void
push_lead_builder_finalize (GObject *object)
{
  PushLeadBuilder *self = (PushLeadBuilder *) object;

  g_clear_pointer (&self->slots, g_array_unref);
  g_clear_pointer (&self->issues, g_array_unref);
  if (self->dedupe != NULL)
    g_string_free (g_steal_pointer (&self->dedupe), TRUE);

  G_OBJECT_CLASS (push_lead_builder_parent_class)->finalize (object);
}

static void
push_lead_builder_class_init (PushLeadBuilderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = push_lead_builder_finalize;
}

static void
push_lead_builder_init (PushLeadBuilder *self)
{
  self->slots = g_array_new (FALSE, TRUE, sizeof (Slot));
  g_array_set_clear_func (self->slots, clear_slot);
  self->issues = g_array_sized_new (FALSE, TRUE, sizeof (PushLeadIssue), 8);
  self->dedupe = g_string_sized_new (64);
}

static int
find_column (const char * const *columns,
             const char         *column)
{
  for (guint i = 0; columns != NULL && columns[i] != NULL; i++)
    if (g_str_equal (columns[i], column))
      return (int) i;
  return -1;
}

static gboolean
slot_taken (PushLeadBuilder *self,
            const char      *field)
{
  for (guint i = 0; i < self->slots->len; i++)
    if (g_str_equal (g_array_index (self->slots, Slot, i).field, field))
      return TRUE;
  return FALSE;
}

static void
add_slot (PushLeadBuilder     *self,
          int                  mapping_row,
          guint                column_index,
          const char          *column,
          const char          *field,
          const MarketoField  *schema_field)
{
  g_autoptr(GString) key = g_string_new (NULL);
  Slot slot = { 0, };

  push_json_append_string (key, field, strlen (field));
  g_string_append_c (key, ':');

  slot.mapping_row = mapping_row;
  slot.column_index = column_index;
  slot.column = g_strdup (column);
  slot.field = g_strdup (field);
  slot.json_key_len = key->len;
  slot.json_key = g_string_free (g_steal_pointer (&key), FALSE);
  slot.type = push_value_type_from_data_type (schema_field != NULL ? schema_field->data_type
                                                                   : NULL);
  slot.max_length = schema_field != NULL ? schema_field->length : -1;
  g_array_append_val (self->slots, slot);
}

PushLeadBuilder *
push_lead_builder_new (PushMapping              *mapping,
                       const MarketoLeadSchema  *schema,
                       const char * const       *columns,
                       PushLeadBuilderFlags      flags,
                       GError                  **error)
{
  g_autoptr(PushLeadBuilder) self = NULL;
  gboolean lenient = (flags & PUSH_LEAD_BUILDER_LENIENT) != 0;
  const char *identity_column, *identity_field;
  int index = -1;

  g_return_val_if_fail (PUSH_IS_MAPPING (mapping), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (PUSH_TYPE_LEAD_BUILDER, NULL);

  identity_column = push_mapping_get_identity_column (mapping);
  identity_field = push_mapping_get_identity_field (mapping);
  if (*identity_column == '\0' || *identity_field == '\0')
    {
      if (!lenient)
        {
          g_set_error_literal (error, PUSH_LEAD_BUILDER_ERROR, PUSH_LEAD_BUILDER_ERROR_NO_IDENTITY,
                               _("Choose the dedupe field and the audience column that holds it"));
          return NULL;
        }
    }
  else if ((index = find_column (columns, identity_column)) < 0)
    {
      if (!lenient)
        {
          g_set_error (error, PUSH_LEAD_BUILDER_ERROR, PUSH_LEAD_BUILDER_ERROR_COLUMN_MISSING,
                       _("The audience has no column “%s”"), identity_column);
          return NULL;
        }
    }
  else
    {
      add_slot (self, PUSH_PROBLEM_ROW_IDENTITY, index, identity_column, identity_field,
                schema != NULL ? marketo_lead_schema_lookup_field (schema, identity_field) : NULL);
      self->has_identity = TRUE;
    }

  for (guint i = 0; (flags & PUSH_LEAD_BUILDER_IDENTITY_ONLY) == 0 &&
                    i < push_mapping_get_n_rows (mapping); i++)
    {
      const PushMappingRow *row = push_mapping_get_row (mapping, i);
      const MarketoField *field = NULL;
      g_autofree char *reason = NULL;
      int code = PUSH_LEAD_BUILDER_ERROR_FIELD;

      if (*row->column == '\0' || *row->field == '\0')
        reason = g_strdup_printf (_("Mapping row %u has no column or no field"), i + 1);
      else if ((index = find_column (columns, row->column)) < 0)
        {
          code = PUSH_LEAD_BUILDER_ERROR_COLUMN_MISSING;
          reason = g_strdup_printf (_("The audience has no column “%s”"), row->column);
        }
      else if (g_str_equal (row->field, identity_field) || slot_taken (self, row->field))
        reason = g_strdup_printf (_("The field “%s” is mapped more than once"), row->field);
      else if (schema != NULL &&
               (field = marketo_lead_schema_lookup_field (schema, row->field)) == NULL)
        reason = g_strdup_printf (_("Marketo has no field “%s”"), row->field);
      else if (field != NULL && field->read_only)
        reason = g_strdup_printf (_("The field “%s” is read-only"), row->field);

      if (reason != NULL)
        {
          if (lenient)
            continue;
          g_set_error_literal (error, PUSH_LEAD_BUILDER_ERROR, code, reason);
          return NULL;
        }

      add_slot (self, (int) i, index, row->column, row->field, field);
    }

  return g_steal_pointer (&self);
}

guint
push_lead_builder_get_n_fields (PushLeadBuilder *self)
{
  g_return_val_if_fail (PUSH_IS_LEAD_BUILDER (self), 0);

  return self->slots->len - (self->has_identity ? 1 : 0);
}

const char *
push_lead_builder_get_dedupe_field (PushLeadBuilder *self)
{
  g_return_val_if_fail (PUSH_IS_LEAD_BUILDER (self), NULL);

  return self->has_identity ? g_array_index (self->slots, Slot, 0).field : NULL;
}

/* The trimmed value of @slot in @row (in @text and @length), and its kind. */
static inline PushAudienceValueKind
slot_value (const Slot             *slot,
            const PushAudienceRow  *row,
            const char            **text,
            gsize                  *length)
{
  const PushAudienceValue *value;
  const char *start, *end;

  if (G_UNLIKELY (slot->column_index >= row->n_values))
    {
      *text = "";
      *length = 0;
      return PUSH_AUDIENCE_VALUE_ABSENT;
    }

  value = &row->values[slot->column_index];
  if (value->kind != PUSH_AUDIENCE_VALUE_TEXT)
    {
      *text = "";
      *length = 0;
      return value->kind;
    }

  start = value->text;
  end = value->text + value->length;
  /* Nearly every value starts and ends with a printable byte: test that first. */
  if (G_UNLIKELY (start < end && ((guchar) *start <= ' ' || (guchar) end[-1] <= ' ')))
    {
      while (start < end && g_ascii_isspace (*start))
        start++;
      while (end > start && g_ascii_isspace (end[-1]))
        end--;
    }
  *text = start;
  *length = end - start;
  return PUSH_AUDIENCE_VALUE_TEXT;
}

static void
add_issue (PushLeadBuilder *self,
           const Slot      *slot,
           PushValueIssue   issue)
{
  PushLeadIssue item = { slot->mapping_row, issue, slot->column, slot->field };

  g_array_append_val (self->issues, item);
}

static void
append_value (GString    *out,
              const Slot *slot,
              const char *text,
              gsize       length)
{
  switch (slot->type)
    {
    case PUSH_VALUE_TYPE_INTEGER:
      append_integer (out, text, length);
      break;
    case PUSH_VALUE_TYPE_NUMBER:
      append_number (out, text, length);
      break;
    case PUSH_VALUE_TYPE_BOOLEAN:
      if (parse_boolean (text, length) == 1)
        append_len (out, "true", 4);
      else
        append_len (out, "false", 5);
      break;
    case PUSH_VALUE_TYPE_STRING:
    case PUSH_VALUE_TYPE_TEXT:
    case PUSH_VALUE_TYPE_EMAIL:
    case PUSH_VALUE_TYPE_DATE:
    case PUSH_VALUE_TYPE_DATETIME:
    default:
      push_json_append_string (out, text, length);
      break;
    }
}

/* The work of append_lead() and check_row(): @out may be NULL. */
static gboolean
process_row (PushLeadBuilder       *self,
             const PushAudienceRow *row,
             GString               *out)
{
  gsize start = out != NULL ? out->len : 0;
  gboolean sendable = TRUE;
  gboolean first = TRUE;

  g_array_set_size (self->issues, 0);
  if (out != NULL)
    g_string_append_c (out, '{');

  for (guint i = 0; i < self->slots->len; i++)
    {
      const Slot *slot = &g_array_index (self->slots, Slot, i);
      gboolean identity = self->has_identity && i == 0;
      PushAudienceValueKind kind;
      PushValueIssue issue;
      const char *text;
      gsize length;

      kind = slot_value (slot, row, &text, &length);
      if (kind == PUSH_AUDIENCE_VALUE_NESTED)
        issue = PUSH_VALUE_NESTED;
      else if (length == 0)
        issue = identity ? PUSH_VALUE_EMPTY : PUSH_VALUE_OK;
      else
        issue = push_value_check (slot->type, slot->max_length, text, length);

      if (issue != PUSH_VALUE_OK)
        {
          add_issue (self, slot, issue);
          if (identity)
            sendable = FALSE;
          continue;
        }
      if (length == 0 || out == NULL)
        continue;

      if (!first)
        g_string_append_c (out, ',');
      first = FALSE;
      append_len (out, slot->json_key, slot->json_key_len);
      append_value (out, slot, text, length);
    }

  if (out != NULL)
    {
      if (sendable)
        g_string_append_c (out, '}');
      else
        g_string_truncate (out, start);
    }
  return sendable;
}

gboolean
push_lead_builder_append_lead (PushLeadBuilder       *self,
                               const PushAudienceRow *row,
                               GString               *out)
{
  g_return_val_if_fail (PUSH_IS_LEAD_BUILDER (self), FALSE);
  g_return_val_if_fail (row != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  return process_row (self, row, out);
}

gboolean
push_lead_builder_check_row (PushLeadBuilder       *self,
                             const PushAudienceRow *row)
{
  g_return_val_if_fail (PUSH_IS_LEAD_BUILDER (self), FALSE);
  g_return_val_if_fail (row != NULL, FALSE);

  return process_row (self, row, NULL);
}

const PushLeadIssue *
push_lead_builder_get_issues (PushLeadBuilder *self,
                              guint           *n_issues)
{
  g_return_val_if_fail (PUSH_IS_LEAD_BUILDER (self), NULL);

  if (n_issues != NULL)
    *n_issues = self->issues->len;
  return (const PushLeadIssue *) (gpointer) self->issues->data;
}

const char *
push_lead_builder_get_dedupe_value (PushLeadBuilder       *self,
                                    const PushAudienceRow *row,
                                    gsize                 *length)
{
  const char *text;
  gsize text_length;

  g_return_val_if_fail (PUSH_IS_LEAD_BUILDER (self), NULL);
  g_return_val_if_fail (row != NULL, NULL);

  if (length != NULL)
    *length = 0;
  if (!self->has_identity)
    return NULL;
  if (slot_value (&g_array_index (self->slots, Slot, 0), row, &text, &text_length) !=
        PUSH_AUDIENCE_VALUE_TEXT || text_length == 0)
    return NULL;

  g_string_truncate (self->dedupe, 0);
  g_string_append_len (self->dedupe, text, text_length);
  if (length != NULL)
    *length = text_length;
  return self->dedupe->str;
}

char *
push_lead_issue_describe (const PushLeadIssue *issue,
                          guint64              row_number)
{
  g_autofree char *row_text = NULL;

  g_return_val_if_fail (issue != NULL, NULL);

  row_text = push_audience_format_count (row_number);
  if (issue->issue == PUSH_VALUE_EMPTY)
    /* Translators: a row number, then an audience column and a Marketo field name */
    return g_strdup_printf (_("Row %s: the dedupe value in column “%s” (%s) is empty"),
                            row_text, issue->column, issue->field);

  /* Translators: a row number, an audience column, a Marketo field name, then what is wrong,
   * like “not a date (YYYY-MM-DD)” */
  return g_strdup_printf (_("Row %s: column “%s” (%s): %s"), row_text, issue->column,
                          issue->field, push_value_issue_get_phrase (issue->issue));
}
