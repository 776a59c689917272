/* marketo-sandbox.h: a simulated Marketo instance served on loopback
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CONTRACT (set by the skeleton; the sandbox's owner grows it): the functions and properties
 * below are used by the app ("Try with the sandbox") and the CLI. Add freely; change what is
 * here only with everyone.
 *
 * The sandbox serves from a thread of its own with its own GMainContext, so a client may call
 * it from any thread, including one that blocks. Its public API is thread-safe.
 *
 * Properties (all read/write, set before start unless noted):
 *   "client-id", "client-secret"   credentials it accepts (random ones are made if unset)
 *   "seed" (guint64), "lead-count" (guint)  deterministic seeding of the lead database
 *   "state-file" (string, nullable) keep the lead database in this file (NULL: memory only);
 *                                   the file never holds the client secret
 *   "window-seconds" (double, default 20), "window-calls" (guint, default 100)
 *   "max-concurrency" (guint, default 10), "daily-quota" (guint, default 50000)
 *   "token-lifetime" (guint seconds, default 3600)
 *   "latency-base-ms", "latency-per-record-ms" (double, default 0)
 * The limits, latencies and token lifetime may also be changed while the sandbox runs.
 * Added by the sandbox's owner: "scope" (the API user of the tokens), "partition-rule"
 * (boolean: Sync Leads with a partitionName answers 1010 for a lead of another partition),
 * "bulk-step-ms" (guint, default 2000), "batch-lifetime" (guint seconds, default 7 days).
 *
 * What a call goes through, in order (see docs/marketo-rest-api.md §7):
 *   1. transport: a path outside /rest, /bulk, /identity -> HTTP 404; URI (path + query)
 *      over 8 KB -> HTTP 414; body over 1 MB (10 MB under /bulk) -> HTTP 413;
 *   2. /identity/oauth/token (GET or POST, parameters in the query or a form body): not
 *      counted, not limited. grant_type other than client_credentials -> HTTP 400; wrong id
 *      or secret -> HTTP 401 {"error":"invalid_client",...}. A live token is returned again
 *      with its remaining expires_in; an expired one is replaced;
 *   3. token: only "Authorization: Bearer" counts (an access_token parameter is ignored);
 *      missing or unknown -> 601; expired -> 602 the first time, 601 afterwards;
 *   4. injected faults (below);
 *   5. limits, checked when the request has arrived: daily quota -> 607 (the day turns at
 *      00:00 America/Chicago on the sandbox clock), then the sliding window -> 606, then the
 *      calls in flight -> 615. A call is in flight from its arrival until its answer is
 *      handed to the network (after the latency), so 615 measures real concurrency;
 *   6. the endpoint: unparsable JSON -> 609, wrong Content-Type -> 612, known path with
 *      another method -> 605, unknown path or "//" -> 610, then the endpoint's own codes.
 * Answers with 601, 602, 604, 605, 608 or 611, refusals (606, 607, 615), identity calls and
 * faulted calls are not counted toward the window or the quota; every other call is.
 * Latency: latency-base-ms + latency-per-record-ms × records (records, ids or filterValues
 * sent, or records answered, whichever is more), held with soup_server_message_pause() on
 * the server's own context; refusals and faults answer at once.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define MARKETO_TYPE_SANDBOX (marketo_sandbox_get_type ())
G_DECLARE_FINAL_TYPE (MarketoSandbox, marketo_sandbox, MARKETO, SANDBOX, GObject)

MarketoSandbox *marketo_sandbox_new              (void);

/* Listens on 127.0.0.1:@port (0 = any free port) and starts serving. */
gboolean        marketo_sandbox_start            (MarketoSandbox  *self,
                                                  guint16          port,
                                                  GError         **error);
/* Stops serving; saves the lead database when a state file is set. Safe to call twice. */
void            marketo_sandbox_stop             (MarketoSandbox  *self);

guint16         marketo_sandbox_get_port         (MarketoSandbox  *self);
/* "http://127.0.0.1:PORT" — what an account's endpoint is set to. */
char           *marketo_sandbox_dup_endpoint     (MarketoSandbox  *self);
const char     *marketo_sandbox_get_client_id    (MarketoSandbox  *self);
const char     *marketo_sandbox_get_client_secret (MarketoSandbox *self);

/* ---- Everything below was added by the sandbox's owner ---------------------------------- */

/* The API-only user the tokens belong to (the identity answer's "scope"). */
const char     *marketo_sandbox_get_scope        (MarketoSandbox  *self);

/* ---- Fault injection ----
 *
 * A fault applies to the next @count REST, Asset and Bulk calls whose path starts with
 * @path_prefix (NULL: any path except the identity endpoint; pass "/identity" to hit it).
 * Faults are checked after the token, before the rate limits; a faulted call is not counted
 * toward the window or the daily quota. Several faults queue up in the order they were added. */
