/* push-audience-types.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <langinfo.h>
#include <string.h>

#include "push-audience-types.h"

G_DEFINE_QUARK (push-audience-error-quark, push_audience_error)

G_DEFINE_ENUM_TYPE (PushAudienceFormat, push_audience_format,
  G_DEFINE_ENUM_VALUE (PUSH_AUDIENCE_FORMAT_AUTO, "auto"),
  G_DEFINE_ENUM_VALUE (PUSH_AUDIENCE_FORMAT_CSV, "csv"),
  G_DEFINE_ENUM_VALUE (PUSH_AUDIENCE_FORMAT_JSONL, "jsonl"))

G_DEFINE_ENUM_TYPE (PushAudienceValueKind, push_audience_value_kind,
  G_DEFINE_ENUM_VALUE (PUSH_AUDIENCE_VALUE_TEXT, "text"),
  G_DEFINE_ENUM_VALUE (PUSH_AUDIENCE_VALUE_NULL, "null"),
  G_DEFINE_ENUM_VALUE (PUSH_AUDIENCE_VALUE_ABSENT, "absent"),
  G_DEFINE_ENUM_VALUE (PUSH_AUDIENCE_VALUE_NESTED, "nested"))

G_DEFINE_ENUM_TYPE (PushAudienceProblemKind, push_audience_problem_kind,
  G_DEFINE_ENUM_VALUE (PUSH_AUDIENCE_PROBLEM_NONE, "none"),
  G_DEFINE_ENUM_VALUE (PUSH_AUDIENCE_PROBLEM_UNTERMINATED_QUOTE, "unterminated-quote"),
  G_DEFINE_ENUM_VALUE (PUSH_AUDIENCE_PROBLEM_STRAY_QUOTE, "stray-quote"),
  G_DEFINE_ENUM_VALUE (PUSH_AUDIENCE_PROBLEM_INVALID_UTF8, "invalid-utf8"),
  G_DEFINE_ENUM_VALUE (PUSH_AUDIENCE_PROBLEM_FIELD_COUNT, "field-count"),
  G_DEFINE_ENUM_VALUE (PUSH_AUDIENCE_PROBLEM_ROW_TOO_LONG, "row-too-long"),
  G_DEFINE_ENUM_VALUE (PUSH_AUDIENCE_PROBLEM_EMPTY_HEADER, "empty-header"),
  G_DEFINE_ENUM_VALUE (PUSH_AUDIENCE_PROBLEM_DUPLICATE_HEADER, "duplicate-header"),
  G_DEFINE_ENUM_VALUE (PUSH_AUDIENCE_PROBLEM_JSON_SYNTAX, "json-syntax"),
  G_DEFINE_ENUM_VALUE (PUSH_AUDIENCE_PROBLEM_JSON_NOT_OBJECT, "json-not-object"),
  G_DEFINE_ENUM_VALUE (PUSH_AUDIENCE_PROBLEM_JSON_NESTED, "json-nested"),
  G_DEFINE_ENUM_VALUE (PUSH_AUDIENCE_PROBLEM_JSON_UNKNOWN_KEY, "json-unknown-key"))

G_DEFINE_ENUM_TYPE (PushAudienceFingerprintMatch, push_audience_fingerprint_match,
  G_DEFINE_ENUM_VALUE (PUSH_AUDIENCE_FINGERPRINT_IDENTICAL, "identical"),
  G_DEFINE_ENUM_VALUE (PUSH_AUDIENCE_FINGERPRINT_SAME_CONTENT, "same-content"),
  G_DEFINE_ENUM_VALUE (PUSH_AUDIENCE_FINGERPRINT_DIFFERENT, "different"))

char *
push_audience_format_count (guint64 count)
{
  const char *sep = nl_langinfo (THOUSEP);
  char digits[32];
  GString *out;
  gsize n, i;

  if (sep == NULL || *sep == '\0')
    sep = ",";

  n = g_snprintf (digits, sizeof digits, "%" G_GUINT64_FORMAT, count);
  out = g_string_sized_new (n + n / 3 * strlen (sep));
  for (i = 0; i < n; i++)
    {
      if (i > 0 && (n - i) % 3 == 0)
        g_string_append (out, sep);
      g_string_append_c (out, digits[i]);
    }

  return g_string_free (out, FALSE);
}
