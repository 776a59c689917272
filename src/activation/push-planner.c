/* push-planner.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "push-activation.h"
#include "push-audience-reader.h"
#include "push-estimate.h"
#include "push-lead-builder.h"
#include "push-member-classifier.h"
#include "push-planner.h"
#include "push-instance-cache.h"
#include "push-preview-private.h"
#include "push-validator.h"

struct _PushPlanner
{
  GObject             parent_instance;

  PushDestination    *destination;     /* (owned) a copy */
  GFile              *audience;        /* (owned) */
  MarketoClient      *client;          /* (owned) */
  PushStore          *store;           /* (owned) (nullable) */
  MarketoLeadSchema  *schema;          /* (owned) (nullable) */
  GPtrArray          *partitions;      /* (owned) (nullable) (element-type MarketoPartition) */
  GPtrArray          *problems;        /* (owned) (element-type PushProblem) */

  PushPreviewMode     mode;
  gboolean            partition_rule;
  guint32             seed;
  PushAudienceFormat  audience_format;     /* as the user set it; AUTO: detected */
  char                audience_delimiter;
  double              margin;
  double              confidence;
  guint64             sample_size;
  guint               max_sample_calls;

  PushPlannerPhase    phase;
  guint64             done;
  guint64             total;
  gboolean            running;
};

G_DEFINE_FINAL_TYPE (PushPlanner, push_planner, G_TYPE_OBJECT)
G_DEFINE_QUARK (push-planner-error-quark, push_planner_error)

enum {
  SIGNAL_PROGRESS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* A member to look up. */
typedef struct {
  guint64     row_number;
  char       *value;   /* (owned) the trimmed dedupe value */
  JsonObject *sent;    /* (owned) (nullable) the values that would be sent */
} Candidate;

static void
candidate_clear (Candidate *candidate)
{
  g_clear_pointer (&candidate->value, g_free);
  g_clear_pointer (&candidate->sent, json_object_unref);
}

/* Everything one run works on. The scan fields are written by the worker thread and read
 * only after it has returned. */
typedef struct {
  PushDestination   *destination;  /* (owned) */
  MarketoLeadSchema *schema;       /* (owned) */
  GPtrArray         *partitions;   /* (owned) */
  GFile             *audience;     /* (owned) */
  PushAudienceFormat audience_format;
  char               audience_delimiter;
  PushPreviewMode    mode;
  guint32            seed;
  double             margin;
  double             confidence;
  guint64            fixed_sample_size;
  guint              max_sample_calls;

  /* The scan */
  PushPreview       *preview;      /* (owned) the locally decided members go straight in */
  GArray            *candidates;   /* (owned) (element-type Candidate) by row */
  GPtrArray         *problems;     /* (owned) (nullable) */
  PushAudienceFingerprint *fingerprint;  /* (owned) (nullable) */
  guint64            total_rows;
  guint64            set_aside;
  guint64            duplicates;
  guint64            sendable;

  /* The lookups */
  PushLeadMatcher   *matcher;      /* (owned) */
  gint64             partition_id;
  guint              next;
  guint64            instance_calls;
  gint64             lookup_us;
  guint64            timed_calls;
  gint64             started_us;
  gint64             call_started_us;
  guint64            calls_before;
} PlanData;

static void
plan_data_free (PlanData *data)
{
  g_clear_object (&data->destination);
  g_clear_pointer (&data->schema, marketo_lead_schema_free);
  g_clear_pointer (&data->partitions, g_ptr_array_unref);
  g_clear_object (&data->audience);
  g_clear_object (&data->preview);
  g_clear_pointer (&data->candidates, g_array_unref);
  g_clear_pointer (&data->problems, g_ptr_array_unref);
  g_clear_pointer (&data->fingerprint, push_audience_fingerprint_free);
  g_clear_object (&data->matcher);
  g_free (data);
}

static void
set_phase (PushPlanner      *self,
           PushPlannerPhase  phase,
           guint64           done,
           guint64           total)
{
  self->phase = phase;
  self->done = done;
  self->total = total;
  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0);
}

/* ---- Prediction ----------------------------------------------------------------------- */

static gint64
lead_partition (const MarketoLead *lead)
{
  g_autofree char *text = marketo_lead_dup_string (lead, "leadPartitionId");
  gint64 id = 0;

  if (text == NULL || !g_ascii_string_to_signed (text, 10, 1, G_MAXINT64, &id, NULL))
    return 0;
  return id;
}

