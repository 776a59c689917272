/* fuzz-audience-reader.c: libFuzzer target for PushAudienceReader
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The first input byte picks the read chunk size (1–64 bytes, so that every structure ends up
 * straddling reads), the second the format and the delimiter; the rest is the file. Every
 * row must keep the reader's promises: n_values equals the number of columns, every value is
 * NUL-terminated valid UTF-8 of the stated length, row numbers count up by one and lines
 * never go back.
 *
 * Built with clang and -DPUSH_FUZZ_LIBFUZZER (see meson.build) it is a libFuzzer binary.
 * Otherwise a small GTest driver replays a few thousand generated inputs, as a test.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "push-audience.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
check_row (const PushAudienceRow *row,
           guint                  n_columns,
           guint64                expected_number,
           guint64                min_line)
{
  guint i;

  g_assert_cmpuint (row->number, ==, expected_number);
  g_assert_cmpuint (row->line, >=, min_line);
  g_assert_cmpuint (row->n_values, ==, n_columns);
  for (i = 0; i < row->n_values; i++)
    {
      const PushAudienceValue *value = &row->values[i];

      g_assert_nonnull (value->text);
      g_assert_cmpuint (strlen (value->text), ==, value->length);
      g_assert_true (g_utf8_validate (value->text, value->length, NULL));
      if (value->kind != PUSH_AUDIENCE_VALUE_TEXT)
        g_assert_cmpuint (value->length, ==, 0);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const char delimiters[] = { 0, ',', ';', '\t', '|' };
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(PushAudienceReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  const PushAudienceRow *row;
  PushAudienceFormat format;
  guint64 rows = 0, line = 1;
  guint n_columns;
  char delimiter;

  if (size < 2)
    return 0;

  format = data[1] % 3;
  delimiter = delimiters[(data[1] / 3) % G_N_ELEMENTS (delimiters)];
  stream = g_memory_input_stream_new_from_data (data + 2, size - 2, NULL);
  reader = push_audience_reader_new_for_stream (stream, format, delimiter);
  push_audience_reader_set_chunk_size (reader, 1 + data[0] % 64);
  push_audience_reader_set_max_row_size (reader, 4096);
  push_audience_reader_set_max_problems (reader, 50);

  if (!push_audience_reader_open (reader, NULL, &error))
    {
      g_assert_true (error->domain == PUSH_AUDIENCE_ERROR);
      return 0;
    }

  push_audience_reader_get_columns (reader, &n_columns);
  while (push_audience_reader_next_row (reader, &row, NULL, &error))
    {
      check_row (row, n_columns, ++rows, line);
      line = row->line;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (push_audience_reader_get_row_count (reader), ==, rows);
  g_assert_cmpuint (push_audience_reader_get_problems (reader)->len, <=, 50);
  g_assert_cmpuint (push_audience_reader_get_problem_count (reader), >=,
                    push_audience_reader_get_bad_row_count (reader));
  g_assert_nonnull (push_audience_reader_get_fingerprint (reader));
  g_assert_cmpuint (push_audience_reader_get_fingerprint (reader)->size, ==, size - 2);

  return 0;
}

#ifndef PUSH_FUZZ_LIBFUZZER

/* Inputs made of the characters that matter to the parsers. */
static void
test_replay (void)
{
  static const char * const pieces[] = {
    ",", ";", "\t", "|", "\"", "\"\"", "\n", "\r\n", "\r", " ", "a", "bc", "{", "}", "[", "]",
    ":", "\"k\":", "null", "1.5", "true", "é", "🎉", "\xff", "\xc3", "\xef\xbb\xbf", "\x01",
    "email", "{\"email\":\"x\",\"n\":[1]}\n",
  };
  guint i, k;

  for (i = 0; i < 4000; i++)
    {
      g_autoptr(GByteArray) input = g_byte_array_new ();
      guint n = g_test_rand_int_range (0, 80);
      guint8 head[2];

      head[0] = g_test_rand_int_range (0, 256);
      head[1] = g_test_rand_int_range (0, 256);
      g_byte_array_append (input, head, 2);
      for (k = 0; k < n; k++)
        {
          const char *piece = pieces[g_test_rand_int_range (0, G_N_ELEMENTS (pieces))];

          g_byte_array_append (input, (const guint8 *) piece, strlen (piece));
        }
      LLVMFuzzerTestOneInput (input->data, input->len);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/audience/fuzz/replay", test_replay);
  return g_test_run ();
}

#endif
