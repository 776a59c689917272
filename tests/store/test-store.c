/* test-store.c: PushStore on real SQLite files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "push-store.h"
#include "test-utils.h"

typedef struct {
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = push_test_make_tmpdir ();
  fixture->path = g_build_filename (fixture->dir, "sub", "audience-push.db", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *sub = g_path_get_dirname (fixture->path);

  push_test_rm_rf (sub);
  push_test_rm_rf (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static PushAccount *
make_account (const char *name,
              const char *munchkin)
{
  PushAccount *account = push_account_new ();
  g_autofree char *endpoint = push_account_default_endpoint (munchkin);

  push_account_set_name (account, name);
  push_account_set_munchkin_id (account, munchkin);
  push_account_set_endpoint (account, endpoint);
  push_account_set_client_id (account, "01234567-89ab-cdef-0123-456789abcdef");
  return account;
}

/* Runs @sql on @path with plain SQLite, outside PushStore. */
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

static char *
raw_query_text (const char *path,
                const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *result = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    result = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return result;
}

static guint
file_mode (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 0777;
}

static void
test_create (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PushStore) store = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(PushAccount) account = make_account ("Production", "123-ABC-456");
  g_autofree char *wal = g_strconcat (fixture->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (fixture->path, "-shm", NULL);
  g_autofree char *sub = g_path_get_dirname (fixture->path);
  g_autofree char *mode = NULL;
  g_autofree char *fks = NULL;

  store = push_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_assert_cmpstr (push_store_get_path (store), ==, fixture->path);
  g_assert_cmpint (push_store_get_schema_version (store), ==, PUSH_STORE_SCHEMA_VERSION);
  g_assert_cmpint (PUSH_STORE_SCHEMA_VERSION, >=, 2);

  accounts = push_store_list_accounts (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 0);

  g_assert_true (push_store_insert_account (store, account, &error));
  g_assert_no_error (error);

  /* While the store is open with a write done, all three files exist and are private. */
  g_assert_cmpuint (file_mode (fixture->path), ==, 0600);
  g_assert_cmpuint (file_mode (wal), ==, 0600);
  g_assert_cmpuint (file_mode (shm), ==, 0600);
  g_assert_cmpuint (file_mode (sub), ==, 0700);

  mode = raw_query_text (fixture->path, "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "wal");
  fks = raw_query_text (fixture->path,
                        "SELECT COUNT(*) FROM sqlite_schema WHERE name = 'api_usage' "
                        "AND sql LIKE '%REFERENCES accounts%'");
  g_assert_cmpstr (fks, ==, "1");
}

static void
test_default_location (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PushStore) store = NULL;
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "audience-push", NULL);
  g_autofree char *expected = g_build_filename (dir, "audience-push.db", NULL);
  g_autofree char *default_dir = push_store_dup_default_dir ();

  g_assert_cmpstr (default_dir, ==, dir);
  store = push_store_open (NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (push_store_get_path (store), ==, expected);
  g_assert_cmpuint (file_mode (dir), ==, 0700);
  g_assert_cmpuint (file_mode (expected), ==, 0600);
}

static void
test_reopen (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PushStore) store = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(PushAccount) a = make_account ("Zeta", "123-ABC-456");
  g_autoptr(PushAccount) b = make_account ("alpha", "999-XYZ-000");
  g_autofree char *value = NULL;
  PushAccount *loaded;

  store = push_store_open (fixture->path, &error);
  g_assert_no_error (error);
  push_account_set_is_sandbox (b, TRUE);
  push_account_set_rate_calls (b, 7);
  push_account_set_rate_window (b, 3);
  push_account_set_max_concurrency (b, 2);
  push_account_set_daily_quota (b, 1234);
  g_assert_true (push_store_insert_account (store, a, &error));
  g_assert_true (push_store_insert_account (store, b, &error));
  g_assert_true (push_store_set_value (store, "last-account", push_account_get_id (b), &error));
  g_assert_no_error (error);
  g_assert_finalize_object (g_steal_pointer (&store));

  store = push_store_open (fixture->path, &error);
  g_assert_no_error (error);
  accounts = push_store_list_accounts (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 2);

  /* sorted by name, case-insensitively */
  loaded = g_ptr_array_index (accounts, 0);
  g_assert_cmpstr (push_account_get_id (loaded), ==, push_account_get_id (b));
  g_assert_cmpstr (push_account_get_name (loaded), ==, "alpha");
  g_assert_cmpstr (push_account_get_munchkin_id (loaded), ==, "999-XYZ-000");
  g_assert_cmpstr (push_account_get_endpoint (loaded), ==, "https://999-XYZ-000.mktorest.com");
  g_assert_cmpstr (push_account_get_client_id (loaded), ==,
                   "01234567-89ab-cdef-0123-456789abcdef");
  g_assert_true (push_account_get_is_sandbox (loaded));
  g_assert_cmpuint (push_account_get_rate_calls (loaded), ==, 7);
  g_assert_cmpuint (push_account_get_rate_window (loaded), ==, 3);
  g_assert_cmpuint (push_account_get_max_concurrency (loaded), ==, 2);
  g_assert_cmpuint (push_account_get_daily_quota (loaded), ==, 1234);

  loaded = g_ptr_array_index (accounts, 1);
  g_assert_cmpstr (push_account_get_name (loaded), ==, "Zeta");
  g_assert_false (push_account_get_is_sandbox (loaded));
  g_assert_cmpuint (push_account_get_rate_calls (loaded), ==, PUSH_ACCOUNT_DEFAULT_RATE_CALLS);

  value = push_store_get_value (store, "last-account", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, push_account_get_id (b));
}

