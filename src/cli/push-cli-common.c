/* push-cli-common.c: output, errors, option parsing and small helpers for the CLI
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "push-cli-common.h"

/* A client secret longer than this is certainly a mistake (a pasted file, …). */
#define SECRET_LINE_MAX 1024

G_DEFINE_QUARK (push-cli-error-quark, push_cli_error)

static void
print_hint (const char *path)
{
  /* Translators: the placeholder is a command, like "audience-push-cli accounts add" */
  g_printerr (_("Try \"%s --help\" for more information."), path);
  g_printerr ("\n");
}

int
push_cli_fail (const char *format,
               ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  fflush (stdout);
  g_printerr ("%s: %s\n", PUSH_CLI_NAME, message);
  return PUSH_CLI_EXIT_FAILURE;
}

int
push_cli_usage_error (const char *path,
                      const char *format,
                      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  fflush (stdout);
  g_printerr ("%s: %s\n", PUSH_CLI_NAME, message);
  print_hint (path);
  return PUSH_CLI_EXIT_USAGE;
}

int
push_cli_report_error (const char   *path,
                       const GError *error)
{
  g_return_val_if_fail (error != NULL, PUSH_CLI_EXIT_FAILURE);

  if (g_error_matches (error, PUSH_CLI_ERROR, PUSH_CLI_ERROR_USAGE) ||
      error->domain == G_OPTION_ERROR)
    return push_cli_usage_error (path, "%s", error->message);

  return push_cli_fail ("%s", error->message);
}

void
push_cli_print_commands (FILE                 *stream,
                         const char           *path,
                         const char           *summary,
                         const PushCliCommand *commands)
{
  int width = 0;

  for (const PushCliCommand *c = commands; c->name != NULL; c++)
    width = MAX (width, (int) strlen (c->name));

  fprintf (stream, "%s\n  %s %s\n\n", _("Usage:"), path, _("COMMAND [OPTION…]"));
  if (summary != NULL)
    fprintf (stream, "%s\n\n", _(summary));
  fprintf (stream, "%s\n", _("Commands:"));
  for (const PushCliCommand *c = commands; c->name != NULL; c++)
    fprintf (stream, "  %-*s  %s\n", width, c->name, _(c->summary));
  fprintf (stream, "\n");
  /* Translators: the placeholder is a command, like "audience-push-cli accounts" */
  fprintf (stream, _("Run \"%s COMMAND --help\" for the options of a command."), path);
  fprintf (stream, "\n");
}

int
push_cli_dispatch (const char           *path,
                   const char           *summary,
                   const PushCliCommand *commands,
                   int                   argc,
                   char                **argv)
{
  const char *name;

  g_return_val_if_fail (path != NULL, PUSH_CLI_EXIT_FAILURE);
  g_return_val_if_fail (commands != NULL, PUSH_CLI_EXIT_FAILURE);

  if (argc < 2)
    return push_cli_usage_error (path, _("a command is missing"));

  name = argv[1];
  if (g_str_equal (name, "--help") || g_str_equal (name, "-h") || g_str_equal (name, "-?") ||
      g_str_equal (name, "help"))
    {
      /* "help COMMAND" is "COMMAND --help" */
      if (g_str_equal (name, "help") && argc > 2)
        {
          for (const PushCliCommand *c = commands; c->name != NULL; c++)
            if (g_str_equal (c->name, argv[2]))
              {
                g_autofree char *sub_path = g_strdup_printf ("%s %s", path, c->name);
                char *sub_argv[] = { argv[2], (char *) "--help", NULL };

                return c->run (sub_path, 2, sub_argv);
              }
          return push_cli_usage_error (path, _("unknown command \"%s\""), argv[2]);
        }
      push_cli_print_commands (stdout, path, summary, commands);
      return PUSH_CLI_EXIT_OK;
    }

  if (name[0] == '-')
    return push_cli_usage_error (path, _("unknown option \"%s\""), name);

  for (const PushCliCommand *c = commands; c->name != NULL; c++)
    if (g_str_equal (c->name, name))
      {
        g_autofree char *sub_path = g_strdup_printf ("%s %s", path, c->name);

        g_debug ("Running \"%s\"", sub_path);
        return c->run (sub_path, argc - 1, argv + 1);
      }

  return push_cli_usage_error (path, _("unknown command \"%s\""), name);
}

