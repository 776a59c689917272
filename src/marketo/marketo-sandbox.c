/* marketo-sandbox.c: a simulated Marketo instance served on loopback
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * This file is the server: the thread and its GMainContext, the identity endpoint, tokens,
 * transport rules, limits, fault injection, the latency model and the request log. The
 * lead database lives in marketo-sandbox-db.c and the endpoints in marketo-sandbox-routes.c.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "marketo-error.h"
#include "marketo-sandbox-db.h"

#define MAX_JSON_BODY      (1024 * 1024)
#define MAX_BULK_BODY      (10 * 1024 * 1024)
#define MAX_URI_LENGTH     (8 * 1024)
#define MAX_LOG_ENTRIES    200000
#define IDENTITY_PATH      "/identity/oauth/token"
#define TOKEN_SUFFIX       ":sb"
#define DEFAULT_SCOPE      "audience-push-sandbox@sandbox.invalid"
#define SAVE_DELAY_MS      1000
#define STEP_TICK_MS       100

typedef struct {
  gint64   expires_at;      /* sandbox clock, µs */
  gboolean reported;        /* 602 already answered once */
} TokenState;

typedef struct {
  MarketoSandboxFault  kind;
  int                  code;
  guint                remaining;
  char                *path_prefix;   /* (owned) (nullable) */
} Fault;

typedef struct {
  MarketoSandbox        *self;        /* (unowned) outlives the server thread */
  SoupServerMessage     *msg;         /* (owned) */
  MarketoSandboxRequest *entry;       /* (owned) (nullable) until logged */
  GSource               *delay;       /* (unowned) (nullable) */
  gboolean               in_flight;
  gboolean               disconnected;
} Exchange;

struct _MarketoSandbox
{
  GObject           parent_instance;

  GMutex            lock;             /* guards everything below */
  GCond             cond;

  /* configuration */
  char             *client_id;
  char             *client_secret;
  char             *scope;
  guint64           seed;
  guint             lead_count;
  char             *state_file;       /* (nullable) */
  double            window_seconds;
  guint             window_calls;
  guint             max_concurrency;
  guint             daily_quota;
  guint             token_lifetime;
  double            latency_base_ms;
  double            latency_per_record_ms;
  gboolean          partition_rule;
  guint             bulk_step_ms;
  guint             batch_lifetime;

  /* server thread */
  GThread          *thread;           /* (owned) (nullable) */
  GMainContext     *context;          /* (owned) (nullable) */
  GMainLoop        *loop;             /* (owned) (nullable) */
  SoupServer       *server;           /* (owned) (nullable) lives in the thread */
  GError           *start_error;      /* (owned) (nullable) */
  gboolean          thread_ready;
  guint16           port;
  GHashTable       *pending;          /* (element-type Exchange) delayed answers */

  /* identity */
  GHashTable       *tokens;           /* (element-type utf8 TokenState) */
  char             *current_token;    /* (nullable) */

  /* limits */
  GArray           *window;           /* (element-type gint64) monotonic µs of counted calls,
                                       * oldest first, from window_head on */
  guint             window_head;
  guint             in_flight;
  guint             peak_in_flight;
  guint             calls_today;
  char             *quota_day;        /* (nullable) "YYYY-MM-DD", Chicago */
  GTimeZone        *central;
  GTimeSpan         now_offset;

  /* faults and log */
  GQueue            faults;           /* (element-type Fault) */
  GPtrArray        *log;              /* (element-type MarketoSandboxRequest) */
  guint             request_counter;

  MarketoSandboxDb *db;               /* (owned) (nullable) until first needed */
  GSource          *save_source;      /* (owned) (nullable) a pending debounced save */
  gboolean          dirty;            /* changed since the last save */
  GSource          *step_source;      /* (owned) (nullable) bulk jobs' clock */
  gint64            last_step;        /* monotonic µs of the last automatic step */
};

G_DEFINE_FINAL_TYPE (MarketoSandbox, marketo_sandbox, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (MarketoSandboxRequest, marketo_sandbox_request,
                     marketo_sandbox_request_copy, marketo_sandbox_request_free)

enum {
  PROP_0,
  PROP_CLIENT_ID,
  PROP_CLIENT_SECRET,
  PROP_SCOPE,
  PROP_SEED,
  PROP_LEAD_COUNT,
  PROP_STATE_FILE,
  PROP_WINDOW_SECONDS,
  PROP_WINDOW_CALLS,
  PROP_MAX_CONCURRENCY,
  PROP_DAILY_QUOTA,
  PROP_TOKEN_LIFETIME,
  PROP_LATENCY_BASE_MS,
  PROP_LATENCY_PER_RECORD_MS,
  PROP_PARTITION_RULE,
  PROP_BULK_STEP_MS,
  PROP_BATCH_LIFETIME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- The request log entry ------------------------------------------------------------- */

MarketoSandboxRequest *
marketo_sandbox_request_copy (const MarketoSandboxRequest *request)
{
  MarketoSandboxRequest *copy;

  g_return_val_if_fail (request != NULL, NULL);

  copy = g_new (MarketoSandboxRequest, 1);
  *copy = *request;
  copy->method = g_strdup (request->method);
  copy->path = g_strdup (request->path);
  copy->query = g_strdup (request->query);
  copy->content_type = g_strdup (request->content_type);
  copy->request_id = g_strdup (request->request_id);
  return copy;
}

void
marketo_sandbox_request_free (MarketoSandboxRequest *request)
{
  if (request == NULL)
    return;
  g_free (request->method);
  g_free (request->path);
  g_free (request->query);
  g_free (request->content_type);
  g_free (request->request_id);
  g_free (request);
}

/* ---- Helpers ----------------------------------------------------------------------------- */

static void
fault_free (Fault *fault)
{
  g_free (fault->path_prefix);
  g_free (fault);
}

static gint64
sandbox_now_locked (MarketoSandbox *self)
{
  return g_get_real_time () + self->now_offset;
}

static char *
central_day (MarketoSandbox *self,
             gint64          now)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (now / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, self->central);

  return g_date_time_format (local, "%Y-%m-%d");
}

/* Splits an application/x-www-form-urlencoded string into decoded pairs (keys at even
 * indexes, values at odd ones). */
static void
parse_form_pairs (const char *encoded,
                  gssize      length,
                  GPtrArray  *pairs)
{
  g_autofree char *copy = NULL;
  g_auto(GStrv) items = NULL;

  if (encoded == NULL || length == 0)
    return;

  copy = length < 0 ? g_strdup (encoded) : g_strndup (encoded, length);
  items = g_strsplit (copy, "&", -1);
  for (guint i = 0; items[i] != NULL; i++)
    {
      char *eq;
      char *key;
      char *value;

      if (items[i][0] == '\0')
        continue;
      g_strdelimit (items[i], "+", ' ');
      eq = strchr (items[i], '=');
      if (eq != NULL)
        *eq = '\0';
      key = g_uri_unescape_string (items[i], NULL);
      value = g_uri_unescape_string (eq != NULL ? eq + 1 : "", NULL);
      if (key == NULL || value == NULL)
        {
          g_free (key);
          g_free (value);
          continue;
        }
      g_ptr_array_add (pairs, key);
      g_ptr_array_add (pairs, value);
    }
}

/* The raw query without the parameters that carry secrets. */
static char *
sanitize_query (const char *raw,
                gboolean   *token_in_query)
{
  g_auto(GStrv) items = NULL;
  g_autoptr(GString) out = NULL;

  if (raw == NULL)
    return NULL;

  out = g_string_new (NULL);
  items = g_strsplit (raw, "&", -1);
  for (guint i = 0; items[i] != NULL; i++)
    {
      g_autofree char *key = NULL;
      const char *eq = strchr (items[i], '=');

      key = g_uri_unescape_segment (items[i], eq, NULL);
      if (g_strcmp0 (key, "access_token") == 0)
        {
          *token_in_query = TRUE;
          continue;
        }
      if (g_strcmp0 (key, "client_secret") == 0)
        continue;
      if (out->len > 0)
        g_string_append_c (out, '&');
      g_string_append (out, items[i]);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
set_json_response (SoupServerMessage *msg,
                   guint              status,
                   JsonObject        *object)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  gsize length = 0;
  char *data;

  json_node_set_object (root, object);
  json_generator_set_root (generator, root);
  data = json_generator_to_data (generator, &length);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json;charset=UTF-8", SOUP_MEMORY_TAKE,
                                    data, length);
}

static void
set_text_response (SoupServerMessage *msg,
                   guint              status,
                   const char        *content_type,
                   const char        *text)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, text, strlen (text));
}

