/* push-audience-fingerprint.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "push-audience-fingerprint.h"
#include "push-audience-private.h"

#define HASH_HEX_LEN        (SHA256_DIGEST_SIZE * 2)
#define COMPUTE_BLOCK_SIZE  (1024 * 1024)

G_DEFINE_BOXED_TYPE (PushAudienceFingerprint, push_audience_fingerprint,
                     push_audience_fingerprint_copy, push_audience_fingerprint_free)

static gboolean
is_hash_hex (const char *hash)
{
  gsize i;

  for (i = 0; hash[i] != '\0'; i++)
    if (!g_ascii_isxdigit (hash[i]))
      return FALSE;

  return i == HASH_HEX_LEN;
}

PushAudienceFingerprint *
push_audience_fingerprint_new (guint64     size,
                               gint64      mtime,
                               const char *hash)
{
  PushAudienceFingerprint *self;

  g_return_val_if_fail (hash != NULL && is_hash_hex (hash), NULL);

  self = g_new0 (PushAudienceFingerprint, 1);
  self->size = size;
  self->mtime = mtime;
  self->hash = g_ascii_strdown (hash, -1);

  return self;
}

PushAudienceFingerprint *
push_audience_fingerprint_copy (const PushAudienceFingerprint *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return push_audience_fingerprint_new (self->size, self->mtime, self->hash);
}

void
push_audience_fingerprint_free (PushAudienceFingerprint *self)
{
  if (self == NULL)
    return;

  g_free (self->hash);
  g_free (self);
}

PushAudienceFingerprintMatch
push_audience_fingerprint_compare (const PushAudienceFingerprint *a,
                                   const PushAudienceFingerprint *b)
{
  g_return_val_if_fail (a != NULL, PUSH_AUDIENCE_FINGERPRINT_DIFFERENT);
  g_return_val_if_fail (b != NULL, PUSH_AUDIENCE_FINGERPRINT_DIFFERENT);

  if (a->size != b->size || g_ascii_strcasecmp (a->hash, b->hash) != 0)
    return PUSH_AUDIENCE_FINGERPRINT_DIFFERENT;
  if (a->mtime != b->mtime)
    return PUSH_AUDIENCE_FINGERPRINT_SAME_CONTENT;
  return PUSH_AUDIENCE_FINGERPRINT_IDENTICAL;
}

gboolean
push_audience_fingerprint_equal (const PushAudienceFingerprint *a,
                                 const PushAudienceFingerprint *b)
{
  return push_audience_fingerprint_compare (a, b) == PUSH_AUDIENCE_FINGERPRINT_IDENTICAL;
}

char *
push_audience_fingerprint_to_string (const PushAudienceFingerprint *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_strdup_printf ("v1:%" G_GUINT64_FORMAT ":%" G_GINT64_FORMAT ":%s",
                          self->size, self->mtime, self->hash);
}

PushAudienceFingerprint *
push_audience_fingerprint_from_string (const char  *str,
                                       GError     **error)
{
  g_auto(GStrv) parts = NULL;
  guint64 size;
  gint64 mtime;

  g_return_val_if_fail (str != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  parts = g_strsplit (str, ":", -1);
  if (g_strv_length (parts) != 4 || g_strcmp0 (parts[0], "v1") != 0
      || !g_ascii_string_to_unsigned (parts[1], 10, 0, G_MAXUINT64, &size, NULL)
      || !g_ascii_string_to_signed (parts[2], 10, G_MININT64, G_MAXINT64, &mtime, NULL)
      || !is_hash_hex (parts[3]))
    {
      g_set_error (error, PUSH_AUDIENCE_ERROR, PUSH_AUDIENCE_ERROR_INVALID_FINGERPRINT,
                   _("“%s” is not a stored file fingerprint"), str);
      return NULL;
    }

  return push_audience_fingerprint_new (size, mtime, parts[3]);
}

PushAudienceFingerprint *
_push_audience_fingerprint_new_sha256 (guint64            size,
                                       gint64             mtime,
                                       struct sha256_ctx *ctx)
{
  static const char hex[] = "0123456789abcdef";
  guint8 digest[SHA256_DIGEST_SIZE];
  char text[HASH_HEX_LEN + 1];
  PushAudienceFingerprint *self;
  gsize i;

  sha256_digest (ctx, sizeof digest, digest);
  for (i = 0; i < sizeof digest; i++)
    {
      text[2 * i] = hex[digest[i] >> 4];
      text[2 * i + 1] = hex[digest[i] & 0xf];
    }
  text[HASH_HEX_LEN] = '\0';

  self = g_new0 (PushAudienceFingerprint, 1);
  self->size = size;
  self->mtime = mtime;
  self->hash = g_strdup (text);

  return self;
}

gboolean
_push_audience_query_stamp (GInputStream  *stream,
                            guint64       *size,
                            gint64        *mtime,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_autoptr(GFileInfo) info = NULL;

  *size = 0;
  *mtime = 0;

  if (!G_IS_FILE_INPUT_STREAM (stream))
    return FALSE;

  info = g_file_input_stream_query_info (G_FILE_INPUT_STREAM (stream),
                                         G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                                         G_FILE_ATTRIBUTE_TIME_MODIFIED ","
                                         G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC,
                                         cancellable, error);
  if (info == NULL)
    return FALSE;

  *size = g_file_info_get_size (info);
  *mtime = (gint64) g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED)
           * G_USEC_PER_SEC
           + g_file_info_get_attribute_uint32 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC);
  return TRUE;
}

PushAudienceFingerprint *
push_audience_fingerprint_compute_for_file (GFile         *file,
                                            GCancellable  *cancellable,
                                            GError       **error)
{
  g_autoptr(GFileInputStream) stream = NULL;
  g_autofree guint8 *block = NULL;
  struct sha256_ctx ctx;
  guint64 size, size_after, total = 0;
  gint64 mtime, mtime_after;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stream = g_file_read (file, cancellable, error);
  if (stream == NULL)
    return NULL;
  if (!_push_audience_query_stamp (G_INPUT_STREAM (stream), &size, &mtime, cancellable, error))
    return NULL;

  sha256_init (&ctx);
  block = g_malloc (COMPUTE_BLOCK_SIZE);
  for (;;)
    {
      gssize n = g_input_stream_read (G_INPUT_STREAM (stream), block, COMPUTE_BLOCK_SIZE,
                                      cancellable, error);
      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      sha256_update (&ctx, n, block);
      total += n;
    }

  if (!_push_audience_query_stamp (G_INPUT_STREAM (stream), &size_after, &mtime_after,
                                   cancellable, error))
    return NULL;
  if (size_after != size || mtime_after != mtime || total != size)
    {
      g_set_error_literal (error, PUSH_AUDIENCE_ERROR, PUSH_AUDIENCE_ERROR_CHANGED,
                           _("The file changed while it was being read"));
      return NULL;
    }

  return _push_audience_fingerprint_new_sha256 (total, mtime, &ctx);
}
