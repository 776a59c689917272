/* push-audience-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The first pass over the file (row count, problems, fingerprint, row offsets) runs in the row
 * model's worker thread; the table then asks the model only for the rows on screen, which it
 * decodes a block at a time from the offsets, so opening and scrolling cost the same for a
 * thousand rows or a million, and memory stays bounded.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "push-audience-page.h"

/* Problems listed on the page; the rest are counted. */
#define MAX_LISTED_PROBLEMS 200
#define PROGRESS_INTERVAL_MS 100
#define DATA_COLUMN_WIDTH 170

struct _PushAudiencePage
{
  AdwBin                parent_instance;

  /* Template widgets */
  AdwWindowTitle       *window_title;
  GtkButton            *back_button;
  GtkButton            *reload_button;
  GtkStack             *state_stack;
  GtkSpinner           *loading_spinner;
  GtkLabel             *loading_label;
  GtkProgressBar       *progress_bar;
  AdwStatusPage        *error_page;
  GtkLabel             *rows_label;
  GtkLabel             *details_label;
  GtkDropDown          *format_dropdown;
  GtkDropDown          *delimiter_dropdown;
  GtkLabel             *columns_label;
  GtkListBox           *problems_list;
  AdwExpanderRow       *problems_row;
  GtkScrolledWindow    *table_window;
  GtkColumnView        *column_view;

  /* Owned references */
  PushAudiences        *audiences;
  PushAudienceEntry    *entry;
  PushAudienceRowModel *model;         /* (nullable): the rows, once read */
  PushAudienceRowModel *loading;       /* (nullable): being read */
  GCancellable         *cancellable;   /* (nullable): the read in flight */
  GPtrArray            *problem_rows;  /* (element-type GtkWidget): in problems_row */

  guint                 progress_id;
  gint64                load_started;
  gboolean              syncing;
};

G_DEFINE_FINAL_TYPE (PushAudiencePage, push_audience_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_AUDIENCES,
  PROP_ENTRY,
  N_PROPS
};

enum {
  CLOSED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* The delimiter dropdown's items, in order. */
static const char delimiters[] = { 0, ',', ';', '\t', '|' };

static guint
delimiter_to_position (char delimiter)
{
  for (guint i = 0; i < G_N_ELEMENTS (delimiters); i++)
    {
      if (delimiters[i] == delimiter)
        return i;
    }
  return 0;
}

static const char *
describe_delimiter (char delimiter)
{
  switch (delimiter)
    {
    case ',':
      return _("comma-separated");
    case ';':
      return _("semicolon-separated");
    case '\t':
      return _("tab-separated");
    case '|':
      return _("pipe-separated");
    default:
      return NULL;
    }
}

static void
sync_dropdowns (PushAudiencePage *self)
{
  PushAudienceFormat format = push_audience_entry_get_format (self->entry);
  char delimiter = push_audience_entry_get_delimiter (self->entry);

  self->syncing = TRUE;
  gtk_drop_down_set_selected (self->format_dropdown, (guint) format);
  gtk_drop_down_set_selected (self->delimiter_dropdown, delimiter_to_position (delimiter));
  self->syncing = FALSE;
}

static void
stop_progress (PushAudiencePage *self)
{
  g_clear_handle_id (&self->progress_id, g_source_remove);
  gtk_spinner_stop (self->loading_spinner);
}

static gboolean
progress_cb (gpointer user_data)
{
  PushAudiencePage *self = user_data;

  if (self->loading != NULL)
    gtk_progress_bar_set_fraction (self->progress_bar,
                                   push_audience_row_model_get_progress (self->loading));

  return G_SOURCE_CONTINUE;
}

/* ---- The table ---- */

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  gtk_list_item_set_child (item, label);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  guint column = GPOINTER_TO_UINT (user_data);
  PushAudienceRecord *record = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  const char *text;

  gtk_widget_remove_css_class (label, "dim-label");
  switch (push_audience_record_get_value_kind (record, column))
    {
    case PUSH_AUDIENCE_VALUE_NULL:
      text = "null";
      gtk_widget_add_css_class (label, "dim-label");
      break;
    case PUSH_AUDIENCE_VALUE_NESTED:
      text = "{…}";
      gtk_widget_add_css_class (label, "dim-label");
      break;
    case PUSH_AUDIENCE_VALUE_TEXT:
    case PUSH_AUDIENCE_VALUE_ABSENT:
    default:
      text = push_audience_record_get_value (record, column);
      break;
    }

