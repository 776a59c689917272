/* push-lead-matcher.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "push-dedupe-index.h"
#include "push-forecast.h"
#include "push-lead-matcher.h"

struct _PushLeadMatcher
{
  GObject        parent_instance;

  MarketoClient *client;        /* (owned) */
  char          *field;         /* (owned) */
  GStrv          fields;        /* (owned) what each lookup reads */
  guint64        calls;
};

G_DEFINE_FINAL_TYPE (PushLeadMatcher, push_lead_matcher, G_TYPE_OBJECT)
G_DEFINE_BOXED_TYPE (PushLeadMatch, push_lead_match, push_lead_match_copy, push_lead_match_free)

/* The state of one match operation. */
typedef struct {
  GPtrArray  *values;      /* (owned) (element-type utf8) trimmed values (nullable), by index */
  GPtrArray  *keys;        /* (owned) (element-type utf8) normalised values (nullable) */
  GPtrArray  *matches;     /* (owned) (element-type PushLeadMatch) the result, by index */
  GHashTable *by_value;    /* (owned) normalised value -> GPtrArray of MarketoLead */
  GPtrArray  *chunk;       /* (owned) (element-type utf8) the values of the current call */
  guint       chunk_start; /* the first value index of the current chunk */
  guint       next;        /* the next value index to put in a chunk */
  char       *page_token;  /* (owned) (nullable) the next page of the current chunk */
} MatchData;

static void
match_data_free (MatchData *data)
{
  g_clear_pointer (&data->values, g_ptr_array_unref);
  g_clear_pointer (&data->keys, g_ptr_array_unref);
  g_clear_pointer (&data->matches, g_ptr_array_unref);
  g_clear_pointer (&data->by_value, g_hash_table_unref);
  g_clear_pointer (&data->chunk, g_ptr_array_unref);
  g_clear_pointer (&data->page_token, g_free);
  g_free (data);
}

/* ---- PushLeadMatch ---- */

static PushLeadMatch *
push_lead_match_new (guint index)
{
  PushLeadMatch *match = g_new0 (PushLeadMatch, 1);

  match->index = index;
  match->other_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  return match;
}

PushLeadMatch *
push_lead_match_copy (const PushLeadMatch *match)
{
  PushLeadMatch *copy;

  g_return_val_if_fail (match != NULL, NULL);

  copy = push_lead_match_new (match->index);
  copy->lead = match->lead != NULL ? marketo_lead_copy (match->lead) : NULL;
  copy->n_matches = match->n_matches;
  g_array_append_vals (copy->other_ids, match->other_ids->data, match->other_ids->len);
  return copy;
}

void
push_lead_match_free (PushLeadMatch *match)
{
  if (match == NULL)
    return;

  g_clear_pointer (&match->lead, marketo_lead_free);
  g_clear_pointer (&match->other_ids, g_array_unref);
  g_free (match);
}

gint64
push_lead_match_get_lead_id (const PushLeadMatch *match)
{
  g_return_val_if_fail (match != NULL, 0);
  return match->lead != NULL ? match->lead->id : 0;
}

/* ---- Choosing ---- */

static gint64
lead_updated_at (const MarketoLead *lead)
{
  g_autofree char *text = marketo_lead_dup_string (lead, "updatedAt");
  g_autoptr(GDateTime) time = NULL;

  if (text == NULL)
    return G_MININT64;
  time = marketo_parse_datetime (text);
  return time != NULL ? g_date_time_to_unix (time) * G_USEC_PER_SEC +
                        g_date_time_get_microsecond (time) : G_MININT64;
}

/* Most recently updated first, then the highest id. */
static int
compare_recency (gconstpointer a,
                 gconstpointer b)
{
  const MarketoLead *la = *(const MarketoLead * const *) a;
  const MarketoLead *lb = *(const MarketoLead * const *) b;
  gint64 ta = lead_updated_at (la);
  gint64 tb = lead_updated_at (lb);

  if (ta != tb)
    return ta > tb ? -1 : 1;
  if (la->id != lb->id)
    return la->id > lb->id ? -1 : 1;
  return 0;
}

