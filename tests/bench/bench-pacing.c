/* bench-pacing.c: how close the client's pacer gets to its budget
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Starts a sandbox with the instance limits compressed tenfold in time (100 calls per 2 s,
 * 10 in flight) and a latency of 100 ms + 3 ms per record (1,000 ms for a 300-record call),
 * then drives Sync Leads calls of 300 records through one MarketoClient, all queued at once
 * as a runner would, under three budgets:
 *
 *   default   50 calls / 2 s, 5 in flight   (Adobe's advice for one integration, compressed)
 *   full     100 calls / 2 s, 10 in flight  (the instance limits)
 *   window    50 calls / 2 s, 5 in flight, but 100 ms calls: the window, not the in-flight
 *             cap, is what limits (the whole timeline compressed, as in real life where a
 *             1 s call meets a 20 s window)
 *
 * The ceiling of a budget is what it allows at best: min (calls / window, in-flight /
 * latency), the latency being the sandbox's model for the call.
 *
 * How the rate is measured: a sliding window lets the first window's worth of calls go at
 * once, so a short run measured from its first call looks faster than the budget (with the
 * window budget, 50 calls leave in the first instant). And calls leave in groups: when the
 * in-flight cap limits, five answers come back together and five calls leave together; when
 * the window limits, slots free up as a burst one window after the previous burst. Counting
 * calls over an arbitrary span therefore mixes in part of a group. We measure the steady state
 * over whole periods: from the sandbox's request log (when each request was read), skip the
 * calls of the first window, then take m whole periods of P calls starting at the first call
 * after it (P = the budget's window calls when the window limits, its in-flight cap when that
 * limits) and divide m × P by the time between the first call of the span and the first call
 * after it. Both ends are at the same phase of the cycle, so this is the rate a long run
 * sustains.
 *
 * Usage: bench-pacing [N-default [N-full [N-window]]] (calls per budget; default 60 120 250).
 * Last line: RESULT ratio=… ceiling_calls_per_s=… calls_per_s=… e606=… e615=…: the figures of
 * the worst budget, and the 606/615 answers of all three runs.
 */
#include "config.h"

#include <stdlib.h>

#include <json-glib/json-glib.h>

#include "marketo-client.h"
#include "marketo-sandbox.h"

#define RECORDS_PER_CALL     300
#define SANDBOX_WINDOW_S     2.0
#define SANDBOX_WINDOW_CALLS 100
#define SANDBOX_CONCURRENCY  10
#define EMAIL_POOL           3000

typedef struct {
  const char *name;
  guint       window_calls;
  guint       in_flight;
  double      latency_base_ms;
  double      latency_per_record_ms;
  guint       calls;
} Budget;

typedef struct {
  double  ceiling;
  double  rate;
  double  ratio;
  guint64 e606;
  guint64 e615;
} Outcome;

typedef struct {
  guint done;
  guint failed;
} Progress;

static JsonArray *
make_records (guint call)
{
  static const char *first_names[] = { "Ana", "Bo", "Chen", "Dara", "Eli", "Fatou", "Goran", "Hana" };
  static const char *cities[] = { "Lyon", "Austin", "Osaka", "Porto", "Turku", "Leeds", "Cork" };
  JsonArray *records = json_array_new ();

  for (guint i = 0; i < RECORDS_PER_CALL; i++)
    {
      JsonObject *lead = json_object_new ();
      guint person = (call * RECORDS_PER_CALL + i) % EMAIL_POOL;
      g_autofree char *email = g_strdup_printf ("bench.person.%05u@example.com", person);
      g_autofree char *customer = g_strdup_printf ("C%07u", person);

      json_object_set_string_member (lead, "email", email);
      json_object_set_string_member (lead, "firstName", first_names[person % G_N_ELEMENTS (first_names)]);
      json_object_set_string_member (lead, "lastName", "Benchmark");
      json_object_set_string_member (lead, "company", "Example Industries");
      json_object_set_string_member (lead, "city", cities[person % G_N_ELEMENTS (cities)]);
      json_object_set_string_member (lead, "customerNumber", customer);
      json_object_set_int_member (lead, "leadScore", person % 100);
      json_array_add_object_element (records, lead);
    }
  return records;
}

static void
synced_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Progress *progress = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = NULL;

  results = marketo_client_sync_leads_finish (MARKETO_CLIENT (source), result, &error);
  if (results == NULL)
    {
      g_printerr ("sync failed: %s\n", error->message);
      progress->failed++;
    }
  progress->done++;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static gboolean
