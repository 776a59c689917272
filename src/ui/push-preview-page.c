/* push-preview-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "push-audience-types.h"
#include "push-connection-test.h"
#include "push-planner.h"
#include "push-preview-page.h"
#include "push-audiences.h"
#include "push-window.h"

struct _PushPreviewPage
{
  AdwBin               parent_instance;

  /* Template widgets */
  AdwWindowTitle      *window_title;
  GtkButton           *run_button;
  GtkToggleButton     *sample_button;
  GtkToggleButton     *full_button;
  GtkStack            *state_stack;
  GtkSpinner          *spinner;
  GtkLabel            *progress_label;
  GtkProgressBar      *progress_bar;
  AdwStatusPage       *error_page;
  GtkLabel            *mode_label;
  PushOutcomeChart    *chart;
  GtkLabel            *matches_label;
  GtkLabel            *reasons_label;
  GtkLabel            *forecast_label;
  GtkSearchEntry      *search_entry;
  GtkDropDown         *outcome_dropdown;
  GtkLabel            *shown_label;
  GtkColumnView       *members_view;
  PushMemberDetail    *detail;

  /* Owned references */
  PushDestination     *destination;
  GFile               *audience;
  PushAudienceFormat   audience_format;     /* as the Audiences page says; AUTO: detected */
  char                 audience_delimiter;
  MarketoClient       *client;        /* (nullable) */
  PushAccount         *account;       /* (nullable) */
  PushStore           *store;         /* (nullable) */
  PushPlanner         *planner;       /* (nullable) the one running */
  GCancellable        *cancellable;   /* (nullable) the running one's */
  PushPreview         *preview;       /* (nullable) the one shown */
  GtkFilterListModel  *filtered;
  GtkCustomFilter     *filter;
  GtkSingleSelection  *selection;

  gboolean             partition_rule;
  gboolean             seed_set;
  guint32              seed;
  int                  filter_outcome;  /* -1: all */
  char                *filter_text;     /* (nullable) */
};

G_DEFINE_FINAL_TYPE (PushPreviewPage, push_preview_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_RUNNING,
  PROP_PREVIEW,
  N_PROPS
};

enum {
  CLOSED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* The outcome filter's entries after "All Members", in the chart's order. */
static const PushOutcome filter_outcomes[] = {
  PUSH_OUTCOME_UPDATED,
  PUSH_OUTCOME_CREATED,
  PUSH_OUTCOME_ADDED,
  PUSH_OUTCOME_MULTIPLE_MATCHES,
  PUSH_OUTCOME_NOT_FOUND,
  PUSH_OUTCOME_REJECTED,
  PUSH_OUTCOME_SET_ASIDE,
  PUSH_OUTCOME_DUPLICATE,
};

static void start_planner (PushPreviewPage *self,
                           PushPreviewMode  mode);

/* ---- Helpers -------------------------------------------------------------------------- */

static char *
format_estimate (PushPreview               *preview,
                 const PushPreviewEstimate *estimate)
{
  g_autofree char *count = push_audience_format_count ((guint64) (estimate->count + 0.5));
  g_autofree char *low = NULL;
  g_autofree char *high = NULL;

  if (!push_preview_is_estimate (preview))
    return g_steal_pointer (&count);
  low = push_audience_format_count ((guint64) (estimate->count_low + 0.5));
  high = push_audience_format_count ((guint64) (estimate->count_high + 0.5));
  /* Translators: an estimated number of members, then its confidence interval */
  return g_strdup_printf (_("≈ %s (%s–%s)"), count, low, high);
}

static void
set_running (PushPreviewPage *self,
             gboolean         running)
{
  gtk_spinner_set_spinning (self->spinner, running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->run_button), !running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->sample_button), !running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->full_button), !running);
  if (running)
    {
      gtk_label_set_text (self->progress_label, _("Preparing…"));
      gtk_progress_bar_set_fraction (self->progress_bar, 0);
      gtk_stack_set_visible_child_name (self->state_stack, "running");
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static void
show_error (PushPreviewPage *self,
            const char      *description)
{
  adw_status_page_set_description (self->error_page, description);
  gtk_stack_set_visible_child_name (self->state_stack, "error");
}

static void
update_shown (PushPreviewPage *self)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  guint all = self->preview != NULL ? push_preview_get_n_predictions (self->preview) : 0;
  g_autofree char *shown_text = push_audience_format_count (shown);
  g_autofree char *all_text = push_audience_format_count (all);
  g_autofree char *text = NULL;

  if (self->preview != NULL && push_preview_is_estimate (self->preview))
    /* Translators: members shown, members listed; a sample lists only some members */
    text = g_strdup_printf (_("%s of %s members listed: the sample, the members set aside and "
                              "the duplicates"), shown_text, all_text);
  else
    text = g_strdup_printf (_("%s of %s members"), shown_text, all_text);
  gtk_label_set_text (self->shown_label, text);
}

