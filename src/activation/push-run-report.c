/* push-run-report.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "push-run-report.h"

/* Outcome rows read from the store at a time. */
#define PAGE_SIZE 2000

static gboolean
is_formula_start (char c)
{
  return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

void
push_csv_append_cell (GString    *out,
                      const char *text)
{
  gboolean quote;

  g_return_if_fail (out != NULL);

  if (text == NULL || *text == '\0')
    return;

  quote = strpbrk (text, ",\"\r\n") != NULL || is_formula_start (text[0]);
  if (quote)
    g_string_append_c (out, '"');
  if (is_formula_start (text[0]))
    g_string_append_c (out, '\'');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  if (quote)
    g_string_append_c (out, '"');
}

char *
push_csv_escape_cell (const char *text)
{
  GString *out = g_string_new (NULL);

  push_csv_append_cell (out, text);
  return g_string_free (out, FALSE);
}

static void
append_row (GString            *out,
            const char * const *cells,
            guint               n_cells)
{
  for (guint i = 0; i < n_cells; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      push_csv_append_cell (out, cells[i]);
    }
  g_string_append (out, "\r\n");
}

gint64
push_run_report_export (PushRunStore  *runs,
                        const char    *run_id,
                        GFile         *file,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(PushRunInfo) info = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  /* The header stays in English: scripts read it. */
  static const char * const header[] = {
    "row", "dedupe_value", "outcome", "outcome_label", "lead_id", "reason_code",
    "reason_message", "detail",
  };
  guint64 offset = 0;
  gint64 written = 0;

  g_return_val_if_fail (PUSH_IS_RUN_STORE (runs), -1);
  g_return_val_if_fail (run_id != NULL, -1);
  g_return_val_if_fail (G_IS_FILE (file), -1);

  /* The run must exist, even when it has no outcome yet. */
  info = push_run_store_get_run (runs, run_id, error);
  if (info == NULL)
    return -1;

  stream = g_file_replace (file, NULL, FALSE,
                           G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                           cancellable, error);
  if (stream == NULL)
    return -1;

  append_row (out, header, G_N_ELEMENTS (header));

  for (;;)
    {
      g_autoptr(GPtrArray) page = NULL;

      page = push_run_store_list_outcomes (runs, run_id, PUSH_OUTCOME_MASK_ALL, offset,
                                           PAGE_SIZE, error);
      if (page == NULL)
        {
          g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, NULL);
          return -1;
        }

      for (guint i = 0; i < page->len; i++)
        {
          const PushOutcomeRecord *record = g_ptr_array_index (page, i);
          g_autofree char *row = g_strdup_printf ("%" G_GUINT64_FORMAT, record->row_number);
          g_autofree char *lead = record->lead_id > 0 ?
                                  g_strdup_printf ("%" G_GINT64_FORMAT, record->lead_id) : NULL;
          g_autofree char *code = record->reason_code != 0 ?
                                  g_strdup_printf ("%d", record->reason_code) : NULL;
          const char *cells[] = {
            row, record->dedupe_value, push_outcome_to_string (record->outcome),
            push_outcome_get_label (record->outcome), lead, code, record->reason_message,
            record->detail,
          };

          append_row (out, cells, G_N_ELEMENTS (cells));
          written++;
        }

      if (!g_output_stream_write_all (G_OUTPUT_STREAM (stream), out->str, out->len, NULL,
                                      cancellable, error))
        {
          g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, NULL);
          return -1;
        }
      g_string_truncate (out, 0);

      if (page->len < PAGE_SIZE)
        break;
      offset += page->len;
    }

  if (!g_output_stream_close (G_OUTPUT_STREAM (stream), cancellable, error))
    return -1;
  return written;
}
