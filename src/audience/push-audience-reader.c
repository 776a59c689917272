/* push-audience-reader.c: streaming reader for CSV and JSON Lines audience files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How it reads. The file comes in through one buffer, in reads of chunk-size bytes (1 MiB by
 * default); only the row being parsed and the rest of the current block are in memory. A row
 * is scanned with memchr() (the line break, then each delimiter, or the closing quote of a
 * quoted field), which keeps the per-byte work inside libc's vectorised loops. The scan does
 * not write: if the row runs past the end of the buffer, the unparsed tail moves to the front,
 * at least as many bytes again are read (so a long row costs linear time), and the row is
 * scanned again. Once a row is complete, its fields are finished in place: doubled quotes are
 * collapsed and each field gets a NUL where its delimiter, quote or line break was, so the
 * values handed out point into the buffer and nothing is allocated per field. UTF-8 is checked
 * once per row (a word-at-a-time ASCII test, g_utf8_validate_len() only for rows with
 * non-ASCII bytes); a row that fails is checked field by field to name the column, and only
 * its bad fields are copied (with U+FFFD for the bad bytes).
 *
 * Every byte read also goes through SHA-256 (see push-audience-fingerprint.h), so the pass
 * that counts the rows also yields the fingerprint.
 *
 * Rows and lines. Row numbers count data rows from 1 (the header is not a row, blank lines are
 * skipped and not counted); lines are the file's physical lines from 1. Both are in every row
 * and problem; messages name the row.
 *
 * Recovery. A problem never stops the reader: the row is returned with its problem kind and
 * the reader goes on. A quoted field that is still open at the end of the file, or that closes
 * on a later line and is followed by text (the usual sign of a missing closing quote), is cut
 * at the end of the line where it opened, and reading resumes on the next line. A row longer
 * than max-row-size is skipped up to the next line break.
 *
 * JSON Lines. The columns are the union of the keys of the objects on the first
 * PUSH_AUDIENCE_READER_JSONL_SAMPLE_LINES lines (or the first MiB), in first-seen order. A key
 * that first appears later is not added (the columns would change under a mapping the user
 * already made): it is reported once, as a JSON_UNKNOWN_KEY problem that says its values are
 * ignored.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "push-audience-private.h"
#include "push-audience-reader.h"

#define SNIFF_MAX_LINES     20
#define BINARY_SAMPLE_SIZE  (64 * 1024)
#define JSONL_SAMPLE_BYTES  (1024 * 1024)
#define MIN_CHUNK_SIZE      1

typedef enum {
  FIELD_QUOTED  = 1 << 0,
  FIELD_ESCAPED = 1 << 1,
} FieldFlags;

typedef struct {
  char  *start;
  gsize  len;
  guint  flags;
} Field;

typedef enum {
  SCAN_DONE,
  SCAN_NEED_MORE,
} ScanResult;

typedef struct {
  gsize                    end;            /* buffer index after the row and its line break */
  guint                    extra_lines;    /* line breaks inside its quoted fields */
  PushAudienceProblemKind  problem;
  guint                    problem_column;
  gsize                    quote_start;    /* NEED_MORE inside a quoted field: its quote */
} Scan;

typedef enum {
  NEXT_ROW,
  NEXT_EOF,
  NEXT_ERROR,
} NextResult;

struct _PushAudienceReader
{
  GObject                  parent_instance;

  GFile                   *file;            /* (owned) (nullable) */
  GInputStream            *stream;          /* (owned) (nullable) */
  PushAudienceFormat       format;
  char                     delimiter;
  gsize                    chunk_size;
  gsize                    max_row_size;
  guint                    max_problems;
  guint                    opened : 1;
  guint                    finished : 1;
  guint                    had_bom : 1;

  /* buf[pos, len) is read but not parsed; buf[len] is spare room for a NUL */
  char                    *buf;             /* (owned) */
  gsize                    cap;
  gsize                    len;
  gsize                    pos;
  goffset                  buf_offset;      /* file offset of buf[0] */
  gboolean                 eof;

  struct sha256_ctx        sha;
  gboolean                 hashing;
  gboolean                 skip_hash;     /* set_fingerprint (FALSE) */
  gboolean                 have_stamp;
  guint64                  stamp_size;
  gint64                   stamp_mtime;
  guint64                  bytes_read;
  PushAudienceFingerprint *fingerprint;     /* (owned) (nullable) */

  GPtrArray               *columns;         /* (owned) (element-type utf8), NULL-terminated */
  GHashTable              *column_index;    /* (owned) JSONL: name → index + 1 */
  GHashTable              *unknown_keys;    /* (owned) JSONL: keys already reported */
  guint                    sample_lines;

  guint64                  rows;
  guint64                  bad_rows;
  guint64                  line;            /* the file line where the next row starts */

  Field                   *fields;          /* (owned) */
  guint                    fields_cap;
  guint                    n_fields;
  PushAudienceValue       *values;          /* (owned) one per column */
  PushAudienceRow          row;
  GPtrArray               *scratch;         /* (owned) strings owned by the current row */

  GPtrArray               *problems;        /* (owned) (element-type PushAudienceProblem) */
  guint64                  n_problems;

  JsonParser              *parser;          /* (owned) (nullable) */
};

