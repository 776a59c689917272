/* push-secrets.h: client secrets in the system keyring (libsecret)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CONTRACT (set by the skeleton). One keyring item per account, found by the account's id,
 * under a SecretSchema named after the application id, with a label a person recognises in
 * Seahorse ("Audience Push: Marketo client secret for <name>"). _sync calls belong in worker
 * threads (or the CLI); every foreign error is mapped to PUSH_SECRET_ERROR with a message a
 * user can act on. The secret never appears in an error message.
 */
#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

G_BEGIN_DECLS

#define PUSH_SECRET_ERROR (push_secret_error_quark ())
typedef enum {
  PUSH_SECRET_ERROR_UNAVAILABLE,  /* no Secret Service on the session bus, no bus at all */
  PUSH_SECRET_ERROR_LOCKED,       /* the keyring is locked, or the unlock prompt was dismissed */
  PUSH_SECRET_ERROR_FAILED,
  PUSH_SECRET_ERROR_NOT_FOUND,    /* nothing stored where a secret must be (PushAccounts) */
} PushSecretError;
GQuark              push_secret_error_quark  (void);

const SecretSchema *push_secrets_get_schema  (void);
#define PUSH_SECRET_SCHEMA push_secrets_get_schema ()

gboolean  push_secrets_store_sync   (const char    *account_id,
                                     const char    *account_name,  /* for the label */
                                     const char    *secret,
                                     GCancellable  *cancellable,
                                     GError       **error);
/* NULL without an error: nothing stored for that account. Free with push_secrets_free(). */
char     *push_secrets_lookup_sync  (const char    *account_id,
                                     GCancellable  *cancellable,
                                     GError       **error);
/* Removing what is not there is not an error. */
gboolean  push_secrets_clear_sync   (const char    *account_id,
                                     GCancellable  *cancellable,
                                     GError       **error);
/* Wipes and frees a secret (secret_password_free). NULL is fine. */
void      push_secrets_free         (char          *secret);

/* For automatic clean-up: g_autoptr(PushSecret) secret = push_secrets_lookup_sync (…); */
typedef char PushSecret;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PushSecret, push_secrets_free)

G_END_DECLS