  gtk_label_set_text (GTK_LABEL (label), text != NULL ? text : "");
}

static void
setup_number_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_widget_add_css_class (label, "numeric");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_list_item_set_child (item, label);
}

static void
bind_number_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  PushAudienceRecord *record = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  g_autofree char *number = NULL;
  gboolean bad = push_audience_record_get_problem (record) != PUSH_AUDIENCE_PROBLEM_NONE;

  number = g_strdup_printf ("%" G_GUINT64_FORMAT, push_audience_record_get_number (record));
  gtk_label_set_text (GTK_LABEL (label), number);

  if (bad)
    {
      gtk_widget_add_css_class (label, "error");
      gtk_widget_set_tooltip_text (label, _("This row has a problem: see the list of problems"));
    }
  else
    {
      gtk_widget_remove_css_class (label, "error");
      gtk_widget_set_tooltip_text (label, NULL);
    }
}

static void
add_column (PushAudiencePage *self,
            const char       *title,
            GCallback         setup,
            GCallback         bind,
            gpointer          data,
            int               width,
            gboolean          expand)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) column = NULL;

  g_signal_connect (factory, "setup", setup, data);
  g_signal_connect (factory, "bind", bind, data);

  column = gtk_column_view_column_new (title, g_steal_pointer (&factory));
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_column_set_fixed_width (column, width);
  /* A few columns share the width; many scroll sideways. */
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_append_column (self->column_view, column);
}

static void
clear_columns (PushAudiencePage *self)
{
  GListModel *columns = gtk_column_view_get_columns (self->column_view);

  while (g_list_model_get_n_items (columns) > 0)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, 0);

      gtk_column_view_remove_column (self->column_view, column);
    }
}

static void
build_table (PushAudiencePage *self)
{
  const char * const *columns;
  g_autoptr(GtkNoSelection) selection = NULL;
  guint n_columns;

  gtk_column_view_set_model (self->column_view, NULL);
  clear_columns (self);

  /* Translators: the heading of the row number column */
  add_column (self, C_("row number", "#"), G_CALLBACK (setup_number_cb),
              G_CALLBACK (bind_number_cb), NULL, 80, FALSE);

  columns = push_audience_row_model_get_columns (self->model, &n_columns);
  for (guint i = 0; i < n_columns; i++)
    add_column (self, columns[i][0] != '\0' ? columns[i] : _("(no name)"),
                G_CALLBACK (setup_cell_cb), G_CALLBACK (bind_cell_cb), GUINT_TO_POINTER (i),
                DATA_COLUMN_WIDTH, TRUE);

  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->model)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));
}

/* ---- The summary ---- */

static void
clear_problem_rows (PushAudiencePage *self)
{
  for (guint i = 0; i < self->problem_rows->len; i++)
    adw_expander_row_remove (self->problems_row, g_ptr_array_index (self->problem_rows, i));
  g_ptr_array_set_size (self->problem_rows, 0);
}

static void
add_problem_row (PushAudiencePage *self,
                 const char       *text)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  adw_expander_row_add_row (self->problems_row, row);
  g_ptr_array_add (self->problem_rows, row);
}

