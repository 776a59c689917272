/* push-destination-editor-private.h: what the destination editor's source files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The editor is one class in four files: push-destination-editor.c (the form, its problems,
 * saving), -instance.c (the instance's fields, partitions and lists: cache and refresh),
 * -sample.c (the sample audience's columns and the sampled scan of its values) and
 * -preflight.c (Activate and Preview: the pre-flight check, then the run or the preview).
 */
#pragma once

#include "push-audiences.h"
#include "push-destination-editor.h"
#include "push-mapping-editor.h"
#include "push-validator.h"

G_BEGIN_DECLS

/* The scan follows the edits once the user pauses. */
#define SCAN_DELAY_MS          500
/* The "fetched 5 minutes ago" text is kept current. */
#define FETCHED_UPDATE_SECONDS 30
/* A refresh reports a failure quickly rather than retrying like a run would. */
#define REFRESH_TIMEOUT_MS     20000

typedef enum {
  PLACE_NONE,
  PLACE_NAME,
  PLACE_ACCOUNT,
  PLACE_INSTANCE,
  PLACE_PARTITION,
  PLACE_DEDUPE,
  PLACE_LIST,
  PLACE_FOLDER,
  PLACE_SAMPLE,
  PLACE_MAPPING,
  PLACE_PRIVACY,
  N_PLACES
} Place;

typedef struct {
  GtkWidget *row;      /* what the caption is about (focused from the problem list) */
  GtkLabel  *caption;
} Feedback;

struct _PushDestinationEditor
{
  AdwBin              parent_instance;

  /* Template widgets */
  AdwWindowTitle     *window_title;
  GtkButton          *back_button;
  GtkButton          *activate_button;
  GtkButton          *preview_button;
  GtkButton          *save_button;
  GtkScrolledWindow  *scrolled_window;
  GtkRevealer        *save_error_revealer;
  GtkLabel           *save_error_label;
  GtkBox             *problems_box;
  GtkLabel           *problems_title;
  GtkListBox         *problems_list;
  AdwEntryRow        *name_row;
  GtkLabel           *name_caption;
  AdwEntryRow        *description_row;
  AdwComboRow        *account_row;
  GtkLabel           *account_caption;
  AdwActionRow       *instance_row;
  GtkSpinner         *refresh_spinner;
  GtkButton          *refresh_button;
  GtkLabel           *instance_caption;
  AdwComboRow        *sync_type_row;
  AdwComboRow        *person_action_row;
  GtkBox             *partition_box;
  AdwComboRow        *partition_row;
  GtkLabel           *partition_caption;
  AdwComboRow        *dedupe_row;
  GtkLabel           *dedupe_caption;
  GtkBox             *list_section;
  AdwComboRow        *list_kind_row;
  AdwComboRow        *list_row;
  AdwEntryRow        *list_reference_row;
  AdwEntryRow        *list_template_row;
  AdwComboRow        *list_clash_row;
  GtkLabel           *list_caption;
  AdwComboRow        *list_folder_row;
  GtkLabel           *list_folder_caption;
  AdwComboRow        *sample_row;
  GtkLabel           *sample_caption;
  PushMappingEditor  *mapping_editor;
  GtkListBox         *alerts_list;
  AdwActionRow       *privacy_row;
  GtkCheckButton     *privacy_check;
  GtkLabel           *privacy_caption;

  Feedback            feedback[N_PLACES];
  GtkSwitch          *alert_switches[4];

  /* Owned references */
  PushApplication    *app;
  PushDestination    *draft;
  PushValidator      *validator;
  MarketoLeadSchema  *schema;            /* (nullable): the account's, from the cache */
  GPtrArray          *partitions;        /* (nullable) (element-type MarketoPartition) */
  GPtrArray          *lists;             /* (nullable) (element-type MarketoList) */
  GPtrArray          *folders;           /* (nullable) (element-type MarketoFolder) */
  GPtrArray          *folder_choices;    /* (element-type MarketoFolder) the folder row's items */
  GDateTime          *fetched;           /* (nullable): when the instance data was fetched */
  char               *instance_notice;   /* (nullable): why the data could not be refreshed */
  GStrv               partition_names;   /* the partition row's items ("" = Default) */
  GStrv               dedupe_names;      /* the dedupe row's items (REST names) */
  GArray             *list_ids;          /* (element-type gint64) the list row's items */
  GPtrArray          *sample_ids;        /* (element-type utf8) the sample row's items */
  char               *sample_id;         /* (nullable): the sample audience */
  GStrv               columns;           /* (nullable): the sample audience's columns */
  char               *sample_notice;     /* (nullable) */
  gboolean            sample_failed;
  GPtrArray          *problems;          /* (element-type PushProblem) check + scan */
  GPtrArray          *scan_problems;     /* (element-type PushProblem) the last scan's */
  char               *scanned_for;       /* (nullable): scan_signature() of the last scan */
  char               *name_taken;        /* (nullable): another destination has the name */
  char               *list_reference_error; /* (nullable) */
  GHashTable         *shown_keys;        /* the problems on screen */
  GCancellable       *cancellable;       /* cancelled at dispose */
  GCancellable       *refresh_cancellable;  /* (nullable): the refresh in flight */
  MarketoClient      *refresh_client;    /* (nullable) */
  GCancellable       *scan_cancellable;  /* (nullable): the scan in flight */
  PushDestination    *saved;             /* (nullable): as last saved */

