/* push-destination.h: where and how an audience goes into Marketo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A destination belongs to one account (by id) and says what an activation does: the sync
 * type, the person action, the partition, the dedupe field, the static list, the alerts, the
 * data-privacy acknowledgement and the field mapping. It holds no secret. Setters store what
 * they are given (trimmed where noted); PushValidator judges the whole.
 *
 * The export document (push_destination_export(), format "audience-push-destination",
 * version 1) is described in help/C/destination-format.page; it is also what the store keeps.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "push-mapping.h"

G_BEGIN_DECLS

/**
 * PushSyncType:
 * @PUSH_SYNC_TYPE_AUDIENCE_ONLY: look people up by the dedupe field and add the matches to
 *   a static list; nobody is created or updated
 * @PUSH_SYNC_TYPE_PROFILE_ONLY: create or update people (no list)
 * @PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE: create or update people, then add them to a list
 */
typedef enum {
  PUSH_SYNC_TYPE_AUDIENCE_ONLY,
  PUSH_SYNC_TYPE_PROFILE_ONLY,
  PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE,
} PushSyncType;

/**
 * PushPersonAction:
 * @PUSH_PERSON_ACTION_UPDATE_ONLY: update people who exist, skip the others (updateOnly)
 * @PUSH_PERSON_ACTION_CREATE_OR_UPDATE: update or create (createOrUpdate)
 *
 * Not applicable to %PUSH_SYNC_TYPE_AUDIENCE_ONLY.
 */
typedef enum {
  PUSH_PERSON_ACTION_UPDATE_ONLY,
  PUSH_PERSON_ACTION_CREATE_OR_UPDATE,
} PushPersonAction;

/**
 * PushListTargetKind:
 * @PUSH_LIST_TARGET_NONE: no static list
 * @PUSH_LIST_TARGET_EXISTING: an existing list, by id (its name is kept as a cache)
 * @PUSH_LIST_TARGET_CREATE_PER_AUDIENCE: a new list for each activation, named from a
 *   template ({audience}, {destination}, {date}, {time}); an existing list of that name is
 *   reused or makes the activation fail, per #PushListClashPolicy
 */
typedef enum {
  PUSH_LIST_TARGET_NONE,
  PUSH_LIST_TARGET_EXISTING,
  PUSH_LIST_TARGET_CREATE_PER_AUDIENCE,
} PushListTargetKind;

typedef enum {
  PUSH_LIST_CLASH_REUSE,
  PUSH_LIST_CLASH_FAIL,
} PushListClashPolicy;

typedef enum /*< flags >*/ {
  PUSH_ALERT_NONE                          = 0,
  PUSH_ALERT_ON_COMPLETION                 = 1 << 0,
  PUSH_ALERT_ON_COMPLETION_WITH_REJECTIONS = 1 << 1,
  PUSH_ALERT_ON_FAILURE                    = 1 << 2,
  PUSH_ALERT_ON_QUOTA_PAUSE                = 1 << 3,
} PushAlertFlags;

#define PUSH_ALERT_ALL (PUSH_ALERT_ON_COMPLETION | PUSH_ALERT_ON_COMPLETION_WITH_REJECTIONS | \
                        PUSH_ALERT_ON_FAILURE | PUSH_ALERT_ON_QUOTA_PAUSE)

#define PUSH_TYPE_SYNC_TYPE          (push_sync_type_get_type ())
#define PUSH_TYPE_PERSON_ACTION      (push_person_action_get_type ())
#define PUSH_TYPE_LIST_TARGET_KIND   (push_list_target_kind_get_type ())
#define PUSH_TYPE_LIST_CLASH_POLICY  (push_list_clash_policy_get_type ())
#define PUSH_TYPE_ALERT_FLAGS        (push_alert_flags_get_type ())

GType        push_sync_type_get_type             (void) G_GNUC_CONST;
GType        push_person_action_get_type         (void) G_GNUC_CONST;
GType        push_list_target_kind_get_type      (void) G_GNUC_CONST;
GType        push_list_clash_policy_get_type     (void) G_GNUC_CONST;
GType        push_alert_flags_get_type           (void) G_GNUC_CONST;

/* Translated labels for the UI ("Audience and profile", …) and a one-line description. */
const char  *push_sync_type_get_label            (PushSyncType         sync_type);
const char  *push_sync_type_get_description      (PushSyncType         sync_type);
const char  *push_person_action_get_label        (PushPersonAction     action);
const char  *push_person_action_get_description  (PushPersonAction     action);
const char  *push_list_target_kind_get_label     (PushListTargetKind   kind);
const char  *push_list_clash_policy_get_label    (PushListClashPolicy  policy);
/* The label of one flag (NULL for a combination or NONE). */
const char  *push_alert_flags_get_label          (PushAlertFlags       flag);

/* The stable strings of the export document (the GEnum nicks): "audience-only",
 * "create-or-update", "create-per-audience", "reuse", "on-failure", … */
