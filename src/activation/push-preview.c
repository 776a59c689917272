/* push-preview.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "push-preview-private.h"

#define PREVIEW_FORMAT         "audience-push-preview"
#define PREVIEW_FORMAT_VERSION 1

static void push_preview_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PushPreview, push_preview, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      push_preview_list_model_init))

/* The outcomes a lookup decides, in the order they are reported. */
static const PushOutcome lookup_outcomes[] = {
  PUSH_OUTCOME_UPDATED,
  PUSH_OUTCOME_CREATED,
  PUSH_OUTCOME_ADDED,
  PUSH_OUTCOME_MULTIPLE_MATCHES,
  PUSH_OUTCOME_NOT_FOUND,
  PUSH_OUTCOME_REJECTED,
  PUSH_OUTCOME_FAILED,
};

static gboolean
is_lookup_outcome (PushOutcome outcome)
{
  return outcome != PUSH_OUTCOME_SET_ASIDE && outcome != PUSH_OUTCOME_DUPLICATE;
}

static void
reason_free (PushPreviewReason *reason)
{
  g_free (reason->reason);
  g_free (reason);
}

/* ---- GListModel ----------------------------------------------------------------------- */

static GType
push_preview_get_item_type (GListModel *model)
{
  return PUSH_TYPE_PREVIEW_MEMBER;
}

static guint
push_preview_get_n_items (GListModel *model)
{
  return PUSH_PREVIEW (model)->predictions->len;
}

static gpointer
push_preview_get_item (GListModel *model,
                       guint       position)
{
  PushPreview *self = PUSH_PREVIEW (model);

  if (position >= self->predictions->len)
    return NULL;
  /* Made on demand: a million-member preview keeps compact structs, not objects. */
  return push_preview_member_new (&g_array_index (self->predictions, PushPrediction, position));
}

static void
push_preview_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = push_preview_get_item_type;
  iface->get_n_items = push_preview_get_n_items;
  iface->get_item = push_preview_get_item;
}

/* ---- GObject -------------------------------------------------------------------------- */

static void
push_preview_finalize (GObject *object)
{
  PushPreview *self = PUSH_PREVIEW (object);

  g_free (self->id);
  g_clear_object (&self->destination);
  g_clear_pointer (&self->fingerprint, push_audience_fingerprint_free);
  g_clear_pointer (&self->created, g_date_time_unref);
  g_clear_pointer (&self->partition_ids, g_array_unref);
  g_clear_pointer (&self->partition_successes, g_array_unref);
  g_clear_pointer (&self->partition_names, g_hash_table_unref);
  g_clear_pointer (&self->reasons, g_ptr_array_unref);
  g_clear_pointer (&self->forecast, push_forecast_free);
  g_clear_pointer (&self->detail_fields, g_strfreev);
  g_clear_pointer (&self->predictions, g_array_unref);

  G_OBJECT_CLASS (push_preview_parent_class)->finalize (object);
}

static void
push_preview_class_init (PushPreviewClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = push_preview_finalize;
}

static void
push_preview_init (PushPreview *self)
{
  self->complete = TRUE;
  self->confidence = PUSH_ESTIMATE_DEFAULT_CONFIDENCE;
  self->partition_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->partition_successes = g_array_new (FALSE, FALSE, sizeof (guint64));
  self->partition_names = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->reasons = g_ptr_array_new_with_free_func ((GDestroyNotify) reason_free);
  self->detail_fields = g_new0 (char *, 1);
  self->predictions = g_array_new (FALSE, TRUE, sizeof (PushPrediction));
  g_array_set_clear_func (self->predictions, (GDestroyNotify) push_prediction_clear);
}

/* ---- Internal API (push-preview-private.h) -------------------------------------------- */

