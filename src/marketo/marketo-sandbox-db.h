/* marketo-sandbox-db.h: the sandbox's lead database (private to the sandbox)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Plain data, no locking: the sandbox holds its lock around every use. Leads are indexed by
 * id and by each lookup field, so a 300-value lookup or a 300-record upsert costs 300 hash
 * look-ups whatever the database size.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "marketo-sandbox-private.h"

G_BEGIN_DECLS

/* The field schema; Describe, Describe2, validation and storage all come from it. */
typedef struct {
  int         id;            /* Marketo's field id */
  const char *name;          /* REST API name */
  const char *display_name;
  const char *data_type;     /* "string", "email", "integer", ... */
  int         length;        /* 0: no length */
  gboolean    read_only;
  gboolean    searchable;    /* a filterType of Get Leads by Filter Type */
  gboolean    lookup;        /* a lookupField of Sync Leads / bulk import */
  gboolean    crm_managed;
  const char *soap_name;     /* (nullable) */
} SandboxField;

/* Indexes of the fields the database treats specially */
enum {
  SANDBOX_FIELD_ID = 0,
  SANDBOX_FIELD_EMAIL,
  SANDBOX_FIELD_CREATED_AT = 17,
  SANDBOX_FIELD_UPDATED_AT,
  SANDBOX_FIELD_PARTITION,
};

const SandboxField *_sandbox_fields           (guint       *n_fields);
int                 _sandbox_field_index      (const char  *name);

typedef struct {
  guint       id;
  const char *name;
  const char *description;
} SandboxPartition;

const SandboxPartition *_sandbox_partitions         (guint       *n_partitions);
const SandboxPartition *_sandbox_partition_by_name  (const char  *name);

typedef struct {
  gint64      id;
  const char *name;
  const char *type;          /* "Folder" or "Program" */
  gint64      parent_id;     /* 0: a root */
  const char *path;
  const char *workspace;
  gboolean    is_archive;
  const char *description;
} SandboxFolder;

const SandboxFolder *_sandbox_folders         (guint       *n_folders);
const SandboxFolder *_sandbox_folder_by_id    (gint64       id);

typedef struct {
  gint64   id;
  guint    partition;
  gint64   created_at;       /* µs since the epoch */
  gint64   updated_at;
  char   **values;           /* (owned) one canonical string (or NULL) per field */
} SandboxLead;

typedef struct {
  gint64      id;
  char       *name;
  char       *description;   /* (nullable) */
  gint64      folder_id;
  gint64      created_at;
  gint64      updated_at;
  GHashTable *members;       /* (element-type gint64 gint64) lead id -> added at */
  GArray     *sorted;        /* (nullable) cache: member ids in ascending order */
} SandboxList;

typedef enum {
  SANDBOX_JOB_QUEUED,
  SANDBOX_JOB_IMPORTING,
  SANDBOX_JOB_COMPLETE,
  SANDBOX_JOB_FAILED,
} SandboxJobState;

typedef struct {
  gint64           batch_id;
  SandboxJobState  state;
  char             delimiter;
  char            *format;
  int              lookup_field;
  gint64           list_id;          /* 0: none */
  guint            partition;        /* 0: not given */
  GBytes          *file;             /* (nullable) dropped once imported */
  gint64           created_at;
  guint            processed;
  guint            failed;
  guint            warned;
  guint            imported;
  guint            members;
  char            *message;
  GString         *failures;         /* delimited file with "Import Failure Reason" */
  GString         *warnings;
} SandboxJob;

struct _MarketoSandboxDb {
  GPtrArray  *leads;                 /* (element-type SandboxLead) ascending ids */
  GHashTable *by_id;                 /* gint64 -> SandboxLead */
  GHashTable **index;                /* per field: key -> GPtrArray of SandboxLead, or NULL */
  gint64      next_lead_id;
  GPtrArray  *lists;                 /* (element-type SandboxList) */
  GHashTable *lists_by_id;
  gint64      next_list_id;
  GPtrArray  *jobs;                  /* (element-type SandboxJob) */
  gint64      next_batch_id;
  char       *usage_day;             /* (nullable) kept with the state file */
  guint       usage_count;
};

MarketoSandboxDb *_marketo_sandbox_db_new        (void);
void              _marketo_sandbox_db_free       (MarketoSandboxDb  *db);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MarketoSandboxDb, _marketo_sandbox_db_free)

void              _marketo_sandbox_db_seed       (MarketoSandboxDb  *db,
                                                  guint64            seed,
                                                  guint              lead_count);
char             *_marketo_sandbox_seed_email    (guint64            seed,
                                                  guint              index);

char             *_marketo_sandbox_db_serialize  (MarketoSandboxDb  *db,
                                                  gsize             *length);
MarketoSandboxDb *_marketo_sandbox_db_load       (const char        *path,
                                                  GError           **error);

/* Leads */
SandboxLead      *_marketo_sandbox_db_get_lead   (MarketoSandboxDb  *db,
                                                  gint64             id);
