/* marketo-sandbox-db.c: the sandbox's lead database, seeding and snapshots
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "marketo-sandbox-db.h"

#define SNAPSHOT_FORMAT "audience-push-sandbox/1"

/* ---- Schema ------------------------------------------------------------------------------ */

static const SandboxField fields[] = {
  { 1, "id", "Id", "integer", 0, TRUE, TRUE, TRUE, FALSE, "Id" },
  { 51, "email", "Email Address", "email", 255, FALSE, TRUE, TRUE, FALSE, "Email" },
  { 31, "firstName", "First Name", "string", 255, FALSE, FALSE, FALSE, FALSE, "FirstName" },
  { 32, "lastName", "Last Name", "string", 255, FALSE, FALSE, FALSE, FALSE, "LastName" },
  { 47, "company", "Company Name", "string", 255, FALSE, FALSE, FALSE, FALSE, "Company" },
  { 33, "title", "Job Title", "string", 255, FALSE, FALSE, FALSE, FALSE, "Title" },
  { 44, "phone", "Phone Number", "phone", 255, FALSE, FALSE, FALSE, FALSE, "Phone" },
  { 39, "city", "City", "string", 255, FALSE, FALSE, FALSE, FALSE, "City" },
  { 42, "country", "Country", "string", 255, FALSE, FALSE, FALSE, FALSE, "Country" },
  { 41, "postalCode", "Postal Code", "string", 255, FALSE, FALSE, FALSE, FALSE, "PostalCode" },
  { 57, "leadScore", "Lead Score", "integer", 0, FALSE, FALSE, FALSE, FALSE, "LeadScore" },
  { 64, "annualRevenue", "Annual Revenue", "currency", 0, FALSE, FALSE, FALSE, FALSE,
    "AnnualRevenue" },
  { 65, "numberOfEmployees", "Num Employees", "integer", 0, FALSE, FALSE, FALSE, FALSE,
    "NumberOfEmployees" },
  { 91, "unsubscribed", "Unsubscribed", "boolean", 0, FALSE, FALSE, FALSE, FALSE,
    "Unsubscribed" },
  { 54, "dateOfBirth", "Date of Birth", "date", 0, FALSE, FALSE, FALSE, FALSE, "DateofBirth" },
  { 67, "website", "Website", "url", 255, FALSE, FALSE, FALSE, FALSE, "Website" },
  { 58, "leadSource", "Lead Source", "string", 255, FALSE, FALSE, FALSE, FALSE, "LeadSource" },
  { 27, "createdAt", "Created At", "datetime", 0, TRUE, FALSE, FALSE, FALSE, "CreatedAt" },
  { 28, "updatedAt", "Updated At", "datetime", 0, TRUE, FALSE, FALSE, FALSE, "UpdatedAt" },
  { 2, "leadPartitionId", "Lead Partition Id", "integer", 0, TRUE, TRUE, FALSE, FALSE, NULL },
  { 75, "cookies", "Cookies", "string", 255, FALSE, TRUE, TRUE, FALSE, NULL },
  { 100, "sfdcLeadId", "SFDC Lead ID", "string", 18, TRUE, TRUE, TRUE, TRUE, NULL },
  { 3042, "customerNumber", "Customer Number", "string", 255, FALSE, TRUE, TRUE, FALSE,
    "Customer_Number__c" },
  { 3043, "loyaltyTier", "Loyalty Tier", "string", 255, FALSE, FALSE, FALSE, FALSE,
    "Loyalty_Tier__c" },
  { 3044, "lifetimeValue", "Lifetime Value", "float", 0, FALSE, FALSE, FALSE, FALSE,
    "Lifetime_Value__c" },
  { 3045, "lastPurchaseDate", "Last Purchase Date", "date", 0, FALSE, FALSE, FALSE, FALSE,
    "Last_Purchase_Date__c" },
};
#define N_FIELDS G_N_ELEMENTS (fields)

G_STATIC_ASSERT (SANDBOX_FIELD_CREATED_AT < N_FIELDS);

static const SandboxPartition partitions[] = {
  { 1, "Default", "Initial partition" },
  { 2, "EMEA", "Customers served from Dublin" },
  { 3, "APAC", "Customers served from Singapore" },
};

static const SandboxFolder folders[] = {
  { 10, "Default", "Folder", 0, "/Marketing Activities/Default", "Default", FALSE,
    "Marketing activities of the Default workspace" },
  { 12, "Audiences", "Folder", 10, "/Marketing Activities/Default/Audiences", "Default", FALSE,
    "Static lists fed by Audience Push" },
  { 13, "Archive", "Folder", 10, "/Marketing Activities/Default/Archive", "Default", TRUE,
    NULL },
  { 20, "EMEA", "Folder", 0, "/Marketing Activities/EMEA", "EMEA", FALSE,
    "Marketing activities of the EMEA workspace" },
  { 21, "Audiences", "Folder", 20, "/Marketing Activities/EMEA/Audiences", "EMEA", FALSE,
    NULL },
  { 1001, "2026 Spring Campaign", "Program", 12,
    "/Marketing Activities/Default/Audiences/2026 Spring Campaign", "Default", FALSE, NULL },
};

const SandboxField *
_sandbox_fields (guint *n_fields)
{
  *n_fields = N_FIELDS;
  return fields;
}

int
_sandbox_field_index (const char *name)
{
  if (name == NULL)
    return -1;
  for (guint i = 0; i < N_FIELDS; i++)
    if (g_str_equal (fields[i].name, name))
      return i;
  return -1;
}

const SandboxPartition *
_sandbox_partitions (guint *n_partitions)
{
  *n_partitions = G_N_ELEMENTS (partitions);
  return partitions;
}

const SandboxPartition *
_sandbox_partition_by_name (const char *name)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (partitions); i++)
    if (g_str_equal (partitions[i].name, name))
      return &partitions[i];
  return NULL;
}

const SandboxFolder *
_sandbox_folders (guint *n_folders)
{
  *n_folders = G_N_ELEMENTS (folders);
  return folders;
}

const SandboxFolder *
_sandbox_folder_by_id (gint64 id)
{
  for (guint i = 0; i < G_N_ELEMENTS (folders); i++)
    if (folders[i].id == id)
      return &folders[i];
  return NULL;
}

/* ---- Times ------------------------------------------------------------------------------- */

char *
_sandbox_format_time (gint64   usec,
                      gboolean asset_style)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);

  if (dt == NULL)
    return g_strdup ("1970-01-01T00:00:00Z");
  return g_date_time_format (dt, asset_style ? "%Y-%m-%dT%H:%M:%SZ+0000" : "%Y-%m-%dT%H:%M:%SZ");
}

/* ---- Leads and indexes ------------------------------------------------------------------- */

static void
lead_free (SandboxLead *lead)
{
  for (guint i = 0; i < N_FIELDS; i++)
    g_free (lead->values[i]);
  g_free (lead->values);
  g_free (lead);
}

static void
list_free (SandboxList *list)
{
  g_free (list->name);
  g_free (list->description);
  g_hash_table_unref (list->members);
  g_clear_pointer (&list->sorted, g_array_unref);
  g_free (list);
}

