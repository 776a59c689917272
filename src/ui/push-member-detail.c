/* push-member-detail.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "push-audience-types.h"
#include "push-member-detail.h"

struct _PushMemberDetail
{
  GtkWidget          parent_instance;

  /* Template widgets */
  GtkStack          *stack;
  GtkLabel          *title_label;
  GtkLabel          *outcome_label;
  GtkLabel          *lead_label;
  GtkLabel          *reason_label;
  GtkLabel          *values_note;
  GtkGrid           *values_grid;

  PushPreviewMember *member;   /* (owned) (nullable) */
  GHashTable        *changed;  /* (owned) field -> GINT_TO_POINTER (TRUE/FALSE) */
  GHashTable        *labels;   /* (owned) "field\n0|1" -> GtkLabel (borrowed, in the grid) */
};

G_DEFINE_FINAL_TYPE (PushMemberDetail, push_member_detail, GTK_TYPE_WIDGET)

/* ---- Values --------------------------------------------------------------------------- */

/* The value as text ("" for null or absent). */
static char *
value_text (JsonNode *node)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("");
  if (!JSON_NODE_HOLDS_VALUE (node))
    return json_to_string (node, FALSE);
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (node));
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_DOUBLE:
      /* 15 significant digits: what was written, without binary noise (9569.71, not
       * 9569.709999999991). */
      return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.15g",
                                        json_node_get_double (node)));
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    default:
      return json_to_string (node, FALSE);
    }
}

static gboolean
parse_number (const char *text,
              double     *number)
{
  char *end = NULL;

  if (text == NULL || *text == '\0')
    return FALSE;
  *number = g_ascii_strtod (text, &end);
  return end != NULL && *end == '\0';
}

gboolean
push_member_detail_values_equal (JsonNode *current,
                                 JsonNode *sent)
{
  g_autofree char *a = g_strstrip (value_text (current));
  g_autofree char *b = g_strstrip (value_text (sent));
  double x, y;

  if (g_strcmp0 (a, b) == 0)
    return TRUE;
  if (parse_number (a, &x) && parse_number (b, &y))
    return x == y;
  if ((g_ascii_strcasecmp (a, "true") == 0 || g_ascii_strcasecmp (a, "false") == 0) &&
      g_ascii_strcasecmp (a, b) == 0)
    return TRUE;
  return FALSE;
}

/* ---- Building the rows ---------------------------------------------------------------- */

static void
clear_grid (PushMemberDetail *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->values_grid))) != NULL)
    gtk_grid_remove (self->values_grid, child);
  g_hash_table_remove_all (self->changed);
  g_hash_table_remove_all (self->labels);
}

static GtkWidget *
cell (const char *text,
      const char *style)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 28);
  if (style != NULL)
    gtk_widget_add_css_class (label, style);
  return label;
}

static void
add_header (PushMemberDetail *self)
{
  const char *titles[] = { C_("member detail", "Field"), C_("member detail", "In Marketo now"),
                           C_("member detail", "Would be sent") };

  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    gtk_grid_attach (self->values_grid, cell (titles[i], "heading"), i, 0, 1, 1);
}