static void
show_problems (PushAudiencePage *self)
{
  GPtrArray *problems = push_audience_row_model_get_problems (self->model);
  guint64 total = push_audience_row_model_get_problem_count (self->model);
  guint64 bad_rows = push_audience_row_model_get_bad_row_count (self->model);
  g_autofree char *total_text = push_audience_format_count (total);
  g_autofree char *rows_text = push_audience_format_count (bad_rows);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  guint listed = 0;

  clear_problem_rows (self);
  gtk_widget_set_visible (GTK_WIDGET (self->problems_list), total > 0);
  if (total == 0)
    return;

  /* Translators: %s is a number, like “1,204” */
  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s problem", "%s problems",
                                        (gulong) MIN (total, G_MAXULONG)), total_text);
  /* Translators: %s is a number of rows, like “1,204” */
  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%s row is affected; it is marked in the table",
                                           "%s rows are affected; they are marked in the table",
                                           (gulong) MIN (bad_rows, G_MAXULONG)),
                              rows_text);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->problems_row), title);
  adw_expander_row_set_subtitle (self->problems_row, bad_rows > 0 ? subtitle : NULL);

  for (guint i = 0; problems != NULL && i < problems->len && listed < MAX_LISTED_PROBLEMS; i++)
    {
      const PushAudienceProblem *problem = g_ptr_array_index (problems, i);

      add_problem_row (self, problem->message);
      listed++;
    }

  if (total > listed)
    {
      g_autofree char *more = push_audience_format_count (total - listed);
      g_autofree char *text = NULL;

      /* Translators: %s is a number of problems not listed, like “1,204” */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "… and %s more",
                                           "… and %s more", (gulong) MIN (total - listed,
                                                                          G_MAXULONG)),
                              more);
      add_problem_row (self, text);
    }
}

static void
show_summary (PushAudiencePage *self)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  const char * const *columns;
  PushAudienceFormat format = push_audience_row_model_get_format (self->model);
  char delimiter = push_audience_row_model_get_delimiter (self->model);
  const PushAudienceFingerprint *fingerprint;
  g_autofree char *count = push_audience_format_count (n_items);
  g_autofree char *rows = NULL;
  g_autofree char *size = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *details = NULL;
  g_autofree char *joined = NULL;
  g_autofree char *columns_text = NULL;
  guint n_columns;

  columns = push_audience_row_model_get_columns (self->model, &n_columns);
  fingerprint = push_audience_row_model_get_fingerprint (self->model);

  /* Translators: %s is a number of rows, like “100,000” */
  rows = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s row", "%s rows", n_items), count);
  gtk_label_set_text (self->rows_label, rows);

  if (format == PUSH_AUDIENCE_FORMAT_JSONL)
    kind = g_strdup (_("JSON Lines"));
  else if (describe_delimiter (delimiter) != NULL)
    /* Translators: “CSV, comma-separated” */
    kind = g_strdup_printf (_("CSV, %s"), describe_delimiter (delimiter));
  else
    kind = g_strdup (_("CSV"));

  size = g_format_size (fingerprint != NULL ? fingerprint->size : 0);
  /* Translators: a number of columns, then the format (“CSV, comma-separated”), then a size */
  details = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u column · %s · %s",
                                          "%u columns · %s · %s", n_columns),
                             n_columns, kind, size);
  gtk_label_set_text (self->details_label, details);

  joined = g_strjoinv (", ", (GStrv) columns);
  /* Translators: %s is the list of the audience's column names */
  columns_text = g_strdup_printf (_("Columns: %s"), joined);
  gtk_label_set_text (self->columns_label, columns_text);

  gtk_widget_set_sensitive (GTK_WIDGET (self->delimiter_dropdown),
                            format != PUSH_AUDIENCE_FORMAT_JSONL);

  show_problems (self);
}

static void
record_scan (PushAudiencePage *self)
{
  const PushAudienceFingerprint *fingerprint;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  fingerprint = push_audience_row_model_get_fingerprint (self->model);
  if (fingerprint != NULL)
    text = push_audience_fingerprint_to_string (fingerprint);

  if (push_audiences_find_by_id (self->audiences, push_audience_entry_get_id (self->entry))
      != NULL
      && !push_audiences_update_scan (self->audiences, push_audience_entry_get_id (self->entry),
                                      g_list_model_get_n_items (G_LIST_MODEL (self->model)),
                                      text, &error))
    g_debug ("The row count of %s could not be saved: %s",
             push_audience_entry_get_path (self->entry), error->message);
}

/* ---- Loading ---- */

static void
model_loaded_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PushAudiencePage) self = user_data;
  PushAudienceRowModel *model = PUSH_AUDIENCE_ROW_MODEL (source);
  g_autoptr(GError) error = NULL;

  if (!push_audience_row_model_load_finish (model, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->loading != model)
        return;

      stop_progress (self);
      g_clear_object (&self->loading);
      g_clear_object (&self->cancellable);
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->state_stack, "error");
      return;
    }

  if (self->loading != model)
    return;

  g_debug ("Read %s in %.3f s", push_audience_entry_get_path (self->entry),
           (g_get_monotonic_time () - self->load_started) / (double) G_USEC_PER_SEC);

  stop_progress (self);
  g_clear_object (&self->cancellable);
  g_set_object (&self->model, model);
  g_clear_object (&self->loading);

  build_table (self);
  show_summary (self);
  record_scan (self);
  gtk_stack_set_visible_child_name (self->state_stack, "loaded");
}

