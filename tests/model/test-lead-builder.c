/* test-lead-builder.c: value checks and the lead JSON of PushLeadBuilder
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "model-test-schema.h"
#include "push-lead-builder.h"
#include "test-utils.h"

/* A row built by hand: NULL texts are ABSENT, "\x01N" is JSON null, "\x01O" a nested value. */
typedef struct {
  PushAudienceRow   row;
  PushAudienceValue values[16];
} TestRow;

static void
test_row_init (TestRow            *test_row,
               guint64             number,
               const char * const *texts,
               guint               n_columns)
{
  g_assert_cmpuint (n_columns, <=, G_N_ELEMENTS (test_row->values));

  memset (test_row, 0, sizeof *test_row);
  test_row->row.number = number;
  test_row->row.line = number + 1;
  test_row->row.n_values = n_columns;
  test_row->row.n_fields = n_columns;
  test_row->row.values = test_row->values;
  for (guint i = 0; i < n_columns; i++)
    {
      const char *text = texts[i];

      if (text == NULL)
        test_row->values[i] = (PushAudienceValue) { "", 0, PUSH_AUDIENCE_VALUE_ABSENT };
      else if (g_str_equal (text, "\x01N"))
        test_row->values[i] = (PushAudienceValue) { "", 0, PUSH_AUDIENCE_VALUE_NULL };
      else if (g_str_equal (text, "\x01O"))
        test_row->values[i] = (PushAudienceValue) { "", 0, PUSH_AUDIENCE_VALUE_NESTED };
      else
        test_row->values[i] = (PushAudienceValue) { text, strlen (text), PUSH_AUDIENCE_VALUE_TEXT };
    }
}

/* ---- push_value_check ---- */

typedef struct {
  PushValueType   type;
  gint64          max_length;
  const char     *text;
  PushValueIssue  expected;
} CheckCase;

