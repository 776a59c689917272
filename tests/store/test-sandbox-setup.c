/* test-sandbox-setup.c: the app's Sandbox account against a real MarketoSandbox, a real
 * SQLite file and the real keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "push-sandbox-setup.h"
#include "push-secrets.h"
#include "test-utils.h"

typedef struct {
  char           *dir;
  char           *state_file;
  PushStore      *store;
  PushAccounts   *accounts;
  MarketoSandbox *sandbox;
  PushAccount    *account;
  gboolean        async_done;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = push_test_make_tmpdir ();
  path = g_build_filename (fixture->dir, "audience-push.db", NULL);
  fixture->state_file = g_build_filename (fixture->dir, "sandbox", "sandbox.json", NULL);
  fixture->store = push_store_open (path, &error);
  g_assert_no_error (error);
  fixture->accounts = push_accounts_new (fixture->store, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->sandbox != NULL)
    marketo_sandbox_stop (fixture->sandbox);
  g_clear_object (&fixture->sandbox);
  g_clear_object (&fixture->account);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (fixture->accounts)); i++)
    {
      g_autoptr(PushAccount) account = g_list_model_get_item (G_LIST_MODEL (fixture->accounts), i);

      push_secrets_clear_sync (push_account_get_id (account), NULL, NULL);
    }

  g_clear_object (&fixture->accounts);
  g_clear_object (&fixture->store);
  push_test_rm_rf (fixture->dir);
  g_free (fixture->state_file);
  g_free (fixture->dir);
}

/* GET <endpoint>/identity/oauth/token with the credentials; the HTTP status, and the
 * access token when there is one. */
static guint
request_token (const char  *endpoint,
               const char  *client_id,
               const char  *secret,
               char       **out_token)
{
  g_autoptr(GError) error = NULL;
  /* No proxy resolver: the default one reads GSettings, and the sandbox is on loopback. */
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 10,
                                                                  "proxy-resolver", NULL,
                                                                  NULL);
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *query = NULL;
  g_autofree char *url = NULL;

  query = soup_form_encode ("grant_type", "client_credentials", "client_id", client_id,
                            "client_secret", secret, NULL);
  url = g_strdup_printf ("%s/identity/oauth/token?%s", endpoint, query);
  message = soup_message_new ("GET", url);
  g_assert_nonnull (message);

  body = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);

  if (out_token != NULL && soup_message_get_status (message) == SOUP_STATUS_OK)
    {
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();
      JsonObject *object;

      g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                                 g_bytes_get_size (body), &error));
      g_assert_no_error (error);
      object = json_node_get_object (json_parser_get_root (parser));
      *out_token = g_strdup (json_object_get_string_member_with_default (object,
                                                                         "access_token",
                                                                         NULL));
    }
  return soup_message_get_status (message);
}

static char *
keyring_secret (PushAccount *account)
{
  g_autoptr(GError) error = NULL;
  char *secret = push_secrets_lookup_sync (push_account_get_id (account), NULL, &error);

  g_assert_no_error (error);
  return secret;
}

static void
assert_sandbox_answers (MarketoSandbox *sandbox,
                        PushAccount    *account)
{
  g_autoptr(PushSecret) secret = keyring_secret (account);
  g_autofree char *token = NULL;

  g_assert_nonnull (secret);
  g_assert_cmpuint (request_token (push_account_get_endpoint (account),
                                   push_account_get_client_id (account), secret, &token),
                    ==, SOUP_STATUS_OK);
  g_assert_nonnull (token);
  g_assert_cmpstr (token, !=, "");
  /* and it does check them */
  g_assert_cmpuint (request_token (push_account_get_endpoint (account),
                                   push_account_get_client_id (account), "wrong-secret", NULL),
                    ==, SOUP_STATUS_UNAUTHORIZED);
}

