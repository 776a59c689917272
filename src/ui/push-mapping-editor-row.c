/* push-mapping-editor-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "push-mapping-editor-row.h"
#include "push-problem.h"

struct _PushMappingEditorRow
{
  GtkListBoxRow  parent_instance;

  /* Template widgets */
  GtkStack      *column_stack;
  GtkDropDown   *column_dropdown;
  GtkEntry      *column_entry;
  GtkStack      *field_stack;
  GtkDropDown   *field_dropdown;
  GtkLabel      *identity_label;
  GtkButton     *remove_button;
  GtkLabel      *caption;

  /* Owned references */
  PushMapping   *mapping;
  GtkStringList *columns;     /* (nullable) */
  GtkStringList *fields;
  GHashTable    *field_info;  /* REST name → MarketoField */

  int            index;
  gboolean       syncing;
};

G_DEFINE_FINAL_TYPE (PushMappingEditorRow, push_mapping_editor_row, GTK_TYPE_LIST_BOX_ROW)

static gboolean
is_identity (PushMappingEditorRow *self)
{
  return self->index == PUSH_PROBLEM_ROW_IDENTITY;
}

static const char *
current_column (PushMappingEditorRow *self)
{
  if (is_identity (self))
    return push_mapping_get_identity_column (self->mapping);
  if ((guint) self->index < push_mapping_get_n_rows (self->mapping))
    return push_mapping_get_row (self->mapping, self->index)->column;
  return "";
}

static const char *
current_field (PushMappingEditorRow *self)
{
  if (is_identity (self))
    return push_mapping_get_identity_field (self->mapping);
  if ((guint) self->index < push_mapping_get_n_rows (self->mapping))
    return push_mapping_get_row (self->mapping, self->index)->field;
  return "";
}

static guint
find_string (GtkStringList *list,
             const char    *value)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (list));

  for (guint i = 0; i < n; i++)
    {
      if (g_strcmp0 (gtk_string_list_get_string (list, i), value) == 0)
        return i;
    }
  return 0;
}

static void
store (PushMappingEditorRow *self,
       const char     *column,
       const char     *field)
{
  if (self->syncing)
    return;

  if (is_identity (self))
    {
      if (g_strcmp0 (column, push_mapping_get_identity_column (self->mapping)) != 0)
        push_mapping_set_identity_column (self->mapping, column);
      return;
    }

  if ((guint) self->index >= push_mapping_get_n_rows (self->mapping))
    return;
  if (g_strcmp0 (column, current_column (self)) == 0
      && g_strcmp0 (field, current_field (self)) == 0)
    return;

  /* The row's strings may go with the change: copy them first. */
  {
    g_autofree char *c = g_strdup (column);
    g_autofree char *f = g_strdup (field);

    push_mapping_set_row (self->mapping, self->index, c, f);
  }
}

char *
push_mapping_describe_field (GHashTable *field_info,
                             const char *field)
{
  const MarketoField *info;

  if (field == NULL || *field == '\0')
    return g_strdup ("");

  info = field_info != NULL ? g_hash_table_lookup (field_info, field) : NULL;
  if (info == NULL || info->display_name == NULL || *info->display_name == '\0'
      || g_str_equal (info->display_name, field))
    return g_strdup (field);

  /* Translators: a Marketo field: its display name, then its REST name */
  return g_strdup_printf (_("%s (%s)"), info->display_name, field);
}

/* ---- Factories ---- */

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

static void
bind_column_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));
  const char *column = gtk_string_object_get_string (gtk_list_item_get_item (item));

  if (*column == '\0')
    {
      gtk_label_set_text (label, _("Choose a column"));
      gtk_widget_add_css_class (GTK_WIDGET (label), "dim-label");
    }
  else
    {
      gtk_label_set_text (label, column);
      gtk_widget_remove_css_class (GTK_WIDGET (label), "dim-label");
    }
}

