/* push-instance-cache.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each kind is kept as JSON in the shape Marketo sends it (a Describe2 result object, an array
 * of partitions, an array of lists, an array of folders), and read back with the client's own
 * parsers, so the cache and a live answer can never be interpreted differently.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "marketo-types-private.h"
#include "push-instance-cache.h"
#include "push-store-private.h"

#define KIND_SCHEMA     "describe2"
#define KIND_PARTITIONS "partitions"
#define KIND_LISTS      "lists"
#define KIND_FOLDERS    "folders"

/* At most this many pages of lists (300 each) are fetched. */
#define MAX_LIST_PAGES 100
/* Folders: pages of 200, this many at most, and levels below the workspace roots. */
#define MAX_FOLDER_PAGES 100
#define FOLDER_DEPTH     32

struct _PushInstanceCache
{
  GObject    parent_instance;

  PushStore *store;   /* (owned) */
};

G_DEFINE_FINAL_TYPE (PushInstanceCache, push_instance_cache, G_TYPE_OBJECT)

/* ---- To JSON, in Marketo's own shapes ---- */

static void
add_string (JsonBuilder *builder,
            const char  *member,
            const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, value);
}

static void
add_time (JsonBuilder *builder,
          const char  *member,
          GDateTime   *value)
{
  g_autofree char *text = NULL;

  if (value == NULL)
    return;
  text = g_date_time_format_iso8601 (value);
  add_string (builder, member, text);
}