static void
test_update_delete (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PushStore) store = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(PushAccount) a = make_account ("Production", "123-ABC-456");
  g_autoptr(PushAccount) ghost = make_account ("Ghost", "123-ABC-456");

  store = push_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_true (push_store_insert_account (store, a, &error));

  push_account_set_name (a, "Production EU");
  push_account_set_daily_quota (a, 10);
  g_assert_true (push_store_update_account (store, a, &error));
  g_assert_no_error (error);
  accounts = push_store_list_accounts (store, &error);
  g_assert_cmpuint (accounts->len, ==, 1);
  g_assert_cmpstr (push_account_get_name (g_ptr_array_index (accounts, 0)), ==, "Production EU");
  g_assert_cmpuint (push_account_get_daily_quota (g_ptr_array_index (accounts, 0)), ==, 10);
  g_clear_pointer (&accounts, g_ptr_array_unref);

  g_assert_false (push_store_update_account (store, ghost, &error));
  g_assert_error (error, PUSH_STORE_ERROR, PUSH_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (push_store_delete_account (store, push_account_get_id (ghost), &error));
  g_assert_error (error, PUSH_STORE_ERROR, PUSH_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (push_store_delete_account (store, push_account_get_id (a), &error));
  g_assert_no_error (error);
  accounts = push_store_list_accounts (store, &error);
  g_assert_cmpuint (accounts->len, ==, 0);
}

static void
test_duplicate_name (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PushStore) store = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(PushAccount) a = make_account ("Production", "123-ABC-456");
  g_autoptr(PushAccount) b = make_account ("PRODUCTION", "999-XYZ-000");
  g_autoptr(PushAccount) c = make_account ("Staging", "999-XYZ-000");

  store = push_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_true (push_store_insert_account (store, a, &error));

  g_assert_false (push_store_insert_account (store, b, &error));
  g_assert_error (error, PUSH_STORE_ERROR, PUSH_STORE_ERROR_CONSTRAINT);
  g_assert_cmpstr (error->message, ==, "There is already an account named “PRODUCTION”");
  g_clear_error (&error);

  /* the same account twice */
  g_assert_false (push_store_insert_account (store, a, &error));
  g_assert_error (error, PUSH_STORE_ERROR, PUSH_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);

  /* renaming onto a taken name */
  g_assert_true (push_store_insert_account (store, c, &error));
  push_account_set_name (c, "production");
  g_assert_false (push_store_update_account (store, c, &error));
  g_assert_error (error, PUSH_STORE_ERROR, PUSH_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);

  accounts = push_store_list_accounts (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 2);
  g_assert_cmpstr (push_account_get_name (g_ptr_array_index (accounts, 0)), ==, "Production");
  g_assert_cmpstr (push_account_get_name (g_ptr_array_index (accounts, 1)), ==, "Staging");
}

/* The schema as version 1 shipped it, written by hand so that the test does not depend on
 * the migration code it checks. */
