/* push-account.c: a Marketo instance the user sends audiences to
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <gio/gio.h>

#include "push-account.h"

struct _PushAccount
{
  GObject parent_instance;

  char     *id;              /* (owned) construct-only */
  char     *name;            /* (owned) (nullable) */
  char     *munchkin_id;     /* (owned) (nullable) */
  char     *endpoint;        /* (owned) (nullable) */
  char     *client_id;       /* (owned) (nullable) */
  gboolean  is_sandbox;
  guint     rate_calls;
  guint     rate_window;
  guint     max_concurrency;
  guint     daily_quota;
};

G_DEFINE_FINAL_TYPE (PushAccount, push_account, G_TYPE_OBJECT)
G_DEFINE_QUARK (push-account-error-quark, push_account_error)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_MUNCHKIN_ID,
  PROP_ENDPOINT,
  PROP_CLIENT_ID,
  PROP_IS_SANDBOX,
  PROP_RATE_CALLS,
  PROP_RATE_WINDOW,
  PROP_MAX_CONCURRENCY,
  PROP_DAILY_QUOTA,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define CLIENT_ID_MIN_CHARS       8
#define CLIENT_ID_MAX_CHARS     128
#define CLIENT_SECRET_MAX_CHARS 1024

/* A trimmed copy (ASCII white space), or NULL for NULL. */
static char *
dup_trimmed (const char *value)
{
  if (value == NULL)
    return NULL;
  return g_strstrip (g_strdup (value));
}

static gboolean
has_white_space (const char *utf8)
{
  for (const char *p = utf8; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_isspace (g_utf8_get_char (p)))
      return TRUE;
  return FALSE;
}