static void
test_value_check (void)
{
  static const CheckCase cases[] = {
    /* dates */
    { PUSH_VALUE_TYPE_DATE, -1, "2024-02-29", PUSH_VALUE_OK },
    { PUSH_VALUE_TYPE_DATE, -1, "2023-02-29", PUSH_VALUE_NOT_DATE },
    { PUSH_VALUE_TYPE_DATE, -1, "2024-13-01", PUSH_VALUE_NOT_DATE },
    { PUSH_VALUE_TYPE_DATE, -1, "2024-1-01", PUSH_VALUE_NOT_DATE },
    { PUSH_VALUE_TYPE_DATE, -1, "01/02/2024", PUSH_VALUE_NOT_DATE },
    { PUSH_VALUE_TYPE_DATE, -1, "2024-01-01T10:00:00Z", PUSH_VALUE_NOT_DATE },
    { PUSH_VALUE_TYPE_DATE, -1, "0000-01-01", PUSH_VALUE_NOT_DATE },
    /* datetimes */
    { PUSH_VALUE_TYPE_DATETIME, -1, "2024-05-04T12:30:00Z", PUSH_VALUE_OK },
    { PUSH_VALUE_TYPE_DATETIME, -1, "2024-05-04T12:30:00.123+02:00", PUSH_VALUE_OK },
    { PUSH_VALUE_TYPE_DATETIME, -1, "2024-05-04T12:30-0530", PUSH_VALUE_OK },
    { PUSH_VALUE_TYPE_DATETIME, -1, "2024-05-04T12:30:00+02", PUSH_VALUE_OK },
    { PUSH_VALUE_TYPE_DATETIME, -1, "2024-05-04", PUSH_VALUE_OK },
    { PUSH_VALUE_TYPE_DATETIME, -1, "2024-05-04 12:30:00", PUSH_VALUE_NOT_DATETIME },
    { PUSH_VALUE_TYPE_DATETIME, -1, "2024-05-04T24:00:00Z", PUSH_VALUE_NOT_DATETIME },
    { PUSH_VALUE_TYPE_DATETIME, -1, "2024-05-04T12:30:00Zulu", PUSH_VALUE_NOT_DATETIME },
    { PUSH_VALUE_TYPE_DATETIME, -1, "2024-05-04T12", PUSH_VALUE_NOT_DATETIME },
    { PUSH_VALUE_TYPE_DATETIME, -1, "yesterday", PUSH_VALUE_NOT_DATETIME },
    /* integers */
    { PUSH_VALUE_TYPE_INTEGER, -1, "42", PUSH_VALUE_OK },
    { PUSH_VALUE_TYPE_INTEGER, -1, "-42", PUSH_VALUE_OK },
    { PUSH_VALUE_TYPE_INTEGER, -1, "+0042", PUSH_VALUE_OK },
    { PUSH_VALUE_TYPE_INTEGER, -1, "9223372036854775807", PUSH_VALUE_OK },
    { PUSH_VALUE_TYPE_INTEGER, -1, "9223372036854775808", PUSH_VALUE_NOT_INTEGER },
    { PUSH_VALUE_TYPE_INTEGER, -1, "-9223372036854775808", PUSH_VALUE_OK },
    { PUSH_VALUE_TYPE_INTEGER, -1, "4.0", PUSH_VALUE_NOT_INTEGER },
    { PUSH_VALUE_TYPE_INTEGER, -1, "1,000", PUSH_VALUE_NOT_INTEGER },
    { PUSH_VALUE_TYPE_INTEGER, -1, "-", PUSH_VALUE_NOT_INTEGER },
    { PUSH_VALUE_TYPE_INTEGER, -1, "many", PUSH_VALUE_NOT_INTEGER },
    /* numbers (float, currency, percent) */
    { PUSH_VALUE_TYPE_NUMBER, -1, "12.50", PUSH_VALUE_OK },
    { PUSH_VALUE_TYPE_NUMBER, -1, "-0.5", PUSH_VALUE_OK },
    { PUSH_VALUE_TYPE_NUMBER, -1, ".5", PUSH_VALUE_OK },
    { PUSH_VALUE_TYPE_NUMBER, -1, "1e3", PUSH_VALUE_OK },
    { PUSH_VALUE_TYPE_NUMBER, -1, "1.5E-2", PUSH_VALUE_OK },
    { PUSH_VALUE_TYPE_NUMBER, -1, "$12", PUSH_VALUE_NOT_NUMBER },
    { PUSH_VALUE_TYPE_NUMBER, -1, "12%", PUSH_VALUE_NOT_NUMBER },
    { PUSH_VALUE_TYPE_NUMBER, -1, "1,5", PUSH_VALUE_NOT_NUMBER },
    { PUSH_VALUE_TYPE_NUMBER, -1, "1e", PUSH_VALUE_NOT_NUMBER },
    { PUSH_VALUE_TYPE_NUMBER, -1, ".", PUSH_VALUE_NOT_NUMBER },
    { PUSH_VALUE_TYPE_NUMBER, -1, "NaN", PUSH_VALUE_NOT_NUMBER },
    { PUSH_VALUE_TYPE_NUMBER, -1, "inf", PUSH_VALUE_NOT_NUMBER },
    /* booleans */
    { PUSH_VALUE_TYPE_BOOLEAN, -1, "true", PUSH_VALUE_OK },
    { PUSH_VALUE_TYPE_BOOLEAN, -1, "FALSE", PUSH_VALUE_OK },
    { PUSH_VALUE_TYPE_BOOLEAN, -1, "Yes", PUSH_VALUE_OK },
    { PUSH_VALUE_TYPE_BOOLEAN, -1, "no", PUSH_VALUE_OK },
    { PUSH_VALUE_TYPE_BOOLEAN, -1, "1", PUSH_VALUE_OK },
    { PUSH_VALUE_TYPE_BOOLEAN, -1, "0", PUSH_VALUE_OK },
    { PUSH_VALUE_TYPE_BOOLEAN, -1, "y", PUSH_VALUE_NOT_BOOLEAN },
    { PUSH_VALUE_TYPE_BOOLEAN, -1, "2", PUSH_VALUE_NOT_BOOLEAN },
    { PUSH_VALUE_TYPE_BOOLEAN, -1, "yes please", PUSH_VALUE_NOT_BOOLEAN },
    /* emails */
    { PUSH_VALUE_TYPE_EMAIL, 255, "ana@example.com", PUSH_VALUE_OK },
    { PUSH_VALUE_TYPE_EMAIL, 255, "ana.b+tag@mail.example.co.uk", PUSH_VALUE_OK },
    { PUSH_VALUE_TYPE_EMAIL, 255, "ana@localhost", PUSH_VALUE_NOT_EMAIL },
    { PUSH_VALUE_TYPE_EMAIL, 255, "ana@@example.com", PUSH_VALUE_NOT_EMAIL },
    { PUSH_VALUE_TYPE_EMAIL, 255, "ana@b@example.com", PUSH_VALUE_NOT_EMAIL },
    { PUSH_VALUE_TYPE_EMAIL, 255, "@example.com", PUSH_VALUE_NOT_EMAIL },
    { PUSH_VALUE_TYPE_EMAIL, 255, "ana@.example.com", PUSH_VALUE_NOT_EMAIL },
    { PUSH_VALUE_TYPE_EMAIL, 255, "ana@example.com.", PUSH_VALUE_NOT_EMAIL },
    { PUSH_VALUE_TYPE_EMAIL, 255, "ana@example..com", PUSH_VALUE_NOT_EMAIL },
    { PUSH_VALUE_TYPE_EMAIL, 255, "ana b@example.com", PUSH_VALUE_NOT_EMAIL },
    { PUSH_VALUE_TYPE_EMAIL, 255, "zoë@example.com", PUSH_VALUE_NOT_EMAIL },
    { PUSH_VALUE_TYPE_EMAIL, 255, "ana@exämple.com", PUSH_VALUE_NOT_EMAIL },
    { PUSH_VALUE_TYPE_EMAIL, 10, "ana@example.com", PUSH_VALUE_TOO_LONG },
    /* lengths count characters, not bytes */
    { PUSH_VALUE_TYPE_STRING, 5, "abcde", PUSH_VALUE_OK },
    { PUSH_VALUE_TYPE_STRING, 5, "abcdef", PUSH_VALUE_TOO_LONG },
    { PUSH_VALUE_TYPE_STRING, 5, "ééééé", PUSH_VALUE_OK },
    { PUSH_VALUE_TYPE_STRING, 5, "éééééé", PUSH_VALUE_TOO_LONG },
    { PUSH_VALUE_TYPE_STRING, -1, "anything at all, any length", PUSH_VALUE_OK },
    /* empty values are fine: they are not sent */
    { PUSH_VALUE_TYPE_DATE, -1, "", PUSH_VALUE_OK },
    { PUSH_VALUE_TYPE_EMAIL, 255, "", PUSH_VALUE_OK },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      PushValueIssue got = push_value_check (cases[i].type, cases[i].max_length, cases[i].text,
                                             strlen (cases[i].text));

      g_test_message ("case %" G_GSIZE_FORMAT ": “%s”", i, cases[i].text);
      g_assert_cmpint (got, ==, cases[i].expected);
    }
}

