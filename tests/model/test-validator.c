/* test-validator.c: the destination rules and the sampled audience scan
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "model-test-schema.h"
#include "push-validator.h"
#include "test-utils.h"

#define LIST_ID 1001

static const char * const audience_columns[] = {
  "Email", "First Name", "Last Name", "Company", "Customer No", "Lead Id", "ECID", NULL,
};

static int
compare_strings (const char **a,
                 const char **b)
{
  return strcmp (*a, *b);
}

/* "code" or "code:field" for the problems that name a required field, sorted, space-separated. */
static char *
format_codes (GPtrArray *problems)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_free);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < problems->len; i++)
    {
      const PushProblem *problem = g_ptr_array_index (problems, i);
      const char *nick = push_problem_code_to_string (problem->code);

      if (problem->code == PUSH_PROBLEM_REQUIRED_FIELD_MISSING)
        g_ptr_array_add (items, g_strdup_printf ("%s:%s", nick, problem->field));
      else
        g_ptr_array_add (items, g_strdup (nick));
    }
  g_ptr_array_sort (items, (GCompareFunc) compare_strings);
  for (guint i = 0; i < items->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, (const char *) items->pdata[i]);
    }
  return g_string_free (out, FALSE);
}

/* A destination that passes every setting rule, for the tests to break one thing at a time. */
static PushDestination *
base_destination (PushSyncType     sync_type,
                  PushPersonAction action)
{
  PushDestination *destination = push_destination_new ();

  push_destination_set_name (destination, "Spring newsletter");
  push_destination_set_account_id (destination, "0b9e8d7c-6a5b-4c3d-9e2f-1a0b9c8d7e6f");
  push_destination_set_sync_type (destination, sync_type);
  push_destination_set_person_action (destination, action);
  if (push_sync_type_uses_list (sync_type))
    {
      push_destination_set_list_target_kind (destination, PUSH_LIST_TARGET_EXISTING);
      push_destination_set_existing_list (destination, LIST_ID, "Fair visitors");
    }
  else
    push_destination_set_list_target_kind (destination, PUSH_LIST_TARGET_NONE);
  push_destination_set_privacy_acknowledged (destination, TRUE);
  return destination;
}

static GPtrArray *
check (PushDestination     *destination,
       const char * const  *columns,
       PushValidationLevel  level)
{
  g_autoptr(MarketoLeadSchema) schema = test_schema_new ();
  g_autoptr(PushValidator) validator = push_validator_new (schema);

  return push_validator_check (validator, destination, columns, level);
}

static char *
check_codes (PushDestination *destination)
{
  g_autoptr(GPtrArray) problems = check (destination, audience_columns, PUSH_VALIDATION_EDIT);

  return format_codes (problems);
}

/* ---- The matrix: sync type x person action x dedupe field x completeness ---- */

typedef enum {
  COMPLETE,
  MISSING_EMAIL,
  MISSING_FIRST_NAME,
  MISSING_LAST_NAME,
  MISSING_IDENTITY,
} Completeness;