void
push_planner_predict (PushSyncType          sync_type,
                      PushPersonAction      action,
                      gint64                partition_id,
                      gboolean              partition_rule,
                      const PushLeadMatch  *match,
                      PushPrediction       *prediction)
{
  guint n_matches = match != NULL && match->lead != NULL ? match->n_matches : 0;

  g_return_if_fail (prediction != NULL);

  prediction->n_matches = n_matches;
  prediction->lead_id = n_matches > 0 ? match->lead->id : 0;
  prediction->partition_id = n_matches > 0 ? lead_partition (match->lead) : 0;
  prediction->reason_code = 0;
  g_clear_pointer (&prediction->reason, g_free);
  g_clear_pointer (&prediction->other_lead_ids, g_array_unref);
  if (n_matches > 1)
    {
      prediction->other_lead_ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64),
                                                      match->other_ids->len);
      g_array_append_vals (prediction->other_lead_ids, match->other_ids->data,
                           match->other_ids->len);
    }

  if (sync_type == PUSH_SYNC_TYPE_AUDIENCE_ONLY)
    {
      /* Looked up, and the match (the most recently updated one) goes into the list. */
      if (n_matches == 0)
        prediction->outcome = PUSH_OUTCOME_NOT_FOUND;
      else if (n_matches == 1)
        prediction->outcome = PUSH_OUTCOME_ADDED;
      else
        {
          g_autofree char *others = push_prediction_dup_other_ids_text (prediction);

          prediction->outcome = PUSH_OUTCOME_MULTIPLE_MATCHES;
          prediction->reason = g_strdup_printf (
            g_dngettext (GETTEXT_PACKAGE,
                         "%u people match; the most recently updated (lead %" G_GINT64_FORMAT
                         ") will be chosen over lead %s",
                         "%u people match; the most recently updated (lead %" G_GINT64_FORMAT
                         ") will be chosen over leads %s", n_matches - 1),
            n_matches, prediction->lead_id, others);
        }
      return;
    }

  /* Sync Leads keyed by the dedupe field: an update needs exactly one match. */
  if (n_matches > 1)
    {
      prediction->outcome = PUSH_OUTCOME_REJECTED;
      prediction->reason_code = 1007;
      prediction->reason = g_strdup_printf (
        g_dngettext (GETTEXT_PACKAGE,
                     "%u people have this value, so Marketo will refuse the update (1007, "
                     "several leads match)",
                     "%u people have this value, so Marketo will refuse the update (1007, "
                     "several leads match)", n_matches),
        n_matches);
      return;
    }

  if (n_matches == 0)
    {
      if (action == PUSH_PERSON_ACTION_UPDATE_ONLY)
        {
          prediction->outcome = PUSH_OUTCOME_NOT_FOUND;
          prediction->reason_code = 1004;
          prediction->reason = g_strdup (_("Nobody has this value, and the destination only "
                                           "updates people who exist"));
        }
      else
        {
          prediction->outcome = PUSH_OUTCOME_CREATED;
          prediction->partition_id = partition_id;
        }
      return;
    }

  if (action == PUSH_PERSON_ACTION_CREATE_OR_UPDATE && partition_rule && partition_id > 0 &&
      prediction->partition_id > 0 && prediction->partition_id != partition_id)
    {
      prediction->outcome = PUSH_OUTCOME_REJECTED;
      prediction->reason_code = 1010;
      prediction->reason = g_strdup (_("The person lives in another partition, where this "
                                       "destination may not update them (1010)"));
      return;
    }

  prediction->outcome = PUSH_OUTCOME_UPDATED;
}

/* ---- The scan (worker thread) --------------------------------------------------------- */

static PushAudienceReader *
open_reader (GFile               *audience,
             PushAudienceFormat   format,
             char                 delimiter,
             GCancellable        *cancellable,
             GError             **error)
{
  g_autoptr(PushAudienceReader) reader = push_audience_reader_new_for_file (audience, format,
                                                                            delimiter);

  if (!push_audience_reader_open (reader, cancellable, error))
    {
      g_autofree char *name = g_file_get_parse_name (audience);

      g_prefix_error (error, _("Could not read the audience “%s”: "), name);
      return NULL;
    }
  return g_steal_pointer (&reader);
}

/* The values a member would send, as an object (for the member detail). */
static JsonObject *
sent_values (PushLeadBuilder       *builder,
             const PushAudienceRow *row,
             gboolean               profile,
             const char            *dedupe_field,
             const char            *value,
             GString               *buffer)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *object;

  if (!profile)
    {
      object = json_object_new ();
      json_object_set_string_member (object, dedupe_field, value);
      return object;
    }

  g_string_truncate (buffer, 0);
  if (!push_lead_builder_append_lead (builder, row, buffer))
    return NULL;
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, buffer->str, buffer->len, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static int
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  const Candidate *ca = a;
  const Candidate *cb = b;

  return ca->row_number < cb->row_number ? -1 : ca->row_number > cb->row_number ? 1 : 0;
}

