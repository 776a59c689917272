/* push-activation.h: one activation run — an audience file sent into a destination
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A job object (construct, configure, run_async/run_finish) that works in a GTask thread with
 * its own GMainContext and its own MarketoClient:
 *
 *  1. Pre-flight: the destination is checked by PushValidator against the instance's fields
 *     and partitions (read from Marketo) and the audience's columns. Any error and the run
 *     does not start: PUSH_ACTIVATION_ERROR_INVALID, with push_activation_get_problems().
 *  2. Pre-pass: the audience is read once. Rows with a problem (unreadable, an empty or bad
 *     dedupe value, a value that does not fit its field) are set aside, never sent; the last
 *     row of each dedupe value is the one sent, the earlier ones are duplicates (a
 *     PushDedupeIndex, bounded memory). The file's fingerprint is taken.
 *  3. Forecast ("forecast" signal, push_activation_get_forecast()). A forecast that needs more
 *     API calls than remain today stops here with PUSH_ACTIVATION_ERROR_NEEDS_CONFIRMATION
 *     unless push_activation_set_confirmed() said yes.
 *  4. The run: a row in the runs table (state 'running', lock held), the static list created
 *     or found when the destination makes one per audience, then batches of at most 300
 *     people (and under 1 MB) sent with up to the pacer's in-flight budget at once, reading
 *     ahead while requests are out. Every batch's outcomes are committed together with the
 *     checkpoint, in batch order.
 *  5. The end: 'completed'; 'paused' on the daily quota (Marketo's 607 or the local count),
 *     with the reset time; 'cancelled' when the GCancellable fires (no new request starts,
 *     requests in flight are abandoned and their batches re-sent on resume); 'failed' on any
 *     other error. All but 'completed' resume with push_activation_new_for_resume().
 *
 * Progress reaches the caller's main context (the thread-default context of run_async()) as
 * the "progress" signal, at most every progress-interval (250 ms by default) and only on a
 * change, and once more at the end.
 */
#pragma once

#include <gio/gio.h>

#include "marketo-pacer.h"
#include "push-audience-types.h"
#include "push-account.h"
#include "push-destination.h"
#include "push-forecast.h"
#include "push-run-store.h"
#include "push-store.h"

G_BEGIN_DECLS

#define PUSH_ACTIVATION_ERROR (push_activation_error_quark ())
/**
 * PushActivationError:
 * @PUSH_ACTIVATION_ERROR_INVALID: the pre-flight check found errors (see the problems)
 * @PUSH_ACTIVATION_ERROR_NEEDS_CONFIRMATION: the forecast needs more calls than remain today
 * @PUSH_ACTIVATION_ERROR_AUDIENCE_CHANGED: resuming, and the audience file is not the one the
 *   run began with
 * @PUSH_ACTIVATION_ERROR_NOT_RESUMABLE: resuming a run that completed, or that another
 *   process is working on
 * @PUSH_ACTIVATION_ERROR_LIST_CLASH: the list name is taken and the destination says fail
 * @PUSH_ACTIVATION_ERROR_NO_LIST_FOLDER: a list must be created but no folder was given
 * @PUSH_ACTIVATION_ERROR_FAILED: anything else the activation itself found wrong
 *
 * Errors of the other layers keep their domains (MARKETO_ERROR, PUSH_STORE_ERROR,
 * PUSH_AUDIENCE_ERROR, PUSH_SECRET_ERROR, G_IO_ERROR) with a prefix saying what was being done.
 */
typedef enum {
  PUSH_ACTIVATION_ERROR_INVALID,
  PUSH_ACTIVATION_ERROR_NEEDS_CONFIRMATION,
  PUSH_ACTIVATION_ERROR_AUDIENCE_CHANGED,
  PUSH_ACTIVATION_ERROR_NOT_RESUMABLE,
  PUSH_ACTIVATION_ERROR_LIST_CLASH,
  PUSH_ACTIVATION_ERROR_NO_LIST_FOLDER,
  PUSH_ACTIVATION_ERROR_FAILED,
} PushActivationError;
GQuark push_activation_error_quark (void);

/**
 * PushActivationProgress:
 * @state: the run's state
 * @members_done: members with a committed outcome (earlier sessions of the run included)
 * @members_total: the audience's members (0 until the pre-pass is done)
 * @counts: the committed outcome counts (earlier sessions included)
 * @calls_used: API calls made by the run (earlier sessions included; retries not counted)
 * @rate: members per second in this session (0 until the first commit)
 * @eta_seconds: time left at that rate (the forecast's estimate before; -1 when unknown)
 * @elapsed_seconds: time since this session started sending
 */
typedef struct {
  PushRunState   state;
  guint64        members_done;
  guint64        members_total;
  PushRunCounts  counts;
  guint64        calls_used;
  double         rate;
  double         eta_seconds;
  double         elapsed_seconds;
} PushActivationProgress;

