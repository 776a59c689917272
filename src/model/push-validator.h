/* push-validator.h: the one set of rules a destination is checked against
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The UI's live form errors, the CLI's pre-flight check and the activation runner all ask this
 * validator, so they always agree. Two parts:
 *
 *  - push_validator_check(): the settings and the mapping, against the instance's field list
 *    (the schema), its partitions and the audience's columns. Instant; call it on every edit.
 *  - push_validator_scan(): a sampled read of the audience's values (the first N rows plus a
 *    reservoir sample of N of the rest) through PushLeadBuilder's value checks: values that
 *    don't fit their field's type or length, and empty dedupe values, with counts and example
 *    row numbers. Reads the whole file; use the async variant from the UI.
 *
 * Each returns a GPtrArray of PushProblem (see push-problem.h for the codes and severities).
 */
#pragma once

#include <gio/gio.h>

#include "marketo-types.h"
#include "push-audience-reader.h"
#include "push-destination.h"
#include "push-problem.h"

G_BEGIN_DECLS

/**
 * PushValidationLevel:
 * @PUSH_VALIDATION_EDIT: what the editor shows while the user works
 * @PUSH_VALIDATION_PRE_ACTIVATION: everything, including the checks that only block
 *   activation (the data-privacy acknowledgement)
 */
typedef enum {
  PUSH_VALIDATION_EDIT,
  PUSH_VALIDATION_PRE_ACTIVATION,
} PushValidationLevel;

#define PUSH_TYPE_VALIDATION_LEVEL (push_validation_level_get_type ())
GType push_validation_level_get_type (void) G_GNUC_CONST;

#define PUSH_VALIDATOR_DEFAULT_SAMPLE_SIZE 1000

/**
 * PushScanStats:
 * @rows_read: the audience's rows (all of them are read)
 * @rows_checked: how many of them were checked (the first N plus the reservoir sample)
 */
typedef struct {
  guint64 rows_read;
  guint64 rows_checked;
} PushScanStats;

#define PUSH_TYPE_VALIDATOR (push_validator_get_type ())
G_DECLARE_FINAL_TYPE (PushValidator, push_validator, PUSH, VALIDATOR, GObject)

/* @schema (nullable) is copied. Without a schema the checks that need it are skipped, and a
 * SCHEMA_UNAVAILABLE note says so. */
PushValidator           *push_validator_new             (const MarketoLeadSchema *schema);
void                     push_validator_set_schema      (PushValidator           *self,
                                                         const MarketoLeadSchema *schema);
const MarketoLeadSchema *push_validator_get_schema      (PushValidator           *self);
/* The instance's partitions (element-type MarketoPartition; nullable: unknown, not checked). */
void                     push_validator_set_partitions  (PushValidator           *self,
                                                         GPtrArray               *partitions);
/* The instance's folders (element-type MarketoFolder; nullable: unknown, not checked): the
 * folder of a CREATE_PER_AUDIENCE list must be one of them and not an archive. */
void                     push_validator_set_folders     (PushValidator           *self,
                                                         GPtrArray               *folders);
/* N: the scan checks the first N rows and a reservoir sample of N of the others. */
void                     push_validator_set_sample_size (PushValidator           *self,
                                                         guint                    sample_size);
guint                    push_validator_get_sample_size (PushValidator           *self);
/* The reservoir's random seed (fixed by default, so the same file gives the same list). */
void                     push_validator_set_seed        (PushValidator           *self,
                                                         guint32                  seed);

/* The settings and the mapping; @columns (nullable) are the audience's columns (NULL when no
 * audience is chosen: the column checks are skipped). Problems in order of discovery. */
GPtrArray               *push_validator_check           (PushValidator           *self,
                                                         PushDestination         *destination,
                                                         const char * const      *columns,
                                                         PushValidationLevel      level);

/* The sampled value scan. @reader must be open (push_audience_reader_open()) and not read
 * from yet; it is read to the end. The destination's mapping is read at the call. Rows whose
 * column or field is unusable are skipped here (check() reports them). */
GPtrArray               *push_validator_scan            (PushValidator           *self,
                                                         PushDestination         *destination,
                                                         PushAudienceReader      *reader,
                                                         PushScanStats           *stats,
                                                         GCancellable            *cancellable,
                                                         GError                 **error);
/* The same in a worker thread. Nobody else may use @reader until the callback. */
void                     push_validator_scan_async      (PushValidator           *self,
                                                         PushDestination         *destination,
                                                         PushAudienceReader      *reader,
                                                         GCancellable            *cancellable,
                                                         GAsyncReadyCallback      callback,
                                                         gpointer                 user_data);
GPtrArray               *push_validator_scan_finish     (PushValidator           *self,
                                                         GAsyncResult            *result,
                                                         PushScanStats           *stats,
                                                         GError                 **error);

/* check() with the reader's columns, then scan() (when @reader is not NULL), sorted with
 * push_problems_sort(): the CLI's pre-flight. */
GPtrArray               *push_validator_validate        (PushValidator           *self,
                                                         PushDestination         *destination,
                                                         PushValidationLevel      level,
                                                         PushAudienceReader      *reader,
                                                         PushScanStats           *stats,
                                                         GCancellable            *cancellable,
                                                         GError                 **error);

/* TRUE for field names Marketo refuses as a dedupe key here: `id`, and ECID fields ("ecid",
 * "ECID", "mktoECID", "Experience Cloud ID", …). @display_name may be NULL. */
gboolean                 push_validator_field_is_lead_id (const char             *field);
gboolean                 push_validator_field_is_ecid   (const char              *field,
                                                         const char              *display_name);

G_END_DECLS
