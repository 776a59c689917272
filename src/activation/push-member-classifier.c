/* push-member-classifier.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "push-activation.h"
#include "push-dedupe-index.h"
#include "push-member-classifier.h"

struct _PushMemberClassifier
{
  GObject          parent_instance;

  PushLeadBuilder *builder;      /* (owned) */
  PushDedupeIndex *index;        /* (owned) */
  guint64          resume_row;

  guint64          rows;
  guint64          remaining;
  guint64          set_aside;
  guint64          valid;        /* remaining rows that are valid */
  guint64          replaced;     /* remaining rows a later valid row replaced in the index */
};

G_DEFINE_FINAL_TYPE (PushMemberClassifier, push_member_classifier, G_TYPE_OBJECT)
G_DEFINE_BOXED_TYPE (PushMemberVerdict, push_member_verdict, push_member_verdict_copy,
                     push_member_verdict_free)

/* ---- The verdict (boxed) -------------------------------------------------------------- */

PushMemberVerdict *
push_member_verdict_copy (const PushMemberVerdict *verdict)
{
  PushMemberVerdict *copy;

  g_return_val_if_fail (verdict != NULL, NULL);

  copy = g_new0 (PushMemberVerdict, 1);
  copy->kind = verdict->kind;
  copy->reason = g_strdup (verdict->reason);
  if (verdict->reason_keys != NULL)
    copy->reason_keys = g_ptr_array_copy (verdict->reason_keys, (GCopyFunc) g_strdup, NULL);
  if (copy->reason_keys != NULL)
    g_ptr_array_set_free_func (copy->reason_keys, g_free);
  copy->kept_row = verdict->kept_row;
  return copy;
}

void
push_member_verdict_clear (PushMemberVerdict *verdict)
{
  g_return_if_fail (verdict != NULL);

  g_clear_pointer (&verdict->reason, g_free);
  g_clear_pointer (&verdict->reason_keys, g_ptr_array_unref);
  verdict->kind = PUSH_MEMBER_SEND;
  verdict->kept_row = 0;
}

void
push_member_verdict_free (PushMemberVerdict *verdict)
{
  if (verdict == NULL)
    return;
  push_member_verdict_clear (verdict);
  g_free (verdict);
}

/* ---- The rule ------------------------------------------------------------------------- */

static void
add_key (PushMemberVerdict *verdict,
         char              *key)
{
  if (verdict->reason_keys == NULL)
    verdict->reason_keys = g_ptr_array_new_with_free_func (g_free);

  /* Each kind of problem once per member. */
  for (guint i = 0; i < verdict->reason_keys->len; i++)
    if (g_str_equal (verdict->reason_keys->pdata[i], key))
      {
        g_free (key);
        return;
      }
  g_ptr_array_add (verdict->reason_keys, key);
}

/* Whether @row is set aside; @verdict (nullable) gets the reasons @flags ask for. With @lead
 * the lead is built in it, the same checks made. */
static gboolean
check_row (PushMemberClassifier    *self,
           const PushAudienceRow   *row,
           PushMemberClassifyFlags  flags,
           GString                 *lead,
           PushMemberVerdict       *verdict)
{
  const PushLeadIssue *issues;
  guint n_issues = 0;
  gboolean ok;
  GString *text = NULL;

  if (verdict == NULL)
    flags = PUSH_MEMBER_CLASSIFY_NONE;

  if (row->problem != PUSH_AUDIENCE_PROBLEM_NONE)
    {
      if (flags != PUSH_MEMBER_CLASSIFY_NONE)
        {
          char *reason = g_strdup_printf (_("The row could not be read: %s"),
                                          push_activation_describe_row_problem (row->problem));

          if (flags & PUSH_MEMBER_CLASSIFY_REASON_KEYS)
            add_key (verdict, g_strdup (reason));
          if (flags & PUSH_MEMBER_CLASSIFY_REASON)
            verdict->reason = reason;
          else
            g_free (reason);
        }
      return TRUE;
    }

  if (lead != NULL)
    {
      g_string_truncate (lead, 0);
      ok = push_lead_builder_append_lead (self->builder, row, lead);
    }
  else
    ok = push_lead_builder_check_row (self->builder, row);
  issues = push_lead_builder_get_issues (self->builder, &n_issues);
  if (ok && n_issues == 0)
    return FALSE;
  if (flags == PUSH_MEMBER_CLASSIFY_NONE)
    return TRUE;

  if (flags & PUSH_MEMBER_CLASSIFY_REASON)
    text = g_string_new (NULL);
  for (guint i = 0; i < n_issues; i++)
    {
      if (text != NULL)
        {
          g_autofree char *one = push_lead_issue_describe (&issues[i], row->number);

          if (text->len > 0)
            g_string_append (text, "; ");
          g_string_append (text, one);
        }
      if (!(flags & PUSH_MEMBER_CLASSIFY_REASON_KEYS))
        continue;
      if (issues[i].issue == PUSH_VALUE_EMPTY)
        add_key (verdict, g_strdup_printf (_("The dedupe value in column “%s” (%s) is empty"),
                                           issues[i].column, issues[i].field));
      else
        add_key (verdict, g_strdup_printf (_("Column “%s” (%s): %s"), issues[i].column,
                                           issues[i].field,
                                           push_value_issue_get_phrase (issues[i].issue)));
    }
  if (n_issues == 0)
    {
      if (flags & PUSH_MEMBER_CLASSIFY_REASON_KEYS)
        add_key (verdict, g_strdup (_("The row has no dedupe value")));
      if (text != NULL)
        g_string_append (text, _("The row has no dedupe value"));
    }
  if (text != NULL)
    verdict->reason = g_string_free (text, FALSE);
  return TRUE;
}

