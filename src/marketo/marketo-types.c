/* marketo-types.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "marketo-types.h"
#include "marketo-types-private.h"

/* ----------------------------------------------------------------------------------------- */
/* JSON helpers                                                                              */

const char *
_marketo_json_get_string (JsonObject *object,
                          const char *member)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return NULL;
  node = json_object_get_member (object, member);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* Integers may come as numbers or as quoted strings ("601"). */
gboolean
_marketo_json_get_int (JsonObject *object,
                       const char *member,
                       gint64     *out_value)
{
  JsonNode *node;
  GType type;

  if (object == NULL || !json_object_has_member (object, member))
    return FALSE;
  node = json_object_get_member (object, member);
  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    {
      *out_value = json_node_get_int (node);
      return TRUE;
    }
  if (type == G_TYPE_DOUBLE)
    {
      *out_value = (gint64) json_node_get_double (node);
      return TRUE;
    }
  if (type == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (node);
      char *end = NULL;
      gint64 value;

      if (text == NULL || *text == '\0')
        return FALSE;
      value = g_ascii_strtoll (text, &end, 10);
      if (end == NULL || *end != '\0')
        return FALSE;
      *out_value = value;
      return TRUE;
    }
  return FALSE;
}

gint64
_marketo_json_get_int_or (JsonObject *object,
                          const char *member,
                          gint64      fallback)
{
  gint64 value;

  return _marketo_json_get_int (object, member, &value) ? value : fallback;
}

gboolean
_marketo_json_get_bool_or (JsonObject *object,
                           const char *member,
                           gboolean    fallback)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return fallback;
  node = json_object_get_member (object, member);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fallback;
  return json_node_get_boolean (node);
}

JsonObject *
_marketo_json_get_object (JsonObject *object,
                          const char *member)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return NULL;
  node = json_object_get_member (object, member);
  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonArray *
_marketo_json_get_array (JsonObject *object,
                         const char *member)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return NULL;
  node = json_object_get_member (object, member);
  return JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static char *
dup_string (JsonObject *object,
            const char *member)
{
  return g_strdup (_marketo_json_get_string (object, member));
}

GDateTime *
marketo_parse_datetime (const char *text)
{
  g_autofree char *copy = NULL;
  g_autoptr(GTimeZone) utc = NULL;
  gsize len;

  if (text == NULL || *text == '\0')
    return NULL;

  /* The Asset API writes "…Z+0000": drop what follows the Z. */
  copy = g_strdup (text);
  len = strlen (copy);
  if (len > 5 && copy[len - 6] == 'Z' && (copy[len - 5] == '+' || copy[len - 5] == '-'))
    copy[len - 5] = '\0';

  utc = g_time_zone_new_utc ();
  return g_date_time_new_from_iso8601 (copy, utc);
}

static GDateTime *
dup_datetime (JsonObject *object,
              const char *member)
{
  return marketo_parse_datetime (_marketo_json_get_string (object, member));
}

static GDateTime *
ref_datetime (GDateTime *time)
{
  return time != NULL ? g_date_time_ref (time) : NULL;
}

/* ----------------------------------------------------------------------------------------- */
/* MarketoField                                                                              */

G_DEFINE_BOXED_TYPE (MarketoField, marketo_field, marketo_field_copy, marketo_field_free)

MarketoField *
marketo_field_copy (const MarketoField *field)
{
  MarketoField *copy = g_new0 (MarketoField, 1);

  copy->name = g_strdup (field->name);
  copy->display_name = g_strdup (field->display_name);
  copy->data_type = g_strdup (field->data_type);
  copy->length = field->length;
  copy->read_only = field->read_only;
  copy->id = field->id;
  copy->soap_name = g_strdup (field->soap_name);
  copy->crm_managed = field->crm_managed;
  return copy;
}

void
marketo_field_free (MarketoField *field)
{
  if (field == NULL)
    return;
  g_free (field->name);
  g_free (field->display_name);
  g_free (field->data_type);
  g_free (field->soap_name);
  g_free (field);
}

