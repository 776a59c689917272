/* push-run-alerts.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "push-audience-fingerprint.h"
#include "push-run-alerts.h"

/* ---- Formatting ------------------------------------------------------------------------ */

char *
push_run_format_count (guint64 count)
{
  /* The ' flag groups thousands the way the locale does. */
  return g_strdup_printf ("%'" G_GUINT64_FORMAT, count);
}

char *
push_run_format_duration (double seconds)
{
  guint64 s;

  if (seconds < 0 || seconds != seconds)
    seconds = 0;
  s = (guint64) (seconds + 0.5);

  if (s < 60)
    /* Translators: a duration in seconds */
    return g_strdup_printf (_("%u s"), (guint) s);
  if (s < 3600)
    {
      if (s % 60 == 0)
        /* Translators: a duration in minutes */
        return g_strdup_printf (_("%u min"), (guint) (s / 60));
      /* Translators: a duration in minutes and seconds */
      return g_strdup_printf (_("%u min %u s"), (guint) (s / 60), (guint) (s % 60));
    }
  if (s < 86400)
    {
      if ((s / 60) % 60 == 0)
        /* Translators: a duration in hours */
        return g_strdup_printf (_("%u h"), (guint) (s / 3600));
      /* Translators: a duration in hours and minutes */
      return g_strdup_printf (_("%u h %u min"), (guint) (s / 3600), (guint) ((s / 60) % 60));
    }
  /* Translators: a duration in days and hours */
  return g_strdup_printf (_("%u d %u h"), (guint) (s / 86400), (guint) ((s / 3600) % 24));
}

char *
push_run_format_quota_reset (GDateTime *reset,
                             GDateTime *now)
{
  g_autoptr(GDateTime) local_reset = NULL;
  g_autoptr(GDateTime) local_now = NULL;
  g_autoptr(GDateTime) current = NULL;
  g_autofree char *when = NULL;
  g_autofree char *wait = NULL;
  GTimeSpan left;

  if (reset == NULL)
    return g_strdup (_("Daily API quota reached. The run can be resumed once the quota resets."));

  if (now == NULL)
    now = current = g_date_time_new_now_utc ();

  local_reset = g_date_time_to_local (reset);
  local_now = g_date_time_to_local (now);
  if (g_date_time_get_year (local_reset) == g_date_time_get_year (local_now)
      && g_date_time_get_day_of_year (local_reset) == g_date_time_get_day_of_year (local_now))
    when = g_date_time_format (local_reset, "%H:%M");
  else
    /* Translators: a time on another day, in g_date_time_format() terms: "Tue 07:00" */
    when = g_date_time_format (local_reset, _("%a %H:%M"));

  left = g_date_time_difference (reset, now);
  if (left <= 0)
    /* Translators: %s is a time of day, "07:00" */
    return g_strdup_printf (_("Daily API quota reached. It was reset at %s: the run can be "
                              "resumed."), when);

  /* Round the wait up to the minute: never promise it sooner than it is. */
  wait = push_run_format_duration (((left + 60 * G_TIME_SPAN_SECOND - 1) / G_TIME_SPAN_MINUTE)
                                   * 60.0);
  /* Translators: %s are a time of day ("07:00") and a duration ("5 h 12 min") */
  return g_strdup_printf (_("Daily API quota reached. It resets at %s (in %s)."), when, wait);
}

char *
push_run_format_short_fingerprint (const char *fingerprint)
{
  g_autoptr(PushAudienceFingerprint) parsed = NULL;

  if (fingerprint == NULL || fingerprint[0] == '\0')
    return g_strdup ("");

  parsed = push_audience_fingerprint_from_string (fingerprint, NULL);
  if (parsed == NULL || parsed->hash == NULL)
    return g_strdup ("");

  return g_strndup (parsed->hash, 8);
}

/* ---- Alerts ---------------------------------------------------------------------------- */

PushRunAlertKind
push_run_alert_kind_for_run (const PushRunInfo *info)
{
  g_return_val_if_fail (info != NULL, PUSH_RUN_ALERT_NONE);

  switch (info->state)
    {
    case PUSH_RUN_STATE_COMPLETED:
      /* As the CLI's exit status 3: members Marketo rejected, or that were not sent because
       * their rows have problems. */
      return info->counts.rejected > 0 || info->counts.failed > 0 || info->counts.set_aside > 0
             ? PUSH_RUN_ALERT_COMPLETED_WITH_REJECTIONS : PUSH_RUN_ALERT_COMPLETED;
    case PUSH_RUN_STATE_FAILED:
      return PUSH_RUN_ALERT_FAILED;
    case PUSH_RUN_STATE_PAUSED:
      return PUSH_RUN_ALERT_QUOTA_PAUSE;
    case PUSH_RUN_STATE_PENDING:
    case PUSH_RUN_STATE_RUNNING:
    case PUSH_RUN_STATE_CANCELLED:
    case PUSH_RUN_STATE_INTERRUPTED:
    default:
      return PUSH_RUN_ALERT_NONE;
    }
}

