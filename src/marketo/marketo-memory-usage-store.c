/* marketo-memory-usage-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "marketo-memory-usage-store.h"

struct _MarketoMemoryUsageStore
{
  GObject     parent_instance;

  GMutex      mutex;
  GHashTable *counts;  /* (owned) day key → (guint64 *) */
};

static void marketo_memory_usage_store_iface_init (MarketoUsageStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MarketoMemoryUsageStore, marketo_memory_usage_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MARKETO_TYPE_USAGE_STORE,
                                                      marketo_memory_usage_store_iface_init))

static gboolean
memory_load_count (MarketoUsageStore  *store,
                   const char         *day_key,
                   guint64            *out_count,
                   GError            **error)
{
  MarketoMemoryUsageStore *self = MARKETO_MEMORY_USAGE_STORE (store);
  guint64 *count;

  g_mutex_lock (&self->mutex);
  count = g_hash_table_lookup (self->counts, day_key);
  *out_count = count != NULL ? *count : 0;
  g_mutex_unlock (&self->mutex);
  return TRUE;
}

static gboolean
memory_add_calls (MarketoUsageStore  *store,
                  const char         *day_key,
                  guint64             n_calls,
                  GError            **error)
{
  MarketoMemoryUsageStore *self = MARKETO_MEMORY_USAGE_STORE (store);
  guint64 *count;

  g_mutex_lock (&self->mutex);
  count = g_hash_table_lookup (self->counts, day_key);
  if (count == NULL)
    {
      count = g_new0 (guint64, 1);
      g_hash_table_insert (self->counts, g_strdup (day_key), count);
    }
  *count += n_calls;
  g_mutex_unlock (&self->mutex);
  return TRUE;
}

static void
marketo_memory_usage_store_iface_init (MarketoUsageStoreInterface *iface)
{
  iface->load_count = memory_load_count;
  iface->add_calls = memory_add_calls;
}

static void
marketo_memory_usage_store_finalize (GObject *object)
{
  MarketoMemoryUsageStore *self = MARKETO_MEMORY_USAGE_STORE (object);

  g_clear_pointer (&self->counts, g_hash_table_unref);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (marketo_memory_usage_store_parent_class)->finalize (object);
}

static void
marketo_memory_usage_store_class_init (MarketoMemoryUsageStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = marketo_memory_usage_store_finalize;
}

static void
marketo_memory_usage_store_init (MarketoMemoryUsageStore *self)
{
  g_mutex_init (&self->mutex);
  self->counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

MarketoUsageStore *
marketo_memory_usage_store_new (void)
{
  return g_object_new (MARKETO_TYPE_MEMORY_USAGE_STORE, NULL);
}