static void
bind_field_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  PushMappingEditorRow *self = PUSH_MAPPING_EDITOR_ROW (user_data);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));
  const char *field = gtk_string_object_get_string (gtk_list_item_get_item (item));
  const MarketoField *info = g_hash_table_lookup (self->field_info, field);

  if (*field == '\0')
    {
      gtk_label_set_text (label, _("Choose a field"));
      gtk_widget_add_css_class (GTK_WIDGET (label), "dim-label");
      return;
    }

  gtk_widget_remove_css_class (GTK_WIDGET (label), "dim-label");
  gtk_label_set_text (label, info != NULL && info->display_name != NULL ? info->display_name
                                                                       : field);
}

static void
setup_field_item_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *subtitle = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), subtitle);
  gtk_list_item_set_child (item, box);
}

static void
bind_field_item_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    gpointer                  user_data)
{
  PushMappingEditorRow *self = PUSH_MAPPING_EDITOR_ROW (user_data);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkLabel *title = GTK_LABEL (gtk_widget_get_first_child (box));
  GtkLabel *subtitle = GTK_LABEL (gtk_widget_get_last_child (box));
  const char *field = gtk_string_object_get_string (gtk_list_item_get_item (item));
  const MarketoField *info = g_hash_table_lookup (self->field_info, field);
  g_autofree char *details = NULL;

  if (*field == '\0')
    {
      gtk_label_set_text (title, _("No field"));
      gtk_label_set_text (subtitle, _("Leave this column out"));
      return;
    }

  gtk_label_set_text (title, info != NULL && info->display_name != NULL ? info->display_name
                                                                       : field);
  if (info == NULL)
    /* Translators: a field name the Marketo instance does not list */
    details = g_strdup_printf (_("%s · not in this instance"), field);
  else if (info->read_only)
    /* Translators: a field's REST name, then its type (“string”, “email”…) */
    details = g_strdup_printf (_("%s · %s · read-only"), field,
                               info->data_type != NULL ? info->data_type : "");
  else
    /* Translators: a field's REST name, then its type (“string”, “email”…) */
    details = g_strdup_printf (_("%s · %s"), field,
                               info->data_type != NULL ? info->data_type : "");
  gtk_label_set_text (subtitle, details);
}

/* What the field search matches: the display name and the REST name. */
static char *
field_search_text (GtkStringObject *item,
                   gpointer         user_data)
{
  GHashTable *field_info = user_data;
  const char *field = gtk_string_object_get_string (item);
  const MarketoField *info = g_hash_table_lookup (field_info, field);

  if (info == NULL || info->display_name == NULL)
    return g_strdup (field);
  return g_strconcat (info->display_name, " ", field, NULL);
}

static GtkListItemFactory *
make_factory (GCallback setup,
              GCallback bind,
              gpointer  data)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", setup, data);
  g_signal_connect (factory, "bind", bind, data);
  return factory;
}

/* ---- Callbacks ---- */

static void
column_selected_cb (PushMappingEditorRow *self)
{
  guint selected = gtk_drop_down_get_selected (self->column_dropdown);

  if (self->columns == NULL || selected == GTK_INVALID_LIST_POSITION)
    return;
  store (self, gtk_string_list_get_string (self->columns, selected), current_field (self));
}

static void
column_entry_changed_cb (PushMappingEditorRow *self)
{
  g_autofree char *column = NULL;

  if (self->columns != NULL)
    return;
  column = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->column_entry))));
  store (self, column, current_field (self));
}

static void
field_selected_cb (PushMappingEditorRow *self)
{
  guint selected = gtk_drop_down_get_selected (self->field_dropdown);

  if (is_identity (self) || selected == GTK_INVALID_LIST_POSITION)
    return;
  store (self, current_column (self), gtk_string_list_get_string (self->fields, selected));
}

static void
remove_button_clicked_cb (PushMappingEditorRow *self)
{
  if (!is_identity (self) && (guint) self->index < push_mapping_get_n_rows (self->mapping))
    push_mapping_remove_row (self->mapping, self->index);
}

