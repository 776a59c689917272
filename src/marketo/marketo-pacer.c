/* marketo-pacer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "marketo-memory-usage-store.h"
#include "marketo-pacer.h"

struct _MarketoPacerPermit
{
  MarketoPacer *pacer;    /* (owned) */
  char         *day_key;  /* (owned) the day the call is counted under */
  gboolean      sent;
  gint64        sent_at;  /* monotonic µs of the last send */
  gint64        expiry;   /* when it leaves the window, once sent */
};

/* Answers per generation of the quickest-answer estimate (see note_answer_locked()). */
#define ANSWER_FLOOR_GENERATION 32

/* A caller waiting for a permit. Reference-counted: the queue, its timer and its
 * cancellable source each hold a reference. Fields are protected by the pacer's mutex. */
typedef struct
{
  GTask   *task;           /* (owned) */
  GSource *cancel_source;  /* (owned) (nullable) */
  GSource *timer;          /* (owned) (nullable) armed while the window is full */
  gint64   timer_deadline; /* monotonic µs */
  gboolean queued;
} Waiter;

/* A waiter leaving the queue, with what to return to it (outside the lock). */
typedef struct
{
  Waiter             *waiter;  /* (owned) */
  MarketoPacerPermit *permit;  /* (owned) (nullable) */
  GError             *error;   /* (owned) (nullable) */
} Completion;

struct _MarketoPacer
{
  GObject            parent_instance;

  GMutex             mutex;

  /* Budget */
  guint              window_calls;
  double             window_seconds;
  gint64             window_us;
  gint64             margin_us;
  double             margin_seconds;  /* < 0: the default, 2 % of the window */
  guint              max_in_flight;

  /* State */
  guint              in_flight;
  guint              n_unsent;    /* granted, not yet sent: occupy the window until sent */
  GArray            *expiries;    /* (element-type gint64) sorted: when sent permits leave the window */
  GQueue             waiters;     /* (element-type Waiter) (owned) */
  /* The quickest send-to-answer time of the recent answers: how long the server takes at
   * least after counting a call. The minimum of the last two generations of answers, so it
   * follows a server that gets slower. G_MAXINT64 while unknown. */
  gint64             answer_floor_us;
  gint64             answer_floor_prev_us;
  guint              answer_floor_samples;

  /* Daily quota */
  guint              daily_quota;
  MarketoUsageStore *store;       /* (owned) */
  char              *day_key;     /* (owned) (nullable) */
  gint64             day_ends_at; /* real time µs */
  guint64            day_count;

  /* Statistics */
  guint64            granted;
  guint64            waited;
  guint              peak_in_flight;
  guint              peak_window;
};

G_DEFINE_FINAL_TYPE (MarketoPacer, marketo_pacer, G_TYPE_OBJECT)

static GMutex      registry_mutex;
static GHashTable *registry;  /* (owned) endpoint → (owned) MarketoPacer */

/* ----------------------------------------------------------------------------------------- */
/* Days in US Central time                                                                   */

static GTimeZone *
central_time_zone (void)
{
  static GTimeZone *zone;

  if (g_once_init_enter (&zone))
    {
      GTimeZone *tz = g_time_zone_new_identifier ("America/Chicago");

      /* Without tzdata, standard time all year is the closest guess (CST, as the docs say). */
      if (tz == NULL)
        tz = g_time_zone_new_offset (-6 * 3600);
      g_once_init_leave (&zone, tz);
    }
  return zone;
}

char *
marketo_pacer_day_key (GDateTime *time)
{
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) central = NULL;

  if (time == NULL)
    time = now = g_date_time_new_now_utc ();
  central = g_date_time_to_timezone (time, central_time_zone ());
  return g_date_time_format (central, "%Y-%m-%d");
}

