/* push-mapping-editor.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "push-mapping-editor.h"
#include "push-mapping-editor-row.h"
#include "push-problem.h"

/* Suggested pairs named in the sentence above the list; the rest are counted. */
#define MAX_NAMED_SUGGESTIONS 4

struct _PushMappingEditor
{
  AdwBin             parent_instance;

  /* Template widgets */
  GtkBox            *suggestions_box;
  GtkLabel          *suggestions_label;
  GtkButton         *apply_suggestions_button;
  GtkListBox        *rows_list;
  GtkLabel          *mapping_caption;
  GtkButton         *add_row_button;

  /* Owned references */
  PushMapping       *mapping;       /* (nullable) */
  MarketoLeadSchema *schema;        /* (nullable) */
  GStrv              columns;       /* (nullable) */
  GtkStringList     *column_model;  /* (nullable): "" + columns + columns mapped but absent */
  GtkStringList     *field_model;   /* "" + writable fields + fields mapped but absent */
  GHashTable        *field_info;    /* REST name → MarketoField (owned) */
  GHashTable        *in_models;     /* "c:<column>" and "f:<field>" of the models' strings */
  GPtrArray         *problems;      /* (nullable) (element-type PushProblem) */
  GPtrArray         *suggestions;   /* (element-type PushMappingSuggestion) */
  GPtrArray         *rows;          /* (element-type PushMappingEditorRow): unowned, in the list */
};

G_DEFINE_FINAL_TYPE (PushMappingEditor, push_mapping_editor, ADW_TYPE_BIN)

static int
compare_fields (gconstpointer a,
                gconstpointer b)
{
  const MarketoField *fa = *(const MarketoField * const *) a;
  const MarketoField *fb = *(const MarketoField * const *) b;

  return g_utf8_collate (fa->display_name != NULL ? fa->display_name : fa->name,
                         fb->display_name != NULL ? fb->display_name : fb->name);
}

static void
remember (PushMappingEditor *self,
          const char        *kind,
          const char        *value)
{
  g_hash_table_add (self->in_models, g_strconcat (kind, value, NULL));
}

static gboolean
in_models (PushMappingEditor *self,
           const char        *kind,
           const char        *value)
{
  g_autofree char *key = g_strconcat (kind, value, NULL);

  return g_hash_table_contains (self->in_models, key);
}

/* TRUE when every column and field of the mapping is in the choosers' models. */
static gboolean
models_cover_mapping (PushMappingEditor *self)
{
  if (self->mapping == NULL)
    return TRUE;

  if (self->column_model != NULL
      && !in_models (self, "c:", push_mapping_get_identity_column (self->mapping)))
    return FALSE;

  for (guint i = 0; i < push_mapping_get_n_rows (self->mapping); i++)
    {
      const PushMappingRow *row = push_mapping_get_row (self->mapping, i);

      if (self->column_model != NULL && !in_models (self, "c:", row->column))
        return FALSE;
      if (!in_models (self, "f:", row->field))
        return FALSE;
    }
  return TRUE;
}

static void
add_column_string (PushMappingEditor *self,
                   const char        *column)
{
  if (in_models (self, "c:", column))
    return;
  gtk_string_list_append (self->column_model, column);
  remember (self, "c:", column);
}

static void
add_field_string (PushMappingEditor *self,
                  const char        *field)
{
  if (in_models (self, "f:", field))
    return;
  gtk_string_list_append (self->field_model, field);
  remember (self, "f:", field);
}

static void
rebuild_models (PushMappingEditor *self)
{
  g_autoptr(GPtrArray) writable = g_ptr_array_new ();

  g_hash_table_remove_all (self->in_models);
  g_hash_table_remove_all (self->field_info);
  g_clear_object (&self->column_model);
  g_clear_object (&self->field_model);

  if (self->columns != NULL)
    {
      self->column_model = gtk_string_list_new (NULL);
      add_column_string (self, "");
      for (guint i = 0; self->columns[i] != NULL; i++)
        add_column_string (self, self->columns[i]);
    }

  self->field_model = gtk_string_list_new (NULL);
  add_field_string (self, "");

  for (guint i = 0; self->schema != NULL && i < self->schema->fields->len; i++)
    {
      MarketoField *field = g_ptr_array_index (self->schema->fields, i);

      if (field->name == NULL)
        continue;
      g_hash_table_replace (self->field_info, g_strdup (field->name), marketo_field_copy (field));
      if (!field->read_only)
        g_ptr_array_add (writable, field);
    }
  g_ptr_array_sort (writable, compare_fields);
  for (guint i = 0; i < writable->len; i++)
    add_field_string (self, ((MarketoField *) g_ptr_array_index (writable, i))->name);

  /* What the mapping uses stays choosable, so that its problem shows on its row. */
  if (self->mapping == NULL)
    return;
  if (self->column_model != NULL)
    add_column_string (self, push_mapping_get_identity_column (self->mapping));
  for (guint i = 0; i < push_mapping_get_n_rows (self->mapping); i++)
    {
      const PushMappingRow *row = push_mapping_get_row (self->mapping, i);

      if (self->column_model != NULL)
        add_column_string (self, row->column);
      add_field_string (self, row->field);
    }
}