static const char *
column_for (const char *field)
{
  static const struct { const char *field, *column; } columns[] = {
    { "email", "Email" }, { "firstName", "First Name" }, { "lastName", "Last Name" },
    { "customerNumber", "Customer No" }, { "id", "Lead Id" }, { "ecid", "ECID" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (columns); i++)
    if (g_str_equal (columns[i].field, field))
      return columns[i].column;
  g_assert_not_reached ();
}

static const char *
removed_field (Completeness completeness)
{
  switch (completeness)
    {
    case MISSING_EMAIL:
      return "email";
    case MISSING_FIRST_NAME:
      return "firstName";
    case MISSING_LAST_NAME:
      return "lastName";
    case COMPLETE:
    case MISSING_IDENTITY:
    default:
      return NULL;
    }
}

static PushDestination *
matrix_destination (PushSyncType      sync_type,
                    PushPersonAction  action,
                    const char       *dedupe_field,
                    Completeness      completeness)
{
  static const char * const people_fields[] = { "email", "firstName", "lastName" };
  PushDestination *destination = base_destination (sync_type, action);
  PushMapping *mapping = push_destination_get_mapping (destination);

  push_destination_set_dedupe_field (destination, dedupe_field);
  if (completeness != MISSING_IDENTITY)
    push_mapping_set_identity_column (mapping, column_for (dedupe_field));

  for (gsize i = 0; i < G_N_ELEMENTS (people_fields); i++)
    {
      const char *field = people_fields[i];

      /* The identity row maps the dedupe field; a second row for it would be an error. */
      if (g_str_equal (field, dedupe_field) || g_strcmp0 (field, removed_field (completeness)) == 0)
        continue;
      push_mapping_add_row (mapping, column_for (field), field);
    }
  push_mapping_add_row (mapping, "Company", "company");
  return destination;
}

/* What the rules in push-validator.h say the codes must be, worked out case by case. */
static char *
matrix_expected (PushSyncType      sync_type,
                 PushPersonAction  action,
                 const char       *dedupe_field,
                 Completeness      completeness)
{
  g_autoptr(GPtrArray) codes = g_ptr_array_new_with_free_func (g_free);
  gboolean creates = sync_type != PUSH_SYNC_TYPE_AUDIENCE_ONLY &&
                     action == PUSH_PERSON_ACTION_CREATE_OR_UPDATE;
  const char *removed = removed_field (completeness);
  GString *out = g_string_new (NULL);

  if (g_str_equal (dedupe_field, "id"))
    g_ptr_array_add (codes, g_strdup ("dedupe-field-id"));
  else if (g_str_equal (dedupe_field, "ecid"))
    g_ptr_array_add (codes, g_strdup ("dedupe-field-ecid"));
  else if (g_str_equal (dedupe_field, "firstName"))
    g_ptr_array_add (codes, g_strdup ("dedupe-field-not-searchable"));

  if (completeness == MISSING_IDENTITY)
    g_ptr_array_add (codes, g_strdup ("dedupe-column-missing"));

  if (sync_type == PUSH_SYNC_TYPE_AUDIENCE_ONLY)
    {
      g_ptr_array_add (codes, g_strdup ("attributes-ignored"));
      g_ptr_array_add (codes, g_strdup ("person-action-ignored"));
    }

  /* A removed people field is missing unless it is the dedupe field (the identity row maps
   * it, or its own missing-column problem covers it). */
  if (creates && removed != NULL && !g_str_equal (removed, dedupe_field))
    g_ptr_array_add (codes, g_strdup_printf ("required-field-missing:%s", removed));

  g_ptr_array_sort (codes, (GCompareFunc) compare_strings);
  for (guint i = 0; i < codes->len; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? " " : "", (const char *) codes->pdata[i]);
  return g_string_free (out, FALSE);
}

static void
test_matrix (void)
{
  static const PushSyncType sync_types[] = {
    PUSH_SYNC_TYPE_AUDIENCE_ONLY, PUSH_SYNC_TYPE_PROFILE_ONLY, PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE,
  };
  static const PushPersonAction actions[] = {
    PUSH_PERSON_ACTION_UPDATE_ONLY, PUSH_PERSON_ACTION_CREATE_OR_UPDATE,
  };
  static const char * const dedupe_fields[] = { "email", "customerNumber", "id", "ecid", "firstName" };
  static const Completeness completenesses[] = {
    COMPLETE, MISSING_EMAIL, MISSING_FIRST_NAME, MISSING_LAST_NAME, MISSING_IDENTITY,
  };
  guint n_cases = 0, n_clean = 0;

  for (gsize s = 0; s < G_N_ELEMENTS (sync_types); s++)
    for (gsize a = 0; a < G_N_ELEMENTS (actions); a++)
      for (gsize d = 0; d < G_N_ELEMENTS (dedupe_fields); d++)
        for (gsize c = 0; c < G_N_ELEMENTS (completenesses); c++)
          {
            g_autoptr(PushDestination) destination = NULL;
            g_autoptr(GPtrArray) problems = NULL;
            g_autofree char *got = NULL;
            g_autofree char *expected = NULL;

            destination = matrix_destination (sync_types[s], actions[a], dedupe_fields[d],
                                              completenesses[c]);
            problems = check (destination, audience_columns, PUSH_VALIDATION_EDIT);
            got = format_codes (problems);
            expected = matrix_expected (sync_types[s], actions[a], dedupe_fields[d],
                                        completenesses[c]);
            g_test_message ("%s / %s / %s / %d: %s",
                            push_sync_type_to_string (sync_types[s]),
                            push_person_action_to_string (actions[a]), dedupe_fields[d],
                            completenesses[c], got);
            g_assert_cmpstr (got, ==, expected);

            /* Where the problems point. */
            for (guint i = 0; i < problems->len; i++)
              {
                const PushProblem *problem = g_ptr_array_index (problems, i);

                g_assert_cmpint (problem->severity, ==, push_problem_code_get_severity (problem->code));
                g_assert_nonnull (problem->message);
                g_assert_cmpstr (problem->message, !=, "");
                switch (problem->code)
                  {
                  case PUSH_PROBLEM_DEDUPE_FIELD_ID:
                  case PUSH_PROBLEM_DEDUPE_FIELD_ECID:
                  case PUSH_PROBLEM_DEDUPE_FIELD_NOT_SEARCHABLE:
                  case PUSH_PROBLEM_DEDUPE_COLUMN_MISSING:
                    g_assert_cmpint (problem->row, ==, PUSH_PROBLEM_ROW_IDENTITY);
                    g_assert_cmpstr (problem->field, ==, dedupe_fields[d]);
                    break;
                  case PUSH_PROBLEM_REQUIRED_FIELD_MISSING:
                  case PUSH_PROBLEM_ATTRIBUTES_IGNORED:
                  case PUSH_PROBLEM_PERSON_ACTION_IGNORED:
                    g_assert_cmpint (problem->row, ==, PUSH_PROBLEM_ROW_NONE);
                    break;
                  default:
                    g_assert_not_reached ();
                  }
              }

            /* Only the audience-only remarks are not errors. */
            if (!push_problems_has_errors (problems))
              n_clean++;
            n_cases++;
          }

  g_assert_cmpuint (n_cases, ==, 150);
  /* Clean, counted by hand: only email/customerNumber with an identity column (2 fields x 4
   * completenesses x 6 type/action pairs = 48), minus the cells where people may be created
   * (2 pairs) and a removed field is not the identity (email: 2, customerNumber: 3) = 10. */
  g_assert_cmpuint (n_clean, ==, 38);
}

static void
test_matrix_anchors (void)
{
  /* A few cells written out, so the matrix's expectations are not only computed. */
  static const struct {
    PushSyncType sync_type;
    PushPersonAction action;
    const char *dedupe_field;
    Completeness completeness;
    const char *codes;
  } cases[] = {
    { PUSH_SYNC_TYPE_PROFILE_ONLY, PUSH_PERSON_ACTION_UPDATE_ONLY, "email", COMPLETE, "" },
    { PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE, PUSH_PERSON_ACTION_CREATE_OR_UPDATE, "customerNumber",
      MISSING_EMAIL, "required-field-missing:email" },
    { PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE, PUSH_PERSON_ACTION_CREATE_OR_UPDATE, "email",
      MISSING_EMAIL, "" },
    { PUSH_SYNC_TYPE_PROFILE_ONLY, PUSH_PERSON_ACTION_CREATE_OR_UPDATE, "email",
      MISSING_IDENTITY, "dedupe-column-missing" },
    { PUSH_SYNC_TYPE_PROFILE_ONLY, PUSH_PERSON_ACTION_CREATE_OR_UPDATE, "firstName",
      MISSING_LAST_NAME, "dedupe-field-not-searchable required-field-missing:lastName" },
    { PUSH_SYNC_TYPE_PROFILE_ONLY, PUSH_PERSON_ACTION_UPDATE_ONLY, "id", MISSING_LAST_NAME,
      "dedupe-field-id" },
    { PUSH_SYNC_TYPE_AUDIENCE_ONLY, PUSH_PERSON_ACTION_CREATE_OR_UPDATE, "ecid", MISSING_IDENTITY,
      "attributes-ignored dedupe-column-missing dedupe-field-ecid person-action-ignored" },
    { PUSH_SYNC_TYPE_AUDIENCE_ONLY, PUSH_PERSON_ACTION_CREATE_OR_UPDATE, "email", MISSING_FIRST_NAME,
      "attributes-ignored person-action-ignored" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PushDestination) destination = NULL;
      g_autofree char *got = NULL;

      destination = matrix_destination (cases[i].sync_type, cases[i].action,
                                        cases[i].dedupe_field, cases[i].completeness);
      got = check_codes (destination);
      g_assert_cmpstr (got, ==, cases[i].codes);
    }
}

static void
test_dedupe_messages (void)
{
  g_autoptr(PushDestination) destination = matrix_destination (PUSH_SYNC_TYPE_PROFILE_ONLY,
                                                               PUSH_PERSON_ACTION_UPDATE_ONLY,
                                                               "firstName", COMPLETE);
  g_autoptr(GPtrArray) problems = check (destination, audience_columns, PUSH_VALIDATION_EDIT);
  const PushProblem *problem = push_problems_find (problems, PUSH_PROBLEM_DEDUPE_FIELD_NOT_SEARCHABLE);

  g_assert_nonnull (problem);
  g_assert_cmpstr (problem->message, ==,
                   "First Name (firstName) can’t be the dedupe field: Marketo can’t look people up by it (it is not a searchable field); choose Email Address or a searchable custom field");
  g_assert_cmpstr (problem->column, ==, "First Name");

  g_clear_pointer (&problems, g_ptr_array_unref);
  push_destination_set_dedupe_field (destination, "favouriteColour");
  problems = check (destination, audience_columns, PUSH_VALIDATION_EDIT);
  problem = push_problems_find (problems, PUSH_PROBLEM_DEDUPE_FIELD_UNKNOWN);
  g_assert_nonnull (problem);
  g_assert_cmpstr (problem->message, ==,
                   "The dedupe field “favouriteColour” does not exist in this Marketo instance");

  g_clear_pointer (&problems, g_ptr_array_unref);
  push_destination_set_dedupe_field (destination, "");
  problems = check (destination, audience_columns, PUSH_VALIDATION_EDIT);
  g_assert_nonnull (push_problems_find (problems, PUSH_PROBLEM_DEDUPE_FIELD_MISSING));
}

static void
test_ecid_names (void)
{
  static const struct { const char *field, *display; gboolean ecid; } cases[] = {
    { "ecid", NULL, TRUE },
    { "ECID", NULL, TRUE },
    { "mktoECID", NULL, TRUE },
    { "ecid__c", NULL, TRUE },
    { "customerEcid", NULL, TRUE },
    { "ECIDValue", NULL, TRUE },
    { "adobeCloudVisitor", "Experience Cloud ID", TRUE },
    { "specIdentifier", "Spec Identifier", FALSE },
    { "decidedAt", "Decided At", FALSE },
    { "email", "Email Address", FALSE },
    { "customerNumber", NULL, FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s / %s", cases[i].field, cases[i].display);
      g_assert_cmpint (push_validator_field_is_ecid (cases[i].field, cases[i].display), ==,
                       cases[i].ecid);
    }

  g_assert_true (push_validator_field_is_lead_id ("id"));
  g_assert_true (push_validator_field_is_lead_id ("ID"));
  g_assert_false (push_validator_field_is_lead_id ("idNumber"));
}

static void
test_targets (void)
{
  g_autoptr(PushDestination) destination = base_destination (PUSH_SYNC_TYPE_PROFILE_ONLY,
                                                             PUSH_PERSON_ACTION_CREATE_OR_UPDATE);
  PushMapping *mapping = push_destination_get_mapping (destination);
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *codes = NULL;
  static const struct { PushProblemCode code; int row; const char *field; } expected[] = {
    { PUSH_PROBLEM_TARGET_DUPLICATE, 3, "company" },
    { PUSH_PROBLEM_TARGET_IS_DEDUPE_FIELD, 4, "email" },
    { PUSH_PROBLEM_TARGET_READ_ONLY, 5, "createdAt" },
    { PUSH_PROBLEM_TARGET_UNKNOWN, 6, "favouriteColour" },
    { PUSH_PROBLEM_ROW_INCOMPLETE, 7, NULL },
    { PUSH_PROBLEM_ROW_INCOMPLETE, 8, "city" },
    { PUSH_PROBLEM_TARGET_READ_ONLY, 9, "id" },
  };

  push_mapping_set_identity_column (mapping, "Email");
  push_mapping_add_row (mapping, "First Name", "firstName");      /* 0 */
  push_mapping_add_row (mapping, "Last Name", "lastName");        /* 1 */
  push_mapping_add_row (mapping, "Company", "company");           /* 2 */
  push_mapping_add_row (mapping, "Customer No", "company");       /* 3 twice */
  push_mapping_add_row (mapping, "ECID", "email");                /* 4 the dedupe field again */
  push_mapping_add_row (mapping, "Lead Id", "createdAt");         /* 5 read-only */
  push_mapping_add_row (mapping, "Company", "favouriteColour");   /* 6 unknown */
  push_mapping_add_row (mapping, "Company", "");                  /* 7 no field */
  push_mapping_add_row (mapping, "", "city");                     /* 8 no column */
  push_mapping_add_row (mapping, "Lead Id", "id");                /* 9 read-only */

  problems = check (destination, audience_columns, PUSH_VALIDATION_EDIT);
  codes = format_codes (problems);
  g_assert_cmpstr (codes, ==,
                   "row-incomplete row-incomplete target-duplicate target-is-dedupe-field "
                   "target-read-only target-read-only target-unknown");

  for (gsize e = 0; e < G_N_ELEMENTS (expected); e++)
    {
      gboolean found = FALSE;

      for (guint i = 0; i < problems->len && !found; i++)
        {
          const PushProblem *problem = g_ptr_array_index (problems, i);

          found = problem->code == expected[e].code && problem->row == expected[e].row &&
                  g_strcmp0 (problem->field, expected[e].field) == 0 &&
                  problem->severity == PUSH_PROBLEM_SEVERITY_ERROR;
        }
      g_test_message ("expected %s at row %d", push_problem_code_to_string (expected[e].code),
                      expected[e].row);
      g_assert_true (found);
    }

  g_assert_cmpstr (push_problems_find (problems, PUSH_PROBLEM_TARGET_DUPLICATE)->message, ==,
                   "Company Name (company) is already mapped by row 3; each field can take only one column");
  g_assert_cmpstr (push_problems_find (problems, PUSH_PROBLEM_TARGET_READ_ONLY)->message, ==,
                   "Created At (createdAt) is read-only: the API can’t write it");

  /* Audience only: the attribute rows are not judged (they are not sent). */
  g_clear_pointer (&problems, g_ptr_array_unref);
  g_clear_pointer (&codes, g_free);
  push_destination_set_sync_type (destination, PUSH_SYNC_TYPE_AUDIENCE_ONLY);
  push_destination_set_list_target_kind (destination, PUSH_LIST_TARGET_EXISTING);
  push_destination_set_existing_list (destination, LIST_ID, "Fair visitors");
  codes = check_codes (destination);
  g_assert_cmpstr (codes, ==, "attributes-ignored person-action-ignored");
}

static void
test_columns (void)
{
  static const char * const fewer_columns[] = { "Email", "First Name", "Last Name", NULL };
  static const char * const no_email[] = { "E-mail", "First Name", "Last Name", "Company", NULL };
  g_autoptr(PushDestination) destination = matrix_destination (PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE,
                                                               PUSH_PERSON_ACTION_CREATE_OR_UPDATE,
                                                               "email", COMPLETE);
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *codes = NULL;
  const PushProblem *problem;

  /* The mapping reads Company (row 2); this audience has no such column. */
  problems = check (destination, fewer_columns, PUSH_VALIDATION_EDIT);
  codes = format_codes (problems);
  g_assert_cmpstr (codes, ==, "column-missing");
  problem = g_ptr_array_index (problems, 0);
  g_assert_cmpint (problem->row, ==, 2);
  g_assert_cmpstr (problem->column, ==, "Company");
  g_assert_cmpstr (problem->field, ==, "company");
  g_assert_cmpint (problem->severity, ==, PUSH_PROBLEM_SEVERITY_ERROR);
  g_assert_cmpstr (problem->message, ==, "The audience has no column “Company”");

  /* The identity column itself. */
  g_clear_pointer (&problems, g_ptr_array_unref);
  g_clear_pointer (&codes, g_free);
  problems = check (destination, no_email, PUSH_VALIDATION_EDIT);
  codes = format_codes (problems);
  g_assert_cmpstr (codes, ==, "column-missing");
  problem = g_ptr_array_index (problems, 0);
  g_assert_cmpint (problem->row, ==, PUSH_PROBLEM_ROW_IDENTITY);
  g_assert_cmpstr (problem->column, ==, "Email");

  /* No audience chosen: no column checks. */
  g_clear_pointer (&problems, g_ptr_array_unref);
  g_clear_pointer (&codes, g_free);
  problems = check (destination, NULL, PUSH_VALIDATION_EDIT);
  codes = format_codes (problems);
  g_assert_cmpstr (codes, ==, "");

  /* Audience only reads the identity column alone. */
  g_clear_pointer (&problems, g_ptr_array_unref);
  g_clear_pointer (&codes, g_free);
  push_destination_set_sync_type (destination, PUSH_SYNC_TYPE_AUDIENCE_ONLY);
  problems = check (destination, fewer_columns, PUSH_VALIDATION_EDIT);
  codes = format_codes (problems);
  g_assert_cmpstr (codes, ==, "attributes-ignored person-action-ignored");
}

static void
test_settings (void)
{
  static const struct {
    PushSyncType sync_type;
    const char *partition;
    PushListTargetKind kind;
    gint64 list_id;
    const char *list_template;
    gint64 folder_id;  /* of the new lists */
    const char *codes;
  } cases[] = {
    { PUSH_SYNC_TYPE_AUDIENCE_ONLY, "EMEA", PUSH_LIST_TARGET_EXISTING, LIST_ID, NULL, 0,
      "attributes-ignored partition-ignored person-action-ignored" },
    { PUSH_SYNC_TYPE_AUDIENCE_ONLY, "", PUSH_LIST_TARGET_NONE, 0, NULL, 0,
      "attributes-ignored list-target-missing person-action-ignored" },
    { PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE, "", PUSH_LIST_TARGET_NONE, 0, NULL, 12,
      "list-target-missing" },
    { PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE, "", PUSH_LIST_TARGET_EXISTING, 0, NULL, 0,
      "list-target-missing" },
    { PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE, "EMEA", PUSH_LIST_TARGET_CREATE_PER_AUDIENCE, 0,
      "{audience} {date}", 12, "" },
    { PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE, "EMEA", PUSH_LIST_TARGET_CREATE_PER_AUDIENCE, 0,
      "{audience} {date}", 0, "list-folder-missing" },
    { PUSH_SYNC_TYPE_AUDIENCE_ONLY, "", PUSH_LIST_TARGET_CREATE_PER_AUDIENCE, 0,
      "{audience}", 0, "attributes-ignored list-folder-missing person-action-ignored" },
    { PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE, "", PUSH_LIST_TARGET_CREATE_PER_AUDIENCE, 0,
      "{audience} {when}", 12, "list-template-invalid" },
    { PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE, "", PUSH_LIST_TARGET_CREATE_PER_AUDIENCE, 0, "  ",
      0, "list-folder-missing list-template-invalid" },
    { PUSH_SYNC_TYPE_PROFILE_ONLY, "", PUSH_LIST_TARGET_EXISTING, LIST_ID, NULL, 0,
      "list-target-ignored" },
    { PUSH_SYNC_TYPE_PROFILE_ONLY, "", PUSH_LIST_TARGET_CREATE_PER_AUDIENCE, 0, "{audience}",
      0, "list-target-ignored" },
    { PUSH_SYNC_TYPE_PROFILE_ONLY, "", PUSH_LIST_TARGET_NONE, 0, NULL, 0, "" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PushDestination) destination = NULL;
      g_autofree char *codes = NULL;

      destination = matrix_destination (cases[i].sync_type, PUSH_PERSON_ACTION_CREATE_OR_UPDATE,
                                        "email", COMPLETE);
      push_destination_set_partition (destination, cases[i].partition);
      push_destination_set_list_target_kind (destination, cases[i].kind);
      push_destination_set_existing_list (destination, cases[i].list_id, "");
      if (cases[i].list_template != NULL)
        push_destination_set_list_name_template (destination, cases[i].list_template);
      push_destination_set_list_folder (destination, cases[i].folder_id, "Folder", "Audiences");

      codes = check_codes (destination);
      g_test_message ("case %" G_GSIZE_FORMAT, i);
      g_assert_cmpstr (codes, ==, cases[i].codes);
    }
}

static void
test_partitions (void)
{
  g_autoptr(MarketoLeadSchema) schema = test_schema_new ();
  g_autoptr(PushValidator) validator = push_validator_new (schema);
  g_autoptr(PushDestination) destination = matrix_destination (PUSH_SYNC_TYPE_PROFILE_ONLY,
                                                               PUSH_PERSON_ACTION_CREATE_OR_UPDATE,
                                                               "email", COMPLETE);
  g_autoptr(GPtrArray) partitions = g_ptr_array_new_with_free_func ((GDestroyNotify) marketo_partition_free);
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *codes = NULL;
  MarketoPartition *partition;

  partition = g_new0 (MarketoPartition, 1);
  partition->id = 1;
  partition->name = g_strdup ("Default");
  g_ptr_array_add (partitions, partition);
  partition = g_new0 (MarketoPartition, 1);
  partition->id = 2;
  partition->name = g_strdup ("EMEA");
  g_ptr_array_add (partitions, partition);

  /* Unknown partitions are only flagged once the list is known. */
  push_destination_set_partition (destination, "APAC");
  problems = push_validator_check (validator, destination, NULL, PUSH_VALIDATION_EDIT);
  codes = format_codes (problems);
  g_assert_cmpstr (codes, ==, "");

  push_validator_set_partitions (validator, partitions);
  g_clear_pointer (&problems, g_ptr_array_unref);
  g_clear_pointer (&codes, g_free);
  problems = push_validator_check (validator, destination, NULL, PUSH_VALIDATION_EDIT);
  codes = format_codes (problems);
  g_assert_cmpstr (codes, ==, "partition-unknown");

  push_destination_set_partition (destination, "EMEA");
  g_clear_pointer (&problems, g_ptr_array_unref);
  g_clear_pointer (&codes, g_free);
  problems = push_validator_check (validator, destination, NULL, PUSH_VALIDATION_EDIT);
  codes = format_codes (problems);
  g_assert_cmpstr (codes, ==, "");
}

static MarketoFolder *
folder_new (gint64      id,
            const char *type,
            const char *path,
            gboolean    is_archive)
{
  MarketoFolder *folder = g_new0 (MarketoFolder, 1);

  folder->id = id;
  folder->type = g_strdup (type);
  folder->name = g_path_get_basename (path);
  folder->path = g_strdup (path);
  folder->is_archive = is_archive;
  return folder;
}

static char *
check_with (PushValidator   *validator,
            PushDestination *destination,
            const char      *message_code,
            char           **out_message)
{
  g_autoptr(GPtrArray) problems = push_validator_check (validator, destination, NULL,
                                                        PUSH_VALIDATION_EDIT);
  PushProblemCode code;

  if (message_code != NULL)
    {
      g_assert_true (push_problem_code_from_string (message_code, &code));
      g_assert_nonnull (push_problems_find (problems, code));
      g_assert_cmpint (push_problems_find (problems, code)->severity, ==,
                       PUSH_PROBLEM_SEVERITY_ERROR);
      *out_message = g_strdup (push_problems_find (problems, code)->message);
    }
  return format_codes (problems);
}

static void
test_list_folders (void)
{
  static const struct {
    gint64 id;
    const char *type;
    const char *codes;
  } cases[] = {
    { 12, "Folder", "" },
    { 1001, "Program", "" },
    { 13, "Folder", "list-folder-archived" },
    { 77, "Folder", "list-folder-unknown" },
    { 1001, "Folder", "list-folder-unknown" },  /* the id exists, but as a program */
    { 12, "Program", "list-folder-unknown" },
    { 0, NULL, "list-folder-missing" },
  };
  g_autoptr(MarketoLeadSchema) schema = test_schema_new ();
  g_autoptr(PushValidator) validator = push_validator_new (schema);
  g_autoptr(PushDestination) destination = NULL;
  g_autoptr(GPtrArray) folders = g_ptr_array_new_with_free_func ((GDestroyNotify) marketo_folder_free);
  g_autofree char *codes = NULL;
  g_autofree char *message = NULL;

  destination = matrix_destination (PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE,
                                    PUSH_PERSON_ACTION_CREATE_OR_UPDATE, "email", COMPLETE);
  push_destination_set_list_target_kind (destination, PUSH_LIST_TARGET_CREATE_PER_AUDIENCE);

  /* No folder: an error with the sentence the editor shows. */
  codes = check_with (validator, destination, "list-folder-missing", &message);
  g_assert_cmpstr (codes, ==, "list-folder-missing");
  g_assert_cmpstr (message, ==, "Choose the folder where the new lists go");
  g_clear_pointer (&codes, g_free);
  g_clear_pointer (&message, g_free);

  /* Folders not known yet: any chosen folder passes. */
  push_destination_set_list_folder (destination, 77, "Folder", "Gone");
  codes = check_with (validator, destination, NULL, NULL);
  g_assert_cmpstr (codes, ==, "");
  g_clear_pointer (&codes, g_free);

  g_ptr_array_add (folders, folder_new (10, "Folder", "/Marketing Activities/Default", FALSE));
  g_ptr_array_add (folders, folder_new (12, "Folder", "/Marketing Activities/Default/Audiences",
                                        FALSE));
  g_ptr_array_add (folders, folder_new (13, "Folder", "/Marketing Activities/Default/Archive",
                                        TRUE));
  g_ptr_array_add (folders, folder_new (1001, "Program",
                                        "/Marketing Activities/Default/Audiences/Spring", FALSE));
  push_validator_set_folders (validator, folders);
  /* the validator keeps its own copy */
  g_ptr_array_set_size (folders, 0);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      push_destination_set_list_folder (destination, cases[i].id, cases[i].type, "Name");
      codes = check_with (validator, destination, NULL, NULL);
      g_test_message ("case %" G_GSIZE_FORMAT, i);
      g_assert_cmpstr (codes, ==, cases[i].codes);
      g_clear_pointer (&codes, g_free);
    }

  /* The messages name the folder: the path of an archive, the kept name of an unknown one. */
  push_destination_set_list_folder (destination, 13, "Folder", "Archive");
  codes = check_with (validator, destination, "list-folder-archived", &message);
  g_assert_nonnull (strstr (message, "/Marketing Activities/Default/Archive"));
  g_clear_pointer (&codes, g_free);
  g_clear_pointer (&message, g_free);
  push_destination_set_list_folder (destination, 77, "Folder", "Old audiences");
  codes = check_with (validator, destination, "list-folder-unknown", &message);
  g_assert_nonnull (strstr (message, "Old audiences"));
  g_clear_pointer (&codes, g_free);
  g_clear_pointer (&message, g_free);

  /* Folders don't matter when the list is an existing one. */
  push_destination_set_list_target_kind (destination, PUSH_LIST_TARGET_EXISTING);
  push_destination_set_existing_list (destination, LIST_ID, "Fair visitors");
  codes = check_with (validator, destination, NULL, NULL);
  g_assert_cmpstr (codes, ==, "");
  g_clear_pointer (&codes, g_free);

  /* Unknown again once the validator forgets the folders. */
  push_destination_set_list_target_kind (destination, PUSH_LIST_TARGET_CREATE_PER_AUDIENCE);
  push_validator_set_folders (validator, NULL);
  codes = check_with (validator, destination, NULL, NULL);
  g_assert_cmpstr (codes, ==, "");
}

static void
test_privacy_level (void)
{
  g_autoptr(PushDestination) destination = matrix_destination (PUSH_SYNC_TYPE_PROFILE_ONLY,
                                                               PUSH_PERSON_ACTION_UPDATE_ONLY,
                                                               "email", COMPLETE);
  g_autoptr(GPtrArray) edit = NULL;
  g_autoptr(GPtrArray) pre = NULL;
  g_autoptr(GPtrArray) after = NULL;
  const PushProblem *problem;

  push_destination_set_privacy_acknowledged (destination, FALSE);
  edit = check (destination, audience_columns, PUSH_VALIDATION_EDIT);
  g_assert_cmpuint (edit->len, ==, 0);

  pre = check (destination, audience_columns, PUSH_VALIDATION_PRE_ACTIVATION);
  g_assert_cmpuint (pre->len, ==, 1);
  problem = g_ptr_array_index (pre, 0);
  g_assert_cmpint (problem->code, ==, PUSH_PROBLEM_PRIVACY_NOT_ACKNOWLEDGED);
  g_assert_cmpint (problem->severity, ==, PUSH_PROBLEM_SEVERITY_ERROR);
  g_assert_true (push_problems_has_errors (pre));

  push_destination_set_privacy_acknowledged (destination, TRUE);
  after = check (destination, audience_columns, PUSH_VALIDATION_PRE_ACTIVATION);
  g_assert_cmpuint (after->len, ==, 0);
}

static void
test_no_schema_name_account (void)
{
  g_autoptr(PushValidator) validator = push_validator_new (NULL);
  g_autoptr(PushDestination) destination = matrix_destination (PUSH_SYNC_TYPE_PROFILE_ONLY,
                                                               PUSH_PERSON_ACTION_UPDATE_ONLY,
                                                               "firstName", COMPLETE);
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *codes = NULL;

  /* Without the field list, unsearchable and unknown fields can't be told: only a note. */
  push_mapping_add_row (push_destination_get_mapping (destination), "Company", "favouriteColour");
  push_destination_set_name (destination, "   ");
  push_destination_set_account_id (destination, "");
  problems = push_validator_check (validator, destination, audience_columns, PUSH_VALIDATION_EDIT);
  codes = format_codes (problems);
  g_assert_cmpstr (codes, ==, "account-missing name-missing schema-unavailable");
  g_assert_cmpuint (push_problems_count (problems, PUSH_PROBLEM_SEVERITY_INFO), ==, 1);
  g_assert_cmpuint (push_problems_count (problems, PUSH_PROBLEM_SEVERITY_ERROR), ==, 2);

  /* The id and ECID refusals need no schema. */
  g_clear_pointer (&problems, g_ptr_array_unref);
  g_clear_pointer (&codes, g_free);
  push_destination_set_dedupe_field (destination, "mktoECID");
  problems = push_validator_check (validator, destination, audience_columns, PUSH_VALIDATION_EDIT);
  codes = format_codes (problems);
  g_assert_cmpstr (codes, ==, "account-missing dedupe-field-ecid name-missing schema-unavailable");
}

static void
test_problems_helpers (void)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) push_problem_free);
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *text = NULL;
  g_autoptr(PushProblem) copy = NULL;
  PushProblem *problem;
  PushProblemCode code;

  g_ptr_array_add (problems, push_problem_new (PUSH_PROBLEM_PERSON_ACTION_IGNORED, -1, NULL, NULL, "i"));
  g_ptr_array_add (problems, push_problem_new (PUSH_PROBLEM_VALUE_NOT_DATE, 2, "dateOfBirth", "Birthday", "w1"));
  g_ptr_array_add (problems, push_problem_new (PUSH_PROBLEM_DEDUPE_FIELD_ID, -2, "id", "", "e1"));
  g_ptr_array_add (problems, push_problem_new (PUSH_PROBLEM_PARTITION_IGNORED, -1, NULL, NULL, "w2"));
  g_ptr_array_add (problems, push_problem_new (PUSH_PROBLEM_NAME_MISSING, -1, NULL, NULL, "e2"));

  problem = g_ptr_array_index (problems, 1);
  problem->count = 5;
  push_problem_add_example (problem, 40);
  push_problem_add_example (problem, 7);
  push_problem_add_example (problem, 40);
  push_problem_add_example (problem, 90);
  push_problem_add_example (problem, 3);
  g_assert_cmpuint (problem->n_examples, ==, 3);
  g_assert_cmpuint (problem->examples[0], ==, 3);
  g_assert_cmpuint (problem->examples[1], ==, 7);
  g_assert_cmpuint (problem->examples[2], ==, 40);
  copy = push_problem_copy (problem);
  g_assert_cmpstr (copy->column, ==, "Birthday");
  g_assert_cmpuint (copy->examples[2], ==, 40);

  push_problems_sort (problems);
  {
    const char *order[] = { "e1", "e2", "w1", "w2", "i" };

    for (guint i = 0; i < problems->len; i++)
      g_assert_cmpstr (((PushProblem *) g_ptr_array_index (problems, i))->message, ==, order[i]);
  }

  json = push_problems_to_json (problems);
  text = json_to_string (json, FALSE);
  g_assert_cmpstr (text, ==,
                   "[{\"severity\":\"error\",\"code\":\"dedupe-field-id\",\"row\":-2,\"field\":\"id\","
                   "\"column\":null,\"message\":\"e1\",\"count\":0,\"examples\":[]},"
                   "{\"severity\":\"error\",\"code\":\"name-missing\",\"row\":-1,\"field\":null,"
                   "\"column\":null,\"message\":\"e2\",\"count\":0,\"examples\":[]},"
                   "{\"severity\":\"warning\",\"code\":\"value-not-date\",\"row\":2,"
                   "\"field\":\"dateOfBirth\",\"column\":\"Birthday\",\"message\":\"w1\",\"count\":5,"
                   "\"examples\":[3,7,40]},"
                   "{\"severity\":\"warning\",\"code\":\"partition-ignored\",\"row\":-1,\"field\":null,"
                   "\"column\":null,\"message\":\"w2\",\"count\":0,\"examples\":[]},"
                   "{\"severity\":\"info\",\"code\":\"person-action-ignored\",\"row\":-1,\"field\":null,"
                   "\"column\":null,\"message\":\"i\",\"count\":0,\"examples\":[]}]");

  g_assert_true (push_problem_code_from_string ("target-read-only", &code));
  g_assert_cmpint (code, ==, PUSH_PROBLEM_TARGET_READ_ONLY);
  g_assert_false (push_problem_code_from_string ("nonsense", &code));
  g_assert_cmpstr (push_problem_severity_get_label (PUSH_PROBLEM_SEVERITY_WARNING), ==, "Warning");

  /* Every code has a nick and a severity. */
  {
    GEnumClass *klass = g_type_class_ref (PUSH_TYPE_PROBLEM_CODE);

    for (guint i = 0; i < klass->n_values; i++)
      {
        g_assert_cmpint (klass->values[i].value, ==, i);  /* stable numbering, no gaps */
        g_assert_nonnull (push_problem_code_to_string (i));
      }
    g_type_class_unref (klass);
  }
}