GOptionContext *
push_cli_option_context_new (const char         *path,
                             const char         *parameter_string,
                             const char         *summary,
                             const GOptionEntry *entries)
{
  GOptionContext *context;

  context = g_option_context_new (parameter_string);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (summary != NULL)
    g_option_context_set_summary (context, _(summary));
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  return context;
}

gboolean
push_cli_parse_options (GOptionContext      *context,
                        const char          *path,
                        int                 *argc,
                        char              ***argv,
                        const char * const  *arg_names,
                        GError             **error)
{
  guint n_args = arg_names != NULL ? g_strv_length ((char **) arg_names) : 0;
  g_autoptr(GError) local_error = NULL;

  /* The usage line and --help show the whole command: "audience-push-cli accounts add" */
  g_set_prgname (path);

  if (!g_option_context_parse (context, argc, argv, &local_error))
    {
      g_set_error_literal (error, PUSH_CLI_ERROR, PUSH_CLI_ERROR_USAGE, local_error->message);
      return FALSE;
    }

  /* (*argv)[0] is the command itself; a lone "--" is left in place by GOption */
  for (int i = 1; i < *argc; i++)
    if (g_str_equal ((*argv)[i], "--"))
      {
        memmove (&(*argv)[i], &(*argv)[i + 1], (*argc - i) * sizeof (char *));
        (*argc)--;
        break;
      }

  if ((guint) (*argc - 1) < n_args)
    {
      g_set_error (error, PUSH_CLI_ERROR, PUSH_CLI_ERROR_USAGE,
                   /* Translators: the placeholder is an argument like NAME */
                   _("missing argument %s"), _(arg_names[*argc - 1]));
      return FALSE;
    }
  if ((guint) (*argc - 1) > n_args)
    {
      g_set_error (error, PUSH_CLI_ERROR, PUSH_CLI_ERROR_USAGE,
                   _("unexpected argument \"%s\""), (*argv)[n_args + 1]);
      return FALSE;
    }

  return TRUE;
}

gboolean
push_cli_parse_uint (const char  *option,
                     const char  *text,
                     guint64      min,
                     guint64      max,
                     guint64     *out_value,
                     GError     **error)
{
  g_return_val_if_fail (option != NULL, FALSE);
  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (out_value != NULL, FALSE);

  if (!g_ascii_string_to_unsigned (text, 10, min, max, out_value, NULL))
    {
      if (min == 0 && (max == G_MAXUINT32 || max == G_MAXUINT64))
        g_set_error (error, PUSH_CLI_ERROR, PUSH_CLI_ERROR_USAGE,
                     _("%s must be a whole number"), option);
      else
        g_set_error (error, PUSH_CLI_ERROR, PUSH_CLI_ERROR_USAGE,
                     /* Translators: "--port must be a whole number from 0 to 65535" */
                     _("%s must be a whole number from %" G_GUINT64_FORMAT " to %"
                       G_GUINT64_FORMAT), option, min, max);
      return FALSE;
    }

  return TRUE;
}

gboolean
push_cli_parse_double (const char  *option,
                       const char  *text,
                       double       min,
                       double       max,
                       double      *out_value,
                       GError     **error)
{
  char *end = NULL;
  double value;

  g_return_val_if_fail (option != NULL, FALSE);
  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (out_value != NULL, FALSE);

  errno = 0;
  value = g_ascii_strtod (text, &end);
  if (*text == '\0' || end == NULL || *end != '\0' || errno != 0 || !isfinite (value) ||
      value < min || value > max)
    {
      g_set_error (error, PUSH_CLI_ERROR, PUSH_CLI_ERROR_USAGE,
                   /* Translators: "--window-seconds must be a number from 0.01 to 86400" */
                   _("%s must be a number from %g to %g"), option, min, max);
      return FALSE;
    }

  *out_value = value;
  return TRUE;
}

void
push_cli_print_json (JsonNode *node,
                     gboolean  pretty)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  g_return_if_fail (node != NULL);

  json_generator_set_pretty (generator, pretty);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  fputs (text, stdout);
  fputc ('\n', stdout);
  fflush (stdout);
}

