/* push-accounts-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "push-account-row.h"
#include "push-accounts-view.h"

struct _PushAccountsView
{
  AdwBin        parent_instance;

  /* Template widgets */
  GtkListBox   *accounts_list;

  /* Owned references */
  PushAccounts *accounts;  /* (nullable) */
};

G_DEFINE_FINAL_TYPE (PushAccountsView, push_accounts_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_ACCOUNTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GtkWidget *
create_account_row (gpointer item,
                    gpointer user_data)
{
  return push_account_row_new (PUSH_ACCOUNT (item));
}

static void
push_accounts_view_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  PushAccountsView *self = PUSH_ACCOUNTS_VIEW (object);

  switch (prop_id)
    {
    case PROP_ACCOUNTS:
      g_value_set_object (value, self->accounts);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
push_accounts_view_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  PushAccountsView *self = PUSH_ACCOUNTS_VIEW (object);

  switch (prop_id)
    {
    case PROP_ACCOUNTS:
      push_accounts_view_set_accounts (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
push_accounts_view_dispose (GObject *object)
{
  PushAccountsView *self = PUSH_ACCOUNTS_VIEW (object);

  if (self->accounts_list != NULL)
    gtk_list_box_bind_model (self->accounts_list, NULL, NULL, NULL, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), PUSH_TYPE_ACCOUNTS_VIEW);
  g_clear_object (&self->accounts);

  G_OBJECT_CLASS (push_accounts_view_parent_class)->dispose (object);
}

static void
push_accounts_view_class_init (PushAccountsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = push_accounts_view_get_property;
  object_class->set_property = push_accounts_view_set_property;
  object_class->dispose = push_accounts_view_dispose;

  properties[PROP_ACCOUNTS] =
    g_param_spec_object ("accounts", NULL, NULL, PUSH_TYPE_ACCOUNTS,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/push-accounts-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PushAccountsView, accounts_list);
}

static void
push_accounts_view_init (PushAccountsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

PushAccounts *
push_accounts_view_get_accounts (PushAccountsView *self)
{
  g_return_val_if_fail (PUSH_IS_ACCOUNTS_VIEW (self), NULL);

  return self->accounts;
}

void
push_accounts_view_set_accounts (PushAccountsView *self,
                                 PushAccounts     *accounts)
{
  g_return_if_fail (PUSH_IS_ACCOUNTS_VIEW (self));
  g_return_if_fail (!accounts || PUSH_IS_ACCOUNTS (accounts));

  if (!g_set_object (&self->accounts, accounts))
    return;

  gtk_list_box_bind_model (self->accounts_list, G_LIST_MODEL (accounts),
                           accounts != NULL ? create_account_row : NULL, NULL, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNTS]);
}
