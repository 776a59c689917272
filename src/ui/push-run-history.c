/* push-run-history.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "push-run-alerts.h"
#include "push-run-controller.h"
#include "push-run-history.h"
#include "push-window.h"

struct _PushRunHistory
{
  AdwBin            parent_instance;

  /* Template widgets */
  GtkStack         *stack;
  GtkSpinner       *spinner;
  GtkListBox       *list_box;

  /* Owned references */
  PushApplication  *application;
  PushRunStore     *runs;
  GCancellable     *cancellable;  /* (nullable): the read in flight */

  guint             n_runs;
};

G_DEFINE_FINAL_TYPE (PushRunHistory, push_run_history, ADW_TYPE_BIN)

enum {
  SIGNAL_CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
state_css_class (PushRunState state)
{
  switch (state)
    {
    case PUSH_RUN_STATE_COMPLETED:
      return "success";
    case PUSH_RUN_STATE_FAILED:
      return "error";
    case PUSH_RUN_STATE_PAUSED:
    case PUSH_RUN_STATE_CANCELLED:
    case PUSH_RUN_STATE_INTERRUPTED:
      return "warning";
    case PUSH_RUN_STATE_RUNNING:
      return "accent";
    case PUSH_RUN_STATE_PENDING:
    default:
      return "dim-label";
    }
}

static char *
describe_timing (const PushRunInfo *info)
{
  GDateTime *start = info->started != NULL ? info->started : info->created;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *when = NULL;

  if (start == NULL)
    return g_strdup ("");

  local = g_date_time_to_local (start);
  /* Translators: a date and time in g_date_time_format() terms */
  when = g_date_time_format (local, _("%e %b %Y, %H:%M"));
  g_strstrip (when);

  if (info->started != NULL && info->finished != NULL)
    {
      g_autofree char *took =
        push_run_format_duration (g_date_time_difference (info->finished, info->started)
                                  / (double) G_TIME_SPAN_SECOND);

      /* Translators: when a run started, then how long it took */
      return g_strdup_printf (_("%s, took %s"), when, took);
    }

  return g_steal_pointer (&when);
}

static GtkWidget *
create_row (PushRunHistory    *self,
            const PushRunInfo *info)
{
  g_autofree char *audience = NULL;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *timing = describe_timing (info);
  g_autofree char *summary = push_run_format_counts_summary (&info->counts);
  g_autofree char *done = push_run_format_count (info->counts.members);
  g_autofree char *total = push_run_format_count (MAX (info->total_members,
                                                       info->counts.members));
  g_autofree char *fingerprint = push_run_format_short_fingerprint (info->audience_fingerprint);
  PushRunState state = info->state;
  GtkWidget *row, *label;

  audience = push_run_alerts_dup_audience_name (push_application_get_audiences (self->application),
                                                info->audience_path);
  /* Translators: an audience's name and the destination it was sent to */
  title = g_strdup_printf (_("%s → %s"), audience, info->destination_name);
  /* Translators: when and how long; how many people of how many, what became of them; the
   * start of the audience file's SHA-256 */
  subtitle = g_strdup_printf (_("%s\n%s of %s people: %s · audience %s"), timing, done, total,
                              summary, fingerprint[0] != '\0' ? fingerprint : "—");

  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  gtk_widget_set_name (row, info->id);

  /* A run this process still works on shows as running, whatever the table says. */
  if (push_run_controller_find (self->application, info->id) != NULL)
    state = PUSH_RUN_STATE_RUNNING;

  label = gtk_label_new (push_run_state_get_label (state));
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (label, state_css_class (state));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name ("go-next-symbolic"));

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "win.show-run");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", info->id);

  return row;
}

static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  PushRunStore *runs = task_data;
  GError *error = NULL;
  GPtrArray *list;

  list = push_run_store_list_runs (runs, &error);
  if (list == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, list, (GDestroyNotify) g_ptr_array_unref);
}

static void
listed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  PushRunHistory *self = PUSH_RUN_HISTORY (source);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  list = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);
  gtk_spinner_set_spinning (self->spinner, FALSE);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);
  self->n_runs = 0;

  if (list == NULL)
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

      g_debug ("The runs could not be read: %s", error->message);
      if (PUSH_IS_WINDOW (root))
        {
          g_autofree char *message = g_strdup_printf (_("The runs could not be read: %s"),
                                                      error->message);

          push_window_add_toast (PUSH_WINDOW (root), message);
        }
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  for (guint i = 0; i < list->len; i++)
    gtk_list_box_append (self->list_box, create_row (self, g_ptr_array_index (list, i)));
  self->n_runs = list->len;

  gtk_stack_set_visible_child_name (self->stack, list->len > 0 ? "list" : "empty");
}

static void
back_button_clicked_cb (PushRunHistory *self)
{
  g_signal_emit (self, signals[SIGNAL_CLOSED], 0);
}

static void
reload_button_clicked_cb (PushRunHistory *self)
{
  push_run_history_reload (self);
}

static void
push_run_history_dispose (GObject *object)
{
  PushRunHistory *self = PUSH_RUN_HISTORY (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), PUSH_TYPE_RUN_HISTORY);

  g_clear_object (&self->runs);
  g_clear_object (&self->application);

  G_OBJECT_CLASS (push_run_history_parent_class)->dispose (object);
}

static void
push_run_history_class_init (PushRunHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = push_run_history_dispose;

  signals[SIGNAL_CLOSED] =
    g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/push-run-history.ui");
  gtk_widget_class_bind_template_child (widget_class, PushRunHistory, stack);
  gtk_widget_class_bind_template_child (widget_class, PushRunHistory, spinner);
  gtk_widget_class_bind_template_child (widget_class, PushRunHistory, list_box);
  gtk_widget_class_bind_template_callback (widget_class, back_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, reload_button_clicked_cb);
}

static void
push_run_history_init (PushRunHistory *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
push_run_history_new (PushApplication *application)
{
  PushRunHistory *self;

  g_return_val_if_fail (PUSH_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (push_application_get_store (application) != NULL, NULL);

  self = g_object_new (PUSH_TYPE_RUN_HISTORY, NULL);
  self->application = g_object_ref (application);
  self->runs = push_run_store_new (push_application_get_store (application));
  push_run_history_reload (self);

  return GTK_WIDGET (self);
}

void
push_run_history_reload (PushRunHistory *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PUSH_IS_RUN_HISTORY (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  if (self->n_runs == 0)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  gtk_spinner_set_spinning (self->spinner, TRUE);

  task = g_task_new (self, self->cancellable, listed_cb, NULL);
  g_task_set_source_tag (task, push_run_history_reload);
  g_task_set_task_data (task, g_object_ref (self->runs), g_object_unref);
  g_task_run_in_thread (task, list_thread);
}

gboolean
push_run_history_get_loading (PushRunHistory *self)
{
  g_return_val_if_fail (PUSH_IS_RUN_HISTORY (self), FALSE);

  return self->cancellable != NULL;
}

guint
push_run_history_get_n_runs (PushRunHistory *self)
{
  g_return_val_if_fail (PUSH_IS_RUN_HISTORY (self), 0);

  return self->n_runs;
}

GtkWidget *
push_run_history_find_row (PushRunHistory *self,
                           const char     *run_id)
{
  g_return_val_if_fail (PUSH_IS_RUN_HISTORY (self), NULL);
  g_return_val_if_fail (run_id != NULL, NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (g_strcmp0 (gtk_widget_get_name (child), run_id) == 0)
        return child;
    }

  return NULL;
}