static gboolean
has_control_chars (const char *utf8)
{
  for (const char *p = utf8; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return TRUE;
  return FALSE;
}

/* The form two names are compared in: NFKC, case-folded. */
static char *
name_key (const char *name)
{
  g_autofree char *trimmed = dup_trimmed (name);
  g_autofree char *normal = g_utf8_normalize (trimmed, -1, G_NORMALIZE_ALL_COMPOSE);

  return g_utf8_casefold (normal != NULL ? normal : trimmed, -1);
}

static gboolean
set_string (char       **field,
            char        *value /* (transfer full) */)
{
  if (g_strcmp0 (*field, value) == 0)
    {
      g_free (value);
      return FALSE;
    }
  g_free (*field);
  *field = value;
  return TRUE;
}

static void
push_account_finalize (GObject *object)
{
  PushAccount *self = PUSH_ACCOUNT (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->munchkin_id, g_free);
  g_clear_pointer (&self->endpoint, g_free);
  g_clear_pointer (&self->client_id, g_free);

  G_OBJECT_CLASS (push_account_parent_class)->finalize (object);
}

static void
push_account_constructed (GObject *object)
{
  PushAccount *self = PUSH_ACCOUNT (object);

  G_OBJECT_CLASS (push_account_parent_class)->constructed (object);

  if (self->id == NULL || *self->id == '\0')
    {
      g_free (self->id);
      self->id = g_uuid_string_random ();
    }
}

static void
push_account_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  PushAccount *self = PUSH_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_MUNCHKIN_ID:
      g_value_set_string (value, self->munchkin_id);
      break;
    case PROP_ENDPOINT:
      g_value_set_string (value, self->endpoint);
      break;
    case PROP_CLIENT_ID:
      g_value_set_string (value, self->client_id);
      break;
    case PROP_IS_SANDBOX:
      g_value_set_boolean (value, self->is_sandbox);
      break;
    case PROP_RATE_CALLS:
      g_value_set_uint (value, self->rate_calls);
      break;
    case PROP_RATE_WINDOW:
      g_value_set_uint (value, self->rate_window);
      break;
    case PROP_MAX_CONCURRENCY:
      g_value_set_uint (value, self->max_concurrency);
      break;
    case PROP_DAILY_QUOTA:
      g_value_set_uint (value, self->daily_quota);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
push_account_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  PushAccount *self = PUSH_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;
    case PROP_NAME:
      push_account_set_name (self, g_value_get_string (value));
      break;
    case PROP_MUNCHKIN_ID:
      push_account_set_munchkin_id (self, g_value_get_string (value));
      break;
    case PROP_ENDPOINT:
      push_account_set_endpoint (self, g_value_get_string (value));
      break;
    case PROP_CLIENT_ID:
      push_account_set_client_id (self, g_value_get_string (value));
      break;
    case PROP_IS_SANDBOX:
      push_account_set_is_sandbox (self, g_value_get_boolean (value));
      break;
    case PROP_RATE_CALLS:
      push_account_set_rate_calls (self, g_value_get_uint (value));
      break;
    case PROP_RATE_WINDOW:
      push_account_set_rate_window (self, g_value_get_uint (value));
      break;
    case PROP_MAX_CONCURRENCY:
      push_account_set_max_concurrency (self, g_value_get_uint (value));
      break;
    case PROP_DAILY_QUOTA:
      push_account_set_daily_quota (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
push_account_class_init (PushAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = push_account_finalize;
  object_class->constructed = push_account_constructed;
  object_class->get_property = push_account_get_property;
  object_class->set_property = push_account_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, rw);
  properties[PROP_MUNCHKIN_ID] = g_param_spec_string ("munchkin-id", NULL, NULL, NULL, rw);
  properties[PROP_ENDPOINT] = g_param_spec_string ("endpoint", NULL, NULL, NULL, rw);
  properties[PROP_CLIENT_ID] = g_param_spec_string ("client-id", NULL, NULL, NULL, rw);
  properties[PROP_IS_SANDBOX] = g_param_spec_boolean ("is-sandbox", NULL, NULL, FALSE, rw);
  /* The ranges are left wide: the setters store any value and push_account_validate()
   * explains what is wrong, rather than g_object_set() warning and dropping it. */
  properties[PROP_RATE_CALLS] =
    g_param_spec_uint ("rate-calls", NULL, NULL, 0, G_MAXUINT,
                       PUSH_ACCOUNT_DEFAULT_RATE_CALLS, rw);
  properties[PROP_RATE_WINDOW] =
    g_param_spec_uint ("rate-window", NULL, NULL, 0, G_MAXUINT,
                       PUSH_ACCOUNT_DEFAULT_RATE_WINDOW, rw);
  properties[PROP_MAX_CONCURRENCY] =
    g_param_spec_uint ("max-concurrency", NULL, NULL, 0, G_MAXUINT,
                       PUSH_ACCOUNT_DEFAULT_MAX_CONCURRENCY, rw);
  properties[PROP_DAILY_QUOTA] =
    g_param_spec_uint ("daily-quota", NULL, NULL, 0, G_MAXUINT,
                       PUSH_ACCOUNT_DEFAULT_DAILY_QUOTA, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
push_account_init (PushAccount *self)
{
  self->rate_calls = PUSH_ACCOUNT_DEFAULT_RATE_CALLS;
  self->rate_window = PUSH_ACCOUNT_DEFAULT_RATE_WINDOW;
  self->max_concurrency = PUSH_ACCOUNT_DEFAULT_MAX_CONCURRENCY;
  self->daily_quota = PUSH_ACCOUNT_DEFAULT_DAILY_QUOTA;
}

PushAccount *
push_account_new (void)
{
  return g_object_new (PUSH_TYPE_ACCOUNT, NULL);
}

PushAccount *
push_account_new_with_id (const char *id)
{
  g_return_val_if_fail (id != NULL && *id != '\0', NULL);

  return g_object_new (PUSH_TYPE_ACCOUNT, "id", id, NULL);
}

PushAccount *
push_account_copy (PushAccount *self)
{
  PushAccount *copy;

  g_return_val_if_fail (PUSH_IS_ACCOUNT (self), NULL);

  copy = push_account_new_with_id (self->id);
  copy->name = g_strdup (self->name);
  copy->munchkin_id = g_strdup (self->munchkin_id);
  copy->endpoint = g_strdup (self->endpoint);
  copy->client_id = g_strdup (self->client_id);
  copy->is_sandbox = self->is_sandbox;
  copy->rate_calls = self->rate_calls;
  copy->rate_window = self->rate_window;
  copy->max_concurrency = self->max_concurrency;
  copy->daily_quota = self->daily_quota;

  return copy;
}

const char *
push_account_get_id (PushAccount *self)
{
  g_return_val_if_fail (PUSH_IS_ACCOUNT (self), NULL);
  return self->id;
}

const char *
push_account_get_name (PushAccount *self)
{
  g_return_val_if_fail (PUSH_IS_ACCOUNT (self), NULL);
  return self->name;
}

void
push_account_set_name (PushAccount *self,
                       const char  *name)
{
  g_return_if_fail (PUSH_IS_ACCOUNT (self));

  if (set_string (&self->name, dup_trimmed (name)))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

const char *
push_account_get_munchkin_id (PushAccount *self)
{
  g_return_val_if_fail (PUSH_IS_ACCOUNT (self), NULL);
  return self->munchkin_id;
}

void
push_account_set_munchkin_id (PushAccount *self,
                              const char  *munchkin_id)
{
  g_return_if_fail (PUSH_IS_ACCOUNT (self));

  if (set_string (&self->munchkin_id, push_account_normalize_munchkin_id (munchkin_id)))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MUNCHKIN_ID]);
}

const char *
push_account_get_endpoint (PushAccount *self)
{
  g_return_val_if_fail (PUSH_IS_ACCOUNT (self), NULL);
  return self->endpoint;
}

void
push_account_set_endpoint (PushAccount *self,
                           const char  *endpoint)
{
  g_return_if_fail (PUSH_IS_ACCOUNT (self));

  if (set_string (&self->endpoint, push_account_normalize_endpoint (endpoint)))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENDPOINT]);
}