static void
test_value_check_text_limit (void)
{
  g_autofree char *limit = g_strnfill (PUSH_VALUE_TEXT_MAX_BYTES, 'x');
  g_autofree char *over = g_strnfill (PUSH_VALUE_TEXT_MAX_BYTES + 1, 'x');
  /* 15,001 two-byte characters: 30,002 bytes, over the byte limit although fewer characters */
  GString *accents = g_string_new (NULL);

  for (guint i = 0; i < 15001; i++)
    g_string_append (accents, "é");

  g_assert_cmpint (push_value_check (PUSH_VALUE_TYPE_TEXT, -1, limit, strlen (limit)), ==,
                   PUSH_VALUE_OK);
  g_assert_cmpint (push_value_check (PUSH_VALUE_TYPE_TEXT, -1, over, strlen (over)), ==,
                   PUSH_VALUE_TOO_LONG);
  g_assert_cmpint (push_value_check (PUSH_VALUE_TYPE_TEXT, -1, accents->str, accents->len), ==,
                   PUSH_VALUE_TOO_LONG);
  g_string_free (accents, TRUE);
}

static void
test_value_type_from_data_type (void)
{
  static const struct { const char *data_type; PushValueType type; } cases[] = {
    { "string", PUSH_VALUE_TYPE_STRING }, { "phone", PUSH_VALUE_TYPE_STRING },
    { "url", PUSH_VALUE_TYPE_STRING }, { "reference", PUSH_VALUE_TYPE_STRING },
    { "text", PUSH_VALUE_TYPE_TEXT }, { "email", PUSH_VALUE_TYPE_EMAIL },
    { "integer", PUSH_VALUE_TYPE_INTEGER }, { "score", PUSH_VALUE_TYPE_INTEGER },
    { "float", PUSH_VALUE_TYPE_NUMBER }, { "currency", PUSH_VALUE_TYPE_NUMBER },
    { "percent", PUSH_VALUE_TYPE_NUMBER }, { "boolean", PUSH_VALUE_TYPE_BOOLEAN },
    { "date", PUSH_VALUE_TYPE_DATE }, { "datetime", PUSH_VALUE_TYPE_DATETIME },
    { "somethingNew", PUSH_VALUE_TYPE_STRING }, { NULL, PUSH_VALUE_TYPE_STRING },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (push_value_type_from_data_type (cases[i].data_type), ==, cases[i].type);
}

/* ---- JSON strings ---- */

static void
test_json_escaping (void)
{
  static const struct { const char *in; const char *out; } cases[] = {
    { "plain", "\"plain\"" },
    { "", "\"\"" },
    { "say \"hi\"", "\"say \\\"hi\\\"\"" },
    { "back\\slash", "\"back\\\\slash\"" },
    { "line\nbreak\r\ttab", "\"line\\nbreak\\r\\ttab\"" },
    { "\b\f", "\"\\b\\f\"" },
    { "bell\x07" "esc\x1b" "us\x1f", "\"bell\\u0007esc\\u001bus\\u001f\"" },
    { "Zoë Åström — 東京 😀", "\"Zoë Åström — 東京 😀\"" },
    { "</script>", "\"</script>\"" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) out = g_string_new ("x=");
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;

      push_json_append_string (out, cases[i].in, strlen (cases[i].in));
      g_assert_cmpstr (out->str + 2, ==, cases[i].out);

      /* And a JSON parser reads back exactly the input. */
      json_parser_load_from_data (parser, out->str + 2, -1, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (json_node_get_string (json_parser_get_root (parser)), ==, cases[i].in);
    }

  {
    /* An embedded NUL is escaped too (the length is what counts). */
    g_autoptr(GString) out = g_string_new (NULL);

    push_json_append_string (out, "a\0b", 3);
    g_assert_cmpstr (out->str, ==, "\"a\\u0000b\"");
  }
}

/* ---- The builder ---- */

static const char * const all_columns[] = {
  "Email", "First", "Last", "Employees", "Revenue", "Birthday", "Last Purchase",
  "Opted Out", "Notes", "Code", "Customer No", "Score", NULL,
};

static PushMapping *
full_mapping (void)
{
  PushMapping *mapping = push_mapping_new ();

  push_mapping_set_identity_field (mapping, "email");
  push_mapping_set_identity_column (mapping, "Email");
  push_mapping_add_row (mapping, "First", "firstName");
  push_mapping_add_row (mapping, "Last", "lastName");
  push_mapping_add_row (mapping, "Employees", "numberOfEmployees");
  push_mapping_add_row (mapping, "Revenue", "annualRevenue");
  push_mapping_add_row (mapping, "Birthday", "dateOfBirth");
  push_mapping_add_row (mapping, "Last Purchase", "lastPurchaseAt");
  push_mapping_add_row (mapping, "Opted Out", "unsubscribed");
  push_mapping_add_row (mapping, "Notes", "notes");
  push_mapping_add_row (mapping, "Code", "shortCode");
  push_mapping_add_row (mapping, "Customer No", "customerNumber");
  push_mapping_add_row (mapping, "Score", "leadScore");
  return mapping;
}

static PushLeadBuilder *
full_builder (void)
{
  g_autoptr(MarketoLeadSchema) schema = test_schema_new ();
  g_autoptr(PushMapping) mapping = full_mapping ();
  g_autoptr(GError) error = NULL;
  PushLeadBuilder *builder;

  builder = push_lead_builder_new (mapping, schema, all_columns, PUSH_LEAD_BUILDER_NONE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (builder);
  return builder;
}

typedef struct {
  const char *texts[12];
  const char *json;  /* NULL: the row is not sent */
  const char *issues;
} LeadCase;

static char *
format_issues (PushLeadBuilder *builder)
{
  const PushLeadIssue *issues;
  guint n_issues;
  GString *out = g_string_new (NULL);
  GEnumClass *klass = g_type_class_ref (PUSH_TYPE_VALUE_ISSUE);

  issues = push_lead_builder_get_issues (builder, &n_issues);
  for (guint i = 0; i < n_issues; i++)
    g_string_append_printf (out, "%s%d:%s:%s", i > 0 ? " " : "", issues[i].mapping_row,
                            issues[i].field, g_enum_get_value (klass, issues[i].issue)->value_nick);
  g_type_class_unref (klass);
  return g_string_free (out, FALSE);
}

static void
test_builder_types (void)
{
  static const LeadCase cases[] = {
    /* every type, normalised where JSON needs it */
    { { "ana@example.com", "Ana", "Berg", "+0042", "12.50", "1990-07-14",
        "2024-05-04T12:30:00+02:00", "Yes", "two\nlines", "AB1", "C-1001", "7" },
      "{\"email\":\"ana@example.com\",\"firstName\":\"Ana\",\"lastName\":\"Berg\","
      "\"numberOfEmployees\":42,\"annualRevenue\":12.50,\"dateOfBirth\":\"1990-07-14\","
      "\"lastPurchaseAt\":\"2024-05-04T12:30:00+02:00\",\"unsubscribed\":true,"
      "\"notes\":\"two\\nlines\",\"shortCode\":\"AB1\",\"customerNumber\":\"C-1001\","
      "\"leadScore\":7}", "" },
    /* empty cells, blank cells and absent values are left out; values are trimmed */
    { { "  bo@example.com ", "", "   ", NULL, "-3", NULL, NULL, "0", NULL, NULL, NULL, "-0" },
      "{\"email\":\"bo@example.com\",\"annualRevenue\":-3,\"unsubscribed\":false,"
      "\"leadScore\":-0}", "" },
    /* numbers JSON can't take as written go through a double */
    { { "cy@example.com", NULL, NULL, "007", ".5", NULL, NULL, "FALSE", NULL, NULL, NULL, NULL },
      "{\"email\":\"cy@example.com\",\"numberOfEmployees\":7,\"annualRevenue\":0.5,"
      "\"unsubscribed\":false}", "" },
    { { "cy@example.com", NULL, NULL, "0", "+1e3", NULL, NULL, "no", NULL, NULL, NULL, NULL },
      "{\"email\":\"cy@example.com\",\"numberOfEmployees\":0,\"annualRevenue\":1000,"
      "\"unsubscribed\":false}", "" },
    /* quotes, control characters and other scripts */
    { { "dee@example.com", "D\"J\" \\o/", "Åström\x01", NULL, NULL, NULL, NULL, NULL,
        "tab\there 😀", NULL, "東京-1", NULL },
      "{\"email\":\"dee@example.com\",\"firstName\":\"D\\\"J\\\" \\\\o/\","
      "\"lastName\":\"Åström\\u0001\",\"notes\":\"tab\\there 😀\",\"customerNumber\":\"東京-1\"}",
      "" },
    /* bad values are left out and listed; the row still goes */
    { { "ed@example.com", "Ed", NULL, "many", "$5", "14/07/1990", "2024-05-04 12:30",
        "maybe", NULL, "TOOLONG", NULL, "1.5" },
      "{\"email\":\"ed@example.com\",\"firstName\":\"Ed\"}",
      "2:numberOfEmployees:not-integer 3:annualRevenue:not-number 4:dateOfBirth:not-date "
      "5:lastPurchaseAt:not-datetime 6:unsubscribed:not-boolean 8:shortCode:too-long "
      "10:leadScore:not-integer" },
    /* JSON null is empty; a nested value is an issue */
    { { "flo@example.com", "\x01N", "\x01O", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL },
      "{\"email\":\"flo@example.com\"}", "1:lastName:nested" },
    /* no dedupe value: nothing is written */
    { { "", "Gus", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL },
      NULL, "-2:email:empty" },
    { { "\x01N", "Gus", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL },
      NULL, "-2:email:empty" },
    /* a bad dedupe value: nothing is written, the other issues are still listed */
    { { "gus at example.com", "Gus", NULL, "x", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL },
      NULL, "-2:email:not-email 2:numberOfEmployees:not-integer" },
  };
  g_autoptr(PushLeadBuilder) builder = full_builder ();

  g_assert_cmpuint (push_lead_builder_get_n_fields (builder), ==, 11);
  g_assert_cmpstr (push_lead_builder_get_dedupe_field (builder), ==, "email");

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) out = g_string_new ("[");
      g_autofree char *issues = NULL;
      TestRow row;
      gboolean sent, checked;

      g_test_message ("case %" G_GSIZE_FORMAT, i);
      test_row_init (&row, i + 1, cases[i].texts, 12);
      sent = push_lead_builder_append_lead (builder, &row.row, out);
      issues = format_issues (builder);
      g_assert_cmpstr (issues, ==, cases[i].issues);

      if (cases[i].json == NULL)
        {
          g_assert_false (sent);
          g_assert_cmpstr (out->str, ==, "[");
        }
      else
        {
          g_autoptr(JsonParser) parser = json_parser_new ();
          g_autoptr(GError) error = NULL;

          g_assert_true (sent);
          g_assert_cmpstr (out->str + 1, ==, cases[i].json);
          json_parser_load_from_data (parser, out->str + 1, -1, &error);
          g_assert_no_error (error);
          g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
        }

      /* check_row() agrees, writing nothing. */
      checked = push_lead_builder_check_row (builder, &row.row);
      g_assert_cmpint (checked, ==, sent);
      g_clear_pointer (&issues, g_free);
      issues = format_issues (builder);
      g_assert_cmpstr (issues, ==, cases[i].issues);
    }
}

static void
test_builder_batch (void)
{
  /* Leads appended one after the other into one buffer make a JSON array with separators
   * the caller adds: the builder never writes outside its object. */
  g_autoptr(PushLeadBuilder) builder = full_builder ();
  g_autoptr(GString) out = g_string_new ("[");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  const char *rows[3][12] = {
    { "a@example.com", "A" },
    { "", "skipped" },
    { "c@example.com", NULL, "C" },
  };
  guint sent = 0;
  JsonArray *array;

  for (guint i = 0; i < 3; i++)
    {
      TestRow row;
      gsize before = out->len;

      test_row_init (&row, i + 1, rows[i], 12);
      if (sent > 0)
        g_string_append_c (out, ',');
      if (push_lead_builder_append_lead (builder, &row.row, out))
        sent++;
      else if (sent > 0)
        g_string_truncate (out, before);
    }
  g_string_append_c (out, ']');

  json_parser_load_from_data (parser, out->str, -1, &error);
  g_assert_no_error (error);
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 1),
                                                  "lastName"), ==, "C");
}