static void
add_field (PushMemberDetail *self,
           const char       *field,
           JsonObject       *current,
           JsonObject       *sent,
           gboolean          new_person,
           int               row)
{
  JsonNode *now = current != NULL ? json_object_get_member (current, field) : NULL;
  JsonNode *then = sent != NULL ? json_object_get_member (sent, field) : NULL;
  g_autofree char *now_text = value_text (now);
  g_autofree char *then_text = value_text (then);
  gboolean is_sent = then != NULL && !JSON_NODE_HOLDS_NULL (then);
  gboolean changed = is_sent && (new_person || !push_member_detail_values_equal (now, then));
  GtkWidget *name, *now_label, *sent_label;

  name = cell (field, NULL);
  now_label = cell (new_person ? C_("member detail", "(new person)") :
                    *now_text != '\0' ? now_text : C_("member detail", "(empty)"),
                    new_person || *now_text == '\0' ? "dim-label" : NULL);
  sent_label = cell (is_sent ? then_text : C_("member detail", "(not sent: kept as it is)"),
                     is_sent ? NULL : "dim-label");

  if (changed)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *icon = gtk_image_new_from_icon_name ("document-edit-symbolic");
      const char *description = new_person ? _("Set on the new person") : _("Would change");

      /* The highlight: the row's labels carry "changed" and the accent style, the sent value
       * an icon that says why, for sight and for screen readers. */
      GtkWidget *highlighted[] = { name, sent_label };

      for (guint i = 0; i < G_N_ELEMENTS (highlighted); i++)
        {
          gtk_widget_add_css_class (highlighted[i], "changed");
          gtk_widget_add_css_class (highlighted[i], "accent");
          gtk_widget_add_css_class (highlighted[i], "heading");
        }
      gtk_widget_add_css_class (now_label, "changed");
      gtk_widget_set_tooltip_text (icon, description);
      gtk_widget_add_css_class (icon, "accent");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      description, -1);
      gtk_box_append (GTK_BOX (box), sent_label);
      gtk_box_append (GTK_BOX (box), icon);
      gtk_grid_attach (self->values_grid, box, 2, row, 1, 1);
    }
  else
    gtk_grid_attach (self->values_grid, sent_label, 2, row, 1, 1);
  gtk_grid_attach (self->values_grid, name, 0, row, 1, 1);
  gtk_grid_attach (self->values_grid, now_label, 1, row, 1, 1);

  g_hash_table_insert (self->changed, g_strdup (field), GINT_TO_POINTER (changed));
  g_hash_table_insert (self->labels, g_strdup_printf ("%s\n0", field), now_label);
  g_hash_table_insert (self->labels, g_strdup_printf ("%s\n1", field), sent_label);
}

static void
show_member (PushMemberDetail   *self,
             const char * const *fields)
{
  const PushPrediction *p = push_preview_member_get_prediction (self->member);
  g_autofree char *row = push_audience_format_count (p->row_number);
  g_autofree char *title = NULL;
  const char *lead = push_preview_member_get_lead_text (self->member);
  gboolean new_person = p->outcome == PUSH_OUTCOME_CREATED;
  int grid_row = 1;

  if (p->dedupe_value != NULL)
    /* Translators: an audience row number, then the member's dedupe value */
    title = g_strdup_printf (_("Row %s · %s"), row, p->dedupe_value);
  else
    title = g_strdup_printf (_("Row %s"), row);
  gtk_label_set_text (self->title_label, title);
  gtk_label_set_text (self->outcome_label, push_outcome_get_label (p->outcome));
  if (*lead != '\0')
    {
      g_autofree char *text = g_strdup_printf (_("Lead %s"), lead);

      gtk_label_set_text (self->lead_label, text);
    }
  else
    gtk_label_set_text (self->lead_label, "");
  gtk_label_set_text (self->reason_label, p->reason != NULL ? p->reason : "");
  gtk_widget_set_visible (GTK_WIDGET (self->reason_label), p->reason != NULL);

  clear_grid (self);
  if (p->sent == NULL)
    {
      gtk_label_set_text (self->values_note,
                          p->outcome == PUSH_OUTCOME_SET_ASIDE ||
                          p->outcome == PUSH_OUTCOME_DUPLICATE ?
                          _("This member is not sent, so no values are compared.") :
                          _("The values of this member were not kept by this preview (a Full "
                            "preview keeps them for its first 20,000 members)."));
      gtk_widget_set_visible (GTK_WIDGET (self->values_grid), FALSE);
    }
  else
    {
      add_header (self);
      for (guint i = 0; fields != NULL && fields[i] != NULL; i++)
        add_field (self, fields[i], p->current, p->sent, new_person, grid_row++);
      gtk_widget_set_visible (GTK_WIDGET (self->values_grid), TRUE);
      if (new_person)
        gtk_label_set_text (self->values_note, _("Nobody has this value: a new person would "
                                                 "be created with these values."));
      else if (p->current == NULL)
        gtk_label_set_text (self->values_note, _("Nothing would be written for this member."));
      else
        {
          guint n = push_member_detail_get_n_changed (self);
          g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                "%u value would change.",
                                                                "%u values would change.", n),
                                                   n);

          gtk_label_set_text (self->values_note, text);
        }
    }
  gtk_stack_set_visible_child_name (self->stack, "member");
}

