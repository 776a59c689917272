/* test-audience-reader.c: the streaming reader against a corpus of awkward files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every file is generated here into a temporary directory, and every case asserts the exact
 * rows, or the exact problem (row, column, kind, message), or the exact fatal error.
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "audience-test-common.h"
#include "push-audience-private.h"
#include "test-utils.h"

#define ROWS(...) ((const char * const[]) { __VA_ARGS__, NULL })

static TestRow *
row_at (TestRead *read,
        guint     index)
{
  g_assert_cmpuint (index, <, read->rows->len);
  return g_ptr_array_index (read->rows, index);
}

static void
test_csv_basic (void)
{
  g_autofree char *path = audience_test_write ("basic.csv",
                                               "email,first,last\n"
                                               "ada@example.com,Ada,Lovelace\n"
                                               "alan@example.com,Alan,Turing\n", -1);
  g_autoptr(TestRead) read = audience_test_read (path, PUSH_AUDIENCE_FORMAT_AUTO, 0, 0);

  g_assert_no_error (read->error);
  g_assert_cmpint (push_audience_reader_get_format (read->reader), ==, PUSH_AUDIENCE_FORMAT_CSV);
  g_assert_cmpint (push_audience_reader_get_delimiter (read->reader), ==, ',');
  g_assert_false (push_audience_reader_get_had_bom (read->reader));
  audience_test_assert_columns (read->reader, "email|first|last");
  audience_test_assert_rows (read, ROWS ("ada@example.com|Ada|Lovelace",
                                         "alan@example.com|Alan|Turing"));
  g_assert_cmpuint (row_at (read, 0)->line, ==, 2);
  g_assert_cmpint (row_at (read, 0)->offset, ==, 17);
  g_assert_cmpuint (row_at (read, 1)->line, ==, 3);
  g_assert_cmpint (row_at (read, 1)->offset, ==, 17 + 29);
  g_assert_cmpuint (row_at (read, 1)->n_fields, ==, 3);
  g_assert_cmpuint (push_audience_reader_get_problems (read->reader)->len, ==, 0);
  g_assert_cmpuint (push_audience_reader_get_problem_count (read->reader), ==, 0);
  g_assert_cmpuint (push_audience_reader_get_bad_row_count (read->reader), ==, 0);
  g_assert_cmpuint (push_audience_reader_get_position (read->reader), ==, 75);
  g_assert_cmpuint (push_audience_reader_get_size (read->reader), ==, 75);
}

static void
test_csv_quotes (void)
{
  g_autofree char *path = audience_test_write ("quotes.csv",
                                               "name,note,tail\n"
                                               "\"Smith, Jane\",\"she said \"\"hi\"\"\",x\n"
                                               "\"\",\"\"\"\"\"\",\"a\"\"\"\n"
                                               "plain \"inner\" quote,\"\",\n", -1);
  g_autoptr(TestRead) read = audience_test_read (path, PUSH_AUDIENCE_FORMAT_CSV, 0, 0);

  audience_test_assert_rows (read, ROWS ("Smith, Jane|she said \"hi\"|x",
                                         "|\"\"|a\"",
                                         "plain \"inner\" quote||"));
  g_assert_cmpuint (push_audience_reader_get_problem_count (read->reader), ==, 0);
}

static void
test_csv_embedded_newlines (void)
{
  g_autofree char *path = audience_test_write ("newlines.csv",
                                               "id,address,city\n"
                                               "1,\"1 Main St\nFlat 2\nBack door\",Oslo\n"
                                               "2,\"\n\",Bergen\n"
                                               "3,x,Tromsø\n", -1);
  g_autoptr(TestRead) read = audience_test_read (path, PUSH_AUDIENCE_FORMAT_CSV, 0, 0);

  audience_test_assert_rows (read, ROWS ("1|1 Main St\\nFlat 2\\nBack door|Oslo",
                                         "2|\\n|Bergen",
                                         "3|x|Tromsø"));
  g_assert_cmpuint (row_at (read, 0)->line, ==, 2);
  g_assert_cmpuint (row_at (read, 1)->line, ==, 5);
  g_assert_cmpuint (row_at (read, 2)->line, ==, 7);
  g_assert_cmpuint (row_at (read, 2)->number, ==, 3);
}

static void
test_csv_bom (void)
{
  g_autofree char *path = audience_test_write ("bom.csv",
                                               "\xef\xbb\xbf" "email;name\n"
                                               "a@example.com;Åsa\n", -1);
  g_autoptr(TestRead) read = audience_test_read (path, PUSH_AUDIENCE_FORMAT_AUTO, 0, 0);

  g_assert_true (push_audience_reader_get_had_bom (read->reader));
  g_assert_cmpint (push_audience_reader_get_delimiter (read->reader), ==, ';');
  audience_test_assert_columns (read->reader, "email|name");
  audience_test_assert_rows (read, ROWS ("a@example.com|Åsa"));
  g_assert_cmpint (row_at (read, 0)->offset, ==, 3 + 11);
}

static void
test_csv_crlf (void)
{
  g_autofree char *path = audience_test_write ("crlf.csv",
                                               "a,b\r\n"
                                               "1,\"two\r\nlines\"\r\n"
                                               "\r\n"
                                               "3,4\r\n"
                                               "5,6", -1);
  g_autoptr(TestRead) read = audience_test_read (path, PUSH_AUDIENCE_FORMAT_CSV, 0, 0);

  audience_test_assert_columns (read->reader, "a|b");
  /* The line break inside the quotes is kept as it is; the blank line is skipped. */
  audience_test_assert_rows (read, ROWS ("1|two\\r\\nlines", "3|4", "5|6"));
  g_assert_cmpuint (row_at (read, 1)->line, ==, 5);
  g_assert_cmpuint (row_at (read, 2)->line, ==, 6);
}

