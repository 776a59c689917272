/* push-audience-problem.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "push-audience-problem.h"

G_DEFINE_BOXED_TYPE (PushAudienceProblem, push_audience_problem,
                     push_audience_problem_copy, push_audience_problem_free)

PushAudienceProblem *
push_audience_problem_new (guint64                  row,
                           guint64                  line,
                           guint                    column,
                           PushAudienceProblemKind  kind,
                           const char              *message)
{
  PushAudienceProblem *self = g_new0 (PushAudienceProblem, 1);

  self->row = row;
  self->line = line;
  self->column = column;
  self->kind = kind;
  self->message = g_strdup (message);

  return self;
}

PushAudienceProblem *
push_audience_problem_copy (const PushAudienceProblem *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return push_audience_problem_new (self->row, self->line, self->column, self->kind,
                                    self->message);
}

void
push_audience_problem_free (PushAudienceProblem *self)
{
  if (self == NULL)
    return;

  g_free (self->message);
  g_free (self);
}
