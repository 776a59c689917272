/* test-sandbox.c: MarketoSandbox over real HTTP on 127.0.0.1
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "marketo-error.h"
#include "marketo-sandbox.h"
#include "test-utils.h"

typedef struct {
  MarketoSandbox *sandbox;
  SoupSession    *session;
  char           *endpoint;
  char           *token;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->sandbox = marketo_sandbox_new ();
  g_object_set (f->sandbox, "lead-count", 500, "seed", (guint64) 7, NULL);
  g_assert_true (marketo_sandbox_start (f->sandbox, 0, &error));
  g_assert_no_error (error);
  f->endpoint = marketo_sandbox_dup_endpoint (f->sandbox);
  /* loopback only: no proxy resolver (libproxy may look for GSettings schemas) */
  f->session = soup_session_new_with_options ("timeout", 10, "max-conns", 64,
                                              "max-conns-per-host", 32,
                                              "proxy-resolver", NULL, NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->session);
  marketo_sandbox_stop (f->sandbox);
  g_assert_finalize_object (f->sandbox);
  g_free (f->endpoint);
  g_free (f->token);
}

static GBytes *
send_raw (Fixture    *f,
          const char *method,
          const char *path,
          const char *content_type,
          const char *body,
          gsize       body_length,
          gboolean    with_token,
          guint      *out_status)
{
  g_autofree char *url = g_strconcat (f->endpoint, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GError) error = NULL;
  GBytes *reply;

  g_assert_nonnull (msg);
  if (with_token && f->token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", f->token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    value);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, body_length);
      soup_message_set_request_body_from_bytes (msg, content_type, bytes);
    }
  reply = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  *out_status = soup_message_get_status (msg);
  return reply;
}

static JsonObject *
parse_object (GBytes *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  const char *data = g_bytes_get_data (bytes, &length);

  json_parser_load_from_data (parser, data, length, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static JsonObject *
call (Fixture    *f,
      const char *method,
      const char *path,
      const char *content_type,
      const char *body)
{
  g_autoptr(GBytes) reply = NULL;
  guint status = 0;

  reply = send_raw (f, method, path, content_type, body, body ? strlen (body) : 0, TRUE,
                    &status);
  g_assert_cmpuint (status, ==, 200);
  return parse_object (reply);
}

static JsonObject *
identity (Fixture    *f,
          const char *query,
          guint      *out_status)
{
  g_autofree char *path = g_strconcat ("/identity/oauth/token?", query, NULL);
  g_autoptr(GBytes) reply = send_raw (f, "GET", path, NULL, NULL, 0, FALSE, out_status);

  return parse_object (reply);
}

static char *
good_query (Fixture *f)
{
  return g_strdup_printf ("grant_type=client_credentials&client_id=%s&client_secret=%s",
                          marketo_sandbox_get_client_id (f->sandbox),
                          marketo_sandbox_get_client_secret (f->sandbox));
}

static void
authenticate (Fixture *f)
{
  g_autofree char *query = good_query (f);
  g_autoptr(JsonObject) answer = NULL;
  guint status = 0;

  answer = identity (f, query, &status);
  g_assert_cmpuint (status, ==, 200);
  g_free (f->token);
  f->token = g_strdup (json_object_get_string_member (answer, "access_token"));
}

/* The error code of a failed envelope, or 0 for success. */
static int
envelope_code (JsonObject *env)
{
  JsonArray *errors;

  g_assert_true (json_object_has_member (env, "requestId"));
  if (json_object_get_boolean_member (env, "success"))
    return 0;
  errors = json_object_get_array_member (env, "errors");
  g_assert_cmpuint (json_array_get_length (errors), >=, 1);
  return atoi (json_object_get_string_member (json_array_get_object_element (errors, 0),
                                              "code"));
}


static JsonArray *
result_of (JsonObject *env)
{
  g_assert_cmpint (envelope_code (env), ==, 0);
  g_assert_true (json_object_has_member (env, "result"));
  return json_object_get_array_member (env, "result");
}

static JsonObject *
result_item (JsonObject *env,
             guint       i)
{
  JsonArray *result = result_of (env);

  g_assert_cmpuint (json_array_get_length (result), >, i);
  return json_array_get_object_element (result, i);
}

/* The reason code of a skipped record, or 0 */
static int
reason_code (JsonObject *item)
{
  JsonArray *reasons;

  if (!json_object_has_member (item, "reasons"))
    return 0;
  g_assert_cmpstr (json_object_get_string_member (item, "status"), ==, "skipped");
  reasons = json_object_get_array_member (item, "reasons");
  return atoi (json_object_get_string_member (json_array_get_object_element (reasons, 0),
                                              "code"));
}

static char *
json_text (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

static JsonObject *
sync_leads (Fixture    *f,
            const char *json)
{
  return call (f, "POST", "/rest/v1/leads.json", "application/json", json);
}

static void
wait_ms (guint ms)
{
  g_usleep (ms * 1000);
}

static GDateTime *
central_time (int year, int month, int day, int hour, int minute)
{
  g_autoptr(GTimeZone) cst = g_time_zone_new_offset (-6 * 3600);

  return g_date_time_new (cst, year, month, day, hour, minute, 0);
}

/* ---- Identity ---------------------------------------------------------------------------- */

static void
test_identity (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *query = good_query (f);
  g_autofree char *bad = NULL;
  g_autofree char *unknown = NULL;
  g_autofree char *wrong_grant = NULL;
  g_autofree char *form = NULL;
  g_autofree char *uuid = NULL;
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) second = NULL;
  g_autoptr(JsonObject) refused = NULL;
  g_autoptr(JsonObject) refused2 = NULL;
  g_autoptr(JsonObject) grant = NULL;
  g_autoptr(JsonObject) posted = NULL;
  g_autoptr(GBytes) reply = NULL;
  const char *token;
  guint status = 0;

  first = identity (f, query, &status);
  g_assert_cmpuint (status, ==, 200);
  token = json_object_get_string_member (first, "access_token");
  g_assert_true (g_str_has_suffix (token, ":sb"));
  uuid = g_strndup (token, 36);
  g_assert_true (g_uuid_string_is_valid (uuid));
  g_assert_cmpstr (json_object_get_string_member (first, "token_type"), ==, "bearer");
  g_assert_cmpint (json_object_get_int_member (first, "expires_in"), >=, 3598);
  g_assert_cmpint (json_object_get_int_member (first, "expires_in"), <=, 3600);
  g_assert_cmpstr (json_object_get_string_member (first, "scope"), ==,
                   marketo_sandbox_get_scope (f->sandbox));
  g_assert_false (json_object_has_member (first, "requestId"));

  /* the same token while it lives, with what remains of its life */
  marketo_sandbox_set_now_offset (f->sandbox, 1000 * G_USEC_PER_SEC);
  second = identity (f, query, &status);
  g_assert_cmpstr (json_object_get_string_member (second, "access_token"), ==, token);
  g_assert_cmpint (json_object_get_int_member (second, "expires_in"), <=, 2600);
  g_assert_cmpint (json_object_get_int_member (second, "expires_in"), >=, 2598);

  /* wrong secret, unknown id */
  bad = g_strdup_printf ("grant_type=client_credentials&client_id=%s&client_secret=nope",
                         marketo_sandbox_get_client_id (f->sandbox));
  refused = identity (f, bad, &status);
  g_assert_cmpuint (status, ==, 401);
  g_assert_cmpstr (json_object_get_string_member (refused, "error"), ==, "invalid_client");
  unknown = g_strdup_printf ("grant_type=client_credentials&client_id=someone&client_secret=%s",
                             marketo_sandbox_get_client_secret (f->sandbox));
  refused2 = identity (f, unknown, &status);
  g_assert_cmpuint (status, ==, 401);

  /* grant_type must be client_credentials */
  wrong_grant = g_strdup_printf ("grant_type=password&client_id=%s&client_secret=%s",
                                 marketo_sandbox_get_client_id (f->sandbox),
                                 marketo_sandbox_get_client_secret (f->sandbox));
  grant = identity (f, wrong_grant, &status);
  g_assert_cmpuint (status, ==, 400);

  /* form body on POST */
  form = good_query (f);
  reply = send_raw (f, "POST", "/identity/oauth/token", "application/x-www-form-urlencoded",
                    form, strlen (form), FALSE, &status);
  g_assert_cmpuint (status, ==, 200);
  posted = parse_object (reply);
  g_assert_cmpstr (json_object_get_string_member (posted, "access_token"), ==, token);
}

static void
test_token_expiry (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *query = good_query (f);
  g_autofree char *old = NULL;
  g_autoptr(JsonObject) env = NULL;
  g_autoptr(JsonObject) fresh = NULL;
  guint status;

  g_object_set (f->sandbox, "token-lifetime", 60, NULL);
  authenticate (f);
  old = g_strdup (f->token);
  env = call (f, "GET", "/rest/v1/leads/partitions.json", NULL, NULL);
  g_assert_cmpint (envelope_code (env), ==, 0);
  g_clear_pointer (&env, json_object_unref);

  /* 61 s later: 602 once, then 601 */
  marketo_sandbox_set_now_offset (f->sandbox, 61 * G_USEC_PER_SEC);
  env = call (f, "GET", "/rest/v1/leads/partitions.json", NULL, NULL);
  g_assert_cmpint (envelope_code (env), ==, 602);
  g_clear_pointer (&env, json_object_unref);
  env = call (f, "GET", "/rest/v1/leads/partitions.json", NULL, NULL);
  g_assert_cmpint (envelope_code (env), ==, 601);
  g_clear_pointer (&env, json_object_unref);

  /* a new token after expiry, which works */
  fresh = identity (f, query, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (fresh, "access_token"), !=, old);
  g_assert_cmpint (json_object_get_int_member (fresh, "expires_in"), >=, 59);
  authenticate (f);
  env = call (f, "GET", "/rest/v1/leads/partitions.json", NULL, NULL);
  g_assert_cmpint (envelope_code (env), ==, 0);
  g_clear_pointer (&env, json_object_unref);

  /* the 601/602 calls were not counted */
  g_assert_cmpuint (marketo_sandbox_get_calls_today (f->sandbox), ==, 2);
}

static void
test_token_rules (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(JsonObject) env = NULL;
  g_autofree char *in_query = NULL;

  /* no header at all */
  env = call (f, "GET", "/rest/v1/leads/partitions.json", NULL, NULL);
  g_assert_cmpint (envelope_code (env), ==, 601);
  g_clear_pointer (&env, json_object_unref);

  /* a token that was never issued */
  f->token = g_strdup ("00000000-0000-4000-8000-000000000000:sb");
  env = call (f, "GET", "/rest/v1/leads/partitions.json", NULL, NULL);
  g_assert_cmpint (envelope_code (env), ==, 601);
  g_clear_pointer (&env, json_object_unref);

  /* a good token in the query only: treated as missing */
  authenticate (f);
  in_query = g_strconcat ("/rest/v1/leads/partitions.json?access_token=", f->token, NULL);
  g_clear_pointer (&f->token, g_free);
  env = call (f, "GET", in_query, NULL, NULL);
  g_assert_cmpint (envelope_code (env), ==, 601);
}

/* ---- Envelope and transport rules ------------------------------------------------------- */

static void
test_transport (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(JsonObject) env = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GString) big = g_string_new ("{\"input\":[");
  g_autoptr(GString) long_path =
    g_string_new ("/rest/v1/leads.json?filterType=email&filterValues=");
  g_autofree char *email = marketo_sandbox_seed_email (7, 5);
  g_autofree char *get_path = NULL;
  g_autofree char *form = NULL;
  g_autofree char *via_get = NULL;
  g_autofree char *via_post = NULL;
  guint status = 0;

  authenticate (f);

  /* 413: a JSON body over 1 MB */
  while (big->len <= 1024 * 1024)
    g_string_append (big, "{\"email\":\"someone.with.a.rather.long.address@example.com\"},");
  g_string_append (big, "{}]}");
  reply = send_raw (f, "POST", "/rest/v1/leads.json", "application/json", big->str, big->len,
                    TRUE, &status);
  g_assert_cmpuint (status, ==, 413);
  g_clear_pointer (&reply, g_bytes_unref);

  /* 414: a URI over 8 KB */
  while (long_path->len <= 8 * 1024)
    g_string_append (long_path, "someone%40example.com%2C");
  reply = send_raw (f, "GET", long_path->str, NULL, NULL, 0, TRUE, &status);
  g_assert_cmpuint (status, ==, 414);
  g_clear_pointer (&reply, g_bytes_unref);

  /* 612: a JSON endpoint given another content type */
  env = call (f, "POST", "/rest/v1/leads.json", "text/plain", "{\"input\":[{}]}");
  g_assert_cmpint (envelope_code (env), ==, 612);
  g_clear_pointer (&env, json_object_unref);

  /* 609: JSON that does not parse */
  env = sync_leads (f, "{\"input\":[{\"email\": }");
  g_assert_cmpint (envelope_code (env), ==, 609);
  g_clear_pointer (&env, json_object_unref);

  /* 605: a method the path does not take; GET on leads.json is the lookup, not an error */
  env = call (f, "PUT", "/rest/v1/leads.json", "application/json", "{\"input\":[]}");
  g_assert_cmpint (envelope_code (env), ==, 605);
  g_clear_pointer (&env, json_object_unref);
  env = call (f, "PATCH", "/rest/v1/leads.json", "application/json", "{\"input\":[]}");
  g_assert_cmpint (envelope_code (env), ==, 605);
  g_clear_pointer (&env, json_object_unref);

  /* 610: unknown resources, and double slashes */
  env = call (f, "GET", "/rest/v1/nothing.json", NULL, NULL);
  g_assert_cmpint (envelope_code (env), ==, 610);
  g_clear_pointer (&env, json_object_unref);
  env = call (f, "GET", "/rest//v1/leads/partitions.json", NULL, NULL);
  g_assert_cmpint (envelope_code (env), ==, 610);
  g_clear_pointer (&env, json_object_unref);

  /* _method=GET with a form body answers like the GET */
  get_path = g_strdup_printf ("/rest/v1/leads.json?filterType=email&filterValues=%s"
                              "&fields=id,email,customerNumber", email);
  env = call (f, "GET", get_path, NULL, NULL);
  via_get = json_text (json_object_get_member (env, "result"));
  g_clear_pointer (&env, json_object_unref);
  form = g_strdup_printf ("filterType=email&filterValues=%s&fields=id%%2Cemail%%2CcustomerNumber",
                          email);
  env = call (f, "POST", "/rest/v1/leads.json?_method=GET", "application/x-www-form-urlencoded",
              form);
  via_post = json_text (json_object_get_member (env, "result"));
  g_assert_cmpstr (via_get, ==, via_post);
  g_assert_nonnull (strstr (via_get, "C0000005"));
  g_assert_true (json_object_has_member (env, "requestId"));
  g_assert_cmpuint (strlen (json_object_get_string_member (env, "requestId")), >, 3);
}

/* ---- Limits ------------------------------------------------------------------------------ */

static void
test_rate_window (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *query = good_query (f);
  g_autoptr(JsonObject) env = NULL;
  guint status;

  g_object_set (f->sandbox, "window-calls", 5, "window-seconds", 1.5, NULL);
  authenticate (f);

  for (guint i = 0; i < 5; i++)
    {
      env = call (f, "GET", "/rest/v1/leads/partitions.json", NULL, NULL);
      g_assert_cmpint (envelope_code (env), ==, 0);
      g_clear_pointer (&env, json_object_unref);
      /* identity calls never count */
      env = identity (f, query, &status);
      g_assert_cmpuint (status, ==, 200);
      g_clear_pointer (&env, json_object_unref);
    }
  env = call (f, "GET", "/rest/v1/leads/partitions.json", NULL, NULL);
  g_assert_cmpint (envelope_code (env), ==, 606);
  g_clear_pointer (&env, json_object_unref);
  g_assert_cmpuint (marketo_sandbox_get_calls_today (f->sandbox), ==, 5);

  /* the window slides */
  wait_ms (1600);
  env = call (f, "GET", "/rest/v1/leads/partitions.json", NULL, NULL);
  g_assert_cmpint (envelope_code (env), ==, 0);
}

typedef struct {
  GMainLoop *loop;
  guint      pending;
  guint      ok;
  guint      refused;
} Burst;

static void
burst_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Burst *burst = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                              &error);
  g_autoptr(JsonObject) env = NULL;

  g_assert_no_error (error);
  env = parse_object (body);
  if (envelope_code (env) == 615)
    burst->refused++;
  else if (envelope_code (env) == 0)
    burst->ok++;
  if (--burst->pending == 0)
    g_main_loop_quit (burst->loop);
}

