/* push-audience-fingerprint.h: which exact version of a file a preview or a run used
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "push-audience-types.h"

G_BEGIN_DECLS

/**
 * PushAudienceFingerprint:
 * @size: the number of bytes of the file
 * @mtime: its modification time, in microseconds since the Unix epoch (0 when the bytes came
 *   from a stream that has no file behind it)
 * @hash: the SHA-256 of the whole content, 64 lowercase hex digits
 *
 * The hash covers every byte, so a one-byte edit that keeps the size and puts the mtime back
 * is still seen. It is computed while the reader streams the file for its full pass (the
 * pass that counts the rows), so it costs no extra read: SHA-256 through Nettle, which uses
 * the CPU's SHA extensions where they exist (well over 1 GB/s on current x86-64 and ARMv8),
 * keeps it cheap next to parsing. A faster non-cryptographic hash was not chosen: the
 * fingerprint is stored with runs and shown as evidence of what was sent, where "a
 * collision needs an attacker with a SHA-256 break" is a promise worth its small price.
 */
typedef struct {
  guint64  size;
  gint64   mtime;
  char    *hash;
} PushAudienceFingerprint;

#define PUSH_TYPE_AUDIENCE_FINGERPRINT (push_audience_fingerprint_get_type ())

GType                    push_audience_fingerprint_get_type    (void) G_GNUC_CONST;

/* @hash: 64 hex digits (either case; kept lowercase). */
PushAudienceFingerprint *push_audience_fingerprint_new         (guint64        size,
                                                                gint64         mtime,
                                                                const char    *hash);
PushAudienceFingerprint *push_audience_fingerprint_copy        (const PushAudienceFingerprint *self);
void                     push_audience_fingerprint_free        (PushAudienceFingerprint       *self);

/* IDENTICAL, SAME_CONTENT (only the mtime differs) or DIFFERENT. */
PushAudienceFingerprintMatch
                         push_audience_fingerprint_compare     (const PushAudienceFingerprint *a,
                                                                const PushAudienceFingerprint *b);
/* Exactly the same size, mtime and hash. */
gboolean                 push_audience_fingerprint_equal       (const PushAudienceFingerprint *a,
                                                                const PushAudienceFingerprint *b);

/* "v1:<size>:<mtime>:<sha256 hex>", for a database column; from_string() accepts only
 * that form (PUSH_AUDIENCE_ERROR_INVALID_FINGERPRINT otherwise). */
char                    *push_audience_fingerprint_to_string   (const PushAudienceFingerprint *self);
PushAudienceFingerprint *push_audience_fingerprint_from_string (const char     *str,
                                                                GError        **error);

/* Streams @file once through SHA-256 (no parsing), for checking a stored fingerprint before
 * a run. Fails with PUSH_AUDIENCE_ERROR_CHANGED when the file changes while it is read. */
PushAudienceFingerprint *push_audience_fingerprint_compute_for_file
                                                               (GFile          *file,
                                                                GCancellable   *cancellable,
                                                                GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PushAudienceFingerprint, push_audience_fingerprint_free)

G_END_DECLS
