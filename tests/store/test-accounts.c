/* test-accounts.c: PushAccounts over a real SQLite file and a real gnome-keyring, and the
 * "no Secret Service" case on a private bus without one
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <sqlite3.h>

#include "push-accounts.h"
#include "push-secrets.h"
#include "test-utils.h"

typedef struct {
  guint position;
  guint removed;
  guint added;
} ItemsChanged;

typedef struct {
  char         *dir;
  char         *path;
  PushStore    *store;
  PushAccounts *accounts;
  GArray       *changes;        /* (element-type ItemsChanged) */
  GThread      *main_thread;
  gboolean      off_thread;     /* items-changed came on another thread */
  gboolean      callback_done;
  GError       *async_error;
  char         *async_secret;
  guint         n_at_callback;  /* n_items when the async callback ran */
} Fixture;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Fixture    *fixture)
{
  ItemsChanged change = { position, removed, added };

  if (g_thread_self () != fixture->main_thread)
    fixture->off_thread = TRUE;
  g_array_append_val (fixture->changes, change);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = push_test_make_tmpdir ();
  fixture->path = g_build_filename (fixture->dir, "audience-push.db", NULL);
  fixture->changes = g_array_new (FALSE, TRUE, sizeof (ItemsChanged));
  fixture->main_thread = g_thread_self ();

  fixture->store = push_store_open (fixture->path, &error);
  g_assert_no_error (error);
  fixture->accounts = push_accounts_new (fixture->store, &error);
  g_assert_no_error (error);
  g_signal_connect (fixture->accounts, "items-changed", G_CALLBACK (items_changed_cb), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  /* Take our secrets out of the shared test keyring. */
  for (guint i = 0; fixture->accounts != NULL &&
       i < g_list_model_get_n_items (G_LIST_MODEL (fixture->accounts)); i++)
    {
      g_autoptr(PushAccount) account = g_list_model_get_item (G_LIST_MODEL (fixture->accounts), i);

      push_secrets_clear_sync (push_account_get_id (account), NULL, NULL);
    }

  g_clear_object (&fixture->accounts);
  g_clear_object (&fixture->store);
  g_clear_pointer (&fixture->changes, g_array_unref);
  g_clear_error (&fixture->async_error);
  g_clear_pointer (&fixture->async_secret, push_secrets_free);
  push_test_rm_rf (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static PushAccount *
make_account (const char *name)
{
  PushAccount *account = push_account_new ();

  push_account_set_name (account, name);
  push_account_set_munchkin_id (account, "123-abc-456");
  push_account_set_client_id (account, "01234567-89ab-cdef-0123-456789abcdef");
  return account;
}

static void
assert_change (Fixture *fixture,
               guint    index,
               guint    position,
               guint    removed,
               guint    added)
{
  ItemsChanged *change;

  g_assert_cmpuint (fixture->changes->len, >, index);
  change = &g_array_index (fixture->changes, ItemsChanged, index);
  g_assert_cmpuint (change->position, ==, position);
  g_assert_cmpuint (change->removed, ==, removed);
  g_assert_cmpuint (change->added, ==, added);
}

static const char *
name_at (Fixture *fixture,
         guint    position)
{
  g_autoptr(PushAccount) account = g_list_model_get_item (G_LIST_MODEL (fixture->accounts),
                                                          position);

  g_assert_nonnull (account);
  /* The list holds its own reference: the name outlives this one. */
  return push_account_get_name (account);
}

static char *
lookup_secret (const char *id)
{
  g_autoptr(GError) error = NULL;
  char *secret = push_secrets_lookup_sync (id, NULL, &error);

  g_assert_no_error (error);
  return secret;
}

/* Rows in the database, read through a fresh PushStore connection. */
static guint
count_rows (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PushStore) store = push_store_open (fixture->path, &error);
  g_autoptr(GPtrArray) accounts = NULL;

  g_assert_no_error (error);
  accounts = push_store_list_accounts (store, &error);
  g_assert_no_error (error);
  return accounts->len;
}

static void
raw_exec (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("raw SQL failed: %s", message);
  sqlite3_close (db);
}

/* A real way to make COMMIT fail: a deferred foreign key that a trigger breaks. The write
 * itself succeeds; SQLite refuses the commit. @event: INSERT, UPDATE or DELETE. */
static void
break_commit_on (Fixture    *fixture,
                 const char *event)
{
  g_autofree char *sql =
    g_strdup_printf ("CREATE TABLE IF NOT EXISTS blocker (account_id TEXT REFERENCES accounts (id)"
                     "  DEFERRABLE INITIALLY DEFERRED);"
                     "CREATE TRIGGER block_%s AFTER %s ON accounts BEGIN"
                     "  INSERT INTO blocker VALUES ('no-such-account'); END;",
                     event, event);

  raw_exec (fixture->path, sql);
}

static void
test_add (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PushAccount) account = make_account ("  Production ");
  g_autoptr(PushAccounts) reloaded = NULL;
  g_autoptr(PushSecret) secret = NULL;
  PushAccount *listed;

  if (!push_test_require_keyring ())
    return;

  g_assert_true (push_accounts_add_sync (fixture->accounts, account, " S3cret-Value-0123\n",
                                         NULL, &error));
  g_assert_no_error (error);
  g_assert_false (fixture->off_thread);
  g_assert_cmpuint (fixture->changes->len, ==, 1);
  assert_change (fixture, 0, 0, 0, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->accounts)), ==, 1);

  /* the list keeps a normalised copy; the endpoint defaulted from the Munchkin ID */
  listed = push_accounts_find_by_id (fixture->accounts, push_account_get_id (account));
  g_assert_nonnull (listed);
  g_assert_true (listed != account);
  g_assert_cmpstr (push_account_get_name (listed), ==, "Production");
  g_assert_cmpstr (push_account_get_munchkin_id (listed), ==, "123-ABC-456");
  g_assert_cmpstr (push_account_get_endpoint (listed), ==, "https://123-ABC-456.mktorest.com");
  g_assert_null (push_account_get_endpoint (account));
  g_assert_true (push_accounts_find_by_name (fixture->accounts, "PRODUCTION") == listed);
  g_assert_null (push_accounts_find_sandbox (fixture->accounts));

  /* secret trimmed, in the keyring, and findable through the list */
  secret = lookup_secret (push_account_get_id (account));
  g_assert_cmpstr (secret, ==, "S3cret-Value-0123");
  g_clear_pointer (&secret, push_secrets_free);
  secret = push_accounts_lookup_secret_sync (fixture->accounts, listed, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, "S3cret-Value-0123");

  /* a new list over the same file sees it */
  g_assert_cmpuint (count_rows (fixture), ==, 1);
  reloaded = push_accounts_new (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reloaded)), ==, 1);
  g_assert_nonnull (push_accounts_find_by_id (reloaded, push_account_get_id (account)));
}

