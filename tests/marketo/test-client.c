/* test-client.c: MarketoClient against the sandbox over real HTTP on 127.0.0.1
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "marketo-client.h"
#include "marketo-memory-usage-store.h"
#include "marketo-sandbox.h"
#include "test-utils.h"

/* A self-signed certificate for 127.0.0.1 that no trust store knows (made for this test). */
static const char test_certificate_pem[] =
  "-----BEGIN CERTIFICATE-----\n"
  "MIIBkDCCATagAwIBAgIUQ59CB28IBOnvAL66PRQVy6sYKPEwCgYIKoZIzj0EAwIw\n"
  "FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTEyMjA1MzczN1oYDzIxMjYxMDI5\n"
  "MDUzNzM3WjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO\n"
  "PQMBBwNCAAR341HOCE3G4Vx4YgXo1N0oXYjOv0PId1kllW76EcJBAL6VZoIyb3h2\n"
  "3/FRo6/nSLmMwo+xeKZnL+OizQ/Q4nbuo2QwYjAdBgNVHQ4EFgQU+OPdxq9h+78O\n"
  "ZFLh3Y5X69/WxegwHwYDVR0jBBgwFoAU+OPdxq9h+78OZFLh3Y5X69/WxegwDwYD\n"
  "VR0TAQH/BAUwAwEB/zAPBgNVHREECDAGhwR/AAABMAoGCCqGSM49BAMCA0gAMEUC\n"
  "IHHmprFYJb5iixU7RjlDmTAn4qnj/8QqtUoXL7mrcSnzAiEAwf+pGVjFw541/buR\n"
  "nqGO6h1yUyKUGAOjF6Y7QeawnRE=\n"
  "-----END CERTIFICATE-----\n"
  "-----BEGIN PRIVATE KEY-----\n"
  "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgA0Rg1TsjF7ruViVD\n"
  "VbUFXmb6sjWzcAe/LIoTDh22SuihRANCAAR341HOCE3G4Vx4YgXo1N0oXYjOv0PI\n"
  "d1kllW76EcJBAL6VZoIyb3h23/FRo6/nSLmMwo+xeKZnL+OizQ/Q4nbu\n"
  "-----END PRIVATE KEY-----\n";

typedef struct {
  MarketoSandbox *sandbox;
  MarketoClient  *client;
  MarketoPacer   *pacer;
  char           *endpoint;
} Fixture;

static void
got_result_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  g_assert_null (*slot);
  *slot = g_object_ref (result);
}

/* The result slot of AWAIT: tests run their awaited calls one at a time, on the main thread. */
static GAsyncResult *_r;

static GAsyncResult *
await_slot (GAsyncResult **slot)
{
  GAsyncResult *result;

  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  result = *slot;
  *slot = NULL;
  return result;
}

/* Runs the async call written with `got_result_cb, &_r` and returns its result. */
#define AWAIT(async_call) ((async_call), await_slot (&_r))

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->sandbox = marketo_sandbox_new ();
  g_object_set (f->sandbox, "lead-count", 400, "seed", (guint64) 11, "bulk-step-ms", 100, NULL);
  g_assert_true (marketo_sandbox_start (f->sandbox, 0, &error));
  g_assert_no_error (error);
  f->endpoint = marketo_sandbox_dup_endpoint (f->sandbox);

  f->client = marketo_client_new (f->endpoint, marketo_sandbox_get_client_id (f->sandbox),
                                  marketo_sandbox_get_client_secret (f->sandbox), &error);
  g_assert_no_error (error);
  /* Each test gets a pacer of its own (the process-wide one is keyed by endpoint). */
  f->pacer = marketo_pacer_new ();
  marketo_pacer_set_limits (f->pacer, 100, 20, 10);
  marketo_client_set_pacer (f->client, f->pacer);
  marketo_client_set_retry_policy (f->client, 10, 80, 6);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->client);
  g_assert_finalize_object (f->pacer);
  marketo_sandbox_stop (f->sandbox);
  g_assert_finalize_object (f->sandbox);
  g_free (f->endpoint);
}

static GPtrArray *
entries_for (Fixture    *f,
             const char *path)
{
  g_autoptr(GPtrArray) log = marketo_sandbox_dup_request_log (f->sandbox);
  GPtrArray *matching = g_ptr_array_new_with_free_func ((GDestroyNotify) marketo_sandbox_request_free);

  for (guint i = 0; i < log->len; i++)
    {
      MarketoSandboxRequest *entry = g_ptr_array_index (log, i);

      if (path == NULL || g_str_equal (entry->path, path))
        g_ptr_array_add (matching, marketo_sandbox_request_copy (entry));
    }
  return matching;
}

static GPtrArray *
describe (Fixture  *f,
          GError  **error)
{
  g_autoptr(GAsyncResult) r =
    AWAIT (marketo_client_describe_leads_async (f->client, NULL, got_result_cb, &_r));

  return marketo_client_describe_leads_finish (f->client, r, error);
}

static GPtrArray *
partitions (MarketoClient  *client,
            GError        **error)
{
  g_autoptr(GAsyncResult) r =
    AWAIT (marketo_client_get_partitions_async (client, NULL, got_result_cb, &_r));

  return marketo_client_get_partitions_finish (client, r, error);
}

/* ---- Endpoint checks ------------------------------------------------------------------- */

static void
test_endpoint_rules (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MarketoClient) client = NULL;

  client = marketo_client_new ("https://123-ABC-456.mktorest.com/rest/", "id", "secret", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (marketo_client_get_endpoint (client), ==, "https://123-ABC-456.mktorest.com");
  g_clear_object (&client);

  client = marketo_client_new ("http://127.0.0.1:8080/identity", "id", "secret", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (marketo_client_get_endpoint (client), ==, "http://127.0.0.1:8080");
  g_clear_object (&client);

  client = marketo_client_new ("http://123-ABC-456.mktorest.com", "id", "secret", &error);
  g_assert_error (error, MARKETO_ERROR, MARKETO_ERROR_INVALID_ENDPOINT);
  g_assert_null (client);
  g_clear_error (&error);

  client = marketo_client_new ("not a url", "id", "secret", &error);
  g_assert_error (error, MARKETO_ERROR, MARKETO_ERROR_INVALID_ENDPOINT);
  g_clear_error (&error);

  client = marketo_client_new ("ftp://127.0.0.1", "id", "secret", &error);
  g_assert_error (error, MARKETO_ERROR, MARKETO_ERROR_INVALID_ENDPOINT);
  g_clear_error (&error);

  client = marketo_client_new ("https://123-ABC-456.mktorest.com", "id", "", &error);
  g_assert_error (error, MARKETO_ERROR, MARKETO_ERROR_INVALID_CLIENT);
}

/* ---- Authentication -------------------------------------------------------------------- */

static void
test_authenticate (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MarketoTokenInfo) info = NULL;
  g_autoptr(MarketoTokenInfo) again = NULL;
  g_autoptr(GPtrArray) identity = NULL;
  g_autoptr(GAsyncResult) r1 = NULL;
  g_autoptr(GAsyncResult) r2 = NULL;
  MarketoClientStats stats;
  MarketoSandboxRequest *entry;

  r1 = AWAIT (marketo_client_authenticate_async (f->client, NULL, got_result_cb, &_r));
  info = marketo_client_authenticate_finish (f->client, r1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->scope, ==, marketo_sandbox_get_scope (f->sandbox));
  g_assert_cmpstr (info->token_type, ==, "bearer");
  g_assert_cmpint (info->expires_in, >, 3500);
  g_assert_cmpint (info->expires_in, <=, 3600);

  /* The cached token serves the second call. */
  r2 = AWAIT (marketo_client_authenticate_async (f->client, NULL, got_result_cb, &_r));
  again = marketo_client_authenticate_finish (f->client, r2, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again->scope, ==, info->scope);
  marketo_client_get_stats (f->client, &stats);
  g_assert_cmpuint (stats.identity_requests, ==, 1);

  /* The credentials went in a form body, not in the URL. */
  identity = entries_for (f, "/identity/oauth/token");
  g_assert_cmpuint (identity->len, ==, 1);
  entry = g_ptr_array_index (identity, 0);
  g_assert_cmpstr (entry->method, ==, "POST");
  g_assert_true (entry->query == NULL || strstr (entry->query, "client_id") == NULL);
  g_assert_cmpstr (entry->content_type, ==, "application/x-www-form-urlencoded");
  g_assert_cmpuint (entry->http_status, ==, 200);
}

static void
test_authenticate_refused (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MarketoClient) client = NULL;
  g_autoptr(MarketoTokenInfo) info = NULL;
  g_autoptr(GAsyncResult) r = NULL;

  client = marketo_client_new (f->endpoint, marketo_sandbox_get_client_id (f->sandbox),
                               "not-the-secret", &error);
  g_assert_no_error (error);
  r = AWAIT (marketo_client_authenticate_async (client, NULL, got_result_cb, &_r));
  info = marketo_client_authenticate_finish (client, r, &error);
  g_assert_error (error, MARKETO_ERROR, MARKETO_ERROR_INVALID_CLIENT);
  g_assert_null (info);
  g_assert_cmpuint (marketo_error_get_http_status (error), ==, 401);
  g_assert_null (strstr (error->message, "not-the-secret"));
}

static guint16
closed_port (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  guint16 port;

  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  return port;
}

static void
test_authenticate_unreachable (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MarketoClient) client = NULL;
  g_autoptr(MarketoTokenInfo) info = NULL;
  g_autoptr(GAsyncResult) r = NULL;
  g_autofree char *endpoint = g_strdup_printf ("http://127.0.0.1:%u", closed_port ());

  client = marketo_client_new (endpoint, "id", "secret", &error);
  g_assert_no_error (error);
  r = AWAIT (marketo_client_authenticate_async (client, NULL, got_result_cb, &_r));
  info = marketo_client_authenticate_finish (client, r, &error);
  g_assert_error (error, MARKETO_ERROR, MARKETO_ERROR_UNREACHABLE);
  g_assert_null (info);
}

