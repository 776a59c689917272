/* push-planner.h: the preview's planner — what an activation would do, without writing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A job object (construct, configure, run_async/run_finish) that makes a PushPreview of one
 * audience file into one destination. It goes through the activation's own steps up to the
 * first write, with the activation's own code, and stops there:
 *
 *  1. The instance's fields and partitions (read from Marketo unless given), then the same
 *     check of the destination (PushValidator, the edit level: the privacy acknowledgement
 *     does not block a preview).
 *  2. In a worker thread, two passes over the file: the rows the activation sets aside (a row
 *     the reader marks, an empty or bad dedupe value, a value that does not fit its field)
 *     with the activation's reasons, the dedupe index (PushDedupeIndex: the last row of each
 *     value is sent, the earlier ones are duplicates), then the members to look up: all of
 *     them (Full) or a seeded uniform sample (Sample; PushSampler), sized for ±2 points at
 *     95 % confidence with the finite-population correction (push_estimate_sample_size()).
 *  3. On the caller's main context: the lookups, through PushLeadMatcher (the activation's
 *     lookup: Get Leads by Filter Type, ≤ 300 values a call, every page; the most recently
 *     updated lead wins) and the caller's MarketoClient (so its pacer: a Full preview is paced
 *     like a run). Only read calls are made. Progress is reported after every call; the
 *     GCancellable stops between calls.
 *  4. Each member's outcome as the activation will meet it (push_planner_predict()), the
 *     counts and estimates, and the forecast (push_forecast_compute(), fed like the
 *     activation feeds it). With a store set, the preview is saved.
 */
#pragma once

#include <gio/gio.h>

#include "marketo-client.h"
#include "push-destination.h"
#include "push-lead-matcher.h"
#include "push-preview.h"
#include "push-problem.h"
#include "push-store.h"

G_BEGIN_DECLS

#define PUSH_PLANNER_ERROR (push_planner_error_quark ())
/**
 * PushPlannerError:
 * @PUSH_PLANNER_ERROR_INVALID: the destination has errors (push_planner_dup_problems())
 * @PUSH_PLANNER_ERROR_AUDIENCE_CHANGED: the audience file changed between the two passes
 *
 * Errors of the other layers keep their domains (MARKETO_ERROR, PUSH_AUDIENCE_ERROR,
 * PUSH_LEAD_BUILDER_ERROR, PUSH_STORE_ERROR, G_IO_ERROR) with a prefix saying what was being
 * done. Cancelling fails with G_IO_ERROR_CANCELLED.
 */
typedef enum {
  PUSH_PLANNER_ERROR_INVALID,
  PUSH_PLANNER_ERROR_AUDIENCE_CHANGED,
} PushPlannerError;
GQuark push_planner_error_quark (void);

/**
 * PushPlannerPhase:
 * @PUSH_PLANNER_PHASE_IDLE: not started
 * @PUSH_PLANNER_PHASE_INSTANCE: reading the instance's fields and partitions
 * @PUSH_PLANNER_PHASE_READING: reading the audience file
 * @PUSH_PLANNER_PHASE_LOOKING_UP: looking members up (progress: members looked up / to look up)
 * @PUSH_PLANNER_PHASE_DONE: finished (successfully or not)
 */
typedef enum {
  PUSH_PLANNER_PHASE_IDLE,
  PUSH_PLANNER_PHASE_INSTANCE,
  PUSH_PLANNER_PHASE_READING,
  PUSH_PLANNER_PHASE_LOOKING_UP,
  PUSH_PLANNER_PHASE_DONE,
} PushPlannerPhase;

/* Sample mode never looks up more members than this many calls can carry. */
#define PUSH_PLANNER_DEFAULT_MAX_SAMPLE_CALLS 24
/* Full mode keeps the values for the member detail of at most this many members. */
#define PUSH_PLANNER_MAX_DETAILED_MEMBERS 20000

