/* test-account.c: PushAccount fields, normalisation and the validation rules
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include "push-account.h"

/* NULL expected: the value passes. Otherwise the exact sentence. */
typedef struct {
  const char *value;
  const char *expected;
} Case;

#define MUNCHKIN_BAD \
  "Munchkin ID looks like 123-ABC-456: three digits, three letters, three digits"
#define ENDPOINT_NOT_URL \
  "The endpoint is not a web address; it looks like https://123-ABC-456.mktorest.com"
#define ENDPOINT_HTTP \
  "The endpoint must use https:// (plain http:// is only allowed for this computer)"
#define ENDPOINT_QUERY "The endpoint must not contain a “?” query or a “#” fragment"
#define CLIENT_ID_SHORT \
  "The client ID is too short; Marketo’s look like 01234567-89ab-cdef-0123-456789abcdef"

static void
check_cases (char *(*check) (const char *),
             const Case *cases,
             gsize       n_cases)
{
  for (gsize i = 0; i < n_cases; i++)
    {
      g_autofree char *got = check (cases[i].value);

      g_test_message ("value: %s", cases[i].value ? cases[i].value : "(null)");
      g_assert_cmpstr (got, ==, cases[i].expected);
    }
}

static void
test_munchkin_id (void)
{
  static const Case cases[] = {
    { "123-ABC-456", NULL },
    { "123-abc-456", NULL },
    { "  000-SBX-000\n", NULL },
    { "999-zZz-000", NULL },
    { NULL, "Enter the Munchkin ID, for example 123-ABC-456" },
    { "", "Enter the Munchkin ID, for example 123-ABC-456" },
    { "   ", "Enter the Munchkin ID, for example 123-ABC-456" },
    { "123ABC456", MUNCHKIN_BAD },
    { "12-ABC-456", MUNCHKIN_BAD },
    { "123-AB1-456", MUNCHKIN_BAD },
    { "123-ABC-45X", MUNCHKIN_BAD },
    { "123-ABC-4567", MUNCHKIN_BAD },
    { "123_ABC_456", MUNCHKIN_BAD },
    { "ABC-123-DEF", MUNCHKIN_BAD },
    { "123-ÀBC-456", MUNCHKIN_BAD },
    { "123 -ABC-456", MUNCHKIN_BAD },
  };
  g_autoptr(PushAccount) account = push_account_new ();

  check_cases (push_account_check_munchkin_id, cases, G_N_ELEMENTS (cases));

  push_account_set_munchkin_id (account, " 123-abc-456 ");
  g_assert_cmpstr (push_account_get_munchkin_id (account), ==, "123-ABC-456");
}

static void
test_endpoint_check (void)
{
  static const Case cases[] = {
    { "https://123-ABC-456.mktorest.com", NULL },
    { "https://123-ABC-456.mktorest.com/rest", NULL },
    { "https://123-ABC-456.mktorest.com/identity/", NULL },
    { "  https://123-abc-456.mktorest.com/  ", NULL },
    { "123-abc-456.mktorest.com/rest", NULL },
    { "https://proxy.example.com:8443/marketo", NULL },
    { "http://127.0.0.1:8080", NULL },
    { "http://127.10.20.30", NULL },
    { "http://localhost:9000/rest", NULL },
    { "http://LOCALHOST", NULL },
    { "http://[::1]:8080", NULL },
    { NULL, "Enter the REST endpoint, for example https://123-ABC-456.mktorest.com" },
    { " ", "Enter the REST endpoint, for example https://123-ABC-456.mktorest.com" },
    { "http://123-ABC-456.mktorest.com", ENDPOINT_HTTP },
    { "http://128.0.0.1", ENDPOINT_HTTP },
    { "http://192.168.1.10:8080", ENDPOINT_HTTP },
    { "http://[::2]", ENDPOINT_HTTP },
    { "http://localhost.example.com", ENDPOINT_HTTP },
    { "ftp://123-ABC-456.mktorest.com", "The endpoint must start with https://" },
    { "mailto:someone@example.com", "The endpoint must start with https://" },
    { "https://", ENDPOINT_NOT_URL },
    { "https://exa mple.com", ENDPOINT_NOT_URL },
    { "https://example.com:notaport", ENDPOINT_NOT_URL },
    { "https://example.com/rest?x=1", ENDPOINT_QUERY },
    { "https://example.com#top", ENDPOINT_QUERY },
    { "https://user:pw@example.com", "The endpoint must not contain a user name or password" },
  };

  check_cases (push_account_check_endpoint, cases, G_N_ELEMENTS (cases));
}