static GStrv
detail_fields_for (PushDestination *destination)
{
  PushMapping *mapping = push_destination_get_mapping (destination);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  const char *dedupe = push_destination_get_dedupe_field (destination);

  if (*dedupe != '\0')
    {
      g_hash_table_add (seen, (gpointer) dedupe);
      g_strv_builder_add (builder, dedupe);
    }
  if (push_destination_get_sync_type (destination) != PUSH_SYNC_TYPE_AUDIENCE_ONLY)
    {
      for (guint i = 0; i < push_mapping_get_n_rows (mapping); i++)
        {
          const PushMappingRow *row = push_mapping_get_row (mapping, i);

          if (*row->field != '\0' && *row->column != '\0' &&
              g_hash_table_add (seen, row->field))
            g_strv_builder_add (builder, row->field);
        }
    }
  return g_strv_builder_end (builder);
}

PushPreview *
_push_preview_new (PushPreviewMode  mode,
                   PushDestination *destination)
{
  PushPreview *self = g_object_new (PUSH_TYPE_PREVIEW, NULL);

  self->mode = mode;
  self->destination = push_destination_copy (destination);
  g_strfreev (self->detail_fields);
  self->detail_fields = detail_fields_for (self->destination);
  return self;
}

void
_push_preview_take_prediction (PushPreview    *self,
                               PushPrediction *prediction)
{
  g_array_append_vals (self->predictions, prediction, 1);
  memset (prediction, 0, sizeof *prediction);
}

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  const PushPrediction *pa = a;
  const PushPrediction *pb = b;

  return pa->row_number < pb->row_number ? -1 : pa->row_number > pb->row_number ? 1 : 0;
}

void
_push_preview_sort (PushPreview *self)
{
  g_array_sort (self->predictions, compare_rows);
}

void
_push_preview_set_partitions (PushPreview *self,
                              GPtrArray   *partitions)
{
  for (guint i = 0; partitions != NULL && i < partitions->len; i++)
    {
      const MarketoPartition *partition = g_ptr_array_index (partitions, i);

      g_hash_table_replace (self->partition_names, g_memdup2 (&partition->id, sizeof (gint64)),
                            g_strdup (partition->name));
    }
}

void
_push_preview_count_reason (PushPreview *self,
                            const char  *reason,
                            guint64      count)
{
  PushPreviewReason *item;

  for (guint i = 0; i < self->reasons->len; i++)
    {
      item = g_ptr_array_index (self->reasons, i);
      if (g_str_equal (item->reason, reason))
        {
          item->count += count;
          return;
        }
    }
  item = g_new0 (PushPreviewReason, 1);
  item->reason = g_strdup (reason);
  item->count = count;
  g_ptr_array_add (self->reasons, item);
}

static int
compare_reasons (gconstpointer a,
                 gconstpointer b)
{
  const PushPreviewReason *ra = *(PushPreviewReason * const *) a;
  const PushPreviewReason *rb = *(PushPreviewReason * const *) b;

  if (ra->count != rb->count)
    return ra->count > rb->count ? -1 : 1;
  return g_utf8_collate (ra->reason, rb->reason);
}

void
_push_preview_sort_reasons (PushPreview *self)
{
  g_ptr_array_sort (self->reasons, compare_reasons);
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 ia = *(const gint64 *) a;
  gint64 ib = *(const gint64 *) b;

  return ia < ib ? -1 : ia > ib ? 1 : 0;
}

/* Scales the successes of the looked-up members to the members sent, rounding so that the
 * counts add up to exactly that many (largest remainders first). */
static void
scale_counts (PushPreview *self,
              guint64      scaled[PUSH_OUTCOME_N_VALUES])
{
  double fraction[G_N_ELEMENTS (lookup_outcomes)];
  guint64 total = 0;
  guint64 population = self->complete ? self->n_sendable : self->n_looked_up;

  memset (scaled, 0, sizeof (guint64) * PUSH_OUTCOME_N_VALUES);
  if (self->n_looked_up == 0)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (lookup_outcomes); i++)
    {
      double exact = (double) self->successes[lookup_outcomes[i]] * (double) population /
                     (double) self->n_looked_up;

      scaled[lookup_outcomes[i]] = (guint64) floor (exact);
      fraction[i] = exact - floor (exact);
      total += scaled[lookup_outcomes[i]];
    }
  while (total < population)
    {
      guint best = 0;

      for (guint i = 1; i < G_N_ELEMENTS (lookup_outcomes); i++)
        if (fraction[i] > fraction[best])
          best = i;
      scaled[lookup_outcomes[best]]++;
      fraction[best] = -1.0;
      total++;
    }
}

