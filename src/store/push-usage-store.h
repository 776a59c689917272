/* push-usage-store.h: the day's API call count of one account, kept in the SQLite store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Implements MarketoUsageStore on PushStore, so the pacer of an account counts its calls in
 * the database and two runs on the same day (the app and the CLI, or a run resumed after a
 * restart) see the same count.
 */
#pragma once

#include "marketo-usage-store.h"
#include "push-store.h"

G_BEGIN_DECLS

#define PUSH_TYPE_USAGE_STORE (push_usage_store_get_type ())
G_DECLARE_FINAL_TYPE (PushUsageStore, push_usage_store, PUSH, USAGE_STORE, GObject)

PushUsageStore *push_usage_store_new            (PushStore      *store,
                                                 const char     *account_id);
const char     *push_usage_store_get_account_id (PushUsageStore *self);

G_END_DECLS
