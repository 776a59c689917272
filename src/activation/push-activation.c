/* push-activation.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The public object lives in the caller's thread; everything that talks to Marketo, reads
 * the audience or writes the store happens in a Runner, owned by the GTask thread, which
 * iterates a GMainContext of its own. The two share the fields under `lock`.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "marketo-client.h"
#include "push-activation.h"
#include "push-audience-reader.h"
#include "push-instance-cache.h"
#include "push-lead-builder.h"
#include "push-lead-matcher.h"
#include "push-member-classifier.h"
#include "push-secrets.h"
#include "push-usage-store.h"
#include "push-validator.h"

/* Rows (sent or not) in one batch at most: bounds a batch's memory when many rows are set
 * aside or repeated. */
#define BATCH_MAX_MEMBERS 1000
/* Room for the envelope of a Sync Leads body around the records. */
#define BODY_ENVELOPE_BYTES 4096
/* Batches being worked on beyond the pacer's in-flight budget, so that a request is ready
 * the moment a permit is free. */
#define EXTRA_ACTIVE_BATCHES 2

struct _PushActivation
{
  GObject           parent_instance;

  /* Inputs, set before run_async() */
  PushStore        *store;             /* (owned) */
  PushAccount      *account;           /* (owned) (nullable) NULL when resuming */
  PushDestination  *destination;       /* (owned) (nullable) NULL when resuming */
  char             *audience_path;     /* (owned) (nullable) */
  PushAudienceFormat audience_format;  /* as the user set it; AUTO: detected */
  char              audience_delimiter;
  char             *resume_run_id;     /* (owned) (nullable) */
  char             *secret;            /* (owned) (nullable) */
  char             *audience_name;     /* (owned) (nullable) */
  MarketoPacer     *pacer;             /* (owned) (nullable) */
  gboolean          confirmed;
  guint             retry_base_ms;
  guint             retry_cap_ms;
  guint             retry_attempts;
  gint64            list_folder_id;
  char             *list_folder_type;  /* (owned) (nullable) */
  guint             progress_interval;
  gboolean          started;

  /* Shared with the worker, under lock */
  GMutex            lock;
  char             *run_id;            /* (owned) (nullable) */
  PushRunState      state;
  PushForecast     *forecast;          /* (owned) (nullable) */
  GPtrArray        *problems;          /* (owned) (element-type PushProblem) */
  GDateTime        *quota_reset;       /* (owned) (nullable) */
  char             *message;           /* (owned) (nullable) */
  PushActivationProgress progress;
  gint64            session_start;     /* monotonic µs when sending began, 0 before */
  guint64           session_members;   /* members committed in this session */

  /* Caller side */
  guint             progress_source;   /* in the caller's context */
  PushActivationProgress last_emitted;
  gboolean          emitted_once;
};

G_DEFINE_FINAL_TYPE (PushActivation, push_activation, G_TYPE_OBJECT)
G_DEFINE_QUARK (push-activation-error-quark, push_activation_error)
G_DEFINE_BOXED_TYPE (PushActivationProgress, push_activation_progress,
                     push_activation_progress_copy, push_activation_progress_free)

enum {
  PROP_0,
  PROP_STATE,
  PROP_RUN_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_PROGRESS,
  SIGNAL_FORECAST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- Progress (boxed) ----------------------------------------------------------------- */

PushActivationProgress *
push_activation_progress_copy (const PushActivationProgress *progress)
{
  g_return_val_if_fail (progress != NULL, NULL);
  return g_memdup2 (progress, sizeof *progress);
}

void
push_activation_progress_free (PushActivationProgress *progress)
{
  g_free (progress);
}

const char *
push_activation_describe_row_problem (int problem_kind)
{
  switch ((PushAudienceProblemKind) problem_kind)
    {
    case PUSH_AUDIENCE_PROBLEM_NONE:
      return NULL;
    case PUSH_AUDIENCE_PROBLEM_UNTERMINATED_QUOTE:
      return _("a quoted field never closes");
    case PUSH_AUDIENCE_PROBLEM_STRAY_QUOTE:
      return _("text follows a closing quote");
    case PUSH_AUDIENCE_PROBLEM_INVALID_UTF8:
      return _("bytes that are not UTF-8 text");
    case PUSH_AUDIENCE_PROBLEM_FIELD_COUNT:
      return _("more or fewer fields than the header");
    case PUSH_AUDIENCE_PROBLEM_ROW_TOO_LONG:
      return _("the row is too long to read");
    case PUSH_AUDIENCE_PROBLEM_EMPTY_HEADER:
      return _("a column without a name");
    case PUSH_AUDIENCE_PROBLEM_DUPLICATE_HEADER:
      return _("two columns with the same name");
    case PUSH_AUDIENCE_PROBLEM_JSON_SYNTAX:
      return _("the line is not valid JSON");
    case PUSH_AUDIENCE_PROBLEM_JSON_NOT_OBJECT:
      return _("the line is not a JSON object");
    case PUSH_AUDIENCE_PROBLEM_JSON_NESTED:
      return _("a value is a JSON object or array");
    case PUSH_AUDIENCE_PROBLEM_JSON_UNKNOWN_KEY:
      return _("a key the first lines did not have");
    default:
      return _("the row could not be read");
    }
}

/* ---- Shared state helpers (any thread) ------------------------------------------------ */

typedef struct {
  PushActivation *self;   /* (owned) */
  guint           what;   /* 0: notify state, 1: notify run-id, 2: forecast */
  PushForecast   *forecast;
} Notification;

static void
notification_free (Notification *n)
{
  g_clear_object (&n->self);
  g_clear_pointer (&n->forecast, push_forecast_free);
  g_free (n);
}

static gboolean
notification_dispatch (gpointer user_data)
{
  Notification *n = user_data;

  switch (n->what)
    {
    case 0:
      g_object_notify_by_pspec (G_OBJECT (n->self), properties[PROP_STATE]);
      break;
    case 1:
      g_object_notify_by_pspec (G_OBJECT (n->self), properties[PROP_RUN_ID]);
      break;
    case 2:
      g_signal_emit (n->self, signals[SIGNAL_FORECAST], 0, n->forecast);
      break;
    default:
      g_assert_not_reached ();
    }
  return G_SOURCE_REMOVE;
}

static void
notify_caller (PushActivation *self,
               GMainContext   *context,
               guint           what,
               PushForecast   *forecast)
{
  Notification *n = g_new0 (Notification, 1);

  n->self = g_object_ref (self);
  n->what = what;
  n->forecast = forecast != NULL ? push_forecast_copy (forecast) : NULL;
  g_main_context_invoke_full (context, G_PRIORITY_DEFAULT, notification_dispatch, n,
                              (GDestroyNotify) notification_free);
}

/* ---- The runner (worker thread) ------------------------------------------------------- */

typedef enum {
  STOP_NONE,
  STOP_CANCELLED,
  STOP_PAUSED,
  STOP_FAILED,
} StopReason;

typedef struct {
  guint64      row;
  gint64       offset;
  const char  *value;           /* (nullable) in the batch's strings */
  PushOutcome  outcome;
  gint64       lead_id;
  int          reason_code;
  const char  *reason_message;  /* (nullable) in the batch's strings */
  const char  *detail;          /* (nullable) in the batch's strings */
  gboolean     added;           /* added to the list */
} Member;

typedef struct {
  guint         seq;
  guint64       first_row;
  guint64       last_row;
  gint64        last_offset;
  GArray       *members;        /* (element-type Member) */
  GArray       *sent;           /* (element-type guint) member indexes, in request order */
  GArray       *list_ids;       /* (element-type gint64) ids for Add to List */
  GArray       *list_members;   /* (element-type guint) member index of each id */
  GStringChunk *strings;
  GString      *json;           /* "[{…},{…}" (no closing bracket) for the profile types */
  guint         calls;
  gboolean      waiting_list;   /* synced or matched; its people wait for the list id */
  gboolean      done;           /* every outcome known: may be committed */
  gboolean      failed;         /* stopped before it was done: never committed */
} Batch;

typedef struct {
  gboolean  has;
  guint64   row;
  gint64    offset;
  char     *value;
  GString  *lead;
} Carry;

typedef struct {
  PushActivation    *self;              /* (owned) */
  GMainContext      *caller_context;    /* (owned) */
  GMainContext      *context;           /* (owned) the worker's */
  GCancellable      *cancellable;       /* (owned) (nullable) */

  PushRunStore      *runs;              /* (owned) */
  PushAccount       *account;           /* (owned) */
  PushDestination   *destination;       /* (owned) */
  char              *audience_path;     /* (owned) */
  PushRunInfo       *run;               /* (owned) the run's row as loaded or created */
  PushRunLock       *lock;              /* (owned) (nullable) */

  MarketoPacer      *pacer;             /* (owned) */
  MarketoClient     *client;            /* (owned) */
  MarketoLeadSchema *schema;            /* (owned) */
  GPtrArray         *partitions;        /* (owned) */
  PushLeadBuilder   *builder;           /* (owned) */
  PushMemberClassifier *classifier;    /* (owned) the row rule, with the dedupe index */
  double             latency_seconds;

  PushSyncType       sync_type;
  MarketoSyncAction  action;
  const char        *dedupe_field;      /* owned by the builder */
  const char        *partition;         /* (nullable) owned by the destination */
  gint64             list_id;
  char              *list_note;         /* (owned) (nullable) how the list was found */
  char              *list_name;         /* (owned) (nullable) the name of the list to make */
  gboolean           list_pending;      /* looking the list up or creating it */
  guint              list_attempts;
  guint64            list_calls;

  /* The pre-pass */
  guint64            total_rows;
  guint64            remaining_rows;
  guint64            sendable;
  guint64            set_aside;
  guint64            duplicates;

  /* The sending pass */
  PushAudienceReader *reader;           /* (owned) */
  GString           *lead_buf;          /* (owned) */
  Carry              carry;
  gboolean           eof;
  guint              next_seq;
  GQueue             batches;           /* (element-type Batch) in seq order */
  guint              active;
  guint              max_active;
  StopReason         stop;
  GError            *stop_error;        /* (owned) (nullable) */
  GDateTime         *stop_reset;        /* (owned) (nullable) */
  gboolean           finished;
} Runner;

static void
batch_free (Batch *batch)
{
  g_clear_pointer (&batch->members, g_array_unref);
  g_clear_pointer (&batch->sent, g_array_unref);
  g_clear_pointer (&batch->list_ids, g_array_unref);
  g_clear_pointer (&batch->list_members, g_array_unref);
  g_clear_pointer (&batch->strings, g_string_chunk_free);
  if (batch->json != NULL)
    g_string_free (batch->json, TRUE);
  g_free (batch);
}

static Batch *
batch_new (guint seq)
{
  Batch *batch = g_new0 (Batch, 1);

  batch->seq = seq;
  batch->members = g_array_new (FALSE, TRUE, sizeof (Member));
  batch->sent = g_array_new (FALSE, FALSE, sizeof (guint));
  batch->list_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  batch->list_members = g_array_new (FALSE, FALSE, sizeof (guint));
  batch->strings = g_string_chunk_new (4096);
  batch->json = g_string_new ("[");
  return batch;
}

static const char *
batch_intern (Batch      *batch,
              const char *text)
{
  return text != NULL ? g_string_chunk_insert (batch->strings, text) : NULL;
}

static Member *
batch_add_member (Batch      *batch,
                  guint64     row,
                  gint64      offset,
                  const char *value)
{
  Member member = { 0 };

  member.row = row;
  member.offset = offset;
  member.value = batch_intern (batch, value);
  member.outcome = PUSH_OUTCOME_FAILED;
  g_array_append_val (batch->members, member);
  if (batch->members->len == 1)
    batch->first_row = row;
  batch->last_row = row;
  batch->last_offset = offset;
  return &g_array_index (batch->members, Member, batch->members->len - 1);
}

static void
runner_free (Runner *r)
{
  Batch *batch;

  while ((batch = g_queue_pop_head (&r->batches)) != NULL)
    batch_free (batch);
  g_clear_object (&r->self);
  g_clear_pointer (&r->caller_context, g_main_context_unref);
  g_clear_pointer (&r->context, g_main_context_unref);
  g_clear_object (&r->cancellable);
  g_clear_object (&r->runs);
  g_clear_object (&r->account);
  g_clear_object (&r->destination);
  g_clear_pointer (&r->audience_path, g_free);
  g_clear_pointer (&r->run, push_run_info_free);
  g_clear_pointer (&r->lock, push_run_lock_release);
  g_clear_object (&r->pacer);
  g_clear_object (&r->client);
  g_clear_pointer (&r->schema, marketo_lead_schema_free);
  g_clear_pointer (&r->partitions, g_ptr_array_unref);
  g_clear_object (&r->builder);
  g_clear_object (&r->classifier);
  g_clear_pointer (&r->list_note, g_free);
  g_clear_pointer (&r->list_name, g_free);
  g_clear_object (&r->reader);
  if (r->lead_buf != NULL)
    g_string_free (r->lead_buf, TRUE);
  g_clear_pointer (&r->carry.value, g_free);
  if (r->carry.lead != NULL)
    g_string_free (r->carry.lead, TRUE);
  g_clear_error (&r->stop_error);
  g_clear_pointer (&r->stop_reset, g_date_time_unref);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Runner, runner_free)

static void
runner_set_state (Runner       *r,
                  PushRunState  state)
{
  PushActivation *self = r->self;
  gboolean changed;

  g_mutex_lock (&self->lock);
  changed = self->state != state;
  self->state = state;
  self->progress.state = state;
  g_mutex_unlock (&self->lock);

  if (changed)
    notify_caller (self, r->caller_context, 0, NULL);
}

/* Waiting for one async call inside the worker. */
static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
runner_wait (Runner        *r,
             GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (r->context, TRUE);
  return *result;
}

static gboolean
error_is_quota (const GError *error)
{
  return g_error_matches (error, MARKETO_ERROR, MARKETO_ERROR_DAILY_QUOTA) ||
         g_error_matches (error, MARKETO_ERROR, MARKETO_ERROR_QUOTA_LOCAL);
}

/* ---- Setting up ---- */

static gboolean
runner_load_resume (Runner  *r,
                    GError **error)
{
  PushActivation *self = r->self;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) local_error = NULL;