void
_push_preview_compute (PushPreview *self)
{
  guint64 scaled[PUSH_OUTCOME_N_VALUES];
  guint old_n_items;
  g_autoptr(GHashTable) by_partition = g_hash_table_new_full (g_int64_hash, g_int64_equal,
                                                              g_free, g_free);
  GHashTableIter iter;
  gpointer key, value;
  guint64 set_aside = 0, duplicates = 0;
  PushSyncType sync_type = push_destination_get_sync_type (self->destination);

  memset (self->successes, 0, sizeof self->successes);
  self->matched = 0;
  self->multiple = 0;
  self->n_looked_up = 0;

  for (guint i = 0; i < self->predictions->len; i++)
    {
      const PushPrediction *p = &g_array_index (self->predictions, PushPrediction, i);

      if (p->outcome == PUSH_OUTCOME_SET_ASIDE)
        {
          set_aside++;
          continue;
        }
      if (p->outcome == PUSH_OUTCOME_DUPLICATE)
        {
          duplicates++;
          continue;
        }
      self->n_looked_up++;
      self->successes[p->outcome]++;
      if (p->n_matches >= 1)
        self->matched++;
      if (p->n_matches > 1)
        self->multiple++;
      if (p->n_matches >= 1 && p->partition_id > 0)
        {
          guint64 *count = g_hash_table_lookup (by_partition, &p->partition_id);

          if (count == NULL)
            {
              count = g_new0 (guint64, 1);
              g_hash_table_insert (by_partition, g_memdup2 (&p->partition_id, sizeof (gint64)),
                                   count);
            }
          (*count)++;
        }
    }

  g_array_set_size (self->partition_ids, 0);
  g_hash_table_iter_init (&iter, by_partition);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_array_append_val (self->partition_ids, *(gint64 *) key);
  g_array_sort (self->partition_ids, compare_ids);
  g_array_set_size (self->partition_successes, 0);
  for (guint i = 0; i < self->partition_ids->len; i++)
    {
      value = g_hash_table_lookup (by_partition,
                                   &g_array_index (self->partition_ids, gint64, i));
      g_array_append_val (self->partition_successes, *(guint64 *) value);
    }

  /* The sample mode lists the set-aside rows and the duplicates in full: they are exact. */
  scale_counts (self, scaled);
  memset (&self->counts, 0, sizeof self->counts);
  self->counts.created = scaled[PUSH_OUTCOME_CREATED];
  self->counts.updated = scaled[PUSH_OUTCOME_UPDATED];
  self->counts.not_found = scaled[PUSH_OUTCOME_NOT_FOUND];
  self->counts.multiple_matches = scaled[PUSH_OUTCOME_MULTIPLE_MATCHES];
  self->counts.rejected = scaled[PUSH_OUTCOME_REJECTED];
  self->counts.failed = scaled[PUSH_OUTCOME_FAILED];
  self->counts.set_aside = set_aside;
  self->counts.duplicates = duplicates;
  self->counts.members = scaled[PUSH_OUTCOME_CREATED] + scaled[PUSH_OUTCOME_UPDATED] +
                         scaled[PUSH_OUTCOME_ADDED] + scaled[PUSH_OUTCOME_NOT_FOUND] +
                         scaled[PUSH_OUTCOME_MULTIPLE_MATCHES] + scaled[PUSH_OUTCOME_REJECTED] +
                         scaled[PUSH_OUTCOME_FAILED] + set_aside + duplicates;
  /* The activation counts list additions beside the outcomes (push_run_counts_add_outcome()
   * has no counter for "added"). */
  if (sync_type == PUSH_SYNC_TYPE_AUDIENCE_ONLY)
    self->counts.added = scaled[PUSH_OUTCOME_ADDED] + scaled[PUSH_OUTCOME_MULTIPLE_MATCHES];
  else if (sync_type == PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE)
    self->counts.added = scaled[PUSH_OUTCOME_CREATED] + scaled[PUSH_OUTCOME_UPDATED];

  old_n_items = g_list_model_get_n_items (G_LIST_MODEL (self));
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n_items, self->predictions->len);
}