/* ---- The sampled scan, through the real reader ---- */

static char *
write_file (const char *dir,
            const char *name,
            const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

static PushAudienceReader *
open_reader (const char *path)
{
  g_autoptr(PushAudienceReader) reader = push_audience_reader_new_for_path (path, PUSH_AUDIENCE_FORMAT_AUTO, 0);
  g_autoptr(GError) error = NULL;

  push_audience_reader_open (reader, NULL, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&reader);
}

/* "code@row:column=count[examples]" per problem, in order. */
static char *
format_scan (GPtrArray *problems)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < problems->len; i++)
    {
      const PushProblem *problem = g_ptr_array_index (problems, i);

      g_string_append_printf (out, "%s%s@%d:%s=%" G_GUINT64_FORMAT "[", i > 0 ? " " : "",
                              push_problem_code_to_string (problem->code), problem->row,
                              problem->column, problem->count);
      for (guint j = 0; j < problem->n_examples; j++)
        g_string_append_printf (out, "%s%" G_GUINT64_FORMAT, j > 0 ? "," : "", problem->examples[j]);
      g_string_append_c (out, ']');
    }
  return g_string_free (out, FALSE);
}

static const char scan_csv[] =
  "Email,First Name,Last Name,Birthday,Employees,Revenue,Opted Out,Last Order,Code\n"
  "ana@example.com,Ana,Berg,1990-07-14,12,1500.50,yes,2024-05-04T10:00:00Z,AB1\n"   /* 1 */
  "bo@example.com,Bo,Ek,14/07/1990,3,10,no,,\n"                                    /* 2 */
  ",Cy,Fox,1985-01-01,4,,true,,\n"                                                 /* 3 */
  "dee@example.com,Dee,Gil,,many,,,,\n"                                            /* 4 */
  "ed@example.com,Ed,Ho,1990-02-30,5,,,,\n"                                        /* 5 */
  "fay@@example.com,Fay,Ibsen,,,,,,\n"                                             /* 6 */
  "gus@example.com,Gus,Jo,,,,maybe,,\n"                                            /* 7 */
  "hal@example.com,Hal,Kim,yesterday,,,,,\n"                                       /* 8 */
  "ivy@example.com,Ivy,Lee,07/14/1990,,,,,\n"                                      /* 9 */
  "jo@example.com,Jo,Mo,,,,,,TOOLONG\n"                                            /* 10 */
  "kai@example.com,Kai,Ng,,,\"1,000\",,,\n"                                        /* 11 */
  "  ,Lu,Oz,,,,,2024-05-04 10:00,\n";                                              /* 12 */