static void
test_concurrency (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *url = g_strconcat (f->endpoint, "/rest/v1/leads/partitions.json", NULL);
  g_autofree char *bearer = NULL;
  g_autoptr(GPtrArray) log = NULL;
  Burst burst = { 0 };
  gint64 started;

  g_object_set (f->sandbox, "max-concurrency", 3, "latency-base-ms", 400.0, NULL);
  authenticate (f);
  bearer = g_strconcat ("Bearer ", f->token, NULL);

  burst.loop = g_main_loop_new (NULL, FALSE);
  started = g_get_monotonic_time ();
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    bearer);
      burst.pending++;
      soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL,
                                        burst_done_cb, &burst);
    }
  g_main_loop_run (burst.loop);
  g_main_loop_unref (burst.loop);

  g_assert_cmpuint (burst.ok, ==, 3);
  g_assert_cmpuint (burst.refused, ==, 2);
  g_assert_cmpuint (marketo_sandbox_get_peak_in_flight (f->sandbox), >=, 4);
  /* the latency model held the good answers back */
  g_assert_cmpint (g_get_monotonic_time () - started, >=, 400 * 1000);

  log = marketo_sandbox_dup_request_log (f->sandbox);
  g_assert_cmpuint (log->len, ==, 6);
  for (guint i = 1; i < log->len; i++)
    {
      MarketoSandboxRequest *r = log->pdata[i];

      if (r->code == 0)
        g_assert_cmpint (r->end_us - r->start_us, >=, 390 * 1000);
      else
        g_assert_cmpint (r->code, ==, 615);
    }

  /* calls in flight end with their answers: a new call gets in at once */
  {
    g_autoptr(JsonObject) env = call (f, "GET", "/rest/v1/leads/partitions.json", NULL, NULL);
    g_assert_cmpint (envelope_code (env), ==, 0);
  }
}

static void
test_daily_quota (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GDateTime) evening = central_time (2026, 1, 15, 23, 58);
  g_autoptr(GDateTime) next_day = central_time (2026, 1, 16, 0, 1);
  g_autoptr(JsonObject) env = NULL;
  JsonObject *usage;

  g_object_set (f->sandbox, "daily-quota", 3, NULL);
  marketo_sandbox_set_now (f->sandbox, evening);
  authenticate (f);

  env = call (f, "GET", "/rest/v1/stats/usage.json", NULL, NULL);
  usage = result_item (env, 0);
  g_assert_cmpstr (json_object_get_string_member (usage, "date"), ==, "2026-01-15");
  g_assert_cmpint (json_object_get_int_member (usage, "total"), ==, 1);
  g_clear_pointer (&env, json_object_unref);
  for (guint i = 0; i < 2; i++)
    {
      env = call (f, "GET", "/rest/v1/leads/partitions.json", NULL, NULL);
      g_assert_cmpint (envelope_code (env), ==, 0);
      g_clear_pointer (&env, json_object_unref);
    }
  env = call (f, "GET", "/rest/v1/leads/partitions.json", NULL, NULL);
  g_assert_cmpint (envelope_code (env), ==, 607);
  g_clear_pointer (&env, json_object_unref);
  g_assert_cmpuint (marketo_sandbox_get_calls_today (f->sandbox), ==, 3);

  /* 00:00 US Central resets the count */
  marketo_sandbox_set_now (f->sandbox, next_day);
  g_assert_cmpuint (marketo_sandbox_get_calls_today (f->sandbox), ==, 0);
  env = call (f, "GET", "/rest/v1/stats/usage.json", NULL, NULL);
  usage = result_item (env, 0);
  g_assert_cmpstr (json_object_get_string_member (usage, "date"), ==, "2026-01-16");
  g_assert_cmpint (json_object_get_int_member (usage, "total"), ==, 1);
}

/* ---- Leads ------------------------------------------------------------------------------- */