/* A server that is not Marketo: answers identity like Marketo, everything else with HTML
 * (or what the test asks), and records the headers it got. */
typedef struct {
  SoupServer *server;
  char       *endpoint;
  guint       html_status;      /* status of the HTML answers */
  gboolean    identity_html;    /* answer identity with HTML too */
  GPtrArray  *user_agents;
  GPtrArray  *encodings;
  GPtrArray  *authorizations;
  GArray     *ports;
} FakeServer;

static void
fake_handler (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  FakeServer *fake = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  static const char html[] = "<html><body><h1>Service Unavailable</h1></body></html>";
  GSocketAddress *address = soup_server_message_get_remote_address (msg);
  guint16 port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));

  g_ptr_array_add (fake->user_agents, g_strdup (soup_message_headers_get_one (headers, "User-Agent")));
  g_ptr_array_add (fake->encodings, g_strdup (soup_message_headers_get_one (headers, "Accept-Encoding")));
  g_ptr_array_add (fake->authorizations, g_strdup (authorization));
  g_array_append_val (fake->ports, port);

  if (g_str_equal (path, "/identity/oauth/token") && !fake->identity_html)
    {
      static const char token[] = "{\"access_token\":\"0f0f0f0f-1111-2222-3333-444444444444:ts\","
                                  "\"token_type\":\"bearer\",\"expires_in\":3599,"
                                  "\"scope\":\"api@example.com\"}";

      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, token,
                                        strlen (token));
      return;
    }
  soup_server_message_set_status (msg, fake->html_status, NULL);
  soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC, html, strlen (html));
}

