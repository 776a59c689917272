/* test-mapping.c: PushMapping rows, signals and suggestions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include "model-test-schema.h"
#include "push-mapping.h"

typedef struct {
  guint changed;
  guint n_rows_notified;
  guint identity_column_notified;
} Counts;

static void
changed_cb (PushMapping *mapping,
            Counts      *counts)
{
  counts->changed++;
}

static void
notified_cb (PushMapping *mapping,
             GParamSpec  *pspec,
             Counts      *counts)
{
  if (g_str_equal (pspec->name, "n-rows"))
    counts->n_rows_notified++;
  else if (g_str_equal (pspec->name, "identity-column"))
    counts->identity_column_notified++;
}

static void
watch (PushMapping *mapping,
       Counts      *counts)
{
  g_signal_connect (mapping, "changed", G_CALLBACK (changed_cb), counts);
  g_signal_connect (mapping, "notify", G_CALLBACK (notified_cb), counts);
}

static char *
format_rows (PushMapping *mapping)
{
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "[%s->%s]", push_mapping_get_identity_column (mapping),
                          push_mapping_get_identity_field (mapping));
  for (guint i = 0; i < push_mapping_get_n_rows (mapping); i++)
    {
      const PushMappingRow *row = push_mapping_get_row (mapping, i);

      g_string_append_printf (out, " %s->%s", row->column, row->field);
    }
  return g_string_free (out, FALSE);
}

static void
test_rows (void)
{
  g_autoptr(PushMapping) mapping = push_mapping_new ();
  g_autofree char *text = NULL;
  g_auto(GStrv) columns = NULL;
  g_auto(GStrv) identity_columns = NULL;
  Counts counts = { 0, };

  watch (mapping, &counts);
  g_assert_cmpstr (push_mapping_get_identity_column (mapping), ==, "");
  g_assert_cmpstr (push_mapping_get_identity_field (mapping), ==, "");
  g_assert_cmpuint (push_mapping_get_n_rows (mapping), ==, 0);

  push_mapping_set_identity_field (mapping, "email");
  push_mapping_set_identity_column (mapping, "E-mail");
  push_mapping_set_identity_column (mapping, "E-mail");  /* no change, no signal */
  g_assert_cmpuint (counts.changed, ==, 2);
  g_assert_cmpuint (counts.identity_column_notified, ==, 1);

  g_assert_cmpuint (push_mapping_add_row (mapping, "First Name", "firstName"), ==, 0);
  g_assert_cmpuint (push_mapping_add_row (mapping, "Surname", "lastName"), ==, 1);
  g_assert_cmpuint (push_mapping_add_row (mapping, NULL, NULL), ==, 2);
  g_assert_cmpuint (counts.changed, ==, 5);
  g_assert_cmpuint (counts.n_rows_notified, ==, 3);
  g_assert_cmpstr (push_mapping_get_row (mapping, 2)->column, ==, "");

  push_mapping_set_row (mapping, 2, "Company", "company");
  push_mapping_set_row (mapping, 2, "Company", "company");  /* no change, no signal */
  g_assert_cmpuint (counts.changed, ==, 6);

  text = format_rows (mapping);
  g_assert_cmpstr (text, ==, "[E-mail->email] First Name->firstName Surname->lastName Company->company");

  g_assert_cmpint (push_mapping_find_field (mapping, "lastName"), ==, 1);
  g_assert_cmpint (push_mapping_find_field (mapping, "email"), ==, -1);
  g_assert_cmpint (push_mapping_find_column (mapping, "Company"), ==, 2);
  g_assert_cmpint (push_mapping_find_column (mapping, "E-mail"), ==, -1);
  g_assert_true (push_mapping_maps_field (mapping, "email"));
  g_assert_true (push_mapping_maps_field (mapping, "company"));
  g_assert_false (push_mapping_maps_field (mapping, "city"));

  /* The same column may feed two fields; it is listed once. */
  push_mapping_add_row (mapping, "E-mail", "customerNumber");
  columns = push_mapping_dup_columns (mapping, TRUE);
  g_assert_cmpstrv (columns, ((const char * const []) { "E-mail", "First Name", "Surname", "Company", NULL }));
  identity_columns = push_mapping_dup_columns (mapping, FALSE);
  g_assert_cmpstrv (identity_columns, ((const char * const []) { "E-mail", NULL }));

  push_mapping_remove_row (mapping, 0);
  g_clear_pointer (&text, g_free);
  text = format_rows (mapping);
  g_assert_cmpstr (text, ==, "[E-mail->email] Surname->lastName Company->company E-mail->customerNumber");

  counts.changed = 0;
  push_mapping_clear_rows (mapping);
  push_mapping_clear_rows (mapping);
  g_assert_cmpuint (counts.changed, ==, 1);
  g_assert_cmpuint (push_mapping_get_n_rows (mapping), ==, 0);

  /* A row whose column is empty does not map its field. */
  push_mapping_add_row (mapping, "", "city");
  g_assert_false (push_mapping_maps_field (mapping, "city"));
  push_mapping_set_identity_column (mapping, "");
  g_assert_false (push_mapping_maps_field (mapping, "email"));
}

