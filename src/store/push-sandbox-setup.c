/* push-sandbox-setup.c: the app's own Sandbox account ("Try with the sandbox")
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Sandbox account is an ordinary account (is-sandbox = TRUE) whose endpoint is an
 * in-process MarketoSandbox on 127.0.0.1. Its Munchkin ID is "000-SBX-000": it passes the
 * NNN-AAA-NNN check and says what it is. Its credentials are random (a UUID client id and a
 * 32-byte hex secret from getrandom()); the secret lives in the keyring like any other,
 * never in the sandbox's state file, which holds only the lead database.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "push-sandbox-setup.h"
#include "push-secrets.h"

#define SANDBOX_MUNCHKIN_ID   "000-SBX-000"
#define SANDBOX_SECRET_BYTES  32
#define SANDBOX_STATE_DIR     "sandbox"
#define SANDBOX_STATE_FILE    "sandbox.json"

/* One ensure at a time: two could otherwise both find no account and both make one. */
static GMutex ensure_lock;

static gboolean
fill_random (guint8  *buffer,
             gsize    length,
             GError **error)
{
  gsize done = 0;

  while (done < length)
    {
      ssize_t n = getrandom (buffer + done, length - done, 0);

      if (n < 0)
        {
          int saved_errno = errno;

          if (saved_errno == EINTR)
            continue;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("Could not make credentials for the sandbox: %s"),
                       g_strerror (saved_errno));
          return FALSE;
        }
      done += (gsize) n;
    }
  return TRUE;
}

static char *
random_secret (GError **error)
{
  guint8 bytes[SANDBOX_SECRET_BYTES];
  GString *hex;

  if (!fill_random (bytes, sizeof bytes, error))
    return NULL;

  hex = g_string_sized_new (2 * sizeof bytes + 1);
  for (gsize i = 0; i < sizeof bytes; i++)
    g_string_append_printf (hex, "%02x", bytes[i]);
  explicit_bzero (bytes, sizeof bytes);
  return g_string_free (hex, FALSE);
}

/* A version 4 UUID. */
static char *
random_uuid (GError **error)
{
  guint8 b[16];

  if (!fill_random (b, sizeof b, error))
    return NULL;

  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                          "%02x%02x%02x%02x%02x%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
                          b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

static void
wipe_string (char *secret)
{
  if (secret == NULL)
    return;
  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

/* <folder of the database>/sandbox/sandbox.json: the data directory for the default
 * database, and a test's own folder for a test's. */
static char *
dup_state_file (PushAccounts  *accounts,
                GError       **error)
{
  PushStore *store = push_accounts_get_store (accounts);
  g_autofree char *base = g_path_get_dirname (push_store_get_path (store));
  g_autofree char *dir = g_build_filename (base, SANDBOX_STATE_DIR, NULL);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   /* Translators: %s is a folder path, then the system's reason */
                   _("Could not create the sandbox folder “%s”: %s"), dir,
                   g_strerror (saved_errno));
      return NULL;
    }
  return g_build_filename (dir, SANDBOX_STATE_FILE, NULL);
}

/* "Sandbox", or "Sandbox 2", "Sandbox 3"… when a user account has the name. */
static char *
pick_name (PushAccounts *accounts)
{
  g_auto(GStrv) taken = push_accounts_dup_names (accounts, NULL);
  char *name = g_strdup (_("Sandbox"));

  for (guint n = 2; ; n++)
    {
      g_autofree char *problem = push_account_check_name (name, (const char * const *) taken);

      if (problem == NULL)
        return name;
      g_free (name);
      /* Translators: an account name when "Sandbox" is taken; %u is 2, 3, … */
      name = g_strdup_printf (_("Sandbox %u"), n);
    }
}