static void
test_describe (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(JsonObject) v1 = NULL;
  g_autoptr(JsonObject) v2 = NULL;
  g_autoptr(GHashTable) read_only = g_hash_table_new (g_str_hash, g_str_equal);
  JsonObject *described;
  JsonArray *fields1;
  JsonArray *fields2;
  JsonArray *searchable;
  gboolean has_customer = FALSE;

  authenticate (f);
  v1 = call (f, "GET", "/rest/v1/leads/describe.json", NULL, NULL);
  v2 = call (f, "GET", "/rest/v1/leads/describe2.json", NULL, NULL);
  fields1 = result_of (v1);
  described = result_item (v2, 0);
  g_assert_cmpstr (json_object_get_string_member (described, "name"), ==, "API Lead");
  fields2 = json_object_get_array_member (described, "fields");
  g_assert_cmpuint (json_array_get_length (fields1), ==, json_array_get_length (fields2));

  for (guint i = 0; i < json_array_get_length (fields1); i++)
    {
      JsonObject *a = json_array_get_object_element (fields1, i);
      JsonObject *rest = json_object_get_object_member (a, "rest");
      JsonObject *b = json_array_get_object_element (fields2, i);

      g_assert_cmpstr (json_object_get_string_member (rest, "name"), ==,
                       json_object_get_string_member (b, "name"));
      g_assert_cmpstr (json_object_get_string_member (a, "dataType"), ==,
                       json_object_get_string_member (b, "dataType"));
      g_assert_true (json_object_get_boolean_member (rest, "readOnly")
                     == !json_object_get_boolean_member (b, "updateable"));
      if (json_object_get_boolean_member (rest, "readOnly"))
        g_hash_table_add (read_only, (gpointer) json_object_get_string_member (rest, "name"));
    }
  g_assert_true (g_hash_table_contains (read_only, "id"));
  g_assert_true (g_hash_table_contains (read_only, "updatedAt"));
  g_assert_true (g_hash_table_contains (read_only, "leadPartitionId"));
  g_assert_false (g_hash_table_contains (read_only, "email"));

  searchable = json_object_get_array_member (described, "searchableFields");
  for (guint i = 0; i < json_array_get_length (searchable); i++)
    {
      JsonArray *key = json_array_get_array_element (searchable, i);

      g_assert_cmpuint (json_array_get_length (key), ==, 1);
      if (g_str_equal (json_array_get_string_element (key, 0), "customerNumber"))
        has_customer = TRUE;
      g_assert_cmpstr (json_array_get_string_element (key, 0), !=, "firstName");
    }
  g_assert_true (has_customer);
}

static void
test_lookup (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *e1 = marketo_sandbox_seed_email (7, 1);
  g_autofree char *e2 = marketo_sandbox_seed_email (7, 250);
  g_autofree char *path = NULL;
  g_autoptr(GString) many = g_string_new ("filterType=customerNumber&filterValues=");
  g_autoptr(JsonObject) env = NULL;
  g_autoptr(GPtrArray) default_partition = NULL;
  g_autofree char *next = NULL;
  JsonObject *lead;
  guint total = 0;
  guint pages = 0;

  authenticate (f);

  /* found, missing, case-insensitive, default fields */
  path = g_strdup_printf ("/rest/v1/leads.json?filterType=email&filterValues=%s,nobody@example.com,"
                          "%s", e1, e2);
  for (char *p = strstr (path, e2); p != NULL && *p != '\0'; p++)
    *p = g_ascii_toupper (*p);
  env = call (f, "GET", path, NULL, NULL);
  g_assert_cmpuint (json_array_get_length (result_of (env)), ==, 2);
  lead = result_item (env, 0);
  g_assert_cmpint (json_object_get_int_member (lead, "id"), ==, 1001);
  g_assert_cmpstr (json_object_get_string_member (lead, "email"), ==, e1);
  g_assert_true (json_object_has_member (lead, "updatedAt"));
  g_assert_true (json_object_has_member (lead, "firstName"));
  g_assert_false (json_object_has_member (lead, "company"));
  g_assert_false (json_object_get_boolean_member (env, "moreResult"));
  g_clear_pointer (&env, json_object_unref);

  /* fields honoured; Get Lead by Id */
  env = call (f, "GET", "/rest/v1/lead/1250.json?fields=email,leadPartitionId,company", NULL, NULL);
  lead = result_item (env, 0);
  g_assert_cmpstr (json_object_get_string_member (lead, "email"), ==, e2);
  g_assert_true (json_object_has_member (lead, "leadPartitionId"));
  g_assert_true (json_object_has_member (lead, "company"));
  g_assert_false (json_object_has_member (lead, "firstName"));
  g_clear_pointer (&env, json_object_unref);
  env = call (f, "GET", "/rest/v1/lead/999999.json", NULL, NULL);
  g_assert_cmpuint (json_array_get_length (result_of (env)), ==, 0);
  g_clear_pointer (&env, json_object_unref);

  /* refusals */
  env = call (f, "GET", "/rest/v1/leads.json?filterType=firstName&filterValues=Ana", NULL, NULL);
  g_assert_cmpint (envelope_code (env), ==, 1011);
  g_clear_pointer (&env, json_object_unref);
  env = call (f, "GET", "/rest/v1/leads.json?filterType=shoeSize&filterValues=9", NULL, NULL);
  g_assert_cmpint (envelope_code (env), ==, 1006);
  g_clear_pointer (&env, json_object_unref);
  env = call (f, "GET", "/rest/v1/leads.json?filterType=email&filterValues=a@b.c&fields=id,bogus",
              NULL, NULL);
  g_assert_cmpint (envelope_code (env), ==, 1006);
  g_clear_pointer (&env, json_object_unref);
  for (guint i = 0; i < 301; i++)
    g_string_append_printf (many, "%sC%07u", i ? "%2C" : "", i + 1);
  env = call (f, "POST", "/rest/v1/leads.json?_method=GET", "application/x-www-form-urlencoded",
              many->str);
  g_assert_cmpint (envelope_code (env), ==, 1003);
  g_clear_pointer (&env, json_object_unref);

  /* paging through a partition */
  default_partition = marketo_sandbox_find_leads (f->sandbox, "leadPartitionId", "1");
  g_assert_cmpuint (default_partition->len, >, 120);
  do
    {
      g_autofree char *page_path = NULL;
      JsonArray *result;

      if (next == NULL)
        page_path = g_strdup ("/rest/v1/leads.json?filterType=leadPartitionId&filterValues=1"
                              "&batchSize=120&fields=id");
      else
        page_path = g_strdup_printf ("/rest/v1/leads.json?filterType=leadPartitionId"
                                     "&filterValues=1&batchSize=120&fields=id&nextPageToken=%s",
                                     next);
      g_clear_pointer (&next, g_free);
      env = call (f, "GET", page_path, NULL, NULL);
      result = result_of (env);
      g_assert_cmpuint (json_array_get_length (result), <=, 120);
      total += json_array_get_length (result);
      pages++;
      if (json_object_get_boolean_member (env, "moreResult"))
        next = g_uri_escape_string (json_object_get_string_member (env, "nextPageToken"), NULL,
                                    FALSE);
      else
        g_assert_false (json_object_has_member (env, "nextPageToken"));
      g_clear_pointer (&env, json_object_unref);
    }
  while (next != NULL);
  g_assert_cmpuint (total, ==, default_partition->len);
  g_assert_cmpuint (pages, ==, (default_partition->len + 119) / 120);

  /* a token from another query is refused */
  env = call (f, "GET", "/rest/v1/leads.json?filterType=leadPartitionId&filterValues=1"
              "&batchSize=10&fields=id", NULL, NULL);
  next = g_uri_escape_string (json_object_get_string_member (env, "nextPageToken"), NULL, FALSE);
  g_clear_pointer (&env, json_object_unref);
  g_free (path);
  path = g_strdup_printf ("/rest/v1/leads.json?filterType=leadPartitionId&filterValues=2"
                          "&nextPageToken=%s", next);
  env = call (f, "GET", path, NULL, NULL);
  g_assert_cmpint (envelope_code (env), ==, 1003);
}

static void
test_lookup_too_many (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(JsonObject) env = NULL;

  /* a bigger database: the Default partition then holds more than 1000 leads */
  marketo_sandbox_stop (f->sandbox);
  g_clear_object (&f->sandbox);
  f->sandbox = marketo_sandbox_new ();
  g_object_set (f->sandbox, "lead-count", 2000, NULL);
  g_assert_true (marketo_sandbox_start (f->sandbox, 0, NULL));
  g_free (f->endpoint);
  f->endpoint = marketo_sandbox_dup_endpoint (f->sandbox);
  authenticate (f);

  env = call (f, "GET", "/rest/v1/leads.json?filterType=leadPartitionId&filterValues=1", NULL,
              NULL);
  g_assert_cmpint (envelope_code (env), ==, 1003);
  g_clear_pointer (&env, json_object_unref);
  env = call (f, "GET", "/rest/v1/leads.json?filterType=leadPartitionId&filterValues=3", NULL,
              NULL);
  g_assert_cmpint (envelope_code (env), ==, 0);
}