static FakeServer *
fake_server_new (guint                html_status,
                 GTlsCertificate     *certificate)
{
  FakeServer *fake = g_new0 (FakeServer, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  fake->html_status = html_status;
  fake->user_agents = g_ptr_array_new_with_free_func (g_free);
  fake->encodings = g_ptr_array_new_with_free_func (g_free);
  fake->authorizations = g_ptr_array_new_with_free_func (g_free);
  fake->ports = g_array_new (FALSE, FALSE, sizeof (guint16));
  fake->server = soup_server_new ("tls-certificate", certificate, NULL);
  soup_server_add_handler (fake->server, NULL, fake_handler, fake, NULL);
  soup_server_listen_local (fake->server, 0,
                            SOUP_SERVER_LISTEN_IPV4_ONLY
                            | (certificate != NULL ? SOUP_SERVER_LISTEN_HTTPS : 0),
                            &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (fake->server);
  fake->endpoint = g_strdup_printf ("%s://127.0.0.1:%d", certificate != NULL ? "https" : "http",
                                    g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return fake;
}

static void
fake_server_free (FakeServer *fake)
{
  soup_server_disconnect (fake->server);
  g_object_unref (fake->server);
  g_free (fake->endpoint);
  g_ptr_array_unref (fake->user_agents);
  g_ptr_array_unref (fake->encodings);
  g_ptr_array_unref (fake->authorizations);
  g_array_unref (fake->ports);
  g_free (fake);
}

static void
test_not_marketo (void)
{
  FakeServer *fake = fake_server_new (200, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(MarketoClient) client = NULL;
  g_autoptr(MarketoTokenInfo) info = NULL;
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GAsyncResult) r1 = NULL;
  g_autoptr(GAsyncResult) r2 = NULL;
  g_autofree char *user_agent = g_strdup_printf ("AudiencePush/%s", PACKAGE_VERSION);
  g_autoptr(MarketoPacer) pacer = marketo_pacer_new ();

  client = marketo_client_new (fake->endpoint, "id", "very-secret-value", &error);
  g_assert_no_error (error);
  marketo_client_set_pacer (client, pacer);
  r1 = AWAIT (marketo_client_authenticate_async (client, NULL, got_result_cb, &_r));
  info = marketo_client_authenticate_finish (client, r1, &error);
  g_assert_no_error (error);

  r2 = AWAIT (marketo_client_describe_leads_async (client, NULL, got_result_cb, &_r));
  fields = marketo_client_describe_leads_finish (client, r2, &error);
  g_assert_error (error, MARKETO_ERROR, MARKETO_ERROR_NOT_MARKETO);
  g_assert_null (fields);

  /* HTTP hygiene, as the server saw it. */
  g_assert_cmpuint (fake->user_agents->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_assert_cmpstr (g_ptr_array_index (fake->user_agents, i), ==, user_agent);
      g_assert_nonnull (strstr (g_ptr_array_index (fake->encodings, i), "gzip"));
    }
  g_assert_null (g_ptr_array_index (fake->authorizations, 0));
  g_assert_cmpstr (g_ptr_array_index (fake->authorizations, 1), ==,
                   "Bearer 0f0f0f0f-1111-2222-3333-444444444444:ts");
  /* Keep-alive: the second request reused the first connection. */
  g_assert_cmpuint (g_array_index (fake->ports, guint16, 0), ==,
                    g_array_index (fake->ports, guint16, 1));

  fake_server_free (fake);
}

static void
test_html_5xx (void)
{
  FakeServer *fake = fake_server_new (503, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(MarketoClient) client = NULL;
  g_autoptr(MarketoTokenInfo) info = NULL;
  g_autoptr(GAsyncResult) r = NULL;

  fake->identity_html = TRUE;
  client = marketo_client_new (fake->endpoint, "id", "secret", &error);
  g_assert_no_error (error);
  r = AWAIT (marketo_client_authenticate_async (client, NULL, got_result_cb, &_r));
  info = marketo_client_authenticate_finish (client, r, &error);
  g_assert_error (error, MARKETO_ERROR, MARKETO_ERROR_HTTP);
  g_assert_cmpuint (marketo_error_get_http_status (error), ==, 503);
  g_clear_error (&error);

  /* HTML with a 200 is not Marketo at all. */
  fake->html_status = 200;
  g_clear_object (&r);
  r = AWAIT (marketo_client_authenticate_async (client, NULL, got_result_cb, &_r));
  info = marketo_client_authenticate_finish (client, r, &error);
  g_assert_error (error, MARKETO_ERROR, MARKETO_ERROR_NOT_MARKETO);

  fake_server_free (fake);
}

static void
test_tls_verified (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(MarketoClient) client = NULL;
  g_autoptr(MarketoTokenInfo) info = NULL;
  g_autoptr(GAsyncResult) r = NULL;
  FakeServer *fake;

  certificate = g_tls_certificate_new_from_pem (test_certificate_pem, -1, &error);
  g_assert_no_error (error);
  fake = fake_server_new (200, certificate);

  client = marketo_client_new (fake->endpoint, "id", "secret", &error);
  g_assert_no_error (error);
  r = AWAIT (marketo_client_authenticate_async (client, NULL, got_result_cb, &_r));
  info = marketo_client_authenticate_finish (client, r, &error);
  g_assert_error (error, MARKETO_ERROR, MARKETO_ERROR_TLS);
  g_assert_null (info);
  /* It never got as far as sending a request. */
  g_assert_cmpuint (fake->user_agents->len, ==, 0);

  fake_server_free (fake);
}

/* ---- Describe, partitions -------------------------------------------------------------- */

static void
test_describe (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) fields = describe (f, &error);
  g_autoptr(GPtrArray) entries = NULL;
  MarketoField *email = NULL;
  MarketoField *id = NULL;
  MarketoSandboxRequest *entry;

  g_assert_no_error (error);
  for (guint i = 0; i < fields->len; i++)
    {
      MarketoField *field = g_ptr_array_index (fields, i);

      if (g_strcmp0 (field->name, "email") == 0)
        email = field;
      else if (g_strcmp0 (field->name, "id") == 0)
        id = field;
    }
  g_assert_nonnull (email);
  g_assert_cmpstr (email->display_name, ==, "Email Address");
  g_assert_cmpstr (email->data_type, ==, "email");
  g_assert_cmpint (email->length, ==, 255);
  g_assert_false (email->read_only);
  g_assert_cmpint (email->id, ==, 51);
  g_assert_nonnull (id);
  g_assert_true (id->read_only);

  /* The token went in the header only. */
  entries = entries_for (f, "/rest/v1/leads/describe.json");
  g_assert_cmpuint (entries->len, ==, 1);
  entry = g_ptr_array_index (entries, 0);
  g_assert_true (entry->has_bearer);
  g_assert_false (entry->token_in_query);
  g_assert_cmpstr (entry->method, ==, "GET");
}

static void
test_describe2 (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MarketoLeadSchema) schema = NULL;
  g_autoptr(GAsyncResult) r = NULL;
  MarketoField *field;

  r = AWAIT (marketo_client_describe_leads2_async (f->client, NULL, got_result_cb, &_r));
  schema = marketo_client_describe_leads2_finish (f->client, r, &error);
  g_assert_no_error (error);
  g_assert_nonnull (schema->name);
  g_assert_cmpuint (schema->fields->len, >, 10);

  field = marketo_lead_schema_lookup_field (schema, "customerNumber");
  g_assert_nonnull (field);
  g_assert_cmpstr (field->display_name, ==, "Customer Number");
  g_assert_cmpstr (field->data_type, ==, "string");
  g_assert_cmpint (field->length, ==, 255);
  g_assert_false (field->read_only);
  field = marketo_lead_schema_lookup_field (schema, "createdAt");
  g_assert_nonnull (field);
  g_assert_true (field->read_only);

  g_assert_true (marketo_lead_schema_is_searchable (schema, "email"));
  g_assert_true (marketo_lead_schema_is_searchable (schema, "customerNumber"));
  g_assert_false (marketo_lead_schema_is_searchable (schema, "firstName"));
}

static void
test_partitions (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) result = partitions (f->client, &error);
  MarketoPartition *first;

  g_assert_no_error (error);
  g_assert_cmpuint (result->len, ==, 3);
  first = g_ptr_array_index (result, 0);
  g_assert_cmpint (first->id, ==, 1);
  g_assert_cmpstr (first->name, ==, "Default");
  g_assert_cmpstr (((MarketoPartition *) g_ptr_array_index (result, 1))->name, ==, "EMEA");
}

/* ---- Lists ----------------------------------------------------------------------------- */

static MarketoListPage *
get_lists (Fixture            *f,
           const gint64       *ids,
           gsize               n_ids,
           const char * const *names,
           const char         *token,
           guint               batch_size,
           GError            **error)
{
  g_autoptr(GAsyncResult) r =
    AWAIT (marketo_client_get_lists_async (f->client, ids, n_ids, names, NULL, NULL, token,
                                           batch_size, NULL, got_result_cb, &_r));

  return marketo_client_get_lists_finish (f->client, r, error);
}

static void
test_lists (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MarketoListPage) all = NULL;
  g_autoptr(MarketoListPage) named = NULL;
  g_autoptr(MarketoListPage) by_id = NULL;
  g_autoptr(MarketoListPage) page1 = NULL;
  g_autoptr(MarketoListPage) page2 = NULL;
  g_autoptr(MarketoList) spring = NULL;
  g_autoptr(MarketoList) missing = NULL;
  g_autoptr(GAsyncResult) r1 = NULL;
  g_autoptr(GAsyncResult) r2 = NULL;
  const char *vip[] = { "VIP Customers", NULL };
  const gint64 ids[] = { 1187, 1190 };
  MarketoList *list;

  all = get_lists (f, NULL, 0, NULL, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->lists->len, ==, 4);
  g_assert_false (all->more_result);

  named = get_lists (f, NULL, 0, vip, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (named->lists->len, ==, 1);
  list = g_ptr_array_index (named->lists, 0);
  g_assert_cmpint (list->id, ==, 1189);
  g_assert_cmpstr (list->description, ==, "Platinum loyalty tier");

  by_id = get_lists (f, ids, G_N_ELEMENTS (ids), NULL, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (by_id->lists->len, ==, 2);

  /* Paging */
  page1 = get_lists (f, NULL, 0, NULL, NULL, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page1->lists->len, ==, 2);
  g_assert_true (page1->more_result);
  g_assert_nonnull (page1->next_page_token);
  page2 = get_lists (f, NULL, 0, NULL, page1->next_page_token, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page2->lists->len, ==, 2);
  g_assert_cmpint (((MarketoList *) g_ptr_array_index (page2->lists, 0))->id, !=,
                   ((MarketoList *) g_ptr_array_index (page1->lists, 0))->id);

  r1 = AWAIT (marketo_client_get_list_async (f->client, 1187, NULL, got_result_cb, &_r));
  spring = marketo_client_get_list_finish (f->client, r1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (spring->name, ==, "Spring Promo");
  g_assert_nonnull (spring->created_at);

  r2 = AWAIT (marketo_client_get_list_async (f->client, 4242, NULL, got_result_cb, &_r));
  missing = marketo_client_get_list_finish (f->client, r2, &error);
  g_assert_error (error, MARKETO_ERROR, MARKETO_ERROR_OBJECT_NOT_FOUND);
  g_assert_null (missing);
  g_assert_nonnull (marketo_error_get_request_id (error));
  g_assert_nonnull (strstr (error->message, marketo_error_get_request_id (error)));
}

static MarketoList *
create_static_list (Fixture     *f,
                    gint64       folder,
                    const char  *name,
                    GError     **error)
{
  g_autoptr(GAsyncResult) r =
    AWAIT (marketo_client_create_static_list_async (f->client, folder, "Folder", name,
                                                    "Made by test-client", NULL,
                                                    got_result_cb, &_r));

  return marketo_client_create_static_list_finish (f->client, r, error);
}

static void
test_static_lists (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MarketoList) created = NULL;
  g_autoptr(MarketoList) again = NULL;
  g_autoptr(MarketoList) nowhere = NULL;
  g_autoptr(MarketoList) by_id = NULL;
  g_autoptr(MarketoList) by_name = NULL;
  g_autoptr(MarketoList) unknown = NULL;
  g_autoptr(MarketoList) second = NULL;
  g_autoptr(MarketoListPage) page = NULL;
  g_autoptr(GAsyncResult) r1 = NULL;
  g_autoptr(GAsyncResult) r2 = NULL;
  g_autoptr(GAsyncResult) r3 = NULL;
  g_autoptr(GAsyncResult) r4 = NULL;
  g_autoptr(GPtrArray) creates = NULL;
  MarketoSandboxRequest *entry;

  created = create_static_list (f, 12, "Audience Push - VIP & Friends", &error);
  g_assert_no_error (error);
  g_assert_cmpint (created->id, >, 0);
  g_assert_cmpstr (created->name, ==, "Audience Push - VIP & Friends");
  g_assert_cmpint (created->folder_id, ==, 12);
  g_assert_nonnull (created->created_at);

  creates = entries_for (f, "/rest/asset/v1/staticLists.json");
  entry = g_ptr_array_index (creates, 0);
  g_assert_cmpstr (entry->content_type, ==, "application/x-www-form-urlencoded");

  again = create_static_list (f, 12, "Audience Push - VIP & Friends", &error);
  g_assert_error (error, MARKETO_ERROR, MARKETO_ERROR_BUSINESS_RULE);
  g_assert_null (again);
  g_clear_error (&error);

  nowhere = create_static_list (f, 99999, "Audience Push - Nowhere", &error);
  g_assert_error (error, MARKETO_ERROR, MARKETO_ERROR_FOLDER_NOT_FOUND);
  g_clear_error (&error);

  r1 = AWAIT (marketo_client_get_static_list_async (f->client, created->id, NULL,
                                                    got_result_cb, &_r));
  by_id = marketo_client_get_static_list_finish (f->client, r1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (by_id->name, ==, created->name);

  r2 = AWAIT (marketo_client_get_static_list_by_name_async (f->client, created->name, NULL,
                                                            got_result_cb, &_r));
  by_name = marketo_client_get_static_list_by_name_finish (f->client, r2, &error);
  g_assert_no_error (error);
  g_assert_cmpint (by_name->id, ==, created->id);

  r3 = AWAIT (marketo_client_get_static_list_by_name_async (f->client, "No such list", NULL,
                                                            got_result_cb, &_r));
  unknown = marketo_client_get_static_list_by_name_finish (f->client, r3, &error);
  g_assert_error (error, MARKETO_ERROR, MARKETO_ERROR_NO_DATA);
  g_assert_null (unknown);
  g_clear_error (&error);

  second = create_static_list (f, 12, "Audience Push - Second", &error);
  g_assert_no_error (error);
  r4 = AWAIT (marketo_client_browse_static_lists_async (f->client, 12, "Folder", 0, 2, NULL,
                                                        got_result_cb, &_r));
  page = marketo_client_browse_static_lists_finish (f->client, r4, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->lists->len, ==, 2);
  g_assert_true (page->more_result);
  g_assert_cmpuint (page->next_offset, ==, 2);
}

static MarketoFolderPage *
browse_folders (Fixture     *f,
                gint64       root_id,
                const char  *root_type,
                guint        max_depth,
                guint        offset,
                guint        max_return,
                GError     **error)
{
  g_autoptr(GAsyncResult) r =
    AWAIT (marketo_client_browse_folders_async (f->client, root_id, root_type, max_depth, offset,
                                                max_return, NULL, got_result_cb, &_r));

  return marketo_client_browse_folders_finish (f->client, r, error);
}

static GPtrArray *
folders_by_name (Fixture     *f,
                 const char  *name,
                 const char  *type,
                 const char  *workspace,
                 GError     **error)
{
  g_autoptr(GAsyncResult) r =
    AWAIT (marketo_client_get_folder_by_name_async (f->client, name, type, workspace, NULL,
                                                    got_result_cb, &_r));

  return marketo_client_get_folder_by_name_finish (f->client, r, error);
}

static void
test_folders (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MarketoFolderPage) first = NULL;
  g_autoptr(MarketoFolderPage) rest = NULL;
  g_autoptr(MarketoFolderPage) under = NULL;
  g_autoptr(MarketoFolderPage) past = NULL;
  g_autoptr(MarketoFolderPage) copy = NULL;
  g_autoptr(GPtrArray) named = NULL;
  g_autoptr(GPtrArray) emea = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GPtrArray) browses = NULL;
  g_autoptr(GPtrArray) matches = NULL;
  MarketoSandboxRequest *entry;
  MarketoFolder *folder;

  /* one page of four, then the rest */
  first = browse_folders (f, 0, NULL, 5, 0, 4, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (first->folders->len, ==, 4);
  g_assert_true (first->more_result);
  g_assert_cmpuint (first->next_offset, ==, 4);
  folder = first->folders->pdata[2];
  g_assert_cmpint (folder->id, ==, 13);
  g_assert_cmpstr (folder->name, ==, "Archive");
  g_assert_cmpstr (folder->type, ==, "Folder");
  g_assert_cmpstr (folder->path, ==, "/Marketing Activities/Default/Archive");
  g_assert_cmpstr (folder->workspace, ==, "Default");
  g_assert_true (folder->is_archive);
  g_assert_cmpint (folder->parent_id, ==, 10);
  g_assert_cmpstr (folder->parent_type, ==, "Folder");
  g_assert_nonnull (folder->url);
  folder = first->folders->pdata[0];
  g_assert_cmpint (folder->parent_id, ==, 0);
  g_assert_null (folder->parent_type);
  g_assert_false (folder->is_archive);

  rest = browse_folders (f, 0, NULL, 5, first->next_offset, 4, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rest->folders->len, ==, 2);
  g_assert_false (rest->more_result);
  folder = rest->folders->pdata[1];
  g_assert_cmpint (folder->id, ==, 1001);
  g_assert_cmpstr (folder->type, ==, "Program");
  g_assert_cmpint (folder->parent_id, ==, 12);

  /* the page is copied deeply */
  copy = marketo_folder_page_copy (rest);
  g_assert_cmpuint (copy->folders->len, ==, 2);
  g_assert_true (copy->folders->pdata[1] != rest->folders->pdata[1]);
  g_assert_cmpstr (((MarketoFolder *) copy->folders->pdata[1])->path, ==,
                   "/Marketing Activities/Default/Audiences/2026 Spring Campaign");

  /* a root is sent as {"id":…,"type":…}, maxReturn is capped at 200 */
  under = browse_folders (f, 12, "Folder", 1, 0, 500, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (under->folders->len, ==, 2);
  g_assert_false (under->more_result);
  browses = entries_for (f, "/rest/asset/v1/folders.json");
  entry = g_ptr_array_index (browses, browses->len - 1);
  g_assert_nonnull (strstr (entry->query, "maxReturn=200"));
  g_assert_nonnull (strstr (entry->query, "maxDepth=1"));
  g_assert_cmpint (entry->code, ==, 0);

  /* an empty page is not an error */
  past = browse_folders (f, 0, NULL, 5, 50, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (past->folders->len, ==, 0);
  g_assert_false (past->more_result);

  /* by name: the same name in two workspaces, one per workspace, none */
  named = folders_by_name (f, "Audiences", "Folder", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (named->len, ==, 2);
  emea = folders_by_name (f, "Audiences", NULL, "EMEA", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (emea->len, ==, 1);
  g_assert_cmpint (((MarketoFolder *) emea->pdata[0])->id, ==, 21);
  none = folders_by_name (f, "No such folder", NULL, NULL, &error);
  g_assert_error (error, MARKETO_ERROR, MARKETO_ERROR_NO_DATA);
  g_assert_null (none);
  g_clear_error (&error);

  /* the look-up helpers over a fetched array */
  g_assert_true (marketo_folders_find_by_id (first->folders, 13, "Folder")
                 == first->folders->pdata[2]);
  g_assert_null (marketo_folders_find_by_id (first->folders, 13, "Program"));
  g_assert_nonnull (marketo_folders_find_by_id (rest->folders, 1001, NULL));
  g_assert_null (marketo_folders_find_by_id (rest->folders, 12, NULL));
  matches = marketo_folders_find_by_name (first->folders, "Audiences");
  g_assert_cmpuint (matches->len, ==, 1);
  g_assert_cmpint (((MarketoFolder *) matches->pdata[0])->id, ==, 12);
}

/* ---- Leads ----------------------------------------------------------------------------- */

static MarketoLeadPage *
list_leads (Fixture     *f,
            gint64       list_id,
            const char  *token,
            guint        batch_size,
            GError     **error)
{
  const char *fields[] = { "email", "firstName", "leadPartitionId", NULL };
  g_autoptr(GAsyncResult) r =
    AWAIT (marketo_client_get_list_leads_async (f->client, list_id, fields, token, batch_size,
                                                NULL, got_result_cb, &_r));

  return marketo_client_get_list_leads_finish (f->client, r, error);
}

static MarketoLeadPage *
get_leads (Fixture            *f,
           const char         *filter_type,
           const char * const *values,
           GError            **error)
{
  const char *fields[] = { "email", "firstName", "leadPartitionId", NULL };
  g_autoptr(GAsyncResult) r =
    AWAIT (marketo_client_get_leads_async (f->client, filter_type, values, fields, NULL, 0,
                                           NULL, got_result_cb, &_r));

  return marketo_client_get_leads_finish (f->client, r, error);
}

static void
test_leads_lookup (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MarketoLeadPage) members = NULL;
  g_autoptr(MarketoLeadPage) next = NULL;
  g_autoptr(MarketoLeadPage) found = NULL;
  g_autoptr(MarketoLeadPage) big = NULL;
  g_autoptr(MarketoLeadPage) refused = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) many = NULL;
  g_autofree char *email0 = NULL;
  g_autofree char *email1 = NULL;
  const char *first_names[] = { "Ana", NULL };
  MarketoSandboxRequest *entry;

  members = list_leads (f, 1187, NULL, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (members->leads->len, ==, 10);
  g_assert_true (members->more_result);
  g_assert_nonnull (members->next_page_token);
  next = list_leads (f, 1187, members->next_page_token, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpint (((MarketoLead *) g_ptr_array_index (next->leads, 0))->id, !=,
                   ((MarketoLead *) g_ptr_array_index (members->leads, 0))->id);

  email0 = marketo_lead_dup_string (g_ptr_array_index (members->leads, 0), "email");
  email1 = marketo_lead_dup_string (g_ptr_array_index (members->leads, 1), "email");
  g_assert_nonnull (email0);

  /* A short lookup is a GET. */
  {
    const char *values[] = { email0, email1, "nobody@example.invalid", NULL };

    found = get_leads (f, "email", values, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (found->leads->len, ==, 2);
    g_assert_cmpint (((MarketoLead *) g_ptr_array_index (found->leads, 0))->id, >, 0);
  }
  entries = entries_for (f, "/rest/v1/leads.json");
  entry = g_ptr_array_index (entries, entries->len - 1);
  g_assert_cmpstr (entry->method, ==, "GET");
  g_clear_pointer (&entries, g_ptr_array_unref);

  /* 300 long addresses make a URI over 8 KB: POST ?_method=GET with a form body. */
  g_strv_builder_add (builder, email0);
  for (guint i = 1; i < 300; i++)
    {
      g_autofree char *value = g_strdup_printf ("someone.with.a.long.address.%03u@example.invalid", i);

      g_strv_builder_add (builder, value);
    }
  many = g_strv_builder_end (builder);
  big = get_leads (f, "email", (const char * const *) many, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (big->leads->len, ==, 1);
  entries = entries_for (f, "/rest/v1/leads.json");
  entry = g_ptr_array_index (entries, entries->len - 1);
  g_assert_cmpstr (entry->method, ==, "POST");
  g_assert_cmpstr (entry->query, ==, "_method=GET");
  g_assert_cmpstr (entry->content_type, ==, "application/x-www-form-urlencoded");
  g_assert_cmpuint (entry->n_records, ==, 300);
  g_assert_cmpuint (entry->http_status, ==, 200);

  /* firstName is not a searchable field */
  refused = get_leads (f, "firstName", first_names, &error);
  g_assert_error (error, MARKETO_ERROR, MARKETO_ERROR_FIELD_NOT_SUPPORTED);
  g_assert_null (refused);
}

static JsonObject *
lead_object (const char *email,
             const char *member,
             const char *value)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "email", email);
  if (member != NULL)
    json_object_set_string_member (object, member, value);
  return object;
}

static GPtrArray *
sync_leads (Fixture            *f,
            MarketoSyncAction   action,
            const char         *partition,
            JsonArray          *records,
            GError            **error)
{
  g_autoptr(GAsyncResult) r =
    AWAIT (marketo_client_sync_leads_async (f->client, action, "email", partition, records,
                                            NULL, got_result_cb, &_r));

  return marketo_client_sync_leads_finish (f->client, r, error);
}

static MarketoRecordResult *
record_at (GPtrArray *results,
           guint      index)
{
  MarketoRecordResult *result = g_ptr_array_index (results, index);

  g_assert_cmpuint (result->index, ==, index);
  return result;
}

static void
test_sync_leads (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MarketoLeadPage) members = NULL;
  g_autoptr(JsonArray) records = json_array_new ();
  g_autoptr(JsonArray) updates = json_array_new ();
  g_autoptr(JsonArray) creates = json_array_new ();
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(MarketoLeadPage) emea = NULL;
  g_autofree char *existing = NULL;
  g_autofree char *partition = NULL;
  const char *values[] = { "new.person@example.com", NULL };
  MarketoRecordResult *result;

  members = list_leads (f, 1187, NULL, 5, &error);
  g_assert_no_error (error);
  existing = marketo_lead_dup_string (g_ptr_array_index (members->leads, 0), "email");

  json_array_add_object_element (records, lead_object (existing, "firstName", "Renamed"));
  json_array_add_object_element (records, lead_object ("new.person@example.com", "lastName", "Berg"));
  json_array_add_object_element (records, lead_object ("third@example.com", "numberOfEmployees", "many"));
  results = sync_leads (f, MARKETO_SYNC_CREATE_OR_UPDATE, "EMEA", records, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 3);
  result = record_at (results, 0);
  g_assert_cmpint (result->status, ==, MARKETO_RECORD_STATUS_UPDATED);
  g_assert_cmpint (result->lead_id, ==, ((MarketoLead *) g_ptr_array_index (members->leads, 0))->id);
  g_assert_nonnull (result->request_id);
  result = record_at (results, 1);
  g_assert_cmpint (result->status, ==, MARKETO_RECORD_STATUS_CREATED);
  g_assert_cmpint (result->lead_id, >, 0);
  result = record_at (results, 2);
  g_assert_cmpint (result->status, ==, MARKETO_RECORD_STATUS_SKIPPED);
  g_assert_cmpint (result->lead_id, ==, 0);
  g_assert_cmpint (marketo_record_result_get_code (result), ==, MARKETO_ERROR_INVALID_VALUE);
  g_assert_nonnull (g_array_index (result->reasons, MarketoReason, 0).message);

  /* Record-level failures are not retried: one request went out. */
  entries = entries_for (f, "/rest/v1/leads.json");
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpstr (((MarketoSandboxRequest *) g_ptr_array_index (entries, 0))->content_type, ==,
                   "application/json");
  g_clear_pointer (&entries, g_ptr_array_unref);

  /* The new lead went to the partition asked for. */
  emea = get_leads (f, "email", values, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (emea->leads->len, ==, 1);
  partition = marketo_lead_dup_string (g_ptr_array_index (emea->leads, 0), "leadPartitionId");
  g_assert_cmpstr (partition, ==, "2");

  /* updateOnly misses, createOnly hits */
  json_array_add_object_element (updates, lead_object ("nobody.here@example.com", "firstName", "X"));
  g_clear_pointer (&results, g_ptr_array_unref);
  results = sync_leads (f, MARKETO_SYNC_UPDATE_ONLY, NULL, updates, &error);
  g_assert_no_error (error);
  g_assert_cmpint (record_at (results, 0)->status, ==, MARKETO_RECORD_STATUS_SKIPPED);
  g_assert_cmpint (marketo_record_result_get_code (record_at (results, 0)), ==, 1004);

  json_array_add_object_element (creates, lead_object (existing, "firstName", "Again"));
  g_clear_pointer (&results, g_ptr_array_unref);
  results = sync_leads (f, MARKETO_SYNC_CREATE_ONLY, NULL, creates, &error);
  g_assert_no_error (error);
  g_assert_cmpint (marketo_record_result_get_code (record_at (results, 0)), ==, 1005);
}

static void
test_sync_leads_split (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) records = json_array_new ();
  g_autoptr(JsonArray) heavy = json_array_new ();
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autofree char *padding = g_strnfill (150 * 1024, 'x');
  guint total = 0;

  /* 650 records: 300 + 300 + 50 */
  for (guint i = 0; i < 650; i++)
    {
      g_autofree char *email = g_strdup_printf ("split.%04u@example.com", i);

      json_array_add_object_element (records, lead_object (email, "lastName", "Split"));
    }
  results = sync_leads (f, MARKETO_SYNC_CREATE_OR_UPDATE, NULL, records, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 650);
  for (guint i = 0; i < 650; i++)
    {
      MarketoRecordResult *result = record_at (results, i);

      g_assert_cmpint (result->status, ==, MARKETO_RECORD_STATUS_CREATED);
      g_assert_false (g_hash_table_contains (ids, &result->lead_id));
      g_hash_table_add (ids, &result->lead_id);
    }
  entries = entries_for (f, "/rest/v1/leads.json");
  g_assert_cmpuint (entries->len, ==, 3);
  g_assert_cmpuint (((MarketoSandboxRequest *) g_ptr_array_index (entries, 0))->n_records, ==, 300);
  g_assert_cmpuint (((MarketoSandboxRequest *) g_ptr_array_index (entries, 1))->n_records, ==, 300);
  g_assert_cmpuint (((MarketoSandboxRequest *) g_ptr_array_index (entries, 2))->n_records, ==, 50);
  g_clear_pointer (&entries, g_ptr_array_unref);
  marketo_sandbox_clear_request_log (f->sandbox);

  /* 20 records of 150 KB: the 1 MB limit splits them, 6 at most per call. */
  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *email = g_strdup_printf ("heavy.%02u@example.com", i);

      json_array_add_object_element (heavy, lead_object (email, "website", padding));
    }
  g_clear_pointer (&results, g_ptr_array_unref);
  results = sync_leads (f, MARKETO_SYNC_CREATE_OR_UPDATE, NULL, heavy, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 20);
  entries = entries_for (f, "/rest/v1/leads.json");
  g_assert_cmpuint (entries->len, ==, 4);
  for (guint i = 0; i < entries->len; i++)
    {
      MarketoSandboxRequest *entry = g_ptr_array_index (entries, i);

      g_assert_cmpuint (entry->body_size, <, 1024 * 1024);
      g_assert_cmpuint (entry->http_status, ==, 200);
      total += entry->n_records;
    }
  g_assert_cmpuint (total, ==, 20);

  /* One record over 1 MB cannot be sent at all: refused before any request. */
  {
    g_autoptr(JsonArray) huge = json_array_new ();
    g_autofree char *big = g_strnfill (1100 * 1024, 'y');
    g_autoptr(GPtrArray) refused = NULL;

    json_array_add_object_element (huge, lead_object ("huge@example.com", "website", big));
    marketo_sandbox_clear_request_log (f->sandbox);
    refused = sync_leads (f, MARKETO_SYNC_CREATE_OR_UPDATE, NULL, huge, &error);
    g_assert_error (error, MARKETO_ERROR, MARKETO_ERROR_PAYLOAD_TOO_LARGE);
    g_assert_null (refused);
    g_clear_pointer (&entries, g_ptr_array_unref);
    entries = entries_for (f, "/rest/v1/leads.json");
    g_assert_cmpuint (entries->len, ==, 0);
  }
}

/* §6.3: a batch that times out on Marketo's side (604) is sent again as two halves, down to
 * single records, which are retried like any call; results keep input order. */
static void
test_sync_leads_604_halves (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) records = json_array_new ();
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  static const guint expected[] = { 10, 5, 2, 1, 1, 3, 5 };

  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *email = g_strdup_printf ("halves.%02u@example.com", i);

      json_array_add_object_element (records, lead_object (email, "lastName", "Halves"));
    }

  /* The first four calls time out: 10 → 5 + 5, the first 5 → 2 + 3, the 2 → 1 + 1, the
   * first single record → retried as it is. */
  marketo_sandbox_add_fault (f->sandbox, MARKETO_SANDBOX_FAULT_CODE, 604, 4,
                             "/rest/v1/leads.json");
  results = sync_leads (f, MARKETO_SYNC_CREATE_OR_UPDATE, NULL, records, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 10);
  for (guint i = 0; i < 10; i++)
    {
      MarketoRecordResult *result = record_at (results, i);
      g_autoptr(JsonObject) lead = NULL;
      g_autofree char *email = g_strdup_printf ("halves.%02u@example.com", i);

      g_assert_cmpint (result->status, ==, MARKETO_RECORD_STATUS_CREATED);
      lead = marketo_sandbox_dup_lead (f->sandbox, result->lead_id);
      g_assert_nonnull (lead);
      g_assert_cmpstr (json_object_get_string_member (lead, "email"), ==, email);
    }

  entries = entries_for (f, "/rest/v1/leads.json");
  /* 10, 5, 2 and 1 records answered 604 (the fault answers before reading the records, so
   * the sizes of the bodies tell them apart), then 1 again, 1, 3 and 5 went through. */
  g_assert_cmpuint (entries->len, ==, 8);
  for (guint i = 0; i < 4; i++)
    {
      MarketoSandboxRequest *entry = g_ptr_array_index (entries, i);

      g_assert_cmpint (entry->code, ==, 604);
      if (i > 0)
        g_assert_cmpuint (entry->body_size, <,
                          ((MarketoSandboxRequest *) g_ptr_array_index (entries, i - 1))->body_size);
    }
  for (guint i = 4; i < 8; i++)
    {
      MarketoSandboxRequest *entry = g_ptr_array_index (entries, i);

      g_assert_cmpint (entry->code, ==, 0);
      g_assert_cmpuint (entry->n_records, ==, expected[i - 1]);
    }
}

/* A single record that keeps timing out is resent as it is only up to the retry limit, then
 * fails with 604: it does not go round again for as long as Marketo keeps answering 604. */
static void
test_sync_leads_604_single_gives_up (Fixture       *f,
                                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) records = json_array_new ();
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) entries = NULL;

  marketo_client_set_retry_policy (f->client, 5, 20, 3);
  json_array_add_object_element (records, lead_object ("single@example.com", "lastName", "One"));
  marketo_sandbox_add_fault (f->sandbox, MARKETO_SANDBOX_FAULT_CODE, 604, 12,
                             "/rest/v1/leads.json");
  results = sync_leads (f, MARKETO_SYNC_CREATE_OR_UPDATE, NULL, records, &error);
  g_assert_error (error, MARKETO_ERROR, MARKETO_ERROR_REQUEST_TIMED_OUT);
  g_assert_null (results);

  /* The batch of one (not retried: handed back to be split), then the single record's three
   * attempts. */
  entries = entries_for (f, "/rest/v1/leads.json");
  g_assert_cmpuint (entries->len, ==, 1 + 3);
  for (guint i = 0; i < entries->len; i++)
    g_assert_cmpint (((MarketoSandboxRequest *) g_ptr_array_index (entries, i))->code, ==, 604);
  marketo_sandbox_clear_faults (f->sandbox);
}

