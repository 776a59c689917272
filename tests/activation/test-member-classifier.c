/* test-member-classifier.c: the row rule the activation and the preview share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real audience file read by the real reader, checked by a real lead builder against a
 * small hand-made schema: which rows are set aside (and why), which are duplicates (and of
 * which row), which are sent, and the counts, for a new run and for a resumed one.
 */
#include "config.h"

#include <string.h>

#include "push-audience-reader.h"
#include "push-lead-builder.h"
#include "push-member-classifier.h"
#include "test-utils.h"

/* Row 1 is repeated by row 4 (the value differs only in case and spaces); row 6 by row 7; row
 * 8 repeats row 7's value but is set aside, so row 7 stays the one sent. */
static const char audience[] =
  "Email,First,Employees\n"
  "ana@example.com,Ana,5\n"                    /* 1 duplicate of 4 */
  "bob@example.com,Bob,lots\n"                 /* 2 set aside: not a number */
  ",Nobody,1\n"                                /* 3 set aside: no dedupe value */
  " ANA@Example.com ,Ana Again,6\n"            /* 4 sent */
  "\"dan@example.com\"x,Dan,2\n"               /* 5 set aside: can't be read */
  "carl@example.com,Carl,7\n"                  /* 6 duplicate of 7 */
  "carl@example.com,Carl Two,8\n"              /* 7 sent */
  "carl@example.com,Carl With A Long Name,9\n"; /* 8 set aside: too long, twice the same */

typedef struct {
  char                 *dir;
  char                 *path;
  MarketoLeadSchema    *schema;
  PushLeadBuilder      *builder;
  PushMemberClassifier *classifier;
} Fixture;

static void
add_field (MarketoLeadSchema *schema,
           const char        *name,
           const char        *data_type,
           gint64             length,
           gboolean           searchable)
{
  MarketoField *field = g_new0 (MarketoField, 1);

  field->name = g_strdup (name);
  field->display_name = g_strdup (name);
  field->data_type = g_strdup (data_type);
  field->length = length;
  g_ptr_array_add (schema->fields, field);
  if (searchable)
    {
      char **key = g_new0 (char *, 2);

      key[0] = g_strdup (name);
      g_ptr_array_add (schema->searchable_fields, key);
    }
}