static gboolean
scan (PlanData      *data,
      GCancellable  *cancellable,
      GError       **error)
{
  g_autoptr(PushAudienceReader) reader = NULL;
  g_autoptr(PushValidator) validator = NULL;
  g_autoptr(PushLeadBuilder) builder = NULL;
  g_autoptr(PushMemberClassifier) classifier = NULL;
  g_autoptr(PushSampler) sampler = NULL;
  g_autoptr(GString) buffer = g_string_new (NULL);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GHashTable) reason_counts = NULL;
  const PushAudienceRow *row;
  const char * const *columns;
  PushAudienceFingerprint *second;
  PushSyncType sync_type = push_destination_get_sync_type (data->destination);
  gboolean profile = sync_type != PUSH_SYNC_TYPE_AUDIENCE_ONLY;
  PushMemberCounts counts = { 0 };
  guint64 capacity;
  const char *dedupe_field;
  GHashTableIter iter;
  gpointer key, value;

  reader = open_reader (data->audience, data->audience_format, data->audience_delimiter,
                        cancellable, error);
  if (reader == NULL)
    return FALSE;
  columns = push_audience_reader_get_columns (reader, NULL);

  /* The destination check of the activation, at the edit level. */
  validator = push_validator_new (data->schema);
  push_validator_set_partitions (validator, data->partitions);
  data->problems = push_validator_check (validator, data->destination, columns,
                                         PUSH_VALIDATION_EDIT);
  push_problems_sort (data->problems);
  if (push_problems_has_errors (data->problems))
    {
      const PushProblem *first = g_ptr_array_index (data->problems, 0);

      g_set_error (error, PUSH_PLANNER_ERROR, PUSH_PLANNER_ERROR_INVALID,
                   _("The destination “%s” can’t be previewed: %s"),
                   push_destination_get_name (data->destination), first->message);
      return FALSE;
    }

  builder = push_lead_builder_new (push_destination_get_mapping (data->destination),
                                   data->schema, columns,
                                   profile ? PUSH_LEAD_BUILDER_NONE :
                                             PUSH_LEAD_BUILDER_IDENTITY_ONLY,
                                   error);
  if (builder == NULL)
    return FALSE;
  dedupe_field = push_lead_builder_get_dedupe_field (builder);

  /* Pass 1: the set-aside rows and the dedupe index, with the activation's row rule. */
  classifier = push_member_classifier_new (builder);
  reason_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  while (push_audience_reader_next_row (reader, &row, cancellable, &local_error))
    {
      g_auto(PushMemberVerdict) verdict = { 0 };

      if (push_member_classifier_scan_row (classifier, row,
                                           PUSH_MEMBER_CLASSIFY_REASON |
                                           PUSH_MEMBER_CLASSIFY_REASON_KEYS,
                                           &verdict) == PUSH_MEMBER_SET_ASIDE)
        {
          PushPrediction prediction = { 0 };

          prediction.row_number = row->number;
          prediction.dedupe_value = g_strdup (push_lead_builder_get_dedupe_value (builder, row,
                                                                                  NULL));
          prediction.outcome = PUSH_OUTCOME_SET_ASIDE;
          prediction.reason = g_steal_pointer (&verdict.reason);
          _push_preview_take_prediction (data->preview, &prediction);

          /* Each kind of problem (listed once per member) counts once per member. */
          for (guint i = 0; verdict.reason_keys != NULL && i < verdict.reason_keys->len; i++)
            {
              const char *reason = g_ptr_array_index (verdict.reason_keys, i);
              guint64 *count;

              count = g_hash_table_lookup (reason_counts, reason);
              if (count == NULL)
                {
                  count = g_new0 (guint64, 1);
                  g_hash_table_insert (reason_counts, g_strdup (reason), count);
                }
              (*count)++;
            }
        }
    }
  if (local_error != NULL)
    {
      g_autofree char *name = g_file_get_parse_name (data->audience);

      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  _("Could not read the audience “%s”: "), name);
      return FALSE;
    }
  if (push_audience_reader_get_fingerprint (reader) != NULL)
    data->fingerprint = push_audience_fingerprint_copy (push_audience_reader_get_fingerprint (reader));
  g_clear_object (&reader);

  g_hash_table_iter_init (&iter, reason_counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    _push_preview_count_reason (data->preview, key, *(guint64 *) value);

  push_member_classifier_get_counts (classifier, &counts);
  data->total_rows = counts.rows;
  data->set_aside = counts.set_aside;
  data->duplicates = counts.duplicates;
  data->sendable = counts.sendable;

  /* Who is looked up: everyone, or a uniform sample of the members sent. */
  if (data->mode == PUSH_PREVIEW_MODE_FULL)
    capacity = data->sendable;
  else
    {
      guint64 cap = (guint64) data->max_sample_calls * PUSH_FORECAST_BATCH_SIZE;

      capacity = data->fixed_sample_size > 0 ?
                 data->fixed_sample_size :
                 push_estimate_sample_size (data->sendable, data->margin, data->confidence);
      capacity = MIN (capacity, MAX (cap, 1));
      capacity = MIN (capacity, data->sendable);
    }
  sampler = push_sampler_new (capacity, data->seed);
  g_array_set_size (data->candidates, 0);

  /* Pass 2: the duplicates (now that the last row of each value is known) and the members to
   * look up. */
  reader = open_reader (data->audience, data->audience_format, data->audience_delimiter,
                        cancellable, error);
  if (reader == NULL)
    return FALSE;
  while (push_audience_reader_next_row (reader, &row, cancellable, &local_error))
    {
      g_auto(PushMemberVerdict) verdict = { 0 };
      gsize length = 0;
      const char *text;
      gint64 slot;

      /* The set-aside rows were predicted by the first pass. */
      if (push_member_classifier_classify (classifier, row, PUSH_MEMBER_CLASSIFY_NONE, NULL,
                                           &verdict) == PUSH_MEMBER_SET_ASIDE)
        continue;

      text = push_lead_builder_get_dedupe_value (builder, row, &length);
      if (verdict.kind == PUSH_MEMBER_DUPLICATE)
        {
          PushPrediction prediction = { 0 };
          g_autofree char *last_text = push_audience_format_count (verdict.kept_row);

          prediction.row_number = row->number;
          prediction.dedupe_value = g_strdup (text);
          prediction.outcome = PUSH_OUTCOME_DUPLICATE;
          prediction.reason = g_strdup_printf (_("Row %s has the same dedupe value; that row "
                                                 "will be sent instead"), last_text);
          _push_preview_take_prediction (data->preview, &prediction);
          continue;
        }

      slot = push_sampler_offer (sampler);
      if (slot < 0)
        continue;
      if ((guint64) slot >= data->candidates->len)
        g_array_set_size (data->candidates, slot + 1);
      {
        Candidate *candidate = &g_array_index (data->candidates, Candidate, slot);
        gboolean detailed = data->mode == PUSH_PREVIEW_MODE_SAMPLE ||
                            (guint64) slot < PUSH_PLANNER_MAX_DETAILED_MEMBERS;
        g_autofree char *trimmed = g_strndup (text, length);

        candidate_clear (candidate);
        candidate->row_number = row->number;
        candidate->value = g_steal_pointer (&trimmed);
        if (detailed)
          candidate->sent = sent_values (builder, row, profile, dedupe_field, candidate->value,
                                         buffer);
      }
    }
  if (local_error != NULL)
    {
      g_autofree char *name = g_file_get_parse_name (data->audience);

      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  _("Could not read the audience “%s”: "), name);
      return FALSE;
    }

  second = push_audience_reader_get_fingerprint (reader);
  if (data->fingerprint != NULL && second != NULL &&
      push_audience_fingerprint_compare (data->fingerprint, second) ==
        PUSH_AUDIENCE_FINGERPRINT_DIFFERENT)
    {
      g_autofree char *name = g_file_get_parse_name (data->audience);

      g_set_error (error, PUSH_PLANNER_ERROR, PUSH_PLANNER_ERROR_AUDIENCE_CHANGED,
                   _("The audience “%s” changed while it was being read; preview it again"),
                   name);
      return FALSE;
    }

  g_array_sort (data->candidates, compare_candidates);
  g_debug ("Preview scan: %" G_GUINT64_FORMAT " rows, %" G_GUINT64_FORMAT " set aside, %"
           G_GUINT64_FORMAT " duplicates, %" G_GUINT64_FORMAT " to send, %u to look up",
           data->total_rows, data->set_aside, data->duplicates, data->sendable,
           data->candidates->len);
  return TRUE;
}