static void
job_free (SandboxJob *job)
{
  g_free (job->format);
  g_clear_pointer (&job->file, g_bytes_unref);
  g_free (job->message);
  g_string_free (job->failures, TRUE);
  g_string_free (job->warnings, TRUE);
  g_free (job);
}

static gboolean
field_is_indexed (int field)
{
  return fields[field].lookup && field != SANDBOX_FIELD_ID;
}

static char *
index_key (int         field,
           const char *value)
{
  if (g_str_equal (fields[field].data_type, "email"))
    return g_ascii_strdown (value, -1);
  return g_strdup (value);
}

MarketoSandboxDb *
_marketo_sandbox_db_new (void)
{
  MarketoSandboxDb *db = g_new0 (MarketoSandboxDb, 1);

  db->leads = g_ptr_array_new_with_free_func ((GDestroyNotify) lead_free);
  db->by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  db->index = g_new0 (GHashTable *, N_FIELDS);
  for (guint i = 0; i < N_FIELDS; i++)
    if (field_is_indexed (i))
      db->index[i] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) g_ptr_array_unref);
  db->next_lead_id = 1001;
  db->lists = g_ptr_array_new_with_free_func ((GDestroyNotify) list_free);
  db->lists_by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  db->next_list_id = 1200;
  db->jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) job_free);
  db->next_batch_id = 5120;
  return db;
}

void
_marketo_sandbox_db_free (MarketoSandboxDb *db)
{
  if (db == NULL)
    return;
  g_hash_table_unref (db->by_id);
  for (guint i = 0; i < N_FIELDS; i++)
    g_clear_pointer (&db->index[i], g_hash_table_unref);
  g_free (db->index);
  g_ptr_array_unref (db->leads);
  g_hash_table_unref (db->lists_by_id);
  g_ptr_array_unref (db->lists);
  g_ptr_array_unref (db->jobs);
  g_free (db->usage_day);
  g_free (db);
}

SandboxLead *
_marketo_sandbox_db_get_lead (MarketoSandboxDb *db,
                              gint64            id)
{
  return g_hash_table_lookup (db->by_id, &id);
}

/* The index bucket that @lead's value of @field belongs in (NULL when none is filed yet);
 * @key is set to that value's index key, or left NULL when @field is not indexed or the
 * lead has no value for it. */
static GPtrArray *
index_bucket (MarketoSandboxDb  *db,
              SandboxLead       *lead,
              int                field,
              char             **key)
{
  *key = NULL;
  if (db->index[field] == NULL || lead->values[field] == NULL)
    return NULL;
  *key = index_key (field, lead->values[field]);
  return g_hash_table_lookup (db->index[field], *key);
}

static void
index_remove (MarketoSandboxDb *db,
              SandboxLead      *lead,
              int               field)
{
  g_autofree char *key = NULL;
  GPtrArray *bucket = index_bucket (db, lead, field, &key);

  if (bucket == NULL)
    return;
  g_ptr_array_remove (bucket, lead);
  if (bucket->len == 0)
    g_hash_table_remove (db->index[field], key);
}

static void
index_add (MarketoSandboxDb *db,
           SandboxLead      *lead,
           int               field)
{
  g_autofree char *key = NULL;
  GPtrArray *bucket = index_bucket (db, lead, field, &key);

  if (key == NULL)
    return;
  if (bucket == NULL)
    {
      bucket = g_ptr_array_new ();
      g_hash_table_insert (db->index[field], g_steal_pointer (&key), bucket);
    }
  g_ptr_array_add (bucket, lead);
}

static SandboxLead *
insert_lead (MarketoSandboxDb *db,
             gint64            id,
             guint             partition,
             gint64            created_at,
             gint64            updated_at)
{
  SandboxLead *lead = g_new0 (SandboxLead, 1);

  lead->id = id;
  lead->partition = partition;
  lead->created_at = created_at;
  lead->updated_at = updated_at;
  lead->values = g_new0 (char *, N_FIELDS);
  g_ptr_array_add (db->leads, lead);
  g_hash_table_insert (db->by_id, &lead->id, lead);
  db->next_lead_id = MAX (db->next_lead_id, id + 1);
  return lead;
}

SandboxLead *
_marketo_sandbox_db_create_lead (MarketoSandboxDb *db,
                                 guint             partition,
                                 gint64            now)
{
  return insert_lead (db, db->next_lead_id, partition, now, now);
}

void
_marketo_sandbox_db_set_value (MarketoSandboxDb *db,
                               SandboxLead      *lead,
                               int               field,
                               const char       *canonical)
{
  g_assert (field >= 0 && field < (int) N_FIELDS);

  if (g_strcmp0 (lead->values[field], canonical) == 0)
    return;
  index_remove (db, lead, field);
  g_free (lead->values[field]);
  lead->values[field] = g_strdup (canonical);
  index_add (db, lead, field);
}

void
_marketo_sandbox_db_set_partition (MarketoSandboxDb *db,
                                   SandboxLead      *lead,
                                   guint             partition)
{
  lead->partition = partition;
}

GPtrArray *
_marketo_sandbox_db_find (MarketoSandboxDb *db,
                          int               field,
                          const char       *value)
{
  GPtrArray *found = g_ptr_array_new ();
  gint64 number;

  if (value == NULL || field < 0 || field >= (int) N_FIELDS)
    return found;

  if (field == SANDBOX_FIELD_ID || field == SANDBOX_FIELD_PARTITION)
    {
      if (!g_ascii_string_to_signed (value, 10, G_MININT64, G_MAXINT64, &number, NULL))
        return found;
      if (field == SANDBOX_FIELD_ID)
        {
          SandboxLead *lead = _marketo_sandbox_db_get_lead (db, number);

          if (lead != NULL)
            g_ptr_array_add (found, lead);
        }
      else
        {
          for (guint i = 0; i < db->leads->len; i++)
            if (((SandboxLead *) db->leads->pdata[i])->partition == number)
              g_ptr_array_add (found, db->leads->pdata[i]);
        }
      return found;
    }

  if (db->index[field] != NULL)
    {
      g_autofree char *key = index_key (field, value);
      GPtrArray *bucket = g_hash_table_lookup (db->index[field], key);

      if (bucket != NULL)
        g_ptr_array_extend (found, bucket, NULL, NULL);
      return found;
    }

  for (guint i = 0; i < db->leads->len; i++)
    {
      SandboxLead *lead = db->leads->pdata[i];
      JsonNode *node = _marketo_sandbox_lead_value (lead, field);
      const char *text = NULL;
      g_autofree char *owned = NULL;

      if (JSON_NODE_HOLDS_VALUE (node))
        {
          if (json_node_get_value_type (node) == G_TYPE_STRING)
            text = json_node_get_string (node);
          else if (json_node_get_value_type (node) == G_TYPE_INT64)
            text = owned = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
          else
            text = lead->values[field];
        }
      if (text != NULL && (g_str_equal (fields[field].data_type, "email")
                           ? g_ascii_strcasecmp (text, value) == 0
                           : g_str_equal (text, value)))
        g_ptr_array_add (found, lead);
      json_node_unref (node);
    }
  return found;
}

