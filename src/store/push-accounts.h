/* push-accounts.h: the list of accounts, kept whole across the database and the keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CONTRACT (set by the skeleton). A GListModel of PushAccount, sorted by name. Adding,
 * updating and removing keep the database row and the keyring secret together: nothing is
 * ever saved half-way (never a row without its secret, never a secret without its row).
 * items-changed is emitted on the main context the object was created in. The _async
 * variants run the keyring part in a worker thread and are what the UI uses; the CLI uses
 * the _sync ones.
 */
#pragma once

#include <gio/gio.h>

#include "push-account.h"
#include "push-store.h"

G_BEGIN_DECLS

#define PUSH_TYPE_ACCOUNTS (push_accounts_get_type ())
G_DECLARE_FINAL_TYPE (PushAccounts, push_accounts, PUSH, ACCOUNTS, GObject)

PushAccounts *push_accounts_new               (PushStore     *store,
                                               GError       **error);
PushStore    *push_accounts_get_store         (PushAccounts  *self);

PushAccount  *push_accounts_find_by_name      (PushAccounts  *self, const char *name);
PushAccount  *push_accounts_find_by_id        (PushAccounts  *self, const char *id);
PushAccount  *push_accounts_find_sandbox      (PushAccounts  *self);
/* NULL-terminated names of every account but @except_id (may be NULL); for name checks. */
char        **push_accounts_dup_names         (PushAccounts  *self, const char *except_id);

/* Validates every field (push_account_check_*), then writes the row and the secret as one. */
gboolean      push_accounts_add_sync          (PushAccounts  *self,
                                               PushAccount   *account,
                                               const char    *secret,
                                               GCancellable  *cancellable,
                                               GError       **error);
/* @secret: NULL keeps the stored one. */
gboolean      push_accounts_update_sync       (PushAccounts  *self,
                                               PushAccount   *account,
                                               const char    *secret,
                                               GCancellable  *cancellable,
                                               GError       **error);
gboolean      push_accounts_remove_sync       (PushAccounts  *self,
                                               PushAccount   *account,
                                               GCancellable  *cancellable,
                                               GError       **error);
char         *push_accounts_lookup_secret_sync (PushAccounts *self,
                                               PushAccount   *account,
                                               GCancellable  *cancellable,
                                               GError       **error);

void          push_accounts_add_async         (PushAccounts *self, PushAccount *account,
                                               const char *secret, GCancellable *cancellable,
                                               GAsyncReadyCallback callback, gpointer user_data);
gboolean      push_accounts_add_finish        (PushAccounts *self, GAsyncResult *result,
                                               GError **error);
void          push_accounts_update_async      (PushAccounts *self, PushAccount *account,
                                               const char *secret, GCancellable *cancellable,
                                               GAsyncReadyCallback callback, gpointer user_data);
gboolean      push_accounts_update_finish     (PushAccounts *self, GAsyncResult *result,
                                               GError **error);
void          push_accounts_remove_async      (PushAccounts *self, PushAccount *account,
                                               GCancellable *cancellable,
                                               GAsyncReadyCallback callback, gpointer user_data);
gboolean      push_accounts_remove_finish     (PushAccounts *self, GAsyncResult *result,
                                               GError **error);
void          push_accounts_lookup_secret_async  (PushAccounts *self, PushAccount *account,
                                                  GCancellable *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer user_data);
char         *push_accounts_lookup_secret_finish (PushAccounts *self, GAsyncResult *result,
                                                  GError **error);

G_END_DECLS