static void
set_html_error (SoupServerMessage *msg,
                guint              status)
{
  g_autofree char *html = NULL;
  const char *phrase = soup_status_get_phrase (status);

  html = g_strdup_printf ("<html><head><title>%u %s</title></head><body><h1>%u %s</h1>"
                          "</body></html>\n", status, phrase ? phrase : "", status,
                          phrase ? phrase : "");
  set_text_response (msg, status, "text/html", html);
}

static void
set_oauth_error (SoupServerMessage *msg,
                 guint              status,
                 const char        *error,
                 const char        *description)
{
  g_autoptr(JsonObject) object = json_object_new ();

  json_object_set_string_member (object, "error", error);
  json_object_set_string_member (object, "error_description", description);
  set_json_response (msg, status, object);
}

/* ---- Exchanges: one request from arrival to the hand-over of its answer ---------------- */

static void
exchange_free (Exchange *ex)
{
  g_clear_object (&ex->msg);
  g_clear_pointer (&ex->entry, marketo_sandbox_request_free);
  g_free (ex);
}

static void
msg_disconnected_cb (SoupServerMessage *msg,
                     Exchange          *ex)
{
  ex->disconnected = TRUE;
}

/* Ends the call's bookkeeping: it leaves the in-flight count and enters the log. */
static void
exchange_complete_locked (MarketoSandbox *self,
                          Exchange       *ex,
                          guint           http_status)
{
  if (ex->in_flight)
    {
      g_assert (self->in_flight > 0);
      self->in_flight--;
      ex->in_flight = FALSE;
    }
  if (ex->entry != NULL)
    {
      ex->entry->end_us = g_get_monotonic_time ();
      ex->entry->http_status = http_status;
      if (self->log->len >= MAX_LOG_ENTRIES)
        g_ptr_array_remove_range (self->log, 0, MAX_LOG_ENTRIES / 10);
      g_ptr_array_add (self->log, g_steal_pointer (&ex->entry));
    }
}

static gboolean
delay_done_cb (gpointer user_data)
{
  Exchange *ex = user_data;
  MarketoSandbox *self = ex->self;

  g_mutex_lock (&self->lock);
  exchange_complete_locked (self, ex, soup_server_message_get_status (ex->msg));
  g_hash_table_remove (self->pending, ex);
  g_mutex_unlock (&self->lock);

  if (!ex->disconnected)
    soup_server_message_unpause (ex->msg);
  ex->delay = NULL;
  g_signal_handlers_disconnect_by_data (ex->msg, ex);
  exchange_free (ex);
  return G_SOURCE_REMOVE;
}

/* ---- Identity --------------------------------------------------------------------------- */

static void
handle_identity_locked (MarketoSandbox    *self,
                        SoupServerMessage *msg,
                        const char        *method,
                        GHashTable        *params)
{
  const char *grant_type = g_hash_table_lookup (params, "grant_type");
  const char *client_id = g_hash_table_lookup (params, "client_id");
  const char *client_secret = g_hash_table_lookup (params, "client_secret");
  g_autoptr(JsonObject) answer = NULL;
  TokenState *state = NULL;
  gint64 now = sandbox_now_locked (self);

  if (g_strcmp0 (method, "GET") != 0 && g_strcmp0 (method, "POST") != 0)
    {
      set_oauth_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed",
                       "Request method not supported");
      return;
    }
  if (grant_type == NULL)
    {
      set_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request", "Missing grant type");
      return;
    }
  if (g_strcmp0 (grant_type, "client_credentials") != 0)
    {
      set_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "unsupported_grant_type",
                       "Unsupported grant type");
      return;
    }
  if (g_strcmp0 (client_id, self->client_id) != 0)
    {
      set_oauth_error (msg, SOUP_STATUS_UNAUTHORIZED, "invalid_client",
                       "Bad client credentials");
      return;
    }
  if (g_strcmp0 (client_secret, self->client_secret) != 0)
    {
      set_oauth_error (msg, SOUP_STATUS_UNAUTHORIZED, "invalid_client",
                       "Bad client credentials");
      return;
    }

  if (self->current_token != NULL)
    state = g_hash_table_lookup (self->tokens, self->current_token);
  if (state == NULL || now >= state->expires_at)
    {
      g_autofree char *uuid = g_uuid_string_random ();

      g_free (self->current_token);
      self->current_token = g_strconcat (uuid, TOKEN_SUFFIX, NULL);
      state = g_new0 (TokenState, 1);
      state->expires_at = now + (gint64) self->token_lifetime * G_USEC_PER_SEC;
      g_hash_table_insert (self->tokens, g_strdup (self->current_token), state);
      g_debug ("sandbox: minted a token valid for %u s", self->token_lifetime);
    }

  answer = json_object_new ();
  json_object_set_string_member (answer, "access_token", self->current_token);
  json_object_set_string_member (answer, "token_type", "bearer");
  json_object_set_int_member (answer, "expires_in",
                              MAX (0, (state->expires_at - now) / G_USEC_PER_SEC));
  json_object_set_string_member (answer, "scope", self->scope);
  set_json_response (msg, SOUP_STATUS_OK, answer);
}

/* 0 when the token is good, else 601 or 602. */
static int
check_token_locked (MarketoSandbox *self,
                    const char     *token)
{
  TokenState *state;

  if (token == NULL || *token == '\0')
    return 601;
  state = g_hash_table_lookup (self->tokens, token);
  if (state == NULL)
    return 601;
  if (sandbox_now_locked (self) >= state->expires_at)
    {
      if (state->reported)
        return 601;
      state->reported = TRUE;
      return 602;
    }
  return 0;
}

/* ---- Limits ------------------------------------------------------------------------------ */

static void
roll_day_locked (MarketoSandbox *self,
                 gint64          now)
{
  g_autofree char *day = central_day (self, now);

  if (g_strcmp0 (day, self->quota_day) != 0)
    {
      g_free (self->quota_day);
      self->quota_day = g_steal_pointer (&day);
      self->calls_today = 0;
    }
}

static void
prune_window_locked (MarketoSandbox *self,
                     gint64          mono_now)
{
  gint64 horizon = mono_now - (gint64) (self->window_seconds * G_USEC_PER_SEC);

  while (self->window_head < self->window->len
         && g_array_index (self->window, gint64, self->window_head) <= horizon)
    self->window_head++;
  if (self->window_head > 0 && self->window_head * 2 >= self->window->len)
    {
      g_array_remove_range (self->window, 0, self->window_head);
      self->window_head = 0;
    }
}

/* Admits a call under the limits (it is then counted), or returns 606, 607 or 615. */
static int
admit_locked (MarketoSandbox *self,
              gint64          mono_now,
              gint64          now)
{
  roll_day_locked (self, now);
  prune_window_locked (self, mono_now);

  if (self->calls_today >= self->daily_quota)
    return 607;
  if (self->window->len - self->window_head >= self->window_calls)
    return 606;
  /* in_flight already includes this call */
  if (self->in_flight > self->max_concurrency)
    return 615;

  g_array_append_val (self->window, mono_now);
  self->calls_today++;
  return 0;
}

static void
uncount_locked (MarketoSandbox *self,
                gint64          mono_admitted)
{
  for (guint i = self->window->len; i > self->window_head; i--)
    if (g_array_index (self->window, gint64, i - 1) == mono_admitted)
      {
        g_array_remove_index (self->window, i - 1);
        break;
      }
  if (self->calls_today > 0)
    self->calls_today--;
}

static gboolean
code_is_uncounted (int code)
{
  return code == 601 || code == 602 || code == 604 || code == 605 || code == 608 || code == 611;
}

static Fault *
take_fault_locked (MarketoSandbox *self,
                   const char     *path)
{
  gboolean identity = g_str_has_prefix (path, "/identity/");

  for (GList *l = self->faults.head; l != NULL; l = l->next)
    {
      Fault *fault = l->data;
      Fault *taken;

      if (fault->path_prefix == NULL ? identity : !g_str_has_prefix (path, fault->path_prefix))
        continue;

      taken = g_new0 (Fault, 1);
      *taken = *fault;
      taken->path_prefix = NULL;
      if (--fault->remaining == 0)
        {
          fault_free (fault);
          g_queue_delete_link (&self->faults, l);
        }
      return taken;
    }
  return NULL;
}

/* ---- The lead database and its state file ------------------------------------------------ */

