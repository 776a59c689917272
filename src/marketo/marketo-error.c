/* marketo-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "marketo-error.h"

G_DEFINE_QUARK (marketo-error-quark, marketo_error)

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