JsonNode *
_marketo_sandbox_lead_value (const SandboxLead *lead,
                             int                field)
{
  JsonNode *node = json_node_alloc ();
  const char *type = fields[field].data_type;
  const char *value;

  switch (field)
    {
    case SANDBOX_FIELD_ID:
      return json_node_init_int (node, lead->id);
    case SANDBOX_FIELD_PARTITION:
      return json_node_init_int (node, lead->partition);
    case SANDBOX_FIELD_CREATED_AT:
    case SANDBOX_FIELD_UPDATED_AT:
      {
        g_autofree char *text =
          _sandbox_format_time (field == SANDBOX_FIELD_CREATED_AT ? lead->created_at
                                                                  : lead->updated_at, FALSE);
        return json_node_init_string (node, text);
      }
    default:
      break;
    }

  value = lead->values[field];
  if (value == NULL)
    return json_node_init_null (node);
  if (g_str_equal (type, "integer"))
    return json_node_init_int (node, g_ascii_strtoll (value, NULL, 10));
  if (g_str_equal (type, "float") || g_str_equal (type, "currency"))
    return json_node_init_double (node, g_ascii_strtod (value, NULL));
  if (g_str_equal (type, "boolean"))
    return json_node_init_boolean (node, g_str_equal (value, "true"));
  return json_node_init_string (node, value);
}

JsonObject *
_marketo_sandbox_lead_to_json (const SandboxLead *lead,
                               const int         *wanted,
                               guint              n_wanted)
{
  JsonObject *object = json_object_new ();

  if (wanted == NULL)
    {
      for (guint i = 0; i < N_FIELDS; i++)
        json_object_set_member (object, fields[i].name, _marketo_sandbox_lead_value (lead, i));
    }
  else
    {
      for (guint i = 0; i < n_wanted; i++)
        json_object_set_member (object, fields[wanted[i]].name,
                                _marketo_sandbox_lead_value (lead, wanted[i]));
    }
  return object;
}

/* ---- Values ------------------------------------------------------------------------------ */

static gboolean
is_ascii (const char *text)
{
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    if (*p >= 0x80)
      return FALSE;
  return TRUE;
}

static gboolean
invalid_value (int          field,
               const char  *text,
               int         *code,
               char       **message)
{
  *code = 1001;
  *message = g_strdup_printf ("Invalid value '%s'. Required of type '%s'", text,
                              fields[field].data_type);
  return FALSE;
}

gboolean
_marketo_sandbox_coerce_text (int          field,
                              const char  *text,
                              char       **canonical,
                              int         *code,
                              char       **message)
{
  const char *type = fields[field].data_type;

  *canonical = NULL;
  if (text == NULL)
    return TRUE;

  if (g_str_equal (type, "integer"))
    {
      gint64 number;
      g_autofree char *trimmed = g_strstrip (g_strdup (text));

      if (!g_ascii_string_to_signed (trimmed, 10, G_MININT64, G_MAXINT64, &number, NULL))
        return invalid_value (field, text, code, message);
      *canonical = g_strdup_printf ("%" G_GINT64_FORMAT, number);
      return TRUE;
    }
  if (g_str_equal (type, "float") || g_str_equal (type, "currency"))
    {
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];
      g_autofree char *trimmed = g_strstrip (g_strdup (text));
      char *end = NULL;
      double number = g_ascii_strtod (trimmed, &end);

      if (*trimmed == '\0' || end == NULL || *end != '\0' || !isfinite (number))
        return invalid_value (field, text, code, message);
      *canonical = g_strdup (g_ascii_dtostr (buffer, sizeof buffer, number));
      return TRUE;
    }
  if (g_str_equal (type, "boolean"))
    {
      if (g_ascii_strcasecmp (text, "true") == 0 || g_str_equal (text, "1")
          || g_ascii_strcasecmp (text, "yes") == 0)
        *canonical = g_strdup ("true");
      else if (g_ascii_strcasecmp (text, "false") == 0 || g_str_equal (text, "0")
               || g_ascii_strcasecmp (text, "no") == 0)
        *canonical = g_strdup ("false");
      else
        return invalid_value (field, text, code, message);
      return TRUE;
    }
  if (g_str_equal (type, "date"))
    {
      gboolean shape = strlen (text) == 10;

      for (guint i = 0; shape && i < 10; i++)
        shape = (i == 4 || i == 7) ? text[i] == '-' : g_ascii_isdigit (text[i]);
      if (!shape
          || !g_date_valid_dmy (atoi (text + 8), atoi (text + 5), atoi (text)))
        return invalid_value (field, text, code, message);
      *canonical = g_strdup (text);
      return TRUE;
    }
  if (g_str_equal (type, "datetime"))
    {
      g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
      g_autoptr(GDateTime) parsed = g_date_time_new_from_iso8601 (text, utc);
      g_autoptr(GDateTime) in_utc = NULL;

      if (parsed == NULL)
        return invalid_value (field, text, code, message);
      in_utc = g_date_time_to_utc (parsed);
      *canonical = g_date_time_format (in_utc, "%Y-%m-%dT%H:%M:%SZ");
      return TRUE;
    }
  if (g_str_equal (type, "email") && !is_ascii (text))
    {
      *code = 1003;
      *message = g_strdup_printf ("Invalid email address '%s': only ASCII characters "
                                  "are allowed", text);
      return FALSE;
    }

  *canonical = g_strdup (text);
  return TRUE;
}

gboolean
_marketo_sandbox_coerce_json (int          field,
                              JsonNode    *node,
                              char       **canonical,
                              int         *code,
                              char       **message)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  GType type;

  *canonical = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node))
    return invalid_value (field, JSON_NODE_HOLDS_OBJECT (node) ? "{...}" : "[...]", code,
                          message);

  type = json_node_get_value_type (node);
  if (type == G_TYPE_STRING)
    return _marketo_sandbox_coerce_text (field, json_node_get_string (node), canonical,
                                         code, message);
  if (type == G_TYPE_BOOLEAN)
    {
      const char *text = json_node_get_boolean (node) ? "true" : "false";

      if (!g_str_equal (fields[field].data_type, "boolean")
          && !g_str_equal (fields[field].data_type, "string"))
        return invalid_value (field, text, code, message);
      return _marketo_sandbox_coerce_text (field, text, canonical, code, message);
    }
  if (type == G_TYPE_INT64)
    {
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));

      if (g_str_equal (fields[field].data_type, "boolean")
          || g_str_equal (fields[field].data_type, "date")
          || g_str_equal (fields[field].data_type, "datetime"))
        return invalid_value (field, text, code, message);
      return _marketo_sandbox_coerce_text (field, text, canonical, code, message);
    }
  if (type == G_TYPE_DOUBLE)
    {
      const char *text = g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node));

      if (g_str_equal (fields[field].data_type, "boolean")
          || g_str_equal (fields[field].data_type, "date")
          || g_str_equal (fields[field].data_type, "datetime"))
        return invalid_value (field, text, code, message);
      return _marketo_sandbox_coerce_text (field, text, canonical, code, message);
    }
  return invalid_value (field, "?", code, message);
}

