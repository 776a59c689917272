/* push-validator.c: the one set of rules a destination is checked against
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "push-lead-builder.h"
#include "push-validator.h"

#define DEFAULT_SEED 0x41505553u  /* any constant: the same file gives the same sample */

struct _PushValidator
{
  GObject parent_instance;

  MarketoLeadSchema *schema;       /* (owned) (nullable) */
  GStrv              partitions;   /* (owned) (nullable) partition names */
  GPtrArray         *folders;      /* (owned) (nullable) (element-type MarketoFolder) */
  guint              sample_size;
  guint32            seed;
};

G_DEFINE_FINAL_TYPE (PushValidator, push_validator, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (PushValidationLevel, push_validation_level,
  G_DEFINE_ENUM_VALUE (PUSH_VALIDATION_EDIT, "edit"),
  G_DEFINE_ENUM_VALUE (PUSH_VALIDATION_PRE_ACTIVATION, "pre-activation"))

/* The fields people need when they may be created. */
static const char * const required_fields[] = { "email", "firstName", "lastName" };

static void
push_validator_finalize (GObject *object)
{
  PushValidator *self = (PushValidator *) object;

  g_clear_pointer (&self->schema, marketo_lead_schema_free);
  g_clear_pointer (&self->partitions, g_strfreev);
  g_clear_pointer (&self->folders, g_ptr_array_unref);

  G_OBJECT_CLASS (push_validator_parent_class)->finalize (object);
}

static void
push_validator_class_init (PushValidatorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = push_validator_finalize;
}

static void
push_validator_init (PushValidator *self)
{
  self->sample_size = PUSH_VALIDATOR_DEFAULT_SAMPLE_SIZE;
  self->seed = DEFAULT_SEED;
}

PushValidator *
push_validator_new (const MarketoLeadSchema *schema)
{
  PushValidator *self = g_object_new (PUSH_TYPE_VALIDATOR, NULL);

  push_validator_set_schema (self, schema);
  return self;
}

void
push_validator_set_schema (PushValidator           *self,
                           const MarketoLeadSchema *schema)
{
  g_return_if_fail (PUSH_IS_VALIDATOR (self));

  if (schema == self->schema)
    return;
  g_clear_pointer (&self->schema, marketo_lead_schema_free);
  if (schema != NULL)
    self->schema = marketo_lead_schema_copy (schema);
}

const MarketoLeadSchema *
push_validator_get_schema (PushValidator *self)
{
  g_return_val_if_fail (PUSH_IS_VALIDATOR (self), NULL);

  return self->schema;
}

void
push_validator_set_partitions (PushValidator *self,
                               GPtrArray     *partitions)
{
  g_autoptr(GStrvBuilder) builder = NULL;

  g_return_if_fail (PUSH_IS_VALIDATOR (self));

  g_clear_pointer (&self->partitions, g_strfreev);
  if (partitions == NULL)
    return;

  builder = g_strv_builder_new ();
  for (guint i = 0; i < partitions->len; i++)
    {
      const MarketoPartition *partition = g_ptr_array_index (partitions, i);

      if (partition->name != NULL)
        g_strv_builder_add (builder, partition->name);
    }
  self->partitions = g_strv_builder_end (builder);
}

static gpointer
copy_folder (gconstpointer src,
             gpointer      data)
{
  return marketo_folder_copy (src);
}

void
push_validator_set_folders (PushValidator *self,
                            GPtrArray     *folders)
{
  g_return_if_fail (PUSH_IS_VALIDATOR (self));

  if (folders == self->folders)
    return;
  g_clear_pointer (&self->folders, g_ptr_array_unref);
  if (folders == NULL)
    return;
  self->folders = g_ptr_array_copy (folders, copy_folder, NULL);
  g_ptr_array_set_free_func (self->folders, (GDestroyNotify) marketo_folder_free);
}

void
push_validator_set_sample_size (PushValidator *self,
                                guint          sample_size)
{
  g_return_if_fail (PUSH_IS_VALIDATOR (self));
  g_return_if_fail (sample_size > 0);

  self->sample_size = sample_size;
}

guint
push_validator_get_sample_size (PushValidator *self)
{
  g_return_val_if_fail (PUSH_IS_VALIDATOR (self), 0);

  return self->sample_size;
}

void
push_validator_set_seed (PushValidator *self,
                         guint32        seed)
{
  g_return_if_fail (PUSH_IS_VALIDATOR (self));

  self->seed = seed;
}

/* ---- Field names ---- */

gboolean
push_validator_field_is_lead_id (const char *field)
{
  return field != NULL && g_ascii_strcasecmp (field, "id") == 0;
}

/* Splits "mktoECIDValue", "ecid__c", "Experience Cloud ID" into lower-case words. */
static GPtrArray *
split_words (const char *name)
{
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);
  GString *word = g_string_new (NULL);
  gsize n = strlen (name);

  for (gsize i = 0; i <= n; i++)
    {
      char c = name[i];
      gboolean boundary = FALSE;

      if (c == '\0' || !g_ascii_isalnum (c))
        boundary = TRUE;
      else if (word->len > 0)
        {
          char prev = name[i - 1];

          /* aB: a new word at B; ABc: a new word at B (the end of an acronym) */
          if (g_ascii_islower (prev) && g_ascii_isupper (c))
            boundary = TRUE;
          else if (g_ascii_isupper (prev) && g_ascii_isupper (c) && g_ascii_islower (name[i + 1]))
            boundary = TRUE;
          else if (g_ascii_isdigit (prev) != g_ascii_isdigit (c))
            boundary = TRUE;
        }

      if (boundary && word->len > 0)
        {
          g_ptr_array_add (words, g_ascii_strdown (word->str, word->len));
          g_string_truncate (word, 0);
        }
      if (c != '\0' && g_ascii_isalnum (c))
        g_string_append_c (word, c);
    }

  g_string_free (word, TRUE);
  return words;
}