static void
start_loading (PushAudiencePage *self)
{
  g_autoptr(GFile) file = push_audience_entry_dup_file (self->entry);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->loading);
  stop_progress (self);

  self->cancellable = g_cancellable_new ();
  self->loading = push_audience_row_model_new (file, push_audience_entry_get_format (self->entry),
                                               push_audience_entry_get_delimiter (self->entry));
  self->load_started = g_get_monotonic_time ();

  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_spinner_start (self->loading_spinner);
  gtk_stack_set_visible_child_name (self->state_stack, "loading");
  self->progress_id = g_timeout_add (PROGRESS_INTERVAL_MS, progress_cb, self);

  push_audience_row_model_load_async (self->loading, self->cancellable, model_loaded_cb,
                                      g_object_ref (self));
}

/* ---- Callbacks ---- */

static void
back_button_clicked_cb (GtkButton        *button,
                        PushAudiencePage *self)
{
  g_cancellable_cancel (self->cancellable);
  g_signal_emit (self, signals[CLOSED], 0);
}

static void
reload_button_clicked_cb (GtkButton        *button,
                          PushAudiencePage *self)
{
  start_loading (self);
}

static void
cancel_button_clicked_cb (GtkButton        *button,
                          PushAudiencePage *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->loading);
  stop_progress (self);

  if (self->model != NULL)
    {
      gtk_stack_set_visible_child_name (self->state_stack, "loaded");
      return;
    }

  adw_status_page_set_description (self->error_page, _("Reading was stopped."));
  gtk_stack_set_visible_child_name (self->state_stack, "error");
}

static void
format_changed_cb (PushAudiencePage *self)
{
  guint format = gtk_drop_down_get_selected (self->format_dropdown);
  guint delimiter = gtk_drop_down_get_selected (self->delimiter_dropdown);
  g_autoptr(GError) error = NULL;

  if (self->syncing || format == GTK_INVALID_LIST_POSITION
      || delimiter >= G_N_ELEMENTS (delimiters))
    return;

  if (!push_audiences_set_format (self->audiences, push_audience_entry_get_id (self->entry),
                                  (PushAudienceFormat) format, delimiters[delimiter], &error))
    {
      g_debug ("Could not keep the format: %s", error->message);
      sync_dropdowns (self);
      return;
    }

  start_loading (self);
}

/* ---- GObject ---- */

