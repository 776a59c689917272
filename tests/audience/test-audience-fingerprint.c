/* test-audience-fingerprint.c: fingerprints of audience files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "audience-test-common.h"
#include "test-utils.h"

static PushAudienceFingerprint *
fingerprint_by_reading (const char *path)
{
  g_autoptr(TestRead) read = audience_test_read (path, PUSH_AUDIENCE_FORMAT_CSV, 0, 0);
  PushAudienceFingerprint *fingerprint;

  g_assert_no_error (read->error);
  fingerprint = push_audience_reader_get_fingerprint (read->reader);
  g_assert_nonnull (fingerprint);
  return push_audience_fingerprint_copy (fingerprint);
}

/* utimensat() directly: GLib 2.74 drops the microseconds when it sets time::modified. */
static void
set_mtime (const char *path,
           gint64      mtime)
{
  struct timespec times[2];

  times[0].tv_sec = 0;
  times[0].tv_nsec = UTIME_OMIT;
  times[1].tv_sec = mtime / G_USEC_PER_SEC;
  times[1].tv_nsec = (mtime % G_USEC_PER_SEC) * 1000;
  g_assert_cmpint (utimensat (AT_FDCWD, path, times, 0), ==, 0);
}

static void
test_matches_full_hash (void)
{
  g_autoptr(GString) data = g_string_new ("email,name\n");
  g_autofree char *path = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(PushAudienceFingerprint) read = NULL;
  g_autoptr(PushAudienceFingerprint) computed = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  guint i;

  /* Over several read chunks. */
  for (i = 0; i < 150000; i++)
    g_string_append_printf (data, "p%u@example.com,Person %u\n", i, i);
  path = audience_test_write ("hash.csv", data->str, data->len);
  set_mtime (path, G_GINT64_CONSTANT (1700000000123456));

  read = fingerprint_by_reading (path);
  expected = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data->str,
                                          data->len);
  g_assert_cmpstr (read->hash, ==, expected);
  g_assert_cmpuint (read->size, ==, data->len);
  g_assert_cmpint (read->mtime, ==, G_GINT64_CONSTANT (1700000000123456));

  file = g_file_new_for_path (path);
  computed = push_audience_fingerprint_compute_for_file (file, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (push_audience_fingerprint_equal (read, computed));
  g_assert_cmpint (push_audience_fingerprint_compare (read, computed), ==,
                   PUSH_AUDIENCE_FINGERPRINT_IDENTICAL);
}

static void
test_one_byte_changed (void)
{
  g_autoptr(GString) data = g_string_new ("email,name\n");
  g_autofree char *path = NULL;
  g_autoptr(PushAudienceFingerprint) before = NULL;
  g_autoptr(PushAudienceFingerprint) after = NULL;
  g_autoptr(PushAudienceFingerprint) touched = NULL;
  const gint64 mtime = G_GINT64_CONSTANT (1600000000000001);
  guint i;

  for (i = 0; i < 50000; i++)
    g_string_append_printf (data, "p%u@example.com,Person %u\n", i, i);
  path = audience_test_write ("one-byte.csv", data->str, data->len);
  set_mtime (path, mtime);
  before = fingerprint_by_reading (path);

  /* One byte in the middle, same size, and the mtime put back. */
  data->str[data->len / 2] = data->str[data->len / 2] == 'x' ? 'y' : 'x';
  g_free (audience_test_write ("one-byte.csv", data->str, data->len));
  set_mtime (path, mtime);
  after = fingerprint_by_reading (path);

  g_assert_cmpuint (before->size, ==, after->size);
  g_assert_cmpint (before->mtime, ==, after->mtime);
  g_assert_cmpstr (before->hash, !=, after->hash);
  g_assert_cmpint (push_audience_fingerprint_compare (before, after), ==,
                   PUSH_AUDIENCE_FINGERPRINT_DIFFERENT);
  g_assert_false (push_audience_fingerprint_equal (before, after));

  /* Only touched: the same content. */
  set_mtime (path, mtime + 5 * G_USEC_PER_SEC);
  touched = fingerprint_by_reading (path);
  g_assert_cmpint (push_audience_fingerprint_compare (after, touched), ==,
                   PUSH_AUDIENCE_FINGERPRINT_SAME_CONTENT);
  g_assert_false (push_audience_fingerprint_equal (after, touched));
}

