/* audience-test-common.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "audience-test-common.h"

static char *test_dir;

void
audience_test_set_dir (const char *dir)
{
  g_free (test_dir);
  test_dir = g_strdup (dir);
}

char *
audience_test_write (const char *name,
                     const char *data,
                     gssize      len)
{
  g_autoptr(GError) error = NULL;
  char *path;

  g_assert_nonnull (test_dir);
  path = g_build_filename (test_dir, name, NULL);
  g_file_set_contents (path, data, len, &error);
  g_assert_no_error (error);
  return path;
}

static void
append_value (GString               *out,
              const char            *text,
              gsize                  length,
              PushAudienceValueKind  kind)
{
  gsize i;

  switch (kind)
    {
    case PUSH_AUDIENCE_VALUE_ABSENT:
      g_assert_cmpstr (text, ==, "");
      g_string_append (out, "<absent>");
      return;
    case PUSH_AUDIENCE_VALUE_NULL:
      g_assert_cmpstr (text, ==, "");
      g_string_append (out, "<null>");
      return;
    case PUSH_AUDIENCE_VALUE_NESTED:
      g_assert_cmpstr (text, ==, "");
      g_string_append (out, "<nested>");
      return;
    case PUSH_AUDIENCE_VALUE_TEXT:
    default:
      break;
    }

  g_assert_cmpuint (strlen (text), ==, length);
  g_assert_true (g_utf8_validate (text, length, NULL));
  for (i = 0; i < length; i++)
    {
      if (text[i] == '\n')
        g_string_append (out, "\\n");
      else if (text[i] == '\r')
        g_string_append (out, "\\r");
      else
        g_string_append_c (out, text[i]);
    }
}

char *
audience_test_render_row (const PushAudienceRow *row)
{
  GString *out = g_string_new (NULL);
  guint i;

  for (i = 0; i < row->n_values; i++)
    {
      if (i > 0)
        g_string_append_c (out, '|');
      append_value (out, row->values[i].text, row->values[i].length, row->values[i].kind);
      g_assert_true (push_audience_row_get_text (row, i) == row->values[i].text);
    }
  return g_string_free (out, FALSE);
}

char *
audience_test_render_record (PushAudienceRecord *record)
{
  GString *out = g_string_new (NULL);
  guint i;

  for (i = 0; i < push_audience_record_get_n_values (record); i++)
    {
      const char *text = push_audience_record_get_value (record, i);

      if (i > 0)
        g_string_append_c (out, '|');
      append_value (out, text, strlen (text), push_audience_record_get_value_kind (record, i));
    }
  g_assert_null (push_audience_record_get_value (record, i));
  return g_string_free (out, FALSE);
}

static void
test_row_free (TestRow *row)
{
  g_free (row->text);
  g_free (row);
}

TestRead *
audience_test_read (const char         *path,
                    PushAudienceFormat  format,
                    char                delimiter,
                    gsize               chunk_size)
{
  TestRead *read = g_new0 (TestRead, 1);
  const PushAudienceRow *row;

  read->reader = push_audience_reader_new_for_path (path, format, delimiter);
  read->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) test_row_free);
  if (chunk_size > 0)
    push_audience_reader_set_chunk_size (read->reader, chunk_size);

  if (!push_audience_reader_open (read->reader, NULL, &read->error))
    {
      read->open_failed = TRUE;
      return read;
    }

  while (push_audience_reader_next_row (read->reader, &row, NULL, &read->error))
    {
      TestRow *copy = g_new0 (TestRow, 1);

      copy->number = row->number;
      copy->line = row->line;
      copy->offset = row->offset;
      copy->problem = row->problem;
      copy->n_fields = row->n_fields;
      copy->text = audience_test_render_row (row);
      g_assert_cmpuint (row->number, ==, read->rows->len + 1);
      g_ptr_array_add (read->rows, copy);
    }
  g_assert_null (row);
  g_assert_cmpuint (push_audience_reader_get_row_count (read->reader), ==, read->rows->len);

  return read;
}

void
audience_test_read_free (TestRead *read)
{
  g_clear_object (&read->reader);
  g_clear_pointer (&read->rows, g_ptr_array_unref);
  g_clear_error (&read->error);
  g_free (read);
}

void
audience_test_assert_rows (TestRead           *read,
                           const char * const *expected)
{
  guint i;

  g_assert_no_error (read->error);
  for (i = 0; expected[i] != NULL && i < read->rows->len; i++)
    {
      TestRow *row = g_ptr_array_index (read->rows, i);

      g_assert_cmpstr (row->text, ==, expected[i]);
    }
  g_assert_cmpuint (read->rows->len, ==, g_strv_length ((GStrv) expected));
}

void
audience_test_assert_columns (PushAudienceReader *reader,
                              const char         *expected)
{
  g_autofree char *joined = NULL;
  const char * const *columns;
  guint n_columns;

  columns = push_audience_reader_get_columns (reader, &n_columns);
  g_assert_cmpuint (g_strv_length ((GStrv) columns), ==, n_columns);
  joined = g_strjoinv ("|", (GStrv) columns);
  g_assert_cmpstr (joined, ==, expected);
}

void
audience_test_assert_problem (TestRead                *read,
                              guint                    index,
                              guint64                  row,
                              guint                    column,
                              PushAudienceProblemKind  kind,
                              const char              *message)
{
  GPtrArray *problems = push_audience_reader_get_problems (read->reader);
  PushAudienceProblem *problem;

  g_assert_cmpuint (index, <, problems->len);
  problem = g_ptr_array_index (problems, index);
  g_assert_cmpuint (problem->row, ==, row);
  g_assert_cmpuint (problem->column, ==, column);
  g_assert_cmpint (problem->kind, ==, kind);
  if (message != NULL)
    g_assert_cmpstr (problem->message, ==, message);
}
