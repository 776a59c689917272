/* push-run-alerts.h: what the application says about a run, in notifications and toasts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A run that ends completed, completed with rejections, failed, or paused on the daily quota
 * becomes a GNotification when its destination's alert flags (as the run saved them, in its
 * copy of the destination) ask for it. Every notification of a run has the same stable id,
 * "run-RUN_ID", so the progress notification shown while the run goes on unseen is replaced by
 * the final one, and its default action is "app.open-run::RUN_ID". The same sentences make the
 * in-app toast. The formatting helpers are shared by the run page and the history.
 */
#pragma once

#include <adwaita.h>

#include "push-audiences.h"
#include "push-destination.h"
#include "push-run-store.h"

G_BEGIN_DECLS

/**
 * PushRunAlertKind:
 * @PUSH_RUN_ALERT_NONE: nothing to say (the run goes on, or the user cancelled it)
 * @PUSH_RUN_ALERT_COMPLETED: every member has its outcome, none rejected or failed
 * @PUSH_RUN_ALERT_COMPLETED_WITH_REJECTIONS: completed, but Marketo rejected some people (or
 *   their requests failed)
 * @PUSH_RUN_ALERT_FAILED: the run stopped on an error
 * @PUSH_RUN_ALERT_QUOTA_PAUSE: the daily API quota paused the run
 */
typedef enum {
  PUSH_RUN_ALERT_NONE,
  PUSH_RUN_ALERT_COMPLETED,
  PUSH_RUN_ALERT_COMPLETED_WITH_REJECTIONS,
  PUSH_RUN_ALERT_FAILED,
  PUSH_RUN_ALERT_QUOTA_PAUSE,
} PushRunAlertKind;

/* Notifications need an action target; this is the application action they open a run with. */
#define PUSH_RUN_ALERTS_OPEN_ACTION "app.open-run"

PushRunAlertKind  push_run_alert_kind_for_run        (const PushRunInfo *info);
/* The destination alert flag that lets @kind through (PUSH_ALERT_NONE for NONE). */
PushAlertFlags    push_run_alert_kind_get_flag       (PushRunAlertKind   kind);
/* The alert flags of the destination the run began with (its saved document); the defaults
 * of a new destination when the document cannot be read. */
PushAlertFlags    push_run_alerts_get_flags          (const PushRunInfo *info);

/* "run-RUN_ID": the id of every notification about the run. */
char             *push_run_alerts_dup_notification_id (const char       *run_id);
/* The audience's name: its entry's in @audiences (nullable) when there is one, else the file
 * name without its extension. */
char             *push_run_alerts_dup_audience_name  (PushAudiences     *audiences,
                                                      const char        *audience_path);

/* The title and the body of the alert of @kind about @info (translated). */
void              push_run_alerts_describe           (const PushRunInfo *info,
                                                      const char        *audience_name,
                                                      PushRunAlertKind   kind,
                                                      char             **out_title,
                                                      char             **out_body);
/* The notification of @kind about @info: title, body, priority (urgent for a failure), the
 * default action opening the run. NULL for PUSH_RUN_ALERT_NONE. */
GNotification    *push_run_alerts_build_notification (const PushRunInfo *info,
                                                      const char        *audience_name,
                                                      PushRunAlertKind   kind);
/* "Sending “VIP list” to Marketo… 42 %", low priority, the same id and default action. */
GNotification    *push_run_alerts_build_progress     (const char        *run_id,
                                                      const char        *audience_name,
                                                      const char        *destination_name,
                                                      guint64            members_done,
                                                      guint64            members_total);

/* Sends the alert for the end of @info when its destination wants it, else withdraws any
 * progress notification of the run. Returns the kind sent (NONE when nothing was). */
PushRunAlertKind  push_run_alerts_send               (GApplication      *application,
                                                      const PushRunInfo *info,
                                                      const char        *audience_name);
/* The toast about the end of @info (whatever the alert flags): NULL while it goes on. */
char             *push_run_alerts_dup_toast          (const PushRunInfo *info,
                                                      const char        *audience_name);

/* ---- Formatting shared by the run page, the history and the alerts -------------------- */

/* 1234567 -> "1,234,567" in the user's locale. */
char             *push_run_format_count              (guint64            count);
/* A duration for people: "45 s", "3 min 20 s", "5 h 12 min", "2 d 3 h". */
char             *push_run_format_duration           (double             seconds);
/* "Daily API quota reached. It resets at 07:00 (in 5 h 12 min)." — @now NULL: the current
 * time; a reset in the past: "… It was reset at 07:00: the run can be resumed." */
char             *push_run_format_quota_reset        (GDateTime         *reset,
                                                      GDateTime         *now);
/* The outcomes that happened: "800 created, 400 updated, 12 set aside" ("nobody to send"
 * when none). */
char             *push_run_format_counts_summary     (const PushRunCounts *counts);
/* The first 8 hex digits of a fingerprint string (or "" when it cannot be read). */
char             *push_run_format_short_fingerprint  (const char        *fingerprint);

G_END_DECLS