static void
test_csv_delimiters (void)
{
  static const struct {
    char        delimiter;
    const char *name;
    const char *others;   /* the other candidates, which the values hold */
  } cases[] = {
    { ',', "comma", ";|\t" }, { ';', "semicolon", ",|\t" },
    { '\t', "tab", ",;|" }, { '|', "pipe", ",;\t" },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char d = cases[i].delimiter;
      const char *o = cases[i].others;
      g_autofree char *name = g_strdup_printf ("delim-%s.txt", cases[i].name);
      /* The header's third name holds every candidate, inside quotes; the rows hold the
       * other candidates unquoted, and the delimiter itself inside quotes. */
      g_autofree char *data = g_strdup_printf ("email%cnote%c\"x,y;z|w\tv\"\n"
                                               "a@example.com%c1%c5%c\"p%cq\"\n"
                                               "b@example.com%c2%c6%cr%cs\n",
                                               d, d, d, o[0], d, d, d, o[1], d, o[2]);
      g_autofree char *row1 = g_strdup_printf ("a@example.com|1%c5|p%cq", o[0], d);
      g_autofree char *row2 = g_strdup_printf ("b@example.com|2%c6|r%cs", o[1], o[2]);
      g_autofree char *path = audience_test_write (name, data, -1);
      g_autoptr(TestRead) sniffed = NULL;
      g_autoptr(TestRead) forced = NULL;

      sniffed = audience_test_read (path, PUSH_AUDIENCE_FORMAT_AUTO, 0, 0);
      g_assert_cmpint (push_audience_reader_get_delimiter (sniffed->reader), ==, d);
      audience_test_assert_columns (sniffed->reader, "email|note|x,y;z|w\tv");
      audience_test_assert_rows (sniffed, ROWS (row1, row2));

      /* Overridden: the same file read with the delimiter given. */
      forced = audience_test_read (path, PUSH_AUDIENCE_FORMAT_CSV, d, 0);
      g_assert_cmpint (push_audience_reader_get_delimiter (forced->reader), ==, d);
      audience_test_assert_rows (forced, ROWS (row1, row2));
    }
}

static void
test_csv_delimiter_override (void)
{
  g_autofree char *path = audience_test_write ("override.csv",
                                               "a;b;c\n1;2;3\n", -1);
  g_autoptr(TestRead) sniffed = audience_test_read (path, PUSH_AUDIENCE_FORMAT_CSV, 0, 0);
  g_autoptr(TestRead) forced = audience_test_read (path, PUSH_AUDIENCE_FORMAT_CSV, ',', 0);

  audience_test_assert_columns (sniffed->reader, "a|b|c");
  audience_test_assert_rows (sniffed, ROWS ("1|2|3"));
  audience_test_assert_columns (forced->reader, "a;b;c");
  audience_test_assert_rows (forced, ROWS ("1;2;3"));
}

static void
test_csv_ragged (void)
{
  g_autofree char *path = audience_test_write ("ragged.csv",
                                               "a,b,c\n"
                                               "1,2,3\n"
                                               "4,5\n"
                                               "6,7,8,9,10\n"
                                               "11,12,13\n", -1);
  g_autoptr(TestRead) read = audience_test_read (path, PUSH_AUDIENCE_FORMAT_CSV, 0, 0);

  audience_test_assert_rows (read, ROWS ("1|2|3", "4|5|<absent>", "6|7|8", "11|12|13"));
  g_assert_cmpint (row_at (read, 1)->problem, ==, PUSH_AUDIENCE_PROBLEM_FIELD_COUNT);
  g_assert_cmpuint (row_at (read, 1)->n_fields, ==, 2);
  g_assert_cmpint (row_at (read, 2)->problem, ==, PUSH_AUDIENCE_PROBLEM_FIELD_COUNT);
  g_assert_cmpuint (row_at (read, 2)->n_fields, ==, 5);
  g_assert_cmpint (row_at (read, 3)->problem, ==, PUSH_AUDIENCE_PROBLEM_NONE);
  audience_test_assert_problem (read, 0, 2, 3, PUSH_AUDIENCE_PROBLEM_FIELD_COUNT,
                                "Row 2, column 3: expected 3 fields, found 2");
  audience_test_assert_problem (read, 1, 3, 4, PUSH_AUDIENCE_PROBLEM_FIELD_COUNT,
                                "Row 3, column 4: expected 3 fields, found 5");
  g_assert_cmpuint (push_audience_reader_get_bad_row_count (read->reader), ==, 2);
}

static void
test_csv_invalid_utf8 (void)
{
  g_autofree char *path = audience_test_write ("latin1.csv",
                                               "email,city,country\n"
                                               "a@example.com,Paris,France\n"
                                               "b@example.com,K\xf6ln,Germany\n"
                                               "c@example.com,Wien,\xc3\n"
                                               "d@example.com,Z\xc3\xbcrich,Schweiz\n", -1);
  g_autoptr(TestRead) read = audience_test_read (path, PUSH_AUDIENCE_FORMAT_CSV, 0, 0);

  audience_test_assert_rows (read, ROWS ("a@example.com|Paris|France",
                                         "b@example.com|K\xef\xbf\xbdln|Germany",
                                         "c@example.com|Wien|\xef\xbf\xbd",
                                         "d@example.com|Zürich|Schweiz"));
  audience_test_assert_problem (read, 0, 2, 2, PUSH_AUDIENCE_PROBLEM_INVALID_UTF8,
                                "Row 2, column 2: invalid UTF-8 text");
  audience_test_assert_problem (read, 1, 3, 3, PUSH_AUDIENCE_PROBLEM_INVALID_UTF8,
                                "Row 3, column 3: invalid UTF-8 text");
  g_assert_cmpint (row_at (read, 3)->problem, ==, PUSH_AUDIENCE_PROBLEM_NONE);
}

static void
test_csv_nul_in_later_row (void)
{
  g_autoptr(GString) data = g_string_new ("id,name\n");
  g_autofree char *path = NULL;
  g_autoptr(TestRead) read = NULL;
  guint i;

  /* Past the 64 KiB looked at for "is this text": a NUL there is a bad row, not a bad file. */
  for (i = 1; i <= 8000; i++)
    g_string_append_printf (data, "%u,name %u\n", i, i);
  g_string_append_len (data, "8001,bad\0name\n8002,fine\n", 24);
  path = audience_test_write ("late-nul.csv", data->str, data->len);

  read = audience_test_read (path, PUSH_AUDIENCE_FORMAT_CSV, 0, 0);
  g_assert_no_error (read->error);
  g_assert_cmpuint (read->rows->len, ==, 8002);
  g_assert_cmpstr (row_at (read, 8000)->text, ==, "8001|bad\xef\xbf\xbdname");
  g_assert_cmpstr (row_at (read, 8001)->text, ==, "8002|fine");
  audience_test_assert_problem (read, 0, 8001, 2, PUSH_AUDIENCE_PROBLEM_INVALID_UTF8,
                                "Row 8,001, column 2: invalid UTF-8 text");
}

