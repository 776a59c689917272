/* audience-test-common.h: helpers shared by the audience tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "push-audience.h"

G_BEGIN_DECLS

/* Everything one reader pass produced, rendered for exact comparison. */
typedef struct {
  guint64                  number;
  guint64                  line;
  goffset                  offset;
  PushAudienceProblemKind  problem;
  guint                    n_fields;
  char                    *text;     /* values joined with '|', see audience_test_render_row() */
} TestRow;

typedef struct {
  PushAudienceReader *reader;        /* (owned) */
  GPtrArray          *rows;          /* (owned) (element-type TestRow) */
  GError             *error;         /* (owned) (nullable): open() or next_row() failure */
  gboolean            open_failed;
} TestRead;

void       audience_test_set_dir          (const char         *dir);
/* Writes @len bytes (-1: a string) to a new file in the test directory; returns its path. */
char      *audience_test_write            (const char         *name,
                                           const char         *data,
                                           gssize              len);

/* Values joined with '|'; "\n" and "\r" in values are shown as \n and \r; ABSENT as <absent>,
 * NULL as <null>, NESTED as <nested>. Also checks each value's invariants (length matches,
 * NUL-terminated, valid UTF-8). */
char      *audience_test_render_row       (const PushAudienceRow *row);
char      *audience_test_render_record    (PushAudienceRecord *record);

/* Opens @path and reads every row; chunk_size 0 = the default. */
TestRead  *audience_test_read             (const char         *path,
                                           PushAudienceFormat  format,
                                           char                delimiter,
                                           gsize               chunk_size);
void       audience_test_read_free        (TestRead           *read);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestRead, audience_test_read_free)

/* Asserts the rendered rows, a NULL-terminated list. */
void       audience_test_assert_rows      (TestRead           *read,
                                           const char * const *expected);
/* Asserts the column names, joined with '|'. */
void       audience_test_assert_columns   (PushAudienceReader *reader,
                                           const char         *expected);
/* Asserts problem @index of the list; @message may be NULL (not checked). */
void       audience_test_assert_problem   (TestRead           *read,
                                           guint               index,
                                           guint64             row,
                                           guint               column,
                                           PushAudienceProblemKind kind,
                                           const char         *message);

G_END_DECLS