static void
update_labels (PushPreviewPage *self)
{
  PushPreview *preview = self->preview;
  const PushRunCounts *counts = push_preview_get_counts (preview);
  PushPreviewEstimate estimate;
  g_autoptr(GString) matches = g_string_new (NULL);
  g_autoptr(GString) reasons = g_string_new (NULL);
  g_autofree char *looked_up = push_audience_format_count (push_preview_get_n_looked_up (preview));
  g_autofree char *sendable = push_audience_format_count (push_preview_get_n_sendable (preview));
  g_autofree char *mode_text = NULL;
  g_autofree char *match_text = NULL;
  const gint64 *partitions;
  guint n_partitions;

  if (push_preview_is_estimate (preview))
    mode_text = g_strdup_printf (_("Estimates from a random sample: %s of the %s members that "
                                   "would be sent were looked up (±%.1f points at %.0f %% "
                                   "confidence). Members set aside and duplicates are exact."),
                                 looked_up, sendable, 100.0 * push_preview_get_margin (preview),
                                 100.0 * push_preview_get_confidence (preview));
  else
    mode_text = g_strdup_printf (_("Every member that would be sent was looked up (%s): these "
                                   "are predictions for each of them."), looked_up);
  gtk_label_set_text (self->mode_label, mode_text);

  push_preview_get_match_estimate (preview, &estimate);
  match_text = format_estimate (preview, &estimate);
  g_string_append_printf (matches, _("Match an existing lead: %s"), match_text);
  partitions = push_preview_get_partition_ids (preview, &n_partitions);
  for (guint i = 0; i < n_partitions; i++)
    {
      const char *name = push_preview_get_partition_name (preview, partitions[i]);
      g_autofree char *fallback = g_strdup_printf (_("partition %" G_GINT64_FORMAT),
                                                   partitions[i]);
      g_autofree char *text = NULL;

      push_preview_get_partition_estimate (preview, partitions[i], &estimate);
      text = format_estimate (preview, &estimate);
      g_string_append_printf (matches, i == 0 ? " (%s: %s" : ", %s: %s",
                              name != NULL ? name : fallback, text);
      if (i + 1 == n_partitions)
        g_string_append (matches, ")");
    }
  g_string_append (matches, ".");
  push_preview_get_multiple_estimate (preview, &estimate);
  if (estimate.successes > 0)
    {
      g_autofree char *text = format_estimate (preview, &estimate);

      g_string_append (matches, " ");
      g_string_append_printf (matches, _("Several leads match: %s (the most recently updated "
                                         "one is chosen; Sync Leads refuses them)."), text);
    }
  gtk_label_set_text (self->matches_label, matches->str);

  if (counts->set_aside == 0)
    g_string_append (reasons, _("Nobody is set aside."));
  else
    {
      g_autofree char *n = push_audience_format_count (counts->set_aside);

      g_string_append_printf (reasons, _("Set aside, not sent: %s"), n);
      for (guint i = 0; i < push_preview_get_n_reasons (preview); i++)
        {
          guint64 count;
          const char *reason = push_preview_get_reason (preview, i, &count);
          g_autofree char *count_text = push_audience_format_count (count);

          g_string_append_printf (reasons, "\n • %s (%s)", reason, count_text);
        }
    }
  gtk_label_set_text (self->reasons_label, reasons->str);

  if (push_preview_get_forecast (preview) != NULL)
    {
      g_autofree char *forecast = push_forecast_describe (push_preview_get_forecast (preview));
      g_autofree char *text = g_strdup_printf (_("Activation forecast: %s"), forecast);

      gtk_label_set_text (self->forecast_label, text);
    }
  else
    gtk_label_set_text (self->forecast_label, "");
}