typedef enum {
  MARKETO_SANDBOX_FAULT_CODE,   /* HTTP 200, success:false, errors:[{code:@code}] */
  MARKETO_SANDBOX_FAULT_HTTP,   /* HTTP status @code with a non-JSON (HTML) body */
  MARKETO_SANDBOX_FAULT_RESET,  /* the connection is closed in the middle of the answer */
  MARKETO_SANDBOX_FAULT_STALL,  /* the answer (a normal one) is held back for @code ms */
} MarketoSandboxFault;

void            marketo_sandbox_add_fault        (MarketoSandbox      *self,
                                                  MarketoSandboxFault  kind,
                                                  int                  code,
                                                  guint                count,
                                                  const char          *path_prefix);

/* The string form, for the CLI. @spec is one or more faults separated by commas:
 *
 *   fault  := what [ ":" count ] [ "@" path-prefix ]
 *   what   := CODE            a Marketo code in an envelope, e.g. "606", "604", "1003"
 *           | "http" STATUS   an HTTP status with a non-JSON body, e.g. "http502"
 *           | "reset"         close the connection in the middle of the answer
 *           | "stall=" MS     hold the answer back for MS milliseconds
 *   count  := how many calls (default 1)
 *
 * Examples: "606:3", "http502:2", "reset:1", "stall=5000:1@/rest/v1/leads.json",
 * "604:1@/rest/v1/leads.json,615:2". On a syntax error nothing is added and
 * G_IO_ERROR_INVALID_ARGUMENT is set. */
gboolean        marketo_sandbox_add_fault_spec   (MarketoSandbox  *self,
                                                  const char      *spec,
                                                  GError         **error);
void            marketo_sandbox_clear_faults     (MarketoSandbox  *self);

/* ---- Request log ----
 *
 * One entry per request, appended when its answer is handed to the network (so an entry is
 * complete before the client can see the answer). Secrets never appear: the query loses any
 * access_token and client_secret parameter, and bodies are not kept. */
typedef struct {
  char     *method;          /* as sent: "POST" for a POST ...?_method=GET */
  char     *path;
  char     *query;           /* (nullable) raw query minus access_token / client_secret */
  gboolean  has_bearer;      /* an "Authorization: Bearer" header was present */
  gboolean  token_in_query;  /* an access_token query or form parameter was present */
  char     *content_type;    /* (nullable) media type of the request body */
  gsize     body_size;
  guint     n_records;       /* input records / ids / filterValues (0 if none) */
  int       code;            /* Marketo code of a failed call (601, 606, 1003, ...), else 0 */
  guint     http_status;     /* 0 when the connection was reset */
  gint64    start_us;        /* g_get_monotonic_time () when the request had been read */
  gint64    end_us;          /* ... and when its answer was handed over */
  char     *request_id;      /* (nullable) the envelope's requestId */
  gboolean  counted;         /* counted toward the window and the daily quota */
  gboolean  faulted;         /* answered by an injected fault */
} MarketoSandboxRequest;

#define MARKETO_TYPE_SANDBOX_REQUEST (marketo_sandbox_request_get_type ())
GType                  marketo_sandbox_request_get_type (void) G_GNUC_CONST;
MarketoSandboxRequest *marketo_sandbox_request_copy     (const MarketoSandboxRequest *request);
void                   marketo_sandbox_request_free     (MarketoSandboxRequest       *request);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MarketoSandboxRequest, marketo_sandbox_request_free)

/* Returns (transfer full) a GPtrArray of MarketoSandboxRequest, oldest first. */
GPtrArray      *marketo_sandbox_dup_request_log  (MarketoSandbox  *self);
void            marketo_sandbox_clear_request_log (MarketoSandbox *self);

/* ---- Counters and the clock ---- */

/* Calls counted today (sandbox clock, day boundary 00:00 America/Chicago). */
guint           marketo_sandbox_get_calls_today  (MarketoSandbox  *self);
/* Most REST calls that were ever in flight at once (since start or the last reset). */
guint           marketo_sandbox_get_peak_in_flight (MarketoSandbox *self);
void            marketo_sandbox_reset_peak_in_flight (MarketoSandbox *self);

/* The sandbox clock = the real clock + an offset. It drives token expiry, the daily quota
 * and its reset, createdAt/updatedAt stamps and bulk batch expiry (not the rate window,
 * which always runs on the monotonic clock). */
void            marketo_sandbox_set_now_offset   (MarketoSandbox  *self,
                                                  GTimeSpan        offset);
/* Sets the offset so that the sandbox clock reads @now at this instant; NULL: real clock. */
void            marketo_sandbox_set_now          (MarketoSandbox  *self,
                                                  GDateTime       *now);
GDateTime      *marketo_sandbox_dup_now          (MarketoSandbox  *self);