  if (push_run_store_detect_interrupted (r->runs, error) < 0)
    return FALSE;

  r->run = push_run_store_get_run (r->runs, self->resume_run_id, error);
  if (r->run == NULL)
    return FALSE;

  if (r->run->state == PUSH_RUN_STATE_RUNNING)
    {
      g_set_error (error, PUSH_ACTIVATION_ERROR, PUSH_ACTIVATION_ERROR_NOT_RESUMABLE,
                   _("The run “%s” is being worked on by another process"), r->run->id);
      return FALSE;
    }
  if (r->run->state == PUSH_RUN_STATE_COMPLETED)
    {
      g_set_error (error, PUSH_ACTIVATION_ERROR, PUSH_ACTIVATION_ERROR_NOT_RESUMABLE,
                   _("The run “%s” has completed: there is nothing left to send"), r->run->id);
      return FALSE;
    }

  r->destination = push_destination_import (r->run->destination_document, -1, NULL,
                                            &local_error);
  if (r->destination == NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  _("The run’s destination can’t be read: "));
      return FALSE;
    }

  accounts = push_store_list_accounts (self->store, error);
  if (accounts == NULL)
    return FALSE;
  for (guint i = 0; i < accounts->len; i++)
    {
      PushAccount *account = g_ptr_array_index (accounts, i);

      if (g_strcmp0 (push_account_get_id (account), r->run->account_id) == 0)
        r->account = g_object_ref (account);
    }
  if (r->account == NULL)
    {
      g_set_error (error, PUSH_ACTIVATION_ERROR, PUSH_ACTIVATION_ERROR_NOT_RESUMABLE,
                   _("The account the run “%s” used no longer exists"), r->run->id);
      return FALSE;
    }

  r->audience_path = g_strdup (self->audience_path != NULL ? self->audience_path
                                                           : r->run->audience_path);
  r->list_id = r->run->list_id;
  return TRUE;
}

static gboolean
runner_connect (Runner  *r,
                GError **error)
{
  PushActivation *self = r->self;
  g_autofree char *secret = NULL;
  g_autoptr(GError) local_error = NULL;

  if (self->secret != NULL)
    secret = g_strdup (self->secret);
  else
    {
      char *stored = push_secrets_lookup_sync (push_account_get_id (r->account), r->cancellable,
                                               &local_error);

      if (stored == NULL && local_error == NULL)
        g_set_error (&local_error, PUSH_SECRET_ERROR, PUSH_SECRET_ERROR_NOT_FOUND,
                     _("The keyring holds no client secret for the account “%s”"),
                     push_account_get_name (r->account));
      if (stored == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      secret = g_strdup (stored);
      push_secrets_free (stored);
    }

  r->client = marketo_client_new (push_account_get_endpoint (r->account),
                                  push_account_get_client_id (r->account), secret, error);
  /* Wipe our copy: only the client keeps it, in memory. */
  memset (secret, 0, strlen (secret));
  if (r->client == NULL)
    return FALSE;

  if (self->pacer != NULL)
    r->pacer = g_object_ref (self->pacer);
  else
    {
      g_autoptr(PushUsageStore) usage = NULL;
      g_autofree char *endpoint = g_strdup (marketo_client_get_endpoint (r->client));

      r->pacer = marketo_pacer_get_for_endpoint (endpoint);
      marketo_pacer_set_limits (r->pacer, push_account_get_rate_calls (r->account),
                                push_account_get_rate_window (r->account),
                                push_account_get_max_concurrency (r->account));
      marketo_pacer_set_daily_quota (r->pacer, push_account_get_daily_quota (r->account));
      usage = push_usage_store_new (self->store, push_account_get_id (r->account));
      marketo_pacer_set_usage_store (r->pacer, MARKETO_USAGE_STORE (usage));
    }
  marketo_client_set_pacer (r->client, r->pacer);
  if (self->retry_base_ms > 0 || self->retry_cap_ms > 0 || self->retry_attempts > 0)
    marketo_client_set_retry_policy (r->client, self->retry_base_ms, self->retry_cap_ms,
                                     self->retry_attempts);
  return TRUE;
}

/* The instance's fields and partitions as the store's cache has them, when it is fresh (a
 * day, as Adobe advises): a run then spends no call on them. */
static gboolean
runner_use_cache (Runner *r)
{
  g_autoptr(PushInstanceCache) cache = push_instance_cache_new (r->self->store);
  const char *account_id = push_account_get_id (r->account);

  if (!push_instance_cache_get_fresh (cache, account_id, &r->schema, &r->partitions))
    return FALSE;

  g_debug ("Using the cached fields and partitions of account %s", account_id);
  return TRUE;
}

static gboolean
runner_fetch_instance (Runner  *r,
                       GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) result2 = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 start = g_get_monotonic_time ();

  if (runner_use_cache (r))
    return TRUE;

  /* Both at once */
  marketo_client_describe_leads2_async (r->client, r->cancellable, store_result_cb, &result);
  marketo_client_get_partitions_async (r->client, r->cancellable, store_result_cb, &result2);
  r->schema = marketo_client_describe_leads2_finish (r->client, runner_wait (r, &result),
                                                     &local_error);
  r->latency_seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  r->partitions = marketo_client_get_partitions_finish (r->client, runner_wait (r, &result2),
                                                        r->schema != NULL ? &local_error : NULL);
  if (r->schema == NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  _("Could not read the instance’s fields: "));
      return FALSE;
    }
  if (r->partitions == NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  _("Could not read the instance’s partitions: "));
      return FALSE;
    }
  return TRUE;
}