static void
test_add_invalid (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PushAccount) first = make_account ("Production");
  g_autoptr(PushAccount) same_name = make_account ("production");
  g_autoptr(PushAccount) bad_munchkin = make_account ("Bad Munchkin");
  g_autoptr(PushAccount) plain_http = make_account ("Plain HTTP");
  g_autoptr(PushAccount) fine = make_account ("Fine");
  g_autoptr(PushSecret) secret = NULL;

  if (!push_test_require_keyring ())
    return;

  g_assert_true (push_accounts_add_sync (fixture->accounts, first, "secret-1", NULL, &error));
  g_assert_no_error (error);

  g_assert_false (push_accounts_add_sync (fixture->accounts, same_name, "secret-2", NULL,
                                          &error));
  g_assert_error (error, PUSH_ACCOUNT_ERROR, PUSH_ACCOUNT_ERROR_NAME_TAKEN);
  g_assert_cmpstr (error->message, ==, "There is already an account named “production”");
  g_clear_error (&error);

  push_account_set_munchkin_id (bad_munchkin, "123-456-789");
  g_assert_false (push_accounts_add_sync (fixture->accounts, bad_munchkin, "secret-3", NULL,
                                          &error));
  g_assert_error (error, PUSH_ACCOUNT_ERROR, PUSH_ACCOUNT_ERROR_INVALID_MUNCHKIN_ID);
  g_clear_error (&error);

  push_account_set_endpoint (plain_http, "http://123-ABC-456.mktorest.com/rest");
  g_assert_false (push_accounts_add_sync (fixture->accounts, plain_http, "secret-4", NULL,
                                          &error));
  g_assert_error (error, PUSH_ACCOUNT_ERROR, PUSH_ACCOUNT_ERROR_INVALID_ENDPOINT);
  g_clear_error (&error);

  g_assert_false (push_accounts_add_sync (fixture->accounts, fine, NULL, NULL, &error));
  g_assert_error (error, PUSH_ACCOUNT_ERROR, PUSH_ACCOUNT_ERROR_INVALID_CLIENT_SECRET);
  g_assert_cmpstr (error->message, ==,
                   "Enter the client secret (Marketo: Admin › LaunchPoint › View Details)");
  g_clear_error (&error);
  g_assert_false (push_accounts_add_sync (fixture->accounts, fine, "has space", NULL, &error));
  g_assert_error (error, PUSH_ACCOUNT_ERROR, PUSH_ACCOUNT_ERROR_INVALID_CLIENT_SECRET);
  g_clear_error (&error);

  /* nothing of the refused ones anywhere */
  g_assert_cmpuint (fixture->changes->len, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->accounts)), ==, 1);
  g_assert_cmpuint (count_rows (fixture), ==, 1);
  secret = lookup_secret (push_account_get_id (same_name));
  g_assert_null (secret);
  secret = lookup_secret (push_account_get_id (fine));
  g_assert_null (secret);
}

