/* push-connection-test.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "push-connection-test.h"
#include "push-usage-store.h"
#include "push-secrets.h"

/* How long the identity call may take before the test reports a timeout. */
#define TEST_TIMEOUT_MS 20000

G_DEFINE_QUARK (push-connection-error-quark, push_connection_error)

typedef struct {
  PushApplication *app;      /* (owned) */
  PushAccount     *account;  /* (owned): a copy, its endpoint may be refreshed */
  char            *secret;   /* (owned) (nullable): typed by the user, wiped when freed */
} ClientData;

static void
client_data_free (ClientData *data)
{
  if (data->secret != NULL)
    {
      explicit_bzero (data->secret, strlen (data->secret));
      g_free (data->secret);
    }
  g_clear_object (&data->account);
  g_clear_object (&data->app);
  g_free (data);
}

static void
connect_with_secret (GTask      *task,
                     const char *secret)
{
  ClientData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  MarketoClient *client;

  client = marketo_client_new (push_account_get_endpoint (data->account),
                               push_account_get_client_id (data->account),
                               secret, &error);
  if (client == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
    }
  else
    {
      PushStore *store = push_application_get_store (data->app);

      /* The account's budget, and the day's call count shared with runs and the CLI. */
      if (store != NULL)
        push_usage_store_configure_pacer (marketo_client_get_pacer (client), store,
                                          data->account);
      g_task_return_pointer (task, client, g_object_unref);
    }
  g_object_unref (task);
}

static void
secret_looked_up_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;
  char *secret;

  secret = push_accounts_lookup_secret_finish (PUSH_ACCOUNTS (source), result, &error);
  if (secret == NULL)
    {
      if (error == NULL || g_error_matches (error, PUSH_SECRET_ERROR, PUSH_SECRET_ERROR_NOT_FOUND))
        {
          g_clear_error (&error);
          g_set_error_literal (&error, PUSH_CONNECTION_ERROR, PUSH_CONNECTION_ERROR_NO_SECRET,
                               _("No client secret is stored in the keyring for this account. "
                                 "Edit the account and enter the secret again."));
        }
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  connect_with_secret (task, secret);
  push_secrets_free (secret);
}

static void
find_secret (GTask *task)
{
  ClientData *data = g_task_get_task_data (task);
  PushAccounts *accounts = push_application_get_accounts (data->app);

  if (data->secret != NULL)
    {
      connect_with_secret (task, data->secret);
      return;
    }

  if (accounts == NULL)
    {
      g_task_return_new_error (task, PUSH_CONNECTION_ERROR, PUSH_CONNECTION_ERROR_NO_ACCOUNTS,
                               "%s", _("The database is not available"));
      g_object_unref (task);
      return;
    }

  push_accounts_lookup_secret_async (accounts, data->account, g_task_get_cancellable (task),
                                     secret_looked_up_cb, task);
}

static void
sandbox_started_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  ClientData *data = g_task_get_task_data (task);
  g_autoptr(PushAccount) sandbox_account = NULL;
  g_autoptr(GError) error = NULL;

  sandbox_account = push_application_start_sandbox_finish (PUSH_APPLICATION (source), result,
                                                           &error);
  if (sandbox_account == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  /* Starting may have moved the sandbox to another port. */
  if (g_strcmp0 (push_account_get_id (sandbox_account), push_account_get_id (data->account)) == 0)
    push_account_set_endpoint (data->account, push_account_get_endpoint (sandbox_account));

  find_secret (task);
}

void
push_connection_client_async (PushApplication     *app,
                              PushAccount         *account,
                              const char          *secret,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;
  ClientData *data;

  g_return_if_fail (PUSH_IS_APPLICATION (app));
  g_return_if_fail (PUSH_IS_ACCOUNT (account));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (ClientData, 1);
  data->app = g_object_ref (app);
  data->account = push_account_copy (account);
  data->secret = g_strdup (secret);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, push_connection_client_async);
  g_task_set_task_data (task, data, (GDestroyNotify) client_data_free);

  if (push_account_get_is_sandbox (account) && push_application_get_sandbox (app) == NULL)
    push_application_start_sandbox_async (app, cancellable, sandbox_started_cb, task);
  else
    find_secret (task);
}

MarketoClient *
push_connection_client_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == push_connection_client_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
authenticated_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  MarketoTokenInfo *info;

  info = marketo_client_authenticate_finish (MARKETO_CLIENT (source), result, &error);
  if (info == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, info, (GDestroyNotify) marketo_token_info_free);
}