static void
test_endpoint_normalize (void)
{
  static const struct {
    const char *in;
    const char *out;
  } cases[] = {
    { "https://123-ABC-456.mktorest.com/rest", "https://123-ABC-456.mktorest.com" },
    { "https://123-ABC-456.mktorest.com/rest/", "https://123-ABC-456.mktorest.com" },
    { "https://123-ABC-456.mktorest.com/REST", "https://123-ABC-456.mktorest.com" },
    { "https://123-ABC-456.mktorest.com/identity", "https://123-ABC-456.mktorest.com" },
    { "https://123-ABC-456.mktorest.com///", "https://123-ABC-456.mktorest.com" },
    { " \thttps://123-ABC-456.mktorest.com/rest\n", "https://123-ABC-456.mktorest.com" },
    { "123-ABC-456.mktorest.com/rest", "https://123-ABC-456.mktorest.com" },
    { "http://127.0.0.1:4000/identity/", "http://127.0.0.1:4000" },
    { "https://proxy.example.com/api/rest", "https://proxy.example.com/api" },
    { "https://proxy.example.com/restful", "https://proxy.example.com/restful" },
    /* "/rest" inside the host part is not a path to strip */
    { "https://rest", "https://rest" },
    { "", "" },
  };
  g_autoptr(PushAccount) account = push_account_new ();
  g_autofree char *null_out = push_account_normalize_endpoint (NULL);

  g_assert_null (null_out);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = push_account_normalize_endpoint (cases[i].in);

      g_assert_cmpstr (got, ==, cases[i].out);
    }

  push_account_set_endpoint (account, "https://123-abc-456.mktorest.com/rest/");
  g_assert_cmpstr (push_account_get_endpoint (account), ==, "https://123-abc-456.mktorest.com");
}

static void
test_default_endpoint (void)
{
  g_autofree char *upper = push_account_default_endpoint ("123-ABC-456");
  g_autofree char *lower = push_account_default_endpoint (" 123-abc-456 ");
  g_autofree char *bad = push_account_default_endpoint ("123-456");
  g_autofree char *problem = NULL;

  g_assert_cmpstr (upper, ==, "https://123-ABC-456.mktorest.com");
  g_assert_cmpstr (lower, ==, "https://123-ABC-456.mktorest.com");
  g_assert_null (bad);

  problem = push_account_check_endpoint (upper);
  g_assert_null (problem);
}

static void
test_name (void)
{
  static const char * const taken[] = { "Production", "Sandbox", "Ümlaut Org", NULL };
  static const struct {
    const char *name;
    const char *expected;
  } cases[] = {
    { "Staging", NULL },
    { "  Staging  ", NULL },
    { "Production EU", NULL },
    { NULL, "Enter a name for the account" },
    { "", "Enter a name for the account" },
    { " \t ", "Enter a name for the account" },
    { "Production", "There is already an account named “Production”" },
    { " production ", "There is already an account named “production”" },
    { "SANDBOX", "There is already an account named “SANDBOX”" },
    { "ümlaut org", "There is already an account named “ümlaut org”" },
    { "Two\nlines", "The name must not contain control characters such as tabs or line breaks" },
    { "\xff\xfe", "The name is not valid text" },
  };
  g_autofree char *long_name = g_strnfill (101, 'x');
  g_autofree char *max_name = g_strnfill (100, 'x');
  g_autofree char *long_problem = push_account_check_name (long_name, taken);
  g_autofree char *max_problem = push_account_check_name (max_name, taken);
  g_autofree char *untaken = push_account_check_name ("Production", NULL);
  g_autoptr(PushAccount) account = push_account_new ();

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = push_account_check_name (cases[i].name, taken);

      g_assert_cmpstr (got, ==, cases[i].expected);
    }
  g_assert_cmpstr (long_problem, ==, "The name is too long: use at most 100 characters");
  g_assert_null (max_problem);
  g_assert_null (untaken);

  push_account_set_name (account, "  Spaced  ");
  g_assert_cmpstr (push_account_get_name (account), ==, "Spaced");
}

