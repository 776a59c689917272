/* push-audience-private.h: helpers shared inside src/audience only
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <nettle/sha2.h>

#include "push-audience-fingerprint.h"
#include "push-audience-reader.h"

G_BEGIN_DECLS

/* Size and mtime (µs) of the file behind @stream; FALSE without error when the stream has
 * no file information (a pipe). */
gboolean                 _push_audience_query_stamp            (GInputStream            *stream,
                                                                guint64                 *size,
                                                                gint64                  *mtime,
                                                                GCancellable            *cancellable,
                                                                GError                 **error);

/* Finishes @ctx and wraps its digest. */
PushAudienceFingerprint *_push_audience_fingerprint_new_sha256 (guint64                  size,
                                                                gint64                   mtime,
                                                                struct sha256_ctx       *ctx);

/* g_utf8_validate_len() without the end pointer, faster on mostly-ASCII text. */
gboolean                 _push_audience_utf8_validate          (const char              *str,
                                                                gsize                    n);

/* Random access for PushAudienceRowModel. After a seek the reader yields the rows from
 * @offset on, numbered from @rows_before + 1, starting on file line @line; it no longer
 * computes a fingerprint. @offset must be the start of a row found by an earlier pass. */
gboolean                 _push_audience_reader_seek            (PushAudienceReader      *self,
                                                                goffset                  offset,
                                                                guint64                  rows_before,
                                                                guint64                  line,
                                                                GCancellable            *cancellable,
                                                                GError                 **error);
/* Where the next row starts: its byte offset, and the number of rows and the line before it. */
void                     _push_audience_reader_tell            (PushAudienceReader      *self,
                                                                goffset                 *offset,
                                                                guint64                 *rows_before,
                                                                guint64                 *line);

G_END_DECLS