/* ---- Upsert ------------------------------------------------------------------------------ */

static void
value_clear (SandboxValue *value)
{
  g_clear_pointer (&value->value, g_free);
}

GArray *
_sandbox_values_new (void)
{
  GArray *values = g_array_new (FALSE, TRUE, sizeof (SandboxValue));

  g_array_set_clear_func (values, (GDestroyNotify) value_clear);
  return values;
}

static void
skip (SandboxOutcome *outcome,
      int             code,
      char           *message)
{
  outcome->status = "skipped";
  outcome->id = 0;
  outcome->code = code;
  outcome->message = message;
}

static void
apply_values (MarketoSandboxDb *db,
              SandboxLead      *lead,
              GArray           *values,
              int               keep_field)
{
  for (guint i = 0; i < values->len; i++)
    {
      SandboxValue *v = &g_array_index (values, SandboxValue, i);

      if (fields[v->field].read_only && !(v->field == keep_field && v->field != SANDBOX_FIELD_ID))
        continue;
      _marketo_sandbox_db_set_value (db, lead, v->field, v->value);
    }
}

void
_marketo_sandbox_db_upsert (MarketoSandboxDb *db,
                            SandboxAction     action,
                            int               lookup_field,
                            guint             partition,
                            gboolean          partition_rule,
                            GArray           *values,
                            gint64            now,
                            SandboxOutcome   *outcome)
{
  const char *lookup_value = NULL;
  gboolean has_lookup = FALSE;
  gboolean has_id = FALSE;
  g_autoptr(GPtrArray) matches = NULL;
  SandboxLead *lead;

  memset (outcome, 0, sizeof *outcome);
  for (guint i = 0; i < values->len; i++)
    {
      SandboxValue *v = &g_array_index (values, SandboxValue, i);

      if (v->field == SANDBOX_FIELD_ID)
        has_id = TRUE;
      if (v->field == lookup_field)
        {
          has_lookup = TRUE;
          lookup_value = v->value;
        }
    }

  if (has_id && (action == SANDBOX_ACTION_CREATE_ONLY
                 || action == SANDBOX_ACTION_CREATE_DUPLICATE))
    {
      skip (outcome, 1003, g_strdup ("Invalid data: 'id' cannot be sent when creating leads"));
      return;
    }

  if (action != SANDBOX_ACTION_CREATE_DUPLICATE)
    {
      if (!has_lookup || lookup_value == NULL || *lookup_value == '\0')
        {
          skip (outcome, 1003, g_strdup_printf ("Value for lookup field '%s' not found",
                                                fields[lookup_field].name));
          return;
        }
      matches = _marketo_sandbox_db_find (db, lookup_field, lookup_value);
      if (matches->len > 1 && action != SANDBOX_ACTION_CREATE_ONLY)
        {
          skip (outcome, 1007, g_strdup ("Multiple leads match the lookup criteria"));
          return;
        }
      if (matches->len >= 1 && action == SANDBOX_ACTION_CREATE_ONLY)
        {
          skip (outcome, 1005, g_strdup ("Lead already exists"));
          return;
        }
      if (matches->len == 0 && (action == SANDBOX_ACTION_UPDATE_ONLY
                                || lookup_field == SANDBOX_FIELD_ID))
        {
          skip (outcome, 1004, g_strdup ("Lead not found"));
          return;
        }
      if (matches->len == 1)
        {
          lead = matches->pdata[0];
          if (partition_rule && partition != 0 && partition != G_MAXUINT
              && lead->partition != partition)
            {
              skip (outcome, 1010, g_strdup ("Partition update not allowed"));
              return;
            }
          apply_values (db, lead, values, -1);
          lead->updated_at = now;
          outcome->status = "updated";
          outcome->id = lead->id;
          return;
        }
    }

  if (partition == G_MAXUINT)
    {
      skip (outcome, 1003, g_strdup ("Invalid data: unknown partition name"));
      return;
    }
  lead = _marketo_sandbox_db_create_lead (db, partition != 0 ? partition : 1, now);
  apply_values (db, lead, values, lookup_field);
  outcome->status = "created";
  outcome->id = lead->id;
}

/* ---- Lists ------------------------------------------------------------------------------- */

SandboxList *
_marketo_sandbox_db_get_list (MarketoSandboxDb *db,
                              gint64            id)
{
  return g_hash_table_lookup (db->lists_by_id, &id);
}

SandboxList *
_marketo_sandbox_db_find_list (MarketoSandboxDb *db,
                               const char       *name)
{
  for (guint i = 0; name != NULL && i < db->lists->len; i++)
    if (g_str_equal (((SandboxList *) db->lists->pdata[i])->name, name))
      return db->lists->pdata[i];
  return NULL;
}

static SandboxList *
insert_list (MarketoSandboxDb *db,
             gint64            id,
             const char       *name,
             const char       *description,
             gint64            folder_id,
             gint64            created_at,
             gint64            updated_at)
{
  SandboxList *list = g_new0 (SandboxList, 1);

  list->id = id;
  list->name = g_strdup (name);
  list->description = g_strdup (description);
  list->folder_id = folder_id;
  list->created_at = created_at;
  list->updated_at = updated_at;
  list->members = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_ptr_array_add (db->lists, list);
  g_hash_table_insert (db->lists_by_id, &list->id, list);
  db->next_list_id = MAX (db->next_list_id, id + 1);
  return list;
}

SandboxList *
_marketo_sandbox_db_add_list (MarketoSandboxDb *db,
                              const char       *name,
                              const char       *description,
                              gint64            folder_id,
                              gint64            now)
{
  return insert_list (db, db->next_list_id, name, description, folder_id, now, now);
}

void
_marketo_sandbox_db_remove_list (MarketoSandboxDb *db,
                                 SandboxList      *list)
{
  g_hash_table_remove (db->lists_by_id, &list->id);
  g_ptr_array_remove (db->lists, list);
}

gboolean
_sandbox_list_add (SandboxList *list,
                   gint64       lead_id,
                   gint64       now)
{
  if (g_hash_table_contains (list->members, &lead_id))
    return FALSE;
  g_hash_table_insert (list->members, g_memdup2 (&lead_id, sizeof lead_id),
                       g_memdup2 (&now, sizeof now));
  g_clear_pointer (&list->sorted, g_array_unref);
  list->updated_at = MAX (list->updated_at, now);
  return TRUE;
}

gboolean
_sandbox_list_remove (SandboxList *list,
                      gint64       lead_id)
{
  if (!g_hash_table_remove (list->members, &lead_id))
    return FALSE;
  g_clear_pointer (&list->sorted, g_array_unref);
  return TRUE;
}

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

GArray *
_sandbox_list_sorted (SandboxList *list)
{
  GHashTableIter iter;
  gpointer key;

  if (list->sorted != NULL)
    return list->sorted;

  list->sorted = g_array_sized_new (FALSE, FALSE, sizeof (gint64),
                                    g_hash_table_size (list->members));
  g_hash_table_iter_init (&iter, list->members);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_array_append_vals (list->sorted, key, 1);
  g_array_sort (list->sorted, compare_int64);
  return list->sorted;
}

