/* marketo-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "marketo-error.h"

/* An extended error domain: each MARKETO_ERROR carries the request id, the quota reset time
 * and the HTTP status of the answer that failed. */
typedef struct {
  char      *request_id;   /* (owned) (nullable) */
  GDateTime *reset_time;   /* (owned) (nullable) */
  guint      http_status;
} MarketoErrorPrivate;

static void
marketo_error_private_init (MarketoErrorPrivate *priv)
{
  priv->request_id = NULL;
  priv->reset_time = NULL;
  priv->http_status = 0;
}

static void
marketo_error_private_copy (const MarketoErrorPrivate *src,
                            MarketoErrorPrivate       *dest)
{
  dest->request_id = g_strdup (src->request_id);
  dest->reset_time = src->reset_time ? g_date_time_ref (src->reset_time) : NULL;
  dest->http_status = src->http_status;
}

static void
marketo_error_private_clear (MarketoErrorPrivate *priv)
{
  g_clear_pointer (&priv->request_id, g_free);
  g_clear_pointer (&priv->reset_time, g_date_time_unref);
  priv->http_status = 0;
}

G_DEFINE_EXTENDED_ERROR (MarketoError, marketo_error)

const char *
marketo_error_get_request_id (const GError *error)
{
  if (error == NULL || error->domain != MARKETO_ERROR)
    return NULL;
  return marketo_error_get_private (error)->request_id;
}

GDateTime *
marketo_error_get_reset_time (const GError *error)
{
  if (error == NULL || error->domain != MARKETO_ERROR)
    return NULL;
  return marketo_error_get_private (error)->reset_time;
}

guint
marketo_error_get_http_status (const GError *error)
{
  if (error == NULL || error->domain != MARKETO_ERROR)
    return 0;
  return marketo_error_get_private (error)->http_status;
}

void
marketo_error_set_request_id (GError     *error,
                              const char *request_id)
{
  MarketoErrorPrivate *priv;

  g_return_if_fail (error != NULL && error->domain == MARKETO_ERROR);

  priv = marketo_error_get_private (error);
  if (priv->request_id != request_id)
    {
      g_free (priv->request_id);
      priv->request_id = g_strdup (request_id);
    }
}

void
marketo_error_set_reset_time (GError    *error,
                              GDateTime *reset_time)
{
  MarketoErrorPrivate *priv;

  g_return_if_fail (error != NULL && error->domain == MARKETO_ERROR);

  priv = marketo_error_get_private (error);
  if (reset_time != NULL)
    g_date_time_ref (reset_time);
  g_clear_pointer (&priv->reset_time, g_date_time_unref);
  priv->reset_time = reset_time;
}

void
marketo_error_set_http_status (GError *error,
                               guint   http_status)
{
  g_return_if_fail (error != NULL && error->domain == MARKETO_ERROR);

  marketo_error_get_private (error)->http_status = http_status;
}

gboolean
marketo_error_is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

gboolean
marketo_error_code_is_transient (int code)
{
  switch (code)
    {
    case MARKETO_ERROR_UNREACHABLE:
    case MARKETO_ERROR_TIMEOUT:
    case MARKETO_ERROR_HTTP:
    case MARKETO_ERROR_GATEWAY:
    case MARKETO_ERROR_REQUEST_TIMED_OUT:
    case MARKETO_ERROR_RATE_LIMIT:
    case MARKETO_ERROR_TEMPORARILY_UNAVAILABLE:
    case MARKETO_ERROR_SYSTEM:
    case MARKETO_ERROR_INVALID_SUBSCRIPTION:
    case MARKETO_ERROR_CONCURRENT_LIMIT:
    case MARKETO_ERROR_TRANSIENT:
    case MARKETO_ERROR_LOCK_WAIT:
      return TRUE;
    default:
      return FALSE;
    }
}

