/* push-outcome-chart.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "push-audience-types.h"
#include "push-outcome-chart.h"

#define ROW_HEIGHT   26
#define ROW_GAP       6
#define BAR_HEIGHT   14
#define BAR_RADIUS    4
#define COLUMN_GAP   12
#define MIN_BAR_AREA 120

/* The outcomes in the order of the rows, with the theme's named colour of each (the same as
 * the run's chart) and a fallback for themes without it. */
static const struct {
  PushOutcome  outcome;
  const char  *color;
  const char  *fallback;
} outcome_colors[] = {
  { PUSH_OUTCOME_UPDATED, "accent_color", "#3584e4" },
  { PUSH_OUTCOME_CREATED, "success_color", "#26a269" },
  { PUSH_OUTCOME_ADDED, "purple_3", "#9141ac" },
  { PUSH_OUTCOME_MULTIPLE_MATCHES, "purple_1", "#dc8add" },
  { PUSH_OUTCOME_NOT_FOUND, "brown_2", "#b5835a" },
  { PUSH_OUTCOME_REJECTED, "error_color", "#e01b24" },
  { PUSH_OUTCOME_FAILED, "red_5", "#a51d2d" },
  { PUSH_OUTCOME_SET_ASIDE, "warning_color", "#e5a50a" },
  { PUSH_OUTCOME_DUPLICATE, NULL, NULL },  /* the foreground, dimmed */
};

typedef struct {
  guint            color_index;
  PushOutcome      outcome;
  double           count;
  double           low;
  double           high;
  char            *label;   /* (owned) */
  char            *value;   /* (owned) the number as shown */
  graphene_rect_t  area;    /* as last drawn */
  GdkRGBA          color;   /* as last resolved */
} Bar;

struct _PushOutcomeChart
{
  GtkWidget  parent_instance;

  GArray    *bars;          /* (owned) (element-type Bar) */
  double     scale;         /* the count a full bar stands for */
  gboolean   drawn;
  char      *description;   /* (owned) */
};

G_DEFINE_FINAL_TYPE (PushOutcomeChart, push_outcome_chart, GTK_TYPE_WIDGET)

static void
bar_clear (Bar *bar)
{
  g_clear_pointer (&bar->label, g_free);
  g_clear_pointer (&bar->value, g_free);
}

static char *
format_value (double   count,
              double   low,
              double   high,
              gboolean estimate)
{
  g_autofree char *point = push_audience_format_count ((guint64) (count + 0.5));
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;

  if (!estimate)
    return g_steal_pointer (&point);
  from = push_audience_format_count ((guint64) (low + 0.5));
  to = push_audience_format_count ((guint64) (high + 0.5));
  /* Translators: an estimated number of members, then its confidence interval */
  return g_strdup_printf (_("≈ %s (%s–%s)"), point, from, to);
}

/* Whether a row for @outcome is shown even at zero: the outcomes the destination can give. */
static gboolean
outcome_expected (PushDestination *destination,
                  PushOutcome      outcome)
{
  PushSyncType sync_type = push_destination_get_sync_type (destination);
  gboolean update_only = push_destination_get_person_action (destination) ==
                         PUSH_PERSON_ACTION_UPDATE_ONLY;

  switch (outcome)
    {
    case PUSH_OUTCOME_SET_ASIDE:
    case PUSH_OUTCOME_DUPLICATE:
      return TRUE;
    case PUSH_OUTCOME_ADDED:
    case PUSH_OUTCOME_MULTIPLE_MATCHES:
      return sync_type == PUSH_SYNC_TYPE_AUDIENCE_ONLY;
    case PUSH_OUTCOME_NOT_FOUND:
      return sync_type == PUSH_SYNC_TYPE_AUDIENCE_ONLY || update_only;
    case PUSH_OUTCOME_UPDATED:
    case PUSH_OUTCOME_REJECTED:
      return sync_type != PUSH_SYNC_TYPE_AUDIENCE_ONLY;
    case PUSH_OUTCOME_CREATED:
      return sync_type != PUSH_SYNC_TYPE_AUDIENCE_ONLY && !update_only;
    case PUSH_OUTCOME_FAILED:
    default:
      return FALSE;
    }
}

static void
update_description (PushOutcomeChart *self,
                    PushPreview      *preview)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < self->bars->len; i++)
    {
      const Bar *bar = &g_array_index (self->bars, Bar, i);
      g_autofree char *count = push_audience_format_count ((guint64) (bar->count + 0.5));

      if (text->len > 0)
        g_string_append (text, "; ");
      if (bar->low != bar->high)
        {
          g_autofree char *low = push_audience_format_count ((guint64) (bar->low + 0.5));
          g_autofree char *high = push_audience_format_count ((guint64) (bar->high + 0.5));

          /* Translators: an outcome, then an estimated count and its interval */
          g_string_append_printf (text, _("%s: about %s (%s to %s)"), bar->label, count, low,
                                  high);
        }
      else
        g_string_append_printf (text, "%s: %s", bar->label, count);
    }
  if (preview != NULL)
    {
      g_autofree char *members = push_audience_format_count (push_preview_get_n_members (preview));

      g_string_append_printf (text, _(" — of %s members"), members);
    }

  g_free (self->description);
  self->description = g_string_free (text, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  self->description, -1);
}