const char  *push_sync_type_to_string            (PushSyncType         sync_type);
gboolean     push_sync_type_from_string          (const char          *nick,
                                                  PushSyncType        *out_value);
const char  *push_person_action_to_string        (PushPersonAction     action);
gboolean     push_person_action_from_string      (const char          *nick,
                                                  PushPersonAction    *out_value);
/* The Sync Leads action: "updateOnly" or "createOrUpdate". */
const char  *push_person_action_to_marketo       (PushPersonAction     action);

/* TRUE for the types that upsert people (profile only, audience and profile). */
gboolean     push_sync_type_updates_profiles     (PushSyncType         sync_type);
/* TRUE for the types that add people to a static list (audience only, audience and profile). */
gboolean     push_sync_type_uses_list            (PushSyncType         sync_type);

#define PUSH_DESTINATION_FORMAT         "audience-push-destination"
#define PUSH_DESTINATION_FORMAT_VERSION 1
#define PUSH_DESTINATION_DEFAULT_PARTITION "Default"
#define PUSH_DESTINATION_DEFAULT_LIST_TEMPLATE "{audience} {date}"

/**
 * PushDestinationError:
 * @PUSH_DESTINATION_ERROR_INVALID_JSON: the document is not JSON
 * @PUSH_DESTINATION_ERROR_WRONG_FORMAT: JSON, but not an "audience-push-destination"
 * @PUSH_DESTINATION_ERROR_UNSUPPORTED_VERSION: a version this application does not read
 * @PUSH_DESTINATION_ERROR_MISSING_MEMBER: a required member is absent
 * @PUSH_DESTINATION_ERROR_WRONG_TYPE: a member of the wrong JSON type
 * @PUSH_DESTINATION_ERROR_UNKNOWN_VALUE: an enumeration string this version does not know
 * @PUSH_DESTINATION_ERROR_INVALID_VALUE: a value of the right type that is not acceptable
 *   (an id that is not a UUID, a bad timestamp, a negative list id)
 *
 * Import errors; the message names the member by its path ("destination.list.kind").
 */
#define PUSH_DESTINATION_ERROR (push_destination_error_quark ())
typedef enum {
  PUSH_DESTINATION_ERROR_INVALID_JSON,
  PUSH_DESTINATION_ERROR_WRONG_FORMAT,
  PUSH_DESTINATION_ERROR_UNSUPPORTED_VERSION,
  PUSH_DESTINATION_ERROR_MISSING_MEMBER,
  PUSH_DESTINATION_ERROR_WRONG_TYPE,
  PUSH_DESTINATION_ERROR_UNKNOWN_VALUE,
  PUSH_DESTINATION_ERROR_INVALID_VALUE,
} PushDestinationError;
GQuark       push_destination_error_quark        (void);

#define PUSH_TYPE_DESTINATION (push_destination_get_type ())
G_DECLARE_FINAL_TYPE (PushDestination, push_destination, PUSH, DESTINATION, GObject)

/* A new destination with a fresh id (a UUID) and the defaults: audience and profile, create
 * or update, dedupe field "email", a new list per audience named "{audience} {date}" (reuse
 * on a clash), alerts on failure, on completion with rejections and on quota pause. */
PushDestination   *push_destination_new                     (void);
PushDestination   *push_destination_new_with_id             (const char           *id);
/* Same id, same settings (the mapping is copied too). */
PushDestination   *push_destination_copy                    (PushDestination      *self);
/* Same settings under a fresh id. */
PushDestination   *push_destination_duplicate               (PushDestination      *self);
/* Every setting, the id and the mapping (timestamps to the microsecond). */
gboolean           push_destination_equal                   (PushDestination      *a,
                                                             PushDestination      *b);

/* Properties: "id" (construct-only), "name", "description", "account-id", "sync-type",
 * "person-action", "partition", "dedupe-field" (the mapping's identity field),
 * "list-target-kind", "list-id", "list-name", "list-name-template", "list-clash-policy",
 * "list-folder-id", "list-folder-type", "list-folder-name", "alerts", "privacy-acknowledged",
 * "privacy-acknowledged-at", "mapping" (read-only; the object stays the same for the
 * destination's life). Signal "changed" after any change of
 * a setting or of the mapping. Strings are never NULL ("" when unset). */
const char        *push_destination_get_id                  (PushDestination      *self);
/* The name, the account id and the partition are trimmed. */
const char        *push_destination_get_name                (PushDestination      *self);
void               push_destination_set_name                (PushDestination      *self,
                                                             const char           *name);
const char        *push_destination_get_description         (PushDestination      *self);
void               push_destination_set_description         (PushDestination      *self,
                                                             const char           *description);
const char        *push_destination_get_account_id          (PushDestination      *self);
void               push_destination_set_account_id          (PushDestination      *self,
                                                             const char           *account_id);
