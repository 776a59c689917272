/* push-run-history.h: every activation run, newest first
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One row per run: the audience and the destination, the state, when it started and how long
 * it took, the counts, and the start of the audience's fingerprint. The runs are read in a
 * worker thread. Activating a row opens the run ("win.show-run" with its id), where its
 * outcomes and its report are. Signal "closed": the user went back.
 */
#pragma once

#include <adwaita.h>

#include "push-application.h"

G_BEGIN_DECLS

#define PUSH_TYPE_RUN_HISTORY (push_run_history_get_type ())
G_DECLARE_FINAL_TYPE (PushRunHistory, push_run_history, PUSH, RUN_HISTORY, AdwBin)

/* Reads the runs at once. */
GtkWidget  *push_run_history_new        (PushApplication *application);
/* Reads them again. */
void        push_run_history_reload     (PushRunHistory  *self);
/* TRUE while reading. */
gboolean    push_run_history_get_loading (PushRunHistory *self);
/* How many runs the list shows. */
guint       push_run_history_get_n_runs (PushRunHistory  *self);
/* (nullable) The row of run @run_id. */
GtkWidget  *push_run_history_find_row   (PushRunHistory  *self,
                                         const char      *run_id);

G_END_DECLS