static void
test_sorted_update_remove (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PushAccount) b = make_account ("beta");
  g_autoptr(PushAccount) a = make_account ("Alpha");
  g_autoptr(PushAccount) c = make_account ("Gamma");
  g_autoptr(PushAccount) edit = NULL;
  g_autoptr(PushAccount) clash = NULL;
  g_autoptr(PushSecret) secret = NULL;
  g_autolist(GObject) items = NULL;
  PushAccount *listed;

  if (!push_test_require_keyring ())
    return;

  g_assert_true (push_accounts_add_sync (fixture->accounts, b, "secret-b", NULL, &error));
  g_assert_true (push_accounts_add_sync (fixture->accounts, a, "secret-a", NULL, &error));
  g_assert_true (push_accounts_add_sync (fixture->accounts, c, "secret-c", NULL, &error));
  g_assert_no_error (error);
  assert_change (fixture, 0, 0, 0, 1);
  assert_change (fixture, 1, 0, 0, 1);  /* Alpha before beta */
  assert_change (fixture, 2, 2, 0, 1);
  g_assert_cmpstr (name_at (fixture, 0), ==, "Alpha");
  g_assert_cmpstr (name_at (fixture, 1), ==, "beta");
  g_assert_cmpstr (name_at (fixture, 2), ==, "Gamma");

  /* rename Alpha to Zulu: moves from 0 to the end; the secret stays, relabelled */
  edit = push_account_copy (push_accounts_find_by_id (fixture->accounts,
                                                      push_account_get_id (a)));
  push_account_set_name (edit, "Zulu");
  push_account_set_rate_calls (edit, 25);
  g_array_set_size (fixture->changes, 0);
  g_assert_true (push_accounts_update_sync (fixture->accounts, edit, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->changes->len, ==, 2);
  assert_change (fixture, 0, 0, 1, 0);
  assert_change (fixture, 1, 2, 0, 1);
  g_assert_cmpstr (name_at (fixture, 0), ==, "beta");
  g_assert_cmpstr (name_at (fixture, 2), ==, "Zulu");
  listed = push_accounts_find_by_id (fixture->accounts, push_account_get_id (a));
  g_assert_cmpuint (push_account_get_rate_calls (listed), ==, 25);
  secret = lookup_secret (push_account_get_id (a));
  g_assert_cmpstr (secret, ==, "secret-a");
  g_clear_pointer (&secret, push_secrets_free);
  items = secret_password_search_sync (PUSH_SECRET_SCHEMA, SECRET_SEARCH_ALL, NULL, &error,
                                       "account-id", push_account_get_id (a), NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  {
    g_autofree char *label = secret_retrievable_get_label (items->data);
    g_assert_cmpstr (label, ==, "Audience Push: Marketo client secret for Zulu");
  }

  /* same place, new secret: one in-place change */
  push_account_set_daily_quota (edit, 777);
  g_array_set_size (fixture->changes, 0);
  g_assert_true (push_accounts_update_sync (fixture->accounts, edit, "secret-a2", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->changes->len, ==, 1);
  assert_change (fixture, 0, 2, 1, 1);
  secret = lookup_secret (push_account_get_id (a));
  g_assert_cmpstr (secret, ==, "secret-a2");
  g_clear_pointer (&secret, push_secrets_free);

  /* renaming onto a taken name is refused and changes nothing */
  clash = push_account_copy (edit);
  push_account_set_name (clash, "GAMMA");
  g_array_set_size (fixture->changes, 0);
  g_assert_false (push_accounts_update_sync (fixture->accounts, clash, NULL, NULL, &error));
  g_assert_error (error, PUSH_ACCOUNT_ERROR, PUSH_ACCOUNT_ERROR_NAME_TAKEN);
  g_clear_error (&error);
  g_assert_cmpuint (fixture->changes->len, ==, 0);
  g_assert_cmpstr (name_at (fixture, 2), ==, "Zulu");

  /* remove beta: row and secret gone */
  g_assert_true (push_accounts_remove_sync (fixture->accounts, b, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->changes->len, ==, 1);
  assert_change (fixture, 0, 0, 1, 0);
  g_assert_null (push_accounts_find_by_id (fixture->accounts, push_account_get_id (b)));
  g_assert_cmpuint (count_rows (fixture), ==, 2);
  secret = lookup_secret (push_account_get_id (b));
  g_assert_null (secret);

  /* removing it again: not found */
  g_assert_false (push_accounts_remove_sync (fixture->accounts, b, NULL, &error));
  g_assert_error (error, PUSH_STORE_ERROR, PUSH_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* a missing secret is reported as such */
  push_secrets_clear_sync (push_account_get_id (c), NULL, NULL);
  secret = push_accounts_lookup_secret_sync (fixture->accounts, c, NULL, &error);
  g_assert_null (secret);
  g_assert_error (error, PUSH_SECRET_ERROR, PUSH_SECRET_ERROR_NOT_FOUND);
}

static void
test_commit_fails_after_secret (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PushAccount) account = make_account ("Doomed");
  g_autoptr(PushAccount) kept = make_account ("Kept");
  g_autoptr(PushAccount) edit = NULL;
  g_autoptr(PushSecret) secret = NULL;

  if (!push_test_require_keyring ())
    return;

  /* add: the secret was stored before the commit failed, and is taken out again */
  break_commit_on (fixture, "INSERT");
  g_assert_false (push_accounts_add_sync (fixture->accounts, account, "orphan-secret", NULL,
                                          &error));
  g_assert_error (error, PUSH_STORE_ERROR, PUSH_STORE_ERROR_CONSTRAINT);
  /* the COMMIT failed, not the INSERT: the secret had been stored */
  g_assert_true (g_str_has_prefix (error->message, "Could not save the changes to the database"));
  g_assert_null (strstr (error->message, "orphan-secret"));
  g_clear_error (&error);
  secret = lookup_secret (push_account_get_id (account));
  g_assert_null (secret);
  g_assert_cmpuint (count_rows (fixture), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->accounts)), ==, 0);
  g_assert_cmpuint (fixture->changes->len, ==, 0);
  g_assert_null (push_accounts_find_by_id (fixture->accounts, push_account_get_id (account)));

  /* update with a new secret: the old one is put back */
  raw_exec (fixture->path, "DROP TRIGGER block_INSERT;");
  g_assert_true (push_accounts_add_sync (fixture->accounts, kept, "old-secret", NULL, &error));
  g_assert_no_error (error);
  break_commit_on (fixture, "UPDATE");
  edit = push_account_copy (kept);
  push_account_set_name (edit, "Renamed");
  g_assert_false (push_accounts_update_sync (fixture->accounts, edit, "new-secret", NULL,
                                             &error));
  g_assert_error (error, PUSH_STORE_ERROR, PUSH_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  secret = lookup_secret (push_account_get_id (kept));
  g_assert_cmpstr (secret, ==, "old-secret");
  g_clear_pointer (&secret, push_secrets_free);
  g_assert_cmpstr (name_at (fixture, 0), ==, "Kept");

  /* remove: the row stays and so does the secret */
  break_commit_on (fixture, "DELETE");
  g_assert_false (push_accounts_remove_sync (fixture->accounts, kept, NULL, &error));
  g_assert_error (error, PUSH_STORE_ERROR, PUSH_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  secret = lookup_secret (push_account_get_id (kept));
  g_assert_cmpstr (secret, ==, "old-secret");
  g_assert_cmpuint (count_rows (fixture), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->accounts)), ==, 1);
}

static void
async_bool_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Fixture *fixture = user_data;
  PushAccounts *accounts = PUSH_ACCOUNTS (source);
  gpointer tag = g_task_get_source_tag (G_TASK (result));

  g_assert_true (g_thread_self () == fixture->main_thread);
  fixture->n_at_callback = g_list_model_get_n_items (G_LIST_MODEL (accounts));

  if (tag == push_accounts_add_async)
    push_accounts_add_finish (accounts, result, &fixture->async_error);
  else if (tag == push_accounts_update_async)
    push_accounts_update_finish (accounts, result, &fixture->async_error);
  else if (tag == push_accounts_remove_async)
    push_accounts_remove_finish (accounts, result, &fixture->async_error);
  else if (tag == push_accounts_lookup_secret_async)
    fixture->async_secret = push_accounts_lookup_secret_finish (accounts, result,
                                                                &fixture->async_error);
  else
    g_assert_not_reached ();

  fixture->callback_done = TRUE;
}