PushAlertFlags
push_run_alert_kind_get_flag (PushRunAlertKind kind)
{
  switch (kind)
    {
    case PUSH_RUN_ALERT_COMPLETED:
      return PUSH_ALERT_ON_COMPLETION;
    case PUSH_RUN_ALERT_COMPLETED_WITH_REJECTIONS:
      return PUSH_ALERT_ON_COMPLETION_WITH_REJECTIONS;
    case PUSH_RUN_ALERT_FAILED:
      return PUSH_ALERT_ON_FAILURE;
    case PUSH_RUN_ALERT_QUOTA_PAUSE:
      return PUSH_ALERT_ON_QUOTA_PAUSE;
    case PUSH_RUN_ALERT_NONE:
    default:
      return PUSH_ALERT_NONE;
    }
}

PushAlertFlags
push_run_alerts_get_flags (const PushRunInfo *info)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(PushDestination) destination = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (info != NULL, PUSH_ALERT_NONE);

  if (info->destination_document != NULL)
    {
      parser = json_parser_new_immutable ();
      if (json_parser_load_from_data (parser, info->destination_document, -1, &error))
        destination = push_destination_new_from_json (json_parser_get_root (parser), NULL,
                                                      &error);
      if (destination == NULL)
        g_debug ("Run %s: its destination could not be read (%s); default alerts", info->id,
                 error->message);
    }

  if (destination == NULL)
    destination = push_destination_new ();

  return push_destination_get_alerts (destination);
}

char *
push_run_alerts_dup_notification_id (const char *run_id)
{
  g_return_val_if_fail (run_id != NULL, NULL);

  return g_strconcat ("run-", run_id, NULL);
}

char *
push_run_alerts_dup_audience_name (PushAudiences *audiences,
                                   const char    *audience_path)
{
  g_autofree char *base = NULL;
  char *dot;

  g_return_val_if_fail (!audiences || PUSH_IS_AUDIENCES (audiences), NULL);

  if (audience_path == NULL || audience_path[0] == '\0')
    return g_strdup (_("Audience"));

  if (audiences != NULL)
    {
      PushAudienceEntry *entry = push_audiences_find_by_path (audiences, audience_path);

      if (entry != NULL && push_audience_entry_get_name (entry)[0] != '\0')
        return g_strdup (push_audience_entry_get_name (entry));
    }

  base = g_path_get_basename (audience_path);
  dot = strrchr (base, '.');
  if (dot != NULL && dot != base)
    *dot = '\0';

  return g_steal_pointer (&base);
}

/* One part of a summary: "800 created". */
static char *
format_part (guint       which,
             const char *number)
{
  switch (which)
    {
    /* Translators: %s is a number of people */
    case 0: return g_strdup_printf (_("%s created"), number);
    /* Translators: %s is a number of people */
    case 1: return g_strdup_printf (_("%s updated"), number);
    /* Translators: %s is a number of people */
    case 2: return g_strdup_printf (_("%s added to the list"), number);
    /* Translators: %s is a number of people */
    case 3: return g_strdup_printf (_("%s not found"), number);
    /* Translators: %s is a number of people */
    case 4: return g_strdup_printf (_("%s with several matches"), number);
    /* Translators: %s is a number of people */
    case 5: return g_strdup_printf (_("%s rejected"), number);
    /* Translators: %s is a number of people */
    case 6: return g_strdup_printf (_("%s failed"), number);
    /* Translators: %s is a number of people */
    case 7: return g_strdup_printf (_("%s set aside"), number);
    /* Translators: %s is a number of rows */
    case 8: return g_strdup_printf (_("%s duplicates"), number);
    default: g_return_val_if_reached (NULL);
    }
}

