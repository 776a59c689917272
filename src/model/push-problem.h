/* push-problem.h: one finding of the destination validator
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * PushValidator (push-validator.h) returns a GPtrArray of these. The UI shows them inline
 * beside the row or setting they name and keeps Activate insensitive while any ERROR stands;
 * the CLI prints the same list (and, with --json, push_problems_to_json()).
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * PushProblemSeverity:
 * @PUSH_PROBLEM_SEVERITY_ERROR: blocks activation
 * @PUSH_PROBLEM_SEVERITY_WARNING: worth a look; does not block
 * @PUSH_PROBLEM_SEVERITY_INFO: a remark (something is ignored, a check was skipped)
 */
typedef enum {
  PUSH_PROBLEM_SEVERITY_ERROR,
  PUSH_PROBLEM_SEVERITY_WARNING,
  PUSH_PROBLEM_SEVERITY_INFO,
} PushProblemSeverity;

/**
 * PushProblemCode:
 *
 * What the problem is. The numeric values and the nicks (push_problem_code_to_string(), the
 * strings of the CLI's --json output) are stable: new codes are only ever added at the end.
 * The severity of each code is fixed (push_problem_code_get_severity()).
 */
typedef enum {
  /* The destination's own settings */
  PUSH_PROBLEM_NAME_MISSING,                /* E  no name */
  PUSH_PROBLEM_ACCOUNT_MISSING,             /* E  no account chosen */
  PUSH_PROBLEM_SCHEMA_UNAVAILABLE,          /* I  no field list: the field checks were skipped */
  /* The dedupe identity */
  PUSH_PROBLEM_DEDUPE_FIELD_MISSING,        /* E  no dedupe field chosen */
  PUSH_PROBLEM_DEDUPE_FIELD_ID,             /* E  Lead ID (`id`) can't be the dedupe field */
  PUSH_PROBLEM_DEDUPE_FIELD_ECID,           /* E  an ECID field can't be the dedupe field */
  PUSH_PROBLEM_DEDUPE_FIELD_UNKNOWN,        /* E  not a field of the instance */
  PUSH_PROBLEM_DEDUPE_FIELD_NOT_SEARCHABLE, /* E  Marketo can't look people up by it */
  PUSH_PROBLEM_DEDUPE_COLUMN_MISSING,       /* E  no audience column chosen for the identity */
  /* Attribute mapping rows */
  PUSH_PROBLEM_REQUIRED_FIELD_MISSING,      /* E  email/firstName/lastName, if people may be created */
  PUSH_PROBLEM_ROW_INCOMPLETE,              /* E  a row without a column or without a field */
  PUSH_PROBLEM_TARGET_DUPLICATE,            /* E  a field mapped by an earlier row too */
  PUSH_PROBLEM_TARGET_IS_DEDUPE_FIELD,      /* E  a row that maps the dedupe field again */
  PUSH_PROBLEM_TARGET_UNKNOWN,              /* E  not a field of the instance */
  PUSH_PROBLEM_TARGET_READ_ONLY,            /* E  the API can't write that field */
  /* The audience */
  PUSH_PROBLEM_COLUMN_MISSING,              /* E  the audience has no such column */
  /* Sync type, partition, list */
  PUSH_PROBLEM_ATTRIBUTES_IGNORED,          /* W  Audience only: attribute rows are not sent */
  PUSH_PROBLEM_PERSON_ACTION_IGNORED,       /* I  Audience only: nobody is created or updated */
  PUSH_PROBLEM_PARTITION_IGNORED,           /* W  a partition on an Audience only destination */
  PUSH_PROBLEM_PARTITION_UNKNOWN,           /* E  not a partition of the instance */
  PUSH_PROBLEM_LIST_TARGET_MISSING,         /* E  Audience sync types need a static list */
  PUSH_PROBLEM_LIST_TARGET_IGNORED,         /* W  a list on a Profile only destination */
  PUSH_PROBLEM_LIST_TEMPLATE_INVALID,       /* E  the list name template can't be expanded */
  /* Pre-activation only */
  PUSH_PROBLEM_PRIVACY_NOT_ACKNOWLEDGED,    /* E  the data-privacy statement was not accepted */
  /* The sampled scan of the audience's values */
  PUSH_PROBLEM_DEDUPE_VALUE_EMPTY,          /* W  rows without a dedupe value */
  PUSH_PROBLEM_VALUE_NOT_DATE,              /* W */
  PUSH_PROBLEM_VALUE_NOT_DATETIME,          /* W */
  PUSH_PROBLEM_VALUE_NOT_INTEGER,           /* W */
  PUSH_PROBLEM_VALUE_NOT_NUMBER,            /* W */
  PUSH_PROBLEM_VALUE_NOT_BOOLEAN,           /* W */
  PUSH_PROBLEM_VALUE_NOT_EMAIL,             /* W */
  PUSH_PROBLEM_VALUE_TOO_LONG,              /* W */
  PUSH_PROBLEM_VALUE_NESTED,                /* W  a JSON object or array */
  /* The folder of new lists (added later, hence here) */
  PUSH_PROBLEM_LIST_FOLDER_MISSING,         /* E  a new list per audience needs a folder */
  PUSH_PROBLEM_LIST_FOLDER_UNKNOWN,         /* E  not a folder of the instance */
  PUSH_PROBLEM_LIST_FOLDER_ARCHIVED,        /* E  an archive folder: Marketo refuses new lists */
} PushProblemCode;