static const char v1_schema[] =
  "CREATE TABLE accounts ("
  "  id          TEXT PRIMARY KEY NOT NULL,"
  "  name        TEXT NOT NULL COLLATE NOCASE UNIQUE,"
  "  munchkin_id TEXT NOT NULL,"
  "  endpoint    TEXT NOT NULL,"
  "  client_id   TEXT NOT NULL,"
  "  is_sandbox  INTEGER NOT NULL DEFAULT 0 CHECK (is_sandbox IN (0, 1)),"
  "  created     INTEGER NOT NULL DEFAULT (strftime('%s', 'now'))"
  ");"
  "INSERT INTO accounts (id, name, munchkin_id, endpoint, client_id, is_sandbox) VALUES"
  "  ('11111111-1111-4111-8111-111111111111', 'Old Production', '123-ABC-456',"
  "   'https://123-ABC-456.mktorest.com', 'client-one-id', 0),"
  "  ('22222222-2222-4222-8222-222222222222', 'Old Sandbox', '000-SBX-000',"
  "   'http://127.0.0.1:4321', 'client-two-id', 1);"
  "PRAGMA user_version = 1;";

static void
test_upgrade_v1 (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PushStore) store = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(PushAccount) added = make_account ("New", "555-NEW-555");
  g_autofree char *sub = g_path_get_dirname (fixture->path);
  g_autofree char *version = NULL;
  g_autofree char *mode = NULL;
  PushAccount *old;

  g_assert_cmpint (g_mkdir_with_parents (sub, 0700), ==, 0);
  raw_exec (fixture->path, v1_schema);
  version = raw_query_text (fixture->path, "PRAGMA user_version");
  g_assert_cmpstr (version, ==, "1");
  g_clear_pointer (&version, g_free);

  store = push_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (push_store_get_schema_version (store), ==, PUSH_STORE_SCHEMA_VERSION);

  accounts = push_store_list_accounts (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 2);
  old = g_ptr_array_index (accounts, 0);
  g_assert_cmpstr (push_account_get_id (old), ==, "11111111-1111-4111-8111-111111111111");
  g_assert_cmpstr (push_account_get_name (old), ==, "Old Production");
  g_assert_cmpstr (push_account_get_client_id (old), ==, "client-one-id");
  g_assert_false (push_account_get_is_sandbox (old));
  /* the v2 columns arrive with their defaults */
  g_assert_cmpuint (push_account_get_rate_calls (old), ==, PUSH_ACCOUNT_DEFAULT_RATE_CALLS);
  g_assert_cmpuint (push_account_get_rate_window (old), ==, PUSH_ACCOUNT_DEFAULT_RATE_WINDOW);
  g_assert_cmpuint (push_account_get_max_concurrency (old), ==,
                    PUSH_ACCOUNT_DEFAULT_MAX_CONCURRENCY);
  g_assert_cmpuint (push_account_get_daily_quota (old), ==, PUSH_ACCOUNT_DEFAULT_DAILY_QUOTA);
  old = g_ptr_array_index (accounts, 1);
  g_assert_cmpstr (push_account_get_name (old), ==, "Old Sandbox");
  g_assert_cmpstr (push_account_get_endpoint (old), ==, "http://127.0.0.1:4321");
  g_assert_true (push_account_get_is_sandbox (old));

  /* the v2 tables work */
  g_assert_cmpint (push_store_add_usage (store, push_account_get_id (old), "2024-01-02", 4,
                                         &error), ==, 4);
  g_assert_no_error (error);
  g_assert_true (push_store_set_value (store, "k", "v", &error));
  g_assert_true (push_store_insert_account (store, added, &error));
  g_assert_no_error (error);
  g_assert_finalize_object (g_steal_pointer (&store));

  version = raw_query_text (fixture->path, "PRAGMA user_version");
  g_assert_cmpint (atoi (version), ==, PUSH_STORE_SCHEMA_VERSION);
  mode = raw_query_text (fixture->path, "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "wal");

  /* and a reopen does not migrate again */
  store = push_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_clear_pointer (&accounts, g_ptr_array_unref);
  accounts = push_store_list_accounts (store, &error);
  g_assert_cmpuint (accounts->len, ==, 3);
}

