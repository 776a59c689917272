/* push-run-chart.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "push-run-alerts.h"
#include "push-run-chart.h"

#define BAR_HEIGHT     18
#define BAR_RADIUS      6
#define LEGEND_SPACING 10  /* between the bar and the legend */
#define SWATCH_SIZE    10
#define SWATCH_GAP      6  /* between a swatch and its text */
#define ITEM_GAP       18  /* between legend items */
#define LINE_GAP        4  /* between legend lines */

/* The segments, in the order of the bar. */
static const struct {
  PushOutcome  outcome;
  const char  *color;     /* the theme's named colour */
  const char  *fallback;  /* when the theme has none */
  double       fg_alpha;  /* > 0: the foreground colour at this alpha instead */
} segments[] = {
  { PUSH_OUTCOME_CREATED, "success_color", "#26a269", 0 },
  { PUSH_OUTCOME_UPDATED, "accent_color", "#3584e4", 0 },
  { PUSH_OUTCOME_ADDED, "purple_3", "#9141ac", 0 },
  { PUSH_OUTCOME_MULTIPLE_MATCHES, "purple_1", "#dc8add", 0 },
  { PUSH_OUTCOME_NOT_FOUND, "brown_2", "#b5835a", 0 },
  { PUSH_OUTCOME_SET_ASIDE, "warning_color", "#e5a50a", 0 },
  { PUSH_OUTCOME_DUPLICATE, "orange_3", "#ff7800", 0 },
  { PUSH_OUTCOME_REJECTED, "error_color", "#e01b24", 0 },
  { PUSH_OUTCOME_FAILED, "red_5", "#a51d2d", 0 },
};

#define N_SEGMENTS G_N_ELEMENTS (segments)
/* The legend's last item: what is not done yet. */
#define REMAINING N_SEGMENTS

struct _PushRunChart
{
  GtkWidget  parent_instance;

  guint64    values[N_SEGMENTS + 1];  /* per segment, then the remaining members */
  guint64    whole;                   /* what the bar stands for */
  char      *description;
};

G_DEFINE_FINAL_TYPE (PushRunChart, push_run_chart, GTK_TYPE_WIDGET)

typedef struct {
  guint  index;   /* into values */
  int    x, y;    /* of the swatch's line, relative to the legend */
  int    width;   /* swatch, gap and text */
} LegendItem;

static guint64
value_of (const PushRunCounts *counts,
          PushOutcome          outcome)
{
  switch (outcome)
    {
    case PUSH_OUTCOME_CREATED:
      return counts->created;
    case PUSH_OUTCOME_UPDATED:
      return counts->updated;
    case PUSH_OUTCOME_NOT_FOUND:
      return counts->not_found;
    case PUSH_OUTCOME_MULTIPLE_MATCHES:
      return counts->multiple_matches;
    case PUSH_OUTCOME_SET_ASIDE:
      return counts->set_aside;
    case PUSH_OUTCOME_DUPLICATE:
      return counts->duplicates;
    case PUSH_OUTCOME_REJECTED:
      return counts->rejected;
    case PUSH_OUTCOME_FAILED:
      return counts->failed;
    case PUSH_OUTCOME_ADDED:
    default:
      {
        /* Members whose own outcome is "added to list": the rest of the members. */
        guint64 others = counts->created + counts->updated + counts->not_found +
                         counts->multiple_matches + counts->set_aside + counts->duplicates +
                         counts->rejected + counts->failed;

        return counts->members > others ? counts->members - others : 0;
      }
    }
}

static const char *
label_of (guint index)
{
  if (index == REMAINING)
    return _("Not done yet");

  return push_outcome_get_label (segments[index].outcome);
}

static char *
percent_of (PushRunChart *self,
            guint64       value)
{
  double share = self->whole > 0 ? 100.0 * value / self->whole : 0;

  if (value > 0 && share < 1)
    return g_strdup (_("<1 %"));

  /* Translators: a percentage */
  return g_strdup_printf (_("%.0f %%"), share);
}

static PangoLayout *
create_item_layout (PushRunChart *self,
                    guint         index)
{
  g_autofree char *percent = percent_of (self, self->values[index]);
  g_autofree char *text = NULL;

  /* Translators: a chart's legend: an outcome and its share, "Created 67 %" */
  text = g_strdup_printf (_("%s %s"), label_of (index), percent);

  return gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
}