/* The mapping row of a problem about the dedupe identity row (PushProblem.row). */
#define PUSH_PROBLEM_ROW_IDENTITY (-2)
/* PushProblem.row when the problem is about no single mapping row. */
#define PUSH_PROBLEM_ROW_NONE     (-1)
/* Example row numbers kept per problem. */
#define PUSH_PROBLEM_MAX_EXAMPLES 3

/**
 * PushProblem:
 * @severity: how bad it is
 * @code: what it is
 * @row: the index of the attribute mapping row concerned (0-based, as in
 *   push_mapping_get_row()), %PUSH_PROBLEM_ROW_IDENTITY for the dedupe identity row, or
 *   %PUSH_PROBLEM_ROW_NONE
 * @field: (nullable): the Marketo field (REST name) concerned
 * @column: (nullable): the audience column concerned
 * @message: the translated sentence to show
 * @count: for the sampled scan, how many sampled values have the problem; else 0
 * @n_examples: how many of @examples are set (at most %PUSH_PROBLEM_MAX_EXAMPLES)
 * @examples: the first audience row numbers (1-based data rows, ascending) with the problem
 */
typedef struct {
  PushProblemSeverity  severity;
  PushProblemCode      code;
  int                  row;
  char                *field;
  char                *column;
  char                *message;
  guint64              count;
  guint                n_examples;
  guint64              examples[PUSH_PROBLEM_MAX_EXAMPLES];
} PushProblem;

#define PUSH_TYPE_PROBLEM_SEVERITY (push_problem_severity_get_type ())
#define PUSH_TYPE_PROBLEM_CODE     (push_problem_code_get_type ())
#define PUSH_TYPE_PROBLEM          (push_problem_get_type ())

GType                push_problem_severity_get_type   (void) G_GNUC_CONST;
GType                push_problem_code_get_type       (void) G_GNUC_CONST;
GType                push_problem_get_type            (void) G_GNUC_CONST;

/* The severity comes from the code. @message is copied as is. */
PushProblem         *push_problem_new                 (PushProblemCode      code,
                                                       int                  row,
                                                       const char          *field,
                                                       const char          *column,
                                                       const char          *message);
PushProblem         *push_problem_copy                (const PushProblem   *problem);
void                 push_problem_free                (PushProblem         *problem);
/* Adds @row_number to the examples (kept sorted, at most PUSH_PROBLEM_MAX_EXAMPLES). */
void                 push_problem_add_example         (PushProblem         *problem,
                                                       guint64              row_number);

PushProblemSeverity  push_problem_code_get_severity   (PushProblemCode      code);
/* Stable nicks: "dedupe-field-id", "value-not-date", … and "error", "warning", "info". */
const char          *push_problem_code_to_string      (PushProblemCode      code);
gboolean             push_problem_code_from_string    (const char          *nick,
                                                       PushProblemCode     *out_code);
const char          *push_problem_severity_to_string  (PushProblemSeverity  severity);
/* "Error", "Warning", "Note" (translated). */
const char          *push_problem_severity_get_label  (PushProblemSeverity  severity);

/* Helpers on the arrays the validator returns (element-type PushProblem). */
gboolean             push_problems_has_errors         (GPtrArray           *problems);
guint                push_problems_count              (GPtrArray           *problems,
                                                       PushProblemSeverity  severity);
/* The first problem with @code, or NULL. */
const PushProblem   *push_problems_find               (GPtrArray           *problems,
                                                       PushProblemCode      code);
/* Stable order for display: errors first, then warnings, then notes; within a severity the
 * order of discovery is kept. Sorts in place. */
void                 push_problems_sort               (GPtrArray           *problems);
/* [{"severity": "error", "code": "dedupe-field-id", "row": -2, "field": "id", "column": …,
 *   "message": …, "count": 0, "examples": []}, …] */
JsonNode            *push_problems_to_json            (GPtrArray           *problems);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PushProblem, push_problem_free)

G_END_DECLS