/* ---- Estimates ------------------------------------------------------------------------ */

static void
estimate_for (PushPreview         *self,
              guint64              successes,
              PushPreviewEstimate *estimate)
{
  guint64 population = self->complete ? self->n_sendable : self->n_looked_up;

  estimate->successes = successes;
  push_estimate_proportion (successes, self->n_looked_up, MAX (population, self->n_looked_up),
                            self->confidence, &estimate->share);
  estimate->count = estimate->share.estimate * (double) population;
  estimate->count_low = estimate->share.low * (double) population;
  estimate->count_high = estimate->share.high * (double) population;
}

/* ---- Public API ----------------------------------------------------------------------- */

const char *
push_preview_get_id (PushPreview *self)
{
  g_return_val_if_fail (PUSH_IS_PREVIEW (self), NULL);
  return self->id;
}

PushPreviewMode
push_preview_get_mode (PushPreview *self)
{
  g_return_val_if_fail (PUSH_IS_PREVIEW (self), PUSH_PREVIEW_MODE_SAMPLE);
  return self->mode;
}

PushDestination *
push_preview_get_destination (PushPreview *self)
{
  g_return_val_if_fail (PUSH_IS_PREVIEW (self), NULL);
  return self->destination;
}

const PushAudienceFingerprint *
push_preview_get_fingerprint (PushPreview *self)
{
  g_return_val_if_fail (PUSH_IS_PREVIEW (self), NULL);
  return self->fingerprint;
}

GDateTime *
push_preview_get_created (PushPreview *self)
{
  g_return_val_if_fail (PUSH_IS_PREVIEW (self), NULL);
  return self->created;
}

gboolean
push_preview_get_complete (PushPreview *self)
{
  g_return_val_if_fail (PUSH_IS_PREVIEW (self), FALSE);
  return self->complete;
}

guint64
push_preview_get_n_members (PushPreview *self)
{
  g_return_val_if_fail (PUSH_IS_PREVIEW (self), 0);
  return self->n_members;
}

guint64
push_preview_get_n_sendable (PushPreview *self)
{
  g_return_val_if_fail (PUSH_IS_PREVIEW (self), 0);
  return self->n_sendable;
}

guint64
push_preview_get_n_looked_up (PushPreview *self)
{
  g_return_val_if_fail (PUSH_IS_PREVIEW (self), 0);
  return self->n_looked_up;
}

gboolean
push_preview_is_estimate (PushPreview *self)
{
  g_return_val_if_fail (PUSH_IS_PREVIEW (self), FALSE);
  return self->n_looked_up < self->n_sendable;
}

double
push_preview_get_confidence (PushPreview *self)
{
  g_return_val_if_fail (PUSH_IS_PREVIEW (self), 0.0);
  return self->confidence;
}

double
push_preview_get_margin (PushPreview *self)
{
  g_return_val_if_fail (PUSH_IS_PREVIEW (self), 0.0);
  if (!push_preview_is_estimate (self))
    return 0.0;
  return push_estimate_margin_for_size (self->n_sendable, self->n_looked_up, self->confidence);
}

guint32
push_preview_get_seed (PushPreview *self)
{
  g_return_val_if_fail (PUSH_IS_PREVIEW (self), 0);
  return self->seed;
}

const PushRunCounts *
push_preview_get_counts (PushPreview *self)
{
  g_return_val_if_fail (PUSH_IS_PREVIEW (self), NULL);
  return &self->counts;
}

gboolean
push_preview_get_estimate (PushPreview         *self,
                           PushOutcome          outcome,
                           PushPreviewEstimate *estimate)
{
  g_return_val_if_fail (PUSH_IS_PREVIEW (self), FALSE);
  g_return_val_if_fail (estimate != NULL, FALSE);

  if (!is_lookup_outcome (outcome) || outcome >= PUSH_OUTCOME_N_VALUES)
    return FALSE;
  estimate_for (self, self->successes[outcome], estimate);
  return TRUE;
}

