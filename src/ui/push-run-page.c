/* push-run-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "push-run-alerts.h"
#include "push-run-chart.h"
#include "push-run-history.h"
#include "push-problem.h"
#include "push-run-page.h"
#include "push-audiences.h"
#include "push-run-report.h"

/* The outcome list counts again at most this often while the run goes on. */
#define REFRESH_INTERVAL_US (1 * G_USEC_PER_SEC)
/* A paused run's countdown is redrawn this often. */
#define QUOTA_TICK_S 30

typedef enum {
  TILE_CREATED,
  TILE_UPDATED,
  TILE_ADDED,
  TILE_NOT_FOUND,
  TILE_MULTIPLE,
  TILE_REJECTED,
  TILE_FAILED,
  TILE_SET_ASIDE,
  TILE_DUPLICATES,
  TILE_CALLS,
  N_TILES
} Tile;

static const struct {
  const char *key;        /* "<key>_tile" and "<key>_label" in the template */
  gboolean    optional;   /* shown only when not 0 */
  const char *css_class;  /* (nullable) the number's colour, when not 0 */
} tiles[N_TILES] = {
  [TILE_CREATED] = { "created", FALSE, "success" },
  [TILE_UPDATED] = { "updated", FALSE, "accent" },
  [TILE_ADDED] = { "added", FALSE, NULL },
  [TILE_NOT_FOUND] = { "not_found", FALSE, NULL },
  [TILE_MULTIPLE] = { "multiple", TRUE, NULL },
  [TILE_REJECTED] = { "rejected", FALSE, "error" },
  [TILE_FAILED] = { "failed", TRUE, "error" },
  [TILE_SET_ASIDE] = { "set_aside", FALSE, "warning" },
  [TILE_DUPLICATES] = { "duplicates", TRUE, NULL },
  [TILE_CALLS] = { "calls", FALSE, NULL },
};

typedef enum {
  COLUMN_ROW,
  COLUMN_DEDUPE,
  COLUMN_OUTCOME,
  COLUMN_LEAD,
  COLUMN_REASON,
} Column;

/* What the page shows, from the live progress or the stored run. */
typedef struct {
  PushRunState   state;
  guint64        done;
  guint64        total;
  PushRunCounts  counts;
  guint64        calls;
  double         rate;
  double         eta;
} Display;

struct _PushRunPage
{
  AdwBin                parent_instance;

  /* Template widgets */
  AdwWindowTitle       *window_title;
  GtkButton            *export_button;
  GtkButton            *cancel_button;
  GtkButton            *resume_button;
  GtkLabel             *state_label;
  GtkLabel             *message_label;
  GtkProgressBar       *progress_bar;
  GtkLabel             *stats_label;
  GtkWidget            *tile_boxes[N_TILES];
  GtkLabel             *tile_labels[N_TILES];
  PushRunChart         *chart;
  GtkLabel             *people_label;
  GtkSpinner           *busy_spinner;
  GtkDropDown          *filter_dropdown;
  GtkSearchEntry       *outcome_search;
  GtkStack             *list_stack;
  GtkColumnView        *outcomes_view;
  AdwStatusPage        *empty_status;

  /* Owned references */
  PushApplication      *application;
  PushRunStore         *runs;
  PushRunController    *controller;       /* (nullable) */
  PushRunInfo          *info;             /* (nullable): the run as last read */
  PushRunOutcomesModel *outcomes;         /* (nullable) */
  char                 *run_id;           /* (nullable) */
  char                 *audience_name;
  char                 *destination_name;
  char                 *not_started;      /* (nullable): why the last start did not happen */
  PushDestination      *destination;      /* (nullable): a new run, to start it again */
  char                 *audience_path;    /* (nullable): the same */
  GCancellable         *cancellable;

  char                 *forecast_text;    /* (nullable): awaiting the user's confirmation */

  gint64                last_refresh_us;
  guint                 quota_tick_id;
  gboolean              cancelling;
};

G_DEFINE_FINAL_TYPE (PushRunPage, push_run_page, ADW_TYPE_BIN)

enum {
  SIGNAL_CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void update (PushRunPage *self);
static void start_new_run (PushRunPage *self,
                           gboolean     confirmed);
static void resume_run    (PushRunPage *self,
                           gboolean     confirmed);

/* ---- Helpers ------------------------------------------------------------------------- */

static void
show_toast (PushRunPage *self,
            const char  *message)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (PUSH_IS_WINDOW (root))
    push_window_add_toast (PUSH_WINDOW (root), message);
}

static gboolean
is_live (PushRunPage *self)
{
  return self->controller != NULL && push_run_controller_get_running (self->controller);
}

static void
get_display (PushRunPage *self,
             Display     *display)
{
  memset (display, 0, sizeof *display);
  display->state = PUSH_RUN_STATE_PENDING;
  display->eta = -1;

  if (is_live (self))
    {
      const PushActivationProgress *progress = push_run_controller_get_progress (self->controller);

      /* The last progress may carry the final state before the run has ended: the page
       * says so once it has (and then reads the stored run). */
      display->state = progress->state == PUSH_RUN_STATE_PENDING ? PUSH_RUN_STATE_PENDING
                                                                 : PUSH_RUN_STATE_RUNNING;
      display->done = progress->members_done;
      display->total = progress->members_total;
      display->counts = progress->counts;
      display->calls = progress->calls_used;
      display->rate = progress->rate;
      display->eta = progress->eta_seconds;
    }
  else if (self->info != NULL)
    {
      display->state = self->info->state;
      display->done = self->info->counts.members;
      display->total = MAX (self->info->total_members, self->info->counts.members);
      display->counts = self->info->counts;
      display->calls = self->info->calls_used;
    }
}

