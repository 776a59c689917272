/* marketo-sandbox-routes.c: the sandbox's REST, Asset and Bulk endpoints
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each route reads a MarketoSandboxCall and answers it with an envelope (or, for the bulk
 * failure/warning files, a raw body). The server has already checked the token, the limits
 * and the transport rules, and holds the sandbox lock.
 */
#include "config.h"

#include <string.h>

#include "marketo-sandbox-db.h"

#define MAX_RECORDS        300
#define MAX_MATCHES        1000
#define MAX_ASSET_RETURN   200
#define NO_ASSETS_WARNING  "No assets found for the given search criteria."

static const char *const default_lead_fields[] = {
  "id", "email", "updatedAt", "createdAt", "firstName", "lastName",
};

/* ---- Envelopes --------------------------------------------------------------------------- */

JsonObject *
_marketo_sandbox_envelope_new (const char *request_id,
                               gboolean    asset)
{
  JsonObject *env = json_object_new ();

  json_object_set_string_member (env, "requestId", request_id);
  if (asset)
    {
      json_object_set_array_member (env, "errors", json_array_new ());
      json_object_set_array_member (env, "warnings", json_array_new ());
    }
  return env;
}

static gboolean
is_asset_path (const char *path)
{
  return path != NULL && g_str_has_prefix (path, "/rest/asset/");
}

void
_marketo_sandbox_call_fail (MarketoSandboxCall *call,
                            int                 code,
                            const char         *format,
                            ...)
{
  g_autofree char *message = NULL;
  g_autofree char *code_str = g_strdup_printf ("%d", code);
  JsonObject *error = json_object_new ();
  JsonArray *errors = json_array_new ();
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_clear_pointer (&call->reply, json_object_unref);
  g_clear_pointer (&call->raw, g_bytes_unref);
  call->reply = _marketo_sandbox_envelope_new (call->request_id, is_asset_path (call->path));
  json_object_set_boolean_member (call->reply, "success", FALSE);
  json_object_set_string_member (error, "code", code_str);
  json_object_set_string_member (error, "message", message);
  json_array_add_object_element (errors, error);
  json_object_set_array_member (call->reply, "errors", errors);
  call->code = code;
  call->http_status = SOUP_STATUS_OK;
}

void
_marketo_sandbox_call_succeed (MarketoSandboxCall *call,
                               JsonArray          *result)
{
  g_clear_pointer (&call->reply, json_object_unref);
  g_clear_pointer (&call->raw, g_bytes_unref);
  call->reply = _marketo_sandbox_envelope_new (call->request_id, is_asset_path (call->path));
  json_object_set_boolean_member (call->reply, "success", TRUE);
  if (result != NULL)
    {
      call->n_output = json_array_get_length (result);
      json_object_set_array_member (call->reply, "result", result);
    }
  call->code = 0;
  call->http_status = SOUP_STATUS_OK;
}

void
_marketo_sandbox_call_clear (MarketoSandboxCall *call)
{
  g_clear_pointer (&call->reply, json_object_unref);
  g_clear_pointer (&call->raw, g_bytes_unref);
  g_clear_pointer (&call->raw_type, g_free);
}

static void
succeed_no_assets (MarketoSandboxCall *call)
{
  JsonArray *warnings;

  _marketo_sandbox_call_succeed (call, NULL);
  warnings = json_object_get_array_member (call->reply, "warnings");
  json_array_add_string_element (warnings, NO_ASSETS_WARNING);
}

/* Succeeds with @result (consumed), or with the no-assets warning when it is empty. */
static void
succeed_assets (MarketoSandboxCall *call,
                JsonArray          *result)
{
  if (json_array_get_length (result) == 0)
    {
      json_array_unref (result);
      succeed_no_assets (call);
      return;
    }
  _marketo_sandbox_call_succeed (call, result);
}

static JsonObject *
skipped (gint64      id,
         int         code,
         const char *message)
{
  JsonObject *entry = json_object_new ();
  JsonObject *reason = json_object_new ();
  JsonArray *reasons = json_array_new ();
  g_autofree char *code_str = g_strdup_printf ("%d", code);

  if (id != 0)
    json_object_set_int_member (entry, "id", id);
  json_object_set_string_member (entry, "status", "skipped");
  json_object_set_string_member (reason, "code", code_str);
  json_object_set_string_member (reason, "message", message);
  json_array_add_object_element (reasons, reason);
  json_object_set_array_member (entry, "reasons", reasons);
  return entry;
}

static JsonObject *
status_entry (gint64      id,
              const char *status)
{
  JsonObject *entry = json_object_new ();

  json_object_set_int_member (entry, "id", id);
  json_object_set_string_member (entry, "status", status);
  return entry;
}

/* ---- Parameters -------------------------------------------------------------------------- */

static const char *
param (MarketoSandboxCall *call,
       const char         *name)
{
  const char *value = g_hash_table_lookup (call->params, name);

  return value != NULL && *value != '\0' ? value : NULL;
}

static GStrv
split_list (const char *value)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) parts = NULL;

  if (value == NULL)
    return g_strv_builder_end (builder);
  parts = g_strsplit (value, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (parts[i][0] != '\0')
        g_strv_builder_add (builder, parts[i]);
    }
  return g_strv_builder_end (builder);
}

static gboolean
parse_id (const char *text,
          gint64     *id)
{
  return text != NULL && g_ascii_string_to_signed (text, 10, 1, G_MAXINT64, id, NULL);
}

/* The REST field names of @fields_param (or the default six) as field indexes; 1006 when a
 * name is unknown. */
static GArray *
wanted_fields (MarketoSandboxCall *call)
{
  g_auto(GStrv) names = split_list (param (call, "fields"));
  g_autoptr(GArray) wanted = g_array_new (FALSE, FALSE, sizeof (int));

  if (names[0] == NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (default_lead_fields); i++)
        {
          int field = _sandbox_field_index (default_lead_fields[i]);
          g_array_append_val (wanted, field);
        }
      return g_steal_pointer (&wanted);
    }
  for (guint i = 0; names[i] != NULL; i++)
    {
      int field = _sandbox_field_index (names[i]);

      if (field < 0)
        {
          _marketo_sandbox_call_fail (call, 1006, "Field '%s' not found", names[i]);
          return NULL;
        }
      g_array_append_val (wanted, field);
    }
  return g_steal_pointer (&wanted);
}

static guint
batch_size (MarketoSandboxCall *call,
            guint               max)
{
  guint64 size = 0;
  const char *text = param (call, "batchSize");

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT, &size, NULL))
    return max;
  return MIN (size, max);
}

/* ---- Paging tokens: base32 of (offset, a check of the query) ----------------------------- */

static const char base32_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

static guint32
query_check (MarketoSandboxCall *call)
{
  const char *names[] = { "filterType", "filterValues", "fields", "id", "name", "programName",
                          "workspaceName" };
  guint32 h = g_str_hash (call->path);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      const char *value = param (call, names[i]);

      h = h * 31 + (value != NULL ? g_str_hash (value) : 7);
    }
  return h;
}