static void
test_too_new (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PushStore) store = NULL;
  g_autofree char *sub = g_path_get_dirname (fixture->path);
  g_autofree char *expected = NULL;
  g_autofree char *version = NULL;
  g_autofree char *mode = NULL;

  g_assert_cmpint (g_mkdir_with_parents (sub, 0700), ==, 0);
  raw_exec (fixture->path, "CREATE TABLE future (x); PRAGMA user_version = 99;");

  store = push_store_open (fixture->path, &error);
  g_assert_null (store);
  g_assert_error (error, PUSH_STORE_ERROR, PUSH_STORE_ERROR_TOO_NEW);
  expected = g_strdup_printf ("The database “%s” was written by a newer version of Audience "
                              "Push (schema 99; this version knows up to %d). Update Audience "
                              "Push to open it.", fixture->path, PUSH_STORE_SCHEMA_VERSION);
  g_assert_cmpstr (error->message, ==, expected);

  /* left as it was */
  version = raw_query_text (fixture->path, "PRAGMA user_version");
  g_assert_cmpstr (version, ==, "99");
  mode = raw_query_text (fixture->path, "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "delete");
}

static void
test_corrupt (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PushStore) store = NULL;
  g_autofree char *sub = g_path_get_dirname (fixture->path);
  g_autofree char *contents = NULL;
  const char *text = "name,email\nAda,ada@example.com\nthis is certainly not SQLite\n";

  g_assert_cmpint (g_mkdir_with_parents (sub, 0700), ==, 0);
  g_assert_true (g_file_set_contents (fixture->path, text, -1, &error));

  store = push_store_open (fixture->path, &error);
  g_assert_null (store);
  g_assert_error (error, PUSH_STORE_ERROR, PUSH_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, fixture->path));
  g_assert_nonnull (strstr (error->message, "is not an Audience Push database"));
  g_clear_error (&error);

  /* not overwritten */
  g_assert_true (g_file_get_contents (fixture->path, &contents, NULL, &error));
  g_assert_cmpstr (contents, ==, text);
}

static void
test_usage (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PushStore) store = NULL;
  g_autoptr(PushAccount) a = make_account ("A", "123-ABC-456");
  g_autoptr(PushAccount) b = make_account ("B", "123-ABC-456");
  const char *id_a = push_account_get_id (a);
  const char *id_b = push_account_get_id (b);

  store = push_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_true (push_store_insert_account (store, a, &error));
  g_assert_true (push_store_insert_account (store, b, &error));

  g_assert_cmpint (push_store_get_usage (store, id_a, "2024-05-31", &error), ==, 0);
  g_assert_no_error (error);
  g_assert_cmpint (push_store_add_usage (store, id_a, "2024-05-31", 3, &error), ==, 3);
  g_assert_cmpint (push_store_add_usage (store, id_a, "2024-05-31", 250, &error), ==, 253);
  g_assert_cmpint (push_store_add_usage (store, id_a, "2024-06-01", 1, &error), ==, 1);
  g_assert_cmpint (push_store_add_usage (store, id_b, "2024-05-31", 9, &error), ==, 9);
  g_assert_no_error (error);
  g_assert_cmpint (push_store_get_usage (store, id_a, "2024-05-31", &error), ==, 253);
  g_assert_cmpint (push_store_get_usage (store, id_a, "2024-06-01", &error), ==, 1);
  g_assert_cmpint (push_store_get_usage (store, id_b, "2024-05-31", &error), ==, 9);

  /* survives a reopen */
  g_assert_finalize_object (g_steal_pointer (&store));
  store = push_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (push_store_get_usage (store, id_a, "2024-05-31", &error), ==, 253);

  /* counts belong to an account that exists */
  g_assert_cmpint (push_store_add_usage (store, "no-such-account", "2024-05-31", 1, &error),
                   ==, -1);
  g_assert_error (error, PUSH_STORE_ERROR, PUSH_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);

  g_assert_true (push_store_prune_usage (store, "2024-06-01", &error));
  g_assert_cmpint (push_store_get_usage (store, id_a, "2024-05-31", &error), ==, 0);
  g_assert_cmpint (push_store_get_usage (store, id_b, "2024-05-31", &error), ==, 0);
  g_assert_cmpint (push_store_get_usage (store, id_a, "2024-06-01", &error), ==, 1);

  /* and go with it */
  g_assert_true (push_store_delete_account (store, id_a, &error));
  g_assert_cmpint (push_store_get_usage (store, id_a, "2024-06-01", &error), ==, 0);
  g_assert_no_error (error);
}

static void
test_values (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PushStore) store = NULL;
  g_autofree char *missing = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *gone = NULL;

  store = push_store_open (fixture->path, &error);
  g_assert_no_error (error);

  missing = push_store_get_value (store, "nothing", &error);
  g_assert_no_error (error);
  g_assert_null (missing);

  g_assert_true (push_store_set_value (store, "key", "one", &error));
  first = push_store_get_value (store, "key", &error);
  g_assert_cmpstr (first, ==, "one");
  g_assert_true (push_store_set_value (store, "key", "two", &error));
  second = push_store_get_value (store, "key", &error);
  g_assert_cmpstr (second, ==, "two");
  g_assert_true (push_store_set_value (store, "key", NULL, &error));
  gone = push_store_get_value (store, "key", &error);
  g_assert_null (gone);
  g_assert_no_error (error);
}