static char *
describe_problems (PushRunController *controller)
{
  g_autoptr(GPtrArray) problems = NULL;
  GString *text;

  problems = push_activation_dup_problems (push_run_controller_get_activation (controller));
  if (problems == NULL || problems->len == 0)
    return NULL;

  text = g_string_new (NULL);
  for (guint i = 0; i < problems->len; i++)
    {
      const PushProblem *problem = g_ptr_array_index (problems, i);

      if (problem->severity != PUSH_PROBLEM_SEVERITY_ERROR)
        continue;
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, problem->message);
    }

  return g_string_free (text, text->len == 0);
}

static char *
format_time (GDateTime *time)
{
  g_autoptr(GDateTime) local = NULL;

  if (time == NULL)
    return NULL;

  local = g_date_time_to_local (time);
  /* Translators: a date and time in g_date_time_format() terms */
  return g_date_time_format (local, _("%e %b %Y, %H:%M"));
}

static void
set_message (PushRunPage *self,
             const char  *message,
             const char  *css_class)
{
  const char *classes[] = { "error", "warning", "dim-label" };

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), classes[i]);
  if (css_class != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->message_label), css_class);

  gtk_label_set_text (self->message_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL && message[0] != '\0');
}

static gboolean
quota_reset_passed (PushRunPage *self)
{
  g_autoptr(GDateTime) now = NULL;

  if (self->info == NULL || self->info->quota_reset == NULL)
    return TRUE;

  now = g_date_time_new_now_utc ();
  return g_date_time_compare (now, self->info->quota_reset) >= 0;
}

static gboolean
quota_tick_cb (gpointer user_data)
{
  update (PUSH_RUN_PAGE (user_data));
  return G_SOURCE_CONTINUE;
}

/* ---- Updating the page ---- */

static void
update_state (PushRunPage   *self,
              const Display *display)
{
  g_autofree char *message = NULL;
  const char *css_class = "dim-label";
  const char *state;
  gboolean live = is_live (self);
  gboolean paused_waiting = FALSE;

  if (live && self->cancelling)
    state = _("Stopping…");
  else if (live && display->state == PUSH_RUN_STATE_PENDING)
    state = _("Preparing…");
  else if (live)
    state = _("Sending…");
  else if (self->forecast_text != NULL)
    state = _("Waiting for Confirmation");
  else if (self->info == NULL && self->not_started != NULL)
    state = _("Not Started");
  else if (self->info == NULL)
    state = _("Preparing…");
  else
    state = push_run_state_get_label (display->state);
  gtk_label_set_text (self->state_label, state);

  if (live && display->state == PUSH_RUN_STATE_PENDING)
    message = g_strdup (_("Checking the destination and reading the audience."));
  else if (live)
    {
      g_autofree char *count = push_run_format_count (display->total);

      /* Translators: %s is the number of people of the audience */
      message = g_strdup_printf (_("Sending %s people in batches of up to 300."), count);
    }
  else if (self->info == NULL && self->forecast_text != NULL)
    {
      message = g_strdup (self->forecast_text);
      css_class = "warning";
    }
  else if (self->info == NULL && self->not_started != NULL)
    {
      message = g_strdup (self->not_started);
      css_class = "error";
    }
  else if (self->forecast_text != NULL)
    {
      /* A resume awaiting the user's confirmation. */
      message = g_strdup (self->forecast_text);
      css_class = "warning";
    }
  else if (self->info != NULL)
    {
      switch (self->info->state)
        {
        case PUSH_RUN_STATE_PAUSED:
          message = push_run_format_quota_reset (self->info->quota_reset, NULL);
          css_class = "warning";
          paused_waiting = !quota_reset_passed (self);
          break;
        case PUSH_RUN_STATE_FAILED:
          message = g_strdup (self->info->message != NULL && self->info->message[0] != '\0'
                              ? self->info->message : _("The run stopped on an error."));
          css_class = "error";
          break;
        case PUSH_RUN_STATE_INTERRUPTED:
          message = g_strdup (_("The application stopped during this run. Resume goes on "
                                "from the last batch Marketo confirmed."));
          css_class = "warning";
          break;
        case PUSH_RUN_STATE_CANCELLED:
          message = g_strdup (_("Stopped. Resume goes on from the last batch Marketo "
                                "confirmed."));
          break;
        case PUSH_RUN_STATE_RUNNING:
          message = g_strdup (_("Another Audience Push process is sending this run."));
          break;
        case PUSH_RUN_STATE_PENDING:
        case PUSH_RUN_STATE_COMPLETED:
        default:
          message = g_strdup (self->info->message);
          break;
        }
    }
  set_message (self, message, css_class);

  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), live);
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), live && !self->cancelling);

  gtk_widget_set_visible (GTK_WIDGET (self->resume_button),
                          !live && self->info != NULL
                          && push_run_state_is_resumable (self->info->state));
  gtk_widget_set_sensitive (GTK_WIDGET (self->resume_button), !paused_waiting);
  if (self->info != NULL && self->info->state == PUSH_RUN_STATE_PAUSED && paused_waiting)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->resume_button),
                                 _("The daily API quota has not reset yet"));
  else
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->resume_button),
                                 _("Go on from the last batch Marketo confirmed"));

  /* The countdown of a paused run. */
  if (paused_waiting && self->quota_tick_id == 0)
    self->quota_tick_id = g_timeout_add_seconds (QUOTA_TICK_S, quota_tick_cb, self);
  else if (!paused_waiting)
    g_clear_handle_id (&self->quota_tick_id, g_source_remove);

  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button),
                            self->run_id != NULL && !live && self->info != NULL);
}