static guint64
dedupe_hash (PushMemberClassifier  *self,
             const PushAudienceRow *row)
{
  gsize length = 0;
  const char *value = push_lead_builder_get_dedupe_value (self->builder, row, &length);

  return push_dedupe_key_hash (value, length);
}

/* ---- GObject -------------------------------------------------------------------------- */

static void
push_member_classifier_finalize (GObject *object)
{
  PushMemberClassifier *self = PUSH_MEMBER_CLASSIFIER (object);

  g_clear_object (&self->builder);
  g_clear_pointer (&self->index, push_dedupe_index_free);

  G_OBJECT_CLASS (push_member_classifier_parent_class)->finalize (object);
}

static void
push_member_classifier_class_init (PushMemberClassifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = push_member_classifier_finalize;
}

static void
push_member_classifier_init (PushMemberClassifier *self)
{
  self->index = push_dedupe_index_new (0);
}

/* ---- Public API ----------------------------------------------------------------------- */

PushMemberClassifier *
push_member_classifier_new (PushLeadBuilder *builder)
{
  PushMemberClassifier *self;

  g_return_val_if_fail (PUSH_IS_LEAD_BUILDER (builder), NULL);

  self = g_object_new (PUSH_TYPE_MEMBER_CLASSIFIER, NULL);
  self->builder = g_object_ref (builder);
  return self;
}

PushLeadBuilder *
push_member_classifier_get_builder (PushMemberClassifier *self)
{
  g_return_val_if_fail (PUSH_IS_MEMBER_CLASSIFIER (self), NULL);
  return self->builder;
}

void
push_member_classifier_set_resume_row (PushMemberClassifier *self,
                                       guint64               row)
{
  g_return_if_fail (PUSH_IS_MEMBER_CLASSIFIER (self));
  g_return_if_fail (self->rows == 0);
  self->resume_row = row;
}

void
push_member_classifier_reserve (PushMemberClassifier *self,
                                guint64               n)
{
  g_return_if_fail (PUSH_IS_MEMBER_CLASSIFIER (self));
  push_dedupe_index_reserve (self->index, n);
}

PushMemberKind
push_member_classifier_scan_row (PushMemberClassifier    *self,
                                 const PushAudienceRow   *row,
                                 PushMemberClassifyFlags  flags,
                                 PushMemberVerdict       *verdict)
{
  gboolean counted;
  guint64 previous;

  g_return_val_if_fail (PUSH_IS_MEMBER_CLASSIFIER (self), PUSH_MEMBER_SET_ASIDE);
  g_return_val_if_fail (row != NULL && row->number > 0, PUSH_MEMBER_SET_ASIDE);

  counted = row->number > self->resume_row;
  self->rows++;
  if (counted)
    self->remaining++;

  if (check_row (self, row, flags, NULL, verdict))
    {
      if (counted)
        self->set_aside++;
      if (verdict != NULL)
        verdict->kind = PUSH_MEMBER_SET_ASIDE;
      return PUSH_MEMBER_SET_ASIDE;
    }

  previous = push_dedupe_index_insert (self->index, dedupe_hash (self, row), row->number);
  if (counted)
    self->valid++;
  if (previous > self->resume_row)
    self->replaced++;
  if (verdict != NULL)
    verdict->kind = PUSH_MEMBER_SEND;
  return PUSH_MEMBER_SEND;
}

PushMemberKind
push_member_classifier_classify (PushMemberClassifier    *self,
                                 const PushAudienceRow   *row,
                                 PushMemberClassifyFlags  flags,
                                 GString                 *lead,
                                 PushMemberVerdict       *verdict)
{
  guint64 last;

  g_return_val_if_fail (PUSH_IS_MEMBER_CLASSIFIER (self), PUSH_MEMBER_SET_ASIDE);
  g_return_val_if_fail (row != NULL, PUSH_MEMBER_SET_ASIDE);

  if (check_row (self, row, flags, lead, verdict))
    {
      if (verdict != NULL)
        verdict->kind = PUSH_MEMBER_SET_ASIDE;
      return PUSH_MEMBER_SET_ASIDE;
    }

  last = push_dedupe_index_lookup (self->index, dedupe_hash (self, row));
  if (last != row->number)
    {
      if (verdict != NULL)
        {
          verdict->kind = PUSH_MEMBER_DUPLICATE;
          verdict->kept_row = last;
        }
      return PUSH_MEMBER_DUPLICATE;
    }
  if (verdict != NULL)
    verdict->kind = PUSH_MEMBER_SEND;
  return PUSH_MEMBER_SEND;
}

void
push_member_classifier_get_counts (PushMemberClassifier *self,
                                   PushMemberCounts     *counts)
{
  g_return_if_fail (PUSH_IS_MEMBER_CLASSIFIER (self));
  g_return_if_fail (counts != NULL);

  counts->rows = self->rows;
  counts->remaining = self->remaining;
  counts->set_aside = self->set_aside;
  counts->duplicates = self->replaced;
  counts->sendable = self->valid - self->replaced;
}

gsize
push_member_classifier_get_memory (PushMemberClassifier *self)
{
  g_return_val_if_fail (PUSH_IS_MEMBER_CLASSIFIER (self), 0);
  return push_dedupe_index_get_memory (self->index);
}