int
push_lead_matcher_pick_most_recent (GPtrArray *leads)
{
  int best = -1;
  gconstpointer best_lead = NULL;

  g_return_val_if_fail (leads != NULL, -1);

  for (guint i = 0; i < leads->len; i++)
    {
      gconstpointer lead = g_ptr_array_index (leads, i);

      if (best < 0 || compare_recency (&lead, &best_lead) < 0)
        {
          best = (int) i;
          best_lead = lead;
        }
    }
  return best;
}

/* ---- The lookup loop ---- */

static void fetch_page (GTask *task);

static void
resolve_chunk (PushLeadMatcher *self,
               MatchData       *data)
{
  for (guint i = data->chunk_start; i < data->next; i++)
    {
      const char *key = g_ptr_array_index (data->keys, i);
      PushLeadMatch *match = g_ptr_array_index (data->matches, i);
      GPtrArray *leads;

      if (key == NULL)
        continue;
      leads = g_hash_table_lookup (data->by_value, key);
      if (leads == NULL || leads->len == 0)
        continue;

      g_ptr_array_sort (leads, compare_recency);
      match->n_matches = leads->len;
      match->lead = marketo_lead_copy (g_ptr_array_index (leads, 0));
      for (guint j = 1; j < leads->len; j++)
        {
          const MarketoLead *other = g_ptr_array_index (leads, j);

          g_array_append_val (match->other_ids, other->id);
        }
    }
  g_hash_table_remove_all (data->by_value);
}

/* Starts the next chunk of values, or returns the result when none is left. */
static void
next_chunk (GTask *task)
{
  PushLeadMatcher *self = g_task_get_source_object (task);
  MatchData *data = g_task_get_task_data (task);

  g_ptr_array_set_size (data->chunk, 0);
  data->chunk_start = data->next;
  while (data->next < data->values->len && data->chunk->len < PUSH_FORECAST_BATCH_SIZE)
    {
      const char *value = g_ptr_array_index (data->values, data->next);
      const char *key = g_ptr_array_index (data->keys, data->next);

      /* Two values that compare equal share one filter value. */
      if (key != NULL && !g_hash_table_contains (data->by_value, key))
        {
          g_hash_table_insert (data->by_value, g_strdup (key),
                               g_ptr_array_new_with_free_func ((GDestroyNotify) marketo_lead_free));
          g_ptr_array_add (data->chunk, (gpointer) value);
        }
      data->next++;
    }

  if (data->chunk->len == 0)
    {
      resolve_chunk (self, data);
      if (data->next >= data->values->len)
        {
          g_task_return_pointer (task, g_ptr_array_ref (data->matches),
                                 (GDestroyNotify) g_ptr_array_unref);
          g_object_unref (task);
          return;
        }
      next_chunk (task);
      return;
    }

  g_ptr_array_add (data->chunk, NULL);
  g_clear_pointer (&data->page_token, g_free);
  fetch_page (task);
}

static void
got_page_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  PushLeadMatcher *self = g_task_get_source_object (task);
  MatchData *data = g_task_get_task_data (task);
  g_autoptr(MarketoLeadPage) page = NULL;
  g_autoptr(GError) error = NULL;

  page = marketo_client_get_leads_finish (MARKETO_CLIENT (source), result, &error);
  if (page == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  for (guint i = 0; i < page->leads->len; i++)
    {
      const MarketoLead *lead = g_ptr_array_index (page->leads, i);
      g_autofree char *value = marketo_lead_dup_string (lead, self->field);
      g_autofree char *key = push_dedupe_key_normalize (value, -1);
      GPtrArray *leads = key != NULL ? g_hash_table_lookup (data->by_value, key) : NULL;

      if (leads == NULL)
        {
          g_debug ("Lookup by %s returned lead %" G_GINT64_FORMAT " for a value not asked for",
                   self->field, lead->id);
          continue;
        }
      g_ptr_array_add (leads, marketo_lead_copy (lead));
    }

  if (page->more_result && page->next_page_token != NULL && *page->next_page_token != '\0')
    {
      g_free (data->page_token);
      data->page_token = g_strdup (page->next_page_token);
      fetch_page (task);
      return;
    }

  g_ptr_array_remove_index (data->chunk, data->chunk->len - 1);  /* the NULL */
  resolve_chunk (self, data);
  next_chunk (task);
}