static void
scan_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  PlanData *data = task_data;
  GError *error = NULL;

  if (scan (data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* ---- The run (caller's context) ------------------------------------------------------- */

static void lookup_next (GTask *task);

static void
fail (GTask  *task,
      GError *error)
{
  PushPlanner *self = g_task_get_source_object (task);

  self->running = FALSE;
  set_phase (self, PUSH_PLANNER_PHASE_DONE, self->done, self->total);
  g_task_return_error (task, error);
  g_object_unref (task);
}

/* The matched lead's values of the fields the detail compares. */
static JsonObject *
current_values (const PushLeadMatch *match,
                const char * const  *fields)
{
  JsonObject *object;

  if (match == NULL || match->lead == NULL || match->lead->fields == NULL)
    return NULL;
  object = json_object_new ();
  for (guint i = 0; fields[i] != NULL; i++)
    {
      JsonNode *node = json_object_get_member (match->lead->fields, fields[i]);

      if (node != NULL)
        json_object_set_member (object, fields[i], json_node_copy (node));
      else
        json_object_set_null_member (object, fields[i]);
    }
  return object;
}

static void
finish (GTask *task)
{
  PushPlanner *self = g_task_get_source_object (task);
  PlanData *data = g_task_get_task_data (task);
  PushPreview *preview = data->preview;
  PushForecastInput input = { 0 };
  guint window_calls, max_in_flight;
  double window_seconds;
  MarketoPacer *pacer = marketo_client_get_pacer (self->client);
  PushSyncType sync_type = push_destination_get_sync_type (data->destination);

  preview->n_members = data->total_rows;
  preview->n_sendable = data->sendable;
  preview->seed = data->seed;
  preview->confidence = data->confidence;
  preview->fingerprint = g_steal_pointer (&data->fingerprint);
  preview->created = g_date_time_new_now_utc ();
  preview->calls = data->instance_calls + push_lead_matcher_get_calls (data->matcher);
  preview->elapsed = (g_get_monotonic_time () - data->started_us) / (double) G_USEC_PER_SEC;
  _push_preview_set_partitions (preview, data->partitions);
  _push_preview_sort (preview);
  _push_preview_sort_reasons (preview);
  _push_preview_compute (preview);

  /* The activation's forecast, fed as the activation feeds it (push-activation.c). */
  marketo_pacer_get_limits (pacer, &window_calls, &window_seconds, &max_in_flight);
  input.sync_type = sync_type;
  input.members = data->total_rows;
  input.sendable = data->sendable;
  input.set_aside = data->set_aside;
  input.duplicates = data->duplicates;
  input.needs_list = push_sync_type_uses_list (sync_type) &&
                     push_destination_get_list_target_kind (data->destination) ==
                       PUSH_LIST_TARGET_CREATE_PER_AUDIENCE;
  input.daily_quota = marketo_pacer_get_daily_quota (pacer);
  input.daily_used = marketo_pacer_get_daily_count (pacer);
  input.window_calls = window_calls;
  input.window_seconds = window_seconds;
  input.max_in_flight = max_in_flight;
  input.latency_seconds = data->timed_calls > 0 ?
                          data->lookup_us / (double) data->timed_calls / G_USEC_PER_SEC : 0.0;
  preview->forecast = push_forecast_compute (&input);

  if (self->store != NULL)
    {
      g_autoptr(PushPreviewStore) previews = push_preview_store_new (self->store);
      GError *error = NULL;

      if (!push_preview_save (preview, previews, &error))
        {
          g_prefix_error (&error, _("Could not save the preview: "));
          fail (task, error);
          return;
        }
    }

  self->running = FALSE;
  set_phase (self, PUSH_PLANNER_PHASE_DONE, self->done, self->total);
  g_task_return_pointer (task, g_object_ref (preview), g_object_unref);
  g_object_unref (task);
}

static void
matched_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  PushPlanner *self = g_task_get_source_object (task);
  PlanData *data = g_task_get_task_data (task);
  g_autoptr(GPtrArray) matches = NULL;
  GError *error = NULL;
  PushSyncType sync_type = push_destination_get_sync_type (data->destination);
  PushPersonAction action = push_destination_get_person_action (data->destination);
  const char * const *fields = push_preview_get_detail_fields (data->preview);
  guint first = data->next;
  guint64 calls;

  matches = push_lead_matcher_match_finish (PUSH_LEAD_MATCHER (source), result, &error);
  if (matches == NULL)
    {
      g_prefix_error (&error, _("Could not look the members up: "));
      fail (task, error);
      return;
    }

  calls = push_lead_matcher_get_calls (data->matcher) - data->calls_before;
  if (calls > 0)
    {
      data->lookup_us += g_get_monotonic_time () - data->call_started_us;
      data->timed_calls += calls;
    }

  for (guint i = 0; i < matches->len; i++)
    {
      const PushLeadMatch *match = g_ptr_array_index (matches, i);
      Candidate *candidate = &g_array_index (data->candidates, Candidate, first + match->index);
      PushPrediction prediction = { 0 };

      prediction.row_number = candidate->row_number;
      prediction.dedupe_value = g_strdup (candidate->value);
      push_planner_predict (sync_type, action, data->partition_id, self->partition_rule,
                            match, &prediction);
      prediction.sent = g_steal_pointer (&candidate->sent);
      if (prediction.sent != NULL)
        prediction.current = current_values (match, fields);
      _push_preview_take_prediction (data->preview, &prediction);
      candidate_clear (candidate);
    }
  data->next = first + matches->len;

  set_phase (self, PUSH_PLANNER_PHASE_LOOKING_UP, data->next, data->candidates->len);
  lookup_next (task);
}

static void
lookup_next (GTask *task)
{
  PlanData *data = g_task_get_task_data (task);
  g_autofree const char **values = NULL;
  guint n;

  if (data->next >= data->candidates->len)
    {
      finish (task);
      return;
    }

  /* One call's worth at a time, so progress and cancellation come after every call. */
  n = MIN (data->candidates->len - data->next, PUSH_FORECAST_BATCH_SIZE);
  values = g_new0 (const char *, n + 1);
  for (guint i = 0; i < n; i++)
    values[i] = g_array_index (data->candidates, Candidate, data->next + i).value;

  data->calls_before = push_lead_matcher_get_calls (data->matcher);
  data->call_started_us = g_get_monotonic_time ();
  push_lead_matcher_match_async (data->matcher, values, n, g_task_get_cancellable (task),
                                 matched_cb, task);
}

static void
scanned_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  PushPlanner *self = g_task_get_source_object (task);
  PlanData *data = g_task_get_task_data (task);
  g_autoptr(GPtrArray) extra = g_ptr_array_new ();
  const char * const *fields;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_clear_pointer (&self->problems, g_ptr_array_unref);
      if (data->problems != NULL)
        self->problems = g_ptr_array_ref (data->problems);
      fail (task, error);
      return;
    }
  g_clear_pointer (&self->problems, g_ptr_array_unref);
  self->problems = g_ptr_array_ref (data->problems);

  /* The partition the activation names: only when it may create people. */
  data->partition_id = 0;
  if (push_destination_get_sync_type (data->destination) != PUSH_SYNC_TYPE_AUDIENCE_ONLY &&
      push_destination_get_person_action (data->destination) ==
        PUSH_PERSON_ACTION_CREATE_OR_UPDATE)
    {
      const char *name = push_destination_get_effective_partition (data->destination);

      for (guint i = 0; data->partitions != NULL && i < data->partitions->len; i++)
        {
          const MarketoPartition *partition = g_ptr_array_index (data->partitions, i);

          if (g_strcmp0 (partition->name, name) == 0)
            data->partition_id = partition->id;
        }
    }

  /* Read what the detail compares, and the partition, when the instance has them. */
  fields = push_preview_get_detail_fields (data->preview);
  for (guint i = 0; fields[i] != NULL; i++)
    if (data->schema == NULL || marketo_lead_schema_lookup_field (data->schema, fields[i]) != NULL)
      g_ptr_array_add (extra, (gpointer) fields[i]);
  if (data->schema == NULL ||
      marketo_lead_schema_lookup_field (data->schema, "leadPartitionId") != NULL)
    g_ptr_array_add (extra, (gpointer) "leadPartitionId");
  g_ptr_array_add (extra, NULL);

  data->matcher = push_lead_matcher_new (self->client,
                                         push_destination_get_dedupe_field (data->destination));
  push_lead_matcher_set_extra_fields (data->matcher, (const char * const *) extra->pdata);

  set_phase (self, PUSH_PLANNER_PHASE_LOOKING_UP, 0, data->candidates->len);
  lookup_next (task);
}