static void
client_made_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(MarketoClient) client = NULL;
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;

  client = push_connection_client_finish (result, &error);
  if (client == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* A test reports the first failure as it is, without the backoff a run would use. */
  marketo_client_set_retry_policy (client, 0, 0, 1);
  marketo_client_set_timeouts (client, 0, 0, TEST_TIMEOUT_MS);

  /* The task keeps the client alive until the identity call is over. */
  g_task_set_task_data (task, g_object_ref (client), g_object_unref);
  cancellable = g_task_get_cancellable (task);
  marketo_client_authenticate_async (client, cancellable, authenticated_cb,
                                     g_steal_pointer (&task));
}

void
push_connection_test_async (PushApplication     *app,
                            PushAccount         *account,
                            const char          *secret,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (PUSH_IS_APPLICATION (app));
  g_return_if_fail (PUSH_IS_ACCOUNT (account));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, push_connection_test_async);

  push_connection_client_async (app, account, secret, cancellable, client_made_cb, task);
}

MarketoTokenInfo *
push_connection_test_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == push_connection_test_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

char *
push_format_duration (gint64 seconds)
{
  gint64 minutes = MAX (seconds, 0) / 60;
  gint64 hours = minutes / 60;
  gint64 rest = minutes % 60;
  g_autofree char *hours_text = NULL;
  g_autofree char *minutes_text = NULL;

  if (minutes < 1)
    return g_strdup (_("less than a minute"));

  if (hours == 0)
    return g_strdup_printf (ngettext ("%d minute", "%d minutes", minutes), (int) minutes);

  hours_text = g_strdup_printf (ngettext ("%d hour", "%d hours", hours), (int) hours);
  if (rest == 0)
    return g_steal_pointer (&hours_text);

  minutes_text = g_strdup_printf (ngettext ("%d minute", "%d minutes", rest), (int) rest);
  /* Translators: a duration such as "2 hours and 5 minutes" */
  return g_strdup_printf (_("%s and %s"), hours_text, minutes_text);
}

char *
push_connection_describe_success (const MarketoTokenInfo *info)
{
  g_autofree char *duration = NULL;

  g_return_val_if_fail (info != NULL, NULL);

  duration = push_format_duration (info->expires_in);
  if (info->scope != NULL && info->scope[0] != '\0')
    /* Translators: the first %s is Marketo's API user, the second a duration ("59 minutes") */
    return g_strdup_printf (_("Connected as %s — token valid for %s"), info->scope, duration);

  /* Translators: %s is a duration ("59 minutes") */
  return g_strdup_printf (_("Connected — token valid for %s"), duration);
}

char *
push_connection_describe_error (const GError *error,
                                const char   *endpoint)
{
  const char *where;

  g_return_val_if_fail (error != NULL, NULL);

  where = (endpoint != NULL && endpoint[0] != '\0') ? endpoint : _("the REST endpoint");

  if (error->domain == MARKETO_ERROR)
    {
      const char *description;

      switch (error->code)
        {
        case MARKETO_ERROR_INVALID_CLIENT:
          return g_strdup (_("Wrong credentials: Marketo refused this client ID and secret. "
                             "Copy them again from Admin › LaunchPoint › View Details."));
        case MARKETO_ERROR_UNREACHABLE:
          return g_strdup_printf (_("Endpoint unreachable: could not connect to %s. "
                                    "Check the REST endpoint and the network connection."),
                                  where);
        case MARKETO_ERROR_TLS:
          return g_strdup_printf (_("Secure connection failed: the certificate of %s is not "
                                    "trusted, or the TLS handshake failed."), where);
        case MARKETO_ERROR_TIMEOUT:
          return g_strdup_printf (_("Timed out: %s did not answer in time. Try again later."),
                                  where);
        case MARKETO_ERROR_NOT_MARKETO:
          return g_strdup_printf (_("Not Marketo’s answer: %s replied, but not the way the "
                                    "Marketo REST API does. Check the REST endpoint in "
                                    "Admin › Web Services."), where);
        case MARKETO_ERROR_INVALID_ENDPOINT:
          return g_strdup_printf (_("Invalid REST endpoint: %s"), error->message);
        case MARKETO_ERROR_HTTP:
          return g_strdup_printf (_("Unexpected answer from %s: %s"), where, error->message);
        default:
          description = marketo_error_code_describe (error->code);
          if (description != NULL)
            return g_strdup_printf (_("Marketo refused the request: %s (code %d)"),
                                    description, error->code);
          break;
        }
    }
  else if (error->domain == PUSH_SECRET_ERROR)
    {
      return g_strdup_printf (_("The client secret could not be read from the keyring: %s"),
                              error->message);
    }

  return g_strdup (error->message);
}
