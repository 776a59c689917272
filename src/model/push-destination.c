/* push-destination.c: where and how an audience goes into Marketo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "push-destination.h"

struct _PushDestination
{
  GObject parent_instance;

  char                *id;                  /* (owned) construct-only */
  char                *name;                /* (owned) */
  char                *description;         /* (owned) */
  char                *account_id;          /* (owned) */
  PushSyncType         sync_type;
  PushPersonAction     person_action;
  char                *partition;           /* (owned) "" = Default */
  PushListTargetKind   list_kind;
  gint64               list_id;
  char                *list_name;           /* (owned) */
  char                *list_name_template;  /* (owned) */
  PushListClashPolicy  list_clash_policy;
  gint64               list_folder_id;      /* 0 = none chosen */
  char                *list_folder_type;    /* (owned) "Folder", "Program" or "" */
  char                *list_folder_name;    /* (owned) */
  PushAlertFlags       alerts;
  GDateTime           *privacy_at;          /* (owned) (nullable) NULL = not acknowledged */
  PushMapping         *mapping;             /* (owned) */
};

G_DEFINE_FINAL_TYPE (PushDestination, push_destination, G_TYPE_OBJECT)
G_DEFINE_QUARK (push-destination-error-quark, push_destination_error)

G_DEFINE_ENUM_TYPE (PushSyncType, push_sync_type,
  G_DEFINE_ENUM_VALUE (PUSH_SYNC_TYPE_AUDIENCE_ONLY, "audience-only"),
  G_DEFINE_ENUM_VALUE (PUSH_SYNC_TYPE_PROFILE_ONLY, "profile-only"),
  G_DEFINE_ENUM_VALUE (PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE, "audience-and-profile"))

G_DEFINE_ENUM_TYPE (PushPersonAction, push_person_action,
  G_DEFINE_ENUM_VALUE (PUSH_PERSON_ACTION_UPDATE_ONLY, "update-only"),
  G_DEFINE_ENUM_VALUE (PUSH_PERSON_ACTION_CREATE_OR_UPDATE, "create-or-update"))

G_DEFINE_ENUM_TYPE (PushListTargetKind, push_list_target_kind,
  G_DEFINE_ENUM_VALUE (PUSH_LIST_TARGET_NONE, "none"),
  G_DEFINE_ENUM_VALUE (PUSH_LIST_TARGET_EXISTING, "existing"),
  G_DEFINE_ENUM_VALUE (PUSH_LIST_TARGET_CREATE_PER_AUDIENCE, "create-per-audience"))

G_DEFINE_ENUM_TYPE (PushListClashPolicy, push_list_clash_policy,
  G_DEFINE_ENUM_VALUE (PUSH_LIST_CLASH_REUSE, "reuse"),
  G_DEFINE_ENUM_VALUE (PUSH_LIST_CLASH_FAIL, "fail"))

G_DEFINE_FLAGS_TYPE (PushAlertFlags, push_alert_flags,
  G_DEFINE_ENUM_VALUE (PUSH_ALERT_NONE, "none"),
  G_DEFINE_ENUM_VALUE (PUSH_ALERT_ON_COMPLETION, "on-completion"),
  G_DEFINE_ENUM_VALUE (PUSH_ALERT_ON_COMPLETION_WITH_REJECTIONS, "on-completion-with-rejections"),
  G_DEFINE_ENUM_VALUE (PUSH_ALERT_ON_FAILURE, "on-failure"),
  G_DEFINE_ENUM_VALUE (PUSH_ALERT_ON_QUOTA_PAUSE, "on-quota-pause"))

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_DESCRIPTION,
  PROP_ACCOUNT_ID,
  PROP_SYNC_TYPE,
  PROP_PERSON_ACTION,
  PROP_PARTITION,
  PROP_DEDUPE_FIELD,
  PROP_LIST_TARGET_KIND,
  PROP_LIST_ID,
  PROP_LIST_NAME,
  PROP_LIST_NAME_TEMPLATE,
  PROP_LIST_CLASH_POLICY,
  PROP_LIST_FOLDER_ID,
  PROP_LIST_FOLDER_TYPE,
  PROP_LIST_FOLDER_NAME,
  PROP_ALERTS,
  PROP_PRIVACY_ACKNOWLEDGED,
  PROP_PRIVACY_ACKNOWLEDGED_AT,
  PROP_MAPPING,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

#define DEFAULT_ALERTS (PUSH_ALERT_ON_COMPLETION_WITH_REJECTIONS | PUSH_ALERT_ON_FAILURE | \
                        PUSH_ALERT_ON_QUOTA_PAUSE)

/* ---- Enumerations ---- */

static const char *
enum_to_nick (GType type,
              int   value)
{
  GEnumClass *klass = g_type_class_ref (type);
  GEnumValue *enum_value = g_enum_get_value (klass, value);

  g_type_class_unref (klass);
  return enum_value != NULL ? enum_value->value_nick : NULL;
}

static gboolean
enum_from_nick (GType       type,
                const char *nick,
                int        *out_value)
{
  GEnumClass *klass;
  GEnumValue *enum_value;

  if (nick == NULL)
    return FALSE;
  klass = g_type_class_ref (type);
  enum_value = g_enum_get_value_by_nick (klass, nick);
  g_type_class_unref (klass);
  if (enum_value == NULL)
    return FALSE;
  *out_value = enum_value->value;
  return TRUE;
}

/* "a, b, c": the nicks of @type, for error messages. */
static char *
enum_list_nicks (GType type)
{
  GString *out = g_string_new (NULL);

  if (G_TYPE_IS_FLAGS (type))
    {
      GFlagsClass *klass = g_type_class_ref (type);

      for (guint i = 0; i < klass->n_values; i++)
        {
          if (klass->values[i].value == 0)
            continue;
          if (out->len > 0)
            g_string_append (out, ", ");
          g_string_append (out, klass->values[i].value_nick);
        }
      g_type_class_unref (klass);
    }
  else
    {
      GEnumClass *klass = g_type_class_ref (type);

      for (guint i = 0; i < klass->n_values; i++)
        {
          if (out->len > 0)
            g_string_append (out, ", ");
          g_string_append (out, klass->values[i].value_nick);
        }
      g_type_class_unref (klass);
    }
  return g_string_free (out, FALSE);
}