static void
start_scan (GTask *task)
{
  PushPlanner *self = g_task_get_source_object (task);
  PlanData *data = g_task_get_task_data (task);
  GTask *worker;

  set_phase (self, PUSH_PLANNER_PHASE_READING, 0, 0);
  worker = g_task_new (self, g_task_get_cancellable (task), scanned_cb, task);
  g_task_set_source_tag (worker, start_scan);
  g_task_set_task_data (worker, data, NULL);
  g_task_run_in_thread (worker, scan_thread);
  g_object_unref (worker);
}

static void fetch_instance (GTask *task);

static void
partitions_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  PlanData *data = g_task_get_task_data (task);
  GError *error = NULL;

  data->partitions = marketo_client_get_partitions_finish (MARKETO_CLIENT (source), result,
                                                           &error);
  if (data->partitions == NULL)
    {
      g_prefix_error (&error, _("Could not read the instance’s partitions: "));
      fail (task, error);
      return;
    }
  fetch_instance (task);
}

static void
schema_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  PlanData *data = g_task_get_task_data (task);
  GError *error = NULL;

  data->schema = marketo_client_describe_leads2_finish (MARKETO_CLIENT (source), result, &error);
  if (data->schema == NULL)
    {
      g_prefix_error (&error, _("Could not read the instance’s fields: "));
      fail (task, error);
      return;
    }
  fetch_instance (task);
}