/* @fingerprint: FALSE for the sending pass, which reads the file the first pass fingerprinted
 * (the reader still checks it for changes at the end; see push_audience_reader_set_fingerprint). */
static PushAudienceReader *
open_reader (Runner    *r,
             gboolean   fingerprint,
             GError   **error)
{
  g_autoptr(PushAudienceReader) reader = NULL;

  reader = push_audience_reader_new_for_path (r->audience_path, r->self->audience_format,
                                              r->self->audience_delimiter);
  push_audience_reader_set_fingerprint (reader, fingerprint);
  if (!push_audience_reader_open (reader, r->cancellable, error))
    {
      g_prefix_error (error, _("Could not open the audience “%s”: "), r->audience_path);
      return NULL;
    }
  return g_steal_pointer (&reader);
}

static gboolean
runner_preflight (Runner              *r,
                  const char * const  *columns,
                  GError             **error)
{
  PushActivation *self = r->self;
  g_autoptr(PushValidator) validator = push_validator_new (r->schema);
  g_autoptr(GPtrArray) problems = NULL;
  PushLeadBuilderFlags flags = PUSH_LEAD_BUILDER_NONE;

  push_validator_set_partitions (validator, r->partitions);
  problems = push_validator_check (validator, r->destination, columns,
                                   PUSH_VALIDATION_PRE_ACTIVATION);
  push_problems_sort (problems);

  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->problems, g_ptr_array_unref);
  self->problems = g_ptr_array_ref (problems);
  g_mutex_unlock (&self->lock);

  if (push_problems_has_errors (problems))
    {
      const PushProblem *first = g_ptr_array_index (problems, 0);
      guint n = push_problems_count (problems, PUSH_PROBLEM_SEVERITY_ERROR);

      g_set_error (error, PUSH_ACTIVATION_ERROR, PUSH_ACTIVATION_ERROR_INVALID,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The destination “%s” can’t be activated: %s",
                                "The destination “%s” can’t be activated: %s (and %u more "
                                "problems)", n),
                   push_destination_get_name (r->destination), first->message, n - 1);
      return FALSE;
    }

  r->sync_type = push_destination_get_sync_type (r->destination);
  if (r->sync_type == PUSH_SYNC_TYPE_AUDIENCE_ONLY)
    flags = PUSH_LEAD_BUILDER_IDENTITY_ONLY;
  r->builder = push_lead_builder_new (push_destination_get_mapping (r->destination), r->schema,
                                      columns, flags, error);
  if (r->builder == NULL)
    return FALSE;

  r->dedupe_field = push_lead_builder_get_dedupe_field (r->builder);
  if (push_destination_get_person_action (r->destination) == PUSH_PERSON_ACTION_UPDATE_ONLY)
    {
      r->action = MARKETO_SYNC_UPDATE_ONLY;
      r->partition = NULL;
    }
  else
    {
      r->action = MARKETO_SYNC_CREATE_OR_UPDATE;
      r->partition = push_destination_get_effective_partition (r->destination);
    }
  return TRUE;
}

/* Reads the whole audience: set-aside rows, the dedupe index, the counts, the fingerprint. */
static gboolean
runner_prepass (Runner  *r,
                GError **error)
{
  g_autoptr(PushAudienceReader) reader = NULL;
  const PushAudienceRow *row;
  g_autoptr(GError) local_error = NULL;
  guint64 resume_row = r->run != NULL ? r->run->resume_row : 0;
  PushMemberCounts counts = { 0 };
  PushAudienceFingerprint *fingerprint;
  guint n_columns = 0;
  const char * const *columns;

  reader = open_reader (r, TRUE, error);
  if (reader == NULL)
    return FALSE;
  columns = push_audience_reader_get_columns (reader, &n_columns);
  if (!runner_preflight (r, columns, error))
    return FALSE;

  r->classifier = push_member_classifier_new (r->builder);
  push_member_classifier_set_resume_row (r->classifier, resume_row);
  while (push_audience_reader_next_row (reader, &row, r->cancellable, &local_error))
    {
      if (row->number > G_MAXUINT32)
        {
          g_set_error (error, PUSH_ACTIVATION_ERROR, PUSH_ACTIVATION_ERROR_FAILED,
                       _("The audience has more rows than an activation can handle"));
          return FALSE;
        }

      /* After a few hundred rows the file's size tells roughly how many there are. */
      if (row->number == 256 && push_audience_reader_get_size (reader) > 0 && row->offset > 0)
        {
          guint64 estimate = push_audience_reader_get_size (reader) * 256 / (guint64) row->offset;

          push_member_classifier_reserve (r->classifier, estimate + estimate / 10);
        }

      push_member_classifier_scan_row (r->classifier, row, PUSH_MEMBER_CLASSIFY_NONE, NULL);
    }
  if (local_error != NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  _("Could not read the audience “%s”: "), r->audience_path);
      return FALSE;
    }

  push_member_classifier_get_counts (r->classifier, &counts);
  r->total_rows = counts.rows;
  r->remaining_rows = counts.remaining;
  r->set_aside = counts.set_aside;
  r->duplicates = counts.duplicates;
  r->sendable = counts.sendable;
  g_debug ("Pre-pass: %" G_GUINT64_FORMAT " rows, %" G_GUINT64_FORMAT " to send, %"
           G_GUINT64_FORMAT " set aside, %" G_GUINT64_FORMAT " duplicates; index %" G_GSIZE_FORMAT
           " bytes", r->total_rows, r->sendable, r->set_aside, r->duplicates,
           push_member_classifier_get_memory (r->classifier));

  fingerprint = push_audience_reader_get_fingerprint (reader);
  if (r->run != NULL)
    {
      g_autoptr(PushAudienceFingerprint) stored = NULL;

      stored = push_audience_fingerprint_from_string (r->run->audience_fingerprint, NULL);
      if (stored == NULL || fingerprint == NULL ||
          push_audience_fingerprint_compare (stored, fingerprint) ==
            PUSH_AUDIENCE_FINGERPRINT_DIFFERENT)
        {
          g_set_error (error, PUSH_ACTIVATION_ERROR, PUSH_ACTIVATION_ERROR_AUDIENCE_CHANGED,
                       _("The audience file “%s” is not the one run “%s” began with (its "
                         "content changed), so the run can’t be resumed; start a new run"),
                       r->audience_path, r->run->id);
          return FALSE;
        }
    }
  else
    {
      g_autofree char *audience_path = g_canonicalize_filename (r->audience_path, NULL);

      r->run = push_run_info_new ();
      r->run->id = push_run_store_new_id ();
      r->run->destination_id = g_strdup (push_destination_get_id (r->destination));
      r->run->destination_name = g_strdup (push_destination_get_name (r->destination));
      r->run->destination_document = push_destination_export (r->destination, NULL, NULL);
      r->run->account_id = g_strdup (push_account_get_id (r->account));
      r->run->audience_path = g_steal_pointer (&audience_path);
      r->run->audience_fingerprint = fingerprint != NULL ?
                                     push_audience_fingerprint_to_string (fingerprint) :
                                     g_strdup ("");
      r->run->state = PUSH_RUN_STATE_RUNNING;
      r->run->total_members = r->total_rows;
    }
  return TRUE;
}

static gboolean
runner_forecast (Runner  *r,
                 GError **error)
{
  PushActivation *self = r->self;
  PushForecastInput input = { 0 };
  g_autoptr(PushForecast) forecast = NULL;
  guint window_calls, max_in_flight;
  double window_seconds;

  marketo_pacer_get_limits (r->pacer, &window_calls, &window_seconds, &max_in_flight);
  input.sync_type = r->sync_type;
  input.members = r->remaining_rows;
  input.sendable = r->sendable;
  input.set_aside = r->set_aside;
  input.duplicates = r->duplicates;
  input.needs_list = push_sync_type_uses_list (r->sync_type) && r->list_id <= 0 &&
                     push_destination_get_list_target_kind (r->destination) ==
                       PUSH_LIST_TARGET_CREATE_PER_AUDIENCE;
  input.daily_quota = marketo_pacer_get_daily_quota (r->pacer);
  input.daily_used = marketo_pacer_get_daily_count (r->pacer);
  input.window_calls = window_calls;
  input.window_seconds = window_seconds;
  input.max_in_flight = max_in_flight;
  input.latency_seconds = r->latency_seconds;
  forecast = push_forecast_compute (&input);

  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->forecast, push_forecast_free);
  self->forecast = push_forecast_copy (forecast);
  self->progress.members_total = r->total_rows;
  self->progress.members_done = r->run->counts.members;
  self->progress.counts = r->run->counts;
  self->progress.calls_used = r->run->calls_used;
  self->progress.eta_seconds = forecast->eta_seconds;
  g_mutex_unlock (&self->lock);
  notify_caller (self, r->caller_context, 2, forecast);

  if (forecast->exceeds_quota && !self->confirmed)
    {
      g_autofree char *calls = push_audience_format_count (forecast->api_calls);
      g_autofree char *left = push_audience_format_count (forecast->quota_remaining);

      g_set_error (error, PUSH_ACTIVATION_ERROR, PUSH_ACTIVATION_ERROR_NEEDS_CONFIRMATION,
                   _("The run needs about %s API calls but only %s are left in today’s "
                     "quota; confirm to go ahead (it will pause when the quota runs out)"),
                   calls, left);
      return FALSE;
    }
  return TRUE;
}