static char *
page_token_new (MarketoSandboxCall *call,
                guint               offset)
{
  guint8 raw[10];
  guint32 check = query_check (call);
  GString *out = g_string_new (NULL);
  guint buffer = 0;
  guint bits = 0;

  for (guint i = 0; i < 4; i++)
    raw[i] = (offset >> (24 - 8 * i)) & 0xff;
  for (guint i = 0; i < 4; i++)
    raw[4 + i] = (check >> (24 - 8 * i)) & 0xff;
  raw[8] = 0x5a;
  raw[9] = raw[0] ^ raw[5] ^ raw[3];

  for (guint i = 0; i < sizeof raw; i++)
    {
      buffer = (buffer << 8) | raw[i];
      bits += 8;
      while (bits >= 5)
        {
          g_string_append_c (out, base32_alphabet[(buffer >> (bits - 5)) & 31]);
          bits -= 5;
        }
    }
  if (bits > 0)
    g_string_append_c (out, base32_alphabet[(buffer << (5 - bits)) & 31]);
  while (out->len % 8 != 0)
    g_string_append_c (out, '=');
  return g_string_free (out, FALSE);
}

/* The offset a token stands for; FALSE (1003 set) when it is not one of ours. */
static gboolean
page_token_offset (MarketoSandboxCall *call,
                   guint              *offset)
{
  const char *token = param (call, "nextPageToken");
  guint8 raw[16] = { 0 };
  guint buffer = 0;
  guint bits = 0;
  guint n = 0;
  guint32 check = 0;

  *offset = 0;
  if (token == NULL)
    return TRUE;

  for (const char *p = token; *p != '\0' && *p != '='; p++)
    {
      const char *pos = strchr (base32_alphabet, *p);

      if (pos == NULL || n >= sizeof raw)
        goto invalid;
      buffer = (buffer << 5) | (guint) (pos - base32_alphabet);
      bits += 5;
      if (bits >= 8)
        {
          raw[n++] = (buffer >> (bits - 8)) & 0xff;
          bits -= 8;
        }
    }
  if (n != 10 || raw[8] != 0x5a || raw[9] != (raw[0] ^ raw[5] ^ raw[3]))
    goto invalid;
  for (guint i = 0; i < 4; i++)
    *offset = (*offset << 8) | raw[i];
  for (guint i = 0; i < 4; i++)
    check = (check << 8) | raw[4 + i];
  if (check != query_check (call))
    goto invalid;
  return TRUE;

invalid:
  _marketo_sandbox_call_fail (call, 1003, "Invalid nextPageToken '%s'", token);
  return FALSE;
}

/* Answers with @page, the records from @offset to @end of @total. */
static void
finish_page (MarketoSandboxCall *call,
             JsonArray          *page,
             guint               end,
             guint               total,
             gboolean            with_more_result)
{
  _marketo_sandbox_call_succeed (call, page);
  if (end < total)
    {
      g_autofree char *token = page_token_new (call, end);

      json_object_set_string_member (call->reply, "nextPageToken", token);
    }
  if (with_more_result)
    json_object_set_boolean_member (call->reply, "moreResult", end < total);
}

/* One page of @leads (SandboxLead) with the @wanted fields. */
static void
succeed_lead_page (MarketoSandboxCall *call,
                   MarketoSandboxDb   *db,
                   GPtrArray          *leads,
                   GArray             *ids,
                   GArray             *wanted,
                   guint               offset,
                   gboolean            with_more_result)
{
  guint total = leads != NULL ? leads->len : ids->len;
  guint end = MIN (total, offset + batch_size (call, MAX_RECORDS));
  JsonArray *page = json_array_new ();

  for (guint i = offset; i < end; i++)
    {
      SandboxLead *lead = leads != NULL ? leads->pdata[i]
                          : _marketo_sandbox_db_get_lead (db, g_array_index (ids, gint64, i));

      if (lead != NULL)
        json_array_add_object_element (page, _marketo_sandbox_lead_to_json (lead,
                                                                            (int *) wanted->data,
                                                                            wanted->len));
    }
  finish_page (call, page, end, total, with_more_result);
}

/* ---- Ids in a list operation: repeated query parameters or {"input":[{"id":..}]} -------- */

static gboolean
require_json_object (MarketoSandboxCall  *call,
                     JsonObject         **out)
{
  if (g_strcmp0 (call->content_type, "application/json") != 0)
    {
      _marketo_sandbox_call_fail (call, 612, "Invalid Content Type");
      return FALSE;
    }
  if (call->json == NULL || !JSON_NODE_HOLDS_OBJECT (call->json))
    {
      _marketo_sandbox_call_fail (call, 609, "Invalid JSON");
      return FALSE;
    }
  *out = json_node_get_object (call->json);
  return TRUE;
}

static JsonArray *
input_array (JsonObject *body)
{
  JsonNode *node = json_object_get_member (body, "input");

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* The non-empty "input" array of a JSON body, at most MAX_RECORDS long, counted in
 * call->n_input; NULL after failing @call otherwise. */
static JsonArray *
require_input_records (MarketoSandboxCall  *call,
                       JsonObject         **body)
{
  JsonArray *input;

  if (!require_json_object (call, body))
    return NULL;
  input = input_array (*body);
  if (input == NULL || json_array_get_length (input) == 0)
    {
      _marketo_sandbox_call_fail (call, 701, "input cannot be blank");
      return NULL;
    }
  call->n_input = json_array_get_length (input);
  if (call->n_input > MAX_RECORDS)
    {
      _marketo_sandbox_call_fail (call, 1003, "Too many records: %u (at most %u)",
                                  call->n_input, MAX_RECORDS);
      return NULL;
    }
  return input;
}

static GArray *
collect_ids (MarketoSandboxCall *call)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (call->ids->len > 0)
    {
      for (guint i = 0; i < call->ids->len; i++)
        {
          gint64 id;

          if (!parse_id (call->ids->pdata[i], &id))
            {
              _marketo_sandbox_call_fail (call, 1003, "Invalid lead id '%s'",
                                          (char *) call->ids->pdata[i]);
              return NULL;
            }
          g_array_append_val (ids, id);
        }
    }
  else if (call->body != NULL && g_bytes_get_size (call->body) > 0)
    {
      JsonObject *body;
      JsonArray *input;

      if (!require_json_object (call, &body))
        return NULL;
      input = input_array (body);
      for (guint i = 0; input != NULL && i < json_array_get_length (input); i++)
        {
          JsonNode *element = json_array_get_element (input, i);
          JsonObject *object = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element)
                                                                : NULL;
          JsonNode *id_node = object != NULL ? json_object_get_member (object, "id") : NULL;
          gint64 id;

          if (id_node == NULL || !JSON_NODE_HOLDS_VALUE (id_node)
              || json_node_get_value_type (id_node) != G_TYPE_INT64
              || (id = json_node_get_int (id_node)) <= 0)
            {
              _marketo_sandbox_call_fail (call, 1003, "Invalid data: input[%u] has no valid id",
                                          i);
              return NULL;
            }
          g_array_append_val (ids, id);
        }
    }

  call->n_input = ids->len;
  if (ids->len == 0)
    {
      _marketo_sandbox_call_fail (call, 1003, "No lead ids: send id parameters or an input "
                                  "array");
      return NULL;
    }
  if (ids->len > MAX_RECORDS)
    {
      _marketo_sandbox_call_fail (call, 1003, "Too many lead ids: %u (at most %u)", ids->len,
                                  MAX_RECORDS);
      return NULL;
    }
  return g_steal_pointer (&ids);
}

/* ---- Leads ------------------------------------------------------------------------------- */