/* ---- The table ------------------------------------------------------------------------ */

static gboolean
filter_member (gpointer item,
               gpointer user_data)
{
  PushPreviewPage *self = user_data;
  PushPreviewMember *member = item;

  if (self->filter_outcome >= 0 &&
      (int) push_preview_member_get_outcome (member) != self->filter_outcome)
    return FALSE;
  return push_preview_member_matches_text (member, self->filter_text);
}

static void
setup_label_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

typedef enum {
  COLUMN_ROW,
  COLUMN_VALUE,
  COLUMN_OUTCOME,
  COLUMN_LEAD,
  COLUMN_REASON,
} Column;

static void
bind_label_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  PushPreviewMember *member = gtk_list_item_get_item (item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));
  g_autofree char *row = NULL;

  switch ((Column) GPOINTER_TO_INT (user_data))
    {
    case COLUMN_ROW:
      row = push_audience_format_count (push_preview_member_get_row_number (member));
      gtk_label_set_text (label, row);
      break;
    case COLUMN_VALUE:
      gtk_label_set_text (label, push_preview_member_get_dedupe_value (member));
      break;
    case COLUMN_OUTCOME:
      gtk_label_set_text (label, push_outcome_get_label (push_preview_member_get_outcome (member)));
      break;
    case COLUMN_LEAD:
      gtk_label_set_text (label, push_preview_member_get_lead_text (member));
      break;
    case COLUMN_REASON:
    default:
      gtk_label_set_text (label, push_preview_member_get_reason (member));
      gtk_widget_set_tooltip_text (GTK_WIDGET (label), push_preview_member_get_reason (member));
      break;
    }
}

static void
add_column (PushPreviewPage *self,
            const char      *title,
            Column           column,
            gboolean         expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *view_column;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_label_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_label_cb), GINT_TO_POINTER (column));
  view_column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (view_column, expand);
  gtk_column_view_column_set_resizable (view_column, TRUE);
  gtk_column_view_append_column (self->members_view, view_column);
  g_object_unref (view_column);
}

static void
selection_changed_cb (PushPreviewPage *self)
{
  PushPreviewMember *member = gtk_single_selection_get_selected_item (self->selection);

  push_member_detail_set_member (self->detail, member,
                                 self->preview != NULL ?
                                 push_preview_get_detail_fields (self->preview) : NULL);
}

static void
refilter (PushPreviewPage *self)
{
  if (self->filter == NULL)
    return;  /* still being built */
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_shown (self);
}

/* ---- Callbacks ------------------------------------------------------------------------ */

static void
back_button_clicked_cb (GtkButton       *button,
                        PushPreviewPage *self)
{
  push_preview_page_cancel (self);
  g_signal_emit (self, signals[CLOSED], 0);
}

static void
run_button_clicked_cb (GtkButton       *button,
                       PushPreviewPage *self)
{
  push_preview_page_start (self, gtk_toggle_button_get_active (self->full_button) ?
                                 PUSH_PREVIEW_MODE_FULL : PUSH_PREVIEW_MODE_SAMPLE);
}

static void
cancel_button_clicked_cb (GtkButton       *button,
                          PushPreviewPage *self)
{
  push_preview_page_cancel (self);
}