/* ---- Seeding ----------------------------------------------------------------------------- */

static const char *const first_names[] = {
  "Ana", "Bruno", "Chiara", "Daniel", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas",
  "Kavya", "Liam", "Maya", "Nikolai", "Olivia", "Pedro", "Quinn", "Rosa", "Samuel", "Tara",
  "Umar", "Vera", "William", "Ximena", "Yusuf", "Zoe", "Aiko", "Benedikt", "Carmen", "Dmitri",
  "Emma", "Felix", "Greta", "Hannah", "Ivan", "Julia", "Kenji", "Lucia", "Marco", "Nora",
  "Oscar", "Priya", "Rafael", "Sofia", "Thomas", "Ursula", "Victor", "Wei", "Yara", "Zeynep",
};

static const char *const last_names[] = {
  "Andersen", "Berg", "Costa", "Dubois", "Eriksson", "Fischer", "Garcia", "Hansen", "Ito",
  "Jansen", "Kowalski", "Lindqvist", "Moreau", "Nakamura", "OBrien", "Petrov", "Quintero",
  "Rossi", "Schmidt", "Tanaka", "Usman", "Varga", "Wagner", "Xu", "Yamamoto", "Zimmermann",
  "Alvarez", "Bianchi", "Chen", "Dalton", "Evans", "Fontaine", "Gallagher", "Horvath",
  "Iyer", "Johansson", "Kim", "Lopez", "Murphy", "Novak", "Okafor", "Patel", "Reyes",
  "Silva", "Thompson", "Ueda", "Vogel", "Walsh", "Young", "Zhang",
};

static const char *const companies[] = {
  "Northwind Traders", "Contoso Outfitters", "Fabrikam Foods", "Tailspin Toys",
  "Wingtip Bicycles", "Adventure Works Travel", "Litware Labs", "Proseware Tools",
  "Blue Yonder Airlines", "Coho Vineyard", "Alpine Ski House", "Margie's Travel",
  "Lucerne Publishing", "Humongous Insurance", "Trey Research", "Woodgrove Bank",
  "Graphic Design Institute", "Southridge Video", "Fourth Coffee", "Wide World Importers",
  "Relecloud Energy", "Datum Corporation", "VanArsdel Outdoor", "Tasmanian Traders",
};

static const char *const titles[] = {
  "Marketing Manager", "Head of Growth", "CRM Specialist", "Data Analyst",
  "Chief Marketing Officer", "Sales Director", "Account Executive", "Product Manager",
  "Customer Success Lead", "E-commerce Manager", "Brand Strategist", "Operations Manager",
};

static const char *const lead_sources[] = {
  "Website", "Trade Show", "Webinar", "Partner Referral", "Paid Search", "Store Signup",
};

static const char *const tiers[] = { "Bronze", "Silver", "Gold", "Platinum" };

static const char *const places[][3] = {
  /* partition 1: Default */
  { "Chicago", "United States", "606" }, { "Austin", "United States", "787" },
  { "Denver", "United States", "802" }, { "Boston", "United States", "021" },
  { "Seattle", "United States", "981" }, { "Toronto", "Canada", "M5V" },
  /* partition 2: EMEA */
  { "Dublin", "Ireland", "D02" }, { "Berlin", "Germany", "101" },
  { "Paris", "France", "750" }, { "Madrid", "Spain", "280" },
  { "Milan", "Italy", "201" }, { "Stockholm", "Sweden", "111" },
  /* partition 3: APAC */
  { "Sydney", "Australia", "200" }, { "Tokyo", "Japan", "100" },
  { "Singapore", "Singapore", "018" }, { "Auckland", "New Zealand", "101" },
  { "Seoul", "South Korea", "045" }, { "Mumbai", "India", "400" },
};

static const char *const domains[] = { "example.com", "example.org", "example.net" };