static void
route_describe (MarketoSandboxDb   *db,
                MarketoSandboxCall *call,
                gint64              id)
{
  guint n_fields;
  const SandboxField *fields = _sandbox_fields (&n_fields);
  JsonArray *result = json_array_new ();

  for (guint i = 0; i < n_fields; i++)
    {
      JsonObject *item = json_object_new ();
      JsonObject *rest = json_object_new ();

      json_object_set_int_member (item, "id", fields[i].id);
      json_object_set_string_member (item, "displayName", fields[i].display_name);
      json_object_set_string_member (item, "dataType", fields[i].data_type);
      if (fields[i].length > 0)
        json_object_set_int_member (item, "length", fields[i].length);
      json_object_set_string_member (rest, "name", fields[i].name);
      json_object_set_boolean_member (rest, "readOnly", fields[i].read_only);
      json_object_set_object_member (item, "rest", rest);
      if (fields[i].soap_name != NULL)
        {
          JsonObject *soap = json_object_new ();

          json_object_set_string_member (soap, "name", fields[i].soap_name);
          json_object_set_boolean_member (soap, "readOnly", fields[i].read_only);
          json_object_set_object_member (item, "soap", soap);
        }
      json_array_add_object_element (result, item);
    }
  _marketo_sandbox_call_succeed (call, result);
}

static void
route_describe2 (MarketoSandboxDb   *db,
                 MarketoSandboxCall *call,
                 gint64              id)
{
  guint n_fields;
  const SandboxField *fields = _sandbox_fields (&n_fields);
  JsonObject *object = json_object_new ();
  JsonArray *searchable = json_array_new ();
  JsonArray *list = json_array_new ();
  JsonArray *result = json_array_new ();

  json_object_set_string_member (object, "name", "API Lead");
  for (guint i = 0; i < n_fields; i++)
    {
      JsonObject *item = json_object_new ();

      if (fields[i].searchable)
        {
          JsonArray *key = json_array_new ();

          json_array_add_string_element (key, fields[i].name);
          json_array_add_array_element (searchable, key);
        }
      json_object_set_string_member (item, "name", fields[i].name);
      json_object_set_string_member (item, "displayName", fields[i].display_name);
      json_object_set_string_member (item, "dataType", fields[i].data_type);
      if (fields[i].length > 0)
        json_object_set_int_member (item, "length", fields[i].length);
      json_object_set_boolean_member (item, "updateable", !fields[i].read_only);
      json_object_set_boolean_member (item, "crmManaged", fields[i].crm_managed);
      json_array_add_object_element (list, item);
    }
  json_object_set_array_member (object, "searchableFields", searchable);
  json_object_set_array_member (object, "fields", list);
  json_array_add_object_element (result, object);
  _marketo_sandbox_call_succeed (call, result);
}

/* The index of field @name, which must allow lookups (@for_lookup) or searches; -1 after
 * failing @call with 1006 (unknown) or 1011 (not usable that way). */
static int
require_field (MarketoSandboxCall *call,
               const char         *name,
               gboolean            for_lookup)
{
  guint n_fields;
  const SandboxField *fields = _sandbox_fields (&n_fields);
  int field = _sandbox_field_index (name);

  if (field < 0)
    {
      _marketo_sandbox_call_fail (call, 1006, "Field '%s' not found", name);
      return -1;
    }
  if (for_lookup ? !fields[field].lookup : !fields[field].searchable)
    {
      _marketo_sandbox_call_fail (call, 1011, "Field '%s' not supported", name);
      return -1;
    }
  return field;
}

static void
route_get_leads (MarketoSandboxDb   *db,
                 MarketoSandboxCall *call,
                 gint64              id)
{
  const char *filter_type = param (call, "filterType");
  g_auto(GStrv) values = split_list (param (call, "filterValues"));
  g_autoptr(GArray) wanted = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GHashTable) seen = NULL;
  guint offset;
  int field;

  call->n_input = g_strv_length (values);
  if (filter_type == NULL)
    {
      _marketo_sandbox_call_fail (call, 1003, "filterType not specified");
      return;
    }
  field = require_field (call, filter_type, FALSE);
  if (field < 0)
    return;
  if (values[0] == NULL)
    {
      _marketo_sandbox_call_fail (call, 1003, "filterValues not specified");
      return;
    }
  if (call->n_input > MAX_RECORDS)
    {
      _marketo_sandbox_call_fail (call, 1003, "Too many filterValues: %u (at most %u)",
                                  call->n_input, MAX_RECORDS);
      return;
    }
  wanted = wanted_fields (call);
  if (wanted == NULL || !page_token_offset (call, &offset))
    return;

  items = g_ptr_array_new ();
  seen = g_hash_table_new (NULL, NULL);
  for (guint v = 0; values[v] != NULL; v++)
    {
      g_autoptr(GPtrArray) found = _marketo_sandbox_db_find (db, field, values[v]);

      for (guint i = 0; i < found->len; i++)
        {
          if (!g_hash_table_add (seen, found->pdata[i]))
            continue;
          if (g_hash_table_size (seen) > MAX_MATCHES)
            {
              _marketo_sandbox_call_fail (call, 1003, "Too many results match the filter");
              return;
            }
          g_ptr_array_add (items, found->pdata[i]);
        }
    }

  succeed_lead_page (call, db, items, NULL, wanted, offset, TRUE);
}

static void
route_get_lead (MarketoSandboxDb   *db,
                MarketoSandboxCall *call,
                gint64              id)
{
  g_autoptr(GArray) wanted = wanted_fields (call);
  SandboxLead *lead;
  JsonArray *result;

  if (wanted == NULL)
    return;
  result = json_array_new ();
  lead = _marketo_sandbox_db_get_lead (db, id);
  if (lead != NULL)
    json_array_add_object_element (result, _marketo_sandbox_lead_to_json (lead,
                                                                          (int *) wanted->data,
                                                                          wanted->len));
  _marketo_sandbox_call_succeed (call, result);
}

static gboolean
parse_action (const char    *text,
              SandboxAction *action)
{
  static const char *const names[] = { "createOrUpdate", "createOnly", "updateOnly",
                                       "createDuplicate" };

  if (text == NULL)
    {
      *action = SANDBOX_ACTION_CREATE_OR_UPDATE;
      return TRUE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (text, names[i]))
      {
        *action = i;
        return TRUE;
      }
  return FALSE;
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static void
route_sync_leads (MarketoSandboxDb   *db,
                  MarketoSandboxCall *call,
                  gint64              id)
{
  JsonObject *body;
  JsonArray *input;
  JsonArray *result;
  SandboxAction action;
  const char *action_name;
  const char *lookup_name;
  const char *partition_name;
  guint partition = 0;
  int lookup;

  input = require_input_records (call, &body);
  if (input == NULL)
    return;

  action_name = member_string (body, "action");
  if (!parse_action (action_name, &action))
    {
      _marketo_sandbox_call_fail (call, 1003, "Invalid action '%s'", action_name);
      return;
    }
  lookup_name = member_string (body, "lookupField");
  if (lookup_name == NULL)
    lookup_name = "email";
  lookup = require_field (call, lookup_name, TRUE);
  if (lookup < 0)
    return;
  partition_name = member_string (body, "partitionName");
  if (partition_name != NULL && (action == SANDBOX_ACTION_CREATE_OR_UPDATE
                                 || action == SANDBOX_ACTION_CREATE_ONLY
                                 || action == SANDBOX_ACTION_CREATE_DUPLICATE))
    {
      const SandboxPartition *found = _sandbox_partition_by_name (partition_name);

      partition = found != NULL ? found->id : G_MAXUINT;
    }

  result = json_array_new ();
  for (guint i = 0; i < call->n_input; i++)
    {
      JsonNode *element = json_array_get_element (input, i);
      g_autoptr(GArray) values = _sandbox_values_new ();
      g_autoptr(GList) members = NULL;
      JsonObject *record;
      SandboxOutcome outcome;
      JsonObject *entry = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          json_array_add_object_element (result, skipped (0, 1003, "Invalid data: a record "
                                                                   "must be an object"));
          continue;
        }
      record = json_node_get_object (element);
      members = json_object_get_members (record);
      for (GList *l = members; l != NULL && entry == NULL; l = l->next)
        {
          SandboxValue value = { _sandbox_field_index (l->data), NULL };
          g_autofree char *message = NULL;
          int code = 0;

          if (value.field < 0)
            {
              g_autofree char *text = g_strdup_printf ("Field '%s' not found",
                                                       (const char *) l->data);
              entry = skipped (0, 1006, text);
              break;
            }
          if (!_marketo_sandbox_coerce_json (value.field,
                                             json_object_get_member (record, l->data),
                                             &value.value, &code, &message))
            {
              entry = skipped (0, code, message);
              break;
            }
          g_array_append_val (values, value);
        }
      if (entry == NULL)
        {
          _marketo_sandbox_db_upsert (db, action, lookup, partition, call->partition_rule,
                                      values, call->now, &outcome);
          if (outcome.id != 0)
            {
              entry = status_entry (outcome.id, outcome.status);
              call->changed = TRUE;
            }
          else
            entry = skipped (0, outcome.code, outcome.message);
          g_free (outcome.message);
        }
      json_array_add_object_element (result, entry);
    }
  _marketo_sandbox_call_succeed (call, result);
}