const char *
push_account_get_client_id (PushAccount *self)
{
  g_return_val_if_fail (PUSH_IS_ACCOUNT (self), NULL);
  return self->client_id;
}

void
push_account_set_client_id (PushAccount *self,
                            const char  *client_id)
{
  g_return_if_fail (PUSH_IS_ACCOUNT (self));

  if (set_string (&self->client_id, dup_trimmed (client_id)))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT_ID]);
}

gboolean
push_account_get_is_sandbox (PushAccount *self)
{
  g_return_val_if_fail (PUSH_IS_ACCOUNT (self), FALSE);
  return self->is_sandbox;
}

void
push_account_set_is_sandbox (PushAccount *self,
                             gboolean     is_sandbox)
{
  g_return_if_fail (PUSH_IS_ACCOUNT (self));

  is_sandbox = !!is_sandbox;
  if (self->is_sandbox == is_sandbox)
    return;
  self->is_sandbox = is_sandbox;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_SANDBOX]);
}

#define DEFINE_UINT_ACCESSORS(field, prop)                                   \
  guint                                                                     \
  push_account_get_##field (PushAccount *self)                              \
  {                                                                         \
    g_return_val_if_fail (PUSH_IS_ACCOUNT (self), 0);                       \
    return self->field;                                                     \
  }                                                                         \
                                                                            \
  void                                                                      \
  push_account_set_##field (PushAccount *self,                              \
                            guint        value)                             \
  {                                                                         \
    g_return_if_fail (PUSH_IS_ACCOUNT (self));                              \
    if (self->field == value)                                               \
      return;                                                               \
    self->field = value;                                                    \
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);           \
  }

DEFINE_UINT_ACCESSORS (rate_calls, PROP_RATE_CALLS)
DEFINE_UINT_ACCESSORS (rate_window, PROP_RATE_WINDOW)
DEFINE_UINT_ACCESSORS (max_concurrency, PROP_MAX_CONCURRENCY)
DEFINE_UINT_ACCESSORS (daily_quota, PROP_DAILY_QUOTA)

#undef DEFINE_UINT_ACCESSORS

/* Checks */

