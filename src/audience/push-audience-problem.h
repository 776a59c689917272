/* push-audience-problem.h: one problem found while reading an audience file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "push-audience-types.h"

G_BEGIN_DECLS

/**
 * PushAudienceProblem:
 * @row: the 1-based data row (the header is not counted: the first row after it is row 1);
 *   0 for a problem in the header
 * @line: the 1-based line of the file where that row starts (the header line is line 1 unless
 *   blank lines come before it); differs from @row + 1 once quoted fields hold line breaks or
 *   blank lines were skipped
 * @column: the 1-based column, or 0 when the problem is about the row as a whole
 * @kind: what is wrong
 * @message: a translated sentence that says where and what, with thousands separators in the
 *   row number: "Row 18,204, column 3: unterminated quoted field"
 */
typedef struct {
  guint64                  row;
  guint64                  line;
  guint                    column;
  PushAudienceProblemKind  kind;
  char                    *message;
} PushAudienceProblem;

#define PUSH_TYPE_AUDIENCE_PROBLEM (push_audience_problem_get_type ())

GType                push_audience_problem_get_type (void) G_GNUC_CONST;
PushAudienceProblem *push_audience_problem_new      (guint64                    row,
                                                     guint64                    line,
                                                     guint                      column,
                                                     PushAudienceProblemKind    kind,
                                                     const char                *message);
PushAudienceProblem *push_audience_problem_copy     (const PushAudienceProblem *self);
void                 push_audience_problem_free     (PushAudienceProblem       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PushAudienceProblem, push_audience_problem_free)

G_END_DECLS
