/* push-audience-reader.h: streaming reader for CSV and JSON Lines audience files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "push-audience-fingerprint.h"
#include "push-audience-problem.h"
#include "push-audience-types.h"

G_BEGIN_DECLS

/* Reads happen in blocks of this size (the first block is also what format, delimiter and
 * "is this text at all" are decided on). */
#define PUSH_AUDIENCE_READER_DEFAULT_CHUNK_SIZE   (1024 * 1024)
/* A row (with its quoted line breaks) longer than this is skipped as ROW_TOO_LONG: the
 * bound on the reader's memory, whatever the file. */
#define PUSH_AUDIENCE_READER_DEFAULT_MAX_ROW_SIZE (8 * 1024 * 1024)
/* Problems kept in the list; all of them are counted. */
#define PUSH_AUDIENCE_READER_DEFAULT_MAX_PROBLEMS 1000
/* JSON Lines: the columns are the keys of the objects on the first lines, up to this many
 * lines or 1 MiB. */
#define PUSH_AUDIENCE_READER_JSONL_SAMPLE_LINES   1000

/**
 * PushAudienceValue:
 * @text: the value, NUL-terminated, valid UTF-8 ("" unless @kind is TEXT)
 * @length: its length in bytes
 * @kind: text, JSON null, absent, or a nested JSON value
 */
typedef struct {
  const char            *text;
  gsize                  length;
  PushAudienceValueKind  kind;
} PushAudienceValue;

/**
 * PushAudienceRow:
 * @number: the 1-based data row number (the header is not counted, blank lines are skipped
 *   and not counted)
 * @line: the 1-based file line where the row starts
 * @offset: the byte offset in the file where the row starts
 * @n_values: always the number of columns: missing fields are ABSENT, extra fields dropped
 * @n_fields: the number of fields (CSV) or keys (JSON Lines) the row really had
 * @values: @n_values values
 * @problem: PUSH_AUDIENCE_PROBLEM_NONE, or the kind of the first problem on this row (which is
 *   also in the reader's problem list while that list has room)
 *
 * A view owned by the reader: it and every value in it stay valid until the next call of
 * push_audience_reader_next_row(), or until the reader is finalized.
 */
typedef struct {
  guint64                   number;
  guint64                   line;
  goffset                   offset;
  guint                     n_values;
  guint                     n_fields;
  const PushAudienceValue  *values;
  PushAudienceProblemKind   problem;
} PushAudienceRow;

#define PUSH_TYPE_AUDIENCE_READER (push_audience_reader_get_type ())
G_DECLARE_FINAL_TYPE (PushAudienceReader, push_audience_reader, PUSH, AUDIENCE_READER, GObject)

/* @delimiter: ',', ';', '\t' or '|', or 0 to sniff it (CSV only). */
PushAudienceReader        *push_audience_reader_new_for_file     (GFile               *file,
                                                                  PushAudienceFormat   format,
                                                                  char                 delimiter);
PushAudienceReader        *push_audience_reader_new_for_path     (const char          *path,
                                                                  PushAudienceFormat   format,
                                                                  char                 delimiter);
/* A stream that is not a file (stdin, a pipe): AUTO looks at the content only, the
 * fingerprint has mtime 0, and random access works only if the stream is seekable. */
PushAudienceReader        *push_audience_reader_new_for_stream   (GInputStream        *stream,
                                                                  PushAudienceFormat   format,
                                                                  char                 delimiter);

/* Settings, before open(). The chunk size is the size of each read (tests make it tiny so
 * that quotes, CRLF and UTF-8 sequences straddle reads). */
void                       push_audience_reader_set_chunk_size   (PushAudienceReader  *self,
                                                                  gsize                chunk_size);
void                       push_audience_reader_set_max_row_size (PushAudienceReader  *self,
                                                                  gsize                max_row_size);
void                       push_audience_reader_set_max_problems (PushAudienceReader  *self,
                                                                  guint                max_problems);
/* TRUE by default. A pass over a file whose fingerprint the caller already holds (the sending
 * pass of a run, after its fingerprinted first pass) can skip the SHA-256: the file is still
 * checked for changes (size and mtime) at the end, and get_fingerprint() returns NULL. */
void                       push_audience_reader_set_fingerprint  (PushAudienceReader  *self,
                                                                  gboolean             compute);

/* Opens the file, reads the first block, rejects what is not text (NOT_TEXT, EMPTY,
 * UNSUPPORTED_ENCODING), settles the format and the delimiter, and reads the header (CSV) or
 * samples the keys (JSON Lines). Problems in the header go to the problem list. */
gboolean                   push_audience_reader_open             (PushAudienceReader  *self,
                                                                  GCancellable        *cancellable,
                                                                  GError             **error);

/* After open(): the format and delimiter used (the requested ones before). */
PushAudienceFormat         push_audience_reader_get_format       (PushAudienceReader  *self);
char                       push_audience_reader_get_delimiter    (PushAudienceReader  *self);
/* After open(): the column names, NULL-terminated (trimmed; an empty name stays ""). */
const char * const        *push_audience_reader_get_columns      (PushAudienceReader  *self,
                                                                  guint               *n_columns);
gboolean                   push_audience_reader_get_had_bom      (PushAudienceReader  *self);

/* The next row, or FALSE at the end of the file (error unset) or on a fatal error (a read
 * failure, cancellation, the file changing under the reader). Bad rows are returned too,
 * with their problem set. */
gboolean                   push_audience_reader_next_row         (PushAudienceReader  *self,
                                                                  const PushAudienceRow **row,
                                                                  GCancellable        *cancellable,
                                                                  GError             **error);

/* Rows returned so far. */
guint64                    push_audience_reader_get_row_count    (PushAudienceReader  *self);
/* Rows returned so far that had a problem. */
guint64                    push_audience_reader_get_bad_row_count (PushAudienceReader *self);
/* Bytes consumed so far and the file size when known (0 otherwise): for progress. */
guint64                    push_audience_reader_get_position     (PushAudienceReader  *self);
guint64                    push_audience_reader_get_size         (PushAudienceReader  *self);

/* The first max-problems problems (element type PushAudienceProblem), and how many there
 * were in all. */
GPtrArray                 *push_audience_reader_get_problems     (PushAudienceReader  *self);
guint64                    push_audience_reader_get_problem_count (PushAudienceReader *self);

/* Once next_row() has returned FALSE at the end of a sequential pass: the fingerprint of the
 * bytes read (size, mtime at open, SHA-256). NULL before that. */
PushAudienceFingerprint   *push_audience_reader_get_fingerprint  (PushAudienceReader  *self);

/* The value of @row in column @column, as a NUL-terminated string ("" when absent). */
const char                *push_audience_row_get_text            (const PushAudienceRow *row,
                                                                  guint                  column);

G_END_DECLS
