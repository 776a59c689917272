/* test-instance-cache.c: the instance's schema, partitions, lists and folders, fetched and kept
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "marketo-client.h"
#include "marketo-sandbox.h"
#include "push-instance-cache.h"
#include "push-store.h"
#include "test-utils.h"

typedef struct {
  char              *dir;
  PushStore         *store;
  PushInstanceCache *cache;
  MarketoSandbox    *sandbox;
  MarketoClient     *client;
  char              *account_id;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(PushAccount) account = push_account_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *endpoint = NULL;

  fixture->dir = push_test_make_tmpdir ();
  path = g_build_filename (fixture->dir, "cache.db", NULL);
  fixture->store = push_store_open (path, &error);
  g_assert_no_error (error);
  fixture->cache = push_instance_cache_new (fixture->store);

  fixture->sandbox = marketo_sandbox_new ();
  g_object_set (fixture->sandbox, "lead-count", 200, NULL);
  g_assert_true (marketo_sandbox_start (fixture->sandbox, 0, &error));
  g_assert_no_error (error);
  endpoint = marketo_sandbox_dup_endpoint (fixture->sandbox);
  fixture->client = marketo_client_new (endpoint,
                                        marketo_sandbox_get_client_id (fixture->sandbox),
                                        marketo_sandbox_get_client_secret (fixture->sandbox),
                                        &error);
  g_assert_no_error (error);
  marketo_client_set_timeouts (fixture->client, 5000, 5000, 5000);
  marketo_client_set_retry_policy (fixture->client, 10, 20, 1);

  push_account_set_name (account, "Cache");
  push_account_set_munchkin_id (account, "123-ABC-456");
  push_account_set_endpoint (account, endpoint);
  push_account_set_client_id (account, marketo_sandbox_get_client_id (fixture->sandbox));
  g_assert_true (push_store_insert_account (fixture->store, account, &error));
  fixture->account_id = g_strdup (push_account_get_id (account));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_clear_object (&fixture->client);
  marketo_sandbox_stop (fixture->sandbox);
  g_clear_object (&fixture->sandbox);
  g_clear_object (&fixture->cache);
  g_clear_object (&fixture->store);
  push_test_rm_rf (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->account_id);
}

static gboolean
has_partition (GPtrArray  *partitions,
               const char *name)
{
  for (guint i = 0; i < partitions->len; i++)
    if (g_strcmp0 (((MarketoPartition *) g_ptr_array_index (partitions, i))->name, name) == 0)
      return TRUE;
  return FALSE;
}

/* What a run or a preview takes instead of calling: both parts, and only when fetched. */
static void
test_fresh (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MarketoLeadSchema) schema = NULL;
  g_autoptr(GPtrArray) partitions = NULL;

  g_assert_false (push_instance_cache_get_fresh (fixture->cache, fixture->account_id,
                                                 &schema, &partitions));
  g_assert_null (schema);
  g_assert_null (partitions);

  g_assert_true (push_instance_cache_refresh_sync (fixture->cache, fixture->account_id,
                                                   fixture->client, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (push_instance_cache_get_fresh (fixture->cache, fixture->account_id,
                                                &schema, &partitions));
  g_assert_true (marketo_lead_schema_is_searchable (schema, "email"));
  g_assert_true (has_partition (partitions, "EMEA"));
  g_assert_false (push_instance_cache_get_fresh (fixture->cache, "another-account",
                                                 &schema, &partitions));
}

static void
test_empty (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MarketoLeadSchema) schema = NULL;
  g_autoptr(GPtrArray) lists = NULL;
  g_autoptr(GPtrArray) folders = NULL;

  schema = push_instance_cache_get_schema (fixture->cache, fixture->account_id, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (schema);
  folders = push_instance_cache_get_folders (fixture->cache, fixture->account_id, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (folders);
  lists = push_instance_cache_get_lists (fixture->cache, fixture->account_id, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (lists);
}

static void
test_refresh_then_offline (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MarketoLeadSchema) schema = NULL;
  g_autoptr(GPtrArray) partitions = NULL;
  g_autoptr(GPtrArray) lists = NULL;
  g_autoptr(GPtrArray) folders = NULL;
  g_autoptr(GPtrArray) audiences = NULL;
  g_autoptr(GDateTime) fetched = NULL;
  g_autoptr(GDateTime) folders_fetched = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  MarketoField *email;
  MarketoFolder *folder;

  g_assert_true (push_instance_cache_refresh_sync (fixture->cache, fixture->account_id,
                                                   fixture->client, NULL, &error));
  g_assert_no_error (error);

  /* Stop the instance: what follows is read from the database only. */
  marketo_sandbox_stop (fixture->sandbox);

  schema = push_instance_cache_get_schema (fixture->cache, fixture->account_id, &fetched,
                                           &error);
  g_assert_no_error (error);
  g_assert_nonnull (schema);
  g_assert_nonnull (fetched);
  g_assert_cmpint (g_date_time_difference (now, fetched), <, 60 * G_TIME_SPAN_SECOND);
  g_assert_cmpuint (schema->fields->len, >, 10);
  g_assert_true (marketo_lead_schema_is_searchable (schema, "email"));
  g_assert_true (marketo_lead_schema_is_searchable (schema, "customerNumber"));
  g_assert_false (marketo_lead_schema_is_searchable (schema, "firstName"));
  email = marketo_lead_schema_lookup_field (schema, "email");
  g_assert_nonnull (email);
  g_assert_cmpstr (email->data_type, ==, "email");
  g_assert_false (email->read_only);
  g_assert_true (marketo_lead_schema_lookup_field (schema, "id")->read_only);

  partitions = push_instance_cache_get_partitions (fixture->cache, fixture->account_id, NULL,
                                                   &error);
  g_assert_no_error (error);
  g_assert_true (has_partition (partitions, "Default"));
  g_assert_true (has_partition (partitions, "EMEA"));

  lists = push_instance_cache_get_lists (fixture->cache, fixture->account_id, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lists->len, >, 0);
  g_assert_cmpint (((MarketoList *) g_ptr_array_index (lists, 0))->id, >, 0);

  /* every folder and program of every workspace, as Marketo described them */
  folders = push_instance_cache_get_folders (fixture->cache, fixture->account_id,
                                             &folders_fetched, &error);
  g_assert_no_error (error);
  g_assert_nonnull (folders);
  g_assert_true (g_date_time_equal (fetched, folders_fetched));
  g_assert_cmpuint (folders->len, ==, 6);
  folder = marketo_folders_find_by_id (folders, 13, "Folder");
  g_assert_nonnull (folder);
  g_assert_true (folder->is_archive);
  g_assert_cmpstr (folder->path, ==, "/Marketing Activities/Default/Archive");
  folder = marketo_folders_find_by_id (folders, 1001, "Program");
  g_assert_nonnull (folder);
  g_assert_cmpstr (folder->name, ==, "2026 Spring Campaign");
  g_assert_false (folder->is_archive);
  g_assert_cmpint (folder->parent_id, ==, 12);
  g_assert_cmpstr (folder->parent_type, ==, "Folder");
  g_assert_cmpstr (folder->workspace, ==, "Default");
  audiences = marketo_folders_find_by_name (folders, "Audiences");
  g_assert_cmpuint (audiences->len, ==, 2);
  g_assert_cmpstr (((MarketoFolder *) audiences->pdata[1])->workspace, ==, "EMEA");
}

/* A refresh that fails half way replaces nothing. */
static void
test_failed_refresh_keeps_cache (Fixture       *fixture,
                                 gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) partitions = NULL;
  g_autoptr(GDateTime) before = NULL;
  g_autoptr(GDateTime) after = NULL;
  g_autoptr(MarketoLeadSchema) schema = NULL;

  g_assert_true (push_instance_cache_refresh_sync (fixture->cache, fixture->account_id,
                                                   fixture->client, NULL, &error));
  schema = push_instance_cache_get_schema (fixture->cache, fixture->account_id, &before, &error);
  g_assert_nonnull (schema);

  /* The partitions call fails with a permission error: no retry, no change. */
  marketo_sandbox_add_fault (fixture->sandbox, MARKETO_SANDBOX_FAULT_CODE, 603, 1,
                             "/rest/v1/leads/partitions.json");
  g_assert_false (push_instance_cache_refresh_sync (fixture->cache, fixture->account_id,
                                                    fixture->client, NULL, &error));
  g_assert_error (error, MARKETO_ERROR, MARKETO_ERROR_ACCESS_DENIED);
  g_assert_nonnull (strstr (error->message, "partitions"));
  g_clear_error (&error);

  g_clear_pointer (&schema, marketo_lead_schema_free);
  schema = push_instance_cache_get_schema (fixture->cache, fixture->account_id, &after, &error);
  g_assert_no_error (error);
  g_assert_true (g_date_time_equal (before, after));
  partitions = push_instance_cache_get_partitions (fixture->cache, fixture->account_id, NULL,
                                                   &error);
  g_assert_true (has_partition (partitions, "APAC"));
}

/* The folders are fetched last: when they fail, the rest is not replaced either. */
static void
test_failed_folders_keep_cache (Fixture       *fixture,
                                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) folders = NULL;
  g_autoptr(GPtrArray) lists = NULL;
  g_autoptr(GDateTime) before = NULL;
  g_autoptr(GDateTime) after = NULL;
  g_autoptr(GDateTime) lists_after = NULL;
  g_autoptr(MarketoSandboxRequest) last = NULL;
  g_autoptr(GPtrArray) log = NULL;

  g_assert_true (push_instance_cache_refresh_sync (fixture->cache, fixture->account_id,
                                                   fixture->client, NULL, &error));
  g_assert_no_error (error);
  folders = push_instance_cache_get_folders (fixture->cache, fixture->account_id, &before,
                                             &error);
  g_assert_cmpuint (folders->len, ==, 6);
  g_clear_pointer (&folders, g_ptr_array_unref);

  /* a second later, so a replaced row would show a new fetch time */
  g_usleep (1100 * G_TIME_SPAN_MILLISECOND);
  marketo_sandbox_add_fault (fixture->sandbox, MARKETO_SANDBOX_FAULT_CODE, 603, 1,
                             "/rest/asset/v1/folders.json");
  g_assert_false (push_instance_cache_refresh_sync (fixture->cache, fixture->account_id,
                                                    fixture->client, NULL, &error));
  g_assert_error (error, MARKETO_ERROR, MARKETO_ERROR_ACCESS_DENIED);
  g_assert_nonnull (strstr (error->message, "folders"));
  g_clear_error (&error);
  log = marketo_sandbox_dup_request_log (fixture->sandbox);
  last = marketo_sandbox_request_copy (g_ptr_array_index (log, log->len - 1));
  g_assert_cmpstr (last->path, ==, "/rest/asset/v1/folders.json");

  folders = push_instance_cache_get_folders (fixture->cache, fixture->account_id, &after,
                                             &error);
  g_assert_no_error (error);
  g_assert_cmpuint (folders->len, ==, 6);
  g_assert_true (g_date_time_equal (before, after));
  lists = push_instance_cache_get_lists (fixture->cache, fixture->account_id, &lists_after,
                                         &error);
  g_assert_no_error (error);
  g_assert_true (g_date_time_equal (before, lists_after));
}

int
main (int   argc,
      char *argv[])
{
  push_test_init (&argc, &argv);

  g_test_add ("/store/instance-cache/empty", Fixture, NULL,
              fixture_set_up, test_empty, fixture_tear_down);
  g_test_add ("/store/instance-cache/fresh", Fixture, NULL,
              fixture_set_up, test_fresh, fixture_tear_down);
  g_test_add ("/store/instance-cache/refresh-then-offline", Fixture, NULL,
              fixture_set_up, test_refresh_then_offline, fixture_tear_down);
  g_test_add ("/store/instance-cache/failed-refresh-keeps-cache", Fixture, NULL,
              fixture_set_up, test_failed_refresh_keeps_cache, fixture_tear_down);
  g_test_add ("/store/instance-cache/failed-folders-keep-cache", Fixture, NULL,
              fixture_set_up, test_failed_folders_keep_cache, fixture_tear_down);

  return g_test_run ();
}