static GPtrArray *
membership (Fixture      *f,
            int           op,
            gint64        list_id,
            const gint64 *ids,
            gsize         n_ids,
            GError      **error)
{
  GAsyncResult *r = NULL;
  GPtrArray *results;

  switch (op)
    {
    case 0:
      r = AWAIT (marketo_client_add_to_list_async (f->client, list_id, ids, n_ids, NULL,
                                                   got_result_cb, &_r));
      results = marketo_client_add_to_list_finish (f->client, r, error);
      break;
    case 1:
      r = AWAIT (marketo_client_remove_from_list_async (f->client, list_id, ids, n_ids, NULL,
                                                        got_result_cb, &_r));
      results = marketo_client_remove_from_list_finish (f->client, r, error);
      break;
    default:
      r = AWAIT (marketo_client_is_member_of_list_async (f->client, list_id, ids, n_ids, NULL,
                                                         got_result_cb, &_r));
      results = marketo_client_is_member_of_list_finish (f->client, r, error);
      break;
    }
  g_object_unref (r);
  return results;
}

static void
test_membership (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MarketoLeadPage) page = NULL;
  g_autoptr(GPtrArray) added = NULL;
  g_autoptr(GPtrArray) checked = NULL;
  g_autoptr(GPtrArray) removed = NULL;
  g_autoptr(GPtrArray) many = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GArray) all_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(MarketoLeadPage) second = NULL;
  gint64 ids[3];
  gint64 check[2];

  /* Leads that are not in the VIP list: take Spring Promo members and a fresh list. */
  page = list_leads (f, 1187, NULL, 20, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->leads->len, ==, 20);
  ids[0] = ((MarketoLead *) g_ptr_array_index (page->leads, 0))->id;
  ids[1] = ((MarketoLead *) g_ptr_array_index (page->leads, 1))->id;
  ids[2] = 987654321;

  {
    g_autoptr(MarketoList) list = create_static_list (f, 12, "Membership test", &error);

    g_assert_no_error (error);
    added = membership (f, 0, list->id, ids, 3, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (added->len, ==, 3);
    g_assert_cmpint (record_at (added, 0)->status, ==, MARKETO_RECORD_STATUS_ADDED);
    g_assert_cmpint (record_at (added, 0)->lead_id, ==, ids[0]);
    g_assert_cmpint (record_at (added, 1)->status, ==, MARKETO_RECORD_STATUS_ADDED);
    g_assert_cmpint (record_at (added, 2)->status, ==, MARKETO_RECORD_STATUS_SKIPPED);
    g_assert_cmpint (marketo_record_result_get_code (record_at (added, 2)), ==, 1004);

    check[0] = ids[0];
    check[1] = ((MarketoLead *) g_ptr_array_index (page->leads, 5))->id;
    checked = membership (f, 2, list->id, check, 2, &error);
    g_assert_no_error (error);
    g_assert_cmpint (record_at (checked, 0)->status, ==, MARKETO_RECORD_STATUS_MEMBER_OF);
    g_assert_cmpint (record_at (checked, 1)->status, ==, MARKETO_RECORD_STATUS_NOT_MEMBER_OF);

    removed = membership (f, 1, list->id, check, 2, &error);
    g_assert_no_error (error);
    g_assert_cmpint (record_at (removed, 0)->status, ==, MARKETO_RECORD_STATUS_REMOVED);
    g_assert_cmpint (record_at (removed, 1)->status, ==, MARKETO_RECORD_STATUS_SKIPPED);
    g_assert_cmpint (marketo_record_result_get_code (record_at (removed, 1)), ==, 1015);

    entries = entries_for (f, NULL);
    for (guint i = 0; i < entries->len; i++)
      {
        MarketoSandboxRequest *entry = g_ptr_array_index (entries, i);

        if (g_str_equal (entry->method, "DELETE"))
          g_assert_cmpuint (entry->n_records, ==, 2);
      }

    /* 350 ids: two calls, results in input order */
    second = list_leads (f, 1187, NULL, 0, &error);
    g_assert_no_error (error);
    for (guint i = 0; i < 350; i++)
      {
        gint64 id = i < second->leads->len
                    ? ((MarketoLead *) g_ptr_array_index (second->leads, i))->id
                    : 900000000 + i;

        g_array_append_val (all_ids, id);
      }
    marketo_sandbox_clear_request_log (f->sandbox);
    many = membership (f, 0, list->id, (gint64 *) all_ids->data, all_ids->len, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (many->len, ==, 350);
    for (guint i = 0; i < 350; i++)
      g_assert_cmpint (record_at (many, i)->lead_id, ==, g_array_index (all_ids, gint64, i));
    g_clear_pointer (&entries, g_ptr_array_unref);
    entries = entries_for (f, NULL);
    g_assert_cmpuint (entries->len, ==, 2);
  }
}

static void
test_bulk_import (Fixture       *f,
                  gconstpointer  data)
{
  static const char csv[] = "email,firstName,numberOfEmployees\n"
                            "bulk.one@example.com,One,10\n"
                            "bulk.two@example.com,Two,lots\n"
                            "bulk.three@example.com,Three,30\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) file = g_bytes_new_static (csv, sizeof csv - 1);
  g_autoptr(MarketoImportJob) job = NULL;
  g_autoptr(MarketoImportJob) status = NULL;
  g_autoptr(MarketoImportJob) unknown = NULL;
  g_autoptr(GBytes) failures = NULL;
  g_autoptr(GBytes) warnings = NULL;
  g_autoptr(GAsyncResult) r1 = NULL;
  g_autoptr(GAsyncResult) r3 = NULL;
  g_autoptr(GAsyncResult) r4 = NULL;
  g_autoptr(GAsyncResult) r5 = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *text = NULL;
  gint64 deadline;

  r1 = AWAIT (marketo_client_import_leads_async (f->client, file, MARKETO_IMPORT_FORMAT_CSV,
                                                 "email", 1189, NULL, NULL, got_result_cb, &_r));
  job = marketo_client_import_leads_finish (f->client, r1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (job->batch_id, >, 0);
  g_assert_cmpstr (job->status, ==, "Queued");
  entries = entries_for (f, "/bulk/v1/leads.json");
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpstr (((MarketoSandboxRequest *) g_ptr_array_index (entries, 0))->content_type, ==,
                   "multipart/form-data");

  /* The sandbox steps its jobs every 100 ms. */
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (status == NULL || !marketo_import_job_is_finished (status))
    {
      g_autoptr(GAsyncResult) r2 = NULL;

      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_clear_pointer (&status, marketo_import_job_free);
      g_usleep (50000);
      r2 = AWAIT (marketo_client_get_import_status_async (f->client, job->batch_id, NULL,
                                                          got_result_cb, &_r));
      status = marketo_client_get_import_status_finish (f->client, r2, &error);
      g_assert_no_error (error);
      g_assert_cmpint (status->batch_id, ==, job->batch_id);
    }
  g_assert_cmpstr (status->status, ==, "Complete");
  g_assert_cmpint (status->leads_processed, ==, 3);
  g_assert_cmpint (status->rows_failed, ==, 1);
  g_assert_nonnull (status->message);

  r3 = AWAIT (marketo_client_get_import_failures_async (f->client, job->batch_id, NULL,
                                                        got_result_cb, &_r));
  failures = marketo_client_get_import_failures_finish (f->client, r3, &error);
  g_assert_no_error (error);
  text = g_strndup (g_bytes_get_data (failures, NULL), g_bytes_get_size (failures));
  g_assert_nonnull (strstr (text, "Import Failure Reason"));
  g_assert_nonnull (strstr (text, "bulk.two@example.com"));

  r4 = AWAIT (marketo_client_get_import_warnings_async (f->client, job->batch_id, NULL,
                                                        got_result_cb, &_r));
  warnings = marketo_client_get_import_warnings_finish (f->client, r4, &error);
  g_assert_no_error (error);
  g_assert_nonnull (warnings);

  r5 = AWAIT (marketo_client_get_import_status_async (f->client, 777777, NULL,
                                                      got_result_cb, &_r));
  unknown = marketo_client_get_import_status_finish (f->client, r5, &error);
  g_assert_nonnull (error);
  g_assert_true (error->domain == MARKETO_ERROR);
  g_assert_null (unknown);
}

static void
test_usage (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) fields = describe (f, &error);
  g_autoptr(MarketoUsage) usage = NULL;
  g_autoptr(GAsyncResult) r = NULL;
  MarketoUserUsage *user;

  g_assert_no_error (error);
  r = AWAIT (marketo_client_get_usage_async (f->client, NULL, got_result_cb, &_r));
  usage = marketo_client_get_usage_finish (f->client, r, &error);
  g_assert_no_error (error);
  g_assert_cmpint (usage->total, >=, 1);
  g_assert_cmpint (usage->total, <=, marketo_sandbox_get_calls_today (f->sandbox));
  g_assert_cmpuint (usage->users->len, ==, 1);
  user = g_ptr_array_index (usage->users, 0);
  g_assert_cmpstr (user->user_id, ==, marketo_sandbox_get_scope (f->sandbox));
  /* The pacer counted both calls. */
  g_assert_cmpuint (marketo_pacer_get_daily_count (f->pacer), ==, 2);
}

/* ---- Faults ---------------------------------------------------------------------------- */

static void
test_fault_token (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  MarketoClientStats stats;
  int code = GPOINTER_TO_INT (data);

  for (guint i = 0; i < 6; i++)
    {
      g_autoptr(GPtrArray) result = NULL;

      if (i == 3)
        marketo_sandbox_add_fault (f->sandbox, MARKETO_SANDBOX_FAULT_CODE, code, 1, NULL);
      result = partitions (f->client, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (result->len, ==, 3);
    }
  marketo_client_get_stats (f->client, &stats);
  g_assert_cmpuint (stats.identity_requests, ==, 2);
  g_assert_cmpuint (stats.reauthentications, ==, 1);
  g_assert_cmpuint (stats.requests, ==, 7);
  g_assert_cmpuint (stats.retries, ==, 0);

  /* A second 601 right after the new token is an auth failure, not a loop. */
  marketo_sandbox_add_fault (f->sandbox, MARKETO_SANDBOX_FAULT_CODE, 601, 2, NULL);
  {
    g_autoptr(GPtrArray) result = partitions (f->client, &error);

    g_assert_error (error, MARKETO_ERROR, MARKETO_ERROR_ACCESS_TOKEN_INVALID);
    g_assert_null (result);
  }
}

static void
test_fault_token_expired (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) before = partitions (f->client, &error);
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  MarketoClientStats stats;
  gboolean saw_602 = FALSE;

  g_assert_no_error (error);
  /* Two hours later on the sandbox's clock: the token died while the client kept it. */
  marketo_sandbox_set_now_offset (f->sandbox, 2 * G_TIME_SPAN_HOUR);
  after = partitions (f->client, &error);
  g_assert_no_error (error);
  marketo_client_get_stats (f->client, &stats);
  g_assert_cmpuint (stats.identity_requests, ==, 2);
  g_assert_cmpuint (stats.reauthentications, ==, 1);

  entries = entries_for (f, "/rest/v1/leads/partitions.json");
  for (guint i = 0; i < entries->len; i++)
    saw_602 |= ((MarketoSandboxRequest *) g_ptr_array_index (entries, i))->code == 602;
  g_assert_true (saw_602);
}

static void
test_token_short_lived (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) entries = NULL;
  MarketoClientStats stats;

  /* Tokens of 2 s: the client renews them at expiry (asking earlier would return the same
   * token) instead of running into 602. */
  g_object_set (f->sandbox, "token-lifetime", 2, NULL);
  for (guint i = 0; i < 14; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) result = partitions (f->client, &error);

      g_assert_no_error (error);
      g_usleep (250000);
    }
  marketo_client_get_stats (f->client, &stats);
  g_assert_cmpuint (stats.identity_requests, >=, 2);
  g_assert_cmpuint (stats.reauthentications, ==, 0);
  entries = entries_for (f, "/rest/v1/leads/partitions.json");
  g_assert_cmpuint (entries->len, ==, 14);
  for (guint i = 0; i < entries->len; i++)
    g_assert_cmpint (((MarketoSandboxRequest *) g_ptr_array_index (entries, i))->code, ==, 0);
}

