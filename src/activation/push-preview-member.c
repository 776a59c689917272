/* push-preview-member.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "push-preview-member.h"

struct _PushPreviewMember
{
  GObject         parent_instance;

  PushPrediction  prediction;  /* (owned) */
  char           *lead_text;   /* (owned) */
};

G_DEFINE_FINAL_TYPE (PushPreviewMember, push_preview_member, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ROW_NUMBER,
  PROP_DEDUPE_VALUE,
  PROP_OUTCOME,
  PROP_OUTCOME_LABEL,
  PROP_LEAD_ID,
  PROP_LEAD_TEXT,
  PROP_REASON,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
make_lead_text (const PushPrediction *prediction)
{
  g_autofree char *others = NULL;

  if (prediction->lead_id <= 0)
    return g_strdup ("");
  others = push_prediction_dup_other_ids_text (prediction);
  if (others == NULL)
    return g_strdup_printf ("%" G_GINT64_FORMAT, prediction->lead_id);
  /* Translators: a lead id, then the ids of the other leads that have the same value */
  return g_strdup_printf (_("%" G_GINT64_FORMAT " (also %s)"), prediction->lead_id, others);
}

static void
push_preview_member_finalize (GObject *object)
{
  PushPreviewMember *self = PUSH_PREVIEW_MEMBER (object);

  push_prediction_clear (&self->prediction);
  g_free (self->lead_text);

  G_OBJECT_CLASS (push_preview_member_parent_class)->finalize (object);
}

static void
push_preview_member_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  PushPreviewMember *self = PUSH_PREVIEW_MEMBER (object);

  switch (prop_id)
    {
    case PROP_ROW_NUMBER:
      g_value_set_uint64 (value, self->prediction.row_number);
      break;
    case PROP_DEDUPE_VALUE:
      g_value_set_string (value, push_preview_member_get_dedupe_value (self));
      break;
    case PROP_OUTCOME:
      g_value_set_enum (value, self->prediction.outcome);
      break;
    case PROP_OUTCOME_LABEL:
      g_value_set_string (value, push_outcome_get_label (self->prediction.outcome));
      break;
    case PROP_LEAD_ID:
      g_value_set_int64 (value, self->prediction.lead_id);
      break;
    case PROP_LEAD_TEXT:
      g_value_set_string (value, self->lead_text);
      break;
    case PROP_REASON:
      g_value_set_string (value, push_preview_member_get_reason (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
push_preview_member_class_init (PushPreviewMemberClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = push_preview_member_finalize;
  object_class->get_property = push_preview_member_get_property;

  properties[PROP_ROW_NUMBER] =
    g_param_spec_uint64 ("row-number", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_DEDUPE_VALUE] =
    g_param_spec_string ("dedupe-value", NULL, NULL, "", flags);
  properties[PROP_OUTCOME] =
    g_param_spec_enum ("outcome", NULL, NULL, PUSH_TYPE_OUTCOME, PUSH_OUTCOME_CREATED, flags);
  properties[PROP_OUTCOME_LABEL] =
    g_param_spec_string ("outcome-label", NULL, NULL, "", flags);
  properties[PROP_LEAD_ID] =
    g_param_spec_int64 ("lead-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_LEAD_TEXT] =
    g_param_spec_string ("lead-text", NULL, NULL, "", flags);
  properties[PROP_REASON] =
    g_param_spec_string ("reason", NULL, NULL, "", flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
push_preview_member_init (PushPreviewMember *self)
{
}

PushPreviewMember *
push_preview_member_new (const PushPrediction *prediction)
{
  PushPreviewMember *self;

  g_return_val_if_fail (prediction != NULL, NULL);

  self = g_object_new (PUSH_TYPE_PREVIEW_MEMBER, NULL);
  push_prediction_copy_into (&self->prediction, prediction);
  self->lead_text = make_lead_text (prediction);
  return self;
}

const PushPrediction *
push_preview_member_get_prediction (PushPreviewMember *self)
{
  g_return_val_if_fail (PUSH_IS_PREVIEW_MEMBER (self), NULL);
  return &self->prediction;
}

guint64
push_preview_member_get_row_number (PushPreviewMember *self)
{
  g_return_val_if_fail (PUSH_IS_PREVIEW_MEMBER (self), 0);
  return self->prediction.row_number;
}

const char *
push_preview_member_get_dedupe_value (PushPreviewMember *self)
{
  g_return_val_if_fail (PUSH_IS_PREVIEW_MEMBER (self), NULL);
  return self->prediction.dedupe_value != NULL ? self->prediction.dedupe_value : "";
}

PushOutcome
push_preview_member_get_outcome (PushPreviewMember *self)
{
  g_return_val_if_fail (PUSH_IS_PREVIEW_MEMBER (self), PUSH_OUTCOME_FAILED);
  return self->prediction.outcome;
}

gint64
push_preview_member_get_lead_id (PushPreviewMember *self)
{
  g_return_val_if_fail (PUSH_IS_PREVIEW_MEMBER (self), 0);
  return self->prediction.lead_id;
}

const char *
push_preview_member_get_lead_text (PushPreviewMember *self)
{
  g_return_val_if_fail (PUSH_IS_PREVIEW_MEMBER (self), NULL);
  return self->lead_text;
}

const char *
push_preview_member_get_reason (PushPreviewMember *self)
{
  g_return_val_if_fail (PUSH_IS_PREVIEW_MEMBER (self), NULL);
  return self->prediction.reason != NULL ? self->prediction.reason : "";
}

static gboolean
contains_ascii_caseless (const char *haystack,
                         const char *needle)
{
  gsize n = strlen (needle);

  if (haystack == NULL)
    return FALSE;
  for (const char *p = haystack; *p != '\0'; p++)
    if (g_ascii_strncasecmp (p, needle, n) == 0)
      return TRUE;
  return FALSE;
}

gboolean
push_preview_member_matches_text (PushPreviewMember *self,
                                  const char        *text)
{
  char row[32];

  g_return_val_if_fail (PUSH_IS_PREVIEW_MEMBER (self), FALSE);

  if (text == NULL || *text == '\0')
    return TRUE;
  g_snprintf (row, sizeof row, "%" G_GUINT64_FORMAT, self->prediction.row_number);
  return g_str_equal (row, text)
         || contains_ascii_caseless (self->prediction.dedupe_value, text)
         || contains_ascii_caseless (self->lead_text, text)
         || contains_ascii_caseless (self->prediction.reason, text);
}