static void
ensure_db_locked (MarketoSandbox *self)
{
  g_autoptr(GError) error = NULL;

  if (self->db != NULL)
    return;

  if (self->state_file != NULL && g_file_test (self->state_file, G_FILE_TEST_EXISTS))
    {
      self->db = _marketo_sandbox_db_load (self->state_file, &error);
      if (self->db == NULL)
        {
          g_autofree char *aside = g_strconcat (self->state_file, ".bad", NULL);

          g_warning ("Sandbox state file unreadable, starting afresh: %s", error->message);
          g_rename (self->state_file, aside);
        }
      else
        {
          g_free (self->quota_day);
          self->quota_day = g_strdup (self->db->usage_day);
          self->calls_today = self->db->usage_count;
          g_debug ("sandbox: loaded %u leads from the state file", self->db->leads->len);
        }
    }
  if (self->db == NULL)
    {
      self->db = _marketo_sandbox_db_new ();
      _marketo_sandbox_db_seed (self->db, self->seed, self->lead_count);
      g_debug ("sandbox: seeded %u leads (seed %" G_GUINT64_FORMAT ")", self->lead_count,
               self->seed);
    }
}

/* Writes the state file (atomically: a temporary file renamed over it). The snapshot is
 * taken under the lock, the write happens outside it. */
static gboolean
save_state (MarketoSandbox  *self,
            GError         **error)
{
  g_autofree char *path = NULL;
  g_autofree char *data = NULL;
  g_autofree char *dir = NULL;
  gsize length = 0;

  g_mutex_lock (&self->lock);
  if (self->state_file == NULL || self->db == NULL)
    {
      g_mutex_unlock (&self->lock);
      return TRUE;
    }
  path = g_strdup (self->state_file);
  self->dirty = FALSE;
  g_free (self->db->usage_day);
  self->db->usage_day = g_strdup (self->quota_day);
  self->db->usage_count = self->calls_today;
  data = _marketo_sandbox_db_serialize (self->db, &length);
  g_mutex_unlock (&self->lock);

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not create %s: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }
  return g_file_set_contents_full (path, data, length, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                   error);
}

static gboolean
save_timeout_cb (gpointer user_data)
{
  MarketoSandbox *self = MARKETO_SANDBOX (user_data);
  g_autoptr(GError) error = NULL;

  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->save_source, g_source_unref);
  g_mutex_unlock (&self->lock);

  if (!save_state (self, &error))
    g_warning ("Could not save the sandbox state: %s", error->message);
  return G_SOURCE_REMOVE;
}

static void
schedule_save_locked (MarketoSandbox *self)
{
  self->dirty = TRUE;
  if (self->state_file == NULL || self->save_source != NULL || self->context == NULL)
    return;
  self->save_source = g_timeout_source_new (SAVE_DELAY_MS);
  g_source_set_callback (self->save_source, save_timeout_cb, self, NULL);
  g_source_attach (self->save_source, self->context);
}

/* Ticks every STEP_TICK_MS; steps the bulk jobs every "bulk-step-ms" (which may change while
 * the sandbox runs; 0 stops the clock). */
static gboolean
step_timeout_cb (gpointer user_data)
{
  MarketoSandbox *self = MARKETO_SANDBOX (user_data);
  gint64 mono_now = g_get_monotonic_time ();

  g_mutex_lock (&self->lock);
  if (self->bulk_step_ms == 0)
    self->last_step = mono_now;
  else if (mono_now - self->last_step >= (gint64) self->bulk_step_ms * 1000)
    {
      self->last_step = mono_now;
      if (_marketo_sandbox_db_step_jobs (self->db, self->partition_rule,
                                         sandbox_now_locked (self)) > 0)
        schedule_save_locked (self);
    }
  g_mutex_unlock (&self->lock);
  return G_SOURCE_CONTINUE;
}

/* ---- The request handler ----------------------------------------------------------------- */

static gboolean
is_api_path (const char *path)
{
  return g_str_has_prefix (path, "/rest/") || g_str_has_prefix (path, "/bulk/")
         || g_str_has_prefix (path, "/identity/");
}

static void
answer_call (SoupServerMessage  *msg,
             MarketoSandboxCall *call)
{
  if (call->raw != NULL)
    {
      gsize length = 0;
      gconstpointer data = g_bytes_get_data (call->raw, &length);

      soup_server_message_set_status (msg, call->http_status ? call->http_status : 200, NULL);
      soup_server_message_set_response (msg, call->raw_type ? call->raw_type : "text/plain",
                                        SOUP_MEMORY_COPY, data, length);
    }
  else if (call->reply != NULL)
    set_json_response (msg, call->http_status ? call->http_status : 200, call->reply);
  else
    set_html_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR);
}

static void
split_ids (GPtrArray  *ids,
           const char *value)
{
  g_auto(GStrv) parts = g_strsplit (value, ",", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (parts[i][0] != '\0')
        g_ptr_array_add (ids, g_strdup (parts[i]));
    }
}

static void
server_request_cb (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *unused_query,
                   gpointer           user_data)
{
  MarketoSandbox *self = MARKETO_SANDBOX (user_data);
  MarketoSandboxCall call = { 0 };
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  GUri *uri = soup_server_message_get_uri (msg);
  const char *raw_query = g_uri_get_query (uri);
  const char *method = soup_server_message_get_method (msg);
  const char *effective_method = method;
  const char *content_type = soup_message_headers_get_content_type (headers, NULL);
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  g_autoptr(GPtrArray) pairs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) params = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(GBytes) body_bytes = NULL;
  g_autofree char *token = NULL;
  g_autofree char *request_id = NULL;
  g_autofree char *today = NULL;
  Fault *fault = NULL;
  Exchange *ex;
  MarketoSandboxRequest *entry;
  gint64 mono_now = g_get_monotonic_time ();
  gint64 now;
  gint64 delay_ms = 0;
  gboolean counted = FALSE;
  gboolean identity;
  gboolean reset = FALSE;
  gsize uri_length;
  int code = 0;

  if (body != NULL && body->length > 0)
    body_bytes = g_bytes_new (body->data, body->length);

  ex = g_new0 (Exchange, 1);
  ex->self = self;
  ex->msg = g_object_ref (msg);
  g_signal_connect (msg, "disconnected", G_CALLBACK (msg_disconnected_cb), ex);

  entry = ex->entry = g_new0 (MarketoSandboxRequest, 1);
  entry->method = g_strdup (method);
  entry->path = g_strdup (path);
  entry->content_type = g_strdup (content_type);
  entry->body_size = body != NULL ? body->length : 0;
  entry->start_us = mono_now;
  entry->query = sanitize_query (raw_query, &entry->token_in_query);
  if (authorization != NULL && g_ascii_strncasecmp (authorization, "Bearer ", 7) == 0)
    {
      entry->has_bearer = TRUE;
      token = g_strstrip (g_strdup (authorization + 7));
    }

  /* Parameters: the query, then a form body (later values win in the table) */
  parse_form_pairs (raw_query, -1, pairs);
  if (g_strcmp0 (content_type, "application/x-www-form-urlencoded") == 0 && body != NULL)
    parse_form_pairs (body->data, body->length, pairs);
  for (guint i = 0; i + 1 < pairs->len; i += 2)
    {
      const char *key = pairs->pdata[i];
      const char *value = pairs->pdata[i + 1];

      g_hash_table_insert (params, (gpointer) key, (gpointer) value);
      if (g_str_equal (key, "id"))
        split_ids (ids, value);
      if (g_str_equal (key, "access_token"))
        entry->token_in_query = TRUE;
    }
  if (g_strcmp0 (method, "POST") == 0
      && g_strcmp0 (g_hash_table_lookup (params, "_method"), "GET") == 0)
    effective_method = "GET";
  g_hash_table_remove (params, "access_token");
  g_hash_table_remove (params, "_method");

  identity = g_str_has_prefix (path, "/identity/");
  uri_length = strlen (path) + (raw_query != NULL ? strlen (raw_query) + 1 : 0);

  g_mutex_lock (&self->lock);

  now = sandbox_now_locked (self);
  request_id = g_strdup_printf ("%x#%" G_GINT64_MODIFIER "x", ++self->request_counter,
                                now / 1000);
  entry->request_id = g_strdup (request_id);
  if (!identity && is_api_path (path))
    {
      ex->in_flight = TRUE;
      self->in_flight++;
      self->peak_in_flight = MAX (self->peak_in_flight, self->in_flight);
    }

  /* Transport rules first: they are the gateway's */
  if (!is_api_path (path))
    {
      set_text_response (msg, SOUP_STATUS_NOT_FOUND, "text/plain", "Not Found\n");
      goto answered;
    }
  if (uri_length > MAX_URI_LENGTH)
    {
      set_html_error (msg, SOUP_STATUS_REQUEST_URI_TOO_LONG);
      goto answered;
    }
  if (entry->body_size > (g_str_has_prefix (path, "/bulk/") ? MAX_BULK_BODY : MAX_JSON_BODY))
    {
      set_html_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);
      goto answered;
    }

  if (identity)
    {
      fault = take_fault_locked (self, path);
      if (fault == NULL)
        {
          if (g_strcmp0 (path, IDENTITY_PATH) == 0)
            handle_identity_locked (self, msg, method, params);
          else
            set_text_response (msg, SOUP_STATUS_NOT_FOUND, "text/plain", "Not Found\n");
          goto answered;
        }
    }

  call.method = effective_method;
  call.path = path;
  call.params = params;
  call.ids = ids;
  call.content_type = content_type;
  call.body = body_bytes;
  call.request_headers = headers;
  call.now = now;
  call.request_id = request_id;
  call.scope = self->scope;
  call.partition_rule = self->partition_rule;
  call.batch_lifetime = self->batch_lifetime;

  if (!identity)
    {
      code = check_token_locked (self, token);
      if (code != 0)
        {
          _marketo_sandbox_call_fail (&call, code, code == 602 ? "Access token expired"
                                                               : "Access token invalid");
          goto routed;
        }
      fault = take_fault_locked (self, path);
    }

  if (fault != NULL)
    {
      entry->faulted = fault->kind != MARKETO_SANDBOX_FAULT_STALL;
      switch (fault->kind)
        {
        case MARKETO_SANDBOX_FAULT_CODE:
          _marketo_sandbox_call_fail (&call, fault->code, "Injected fault %d", fault->code);
          goto routed;
        case MARKETO_SANDBOX_FAULT_HTTP:
          set_html_error (msg, fault->code);
          goto answered;
        case MARKETO_SANDBOX_FAULT_RESET:
          reset = TRUE;
          goto answered;
        case MARKETO_SANDBOX_FAULT_STALL:
          delay_ms += fault->code;
          if (identity)
            {
              handle_identity_locked (self, msg, method, params);
              goto answered;
            }
          break;
        default:
          g_assert_not_reached ();
        }
    }

  code = admit_locked (self, mono_now, now);
  if (code == 606)
    {
      _marketo_sandbox_call_fail (&call, 606, "Max rate limit '%u' exceeded with in '%g' secs",
                                  self->window_calls, self->window_seconds);
      goto routed;
    }
  if (code == 607)
    {
      _marketo_sandbox_call_fail (&call, 607, "Daily quota reached");
      goto routed;
    }
  if (code == 615)
    {
      _marketo_sandbox_call_fail (&call, 615, "Concurrent access limit reached");
      goto routed;
    }
  counted = TRUE;

  /* Parse a JSON body once for every route; 609 when it does not parse */
  if (content_type != NULL && g_str_equal (content_type, "application/json")
      && body_bytes != NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();
      gsize length = 0;
      const char *data = g_bytes_get_data (body_bytes, &length);

      if (!json_parser_load_from_data (parser, data, length, NULL)
          || json_parser_get_root (parser) == NULL)
        {
          _marketo_sandbox_call_fail (&call, 609, "Invalid JSON");
          goto routed;
        }
      json = json_node_ref (json_parser_get_root (parser));
      call.json = json;
    }

  today = central_day (self, now);
  call.calls_today = self->calls_today;
  call.today = today;
  if (strstr (path, "//") != NULL)
    _marketo_sandbox_call_fail (&call, 610, "Requested resource not found");
  else
    _marketo_sandbox_route (self->db, &call);
  if (call.changed)
    schedule_save_locked (self);

  /* every answer of an endpoint takes its time; refusals above answer at once */
  delay_ms += (gint64) (self->latency_base_ms
                        + self->latency_per_record_ms * MAX (call.n_input, call.n_output));