typedef struct {
  MarketoSandboxFault kind;
  int                 code;
} TransientFault;

static const TransientFault transient_faults[] = {
  { MARKETO_SANDBOX_FAULT_CODE, 604 },
  { MARKETO_SANDBOX_FAULT_CODE, 608 },
  { MARKETO_SANDBOX_FAULT_CODE, 611 },
  { MARKETO_SANDBOX_FAULT_CODE, 614 },
  { MARKETO_SANDBOX_FAULT_CODE, 615 },
  { MARKETO_SANDBOX_FAULT_CODE, 713 },
  { MARKETO_SANDBOX_FAULT_CODE, 719 },
  { MARKETO_SANDBOX_FAULT_CODE, 502 },
  { MARKETO_SANDBOX_FAULT_HTTP, 500 },
  { MARKETO_SANDBOX_FAULT_HTTP, 502 },
  { MARKETO_SANDBOX_FAULT_HTTP, 503 },
  { MARKETO_SANDBOX_FAULT_RESET, 0 },
};

static void
test_fault_transient (Fixture       *f,
                      gconstpointer  data)
{
  marketo_client_set_retry_policy (f->client, 40, 400, 6);

  for (guint i = 0; i < G_N_ELEMENTS (transient_faults); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) result = NULL;
      g_autoptr(GPtrArray) entries = NULL;
      MarketoClientStats before, after;
      MarketoSandboxRequest *first, *second, *third;

      marketo_sandbox_clear_request_log (f->sandbox);
      marketo_client_get_stats (f->client, &before);
      marketo_sandbox_add_fault (f->sandbox, transient_faults[i].kind, transient_faults[i].code,
                                 2, "/rest/v1/leads/partitions.json");
      result = partitions (f->client, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (result->len, ==, 3);
      marketo_client_get_stats (f->client, &after);
      g_assert_cmpuint (after.retries - before.retries, ==, 2);

      entries = entries_for (f, "/rest/v1/leads/partitions.json");
      g_assert_cmpuint (entries->len, ==, 3);
      first = g_ptr_array_index (entries, 0);
      second = g_ptr_array_index (entries, 1);
      third = g_ptr_array_index (entries, 2);
      g_assert_true (first->faulted);
      g_assert_true (second->faulted);
      g_assert_false (third->faulted);
      g_assert_cmpuint (third->http_status, ==, 200);
      /* Backoff: the second retry waited at least the base × 2 / 2 (jitter). */
      g_assert_cmpint (third->start_us - second->start_us, >=, 40000);
    }

  /* Not idempotent: a createDuplicate whose connection was reset is not sent again. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonArray) records = json_array_new ();
    g_autoptr(GPtrArray) results = NULL;
    g_autoptr(GPtrArray) entries = NULL;

    json_array_add_object_element (records, lead_object ("dup@example.com", NULL, NULL));
    marketo_sandbox_clear_request_log (f->sandbox);
    marketo_sandbox_add_fault (f->sandbox, MARKETO_SANDBOX_FAULT_RESET, 0, 1, "/rest/v1/leads.json");
    results = sync_leads (f, MARKETO_SYNC_CREATE_DUPLICATE, NULL, records, &error);
    g_assert_error (error, MARKETO_ERROR, MARKETO_ERROR_UNREACHABLE);
    entries = entries_for (f, "/rest/v1/leads.json");
    g_assert_cmpuint (entries->len, ==, 1);
  }
}

static void
test_fault_exhausted_retries (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) result = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  const char *request_id;

  marketo_client_set_retry_policy (f->client, 5, 20, 3);
  marketo_sandbox_add_fault (f->sandbox, MARKETO_SANDBOX_FAULT_CODE, 611, 5, NULL);
  result = partitions (f->client, &error);
  g_assert_error (error, MARKETO_ERROR, MARKETO_ERROR_SYSTEM);
  request_id = marketo_error_get_request_id (error);
  g_assert_nonnull (request_id);
  g_assert_nonnull (strstr (error->message, request_id));
  entries = entries_for (f, "/rest/v1/leads/partitions.json");
  g_assert_cmpuint (entries->len, ==, 3);
  g_assert_cmpstr (((MarketoSandboxRequest *) g_ptr_array_index (entries, 2))->request_id, ==,
                   request_id);
}

static void
test_fault_non_json_5xx (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) result = NULL;

  marketo_client_set_retry_policy (f->client, 5, 20, 1);
  marketo_sandbox_add_fault (f->sandbox, MARKETO_SANDBOX_FAULT_HTTP, 500, 1, NULL);
  result = partitions (f->client, &error);
  g_assert_error (error, MARKETO_ERROR, MARKETO_ERROR_HTTP);
  g_assert_cmpuint (marketo_error_get_http_status (error), ==, 500);
  g_assert_null (result);
}

static void
test_fault_606 (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) result = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  MarketoClientStats stats;
  gint64 gap;

  /* The window is 0.4 s: the retry waits for it to roll (a quarter of it, then doubling). */
  marketo_pacer_set_limits (f->pacer, 100, 0.4, 10);
  marketo_sandbox_add_fault (f->sandbox, MARKETO_SANDBOX_FAULT_CODE, 606, 1, NULL);
  result = partitions (f->client, &error);
  g_assert_no_error (error);
  marketo_client_get_stats (f->client, &stats);
  g_assert_cmpuint (stats.received_606, ==, 1);
  g_assert_cmpuint (stats.retries, ==, 1);
  entries = entries_for (f, "/rest/v1/leads/partitions.json");
  g_assert_cmpuint (entries->len, ==, 2);
  gap = ((MarketoSandboxRequest *) g_ptr_array_index (entries, 1))->start_us
        - ((MarketoSandboxRequest *) g_ptr_array_index (entries, 0))->start_us;
  g_assert_cmpint (gap, >=, 50000);
}