static guint64
splitmix (guint64 *state)
{
  guint64 z = (*state += G_GUINT64_CONSTANT (0x9E3779B97F4A7C15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  return z ^ (z >> 31);
}

static guint64
lead_state (guint64 seed,
            guint   index)
{
  guint64 state = seed * G_GUINT64_CONSTANT (0x2545F4914F6CDD1D) + index;

  splitmix (&state);
  return state;
}

#define PICK(array, state) (array[splitmix (state) % G_N_ELEMENTS (array)])

static char *
seed_email_for (guint64 seed,
                guint   index)
{
  guint64 state = lead_state (seed, index);
  const char *first = PICK (first_names, &state);
  const char *last = PICK (last_names, &state);
  g_autofree char *email = g_strdup_printf ("%s.%s.%u@%s", first, last, index,
                                            domains[index % G_N_ELEMENTS (domains)]);

  return g_ascii_strdown (email, -1);
}

char *
_marketo_sandbox_seed_email (guint64 seed,
                             guint   index)
{
  if (index == 0)
    return NULL;
  /* every 1000th lead shares the e-mail of the one before (duplicates for 1007) */
  if (index % 1000 == 0)
    index--;
  return seed_email_for (seed, index);
}

static void
seed_one (MarketoSandboxDb *db,
          guint64           seed,
          guint             index)
{
  /* All dates hang from a fixed epoch so a seed always gives the same database */
  const gint64 epoch = G_GINT64_CONSTANT (1672531200) * G_USEC_PER_SEC; /* 2023-01-01 */
  guint64 state = lead_state (seed, index);
  const char *first = PICK (first_names, &state);
  const char *last = PICK (last_names, &state);
  const char *company = PICK (companies, &state);
  g_autofree char *email = _marketo_sandbox_seed_email (seed, index);
  guint roll = splitmix (&state) % 10;
  guint partition = roll < 6 ? 1 : roll < 8 ? 2 : 3;
  guint place = (partition - 1) * 6 + splitmix (&state) % 6;
  gint64 created = epoch + (gint64) (splitmix (&state) % (730 * 86400)) * G_USEC_PER_SEC;
  gint64 updated = created + (gint64) (splitmix (&state) % (365 * 86400)) * G_USEC_PER_SEC;
  SandboxLead *lead = insert_lead (db, 1000 + index, partition, created, updated);
  g_autofree char *slug = g_ascii_strdown (company, -1);
  char buffer[64];
  guint64 r;

  g_strdelimit (slug, " '", '-');
  lead->values[SANDBOX_FIELD_EMAIL] = g_steal_pointer (&email);
  lead->values[2] = g_strdup (first);
  lead->values[3] = g_strdup (last);
  lead->values[4] = g_strdup (company);
  lead->values[5] = g_strdup (PICK (titles, &state));
  lead->values[6] = g_strdup_printf ("+1 555 01%02u %04u", (guint) (splitmix (&state) % 100),
                                     (guint) (splitmix (&state) % 10000));
  lead->values[7] = g_strdup (places[place][0]);
  lead->values[8] = g_strdup (places[place][1]);
  lead->values[9] = g_strdup_printf ("%s%02u", places[place][2],
                                     (guint) (splitmix (&state) % 100));
  lead->values[10] = g_strdup_printf ("%u", (guint) (splitmix (&state) % 101));
  lead->values[11] = g_strdup_printf ("%u", (guint) (splitmix (&state) % 500 + 1) * 100000);
  lead->values[12] = g_strdup_printf ("%u", (guint) (splitmix (&state) % 5000 + 1));
  lead->values[13] = g_strdup (splitmix (&state) % 20 == 0 ? "true" : "false");
  r = splitmix (&state);
  lead->values[14] = g_strdup_printf ("%04u-%02u-%02u", (guint) (1950 + r % 55),
                                      (guint) (1 + (r >> 8) % 12), (guint) (1 + (r >> 16) % 28));
  lead->values[15] = g_strdup_printf ("https://www.%s.example", slug);
  lead->values[16] = g_strdup (PICK (lead_sources, &state));
  if (splitmix (&state) % 10 < 3)
    lead->values[20] = g_strdup_printf ("id:123-ABC-456&token:_mch-example.com-%013"
                                        G_GUINT64_FORMAT "-%05u",
                                        splitmix (&state) % G_GUINT64_CONSTANT (10000000000000),
                                        (guint) (splitmix (&state) % 100000));
  if (splitmix (&state) % 10 < 2)
    lead->values[21] = g_strdup_printf ("00Q%015" G_GUINT64_FORMAT,
                                        splitmix (&state) % G_GUINT64_CONSTANT (1000000000000000));
  lead->values[22] = g_strdup_printf ("C%07u", index);
  lead->values[23] = g_strdup (PICK (tiers, &state));
  lead->values[24] = g_strdup (g_ascii_dtostr (buffer, sizeof buffer,
                                               (double) (splitmix (&state) % 1000000) / 100.0));
  r = splitmix (&state);
  lead->values[25] = g_strdup_printf ("%04u-%02u-%02u", (guint) (2023 + r % 3),
                                      (guint) (1 + (r >> 8) % 12), (guint) (1 + (r >> 16) % 28));

  for (guint f = 0; f < N_FIELDS; f++)
    index_add (db, lead, f);
}

void
_marketo_sandbox_db_seed (MarketoSandboxDb *db,
                          guint64           seed,
                          guint             lead_count)
{
  const gint64 listed = G_GINT64_CONSTANT (1772446500) * G_USEC_PER_SEC; /* 2026-03-02 */
  SandboxList *spring, *newsletter, *vip, *webinar;

  for (guint i = 1; i <= lead_count; i++)
    seed_one (db, seed, i);

  spring = insert_list (db, 1187, "Spring Promo", "Spring promotion audience", 1001,
                        listed, listed);
  newsletter = insert_list (db, 1188, "Newsletter Subscribers", NULL, 12, listed, listed);
  vip = insert_list (db, 1189, "VIP Customers", "Platinum loyalty tier", 12, listed, listed);
  webinar = insert_list (db, 1190, "EMEA Webinar Attendees", NULL, 21, listed, listed);

  for (guint i = 0; i < db->leads->len; i++)
    {
      SandboxLead *lead = db->leads->pdata[i];

      if (i % 20 == 0)
        _sandbox_list_add (spring, lead->id, listed);
      if (i % 7 == 0 && g_strcmp0 (lead->values[13], "false") == 0)
        _sandbox_list_add (newsletter, lead->id, listed);
      if (g_strcmp0 (lead->values[23], "Platinum") == 0 && i % 3 == 0)
        _sandbox_list_add (vip, lead->id, listed);
      if (lead->partition == 2 && i % 11 == 0)
        _sandbox_list_add (webinar, lead->id, listed);
    }
}

/* ---- Delimited files --------------------------------------------------------------------- */

GPtrArray *
_sandbox_parse_delimited (const char *data,
                          gsize       length,
                          char        delimiter)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GPtrArray) row = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) field = g_string_new (NULL);
  gboolean quoted = FALSE;
  gboolean row_has_content = FALSE;
  gsize i = 0;

  if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    i = 3;

  for (; i <= length; i++)
    {
      char c = i < length ? data[i] : '\n';

      if (quoted)
        {
          if (i == length)
            return NULL;
          if (c == '"')
            {
              if (i + 1 < length && data[i + 1] == '"')
                {
                  g_string_append_c (field, '"');
                  i++;
                }
              else
                quoted = FALSE;
            }
          else
            g_string_append_c (field, c);
          continue;
        }

      if (c == '"' && field->len == 0)
        {
          quoted = TRUE;
          row_has_content = TRUE;
        }
      else if (c == delimiter)
        {
          g_ptr_array_add (row, g_strdup (field->str));
          g_string_truncate (field, 0);
          row_has_content = TRUE;
        }
      else if (c == '\n' || c == '\r')
        {
          if (c == '\r' && i + 1 < length && data[i + 1] == '\n')
            i++;
          if (row_has_content || field->len > 0)
            {
              g_ptr_array_add (row, g_strdup (field->str));
              g_ptr_array_add (row, NULL);
              g_ptr_array_add (rows, g_ptr_array_steal (row, NULL));
            }
          g_string_truncate (field, 0);
          row_has_content = FALSE;
        }
      else
        {
          g_string_append_c (field, c);
          row_has_content = TRUE;
        }
    }
  return g_steal_pointer (&rows);
}