routed:
  if (counted && code_is_uncounted (call.code))
    {
      uncount_locked (self, mono_now);
      counted = FALSE;
    }
  entry->code = call.code;
  entry->n_records = call.n_input;
  answer_call (msg, &call);
  _marketo_sandbox_call_clear (&call);

answered:
  entry->counted = counted;
  g_clear_pointer (&fault, fault_free);

  if (reset)
    {
      g_autoptr(GIOStream) stream = NULL;

      exchange_complete_locked (self, ex, 0);
      g_mutex_unlock (&self->lock);
      /* Cut the answer short in its body: with no answer at all, a client on a kept-alive
       * connection (libsoup does this) silently sends the request again, and a lone status
       * line passes for an empty answer. */
      stream = soup_server_message_steal_connection (msg);
      if (stream != NULL)
        {
          static const char partial[] = "HTTP/1.1 200 OK\r\n"
                                        "Content-Type: application/json;charset=UTF-8\r\n"
                                        "Content-Length: 4096\r\n\r\n"
                                        "{\"requestId\":";

          g_output_stream_write_all (g_io_stream_get_output_stream (stream), partial,
                                     strlen (partial), NULL, NULL, NULL);
          g_io_stream_close (stream, NULL, NULL);
        }
      g_signal_handlers_disconnect_by_data (msg, ex);
      exchange_free (ex);
      return;
    }

  if (delay_ms > 0)
    {
      soup_server_message_pause (msg);
      ex->delay = g_timeout_source_new (delay_ms);
      g_source_set_callback (ex->delay, delay_done_cb, ex, NULL);
      g_source_attach (ex->delay, self->context);
      g_source_unref (ex->delay);
      g_hash_table_add (self->pending, ex);
      g_mutex_unlock (&self->lock);
      return;
    }

  exchange_complete_locked (self, ex, soup_server_message_get_status (msg));
  g_mutex_unlock (&self->lock);
  g_signal_handlers_disconnect_by_data (msg, ex);
  exchange_free (ex);
}

/* ---- The server thread ------------------------------------------------------------------- */