const char *
push_sync_type_get_label (PushSyncType sync_type)
{
  switch (sync_type)
    {
    case PUSH_SYNC_TYPE_AUDIENCE_ONLY:
      return _("Audience only");
    case PUSH_SYNC_TYPE_PROFILE_ONLY:
      return _("Profile only");
    case PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE:
      return _("Audience and profile");
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
push_sync_type_get_description (PushSyncType sync_type)
{
  switch (sync_type)
    {
    case PUSH_SYNC_TYPE_AUDIENCE_ONLY:
      return _("Find people who already exist and add them to a static list; nobody is created or changed");
    case PUSH_SYNC_TYPE_PROFILE_ONLY:
      return _("Create or update people with the mapped fields; no list");
    case PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE:
      return _("Create or update people, then add them to a static list");
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
push_person_action_get_label (PushPersonAction action)
{
  switch (action)
    {
    case PUSH_PERSON_ACTION_UPDATE_ONLY:
      return _("Update existing persons only");
    case PUSH_PERSON_ACTION_CREATE_OR_UPDATE:
      return _("Update existing and create new persons");
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
push_person_action_get_description (PushPersonAction action)
{
  switch (action)
    {
    case PUSH_PERSON_ACTION_UPDATE_ONLY:
      return _("Update people who already exist; skip the others");
    case PUSH_PERSON_ACTION_CREATE_OR_UPDATE:
      return _("Update people who exist and create the others");
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
push_list_target_kind_get_label (PushListTargetKind kind)
{
  switch (kind)
    {
    case PUSH_LIST_TARGET_NONE:
      return _("No list");
    case PUSH_LIST_TARGET_EXISTING:
      return _("An existing static list");
    case PUSH_LIST_TARGET_CREATE_PER_AUDIENCE:
      return _("A new list for each audience");
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
push_list_clash_policy_get_label (PushListClashPolicy policy)
{
  switch (policy)
    {
    case PUSH_LIST_CLASH_REUSE:
      return _("Use the existing list of that name");
    case PUSH_LIST_CLASH_FAIL:
      return _("Stop the activation");
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
push_alert_flags_get_label (PushAlertFlags flag)
{
  switch ((guint) flag)
    {
    case PUSH_ALERT_ON_COMPLETION:
      return _("When an activation completes");
    case PUSH_ALERT_ON_COMPLETION_WITH_REJECTIONS:
      return _("When an activation completes with rejected people");
    case PUSH_ALERT_ON_FAILURE:
      return _("When an activation fails");
    case PUSH_ALERT_ON_QUOTA_PAUSE:
      return _("When the daily API quota pauses an activation");
    default:
      return NULL;
    }
}

const char *
push_sync_type_to_string (PushSyncType sync_type)
{
  return enum_to_nick (PUSH_TYPE_SYNC_TYPE, sync_type);
}

gboolean
push_sync_type_from_string (const char   *nick,
                            PushSyncType *out_value)
{
  int value;

  g_return_val_if_fail (out_value != NULL, FALSE);

  if (!enum_from_nick (PUSH_TYPE_SYNC_TYPE, nick, &value))
    return FALSE;
  *out_value = value;
  return TRUE;
}

const char *
push_person_action_to_string (PushPersonAction action)
{
  return enum_to_nick (PUSH_TYPE_PERSON_ACTION, action);
}

gboolean
push_person_action_from_string (const char       *nick,
                                PushPersonAction *out_value)
{
  int value;

  g_return_val_if_fail (out_value != NULL, FALSE);

  if (!enum_from_nick (PUSH_TYPE_PERSON_ACTION, nick, &value))
    return FALSE;
  *out_value = value;
  return TRUE;
}

const char *
push_person_action_to_marketo (PushPersonAction action)
{
  switch (action)
    {
    case PUSH_PERSON_ACTION_UPDATE_ONLY:
      return "updateOnly";
    case PUSH_PERSON_ACTION_CREATE_OR_UPDATE:
      return "createOrUpdate";
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
push_sync_type_updates_profiles (PushSyncType sync_type)
{
  return sync_type == PUSH_SYNC_TYPE_PROFILE_ONLY ||
         sync_type == PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE;
}

gboolean
push_sync_type_uses_list (PushSyncType sync_type)
{
  return sync_type == PUSH_SYNC_TYPE_AUDIENCE_ONLY ||
         sync_type == PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE;
}

/* ---- Object ---- */

static void
emit_changed (PushDestination *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
notify_changed (PushDestination *self,
                guint            prop_id)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
  emit_changed (self);
}

/* Stores @value (NULL as ""), optionally trimmed; TRUE if it changed. */
static gboolean
replace_string (char       **slot,
                const char  *value,
                gboolean     trim)
{
  g_autofree char *copy = g_strdup (value != NULL ? value : "");

  if (trim)
    g_strstrip (copy);
  if (g_strcmp0 (*slot, copy) == 0)
    return FALSE;
  g_free (*slot);
  *slot = g_steal_pointer (&copy);
  return TRUE;
}

static void
mapping_changed_cb (PushDestination *self,
                    PushMapping     *mapping)
{
  emit_changed (self);
}

static void
mapping_identity_field_notified_cb (PushDestination *self,
                                    GParamSpec      *pspec,
                                    PushMapping     *mapping)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEDUPE_FIELD]);
}

static void
push_destination_dispose (GObject *object)
{
  PushDestination *self = (PushDestination *) object;

  if (self->mapping != NULL)
    g_signal_handlers_disconnect_by_data (self->mapping, self);
  g_clear_object (&self->mapping);

  G_OBJECT_CLASS (push_destination_parent_class)->dispose (object);
}

static void
push_destination_finalize (GObject *object)
{
  PushDestination *self = (PushDestination *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->account_id, g_free);
  g_clear_pointer (&self->partition, g_free);
  g_clear_pointer (&self->list_name, g_free);
  g_clear_pointer (&self->list_name_template, g_free);
  g_clear_pointer (&self->list_folder_type, g_free);
  g_clear_pointer (&self->list_folder_name, g_free);
  g_clear_pointer (&self->privacy_at, g_date_time_unref);

  G_OBJECT_CLASS (push_destination_parent_class)->finalize (object);
}

static void
push_destination_constructed (GObject *object)
{
  PushDestination *self = (PushDestination *) object;

  G_OBJECT_CLASS (push_destination_parent_class)->constructed (object);

  if (self->id == NULL || *self->id == '\0')
    {
      g_free (self->id);
      self->id = g_uuid_string_random ();
    }
}

static void
push_destination_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  PushDestination *self = PUSH_DESTINATION (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;
    case PROP_ACCOUNT_ID:
      g_value_set_string (value, self->account_id);
      break;
    case PROP_SYNC_TYPE:
      g_value_set_enum (value, self->sync_type);
      break;
    case PROP_PERSON_ACTION:
      g_value_set_enum (value, self->person_action);
      break;
    case PROP_PARTITION:
      g_value_set_string (value, self->partition);
      break;
    case PROP_DEDUPE_FIELD:
      g_value_set_string (value, push_mapping_get_identity_field (self->mapping));
      break;
    case PROP_LIST_TARGET_KIND:
      g_value_set_enum (value, self->list_kind);
      break;
    case PROP_LIST_ID:
      g_value_set_int64 (value, self->list_id);
      break;
    case PROP_LIST_NAME:
      g_value_set_string (value, self->list_name);
      break;
    case PROP_LIST_NAME_TEMPLATE:
      g_value_set_string (value, self->list_name_template);
      break;
    case PROP_LIST_CLASH_POLICY:
      g_value_set_enum (value, self->list_clash_policy);
      break;
    case PROP_LIST_FOLDER_ID:
      g_value_set_int64 (value, self->list_folder_id);
      break;
    case PROP_LIST_FOLDER_TYPE:
      g_value_set_string (value, self->list_folder_type);
      break;
    case PROP_LIST_FOLDER_NAME:
      g_value_set_string (value, self->list_folder_name);
      break;
    case PROP_ALERTS:
      g_value_set_flags (value, self->alerts);
      break;
    case PROP_PRIVACY_ACKNOWLEDGED:
      g_value_set_boolean (value, self->privacy_at != NULL);
      break;
    case PROP_PRIVACY_ACKNOWLEDGED_AT:
      g_value_set_boxed (value, self->privacy_at);
      break;
    case PROP_MAPPING:
      g_value_set_object (value, self->mapping);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
push_destination_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  PushDestination *self = PUSH_DESTINATION (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_assert (self->id == NULL);
      self->id = g_value_dup_string (value);
      break;
    case PROP_NAME:
      push_destination_set_name (self, g_value_get_string (value));
      break;
    case PROP_DESCRIPTION:
      push_destination_set_description (self, g_value_get_string (value));
      break;
    case PROP_ACCOUNT_ID:
      push_destination_set_account_id (self, g_value_get_string (value));
      break;
    case PROP_SYNC_TYPE:
      push_destination_set_sync_type (self, g_value_get_enum (value));
      break;
    case PROP_PERSON_ACTION:
      push_destination_set_person_action (self, g_value_get_enum (value));
      break;
    case PROP_PARTITION:
      push_destination_set_partition (self, g_value_get_string (value));
      break;
    case PROP_DEDUPE_FIELD:
      push_destination_set_dedupe_field (self, g_value_get_string (value));
      break;
    case PROP_LIST_TARGET_KIND:
      push_destination_set_list_target_kind (self, g_value_get_enum (value));
      break;
    case PROP_LIST_ID:
      push_destination_set_existing_list (self, g_value_get_int64 (value), self->list_name);
      break;
    case PROP_LIST_NAME:
      push_destination_set_existing_list (self, self->list_id, g_value_get_string (value));
      break;
    case PROP_LIST_NAME_TEMPLATE:
      push_destination_set_list_name_template (self, g_value_get_string (value));
      break;
    case PROP_LIST_CLASH_POLICY:
      push_destination_set_list_clash_policy (self, g_value_get_enum (value));
      break;
    case PROP_LIST_FOLDER_ID:
      push_destination_set_list_folder (self, g_value_get_int64 (value), self->list_folder_type,
                                        self->list_folder_name);
      break;
    case PROP_LIST_FOLDER_TYPE:
      push_destination_set_list_folder (self, self->list_folder_id, g_value_get_string (value),
                                        self->list_folder_name);
      break;
    case PROP_LIST_FOLDER_NAME:
      push_destination_set_list_folder (self, self->list_folder_id, self->list_folder_type,
                                        g_value_get_string (value));
      break;
    case PROP_ALERTS:
      push_destination_set_alerts (self, g_value_get_flags (value));
      break;
    case PROP_PRIVACY_ACKNOWLEDGED:
      push_destination_set_privacy_acknowledged (self, g_value_get_boolean (value));
      break;
    case PROP_PRIVACY_ACKNOWLEDGED_AT:
      push_destination_set_privacy_acknowledged_at (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
push_destination_class_init (PushDestinationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = push_destination_dispose;
  object_class->finalize = push_destination_finalize;
  object_class->constructed = push_destination_constructed;
  object_class->get_property = push_destination_get_property;
  object_class->set_property = push_destination_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, "", rw);
  properties[PROP_DESCRIPTION] = g_param_spec_string ("description", NULL, NULL, "", rw);
  properties[PROP_ACCOUNT_ID] = g_param_spec_string ("account-id", NULL, NULL, "", rw);
  properties[PROP_SYNC_TYPE] =
    g_param_spec_enum ("sync-type", NULL, NULL, PUSH_TYPE_SYNC_TYPE,
                       PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE, rw);
  properties[PROP_PERSON_ACTION] =
    g_param_spec_enum ("person-action", NULL, NULL, PUSH_TYPE_PERSON_ACTION,
                       PUSH_PERSON_ACTION_CREATE_OR_UPDATE, rw);
  properties[PROP_PARTITION] = g_param_spec_string ("partition", NULL, NULL, "", rw);
  properties[PROP_DEDUPE_FIELD] = g_param_spec_string ("dedupe-field", NULL, NULL, "", rw);
  properties[PROP_LIST_TARGET_KIND] =
    g_param_spec_enum ("list-target-kind", NULL, NULL, PUSH_TYPE_LIST_TARGET_KIND,
                       PUSH_LIST_TARGET_CREATE_PER_AUDIENCE, rw);
  properties[PROP_LIST_ID] =
    g_param_spec_int64 ("list-id", NULL, NULL, 0, G_MAXINT64, 0, rw);
  properties[PROP_LIST_NAME] = g_param_spec_string ("list-name", NULL, NULL, "", rw);
  properties[PROP_LIST_NAME_TEMPLATE] =
    g_param_spec_string ("list-name-template", NULL, NULL, PUSH_DESTINATION_DEFAULT_LIST_TEMPLATE, rw);
  properties[PROP_LIST_CLASH_POLICY] =
    g_param_spec_enum ("list-clash-policy", NULL, NULL, PUSH_TYPE_LIST_CLASH_POLICY,
                       PUSH_LIST_CLASH_REUSE, rw);
  properties[PROP_LIST_FOLDER_ID] =
    g_param_spec_int64 ("list-folder-id", NULL, NULL, 0, G_MAXINT64, 0, rw);
  properties[PROP_LIST_FOLDER_TYPE] =
    g_param_spec_string ("list-folder-type", NULL, NULL, "", rw);
  properties[PROP_LIST_FOLDER_NAME] =
    g_param_spec_string ("list-folder-name", NULL, NULL, "", rw);
  properties[PROP_ALERTS] =
    g_param_spec_flags ("alerts", NULL, NULL, PUSH_TYPE_ALERT_FLAGS, DEFAULT_ALERTS, rw);
  properties[PROP_PRIVACY_ACKNOWLEDGED] =
    g_param_spec_boolean ("privacy-acknowledged", NULL, NULL, FALSE, rw);
  properties[PROP_PRIVACY_ACKNOWLEDGED_AT] =
    g_param_spec_boxed ("privacy-acknowledged-at", NULL, NULL, G_TYPE_DATE_TIME, rw);
  properties[PROP_MAPPING] =
    g_param_spec_object ("mapping", NULL, NULL, PUSH_TYPE_MAPPING,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PushDestination::changed:
   *
   * Emitted after any change of a setting or of the mapping (for live validation).
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
push_destination_init (PushDestination *self)
{
  self->name = g_strdup ("");
  self->description = g_strdup ("");
  self->account_id = g_strdup ("");
  self->sync_type = PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE;
  self->person_action = PUSH_PERSON_ACTION_CREATE_OR_UPDATE;
  self->partition = g_strdup ("");
  self->list_kind = PUSH_LIST_TARGET_CREATE_PER_AUDIENCE;
  self->list_name = g_strdup ("");
  self->list_name_template = g_strdup (PUSH_DESTINATION_DEFAULT_LIST_TEMPLATE);
  self->list_clash_policy = PUSH_LIST_CLASH_REUSE;
  self->list_folder_type = g_strdup ("");
  self->list_folder_name = g_strdup ("");
  self->alerts = DEFAULT_ALERTS;

  self->mapping = push_mapping_new ();
  push_mapping_set_identity_field (self->mapping, "email");
  g_signal_connect_swapped (self->mapping, "changed", G_CALLBACK (mapping_changed_cb), self);
  g_signal_connect_swapped (self->mapping, "notify::identity-field",
                            G_CALLBACK (mapping_identity_field_notified_cb), self);
}

PushDestination *
push_destination_new (void)
{
  return g_object_new (PUSH_TYPE_DESTINATION, NULL);
}

PushDestination *
push_destination_new_with_id (const char *id)
{
  g_return_val_if_fail (id != NULL && *id != '\0', NULL);

  return g_object_new (PUSH_TYPE_DESTINATION, "id", id, NULL);
}

static void
copy_settings (PushDestination *to,
               PushDestination *from)
{
  g_free (to->name);
  to->name = g_strdup (from->name);
  g_free (to->description);
  to->description = g_strdup (from->description);
  g_free (to->account_id);
  to->account_id = g_strdup (from->account_id);
  to->sync_type = from->sync_type;
  to->person_action = from->person_action;
  g_free (to->partition);
  to->partition = g_strdup (from->partition);
  to->list_kind = from->list_kind;
  to->list_id = from->list_id;
  g_free (to->list_name);
  to->list_name = g_strdup (from->list_name);
  g_free (to->list_name_template);
  to->list_name_template = g_strdup (from->list_name_template);
  to->list_clash_policy = from->list_clash_policy;
  to->list_folder_id = from->list_folder_id;
  g_free (to->list_folder_type);
  to->list_folder_type = g_strdup (from->list_folder_type);
  g_free (to->list_folder_name);
  to->list_folder_name = g_strdup (from->list_folder_name);
  to->alerts = from->alerts;
  g_clear_pointer (&to->privacy_at, g_date_time_unref);
  if (from->privacy_at != NULL)
    to->privacy_at = g_date_time_ref (from->privacy_at);
  push_mapping_assign (to->mapping, from->mapping);
}

PushDestination *
push_destination_copy (PushDestination *self)
{
  PushDestination *copy;

  g_return_val_if_fail (PUSH_IS_DESTINATION (self), NULL);

  copy = push_destination_new_with_id (self->id);
  copy_settings (copy, self);
  return copy;
}

PushDestination *
push_destination_duplicate (PushDestination *self)
{
  PushDestination *copy;

  g_return_val_if_fail (PUSH_IS_DESTINATION (self), NULL);

  copy = push_destination_new ();
  copy_settings (copy, self);
  return copy;
}

static gboolean
date_time_equal0 (GDateTime *a,
                  GDateTime *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_date_time_equal (a, b);
}

gboolean
push_destination_equal (PushDestination *a,
                        PushDestination *b)
{
  g_return_val_if_fail (PUSH_IS_DESTINATION (a), FALSE);
  g_return_val_if_fail (PUSH_IS_DESTINATION (b), FALSE);

  return g_str_equal (a->id, b->id) &&
         g_str_equal (a->name, b->name) &&
         g_str_equal (a->description, b->description) &&
         g_str_equal (a->account_id, b->account_id) &&
         a->sync_type == b->sync_type &&
         a->person_action == b->person_action &&
         g_str_equal (a->partition, b->partition) &&
         a->list_kind == b->list_kind &&
         a->list_id == b->list_id &&
         g_str_equal (a->list_name, b->list_name) &&
         g_str_equal (a->list_name_template, b->list_name_template) &&
         a->list_clash_policy == b->list_clash_policy &&
         a->list_folder_id == b->list_folder_id &&
         g_str_equal (a->list_folder_type, b->list_folder_type) &&
         g_str_equal (a->list_folder_name, b->list_folder_name) &&
         a->alerts == b->alerts &&
         date_time_equal0 (a->privacy_at, b->privacy_at) &&
         push_mapping_equal (a->mapping, b->mapping);
}

const char *
push_destination_get_id (PushDestination *self)
{
  g_return_val_if_fail (PUSH_IS_DESTINATION (self), NULL);
  return self->id;
}

const char *
push_destination_get_name (PushDestination *self)
{
  g_return_val_if_fail (PUSH_IS_DESTINATION (self), NULL);
  return self->name;
}

void
push_destination_set_name (PushDestination *self,
                           const char      *name)
{
  g_return_if_fail (PUSH_IS_DESTINATION (self));

  if (replace_string (&self->name, name, TRUE))
    notify_changed (self, PROP_NAME);
}

const char *
push_destination_get_description (PushDestination *self)
{
  g_return_val_if_fail (PUSH_IS_DESTINATION (self), NULL);
  return self->description;
}

void
push_destination_set_description (PushDestination *self,
                                  const char      *description)
{
  g_return_if_fail (PUSH_IS_DESTINATION (self));

  if (replace_string (&self->description, description, FALSE))
    notify_changed (self, PROP_DESCRIPTION);
}

const char *
push_destination_get_account_id (PushDestination *self)
{
  g_return_val_if_fail (PUSH_IS_DESTINATION (self), NULL);
  return self->account_id;
}

void
push_destination_set_account_id (PushDestination *self,
                                 const char      *account_id)
{
  g_return_if_fail (PUSH_IS_DESTINATION (self));

  if (replace_string (&self->account_id, account_id, TRUE))
    notify_changed (self, PROP_ACCOUNT_ID);
}

PushSyncType
push_destination_get_sync_type (PushDestination *self)
{
  g_return_val_if_fail (PUSH_IS_DESTINATION (self), PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE);
  return self->sync_type;
}

void
push_destination_set_sync_type (PushDestination *self,
                                PushSyncType     sync_type)
{
  g_return_if_fail (PUSH_IS_DESTINATION (self));
  g_return_if_fail (sync_type <= PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE);

  if (self->sync_type == sync_type)
    return;
  self->sync_type = sync_type;
  notify_changed (self, PROP_SYNC_TYPE);
}

PushPersonAction
push_destination_get_person_action (PushDestination *self)
{
  g_return_val_if_fail (PUSH_IS_DESTINATION (self), PUSH_PERSON_ACTION_UPDATE_ONLY);
  return self->person_action;
}

void
push_destination_set_person_action (PushDestination  *self,
                                    PushPersonAction  action)
{
  g_return_if_fail (PUSH_IS_DESTINATION (self));
  g_return_if_fail (action <= PUSH_PERSON_ACTION_CREATE_OR_UPDATE);

  if (self->person_action == action)
    return;
  self->person_action = action;
  notify_changed (self, PROP_PERSON_ACTION);
}

const char *
push_destination_get_partition (PushDestination *self)
{
  g_return_val_if_fail (PUSH_IS_DESTINATION (self), NULL);
  return self->partition;
}

void
push_destination_set_partition (PushDestination *self,
                                const char      *partition)
{
  g_return_if_fail (PUSH_IS_DESTINATION (self));

  if (replace_string (&self->partition, partition, TRUE))
    notify_changed (self, PROP_PARTITION);
}

const char *
push_destination_get_effective_partition (PushDestination *self)
{
  g_return_val_if_fail (PUSH_IS_DESTINATION (self), NULL);

  return *self->partition != '\0' ? self->partition : PUSH_DESTINATION_DEFAULT_PARTITION;
}

const char *
push_destination_get_dedupe_field (PushDestination *self)
{
  g_return_val_if_fail (PUSH_IS_DESTINATION (self), NULL);
  return push_mapping_get_identity_field (self->mapping);
}

void
push_destination_set_dedupe_field (PushDestination *self,
                                   const char      *field)
{
  g_autofree char *trimmed = NULL;

  g_return_if_fail (PUSH_IS_DESTINATION (self));

  /* The mapping notifies and emits "changed"; both are forwarded. */
  trimmed = g_strstrip (g_strdup (field != NULL ? field : ""));
  push_mapping_set_identity_field (self->mapping, trimmed);
}

PushListTargetKind
push_destination_get_list_target_kind (PushDestination *self)
{
  g_return_val_if_fail (PUSH_IS_DESTINATION (self), PUSH_LIST_TARGET_NONE);
  return self->list_kind;
}

void
push_destination_set_list_target_kind (PushDestination    *self,
                                       PushListTargetKind  kind)
{
  g_return_if_fail (PUSH_IS_DESTINATION (self));
  g_return_if_fail (kind <= PUSH_LIST_TARGET_CREATE_PER_AUDIENCE);

  if (self->list_kind == kind)
    return;
  self->list_kind = kind;
  notify_changed (self, PROP_LIST_TARGET_KIND);
}

gint64
push_destination_get_list_id (PushDestination *self)
{
  g_return_val_if_fail (PUSH_IS_DESTINATION (self), 0);
  return self->list_id;
}

const char *
push_destination_get_list_name (PushDestination *self)
{
  g_return_val_if_fail (PUSH_IS_DESTINATION (self), NULL);
  return self->list_name;
}

void
push_destination_set_existing_list (PushDestination *self,
                                    gint64           list_id,
                                    const char      *list_name)
{
  gboolean id_changed, name_changed;

  g_return_if_fail (PUSH_IS_DESTINATION (self));
  g_return_if_fail (list_id >= 0);

  id_changed = self->list_id != list_id;
  self->list_id = list_id;
  name_changed = replace_string (&self->list_name, list_name, FALSE);
  if (!id_changed && !name_changed)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  if (id_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIST_ID]);
  if (name_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIST_NAME]);
  g_object_thaw_notify (G_OBJECT (self));
  emit_changed (self);
}

const char *
push_destination_get_list_name_template (PushDestination *self)
{
  g_return_val_if_fail (PUSH_IS_DESTINATION (self), NULL);
  return self->list_name_template;
}

void
push_destination_set_list_name_template (PushDestination *self,
                                         const char      *name_template)
{
  g_return_if_fail (PUSH_IS_DESTINATION (self));

  if (replace_string (&self->list_name_template, name_template, FALSE))
    notify_changed (self, PROP_LIST_NAME_TEMPLATE);
}

PushListClashPolicy
push_destination_get_list_clash_policy (PushDestination *self)
{
  g_return_val_if_fail (PUSH_IS_DESTINATION (self), PUSH_LIST_CLASH_REUSE);
  return self->list_clash_policy;
}

void
push_destination_set_list_clash_policy (PushDestination     *self,
                                        PushListClashPolicy  policy)
{
  g_return_if_fail (PUSH_IS_DESTINATION (self));
  g_return_if_fail (policy <= PUSH_LIST_CLASH_FAIL);

  if (self->list_clash_policy == policy)
    return;
  self->list_clash_policy = policy;
  notify_changed (self, PROP_LIST_CLASH_POLICY);
}

gint64
push_destination_get_list_folder_id (PushDestination *self)
{
  g_return_val_if_fail (PUSH_IS_DESTINATION (self), 0);
  return self->list_folder_id;
}

const char *
push_destination_get_list_folder_type (PushDestination *self)
{
  g_return_val_if_fail (PUSH_IS_DESTINATION (self), NULL);
  return self->list_folder_type;
}

const char *
push_destination_get_list_folder_name (PushDestination *self)
{
  g_return_val_if_fail (PUSH_IS_DESTINATION (self), NULL);
  return self->list_folder_name;
}

static gboolean
folder_type_is_valid (const char *folder_type)
{
  return folder_type == NULL || *folder_type == '\0' ||
         g_str_equal (folder_type, "Folder") || g_str_equal (folder_type, "Program");
}

void
push_destination_set_list_folder (PushDestination *self,
                                  gint64           folder_id,
                                  const char      *folder_type,
                                  const char      *folder_name)
{
  gboolean id_changed, type_changed, name_changed;

  g_return_if_fail (PUSH_IS_DESTINATION (self));
  g_return_if_fail (folder_id >= 0);
  g_return_if_fail (folder_type_is_valid (folder_type));

  if (folder_id == 0)
    folder_type = folder_name = "";
  else if (folder_type == NULL || *folder_type == '\0')
    folder_type = "Folder";

  id_changed = self->list_folder_id != folder_id;
  self->list_folder_id = folder_id;
  type_changed = replace_string (&self->list_folder_type, folder_type, FALSE);
  name_changed = replace_string (&self->list_folder_name, folder_name, TRUE);
  if (!id_changed && !type_changed && !name_changed)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  if (id_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIST_FOLDER_ID]);
  if (type_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIST_FOLDER_TYPE]);
  if (name_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIST_FOLDER_NAME]);
  g_object_thaw_notify (G_OBJECT (self));
  emit_changed (self);
}

PushAlertFlags
push_destination_get_alerts (PushDestination *self)
{
  g_return_val_if_fail (PUSH_IS_DESTINATION (self), PUSH_ALERT_NONE);
  return self->alerts;
}

void
push_destination_set_alerts (PushDestination *self,
                             PushAlertFlags   alerts)
{
  g_return_if_fail (PUSH_IS_DESTINATION (self));
  g_return_if_fail ((alerts & ~PUSH_ALERT_ALL) == 0);

  if (self->alerts == alerts)
    return;
  self->alerts = alerts;
  notify_changed (self, PROP_ALERTS);
}

gboolean
push_destination_get_privacy_acknowledged (PushDestination *self)
{
  g_return_val_if_fail (PUSH_IS_DESTINATION (self), FALSE);
  return self->privacy_at != NULL;
}

void
push_destination_set_privacy_acknowledged (PushDestination *self,
                                           gboolean         acknowledged)
{
  g_autoptr(GDateTime) now = NULL;

  g_return_if_fail (PUSH_IS_DESTINATION (self));

  if ((self->privacy_at != NULL) == !!acknowledged)
    return;
  if (acknowledged)
    now = g_date_time_new_now_utc ();
  push_destination_set_privacy_acknowledged_at (self, now);
}

GDateTime *
push_destination_get_privacy_acknowledged_at (PushDestination *self)
{
  g_return_val_if_fail (PUSH_IS_DESTINATION (self), NULL);
  return self->privacy_at;
}

void
push_destination_set_privacy_acknowledged_at (PushDestination *self,
                                              GDateTime       *when)
{
  gboolean was_acknowledged;

  g_return_if_fail (PUSH_IS_DESTINATION (self));

  if (date_time_equal0 (self->privacy_at, when))
    return;

  was_acknowledged = self->privacy_at != NULL;
  g_clear_pointer (&self->privacy_at, g_date_time_unref);
  if (when != NULL)
    self->privacy_at = g_date_time_ref (when);

  g_object_freeze_notify (G_OBJECT (self));
  if (was_acknowledged != (self->privacy_at != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRIVACY_ACKNOWLEDGED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRIVACY_ACKNOWLEDGED_AT]);
  g_object_thaw_notify (G_OBJECT (self));
  emit_changed (self);
}

PushMapping *
push_destination_get_mapping (PushDestination *self)
{
  g_return_val_if_fail (PUSH_IS_DESTINATION (self), NULL);
  return self->mapping;
}

gboolean
push_destination_can_create_people (PushDestination *self)
{
  g_return_val_if_fail (PUSH_IS_DESTINATION (self), FALSE);

  return push_sync_type_updates_profiles (self->sync_type) &&
         self->person_action == PUSH_PERSON_ACTION_CREATE_OR_UPDATE;
}

/* ---- List name templates ---- */

/* Expands @name_template into @out (when not NULL). The values may be NULL when only checking.
 * Returns NULL on success, else the translated reason. */
static char *
expand_template (const char *name_template,
                 const char *audience,
                 const char *destination,
                 GDateTime  *when,
                 GString    *out)
{
  const char *p = name_template;

  while (*p != '\0')
    {
      if (p[0] == '{' && p[1] == '{')
        {
          if (out != NULL)
            g_string_append_c (out, '{');
          p += 2;
        }
      else if (p[0] == '}' && p[1] == '}')
        {
          if (out != NULL)
            g_string_append_c (out, '}');
          p += 2;
        }
      else if (p[0] == '}')
        {
          return g_strdup (_("The list name has a “}” without a matching “{”; write “}}” for a brace"));
        }
      else if (p[0] == '{')
        {
          const char *end = strchr (p + 1, '}');
          g_autofree char *name = NULL;

          if (end == NULL)
            return g_strdup (_("The list name has a “{” that is never closed; write “{{” for a brace"));

          name = g_strndup (p + 1, end - p - 1);
          if (g_str_equal (name, "audience"))
            {
              if (out != NULL && audience != NULL)
                g_string_append (out, audience);
            }
          else if (g_str_equal (name, "destination"))
            {
              if (out != NULL && destination != NULL)
                g_string_append (out, destination);
            }
          else if (g_str_equal (name, "date") || g_str_equal (name, "time"))
            {
              if (out != NULL && when != NULL)
                {
                  g_autofree char *text = NULL;

                  text = g_date_time_format (when, g_str_equal (name, "date") ? "%Y-%m-%d" : "%H:%M");
                  g_string_append (out, text);
                }
            }
          else
            {
              /* Translators: the first placeholder is what the user wrote between braces; keep
               * {audience}, {destination}, {date} and {time} as they are */
              return g_strdup_printf (_("The list name has an unknown placeholder “{%s}”; use {audience}, {destination}, {date} or {time}"),
                                      name);
            }
          p = end + 1;
        }
      else
        {
          const char *next = g_utf8_next_char (p);

          if (out != NULL)
            g_string_append_len (out, p, next - p);
          p = next;
        }
    }

  return NULL;
}

char *
push_destination_check_list_name_template (const char *name_template)
{
  g_autofree char *trimmed = NULL;

  trimmed = g_strstrip (g_strdup (name_template != NULL ? name_template : ""));
  if (*trimmed == '\0')
    return g_strdup (_("Enter a name for the new lists, for example “{audience} {date}”"));

  return expand_template (name_template, NULL, NULL, NULL, NULL);
}

char *
push_destination_expand_list_name (PushDestination  *self,
                                   const char       *audience_name,
                                   GDateTime        *when,
                                   GError          **error)
{
  g_autoptr(GString) out = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *reason = NULL;

  g_return_val_if_fail (PUSH_IS_DESTINATION (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  reason = push_destination_check_list_name_template (self->list_name_template);
  if (reason != NULL)
    {
      g_set_error_literal (error, PUSH_DESTINATION_ERROR, PUSH_DESTINATION_ERROR_INVALID_VALUE,
                           reason);
      return NULL;
    }

  if (when == NULL)
    when = now = g_date_time_new_now_local ();

  out = g_string_new (NULL);
  reason = expand_template (self->list_name_template, audience_name, self->name, when, out);
  g_assert (reason == NULL);
  g_strstrip (out->str);
  if (out->str[0] == '\0')
    {
      g_set_error_literal (error, PUSH_DESTINATION_ERROR, PUSH_DESTINATION_ERROR_INVALID_VALUE,
                           _("The list name comes out empty; add some text or another placeholder"));
      return NULL;
    }
  return g_strdup (out->str);
}

/* ---- Export ---- */

JsonNode *
push_destination_to_json (PushDestination *self,
                          const char      *account_name)
{
  g_autoptr(JsonBuilder) builder = NULL;

  g_return_val_if_fail (PUSH_IS_DESTINATION (self), NULL);

  builder = json_builder_new_immutable ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, PUSH_DESTINATION_FORMAT);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, PUSH_DESTINATION_FORMAT_VERSION);
  json_builder_set_member_name (builder, "generator");
  json_builder_add_string_value (builder, PACKAGE_NAME " " PACKAGE_VERSION);

  json_builder_set_member_name (builder, "destination");
  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, self->id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, self->name);
  json_builder_set_member_name (builder, "description");
  json_builder_add_string_value (builder, self->description);

  json_builder_set_member_name (builder, "account");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, self->account_id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, account_name != NULL ? account_name : "");
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "syncType");
  json_builder_add_string_value (builder, push_sync_type_to_string (self->sync_type));
  json_builder_set_member_name (builder, "personAction");
  json_builder_add_string_value (builder, push_person_action_to_string (self->person_action));
  json_builder_set_member_name (builder, "partition");
  json_builder_add_string_value (builder, self->partition);
  json_builder_set_member_name (builder, "dedupeField");
  json_builder_add_string_value (builder, push_mapping_get_identity_field (self->mapping));

  json_builder_set_member_name (builder, "list");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder,
                                 enum_to_nick (PUSH_TYPE_LIST_TARGET_KIND, self->list_kind));
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, self->list_id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, self->list_name);
  json_builder_set_member_name (builder, "nameTemplate");
  json_builder_add_string_value (builder, self->list_name_template);
  json_builder_set_member_name (builder, "onClash");
  json_builder_add_string_value (builder, enum_to_nick (PUSH_TYPE_LIST_CLASH_POLICY,
                                                        self->list_clash_policy));
  json_builder_set_member_name (builder, "folder");
  if (self->list_folder_id > 0)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, self->list_folder_id);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, self->list_folder_type);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, self->list_folder_name);
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "alerts");
  json_builder_begin_array (builder);
  {
    GFlagsClass *klass = g_type_class_ref (PUSH_TYPE_ALERT_FLAGS);

    for (guint i = 0; i < klass->n_values; i++)
      if (klass->values[i].value != 0 && (self->alerts & klass->values[i].value) != 0)
        json_builder_add_string_value (builder, klass->values[i].value_nick);
    g_type_class_unref (klass);
  }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "privacy");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "acknowledged");
  json_builder_add_boolean_value (builder, self->privacy_at != NULL);
  json_builder_set_member_name (builder, "acknowledgedAt");
  if (self->privacy_at != NULL)
    {
      g_autofree char *text = g_date_time_format_iso8601 (self->privacy_at);

      json_builder_add_string_value (builder, text);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "mapping");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "identityColumn");
  json_builder_add_string_value (builder, push_mapping_get_identity_column (self->mapping));
  json_builder_set_member_name (builder, "rows");
  json_builder_begin_array (builder);
  for (guint i = 0; i < push_mapping_get_n_rows (self->mapping); i++)
    {
      const PushMappingRow *row = push_mapping_get_row (self->mapping, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "column");
      json_builder_add_string_value (builder, row->column);
      json_builder_set_member_name (builder, "field");
      json_builder_add_string_value (builder, row->field);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  json_builder_end_object (builder);  /* destination */
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

char *
push_destination_export (PushDestination *self,
                         const char      *account_name,
                         gsize           *length)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonGenerator) generator = NULL;

  g_return_val_if_fail (PUSH_IS_DESTINATION (self), NULL);

  root = push_destination_to_json (self, account_name);
  generator = json_generator_new ();
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, length);
}