void
push_preview_get_match_estimate (PushPreview         *self,
                                 PushPreviewEstimate *estimate)
{
  g_return_if_fail (PUSH_IS_PREVIEW (self));
  g_return_if_fail (estimate != NULL);
  estimate_for (self, self->matched, estimate);
}

void
push_preview_get_multiple_estimate (PushPreview         *self,
                                    PushPreviewEstimate *estimate)
{
  g_return_if_fail (PUSH_IS_PREVIEW (self));
  g_return_if_fail (estimate != NULL);
  estimate_for (self, self->multiple, estimate);
}

const gint64 *
push_preview_get_partition_ids (PushPreview *self,
                                guint       *n_ids)
{
  g_return_val_if_fail (PUSH_IS_PREVIEW (self), NULL);
  if (n_ids != NULL)
    *n_ids = self->partition_ids->len;
  return (const gint64 *) (gpointer) self->partition_ids->data;
}

void
push_preview_get_partition_estimate (PushPreview         *self,
                                     gint64               partition_id,
                                     PushPreviewEstimate *estimate)
{
  guint64 successes = 0;

  g_return_if_fail (PUSH_IS_PREVIEW (self));
  g_return_if_fail (estimate != NULL);

  for (guint i = 0; i < self->partition_ids->len; i++)
    if (g_array_index (self->partition_ids, gint64, i) == partition_id)
      successes = g_array_index (self->partition_successes, guint64, i);
  estimate_for (self, successes, estimate);
}

const char *
push_preview_get_partition_name (PushPreview *self,
                                 gint64       partition_id)
{
  g_return_val_if_fail (PUSH_IS_PREVIEW (self), NULL);
  return g_hash_table_lookup (self->partition_names, &partition_id);
}

guint
push_preview_get_n_reasons (PushPreview *self)
{
  g_return_val_if_fail (PUSH_IS_PREVIEW (self), 0);
  return self->reasons->len;
}

const char *
push_preview_get_reason (PushPreview *self,
                         guint        index,
                         guint64     *count)
{
  const PushPreviewReason *reason;

  g_return_val_if_fail (PUSH_IS_PREVIEW (self), NULL);
  g_return_val_if_fail (index < self->reasons->len, NULL);

  reason = g_ptr_array_index (self->reasons, index);
  if (count != NULL)
    *count = reason->count;
  return reason->reason;
}

const PushForecast *
push_preview_get_forecast (PushPreview *self)
{
  g_return_val_if_fail (PUSH_IS_PREVIEW (self), NULL);
  return self->forecast;
}

guint64
push_preview_get_calls (PushPreview *self)
{
  g_return_val_if_fail (PUSH_IS_PREVIEW (self), 0);
  return self->calls;
}

double
push_preview_get_elapsed (PushPreview *self)
{
  g_return_val_if_fail (PUSH_IS_PREVIEW (self), 0.0);
  return self->elapsed;
}

const char * const *
push_preview_get_detail_fields (PushPreview *self)
{
  g_return_val_if_fail (PUSH_IS_PREVIEW (self), NULL);
  return (const char * const *) self->detail_fields;
}

guint
push_preview_get_n_predictions (PushPreview *self)
{
  g_return_val_if_fail (PUSH_IS_PREVIEW (self), 0);
  return self->predictions->len;
}

const PushPrediction *
push_preview_get_prediction (PushPreview *self,
                             guint        position)
{
  g_return_val_if_fail (PUSH_IS_PREVIEW (self), NULL);
  g_return_val_if_fail (position < self->predictions->len, NULL);
  return &g_array_index (self->predictions, PushPrediction, position);
}

const PushPrediction *
push_preview_find_row (PushPreview *self,
                       guint64      row_number)
{
  guint low = 0, high;

  g_return_val_if_fail (PUSH_IS_PREVIEW (self), NULL);

  high = self->predictions->len;
  while (low < high)
    {
      guint mid = low + (high - low) / 2;
      const PushPrediction *p = &g_array_index (self->predictions, PushPrediction, mid);

      if (p->row_number == row_number)
        return p;
      if (p->row_number < row_number)
        low = mid + 1;
      else
        high = mid;
    }
  return NULL;
}