char *
push_account_check_name (const char         *name,
                         const char * const *names_taken)
{
  g_autofree char *trimmed = dup_trimmed (name);

  if (trimmed == NULL || *trimmed == '\0')
    return g_strdup (_("Enter a name for the account"));
  if (!g_utf8_validate (trimmed, -1, NULL))
    return g_strdup (_("The name is not valid text"));
  if (has_control_chars (trimmed))
    return g_strdup (_("The name must not contain control characters such as tabs or line breaks"));
  if (g_utf8_strlen (trimmed, -1) > PUSH_ACCOUNT_NAME_MAX_CHARS)
    return g_strdup_printf (_("The name is too long: use at most %d characters"),
                            PUSH_ACCOUNT_NAME_MAX_CHARS);

  if (names_taken == NULL)
    return NULL;

  for (guint i = 0; names_taken[i] != NULL; i++)
    if (push_account_name_equal (trimmed, names_taken[i]))
      /* Translators: %s is an account name */
      return g_strdup_printf (_("There is already an account named “%s”"), trimmed);

  return NULL;
}

gboolean
push_account_name_equal (const char *a,
                         const char *b)
{
  g_autofree char *key_a = NULL;
  g_autofree char *key_b = NULL;

  if (a == NULL || b == NULL)
    return a == b;
  if (!g_utf8_validate (a, -1, NULL) || !g_utf8_validate (b, -1, NULL))
    return g_strcmp0 (a, b) == 0;

  key_a = name_key (a);
  key_b = name_key (b);
  return g_strcmp0 (key_a, key_b) == 0;
}

int
push_account_name_compare (const char *a,
                           const char *b)
{
  g_autofree char *key_a = NULL;
  g_autofree char *key_b = NULL;

  if (a == NULL || b == NULL)
    return a == NULL ? (b == NULL ? 0 : -1) : 1;
  if (!g_utf8_validate (a, -1, NULL) || !g_utf8_validate (b, -1, NULL))
    return g_strcmp0 (a, b);

  key_a = name_key (a);
  key_b = name_key (b);
  return g_utf8_collate (key_a, key_b);
}

char *
push_account_normalize_munchkin_id (const char *munchkin_id)
{
  g_autofree char *trimmed = dup_trimmed (munchkin_id);

  if (trimmed == NULL)
    return NULL;
  return g_ascii_strup (trimmed, -1);
}

char *
push_account_check_munchkin_id (const char *munchkin_id)
{
  g_autofree char *value = push_account_normalize_munchkin_id (munchkin_id);
  gboolean ok;

  if (value == NULL || *value == '\0')
    return g_strdup (_("Enter the Munchkin ID, for example 123-ABC-456"));

  ok = strlen (value) == 11 && value[3] == '-' && value[7] == '-';
  for (guint i = 0; ok && i < 3; i++)
    ok = g_ascii_isdigit (value[i]) && g_ascii_isalpha (value[4 + i])
         && g_ascii_isdigit (value[8 + i]);

  if (!ok)
    return g_strdup (_("Munchkin ID looks like 123-ABC-456: three digits, three letters, "
                       "three digits"));
  return NULL;
}