/* ---- The lead database: seeding and inspection ----
 *
 * The database is made at start (or by the first call below, if that comes first): loaded
 * from "state-file" when the file exists ("seed" and "lead-count" are then ignored), else
 * seeded. Seeding is deterministic: the same "seed" and "lead-count" give the same leads.
 * Lead number N (1 ≤ N ≤ lead-count) has
 *   id              1000 + N
 *   customerNumber  "C" + N on 7 digits ("C0000042")
 *   email           "<first>.<last>.<N>@<domain>" in lower case, where first/last are its
 *                   firstName/lastName and domain is example.com, example.org or example.net
 *                   (N mod 3); marketo_sandbox_seed_email() computes it without a sandbox.
 *                   Every lead whose N is a multiple of 1000 shares the e-mail of lead N-1, so
 *                   a 10,000-lead sandbox has 10 duplicated e-mails (Sync Leads answers 1007).
 *   partition       about 60 % Default (id 1), 20 % EMEA (2), 20 % APAC (3)
 * Fields: the usual standard ones plus customerNumber (string, searchable), loyaltyTier,
 * lifetimeValue (float) and lastPurchaseDate (date); searchable (filterType): id, email,
 * leadPartitionId, cookies, sfdcLeadId, customerNumber; lookupField: the same minus
 * leadPartitionId (id only behaves as update-only). Read-only fields sent to Sync Leads
 * (createdAt, updatedAt, leadPartitionId, sfdcLeadId) are ignored.
 * Folders: 10 "Default" (workspace root), 12 "Audiences", 13 "Archive" (an archive), 20 "EMEA",
 * 21 "Audiences" (EMEA workspace), program 1001 "2026 Spring Campaign" (in folder 12).
 * Static lists: 1187 "Spring Promo" (in program 1001), 1188 "Newsletter Subscribers",
 * 1189 "VIP Customers" (folder 12), 1190 "EMEA Webinar Attendees" (folder 21); new lists from 1200.
 *
 * Errors of these functions are MARKETO_ERROR with Marketo's codes (1003, 1006, 709, 710, ...).
 */

/* The e-mail of seeded lead number @index (1-based) for @seed. */
char           *marketo_sandbox_seed_email       (guint64          seed,
                                                  guint            index);

guint           marketo_sandbox_count_leads      (MarketoSandbox  *self);
/* (transfer full) (nullable) every field of lead @id, id/updatedAt/leadPartitionId included */
JsonObject     *marketo_sandbox_dup_lead         (MarketoSandbox  *self,
                                                  gint64           id);
/* (transfer full) GPtrArray of JsonObject: the leads whose @field is @value (e-mails match
 * in any case); empty for an unknown field. */
GPtrArray      *marketo_sandbox_find_leads       (MarketoSandbox  *self,
                                                  const char      *field,
                                                  const char      *value);
/* Creates a lead (no dedupe, so duplicates can be seeded) from REST field names; createdAt
 * and updatedAt, if given, set its stamps. Returns the new id, or 0 with @error. */
gint64          marketo_sandbox_add_lead         (MarketoSandbox  *self,
                                                  JsonObject      *fields,
                                                  const char      *partition_name,
                                                  GError         **error);
/* Upserts the leads of a CSV file (header = REST field names) by email (or creates them all
 * when there is no email column), into @partition_name (NULL: Default) for new ones. The
 * file loads whole or not at all. Returns the number of rows. */
guint           marketo_sandbox_load_leads_csv   (MarketoSandbox  *self,
                                                  const char      *path,
                                                  const char      *partition_name,
                                                  GError         **error);

/* A static list in folder or program @folder_id (e.g. 12); returns its id or 0 with @error
 * (709 name taken, 710 no such folder). */
gint64          marketo_sandbox_create_list      (MarketoSandbox  *self,
                                                  const char      *name,
                                                  gint64           folder_id,
                                                  GError         **error);
/* The id of the list called exactly @name, or 0. */
gint64          marketo_sandbox_find_list        (MarketoSandbox  *self,
                                                  const char      *name);
/* (transfer full) (nullable) the member lead ids (gint64) in ascending order; NULL when
 * there is no such list. */
GArray         *marketo_sandbox_dup_list_members (MarketoSandbox  *self,
                                                  gint64           list_id);
gboolean        marketo_sandbox_add_list_members (MarketoSandbox  *self,
                                                  gint64           list_id,
                                                  const gint64    *lead_ids,
                                                  guint            n_lead_ids,
                                                  GError         **error);

/* Bulk import jobs move Queued -> Importing (2 at most) -> Complete | Failed, one state per
 * step: every "bulk-step-ms" (default 2000; 0 = never by itself) or on this call. Returns
 * how many jobs changed state. */
guint           marketo_sandbox_step_bulk_jobs   (MarketoSandbox  *self);

/* Writes the state file now (it is otherwise written 1 s after a change and on stop). Bulk
 * jobs and tokens are not kept in it; the client secret never is. */
gboolean        marketo_sandbox_save             (MarketoSandbox  *self,
                                                  GError         **error);

G_END_DECLS