static void
search_changed_cb (GtkSearchEntry  *entry,
                   PushPreviewPage *self)
{
  g_free (self->filter_text);
  self->filter_text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry)));
  refilter (self);
}

static void
outcome_selected_cb (PushPreviewPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->outcome_dropdown);

  self->filter_outcome = selected == 0 || selected > G_N_ELEMENTS (filter_outcomes) ?
                         -1 : (int) filter_outcomes[selected - 1];
  refilter (self);
}

static void
planner_progress_cb (PushPlanner     *planner,
                     PushPreviewPage *self)
{
  guint64 done, total;

  if (planner != self->planner)
    return;
  push_planner_get_progress (planner, &done, &total);
  switch (push_planner_get_phase (planner))
    {
    case PUSH_PLANNER_PHASE_INSTANCE:
      gtk_label_set_text (self->progress_label, _("Reading the instance’s fields…"));
      break;
    case PUSH_PLANNER_PHASE_READING:
      gtk_label_set_text (self->progress_label, _("Reading the audience…"));
      gtk_progress_bar_pulse (self->progress_bar);
      break;
    case PUSH_PLANNER_PHASE_LOOKING_UP:
      {
        g_autofree char *done_text = push_audience_format_count (done);
        g_autofree char *total_text = push_audience_format_count (total);
        g_autofree char *text = g_strdup_printf (_("Looking up %s of %s members…"), done_text,
                                                 total_text);

        gtk_label_set_text (self->progress_label, text);
        gtk_progress_bar_set_fraction (self->progress_bar, total > 0 ? (double) done / total : 0);
      }
      break;
    case PUSH_PLANNER_PHASE_IDLE:
    case PUSH_PLANNER_PHASE_DONE:
    default:
      break;
    }
}

static void
planner_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PushPreviewPage) self = user_data;
  PushPlanner *planner = PUSH_PLANNER (source);
  g_autoptr(PushPreview) preview = NULL;
  g_autoptr(GError) error = NULL;

  preview = push_planner_run_finish (planner, result, &error);
  if (planner != self->planner)
    return;  /* a run that was replaced */

  g_clear_object (&self->planner);
  g_clear_object (&self->cancellable);
  set_running (self, FALSE);

  if (preview != NULL)
    {
      push_preview_page_set_preview (self, preview);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      gtk_stack_set_visible_child_name (self->state_stack,
                                        self->preview != NULL ? "result" : "idle");
      return;
    }
  if (g_error_matches (error, PUSH_PLANNER_ERROR, PUSH_PLANNER_ERROR_INVALID))
    {
      g_autoptr(GPtrArray) problems = push_planner_dup_problems (planner);
      g_autoptr(GString) text = g_string_new (NULL);

      for (guint i = 0; i < problems->len; i++)
        {
          const PushProblem *problem = g_ptr_array_index (problems, i);

          if (problem->severity != PUSH_PROBLEM_SEVERITY_ERROR)
            continue;
          if (text->len > 0)
            g_string_append_c (text, '\n');
          g_string_append (text, problem->message);
        }
      show_error (self, text->str);
      return;
    }
  show_error (self, error->message);
}

static void
got_client_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(PushPreviewPage) self = user_data;
  g_autoptr(MarketoClient) client = NULL;
  g_autoptr(GError) error = NULL;
  PushPreviewMode mode;

  client = push_connection_client_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->cancellable);
  set_running (self, FALSE);
  if (client == NULL)
    {
      g_autofree char *text = push_connection_describe_error (error,
                                                              push_account_get_endpoint (self->account));

      show_error (self, text);
      return;
    }
  g_set_object (&self->client, client);
  mode = gtk_toggle_button_get_active (self->full_button) ? PUSH_PREVIEW_MODE_FULL :
                                                            PUSH_PREVIEW_MODE_SAMPLE;
  start_planner (self, mode);
}

