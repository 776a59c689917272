/* push-run-store.h: activation runs, their batch checkpoints and per-person outcomes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The runs, run_batches and outcomes tables of the store (schema v3). A run is one activation
 * of an audience file into a destination: its state, a copy of the destination's document,
 * the audience's fingerprint, its counts, and a checkpoint (the batches committed so far and
 * the last audience row they cover). push_run_store_commit_batch() writes one batch's outcome
 * rows together with the checkpoint advance in ONE transaction, so a run killed at any instant
 * resumes after its last committed batch and no member is lost or counted twice.
 *
 * A run that is being worked on holds a lock file (PushRunLock, an flock() on
 * "<database>.runs/<run id>.lock") for as long as it is 'running'. The kernel drops that lock
 * when the process dies, however it dies, so push_run_store_detect_interrupted() can tell a
 * run left 'running' by a dead process (marked 'interrupted') from one that is alive in
 * another process (left alone).
 *
 * Thread-safe: it uses the store's connection under the store's lock.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "push-store.h"

G_BEGIN_DECLS

/**
 * PushRunState:
 * @PUSH_RUN_STATE_PENDING: created, nothing sent yet
 * @PUSH_RUN_STATE_RUNNING: being worked on by a live process
 * @PUSH_RUN_STATE_PAUSED: stopped by the daily API quota; resumable after the reset
 * @PUSH_RUN_STATE_CANCELLED: stopped by the user; resumable
 * @PUSH_RUN_STATE_INTERRUPTED: the process working on it died; resumable
 * @PUSH_RUN_STATE_COMPLETED: every member has its outcome
 * @PUSH_RUN_STATE_FAILED: stopped by an error; resumable once the cause is fixed
 *
 * The nicks ("running", …) are the strings of the database and of the CLI's JSON.
 */
typedef enum {
  PUSH_RUN_STATE_PENDING,
  PUSH_RUN_STATE_RUNNING,
  PUSH_RUN_STATE_PAUSED,
  PUSH_RUN_STATE_CANCELLED,
  PUSH_RUN_STATE_INTERRUPTED,
  PUSH_RUN_STATE_COMPLETED,
  PUSH_RUN_STATE_FAILED,
} PushRunState;

/**
 * PushOutcome:
 * @PUSH_OUTCOME_CREATED: a new person was created (and, for Audience and profile, added to
 *   the list)
 * @PUSH_OUTCOME_UPDATED: an existing person was updated (and added to the list, as above)
 * @PUSH_OUTCOME_ADDED: Audience only: the person was found and added to the list
 * @PUSH_OUTCOME_NOT_FOUND: nobody has this dedupe value (Audience only, or Update only)
 * @PUSH_OUTCOME_MULTIPLE_MATCHES: Audience only: several people matched; the most recently
 *   updated one was added (the others' ids are in the detail)
 * @PUSH_OUTCOME_SET_ASIDE: the row has a problem (the reason says which) and was not sent
 * @PUSH_OUTCOME_DUPLICATE: a later row of the audience has the same dedupe value; that row
 *   was sent instead
 * @PUSH_OUTCOME_REJECTED: Marketo skipped the person (reason code and message)
 * @PUSH_OUTCOME_FAILED: the person's request failed as a whole
 */
typedef enum {
  PUSH_OUTCOME_CREATED,
  PUSH_OUTCOME_UPDATED,
  PUSH_OUTCOME_ADDED,
  PUSH_OUTCOME_NOT_FOUND,
  PUSH_OUTCOME_MULTIPLE_MATCHES,
  PUSH_OUTCOME_SET_ASIDE,
  PUSH_OUTCOME_DUPLICATE,
  PUSH_OUTCOME_REJECTED,
  PUSH_OUTCOME_FAILED,
} PushOutcome;

#define PUSH_OUTCOME_N_VALUES (PUSH_OUTCOME_FAILED + 1)
/* An outcome filter: a set of outcomes; 0 means all of them. */
#define PUSH_OUTCOME_MASK(outcome) (1u << (outcome))
#define PUSH_OUTCOME_MASK_ALL 0u

#define PUSH_TYPE_RUN_STATE (push_run_state_get_type ())
#define PUSH_TYPE_OUTCOME   (push_outcome_get_type ())
GType        push_run_state_get_type      (void) G_GNUC_CONST;
GType        push_outcome_get_type        (void) G_GNUC_CONST;

const char  *push_run_state_to_string     (PushRunState   state);
gboolean     push_run_state_from_string   (const char    *nick,
                                           PushRunState  *out_state);
/* Translated: "Running", "Paused (daily quota)", … */
const char  *push_run_state_get_label     (PushRunState   state);
/* TRUE for the states a run can be resumed from: paused, cancelled, interrupted, failed. */
gboolean     push_run_state_is_resumable  (PushRunState   state);

const char  *push_outcome_to_string       (PushOutcome    outcome);
gboolean     push_outcome_from_string     (const char    *nick,
                                           PushOutcome   *out_outcome);
