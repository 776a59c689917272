/* push-preview.h: what an activation will do to every member, before a single write
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The result of PushPlanner (push-planner.h), and what the CLI's "preview" command and the
 * app's Preview page show. A preview of one audience file into one destination has:
 *
 *  - exact counts of what is decided locally, from the file alone: the members set aside
 *    (rows with a problem, with the reasons) and the duplicates inside the audience (the
 *    activation sends the last row of each dedupe value);
 *  - for the members that would be sent, what Marketo will do with each, from a read-only
 *    lookup of their dedupe values: created, updated, added to the list, not found, several
 *    leads matching (the most recently updated wins; both ids are kept), rejected with the
 *    reason code Marketo will answer (1007 several matches under an upsert, 1010 another
 *    partition when that rule is on). In Sample mode only a random sample is looked up and
 *    these are estimates with confidence intervals; in Full mode they are predictions for
 *    every member;
 *  - the forecast of the activation (calls, share of today's quota, time), computed by the
 *    same code as the activation's own (push-forecast.h);
 *  - the members as a GListModel of PushPreviewMember, in row order: every member in Full
 *    mode; in Sample mode the members set aside, the duplicates and the sample.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "push-audience-fingerprint.h"
#include "push-destination.h"
#include "push-estimate.h"
#include "push-forecast.h"
#include "push-preview-member.h"
#include "push-preview-store.h"
#include "push-run-store.h"

G_BEGIN_DECLS

/**
 * PushPreviewEstimate:
 * @successes: the looked-up members with the outcome (in the sample, or all of them)
 * @share: their share of the looked-up members, with its confidence interval (exact, low =
 *   high, when every member was looked up)
 * @count: @share × the members to look up: the number expected in the activation
 * @count_low: the interval's bounds as numbers of members
 * @count_high: …
 */
typedef struct {
  guint64      successes;
  PushInterval share;
  double       count;
  double       count_low;
  double       count_high;
} PushPreviewEstimate;

#define PUSH_TYPE_PREVIEW (push_preview_get_type ())
G_DECLARE_FINAL_TYPE (PushPreview, push_preview, PUSH, PREVIEW, GObject)

/* The id the preview is stored under (NULL until saved or when not stored). */
const char           *push_preview_get_id                (PushPreview       *self);
PushPreviewMode       push_preview_get_mode              (PushPreview       *self);
/* The destination as previewed (a copy). */
PushDestination      *push_preview_get_destination       (PushPreview       *self);
/* (nullable) the audience file's fingerprint. */
const PushAudienceFingerprint *push_preview_get_fingerprint (PushPreview    *self);
/* (nullable) when the preview was made (local time of its making, or when it was stored). */
GDateTime            *push_preview_get_created           (PushPreview       *self);
/* FALSE when it was cancelled before every lookup was made (the members looked up so far are
 * there; the others are left out of the counts). */
gboolean              push_preview_get_complete          (PushPreview       *self);

/* The audience's members (data rows). */
guint64               push_preview_get_n_members         (PushPreview       *self);
/* The members that would be sent (neither set aside nor duplicates): the lookup population. */
guint64               push_preview_get_n_sendable        (PushPreview       *self);
/* How many of them were looked up (the sample size, or all of them in Full mode). */
guint64               push_preview_get_n_looked_up       (PushPreview       *self);
/* TRUE when the lookup outcomes are estimates (a sample smaller than the population). */
gboolean              push_preview_is_estimate           (PushPreview       *self);
double                push_preview_get_confidence        (PushPreview       *self);
/* The worst-case half-width of the intervals the sample gives (0 when exact). */
double                push_preview_get_margin            (PushPreview       *self);
guint32               push_preview_get_seed              (PushPreview       *self);

/* The predicted counts, as the activation will report them (push_run_counts_*()): exact in
 * Full mode; in Sample mode the estimates rounded, set aside and duplicates exact. */
const PushRunCounts  *push_preview_get_counts            (PushPreview       *self);
/* The estimate of the members with @outcome among those sent. FALSE for the outcomes decided
 * locally (set aside, duplicate) and for failed. */
gboolean              push_preview_get_estimate          (PushPreview       *self,
                                                          PushOutcome        outcome,
                                                          PushPreviewEstimate *estimate);
/* The members sent whose dedupe value matches at least one lead / several leads. */
void                  push_preview_get_match_estimate    (PushPreview       *self,
                                                          PushPreviewEstimate *estimate);
void                  push_preview_get_multiple_estimate (PushPreview       *self,
                                                          PushPreviewEstimate *estimate);
/* The partitions the matched leads live in, by id ascending, and how many members match a
 * lead in each. */
const gint64         *push_preview_get_partition_ids     (PushPreview       *self,
                                                          guint             *n_ids);
void                  push_preview_get_partition_estimate (PushPreview      *self,
                                                          gint64             partition_id,
                                                          PushPreviewEstimate *estimate);
/* The partition's name when the instance's partitions were known, else NULL. */
const char           *push_preview_get_partition_name    (PushPreview       *self,
                                                          gint64             partition_id);
/* Why members are set aside: @n_reasons distinct sentences, most frequent first. */
guint                 push_preview_get_n_reasons         (PushPreview       *self);
const char           *push_preview_get_reason            (PushPreview       *self,
                                                          guint              index,
                                                          guint64           *count);

/* (nullable) the activation's forecast, from the same code as the activation's. */
const PushForecast   *push_preview_get_forecast          (PushPreview       *self);
/* The API calls the preview made, and how long it took. */
guint64               push_preview_get_calls             (PushPreview       *self);
double                push_preview_get_elapsed           (PushPreview       *self);

/* The fields whose values the member detail compares: the dedupe field, then the mapped
 * attribute fields, in mapping order. */
const char * const   *push_preview_get_detail_fields     (PushPreview       *self);

/* Members (also through the GListModel interface). */
guint                 push_preview_get_n_predictions     (PushPreview       *self);
const PushPrediction *push_preview_get_prediction        (PushPreview       *self,
                                                          guint              position);
/* The prediction of audience row @row_number, or NULL when the preview has none. */
const PushPrediction *push_preview_find_row              (PushPreview       *self,
                                                          guint64            row_number);

/* The summary document (what the store keeps and the CLI prints): mode, members, counts,
 * estimates with intervals, partitions, reasons, forecast. With @members, a "members" array
 * of the predictions too. */
JsonNode             *push_preview_to_json               (PushPreview       *self,
                                                          gboolean           members);

/* Saves the preview (a new id the first time) with its members. */
gboolean              push_preview_save                  (PushPreview       *self,
                                                          PushPreviewStore  *store,
                                                          GError           **error);
/* Reads a stored preview back (without the detail values, which are not stored). */
PushPreview          *push_preview_load                  (PushPreviewStore  *store,
                                                          const char        *id,
                                                          GError           **error);

G_END_DECLS