static void
test_string_round_trip (void)
{
  g_autoptr(PushAudienceFingerprint) fingerprint = NULL;
  g_autoptr(PushAudienceFingerprint) parsed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const char *hash = "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08";

  fingerprint = push_audience_fingerprint_new (G_GUINT64_CONSTANT (150000000000),
                                               G_GINT64_CONSTANT (-12), hash);
  g_assert_cmpstr (fingerprint->hash, ==,
                   "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
  text = push_audience_fingerprint_to_string (fingerprint);
  g_assert_cmpstr (text, ==, "v1:150000000000:-12:"
                   "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");

  parsed = push_audience_fingerprint_from_string (text, &error);
  g_assert_no_error (error);
  g_assert_true (push_audience_fingerprint_equal (fingerprint, parsed));
  g_assert_cmpuint (parsed->size, ==, G_GUINT64_CONSTANT (150000000000));
  g_assert_cmpint (parsed->mtime, ==, -12);
}

static void
test_string_rejects (void)
{
  static const char * const bad[] = {
    "",
    "v1",
    "v2:1:2:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "v1:-1:2:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "v1:1:x:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "v1:1:2:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0",
    "v1:1:2:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08f",
    "v1:1:2:zf86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "v1:1:2:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08:extra",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PushAudienceFingerprint) parsed = NULL;
      g_autofree char *message = g_strdup_printf ("“%s” is not a stored file fingerprint",
                                                  bad[i]);

      parsed = push_audience_fingerprint_from_string (bad[i], &error);
      g_assert_null (parsed);
      g_assert_error (error, PUSH_AUDIENCE_ERROR, PUSH_AUDIENCE_ERROR_INVALID_FINGERPRINT);
      g_assert_cmpstr (error->message, ==, message);
    }
}

static void
test_changed_while_reading (void)
{
  g_autoptr(GString) data = g_string_new ("a,b\n");
  g_autofree char *path = NULL;
  g_autoptr(PushAudienceReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GFile) file = NULL;
  const PushAudienceRow *row;
  guint i;

  for (i = 0; i < 1000; i++)
    g_string_append_printf (data, "%u,%u\n", i, i);
  path = audience_test_write ("growing.csv", data->str, data->len);
  set_mtime (path, G_GINT64_CONSTANT (1500000000000000));

  reader = push_audience_reader_new_for_path (path, PUSH_AUDIENCE_FORMAT_CSV, 0);
  push_audience_reader_set_chunk_size (reader, 1024);
  g_assert_true (push_audience_reader_open (reader, NULL, &error));
  g_assert_true (push_audience_reader_next_row (reader, &row, NULL, &error));

  /* Someone appends to the file while the pass is under way. */
  file = g_file_new_for_path (path);
  out = g_file_append_to (file, G_FILE_CREATE_NONE, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (G_OUTPUT_STREAM (out), "1000,1000\n", 10, NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (G_OUTPUT_STREAM (out), NULL, &error);
  g_assert_no_error (error);

  while (push_audience_reader_next_row (reader, &row, NULL, &error))
    ;
  g_assert_error (error, PUSH_AUDIENCE_ERROR, PUSH_AUDIENCE_ERROR_CHANGED);
  g_assert_cmpstr (error->message, ==, "The file changed while it was being read");
  g_assert_null (push_audience_reader_get_fingerprint (reader));
}

static void
test_compute_missing_file (void)
{
  g_autoptr(GFile) file = g_file_new_for_path ("/nonexistent/audience.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(PushAudienceFingerprint) fingerprint = NULL;

  fingerprint = push_audience_fingerprint_compute_for_file (file, NULL, &error);
  g_assert_null (fingerprint);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static void
test_boxed_type (void)
{
  g_autoptr(PushAudienceFingerprint) fingerprint = NULL;
  PushAudienceFingerprint *copy;
  GValue value = G_VALUE_INIT;

  fingerprint = push_audience_fingerprint_new (
    3, 4, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  g_value_init (&value, PUSH_TYPE_AUDIENCE_FINGERPRINT);
  g_value_set_boxed (&value, fingerprint);
  copy = g_value_get_boxed (&value);
  g_assert_true (copy != fingerprint);
  g_assert_true (push_audience_fingerprint_equal (copy, fingerprint));
  g_value_unset (&value);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = NULL;
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  dir = push_test_make_tmpdir ();
  audience_test_set_dir (dir);

  g_test_add_func ("/audience/fingerprint/matches-full-hash", test_matches_full_hash);
  g_test_add_func ("/audience/fingerprint/one-byte-changed", test_one_byte_changed);
  g_test_add_func ("/audience/fingerprint/string-round-trip", test_string_round_trip);
  g_test_add_func ("/audience/fingerprint/string-rejects", test_string_rejects);
  g_test_add_func ("/audience/fingerprint/changed-while-reading", test_changed_while_reading);
  g_test_add_func ("/audience/fingerprint/compute-missing-file", test_compute_missing_file);
  g_test_add_func ("/audience/fingerprint/boxed-type", test_boxed_type);

  ret = g_test_run ();
  push_test_rm_rf (dir);
  return ret;
}