/* Translated: "Created", "Not found", … */
const char  *push_outcome_get_label       (PushOutcome    outcome);

/**
 * PushRunCounts:
 *
 * How many members ended with each outcome; @members is their sum (the members done).
 * @added counts list additions: for Audience and profile it grows beside @created/@updated.
 */
typedef struct {
  guint64 members;
  guint64 created;
  guint64 updated;
  guint64 added;
  guint64 not_found;
  guint64 multiple_matches;
  guint64 set_aside;
  guint64 duplicates;
  guint64 rejected;
  guint64 failed;
} PushRunCounts;

/* Counts one member with @outcome (@members and the outcome's counter; not @added). */
void         push_run_counts_add_outcome  (PushRunCounts       *counts,
                                           PushOutcome          outcome);
void         push_run_counts_add          (PushRunCounts       *counts,
                                           const PushRunCounts *other);
gboolean     push_run_counts_equal        (const PushRunCounts *a,
                                           const PushRunCounts *b);
/* {"members": …, "created": …, …, "duplicates": …} */
JsonNode    *push_run_counts_to_json      (const PushRunCounts *counts);
/* Missing members read as 0; not an object: all 0 and FALSE. */
gboolean     push_run_counts_from_json    (JsonNode            *node,
                                           PushRunCounts       *counts);

/**
 * PushRunInfo:
 *
 * One row of the runs table. Times are UTC (nullable when not reached yet). @forecast is the
 * forecast document as JSON text (nullable), @message a translated sentence about the last
 * state change (nullable), @quota_reset when a paused run may go on (nullable), @list_id the
 * static list the run adds people to (0: none, or not created yet).
 */
typedef struct {
  char          *id;
  char          *destination_id;        /* (nullable) */
  char          *destination_name;
  char          *destination_document;
  char          *account_id;            /* (nullable) */
  char          *audience_path;
  char          *audience_fingerprint;  /* push_audience_fingerprint_to_string() */
  PushRunState   state;
  GDateTime     *created;
  GDateTime     *started;               /* (nullable) */
  GDateTime     *finished;              /* (nullable) */
  guint64        total_members;
  guint          next_batch;            /* batches committed */
  guint64        resume_row;            /* every row up to this one has its outcome */
  gint64         resume_offset;         /* byte offset where that row starts (informative) */
  gint64         list_id;
  guint64        calls_used;
  GDateTime     *quota_reset;           /* (nullable) */
  char          *message;               /* (nullable) */
  char          *forecast;              /* (nullable) JSON */
  PushRunCounts  counts;
} PushRunInfo;

#define PUSH_TYPE_RUN_INFO (push_run_info_get_type ())
GType        push_run_info_get_type       (void) G_GNUC_CONST;
PushRunInfo *push_run_info_new            (void);
PushRunInfo *push_run_info_copy           (const PushRunInfo   *info);
void         push_run_info_free           (PushRunInfo         *info);
/* The run as the CLI prints it with --json (the destination document left out). */
JsonNode    *push_run_info_to_json        (const PushRunInfo   *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PushRunInfo, push_run_info_free)

/**
 * PushOutcomeRecord:
 *
 * One member's outcome: its audience row number (1-based data row), its dedupe value as read
 * (nullable when it had none), the lead id (0: none), Marketo's reason code (0: none) and
 * message, and a translated detail sentence (nullable).
 */
typedef struct {
  guint64      row_number;
  char        *dedupe_value;
  PushOutcome  outcome;
  gint64       lead_id;
  int          reason_code;
  char        *reason_message;
  char        *detail;
} PushOutcomeRecord;

#define PUSH_TYPE_OUTCOME_RECORD (push_outcome_record_get_type ())
GType              push_outcome_record_get_type (void) G_GNUC_CONST;
PushOutcomeRecord *push_outcome_record_new      (guint64                  row_number,
                                                 const char              *dedupe_value,
                                                 PushOutcome              outcome);
PushOutcomeRecord *push_outcome_record_copy     (const PushOutcomeRecord *record);
void               push_outcome_record_free     (PushOutcomeRecord       *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PushOutcomeRecord, push_outcome_record_free)

/**
 * PushRunBatch:
 *
 * The checkpoint one batch advances: batch @seq (0-based, committed in order) covers the
 * audience rows @first_row … @last_row, all of which get their outcome in the same commit.
 * @calls: the API calls the batch made.
 */
typedef struct {
  guint    seq;
  guint64  first_row;
  guint64  last_row;
  gint64   last_offset;
  guint    calls;
} PushRunBatch;

/* The lock a process holds on a run while it works on it. */
typedef struct _PushRunLock PushRunLock;
/* Deletes the lock file and drops the lock (call after the run's final state is saved). */
void         push_run_lock_release        (PushRunLock         *lock);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PushRunLock, push_run_lock_release)