/* ---- Import ---- */

typedef enum {
  KIND_STRING,
  KIND_INT,
  KIND_BOOLEAN,
  KIND_OBJECT,
  KIND_ARRAY,
} MemberKind;

static const char *
member_kind_phrase (MemberKind kind)
{
  switch (kind)
    {
    case KIND_STRING:
      return _("a string");
    case KIND_INT:
      return _("a whole number");
    case KIND_BOOLEAN:
      return _("true or false");
    case KIND_OBJECT:
      return _("an object");
    case KIND_ARRAY:
      return _("an array");
    default:
      g_return_val_if_reached (NULL);
    }
}

static gboolean
node_is_kind (JsonNode   *node,
              MemberKind  kind)
{
  switch (kind)
    {
    case KIND_STRING:
      return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
    case KIND_INT:
      return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64;
    case KIND_BOOLEAN:
      return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN;
    case KIND_OBJECT:
      return JSON_NODE_HOLDS_OBJECT (node);
    case KIND_ARRAY:
      return JSON_NODE_HOLDS_ARRAY (node);
    default:
      g_return_val_if_reached (FALSE);
    }
}

static gboolean
check_kind (JsonNode    *node,
            const char  *path,
            MemberKind   kind,
            GError     **error)
{
  if (node_is_kind (node, kind))
    return TRUE;

  /* Translators: the first placeholder is a member path like “destination.list.kind”, the
   * second says what it must be, like “a string” */
  g_set_error (error, PUSH_DESTINATION_ERROR, PUSH_DESTINATION_ERROR_WRONG_TYPE,
               _("“%s” must be %s"), path, member_kind_phrase (kind));
  return FALSE;
}