/* ---- Drawing -------------------------------------------------------------------------- */

static void
foreground (PushOutcomeChart *self,
            GdkRGBA          *color)
{
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));

  gtk_style_context_get_color (context, color);
}

static void
resolve_color (PushOutcomeChart *self,
               guint             index,
               GdkRGBA          *color)
{
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));

  if (outcome_colors[index].color == NULL)
    {
      foreground (self, color);
      color->alpha *= 0.45;
      return;
    }
  if (!gtk_style_context_lookup_color (context, outcome_colors[index].color, color))
    gdk_rgba_parse (color, outcome_colors[index].fallback);
}

static int
text_width (PushOutcomeChart *self,
            const char       *text)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  int width;

  pango_layout_get_pixel_size (layout, &width, NULL);
  return width;
}

static void
column_widths (PushOutcomeChart *self,
               int              *label_width,
               int              *value_width)
{
  *label_width = 0;
  *value_width = 0;
  for (guint i = 0; i < self->bars->len; i++)
    {
      const Bar *bar = &g_array_index (self->bars, Bar, i);

      *label_width = MAX (*label_width, text_width (self, bar->label));
      *value_width = MAX (*value_width, text_width (self, bar->value));
    }
}

static void
draw_text (PushOutcomeChart *self,
           GtkSnapshot      *snapshot,
           const char       *text,
           float             x,
           float             row_y,
           const GdkRGBA    *color)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  int height;

  pango_layout_get_pixel_size (layout, NULL, &height);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, row_y + (ROW_HEIGHT - height) / 2.0f));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
append_rounded (GtkSnapshot           *snapshot,
                const graphene_rect_t *rect,
                const GdkRGBA         *color)
{
  GskRoundedRect rounded;
  float radius = MIN (BAR_RADIUS, rect->size.width / 2.0f);

  gsk_rounded_rect_init_from_rect (&rounded, rect, radius);
  gtk_snapshot_push_rounded_clip (snapshot, &rounded);
  gtk_snapshot_append_color (snapshot, color, rect);
  gtk_snapshot_pop (snapshot);
}

static void
push_outcome_chart_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  PushOutcomeChart *self = PUSH_OUTCOME_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int label_width, value_width;
  float bar_x, bar_width;
  GdkRGBA fg, trough;

  if (self->bars->len == 0)
    return;

  foreground (self, &fg);
  trough = fg;
  trough.alpha *= 0.08;
  column_widths (self, &label_width, &value_width);
  bar_x = label_width + COLUMN_GAP;
  bar_width = MAX (width - bar_x - COLUMN_GAP - value_width, 1);

  for (guint i = 0; i < self->bars->len; i++)
    {
      Bar *bar = &g_array_index (self->bars, Bar, i);
      float row_y = i * (ROW_HEIGHT + ROW_GAP);
      float bar_y = row_y + (ROW_HEIGHT - BAR_HEIGHT) / 2.0f;
      float length = self->scale > 0 ? bar_width * bar->count / self->scale : 0;
      float low = self->scale > 0 ? bar_width * bar->low / self->scale : 0;
      float high = self->scale > 0 ? bar_width * bar->high / self->scale : 0;
      GdkRGBA band;

      resolve_color (self, bar->color_index, &bar->color);
      /* Something stays visible for any member at all. */
      if (bar->count > 0 && length < 6)
        length = 6;

      draw_text (self, snapshot, bar->label, 0, row_y, &fg);
      append_rounded (snapshot, &GRAPHENE_RECT_INIT (bar_x, bar_y, bar_width, BAR_HEIGHT),
                      &trough);
      if (high > low)
        {
          /* The interval: a lighter band of the bar's colour. */
          band = bar->color;
          band.alpha *= 0.35;
          append_rounded (snapshot,
                          &GRAPHENE_RECT_INIT (bar_x + low, bar_y - 2, MAX (high - low, 2),
                                               BAR_HEIGHT + 4),
                          &band);
        }
      bar->area = GRAPHENE_RECT_INIT (bar_x, bar_y, length, BAR_HEIGHT);
      if (length > 0)
        append_rounded (snapshot, &bar->area, &bar->color);
      if (high > low)
        {
          /* The estimate's tick, in the foreground colour so it shows on the band. */
          gtk_snapshot_append_color (snapshot, &fg,
                                     &GRAPHENE_RECT_INIT (bar_x + length - 1, bar_y - 3, 2,
                                                          BAR_HEIGHT + 6));
        }
      draw_text (self, snapshot, bar->value, width - value_width, row_y, &fg);
    }
  self->drawn = TRUE;
}

static void
push_outcome_chart_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  PushOutcomeChart *self = PUSH_OUTCOME_CHART (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      int label_width, value_width;

      column_widths (self, &label_width, &value_width);
      *minimum = label_width + value_width + 2 * COLUMN_GAP + MIN_BAR_AREA;
      *natural = *minimum + 200;
    }
  else
    {
      guint n = self->bars->len;

      *minimum = *natural = n > 0 ? n * ROW_HEIGHT + (n - 1) * ROW_GAP : 0;
    }
}