JsonNode *
push_cli_account_to_json (PushAccount *account)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (PUSH_IS_ACCOUNT (account), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, push_account_get_id (account));
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, push_account_get_name (account));
  json_builder_set_member_name (builder, "munchkin_id");
  json_builder_add_string_value (builder, push_account_get_munchkin_id (account));
  json_builder_set_member_name (builder, "endpoint");
  json_builder_add_string_value (builder, push_account_get_endpoint (account));
  json_builder_set_member_name (builder, "client_id");
  json_builder_add_string_value (builder, push_account_get_client_id (account));
  json_builder_set_member_name (builder, "is_sandbox");
  json_builder_add_boolean_value (builder, push_account_get_is_sandbox (account));
  json_builder_set_member_name (builder, "limits");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "rate_calls");
  json_builder_add_int_value (builder, push_account_get_rate_calls (account));
  json_builder_set_member_name (builder, "rate_window");
  json_builder_add_int_value (builder, push_account_get_rate_window (account));
  json_builder_set_member_name (builder, "max_concurrency");
  json_builder_add_int_value (builder, push_account_get_max_concurrency (account));
  json_builder_set_member_name (builder, "daily_quota");
  json_builder_add_int_value (builder, push_account_get_daily_quota (account));
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

JsonNode *
push_cli_error_to_json (const GError *error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (error != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "domain");
  json_builder_add_string_value (builder, g_quark_to_string (error->domain));
  json_builder_set_member_name (builder, "code");
  json_builder_add_int_value (builder, error->code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, error->message);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

PushAccounts *
push_cli_open_accounts (GError **error)
{
  g_autoptr(PushStore) store = NULL;
  g_autoptr(PushAccounts) accounts = NULL;

  store = push_store_open (NULL, error);
  if (store == NULL)
    {
      g_prefix_error (error, _("Could not open the database: "));
      return NULL;
    }

  accounts = push_accounts_new (store, error);
  if (accounts == NULL)
    {
      g_prefix_error (error, _("Could not read the accounts: "));
      return NULL;
    }

  g_debug ("Using the database %s", push_store_get_path (store));
  return g_steal_pointer (&accounts);
}

PushAccount *
push_cli_find_account (PushAccounts  *accounts,
                       const char    *name,
                       GError       **error)
{
  PushAccount *account;

  g_return_val_if_fail (PUSH_IS_ACCOUNTS (accounts), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  account = push_accounts_find_by_name (accounts, name);
  if (account == NULL)
    {
      g_set_error (error, PUSH_CLI_ERROR, PUSH_CLI_ERROR_FAILED,
                   _("account \"%s\" not found"), name);
      return NULL;
    }

  return g_object_ref (account);
}

static char *
read_line (int      fd,
           GError **error)
{
  char buffer[SECRET_LINE_MAX + 1];
  gsize length = 0;
  char *result;

  /* One byte at a time: nothing after the line is consumed, and no copy of the secret is
   * left in a stdio buffer. */
  for (;;)
    {
      char c;
      gssize n = read (fd, &c, 1);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          explicit_bzero (buffer, sizeof buffer);
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("Could not read the client secret from standard input: %s"),
                       g_strerror (saved_errno));
          return NULL;
        }
      if (n == 0 || c == '\n')
        break;
      if (length == SECRET_LINE_MAX)
        {
          explicit_bzero (buffer, sizeof buffer);
          g_set_error (error, PUSH_CLI_ERROR, PUSH_CLI_ERROR_FAILED,
                       _("The client secret on standard input is longer than %d bytes"),
                       SECRET_LINE_MAX);
          return NULL;
        }
      buffer[length++] = c;
    }

  if (length > 0 && buffer[length - 1] == '\r')
    length--;
  buffer[length] = '\0';

  result = g_strndup (buffer, length);
  explicit_bzero (buffer, sizeof buffer);
  return result;
}

char *
push_cli_read_secret_line (int      fd,
                           GError **error)
{
  struct termios saved;
  struct termios quiet;
  char *secret;

  if (!isatty (fd) || tcgetattr (fd, &saved) != 0)
    return read_line (fd, error);

  /* A person at a terminal: ask, and do not echo what they type */
  g_printerr ("%s ", _("Client secret:"));
  quiet = saved;
  quiet.c_lflag &= ~(tcflag_t) ECHO;
  quiet.c_lflag |= ECHONL;
  tcsetattr (fd, TCSAFLUSH, &quiet);
  secret = read_line (fd, error);
  tcsetattr (fd, TCSAFLUSH, &saved);

  return secret;
}

void
push_cli_secret_free (char *secret)
{
  if (secret == NULL)
    return;

  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}