static void
route_get_partitions (MarketoSandboxDb   *db,
                      MarketoSandboxCall *call,
                      gint64              id)
{
  guint n;
  const SandboxPartition *partitions = _sandbox_partitions (&n);
  JsonArray *result = json_array_new ();

  for (guint i = 0; i < n; i++)
    {
      JsonObject *item = json_object_new ();

      json_object_set_int_member (item, "id", partitions[i].id);
      json_object_set_string_member (item, "name", partitions[i].name);
      json_object_set_string_member (item, "description", partitions[i].description);
      json_array_add_object_element (result, item);
    }
  _marketo_sandbox_call_succeed (call, result);
}

static void
route_move_partitions (MarketoSandboxDb   *db,
                       MarketoSandboxCall *call,
                       gint64              id)
{
  JsonObject *body;
  JsonArray *input;
  JsonArray *result;

  input = require_input_records (call, &body);
  if (input == NULL)
    return;

  result = json_array_new ();
  for (guint i = 0; i < call->n_input; i++)
    {
      JsonNode *element = json_array_get_element (input, i);
      JsonObject *record = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element)
                                                            : NULL;
      JsonNode *id_node = record != NULL ? json_object_get_member (record, "id") : NULL;
      const SandboxPartition *partition = NULL;
      SandboxLead *lead = NULL;
      gint64 lead_id = 0;

      if (id_node != NULL && JSON_NODE_HOLDS_VALUE (id_node)
          && json_node_get_value_type (id_node) == G_TYPE_INT64)
        lead_id = json_node_get_int (id_node);
      if (record != NULL)
        partition = _sandbox_partition_by_name (member_string (record, "partitionName"));
      lead = _marketo_sandbox_db_get_lead (db, lead_id);
      if (lead == NULL)
        json_array_add_object_element (result, skipped (lead_id, 1004, "Lead not found"));
      else if (partition == NULL)
        json_array_add_object_element (result, skipped (lead_id, 1003,
                                                        "Invalid data: unknown partition"));
      else
        {
          _marketo_sandbox_db_set_partition (db, lead, partition->id);
          lead->updated_at = call->now;
          call->changed = TRUE;
          json_array_add_object_element (result, status_entry (lead_id, "updated"));
        }
    }
  _marketo_sandbox_call_succeed (call, result);
}

static void
route_usage (MarketoSandboxDb   *db,
             MarketoSandboxCall *call,
             gint64              id)
{
  JsonArray *result = json_array_new ();
  JsonObject *day = json_object_new ();
  JsonArray *users = json_array_new ();
  JsonObject *user = json_object_new ();

  json_object_set_string_member (day, "date", call->today);
  json_object_set_int_member (day, "total", call->calls_today);
  json_object_set_string_member (user, "userId", call->scope);
  json_object_set_int_member (user, "count", call->calls_today);
  json_array_add_object_element (users, user);
  json_object_set_array_member (day, "users", users);
  json_array_add_object_element (result, day);
  _marketo_sandbox_call_succeed (call, result);
}

/* ---- Lists: Lead Database side ----------------------------------------------------------- */

static JsonObject *
list_to_json (SandboxList *list,
              gboolean     asset)
{
  const SandboxFolder *folder = _sandbox_folder_by_id (list->folder_id);
  JsonObject *object = json_object_new ();
  g_autofree char *created = _sandbox_format_time (list->created_at, asset);
  g_autofree char *updated = _sandbox_format_time (list->updated_at, asset);

  json_object_set_int_member (object, "id", list->id);
  json_object_set_string_member (object, "name", list->name);
  if (asset)
    {
      JsonObject *folder_ref = json_object_new ();
      g_autofree char *url = g_strdup_printf ("https://app-sb01.marketo.com/#ST%"
                                              G_GINT64_FORMAT "A1", list->id);

      json_object_set_string_member (object, "description", list->description);
      json_object_set_string_member (object, "createdAt", created);
      json_object_set_string_member (object, "updatedAt", updated);
      json_object_set_string_member (object, "url", url);
      json_object_set_int_member (folder_ref, "id", list->folder_id);
      json_object_set_string_member (folder_ref, "type", folder ? folder->type : "Folder");
      json_object_set_object_member (object, "folder", folder_ref);
      json_object_set_string_member (object, "workspace", folder ? folder->workspace : "Default");
      json_object_set_string_member (object, "computedUrl", url);
    }
  else
    {
      if (list->description != NULL)
        json_object_set_string_member (object, "description", list->description);
      if (folder != NULL && g_str_equal (folder->type, "Program"))
        json_object_set_string_member (object, "programName", folder->name);
      json_object_set_string_member (object, "workspaceName",
                                     folder ? folder->workspace : "Default");
      json_object_set_string_member (object, "createdAt", created);
      json_object_set_string_member (object, "updatedAt", updated);
    }
  return object;
}

static gboolean
strv_has (GStrv       strv,
          const char *value)
{
  return strv[0] == NULL || (value != NULL && g_strv_contains ((const char *const *) strv, value));
}

static void
route_get_lists (MarketoSandboxDb   *db,
                 MarketoSandboxCall *call,
                 gint64              id)
{
  g_auto(GStrv) names = split_list (param (call, "name"));
  g_auto(GStrv) programs = split_list (param (call, "programName"));
  g_auto(GStrv) workspaces = split_list (param (call, "workspaceName"));
  JsonArray *page;
  guint offset;
  guint matched = 0;
  guint end;

  if (!page_token_offset (call, &offset))
    return;
  page = json_array_new ();
  end = offset + batch_size (call, MAX_RECORDS);
  for (guint i = 0; i < db->lists->len; i++)
    {
      SandboxList *list = db->lists->pdata[i];
      const SandboxFolder *folder = _sandbox_folder_by_id (list->folder_id);
      const char *program = folder && g_str_equal (folder->type, "Program") ? folder->name : NULL;
      gboolean id_ok = call->ids->len == 0;

      for (guint k = 0; !id_ok && k < call->ids->len; k++)
        {
          gint64 wanted;

          id_ok = parse_id (call->ids->pdata[k], &wanted) && wanted == list->id;
        }
      if (id_ok && strv_has (names, list->name) && strv_has (programs, program)
          && strv_has (workspaces, folder ? folder->workspace : "Default"))
        {
          if (matched >= offset && matched < end)
            json_array_add_object_element (page, list_to_json (list, FALSE));
          matched++;
        }
    }
  finish_page (call, page, MIN (end, matched), matched, TRUE);
}