static void
push_outcome_chart_css_changed (GtkWidget         *widget,
                                GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (push_outcome_chart_parent_class)->css_changed (widget, change);
  /* The named colours may be others now (light or dark style). */
  gtk_widget_queue_draw (widget);
}

static void
push_outcome_chart_finalize (GObject *object)
{
  PushOutcomeChart *self = PUSH_OUTCOME_CHART (object);

  g_clear_pointer (&self->bars, g_array_unref);
  g_clear_pointer (&self->description, g_free);

  G_OBJECT_CLASS (push_outcome_chart_parent_class)->finalize (object);
}

static void
push_outcome_chart_class_init (PushOutcomeChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = push_outcome_chart_finalize;

  widget_class->snapshot = push_outcome_chart_snapshot;
  widget_class->measure = push_outcome_chart_measure;
  widget_class->css_changed = push_outcome_chart_css_changed;

  gtk_widget_class_set_css_name (widget_class, "outcome-chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
push_outcome_chart_init (PushOutcomeChart *self)
{
  self->bars = g_array_new (FALSE, TRUE, sizeof (Bar));
  g_array_set_clear_func (self->bars, (GDestroyNotify) bar_clear);
  self->description = g_strdup ("");
}

/* ---- Public API ----------------------------------------------------------------------- */

GtkWidget *
push_outcome_chart_new (void)
{
  return g_object_new (PUSH_TYPE_OUTCOME_CHART, NULL);
}

void
push_outcome_chart_set_preview (PushOutcomeChart *self,
                                PushPreview      *preview)
{
  g_return_if_fail (PUSH_IS_OUTCOME_CHART (self));
  g_return_if_fail (preview == NULL || PUSH_IS_PREVIEW (preview));

  g_array_set_size (self->bars, 0);
  self->scale = 0;
  self->drawn = FALSE;

  for (guint i = 0; preview != NULL && i < G_N_ELEMENTS (outcome_colors); i++)
    {
      PushOutcome outcome = outcome_colors[i].outcome;
      const PushRunCounts *counts = push_preview_get_counts (preview);
      PushPreviewEstimate estimate;
      Bar bar = { 0 };

      bar.color_index = i;
      bar.outcome = outcome;
      if (push_preview_get_estimate (preview, outcome, &estimate))
        {
          bar.count = estimate.count;
          bar.low = push_preview_is_estimate (preview) ? estimate.count_low : estimate.count;
          bar.high = push_preview_is_estimate (preview) ? estimate.count_high : estimate.count;
        }
      else
        bar.count = bar.low = bar.high = outcome == PUSH_OUTCOME_SET_ASIDE ? counts->set_aside :
                                         outcome == PUSH_OUTCOME_DUPLICATE ? counts->duplicates :
                                         0;
      /* Outcomes the destination can't give are left out unless a member has them (an
       * interval of a sample reaches above 0 even for those). */
      if (bar.count <= 0 &&
          !outcome_expected (push_preview_get_destination (preview), outcome))
        continue;

      bar.label = g_strdup (push_outcome_get_label (outcome));
      bar.value = format_value (bar.count, bar.low, bar.high, bar.low != bar.high);
      self->scale = MAX (self->scale, bar.high);
      g_array_append_val (self->bars, bar);
    }

  update_description (self, preview);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

guint
push_outcome_chart_get_n_bars (PushOutcomeChart *self)
{
  g_return_val_if_fail (PUSH_IS_OUTCOME_CHART (self), 0);
  return self->bars->len;
}

PushOutcome
push_outcome_chart_get_bar (PushOutcomeChart *self,
                            guint             index,
                            double           *count,
                            double           *low,
                            double           *high)
{
  const Bar *bar;

  g_return_val_if_fail (PUSH_IS_OUTCOME_CHART (self), PUSH_OUTCOME_FAILED);
  g_return_val_if_fail (index < self->bars->len, PUSH_OUTCOME_FAILED);

  bar = &g_array_index (self->bars, Bar, index);
  if (count != NULL)
    *count = bar->count;
  if (low != NULL)
    *low = bar->low;
  if (high != NULL)
    *high = bar->high;
  return bar->outcome;
}

gboolean
push_outcome_chart_get_bar_area (PushOutcomeChart *self,
                                 guint             index,
                                 graphene_rect_t  *area,
                                 GdkRGBA          *color)
{
  const Bar *bar;

  g_return_val_if_fail (PUSH_IS_OUTCOME_CHART (self), FALSE);
  g_return_val_if_fail (index < self->bars->len, FALSE);

  if (!self->drawn)
    return FALSE;
  bar = &g_array_index (self->bars, Bar, index);
  if (area != NULL)
    *area = bar->area;
  if (color != NULL)
    *color = bar->color;
  return TRUE;
}

const char *
push_outcome_chart_get_description (PushOutcomeChart *self)
{
  g_return_val_if_fail (PUSH_IS_OUTCOME_CHART (self), NULL);
  return self->description;
}
