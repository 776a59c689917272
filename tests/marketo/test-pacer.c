/* test-pacer.c: MarketoPacer on its own (window, in-flight cap, quota, threads, days)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "marketo-memory-usage-store.h"
#include "marketo-pacer.h"

typedef struct {
  MarketoPacer *pacer;
  GMutex        mutex;
  GArray       *grant_times;  /* (element-type gint64) */
  GPtrArray    *held;         /* (element-type MarketoPacerPermit) not yet released */
  GArray       *order;        /* (element-type guint) caller index per grant */
  guint         done;
  guint         failed;
  GError       *last_error;
} Run;

typedef struct {
  Run   *run;
  guint  index;
  gboolean release_at_once;
} Caller;

static void
run_init (Run          *run,
          MarketoPacer *pacer)
{
  memset (run, 0, sizeof *run);
  run->pacer = pacer;
  g_mutex_init (&run->mutex);
  run->grant_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  run->held = g_ptr_array_new ();
  run->order = g_array_new (FALSE, FALSE, sizeof (guint));
}

static void
run_clear (Run *run)
{
  g_assert_cmpuint (run->held->len, ==, 0);
  g_array_unref (run->grant_times);
  g_ptr_array_unref (run->held);
  g_array_unref (run->order);
  g_clear_error (&run->last_error);
  g_mutex_clear (&run->mutex);
}

static void
acquired_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Caller *caller = user_data;
  Run *run = caller->run;
  g_autoptr(GError) error = NULL;
  MarketoPacerPermit *permit;
  gint64 now = g_get_monotonic_time ();

  permit = marketo_pacer_acquire_finish (MARKETO_PACER (source), result, &error);
  g_mutex_lock (&run->mutex);
  run->done++;
  if (permit == NULL)
    {
      run->failed++;
      g_clear_error (&run->last_error);
      run->last_error = g_steal_pointer (&error);
    }
  else
    {
      g_array_append_val (run->grant_times, now);
      g_array_append_val (run->order, caller->index);
      if (!caller->release_at_once)
        g_ptr_array_add (run->held, permit);
    }
  g_mutex_unlock (&run->mutex);

  if (permit != NULL && caller->release_at_once)
    {
      marketo_pacer_permit_sent (run->pacer, permit);
      marketo_pacer_release (run->pacer, permit, TRUE);
    }
  g_free (caller);
}

static void
acquire (Run      *run,
         guint     index,
         gboolean  release_at_once)
{
  Caller *caller = g_new0 (Caller, 1);

  caller->run = run;
  caller->index = index;
  caller->release_at_once = release_at_once;
  marketo_pacer_acquire_async (run->pacer, NULL, acquired_cb, caller);
}