static void
test_sync_leads (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *existing = marketo_sandbox_seed_email (7, 3);
  g_autofree char *body = NULL;
  g_autoptr(JsonObject) env = NULL;
  g_autoptr(JsonObject) dup_fields = json_object_new ();
  g_autoptr(JsonObject) created = NULL;
  g_autoptr(JsonObject) updated = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *result;
  guint before = marketo_sandbox_count_leads (f->sandbox);
  gint64 new_id;

  authenticate (f);

  /* createOrUpdate (default): updated, created, and every kind of skip, in input order */
  body = g_strdup_printf ("{\"input\":["
                          "{\"email\":\"%s\",\"firstName\":\"Renamed\",\"leadScore\":\"42\"},"
                          "{\"email\":\"new.person@example.com\",\"lastName\":\"Berg\","
                          "\"numberOfEmployees\":12,\"unsubscribed\":true},"
                          "{\"email\":\"cy@example.com\",\"numberOfEmployees\":\"many\"},"
                          "{\"email\":\"dee@example.com\",\"shoeSize\":9},"
                          "{\"firstName\":\"No key\"},"
                          "{\"email\":\"jos\u00e9@example.com\"},"
                          "{\"email\":\"eve@example.com\",\"dateOfBirth\":\"1990-02-30\"}"
                          "]}", existing);
  env = sync_leads (f, body);
  result = result_of (env);
  g_assert_cmpuint (json_array_get_length (result), ==, 7);
  g_assert_cmpstr (json_object_get_string_member (result_item (env, 0), "status"), ==, "updated");
  g_assert_cmpint (json_object_get_int_member (result_item (env, 0), "id"), ==, 1003);
  g_assert_cmpstr (json_object_get_string_member (result_item (env, 1), "status"), ==, "created");
  new_id = json_object_get_int_member (result_item (env, 1), "id");
  g_assert_cmpint (new_id, >, 1500);
  g_assert_cmpint (reason_code (result_item (env, 2)), ==, 1001);
  g_assert_cmpint (reason_code (result_item (env, 3)), ==, 1006);
  g_assert_cmpint (reason_code (result_item (env, 4)), ==, 1003);
  g_assert_cmpint (reason_code (result_item (env, 5)), ==, 1003);
  g_assert_cmpint (reason_code (result_item (env, 6)), ==, 1001);
  for (guint i = 0; i < json_array_get_length (result); i++)
    {
      JsonObject *item = json_array_get_object_element (result, i);

      g_assert_false (json_object_has_member (item, "seq"));
      if (i >= 2)
        g_assert_false (json_object_has_member (item, "id"));
    }
  g_clear_pointer (&env, json_object_unref);
  g_assert_cmpuint (marketo_sandbox_count_leads (f->sandbox), ==, before + 1);

  updated = marketo_sandbox_dup_lead (f->sandbox, 1003);
  g_assert_cmpstr (json_object_get_string_member (updated, "firstName"), ==, "Renamed");
  g_assert_cmpint (json_object_get_int_member (updated, "leadScore"), ==, 42);
  created = marketo_sandbox_dup_lead (f->sandbox, new_id);
  g_assert_cmpint (json_object_get_int_member (created, "numberOfEmployees"), ==, 12);
  g_assert_true (json_object_get_boolean_member (created, "unsubscribed"));
  g_assert_cmpint (json_object_get_int_member (created, "leadPartitionId"), ==, 1);

  /* createOnly: 1005 on a hit, 1003 with an id; createDuplicate always creates */
  env = sync_leads (f, "{\"action\":\"createOnly\",\"input\":["
                       "{\"email\":\"new.person@example.com\"},"
                       "{\"email\":\"second@example.com\"},"
                       "{\"id\":1004,\"email\":\"third@example.com\"}]}");
  g_assert_cmpint (reason_code (result_item (env, 0)), ==, 1005);
  g_assert_cmpstr (json_object_get_string_member (result_item (env, 1), "status"), ==, "created");
  g_assert_cmpint (reason_code (result_item (env, 2)), ==, 1003);
  g_clear_pointer (&env, json_object_unref);
  env = sync_leads (f, "{\"action\":\"createDuplicate\",\"input\":["
                       "{\"email\":\"second@example.com\"}]}");
  g_assert_cmpstr (json_object_get_string_member (result_item (env, 0), "status"), ==, "created");
  g_clear_pointer (&env, json_object_unref);

  /* updateOnly: 1004 on a miss, 1007 on the duplicated key; by id */
  env = sync_leads (f, "{\"action\":\"updateOnly\",\"input\":["
                       "{\"email\":\"ghost@example.com\",\"firstName\":\"X\"},"
                       "{\"email\":\"second@example.com\",\"firstName\":\"X\"}]}");
  g_assert_cmpint (reason_code (result_item (env, 0)), ==, 1004);
  g_assert_cmpint (reason_code (result_item (env, 1)), ==, 1007);
  g_clear_pointer (&env, json_object_unref);
  env = sync_leads (f, "{\"action\":\"updateOnly\",\"lookupField\":\"id\",\"input\":["
                       "{\"id\":1010,\"title\":\"Boss\"},{\"id\":99999999,\"title\":\"Boss\"}]}");
  g_assert_cmpstr (json_object_get_string_member (result_item (env, 0), "status"), ==, "updated");
  g_assert_cmpint (reason_code (result_item (env, 1)), ==, 1004);
  g_clear_pointer (&env, json_object_unref);

  /* a seeded duplicate: 1007 for createOrUpdate too */
  json_object_set_string_member (dup_fields, "email", existing);
  g_assert_cmpint (marketo_sandbox_add_lead (f->sandbox, dup_fields, "EMEA", &error), >, 0);
  g_assert_no_error (error);
  g_free (body);
  body = g_strdup_printf ("{\"input\":[{\"email\":\"%s\",\"title\":\"Y\"}]}", existing);
  env = sync_leads (f, body);
  g_assert_cmpint (reason_code (result_item (env, 0)), ==, 1007);
  g_clear_pointer (&env, json_object_unref);

  /* lookup field rules, and more than 300 records */
  env = sync_leads (f, "{\"lookupField\":\"firstName\",\"input\":[{\"firstName\":\"A\"}]}");
  g_assert_cmpint (envelope_code (env), ==, 1011);
  g_clear_pointer (&env, json_object_unref);
  env = sync_leads (f, "{\"action\":\"upsertPlease\",\"input\":[{\"email\":\"a@b.c\"}]}");
  g_assert_cmpint (envelope_code (env), ==, 1003);
  g_clear_pointer (&env, json_object_unref);
  {
    g_autoptr(GString) big = g_string_new ("{\"input\":[");

    for (guint i = 0; i < 301; i++)
      g_string_append_printf (big, "%s{\"email\":\"p%u@example.com\"}", i ? "," : "", i);
    g_string_append (big, "]}");
    env = sync_leads (f, big->str);
    g_assert_cmpint (envelope_code (env), ==, 1003);
    g_clear_pointer (&env, json_object_unref);
  }
}

static void
test_partitions (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(JsonObject) env = NULL;
  g_autoptr(JsonObject) lead = NULL;
  g_autoptr(GPtrArray) apac = NULL;
  g_autofree char *body = NULL;
  JsonArray *result;
  gint64 id;

  authenticate (f);
  env = call (f, "GET", "/rest/v1/leads/partitions.json", NULL, NULL);
  result = result_of (env);
  g_assert_cmpuint (json_array_get_length (result), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (result_item (env, 0), "name"), ==, "Default");
  g_assert_cmpint (json_object_get_int_member (result_item (env, 0), "id"), ==, 1);
  g_clear_pointer (&env, json_object_unref);

  /* honoured on create */
  env = sync_leads (f, "{\"partitionName\":\"EMEA\",\"input\":[{\"email\":\"eu@example.com\"},"
                       "{\"email\":\"eu2@example.com\"}]}");
  id = json_object_get_int_member (result_item (env, 0), "id");
  g_clear_pointer (&env, json_object_unref);
  lead = marketo_sandbox_dup_lead (f->sandbox, id);
  g_assert_cmpint (json_object_get_int_member (lead, "leadPartitionId"), ==, 2);

  /* an unknown partition refuses to create */
  env = sync_leads (f, "{\"partitionName\":\"Mars\",\"input\":[{\"email\":\"red@example.com\"}]}");
  g_assert_cmpint (reason_code (result_item (env, 0)), ==, 1003);
  g_clear_pointer (&env, json_object_unref);

  /* not on update: the lead stays where it is, unless the partition rule is on (1010) */
  env = sync_leads (f, "{\"partitionName\":\"APAC\",\"input\":[{\"email\":\"eu@example.com\","
                       "\"city\":\"Perth\"}]}");
  g_assert_cmpstr (json_object_get_string_member (result_item (env, 0), "status"), ==, "updated");
  g_clear_pointer (&env, json_object_unref);
  g_clear_pointer (&lead, json_object_unref);
  lead = marketo_sandbox_dup_lead (f->sandbox, id);
  g_assert_cmpint (json_object_get_int_member (lead, "leadPartitionId"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (lead, "city"), ==, "Perth");

  g_object_set (f->sandbox, "partition-rule", TRUE, NULL);
  env = sync_leads (f, "{\"partitionName\":\"APAC\",\"input\":[{\"email\":\"eu@example.com\","
                       "\"city\":\"Osaka\"},{\"email\":\"new.apac@example.com\"}]}");
  g_assert_cmpint (reason_code (result_item (env, 0)), ==, 1010);
  g_assert_cmpstr (json_object_get_string_member (result_item (env, 1), "status"), ==, "created");
  g_clear_pointer (&env, json_object_unref);
  env = sync_leads (f, "{\"partitionName\":\"EMEA\",\"input\":[{\"email\":\"eu@example.com\","
                       "\"city\":\"Cork\"}]}");
  g_assert_cmpstr (json_object_get_string_member (result_item (env, 0), "status"), ==, "updated");
  g_clear_pointer (&env, json_object_unref);

  /* leadPartitionId is searchable */
  apac = marketo_sandbox_find_leads (f->sandbox, "leadPartitionId", "3");
  body = g_strdup ("/rest/v1/leads.json?filterType=leadPartitionId&filterValues=3&fields=id,"
                   "leadPartitionId");
  env = call (f, "GET", body, NULL, NULL);
  g_assert_cmpuint (json_array_get_length (result_of (env)), ==, MIN (apac->len, 300));
  g_assert_cmpint (json_object_get_int_member (result_item (env, 0), "leadPartitionId"), ==, 3);
}

/* ---- Lists ------------------------------------------------------------------------------- */

static void
test_lists (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(JsonObject) env = NULL;
  g_autoptr(GArray) members = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) many = g_string_new ("/rest/v1/lists/1188/leads.json?");
  g_autofree char *next = NULL;
  JsonObject *list;
  gint64 list_id;
  guint seen = 0;

  authenticate (f);

  /* Get Lists with filters, Get List by Id, 1013 */
  env = call (f, "GET", "/rest/v1/lists.json?programName=2026%20Spring%20Campaign", NULL, NULL);
  g_assert_cmpuint (json_array_get_length (result_of (env)), ==, 1);
  list = result_item (env, 0);
  g_assert_cmpint (json_object_get_int_member (list, "id"), ==, 1187);
  g_assert_cmpstr (json_object_get_string_member (list, "workspaceName"), ==, "Default");
  g_clear_pointer (&env, json_object_unref);
  env = call (f, "GET", "/rest/v1/lists.json?workspaceName=EMEA", NULL, NULL);
  g_assert_cmpuint (json_array_get_length (result_of (env)), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (result_item (env, 0), "name"), ==,
                   "EMEA Webinar Attendees");
  g_clear_pointer (&env, json_object_unref);
  env = call (f, "GET", "/rest/v1/lists.json?id=1188&id=1189", NULL, NULL);
  g_assert_cmpuint (json_array_get_length (result_of (env)), ==, 2);
  g_clear_pointer (&env, json_object_unref);
  env = call (f, "GET", "/rest/v1/lists/1189.json", NULL, NULL);
  g_assert_cmpstr (json_object_get_string_member (result_item (env, 0), "name"), ==,
                   "VIP Customers");
  g_clear_pointer (&env, json_object_unref);
  env = call (f, "GET", "/rest/v1/lists/4242.json", NULL, NULL);
  g_assert_cmpint (envelope_code (env), ==, 1013);
  g_clear_pointer (&env, json_object_unref);

  list_id = marketo_sandbox_create_list (f->sandbox, "Test audience", 12, &error);
  g_assert_no_error (error);

  /* add with repeated id parameters */
  env = call (f, "POST", "/rest/v1/lists/1200/leads.json?id=1001&id=1002&id=999999", NULL, NULL);
  g_assert_cmpint (list_id, ==, 1200);
  g_assert_cmpstr (json_object_get_string_member (result_item (env, 0), "status"), ==, "added");
  g_assert_cmpstr (json_object_get_string_member (result_item (env, 1), "status"), ==, "added");
  g_assert_cmpint (reason_code (result_item (env, 2)), ==, 1004);
  g_assert_cmpint (json_object_get_int_member (result_item (env, 2), "id"), ==, 999999);
  g_clear_pointer (&env, json_object_unref);
  /* add with a JSON body; re-adding is fine */
  env = call (f, "POST", "/rest/v1/lists/1200/leads.json", "application/json",
              "{\"input\":[{\"id\":1002},{\"id\":1003}]}");
  g_assert_cmpstr (json_object_get_string_member (result_item (env, 0), "status"), ==, "added");
  g_assert_cmpstr (json_object_get_string_member (result_item (env, 1), "status"), ==, "added");
  g_clear_pointer (&env, json_object_unref);
  members = marketo_sandbox_dup_list_members (f->sandbox, list_id);
  g_assert_cmpuint (members->len, ==, 3);
  g_assert_cmpint (g_array_index (members, gint64, 0), ==, 1001);

  /* member of: GET with ids, and POST ?_method=GET with a JSON body */
  env = call (f, "GET", "/rest/v1/lists/1200/leads/ismember.json?id=1001,1004", NULL, NULL);
  g_assert_cmpstr (json_object_get_string_member (result_item (env, 0), "status"), ==, "memberof");
  g_assert_cmpstr (json_object_get_string_member (result_item (env, 1), "status"), ==,
                   "notmemberof");
  g_clear_pointer (&env, json_object_unref);
  env = call (f, "POST", "/rest/v1/lists/1200/leads/ismember.json?_method=GET", "application/json",
              "{\"input\":[{\"id\":1003},{\"id\":999999}]}");
  g_assert_cmpstr (json_object_get_string_member (result_item (env, 0), "status"), ==, "memberof");
  g_assert_cmpint (reason_code (result_item (env, 1)), ==, 1004);
  g_clear_pointer (&env, json_object_unref);

  /* remove: removed, 1015 not in list, 1004 unknown lead */
  env = call (f, "DELETE", "/rest/v1/lists/1200/leads.json?id=1001&id=1005&id=999999", NULL, NULL);
  g_assert_cmpstr (json_object_get_string_member (result_item (env, 0), "status"), ==, "removed");
  g_assert_cmpint (reason_code (result_item (env, 1)), ==, 1015);
  g_assert_cmpint (reason_code (result_item (env, 2)), ==, 1004);
  g_clear_pointer (&env, json_object_unref);

  /* unknown list, 300 ids at most */
  env = call (f, "POST", "/rest/v1/lists/4242/leads.json?id=1001", NULL, NULL);
  g_assert_cmpint (envelope_code (env), ==, 1013);
  g_clear_pointer (&env, json_object_unref);
  for (guint i = 0; i < 301; i++)
    g_string_append_printf (many, "%sid=%u", i ? "&" : "", 1001 + i);
  env = call (f, "POST", many->str, NULL, NULL);
  g_assert_cmpint (envelope_code (env), ==, 1003);
  g_clear_pointer (&env, json_object_unref);

  /* leads by list, paged (the token, no moreResult) */
  g_clear_pointer (&members, g_array_unref);
  members = marketo_sandbox_dup_list_members (f->sandbox, 1188);
  g_assert_cmpuint (members->len, >, 25);
  do
    {
      g_autofree char *path = next == NULL
        ? g_strdup ("/rest/v1/lists/1188/leads.json?batchSize=25&fields=id,email")
        : g_strdup_printf ("/rest/v1/lists/1188/leads.json?batchSize=25&fields=id,email"
                           "&nextPageToken=%s", next);
      JsonArray *result;

      g_clear_pointer (&next, g_free);
      env = call (f, "GET", path, NULL, NULL);
      result = result_of (env);
      for (guint i = 0; i < json_array_get_length (result); i++)
        {
          JsonObject *lead = json_array_get_object_element (result, i);

          g_assert_cmpint (json_object_get_int_member (lead, "id"), ==,
                           g_array_index (members, gint64, seen));
          seen++;
        }
      if (json_object_has_member (env, "nextPageToken"))
        next = g_uri_escape_string (json_object_get_string_member (env, "nextPageToken"), NULL,
                                    FALSE);
      g_clear_pointer (&env, json_object_unref);
    }
  while (next != NULL);
  g_assert_cmpuint (seen, ==, members->len);
}

