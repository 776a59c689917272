/* push-usage-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "push-usage-store.h"

struct _PushUsageStore
{
  GObject    parent_instance;

  PushStore *store;       /* (owned) */
  char      *account_id;  /* (owned) */
};

static void push_usage_store_iface_init (MarketoUsageStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PushUsageStore, push_usage_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MARKETO_TYPE_USAGE_STORE,
                                                      push_usage_store_iface_init))

static gboolean
push_usage_store_load_count (MarketoUsageStore  *store,
                             const char         *day_key,
                             guint64            *out_count,
                             GError            **error)
{
  PushUsageStore *self = PUSH_USAGE_STORE (store);
  g_autoptr(GError) local_error = NULL;
  gint64 count;

  count = push_store_get_usage (self->store, self->account_id, day_key, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  *out_count = (guint64) MAX (count, 0);
  return TRUE;
}

static gboolean
push_usage_store_add_calls (MarketoUsageStore  *store,
                            const char         *day_key,
                            guint64             n_calls,
                            GError            **error)
{
  PushUsageStore *self = PUSH_USAGE_STORE (store);
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (n_calls <= G_MAXUINT, FALSE);

  push_store_add_usage (self->store, self->account_id, day_key, (guint) n_calls, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}

static void
push_usage_store_iface_init (MarketoUsageStoreInterface *iface)
{
  iface->load_count = push_usage_store_load_count;
  iface->add_calls = push_usage_store_add_calls;
}

static void
push_usage_store_finalize (GObject *object)
{
  PushUsageStore *self = PUSH_USAGE_STORE (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->account_id, g_free);

  G_OBJECT_CLASS (push_usage_store_parent_class)->finalize (object);
}

static void
push_usage_store_class_init (PushUsageStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = push_usage_store_finalize;
}

static void
push_usage_store_init (PushUsageStore *self)
{
}

PushUsageStore *
push_usage_store_new (PushStore  *store,
                      const char *account_id)
{
  PushUsageStore *self;

  g_return_val_if_fail (PUSH_IS_STORE (store), NULL);
  g_return_val_if_fail (account_id != NULL, NULL);

  self = g_object_new (PUSH_TYPE_USAGE_STORE, NULL);
  self->store = g_object_ref (store);
  self->account_id = g_strdup (account_id);
  return self;
}

const char *
push_usage_store_get_account_id (PushUsageStore *self)
{
  g_return_val_if_fail (PUSH_IS_USAGE_STORE (self), NULL);

  return self->account_id;
}

void
push_usage_store_configure_pacer (MarketoPacer *pacer,
                                  PushStore    *store,
                                  PushAccount  *account)
{
  g_autoptr(PushUsageStore) usage = NULL;

  g_return_if_fail (MARKETO_IS_PACER (pacer));
  g_return_if_fail (PUSH_IS_STORE (store));
  g_return_if_fail (PUSH_IS_ACCOUNT (account));

  marketo_pacer_set_limits (pacer, push_account_get_rate_calls (account),
                            (double) push_account_get_rate_window (account),
                            push_account_get_max_concurrency (account));
  marketo_pacer_set_daily_quota (pacer, push_account_get_daily_quota (account));
  usage = push_usage_store_new (store, push_account_get_id (account));
  marketo_pacer_set_usage_store (pacer, MARKETO_USAGE_STORE (usage));
}
