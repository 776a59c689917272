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

#define PUSH_ACCOUNT_DEFAULT_RATE_CALLS       50
#define PUSH_ACCOUNT_DEFAULT_RATE_WINDOW      20
#define PUSH_ACCOUNT_DEFAULT_MAX_CONCURRENCY   5
#define PUSH_ACCOUNT_DEFAULT_DAILY_QUOTA   50000

#define PUSH_TYPE_ACCOUNT (push_account_get_type ())
G_DECLARE_FINAL_TYPE (PushAccount, push_account, PUSH, ACCOUNT, GObject)

/* A new account with a fresh id (a UUID) and default limits. */
PushAccount *push_account_new                 (void);
PushAccount *push_account_copy                (PushAccount *self);

/* Properties: "id" (construct-only), "name", "munchkin-id", "endpoint", "client-id",
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

/* "https://<munchkin>.mktorest.com" */
char        *push_account_default_endpoint    (const char         *munchkin_id);
/* Strips white space, a trailing "/rest" or "/identity" and trailing slashes. */
char        *push_account_normalize_endpoint  (const char         *endpoint);

G_END_DECLS