run_budget (const Budget  *budget,
            Outcome       *outcome)
{
  g_autoptr(MarketoSandbox) sandbox = marketo_sandbox_new ();
  g_autoptr(MarketoClient) client = NULL;
  g_autoptr(MarketoPacer) pacer = marketo_pacer_new ();
  g_autoptr(GPtrArray) log = NULL;
  g_autoptr(GArray) starts = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) batches = g_ptr_array_new_with_free_func ((GDestroyNotify) json_array_unref);
  g_autoptr(GError) error = NULL;
  g_autofree char *endpoint = NULL;
  MarketoClientStats stats;
  Progress progress = { 0, };
  double latency_s, window_rate, flight_rate;
  gint64 steady_from, span, wall;
  guint first = 0, period, periods, k;
  guint server_606 = 0, server_615 = 0;

  g_object_set (sandbox, "lead-count", 100, "seed", (guint64) 3,
                "window-seconds", SANDBOX_WINDOW_S, "window-calls", SANDBOX_WINDOW_CALLS,
                "max-concurrency", SANDBOX_CONCURRENCY,
                "latency-base-ms", budget->latency_base_ms,
                "latency-per-record-ms", budget->latency_per_record_ms, NULL);
  if (!marketo_sandbox_start (sandbox, 0, &error))
    {
      g_printerr ("sandbox: %s\n", error->message);
      return FALSE;
    }
  endpoint = marketo_sandbox_dup_endpoint (sandbox);
  client = marketo_client_new (endpoint, marketo_sandbox_get_client_id (sandbox),
                               marketo_sandbox_get_client_secret (sandbox), &error);
  if (client == NULL)
    {
      g_printerr ("client: %s\n", error->message);
      return FALSE;
    }
  marketo_pacer_set_limits (pacer, budget->window_calls, SANDBOX_WINDOW_S, budget->in_flight);
  marketo_client_set_pacer (client, pacer);

  /* The data is made before the clock starts. */
  for (guint i = 0; i < budget->calls; i++)
    g_ptr_array_add (batches, make_records (i));

  wall = g_get_monotonic_time ();
  for (guint i = 0; i < budget->calls; i++)
    marketo_client_sync_leads_async (client, MARKETO_SYNC_CREATE_OR_UPDATE, "email", NULL,
                                     g_ptr_array_index (batches, i), NULL, synced_cb, &progress);
  while (progress.done < budget->calls)
    g_main_context_iteration (NULL, TRUE);
  wall = g_get_monotonic_time () - wall;

  marketo_client_get_stats (client, &stats);
  log = marketo_sandbox_dup_request_log (sandbox);
  for (guint i = 0; i < log->len; i++)
    {
      MarketoSandboxRequest *entry = g_ptr_array_index (log, i);

      if (entry->code == 606)
        server_606++;
      else if (entry->code == 615)
        server_615++;
      if (g_str_equal (entry->path, "/rest/v1/leads.json") && entry->http_status == 200
          && entry->code == 0)
        g_array_append_val (starts, entry->start_us);
    }
  marketo_sandbox_stop (sandbox);

  g_array_sort (starts, compare_gint64);
  latency_s = (budget->latency_base_ms + budget->latency_per_record_ms * RECORDS_PER_CALL) / 1000.0;
  window_rate = budget->window_calls / SANDBOX_WINDOW_S;
  flight_rate = budget->in_flight / latency_s;
  period = window_rate < flight_rate ? budget->window_calls : budget->in_flight;

  steady_from = g_array_index (starts, gint64, 0) + (gint64) (SANDBOX_WINDOW_S * G_USEC_PER_SEC);
  while (first < starts->len && g_array_index (starts, gint64, first) < steady_from)
    first++;
  periods = first < starts->len ? (starts->len - 1 - first) / period : 0;
  if (periods == 0)
    {
      g_printerr ("%s: too few calls for a steady-state measure (need more than %u)\n",
                  budget->name, first + period + 1);
      return FALSE;
    }
  span = g_array_index (starts, gint64, first + periods * period) - g_array_index (starts, gint64, first);

  outcome->ceiling = MIN (window_rate, flight_rate);
  outcome->rate = (double) (periods * period) / (span / 1e6);
  outcome->ratio = outcome->rate / outcome->ceiling;
  outcome->e606 = MAX (stats.received_606, server_606);
  outcome->e615 = MAX (stats.received_615, server_615);
  k = periods * period;

  g_print ("budget=%s window=%u/%.1fs in_flight=%u latency=%.0fms calls=%u failed=%u "
           "wall=%.2fs steady_calls=%u limited_by=%s\n",
           budget->name, budget->window_calls, SANDBOX_WINDOW_S, budget->in_flight,
           latency_s * 1000, budget->calls, progress.failed, wall / 1e6, k,
           window_rate < flight_rate ? "window" : "in-flight");
  g_print ("RESULT[%s] ratio=%.3f ceiling_calls_per_s=%.2f calls_per_s=%.2f e606=%" G_GUINT64_FORMAT
           " e615=%" G_GUINT64_FORMAT "\n",
           budget->name, outcome->ratio, outcome->ceiling, outcome->rate, outcome->e606,
           outcome->e615);
  return progress.failed == 0;
}

int
main (int    argc,
      char **argv)
{
  Budget budgets[] = {
    { "default", 50, 5, 100, 3, 60 },
    { "full", 100, 10, 100, 3, 120 },
    { "window", 50, 5, 10, 0.3, 250 },
  };
  Outcome worst = { 0, };
  guint64 e606 = 0, e615 = 0;
  gboolean ok = TRUE;

  for (int i = 1; i < argc && i <= (int) G_N_ELEMENTS (budgets); i++)
    budgets[i - 1].calls = MAX (atoi (argv[i]), 3);

  for (guint i = 0; i < G_N_ELEMENTS (budgets); i++)
    {
      Outcome outcome = { 0, };

      ok &= run_budget (&budgets[i], &outcome);
      if (i == 0 || outcome.ratio < worst.ratio)
        worst = outcome;
      e606 += outcome.e606;
      e615 += outcome.e615;
    }

  /* The worst budget's figures, with the 606/615 counts of every run. */
  g_print ("RESULT ratio=%.3f ceiling_calls_per_s=%.2f calls_per_s=%.2f e606=%" G_GUINT64_FORMAT
           " e615=%" G_GUINT64_FORMAT "\n",
           worst.ratio, worst.ceiling, worst.rate, e606, e615);
  return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
