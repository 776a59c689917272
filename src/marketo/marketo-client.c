/* marketo-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How a call goes (call_start and the callbacks after it):
 *
 *   token (cached, or one identity request shared by every caller)
 *     → permit from the pacer (window, in-flight cap, daily quota)
 *       → HTTP request with a timeout of its own
 *         → envelope → typed result, or an error that keeps Marketo's code and requestId.
 *
 * 601/602 drop the token and retry once with a new one; transient failures (5xx, network,
 * 604, 608, 611, 614, 615, 713, 719) retry with exponential backoff and full jitter; 606
 * waits for the window to roll; 607 tells the pacer the day is over and fails with the reset
 * time. Calls that are not idempotent (bulk import, createDuplicate) are only retried when
 * Marketo surely did not execute them.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "marketo-client.h"
#include "marketo-types-private.h"

#define DEFAULT_IDENTITY_TIMEOUT_MS    30000
#define DEFAULT_LOOKUP_TIMEOUT_MS      90000   /* server: 60 s for lookups */
#define DEFAULT_SYNC_TIMEOUT_MS       120000   /* server: 90 s for Sync Leads */
#define DEFAULT_OTHER_TIMEOUT_MS       60000   /* server: 30 s for the rest */
#define DEFAULT_RETRY_BASE_MS           1000
#define DEFAULT_RETRY_CAP_MS           30000
#define DEFAULT_MAX_ATTEMPTS               6
#define TOKEN_REFRESH_MARGIN_MS         5000

#define MAX_RECORDS_PER_CALL             300
#define MAX_JSON_BODY              (1024 * 1024)
#define MAX_GET_URI                     8000   /* Marketo answers 414 above 8 KB */

struct _MarketoClient
{
  GObject       parent_instance;

  GMainContext *context;          /* (owned) thread-default context at creation */
  SoupSession  *session;          /* (owned) */
  MarketoPacer *pacer;            /* (owned) */
  char         *endpoint;         /* (owned) "scheme://host[:port]" */
  char         *client_id;        /* (owned) */
  char         *client_secret;    /* (owned) wiped on finalize */

  /* Token cache */
  char         *token;            /* (owned) (nullable) wiped when dropped */
  char         *token_type;       /* (owned) (nullable) */
  char         *scope;            /* (owned) (nullable) */
  gint64        token_expires_at; /* monotonic µs */
  gint64        token_margin_us;  /* renew this long before expiry: 5 s, less for short tokens */
  guint         token_generation; /* bumped with every new token */
  gboolean      auth_in_flight;
  GQueue        token_waiters;    /* (element-type TokenWaiter) (owned) */

  /* Settings */
  guint         identity_timeout_ms;
  guint         lookup_timeout_ms;
  guint         sync_timeout_ms;
  guint         other_timeout_ms;
  guint         retry_base_ms;
  guint         retry_cap_ms;
  guint         max_attempts;

  MarketoClientStats stats;
};

G_DEFINE_FINAL_TYPE (MarketoClient, marketo_client, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (MarketoTokenInfo, marketo_token_info,
                     marketo_token_info_copy, marketo_token_info_free)

MarketoTokenInfo *
marketo_token_info_copy (const MarketoTokenInfo *info)
{
  MarketoTokenInfo *copy;

  g_return_val_if_fail (info != NULL, NULL);

  copy = g_new0 (MarketoTokenInfo, 1);
  copy->scope = g_strdup (info->scope);
  copy->token_type = g_strdup (info->token_type);
  copy->expires_in = info->expires_in;
  return copy;
}

void
marketo_token_info_free (MarketoTokenInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->scope);
  g_free (info->token_type);
  g_free (info);
}

static void
wipe_string (char **str)
{
  if (*str != NULL)
    {
      explicit_bzero (*str, strlen (*str));
      g_clear_pointer (str, g_free);
    }
}

/* A GDestroyNotify for buffers that held a secret. */
static void
wipe_and_free (gpointer data)
{
  char *str = data;

  wipe_string (&str);
}

static void
marketo_client_finalize (GObject *object)
{
  MarketoClient *self = MARKETO_CLIENT (object);

  g_assert (g_queue_is_empty (&self->token_waiters));

  g_clear_object (&self->session);
  g_clear_object (&self->pacer);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->endpoint, g_free);
  g_clear_pointer (&self->client_id, g_free);
  wipe_string (&self->client_secret);
  wipe_string (&self->token);
  g_clear_pointer (&self->token_type, g_free);
  g_clear_pointer (&self->scope, g_free);

  G_OBJECT_CLASS (marketo_client_parent_class)->finalize (object);
}

static void
marketo_client_class_init (MarketoClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = marketo_client_finalize;
}

static void
marketo_client_init (MarketoClient *self)
{
  g_queue_init (&self->token_waiters);
  self->identity_timeout_ms = DEFAULT_IDENTITY_TIMEOUT_MS;
  self->token_margin_us = 0;
  self->lookup_timeout_ms = DEFAULT_LOOKUP_TIMEOUT_MS;
  self->sync_timeout_ms = DEFAULT_SYNC_TIMEOUT_MS;
  self->other_timeout_ms = DEFAULT_OTHER_TIMEOUT_MS;
  self->retry_base_ms = DEFAULT_RETRY_BASE_MS;
  self->retry_cap_ms = DEFAULT_RETRY_CAP_MS;
  self->max_attempts = DEFAULT_MAX_ATTEMPTS;
}

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* Validates @endpoint and returns "scheme://host[:port]". */
static char *
normalize_endpoint (const char  *endpoint,
                    GError     **error)
{
  g_autofree char *stripped = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;
  const char *path;
  gsize len;

  stripped = g_strstrip (g_strdup (endpoint != NULL ? endpoint : ""));
  len = strlen (stripped);
  while (len > 0 && stripped[len - 1] == '/')
    stripped[--len] = '\0';
  if (g_str_has_suffix (stripped, "/rest"))
    stripped[len - strlen ("/rest")] = '\0';
  else if (g_str_has_suffix (stripped, "/identity"))
    stripped[len - strlen ("/identity")] = '\0';

  uri = g_uri_parse (stripped, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, MARKETO_ERROR, MARKETO_ERROR_INVALID_ENDPOINT,
                   _("“%s” is not a valid endpoint URL"), endpoint != NULL ? endpoint : "");
      return NULL;
    }

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  path = g_uri_get_path (uri);
  if ((path != NULL && *path != '\0') || g_uri_get_query (uri) != NULL
      || g_uri_get_userinfo (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, MARKETO_ERROR, MARKETO_ERROR_INVALID_ENDPOINT,
                   _("The endpoint must be only a scheme and a host, like https://123-ABC-456.mktorest.com"));
      return NULL;
    }

  if (g_ascii_strcasecmp (scheme, "https") != 0)
    {
      if (g_ascii_strcasecmp (scheme, "http") != 0)
        {
          g_set_error (error, MARKETO_ERROR, MARKETO_ERROR_INVALID_ENDPOINT,
                       _("The endpoint must be an https:// URL"));
          return NULL;
        }
      if (!host_is_loopback (host))
        {
          g_set_error (error, MARKETO_ERROR, MARKETO_ERROR_INVALID_ENDPOINT,
                       _("Plain http is only allowed for a local sandbox; use https://"));
          return NULL;
        }
    }

  return g_uri_to_string_partial (uri, G_URI_HIDE_USERINFO);
}

MarketoClient *
marketo_client_new (const char  *endpoint,
                    const char  *client_id,
                    const char  *client_secret,
                    GError     **error)
{
  g_autoptr(MarketoClient) self = NULL;
  g_autofree char *normalized = NULL;
  g_autofree char *user_agent = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  normalized = normalize_endpoint (endpoint, error);
  if (normalized == NULL)
    return NULL;

  if (client_id == NULL || *client_id == '\0' || client_secret == NULL || *client_secret == '\0')
    {
      g_set_error (error, MARKETO_ERROR, MARKETO_ERROR_INVALID_CLIENT,
                   _("A client ID and a client secret are needed"));
      return NULL;
    }

  self = g_object_new (MARKETO_TYPE_CLIENT, NULL);
  self->context = g_main_context_ref_thread_default ();
  self->endpoint = g_steal_pointer (&normalized);
  self->client_id = g_strdup (client_id);
  self->client_secret = g_strdup (client_secret);
  self->pacer = marketo_pacer_get_for_endpoint (self->endpoint);

  /* One session per client: keep-alive connections, enough of them for the in-flight cap,
   * the system's TLS database (certificates always verified), gzip decoding (libsoup's
   * content decoder sends Accept-Encoding) and no I/O timeout of its own: every request
   * gets its own timer, set above the server's timeouts. */
  user_agent = g_strdup_printf ("AudiencePush/%s", PACKAGE_VERSION);
  self->session = soup_session_new_with_options ("user-agent", user_agent,
                                                 "max-conns", 32,
                                                 "max-conns-per-host",
                                                 MARKETO_PACER_LIMIT_IN_FLIGHT + 2,
                                                 "timeout", 0,
                                                 NULL);

  return g_steal_pointer (&self);
}

const char *
marketo_client_get_endpoint (MarketoClient *self)
{
  g_return_val_if_fail (MARKETO_IS_CLIENT (self), NULL);

  return self->endpoint;
}

void
marketo_client_set_pacer (MarketoClient *self,
                          MarketoPacer  *pacer)
{
  g_return_if_fail (MARKETO_IS_CLIENT (self));
  g_return_if_fail (MARKETO_IS_PACER (pacer));

  g_set_object (&self->pacer, pacer);
}

MarketoPacer *
marketo_client_get_pacer (MarketoClient *self)
{
  g_return_val_if_fail (MARKETO_IS_CLIENT (self), NULL);

  return self->pacer;
}

void
marketo_client_set_timeouts (MarketoClient *self,
                             guint          lookup_ms,
                             guint          sync_ms,
                             guint          other_ms)
{
  g_return_if_fail (MARKETO_IS_CLIENT (self));

  self->lookup_timeout_ms = lookup_ms > 0 ? lookup_ms : DEFAULT_LOOKUP_TIMEOUT_MS;
  self->sync_timeout_ms = sync_ms > 0 ? sync_ms : DEFAULT_SYNC_TIMEOUT_MS;
  self->other_timeout_ms = other_ms > 0 ? other_ms : DEFAULT_OTHER_TIMEOUT_MS;
  self->identity_timeout_ms = other_ms > 0 ? other_ms : DEFAULT_IDENTITY_TIMEOUT_MS;
}

void
marketo_client_set_retry_policy (MarketoClient *self,
                                 guint          base_ms,
                                 guint          cap_ms,
                                 guint          max_attempts)
{
  g_return_if_fail (MARKETO_IS_CLIENT (self));

  self->retry_base_ms = MAX (base_ms, 1);
  self->retry_cap_ms = MAX (cap_ms, self->retry_base_ms);
  self->max_attempts = MAX (max_attempts, 1);
}

void
marketo_client_get_stats (MarketoClient      *self,
                          MarketoClientStats *stats)
{
  g_return_if_fail (MARKETO_IS_CLIENT (self));
  g_return_if_fail (stats != NULL);

  *stats = self->stats;
}

static gboolean
in_client_context (MarketoClient *self)
{
  g_autoptr(GMainContext) current = g_main_context_ref_thread_default ();

  return current == self->context;
}

/* ----------------------------------------------------------------------------------------- */
/* Errors                                                                                    */