static void
start_planner (PushPreviewPage *self,
               PushPreviewMode  mode)
{
  self->planner = push_planner_new (self->destination, self->audience, self->client);
  push_planner_set_mode (self->planner, mode);
  push_planner_set_audience_format (self->planner, self->audience_format,
                                    self->audience_delimiter);
  push_planner_set_partition_rule (self->planner, self->partition_rule);
  if (self->seed_set)
    push_planner_set_seed (self->planner, self->seed);
  if (self->store != NULL)
    push_planner_set_store (self->planner, self->store);
  g_signal_connect_object (self->planner, "progress", G_CALLBACK (planner_progress_cb), self, 0);

  self->cancellable = g_cancellable_new ();
  set_running (self, TRUE);
  push_planner_run_async (self->planner, self->cancellable, planner_done_cb,
                          g_object_ref (self));
}

/* ---- GObject -------------------------------------------------------------------------- */

static void
push_preview_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  PushPreviewPage *self = PUSH_PREVIEW_PAGE (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, push_preview_page_get_running (self));
      break;
    case PROP_PREVIEW:
      g_value_set_object (value, self->preview);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Taken off the window (closed or replaced by another page): the connection or the planner
 * holds a reference until it ends, so dispose would come too late to stop its API calls. */
static void
push_preview_page_unroot (GtkWidget *widget)
{
  push_preview_page_cancel (PUSH_PREVIEW_PAGE (widget));

  GTK_WIDGET_CLASS (push_preview_page_parent_class)->unroot (widget);
}

static void
push_preview_page_dispose (GObject *object)
{
  PushPreviewPage *self = PUSH_PREVIEW_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->planner);
  g_clear_object (&self->destination);
  g_clear_object (&self->audience);
  g_clear_object (&self->client);
  g_clear_object (&self->account);
  g_clear_object (&self->store);
  g_clear_object (&self->preview);
  g_clear_object (&self->selection);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);

  gtk_widget_dispose_template (GTK_WIDGET (self), PUSH_TYPE_PREVIEW_PAGE);

  G_OBJECT_CLASS (push_preview_page_parent_class)->dispose (object);
}

static void
push_preview_page_finalize (GObject *object)
{
  PushPreviewPage *self = PUSH_PREVIEW_PAGE (object);

  g_free (self->filter_text);

  G_OBJECT_CLASS (push_preview_page_parent_class)->finalize (object);
}

static void
push_preview_page_class_init (PushPreviewPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = push_preview_page_get_property;
  object_class->dispose = push_preview_page_dispose;
  object_class->finalize = push_preview_page_finalize;

  widget_class->unroot = push_preview_page_unroot;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PREVIEW] =
    g_param_spec_object ("preview", NULL, NULL, PUSH_TYPE_PREVIEW,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PushPreviewPage::closed:
   *
   * The user went back.
   */
  signals[CLOSED] = g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (PUSH_TYPE_OUTCOME_CHART);
  g_type_ensure (PUSH_TYPE_MEMBER_DETAIL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/push-preview-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PushPreviewPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, PushPreviewPage, run_button);
  gtk_widget_class_bind_template_child (widget_class, PushPreviewPage, sample_button);
  gtk_widget_class_bind_template_child (widget_class, PushPreviewPage, full_button);
  gtk_widget_class_bind_template_child (widget_class, PushPreviewPage, state_stack);
  gtk_widget_class_bind_template_child (widget_class, PushPreviewPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, PushPreviewPage, progress_label);
  gtk_widget_class_bind_template_child (widget_class, PushPreviewPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, PushPreviewPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, PushPreviewPage, mode_label);
  gtk_widget_class_bind_template_child (widget_class, PushPreviewPage, chart);
  gtk_widget_class_bind_template_child (widget_class, PushPreviewPage, matches_label);
  gtk_widget_class_bind_template_child (widget_class, PushPreviewPage, reasons_label);
  gtk_widget_class_bind_template_child (widget_class, PushPreviewPage, forecast_label);
  gtk_widget_class_bind_template_child (widget_class, PushPreviewPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PushPreviewPage, outcome_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PushPreviewPage, shown_label);
  gtk_widget_class_bind_template_child (widget_class, PushPreviewPage, members_view);
  gtk_widget_class_bind_template_child (widget_class, PushPreviewPage, detail);
  gtk_widget_class_bind_template_callback (widget_class, back_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, run_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, outcome_selected_cb);
}