GDateTime *
marketo_pacer_quota_reset_time (GDateTime *time)
{
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) central = NULL;
  GDate date;

  if (time == NULL)
    time = now = g_date_time_new_now_utc ();
  central = g_date_time_to_timezone (time, central_time_zone ());
  g_date_clear (&date, 1);
  g_date_set_dmy (&date,
                  g_date_time_get_day_of_month (central),
                  g_date_time_get_month (central),
                  g_date_time_get_year (central));
  g_date_add_days (&date, 1);
  return g_date_time_new (central_time_zone (),
                          g_date_get_year (&date), g_date_get_month (&date),
                          g_date_get_day (&date), 0, 0, 0);
}

/* ----------------------------------------------------------------------------------------- */

static Waiter *
waiter_ref (Waiter *waiter)
{
  return g_atomic_rc_box_acquire (waiter);
}

static void
waiter_clear (Waiter *waiter)
{
  g_assert (waiter->timer == NULL && waiter->cancel_source == NULL);
  g_clear_object (&waiter->task);
}

static void
waiter_unref (Waiter *waiter)
{
  g_atomic_rc_box_release_full (waiter, (GDestroyNotify) waiter_clear);
}

static void
permit_free (MarketoPacerPermit *permit)
{
  g_clear_object (&permit->pacer);
  g_free (permit->day_key);
  g_free (permit);
}

/* The destroy notify of a granted task's result: runs only if nobody took the permit. */
static void
permit_release_unclaimed (MarketoPacerPermit *permit)
{
  marketo_pacer_release (permit->pacer, permit, FALSE);
}

static void
completion_clear (Completion *completion)
{
  g_clear_pointer (&completion->waiter, waiter_unref);
  g_clear_error (&completion->error);
  g_clear_pointer (&completion->permit, permit_free);
}

static void
destroy_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

/* Runs the completions collected under the lock, once the lock is dropped. */
static void
run_completions (GArray *completions)
{
  for (guint i = 0; i < completions->len; i++)
    {
      Completion *completion = &g_array_index (completions, Completion, i);

      if (completion->error != NULL)
        g_task_return_error (completion->waiter->task, g_steal_pointer (&completion->error));
      else
        g_task_return_pointer (completion->waiter->task, g_steal_pointer (&completion->permit),
                               (GDestroyNotify) permit_release_unclaimed);
    }
  g_array_unref (completions);
}

static GArray *
completions_new (void)
{
  GArray *completions = g_array_new (FALSE, TRUE, sizeof (Completion));

  g_array_set_clear_func (completions, (GDestroyNotify) completion_clear);
  return completions;
}

static void
prune_expiries_locked (MarketoPacer *self,
                       gint64        now)
{
  guint n = 0;

  while (n < self->expiries->len && g_array_index (self->expiries, gint64, n) <= now)
    n++;
  if (n > 0)
    g_array_remove_range (self->expiries, 0, n);
}

static void
add_expiry_locked (MarketoPacer *self,
                   gint64        expiry)
{
  guint i = self->expiries->len;

  /* Sends finish nearly in order: search from the end. */
  while (i > 0 && g_array_index (self->expiries, gint64, i - 1) > expiry)
    i--;
  g_array_insert_val (self->expiries, i, expiry);
}

static void
remove_expiry_locked (MarketoPacer *self,
                      gint64        expiry)
{
  for (guint i = self->expiries->len; i > 0; i--)
    if (g_array_index (self->expiries, gint64, i - 1) == expiry)
      {
        g_array_remove_index (self->expiries, i - 1);
        return;
      }
}

/* Takes the send-to-answer time of a call into the quickest-answer estimate; returns the
 * estimate. */
static gint64
note_answer_locked (MarketoPacer *self,
                    gint64        answer_us)
{
  answer_us = MAX (answer_us, 0);
  if (self->answer_floor_samples >= ANSWER_FLOOR_GENERATION)
    {
      self->answer_floor_prev_us = self->answer_floor_us;
      self->answer_floor_us = G_MAXINT64;
      self->answer_floor_samples = 0;
    }
  self->answer_floor_us = MIN (self->answer_floor_us, answer_us);
  self->answer_floor_samples++;
  return MIN (self->answer_floor_us, self->answer_floor_prev_us);
}

static guint
window_used_locked (MarketoPacer *self)
{
  return self->n_unsent + self->expiries->len;
}

