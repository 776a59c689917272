/* marketo-usage-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "marketo-usage-store.h"

G_DEFINE_INTERFACE (MarketoUsageStore, marketo_usage_store, G_TYPE_OBJECT)

static void
marketo_usage_store_default_init (MarketoUsageStoreInterface *iface)
{
}

gboolean
marketo_usage_store_load_count (MarketoUsageStore  *self,
                                const char         *day_key,
                                guint64            *out_count,
                                GError            **error)
{
  MarketoUsageStoreInterface *iface;

  g_return_val_if_fail (MARKETO_IS_USAGE_STORE (self), FALSE);
  g_return_val_if_fail (day_key != NULL, FALSE);
  g_return_val_if_fail (out_count != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  iface = MARKETO_USAGE_STORE_GET_IFACE (self);
  g_return_val_if_fail (iface->load_count != NULL, FALSE);

  *out_count = 0;
  return iface->load_count (self, day_key, out_count, error);
}

gboolean
marketo_usage_store_add_calls (MarketoUsageStore  *self,
                               const char         *day_key,
                               guint64             n_calls,
                               GError            **error)
{
  MarketoUsageStoreInterface *iface;

  g_return_val_if_fail (MARKETO_IS_USAGE_STORE (self), FALSE);
  g_return_val_if_fail (day_key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  iface = MARKETO_USAGE_STORE_GET_IFACE (self);
  g_return_val_if_fail (iface->add_calls != NULL, FALSE);

  if (n_calls == 0)
    return TRUE;
  return iface->add_calls (self, day_key, n_calls, error);
}