static void
show_problems (PushMappingEditor *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  gboolean error = FALSE;
  GtkWidget *caption = GTK_WIDGET (self->mapping_caption);

  for (guint i = 0; i < self->rows->len; i++)
    push_mapping_editor_row_set_problems (g_ptr_array_index (self->rows, i), self->problems);

  for (guint i = 0; self->problems != NULL && i < self->problems->len; i++)
    {
      const PushProblem *problem = g_ptr_array_index (self->problems, i);

      if (problem->row != PUSH_PROBLEM_ROW_NONE
          || (problem->code != PUSH_PROBLEM_REQUIRED_FIELD_MISSING
              && problem->code != PUSH_PROBLEM_ATTRIBUTES_IGNORED))
        continue;
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, problem->message);
      error = error || problem->severity == PUSH_PROBLEM_SEVERITY_ERROR;
    }

  gtk_label_set_text (self->mapping_caption, text->str);
  gtk_widget_set_visible (caption, text->len > 0);
  if (error)
    {
      gtk_widget_add_css_class (caption, "error");
      gtk_widget_remove_css_class (caption, "warning");
      gtk_accessible_update_state (GTK_ACCESSIBLE (self->rows_list),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE, -1);
    }
  else
    {
      gtk_widget_remove_css_class (caption, "error");
      gtk_widget_add_css_class (caption, "warning");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (self->rows_list), GTK_ACCESSIBLE_STATE_INVALID);
    }
}

static void
rebuild_rows (PushMappingEditor *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->rows_list))) != NULL)
    gtk_list_box_remove (self->rows_list, child);
  g_ptr_array_set_size (self->rows, 0);

  gtk_widget_set_sensitive (GTK_WIDGET (self->add_row_button), self->mapping != NULL);
  if (self->mapping == NULL)
    return;

  for (int i = PUSH_PROBLEM_ROW_IDENTITY; i < (int) push_mapping_get_n_rows (self->mapping); i++)
    {
      GtkWidget *row;

      if (i == PUSH_PROBLEM_ROW_NONE)
        continue;
      row = push_mapping_editor_row_new (self->mapping, i, self->column_model, self->field_model,
                                  self->field_info);
      gtk_list_box_append (self->rows_list, row);
      g_ptr_array_add (self->rows, row);
    }

  show_problems (self);
}

static void
update_suggestions (PushMappingEditor *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_clear_pointer (&self->suggestions, g_ptr_array_unref);
  if (self->mapping != NULL && self->columns != NULL)
    self->suggestions = push_mapping_suggest (self->mapping, (const char * const *) self->columns,
                                              self->schema);

  if (self->suggestions == NULL || self->suggestions->len == 0)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->suggestions_box), FALSE);
      return;
    }

  for (guint i = 0; i < self->suggestions->len && i < MAX_NAMED_SUGGESTIONS; i++)
    {
      const PushMappingSuggestion *suggestion = g_ptr_array_index (self->suggestions, i);
      g_autofree char *field = push_mapping_describe_field (self->field_info, suggestion->field);

      if (i > 0)
        g_string_append (text, ", ");
      /* Translators: an audience column, then a Marketo field */
      g_string_append_printf (text, _("%s → %s"), suggestion->column, field);
    }
  if (self->suggestions->len > MAX_NAMED_SUGGESTIONS)
    {
      guint more = self->suggestions->len - MAX_NAMED_SUGGESTIONS;

      /* Translators: said after a list of suggested pairs */
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, " and %u more",
                                                 " and %u more", more), more);
    }

  {
    g_autofree char *sentence = NULL;

    /* Translators: %s is a list of suggested pairs, like “E-mail → Email Address (email)” */
    sentence = g_strdup_printf (_("Suggested from the column names: %s"), text->str);
    gtk_label_set_text (self->suggestions_label, sentence);
  }
  gtk_widget_set_visible (GTK_WIDGET (self->suggestions_box), TRUE);
}

static void
mapping_changed_cb (PushMappingEditor *self)
{
  if (self->rows->len != push_mapping_get_n_rows (self->mapping) + 1
      || !models_cover_mapping (self))
    {
      rebuild_models (self);
      rebuild_rows (self);
    }
  else
    {
      for (guint i = 0; i < self->rows->len; i++)
        push_mapping_editor_row_sync (g_ptr_array_index (self->rows, i));
    }

  update_suggestions (self);
}

static void
apply_suggestions_clicked_cb (PushMappingEditor *self)
{
  push_mapping_editor_apply_suggestions (self);
}

static void
add_row_clicked_cb (PushMappingEditor *self)
{
  GtkWidget *row;

  if (self->mapping == NULL)
    return;

  push_mapping_add_row (self->mapping, "", "");
  row = self->rows->len > 0 ? g_ptr_array_index (self->rows, self->rows->len - 1) : NULL;
  if (row != NULL)
    gtk_widget_child_focus (row, GTK_DIR_TAB_FORWARD);
}