static void
test_client_id (void)
{
  static const Case cases[] = {
    { "01234567-89ab-cdef-0123-456789abcdef", NULL },
    { " 01234567-89ab-cdef-0123-456789abcdef\n", NULL },
    { "abcdefgh", NULL },
    { NULL, "Enter the client ID (Marketo: Admin › LaunchPoint › View Details)" },
    { "", "Enter the client ID (Marketo: Admin › LaunchPoint › View Details)" },
    { "0123 4567-89ab", "The client ID must not contain spaces" },
    { "0123\t4567-89ab", "The client ID must not contain spaces" },
    { "abc", CLIENT_ID_SHORT },
    { "0123456é-89ab", "The client ID contains characters a Marketo client ID never has" },
  };
  g_autofree char *long_id = g_strnfill (129, 'a');
  g_autofree char *long_problem = push_account_check_client_id (long_id);

  check_cases (push_account_check_client_id, cases, G_N_ELEMENTS (cases));
  g_assert_cmpstr (long_problem, ==,
                   "The client ID is too long; Marketo’s look like "
                   "01234567-89ab-cdef-0123-456789abcdef");
}

static void
test_client_secret (void)
{
  static const Case cases[] = {
    { "AbCdEf0123456789AbCdEf0123456789", NULL },
    { "x", NULL },
    { " trailing-newline-is-trimmed\n", NULL },
    { NULL, "Enter the client secret (Marketo: Admin › LaunchPoint › View Details)" },
    { "", "Enter the client secret (Marketo: Admin › LaunchPoint › View Details)" },
    { "abc def", "The client secret must not contain spaces" },
    { "abc\u00a0def", "The client secret must not contain spaces" },
  };

  check_cases (push_account_check_client_secret, cases, G_N_ELEMENTS (cases));
}

static void
test_limits (void)
{
  static const struct {
    char *(*check) (guint);
    guint good[3];
    guint bad[2];
    const char *message;
  } cases[] = {
    { push_account_check_rate_calls, { 1, 50, 100 }, { 0, 101 },
      "Calls per window must be between 1 and 100" },
    { push_account_check_rate_window, { 1, 20, 3600 }, { 0, 3601 },
      "The rate window must be between 1 and 3600 seconds" },
    { push_account_check_max_concurrency, { 1, 5, 10 }, { 0, 11 },
      "Calls at the same time must be between 1 and 10" },
    { push_account_check_daily_quota, { 1, 50000, 10000000 }, { 0, 10000001 },
      "The daily quota must be between 1 and 10000000 calls" },
  };
  g_autoptr(PushAccount) account = push_account_new ();

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      for (gsize j = 0; j < G_N_ELEMENTS (cases[i].good); j++)
        {
          g_autofree char *got = cases[i].check (cases[i].good[j]);
          g_assert_null (got);
        }
      for (gsize j = 0; j < G_N_ELEMENTS (cases[i].bad); j++)
        {
          g_autofree char *got = cases[i].check (cases[i].bad[j]);
          g_assert_cmpstr (got, ==, cases[i].message);
        }
    }

  g_assert_cmpuint (push_account_get_rate_calls (account), ==, 50);
  g_assert_cmpuint (push_account_get_rate_window (account), ==, 20);
  g_assert_cmpuint (push_account_get_max_concurrency (account), ==, 5);
  g_assert_cmpuint (push_account_get_daily_quota (account), ==, 50000);
}

static PushAccount *
make_valid_account (void)
{
  PushAccount *account = push_account_new ();

  push_account_set_name (account, "Production");
  push_account_set_munchkin_id (account, "123-abc-456");
  push_account_set_endpoint (account, "https://123-ABC-456.mktorest.com/rest");
  push_account_set_client_id (account, "01234567-89ab-cdef-0123-456789abcdef");
  return account;
}