static void
test_transactions (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PushStore) store = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(PushAccount) a = make_account ("A", "123-ABC-456");
  g_autoptr(PushAccount) b = make_account ("B", "123-ABC-456");
  g_autoptr(PushAccount) c = make_account ("C", "123-ABC-456");

  store = push_store_open (fixture->path, &error);
  g_assert_no_error (error);

  /* rolled back: nothing */
  g_assert_true (push_store_begin (store, &error));
  g_assert_true (push_store_insert_account (store, a, &error));
  push_store_rollback (store);
  accounts = push_store_list_accounts (store, &error);
  g_assert_cmpuint (accounts->len, ==, 0);
  g_clear_pointer (&accounts, g_ptr_array_unref);

  /* nested: the inner rollback undoes only the inner part */
  g_assert_true (push_store_begin (store, &error));
  g_assert_true (push_store_insert_account (store, a, &error));
  g_assert_true (push_store_begin (store, &error));
  g_assert_true (push_store_insert_account (store, b, &error));
  push_store_rollback (store);
  g_assert_true (push_store_insert_account (store, c, &error));
  g_assert_true (push_store_commit (store, &error));
  g_assert_no_error (error);

  accounts = push_store_list_accounts (store, &error);
  g_assert_cmpuint (accounts->len, ==, 2);
  g_assert_cmpstr (push_account_get_name (g_ptr_array_index (accounts, 0)), ==, "A");
  g_assert_cmpstr (push_account_get_name (g_ptr_array_index (accounts, 1)), ==, "C");
  g_clear_pointer (&accounts, g_ptr_array_unref);

  /* a failed write inside a transaction leaves the transaction usable */
  g_assert_true (push_store_begin (store, &error));
  g_assert_false (push_store_insert_account (store, a, &error));
  g_assert_error (error, PUSH_STORE_ERROR, PUSH_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_true (push_store_insert_account (store, b, &error));
  g_assert_true (push_store_commit (store, &error));
  accounts = push_store_list_accounts (store, &error);
  g_assert_cmpuint (accounts->len, ==, 3);
}

typedef struct {
  PushStore *store;
  gint       done;
} ThreadData;

static gpointer
write_value_thread (gpointer user_data)
{
  ThreadData *data = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (push_store_set_value (data->store, "from-thread", "yes", &error));
  g_assert_no_error (error);
  g_atomic_int_set (&data->done, 1);
  return NULL;
}

/* Another thread's write waits for the open transaction instead of joining it. */
static void
test_thread_isolation (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PushStore) store = NULL;
  g_autofree char *value = NULL;
  ThreadData thread_data = { 0 };
  GThread *thread;

  store = push_store_open (fixture->path, &error);
  g_assert_no_error (error);
  thread_data.store = store;

  g_assert_true (push_store_begin (store, &error));
  thread = g_thread_new ("writer", write_value_thread, &thread_data);
  g_usleep (100 * 1000);
  g_assert_cmpint (g_atomic_int_get (&thread_data.done), ==, 0);
  push_store_rollback (store);
  g_thread_join (thread);
  g_assert_cmpint (g_atomic_int_get (&thread_data.done), ==, 1);

  /* the thread's write was its own, not undone by this thread's rollback */
  value = push_store_get_value (store, "from-thread", &error);
  g_assert_cmpstr (value, ==, "yes");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/store/store/create", test_create);
  ADD ("/store/store/reopen", test_reopen);
  ADD ("/store/store/update-delete", test_update_delete);
  ADD ("/store/store/duplicate-name", test_duplicate_name);
  ADD ("/store/store/upgrade-v1", test_upgrade_v1);
  ADD ("/store/store/too-new", test_too_new);
  ADD ("/store/store/corrupt", test_corrupt);
  ADD ("/store/store/usage", test_usage);
  ADD ("/store/store/values", test_values);
  ADD ("/store/store/transactions", test_transactions);
  ADD ("/store/store/thread-isolation", test_thread_isolation);
#undef ADD
  g_test_add_func ("/store/store/default-location", test_default_location);

  return g_test_run ();
}