static JsonNode *
schema_to_json (const MarketoLeadSchema *schema)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_string (builder, "name", schema->name);
  json_builder_set_member_name (builder, "searchableFields");
  json_builder_begin_array (builder);
  for (guint i = 0; schema->searchable_fields != NULL && i < schema->searchable_fields->len; i++)
    {
      const char * const *key = g_ptr_array_index (schema->searchable_fields, i);

      json_builder_begin_array (builder);
      for (guint j = 0; key != NULL && key[j] != NULL; j++)
        json_builder_add_string_value (builder, key[j]);
      json_builder_end_array (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "fields");
  json_builder_begin_array (builder);
  for (guint i = 0; schema->fields != NULL && i < schema->fields->len; i++)
    {
      const MarketoField *field = g_ptr_array_index (schema->fields, i);

      json_builder_begin_object (builder);
      add_string (builder, "name", field->name);
      add_string (builder, "displayName", field->display_name);
      add_string (builder, "dataType", field->data_type);
      if (field->length >= 0)
        {
          json_builder_set_member_name (builder, "length");
          json_builder_add_int_value (builder, field->length);
        }
      json_builder_set_member_name (builder, "updateable");
      json_builder_add_boolean_value (builder, !field->read_only);
      json_builder_set_member_name (builder, "crmManaged");
      json_builder_add_boolean_value (builder, field->crm_managed);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static JsonNode *
partitions_to_json (GPtrArray *partitions)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_array (builder);
  for (guint i = 0; i < partitions->len; i++)
    {
      const MarketoPartition *partition = g_ptr_array_index (partitions, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, partition->id);
      add_string (builder, "name", partition->name);
      add_string (builder, "description", partition->description);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

static void
add_folder_ref (JsonBuilder *builder,
                const char  *member,
                gint64       id,
                const char  *type)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, id);
  add_string (builder, "type", type);
  json_builder_end_object (builder);
}

static JsonNode *
lists_to_json (GPtrArray *lists)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_array (builder);
  for (guint i = 0; i < lists->len; i++)
    {
      const MarketoList *list = g_ptr_array_index (lists, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, list->id);
      add_string (builder, "name", list->name);
      add_string (builder, "description", list->description);
      add_string (builder, "programName", list->program_name);
      add_string (builder, "workspaceName", list->workspace_name);
      add_time (builder, "createdAt", list->created_at);
      add_time (builder, "updatedAt", list->updated_at);
      if (list->folder_id != 0)
        add_folder_ref (builder, "folder", list->folder_id, list->folder_type);
      add_string (builder, "url", list->url);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

static JsonNode *
folders_to_json (GPtrArray *folders)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_array (builder);
  for (guint i = 0; i < folders->len; i++)
    {
      const MarketoFolder *folder = g_ptr_array_index (folders, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, folder->id);
      add_string (builder, "name", folder->name);
      add_folder_ref (builder, "folderId", folder->id, folder->type);
      add_string (builder, "path", folder->path);
      add_string (builder, "workspace", folder->workspace);
      json_builder_set_member_name (builder, "isArchive");
      json_builder_add_boolean_value (builder, folder->is_archive);
      if (folder->parent_id != 0)
        add_folder_ref (builder, "parent", folder->parent_id, folder->parent_type);
      add_string (builder, "url", folder->url);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

static char *
node_to_string (JsonNode *node)
{
  return json_to_string (node, FALSE);
}

/* ---- The table ---- */

/* The payload of (@account_id, @kind), parsed; NULL without an error when absent. */
static JsonNode *
read_payload (PushInstanceCache  *self,
              const char         *account_id,
              const char         *kind,
              GDateTime         **out_fetched,
              GError            **error)
{
  g_autoptr(PushStoreLocked) locker = _push_store_locker_new (self->store);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonParser) parser = NULL;
  int rc;

  stmt = _push_store_prepare (self->store,
                              "SELECT payload, fetched FROM instance_cache "
                              "WHERE account_id = ?1 AND kind = ?2",
                              _("Could not read the cached instance details"), error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, account_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_STATIC);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return NULL;
  if (rc != SQLITE_ROW)
    {
      _push_store_set_error (self->store, rc, _("Could not read the cached instance details"),
                             error);
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, (const char *) sqlite3_column_text (stmt, 0), -1,
                                   NULL))
    {
      g_set_error (error, PUSH_STORE_ERROR, PUSH_STORE_ERROR_CORRUPT,
                   _("The cached instance details are damaged; refresh them"));
      return NULL;
    }
  if (out_fetched != NULL)
    *out_fetched = g_date_time_new_from_unix_utc (sqlite3_column_int64 (stmt, 1));
  return json_node_ref (json_parser_get_root (parser));
}

static gboolean
write_payload (PushInstanceCache  *self,
               const char         *account_id,
               const char         *kind,
               JsonNode           *payload,
               gint64              fetched,
               GError            **error)
{
  g_autoptr(PushStoreLocked) locker = _push_store_locker_new (self->store);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *text = node_to_string (payload);
  int rc;

  stmt = _push_store_prepare (self->store,
                              "INSERT OR REPLACE INTO instance_cache "
                              "(account_id, kind, payload, fetched) VALUES (?1, ?2, ?3, ?4)",
                              _("Could not save the instance details"), error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, account_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, fetched);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      _push_store_set_error (self->store, rc, _("Could not save the instance details"), error);
      return FALSE;
    }
  return TRUE;
}

/* The array payload of (@account_id, @kind), each object read by @parse; NULL without an error
 * when absent. */
static GPtrArray *
read_array (PushInstanceCache  *self,
            const char         *account_id,
            const char         *kind,
            gpointer          (*parse) (JsonObject *object),
            GDestroyNotify      free_func,
            GDateTime         **out_fetched,
            GError            **error)
{
  g_autoptr(JsonNode) payload = NULL;
  g_autoptr(GPtrArray) items = NULL;
  JsonArray *array;

  payload = read_payload (self, account_id, kind, out_fetched, error);
  if (payload == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (payload))
    {
      g_set_error (error, PUSH_STORE_ERROR, PUSH_STORE_ERROR_CORRUPT,
                   _("The cached instance details are damaged; refresh them"));
      return NULL;
    }
  items = g_ptr_array_new_with_free_func (free_func);
  array = json_node_get_array (payload);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_OBJECT (node))
        g_ptr_array_add (items, parse (json_node_get_object (node)));
    }
  return g_steal_pointer (&items);
}