static void
push_preview_page_init (PushPreviewPage *self)
{
  g_autoptr(GtkStringList) outcomes = gtk_string_list_new (NULL);

  self->filter_outcome = -1;
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_string_list_append (outcomes, _("All Members"));
  for (guint i = 0; i < G_N_ELEMENTS (filter_outcomes); i++)
    gtk_string_list_append (outcomes, push_outcome_get_label (filter_outcomes[i]));
  gtk_drop_down_set_model (self->outcome_dropdown, G_LIST_MODEL (outcomes));

  self->filter = gtk_custom_filter_new (filter_member, self, NULL);
  self->filtered = gtk_filter_list_model_new (NULL, g_object_ref (GTK_FILTER (self->filter)));
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->filtered)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_swapped (self->selection, "notify::selected-item",
                            G_CALLBACK (selection_changed_cb), self);
  gtk_column_view_set_model (self->members_view, GTK_SELECTION_MODEL (self->selection));

  add_column (self, C_("preview column", "Row"), COLUMN_ROW, FALSE);
  add_column (self, C_("preview column", "Dedupe Value"), COLUMN_VALUE, TRUE);
  add_column (self, C_("preview column", "Predicted Outcome"), COLUMN_OUTCOME, FALSE);
  add_column (self, C_("preview column", "Lead"), COLUMN_LEAD, FALSE);
  add_column (self, C_("preview column", "Reason"), COLUMN_REASON, TRUE);
}

/* ---- Public API ----------------------------------------------------------------------- */

GtkWidget *
push_preview_page_new (PushDestination *destination,
                       GFile           *audience)
{
  PushPreviewPage *self;
  g_autofree char *name = NULL;
  g_autofree char *subtitle = NULL;

  g_return_val_if_fail (PUSH_IS_DESTINATION (destination), NULL);
  g_return_val_if_fail (G_IS_FILE (audience), NULL);

  self = g_object_new (PUSH_TYPE_PREVIEW_PAGE, NULL);
  self->destination = push_destination_copy (destination);
  self->audience = g_object_ref (audience);

  name = g_file_get_basename (audience);
  /* Translators: an audience file's name, then a destination's name */
  subtitle = g_strdup_printf (_("%s into %s"), name, push_destination_get_name (destination));
  adw_window_title_set_subtitle (self->window_title, subtitle);
  return GTK_WIDGET (self);
}

void
push_preview_page_set_client (PushPreviewPage *self,
                              MarketoClient   *client)
{
  g_return_if_fail (PUSH_IS_PREVIEW_PAGE (self));
  g_return_if_fail (client == NULL || MARKETO_IS_CLIENT (client));
  g_set_object (&self->client, client);
}

void
push_preview_page_set_account (PushPreviewPage *self,
                               PushAccount     *account)
{
  g_return_if_fail (PUSH_IS_PREVIEW_PAGE (self));
  g_return_if_fail (account == NULL || PUSH_IS_ACCOUNT (account));
  g_set_object (&self->account, account);
}

void
push_preview_page_set_audience_format (PushPreviewPage    *self,
                                       PushAudienceFormat  format,
                                       char                delimiter)
{
  g_return_if_fail (PUSH_IS_PREVIEW_PAGE (self));
  self->audience_format = format;
  self->audience_delimiter = delimiter;
}

void
push_preview_page_set_store (PushPreviewPage *self,
                             PushStore       *store)
{
  g_return_if_fail (PUSH_IS_PREVIEW_PAGE (self));
  g_return_if_fail (store == NULL || PUSH_IS_STORE (store));
  g_set_object (&self->store, store);
}