/* Loads the count of the current US Central day when the day changes. */
static void
refresh_day_locked (MarketoPacer *self)
{
  gint64 now = g_get_real_time ();
  g_autoptr(GDateTime) reset = NULL;
  g_autoptr(GError) error = NULL;
  guint64 count = 0;

  if (self->day_key != NULL && now < self->day_ends_at)
    return;

  g_free (self->day_key);
  self->day_key = marketo_pacer_day_key (NULL);
  reset = marketo_pacer_quota_reset_time (NULL);
  self->day_ends_at = g_date_time_to_unix (reset) * G_USEC_PER_SEC;

  if (!marketo_usage_store_load_count (self->store, self->day_key, &count, &error))
    {
      g_warning ("Could not load the API call count of %s: %s", self->day_key, error->message);
      count = 0;
    }
  self->day_count = count + self->in_flight;
  g_debug ("API calls counted for %s so far: %" G_GUINT64_FORMAT, self->day_key, count);
}

static GError *
quota_error_new (MarketoPacer *self)
{
  g_autoptr(GDateTime) reset = marketo_pacer_quota_reset_time (NULL);
  g_autoptr(GDateTime) local = g_date_time_to_local (reset);
  g_autofree char *when = g_date_time_format (local, "%Y-%m-%d %H:%M %Z");
  GError *error;

  error = g_error_new (MARKETO_ERROR, MARKETO_ERROR_QUOTA_LOCAL,
                       _("The daily API quota of %u calls is used up; it resets at %s"),
                       self->daily_quota, when);
  marketo_error_set_reset_time (error, reset);
  return error;
}

static gboolean
deadline_source_dispatch (GSource     *source,
                          GSourceFunc  callback,
                          gpointer     user_data)
{
  return callback (user_data);
}

static GSourceFuncs deadline_source_funcs = {
  NULL, NULL, deadline_source_dispatch, NULL, NULL, NULL,
};

static void dispatch_locked (MarketoPacer *self,
                             GArray       *completions);

static gboolean
waiter_timer_cb (gpointer user_data)
{
  Waiter *waiter = user_data;
  MarketoPacer *self = g_task_get_source_object (waiter->task);
  GArray *completions = completions_new ();

  g_mutex_lock (&self->mutex);
  if (waiter->timer == g_main_current_source ())
    g_clear_pointer (&waiter->timer, g_source_unref);
  dispatch_locked (self, completions);
  g_mutex_unlock (&self->mutex);

  run_completions (completions);
  return G_SOURCE_REMOVE;
}

/* Every waiter keeps a timer for the moment the window frees a slot, in its own context:
 * whichever fires first serves the queue, so no context that stops running can stall it. */
static void
arm_timers_locked (MarketoPacer *self,
                   gint64        deadline)
{
  for (GList *l = self->waiters.head; l != NULL; l = l->next)
    {
      Waiter *waiter = l->data;

      if (waiter->timer != NULL && waiter->timer_deadline == deadline)
        continue;
      destroy_source (&waiter->timer);
      waiter->timer = g_source_new (&deadline_source_funcs, sizeof (GSource));
      waiter->timer_deadline = deadline;
      g_source_set_ready_time (waiter->timer, deadline);
      g_source_set_priority (waiter->timer, G_PRIORITY_DEFAULT);
      g_source_set_callback (waiter->timer, waiter_timer_cb, waiter_ref (waiter),
                             (GDestroyNotify) waiter_unref);
      g_source_set_static_name (waiter->timer, "[marketo] pacer window");
      g_source_attach (waiter->timer, g_task_get_context (waiter->task));
    }
}

static void
detach_waiter_locked (MarketoPacer *self,
                      Waiter       *waiter)
{
  waiter->queued = FALSE;
  destroy_source (&waiter->timer);
  destroy_source (&waiter->cancel_source);
}