G_DEFINE_FINAL_TYPE (PushAudienceReader, push_audience_reader, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FILE,
  PROP_STREAM,
  PROP_FORMAT,
  PROP_DELIMITER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
is_valid_delimiter (char c)
{
  return c == ',' || c == ';' || c == '\t' || c == '|';
}

/* TRUE when the bytes are all ASCII and none is NUL: a word at a time. */
static inline gboolean
is_plain_ascii (const char *s,
                gsize       n)
{
  const guint64 ones = G_GUINT64_CONSTANT (0x0101010101010101);
  const guint64 highs = G_GUINT64_CONSTANT (0x8080808080808080);
  guint64 bad = 0;
  gsize i = 0;

  for (; i + 8 <= n; i += 8)
    {
      guint64 word;

      memcpy (&word, s + i, sizeof word);
      bad |= word | ((word - ones) & ~word);
    }
  bad &= highs;
  for (; i < n; i++)
    bad |= (guchar) s[i] == 0 || (guchar) s[i] >= 0x80;

  return bad == 0;
}

static inline gboolean
is_valid_utf8 (const char *s,
               gsize       n)
{
  return is_plain_ascii (s, n) || _push_audience_utf8_validate (s, n);
}

/* The same answer as g_utf8_validate_len() (RFC 3629: no overlong forms, no surrogates,
 * nothing above U+10FFFF, and no NUL), but ASCII runs go 8 bytes at a time: most rows of a
 * real audience have a name or a city with an accent somewhere, and the byte-at-a-time
 * validator would cost as much as all the parsing. */
gboolean
_push_audience_utf8_validate (const char *str,
                              gsize       n)
{
  const guchar *s = (const guchar *) str;
  const guchar *end = s + n;

  while (s < end)
    {
      guchar c = *s;

      if (c < 0x80)
        {
          if (end - s >= 8)
            {
              guint64 word;

              memcpy (&word, s, sizeof word);
              if (((word | ((word - G_GUINT64_CONSTANT (0x0101010101010101)) & ~word))
                   & G_GUINT64_CONSTANT (0x8080808080808080)) == 0)
                {
                  s += 8;
                  continue;
                }
            }
          if (c == 0)
            return FALSE;
          s++;
        }
      else if (c >= 0xc2 && c <= 0xdf)
        {
          if (end - s < 2 || (s[1] & 0xc0) != 0x80)
            return FALSE;
          s += 2;
        }
      else if (c >= 0xe0 && c <= 0xef)
        {
          guchar lo = (c == 0xe0) ? 0xa0 : 0x80;
          guchar hi = (c == 0xed) ? 0x9f : 0xbf;

          if (end - s < 3 || s[1] < lo || s[1] > hi || (s[2] & 0xc0) != 0x80)
            return FALSE;
          s += 3;
        }
      else if (c >= 0xf0 && c <= 0xf4)
        {
          guchar lo = (c == 0xf0) ? 0x90 : 0x80;
          guchar hi = (c == 0xf4) ? 0x8f : 0xbf;

          if (end - s < 4 || s[1] < lo || s[1] > hi || (s[2] & 0xc0) != 0x80
              || (s[3] & 0xc0) != 0x80)
            return FALSE;
          s += 4;
        }
      else
        return FALSE;
    }

  return TRUE;
}

static guint
count_breaks (const char *start,
              const char *end)
{
  guint n = 0;

  while (start < end && (start = memchr (start, '\n', end - start)) != NULL)
    {
      n++;
      start++;
    }
  return n;
}

static gboolean
is_blank (const char *start,
          const char *end)
{
  for (; start < end; start++)
    if (!g_ascii_isspace (*start))
      return FALSE;
  return TRUE;
}

static void
add_problem (PushAudienceReader      *self,
             guint64                  row,
             guint64                  line,
             guint                    column,
             PushAudienceProblemKind  kind,
             const char              *format,
             ...) G_GNUC_PRINTF (6, 7);

static void
add_problem (PushAudienceReader      *self,
             guint64                  row,
             guint64                  line,
             guint                    column,
             PushAudienceProblemKind  kind,
             const char              *format,
             ...)
{
  g_autofree char *reason = NULL;
  g_autofree char *message = NULL;
  va_list args;

  self->n_problems++;
  if (self->problems->len >= self->max_problems)
    return;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);

  if (row == 0 && column > 0)
    message = g_strdup_printf (_("Header, column %u: %s"), column, reason);
  else if (row == 0)
    message = g_strdup_printf (_("Header: %s"), reason);
  else
    {
      g_autofree char *number = push_audience_format_count (row);

      if (column > 0)
        message = g_strdup_printf (_("Row %s, column %u: %s"), number, column, reason);
      else
        message = g_strdup_printf (_("Row %s: %s"), number, reason);
    }

  g_ptr_array_add (self->problems, push_audience_problem_new (row, line, column, kind, message));
}

static const char *
describe_problem (PushAudienceProblemKind kind)
{
  switch (kind)
    {
    case PUSH_AUDIENCE_PROBLEM_UNTERMINATED_QUOTE:
      return _("unterminated quoted field");
    case PUSH_AUDIENCE_PROBLEM_STRAY_QUOTE:
      return _("unexpected text after a closing quote");
    case PUSH_AUDIENCE_PROBLEM_INVALID_UTF8:
      return _("invalid UTF-8 text");
    case PUSH_AUDIENCE_PROBLEM_EMPTY_HEADER:
      return _("the column has no name");
    case PUSH_AUDIENCE_PROBLEM_JSON_NOT_OBJECT:
      return _("the line is valid JSON but not an object");
    case PUSH_AUDIENCE_PROBLEM_NONE:
    case PUSH_AUDIENCE_PROBLEM_FIELD_COUNT:
    case PUSH_AUDIENCE_PROBLEM_ROW_TOO_LONG:
    case PUSH_AUDIENCE_PROBLEM_DUPLICATE_HEADER:
    case PUSH_AUDIENCE_PROBLEM_JSON_SYNTAX:
    case PUSH_AUDIENCE_PROBLEM_JSON_NESTED:
    case PUSH_AUDIENCE_PROBLEM_JSON_UNKNOWN_KEY:
    default:
      break;
    }

  g_return_val_if_reached (_("the row could not be read"));
}

/* Reads until at least @want more bytes are in the buffer, or the end of the stream. The
 * unparsed bytes move to the front first. Each read asks for chunk_size bytes at most. */
static gboolean
read_more (PushAudienceReader  *self,
           gsize                want,
           GCancellable        *cancellable,
           GError             **error)
{
  gsize target;

  if (self->pos > 0)
    {
      memmove (self->buf, self->buf + self->pos, self->len - self->pos);
      self->buf_offset += self->pos;
      self->len -= self->pos;
      self->pos = 0;
    }

  target = self->len + MAX (want, 1);
  while (!self->eof && self->len < target)
    {
      gssize n;

      if (self->cap - self->len < self->chunk_size)
        {
          self->cap = MAX (self->cap * 2, self->len + self->chunk_size);
          self->buf = g_realloc (self->buf, self->cap + 1);
        }

      n = g_input_stream_read (self->stream, self->buf + self->len,
                               MIN (self->chunk_size, self->cap - self->len),
                               cancellable, error);
      if (n < 0)
        {
          g_prefix_error (error, _("Could not read the audience file: "));
          return FALSE;
        }
      if (n == 0)
        {
          self->eof = TRUE;
          break;
        }

      if (self->hashing && !self->skip_hash)
        sha256_update (&self->sha, n, (const guint8 *) self->buf + self->len);
      self->bytes_read += n;
      self->len += n;
    }

  return TRUE;
}

static Field *
next_field (PushAudienceReader *self,
            guint               n)
{
  if (G_UNLIKELY (n == self->fields_cap))
    {
      self->fields_cap = MAX (16, self->fields_cap * 2);
      self->fields = g_renew (Field, self->fields, self->fields_cap);
    }
  return &self->fields[n];
}

static void
set_scan_problem (Scan                    *scan,
                  PushAudienceProblemKind  kind,
                  guint                    column)
{
  if (scan->problem == PUSH_AUDIENCE_PROBLEM_NONE)
    {
      scan->problem = kind;
      scan->problem_column = column;
    }
}

/* A quote opened at @open (field @n, 1-based) does not close properly: the field keeps the
 * rest of that line, and the row ends with the line. */
static ScanResult
cut_unterminated (PushAudienceReader *self,
                  Scan               *scan,
                  char               *open,
                  guint               n)
{
  char *end = self->buf + self->len;
  char *nl = memchr (open + 1, '\n', end - open - 1);
  Field *f = &self->fields[n - 1];

  if (nl == NULL)
    nl = end;

  f->start = open + 1;
  if (nl > f->start && nl[-1] == '\r')
    f->len = nl - 1 - f->start;
  else
    f->len = nl - f->start;
  f->flags = 0;

  set_scan_problem (scan, PUSH_AUDIENCE_PROBLEM_UNTERMINATED_QUOTE, n);
  self->n_fields = n;
  scan->end = (nl == end) ? self->len : (gsize) (nl + 1 - self->buf);
  return SCAN_DONE;
}

