/* push-run-outcomes-model.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "push-run-outcomes-model.h"

/* Rows read per query while searching. */
#define SEARCH_CHUNK 20000

/* ---- The item --------------------------------------------------------------------------- */

struct _PushRunOutcomeItem
{
  GObject             parent_instance;

  PushOutcomeRecord  *record;  /* (owned) (nullable): until loaded */
};

G_DEFINE_FINAL_TYPE (PushRunOutcomeItem, push_run_outcome_item, G_TYPE_OBJECT)

enum {
  ITEM_PROP_0,
  ITEM_PROP_LOADED,
  ITEM_N_PROPS
};

static GParamSpec *item_properties[ITEM_N_PROPS];

static void
push_run_outcome_item_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  PushRunOutcomeItem *self = PUSH_RUN_OUTCOME_ITEM (object);

  switch (prop_id)
    {
    case ITEM_PROP_LOADED:
      g_value_set_boolean (value, self->record != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
push_run_outcome_item_finalize (GObject *object)
{
  PushRunOutcomeItem *self = PUSH_RUN_OUTCOME_ITEM (object);

  g_clear_pointer (&self->record, push_outcome_record_free);

  G_OBJECT_CLASS (push_run_outcome_item_parent_class)->finalize (object);
}

static void
push_run_outcome_item_class_init (PushRunOutcomeItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = push_run_outcome_item_get_property;
  object_class->finalize = push_run_outcome_item_finalize;

  item_properties[ITEM_PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, ITEM_N_PROPS, item_properties);
}

static void
push_run_outcome_item_init (PushRunOutcomeItem *self)
{
}

static void
item_set_record (PushRunOutcomeItem *self,
                 PushOutcomeRecord  *record)
{
  /* Takes @record. */
  if (self->record != NULL)
    {
      push_outcome_record_free (record);
      return;
    }

  self->record = record;
  g_object_notify_by_pspec (G_OBJECT (self), item_properties[ITEM_PROP_LOADED]);
}

gboolean
push_run_outcome_item_get_loaded (PushRunOutcomeItem *self)
{
  g_return_val_if_fail (PUSH_IS_RUN_OUTCOME_ITEM (self), FALSE);

  return self->record != NULL;
}

const PushOutcomeRecord *
push_run_outcome_item_get_record (PushRunOutcomeItem *self)
{
  g_return_val_if_fail (PUSH_IS_RUN_OUTCOME_ITEM (self), NULL);

  return self->record;
}

/* ---- The model -------------------------------------------------------------------------- */

/* A page of items (refcounted: a read in flight keeps its page). */
typedef struct {
  guint       index;
  GPtrArray  *items;     /* (element-type PushRunOutcomeItem) */
  guint64     last_use;
  gboolean    loading;
} Page;

struct _PushRunOutcomesModel
{
  GObject        parent_instance;

  PushRunStore  *runs;          /* (owned) */
  char          *run_id;        /* (owned) */
  guint          filter;
  char          *search;        /* (owned) (nullable) */

  guint          n_items;
  guint          generation;    /* changes with the filter or the search */
  GHashTable    *pages;         /* page index -> Page (a reference) */
  guint64        use_clock;

  GPtrArray     *matches;       /* (nullable) (element-type PushRunOutcomeItem): searching */
  gboolean       truncated;

  guint          n_busy;
  gboolean       counting;
  gboolean       count_again;
  GCancellable  *cancellable;   /* (owned): of the current generation's work */
};

static void push_run_outcomes_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PushRunOutcomesModel, push_run_outcomes_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      push_run_outcomes_model_list_model_init))

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
page_free (Page *page)
{
  g_ptr_array_unref (page->items);
}

static Page *
page_ref (Page *page)
{
  return g_rc_box_acquire (page);
}

static void
page_unref (Page *page)
{
  g_rc_box_release_full (page, (GDestroyNotify) page_free);
}