/* The outcome the activation will give a member that is sent, from its lookup. @match NULL
 * means nobody has the value. @partition_id: the id of the partition the activation names
 * when it creates or updates people (0 when unknown); @partition_rule: the instance refuses
 * to update a lead of another partition (1010). Fills @prediction's outcome, lead_id,
 * n_matches, other_lead_ids, partition_id, reason_code and reason. */
void              push_planner_predict            (PushSyncType          sync_type,
                                                   PushPersonAction      action,
                                                   gint64                partition_id,
                                                   gboolean              partition_rule,
                                                   const PushLeadMatch  *match,
                                                   PushPrediction       *prediction);

#define PUSH_TYPE_PLANNER (push_planner_get_type ())
G_DECLARE_FINAL_TYPE (PushPlanner, push_planner, PUSH, PLANNER, GObject)

/* A planner for @audience into @destination (copied), looking up through @client, which
 * belongs to the thread that calls run_async() (see marketo-client.h). */
PushPlanner      *push_planner_new                (PushDestination      *destination,
                                                   GFile                *audience,
                                                   MarketoClient        *client);

/* Settings, before run_async(). */
void              push_planner_set_mode           (PushPlanner          *self,
                                                   PushPreviewMode       mode);
PushPreviewMode   push_planner_get_mode           (PushPlanner          *self);
/* The instance's fields and partitions when the caller has them (copied); otherwise they
 * are read from Marketo (two read calls), as the activation does. */
void              push_planner_set_schema         (PushPlanner          *self,
                                                   const MarketoLeadSchema *schema);
void              push_planner_set_partitions     (PushPlanner          *self,
                                                   GPtrArray            *partitions);
/* The instance refuses updates of leads in another partition (the sandbox's
 * "partition-rule"): predict 1010 for them. Default FALSE. */
void              push_planner_set_partition_rule (PushPlanner          *self,
                                                   gboolean              partition_rule);
/* Sample mode: the seed of the random choice (default: a fresh random seed; the preview
 * records it), the margin and confidence the sample size aims at (default ±0.02 at 0.95), a
 * fixed sample size instead (0: computed), and the cap in calls. */
/* The audience file's format and CSV delimiter as the user set them (default: detected). */
void              push_planner_set_audience_format (PushPlanner         *self,
                                                   PushAudienceFormat   format,
                                                   char                 delimiter);
void              push_planner_set_seed           (PushPlanner          *self,
                                                   guint32               seed);
void              push_planner_set_precision      (PushPlanner          *self,
                                                   double                margin,
                                                   double                confidence);
void              push_planner_set_sample_size    (PushPlanner          *self,
                                                   guint64               sample_size);
void              push_planner_set_max_sample_calls (PushPlanner        *self,
                                                   guint                 calls);
/* Where to save the preview (nullable: not saved). The destination must be in it. */
void              push_planner_set_store          (PushPlanner          *self,
                                                   PushStore            *store);

/* Progress, on the caller's main context: the "progress" signal (no arguments) after every
 * change of phase and after every lookup call. */
PushPlannerPhase  push_planner_get_phase          (PushPlanner          *self);
/* Members looked up so far and to look up (LOOKING_UP), rows read (READING). */
void              push_planner_get_progress       (PushPlanner          *self,
                                                   guint64              *done,
                                                   guint64              *total);
/* (transfer container) (element-type PushProblem) what the destination check found. */
GPtrArray        *push_planner_dup_problems       (PushPlanner          *self);

void              push_planner_run_async          (PushPlanner          *self,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
PushPreview      *push_planner_run_finish         (PushPlanner          *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
/* The same, blocking: iterates the thread-default main context (the client's) until done.
 * For the CLI and tests. */
PushPreview      *push_planner_run               (PushPlanner          *self,
                                                   GCancellable         *cancellable,
                                                   GError              **error);

G_END_DECLS