static void
wait_for_callback (Fixture *fixture)
{
  while (!fixture->callback_done)
    g_main_context_iteration (NULL, TRUE);
  fixture->callback_done = FALSE;
}

static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(PushAccount) account = make_account ("Async");
  g_autoptr(PushAccount) bad = make_account ("");
  g_autoptr(PushAccount) edit = NULL;
  g_autoptr(PushSecret) secret = NULL;

  if (!push_test_require_keyring ())
    return;

  push_accounts_add_async (fixture->accounts, account, "async-secret", NULL, async_bool_cb,
                           fixture);
  /* nothing before the main loop runs */
  g_assert_cmpuint (fixture->changes->len, ==, 0);
  wait_for_callback (fixture);
  g_assert_no_error (fixture->async_error);
  g_assert_false (fixture->off_thread);
  g_assert_cmpuint (fixture->changes->len, ==, 1);
  /* the model had changed by the time the callback ran */
  g_assert_cmpuint (fixture->n_at_callback, ==, 1);

  push_accounts_lookup_secret_async (fixture->accounts, account, NULL, async_bool_cb, fixture);
  wait_for_callback (fixture);
  g_assert_no_error (fixture->async_error);
  g_assert_cmpstr (fixture->async_secret, ==, "async-secret");

  edit = push_account_copy (account);
  push_account_set_name (edit, "Async renamed");
  push_accounts_update_async (fixture->accounts, edit, "async-secret-2", NULL, async_bool_cb,
                              fixture);
  wait_for_callback (fixture);
  g_assert_no_error (fixture->async_error);
  g_assert_cmpuint (fixture->changes->len, ==, 2);
  g_assert_cmpstr (name_at (fixture, 0), ==, "Async renamed");
  secret = lookup_secret (push_account_get_id (account));
  g_assert_cmpstr (secret, ==, "async-secret-2");

  push_accounts_add_async (fixture->accounts, bad, "x", NULL, async_bool_cb, fixture);
  wait_for_callback (fixture);
  g_assert_error (fixture->async_error, PUSH_ACCOUNT_ERROR, PUSH_ACCOUNT_ERROR_INVALID_NAME);
  g_assert_cmpstr (fixture->async_error->message, ==, "Enter a name for the account");
  g_clear_error (&fixture->async_error);
  g_assert_cmpuint (fixture->changes->len, ==, 2);

  push_accounts_remove_async (fixture->accounts, account, NULL, async_bool_cb, fixture);
  wait_for_callback (fixture);
  g_assert_no_error (fixture->async_error);
  g_assert_cmpuint (fixture->n_at_callback, ==, 0);
  g_assert_cmpuint (fixture->changes->len, ==, 3);
  assert_change (fixture, 2, 0, 1, 0);
  g_assert_false (fixture->off_thread);
  g_assert_cmpuint (count_rows (fixture), ==, 0);
}

