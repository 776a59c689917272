/* push-lead-matcher.h: who in Marketo has these dedupe values
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Looks leads up by one searchable field (Get Leads by Filter Type, at most 300 values a
 * call, every page read) and answers, for each value, which lead it means. Matching spans all
 * partitions. When several leads have the value, the most recently updated one wins (the
 * latest updatedAt; on a tie the highest id) and the others are listed. Values are compared
 * as push_dedupe_key_normalize() does (trimmed, ASCII case ignored).
 *
 * Used by the activation (Audience only) and by the preview. A matcher belongs to the thread
 * of its client: call it from there; results arrive in that thread's main context.
 */
#pragma once

#include <gio/gio.h>

#include "marketo-client.h"

G_BEGIN_DECLS

/**
 * PushLeadMatch:
 * @index: the position of the value in the caller's array
 * @lead: (nullable): the chosen lead (id, the field, updatedAt and any extra fields), or
 *   NULL when nobody has the value
 * @n_matches: how many leads have the value
 * @other_ids: the ids of the other matching leads (gint64), most recently updated first;
 *   empty unless @n_matches > 1
 */
typedef struct {
  guint         index;
  MarketoLead  *lead;
  guint         n_matches;
  GArray       *other_ids;
} PushLeadMatch;

#define PUSH_TYPE_LEAD_MATCH (push_lead_match_get_type ())
GType          push_lead_match_get_type    (void) G_GNUC_CONST;
PushLeadMatch *push_lead_match_copy        (const PushLeadMatch *match);
void           push_lead_match_free        (PushLeadMatch       *match);
/* The chosen lead's id, or 0. */
gint64         push_lead_match_get_lead_id (const PushLeadMatch *match);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PushLeadMatch, push_lead_match_free)

#define PUSH_TYPE_LEAD_MATCHER (push_lead_matcher_get_type ())
G_DECLARE_FINAL_TYPE (PushLeadMatcher, push_lead_matcher, PUSH, LEAD_MATCHER, GObject)

/* @field: the searchable field the values belong to (the destination's dedupe field). */
PushLeadMatcher *push_lead_matcher_new              (MarketoClient       *client,
                                                     const char          *field);
const char      *push_lead_matcher_get_field        (PushLeadMatcher     *self);
/* More fields to read for each lead (e.g. "leadPartitionId", "email"); NULL: none. */
void             push_lead_matcher_set_extra_fields (PushLeadMatcher     *self,
                                                     const char * const  *fields);
/* API calls made so far (lookups and their extra pages). */
guint64          push_lead_matcher_get_calls        (PushLeadMatcher     *self);

/* Looks @values up (any number; 300 per call, one call after the other). The result is a
 * GPtrArray of PushLeadMatch, one per value in order. A call that fails fails the whole
 * operation. Empty values match nobody (and cost nothing). */
void             push_lead_matcher_match_async      (PushLeadMatcher     *self,
                                                     const char * const  *values,
                                                     guint                n_values,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
GPtrArray       *push_lead_matcher_match_finish     (PushLeadMatcher     *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

/* Picks the winner among @leads (element-type MarketoLead): the latest updatedAt, then the
 * highest id. Returns its index, or -1 for an empty array. */
int              push_lead_matcher_pick_most_recent (GPtrArray           *leads);

G_END_DECLS