/* Creates the run row (or takes over the resumed one) and its lock. */
static gboolean
runner_begin (Runner  *r,
              GError **error)
{
  PushActivation *self = r->self;
  g_autoptr(JsonNode) forecast_node = NULL;
  g_autofree char *forecast_text = NULL;
  g_autoptr(GError) local_error = NULL;

  r->lock = push_run_store_lock_run (r->runs, r->run->id, &local_error);
  if (r->lock == NULL)
    {
      if (g_error_matches (local_error, PUSH_RUN_STORE_ERROR, PUSH_RUN_STORE_ERROR_LOCKED))
        {
          g_set_error (error, PUSH_ACTIVATION_ERROR, PUSH_ACTIVATION_ERROR_NOT_RESUMABLE,
                       "%s", local_error->message);
          return FALSE;
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  g_mutex_lock (&self->lock);
  forecast_node = push_forecast_to_json (self->forecast);
  g_mutex_unlock (&self->lock);
  forecast_text = json_to_string (forecast_node, FALSE);

  if (self->resume_run_id == NULL)
    {
      g_clear_pointer (&r->run->forecast, g_free);
      r->run->forecast = g_strdup (forecast_text);
      if (!push_run_store_create_run (r->runs, r->run, error))
        return FALSE;
    }
  else
    {
      /* Re-read under the lock: the row may have moved since we looked. */
      g_autoptr(PushRunInfo) fresh = push_run_store_get_run (r->runs, r->run->id, error);

      if (fresh == NULL)
        return FALSE;
      if (fresh->state == PUSH_RUN_STATE_COMPLETED || fresh->resume_row != r->run->resume_row)
        {
          g_set_error (error, PUSH_ACTIVATION_ERROR, PUSH_ACTIVATION_ERROR_NOT_RESUMABLE,
                       _("The run “%s” moved on while this one was getting ready"),
                       r->run->id);
          return FALSE;
        }
      if (!push_run_store_set_forecast (r->runs, r->run->id, forecast_text, r->total_rows,
                                        error) ||
          !push_run_store_set_state (r->runs, r->run->id, PUSH_RUN_STATE_RUNNING, NULL, NULL,
                                     error))
        return FALSE;
    }

  g_mutex_lock (&self->lock);
  g_free (self->run_id);
  self->run_id = g_strdup (r->run->id);
  g_mutex_unlock (&self->lock);
  notify_caller (self, r->caller_context, 1, NULL);
  runner_set_state (r, PUSH_RUN_STATE_RUNNING);
  return TRUE;
}

/* ---- The static list ----
 *
 * A run that makes a list per audience looks the name up, then creates it. With the reuse
 * policy that happens while the first batches go out (they need the list only for Add to
 * List, and wait for it); with the fail policy before anything is sent. */

static void runner_pump (Runner *r);
static void runner_stop (Runner *r, StopReason reason, GError *error);
static void batch_add_to_list (Runner *r, Batch *batch);
static void batch_finish (Runner *r, Batch *batch, GError *error);
static void list_lookup (Runner *r);

static char *
expand_list_name (Runner  *r,
                  GError **error)
{
  PushActivation *self = r->self;
  g_autofree char *audience_name = NULL;
  g_autoptr(GDateTime) when = NULL;

  if (self->audience_name != NULL)
    audience_name = g_strdup (self->audience_name);
  else
    {
      g_autofree char *base = g_path_get_basename (r->audience_path);
      char *dot = strrchr (base, '.');

      if (dot != NULL && dot != base)
        *dot = '\0';
      audience_name = g_steal_pointer (&base);
    }
  when = r->run->created != NULL ? g_date_time_to_local (r->run->created)
                                 : g_date_time_new_now_local ();
  return push_destination_expand_list_name (r->destination, audience_name, when, error);
}

/* The batches whose people wait for the list id. */
static void
release_waiting_batches (Runner *r,
                         GError *error)
{
  g_autoptr(GPtrArray) waiting = g_ptr_array_new ();
  g_autoptr(GError) stopped = NULL;

  /* The run stopped meanwhile: those batches are re-sent on resume */
  if (error == NULL && r->stop != STOP_NONE)
    {
      stopped = g_error_new_literal (PUSH_ACTIVATION_ERROR, PUSH_ACTIVATION_ERROR_FAILED,
                                     "The run stopped");
      error = stopped;
    }

  for (GList *l = r->batches.head; l != NULL; l = l->next)
    {
      Batch *batch = l->data;

      if (batch->waiting_list)
        {
          batch->waiting_list = FALSE;
          g_ptr_array_add (waiting, batch);
        }
    }
  for (guint i = 0; i < waiting->len; i++)
    {
      if (error == NULL)
        batch_add_to_list (r, g_ptr_array_index (waiting, i));
      else
        batch_finish (r, g_ptr_array_index (waiting, i), error);
    }
}

static void
list_ready (Runner *r,
            gint64  list_id)
{
  g_autoptr(GError) error = NULL;

  r->list_id = list_id;
  r->list_pending = FALSE;
  if (!push_run_store_add_calls (r->runs, r->run->id, r->list_calls, &error) ||
      !push_run_store_set_list_id (r->runs, r->run->id, r->list_id, &error))
    {
      runner_stop (r, STOP_FAILED, error);
      release_waiting_batches (r, error);
    }
  else
    {
      /* The store counts them now: so does the progress (it is compared with the store). */
      g_mutex_lock (&r->self->lock);
      r->self->progress.calls_used += r->list_calls;
      g_mutex_unlock (&r->self->lock);
      release_waiting_batches (r, NULL);
    }
  runner_pump (r);
}

static void
list_failed (Runner *r,
             GError *error)
{
  r->list_pending = FALSE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    runner_stop (r, STOP_CANCELLED, NULL);
  else if (error_is_quota (error))
    runner_stop (r, STOP_PAUSED, error);
  else
    runner_stop (r, STOP_FAILED, error);
  release_waiting_batches (r, error);
  runner_pump (r);
}

static void
list_created_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Runner *r = user_data;
  g_autoptr(MarketoList) list = NULL;
  g_autoptr(GError) error = NULL;

  list = marketo_client_create_static_list_finish (MARKETO_CLIENT (source), result, &error);
  if (list != NULL)
    {
      g_debug ("Created list %" G_GINT64_FORMAT " “%s”", list->id, r->list_name);
      list_ready (r, list->id);
      return;
    }
  /* Taken between our look-up and our create: look again, once. */
  if (g_error_matches (error, MARKETO_ERROR, MARKETO_ERROR_BUSINESS_RULE) &&
      r->list_attempts < 2)
    {
      list_lookup (r);
      return;
    }
  g_prefix_error (&error, _("Could not create the list “%s”: "), r->list_name);
  list_failed (r, error);
}

static void
list_found_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Runner *r = user_data;
  PushActivation *self = r->self;
  g_autoptr(MarketoList) list = NULL;
  g_autoptr(GError) error = NULL;
  const char *folder_type;
  gint64 folder_id;

  list = marketo_client_get_static_list_by_name_finish (MARKETO_CLIENT (source), result, &error);
  if (list != NULL)
    {
      if (push_destination_get_list_clash_policy (r->destination) == PUSH_LIST_CLASH_FAIL)
        {
          g_set_error (&error, PUSH_ACTIVATION_ERROR, PUSH_ACTIVATION_ERROR_LIST_CLASH,
                       _("A static list named “%s” already exists, and the destination "
                         "“%s” is set to stop rather than reuse it"),
                       r->list_name, push_destination_get_name (r->destination));
          list_failed (r, error);
          return;
        }
      {
        g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, list->id);

        g_free (r->list_note);
        r->list_note = g_strdup_printf (_("A static list named “%s” already existed (id %s); "
                                          "the people were added to it"), r->list_name, id);
      }
      list_ready (r, list->id);
      return;
    }
  if (!g_error_matches (error, MARKETO_ERROR, MARKETO_ERROR_NO_DATA))
    {
      g_prefix_error (&error, _("Could not look for the list “%s”: "), r->list_name);
      list_failed (r, error);
      return;
    }
  g_clear_error (&error);

  /* The caller's folder if it chose one, else the destination's own */
  folder_id = self->list_folder_id;
  folder_type = self->list_folder_type;
  if (folder_id <= 0)
    {
      folder_id = push_destination_get_list_folder_id (r->destination);
      folder_type = push_destination_get_list_folder_type (r->destination);
    }
  if (folder_id <= 0)
    {
      g_set_error (&error, PUSH_ACTIVATION_ERROR, PUSH_ACTIVATION_ERROR_NO_LIST_FOLDER,
                   _("The destination creates a list for each audience, but no folder was "
                     "chosen for it"));
      list_failed (r, error);
      return;
    }

  r->list_calls++;
  marketo_client_create_static_list_async (r->client, folder_id, folder_type, r->list_name,
                                           _("Created by Audience Push"), r->cancellable,
                                           list_created_cb, r);
}

static void
list_lookup (Runner *r)
{
  r->list_attempts++;
  r->list_calls++;
  marketo_client_get_static_list_by_name_async (r->client, r->list_name, r->cancellable,
                                                list_found_cb, r);
}