/* Scans the CSV row at buf[pos]: fills self->fields and @scan, writes nothing. */
static ScanResult
scan_csv_row (PushAudienceReader *self,
              Scan               *scan)
{
  char *const end = self->buf + self->len;
  const char delim = self->delimiter;
  const gboolean eof = self->eof;
  char *p = self->buf + self->pos;
  char *nl = NULL;
  guint n = 0;

  scan->extra_lines = 0;
  scan->problem = PUSH_AUDIENCE_PROBLEM_NONE;
  scan->problem_column = 0;
  scan->quote_start = G_MAXSIZE;

  for (;;)
    {
      Field *f = next_field (self, n++);

      if (p < end && *p == '"')
        {
          char *open = p;
          char *q = p + 1;
          char *close;
          guint flags = FIELD_QUOTED;
          guint breaks;

          for (;;)
            {
              close = memchr (q, '"', end - q);
              if (close == NULL || (close + 1 == end && !eof))
                {
                  if (!eof)
                    {
                      scan->quote_start = open - self->buf;
                      return SCAN_NEED_MORE;
                    }
                  break;
                }
              if (close + 1 < end && close[1] == '"')
                {
                  flags |= FIELD_ESCAPED;
                  q = close + 2;
                  continue;
                }
              break;
            }

          if (close == NULL)
            return cut_unterminated (self, scan, open, n);

          breaks = count_breaks (open + 1, close);
          f->start = open + 1;
          f->len = close - f->start;
          f->flags = flags;
          p = close + 1;

          if (p == end)
            {
              scan->extra_lines += breaks;
              break;
            }
          if (*p == delim)
            {
              scan->extra_lines += breaks;
              p++;
              continue;
            }
          if (*p == '\n')
            {
              scan->extra_lines += breaks;
              p++;
              break;
            }
          if (*p == '\r')
            {
              if (p + 1 == end && !eof)
                return SCAN_NEED_MORE;
              if (p + 1 == end || p[1] == '\n')
                {
                  scan->extra_lines += breaks;
                  p += (p + 1 == end) ? 1 : 2;
                  break;
                }
            }

          /* Text after the closing quote. If the quoted text spans lines, the quote that
           * "closed" it most likely opened another field further down: the real mistake is
           * an opening quote that never closed. */
          if (breaks > 0)
            return cut_unterminated (self, scan, open, n);

          set_scan_problem (scan, PUSH_AUDIENCE_PROBLEM_STRAY_QUOTE, n);
          scan->extra_lines += breaks;
          nl = memchr (p, '\n', end - p);
          if (nl == NULL)
            {
              if (!eof)
                return SCAN_NEED_MORE;
              nl = end;
            }
          q = memchr (p, delim, nl - p);
          if (q != NULL)
            {
              p = q + 1;
              continue;
            }
          p = (nl == end) ? end : nl + 1;
          break;
        }
      else
        {
          char *d;

          /* nl: the line break ending this row, or the end of the buffer when there is
           * none yet (a field that ends at a delimiter is complete even then) */
          if (nl == NULL || nl < p)
            {
              nl = memchr (p, '\n', end - p);
              if (nl == NULL)
                nl = end;
            }

          d = memchr (p, delim, nl - p);
          f->start = p;
          f->flags = 0;
          if (d != NULL)
            {
              f->len = d - p;
              p = d + 1;
              continue;
            }
          if (nl == end && !eof)
            return SCAN_NEED_MORE;

          f->len = (nl > p && nl[-1] == '\r') ? (gsize) (nl - 1 - p) : (gsize) (nl - p);
          p = (nl == end) ? end : nl + 1;
          break;
        }
    }

  self->n_fields = n;
  scan->end = p - self->buf;
  return SCAN_DONE;
}

static gboolean
scan_is_blank_line (PushAudienceReader *self,
                    const Scan         *scan)
{
  return self->n_fields == 1 && self->fields[0].len == 0
         && (self->fields[0].flags & FIELD_QUOTED) == 0
         && scan->problem == PUSH_AUDIENCE_PROBLEM_NONE;
}

/* Collapses doubled quotes and NUL-terminates every field of the scanned row, in place. */
static void
finish_fields (PushAudienceReader *self)
{
  guint i;

  for (i = 0; i < self->n_fields; i++)
    {
      Field *f = &self->fields[i];

      if (f->flags & FIELD_ESCAPED)
        {
          char *r = f->start;
          char *w = f->start;
          char *e = f->start + f->len;

          while (r < e)
            {
              char *quote = memchr (r, '"', e - r);
              gsize run = (quote != NULL) ? (gsize) (quote + 1 - r) : (gsize) (e - r);

              memmove (w, r, run);
              w += run;
              r += run + (quote != NULL ? 1 : 0);
            }
          f->len = w - f->start;
        }
      f->start[f->len] = '\0';
    }
}

/* For a row whose bytes are not all valid UTF-8: replaces each bad field by a valid copy and
 * returns the 1-based column of the first one (0 if only dropped text was bad). */
static guint
repair_fields (PushAudienceReader *self)
{
  guint first_bad = 0;
  guint i;

  for (i = 0; i < self->n_fields; i++)
    {
      Field *f = &self->fields[i];
      char *valid;

      if (g_utf8_validate_len (f->start, f->len, NULL))
        continue;

      valid = g_utf8_make_valid (f->start, f->len);
      g_ptr_array_add (self->scratch, valid);
      f->start = valid;
      f->len = strlen (valid);
      if (first_bad == 0)
        first_bad = i + 1;
    }

  return first_bad;
}

static void
begin_row (PushAudienceReader *self,
           gsize               start)
{
  self->rows++;
  self->row.number = self->rows;
  self->row.line = self->line;
  self->row.offset = self->buf_offset + start;
  self->row.problem = PUSH_AUDIENCE_PROBLEM_NONE;
  self->row.n_fields = 0;
  if (self->scratch->len > 0)
    g_ptr_array_set_size (self->scratch, 0);
}

static void
clear_values (PushAudienceReader *self)
{
  guint i;

  for (i = 0; i < self->columns->len; i++)
    {
      self->values[i].text = "";
      self->values[i].length = 0;
      self->values[i].kind = PUSH_AUDIENCE_VALUE_ABSENT;
    }
}

static void
end_row (PushAudienceReader      *self,
         PushAudienceProblemKind  problem)
{
  self->row.problem = problem;
  if (problem != PUSH_AUDIENCE_PROBLEM_NONE)
    self->bad_rows++;
}

static void
emit_csv_row (PushAudienceReader *self,
              const Scan         *scan)
{
  const guint n_columns = self->columns->len;
  const char *raw = self->buf + self->pos;
  PushAudienceProblemKind problem = scan->problem;
  guint column = scan->problem_column;
  gboolean valid;
  guint i;

  begin_row (self, self->pos);
  valid = is_valid_utf8 (raw, scan->end - self->pos);
  finish_fields (self);
  if (!valid)
    {
      guint bad = repair_fields (self);

      if (bad > 0 && problem == PUSH_AUDIENCE_PROBLEM_NONE)
        {
          problem = PUSH_AUDIENCE_PROBLEM_INVALID_UTF8;
          column = bad;
        }
    }

  for (i = 0; i < n_columns; i++)
    {
      PushAudienceValue *value = &self->values[i];

      if (i < self->n_fields)
        {
          value->text = self->fields[i].start;
          value->length = self->fields[i].len;
          value->kind = PUSH_AUDIENCE_VALUE_TEXT;
        }
      else
        {
          value->text = "";
          value->length = 0;
          value->kind = PUSH_AUDIENCE_VALUE_ABSENT;
        }
    }

  self->row.n_fields = self->n_fields;
  if (self->n_fields != n_columns && problem == PUSH_AUDIENCE_PROBLEM_NONE)
    {
      problem = PUSH_AUDIENCE_PROBLEM_FIELD_COUNT;
      column = MIN (self->n_fields, n_columns) + 1;
    }

  switch (problem)
    {
    case PUSH_AUDIENCE_PROBLEM_NONE:
      break;
    case PUSH_AUDIENCE_PROBLEM_FIELD_COUNT:
      add_problem (self, self->row.number, self->row.line, column, problem,
                   g_dngettext (GETTEXT_PACKAGE, "expected %u field, found %u",
                                "expected %u fields, found %u", n_columns),
                   n_columns, self->n_fields);
      break;
    case PUSH_AUDIENCE_PROBLEM_UNTERMINATED_QUOTE:
    case PUSH_AUDIENCE_PROBLEM_STRAY_QUOTE:
    case PUSH_AUDIENCE_PROBLEM_INVALID_UTF8:
    case PUSH_AUDIENCE_PROBLEM_ROW_TOO_LONG:
    case PUSH_AUDIENCE_PROBLEM_EMPTY_HEADER:
    case PUSH_AUDIENCE_PROBLEM_DUPLICATE_HEADER:
    case PUSH_AUDIENCE_PROBLEM_JSON_SYNTAX:
    case PUSH_AUDIENCE_PROBLEM_JSON_NOT_OBJECT:
    case PUSH_AUDIENCE_PROBLEM_JSON_NESTED:
    case PUSH_AUDIENCE_PROBLEM_JSON_UNKNOWN_KEY:
    default:
      add_problem (self, self->row.number, self->row.line, column, problem, "%s",
                   describe_problem (problem));
      break;
    }

  self->line += 1 + scan->extra_lines;
  self->pos = scan->end;
  end_row (self, problem);
}

