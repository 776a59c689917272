/* push-preview-store.h: saved previews and their per-member predictions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The previews and preview_members tables of the store (schema v3). A preview says, before
 * anything is written to Marketo, what an activation of one audience file (identified by its
 * fingerprint) into one destination (a copy of its document) would do to every member. A
 * Full preview is kept so that the activation that follows can reuse it for its forecast
 * (push_preview_store_find_latest()). The row in previews holds the summary (counts,
 * estimates, forecast) as a JSON document; preview_members one row per member predicted.
 *
 * This layer knows the rows only; PushPreview (src/activation/) is the object the planner,
 * the CLI and the UI work with, and converts to and from these.
 *
 * Thread-safe: it uses the store's connection under the store's lock.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "push-run-store.h"
#include "push-store.h"

G_BEGIN_DECLS

/**
 * PushPreviewMode:
 * @PUSH_PREVIEW_MODE_SAMPLE: a random sample of the members is looked up; the outcomes of
 *   lookups are estimates with confidence intervals
 * @PUSH_PREVIEW_MODE_FULL: every member is looked up; the outcomes are predictions
 *
 * The nicks ("sample", "full") are the strings of the database and of the CLI's JSON.
 */
typedef enum {
  PUSH_PREVIEW_MODE_SAMPLE,
  PUSH_PREVIEW_MODE_FULL,
} PushPreviewMode;

#define PUSH_TYPE_PREVIEW_MODE (push_preview_mode_get_type ())
GType        push_preview_mode_get_type     (void) G_GNUC_CONST;
const char  *push_preview_mode_to_string    (PushPreviewMode   mode);
gboolean     push_preview_mode_from_string  (const char       *nick,
                                             PushPreviewMode  *out_mode);
/* Translated: "Sample", "Full". */
const char  *push_preview_mode_get_label    (PushPreviewMode   mode);

/**
 * PushPrediction:
 * @row_number: the member's audience row (1-based data row)
 * @dedupe_value: (nullable): its dedupe value as read (NULL when it had none)
 * @outcome: what the activation will do with the member
 * @lead_id: the lead it matches (the winner when several match), 0 when none
 * @n_matches: how many leads have its dedupe value (0 when it was not looked up)
 * @other_lead_ids: (nullable) (element-type gint64): the other matching leads, most
 *   recently updated first (when @n_matches > 1)
 * @partition_id: the partition of @lead_id (0 when unknown or no lead)
 * @reason_code: the Marketo reason code the activation will meet (1007, 1010, …), 0 when none
 * @reason: (nullable): a translated sentence: why the member is set aside, rejected, …
 * @sent: (nullable): the values that would be sent (REST field names); not stored
 * @current: (nullable): the matched lead's current values of the mapped fields; not stored
 *
 * One member's predicted outcome.
 */
typedef struct {
  guint64      row_number;
  char        *dedupe_value;
  PushOutcome  outcome;
  gint64       lead_id;
  guint        n_matches;
  GArray      *other_lead_ids;
  gint64       partition_id;
  int          reason_code;
  char        *reason;
  JsonObject  *sent;
  JsonObject  *current;
} PushPrediction;

#define PUSH_TYPE_PREDICTION (push_prediction_get_type ())
GType           push_prediction_get_type  (void) G_GNUC_CONST;
PushPrediction *push_prediction_new       (guint64               row_number,
                                           const char           *dedupe_value,
                                           PushOutcome           outcome);
PushPrediction *push_prediction_copy      (const PushPrediction *prediction);
void            push_prediction_free      (PushPrediction       *prediction);
/* Copies @src into @dest (which holds nothing), deeply. */
void            push_prediction_copy_into (PushPrediction       *dest,
                                           const PushPrediction *src);
/* Frees what @prediction holds (not @prediction itself), for arrays of structs. */
void            push_prediction_clear     (PushPrediction       *prediction);
/* "1002, 1005" (NULL when there are none). */
char           *push_prediction_dup_other_ids_text (const PushPrediction *prediction);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PushPrediction, push_prediction_free)

/**
 * PushPreviewInfo:
 * @id: a UUID
 * @destination_id: the destination previewed
 * @destination_document: its export document at the time of the preview
 * @audience_fingerprint: push_audience_fingerprint_to_string() of the audience file
 * @mode: sample or full
 * @complete: FALSE when the preview was cancelled before every lookup was made
 * @created: (nullable): when it was saved (UTC); set by the store
 * @summary: (nullable): the preview's summary document (counts, estimates, forecast), as
 *   PushPreview writes it
 * @n_members: how many member rows it has (set by the store when reading)
 *
 * One row of the previews table.
 */