static void
push_mapping_editor_dispose (GObject *object)
{
  PushMappingEditor *self = PUSH_MAPPING_EDITOR (object);

  if (self->mapping != NULL)
    g_signal_handlers_disconnect_by_data (self->mapping, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), PUSH_TYPE_MAPPING_EDITOR);
  g_clear_object (&self->mapping);
  g_clear_object (&self->column_model);
  g_clear_object (&self->field_model);
  g_clear_pointer (&self->schema, marketo_lead_schema_free);
  g_clear_pointer (&self->columns, g_strfreev);
  g_clear_pointer (&self->problems, g_ptr_array_unref);
  g_clear_pointer (&self->suggestions, g_ptr_array_unref);

  G_OBJECT_CLASS (push_mapping_editor_parent_class)->dispose (object);
}

static void
push_mapping_editor_finalize (GObject *object)
{
  PushMappingEditor *self = PUSH_MAPPING_EDITOR (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->field_info, g_hash_table_unref);
  g_clear_pointer (&self->in_models, g_hash_table_unref);

  G_OBJECT_CLASS (push_mapping_editor_parent_class)->finalize (object);
}

static void
push_mapping_editor_class_init (PushMappingEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = push_mapping_editor_dispose;
  object_class->finalize = push_mapping_editor_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/push-mapping-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, PushMappingEditor, suggestions_box);
  gtk_widget_class_bind_template_child (widget_class, PushMappingEditor, suggestions_label);
  gtk_widget_class_bind_template_child (widget_class, PushMappingEditor,
                                        apply_suggestions_button);
  gtk_widget_class_bind_template_child (widget_class, PushMappingEditor, rows_list);
  gtk_widget_class_bind_template_child (widget_class, PushMappingEditor, mapping_caption);
  gtk_widget_class_bind_template_child (widget_class, PushMappingEditor, add_row_button);
  gtk_widget_class_bind_template_callback (widget_class, apply_suggestions_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_row_clicked_cb);
}

static void
push_mapping_editor_init (PushMappingEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->rows = g_ptr_array_new ();
  self->field_info = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) marketo_field_free);
  self->in_models = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->rows_list),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, self->mapping_caption,
                                  NULL,
                                  -1);
  rebuild_models (self);
  rebuild_rows (self);
}

GtkWidget *
push_mapping_editor_new (void)
{
  return g_object_new (PUSH_TYPE_MAPPING_EDITOR, NULL);
}

void
push_mapping_editor_set_mapping (PushMappingEditor *self,
                                 PushMapping       *mapping)
{
  g_return_if_fail (PUSH_IS_MAPPING_EDITOR (self));
  g_return_if_fail (!mapping || PUSH_IS_MAPPING (mapping));

  if (self->mapping == mapping)
    return;

  if (self->mapping != NULL)
    g_signal_handlers_disconnect_by_data (self->mapping, self);
  g_set_object (&self->mapping, mapping);
  if (mapping != NULL)
    g_signal_connect_object (mapping, "changed", G_CALLBACK (mapping_changed_cb), self,
                             G_CONNECT_SWAPPED);

  rebuild_models (self);
  rebuild_rows (self);
  update_suggestions (self);
}

void
push_mapping_editor_set_schema (PushMappingEditor       *self,
                                const MarketoLeadSchema *schema)
{
  g_return_if_fail (PUSH_IS_MAPPING_EDITOR (self));

  g_clear_pointer (&self->schema, marketo_lead_schema_free);
  if (schema != NULL)
    self->schema = marketo_lead_schema_copy (schema);

  rebuild_models (self);
  rebuild_rows (self);
  update_suggestions (self);
}

void
push_mapping_editor_set_columns (PushMappingEditor  *self,
                                 const char * const *columns)
{
  g_return_if_fail (PUSH_IS_MAPPING_EDITOR (self));

  if (self->columns == NULL && columns == NULL)
    return;
  if (self->columns != NULL && columns != NULL
      && g_strv_equal ((const char * const *) self->columns, columns))
    return;

  g_clear_pointer (&self->columns, g_strfreev);
  self->columns = g_strdupv ((GStrv) columns);

  rebuild_models (self);
  rebuild_rows (self);
  update_suggestions (self);
}

void
push_mapping_editor_set_problems (PushMappingEditor *self,
                                  GPtrArray         *problems)
{
  g_return_if_fail (PUSH_IS_MAPPING_EDITOR (self));

  if (problems != NULL)
    g_ptr_array_ref (problems);
  g_clear_pointer (&self->problems, g_ptr_array_unref);
  self->problems = problems;

  show_problems (self);
}

guint
push_mapping_editor_apply_suggestions (PushMappingEditor *self)
{
  g_autoptr(GPtrArray) suggestions = NULL;

  g_return_val_if_fail (PUSH_IS_MAPPING_EDITOR (self), 0);

  if (self->mapping == NULL || self->suggestions == NULL || self->suggestions->len == 0)
    return 0;

  suggestions = g_ptr_array_ref (self->suggestions);
  push_mapping_apply_suggestions (self->mapping, suggestions);

  return suggestions->len;
}