static gboolean
name_is_ecid (const char *name)
{
  g_autoptr(GPtrArray) words = NULL;

  if (name == NULL)
    return FALSE;

  words = split_words (name);
  for (guint i = 0; i < words->len; i++)
    {
      const char *word = g_ptr_array_index (words, i);

      if (g_str_equal (word, "ecid"))
        return TRUE;
      if (g_str_equal (word, "experience") && i + 2 < words->len &&
          g_str_equal (g_ptr_array_index (words, i + 1), "cloud") &&
          g_str_equal (g_ptr_array_index (words, i + 2), "id"))
        return TRUE;
    }
  return FALSE;
}

gboolean
push_validator_field_is_ecid (const char *field,
                              const char *display_name)
{
  return name_is_ecid (field) || name_is_ecid (display_name);
}

/* ---- The settings check ---- */

typedef struct {
  PushValidator   *self;
  PushDestination *destination;
  PushMapping     *mapping;
  GPtrArray       *problems;
} Check;

static void
add_problem (Check           *check,
             PushProblemCode  code,
             int              row,
             const char      *field,
             const char      *column,
             const char      *message)
{
  g_ptr_array_add (check->problems, push_problem_new (code, row, field, column, message));
}

/* "Email Address (email)" when the schema knows the field, else "email". */
static char *
describe_field (PushValidator *self,
                const char    *field)
{
  const MarketoField *schema_field = NULL;

  if (self->schema != NULL)
    schema_field = marketo_lead_schema_lookup_field (self->schema, field);
  if (schema_field != NULL && schema_field->display_name != NULL &&
      *schema_field->display_name != '\0' && g_strcmp0 (schema_field->display_name, field) != 0)
    return g_strdup_printf ("%s (%s)", schema_field->display_name, field);
  return g_strdup (field);
}