MarketoField *
_marketo_field_from_describe (JsonObject *object)
{
  MarketoField *field = g_new0 (MarketoField, 1);
  JsonObject *rest = _marketo_json_get_object (object, "rest");
  JsonObject *soap = _marketo_json_get_object (object, "soap");

  field->id = _marketo_json_get_int_or (object, "id", 0);
  field->display_name = dup_string (object, "displayName");
  field->data_type = dup_string (object, "dataType");
  field->length = _marketo_json_get_int_or (object, "length", -1);
  if (rest != NULL)
    {
      field->name = dup_string (rest, "name");
      field->read_only = _marketo_json_get_bool_or (rest, "readOnly", FALSE);
    }
  else
    {
      field->read_only = TRUE;
    }
  if (soap != NULL)
    field->soap_name = dup_string (soap, "name");
  return field;
}

MarketoField *
_marketo_field_from_describe2 (JsonObject *object)
{
  MarketoField *field = g_new0 (MarketoField, 1);

  field->name = dup_string (object, "name");
  field->display_name = dup_string (object, "displayName");
  field->data_type = dup_string (object, "dataType");
  field->length = _marketo_json_get_int_or (object, "length", -1);
  field->read_only = !_marketo_json_get_bool_or (object, "updateable", TRUE);
  field->crm_managed = _marketo_json_get_bool_or (object, "crmManaged", FALSE);
  return field;
}

/* ----------------------------------------------------------------------------------------- */
/* MarketoLeadSchema                                                                         */

G_DEFINE_BOXED_TYPE (MarketoLeadSchema, marketo_lead_schema,
                     marketo_lead_schema_copy, marketo_lead_schema_free)

static gpointer
copy_field (gconstpointer src,
            gpointer      data)
{
  return marketo_field_copy (src);
}

static gpointer
copy_strv (gconstpointer src,
           gpointer      data)
{
  return g_strdupv ((char **) src);
}

MarketoLeadSchema *
marketo_lead_schema_copy (const MarketoLeadSchema *schema)
{
  MarketoLeadSchema *copy = g_new0 (MarketoLeadSchema, 1);

  copy->name = g_strdup (schema->name);
  copy->fields = g_ptr_array_copy (schema->fields, copy_field, NULL);
  g_ptr_array_set_free_func (copy->fields, (GDestroyNotify) marketo_field_free);
  copy->searchable_fields = g_ptr_array_copy (schema->searchable_fields, copy_strv, NULL);
  g_ptr_array_set_free_func (copy->searchable_fields, (GDestroyNotify) g_strfreev);
  return copy;
}

void
marketo_lead_schema_free (MarketoLeadSchema *schema)
{
  if (schema == NULL)
    return;
  g_free (schema->name);
  g_clear_pointer (&schema->fields, g_ptr_array_unref);
  g_clear_pointer (&schema->searchable_fields, g_ptr_array_unref);
  g_free (schema);
}

MarketoField *
marketo_lead_schema_lookup_field (const MarketoLeadSchema *schema,
                                  const char              *name)
{
  g_return_val_if_fail (schema != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < schema->fields->len; i++)
    {
      MarketoField *field = g_ptr_array_index (schema->fields, i);

      if (g_strcmp0 (field->name, name) == 0)
        return field;
    }
  return NULL;
}

gboolean
marketo_lead_schema_is_searchable (const MarketoLeadSchema *schema,
                                   const char              *name)
{
  g_return_val_if_fail (schema != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; i < schema->searchable_fields->len; i++)
    {
      char **key = g_ptr_array_index (schema->searchable_fields, i);

      if (g_strv_length (key) == 1 && g_str_equal (key[0], name))
        return TRUE;
    }
  return FALSE;
}

MarketoLeadSchema *
_marketo_lead_schema_from_json (JsonObject *object)
{
  MarketoLeadSchema *schema = g_new0 (MarketoLeadSchema, 1);
  JsonArray *fields = _marketo_json_get_array (object, "fields");
  JsonArray *searchable = _marketo_json_get_array (object, "searchableFields");

  schema->name = dup_string (object, "name");
  schema->fields = g_ptr_array_new_with_free_func ((GDestroyNotify) marketo_field_free);
  schema->searchable_fields = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  for (guint i = 0; fields != NULL && i < json_array_get_length (fields); i++)
    {
      JsonNode *node = json_array_get_element (fields, i);

      if (JSON_NODE_HOLDS_OBJECT (node))
        g_ptr_array_add (schema->fields, _marketo_field_from_describe2 (json_node_get_object (node)));
    }

  for (guint i = 0; searchable != NULL && i < json_array_get_length (searchable); i++)
    {
      JsonNode *node = json_array_get_element (searchable, i);
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

      if (JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *key = json_node_get_array (node);

          for (guint j = 0; j < json_array_get_length (key); j++)
            {
              JsonNode *part = json_array_get_element (key, j);

              if (JSON_NODE_HOLDS_VALUE (part) && json_node_get_value_type (part) == G_TYPE_STRING)
                g_strv_builder_add (builder, json_node_get_string (part));
            }
        }
      else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        {
          /* Tolerate a flat list of names. */
          g_strv_builder_add (builder, json_node_get_string (node));
        }
      else
        {
          continue;
        }
      g_ptr_array_add (schema->searchable_fields, g_strv_builder_end (builder));
    }

  return schema;
}

