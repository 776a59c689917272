/* push-cli-validate.h: "audience-push-cli validate", and the validation the CLI shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every command that judges a destination ("destinations add", "destinations show",
 * "validate") goes through push_cli_validate_destination(): PushValidator (the same rules as
 * the UI) fed with what the account's Marketo instance offers, plus the one check the
 * validator can't make, that an existing static list is one of the instance's lists.
 */
#pragma once

#include "marketo-client.h"
#include "push-audience-reader.h"
#include "push-cli-common.h"
#include "push-destination.h"
#include "push-destinations.h"
#include "push-validator.h"

G_BEGIN_DECLS

/* "validate --destination NAME --audience FILE" */
int                push_cli_validate_run            (const char  *path,
                                                     int          argc,
                                                     char       **argv);

/**
 * PushCliInstance:
 * @schema: (nullable): the lead fields
 * @partitions: (nullable) (element-type MarketoPartition)
 * @lists: (nullable) (element-type MarketoList): the static lists
 * @folders: (nullable) (element-type MarketoFolder): the folders and programs
 * @fetched: (nullable): when they were fetched
 *
 * What the instance of an account offers, as last fetched. All NULL when nothing is known.
 */
typedef struct {
  MarketoLeadSchema *schema;
  GPtrArray         *partitions;
  GPtrArray         *lists;
  GPtrArray         *folders;
  GDateTime         *fetched;
} PushCliInstance;

void               push_cli_instance_free           (PushCliInstance  *instance);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PushCliInstance, push_cli_instance_free)

/**
 * PushCliFetch:
 * @PUSH_CLI_FETCH_NEVER: the cache only; nothing known is not an error
 * @PUSH_CLI_FETCH_NEVER_REQUIRE: the cache only (--offline); nothing cached is an error
 * @PUSH_CLI_FETCH_WHEN_STALE: fetch when nothing is cached or the cache is older than
 *   PUSH_INSTANCE_CACHE_MAX_AGE; a failed fetch with an older cache to fall back on is a
 *   warning on stderr, without one an error
 */
typedef enum {
  PUSH_CLI_FETCH_NEVER,
  PUSH_CLI_FETCH_NEVER_REQUIRE,
  PUSH_CLI_FETCH_WHEN_STALE,
} PushCliFetch;

PushCliInstance   *push_cli_instance_load           (PushAccounts     *accounts,
                                                     PushAccount      *account,
                                                     PushCliFetch      fetch,
                                                     GError          **error);
/* The list with @list_id among the instance's lists, or NULL (also when they are unknown). */
const MarketoList *push_cli_instance_find_list      (PushCliInstance  *instance,
                                                     gint64            list_id);

/* A client for @account: its secret from the keyring, its pacer set to the account's limits
 * and counting the day's calls in the store. */
MarketoClient     *push_cli_client_for_account      (PushAccounts     *accounts,
                                                     PushAccount      *account,
                                                     GError          **error);

/* The problems of @destination (element-type PushProblem), sorted. With @reader (opened, not
 * read yet) the mapping is checked against its columns and a sample of its rows. */
GPtrArray         *push_cli_validate_destination    (PushCliInstance      *instance,
                                                     PushDestination      *destination,
                                                     PushValidationLevel   level,
                                                     PushAudienceReader   *reader,
                                                     PushScanStats        *stats,
                                                     GError              **error);

/* One line per problem on @stream: "error: …", "warning: …", "info: …". */
void               push_cli_print_problems          (FILE                 *stream,
                                                     GPtrArray            *problems);

/* Opens the store's destinations, beside @accounts (same store). */
PushDestinations  *push_cli_open_destinations       (PushAccounts         *accounts,
                                                     GError              **error);
/* The destination called @name (a new reference), or a PUSH_CLI_ERROR_FAILED error saying
 * 'destination "NAME" not found'. */
PushDestination   *push_cli_find_destination        (PushDestinations     *destinations,
                                                     const char           *name,
                                                     GError              **error);
/* push_cli_open_accounts(), push_cli_open_destinations() and push_cli_find_destination() in
 * a row: on success the three (new references) are set; on error none is. */
gboolean           push_cli_open_named_destination  (const char           *name,
                                                     PushAccounts        **out_accounts,
                                                     PushDestinations    **out_destinations,
                                                     PushDestination     **out_destination,
                                                     GError              **error);
/* The account of @destination among @accounts (a new reference), or a PUSH_CLI_ERROR_FAILED
 * error saying it no longer exists and that the destination should be imported again. */
PushAccount       *push_cli_destination_account     (PushAccounts         *accounts,
                                                     PushDestination      *destination,
                                                     GError              **error);

G_END_DECLS