static void
update_progress (PushRunPage   *self,
                 const Display *display)
{
  g_autofree char *text = NULL;
  g_autofree char *stats = NULL;
  g_autofree char *calls = push_run_format_count (display->calls);
  double fraction = 0;

  if (display->total > 0)
    {
      g_autofree char *done = push_run_format_count (display->done);
      g_autofree char *total = push_run_format_count (display->total);

      fraction = CLAMP ((double) display->done / display->total, 0.0, 1.0);
      /* Translators: "1,234 of 5,000 people (24 %)" */
      text = g_strdup_printf (_("%s of %s people (%.0f %%)"), done, total,
                              floor (fraction * 100));
    }
  else if (is_live (self))
    text = g_strdup (_("Reading the audience…"));
  else
    text = g_strdup (_("Nobody sent yet"));

  gtk_progress_bar_set_fraction (self->progress_bar, fraction);
  gtk_progress_bar_set_text (self->progress_bar, text);

  if (is_live (self) && display->state == PUSH_RUN_STATE_RUNNING)
    {
      GString *line = g_string_new (NULL);

      /* Translators: %s is a number of API calls */
      g_string_append_printf (line, _("%s API calls"), calls);
      if (display->rate > 0)
        {
          g_autofree char *rate = push_run_format_count ((guint64) (display->rate + 0.5));

          /* Translators: %s is a number of people per second */
          g_string_append_printf (line, _(" · %s people/s"), rate);
        }
      if (display->eta >= 0 && display->done < display->total)
        {
          g_autofree char *eta = push_run_format_duration (display->eta);

          /* Translators: %s is a duration, "2 min 10 s" */
          g_string_append_printf (line, _(" · about %s left"), eta);
        }
      stats = g_string_free (line, FALSE);
    }
  else if (self->info != NULL)
    {
      GString *line = g_string_new (NULL);
      g_autofree char *started = format_time (self->info->started != NULL
                                              ? self->info->started : self->info->created);
      g_autofree char *fingerprint =
        push_run_format_short_fingerprint (self->info->audience_fingerprint);

      /* Translators: %s is a number of API calls */
      g_string_append_printf (line, _("%s API calls"), calls);
      if (started != NULL)
        /* Translators: %s is a date and time */
        g_string_append_printf (line, _(" · started %s"), g_strstrip (started));
      if (self->info->started != NULL && self->info->finished != NULL)
        {
          g_autofree char *took =
            push_run_format_duration (g_date_time_difference (self->info->finished,
                                                              self->info->started)
                                      / (double) G_TIME_SPAN_SECOND);

          /* Translators: %s is a duration */
          g_string_append_printf (line, _(" · took %s"), took);
        }
      if (fingerprint[0] != '\0')
        /* Translators: %s is the start of the audience file's SHA-256 */
        g_string_append_printf (line, _(" · audience %s"), fingerprint);
      stats = g_string_free (line, FALSE);
    }
  gtk_label_set_text (self->stats_label, stats != NULL ? stats : "");
  gtk_widget_set_visible (GTK_WIDGET (self->stats_label), stats != NULL);
}

static void
update_counts (PushRunPage   *self,
               const Display *display)
{
  const guint64 values[N_TILES] = {
    [TILE_CREATED] = display->counts.created,
    [TILE_UPDATED] = display->counts.updated,
    [TILE_ADDED] = display->counts.added,
    [TILE_NOT_FOUND] = display->counts.not_found,
    [TILE_MULTIPLE] = display->counts.multiple_matches,
    [TILE_REJECTED] = display->counts.rejected,
    [TILE_FAILED] = display->counts.failed,
    [TILE_SET_ASIDE] = display->counts.set_aside,
    [TILE_DUPLICATES] = display->counts.duplicates,
    [TILE_CALLS] = display->calls,
  };

  for (guint i = 0; i < N_TILES; i++)
    {
      g_autofree char *text = push_run_format_count (values[i]);
      /* The flow box wraps each tile in a child of its own. */
      GtkWidget *child = gtk_widget_get_parent (self->tile_boxes[i]);

      gtk_label_set_text (self->tile_labels[i], text);
      if (tiles[i].css_class != NULL && values[i] > 0)
        gtk_widget_add_css_class (GTK_WIDGET (self->tile_labels[i]), tiles[i].css_class);
      else if (tiles[i].css_class != NULL)
        gtk_widget_remove_css_class (GTK_WIDGET (self->tile_labels[i]), tiles[i].css_class);
      gtk_widget_set_visible (child != NULL ? child : self->tile_boxes[i],
                              !tiles[i].optional || values[i] > 0);
    }

  push_run_chart_set_counts (self->chart, &display->counts, display->total);
}

static void
update_people (PushRunPage *self)
{
  g_autofree char *text = NULL;
  g_autofree char *count = NULL;
  guint n = 0;
  gboolean busy = FALSE;

  if (self->outcomes != NULL)
    {
      n = g_list_model_get_n_items (G_LIST_MODEL (self->outcomes));
      busy = push_run_outcomes_model_get_busy (self->outcomes);
    }
  count = push_run_format_count (n);

  if (self->outcomes != NULL && push_run_outcomes_model_get_search (self->outcomes) != NULL)
    {
      if (push_run_outcomes_model_get_truncated (self->outcomes))
        /* Translators: %s is a number */
        text = g_strdup_printf (_("the first %s matches"), count);
      else
        /* Translators: %s is a number */
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s match", "%s matches", n),
                                count);
    }
  else
    /* Translators: %s is a number */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s person", "%s people", n), count);
  gtk_label_set_text (self->people_label, text);

  gtk_widget_set_visible (GTK_WIDGET (self->busy_spinner), busy);
  gtk_spinner_set_spinning (self->busy_spinner, busy);

  if (n > 0)
    gtk_stack_set_visible_child_name (self->list_stack, "list");
  else
    {
      const char *title;

      if (self->outcomes != NULL && push_run_outcomes_model_get_search (self->outcomes) != NULL)
        title = busy ? _("Searching…") : _("No Matches");
      else if (self->outcomes != NULL && push_run_outcomes_model_get_filter (self->outcomes) != 0)
        title = _("Nobody with This Outcome");
      else
        title = _("No Outcomes Yet");
      adw_status_page_set_title (self->empty_status, title);
      gtk_stack_set_visible_child_name (self->list_stack, "empty");
    }
}