/* ----------------------------------------------------------------------------------------- */
/* MarketoPartition                                                                          */

G_DEFINE_BOXED_TYPE (MarketoPartition, marketo_partition,
                     marketo_partition_copy, marketo_partition_free)

MarketoPartition *
marketo_partition_copy (const MarketoPartition *partition)
{
  MarketoPartition *copy = g_new0 (MarketoPartition, 1);

  copy->id = partition->id;
  copy->name = g_strdup (partition->name);
  copy->description = g_strdup (partition->description);
  return copy;
}

void
marketo_partition_free (MarketoPartition *partition)
{
  if (partition == NULL)
    return;
  g_free (partition->name);
  g_free (partition->description);
  g_free (partition);
}

MarketoPartition *
_marketo_partition_from_json (JsonObject *object)
{
  MarketoPartition *partition = g_new0 (MarketoPartition, 1);

  partition->id = _marketo_json_get_int_or (object, "id", 0);
  partition->name = dup_string (object, "name");
  partition->description = dup_string (object, "description");
  return partition;
}

/* ----------------------------------------------------------------------------------------- */
/* MarketoList and MarketoListPage                                                           */

G_DEFINE_BOXED_TYPE (MarketoList, marketo_list, marketo_list_copy, marketo_list_free)

MarketoList *
marketo_list_copy (const MarketoList *list)
{
  MarketoList *copy = g_new0 (MarketoList, 1);

  copy->id = list->id;
  copy->name = g_strdup (list->name);
  copy->description = g_strdup (list->description);
  copy->program_name = g_strdup (list->program_name);
  copy->workspace_name = g_strdup (list->workspace_name);
  copy->created_at = ref_datetime (list->created_at);
  copy->updated_at = ref_datetime (list->updated_at);
  copy->folder_id = list->folder_id;
  copy->folder_type = g_strdup (list->folder_type);
  copy->url = g_strdup (list->url);
  return copy;
}

void
marketo_list_free (MarketoList *list)
{
  if (list == NULL)
    return;
  g_free (list->name);
  g_free (list->description);
  g_free (list->program_name);
  g_free (list->workspace_name);
  g_clear_pointer (&list->created_at, g_date_time_unref);
  g_clear_pointer (&list->updated_at, g_date_time_unref);
  g_free (list->folder_type);
  g_free (list->url);
  g_free (list);
}

MarketoList *
_marketo_list_from_json (JsonObject *object)
{
  MarketoList *list = g_new0 (MarketoList, 1);
  JsonObject *folder = _marketo_json_get_object (object, "folder");

  list->id = _marketo_json_get_int_or (object, "id", 0);
  list->name = dup_string (object, "name");
  list->description = dup_string (object, "description");
  list->program_name = dup_string (object, "programName");
  list->workspace_name = dup_string (object, "workspaceName");
  if (list->workspace_name == NULL)
    list->workspace_name = dup_string (object, "workspace");
  list->created_at = dup_datetime (object, "createdAt");
  list->updated_at = dup_datetime (object, "updatedAt");
  if (folder != NULL)
    {
      list->folder_id = _marketo_json_get_int_or (folder, "id", 0);
      list->folder_type = dup_string (folder, "type");
    }
  list->url = dup_string (object, "computedUrl");
  if (list->url == NULL)
    list->url = dup_string (object, "url");
  return list;
}

G_DEFINE_BOXED_TYPE (MarketoListPage, marketo_list_page,
                     marketo_list_page_copy, marketo_list_page_free)

static gpointer
copy_list (gconstpointer src,
           gpointer      data)
{
  return marketo_list_copy (src);
}

MarketoListPage *
_marketo_list_page_new (void)
{
  MarketoListPage *page = g_new0 (MarketoListPage, 1);

  page->lists = g_ptr_array_new_with_free_func ((GDestroyNotify) marketo_list_free);
  return page;
}