/* Reads what the caller did not give, one call after the other, then scans. */
static void
fetch_instance (GTask *task)
{
  PushPlanner *self = g_task_get_source_object (task);
  PlanData *data = g_task_get_task_data (task);

  /* Fresh in the store's cache (setting the destination up filled it): no call, as a run */
  if (data->schema == NULL && data->partitions == NULL && self->store != NULL)
    {
      g_autoptr(PushInstanceCache) cache = push_instance_cache_new (self->store);

      push_instance_cache_get_fresh (cache, push_destination_get_account_id (data->destination),
                                     &data->schema, &data->partitions);
    }

  if (data->schema == NULL)
    {
      data->instance_calls++;
      marketo_client_describe_leads2_async (self->client, g_task_get_cancellable (task),
                                            schema_cb, task);
      return;
    }
  if (data->partitions == NULL)
    {
      data->instance_calls++;
      marketo_client_get_partitions_async (self->client, g_task_get_cancellable (task),
                                           partitions_cb, task);
      return;
    }
  start_scan (task);
}

/* ---- GObject -------------------------------------------------------------------------- */

static void
push_planner_finalize (GObject *object)
{
  PushPlanner *self = PUSH_PLANNER (object);

  g_clear_object (&self->destination);
  g_clear_object (&self->audience);
  g_clear_object (&self->client);
  g_clear_object (&self->store);
  g_clear_pointer (&self->schema, marketo_lead_schema_free);
  g_clear_pointer (&self->partitions, g_ptr_array_unref);
  g_clear_pointer (&self->problems, g_ptr_array_unref);

  G_OBJECT_CLASS (push_planner_parent_class)->finalize (object);
}