void
push_preview_page_set_partition_rule (PushPreviewPage *self,
                                      gboolean         partition_rule)
{
  g_return_if_fail (PUSH_IS_PREVIEW_PAGE (self));
  self->partition_rule = !!partition_rule;
}

void
push_preview_page_set_seed (PushPreviewPage *self,
                            guint32          seed)
{
  g_return_if_fail (PUSH_IS_PREVIEW_PAGE (self));
  self->seed_set = TRUE;
  self->seed = seed;
}

void
push_preview_page_start (PushPreviewPage *self,
                         PushPreviewMode  mode)
{
  GtkRoot *root;
  GtkApplication *app = NULL;

  g_return_if_fail (PUSH_IS_PREVIEW_PAGE (self));

  push_preview_page_cancel (self);
  gtk_toggle_button_set_active (mode == PUSH_PREVIEW_MODE_FULL ? self->full_button :
                                                                 self->sample_button, TRUE);
  if (self->client != NULL)
    {
      start_planner (self, mode);
      return;
    }

  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (GTK_IS_WINDOW (root))
    app = gtk_window_get_application (GTK_WINDOW (root));
  if (self->account == NULL || !PUSH_IS_APPLICATION (app))
    {
      show_error (self, _("There is no connection to Marketo for this destination’s account."));
      return;
    }

  /* The connection first (for the Sandbox account, the sandbox starts). */
  self->cancellable = g_cancellable_new ();
  set_running (self, TRUE);
  gtk_label_set_text (self->progress_label, _("Connecting to Marketo…"));
  push_connection_client_async (PUSH_APPLICATION (app), self->account, NULL, self->cancellable,
                                got_client_cb, g_object_ref (self));
}

void
push_preview_page_cancel (PushPreviewPage *self)
{
  g_return_if_fail (PUSH_IS_PREVIEW_PAGE (self));

  if (self->cancellable == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  /* The planner's callback will see it was replaced. */
  g_clear_object (&self->planner);
  set_running (self, FALSE);
  gtk_stack_set_visible_child_name (self->state_stack, self->preview != NULL ? "result" : "idle");
}

gboolean
push_preview_page_get_running (PushPreviewPage *self)
{
  g_return_val_if_fail (PUSH_IS_PREVIEW_PAGE (self), FALSE);
  return self->cancellable != NULL;
}

void
push_preview_page_set_preview (PushPreviewPage *self,
                               PushPreview     *preview)
{
  g_return_if_fail (PUSH_IS_PREVIEW_PAGE (self));
  g_return_if_fail (PUSH_IS_PREVIEW (preview));

  if (!g_set_object (&self->preview, preview))
    return;

  push_outcome_chart_set_preview (self->chart, preview);
  update_labels (self);
  gtk_filter_list_model_set_model (self->filtered, G_LIST_MODEL (preview));
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  push_member_detail_set_member (self->detail, NULL, NULL);
  update_shown (self);
  gtk_stack_set_visible_child_name (self->state_stack, "result");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PREVIEW]);
}

PushPreview *
push_preview_page_get_preview (PushPreviewPage *self)
{
  g_return_val_if_fail (PUSH_IS_PREVIEW_PAGE (self), NULL);
  return self->preview;
}

PushOutcomeChart *
push_preview_page_get_chart (PushPreviewPage *self)
{
  g_return_val_if_fail (PUSH_IS_PREVIEW_PAGE (self), NULL);
  return self->chart;
}

PushMemberDetail *
push_preview_page_get_detail (PushPreviewPage *self)
{
  g_return_val_if_fail (PUSH_IS_PREVIEW_PAGE (self), NULL);
  return self->detail;
}

GListModel *
push_preview_page_get_shown (PushPreviewPage *self)
{
  g_return_val_if_fail (PUSH_IS_PREVIEW_PAGE (self), NULL);
  return G_LIST_MODEL (self->filtered);
}