MarketoListPage *
marketo_list_page_copy (const MarketoListPage *page)
{
  MarketoListPage *copy = g_new0 (MarketoListPage, 1);

  copy->lists = g_ptr_array_copy (page->lists, copy_list, NULL);
  g_ptr_array_set_free_func (copy->lists, (GDestroyNotify) marketo_list_free);
  copy->next_page_token = g_strdup (page->next_page_token);
  copy->more_result = page->more_result;
  copy->next_offset = page->next_offset;
  return copy;
}

void
marketo_list_page_free (MarketoListPage *page)
{
  if (page == NULL)
    return;
  g_clear_pointer (&page->lists, g_ptr_array_unref);
  g_free (page->next_page_token);
  g_free (page);
}

/* ----------------------------------------------------------------------------------------- */
/* MarketoFolder and MarketoFolderPage                                                       */

G_DEFINE_BOXED_TYPE (MarketoFolder, marketo_folder, marketo_folder_copy, marketo_folder_free)

MarketoFolder *
marketo_folder_copy (const MarketoFolder *folder)
{
  MarketoFolder *copy = g_new0 (MarketoFolder, 1);

  copy->id = folder->id;
  copy->name = g_strdup (folder->name);
  copy->type = g_strdup (folder->type);
  copy->path = g_strdup (folder->path);
  copy->workspace = g_strdup (folder->workspace);
  copy->is_archive = folder->is_archive;
  copy->parent_id = folder->parent_id;
  copy->parent_type = g_strdup (folder->parent_type);
  copy->url = g_strdup (folder->url);
  return copy;
}

void
marketo_folder_free (MarketoFolder *folder)
{
  if (folder == NULL)
    return;
  g_free (folder->name);
  g_free (folder->type);
  g_free (folder->path);
  g_free (folder->workspace);
  g_free (folder->parent_type);
  g_free (folder->url);
  g_free (folder);
}

MarketoFolder *
_marketo_folder_from_json (JsonObject *object)
{
  MarketoFolder *folder = g_new0 (MarketoFolder, 1);
  JsonObject *self_ref = _marketo_json_get_object (object, "folderId");
  JsonObject *parent = _marketo_json_get_object (object, "parent");

  folder->id = _marketo_json_get_int_or (object, "id", 0);
  if (self_ref != NULL)
    {
      folder->id = _marketo_json_get_int_or (self_ref, "id", folder->id);
      folder->type = dup_string (self_ref, "type");
    }
  if (folder->type == NULL)
    folder->type = g_strdup (g_strcmp0 (_marketo_json_get_string (object, "folderType"),
                                        "Program") == 0 ? "Program" : "Folder");
  folder->name = dup_string (object, "name");
  if (folder->name == NULL)
    folder->name = g_strdup ("");
  folder->path = dup_string (object, "path");
  if (folder->path == NULL)
    folder->path = g_strdup (folder->name);
  folder->workspace = dup_string (object, "workspace");
  folder->is_archive = _marketo_json_get_bool_or (object, "isArchive", FALSE);
  if (parent != NULL)
    {
      folder->parent_id = _marketo_json_get_int_or (parent, "id", 0);
      folder->parent_type = dup_string (parent, "type");
    }
  folder->url = dup_string (object, "url");
  return folder;
}

MarketoFolder *
marketo_folders_find_by_id (GPtrArray  *folders,
                            gint64      id,
                            const char *type)
{
  g_return_val_if_fail (folders != NULL, NULL);

  for (guint i = 0; i < folders->len; i++)
    {
      MarketoFolder *folder = folders->pdata[i];

      if (folder->id == id && (type == NULL || g_strcmp0 (folder->type, type) == 0))
        return folder;
    }
  return NULL;
}

GPtrArray *
marketo_folders_find_by_name (GPtrArray  *folders,
                              const char *name)
{
  GPtrArray *found = g_ptr_array_new ();

  g_return_val_if_fail (folders != NULL, found);
  g_return_val_if_fail (name != NULL, found);

  for (guint i = 0; i < folders->len; i++)
    {
      MarketoFolder *folder = folders->pdata[i];

      if (g_strcmp0 (folder->name, name) == 0)
        g_ptr_array_add (found, folder);
    }
  return found;
}

G_DEFINE_BOXED_TYPE (MarketoFolderPage, marketo_folder_page,
                     marketo_folder_page_copy, marketo_folder_page_free)