/* ---- JSON ----------------------------------------------------------------------------- */

static void
add_estimate (JsonBuilder               *builder,
              const PushPreviewEstimate *estimate)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "sampled");
  json_builder_add_int_value (builder, (gint64) estimate->successes);
  json_builder_set_member_name (builder, "share");
  json_builder_add_value (builder, push_interval_to_json (&estimate->share));
  json_builder_set_member_name (builder, "count");
  json_builder_add_double_value (builder, estimate->count);
  json_builder_set_member_name (builder, "count_low");
  json_builder_add_double_value (builder, estimate->count_low);
  json_builder_set_member_name (builder, "count_high");
  json_builder_add_double_value (builder, estimate->count_high);
  json_builder_end_object (builder);
}

static void
add_prediction (JsonBuilder          *builder,
                const PushPrediction *p)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "row");
  json_builder_add_int_value (builder, (gint64) p->row_number);
  json_builder_set_member_name (builder, "dedupe_value");
  if (p->dedupe_value != NULL)
    json_builder_add_string_value (builder, p->dedupe_value);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "outcome");
  json_builder_add_string_value (builder, push_outcome_to_string (p->outcome));
  json_builder_set_member_name (builder, "lead_id");
  if (p->lead_id > 0)
    json_builder_add_int_value (builder, p->lead_id);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "other_lead_ids");
  json_builder_begin_array (builder);
  for (guint i = 0; p->other_lead_ids != NULL && i < p->other_lead_ids->len; i++)
    json_builder_add_int_value (builder, g_array_index (p->other_lead_ids, gint64, i));
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "partition_id");
  if (p->partition_id > 0)
    json_builder_add_int_value (builder, p->partition_id);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "reason_code");
  if (p->reason_code != 0)
    json_builder_add_int_value (builder, p->reason_code);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "reason");
  if (p->reason != NULL)
    json_builder_add_string_value (builder, p->reason);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
}