static void
iterate_until (Run   *run,
               guint  done)
{
  while (TRUE)
    {
      guint now_done;

      g_mutex_lock (&run->mutex);
      now_done = run->done;
      g_mutex_unlock (&run->mutex);
      if (now_done >= done)
        break;
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
}

static void
release_held (Run *run)
{
  g_autoptr(GPtrArray) held = NULL;

  g_mutex_lock (&run->mutex);
  held = g_steal_pointer (&run->held);
  run->held = g_ptr_array_new ();
  g_mutex_unlock (&run->mutex);
  for (guint i = 0; i < held->len; i++)
    marketo_pacer_release (run->pacer, g_ptr_array_index (held, i), TRUE);
}

/* The most grants in any window of @window_us. */
static guint
busiest_window (GArray *times,
                gint64  window_us)
{
  guint best = 0;

  for (guint i = 0, j = 0; i < times->len; i++)
    {
      while (g_array_index (times, gint64, i) - g_array_index (times, gint64, j) >= window_us)
        j++;
      best = MAX (best, i - j + 1);
    }
  return best;
}

static void
test_limits_clamped (void)
{
  g_autoptr(MarketoPacer) pacer = marketo_pacer_new ();
  guint calls, in_flight;
  double seconds;

  marketo_pacer_get_limits (pacer, &calls, &seconds, &in_flight);
  g_assert_cmpuint (calls, ==, 50);
  g_assert_cmpfloat (seconds, ==, 20.0);
  g_assert_cmpuint (in_flight, ==, 5);
  g_assert_cmpuint (marketo_pacer_get_daily_quota (pacer), ==, 50000);

  marketo_pacer_set_limits (pacer, 500, 20, 50);
  marketo_pacer_get_limits (pacer, &calls, &seconds, &in_flight);
  g_assert_cmpuint (calls, ==, 100);
  g_assert_cmpuint (in_flight, ==, 10);

  marketo_pacer_set_limits (pacer, 0, 0, 0);
  marketo_pacer_get_limits (pacer, &calls, &seconds, &in_flight);
  g_assert_cmpuint (calls, ==, 1);
  g_assert_cmpfloat (seconds, >=, 0.1);
  g_assert_cmpuint (in_flight, ==, 1);
}

static void
test_registry (void)
{
  g_autoptr(MarketoPacer) a = marketo_pacer_get_for_endpoint ("https://1-A-1.mktorest.com");
  g_autoptr(MarketoPacer) b = marketo_pacer_get_for_endpoint ("https://1-A-1.mktorest.com");
  g_autoptr(MarketoPacer) c = marketo_pacer_get_for_endpoint ("https://2-B-2.mktorest.com");

  g_assert_true (a == b);
  g_assert_true (a != c);
}

static void
test_window (void)
{
  g_autoptr(MarketoPacer) pacer = marketo_pacer_new ();
  gint64 window_us = 300000;
  Run run;

  run_init (&run, pacer);
  marketo_pacer_set_limits (pacer, 5, 0.3, 10);
  for (guint i = 0; i < 16; i++)
    acquire (&run, i, TRUE);
  iterate_until (&run, 16);

  g_assert_cmpuint (run.failed, ==, 0);
  g_assert_cmpuint (busiest_window (run.grant_times, window_us), ==, 5);
  /* 16 grants at 5 per window need three more windows after the first five. */
  g_assert_cmpint (g_array_index (run.grant_times, gint64, 15) - g_array_index (run.grant_times, gint64, 0),
                   >=, 3 * window_us);
  /* First come, first served. */
  for (guint i = 0; i < 16; i++)
    g_assert_cmpuint (g_array_index (run.order, guint, i), ==, i);
  run_clear (&run);
}

static void
test_in_flight (void)
{
  g_autoptr(MarketoPacer) pacer = marketo_pacer_new ();
  MarketoPacerStats stats;
  Run run;

  run_init (&run, pacer);
  marketo_pacer_set_limits (pacer, 100, 1, 3);
  for (guint i = 0; i < 7; i++)
    acquire (&run, i, FALSE);
  iterate_until (&run, 3);
  spin (50);
  g_assert_cmpuint (run.done, ==, 3);
  marketo_pacer_get_stats (pacer, &stats);
  g_assert_cmpuint (stats.in_flight, ==, 3);
  g_assert_cmpuint (stats.waiting, ==, 4);

  release_held (&run);
  iterate_until (&run, 6);
  release_held (&run);
  iterate_until (&run, 7);
  release_held (&run);
  marketo_pacer_get_stats (pacer, &stats);
  g_assert_cmpuint (stats.peak_in_flight, ==, 3);
  g_assert_cmpuint (stats.in_flight, ==, 0);
  g_assert_cmpuint (stats.granted, ==, 7);
  run_clear (&run);
}

static void
cancelled_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GError **error = user_data;
  MarketoPacerPermit *permit = marketo_pacer_acquire_finish (MARKETO_PACER (source), result, error);

  g_assert_null (permit);
}