static gpointer
copy_folder (gconstpointer src,
             gpointer      data)
{
  return marketo_folder_copy (src);
}

MarketoFolderPage *
_marketo_folder_page_new (void)
{
  MarketoFolderPage *page = g_new0 (MarketoFolderPage, 1);

  page->folders = g_ptr_array_new_with_free_func ((GDestroyNotify) marketo_folder_free);
  return page;
}

MarketoFolderPage *
marketo_folder_page_copy (const MarketoFolderPage *page)
{
  MarketoFolderPage *copy = g_new0 (MarketoFolderPage, 1);

  copy->folders = g_ptr_array_copy (page->folders, copy_folder, NULL);
  g_ptr_array_set_free_func (copy->folders, (GDestroyNotify) marketo_folder_free);
  copy->more_result = page->more_result;
  copy->next_offset = page->next_offset;
  return copy;
}

void
marketo_folder_page_free (MarketoFolderPage *page)
{
  if (page == NULL)
    return;
  g_clear_pointer (&page->folders, g_ptr_array_unref);
  g_free (page);
}

/* ----------------------------------------------------------------------------------------- */
/* MarketoLead and MarketoLeadPage                                                           */

G_DEFINE_BOXED_TYPE (MarketoLead, marketo_lead, marketo_lead_copy, marketo_lead_free)

MarketoLead *
marketo_lead_copy (const MarketoLead *lead)
{
  MarketoLead *copy = g_new0 (MarketoLead, 1);

  copy->id = lead->id;
  copy->fields = lead->fields != NULL ? json_object_ref (lead->fields) : NULL;
  return copy;
}

void
marketo_lead_free (MarketoLead *lead)
{
  if (lead == NULL)
    return;
  g_clear_pointer (&lead->fields, json_object_unref);
  g_free (lead);
}

char *
marketo_lead_dup_string (const MarketoLead *lead,
                         const char        *field)
{
  JsonNode *node;

  g_return_val_if_fail (lead != NULL, NULL);
  g_return_val_if_fail (field != NULL, NULL);

  if (lead->fields == NULL || !json_object_has_member (lead->fields, field))
    return NULL;
  node = json_object_get_member (lead->fields, field);
  if (!JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (node));
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_DOUBLE:
      {
        char buffer[G_ASCII_DTOSTR_BUF_SIZE];

        return g_strdup (g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node)));
      }
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    default:
      return NULL;
    }
}

MarketoLead *
_marketo_lead_from_json (JsonObject *object)
{
  MarketoLead *lead = g_new0 (MarketoLead, 1);

  lead->id = _marketo_json_get_int_or (object, "id", 0);
  lead->fields = json_object_ref (object);
  return lead;
}

G_DEFINE_BOXED_TYPE (MarketoLeadPage, marketo_lead_page,
                     marketo_lead_page_copy, marketo_lead_page_free)

static gpointer
copy_lead (gconstpointer src,
           gpointer      data)
{
  return marketo_lead_copy (src);
}

MarketoLeadPage *
_marketo_lead_page_new (void)
{
  MarketoLeadPage *page = g_new0 (MarketoLeadPage, 1);

  page->leads = g_ptr_array_new_with_free_func ((GDestroyNotify) marketo_lead_free);
  return page;
}

MarketoLeadPage *
marketo_lead_page_copy (const MarketoLeadPage *page)
{
  MarketoLeadPage *copy = g_new0 (MarketoLeadPage, 1);

  copy->leads = g_ptr_array_copy (page->leads, copy_lead, NULL);
  g_ptr_array_set_free_func (copy->leads, (GDestroyNotify) marketo_lead_free);
  copy->next_page_token = g_strdup (page->next_page_token);
  copy->more_result = page->more_result;
  return copy;
}

void
marketo_lead_page_free (MarketoLeadPage *page)
{
  if (page == NULL)
    return;
  g_clear_pointer (&page->leads, g_ptr_array_unref);
  g_free (page->next_page_token);
  g_free (page);
}

/* ----------------------------------------------------------------------------------------- */
/* Record-level results                                                                      */