#define PUSH_TYPE_ACTIVATION_PROGRESS (push_activation_progress_get_type ())
GType                   push_activation_progress_get_type (void) G_GNUC_CONST;
PushActivationProgress *push_activation_progress_copy     (const PushActivationProgress *progress);
void                    push_activation_progress_free     (PushActivationProgress       *progress);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PushActivationProgress, push_activation_progress_free)

/* A translated phrase for a problem the audience reader marks a row with. */
const char *push_activation_describe_row_problem (int problem_kind);

#define PUSH_ACTIVATION_DEFAULT_PROGRESS_INTERVAL_MS 250
/* The largest Sync Leads body the runner builds (Marketo refuses 1 MB and more). */
#define PUSH_ACTIVATION_MAX_BODY_BYTES (1000 * 1000)

#define PUSH_TYPE_ACTIVATION (push_activation_get_type ())
G_DECLARE_FINAL_TYPE (PushActivation, push_activation, PUSH, ACTIVATION, GObject)

/* A new run of @audience_path into @destination (copied) through @account's instance. */
PushActivation      *push_activation_new                (PushStore           *store,
                                                         PushAccount         *account,
                                                         PushDestination     *destination,
                                                         const char          *audience_path);
/* Resumes run @run_id with the destination it began with (its saved document), its account
 * and its audience file (see push_activation_set_audience_path()). */
PushActivation      *push_activation_new_for_resume     (PushStore           *store,
                                                         const char          *run_id);

/* Settings, before run_async(). */
/* Go ahead even when the forecast needs more calls than remain today. */
void                 push_activation_set_confirmed      (PushActivation      *self,
                                                         gboolean             confirmed);
/* The client secret (copied, wiped at finalize); by default it is read from the keyring. */
void                 push_activation_set_client_secret  (PushActivation      *self,
                                                         const char          *secret);
/* The pacer to use; by default the endpoint's shared pacer set to the account's limits and
 * quota, counting in the store (PushUsageStore). */
void                 push_activation_set_pacer          (PushActivation      *self,
                                                         MarketoPacer        *pacer);
/* The client's backoff (see marketo_client_set_retry_policy()); 0s keep its defaults. */
void                 push_activation_set_retry_policy   (PushActivation      *self,
                                                         guint                base_ms,
                                                         guint                cap_ms,
                                                         guint                max_attempts);
/* Where new lists go (a folder, or a program with @folder_type "Program") instead of the
 * destination's own folder: the CLI's --list-folder. Without it, the destination's is used. */
void                 push_activation_set_list_folder    (PushActivation      *self,
                                                         gint64               folder_id,
                                                         const char          *folder_type);
/* The {audience} of the list name template (default: the file's name without extension). */
void                 push_activation_set_audience_name  (PushActivation      *self,
                                                         const char          *name);
/* The audience file's format and CSV delimiter as the user set them (default: detected).
 * A resumed run needs them again: the run keeps the file's fingerprint, not how to read it. */
void                 push_activation_set_audience_format (PushActivation *self,
                                                         PushAudienceFormat   format,
                                                         char                 delimiter);
/* Resuming: the audience file now lives here (its content must not have changed). */
void                 push_activation_set_audience_path  (PushActivation      *self,
                                                         const char          *path);
void                 push_activation_set_progress_interval (PushActivation   *self,
                                                         guint                interval_ms);

void                 push_activation_run_async          (PushActivation      *self,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
/* TRUE when the run ended completed, paused or cancelled (see push_activation_get_state());
 * FALSE with @error when it failed or did not start. */
gboolean             push_activation_run_finish         (PushActivation      *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);
/* The same, blocking (the CLI and tests): runs the async version in a private context. */
gboolean             push_activation_run_sync           (PushActivation      *self,
                                                         GCancellable        *cancellable,
                                                         GError             **error);

/* What the run is and was; safe from any thread (copies where noted). */
char                *push_activation_dup_run_id         (PushActivation      *self);
PushRunState         push_activation_get_state          (PushActivation      *self);
/* (transfer full) (nullable) */
PushForecast        *push_activation_dup_forecast       (PushActivation      *self);
/* (transfer container) (element-type PushProblem) the pre-flight's problems (empty before). */
GPtrArray           *push_activation_dup_problems       (PushActivation      *self);
void                 push_activation_get_progress       (PushActivation      *self,
                                                         PushActivationProgress *progress);
/* (transfer full) (nullable) when a paused run may go on. */
GDateTime           *push_activation_dup_quota_reset    (PushActivation      *self);
/* (transfer full) (nullable) a sentence about the end of the run (the list reused, why it
 * paused or failed). */
char                *push_activation_dup_message        (PushActivation      *self);

G_END_DECLS
