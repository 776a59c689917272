/* push-member-classifier.h: which audience rows are sent, set aside, or duplicates
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one row rule of the activation, which the preview planner predicts with the same code.
 * A row is SET ASIDE when it could not be read or its values fail the destination's checks
 * (an empty dedupe value, a value of the wrong type or too long…); of the other rows that
 * share a dedupe value, the LAST one is SENT and the earlier ones are DUPLICATES.
 *
 * Two passes over the same audience: push_member_classifier_scan_row() for every row (sets
 * rows aside and fills the dedupe index, counting as it goes), then
 * push_member_classifier_classify() for every row, which tells the three kinds apart.
 */
#pragma once

#include <glib-object.h>

#include "push-audience-reader.h"
#include "push-lead-builder.h"

G_BEGIN_DECLS

/**
 * PushMemberKind:
 * @PUSH_MEMBER_SEND: the row is sent (in the scan: the row is valid)
 * @PUSH_MEMBER_SET_ASIDE: the row has a problem and is not sent
 * @PUSH_MEMBER_DUPLICATE: a later row has the same dedupe value and is sent instead
 */
typedef enum {
  PUSH_MEMBER_SEND,
  PUSH_MEMBER_SET_ASIDE,
  PUSH_MEMBER_DUPLICATE,
} PushMemberKind;

/**
 * PushMemberClassifyFlags:
 * @PUSH_MEMBER_CLASSIFY_NONE: the kind only
 * @PUSH_MEMBER_CLASSIFY_REASON: a set-aside verdict gets its sentence (@reason)
 * @PUSH_MEMBER_CLASSIFY_REASON_KEYS: a set-aside verdict gets its problems without the row
 *   number (@reason_keys), to count how many members have each kind of problem
 */
typedef enum {
  PUSH_MEMBER_CLASSIFY_NONE        = 0,
  PUSH_MEMBER_CLASSIFY_REASON      = 1 << 0,
  PUSH_MEMBER_CLASSIFY_REASON_KEYS = 1 << 1,
} PushMemberClassifyFlags;

/**
 * PushMemberVerdict:
 * @kind: what happens to the row
 * @reason: (nullable): set aside, with %PUSH_MEMBER_CLASSIFY_REASON: "Row 12: column …"
 * @reason_keys: (nullable) (element-type utf8): set aside, with
 *   %PUSH_MEMBER_CLASSIFY_REASON_KEYS: each problem once, without the row number
 * @kept_row: a duplicate: the row of the same dedupe value that is sent instead
 *
 * The verdict on one row. Usually on the stack, emptied with push_member_verdict_clear();
 * nothing is allocated for a row that is sent.
 */
typedef struct {
  PushMemberKind  kind;
  char           *reason;
  GPtrArray      *reason_keys;
  guint64         kept_row;
} PushMemberVerdict;

#define PUSH_TYPE_MEMBER_VERDICT (push_member_verdict_get_type ())
GType              push_member_verdict_get_type (void) G_GNUC_CONST;
PushMemberVerdict *push_member_verdict_copy     (const PushMemberVerdict *verdict);
void               push_member_verdict_free     (PushMemberVerdict       *verdict);
void               push_member_verdict_clear    (PushMemberVerdict       *verdict);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PushMemberVerdict, push_member_verdict_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PushMemberVerdict, push_member_verdict_clear)

/**
 * PushMemberCounts:
 * @rows: every row scanned
 * @remaining: the rows after the resume row (all of them for a new run)
 * @set_aside: remaining rows set aside
 * @duplicates: remaining rows whose dedupe value a later row repeats
 * @sendable: remaining rows that are sent
 *
 * What the scan found; @set_aside + @duplicates + @sendable == @remaining.
 */
typedef struct {
  guint64 rows;
  guint64 remaining;
  guint64 set_aside;
  guint64 duplicates;
  guint64 sendable;
} PushMemberCounts;

#define PUSH_TYPE_MEMBER_CLASSIFIER (push_member_classifier_get_type ())
G_DECLARE_FINAL_TYPE (PushMemberClassifier, push_member_classifier, PUSH, MEMBER_CLASSIFIER,
                      GObject)

/* @builder checks the rows and gives their dedupe values (the audience's columns). */
PushMemberClassifier *push_member_classifier_new        (PushLeadBuilder        *builder);
PushLeadBuilder      *push_member_classifier_get_builder (PushMemberClassifier  *self);
/* A resumed run: the rows up to @row (already handled) still fill the index but are not
 * counted. Before the scan. */
void                  push_member_classifier_set_resume_row (PushMemberClassifier *self,
                                                         guint64                row);
/* Makes room in the dedupe index for about @n values. */
void                  push_member_classifier_reserve    (PushMemberClassifier   *self,
                                                         guint64                 n);

/* The scan (first pass), rows in order: SEND (the row is valid: its value goes into the
 * index) or SET_ASIDE. @verdict (nullable) gets what @flags ask for; clear it after. */
PushMemberKind        push_member_classifier_scan_row   (PushMemberClassifier   *self,
                                                         const PushAudienceRow  *row,
                                                         PushMemberClassifyFlags flags,
                                                         PushMemberVerdict      *verdict);
/* After the scan, each row again: SEND, SET_ASIDE or DUPLICATE. With @lead (nullable) the
 * row's lead JSON replaces its contents (profile destinations), else the row is only
 * checked. @verdict (nullable) as above. */
PushMemberKind        push_member_classifier_classify   (PushMemberClassifier   *self,
                                                         const PushAudienceRow  *row,
                                                         PushMemberClassifyFlags flags,
                                                         GString                *lead,
                                                         PushMemberVerdict      *verdict);

void                  push_member_classifier_get_counts (PushMemberClassifier   *self,
                                                         PushMemberCounts       *counts);
/* Bytes the dedupe index holds. */
gsize                 push_member_classifier_get_memory (PushMemberClassifier   *self);

G_END_DECLS