/* ---- GObject ---- */

static void
push_instance_cache_finalize (GObject *object)
{
  PushInstanceCache *self = PUSH_INSTANCE_CACHE (object);

  g_clear_object (&self->store);
  G_OBJECT_CLASS (push_instance_cache_parent_class)->finalize (object);
}

static void
push_instance_cache_class_init (PushInstanceCacheClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = push_instance_cache_finalize;
}

static void
push_instance_cache_init (PushInstanceCache *self)
{
}

PushInstanceCache *
push_instance_cache_new (PushStore *store)
{
  PushInstanceCache *self;

  g_return_val_if_fail (PUSH_IS_STORE (store), NULL);

  self = g_object_new (PUSH_TYPE_INSTANCE_CACHE, NULL);
  self->store = g_object_ref (store);
  return self;
}

MarketoLeadSchema *
push_instance_cache_get_schema (PushInstanceCache  *self,
                                const char         *account_id,
                                GDateTime         **out_fetched,
                                GError            **error)
{
  g_autoptr(JsonNode) payload = NULL;

  g_return_val_if_fail (PUSH_IS_INSTANCE_CACHE (self), NULL);
  g_return_val_if_fail (account_id != NULL, NULL);

  payload = read_payload (self, account_id, KIND_SCHEMA, out_fetched, error);
  if (payload == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (payload))
    {
      g_set_error (error, PUSH_STORE_ERROR, PUSH_STORE_ERROR_CORRUPT,
                   _("The cached instance details are damaged; refresh them"));
      return NULL;
    }
  return _marketo_lead_schema_from_json (json_node_get_object (payload));
}

GPtrArray *
push_instance_cache_get_partitions (PushInstanceCache  *self,
                                    const char         *account_id,
                                    GDateTime         **out_fetched,
                                    GError            **error)
{
  g_return_val_if_fail (PUSH_IS_INSTANCE_CACHE (self), NULL);
  g_return_val_if_fail (account_id != NULL, NULL);

  return read_array (self, account_id, KIND_PARTITIONS,
                     (gpointer (*) (JsonObject *)) _marketo_partition_from_json,
                     (GDestroyNotify) marketo_partition_free, out_fetched, error);
}

GPtrArray *
push_instance_cache_get_lists (PushInstanceCache  *self,
                               const char         *account_id,
                               GDateTime         **out_fetched,
                               GError            **error)
{
  g_return_val_if_fail (PUSH_IS_INSTANCE_CACHE (self), NULL);
  g_return_val_if_fail (account_id != NULL, NULL);

  return read_array (self, account_id, KIND_LISTS,
                     (gpointer (*) (JsonObject *)) _marketo_list_from_json,
                     (GDestroyNotify) marketo_list_free, out_fetched, error);
}

GPtrArray *
push_instance_cache_get_folders (PushInstanceCache  *self,
                                 const char         *account_id,
                                 GDateTime         **out_fetched,
                                 GError            **error)
{
  g_return_val_if_fail (PUSH_IS_INSTANCE_CACHE (self), NULL);
  g_return_val_if_fail (account_id != NULL, NULL);

  return read_array (self, account_id, KIND_FOLDERS,
                     (gpointer (*) (JsonObject *)) _marketo_folder_from_json,
                     (GDestroyNotify) marketo_folder_free, out_fetched, error);
}

