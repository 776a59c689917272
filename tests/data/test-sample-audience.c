/* test-sample-audience.c: the sandbox's sample audience (data/sample-audience.csv) shows what
 * it is meant to show against a sandbox seeded as the app seeds it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "marketo-sandbox.h"
#include "push-audience.h"
#include "test-utils.h"

static void
test_sample_against_sandbox (void)
{
  g_autoptr(MarketoSandbox) sandbox = marketo_sandbox_new ();   /* the app's defaults */
  g_autoptr(PushAudienceReader) reader = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  const PushAudienceRow *row;
  guint known = 0, several = 0, unknown = 0, empty = 0, repeated = 0;

  g_assert_nonnull (g_getenv ("AUDIENCE_PUSH_SOURCE_ROOT"));
  path = g_build_filename (g_getenv ("AUDIENCE_PUSH_SOURCE_ROOT"), "data", "sample-audience.csv",
                           NULL);
  reader = push_audience_reader_new_for_path (path, PUSH_AUDIENCE_FORMAT_AUTO, 0);
  g_assert_true (push_audience_reader_open (reader, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (push_audience_reader_get_delimiter (reader), ==, ',');

  while (push_audience_reader_next_row (reader, &row, NULL, &error))
    {
      g_autofree char *email = g_strndup (row->values[0].text, row->values[0].length);
      g_autoptr(GPtrArray) leads = NULL;

      g_assert_cmpint (row->problem, ==, PUSH_AUDIENCE_PROBLEM_NONE);
      if (*email == '\0')
        {
          empty++;
          continue;
        }
      if (!g_hash_table_add (seen, g_strdup (email)))
        repeated++;
      leads = marketo_sandbox_find_leads (sandbox, "email", email);
      if (leads->len == 0)
        unknown++;
      else if (leads->len == 1)
        known++;
      else
        several++;
    }
  g_assert_no_error (error);

  /* 240 customers the sandbox knows, one whose e-mail it holds twice (Sync Leads: 1007), 150
   * new people plus one repeated row and two more with values that do not fit, one without
   * an e-mail. */
  g_assert_cmpuint (push_audience_reader_get_row_count (reader), ==, 395);
  g_assert_cmpuint (known, ==, 240);
  g_assert_cmpuint (several, ==, 1);
  g_assert_cmpuint (repeated, ==, 1);
  g_assert_cmpuint (empty, ==, 1);
  g_assert_cmpuint (unknown, ==, 153);
}

int
main (int   argc,
      char *argv[])
{
  push_test_init (&argc, &argv);

  g_test_add_func ("/data/sample-audience/against-sandbox", test_sample_against_sandbox);

  return g_test_run ();
}