static GError *
map_transport_error (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  if (error->domain == G_TLS_ERROR)
    return g_error_new (MARKETO_ERROR, MARKETO_ERROR_TLS,
                        _("Secure connection failed: %s"), error->message);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new (MARKETO_ERROR, MARKETO_ERROR_TIMEOUT,
                        _("No answer in time: %s"), error->message);
  if (error->domain == G_RESOLVER_ERROR || error->domain == G_IO_ERROR)
    return g_error_new (MARKETO_ERROR, MARKETO_ERROR_UNREACHABLE,
                        _("Could not reach Marketo: %s"), error->message);
  if (error->domain == SOUP_SESSION_ERROR)
    return g_error_new (MARKETO_ERROR, MARKETO_ERROR_NOT_MARKETO,
                        _("The server did not answer like Marketo: %s"), error->message);
  return g_error_new (MARKETO_ERROR, MARKETO_ERROR_UNREACHABLE,
                      _("Could not reach Marketo: %s"), error->message);
}

/* A failure Marketo answered: keeps its code and request id. */
static GError *
marketo_failure_new (int         code,
                     const char *message,
                     const char *request_id,
                     guint       http_status)
{
  const char *text = message != NULL && *message != '\0' ? message : marketo_error_code_describe (code);
  GError *error;

  if (text == NULL)
    text = _("Marketo refused the request");
  if (request_id != NULL)
    error = g_error_new (MARKETO_ERROR, code, _("%s (code %d, request ID %s)"),
                         text, code, request_id);
  else
    error = g_error_new (MARKETO_ERROR, code, _("%s (code %d)"), text, code);
  marketo_error_set_request_id (error, request_id);
  marketo_error_set_http_status (error, http_status);
  return error;
}

/* ----------------------------------------------------------------------------------------- */
/* Authentication                                                                            */

typedef struct {
  GTask   *task;           /* (owned) */
  GSource *cancel_source;  /* (owned) (nullable) */
} TokenWaiter;

static void
token_waiter_free (TokenWaiter *waiter)
{
  if (waiter->cancel_source != NULL)
    {
      g_source_destroy (waiter->cancel_source);
      g_source_unref (waiter->cancel_source);
    }
  g_clear_object (&waiter->task);
  g_free (waiter);
}

static MarketoTokenInfo *
dup_token_info (MarketoClient *self)
{
  MarketoTokenInfo *info = g_new0 (MarketoTokenInfo, 1);
  gint64 remaining = self->token_expires_at - g_get_monotonic_time ();

  info->scope = g_strdup (self->scope);
  info->token_type = g_strdup (self->token_type);
  info->expires_in = MAX (remaining, 0) / G_USEC_PER_SEC;
  return info;
}

static gboolean
token_is_usable (MarketoClient *self)
{
  return self->token != NULL
         && self->token_expires_at - g_get_monotonic_time () > self->token_margin_us;
}

static gboolean
token_is_expired (MarketoClient *self)
{
  return self->token == NULL || self->token_expires_at <= g_get_monotonic_time ();
}

static void
drop_token (MarketoClient *self)
{
  wipe_string (&self->token);
}

static void
complete_token_waiters (MarketoClient *self,
                        const GError  *error)
{
  TokenWaiter *waiter;

  while ((waiter = g_queue_pop_head (&self->token_waiters)) != NULL)
    {
      if (error != NULL)
        g_task_return_error (waiter->task, g_error_copy (error));
      else
        g_task_return_pointer (waiter->task, dup_token_info (self),
                               (GDestroyNotify) marketo_token_info_free);
      token_waiter_free (waiter);
    }
}

static GError *
parse_identity_response (MarketoClient *self,
                         SoupMessage   *message,
                         GBytes        *body)
{
  guint status = soup_message_get_status (message);
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonObject *object = NULL;
  const char *token;
  gint64 expires_in;
  gsize size = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &size) : NULL;
  GError *error;

  if (data != NULL && size > 0 && json_parser_load_from_data (parser, data, size, NULL)
      && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    object = json_node_get_object (json_parser_get_root (parser));

  if (status == SOUP_STATUS_UNAUTHORIZED)
    {
      const char *description = _marketo_json_get_string (object, "error_description");

      if (description != NULL)
        error = g_error_new (MARKETO_ERROR, MARKETO_ERROR_INVALID_CLIENT,
                             _("The client ID or secret was refused (%s)"), description);
      else
        error = g_error_new_literal (MARKETO_ERROR, MARKETO_ERROR_INVALID_CLIENT,
                                     _("The client ID or secret was refused"));
      marketo_error_set_http_status (error, status);
      return error;
    }

  token = _marketo_json_get_string (object, "access_token");
  if (status != SOUP_STATUS_OK || token == NULL || *token == '\0')
    {
      if (SOUP_STATUS_IS_SERVER_ERROR (status))
        error = g_error_new (MARKETO_ERROR, MARKETO_ERROR_HTTP,
                             _("The server answered HTTP %u"), status);
      else
        error = g_error_new (MARKETO_ERROR, MARKETO_ERROR_NOT_MARKETO,
                             _("The endpoint did not answer like Marketo’s identity service (HTTP %u)"),
                             status);
      marketo_error_set_http_status (error, status);
      return error;
    }

  expires_in = _marketo_json_get_int_or (object, "expires_in", 0);
  wipe_string (&self->token);
  self->token = g_strdup (token);
  self->token_generation++;
  g_free (self->token_type);
  self->token_type = g_strdup (_marketo_json_get_string (object, "token_type"));
  g_free (self->scope);
  self->scope = g_strdup (_marketo_json_get_string (object, "scope"));
  self->token_expires_at = g_get_monotonic_time () + MAX (expires_in, 0) * G_USEC_PER_SEC;
  /* A fresh token says how long tokens live; waiting out the last 5 s of a 3600 s token is
   * cheap, but a sandbox may hand out tokens of a few seconds. */
  if (expires_in > 1)
    self->token_margin_us = MIN ((gint64) TOKEN_REFRESH_MARGIN_MS * 1000,
                                 MAX (self->token_margin_us, expires_in * G_USEC_PER_SEC / 10));
  g_debug ("Got a token from %s, valid for %" G_GINT64_FORMAT " s", self->endpoint, expires_in);

  return NULL;
}

typedef struct {
  MarketoClient *client;      /* (owned) */
  SoupMessage   *message;     /* (owned) */
  GCancellable  *cancellable; /* (owned) private, cancelled on timeout */
  GSource       *timeout;     /* (owned) (nullable) */
  gboolean       timed_out;
} IdentityRequest;

static void
identity_request_free (IdentityRequest *request)
{
  if (request->timeout != NULL)
    {
      g_source_destroy (request->timeout);
      g_source_unref (request->timeout);
    }
  g_clear_object (&request->message);
  g_clear_object (&request->cancellable);
  g_clear_object (&request->client);
  g_free (request);
}

static void request_token (MarketoClient *self);

static gboolean
request_token_cb (gpointer user_data)
{
  request_token (MARKETO_CLIENT (user_data));
  return G_SOURCE_REMOVE;
}

static void
request_token_later (MarketoClient *self,
                     guint          delay_ms)
{
  g_autoptr(GSource) source = g_timeout_source_new (delay_ms);

  self->auth_in_flight = TRUE;
  g_source_set_callback (source, request_token_cb, g_object_ref (self), g_object_unref);
  g_source_set_static_name (source, "[marketo] token wait");
  g_source_attach (source, self->context);
}

static void
identity_sent_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  IdentityRequest *request = user_data;
  MarketoClient *self = request->client;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &local_error);
  if (body == NULL)
    {
      if (request->timed_out)
        error = g_error_new (MARKETO_ERROR, MARKETO_ERROR_TIMEOUT,
                             _("The identity service did not answer within %u s"),
                             MAX (self->identity_timeout_ms / 1000, 1));
      else
        error = map_transport_error (local_error);
    }
  else
    {
      error = parse_identity_response (self, request->message, body);
    }

  self->auth_in_flight = FALSE;

  /* A token at the very end of its life comes back with expires_in ≤ 1: ask again once it
   * has expired, when the service mints a new one. */
  if (error == NULL && self->token_expires_at - g_get_monotonic_time () <= G_USEC_PER_SEC)
    {
      gint64 wait_ms = MAX (self->token_expires_at - g_get_monotonic_time (), 0) / 1000 + 1000;

      g_debug ("Token at the end of its life; asking again in %" G_GINT64_FORMAT " ms", wait_ms);
      drop_token (self);
      request_token_later (self, (guint) wait_ms);
      identity_request_free (request);
      return;
    }

  complete_token_waiters (self, error);
  identity_request_free (request);
}

static gboolean
identity_timeout_cb (gpointer user_data)
{
  IdentityRequest *request = user_data;

  request->timed_out = TRUE;
  g_cancellable_cancel (request->cancellable);
  return G_SOURCE_REMOVE;
}

/* Starts the identity request; its answer completes every waiter in token_waiters. */
static void
request_token (MarketoClient *self)
{
  IdentityRequest *request;
  g_autofree char *url = NULL;
  g_autoptr(GBytes) body = NULL;
  char *form;

  self->auth_in_flight = TRUE;
  self->stats.identity_requests++;

  request = g_new0 (IdentityRequest, 1);
  request->client = g_object_ref (self);
  request->cancellable = g_cancellable_new ();

  /* The credentials travel in a form body, never in the URL; the body is wiped when freed. */
  url = g_strconcat (self->endpoint, "/identity/oauth/token", NULL);
  request->message = soup_message_new (SOUP_METHOD_POST, url);
  form = soup_form_encode ("grant_type", "client_credentials",
                           "client_id", self->client_id,
                           "client_secret", self->client_secret,
                           NULL);
  body = g_bytes_new_with_free_func (form, strlen (form), wipe_and_free, form);
  soup_message_set_request_body_from_bytes (request->message,
                                            "application/x-www-form-urlencoded", body);
  soup_message_headers_replace (soup_message_get_request_headers (request->message),
                                "Accept", "application/json");

  request->timeout = g_timeout_source_new (self->identity_timeout_ms);
  g_source_set_callback (request->timeout, identity_timeout_cb, request, NULL);
  g_source_set_static_name (request->timeout, "[marketo] identity timeout");
  g_source_attach (request->timeout, self->context);

  g_debug ("Requesting a token from %s", self->endpoint);
  soup_session_send_and_read_async (self->session, request->message, G_PRIORITY_DEFAULT,
                                    request->cancellable, identity_sent_cb, request);
}

static gboolean
token_waiter_cancelled_cb (GCancellable *cancellable,
                           gpointer      user_data)
{
  TokenWaiter *waiter = user_data;
  MarketoClient *self = g_task_get_source_object (waiter->task);

  if (g_queue_remove (&self->token_waiters, waiter))
    {
      g_task_return_error_if_cancelled (waiter->task);
      g_clear_pointer (&waiter->cancel_source, g_source_unref);  /* being dispatched */
      token_waiter_free (waiter);
    }
  return G_SOURCE_REMOVE;
}

/* Gets a usable token: the cached one, or the answer of the identity request in flight, or a
 * new identity request. Only one identity request is ever in flight per client. */
static void
ensure_token_async (MarketoClient       *self,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  TokenWaiter *waiter;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ensure_token_async);

  if (token_is_usable (self))
    {
      g_task_return_pointer (task, dup_token_info (self), (GDestroyNotify) marketo_token_info_free);
      return;
    }

  waiter = g_new0 (TokenWaiter, 1);
  waiter->task = g_steal_pointer (&task);
  if (cancellable != NULL)
    {
      waiter->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (waiter->cancel_source, G_SOURCE_FUNC (token_waiter_cancelled_cb),
                             waiter, NULL);
      g_source_set_static_name (waiter->cancel_source, "[marketo] token cancel");
      g_source_attach (waiter->cancel_source, self->context);
    }
  g_queue_push_tail (&self->token_waiters, waiter);

  if (self->auth_in_flight)
    return;

  if (self->token != NULL && self->token_expires_at > g_get_monotonic_time ())
    {
      /* Asking before expiry returns the same token: wait for it to expire first. */
      gint64 wait_ms = (self->token_expires_at - g_get_monotonic_time ()) / 1000 + 1;

      g_debug ("Token expires in %" G_GINT64_FORMAT " ms; asking for a new one then", wait_ms);
      drop_token (self);
      request_token_later (self, (guint) wait_ms);
    }
  else
    {
      drop_token (self);
      request_token (self);
    }
}