static void
append_delimited_field (GString    *out,
                        const char *value,
                        char        delimiter)
{
  if (strchr (value, delimiter) != NULL || strpbrk (value, "\"\r\n") != NULL)
    {
      g_string_append_c (out, '"');
      for (const char *p = value; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  else
    g_string_append (out, value);
}

void
_sandbox_append_delimited_row (GString           *out,
                               const char *const *row,
                               guint              n_fields,
                               const char        *extra,
                               char               delimiter)
{
  for (guint i = 0; i < n_fields; i++)
    {
      if (i > 0)
        g_string_append_c (out, delimiter);
      append_delimited_field (out, row[i] != NULL ? row[i] : "", delimiter);
    }
  if (extra != NULL)
    {
      if (n_fields > 0)
        g_string_append_c (out, delimiter);
      append_delimited_field (out, extra, delimiter);
    }
  g_string_append_c (out, '\n');
}

char
_sandbox_format_delimiter (const char *format)
{
  if (g_strcmp0 (format, "csv") == 0)
    return ',';
  if (g_strcmp0 (format, "tsv") == 0)
    return '\t';
  if (g_strcmp0 (format, "ssv") == 0)
    return ';';
  return '\0';
}

/* ---- Bulk import jobs -------------------------------------------------------------------- */

SandboxJob *
_marketo_sandbox_db_get_job (MarketoSandboxDb *db,
                             gint64            batch_id)
{
  for (guint i = 0; i < db->jobs->len; i++)
    if (((SandboxJob *) db->jobs->pdata[i])->batch_id == batch_id)
      return db->jobs->pdata[i];
  return NULL;
}

guint
_marketo_sandbox_db_active_jobs (MarketoSandboxDb *db)
{
  guint n = 0;

  for (guint i = 0; i < db->jobs->len; i++)
    {
      SandboxJob *job = db->jobs->pdata[i];

      if (job->state == SANDBOX_JOB_QUEUED || job->state == SANDBOX_JOB_IMPORTING)
        n++;
    }
  return n;
}

SandboxJob *
_marketo_sandbox_db_add_job (MarketoSandboxDb *db,
                             const char       *format,
                             int               lookup_field,
                             gint64            list_id,
                             guint             partition,
                             GBytes           *file,
                             gint64            now)
{
  SandboxJob *job = g_new0 (SandboxJob, 1);

  job->batch_id = db->next_batch_id++;
  job->state = SANDBOX_JOB_QUEUED;
  job->format = g_strdup (format);
  job->delimiter = _sandbox_format_delimiter (format);
  job->lookup_field = lookup_field;
  job->list_id = list_id;
  job->partition = partition;
  job->file = g_bytes_ref (file);
  job->created_at = now;
  job->message = g_strdup ("Queued for processing");
  job->failures = g_string_new (NULL);
  job->warnings = g_string_new (NULL);
  g_ptr_array_add (db->jobs, job);
  return job;
}

static void
fail_job (SandboxJob *job,
          char       *message)
{
  job->state = SANDBOX_JOB_FAILED;
  g_free (job->message);
  job->message = message;
}

static void
run_job (MarketoSandboxDb *db,
         SandboxJob       *job,
         gboolean          partition_rule,
         gint64            now)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree int *columns = NULL;
  SandboxList *list = job->list_id != 0 ? _marketo_sandbox_db_get_list (db, job->list_id) : NULL;
  const char *const *header;
  gsize length = 0;
  const char *data = g_bytes_get_data (job->file, &length);
  guint n_columns;
  gboolean has_lookup = FALSE;

  rows = _sandbox_parse_delimited (data, length, job->delimiter);
  g_clear_pointer (&job->file, g_bytes_unref);
  if (rows == NULL || rows->len == 0)
    {
      fail_job (job, g_strdup (rows == NULL ? "Import failed: unterminated quoted field"
                                            : "Import failed: the file is empty"));
      return;
    }

  header = rows->pdata[0];
  n_columns = g_strv_length ((GStrv) header);
  columns = g_new0 (int, n_columns);
  for (guint c = 0; c < n_columns; c++)
    {
      g_autofree char *name = g_strstrip (g_strdup (header[c]));

      columns[c] = _sandbox_field_index (name);
      if (columns[c] < 0)
        {
          fail_job (job, g_strdup_printf ("Import failed: field '%s' not found", name));
          return;
        }
      if (columns[c] == job->lookup_field)
        has_lookup = TRUE;
    }
  if (!has_lookup)
    {
      fail_job (job, g_strdup_printf ("Import failed: lookup field '%s' is not in the file",
                                      fields[job->lookup_field].name));
      return;
    }

  _sandbox_append_delimited_row (job->failures, header, n_columns, "Import Failure Reason",
                                 job->delimiter);
  _sandbox_append_delimited_row (job->warnings, header, n_columns, "Import Warning Reason",
                                 job->delimiter);

  for (guint r = 1; r < rows->len; r++)
    {
      const char *const *row = rows->pdata[r];
      guint n = g_strv_length ((GStrv) row);
      g_autoptr(GArray) values = _sandbox_values_new ();
      g_autofree char *problem = NULL;
      g_autofree char *warning = NULL;
      SandboxOutcome outcome;

      job->processed++;
      if (n != n_columns)
        problem = g_strdup_printf ("Row has %u columns, the header has %u", n, n_columns);

      for (guint c = 0; problem == NULL && c < n_columns; c++)
        {
          SandboxValue value = { columns[c], NULL };
          int code = 0;
          g_autofree char *message = NULL;

          if (row[c][0] == '\0')
            continue;
          if (!_marketo_sandbox_coerce_text (columns[c], row[c], &value.value, &code, &message))
            {
              problem = g_steal_pointer (&message);
              break;
            }
          if (fields[columns[c]].length > 0 && value.value != NULL
              && g_utf8_strlen (value.value, -1) > fields[columns[c]].length)
            {
              char *cut = g_utf8_substring (value.value, 0, fields[columns[c]].length);

              g_free (value.value);
              value.value = cut;
              if (warning == NULL)
                warning = g_strdup_printf ("Value for field '%s' truncated to %d characters",
                                           fields[columns[c]].name, fields[columns[c]].length);
            }
          g_array_append_val (values, value);
        }

      if (problem == NULL)
        {
          _marketo_sandbox_db_upsert (db, SANDBOX_ACTION_CREATE_OR_UPDATE, job->lookup_field,
                                      job->partition, partition_rule, values, now, &outcome);
          if (outcome.id == 0)
            problem = outcome.message;
          else
            {
              g_free (outcome.message);
              job->imported++;
              if (list != NULL)
                {
                  _sandbox_list_add (list, outcome.id, now);
                  job->members++;
                }
            }
        }

      if (problem != NULL)
        {
          job->failed++;
          _sandbox_append_delimited_row (job->failures, row, MIN (n, n_columns), problem,
                                         job->delimiter);
        }
      else if (warning != NULL)
        {
          job->warned++;
          _sandbox_append_delimited_row (job->warnings, row, n_columns, warning,
                                         job->delimiter);
        }
    }

  job->state = SANDBOX_JOB_COMPLETE;
  g_free (job->message);
  if (job->failed == 0)
    job->message = list != NULL
      ? g_strdup_printf ("Import succeeded, %u records imported (%u members)", job->imported,
                         job->members)
      : g_strdup_printf ("Import succeeded, %u records imported", job->imported);
  else
    job->message = list != NULL
      ? g_strdup_printf ("Import completed with errors, %u records imported (%u members), "
                         "%u failed", job->imported, job->members, job->failed)
      : g_strdup_printf ("Import completed with errors, %u records imported, %u failed",
                         job->imported, job->failed);
}

guint
_marketo_sandbox_db_step_jobs (MarketoSandboxDb *db,
                               gboolean          partition_rule,
                               gint64            now)
{
  guint changed = 0;
  guint running = 0;

  for (guint i = 0; i < db->jobs->len; i++)
    {
      SandboxJob *job = db->jobs->pdata[i];

      if (job->state == SANDBOX_JOB_IMPORTING)
        {
          run_job (db, job, partition_rule, now);
          changed++;
        }
    }
  for (guint i = 0; i < db->jobs->len && running < 2; i++)
    {
      SandboxJob *job = db->jobs->pdata[i];

      if (job->state == SANDBOX_JOB_QUEUED)
        {
          job->state = SANDBOX_JOB_IMPORTING;
          g_free (job->message);
          job->message = g_strdup ("Import in progress");
          running++;
          changed++;
        }
    }
  return changed;
}

/* ---- Snapshots --------------------------------------------------------------------------- */

static void
append_json_string (GString    *out,
                    const char *text)
{
  if (text == NULL)
    {
      g_string_append (out, "null");
      return;
    }
  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if (*p < 0x20)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, *p);
        }
    }
  g_string_append_c (out, '"');
}

