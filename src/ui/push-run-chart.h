/* push-run-chart.h: a run's outcomes as one stacked bar, with a legend
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each outcome is a segment of the bar, in proportion to the audience's members; what is not
 * done yet stays as the trough. The colours are the theme's named colours (success, accent,
 * warning, error and the palette), so the chart follows the light and the dark style. Below the
 * bar, a legend names each segment with its share. The accessible description says the same
 * in words.
 */
#pragma once

#include <adwaita.h>

#include "push-run-store.h"

G_BEGIN_DECLS

#define PUSH_TYPE_RUN_CHART (push_run_chart_get_type ())
G_DECLARE_FINAL_TYPE (PushRunChart, push_run_chart, PUSH, RUN_CHART, GtkWidget)

GtkWidget *push_run_chart_new             (void);
/* @counts: the committed outcome counts; @total: the audience's members (0: unknown, then
 * the bar is the members done). */
void       push_run_chart_set_counts      (PushRunChart        *self,
                                           const PushRunCounts *counts,
                                           guint64              total);
/* The members the segment of @outcome stands for (for ADDED: the members whose outcome is
 * "added to list", which is not the list additions of Audience and profile). */
guint64    push_run_chart_get_segment     (PushRunChart        *self,
                                           PushOutcome          outcome);
/* The members not done yet (the trough). */
guint64    push_run_chart_get_remaining   (PushRunChart        *self);
/* The description read by screen readers, e.g. "Created: 800 (67 %), …". */
const char *push_run_chart_get_description (PushRunChart       *self);

G_END_DECLS