/* The port of a loopback endpoint, 0 when there is none to prefer. */
static guint16
preferred_port (const char *endpoint)
{
  g_autoptr(GUri) uri = endpoint != NULL ? g_uri_parse (endpoint, G_URI_FLAGS_NONE, NULL) : NULL;
  int port;

  if (uri == NULL || !push_account_host_is_loopback (g_uri_get_host (uri)))
    return 0;
  port = g_uri_get_port (uri);
  return port > 0 && port <= G_MAXUINT16 ? (guint16) port : 0;
}

/* The list's object for @account (a reference), or @account if it has just gone. */
static PushAccount *
dup_listed (PushAccounts *accounts,
            PushAccount  *account)
{
  PushAccount *listed = push_accounts_find_by_id (accounts, push_account_get_id (account));

  return g_object_ref (listed != NULL ? listed : account);
}

static MarketoSandbox *
new_sandbox (const char *state_file,
             const char *client_id,
             const char *secret)
{
  return g_object_new (MARKETO_TYPE_SANDBOX,
                       "state-file", state_file,
                       "client-id", client_id,
                       "client-secret", secret,
                       NULL);
}

static MarketoSandbox *
create_sandbox_account (PushAccounts  *accounts,
                        const char    *state_file,
                        PushAccount  **out_account,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(MarketoSandbox) sandbox = NULL;
  g_autoptr(PushAccount) account = NULL;
  g_autofree char *client_id = NULL;
  g_autofree char *endpoint = NULL;
  g_autofree char *name = NULL;
  char *secret = NULL;

  client_id = random_uuid (error);
  if (client_id == NULL)
    return NULL;
  secret = random_secret (error);
  if (secret == NULL)
    return NULL;

  sandbox = new_sandbox (state_file, client_id, secret);
  if (!marketo_sandbox_start (sandbox, 0, error))
    {
      wipe_string (secret);
      return NULL;
    }

  endpoint = marketo_sandbox_dup_endpoint (sandbox);
  name = pick_name (accounts);
  account = push_account_new ();
  push_account_set_name (account, name);
  push_account_set_munchkin_id (account, SANDBOX_MUNCHKIN_ID);
  push_account_set_endpoint (account, endpoint);
  push_account_set_client_id (account, client_id);
  push_account_set_is_sandbox (account, TRUE);

  if (!push_accounts_add_sync (accounts, account, secret, cancellable, error))
    {
      wipe_string (secret);
      marketo_sandbox_stop (sandbox);
      return NULL;
    }
  wipe_string (secret);

  g_debug ("Created the sandbox account %s at %s", push_account_get_id (account), endpoint);
  if (out_account != NULL)
    *out_account = dup_listed (accounts, account);
  return g_steal_pointer (&sandbox);
}