static void
update (PushRunPage *self)
{
  Display display;
  g_autofree char *subtitle = NULL;

  get_display (self, &display);

  adw_window_title_set_title (self->window_title, self->audience_name);
  /* Translators: %s is a destination's name */
  subtitle = g_strdup_printf (_("To %s"), self->destination_name);
  adw_window_title_set_subtitle (self->window_title, subtitle);

  update_state (self, &display);
  update_progress (self, &display);
  update_counts (self, &display);
  update_people (self);
}

/* ---- The outcome list ---- */

static guint
selected_filter (PushRunPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->filter_dropdown);

  /* 0 is "All outcomes"; then the outcomes in their order. */
  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION || selected > PUSH_OUTCOME_N_VALUES)
    return PUSH_OUTCOME_MASK_ALL;

  return PUSH_OUTCOME_MASK (selected - 1);
}

static void
outcomes_changed_cb (PushRunPage *self)
{
  update_people (self);
}

static void
ensure_outcomes (PushRunPage *self)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  if (self->outcomes != NULL || self->run_id == NULL)
    return;

  self->outcomes = push_run_outcomes_model_new (self->runs, self->run_id);
  push_run_outcomes_model_set_filter (self->outcomes, selected_filter (self));
  push_run_outcomes_model_set_search (self->outcomes,
                                      gtk_editable_get_text (GTK_EDITABLE (self->outcome_search)));
  g_signal_connect_object (self->outcomes, "items-changed", G_CALLBACK (outcomes_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->outcomes, "notify::busy", G_CALLBACK (outcomes_changed_cb),
                           self, G_CONNECT_SWAPPED);

  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->outcomes)));
  gtk_column_view_set_model (self->outcomes_view, GTK_SELECTION_MODEL (selection));
  self->last_refresh_us = g_get_monotonic_time ();
}

static void
refresh_outcomes (PushRunPage *self,
                  gboolean     force)
{
  gint64 now = g_get_monotonic_time ();

  ensure_outcomes (self);
  if (self->outcomes == NULL)
    return;

  /* While the run writes, count at most once a second (in a worker thread). */
  if (!force && now - self->last_refresh_us < REFRESH_INTERVAL_US)
    return;

  self->last_refresh_us = now;
  push_run_outcomes_model_refresh (self->outcomes);
}

static void
filter_changed_cb (PushRunPage *self)
{
  if (self->outcomes != NULL)
    push_run_outcomes_model_set_filter (self->outcomes, selected_filter (self));
  update_people (self);
}

static void
search_changed_cb (PushRunPage *self)
{
  if (self->outcomes != NULL)
    {
      GtkEditable *search = GTK_EDITABLE (self->outcome_search);

      push_run_outcomes_model_set_search (self->outcomes, gtk_editable_get_text (search));
    }
  update_people (self);
}

static void
fill_cell (GtkLabel           *label,
           PushRunOutcomeItem *item)
{
  const PushOutcomeRecord *record = push_run_outcome_item_get_record (item);
  Column column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (label), "column"));
  const char *classes[] = { "success", "accent", "warning", "error", "dim-label" };
  const char *css_class = NULL;
  g_autofree char *text = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (label), classes[i]);

  if (record == NULL)
    {
      gtk_label_set_text (label, "");
      return;
    }

  switch (column)
    {
    case COLUMN_ROW:
      text = g_strdup_printf ("%" G_GUINT64_FORMAT, record->row_number);
      break;
    case COLUMN_DEDUPE:
      text = g_strdup (record->dedupe_value != NULL ? record->dedupe_value : "");
      break;
    case COLUMN_OUTCOME:
      text = g_strdup (push_outcome_get_label (record->outcome));
      switch (record->outcome)
        {
        case PUSH_OUTCOME_CREATED:
          css_class = "success";
          break;
        case PUSH_OUTCOME_UPDATED:
        case PUSH_OUTCOME_ADDED:
          css_class = "accent";
          break;
        case PUSH_OUTCOME_SET_ASIDE:
        case PUSH_OUTCOME_MULTIPLE_MATCHES:
          css_class = "warning";
          break;
        case PUSH_OUTCOME_REJECTED:
        case PUSH_OUTCOME_FAILED:
          css_class = "error";
          break;
        case PUSH_OUTCOME_NOT_FOUND:
        case PUSH_OUTCOME_DUPLICATE:
        default:
          css_class = "dim-label";
          break;
        }
      break;
    case COLUMN_LEAD:
      text = record->lead_id > 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, record->lead_id)
                                 : g_strdup ("");
      break;
    case COLUMN_REASON:
    default:
      if (record->reason_code != 0)
        text = g_strdup_printf ("%d · %s", record->reason_code,
                                record->reason_message != NULL ? record->reason_message : "");
      else if (record->detail != NULL)
        text = g_strdup (record->detail);
      else
        text = g_strdup (record->reason_message != NULL ? record->reason_message : "");
      break;
    }

  gtk_label_set_text (label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (label),
                               column == COLUMN_REASON || column == COLUMN_DEDUPE ? text : NULL);
  if (css_class != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (label), css_class);
}

