/* marketo-types.h: typed results of the Marketo client
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Plain boxed structs: read the fields directly, free with the matching _free() (or
 * g_autoptr). Arrays returned by the client are GPtrArrays that own their elements.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* ---- Lead fields: Describe (v1) and Describe2 ---- */

typedef struct {
  char     *name;          /* REST API name; NULL when the field is not usable over REST (v1) */
  char     *display_name;
  char     *data_type;     /* "string", "email", "integer", "datetime", … */
  gint64    length;        /* -1 when not given */
  gboolean  read_only;     /* v1: rest.readOnly; Describe2: !updateable */
  gint64    id;            /* v1 only, else 0 */
  char     *soap_name;     /* v1 only (nullable) */
  gboolean  crm_managed;   /* Describe2 only */
} MarketoField;

#define MARKETO_TYPE_FIELD (marketo_field_get_type ())
GType         marketo_field_get_type (void) G_GNUC_CONST;
MarketoField *marketo_field_copy     (const MarketoField *field);
void          marketo_field_free     (MarketoField       *field);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MarketoField, marketo_field_free)

/* What Describe2 tells about the lead object. */
typedef struct {
  char      *name;              /* "API Lead" */
  GPtrArray *fields;            /* (element-type MarketoField) */
  GPtrArray *searchable_fields; /* (element-type GStrv) each a key of one or more fields */
} MarketoLeadSchema;

#define MARKETO_TYPE_LEAD_SCHEMA (marketo_lead_schema_get_type ())
GType              marketo_lead_schema_get_type      (void) G_GNUC_CONST;
MarketoLeadSchema *marketo_lead_schema_copy          (const MarketoLeadSchema *schema);
void               marketo_lead_schema_free          (MarketoLeadSchema       *schema);
/* The field named @name, or NULL. */
MarketoField      *marketo_lead_schema_lookup_field  (const MarketoLeadSchema *schema,
                                                      const char              *name);
/* TRUE if @name alone is a searchable key (a valid filterType / lookupField). */
gboolean           marketo_lead_schema_is_searchable (const MarketoLeadSchema *schema,
                                                      const char              *name);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MarketoLeadSchema, marketo_lead_schema_free)

/* ---- Partitions ---- */

typedef struct {
  gint64  id;
  char   *name;
  char   *description;  /* (nullable) */
} MarketoPartition;

#define MARKETO_TYPE_PARTITION (marketo_partition_get_type ())
GType             marketo_partition_get_type (void) G_GNUC_CONST;
MarketoPartition *marketo_partition_copy     (const MarketoPartition *partition);
void              marketo_partition_free     (MarketoPartition       *partition);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MarketoPartition, marketo_partition_free)

/* ---- Static lists (Lead Database lists and Asset static lists) ---- */

typedef struct {
  gint64     id;
  char      *name;
  char      *description;     /* (nullable) */
  char      *program_name;    /* (nullable) Lead Database lists */
  char      *workspace_name;  /* (nullable) */
  GDateTime *created_at;      /* (nullable) */
  GDateTime *updated_at;      /* (nullable) */
  gint64     folder_id;       /* Asset static lists, else 0 */
  char      *folder_type;     /* (nullable) "Folder" or "Program" */
  char      *url;             /* (nullable) computedUrl or url */
} MarketoList;

#define MARKETO_TYPE_LIST (marketo_list_get_type ())
GType        marketo_list_get_type (void) G_GNUC_CONST;
MarketoList *marketo_list_copy     (const MarketoList *list);
void         marketo_list_free     (MarketoList       *list);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MarketoList, marketo_list_free)

typedef struct {
  GPtrArray *lists;            /* (element-type MarketoList) */
  char      *next_page_token;  /* (nullable) Lead Database paging */
  gboolean   more_result;      /* another page exists (token or next offset) */
  guint      next_offset;      /* Asset paging: the offset of the next page */
} MarketoListPage;

#define MARKETO_TYPE_LIST_PAGE (marketo_list_page_get_type ())
GType            marketo_list_page_get_type (void) G_GNUC_CONST;
MarketoListPage *marketo_list_page_copy     (const MarketoListPage *page);
void             marketo_list_page_free     (MarketoListPage       *page);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MarketoListPage, marketo_list_page_free)

/* ---- Folders (Asset API: marketing folders and programs) ---- */

typedef struct {
  gint64    id;
  char     *name;
  char     *type;          /* "Folder" or "Program" (folderId.type) */
  char     *path;          /* "/Marketing Activities/Default/Audiences" */
  char     *workspace;     /* (nullable) */
  gboolean  is_archive;
  gint64    parent_id;     /* 0 at a workspace root */
  char     *parent_type;   /* (nullable) "Folder" or "Program" */
  char     *url;           /* (nullable) */
} MarketoFolder;

#define MARKETO_TYPE_FOLDER (marketo_folder_get_type ())
GType          marketo_folder_get_type (void) G_GNUC_CONST;
MarketoFolder *marketo_folder_copy     (const MarketoFolder *folder);
void           marketo_folder_free     (MarketoFolder       *folder);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MarketoFolder, marketo_folder_free)

/* In @folders (element-type MarketoFolder): the folder with @id and @type (NULL: any type),
 * or NULL. */
MarketoFolder *marketo_folders_find_by_id   (GPtrArray   *folders,
                                             gint64       id,
                                             const char  *type);
/* (element-type MarketoFolder) (transfer container): the folders named exactly @name, in
 * the order of @folders; empty when none. */
GPtrArray     *marketo_folders_find_by_name (GPtrArray   *folders,
                                             const char  *name);

typedef struct {
  GPtrArray *folders;      /* (element-type MarketoFolder) */
  gboolean   more_result;  /* a full page came back: another may exist at next_offset */
  guint      next_offset;
} MarketoFolderPage;