/* Finds @name in @object (at @parent_path). A missing member (or null, for optional ones)
 * gives *out_node = NULL and TRUE when not @required. */
static gboolean
get_member (JsonObject  *object,
            const char  *parent_path,
            const char  *name,
            MemberKind   kind,
            gboolean     required,
            JsonNode   **out_node,
            GError     **error)
{
  g_autofree char *path = NULL;
  JsonNode *node;

  path = *parent_path != '\0' ? g_strconcat (parent_path, ".", name, NULL) : g_strdup (name);
  node = json_object_get_member (object, name);
  *out_node = NULL;

  if (node == NULL || (!required && JSON_NODE_HOLDS_NULL (node)))
    {
      if (!required)
        return TRUE;
      g_set_error (error, PUSH_DESTINATION_ERROR, PUSH_DESTINATION_ERROR_MISSING_MEMBER,
                   _("“%s” is missing"), path);
      return FALSE;
    }

  if (!check_kind (node, path, kind, error))
    return FALSE;
  *out_node = node;
  return TRUE;
}

static gboolean
get_string (JsonObject  *object,
            const char  *parent_path,
            const char  *name,
            gboolean     required,
            const char  *fallback,
            const char **out_value,
            GError     **error)
{
  JsonNode *node;

  if (!get_member (object, parent_path, name, KIND_STRING, required, &node, error))
    return FALSE;
  *out_value = node != NULL ? json_node_get_string (node) : fallback;
  return TRUE;
}