static void
test_builder_dedupe_value (void)
{
  g_autoptr(PushLeadBuilder) builder = full_builder ();
  const char *texts[12] = { "  ana@example.com\t" };
  const char *empty[12] = { "   " };
  const char *value;
  gsize length = 99;
  TestRow row;

  test_row_init (&row, 1, texts, 12);
  value = push_lead_builder_get_dedupe_value (builder, &row.row, &length);
  g_assert_cmpstr (value, ==, "ana@example.com");
  g_assert_cmpuint (length, ==, strlen ("ana@example.com"));

  test_row_init (&row, 2, empty, 12);
  g_assert_null (push_lead_builder_get_dedupe_value (builder, &row.row, &length));
  g_assert_cmpuint (length, ==, 0);
}

static void
test_builder_no_schema (void)
{
  /* Without a schema every field is a string without a limit. */
  g_autoptr(PushMapping) mapping = push_mapping_new ();
  g_autoptr(PushLeadBuilder) builder = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  const char * const columns[] = { "id", "n", NULL };
  const char *texts[] = { "X-1", "0042" };
  TestRow row;

  push_mapping_set_identity_field (mapping, "customerNumber");
  push_mapping_set_identity_column (mapping, "id");
  push_mapping_add_row (mapping, "n", "numberOfEmployees");
  builder = push_lead_builder_new (mapping, NULL, columns, PUSH_LEAD_BUILDER_NONE, &error);
  g_assert_no_error (error);

  test_row_init (&row, 1, texts, 2);
  g_assert_true (push_lead_builder_append_lead (builder, &row.row, out));
  g_assert_cmpstr (out->str, ==, "{\"customerNumber\":\"X-1\",\"numberOfEmployees\":\"0042\"}");
}