static int
line_height (PushRunChart *self)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), "Ag");
  int height;

  pango_layout_get_pixel_size (layout, NULL, &height);
  return MAX (height, SWATCH_SIZE);
}

/* Flows the legend's items into lines @width wide; returns how many lines. */
static guint
layout_legend (PushRunChart *self,
               int           width,
               GArray       *items)
{
  int x = 0, y = 0;
  int line = line_height (self);
  guint n_lines = 0;

  for (guint i = 0; i <= REMAINING; i++)
    {
      g_autoptr(PangoLayout) layout = NULL;
      LegendItem item = { i, 0, 0, 0 };
      int text_width;

      if (self->values[i] == 0)
        continue;

      layout = create_item_layout (self, i);
      pango_layout_get_pixel_size (layout, &text_width, NULL);
      item.width = SWATCH_SIZE + SWATCH_GAP + text_width;

      if (n_lines == 0)
        n_lines = 1;
      else if (x > 0 && width > 0 && x + item.width > width)
        {
          x = 0;
          y += line + LINE_GAP;
          n_lines++;
        }

      item.x = x;
      item.y = y;
      x += item.width + ITEM_GAP;
      if (items != NULL)
        g_array_append_val (items, item);
    }

  return n_lines;
}

static void
get_color (PushRunChart *self,
           guint         index,
           GdkRGBA      *color)
{
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));

  if (index == REMAINING || segments[index].fg_alpha > 0)
    {
      gtk_style_context_get_color (context, color);
      color->alpha *= index == REMAINING ? 0.12 : segments[index].fg_alpha;
      return;
    }

  if (!gtk_style_context_lookup_color (context, segments[index].color, color))
    gdk_rgba_parse (color, segments[index].fallback);
}

static void
update_description (PushRunChart *self)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i <= REMAINING; i++)
    {
      g_autofree char *count = NULL;
      g_autofree char *percent = NULL;

      if (self->values[i] == 0)
        continue;

      count = push_run_format_count (self->values[i]);
      percent = percent_of (self, self->values[i]);
      if (text->len > 0)
        g_string_append (text, "; ");
      /* Translators: an outcome, how many people and their share: "Created: 800 (67 %)" */
      g_string_append_printf (text, _("%s: %s (%s)"), label_of (i), count, percent);
    }

  if (text->len == 0)
    g_string_append (text, _("Nothing sent yet"));

  g_free (self->description);
  self->description = g_string_free (text, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->description,
                                  -1);
}

static GtkSizeRequestMode
push_run_chart_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
push_run_chart_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  PushRunChart *self = PUSH_RUN_CHART (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      g_autoptr(GArray) items = g_array_new (FALSE, FALSE, sizeof (LegendItem));
      int widest = 0, all = 0;

      layout_legend (self, -1, items);
      for (guint i = 0; i < items->len; i++)
        {
          const LegendItem *item = &g_array_index (items, LegendItem, i);

          widest = MAX (widest, item->width);
          all = item->x + item->width;
        }
      *minimum = MAX (120, widest);
      *natural = MAX (*minimum, all);
    }
  else
    {
      guint n_lines = layout_legend (self, for_size, NULL);
      int height = BAR_HEIGHT;

      if (n_lines > 0)
        height += LEGEND_SPACING + n_lines * line_height (self) + (n_lines - 1) * LINE_GAP;
      *minimum = *natural = height;
    }
}