static MarketoTokenInfo *
ensure_token_finish (MarketoClient  *self,
                     GAsyncResult   *result,
                     GError        **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
authenticate_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  MarketoTokenInfo *info;

  info = ensure_token_finish (MARKETO_CLIENT (source), result, &error);
  if (info == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, info, (GDestroyNotify) marketo_token_info_free);
}

void
marketo_client_authenticate_async (MarketoClient       *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (MARKETO_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (in_client_context (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, marketo_client_authenticate_async);
  ensure_token_async (self, cancellable, authenticate_cb, task);
}

MarketoTokenInfo *
marketo_client_authenticate_finish (MarketoClient  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  g_return_val_if_fail (MARKETO_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == marketo_client_authenticate_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ----------------------------------------------------------------------------------------- */
/* Requests                                                                                  */

typedef struct {
  char     *method;
  char     *path;          /* "/rest/v1/leads.json" */
  char     *query;         /* (nullable) encoded, without the '?' */
  GBytes   *body;          /* (nullable) */
  char     *content_type;  /* (nullable) */
  guint     timeout_ms;
  gboolean  idempotent;
  gboolean  raw;           /* the answer is a file, not an envelope */
  gboolean  halve_on_604;  /* a batch: on 604, hand it back to be split, not retried whole */
} Request;

static void
request_free (Request *request)
{
  if (request == NULL)
    return;  /* already handed to its call */
  g_free (request->method);
  g_free (request->path);
  g_free (request->query);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_free (request->content_type);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

static Request *
request_new (const char *method,
             char       *path,       /* (transfer full) */
             guint       timeout_ms)
{
  Request *request = g_new0 (Request, 1);

  request->method = g_strdup (method);
  request->path = path;
  request->timeout_ms = timeout_ms;
  request->idempotent = TRUE;
  return request;
}

static void
query_add (GString    *query,
           const char *name,
           const char *value)
{
  if (value == NULL)
    return;
  if (query->len > 0)
    g_string_append_c (query, '&');
  g_string_append_uri_escaped (query, name, NULL, FALSE);
  g_string_append_c (query, '=');
  g_string_append_uri_escaped (query, value, NULL, FALSE);
}

static void
query_add_int (GString    *query,
               const char *name,
               gint64      value)
{
  char buffer[32];

  g_snprintf (buffer, sizeof buffer, "%" G_GINT64_FORMAT, value);
  query_add (query, name, buffer);
}

static void
query_add_joined (GString            *query,
                  const char         *name,
                  const char * const *values)
{
  g_autofree char *joined = NULL;

  if (values == NULL || values[0] == NULL)
    return;
  joined = g_strjoinv (",", (char **) values);
  query_add (query, name, joined);
}

/* The fields of a lead read, with "id" always among them (MarketoLead.id relies on it). */
static void
query_add_fields (GString            *query,
                  const char * const *fields)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) with_id = NULL;

  if (fields == NULL || fields[0] == NULL)
    return;
  builder = g_strv_builder_new ();
  if (!g_strv_contains (fields, "id"))
    g_strv_builder_add (builder, "id");
  g_strv_builder_addv (builder, (const char **) fields);
  with_id = g_strv_builder_end (builder);
  query_add_joined (query, "fields", (const char * const *) with_id);
}

static void
request_set_query (Request *request,
                   GString *query)
{
  g_free (request->query);
  request->query = query->len > 0 ? g_strdup (query->str) : NULL;
}

/* A read whose URI would pass 8 KB goes as POST ?_method=GET with a form body. */
static void
request_fit_uri (MarketoClient *self,
                 Request       *request)
{
  gsize length;

  if (!g_str_equal (request->method, SOUP_METHOD_GET) || request->query == NULL)
    return;
  length = strlen (request->path) + 1 + strlen (request->query);
  if (length <= MAX_GET_URI)
    return;

  g_free (request->method);
  request->method = g_strdup (SOUP_METHOD_POST);
  request->body = g_bytes_new_take (g_steal_pointer (&request->query),
                                    length - strlen (request->path) - 1);
  request->query = g_strdup ("_method=GET");
  g_free (request->content_type);
  request->content_type = g_strdup ("application/x-www-form-urlencoded");
}

static void
request_set_body (Request    *request,
                  const char *content_type,
                  GBytes     *body)
{
  g_clear_pointer (&request->body, g_bytes_unref);
  request->body = g_bytes_ref (body);
  g_free (request->content_type);
  request->content_type = g_strdup (content_type);
}

static void
request_set_form (Request *request,
                  GString *form)
{
  g_autoptr(GBytes) body = g_bytes_new (form->str, form->len);

  request_set_body (request, "application/x-www-form-urlencoded", body);
}

typedef struct {
  JsonNode   *root;        /* (owned) (nullable) */
  JsonObject *envelope;    /* (nullable) in root */
  char       *request_id;  /* (owned) (nullable) */
  GBytes     *raw;         /* (owned) (nullable) raw answers */
} Response;

static void
response_free (Response *response)
{
  g_clear_pointer (&response->root, json_node_unref);
  g_free (response->request_id);
  g_clear_pointer (&response->raw, g_bytes_unref);
  g_free (response);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Response, response_free)

/* The envelope's result array (a missing result is an empty one). */
static JsonArray *
response_get_result (Response *response)
{
  return _marketo_json_get_array (response->envelope, "result");
}

static guint
response_result_length (Response *response)
{
  JsonArray *result = response_get_result (response);

  return result != NULL ? json_array_get_length (result) : 0;
}

static JsonObject *
response_result_object (Response *response,
                        guint     index)
{
  JsonArray *result = response_get_result (response);
  JsonNode *node;

  if (result == NULL || index >= json_array_get_length (result))
    return NULL;
  node = json_array_get_element (result, index);
  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* Turns an HTTP answer into a Response or a MARKETO_ERROR. */
static Response *
parse_response (SoupMessage  *message,
                GBytes       *body,
                gboolean      raw,
                GError      **error)
{
  guint status = soup_message_get_status (message);
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(Response) response = g_new0 (Response, 1);
  JsonObject *object = NULL;
  gsize size = 0;
  const char *data = g_bytes_get_data (body, &size);
  GError *local_error = NULL;

  if (status == SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE || status == SOUP_STATUS_REQUEST_URI_TOO_LONG)
    {
      local_error = g_error_new (MARKETO_ERROR,
                                 status == SOUP_STATUS_REQUEST_URI_TOO_LONG
                                 ? MARKETO_ERROR_URI_TOO_LONG : MARKETO_ERROR_PAYLOAD_TOO_LARGE,
                                 status == SOUP_STATUS_REQUEST_URI_TOO_LONG
                                 ? _("The request URI is too long (HTTP 414)")
                                 : _("The request body is too large (HTTP 413)"));
      marketo_error_set_http_status (local_error, status);
      g_propagate_error (error, local_error);
      return NULL;
    }

  if (data != NULL && size > 0 && json_parser_load_from_data (parser, data, size, NULL)
      && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      object = json_node_get_object (json_parser_get_root (parser));
      if (!json_object_has_member (object, "success") && !json_object_has_member (object, "requestId"))
        object = NULL;
    }

  if (object == NULL)
    {
      if (raw && SOUP_STATUS_IS_SUCCESSFUL (status))
        {
          response->raw = g_bytes_ref (body);
          return g_steal_pointer (&response);
        }
      if (SOUP_STATUS_IS_SERVER_ERROR (status))
        local_error = g_error_new (MARKETO_ERROR, MARKETO_ERROR_HTTP,
                                   _("The server answered HTTP %u without a Marketo answer"), status);
      else
        local_error = g_error_new (MARKETO_ERROR, MARKETO_ERROR_NOT_MARKETO,
                                   _("The answer is not Marketo’s (HTTP %u)"), status);
      marketo_error_set_http_status (local_error, status);
      g_propagate_error (error, local_error);
      return NULL;
    }

  response->root = json_node_ref (json_parser_get_root (parser));
  response->envelope = object;
  response->request_id = g_strdup (_marketo_json_get_string (object, "requestId"));
  if (response->request_id == NULL)
    {
      gint64 numeric;

      if (_marketo_json_get_int (object, "requestId", &numeric))
        response->request_id = g_strdup_printf ("%" G_GINT64_FORMAT, numeric);
    }

  if (_marketo_json_get_bool_or (object, "success", FALSE) && SOUP_STATUS_IS_SUCCESSFUL (status))
    return g_steal_pointer (&response);

  {
    JsonArray *errors = _marketo_json_get_array (object, "errors");
    JsonNode *first = errors != NULL && json_array_get_length (errors) > 0
                      ? json_array_get_element (errors, 0) : NULL;
    JsonObject *first_object = first != NULL && JSON_NODE_HOLDS_OBJECT (first)
                               ? json_node_get_object (first) : NULL;
    gint64 code;

    if (first_object != NULL && _marketo_json_get_int (first_object, "code", &code) && code > 0)
      {
        local_error = marketo_failure_new ((int) code,
                                           _marketo_json_get_string (first_object, "message"),
                                           response->request_id, status);
      }
    else if (SOUP_STATUS_IS_SERVER_ERROR (status))
      {
        local_error = marketo_failure_new (MARKETO_ERROR_HTTP,
                                           _("The server failed without a Marketo error code"),
                                           response->request_id, status);
      }
    else
      {
        local_error = marketo_failure_new (MARKETO_ERROR_NOT_MARKETO,
                                           _("Marketo refused the request without an error code"),
                                           response->request_id, status);
      }
  }
  g_propagate_error (error, local_error);
  return NULL;
}

typedef struct {
  Request            *request;             /* (owned) */
  guint               attempts;            /* requests sent so far */
  guint               n_606;
  gboolean            reauthenticated;
  guint               token_generation;    /* of the token the last attempt used */
  MarketoPacerPermit *permit;              /* (owned) (nullable) */
  SoupMessage        *message;             /* (owned) (nullable) */
  GCancellable       *attempt_cancellable; /* (owned) (nullable) */
  gulong              cancelled_id;
  GSource            *timeout_source;      /* (owned) (nullable) */
  GSource            *sleep_source;        /* (owned) (nullable) backoff */
  GSource            *sleep_cancel_source; /* (owned) (nullable) */
  gboolean            timed_out;
  gboolean            body_sent;
} Call;

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static void
call_free (Call *call)
{
  g_assert (call->permit == NULL);
  g_assert (call->cancelled_id == 0);
  clear_source (&call->timeout_source);
  clear_source (&call->sleep_source);
  clear_source (&call->sleep_cancel_source);
  g_clear_object (&call->message);
  g_clear_object (&call->attempt_cancellable);
  g_clear_pointer (&call->request, request_free);
  g_free (call);
}

static void call_start (GTask *task);

static guint
backoff_delay_ms (guint base_ms,
                  guint cap_ms,
                  guint n)
{
  guint64 delay = base_ms;

  for (guint i = 1; i < n && delay < cap_ms; i++)
    delay *= 2;
  delay = MIN (delay, cap_ms);
  /* Full jitter over the upper half, so concurrent callers spread out. */
  return (guint) g_random_int_range ((gint32) (delay / 2), (gint32) delay + 1);
}

static gboolean
call_sleep_done_cb (gpointer user_data)
{
  GTask *task = user_data;
  Call *call = g_task_get_task_data (task);

  clear_source (&call->sleep_source);
  clear_source (&call->sleep_cancel_source);
  call_start (task);  /* checks the cancellable first */
  return G_SOURCE_REMOVE;
}

static gboolean
call_sleep_cancelled_cb (GCancellable *cancellable,
                         gpointer      user_data)
{
  return call_sleep_done_cb (user_data);
}

static void
call_retry_later (GTask *task,
                  guint  delay_ms)
{
  MarketoClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  g_debug ("Retrying %s %s in %u ms (attempt %u)", call->request->method, call->request->path,
           delay_ms, call->attempts + 1);
  self->stats.retries++;

  /* The sources share the task's reference: whichever fires first destroys the other. */
  call->sleep_source = g_timeout_source_new (delay_ms);
  g_source_set_callback (call->sleep_source, call_sleep_done_cb, task, NULL);
  g_source_set_static_name (call->sleep_source, "[marketo] backoff");
  g_source_attach (call->sleep_source, self->context);
  if (cancellable != NULL)
    {
      call->sleep_cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (call->sleep_cancel_source, G_SOURCE_FUNC (call_sleep_cancelled_cb),
                             task, NULL);
      g_source_set_static_name (call->sleep_cancel_source, "[marketo] backoff cancel");
      g_source_attach (call->sleep_cancel_source, self->context);
    }
}

static gboolean
call_error_is_retryable (Call         *call,
                         const GError *error)
{
  if (error->domain != MARKETO_ERROR)
    return FALSE;

  switch (error->code)
    {
    /* Marketo ran out of time on a batch: smaller batches are the cure (§6.3), see
     * records_op_call_cb(); a single record is retried like any other call. */
    case MARKETO_ERROR_REQUEST_TIMED_OUT:
      return !call->request->halve_on_604;

    /* Marketo refused before doing anything */
    case MARKETO_ERROR_TEMPORARILY_UNAVAILABLE:
    case MARKETO_ERROR_SYSTEM:
    case MARKETO_ERROR_INVALID_SUBSCRIPTION:
    case MARKETO_ERROR_CONCURRENT_LIMIT:
    case MARKETO_ERROR_TRANSIENT:
    case MARKETO_ERROR_LOCK_WAIT:
      return TRUE;

    /* It may or may not have run: only when running it twice is harmless */
    case MARKETO_ERROR_UNREACHABLE:
      return call->request->idempotent || !call->body_sent;
    case MARKETO_ERROR_TIMEOUT:
    case MARKETO_ERROR_GATEWAY:
    case 500:
      return call->request->idempotent;
    case MARKETO_ERROR_HTTP:
      return call->request->idempotent && marketo_error_get_http_status (error) >= 500;

    default:
      return FALSE;
    }
}

/* Decides what a failed attempt leads to: a new token, a retry, or the end. */
static void
call_handle_failure (GTask  *task,
                     GError *error)  /* (transfer full) */
{
  MarketoClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  g_autoptr(GError) owned_error = error;

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  if (g_error_matches (error, MARKETO_ERROR, MARKETO_ERROR_ACCESS_TOKEN_INVALID)
      || g_error_matches (error, MARKETO_ERROR, MARKETO_ERROR_ACCESS_TOKEN_EXPIRED))
    {
      if (!call->reauthenticated)
        {
          call->reauthenticated = TRUE;
          self->stats.reauthentications++;
          g_debug ("%s: %s; getting a new token", call->request->path, error->message);
          /* Callers that failed with the same token share one identity request. */
          if (call->token_generation == self->token_generation)
            drop_token (self);
          call_start (task);
          return;
        }
    }
  else if (g_error_matches (error, MARKETO_ERROR, MARKETO_ERROR_DAILY_QUOTA))
    {
      g_autoptr(GDateTime) reset = marketo_pacer_quota_reset_time (NULL);

      marketo_pacer_mark_quota_exhausted (self->pacer);
      marketo_error_set_reset_time (error, reset);
    }
  else if (g_error_matches (error, MARKETO_ERROR, MARKETO_ERROR_RATE_LIMIT))
    {
      if (call->attempts < self->max_attempts)
        {
          double window_seconds;
          guint window_ms;

          /* Someone else used the instance's window: wait for it to roll. */
          marketo_pacer_get_limits (self->pacer, NULL, &window_seconds, NULL);
          window_ms = (guint) (window_seconds * 1000);
          call->n_606++;
          call_retry_later (task, backoff_delay_ms (MAX (window_ms / 4, 1),
                                                    window_ms + window_ms / 4, call->n_606));
          return;
        }
    }
  else if (call_error_is_retryable (call, error) && call->attempts < self->max_attempts)
    {
      call_retry_later (task, backoff_delay_ms (self->retry_base_ms, self->retry_cap_ms,
                                                call->attempts));
      return;
    }

  g_debug ("%s %s failed: %s", call->request->method, call->request->path, error->message);
  g_task_return_error (task, g_steal_pointer (&owned_error));
  g_object_unref (task);
}

static void
call_finish_attempt (Call         *call,
                     GCancellable *cancellable)
{
  clear_source (&call->timeout_source);
  if (call->cancelled_id != 0)
    {
      g_cancellable_disconnect (cancellable, call->cancelled_id);
      call->cancelled_id = 0;
    }
}

static void
call_sent_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  MarketoClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(SoupMessage) message = g_steal_pointer (&call->message);
  GError *error = NULL;
  Response *response = NULL;
  gboolean counted;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &local_error);
  call_finish_attempt (call, g_task_get_cancellable (task));

  if (body == NULL)
    {
      if (call->timed_out)
        error = g_error_new (MARKETO_ERROR, MARKETO_ERROR_TIMEOUT,
                             _("No answer from Marketo within %u ms (%s)"),
                             call->request->timeout_ms, call->request->path);
      else
        error = map_transport_error (local_error);
      counted = call->body_sent;
    }
  else
    {
      response = parse_response (message, body, call->request->raw, &error);
      counted = !(g_error_matches (error, MARKETO_ERROR, MARKETO_ERROR_ACCESS_TOKEN_INVALID)
                  || g_error_matches (error, MARKETO_ERROR, MARKETO_ERROR_ACCESS_TOKEN_EXPIRED));
      if (g_error_matches (error, MARKETO_ERROR, MARKETO_ERROR_RATE_LIMIT))
        self->stats.received_606++;
      else if (g_error_matches (error, MARKETO_ERROR, MARKETO_ERROR_CONCURRENT_LIMIT))
        self->stats.received_615++;
    }

  marketo_pacer_release (self->pacer, g_steal_pointer (&call->permit), counted);

  if (error != NULL)
    {
      call_handle_failure (task, error);
      return;
    }

  g_debug ("%s %s: OK (request ID %s)", call->request->method, call->request->path,
           response->request_id != NULL ? response->request_id : "-");
  g_task_return_pointer (task, response, (GDestroyNotify) response_free);
  g_object_unref (task);
}

static void
call_wrote_body_cb (SoupMessage *message,
                    gpointer     user_data)
{
  GTask *task = user_data;
  MarketoClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);

  call->body_sent = TRUE;
  if (call->permit != NULL)
    marketo_pacer_permit_sent (self->pacer, call->permit);
}

static gboolean
call_timeout_cb (gpointer user_data)
{
  Call *call = user_data;

  call->timed_out = TRUE;
  g_cancellable_cancel (call->attempt_cancellable);
  g_clear_pointer (&call->timeout_source, g_source_unref);  /* being dispatched */
  return G_SOURCE_REMOVE;
}

static void
cancel_attempt_cb (GCancellable *cancellable,
                   GCancellable *attempt_cancellable)
{
  g_cancellable_cancel (attempt_cancellable);
}

static void
call_send (GTask *task)
{
  MarketoClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  Request *request = call->request;
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autofree char *url = NULL;
  g_autofree char *authorization = NULL;
  g_autoptr(GUri) uri = NULL;
  SoupMessageHeaders *headers;

  if (request->query != NULL)
    url = g_strconcat (self->endpoint, request->path, "?", request->query, NULL);
  else
    url = g_strconcat (self->endpoint, request->path, NULL);
  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL)
    {
      marketo_pacer_return_unused (self->pacer, g_steal_pointer (&call->permit));
      g_task_return_new_error (task, MARKETO_ERROR, MARKETO_ERROR_INVALID_ENDPOINT,
                               _("Could not build a request URL for %s"), request->path);
      g_object_unref (task);
      return;
    }

  g_clear_object (&call->message);
  call->message = soup_message_new_from_uri (request->method, uri);
  if (request->body != NULL)
    soup_message_set_request_body_from_bytes (call->message, request->content_type, request->body);
  headers = soup_message_get_request_headers (call->message);
  /* The token travels in this header only. */
  authorization = g_strconcat ("Bearer ", self->token, NULL);
  soup_message_headers_replace (headers, "Authorization", authorization);
  explicit_bzero (authorization, strlen (authorization));
  if (!request->raw)
    soup_message_headers_replace (headers, "Accept", "application/json");
  g_signal_connect (call->message, "wrote-body", G_CALLBACK (call_wrote_body_cb), task);

  call->token_generation = self->token_generation;
  call->timed_out = FALSE;
  call->body_sent = FALSE;
  call->attempts++;
  self->stats.requests++;

  g_clear_object (&call->attempt_cancellable);
  call->attempt_cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    call->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (cancel_attempt_cb),
                                                g_object_ref (call->attempt_cancellable),
                                                g_object_unref);
  call->timeout_source = g_timeout_source_new (request->timeout_ms);
  g_source_set_callback (call->timeout_source, call_timeout_cb, call, NULL);
  g_source_set_static_name (call->timeout_source, "[marketo] request timeout");
  g_source_attach (call->timeout_source, self->context);

  soup_session_send_and_read_async (self->session, call->message, G_PRIORITY_DEFAULT,
                                    call->attempt_cancellable, call_sent_cb, task);
}