static void
test_fault_607 (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) result = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GTimeZone) chicago = g_time_zone_new_identifier ("America/Chicago");
  g_autoptr(GDateTime) local = NULL;
  GDateTime *reset;

  marketo_sandbox_add_fault (f->sandbox, MARKETO_SANDBOX_FAULT_CODE, 607, 1, NULL);
  result = partitions (f->client, &error);
  g_assert_error (error, MARKETO_ERROR, MARKETO_ERROR_DAILY_QUOTA);
  g_assert_nonnull (marketo_error_get_request_id (error));
  reset = marketo_error_get_reset_time (error);
  g_assert_nonnull (reset);
  g_assert_cmpint (g_date_time_compare (reset, now), >, 0);
  g_assert_cmpint (g_date_time_difference (reset, now), <=, 25 * G_TIME_SPAN_HOUR);
  g_assert_nonnull (chicago);
  local = g_date_time_to_timezone (reset, chicago);
  g_assert_cmpint (g_date_time_get_hour (local), ==, 0);
  g_assert_cmpint (g_date_time_get_minute (local), ==, 0);
  g_clear_error (&error);

  /* The run stops: the next call fails locally, without reaching Marketo. */
  again = partitions (f->client, &error);
  g_assert_error (error, MARKETO_ERROR, MARKETO_ERROR_QUOTA_LOCAL);
  g_assert_nonnull (marketo_error_get_reset_time (error));
  entries = entries_for (f, "/rest/v1/leads/partitions.json");
  g_assert_cmpuint (entries->len, ==, 1);
}