static void
assert_open_fails (const char *name,
                   const char *data,
                   gssize      len,
                   int         code,
                   const char *message)
{
  g_autofree char *path = audience_test_write (name, data, len);
  g_autoptr(TestRead) read = audience_test_read (path, PUSH_AUDIENCE_FORMAT_AUTO, 0, 0);

  g_assert_true (read->open_failed);
  g_assert_error (read->error, PUSH_AUDIENCE_ERROR, code);
  g_assert_cmpstr (read->error->message, ==, message);
  g_assert_cmpuint (read->rows->len, ==, 0);
}

static void
test_not_text (void)
{
  static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0";
  guint8 junk[4096];
  guint i;

  assert_open_fails ("image.csv", png, sizeof png - 1, PUSH_AUDIENCE_ERROR_NOT_TEXT,
                     "This is not a text file: choose a CSV or JSON Lines file");

  /* Random bytes without a single NUL are still not text. */
  for (i = 0; i < sizeof junk; i++)
    junk[i] = (guint8) g_test_rand_int_range (1, 256);
  junk[0] = 0x80;  /* never a byte order mark */
  assert_open_fails ("junk.csv", (const char *) junk, sizeof junk, PUSH_AUDIENCE_ERROR_NOT_TEXT,
                     "This is not a text file: choose a CSV or JSON Lines file");

  assert_open_fails ("utf16.csv", "\xff\xfe" "a\0,\0b\0\n\0", 10,
                     PUSH_AUDIENCE_ERROR_UNSUPPORTED_ENCODING,
                     "The file is in UTF-16 or UTF-32: save it as UTF-8 and try again");
}

static void
test_empty_and_header_only (void)
{
  g_autofree char *header_only = NULL;
  g_autofree char *header_no_newline = NULL;
  g_autoptr(TestRead) read = NULL;
  g_autoptr(TestRead) read2 = NULL;

  assert_open_fails ("empty.csv", "", 0, PUSH_AUDIENCE_ERROR_EMPTY, "The file is empty");
  assert_open_fails ("bom-only.csv", "\xef\xbb\xbf", 3, PUSH_AUDIENCE_ERROR_EMPTY,
                     "The file is empty");
  assert_open_fails ("blank.csv", "\n\r\n\n", -1, PUSH_AUDIENCE_ERROR_NO_COLUMNS,
                     "The file has only blank lines: it needs a header line with the column "
                     "names");

  header_only = audience_test_write ("header-only.csv", "email,name\n", -1);
  read = audience_test_read (header_only, PUSH_AUDIENCE_FORMAT_AUTO, 0, 0);
  g_assert_no_error (read->error);
  audience_test_assert_columns (read->reader, "email|name");
  g_assert_cmpuint (read->rows->len, ==, 0);
  g_assert_nonnull (push_audience_reader_get_fingerprint (read->reader));

  header_no_newline = audience_test_write ("header-only2.csv", "email|name", -1);
  read2 = audience_test_read (header_no_newline, PUSH_AUDIENCE_FORMAT_AUTO, 0, 0);
  g_assert_no_error (read2->error);
  g_assert_cmpint (push_audience_reader_get_delimiter (read2->reader), ==, '|');
  audience_test_assert_columns (read2->reader, "email|name");
  g_assert_cmpuint (read2->rows->len, ==, 0);
}

static void
test_csv_big_field (void)
{
  const gsize size = 1024 * 1024;
  g_autoptr(GString) data = g_string_new ("id,blob,after\n1,\"");
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autofree char *path = NULL;
  const gsize chunks[] = { 0, 64 * 1024, 4093 };
  guint breaks = 0;
  guint c;
  gsize i;

  /* One field of 1 MiB (after unquoting) with quotes, delimiters and line breaks inside. */
  for (i = 0; expected->len < size; i++)
    {
      if (i % 1000 == 999)
        {
          g_string_append (data, "\"\",\n");
          g_string_append (expected, "\",\n");
        }
      else
        {
          char c0 = 'a' + i % 26;

          g_string_append_c (data, c0);
          g_string_append_c (expected, c0);
        }
    }
  g_string_append (data, "\",x\n2,small,y\n");
  for (i = 0; i < expected->len; i++)
    breaks += expected->str[i] == '\n';
  path = audience_test_write ("big-field.csv", data->str, data->len);

  for (c = 0; c < G_N_ELEMENTS (chunks); c++)
    {
      g_autoptr(PushAudienceReader) reader = push_audience_reader_new_for_path (path, 0, 0);
      g_autoptr(GError) error = NULL;
      const PushAudienceRow *row;

      if (chunks[c] > 0)
        push_audience_reader_set_chunk_size (reader, chunks[c]);
      g_assert_true (push_audience_reader_open (reader, NULL, &error));
      g_assert_no_error (error);

      g_assert_true (push_audience_reader_next_row (reader, &row, NULL, &error));
      g_assert_cmpstr (row->values[0].text, ==, "1");
      g_assert_cmpuint (row->values[1].length, ==, expected->len);
      g_assert_true (memcmp (row->values[1].text, expected->str, expected->len) == 0);
      g_assert_cmpstr (row->values[2].text, ==, "x");
      g_assert_cmpint (row->problem, ==, PUSH_AUDIENCE_PROBLEM_NONE);

      g_assert_true (push_audience_reader_next_row (reader, &row, NULL, &error));
      g_assert_cmpuint (row->number, ==, 2);
      g_assert_cmpuint (row->line, ==, 3 + breaks);
      g_assert_cmpstr (row->values[1].text, ==, "small");
      g_assert_false (push_audience_reader_next_row (reader, &row, NULL, &error));
      g_assert_no_error (error);
    }
}

static void
test_csv_header_problems (void)
{
  g_autofree char *path = audience_test_write ("header.csv",
                                               "email,,Email, name ,  ,NAME\n"
                                               "1,2,3,4,5,6\n", -1);
  g_autoptr(TestRead) read = audience_test_read (path, PUSH_AUDIENCE_FORMAT_CSV, 0, 0);

  audience_test_assert_columns (read->reader, "email||Email|name||NAME");
  audience_test_assert_rows (read, ROWS ("1|2|3|4|5|6"));
  audience_test_assert_problem (read, 0, 0, 2, PUSH_AUDIENCE_PROBLEM_EMPTY_HEADER,
                                "Header, column 2: the column has no name");
  audience_test_assert_problem (read, 1, 0, 3, PUSH_AUDIENCE_PROBLEM_DUPLICATE_HEADER,
                                "Header, column 3: the name “Email” is already used by "
                                "column 1");
  audience_test_assert_problem (read, 2, 0, 5, PUSH_AUDIENCE_PROBLEM_EMPTY_HEADER,
                                "Header, column 5: the column has no name");
  audience_test_assert_problem (read, 3, 0, 6, PUSH_AUDIENCE_PROBLEM_DUPLICATE_HEADER,
                                "Header, column 6: the name “NAME” is already used by "
                                "column 4");
  g_assert_cmpuint (push_audience_reader_get_problem_count (read->reader), ==, 4);
  g_assert_cmpuint (push_audience_reader_get_bad_row_count (read->reader), ==, 0);
}

