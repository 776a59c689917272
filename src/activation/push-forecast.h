/* push-forecast.h: what an activation will cost before it starts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the activation (which refuses to spend more than today's remaining quota without
 * the user's confirmation) and the preview. Pure arithmetic on counts the caller gathered;
 * no I/O.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "push-destination.h"

G_BEGIN_DECLS

/* Records per Sync Leads call, ids per Add to List call, values per lookup: Marketo's cap. */
#define PUSH_FORECAST_BATCH_SIZE 300

/**
 * PushForecastInput:
 * @sync_type: what the destination does
 * @members: the audience's rows still to be handled (every row of a new run)
 * @sendable: how many of them will be sent (valid and the last of their dedupe value)
 * @set_aside: rows with a problem (not sent)
 * @duplicates: rows whose dedupe value a later row repeats (not sent)
 * @needs_list: a list must still be created or looked up (a name look-up and a create)
 * @daily_quota: the account's daily API quota
 * @daily_used: the calls already counted today
 * @window_calls: the pacer's budget: calls per window …
 * @window_seconds: … of this many seconds
 * @max_in_flight: the pacer's budget of calls at once
 * @latency_seconds: a measured (or guessed) time per call; 0 when unknown
 */
typedef struct {
  PushSyncType  sync_type;
  guint64       members;
  guint64       sendable;
  guint64       set_aside;
  guint64       duplicates;
  gboolean      needs_list;
  guint64       daily_quota;
  guint64       daily_used;
  guint         window_calls;
  double        window_seconds;
  guint         max_in_flight;
  double        latency_seconds;
} PushForecastInput;

/**
 * PushForecast:
 * @members, @sendable, @set_aside, @duplicates: as given
 * @batches: the Sync Leads (or lookup) batches of up to 300 people
 * @api_calls: the calls the run is expected to make (batches, list additions, the list)
 * @quota_remaining: the calls left today (0 when the quota is used up)
 * @quota_share: @api_calls / @quota_remaining (G_MAXDOUBLE when nothing remains; 0 for a run
 *   without calls)
 * @exceeds_quota: @api_calls > @quota_remaining: the run needs the user's confirmation
 * @eta_seconds: the time the calls take at the pacer's budget (the window rate, or the
 *   calls at once over the latency when that is slower)
 */
typedef struct {
  PushSyncType  sync_type;
  guint64       members;
  guint64       sendable;
  guint64       set_aside;
  guint64       duplicates;
  guint64       batches;
  guint64       api_calls;
  guint64       daily_quota;
  guint64       quota_remaining;
  double        quota_share;
  gboolean      exceeds_quota;
  double        eta_seconds;
} PushForecast;

#define PUSH_TYPE_FORECAST (push_forecast_get_type ())
GType         push_forecast_get_type   (void) G_GNUC_CONST;
PushForecast *push_forecast_compute    (const PushForecastInput *input);
PushForecast *push_forecast_copy       (const PushForecast      *forecast);
void          push_forecast_free       (PushForecast            *forecast);
/* {"sync_type": "audience-and-profile", "members": …, "api_calls": …, …} */
JsonNode     *push_forecast_to_json    (const PushForecast      *forecast);
PushForecast *push_forecast_new_from_json (JsonNode             *node);
/* One translated sentence: "18,204 people in 61 batches: about 122 API calls (1 % of the
 * 48,112 left today), about 4 minutes". */
char         *push_forecast_describe   (const PushForecast      *forecast);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PushForecast, push_forecast_free)

G_END_DECLS