static SandboxList *
require_list (MarketoSandboxDb   *db,
              MarketoSandboxCall *call,
              gint64              id)
{
  SandboxList *list = _marketo_sandbox_db_get_list (db, id);

  if (list == NULL)
    _marketo_sandbox_call_fail (call, 1013, "Object not found: static list %" G_GINT64_FORMAT,
                                id);
  return list;
}

static void
route_get_list (MarketoSandboxDb   *db,
                MarketoSandboxCall *call,
                gint64              id)
{
  SandboxList *list = require_list (db, call, id);
  JsonArray *result;

  if (list == NULL)
    return;
  result = json_array_new ();
  json_array_add_object_element (result, list_to_json (list, FALSE));
  _marketo_sandbox_call_succeed (call, result);
}

static void
route_list_members (MarketoSandboxDb   *db,
                    MarketoSandboxCall *call,
                    gint64              id)
{
  SandboxList *list = require_list (db, call, id);
  g_autoptr(GArray) wanted = NULL;
  guint offset;

  if (list == NULL || (wanted = wanted_fields (call)) == NULL
      || !page_token_offset (call, &offset))
    return;

  /* Get Leads by List sends the token without moreResult */
  succeed_lead_page (call, db, NULL, _sandbox_list_sorted (list), wanted, offset, FALSE);
}

/* What one list route does to a lead that exists: the entry it reports for @lead_id. */
typedef JsonObject *(*ListLeadFunc) (SandboxList        *list,
                                     MarketoSandboxCall *call,
                                     gint64              lead_id);

/* The lead ids of @call, one result entry each: 1004 for an unknown lead, else @func. */
static void
route_list_each_lead (MarketoSandboxDb   *db,
                      MarketoSandboxCall *call,
                      gint64              id,
                      ListLeadFunc        func)
{
  SandboxList *list = require_list (db, call, id);
  g_autoptr(GArray) ids = NULL;
  JsonArray *result;

  if (list == NULL || (ids = collect_ids (call)) == NULL)
    return;
  result = json_array_new ();
  for (guint i = 0; i < ids->len; i++)
    {
      gint64 lead_id = g_array_index (ids, gint64, i);

      if (_marketo_sandbox_db_get_lead (db, lead_id) == NULL)
        json_array_add_object_element (result, skipped (lead_id, 1004, "Lead not found"));
      else
        json_array_add_object_element (result, func (list, call, lead_id));
    }
  _marketo_sandbox_call_succeed (call, result);
}

static JsonObject *
list_lead_add (SandboxList        *list,
               MarketoSandboxCall *call,
               gint64              lead_id)
{
  _sandbox_list_add (list, lead_id, call->now);
  call->changed = TRUE;
  return status_entry (lead_id, "added");
}

static JsonObject *
list_lead_remove (SandboxList        *list,
                  MarketoSandboxCall *call,
                  gint64              lead_id)
{
  if (!_sandbox_list_remove (list, lead_id))
    return skipped (lead_id, 1015, "Lead not in list");
  list->updated_at = call->now;
  call->changed = TRUE;
  return status_entry (lead_id, "removed");
}

static JsonObject *
list_lead_ismember (SandboxList        *list,
                    MarketoSandboxCall *call,
                    gint64              lead_id)
{
  return status_entry (lead_id, g_hash_table_contains (list->members, &lead_id)
                                ? "memberof" : "notmemberof");
}

static void
route_list_add (MarketoSandboxDb   *db,
                MarketoSandboxCall *call,
                gint64              id)
{
  route_list_each_lead (db, call, id, list_lead_add);
}

static void
route_list_remove (MarketoSandboxDb   *db,
                   MarketoSandboxCall *call,
                   gint64              id)
{
  route_list_each_lead (db, call, id, list_lead_remove);
}

static void
route_list_ismember (MarketoSandboxDb   *db,
                     MarketoSandboxCall *call,
                     gint64              id)
{
  route_list_each_lead (db, call, id, list_lead_ismember);
}

/* ---- Asset API: static lists and folders ------------------------------------------------- */

static gboolean
require_form (MarketoSandboxCall *call)
{
  if (call->body != NULL && g_bytes_get_size (call->body) > 0
      && g_strcmp0 (call->content_type, "application/x-www-form-urlencoded") != 0)
    {
      _marketo_sandbox_call_fail (call, 612, "Invalid Content Type");
      return FALSE;
    }
  return TRUE;
}

/* {"id":12,"type":"Folder"} (or a bare id); FALSE with 1003 when unreadable. */
static gboolean
parse_folder_param (MarketoSandboxCall *call,
                    const char         *text,
                    gint64             *id,
                    char              **type)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;
  JsonObject *object;

  *type = NULL;
  if (parse_id (text, id))
    {
      *type = g_strdup ("Folder");
      return TRUE;
    }
  if (!json_parser_load_from_data (parser, text, -1, NULL)
      || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    goto invalid;
  object = json_node_get_object (root);
  if (!json_object_has_member (object, "id")
      || !JSON_NODE_HOLDS_VALUE (json_object_get_member (object, "id")))
    goto invalid;
  *id = json_object_get_int_member (object, "id");
  *type = g_strdup (member_string (object, "type") ? member_string (object, "type")
                                                   : "Folder");
  return TRUE;

invalid:
  _marketo_sandbox_call_fail (call, 1003, "Invalid folder '%s'", text);
  return FALSE;
}

static void
succeed_one_list (MarketoSandboxCall *call,
                  SandboxList        *list)
{
  JsonArray *result = json_array_new ();

  json_array_add_object_element (result, list_to_json (list, TRUE));
  _marketo_sandbox_call_succeed (call, result);
}

static void
route_asset_create_list (MarketoSandboxDb   *db,
                         MarketoSandboxCall *call,
                         gint64              id)
{
  const char *name = param (call, "name");
  const char *folder_text = param (call, "folder");
  const SandboxFolder *folder;
  g_autofree char *type = NULL;
  gint64 folder_id;

  if (!require_form (call))
    return;
  if (name == NULL)
    {
      _marketo_sandbox_call_fail (call, 701, "name cannot be blank");
      return;
    }
  if (folder_text == NULL)
    {
      _marketo_sandbox_call_fail (call, 701, "folder cannot be blank");
      return;
    }
  if (!parse_folder_param (call, folder_text, &folder_id, &type))
    return;
  folder = _sandbox_folder_by_id (folder_id);
  if (folder == NULL)
    {
      _marketo_sandbox_call_fail (call, 710, "Parent folder not found: %" G_GINT64_FORMAT,
                                  folder_id);
      return;
    }
  if (g_strcmp0 (type, folder->type) != 0)
    {
      _marketo_sandbox_call_fail (call, 711, "Incompatible folder type: %s is a %s",
                                  folder->name, folder->type);
      return;
    }
  if (_marketo_sandbox_db_find_list (db, name) != NULL)
    {
      _marketo_sandbox_call_fail (call, 709, "Static List with the same name already exists");
      return;
    }
  call->n_input = 1;
  call->changed = TRUE;
  succeed_one_list (call, _marketo_sandbox_db_add_list (db, name, param (call, "description"),
                                                        folder_id, call->now));
}