static PushAudienceReader *
open_audience (Fixture *f)
{
  g_autoptr(PushAudienceReader) reader = NULL;
  g_autoptr(GError) error = NULL;

  reader = push_audience_reader_new_for_path (f->path, PUSH_AUDIENCE_FORMAT_AUTO, 0);
  g_assert_true (push_audience_reader_open (reader, NULL, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&reader);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(PushMapping) mapping = push_mapping_new ();
  g_autoptr(PushAudienceReader) reader = NULL;
  g_autoptr(GError) error = NULL;

  f->dir = push_test_make_tmpdir ();
  f->path = g_build_filename (f->dir, "audience.csv", NULL);
  g_assert_true (g_file_set_contents (f->path, audience, -1, &error));
  g_assert_no_error (error);

  f->schema = g_new0 (MarketoLeadSchema, 1);
  f->schema->name = g_strdup ("API Lead");
  f->schema->fields = g_ptr_array_new_with_free_func ((GDestroyNotify) marketo_field_free);
  f->schema->searchable_fields = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  add_field (f->schema, "email", "email", 255, TRUE);
  add_field (f->schema, "firstName", "string", 12, FALSE);
  add_field (f->schema, "lastName", "string", 12, FALSE);
  add_field (f->schema, "numberOfEmployees", "integer", -1, FALSE);

  push_mapping_set_identity_field (mapping, "email");
  push_mapping_set_identity_column (mapping, "Email");
  push_mapping_add_row (mapping, "First", "firstName");
  push_mapping_add_row (mapping, "First", "lastName");
  push_mapping_add_row (mapping, "Employees", "numberOfEmployees");

  reader = open_audience (f);
  f->builder = push_lead_builder_new (mapping, f->schema,
                                      push_audience_reader_get_columns (reader, NULL),
                                      PUSH_LEAD_BUILDER_NONE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->builder);
  f->classifier = push_member_classifier_new (f->builder);
  g_assert_true (push_member_classifier_get_builder (f->classifier) == f->builder);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->classifier);
  g_clear_object (&f->builder);
  g_clear_pointer (&f->schema, marketo_lead_schema_free);
  push_test_rm_rf (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

/* The first pass over the whole file; the set-aside reasons by row, and their keys. */
static void
scan (Fixture    *f,
      GHashTable *reasons,
      GHashTable *keys)
{
  g_autoptr(PushAudienceReader) reader = open_audience (f);
  g_autoptr(GError) error = NULL;
  const PushAudienceRow *row;

  while (push_audience_reader_next_row (reader, &row, NULL, &error))
    {
      g_auto(PushMemberVerdict) verdict = { 0 };
      PushMemberKind kind;

      kind = push_member_classifier_scan_row (f->classifier, row,
                                              PUSH_MEMBER_CLASSIFY_REASON |
                                              PUSH_MEMBER_CLASSIFY_REASON_KEYS, &verdict);
      g_assert_cmpint (kind, ==, verdict.kind);
      /* The scan can't know duplicates yet. */
      g_assert_cmpint (kind, !=, PUSH_MEMBER_DUPLICATE);
      if (kind == PUSH_MEMBER_SEND)
        {
          g_assert_null (verdict.reason);
          g_assert_null (verdict.reason_keys);
          continue;
        }
      g_assert_nonnull (verdict.reason);
      g_assert_nonnull (verdict.reason_keys);
      g_assert_cmpuint (verdict.reason_keys->len, >, 0);
      if (reasons != NULL)
        g_hash_table_insert (reasons, GUINT_TO_POINTER (row->number),
                             g_steal_pointer (&verdict.reason));
      if (keys != NULL)
        g_hash_table_insert (keys, GUINT_TO_POINTER (row->number),
                             g_ptr_array_ref (verdict.reason_keys));
    }
  g_assert_no_error (error);
}

static void
test_classify (Fixture       *f,
               gconstpointer  data)
{
  static const struct {
    PushMemberKind kind;
    guint64        kept_row;
  } expected[] = {
    { PUSH_MEMBER_DUPLICATE, 4 },
    { PUSH_MEMBER_SET_ASIDE, 0 },
    { PUSH_MEMBER_SET_ASIDE, 0 },
    { PUSH_MEMBER_SEND, 0 },
    { PUSH_MEMBER_SET_ASIDE, 0 },
    { PUSH_MEMBER_DUPLICATE, 7 },
    { PUSH_MEMBER_SEND, 0 },
    { PUSH_MEMBER_SET_ASIDE, 0 },
  };
  g_autoptr(GHashTable) reasons = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  g_autoptr(GHashTable) keys = g_hash_table_new_full (NULL, NULL, NULL,
                                                      (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(PushAudienceReader) reader = NULL;
  g_autoptr(GString) lead = g_string_new ("left over");
  g_autoptr(GError) error = NULL;
  PushMemberCounts counts = { 0 };
  const PushAudienceRow *row;
  GPtrArray *row_keys;
  guint n = 0;

  scan (f, reasons, keys);
  push_member_classifier_get_counts (f->classifier, &counts);
  g_assert_cmpuint (counts.rows, ==, 8);
  g_assert_cmpuint (counts.remaining, ==, 8);
  g_assert_cmpuint (counts.set_aside, ==, 4);
  g_assert_cmpuint (counts.duplicates, ==, 2);
  g_assert_cmpuint (counts.sendable, ==, 2);
  g_assert_cmpuint (push_member_classifier_get_memory (f->classifier), >, 0);

  /* Why each row was set aside, with its row number; the keys without it. */
  g_assert_cmpuint (g_hash_table_size (reasons), ==, 4);
  g_assert_true (g_str_has_prefix (g_hash_table_lookup (reasons, GUINT_TO_POINTER (2)),
                                   "Row 2"));
  g_assert_nonnull (strstr (g_hash_table_lookup (reasons, GUINT_TO_POINTER (2)), "Employees"));
  g_assert_true (g_str_has_prefix (g_hash_table_lookup (reasons, GUINT_TO_POINTER (5)),
                                   "The row could not be read: "));
  row_keys = g_hash_table_lookup (keys, GUINT_TO_POINTER (3));
  g_assert_cmpuint (row_keys->len, ==, 1);
  g_assert_cmpstr (row_keys->pdata[0], ==, "The dedupe value in column “Email” (email) is empty");
  row_keys = g_hash_table_lookup (keys, GUINT_TO_POINTER (2));
  g_assert_cmpuint (row_keys->len, ==, 1);
  g_assert_true (g_str_has_prefix (row_keys->pdata[0], "Column “Employees” (numberOfEmployees): "));
  g_assert_null (strstr (row_keys->pdata[0], "Row"));
  /* Row 8: the same value too long in two fields gives two keys (one per column/field),
   * each once; its sentence names both. */
  row_keys = g_hash_table_lookup (keys, GUINT_TO_POINTER (8));
  g_assert_cmpuint (row_keys->len, ==, 2);
  g_assert_cmpstr (row_keys->pdata[0], !=, row_keys->pdata[1]);
  g_assert_nonnull (strstr (g_hash_table_lookup (reasons, GUINT_TO_POINTER (8)), "; "));

  /* The second pass: the three kinds, the row kept, the lead built, the same reasons. */
  reader = open_audience (f);
  while (push_audience_reader_next_row (reader, &row, NULL, &error))
    {
      g_auto(PushMemberVerdict) verdict = { 0 };
      PushMemberKind kind;

      g_assert_cmpuint (row->number, ==, n + 1);
      g_assert_cmpuint (n, <, G_N_ELEMENTS (expected));
      kind = push_member_classifier_classify (f->classifier, row, PUSH_MEMBER_CLASSIFY_REASON,
                                              lead, &verdict);
      g_test_message ("row %" G_GUINT64_FORMAT ": kind %d, kept row %" G_GUINT64_FORMAT,
                      row->number, kind, verdict.kept_row);
      g_assert_cmpint (kind, ==, expected[n].kind);
      g_assert_cmpint (verdict.kind, ==, expected[n].kind);
      g_assert_cmpuint (verdict.kept_row, ==, expected[n].kept_row);
      g_assert_null (verdict.reason_keys);
      if (kind == PUSH_MEMBER_SET_ASIDE)
        g_assert_cmpstr (verdict.reason, ==,
                         g_hash_table_lookup (reasons, GUINT_TO_POINTER (row->number)));
      else
        g_assert_null (verdict.reason);
      if (row->number == 4)
        g_assert_cmpstr (lead->str, ==, "{\"email\":\"ANA@Example.com\",\"firstName\":\"Ana "
                         "Again\",\"lastName\":\"Ana Again\",\"numberOfEmployees\":6}");
      if (row->number == 7)
        g_assert_nonnull (strstr (lead->str, "\"Carl Two\""));

      /* Without a verdict or a lead, the same kind. */
      g_assert_cmpint (push_member_classifier_classify (f->classifier, row,
                                                        PUSH_MEMBER_CLASSIFY_REASON, NULL,
                                                        NULL), ==, kind);
      n++;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (expected));
}

/* A resumed run: rows 1 to 4 were handled already. They still fill the index (row 4's value
 * is not sent again) but are not counted. */
static void
test_resume (Fixture       *f,
             gconstpointer  data)
{
  PushMemberCounts counts = { 0 };

  push_member_classifier_set_resume_row (f->classifier, 4);
  scan (f, NULL, NULL);
  push_member_classifier_get_counts (f->classifier, &counts);
  g_assert_cmpuint (counts.rows, ==, 8);
  g_assert_cmpuint (counts.remaining, ==, 4);
  g_assert_cmpuint (counts.set_aside, ==, 2);
  g_assert_cmpuint (counts.duplicates, ==, 1);
  g_assert_cmpuint (counts.sendable, ==, 1);
  g_assert_cmpuint (counts.set_aside + counts.duplicates + counts.sendable, ==,
                    counts.remaining);
}

/* Reasons only when asked: the activation's pre-pass needs none. */
static void
test_flags (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(PushAudienceReader) reader = open_audience (f);
  g_autoptr(GError) error = NULL;
  const PushAudienceRow *row;
  guint set_aside = 0;

  while (push_audience_reader_next_row (reader, &row, NULL, &error))
    {
      g_auto(PushMemberVerdict) verdict = { 0 };

      if (push_member_classifier_scan_row (f->classifier, row, PUSH_MEMBER_CLASSIFY_NONE,
                                           &verdict) == PUSH_MEMBER_SET_ASIDE)
        set_aside++;
      g_assert_null (verdict.reason);
      g_assert_null (verdict.reason_keys);
      push_member_verdict_clear (&verdict);

      if (row->number == 2)
        {
          /* Keys without the sentence. */
          push_member_classifier_classify (f->classifier, row,
                                           PUSH_MEMBER_CLASSIFY_REASON_KEYS, NULL, &verdict);
          g_assert_null (verdict.reason);
          g_assert_nonnull (verdict.reason_keys);
          g_assert_cmpuint (verdict.reason_keys->len, ==, 1);
        }
    }
  g_assert_no_error (error);
  g_assert_cmpuint (set_aside, ==, 4);
}

static void
test_verdict_boxed (void)
{
  PushMemberVerdict verdict = { 0 };
  g_autoptr(PushMemberVerdict) copy = NULL;
  g_autoptr(PushMemberVerdict) copy2 = NULL;

  verdict.kind = PUSH_MEMBER_SET_ASIDE;
  verdict.reason = g_strdup ("Row 3: no value");
  verdict.reason_keys = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (verdict.reason_keys, g_strdup ("no value"));
  verdict.kept_row = 9;

  copy = g_boxed_copy (PUSH_TYPE_MEMBER_VERDICT, &verdict);
  push_member_verdict_clear (&verdict);
  g_assert_null (verdict.reason);
  g_assert_null (verdict.reason_keys);
  g_assert_cmpint (verdict.kind, ==, PUSH_MEMBER_SEND);
  g_assert_cmpuint (verdict.kept_row, ==, 0);

  g_assert_cmpint (copy->kind, ==, PUSH_MEMBER_SET_ASIDE);
  g_assert_cmpstr (copy->reason, ==, "Row 3: no value");
  g_assert_cmpuint (copy->reason_keys->len, ==, 1);
  g_assert_cmpstr (copy->reason_keys->pdata[0], ==, "no value");
  g_assert_cmpuint (copy->kept_row, ==, 9);

  copy2 = push_member_verdict_copy (copy);
  g_assert_true (copy2->reason != copy->reason);
  g_assert_cmpstr (copy2->reason, ==, copy->reason);
}

int
main (int    argc,
      char **argv)
{
  push_test_init (&argc, &argv);

  g_test_add ("/activation/member-classifier/classify", Fixture, NULL, fixture_set_up,
              test_classify, fixture_tear_down);
  g_test_add ("/activation/member-classifier/resume", Fixture, NULL, fixture_set_up,
              test_resume, fixture_tear_down);
  g_test_add ("/activation/member-classifier/flags", Fixture, NULL, fixture_set_up,
              test_flags, fixture_tear_down);
  g_test_add_func ("/activation/member-classifier/verdict", test_verdict_boxed);

  return g_test_run ();
}