static void
test_cancel (void)
{
  g_autoptr(MarketoPacer) pacer = marketo_pacer_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  GError *error = NULL;
  MarketoPacerStats stats;
  Run run;

  run_init (&run, pacer);
  marketo_pacer_set_limits (pacer, 100, 1, 1);
  acquire (&run, 0, FALSE);
  iterate_until (&run, 1);
  marketo_pacer_acquire_async (pacer, cancellable, cancelled_cb, &error);
  acquire (&run, 2, FALSE);
  spin (20);
  g_cancellable_cancel (cancellable);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* The cancelled waiter left the queue; the next one gets the slot. */
  release_held (&run);
  iterate_until (&run, 2);
  g_assert_cmpuint (g_array_index (run.order, guint, 1), ==, 2);
  release_held (&run);
  marketo_pacer_get_stats (pacer, &stats);
  g_assert_cmpuint (stats.in_flight, ==, 0);
  g_assert_cmpuint (stats.waiting, ==, 0);
  run_clear (&run);
}

static void
test_return_unused (void)
{
  g_autoptr(MarketoPacer) pacer = marketo_pacer_new ();
  MarketoPacerStats stats;
  Run run;

  /* One call per long window: a permit given back unused leaves no trace in it. */
  run_init (&run, pacer);
  marketo_pacer_set_limits (pacer, 1, 60, 5);
  acquire (&run, 0, FALSE);
  iterate_until (&run, 1);
  g_assert_cmpuint (marketo_pacer_get_daily_count (pacer), ==, 1);
  marketo_pacer_return_unused (pacer, g_ptr_array_steal_index (run.held, 0));
  g_assert_cmpuint (marketo_pacer_get_daily_count (pacer), ==, 0);
  acquire (&run, 1, FALSE);
  iterate_until (&run, 2);
  g_assert_cmpuint (run.failed, ==, 0);

  /* Sent and released: the window is full for a minute. */
  marketo_pacer_permit_sent (pacer, g_ptr_array_index (run.held, 0));
  release_held (&run);
  acquire (&run, 2, FALSE);
  spin (50);
  marketo_pacer_get_stats (pacer, &stats);
  g_assert_cmpuint (stats.waiting, ==, 1);
  g_assert_cmpuint (run.done, ==, 2);
  /* Raising the budget serves the waiter at once. */
  marketo_pacer_set_limits (pacer, 2, 60, 5);
  iterate_until (&run, 3);
  release_held (&run);
  run_clear (&run);
}

typedef struct {
  Run   *run;
  guint  calls;
  guint  thread_index;
} ThreadData;