static void
set_busy (PushRunOutcomesModel *self,
          gboolean              busy)
{
  gboolean was_busy = self->n_busy > 0;

  if (busy)
    self->n_busy++;
  else
    {
      g_return_if_fail (self->n_busy > 0);
      self->n_busy--;
    }

  if (was_busy != (self->n_busy > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* ---- Reading a page (worker thread) ---- */

typedef struct {
  PushRunStore *runs;
  char         *run_id;
  guint         filter;
  guint64       offset;
  guint         limit;
  guint         generation;
  Page         *page;
  char         *search;   /* casefolded, for a search */
} Job;

static void
job_free (Job *job)
{
  g_clear_object (&job->runs);
  g_free (job->run_id);
  g_clear_pointer (&job->page, page_unref);
  g_free (job->search);
  g_free (job);
}

static Job *
job_new (PushRunOutcomesModel *self)
{
  Job *job = g_new0 (Job, 1);

  job->runs = g_object_ref (self->runs);
  job->run_id = g_strdup (self->run_id);
  job->filter = self->filter;
  job->generation = self->generation;
  return job;
}

static void
read_page_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;
  GPtrArray *records;

  records = push_run_store_list_outcomes (job->runs, job->run_id, job->filter, job->offset,
                                          job->limit, &error);
  if (records == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, records, (GDestroyNotify) g_ptr_array_unref);
}

static void
page_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  PushRunOutcomesModel *self = PUSH_RUN_OUTCOMES_MODEL (source);
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;

  job->page->loading = FALSE;
  records = g_task_propagate_pointer (G_TASK (result), &error);
  if (records == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Outcomes of run %s could not be read: %s", job->run_id, error->message);
      /* Read again when asked again. */
      if (g_hash_table_lookup (self->pages, GUINT_TO_POINTER (job->page->index)) == job->page)
        g_hash_table_remove (self->pages, GUINT_TO_POINTER (job->page->index));
      return;
    }

  if (job->generation != self->generation)
    return;

  for (guint i = 0; i < records->len && i < job->page->items->len; i++)
    {
      PushOutcomeRecord *record = g_ptr_array_index (records, i);

      g_ptr_array_index (records, i) = NULL;
      item_set_record (g_ptr_array_index (job->page->items, i), record);
    }
  /* Fewer rows than expected (never: rows are only added): forget the page. */
  if (records->len < job->page->items->len
      && g_hash_table_lookup (self->pages, GUINT_TO_POINTER (job->page->index)) == job->page)
    g_hash_table_remove (self->pages, GUINT_TO_POINTER (job->page->index));
}

static void
evict_pages (PushRunOutcomesModel *self)
{
  while (g_hash_table_size (self->pages) > PUSH_RUN_OUTCOMES_MODEL_MAX_PAGES)
    {
      GHashTableIter iter;
      gpointer key, value;
      gpointer oldest_key = NULL;
      guint64 oldest = G_MAXUINT64;

      g_hash_table_iter_init (&iter, self->pages);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          Page *page = value;

          if (page->last_use < oldest)
            {
              oldest = page->last_use;
              oldest_key = key;
            }
        }
      g_hash_table_remove (self->pages, oldest_key);
    }
}

static Page *
ensure_page (PushRunOutcomesModel *self,
             guint                 index)
{
  guint first = index * PUSH_RUN_OUTCOMES_MODEL_PAGE_SIZE;
  guint n = MIN (PUSH_RUN_OUTCOMES_MODEL_PAGE_SIZE, self->n_items - first);
  g_autoptr(GTask) task = NULL;
  Page *page;
  Job *job;

  page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index));
  if (page != NULL && page->items->len >= n)
    {
      page->last_use = ++self->use_clock;
      return page;
    }

  /* New, or made when the run had fewer rows. */
  page = g_rc_box_new0 (Page);
  page->index = index;
  page->items = g_ptr_array_new_full (n, g_object_unref);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (page->items, g_object_new (PUSH_TYPE_RUN_OUTCOME_ITEM, NULL));
  page->last_use = ++self->use_clock;
  page->loading = TRUE;
  g_hash_table_replace (self->pages, GUINT_TO_POINTER (index), page);

  job = job_new (self);
  job->offset = first;
  job->limit = n;
  job->page = page_ref (page);
  task = g_task_new (self, self->cancellable, page_read_cb, NULL);
  g_task_set_source_tag (task, ensure_page);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, read_page_thread);

  evict_pages (self);

  return page;
}