static void
test_copy_equal_assign (void)
{
  g_autoptr(PushMapping) a = push_mapping_new ();
  g_autoptr(PushMapping) b = NULL;
  g_autoptr(PushMapping) c = push_mapping_new ();
  Counts counts = { 0, };

  push_mapping_set_identity_field (a, "email");
  push_mapping_set_identity_column (a, "Email");
  push_mapping_add_row (a, "First", "firstName");

  b = push_mapping_copy (a);
  g_assert_true (push_mapping_equal (a, b));
  push_mapping_set_row (b, 0, "First", "lastName");
  g_assert_false (push_mapping_equal (a, b));
  g_assert_cmpstr (push_mapping_get_row (a, 0)->field, ==, "firstName");

  watch (c, &counts);
  push_mapping_assign (c, a);
  g_assert_true (push_mapping_equal (a, c));
  g_assert_cmpuint (counts.changed, ==, 1);
  g_assert_cmpuint (counts.n_rows_notified, ==, 1);
  push_mapping_assign (c, a);
  g_assert_cmpuint (counts.changed, ==, 1);

  /* Properties. */
  {
    g_autofree char *column = NULL;
    guint n_rows = 0;

    g_object_set (c, "identity-column", "Mail", NULL);
    g_object_get (c, "identity-column", &column, "n-rows", &n_rows, NULL);
    g_assert_cmpstr (column, ==, "Mail");
    g_assert_cmpuint (n_rows, ==, 1);
  }

  g_assert_finalize_object (g_steal_pointer (&b));
}

static void
test_normalize (void)
{
  static const struct { const char *in, *out; } cases[] = {
    { "E-mail", "email" },
    { "Email Address", "emailaddress" },
    { "email_address", "emailaddress" },
    { "  First.Name ", "firstname" },
    { "POSTAL–CODE", "postalcode" },
    { "Straße", "strasse" },
    { "ＺＩＰ", "zip" },
    { "", "" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = push_mapping_normalize_name (cases[i].in);

      g_assert_cmpstr (got, ==, cases[i].out);
    }
}

static void
test_suggest_field (void)
{
  static const struct { const char *column; const char *with_schema; const char *without; } cases[] = {
    { "E-mail", "email", "email" },
    { "email_address", "email", "email" },
    { "Email Address", "email", "email" },
    { "EMAIL", "email", "email" },
    { "First Name", "firstName", "firstName" },
    { "first_name", "firstName", "firstName" },
    { "given name", "firstName", "firstName" },
    { "Last Name", "lastName", "lastName" },
    { "surname", "lastName", "lastName" },
    { "Company", "company", "company" },
    { "organisation", "company", "company" },
    { "Phone", "phone", "phone" },
    { "phone_number", "phone", "phone" },
    { "Mobile", "mobilePhone", "mobilePhone" },
    { "City", "city", "city" },
    { "Country", "country", "country" },
    { "Postal Code", "postalCode", "postalCode" },
    { "ZIP", "postalCode", "postalCode" },
    { "zip-code", "postalCode", "postalCode" },
    { "Job Title", "title", "title" },
    { "title", "title", "title" },
    /* the schema's REST names, as is and normalised, and its display names */
    { "customerNumber", "customerNumber", NULL },
    { "Customer_Number", "customerNumber", NULL },
    { "Loyalty Tier", "loyaltyTier", NULL },
    { "Num Employees", "numberOfEmployees", NULL },
    /* read-only fields are never suggested, nor unknown names */
    { "createdAt", NULL, NULL },
    { "Created At", NULL, NULL },
    { "Favourite colour", NULL, NULL },
    { "", NULL, NULL },
  };
  g_autoptr(MarketoLeadSchema) schema = test_schema_new ();

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("column “%s”", cases[i].column);
      g_assert_cmpstr (push_mapping_suggest_field (cases[i].column, schema), ==, cases[i].with_schema);
      g_assert_cmpstr (push_mapping_suggest_field (cases[i].column, NULL), ==, cases[i].without);
    }
}