char *
push_run_format_counts_summary (const PushRunCounts *counts)
{
  GString *text = g_string_new (NULL);
  guint64 per_member_sum = counts->created + counts->updated + counts->not_found +
                           counts->multiple_matches + counts->set_aside + counts->duplicates +
                           counts->rejected + counts->failed;
  /* Members whose own outcome is "added to list" (Audience only); for Audience and profile
   * the additions are the created and updated people. */
  guint64 added = counts->members > per_member_sum ? counts->members - per_member_sum : 0;
  const guint64 values[] = {
    counts->created, counts->updated, added, counts->not_found, counts->multiple_matches,
    counts->rejected, counts->failed, counts->set_aside, counts->duplicates,
  };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autofree char *number = NULL;
      g_autofree char *part = NULL;

      if (values[i] == 0)
        continue;

      number = push_run_format_count (values[i]);
      part = format_part (i, number);
      if (text->len > 0)
        /* Translators: the separator of a list of counts */
        g_string_append (text, _(", "));
      g_string_append (text, part);
    }

  if (text->len == 0)
    g_string_append (text, _("nobody to send"));

  return g_string_free (text, FALSE);
}

static char *
describe_done (const PushRunInfo *info)
{
  g_autofree char *done = push_run_format_count (info->counts.members);
  g_autofree char *total = push_run_format_count (MAX (info->total_members,
                                                       info->counts.members));

  /* Translators: "600 of 1,200 people done" */
  return g_strdup_printf (_("%s of %s people done"), done, total);
}

void
push_run_alerts_describe (const PushRunInfo *info,
                          const char        *audience_name,
                          PushRunAlertKind   kind,
                          char             **out_title,
                          char             **out_body)
{
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *done = NULL;
  const char *destination;

  g_return_if_fail (info != NULL);
  g_return_if_fail (audience_name != NULL);

  destination = info->destination_name != NULL ? info->destination_name : "";
  summary = push_run_format_counts_summary (&info->counts);
  done = describe_done (info);

  switch (kind)
    {
    case PUSH_RUN_ALERT_COMPLETED:
      /* Translators: %s is an audience's name */
      title = g_strdup_printf (_("“%s” sent to Marketo"), audience_name);
      /* Translators: a destination's name, then what happened: "Newsletter: 800 created…" */
      body = g_strdup_printf (_("%s: %s."), destination, summary);
      break;

    case PUSH_RUN_ALERT_COMPLETED_WITH_REJECTIONS:
      {
        guint64 n_rejected = info->counts.rejected + info->counts.failed;
        g_autofree char *rejected = push_run_format_count (n_rejected);
        g_autofree char *set_aside = push_run_format_count (info->counts.set_aside);

        if (n_rejected > 0)
          {
            /* Translators: %s is an audience's name */
            title = g_strdup_printf (_("“%s” sent, with rejections"), audience_name);
            /* Translators: a destination's name, the number of people Marketo refused, then
             * a summary of every outcome */
            body = g_strdup_printf (_("%s: Marketo rejected %s people. %s."), destination,
                                    rejected, summary);
          }
        else
          {
            /* Translators: %s is an audience's name */
            title = g_strdup_printf (_("“%s” sent, with members set aside"), audience_name);
            /* Translators: a destination's name, the number of members not sent because of
             * problems in their rows, then a summary of every outcome */
            body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 "%s: %s member was not sent (problems in "
                                                 "its row). %s.",
                                                 "%s: %s members were not sent (problems in "
                                                 "their rows). %s.",
                                                 (gulong) MIN (info->counts.set_aside,
                                                               G_MAXULONG)),
                                    destination, set_aside, summary);
          }
      }
      break;

    case PUSH_RUN_ALERT_FAILED:
      /* Translators: %s is an audience's name */
      title = g_strdup_printf (_("Sending “%s” failed"), audience_name);
      /* Translators: a destination's name, why the run stopped, how far it went */
      body = g_strdup_printf (_("%s: %s\n%s; the run can be resumed."), destination,
                              info->message != NULL && info->message[0] != '\0'
                              ? info->message : _("The run stopped on an error."),
                              done);
      break;

    case PUSH_RUN_ALERT_QUOTA_PAUSE:
      {
        g_autofree char *quota = push_run_format_quota_reset (info->quota_reset, NULL);

        /* Translators: %s is an audience's name */
        title = g_strdup_printf (_("Sending “%s” paused"), audience_name);
        /* Translators: a destination's name, the quota sentence, how far the run went */
        body = g_strdup_printf (_("%s: %s\n%s."), destination, quota, done);
      }
      break;

    case PUSH_RUN_ALERT_NONE:
    default:
      /* Translators: %s is an audience's name */
      title = g_strdup_printf (_("Sending “%s” to Marketo"), audience_name);
      body = g_strdup_printf ("%s: %s.", destination, done);
      break;
    }

  if (out_title != NULL)
    *out_title = g_steal_pointer (&title);
  if (out_body != NULL)
    *out_body = g_steal_pointer (&body);
}

