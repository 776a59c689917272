/* marketo-client.h: the Marketo REST client
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CONTRACT (set by the skeleton; the client's owner grows it): the functions below are used by
 * the UI and the CLI. Add to this header freely; change what is here only with everyone.
 */
#pragma once

#include <gio/gio.h>

#include "marketo-error.h"
#include "marketo-pacer.h"
#include "marketo-types.h"

G_BEGIN_DECLS

/* What a successful identity call tells. The token itself is never exposed. */
typedef struct {
  char   *scope;       /* the API-only user that owns the custom service */
  char   *token_type;  /* "bearer" */
  gint64  expires_in;  /* remaining lifetime in seconds, as the server said */
} MarketoTokenInfo;

#define MARKETO_TYPE_TOKEN_INFO (marketo_token_info_get_type ())
GType             marketo_token_info_get_type (void) G_GNUC_CONST;
MarketoTokenInfo *marketo_token_info_copy     (const MarketoTokenInfo *info);
void              marketo_token_info_free     (MarketoTokenInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MarketoTokenInfo, marketo_token_info_free)

#define MARKETO_TYPE_CLIENT (marketo_client_get_type ())
G_DECLARE_FINAL_TYPE (MarketoClient, marketo_client, MARKETO, CLIENT, GObject)

/* @endpoint: scheme and host ("https://123-ABC-456.mktorest.com"); a trailing "/rest" or
 * "/identity" is accepted and stripped. Plain http is refused unless the host is loopback
 * (MARKETO_ERROR_INVALID_ENDPOINT). The secret is copied and kept only in memory. */
MarketoClient    *marketo_client_new          (const char    *endpoint,
                                               const char    *client_id,
                                               const char    *client_secret,
                                               GError       **error);

const char       *marketo_client_get_endpoint (MarketoClient *self);

/* Requests a token with the client-credentials grant (or returns the cached one's info).
 * Failures are precise: MARKETO_ERROR_INVALID_CLIENT, _UNREACHABLE, _TLS, _TIMEOUT,
 * _NOT_MARKETO, _HTTP. */