static void
check_identity (Check *check)
{
  PushValidator *self = check->self;
  const char *field = push_mapping_get_identity_field (check->mapping);
  const char *column = push_mapping_get_identity_column (check->mapping);
  const int row = PUSH_PROBLEM_ROW_IDENTITY;

  if (*field == '\0')
    {
      add_problem (check, PUSH_PROBLEM_DEDUPE_FIELD_MISSING, row, NULL, column,
                   _("Choose the dedupe field: the field that says who a person is in Marketo, usually Email Address"));
    }
  else
    {
      const MarketoField *schema_field = NULL;
      g_autofree char *label = describe_field (self, field);

      if (self->schema != NULL)
        schema_field = marketo_lead_schema_lookup_field (self->schema, field);

      if (push_validator_field_is_lead_id (field))
        add_problem (check, PUSH_PROBLEM_DEDUPE_FIELD_ID, row, field, column,
                     _("Lead ID can’t be the dedupe field: Marketo assigns it, so new people can’t carry it and other systems don’t know it"));
      else if (push_validator_field_is_ecid (field, schema_field != NULL
                                                    ? schema_field->display_name : NULL))
        {
          g_autofree char *message = NULL;

          /* Translators: the placeholder is a field, like “ECID (ecid)” */
          message = g_strdup_printf (_("%s can’t be the dedupe field: an Experience Cloud ID identifies a browser or device, not a person, and Marketo doesn’t look people up by it"),
                                     label);
          add_problem (check, PUSH_PROBLEM_DEDUPE_FIELD_ECID, row, field, column, message);
        }
      else if (self->schema != NULL && schema_field == NULL)
        {
          g_autofree char *message = NULL;

          message = g_strdup_printf (_("The dedupe field “%s” does not exist in this Marketo instance"),
                                     field);
          add_problem (check, PUSH_PROBLEM_DEDUPE_FIELD_UNKNOWN, row, field, column, message);
        }
      else if (self->schema != NULL && !marketo_lead_schema_is_searchable (self->schema, field))
        {
          g_autofree char *message = NULL;

          message = g_strdup_printf (_("%s can’t be the dedupe field: Marketo can’t look people up by it (it is not a searchable field); choose Email Address or a searchable custom field"),
                                     label);
          add_problem (check, PUSH_PROBLEM_DEDUPE_FIELD_NOT_SEARCHABLE, row, field, column,
                       message);
        }
    }

  if (*column == '\0')
    {
      g_autofree char *message = NULL;

      if (*field != '\0')
        {
          g_autofree char *label = describe_field (self, field);

          /* Translators: the placeholder is the dedupe field, like “Email Address (email)” */
          message = g_strdup_printf (_("Choose the audience column that holds %s, the dedupe field"),
                                     label);
        }
      else
        message = g_strdup (_("Choose the audience column that identifies each person"));
      add_problem (check, PUSH_PROBLEM_DEDUPE_COLUMN_MISSING, row, field, NULL, message);
    }
}

static void
check_sync_type (Check *check)
{
  PushValidator *self = check->self;
  PushDestination *destination = check->destination;
  PushSyncType sync_type = push_destination_get_sync_type (destination);
  const char *partition = push_destination_get_partition (destination);

  if (sync_type == PUSH_SYNC_TYPE_AUDIENCE_ONLY)
    {
      if (push_mapping_get_n_rows (check->mapping) > 0)
        add_problem (check, PUSH_PROBLEM_ATTRIBUTES_IGNORED, PUSH_PROBLEM_ROW_NONE, NULL, NULL,
                     _("Audience only: the attribute mappings will not be sent; only the dedupe column is used to find people"));
      add_problem (check, PUSH_PROBLEM_PERSON_ACTION_IGNORED, PUSH_PROBLEM_ROW_NONE, NULL, NULL,
                   _("Audience only: nobody is created or updated, so the person action is not used"));
      if (*partition != '\0')
        add_problem (check, PUSH_PROBLEM_PARTITION_IGNORED, PUSH_PROBLEM_ROW_NONE, NULL, NULL,
                     _("Audience only: the partition is not used; people are found in every partition"));
    }
  else if (*partition != '\0' && self->partitions != NULL &&
           !g_strv_contains ((const char * const *) self->partitions, partition))
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("This Marketo instance has no partition “%s”"), partition);
      add_problem (check, PUSH_PROBLEM_PARTITION_UNKNOWN, PUSH_PROBLEM_ROW_NONE, NULL, NULL,
                   message);
    }
}

static void
check_required_fields (Check *check)
{
  const char *dedupe_field = push_mapping_get_identity_field (check->mapping);

  if (!push_destination_can_create_people (check->destination))
    return;

  for (gsize i = 0; i < G_N_ELEMENTS (required_fields); i++)
    {
      const char *field = required_fields[i];
      g_autofree char *label = NULL;
      g_autofree char *message = NULL;

      /* The identity row counts; when its column is missing, that problem says it already. */
      if (g_str_equal (field, dedupe_field) || push_mapping_maps_field (check->mapping, field))
        continue;

      label = describe_field (check->self, field);
      /* Translators: the placeholder is a field, like “First Name (firstName)” */
      message = g_strdup_printf (_("New people may be created, and Marketo needs %s for them: map a column to it, or set the person action to “Update existing persons only”"),
                                 label);
      add_problem (check, PUSH_PROBLEM_REQUIRED_FIELD_MISSING, PUSH_PROBLEM_ROW_NONE, field, NULL,
                   message);
    }
}