static void
test_asset_lists (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(JsonObject) env = NULL;
  JsonObject *item;
  JsonArray *warnings;
  gint64 id;

  authenticate (f);

  env = call (f, "POST", "/rest/asset/v1/staticLists.json", "application/x-www-form-urlencoded",
              "folder=%7B%22id%22%3A12%2C%22type%22%3A%22Folder%22%7D"
              "&name=Audience%20Push%20-%20VIP"
              "&description=Pushed");
  item = result_item (env, 0);
  id = json_object_get_int_member (item, "id");
  g_assert_cmpstr (json_object_get_string_member (item, "name"), ==, "Audience Push - VIP");
  g_assert_true (g_str_has_suffix (json_object_get_string_member (item, "createdAt"), "Z+0000"));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (item, "folder"),
                                               "id"), ==, 12);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (env, "errors")), ==, 0);
  g_clear_pointer (&env, json_object_unref);

  /* the same list on the Lead Database side */
  g_assert_cmpint (marketo_sandbox_find_list (f->sandbox, "Audience Push - VIP"), ==, id);

  /* 709 duplicate name, 710 unknown folder, 711 wrong folder type, 612 JSON body */
  env = call (f, "POST", "/rest/asset/v1/staticLists.json", "application/x-www-form-urlencoded",
              "folder=%7B%22id%22%3A21%2C%22type%22%3A%22Folder%22%7D"
              "&name=Audience%20Push%20-%20VIP");
  g_assert_cmpint (envelope_code (env), ==, 709);
  g_assert_true (json_object_has_member (env, "warnings"));
  g_clear_pointer (&env, json_object_unref);
  env = call (f, "POST", "/rest/asset/v1/staticLists.json", "application/x-www-form-urlencoded",
              "folder=%7B%22id%22%3A77%2C%22type%22%3A%22Folder%22%7D&name=Other");
  g_assert_cmpint (envelope_code (env), ==, 710);
  g_clear_pointer (&env, json_object_unref);
  env = call (f, "POST", "/rest/asset/v1/staticLists.json", "application/x-www-form-urlencoded",
              "folder=%7B%22id%22%3A12%2C%22type%22%3A%22Program%22%7D&name=Other");
  g_assert_cmpint (envelope_code (env), ==, 711);
  g_clear_pointer (&env, json_object_unref);
  env = call (f, "POST", "/rest/asset/v1/staticLists.json", "application/json",
              "{\"name\":\"Other\",\"folder\":{\"id\":12}}");
  g_assert_cmpint (envelope_code (env), ==, 612);
  g_clear_pointer (&env, json_object_unref);

  /* by id, by exact name */
  {
    g_autofree char *path = g_strdup_printf ("/rest/asset/v1/staticList/%" G_GINT64_FORMAT
                                             ".json", id);
    env = call (f, "GET", path, NULL, NULL);
    g_assert_cmpstr (json_object_get_string_member (result_item (env, 0), "name"), ==,
                     "Audience Push - VIP");
    g_clear_pointer (&env, json_object_unref);
  }
  env = call (f, "GET", "/rest/asset/v1/staticList/byName.json?name=Audience%20Push%20-%20VIP",
              NULL, NULL);
  g_assert_cmpint (json_object_get_int_member (result_item (env, 0), "id"), ==, id);
  g_clear_pointer (&env, json_object_unref);

  /* an empty search: success, a warning string, no result */
  env = call (f, "GET", "/rest/asset/v1/staticList/byName.json?name=Audience%20Push", NULL, NULL);
  g_assert_cmpint (envelope_code (env), ==, 0);
  g_assert_false (json_object_has_member (env, "result"));
  warnings = json_object_get_array_member (env, "warnings");
  g_assert_cmpstr (json_array_get_string_element (warnings, 0), ==,
                   "No assets found for the given search criteria.");
  g_clear_pointer (&env, json_object_unref);

  /* browse: by folder, offset and maxReturn (capped at 200) */
  env = call (f, "GET", "/rest/asset/v1/staticLists.json?folder=%7B%22id%22%3A12%2C%22type%22%3A"
              "%22Folder%22%7D", NULL, NULL);
  g_assert_cmpuint (json_array_get_length (result_of (env)), ==, 3);
  g_clear_pointer (&env, json_object_unref);
  env = call (f, "GET", "/rest/asset/v1/staticLists.json?offset=1&maxReturn=2", NULL, NULL);
  g_assert_cmpuint (json_array_get_length (result_of (env)), ==, 2);
  g_assert_cmpint (json_object_get_int_member (result_item (env, 0), "id"), ==, 1188);
  g_clear_pointer (&env, json_object_unref);
  env = call (f, "GET", "/rest/asset/v1/staticLists.json?offset=50&maxReturn=500", NULL, NULL);
  g_assert_false (json_object_has_member (env, "result"));
  g_clear_pointer (&env, json_object_unref);

  /* folder by name, per workspace */
  env = call (f, "GET", "/rest/asset/v1/folder/byName.json?name=Audiences&type=Folder", NULL, NULL);
  g_assert_cmpuint (json_array_get_length (result_of (env)), ==, 2);
  g_clear_pointer (&env, json_object_unref);
  env = call (f, "GET", "/rest/asset/v1/folder/byName.json?name=Audiences&type=Folder"
              "&workSpace=Default", NULL, NULL);
  item = result_item (env, 0);
  g_assert_cmpint (json_object_get_int_member (item, "id"), ==, 12);
  g_assert_cmpstr (json_object_get_string_member (item, "path"), ==,
                   "/Marketing Activities/Default/Audiences");
}

/* The ids of a folders.json page, "10,12,…", or "" for an empty page (which must carry the
 * no-assets warning). */
static char *
folder_ids (JsonObject *env)
{
  g_autoptr(GString) ids = g_string_new (NULL);
  JsonArray *result;

  g_assert_cmpint (envelope_code (env), ==, 0);
  if (!json_object_has_member (env, "result"))
    {
      JsonArray *warnings = json_object_get_array_member (env, "warnings");

      g_assert_cmpstr (json_array_get_string_element (warnings, 0), ==,
                       "No assets found for the given search criteria.");
      return g_strdup ("");
    }
  result = result_of (env);
  for (guint i = 0; i < json_array_get_length (result); i++)
    g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, i ? "," : "",
                            json_object_get_int_member (json_array_get_object_element (result, i),
                                                        "id"));
  return g_string_free (g_steal_pointer (&ids), FALSE);
}

static char *
browse_folders (Fixture    *f,
                const char *query)
{
  g_autofree char *path = g_strconcat ("/rest/asset/v1/folders.json", query, NULL);
  g_autoptr(JsonObject) env = call (f, "GET", path, NULL, NULL);

  return folder_ids (env);
}

