/* push-problem.c: one finding of the destination validator
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "push-problem.h"

G_DEFINE_ENUM_TYPE (PushProblemSeverity, push_problem_severity,
  G_DEFINE_ENUM_VALUE (PUSH_PROBLEM_SEVERITY_ERROR, "error"),
  G_DEFINE_ENUM_VALUE (PUSH_PROBLEM_SEVERITY_WARNING, "warning"),
  G_DEFINE_ENUM_VALUE (PUSH_PROBLEM_SEVERITY_INFO, "info"))

G_DEFINE_ENUM_TYPE (PushProblemCode, push_problem_code,
  G_DEFINE_ENUM_VALUE (PUSH_PROBLEM_NAME_MISSING, "name-missing"),
  G_DEFINE_ENUM_VALUE (PUSH_PROBLEM_ACCOUNT_MISSING, "account-missing"),
  G_DEFINE_ENUM_VALUE (PUSH_PROBLEM_SCHEMA_UNAVAILABLE, "schema-unavailable"),
  G_DEFINE_ENUM_VALUE (PUSH_PROBLEM_DEDUPE_FIELD_MISSING, "dedupe-field-missing"),
  G_DEFINE_ENUM_VALUE (PUSH_PROBLEM_DEDUPE_FIELD_ID, "dedupe-field-id"),
  G_DEFINE_ENUM_VALUE (PUSH_PROBLEM_DEDUPE_FIELD_ECID, "dedupe-field-ecid"),
  G_DEFINE_ENUM_VALUE (PUSH_PROBLEM_DEDUPE_FIELD_UNKNOWN, "dedupe-field-unknown"),
  G_DEFINE_ENUM_VALUE (PUSH_PROBLEM_DEDUPE_FIELD_NOT_SEARCHABLE, "dedupe-field-not-searchable"),
  G_DEFINE_ENUM_VALUE (PUSH_PROBLEM_DEDUPE_COLUMN_MISSING, "dedupe-column-missing"),
  G_DEFINE_ENUM_VALUE (PUSH_PROBLEM_REQUIRED_FIELD_MISSING, "required-field-missing"),
  G_DEFINE_ENUM_VALUE (PUSH_PROBLEM_ROW_INCOMPLETE, "row-incomplete"),
  G_DEFINE_ENUM_VALUE (PUSH_PROBLEM_TARGET_DUPLICATE, "target-duplicate"),
  G_DEFINE_ENUM_VALUE (PUSH_PROBLEM_TARGET_IS_DEDUPE_FIELD, "target-is-dedupe-field"),
  G_DEFINE_ENUM_VALUE (PUSH_PROBLEM_TARGET_UNKNOWN, "target-unknown"),
  G_DEFINE_ENUM_VALUE (PUSH_PROBLEM_TARGET_READ_ONLY, "target-read-only"),
  G_DEFINE_ENUM_VALUE (PUSH_PROBLEM_COLUMN_MISSING, "column-missing"),
  G_DEFINE_ENUM_VALUE (PUSH_PROBLEM_ATTRIBUTES_IGNORED, "attributes-ignored"),
  G_DEFINE_ENUM_VALUE (PUSH_PROBLEM_PERSON_ACTION_IGNORED, "person-action-ignored"),
  G_DEFINE_ENUM_VALUE (PUSH_PROBLEM_PARTITION_IGNORED, "partition-ignored"),
  G_DEFINE_ENUM_VALUE (PUSH_PROBLEM_PARTITION_UNKNOWN, "partition-unknown"),
  G_DEFINE_ENUM_VALUE (PUSH_PROBLEM_LIST_TARGET_MISSING, "list-target-missing"),
  G_DEFINE_ENUM_VALUE (PUSH_PROBLEM_LIST_TARGET_IGNORED, "list-target-ignored"),
  G_DEFINE_ENUM_VALUE (PUSH_PROBLEM_LIST_TEMPLATE_INVALID, "list-template-invalid"),
  G_DEFINE_ENUM_VALUE (PUSH_PROBLEM_PRIVACY_NOT_ACKNOWLEDGED, "privacy-not-acknowledged"),
  G_DEFINE_ENUM_VALUE (PUSH_PROBLEM_DEDUPE_VALUE_EMPTY, "dedupe-value-empty"),
  G_DEFINE_ENUM_VALUE (PUSH_PROBLEM_VALUE_NOT_DATE, "value-not-date"),
  G_DEFINE_ENUM_VALUE (PUSH_PROBLEM_VALUE_NOT_DATETIME, "value-not-datetime"),
  G_DEFINE_ENUM_VALUE (PUSH_PROBLEM_VALUE_NOT_INTEGER, "value-not-integer"),
  G_DEFINE_ENUM_VALUE (PUSH_PROBLEM_VALUE_NOT_NUMBER, "value-not-number"),
  G_DEFINE_ENUM_VALUE (PUSH_PROBLEM_VALUE_NOT_BOOLEAN, "value-not-boolean"),
  G_DEFINE_ENUM_VALUE (PUSH_PROBLEM_VALUE_NOT_EMAIL, "value-not-email"),
  G_DEFINE_ENUM_VALUE (PUSH_PROBLEM_VALUE_TOO_LONG, "value-too-long"),
  G_DEFINE_ENUM_VALUE (PUSH_PROBLEM_VALUE_NESTED, "value-nested"),
  G_DEFINE_ENUM_VALUE (PUSH_PROBLEM_LIST_FOLDER_MISSING, "list-folder-missing"),
  G_DEFINE_ENUM_VALUE (PUSH_PROBLEM_LIST_FOLDER_UNKNOWN, "list-folder-unknown"),
  G_DEFINE_ENUM_VALUE (PUSH_PROBLEM_LIST_FOLDER_ARCHIVED, "list-folder-archived"))

G_DEFINE_BOXED_TYPE (PushProblem, push_problem, push_problem_copy, push_problem_free)

PushProblemSeverity
push_problem_code_get_severity (PushProblemCode code)
{
  switch (code)
    {
    case PUSH_PROBLEM_SCHEMA_UNAVAILABLE:
    case PUSH_PROBLEM_PERSON_ACTION_IGNORED:
      return PUSH_PROBLEM_SEVERITY_INFO;

    case PUSH_PROBLEM_ATTRIBUTES_IGNORED:
    case PUSH_PROBLEM_PARTITION_IGNORED:
    case PUSH_PROBLEM_LIST_TARGET_IGNORED:
    case PUSH_PROBLEM_DEDUPE_VALUE_EMPTY:
    case PUSH_PROBLEM_VALUE_NOT_DATE:
    case PUSH_PROBLEM_VALUE_NOT_DATETIME:
    case PUSH_PROBLEM_VALUE_NOT_INTEGER:
    case PUSH_PROBLEM_VALUE_NOT_NUMBER:
    case PUSH_PROBLEM_VALUE_NOT_BOOLEAN:
    case PUSH_PROBLEM_VALUE_NOT_EMAIL:
    case PUSH_PROBLEM_VALUE_TOO_LONG:
    case PUSH_PROBLEM_VALUE_NESTED:
      return PUSH_PROBLEM_SEVERITY_WARNING;

    case PUSH_PROBLEM_NAME_MISSING:
    case PUSH_PROBLEM_ACCOUNT_MISSING:
    case PUSH_PROBLEM_DEDUPE_FIELD_MISSING:
    case PUSH_PROBLEM_DEDUPE_FIELD_ID:
    case PUSH_PROBLEM_DEDUPE_FIELD_ECID:
    case PUSH_PROBLEM_DEDUPE_FIELD_UNKNOWN:
    case PUSH_PROBLEM_DEDUPE_FIELD_NOT_SEARCHABLE:
    case PUSH_PROBLEM_DEDUPE_COLUMN_MISSING:
    case PUSH_PROBLEM_REQUIRED_FIELD_MISSING:
    case PUSH_PROBLEM_ROW_INCOMPLETE:
    case PUSH_PROBLEM_TARGET_DUPLICATE:
    case PUSH_PROBLEM_TARGET_IS_DEDUPE_FIELD:
    case PUSH_PROBLEM_TARGET_UNKNOWN:
    case PUSH_PROBLEM_TARGET_READ_ONLY:
    case PUSH_PROBLEM_COLUMN_MISSING:
    case PUSH_PROBLEM_PARTITION_UNKNOWN:
    case PUSH_PROBLEM_LIST_TARGET_MISSING:
    case PUSH_PROBLEM_LIST_TEMPLATE_INVALID:
    case PUSH_PROBLEM_PRIVACY_NOT_ACKNOWLEDGED:
    case PUSH_PROBLEM_LIST_FOLDER_MISSING:
    case PUSH_PROBLEM_LIST_FOLDER_UNKNOWN:
    case PUSH_PROBLEM_LIST_FOLDER_ARCHIVED:
    default:
      return PUSH_PROBLEM_SEVERITY_ERROR;
    }
}

PushProblem *
push_problem_new (PushProblemCode  code,
                  int              row,
                  const char      *field,
                  const char      *column,
                  const char      *message)
{
  PushProblem *problem;

  g_return_val_if_fail (message != NULL, NULL);

  problem = g_new0 (PushProblem, 1);
  problem->severity = push_problem_code_get_severity (code);
  problem->code = code;
  problem->row = row;
  problem->field = (field != NULL && *field != '\0') ? g_strdup (field) : NULL;
  problem->column = (column != NULL && *column != '\0') ? g_strdup (column) : NULL;
  problem->message = g_strdup (message);
  return problem;
}

PushProblem *
push_problem_copy (const PushProblem *problem)
{
  PushProblem *copy;

  g_return_val_if_fail (problem != NULL, NULL);

  copy = g_memdup2 (problem, sizeof *problem);
  copy->field = g_strdup (problem->field);
  copy->column = g_strdup (problem->column);
  copy->message = g_strdup (problem->message);
  return copy;
}

void
push_problem_free (PushProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->field);
  g_free (problem->column);
  g_free (problem->message);
  g_free (problem);
}

void
push_problem_add_example (PushProblem *problem,
                          guint64      row_number)
{
  guint pos;

  g_return_if_fail (problem != NULL);

  for (pos = 0; pos < problem->n_examples; pos++)
    {
      if (problem->examples[pos] == row_number)
        return;
      if (problem->examples[pos] > row_number)
        break;
    }
  if (pos >= PUSH_PROBLEM_MAX_EXAMPLES)
    return;

  if (problem->n_examples < PUSH_PROBLEM_MAX_EXAMPLES)
    problem->n_examples++;
  for (guint i = problem->n_examples - 1; i > pos; i--)
    problem->examples[i] = problem->examples[i - 1];
  problem->examples[pos] = row_number;
}

const char *
push_problem_code_to_string (PushProblemCode code)
{
  GEnumClass *klass = g_type_class_ref (PUSH_TYPE_PROBLEM_CODE);
  GEnumValue *value = g_enum_get_value (klass, code);

  g_type_class_unref (klass);
  return value != NULL ? value->value_nick : NULL;
}

gboolean
push_problem_code_from_string (const char      *nick,
                               PushProblemCode *out_code)
{
  GEnumClass *klass;
  GEnumValue *value;

  g_return_val_if_fail (out_code != NULL, FALSE);

  if (nick == NULL)
    return FALSE;

  klass = g_type_class_ref (PUSH_TYPE_PROBLEM_CODE);
  value = g_enum_get_value_by_nick (klass, nick);
  g_type_class_unref (klass);
  if (value == NULL)
    return FALSE;
  *out_code = value->value;
  return TRUE;
}

const char *
push_problem_severity_to_string (PushProblemSeverity severity)
{
  GEnumClass *klass = g_type_class_ref (PUSH_TYPE_PROBLEM_SEVERITY);
  GEnumValue *value = g_enum_get_value (klass, severity);

  g_type_class_unref (klass);
  return value != NULL ? value->value_nick : NULL;
}

const char *
push_problem_severity_get_label (PushProblemSeverity severity)
{
  switch (severity)
    {
    case PUSH_PROBLEM_SEVERITY_ERROR:
      return _("Error");
    case PUSH_PROBLEM_SEVERITY_WARNING:
      return _("Warning");
    case PUSH_PROBLEM_SEVERITY_INFO:
      /* Translators: the severity of a remark of the destination checks */
      return _("Note");
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
push_problems_has_errors (GPtrArray *problems)
{
  return push_problems_count (problems, PUSH_PROBLEM_SEVERITY_ERROR) > 0;
}