static void
item_loaded_cb (PushRunOutcomeItem *item,
                GParamSpec         *pspec,
                GtkLabel           *label)
{
  fill_cell (label, item);
}

static void
cell_setup_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  column)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), GPOINTER_TO_UINT (column) == COLUMN_ROW ? 1 : 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (GPOINTER_TO_UINT (column) == COLUMN_ROW || GPOINTER_TO_UINT (column) == COLUMN_LEAD)
    gtk_widget_add_css_class (label, "numeric");
  g_object_set_data (G_OBJECT (label), "column", column);
  gtk_list_item_set_child (list_item, label);
}

static void
cell_bind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  column)
{
  PushRunOutcomeItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *label = gtk_list_item_get_child (list_item);

  fill_cell (GTK_LABEL (label), item);
  if (!push_run_outcome_item_get_loaded (item))
    g_signal_connect_object (item, "notify::loaded", G_CALLBACK (item_loaded_cb), label, 0);
}

static void
cell_unbind_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                gpointer                  column)
{
  PushRunOutcomeItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *label = gtk_list_item_get_child (list_item);

  if (item != NULL)
    g_signal_handlers_disconnect_by_func (item, item_loaded_cb, label);
}

static void
add_column (PushRunPage *self,
            const char  *title,
            Column       column,
            gboolean     expand,
            int          fixed_width)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) view_column = NULL;

  g_signal_connect (factory, "setup", G_CALLBACK (cell_setup_cb), GUINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (cell_bind_cb), GUINT_TO_POINTER (column));
  g_signal_connect (factory, "unbind", G_CALLBACK (cell_unbind_cb), GUINT_TO_POINTER (column));

  view_column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (view_column, expand);
  gtk_column_view_column_set_resizable (view_column, TRUE);
  if (fixed_width > 0)
    gtk_column_view_column_set_fixed_width (view_column, fixed_width);
  gtk_column_view_append_column (self->outcomes_view, view_column);
}

/* ---- The run ---- */

static void
reload_info (PushRunPage *self)
{
  g_autoptr(GError) error = NULL;
  PushRunInfo *info;

  if (self->run_id == NULL)
    return;

  /* One row by its key: cheap enough for the main thread. */
  info = push_run_store_get_run (self->runs, self->run_id, &error);
  if (info == NULL)
    {
      g_debug ("Run %s could not be read: %s", self->run_id, error->message);
      return;
    }

  g_clear_pointer (&self->info, push_run_info_free);
  self->info = info;
  g_free (self->destination_name);
  self->destination_name = g_strdup (info->destination_name);
}

static void
set_run_id (PushRunPage *self,
            const char  *run_id)
{
  if (run_id == NULL || g_strcmp0 (self->run_id, run_id) == 0)
    return;

  g_free (self->run_id);
  self->run_id = g_strdup (run_id);
  ensure_outcomes (self);
}

static void
controller_progress_cb (PushRunController            *controller,
                        const PushActivationProgress *progress,
                        PushRunPage                  *self)
{
  update (self);
  if (progress->members_done > 0)
    refresh_outcomes (self, FALSE);
}

static void
controller_run_id_cb (PushRunController *controller,
                      GParamSpec        *pspec,
                      PushRunPage       *self)
{
  set_run_id (self, push_run_controller_get_run_id (controller));
  update (self);
}

static void
confirm_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     PushRunPage      *self)
{
  gboolean resuming = self->info != NULL;

  g_clear_pointer (&self->forecast_text, g_free);
  if (g_strcmp0 (response, "send") == 0 && resuming)
    resume_run (self, TRUE);
  else if (g_strcmp0 (response, "send") == 0)
    start_new_run (self, TRUE);
  else if (resuming)
    {
      show_toast (self, _("Not resumed: the run needs more API calls than remain today"));
      update (self);
    }
  else
    {
      g_free (self->not_started);
      self->not_started = g_strdup (_("Not sent: the run needs more API calls than remain "
                                      "today."));
      update (self);
    }
}