static void
test_asset_folders (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(JsonObject) env = NULL;
  g_autoptr(JsonObject) by_name = NULL;
  g_autofree char *ids = NULL;
  JsonObject *item;
  JsonObject *ref;

  authenticate (f);
  /* no root: the workspace roots are level 1; maxDepth defaults to 2 */
  ids = browse_folders (f, "");
  g_assert_cmpstr (ids, ==, "10,12,13,20,21");
  g_clear_pointer (&ids, g_free);
  ids = browse_folders (f, "?maxDepth=3");
  g_assert_cmpstr (ids, ==, "10,12,13,20,21,1001");
  g_clear_pointer (&ids, g_free);
  ids = browse_folders (f, "?maxDepth=1");
  g_assert_cmpstr (ids, ==, "10,20");
  g_clear_pointer (&ids, g_free);
  /* a root (JSON or bare id) comes first, then what lies below it */
  ids = browse_folders (f, "?root=%7B%22id%22%3A12%2C%22type%22%3A%22Folder%22%7D&maxDepth=1");
  g_assert_cmpstr (ids, ==, "12,1001");
  g_clear_pointer (&ids, g_free);
  ids = browse_folders (f, "?root=20");
  g_assert_cmpstr (ids, ==, "20,21");
  g_clear_pointer (&ids, g_free);
  /* paging and the workspace filter */
  ids = browse_folders (f, "?maxDepth=5&offset=2&maxReturn=3");
  g_assert_cmpstr (ids, ==, "13,20,21");
  g_clear_pointer (&ids, g_free);
  ids = browse_folders (f, "?maxDepth=5&workSpace=EMEA");
  g_assert_cmpstr (ids, ==, "20,21");
  g_clear_pointer (&ids, g_free);
  /* empty: past the end, an unknown root, a root of the wrong type */
  ids = browse_folders (f, "?offset=6&maxDepth=5");
  g_assert_cmpstr (ids, ==, "");
  g_clear_pointer (&ids, g_free);
  ids = browse_folders (f, "?root=77");
  g_assert_cmpstr (ids, ==, "");
  g_clear_pointer (&ids, g_free);
  ids = browse_folders (f, "?root=%7B%22id%22%3A12%2C%22type%22%3A%22Program%22%7D");
  g_assert_cmpstr (ids, ==, "");
  g_clear_pointer (&ids, g_free);
  /* maxReturn is at most 200 */
  env = call (f, "GET", "/rest/asset/v1/folders.json?maxReturn=201", NULL, NULL);
  g_assert_cmpint (envelope_code (env), ==, 1003);
  g_clear_pointer (&env, json_object_unref);

  /* the items: the same as folder/byName gives */
  env = call (f, "GET", "/rest/asset/v1/folders.json?root=13", NULL, NULL);
  item = result_item (env, 0);
  g_assert_cmpstr (json_object_get_string_member (item, "name"), ==, "Archive");
  g_assert_true (json_object_get_boolean_member (item, "isArchive"));
  g_assert_cmpstr (json_object_get_string_member (item, "path"), ==,
                   "/Marketing Activities/Default/Archive");
  g_assert_cmpstr (json_object_get_string_member (item, "workspace"), ==, "Default");
  g_assert_cmpstr (json_object_get_string_member (item, "folderType"), ==, "Marketing Folder");
  g_assert_nonnull (json_object_get_string_member (item, "url"));
  g_assert_nonnull (json_object_get_string_member (item, "createdAt"));
  g_assert_nonnull (json_object_get_string_member (item, "updatedAt"));
  ref = json_object_get_object_member (item, "folderId");
  g_assert_cmpint (json_object_get_int_member (ref, "id"), ==, 13);
  g_assert_cmpstr (json_object_get_string_member (ref, "type"), ==, "Folder");
  by_name = call (f, "GET", "/rest/asset/v1/folder/byName.json?name=Archive", NULL, NULL);
  g_assert_true (json_object_equal (item, result_item (by_name, 0)));
  g_clear_pointer (&env, json_object_unref);

  /* a bare id means a Folder: program 1001 needs its type */
  ids = browse_folders (f, "?root=1001");
  g_assert_cmpstr (ids, ==, "");
  env = call (f, "GET", "/rest/asset/v1/folders.json?root=%7B%22id%22%3A1001%2C%22type%22%3A"
              "%22Program%22%7D", NULL, NULL);
  item = result_item (env, 0);
  g_assert_cmpstr (json_object_get_string_member (item, "folderType"), ==, "Program");
  ref = json_object_get_object_member (item, "parent");
  g_assert_cmpint (json_object_get_int_member (ref, "id"), ==, 12);
  g_assert_cmpstr (json_object_get_string_member (ref, "type"), ==, "Folder");
}

/* ---- Bulk import ------------------------------------------------------------------------- */

static JsonObject *
bulk_import (Fixture    *f,
             const char *query,
             const char *file,
             const char *format_part)
{
  g_autoptr(SoupMultipart) multipart = soup_multipart_new ("multipart/form-data");
  g_autoptr(GBytes) bytes = g_bytes_new (file, strlen (file));
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strconcat (f->endpoint, "/bulk/v1/leads.json", query, NULL);
  g_autofree char *bearer = g_strconcat ("Bearer ", f->token, NULL);

  if (format_part != NULL)
    soup_multipart_append_form_string (multipart, "format", format_part);
  soup_multipart_append_form_file (multipart, "file", "leads.csv", "text/csv", bytes);
  msg = soup_message_new_from_multipart (url, multipart);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", bearer);
  reply = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  return parse_object (reply);
}

static JsonObject *
batch_status (Fixture *f,
              gint64   batch_id)
{
  g_autofree char *path = g_strdup_printf ("/bulk/v1/leads/batch/%" G_GINT64_FORMAT ".json",
                                           batch_id);
  g_autoptr(JsonObject) env = call (f, "GET", path, NULL, NULL);

  if (envelope_code (env) != 0)
    return NULL;
  return json_object_ref (result_item (env, 0));
}

