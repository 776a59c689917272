/* push-forecast.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "push-audience-types.h"
#include "push-forecast.h"

G_DEFINE_BOXED_TYPE (PushForecast, push_forecast, push_forecast_copy, push_forecast_free)

PushForecast *
push_forecast_compute (const PushForecastInput *input)
{
  PushForecast *forecast;
  guint64 calls;
  double rate_time = 0.0;
  double concurrency_time = 0.0;

  g_return_val_if_fail (input != NULL, NULL);

  forecast = g_new0 (PushForecast, 1);
  forecast->sync_type = input->sync_type;
  forecast->members = input->members;
  forecast->sendable = input->sendable;
  forecast->set_aside = input->set_aside;
  forecast->duplicates = input->duplicates;
  forecast->batches = (input->sendable + PUSH_FORECAST_BATCH_SIZE - 1) / PUSH_FORECAST_BATCH_SIZE;

  /* One Sync Leads call (or one lookup) per batch; one Add to List call per batch for the
   * list types; a name look-up and a create when the run makes its list. */
  calls = forecast->batches;
  if (push_sync_type_uses_list (input->sync_type))
    {
      calls += forecast->batches;
      if (input->needs_list && forecast->batches > 0)
        calls += 2;
    }
  forecast->api_calls = calls;

  forecast->daily_quota = input->daily_quota;
  forecast->quota_remaining = input->daily_quota > input->daily_used ?
                              input->daily_quota - input->daily_used : 0;
  if (calls == 0)
    forecast->quota_share = 0.0;
  else if (forecast->quota_remaining == 0)
    forecast->quota_share = G_MAXDOUBLE;
  else
    forecast->quota_share = (double) calls / (double) forecast->quota_remaining;
  forecast->exceeds_quota = calls > forecast->quota_remaining;

  if (input->window_calls > 0)
    rate_time = (double) calls * input->window_seconds / input->window_calls;
  if (input->max_in_flight > 0)
    concurrency_time = (double) calls * input->latency_seconds / input->max_in_flight;
  forecast->eta_seconds = MAX (rate_time, concurrency_time);

  return forecast;
}

PushForecast *
push_forecast_copy (const PushForecast *forecast)
{
  g_return_val_if_fail (forecast != NULL, NULL);
  return g_memdup2 (forecast, sizeof *forecast);
}

void
push_forecast_free (PushForecast *forecast)
{
  g_free (forecast);
}

JsonNode *
push_forecast_to_json (const PushForecast *forecast)
{
  g_autoptr(JsonObject) object = json_object_new ();
  JsonNode *node;

  g_return_val_if_fail (forecast != NULL, NULL);

  json_object_set_string_member (object, "sync_type",
                                 push_sync_type_to_string (forecast->sync_type));
  json_object_set_int_member (object, "members", (gint64) forecast->members);
  json_object_set_int_member (object, "sendable", (gint64) forecast->sendable);
  json_object_set_int_member (object, "set_aside", (gint64) forecast->set_aside);
  json_object_set_int_member (object, "duplicates", (gint64) forecast->duplicates);
  json_object_set_int_member (object, "batches", (gint64) forecast->batches);
  json_object_set_int_member (object, "api_calls", (gint64) forecast->api_calls);
  json_object_set_int_member (object, "daily_quota", (gint64) forecast->daily_quota);
  json_object_set_int_member (object, "quota_remaining", (gint64) forecast->quota_remaining);
  if (forecast->quota_share < G_MAXDOUBLE)
    json_object_set_double_member (object, "quota_share", forecast->quota_share);
  else
    json_object_set_null_member (object, "quota_share");
  json_object_set_boolean_member (object, "exceeds_quota", forecast->exceeds_quota);
  json_object_set_double_member (object, "eta_seconds", round (forecast->eta_seconds * 10) / 10);

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, object);
  return node;
}