static void
ask_confirmation (PushRunPage *self)
{
  PushActivation *activation = push_run_controller_get_activation (self->controller);
  g_autoptr(PushForecast) forecast = push_activation_dup_forecast (activation);
  g_autofree char *described = NULL;
  g_autofree char *body = NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;

  described = forecast != NULL ? push_forecast_describe (forecast) : g_strdup ("");
  g_free (self->forecast_text);
  self->forecast_text = g_strdup (described);
  update (self);
  body = g_strdup_printf ("%s\n\n%s", described,
                          _("That is more API calls than remain today. The run will pause "
                            "when the daily quota runs out, and can be resumed once it "
                            "resets."));

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Send More Than Today’s Quota?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "send", _("_Send Anyway"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "send",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (confirm_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
controller_finished_cb (PushRunController *controller,
                        PushRunPage       *self)
{
  const GError *error = push_run_controller_get_error (controller);

  self->cancelling = FALSE;
  set_run_id (self, push_run_controller_get_run_id (controller));
  reload_info (self);

  g_clear_pointer (&self->not_started, g_free);
  if (self->info == NULL && error != NULL)
    {
      g_autofree char *problems = NULL;

      if (g_error_matches (error, PUSH_ACTIVATION_ERROR, PUSH_ACTIVATION_ERROR_INVALID))
        problems = describe_problems (controller);
      self->not_started = problems != NULL ? g_strdup_printf ("%s\n%s", error->message, problems)
                                           : g_strdup (error->message);
    }
  else if (error != NULL && self->info != NULL
           && !push_run_state_is_resumable (self->info->state))
    {
      /* A resume that was refused: the run is as it was. */
      g_autofree char *message = g_strdup_printf (_("The run could not be resumed: %s"),
                                                  error->message);
      show_toast (self, message);
    }
  else if (error != NULL && self->info != NULL)
    self->not_started = g_strdup (error->message);

  refresh_outcomes (self, TRUE);
  update (self);

  /* A new run or a resume: either asks before it sends more than today's quota allows. */
  if (g_error_matches (error, PUSH_ACTIVATION_ERROR, PUSH_ACTIVATION_ERROR_NEEDS_CONFIRMATION))
    ask_confirmation (self);
}

static void
attach_controller (PushRunPage       *self,
                   PushRunController *controller)
{
  if (self->controller != NULL)
    g_signal_handlers_disconnect_by_data (self->controller, self);
  g_set_object (&self->controller, controller);
  self->cancelling = FALSE;

  g_signal_connect_object (controller, "progress", G_CALLBACK (controller_progress_cb), self, 0);
  g_signal_connect_object (controller, "notify::run-id", G_CALLBACK (controller_run_id_cb),
                           self, 0);
  g_signal_connect_object (controller, "finished", G_CALLBACK (controller_finished_cb), self, 0);

  set_run_id (self, push_run_controller_get_run_id (controller));
  update (self);
}

/* Reads the file as its audience page says (format and delimiter, when the user set them). */
static void
apply_audience_format (PushRunPage    *self,
                       PushActivation *activation,
                       const char     *path)
{
  PushAudiences *audiences = push_application_get_audiences (self->application);
  PushAudienceEntry *entry;

  if (audiences == NULL || path == NULL)
    return;
  entry = push_audiences_find_by_path (audiences, path);
  if (entry != NULL)
    push_activation_set_audience_format (activation, push_audience_entry_get_format (entry),
                                         push_audience_entry_get_delimiter (entry));
}

static void
start_new_run (PushRunPage *self,
               gboolean     confirmed)
{
  g_autoptr(PushActivation) activation = NULL;
  g_autoptr(PushRunController) controller = NULL;
  PushAccounts *accounts = push_application_get_accounts (self->application);
  PushAccount *account;

  g_return_if_fail (self->destination != NULL && self->audience_path != NULL);

  g_clear_pointer (&self->not_started, g_free);
  account = accounts != NULL
            ? push_accounts_find_by_id (accounts,
                                        push_destination_get_account_id (self->destination))
            : NULL;
  if (account == NULL)
    {
      self->not_started = g_strdup (_("The destination’s account no longer exists."));
      update (self);
      return;
    }

  activation = push_activation_new (push_application_get_store (self->application), account,
                                    self->destination, self->audience_path);
  push_activation_set_confirmed (activation, confirmed);
  apply_audience_format (self, activation, self->audience_path);
  push_activation_set_audience_name (activation, self->audience_name);

  controller = push_run_controller_new (self->application, activation, self->audience_name,
                                        self->destination_name);
  attach_controller (self, controller);
  push_run_controller_start (controller);
  update (self);
}

/* ---- Callbacks ---- */

static void
back_button_clicked_cb (PushRunPage *self)
{
  g_signal_emit (self, signals[SIGNAL_CLOSED], 0);
}

static void
cancel_button_clicked_cb (PushRunPage *self)
{
  if (!is_live (self))
    return;

  self->cancelling = TRUE;
  push_run_controller_cancel (self->controller);
  update (self);
}

static void
resume_button_clicked_cb (PushRunPage *self)
{
  resume_run (self, FALSE);
}

/* Goes on with the page's run; @confirmed: the user agreed to exceed today's quota. */
static void
resume_run (PushRunPage *self,
            gboolean     confirmed)
{
  g_autoptr(PushActivation) activation = NULL;
  g_autoptr(PushRunController) controller = NULL;

  if (is_live (self) || self->run_id == NULL)
    return;

  g_clear_pointer (&self->not_started, g_free);
  g_clear_pointer (&self->forecast_text, g_free);
  activation = push_activation_new_for_resume (push_application_get_store (self->application),
                                               self->run_id);
  push_activation_set_confirmed (activation, confirmed);
  apply_audience_format (self, activation,
                         self->audience_path != NULL ? self->audience_path
                         : self->info != NULL ? self->info->audience_path : NULL);
  controller = push_run_controller_new (self->application, activation, self->audience_name,
                                        self->destination_name);
  attach_controller (self, controller);
  push_run_controller_start (controller);
  update (self);
}

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  PushRunPage *self = PUSH_RUN_PAGE (source);
  g_autoptr(GFile) file = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *name = g_file_get_basename (file);
  gint64 written;

  written = push_run_page_export_report_finish (self, result, &error);
  if (written < 0)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf (_("The report could not be saved: %s"), error->message);
    }
  else
    {
      g_autofree char *count = push_run_format_count ((guint64) written);

      /* Translators: a number of people and a file name */
      message = g_strdup_printf (_("Report saved: %s people in “%s”"), count, name);
    }
  show_toast (self, message);
}

static void
export_response_cb (GtkNativeDialog *dialog,
                    int              response,
                    PushRunPage     *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);

  if (file != NULL)
    push_run_page_export_report_async (self, file, self->cancellable, export_done_cb,
                                       g_object_ref (file));
}