static MarketoPacerPermit *
grant_locked (MarketoPacer *self)
{
  MarketoPacerPermit *permit = g_new0 (MarketoPacerPermit, 1);

  permit->pacer = g_object_ref (self);
  permit->day_key = g_strdup (self->day_key);

  self->in_flight++;
  self->n_unsent++;
  self->day_count++;
  self->granted++;
  self->peak_in_flight = MAX (self->peak_in_flight, self->in_flight);
  self->peak_window = MAX (self->peak_window, window_used_locked (self));
  return permit;
}

/* Serves the queue in order as far as the budget allows; what to return is collected in
 * @completions and returned by the caller once the lock is dropped. */
static void
dispatch_locked (MarketoPacer *self,
                 GArray       *completions)
{
  gint64 now = g_get_monotonic_time ();

  prune_expiries_locked (self, now);
  refresh_day_locked (self);

  while (!g_queue_is_empty (&self->waiters))
    {
      Completion completion = { NULL, };
      guint used;

      if (self->day_count >= self->daily_quota)
        {
          Waiter *waiter;

          while ((waiter = g_queue_pop_head (&self->waiters)) != NULL)
            {
              Completion failed = { NULL, };

              detach_waiter_locked (self, waiter);
              failed.waiter = waiter;
              failed.error = quota_error_new (self);
              g_array_append_val (completions, failed);
            }
          break;
        }

      if (self->in_flight >= self->max_in_flight)
        break;  /* a release dispatches again */

      used = window_used_locked (self);
      if (used >= self->window_calls)
        {
          guint index = used - self->window_calls;

          /* If the unsent permits alone fill the window, their sends dispatch again. */
          if (index < self->expiries->len)
            arm_timers_locked (self, g_array_index (self->expiries, gint64, index));
          break;
        }

      completion.waiter = g_queue_pop_head (&self->waiters);
      detach_waiter_locked (self, completion.waiter);
      completion.permit = grant_locked (self);
      g_array_append_val (completions, completion);
    }
}

/* ----------------------------------------------------------------------------------------- */

static void
marketo_pacer_finalize (GObject *object)
{
  MarketoPacer *self = MARKETO_PACER (object);

  g_assert (g_queue_is_empty (&self->waiters));

  g_clear_pointer (&self->expiries, g_array_unref);
  g_clear_object (&self->store);
  g_clear_pointer (&self->day_key, g_free);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (marketo_pacer_parent_class)->finalize (object);
}

static void
marketo_pacer_class_init (MarketoPacerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = marketo_pacer_finalize;
}

static void
set_limits_locked (MarketoPacer *self,
                   guint         window_calls,
                   double        window_seconds,
                   guint         max_in_flight)
{
  self->window_calls = CLAMP (window_calls, 1, MARKETO_PACER_LIMIT_WINDOW_CALLS);
  self->window_seconds = MAX (window_seconds, 0.1);
  self->window_us = (gint64) (self->window_seconds * G_USEC_PER_SEC);
  if (self->margin_seconds >= 0)
    self->margin_us = (gint64) (self->margin_seconds * G_USEC_PER_SEC);
  else
    self->margin_us = MAX (self->window_us / 50, 20000);
  self->max_in_flight = CLAMP (max_in_flight, 1, MARKETO_PACER_LIMIT_IN_FLIGHT);
}

static void
marketo_pacer_init (MarketoPacer *self)
{
  g_mutex_init (&self->mutex);
  g_queue_init (&self->waiters);
  self->margin_seconds = -1;
  self->expiries = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->answer_floor_us = G_MAXINT64;
  self->answer_floor_prev_us = G_MAXINT64;
  set_limits_locked (self, MARKETO_PACER_DEFAULT_WINDOW_CALLS,
                     MARKETO_PACER_DEFAULT_WINDOW_SECONDS, MARKETO_PACER_DEFAULT_MAX_IN_FLIGHT);
  self->daily_quota = MARKETO_PACER_DEFAULT_DAILY_QUOTA;
  self->store = marketo_memory_usage_store_new ();
}

MarketoPacer *
marketo_pacer_new (void)
{
  return g_object_new (MARKETO_TYPE_PACER, NULL);
}

