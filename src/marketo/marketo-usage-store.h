/* marketo-usage-store.h: where the pacer keeps the day's API call count
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The daily quota of a Marketo instance resets at 00:00 US Central time. The pacer counts
 * the calls of each day under a day key ("YYYY-MM-DD", the date in America/Chicago, see
 * marketo_pacer_day_key()) and keeps the count in a MarketoUsageStore, so that two runs on
 * the same day see the same count. MarketoMemoryUsageStore is the in-memory implementation;
 * the app implements it on its SQLite store.
 *
 * Implementations are called from any thread (whichever thread a call finishes in), so they
 * must be thread-safe; load_count may be called with the pacer's lock held, so it must be
 * quick and must never call back into the pacer.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define MARKETO_TYPE_USAGE_STORE (marketo_usage_store_get_type ())
G_DECLARE_INTERFACE (MarketoUsageStore, marketo_usage_store, MARKETO, USAGE_STORE, GObject)

struct _MarketoUsageStoreInterface
{
  GTypeInterface parent_iface;

  /* The number of calls counted so far under @day_key (0 for a day never seen). */
  gboolean (*load_count) (MarketoUsageStore  *self,
                          const char         *day_key,
                          guint64            *out_count,
                          GError            **error);
  /* Adds @n_calls to the count of @day_key. */
  gboolean (*add_calls)  (MarketoUsageStore  *self,
                          const char         *day_key,
                          guint64             n_calls,
                          GError            **error);
};

gboolean marketo_usage_store_load_count (MarketoUsageStore  *self,
                                         const char         *day_key,
                                         guint64            *out_count,
                                         GError            **error);
gboolean marketo_usage_store_add_calls  (MarketoUsageStore  *self,
                                         const char         *day_key,
                                         guint64             n_calls,
                                         GError            **error);

G_END_DECLS