static void
export_button_clicked_cb (PushRunPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = NULL;

  if (self->run_id == NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Export Report"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  /* Translators: the suggested file name of a run's report; %s is the audience's name */
  name = g_strdup_printf (_("%s report.csv"), self->audience_name);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_file_filter_set_name (filter, _("CSV Files"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);

  g_signal_connect_object (chooser, "response", G_CALLBACK (export_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  PushRunPage *self = source_object;
  GFile *file = task_data;
  GError *error = NULL;
  gint64 written;

  /* self->runs and self->run_id do not change while the page lives. */
  written = push_run_report_export (self->runs, self->run_id, file, cancellable, &error);
  if (written < 0)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, written);
}

/* ---- GObject ---- */

static void
push_run_page_dispose (GObject *object)
{
  PushRunPage *self = PUSH_RUN_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->quota_tick_id, g_source_remove);
  if (self->controller != NULL)
    g_signal_handlers_disconnect_by_data (self->controller, self);
  g_clear_object (&self->controller);

  gtk_widget_dispose_template (GTK_WIDGET (self), PUSH_TYPE_RUN_PAGE);

  g_clear_object (&self->outcomes);
  g_clear_object (&self->runs);
  g_clear_object (&self->destination);
  g_clear_object (&self->application);

  G_OBJECT_CLASS (push_run_page_parent_class)->dispose (object);
}

static void
push_run_page_finalize (GObject *object)
{
  PushRunPage *self = PUSH_RUN_PAGE (object);

  g_clear_pointer (&self->info, push_run_info_free);
  g_clear_object (&self->cancellable);
  g_free (self->run_id);
  g_free (self->audience_name);
  g_free (self->destination_name);
  g_free (self->not_started);
  g_free (self->forecast_text);
  g_free (self->audience_path);

  G_OBJECT_CLASS (push_run_page_parent_class)->finalize (object);
}

static void
push_run_page_class_init (PushRunPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = push_run_page_dispose;
  object_class->finalize = push_run_page_finalize;

  signals[SIGNAL_CLOSED] =
    g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  g_type_ensure (PUSH_TYPE_RUN_CHART);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/push-run-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PushRunPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, PushRunPage, export_button);
  gtk_widget_class_bind_template_child (widget_class, PushRunPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, PushRunPage, resume_button);
  gtk_widget_class_bind_template_child (widget_class, PushRunPage, state_label);
  gtk_widget_class_bind_template_child (widget_class, PushRunPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, PushRunPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, PushRunPage, stats_label);
  gtk_widget_class_bind_template_child (widget_class, PushRunPage, chart);
  gtk_widget_class_bind_template_child (widget_class, PushRunPage, people_label);
  gtk_widget_class_bind_template_child (widget_class, PushRunPage, busy_spinner);
  gtk_widget_class_bind_template_child (widget_class, PushRunPage, filter_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PushRunPage, outcome_search);
  gtk_widget_class_bind_template_child (widget_class, PushRunPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, PushRunPage, outcomes_view);
  gtk_widget_class_bind_template_child (widget_class, PushRunPage, empty_status);
  for (guint i = 0; i < N_TILES; i++)
    {
      g_autofree char *box = g_strdup_printf ("%s_tile", tiles[i].key);
      g_autofree char *label = g_strdup_printf ("%s_label", tiles[i].key);

      /* The template keeps the names it is given. */
      gtk_widget_class_bind_template_child_full (widget_class, g_intern_string (box), FALSE,
                                                 G_STRUCT_OFFSET (PushRunPage, tile_boxes)
                                                 + i * sizeof (GtkWidget *));
      gtk_widget_class_bind_template_child_full (widget_class, g_intern_string (label), FALSE,
                                                 G_STRUCT_OFFSET (PushRunPage, tile_labels)
                                                 + i * sizeof (GtkLabel *));
    }
  gtk_widget_class_bind_template_callback (widget_class, back_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, export_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, resume_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
}

static void
push_run_page_init (PushRunPage *self)
{
  g_autoptr(GtkStringList) filters = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->audience_name = g_strdup ("");
  self->destination_name = g_strdup ("");

  gtk_string_list_append (filters, _("All Outcomes"));
  for (guint i = 0; i < PUSH_OUTCOME_N_VALUES; i++)
    gtk_string_list_append (filters, push_outcome_get_label (i));
  gtk_drop_down_set_model (self->filter_dropdown, G_LIST_MODEL (filters));

  add_column (self, _("Row"), COLUMN_ROW, FALSE, 80);
  add_column (self, _("Dedupe Value"), COLUMN_DEDUPE, TRUE, -1);
  add_column (self, _("Outcome"), COLUMN_OUTCOME, FALSE, 170);
  add_column (self, _("Lead ID"), COLUMN_LEAD, FALSE, 100);
  add_column (self, _("Reason"), COLUMN_REASON, TRUE, -1);
}

static PushRunPage *
page_new (PushApplication *application)
{
  PushRunPage *self = g_object_new (PUSH_TYPE_RUN_PAGE, NULL);

  self->application = g_object_ref (application);
  self->runs = push_run_store_new (push_application_get_store (application));

  return self;
}

GtkWidget *
push_run_page_new (PushApplication *application,
                   const char      *run_id)
{
  PushRunController *controller;
  PushRunPage *self;

  g_return_val_if_fail (PUSH_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (push_application_get_store (application) != NULL, NULL);
  g_return_val_if_fail (run_id != NULL, NULL);

  self = page_new (application);
  set_run_id (self, run_id);
  reload_info (self);

  if (self->info != NULL)
    {
      g_free (self->audience_name);
      self->audience_name =
        push_run_alerts_dup_audience_name (push_application_get_audiences (application),
                                           self->info->audience_path);
    }
  else
    self->not_started = g_strdup (_("This run is not in the database."));

  controller = push_run_controller_find (application, run_id);
  if (controller != NULL)
    attach_controller (self, controller);

  update (self);

  return GTK_WIDGET (self);
}

GtkWidget *
push_run_page_start (PushWindow      *window,
                     PushDestination *destination,
                     const char      *audience_path)
{
  GtkApplication *application;
  PushRunPage *self;

  g_return_val_if_fail (PUSH_IS_WINDOW (window), NULL);
  g_return_val_if_fail (PUSH_IS_DESTINATION (destination), NULL);
  g_return_val_if_fail (audience_path != NULL, NULL);

  application = gtk_window_get_application (GTK_WINDOW (window));
  g_return_val_if_fail (PUSH_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (push_application_get_store (PUSH_APPLICATION (application)) != NULL,
                        NULL);

  if (push_accounts_find_by_id (push_application_get_accounts (PUSH_APPLICATION (application)),
                                push_destination_get_account_id (destination)) == NULL)
    {
      push_window_add_toast (window, _("The destination’s account no longer exists"));
      return NULL;
    }

  self = page_new (PUSH_APPLICATION (application));
  self->destination = push_destination_copy (destination);
  self->audience_path = g_strdup (audience_path);
  g_free (self->audience_name);
  self->audience_name =
    push_run_alerts_dup_audience_name (push_application_get_audiences (self->application),
                                       audience_path);
  g_free (self->destination_name);
  self->destination_name = g_strdup (push_destination_get_name (destination));

  push_window_show_subpage (window, GTK_WIDGET (self));
  start_new_run (self, FALSE);

  return GTK_WIDGET (self);
}

static void
show_run_activated (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (widget));
  const char *run_id = g_variant_get_string (parameter, NULL);
  GtkWidget *page;

  g_return_if_fail (PUSH_IS_WINDOW (widget));
  if (!PUSH_IS_APPLICATION (application)
      || push_application_get_store (PUSH_APPLICATION (application)) == NULL)
    return;

  /* Already there: leave it (and its filter) as it is. */
  page = push_window_get_subpage (PUSH_WINDOW (widget));
  if (PUSH_IS_RUN_PAGE (page) && g_strcmp0 (PUSH_RUN_PAGE (page)->run_id, run_id) == 0)
    return;

  page = push_run_page_new (PUSH_APPLICATION (application), run_id);
  push_window_show_subpage (PUSH_WINDOW (widget), page);
}

static void
show_history_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (widget));
  GtkWidget *page;

  g_return_if_fail (PUSH_IS_WINDOW (widget));
  if (!PUSH_IS_APPLICATION (application)
      || push_application_get_store (PUSH_APPLICATION (application)) == NULL)
    return;

  page = push_window_get_subpage (PUSH_WINDOW (widget));
  if (PUSH_IS_RUN_HISTORY (page))
    {
      push_run_history_reload (PUSH_RUN_HISTORY (page));
      return;
    }

  push_window_show_subpage (PUSH_WINDOW (widget),
                            push_run_history_new (PUSH_APPLICATION (application)));
}

static void
start_run_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (widget));
  const char *destination_id = NULL;
  const char *audience_path = NULL;
  PushDestinations *destinations;
  PushDestination *destination;

  g_return_if_fail (PUSH_IS_WINDOW (widget));
  if (!PUSH_IS_APPLICATION (application)
      || push_application_get_store (PUSH_APPLICATION (application)) == NULL)
    return;

  g_variant_get (parameter, "(&s&s)", &destination_id, &audience_path);
  destinations = push_application_get_destinations (PUSH_APPLICATION (application));
  destination = push_destinations_find_by_id (destinations, destination_id);
  if (destination == NULL)
    {
      push_window_add_toast (PUSH_WINDOW (widget), _("This destination no longer exists"));
      return;
    }

  push_run_page_start (PUSH_WINDOW (widget), destination, audience_path);
}

