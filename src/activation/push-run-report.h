/* push-run-report.h: a run's per-person outcomes as a CSV file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One header line, then one line per member in row order: row, dedupe value, outcome (its
 * stable nick), label, lead id, Marketo reason code, reason message, detail. RFC 4180 quoting
 * (UTF-8, CRLF line ends). Cells that a spreadsheet would read as a formula (they begin with
 * =, +, -, @, a tab or a carriage return) are neutralised with a leading single quote.
 */
#pragma once

#include <gio/gio.h>

#include "push-run-store.h"

G_BEGIN_DECLS

/* Appends @text as one CSV cell to @out (neutralised and quoted as above). */
void      push_csv_append_cell           (GString            *out,
                                          const char         *text);
/* The cell as push_csv_append_cell() writes it (newly allocated). */
char     *push_csv_escape_cell           (const char         *text);

/* Writes the report of @run_id to @file (replaced atomically). Returns the number of members
 * written, or -1 with @error. */
gint64    push_run_report_export         (PushRunStore       *runs,
                                          const char         *run_id,
                                          GFile              *file,
                                          GCancellable       *cancellable,
                                          GError            **error);

G_END_DECLS
