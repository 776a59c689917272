/* push-audience-record.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "push-audience-record.h"

struct _PushAudienceRecord
{
  GObject                  parent_instance;

  guint64                  number;
  guint64                  line;
  goffset                  offset;
  PushAudienceProblemKind  problem;
  guint                    n_values;
  /* One block: n_values guint32 text offsets, then n_values kinds, then the NUL-terminated
   * texts one after the other. */
  guint8                  *data;       /* (owned) (nullable) */
};

G_DEFINE_FINAL_TYPE (PushAudienceRecord, push_audience_record, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NUMBER,
  PROP_LINE,
  PROP_PROBLEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static inline const guint32 *
get_starts (PushAudienceRecord *self)
{
  return (const guint32 *) (gpointer) self->data;
}

static inline const guint8 *
get_kinds (PushAudienceRecord *self)
{
  return self->data + self->n_values * sizeof (guint32);
}

static inline const char *
get_texts (PushAudienceRecord *self)
{
  return (const char *) self->data + self->n_values * (sizeof (guint32) + 1);
}

static void
push_audience_record_finalize (GObject *object)
{
  PushAudienceRecord *self = (PushAudienceRecord *) object;

  g_clear_pointer (&self->data, g_free);

  G_OBJECT_CLASS (push_audience_record_parent_class)->finalize (object);
}

static void
push_audience_record_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  PushAudienceRecord *self = PUSH_AUDIENCE_RECORD (object);

  switch (prop_id)
    {
    case PROP_NUMBER:
      g_value_set_uint64 (value, self->number);
      break;
    case PROP_LINE:
      g_value_set_uint64 (value, self->line);
      break;
    case PROP_PROBLEM:
      g_value_set_enum (value, self->problem);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
push_audience_record_class_init (PushAudienceRecordClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = push_audience_record_finalize;
  object_class->get_property = push_audience_record_get_property;

  properties[PROP_NUMBER] =
    g_param_spec_uint64 ("number", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LINE] =
    g_param_spec_uint64 ("line", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROBLEM] =
    g_param_spec_enum ("problem", NULL, NULL, PUSH_TYPE_AUDIENCE_PROBLEM_KIND,
                       PUSH_AUDIENCE_PROBLEM_NONE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
push_audience_record_init (PushAudienceRecord *self)
{
}

PushAudienceRecord *
push_audience_record_new_from_row (const PushAudienceRow *row)
{
  PushAudienceRecord *self;
  gsize header, total;
  guint32 *starts;
  guint8 *kinds;
  char *texts;
  gsize at = 0;
  guint i;

  g_return_val_if_fail (row != NULL, NULL);

  header = row->n_values * (sizeof (guint32) + 1);
  total = header;
  for (i = 0; i < row->n_values; i++)
    total += row->values[i].length + 1;

  self = g_object_new (PUSH_TYPE_AUDIENCE_RECORD, NULL);
  self->number = row->number;
  self->line = row->line;
  self->offset = row->offset;
  self->problem = row->problem;
  self->n_values = row->n_values;
  self->data = g_malloc (MAX (total, 1));

  starts = (guint32 *) (gpointer) self->data;
  kinds = self->data + row->n_values * sizeof (guint32);
  texts = (char *) self->data + header;
  for (i = 0; i < row->n_values; i++)
    {
      const PushAudienceValue *value = &row->values[i];

      g_assert (at <= G_MAXUINT32);
      starts[i] = (guint32) at;
      kinds[i] = (guint8) value->kind;
      memcpy (texts + at, value->text, value->length);
      texts[at + value->length] = '\0';
      at += value->length + 1;
    }

  return self;
}

PushAudienceRecord *
push_audience_record_new_empty (guint64 number,
                                guint   n_values)
{
  g_autofree PushAudienceValue *values = g_new (PushAudienceValue, MAX (n_values, 1));
  PushAudienceRow row = { .number = number, .n_values = n_values, .values = values };
  guint i;

  for (i = 0; i < n_values; i++)
    {
      values[i].text = "";
      values[i].length = 0;
      values[i].kind = PUSH_AUDIENCE_VALUE_ABSENT;
    }
  return push_audience_record_new_from_row (&row);
}

guint64
push_audience_record_get_number (PushAudienceRecord *self)
{
  g_return_val_if_fail (PUSH_IS_AUDIENCE_RECORD (self), 0);

  return self->number;
}

guint64
push_audience_record_get_line (PushAudienceRecord *self)
{
  g_return_val_if_fail (PUSH_IS_AUDIENCE_RECORD (self), 0);

  return self->line;
}

goffset
push_audience_record_get_offset (PushAudienceRecord *self)
{
  g_return_val_if_fail (PUSH_IS_AUDIENCE_RECORD (self), 0);

  return self->offset;
}

PushAudienceProblemKind
push_audience_record_get_problem (PushAudienceRecord *self)
{
  g_return_val_if_fail (PUSH_IS_AUDIENCE_RECORD (self), PUSH_AUDIENCE_PROBLEM_NONE);

  return self->problem;
}

guint
push_audience_record_get_n_values (PushAudienceRecord *self)
{
  g_return_val_if_fail (PUSH_IS_AUDIENCE_RECORD (self), 0);

  return self->n_values;
}

const char *
push_audience_record_get_value (PushAudienceRecord *self,
                                guint               column)
{
  g_return_val_if_fail (PUSH_IS_AUDIENCE_RECORD (self), NULL);

  if (column >= self->n_values)
    return NULL;
  return get_texts (self) + get_starts (self)[column];
}

PushAudienceValueKind
push_audience_record_get_value_kind (PushAudienceRecord *self,
                                     guint               column)
{
  g_return_val_if_fail (PUSH_IS_AUDIENCE_RECORD (self), PUSH_AUDIENCE_VALUE_ABSENT);

  if (column >= self->n_values)
    return PUSH_AUDIENCE_VALUE_ABSENT;
  return (PushAudienceValueKind) get_kinds (self)[column];
}