static void
call_permit_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  MarketoClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  call->permit = marketo_pacer_acquire_finish (MARKETO_PACER (source), result, &error);
  if (call->permit == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      marketo_pacer_return_unused (MARKETO_PACER (source), g_steal_pointer (&call->permit));
      g_task_return_error_if_cancelled (task);
      g_object_unref (task);
      return;
    }

  if (token_is_expired (self))
    {
      /* The token ran out (or was dropped) while we waited for the pacer: renew it first. */
      marketo_pacer_return_unused (MARKETO_PACER (source), g_steal_pointer (&call->permit));
      call_start (task);
      return;
    }

  call_send (task);
}

static void
call_token_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  MarketoClient *self = MARKETO_CLIENT (source);
  g_autoptr(MarketoTokenInfo) info = NULL;
  GError *error = NULL;

  info = ensure_token_finish (self, result, &error);
  if (info == NULL)
    {
      Call *call = g_task_get_task_data (task);

      /* Identity failures that are transient are retried like any call, and count as an
       * attempt; a refused client id/secret is not retried. */
      call->attempts++;
      call->body_sent = FALSE;
      call_handle_failure (task, error);
      return;
    }

  marketo_pacer_acquire_async (self->pacer, g_task_get_cancellable (task), call_permit_cb, task);
}

/* Owns a reference to @task until it returns. */
static void
call_start (GTask *task)
{
  MarketoClient *self = g_task_get_source_object (task);

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }
  ensure_token_async (self, g_task_get_cancellable (task), call_token_cb, task);
}

