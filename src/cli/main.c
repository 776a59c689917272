/* main.c: audience-push-cli, the headless front end of Audience Push
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A command is a row in the table below; a group of commands ("accounts") has a table of its
 * own in its file. Exit status: 0 success, 1 failure, 2 wrong usage.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>

#include "push-cli-accounts.h"
#include "push-cli-activate.h"
#include "push-cli-audiences.h"
#include "push-cli-common.h"
#include "push-cli-destinations.h"
#include "push-cli-preview.h"
#include "push-cli-sandbox.h"
#include "push-cli-validate.h"

static const PushCliCommand commands[] = {
  { "accounts", N_("Add, list, test and remove Marketo accounts"), push_cli_accounts_run },
  { "destinations", N_("Add, show, export, import and remove destinations"),
    push_cli_destinations_run },
  { "audiences", N_("Inspect audience files"), push_cli_audiences_run },
  { "validate", N_("Check an audience against a destination before sending it"),
    push_cli_validate_run },
  { "activate", N_("Send an audience to a destination (resumable runs)"),
    push_cli_activate_run },
  { "runs", N_("List activation runs, show one, export its report"), push_cli_runs_run },
  { "preview", N_("Show what an activation would do to every member, writing nothing"),
    push_cli_preview_run },
  { "sandbox", N_("Run a simulated Marketo instance on 127.0.0.1"), push_cli_sandbox_run },
  { NULL, NULL, NULL }
};

int
main (int   argc,
      char *argv[])
{
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname (PUSH_CLI_NAME);

  if (argc == 2 && (g_str_equal (argv[1], "--version") || g_str_equal (argv[1], "-V")))
    {
      g_print ("%s %s\n", PUSH_CLI_NAME, PACKAGE_VERSION);
      return PUSH_CLI_EXIT_OK;
    }

  status = push_cli_dispatch (PUSH_CLI_NAME,
                              N_("Send customer audiences to Marketo Engage, from scripts."),
                              commands, argc, argv);

  /* Output that did not reach its reader (a full disk, a closed pipe) is a failure. */
  if (fflush (stdout) != 0 || ferror (stdout))
    {
      g_printerr ("%s: %s\n", PUSH_CLI_NAME, _("could not write the output"));
      if (status == PUSH_CLI_EXIT_OK)
        status = PUSH_CLI_EXIT_FAILURE;
    }

  return status;
}