static void
test_fault_stall (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) result = NULL;
  g_autoptr(GPtrArray) retried = NULL;
  g_autoptr(GPtrArray) warm = partitions (f->client, &error);
  gint64 start;

  g_assert_no_error (error);
  marketo_client_set_timeouts (f->client, 300, 300, 300);
  marketo_client_set_retry_policy (f->client, 5, 20, 1);
  marketo_sandbox_add_fault (f->sandbox, MARKETO_SANDBOX_FAULT_STALL, 3000, 1, NULL);
  start = g_get_monotonic_time ();
  result = partitions (f->client, &error);
  g_assert_error (error, MARKETO_ERROR, MARKETO_ERROR_TIMEOUT);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 290000);
  g_clear_error (&error);

  /* With retries, the next attempt gets through. */
  marketo_client_set_retry_policy (f->client, 5, 20, 3);
  marketo_sandbox_add_fault (f->sandbox, MARKETO_SANDBOX_FAULT_STALL, 3000, 1, NULL);
  retried = partitions (f->client, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (retried->len, ==, 3);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) result = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GAsyncResult) r = NULL;
  MarketoPacerStats stats;

  marketo_sandbox_add_fault (f->sandbox, MARKETO_SANDBOX_FAULT_STALL, 3000, 1, NULL);
  r = AWAIT ((marketo_client_get_partitions_async (f->client, cancellable, got_result_cb, &_r),
              g_timeout_add_once (200, (GSourceOnceFunc) g_cancellable_cancel, cancellable)));
  result = marketo_client_get_partitions_finish (f->client, r, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (marketo_error_is_cancelled (error));
  g_clear_error (&error);

  /* The permit went back. */
  marketo_pacer_get_stats (f->pacer, &stats);
  g_assert_cmpuint (stats.in_flight, ==, 0);
  after = partitions (f->client, &error);
  g_assert_no_error (error);
}

/* ---- Local quota ----------------------------------------------------------------------- */

static void
test_quota_local (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(MarketoUsageStore) store = marketo_memory_usage_store_new ();
  g_autoptr(MarketoPacer) second = marketo_pacer_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *today = marketo_pacer_day_key (NULL);
  guint64 stored = 0;

  marketo_pacer_set_usage_store (f->pacer, store);
  marketo_pacer_set_daily_quota (f->pacer, 3);
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(GPtrArray) result = partitions (f->client, &error);

      if (i < 3)
        {
          g_assert_no_error (error);
          continue;
        }
      g_assert_error (error, MARKETO_ERROR, MARKETO_ERROR_QUOTA_LOCAL);
      g_assert_nonnull (marketo_error_get_reset_time (error));
      g_clear_error (&error);
    }
  entries = entries_for (f, "/rest/v1/leads/partitions.json");
  g_assert_cmpuint (entries->len, ==, 3);
  g_assert_true (marketo_usage_store_load_count (store, today, &stored, NULL));
  g_assert_cmpuint (stored, ==, 3);

  /* A second run the same day sees the same count. */
  marketo_pacer_set_daily_quota (second, 3);
  marketo_pacer_set_usage_store (second, store);
  g_assert_cmpuint (marketo_pacer_get_daily_count (second), ==, 3);
  marketo_client_set_pacer (f->client, second);
  {
    g_autoptr(GPtrArray) result = partitions (f->client, &error);

    g_assert_error (error, MARKETO_ERROR, MARKETO_ERROR_QUOTA_LOCAL);
  }
  marketo_client_set_pacer (f->client, f->pacer);
}

