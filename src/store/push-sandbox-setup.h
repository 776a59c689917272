/* push-sandbox-setup.h: the app's own Sandbox account ("Try with the sandbox")
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CONTRACT (set by the skeleton). Starts an in-process MarketoSandbox whose lead database
 * lives in <data dir>/sandbox/ and makes sure a "Sandbox" account (is-sandbox = TRUE) points
 * at it, with its secret in the keyring like any other account. On a later launch the same
 * call restarts the sandbox with the account's credentials (preferring the port it had, else
 * a free one, and updating the account's endpoint), so what a newcomer sent is still there.
 */
#pragma once

#include <gio/gio.h>

#include "marketo-sandbox.h"
#include "push-accounts.h"

G_BEGIN_DECLS

/* Creates the account if there is none yet. Returns the running sandbox; *out_account (if
 * given) receives the account (transfer full). Blocking: call from a worker or the CLI. */
MarketoSandbox *push_sandbox_setup_ensure_sync (PushAccounts   *accounts,
                                                PushAccount   **out_account,
                                                GCancellable   *cancellable,
                                                GError        **error);

/* Async wrapper for the UI; the sync part runs in a GTask thread. */
void            push_sandbox_setup_ensure_async  (PushAccounts        *accounts,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
MarketoSandbox *push_sandbox_setup_ensure_finish (PushAccounts        *accounts,
                                                  GAsyncResult        *result,
                                                  PushAccount        **out_account,
                                                  GError             **error);

G_END_DECLS