static void
call_async (MarketoClient       *self,
            Request             *request,  /* (transfer full) */
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  GTask *task;
  Call *call;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, call_async);
  call = g_new0 (Call, 1);
  call->request = request;
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);
  call_start (task);
}

static Response *
call_finish (MarketoClient  *self,
             GAsyncResult   *result,
             GError        **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ----------------------------------------------------------------------------------------- */
/* One call, one typed result                                                                */

typedef gpointer (*ParseFunc) (Response  *response,
                               gpointer   data,
                               GError   **error);

typedef struct {
  ParseFunc      parse;
  gpointer       data;
  GDestroyNotify data_free;
  GDestroyNotify result_free;
} SimpleCall;

static void
simple_call_free (SimpleCall *simple)
{
  if (simple->data_free != NULL)
    simple->data_free (simple->data);
  g_free (simple);
}

static void
simple_call_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SimpleCall *simple = g_task_get_task_data (task);
  g_autoptr(Response) response = NULL;
  g_autoptr(GError) error = NULL;
  gpointer value;

  response = call_finish (MARKETO_CLIENT (source), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  value = simple->parse (response, simple->data, &error);
  if (value == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, value, simple->result_free);
}

static void
simple_call (MarketoClient       *self,
             Request             *request,  /* (transfer full) */
             ParseFunc            parse,
             gpointer             parse_data,
             GDestroyNotify       parse_data_free,
             GDestroyNotify       result_free,
             gpointer             source_tag,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  GTask *task;
  SimpleCall *simple;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  simple = g_new0 (SimpleCall, 1);
  simple->parse = parse;
  simple->data = parse_data;
  simple->data_free = parse_data_free;
  simple->result_free = result_free;
  g_task_set_task_data (task, simple, (GDestroyNotify) simple_call_free);

  request_fit_uri (self, request);
  call_async (self, request, cancellable, simple_call_cb, task);
}

static gpointer
simple_finish (MarketoClient  *self,
               GAsyncResult   *result,
               gpointer        source_tag,
               GError        **error)
{
  g_return_val_if_fail (MARKETO_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static GError *
unexpected_answer_error (Response   *response,
                         const char *what)
{
  return marketo_failure_new (MARKETO_ERROR_NOT_MARKETO, what, response->request_id, 200);
}

/* ----------------------------------------------------------------------------------------- */
/* Describe                                                                                  */

static gpointer
parse_describe (Response  *response,
                gpointer   data,
                GError   **error)
{
  GPtrArray *fields = g_ptr_array_new_with_free_func ((GDestroyNotify) marketo_field_free);

  for (guint i = 0; i < response_result_length (response); i++)
    {
      JsonObject *object = response_result_object (response, i);

      if (object != NULL)
        g_ptr_array_add (fields, _marketo_field_from_describe (object));
    }
  return fields;
}

void
marketo_client_describe_leads_async (MarketoClient       *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (MARKETO_IS_CLIENT (self));
  g_return_if_fail (in_client_context (self));

  simple_call (self, request_new (SOUP_METHOD_GET, g_strdup ("/rest/v1/leads/describe.json"),
                                  self->other_timeout_ms),
               parse_describe, NULL, NULL, (GDestroyNotify) g_ptr_array_unref,
               marketo_client_describe_leads_async, cancellable, callback, user_data);
}

GPtrArray *
marketo_client_describe_leads_finish (MarketoClient  *self,
                                      GAsyncResult   *result,
                                      GError        **error)
{
  return simple_finish (self, result, marketo_client_describe_leads_async, error);
}

static gpointer
parse_describe2 (Response  *response,
                 gpointer   data,
                 GError   **error)
{
  JsonObject *object = response_result_object (response, 0);

  if (object == NULL)
    {
      g_propagate_error (error, unexpected_answer_error (response, _("Describe2 answered no lead object")));
      return NULL;
    }
  return _marketo_lead_schema_from_json (object);
}

void
marketo_client_describe_leads2_async (MarketoClient       *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (MARKETO_IS_CLIENT (self));
  g_return_if_fail (in_client_context (self));

  simple_call (self, request_new (SOUP_METHOD_GET, g_strdup ("/rest/v1/leads/describe2.json"),
                                  self->other_timeout_ms),
               parse_describe2, NULL, NULL, (GDestroyNotify) marketo_lead_schema_free,
               marketo_client_describe_leads2_async, cancellable, callback, user_data);
}

MarketoLeadSchema *
marketo_client_describe_leads2_finish (MarketoClient  *self,
                                       GAsyncResult   *result,
                                       GError        **error)
{
  return simple_finish (self, result, marketo_client_describe_leads2_async, error);
}

/* ----------------------------------------------------------------------------------------- */
/* Partitions                                                                                */

static gpointer
parse_partitions (Response  *response,
                  gpointer   data,
                  GError   **error)
{
  GPtrArray *partitions = g_ptr_array_new_with_free_func ((GDestroyNotify) marketo_partition_free);

  for (guint i = 0; i < response_result_length (response); i++)
    {
      JsonObject *object = response_result_object (response, i);

      if (object != NULL)
        g_ptr_array_add (partitions, _marketo_partition_from_json (object));
    }
  return partitions;
}

void
marketo_client_get_partitions_async (MarketoClient       *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (MARKETO_IS_CLIENT (self));
  g_return_if_fail (in_client_context (self));

  simple_call (self, request_new (SOUP_METHOD_GET, g_strdup ("/rest/v1/leads/partitions.json"),
                                  self->other_timeout_ms),
               parse_partitions, NULL, NULL, (GDestroyNotify) g_ptr_array_unref,
               marketo_client_get_partitions_async, cancellable, callback, user_data);
}

GPtrArray *
marketo_client_get_partitions_finish (MarketoClient  *self,
                                      GAsyncResult   *result,
                                      GError        **error)
{
  return simple_finish (self, result, marketo_client_get_partitions_async, error);
}

/* ----------------------------------------------------------------------------------------- */
/* Lists                                                                                     */

static void
page_set_token (Response  *response,
                char     **next_page_token,
                gboolean  *more_result,
                guint      page_length,
                guint      batch_size)
{
  const char *token = _marketo_json_get_string (response->envelope, "nextPageToken");

  *next_page_token = token != NULL && *token != '\0' ? g_strdup (token) : NULL;
  if (json_object_has_member (response->envelope, "moreResult"))
    *more_result = _marketo_json_get_bool_or (response->envelope, "moreResult", FALSE);
  else
    *more_result = *next_page_token != NULL && page_length >= batch_size;  /* §6.8 */
}

static gpointer
parse_list_page (Response  *response,
                 gpointer   data,
                 GError   **error)
{
  MarketoListPage *page = _marketo_list_page_new ();
  guint batch_size = GPOINTER_TO_UINT (data);

  for (guint i = 0; i < response_result_length (response); i++)
    {
      JsonObject *object = response_result_object (response, i);

      if (object != NULL)
        g_ptr_array_add (page->lists, _marketo_list_from_json (object));
    }
  page_set_token (response, &page->next_page_token, &page->more_result, page->lists->len,
                  batch_size);
  return page;
}

static guint
clamp_batch_size (guint batch_size)
{
  return batch_size == 0 ? MAX_RECORDS_PER_CALL : MIN (batch_size, MAX_RECORDS_PER_CALL);
}

void
marketo_client_get_lists_async (MarketoClient       *self,
                                const gint64        *ids,
                                gsize                n_ids,
                                const char * const  *names,
                                const char * const  *program_names,
                                const char * const  *workspace_names,
                                const char          *page_token,
                                guint                batch_size,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GString) query = g_string_new (NULL);
  Request *request;

  g_return_if_fail (MARKETO_IS_CLIENT (self));
  g_return_if_fail (ids != NULL || n_ids == 0);
  g_return_if_fail (in_client_context (self));

  batch_size = clamp_batch_size (batch_size);
  if (n_ids > 0)
    {
      g_autoptr(GString) joined = g_string_new (NULL);

      for (gsize i = 0; i < n_ids; i++)
        g_string_append_printf (joined, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "", ids[i]);
      query_add (query, "id", joined->str);
    }
  query_add_joined (query, "name", names);
  query_add_joined (query, "programName", program_names);
  query_add_joined (query, "workspaceName", workspace_names);
  query_add_int (query, "batchSize", batch_size);
  query_add (query, "nextPageToken", page_token);

  request = request_new (SOUP_METHOD_GET, g_strdup ("/rest/v1/lists.json"), self->other_timeout_ms);
  request_set_query (request, query);
  simple_call (self, request, parse_list_page, GUINT_TO_POINTER (batch_size), NULL,
               (GDestroyNotify) marketo_list_page_free, marketo_client_get_lists_async,
               cancellable, callback, user_data);
}

MarketoListPage *
marketo_client_get_lists_finish (MarketoClient  *self,
                                 GAsyncResult   *result,
                                 GError        **error)
{
  return simple_finish (self, result, marketo_client_get_lists_async, error);
}

/* One record, or @not_found_code when the answer has none. */
static gpointer
parse_one_list (Response  *response,
                gpointer   data,
                GError   **error)
{
  JsonObject *object = response_result_object (response, 0);
  int not_found_code = GPOINTER_TO_INT (data);

  if (object == NULL)
    {
      g_propagate_error (error, marketo_failure_new (not_found_code, _("No such list"),
                                                     response->request_id, 200));
      return NULL;
    }
  return _marketo_list_from_json (object);
}

void
marketo_client_get_list_async (MarketoClient       *self,
                               gint64               list_id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (MARKETO_IS_CLIENT (self));
  g_return_if_fail (in_client_context (self));

  simple_call (self, request_new (SOUP_METHOD_GET,
                                  g_strdup_printf ("/rest/v1/lists/%" G_GINT64_FORMAT ".json", list_id),
                                  self->other_timeout_ms),
               parse_one_list, GINT_TO_POINTER (MARKETO_ERROR_OBJECT_NOT_FOUND), NULL,
               (GDestroyNotify) marketo_list_free, marketo_client_get_list_async,
               cancellable, callback, user_data);
}

MarketoList *
marketo_client_get_list_finish (MarketoClient  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  return simple_finish (self, result, marketo_client_get_list_async, error);
}

static gpointer
parse_lead_page (Response  *response,
                 gpointer   data,
                 GError   **error)
{
  MarketoLeadPage *page = _marketo_lead_page_new ();
  guint batch_size = GPOINTER_TO_UINT (data);

  for (guint i = 0; i < response_result_length (response); i++)
    {
      JsonObject *object = response_result_object (response, i);

      if (object != NULL)
        g_ptr_array_add (page->leads, _marketo_lead_from_json (object));
    }
  page_set_token (response, &page->next_page_token, &page->more_result, page->leads->len,
                  batch_size);
  return page;
}

void
marketo_client_get_list_leads_async (MarketoClient       *self,
                                     gint64               list_id,
                                     const char * const  *fields,
                                     const char          *page_token,
                                     guint                batch_size,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GString) query = g_string_new (NULL);
  Request *request;

  g_return_if_fail (MARKETO_IS_CLIENT (self));
  g_return_if_fail (in_client_context (self));

  batch_size = clamp_batch_size (batch_size);
  query_add_fields (query, fields);
  query_add_int (query, "batchSize", batch_size);
  query_add (query, "nextPageToken", page_token);
  request = request_new (SOUP_METHOD_GET,
                         g_strdup_printf ("/rest/v1/lists/%" G_GINT64_FORMAT "/leads.json", list_id),
                         self->lookup_timeout_ms);
  request_set_query (request, query);
  simple_call (self, request, parse_lead_page, GUINT_TO_POINTER (batch_size), NULL,
               (GDestroyNotify) marketo_lead_page_free, marketo_client_get_list_leads_async,
               cancellable, callback, user_data);
}

MarketoLeadPage *
marketo_client_get_list_leads_finish (MarketoClient  *self,
                                      GAsyncResult   *result,
                                      GError        **error)
{
  return simple_finish (self, result, marketo_client_get_list_leads_async, error);
}

/* ----------------------------------------------------------------------------------------- */
/* Asset static lists                                                                        */

static char *
folder_json (gint64      folder_id,
             const char *folder_type)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, folder_id);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, folder_type != NULL ? folder_type : "Folder");
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

