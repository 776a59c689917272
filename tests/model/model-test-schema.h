/* model-test-schema.h: a hand-built lead schema for the model tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What Describe2 would say about a small instance: the standard fields the rules care about,
 * one field of every data type, a read-only field or two, a short string field, and a custom
 * field matched by its display name. Searchable: email, id, customerNumber, ecid (so that
 * refusing id and ecid is never just "not searchable").
 */
#pragma once

#include "marketo-types.h"

static inline void
test_schema_add (MarketoLeadSchema *schema,
                 const char        *name,
                 const char        *display_name,
                 const char        *data_type,
                 gint64             length,
                 gboolean           read_only,
                 gboolean           searchable)
{
  MarketoField *field = g_new0 (MarketoField, 1);

  field->name = g_strdup (name);
  field->display_name = g_strdup (display_name);
  field->data_type = g_strdup (data_type);
  field->length = length;
  field->read_only = read_only;
  g_ptr_array_add (schema->fields, field);

  if (searchable)
    {
      char **key = g_new0 (char *, 2);

      key[0] = g_strdup (name);
      g_ptr_array_add (schema->searchable_fields, key);
    }
}

static inline MarketoLeadSchema *
test_schema_new (void)
{
  MarketoLeadSchema *schema = g_new0 (MarketoLeadSchema, 1);

  schema->name = g_strdup ("API Lead");
  schema->fields = g_ptr_array_new_with_free_func ((GDestroyNotify) marketo_field_free);
  schema->searchable_fields = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  test_schema_add (schema, "id", "Id", "integer", -1, TRUE, TRUE);
  test_schema_add (schema, "email", "Email Address", "email", 255, FALSE, TRUE);
  test_schema_add (schema, "firstName", "First Name", "string", 255, FALSE, FALSE);
  test_schema_add (schema, "lastName", "Last Name", "string", 255, FALSE, FALSE);
  test_schema_add (schema, "customerNumber", "Customer Number", "string", 255, FALSE, TRUE);
  test_schema_add (schema, "ecid", "ECID", "string", 255, FALSE, TRUE);
  test_schema_add (schema, "company", "Company Name", "string", 255, FALSE, FALSE);
  test_schema_add (schema, "phone", "Phone Number", "phone", 255, FALSE, FALSE);
  test_schema_add (schema, "mobilePhone", "Mobile Phone Number", "phone", 255, FALSE, FALSE);
  test_schema_add (schema, "city", "City", "string", 255, FALSE, FALSE);
  test_schema_add (schema, "country", "Country", "string", 255, FALSE, FALSE);
  test_schema_add (schema, "postalCode", "Postal Code", "string", 255, FALSE, FALSE);
  test_schema_add (schema, "title", "Job Title", "string", 255, FALSE, FALSE);
  test_schema_add (schema, "numberOfEmployees", "Num Employees", "integer", -1, FALSE, FALSE);
  test_schema_add (schema, "annualRevenue", "Annual Revenue", "currency", -1, FALSE, FALSE);
  test_schema_add (schema, "discount", "Discount", "percent", -1, FALSE, FALSE);
  test_schema_add (schema, "rating", "Rating", "float", -1, FALSE, FALSE);
  test_schema_add (schema, "dateOfBirth", "Date of Birth", "date", -1, FALSE, FALSE);
  test_schema_add (schema, "lastPurchaseAt", "Last Purchase", "datetime", -1, FALSE, FALSE);
  test_schema_add (schema, "unsubscribed", "Unsubscribed", "boolean", -1, FALSE, FALSE);
  test_schema_add (schema, "notes", "Notes", "text", -1, FALSE, FALSE);
  test_schema_add (schema, "leadScore", "Lead Score", "score", -1, FALSE, FALSE);
  test_schema_add (schema, "shortCode", "Short Code", "string", 5, FALSE, FALSE);
  test_schema_add (schema, "loyaltyTier", "Loyalty Tier", "string", 255, FALSE, FALSE);
  test_schema_add (schema, "createdAt", "Created At", "datetime", -1, TRUE, FALSE);
  test_schema_add (schema, "leadStatusFormula", "Lead Status Formula", "formula", -1, TRUE, FALSE);

  return schema;
}