static void
check_rows (Check *check)
{
  PushValidator *self = check->self;
  PushMapping *mapping = check->mapping;
  const char *dedupe_field = push_mapping_get_identity_field (mapping);
  guint n_rows = push_mapping_get_n_rows (mapping);

  for (guint i = 0; i < n_rows; i++)
    {
      const PushMappingRow *row = push_mapping_get_row (mapping, i);
      g_autofree char *message = NULL;
      g_autofree char *label = NULL;
      const MarketoField *schema_field;
      int earlier;

      if (*row->column == '\0' || *row->field == '\0')
        {
          add_problem (check, PUSH_PROBLEM_ROW_INCOMPLETE, i, row->field, row->column,
                       *row->column == '\0'
                       ? _("Choose the audience column for this row, or remove the row")
                       : _("Choose the Marketo field for this row, or remove the row"));
          continue;
        }

      label = describe_field (self, row->field);

      if (g_str_equal (row->field, dedupe_field))
        {
          /* Translators: the placeholder is a field, like “Email Address (email)” */
          message = g_strdup_printf (_("%s is the dedupe field, which the identity row already maps; remove this row"),
                                     label);
          add_problem (check, PUSH_PROBLEM_TARGET_IS_DEDUPE_FIELD, i, row->field, row->column,
                       message);
          continue;
        }

      earlier = push_mapping_find_field (mapping, row->field);
      if (earlier >= 0 && (guint) earlier < i)
        {
          /* Translators: a field, then the number of the mapping row that maps it first */
          message = g_strdup_printf (_("%s is already mapped by row %d; each field can take only one column"),
                                     label, earlier + 1);
          add_problem (check, PUSH_PROBLEM_TARGET_DUPLICATE, i, row->field, row->column, message);
          continue;
        }

      if (self->schema == NULL)
        continue;

      schema_field = marketo_lead_schema_lookup_field (self->schema, row->field);
      if (schema_field == NULL)
        {
          message = g_strdup_printf (_("The field “%s” does not exist in this Marketo instance"),
                                     row->field);
          add_problem (check, PUSH_PROBLEM_TARGET_UNKNOWN, i, row->field, row->column, message);
        }
      else if (schema_field->read_only)
        {
          message = g_strdup_printf (_("%s is read-only: the API can’t write it"), label);
          add_problem (check, PUSH_PROBLEM_TARGET_READ_ONLY, i, row->field, row->column, message);
        }
    }
}

static void
check_columns (Check              *check,
               const char * const *columns)
{
  PushMapping *mapping = check->mapping;
  const char *identity_column = push_mapping_get_identity_column (mapping);
  PushSyncType sync_type = push_destination_get_sync_type (check->destination);
  gboolean attributes = push_sync_type_updates_profiles (sync_type);

  if (*identity_column != '\0' && !g_strv_contains (columns, identity_column))
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("The audience has no column “%s” (the dedupe column)"),
                                 identity_column);
      add_problem (check, PUSH_PROBLEM_COLUMN_MISSING, PUSH_PROBLEM_ROW_IDENTITY,
                   push_mapping_get_identity_field (mapping), identity_column, message);
    }

  for (guint i = 0; attributes && i < push_mapping_get_n_rows (mapping); i++)
    {
      const PushMappingRow *row = push_mapping_get_row (mapping, i);
      g_autofree char *message = NULL;

      if (*row->column == '\0' || g_strv_contains (columns, row->column))
        continue;
      message = g_strdup_printf (_("The audience has no column “%s”"), row->column);
      add_problem (check, PUSH_PROBLEM_COLUMN_MISSING, i, row->field, row->column, message);
    }
}

/* The folder of a new list per audience: chosen, known to the instance, not an archive. */
static void
check_list_folder (Check *check)
{
  PushDestination *destination = check->destination;
  gint64 folder_id = push_destination_get_list_folder_id (destination);
  const char *name = push_destination_get_list_folder_name (destination);
  g_autofree char *label = NULL;
  g_autofree char *message = NULL;
  MarketoFolder *folder;

  if (folder_id <= 0)
    {
      add_problem (check, PUSH_PROBLEM_LIST_FOLDER_MISSING, PUSH_PROBLEM_ROW_NONE, NULL, NULL,
                   _("Choose the folder where the new lists go"));
      return;
    }
  if (check->self->folders == NULL)
    return;

  folder = marketo_folders_find_by_id (check->self->folders, folder_id,
                                       push_destination_get_list_folder_type (destination));
  if (folder == NULL)
    {
      label = *name != '\0' ? g_strdup (name) : g_strdup_printf ("%" G_GINT64_FORMAT, folder_id);
      /* Translators: the placeholder is a Marketo folder name or id */
      message = g_strdup_printf (_("The folder “%s” is not in this Marketo instance; choose "
                                   "another one"), label);
      add_problem (check, PUSH_PROBLEM_LIST_FOLDER_UNKNOWN, PUSH_PROBLEM_ROW_NONE, NULL, NULL,
                   message);
    }
  else if (folder->is_archive)
    {
      /* Translators: the placeholder is a Marketo folder path */
      message = g_strdup_printf (_("The folder “%s” is an archive: Marketo makes no new lists "
                                   "there; choose another one"),
                                 folder->path != NULL ? folder->path : folder->name);
      add_problem (check, PUSH_PROBLEM_LIST_FOLDER_ARCHIVED, PUSH_PROBLEM_ROW_NONE, NULL, NULL,
                   message);
    }
}