static void
test_builder_errors (void)
{
  static const struct {
    const char *identity_column;
    const char *identity_field;
    const char *column;
    const char *field;
    int code;
  } cases[] = {
    { "", "email", "First", "firstName", PUSH_LEAD_BUILDER_ERROR_NO_IDENTITY },
    { "Email", "", "First", "firstName", PUSH_LEAD_BUILDER_ERROR_NO_IDENTITY },
    { "Mail", "email", "First", "firstName", PUSH_LEAD_BUILDER_ERROR_COLUMN_MISSING },
    { "Email", "email", "Given", "firstName", PUSH_LEAD_BUILDER_ERROR_COLUMN_MISSING },
    { "Email", "email", "First", "favouriteColour", PUSH_LEAD_BUILDER_ERROR_FIELD },
    { "Email", "email", "First", "createdAt", PUSH_LEAD_BUILDER_ERROR_FIELD },
    { "Email", "email", "First", "email", PUSH_LEAD_BUILDER_ERROR_FIELD },
    { "Email", "email", "", "firstName", PUSH_LEAD_BUILDER_ERROR_FIELD },
    { "Email", "email", "First", "", PUSH_LEAD_BUILDER_ERROR_FIELD },
  };
  g_autoptr(MarketoLeadSchema) schema = test_schema_new ();

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PushMapping) mapping = push_mapping_new ();
      g_autoptr(PushLeadBuilder) strict = NULL;
      g_autoptr(PushLeadBuilder) lenient = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("case %" G_GSIZE_FORMAT, i);
      push_mapping_set_identity_column (mapping, cases[i].identity_column);
      push_mapping_set_identity_field (mapping, cases[i].identity_field);
      push_mapping_add_row (mapping, cases[i].column, cases[i].field);

      strict = push_lead_builder_new (mapping, schema, all_columns, PUSH_LEAD_BUILDER_NONE, &error);
      g_assert_error (error, PUSH_LEAD_BUILDER_ERROR, cases[i].code);
      g_assert_null (strict);

      lenient = push_lead_builder_new (mapping, schema, all_columns, PUSH_LEAD_BUILDER_LENIENT,
                                       NULL);
      g_assert_nonnull (lenient);
    }

  {
    /* A field mapped twice: the second row is refused (strict) or dropped (lenient). */
    g_autoptr(PushMapping) mapping = push_mapping_new ();
    g_autoptr(PushLeadBuilder) builder = NULL;
    g_autoptr(GString) out = g_string_new (NULL);
    g_autoptr(GError) error = NULL;
    const char *texts[12] = { "a@example.com", "Ann", "Anna" };
    TestRow row;

    push_mapping_set_identity_column (mapping, "Email");
    push_mapping_set_identity_field (mapping, "email");
    push_mapping_add_row (mapping, "First", "firstName");
    push_mapping_add_row (mapping, "Last", "firstName");
    builder = push_lead_builder_new (mapping, schema, all_columns, PUSH_LEAD_BUILDER_NONE, &error);
    g_assert_error (error, PUSH_LEAD_BUILDER_ERROR, PUSH_LEAD_BUILDER_ERROR_FIELD);
    g_assert_null (builder);

    builder = push_lead_builder_new (mapping, schema, all_columns, PUSH_LEAD_BUILDER_LENIENT, NULL);
    g_assert_cmpuint (push_lead_builder_get_n_fields (builder), ==, 1);
    test_row_init (&row, 1, texts, 12);
    g_assert_true (push_lead_builder_append_lead (builder, &row.row, out));
    g_assert_cmpstr (out->str, ==, "{\"email\":\"a@example.com\",\"firstName\":\"Ann\"}");
  }
}

