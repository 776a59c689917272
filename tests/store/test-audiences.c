/* test-audiences.c: the list of audience files, kept in the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "push-audiences.h"
#include "push-store.h"
#include "test-utils.h"

typedef struct {
  char          *dir;
  char          *path;
  PushStore     *store;
  PushAudiences *audiences;
  guint          changes;
} Fixture;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  Fixture *fixture = user_data;

  fixture->changes++;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = push_test_make_tmpdir ();
  fixture->path = g_build_filename (fixture->dir, "audiences.db", NULL);
  fixture->store = push_store_open (fixture->path, &error);
  g_assert_no_error (error);

  fixture->audiences = push_audiences_new (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->audiences)), ==, 0);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (fixture->audiences)) ==
                 PUSH_TYPE_AUDIENCE_ENTRY);
  g_signal_connect (fixture->audiences, "items-changed", G_CALLBACK (items_changed_cb), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_assert_finalize_object (fixture->audiences);
  g_clear_object (&fixture->store);
  push_test_rm_rf (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static char *
file_path (Fixture    *fixture,
           const char *basename)
{
  return g_build_filename (fixture->dir, basename, NULL);
}

static PushAudiences *
reload (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  PushAudiences *audiences = push_audiences_new (fixture->store, &error);

  g_assert_no_error (error);
  return audiences;
}

static void
test_add_reload (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autofree char *zulu = file_path (fixture, "zulu.csv");
  g_autofree char *alpha = file_path (fixture, "alpha.jsonl");
  g_autofree char *tsv = file_path (fixture, "export.tsv");
  g_autoptr(PushAudiences) reloaded = NULL;
  g_autoptr(PushAudienceEntry) first = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  PushAudienceEntry *entry;
  gint64 before = g_get_real_time () / G_USEC_PER_SEC;

  entry = push_audiences_add (fixture->audiences, zulu, NULL, PUSH_AUDIENCE_FORMAT_AUTO, 0,
                              &error);
  g_assert_no_error (error);
  g_assert_nonnull (entry);
  /* The name defaults to the file's. */
  g_assert_cmpstr (push_audience_entry_get_name (entry), ==, "zulu.csv");
  g_assert_cmpstr (push_audience_entry_get_path (entry), ==, zulu);
  g_assert_true (g_uuid_string_is_valid (push_audience_entry_get_id (entry)));
  g_assert_cmpint (push_audience_entry_get_row_count (entry), ==, -1);
  g_assert_null (push_audience_entry_get_fingerprint (entry));
  g_assert_cmpint (g_date_time_to_unix (push_audience_entry_get_added (entry)), >=, before);
  file = push_audience_entry_dup_file (entry);
  g_assert_cmpstr (g_file_peek_path (file), ==, zulu);

  g_assert_nonnull (push_audiences_add (fixture->audiences, alpha, "  Spring VIPs  ",
                                        PUSH_AUDIENCE_FORMAT_JSONL, 0, &error));
  g_assert_nonnull (push_audiences_add (fixture->audiences, tsv, "export",
                                        PUSH_AUDIENCE_FORMAT_CSV, '\t', &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->changes, ==, 3);

  /* Sorted by name, whatever the case; read back the same from another list. */
  reloaded = reload (fixture);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reloaded)), ==, 3);
  first = g_list_model_get_item (G_LIST_MODEL (reloaded), 0);
  g_assert_cmpstr (push_audience_entry_get_name (first), ==, "export");
  g_assert_cmpint (push_audience_entry_get_format (first), ==, PUSH_AUDIENCE_FORMAT_CSV);
  g_assert_cmpint (push_audience_entry_get_delimiter (first), ==, '\t');

  entry = push_audiences_find_by_path (reloaded, alpha);
  g_assert_nonnull (entry);
  g_assert_cmpstr (push_audience_entry_get_name (entry), ==, "Spring VIPs");
  g_assert_cmpint (push_audience_entry_get_format (entry), ==, PUSH_AUDIENCE_FORMAT_JSONL);
  g_assert_cmpint (push_audience_entry_get_delimiter (entry), ==, 0);
  g_assert_true (push_audiences_find_by_id (reloaded, push_audience_entry_get_id (entry)) == entry);

  entry = push_audiences_find_by_path (reloaded, zulu);
  g_assert_cmpint (push_audience_entry_get_format (entry), ==, PUSH_AUDIENCE_FORMAT_AUTO);
  g_assert_null (push_audiences_find_by_path (reloaded, "/nowhere/else.csv"));
  g_assert_null (push_audiences_find_by_id (reloaded, "no-such-id"));
}