void              marketo_client_authenticate_async  (MarketoClient       *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
MarketoTokenInfo *marketo_client_authenticate_finish (MarketoClient       *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

/* ---- Everything below was added by the client's owner ------------------------------------
 *
 * Threads. A client belongs to the thread-default GMainContext of the thread that created
 * it (g_main_context_ref_thread_default() at marketo_client_new()): its callbacks run there
 * and its calls must be started from that thread. A worker thread pushes a context of its own
 * (g_main_context_push_thread_default), creates its own client there and iterates that
 * context. All clients of one endpoint share the process-wide pacer of that endpoint (see
 * marketo-pacer.h), so the budget holds across clients and threads.
 *
 * Errors. Every failure is a MARKETO_ERROR whose code keeps Marketo's number (606, 1003, …)
 * or one of the client's own (< 100); Marketo's requestId is in the message and in
 * marketo_error_get_request_id(); 607 and MARKETO_ERROR_QUOTA_LOCAL carry the reset time
 * (marketo_error_get_reset_time()). A cancelled call fails with G_IO_ERROR_CANCELLED.
 *
 * Retries. Transient failures (HTTP 5xx, network faults, timeouts, 604, 608, 611, 614, 615,
 * 713, 719) are retried with exponential backoff and full jitter, up to max-attempts; 606
 * waits for the pacer's window to roll; 601/602 get a new token and one more try.
 * Record-level outcomes are never retried. Bulk import creation and createDuplicate syncs are
 * retried only when Marketo surely did not run them (a 6xx answer, or a request never sent).
 */

typedef struct {
  guint64 identity_requests;  /* identity calls made */
  guint64 requests;           /* REST/Asset/Bulk requests sent (every attempt) */
  guint64 retries;            /* attempts after a transient failure or 606 */
  guint64 reauthentications;  /* retries after 601/602 */
  guint64 received_606;
  guint64 received_615;
} MarketoClientStats;

/* The pacer this client's calls go through (default: marketo_pacer_get_for_endpoint()). */
void              marketo_client_set_pacer           (MarketoClient       *self,
                                                      MarketoPacer        *pacer);
MarketoPacer     *marketo_client_get_pacer           (MarketoClient       *self);

/* Per-request timeouts, above the server's own: lookups (60 s on the server; default 90 s),
 * Sync Leads (90 s; default 120 s), everything else including identity (30 s; default 60 s).
 * 0 restores a default. */
void              marketo_client_set_timeouts        (MarketoClient       *self,
                                                      guint                lookup_ms,
                                                      guint                sync_ms,
                                                      guint                other_ms);
/* Backoff: attempt n waits a random time in [d/2, d], d = MIN (cap, base × 2^(n-1)).
 * Defaults: 1000 ms, 30 000 ms, 6 attempts in all. */
void              marketo_client_set_retry_policy    (MarketoClient       *self,
                                                      guint                base_ms,
                                                      guint                cap_ms,
                                                      guint                max_attempts);
void              marketo_client_get_stats           (MarketoClient       *self,
                                                      MarketoClientStats  *stats);

/* ---- Lead fields ---- */

/* Describe Lead (v1): (element-type MarketoField) */
void              marketo_client_describe_leads_async   (MarketoClient       *self,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
GPtrArray        *marketo_client_describe_leads_finish  (MarketoClient       *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);
/* Describe Lead2: fields and searchable keys. */
void              marketo_client_describe_leads2_async  (MarketoClient       *self,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
MarketoLeadSchema *marketo_client_describe_leads2_finish (MarketoClient      *self,
                                                          GAsyncResult       *result,
                                                          GError            **error);

/* ---- Partitions ---- */

/* (element-type MarketoPartition) */
void              marketo_client_get_partitions_async   (MarketoClient       *self,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
GPtrArray        *marketo_client_get_partitions_finish  (MarketoClient       *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);

/* ---- Lead Database lists ---- */

/* Get Lists, one page. Every filter may be NULL/empty; @batch_size 0 means 300. */
void              marketo_client_get_lists_async        (MarketoClient       *self,
                                                         const gint64        *ids,
                                                         gsize                n_ids,
                                                         const char * const  *names,
                                                         const char * const  *program_names,
                                                         const char * const  *workspace_names,
                                                         const char          *page_token,
                                                         guint                batch_size,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
MarketoListPage  *marketo_client_get_lists_finish       (MarketoClient       *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);
/* Get List by Id; an unknown id fails with MARKETO_ERROR_OBJECT_NOT_FOUND (1013). */
void              marketo_client_get_list_async         (MarketoClient       *self,
                                                         gint64               list_id,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
MarketoList      *marketo_client_get_list_finish        (MarketoClient       *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);
/* Get Leads by List Id, one page; @fields NULL: Marketo's default fields ("id" is always
 * added to a field list, so MarketoLead.id is set). */
void              marketo_client_get_list_leads_async   (MarketoClient       *self,
                                                         gint64               list_id,
                                                         const char * const  *fields,
                                                         const char          *page_token,
                                                         guint                batch_size,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
MarketoLeadPage  *marketo_client_get_list_leads_finish  (MarketoClient       *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);

/* ---- Asset static lists ---- */

/* Creates a static list in a folder (@folder_type "Folder" or "Program"; NULL: "Folder").
 * A taken name fails with MARKETO_ERROR_BUSINESS_RULE (709), a missing folder with 710. */
void              marketo_client_create_static_list_async  (MarketoClient       *self,
                                                            gint64               folder_id,
                                                            const char          *folder_type,
                                                            const char          *name,
                                                            const char          *description,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
MarketoList      *marketo_client_create_static_list_finish (MarketoClient       *self,
                                                            GAsyncResult        *result,
                                                            GError             **error);
/* By id or by exact name; not found fails with MARKETO_ERROR_NO_DATA (702). */
void              marketo_client_get_static_list_async     (MarketoClient       *self,
                                                            gint64               list_id,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
MarketoList      *marketo_client_get_static_list_finish    (MarketoClient       *self,
                                                            GAsyncResult        *result,
                                                            GError             **error);
void              marketo_client_get_static_list_by_name_async  (MarketoClient       *self,
                                                                 const char          *name,
                                                                 GCancellable        *cancellable,
                                                                 GAsyncReadyCallback  callback,
                                                                 gpointer             user_data);
MarketoList      *marketo_client_get_static_list_by_name_finish (MarketoClient       *self,
                                                                 GAsyncResult        *result,
                                                                 GError             **error);
/* Browse, one page: @folder_id 0 means every folder; @max_return 0 means 200. An empty page
 * is not an error. */
void              marketo_client_browse_static_lists_async  (MarketoClient       *self,
                                                             gint64               folder_id,
                                                             const char          *folder_type,
                                                             guint                offset,
                                                             guint                max_return,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
MarketoListPage  *marketo_client_browse_static_lists_finish (MarketoClient       *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);

/* ---- Asset folders ---- */

/* Browse, one page (GET /rest/asset/v1/folders.json): the folders and programs under
 * @root_id/@root_type (0/NULL: every workspace root), @max_depth levels deep (0: Marketo's
 * default, 2), @max_return per page (0 means 200; at most 200). An empty page is not an error. */
void               marketo_client_browse_folders_async      (MarketoClient       *self,
                                                             gint64               root_id,
                                                             const char          *root_type,
                                                             guint                max_depth,
                                                             guint                offset,
                                                             guint                max_return,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
MarketoFolderPage *marketo_client_browse_folders_finish     (MarketoClient       *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);
/* The folders named exactly @name (one name may live in several workspaces): @type
 * "Folder" or "Program" (NULL: any), @workspace (nullable). (element-type MarketoFolder);
 * none found fails with MARKETO_ERROR_NO_DATA (702). */
void               marketo_client_get_folder_by_name_async  (MarketoClient       *self,
                                                             const char          *name,
                                                             const char          *type,
                                                             const char          *workspace,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
GPtrArray         *marketo_client_get_folder_by_name_finish (MarketoClient       *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);

/* ---- Leads ---- */

/* Get Leads by Filter Type, one page. At most 300 values (more fail with
 * MARKETO_ERROR_INVALID_DATA before sending). The call is a GET while its URI stays within
 * 8,000 bytes, else a POST ?_method=GET with the parameters in a form body (the same read;
 * Marketo answers 414 to GETs over 8 KB). @fields as for get_list_leads. */
void              marketo_client_get_leads_async        (MarketoClient       *self,
                                                         const char          *filter_type,
                                                         const char * const  *filter_values,
                                                         const char * const  *fields,
                                                         const char          *page_token,
                                                         guint                batch_size,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
MarketoLeadPage  *marketo_client_get_leads_finish       (MarketoClient       *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);

typedef enum {
  MARKETO_SYNC_CREATE_OR_UPDATE,
  MARKETO_SYNC_CREATE_ONLY,
  MARKETO_SYNC_UPDATE_ONLY,
  MARKETO_SYNC_CREATE_DUPLICATE,
} MarketoSyncAction;

/* Sync Leads. @records: a JSON array of lead objects keyed by REST field names. It is sent in
 * calls of at most 300 records and under 1 MB each, one call after the other; the result is
 * (element-type MarketoRecordResult), one per record in input order (index = position in
 * @records). @lookup_field and @partition_name may be NULL (Marketo's defaults). A call that
 * fails fails the whole operation (the calls before it have been applied). A single record
 * over 1 MB fails with MARKETO_ERROR_PAYLOAD_TOO_LARGE before anything is sent. */
void              marketo_client_sync_leads_async       (MarketoClient       *self,
                                                         MarketoSyncAction    action,
                                                         const char          *lookup_field,
                                                         const char          *partition_name,
                                                         JsonArray           *records,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
GPtrArray        *marketo_client_sync_leads_finish      (MarketoClient       *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);

/* ---- List membership ----
 * Each takes any number of lead ids (sent 300 per call) and gives (element-type
 * MarketoRecordResult) in input order: added / removed / memberof / notmemberof, or skipped
 * with its reasons (1004 lead not found, 1015 not in list). */
void              marketo_client_add_to_list_async      (MarketoClient       *self,
                                                         gint64               list_id,
                                                         const gint64        *lead_ids,
                                                         gsize                n_lead_ids,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
GPtrArray        *marketo_client_add_to_list_finish     (MarketoClient       *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);
void              marketo_client_remove_from_list_async (MarketoClient       *self,
                                                         gint64               list_id,
                                                         const gint64        *lead_ids,
                                                         gsize                n_lead_ids,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
GPtrArray        *marketo_client_remove_from_list_finish (MarketoClient      *self,
                                                          GAsyncResult       *result,
                                                          GError            **error);
void              marketo_client_is_member_of_list_async (MarketoClient      *self,
                                                          gint64              list_id,
                                                          const gint64       *lead_ids,
                                                          gsize               n_lead_ids,
                                                          GCancellable       *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer            user_data);
GPtrArray        *marketo_client_is_member_of_list_finish (MarketoClient     *self,
                                                           GAsyncResult      *result,
                                                           GError           **error);

/* ---- Bulk lead import ---- */

/* Queues an import of @file (header row of REST field names, ≤ 10 MB). @lookup_field,
 * @partition_name may be NULL; @list_id 0 means no list. */
void              marketo_client_import_leads_async     (MarketoClient       *self,
                                                         GBytes              *file,
                                                         MarketoImportFormat  format,
                                                         const char          *lookup_field,
                                                         gint64               list_id,
                                                         const char          *partition_name,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
MarketoImportJob *marketo_client_import_leads_finish    (MarketoClient       *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);
void              marketo_client_get_import_status_async  (MarketoClient       *self,
                                                           gint64               batch_id,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
MarketoImportJob *marketo_client_get_import_status_finish (MarketoClient       *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);
/* The failed or warned rows, as a file in the job's format with a reason column. */
void              marketo_client_get_import_failures_async  (MarketoClient       *self,
                                                             gint64               batch_id,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
GBytes           *marketo_client_get_import_failures_finish (MarketoClient       *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);
void              marketo_client_get_import_warnings_async  (MarketoClient       *self,
                                                             gint64               batch_id,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
GBytes           *marketo_client_get_import_warnings_finish (MarketoClient       *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);

/* ---- Usage ---- */

/* stats/usage.json: today's calls per API user (the call itself is counted). */
void              marketo_client_get_usage_async        (MarketoClient       *self,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
MarketoUsage     *marketo_client_get_usage_finish       (MarketoClient       *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);

G_END_DECLS