/* Starts finding the run's list. FALSE with @error when that can't even start. */
static gboolean
runner_start_list (Runner  *r,
                   GError **error)
{
  if (!push_sync_type_uses_list (r->sync_type) || r->list_id > 0)
    return TRUE;

  switch (push_destination_get_list_target_kind (r->destination))
    {
    case PUSH_LIST_TARGET_EXISTING:
      r->list_id = push_destination_get_list_id (r->destination);
      if (r->list_id > 0)
        return push_run_store_set_list_id (r->runs, r->run->id, r->list_id, error);
      break;
    case PUSH_LIST_TARGET_CREATE_PER_AUDIENCE:
      r->list_name = expand_list_name (r, error);
      if (r->list_name == NULL)
        return FALSE;
      r->list_pending = TRUE;
      list_lookup (r);
      return TRUE;
    case PUSH_LIST_TARGET_NONE:
    default:
      break;
    }

  g_set_error (error, PUSH_ACTIVATION_ERROR, PUSH_ACTIVATION_ERROR_FAILED,
               _("The destination “%s” has no static list"),
               push_destination_get_name (r->destination));
  return FALSE;
}

/* ---- The sending pass ---- */

static void
runner_stop (Runner     *r,
             StopReason  reason,
             GError     *error)
{
  /* The first reason stands; a cancel by the user wins over what follows from it. */
  if (r->stop == STOP_NONE)
    {
      r->stop = reason;
      if (error != NULL)
        r->stop_error = g_error_copy (error);
      if (reason == STOP_PAUSED && error != NULL && r->stop_reset == NULL)
        {
          GDateTime *reset = marketo_error_get_reset_time (error);

          r->stop_reset = reset != NULL ? g_date_time_ref (reset)
                                        : marketo_pacer_quota_reset_time (NULL);
        }
    }
  else if (error != NULL)
    g_debug ("After the run stopped: %s", error->message);
}

static void
batch_finish (Runner *r,
              Batch  *batch,
              GError *error)
{
  g_assert (r->active > 0);
  r->active--;

  if (error == NULL)
    batch->done = TRUE;
  else
    {
      batch->failed = TRUE;
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        runner_stop (r, STOP_CANCELLED, NULL);
      else if (error_is_quota (error))
        runner_stop (r, STOP_PAUSED, error);
      else
        runner_stop (r, STOP_FAILED, error);
    }
  runner_pump (r);
}

typedef struct {
  Runner *runner;
  Batch  *batch;
} BatchCall;

static BatchCall *
batch_call_new (Runner *r,
                Batch  *batch)
{
  BatchCall *call = g_new (BatchCall, 1);

  call->runner = r;
  call->batch = batch;
  return call;
}

static void
added_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autofree BatchCall *call = user_data;
  Batch *batch = call->batch;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;

  results = marketo_client_add_to_list_finish (MARKETO_CLIENT (source), result, &error);
  if (results == NULL)
    {
      batch_finish (call->runner, batch, error);
      return;
    }

  for (guint i = 0; i < results->len; i++)
    {
      const MarketoRecordResult *res = g_ptr_array_index (results, i);
      Member *m;

      if (res->index >= batch->list_members->len)
        continue;
      m = &g_array_index (batch->members, Member,
                          g_array_index (batch->list_members, guint, res->index));
      if (res->status == MARKETO_RECORD_STATUS_ADDED)
        m->added = TRUE;
      else
        {
          const MarketoReason *reason = res->reasons->len > 0 ?
                                        &g_array_index (res->reasons, MarketoReason, 0) : NULL;

          if (m->outcome == PUSH_OUTCOME_CREATED || m->outcome == PUSH_OUTCOME_UPDATED)
            m->detail = batch_intern (batch,
                                      m->outcome == PUSH_OUTCOME_CREATED ?
                                      _("Created in Marketo, but not added to the list") :
                                      _("Updated in Marketo, but not added to the list"));
          else
            m->detail = batch_intern (batch, _("Found in Marketo, but not added to the list"));
          m->outcome = PUSH_OUTCOME_REJECTED;
          m->reason_code = reason != NULL ? reason->code : 0;
          m->reason_message = batch_intern (batch, reason != NULL ? reason->message : NULL);
        }
    }
  batch_finish (call->runner, batch, NULL);
}

static void
batch_add_to_list (Runner *r,
                   Batch  *batch)
{
  if (batch->list_ids->len == 0)
    {
      batch_finish (r, batch, NULL);
      return;
    }
  if (r->list_id <= 0 && r->list_pending)
    {
      batch->waiting_list = TRUE;
      return;
    }
  if (r->list_id <= 0)
    {
      g_autoptr(GError) error = NULL;

      /* The list could not be had: the run has stopped, this batch goes again on resume */
      g_assert (r->stop != STOP_NONE);
      error = g_error_new_literal (PUSH_ACTIVATION_ERROR, PUSH_ACTIVATION_ERROR_FAILED,
                                   "The run stopped");
      batch_finish (r, batch, error);
      return;
    }

  batch->calls++;
  marketo_client_add_to_list_async (r->client, r->list_id,
                                    (const gint64 *) batch->list_ids->data, batch->list_ids->len,
                                    r->cancellable, added_cb, batch_call_new (r, batch));
}

static void
queue_for_list (Batch *batch,
                guint  member_index,
                gint64 lead_id)
{
  g_array_append_val (batch->list_ids, lead_id);
  g_array_append_val (batch->list_members, member_index);
}

static void
synced_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autofree BatchCall *call = user_data;
  Runner *r = call->runner;
  Batch *batch = call->batch;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;

  results = marketo_client_sync_leads_finish (MARKETO_CLIENT (source), result, &error);
  if (results == NULL)
    {
      batch_finish (r, batch, error);
      return;
    }
  if (results->len != batch->sent->len)
    {
      g_set_error (&error, PUSH_ACTIVATION_ERROR, PUSH_ACTIVATION_ERROR_FAILED,
                   "Sync Leads answered %u results for %u records", results->len,
                   batch->sent->len);
      batch_finish (r, batch, error);
      return;
    }

  for (guint i = 0; i < results->len; i++)
    {
      const MarketoRecordResult *res = g_ptr_array_index (results, i);
      guint member_index;
      Member *m;
      const MarketoReason *reason = res->reasons->len > 0 ?
                                    &g_array_index (res->reasons, MarketoReason, 0) : NULL;

      if (res->index >= batch->sent->len)
        continue;
      member_index = g_array_index (batch->sent, guint, res->index);
      m = &g_array_index (batch->members, Member, member_index);
      m->lead_id = res->lead_id;
      switch (res->status)
        {
        case MARKETO_RECORD_STATUS_CREATED:
          m->outcome = PUSH_OUTCOME_CREATED;
          break;
        case MARKETO_RECORD_STATUS_UPDATED:
          m->outcome = PUSH_OUTCOME_UPDATED;
          break;
        case MARKETO_RECORD_STATUS_UNKNOWN:
        case MARKETO_RECORD_STATUS_SKIPPED:
        case MARKETO_RECORD_STATUS_ADDED:
        case MARKETO_RECORD_STATUS_REMOVED:
        case MARKETO_RECORD_STATUS_MEMBER_OF:
        case MARKETO_RECORD_STATUS_NOT_MEMBER_OF:
        case MARKETO_RECORD_STATUS_DELETED:
        default:
          if (reason != NULL && reason->code == MARKETO_ERROR_LEAD_NOT_FOUND &&
              r->action == MARKETO_SYNC_UPDATE_ONLY)
            m->outcome = PUSH_OUTCOME_NOT_FOUND;
          else
            m->outcome = PUSH_OUTCOME_REJECTED;
          m->reason_code = reason != NULL ? reason->code : 0;
          m->reason_message = batch_intern (batch, reason != NULL ? reason->message : NULL);
          break;
        }

      if (r->sync_type == PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE && m->lead_id > 0 &&
          (m->outcome == PUSH_OUTCOME_CREATED || m->outcome == PUSH_OUTCOME_UPDATED))
        queue_for_list (batch, member_index, m->lead_id);
    }

  if (r->sync_type == PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE)
    batch_add_to_list (r, batch);
  else
    batch_finish (r, batch, NULL);
}

static void
matched_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autofree BatchCall *call = user_data;
  Runner *r = call->runner;
  Batch *batch = call->batch;
  g_autoptr(GPtrArray) matches = NULL;
  g_autoptr(GError) error = NULL;
  matches = push_lead_matcher_match_finish (PUSH_LEAD_MATCHER (source), result, &error);
  batch->calls += push_lead_matcher_get_calls (PUSH_LEAD_MATCHER (source));
  if (matches == NULL)
    {
      batch_finish (r, batch, error);
      return;
    }

  for (guint i = 0; i < matches->len; i++)
    {
      const PushLeadMatch *match = g_ptr_array_index (matches, i);
      guint member_index = g_array_index (batch->sent, guint, match->index);
      Member *m = &g_array_index (batch->members, Member, member_index);
      gint64 lead_id = push_lead_match_get_lead_id (match);

      m->lead_id = lead_id;
      if (lead_id == 0)
        {
          m->outcome = PUSH_OUTCOME_NOT_FOUND;
          continue;
        }
      if (match->n_matches > 1)
        {
          g_autoptr(GString) others = g_string_new (NULL);
          g_autofree char *detail = NULL;

          for (guint j = 0; j < match->other_ids->len; j++)
            g_string_append_printf (others, "%s%" G_GINT64_FORMAT, j > 0 ? ", " : "",
                                    g_array_index (match->other_ids, gint64, j));
          {
            g_autofree char *chosen = g_strdup_printf ("%" G_GINT64_FORMAT, lead_id);

            detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "%u people match; the most recently updated "
                                                   "(lead %s) was chosen over lead %s",
                                                   "%u people match; the most recently updated "
                                                   "(lead %s) was chosen over leads %s",
                                                   match->other_ids->len),
                                      match->n_matches, chosen, others->str);
          }
          m->outcome = PUSH_OUTCOME_MULTIPLE_MATCHES;
          m->detail = batch_intern (batch, detail);
        }
      else
        m->outcome = PUSH_OUTCOME_ADDED;
      queue_for_list (batch, member_index, lead_id);
    }

  batch_add_to_list (r, batch);
}