void
push_preview_page_set_filter (PushPreviewPage *self,
                              int              outcome,
                              const char      *text)
{
  guint selected = 0;

  g_return_if_fail (PUSH_IS_PREVIEW_PAGE (self));

  for (guint i = 0; i < G_N_ELEMENTS (filter_outcomes); i++)
    if ((int) filter_outcomes[i] == outcome)
      selected = i + 1;
  /* Through the widgets, as a user would: their handlers refilter. */
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text != NULL ? text : "");
  g_free (self->filter_text);
  self->filter_text = g_strdup (text);
  gtk_drop_down_set_selected (self->outcome_dropdown, selected);
  outcome_selected_cb (self);
}

gboolean
push_preview_page_select_row (PushPreviewPage *self,
                              guint64          row_number)
{
  guint n;

  g_return_val_if_fail (PUSH_IS_PREVIEW_PAGE (self), FALSE);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PushPreviewMember) member = g_list_model_get_item (G_LIST_MODEL (self->filtered), i);

      if (push_preview_member_get_row_number (member) == row_number)
        {
          gtk_single_selection_set_selected (self->selection, i);
          return TRUE;
        }
    }
  return FALSE;
}

/* ---- The window's hook ---------------------------------------------------------------- */

static void
preview_destination_activated (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (widget));
  PushDestinations *destinations;
  PushDestination *destination;
  PushAccount *account;
  MarketoSandbox *sandbox;
  PushAudienceEntry *entry;
  GtkWidget *page;
  g_autoptr(GFile) file = NULL;
  const char *id, *path;

  g_return_if_fail (PUSH_IS_WINDOW (widget));
  g_return_if_fail (PUSH_IS_APPLICATION (app));

  g_variant_get (parameter, "(&s&s)", &id, &path);
  destinations = push_application_get_destinations (PUSH_APPLICATION (app));
  destination = destinations != NULL ? push_destinations_find_by_id (destinations, id) : NULL;
  if (destination == NULL)
    {
      push_window_add_toast (PUSH_WINDOW (widget), _("That destination no longer exists"));
      return;
    }
  account = push_accounts_find_by_id (push_application_get_accounts (PUSH_APPLICATION (app)),
                                      push_destination_get_account_id (destination));

  file = g_file_new_for_path (path);
  page = push_preview_page_new (destination, file);
  push_preview_page_set_account (PUSH_PREVIEW_PAGE (page), account);
  push_preview_page_set_store (PUSH_PREVIEW_PAGE (page),
                               push_application_get_store (PUSH_APPLICATION (app)));
  /* Read the file as its audience page says (format and delimiter, when the user set them) */
  entry = push_audiences_find_by_path (push_application_get_audiences (PUSH_APPLICATION (app)),
                                       path);
  if (entry != NULL)
    push_preview_page_set_audience_format (PUSH_PREVIEW_PAGE (page),
                                           push_audience_entry_get_format (entry),
                                           push_audience_entry_get_delimiter (entry));
  /* The app's own sandbox says whether it refuses updates across partitions. */
  sandbox = push_application_get_sandbox (PUSH_APPLICATION (app));
  if (account != NULL && push_account_get_is_sandbox (account) && sandbox != NULL)
    {
      gboolean rule = FALSE;

      g_object_get (sandbox, "partition-rule", &rule, NULL);
      push_preview_page_set_partition_rule (PUSH_PREVIEW_PAGE (page), rule);
    }

  push_window_show_subpage (PUSH_WINDOW (widget), page);
  push_preview_page_start (PUSH_PREVIEW_PAGE (page), PUSH_PREVIEW_MODE_SAMPLE);
}

void
push_preview_page_install_window_action (GtkWidgetClass *window_class)
{
  gtk_widget_class_install_action (window_class, "win.preview-destination", "(ss)",
                                   preview_destination_activated);
}
