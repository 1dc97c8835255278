/* history.c: reads what past customers did from a report JSON, for the
 * call-prep script's ordering of branches.
 *
 * The reader takes only what it needs (see FwHistory in fivewhys.h) and
 * ignores every other key, so the report can grow without breaking it.
 * Counts may be integers or reals (merged reports may scale them); entries
 * that are not counts are skipped, not fatal. What a need lacks is only an
 * error once that need is asked for, in fw_history_get_need().
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "fw-private.h"
#include "prep-private.h"

static void
path_free (gpointer data)
{
  FwHistoryPath *p = data;
  g_strfreev (p->ids);
  g_free (p);
}

static void
need_free (gpointer data)
{
  FwNeedHistory *need = data;
  g_free (need->id);
  g_ptr_array_unref (need->paths);
  g_hash_table_unref (need->links);
  g_free (need);
}

void
fw_history_free (FwHistory *history)
{
  if (history == NULL)
    return;
  g_free (history->path);
  g_hash_table_unref (history->needs);
  g_free (history);
}

/* A count: a number, or an object holding "count" (or "n", "notes").
 * Returns FALSE for anything else, and for negative or non-finite values. */
static gboolean
count_of (JsonNode *node, double *out)
{
  if (node == NULL)
    return FALSE;
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *o = json_node_get_object (node);
      const char *names[] = { "count", "n", "notes" };
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        if (json_object_has_member (o, names[i]))
          return count_of (json_object_get_member (o, names[i]), out);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  GType type = json_node_get_value_type (node);
  double value;
  if (type == G_TYPE_INT64)
    value = (double) json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    value = json_node_get_double (node);
  else
    return FALSE;
  if (!(value >= 0 && value < 1e300))
    return FALSE;
  *out = value;
  return TRUE;
}

/* "money > purchase>love" or ["money", "purchase", "love"] as ids;
 * NULL when it names no rung. */
static char **
ids_of (JsonNode *node, const char *text)
{
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  if (text != NULL)
    {
      g_auto (GStrv) parts = g_strsplit (text, ">", -1);
      for (guint i = 0; parts[i] != NULL; i++)
        {
          g_strstrip (parts[i]);
          if (*parts[i] == '\0')
            return NULL;
          g_ptr_array_add (ids, g_strdup (parts[i]));
        }
    }
  else if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);
          if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
            return NULL;
          g_autofree char *id = g_strstrip (g_strdup (json_node_get_string (item)));
          if (*id == '\0')
            return NULL;
          g_ptr_array_add (ids, g_steal_pointer (&id));
        }
    }
  else if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return ids_of (NULL, json_node_get_string (node));
  if (ids->len == 0)
    return NULL;
  g_ptr_array_add (ids, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&ids), FALSE);
}

typedef void (*EntryFunc) (FwNeedHistory *need, char **ids, double count);

/* Calls @func for every well-formed entry of a "paths" or "links" member:
 * an object {"a>b": N} or an array [{"path": "a>b" | ["a","b"], "count": N}].
 * Returns FALSE when the member is neither an object nor an array. */
static gboolean
each_entry (JsonNode *member, FwNeedHistory *need, EntryFunc func)
{
  if (JSON_NODE_HOLDS_OBJECT (member))
    {
      JsonObject *o = json_node_get_object (member);
      g_autoptr (GList) names = json_object_get_members (o);
      for (GList *l = names; l != NULL; l = l->next)
        {
          double count;
          char **ids = ids_of (NULL, l->data);
          if (ids != NULL && count_of (json_object_get_member (o, l->data), &count))
            func (need, ids, count);
          else
            g_strfreev (ids);
        }
      return TRUE;
    }
  if (JSON_NODE_HOLDS_ARRAY (member))
    {
      JsonArray *array = json_node_get_array (member);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);
          if (!JSON_NODE_HOLDS_OBJECT (item))
            continue;
          JsonObject *o = json_node_get_object (item);
          JsonNode *path = NULL;
          const char *keys[] = { "path", "link", "chain", "rungs" };
          for (guint k = 0; k < G_N_ELEMENTS (keys) && path == NULL; k++)
            path = json_object_get_member (o, keys[k]);
          double count;
          char **ids = path != NULL ? ids_of (path, NULL) : NULL;
          if (ids != NULL && count_of (item, &count))
            func (need, ids, count);
          else
            g_strfreev (ids);
        }
      return TRUE;
    }
  return FALSE;
}