gboolean
push_instance_cache_get_fresh (PushInstanceCache  *self,
                               const char         *account_id,
                               MarketoLeadSchema **out_schema,
                               GPtrArray         **out_partitions)
{
  g_autoptr(GDateTime) schema_time = NULL;
  g_autoptr(GDateTime) partitions_time = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(MarketoLeadSchema) schema = NULL;
  g_autoptr(GPtrArray) partitions = NULL;

  g_return_val_if_fail (PUSH_IS_INSTANCE_CACHE (self), FALSE);
  g_return_val_if_fail (account_id != NULL, FALSE);
  g_return_val_if_fail (out_schema != NULL && out_partitions != NULL, FALSE);

  schema = push_instance_cache_get_schema (self, account_id, &schema_time, NULL);
  partitions = push_instance_cache_get_partitions (self, account_id, &partitions_time, NULL);
  if (schema == NULL || partitions == NULL || schema_time == NULL || partitions_time == NULL ||
      g_date_time_difference (now, schema_time) > PUSH_INSTANCE_CACHE_MAX_AGE ||
      g_date_time_difference (now, partitions_time) > PUSH_INSTANCE_CACHE_MAX_AGE)
    return FALSE;

  *out_schema = g_steal_pointer (&schema);
  *out_partitions = g_steal_pointer (&partitions);
  return TRUE;
}

/* ---- Refresh: describe2, partitions, the pages of lists, the pages of folders ---- */

typedef struct {
  char              *account_id;
  MarketoClient     *client;
  MarketoLeadSchema *schema;
  GPtrArray         *partitions;
  GPtrArray         *lists;
  GPtrArray         *folders;
  guint              pages;
} RefreshData;

static void
refresh_data_free (RefreshData *data)
{
  g_free (data->account_id);
  g_clear_object (&data->client);
  g_clear_pointer (&data->schema, marketo_lead_schema_free);
  g_clear_pointer (&data->partitions, g_ptr_array_unref);
  g_clear_pointer (&data->lists, g_ptr_array_unref);
  g_clear_pointer (&data->folders, g_ptr_array_unref);
  g_free (data);
}

static void lists_page_cb (GObject *source, GAsyncResult *result, gpointer user_data);
static void folders_page_cb (GObject *source, GAsyncResult *result, gpointer user_data);

static void
request_lists_page (GTask      *task,
                    const char *page_token)
{
  RefreshData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  marketo_client_get_lists_async (data->client, NULL, 0, NULL, NULL, NULL, page_token, 0,
                                  cancellable, lists_page_cb, task);
}

static void
request_folders_page (GTask *task,
                      guint  offset)
{
  RefreshData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  marketo_client_browse_folders_async (data->client, 0, NULL, FOLDER_DEPTH, offset, 200,
                                       cancellable, folders_page_cb, task);
}