static void
test_builder_identity_only (void)
{
  g_autoptr(MarketoLeadSchema) schema = test_schema_new ();
  g_autoptr(PushMapping) mapping = full_mapping ();
  g_autoptr(PushLeadBuilder) builder = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  const char *texts[12] = { "a@example.com", "Ann", NULL, "not a number" };
  guint n_issues = 99;
  TestRow row;

  /* A broken attribute row does not matter when only the identity is used. */
  push_mapping_add_row (mapping, "Nope", "favouriteColour");
  builder = push_lead_builder_new (mapping, schema, all_columns,
                                   PUSH_LEAD_BUILDER_IDENTITY_ONLY, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (push_lead_builder_get_n_fields (builder), ==, 0);

  test_row_init (&row, 1, texts, 12);
  g_assert_true (push_lead_builder_append_lead (builder, &row.row, out));
  g_assert_cmpstr (out->str, ==, "{\"email\":\"a@example.com\"}");
  push_lead_builder_get_issues (builder, &n_issues);
  g_assert_cmpuint (n_issues, ==, 0);
}

static void
test_builder_issue_describe (void)
{
  PushLeadIssue issue = { 4, PUSH_VALUE_NOT_DATE, "Birthday", "dateOfBirth" };
  PushLeadIssue empty = { PUSH_PROBLEM_ROW_IDENTITY, PUSH_VALUE_EMPTY, "Email", "email" };
  g_autofree char *text = push_lead_issue_describe (&issue, 12);
  g_autofree char *empty_text = push_lead_issue_describe (&empty, 1234567);

  g_assert_cmpstr (text, ==, "Row 12: column “Birthday” (dateOfBirth): not a date (YYYY-MM-DD)");
  g_assert_cmpstr (empty_text, ==, "Row 1,234,567: the dedupe value in column “Email” (email) is empty");
}

static void
test_builder_through_reader (void)
{
  /* A real file through the real reader: quoted fields with commas, quotes and line breaks. */
  static const char csv[] =
    "Email,First,Last,Notes\r\n"
    "ana@example.com,\"Ana, Jr.\",\"O\"\"Neil\",\"line one\nline two\"\r\n"
    "bo@example.com,Bo,,\r\n";
  g_autoptr(MarketoLeadSchema) schema = test_schema_new ();
  g_autoptr(PushMapping) mapping = push_mapping_new ();
  g_autoptr(PushAudienceReader) reader = NULL;
  g_autoptr(PushLeadBuilder) builder = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = push_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "audience.csv", NULL);
  const PushAudienceRow *row;

  g_file_set_contents (path, csv, -1, &error);
  g_assert_no_error (error);

  push_mapping_set_identity_field (mapping, "email");
  push_mapping_set_identity_column (mapping, "Email");
  push_mapping_add_row (mapping, "First", "firstName");
  push_mapping_add_row (mapping, "Last", "lastName");
  push_mapping_add_row (mapping, "Notes", "notes");

  reader = push_audience_reader_new_for_path (path, PUSH_AUDIENCE_FORMAT_CSV, 0);
  push_audience_reader_open (reader, NULL, &error);
  g_assert_no_error (error);
  builder = push_lead_builder_new (mapping, schema,
                                   push_audience_reader_get_columns (reader, NULL),
                                   PUSH_LEAD_BUILDER_NONE, &error);
  g_assert_no_error (error);

  while (push_audience_reader_next_row (reader, &row, NULL, &error))
    {
      if (out->len > 0)
        g_string_append_c (out, '\n');
      g_assert_true (push_lead_builder_append_lead (builder, row, out));
    }
  g_assert_no_error (error);
  g_assert_cmpstr (out->str, ==,
                   "{\"email\":\"ana@example.com\",\"firstName\":\"Ana, Jr.\","
                   "\"lastName\":\"O\\\"Neil\",\"notes\":\"line one\\nline two\"}\n"
                   "{\"email\":\"bo@example.com\",\"firstName\":\"Bo\"}");

  g_clear_object (&reader);
  push_test_rm_rf (dir);
}

