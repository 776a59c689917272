/* test-usage-store.c: the pacer's daily count kept in the SQLite store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "marketo-pacer.h"
#include "push-store.h"
#include "push-usage-store.h"
#include "test-utils.h"

typedef struct {
  char      *dir;
  char      *path;
  PushStore *store;
  char      *account_id;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(PushAccount) account = push_account_new ();
  g_autoptr(GError) error = NULL;

  fixture->dir = push_test_make_tmpdir ();
  fixture->path = g_build_filename (fixture->dir, "usage.db", NULL);
  fixture->store = push_store_open (fixture->path, &error);
  g_assert_no_error (error);

  push_account_set_name (account, "Usage");
  push_account_set_munchkin_id (account, "123-ABC-456");
  push_account_set_endpoint (account, "https://123-ABC-456.mktorest.com");
  push_account_set_client_id (account, "5f0c7d2e-1111-4222-8333-944455556666");
  push_store_insert_account (fixture->store, account, &error);
  g_assert_no_error (error);
  fixture->account_id = g_strdup (push_account_get_id (account));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_clear_object (&fixture->store);
  push_test_rm_rf (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->account_id);
}

static void
acquired_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Acquires a permit synchronously by spinning the default main context. */
static MarketoPacerPermit *
acquire (MarketoPacer  *pacer,
         GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  marketo_pacer_acquire_async (pacer, NULL, acquired_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return marketo_pacer_acquire_finish (pacer, result, error);
}

static void
test_interface_roundtrip (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(PushUsageStore) usage = push_usage_store_new (fixture->store, fixture->account_id);
  g_autoptr(GError) error = NULL;
  guint64 count = 99;

  g_assert_true (marketo_usage_store_load_count (MARKETO_USAGE_STORE (usage), "2026-11-22",
                                                 &count, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 0);

  g_assert_true (marketo_usage_store_add_calls (MARKETO_USAGE_STORE (usage), "2026-11-22", 7,
                                                &error));
  g_assert_true (marketo_usage_store_add_calls (MARKETO_USAGE_STORE (usage), "2026-11-22", 5,
                                                &error));
  g_assert_true (marketo_usage_store_add_calls (MARKETO_USAGE_STORE (usage), "2026-11-23", 1,
                                                &error));
  g_assert_no_error (error);

  g_assert_true (marketo_usage_store_load_count (MARKETO_USAGE_STORE (usage), "2026-11-22",
                                                 &count, &error));
  g_assert_cmpuint (count, ==, 12);
  g_assert_true (marketo_usage_store_load_count (MARKETO_USAGE_STORE (usage), "2026-11-23",
                                                 &count, &error));
  g_assert_cmpuint (count, ==, 1);
}

/* Two pacers on the same database (two runs on the same day) see the same count, and the
 * second one stops at the quota the first one used up. */
static void
test_pacers_share_the_day (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MarketoPacer) first = marketo_pacer_new ();
  g_autoptr(MarketoPacer) second = marketo_pacer_new ();
  g_autoptr(PushUsageStore) usage = push_usage_store_new (fixture->store, fixture->account_id);
  g_autoptr(PushStore) reopened = NULL;
  g_autoptr(PushUsageStore) usage2 = NULL;
  MarketoPacerPermit *permit;

  marketo_pacer_set_limits (first, 100, 0.1, 10);
  marketo_pacer_set_usage_store (first, MARKETO_USAGE_STORE (usage));
  for (guint i = 0; i < 6; i++)
    {
      permit = acquire (first, &error);
      g_assert_no_error (error);
      marketo_pacer_permit_sent (first, permit);
      /* The fifth is a 601 answer: Marketo does not count it. */
      marketo_pacer_release (first, permit, i != 4);
    }
  g_assert_cmpuint (marketo_pacer_get_daily_count (first), ==, 5);

  /* A second process opens the same file. */
  reopened = push_store_open (fixture->path, &error);
  g_assert_no_error (error);
  usage2 = push_usage_store_new (reopened, fixture->account_id);
  marketo_pacer_set_limits (second, 100, 0.1, 10);
  marketo_pacer_set_daily_quota (second, 6);
  marketo_pacer_set_usage_store (second, MARKETO_USAGE_STORE (usage2));
  g_assert_cmpuint (marketo_pacer_get_daily_count (second), ==, 5);

  permit = acquire (second, &error);
  g_assert_no_error (error);
  marketo_pacer_permit_sent (second, permit);
  marketo_pacer_release (second, permit, TRUE);

  permit = acquire (second, &error);
  g_assert_error (error, MARKETO_ERROR, MARKETO_ERROR_QUOTA_LOCAL);
  g_assert_null (permit);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/store/usage/interface-roundtrip", Fixture, NULL,
              fixture_set_up, test_interface_roundtrip, fixture_tear_down);
  g_test_add ("/store/usage/pacers-share-the-day", Fixture, NULL,
              fixture_set_up, test_pacers_share_the_day, fixture_tear_down);

  return g_test_run ();
}