static void
check_list (Check *check)
{
  PushDestination *destination = check->destination;
  PushSyncType sync_type = push_destination_get_sync_type (destination);
  PushListTargetKind kind = push_destination_get_list_target_kind (destination);

  if (!push_sync_type_uses_list (sync_type))
    {
      if (kind != PUSH_LIST_TARGET_NONE)
        add_problem (check, PUSH_PROBLEM_LIST_TARGET_IGNORED, PUSH_PROBLEM_ROW_NONE, NULL, NULL,
                     _("Profile only: people are not added to a list, so the static list is not used"));
      return;
    }

  switch (kind)
    {
    case PUSH_LIST_TARGET_NONE:
      add_problem (check, PUSH_PROBLEM_LIST_TARGET_MISSING, PUSH_PROBLEM_ROW_NONE, NULL, NULL,
                   _("Choose the static list people are added to, or a new list for each audience"));
      break;

    case PUSH_LIST_TARGET_EXISTING:
      if (push_destination_get_list_id (destination) <= 0)
        add_problem (check, PUSH_PROBLEM_LIST_TARGET_MISSING, PUSH_PROBLEM_ROW_NONE, NULL, NULL,
                     _("Choose the existing static list people are added to"));
      break;

    case PUSH_LIST_TARGET_CREATE_PER_AUDIENCE:
      {
        g_autofree char *reason = NULL;

        reason = push_destination_check_list_name_template (
          push_destination_get_list_name_template (destination));
        if (reason != NULL)
          add_problem (check, PUSH_PROBLEM_LIST_TEMPLATE_INVALID, PUSH_PROBLEM_ROW_NONE, NULL,
                       NULL, reason);
        check_list_folder (check);
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

GPtrArray *
push_validator_check (PushValidator       *self,
                      PushDestination     *destination,
                      const char * const  *columns,
                      PushValidationLevel  level)
{
  Check check;
  gboolean attributes;

  g_return_val_if_fail (PUSH_IS_VALIDATOR (self), NULL);
  g_return_val_if_fail (PUSH_IS_DESTINATION (destination), NULL);

  check.self = self;
  check.destination = destination;
  check.mapping = push_destination_get_mapping (destination);
  check.problems = g_ptr_array_new_with_free_func ((GDestroyNotify) push_problem_free);
  attributes = push_sync_type_updates_profiles (push_destination_get_sync_type (destination));

  if (*push_destination_get_name (destination) == '\0')
    add_problem (&check, PUSH_PROBLEM_NAME_MISSING, PUSH_PROBLEM_ROW_NONE, NULL, NULL,
                 _("Give the destination a name"));
  if (*push_destination_get_account_id (destination) == '\0')
    add_problem (&check, PUSH_PROBLEM_ACCOUNT_MISSING, PUSH_PROBLEM_ROW_NONE, NULL, NULL,
                 _("Choose the Marketo account this destination sends to"));
  if (self->schema == NULL)
    add_problem (&check, PUSH_PROBLEM_SCHEMA_UNAVAILABLE, PUSH_PROBLEM_ROW_NONE, NULL, NULL,
                 _("The field list of the Marketo instance is not loaded yet, so the fields were not checked against it"));

  check_identity (&check);
  check_sync_type (&check);
  check_required_fields (&check);
  if (attributes)
    check_rows (&check);
  if (columns != NULL)
    check_columns (&check, columns);
  check_list (&check);

  if (level == PUSH_VALIDATION_PRE_ACTIVATION &&
      !push_destination_get_privacy_acknowledged (destination))
    add_problem (&check, PUSH_PROBLEM_PRIVACY_NOT_ACKNOWLEDGED, PUSH_PROBLEM_ROW_NONE, NULL, NULL,
                 _("Confirm that you may send these people’s data to Marketo before the first activation"));

  return check.problems;
}

/* ---- The sampled scan ---- */

/* One (mapping row, issue) pair found in the sample. */
typedef struct {
  int             mapping_row;
  PushValueIssue  issue;
  const char     *column;  /* owned by the builder */
  const char     *field;   /* owned by the builder */
  guint64         count;
  guint           n_examples;
  guint64         examples[PUSH_PROBLEM_MAX_EXAMPLES];
} Tally;

/* A row kept in the reservoir: only the columns the mapping reads are copied. */
typedef struct {
  guint64            number;
  PushAudienceValue *values;  /* (owned) n_columns */
  char              *texts;   /* (owned) the copied texts, one block */
} Kept;

typedef struct {
  PushLeadBuilder    *builder;      /* (owned) */
  PushAudienceReader *reader;       /* (owned) */
  guint               n_columns;
  GArray             *used;         /* (owned) (element-type guint) column indexes read */
  guint               sample_size;
  guint32             seed;
} ScanJob;

static void
scan_job_free (ScanJob *job)
{
  g_clear_object (&job->builder);
  g_clear_object (&job->reader);
  g_clear_pointer (&job->used, g_array_unref);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScanJob, scan_job_free)

static void
kept_clear (Kept *kept)
{
  g_clear_pointer (&kept->values, g_free);
  g_clear_pointer (&kept->texts, g_free);
}

static ScanJob *
scan_job_new (PushValidator      *self,
              PushDestination    *destination,
              PushAudienceReader *reader)
{
  g_autoptr(ScanJob) job = g_new0 (ScanJob, 1);
  PushMapping *mapping = push_destination_get_mapping (destination);
  PushLeadBuilderFlags flags = PUSH_LEAD_BUILDER_LENIENT;
  const char * const *columns;
  g_auto(GStrv) used = NULL;
  gboolean attributes;

  attributes = push_sync_type_updates_profiles (push_destination_get_sync_type (destination));
  if (!attributes)
    flags |= PUSH_LEAD_BUILDER_IDENTITY_ONLY;

  columns = push_audience_reader_get_columns (reader, &job->n_columns);
  job->builder = push_lead_builder_new (mapping, self->schema, columns, flags, NULL);
  g_assert (job->builder != NULL);  /* lenient builders always build */
  job->reader = g_object_ref (reader);
  job->sample_size = self->sample_size;
  job->seed = self->seed;

  job->used = g_array_new (FALSE, FALSE, sizeof (guint));
  used = push_mapping_dup_columns (mapping, attributes);
  for (guint i = 0; used[i] != NULL; i++)
    for (guint c = 0; c < job->n_columns; c++)
      if (g_str_equal (columns[c], used[i]))
        {
          g_array_append_val (job->used, c);
          break;
        }

  return g_steal_pointer (&job);
}

static void
tally_row (ScanJob *job,
           GArray  *tallies,
           guint64  number)
{
  const PushLeadIssue *issues;
  guint n_issues;

  issues = push_lead_builder_get_issues (job->builder, &n_issues);
  for (guint i = 0; i < n_issues; i++)
    {
      Tally *tally = NULL;

      for (guint t = 0; t < tallies->len; t++)
        {
          Tally *candidate = &g_array_index (tallies, Tally, t);

          if (candidate->mapping_row == issues[i].mapping_row &&
              candidate->issue == issues[i].issue)
            {
              tally = candidate;
              break;
            }
        }
      if (tally == NULL)
        {
          Tally fresh = { issues[i].mapping_row, issues[i].issue, issues[i].column,
                          issues[i].field, 0, 0, { 0, } };

          g_array_append_val (tallies, fresh);
          tally = &g_array_index (tallies, Tally, tallies->len - 1);
        }

      tally->count++;
      /* Rows are checked in ascending order: the first ones are the examples. */
      if (tally->n_examples < PUSH_PROBLEM_MAX_EXAMPLES)
        tally->examples[tally->n_examples++] = number;
    }
}

static void
keep_row (ScanJob               *job,
          Kept                  *kept,
          const PushAudienceRow *row)
{
  gsize total = 0, offset = 0;

  kept_clear (kept);
  kept->number = row->number;
  kept->values = g_new0 (PushAudienceValue, job->n_columns);
  for (guint c = 0; c < job->n_columns; c++)
    {
      kept->values[c].text = "";
      kept->values[c].kind = PUSH_AUDIENCE_VALUE_ABSENT;
    }

  for (guint i = 0; i < job->used->len; i++)
    {
      guint c = g_array_index (job->used, guint, i);

      if (c < row->n_values)
        total += row->values[c].length + 1;
    }
  kept->texts = g_malloc (total + 1);

  for (guint i = 0; i < job->used->len; i++)
    {
      guint c = g_array_index (job->used, guint, i);
      char *text = kept->texts + offset;

      if (c >= row->n_values)
        continue;
      memcpy (text, row->values[c].text, row->values[c].length);
      text[row->values[c].length] = '\0';
      kept->values[c].text = text;
      kept->values[c].length = row->values[c].length;
      kept->values[c].kind = row->values[c].kind;
      offset += row->values[c].length + 1;
    }
}

static int
compare_kept (gconstpointer a,
              gconstpointer b)
{
  const Kept *ka = a, *kb = b;

  return ka->number < kb->number ? -1 : ka->number > kb->number;
}

static char *
format_examples (const guint64 *examples,
                 guint          n_examples)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < n_examples; i++)
    {
      g_autofree char *number = push_audience_format_count (examples[i]);

      if (i > 0)
        g_string_append (out, ", ");
      g_string_append (out, number);
    }
  return g_string_free (out, FALSE);
}

static PushProblem *
tally_to_problem (const Tally *tally)
{
  g_autofree char *count = push_audience_format_count (tally->count);
  g_autofree char *examples = format_examples (tally->examples, tally->n_examples);
  g_autofree char *message = NULL;
  PushProblem *problem;

  if (tally->issue == PUSH_VALUE_EMPTY)
    /* Translators: the dedupe column, a count, then example row numbers like “3, 8, 10” */
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "Column “%s” (the dedupe column): %s sampled row has no value and can’t be sent (row %s)",
                                            "Column “%s” (the dedupe column): %s sampled rows have no value and can’t be sent (rows %s)",
                                            tally->count),
                               tally->column, count, examples);
  else
    /* Translators: an audience column, a Marketo field, a count, what is wrong with the
     * values (like “not a date (YYYY-MM-DD)”), then example row numbers like “3, 8, 10” */
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "Column “%s” → %s: %s sampled value is %s and will not be sent (row %s)",
                                            "Column “%s” → %s: %s sampled values are %s and will not be sent (rows %s)",
                                            tally->count),
                               tally->column, tally->field, count,
                               push_value_issue_get_phrase (tally->issue), examples);

  problem = push_problem_new (push_value_issue_to_problem_code (tally->issue), tally->mapping_row,
                              tally->field, tally->column, message);
  problem->count = tally->count;
  for (guint i = 0; i < tally->n_examples; i++)
    push_problem_add_example (problem, tally->examples[i]);
  return problem;
}