guint
push_problems_count (GPtrArray           *problems,
                     PushProblemSeverity  severity)
{
  guint n = 0;

  if (problems == NULL)
    return 0;

  for (guint i = 0; i < problems->len; i++)
    {
      const PushProblem *problem = g_ptr_array_index (problems, i);

      if (problem->severity == severity)
        n++;
    }
  return n;
}

const PushProblem *
push_problems_find (GPtrArray       *problems,
                    PushProblemCode  code)
{
  if (problems == NULL)
    return NULL;

  for (guint i = 0; i < problems->len; i++)
    {
      const PushProblem *problem = g_ptr_array_index (problems, i);

      if (problem->code == code)
        return problem;
    }
  return NULL;
}

void
push_problems_sort (GPtrArray *problems)
{
  g_autoptr(GPtrArray) sorted = NULL;

  g_return_if_fail (problems != NULL);

  /* A stable bucket pass: g_ptr_array_sort() is not guaranteed to be stable. */
  sorted = g_ptr_array_sized_new (problems->len);
  for (int severity = PUSH_PROBLEM_SEVERITY_ERROR;
       severity <= PUSH_PROBLEM_SEVERITY_INFO;
       severity++)
    for (guint i = 0; i < problems->len; i++)
      {
        PushProblem *problem = g_ptr_array_index (problems, i);

        if ((int) problem->severity == severity)
          g_ptr_array_add (sorted, problem);
      }

  g_assert (sorted->len == problems->len);
  for (guint i = 0; i < sorted->len; i++)
    problems->pdata[i] = sorted->pdata[i];
}

JsonNode *
push_problems_to_json (GPtrArray *problems)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_array (builder);
  for (guint i = 0; problems != NULL && i < problems->len; i++)
    {
      const PushProblem *problem = g_ptr_array_index (problems, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "severity");
      json_builder_add_string_value (builder, push_problem_severity_to_string (problem->severity));
      json_builder_set_member_name (builder, "code");
      json_builder_add_string_value (builder, push_problem_code_to_string (problem->code));
      json_builder_set_member_name (builder, "row");
      json_builder_add_int_value (builder, problem->row);
      json_builder_set_member_name (builder, "field");
      if (problem->field != NULL)
        json_builder_add_string_value (builder, problem->field);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "column");
      if (problem->column != NULL)
        json_builder_add_string_value (builder, problem->column);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, problem->message);
      json_builder_set_member_name (builder, "count");
      json_builder_add_int_value (builder, (gint64) problem->count);
      json_builder_set_member_name (builder, "examples");
      json_builder_begin_array (builder);
      for (guint j = 0; j < problem->n_examples; j++)
        json_builder_add_int_value (builder, (gint64) problem->examples[j]);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  return json_builder_get_root (builder);
}
