/* marketo-memory-usage-store.h: a MarketoUsageStore kept in memory
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "marketo-usage-store.h"

G_BEGIN_DECLS

#define MARKETO_TYPE_MEMORY_USAGE_STORE (marketo_memory_usage_store_get_type ())
G_DECLARE_FINAL_TYPE (MarketoMemoryUsageStore, marketo_memory_usage_store,
                      MARKETO, MEMORY_USAGE_STORE, GObject)

/* Thread-safe; the counts live as long as the object. */
MarketoUsageStore *marketo_memory_usage_store_new (void);

G_END_DECLS