static void
test_bulk_import (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *existing = marketo_sandbox_seed_email (7, 9);
  g_autofree char *file = NULL;
  g_autoptr(JsonObject) env = NULL;
  g_autoptr(JsonObject) status = NULL;
  g_autoptr(GBytes) failures = NULL;
  g_autoptr(GArray) members = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autofree char *failures_path = NULL;
  g_autofree char *failures_text = NULL;
  gint64 batch;
  gint64 second;
  guint http = 0;

  g_object_set (f->sandbox, "bulk-step-ms", 0, NULL);
  authenticate (f);

  file = g_strdup_printf ("email,firstName,numberOfEmployees,customerNumber\n"
                          "%s,Nine,10,C0000009\n"
                          "bulk.one@example.com,One,5,B-1\n"
                          "bulk.two@example.com,\"Two, Jr\",lots,B-2\n"
                          ",Nobody,1,B-3\n"
                          "bulk.three@example.com,Three,7,B-4\n", existing);
  env = bulk_import (f, "?format=csv&listId=1189&partitionName=APAC", file, NULL);
  status = json_object_ref (result_item (env, 0));
  g_assert_cmpstr (json_object_get_string_member (status, "status"), ==, "Queued");
  batch = json_object_get_int_member (status, "batchId");
  g_assert_cmpstr (json_object_get_string_member (status, "importId"), !=, NULL);
  g_clear_pointer (&env, json_object_unref);
  g_clear_pointer (&status, json_object_unref);

  /* the same list is busy: 1019; format as a form field works too */
  env = bulk_import (f, "?listId=1189", file, "csv");
  g_assert_cmpint (envelope_code (env), ==, 1019);
  g_clear_pointer (&env, json_object_unref);
  env = bulk_import (f, "?format=xlsx", file, NULL);
  g_assert_cmpint (envelope_code (env), ==, 1003);
  g_clear_pointer (&env, json_object_unref);

  status = batch_status (f, batch);
  g_assert_cmpstr (json_object_get_string_member (status, "status"), ==, "Queued");
  g_clear_pointer (&status, json_object_unref);
  g_assert_cmpuint (marketo_sandbox_step_bulk_jobs (f->sandbox), ==, 1);
  status = batch_status (f, batch);
  g_assert_cmpstr (json_object_get_string_member (status, "status"), ==, "Importing");
  g_clear_pointer (&status, json_object_unref);
  g_assert_cmpuint (marketo_sandbox_step_bulk_jobs (f->sandbox), ==, 1);
  status = batch_status (f, batch);
  g_assert_cmpstr (json_object_get_string_member (status, "status"), ==, "Complete");
  g_assert_cmpint (json_object_get_int_member (status, "numOfLeadsProcessed"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (status, "numOfRowsFailed"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (status, "numOfRowsWithWarning"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (status, "message"), ==,
                   "Import completed with errors, 3 records imported (3 members), 2 failed");
  g_clear_pointer (&status, json_object_unref);

  /* the data landed: upsert by email, new leads in APAC, members of the list */
  found = marketo_sandbox_find_leads (f->sandbox, "email", "bulk.three@example.com");
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpint (json_object_get_int_member (found->pdata[0], "leadPartitionId"), ==, 3);
  g_clear_pointer (&found, g_ptr_array_unref);
  found = marketo_sandbox_find_leads (f->sandbox, "email", existing);
  g_assert_cmpstr (json_object_get_string_member (found->pdata[0], "firstName"), ==, "Nine");
  members = marketo_sandbox_dup_list_members (f->sandbox, 1189);
  {
    gboolean has_1009 = FALSE;

    for (guint i = 0; i < members->len; i++)
      has_1009 |= g_array_index (members, gint64, i) == 1009;
    g_assert_true (has_1009);
  }

  /* the failures file: the rows plus "Import Failure Reason" */
  failures_path = g_strdup_printf ("/bulk/v1/leads/batch/%" G_GINT64_FORMAT "/failures.json",
                                   batch);
  failures = send_raw (f, "GET", failures_path, NULL, NULL, 0, TRUE, &http);
  g_assert_cmpuint (http, ==, 200);
  failures_text = g_strndup (g_bytes_get_data (failures, NULL), g_bytes_get_size (failures));
  g_assert_true (g_str_has_prefix (failures_text, "email,firstName,numberOfEmployees,"
                                   "customerNumber,Import Failure Reason\n"));
  g_assert_nonnull (strstr (failures_text, "bulk.two@example.com,\"Two, Jr\",lots,B-2,"));
  g_assert_nonnull (strstr (failures_text, ",Nobody,1,B-3,Value for lookup field 'email' "
                            "not found\n"));

  /* a header with an unknown field fails the job; tsv */
  env = bulk_import (f, "?format=tsv", "email\tshoeSize\nx@example.com\t9\n", NULL);
  second = json_object_get_int_member (result_item (env, 0), "batchId");
  g_clear_pointer (&env, json_object_unref);
  marketo_sandbox_step_bulk_jobs (f->sandbox);
  marketo_sandbox_step_bulk_jobs (f->sandbox);
  status = batch_status (f, second);
  g_assert_cmpstr (json_object_get_string_member (status, "status"), ==, "Failed");
  g_assert_nonnull (strstr (json_object_get_string_member (status, "message"), "shoeSize"));
  g_clear_pointer (&status, json_object_unref);

  /* 10 jobs queued or running: 1016 */
  for (guint i = 0; i < 10; i++)
    {
      env = bulk_import (f, "?format=csv", "email\nq@example.com\n", NULL);
      g_assert_cmpint (envelope_code (env), ==, i < 10 ? 0 : 1016);
      g_clear_pointer (&env, json_object_unref);
    }
  env = bulk_import (f, "?format=csv", "email\nq@example.com\n", NULL);
  g_assert_cmpint (envelope_code (env), ==, 1016);
  g_clear_pointer (&env, json_object_unref);
  /* at most two import at once */
  marketo_sandbox_step_bulk_jobs (f->sandbox);
  {
    guint importing = 0;

    for (gint64 b = second + 1; b <= second + 10; b++)
      {
        g_autoptr(JsonObject) s = batch_status (f, b);

        importing += g_str_equal (json_object_get_string_member (s, "status"), "Importing");
      }
    g_assert_cmpuint (importing, ==, 2);
  }

  /* batch ids expire after 7 days */
  marketo_sandbox_set_now_offset (f->sandbox, (gint64) 8 * 24 * 3600 * G_USEC_PER_SEC);
  g_object_set (f->sandbox, "token-lifetime", 3600 * 24 * 30, NULL);
  authenticate (f);
  g_assert_null (batch_status (f, batch));
}

/* ---- Determinism and persistence --------------------------------------------------------- */

static void
test_determinism (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(MarketoSandbox) same = marketo_sandbox_new ();
  g_autoptr(MarketoSandbox) other = marketo_sandbox_new ();
  g_autoptr(GPtrArray) dups = NULL;
  guint differences = 0;

  g_object_set (same, "lead-count", 500, "seed", (guint64) 7, NULL);
  g_object_set (other, "lead-count", 500, "seed", (guint64) 8, NULL);
  g_assert_cmpuint (marketo_sandbox_count_leads (same), ==, 500);

  for (gint64 id = 1001; id <= 1500; id += 7)
    {
      g_autoptr(JsonObject) a = marketo_sandbox_dup_lead (f->sandbox, id);
      g_autoptr(JsonObject) b = marketo_sandbox_dup_lead (same, id);
      g_autoptr(JsonObject) c = marketo_sandbox_dup_lead (other, id);
      g_autoptr(JsonNode) na = json_node_init_object (json_node_alloc (), a);
      g_autoptr(JsonNode) nb = json_node_init_object (json_node_alloc (), b);
      g_autoptr(JsonNode) nc = json_node_init_object (json_node_alloc (), c);
      g_autofree char *ta = json_text (na);
      g_autofree char *tb = json_text (nb);
      g_autofree char *tc = json_text (nc);
      g_autofree char *email = marketo_sandbox_seed_email (7, id - 1000);

      g_assert_cmpstr (ta, ==, tb);
      differences += g_strcmp0 (ta, tc) != 0;
      g_assert_cmpstr (json_object_get_string_member (a, "email"), ==, email);
    }
  g_assert_cmpuint (differences, >, 60);

  /* every 1000th lead shares its e-mail with the one before */
  {
    g_autoptr(MarketoSandbox) big = marketo_sandbox_new ();
    g_autofree char *email = marketo_sandbox_seed_email (7, 1000);
    g_autofree char *before = marketo_sandbox_seed_email (7, 999);

    g_object_set (big, "lead-count", 2000, "seed", (guint64) 7, NULL);
    g_assert_cmpstr (email, ==, before);
    dups = marketo_sandbox_find_leads (big, "email", email);
    g_assert_cmpuint (dups->len, ==, 2);
  }
}

static void
test_state_file (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *dir = push_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "sandbox", "state.json", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(MarketoSandbox) first = marketo_sandbox_new ();
  g_autoptr(MarketoSandbox) second = NULL;
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(JsonObject) lead = NULL;
  g_autoptr(GArray) members = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;
  gint64 list_id;

  g_object_set (first, "lead-count", 300, "state-file", path, NULL);
  g_assert_true (marketo_sandbox_start (first, 0, &error));
  g_assert_no_error (error);
  json_object_set_string_member (fields, "email", "kept@example.com");
  json_object_set_string_member (fields, "loyaltyTier", "Gold");
  id = marketo_sandbox_add_lead (first, fields, "APAC", &error);
  g_assert_no_error (error);
  list_id = marketo_sandbox_create_list (first, "Kept list", 21, &error);
  g_assert_no_error (error);
  g_assert_true (marketo_sandbox_add_list_members (first, list_id, &id, 1, &error));
  marketo_sandbox_stop (first);

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_null (strstr (contents, marketo_sandbox_get_client_secret (first)));
  g_assert_nonnull (strstr (contents, "kept@example.com"));

  /* a new sandbox on the same file, with another seed: it loads instead of seeding */
  second = marketo_sandbox_new ();
  g_object_set (second, "lead-count", 50, "seed", (guint64) 99, "state-file", path, NULL);
  g_assert_true (marketo_sandbox_start (second, 0, &error));
  g_assert_cmpuint (marketo_sandbox_count_leads (second), ==, 301);
  lead = marketo_sandbox_dup_lead (second, id);
  g_assert_nonnull (lead);
  g_assert_cmpstr (json_object_get_string_member (lead, "loyaltyTier"), ==, "Gold");
  g_assert_cmpint (json_object_get_int_member (lead, "leadPartitionId"), ==, 3);
  g_assert_cmpint (marketo_sandbox_find_list (second, "Kept list"), ==, list_id);
  members = marketo_sandbox_dup_list_members (second, list_id);
  g_assert_cmpuint (members->len, ==, 1);
  {
    g_autofree char *email = marketo_sandbox_seed_email (0, 17);
    g_autoptr(GPtrArray) found = marketo_sandbox_find_leads (second, "email", email);

    g_assert_cmpuint (found->len, ==, 1);
  }
  marketo_sandbox_stop (second);
  push_test_rm_rf (dir);
}

static void
test_seeding_api (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *dir = push_test_make_tmpdir ();
  g_autofree char *csv = g_build_filename (dir, "leads.csv", NULL);
  g_autofree char *bad = g_build_filename (dir, "bad.csv", NULL);
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(JsonObject) lead = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) env = NULL;
  guint before = marketo_sandbox_count_leads (f->sandbox);
  gint64 id;

  g_assert_true (g_file_set_contents (csv, "email,firstName,customerNumber,lifetimeValue\n"
                                      "csv.one@example.com,Uno,K-1,12.5\n"
                                      "csv.two@example.com,\"Dos, Jr\",K-2,\n", -1, NULL));
  g_assert_cmpuint (marketo_sandbox_load_leads_csv (f->sandbox, csv, "EMEA", &error), ==, 2);
  g_assert_no_error (error);
  g_assert_cmpuint (marketo_sandbox_count_leads (f->sandbox), ==, before + 2);
  found = marketo_sandbox_find_leads (f->sandbox, "customerNumber", "K-2");
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (found->pdata[0], "firstName"), ==, "Dos, Jr");
  g_assert_cmpint (json_object_get_int_member (found->pdata[0], "leadPartitionId"), ==, 2);
  g_clear_pointer (&found, g_ptr_array_unref);
  found = marketo_sandbox_find_leads (f->sandbox, "firstName", "Uno");
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpfloat (json_object_get_double_member (found->pdata[0], "lifetimeValue"), ==, 12.5);

  /* a bad row: nothing loads */
  g_assert_true (g_file_set_contents (bad, "email,leadScore\nok@example.com,1\nno@example.com,"
                                      "high\n", -1, NULL));
  g_assert_cmpuint (marketo_sandbox_load_leads_csv (f->sandbox, bad, NULL, &error), ==, 0);
  g_assert_error (error, MARKETO_ERROR, MARKETO_ERROR_INVALID_VALUE);
  g_clear_error (&error);
  g_assert_cmpuint (marketo_sandbox_count_leads (f->sandbox), ==, before + 2);

  /* add_lead: stamps can be seeded; unknown fields refused */
  json_object_set_string_member (fields, "email", "stamped@example.com");
  json_object_set_string_member (fields, "updatedAt", "2024-05-06T07:08:09Z");
  id = marketo_sandbox_add_lead (f->sandbox, fields, NULL, &error);
  g_assert_no_error (error);
  lead = marketo_sandbox_dup_lead (f->sandbox, id);
  g_assert_cmpstr (json_object_get_string_member (lead, "updatedAt"), ==, "2024-05-06T07:08:09Z");
  json_object_set_string_member (fields, "favouriteColour", "green");
  g_assert_cmpint (marketo_sandbox_add_lead (f->sandbox, fields, NULL, &error), ==, 0);
  g_assert_error (error, MARKETO_ERROR, MARKETO_ERROR_FIELD_NOT_FOUND);
  g_clear_error (&error);

  /* what was seeded is served */
  authenticate (f);
  env = call (f, "GET", "/rest/v1/leads.json?filterType=customerNumber&filterValues=K-1,K-2", NULL,
              NULL);
  g_assert_cmpuint (json_array_get_length (result_of (env)), ==, 2);

  push_test_rm_rf (dir);
}

static void
test_restart (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *dir = push_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "state.json", NULL);
  g_autoptr(MarketoSandbox) sandbox = marketo_sandbox_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) env = NULL;
  g_autofree char *contents = NULL;
  guint16 port;

  /* the same object stops and starts again, keeping its data */
  g_object_set (sandbox, "lead-count", 100, "state-file", path, NULL);
  g_assert_true (marketo_sandbox_start (sandbox, 0, &error));
  port = marketo_sandbox_get_port (sandbox);
  g_assert_cmpuint (port, >, 0);
  marketo_sandbox_stop (sandbox);
  marketo_sandbox_stop (sandbox);
  g_assert_cmpuint (marketo_sandbox_get_port (sandbox), ==, 0);
  g_assert_true (marketo_sandbox_start (sandbox, port, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (marketo_sandbox_get_port (sandbox), ==, port);

  /* a busy port is an error, not a crash */
  {
    g_autoptr(MarketoSandbox) other = marketo_sandbox_new ();

    g_object_set (other, "lead-count", 10, NULL);
    g_assert_false (marketo_sandbox_start (other, port, &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
  }

  /* a change over HTTP reaches the state file by itself, soon after */
  marketo_sandbox_stop (f->sandbox);
  g_clear_object (&f->sandbox);
  f->sandbox = g_object_ref (sandbox);
  g_free (f->endpoint);
  f->endpoint = marketo_sandbox_dup_endpoint (sandbox);
  authenticate (f);
  env = sync_leads (f, "{\"input\":[{\"email\":\"debounced@example.com\"}]}");
  g_assert_cmpint (envelope_code (env), ==, 0);
  for (guint i = 0; i < 40; i++)
    {
      g_clear_pointer (&contents, g_free);
      if (g_file_get_contents (path, &contents, NULL, NULL)
          && strstr (contents, "debounced@example.com") != NULL)
        break;
      wait_ms (100);
    }
  g_assert_nonnull (strstr (contents, "debounced@example.com"));
  marketo_sandbox_stop (sandbox);

  /* the day's call count is kept too (identity calls are not counted) */
  {
    g_autoptr(MarketoSandbox) reloaded = marketo_sandbox_new ();

    g_object_set (reloaded, "state-file", path, NULL);
    g_assert_cmpuint (marketo_sandbox_count_leads (reloaded), ==, 101);
    g_assert_cmpuint (marketo_sandbox_get_calls_today (reloaded), ==,
                      marketo_sandbox_get_calls_today (sandbox));
    g_assert_cmpuint (marketo_sandbox_get_calls_today (reloaded), ==, 1);
  }
  push_test_rm_rf (dir);
}

/* ---- Fault injection and the request log ------------------------------------------------- */

static void
test_faults (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(JsonObject) env = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *url = NULL;
  g_autofree char *bearer = NULL;
  g_autoptr(GPtrArray) log = NULL;
  guint status = 0;
  gint64 started;

  authenticate (f);

  g_assert_false (marketo_sandbox_add_fault_spec (f->sandbox, "606:x", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (marketo_sandbox_add_fault_spec (f->sandbox, "606,bogus", &error));
  g_clear_error (&error);

  /* codes in an envelope, for N calls, on a path prefix */
  g_assert_true (marketo_sandbox_add_fault_spec (f->sandbox, "604:2@/rest/v1/leads.json,608",
                                                 &error));
  g_assert_no_error (error);
  env = call (f, "GET", "/rest/v1/leads/partitions.json", NULL, NULL);
  g_assert_cmpint (envelope_code (env), ==, 608);
  g_clear_pointer (&env, json_object_unref);
  env = call (f, "GET", "/rest/v1/leads/partitions.json", NULL, NULL);
  g_assert_cmpint (envelope_code (env), ==, 0);
  g_clear_pointer (&env, json_object_unref);
  for (guint i = 0; i < 3; i++)
    {
      env = call (f, "GET", "/rest/v1/leads.json?filterType=id&filterValues=1001", NULL, NULL);
      g_assert_cmpint (envelope_code (env), ==, i < 2 ? 604 : 0);
      g_clear_pointer (&env, json_object_unref);
    }
  g_assert_cmpuint (marketo_sandbox_get_calls_today (f->sandbox), ==, 2);

  /* an HTTP status with a non-JSON body */
  marketo_sandbox_add_fault (f->sandbox, MARKETO_SANDBOX_FAULT_HTTP, 502, 1, NULL);
  reply = send_raw (f, "GET", "/rest/v1/leads/partitions.json", NULL, NULL, 0, TRUE, &status);
  g_assert_cmpuint (status, ==, 502);
  g_assert_cmpint (((const char *) g_bytes_get_data (reply, NULL))[0], ==, '<');
  g_clear_pointer (&reply, g_bytes_unref);

  /* a reset connection */
  g_assert_true (marketo_sandbox_add_fault_spec (f->sandbox, "reset", NULL));
  url = g_strconcat (f->endpoint, "/rest/v1/leads/partitions.json", NULL);
  bearer = g_strconcat ("Bearer ", f->token, NULL);
  msg = soup_message_new ("GET", url);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", bearer);
  reply = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_nonnull (error);
  g_assert_null (reply);
  g_clear_error (&error);
  g_clear_object (&msg);

  /* a stall longer than the client waits, then normal service */
  g_assert_true (marketo_sandbox_add_fault_spec (f->sandbox, "stall=1500:1", NULL));
  msg = soup_message_new ("GET", url);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", bearer);
  g_object_set (f->session, "timeout", 1, NULL);
  started = g_get_monotonic_time ();
  reply = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpint (g_get_monotonic_time () - started, >=, 900 * 1000);
  g_clear_error (&error);
  g_object_set (f->session, "timeout", 10, NULL);
  env = call (f, "GET", "/rest/v1/leads/partitions.json", NULL, NULL);
  g_assert_cmpint (envelope_code (env), ==, 0);
  g_clear_pointer (&env, json_object_unref);

  /* faults can hit the identity endpoint when asked */
  marketo_sandbox_add_fault (f->sandbox, MARKETO_SANDBOX_FAULT_HTTP, 503, 1, "/identity");
  {
    g_autofree char *query = good_query (f);
    g_autofree char *path = g_strconcat ("/identity/oauth/token?", query, NULL);

    g_clear_pointer (&reply, g_bytes_unref);
    reply = send_raw (f, "GET", path, NULL, NULL, 0, FALSE, &status);
    g_assert_cmpuint (status, ==, 503);
  }

  log = marketo_sandbox_dup_request_log (f->sandbox);
  {
    guint faulted = 0;

    for (guint i = 0; i < log->len; i++)
      faulted += ((MarketoSandboxRequest *) log->pdata[i])->faulted;
    /* 608, 604 ×2, http502, reset, http503 */
    g_assert_cmpuint (faulted, ==, 6);
  }
  marketo_sandbox_clear_faults (f->sandbox);
}

static void
test_request_log (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *query = good_query (f);
  g_autofree char *with_token = NULL;
  g_autoptr(JsonObject) env = NULL;
  g_autoptr(GPtrArray) log = NULL;
  MarketoSandboxRequest *r;
  guint status;

  env = identity (f, query, &status);
  g_clear_pointer (&env, json_object_unref);
  authenticate (f);
  env = sync_leads (f, "{\"input\":[{\"email\":\"a@example.com\"},{\"email\":\"b@example.com\"}]}");
  g_clear_pointer (&env, json_object_unref);
  with_token = g_strconcat ("/rest/v1/lists/1188.json?access_token=", f->token, "&x=1", NULL);
  g_clear_pointer (&f->token, g_free);
  env = call (f, "GET", with_token, NULL, NULL);
  g_clear_pointer (&env, json_object_unref);

  log = marketo_sandbox_dup_request_log (f->sandbox);
  g_assert_cmpuint (log->len, ==, 4);

  r = log->pdata[0];
  g_assert_cmpstr (r->path, ==, "/identity/oauth/token");
  g_assert_null (strstr (r->query, "client_secret"));
  g_assert_null (strstr (r->query, marketo_sandbox_get_client_secret (f->sandbox)));
  g_assert_nonnull (strstr (r->query, "grant_type=client_credentials"));
  g_assert_cmpuint (r->http_status, ==, 200);
  g_assert_false (r->counted);

  r = log->pdata[2];
  g_assert_cmpstr (r->method, ==, "POST");
  g_assert_cmpstr (r->path, ==, "/rest/v1/leads.json");
  g_assert_true (r->has_bearer);
  g_assert_false (r->token_in_query);
  g_assert_cmpstr (r->content_type, ==, "application/json");
  g_assert_cmpuint (r->body_size, >, 40);
  g_assert_cmpuint (r->n_records, ==, 2);
  g_assert_cmpint (r->code, ==, 0);
  g_assert_true (r->counted);
  g_assert_cmpint (r->end_us, >=, r->start_us);
  g_assert_nonnull (r->request_id);

  r = log->pdata[3];
  g_assert_false (r->has_bearer);
  g_assert_true (r->token_in_query);
  g_assert_cmpstr (r->query, ==, "x=1");
  g_assert_cmpint (r->code, ==, 601);
  g_assert_false (r->counted);

  marketo_sandbox_clear_request_log (f->sandbox);
  g_clear_pointer (&log, g_ptr_array_unref);
  log = marketo_sandbox_dup_request_log (f->sandbox);
  g_assert_cmpuint (log->len, ==, 0);
}

static void
test_latency_per_record (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GString) body = g_string_new ("{\"input\":[");
  g_autoptr(JsonObject) env = NULL;
  g_autoptr(GPtrArray) log = NULL;
  MarketoSandboxRequest *small;
  MarketoSandboxRequest *large;

  g_object_set (f->sandbox, "latency-base-ms", 20.0, "latency-per-record-ms", 2.0, NULL);
  authenticate (f);
  env = sync_leads (f, "{\"input\":[{\"email\":\"solo@example.com\"}]}");
  g_clear_pointer (&env, json_object_unref);
  for (guint i = 0; i < 100; i++)
    g_string_append_printf (body, "%s{\"email\":\"many%u@example.com\"}", i ? "," : "", i);
  g_string_append (body, "]}");
  env = sync_leads (f, body->str);

  log = marketo_sandbox_dup_request_log (f->sandbox);
  small = log->pdata[1];
  large = log->pdata[2];
  g_assert_cmpint (small->end_us - small->start_us, >=, 20 * 1000);
  g_assert_cmpint (small->end_us - small->start_us, <, 200 * 1000);
  g_assert_cmpint (large->end_us - large->start_us, >=, 220 * 1000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/marketo/sandbox/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("identity", test_identity);
  ADD ("token-expiry", test_token_expiry);
  ADD ("token-rules", test_token_rules);
  ADD ("transport", test_transport);
  ADD ("rate-window", test_rate_window);
  ADD ("concurrency", test_concurrency);
  ADD ("daily-quota", test_daily_quota);
  ADD ("latency", test_latency_per_record);
  ADD ("describe", test_describe);
  ADD ("lookup", test_lookup);
  ADD ("lookup-too-many", test_lookup_too_many);
  ADD ("sync-leads", test_sync_leads);
  ADD ("partitions", test_partitions);
  ADD ("lists", test_lists);
  ADD ("asset-lists", test_asset_lists);
  ADD ("asset-folders", test_asset_folders);
  ADD ("bulk-import", test_bulk_import);
  ADD ("determinism", test_determinism);
  ADD ("state-file", test_state_file);
  ADD ("seeding-api", test_seeding_api);
  ADD ("restart", test_restart);
  ADD ("faults", test_faults);
  ADD ("request-log", test_request_log);

  return g_test_run ();
}
