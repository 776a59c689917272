/* push-list-reference.c: a static list named the way people paste it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "push-list-reference.h"

/* Marketo ids are 32-bit signed integers. */
#define MAX_LIST_ID G_MAXINT32

/* The asset-code prefix of smart lists, the other kind of list people copy by mistake. */
#define SMART_LIST_PREFIX "SL"

G_DEFINE_QUARK (push-list-reference-error-quark, push_list_reference_error)

/* Whole decimal numbers only: no sign, no spaces, no exponent. */
static gboolean
is_digits (const char *text,
           gsize       length)
{
  if (length == 0)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isdigit (text[i]))
      return FALSE;
  return TRUE;
}

static gboolean
parse_id (const char  *digits,
          gsize        length,
          const char  *shown,
          gint64      *out_list_id,
          GError     **error)
{
  g_autofree char *number = g_strndup (digits, length);
  guint64 value;

  if (!g_ascii_string_to_unsigned (number, 10, 1, MAX_LIST_ID, &value, NULL))
    {
      g_set_error (error, PUSH_LIST_REFERENCE_ERROR, PUSH_LIST_REFERENCE_ERROR_OUT_OF_RANGE,
                   /* Translators: the placeholders are what was given and the largest id */
                   _("“%s” is not a static list id: list ids are whole numbers from 1 to %d"),
                   shown, MAX_LIST_ID);
      return FALSE;
    }

  *out_list_id = (gint64) value;
  return TRUE;
}

/* An asset code: two letters, the id, then an optional tab suffix ("A1", "B2ZN3"). Returns
 * FALSE without an error when @code does not have that shape at all. */
static gboolean
parse_asset_code (const char  *code,
                  const char  *shown,
                  gboolean    *out_recognised,
                  gint64      *out_list_id,
                  GError     **error)
{
  gsize digits_end = 2;
  g_autofree char *prefix = NULL;

  *out_recognised = FALSE;

  if (strlen (code) < 3 || !g_ascii_isalpha (code[0]) || !g_ascii_isalpha (code[1]) ||
      !g_ascii_isdigit (code[2]))
    return FALSE;
  while (g_ascii_isdigit (code[digits_end]))
    digits_end++;
  if (code[digits_end] != '\0')
    {
      if (!g_ascii_isalpha (code[digits_end]))
        return FALSE;
      for (const char *p = code + digits_end; *p != '\0'; p++)
        if (!g_ascii_isalnum (*p))
          return FALSE;
    }

  *out_recognised = TRUE;
  prefix = g_ascii_strup (code, 2);
  if (g_str_equal (prefix, SMART_LIST_PREFIX))
    {
      g_set_error (error, PUSH_LIST_REFERENCE_ERROR, PUSH_LIST_REFERENCE_ERROR_NOT_STATIC_LIST,
                   /* Translators: the placeholder is what was given; keep “#ST” as it is */
                   _("“%s” is a smart list, not a static list: people can only be added to a "
                     "static list (its address ends in #ST followed by its id)"), shown);
      return FALSE;
    }
  if (!g_str_equal (prefix, PUSH_LIST_REFERENCE_STATIC_LIST_PREFIX))
    {
      g_set_error (error, PUSH_LIST_REFERENCE_ERROR, PUSH_LIST_REFERENCE_ERROR_NOT_STATIC_LIST,
                   /* Translators: the placeholders are what was given and an asset code
                    * prefix like “PG”; keep “#ST” as it is */
                   _("“%s” is not a static list: its code starts with %s, and a static list’s "
                     "address ends in #ST followed by its id"), shown, prefix);
      return FALSE;
    }

  return parse_id (code + 2, digits_end - 2, shown, out_list_id, error);
}

static gboolean
parse_address (const char  *text,
               gint64      *out_list_id,
               GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *fragment;
  gboolean recognised;

  uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0))
    {
      g_set_error (error, PUSH_LIST_REFERENCE_ERROR, PUSH_LIST_REFERENCE_ERROR_INVALID,
                   /* Translators: the placeholder is what was given; keep the examples */
                   _("“%s” is not a static list: give its id (1190), its code (ST1190) or its "
                     "address in Marketo (https://app-….marketo.com/#ST1190A1)"), text);
      return FALSE;
    }

  fragment = g_uri_get_fragment (uri);
  if (fragment == NULL || *fragment == '\0')
    {
      g_set_error (error, PUSH_LIST_REFERENCE_ERROR, PUSH_LIST_REFERENCE_ERROR_INVALID,
                   /* Translators: the placeholder is an address; keep “#ST1190A1” */
                   _("The address “%s” does not name a Marketo asset: open the static list in "
                     "Marketo and copy the address that ends in its code, like #ST1190A1"),
                   text);
      return FALSE;
    }

  if (parse_asset_code (fragment, text, &recognised, out_list_id, error))
    return TRUE;
  if (!recognised)
    g_set_error (error, PUSH_LIST_REFERENCE_ERROR, PUSH_LIST_REFERENCE_ERROR_INVALID,
                 /* Translators: the placeholders are an address and its “#…” part */
                 _("The address “%s” ends in “#%s”, which is not a Marketo asset code like "
                   "#ST1190A1"), text, fragment);
  return FALSE;
}

gboolean
push_list_reference_parse (const char  *text,
                           gint64      *out_list_id,
                           GError     **error)
{
  g_autofree char *trimmed = NULL;
  gboolean recognised;
  gint64 list_id = 0;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  trimmed = g_strstrip (g_strdup (text != NULL ? text : ""));
  if (*trimmed == '\0')
    {
      g_set_error_literal (error, PUSH_LIST_REFERENCE_ERROR, PUSH_LIST_REFERENCE_ERROR_EMPTY,
                           _("No static list was given"));
      return FALSE;
    }

  if (is_digits (trimmed, strlen (trimmed)))
    {
      if (!parse_id (trimmed, strlen (trimmed), trimmed, &list_id, error))
        return FALSE;
    }
  else if (strstr (trimmed, "://") != NULL)
    {
      if (!parse_address (trimmed, &list_id, error))
        return FALSE;
    }
  else
    {
      /* "#ST1190A1", as copied from the end of an address */
      const char *code = trimmed[0] == '#' ? trimmed + 1 : trimmed;

      if (!parse_asset_code (code, trimmed, &recognised, &list_id, error))
        {
          if (!recognised)
            g_set_error (error, PUSH_LIST_REFERENCE_ERROR, PUSH_LIST_REFERENCE_ERROR_INVALID,
                         _("“%s” is not a static list: give its id (1190), its code (ST1190) or "
                           "its address in Marketo (https://app-….marketo.com/#ST1190A1)"),
                         trimmed);
          return FALSE;
        }
    }

  if (out_list_id != NULL)
    *out_list_id = list_id;
  return TRUE;
}