gboolean
push_account_host_is_loopback (const char *host)
{
  g_autofree char *bare = NULL;
  g_autoptr(GInetAddress) address = NULL;
  gsize len;

  if (host == NULL || *host == '\0')
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  len = strlen (host);
  if (host[0] == '[' && host[len - 1] == ']')
    bare = g_strndup (host + 1, len - 2);
  else
    bare = g_strdup (host);

  address = g_inet_address_new_from_string (bare);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* Where the path of an absolute URL string starts (its length when there is none). */
static gsize
path_offset (const char *url)
{
  const char *authority = strstr (url, "://");
  const char *slash;

  if (authority == NULL)
    return 0;
  authority += 3;
  slash = strchr (authority, '/');
  return slash != NULL ? (gsize) (slash - url) : strlen (url);
}

static gboolean
strip_suffix (char       *url,
              const char *suffix)
{
  gsize len = strlen (url);
  gsize suffix_len = strlen (suffix);

  if (len < suffix_len || len - suffix_len < path_offset (url))
    return FALSE;
  if (g_ascii_strcasecmp (url + len - suffix_len, suffix) != 0)
    return FALSE;
  url[len - suffix_len] = '\0';
  return TRUE;
}

char *
push_account_normalize_endpoint (const char *endpoint)
{
  g_autofree char *value = dup_trimmed (endpoint);
  gboolean changed;

  if (value == NULL || *value == '\0')
    return g_steal_pointer (&value);

  /* "123-abc-456.mktorest.com/rest": a host without a scheme */
  if (strstr (value, "://") == NULL && g_uri_peek_scheme (value) == NULL)
    {
      char *with_scheme = g_strconcat ("https://", value, NULL);

      g_free (value);
      value = with_scheme;
    }

  do
    {
      gsize len = strlen (value);
      gsize path = path_offset (value);

      changed = FALSE;
      while (len > 0 && len > path && value[len - 1] == '/')
        {
          value[--len] = '\0';
          changed = TRUE;
        }
      if (strip_suffix (value, "/rest") || strip_suffix (value, "/identity"))
        changed = TRUE;
    }
  while (changed);

  return g_steal_pointer (&value);
}

char *
push_account_check_endpoint (const char *endpoint)
{
  g_autofree char *value = push_account_normalize_endpoint (endpoint);
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  if (value == NULL || *value == '\0')
    return g_strdup (_("Enter the REST endpoint, for example https://123-ABC-456.mktorest.com"));

  uri = g_uri_parse (value, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || has_white_space (value))
    return g_strdup (_("The endpoint is not a web address; it looks like "
                       "https://123-ABC-456.mktorest.com"));

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0)
    return g_strdup (_("The endpoint must start with https://"));
  if (host == NULL || *host == '\0')
    return g_strdup (_("The endpoint is not a web address; it looks like "
                       "https://123-ABC-456.mktorest.com"));
  if (g_uri_get_userinfo (uri) != NULL)
    return g_strdup (_("The endpoint must not contain a user name or password"));
  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    return g_strdup (_("The endpoint must not contain a “?” query or a “#” fragment"));
  if (g_ascii_strcasecmp (scheme, "http") == 0 && !push_account_host_is_loopback (host))
    return g_strdup (_("The endpoint must use https:// (plain http:// is only allowed for "
                       "this computer)"));

  return NULL;
}

char *
push_account_check_client_id (const char *client_id)
{
  g_autofree char *value = dup_trimmed (client_id);
  glong len;

  if (value == NULL || *value == '\0')
    return g_strdup (_("Enter the client ID (Marketo: Admin › LaunchPoint › View Details)"));
  if (!g_utf8_validate (value, -1, NULL))
    return g_strdup (_("The client ID is not valid text"));
  if (has_white_space (value))
    return g_strdup (_("The client ID must not contain spaces"));
  for (const char *p = value; *p != '\0'; p++)
    if (!g_ascii_isgraph (*p))
      return g_strdup (_("The client ID contains characters a Marketo client ID never has"));

  len = g_utf8_strlen (value, -1);
  if (len < CLIENT_ID_MIN_CHARS)
    return g_strdup (_("The client ID is too short; Marketo’s look like "
                       "01234567-89ab-cdef-0123-456789abcdef"));
  if (len > CLIENT_ID_MAX_CHARS)
    return g_strdup (_("The client ID is too long; Marketo’s look like "
                       "01234567-89ab-cdef-0123-456789abcdef"));
  return NULL;
}

char *
push_account_check_client_secret (const char *client_secret)
{
  g_autofree char *value = dup_trimmed (client_secret);
  char *message = NULL;

  if (value == NULL || *value == '\0')
    message = g_strdup (_("Enter the client secret (Marketo: Admin › LaunchPoint › View Details)"));
  else if (!g_utf8_validate (value, -1, NULL))
    message = g_strdup (_("The client secret is not valid text"));
  else if (has_white_space (value))
    message = g_strdup (_("The client secret must not contain spaces"));
  else if (strlen (value) > CLIENT_SECRET_MAX_CHARS)
    message = g_strdup (_("The client secret is too long"));

  if (value != NULL)
    explicit_bzero (value, strlen (value));
  return message;
}

char *
push_account_check_rate_calls (guint calls)
{
  if (calls < PUSH_ACCOUNT_RATE_CALLS_MIN || calls > PUSH_ACCOUNT_RATE_CALLS_MAX)
    return g_strdup_printf (_("Calls per window must be between %d and %d"),
                            PUSH_ACCOUNT_RATE_CALLS_MIN, PUSH_ACCOUNT_RATE_CALLS_MAX);
  return NULL;
}