  guint               show_problems_id;
  guint               scan_id;
  guint               fetched_timer_id;
  gboolean            is_new;
  gboolean            dirty;
  gboolean            syncing;
  gboolean            columns_pending;   /* the sample's columns are being read */
};

/* A read of the sample audience in a worker thread: its columns, and unless @columns_only
 * the sampled scan of its values against a copy of the draft. */
typedef struct {
  char               *path;
  PushAudienceFormat  format;
  char                delimiter;
  gboolean            columns_only;
  PushDestination    *destination;  /* (owned) (nullable): a copy, used by the worker only */
  MarketoLeadSchema  *schema;       /* (owned) (nullable) */
  GStrv               columns;      /* out */
  GPtrArray          *problems;     /* out */
  PushScanStats       stats;        /* out */
} ScanJob;

/* push-destination-editor.c */
PushAccount       *_push_destination_editor_get_account        (PushDestinationEditor *self);
PushAudienceEntry *_push_destination_editor_get_sample         (PushDestinationEditor *self);
/* Checks the draft; @at_once shows new problems without waiting for the pause. */
void               _push_destination_editor_revalidate         (PushDestinationEditor *self,
                                                                gboolean               at_once);
gboolean           _push_destination_editor_can_activate       (PushDestinationEditor *self);
/* No error but perhaps the privacy acknowledgement, and an audience chosen. */
gboolean           _push_destination_editor_can_preview        (PushDestinationEditor *self);
/* TRUE when the form holds edits (or a new destination) not saved yet. */
gboolean           _push_destination_editor_needs_save         (PushDestinationEditor *self);
/* What Save does; FALSE (and the reason shown on the form) when nothing was saved. */
gboolean           _push_destination_editor_save               (PushDestinationEditor *self);
void               _push_destination_editor_fill_partition_row (PushDestinationEditor *self);
void               _push_destination_editor_fill_dedupe_row    (PushDestinationEditor *self);
void               _push_destination_editor_fill_list_rows     (PushDestinationEditor *self);
void               _push_destination_editor_fill_folder_row    (PushDestinationEditor *self);

/* push-destination-editor-instance.c */
void     _push_destination_editor_update_instance_row   (PushDestinationEditor *self);
gboolean _push_destination_editor_fetched_timer_cb      (gpointer               user_data);
void     _push_destination_editor_load_instance_data    (PushDestinationEditor *self);
void     _push_destination_editor_refresh_instance_data (PushDestinationEditor *self);
/* Fetches the instance data when nothing, or only old data, is cached. */
void     _push_destination_editor_refresh_if_stale      (PushDestinationEditor *self);

/* push-destination-editor-sample.c */
void     _push_destination_editor_run_scan_job          (PushDestinationEditor *self,
                                                         PushAudienceEntry     *entry,
                                                         gboolean               columns_only,
                                                         GCancellable          *cancellable,
                                                         GAsyncReadyCallback    callback,
                                                         gpointer               user_data);
/* Forgets the scan's problems about mapping rows that changed since. */
void     _push_destination_editor_drop_stale_scan_problems (PushDestinationEditor *self);
void     _push_destination_editor_set_columns           (PushDestinationEditor *self,
                                                         GStrv                  columns);
void     _push_destination_editor_start_scan            (PushDestinationEditor *self,
                                                         gboolean               columns_only);
void     _push_destination_editor_schedule_scan         (PushDestinationEditor *self);
/* What the scan depends on: the sync type and the mapping. */
char    *_push_destination_editor_scan_signature        (PushDestinationEditor *self);

/* push-destination-editor-preflight.c: the "win.activate-destination" action (the
 * pre-flight check, then Activate or Preview) and "editor.preview" (the Preview at once) */
void     _push_destination_editor_activate              (GtkWidget             *widget,
                                                         const char            *action_name,
                                                         GVariant              *parameter);
void     _push_destination_editor_preview               (GtkWidget             *widget,
                                                         const char            *action_name,
                                                         GVariant              *parameter);

G_END_DECLS