static PushDestination *
scan_destination (PushSyncType sync_type)
{
  PushDestination *destination = base_destination (sync_type, PUSH_PERSON_ACTION_CREATE_OR_UPDATE);
  PushMapping *mapping = push_destination_get_mapping (destination);

  push_mapping_set_identity_column (mapping, "Email");
  push_mapping_add_row (mapping, "First Name", "firstName");      /* 0 */
  push_mapping_add_row (mapping, "Last Name", "lastName");        /* 1 */
  push_mapping_add_row (mapping, "Birthday", "dateOfBirth");      /* 2 */
  push_mapping_add_row (mapping, "Employees", "numberOfEmployees"); /* 3 */
  push_mapping_add_row (mapping, "Revenue", "annualRevenue");     /* 4 */
  push_mapping_add_row (mapping, "Opted Out", "unsubscribed");    /* 5 */
  push_mapping_add_row (mapping, "Last Order", "lastPurchaseAt"); /* 6 */
  push_mapping_add_row (mapping, "Code", "shortCode");            /* 7 */
  return destination;
}

static void
test_scan (void)
{
  g_autofree char *dir = push_test_make_tmpdir ();
  g_autofree char *path = write_file (dir, "audience.csv", scan_csv);
  g_autoptr(MarketoLeadSchema) schema = test_schema_new ();
  g_autoptr(PushValidator) validator = push_validator_new (schema);
  g_autoptr(PushDestination) destination = scan_destination (PUSH_SYNC_TYPE_PROFILE_ONLY);
  g_autoptr(PushAudienceReader) reader = open_reader (path);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  PushScanStats stats = { 0, 0 };
  const PushProblem *problem;

  problems = push_validator_scan (validator, destination, reader, &stats, NULL, &error);
  g_assert_no_error (error);
  text = format_scan (problems);
  g_assert_cmpstr (text, ==,
                   "value-not-date@2:Birthday=4[2,5,8] "
                   "dedupe-value-empty@-2:Email=2[3,12] "
                   "value-not-integer@3:Employees=1[4] "
                   "value-not-email@-2:Email=1[6] "
                   "value-not-boolean@5:Opted Out=1[7] "
                   "value-too-long@7:Code=1[10] "
                   "value-not-number@4:Revenue=1[11] "
                   "value-not-datetime@6:Last Order=1[12]");
  g_assert_cmpuint (stats.rows_read, ==, 12);
  g_assert_cmpuint (stats.rows_checked, ==, 12);

  problem = push_problems_find (problems, PUSH_PROBLEM_VALUE_NOT_DATE);
  g_assert_cmpint (problem->severity, ==, PUSH_PROBLEM_SEVERITY_WARNING);
  g_assert_cmpstr (problem->field, ==, "dateOfBirth");
  g_assert_cmpstr (problem->message, ==,
                   "Column “Birthday” → dateOfBirth: 4 sampled values are not a date (YYYY-MM-DD) and will not be sent (rows 2, 5, 8)");
  problem = push_problems_find (problems, PUSH_PROBLEM_VALUE_NOT_INTEGER);
  g_assert_cmpstr (problem->message, ==,
                   "Column “Employees” → numberOfEmployees: 1 sampled value is not a whole number and will not be sent (row 4)");
  problem = push_problems_find (problems, PUSH_PROBLEM_DEDUPE_VALUE_EMPTY);
  g_assert_cmpstr (problem->message, ==,
                   "Column “Email” (the dedupe column): 2 sampled rows have no value and can’t be sent (rows 3, 12)");
  g_assert_false (push_problems_has_errors (problems));

  /* Audience only: only the dedupe values matter. */
  {
    g_autoptr(PushDestination) audience_only = scan_destination (PUSH_SYNC_TYPE_AUDIENCE_ONLY);
    g_autoptr(PushAudienceReader) again = open_reader (path);
    g_autoptr(GPtrArray) identity_problems = NULL;
    g_autofree char *identity_text = NULL;

    identity_problems = push_validator_scan (validator, audience_only, again, NULL, NULL, &error);
    g_assert_no_error (error);
    identity_text = format_scan (identity_problems);
    g_assert_cmpstr (identity_text, ==,
                     "dedupe-value-empty@-2:Email=2[3,12] value-not-email@-2:Email=1[6]");
  }

  g_clear_object (&reader);
  push_test_rm_rf (dir);
}

