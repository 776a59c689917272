/* push-audience-row-model.h: a lazily read GListModel of the rows of an audience file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "push-audience-fingerprint.h"
#include "push-audience-record.h"
#include "push-audience-types.h"

G_BEGIN_DECLS

/* Every Kth row's offset is kept after the first pass: 1,000,000 rows → 7,813 checkpoints. */
#define PUSH_AUDIENCE_ROW_MODEL_CHECKPOINT_INTERVAL 128
/* Decoded blocks (of CHECKPOINT_INTERVAL rows each) kept, least recently used out first. */
#define PUSH_AUDIENCE_ROW_MODEL_CACHED_BLOCKS       16

#define PUSH_TYPE_AUDIENCE_ROW_MODEL (push_audience_row_model_get_type ())
G_DECLARE_FINAL_TYPE (PushAudienceRowModel, push_audience_row_model, PUSH, AUDIENCE_ROW_MODEL,
                      GObject)

/* An empty model (0 items) until it is loaded. Items are PushAudienceRecord, one per data row
 * (bad rows included, marked with their problem), item i being row i + 1.
 *
 * Properties: "file" (construct-only), "loaded", "stale" (the file's size or mtime changed
 * since the load: rows read from then on may not match; load again). */
PushAudienceRowModel    *push_audience_row_model_new            (GFile                 *file,
                                                                 PushAudienceFormat     format,
                                                                 char                   delimiter);

/* The first pass: reads the whole file once in a worker thread (format, columns, row count,
 * problems, fingerprint, and the checkpoints). load_finish(), called from the callback in the
 * caller's main context, then replaces the items (one items-changed). */
void                     push_audience_row_model_load_async     (PushAudienceRowModel  *self,
                                                                 GCancellable          *cancellable,
                                                                 GAsyncReadyCallback    callback,
                                                                 gpointer               user_data);
gboolean                 push_audience_row_model_load_finish    (PushAudienceRowModel  *self,
                                                                 GAsyncResult          *result,
                                                                 GError               **error);
/* The same, blocking the calling thread (the CLI, tests). */
gboolean                 push_audience_row_model_load           (PushAudienceRowModel  *self,
                                                                 GCancellable          *cancellable,
                                                                 GError               **error);
/* 0.0 … 1.0 while a load runs; safe to poll from any thread. */
double                   push_audience_row_model_get_progress   (PushAudienceRowModel  *self);

gboolean                 push_audience_row_model_get_loaded     (PushAudienceRowModel  *self);
gboolean                 push_audience_row_model_get_stale      (PushAudienceRowModel  *self);
GFile                   *push_audience_row_model_get_file       (PushAudienceRowModel  *self);

/* After a load: what the first pass found. */
PushAudienceFormat       push_audience_row_model_get_format     (PushAudienceRowModel  *self);
char                     push_audience_row_model_get_delimiter  (PushAudienceRowModel  *self);
const char * const      *push_audience_row_model_get_columns    (PushAudienceRowModel  *self,
                                                                 guint                 *n_columns);
GPtrArray               *push_audience_row_model_get_problems   (PushAudienceRowModel  *self);
guint64                  push_audience_row_model_get_problem_count
                                                                (PushAudienceRowModel  *self);
guint64                  push_audience_row_model_get_bad_row_count
                                                                (PushAudienceRowModel  *self);
PushAudienceFingerprint *push_audience_row_model_get_fingerprint
                                                                (PushAudienceRowModel  *self);

/* Typed g_list_model_get_item(). */
PushAudienceRecord      *push_audience_row_model_get_record     (PushAudienceRowModel  *self,
                                                                 guint                  position);
/* How many blocks were decoded since the load (a cache miss each): for tests and tuning. */
guint                    push_audience_row_model_get_blocks_decoded
                                                                (PushAudienceRowModel  *self);

G_END_DECLS