static void
test_first_and_second_run (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PushSecret) secret = NULL;
  g_autoptr(PushSecret) secret_again = NULL;
  g_autofree char *endpoint = NULL;
  g_autofree char *munchkin_problem = NULL;
  g_autofree char *state = NULL;
  g_autofree char *first_id = NULL;
  g_autofree char *first_client_id = NULL;

  if (!push_test_require_keyring ())
    return;

  /* first run: creates the account and a running sandbox */
  fixture->sandbox = push_sandbox_setup_ensure_sync (fixture->accounts, &fixture->account, NULL,
                                                     &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->sandbox);
  g_assert_nonnull (fixture->account);

  g_assert_true (push_account_get_is_sandbox (fixture->account));
  g_assert_cmpstr (push_account_get_name (fixture->account), ==, "Sandbox");
  g_assert_cmpstr (push_account_get_munchkin_id (fixture->account), ==, "000-SBX-000");
  munchkin_problem =
    push_account_check_munchkin_id (push_account_get_munchkin_id (fixture->account));
  g_assert_null (munchkin_problem);
  endpoint = marketo_sandbox_dup_endpoint (fixture->sandbox);
  g_assert_cmpstr (push_account_get_endpoint (fixture->account), ==, endpoint);
  g_assert_true (g_str_has_prefix (endpoint, "http://127.0.0.1:"));
  g_assert_true (g_uuid_string_is_valid (push_account_get_client_id (fixture->account)));
  g_assert_cmpstr (push_account_get_client_id (fixture->account), ==,
                   marketo_sandbox_get_client_id (fixture->sandbox));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->accounts)), ==, 1);
  g_assert_true (push_accounts_find_sandbox (fixture->accounts) == fixture->account);

  /* the secret: 32 random bytes in hex, in the keyring, what the sandbox accepts */
  secret = keyring_secret (fixture->account);
  g_assert_nonnull (secret);
  g_assert_cmpuint (strlen (secret), ==, 64);
  for (const char *p = secret; *p != '\0'; p++)
    g_assert_true (g_ascii_isxdigit (*p));
  g_assert_cmpstr (secret, ==, marketo_sandbox_get_client_secret (fixture->sandbox));
  assert_sandbox_answers (fixture->sandbox, fixture->account);

  first_id = g_strdup (push_account_get_id (fixture->account));
  first_client_id = g_strdup (push_account_get_client_id (fixture->account));

  /* stopped: the state file is there and does not hold the secret */
  marketo_sandbox_stop (fixture->sandbox);
  g_clear_object (&fixture->sandbox);
  g_clear_object (&fixture->account);
  g_assert_true (g_file_get_contents (fixture->state_file, &state, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (state), >, 0);
  g_assert_null (strstr (state, secret));

  /* second run: the same account and credentials, running again */
  fixture->sandbox = push_sandbox_setup_ensure_sync (fixture->accounts, &fixture->account, NULL,
                                                     &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->sandbox);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->accounts)), ==, 1);
  g_assert_cmpstr (push_account_get_id (fixture->account), ==, first_id);
  g_assert_cmpstr (push_account_get_client_id (fixture->account), ==, first_client_id);
  g_assert_cmpstr (marketo_sandbox_get_client_id (fixture->sandbox), ==, first_client_id);
  secret_again = keyring_secret (fixture->account);
  g_assert_cmpstr (secret_again, ==, secret);
  g_clear_pointer (&endpoint, g_free);
  endpoint = marketo_sandbox_dup_endpoint (fixture->sandbox);
  g_assert_cmpstr (push_account_get_endpoint (fixture->account), ==, endpoint);
  assert_sandbox_answers (fixture->sandbox, fixture->account);
}