/* ---- Pacing: a burst from several callers and a worker thread ---------------------------- */

#define BURST_MAIN    700
#define BURST_WORKER  300
#define BURST_WINDOW  1.0
#define BURST_CALLS   100

typedef struct {
  MarketoClient *client;
  guint          done;
  guint          failed;
  guint64        e606;
  guint64        e615;
} Burst;

static void
burst_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Burst *burst = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) value = marketo_client_get_partitions_finish (MARKETO_CLIENT (source),
                                                                     result, &error);

  if (value == NULL)
    {
      g_test_message ("burst call failed: %s", error->message);
      burst->failed++;
    }
  burst->done++;
}

typedef struct {
  Fixture *f;
  Burst    burst;
} WorkerData;

static gpointer
burst_worker (gpointer user_data)
{
  WorkerData *data = user_data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GError) error = NULL;
  MarketoClientStats stats;

  /* The worker's client binds to the worker's context. */
  g_main_context_push_thread_default (context);
  data->burst.client = marketo_client_new (data->f->endpoint,
                                           marketo_sandbox_get_client_id (data->f->sandbox),
                                           marketo_sandbox_get_client_secret (data->f->sandbox),
                                           &error);
  g_assert_no_error (error);
  marketo_client_set_pacer (data->burst.client, data->f->pacer);
  for (guint i = 0; i < BURST_WORKER; i++)
    marketo_client_get_partitions_async (data->burst.client, NULL, burst_cb, &data->burst);
  while (data->burst.done < BURST_WORKER)
    g_main_context_iteration (context, TRUE);
  marketo_client_get_stats (data->burst.client, &stats);
  data->burst.e606 = stats.received_606;
  data->burst.e615 = stats.received_615;
  g_clear_object (&data->burst.client);
  g_main_context_pop_thread_default (context);
  return NULL;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static void
test_pacing_burst (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) log = NULL;
  g_autoptr(GArray) starts = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GThread) thread = NULL;
  WorkerData worker = { f, { NULL, } };
  Burst main_burst = { f->client, 0, };
  MarketoClientStats stats;
  MarketoPacerStats pacer_stats;
  guint max_in_window = 0;
  guint bad_codes = 0;
  gint64 window_us = (gint64) (BURST_WINDOW * G_USEC_PER_SEC);
  gint64 start, elapsed;

  g_object_set (f->sandbox, "window-seconds", BURST_WINDOW, "window-calls", BURST_CALLS,
                "max-concurrency", 10, NULL);
  marketo_pacer_set_limits (f->pacer, BURST_CALLS, BURST_WINDOW, 10);
  /* On a loaded machine the sandbox's thread may read a request late: allow it 250 ms (the
   * default margin, 2 % of this compressed window, is sized for a 20 s one). */
  marketo_pacer_set_window_margin (f->pacer, 0.25);

  start = g_get_monotonic_time ();
  thread = g_thread_new ("burst-worker", burst_worker, &worker);
  /* Several callers on the main thread: every call is queued at once. */
  for (guint i = 0; i < BURST_MAIN; i++)
    marketo_client_get_partitions_async (f->client, NULL, burst_cb, &main_burst);
  while (main_burst.done < BURST_MAIN)
    g_main_context_iteration (NULL, TRUE);
  g_thread_join (g_steal_pointer (&thread));
  elapsed = g_get_monotonic_time () - start;

  g_assert_cmpuint (main_burst.failed, ==, 0);
  g_assert_cmpuint (worker.burst.failed, ==, 0);
  marketo_client_get_stats (f->client, &stats);
  g_assert_cmpuint (stats.received_606 + worker.burst.e606, ==, 0);
  g_assert_cmpuint (stats.received_615 + worker.burst.e615, ==, 0);

  /* The sandbox's view: no 606/615, and no window ever held more than the budget. */
  log = marketo_sandbox_dup_request_log (f->sandbox);
  for (guint i = 0; i < log->len; i++)
    {
      MarketoSandboxRequest *entry = g_ptr_array_index (log, i);

      if (entry->code == 606 || entry->code == 615)
        bad_codes++;
      if (entry->counted)
        g_array_append_val (starts, entry->start_us);
    }
  g_assert_cmpuint (bad_codes, ==, 0);
  g_assert_cmpuint (starts->len, ==, BURST_MAIN + BURST_WORKER);
  g_array_sort (starts, compare_gint64);
  for (guint i = 0, j = 0; i < starts->len; i++)
    {
      while (g_array_index (starts, gint64, i) - g_array_index (starts, gint64, j) >= window_us)
        j++;
      max_in_window = MAX (max_in_window, i - j + 1);
    }
  g_test_message ("1000 calls in %.2f s; busiest window %u calls; sandbox peak in flight %u",
                  elapsed / 1e6, max_in_window, marketo_sandbox_get_peak_in_flight (f->sandbox));
  g_assert_cmpuint (max_in_window, <=, BURST_CALLS);
  g_assert_cmpuint (marketo_sandbox_get_peak_in_flight (f->sandbox), <=, 10);
  marketo_pacer_get_stats (f->pacer, &pacer_stats);
  g_assert_cmpuint (pacer_stats.peak_window, <=, BURST_CALLS);
  g_assert_cmpuint (pacer_stats.peak_in_flight, <=, 10);
  g_assert_cmpuint (pacer_stats.granted, ==, BURST_MAIN + BURST_WORKER);
  /* And it did pace: 1000 calls cannot fit in fewer than 9 windows. */
  g_assert_cmpint (elapsed, >=, 9 * window_us);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/client/endpoint-rules", test_endpoint_rules);
  g_test_add ("/client/authenticate", Fixture, NULL, fixture_set_up, test_authenticate,
              fixture_tear_down);
  g_test_add ("/client/authenticate/refused", Fixture, NULL, fixture_set_up,
              test_authenticate_refused, fixture_tear_down);
  g_test_add_func ("/client/authenticate/unreachable", test_authenticate_unreachable);
  g_test_add_func ("/client/http/not-marketo", test_not_marketo);
  g_test_add_func ("/client/http/html-5xx", test_html_5xx);
  g_test_add_func ("/client/http/tls-verified", test_tls_verified);
  g_test_add ("/client/describe", Fixture, NULL, fixture_set_up, test_describe, fixture_tear_down);
  g_test_add ("/client/describe2", Fixture, NULL, fixture_set_up, test_describe2, fixture_tear_down);
  g_test_add ("/client/partitions", Fixture, NULL, fixture_set_up, test_partitions,
              fixture_tear_down);
  g_test_add ("/client/lists", Fixture, NULL, fixture_set_up, test_lists, fixture_tear_down);
  g_test_add ("/client/static-lists", Fixture, NULL, fixture_set_up, test_static_lists,
              fixture_tear_down);
  g_test_add ("/client/folders", Fixture, NULL, fixture_set_up, test_folders, fixture_tear_down);
  g_test_add ("/client/leads/lookup", Fixture, NULL, fixture_set_up, test_leads_lookup,
              fixture_tear_down);
  g_test_add ("/client/leads/sync", Fixture, NULL, fixture_set_up, test_sync_leads,
              fixture_tear_down);
  g_test_add ("/client/leads/sync-split", Fixture, NULL, fixture_set_up, test_sync_leads_split,
              fixture_tear_down);
  g_test_add ("/client/leads/sync-604-halves", Fixture, NULL, fixture_set_up,
              test_sync_leads_604_halves, fixture_tear_down);
  g_test_add ("/client/leads/sync-604-single-gives-up", Fixture, NULL, fixture_set_up,
              test_sync_leads_604_single_gives_up, fixture_tear_down);
  g_test_add ("/client/lists/membership", Fixture, NULL, fixture_set_up, test_membership,
              fixture_tear_down);
  g_test_add ("/client/bulk-import", Fixture, NULL, fixture_set_up, test_bulk_import,
              fixture_tear_down);
  g_test_add ("/client/usage", Fixture, NULL, fixture_set_up, test_usage, fixture_tear_down);
  g_test_add ("/client/faults/601", Fixture, GINT_TO_POINTER (601), fixture_set_up,
              test_fault_token, fixture_tear_down);
  g_test_add ("/client/faults/602", Fixture, GINT_TO_POINTER (602), fixture_set_up,
              test_fault_token, fixture_tear_down);
  g_test_add ("/client/faults/token-expired", Fixture, NULL, fixture_set_up,
              test_fault_token_expired, fixture_tear_down);
  g_test_add ("/client/token/short-lived", Fixture, NULL, fixture_set_up, test_token_short_lived,
              fixture_tear_down);
  g_test_add ("/client/faults/transient", Fixture, NULL, fixture_set_up, test_fault_transient,
              fixture_tear_down);
  g_test_add ("/client/faults/retries-exhausted", Fixture, NULL, fixture_set_up,
              test_fault_exhausted_retries, fixture_tear_down);
  g_test_add ("/client/faults/non-json-5xx", Fixture, NULL, fixture_set_up,
              test_fault_non_json_5xx, fixture_tear_down);
  g_test_add ("/client/faults/606", Fixture, NULL, fixture_set_up, test_fault_606,
              fixture_tear_down);
  g_test_add ("/client/faults/607", Fixture, NULL, fixture_set_up, test_fault_607,
              fixture_tear_down);
  g_test_add ("/client/faults/stall", Fixture, NULL, fixture_set_up, test_fault_stall,
              fixture_tear_down);
  g_test_add ("/client/cancel", Fixture, NULL, fixture_set_up, test_cancel, fixture_tear_down);
  g_test_add ("/client/quota-local", Fixture, NULL, fixture_set_up, test_quota_local,
              fixture_tear_down);
  g_test_add ("/client/pacing/burst", Fixture, NULL, fixture_set_up, test_pacing_burst,
              fixture_tear_down);

  return g_test_run ();
}