/* ---- Counting ---- */

static void count_start (PushRunOutcomesModel *self);

static void
count_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;
  gint64 count;

  count = push_run_store_count_outcomes (job->runs, job->run_id, job->filter, &error);
  if (count < 0)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, count);
}

static void
counted_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  PushRunOutcomesModel *self = PUSH_RUN_OUTCOMES_MODEL (source);
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gint64 count;
  guint old_n;

  set_busy (self, FALSE);
  count = g_task_propagate_int (G_TASK (result), &error);
  /* A count of an earlier filter or search: the current one may be counting still. */
  if (job->generation != self->generation)
    return;

  self->counting = FALSE;
  if (self->matches != NULL)
    return;

  if (count < 0)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Outcomes of run %s could not be counted: %s", job->run_id, error->message);
      return;
    }

  count = MIN (count, (gint64) G_MAXUINT);
  old_n = self->n_items;
  if ((guint) count > old_n)
    {
      guint last = old_n / PUSH_RUN_OUTCOMES_MODEL_PAGE_SIZE;

      /* The last page may have been read short: read it again when asked. */
      if (old_n % PUSH_RUN_OUTCOMES_MODEL_PAGE_SIZE != 0)
        g_hash_table_remove (self->pages, GUINT_TO_POINTER (last));

      self->n_items = (guint) count;
      g_list_model_items_changed (G_LIST_MODEL (self), old_n, 0, self->n_items - old_n);
    }
  else if ((guint) count < old_n)
    {
      /* Rows went away (the run was deleted): start over. */
      g_hash_table_remove_all (self->pages);
      self->n_items = (guint) count;
      g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, self->n_items);
    }

  if (self->count_again)
    {
      self->count_again = FALSE;
      count_start (self);
    }
}

static void
count_start (PushRunOutcomesModel *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->counting)
    {
      self->count_again = TRUE;
      return;
    }

  self->counting = TRUE;
  set_busy (self, TRUE);
  task = g_task_new (self, self->cancellable, counted_cb, NULL);
  g_task_set_source_tag (task, count_start);
  g_task_set_task_data (task, job_new (self), (GDestroyNotify) job_free);
  g_task_run_in_thread (task, count_thread);
}

/* ---- Searching ---- */

static void
search_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(GPtrArray) matches = g_ptr_array_new_with_free_func (g_object_unref);
  guint64 offset = 0;
  gboolean truncated = FALSE;

  for (;;)
    {
      g_autoptr(GPtrArray) records = NULL;
      GError *error = NULL;

      if (g_task_return_error_if_cancelled (task))
        return;

      records = push_run_store_list_outcomes (job->runs, job->run_id, job->filter, offset,
                                              SEARCH_CHUNK, &error);
      if (records == NULL)
        {
          g_task_return_error (task, error);
          return;
        }

      for (guint i = 0; i < records->len && !truncated; i++)
        {
          PushOutcomeRecord *record = g_ptr_array_index (records, i);
          g_autofree char *folded = NULL;
          PushRunOutcomeItem *item;

          if (record->dedupe_value == NULL)
            continue;
          folded = g_utf8_casefold (record->dedupe_value, -1);
          if (strstr (folded, job->search) == NULL)
            continue;

          if (matches->len >= PUSH_RUN_OUTCOMES_MODEL_MAX_MATCHES)
            {
              truncated = TRUE;
              break;
            }
          item = g_object_new (PUSH_TYPE_RUN_OUTCOME_ITEM, NULL);
          item->record = g_steal_pointer (&g_ptr_array_index (records, i));
          g_ptr_array_add (matches, item);
        }

      if (truncated || records->len < SEARCH_CHUNK)
        break;
      offset += records->len;
    }

  /* The flag rides along as the array's last element being NULL. */
  if (truncated)
    g_ptr_array_add (matches, NULL);
  g_task_return_pointer (task, g_steal_pointer (&matches), (GDestroyNotify) g_ptr_array_unref);
}

