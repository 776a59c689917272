/* push-account.h: a Marketo instance the user sends audiences to
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CONTRACT (set by the skeleton; the model's owner grows it). The client secret is never a
 * property of this object: it lives only in the keyring (see push-secrets.h).
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Limits of the per-account pacing settings (what the checks below accept). */
#define PUSH_ACCOUNT_RATE_CALLS_MIN            1
#define PUSH_ACCOUNT_RATE_CALLS_MAX          100
#define PUSH_ACCOUNT_RATE_WINDOW_MIN           1
#define PUSH_ACCOUNT_RATE_WINDOW_MAX        3600
#define PUSH_ACCOUNT_MAX_CONCURRENCY_MIN       1
#define PUSH_ACCOUNT_MAX_CONCURRENCY_MAX      10
#define PUSH_ACCOUNT_DAILY_QUOTA_MIN           1
#define PUSH_ACCOUNT_DAILY_QUOTA_MAX    10000000
#define PUSH_ACCOUNT_NAME_MAX_CHARS          100

/* What push_account_validate() (and PushAccounts) report; the message is the sentence of
 * the failing push_account_check_*(), the code says which field to highlight. */
#define PUSH_ACCOUNT_ERROR (push_account_error_quark ())
typedef enum {
  PUSH_ACCOUNT_ERROR_INVALID_NAME,
  PUSH_ACCOUNT_ERROR_NAME_TAKEN,
  PUSH_ACCOUNT_ERROR_INVALID_MUNCHKIN_ID,
  PUSH_ACCOUNT_ERROR_INVALID_ENDPOINT,
  PUSH_ACCOUNT_ERROR_INVALID_CLIENT_ID,
  PUSH_ACCOUNT_ERROR_INVALID_CLIENT_SECRET,
  PUSH_ACCOUNT_ERROR_INVALID_LIMIT,
} PushAccountError;
GQuark       push_account_error_quark         (void);

#define PUSH_ACCOUNT_DEFAULT_RATE_CALLS       50
#define PUSH_ACCOUNT_DEFAULT_RATE_WINDOW      20
#define PUSH_ACCOUNT_DEFAULT_MAX_CONCURRENCY   5
#define PUSH_ACCOUNT_DEFAULT_DAILY_QUOTA   50000

#define PUSH_TYPE_ACCOUNT (push_account_get_type ())
G_DECLARE_FINAL_TYPE (PushAccount, push_account, PUSH, ACCOUNT, GObject)

/* A new account with a fresh id (a UUID) and default limits. */
PushAccount *push_account_new                 (void);
/* An account with a known id (loading from the database). */
PushAccount *push_account_new_with_id         (const char  *id);
/* Same id, same fields: an editable copy. */
PushAccount *push_account_copy                (PushAccount *self);

/* Setters normalise: the name and the client id are trimmed, the Munchkin ID is trimmed and
 * upper-cased, the endpoint goes through push_account_normalize_endpoint(). They do not
 * validate: push_account_validate() does.
 *
 * Properties: "id" (construct-only), "name", "munchkin-id", "endpoint", "client-id",
 * "is-sandbox", "rate-calls", "rate-window", "max-concurrency", "daily-quota". */
const char  *push_account_get_id              (PushAccount *self);
const char  *push_account_get_name            (PushAccount *self);
void         push_account_set_name            (PushAccount *self, const char *name);
const char  *push_account_get_munchkin_id     (PushAccount *self);
void         push_account_set_munchkin_id     (PushAccount *self, const char *munchkin_id);
const char  *push_account_get_endpoint        (PushAccount *self);
void         push_account_set_endpoint        (PushAccount *self, const char *endpoint);
const char  *push_account_get_client_id       (PushAccount *self);
void         push_account_set_client_id       (PushAccount *self, const char *client_id);
gboolean     push_account_get_is_sandbox      (PushAccount *self);
void         push_account_set_is_sandbox      (PushAccount *self, gboolean is_sandbox);
guint        push_account_get_rate_calls      (PushAccount *self);
void         push_account_set_rate_calls      (PushAccount *self, guint calls);
guint        push_account_get_rate_window     (PushAccount *self);
void         push_account_set_rate_window     (PushAccount *self, guint seconds);
guint        push_account_get_max_concurrency (PushAccount *self);
void         push_account_set_max_concurrency (PushAccount *self, guint calls);
guint        push_account_get_daily_quota     (PushAccount *self);
void         push_account_set_daily_quota     (PushAccount *self, guint calls);

/* Field checks, shared by the UI's live validation and the CLI. Each returns NULL when the
 * value is acceptable, else a translated sentence saying what is wrong. */
char        *push_account_check_name          (const char         *name,
                                               const char * const *names_taken);
char        *push_account_check_munchkin_id   (const char         *munchkin_id);  /* NNN-AAA-NNN */
char        *push_account_check_endpoint      (const char         *endpoint);     /* https unless loopback */
char        *push_account_check_client_id     (const char         *client_id);
char        *push_account_check_client_secret (const char         *client_secret);

char        *push_account_check_rate_calls    (guint               calls);
char        *push_account_check_rate_window   (guint               seconds);
char        *push_account_check_max_concurrency (guint             calls);
char        *push_account_check_daily_quota   (guint               calls);

/* Every check above on @self (with the name checked against @names_taken, which may be
 * NULL), and on @client_secret unless it is NULL. PUSH_ACCOUNT_ERROR on the first failure. */
gboolean     push_account_validate            (PushAccount        *self,
                                               const char * const *names_taken,
                                               const char         *client_secret,
                                               GError            **error);

/* "https://<MUNCHKIN>.mktorest.com"; NULL when @munchkin_id does not pass the check. */
char        *push_account_default_endpoint    (const char         *munchkin_id);
/* Strips white space, a trailing "/rest" or "/identity" and trailing slashes; adds
 * "https://" when no scheme was given ("123-abc-456.mktorest.com/rest"). */
char        *push_account_normalize_endpoint  (const char         *endpoint);
/* Trimmed and upper-cased; NULL stays NULL. */
char        *push_account_normalize_munchkin_id (const char       *munchkin_id);
/* TRUE when two account names count as the same (trimmed, NFKC, case-folded). */
gboolean     push_account_name_equal          (const char         *a,
                                               const char         *b);
/* Sort order of account names (case-insensitive, locale collation). */
int          push_account_name_compare        (const char         *a,
                                               const char         *b);
/* TRUE for "localhost", 127.0.0.0/8 and ::1 (the hosts where plain http is allowed). */
gboolean     push_account_host_is_loopback    (const char         *host);

G_END_DECLS