char *
_marketo_sandbox_db_serialize (MarketoSandboxDb *db,
                               gsize            *length)
{
  GString *out = g_string_sized_new (256 + db->leads->len * 400);

  g_string_append_printf (out, "{\"format\":\"%s\",\"nextLeadId\":%" G_GINT64_FORMAT
                          ",\"nextListId\":%" G_GINT64_FORMAT ",\"nextBatchId\":%"
                          G_GINT64_FORMAT ",\"usage\":{\"day\":", SNAPSHOT_FORMAT,
                          db->next_lead_id, db->next_list_id, db->next_batch_id);
  append_json_string (out, db->usage_day);
  g_string_append_printf (out, ",\"count\":%u},\n\"fields\":[", db->usage_count);
  for (guint f = 0; f < N_FIELDS; f++)
    {
      if (f > 0)
        g_string_append_c (out, ',');
      append_json_string (out, fields[f].name);
    }
  g_string_append (out, "],\n\"leads\":[");
  for (guint i = 0; i < db->leads->len; i++)
    {
      SandboxLead *lead = db->leads->pdata[i];

      g_string_append_printf (out, "%s\n[%" G_GINT64_FORMAT ",%u,%" G_GINT64_FORMAT ",%"
                              G_GINT64_FORMAT, i > 0 ? "," : "", lead->id, lead->partition,
                              lead->created_at, lead->updated_at);
      for (guint f = 0; f < N_FIELDS; f++)
        {
          g_string_append_c (out, ',');
          append_json_string (out, lead->values[f]);
        }
      g_string_append_c (out, ']');
    }
  g_string_append (out, "],\n\"lists\":[");
  for (guint i = 0; i < db->lists->len; i++)
    {
      SandboxList *list = db->lists->pdata[i];
      GHashTableIter iter;
      gpointer key, value;
      gboolean first = TRUE;

      g_string_append_printf (out, "%s\n{\"id\":%" G_GINT64_FORMAT ",\"name\":", i > 0 ? "," : "",
                              list->id);
      append_json_string (out, list->name);
      g_string_append (out, ",\"description\":");
      append_json_string (out, list->description);
      g_string_append_printf (out, ",\"folderId\":%" G_GINT64_FORMAT ",\"createdAt\":%"
                              G_GINT64_FORMAT ",\"updatedAt\":%" G_GINT64_FORMAT
                              ",\"members\":[", list->folder_id, list->created_at,
                              list->updated_at);
      g_hash_table_iter_init (&iter, list->members);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          g_string_append_printf (out, "%s[%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT "]",
                                  first ? "" : ",", *(gint64 *) key, *(gint64 *) value);
          first = FALSE;
        }
      g_string_append (out, "]}");
    }
  g_string_append (out, "]}\n");
  *length = out->len;
  return g_string_free (out, FALSE);
}

static JsonArray *
member_array (JsonObject *object,
              const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static gint64
array_int (JsonArray *array,
           guint      i)
{
  JsonNode *node = json_array_get_element (array, i);

  return JSON_NODE_HOLDS_VALUE (node) ? json_node_get_int (node) : 0;
}

MarketoSandboxDb *
_marketo_sandbox_db_load (const char  *path,
                          GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(MarketoSandboxDb) db = NULL;
  g_autofree int *columns = NULL;
  JsonObject *root;
  JsonObject *usage;
  JsonArray *names;
  JsonArray *leads;
  JsonArray *lists;
  guint n_names;

  if (!json_parser_load_from_mapped_file (parser, path, error))
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))
      || (root = json_node_get_object (json_parser_get_root (parser))) == NULL
      || g_strcmp0 (json_object_get_string_member_with_default (root, "format", ""),
                    SNAPSHOT_FORMAT) != 0
      || (names = member_array (root, "fields")) == NULL
      || (leads = member_array (root, "leads")) == NULL
      || (lists = member_array (root, "lists")) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s is not a sandbox state file", path);
      return NULL;
    }

  db = _marketo_sandbox_db_new ();
  n_names = json_array_get_length (names);
  columns = g_new0 (int, n_names);
  for (guint i = 0; i < n_names; i++)
    columns[i] = _sandbox_field_index (json_array_get_string_element (names, i));

  for (guint i = 0; i < json_array_get_length (leads); i++)
    {
      JsonNode *row_node = json_array_get_element (leads, i);
      JsonArray *row = JSON_NODE_HOLDS_ARRAY (row_node) ? json_node_get_array (row_node) : NULL;
      SandboxLead *lead;

      if (row == NULL || json_array_get_length (row) != 4 + n_names)
        continue;
      lead = insert_lead (db, array_int (row, 0), array_int (row, 1), array_int (row, 2),
                          array_int (row, 3));
      for (guint c = 0; c < n_names; c++)
        {
          JsonNode *node = json_array_get_element (row, 4 + c);

          if (columns[c] >= 0 && JSON_NODE_HOLDS_VALUE (node)
              && json_node_get_value_type (node) == G_TYPE_STRING)
            {
              lead->values[columns[c]] = g_strdup (json_node_get_string (node));
              index_add (db, lead, columns[c]);
            }
        }
    }

  for (guint i = 0; i < json_array_get_length (lists); i++)
    {
      JsonNode *list_node = json_array_get_element (lists, i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (list_node) ? json_node_get_object (list_node)
                                                              : NULL;
      JsonArray *members;
      SandboxList *list;

      if (object == NULL)
        continue;
      list = insert_list (db, json_object_get_int_member_with_default (object, "id", 0),
                          json_object_get_string_member_with_default (object, "name", ""),
                          json_object_get_string_member_with_default (object, "description",
                                                                      NULL),
                          json_object_get_int_member_with_default (object, "folderId", 12),
                          json_object_get_int_member_with_default (object, "createdAt", 0),
                          json_object_get_int_member_with_default (object, "updatedAt", 0));
      members = member_array (object, "members");
      for (guint m = 0; members != NULL && m < json_array_get_length (members); m++)
        {
          JsonNode *pair_node = json_array_get_element (members, m);
          JsonArray *pair = JSON_NODE_HOLDS_ARRAY (pair_node) ? json_node_get_array (pair_node)
                                                              : NULL;

          if (pair != NULL && json_array_get_length (pair) == 2)
            _sandbox_list_add (list, array_int (pair, 0), array_int (pair, 1));
        }
      list->updated_at = json_object_get_int_member_with_default (object, "updatedAt", 0);
    }

  db->next_lead_id = MAX (db->next_lead_id,
                          json_object_get_int_member_with_default (root, "nextLeadId", 0));
  db->next_list_id = MAX (db->next_list_id,
                          json_object_get_int_member_with_default (root, "nextListId", 0));
  db->next_batch_id = MAX (db->next_batch_id,
                           json_object_get_int_member_with_default (root, "nextBatchId", 0));
  usage = json_object_has_member (root, "usage")
          && JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "usage"))
          ? json_object_get_object_member (root, "usage") : NULL;
  if (usage != NULL)
    {
      db->usage_day = g_strdup (json_object_get_string_member_with_default (usage, "day",
                                                                            NULL));
      db->usage_count = json_object_get_int_member_with_default (usage, "count", 0);
    }
  return g_steal_pointer (&db);
}
