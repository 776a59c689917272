/* test-connection-messages.c: what "Test connection" tells the user
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "push-connection-test.h"
#include "push-secrets.h"

static void
test_duration (void)
{
  const struct {
    gint64      seconds;
    const char *text;
  } cases[] = {
    { -5, "less than a minute" },
    { 0, "less than a minute" },
    { 59, "less than a minute" },
    { 60, "1 minute" },
    { 119, "1 minute" },
    { 3599, "59 minutes" },
    { 3600, "1 hour" },
    { 3600 + 5 * 60 + 30, "1 hour and 5 minutes" },
    { 2 * 3600, "2 hours" },
    { 26 * 3600 + 60, "26 hours and 1 minute" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = push_format_duration (cases[i].seconds);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_success (void)
{
  MarketoTokenInfo info = { .scope = (char *) "api@example.com", .token_type = (char *) "bearer",
                            .expires_in = 3599 };
  g_autofree char *with_scope = push_connection_describe_success (&info);
  g_autofree char *without_scope = NULL;

  g_assert_cmpstr (with_scope, ==, "Connected as api@example.com — token valid for 59 minutes");

  info.scope = NULL;
  info.expires_in = 30;
  without_scope = push_connection_describe_success (&info);
  g_assert_cmpstr (without_scope, ==, "Connected — token valid for less than a minute");
}

/* Each failure the client reports gets its own explanation, naming the endpoint where that
 * helps; none of them falls back to the bare client message. */
static void
test_failures (void)
{
  const char *endpoint = "https://123-ABC-456.mktorest.com";
  const struct {
    GQuark      domain;
    int         code;
    const char *starts_with;
    gboolean    names_endpoint;
  } cases[] = {
    { MARKETO_ERROR, MARKETO_ERROR_INVALID_CLIENT, "Wrong credentials:", FALSE },
    { MARKETO_ERROR, MARKETO_ERROR_UNREACHABLE, "Endpoint unreachable:", TRUE },
    { MARKETO_ERROR, MARKETO_ERROR_TLS, "Secure connection failed:", TRUE },
    { MARKETO_ERROR, MARKETO_ERROR_TIMEOUT, "Timed out:", TRUE },
    { MARKETO_ERROR, MARKETO_ERROR_NOT_MARKETO, "Not Marketo’s answer:", TRUE },
    { MARKETO_ERROR, MARKETO_ERROR_INVALID_ENDPOINT, "Invalid REST endpoint:", FALSE },
    { MARKETO_ERROR, MARKETO_ERROR_HTTP, "Unexpected answer from", TRUE },
    { PUSH_SECRET_ERROR, PUSH_SECRET_ERROR_LOCKED, "The client secret could not be read", FALSE },
  };
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = g_error_new_literal (cases[i].domain, cases[i].code,
                                                     "client message");
      g_autofree char *text = push_connection_describe_error (error, endpoint);

      g_test_message ("%s", text);
      g_assert_true (g_str_has_prefix (text, cases[i].starts_with));
      g_assert_cmpstr (text, !=, "client message");
      g_assert_true ((strstr (text, endpoint) != NULL) == cases[i].names_endpoint);
      g_assert_false (g_hash_table_contains (seen, text));
      g_hash_table_add (seen, g_steal_pointer (&text));
    }
}

static void
test_marketo_codes (void)
{
  g_autoptr(GError) quota = g_error_new_literal (MARKETO_ERROR, MARKETO_ERROR_DAILY_QUOTA, "607");
  g_autoptr(GError) other = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "Something odd");
  g_autofree char *quota_text = push_connection_describe_error (quota, NULL);
  g_autofree char *other_text = push_connection_describe_error (other, NULL);
  const char *description = marketo_error_code_describe (MARKETO_ERROR_DAILY_QUOTA);

  g_assert_nonnull (description);
  g_assert_nonnull (strstr (quota_text, description));
  g_assert_nonnull (strstr (quota_text, "607"));
  g_assert_cmpstr (other_text, ==, "Something odd");
}

int
main (int   argc,
      char *argv[])
{
  /* The messages are checked in English. */
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ui/connection-messages/duration", test_duration);
  g_test_add_func ("/ui/connection-messages/success", test_success);
  g_test_add_func ("/ui/connection-messages/failures", test_failures);
  g_test_add_func ("/ui/connection-messages/marketo-codes", test_marketo_codes);

  return g_test_run ();
}
