/* push-secrets.c: client secrets in the system keyring (libsecret)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "push-secrets.h"

G_DEFINE_QUARK (push-secret-error-quark, push_secret_error)

const SecretSchema *
push_secrets_get_schema (void)
{
  /* The attribute is a lookup key only; the secret itself is the item's value. */
  static const SecretSchema schema = {
    BASE_APPLICATION_ID, SECRET_SCHEMA_NONE,
    {
      { "account-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

/* Maps a libsecret/D-Bus error to PUSH_SECRET_ERROR. @source is consumed. @what says what
 * was being done, for the errors that are neither "no keyring" nor "locked". Messages of
 * libsecret and D-Bus never hold the secret, so quoting them is safe. */
static void
propagate_keyring_error (GError        *source,
                         GCancellable  *cancellable,
                         const char    *what,
                         GError       **error)
{
  g_autoptr(GError) owned = source;

  /* The caller's own cancellation stays a cancellation. */
  if (g_error_matches (owned, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      g_cancellable_is_cancelled (cancellable))
    {
      g_propagate_error (error, g_steal_pointer (&owned));
      return;
    }

  g_dbus_error_strip_remote_error (owned);
  g_debug ("Keyring error (%s, %d): %s", g_quark_to_string (owned->domain), owned->code,
           owned->message);

  if (g_error_matches (owned, SECRET_ERROR, SECRET_ERROR_IS_LOCKED) ||
      g_error_matches (owned, G_IO_ERROR, G_IO_ERROR_CANCELLED))  /* unlock prompt dismissed */
    g_set_error_literal (error, PUSH_SECRET_ERROR, PUSH_SECRET_ERROR_LOCKED,
                         _("The keyring is locked: unlock it (for example in Passwords and "
                           "Keys) and try again"));
  else if (owned->domain == G_IO_ERROR || owned->domain == G_DBUS_ERROR ||
           owned->domain == G_SPAWN_ERROR || owned->domain == G_SPAWN_EXIT_ERROR)
    g_set_error (error, PUSH_SECRET_ERROR, PUSH_SECRET_ERROR_UNAVAILABLE,
                 /* Translators: %s is the system's technical reason */
                 _("No keyring is available: Audience Push keeps client secrets only in a "
                   "keyring such as GNOME Keyring, and none answered (%s)"), owned->message);
  else
    g_set_error (error, PUSH_SECRET_ERROR, PUSH_SECRET_ERROR_FAILED, "%s: %s", what,
                 owned->message);
}

gboolean
push_secrets_store_sync (const char    *account_id,
                         const char    *account_name,
                         const char    *secret,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autofree char *label = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (account_id != NULL && *account_id != '\0', FALSE);
  g_return_val_if_fail (secret != NULL, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Translators: the label of the keyring item, as seen in Passwords and Keys; %s is the
   * account's name */
  label = g_strdup_printf (_("Audience Push: Marketo client secret for %s"),
                           account_name != NULL ? account_name : account_id);

  if (!secret_password_store_sync (PUSH_SECRET_SCHEMA, SECRET_COLLECTION_DEFAULT, label, secret,
                                   cancellable, &local_error,
                                   "account-id", account_id,
                                   NULL))
    {
      if (local_error == NULL)
        local_error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED,
                                           "secret_password_store_sync failed");
      propagate_keyring_error (local_error, cancellable,
                               _("Could not save the client secret in the keyring"), error);
      return FALSE;
    }

  return TRUE;
}

char *
push_secrets_lookup_sync (const char    *account_id,
                          GCancellable  *cancellable,
                          GError       **error)
{
  GError *local_error = NULL;
  char *secret;

  g_return_val_if_fail (account_id != NULL && *account_id != '\0', NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Not the _nonpageable variant: its memory aborts the process if anyone frees it with
   * g_free(), while this one may be, and push_secrets_free() still wipes it. */
  secret = secret_password_lookup_sync (PUSH_SECRET_SCHEMA, cancellable, &local_error,
                                        "account-id", account_id,
                                        NULL);
  if (local_error != NULL)
    {
      push_secrets_free (secret);
      propagate_keyring_error (local_error, cancellable,
                               _("Could not read the client secret from the keyring"), error);
      return NULL;
    }

  return secret;
}

gboolean
push_secrets_clear_sync (const char    *account_id,
                         GCancellable  *cancellable,
                         GError       **error)
{
  GError *local_error = NULL;

  g_return_val_if_fail (account_id != NULL && *account_id != '\0', FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* FALSE without an error: there was nothing to remove, which is fine. */
  secret_password_clear_sync (PUSH_SECRET_SCHEMA, cancellable, &local_error,
                              "account-id", account_id,
                              NULL);
  if (local_error != NULL)
    {
      propagate_keyring_error (local_error, cancellable,
                               _("Could not remove the client secret from the keyring"), error);
      return FALSE;
    }

  return TRUE;
}

void
push_secrets_free (char *secret)
{
  if (secret != NULL)
    secret_password_free (secret);
}