static void
push_planner_class_init (PushPlannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = push_planner_finalize;

  /**
   * PushPlanner::progress:
   *
   * The phase or the progress changed (push_planner_get_phase(),
   * push_planner_get_progress()).
   */
  signals[SIGNAL_PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
}

static void
push_planner_init (PushPlanner *self)
{
  self->mode = PUSH_PREVIEW_MODE_SAMPLE;
  self->seed = g_random_int ();
  self->margin = PUSH_ESTIMATE_DEFAULT_MARGIN;
  self->confidence = PUSH_ESTIMATE_DEFAULT_CONFIDENCE;
  self->max_sample_calls = PUSH_PLANNER_DEFAULT_MAX_SAMPLE_CALLS;
  self->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) push_problem_free);
}

/* ---- Public API ----------------------------------------------------------------------- */

PushPlanner *
push_planner_new (PushDestination *destination,
                  GFile           *audience,
                  MarketoClient   *client)
{
  PushPlanner *self;

  g_return_val_if_fail (PUSH_IS_DESTINATION (destination), NULL);
  g_return_val_if_fail (G_IS_FILE (audience), NULL);
  g_return_val_if_fail (MARKETO_IS_CLIENT (client), NULL);

  self = g_object_new (PUSH_TYPE_PLANNER, NULL);
  self->destination = push_destination_copy (destination);
  self->audience = g_object_ref (audience);
  self->client = g_object_ref (client);
  return self;
}

void
push_planner_set_mode (PushPlanner     *self,
                       PushPreviewMode  mode)
{
  g_return_if_fail (PUSH_IS_PLANNER (self));
  self->mode = mode;
}

PushPreviewMode
push_planner_get_mode (PushPlanner *self)
{
  g_return_val_if_fail (PUSH_IS_PLANNER (self), PUSH_PREVIEW_MODE_SAMPLE);
  return self->mode;
}

void
push_planner_set_schema (PushPlanner             *self,
                         const MarketoLeadSchema *schema)
{
  g_return_if_fail (PUSH_IS_PLANNER (self));

  g_clear_pointer (&self->schema, marketo_lead_schema_free);
  if (schema != NULL)
    self->schema = marketo_lead_schema_copy (schema);
}

void
push_planner_set_partitions (PushPlanner *self,
                             GPtrArray   *partitions)
{
  g_return_if_fail (PUSH_IS_PLANNER (self));

  g_clear_pointer (&self->partitions, g_ptr_array_unref);
  if (partitions != NULL)
    self->partitions = g_ptr_array_copy (partitions, (GCopyFunc) marketo_partition_copy, NULL);
  if (self->partitions != NULL)
    g_ptr_array_set_free_func (self->partitions, (GDestroyNotify) marketo_partition_free);
}