void
push_run_page_install_window_actions (GtkWidgetClass *window_class)
{
  gtk_widget_class_install_action (window_class, "win.start-run", "(ss)", start_run_activated);
  gtk_widget_class_install_action (window_class, "win.show-run", "s", show_run_activated);
  gtk_widget_class_install_action (window_class, "win.show-history", NULL,
                                   show_history_activated);
}

const char *
push_run_page_get_run_id (PushRunPage *self)
{
  g_return_val_if_fail (PUSH_IS_RUN_PAGE (self), NULL);

  return self->run_id;
}

PushRunState
push_run_page_get_state (PushRunPage *self)
{
  Display display;

  g_return_val_if_fail (PUSH_IS_RUN_PAGE (self), PUSH_RUN_STATE_PENDING);

  get_display (self, &display);
  return display.state;
}

PushRunController *
push_run_page_get_controller (PushRunPage *self)
{
  g_return_val_if_fail (PUSH_IS_RUN_PAGE (self), NULL);

  return self->controller;
}

PushRunOutcomesModel *
push_run_page_get_outcomes (PushRunPage *self)
{
  g_return_val_if_fail (PUSH_IS_RUN_PAGE (self), NULL);

  return self->outcomes;
}

void
push_run_page_export_report_async (PushRunPage         *self,
                                   GFile               *file,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PUSH_IS_RUN_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, push_run_page_export_report_async);
  if (self->run_id == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, "%s",
                               _("The run has not started"));
      return;
    }

  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, export_thread);
}

gint64
push_run_page_export_report_finish (PushRunPage   *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (PUSH_IS_RUN_PAGE (self), -1);
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        push_run_page_export_report_async, -1);

  return g_task_propagate_int (G_TASK (result), error);
}