static void
batch_start (Runner *r,
             Batch  *batch)
{
  r->active++;

  if (r->sync_type == PUSH_SYNC_TYPE_AUDIENCE_ONLY)
    {
      g_autofree const char **values = g_new0 (const char *, batch->sent->len + 1);
      g_autoptr(PushLeadMatcher) matcher = NULL;

      for (guint i = 0; i < batch->sent->len; i++)
        values[i] = g_array_index (batch->members, Member,
                                   g_array_index (batch->sent, guint, i)).value;
      /* A matcher per batch, so that its call count is the batch's. */
      matcher = push_lead_matcher_new (r->client, r->dedupe_field);
      push_lead_matcher_match_async (matcher, values, batch->sent->len, r->cancellable,
                                     matched_cb, batch_call_new (r, batch));
    }
  else
    {
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();
      g_autoptr(JsonArray) records = NULL;
      g_autoptr(GError) error = NULL;

      g_string_append_c (batch->json, ']');
      if (!json_parser_load_from_data (parser, batch->json->str, batch->json->len, &error) ||
          !JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
        {
          if (error == NULL)
            g_set_error_literal (&error, PUSH_ACTIVATION_ERROR, PUSH_ACTIVATION_ERROR_FAILED,
                                 "The batch is not a JSON array");
          g_critical ("The lead builder made invalid JSON: %s", error->message);
          batch_finish (r, batch, error);
          return;
        }
      records = json_array_ref (json_node_get_array (json_parser_get_root (parser)));
      /* The text is no longer needed: keep the memory of batches in flight small. */
      g_string_free (batch->json, TRUE);
      batch->json = NULL;

      batch->calls++;
      marketo_client_sync_leads_async (r->client, r->action, r->dedupe_field, r->partition,
                                       records, r->cancellable, synced_cb,
                                       batch_call_new (r, batch));
    }
}

static void
carry_set (Runner                *r,
           const PushAudienceRow *row,
           const char            *value)
{
  r->carry.has = TRUE;
  r->carry.row = row->number;
  r->carry.offset = row->offset;
  g_free (r->carry.value);
  r->carry.value = g_strdup (value);
  if (r->carry.lead == NULL)
    r->carry.lead = g_string_new (NULL);
  g_string_assign (r->carry.lead, r->lead_buf->str);
}

static void
batch_append_sent (Runner     *r,
                   Batch      *batch,
                   guint64     row,
                   gint64      offset,
                   const char *value,
                   GString    *lead)
{
  guint index;

  batch_add_member (batch, row, offset, value);
  index = batch->members->len - 1;
  g_array_append_val (batch->sent, index);
  if (r->sync_type != PUSH_SYNC_TYPE_AUDIENCE_ONLY)
    {
      if (batch->sent->len > 1)
        g_string_append_c (batch->json, ',');
      g_string_append_len (batch->json, lead->str, lead->len);
    }
}

/* Reads the next batch from the audience; NULL at the end (or on a read error, which stops
 * the run). */
static Batch *
read_batch (Runner *r)
{
  g_autoptr(GError) error = NULL;
  const PushAudienceRow *row;
  Batch *batch = batch_new (r->next_seq);
  gboolean profile = r->sync_type != PUSH_SYNC_TYPE_AUDIENCE_ONLY;

  if (r->carry.has)
    {
      batch_append_sent (r, batch, r->carry.row, r->carry.offset, r->carry.value, r->carry.lead);
      r->carry.has = FALSE;
    }

  while (batch->sent->len < PUSH_FORECAST_BATCH_SIZE &&
         batch->members->len < BATCH_MAX_MEMBERS)
    {
      g_auto(PushMemberVerdict) verdict = { 0 };
      const char *value;

      if (!push_audience_reader_next_row (r->reader, &row, r->cancellable, &error))
        {
          r->eof = TRUE;
          break;
        }
      if (row->number <= r->run->resume_row)
        continue;

      push_member_classifier_classify (r->classifier, row, PUSH_MEMBER_CLASSIFY_REASON,
                                       profile ? r->lead_buf : NULL, &verdict);
      value = push_lead_builder_get_dedupe_value (r->builder, row, NULL);

      if (verdict.kind == PUSH_MEMBER_SET_ASIDE)
        {
          Member *m = batch_add_member (batch, row->number, row->offset, value);

          m->outcome = PUSH_OUTCOME_SET_ASIDE;
          m->detail = batch_intern (batch, verdict.reason);
        }
      else if (verdict.kind == PUSH_MEMBER_DUPLICATE)
        {
          Member *m = batch_add_member (batch, row->number, row->offset, value);
          g_autofree char *last_text = push_audience_format_count (verdict.kept_row);
          g_autofree char *detail = NULL;

          detail = g_strdup_printf (_("Row %s has the same dedupe value; that row was sent "
                                      "instead"), last_text);
          m->outcome = PUSH_OUTCOME_DUPLICATE;
          m->detail = batch_intern (batch, detail);
        }
      else if (profile && batch->sent->len > 0 &&
               batch->json->len + 1 + r->lead_buf->len + 1 >
                 PUSH_ACTIVATION_MAX_BODY_BYTES - BODY_ENVELOPE_BYTES)
        {
          /* This lead would make the body too big: it opens the next batch. */
          carry_set (r, row, value);
          break;
        }
      else
        batch_append_sent (r, batch, row->number, row->offset, value, r->lead_buf);
    }

  if (error != NULL)
    {
      g_prefix_error (&error, _("Could not read the audience “%s”: "), r->audience_path);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        runner_stop (r, STOP_CANCELLED, NULL);
      else
        runner_stop (r, STOP_FAILED, error);
      batch_free (batch);
      return NULL;
    }

  if (batch->members->len == 0)
    {
      batch_free (batch);
      return NULL;
    }
  r->next_seq++;
  return batch;
}

static gboolean
commit_batch (Runner  *r,
              Batch   *batch,
              GError **error)
{
  PushActivation *self = r->self;
  g_autoptr(GPtrArray) outcomes = NULL;
  PushRunCounts delta = { 0 };
  PushRunBatch checkpoint = { 0 };

  outcomes = g_ptr_array_new_full (batch->members->len,
                                   (GDestroyNotify) push_outcome_record_free);
  for (guint i = 0; i < batch->members->len; i++)
    {
      const Member *m = &g_array_index (batch->members, Member, i);
      PushOutcomeRecord *record = push_outcome_record_new (m->row, m->value, m->outcome);

      record->lead_id = m->lead_id;
      record->reason_code = m->reason_code;
      record->reason_message = g_strdup (m->reason_message);
      record->detail = g_strdup (m->detail);
      g_ptr_array_add (outcomes, record);

      push_run_counts_add_outcome (&delta, m->outcome);
      if (m->added)
        delta.added++;
    }

  checkpoint.seq = batch->seq;
  checkpoint.first_row = batch->first_row;
  checkpoint.last_row = batch->last_row;
  checkpoint.last_offset = batch->last_offset;
  checkpoint.calls = batch->calls;
  if (!push_run_store_commit_batch (r->runs, r->run->id, &checkpoint, outcomes, &delta, error))
    return FALSE;

  g_mutex_lock (&self->lock);
  push_run_counts_add (&self->progress.counts, &delta);
  self->progress.members_done += delta.members;
  self->progress.calls_used += batch->calls;
  self->session_members += delta.members;
  g_mutex_unlock (&self->lock);
  return TRUE;
}

static void
commit_ready (Runner *r)
{
  Batch *batch;

  while ((batch = g_queue_peek_head (&r->batches)) != NULL && batch->done)
    {
      g_autoptr(GError) error = NULL;

      if (!commit_batch (r, batch, &error))
        {
          batch->done = FALSE;
          batch->failed = TRUE;
          runner_stop (r, STOP_FAILED, error);
          return;
        }
      g_queue_pop_head (&r->batches);
      batch_free (batch);
    }
}

static void
runner_pump (Runner *r)
{
  if (r->stop == STOP_NONE && g_cancellable_is_cancelled (r->cancellable))
    runner_stop (r, STOP_CANCELLED, NULL);

  while (r->stop == STOP_NONE && !r->eof && r->active < r->max_active &&
         g_queue_get_length (&r->batches) < r->max_active * 2)
    {
      Batch *batch = read_batch (r);

      if (batch == NULL)
        break;
      g_queue_push_tail (&r->batches, batch);
      if (batch->sent->len > 0)
        batch_start (r, batch);
      else
        batch->done = TRUE;
    }

  commit_ready (r);

  if (r->active == 0 && !r->list_pending &&
      (r->stop != STOP_NONE || (r->eof && g_queue_is_empty (&r->batches))))
    r->finished = TRUE;
}

static void
cancelled_cb (GCancellable *cancellable,
              gpointer      user_data)
{
  /* Wake the worker's loop so that it notices even with nothing in flight. */
  g_main_context_wakeup (user_data);
}

static gboolean
runner_send (Runner  *r,
             GError **error)
{
  PushActivation *self = r->self;
  guint window_calls, max_in_flight;
  double window_seconds;
  gulong cancel_id = 0;

  r->reader = open_reader (r, FALSE, error);
  if (r->reader == NULL)
    return FALSE;

  marketo_pacer_get_limits (r->pacer, &window_calls, &window_seconds, &max_in_flight);
  r->max_active = MAX (max_in_flight, 1) + EXTRA_ACTIVE_BATCHES;
  r->next_seq = r->run->next_batch;
  r->lead_buf = g_string_new (NULL);

  g_mutex_lock (&self->lock);
  self->session_start = g_get_monotonic_time ();
  g_mutex_unlock (&self->lock);

  if (r->cancellable != NULL)
    cancel_id = g_cancellable_connect (r->cancellable, G_CALLBACK (cancelled_cb),
                                       g_main_context_ref (r->context),
                                       (GDestroyNotify) g_main_context_unref);

  if (!runner_start_list (r, error))
    {
      g_cancellable_disconnect (r->cancellable, cancel_id);
      return FALSE;
    }
  /* The list is had (found or created) before the first batch: a name that is taken, a
   * folder that is gone or a missing permission stops the run before anyone is sent. */
  while (r->list_pending)
    g_main_context_iteration (r->context, TRUE);

  runner_pump (r);
  while (!r->finished)
    {
      g_main_context_iteration (r->context, TRUE);
      if (!r->finished && r->stop == STOP_NONE && g_cancellable_is_cancelled (r->cancellable))
        runner_pump (r);
    }

  g_cancellable_disconnect (r->cancellable, cancel_id);
  return TRUE;
}

/* Saves the final state and tells the caller. Returns FALSE with @error for a failed run. */
static gboolean
runner_end (Runner  *r,
            GError **error)
{
  PushActivation *self = r->self;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *message = NULL;
  PushRunState state;

  switch (r->stop)
    {
    case STOP_NONE:
      state = PUSH_RUN_STATE_COMPLETED;
      message = g_strdup (r->list_note);
      break;
    case STOP_CANCELLED:
      state = PUSH_RUN_STATE_CANCELLED;
      message = g_strdup (_("Cancelled; the run can be resumed"));
      break;
    case STOP_PAUSED:
      {
        g_autoptr(GDateTime) local = g_date_time_to_local (r->stop_reset);
        g_autofree char *when = g_date_time_format (local, "%c");

        state = PUSH_RUN_STATE_PAUSED;
        message = g_strdup_printf (_("Paused: the daily API quota is used up; the run can be "
                                     "resumed after %s"), when);
      }
      break;
    case STOP_FAILED:
    default:
      state = PUSH_RUN_STATE_FAILED;
      message = g_strdup (r->stop_error != NULL ? r->stop_error->message : _("Failed"));
      break;
    }

  if (!push_run_store_set_state (r->runs, r->run->id, state, message, r->stop_reset,
                                 &local_error))
    {
      g_warning ("Could not save the end of run %s: %s", r->run->id, local_error->message);
      if (state != PUSH_RUN_STATE_FAILED)
        {
          state = PUSH_RUN_STATE_FAILED;
          g_clear_error (&r->stop_error);
          r->stop_error = g_error_copy (local_error);
        }
    }
  /* The state is saved: only now may another process take the run. */
  g_clear_pointer (&r->lock, push_run_lock_release);

  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->message, g_free);
  self->message = g_steal_pointer (&message);
  g_clear_pointer (&self->quota_reset, g_date_time_unref);
  if (r->stop_reset != NULL)
    self->quota_reset = g_date_time_ref (r->stop_reset);
  g_mutex_unlock (&self->lock);
  runner_set_state (r, state);

  if (state == PUSH_RUN_STATE_FAILED)
    {
      if (r->stop_error != NULL)
        g_propagate_error (error, g_steal_pointer (&r->stop_error));
      else
        g_set_error_literal (error, PUSH_ACTIVATION_ERROR, PUSH_ACTIVATION_ERROR_FAILED,
                             _("The run failed"));
      return FALSE;
    }
  return TRUE;
}