static gboolean
get_enum (JsonObject  *object,
          const char  *parent_path,
          const char  *name,
          GType        type,
          gboolean     required,
          int          fallback,
          int         *out_value,
          GError     **error)
{
  const char *nick;

  if (!get_string (object, parent_path, name, required, NULL, &nick, error))
    return FALSE;
  if (nick == NULL)
    {
      *out_value = fallback;
      return TRUE;
    }
  if (!enum_from_nick (type, nick, out_value))
    {
      g_autofree char *expected = enum_list_nicks (type);

      /* Translators: a member path, the value found, and the list of values allowed */
      g_set_error (error, PUSH_DESTINATION_ERROR, PUSH_DESTINATION_ERROR_UNKNOWN_VALUE,
                   _("“%s.%s” has an unknown value “%s” (expected one of: %s)"),
                   parent_path, name, nick, expected);
      return FALSE;
    }
  return TRUE;
}

/* "folder": null, or {"id": 12, "type": "Folder", "name": "Audiences"} (type and name
 * optional). */
static gboolean
read_list_folder (PushDestination  *self,
                  JsonObject       *folder,
                  GError          **error)
{
  const char *path = "destination.list.folder";
  const char *type, *name;
  JsonNode *node;
  gint64 folder_id;

  if (!get_member (folder, path, "id", KIND_INT, TRUE, &node, error))
    return FALSE;
  folder_id = json_node_get_int (node);
  if (folder_id <= 0)
    {
      g_set_error (error, PUSH_DESTINATION_ERROR, PUSH_DESTINATION_ERROR_INVALID_VALUE,
                   _("“%s” must be a positive number"), "destination.list.folder.id");
      return FALSE;
    }
  if (!get_string (folder, path, "type", FALSE, "Folder", &type, error) ||
      !get_string (folder, path, "name", FALSE, "", &name, error))
    return FALSE;
  if (!g_str_equal (type, "Folder") && !g_str_equal (type, "Program"))
    {
      /* Translators: a member path, the value found, and the list of values allowed */
      g_set_error (error, PUSH_DESTINATION_ERROR, PUSH_DESTINATION_ERROR_UNKNOWN_VALUE,
                   _("“%s.%s” has an unknown value “%s” (expected one of: %s)"),
                   path, "type", type, "Folder, Program");
      return FALSE;
    }
  push_destination_set_list_folder (self, folder_id, type, name);
  return TRUE;
}