/* ---- GObject ---- */

static void
push_mapping_editor_row_dispose (GObject *object)
{
  PushMappingEditorRow *self = PUSH_MAPPING_EDITOR_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PUSH_TYPE_MAPPING_EDITOR_ROW);
  g_clear_object (&self->mapping);
  g_clear_object (&self->columns);
  g_clear_object (&self->fields);
  g_clear_pointer (&self->field_info, g_hash_table_unref);

  G_OBJECT_CLASS (push_mapping_editor_row_parent_class)->dispose (object);
}

static void
push_mapping_editor_row_class_init (PushMappingEditorRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = push_mapping_editor_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/push-mapping-editor-row.ui");
  gtk_widget_class_bind_template_child (widget_class, PushMappingEditorRow, column_stack);
  gtk_widget_class_bind_template_child (widget_class, PushMappingEditorRow, column_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PushMappingEditorRow, column_entry);
  gtk_widget_class_bind_template_child (widget_class, PushMappingEditorRow, field_stack);
  gtk_widget_class_bind_template_child (widget_class, PushMappingEditorRow, field_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PushMappingEditorRow, identity_label);
  gtk_widget_class_bind_template_child (widget_class, PushMappingEditorRow, remove_button);
  gtk_widget_class_bind_template_child (widget_class, PushMappingEditorRow, caption);
  gtk_widget_class_bind_template_callback (widget_class, column_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, column_entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, field_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, remove_button_clicked_cb);
}

static void
push_mapping_editor_row_init (PushMappingEditorRow *self)
{
  self->syncing = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_add_css_class (GTK_WIDGET (self), "mapping-row");

  /* The row is described by what is wrong with it. */
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, self->caption, NULL,
                                  -1);
}

GtkWidget *
push_mapping_editor_row_new (PushMapping   *mapping,
                      int            index,
                      GtkStringList *columns,
                      GtkStringList *fields,
                      GHashTable    *field_info)
{
  PushMappingEditorRow *self;
  g_autoptr(GtkListItemFactory) column_factory = NULL;
  g_autoptr(GtkListItemFactory) field_factory = NULL;
  g_autoptr(GtkListItemFactory) field_list_factory = NULL;
  GtkExpression *search;

  g_return_val_if_fail (PUSH_IS_MAPPING (mapping), NULL);
  g_return_val_if_fail (index >= 0 || index == PUSH_PROBLEM_ROW_IDENTITY, NULL);
  g_return_val_if_fail (!columns || GTK_IS_STRING_LIST (columns), NULL);
  g_return_val_if_fail (GTK_IS_STRING_LIST (fields), NULL);
  g_return_val_if_fail (field_info != NULL, NULL);

  self = g_object_new (PUSH_TYPE_MAPPING_EDITOR_ROW, NULL);
  self->mapping = g_object_ref (mapping);
  self->index = index;
  self->columns = columns != NULL ? g_object_ref (columns) : NULL;
  self->fields = g_object_ref (fields);
  self->field_info = g_hash_table_ref (field_info);

  column_factory = make_factory (G_CALLBACK (setup_label_cb), G_CALLBACK (bind_column_cb), self);
  gtk_drop_down_set_factory (self->column_dropdown, column_factory);
  if (columns != NULL)
    gtk_drop_down_set_model (self->column_dropdown, G_LIST_MODEL (columns));
  gtk_stack_set_visible_child_name (self->column_stack, columns != NULL ? "choose" : "type");

  if (is_identity (self))
    {
      gtk_stack_set_visible_child_name (self->field_stack, "identity");
      /* Always there: the button stays, for the alignment, but can't remove it. */
      gtk_widget_set_sensitive (GTK_WIDGET (self->remove_button), FALSE);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->remove_button),
                                   _("Every destination needs its dedupe row"));
      gtk_widget_add_css_class (GTK_WIDGET (self), "identity");
    }
  else
    {
      field_factory = make_factory (G_CALLBACK (setup_label_cb), G_CALLBACK (bind_field_cb),
                                    self);
      field_list_factory = make_factory (G_CALLBACK (setup_field_item_cb),
                                         G_CALLBACK (bind_field_item_cb), self);
      gtk_drop_down_set_factory (self->field_dropdown, field_factory);
      gtk_drop_down_set_list_factory (self->field_dropdown, field_list_factory);
      search = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                            G_CALLBACK (field_search_text),
                                            g_hash_table_ref (field_info),
                                            (GClosureNotify) g_hash_table_unref);
      gtk_drop_down_set_expression (self->field_dropdown, search);
      gtk_expression_unref (search);
      gtk_drop_down_set_model (self->field_dropdown, G_LIST_MODEL (fields));
      gtk_stack_set_visible_child_name (self->field_stack, "choose");
    }

  self->syncing = FALSE;
  push_mapping_editor_row_sync (self);

  return GTK_WIDGET (self);
}