static GPtrArray *
scan_job_run (ScanJob        *job,
              PushScanStats  *stats,
              GCancellable   *cancellable,
              GError        **error)
{
  g_autoptr(GArray) tallies = g_array_new (FALSE, TRUE, sizeof (Tally));
  g_autoptr(GArray) reservoir = g_array_new (FALSE, TRUE, sizeof (Kept));
  g_autoptr(GRand) rand = g_rand_new_with_seed (job->seed);
  g_autoptr(GError) local_error = NULL;
  const PushAudienceRow *row;
  guint64 rows_read = 0, beyond_head = 0;
  GPtrArray *problems;

  g_array_set_clear_func (reservoir, (GDestroyNotify) kept_clear);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  while (push_audience_reader_next_row (job->reader, &row, cancellable, &local_error))
    {
      rows_read++;
      /* The reader only looks at the cancellable when it reads a block. */
      if ((rows_read & 0xfff) == 0 &&
          g_cancellable_set_error_if_cancelled (cancellable, &local_error))
        break;
      if (rows_read <= job->sample_size)
        {
          push_lead_builder_check_row (job->builder, row);
          tally_row (job, tallies, row->number);
          continue;
        }

      /* Algorithm R over the rows after the head. */
      if (beyond_head < job->sample_size)
        {
          Kept kept = { 0, };

          keep_row (job, &kept, row);
          g_array_append_val (reservoir, kept);
        }
      else
        {
          guint64 j = (guint64) g_rand_double_range (rand, 0, (double) (beyond_head + 1));

          if (j < job->sample_size)
            keep_row (job, &g_array_index (reservoir, Kept, j), row);
        }
      beyond_head++;
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  g_array_sort (reservoir, compare_kept);
  for (guint i = 0; i < reservoir->len; i++)
    {
      const Kept *kept = &g_array_index (reservoir, Kept, i);
      PushAudienceRow fake = { 0, };

      fake.number = kept->number;
      fake.n_values = job->n_columns;
      fake.n_fields = job->n_columns;
      fake.values = kept->values;
      push_lead_builder_check_row (job->builder, &fake);
      tally_row (job, tallies, kept->number);
    }

  if (stats != NULL)
    {
      stats->rows_read = rows_read;
      stats->rows_checked = MIN (rows_read, job->sample_size) + reservoir->len;
    }

  problems = g_ptr_array_new_with_free_func ((GDestroyNotify) push_problem_free);
  for (guint i = 0; i < tallies->len; i++)
    g_ptr_array_add (problems, tally_to_problem (&g_array_index (tallies, Tally, i)));
  return problems;
}

GPtrArray *
push_validator_scan (PushValidator       *self,
                     PushDestination     *destination,
                     PushAudienceReader  *reader,
                     PushScanStats       *stats,
                     GCancellable        *cancellable,
                     GError             **error)
{
  g_autoptr(ScanJob) job = NULL;

  g_return_val_if_fail (PUSH_IS_VALIDATOR (self), NULL);
  g_return_val_if_fail (PUSH_IS_DESTINATION (destination), NULL);
  g_return_val_if_fail (PUSH_IS_AUDIENCE_READER (reader), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  job = scan_job_new (self, destination, reader);
  return scan_job_run (job, stats, cancellable, error);
}

typedef struct {
  GPtrArray     *problems;
  PushScanStats  stats;
} ScanResult;

static void
scan_result_free (ScanResult *result)
{
  g_clear_pointer (&result->problems, g_ptr_array_unref);
  g_free (result);
}

static void
scan_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  ScanJob *job = task_data;
  ScanResult *result = g_new0 (ScanResult, 1);
  GError *error = NULL;

  result->problems = scan_job_run (job, &result->stats, cancellable, &error);
  if (result->problems == NULL)
    {
      scan_result_free (result);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, result, (GDestroyNotify) scan_result_free);
}

void
push_validator_scan_async (PushValidator       *self,
                           PushDestination     *destination,
                           PushAudienceReader  *reader,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PUSH_IS_VALIDATOR (self));
  g_return_if_fail (PUSH_IS_DESTINATION (destination));
  g_return_if_fail (PUSH_IS_AUDIENCE_READER (reader));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, push_validator_scan_async);
  g_task_set_task_data (task, scan_job_new (self, destination, reader),
                        (GDestroyNotify) scan_job_free);
  g_task_run_in_thread (task, scan_thread);
}