/* The escaper skips clean text eight bytes at a time: put each byte that needs escaping (and
 * multi-byte UTF-8 and 0x7f/0x20 neighbours that do not) at every position of strings long
 * enough to span several words, and compare with a byte-at-a-time reference. */
static void
reference_escape (GString    *out,
                  const char *text,
                  gsize       length)
{
  g_string_append_c (out, '"');
  for (gsize i = 0; i < length; i++)
    {
      guchar c = text[i];

      switch (c)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, c);
        }
    }
  g_string_append_c (out, '"');
}

static void
test_json_escaping_positions (void)
{
  static const char * const specials[] = {
    "\"", "\\", "\n", "\x01", "\x1f", " ", "\x7f", "!", "#", "[", "]", "é", "😀", "\"\\",
  };

  for (gsize k = 0; k < G_N_ELEMENTS (specials); k++)
    for (gsize length = 0; length <= 40; length++)
      for (gsize at = 0; at <= length; at++)
        {
          g_autoptr(GString) text = g_string_new (NULL);
          g_autoptr(GString) got = g_string_new (NULL);
          g_autoptr(GString) want = g_string_new (NULL);

          for (gsize i = 0; i < length; i++)
            g_string_append_c (text, i == at ? 'x' : 'a' + (i % 26));
          g_string_insert (text, at, specials[k]);

          push_json_append_string (got, text->str, text->len);
          reference_escape (want, text->str, text->len);
          g_assert_cmpstr (got->str, ==, want->str);
        }
}