int
push_mapping_editor_row_get_index (PushMappingEditorRow *self)
{
  g_return_val_if_fail (PUSH_IS_MAPPING_EDITOR_ROW (self), PUSH_PROBLEM_ROW_NONE);

  return self->index;
}

void
push_mapping_editor_row_sync (PushMappingEditorRow *self)
{
  const char *column, *field;

  g_return_if_fail (PUSH_IS_MAPPING_EDITOR_ROW (self));

  column = current_column (self);
  field = current_field (self);

  self->syncing = TRUE;

  if (self->columns != NULL)
    {
      guint position = find_string (self->columns, column);

      if (gtk_drop_down_get_selected (self->column_dropdown) != position)
        gtk_drop_down_set_selected (self->column_dropdown, position);
    }
  else
    {
      g_autofree char *typed = g_strstrip (g_strdup (gtk_editable_get_text (
                                                        GTK_EDITABLE (self->column_entry))));

      /* Not while the user types: only when the mapping says something else. */
      if (g_strcmp0 (typed, column) != 0)
        gtk_editable_set_text (GTK_EDITABLE (self->column_entry), column);
    }

  if (is_identity (self))
    {
      g_autofree char *label = push_mapping_describe_field (self->field_info, field);

      gtk_label_set_text (self->identity_label, *field != '\0' ? label
                                                               : _("No dedupe field chosen"));
    }
  else
    {
      guint position = find_string (self->fields, field);

      if (gtk_drop_down_get_selected (self->field_dropdown) != position)
        gtk_drop_down_set_selected (self->field_dropdown, position);
    }

  self->syncing = FALSE;
}

void
push_mapping_editor_row_set_problems (PushMappingEditorRow *self,
                               GPtrArray      *problems)
{
  g_autoptr(GString) text = g_string_new (NULL);
  gboolean error = FALSE;
  GtkWidget *caption;

  g_return_if_fail (PUSH_IS_MAPPING_EDITOR_ROW (self));

  caption = GTK_WIDGET (self->caption);
  for (guint i = 0; problems != NULL && i < problems->len; i++)
    {
      const PushProblem *problem = g_ptr_array_index (problems, i);

      if (problem->row != self->index)
        continue;
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, problem->message);
      error = error || problem->severity == PUSH_PROBLEM_SEVERITY_ERROR;
    }

  gtk_label_set_text (self->caption, text->str);
  gtk_widget_set_visible (caption, text->len > 0);
  if (error)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self), "mapping-error");
      gtk_widget_add_css_class (caption, "error");
      gtk_widget_remove_css_class (caption, "warning");
      gtk_accessible_update_state (GTK_ACCESSIBLE (self),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE, -1);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self), "mapping-error");
      gtk_widget_remove_css_class (caption, "error");
      if (text->len > 0)
        gtk_widget_add_css_class (caption, "warning");
      else
        gtk_widget_remove_css_class (caption, "warning");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_STATE_INVALID);
    }
}