static void
route_asset_browse_lists (MarketoSandboxDb   *db,
                          MarketoSandboxCall *call,
                          gint64              id)
{
  const char *folder_text = param (call, "folder");
  const char *earliest_text = param (call, "earliestUpdatedAt");
  const char *latest_text = param (call, "latestUpdatedAt");
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) earliest = NULL;
  g_autoptr(GDateTime) latest = NULL;
  g_autofree char *type = NULL;
  gint64 folder_id = 0;
  guint64 offset = 0;
  guint64 max_return = 20;
  JsonArray *result;
  guint matched = 0;

  if (folder_text != NULL && !parse_folder_param (call, folder_text, &folder_id, &type))
    return;
  if (param (call, "offset") != NULL
      && !g_ascii_string_to_unsigned (param (call, "offset"), 10, 0, G_MAXUINT, &offset, NULL))
    {
      _marketo_sandbox_call_fail (call, 1003, "Invalid offset");
      return;
    }
  if (param (call, "maxReturn") != NULL
      && !g_ascii_string_to_unsigned (param (call, "maxReturn"), 10, 1, G_MAXUINT, &max_return,
                                      NULL))
    {
      _marketo_sandbox_call_fail (call, 1003, "Invalid maxReturn");
      return;
    }
  max_return = MIN (max_return, MAX_ASSET_RETURN);
  if ((earliest_text != NULL && (earliest = g_date_time_new_from_iso8601 (earliest_text, utc))
                                == NULL)
      || (latest_text != NULL && (latest = g_date_time_new_from_iso8601 (latest_text, utc))
                                 == NULL))
    {
      _marketo_sandbox_call_fail (call, 704, "Invalid date format");
      return;
    }

  result = json_array_new ();
  for (guint i = 0; i < db->lists->len; i++)
    {
      SandboxList *list = db->lists->pdata[i];
      gint64 updated = list->updated_at / G_USEC_PER_SEC;

      if (folder_id != 0 && list->folder_id != folder_id)
        continue;
      if (earliest != NULL && updated < g_date_time_to_unix (earliest))
        continue;
      if (latest != NULL && updated > g_date_time_to_unix (latest))
        continue;
      if (matched++ < offset || json_array_get_length (result) >= max_return)
        continue;
      json_array_add_object_element (result, list_to_json (list, TRUE));
    }
  succeed_assets (call, result);
}

static void
route_asset_get_list (MarketoSandboxDb   *db,
                      MarketoSandboxCall *call,
                      gint64              id)
{
  SandboxList *list = _marketo_sandbox_db_get_list (db, id);

  if (list == NULL)
    succeed_no_assets (call);
  else
    succeed_one_list (call, list);
}

static void
route_asset_list_by_name (MarketoSandboxDb   *db,
                          MarketoSandboxCall *call,
                          gint64              id)
{
  const char *name = param (call, "name");
  SandboxList *list;

  if (name == NULL)
    {
      _marketo_sandbox_call_fail (call, 701, "name cannot be blank");
      return;
    }
  list = _marketo_sandbox_db_find_list (db, name);
  if (list == NULL)
    succeed_no_assets (call);
  else
    succeed_one_list (call, list);
}

static void
route_asset_update_list (MarketoSandboxDb   *db,
                         MarketoSandboxCall *call,
                         gint64              id)
{
  SandboxList *list = _marketo_sandbox_db_get_list (db, id);
  const char *name = param (call, "name");
  const char *description = param (call, "description");
  SandboxList *other;

  if (!require_form (call))
    return;
  if (list == NULL)
    {
      _marketo_sandbox_call_fail (call, 702, "No data found: static list %" G_GINT64_FORMAT, id);
      return;
    }
  other = _marketo_sandbox_db_find_list (db, name);
  if (other != NULL && other != list)
    {
      _marketo_sandbox_call_fail (call, 709, "Static List with the same name already exists");
      return;
    }
  if (name != NULL)
    {
      g_free (list->name);
      list->name = g_strdup (name);
    }
  if (description != NULL)
    {
      g_free (list->description);
      list->description = g_strdup (description);
    }
  list->updated_at = call->now;
  call->changed = TRUE;
  succeed_one_list (call, list);
}

static void
route_asset_delete_list (MarketoSandboxDb   *db,
                         MarketoSandboxCall *call,
                         gint64              id)
{
  SandboxList *list = _marketo_sandbox_db_get_list (db, id);
  JsonArray *result;
  JsonObject *item;

  if (list == NULL)
    {
      _marketo_sandbox_call_fail (call, 702, "No data found: static list %" G_GINT64_FORMAT, id);
      return;
    }
  for (guint i = 0; i < db->jobs->len; i++)
    {
      SandboxJob *job = db->jobs->pdata[i];

      if (job->list_id == id && (job->state == SANDBOX_JOB_QUEUED
                                 || job->state == SANDBOX_JOB_IMPORTING))
        {
          _marketo_sandbox_call_fail (call, 709, "Static list is used by an import");
          return;
        }
    }
  _marketo_sandbox_db_remove_list (db, list);
  call->changed = TRUE;
  result = json_array_new ();
  item = json_object_new ();
  json_object_set_int_member (item, "id", id);
  json_array_add_object_element (result, item);
  _marketo_sandbox_call_succeed (call, result);
}

static JsonObject *
folder_to_json (const SandboxFolder *folder)
{
  JsonObject *object = json_object_new ();
  JsonObject *self_ref = json_object_new ();
  g_autofree char *url = g_strdup_printf ("https://app-sb01.marketo.com/#%s%" G_GINT64_FORMAT
                                          "A1", g_str_equal (folder->type, "Program") ? "PG"
                                                                                    : "MF",
                                          folder->id);

  json_object_set_int_member (object, "id", folder->id);
  json_object_set_string_member (object, "name", folder->name);
  json_object_set_string_member (object, "description", folder->description);
  json_object_set_string_member (object, "createdAt", "2023-01-01T00:00:00Z+0000");
  json_object_set_string_member (object, "updatedAt", "2023-01-01T00:00:00Z+0000");
  json_object_set_string_member (object, "url", url);
  json_object_set_int_member (self_ref, "id", folder->id);
  json_object_set_string_member (self_ref, "type", folder->type);
  json_object_set_object_member (object, "folderId", self_ref);
  json_object_set_string_member (object, "folderType",
                                 g_str_equal (folder->type, "Program") ? "Program"
                                                                       : "Marketing Folder");
  if (folder->parent_id != 0)
    {
      const SandboxFolder *parent = _sandbox_folder_by_id (folder->parent_id);
      JsonObject *parent_ref = json_object_new ();

      json_object_set_int_member (parent_ref, "id", folder->parent_id);
      json_object_set_string_member (parent_ref, "type", parent ? parent->type : "Folder");
      json_object_set_object_member (object, "parent", parent_ref);
    }
  else
    json_object_set_null_member (object, "parent");
  json_object_set_string_member (object, "path", folder->path);
  json_object_set_boolean_member (object, "isArchive", folder->is_archive);
  json_object_set_boolean_member (object, "isSystem", folder->parent_id == 0);
  json_object_set_int_member (object, "accessZoneId", 1);
  json_object_set_string_member (object, "workspace", folder->workspace);
  return object;
}