static void
save_all (GTask *task)
{
  PushInstanceCache *self = g_task_get_source_object (task);
  RefreshData *data = g_task_get_task_data (task);
  g_autoptr(JsonNode) schema = schema_to_json (data->schema);
  g_autoptr(JsonNode) partitions = partitions_to_json (data->partitions);
  g_autoptr(JsonNode) lists = lists_to_json (data->lists);
  g_autoptr(JsonNode) folders = folders_to_json (data->folders);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  GError *error = NULL;

  if (!push_store_begin (self->store, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (!write_payload (self, data->account_id, KIND_SCHEMA, schema, now, &error) ||
      !write_payload (self, data->account_id, KIND_PARTITIONS, partitions, now, &error) ||
      !write_payload (self, data->account_id, KIND_LISTS, lists, now, &error) ||
      !write_payload (self, data->account_id, KIND_FOLDERS, folders, now, &error))
    {
      push_store_rollback (self->store);
      g_task_return_error (task, error);
      return;
    }
  if (!push_store_commit (self->store, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
lists_page_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RefreshData *data = g_task_get_task_data (task);
  g_autoptr(MarketoListPage) page = NULL;
  GError *error = NULL;

  page = marketo_client_get_lists_finish (MARKETO_CLIENT (source), result, &error);
  if (page == NULL)
    {
      g_prefix_error (&error, "%s", _("Could not fetch the instance’s lists: "));
      g_task_return_error (task, error);
      return;
    }

  for (guint i = 0; i < page->lists->len; i++)
    g_ptr_array_add (data->lists, marketo_list_copy (g_ptr_array_index (page->lists, i)));

  if (page->more_result && page->next_page_token != NULL && ++data->pages < MAX_LIST_PAGES)
    {
      request_lists_page (g_steal_pointer (&task), page->next_page_token);
      return;
    }
  data->pages = 0;
  request_folders_page (g_steal_pointer (&task), 0);
}

static void
folders_page_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RefreshData *data = g_task_get_task_data (task);
  g_autoptr(MarketoFolderPage) page = NULL;
  GError *error = NULL;

  page = marketo_client_browse_folders_finish (MARKETO_CLIENT (source), result, &error);
  if (page == NULL)
    {
      g_prefix_error (&error, "%s", _("Could not fetch the instance’s folders: "));
      g_task_return_error (task, error);
      return;
    }

  for (guint i = 0; i < page->folders->len; i++)
    g_ptr_array_add (data->folders, marketo_folder_copy (g_ptr_array_index (page->folders, i)));

  if (page->more_result && ++data->pages < MAX_FOLDER_PAGES)
    {
      request_folders_page (g_steal_pointer (&task), page->next_offset);
      return;
    }
  save_all (task);
}

static void
partitions_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RefreshData *data = g_task_get_task_data (task);
  GError *error = NULL;

  data->partitions = marketo_client_get_partitions_finish (MARKETO_CLIENT (source), result,
                                                           &error);
  if (data->partitions == NULL)
    {
      g_prefix_error (&error, "%s", _("Could not fetch the instance’s partitions: "));
      g_task_return_error (task, error);
      return;
    }
  request_lists_page (g_steal_pointer (&task), NULL);
}

static void
describe_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RefreshData *data = g_task_get_task_data (task);
  GCancellable *cancellable;
  GError *error = NULL;

  data->schema = marketo_client_describe_leads2_finish (MARKETO_CLIENT (source), result, &error);
  if (data->schema == NULL)
    {
      g_prefix_error (&error, "%s", _("Could not fetch the instance’s lead fields: "));
      g_task_return_error (task, error);
      return;
    }
  /* (the cancellable first: argument evaluation order is unspecified) */
  cancellable = g_task_get_cancellable (task);
  marketo_client_get_partitions_async (data->client, cancellable, partitions_cb,
                                       g_steal_pointer (&task));
}

void
push_instance_cache_refresh_async (PushInstanceCache   *self,
                                   const char          *account_id,
                                   MarketoClient       *client,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RefreshData *data;

  g_return_if_fail (PUSH_IS_INSTANCE_CACHE (self));
  g_return_if_fail (account_id != NULL);
  g_return_if_fail (MARKETO_IS_CLIENT (client));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, push_instance_cache_refresh_async);
  data = g_new0 (RefreshData, 1);
  data->account_id = g_strdup (account_id);
  data->client = g_object_ref (client);
  data->lists = g_ptr_array_new_with_free_func ((GDestroyNotify) marketo_list_free);
  data->folders = g_ptr_array_new_with_free_func ((GDestroyNotify) marketo_folder_free);
  g_task_set_task_data (task, data, (GDestroyNotify) refresh_data_free);

  marketo_client_describe_leads2_async (client, cancellable, describe_cb,
                                        g_steal_pointer (&task));
}

gboolean
push_instance_cache_refresh_finish (PushInstanceCache  *self,
                                    GAsyncResult       *result,
                                    GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        push_instance_cache_refresh_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
refresh_sync_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

gboolean
push_instance_cache_refresh_sync (PushInstanceCache  *self,
                                  const char         *account_id,
                                  MarketoClient      *client,
                                  GCancellable       *cancellable,
                                  GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GMainContext *context = g_main_context_get_thread_default ();

  /* The client answers in the context it was created in: iterate that one. */
  push_instance_cache_refresh_async (self, account_id, client, cancellable, refresh_sync_cb,
                                     &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  return push_instance_cache_refresh_finish (self, result, error);
}
