/* push-run-outcomes-model.h: a run's per-person outcomes as a lazily read list model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GListModel of PushRunOutcomeItem over the outcome rows of one run, in row order, filtered
 * by a set of outcomes. It never reads the whole run: the count is taken in a worker thread,
 * and an item asked for (a row scrolled into view) is handed out at once, empty, while the
 * page of rows around it is read in a worker thread; the item then fills in ("loaded"). Only
 * a bounded number of pages stays cached. While the run goes on, push_run_outcomes_model_refresh()
 * appends the rows committed since.
 *
 * A search by dedupe value (a case-insensitive substring) scans the run's outcomes in a worker
 * thread, in chunks, and lists the first PUSH_RUN_OUTCOMES_MODEL_MAX_MATCHES matches.
 */
#pragma once

#include <gio/gio.h>

#include "push-run-store.h"

G_BEGIN_DECLS

#define PUSH_RUN_OUTCOMES_MODEL_PAGE_SIZE   200
#define PUSH_RUN_OUTCOMES_MODEL_MAX_PAGES    50
#define PUSH_RUN_OUTCOMES_MODEL_MAX_MATCHES 10000

#define PUSH_TYPE_RUN_OUTCOME_ITEM (push_run_outcome_item_get_type ())
G_DECLARE_FINAL_TYPE (PushRunOutcomeItem, push_run_outcome_item, PUSH, RUN_OUTCOME_ITEM, GObject)

/* Property "loaded" (notified once, when the record arrives). */
gboolean                 push_run_outcome_item_get_loaded   (PushRunOutcomeItem *self);
/* (nullable) until loaded. */
const PushOutcomeRecord *push_run_outcome_item_get_record   (PushRunOutcomeItem *self);

#define PUSH_TYPE_RUN_OUTCOMES_MODEL (push_run_outcomes_model_get_type ())
G_DECLARE_FINAL_TYPE (PushRunOutcomesModel, push_run_outcomes_model, PUSH, RUN_OUTCOMES_MODEL,
                      GObject)

PushRunOutcomesModel *push_run_outcomes_model_new        (PushRunStore         *runs,
                                                          const char           *run_id);
const char           *push_run_outcomes_model_get_run_id (PushRunOutcomesModel *self);
/* A PUSH_OUTCOME_MASK() set; PUSH_OUTCOME_MASK_ALL (0) for every outcome. */
void                  push_run_outcomes_model_set_filter (PushRunOutcomesModel *self,
                                                          guint                 outcomes);
guint                 push_run_outcomes_model_get_filter (PushRunOutcomesModel *self);
/* NULL or "" ends the search. */
void                  push_run_outcomes_model_set_search (PushRunOutcomesModel *self,
                                                          const char           *text);
const char           *push_run_outcomes_model_get_search (PushRunOutcomesModel *self);
/* Counts again and appends the rows committed since (no-op during a search). */
void                  push_run_outcomes_model_refresh    (PushRunOutcomesModel *self);
/* Property "busy": TRUE while counting or searching. */
gboolean              push_run_outcomes_model_get_busy   (PushRunOutcomesModel *self);
/* TRUE when a search stopped at PUSH_RUN_OUTCOMES_MODEL_MAX_MATCHES. */
gboolean              push_run_outcomes_model_get_truncated (PushRunOutcomesModel *self);
/* How many pages are cached (for tests: it stays bounded). */
guint                 push_run_outcomes_model_get_n_cached_pages (PushRunOutcomesModel *self);

G_END_DECLS
