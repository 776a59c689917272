/* push-audiences-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "push-audiences-view.h"
#include "push-window.h"

struct _PushAudiencesView
{
  AdwBin         parent_instance;

  /* Template widgets */
  GtkListBox    *audiences_list;

  /* Owned references */
  PushAudiences *audiences;  /* (nullable) */
};

G_DEFINE_FINAL_TYPE (PushAudiencesView, push_audiences_view, ADW_TYPE_BIN)

static PushWindow *
get_window (PushAudiencesView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return PUSH_IS_WINDOW (root) ? PUSH_WINDOW (root) : NULL;
}

static void
update_page (PushAudiencesView *self)
{
  gboolean empty = self->audiences == NULL
                   || g_list_model_get_n_items (G_LIST_MODEL (self->audiences)) == 0;

  /* The template's root: AdwBin owns it, so it is not a bound template child. */
  gtk_stack_set_visible_child_name (GTK_STACK (adw_bin_get_child (ADW_BIN (self))),
                                    empty ? "empty" : "list");
}

static void
update_count_label (PushAudienceEntry *entry,
                    GParamSpec        *pspec,
                    GtkLabel          *label)
{
  gint64 rows = push_audience_entry_get_row_count (entry);
  g_autofree char *count = NULL;
  g_autofree char *text = NULL;

  if (rows < 0)
    {
      gtk_label_set_text (label, "");
      return;
    }

  count = push_audience_format_count ((guint64) rows);
  /* Translators: %s is a number of rows, like “100,000” */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s row", "%s rows", (gulong) rows),
                          count);
  gtk_label_set_text (label, text);
}

static GtkWidget *
create_audience_row (gpointer item,
                     gpointer user_data)
{
  PushAudienceEntry *entry = PUSH_AUDIENCE_ENTRY (item);
  g_autofree char *target = NULL;
  GtkWidget *row, *count, *button;

  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), push_audience_entry_get_name (entry));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), push_audience_entry_get_path (entry));
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);

  count = gtk_label_new (NULL);
  gtk_widget_add_css_class (count, "dim-label");
  gtk_widget_add_css_class (count, "numeric");
  g_signal_connect_object (entry, "notify::row-count", G_CALLBACK (update_count_label), count, 0);
  update_count_label (entry, NULL, GTK_LABEL (count));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), count);

  button = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Remove Audience"));
  gtk_widget_add_css_class (button, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "audiences.remove");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s",
                                    push_audience_entry_get_id (entry));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name ("go-next-symbolic"));

  return row;
}

static void
audiences_changed_cb (PushAudiencesView *self)
{
  update_page (self);
}

static void
audience_row_activated_cb (GtkListBox        *list,
                           GtkListBoxRow     *row,
                           PushAudiencesView *self)
{
  g_autoptr(PushAudienceEntry) entry = NULL;
  PushWindow *window = get_window (self);

  entry = g_list_model_get_item (G_LIST_MODEL (self->audiences), gtk_list_box_row_get_index (row));
  if (entry != NULL && window != NULL)
    push_window_open_audience (window, entry);
}

static void
add_response_cb (GtkNativeDialog   *dialog,
                 int                response,
                 PushAudiencesView *self)
{
  g_autoptr(GFile) file = NULL;
  PushWindow *window = get_window (self);

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  if (file != NULL && window != NULL)
    push_window_add_audience_file (window, file);

  g_object_unref (dialog);
}

static void
add_activated (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PushAudiencesView *self = PUSH_AUDIENCES_VIEW (widget);
  g_autoptr(GtkFileFilter) csv = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) jsonl = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (_("Add Audience"), GTK_WINDOW (get_window (self)),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Add"), NULL);

  gtk_file_filter_set_name (csv, _("CSV"));
  gtk_file_filter_add_mime_type (csv, "text/csv");
  gtk_file_filter_add_mime_type (csv, "text/tab-separated-values");
  gtk_file_filter_add_suffix (csv, "csv");
  gtk_file_filter_add_suffix (csv, "tsv");
  gtk_file_filter_add_suffix (csv, "txt");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), csv);

  gtk_file_filter_set_name (jsonl, _("JSON Lines"));
  gtk_file_filter_add_mime_type (jsonl, "application/jsonl");
  gtk_file_filter_add_mime_type (jsonl, "application/x-ndjson");
  gtk_file_filter_add_suffix (jsonl, "jsonl");
  gtk_file_filter_add_suffix (jsonl, "ndjson");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), jsonl);

  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), all);

  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (add_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
open_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PushAudiencesView *self = PUSH_AUDIENCES_VIEW (widget);
  PushAudienceEntry *entry;
  PushWindow *window = get_window (self);

  entry = push_audiences_find_by_id (self->audiences, g_variant_get_string (parameter, NULL));
  if (entry != NULL && window != NULL)
    push_window_open_audience (window, entry);
}

static void
remove_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PushAudiencesView *self = PUSH_AUDIENCES_VIEW (widget);
  PushAudienceEntry *entry;
  PushWindow *window = get_window (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *name = NULL;

  entry = push_audiences_find_by_id (self->audiences, g_variant_get_string (parameter, NULL));
  if (entry == NULL)
    return;

  name = g_strdup (push_audience_entry_get_name (entry));
  if (push_audiences_remove (self->audiences, push_audience_entry_get_id (entry), &error))
    /* Translators: %s is the name of an audience */
    message = g_strdup_printf (_("Audience “%s” removed from the list; the file was not "
                                 "changed"), name);
  else
    message = g_strdup_printf (_("The audience could not be removed: %s"), error->message);

  if (window != NULL)
    push_window_add_toast (window, message);
}

static void
push_audiences_view_dispose (GObject *object)
{
  PushAudiencesView *self = PUSH_AUDIENCES_VIEW (object);

  if (self->audiences_list != NULL)
    gtk_list_box_bind_model (self->audiences_list, NULL, NULL, NULL, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), PUSH_TYPE_AUDIENCES_VIEW);
  g_clear_object (&self->audiences);

  G_OBJECT_CLASS (push_audiences_view_parent_class)->dispose (object);
}

static void
push_audiences_view_class_init (PushAudiencesViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = push_audiences_view_dispose;

  gtk_widget_class_install_action (widget_class, "audiences.add", NULL, add_activated);
  gtk_widget_class_install_action (widget_class, "audiences.open", "s", open_activated);
  gtk_widget_class_install_action (widget_class, "audiences.remove", "s", remove_activated);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/push-audiences-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PushAudiencesView, audiences_list);
  gtk_widget_class_bind_template_callback (widget_class, audience_row_activated_cb);
}

static void
push_audiences_view_init (PushAudiencesView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_page (self);
}

void
push_audiences_view_set_audiences (PushAudiencesView *self,
                                   PushAudiences     *audiences)
{
  g_return_if_fail (PUSH_IS_AUDIENCES_VIEW (self));
  g_return_if_fail (!audiences || PUSH_IS_AUDIENCES (audiences));

  if (self->audiences != NULL)
    g_signal_handlers_disconnect_by_data (self->audiences, self);
  if (!g_set_object (&self->audiences, audiences))
    return;

  if (audiences != NULL)
    g_signal_connect_object (audiences, "items-changed", G_CALLBACK (audiences_changed_cb),
                             self, G_CONNECT_SWAPPED);
  gtk_list_box_bind_model (self->audiences_list, G_LIST_MODEL (audiences),
                           audiences != NULL ? create_audience_row : NULL, self, NULL);
  update_page (self);
}
