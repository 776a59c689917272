/* push-account-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "push-account-row.h"
#include "push-application.h"
#include "push-connection-test.h"

struct _PushAccountRow
{
  GtkListBoxRow  parent_instance;

  /* Template widgets */
  GtkLabel      *name_label;
  GtkLabel      *sandbox_tag;
  GtkLabel      *details_label;
  GtkSpinner    *spinner;
  GtkButton     *test_button;
  GtkRevealer   *result_revealer;
  GtkLabel      *result_label;

  /* Owned references */
  PushAccount   *account;
  GCancellable  *cancellable;  /* (nullable): the test in flight */
};

G_DEFINE_FINAL_TYPE (PushAccountRow, push_account_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  PROP_0,
  PROP_ACCOUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_labels (PushAccountRow *self)
{
  const char *munchkin_id = push_account_get_munchkin_id (self->account);
  const char *endpoint = push_account_get_endpoint (self->account);
  g_autofree char *details = NULL;

  gtk_label_set_text (self->name_label, push_account_get_name (self->account));
  gtk_widget_set_visible (GTK_WIDGET (self->sandbox_tag),
                          push_account_get_is_sandbox (self->account));

  if (munchkin_id != NULL && munchkin_id[0] != '\0')
    /* Translators: a Munchkin ID and a REST endpoint */
    details = g_strdup_printf (_("%s · %s"), munchkin_id, endpoint != NULL ? endpoint : "");
  else
    details = g_strdup (endpoint);

  gtk_label_set_text (self->details_label, details);
}

static void
set_testing (PushAccountRow *self,
             gboolean        testing)
{
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), testing);
  gtk_spinner_set_spinning (self->spinner, testing);
  gtk_widget_set_sensitive (GTK_WIDGET (self->test_button), !testing);
}

static void
show_result (PushAccountRow *self,
             const char     *text,
             gboolean        success)
{
  gtk_label_set_text (self->result_label, text);
  gtk_widget_remove_css_class (GTK_WIDGET (self->result_label), success ? "error" : "success");
  gtk_widget_add_css_class (GTK_WIDGET (self->result_label), success ? "success" : "error");
  gtk_revealer_set_reveal_child (self->result_revealer, TRUE);
}

static void
connection_tested_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(MarketoTokenInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  PushAccountRow *self;

  info = push_connection_test_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* Not cancelled, so the row is still there. */
  self = PUSH_ACCOUNT_ROW (user_data);
  set_testing (self, FALSE);
  g_clear_object (&self->cancellable);

  if (info != NULL)
    text = push_connection_describe_success (info);
  else
    text = push_connection_describe_error (error, push_account_get_endpoint (self->account));

  show_result (self, text, info != NULL);
}

static void
test_button_clicked_cb (GtkButton      *button,
                        PushAccountRow *self)
{
  push_account_row_test_connection (self);
}

static void
push_account_row_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  PushAccountRow *self = PUSH_ACCOUNT_ROW (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
push_account_row_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  PushAccountRow *self = PUSH_ACCOUNT_ROW (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      self->account = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
push_account_row_constructed (GObject *object)
{
  PushAccountRow *self = PUSH_ACCOUNT_ROW (object);

  G_OBJECT_CLASS (push_account_row_parent_class)->constructed (object);

  g_assert (PUSH_IS_ACCOUNT (self->account));

  g_signal_connect_object (self->account, "notify", G_CALLBACK (update_labels), self,
                           G_CONNECT_SWAPPED);
  update_labels (self);
}

static void
push_account_row_dispose (GObject *object)
{
  PushAccountRow *self = PUSH_ACCOUNT_ROW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), PUSH_TYPE_ACCOUNT_ROW);
  g_clear_object (&self->account);

  G_OBJECT_CLASS (push_account_row_parent_class)->dispose (object);
}

static void
push_account_row_class_init (PushAccountRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = push_account_row_get_property;
  object_class->set_property = push_account_row_set_property;
  object_class->constructed = push_account_row_constructed;
  object_class->dispose = push_account_row_dispose;

  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL, PUSH_TYPE_ACCOUNT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/push-account-row.ui");
  gtk_widget_class_bind_template_child (widget_class, PushAccountRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, PushAccountRow, sandbox_tag);
  gtk_widget_class_bind_template_child (widget_class, PushAccountRow, details_label);
  gtk_widget_class_bind_template_child (widget_class, PushAccountRow, spinner);
  gtk_widget_class_bind_template_child (widget_class, PushAccountRow, test_button);
  gtk_widget_class_bind_template_child (widget_class, PushAccountRow, result_revealer);
  gtk_widget_class_bind_template_child (widget_class, PushAccountRow, result_label);
  gtk_widget_class_bind_template_callback (widget_class, test_button_clicked_cb);
}

static void
push_account_row_init (PushAccountRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
push_account_row_new (PushAccount *account)
{
  g_return_val_if_fail (PUSH_IS_ACCOUNT (account), NULL);

  return g_object_new (PUSH_TYPE_ACCOUNT_ROW, "account", account, NULL);
}

PushAccount *
push_account_row_get_account (PushAccountRow *self)
{
  g_return_val_if_fail (PUSH_IS_ACCOUNT_ROW (self), NULL);

  return self->account;
}

void
push_account_row_test_connection (PushAccountRow *self)
{
  GtkRoot *root;
  GtkApplication *app = NULL;

  g_return_if_fail (PUSH_IS_ACCOUNT_ROW (self));

  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (GTK_IS_WINDOW (root))
    app = gtk_window_get_application (GTK_WINDOW (root));
  g_return_if_fail (PUSH_IS_APPLICATION (app));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  set_testing (self, TRUE);
  gtk_revealer_set_reveal_child (self->result_revealer, FALSE);
  push_connection_test_async (PUSH_APPLICATION (app), self->account, NULL, self->cancellable,
                              connection_tested_cb, self);
}
