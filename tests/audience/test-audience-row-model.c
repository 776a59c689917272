/* test-audience-row-model.c: random access through the row model equals the sequential pass
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "audience-test-common.h"
#include "test-utils.h"

#define N_ROWS 10000

typedef struct {
  guint position;
  guint removed;
  guint added;
  guint emissions;
} ItemsChanged;

static void
items_changed_cb (GListModel   *model,
                  guint         position,
                  guint         removed,
                  guint         added,
                  ItemsChanged *seen)
{
  seen->position = position;
  seen->removed = removed;
  seen->added = added;
  seen->emissions++;
}

/* A file with quoted line breaks, doubled quotes, non-ASCII text, blank lines, ragged and
 * invalid rows spread over many checkpoint blocks. */
static char *
write_awkward_csv (const char *name,
                   guint       n_rows)
{
  g_autoptr(GString) data = g_string_new ("\xef\xbb\xbfid;email;note;city\r\n");
  guint i;

  for (i = 1; i <= n_rows; i++)
    {
      if (i % 37 == 0)
        g_string_append_printf (data, "%u;p%u@example.com;\"two\r\nlines; \"\"%u\"\"\";Gävle\r\n",
                                i, i, i);
      else if (i % 101 == 0)
        g_string_append_printf (data, "%u;ragged\r\n", i);
      else if (i % 211 == 0)
        g_string_append_printf (data, "%u;bad@example.com;K\xf6ln;x\r\n", i);
      else if (i % 97 == 0)
        g_string_append_printf (data, "\r\n%u;p%u@example.com;;Åre\r\n", i, i);
      else
        g_string_append_printf (data, "%u;p%u@example.com;plain %u;Oslo\r\n", i, i, i);
    }
  return audience_test_write (name, data->str, data->len);
}

/* The ragged and the invalid rows of write_awkward_csv(). */
static guint
expected_problems (guint n_rows)
{
  guint n = 0;
  guint i;

  for (i = 1; i <= n_rows; i++)
    if (i % 37 != 0 && (i % 101 == 0 || i % 211 == 0))
      n++;
  return n;
}

static void
assert_model_matches_reader (PushAudienceRowModel *model,
                             const char           *path,
                             PushAudienceFormat    format)
{
  g_autoptr(TestRead) read = audience_test_read (path, format, 0, 0);
  g_autofree guint *order = NULL;
  guint n, i;

  g_assert_no_error (read->error);
  n = read->rows->len;
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, n);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (model)) == PUSH_TYPE_AUDIENCE_RECORD);

  /* Every item, in a random order (Fisher–Yates with the test's seeded generator). */
  order = g_new (guint, n);
  for (i = 0; i < n; i++)
    order[i] = i;
  for (i = n - 1; i > 0; i--)
    {
      guint j = g_test_rand_int_range (0, i + 1);
      guint t = order[i];

      order[i] = order[j];
      order[j] = t;
    }

  for (i = 0; i < n; i++)
    {
      guint position = order[i];
      TestRow *expected = g_ptr_array_index (read->rows, position);
      g_autoptr(PushAudienceRecord) record = push_audience_row_model_get_record (model, position);
      g_autofree char *text = NULL;

      g_assert_nonnull (record);
      text = audience_test_render_record (record);
      g_assert_cmpstr (text, ==, expected->text);
      g_assert_cmpuint (push_audience_record_get_number (record), ==, position + 1);
      g_assert_cmpuint (push_audience_record_get_number (record), ==, expected->number);
      g_assert_cmpuint (push_audience_record_get_line (record), ==, expected->line);
      g_assert_cmpint (push_audience_record_get_offset (record), ==, expected->offset);
      g_assert_cmpint (push_audience_record_get_problem (record), ==, expected->problem);
    }

  g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), n));
  g_assert_cmpuint (push_audience_row_model_get_problem_count (model), ==,
                    push_audience_reader_get_problem_count (read->reader));
  g_assert_cmpuint (push_audience_row_model_get_bad_row_count (model), ==,
                    push_audience_reader_get_bad_row_count (read->reader));
  g_assert_true (push_audience_fingerprint_equal (
                   push_audience_row_model_get_fingerprint (model),
                   push_audience_reader_get_fingerprint (read->reader)));
}