static void
add_path (FwNeedHistory *need, char **ids, double count)
{
  FwHistoryPath *p = g_new0 (FwHistoryPath, 1);
  p->ids = ids;
  p->n_ids = g_strv_length (ids);
  p->count = count;
  g_ptr_array_add (need->paths, p);
}

static void
add_link (FwNeedHistory *need, char **ids, double count)
{
  if (g_strv_length (ids) == 2)
    {
      char *key = g_strjoinv (">", ids);
      double *value = g_hash_table_lookup (need->links, key);
      if (value == NULL)
        {
          value = g_new0 (double, 1);
          g_hash_table_insert (need->links, key, value);
        }
      else
        g_free (key);
      *value += count;
    }
  g_strfreev (ids);
}


static gint
compare_path_ids (gconstpointer a, gconstpointer b)
{
  const FwHistoryPath *x = *(FwHistoryPath **) a;
  const FwHistoryPath *y = *(FwHistoryPath **) b;
  for (guint i = 0; i < x->n_ids && i < y->n_ids; i++)
    {
      int c = strcmp (x->ids[i], y->ids[i]);
      if (c != 0)
        return c;
    }
  return (x->n_ids > y->n_ids) - (x->n_ids < y->n_ids);
}

static gint
compare_paths (gconstpointer a, gconstpointer b)
{
  const FwHistoryPath *x = *(FwHistoryPath **) a;
  const FwHistoryPath *y = *(FwHistoryPath **) b;
  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  return compare_path_ids (a, b);
}

/* One entry per path (an array may name a path twice), most taken first. */
static void
merge_paths (GPtrArray *paths)
{
  g_ptr_array_sort (paths, compare_path_ids);
  guint kept = 0;
  for (guint i = 0; i < paths->len; i++)
    {
      FwHistoryPath *p = g_ptr_array_index (paths, i);
      FwHistoryPath *last = kept > 0 ? g_ptr_array_index (paths, kept - 1) : NULL;
      if (last != NULL && compare_path_ids (&last, &p) == 0)
        {
          last->count += p->count;
          path_free (p);
        }
      else
        paths->pdata[kept++] = p;
    }
  paths->len = kept;
  g_ptr_array_sort (paths, compare_paths);
}

static FwNeedHistory *
read_need (const char *id, JsonNode *node)
{
  FwNeedHistory *need = g_new0 (FwNeedHistory, 1);
  need->id = g_strdup (id);
  need->notes = -1;
  need->paths = g_ptr_array_new_with_free_func (path_free);
  need->links = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return need;
  JsonObject *o = json_node_get_object (node);
  double notes;
  if (count_of (json_object_get_member (o, "notes"), &notes))
    need->notes = notes;
  JsonNode *paths = json_object_get_member (o, "paths");
  need->has_paths = paths != NULL && each_entry (paths, need, add_path);
  JsonNode *links = json_object_get_member (o, "links");
  need->has_links = links != NULL && each_entry (links, need, add_link);
  merge_paths (need->paths);
  return need;
}

/* One line, lower case at the start, as our messages are. */
static char *
one_line (const char *message)
{
  char *s = g_strdup (message != NULL ? message : "unknown error");
  g_strstrip (s);
  for (char *p = s; *p; p++)
    if (*p == '\n' || *p == '\r' || *p == '\t')
      *p = ' ';
  if (g_ascii_isupper (s[0]) && !g_ascii_isupper (s[1]))
    s[0] = g_ascii_tolower (s[0]);
  return s;
}