#define MARKETO_TYPE_FOLDER_PAGE (marketo_folder_page_get_type ())
GType              marketo_folder_page_get_type (void) G_GNUC_CONST;
MarketoFolderPage *marketo_folder_page_copy     (const MarketoFolderPage *page);
void               marketo_folder_page_free     (MarketoFolderPage       *page);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MarketoFolderPage, marketo_folder_page_free)

/* ---- Leads ---- */

typedef struct {
  gint64      id;      /* 0 if the record had none */
  JsonObject *fields;  /* (owned) every member as returned, "id" included */
} MarketoLead;

#define MARKETO_TYPE_LEAD (marketo_lead_get_type ())
GType        marketo_lead_get_type   (void) G_GNUC_CONST;
MarketoLead *marketo_lead_copy       (const MarketoLead *lead);
void         marketo_lead_free       (MarketoLead       *lead);
/* The value of @field as a string (numbers and booleans converted), NULL when absent/null. */
char        *marketo_lead_dup_string (const MarketoLead *lead,
                                      const char        *field);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MarketoLead, marketo_lead_free)

typedef struct {
  GPtrArray *leads;            /* (element-type MarketoLead) */
  char      *next_page_token;  /* (nullable) */
  gboolean   more_result;
} MarketoLeadPage;

#define MARKETO_TYPE_LEAD_PAGE (marketo_lead_page_get_type ())
GType            marketo_lead_page_get_type (void) G_GNUC_CONST;
MarketoLeadPage *marketo_lead_page_copy     (const MarketoLeadPage *page);
void             marketo_lead_page_free     (MarketoLeadPage       *page);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MarketoLeadPage, marketo_lead_page_free)

/* ---- Record-level results (sync, list membership) ---- */

typedef enum {
  MARKETO_RECORD_STATUS_UNKNOWN,
  MARKETO_RECORD_STATUS_CREATED,
  MARKETO_RECORD_STATUS_UPDATED,
  MARKETO_RECORD_STATUS_SKIPPED,
  MARKETO_RECORD_STATUS_ADDED,
  MARKETO_RECORD_STATUS_REMOVED,
  MARKETO_RECORD_STATUS_MEMBER_OF,
  MARKETO_RECORD_STATUS_NOT_MEMBER_OF,
  MARKETO_RECORD_STATUS_DELETED,
} MarketoRecordStatus;

const char          *marketo_record_status_to_string   (MarketoRecordStatus status);
MarketoRecordStatus  marketo_record_status_from_string (const char *status);

typedef struct {
  int   code;     /* 1xxx */
  char *message;
} MarketoReason;

typedef struct {
  guint                index;       /* position of the record in the caller's input */
  MarketoRecordStatus  status;
  gint64               lead_id;     /* 0 when Marketo gave none (skipped sync rows) */
  GArray              *reasons;     /* (element-type MarketoReason) never NULL, often empty */
  char                *request_id;  /* (nullable) the call that carried this record */
} MarketoRecordResult;

#define MARKETO_TYPE_RECORD_RESULT (marketo_record_result_get_type ())
GType                marketo_record_result_get_type (void) G_GNUC_CONST;
MarketoRecordResult *marketo_record_result_new      (void);
MarketoRecordResult *marketo_record_result_copy     (const MarketoRecordResult *result);
void                 marketo_record_result_free     (MarketoRecordResult       *result);
void                 marketo_record_result_add_reason (MarketoRecordResult *result,
                                                       int                  code,
                                                       const char          *message);
/* The first reason's code, or 0. */
int                  marketo_record_result_get_code (const MarketoRecordResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MarketoRecordResult, marketo_record_result_free)

/* ---- Bulk import ---- */

typedef enum {
  MARKETO_IMPORT_FORMAT_CSV,
  MARKETO_IMPORT_FORMAT_TSV,
  MARKETO_IMPORT_FORMAT_SSV,
} MarketoImportFormat;

typedef struct {
  gint64  batch_id;
  char   *import_id;            /* (nullable) */
  char   *status;               /* "Queued", "Importing", "Complete", "Failed" */
  gint64  leads_processed;      /* -1 when not given */
  gint64  rows_failed;          /* -1 when not given */
  gint64  rows_with_warning;    /* -1 when not given */
  char   *message;              /* (nullable) */
} MarketoImportJob;

#define MARKETO_TYPE_IMPORT_JOB (marketo_import_job_get_type ())
GType             marketo_import_job_get_type    (void) G_GNUC_CONST;
MarketoImportJob *marketo_import_job_copy        (const MarketoImportJob *job);
void              marketo_import_job_free        (MarketoImportJob       *job);
/* TRUE once the job is Complete or Failed. */
gboolean          marketo_import_job_is_finished (const MarketoImportJob *job);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MarketoImportJob, marketo_import_job_free)

/* ---- Usage (stats/usage.json) ---- */

typedef struct {
  char   *user_id;
  gint64  count;
} MarketoUserUsage;

typedef struct {
  char      *date;   /* (nullable) as sent */
  gint64     total;
  GPtrArray *users;  /* (element-type MarketoUserUsage) */
} MarketoUsage;

#define MARKETO_TYPE_USAGE (marketo_usage_get_type ())
GType         marketo_usage_get_type (void) G_GNUC_CONST;
MarketoUsage *marketo_usage_copy     (const MarketoUsage *usage);
void          marketo_usage_free     (MarketoUsage       *usage);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MarketoUsage, marketo_usage_free)

/* Parses Marketo datetimes: ISO 8601 and the Asset API's "2026-05-04T12:00:00Z+0000". */
GDateTime   *marketo_parse_datetime (const char *text);

G_END_DECLS