GPtrArray *
push_validator_scan_finish (PushValidator  *self,
                            GAsyncResult   *result,
                            PushScanStats  *stats,
                            GError        **error)
{
  ScanResult *scan;
  GPtrArray *problems;

  g_return_val_if_fail (PUSH_IS_VALIDATOR (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == push_validator_scan_async, NULL);

  scan = g_task_propagate_pointer (G_TASK (result), error);
  if (scan == NULL)
    return NULL;
  if (stats != NULL)
    *stats = scan->stats;
  problems = g_steal_pointer (&scan->problems);
  scan_result_free (scan);
  return problems;
}

GPtrArray *
push_validator_validate (PushValidator        *self,
                         PushDestination      *destination,
                         PushValidationLevel   level,
                         PushAudienceReader   *reader,
                         PushScanStats        *stats,
                         GCancellable         *cancellable,
                         GError              **error)
{
  g_autoptr(GPtrArray) problems = NULL;
  const char * const *columns;

  g_return_val_if_fail (PUSH_IS_VALIDATOR (self), NULL);
  g_return_val_if_fail (PUSH_IS_DESTINATION (destination), NULL);
  g_return_val_if_fail (reader == NULL || PUSH_IS_AUDIENCE_READER (reader), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  columns = reader != NULL ? push_audience_reader_get_columns (reader, NULL) : NULL;
  problems = push_validator_check (self, destination, columns, level);
  if (stats != NULL)
    *stats = (PushScanStats) { 0, 0 };

  if (reader != NULL)
    {
      g_autoptr(GPtrArray) scanned = NULL;

      scanned = push_validator_scan (self, destination, reader, stats, cancellable, error);
      if (scanned == NULL)
        return NULL;
      for (guint i = 0; i < scanned->len; i++)
        g_ptr_array_add (problems, g_steal_pointer (&scanned->pdata[i]));
      g_ptr_array_set_free_func (scanned, NULL);
    }

  push_problems_sort (problems);
  return g_steal_pointer (&problems);
}