static gpointer
thread_main (gpointer user_data)
{
  ThreadData *data = user_data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  guint target;

  g_main_context_push_thread_default (context);
  for (guint i = 0; i < data->calls; i++)
    acquire (data->run, data->thread_index * 1000 + i, TRUE);

  /* Wait until every grant of this thread came back through this context. */
  target = data->calls;
  while (TRUE)
    {
      guint mine = 0;

      g_mutex_lock (&data->run->mutex);
      for (guint i = 0; i < data->run->order->len; i++)
        if (g_array_index (data->run->order, guint, i) / 1000 == data->thread_index)
          mine++;
      g_mutex_unlock (&data->run->mutex);
      if (mine >= target)
        break;
      g_main_context_iteration (context, TRUE);
    }
  g_main_context_pop_thread_default (context);
  return NULL;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static void
test_threads (void)
{
  g_autoptr(MarketoPacer) pacer = marketo_pacer_new ();
  GThread *threads[4];
  ThreadData data[4];
  MarketoPacerStats stats;
  Run run;

  run_init (&run, pacer);
  marketo_pacer_set_limits (pacer, 20, 0.2, 3);
  for (guint t = 0; t < G_N_ELEMENTS (threads); t++)
    {
      data[t].run = &run;
      data[t].calls = 30;
      data[t].thread_index = t + 1;
      threads[t] = g_thread_new ("pacer-test", thread_main, &data[t]);
    }
  for (guint t = 0; t < G_N_ELEMENTS (threads); t++)
    g_thread_join (threads[t]);

  g_assert_cmpuint (run.done, ==, 120);
  g_assert_cmpuint (run.failed, ==, 0);
  g_array_sort (run.grant_times, compare_gint64);
  g_assert_cmpuint (busiest_window (run.grant_times, 200000), <=, 20);
  marketo_pacer_get_stats (pacer, &stats);
  g_assert_cmpuint (stats.peak_in_flight, <=, 3);
  g_assert_cmpuint (stats.peak_window, <=, 20);
  g_assert_cmpuint (stats.granted, ==, 120);
  g_assert_cmpuint (stats.in_flight, ==, 0);
  run_clear (&run);
}

static void
test_quota (void)
{
  g_autoptr(MarketoPacer) pacer = marketo_pacer_new ();
  g_autoptr(MarketoPacer) next_run = marketo_pacer_new ();
  g_autoptr(MarketoUsageStore) store = marketo_memory_usage_store_new ();
  g_autofree char *today = marketo_pacer_day_key (NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GDateTime *reset;
  guint64 stored = 0;
  Run run;

  run_init (&run, pacer);
  marketo_pacer_set_usage_store (pacer, store);
  marketo_pacer_set_daily_quota (pacer, 4);
  for (guint i = 0; i < 3; i++)
    acquire (&run, i, TRUE);
  iterate_until (&run, 3);

  /* A call Marketo did not count (601) does not use the quota. */
  acquire (&run, 3, FALSE);
  iterate_until (&run, 4);
  marketo_pacer_release (pacer, g_ptr_array_steal_index (run.held, 0), FALSE);
  g_assert_cmpuint (marketo_pacer_get_daily_count (pacer), ==, 3);

  acquire (&run, 4, TRUE);
  acquire (&run, 5, TRUE);
  iterate_until (&run, 6);
  g_assert_cmpuint (run.failed, ==, 1);
  g_assert_error (run.last_error, MARKETO_ERROR, MARKETO_ERROR_QUOTA_LOCAL);
  reset = marketo_error_get_reset_time (run.last_error);
  g_assert_nonnull (reset);
  g_assert_cmpint (g_date_time_compare (reset, now), >, 0);

  g_assert_true (marketo_usage_store_load_count (store, today, &stored, NULL));
  g_assert_cmpuint (stored, ==, 4);

  /* A later run the same day starts from the stored count. */
  marketo_pacer_set_usage_store (next_run, store);
  g_assert_cmpuint (marketo_pacer_get_daily_count (next_run), ==, 4);

  /* Marketo's 607 ends the day whatever the count says. */
  marketo_pacer_mark_quota_exhausted (next_run);
  g_assert_cmpuint (marketo_pacer_get_daily_count (next_run), ==, 50000);
  run_clear (&run);
}

static GDateTime *
utc (const char *iso)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_utc ();
  GDateTime *time = g_date_time_new_from_iso8601 (iso, zone);

  g_assert_nonnull (time);
  return time;
}

static void
check_day (const char *iso,
           const char *day_key,
           const char *reset_iso)
{
  g_autoptr(GDateTime) time = utc (iso);
  g_autoptr(GDateTime) expected_reset = utc (reset_iso);
  g_autoptr(GDateTime) reset = marketo_pacer_quota_reset_time (time);
  g_autofree char *key = marketo_pacer_day_key (time);

  g_assert_cmpstr (key, ==, day_key);
  g_assert_true (g_date_time_equal (reset, expected_reset));
}

static void
test_days (void)
{
  /* Winter: Central Standard Time, UTC-6 */
  check_day ("2026-01-15T05:59:59Z", "2026-01-14", "2026-01-15T06:00:00Z");
  check_day ("2026-01-15T06:00:00Z", "2026-01-15", "2026-01-16T06:00:00Z");
  /* Summer: Central Daylight Time, UTC-5 */
  check_day ("2026-07-04T04:59:59Z", "2026-07-03", "2026-07-04T05:00:00Z");
  check_day ("2026-07-04T05:00:00Z", "2026-07-04", "2026-07-05T05:00:00Z");
  /* The day clocks spring forward (8 March 2026) lasts 23 hours */
  check_day ("2026-03-08T12:00:00Z", "2026-03-08", "2026-03-09T05:00:00Z");
  /* … and the day they fall back (1 November 2026) 25 */
  check_day ("2026-11-01T12:00:00Z", "2026-11-01", "2026-11-02T06:00:00Z");
}

static gint64
grant_time (Run   *run,
            guint  index)
{
  gint64 time;

  g_mutex_lock (&run->mutex);
  time = g_array_index (run->grant_times, gint64, index);
  g_mutex_unlock (&run->mutex);
  return time;
}

/* Sends the held permit, keeps it @hold_ms, releases it; returns the release time and, in
 * @send_to_answer, an upper bound of the time from send to answer the pacer saw. */
static gint64
send_and_answer (Run    *run,
                 guint   hold_ms,
                 gint64 *send_to_answer)
{
  MarketoPacerPermit *permit = g_ptr_array_steal_index (run->held, 0);
  gint64 sent, answered;

  sent = g_get_monotonic_time ();
  marketo_pacer_permit_sent (run->pacer, permit);
  if (hold_ms > 0)
    g_usleep (hold_ms * 1000);
  marketo_pacer_release (run->pacer, permit, TRUE);
  answered = g_get_monotonic_time ();
  if (send_to_answer != NULL)
    *send_to_answer = answered - sent;
  return answered;
}

static void
test_late_answer (void)
{
  g_autoptr(MarketoPacer) pacer = marketo_pacer_new ();
  g_autoptr(MarketoPacer) slow = marketo_pacer_new ();
  gint64 window_us = 300000, margin_us = 20000;
  gint64 quickest, answered, sent;
  Run run;

  /* A server that answers at once but took one request in 100 ms late (it was busy): it
   * counted that call at its answer, so the next one may go a full window after it, not a
   * window after send + margin. */
  run_init (&run, pacer);
  marketo_pacer_set_limits (pacer, 1, 0.3, 5);
  marketo_pacer_set_window_margin (pacer, 0.02);
  acquire (&run, 0, FALSE);
  iterate_until (&run, 1);
  send_and_answer (&run, 0, &quickest);
  acquire (&run, 1, FALSE);
  iterate_until (&run, 2);
  answered = send_and_answer (&run, 100, NULL);
  acquire (&run, 2, FALSE);
  iterate_until (&run, 3);
  g_assert_cmpint (grant_time (&run, 2) - answered, >=, window_us - quickest);
  release_held (&run);
  run_clear (&run);

  /* A server that takes 100 ms for every call after counting it: the margin holds, and the
   * slot is free a window after send + margin, well before a window after the answer. */
  run_init (&run, slow);
  marketo_pacer_set_limits (slow, 1, 0.3, 5);
  marketo_pacer_set_window_margin (slow, 0.02);
  for (guint i = 0; i < 2; i++)
    {
      acquire (&run, i, FALSE);
      iterate_until (&run, i + 1);
      sent = g_get_monotonic_time ();
      answered = send_and_answer (&run, 100, NULL);
    }
  acquire (&run, 2, FALSE);
  iterate_until (&run, 3);
  g_assert_cmpint (grant_time (&run, 2) - sent, >=, window_us + margin_us);
  g_assert_cmpint (grant_time (&run, 2) - answered, <, window_us - 50000);
  release_held (&run);
  run_clear (&run);
}

/* ---- Stress: several threads, random cancels and holds, every acquire must complete ---- */

#define STRESS_THREADS         4
#define STRESS_CALLS         250   /* per thread */
#define STRESS_OUTSTANDING     3   /* acquires per thread at once */
#define STRESS_WINDOW_CALLS    8
#define STRESS_WINDOW_S     0.05
#define STRESS_IN_FLIGHT       3
/* No acquire may wait longer than this: far above what the queue needs (a few windows). */
#define STRESS_BOUND_US  (2 * G_USEC_PER_SEC)

typedef struct _Stress Stress;

typedef struct {
  Stress       *stress;
  GMainContext *context;
  GRand        *rand;
  guint         index;
  guint         started;
  guint         completed;   /* acquires that came back, permit or error */
  guint         outstanding;
  gint64        worst_wait_us;
  gint64        last_progress;
} StressThread;

struct _Stress {
  MarketoPacer *pacer;
  GMutex        mutex;
  GArray       *counted_grants;  /* (element-type gint64) grants that left a trace */
  guint         held;            /* permits out now */
  guint         peak_held;
  guint         cancelled;
  guint         granted;
  guint         hung;            /* acquires that exceeded the bound */
  GAsyncQueue  *to_cancel;       /* (element-type GCancellable) for the canceller thread */
  gboolean      stop;
};

typedef struct {
  StressThread       *thread;
  GCancellable       *cancellable;  /* (owned) (nullable) */
  gint64              started_at;
  MarketoPacerPermit *permit;
  gboolean            counted;
} StressCall;

static void stress_next (StressThread *thread);

static void
stress_call_free (StressCall *call)
{
  g_clear_object (&call->cancellable);
  g_free (call);
}

static void
stress_give_back (StressCall *call,
                  gboolean    unused)
{
  Stress *stress = call->thread->stress;

  g_mutex_lock (&stress->mutex);
  stress->held--;
  g_mutex_unlock (&stress->mutex);
  if (unused)
    marketo_pacer_return_unused (stress->pacer, g_steal_pointer (&call->permit));
  else
    marketo_pacer_release (stress->pacer, g_steal_pointer (&call->permit), call->counted);
}

/* The end of a held permit: answered (sent before) or given back unsent. */
static gboolean
stress_hold_done_cb (gpointer user_data)
{
  StressCall *call = user_data;
  StressThread *thread = call->thread;

  stress_give_back (call, FALSE);
  stress_call_free (call);
  thread->outstanding--;
  stress_next (thread);
  return G_SOURCE_REMOVE;
}

static void
stress_acquired_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  StressCall *call = user_data;
  StressThread *thread = call->thread;
  Stress *stress = thread->stress;
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_monotonic_time ();
  guint action;

  g_assert_true (g_main_context_get_thread_default () == thread->context);
  call->permit = marketo_pacer_acquire_finish (MARKETO_PACER (source), result, &error);
  thread->completed++;
  thread->last_progress = now;
  thread->worst_wait_us = MAX (thread->worst_wait_us, now - call->started_at);

  g_mutex_lock (&stress->mutex);
  if (now - call->started_at > STRESS_BOUND_US)
    stress->hung++;
  if (call->permit == NULL)
    {
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      stress->cancelled++;
    }
  else
    {
      stress->granted++;
      stress->held++;
      stress->peak_held = MAX (stress->peak_held, stress->held);
    }
  g_mutex_unlock (&stress->mutex);

  if (call->permit == NULL)
    {
      stress_call_free (call);
      thread->outstanding--;
      stress_next (thread);
      return;
    }

  /* Granted after a cancel: given back unused, as the client does. */
  if (call->cancellable != NULL && g_cancellable_is_cancelled (call->cancellable))
    action = 0;
  else
    action = g_rand_int_range (thread->rand, 0, 6);

  if (action == 0 || action == 1)
    {
      /* Never sent */
      stress_give_back (call, TRUE);
      stress_call_free (call);
      thread->outstanding--;
      stress_next (thread);
      return;
    }

  call->counted = action != 2;
  g_mutex_lock (&stress->mutex);
  g_array_append_val (stress->counted_grants, now);
  g_mutex_unlock (&stress->mutex);

  if (action != 2)
    marketo_pacer_permit_sent (stress->pacer, call->permit);
  if (action == 3)
    marketo_pacer_permit_sent (stress->pacer, call->permit);  /* sent again on a new connection */

  if (action == 4)
    {
      /* Answered at once: a 0 ms call */
      stress_hold_done_cb (call);
    }
  else
    {
      GSource *hold = g_timeout_source_new (g_rand_int_range (thread->rand, 0, 4));

      g_source_set_callback (hold, stress_hold_done_cb, call, NULL);
      g_source_attach (hold, thread->context);
      g_source_unref (hold);
    }
}

