/* push-lead-builder.h: an audience row + a mapping -> the lead object of Sync Leads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A builder is compiled once from the mapping, the instance's field list and the audience's
 * columns, then used for every row: it appends the lead straight into a GString as JSON
 * (REST names as keys, the identity first; values as JSON strings, numbers or booleans per
 * the field's type; empty cells left out), with no allocation per row once its buffers have
 * grown. The value checks (push_value_check()) are the ones the validator's sampled scan
 * uses.
 *
 * A builder is not thread-safe, but it owns everything it uses: build it on one thread and
 * hand it to another.
 */
#pragma once

#include <glib-object.h>

#include "marketo-types.h"
#include "push-audience-reader.h"
#include "push-mapping.h"
#include "push-problem.h"

G_BEGIN_DECLS

/**
 * PushValueType:
 *
 * How a Marketo field's value is checked and written, from the describe's dataType.
 */
typedef enum {
  PUSH_VALUE_TYPE_STRING,    /* string, phone, url, reference, … and unknown types */
  PUSH_VALUE_TYPE_TEXT,      /* text (text area): a JSON string, ≤ 30,000 bytes */
  PUSH_VALUE_TYPE_EMAIL,     /* email: ASCII, one @, a dot in the domain */
  PUSH_VALUE_TYPE_INTEGER,   /* integer, score: a JSON number */
  PUSH_VALUE_TYPE_NUMBER,    /* float, currency, percent: a JSON number */
  PUSH_VALUE_TYPE_BOOLEAN,   /* boolean: true/false/1/0/yes/no -> JSON true/false */
  PUSH_VALUE_TYPE_DATE,      /* date: YYYY-MM-DD */
  PUSH_VALUE_TYPE_DATETIME,  /* datetime: ISO 8601 (YYYY-MM-DD, or with THH:MM[:SS[.f]][zone]) */
} PushValueType;

/**
 * PushValueIssue:
 *
 * What is wrong with one value (PUSH_VALUE_OK when nothing is). A value with an issue is left
 * out of the lead.
 */
typedef enum {
  PUSH_VALUE_OK,
  PUSH_VALUE_EMPTY,          /* only reported for the dedupe value */
  PUSH_VALUE_NOT_DATE,
  PUSH_VALUE_NOT_DATETIME,
  PUSH_VALUE_NOT_INTEGER,
  PUSH_VALUE_NOT_NUMBER,
  PUSH_VALUE_NOT_BOOLEAN,
  PUSH_VALUE_NOT_EMAIL,
  PUSH_VALUE_TOO_LONG,
  PUSH_VALUE_NESTED,         /* a JSON object or array (JSON Lines) */
} PushValueIssue;

#define PUSH_VALUE_TEXT_MAX_BYTES 30000

#define PUSH_TYPE_VALUE_TYPE  (push_value_type_get_type ())
#define PUSH_TYPE_VALUE_ISSUE (push_value_issue_get_type ())
GType            push_value_type_get_type       (void) G_GNUC_CONST;
GType            push_value_issue_get_type      (void) G_GNUC_CONST;

/* The value type for a describe dataType ("string", "email", "currency", …; NULL -> STRING). */
PushValueType    push_value_type_from_data_type (const char     *data_type);
/* Checks @text (@length bytes, valid UTF-8, already trimmed) as a value of @type; @max_length
 * is the field's length in characters (0 or less: no limit; TEXT always has its byte limit).
 * An empty value is PUSH_VALUE_OK (it is simply not sent). */
PushValueIssue   push_value_check               (PushValueType   type,
                                                 gint64          max_length,
                                                 const char     *text,
                                                 gsize           length);
/* The problem code the validator uses for @issue. */
PushProblemCode  push_value_issue_to_problem_code (PushValueIssue issue);
/* A short translated phrase: "not a date (YYYY-MM-DD)", "longer than the field allows", … */
const char      *push_value_issue_get_phrase    (PushValueIssue  issue);

/* Appends @text as a JSON string literal (quotes included), escaping quotes, backslashes and
 * control characters; other UTF-8 goes through as is. */
void             push_json_append_string        (GString        *out,
                                                 const char     *text,
                                                 gsize           length);