static void
test_scan_jsonl (void)
{
  static const char jsonl[] =
    "{\"email\":\"ana@example.com\",\"tier\":\"gold\",\"employees\":12}\n"
    "{\"email\":\"bo@example.com\",\"tier\":{\"level\":2},\"employees\":3.5}\n"
    "{\"email\":null,\"tier\":\"silver\"}\n";
  g_autofree char *dir = push_test_make_tmpdir ();
  g_autofree char *path = write_file (dir, "audience.jsonl", jsonl);
  g_autoptr(MarketoLeadSchema) schema = test_schema_new ();
  g_autoptr(PushValidator) validator = push_validator_new (schema);
  g_autoptr(PushDestination) destination = base_destination (PUSH_SYNC_TYPE_PROFILE_ONLY,
                                                             PUSH_PERSON_ACTION_UPDATE_ONLY);
  g_autoptr(PushAudienceReader) reader = open_reader (path);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  PushMapping *mapping = push_destination_get_mapping (destination);

  push_mapping_set_identity_column (mapping, "email");
  push_mapping_add_row (mapping, "tier", "loyaltyTier");
  push_mapping_add_row (mapping, "employees", "numberOfEmployees");
  problems = push_validator_scan (validator, destination, reader, NULL, NULL, &error);
  g_assert_no_error (error);
  text = format_scan (problems);
  g_assert_cmpstr (text, ==,
                   "value-nested@0:tier=1[2] value-not-integer@1:employees=1[2] "
                   "dedupe-value-empty@-2:email=1[3]");

  g_clear_object (&reader);
  push_test_rm_rf (dir);
}