/* ---- GObject -------------------------------------------------------------------------- */

static void
push_member_detail_dispose (GObject *object)
{
  PushMemberDetail *self = PUSH_MEMBER_DETAIL (object);

  g_clear_object (&self->member);
  gtk_widget_dispose_template (GTK_WIDGET (self), PUSH_TYPE_MEMBER_DETAIL);

  G_OBJECT_CLASS (push_member_detail_parent_class)->dispose (object);
}

static void
push_member_detail_finalize (GObject *object)
{
  PushMemberDetail *self = PUSH_MEMBER_DETAIL (object);

  g_clear_pointer (&self->changed, g_hash_table_unref);
  g_clear_pointer (&self->labels, g_hash_table_unref);

  G_OBJECT_CLASS (push_member_detail_parent_class)->finalize (object);
}

static void
push_member_detail_class_init (PushMemberDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = push_member_detail_dispose;
  object_class->finalize = push_member_detail_finalize;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/push-member-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, PushMemberDetail, stack);
  gtk_widget_class_bind_template_child (widget_class, PushMemberDetail, title_label);
  gtk_widget_class_bind_template_child (widget_class, PushMemberDetail, outcome_label);
  gtk_widget_class_bind_template_child (widget_class, PushMemberDetail, lead_label);
  gtk_widget_class_bind_template_child (widget_class, PushMemberDetail, reason_label);
  gtk_widget_class_bind_template_child (widget_class, PushMemberDetail, values_note);
  gtk_widget_class_bind_template_child (widget_class, PushMemberDetail, values_grid);
}

static void
push_member_detail_init (PushMemberDetail *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->changed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/* ---- Public API ----------------------------------------------------------------------- */

GtkWidget *
push_member_detail_new (void)
{
  return g_object_new (PUSH_TYPE_MEMBER_DETAIL, NULL);
}

void
push_member_detail_set_member (PushMemberDetail   *self,
                               PushPreviewMember  *member,
                               const char * const *fields)
{
  g_return_if_fail (PUSH_IS_MEMBER_DETAIL (self));
  g_return_if_fail (member == NULL || PUSH_IS_PREVIEW_MEMBER (member));

  g_set_object (&self->member, member);
  if (member == NULL)
    {
      clear_grid (self);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }
  show_member (self, fields);
}

PushPreviewMember *
push_member_detail_get_member (PushMemberDetail *self)
{
  g_return_val_if_fail (PUSH_IS_MEMBER_DETAIL (self), NULL);
  return self->member;
}

guint
push_member_detail_get_n_changed (PushMemberDetail *self)
{
  GHashTableIter iter;
  gpointer value;
  guint n = 0;

  g_return_val_if_fail (PUSH_IS_MEMBER_DETAIL (self), 0);

  g_hash_table_iter_init (&iter, self->changed);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    n += GPOINTER_TO_INT (value) ? 1 : 0;
  return n;
}

gboolean
push_member_detail_is_changed (PushMemberDetail *self,
                               const char       *field)
{
  g_return_val_if_fail (PUSH_IS_MEMBER_DETAIL (self), FALSE);
  g_return_val_if_fail (field != NULL, FALSE);
  return GPOINTER_TO_INT (g_hash_table_lookup (self->changed, field));
}

GtkWidget *
push_member_detail_get_value_label (PushMemberDetail *self,
                                    const char       *field,
                                    gboolean          sent)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (PUSH_IS_MEMBER_DETAIL (self), NULL);
  g_return_val_if_fail (field != NULL, NULL);

  key = g_strdup_printf ("%s\n%d", field, sent ? 1 : 0);
  return g_hash_table_lookup (self->labels, key);
}