#define PUSH_RUN_STORE_ERROR (push_run_store_error_quark ())
/**
 * PushRunStoreError:
 * @PUSH_RUN_STORE_ERROR_NOT_FOUND: no run with that id
 * @PUSH_RUN_STORE_ERROR_LOCKED: another live process is working on the run
 * @PUSH_RUN_STORE_ERROR_CHECKPOINT: a batch out of order (not the run's next batch)
 * @PUSH_RUN_STORE_ERROR_FAILED: the lock file could not be made
 */
typedef enum {
  PUSH_RUN_STORE_ERROR_NOT_FOUND,
  PUSH_RUN_STORE_ERROR_LOCKED,
  PUSH_RUN_STORE_ERROR_CHECKPOINT,
  PUSH_RUN_STORE_ERROR_FAILED,
} PushRunStoreError;
GQuark       push_run_store_error_quark   (void);

#define PUSH_TYPE_RUN_STORE (push_run_store_get_type ())
G_DECLARE_FINAL_TYPE (PushRunStore, push_run_store, PUSH, RUN_STORE, GObject)

PushRunStore *push_run_store_new              (PushStore          *store);
PushStore    *push_run_store_get_store        (PushRunStore       *self);

/* Finds the runs left 'running' whose lock no live process holds and marks them
 * 'interrupted'. Returns how many, or -1 with @error. Call it when the app or the CLI starts
 * (the list and get functions below do not). */
int           push_run_store_detect_interrupted (PushRunStore     *self,
                                                 GError          **error);

/* Takes the run's lock for this process (see above); PUSH_RUN_STORE_ERROR_LOCKED when a live
 * process holds it. */
PushRunLock  *push_run_store_lock_run         (PushRunStore       *self,
                                               const char         *run_id,
                                               GError            **error);

/* Inserts @info as a new run (@info->id must be set; see push_run_store_new_id()). */
gboolean      push_run_store_create_run       (PushRunStore       *self,
                                               const PushRunInfo  *info,
                                               GError            **error);
/* A fresh run id (a UUID). */
char         *push_run_store_new_id           (void);
/* (transfer full) PUSH_RUN_STORE_ERROR_NOT_FOUND when there is no such run. */
PushRunInfo  *push_run_store_get_run          (PushRunStore       *self,
                                               const char         *run_id,
                                               GError            **error);
/* Every run, newest first (element-type PushRunInfo; destination documents included). */
GPtrArray    *push_run_store_list_runs        (PushRunStore       *self,
                                               GError            **error);

/* Sets the state and the message (nullable) and, for 'paused', the quota reset (nullable).
 * 'running' stamps started (the first time); the final and resumable states stamp finished. */
gboolean      push_run_store_set_state        (PushRunStore       *self,
                                               const char         *run_id,
                                               PushRunState        state,
                                               const char         *message,
                                               GDateTime          *quota_reset,
                                               GError            **error);
gboolean      push_run_store_set_list_id      (PushRunStore       *self,
                                               const char         *run_id,
                                               gint64              list_id,
                                               GError            **error);
/* The forecast document (JSON text) and the member count the run expects. */
gboolean      push_run_store_set_forecast     (PushRunStore       *self,
                                               const char         *run_id,
                                               const char         *forecast,
                                               guint64             total_members,
                                               GError            **error);
/* Adds @calls to the run's calls used (calls made outside batches: describe, list). */
gboolean      push_run_store_add_calls        (PushRunStore       *self,
                                               const char         *run_id,
                                               guint64             calls,
                                               GError            **error);

/* In ONE transaction: inserts the outcome rows (element-type PushOutcomeRecord), records the
 * batch, adds @delta to the run's counts and @batch->calls to its calls used, and moves the
 * checkpoint to the end of the batch. @batch->seq must be the run's next batch
 * (PUSH_RUN_STORE_ERROR_CHECKPOINT otherwise, and nothing is written). */
gboolean      push_run_store_commit_batch     (PushRunStore       *self,
                                               const char         *run_id,
                                               const PushRunBatch *batch,
                                               GPtrArray          *outcomes,
                                               const PushRunCounts *delta,
                                               GError            **error);

/* Outcomes of a run in row order. @outcomes: a PUSH_OUTCOME_MASK() set (0: all). @limit 0
 * means no limit. (element-type PushOutcomeRecord) */
GPtrArray    *push_run_store_list_outcomes    (PushRunStore       *self,
                                               const char         *run_id,
                                               guint               outcomes,
                                               guint64             offset,
                                               guint               limit,
                                               GError            **error);
/* How many outcome rows match; -1 on error. */
gint64        push_run_store_count_outcomes   (PushRunStore       *self,
                                               const char         *run_id,
                                               guint               outcomes,
                                               GError            **error);
/* The outcome of one row (nullable: none yet, no error). */
PushOutcomeRecord *push_run_store_get_outcome (PushRunStore       *self,
                                               const char         *run_id,
                                               guint64             row_number,
                                               GError            **error);

/* Deletes a run with its batches and outcomes (not a run some process holds). */
gboolean      push_run_store_delete_run       (PushRunStore       *self,
                                               const char         *run_id,
                                               GError            **error);

G_END_DECLS