static char *
big_csv (guint n_rows)
{
  GString *csv = g_string_new ("Email,Birthday\n");

  /* Every birthday is bad; the email is empty from row 50 on. */
  for (guint i = 1; i <= n_rows; i++)
    {
      if (i < 50)
        g_string_append_printf (csv, "p%u@example.com,bad\n", i);
      else
        g_string_append (csv, ",bad\n");
    }
  return g_string_free (csv, FALSE);
}

static void
test_scan_sample (void)
{
  g_autofree char *dir = push_test_make_tmpdir ();
  g_autofree char *csv = big_csv (100);
  g_autofree char *path = write_file (dir, "big.csv", csv);
  g_autoptr(MarketoLeadSchema) schema = test_schema_new ();
  g_autoptr(PushValidator) validator = push_validator_new (schema);
  g_autoptr(PushDestination) destination = base_destination (PUSH_SYNC_TYPE_PROFILE_ONLY,
                                                             PUSH_PERSON_ACTION_UPDATE_ONLY);
  PushMapping *mapping = push_destination_get_mapping (destination);
  guint32 seeds[] = { 1, 2, 3, 12345 };

  push_mapping_set_identity_column (mapping, "Email");
  push_mapping_add_row (mapping, "Birthday", "dateOfBirth");

  g_assert_cmpuint (push_validator_get_sample_size (validator), ==, PUSH_VALIDATOR_DEFAULT_SAMPLE_SIZE);
  push_validator_set_sample_size (validator, 5);

  for (gsize s = 0; s < G_N_ELEMENTS (seeds); s++)
    {
      g_autoptr(PushAudienceReader) reader = open_reader (path);
      g_autoptr(PushAudienceReader) reader_again = open_reader (path);
      g_autoptr(GPtrArray) problems = NULL;
      g_autoptr(GPtrArray) problems_again = NULL;
      g_autofree char *text = NULL;
      g_autofree char *text_again = NULL;
      g_autoptr(GError) error = NULL;
      PushScanStats stats = { 0, 0 };
      const PushProblem *problem;

      push_validator_set_seed (validator, seeds[s]);
      problems = push_validator_scan (validator, destination, reader, &stats, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (stats.rows_read, ==, 100);
      g_assert_cmpuint (stats.rows_checked, ==, 10);

      /* Every checked row has a bad birthday: 5 from the head, 5 from the reservoir. */
      problem = push_problems_find (problems, PUSH_PROBLEM_VALUE_NOT_DATE);
      g_assert_nonnull (problem);
      g_assert_cmpuint (problem->count, ==, 10);
      g_assert_cmpuint (problem->n_examples, ==, 3);
      g_assert_cmpuint (problem->examples[0], ==, 1);
      g_assert_cmpuint (problem->examples[2], ==, 3);

      /* Empty emails exist only in rows 50-100: at most the 5 reservoir rows see them, and
       * every example comes from there. */
      problem = push_problems_find (problems, PUSH_PROBLEM_DEDUPE_VALUE_EMPTY);
      if (problem != NULL)
        {
          g_assert_cmpuint (problem->count, >=, 1);
          g_assert_cmpuint (problem->count, <=, 5);
          for (guint j = 0; j < problem->n_examples; j++)
            {
              g_assert_cmpuint (problem->examples[j], >=, 50);
              g_assert_cmpuint (problem->examples[j], <=, 100);
              if (j > 0)
                g_assert_cmpuint (problem->examples[j], >, problem->examples[j - 1]);
            }
        }

      /* The same seed gives the same list. */
      problems_again = push_validator_scan (validator, destination, reader_again, NULL, NULL, &error);
      g_assert_no_error (error);
      text = format_scan (problems);
      text_again = format_scan (problems_again);
      g_assert_cmpstr (text, ==, text_again);
      g_test_message ("seed %u: %s", seeds[s], text);
    }

  /* A sample as large as the file sees everything. */
  {
    g_autoptr(PushAudienceReader) reader = open_reader (path);
    g_autoptr(GPtrArray) problems = NULL;
    g_autofree char *text = NULL;
    g_autoptr(GError) error = NULL;
    PushScanStats stats = { 0, 0 };

    push_validator_set_sample_size (validator, 60);  /* 60 head rows + all 40 others */
    problems = push_validator_scan (validator, destination, reader, &stats, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (stats.rows_checked, ==, 100);
    text = format_scan (problems);
    g_assert_cmpstr (text, ==,
                     "value-not-date@0:Birthday=100[1,2,3] dedupe-value-empty@-2:Email=51[50,51,52]");
  }

  push_test_rm_rf (dir);
}

static void
scan_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_scan_async_and_validate (void)
{
  g_autofree char *dir = push_test_make_tmpdir ();
  g_autofree char *path = write_file (dir, "audience.csv", scan_csv);
  g_autoptr(MarketoLeadSchema) schema = test_schema_new ();
  g_autoptr(PushValidator) validator = push_validator_new (schema);
  g_autoptr(PushDestination) destination = scan_destination (PUSH_SYNC_TYPE_PROFILE_ONLY);
  g_autoptr(PushAudienceReader) reader = open_reader (path);
  g_autoptr(PushAudienceReader) sync_reader = open_reader (path);
  g_autoptr(PushAudienceReader) validate_reader = open_reader (path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) async_problems = NULL;
  g_autoptr(GPtrArray) sync_problems = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *async_text = NULL;
  g_autofree char *sync_text = NULL;
  PushScanStats stats = { 0, 0 };

  push_validator_scan_async (validator, destination, reader, NULL, scan_done_cb, &result);
  /* The scan works on what it read at the call: later edits don't reach it. */
  push_mapping_clear_rows (push_destination_get_mapping (destination));
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  async_problems = push_validator_scan_finish (validator, result, &stats, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats.rows_read, ==, 12);

  g_clear_object (&destination);
  destination = scan_destination (PUSH_SYNC_TYPE_PROFILE_ONLY);
  sync_problems = push_validator_scan (validator, destination, sync_reader, NULL, NULL, &error);
  g_assert_no_error (error);
  async_text = format_scan (async_problems);
  sync_text = format_scan (sync_problems);
  g_assert_cmpstr (async_text, ==, sync_text);

  /* validate(): the settings with the reader's columns, then the scan, errors first. */
  push_mapping_add_row (push_destination_get_mapping (destination), "Phone", "phone");
  push_destination_set_privacy_acknowledged (destination, FALSE);
  all = push_validator_validate (validator, destination, PUSH_VALIDATION_PRE_ACTIVATION,
                                 validate_reader, &stats, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, sync_problems->len + 2);
  g_assert_cmpint (((PushProblem *) g_ptr_array_index (all, 0))->code, ==, PUSH_PROBLEM_COLUMN_MISSING);
  g_assert_cmpint (((PushProblem *) g_ptr_array_index (all, 1))->code, ==, PUSH_PROBLEM_PRIVACY_NOT_ACKNOWLEDGED);
  for (guint i = 2; i < all->len; i++)
    g_assert_cmpint (((PushProblem *) g_ptr_array_index (all, i))->severity, ==, PUSH_PROBLEM_SEVERITY_WARNING);
  g_assert_cmpuint (stats.rows_checked, ==, 12);

  g_clear_object (&reader);
  g_clear_object (&sync_reader);
  g_clear_object (&validate_reader);
  push_test_rm_rf (dir);
}

static void
test_scan_cancelled (void)
{
  g_autofree char *dir = push_test_make_tmpdir ();
  g_autofree char *path = write_file (dir, "audience.csv", scan_csv);
  g_autoptr(PushValidator) validator = push_validator_new (NULL);
  g_autoptr(PushDestination) destination = scan_destination (PUSH_SYNC_TYPE_PROFILE_ONLY);
  g_autoptr(PushAudienceReader) reader = open_reader (path);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  problems = push_validator_scan (validator, destination, reader, NULL, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (problems);

  g_clear_object (&reader);
  push_test_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/model/validator/matrix", test_matrix);
  g_test_add_func ("/model/validator/matrix-anchors", test_matrix_anchors);
  g_test_add_func ("/model/validator/dedupe-messages", test_dedupe_messages);
  g_test_add_func ("/model/validator/ecid-names", test_ecid_names);
  g_test_add_func ("/model/validator/targets", test_targets);
  g_test_add_func ("/model/validator/columns", test_columns);
  g_test_add_func ("/model/validator/settings", test_settings);
  g_test_add_func ("/model/validator/partitions", test_partitions);
  g_test_add_func ("/model/validator/list-folders", test_list_folders);
  g_test_add_func ("/model/validator/privacy-level", test_privacy_level);
  g_test_add_func ("/model/validator/no-schema", test_no_schema_name_account);
  g_test_add_func ("/model/validator/problems", test_problems_helpers);
  g_test_add_func ("/model/validator/scan", test_scan);
  g_test_add_func ("/model/validator/scan-jsonl", test_scan_jsonl);
  g_test_add_func ("/model/validator/scan-sample", test_scan_sample);
  g_test_add_func ("/model/validator/scan-async-validate", test_scan_async_and_validate);
  g_test_add_func ("/model/validator/scan-cancelled", test_scan_cancelled);

  return g_test_run ();
}
