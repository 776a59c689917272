/* push-list-reference.h: a static list named the way people paste it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * People find a static list in Marketo's web interface and copy either its id or the address
 * in the browser. push_list_reference_parse() turns what they pasted into the list id. The
 * accepted forms, surrounding spaces ignored:
 *
 *   1190                                   the id (1 … 2147483647)
 *   ST1190  ST1190A1                       the static list's asset code, with or without
 *                                          the tab suffix Marketo appends (A1, B2, …)
 *   https://app-ab12.marketo.com/#ST1190A1 an http(s) address whose fragment is such a code
 *
 * Anything else fails with a sentence that says what was recognised and what is expected:
 * another kind of asset (SL: a smart list, PG: a program, …), an address without an asset
 * code, a zero or out-of-range id, words.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * PushListReferenceError:
 * @PUSH_LIST_REFERENCE_ERROR_EMPTY: nothing was given
 * @PUSH_LIST_REFERENCE_ERROR_INVALID: neither an id, an asset code nor a Marketo address
 * @PUSH_LIST_REFERENCE_ERROR_OUT_OF_RANGE: a number, but not a possible list id
 * @PUSH_LIST_REFERENCE_ERROR_NOT_STATIC_LIST: the code or address of another kind of asset
 */
#define PUSH_LIST_REFERENCE_ERROR (push_list_reference_error_quark ())
typedef enum {
  PUSH_LIST_REFERENCE_ERROR_EMPTY,
  PUSH_LIST_REFERENCE_ERROR_INVALID,
  PUSH_LIST_REFERENCE_ERROR_OUT_OF_RANGE,
  PUSH_LIST_REFERENCE_ERROR_NOT_STATIC_LIST,
} PushListReferenceError;
GQuark    push_list_reference_error_quark (void);

/* The asset-code prefix of Marketo static lists. */
#define PUSH_LIST_REFERENCE_STATIC_LIST_PREFIX "ST"

/* The list id @text names, or FALSE with a PUSH_LIST_REFERENCE_ERROR (translated message). */
gboolean  push_list_reference_parse       (const char  *text,
                                           gint64      *out_list_id,
                                           GError     **error);

G_END_DECLS