GNotification *
push_run_alerts_build_notification (const PushRunInfo *info,
                                    const char        *audience_name,
                                    PushRunAlertKind   kind)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;

  g_return_val_if_fail (info != NULL, NULL);
  g_return_val_if_fail (info->id != NULL, NULL);

  if (kind == PUSH_RUN_ALERT_NONE)
    return NULL;

  push_run_alerts_describe (info, audience_name, kind, &title, &body);
  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  g_notification_set_priority (notification, kind == PUSH_RUN_ALERT_FAILED
                                             ? G_NOTIFICATION_PRIORITY_HIGH
                                             : G_NOTIFICATION_PRIORITY_NORMAL);
  g_notification_set_default_action_and_target (notification, PUSH_RUN_ALERTS_OPEN_ACTION,
                                                "s", info->id);

  return g_steal_pointer (&notification);
}

GNotification *
push_run_alerts_build_progress (const char *run_id,
                                const char *audience_name,
                                const char *destination_name,
                                guint64     members_done,
                                guint64     members_total)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  g_autofree char *done = push_run_format_count (members_done);
  g_autofree char *total = push_run_format_count (members_total);
  guint percent = 0;

  g_return_val_if_fail (run_id != NULL, NULL);
  g_return_val_if_fail (audience_name != NULL, NULL);

  if (members_total > 0)
    percent = (guint) MIN (100, members_done * 100 / members_total);

  /* Translators: %s is an audience's name, %u%% a percentage ("42%") */
  title = g_strdup_printf (_("Sending “%s” to Marketo… %u%%"), audience_name, percent);
  /* Translators: a destination's name, then "1,234 of 5,000 people" */
  body = g_strdup_printf (_("%s: %s of %s people"),
                          destination_name != NULL ? destination_name : "", done, total);

  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_LOW);
  g_notification_set_default_action_and_target (notification, PUSH_RUN_ALERTS_OPEN_ACTION,
                                                "s", run_id);

  return g_steal_pointer (&notification);
}

PushRunAlertKind
push_run_alerts_send (GApplication      *application,
                      const PushRunInfo *info,
                      const char        *audience_name)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *id = NULL;
  PushRunAlertKind kind;

  g_return_val_if_fail (G_IS_APPLICATION (application), PUSH_RUN_ALERT_NONE);
  g_return_val_if_fail (info != NULL, PUSH_RUN_ALERT_NONE);

  id = push_run_alerts_dup_notification_id (info->id);
  kind = push_run_alert_kind_for_run (info);
  if (kind == PUSH_RUN_ALERT_NONE
      || (push_run_alerts_get_flags (info) & push_run_alert_kind_get_flag (kind)) == 0)
    {
      g_debug ("Run %s ended %s: no alert", info->id, push_run_state_to_string (info->state));
      g_application_withdraw_notification (application, id);
      return PUSH_RUN_ALERT_NONE;
    }

  notification = push_run_alerts_build_notification (info, audience_name, kind);
  g_application_send_notification (application, id, notification);
  g_debug ("Run %s ended %s: alert sent", info->id, push_run_state_to_string (info->state));

  return kind;
}

char *
push_run_alerts_dup_toast (const PushRunInfo *info,
                           const char        *audience_name)
{
  g_autofree char *summary = NULL;

  g_return_val_if_fail (info != NULL, NULL);
  g_return_val_if_fail (audience_name != NULL, NULL);

  summary = push_run_format_counts_summary (&info->counts);

  switch (info->state)
    {
    case PUSH_RUN_STATE_COMPLETED:
      /* Translators: an audience's name, a destination's name, a summary of the outcomes */
      return g_strdup_printf (_("“%s” sent to %s: %s"), audience_name,
                              info->destination_name, summary);
    case PUSH_RUN_STATE_FAILED:
      /* Translators: an audience's name, then why the run stopped */
      return g_strdup_printf (_("Sending “%s” failed: %s"), audience_name,
                              info->message != NULL && info->message[0] != '\0'
                              ? info->message : _("the run stopped on an error"));
    case PUSH_RUN_STATE_PAUSED:
      /* Translators: %s is an audience's name */
      return g_strdup_printf (_("Sending “%s” paused: the daily API quota is used up"),
                              audience_name);
    case PUSH_RUN_STATE_CANCELLED:
      /* Translators: %s is an audience's name */
      return g_strdup_printf (_("Sending “%s” stopped; it can be resumed"), audience_name);
    case PUSH_RUN_STATE_INTERRUPTED:
      /* Translators: %s is an audience's name */
      return g_strdup_printf (_("Sending “%s” was interrupted; it can be resumed"),
                              audience_name);
    case PUSH_RUN_STATE_PENDING:
    case PUSH_RUN_STATE_RUNNING:
    default:
      return NULL;
    }
}