PushForecast *
push_forecast_new_from_json (JsonNode *node)
{
  PushForecast *forecast;
  JsonObject *object;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  object = json_node_get_object (node);

  forecast = g_new0 (PushForecast, 1);
  if (!push_sync_type_from_string (json_object_get_string_member_with_default (object,
                                                                               "sync_type", ""),
                                   &forecast->sync_type))
    forecast->sync_type = PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE;
  forecast->members = json_object_get_int_member_with_default (object, "members", 0);
  forecast->sendable = json_object_get_int_member_with_default (object, "sendable", 0);
  forecast->set_aside = json_object_get_int_member_with_default (object, "set_aside", 0);
  forecast->duplicates = json_object_get_int_member_with_default (object, "duplicates", 0);
  forecast->batches = json_object_get_int_member_with_default (object, "batches", 0);
  forecast->api_calls = json_object_get_int_member_with_default (object, "api_calls", 0);
  forecast->daily_quota = json_object_get_int_member_with_default (object, "daily_quota", 0);
  forecast->quota_remaining = json_object_get_int_member_with_default (object,
                                                                       "quota_remaining", 0);
  if (json_object_has_member (object, "quota_share") &&
      !json_object_get_null_member (object, "quota_share"))
    forecast->quota_share = json_object_get_double_member (object, "quota_share");
  else
    forecast->quota_share = forecast->api_calls > 0 ? G_MAXDOUBLE : 0.0;
  forecast->exceeds_quota = json_object_get_boolean_member_with_default (object,
                                                                         "exceeds_quota",
                                                                         FALSE);
  forecast->eta_seconds = json_object_get_double_member_with_default (object, "eta_seconds",
                                                                      0.0);
  return forecast;
}

static char *
describe_duration (double seconds)
{
  guint64 s = (guint64) ceil (MAX (seconds, 0.0));
  guint64 m;

  if (s < 60)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u second", "%u seconds", (gulong) s),
                            (guint) s);

  /* Rounded to the minute, so 59 min 30 s reads "1 h 00 min", not "60 minutes" */
  m = (s + 30) / 60;
  if (m < 60)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u minute", "%u minutes", (gulong) m),
                            (guint) m);

  /* Translators: a duration, e.g. "2 h 05 min" */
  return g_strdup_printf (_("%u h %02u min"), (guint) (m / 60), (guint) (m % 60));
}

char *
push_forecast_describe (const PushForecast *forecast)
{
  g_autofree char *members = NULL;
  g_autofree char *batches = NULL;
  g_autofree char *calls = NULL;
  g_autofree char *remaining = NULL;
  g_autofree char *duration = NULL;
  g_autofree char *share = NULL;
  g_autofree char *people_text = NULL;
  g_autofree char *batches_text = NULL;
  g_autofree char *calls_text = NULL;

  g_return_val_if_fail (forecast != NULL, NULL);

  members = push_audience_format_count (forecast->sendable);
  batches = push_audience_format_count (forecast->batches);
  calls = push_audience_format_count (forecast->api_calls);
  remaining = push_audience_format_count (forecast->quota_remaining);
  duration = describe_duration (forecast->eta_seconds);
  if (forecast->quota_share >= G_MAXDOUBLE)
    share = g_strdup ("∞");
  else
    share = g_strdup_printf ("%.1f", forecast->quota_share * 100.0);

  /* Each count with its own plural form, then the sentence. */
  people_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s person to send",
                                              "%s people to send",
                                              (gulong) MIN (forecast->sendable, G_MAXULONG)),
                                 members);
  batches_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s batch", "%s batches",
                                               (gulong) MIN (forecast->batches, G_MAXULONG)),
                                  batches);
  calls_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "about %s API call",
                                             "about %s API calls",
                                             (gulong) MIN (forecast->api_calls, G_MAXULONG)),
                                calls);

  /* Translators: "18,204 people to send" in "61 batches": "about 122 API calls" (0.3 % of the
   * 48,112 calls left today), about 4 minutes */
  return g_strdup_printf (_("%s in %s: %s (%s %% of the %s calls left today), about %s"),
                          people_text, batches_text, calls_text, share, remaining, duration);
}