static void
route_asset_folder_by_name (MarketoSandboxDb   *db,
                            MarketoSandboxCall *call,
                            gint64              id)
{
  const char *name = param (call, "name");
  const char *type = param (call, "type");
  const char *workspace = param (call, "workSpace");
  guint n;
  const SandboxFolder *folders = _sandbox_folders (&n);
  JsonArray *result;

  if (name == NULL)
    {
      _marketo_sandbox_call_fail (call, 701, "name cannot be blank");
      return;
    }
  result = json_array_new ();
  for (guint i = 0; i < n; i++)
    {
      if (!g_str_equal (folders[i].name, name))
        continue;
      if (type != NULL && !g_str_equal (folders[i].type, type))
        continue;
      if (workspace != NULL && !g_str_equal (folders[i].workspace, workspace))
        continue;
      json_array_add_object_element (result, folder_to_json (&folders[i]));
    }
  succeed_assets (call, result);
}

/* Levels below @ancestor_id (1 for a child), or 0 when @folder is not under it. */
static guint
folder_depth_below (const SandboxFolder *folder,
                    gint64               ancestor_id)
{
  guint depth = 0;

  while (folder != NULL && folder->id != ancestor_id)
    {
      depth++;
      if (folder->parent_id == 0)
        return ancestor_id == 0 ? depth : 0;
      folder = _sandbox_folder_by_id (folder->parent_id);
    }
  return folder != NULL ? depth : 0;
}

/* folders.json: the root itself (when given) and what lies below it down to maxDepth levels
 * (default 2); without a root, the workspace roots count as the first level. */
static void
route_asset_browse_folders (MarketoSandboxDb   *db,
                            MarketoSandboxCall *call,
                            gint64              id)
{
  const char *root_text = param (call, "root");
  const char *workspace = param (call, "workSpace");
  g_autofree char *root_type = NULL;
  gint64 root_id = 0;
  guint64 max_depth = 2;
  guint64 offset = 0;
  guint64 max_return = 20;
  guint n;
  const SandboxFolder *folders = _sandbox_folders (&n);
  const SandboxFolder *root = NULL;
  JsonArray *result;
  guint matched = 0;

  if (root_text != NULL && !parse_folder_param (call, root_text, &root_id, &root_type))
    return;
  if (root_text != NULL)
    {
      root = _sandbox_folder_by_id (root_id);
      if (root == NULL || !g_str_equal (root->type, root_type))
        {
          succeed_no_assets (call);
          return;
        }
    }
  if ((param (call, "maxDepth") != NULL
       && !g_ascii_string_to_unsigned (param (call, "maxDepth"), 10, 1, G_MAXUINT, &max_depth,
                                       NULL))
      || (param (call, "offset") != NULL
          && !g_ascii_string_to_unsigned (param (call, "offset"), 10, 0, G_MAXUINT, &offset,
                                          NULL))
      || (param (call, "maxReturn") != NULL
          && !g_ascii_string_to_unsigned (param (call, "maxReturn"), 10, 1, MAX_ASSET_RETURN,
                                          &max_return, NULL)))
    {
      _marketo_sandbox_call_fail (call, 1003, "Invalid maxDepth, offset or maxReturn");
      return;
    }

  result = json_array_new ();
  for (guint i = 0; i < n; i++)
    {
      guint depth = folder_depth_below (&folders[i], root_id);

      if (root != NULL && folders[i].id == root_id)
        depth = 0;
      else if (depth == 0 || depth > max_depth)
        continue;
      if (workspace != NULL && !g_str_equal (folders[i].workspace, workspace))
        continue;
      if (matched++ < offset || json_array_get_length (result) >= max_return)
        continue;
      json_array_add_object_element (result, folder_to_json (&folders[i]));
    }
  succeed_assets (call, result);
}

/* ---- Bulk import ------------------------------------------------------------------------- */

static const char *
job_state_name (SandboxJobState state)
{
  switch (state)
    {
    case SANDBOX_JOB_QUEUED:
      return "Queued";
    case SANDBOX_JOB_IMPORTING:
      return "Importing";
    case SANDBOX_JOB_COMPLETE:
      return "Complete";
    case SANDBOX_JOB_FAILED:
      return "Failed";
    default:
      g_assert_not_reached ();
    }
}

static JsonObject *
job_to_json (SandboxJob *job,
             gboolean    full)
{
  JsonObject *object = json_object_new ();
  g_autofree char *import_id = g_strdup_printf ("%" G_GINT64_FORMAT, job->batch_id);

  json_object_set_int_member (object, "batchId", job->batch_id);
  json_object_set_string_member (object, "importId", import_id);
  json_object_set_string_member (object, "status", job_state_name (job->state));
  if (full)
    {
      json_object_set_int_member (object, "numOfLeadsProcessed", job->processed);
      json_object_set_int_member (object, "numOfRowsFailed", job->failed);
      json_object_set_int_member (object, "numOfRowsWithWarning", job->warned);
      json_object_set_string_member (object, "message", job->message);
    }
  return object;
}

static void
route_bulk_import (MarketoSandboxDb   *db,
                   MarketoSandboxCall *call,
                   gint64              id)
{
  g_autoptr(SoupMultipart) multipart = NULL;
  g_autoptr(GHashTable) form = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GBytes) file = NULL;
  const char *format;
  const char *lookup_name;
  const char *list_text;
  const char *partition_name;
  guint partition = 0;
  gint64 list_id = 0;
  int lookup;
  SandboxJob *job;
  JsonArray *result;

  if (g_strcmp0 (call->content_type, "multipart/form-data") != 0)
    {
      _marketo_sandbox_call_fail (call, 612, "Invalid Content Type");
      return;
    }
  if (call->body == NULL
      || (multipart = soup_multipart_new_from_message (call->request_headers, call->body))
         == NULL)
    {
      _marketo_sandbox_call_fail (call, 613, "Invalid Multipart Request");
      return;
    }
  for (int i = 0; i < soup_multipart_get_length (multipart); i++)
    {
      SoupMessageHeaders *headers;
      GBytes *body;
      g_autoptr(GHashTable) disposition_params = NULL;
      const char *name;

      if (!soup_multipart_get_part (multipart, i, &headers, &body)
          || !soup_message_headers_get_content_disposition (headers, NULL, &disposition_params))
        continue;
      name = g_hash_table_lookup (disposition_params, "name");
      if (g_strcmp0 (name, "file") == 0)
        file = g_bytes_ref (body);
      else if (name != NULL)
        g_hash_table_insert (form, g_strdup (name),
                             g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body)));
    }

#define BULK_PARAM(name) (param (call, name) ? param (call, name) \
                                             : (const char *) g_hash_table_lookup (form, name))
  format = BULK_PARAM ("format");
  lookup_name = BULK_PARAM ("lookupField");
  list_text = BULK_PARAM ("listId");
  partition_name = BULK_PARAM ("partitionName");