static gpointer
server_thread_func (gpointer user_data)
{
  MarketoSandbox *self = MARKETO_SANDBOX (user_data);
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GError) error = NULL;
  GSList *uris;
  guint16 port;

  g_main_context_push_thread_default (self->context);

  server = soup_server_new ("server-header", "MarketoSandbox ", NULL);
  soup_server_add_handler (server, NULL, server_request_cb, self, NULL);

  g_mutex_lock (&self->lock);
  port = self->port;
  g_mutex_unlock (&self->lock);

  if (soup_server_listen_local (server, port, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    {
      uris = soup_server_get_uris (server);
      port = uris != NULL ? g_uri_get_port (uris->data) : 0;
      g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
    }

  g_mutex_lock (&self->lock);
  if (error != NULL)
    self->start_error = g_steal_pointer (&error);
  else
    {
      self->port = port;
      self->server = g_object_ref (server);
    }
  self->thread_ready = TRUE;
  if (self->server != NULL)
    {
      self->last_step = g_get_monotonic_time ();
      self->step_source = g_timeout_source_new (STEP_TICK_MS);
      g_source_set_callback (self->step_source, step_timeout_cb, self, NULL);
      g_source_attach (self->step_source, self->context);
    }
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);

  if (self->server != NULL)
    g_main_loop_run (self->loop);

  g_mutex_lock (&self->lock);
  g_clear_object (&self->server);
  g_mutex_unlock (&self->lock);

  /* Let the closed connections and listeners finish going away in this thread */
  soup_server_disconnect (server);
  g_clear_object (&server);
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

static gboolean
quit_server_cb (gpointer user_data)
{
  MarketoSandbox *self = MARKETO_SANDBOX (user_data);
  GList *pending;

  g_mutex_lock (&self->lock);
  pending = g_hash_table_get_keys (self->pending);
  g_hash_table_remove_all (self->pending);
  if (self->save_source != NULL)
    g_source_destroy (self->save_source);
  g_clear_pointer (&self->save_source, g_source_unref);
  if (self->step_source != NULL)
    g_source_destroy (self->step_source);
  g_clear_pointer (&self->step_source, g_source_unref);
  g_mutex_unlock (&self->lock);

  for (GList *l = pending; l != NULL; l = l->next)
    {
      Exchange *ex = l->data;

      g_source_destroy (ex->delay);
      g_mutex_lock (&self->lock);
      exchange_complete_locked (self, ex, 0);
      g_mutex_unlock (&self->lock);
      g_signal_handlers_disconnect_by_data (ex->msg, ex);
      exchange_free (ex);
    }
  g_list_free (pending);

  g_main_loop_quit (self->loop);
  return G_SOURCE_REMOVE;
}

/* ---- GObject ----------------------------------------------------------------------------- */

static void
marketo_sandbox_dispose (GObject *object)
{
  marketo_sandbox_stop (MARKETO_SANDBOX (object));

  G_OBJECT_CLASS (marketo_sandbox_parent_class)->dispose (object);
}

static void
marketo_sandbox_finalize (GObject *object)
{
  MarketoSandbox *self = MARKETO_SANDBOX (object);

  g_free (self->client_id);
  g_free (self->client_secret);
  g_free (self->scope);
  g_free (self->state_file);
  g_clear_pointer (&self->pending, g_hash_table_unref);
  g_clear_pointer (&self->tokens, g_hash_table_unref);
  g_free (self->current_token);
  g_clear_pointer (&self->window, g_array_unref);
  g_free (self->quota_day);
  g_clear_pointer (&self->central, g_time_zone_unref);
  g_queue_clear_full (&self->faults, (GDestroyNotify) fault_free);
  g_clear_pointer (&self->log, g_ptr_array_unref);
  g_clear_error (&self->start_error);
  g_clear_pointer (&self->db, _marketo_sandbox_db_free);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (marketo_sandbox_parent_class)->finalize (object);
}

static void
marketo_sandbox_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  MarketoSandbox *self = MARKETO_SANDBOX (object);

  g_mutex_lock (&self->lock);
  switch (prop_id)
    {
    case PROP_CLIENT_ID:
      g_value_set_string (value, self->client_id);
      break;
    case PROP_CLIENT_SECRET:
      g_value_set_string (value, self->client_secret);
      break;
    case PROP_SCOPE:
      g_value_set_string (value, self->scope);
      break;
    case PROP_SEED:
      g_value_set_uint64 (value, self->seed);
      break;
    case PROP_LEAD_COUNT:
      g_value_set_uint (value, self->lead_count);
      break;
    case PROP_STATE_FILE:
      g_value_set_string (value, self->state_file);
      break;
    case PROP_WINDOW_SECONDS:
      g_value_set_double (value, self->window_seconds);
      break;
    case PROP_WINDOW_CALLS:
      g_value_set_uint (value, self->window_calls);
      break;
    case PROP_MAX_CONCURRENCY:
      g_value_set_uint (value, self->max_concurrency);
      break;
    case PROP_DAILY_QUOTA:
      g_value_set_uint (value, self->daily_quota);
      break;
    case PROP_TOKEN_LIFETIME:
      g_value_set_uint (value, self->token_lifetime);
      break;
    case PROP_LATENCY_BASE_MS:
      g_value_set_double (value, self->latency_base_ms);
      break;
    case PROP_LATENCY_PER_RECORD_MS:
      g_value_set_double (value, self->latency_per_record_ms);
      break;
    case PROP_PARTITION_RULE:
      g_value_set_boolean (value, self->partition_rule);
      break;
    case PROP_BULK_STEP_MS:
      g_value_set_uint (value, self->bulk_step_ms);
      break;
    case PROP_BATCH_LIFETIME:
      g_value_set_uint (value, self->batch_lifetime);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
  g_mutex_unlock (&self->lock);
}

static gboolean
set_string (char       **field,
            const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

#define SET_SCALAR(field, v) G_STMT_START { \
  if ((field) != (v)) { (field) = (v); changed = TRUE; } \
} G_STMT_END

static void
marketo_sandbox_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  MarketoSandbox *self = MARKETO_SANDBOX (object);
  gboolean changed = FALSE;

  g_mutex_lock (&self->lock);
  switch (prop_id)
    {
    case PROP_CLIENT_ID:
      if (g_value_get_string (value) != NULL)
        changed = set_string (&self->client_id, g_value_get_string (value));
      break;
    case PROP_CLIENT_SECRET:
      if (g_value_get_string (value) != NULL)
        changed = set_string (&self->client_secret, g_value_get_string (value));
      break;
    case PROP_SCOPE:
      if (g_value_get_string (value) != NULL)
        changed = set_string (&self->scope, g_value_get_string (value));
      break;
    case PROP_SEED:
      SET_SCALAR (self->seed, g_value_get_uint64 (value));
      break;
    case PROP_LEAD_COUNT:
      SET_SCALAR (self->lead_count, g_value_get_uint (value));
      break;
    case PROP_STATE_FILE:
      changed = set_string (&self->state_file, g_value_get_string (value));
      break;
    case PROP_WINDOW_SECONDS:
      SET_SCALAR (self->window_seconds, g_value_get_double (value));
      break;
    case PROP_WINDOW_CALLS:
      SET_SCALAR (self->window_calls, g_value_get_uint (value));
      break;
    case PROP_MAX_CONCURRENCY:
      SET_SCALAR (self->max_concurrency, g_value_get_uint (value));
      break;
    case PROP_DAILY_QUOTA:
      SET_SCALAR (self->daily_quota, g_value_get_uint (value));
      break;
    case PROP_TOKEN_LIFETIME:
      SET_SCALAR (self->token_lifetime, g_value_get_uint (value));
      break;
    case PROP_LATENCY_BASE_MS:
      SET_SCALAR (self->latency_base_ms, g_value_get_double (value));
      break;
    case PROP_LATENCY_PER_RECORD_MS:
      SET_SCALAR (self->latency_per_record_ms, g_value_get_double (value));
      break;
    case PROP_PARTITION_RULE:
      SET_SCALAR (self->partition_rule, g_value_get_boolean (value));
      break;
    case PROP_BULK_STEP_MS:
      SET_SCALAR (self->bulk_step_ms, g_value_get_uint (value));
      break;
    case PROP_BATCH_LIFETIME:
      SET_SCALAR (self->batch_lifetime, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
  g_mutex_unlock (&self->lock);

  if (changed)
    g_object_notify_by_pspec (object, pspec);
}

#undef SET_SCALAR

static void
marketo_sandbox_class_init (MarketoSandboxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = marketo_sandbox_dispose;
  object_class->finalize = marketo_sandbox_finalize;
  object_class->get_property = marketo_sandbox_get_property;
  object_class->set_property = marketo_sandbox_set_property;

  properties[PROP_CLIENT_ID] =
    g_param_spec_string ("client-id", NULL, NULL, NULL, flags);
  properties[PROP_CLIENT_SECRET] =
    g_param_spec_string ("client-secret", NULL, NULL, NULL, flags);
  properties[PROP_SCOPE] =
    g_param_spec_string ("scope", NULL, NULL, DEFAULT_SCOPE, flags);
  properties[PROP_SEED] =
    g_param_spec_uint64 ("seed", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_LEAD_COUNT] =
    g_param_spec_uint ("lead-count", NULL, NULL, 0, 10000000, 10000, flags);
  properties[PROP_STATE_FILE] =
    g_param_spec_string ("state-file", NULL, NULL, NULL, flags);
  properties[PROP_WINDOW_SECONDS] =
    g_param_spec_double ("window-seconds", NULL, NULL, 0.001, 86400.0, 20.0, flags);
  properties[PROP_WINDOW_CALLS] =
    g_param_spec_uint ("window-calls", NULL, NULL, 1, G_MAXUINT, 100, flags);
  properties[PROP_MAX_CONCURRENCY] =
    g_param_spec_uint ("max-concurrency", NULL, NULL, 1, G_MAXUINT, 10, flags);
  properties[PROP_DAILY_QUOTA] =
    g_param_spec_uint ("daily-quota", NULL, NULL, 0, G_MAXUINT, 50000, flags);
  properties[PROP_TOKEN_LIFETIME] =
    g_param_spec_uint ("token-lifetime", NULL, NULL, 0, G_MAXUINT, 3600, flags);
  properties[PROP_LATENCY_BASE_MS] =
    g_param_spec_double ("latency-base-ms", NULL, NULL, 0.0, 600000.0, 0.0, flags);
  properties[PROP_LATENCY_PER_RECORD_MS] =
    g_param_spec_double ("latency-per-record-ms", NULL, NULL, 0.0, 60000.0, 0.0, flags);
  /**
   * MarketoSandbox:partition-rule:
   *
   * When set, Sync Leads with a partitionName refuses (1010) to update a lead that lives
   * in another partition.
   */
  properties[PROP_PARTITION_RULE] =
    g_param_spec_boolean ("partition-rule", NULL, NULL, FALSE, flags);
  /**
   * MarketoSandbox:bulk-step-ms:
   *
   * Bulk import jobs advance one step this often (0: only marketo_sandbox_step_bulk_jobs()).
   */
  properties[PROP_BULK_STEP_MS] =
    g_param_spec_uint ("bulk-step-ms", NULL, NULL, 0, G_MAXUINT, 2000, flags);
  /**
   * MarketoSandbox:batch-lifetime:
   *
   * Seconds a bulk import batch id stays valid (default 7 days).
   */
  properties[PROP_BATCH_LIFETIME] =
    g_param_spec_uint ("batch-lifetime", NULL, NULL, 1, G_MAXUINT, 7 * 24 * 3600, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static char *
random_hex (guint n_bytes)
{
  GString *out = g_string_sized_new (n_bytes * 2);

  for (guint i = 0; i < n_bytes; i++)
    g_string_append_printf (out, "%02x", g_random_int_range (0, 256));
  return g_string_free (out, FALSE);
}

static void
marketo_sandbox_init (MarketoSandbox *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);

  self->client_id = g_uuid_string_random ();
  self->client_secret = random_hex (16);
  self->scope = g_strdup (DEFAULT_SCOPE);
  self->lead_count = 10000;
  self->window_seconds = 20.0;
  self->window_calls = 100;
  self->max_concurrency = 10;
  self->daily_quota = 50000;
  self->token_lifetime = 3600;
  self->bulk_step_ms = 2000;
  self->batch_lifetime = 7 * 24 * 3600;

  self->pending = g_hash_table_new (NULL, NULL);
  self->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->window = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_queue_init (&self->faults);
  self->log = g_ptr_array_new_with_free_func ((GDestroyNotify) marketo_sandbox_request_free);
  self->central = g_time_zone_new_identifier ("America/Chicago");
  if (self->central == NULL)
    self->central = g_time_zone_new_offset (-6 * 3600);
}

/* ---- Public API -------------------------------------------------------------------------- */

MarketoSandbox *
marketo_sandbox_new (void)
{
  return g_object_new (MARKETO_TYPE_SANDBOX, NULL);
}

gboolean
marketo_sandbox_start (MarketoSandbox  *self,
                       guint16          port,
                       GError         **error)
{
  g_return_val_if_fail (MARKETO_IS_SANDBOX (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_mutex_lock (&self->lock);
  if (self->thread != NULL)
    {
      g_mutex_unlock (&self->lock);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                           _("The sandbox is already running"));
      return FALSE;
    }

  ensure_db_locked (self);
  self->port = port;
  self->thread_ready = FALSE;
  g_clear_error (&self->start_error);
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->thread = g_thread_new ("marketo-sandbox", server_thread_func, self);
  while (!self->thread_ready)
    g_cond_wait (&self->cond, &self->lock);

  if (self->start_error != NULL)
    {
      GThread *thread = g_steal_pointer (&self->thread);

      g_propagate_prefixed_error (error, g_steal_pointer (&self->start_error),
                                  _("Could not start the sandbox: "));
      g_mutex_unlock (&self->lock);
      g_thread_join (thread);
      g_clear_pointer (&self->loop, g_main_loop_unref);
      g_clear_pointer (&self->context, g_main_context_unref);
      return FALSE;
    }
  g_debug ("sandbox: serving on 127.0.0.1:%u", self->port);
  g_mutex_unlock (&self->lock);
  return TRUE;
}

void
marketo_sandbox_stop (MarketoSandbox *self)
{
  g_autoptr(GError) error = NULL;
  GThread *thread;
  gboolean dirty;

  g_return_if_fail (MARKETO_IS_SANDBOX (self));

  g_mutex_lock (&self->lock);
  thread = g_steal_pointer (&self->thread);
  dirty = self->dirty;
  g_mutex_unlock (&self->lock);
  if (thread == NULL)
    {
      /* never started (or already stopped): keep what the seeding API changed */
      if (dirty && !save_state (self, &error))
        g_warning ("Could not save the sandbox state: %s", error->message);
      return;
    }

  g_main_context_invoke (self->context, quit_server_cb, self);
  g_thread_join (thread);

  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->context, g_main_context_unref);

  if (!save_state (self, &error))
    g_warning ("Could not save the sandbox state: %s", error->message);
}

guint16
marketo_sandbox_get_port (MarketoSandbox *self)
{
  guint16 port;

  g_return_val_if_fail (MARKETO_IS_SANDBOX (self), 0);

  g_mutex_lock (&self->lock);
  port = self->server != NULL ? self->port : 0;
  g_mutex_unlock (&self->lock);
  return port;
}

char *
marketo_sandbox_dup_endpoint (MarketoSandbox *self)
{
  g_return_val_if_fail (MARKETO_IS_SANDBOX (self), NULL);

  return g_strdup_printf ("http://127.0.0.1:%u", marketo_sandbox_get_port (self));
}

const char *
marketo_sandbox_get_client_id (MarketoSandbox *self)
{
  g_return_val_if_fail (MARKETO_IS_SANDBOX (self), NULL);

  return self->client_id;
}

const char *
marketo_sandbox_get_client_secret (MarketoSandbox *self)
{
  g_return_val_if_fail (MARKETO_IS_SANDBOX (self), NULL);

  return self->client_secret;
}

const char *
marketo_sandbox_get_scope (MarketoSandbox *self)
{
  g_return_val_if_fail (MARKETO_IS_SANDBOX (self), NULL);

  return self->scope;
}

void
marketo_sandbox_add_fault (MarketoSandbox      *self,
                           MarketoSandboxFault  kind,
                           int                  code,
                           guint                count,
                           const char          *path_prefix)
{
  Fault *fault;

  g_return_if_fail (MARKETO_IS_SANDBOX (self));
  g_return_if_fail (kind <= MARKETO_SANDBOX_FAULT_STALL);

  if (count == 0)
    return;

  fault = g_new0 (Fault, 1);
  fault->kind = kind;
  fault->code = code;
  fault->remaining = count;
  fault->path_prefix = g_strdup (path_prefix);

  g_mutex_lock (&self->lock);
  g_queue_push_tail (&self->faults, fault);
  g_mutex_unlock (&self->lock);
}

static gboolean
parse_uint (const char *text,
            guint64     max,
            guint64    *out)
{
  return text != NULL && *text != '\0'
         && g_ascii_string_to_unsigned (text, 10, 0, max, out, NULL);
}

static gboolean
parse_one_fault (const char *spec,
                 Fault      *fault)
{
  g_autofree char *copy = g_strstrip (g_strdup (spec));
  char *at = strchr (copy, '@');
  char *colon;
  guint64 value = 0;
  guint64 count = 1;

  if (at != NULL)
    {
      *at = '\0';
      if (at[1] != '/')
        return FALSE;
      fault->path_prefix = g_strdup (at + 1);
    }
  colon = strchr (copy, ':');
  if (colon != NULL)
    {
      *colon = '\0';
      if (!parse_uint (colon + 1, G_MAXUINT, &count) || count == 0)
        return FALSE;
    }
  fault->remaining = count;

  if (g_str_equal (copy, "reset"))
    fault->kind = MARKETO_SANDBOX_FAULT_RESET;
  else if (g_str_has_prefix (copy, "stall="))
    {
      if (!parse_uint (copy + 6, 24 * 3600 * 1000, &value))
        return FALSE;
      fault->kind = MARKETO_SANDBOX_FAULT_STALL;
      fault->code = value;
    }
  else if (g_str_has_prefix (copy, "http"))
    {
      if (!parse_uint (copy + 4, 599, &value) || value < 400)
        return FALSE;
      fault->kind = MARKETO_SANDBOX_FAULT_HTTP;
      fault->code = value;
    }
  else
    {
      if (!parse_uint (copy, 9999, &value) || value < 100)
        return FALSE;
      fault->kind = MARKETO_SANDBOX_FAULT_CODE;
      fault->code = value;
    }
  return TRUE;
}

gboolean
marketo_sandbox_add_fault_spec (MarketoSandbox  *self,
                                const char      *spec,
                                GError         **error)
{
  g_auto(GStrv) items = NULL;
  GQueue parsed = G_QUEUE_INIT;

  g_return_val_if_fail (MARKETO_IS_SANDBOX (self), FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  items = g_strsplit (spec, ",", -1);
  for (guint i = 0; items[i] != NULL; i++)
    {
      Fault *fault = g_new0 (Fault, 1);

      if (!parse_one_fault (items[i], fault))
        {
          fault_free (fault);
          g_queue_clear_full (&parsed, (GDestroyNotify) fault_free);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("“%s” is not a fault: expected CODE, httpSTATUS, reset or stall=MS, "
                         "then optionally :COUNT and @/path"), g_strstrip (items[i]));
          return FALSE;
        }
      g_queue_push_tail (&parsed, fault);
    }
  if (g_queue_is_empty (&parsed))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The fault specification is empty"));
      return FALSE;
    }

  g_mutex_lock (&self->lock);
  while (!g_queue_is_empty (&parsed))
    g_queue_push_tail (&self->faults, g_queue_pop_head (&parsed));
  g_mutex_unlock (&self->lock);
  return TRUE;
}

void
marketo_sandbox_clear_faults (MarketoSandbox *self)
{
  g_return_if_fail (MARKETO_IS_SANDBOX (self));

  g_mutex_lock (&self->lock);
  g_queue_clear_full (&self->faults, (GDestroyNotify) fault_free);
  g_queue_init (&self->faults);
  g_mutex_unlock (&self->lock);
}

GPtrArray *
marketo_sandbox_dup_request_log (MarketoSandbox *self)
{
  GPtrArray *copy;

  g_return_val_if_fail (MARKETO_IS_SANDBOX (self), NULL);

  g_mutex_lock (&self->lock);
  copy = g_ptr_array_new_full (self->log->len,
                               (GDestroyNotify) marketo_sandbox_request_free);
  for (guint i = 0; i < self->log->len; i++)
    g_ptr_array_add (copy, marketo_sandbox_request_copy (self->log->pdata[i]));
  g_mutex_unlock (&self->lock);
  return copy;
}

void
marketo_sandbox_clear_request_log (MarketoSandbox *self)
{
  g_return_if_fail (MARKETO_IS_SANDBOX (self));

  g_mutex_lock (&self->lock);
  g_ptr_array_set_size (self->log, 0);
  g_mutex_unlock (&self->lock);
}

guint
marketo_sandbox_get_calls_today (MarketoSandbox *self)
{
  guint calls;

  g_return_val_if_fail (MARKETO_IS_SANDBOX (self), 0);

  g_mutex_lock (&self->lock);
  ensure_db_locked (self);
  roll_day_locked (self, sandbox_now_locked (self));
  calls = self->calls_today;
  g_mutex_unlock (&self->lock);
  return calls;
}

guint
marketo_sandbox_get_peak_in_flight (MarketoSandbox *self)
{
  guint peak;

  g_return_val_if_fail (MARKETO_IS_SANDBOX (self), 0);

  g_mutex_lock (&self->lock);
  peak = self->peak_in_flight;
  g_mutex_unlock (&self->lock);
  return peak;
}

void
marketo_sandbox_reset_peak_in_flight (MarketoSandbox *self)
{
  g_return_if_fail (MARKETO_IS_SANDBOX (self));

  g_mutex_lock (&self->lock);
  self->peak_in_flight = self->in_flight;
  g_mutex_unlock (&self->lock);
}

void
marketo_sandbox_set_now_offset (MarketoSandbox *self,
                                GTimeSpan       offset)
{
  g_return_if_fail (MARKETO_IS_SANDBOX (self));

  g_mutex_lock (&self->lock);
  self->now_offset = offset;
  g_mutex_unlock (&self->lock);
}

void
marketo_sandbox_set_now (MarketoSandbox *self,
                         GDateTime      *now)
{
  g_return_if_fail (MARKETO_IS_SANDBOX (self));

  g_mutex_lock (&self->lock);
  if (now == NULL)
    self->now_offset = 0;
  else
    self->now_offset = g_date_time_to_unix (now) * G_USEC_PER_SEC
                       + g_date_time_get_microsecond (now) - g_get_real_time ();
  g_mutex_unlock (&self->lock);
}

GDateTime *
marketo_sandbox_dup_now (MarketoSandbox *self)
{
  gint64 now;

  g_return_val_if_fail (MARKETO_IS_SANDBOX (self), NULL);

  g_mutex_lock (&self->lock);
  now = sandbox_now_locked (self);
  g_mutex_unlock (&self->lock);
  return g_date_time_new_from_unix_utc (now / G_USEC_PER_SEC);
}

/* ---- Inspection and seeding -------------------------------------------------------------- */

guint
marketo_sandbox_count_leads (MarketoSandbox *self)
{
  guint n;

  g_return_val_if_fail (MARKETO_IS_SANDBOX (self), 0);

  g_mutex_lock (&self->lock);
  ensure_db_locked (self);
  n = self->db->leads->len;
  g_mutex_unlock (&self->lock);
  return n;
}

JsonObject *
marketo_sandbox_dup_lead (MarketoSandbox *self,
                          gint64          id)
{
  SandboxLead *lead;
  JsonObject *object = NULL;

  g_return_val_if_fail (MARKETO_IS_SANDBOX (self), NULL);

  g_mutex_lock (&self->lock);
  ensure_db_locked (self);
  lead = _marketo_sandbox_db_get_lead (self->db, id);
  if (lead != NULL)
    object = _marketo_sandbox_lead_to_json (lead, NULL, 0);
  g_mutex_unlock (&self->lock);
  return object;
}

GPtrArray *
marketo_sandbox_find_leads (MarketoSandbox *self,
                            const char     *field,
                            const char     *value)
{
  g_autoptr(GPtrArray) found = NULL;
  GPtrArray *copies;

  g_return_val_if_fail (MARKETO_IS_SANDBOX (self), NULL);
  g_return_val_if_fail (field != NULL, NULL);
  g_return_val_if_fail (value != NULL, NULL);

  copies = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_mutex_lock (&self->lock);
  ensure_db_locked (self);
  found = _marketo_sandbox_db_find (self->db, _sandbox_field_index (field), value);
  for (guint i = 0; i < found->len; i++)
    g_ptr_array_add (copies, _marketo_sandbox_lead_to_json (found->pdata[i], NULL, 0));
  g_mutex_unlock (&self->lock);
  return copies;
}

/* Turns @fields into coerced values; the first problem becomes a MARKETO_ERROR. */
static GArray *
values_from_json (JsonObject  *fields,
                  GError     **error)
{
  g_autoptr(GArray) values = _sandbox_values_new ();
  g_autoptr(GList) names = json_object_get_members (fields);

  for (GList *l = names; l != NULL; l = l->next)
    {
      SandboxValue value = { _sandbox_field_index (l->data), NULL };
      g_autofree char *message = NULL;
      int code = 0;

      if (value.field < 0)
        {
          g_set_error (error, MARKETO_ERROR, MARKETO_ERROR_FIELD_NOT_FOUND,
                       "Field '%s' not found", (const char *) l->data);
          return NULL;
        }
      if (value.field == SANDBOX_FIELD_CREATED_AT || value.field == SANDBOX_FIELD_UPDATED_AT)
        continue;
      if (!_marketo_sandbox_coerce_json (value.field, json_object_get_member (fields, l->data),
                                         &value.value, &code, &message))
        {
          g_set_error_literal (error, MARKETO_ERROR, code, message);
          return NULL;
        }
      g_array_append_val (values, value);
    }
  return g_steal_pointer (&values);
}

static gboolean
parse_stamp (JsonObject *fields,
             const char *name,
             gint64     *usec)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) parsed = NULL;
  const char *text;

  if (!json_object_has_member (fields, name)
      || !JSON_NODE_HOLDS_VALUE (json_object_get_member (fields, name)))
    return FALSE;
  text = json_object_get_string_member (fields, name);
  if (text == NULL || (parsed = g_date_time_new_from_iso8601 (text, utc)) == NULL)
    return FALSE;
  *usec = g_date_time_to_unix (parsed) * G_USEC_PER_SEC;
  return TRUE;
}

