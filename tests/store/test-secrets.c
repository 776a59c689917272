/* test-secrets.c: push-secrets against a real gnome-keyring, and against a bus without one
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "push-secrets.h"
#include "test-utils.h"

/* Every keyring item with our schema and @account_id. */
static GList *
search_items (const char *account_id)
{
  g_autoptr(GError) error = NULL;
  GList *items;

  items = secret_password_search_sync (PUSH_SECRET_SCHEMA, SECRET_SEARCH_ALL, NULL, &error,
                                       "account-id", account_id,
                                       NULL);
  g_assert_no_error (error);
  return items;
}

static void
test_schema (void)
{
  const SecretSchema *schema = push_secrets_get_schema ();

  g_assert_cmpstr (schema->name, ==, "io.github.audiencepush.AudiencePush");
  g_assert_cmpstr (schema->name, ==, BASE_APPLICATION_ID);
  g_assert_cmpint (schema->flags, ==, SECRET_SCHEMA_NONE);
  g_assert_cmpstr (schema->attributes[0].name, ==, "account-id");
  g_assert_cmpint (schema->attributes[0].type, ==, SECRET_SCHEMA_ATTRIBUTE_STRING);
  g_assert_null (schema->attributes[1].name);
}

static void
test_store_lookup_replace_clear (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *other_id = g_uuid_string_random ();
  g_autolist(GObject) items = NULL;
  char *secret;

  if (!push_test_require_keyring ())
    return;

  /* nothing yet: NULL and no error */
  secret = push_secrets_lookup_sync (id, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (secret);

  g_assert_true (push_secrets_store_sync (id, "Production", "first-Secret-0123", NULL, &error));
  g_assert_no_error (error);
  secret = push_secrets_lookup_sync (id, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, "first-Secret-0123");
  push_secrets_free (secret);

  /* one item, with a label a person recognises */
  items = search_items (id);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  {
    g_autofree char *label = secret_retrievable_get_label (items->data);
    g_assert_cmpstr (label, ==, "Audience Push: Marketo client secret for Production");
  }
  g_clear_list (&items, g_object_unref);

  /* replace: still one item, the new value and the new label */
  g_assert_true (push_secrets_store_sync (id, "Production EU", "second-Secret-4567", NULL,
                                          &error));
  g_assert_no_error (error);
  secret = push_secrets_lookup_sync (id, NULL, &error);
  g_assert_cmpstr (secret, ==, "second-Secret-4567");
  push_secrets_free (secret);
  items = search_items (id);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  {
    g_autofree char *label = secret_retrievable_get_label (items->data);
    g_assert_cmpstr (label, ==, "Audience Push: Marketo client secret for Production EU");
  }
  g_clear_list (&items, g_object_unref);

  /* another account's item is separate */
  g_assert_true (push_secrets_store_sync (other_id, "Staging", "other-secret", NULL, &error));
  secret = push_secrets_lookup_sync (id, NULL, &error);
  g_assert_cmpstr (secret, ==, "second-Secret-4567");
  push_secrets_free (secret);

  /* clear: gone, the other one stays; clearing again is fine */
  g_assert_true (push_secrets_clear_sync (id, NULL, &error));
  g_assert_no_error (error);
  secret = push_secrets_lookup_sync (id, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (secret);
  g_assert_true (push_secrets_clear_sync (id, NULL, &error));
  g_assert_no_error (error);
  secret = push_secrets_lookup_sync (other_id, NULL, &error);
  g_assert_cmpstr (secret, ==, "other-secret");
  push_secrets_free (secret);
  g_assert_true (push_secrets_clear_sync (other_id, NULL, &error));
}

static void
test_cancelled (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *id = g_uuid_string_random ();

  if (!push_test_require_keyring ())
    return;

  g_cancellable_cancel (cancellable);
  g_assert_false (push_secrets_store_sync (id, "Cancelled", "never-stored", cancellable,
                                           &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  g_assert_null (push_secrets_lookup_sync (id, NULL, &error));
  g_assert_no_error (error);
}

/* Runs in a child process: a private bus with no Secret Service on it. */
static void
test_no_secret_service (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      GTestDBus *bus = g_test_dbus_new (G_TEST_DBUS_NONE);
      const char *id = "00000000-0000-4000-8000-000000000000";
      char *secret;

      g_test_dbus_up (bus);

      g_assert_false (push_secrets_store_sync (id, "Nowhere", "a-secret-value", NULL, &error));
      g_assert_error (error, PUSH_SECRET_ERROR, PUSH_SECRET_ERROR_UNAVAILABLE);
      g_test_message ("%s", error->message);
      g_assert_true (g_str_has_prefix (error->message, "No keyring is available: "));
      g_assert_null (strstr (error->message, "a-secret-value"));
      g_clear_error (&error);

      secret = push_secrets_lookup_sync (id, NULL, &error);
      g_assert_null (secret);
      g_assert_error (error, PUSH_SECRET_ERROR, PUSH_SECRET_ERROR_UNAVAILABLE);
      g_clear_error (&error);

      g_assert_false (push_secrets_clear_sync (id, NULL, &error));
      g_assert_error (error, PUSH_SECRET_ERROR, PUSH_SECRET_ERROR_UNAVAILABLE);

      /* libsecret keeps the connection: stop the bus, never unref it (toolchain.md §4) */
      g_test_dbus_stop (bus);
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

  g_test_add_func ("/store/secrets/schema", test_schema);
  g_test_add_func ("/store/secrets/store-lookup-replace-clear", test_store_lookup_replace_clear);
  g_test_add_func ("/store/secrets/cancelled", test_cancelled);
  g_test_add_func ("/store/secrets/no-secret-service", test_no_secret_service);

  return g_test_run ();
}
