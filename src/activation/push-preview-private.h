/* push-preview-private.h: how PushPlanner fills a PushPreview
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "push-preview.h"

G_BEGIN_DECLS

struct _PushPreview
{
  GObject                  parent_instance;

  char                    *id;              /* (owned) (nullable) */
  PushPreviewMode          mode;
  PushDestination         *destination;     /* (owned) */
  PushAudienceFingerprint *fingerprint;     /* (owned) (nullable) */
  GDateTime               *created;         /* (owned) (nullable) */
  gboolean                 complete;

  guint64                  n_members;
  guint64                  n_sendable;
  guint64                  n_looked_up;
  double                   confidence;
  guint32                  seed;

  /* Computed from the predictions by _push_preview_compute() */
  PushRunCounts            counts;
  guint64                  successes[PUSH_OUTCOME_N_VALUES];
  guint64                  matched;
  guint64                  multiple;
  GArray                  *partition_ids;        /* (owned) (element-type gint64) ascending */
  GArray                  *partition_successes;  /* (owned) (element-type guint64) */

  GHashTable              *partition_names;  /* (owned) gint64* -> utf8 */
  GPtrArray               *reasons;          /* (owned) (element-type PushPreviewReason) */
  PushForecast            *forecast;         /* (owned) (nullable) */
  guint64                  calls;
  double                   elapsed;
  GStrv                    detail_fields;    /* (owned) */

  GArray                  *predictions;      /* (owned) (element-type PushPrediction) by row */
};

typedef struct {
  char    *reason;
  guint64  count;
} PushPreviewReason;

PushPreview *_push_preview_new              (PushPreviewMode           mode,
                                             PushDestination          *destination);
/* Takes the contents of @prediction (which is left empty). Keep rows ascending. */
void         _push_preview_take_prediction  (PushPreview              *self,
                                             PushPrediction           *prediction);
/* Sorts the predictions by row. */
void         _push_preview_sort             (PushPreview              *self);
void         _push_preview_set_partitions   (PushPreview              *self,
                                             GPtrArray                *partitions);
void         _push_preview_count_reason     (PushPreview              *self,
                                             const char               *reason,
                                             guint64                   count);
/* Sorts the reasons, most frequent first. */
void         _push_preview_sort_reasons     (PushPreview              *self);
/* The counts, the successes and the partitions, from the predictions; then the list's
 * items-changed. */
void         _push_preview_compute          (PushPreview              *self);

G_END_DECLS