static void
test_csv_unterminated_at_eof (void)
{
  g_autofree char *path = audience_test_write ("unterminated.csv",
                                               "id,name,city\n"
                                               "1,Ann,Rome\n"
                                               "2,\"Bob,Milan\n"
                                               "3,Cy,Turin\n"
                                               "4,Di,Pisa\n", -1);
  g_autoptr(TestRead) read = audience_test_read (path, PUSH_AUDIENCE_FORMAT_CSV, 0, 0);

  /* The row is cut at the end of its line, and reading goes on with the next line. */
  audience_test_assert_rows (read, ROWS ("1|Ann|Rome", "2|Bob,Milan|<absent>",
                                         "3|Cy|Turin", "4|Di|Pisa"));
  g_assert_cmpint (row_at (read, 1)->problem, ==, PUSH_AUDIENCE_PROBLEM_UNTERMINATED_QUOTE);
  g_assert_cmpuint (row_at (read, 2)->line, ==, 4);
  audience_test_assert_problem (read, 0, 2, 2, PUSH_AUDIENCE_PROBLEM_UNTERMINATED_QUOTE,
                                "Row 2, column 2: unterminated quoted field");
  g_assert_cmpuint (push_audience_reader_get_problem_count (read->reader), ==, 1);
}

static void
test_csv_unterminated_midfile (void)
{
  g_autofree char *path = audience_test_write ("unterminated2.csv",
                                               "id,name,note\n"
                                               "1,\"Ann,x\n"
                                               "2,Bob,y\n"
                                               "3,\"Cy\",z\n", -1);
  g_autoptr(TestRead) read = audience_test_read (path, PUSH_AUDIENCE_FORMAT_CSV, 0, 0);

  /* The quote opened on row 1 "closes" at the quote that opens row 3's field, followed by
   * text: the missing quote is on row 1, and rows 2 and 3 are read normally. */
  audience_test_assert_rows (read, ROWS ("1|Ann,x|<absent>", "2|Bob|y", "3|Cy|z"));
  audience_test_assert_problem (read, 0, 1, 2, PUSH_AUDIENCE_PROBLEM_UNTERMINATED_QUOTE,
                                "Row 1, column 2: unterminated quoted field");
  g_assert_cmpuint (push_audience_reader_get_problem_count (read->reader), ==, 1);
}

static void
test_csv_stray_quote (void)
{
  g_autofree char *path = audience_test_write ("stray.csv",
                                               "a,b,c\n"
                                               "\"abc\"def,2,3\n"
                                               "4,\"x\" ,6\n"
                                               "7,8,9\n", -1);
  g_autoptr(TestRead) read = audience_test_read (path, PUSH_AUDIENCE_FORMAT_CSV, 0, 0);

  audience_test_assert_rows (read, ROWS ("abc|2|3", "4|x|6", "7|8|9"));
  audience_test_assert_problem (read, 0, 1, 1, PUSH_AUDIENCE_PROBLEM_STRAY_QUOTE,
                                "Row 1, column 1: unexpected text after a closing quote");
  audience_test_assert_problem (read, 1, 2, 2, PUSH_AUDIENCE_PROBLEM_STRAY_QUOTE, NULL);
  g_assert_cmpint (row_at (read, 2)->problem, ==, PUSH_AUDIENCE_PROBLEM_NONE);
}

static void
test_csv_row_numbers_in_messages (void)
{
  g_autoptr(GString) data = g_string_new ("id,name,city\n");
  g_autofree char *path = NULL;
  g_autoptr(TestRead) read = NULL;
  guint i;

  for (i = 1; i < 18204; i++)
    g_string_append_printf (data, "%u,n%u,c\n", i, i);
  g_string_append (data, "18204,x,\"never closed\n18205,y,z\n");
  path = audience_test_write ("row-18204.csv", data->str, data->len);

  read = audience_test_read (path, PUSH_AUDIENCE_FORMAT_CSV, 0, 0);
  g_assert_cmpuint (read->rows->len, ==, 18205);
  audience_test_assert_problem (read, 0, 18204, 3, PUSH_AUDIENCE_PROBLEM_UNTERMINATED_QUOTE,
                                "Row 18,204, column 3: unterminated quoted field");
  g_assert_cmpuint (((PushAudienceProblem *) g_ptr_array_index (
                       push_audience_reader_get_problems (read->reader), 0))->line, ==, 18205);
  g_assert_cmpstr (row_at (read, 18204)->text, ==, "18205|y|z");
}

