/* marketo-pacer.h: keeps the calls to one Marketo instance under its limits
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A Marketo instance allows a number of calls per sliding window (100 per 20 s), a number of
 * calls in flight (10) and a daily quota (50 000 by default, reset at 00:00 US Central), all
 * shared by every integration that uses it. A MarketoPacer hands out permits so that the
 * calls of this process stay under a budget (by default 50 calls / 20 s and 5 in flight, as
 * Adobe suggests for one integration; an account may raise it up to the instance limits).
 *
 * One pacer per instance: every MarketoClient of an endpoint uses
 * marketo_pacer_get_for_endpoint() unless given another one. The pacer is thread-safe: the
 * clients of the main thread and of worker threads (each with its own GMainContext) share it,
 * and waiters are served first come, first served.
 *
 * How the window is kept: Marketo counts a call when its request arrives, somewhere between
 * our send and its answer. A permit therefore occupies the window from the moment it is
 * granted until one window after the earlier of (a) its answer and (b) its send plus a margin
 * (2 % of the window, at least 20 ms, settable: the time we allow for the request to reach
 * the server and be counted). Calls answered quickly free their slot one window after the answer; slow
 * calls one window after send + margin. The server's sliding window then never sees more than
 * the budget, and throughput stays within a few percent of it.
 *
 * A slow answer is not always a call counted early and then worked on: a busy server may take
 * the request in late and answer at once. So once a call is answered, its slot is held until
 * one window after the later of send + margin and the answer less the quickest recent answer
 * time (what the server takes at least after counting), never after the answer itself.
 */
#pragma once

#include <gio/gio.h>

#include "marketo-error.h"
#include "marketo-usage-store.h"

G_BEGIN_DECLS

#define MARKETO_PACER_DEFAULT_WINDOW_CALLS      50
#define MARKETO_PACER_DEFAULT_WINDOW_SECONDS    20.0
#define MARKETO_PACER_DEFAULT_MAX_IN_FLIGHT      5
#define MARKETO_PACER_DEFAULT_DAILY_QUOTA    50000
/* The instance limits: a budget is clamped to these. */
#define MARKETO_PACER_LIMIT_WINDOW_CALLS       100
#define MARKETO_PACER_LIMIT_IN_FLIGHT           10

#define MARKETO_TYPE_PACER (marketo_pacer_get_type ())
G_DECLARE_FINAL_TYPE (MarketoPacer, marketo_pacer, MARKETO, PACER, GObject)

/* A granted call; give it back with marketo_pacer_release(). */
typedef struct _MarketoPacerPermit MarketoPacerPermit;

/* Counters, for tests, benchmarks and the UI. */
typedef struct {
  guint64 granted;          /* permits granted since creation */
  guint64 waited;           /* of which had to wait */
  guint   in_flight;        /* now */
  guint   peak_in_flight;   /* the most permits ever out at once */
  guint   peak_window;      /* the most permits ever in one window */
  guint   waiting;          /* callers queued now */
} MarketoPacerStats;

/* A pacer with the default budget and quota and a MarketoMemoryUsageStore. */
MarketoPacer      *marketo_pacer_new               (void);

/* The process-wide pacer of @endpoint ("scheme://host[:port]"), created on first use.
 * (transfer full) */
MarketoPacer      *marketo_pacer_get_for_endpoint  (const char          *endpoint);

/* @window_calls per @window_seconds and @max_in_flight; clamped to 1 … the instance limits
 * (the window to at least 0.1 s, so tests and benchmarks can compress time). Takes effect
 * at once, including for callers already waiting. */
void               marketo_pacer_set_limits        (MarketoPacer        *self,
                                                    guint                window_calls,
                                                    double               window_seconds,
                                                    guint                max_in_flight);
void               marketo_pacer_get_limits        (MarketoPacer        *self,
                                                    guint               *window_calls,
                                                    double              *window_seconds,
                                                    guint               *max_in_flight);

/* How long after our send Marketo is assumed to have counted a call that has not been
 * answered yet (see above). A negative value restores the default, 2 % of the window with a
 * floor of 20 ms. A larger margin is safer on a slow uplink and costs throughput only when
 * the window, not the in-flight cap, is what limits. */
void               marketo_pacer_set_window_margin (MarketoPacer        *self,
                                                    double               margin_seconds);
double             marketo_pacer_get_window_margin (MarketoPacer        *self);

/* The daily quota (default 50 000). Once the day's count reaches it, acquiring fails with
 * MARKETO_ERROR_QUOTA_LOCAL carrying the reset time (marketo_error_get_reset_time()). */
void               marketo_pacer_set_daily_quota   (MarketoPacer        *self,
                                                    guint                daily_quota);
guint              marketo_pacer_get_daily_quota   (MarketoPacer        *self);

/* Where the day's count is kept; the count of the current day is loaded from it at once. */
void               marketo_pacer_set_usage_store   (MarketoPacer        *self,
                                                    MarketoUsageStore   *store);
MarketoUsageStore *marketo_pacer_get_usage_store   (MarketoPacer        *self);

/* The calls counted today (US Central day), including the ones in flight. */
guint64            marketo_pacer_get_daily_count   (MarketoPacer        *self);

/* Marketo answered 607: the day's quota is used up whatever the local count says. */
void               marketo_pacer_mark_quota_exhausted (MarketoPacer     *self);

/* Waits for a permit. The callback runs in the thread-default main context of the caller.
 * Fails with MARKETO_ERROR_QUOTA_LOCAL when the daily quota is used up, or
 * G_IO_ERROR_CANCELLED. */
void               marketo_pacer_acquire_async     (MarketoPacer        *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
MarketoPacerPermit *marketo_pacer_acquire_finish   (MarketoPacer        *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

/* The permit's request has been sent in full: its window occupancy ends a window later. */
void               marketo_pacer_permit_sent       (MarketoPacer        *self,
                                                    MarketoPacerPermit  *permit);
/* Gives back a permit whose request was never sent (cancelled before it went out): it leaves
 * no trace in the window and is not counted. Frees it. */
void               marketo_pacer_return_unused     (MarketoPacer        *self,
                                                    MarketoPacerPermit  *permit);
/* Gives the permit back (frees it). @counted: FALSE when Marketo does not count the call
 * against the quota (601/602 answers, a connection that never reached it). */
void               marketo_pacer_release           (MarketoPacer        *self,
                                                    MarketoPacerPermit  *permit,
                                                    gboolean             counted);

void               marketo_pacer_get_stats         (MarketoPacer        *self,
                                                    MarketoPacerStats   *stats);

/* The day key of @time ("YYYY-MM-DD", its date in America/Chicago); NULL @time means now. */
char              *marketo_pacer_day_key           (GDateTime           *time);
/* The first 00:00 America/Chicago after @time (NULL means now), when the quota resets. */
GDateTime         *marketo_pacer_quota_reset_time  (GDateTime           *time);

G_END_DECLS