/* Skips past the next line break (or to the end of the file), reading as needed. */
static gboolean
skip_line (PushAudienceReader  *self,
           gsize                from,
           GCancellable        *cancellable,
           GError             **error)
{
  self->pos = from;
  for (;;)
    {
      char *nl = memchr (self->buf + self->pos, '\n', self->len - self->pos);

      if (nl != NULL)
        {
          self->pos = nl + 1 - self->buf;
          return TRUE;
        }
      self->pos = self->len;
      if (self->eof)
        return TRUE;
      if (!read_more (self, self->chunk_size, cancellable, error))
        return FALSE;
    }
}

/* The row at buf[pos] is longer than max-row-size: emits it, empty, as ROW_TOO_LONG and skips
 * it. Inside a quoted field that has a line break in the buffer, the row ends with the line
 * where the quote opened (as for an unterminated quote); otherwise at the next line break. */
static gboolean
emit_too_long_row (PushAudienceReader  *self,
                   const Scan          *scan,
                   GCancellable        *cancellable,
                   GError             **error)
{
  g_autofree char *limit = g_format_size_full (self->max_row_size, G_FORMAT_SIZE_IEC_UNITS);
  gsize row_start = self->pos;
  gsize resume = self->pos;
  guint breaks_before = 0;

  begin_row (self, row_start);
  clear_values (self);
  if (scan->quote_start != G_MAXSIZE)
    {
      char *quote = self->buf + scan->quote_start;
      char *nl = memchr (quote + 1, '\n', self->len - scan->quote_start - 1);

      breaks_before = count_breaks (self->buf + row_start, quote);
      if (nl != NULL)
        resume = nl - self->buf;
      add_problem (self, self->row.number, self->row.line, 0, PUSH_AUDIENCE_PROBLEM_ROW_TOO_LONG,
                   _("a quoted field runs over %s without closing, so the row was skipped"),
                   limit);
    }
  else
    {
      add_problem (self, self->row.number, self->row.line, 0, PUSH_AUDIENCE_PROBLEM_ROW_TOO_LONG,
                   _("the row is longer than %s, so it was skipped"), limit);
    }

  self->line += 1 + breaks_before;
  end_row (self, PUSH_AUDIENCE_PROBLEM_ROW_TOO_LONG);
  return skip_line (self, resume, cancellable, error);
}

static NextResult
next_csv_row (PushAudienceReader  *self,
              GCancellable        *cancellable,
              GError             **error)
{
  for (;;)
    {
      Scan scan;

      if (self->pos == self->len)
        {
          if (self->eof)
            return NEXT_EOF;
          if (!read_more (self, self->chunk_size, cancellable, error))
            return NEXT_ERROR;
          continue;
        }

      if (scan_csv_row (self, &scan) == SCAN_NEED_MORE)
        {
          gsize partial = self->len - self->pos;

          if (partial >= self->max_row_size)
            return emit_too_long_row (self, &scan, cancellable, error) ? NEXT_ROW : NEXT_ERROR;
          if (!read_more (self, partial, cancellable, error))
            return NEXT_ERROR;
          continue;
        }

      if (scan_is_blank_line (self, &scan))
        {
          self->pos = scan.end;
          self->line++;
          continue;
        }

      emit_csv_row (self, &scan);
      return NEXT_ROW;
    }
}

/* The shortest text that reads back as the same double: 19.99 stays "19.99" (json-glib
 * keeps no number text of its own). */
static char *
format_double (double value)
{
  static const char * const formats[] = { "%.15g", "%.16g", "%.17g" };
  char text[G_ASCII_DTOSTR_BUF_SIZE];
  guint i;

  for (i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (text, sizeof text, formats[i], value);
      if (g_ascii_strtod (text, NULL) == value)
        break;
    }
  return g_strdup (text);
}

static void
set_json_text (PushAudienceReader *self,
               guint               column,
               char               *owned_text)
{
  g_ptr_array_add (self->scratch, owned_text);
  self->values[column].text = owned_text;
  self->values[column].length = strlen (owned_text);
  self->values[column].kind = PUSH_AUDIENCE_VALUE_TEXT;
}

/* Where the JSON value that starts at @p ends, or NULL when it does not end on this line.
 * Only the extent is found here (json-glib checks the syntax): json-glib 1.6 takes
 * `{"a":1}{"b":2}` or `true{…}` for their first value alone, and leaks the rest, so such
 * lines are caught first and reported. */
static const char *
json_value_end (const char *p,
                const char *end)
{
  gboolean in_string = FALSE;
  guint depth = 0;

  if (*p != '{' && *p != '[' && *p != '"')
    {
      while (p < end && !g_ascii_isspace (*p) && strchr ("{}[],:\"", *p) == NULL)
        p++;
      return p;
    }

  for (; p < end; p++)
    {
      char c = *p;

      if (in_string)
        {
          if (c == '\\')
            p++;
          else if (c == '"')
            {
              in_string = FALSE;
              if (depth == 0)
                return p + 1;
            }
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '{' || c == '[')
        depth++;
      else if ((c == '}' || c == ']') && depth > 0 && --depth == 0)
        return p + 1;
    }

  return NULL;
}

/* TRUE when the line holds more than one JSON value ("{…} {…}", "true{…}"). */
static gboolean
json_has_trailing_value (const char *start,
                         const char *end)
{
  const char *value_end;

  while (start < end && g_ascii_isspace (*start))
    start++;
  if (start == end)
    return FALSE;
  value_end = json_value_end (start, end);
  return value_end != NULL && !is_blank (value_end, end);
}

