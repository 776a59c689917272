/* push-instance-cache.h: what an account's Marketo instance offers, fetched and kept
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The lead schema (Describe2: fields, types, lengths, read-only, searchable keys), the lead
 * partitions, the static lists and the folders of an instance are fetched through a
 * MarketoClient, kept in the store with their fetch time, and read back from there, so the
 * destination form still opens offline. Refresh whenever the user asks, or when the cache is
 * older than a day.
 */
#pragma once

#include <gio/gio.h>

#include "marketo-client.h"
#include "marketo-types.h"
#include "push-store.h"

G_BEGIN_DECLS

/* Adobe advises caching describe results for a day or more. */
#define PUSH_INSTANCE_CACHE_MAX_AGE (24 * G_TIME_SPAN_HOUR)

#define PUSH_TYPE_INSTANCE_CACHE (push_instance_cache_get_type ())
G_DECLARE_FINAL_TYPE (PushInstanceCache, push_instance_cache, PUSH, INSTANCE_CACHE, GObject)

PushInstanceCache *push_instance_cache_new            (PushStore          *store);

/* What is cached for @account_id, or NULL (no error) when nothing was ever fetched.
 * @out_fetched (nullable) receives the fetch time. */
MarketoLeadSchema *push_instance_cache_get_schema     (PushInstanceCache  *self,
                                                       const char         *account_id,
                                                       GDateTime         **out_fetched,
                                                       GError            **error);
/* (element-type MarketoPartition) */
GPtrArray         *push_instance_cache_get_partitions (PushInstanceCache  *self,
                                                       const char         *account_id,
                                                       GDateTime         **out_fetched,
                                                       GError            **error);
/* (element-type MarketoList) the instance's static lists (Lead Database view). */
GPtrArray         *push_instance_cache_get_lists      (PushInstanceCache  *self,
                                                       const char         *account_id,
                                                       GDateTime         **out_fetched,
                                                       GError            **error);

/* (element-type MarketoFolder) the instance's folders and programs (every workspace). */
GPtrArray         *push_instance_cache_get_folders    (PushInstanceCache  *self,
                                                       const char         *account_id,
                                                       GDateTime         **out_fetched,
                                                       GError            **error);

/* The lead schema and the partitions of @account_id, when the cache has both and neither is
 * older than PUSH_INSTANCE_CACHE_MAX_AGE: what a run or a preview needs, without a call.
 * FALSE (and nothing set) otherwise. */
gboolean           push_instance_cache_get_fresh      (PushInstanceCache  *self,
                                                       const char         *account_id,
                                                       MarketoLeadSchema **out_schema,
                                                       GPtrArray         **out_partitions);

/* Fetches them all (describe2, partitions, every page of the lists and of the folders) and
 * replaces the cache in one transaction. Nothing is replaced when any fetch fails. */
void               push_instance_cache_refresh_async  (PushInstanceCache  *self,
                                                       const char         *account_id,
                                                       MarketoClient      *client,
                                                       GCancellable       *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer            user_data);
gboolean           push_instance_cache_refresh_finish (PushInstanceCache  *self,
                                                       GAsyncResult       *result,
                                                       GError            **error);
/* For the CLI: runs the async refresh in a private main context until it finishes. */
gboolean           push_instance_cache_refresh_sync   (PushInstanceCache  *self,
                                                       const char         *account_id,
                                                       MarketoClient      *client,
                                                       GCancellable       *cancellable,
                                                       GError            **error);

G_END_DECLS