static void
fetch_page (GTask *task)
{
  PushLeadMatcher *self = g_task_get_source_object (task);
  MatchData *data = g_task_get_task_data (task);

  self->calls++;
  marketo_client_get_leads_async (self->client, self->field,
                                  (const char * const *) data->chunk->pdata,
                                  (const char * const *) self->fields, data->page_token,
                                  PUSH_FORECAST_BATCH_SIZE, g_task_get_cancellable (task),
                                  got_page_cb, task);
}

/* ---- GObject ---- */

static void
push_lead_matcher_finalize (GObject *object)
{
  PushLeadMatcher *self = PUSH_LEAD_MATCHER (object);

  g_clear_object (&self->client);
  g_clear_pointer (&self->field, g_free);
  g_clear_pointer (&self->fields, g_strfreev);

  G_OBJECT_CLASS (push_lead_matcher_parent_class)->finalize (object);
}

static void
push_lead_matcher_class_init (PushLeadMatcherClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = push_lead_matcher_finalize;
}

static void
push_lead_matcher_init (PushLeadMatcher *self)
{
}

PushLeadMatcher *
push_lead_matcher_new (MarketoClient *client,
                       const char    *field)
{
  PushLeadMatcher *self;

  g_return_val_if_fail (MARKETO_IS_CLIENT (client), NULL);
  g_return_val_if_fail (field != NULL && *field != '\0', NULL);

  self = g_object_new (PUSH_TYPE_LEAD_MATCHER, NULL);
  self->client = g_object_ref (client);
  self->field = g_strdup (field);
  push_lead_matcher_set_extra_fields (self, NULL);
  return self;
}

const char *
push_lead_matcher_get_field (PushLeadMatcher *self)
{
  g_return_val_if_fail (PUSH_IS_LEAD_MATCHER (self), NULL);
  return self->field;
}

void
push_lead_matcher_set_extra_fields (PushLeadMatcher    *self,
                                    const char * const *fields)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  const char *base[] = { "id", self->field, "updatedAt", NULL };

  g_return_if_fail (PUSH_IS_LEAD_MATCHER (self));

  for (guint i = 0; base[i] != NULL; i++)
    if (g_hash_table_add (seen, (gpointer) base[i]))
      g_strv_builder_add (builder, base[i]);
  for (guint i = 0; fields != NULL && fields[i] != NULL; i++)
    if (g_hash_table_add (seen, (gpointer) fields[i]))
      g_strv_builder_add (builder, fields[i]);

  g_clear_pointer (&self->fields, g_strfreev);
  self->fields = g_strv_builder_end (builder);
}

guint64
push_lead_matcher_get_calls (PushLeadMatcher *self)
{
  g_return_val_if_fail (PUSH_IS_LEAD_MATCHER (self), 0);
  return self->calls;
}

void
push_lead_matcher_match_async (PushLeadMatcher     *self,
                               const char * const  *values,
                               guint                n_values,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;
  MatchData *data;

  g_return_if_fail (PUSH_IS_LEAD_MATCHER (self));
  g_return_if_fail (values != NULL || n_values == 0);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, push_lead_matcher_match_async);

  data = g_new0 (MatchData, 1);
  data->values = g_ptr_array_new_full (n_values, g_free);
  data->keys = g_ptr_array_new_full (n_values, g_free);
  data->matches = g_ptr_array_new_full (n_values, (GDestroyNotify) push_lead_match_free);
  data->by_value = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) g_ptr_array_unref);
  data->chunk = g_ptr_array_new ();
  for (guint i = 0; i < n_values; i++)
    {
      char *value = values[i] != NULL ? g_strstrip (g_strdup (values[i])) : NULL;
      char *key = NULL;

      if (value != NULL && *value == '\0')
        g_clear_pointer (&value, g_free);
      if (value != NULL)
        key = push_dedupe_key_normalize (value, -1);
      g_ptr_array_add (data->values, value);
      g_ptr_array_add (data->keys, key);
      g_ptr_array_add (data->matches, push_lead_match_new (i));
    }
  g_task_set_task_data (task, data, (GDestroyNotify) match_data_free);

  next_chunk (task);
}

GPtrArray *
push_lead_matcher_match_finish (PushLeadMatcher  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_return_val_if_fail (PUSH_IS_LEAD_MATCHER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == push_lead_matcher_match_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