static void
stress_next (StressThread *thread)
{
  Stress *stress = thread->stress;

  while (thread->outstanding < STRESS_OUTSTANDING && thread->started < STRESS_CALLS)
    {
      StressCall *call = g_new0 (StressCall, 1);
      guint kind = g_rand_int_range (thread->rand, 0, 10);

      call->thread = thread;
      call->started_at = g_get_monotonic_time ();
      if (kind < 4)
        call->cancellable = g_cancellable_new ();
      thread->started++;
      thread->outstanding++;
      marketo_pacer_acquire_async (stress->pacer, call->cancellable, stress_acquired_cb, call);
      if (kind == 0)
        g_cancellable_cancel (call->cancellable);  /* at once, in this thread */
      else if (kind < 4)
        g_async_queue_push (stress->to_cancel, g_object_ref (call->cancellable));
    }
}

static gboolean
stress_tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;  /* only wakes the loop below to look at the clock */
}

static gpointer
stress_thread_main (gpointer user_data)
{
  StressThread *thread = user_data;
  GSource *tick;

  thread->context = g_main_context_new ();
  g_main_context_push_thread_default (thread->context);
  /* The tick never calls the pacer: a lost wakeup stays lost, the loop just stops waiting. */
  tick = g_timeout_source_new (20);
  g_source_set_callback (tick, stress_tick_cb, NULL, NULL);
  g_source_attach (tick, thread->context);

  thread->last_progress = g_get_monotonic_time ();
  stress_next (thread);
  while (thread->completed < STRESS_CALLS || thread->outstanding > 0)
    {
      if (g_get_monotonic_time () - thread->last_progress > 2 * STRESS_BOUND_US)
        break;  /* stuck: the test fails below */
      g_main_context_iteration (thread->context, TRUE);
    }

  g_source_destroy (tick);
  g_source_unref (tick);
  while (g_main_context_pending (thread->context))
    g_main_context_iteration (thread->context, FALSE);
  g_main_context_pop_thread_default (thread->context);
  return NULL;
}