FwHistory *
fw_history_load (const char *path, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_autofree char *data = NULL;
  gsize len = 0;
  g_autoptr (GError) read_error = NULL;
  if (!g_file_get_contents (path, &data, &len, &read_error))
    {
      const char *reason = strrchr (read_error->message, ':');
      g_autofree char *lower = g_ascii_strdown (reason != NULL ? reason + 2 : read_error->message, -1);
      g_set_error (error, FW_ERROR, FW_ERROR_IO, "%s: cannot read: %s", path, lower);
      return NULL;
    }
  if (len > FW_MAX_REPORT_BYTES)
    {
      g_set_error (error, FW_ERROR, FW_ERROR_LIMIT, "%s: larger than the limit of %d MiB for a report",
                   path, FW_MAX_REPORT_BYTES / (1024 * 1024));
      return NULL;
    }
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GError) json_error = NULL;
  if (!json_parser_load_from_data (parser, data, (gssize) len, &json_error))
    {
      g_autofree char *msg = one_line (g_str_has_prefix (json_error->message, "<data>:") ? json_error->message + 7
                                                                                      : json_error->message);
      char *parse = strstr (msg, "Parse error");
      if (parse != NULL)
        *parse = 'p';
      g_set_error (error, FW_ERROR, FW_ERROR_INPUT, "%s: not a report: invalid JSON at %s", path, msg);
      return NULL;
    }
  JsonNode *root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error (error, FW_ERROR, FW_ERROR_INPUT, "%s: not a report: the file is empty", path);
      return NULL;
    }
  JsonNode *needs = JSON_NODE_HOLDS_OBJECT (root)
                        ? json_object_get_member (json_node_get_object (root), "needs")
                        : NULL;
  if (needs == NULL || !JSON_NODE_HOLDS_OBJECT (needs))
    {
      g_set_error (error, FW_ERROR, FW_ERROR_INPUT,
                   "%s: not a report: it has no \"needs\" object (write it with 'fivewhys report --format json')", path);
      return NULL;
    }
  FwHistory *history = g_new0 (FwHistory, 1);
  history->path = g_strdup (path);
  history->needs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, need_free);
  JsonObject *o = json_node_get_object (needs);
  g_autoptr (GList) names = json_object_get_members (o);
  for (GList *l = names; l != NULL; l = l->next)
    {
      FwNeedHistory *need = read_need (l->data, json_object_get_member (o, l->data));
      g_hash_table_replace (history->needs, need->id, need);
    }
  return history;
}

const FwNeedHistory *
fw_history_get_need (FwHistory *history, const char *id, GError **error)
{
  FwNeedHistory *need = g_hash_table_lookup (history->needs, id);
  if (need == NULL)
    {
      g_autoptr (GList) keys = g_hash_table_get_keys (history->needs);
      keys = g_list_sort (keys, (GCompareFunc) strcmp);
      GString *known = g_string_new (NULL);
      for (GList *l = keys; l != NULL; l = l->next)
        g_string_append_printf (known, "%s%s", known->len > 0 ? ", " : "", (const char *) l->data);
      g_set_error (error, FW_ERROR, FW_ERROR_INPUT, "%s: no history for need '%s': \"needs\" has no member \"%s\" (it has: %s)",
                   history->path, id, id, known->len > 0 ? known->str : "none");
      g_string_free (known, TRUE);
      return NULL;
    }
  if (need->notes < 0)
    {
      g_set_error (error, FW_ERROR, FW_ERROR_INPUT,
                   "%s: the history of need '%s' lacks \"notes\": needs.%s.notes must count its notes", history->path,
                   id, id);
      return NULL;
    }
  if (!need->has_paths && !need->has_links)
    {
      g_set_error (error, FW_ERROR, FW_ERROR_INPUT,
                   "%s: the history of need '%s' lacks \"paths\" and \"links\": needs.%s needs one of them to order the branches",
                   history->path, id, id);
      return NULL;
    }
  return need;
}

double
fw_need_history_prefix (const FwNeedHistory *need, const char *const *ids, guint n)
{
  double total = 0;
  for (guint i = 0; i < need->paths->len; i++)
    {
      const FwHistoryPath *p = g_ptr_array_index (need->paths, i);
      if (p->n_ids < n)
        continue;
      gboolean same = TRUE;
      for (guint k = 0; k < n && same; k++)
        same = strcmp (p->ids[k], ids[k]) == 0;
      if (same)
        total += p->count;
    }
  return total;
}

double
fw_need_history_link (const FwNeedHistory *need, const char *from, const char *to)
{
  if (need->has_links)
    {
      g_autofree char *key = g_strdup_printf ("%s>%s", from, to);
      const double *value = g_hash_table_lookup (need->links, key);
      return value != NULL ? *value : 0;
    }
  double total = 0;
  for (guint i = 0; i < need->paths->len; i++)
    {
      const FwHistoryPath *p = g_ptr_array_index (need->paths, i);
      for (guint k = 0; k + 1 < p->n_ids; k++)
        if (strcmp (p->ids[k], from) == 0 && strcmp (p->ids[k + 1], to) == 0)
          total += p->count;
    }
  return total;
}