static const struct {
  MarketoRecordStatus  status;
  const char          *name;
} record_statuses[] = {
  { MARKETO_RECORD_STATUS_CREATED, "created" },
  { MARKETO_RECORD_STATUS_UPDATED, "updated" },
  { MARKETO_RECORD_STATUS_SKIPPED, "skipped" },
  { MARKETO_RECORD_STATUS_ADDED, "added" },
  { MARKETO_RECORD_STATUS_REMOVED, "removed" },
  { MARKETO_RECORD_STATUS_MEMBER_OF, "memberof" },
  { MARKETO_RECORD_STATUS_NOT_MEMBER_OF, "notmemberof" },
  { MARKETO_RECORD_STATUS_DELETED, "deleted" },
};

const char *
marketo_record_status_to_string (MarketoRecordStatus status)
{
  for (guint i = 0; i < G_N_ELEMENTS (record_statuses); i++)
    if (record_statuses[i].status == status)
      return record_statuses[i].name;
  return "unknown";
}

MarketoRecordStatus
marketo_record_status_from_string (const char *status)
{
  for (guint i = 0; status != NULL && i < G_N_ELEMENTS (record_statuses); i++)
    if (g_ascii_strcasecmp (record_statuses[i].name, status) == 0)
      return record_statuses[i].status;
  return MARKETO_RECORD_STATUS_UNKNOWN;
}

static void
reason_clear (MarketoReason *reason)
{
  g_clear_pointer (&reason->message, g_free);
}

G_DEFINE_BOXED_TYPE (MarketoRecordResult, marketo_record_result,
                     marketo_record_result_copy, marketo_record_result_free)

MarketoRecordResult *
marketo_record_result_new (void)
{
  MarketoRecordResult *result = g_new0 (MarketoRecordResult, 1);

  result->reasons = g_array_new (FALSE, TRUE, sizeof (MarketoReason));
  g_array_set_clear_func (result->reasons, (GDestroyNotify) reason_clear);
  return result;
}

MarketoRecordResult *
marketo_record_result_copy (const MarketoRecordResult *result)
{
  MarketoRecordResult *copy = marketo_record_result_new ();

  copy->index = result->index;
  copy->status = result->status;
  copy->lead_id = result->lead_id;
  copy->request_id = g_strdup (result->request_id);
  for (guint i = 0; i < result->reasons->len; i++)
    {
      const MarketoReason *reason = &g_array_index (result->reasons, MarketoReason, i);

      marketo_record_result_add_reason (copy, reason->code, reason->message);
    }
  return copy;
}

void
marketo_record_result_free (MarketoRecordResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->reasons, g_array_unref);
  g_free (result->request_id);
  g_free (result);
}

void
marketo_record_result_add_reason (MarketoRecordResult *result,
                                  int                  code,
                                  const char          *message)
{
  MarketoReason reason = { code, g_strdup (message) };

  g_return_if_fail (result != NULL);

  g_array_append_val (result->reasons, reason);
}

int
marketo_record_result_get_code (const MarketoRecordResult *result)
{
  g_return_val_if_fail (result != NULL, 0);

  if (result->reasons->len == 0)
    return 0;
  return g_array_index (result->reasons, MarketoReason, 0).code;
}

static void
add_reason_from_json (MarketoRecordResult *result,
                      JsonNode            *node)
{
  JsonObject *object;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return;
  object = json_node_get_object (node);
  marketo_record_result_add_reason (result,
                                    (int) _marketo_json_get_int_or (object, "code", 0),
                                    _marketo_json_get_string (object, "message"));
}

MarketoRecordResult *
_marketo_record_result_from_json (JsonObject *object,
                                  guint       index,
                                  const char *request_id)
{
  MarketoRecordResult *result = marketo_record_result_new ();
  JsonArray *reasons = _marketo_json_get_array (object, "reasons");
  JsonObject *reason = _marketo_json_get_object (object, "reason");

  result->index = index;
  result->request_id = g_strdup (request_id);
  result->lead_id = _marketo_json_get_int_or (object, "id", 0);
  result->status = marketo_record_status_from_string (_marketo_json_get_string (object, "status"));

  for (guint i = 0; reasons != NULL && i < json_array_get_length (reasons); i++)
    add_reason_from_json (result, json_array_get_element (reasons, i));
  if (reason != NULL)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), reason);

      add_reason_from_json (result, node);
    }

  /* A record with reasons but no status did nothing: treat it as skipped. */
  if (result->status == MARKETO_RECORD_STATUS_UNKNOWN && result->reasons->len > 0)
    result->status = MARKETO_RECORD_STATUS_SKIPPED;

  return result;
}