static gboolean
read_list (PushDestination  *self,
           JsonObject       *list,
           GError          **error)
{
  const char *path = "destination.list";
  const char *name, *name_template;
  JsonNode *node;
  int kind, policy;
  gint64 list_id = 0;

  if (!get_enum (list, path, "kind", PUSH_TYPE_LIST_TARGET_KIND, TRUE, 0, &kind, error) ||
      !get_member (list, path, "id", KIND_INT, FALSE, &node, error))
    return FALSE;
  if (node != NULL)
    list_id = json_node_get_int (node);
  if (list_id < 0)
    {
      g_set_error (error, PUSH_DESTINATION_ERROR, PUSH_DESTINATION_ERROR_INVALID_VALUE,
                   _("“%s” must not be negative"), "destination.list.id");
      return FALSE;
    }
  if (!get_string (list, path, "name", FALSE, "", &name, error) ||
      !get_string (list, path, "nameTemplate", FALSE, PUSH_DESTINATION_DEFAULT_LIST_TEMPLATE,
                   &name_template, error) ||
      !get_enum (list, path, "onClash", PUSH_TYPE_LIST_CLASH_POLICY, FALSE,
                 PUSH_LIST_CLASH_REUSE, &policy, error))
    return FALSE;
  if (!get_member (list, path, "folder", KIND_OBJECT, FALSE, &node, error))
    return FALSE;
  if (node != NULL && !read_list_folder (self, json_node_get_object (node), error))
    return FALSE;

  push_destination_set_list_target_kind (self, kind);
  push_destination_set_existing_list (self, list_id, name);
  push_destination_set_list_name_template (self, name_template);
  push_destination_set_list_clash_policy (self, policy);
  return TRUE;
}