/* The port the account remembers is taken: another one, and the endpoint follows. */
static void
test_port_taken (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketListener) squatter = g_socket_listener_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = NULL;
  g_autofree char *first_endpoint = NULL;
  g_autofree char *endpoint = NULL;
  guint16 first_port;

  if (!push_test_require_keyring ())
    return;

  fixture->sandbox = push_sandbox_setup_ensure_sync (fixture->accounts, NULL, NULL, &error);
  g_assert_no_error (error);
  first_port = marketo_sandbox_get_port (fixture->sandbox);
  first_endpoint = marketo_sandbox_dup_endpoint (fixture->sandbox);
  marketo_sandbox_stop (fixture->sandbox);
  g_clear_object (&fixture->sandbox);

  address = g_inet_socket_address_new (loopback, first_port);
  g_assert_true (g_socket_listener_add_address (squatter, address, G_SOCKET_TYPE_STREAM,
                                                G_SOCKET_PROTOCOL_TCP, NULL, NULL, &error));
  g_assert_no_error (error);

  fixture->sandbox = push_sandbox_setup_ensure_sync (fixture->accounts, &fixture->account, NULL,
                                                     &error);
  g_assert_no_error (error);
  g_assert_cmpuint (marketo_sandbox_get_port (fixture->sandbox), !=, first_port);
  endpoint = marketo_sandbox_dup_endpoint (fixture->sandbox);
  g_assert_cmpstr (endpoint, !=, first_endpoint);
  g_assert_cmpstr (push_account_get_endpoint (fixture->account), ==, endpoint);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->accounts)), ==, 1);
  assert_sandbox_answers (fixture->sandbox, fixture->account);

  g_socket_listener_close (squatter);
}

static void
test_name_taken (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PushAccount) mine = push_account_new ();

  if (!push_test_require_keyring ())
    return;

  push_account_set_name (mine, "sandbox");
  push_account_set_munchkin_id (mine, "123-ABC-456");
  push_account_set_client_id (mine, "01234567-89ab-cdef-0123-456789abcdef");
  g_assert_true (push_accounts_add_sync (fixture->accounts, mine, "user-secret", NULL, &error));
  g_assert_no_error (error);

  fixture->sandbox = push_sandbox_setup_ensure_sync (fixture->accounts, &fixture->account, NULL,
                                                     &error);
  g_assert_no_error (error);
  g_assert_cmpstr (push_account_get_name (fixture->account), ==, "Sandbox 2");
  g_assert_true (push_account_get_is_sandbox (fixture->account));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->accounts)), ==, 2);
}

static void
test_missing_secret (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MarketoSandbox) again = NULL;
  g_autoptr(PushAccount) account = NULL;

  if (!push_test_require_keyring ())
    return;

  fixture->sandbox = push_sandbox_setup_ensure_sync (fixture->accounts, &fixture->account, NULL,
                                                     &error);
  g_assert_no_error (error);
  marketo_sandbox_stop (fixture->sandbox);
  g_assert_true (push_secrets_clear_sync (push_account_get_id (fixture->account), NULL, &error));

  again = push_sandbox_setup_ensure_sync (fixture->accounts, &account, NULL, &error);
  g_assert_null (again);
  g_assert_null (account);
  g_assert_error (error, PUSH_SECRET_ERROR, PUSH_SECRET_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==,
                   "The client secret of the account “Sandbox” is missing from the keyring, so "
                   "its sandbox cannot start. Remove the account, then try the sandbox again to "
                   "make a new one.");
  /* no silent re-creation */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->accounts)), ==, 1);
}

static void
ensure_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Fixture *fixture = user_data;
  g_autoptr(GError) error = NULL;

  fixture->sandbox = push_sandbox_setup_ensure_finish (PUSH_ACCOUNTS (source), result,
                                                       &fixture->account, &error);
  g_assert_no_error (error);
  /* the list model already shows the new account */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (source)), ==, 1);
  fixture->async_done = TRUE;
}

static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  if (!push_test_require_keyring ())
    return;

  push_sandbox_setup_ensure_async (fixture->accounts, NULL, ensure_cb, fixture);
  while (!fixture->async_done)
    g_main_context_iteration (NULL, TRUE);

  g_assert_nonnull (fixture->sandbox);
  g_assert_nonnull (fixture->account);
  assert_sandbox_answers (fixture->sandbox, fixture->account);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/store/sandbox-setup/first-and-second-run", test_first_and_second_run);
  ADD ("/store/sandbox-setup/port-taken", test_port_taken);
  ADD ("/store/sandbox-setup/name-taken", test_name_taken);
  ADD ("/store/sandbox-setup/missing-secret", test_missing_secret);
  ADD ("/store/sandbox-setup/async", test_async);
#undef ADD

  return g_test_run ();
}