static void
emit_json_row (PushAudienceReader *self,
               const char         *start,
               const char         *end)
{
  g_autoptr(GError) local_error = NULL;
  PushAudienceProblemKind problem = PUSH_AUDIENCE_PROBLEM_NONE;
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;
  JsonNode *root;

  begin_row (self, start - self->buf);
  clear_values (self);
  self->line++;

  if (!is_valid_utf8 (start, end - start))
    {
      problem = PUSH_AUDIENCE_PROBLEM_INVALID_UTF8;
      add_problem (self, self->row.number, self->row.line, 0, problem, "%s",
                   describe_problem (problem));
      end_row (self, problem);
      return;
    }

  if (json_has_trailing_value (start, end))
    {
      problem = PUSH_AUDIENCE_PROBLEM_JSON_SYNTAX;
      add_problem (self, self->row.number, self->row.line, 0, problem, "%s",
                   _("not valid JSON (more text after the first value; one object per line)"));
      end_row (self, problem);
      return;
    }

  if (!json_parser_load_from_data (self->parser, start, end - start, &local_error))
    {
      const char *detail = local_error->message;
      guint line = 0, column = 0;
      int skip = 0;

      /* json-glib says "<data>:1:10: Parse error: unexpected character…": keep the column
       * and the explanation. */
      problem = PUSH_AUDIENCE_PROBLEM_JSON_SYNTAX;
      if (sscanf (detail, "<data>:%u:%u: %n", &line, &column, &skip) == 2 && skip > 0)
        {
          const char *colon = strstr (detail + skip, ": ");

          detail = (colon != NULL) ? colon + 2 : detail + skip;
          add_problem (self, self->row.number, self->row.line, 0, problem,
                       _("not valid JSON at character %u (%s)"), column, detail);
        }
      else
        add_problem (self, self->row.number, self->row.line, 0, problem,
                     _("not valid JSON (%s)"), detail);
      end_row (self, problem);
      return;
    }

  root = json_parser_get_root (self->parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      problem = PUSH_AUDIENCE_PROBLEM_JSON_NOT_OBJECT;
      add_problem (self, self->row.number, self->row.line, 0, problem, "%s",
                   describe_problem (problem));
      end_row (self, problem);
      return;
    }

  json_object_iter_init_ordered (&iter, json_node_get_object (root));
  while (json_object_iter_next_ordered (&iter, &name, &node))
    {
      guint index = GPOINTER_TO_UINT (g_hash_table_lookup (self->column_index, name));
      PushAudienceValue *value;

      self->row.n_fields++;
      if (index == 0)
        {
          if (!g_hash_table_contains (self->unknown_keys, name))
            {
              g_autofree char *lines = push_audience_format_count (self->sample_lines);

              g_hash_table_add (self->unknown_keys, g_strdup (name));
              add_problem (self, self->row.number, self->row.line, 0,
                           PUSH_AUDIENCE_PROBLEM_JSON_UNKNOWN_KEY,
                           _("the key “%s” is not in the first %s lines, which set the "
                             "columns, so its values are ignored"),
                           name, lines);
            }
          continue;
        }

      value = &self->values[index - 1];
      switch (json_node_get_node_type (node))
        {
        case JSON_NODE_NULL:
          value->kind = PUSH_AUDIENCE_VALUE_NULL;
          break;

        case JSON_NODE_OBJECT:
        case JSON_NODE_ARRAY:
          value->kind = PUSH_AUDIENCE_VALUE_NESTED;
          if (problem == PUSH_AUDIENCE_PROBLEM_NONE)
            {
              problem = PUSH_AUDIENCE_PROBLEM_JSON_NESTED;
              add_problem (self, self->row.number, self->row.line, index, problem,
                           JSON_NODE_HOLDS_OBJECT (node)
                           ? _("“%s” holds a JSON object; only text, numbers, true, false "
                               "and null can be sent to a field")
                           : _("“%s” holds a JSON array; only text, numbers, true, false "
                               "and null can be sent to a field"),
                           name);
            }
          break;

        case JSON_NODE_VALUE:
          {
            GType type = json_node_get_value_type (node);

            if (type == G_TYPE_STRING)
              {
                value->text = json_node_get_string (node);
                value->length = strlen (value->text);
                value->kind = PUSH_AUDIENCE_VALUE_TEXT;
              }
            else if (type == G_TYPE_INT64)
              set_json_text (self, index - 1,
                             g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node)));
            else if (type == G_TYPE_BOOLEAN)
              set_json_text (self, index - 1,
                             g_strdup (json_node_get_boolean (node) ? "true" : "false"));
            else
              set_json_text (self, index - 1, format_double (json_node_get_double (node)));
          }
          break;

        default:
          g_assert_not_reached ();
        }
    }

  end_row (self, problem);
}

static NextResult
next_jsonl_row (PushAudienceReader  *self,
                GCancellable        *cancellable,
                GError             **error)
{
  for (;;)
    {
      char *start = self->buf + self->pos;
      char *end = self->buf + self->len;
      char *content_end;
      char *nl;

      if (start == end)
        {
          if (self->eof)
            return NEXT_EOF;
          if (!read_more (self, self->chunk_size, cancellable, error))
            return NEXT_ERROR;
          continue;
        }

      nl = memchr (start, '\n', end - start);
      if (nl == NULL && !self->eof)
        {
          gsize partial = self->len - self->pos;
          Scan scan = { .quote_start = G_MAXSIZE };

          if (partial >= self->max_row_size)
            return emit_too_long_row (self, &scan, cancellable, error) ? NEXT_ROW : NEXT_ERROR;
          if (!read_more (self, partial, cancellable, error))
            return NEXT_ERROR;
          continue;
        }
      if (nl == NULL)
        nl = end;

      content_end = (nl > start && nl[-1] == '\r') ? nl - 1 : nl;
      self->pos = (nl == end) ? self->len : (gsize) (nl + 1 - self->buf);
      if (is_blank (start, content_end))
        {
          self->line++;
          continue;
        }

      emit_json_row (self, start, content_end);
      return NEXT_ROW;
    }
}

static gboolean
looks_binary (const char *data,
              gsize       len)
{
  gsize n = MIN (len, BINARY_SAMPLE_SIZE);
  gsize bad = 0;
  gsize i = 0;

  if (memchr (data, '\0', n) != NULL)
    return TRUE;

  while (i < n)
    {
      guchar c = data[i];

      if (c < 0x80)
        {
          if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v')
              || c == 0x7f)
            bad++;
          i++;
        }
      else
        {
          gunichar ch = g_utf8_get_char_validated (data + i, n - i);

          if (ch == (gunichar) -2)
            break;
          if (ch == (gunichar) -1)
            {
              bad++;
              i++;
            }
          else
            i += g_utf8_skip[c];
        }
    }

  /* Over a tenth of the bytes, and not just a stray few in a short sample (a one-line first
   * block with one Latin-1 letter is a text file with a bad row, not junk). */
  return bad >= 8 && bad * 10 > n;
}

static char
sniff_delimiter (const char *data,
                 gsize       len)
{
  static const char candidates[] = { ',', ';', '\t', '|' };
  guint counts[SNIFF_MAX_LINES][G_N_ELEMENTS (candidates)];
  guint n_lines = 0;
  gboolean in_quotes = FALSE;
  gboolean line_has_content = FALSE;
  char best = ',';
  guint best_consistent = 0;
  guint best_count = 0;
  gsize i;
  guint k;

  memset (counts, 0, sizeof counts);
  for (i = 0; i < len && n_lines < SNIFF_MAX_LINES; i++)
    {
      char c = data[i];

      if (c == '"')
        in_quotes = !in_quotes;
      else if (in_quotes)
        ;
      else if (c == '\n')
        {
          if (line_has_content)
            n_lines++;
          line_has_content = FALSE;
          continue;
        }
      else if (c != '\r')
        {
          for (k = 0; k < G_N_ELEMENTS (candidates); k++)
            if (c == candidates[k])
              counts[n_lines][k]++;
        }
      line_has_content = TRUE;
    }
  /* A last line without its line break counts only when it is the only line. */
  if (n_lines == 0 && line_has_content)
    n_lines = 1;

  for (k = 0; k < G_N_ELEMENTS (candidates); k++)
    {
      guint header_count = counts[0][k];
      guint consistent = 0;
      guint l;

      if (header_count == 0)
        continue;
      for (l = 1; l < n_lines; l++)
        if (counts[l][k] == header_count)
          consistent++;
      if (consistent > best_consistent
          || (consistent == best_consistent && header_count > best_count))
        {
          best = candidates[k];
          best_consistent = consistent;
          best_count = header_count;
        }
    }

  return best;
}