static void
test_refusals (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autofree char *path = file_path (fixture, "people.csv");
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (push_audiences_add (fixture->audiences, path, NULL,
                                        PUSH_AUDIENCE_FORMAT_AUTO, 0, &error));
  g_assert_no_error (error);

  /* The same file twice. */
  g_assert_null (push_audiences_add (fixture->audiences, path, "Again",
                                     PUSH_AUDIENCE_FORMAT_CSV, ',', &error));
  g_assert_error (error, PUSH_STORE_ERROR, PUSH_STORE_ERROR_CONSTRAINT);
  g_assert_cmpstr (error->message, ==, "This file is already in the list of audiences");
  g_clear_error (&error);

  g_assert_null (push_audiences_add (fixture->audiences, "relative/people.csv", NULL,
                                     PUSH_AUDIENCE_FORMAT_AUTO, 0, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_assert_null (push_audiences_add (fixture->audiences, "/tmp/other.csv", NULL,
                                     PUSH_AUDIENCE_FORMAT_CSV, ':', &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_assert_cmpuint (fixture->changes, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->audiences)), ==, 1);
}

typedef struct {
  guint row_count;
  guint fingerprint;
  guint format;
  guint delimiter;
} Notifications;

static void
notify_cb (GObject       *object,
           GParamSpec    *pspec,
           Notifications *seen)
{
  if (g_str_equal (pspec->name, "row-count"))
    seen->row_count++;
  else if (g_str_equal (pspec->name, "fingerprint"))
    seen->fingerprint++;
  else if (g_str_equal (pspec->name, "format"))
    seen->format++;
  else if (g_str_equal (pspec->name, "delimiter"))
    seen->delimiter++;
}

static void
test_update (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autofree char *path = file_path (fixture, "people.csv");
  const char *fingerprint = "v1:1234:1700000000000000:"
                            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
  g_autoptr(PushAudiences) reloaded = NULL;
  g_autoptr(GError) error = NULL;
  Notifications seen = { 0, };
  PushAudienceEntry *entry;
  const char *id;

  entry = push_audiences_add (fixture->audiences, path, NULL, PUSH_AUDIENCE_FORMAT_AUTO, 0,
                              &error);
  g_assert_no_error (error);
  id = push_audience_entry_get_id (entry);
  g_signal_connect (entry, "notify", G_CALLBACK (notify_cb), &seen);

  g_assert_true (push_audiences_update_scan (fixture->audiences, id, 100000, fingerprint,
                                             &error));
  g_assert_no_error (error);
  g_assert_cmpint (push_audience_entry_get_row_count (entry), ==, 100000);
  g_assert_cmpstr (push_audience_entry_get_fingerprint (entry), ==, fingerprint);
  g_assert_cmpuint (seen.row_count, ==, 1);
  g_assert_cmpuint (seen.fingerprint, ==, 1);

  /* The same values again: no notification. */
  g_assert_true (push_audiences_update_scan (fixture->audiences, id, 100000, fingerprint,
                                             &error));
  g_assert_cmpuint (seen.row_count, ==, 1);
  g_assert_cmpuint (seen.fingerprint, ==, 1);

  /* Reading it another way makes the count unknown again; the fingerprint stays. */
  g_assert_true (push_audiences_set_format (fixture->audiences, id, PUSH_AUDIENCE_FORMAT_CSV,
                                            ';', &error));
  g_assert_no_error (error);
  g_assert_cmpint (push_audience_entry_get_format (entry), ==, PUSH_AUDIENCE_FORMAT_CSV);
  g_assert_cmpint (push_audience_entry_get_delimiter (entry), ==, ';');
  g_assert_cmpint (push_audience_entry_get_row_count (entry), ==, -1);
  g_assert_cmpuint (seen.format, ==, 1);
  g_assert_cmpuint (seen.delimiter, ==, 1);
  g_assert_cmpuint (seen.row_count, ==, 2);

  g_assert_true (push_audiences_update_scan (fixture->audiences, id, 99999, NULL, &error));
  g_assert_no_error (error);

  reloaded = reload (fixture);
  entry = push_audiences_find_by_id (reloaded, id);
  g_assert_nonnull (entry);
  g_assert_cmpint (push_audience_entry_get_row_count (entry), ==, 99999);
  g_assert_null (push_audience_entry_get_fingerprint (entry));
  g_assert_cmpint (push_audience_entry_get_delimiter (entry), ==, ';');

  g_assert_false (push_audiences_update_scan (fixture->audiences, "no-such-id", 1, NULL,
                                              &error));
  g_assert_error (error, PUSH_STORE_ERROR, PUSH_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (push_audiences_set_format (fixture->audiences, id, PUSH_AUDIENCE_FORMAT_CSV,
                                             'x', &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

static void
test_remove (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autofree char *a = file_path (fixture, "a.csv");
  g_autofree char *b = file_path (fixture, "b.csv");
  g_autoptr(PushAudiences) reloaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  PushAudienceEntry *entry;

  push_audiences_add (fixture->audiences, a, NULL, PUSH_AUDIENCE_FORMAT_AUTO, 0, &error);
  entry = push_audiences_add (fixture->audiences, b, NULL, PUSH_AUDIENCE_FORMAT_AUTO, 0, &error);
  g_assert_no_error (error);
  id = g_strdup (push_audience_entry_get_id (entry));

  g_assert_true (push_audiences_remove (fixture->audiences, id, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->audiences)), ==, 1);
  g_assert_null (push_audiences_find_by_id (fixture->audiences, id));

  g_assert_false (push_audiences_remove (fixture->audiences, id, &error));
  g_assert_error (error, PUSH_STORE_ERROR, PUSH_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Gone from the database too, and its path can be added again. */
  reloaded = reload (fixture);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reloaded)), ==, 1);
  g_assert_null (push_audiences_find_by_path (reloaded, b));
  g_assert_nonnull (push_audiences_add (fixture->audiences, b, NULL, PUSH_AUDIENCE_FORMAT_AUTO,
                                        0, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->changes, ==, 4);
}

int
main (int   argc,
      char *argv[])
{
  push_test_init (&argc, &argv);

  g_test_add ("/store/audiences/add-reload", Fixture, NULL,
              fixture_set_up, test_add_reload, fixture_tear_down);
  g_test_add ("/store/audiences/refusals", Fixture, NULL,
              fixture_set_up, test_refusals, fixture_tear_down);
  g_test_add ("/store/audiences/update", Fixture, NULL,
              fixture_set_up, test_update, fixture_tear_down);
  g_test_add ("/store/audiences/remove", Fixture, NULL,
              fixture_set_up, test_remove, fixture_tear_down);

  return g_test_run ();
}
