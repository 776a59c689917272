/* push-run-controller.h: one activation run going on in the application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The application, not a window, owns a running activation: closing the window during a run
 * must not end it. A controller runs a PushActivation (its GTask thread), holds the
 * application (g_application_hold()) until the run ends, keeps the latest progress for the
 * pages that show it, and while no window of the application is visible keeps a progress
 * notification up to date ("Sending “VIP list” to Marketo… 42%", at most every few seconds,
 * the run's stable notification id). When the run ends it sends the alert the destination
 * asks for and a toast. When the application shuts down during a run, the run is cancelled
 * (between requests, so it stays resumable) and the shutdown waits for it to stop.
 *
 * The application's running controllers can be found by run id.
 */
#pragma once

#include "push-activation.h"
#include "push-application.h"

G_BEGIN_DECLS

/* At most one progress notification per this many seconds. */
#define PUSH_RUN_CONTROLLER_NOTIFY_INTERVAL_S 3

#define PUSH_TYPE_RUN_CONTROLLER (push_run_controller_get_type ())
G_DECLARE_FINAL_TYPE (PushRunController, push_run_controller, PUSH, RUN_CONTROLLER, GObject)

/* @audience_name and @destination_name name the run in notifications and toasts. */
PushRunController *push_run_controller_new          (PushApplication    *application,
                                                     PushActivation     *activation,
                                                     const char         *audience_name,
                                                     const char         *destination_name);
/* Starts the run (once). Signals: "progress" (PushActivationProgress *), "finished" (after
 * the run ended or failed to start; the error, if any, is get_error()). Properties:
 * "running", "run-id". */
void               push_run_controller_start        (PushRunController  *self);
/* Cancels the run: it stops between requests and stays resumable. */
void               push_run_controller_cancel       (PushRunController  *self);

PushApplication   *push_run_controller_get_application (PushRunController *self);
PushActivation    *push_run_controller_get_activation (PushRunController *self);
const char        *push_run_controller_get_audience_name (PushRunController *self);
/* (nullable) until the run's row exists (after the pre-pass). */
const char        *push_run_controller_get_run_id   (PushRunController  *self);
gboolean           push_run_controller_get_running  (PushRunController  *self);
gboolean           push_run_controller_get_finished (PushRunController  *self);
/* The latest progress (state PENDING and zeros before the first). */
const PushActivationProgress *
                   push_run_controller_get_progress (PushRunController  *self);
/* (nullable) Why the run failed or did not start, once finished. */
const GError      *push_run_controller_get_error    (PushRunController  *self);
/* How many progress notifications were sent (the window was away). */
guint              push_run_controller_get_n_progress_notifications (PushRunController *self);

/* (nullable) (transfer none) The running controller of @run_id in @application. */
PushRunController *push_run_controller_find         (PushApplication    *application,
                                                     const char         *run_id);
/* Marks the runs left 'running' by a process that died as 'interrupted' (resumable); call at
 * startup. Returns how many. */
int                push_run_controller_detect_interrupted (PushApplication *application);
/* How many runs @application has going on. */
guint              push_run_controller_count_running (PushApplication   *application);

G_END_DECLS