static gboolean
read_alerts (PushDestination  *self,
             JsonArray        *alerts,
             GError          **error)
{
  GFlagsClass *klass;
  guint flags = 0;

  for (guint i = 0; i < json_array_get_length (alerts); i++)
    {
      JsonNode *node = json_array_get_element (alerts, i);
      g_autofree char *path = g_strdup_printf ("destination.alerts[%u]", i);
      GFlagsValue *value;

      if (!check_kind (node, path, KIND_STRING, error))
        return FALSE;
      klass = g_type_class_ref (PUSH_TYPE_ALERT_FLAGS);
      value = g_flags_get_value_by_nick (klass, json_node_get_string (node));
      g_type_class_unref (klass);  /* the type's class stays alive: the type is static */
      if (value == NULL || value->value == 0)
        {
          g_autofree char *expected = enum_list_nicks (PUSH_TYPE_ALERT_FLAGS);

          g_set_error (error, PUSH_DESTINATION_ERROR, PUSH_DESTINATION_ERROR_UNKNOWN_VALUE,
                       _("“%s” has an unknown value “%s” (expected one of: %s)"),
                       path, json_node_get_string (node), expected);
          return FALSE;
        }
      flags |= value->value;
    }

  push_destination_set_alerts (self, flags);
  return TRUE;
}

static gboolean
read_privacy (PushDestination  *self,
              JsonObject       *privacy,
              GError          **error)
{
  const char *path = "destination.privacy";
  g_autoptr(GDateTime) when = NULL;
  const char *text;
  JsonNode *node;

  if (!get_member (privacy, path, "acknowledged", KIND_BOOLEAN, TRUE, &node, error))
    return FALSE;
  if (!json_node_get_boolean (node))
    {
      push_destination_set_privacy_acknowledged_at (self, NULL);
      return TRUE;
    }

  if (!get_string (privacy, path, "acknowledgedAt", TRUE, NULL, &text, error))
    return FALSE;
  when = g_date_time_new_from_iso8601 (text, NULL);
  if (when == NULL)
    {
      g_set_error (error, PUSH_DESTINATION_ERROR, PUSH_DESTINATION_ERROR_INVALID_VALUE,
                   _("“%s” is not an ISO 8601 date and time with a time zone"),
                   "destination.privacy.acknowledgedAt");
      return FALSE;
    }
  push_destination_set_privacy_acknowledged_at (self, when);
  return TRUE;
}

