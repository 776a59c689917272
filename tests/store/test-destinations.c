/* test-destinations.c: saved destinations, kept as their versioned documents
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "push-destinations.h"
#include "push-store.h"
#include "test-utils.h"

typedef struct {
  char             *dir;
  char             *path;
  PushStore        *store;
  PushDestinations *destinations;
  char             *account_id;
  guint             changes;
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
  g_autoptr(PushAccount) account = push_account_new ();
  g_autoptr(GError) error = NULL;

  fixture->dir = push_test_make_tmpdir ();
  fixture->path = g_build_filename (fixture->dir, "destinations.db", NULL);
  fixture->store = push_store_open (fixture->path, &error);
  g_assert_no_error (error);

  push_account_set_name (account, "Prod");
  push_account_set_munchkin_id (account, "123-ABC-456");
  push_account_set_endpoint (account, "https://123-ABC-456.mktorest.com");
  push_account_set_client_id (account, "5f0c7d2e-1111-4222-8333-944455556666");
  g_assert_true (push_store_insert_account (fixture->store, account, &error));
  fixture->account_id = g_strdup (push_account_get_id (account));

  fixture->destinations = push_destinations_new (fixture->store, &error);
  g_assert_no_error (error);
  g_signal_connect (fixture->destinations, "items-changed", G_CALLBACK (items_changed_cb),
                    fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_clear_object (&fixture->destinations);
  g_clear_object (&fixture->store);
  push_test_rm_rf (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->account_id);
}

static PushDestination *
make_destination (Fixture    *fixture,
                  const char *name)
{
  PushDestination *destination = push_destination_new ();
  PushMapping *mapping = push_destination_get_mapping (destination);

  push_destination_set_name (destination, name);
  push_destination_set_account_id (destination, fixture->account_id);
  push_destination_set_sync_type (destination, PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE);
  push_destination_set_person_action (destination, PUSH_PERSON_ACTION_CREATE_OR_UPDATE);
  push_destination_set_partition (destination, "EMEA");
  push_destination_set_dedupe_field (destination, "email");
  push_destination_set_list_target_kind (destination, PUSH_LIST_TARGET_CREATE_PER_AUDIENCE);
  push_destination_set_list_name_template (destination, "AP {audience} {date}");
  push_mapping_set_identity_column (mapping, "E-mail");
  push_mapping_add_row (mapping, "First Name", "firstName");
  push_mapping_add_row (mapping, "Last Name", "lastName");
  return destination;
}

static void
test_add_reload (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(PushDestination) b = make_destination (fixture, "beta");
  g_autoptr(PushDestination) a = make_destination (fixture, "Alpha");
  g_autoptr(PushDestinations) reloaded = NULL;
  g_autoptr(PushDestination) first = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (push_destinations_add (fixture->destinations, b, &error));
  g_assert_true (push_destinations_add (fixture->destinations, a, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->changes, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->destinations)), ==, 2);

  /* A second list over the same file reads back equal destinations, sorted by name. */
  reloaded = push_destinations_new (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reloaded)), ==, 2);
  first = g_list_model_get_item (G_LIST_MODEL (reloaded), 0);
  g_assert_cmpstr (push_destination_get_name (first), ==, "Alpha");
  g_assert_true (push_destination_equal (first, a));
  g_assert_true (push_destination_equal (push_destinations_find_by_name (reloaded, "BETA"), b));
  g_assert_cmpuint (push_destinations_count_for_account (reloaded, fixture->account_id), ==, 2);
}

static void
test_names (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autoptr(PushDestination) a = make_destination (fixture, "Spring VIPs");
  g_autoptr(PushDestination) clash = make_destination (fixture, "spring vips");
  g_autoptr(PushDestination) blank = make_destination (fixture, "  ");
  g_autoptr(GError) error = NULL;
  g_autofree char *problem = NULL;

  g_assert_true (push_destinations_add (fixture->destinations, a, &error));
  g_assert_false (push_destinations_add (fixture->destinations, clash, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "A destination named “spring vips” already exists");
  g_clear_error (&error);

  g_assert_false (push_destinations_add (fixture->destinations, blank, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* Its own name is not a clash for itself. */
  problem = push_destinations_check_name (fixture->destinations, "SPRING VIPS",
                                          push_destination_get_id (a));
  g_assert_null (problem);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->destinations)), ==, 1);
}

static void
test_unknown_account (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(PushDestination) d = make_destination (fixture, "Orphan");
  g_autoptr(GError) error = NULL;

  push_destination_set_account_id (d, "no-such-account");
  g_assert_false (push_destinations_add (fixture->destinations, d, &error));
  g_assert_error (error, PUSH_STORE_ERROR, PUSH_STORE_ERROR_CONSTRAINT);
  g_assert_cmpstr (error->message, ==,
                   "The destination “Orphan” refers to an account that does not exist");
  g_assert_cmpuint (fixture->changes, ==, 0);
}

static void
test_update_remove (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(PushDestination) a = make_destination (fixture, "Alpha");
  g_autoptr(PushDestination) z = make_destination (fixture, "Zulu");
  g_autoptr(PushDestination) edited = NULL;
  g_autoptr(PushDestinations) reloaded = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (push_destinations_add (fixture->destinations, a, &error));
  g_assert_true (push_destinations_add (fixture->destinations, z, &error));

  /* The list holds its own copy: editing ours changes nothing until update. */
  edited = push_destination_copy (a);
  push_destination_set_name (edited, "Omega");
  push_destination_set_sync_type (edited, PUSH_SYNC_TYPE_PROFILE_ONLY);
  g_assert_cmpstr (push_destination_get_name (push_destinations_find_by_id (
                     fixture->destinations, push_destination_get_id (a))), ==, "Alpha");
  g_assert_true (push_destinations_update (fixture->destinations, edited, &error));
  g_assert_no_error (error);

  reloaded = push_destinations_new (fixture->store, &error);
  g_assert_true (push_destination_equal (push_destinations_find_by_name (reloaded, "Omega"),
                                         edited));
  g_assert_null (push_destinations_find_by_name (reloaded, "Alpha"));

  /* An account with destinations cannot be removed. */
  g_assert_false (push_store_delete_account (fixture->store, fixture->account_id, &error));
  g_assert_error (error, PUSH_STORE_ERROR, PUSH_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);

  g_assert_true (push_destinations_remove (fixture->destinations, push_destination_get_id (a),
                                           &error));
  g_assert_true (push_destinations_remove (fixture->destinations, push_destination_get_id (z),
                                           &error));
  g_assert_no_error (error);
  g_assert_false (push_destinations_remove (fixture->destinations, push_destination_get_id (z),
                                            &error));
  g_assert_error (error, PUSH_STORE_ERROR, PUSH_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (push_store_delete_account (fixture->store, fixture->account_id, &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  push_test_init (&argc, &argv);

  g_test_add ("/store/destinations/add-reload", Fixture, NULL,
              fixture_set_up, test_add_reload, fixture_tear_down);
  g_test_add ("/store/destinations/names", Fixture, NULL,
              fixture_set_up, test_names, fixture_tear_down);
  g_test_add ("/store/destinations/unknown-account", Fixture, NULL,
              fixture_set_up, test_unknown_account, fixture_tear_down);
  g_test_add ("/store/destinations/update-remove", Fixture, NULL,
              fixture_set_up, test_update_remove, fixture_tear_down);

  return g_test_run ();
}