static void
push_run_chart_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  PushRunChart *self = PUSH_RUN_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int line = line_height (self);
  g_autoptr(GArray) items = g_array_new (FALSE, FALSE, sizeof (LegendItem));
  GskRoundedRect bar;
  GdkRGBA trough, fg;
  double x = 0;

  if (width <= 0)
    return;

  /* The bar: the trough, then the segments over it, clipped to its rounded shape. */
  gsk_rounded_rect_init_from_rect (&bar, &GRAPHENE_RECT_INIT (0, 0, width, BAR_HEIGHT),
                                   BAR_RADIUS);
  gtk_snapshot_push_rounded_clip (snapshot, &bar);
  get_color (self, REMAINING, &trough);
  gtk_snapshot_append_color (snapshot, &trough, &GRAPHENE_RECT_INIT (0, 0, width, BAR_HEIGHT));

  for (guint i = 0; i < N_SEGMENTS && self->whole > 0; i++)
    {
      GdkRGBA color;
      double w;

      if (self->values[i] == 0)
        continue;

      /* At least a sliver, so that a rare outcome stays visible. */
      w = MAX (2.0, (double) width * self->values[i] / self->whole);
      get_color (self, i, &color);
      gtk_snapshot_append_color (snapshot, &color, &GRAPHENE_RECT_INIT (x, 0, w, BAR_HEIGHT));
      x += w;
    }
  gtk_snapshot_pop (snapshot);

  /* The legend. */
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  layout_legend (self, width, items);
  for (guint i = 0; i < items->len; i++)
    {
      const LegendItem *item = &g_array_index (items, LegendItem, i);
      g_autoptr(PangoLayout) layout = create_item_layout (self, item->index);
      int y = BAR_HEIGHT + LEGEND_SPACING + item->y;
      GskRoundedRect swatch;
      GdkRGBA color;

      get_color (self, item->index, &color);
      if (item->index == REMAINING)
        color.alpha = MAX (color.alpha, 0.3);
      gsk_rounded_rect_init_from_rect (&swatch,
                                       &GRAPHENE_RECT_INIT (item->x, y + (line - SWATCH_SIZE) / 2,
                                                            SWATCH_SIZE, SWATCH_SIZE), 3);
      gtk_snapshot_push_rounded_clip (snapshot, &swatch);
      gtk_snapshot_append_color (snapshot, &color, &swatch.bounds);
      gtk_snapshot_pop (snapshot);

      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot,
                              &GRAPHENE_POINT_INIT (item->x + SWATCH_SIZE + SWATCH_GAP, y));
      gtk_snapshot_append_layout (snapshot, layout, &fg);
      gtk_snapshot_restore (snapshot);
    }
}

static void
push_run_chart_css_changed (GtkWidget         *widget,
                            GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (push_run_chart_parent_class)->css_changed (widget, change);

  /* Light and dark styles have different colours, and the font may change. */
  gtk_widget_queue_resize (widget);
}

static void
push_run_chart_finalize (GObject *object)
{
  PushRunChart *self = PUSH_RUN_CHART (object);

  g_free (self->description);

  G_OBJECT_CLASS (push_run_chart_parent_class)->finalize (object);
}

static void
push_run_chart_class_init (PushRunChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = push_run_chart_finalize;

  widget_class->get_request_mode = push_run_chart_get_request_mode;
  widget_class->measure = push_run_chart_measure;
  widget_class->snapshot = push_run_chart_snapshot;
  widget_class->css_changed = push_run_chart_css_changed;

  gtk_widget_class_set_css_name (widget_class, "runchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
push_run_chart_init (PushRunChart *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Outcomes"),
                                  -1);
  update_description (self);
}

GtkWidget *
push_run_chart_new (void)
{
  return g_object_new (PUSH_TYPE_RUN_CHART, NULL);
}

void
push_run_chart_set_counts (PushRunChart        *self,
                           const PushRunCounts *counts,
                           guint64              total)
{
  guint64 values[N_SEGMENTS + 1] = { 0 };

  g_return_if_fail (PUSH_IS_RUN_CHART (self));
  g_return_if_fail (counts != NULL);

  for (guint i = 0; i < N_SEGMENTS; i++)
    values[i] = value_of (counts, segments[i].outcome);
  values[REMAINING] = total > counts->members ? total - counts->members : 0;

  if (memcmp (values, self->values, sizeof values) == 0)
    return;

  memcpy (self->values, values, sizeof values);
  self->whole = MAX (total, counts->members);
  update_description (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

guint64
push_run_chart_get_segment (PushRunChart *self,
                            PushOutcome   outcome)
{
  g_return_val_if_fail (PUSH_IS_RUN_CHART (self), 0);

  for (guint i = 0; i < N_SEGMENTS; i++)
    {
      if (segments[i].outcome == outcome)
        return self->values[i];
    }

  g_return_val_if_reached (0);
}

guint64
push_run_chart_get_remaining (PushRunChart *self)
{
  g_return_val_if_fail (PUSH_IS_RUN_CHART (self), 0);

  return self->values[REMAINING];
}

const char *
push_run_chart_get_description (PushRunChart *self)
{
  g_return_val_if_fail (PUSH_IS_RUN_CHART (self), NULL);

  return self->description;
}