static void
test_builder_speed (void)
{
  /* A figure for the report, not a pass/fail line (the machine is shared). */
  g_autoptr(PushLeadBuilder) builder = full_builder ();
  g_autoptr(GString) out = g_string_sized_new (1024 * 1024);
  const guint n_rows = 200000;
  char email[64];
  const char *texts[12] = { email, "Ana", "Berg", "42", "12.50", "1990-07-14",
                            "2024-05-04T12:30:00Z", "yes", "some \"notes\"", "AB1",
                            "C-1001", "7" };
  gint64 start, elapsed;
  gsize bytes = 0;
  TestRow row;

  start = g_get_monotonic_time ();
  for (guint i = 0; i < n_rows; i++)
    {
      g_snprintf (email, sizeof email, "person%u@example.com", i);
      test_row_init (&row, i + 1, texts, 12);
      g_string_truncate (out, 0);
      g_assert_true (push_lead_builder_append_lead (builder, &row.row, out));
      bytes += out->len;
    }
  elapsed = g_get_monotonic_time () - start;

  g_assert_cmpuint (bytes, >, n_rows * 200);
  g_test_message ("lead builder: %u rows of 12 fields in %.3f s (%.0f rows/s, %.1f MB of JSON)",
                  n_rows, elapsed / 1e6, n_rows / (elapsed / 1e6), bytes / 1e6);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/model/lead-builder/value-check", test_value_check);
  g_test_add_func ("/model/lead-builder/value-check-text-limit", test_value_check_text_limit);
  g_test_add_func ("/model/lead-builder/value-type", test_value_type_from_data_type);
  g_test_add_func ("/model/lead-builder/json-escaping", test_json_escaping);
  g_test_add_func ("/model/lead-builder/json-escaping-positions", test_json_escaping_positions);
  g_test_add_func ("/model/lead-builder/types", test_builder_types);
  g_test_add_func ("/model/lead-builder/batch", test_builder_batch);
  g_test_add_func ("/model/lead-builder/dedupe-value", test_builder_dedupe_value);
  g_test_add_func ("/model/lead-builder/no-schema", test_builder_no_schema);
  g_test_add_func ("/model/lead-builder/errors", test_builder_errors);
  g_test_add_func ("/model/lead-builder/identity-only", test_builder_identity_only);
  g_test_add_func ("/model/lead-builder/issue-describe", test_builder_issue_describe);
  g_test_add_func ("/model/lead-builder/through-reader", test_builder_through_reader);
  g_test_add_func ("/model/lead-builder/speed", test_builder_speed);

  return g_test_run ();
}