MarketoPacer *
marketo_pacer_get_for_endpoint (const char *endpoint)
{
  MarketoPacer *pacer;

  g_return_val_if_fail (endpoint != NULL, NULL);

  g_mutex_lock (&registry_mutex);
  if (registry == NULL)
    registry = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  pacer = g_hash_table_lookup (registry, endpoint);
  if (pacer == NULL)
    {
      pacer = marketo_pacer_new ();
      g_hash_table_insert (registry, g_strdup (endpoint), pacer);
    }
  g_object_ref (pacer);
  g_mutex_unlock (&registry_mutex);

  return pacer;
}

void
marketo_pacer_set_limits (MarketoPacer *self,
                          guint         window_calls,
                          double        window_seconds,
                          guint         max_in_flight)
{
  GArray *completions;

  g_return_if_fail (MARKETO_IS_PACER (self));

  completions = completions_new ();
  g_mutex_lock (&self->mutex);
  set_limits_locked (self, window_calls, window_seconds, max_in_flight);
  dispatch_locked (self, completions);
  g_mutex_unlock (&self->mutex);
  run_completions (completions);
}

void
marketo_pacer_set_window_margin (MarketoPacer *self,
                                 double        margin_seconds)
{
  GArray *completions;

  g_return_if_fail (MARKETO_IS_PACER (self));

  completions = completions_new ();
  g_mutex_lock (&self->mutex);
  self->margin_seconds = margin_seconds;
  set_limits_locked (self, self->window_calls, self->window_seconds, self->max_in_flight);
  dispatch_locked (self, completions);
  g_mutex_unlock (&self->mutex);
  run_completions (completions);
}

double
marketo_pacer_get_window_margin (MarketoPacer *self)
{
  double margin;

  g_return_val_if_fail (MARKETO_IS_PACER (self), 0);

  g_mutex_lock (&self->mutex);
  margin = (double) self->margin_us / G_USEC_PER_SEC;
  g_mutex_unlock (&self->mutex);
  return margin;
}

void
marketo_pacer_get_limits (MarketoPacer *self,
                          guint        *window_calls,
                          double       *window_seconds,
                          guint        *max_in_flight)
{
  g_return_if_fail (MARKETO_IS_PACER (self));

  g_mutex_lock (&self->mutex);
  if (window_calls != NULL)
    *window_calls = self->window_calls;
  if (window_seconds != NULL)
    *window_seconds = self->window_seconds;
  if (max_in_flight != NULL)
    *max_in_flight = self->max_in_flight;
  g_mutex_unlock (&self->mutex);
}

void
marketo_pacer_set_daily_quota (MarketoPacer *self,
                               guint         daily_quota)
{
  GArray *completions;

  g_return_if_fail (MARKETO_IS_PACER (self));

  completions = completions_new ();
  g_mutex_lock (&self->mutex);
  self->daily_quota = daily_quota;
  dispatch_locked (self, completions);
  g_mutex_unlock (&self->mutex);
  run_completions (completions);
}

guint
marketo_pacer_get_daily_quota (MarketoPacer *self)
{
  guint quota;

  g_return_val_if_fail (MARKETO_IS_PACER (self), 0);

  g_mutex_lock (&self->mutex);
  quota = self->daily_quota;
  g_mutex_unlock (&self->mutex);
  return quota;
}

void
marketo_pacer_set_usage_store (MarketoPacer      *self,
                               MarketoUsageStore *store)
{
  GArray *completions;

  g_return_if_fail (MARKETO_IS_PACER (self));
  g_return_if_fail (MARKETO_IS_USAGE_STORE (store));

  completions = completions_new ();
  g_mutex_lock (&self->mutex);
  g_set_object (&self->store, store);
  g_clear_pointer (&self->day_key, g_free);
  dispatch_locked (self, completions);
  g_mutex_unlock (&self->mutex);
  run_completions (completions);
}

MarketoUsageStore *
marketo_pacer_get_usage_store (MarketoPacer *self)
{
  MarketoUsageStore *store;

  g_return_val_if_fail (MARKETO_IS_PACER (self), NULL);

  g_mutex_lock (&self->mutex);
  store = self->store;
  g_mutex_unlock (&self->mutex);
  return store;
}