static MarketoSandbox *
restart_sandbox (PushAccounts  *accounts,
                 PushAccount   *account,
                 const char    *state_file,
                 PushAccount  **out_account,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(MarketoSandbox) sandbox = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *endpoint = NULL;
  const char *client_id = push_account_get_client_id (account);
  guint16 port = preferred_port (push_account_get_endpoint (account));
  char *secret;

  secret = push_accounts_lookup_secret_sync (accounts, account, cancellable, &local_error);
  if (secret == NULL)
    {
      if (g_error_matches (local_error, PUSH_SECRET_ERROR, PUSH_SECRET_ERROR_NOT_FOUND))
        g_set_error (error, PUSH_SECRET_ERROR, PUSH_SECRET_ERROR_NOT_FOUND,
                     /* Translators: %s is the sandbox account's name */
                     _("The client secret of the account “%s” is missing from the keyring, "
                       "so its sandbox cannot start. Remove the account, then try the "
                       "sandbox again to make a new one."),
                     push_account_get_name (account));
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  sandbox = new_sandbox (state_file, client_id, secret);
  if (port == 0 || !marketo_sandbox_start (sandbox, port, &local_error))
    {
      if (local_error != NULL)
        {
          g_debug ("Port %u is not free for the sandbox (%s); taking another",
                   port, local_error->message);
          g_clear_object (&sandbox);
          sandbox = new_sandbox (state_file, client_id, secret);
        }
      if (!marketo_sandbox_start (sandbox, 0, error))
        {
          push_secrets_free (secret);
          return NULL;
        }
    }
  push_secrets_free (secret);

  endpoint = marketo_sandbox_dup_endpoint (sandbox);
  if (g_strcmp0 (endpoint, push_account_get_endpoint (account)) != 0)
    {
      g_autoptr(PushAccount) moved = push_account_copy (account);

      push_account_set_endpoint (moved, endpoint);
      if (!push_accounts_update_sync (accounts, moved, NULL, cancellable, error))
        {
          marketo_sandbox_stop (sandbox);
          return NULL;
        }
    }

  g_debug ("Restarted the sandbox of account %s at %s", push_account_get_id (account), endpoint);
  if (out_account != NULL)
    *out_account = dup_listed (accounts, account);
  return g_steal_pointer (&sandbox);
}

MarketoSandbox *
push_sandbox_setup_ensure_sync (PushAccounts   *accounts,
                                PushAccount   **out_account,
                                GCancellable   *cancellable,
                                GError        **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(PushAccount) existing = NULL;
  g_autofree char *state_file = NULL;
  PushAccount *found;

  g_return_val_if_fail (PUSH_IS_ACCOUNTS (accounts), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (out_account != NULL)
    *out_account = NULL;

  locker = g_mutex_locker_new (&ensure_lock);

  state_file = dup_state_file (accounts, error);
  if (state_file == NULL)
    return NULL;

  found = push_accounts_find_sandbox (accounts);
  existing = found != NULL ? g_object_ref (found) : NULL;
  if (existing == NULL)
    return create_sandbox_account (accounts, state_file, out_account, cancellable, error);
  return restart_sandbox (accounts, existing, state_file, out_account, cancellable, error);
}

typedef struct {
  MarketoSandbox *sandbox;   /* (owned) */
  PushAccount    *account;   /* (owned) */
} EnsureResult;

static void
ensure_result_free (gpointer data)
{
  EnsureResult *result = data;

  /* A result nobody collected: the sandbox must not keep serving. */
  if (result->sandbox != NULL)
    marketo_sandbox_stop (result->sandbox);
  g_clear_object (&result->sandbox);
  g_clear_object (&result->account);
  g_free (result);
}

static void
ensure_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  EnsureResult *result = g_new0 (EnsureResult, 1);
  GError *error = NULL;

  result->sandbox = push_sandbox_setup_ensure_sync (source_object, &result->account,
                                                    cancellable, &error);
  if (result->sandbox == NULL)
    {
      ensure_result_free (result);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, result, ensure_result_free);
}

void
push_sandbox_setup_ensure_async (PushAccounts        *accounts,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PUSH_IS_ACCOUNTS (accounts));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (accounts, cancellable, callback, user_data);
  g_task_set_source_tag (task, push_sandbox_setup_ensure_async);
  g_task_run_in_thread (task, ensure_thread);
}

MarketoSandbox *
push_sandbox_setup_ensure_finish (PushAccounts  *accounts,
                                  GAsyncResult  *result,
                                  PushAccount  **out_account,
                                  GError       **error)
{
  EnsureResult *ensured;
  MarketoSandbox *sandbox;

  g_return_val_if_fail (g_task_is_valid (result, accounts), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        push_sandbox_setup_ensure_async, NULL);

  if (out_account != NULL)
    *out_account = NULL;

  ensured = g_task_propagate_pointer (G_TASK (result), error);
  if (ensured == NULL)
    return NULL;

  sandbox = g_steal_pointer (&ensured->sandbox);
  if (out_account != NULL)
    *out_account = g_steal_pointer (&ensured->account);
  ensure_result_free (ensured);
  return sandbox;
}