static void
test_csv_problem_cap (void)
{
  g_autoptr(GString) data = g_string_new ("a,b\n");
  g_autofree char *path = NULL;
  g_autoptr(PushAudienceReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  const PushAudienceRow *row;
  GPtrArray *problems;
  guint i;

  for (i = 1; i <= 30; i++)
    g_string_append_printf (data, i % 3 == 0 ? "%u,ok\n" : "%u\n", i);
  path = audience_test_write ("many-problems.csv", data->str, data->len);

  reader = push_audience_reader_new_for_path (path, PUSH_AUDIENCE_FORMAT_CSV, ',');
  push_audience_reader_set_max_problems (reader, 5);
  g_assert_true (push_audience_reader_open (reader, NULL, &error));
  while (push_audience_reader_next_row (reader, &row, NULL, &error))
    ;
  g_assert_no_error (error);

  problems = push_audience_reader_get_problems (reader);
  g_assert_cmpuint (problems->len, ==, 5);
  g_assert_cmpuint (push_audience_reader_get_problem_count (reader), ==, 20);
  g_assert_cmpuint (push_audience_reader_get_bad_row_count (reader), ==, 20);
  g_assert_cmpuint (push_audience_reader_get_row_count (reader), ==, 30);
  g_assert_cmpuint (((PushAudienceProblem *) g_ptr_array_index (problems, 4))->row, ==, 7);
}

static void
test_csv_row_too_long (void)
{
  g_autoptr(GString) data = g_string_new ("a,b\n1,short\n2,");
  g_autofree char *path = NULL;
  g_autoptr(PushAudienceReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  const PushAudienceRow *row;
  GPtrArray *problems;

  g_string_append (data, "\"");
  g_string_append_printf (data, "%0*d", 3000, 0);
  g_string_append (data, "\n3,after quote\n4,");
  g_string_append_printf (data, "%0*d", 5000, 7);
  g_string_append (data, "\n5,end\n");
  path = audience_test_write ("too-long.csv", data->str, data->len);

  reader = push_audience_reader_new_for_path (path, PUSH_AUDIENCE_FORMAT_CSV, ',');
  push_audience_reader_set_chunk_size (reader, 512);
  push_audience_reader_set_max_row_size (reader, 1024);
  g_assert_true (push_audience_reader_open (reader, NULL, &error));

  g_assert_true (push_audience_reader_next_row (reader, &row, NULL, &error));
  g_assert_cmpstr (row->values[1].text, ==, "short");
  g_assert_true (push_audience_reader_next_row (reader, &row, NULL, &error));
  g_assert_cmpuint (row->number, ==, 2);
  g_assert_cmpint (row->problem, ==, PUSH_AUDIENCE_PROBLEM_ROW_TOO_LONG);
  g_assert_cmpint (row->values[0].kind, ==, PUSH_AUDIENCE_VALUE_ABSENT);
  g_assert_true (push_audience_reader_next_row (reader, &row, NULL, &error));
  g_assert_cmpuint (row->number, ==, 3);
  g_assert_cmpuint (row->line, ==, 4);
  g_assert_cmpstr (row->values[1].text, ==, "after quote");
  g_assert_true (push_audience_reader_next_row (reader, &row, NULL, &error));
  g_assert_cmpuint (row->number, ==, 4);
  g_assert_cmpint (row->problem, ==, PUSH_AUDIENCE_PROBLEM_ROW_TOO_LONG);
  g_assert_true (push_audience_reader_next_row (reader, &row, NULL, &error));
  g_assert_cmpuint (row->number, ==, 5);
  g_assert_cmpuint (row->line, ==, 6);
  g_assert_cmpstr (row->values[1].text, ==, "end");
  g_assert_false (push_audience_reader_next_row (reader, &row, NULL, &error));
  g_assert_no_error (error);

  problems = push_audience_reader_get_problems (reader);
  g_assert_cmpuint (problems->len, ==, 2);
  g_assert_cmpstr (((PushAudienceProblem *) g_ptr_array_index (problems, 0))->message, ==,
                   "Row 2: a quoted field runs over 1.0\u00a0KiB without closing, so the row was "
                   "skipped");
  g_assert_cmpint (((PushAudienceProblem *) g_ptr_array_index (problems, 1))->kind, ==,
                   PUSH_AUDIENCE_PROBLEM_ROW_TOO_LONG);
}

/* The quoted field, the CRLF and the multi-byte sequences of this file straddle a read
 * boundary for one chunk size or another: reads end at multiples of the chunk size, and the
 * sweep below tries every size from 1 byte to the whole file, each giving the same rows. */
static const char boundary_csv[] =
  "id,text,city\r\n"
  "1,\"quoted, with \"\"doubled\"\" and\r\nbreak\",Zürich\r\n"
  "2,plain,São Paulo\r\n"
  "3,\"🎉 party\",Kraków\r\n"
  "4,\"\",\"\"\r\n"
  "5,last,Åre";

static const char * const boundary_rows[] = {
  "1|quoted, with \"doubled\" and\\r\\nbreak|Zürich",
  "2|plain|São Paulo",
  "3|🎉 party|Kraków",
  "4||",
  "5|last|Åre",
  NULL
};

static void
test_csv_chunk_boundaries (void)
{
  g_autofree char *path = audience_test_write ("boundaries.csv", boundary_csv, -1);
  const gsize size = strlen (boundary_csv);
  const char *emoji = strstr (boundary_csv, "🎉");
  const char *crlf = strstr (boundary_csv, "Zürich\r\n") + strlen ("Zürich");
  const char *quote = strstr (boundary_csv, "\"\"doubled");
  gsize named[3];
  gsize chunk;
  guint i;

  /* The three straddles named by the issue, as chunk sizes: the 4-byte emoji split after
   * its second byte, the CR and LF that end row 1 in two reads, and a doubled quote split
   * between its two quote characters. */
  named[0] = emoji - boundary_csv + 2;
  named[1] = crlf - boundary_csv + 1;
  named[2] = quote - boundary_csv + 1;
  g_assert_cmpuint ((guchar) boundary_csv[named[0] - 1], ==, 0x9f);
  g_assert_cmpint (boundary_csv[named[1] - 1], ==, '\r');
  g_assert_cmpint (boundary_csv[named[2]], ==, '"');

  for (i = 0; i < G_N_ELEMENTS (named); i++)
    {
      g_autoptr(TestRead) read = audience_test_read (path, PUSH_AUDIENCE_FORMAT_CSV, ',',
                                                     named[i]);

      audience_test_assert_rows (read, boundary_rows);
      g_assert_cmpuint (push_audience_reader_get_problem_count (read->reader), ==, 0);
    }

  for (chunk = 1; chunk <= size + 1; chunk++)
    {
      g_autoptr(TestRead) read = audience_test_read (path, PUSH_AUDIENCE_FORMAT_CSV, ',', chunk);

      audience_test_assert_columns (read->reader, "id|text|city");
      audience_test_assert_rows (read, boundary_rows);
      g_assert_cmpuint (row_at (read, 0)->line, ==, 2);
      g_assert_cmpuint (row_at (read, 1)->line, ==, 4);
      g_assert_cmpint (row_at (read, 1)->offset, ==,
                       strstr (boundary_csv, "2,plain") - boundary_csv);
      g_assert_cmpuint (push_audience_reader_get_problem_count (read->reader), ==, 0);
    }
}

static void
test_csv_chunk_boundaries_with_problems (void)
{
  static const char data[] =
    "a,b\n"
    "1,K\xf6ln\n"
    "2,\"x\"y\n"
    "3\n"
    "4,\"open\n"
    "5,five\n";
  g_autofree char *path = audience_test_write ("boundaries-bad.csv", data, -1);
  g_autoptr(TestRead) reference = audience_test_read (path, PUSH_AUDIENCE_FORMAT_CSV, ',', 0);
  gsize chunk;
  guint i;

  g_assert_cmpuint (reference->rows->len, ==, 5);
  g_assert_cmpuint (push_audience_reader_get_problem_count (reference->reader), ==, 4);

  for (chunk = 1; chunk <= sizeof data; chunk++)
    {
      g_autoptr(TestRead) read = audience_test_read (path, PUSH_AUDIENCE_FORMAT_CSV, ',', chunk);
      GPtrArray *expected = push_audience_reader_get_problems (reference->reader);
      GPtrArray *got = push_audience_reader_get_problems (read->reader);

      g_assert_no_error (read->error);
      g_assert_cmpuint (read->rows->len, ==, reference->rows->len);
      for (i = 0; i < read->rows->len; i++)
        {
          g_assert_cmpstr (row_at (read, i)->text, ==, row_at (reference, i)->text);
          g_assert_cmpint (row_at (read, i)->problem, ==, row_at (reference, i)->problem);
        }
      g_assert_cmpuint (got->len, ==, expected->len);
      for (i = 0; i < got->len; i++)
        g_assert_cmpstr (((PushAudienceProblem *) g_ptr_array_index (got, i))->message, ==,
                         ((PushAudienceProblem *) g_ptr_array_index (expected, i))->message);
    }
}

static void
test_jsonl_basic (void)
{
  g_autofree char *path = audience_test_write ("people.jsonl",
                                               "{\"email\":\"a@example.com\",\"age\":42,"
                                               "\"vip\":true}\n"
                                               "\n"
                                               "{\"email\":\"b@example.com\",\"ltv\":19.99,"
                                               "\"age\":null,\"vip\":false}\r\n"
                                               "{\"age\":-7,\"email\":\"c\\u00e9@example.com\","
                                               "\"ltv\":1e3}", -1);
  g_autoptr(TestRead) read = audience_test_read (path, PUSH_AUDIENCE_FORMAT_AUTO, 0, 0);

  g_assert_cmpint (push_audience_reader_get_format (read->reader), ==,
                   PUSH_AUDIENCE_FORMAT_JSONL);
  audience_test_assert_columns (read->reader, "email|age|vip|ltv");
  audience_test_assert_rows (read, ROWS ("a@example.com|42|true|<absent>",
                                         "b@example.com|<null>|false|19.99",
                                         "cé@example.com|-7|<absent>|1000"));
  g_assert_cmpuint (row_at (read, 1)->line, ==, 3);
  g_assert_cmpuint (row_at (read, 2)->line, ==, 4);
  g_assert_cmpuint (row_at (read, 2)->n_fields, ==, 3);
  g_assert_cmpuint (push_audience_reader_get_problem_count (read->reader), ==, 0);
}

static void
test_jsonl_bad_lines (void)
{
  g_autofree char *path = audience_test_write ("bad.jsonl",
                                               "{\"email\":\"a@example.com\",\"tags\":\"x\","
                                               "\"address\":\"Main St\"}\n"
                                               "{\"email\":\"b@example.com\",\"tags\":[1,2]}\n"
                                               "{\"email\":\"c@example.com\",\"address\":"
                                               "{\"city\":\"Oslo\"}}\n"
                                               "[\"not\",\"an\",\"object\"]\n"
                                               "42\n"
                                               "{\"email\": \"d@example.com\",\n"
                                               "{\"email\":\"\xff\"}\n"
                                               "{\"email\":\"e@example.com\"}\n"
                                               "{\"email\":\"f}\\\"\"} {\"email\":\"g\"}\n", -1);
  g_autoptr(TestRead) read = audience_test_read (path, PUSH_AUDIENCE_FORMAT_JSONL, 0, 0);
  GPtrArray *problems;
  PushAudienceProblem *syntax;

  audience_test_assert_columns (read->reader, "email|tags|address");
  audience_test_assert_rows (read, ROWS ("a@example.com|x|Main St",
                                         "b@example.com|<nested>|<absent>",
                                         "c@example.com|<absent>|<nested>",
                                         "<absent>|<absent>|<absent>",
                                         "<absent>|<absent>|<absent>",
                                         "<absent>|<absent>|<absent>",
                                         "<absent>|<absent>|<absent>",
                                         "e@example.com|<absent>|<absent>",
                                         "<absent>|<absent>|<absent>"));
  g_assert_cmpint (row_at (read, 1)->problem, ==, PUSH_AUDIENCE_PROBLEM_JSON_NESTED);
  g_assert_cmpint (row_at (read, 3)->problem, ==, PUSH_AUDIENCE_PROBLEM_JSON_NOT_OBJECT);
  g_assert_cmpint (row_at (read, 5)->problem, ==, PUSH_AUDIENCE_PROBLEM_JSON_SYNTAX);
  g_assert_cmpint (row_at (read, 6)->problem, ==, PUSH_AUDIENCE_PROBLEM_INVALID_UTF8);
  g_assert_cmpint (row_at (read, 7)->problem, ==, PUSH_AUDIENCE_PROBLEM_NONE);

  audience_test_assert_problem (read, 0, 2, 2, PUSH_AUDIENCE_PROBLEM_JSON_NESTED,
                                "Row 2, column 2: “tags” holds a JSON array; only text, "
                                "numbers, true, false and null can be sent to a field");
  audience_test_assert_problem (read, 1, 3, 3, PUSH_AUDIENCE_PROBLEM_JSON_NESTED,
                                "Row 3, column 3: “address” holds a JSON object; only text, "
                                "numbers, true, false and null can be sent to a field");
  audience_test_assert_problem (read, 2, 4, 0, PUSH_AUDIENCE_PROBLEM_JSON_NOT_OBJECT,
                                "Row 4: the line is valid JSON but not an object");
  audience_test_assert_problem (read, 3, 5, 0, PUSH_AUDIENCE_PROBLEM_JSON_NOT_OBJECT, NULL);
  audience_test_assert_problem (read, 4, 6, 0, PUSH_AUDIENCE_PROBLEM_JSON_SYNTAX, NULL);
  audience_test_assert_problem (read, 5, 7, 0, PUSH_AUDIENCE_PROBLEM_INVALID_UTF8,
                                "Row 7: invalid UTF-8 text");
  audience_test_assert_problem (read, 6, 9, 0, PUSH_AUDIENCE_PROBLEM_JSON_SYNTAX,
                                "Row 9: not valid JSON (more text after the first value; one "
                                "object per line)");
  problems = push_audience_reader_get_problems (read->reader);
  g_assert_cmpuint (problems->len, ==, 7);
  syntax = g_ptr_array_index (problems, 4);
  g_assert_true (g_str_has_prefix (syntax->message, "Row 6: not valid JSON at character "));
  g_assert_null (strstr (syntax->message, "<data>"));
}

static void
test_jsonl_late_keys (void)
{
  g_autoptr(GString) data = g_string_new (NULL);
  g_autofree char *path = NULL;
  g_autoptr(TestRead) read = NULL;
  guint i;

  for (i = 1; i <= PUSH_AUDIENCE_READER_JSONL_SAMPLE_LINES + 5; i++)
    {
      if (i == 3)
        g_string_append_printf (data, "{\"id\":%u,\"early\":\"e\"}\n", i);
      else if (i > PUSH_AUDIENCE_READER_JSONL_SAMPLE_LINES)
        g_string_append_printf (data, "{\"id\":%u,\"late\":\"l\"}\n", i);
      else
        g_string_append_printf (data, "{\"id\":%u}\n", i);
    }
  path = audience_test_write ("late.jsonl", data->str, data->len);

  read = audience_test_read (path, PUSH_AUDIENCE_FORMAT_JSONL, 0, 0);
  /* "early" was in the sample: a column. "late" was not: reported once, values ignored. */
  audience_test_assert_columns (read->reader, "id|early");
  g_assert_cmpuint (read->rows->len, ==, PUSH_AUDIENCE_READER_JSONL_SAMPLE_LINES + 5);
  g_assert_cmpstr (row_at (read, 2)->text, ==, "3|e");
  g_assert_cmpstr (row_at (read, 1000)->text, ==, "1001|<absent>");
  g_assert_cmpint (row_at (read, 1000)->problem, ==, PUSH_AUDIENCE_PROBLEM_NONE);
  g_assert_cmpuint (push_audience_reader_get_problem_count (read->reader), ==, 1);
  audience_test_assert_problem (read, 0, 1001, 0, PUSH_AUDIENCE_PROBLEM_JSON_UNKNOWN_KEY,
                                "Row 1,001: the key “late” is not in the first 1,000 lines, "
                                "which set the columns, so its values are ignored");
}

static void
test_jsonl_no_objects (void)
{
  assert_open_fails ("arrays.jsonl", "[1,2]\n[3]\n", -1, PUSH_AUDIENCE_ERROR_NO_COLUMNS,
                     "No JSON object was found in the first 2 lines");
}

static void
test_format_detection (void)
{
  g_autofree char *no_ext = audience_test_write ("audience-export", "{\"email\":\"x\"}\n", -1);
  g_autofree char *txt = audience_test_write ("audience.txt", "{\"email\":\"x\"}\n", -1);
  g_autofree char *ndjson = audience_test_write ("audience.ndjson", "  {\"a\":1}\n", -1);
  g_autoptr(TestRead) r1 = audience_test_read (no_ext, PUSH_AUDIENCE_FORMAT_AUTO, 0, 0);
  g_autoptr(TestRead) r2 = audience_test_read (txt, PUSH_AUDIENCE_FORMAT_AUTO, 0, 0);
  g_autoptr(TestRead) r3 = audience_test_read (ndjson, PUSH_AUDIENCE_FORMAT_AUTO, 0, 0);

  g_assert_cmpint (push_audience_reader_get_format (r1->reader), ==, PUSH_AUDIENCE_FORMAT_JSONL);
  audience_test_assert_columns (r1->reader, "email");
  g_assert_cmpint (push_audience_reader_get_format (r2->reader), ==, PUSH_AUDIENCE_FORMAT_CSV);
  g_assert_cmpint (push_audience_reader_get_format (r3->reader), ==, PUSH_AUDIENCE_FORMAT_JSONL);
  audience_test_assert_rows (r3, ROWS ("1"));
}

static void
test_stream_source (void)
{
  static const char data[] = "email,name\nx@example.com,X\n";
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (data, sizeof data - 1,
                                                                        NULL);
  g_autoptr(PushAudienceReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected_hash = NULL;
  const PushAudienceRow *row;
  PushAudienceFingerprint *fingerprint;

  reader = push_audience_reader_new_for_stream (stream, PUSH_AUDIENCE_FORMAT_AUTO, 0);
  g_assert_true (push_audience_reader_open (reader, NULL, &error));
  g_assert_true (push_audience_reader_next_row (reader, &row, NULL, &error));
  g_assert_cmpstr (row->values[1].text, ==, "X");
  g_assert_null (push_audience_reader_get_fingerprint (reader));
  g_assert_false (push_audience_reader_next_row (reader, &row, NULL, &error));
  g_assert_no_error (error);

  /* GLib's own SHA-256 as the independent reference. */
  expected_hash = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data,
                                               sizeof data - 1);
  fingerprint = push_audience_reader_get_fingerprint (reader);
  g_assert_nonnull (fingerprint);
  g_assert_cmpstr (fingerprint->hash, ==, expected_hash);
  g_assert_cmpuint (fingerprint->size, ==, sizeof data - 1);
  g_assert_cmpint (fingerprint->mtime, ==, 0);
}

/* A pass that skips the hash reads the same rows and leaves no fingerprint. */
static void
test_no_fingerprint (void)
{
  static const char data[] = "email,name\nx@example.com,X\ny@example.com,Y\n";
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (data, sizeof data - 1,
                                                                        NULL);
  g_autoptr(PushAudienceReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  const PushAudienceRow *row;
  g_autofree char *last = NULL;
  guint rows = 0;

  reader = push_audience_reader_new_for_stream (stream, PUSH_AUDIENCE_FORMAT_AUTO, 0);
  push_audience_reader_set_fingerprint (reader, FALSE);
  g_assert_true (push_audience_reader_open (reader, NULL, &error));
  while (push_audience_reader_next_row (reader, &row, NULL, &error))
    {
      rows++;
      g_free (last);
      last = g_strndup (row->values[1].text, row->values[1].length);
    }
  g_assert_no_error (error);
  g_assert_cmpuint (rows, ==, 2);
  g_assert_cmpstr (last, ==, "Y");
  g_assert_null (push_audience_reader_get_fingerprint (reader));
}

static void
test_cancelled (void)
{
  g_autoptr(GString) data = g_string_new ("a,b\n");
  g_autofree char *path = NULL;
  g_autoptr(PushAudienceReader) reader = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  const PushAudienceRow *row;
  guint rows = 0;
  guint i;

  for (i = 0; i < 1000; i++)
    g_string_append_printf (data, "%u,%u\n", i, i);
  path = audience_test_write ("cancel.csv", data->str, data->len);

  reader = push_audience_reader_new_for_path (path, PUSH_AUDIENCE_FORMAT_CSV, 0);
  push_audience_reader_set_chunk_size (reader, 256);
  g_assert_true (push_audience_reader_open (reader, cancellable, &error));
  g_cancellable_cancel (cancellable);
  while (push_audience_reader_next_row (reader, &row, cancellable, &error))
    rows++;
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* Only the rows already in the buffer came out. */
  g_assert_cmpuint (rows, <, 100);
  g_assert_null (push_audience_reader_get_fingerprint (reader));
}

static void
test_missing_file (void)
{
  g_autoptr(TestRead) read = audience_test_read ("/nonexistent/audience.csv",
                                                 PUSH_AUDIENCE_FORMAT_AUTO, 0, 0);

  g_assert_true (read->open_failed);
  g_assert_error (read->error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static void
test_format_count (void)
{
  static const struct {
    guint64     n;
    const char *text;
  } cases[] = {
    { 0, "0" }, { 7, "7" }, { 999, "999" }, { 1000, "1,000" }, { 18204, "18,204" },
    { 1000000, "1,000,000" }, { G_MAXUINT64, "18,446,744,073,709,551,615" },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = push_audience_format_count (cases[i].n);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
check_utf8 (const guchar *bytes,
            gsize         n)
{
  gboolean expected = g_utf8_validate_len ((const char *) bytes, n, NULL);

  if (_push_audience_utf8_validate ((const char *) bytes, n) != expected)
    {
      g_autofree char *hex = g_malloc0 (n * 3 + 1);
      gsize i;

      for (i = 0; i < n; i++)
        g_snprintf (hex + 3 * i, 4, "%02x ", bytes[i]);
      g_error ("the validator says %s for %s", expected ? "invalid" : "valid", hex);
    }
}

/* The reader's own validator must agree with GLib's on every 1-, 2- and 3-byte string (after
 * an ASCII prefix that goes through the word-at-a-time path), and on random longer ones. */
static void
test_utf8_validator (void)
{
  guchar buf[32];
  guint a, b, c, i, k;

  memset (buf, 'a', sizeof buf);
  for (a = 0; a < 256; a++)
    {
      buf[9] = a;
      check_utf8 (buf, 10);
      for (b = 0; b < 256; b++)
        {
          buf[10] = b;
          check_utf8 (buf, 11);
          check_utf8 (buf + 9, 2);
        }
    }
  for (a = 0xc0; a < 256; a++)
    for (b = 0; b < 256; b++)
      for (c = 0; c < 256; c++)
        {
          buf[0] = a;
          buf[1] = b;
          buf[2] = c;
          check_utf8 (buf, 3);
        }
  for (i = 0; i < 300000; i++)
    {
      gsize n = g_test_rand_int_range (1, sizeof buf + 1);

      for (k = 0; k < n; k++)
        {
          guint r = g_test_rand_int_range (0, 100);

          /* mostly ASCII, some lead bytes, some continuation bytes */
          buf[k] = r < 60 ? g_test_rand_int_range (1, 0x80)
                 : r < 80 ? g_test_rand_int_range (0xc0, 0x100)
                 : g_test_rand_int_range (0x80, 0xc0);
        }
      check_utf8 (buf, n);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = NULL;
  int ret;

  /* The C locale has no thousands separator: the messages fall back to a comma. */
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  dir = push_test_make_tmpdir ();
  audience_test_set_dir (dir);

  g_test_add_func ("/audience/reader/csv/basic", test_csv_basic);
  g_test_add_func ("/audience/reader/csv/quotes", test_csv_quotes);
  g_test_add_func ("/audience/reader/csv/embedded-newlines", test_csv_embedded_newlines);
  g_test_add_func ("/audience/reader/csv/bom", test_csv_bom);
  g_test_add_func ("/audience/reader/csv/crlf", test_csv_crlf);
  g_test_add_func ("/audience/reader/csv/delimiters", test_csv_delimiters);
  g_test_add_func ("/audience/reader/csv/delimiter-override", test_csv_delimiter_override);
  g_test_add_func ("/audience/reader/csv/ragged", test_csv_ragged);
  g_test_add_func ("/audience/reader/csv/invalid-utf8", test_csv_invalid_utf8);
  g_test_add_func ("/audience/reader/csv/nul-in-later-row", test_csv_nul_in_later_row);
  g_test_add_func ("/audience/reader/not-text", test_not_text);
  g_test_add_func ("/audience/reader/empty-and-header-only", test_empty_and_header_only);
  g_test_add_func ("/audience/reader/csv/big-field", test_csv_big_field);
  g_test_add_func ("/audience/reader/csv/header-problems", test_csv_header_problems);
  g_test_add_func ("/audience/reader/csv/unterminated-at-eof", test_csv_unterminated_at_eof);
  g_test_add_func ("/audience/reader/csv/unterminated-midfile", test_csv_unterminated_midfile);
  g_test_add_func ("/audience/reader/csv/stray-quote", test_csv_stray_quote);
  g_test_add_func ("/audience/reader/csv/row-numbers-in-messages",
                   test_csv_row_numbers_in_messages);
  g_test_add_func ("/audience/reader/csv/problem-cap", test_csv_problem_cap);
  g_test_add_func ("/audience/reader/csv/row-too-long", test_csv_row_too_long);
  g_test_add_func ("/audience/reader/csv/chunk-boundaries", test_csv_chunk_boundaries);
  g_test_add_func ("/audience/reader/csv/chunk-boundaries-with-problems",
                   test_csv_chunk_boundaries_with_problems);
  g_test_add_func ("/audience/reader/jsonl/basic", test_jsonl_basic);
  g_test_add_func ("/audience/reader/jsonl/bad-lines", test_jsonl_bad_lines);
  g_test_add_func ("/audience/reader/jsonl/late-keys", test_jsonl_late_keys);
  g_test_add_func ("/audience/reader/jsonl/no-objects", test_jsonl_no_objects);
  g_test_add_func ("/audience/reader/format-detection", test_format_detection);
  g_test_add_func ("/audience/reader/stream-source", test_stream_source);
  g_test_add_func ("/audience/reader/no-fingerprint", test_no_fingerprint);
  g_test_add_func ("/audience/reader/cancelled", test_cancelled);
  g_test_add_func ("/audience/reader/missing-file", test_missing_file);
  g_test_add_func ("/audience/reader/format-count", test_format_count);
  g_test_add_func ("/audience/reader/utf8-validator", test_utf8_validator);

  ret = g_test_run ();
  push_test_rm_rf (dir);
  return ret;
}