typedef struct {
  PushAccounts *accounts;
  PushAccount  *account;
  gboolean      ok;
  gboolean      found_at_once;
} WorkerData;

static gpointer
add_from_worker (gpointer user_data)
{
  WorkerData *data = user_data;

  data->ok = push_accounts_add_sync (data->accounts, data->account, "worker-secret", NULL,
                                     NULL);
  /* the calling thread sees its own change at once */
  data->found_at_once = push_accounts_find_by_id (data->accounts,
                                                  push_account_get_id (data->account)) != NULL;
  return NULL;
}

/* A _sync call from another thread: the model changes on the owner's context, later. */
static void
test_sync_from_worker (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(PushAccount) account = make_account ("From a worker");
  WorkerData worker = { fixture->accounts, account, FALSE, FALSE };
  GThread *thread;

  if (!push_test_require_keyring ())
    return;

  thread = g_thread_new ("worker", add_from_worker, &worker);
  g_thread_join (thread);
  g_assert_true (worker.ok);
  g_assert_true (worker.found_at_once);
  g_assert_cmpuint (fixture->changes->len, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->accounts)), ==, 0);

  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_false (fixture->off_thread);
  g_assert_cmpuint (fixture->changes->len, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->accounts)), ==, 1);
}

/* In a child process: a private bus with no Secret Service at all. */
static void
test_no_secret_service (Fixture       *fixture,
                        gconstpointer  data)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PushAccount) account = make_account ("No keyring");
      g_autoptr(PushAccount) existing = make_account ("Existing");
      g_autoptr(PushAccounts) accounts = NULL;
      GTestDBus *bus = g_test_dbus_new (G_TEST_DBUS_NONE);
      char *secret;

      g_test_dbus_up (bus);

      g_assert_false (push_accounts_add_sync (fixture->accounts, account, "never-stored", NULL,
                                              &error));
      g_assert_error (error, PUSH_SECRET_ERROR, PUSH_SECRET_ERROR_UNAVAILABLE);
      g_test_message ("add: %s", error->message);
      g_assert_true (g_str_has_prefix (error->message, "No keyring is available: "));
      g_assert_null (strstr (error->message, "never-stored"));
      g_clear_error (&error);

      /* no row, no item */
      g_assert_cmpuint (count_rows (fixture), ==, 0);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->accounts)), ==, 0);
      g_assert_cmpuint (fixture->changes->len, ==, 0);

      /* removing a saved account needs the keyring too: refused, the row stays */
      push_account_set_endpoint (existing, "https://123-ABC-456.mktorest.com");
      g_assert_true (push_store_insert_account (fixture->store, existing, &error));
      accounts = push_accounts_new (fixture->store, &error);
      g_assert_no_error (error);
      g_assert_false (push_accounts_remove_sync (accounts, existing, NULL, &error));
      g_assert_error (error, PUSH_SECRET_ERROR, PUSH_SECRET_ERROR_UNAVAILABLE);
      g_test_message ("remove: %s", error->message);
      g_assert_nonnull (strstr (error->message, "No keyring is available: "));
      g_clear_error (&error);
      g_assert_cmpuint (count_rows (fixture), ==, 1);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (accounts)), ==, 1);

      secret = push_accounts_lookup_secret_sync (accounts, existing, NULL, &error);
      g_assert_null (secret);
      g_assert_error (error, PUSH_SECRET_ERROR, PUSH_SECRET_ERROR_UNAVAILABLE);

      g_clear_object (&fixture->accounts);  /* the tear-down would ask the keyring */
      g_test_dbus_stop (bus);  /* never unref: see toolchain.md §4 */
      return;
    }

  g_test_trap_subprocess (NULL, 20 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/store/accounts/add", test_add);
  ADD ("/store/accounts/add-invalid", test_add_invalid);
  ADD ("/store/accounts/sorted-update-remove", test_sorted_update_remove);
  ADD ("/store/accounts/commit-fails-after-secret", test_commit_fails_after_secret);
  ADD ("/store/accounts/async", test_async);
  ADD ("/store/accounts/sync-from-worker", test_sync_from_worker);
  ADD ("/store/accounts/no-secret-service", test_no_secret_service);
#undef ADD

  return g_test_run ();
}