void
push_planner_set_partition_rule (PushPlanner *self,
                                 gboolean     partition_rule)
{
  g_return_if_fail (PUSH_IS_PLANNER (self));
  self->partition_rule = !!partition_rule;
}

void
push_planner_set_audience_format (PushPlanner        *self,
                                  PushAudienceFormat  format,
                                  char                delimiter)
{
  g_return_if_fail (PUSH_IS_PLANNER (self));
  self->audience_format = format;
  self->audience_delimiter = delimiter;
}

void
push_planner_set_seed (PushPlanner *self,
                       guint32      seed)
{
  g_return_if_fail (PUSH_IS_PLANNER (self));
  self->seed = seed;
}

void
push_planner_set_precision (PushPlanner *self,
                            double       margin,
                            double       confidence)
{
  g_return_if_fail (PUSH_IS_PLANNER (self));
  g_return_if_fail (margin > 0.0 && margin < 1.0);
  g_return_if_fail (confidence > 0.0 && confidence < 1.0);

  self->margin = margin;
  self->confidence = confidence;
}

void
push_planner_set_sample_size (PushPlanner *self,
                              guint64      sample_size)
{
  g_return_if_fail (PUSH_IS_PLANNER (self));
  self->sample_size = sample_size;
}

void
push_planner_set_max_sample_calls (PushPlanner *self,
                                   guint        calls)
{
  g_return_if_fail (PUSH_IS_PLANNER (self));
  self->max_sample_calls = MAX (calls, 1);
}

void
push_planner_set_store (PushPlanner *self,
                        PushStore   *store)
{
  g_return_if_fail (PUSH_IS_PLANNER (self));
  g_return_if_fail (store == NULL || PUSH_IS_STORE (store));
  g_set_object (&self->store, store);
}

PushPlannerPhase
push_planner_get_phase (PushPlanner *self)
{
  g_return_val_if_fail (PUSH_IS_PLANNER (self), PUSH_PLANNER_PHASE_IDLE);
  return self->phase;
}

void
push_planner_get_progress (PushPlanner *self,
                           guint64     *done,
                           guint64     *total)
{
  g_return_if_fail (PUSH_IS_PLANNER (self));
  if (done != NULL)
    *done = self->done;
  if (total != NULL)
    *total = self->total;
}

GPtrArray *
push_planner_dup_problems (PushPlanner *self)
{
  g_return_val_if_fail (PUSH_IS_PLANNER (self), NULL);
  return g_ptr_array_ref (self->problems);
}

void
push_planner_run_async (PushPlanner         *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PlanData *data;

  g_return_if_fail (PUSH_IS_PLANNER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, push_planner_run_async);
  if (self->running)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("The preview is already running"));
      return;
    }
  self->running = TRUE;

  data = g_new0 (PlanData, 1);
  data->destination = push_destination_copy (self->destination);
  data->schema = self->schema != NULL ? marketo_lead_schema_copy (self->schema) : NULL;
  if (self->partitions != NULL)
    data->partitions = g_ptr_array_ref (self->partitions);
  data->audience = g_object_ref (self->audience);
  data->mode = self->mode;
  data->seed = self->seed;
  data->audience_format = self->audience_format;
  data->audience_delimiter = self->audience_delimiter;
  data->margin = self->margin;
  data->confidence = self->confidence;
  data->fixed_sample_size = self->sample_size;
  data->max_sample_calls = self->max_sample_calls;
  data->preview = _push_preview_new (self->mode, self->destination);
  data->candidates = g_array_new (FALSE, TRUE, sizeof (Candidate));
  g_array_set_clear_func (data->candidates, (GDestroyNotify) candidate_clear);
  data->started_us = g_get_monotonic_time ();
  g_task_set_task_data (task, data, (GDestroyNotify) plan_data_free);

  set_phase (self, PUSH_PLANNER_PHASE_INSTANCE, 0, 0);
  /* The chain holds its own reference until it returns. */
  fetch_instance (g_steal_pointer (&task));
}

PushPreview *
push_planner_run_finish (PushPlanner   *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (PUSH_IS_PLANNER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == push_planner_run_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
run_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

PushPreview *
push_planner_run (PushPlanner   *self,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GMainContext *context = g_main_context_ref_thread_default ();

  g_return_val_if_fail (PUSH_IS_PLANNER (self), NULL);

  push_planner_run_async (self, cancellable, run_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  g_main_context_unref (context);

  return push_planner_run_finish (self, result, error);
}
