/* marketo-error.h: the MARKETO_ERROR domain
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <gio/gio.h>

G_BEGIN_DECLS

#define MARKETO_ERROR (marketo_error_quark ())

/**
 * MarketoErrorCode:
 *
 * Codes of the `MARKETO_ERROR` domain. Codes that Marketo itself defines keep Marketo's
 * number (601, 606, 1004, …), so `error->code` can be compared with the API reference; a
 * code Marketo sends that is not listed here still arrives with its own number. The codes
 * below 100 are the client's own: failures that happen before or around Marketo's answer.
 */
typedef enum {
  /* The client's own codes */
  MARKETO_ERROR_FAILED = 1,              /* anything not covered below */
  MARKETO_ERROR_INVALID_ENDPOINT = 2,    /* not a URL, or plain http to a non-loopback host */
  MARKETO_ERROR_UNREACHABLE = 3,         /* DNS failure, connection refused or reset */
  MARKETO_ERROR_TLS = 4,                 /* certificate not trusted, handshake failed */
  MARKETO_ERROR_TIMEOUT = 5,             /* no answer within the client's timeout */
  MARKETO_ERROR_NOT_MARKETO = 6,         /* an answer that is not Marketo's (HTML, wrong shape) */
  MARKETO_ERROR_HTTP = 7,                /* unexpected HTTP status (5xx with a non-JSON body, …) */
  MARKETO_ERROR_QUOTA_LOCAL = 8,         /* the local daily quota count is used up */
  MARKETO_ERROR_INVALID_CLIENT = 401,    /* identity endpoint refused the client id/secret */
  MARKETO_ERROR_PAYLOAD_TOO_LARGE = 413, /* body over 1 MB */
  MARKETO_ERROR_URI_TOO_LONG = 414,      /* GET URI over 8 KB */

  /* Marketo's response-level codes */
  MARKETO_ERROR_GATEWAY = 502,
  MARKETO_ERROR_ACCESS_TOKEN_INVALID = 601,
  MARKETO_ERROR_ACCESS_TOKEN_EXPIRED = 602,
  MARKETO_ERROR_ACCESS_DENIED = 603,
  MARKETO_ERROR_REQUEST_TIMED_OUT = 604,
  MARKETO_ERROR_METHOD_NOT_SUPPORTED = 605,
  MARKETO_ERROR_RATE_LIMIT = 606,
  MARKETO_ERROR_DAILY_QUOTA = 607,
  MARKETO_ERROR_TEMPORARILY_UNAVAILABLE = 608,
  MARKETO_ERROR_INVALID_JSON = 609,
  MARKETO_ERROR_NOT_FOUND = 610,
  MARKETO_ERROR_SYSTEM = 611,
  MARKETO_ERROR_INVALID_CONTENT_TYPE = 612,
  MARKETO_ERROR_INVALID_MULTIPART = 613,
  MARKETO_ERROR_INVALID_SUBSCRIPTION = 614,
  MARKETO_ERROR_CONCURRENT_LIMIT = 615,
  MARKETO_ERROR_INVALID_SUBSCRIPTION_TYPE = 616,
  MARKETO_ERROR_BLANK = 701,
  MARKETO_ERROR_NO_DATA = 702,
  MARKETO_ERROR_FEATURE_NOT_ENABLED = 703,
  MARKETO_ERROR_INVALID_DATE = 704,
  MARKETO_ERROR_BUSINESS_RULE = 709,
  MARKETO_ERROR_FOLDER_NOT_FOUND = 710,
  MARKETO_ERROR_INCOMPATIBLE_FOLDER = 711,
  MARKETO_ERROR_TRANSIENT = 713,
  MARKETO_ERROR_LOCK_WAIT = 719,

  /* Record-level codes that can also come back for a whole request */
  MARKETO_ERROR_INVALID_VALUE = 1001,
  MARKETO_ERROR_MISSING_VALUE = 1002,
  MARKETO_ERROR_INVALID_DATA = 1003,
  MARKETO_ERROR_LEAD_NOT_FOUND = 1004,
  MARKETO_ERROR_LEAD_EXISTS = 1005,
  MARKETO_ERROR_FIELD_NOT_FOUND = 1006,
  MARKETO_ERROR_MULTIPLE_MATCH = 1007,
  MARKETO_ERROR_PARTITION_DENIED = 1008,
  MARKETO_ERROR_PARTITION_REQUIRED = 1009,
  MARKETO_ERROR_PARTITION_UPDATE = 1010,
  MARKETO_ERROR_FIELD_NOT_SUPPORTED = 1011,
  MARKETO_ERROR_OBJECT_NOT_FOUND = 1013,
  MARKETO_ERROR_CREATE_FAILED = 1014,
  MARKETO_ERROR_NOT_IN_LIST = 1015,
  MARKETO_ERROR_TOO_MANY_IMPORTS = 1016,
  MARKETO_ERROR_OBJECT_EXISTS = 1017,
  MARKETO_ERROR_IMPORT_IN_PROGRESS = 1019,
} MarketoErrorCode;

GQuark       marketo_error_quark           (void);

/* TRUE for the codes worth retrying with backoff (§6.3 of the API reference). */
gboolean     marketo_error_code_is_transient (int code);

/* A short, translated explanation of a Marketo code ("Daily API quota reached"), or NULL. */
const char  *marketo_error_code_describe   (int code);

/* Details carried by every MARKETO_ERROR made by the client (the domain is an extended GError
 * domain, so the details survive g_error_copy() and g_propagate_error()).
 *
 * marketo_error_get_request_id(): Marketo's requestId of the failed call (also quoted in the
 *   message), or NULL when the failure happened before Marketo answered.
 * marketo_error_get_reset_time(): for MARKETO_ERROR_DAILY_QUOTA (607) and
 *   MARKETO_ERROR_QUOTA_LOCAL, when the daily quota resets (00:00 America/Chicago), else NULL.
 * marketo_error_get_http_status(): the HTTP status of the failed answer, or 0. */
const char  *marketo_error_get_request_id  (const GError *error);
GDateTime   *marketo_error_get_reset_time  (const GError *error);
guint        marketo_error_get_http_status (const GError *error);

/* Attach details to a MARKETO_ERROR (used by the client; NULL leaves a detail unset). */
void         marketo_error_set_request_id  (GError       *error,
                                            const char   *request_id);
void         marketo_error_set_reset_time  (GError       *error,
                                            GDateTime    *reset_time);
void         marketo_error_set_http_status (GError       *error,
                                            guint         http_status);

/* TRUE when @error is G_IO_ERROR_CANCELLED: a cancelled operation, not a failure to report. */
gboolean     marketo_error_is_cancelled    (const GError *error);

G_END_DECLS
