/* push-usage-store.h: the day's API call count of one account, kept in the SQLite store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Implements MarketoUsageStore on PushStore, so the pacer of an account counts its calls in
 * the database and two runs on the same day (the app and the CLI, or a run resumed after a
 * restart) see the same count.
 */
#pragma once

#include "marketo-pacer.h"
#include "marketo-usage-store.h"
#include "push-store.h"

G_BEGIN_DECLS

#define PUSH_TYPE_USAGE_STORE (push_usage_store_get_type ())
G_DECLARE_FINAL_TYPE (PushUsageStore, push_usage_store, PUSH, USAGE_STORE, GObject)

PushUsageStore *push_usage_store_new            (PushStore      *store,
                                                 const char     *account_id);
const char     *push_usage_store_get_account_id (PushUsageStore *self);

/* Gives @pacer the budget of @account (calls per window, in flight, daily quota) and keeps its
 * day's count in @store: what every client of an account needs, so that the app, the CLI and
 * the runs of one day all see the same count. */
void            push_usage_store_configure_pacer (MarketoPacer  *pacer,
                                                  PushStore     *store,
                                                  PushAccount   *account);

G_END_DECLS