static PushAudienceFormat
guess_format (PushAudienceReader *self)
{
  const char *p;

  if (self->file != NULL)
    {
      g_autofree char *basename = g_file_get_basename (self->file);
      g_autofree char *lower = g_ascii_strdown (basename, -1);

      if (g_str_has_suffix (lower, ".jsonl") || g_str_has_suffix (lower, ".ndjson")
          || g_str_has_suffix (lower, ".json"))
        return PUSH_AUDIENCE_FORMAT_JSONL;
      if (g_str_has_suffix (lower, ".csv") || g_str_has_suffix (lower, ".tsv")
          || g_str_has_suffix (lower, ".psv") || g_str_has_suffix (lower, ".tab")
          || g_str_has_suffix (lower, ".txt"))
        return PUSH_AUDIENCE_FORMAT_CSV;
    }

  for (p = self->buf + self->pos; p < self->buf + self->len; p++)
    if (!g_ascii_isspace (*p))
      return (*p == '{') ? PUSH_AUDIENCE_FORMAT_JSONL : PUSH_AUDIENCE_FORMAT_CSV;

  return PUSH_AUDIENCE_FORMAT_CSV;
}

static void
set_columns (PushAudienceReader *self)
{
  self->values = g_new0 (PushAudienceValue, MAX (self->columns->len, 1));
  self->row.values = self->values;
  self->row.n_values = self->columns->len;
}

static gboolean
read_csv_header (PushAudienceReader  *self,
                 GCancellable        *cancellable,
                 GError             **error)
{
  g_autoptr(GHashTable) seen = NULL;
  gboolean valid;
  Scan scan;
  guint i;

  for (;;)
    {
      if (self->pos == self->len && self->eof)
        {
          g_set_error_literal (error, PUSH_AUDIENCE_ERROR, PUSH_AUDIENCE_ERROR_NO_COLUMNS,
                               _("The file has only blank lines: it needs a header line "
                                 "with the column names"));
          return FALSE;
        }
      if (self->pos < self->len && scan_csv_row (self, &scan) == SCAN_DONE)
        {
          if (!scan_is_blank_line (self, &scan))
            break;
          self->pos = scan.end;
          self->line++;
          continue;
        }
      if (self->len - self->pos >= self->max_row_size)
        {
          g_autofree char *limit = g_format_size_full (self->max_row_size,
                                                       G_FORMAT_SIZE_IEC_UNITS);

          g_set_error (error, PUSH_AUDIENCE_ERROR, PUSH_AUDIENCE_ERROR_NO_COLUMNS,
                       _("The header line is longer than %s"), limit);
          return FALSE;
        }
      if (!read_more (self, self->len - self->pos, cancellable, error))
        return FALSE;
    }

  valid = is_valid_utf8 (self->buf + self->pos, scan.end - self->pos);
  finish_fields (self);
  if (!valid && repair_fields (self) > 0)
    {
      for (i = 0; i < self->n_fields; i++)
        if (g_ptr_array_find (self->scratch, self->fields[i].start, NULL))
          add_problem (self, 0, self->line, i + 1, PUSH_AUDIENCE_PROBLEM_INVALID_UTF8, "%s",
                       describe_problem (PUSH_AUDIENCE_PROBLEM_INVALID_UTF8));
    }
  if (scan.problem != PUSH_AUDIENCE_PROBLEM_NONE)
    add_problem (self, 0, self->line, scan.problem_column, scan.problem, "%s",
                 describe_problem (scan.problem));

  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (i = 0; i < self->n_fields; i++)
    {
      char *name = g_strstrip (g_strndup (self->fields[i].start, self->fields[i].len));
      char *folded = g_utf8_casefold (name, -1);
      guint first;

      g_ptr_array_add (self->columns, name);
      if (*name == '\0')
        {
          add_problem (self, 0, self->line, i + 1, PUSH_AUDIENCE_PROBLEM_EMPTY_HEADER, "%s",
                       describe_problem (PUSH_AUDIENCE_PROBLEM_EMPTY_HEADER));
          g_free (folded);
          continue;
        }

      first = GPOINTER_TO_UINT (g_hash_table_lookup (seen, folded));
      if (first != 0)
        {
          add_problem (self, 0, self->line, i + 1, PUSH_AUDIENCE_PROBLEM_DUPLICATE_HEADER,
                       _("the name “%s” is already used by column %u"), name, first);
          g_free (folded);
          continue;
        }
      g_hash_table_insert (seen, folded, GUINT_TO_POINTER (i + 1));
    }

  g_ptr_array_set_size (self->scratch, 0);
  self->line += 1 + scan.extra_lines;
  self->pos = scan.end;
  set_columns (self);
  return TRUE;
}

static gboolean
sample_jsonl_columns (PushAudienceReader  *self,
                      GCancellable        *cancellable,
                      GError             **error)
{
  g_autofree char *lines_text = NULL;
  guint complete;
  char *p;
  char *end;

  /* Read on until the sample is complete: enough lines, 1 MiB, or the whole file. */
  for (;;)
    {
      gsize buffered = self->len - self->pos;

      complete = count_breaks (self->buf + self->pos, self->buf + self->len);
      if (self->eof || complete >= PUSH_AUDIENCE_READER_JSONL_SAMPLE_LINES
          || (buffered >= JSONL_SAMPLE_BYTES && complete > 0)
          || buffered >= self->max_row_size)
        break;
      if (!read_more (self, self->chunk_size, cancellable, error))
        return FALSE;
    }

  p = self->buf + self->pos;
  end = self->buf + self->len;
  while (p < end && self->sample_lines < PUSH_AUDIENCE_READER_JSONL_SAMPLE_LINES)
    {
      char *nl = memchr (p, '\n', end - p);
      char *content_end;
      JsonNode *root;
      JsonObjectIter iter;
      const char *name;
      JsonNode *node;

      if (nl == NULL && !self->eof)
        break;
      if (nl == NULL)
        nl = end;
      content_end = (nl > p && nl[-1] == '\r') ? nl - 1 : nl;
      self->sample_lines++;

      if (!is_blank (p, content_end) && is_valid_utf8 (p, content_end - p)
          && !json_has_trailing_value (p, content_end)
          && json_parser_load_from_data (self->parser, p, content_end - p, NULL)
          && (root = json_parser_get_root (self->parser)) != NULL
          && JSON_NODE_HOLDS_OBJECT (root))
        {
          json_object_iter_init_ordered (&iter, json_node_get_object (root));
          while (json_object_iter_next_ordered (&iter, &name, &node))
            {
              if (g_hash_table_contains (self->column_index, name))
                continue;
              g_ptr_array_add (self->columns, g_strdup (name));
              g_hash_table_insert (self->column_index, g_strdup (name),
                                   GUINT_TO_POINTER (self->columns->len));
            }
        }

      p = (nl == end) ? end : nl + 1;
    }

  if (self->columns->len == 0)
    {
      lines_text = push_audience_format_count (self->sample_lines);
      g_set_error (error, PUSH_AUDIENCE_ERROR, PUSH_AUDIENCE_ERROR_NO_COLUMNS,
                   g_dngettext (GETTEXT_PACKAGE,
                                "No JSON object was found on the first line",
                                "No JSON object was found in the first %s lines",
                                self->sample_lines),
                   lines_text);
      return FALSE;
    }

  set_columns (self);
  return TRUE;
}