char *
push_account_check_rate_window (guint seconds)
{
  if (seconds < PUSH_ACCOUNT_RATE_WINDOW_MIN || seconds > PUSH_ACCOUNT_RATE_WINDOW_MAX)
    return g_strdup_printf (_("The rate window must be between %d and %d seconds"),
                            PUSH_ACCOUNT_RATE_WINDOW_MIN, PUSH_ACCOUNT_RATE_WINDOW_MAX);
  return NULL;
}

char *
push_account_check_max_concurrency (guint calls)
{
  if (calls < PUSH_ACCOUNT_MAX_CONCURRENCY_MIN || calls > PUSH_ACCOUNT_MAX_CONCURRENCY_MAX)
    return g_strdup_printf (_("Calls at the same time must be between %d and %d"),
                            PUSH_ACCOUNT_MAX_CONCURRENCY_MIN, PUSH_ACCOUNT_MAX_CONCURRENCY_MAX);
  return NULL;
}

char *
push_account_check_daily_quota (guint calls)
{
  if (calls < PUSH_ACCOUNT_DAILY_QUOTA_MIN || calls > PUSH_ACCOUNT_DAILY_QUOTA_MAX)
    return g_strdup_printf (_("The daily quota must be between %d and %d calls"),
                            PUSH_ACCOUNT_DAILY_QUOTA_MIN, PUSH_ACCOUNT_DAILY_QUOTA_MAX);
  return NULL;
}

static gboolean
fail_with (GError **error,
           int      code,
           char    *message /* (transfer full) (nullable) */)
{
  if (message == NULL)
    return TRUE;
  g_set_error_literal (error, PUSH_ACCOUNT_ERROR, code, message);
  g_free (message);
  return FALSE;
}

gboolean
push_account_validate (PushAccount        *self,
                       const char * const *names_taken,
                       const char         *client_secret,
                       GError            **error)
{
  g_return_val_if_fail (PUSH_IS_ACCOUNT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!fail_with (error, PUSH_ACCOUNT_ERROR_INVALID_NAME,
                  push_account_check_name (self->name, NULL)) ||
      !fail_with (error, PUSH_ACCOUNT_ERROR_NAME_TAKEN,
                  push_account_check_name (self->name, names_taken)) ||
      !fail_with (error, PUSH_ACCOUNT_ERROR_INVALID_MUNCHKIN_ID,
                  push_account_check_munchkin_id (self->munchkin_id)) ||
      !fail_with (error, PUSH_ACCOUNT_ERROR_INVALID_ENDPOINT,
                  push_account_check_endpoint (self->endpoint)) ||
      !fail_with (error, PUSH_ACCOUNT_ERROR_INVALID_CLIENT_ID,
                  push_account_check_client_id (self->client_id)) ||
      (client_secret != NULL &&
       !fail_with (error, PUSH_ACCOUNT_ERROR_INVALID_CLIENT_SECRET,
                   push_account_check_client_secret (client_secret))) ||
      !fail_with (error, PUSH_ACCOUNT_ERROR_INVALID_LIMIT,
                  push_account_check_rate_calls (self->rate_calls)) ||
      !fail_with (error, PUSH_ACCOUNT_ERROR_INVALID_LIMIT,
                  push_account_check_rate_window (self->rate_window)) ||
      !fail_with (error, PUSH_ACCOUNT_ERROR_INVALID_LIMIT,
                  push_account_check_max_concurrency (self->max_concurrency)) ||
      !fail_with (error, PUSH_ACCOUNT_ERROR_INVALID_LIMIT,
                  push_account_check_daily_quota (self->daily_quota)))
    return FALSE;

  return TRUE;
}

char *
push_account_default_endpoint (const char *munchkin_id)
{
  g_autofree char *value = NULL;
  g_autofree char *problem = push_account_check_munchkin_id (munchkin_id);

  if (problem != NULL)
    return NULL;
  value = push_account_normalize_munchkin_id (munchkin_id);
  return g_strdup_printf ("https://%s.mktorest.com", value);
}