/* Cancels the cancellables it is given after a random 0-3 ms, from its own thread. */
static gpointer
stress_canceller_main (gpointer user_data)
{
  Stress *stress = user_data;
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  while (TRUE)
    {
      g_autoptr(GCancellable) cancellable = g_async_queue_timeout_pop (stress->to_cancel, 10000);

      if (cancellable == NULL)
        {
          if (g_atomic_int_get (&stress->stop))
            break;
          continue;
        }
      g_usleep (g_rand_int_range (rand, 0, 3000));
      g_cancellable_cancel (cancellable);
    }
  return NULL;
}

static void
test_stress (void)
{
  g_autoptr(MarketoPacer) pacer = marketo_pacer_new ();
  StressThread threads[STRESS_THREADS];
  GThread *workers[STRESS_THREADS];
  GThread *canceller;
  MarketoPacerStats stats;
  Stress stress = { 0, };
  guint64 seed = g_test_rand_int ();
  guint completed = 0;

  g_test_message ("seed %" G_GUINT64_FORMAT, seed);
  stress.pacer = pacer;
  g_mutex_init (&stress.mutex);
  stress.counted_grants = g_array_new (FALSE, FALSE, sizeof (gint64));
  stress.to_cancel = g_async_queue_new_full (g_object_unref);
  marketo_pacer_set_limits (pacer, STRESS_WINDOW_CALLS, STRESS_WINDOW_S, STRESS_IN_FLIGHT);
  /* Most calls are answered within the margin, some after it. */
  marketo_pacer_set_window_margin (pacer, 0.002);

  canceller = g_thread_new ("pacer-canceller", stress_canceller_main, &stress);
  for (guint t = 0; t < STRESS_THREADS; t++)
    {
      memset (&threads[t], 0, sizeof threads[t]);
      threads[t].stress = &stress;
      threads[t].index = t;
      threads[t].rand = g_rand_new_with_seed ((guint32) (seed + t));
      workers[t] = g_thread_new ("pacer-stress", stress_thread_main, &threads[t]);
    }
  for (guint t = 0; t < STRESS_THREADS; t++)
    g_thread_join (workers[t]);
  g_atomic_int_set (&stress.stop, TRUE);
  g_thread_join (canceller);

  for (guint t = 0; t < STRESS_THREADS; t++)
    {
      g_test_message ("thread %u: %u of %u acquires came back, worst wait %" G_GINT64_FORMAT " µs",
                      t, threads[t].completed, STRESS_CALLS, threads[t].worst_wait_us);
      completed += threads[t].completed;
      g_assert_cmpuint (threads[t].outstanding, ==, 0);
      g_main_context_unref (threads[t].context);
      g_rand_free (threads[t].rand);
    }
  g_test_message ("granted %u, cancelled %u", stress.granted, stress.cancelled);

  /* Every acquire came back, within the bound */
  g_assert_cmpuint (completed, ==, STRESS_THREADS * STRESS_CALLS);
  g_assert_cmpuint (stress.hung, ==, 0);
  g_assert_cmpuint (stress.granted + stress.cancelled, ==, completed);
  g_assert_cmpuint (stress.granted, >, completed / 2);

  /* Nothing lost: every permit came back to the pacer */
  marketo_pacer_get_stats (pacer, &stats);
  g_assert_cmpuint (stats.in_flight, ==, 0);
  g_assert_cmpuint (stats.waiting, ==, 0);
  g_assert_cmpuint (stats.granted, ==, stress.granted);
  g_assert_cmpuint (stats.peak_in_flight, <=, STRESS_IN_FLIGHT);
  g_assert_cmpuint (stress.peak_held, <=, STRESS_IN_FLIGHT);
  g_assert_cmpuint (stats.peak_window, <=, STRESS_WINDOW_CALLS);

  /* The grants that left a trace never crowd one window */
  g_array_sort (stress.counted_grants, compare_gint64);
  g_assert_cmpuint (busiest_window (stress.counted_grants,
                                    (gint64) (STRESS_WINDOW_S * G_USEC_PER_SEC)),
                    <=, STRESS_WINDOW_CALLS);

  g_async_queue_unref (stress.to_cancel);
  g_array_unref (stress.counted_grants);
  g_mutex_clear (&stress.mutex);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pacer/limits", test_limits_clamped);
  g_test_add_func ("/pacer/registry", test_registry);
  g_test_add_func ("/pacer/window", test_window);
  g_test_add_func ("/pacer/in-flight", test_in_flight);
  g_test_add_func ("/pacer/cancel", test_cancel);
  g_test_add_func ("/pacer/return-unused", test_return_unused);
  g_test_add_func ("/pacer/threads", test_threads);
  g_test_add_func ("/pacer/quota", test_quota);
  g_test_add_func ("/pacer/days", test_days);
  g_test_add_func ("/pacer/late-answer", test_late_answer);
  g_test_add_func ("/pacer/stress", test_stress);

  return g_test_run ();
}