static void
push_audience_reader_finalize (GObject *object)
{
  PushAudienceReader *self = (PushAudienceReader *) object;

  g_clear_object (&self->file);
  g_clear_object (&self->stream);
  g_clear_object (&self->parser);
  g_clear_pointer (&self->buf, g_free);
  g_clear_pointer (&self->fingerprint, push_audience_fingerprint_free);
  g_clear_pointer (&self->columns, g_ptr_array_unref);
  g_clear_pointer (&self->column_index, g_hash_table_unref);
  g_clear_pointer (&self->unknown_keys, g_hash_table_unref);
  g_clear_pointer (&self->fields, g_free);
  g_clear_pointer (&self->values, g_free);
  g_clear_pointer (&self->scratch, g_ptr_array_unref);
  g_clear_pointer (&self->problems, g_ptr_array_unref);

  G_OBJECT_CLASS (push_audience_reader_parent_class)->finalize (object);
}

static void
push_audience_reader_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  PushAudienceReader *self = PUSH_AUDIENCE_READER (object);

  switch (prop_id)
    {
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    case PROP_STREAM:
      g_value_set_object (value, self->stream);
      break;
    case PROP_FORMAT:
      g_value_set_enum (value, self->format);
      break;
    case PROP_DELIMITER:
      g_value_set_uint (value, (guchar) self->delimiter);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
push_audience_reader_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  PushAudienceReader *self = PUSH_AUDIENCE_READER (object);

  switch (prop_id)
    {
    case PROP_FILE:
      self->file = g_value_dup_object (value);
      break;
    case PROP_STREAM:
      self->stream = g_value_dup_object (value);
      break;
    case PROP_FORMAT:
      self->format = g_value_get_enum (value);
      break;
    case PROP_DELIMITER:
      {
        char c = (char) g_value_get_uint (value);

        if (c == 0 || is_valid_delimiter (c))
          self->delimiter = c;
        else
          g_critical ("%s: unsupported delimiter 0x%02x", G_STRFUNC, (guchar) c);
      }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
push_audience_reader_class_init (PushAudienceReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = push_audience_reader_finalize;
  object_class->get_property = push_audience_reader_get_property;
  object_class->set_property = push_audience_reader_set_property;

  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STREAM] =
    g_param_spec_object ("stream", NULL, NULL, G_TYPE_INPUT_STREAM,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FORMAT] =
    g_param_spec_enum ("format", NULL, NULL, PUSH_TYPE_AUDIENCE_FORMAT,
                       PUSH_AUDIENCE_FORMAT_AUTO,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DELIMITER] =
    g_param_spec_uint ("delimiter", NULL, NULL, 0, 127, 0,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
push_audience_reader_init (PushAudienceReader *self)
{
  self->chunk_size = PUSH_AUDIENCE_READER_DEFAULT_CHUNK_SIZE;
  self->max_row_size = PUSH_AUDIENCE_READER_DEFAULT_MAX_ROW_SIZE;
  self->max_problems = PUSH_AUDIENCE_READER_DEFAULT_MAX_PROBLEMS;
  self->columns = g_ptr_array_new_null_terminated (16, g_free, TRUE);
  self->column_index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->unknown_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->scratch = g_ptr_array_new_with_free_func (g_free);
  self->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) push_audience_problem_free);
  self->line = 1;
  self->hashing = TRUE;
  sha256_init (&self->sha);
}

void
push_audience_reader_set_fingerprint (PushAudienceReader *self,
                                      gboolean            compute)
{
  g_return_if_fail (PUSH_IS_AUDIENCE_READER (self));
  g_return_if_fail (!self->opened);

  self->skip_hash = !compute;
}

PushAudienceReader *
push_audience_reader_new_for_file (GFile              *file,
                                   PushAudienceFormat  format,
                                   char                delimiter)
{
  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (delimiter == 0 || is_valid_delimiter (delimiter), NULL);

  return g_object_new (PUSH_TYPE_AUDIENCE_READER,
                       "file", file,
                       "format", format,
                       "delimiter", (guint) (guchar) delimiter,
                       NULL);
}

PushAudienceReader *
push_audience_reader_new_for_path (const char         *path,
                                   PushAudienceFormat  format,
                                   char                delimiter)
{
  g_autoptr(GFile) file = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  file = g_file_new_for_path (path);
  return push_audience_reader_new_for_file (file, format, delimiter);
}

PushAudienceReader *
push_audience_reader_new_for_stream (GInputStream       *stream,
                                     PushAudienceFormat  format,
                                     char                delimiter)
{
  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);
  g_return_val_if_fail (delimiter == 0 || is_valid_delimiter (delimiter), NULL);

  return g_object_new (PUSH_TYPE_AUDIENCE_READER,
                       "stream", stream,
                       "format", format,
                       "delimiter", (guint) (guchar) delimiter,
                       NULL);
}

void
push_audience_reader_set_chunk_size (PushAudienceReader *self,
                                     gsize               chunk_size)
{
  g_return_if_fail (PUSH_IS_AUDIENCE_READER (self));
  g_return_if_fail (!self->opened);

  self->chunk_size = MAX (chunk_size, MIN_CHUNK_SIZE);
}

void
push_audience_reader_set_max_row_size (PushAudienceReader *self,
                                       gsize               max_row_size)
{
  g_return_if_fail (PUSH_IS_AUDIENCE_READER (self));
  g_return_if_fail (!self->opened);
  g_return_if_fail (max_row_size > 0);

  self->max_row_size = max_row_size;
}

void
push_audience_reader_set_max_problems (PushAudienceReader *self,
                                       guint               max_problems)
{
  g_return_if_fail (PUSH_IS_AUDIENCE_READER (self));

  self->max_problems = max_problems;
}