static void
searched_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  PushRunOutcomesModel *self = PUSH_RUN_OUTCOMES_MODEL (source);
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GPtrArray) matches = NULL;
  g_autoptr(GError) error = NULL;
  guint old_n;

  set_busy (self, FALSE);
  matches = g_task_propagate_pointer (G_TASK (result), &error);
  if (job->generation != self->generation)
    return;

  if (matches == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Outcomes of run %s could not be searched: %s", job->run_id, error->message);
      return;
    }

  self->truncated = matches->len > 0 && g_ptr_array_index (matches, matches->len - 1) == NULL;
  if (self->truncated)
    g_ptr_array_set_size (matches, matches->len - 1);

  old_n = self->n_items;
  g_clear_pointer (&self->matches, g_ptr_array_unref);
  self->matches = g_steal_pointer (&matches);
  self->n_items = self->matches->len;
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, self->n_items);
}

/* Forgets everything shown and starts over with the current filter and search. */
static void
restart (PushRunOutcomesModel *self)
{
  guint old_n = self->n_items;

  self->generation++;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->counting = FALSE;
  self->count_again = FALSE;

  g_hash_table_remove_all (self->pages);
  g_clear_pointer (&self->matches, g_ptr_array_unref);
  self->truncated = FALSE;
  self->n_items = 0;
  if (old_n > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, 0);

  if (self->search != NULL)
    {
      g_autoptr(GTask) task = NULL;
      Job *job = job_new (self);

      job->search = g_utf8_casefold (self->search, -1);
      set_busy (self, TRUE);
      task = g_task_new (self, self->cancellable, searched_cb, NULL);
      g_task_set_source_tag (task, restart);
      g_task_set_task_data (task, job, (GDestroyNotify) job_free);
      g_task_run_in_thread (task, search_thread);
    }
  else
    count_start (self);
}

/* ---- GListModel ---- */

static GType
push_run_outcomes_model_get_item_type (GListModel *model)
{
  return PUSH_TYPE_RUN_OUTCOME_ITEM;
}

static guint
push_run_outcomes_model_get_n_items (GListModel *model)
{
  return PUSH_RUN_OUTCOMES_MODEL (model)->n_items;
}

static gpointer
push_run_outcomes_model_get_item (GListModel *model,
                                  guint       position)
{
  PushRunOutcomesModel *self = PUSH_RUN_OUTCOMES_MODEL (model);
  Page *page;

  if (position >= self->n_items)
    return NULL;

  if (self->matches != NULL)
    return g_object_ref (g_ptr_array_index (self->matches, position));

  page = ensure_page (self, position / PUSH_RUN_OUTCOMES_MODEL_PAGE_SIZE);
  return g_object_ref (g_ptr_array_index (page->items,
                                          position % PUSH_RUN_OUTCOMES_MODEL_PAGE_SIZE));
}

static void
push_run_outcomes_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = push_run_outcomes_model_get_item_type;
  iface->get_n_items = push_run_outcomes_model_get_n_items;
  iface->get_item = push_run_outcomes_model_get_item;
}

/* ---- GObject ---- */