static void
test_random_access_csv (void)
{
  g_autofree char *path = write_awkward_csv ("model.csv", N_ROWS);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(PushAudienceRowModel) model = push_audience_row_model_new (file, 0, 0);
  g_autoptr(GError) error = NULL;
  const char * const *columns;
  guint n_columns;
  guint decoded;
  guint i;

  g_assert_false (push_audience_row_model_get_loaded (model));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), 0));

  g_assert_true (push_audience_row_model_load (model, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (push_audience_row_model_get_loaded (model));
  g_assert_cmpint (push_audience_row_model_get_delimiter (model), ==, ';');
  g_assert_cmpint (push_audience_row_model_get_format (model), ==, PUSH_AUDIENCE_FORMAT_CSV);
  columns = push_audience_row_model_get_columns (model, &n_columns);
  g_assert_cmpuint (n_columns, ==, 4);
  g_assert_cmpstr (columns[0], ==, "id");
  g_assert_cmpstr (columns[3], ==, "city");
  g_assert_cmpfloat (push_audience_row_model_get_progress (model), ==, 1.0);

  assert_model_matches_reader (model, path, PUSH_AUDIENCE_FORMAT_AUTO);
  g_assert_cmpuint (push_audience_row_model_get_problem_count (model), ==,
                    expected_problems (N_ROWS));
  g_assert_false (push_audience_row_model_get_stale (model));

  /* The cache: the same item twice decodes nothing new; a sequential scroll decodes each
   * block once. */
  g_object_unref (g_list_model_get_item (G_LIST_MODEL (model), 5000));
  decoded = push_audience_row_model_get_blocks_decoded (model);
  g_object_unref (g_list_model_get_item (G_LIST_MODEL (model), 5001));
  g_object_unref (g_list_model_get_item (G_LIST_MODEL (model), 5000));
  g_assert_cmpuint (push_audience_row_model_get_blocks_decoded (model), ==, decoded);

  for (i = 0; i < N_ROWS; i++)
    g_object_unref (g_list_model_get_item (G_LIST_MODEL (model), i));
  g_assert_cmpuint (push_audience_row_model_get_blocks_decoded (model) - decoded, <=,
                    (N_ROWS + PUSH_AUDIENCE_ROW_MODEL_CHECKPOINT_INTERVAL - 1)
                    / PUSH_AUDIENCE_ROW_MODEL_CHECKPOINT_INTERVAL);
}

static void
test_random_access_jsonl (void)
{
  g_autoptr(GString) data = g_string_new (NULL);
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(PushAudienceRowModel) model = NULL;
  g_autoptr(GError) error = NULL;
  guint i;

  for (i = 1; i <= 3000; i++)
    {
      if (i % 50 == 0)
        g_string_append (data, "{\"email\": \"broken\n");
      else if (i % 71 == 0)
        g_string_append (data, "\n");
      else
        g_string_append_printf (data, "{\"email\":\"p%u@example.com\",\"n\":%u,\"vip\":%s,"
                                "\"tags\":%s,\"ltv\":%u.5}\n",
                                i, i, i % 2 ? "true" : "null", i % 3 ? "\"a\"" : "[1]", i);
    }
  path = audience_test_write ("model.jsonl", data->str, data->len);
  file = g_file_new_for_path (path);
  model = push_audience_row_model_new (file, PUSH_AUDIENCE_FORMAT_AUTO, 0);

  g_assert_true (push_audience_row_model_load (model, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (push_audience_row_model_get_format (model), ==, PUSH_AUDIENCE_FORMAT_JSONL);
  assert_model_matches_reader (model, path, PUSH_AUDIENCE_FORMAT_AUTO);
}

static void
load_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GError **error = user_data;

  push_audience_row_model_load_finish (PUSH_AUDIENCE_ROW_MODEL (source), result, error);
}

static void
test_async_and_reload (void)
{
  g_autofree char *path = write_awkward_csv ("async.csv", 3000);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(PushAudienceRowModel) model = push_audience_row_model_new (file, 0, 0);
  g_autoptr(GError) error = NULL;
  ItemsChanged seen = { 0 };
  guint stale_notified = 0;
  guint loaded_notified = 0;
  GError *load_error = NULL;

  g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), &seen);
  g_signal_connect_swapped (model, "notify::loaded", G_CALLBACK (g_atomic_int_inc),
                            &loaded_notified);

  push_audience_row_model_load_async (model, NULL, load_done_cb, &load_error);
  while (!push_audience_row_model_get_loaded (model) && load_error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (load_error);
  g_assert_cmpuint (loaded_notified, ==, 1);

  g_assert_cmpuint (seen.emissions, ==, 1);
  g_assert_cmpuint (seen.position, ==, 0);
  g_assert_cmpuint (seen.removed, ==, 0);
  g_assert_cmpuint (seen.added, ==, 3000);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 3000);
  g_assert_cmpuint (push_audience_row_model_get_problem_count (model), ==, expected_problems (3000));

  /* The file changes under the model: it notices when it reads rows again. */
  g_free (write_awkward_csv ("async.csv", 1000));
  g_signal_connect_swapped (model, "notify::stale", G_CALLBACK (g_atomic_int_inc),
                            &stale_notified);
  g_object_unref (g_list_model_get_item (G_LIST_MODEL (model), 2500));
  g_assert_true (push_audience_row_model_get_stale (model));
  g_assert_cmpuint (stale_notified, ==, 1);

  /* Loading again replaces every item in one signal. */
  g_assert_true (push_audience_row_model_load (model, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (push_audience_row_model_get_stale (model));
  g_assert_cmpuint (seen.emissions, ==, 2);
  g_assert_cmpuint (seen.removed, ==, 3000);
  g_assert_cmpuint (seen.added, ==, 1000);
  g_assert_cmpuint (loaded_notified, ==, 1);
  assert_model_matches_reader (model, path, PUSH_AUDIENCE_FORMAT_AUTO);
}

static void
test_load_error (void)
{
  g_autofree char *path = audience_test_write ("model-empty.csv", "", 0);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(PushAudienceRowModel) model = push_audience_row_model_new (file, 0, 0);
  g_autoptr(GError) error = NULL;

  g_assert_false (push_audience_row_model_load (model, NULL, &error));
  g_assert_error (error, PUSH_AUDIENCE_ERROR, PUSH_AUDIENCE_ERROR_EMPTY);
  g_assert_false (push_audience_row_model_get_loaded (model));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  g_assert_null (push_audience_row_model_get_fingerprint (model));
}

static void
test_cancelled_load (void)
{
  g_autofree char *path = write_awkward_csv ("model-cancel.csv", 200000);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(PushAudienceRowModel) model = push_audience_row_model_new (file, 0, 0);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  GError *error = NULL;

  push_audience_row_model_load_async (model, cancellable, load_done_cb, &error);
  g_cancellable_cancel (cancellable);
  while (error == NULL && !push_audience_row_model_get_loaded (model))
    g_main_context_iteration (NULL, TRUE);

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (push_audience_row_model_get_loaded (model));
  g_clear_error (&error);
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

  g_test_add_func ("/audience/row-model/random-access-csv", test_random_access_csv);
  g_test_add_func ("/audience/row-model/random-access-jsonl", test_random_access_jsonl);
  g_test_add_func ("/audience/row-model/async-and-reload", test_async_and_reload);
  g_test_add_func ("/audience/row-model/load-error", test_load_error);
  g_test_add_func ("/audience/row-model/cancelled-load", test_cancelled_load);

  ret = g_test_run ();
  push_test_rm_rf (dir);
  return ret;
}