guint64
marketo_pacer_get_daily_count (MarketoPacer *self)
{
  guint64 count;

  g_return_val_if_fail (MARKETO_IS_PACER (self), 0);

  g_mutex_lock (&self->mutex);
  refresh_day_locked (self);
  count = self->day_count;
  g_mutex_unlock (&self->mutex);
  return count;
}

void
marketo_pacer_mark_quota_exhausted (MarketoPacer *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MarketoUsageStore) store = NULL;
  g_autofree char *day_key = NULL;
  GArray *completions;
  guint64 missing = 0;

  g_return_if_fail (MARKETO_IS_PACER (self));

  completions = completions_new ();
  g_mutex_lock (&self->mutex);
  store = g_object_ref (self->store);
  refresh_day_locked (self);
  if (self->day_count < self->daily_quota)
    {
      missing = self->daily_quota - self->day_count;
      self->day_count = self->daily_quota;
      day_key = g_strdup (self->day_key);
    }
  dispatch_locked (self, completions);
  g_mutex_unlock (&self->mutex);
  run_completions (completions);

  /* Persist it, so the next run of the day knows too. */
  if (missing > 0 && !marketo_usage_store_add_calls (store, day_key, missing, &error))
    g_warning ("Could not save the API call count: %s", error->message);
}

static gboolean
waiter_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  Waiter *waiter = user_data;
  MarketoPacer *self = g_task_get_source_object (waiter->task);
  gboolean was_queued;

  g_mutex_lock (&self->mutex);
  was_queued = waiter->queued;
  if (was_queued)
    {
      g_queue_remove (&self->waiters, waiter);
      detach_waiter_locked (self, waiter);
    }
  g_mutex_unlock (&self->mutex);

  if (was_queued)
    {
      g_task_return_new_error (waiter->task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("Operation was cancelled"));
      waiter_unref (waiter);  /* the queue's reference */
    }
  return G_SOURCE_REMOVE;
}

void
marketo_pacer_acquire_async (MarketoPacer        *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GArray *completions;
  Waiter *waiter;

  g_return_if_fail (MARKETO_IS_PACER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, marketo_pacer_acquire_async);
  /* A granted permit must reach the caller even if it was cancelled meanwhile, or its slot
   * would be lost; the caller gives it back. */
  g_task_set_check_cancellable (task, FALSE);

  if (g_task_return_error_if_cancelled (task))
    return;

  waiter = g_atomic_rc_box_new0 (Waiter);
  waiter->task = g_steal_pointer (&task);

  completions = completions_new ();
  g_mutex_lock (&self->mutex);
  waiter->queued = TRUE;
  g_queue_push_tail (&self->waiters, waiter);
  dispatch_locked (self, completions);
  if (waiter->queued)
    {
      self->waited++;
      if (cancellable != NULL)
        {
          waiter->cancel_source = g_cancellable_source_new (cancellable);
          g_source_set_callback (waiter->cancel_source, G_SOURCE_FUNC (waiter_cancelled_cb),
                                 waiter_ref (waiter), (GDestroyNotify) waiter_unref);
          g_source_set_static_name (waiter->cancel_source, "[marketo] pacer cancel");
          g_source_attach (waiter->cancel_source, g_task_get_context (waiter->task));
        }
    }
  g_mutex_unlock (&self->mutex);
  run_completions (completions);
}