void
marketo_client_create_static_list_async (MarketoClient       *self,
                                         gint64               folder_id,
                                         const char          *folder_type,
                                         const char          *name,
                                         const char          *description,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GString) form = g_string_new (NULL);
  g_autofree char *folder = NULL;
  Request *request;

  g_return_if_fail (MARKETO_IS_CLIENT (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (in_client_context (self));

  folder = folder_json (folder_id, folder_type);
  query_add (form, "folder", folder);
  query_add (form, "name", name);
  query_add (form, "description", description);

  request = request_new (SOUP_METHOD_POST, g_strdup ("/rest/asset/v1/staticLists.json"),
                         self->other_timeout_ms);
  request_set_form (request, form);
  /* A second create after a lost answer would fail with 709: not retried blindly. */
  request->idempotent = FALSE;
  simple_call (self, request, parse_one_list, GINT_TO_POINTER (MARKETO_ERROR_NOT_MARKETO), NULL,
               (GDestroyNotify) marketo_list_free, marketo_client_create_static_list_async,
               cancellable, callback, user_data);
}

MarketoList *
marketo_client_create_static_list_finish (MarketoClient  *self,
                                          GAsyncResult   *result,
                                          GError        **error)
{
  return simple_finish (self, result, marketo_client_create_static_list_async, error);
}

void
marketo_client_get_static_list_async (MarketoClient       *self,
                                      gint64               list_id,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (MARKETO_IS_CLIENT (self));
  g_return_if_fail (in_client_context (self));

  simple_call (self, request_new (SOUP_METHOD_GET,
                                  g_strdup_printf ("/rest/asset/v1/staticList/%" G_GINT64_FORMAT ".json",
                                                   list_id),
                                  self->other_timeout_ms),
               parse_one_list, GINT_TO_POINTER (MARKETO_ERROR_NO_DATA), NULL,
               (GDestroyNotify) marketo_list_free, marketo_client_get_static_list_async,
               cancellable, callback, user_data);
}

MarketoList *
marketo_client_get_static_list_finish (MarketoClient  *self,
                                       GAsyncResult   *result,
                                       GError        **error)
{
  return simple_finish (self, result, marketo_client_get_static_list_async, error);
}

void
marketo_client_get_static_list_by_name_async (MarketoClient       *self,
                                              const char          *name,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data)
{
  g_autoptr(GString) query = g_string_new (NULL);
  Request *request;

  g_return_if_fail (MARKETO_IS_CLIENT (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (in_client_context (self));

  query_add (query, "name", name);
  request = request_new (SOUP_METHOD_GET, g_strdup ("/rest/asset/v1/staticList/byName.json"),
                         self->other_timeout_ms);
  request_set_query (request, query);
  simple_call (self, request, parse_one_list, GINT_TO_POINTER (MARKETO_ERROR_NO_DATA), NULL,
               (GDestroyNotify) marketo_list_free, marketo_client_get_static_list_by_name_async,
               cancellable, callback, user_data);
}

MarketoList *
marketo_client_get_static_list_by_name_finish (MarketoClient  *self,
                                               GAsyncResult   *result,
                                               GError        **error)
{
  return simple_finish (self, result, marketo_client_get_static_list_by_name_async, error);
}

typedef struct {
  guint offset;
  guint max_return;
} BrowseData;

/* Adds @key={"id":..,"type":..} to @query when @folder_id is set. */
static void
query_add_folder (GString    *query,
                  const char *key,
                  gint64      folder_id,
                  const char *folder_type)
{
  g_autofree char *folder = NULL;

  if (folder_id <= 0)
    return;
  folder = folder_json (folder_id, folder_type);
  query_add (query, key, folder);
}

/* A GET of one asset page: adds offset and the clamped maxReturn to @query, and hands
 * @parse a BrowseData with both. */
static void
browse_call (MarketoClient       *self,
             const char          *path,
             GString             *query,
             guint                offset,
             guint                max_return,
             ParseFunc            parse,
             GDestroyNotify       result_free,
             gpointer             source_tag,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  BrowseData *browse = g_new0 (BrowseData, 1);
  Request *request;

  browse->offset = offset;
  browse->max_return = max_return == 0 ? 200 : MIN (max_return, 200);
  query_add_int (query, "offset", offset);
  query_add_int (query, "maxReturn", browse->max_return);
  request = request_new (SOUP_METHOD_GET, g_strdup (path), self->other_timeout_ms);
  request_set_query (request, query);
  simple_call (self, request, parse, browse, g_free, result_free, source_tag,
               cancellable, callback, user_data);
}

static gpointer
parse_browse (Response  *response,
              gpointer   data,
              GError   **error)
{
  BrowseData *browse = data;
  MarketoListPage *page = _marketo_list_page_new ();

  for (guint i = 0; i < response_result_length (response); i++)
    {
      JsonObject *object = response_result_object (response, i);

      if (object != NULL)
        g_ptr_array_add (page->lists, _marketo_list_from_json (object));
    }
  page->more_result = page->lists->len >= browse->max_return;
  page->next_offset = browse->offset + page->lists->len;
  return page;
}

void
marketo_client_browse_static_lists_async (MarketoClient       *self,
                                          gint64               folder_id,
                                          const char          *folder_type,
                                          guint                offset,
                                          guint                max_return,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(GString) query = g_string_new (NULL);

  g_return_if_fail (MARKETO_IS_CLIENT (self));
  g_return_if_fail (in_client_context (self));

  query_add_folder (query, "folder", folder_id, folder_type);
  browse_call (self, "/rest/asset/v1/staticLists.json", query, offset, max_return, parse_browse,
               (GDestroyNotify) marketo_list_page_free, marketo_client_browse_static_lists_async,
               cancellable, callback, user_data);
}

MarketoListPage *
marketo_client_browse_static_lists_finish (MarketoClient  *self,
                                           GAsyncResult   *result,
                                           GError        **error)
{
  return simple_finish (self, result, marketo_client_browse_static_lists_async, error);
}

/* ----------------------------------------------------------------------------------------- */
/* Asset folders                                                                             */

static gpointer
parse_browse_folders (Response  *response,
                      gpointer   data,
                      GError   **error)
{
  BrowseData *browse = data;
  MarketoFolderPage *page = _marketo_folder_page_new ();

  for (guint i = 0; i < response_result_length (response); i++)
    {
      JsonObject *object = response_result_object (response, i);

      if (object != NULL)
        g_ptr_array_add (page->folders, _marketo_folder_from_json (object));
    }
  page->more_result = page->folders->len >= browse->max_return;
  page->next_offset = browse->offset + page->folders->len;
  return page;
}

void
marketo_client_browse_folders_async (MarketoClient       *self,
                                     gint64               root_id,
                                     const char          *root_type,
                                     guint                max_depth,
                                     guint                offset,
                                     guint                max_return,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GString) query = g_string_new (NULL);

  g_return_if_fail (MARKETO_IS_CLIENT (self));
  g_return_if_fail (in_client_context (self));

  query_add_folder (query, "root", root_id, root_type);
  if (max_depth > 0)
    query_add_int (query, "maxDepth", max_depth);
  browse_call (self, "/rest/asset/v1/folders.json", query, offset, max_return,
               parse_browse_folders, (GDestroyNotify) marketo_folder_page_free,
               marketo_client_browse_folders_async, cancellable, callback, user_data);
}

MarketoFolderPage *
marketo_client_browse_folders_finish (MarketoClient  *self,
                                      GAsyncResult   *result,
                                      GError        **error)
{
  return simple_finish (self, result, marketo_client_browse_folders_async, error);
}

static gpointer
parse_folders_by_name (Response  *response,
                       gpointer   data,
                       GError   **error)
{
  g_autoptr(GPtrArray) folders = NULL;

  folders = g_ptr_array_new_with_free_func ((GDestroyNotify) marketo_folder_free);
  for (guint i = 0; i < response_result_length (response); i++)
    {
      JsonObject *object = response_result_object (response, i);

      if (object != NULL)
        g_ptr_array_add (folders, _marketo_folder_from_json (object));
    }
  if (folders->len == 0)
    {
      g_propagate_error (error, marketo_failure_new (MARKETO_ERROR_NO_DATA, _("No such folder"),
                                                     response->request_id, 200));
      return NULL;
    }
  return g_steal_pointer (&folders);
}

void
marketo_client_get_folder_by_name_async (MarketoClient       *self,
                                         const char          *name,
                                         const char          *type,
                                         const char          *workspace,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GString) query = g_string_new (NULL);
  Request *request;

  g_return_if_fail (MARKETO_IS_CLIENT (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (in_client_context (self));

  query_add (query, "name", name);
  query_add (query, "type", type);
  query_add (query, "workSpace", workspace);
  request = request_new (SOUP_METHOD_GET, g_strdup ("/rest/asset/v1/folder/byName.json"),
                         self->other_timeout_ms);
  request_set_query (request, query);
  simple_call (self, request, parse_folders_by_name, NULL, NULL,
               (GDestroyNotify) g_ptr_array_unref, marketo_client_get_folder_by_name_async,
               cancellable, callback, user_data);
}

GPtrArray *
marketo_client_get_folder_by_name_finish (MarketoClient  *self,
                                          GAsyncResult   *result,
                                          GError        **error)
{
  return simple_finish (self, result, marketo_client_get_folder_by_name_async, error);
}

/* ----------------------------------------------------------------------------------------- */
/* Leads by filter type                                                                      */

void
marketo_client_get_leads_async (MarketoClient       *self,
                                const char          *filter_type,
                                const char * const  *filter_values,
                                const char * const  *fields,
                                const char          *page_token,
                                guint                batch_size,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GString) query = g_string_new (NULL);
  g_autoptr(GTask) task = NULL;
  guint n_values;
  Request *request;

  g_return_if_fail (MARKETO_IS_CLIENT (self));
  g_return_if_fail (filter_type != NULL);
  g_return_if_fail (filter_values != NULL);
  g_return_if_fail (in_client_context (self));

  n_values = g_strv_length ((char **) filter_values);
  if (n_values == 0 || n_values > MAX_RECORDS_PER_CALL)
    {
      task = g_task_new (self, cancellable, callback, user_data);
      g_task_set_source_tag (task, marketo_client_get_leads_async);
      g_task_return_new_error (task, MARKETO_ERROR, MARKETO_ERROR_INVALID_DATA,
                               _("A lookup takes 1 to %u values, not %u"),
                               MAX_RECORDS_PER_CALL, n_values);
      return;
    }

  batch_size = clamp_batch_size (batch_size);
  query_add (query, "filterType", filter_type);
  query_add_joined (query, "filterValues", filter_values);
  query_add_fields (query, fields);
  query_add_int (query, "batchSize", batch_size);
  query_add (query, "nextPageToken", page_token);
  request = request_new (SOUP_METHOD_GET, g_strdup ("/rest/v1/leads.json"), self->lookup_timeout_ms);
  request_set_query (request, query);
  simple_call (self, request, parse_lead_page, GUINT_TO_POINTER (batch_size), NULL,
               (GDestroyNotify) marketo_lead_page_free, marketo_client_get_leads_async,
               cancellable, callback, user_data);
}

MarketoLeadPage *
marketo_client_get_leads_finish (MarketoClient  *self,
                                 GAsyncResult   *result,
                                 GError        **error)
{
  return simple_finish (self, result, marketo_client_get_leads_async, error);
}

/* ----------------------------------------------------------------------------------------- */
/* Record-level operations split over several calls                                          */

typedef struct _RecordsOp RecordsOp;

/* Builds the request for records [first, first + count) of a splittable operation. */
typedef Request *(*RecordsOpBuild) (MarketoClient *self,
                                    RecordsOp     *op,
                                    guint          first,
                                    guint          count);

struct _RecordsOp {
  GPtrArray *requests;  /* (element-type Request) (owned) still to send, in order */
  GArray    *firsts;    /* (element-type guint) input index of each request's first record */
  GArray    *counts;    /* (element-type guint) records in each request */
  guint      next;
  GPtrArray *results;   /* (element-type MarketoRecordResult) (owned) */

  /* Set for Sync Leads, whose batches are halved on 604 */
  RecordsOpBuild  build;
  char           *header;      /* (owned) (nullable) the body up to the input array */
  GPtrArray      *serialized;  /* (owned) (nullable) each record's JSON */
  gboolean        idempotent;
  gboolean        halving;     /* the request in flight is split, not resent, on 604 */
};

static void
records_op_free (RecordsOp *op)
{
  g_clear_pointer (&op->header, g_free);
  g_clear_pointer (&op->serialized, g_ptr_array_unref);
  g_clear_pointer (&op->requests, g_ptr_array_unref);
  g_clear_pointer (&op->firsts, g_array_unref);
  g_clear_pointer (&op->counts, g_array_unref);
  g_clear_pointer (&op->results, g_ptr_array_unref);
  g_free (op);
}

static RecordsOp *
records_op_new (void)
{
  RecordsOp *op = g_new0 (RecordsOp, 1);

  op->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) request_free);
  op->firsts = g_array_new (FALSE, FALSE, sizeof (guint));
  op->counts = g_array_new (FALSE, FALSE, sizeof (guint));
  op->results = g_ptr_array_new_with_free_func ((GDestroyNotify) marketo_record_result_free);
  return op;
}