JsonNode *
push_preview_to_json (PushPreview *self,
                      gboolean     members)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  PushSyncType sync_type;
  PushPreviewEstimate estimate;

  g_return_val_if_fail (PUSH_IS_PREVIEW (self), NULL);

  sync_type = push_destination_get_sync_type (self->destination);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, PREVIEW_FORMAT);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, PREVIEW_FORMAT_VERSION);
  json_builder_set_member_name (builder, "id");
  if (self->id != NULL)
    json_builder_add_string_value (builder, self->id);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "mode");
  json_builder_add_string_value (builder, push_preview_mode_to_string (self->mode));
  json_builder_set_member_name (builder, "complete");
  json_builder_add_boolean_value (builder, self->complete);

  json_builder_set_member_name (builder, "destination");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, push_destination_get_id (self->destination));
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, push_destination_get_name (self->destination));
  json_builder_set_member_name (builder, "sync_type");
  json_builder_add_string_value (builder, push_sync_type_to_string (sync_type));
  json_builder_set_member_name (builder, "person_action");
  json_builder_add_string_value (builder,
                                 push_person_action_to_string (
                                   push_destination_get_person_action (self->destination)));
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "audience_fingerprint");
  if (self->fingerprint != NULL)
    {
      g_autofree char *text = push_audience_fingerprint_to_string (self->fingerprint);

      json_builder_add_string_value (builder, text);
    }
  else
    json_builder_add_null_value (builder);

  json_builder_set_member_name (builder, "members");
  json_builder_add_int_value (builder, (gint64) self->n_members);
  json_builder_set_member_name (builder, "sendable");
  json_builder_add_int_value (builder, (gint64) self->n_sendable);
  json_builder_set_member_name (builder, "looked_up");
  json_builder_add_int_value (builder, (gint64) self->n_looked_up);
  json_builder_set_member_name (builder, "estimate");
  json_builder_add_boolean_value (builder, push_preview_is_estimate (self));
  json_builder_set_member_name (builder, "confidence");
  json_builder_add_double_value (builder, self->confidence);
  json_builder_set_member_name (builder, "margin");
  json_builder_add_double_value (builder, push_preview_get_margin (self));
  json_builder_set_member_name (builder, "seed");
  json_builder_add_int_value (builder, self->seed);
  json_builder_set_member_name (builder, "calls");
  json_builder_add_int_value (builder, (gint64) self->calls);
  json_builder_set_member_name (builder, "elapsed");
  json_builder_add_double_value (builder, self->elapsed);

  json_builder_set_member_name (builder, "counts");
  json_builder_add_value (builder, push_run_counts_to_json (&self->counts));

  json_builder_set_member_name (builder, "estimates");
  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (lookup_outcomes); i++)
    {
      PushOutcome outcome = lookup_outcomes[i];

      if (self->successes[outcome] == 0 && outcome == PUSH_OUTCOME_FAILED)
        continue;
      if (self->successes[outcome] == 0 &&
          (sync_type == PUSH_SYNC_TYPE_AUDIENCE_ONLY) !=
          (outcome == PUSH_OUTCOME_ADDED || outcome == PUSH_OUTCOME_MULTIPLE_MATCHES ||
           outcome == PUSH_OUTCOME_NOT_FOUND))
        continue;
      push_preview_get_estimate (self, outcome, &estimate);
      json_builder_set_member_name (builder, push_outcome_to_string (outcome));
      add_estimate (builder, &estimate);
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "matched");
  push_preview_get_match_estimate (self, &estimate);
  add_estimate (builder, &estimate);
  json_builder_set_member_name (builder, "matched_several");
  push_preview_get_multiple_estimate (self, &estimate);
  add_estimate (builder, &estimate);

  json_builder_set_member_name (builder, "partitions");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->partition_ids->len; i++)
    {
      gint64 id = g_array_index (self->partition_ids, gint64, i);
      const char *name = push_preview_get_partition_name (self, id);

      push_preview_get_partition_estimate (self, id, &estimate);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, id);
      json_builder_set_member_name (builder, "name");
      if (name != NULL)
        json_builder_add_string_value (builder, name);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "matched");
      add_estimate (builder, &estimate);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "partition_names");
  json_builder_begin_object (builder);
  {
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init (&iter, self->partition_names);
    while (g_hash_table_iter_next (&iter, &key, &value))
      {
        char id[32];

        g_snprintf (id, sizeof id, "%" G_GINT64_FORMAT, *(gint64 *) key);
        json_builder_set_member_name (builder, id);
        json_builder_add_string_value (builder, value);
      }
  }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "set_aside_reasons");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->reasons->len; i++)
    {
      const PushPreviewReason *reason = g_ptr_array_index (self->reasons, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "reason");
      json_builder_add_string_value (builder, reason->reason);
      json_builder_set_member_name (builder, "count");
      json_builder_add_int_value (builder, (gint64) reason->count);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "forecast");
  if (self->forecast != NULL)
    json_builder_add_value (builder, push_forecast_to_json (self->forecast));
  else
    json_builder_add_null_value (builder);

  if (members)
    {
      json_builder_set_member_name (builder, "predictions");
      json_builder_begin_array (builder);
      for (guint i = 0; i < self->predictions->len; i++)
        add_prediction (builder, &g_array_index (self->predictions, PushPrediction, i));
      json_builder_end_array (builder);
    }

  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* ---- Storing -------------------------------------------------------------------------- */

gboolean
push_preview_save (PushPreview       *self,
                   PushPreviewStore  *store,
                   GError           **error)
{
  g_autoptr(PushPreviewInfo) info = push_preview_info_new ();

  g_return_val_if_fail (PUSH_IS_PREVIEW (self), FALSE);
  g_return_val_if_fail (PUSH_IS_PREVIEW_STORE (store), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->id == NULL)
    self->id = push_preview_store_new_id ();

  info->id = g_strdup (self->id);
  info->destination_id = g_strdup (push_destination_get_id (self->destination));
  info->destination_document = push_destination_export (self->destination, NULL, NULL);
  info->audience_fingerprint = self->fingerprint != NULL ?
                               push_audience_fingerprint_to_string (self->fingerprint) : NULL;
  info->mode = self->mode;
  info->complete = self->complete;
  info->summary = push_preview_to_json (self, FALSE);

  return push_preview_store_save (store, info, (const PushPrediction *) self->predictions->data,
                                  self->predictions->len, error);
}