/* (transfer container) the leads whose @field equals @value (emails: any case) */
GPtrArray        *_marketo_sandbox_db_find       (MarketoSandboxDb  *db,
                                                  int                field,
                                                  const char        *value);
SandboxLead      *_marketo_sandbox_db_create_lead (MarketoSandboxDb *db,
                                                   guint             partition,
                                                   gint64            now);
void              _marketo_sandbox_db_set_value  (MarketoSandboxDb  *db,
                                                  SandboxLead       *lead,
                                                  int                field,
                                                  const char        *canonical);
void              _marketo_sandbox_db_set_partition (MarketoSandboxDb *db,
                                                     SandboxLead      *lead,
                                                     guint             partition);
/* The value of @field as JSON (typed by the schema); the special fields included. */
JsonNode         *_marketo_sandbox_lead_value    (const SandboxLead *lead,
                                                  int                field);
/* @fields: field indexes, or NULL for all */
JsonObject       *_marketo_sandbox_lead_to_json  (const SandboxLead *lead,
                                                  const int         *fields,
                                                  guint              n_fields);

/* Values in and out. Returns TRUE and the canonical string (NULL for a JSON null), or FALSE
 * with a Marketo reason code (1001, 1003) and message. */
gboolean          _marketo_sandbox_coerce_json   (int                field,
                                                  JsonNode          *node,
                                                  char             **canonical,
                                                  int               *code,
                                                  char             **message);
gboolean          _marketo_sandbox_coerce_text   (int                field,
                                                  const char        *text,
                                                  char             **canonical,
                                                  int               *code,
                                                  char             **message);

/* The upsert shared by Sync Leads, bulk import and the seeding API. */
typedef enum {
  SANDBOX_ACTION_CREATE_OR_UPDATE,
  SANDBOX_ACTION_CREATE_ONLY,
  SANDBOX_ACTION_UPDATE_ONLY,
  SANDBOX_ACTION_CREATE_DUPLICATE,
} SandboxAction;

typedef struct {
  int    field;
  char  *value;                      /* (owned) (nullable) canonical */
} SandboxValue;

typedef struct {
  const char *status;                /* "created", "updated" or "skipped" */
  gint64      id;                    /* 0 when skipped */
  int         code;                  /* reason code when skipped */
  char       *message;               /* (owned) (nullable) */
} SandboxOutcome;

/* @values: GArray of SandboxValue, already coerced. @partition: 0 = not given (Default);
 * G_MAXUINT = an unknown partition name (creating fails with 1003). */
void              _marketo_sandbox_db_upsert     (MarketoSandboxDb  *db,
                                                  SandboxAction      action,
                                                  int                lookup_field,
                                                  guint              partition,
                                                  gboolean           partition_rule,
                                                  GArray            *values,
                                                  gint64             now,
                                                  SandboxOutcome    *outcome);
GArray           *_sandbox_values_new            (void);

/* Lists */
SandboxList      *_marketo_sandbox_db_get_list   (MarketoSandboxDb  *db,
                                                  gint64             id);
SandboxList      *_marketo_sandbox_db_find_list  (MarketoSandboxDb  *db,
                                                  const char        *name);
SandboxList      *_marketo_sandbox_db_add_list   (MarketoSandboxDb  *db,
                                                  const char        *name,
                                                  const char        *description,
                                                  gint64             folder_id,
                                                  gint64             now);
void              _marketo_sandbox_db_remove_list (MarketoSandboxDb *db,
                                                   SandboxList      *list);
gboolean          _sandbox_list_add              (SandboxList       *list,
                                                  gint64             lead_id,
                                                  gint64             now);
gboolean          _sandbox_list_remove           (SandboxList       *list,
                                                  gint64             lead_id);
GArray           *_sandbox_list_sorted           (SandboxList       *list);

/* Bulk import */
SandboxJob       *_marketo_sandbox_db_get_job    (MarketoSandboxDb  *db,
                                                  gint64             batch_id);
guint             _marketo_sandbox_db_active_jobs (MarketoSandboxDb *db);
SandboxJob       *_marketo_sandbox_db_add_job    (MarketoSandboxDb  *db,
                                                  const char        *format,
                                                  int                lookup_field,
                                                  gint64             list_id,
                                                  guint              partition,
                                                  GBytes            *file,
                                                  gint64             now);
/* Importing jobs finish, then queued ones start (2 at most); returns how many changed. */
guint             _marketo_sandbox_db_step_jobs  (MarketoSandboxDb  *db,
                                                  gboolean           partition_rule,
                                                  gint64             now);
char              _sandbox_format_delimiter      (const char        *format);

/* Delimited text: rows of fields (RFC 4180 quoting), NULL on a broken quote. */
GPtrArray        *_sandbox_parse_delimited       (const char        *data,
                                                  gsize              length,
                                                  char               delimiter);
void              _sandbox_append_delimited_row  (GString           *out,
                                                  const char *const *fields,
                                                  guint              n_fields,
                                                  const char        *extra,
                                                  char               delimiter);

/* Times */
char             *_sandbox_format_time           (gint64             usec,
                                                  gboolean           asset_style);

G_END_DECLS