static void
push_run_outcomes_model_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  PushRunOutcomesModel *self = PUSH_RUN_OUTCOMES_MODEL (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->n_busy > 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
push_run_outcomes_model_dispose (GObject *object)
{
  PushRunOutcomesModel *self = PUSH_RUN_OUTCOMES_MODEL (object);

  g_cancellable_cancel (self->cancellable);
  g_hash_table_remove_all (self->pages);
  g_clear_pointer (&self->matches, g_ptr_array_unref);

  G_OBJECT_CLASS (push_run_outcomes_model_parent_class)->dispose (object);
}

static void
push_run_outcomes_model_finalize (GObject *object)
{
  PushRunOutcomesModel *self = PUSH_RUN_OUTCOMES_MODEL (object);

  g_clear_object (&self->runs);
  g_clear_object (&self->cancellable);
  g_hash_table_unref (self->pages);
  g_free (self->run_id);
  g_free (self->search);

  G_OBJECT_CLASS (push_run_outcomes_model_parent_class)->finalize (object);
}

static void
push_run_outcomes_model_class_init (PushRunOutcomesModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = push_run_outcomes_model_get_property;
  object_class->dispose = push_run_outcomes_model_dispose;
  object_class->finalize = push_run_outcomes_model_finalize;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
push_run_outcomes_model_init (PushRunOutcomesModel *self)
{
  self->pages = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                       (GDestroyNotify) page_unref);
  self->cancellable = g_cancellable_new ();
}

PushRunOutcomesModel *
push_run_outcomes_model_new (PushRunStore *runs,
                             const char   *run_id)
{
  PushRunOutcomesModel *self;

  g_return_val_if_fail (PUSH_IS_RUN_STORE (runs), NULL);
  g_return_val_if_fail (run_id != NULL, NULL);

  self = g_object_new (PUSH_TYPE_RUN_OUTCOMES_MODEL, NULL);
  self->runs = g_object_ref (runs);
  self->run_id = g_strdup (run_id);
  count_start (self);

  return self;
}

const char *
push_run_outcomes_model_get_run_id (PushRunOutcomesModel *self)
{
  g_return_val_if_fail (PUSH_IS_RUN_OUTCOMES_MODEL (self), NULL);

  return self->run_id;
}

void
push_run_outcomes_model_set_filter (PushRunOutcomesModel *self,
                                    guint                 outcomes)
{
  g_return_if_fail (PUSH_IS_RUN_OUTCOMES_MODEL (self));

  if (self->filter == outcomes)
    return;

  self->filter = outcomes;
  restart (self);
}

guint
push_run_outcomes_model_get_filter (PushRunOutcomesModel *self)
{
  g_return_val_if_fail (PUSH_IS_RUN_OUTCOMES_MODEL (self), 0);

  return self->filter;
}

void
push_run_outcomes_model_set_search (PushRunOutcomesModel *self,
                                    const char           *text)
{
  g_autofree char *search = NULL;

  g_return_if_fail (PUSH_IS_RUN_OUTCOMES_MODEL (self));

  if (text != NULL)
    search = g_strstrip (g_strdup (text));
  if (search != NULL && search[0] == '\0')
    g_clear_pointer (&search, g_free);

  if (g_strcmp0 (self->search, search) == 0)
    return;

  g_free (self->search);
  self->search = g_steal_pointer (&search);
  restart (self);
}

const char *
push_run_outcomes_model_get_search (PushRunOutcomesModel *self)
{
  g_return_val_if_fail (PUSH_IS_RUN_OUTCOMES_MODEL (self), NULL);

  return self->search;
}

void
push_run_outcomes_model_refresh (PushRunOutcomesModel *self)
{
  g_return_if_fail (PUSH_IS_RUN_OUTCOMES_MODEL (self));

  if (self->search == NULL)
    count_start (self);
}

gboolean
push_run_outcomes_model_get_busy (PushRunOutcomesModel *self)
{
  g_return_val_if_fail (PUSH_IS_RUN_OUTCOMES_MODEL (self), FALSE);

  return self->n_busy > 0;
}

gboolean
push_run_outcomes_model_get_truncated (PushRunOutcomesModel *self)
{
  g_return_val_if_fail (PUSH_IS_RUN_OUTCOMES_MODEL (self), FALSE);

  return self->truncated;
}

guint
push_run_outcomes_model_get_n_cached_pages (PushRunOutcomesModel *self)
{
  g_return_val_if_fail (PUSH_IS_RUN_OUTCOMES_MODEL (self), 0);

  return g_hash_table_size (self->pages);
}