gint64
marketo_sandbox_add_lead (MarketoSandbox  *self,
                          JsonObject      *fields,
                          const char      *partition_name,
                          GError         **error)
{
  g_autoptr(GArray) values = NULL;
  const SandboxPartition *partition = NULL;
  SandboxOutcome outcome;
  SandboxLead *lead;
  gint64 stamp;

  g_return_val_if_fail (MARKETO_IS_SANDBOX (self), 0);
  g_return_val_if_fail (fields != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (partition_name != NULL && (partition = _sandbox_partition_by_name (partition_name)) == NULL)
    {
      g_set_error (error, MARKETO_ERROR, MARKETO_ERROR_INVALID_DATA,
                   "Partition '%s' not found", partition_name);
      return 0;
    }
  values = values_from_json (fields, error);
  if (values == NULL)
    return 0;

  g_mutex_lock (&self->lock);
  ensure_db_locked (self);
  _marketo_sandbox_db_upsert (self->db, SANDBOX_ACTION_CREATE_DUPLICATE, SANDBOX_FIELD_EMAIL,
                              partition != NULL ? partition->id : 0, FALSE, values,
                              sandbox_now_locked (self), &outcome);
  lead = _marketo_sandbox_db_get_lead (self->db, outcome.id);
  if (lead != NULL && parse_stamp (fields, "createdAt", &stamp))
    lead->created_at = stamp;
  if (lead != NULL && parse_stamp (fields, "updatedAt", &stamp))
    lead->updated_at = stamp;
  if (lead != NULL)
    schedule_save_locked (self);
  g_mutex_unlock (&self->lock);

  if (outcome.id == 0)
    {
      g_set_error_literal (error, MARKETO_ERROR, outcome.code, outcome.message);
      g_free (outcome.message);
      return 0;
    }
  g_free (outcome.message);
  return outcome.id;
}

gint64
marketo_sandbox_create_list (MarketoSandbox  *self,
                             const char      *name,
                             gint64           folder_id,
                             GError         **error)
{
  SandboxList *list = NULL;

  g_return_val_if_fail (MARKETO_IS_SANDBOX (self), 0);
  g_return_val_if_fail (name != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (_sandbox_folder_by_id (folder_id) == NULL)
    {
      g_set_error (error, MARKETO_ERROR, MARKETO_ERROR_FOLDER_NOT_FOUND,
                   "Parent folder not found: %" G_GINT64_FORMAT, folder_id);
      return 0;
    }

  g_mutex_lock (&self->lock);
  ensure_db_locked (self);
  if (_marketo_sandbox_db_find_list (self->db, name) == NULL)
    {
      list = _marketo_sandbox_db_add_list (self->db, name, NULL, folder_id,
                                           sandbox_now_locked (self));
      schedule_save_locked (self);
    }
  g_mutex_unlock (&self->lock);

  if (list == NULL)
    {
      g_set_error_literal (error, MARKETO_ERROR, MARKETO_ERROR_BUSINESS_RULE,
                           "Static List with the same name already exists");
      return 0;
    }
  return list->id;
}

gint64
marketo_sandbox_find_list (MarketoSandbox *self,
                           const char     *name)
{
  SandboxList *list;
  gint64 id;

  g_return_val_if_fail (MARKETO_IS_SANDBOX (self), 0);
  g_return_val_if_fail (name != NULL, 0);

  g_mutex_lock (&self->lock);
  ensure_db_locked (self);
  list = _marketo_sandbox_db_find_list (self->db, name);
  id = list != NULL ? list->id : 0;
  g_mutex_unlock (&self->lock);
  return id;
}

GArray *
marketo_sandbox_dup_list_members (MarketoSandbox *self,
                                  gint64          list_id)
{
  SandboxList *list;
  GArray *copy = NULL;

  g_return_val_if_fail (MARKETO_IS_SANDBOX (self), NULL);

  g_mutex_lock (&self->lock);
  ensure_db_locked (self);
  list = _marketo_sandbox_db_get_list (self->db, list_id);
  if (list != NULL)
    {
      GArray *sorted = _sandbox_list_sorted (list);

      copy = g_array_sized_new (FALSE, FALSE, sizeof (gint64), sorted->len);
      g_array_append_vals (copy, sorted->data, sorted->len);
    }
  g_mutex_unlock (&self->lock);
  return copy;
}

gboolean
marketo_sandbox_add_list_members (MarketoSandbox  *self,
                                  gint64           list_id,
                                  const gint64    *lead_ids,
                                  guint            n_lead_ids,
                                  GError         **error)
{
  SandboxList *list;
  gint64 missing = 0;

  g_return_val_if_fail (MARKETO_IS_SANDBOX (self), FALSE);
  g_return_val_if_fail (lead_ids != NULL || n_lead_ids == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_mutex_lock (&self->lock);
  ensure_db_locked (self);
  list = _marketo_sandbox_db_get_list (self->db, list_id);
  for (guint i = 0; list != NULL && i < n_lead_ids && missing == 0; i++)
    if (_marketo_sandbox_db_get_lead (self->db, lead_ids[i]) == NULL)
      missing = lead_ids[i];
  if (list != NULL && missing == 0)
    {
      gint64 now = sandbox_now_locked (self);

      for (guint i = 0; i < n_lead_ids; i++)
        _sandbox_list_add (list, lead_ids[i], now);
      schedule_save_locked (self);
    }
  g_mutex_unlock (&self->lock);

  if (list == NULL)
    {
      g_set_error (error, MARKETO_ERROR, MARKETO_ERROR_OBJECT_NOT_FOUND,
                   "Static list %" G_GINT64_FORMAT " not found", list_id);
      return FALSE;
    }
  if (missing != 0)
    {
      g_set_error (error, MARKETO_ERROR, MARKETO_ERROR_LEAD_NOT_FOUND,
                   "Lead %" G_GINT64_FORMAT " not found", missing);
      return FALSE;
    }
  return TRUE;
}

guint
marketo_sandbox_step_bulk_jobs (MarketoSandbox *self)
{
  guint changed;

  g_return_val_if_fail (MARKETO_IS_SANDBOX (self), 0);

  g_mutex_lock (&self->lock);
  ensure_db_locked (self);
  changed = _marketo_sandbox_db_step_jobs (self->db, self->partition_rule,
                                           sandbox_now_locked (self));
  if (changed > 0)
    schedule_save_locked (self);
  g_mutex_unlock (&self->lock);
  return changed;
}

guint
marketo_sandbox_load_leads_csv (MarketoSandbox  *self,
                                const char      *path,
                                const char      *partition_name,
                                GError         **error)
{
  g_autofree char *data = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autofree int *columns = NULL;
  const SandboxPartition *partition = NULL;
  const char *const *header;
  gsize length = 0;
  guint n_columns;
  gboolean has_email = FALSE;
  gint64 now;

  g_return_val_if_fail (MARKETO_IS_SANDBOX (self), 0);
  g_return_val_if_fail (path != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (partition_name != NULL && (partition = _sandbox_partition_by_name (partition_name)) == NULL)
    {
      g_set_error (error, MARKETO_ERROR, MARKETO_ERROR_INVALID_DATA,
                   "Partition '%s' not found", partition_name);
      return 0;
    }
  if (!g_file_get_contents (path, &data, &length, error))
    return 0;
  rows = _sandbox_parse_delimited (data, length, ',');
  if (rows == NULL || rows->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: not a CSV file with a header row", path);
      return 0;
    }

  /* Check everything first: a file loads whole or not at all */
  header = rows->pdata[0];
  n_columns = g_strv_length ((GStrv) header);
  columns = g_new0 (int, n_columns);
  for (guint c = 0; c < n_columns; c++)
    {
      columns[c] = _sandbox_field_index (header[c]);
      if (columns[c] < 0)
        {
          g_set_error (error, MARKETO_ERROR, MARKETO_ERROR_FIELD_NOT_FOUND,
                       "%s: field '%s' not found", path, header[c]);
          return 0;
        }
      if (columns[c] == SANDBOX_FIELD_ID)
        {
          g_set_error (error, MARKETO_ERROR, MARKETO_ERROR_INVALID_DATA,
                       "%s: the id column cannot be loaded", path);
          return 0;
        }
      has_email |= columns[c] == SANDBOX_FIELD_EMAIL;
    }

  records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  for (guint r = 1; r < rows->len; r++)
    {
      const char *const *row = rows->pdata[r];
      g_autoptr(GArray) values = _sandbox_values_new ();

      if (g_strv_length ((GStrv) row) != n_columns)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s: row %u has %u fields, the header has %u", path, r + 1,
                       g_strv_length ((GStrv) row), n_columns);
          return 0;
        }
      for (guint c = 0; c < n_columns; c++)
        {
          SandboxValue value = { columns[c], NULL };
          g_autofree char *message = NULL;
          int code = 0;

          if (row[c][0] == '\0')
            continue;
          if (!_marketo_sandbox_coerce_text (columns[c], row[c], &value.value, &code,
                                             &message))
            {
              g_set_error (error, MARKETO_ERROR, code, "%s: row %u: %s", path, r + 1, message);
              return 0;
            }
          g_array_append_val (values, value);
        }
      g_ptr_array_add (records, g_steal_pointer (&values));
    }

  g_mutex_lock (&self->lock);
  ensure_db_locked (self);
  now = sandbox_now_locked (self);
  for (guint i = 0; i < records->len; i++)
    {
      SandboxOutcome outcome;

      _marketo_sandbox_db_upsert (self->db, has_email ? SANDBOX_ACTION_CREATE_OR_UPDATE
                                                      : SANDBOX_ACTION_CREATE_DUPLICATE,
                                  SANDBOX_FIELD_EMAIL, partition ? partition->id : 0, FALSE,
                                  records->pdata[i], now, &outcome);
      g_free (outcome.message);
    }
  schedule_save_locked (self);
  g_mutex_unlock (&self->lock);
  return records->len;
}

gboolean
marketo_sandbox_save (MarketoSandbox  *self,
                      GError         **error)
{
  g_return_val_if_fail (MARKETO_IS_SANDBOX (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return save_state (self, error);
}

char *
marketo_sandbox_seed_email (guint64 seed,
                            guint   index)
{
  return _marketo_sandbox_seed_email (seed, index);
}
