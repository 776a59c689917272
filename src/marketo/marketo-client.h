/* marketo-client.h: the Marketo REST client
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CONTRACT (set by the skeleton; the client's owner grows it): the functions below are used by
 * the UI and the CLI. Add to this header freely; change what is here only with everyone.
 */
#pragma once

#include <gio/gio.h>

#include "marketo-error.h"

G_BEGIN_DECLS

/* What a successful identity call tells. The token itself is never exposed. */
typedef struct {
  char   *scope;       /* the API-only user that owns the custom service */
  char   *token_type;  /* "bearer" */
  gint64  expires_in;  /* remaining lifetime in seconds, as the server said */
} MarketoTokenInfo;

#define MARKETO_TYPE_TOKEN_INFO (marketo_token_info_get_type ())
GType             marketo_token_info_get_type (void) G_GNUC_CONST;
MarketoTokenInfo *marketo_token_info_copy     (const MarketoTokenInfo *info);
void              marketo_token_info_free     (MarketoTokenInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MarketoTokenInfo, marketo_token_info_free)

#define MARKETO_TYPE_CLIENT (marketo_client_get_type ())
G_DECLARE_FINAL_TYPE (MarketoClient, marketo_client, MARKETO, CLIENT, GObject)

/* @endpoint: scheme and host ("https://123-ABC-456.mktorest.com"); a trailing "/rest" or
 * "/identity" is accepted and stripped. Plain http is refused unless the host is loopback
 * (MARKETO_ERROR_INVALID_ENDPOINT). The secret is copied and kept only in memory. */
MarketoClient    *marketo_client_new          (const char    *endpoint,
                                               const char    *client_id,
                                               const char    *client_secret,
                                               GError       **error);

const char       *marketo_client_get_endpoint (MarketoClient *self);

/* Requests a token with the client-credentials grant (or returns the cached one's info).
 * Failures are precise: MARKETO_ERROR_INVALID_CLIENT, _UNREACHABLE, _TLS, _TIMEOUT,
 * _NOT_MARKETO, _HTTP. */
void              marketo_client_authenticate_async  (MarketoClient       *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
MarketoTokenInfo *marketo_client_authenticate_finish (MarketoClient       *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

G_END_DECLS