PushSyncType       push_destination_get_sync_type           (PushDestination      *self);
void               push_destination_set_sync_type           (PushDestination      *self,
                                                             PushSyncType          sync_type);
PushPersonAction   push_destination_get_person_action       (PushDestination      *self);
void               push_destination_set_person_action       (PushDestination      *self,
                                                             PushPersonAction      action);
/* "" means the Default partition. Trimmed. */
const char        *push_destination_get_partition           (PushDestination      *self);
void               push_destination_set_partition           (PushDestination      *self,
                                                             const char           *partition);
/* The partitionName to send: the partition, or "Default" when empty. */
const char        *push_destination_get_effective_partition (PushDestination      *self);
const char        *push_destination_get_dedupe_field        (PushDestination      *self);
void               push_destination_set_dedupe_field        (PushDestination      *self,
                                                             const char           *field);

PushListTargetKind push_destination_get_list_target_kind    (PushDestination      *self);
void               push_destination_set_list_target_kind    (PushDestination      *self,
                                                             PushListTargetKind    kind);
/* EXISTING: the list id (0 when none chosen) and its name as last seen. */
gint64             push_destination_get_list_id             (PushDestination      *self);
const char        *push_destination_get_list_name           (PushDestination      *self);
void               push_destination_set_existing_list       (PushDestination      *self,
                                                             gint64                list_id,
                                                             const char           *list_name);
/* CREATE_PER_AUDIENCE: the name template and the clash policy. */
const char        *push_destination_get_list_name_template  (PushDestination      *self);
void               push_destination_set_list_name_template  (PushDestination      *self,
                                                             const char           *name_template);
PushListClashPolicy push_destination_get_list_clash_policy  (PushDestination      *self);
void               push_destination_set_list_clash_policy   (PushDestination      *self,
                                                             PushListClashPolicy   policy);
/* CREATE_PER_AUDIENCE: the Marketo folder the new lists go into: its id (0 when none is
 * chosen), its type ("Folder" or "Program"; "" when none) and its name as last seen (for
 * display; may be a path). Setting id 0 clears all three; a NULL or empty type means "Folder". */
gint64             push_destination_get_list_folder_id      (PushDestination      *self);
const char        *push_destination_get_list_folder_type    (PushDestination      *self);
const char        *push_destination_get_list_folder_name    (PushDestination      *self);
void               push_destination_set_list_folder         (PushDestination      *self,
                                                             gint64                folder_id,
                                                             const char           *folder_type,
                                                             const char           *folder_name);

PushAlertFlags     push_destination_get_alerts              (PushDestination      *self);
void               push_destination_set_alerts              (PushDestination      *self,
                                                             PushAlertFlags        alerts);

/* Acknowledging stamps the current time (UTC); withdrawing clears it. */
gboolean           push_destination_get_privacy_acknowledged    (PushDestination  *self);
void               push_destination_set_privacy_acknowledged    (PushDestination  *self,
                                                                 gboolean          acknowledged);
/* (nullable) when it was acknowledged. */
GDateTime         *push_destination_get_privacy_acknowledged_at (PushDestination  *self);
/* Loading: acknowledged at @when, or not acknowledged when @when is NULL. */
void               push_destination_set_privacy_acknowledged_at (PushDestination  *self,
                                                                 GDateTime        *when);

PushMapping       *push_destination_get_mapping             (PushDestination      *self);

/* TRUE when an activation may create people: a profile sync type with CREATE_OR_UPDATE. */
gboolean           push_destination_can_create_people       (PushDestination      *self);

/* List name templates: literal text with {audience}, {destination}, {date} (YYYY-MM-DD) and
 * {time} (HH:MM); "{{" and "}}" stand for braces. NULL when @name_template is usable, else a
 * translated sentence saying what is wrong. */
char              *push_destination_check_list_name_template (const char          *name_template);
/* The list name for an activation of @audience_name at @when (local time of @when). */
char              *push_destination_expand_list_name        (PushDestination      *self,
                                                             const char           *audience_name,
                                                             GDateTime            *when,
                                                             GError              **error);

/* The export document. @account_name (nullable) is written beside the account id so the
 * importer can find the account on another computer. */
JsonNode          *push_destination_to_json                 (PushDestination      *self,
                                                             const char           *account_name);
/* Pretty-printed UTF-8 JSON. */
char              *push_destination_export                  (PushDestination      *self,
                                                             const char           *account_name,
                                                             gsize                *length);
/* Reads a document; the destination keeps the document's id (use
 * push_destination_duplicate() to import a copy). @out_account_name gets the account name
 * the document gives ("" when none). PUSH_DESTINATION_ERROR on any problem. */
PushDestination   *push_destination_new_from_json           (JsonNode             *node,
                                                             char                **out_account_name,
                                                             GError              **error);
PushDestination   *push_destination_import                  (const char           *data,
                                                             gssize                length,
                                                             char                **out_account_name,
                                                             GError              **error);

G_END_DECLS