static void
records_op_add (RecordsOp *op,
                Request   *request,  /* (transfer full) */
                guint      first,
                guint      count)
{
  g_ptr_array_add (op->requests, request);
  g_array_append_val (op->firsts, first);
  g_array_append_val (op->counts, count);
}

static void records_op_next (GTask *task);

static void
records_op_call_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RecordsOp *op = g_task_get_task_data (task);
  g_autoptr(Response) response = NULL;
  g_autoptr(GError) error = NULL;
  guint first = g_array_index (op->firsts, guint, op->next);
  guint count = g_array_index (op->counts, guint, op->next);

  response = call_finish (MARKETO_CLIENT (source), result, &error);
  /* Only a request that was not retried already: a single record resent as it is that still
   * times out after its retries is a failure, not another round. */
  if (response == NULL &&
      g_error_matches (error, MARKETO_ERROR, MARKETO_ERROR_REQUEST_TIMED_OUT) &&
      op->build != NULL && op->halving)
    {
      MarketoClient *self = MARKETO_CLIENT (source);
      guint half = count / 2;

      /* §6.3: a batch that timed out on Marketo's side is sent again in two halves; a
       * single record goes back as it is, retried with backoff like any call. */
      g_debug ("Request timed out (604) on %u records: sending them as %u + %u",
               count, half, count - half);
      g_ptr_array_remove_index (op->requests, op->next);
      g_array_remove_index (op->firsts, op->next);
      g_array_remove_index (op->counts, op->next);
      if (half == 0)
        {
          Request *single = op->build (self, op, first, count);

          single->halve_on_604 = FALSE;
          g_ptr_array_insert (op->requests, op->next, single);
          g_array_insert_val (op->firsts, op->next, first);
          g_array_insert_val (op->counts, op->next, count);
        }
      else
        {
          guint second = first + half, rest = count - half;

          g_ptr_array_insert (op->requests, op->next, op->build (self, op, second, rest));
          g_array_insert_val (op->firsts, op->next, second);
          g_array_insert_val (op->counts, op->next, rest);
          g_ptr_array_insert (op->requests, op->next, op->build (self, op, first, half));
          g_array_insert_val (op->firsts, op->next, first);
          g_array_insert_val (op->counts, op->next, half);
        }
      records_op_next (g_steal_pointer (&task));
      return;
    }
  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Marketo answers one entry per input record, in input order. */
  if (response_result_length (response) != count)
    {
      g_autofree char *what = g_strdup_printf (_("Marketo answered %u results for %u records"),
                                               response_result_length (response), count);

      g_task_return_error (task, unexpected_answer_error (response, what));
      return;
    }
  for (guint i = 0; i < count; i++)
    {
      JsonObject *object = response_result_object (response, i);

      if (object == NULL)
        {
          g_task_return_error (task, unexpected_answer_error (response, _("A result entry is not an object")));
          return;
        }
      g_ptr_array_add (op->results,
                       _marketo_record_result_from_json (object, first + i, response->request_id));
    }

  op->next++;
  records_op_next (g_steal_pointer (&task));
}

/* Owns a reference to @task. */
static void
records_op_next (GTask *task)
{
  MarketoClient *self = g_task_get_source_object (task);
  RecordsOp *op = g_task_get_task_data (task);
  Request *request;

  if (op->next >= op->requests->len)
    {
      g_task_return_pointer (task, g_steal_pointer (&op->results), (GDestroyNotify) g_ptr_array_unref);
      g_object_unref (task);
      return;
    }

  request = g_steal_pointer (&g_ptr_array_index (op->requests, op->next));
  op->halving = request->halve_on_604;
  request_fit_uri (self, request);
  call_async (self, request, g_task_get_cancellable (task), records_op_call_cb, task);
}

static void
records_op_run (MarketoClient       *self,
                RecordsOp           *op,  /* (transfer full) */
                gpointer             source_tag,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, op, (GDestroyNotify) records_op_free);
  records_op_next (task);
}

/* ----------------------------------------------------------------------------------------- */
/* Sync Leads                                                                                */

static const char *
sync_action_name (MarketoSyncAction action)
{
  switch (action)
    {
    case MARKETO_SYNC_CREATE_ONLY:
      return "createOnly";
    case MARKETO_SYNC_UPDATE_ONLY:
      return "updateOnly";
    case MARKETO_SYNC_CREATE_DUPLICATE:
      return "createDuplicate";
    case MARKETO_SYNC_CREATE_OR_UPDATE:
    default:
      return "createOrUpdate";
    }
}

static void
append_json_string (GString    *out,
                    const char *value)
{
  g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), value);
  g_autofree char *text = json_to_string (node, FALSE);

  g_string_append (out, text);
}

static Request *
sync_request_new (MarketoClient *self,
                  const char    *header,
                  GPtrArray     *serialized,
                  guint          first,
                  guint          count,
                  gsize          size,
                  gboolean       idempotent)
{
  GString *body = g_string_sized_new (size);
  g_autoptr(GBytes) bytes = NULL;
  Request *request;

  g_string_append (body, header);
  for (guint i = 0; i < count; i++)
    {
      if (i > 0)
        g_string_append_c (body, ',');
      g_string_append (body, g_ptr_array_index (serialized, first + i));
    }
  g_string_append (body, "]}");
  g_assert (body->len == size);

  bytes = g_string_free_to_bytes (body);
  request = request_new (SOUP_METHOD_POST, g_strdup ("/rest/v1/leads.json"), self->sync_timeout_ms);
  request_set_body (request, "application/json", bytes);
  request->idempotent = idempotent;
  request->halve_on_604 = TRUE;
  return request;
}

/* RecordsOpBuild for Sync Leads: a batch of records [first, first + count). */
static Request *
sync_request_build (MarketoClient *self,
                    RecordsOp     *op,
                    guint          first,
                    guint          count)
{
  gsize size = strlen (op->header) + 2 + (count > 0 ? count - 1 : 0);

  for (guint i = 0; i < count; i++)
    size += strlen (g_ptr_array_index (op->serialized, first + i));
  return sync_request_new (self, op->header, op->serialized, first, count, size,
                           op->idempotent);
}

void
marketo_client_sync_leads_async (MarketoClient       *self,
                                 MarketoSyncAction    action,
                                 const char          *lookup_field,
                                 const char          *partition_name,
                                 JsonArray           *records,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GPtrArray) serialized = NULL;
  g_autoptr(GString) header = g_string_new (NULL);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  RecordsOp *op;
  guint n_records;
  guint first = 0;
  gsize size;
  gboolean idempotent = action != MARKETO_SYNC_CREATE_DUPLICATE;

  g_return_if_fail (MARKETO_IS_CLIENT (self));
  g_return_if_fail (records != NULL);
  g_return_if_fail (in_client_context (self));

  /* {"action":…,"lookupField":…,"partitionName":…,"input":[ */
  g_string_append (header, "{\"action\":");
  append_json_string (header, sync_action_name (action));
  if (lookup_field != NULL)
    {
      g_string_append (header, ",\"lookupField\":");
      append_json_string (header, lookup_field);
    }
  if (partition_name != NULL)
    {
      g_string_append (header, ",\"partitionName\":");
      append_json_string (header, partition_name);
    }
  g_string_append (header, ",\"input\":[");

  n_records = json_array_get_length (records);
  serialized = g_ptr_array_new_full (n_records, g_free);
  for (guint i = 0; i < n_records; i++)
    {
      JsonNode *node = json_array_get_element (records, i);
      gsize length;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

          g_task_set_source_tag (task, marketo_client_sync_leads_async);
          g_task_return_new_error (task, MARKETO_ERROR, MARKETO_ERROR_INVALID_DATA,
                                   _("Record %u is not a JSON object"), i + 1);
          return;
        }
      json_generator_set_root (generator, node);
      g_ptr_array_add (serialized, json_generator_to_data (generator, &length));
      if (header->len + length + 2 >= MAX_JSON_BODY)
        {
          g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

          g_task_set_source_tag (task, marketo_client_sync_leads_async);
          g_task_return_new_error (task, MARKETO_ERROR, MARKETO_ERROR_PAYLOAD_TOO_LARGE,
                                   _("Record %u alone is over Marketo’s 1 MB limit"), i + 1);
          return;
        }
    }

  /* Split on 300 records or 1 MB of body, whichever comes first. */
  op = records_op_new ();
  size = header->len + 2;
  for (guint i = 0; i < n_records; i++)
    {
      gsize length = strlen (g_ptr_array_index (serialized, i));
      gsize grown = size + length + (i > first ? 1 : 0);

      if (i - first == MAX_RECORDS_PER_CALL || grown >= MAX_JSON_BODY)
        {
          records_op_add (op, sync_request_new (self, header->str, serialized, first, i - first,
                                                size, idempotent),
                          first, i - first);
          first = i;
          size = header->len + 2;
          grown = size + length;
        }
      size = grown;
    }
  if (n_records > first)
    records_op_add (op, sync_request_new (self, header->str, serialized, first, n_records - first,
                                          size, idempotent),
                    first, n_records - first);

  op->build = sync_request_build;
  op->header = g_string_free (g_steal_pointer (&header), FALSE);
  op->serialized = g_steal_pointer (&serialized);
  op->idempotent = idempotent;
  records_op_run (self, op, marketo_client_sync_leads_async, cancellable, callback, user_data);
}