MarketoPacerPermit *
marketo_pacer_acquire_finish (MarketoPacer  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (MARKETO_IS_PACER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
marketo_pacer_permit_sent (MarketoPacer       *self,
                           MarketoPacerPermit *permit)
{
  GArray *completions;

  g_return_if_fail (MARKETO_IS_PACER (self));
  g_return_if_fail (permit != NULL && permit->pacer == self);

  completions = completions_new ();
  g_mutex_lock (&self->mutex);
  if (permit->sent)
    {
      /* Sent again (HTTP restarted it on a fresh connection): Marketo counts the later one. */
      remove_expiry_locked (self, permit->expiry);
    }
  else
    {
      permit->sent = TRUE;
      self->n_unsent--;
    }
  permit->sent_at = g_get_monotonic_time ();
  permit->expiry = permit->sent_at + self->window_us + self->margin_us;
  add_expiry_locked (self, permit->expiry);
  dispatch_locked (self, completions);
  g_mutex_unlock (&self->mutex);
  run_completions (completions);
}

void
marketo_pacer_return_unused (MarketoPacer       *self,
                             MarketoPacerPermit *permit)
{
  GArray *completions;

  g_return_if_fail (MARKETO_IS_PACER (self));
  g_return_if_fail (permit != NULL && permit->pacer == self);

  if (permit->sent)
    {
      marketo_pacer_release (self, permit, TRUE);
      return;
    }

  completions = completions_new ();
  g_mutex_lock (&self->mutex);
  g_assert (self->in_flight > 0 && self->n_unsent > 0);
  self->in_flight--;
  self->n_unsent--;
  if (self->day_key != NULL && g_str_equal (self->day_key, permit->day_key) && self->day_count > 0)
    self->day_count--;
  dispatch_locked (self, completions);
  g_mutex_unlock (&self->mutex);
  run_completions (completions);

  permit_free (permit);
}

void
marketo_pacer_release (MarketoPacer       *self,
                       MarketoPacerPermit *permit,
                       gboolean            counted)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MarketoUsageStore) store = NULL;
  GArray *completions;
  gint64 now;

  g_return_if_fail (MARKETO_IS_PACER (self));
  g_return_if_fail (permit != NULL && permit->pacer == self);

  completions = completions_new ();
  g_mutex_lock (&self->mutex);
  store = g_object_ref (self->store);
  g_assert (self->in_flight > 0);
  self->in_flight--;
  now = g_get_monotonic_time ();
  if (!permit->sent)
    {
      /* Maybe it reached Marketo: it was counted by now at the latest. */
      self->n_unsent--;
      add_expiry_locked (self, now + self->window_us);
    }
  else
    {
      gint64 floor_us = note_answer_locked (self, now - permit->sent_at);
      gint64 counted_by, expiry;

      /* Marketo counted the call somewhere between its send and this answer. Answered
       * within the margin: by now at the latest, tighter than the margin allowed. Answered
       * later: the margin holds for a server that takes its time after counting (the
       * quickest answers show how long that is at least), but not for one that was slow to
       * take the request in the first place (a busy server answering in 0 ms otherwise):
       * that one counted it about the quickest answer time before this answer at the latest. */
      counted_by = MIN (now, MAX (permit->sent_at + self->margin_us, now - floor_us));
      expiry = counted_by + self->window_us;
      if (expiry != permit->expiry)
        {
          /* A passed expiry is gone from the window already, or is about to be pruned */
          if (permit->expiry > now)
            remove_expiry_locked (self, permit->expiry);
          if (expiry > now)
            add_expiry_locked (self, expiry);
        }
    }
  if (!counted && self->day_key != NULL && g_str_equal (self->day_key, permit->day_key)
      && self->day_count > 0)
    self->day_count--;
  dispatch_locked (self, completions);
  g_mutex_unlock (&self->mutex);
  run_completions (completions);

  if (counted && !marketo_usage_store_add_calls (store, permit->day_key, 1, &error))
    g_warning ("Could not save the API call count: %s", error->message);

  permit_free (permit);
}

void
marketo_pacer_get_stats (MarketoPacer      *self,
                         MarketoPacerStats *stats)
{
  g_return_if_fail (MARKETO_IS_PACER (self));
  g_return_if_fail (stats != NULL);

  g_mutex_lock (&self->mutex);
  stats->granted = self->granted;
  stats->waited = self->waited;
  stats->in_flight = self->in_flight;
  stats->peak_in_flight = self->peak_in_flight;
  stats->peak_window = self->peak_window;
  stats->waiting = g_queue_get_length (&self->waiters);
  g_mutex_unlock (&self->mutex);
}
