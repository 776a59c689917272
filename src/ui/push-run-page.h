/* push-run-page.h: one activation run: live progress, outcomes, chart and report
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shows a run while it goes on (members done of the total, the counts of each outcome, the
 * API calls used, the rate and the time left, a progress bar and a chart, all fed by the
 * run's throttled progress on the main context) and after it ended (read from the run
 * store). Stop cancels a running run between requests; Resume goes on with a cancelled,
 * failed, interrupted or paused run (a paused one once its daily quota has reset: the page
 * says when). Below, every person's outcome in a table that reads the run lazily, filtered by
 * outcome or searched by dedupe value; Export Report saves them as CSV.
 *
 * Signal "closed": the user went back.
 */
#pragma once

#include <adwaita.h>

#include "push-application.h"
#include "push-destination.h"
#include "push-run-controller.h"
#include "push-run-outcomes-model.h"
#include "push-window.h"

G_BEGIN_DECLS

#define PUSH_TYPE_RUN_PAGE (push_run_page_get_type ())
G_DECLARE_FINAL_TYPE (PushRunPage, push_run_page, PUSH, RUN_PAGE, AdwBin)

/* The page of run @run_id: live when the application runs it now, else as stored. */
GtkWidget            *push_run_page_new                  (PushApplication   *application,
                                                          const char        *run_id);
/* Starts sending the audience at @audience_path into @destination (copied) through the
 * destination's account, and shows the run's page in @window. When the forecast needs more
 * API calls than remain today, the page asks for confirmation before anything is sent.
 * NULL, with a toast saying why, when the run cannot be set up (no such account). */
GtkWidget            *push_run_page_start                (PushWindow        *window,
                                                          PushDestination   *destination,
                                                          const char        *audience_path);

/* (nullable) until the run exists (a new run: after the pre-pass). */
const char           *push_run_page_get_run_id           (PushRunPage       *self);
/* The state shown (PENDING while a new run is prepared or did not start). */
PushRunState          push_run_page_get_state            (PushRunPage       *self);
/* (nullable) The controller of the run going on, or of the last one this page started. */
PushRunController    *push_run_page_get_controller       (PushRunPage       *self);
/* (nullable) The outcomes listed (once the run exists). */
PushRunOutcomesModel *push_run_page_get_outcomes         (PushRunPage       *self);

/* Installs on the window class "win.start-run" ((ss): a saved destination's id and an
 * audience file's path: push_run_page_start()), "win.show-run" (s: a run id: opens its page)
 * and "win.show-history" (opens the run history). */
void                  push_run_page_install_window_actions (GtkWidgetClass *window_class);

/* Writes the run's report (push_run_report_export()) in a worker thread. */
void                  push_run_page_export_report_async  (PushRunPage       *self,
                                                          GFile             *file,
                                                          GCancellable      *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer           user_data);
/* The number of people written, or -1 with @error. */
gint64                push_run_page_export_report_finish (PushRunPage       *self,
                                                          GAsyncResult      *result,
                                                          GError           **error);

G_END_DECLS