static void
test_suggest_field_missing_from_schema (void)
{
  /* A synonym only counts when the instance has that field. */
  g_autoptr(MarketoLeadSchema) schema = g_new0 (MarketoLeadSchema, 1);

  schema->fields = g_ptr_array_new_with_free_func ((GDestroyNotify) marketo_field_free);
  schema->searchable_fields = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  test_schema_add (schema, "email", "Email Address", "email", 255, FALSE, TRUE);
  test_schema_add (schema, "state", "State", "string", 255, TRUE, FALSE);

  g_assert_cmpstr (push_mapping_suggest_field ("Email", schema), ==, "email");
  g_assert_null (push_mapping_suggest_field ("Mobile", schema));
  g_assert_null (push_mapping_suggest_field ("Province", schema));  /* read-only here */
}

static char *
format_suggestions (GPtrArray *suggestions)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < suggestions->len; i++)
    {
      const PushMappingSuggestion *suggestion = g_ptr_array_index (suggestions, i);

      g_string_append_printf (out, "%s%s%s->%s", i > 0 ? " " : "",
                              suggestion->identity ? "*" : "", suggestion->column,
                              suggestion->field);
    }
  return g_string_free (out, FALSE);
}

static void
test_suggest (void)
{
  static const char * const columns[] = {
    "E-mail", "Given Name", "Surname", "Email Address", "Company", "Phone", "Zip",
    "Customer Number", "Notes", "Created At", "Favourite colour", "", NULL,
  };
  g_autoptr(MarketoLeadSchema) schema = test_schema_new ();
  g_autoptr(PushMapping) mapping = push_mapping_new ();
  g_autoptr(GPtrArray) suggestions = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autofree char *text = NULL;
  g_autofree char *rows = NULL;
  Counts counts = { 0, };

  /* The identity field is email and its column is not chosen yet: the first column that
   * looks like email is suggested for the identity; the second is not suggested at all. */
  push_mapping_set_identity_field (mapping, "email");
  push_mapping_add_row (mapping, "Phone", "mobilePhone");  /* the user chose this already */

  suggestions = push_mapping_suggest (mapping, columns, schema);
  text = format_suggestions (suggestions);
  g_assert_cmpstr (text, ==,
                   "*E-mail->email Given Name->firstName Surname->lastName Company->company "
                   "Zip->postalCode Customer Number->customerNumber Notes->notes");

  watch (mapping, &counts);
  push_mapping_apply_suggestions (mapping, suggestions);
  g_assert_cmpuint (counts.changed, ==, 1);
  rows = format_rows (mapping);
  g_assert_cmpstr (rows, ==,
                   "[E-mail->email] Phone->mobilePhone Given Name->firstName Surname->lastName "
                   "Company->company Zip->postalCode Customer Number->customerNumber Notes->notes");

  /* Nothing left to suggest. */
  again = push_mapping_suggest (mapping, columns, schema);
  g_assert_cmpuint (again->len, ==, 0);
}

static void
test_suggest_identity_set (void)
{
  static const char * const columns[] = { "Customer Number", "Email", "First Name", NULL };
  g_autoptr(MarketoLeadSchema) schema = test_schema_new ();
  g_autoptr(PushMapping) mapping = push_mapping_new ();
  g_autoptr(GPtrArray) suggestions = NULL;
  g_autofree char *text = NULL;

  /* Identity chosen: the email column becomes a plain attribute row. */
  push_mapping_set_identity_field (mapping, "customerNumber");
  push_mapping_set_identity_column (mapping, "Customer Number");
  suggestions = push_mapping_suggest (mapping, columns, schema);
  text = format_suggestions (suggestions);
  g_assert_cmpstr (text, ==, "Email->email First Name->firstName");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/model/mapping/rows", test_rows);
  g_test_add_func ("/model/mapping/copy-equal-assign", test_copy_equal_assign);
  g_test_add_func ("/model/mapping/normalize", test_normalize);
  g_test_add_func ("/model/mapping/suggest-field", test_suggest_field);
  g_test_add_func ("/model/mapping/suggest-field-missing", test_suggest_field_missing_from_schema);
  g_test_add_func ("/model/mapping/suggest", test_suggest);
  g_test_add_func ("/model/mapping/suggest-identity-set", test_suggest_identity_set);

  return g_test_run ();
}
