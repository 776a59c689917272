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

/* The find functions return the list's own object (transfer none): treat it as read-only
 * (edit a push_account_copy() and pass it to update) and take a reference to keep it
 * beyond the current main-loop iteration. They see a change as soon as the call that made
 * it returns, in any thread; the GListModel side follows on the owner's main context.
 * Names are compared as push_account_name_equal() does. */
PushAccount  *push_accounts_find_by_name      (PushAccounts  *self, const char *name);
PushAccount  *push_accounts_find_by_id        (PushAccounts  *self, const char *id);
PushAccount  *push_accounts_find_sandbox      (PushAccounts  *self);
/* NULL-terminated names of every account but @except_id (may be NULL); for name checks. */
char        **push_accounts_dup_names         (PushAccounts  *self, const char *except_id);

/* Validates every field (push_account_check_*), then writes the row and the secret as one.
 * The list keeps a copy of @account (normalised; an empty endpoint becomes the default one
 * for its Munchkin ID); @account itself is not changed. Errors: PUSH_ACCOUNT_ERROR (a field,
 * with the check's sentence), PUSH_STORE_ERROR, PUSH_SECRET_ERROR, G_IO_ERROR_CANCELLED.
 * The _sync calls may be made from any thread; they block on the keyring. */
gboolean      push_accounts_add_sync          (PushAccounts  *self,
                                               PushAccount   *account,
                                               const char    *secret,
                                               GCancellable  *cancellable,
                                               GError       **error);
/* @account: an edited copy of a listed account (same id). @secret: NULL keeps the stored one
 * (relabelled in the keyring when the name changed). The list's object for that id is
 * replaced by a copy of @account (items-changed). */
gboolean      push_accounts_update_sync       (PushAccounts  *self,
                                               PushAccount   *account,
                                               const char    *secret,
                                               GCancellable  *cancellable,
                                               GError       **error);
gboolean      push_accounts_remove_sync       (PushAccounts  *self,
                                               PushAccount   *account,
                                               GCancellable  *cancellable,
                                               GError       **error);
/* The account's client secret (free with push_secrets_free()). Nothing in the keyring for
 * it: NULL with PUSH_SECRET_ERROR_NOT_FOUND. */
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