gboolean
push_audience_reader_open (PushAudienceReader  *self,
                           GCancellable        *cancellable,
                           GError             **error)
{
  const guchar *head;
  gsize n;

  g_return_val_if_fail (PUSH_IS_AUDIENCE_READER (self), FALSE);
  g_return_val_if_fail (!self->opened, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  self->opened = TRUE;

  if (self->stream == NULL)
    {
      GFileInputStream *stream = g_file_read (self->file, cancellable, error);

      if (stream == NULL)
        return FALSE;
      self->stream = G_INPUT_STREAM (stream);
    }

  {
    g_autoptr(GError) stamp_error = NULL;

    self->have_stamp = _push_audience_query_stamp (self->stream, &self->stamp_size,
                                                   &self->stamp_mtime, cancellable,
                                                   &stamp_error);
    if (stamp_error != NULL)
      g_debug ("No size and mtime for the audience file: %s", stamp_error->message);
  }

  self->cap = 2 * self->chunk_size;
  self->buf = g_malloc (self->cap + 1);
  if (!read_more (self, self->chunk_size, cancellable, error))
    return FALSE;
  /* At least the first line, for the delimiter and the format. */
  while (!self->eof && self->len < self->max_row_size
         && memchr (self->buf, '\n', self->len) == NULL)
    if (!read_more (self, self->chunk_size, cancellable, error))
      return FALSE;

  head = (const guchar *) self->buf;
  n = self->len;
  if ((n >= 4 && memcmp (head, "\xff\xfe\0\0", 4) == 0)
      || (n >= 4 && memcmp (head, "\0\0\xfe\xff", 4) == 0)
      || (n >= 2 && (memcmp (head, "\xff\xfe", 2) == 0 || memcmp (head, "\xfe\xff", 2) == 0)))
    {
      g_set_error_literal (error, PUSH_AUDIENCE_ERROR, PUSH_AUDIENCE_ERROR_UNSUPPORTED_ENCODING,
                           _("The file is in UTF-16 or UTF-32: save it as UTF-8 and try again"));
      return FALSE;
    }
  if (n >= 3 && memcmp (head, "\xef\xbb\xbf", 3) == 0)
    {
      self->had_bom = TRUE;
      self->pos = 3;
    }
  if (self->len == self->pos)
    {
      g_set_error_literal (error, PUSH_AUDIENCE_ERROR, PUSH_AUDIENCE_ERROR_EMPTY,
                           _("The file is empty"));
      return FALSE;
    }
  if (looks_binary (self->buf + self->pos, self->len - self->pos))
    {
      g_set_error_literal (error, PUSH_AUDIENCE_ERROR, PUSH_AUDIENCE_ERROR_NOT_TEXT,
                           _("This is not a text file: choose a CSV or JSON Lines file"));
      return FALSE;
    }

  if (self->format == PUSH_AUDIENCE_FORMAT_AUTO)
    self->format = guess_format (self);

  if (self->format == PUSH_AUDIENCE_FORMAT_JSONL)
    {
      self->parser = json_parser_new_immutable ();
      return sample_jsonl_columns (self, cancellable, error);
    }

  if (self->delimiter == 0)
    self->delimiter = sniff_delimiter (self->buf + self->pos, self->len - self->pos);
  g_debug ("Reading CSV with delimiter 0x%02x", (guchar) self->delimiter);
  return read_csv_header (self, cancellable, error);
}

PushAudienceFormat
push_audience_reader_get_format (PushAudienceReader *self)
{
  g_return_val_if_fail (PUSH_IS_AUDIENCE_READER (self), PUSH_AUDIENCE_FORMAT_AUTO);

  return self->format;
}

char
push_audience_reader_get_delimiter (PushAudienceReader *self)
{
  g_return_val_if_fail (PUSH_IS_AUDIENCE_READER (self), 0);

  return self->delimiter;
}

const char * const *
push_audience_reader_get_columns (PushAudienceReader *self,
                                  guint              *n_columns)
{
  g_return_val_if_fail (PUSH_IS_AUDIENCE_READER (self), NULL);

  if (n_columns != NULL)
    *n_columns = self->columns->len;
  return (const char * const *) self->columns->pdata;
}

gboolean
push_audience_reader_get_had_bom (PushAudienceReader *self)
{
  g_return_val_if_fail (PUSH_IS_AUDIENCE_READER (self), FALSE);

  return self->had_bom;
}

static gboolean
finish_pass (PushAudienceReader  *self,
             GCancellable        *cancellable,
             GError             **error)
{
  guint64 size = self->bytes_read;
  gint64 mtime = 0;

  self->finished = TRUE;
  if (!self->hashing)
    return TRUE;
  self->hashing = FALSE;

  if (self->have_stamp)
    {
      guint64 size_now;
      gint64 mtime_now;

      if (!_push_audience_query_stamp (self->stream, &size_now, &mtime_now, cancellable, error))
        return FALSE;
      if (size_now != self->stamp_size || mtime_now != self->stamp_mtime
          || self->bytes_read != self->stamp_size)
        {
          g_set_error_literal (error, PUSH_AUDIENCE_ERROR, PUSH_AUDIENCE_ERROR_CHANGED,
                               _("The file changed while it was being read"));
          return FALSE;
        }
      mtime = self->stamp_mtime;
    }

  if (!self->skip_hash)
    self->fingerprint = _push_audience_fingerprint_new_sha256 (size, mtime, &self->sha);
  return TRUE;
}

gboolean
push_audience_reader_next_row (PushAudienceReader     *self,
                               const PushAudienceRow **row,
                               GCancellable           *cancellable,
                               GError                **error)
{
  NextResult result;

  g_return_val_if_fail (PUSH_IS_AUDIENCE_READER (self), FALSE);
  g_return_val_if_fail (self->opened && self->buf != NULL, FALSE);
  g_return_val_if_fail (row != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *row = NULL;
  if (self->finished)
    return FALSE;

  if (self->format == PUSH_AUDIENCE_FORMAT_JSONL)
    result = next_jsonl_row (self, cancellable, error);
  else
    result = next_csv_row (self, cancellable, error);

  switch (result)
    {
    case NEXT_ROW:
      *row = &self->row;
      return TRUE;
    case NEXT_EOF:
      finish_pass (self, cancellable, error);
      return FALSE;
    case NEXT_ERROR:
    default:
      return FALSE;
    }
}

guint64
push_audience_reader_get_row_count (PushAudienceReader *self)
{
  g_return_val_if_fail (PUSH_IS_AUDIENCE_READER (self), 0);

  return self->rows;
}

guint64
push_audience_reader_get_bad_row_count (PushAudienceReader *self)
{
  g_return_val_if_fail (PUSH_IS_AUDIENCE_READER (self), 0);

  return self->bad_rows;
}

guint64
push_audience_reader_get_position (PushAudienceReader *self)
{
  g_return_val_if_fail (PUSH_IS_AUDIENCE_READER (self), 0);

  return self->buf_offset + self->pos;
}

guint64
push_audience_reader_get_size (PushAudienceReader *self)
{
  g_return_val_if_fail (PUSH_IS_AUDIENCE_READER (self), 0);

  return self->have_stamp ? self->stamp_size : 0;
}

GPtrArray *
push_audience_reader_get_problems (PushAudienceReader *self)
{
  g_return_val_if_fail (PUSH_IS_AUDIENCE_READER (self), NULL);

  return self->problems;
}

guint64
push_audience_reader_get_problem_count (PushAudienceReader *self)
{
  g_return_val_if_fail (PUSH_IS_AUDIENCE_READER (self), 0);

  return self->n_problems;
}

PushAudienceFingerprint *
push_audience_reader_get_fingerprint (PushAudienceReader *self)
{
  g_return_val_if_fail (PUSH_IS_AUDIENCE_READER (self), NULL);

  return self->fingerprint;
}

const char *
push_audience_row_get_text (const PushAudienceRow *row,
                            guint                  column)
{
  g_return_val_if_fail (row != NULL, NULL);
  g_return_val_if_fail (column < row->n_values, NULL);

  return row->values[column].text;
}

gboolean
_push_audience_reader_seek (PushAudienceReader  *self,
                            goffset              offset,
                            guint64              rows_before,
                            guint64              line,
                            GCancellable        *cancellable,
                            GError             **error)
{
  g_return_val_if_fail (PUSH_IS_AUDIENCE_READER (self), FALSE);
  g_return_val_if_fail (self->opened && self->buf != NULL, FALSE);

  if (!G_IS_SEEKABLE (self->stream) || !g_seekable_can_seek (G_SEEKABLE (self->stream)))
    {
      g_set_error_literal (error, PUSH_AUDIENCE_ERROR, PUSH_AUDIENCE_ERROR_NOT_SEEKABLE,
                           _("This audience source can only be read from start to end"));
      return FALSE;
    }
  if (!g_seekable_seek (G_SEEKABLE (self->stream), offset, G_SEEK_SET, cancellable, error))
    return FALSE;

  self->hashing = FALSE;
  self->finished = FALSE;
  self->eof = FALSE;
  self->pos = 0;
  self->len = 0;
  self->buf_offset = offset;
  self->rows = rows_before;
  self->line = line;
  return TRUE;
}

void
_push_audience_reader_tell (PushAudienceReader *self,
                            goffset            *offset,
                            guint64            *rows_before,
                            guint64            *line)
{
  g_return_if_fail (PUSH_IS_AUDIENCE_READER (self));

  *offset = self->buf_offset + self->pos;
  *rows_before = self->rows;
  *line = self->line;
}