/**
 * PushLeadIssue:
 * @mapping_row: the attribute row index, or %PUSH_PROBLEM_ROW_IDENTITY
 * @issue: what is wrong
 * @column: the audience column (owned by the builder)
 * @field: the Marketo field (owned by the builder)
 */
typedef struct {
  int             mapping_row;
  PushValueIssue  issue;
  const char     *column;
  const char     *field;
} PushLeadIssue;

/**
 * PushLeadBuilderFlags:
 * @PUSH_LEAD_BUILDER_NONE: every mapping row must be usable, or the builder is not made
 * @PUSH_LEAD_BUILDER_LENIENT: rows that can't be used (no column, a column the audience lacks,
 *   an unknown, read-only or repeated field) are left out instead of failing
 * @PUSH_LEAD_BUILDER_IDENTITY_ONLY: only the identity row (Audience only destinations)
 */
typedef enum {
  PUSH_LEAD_BUILDER_NONE          = 0,
  PUSH_LEAD_BUILDER_LENIENT       = 1 << 0,
  PUSH_LEAD_BUILDER_IDENTITY_ONLY = 1 << 1,
} PushLeadBuilderFlags;

/**
 * PushLeadBuilderError:
 * @PUSH_LEAD_BUILDER_ERROR_NO_IDENTITY: no dedupe field or no identity column
 * @PUSH_LEAD_BUILDER_ERROR_COLUMN_MISSING: the audience lacks a mapped column
 * @PUSH_LEAD_BUILDER_ERROR_FIELD: a mapped field is unknown, read-only, or mapped twice
 */
#define PUSH_LEAD_BUILDER_ERROR (push_lead_builder_error_quark ())
typedef enum {
  PUSH_LEAD_BUILDER_ERROR_NO_IDENTITY,
  PUSH_LEAD_BUILDER_ERROR_COLUMN_MISSING,
  PUSH_LEAD_BUILDER_ERROR_FIELD,
} PushLeadBuilderError;
GQuark           push_lead_builder_error_quark  (void);

#define PUSH_TYPE_LEAD_BUILDER (push_lead_builder_get_type ())
G_DECLARE_FINAL_TYPE (PushLeadBuilder, push_lead_builder, PUSH, LEAD_BUILDER, GObject)

/* @schema (nullable): without it every field is a string without a length limit. @columns:
 * the audience's columns (push_audience_reader_get_columns()). The mapping is read now;
 * later changes to it do not reach the builder. */
PushLeadBuilder *push_lead_builder_new          (PushMapping              *mapping,
                                                 const MarketoLeadSchema  *schema,
                                                 const char * const       *columns,
                                                 PushLeadBuilderFlags      flags,
                                                 GError                  **error);

/* The attribute rows in use (after LENIENT or IDENTITY_ONLY left some out). */
guint            push_lead_builder_get_n_fields (PushLeadBuilder          *self);
const char      *push_lead_builder_get_dedupe_field (PushLeadBuilder      *self);

/* Appends the lead of @row to @out: `{"email":"ana@example.com","firstName":"Ana"}`. Values
 * with an issue are left out (and listed by get_issues()). Returns FALSE, appending nothing,
 * when the row can't be sent: its dedupe value is empty or has an issue. */
gboolean         push_lead_builder_append_lead  (PushLeadBuilder          *self,
                                                 const PushAudienceRow    *row,
                                                 GString                  *out);
/* The same checks without writing anything (the validator's scan). FALSE as above. */
gboolean         push_lead_builder_check_row    (PushLeadBuilder          *self,
                                                 const PushAudienceRow    *row);
/* The issues of the last append_lead()/check_row(), valid until the next call. */
const PushLeadIssue *push_lead_builder_get_issues (PushLeadBuilder        *self,
                                                 guint                    *n_issues);

/* The row's dedupe value, trimmed, in a buffer of the builder valid until the next call; NULL
 * when it is empty. (Not checked: see append_lead()/check_row().) */
const char      *push_lead_builder_get_dedupe_value (PushLeadBuilder      *self,
                                                 const PushAudienceRow    *row,
                                                 gsize                    *length);

/* "Row 12: column “Birthday” (dateOfBirth): not a date (YYYY-MM-DD)" — for outcome records. */
char            *push_lead_issue_describe       (const PushLeadIssue      *issue,
                                                 guint64                   row_number);

G_END_DECLS
