/* push-cli-common.h: what every audience-push-cli command shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A command is a function that gets its own argv (argv[0] is the command's name) and the
 * "path" that names it in messages ("audience-push-cli accounts add"); it returns the process
 * exit status. Groups of commands ("accounts") dispatch on a table of their own with
 * push_cli_dispatch(), so a new command is one table row and one function.
 */
#pragma once

#include <stdio.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "push-account.h"
#include "push-accounts.h"
#include "push-store.h"

G_BEGIN_DECLS

#define PUSH_CLI_NAME "audience-push-cli"

/* The environment variable the client secret may come from. */
#define PUSH_CLI_SECRET_ENV "AUDIENCE_PUSH_CLIENT_SECRET"

typedef enum {
  PUSH_CLI_EXIT_OK = 0,
  PUSH_CLI_EXIT_FAILURE = 1,
  PUSH_CLI_EXIT_USAGE = 2,
} PushCliExit;

#define PUSH_CLI_ERROR (push_cli_error_quark ())
typedef enum {
  PUSH_CLI_ERROR_USAGE,    /* wrong usage: exit status 2 and a hint to use --help */
  PUSH_CLI_ERROR_FAILED,   /* anything else: exit status 1 */
} PushCliError;
GQuark push_cli_error_quark (void);

typedef int (*PushCliRunFunc) (const char  *path,
                               int          argc,
                               char       **argv);

typedef struct {
  const char     *name;
  const char     *summary;  /* N_() */
  PushCliRunFunc  run;
} PushCliCommand;

/* Runs the command argv[1] names, from @commands (ended by a row of NULLs). Handles --help,
 * "help" and unknown or missing commands (exit status 2). */
int             push_cli_dispatch          (const char            *path,
                                            const char            *summary,
                                            const PushCliCommand  *commands,
                                            int                    argc,
                                            char                 **argv);
void            push_cli_print_commands    (FILE                  *stream,
                                            const char            *path,
                                            const char            *summary,
                                            const PushCliCommand  *commands);

/* "audience-push-cli: MESSAGE" on stderr; returns PUSH_CLI_EXIT_FAILURE. */
int             push_cli_fail              (const char            *format,
                                            ...) G_GNUC_PRINTF (1, 2);
/* "audience-push-cli: MESSAGE" and a hint to use "@path --help" on stderr; returns
 * PUSH_CLI_EXIT_USAGE. */
int             push_cli_usage_error       (const char            *path,
                                            const char            *format,
                                            ...) G_GNUC_PRINTF (2, 3);
/* Reports @error as one of the two above (PUSH_CLI_ERROR_USAGE and GOption errors are usage
 * errors) and returns the matching exit status. */
int             push_cli_report_error      (const char            *path,
                                            const GError          *error);

/* An option context titled @path whose --help output is translated. */
GOptionContext *push_cli_option_context_new (const char           *path,
                                             const char           *parameter_string,
                                             const char           *summary,
                                             const GOptionEntry   *entries);
/* Parses, then checks that exactly @n_args positional arguments are left (named @arg_names,
 * NULL-terminated, for the message). Errors are PUSH_CLI_ERROR_USAGE. */
gboolean        push_cli_parse_options     (GOptionContext        *context,
                                            const char            *path,
                                            int                   *argc,
                                            char                ***argv,
                                            const char * const    *arg_names,
                                            GError               **error);

/* Whole numbers and decimals given to an option; errors are PUSH_CLI_ERROR_USAGE. */
gboolean        push_cli_parse_uint        (const char            *option,
                                            const char            *text,
                                            guint64                min,
                                            guint64                max,
                                            guint64               *out_value,
                                            GError               **error);
gboolean        push_cli_parse_double      (const char            *option,
                                            const char            *text,
                                            double                 min,
                                            double                 max,
                                            double                *out_value,
                                            GError               **error);

/* Prints @node on stdout (one line unless @pretty) followed by a newline, and flushes. */
void            push_cli_print_json        (JsonNode              *node,
                                            gboolean               pretty);
JsonNode       *push_cli_account_to_json   (PushAccount           *account);
JsonNode       *push_cli_error_to_json     (const GError          *error);

/* Opens the default store and the accounts in it. */
PushAccounts   *push_cli_open_accounts     (GError               **error);
/* The account called @name (a new reference), or a PUSH_CLI_ERROR_FAILED error saying
 * 'account "NAME" not found'. */
PushAccount    *push_cli_find_account      (PushAccounts          *accounts,
                                            const char            *name,
                                            GError               **error);

/* Reads one line from @fd without reading past it, strips the line end. Empty lines are
 * returned as "". Free with push_cli_secret_free(). */
char           *push_cli_read_secret_line  (int                    fd,
                                            GError               **error);
/* Wipes and frees. NULL is fine. */
void            push_cli_secret_free       (char                  *secret);

G_END_DECLS