typedef struct {
  char            *id;
  char            *destination_id;
  char            *destination_document;
  char            *audience_fingerprint;
  PushPreviewMode  mode;
  gboolean         complete;
  GDateTime       *created;
  JsonNode        *summary;
  guint64          n_members;
} PushPreviewInfo;

#define PUSH_TYPE_PREVIEW_INFO (push_preview_info_get_type ())
GType            push_preview_info_get_type (void) G_GNUC_CONST;
PushPreviewInfo *push_preview_info_new      (void);
PushPreviewInfo *push_preview_info_copy     (const PushPreviewInfo *info);
void             push_preview_info_free     (PushPreviewInfo       *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PushPreviewInfo, push_preview_info_free)

#define PUSH_PREVIEW_STORE_ERROR (push_preview_store_error_quark ())
/**
 * PushPreviewStoreError:
 * @PUSH_PREVIEW_STORE_ERROR_NOT_FOUND: no preview with that id
 * @PUSH_PREVIEW_STORE_ERROR_INVALID: a stored row that can't be read back
 */
typedef enum {
  PUSH_PREVIEW_STORE_ERROR_NOT_FOUND,
  PUSH_PREVIEW_STORE_ERROR_INVALID,
} PushPreviewStoreError;
GQuark           push_preview_store_error_quark (void);

/* How many previews a destination keeps: saving one more deletes the oldest. */
#define PUSH_PREVIEW_STORE_KEEP_PER_DESTINATION 5

#define PUSH_TYPE_PREVIEW_STORE (push_preview_store_get_type ())
G_DECLARE_FINAL_TYPE (PushPreviewStore, push_preview_store, PUSH, PREVIEW_STORE, GObject)

PushPreviewStore *push_preview_store_new            (PushStore              *store);
PushStore        *push_preview_store_get_store      (PushPreviewStore       *self);
/* A fresh preview id (a UUID). */
char             *push_preview_store_new_id         (void);

/* In ONE transaction: inserts the preview (replacing one with the same id, members
 * included), its @n_members member rows, and deletes the destination's previews beyond the
 * newest PUSH_PREVIEW_STORE_KEEP_PER_DESTINATION. @info->id must be set. The destination must
 * be in the store (PUSH_STORE_ERROR_CONSTRAINT otherwise). */
gboolean          push_preview_store_save           (PushPreviewStore       *self,
                                                     const PushPreviewInfo  *info,
                                                     const PushPrediction   *members,
                                                     gsize                   n_members,
                                                     GError                **error);
/* (transfer full) PUSH_PREVIEW_STORE_ERROR_NOT_FOUND when there is no such preview. */
PushPreviewInfo  *push_preview_store_get            (PushPreviewStore       *self,
                                                     const char             *id,
                                                     GError                **error);
/* The newest preview of @destination_id for the audience @fingerprint (NULL: any audience)
 * in @mode (or any mode when @any_mode), or NULL without an error when there is none. */
PushPreviewInfo  *push_preview_store_find_latest    (PushPreviewStore       *self,
                                                     const char             *destination_id,
                                                     const char             *fingerprint,
                                                     PushPreviewMode         mode,
                                                     gboolean                any_mode,
                                                     GError                **error);
/* The previews of @destination_id (NULL: all), newest first (element-type PushPreviewInfo). */
GPtrArray        *push_preview_store_list           (PushPreviewStore       *self,
                                                     const char             *destination_id,
                                                     GError                **error);
/* A preview's members in row order. @outcomes: a PUSH_OUTCOME_MASK() set (0: all); @limit 0
 * means no limit. (element-type PushPrediction) */
GPtrArray        *push_preview_store_list_members   (PushPreviewStore       *self,
                                                     const char             *id,
                                                     guint                   outcomes,
                                                     guint64                 offset,
                                                     guint                   limit,
                                                     GError                **error);
/* The prediction of one row (NULL without an error when the preview has none). */
PushPrediction   *push_preview_store_get_member     (PushPreviewStore       *self,
                                                     const char             *id,
                                                     guint64                 row_number,
                                                     GError                **error);
gboolean          push_preview_store_delete         (PushPreviewStore       *self,
                                                     const char             *id,
                                                     GError                **error);

G_END_DECLS
