/* push-audience-types.h: enums and the error domain shared by the audience readers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * PushAudienceFormat:
 * @PUSH_AUDIENCE_FORMAT_AUTO: decide from the file name, then from the content
 * @PUSH_AUDIENCE_FORMAT_CSV: delimited text (RFC 4180 quoting; comma, semicolon, tab or pipe)
 * @PUSH_AUDIENCE_FORMAT_JSONL: JSON Lines, one JSON object per line
 */
typedef enum {
  PUSH_AUDIENCE_FORMAT_AUTO,
  PUSH_AUDIENCE_FORMAT_CSV,
  PUSH_AUDIENCE_FORMAT_JSONL,
} PushAudienceFormat;

/**
 * PushAudienceValueKind:
 * @PUSH_AUDIENCE_VALUE_TEXT: a text value (possibly empty); JSON strings, numbers and booleans
 *   are text too (numbers in their shortest exact form, booleans as "true"/"false")
 * @PUSH_AUDIENCE_VALUE_NULL: JSON `null`: the text is ""
 * @PUSH_AUDIENCE_VALUE_ABSENT: no value at all: the JSON object has no such key, or a CSV row
 *   has fewer fields than the header; the text is ""
 * @PUSH_AUDIENCE_VALUE_NESTED: a JSON object or array, which can't be mapped to a Marketo
 *   field; the text is ""
 */
typedef enum {
  PUSH_AUDIENCE_VALUE_TEXT,
  PUSH_AUDIENCE_VALUE_NULL,
  PUSH_AUDIENCE_VALUE_ABSENT,
  PUSH_AUDIENCE_VALUE_NESTED,
} PushAudienceValueKind;

/**
 * PushAudienceProblemKind:
 *
 * What is wrong with one row (or with the header). A row with a problem is still returned by
 * the reader, marked with the kind of its first problem, and the reader goes on with the next
 * row.
 */
typedef enum {
  PUSH_AUDIENCE_PROBLEM_NONE,
  PUSH_AUDIENCE_PROBLEM_UNTERMINATED_QUOTE, /* a quoted field never closes properly */
  PUSH_AUDIENCE_PROBLEM_STRAY_QUOTE,        /* text right after a closing quote */
  PUSH_AUDIENCE_PROBLEM_INVALID_UTF8,       /* bytes that are not UTF-8 (shown as U+FFFD) */
  PUSH_AUDIENCE_PROBLEM_FIELD_COUNT,        /* more or fewer fields than the header */
  PUSH_AUDIENCE_PROBLEM_ROW_TOO_LONG,       /* over the reader's maximum row size */
  PUSH_AUDIENCE_PROBLEM_EMPTY_HEADER,       /* a column without a name */
  PUSH_AUDIENCE_PROBLEM_DUPLICATE_HEADER,   /* two columns with the same name */
  PUSH_AUDIENCE_PROBLEM_JSON_SYNTAX,        /* a JSON Lines line that is not JSON */
  PUSH_AUDIENCE_PROBLEM_JSON_NOT_OBJECT,    /* valid JSON, but not an object */
  PUSH_AUDIENCE_PROBLEM_JSON_NESTED,        /* an object or array value: can't be mapped */
  PUSH_AUDIENCE_PROBLEM_JSON_UNKNOWN_KEY,   /* a key first seen after the sampled lines */
} PushAudienceProblemKind;

/**
 * PushAudienceFingerprintMatch:
 * @PUSH_AUDIENCE_FINGERPRINT_IDENTICAL: same size, modification time and content hash
 * @PUSH_AUDIENCE_FINGERPRINT_SAME_CONTENT: same size and content hash, but the modification
 *   time differs (the file was touched or copied, not changed)
 * @PUSH_AUDIENCE_FINGERPRINT_DIFFERENT: the content is not the same
 */
typedef enum {
  PUSH_AUDIENCE_FINGERPRINT_IDENTICAL,
  PUSH_AUDIENCE_FINGERPRINT_SAME_CONTENT,
  PUSH_AUDIENCE_FINGERPRINT_DIFFERENT,
} PushAudienceFingerprintMatch;

/**
 * PushAudienceError:
 * @PUSH_AUDIENCE_ERROR_FAILED: anything not covered below
 * @PUSH_AUDIENCE_ERROR_EMPTY: the file has no bytes (or only a byte order mark)
 * @PUSH_AUDIENCE_ERROR_NOT_TEXT: the first block holds NUL bytes or mostly binary junk
 * @PUSH_AUDIENCE_ERROR_UNSUPPORTED_ENCODING: a UTF-16 or UTF-32 byte order mark
 * @PUSH_AUDIENCE_ERROR_NO_COLUMNS: no usable header line or no JSON object in the sample
 * @PUSH_AUDIENCE_ERROR_INVALID_FINGERPRINT: push_audience_fingerprint_from_string() failed
 * @PUSH_AUDIENCE_ERROR_NOT_SEEKABLE: random access on a stream that can't seek
 * @PUSH_AUDIENCE_ERROR_CHANGED: the file changed while it was being read, or since the pass
 *   that indexed it
 *
 * Fatal errors of the audience readers: the file as a whole can't be read. Problems with
 * single rows are not errors: they are #PushAudienceProblem items. Read failures of the
 * underlying stream keep their %G_IO_ERROR domain (with a prefix), so that "not found" or
 * "permission denied" stay recognisable.
 */
#define PUSH_AUDIENCE_ERROR (push_audience_error_quark ())
typedef enum {
  PUSH_AUDIENCE_ERROR_FAILED,
  PUSH_AUDIENCE_ERROR_EMPTY,
  PUSH_AUDIENCE_ERROR_NOT_TEXT,
  PUSH_AUDIENCE_ERROR_UNSUPPORTED_ENCODING,
  PUSH_AUDIENCE_ERROR_NO_COLUMNS,
  PUSH_AUDIENCE_ERROR_INVALID_FINGERPRINT,
  PUSH_AUDIENCE_ERROR_NOT_SEEKABLE,
  PUSH_AUDIENCE_ERROR_CHANGED,
} PushAudienceError;

GQuark       push_audience_error_quark             (void);

#define PUSH_TYPE_AUDIENCE_FORMAT            (push_audience_format_get_type ())
#define PUSH_TYPE_AUDIENCE_VALUE_KIND        (push_audience_value_kind_get_type ())
#define PUSH_TYPE_AUDIENCE_PROBLEM_KIND      (push_audience_problem_kind_get_type ())
#define PUSH_TYPE_AUDIENCE_FINGERPRINT_MATCH (push_audience_fingerprint_match_get_type ())

GType        push_audience_format_get_type            (void) G_GNUC_CONST;
GType        push_audience_value_kind_get_type        (void) G_GNUC_CONST;
GType        push_audience_problem_kind_get_type      (void) G_GNUC_CONST;
GType        push_audience_fingerprint_match_get_type (void) G_GNUC_CONST;

/* "18,204": a count with the locale's thousands separator (a comma when the locale has none),
 * as the human messages of this area write row numbers. */
char        *push_audience_format_count            (guint64 count);

G_END_DECLS