/* Marks a run that got going (row and lock) but could not reach the sending pass. */
static void
runner_fail_early (Runner       *r,
                   const GError *error)
{
  g_clear_error (&r->stop_error);
  r->stop = STOP_NONE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    runner_stop (r, STOP_CANCELLED, NULL);
  else if (error_is_quota (error))
    runner_stop (r, STOP_PAUSED, (GError *) error);
  else
    runner_stop (r, STOP_FAILED, (GError *) error);
  runner_end (r, NULL);
}

static gboolean
runner_run (Runner  *r,
            GError **error)
{
  PushActivation *self = r->self;
  g_autoptr(GError) local_error = NULL;

  if (self->resume_run_id != NULL)
    {
      if (!runner_load_resume (r, error))
        return FALSE;
    }
  else
    {
      r->account = g_object_ref (self->account);
      r->destination = push_destination_copy (self->destination);
      r->audience_path = g_strdup (self->audience_path);
    }

  /* A folder the caller chose (the CLI's --list-folder) stands for the destination's own, in
   * the checks and in the copy of the destination the run keeps. */
  if (self->list_folder_id > 0 &&
      push_destination_get_list_target_kind (r->destination) ==
        PUSH_LIST_TARGET_CREATE_PER_AUDIENCE &&
      push_destination_get_list_folder_id (r->destination) != self->list_folder_id)
    push_destination_set_list_folder (r->destination, self->list_folder_id,
                                      self->list_folder_type, NULL);

  if (!runner_connect (r, &local_error) ||
      !runner_fetch_instance (r, &local_error) ||
      !runner_prepass (r, &local_error) ||
      !runner_forecast (r, &local_error) ||
      !runner_begin (r, &local_error))
    {
      /* A paused run resumed before the quota is back: it simply stays paused. */
      if (self->resume_run_id != NULL && r->run != NULL && error_is_quota (local_error))
        {
          GDateTime *reset = marketo_error_get_reset_time (local_error);

          g_mutex_lock (&self->lock);
          g_clear_pointer (&self->quota_reset, g_date_time_unref);
          self->quota_reset = reset != NULL ? g_date_time_ref (reset)
                                            : marketo_pacer_quota_reset_time (NULL);
          g_clear_pointer (&self->message, g_free);
          self->message = g_strdup (local_error->message);
          g_mutex_unlock (&self->lock);
          runner_set_state (r, r->run->state);
          return TRUE;
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (!runner_send (r, &local_error))
    {
      runner_fail_early (r, local_error);
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
          error_is_quota (local_error))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return runner_end (r, error);
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  Runner *r = task_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  g_main_context_push_thread_default (r->context);
  ok = runner_run (r, &error);

  /* Drop every object that belongs to this context while it is still ours. */
  g_clear_object (&r->client);
  while (g_main_context_pending (r->context))
    g_main_context_iteration (r->context, FALSE);
  g_main_context_pop_thread_default (r->context);

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

/* ---- Caller side ---------------------------------------------------------------------- */

static void
snapshot_progress (PushActivation         *self,
                   PushActivationProgress *progress)
{
  g_mutex_lock (&self->lock);
  *progress = self->progress;
  if (self->session_start > 0)
    {
      double elapsed = (g_get_monotonic_time () - self->session_start) / (double) G_USEC_PER_SEC;

      progress->elapsed_seconds = elapsed;
      if (elapsed > 0 && self->session_members > 0)
        {
          progress->rate = self->session_members / elapsed;
          progress->eta_seconds = progress->members_total > progress->members_done ?
                                  (progress->members_total - progress->members_done) /
                                    progress->rate : 0.0;
        }
    }
  g_mutex_unlock (&self->lock);
}

static gboolean
progress_changed (const PushActivationProgress *a,
                  const PushActivationProgress *b)
{
  return a->state != b->state || a->members_done != b->members_done ||
         a->members_total != b->members_total || a->calls_used != b->calls_used ||
         !push_run_counts_equal (&a->counts, &b->counts);
}

static void
emit_progress (PushActivation *self,
               gboolean        force)
{
  PushActivationProgress progress;

  snapshot_progress (self, &progress);
  if (!force && self->emitted_once && !progress_changed (&progress, &self->last_emitted))
    return;
  self->last_emitted = progress;
  self->emitted_once = TRUE;
  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0, &progress);
}

static gboolean
progress_tick_cb (gpointer user_data)
{
  emit_progress (PUSH_ACTIVATION (user_data), FALSE);
  return G_SOURCE_CONTINUE;
}

static void
run_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  PushActivation *self = PUSH_ACTIVATION (source);
  g_autoptr(GTask) outer = user_data;
  g_autoptr(GError) error = NULL;

  if (self->progress_source != 0)
    {
      GSource *tick = g_main_context_find_source_by_id (g_task_get_context (outer),
                                                        self->progress_source);

      if (tick != NULL)
        g_source_destroy (tick);
      self->progress_source = 0;
    }
  emit_progress (self, TRUE);

  if (g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_boolean (outer, TRUE);
  else
    g_task_return_error (outer, g_steal_pointer (&error));
}

void
push_activation_run_async (PushActivation      *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) outer = NULL;
  g_autoptr(GTask) inner = NULL;
  g_autoptr(GSource) tick = NULL;
  Runner *r;

  g_return_if_fail (PUSH_IS_ACTIVATION (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (!self->started);

  self->started = TRUE;
  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, push_activation_run_async);
  /* A cancelled run is a result (state 'cancelled'), not an error. */
  g_task_set_check_cancellable (outer, FALSE);

  r = g_new0 (Runner, 1);
  r->self = g_object_ref (self);
  r->caller_context = g_main_context_ref (g_task_get_context (outer));
  r->context = g_main_context_new ();
  r->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  r->runs = push_run_store_new (self->store);

  tick = g_timeout_source_new (self->progress_interval);
  g_source_set_callback (tick, progress_tick_cb, self, NULL);
  g_source_set_static_name (tick, "[push-activation] progress");
  self->progress_source = g_source_attach (tick, g_task_get_context (outer));

  inner = g_task_new (self, cancellable, run_done_cb, g_steal_pointer (&outer));
  g_task_set_source_tag (inner, run_thread);
  g_task_set_check_cancellable (inner, FALSE);
  g_task_set_return_on_cancel (inner, FALSE);
  g_task_set_task_data (inner, r, (GDestroyNotify) runner_free);
  g_task_run_in_thread (inner, run_thread);
}

gboolean
push_activation_run_finish (PushActivation  *self,
                            GAsyncResult    *result,
                            GError         **error)
{
  g_return_val_if_fail (PUSH_IS_ACTIVATION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == push_activation_run_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
run_sync_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

gboolean
push_activation_run_sync (PushActivation  *self,
                          GCancellable    *cancellable,
                          GError         **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GAsyncResult) result = NULL;
  gboolean ok;

  g_return_val_if_fail (PUSH_IS_ACTIVATION (self), FALSE);

  g_main_context_push_thread_default (context);
  push_activation_run_async (self, cancellable, run_sync_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  ok = push_activation_run_finish (self, result, error);
  g_main_context_pop_thread_default (context);
  return ok;
}

/* ---- GObject -------------------------------------------------------------------------- */

static void
push_activation_finalize (GObject *object)
{
  PushActivation *self = PUSH_ACTIVATION (object);

  g_clear_object (&self->store);
  g_clear_object (&self->account);
  g_clear_object (&self->destination);
  g_clear_pointer (&self->audience_path, g_free);
  g_clear_pointer (&self->resume_run_id, g_free);
  if (self->secret != NULL)
    {
      memset (self->secret, 0, strlen (self->secret));
      g_clear_pointer (&self->secret, g_free);
    }
  g_clear_pointer (&self->audience_name, g_free);
  g_clear_object (&self->pacer);
  g_clear_pointer (&self->list_folder_type, g_free);
  g_clear_pointer (&self->run_id, g_free);
  g_clear_pointer (&self->forecast, push_forecast_free);
  g_clear_pointer (&self->problems, g_ptr_array_unref);
  g_clear_pointer (&self->quota_reset, g_date_time_unref);
  g_clear_pointer (&self->message, g_free);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (push_activation_parent_class)->finalize (object);
}

static void
push_activation_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PushActivation *self = PUSH_ACTIVATION (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, push_activation_get_state (self));
      break;
    case PROP_RUN_ID:
      g_value_take_string (value, push_activation_dup_run_id (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
push_activation_class_init (PushActivationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = push_activation_finalize;
  object_class->get_property = push_activation_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, PUSH_TYPE_RUN_STATE, PUSH_RUN_STATE_PENDING,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_RUN_ID] =
    g_param_spec_string ("run-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PushActivation::progress:
   * @progress: (type PushActivationProgress): the counts now
   *
   * In the caller's main context, at most every progress interval, on a change, and once
   * at the end.
   */
  signals[SIGNAL_PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1,
                  PUSH_TYPE_ACTIVATION_PROGRESS | G_SIGNAL_TYPE_STATIC_SCOPE);
  /**
   * PushActivation::forecast:
   * @forecast: (type PushForecast): what the run will cost
   *
   * Once the pre-pass is done, before anything is sent.
   */
  signals[SIGNAL_FORECAST] =
    g_signal_new ("forecast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, PUSH_TYPE_FORECAST | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
push_activation_init (PushActivation *self)
{
  g_mutex_init (&self->lock);
  self->state = PUSH_RUN_STATE_PENDING;
  self->progress.state = PUSH_RUN_STATE_PENDING;
  self->progress.eta_seconds = -1;
  self->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) push_problem_free);
  self->progress_interval = PUSH_ACTIVATION_DEFAULT_PROGRESS_INTERVAL_MS;
}

/* ---- Public API ----------------------------------------------------------------------- */

PushActivation *
push_activation_new (PushStore       *store,
                     PushAccount     *account,
                     PushDestination *destination,
                     const char      *audience_path)
{
  PushActivation *self;

  g_return_val_if_fail (PUSH_IS_STORE (store), NULL);
  g_return_val_if_fail (PUSH_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (PUSH_IS_DESTINATION (destination), NULL);
  g_return_val_if_fail (audience_path != NULL, NULL);

  self = g_object_new (PUSH_TYPE_ACTIVATION, NULL);
  self->store = g_object_ref (store);
  self->account = push_account_copy (account);
  self->destination = push_destination_copy (destination);
  self->audience_path = g_strdup (audience_path);
  return self;
}

PushActivation *
push_activation_new_for_resume (PushStore  *store,
                                const char *run_id)
{
  PushActivation *self;

  g_return_val_if_fail (PUSH_IS_STORE (store), NULL);
  g_return_val_if_fail (run_id != NULL, NULL);

  self = g_object_new (PUSH_TYPE_ACTIVATION, NULL);
  self->store = g_object_ref (store);
  self->resume_run_id = g_strdup (run_id);
  return self;
}

void
push_activation_set_confirmed (PushActivation *self,
                               gboolean        confirmed)
{
  g_return_if_fail (PUSH_IS_ACTIVATION (self));
  g_return_if_fail (!self->started);
  self->confirmed = !!confirmed;
}

void
push_activation_set_client_secret (PushActivation *self,
                                   const char     *secret)
{
  g_return_if_fail (PUSH_IS_ACTIVATION (self));
  g_return_if_fail (!self->started);

  if (self->secret != NULL)
    memset (self->secret, 0, strlen (self->secret));
  g_free (self->secret);
  self->secret = g_strdup (secret);
}

void
push_activation_set_pacer (PushActivation *self,
                           MarketoPacer   *pacer)
{
  g_return_if_fail (PUSH_IS_ACTIVATION (self));
  g_return_if_fail (pacer == NULL || MARKETO_IS_PACER (pacer));
  g_return_if_fail (!self->started);
  g_set_object (&self->pacer, pacer);
}

void
push_activation_set_retry_policy (PushActivation *self,
                                  guint           base_ms,
                                  guint           cap_ms,
                                  guint           max_attempts)
{
  g_return_if_fail (PUSH_IS_ACTIVATION (self));
  g_return_if_fail (!self->started);
  self->retry_base_ms = base_ms;
  self->retry_cap_ms = cap_ms;
  self->retry_attempts = max_attempts;
}

void
push_activation_set_list_folder (PushActivation *self,
                                 gint64          folder_id,
                                 const char     *folder_type)
{
  g_return_if_fail (PUSH_IS_ACTIVATION (self));
  g_return_if_fail (!self->started);
  self->list_folder_id = folder_id;
  g_free (self->list_folder_type);
  self->list_folder_type = g_strdup (folder_type);
}

void
push_activation_set_audience_name (PushActivation *self,
                                   const char     *name)
{
  g_return_if_fail (PUSH_IS_ACTIVATION (self));
  g_return_if_fail (!self->started);
  g_free (self->audience_name);
  self->audience_name = g_strdup (name);
}

void
push_activation_set_audience_format (PushActivation     *self,
                                     PushAudienceFormat  format,
                                     char                delimiter)
{
  g_return_if_fail (PUSH_IS_ACTIVATION (self));

  self->audience_format = format;
  self->audience_delimiter = delimiter;
}

void
push_activation_set_audience_path (PushActivation *self,
                                   const char     *path)
{
  g_return_if_fail (PUSH_IS_ACTIVATION (self));
  g_return_if_fail (!self->started);
  g_free (self->audience_path);
  self->audience_path = g_strdup (path);
}

void
push_activation_set_progress_interval (PushActivation *self,
                                       guint           interval_ms)
{
  g_return_if_fail (PUSH_IS_ACTIVATION (self));
  g_return_if_fail (!self->started);
  self->progress_interval = MAX (interval_ms, 10);
}

char *
push_activation_dup_run_id (PushActivation *self)
{
  char *run_id;

  g_return_val_if_fail (PUSH_IS_ACTIVATION (self), NULL);

  g_mutex_lock (&self->lock);
  run_id = g_strdup (self->run_id != NULL ? self->run_id : self->resume_run_id);
  g_mutex_unlock (&self->lock);
  return run_id;
}

PushRunState
push_activation_get_state (PushActivation *self)
{
  PushRunState state;

  g_return_val_if_fail (PUSH_IS_ACTIVATION (self), PUSH_RUN_STATE_PENDING);

  g_mutex_lock (&self->lock);
  state = self->state;
  g_mutex_unlock (&self->lock);
  return state;
}

PushForecast *
push_activation_dup_forecast (PushActivation *self)
{
  PushForecast *forecast;

  g_return_val_if_fail (PUSH_IS_ACTIVATION (self), NULL);

  g_mutex_lock (&self->lock);
  forecast = self->forecast != NULL ? push_forecast_copy (self->forecast) : NULL;
  g_mutex_unlock (&self->lock);
  return forecast;
}

GPtrArray *
push_activation_dup_problems (PushActivation *self)
{
  GPtrArray *problems;

  g_return_val_if_fail (PUSH_IS_ACTIVATION (self), NULL);

  g_mutex_lock (&self->lock);
  problems = g_ptr_array_ref (self->problems);
  g_mutex_unlock (&self->lock);
  return problems;
}

void
push_activation_get_progress (PushActivation         *self,
                              PushActivationProgress *progress)
{
  g_return_if_fail (PUSH_IS_ACTIVATION (self));
  g_return_if_fail (progress != NULL);

  snapshot_progress (self, progress);
}

GDateTime *
push_activation_dup_quota_reset (PushActivation *self)
{
  GDateTime *reset;

  g_return_val_if_fail (PUSH_IS_ACTIVATION (self), NULL);

  g_mutex_lock (&self->lock);
  reset = self->quota_reset != NULL ? g_date_time_ref (self->quota_reset) : NULL;
  g_mutex_unlock (&self->lock);
  return reset;
}

char *
push_activation_dup_message (PushActivation *self)
{
  char *message;

  g_return_val_if_fail (PUSH_IS_ACTIVATION (self), NULL);

  g_mutex_lock (&self->lock);
  message = g_strdup (self->message);
  g_mutex_unlock (&self->lock);
  return message;
}