/* ----------------------------------------------------------------------------------------- */
/* Bulk import                                                                               */

G_DEFINE_BOXED_TYPE (MarketoImportJob, marketo_import_job,
                     marketo_import_job_copy, marketo_import_job_free)

MarketoImportJob *
marketo_import_job_copy (const MarketoImportJob *job)
{
  MarketoImportJob *copy = g_new0 (MarketoImportJob, 1);

  copy->batch_id = job->batch_id;
  copy->import_id = g_strdup (job->import_id);
  copy->status = g_strdup (job->status);
  copy->leads_processed = job->leads_processed;
  copy->rows_failed = job->rows_failed;
  copy->rows_with_warning = job->rows_with_warning;
  copy->message = g_strdup (job->message);
  return copy;
}

void
marketo_import_job_free (MarketoImportJob *job)
{
  if (job == NULL)
    return;
  g_free (job->import_id);
  g_free (job->status);
  g_free (job->message);
  g_free (job);
}

gboolean
marketo_import_job_is_finished (const MarketoImportJob *job)
{
  g_return_val_if_fail (job != NULL, FALSE);

  return g_strcmp0 (job->status, "Complete") == 0 || g_strcmp0 (job->status, "Failed") == 0;
}

MarketoImportJob *
_marketo_import_job_from_json (JsonObject *object)
{
  MarketoImportJob *job = g_new0 (MarketoImportJob, 1);
  gint64 import_id;

  job->batch_id = _marketo_json_get_int_or (object, "batchId", 0);
  job->import_id = dup_string (object, "importId");
  if (job->import_id == NULL && _marketo_json_get_int (object, "importId", &import_id))
    job->import_id = g_strdup_printf ("%" G_GINT64_FORMAT, import_id);
  job->status = dup_string (object, "status");
  job->leads_processed = _marketo_json_get_int_or (object, "numOfLeadsProcessed", -1);
  job->rows_failed = _marketo_json_get_int_or (object, "numOfRowsFailed", -1);
  job->rows_with_warning = _marketo_json_get_int_or (object, "numOfRowsWithWarning", -1);
  job->message = dup_string (object, "message");
  return job;
}

/* ----------------------------------------------------------------------------------------- */
/* Usage                                                                                     */

static void
user_usage_free (MarketoUserUsage *usage)
{
  g_free (usage->user_id);
  g_free (usage);
}

static gpointer
copy_user_usage (gconstpointer src,
                 gpointer      data)
{
  const MarketoUserUsage *usage = src;
  MarketoUserUsage *copy = g_new0 (MarketoUserUsage, 1);

  copy->user_id = g_strdup (usage->user_id);
  copy->count = usage->count;
  return copy;
}

G_DEFINE_BOXED_TYPE (MarketoUsage, marketo_usage, marketo_usage_copy, marketo_usage_free)

MarketoUsage *
marketo_usage_copy (const MarketoUsage *usage)
{
  MarketoUsage *copy = g_new0 (MarketoUsage, 1);

  copy->date = g_strdup (usage->date);
  copy->total = usage->total;
  copy->users = g_ptr_array_copy (usage->users, copy_user_usage, NULL);
  g_ptr_array_set_free_func (copy->users, (GDestroyNotify) user_usage_free);
  return copy;
}

void
marketo_usage_free (MarketoUsage *usage)
{
  if (usage == NULL)
    return;
  g_free (usage->date);
  g_clear_pointer (&usage->users, g_ptr_array_unref);
  g_free (usage);
}

MarketoUsage *
_marketo_usage_from_json (JsonObject *object)
{
  MarketoUsage *usage = g_new0 (MarketoUsage, 1);
  JsonArray *users = _marketo_json_get_array (object, "users");

  usage->users = g_ptr_array_new_with_free_func ((GDestroyNotify) user_usage_free);
  if (object == NULL)
    return usage;

  usage->date = dup_string (object, "date");
  usage->total = _marketo_json_get_int_or (object, "total", 0);
  for (guint i = 0; users != NULL && i < json_array_get_length (users); i++)
    {
      JsonNode *node = json_array_get_element (users, i);
      MarketoUserUsage *user;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      user = g_new0 (MarketoUserUsage, 1);
      user->user_id = dup_string (json_node_get_object (node), "userId");
      user->count = _marketo_json_get_int_or (json_node_get_object (node), "count", 0);
      g_ptr_array_add (usage->users, user);
    }
  return usage;
}