GPtrArray *
marketo_client_sync_leads_finish (MarketoClient  *self,
                                  GAsyncResult   *result,
                                  GError        **error)
{
  return simple_finish (self, result, marketo_client_sync_leads_async, error);
}

/* ----------------------------------------------------------------------------------------- */
/* List membership                                                                           */

typedef enum {
  MEMBERSHIP_ADD,
  MEMBERSHIP_REMOVE,
  MEMBERSHIP_CHECK,
} MembershipOp;

static void
membership_run (MarketoClient       *self,
                MembershipOp         kind,
                gint64               list_id,
                const gint64        *lead_ids,
                gsize                n_lead_ids,
                gpointer             source_tag,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  RecordsOp *op = records_op_new ();

  for (gsize first = 0; first < n_lead_ids; first += MAX_RECORDS_PER_CALL)
    {
      guint count = (guint) MIN (n_lead_ids - first, MAX_RECORDS_PER_CALL);
      Request *request;

      switch (kind)
        {
        case MEMBERSHIP_ADD:
          {
            /* Add to List: the ids in a JSON body. */
            g_autoptr(GString) body = g_string_new ("{\"input\":[");
            g_autoptr(GBytes) bytes = NULL;

            for (guint i = 0; i < count; i++)
              g_string_append_printf (body, "%s{\"id\":%" G_GINT64_FORMAT "}",
                                      i > 0 ? "," : "", lead_ids[first + i]);
            g_string_append (body, "]}");
            bytes = g_bytes_new (body->str, body->len);
            request = request_new (SOUP_METHOD_POST,
                                   g_strdup_printf ("/rest/v1/lists/%" G_GINT64_FORMAT "/leads.json",
                                                    list_id),
                                   self->other_timeout_ms);
            request_set_body (request, "application/json", bytes);
          }
          break;

        case MEMBERSHIP_REMOVE:
        case MEMBERSHIP_CHECK:
        default:
          {
            /* Remove and Member of: repeated id query parameters (no DELETE body). */
            g_autoptr(GString) query = g_string_new (NULL);

            for (guint i = 0; i < count; i++)
              query_add_int (query, "id", lead_ids[first + i]);
            if (kind == MEMBERSHIP_REMOVE)
              request = request_new (SOUP_METHOD_DELETE,
                                     g_strdup_printf ("/rest/v1/lists/%" G_GINT64_FORMAT "/leads.json",
                                                      list_id),
                                     self->other_timeout_ms);
            else
              request = request_new (SOUP_METHOD_GET,
                                     g_strdup_printf ("/rest/v1/lists/%" G_GINT64_FORMAT
                                                      "/leads/ismember.json", list_id),
                                     self->lookup_timeout_ms);
            request_set_query (request, query);
          }
          break;
        }
      records_op_add (op, request, (guint) first, count);
    }

  records_op_run (self, op, source_tag, cancellable, callback, user_data);
}

void
marketo_client_add_to_list_async (MarketoClient       *self,
                                  gint64               list_id,
                                  const gint64        *lead_ids,
                                  gsize                n_lead_ids,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (MARKETO_IS_CLIENT (self));
  g_return_if_fail (lead_ids != NULL || n_lead_ids == 0);
  g_return_if_fail (in_client_context (self));

  membership_run (self, MEMBERSHIP_ADD, list_id, lead_ids, n_lead_ids,
                  marketo_client_add_to_list_async, cancellable, callback, user_data);
}

GPtrArray *
marketo_client_add_to_list_finish (MarketoClient  *self,
                                   GAsyncResult   *result,
                                   GError        **error)
{
  return simple_finish (self, result, marketo_client_add_to_list_async, error);
}

void
marketo_client_remove_from_list_async (MarketoClient       *self,
                                       gint64               list_id,
                                       const gint64        *lead_ids,
                                       gsize                n_lead_ids,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_return_if_fail (MARKETO_IS_CLIENT (self));
  g_return_if_fail (lead_ids != NULL || n_lead_ids == 0);
  g_return_if_fail (in_client_context (self));

  membership_run (self, MEMBERSHIP_REMOVE, list_id, lead_ids, n_lead_ids,
                  marketo_client_remove_from_list_async, cancellable, callback, user_data);
}

GPtrArray *
marketo_client_remove_from_list_finish (MarketoClient  *self,
                                        GAsyncResult   *result,
                                        GError        **error)
{
  return simple_finish (self, result, marketo_client_remove_from_list_async, error);
}

void
marketo_client_is_member_of_list_async (MarketoClient       *self,
                                        gint64               list_id,
                                        const gint64        *lead_ids,
                                        gsize                n_lead_ids,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_return_if_fail (MARKETO_IS_CLIENT (self));
  g_return_if_fail (lead_ids != NULL || n_lead_ids == 0);
  g_return_if_fail (in_client_context (self));

  membership_run (self, MEMBERSHIP_CHECK, list_id, lead_ids, n_lead_ids,
                  marketo_client_is_member_of_list_async, cancellable, callback, user_data);
}

GPtrArray *
marketo_client_is_member_of_list_finish (MarketoClient  *self,
                                         GAsyncResult   *result,
                                         GError        **error)
{
  return simple_finish (self, result, marketo_client_is_member_of_list_async, error);
}

/* ----------------------------------------------------------------------------------------- */
/* Bulk import                                                                               */

static gpointer
parse_import_job (Response  *response,
                  gpointer   data,
                  GError   **error)
{
  JsonObject *object = response_result_object (response, 0);

  if (object == NULL || !json_object_has_member (object, "batchId"))
    {
      g_propagate_error (error, unexpected_answer_error (response, _("The import answer has no batch")));
      return NULL;
    }
  return _marketo_import_job_from_json (object);
}

void
marketo_client_import_leads_async (MarketoClient       *self,
                                   GBytes              *file,
                                   MarketoImportFormat  format,
                                   const char          *lookup_field,
                                   gint64               list_id,
                                   const char          *partition_name,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(SoupMultipart) multipart = NULL;
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GString) query = g_string_new (NULL);
  g_autofree char *content_type = NULL;
  const char *format_name;
  const char *file_type;
  const char *file_name;
  Request *request;

  g_return_if_fail (MARKETO_IS_CLIENT (self));
  g_return_if_fail (file != NULL);
  g_return_if_fail (in_client_context (self));

  switch (format)
    {
    case MARKETO_IMPORT_FORMAT_TSV:
      format_name = "tsv";
      file_type = "text/tab-separated-values";
      file_name = "leads.tsv";
      break;
    case MARKETO_IMPORT_FORMAT_SSV:
      format_name = "ssv";
      file_type = "text/csv";
      file_name = "leads.ssv";
      break;
    case MARKETO_IMPORT_FORMAT_CSV:
    default:
      format_name = "csv";
      file_type = "text/csv";
      file_name = "leads.csv";
      break;
    }

  query_add (query, "format", format_name);
  query_add (query, "lookupField", lookup_field);
  if (list_id > 0)
    query_add_int (query, "listId", list_id);
  query_add (query, "partitionName", partition_name);

  multipart = soup_multipart_new ("multipart/form-data");
  soup_multipart_append_form_string (multipart, "format", format_name);
  soup_multipart_append_form_file (multipart, "file", file_name, file_type, file);
  headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_MULTIPART);
  soup_multipart_to_message (multipart, headers, &body);
  content_type = g_strdup (soup_message_headers_get_one (headers, "Content-Type"));

  request = request_new (SOUP_METHOD_POST, g_strdup ("/bulk/v1/leads.json"), self->sync_timeout_ms);
  request_set_query (request, query);
  request_set_body (request, content_type, body);
  /* A retried create could queue a second job: only when surely not run. */
  request->idempotent = FALSE;
  simple_call (self, request, parse_import_job, NULL, NULL, (GDestroyNotify) marketo_import_job_free,
               marketo_client_import_leads_async, cancellable, callback, user_data);
}

MarketoImportJob *
marketo_client_import_leads_finish (MarketoClient  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  return simple_finish (self, result, marketo_client_import_leads_async, error);
}

void
marketo_client_get_import_status_async (MarketoClient       *self,
                                        gint64               batch_id,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_return_if_fail (MARKETO_IS_CLIENT (self));
  g_return_if_fail (in_client_context (self));

  simple_call (self, request_new (SOUP_METHOD_GET,
                                  g_strdup_printf ("/bulk/v1/leads/batch/%" G_GINT64_FORMAT ".json",
                                                   batch_id),
                                  self->other_timeout_ms),
               parse_import_job, NULL, NULL, (GDestroyNotify) marketo_import_job_free,
               marketo_client_get_import_status_async, cancellable, callback, user_data);
}

MarketoImportJob *
marketo_client_get_import_status_finish (MarketoClient  *self,
                                         GAsyncResult   *result,
                                         GError        **error)
{
  return simple_finish (self, result, marketo_client_get_import_status_async, error);
}

static gpointer
parse_raw (Response  *response,
           gpointer   data,
           GError   **error)
{
  if (response->raw == NULL)
    return g_bytes_new (NULL, 0);  /* an envelope with success: nothing to report */
  return g_bytes_ref (response->raw);
}

static void
import_file_call (MarketoClient       *self,
                  gint64               batch_id,
                  const char          *which,
                  gpointer             source_tag,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  Request *request;

  request = request_new (SOUP_METHOD_GET,
                         g_strdup_printf ("/bulk/v1/leads/batch/%" G_GINT64_FORMAT "/%s.json",
                                          batch_id, which),
                         self->other_timeout_ms);
  request->raw = TRUE;
  simple_call (self, request, parse_raw, NULL, NULL, (GDestroyNotify) g_bytes_unref,
               source_tag, cancellable, callback, user_data);
}

void
marketo_client_get_import_failures_async (MarketoClient       *self,
                                          gint64               batch_id,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_return_if_fail (MARKETO_IS_CLIENT (self));
  g_return_if_fail (in_client_context (self));

  import_file_call (self, batch_id, "failures", marketo_client_get_import_failures_async,
                    cancellable, callback, user_data);
}

GBytes *
marketo_client_get_import_failures_finish (MarketoClient  *self,
                                           GAsyncResult   *result,
                                           GError        **error)
{
  return simple_finish (self, result, marketo_client_get_import_failures_async, error);
}

void
marketo_client_get_import_warnings_async (MarketoClient       *self,
                                          gint64               batch_id,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_return_if_fail (MARKETO_IS_CLIENT (self));
  g_return_if_fail (in_client_context (self));

  import_file_call (self, batch_id, "warnings", marketo_client_get_import_warnings_async,
                    cancellable, callback, user_data);
}

GBytes *
marketo_client_get_import_warnings_finish (MarketoClient  *self,
                                           GAsyncResult   *result,
                                           GError        **error)
{
  return simple_finish (self, result, marketo_client_get_import_warnings_async, error);
}

/* ----------------------------------------------------------------------------------------- */
/* Usage                                                                                     */

static gpointer
parse_usage (Response  *response,
             gpointer   data,
             GError   **error)
{
  return _marketo_usage_from_json (response_result_object (response, 0));
}

void
marketo_client_get_usage_async (MarketoClient       *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (MARKETO_IS_CLIENT (self));
  g_return_if_fail (in_client_context (self));

  simple_call (self, request_new (SOUP_METHOD_GET, g_strdup ("/rest/v1/stats/usage.json"),
                                  self->other_timeout_ms),
               parse_usage, NULL, NULL, (GDestroyNotify) marketo_usage_free,
               marketo_client_get_usage_async, cancellable, callback, user_data);
}

MarketoUsage *
marketo_client_get_usage_finish (MarketoClient  *self,
                                 GAsyncResult   *result,
                                 GError        **error)
{
  return simple_finish (self, result, marketo_client_get_usage_async, error);
}