static void
push_audience_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  PushAudiencePage *self = PUSH_AUDIENCE_PAGE (object);

  switch (prop_id)
    {
    case PROP_AUDIENCES:
      g_value_set_object (value, self->audiences);
      break;
    case PROP_ENTRY:
      g_value_set_object (value, self->entry);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
push_audience_page_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  PushAudiencePage *self = PUSH_AUDIENCE_PAGE (object);

  switch (prop_id)
    {
    case PROP_AUDIENCES:
      self->audiences = g_value_dup_object (value);
      break;
    case PROP_ENTRY:
      self->entry = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
push_audience_page_constructed (GObject *object)
{
  PushAudiencePage *self = PUSH_AUDIENCE_PAGE (object);

  G_OBJECT_CLASS (push_audience_page_parent_class)->constructed (object);

  g_assert (PUSH_IS_AUDIENCES (self->audiences));
  g_assert (PUSH_IS_AUDIENCE_ENTRY (self->entry));

  adw_window_title_set_title (self->window_title, push_audience_entry_get_name (self->entry));
  adw_window_title_set_subtitle (self->window_title, push_audience_entry_get_path (self->entry));
  sync_dropdowns (self);
  start_loading (self);
}

static gboolean
push_audience_page_grab_focus (GtkWidget *widget)
{
  PushAudiencePage *self = PUSH_AUDIENCE_PAGE (widget);

  return gtk_widget_grab_focus (GTK_WIDGET (self->back_button));
}

/* Taken off the window (Back, another page, the window closing): its work stops there, as
 * its async calls hold a reference that would keep it (and its API calls) going till the end. */
static void
push_audience_page_unroot (GtkWidget *widget)
{
  g_cancellable_cancel (PUSH_AUDIENCE_PAGE (widget)->cancellable);

  GTK_WIDGET_CLASS (push_audience_page_parent_class)->unroot (widget);
}

static void
push_audience_page_dispose (GObject *object)
{
  PushAudiencePage *self = PUSH_AUDIENCE_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  stop_progress (self);

  if (self->column_view != NULL)
    gtk_column_view_set_model (self->column_view, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), PUSH_TYPE_AUDIENCE_PAGE);

  g_clear_pointer (&self->problem_rows, g_ptr_array_unref);
  g_clear_object (&self->loading);
  g_clear_object (&self->model);
  g_clear_object (&self->entry);
  g_clear_object (&self->audiences);

  G_OBJECT_CLASS (push_audience_page_parent_class)->dispose (object);
}

static void
push_audience_page_class_init (PushAudiencePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = push_audience_page_get_property;
  object_class->set_property = push_audience_page_set_property;
  object_class->constructed = push_audience_page_constructed;
  object_class->dispose = push_audience_page_dispose;
  GTK_WIDGET_CLASS (klass)->unroot = push_audience_page_unroot;

  widget_class->grab_focus = push_audience_page_grab_focus;

  properties[PROP_AUDIENCES] =
    g_param_spec_object ("audiences", NULL, NULL, PUSH_TYPE_AUDIENCES,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ENTRY] =
    g_param_spec_object ("entry", NULL, NULL, PUSH_TYPE_AUDIENCE_ENTRY,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CLOSED] = g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/push-audience-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PushAudiencePage, window_title);
  gtk_widget_class_bind_template_child (widget_class, PushAudiencePage, back_button);
  gtk_widget_class_bind_template_child (widget_class, PushAudiencePage, reload_button);
  gtk_widget_class_bind_template_child (widget_class, PushAudiencePage, state_stack);
  gtk_widget_class_bind_template_child (widget_class, PushAudiencePage, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, PushAudiencePage, loading_label);
  gtk_widget_class_bind_template_child (widget_class, PushAudiencePage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, PushAudiencePage, error_page);
  gtk_widget_class_bind_template_child (widget_class, PushAudiencePage, rows_label);
  gtk_widget_class_bind_template_child (widget_class, PushAudiencePage, details_label);
  gtk_widget_class_bind_template_child (widget_class, PushAudiencePage, format_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PushAudiencePage, delimiter_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PushAudiencePage, columns_label);
  gtk_widget_class_bind_template_child (widget_class, PushAudiencePage, problems_list);
  gtk_widget_class_bind_template_child (widget_class, PushAudiencePage, problems_row);
  gtk_widget_class_bind_template_child (widget_class, PushAudiencePage, table_window);
  gtk_widget_class_bind_template_child (widget_class, PushAudiencePage, column_view);
  gtk_widget_class_bind_template_callback (widget_class, back_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, reload_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, format_changed_cb);
}

static void
push_audience_page_init (PushAudiencePage *self)
{
  self->problem_rows = g_ptr_array_new ();
  /* The dropdowns are set from the entry before their signals count. */
  self->syncing = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  self->syncing = FALSE;
}

GtkWidget *
push_audience_page_new (PushAudiences     *audiences,
                        PushAudienceEntry *entry)
{
  g_return_val_if_fail (PUSH_IS_AUDIENCES (audiences), NULL);
  g_return_val_if_fail (PUSH_IS_AUDIENCE_ENTRY (entry), NULL);

  return g_object_new (PUSH_TYPE_AUDIENCE_PAGE,
                       "audiences", audiences,
                       "entry", entry,
                       NULL);
}

PushAudienceEntry *
push_audience_page_get_entry (PushAudiencePage *self)
{
  g_return_val_if_fail (PUSH_IS_AUDIENCE_PAGE (self), NULL);

  return self->entry;
}

PushAudienceRowModel *
push_audience_page_get_model (PushAudiencePage *self)
{
  g_return_val_if_fail (PUSH_IS_AUDIENCE_PAGE (self), NULL);

  return self->model;
}