static gboolean
read_mapping (PushDestination  *self,
              JsonObject       *object,
              GError          **error)
{
  const char *path = "destination.mapping";
  g_autoptr(PushMapping) mapping = push_mapping_new ();
  const char *identity_column;
  JsonNode *rows_node;
  JsonArray *rows;

  if (!get_string (object, path, "identityColumn", TRUE, NULL, &identity_column, error) ||
      !get_member (object, path, "rows", KIND_ARRAY, FALSE, &rows_node, error))
    return FALSE;

  push_mapping_set_identity_field (mapping, push_destination_get_dedupe_field (self));
  push_mapping_set_identity_column (mapping, identity_column);

  rows = rows_node != NULL ? json_node_get_array (rows_node) : NULL;
  for (guint i = 0; rows != NULL && i < json_array_get_length (rows); i++)
    {
      g_autofree char *row_path = g_strdup_printf ("%s.rows[%u]", path, i);
      JsonNode *node = json_array_get_element (rows, i);
      const char *column, *field;
      JsonObject *row;

      if (!check_kind (node, row_path, KIND_OBJECT, error))
        return FALSE;
      row = json_node_get_object (node);
      if (!get_string (row, row_path, "column", TRUE, NULL, &column, error) ||
          !get_string (row, row_path, "field", TRUE, NULL, &field, error))
        return FALSE;
      push_mapping_add_row (mapping, column, field);
    }

  push_mapping_assign (self->mapping, mapping);
  return TRUE;
}

PushDestination *
push_destination_new_from_json (JsonNode  *root,
                                char     **out_account_name,
                                GError   **error)
{
  g_autoptr(PushDestination) self = NULL;
  JsonObject *document, *destination, *account;
  const char *format, *id, *name, *description, *account_id, *account_name, *partition;
  const char *dedupe_field;
  JsonNode *node;
  gint64 version;
  int sync_type, person_action;

  g_return_val_if_fail (root != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, PUSH_DESTINATION_ERROR, PUSH_DESTINATION_ERROR_WRONG_FORMAT,
                   _("This is not an Audience Push destination: the document is not a JSON object"));
      return NULL;
    }
  document = json_node_get_object (root);

  node = json_object_get_member (document, "format");
  format = (node != NULL && node_is_kind (node, KIND_STRING)) ? json_node_get_string (node) : NULL;
  if (g_strcmp0 (format, PUSH_DESTINATION_FORMAT) != 0)
    {
      g_set_error (error, PUSH_DESTINATION_ERROR, PUSH_DESTINATION_ERROR_WRONG_FORMAT,
                   _("This is not an Audience Push destination: “format” is not “%s”"),
                   PUSH_DESTINATION_FORMAT);
      return NULL;
    }

  if (!get_member (document, "", "version", KIND_INT, TRUE, &node, error))
    return NULL;
  version = json_node_get_int (node);
  if (version != PUSH_DESTINATION_FORMAT_VERSION)
    {
      g_set_error (error, PUSH_DESTINATION_ERROR, PUSH_DESTINATION_ERROR_UNSUPPORTED_VERSION,
                   _("This destination uses version %" G_GINT64_FORMAT " of the format; this version of Audience Push reads version %d"),
                   version, PUSH_DESTINATION_FORMAT_VERSION);
      return NULL;
    }

  if (!get_member (document, "", "destination", KIND_OBJECT, TRUE, &node, error))
    return NULL;
  destination = json_node_get_object (node);

  if (!get_string (destination, "destination", "id", TRUE, NULL, &id, error))
    return NULL;
  if (!g_uuid_string_is_valid (id))
    {
      g_set_error (error, PUSH_DESTINATION_ERROR, PUSH_DESTINATION_ERROR_INVALID_VALUE,
                   _("“%s” is not a UUID"), "destination.id");
      return NULL;
    }

  if (!get_string (destination, "destination", "name", TRUE, NULL, &name, error) ||
      !get_string (destination, "destination", "description", FALSE, "", &description, error) ||
      !get_member (destination, "destination", "account", KIND_OBJECT, TRUE, &node, error))
    return NULL;
  account = json_node_get_object (node);
  if (!get_string (account, "destination.account", "id", TRUE, NULL, &account_id, error) ||
      !get_string (account, "destination.account", "name", FALSE, "", &account_name, error) ||
      !get_enum (destination, "destination", "syncType", PUSH_TYPE_SYNC_TYPE, TRUE, 0,
                 &sync_type, error) ||
      !get_enum (destination, "destination", "personAction", PUSH_TYPE_PERSON_ACTION, FALSE,
                 PUSH_PERSON_ACTION_CREATE_OR_UPDATE, &person_action, error) ||
      !get_string (destination, "destination", "partition", FALSE, "", &partition, error) ||
      !get_string (destination, "destination", "dedupeField", TRUE, NULL, &dedupe_field, error))
    return NULL;

  self = push_destination_new_with_id (id);
  push_destination_set_name (self, name);
  push_destination_set_description (self, description);
  push_destination_set_account_id (self, account_id);
  push_destination_set_sync_type (self, sync_type);
  push_destination_set_person_action (self, person_action);
  push_destination_set_partition (self, partition);
  push_destination_set_dedupe_field (self, dedupe_field);

  if (!get_member (destination, "destination", "list", KIND_OBJECT, FALSE, &node, error))
    return NULL;
  if (node != NULL)
    {
      if (!read_list (self, json_node_get_object (node), error))
        return NULL;
    }
  else
    push_destination_set_list_target_kind (self, PUSH_LIST_TARGET_NONE);

  if (!get_member (destination, "destination", "alerts", KIND_ARRAY, FALSE, &node, error))
    return NULL;
  if (node != NULL)
    {
      if (!read_alerts (self, json_node_get_array (node), error))
        return NULL;
    }
  else
    push_destination_set_alerts (self, PUSH_ALERT_NONE);

  if (!get_member (destination, "destination", "privacy", KIND_OBJECT, FALSE, &node, error))
    return NULL;
  if (node != NULL && !read_privacy (self, json_node_get_object (node), error))
    return NULL;

  if (!get_member (destination, "destination", "mapping", KIND_OBJECT, TRUE, &node, error) ||
      !read_mapping (self, json_node_get_object (node), error))
    return NULL;

  if (out_account_name != NULL)
    *out_account_name = g_strdup (account_name);
  return g_steal_pointer (&self);
}

PushDestination *
push_destination_import (const char  *data,
                         gssize       length,
                         char       **out_account_name,
                         GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length < 0)
    length = strlen (data);
  if (!g_utf8_validate_len (data, length, NULL))
    {
      g_set_error_literal (error, PUSH_DESTINATION_ERROR, PUSH_DESTINATION_ERROR_INVALID_JSON,
                           _("The destination file is not UTF-8 text"));
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_set_error (error, PUSH_DESTINATION_ERROR, PUSH_DESTINATION_ERROR_INVALID_JSON,
                   _("The destination file is not valid JSON: %s"), local_error->message);
      return NULL;
    }
  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error_literal (error, PUSH_DESTINATION_ERROR, PUSH_DESTINATION_ERROR_INVALID_JSON,
                           _("The destination file is empty"));
      return NULL;
    }

  return push_destination_new_from_json (json_parser_get_root (parser), out_account_name, error);
}