static void
test_validate (void)
{
  static const char * const taken[] = { "production", NULL };
  g_autoptr(PushAccount) account = make_valid_account ();
  g_autoptr(GError) error = NULL;

  g_assert_true (push_account_validate (account, NULL, "secret", &error));
  g_assert_no_error (error);

  g_assert_false (push_account_validate (account, taken, "secret", &error));
  g_assert_error (error, PUSH_ACCOUNT_ERROR, PUSH_ACCOUNT_ERROR_NAME_TAKEN);
  g_assert_cmpstr (error->message, ==, "There is already an account named “Production”");
  g_clear_error (&error);

  g_assert_false (push_account_validate (account, NULL, "two words", &error));
  g_assert_error (error, PUSH_ACCOUNT_ERROR, PUSH_ACCOUNT_ERROR_INVALID_CLIENT_SECRET);
  g_clear_error (&error);
  /* NULL secret: not checked (an update that keeps the stored one) */
  g_assert_true (push_account_validate (account, NULL, NULL, &error));

  push_account_set_max_concurrency (account, 11);
  g_assert_false (push_account_validate (account, NULL, NULL, &error));
  g_assert_error (error, PUSH_ACCOUNT_ERROR, PUSH_ACCOUNT_ERROR_INVALID_LIMIT);
  g_assert_cmpstr (error->message, ==, "Calls at the same time must be between 1 and 10");
  g_clear_error (&error);
  push_account_set_max_concurrency (account, 10);

  push_account_set_endpoint (account, "http://123-ABC-456.mktorest.com");
  g_assert_false (push_account_validate (account, NULL, NULL, &error));
  g_assert_error (error, PUSH_ACCOUNT_ERROR, PUSH_ACCOUNT_ERROR_INVALID_ENDPOINT);
  g_assert_cmpstr (error->message, ==, ENDPOINT_HTTP);
  g_clear_error (&error);

  push_account_set_munchkin_id (account, "nope");
  g_assert_false (push_account_validate (account, NULL, NULL, &error));
  g_assert_error (error, PUSH_ACCOUNT_ERROR, PUSH_ACCOUNT_ERROR_INVALID_MUNCHKIN_ID);
  g_clear_error (&error);

  push_account_set_name (account, "");
  g_assert_false (push_account_validate (account, NULL, NULL, &error));
  g_assert_error (error, PUSH_ACCOUNT_ERROR, PUSH_ACCOUNT_ERROR_INVALID_NAME);
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
test_object (void)
{
  g_autoptr(PushAccount) account = make_valid_account ();
  g_autoptr(PushAccount) other = push_account_new ();
  g_autoptr(PushAccount) copy = NULL;
  g_autoptr(PushAccount) loaded = push_account_new_with_id ("fixed-id");
  g_autofree char *munchkin = NULL;
  guint notified = 0;

  g_assert_true (g_uuid_string_is_valid (push_account_get_id (account)));
  g_assert_cmpstr (push_account_get_id (account), !=, push_account_get_id (other));
  g_assert_cmpstr (push_account_get_id (loaded), ==, "fixed-id");

  push_account_set_is_sandbox (account, TRUE);
  push_account_set_daily_quota (account, 1234);
  copy = push_account_copy (account);
  g_assert_true (copy != account);
  g_assert_cmpstr (push_account_get_id (copy), ==, push_account_get_id (account));
  g_assert_cmpstr (push_account_get_name (copy), ==, "Production");
  g_assert_cmpstr (push_account_get_munchkin_id (copy), ==, "123-ABC-456");
  g_assert_cmpstr (push_account_get_endpoint (copy), ==, "https://123-ABC-456.mktorest.com");
  g_assert_cmpstr (push_account_get_client_id (copy), ==, "01234567-89ab-cdef-0123-456789abcdef");
  g_assert_true (push_account_get_is_sandbox (copy));
  g_assert_cmpuint (push_account_get_daily_quota (copy), ==, 1234);

  /* one notify per real change, none for the same value again */
  g_signal_connect (copy, "notify::munchkin-id", G_CALLBACK (count_notify_cb), &notified);
  push_account_set_munchkin_id (copy, "123-abc-456");
  g_assert_cmpuint (notified, ==, 0);
  g_object_set (copy, "munchkin-id", "999-xyz-000", NULL);
  g_assert_cmpuint (notified, ==, 1);
  g_object_get (copy, "munchkin-id", &munchkin, NULL);
  g_assert_cmpstr (munchkin, ==, "999-XYZ-000");
  g_assert_cmpstr (push_account_get_munchkin_id (account), ==, "123-ABC-456");

  g_assert_finalize_object (g_steal_pointer (&copy));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/model/account/munchkin-id", test_munchkin_id);
  g_test_add_func ("/model/account/endpoint-check", test_endpoint_check);
  g_test_add_func ("/model/account/endpoint-normalize", test_endpoint_normalize);
  g_test_add_func ("/model/account/default-endpoint", test_default_endpoint);
  g_test_add_func ("/model/account/name", test_name);
  g_test_add_func ("/model/account/client-id", test_client_id);
  g_test_add_func ("/model/account/client-secret", test_client_secret);
  g_test_add_func ("/model/account/limits", test_limits);
  g_test_add_func ("/model/account/validate", test_validate);
  g_test_add_func ("/model/account/object", test_object);

  return g_test_run ();
}