#undef BULK_PARAM

  if (file == NULL)
    {
      _marketo_sandbox_call_fail (call, 1003, "Invalid data: the 'file' part is missing");
      return;
    }
  if (format == NULL)
    {
      _marketo_sandbox_call_fail (call, 701, "format cannot be blank");
      return;
    }
  if (_sandbox_format_delimiter (format) == '\0')
    {
      _marketo_sandbox_call_fail (call, 1003, "Invalid format '%s': use csv, tsv or ssv",
                                  format);
      return;
    }
  lookup = require_field (call, lookup_name != NULL ? lookup_name : "email", TRUE);
  if (lookup < 0)
    return;
  if (list_text != NULL)
    {
      if (!parse_id (list_text, &list_id) || _marketo_sandbox_db_get_list (db, list_id) == NULL)
        {
          _marketo_sandbox_call_fail (call, 1013, "Object not found: static list %s",
                                      list_text);
          return;
        }
    }
  if (partition_name != NULL)
    {
      const SandboxPartition *found = _sandbox_partition_by_name (partition_name);

      if (found == NULL)
        {
          _marketo_sandbox_call_fail (call, 1003, "Invalid data: unknown partition '%s'",
                                      partition_name);
          return;
        }
      partition = found->id;
    }

  if (_marketo_sandbox_db_active_jobs (db) >= 10)
    {
      _marketo_sandbox_call_fail (call, 1016, "Too many imports");
      return;
    }
  for (guint i = 0; list_id != 0 && i < db->jobs->len; i++)
    {
      SandboxJob *other = db->jobs->pdata[i];

      if (other->list_id == list_id && (other->state == SANDBOX_JOB_QUEUED
                                        || other->state == SANDBOX_JOB_IMPORTING))
        {
          _marketo_sandbox_call_fail (call, 1019, "Import in progress");
          return;
        }
    }

  {
    gsize length = 0;
    const char *data = g_bytes_get_data (file, &length);
    guint lines = 0;

    for (gsize i = 0; i < length; i++)
      lines += data[i] == '\n';
    call->n_input = lines > 0 ? lines - 1 : 0;   /* the header is no record */
  }
  job = _marketo_sandbox_db_add_job (db, format, lookup, list_id, partition, file, call->now);
  call->changed = TRUE;
  result = json_array_new ();
  json_array_add_object_element (result, job_to_json (job, FALSE));
  _marketo_sandbox_call_succeed (call, result);
}

static SandboxJob *
require_job (MarketoSandboxDb   *db,
             MarketoSandboxCall *call,
             gint64              id)
{
  SandboxJob *job = _marketo_sandbox_db_get_job (db, id);

  if (job == NULL || call->now - job->created_at > call->batch_lifetime * G_USEC_PER_SEC)
    {
      _marketo_sandbox_call_fail (call, 1013, "Object not found: import batch %" G_GINT64_FORMAT
                                  " is unknown or has expired", id);
      return NULL;
    }
  return job;
}

static void
route_bulk_status (MarketoSandboxDb   *db,
                   MarketoSandboxCall *call,
                   gint64              id)
{
  SandboxJob *job = require_job (db, call, id);
  JsonArray *result;

  if (job == NULL)
    return;
  result = json_array_new ();
  json_array_add_object_element (result, job_to_json (job, TRUE));
  _marketo_sandbox_call_succeed (call, result);
}

static void
answer_job_file (MarketoSandboxCall *call,
                 SandboxJob         *job,
                 GString            *file)
{
  call->raw = g_bytes_new (file->str, file->len);
  call->raw_type = g_strdup (job->delimiter == '\t' ? "text/tab-separated-values"
                             : job->delimiter == ';' ? "text/plain" : "text/csv");
  call->http_status = SOUP_STATUS_OK;
  call->code = 0;
}

static void
route_bulk_failures (MarketoSandboxDb   *db,
                     MarketoSandboxCall *call,
                     gint64              id)
{
  SandboxJob *job = require_job (db, call, id);

  if (job != NULL)
    answer_job_file (call, job, job->failures);
}

static void
route_bulk_warnings (MarketoSandboxDb   *db,
                     MarketoSandboxCall *call,
                     gint64              id)
{
  SandboxJob *job = require_job (db, call, id);

  if (job != NULL)
    answer_job_file (call, job, job->warnings);
}

/* ---- Routing ----------------------------------------------------------------------------- */

typedef void (*RouteFunc) (MarketoSandboxDb   *db,
                           MarketoSandboxCall *call,
                           gint64              id);

static const struct {
  const char *pattern;       /* "{id}" matches a positive integer */
  const char *method;
  RouteFunc   func;
} routes[] = {
  { "/rest/v1/leads.json", "GET", route_get_leads },
  { "/rest/v1/leads.json", "POST", route_sync_leads },
  { "/rest/v1/leads/describe.json", "GET", route_describe },
  { "/rest/v1/leads/describe2.json", "GET", route_describe2 },
  { "/rest/v1/lead/{id}.json", "GET", route_get_lead },
  { "/rest/v1/leads/partitions.json", "GET", route_get_partitions },
  { "/rest/v1/leads/partitions.json", "POST", route_move_partitions },
  { "/rest/v1/lists.json", "GET", route_get_lists },
  { "/rest/v1/lists/{id}.json", "GET", route_get_list },
  { "/rest/v1/lists/{id}/leads.json", "GET", route_list_members },
  { "/rest/v1/list/{id}/leads.json", "GET", route_list_members },
  { "/rest/v1/lists/{id}/leads.json", "POST", route_list_add },
  { "/rest/v1/lists/{id}/leads.json", "DELETE", route_list_remove },
  { "/rest/v1/lists/{id}/leads/ismember.json", "GET", route_list_ismember },
  { "/rest/v1/stats/usage.json", "GET", route_usage },
  { "/rest/asset/v1/staticLists.json", "GET", route_asset_browse_lists },
  { "/rest/asset/v1/staticLists.json", "POST", route_asset_create_list },
  { "/rest/asset/v1/staticList/byName.json", "GET", route_asset_list_by_name },
  { "/rest/asset/v1/staticList/{id}.json", "GET", route_asset_get_list },
  { "/rest/asset/v1/staticList/{id}.json", "POST", route_asset_update_list },
  { "/rest/asset/v1/staticList/{id}/delete.json", "POST", route_asset_delete_list },
  { "/rest/asset/v1/folder/byName.json", "GET", route_asset_folder_by_name },
  { "/rest/asset/v1/folders.json", "GET", route_asset_browse_folders },
  { "/bulk/v1/leads.json", "POST", route_bulk_import },
  { "/bulk/v1/leads/batch/{id}.json", "GET", route_bulk_status },
  { "/bulk/v1/leads/batch/{id}/failures.json", "GET", route_bulk_failures },
  { "/bulk/v1/leads/batch/{id}/warnings.json", "GET", route_bulk_warnings },
};

static gboolean
match_pattern (const char *path,
               const char *pattern,
               gint64     *id)
{
  *id = 0;
  while (*pattern != '\0')
    {
      if (g_str_has_prefix (pattern, "{id}"))
        {
          const char *start = path;
          gint64 value = 0;

          while (g_ascii_isdigit (*path))
            {
              if (value > (G_MAXINT64 - 9) / 10)
                return FALSE;
              value = value * 10 + (*path - '0');
              path++;
            }
          if (path == start || value == 0)
            return FALSE;
          *id = value;
          pattern += 4;
          continue;
        }
      if (*path != *pattern)
        return FALSE;
      path++;
      pattern++;
    }
  return *path == '\0';
}

void
_marketo_sandbox_route (MarketoSandboxDb   *db,
                        MarketoSandboxCall *call)
{
  gboolean known = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      gint64 id;

      if (!match_pattern (call->path, routes[i].pattern, &id))
        continue;
      known = TRUE;
      if (g_str_equal (call->method, routes[i].method))
        {
          routes[i].func (db, call, id);
          return;
        }
    }

  if (known)
    _marketo_sandbox_call_fail (call, 605, "Request method '%s' not supported", call->method);
  else
    _marketo_sandbox_call_fail (call, 610, "Requested resource not found");
}
