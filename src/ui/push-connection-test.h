/* push-connection-test.h: "Test connection", shared by the account editor and the overview
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "marketo-client.h"
#include "push-application.h"

G_BEGIN_DECLS

#define PUSH_CONNECTION_ERROR (push_connection_error_quark ())
typedef enum {
  PUSH_CONNECTION_ERROR_NO_SECRET,   /* the keyring holds no secret for the account */
  PUSH_CONNECTION_ERROR_NO_ACCOUNTS, /* the database could not be opened */
} PushConnectionError;
GQuark  push_connection_error_quark         (void);

/* A client for @account, with @secret or, when it is NULL, the secret stored in the keyring
 * (PUSH_CONNECTION_ERROR_NO_SECRET when there is none). For the Sandbox account, the sandbox
 * is started first if it does not run, and the client uses its current endpoint. */
void              push_connection_client_async  (PushApplication     *app,
                                                 PushAccount         *account,
                                                 const char          *secret,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
MarketoClient    *push_connection_client_finish (GAsyncResult        *result,
                                                 GError             **error);

/* Authenticates against @account's endpoint with its client id and @secret, or with the secret
 * stored in the keyring when @secret is NULL. For the Sandbox account, the sandbox is started
 * first if it does not run. Finishes with the token's details. */
void              push_connection_test_async   (PushApplication     *app,
                                                PushAccount         *account,
                                                const char          *secret,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
MarketoTokenInfo *push_connection_test_finish  (GAsyncResult        *result,
                                                GError             **error);

/* "59 minutes", "1 hour", "less than a minute"… */
char             *push_format_duration         (gint64               seconds);
/* "Connected as api@example.com — token valid for 59 minutes" */
char             *push_connection_describe_success (const MarketoTokenInfo *info);
/* What went wrong, in words a user can act on. @endpoint may be NULL. */
char             *push_connection_describe_error   (const GError           *error,
                                                    const char             *endpoint);

G_END_DECLS