static gint64
member_int (JsonObject *object,
            const char *name)
{
  return json_object_get_int_member_with_default (object, name, 0);
}

PushPreview *
push_preview_load (PushPreviewStore  *store,
                   const char        *id,
                   GError           **error)
{
  g_autoptr(PushPreviewInfo) info = NULL;
  g_autoptr(PushDestination) destination = NULL;
  g_autoptr(PushPreview) self = NULL;
  g_autoptr(GPtrArray) members = NULL;
  JsonObject *summary = NULL;

  g_return_val_if_fail (PUSH_IS_PREVIEW_STORE (store), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  info = push_preview_store_get (store, id, error);
  if (info == NULL)
    return NULL;
  destination = push_destination_import (info->destination_document, -1, NULL, error);
  if (destination == NULL)
    {
      g_prefix_error (error, _("The preview’s destination can’t be read: "));
      return NULL;
    }
  members = push_preview_store_list_members (store, id, PUSH_OUTCOME_MASK_ALL, 0, 0, error);
  if (members == NULL)
    return NULL;

  self = _push_preview_new (info->mode, destination);
  self->id = g_strdup (info->id);
  self->complete = info->complete;
  self->created = info->created != NULL ? g_date_time_ref (info->created) : NULL;
  if (info->audience_fingerprint != NULL && *info->audience_fingerprint != '\0')
    self->fingerprint = push_audience_fingerprint_from_string (info->audience_fingerprint, NULL);

  if (info->summary != NULL && JSON_NODE_HOLDS_OBJECT (info->summary))
    summary = json_node_get_object (info->summary);
  if (summary != NULL)
    {
      JsonNode *node;

      self->n_members = (guint64) member_int (summary, "members");
      self->n_sendable = (guint64) member_int (summary, "sendable");
      self->seed = (guint32) member_int (summary, "seed");
      self->calls = (guint64) member_int (summary, "calls");
      self->elapsed = json_object_get_double_member_with_default (summary, "elapsed", 0.0);
      self->confidence = json_object_get_double_member_with_default (summary, "confidence",
                                                                     self->confidence);
      node = json_object_get_member (summary, "forecast");
      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        self->forecast = push_forecast_new_from_json (node);

      node = json_object_get_member (summary, "partition_names");
      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObject *names = json_node_get_object (node);
          g_autoptr(GList) keys = json_object_get_members (names);

          for (GList *l = keys; l != NULL; l = l->next)
            {
              gint64 pid;
              const char *name = json_object_get_string_member_with_default (names, l->data,
                                                                              NULL);

              if (name != NULL &&
                  g_ascii_string_to_signed (l->data, 10, 1, G_MAXINT64, &pid, NULL))
                g_hash_table_replace (self->partition_names, g_memdup2 (&pid, sizeof pid),
                                      g_strdup (name));
            }
        }

      node = json_object_get_member (summary, "set_aside_reasons");
      if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *reasons = json_node_get_array (node);

          for (guint i = 0; i < json_array_get_length (reasons); i++)
            {
              JsonNode *element = json_array_get_element (reasons, i);
              JsonObject *reason;
              const char *text;

              if (!JSON_NODE_HOLDS_OBJECT (element))
                continue;
              reason = json_node_get_object (element);
              text = json_object_get_string_member_with_default (reason, "reason", NULL);
              if (text != NULL)
                _push_preview_count_reason (self, text, (guint64) member_int (reason, "count"));
            }
        }
    }

  for (guint i = 0; i < members->len; i++)
    _push_preview_take_prediction (self, g_ptr_array_index (members, i));
  _push_preview_compute (self);
  /* A summary from an older or damaged row: at least count what is there. */
  if (self->n_members == 0)
    self->n_members = self->counts.members;
  if (self->n_sendable < self->n_looked_up)
    self->n_sendable = self->n_looked_up;
  _push_preview_compute (self);

  return g_steal_pointer (&self);
}
