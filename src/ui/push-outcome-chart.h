/* push-outcome-chart.h: a preview's outcomes as one bar each, with their intervals
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One row per outcome: its name, a bar as long as its share of the audience's members, and
 * its number. When the preview is a sample, the bar is the estimate and a thin band over it
 * spans the confidence interval, and the number reads "≈ 967 (912–1,024)". The colours are
 * the theme's named colours (the same per outcome as the run's chart), looked up at every
 * draw, so the chart follows the light and the dark style. The accessible description says
 * the same in words.
 */
#pragma once

#include <adwaita.h>

#include "push-preview.h"

G_BEGIN_DECLS

#define PUSH_TYPE_OUTCOME_CHART (push_outcome_chart_get_type ())
G_DECLARE_FINAL_TYPE (PushOutcomeChart, push_outcome_chart, PUSH, OUTCOME_CHART, GtkWidget)

GtkWidget   *push_outcome_chart_new             (void);
/* Shows @preview's outcomes (nullable: empty). */
void         push_outcome_chart_set_preview     (PushOutcomeChart *self,
                                                 PushPreview      *preview);

/* What is drawn, for tests: the bars in order, each an outcome with its count and interval
 * (low = high = count when exact). */
guint        push_outcome_chart_get_n_bars      (PushOutcomeChart *self);
PushOutcome  push_outcome_chart_get_bar         (PushOutcomeChart *self,
                                                 guint             index,
                                                 double           *count,
                                                 double           *low,
                                                 double           *high);
/* The bar's rectangle in the widget's coordinates as last drawn, and its colour as last
 * resolved from the theme. FALSE before the first draw. */
gboolean     push_outcome_chart_get_bar_area    (PushOutcomeChart *self,
                                                 guint             index,
                                                 graphene_rect_t  *area,
                                                 GdkRGBA          *color);
/* "Updated: about 967 (912 to 1,024) of 3,005 members; …" */
const char  *push_outcome_chart_get_description (PushOutcomeChart *self);

G_END_DECLS