const char *
marketo_error_code_describe (int code)
{
  switch (code)
    {
    case MARKETO_ERROR_INVALID_CLIENT: return _("The client ID or secret was refused");
    case MARKETO_ERROR_ACCESS_TOKEN_INVALID: return _("Access token invalid");
    case MARKETO_ERROR_ACCESS_TOKEN_EXPIRED: return _("Access token expired");
    case MARKETO_ERROR_ACCESS_DENIED: return _("Access denied: the API user lacks a permission");
    case MARKETO_ERROR_REQUEST_TIMED_OUT: return _("Marketo timed out processing the request");
    case MARKETO_ERROR_METHOD_NOT_SUPPORTED: return _("HTTP method not supported");
    case MARKETO_ERROR_RATE_LIMIT: return _("Rate limit exceeded (calls per 20 seconds)");
    case MARKETO_ERROR_DAILY_QUOTA: return _("Daily API quota reached");
    case MARKETO_ERROR_TEMPORARILY_UNAVAILABLE: return _("API temporarily unavailable");
    case MARKETO_ERROR_INVALID_JSON: return _("Invalid JSON in the request");
    case MARKETO_ERROR_NOT_FOUND: return _("Requested resource not found");
    case MARKETO_ERROR_SYSTEM: return _("Marketo system error");
    case MARKETO_ERROR_INVALID_CONTENT_TYPE: return _("Invalid content type");
    case MARKETO_ERROR_INVALID_MULTIPART: return _("Invalid multipart request");
    case MARKETO_ERROR_INVALID_SUBSCRIPTION: return _("Invalid subscription");
    case MARKETO_ERROR_CONCURRENT_LIMIT: return _("Too many calls in flight");
    case MARKETO_ERROR_INVALID_SUBSCRIPTION_TYPE: return _("Feature not licensed for this subscription");
    case MARKETO_ERROR_BLANK: return _("A required value is blank");
    case MARKETO_ERROR_NO_DATA: return _("No data found");
    case MARKETO_ERROR_FEATURE_NOT_ENABLED: return _("Feature not enabled for the subscription");
    case MARKETO_ERROR_INVALID_DATE: return _("Invalid date format");
    case MARKETO_ERROR_BUSINESS_RULE: return _("Business rule violation");
    case MARKETO_ERROR_FOLDER_NOT_FOUND: return _("Parent folder not found");
    case MARKETO_ERROR_INCOMPATIBLE_FOLDER: return _("Incompatible folder type");
    case MARKETO_ERROR_TRANSIENT: return _("Transient error");
    case MARKETO_ERROR_LOCK_WAIT: return _("Lock wait timeout");
    case MARKETO_ERROR_INVALID_VALUE: return _("Invalid value for the field's type");
    case MARKETO_ERROR_MISSING_VALUE: return _("Missing required value");
    case MARKETO_ERROR_INVALID_DATA: return _("Invalid data");
    case MARKETO_ERROR_LEAD_NOT_FOUND: return _("Lead not found");
    case MARKETO_ERROR_LEAD_EXISTS: return _("Lead already exists");
    case MARKETO_ERROR_FIELD_NOT_FOUND: return _("Field not found");
    case MARKETO_ERROR_MULTIPLE_MATCH: return _("Several leads match the lookup value");
    case MARKETO_ERROR_PARTITION_DENIED: return _("Access denied to the lead's partition");
    case MARKETO_ERROR_PARTITION_REQUIRED: return _("Partition name must be given");
    case MARKETO_ERROR_PARTITION_UPDATE: return _("The lead lives in another partition");
    case MARKETO_ERROR_FIELD_NOT_SUPPORTED: return _("Field not supported as a lookup key");
    case MARKETO_ERROR_OBJECT_NOT_FOUND: return _("Object not found");
    case MARKETO_ERROR_CREATE_FAILED: return _("Failed to create the object");
    case MARKETO_ERROR_NOT_IN_LIST: return _("Lead not in list");
    case MARKETO_ERROR_TOO_MANY_IMPORTS: return _("Too many bulk imports queued");
    case MARKETO_ERROR_OBJECT_EXISTS: return _("Object already exists");
    case MARKETO_ERROR_IMPORT_IN_PROGRESS: return _("An import into that list is in progress");
    default: return NULL;
    }
}
