/* graph.c: rule trees as Graphviz DOT, for rule authors.
 *
 * One node per rung, filled by level; the need on top; every motivation
 * (motivation rungs and the shared layer's motivations that a path names)
 * in one bottom rank, so that the needs that lead to the same motivation
 * line up. Each edge carries the first question asked at its parent: the
 * question whose answer takes that edge. A rung shared by several parents
 * (<goto>) is one node; the edges from the parents that do not define it are
 * dashed. Node names are "RULESET/RUNG" ("need:RULESET" for the need,
 * "motivation:ID" for the shared layer, which all rulesets share).
 *
 * All text is rule text and is escaped for a DOT quoted string: backslash
 * and double quote are escaped (so "\N", "\l" and the like stay literal),
 * control characters are dropped, and long labels are wrapped with "\n".
 */
#include "config.h"

#include <string.h>

#include "fw-private.h"

#define LABEL_COLUMNS 28
#define EDGE_COLUMNS 30

static const char *
fill_of (FwLevel level)
{
  switch (level)
    {
    case FW_LEVEL_NEED:
      return "#d9d9d9";
    case FW_LEVEL_ATTRIBUTE:
      return "#c6dbef";
    case FW_LEVEL_FUNCTION:
      return "#c7e9c0";
    case FW_LEVEL_BENEFIT:
      return "#fdd0a2";
    case FW_LEVEL_MOTIVATION:
    default:
      return "#fcbba1";
    }
}

static void
append_dot_escaped (GString *out, const char *text, gsize len)
{
  const char *end = text + len;
  for (const char *p = text; p < end && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (c == '"' || c == '\\')
        g_string_append_c (out, '\\');
      if (g_unichar_iscntrl (c))
        c = ' ';
      g_string_append_unichar (out, c);
    }
}

/* Appends @text as the inside of a DOT quoted string, its words set on
 * lines of about @wrap characters ("\n" between them; 0: one line). */
static void
append_dot_text (GString *out, const char *text, guint wrap)
{
  guint col = 0;
  const char *p = text != NULL ? text : "";
  while (*p != '\0')
    {
      while (*p == ' ')
        p++;
      if (*p == '\0')
        break;
      const char *space = strchr (p, ' ');
      gsize len = space != NULL ? (gsize) (space - p) : strlen (p);
      guint chars = (guint) g_utf8_strlen (p, (gssize) len);
      if (col > 0 && wrap > 0 && col + 1 + chars > wrap)
        {
          g_string_append (out, "\\n");
          col = 0;
        }
      else if (col > 0)
        {
          g_string_append_c (out, ' ');
          col++;
        }
      append_dot_escaped (out, p, len);
      col += chars;
      p += len;
    }
}

static void
append_node_name (GString *out, FwRuleset *ruleset, FwRung *rung)
{
  g_string_append_c (out, '"');
  if (rung == NULL)
    {
      g_string_append (out, "need:");
      append_dot_text (out, ruleset->id, 0);
    }
  else if (rung->is_layer)
    {
      g_string_append (out, "motivation:");
      append_dot_text (out, rung->motivation->id, 0);
    }
  else
    {
      append_dot_text (out, ruleset->id, 0);
      g_string_append_c (out, '/');
      append_dot_text (out, rung->id, 0);
    }
  g_string_append_c (out, '"');
}

static void
append_rung_node (GString *out, FwRuleset *ruleset, FwRung *rung)
{
  g_string_append (out, "  ");
  append_node_name (out, ruleset, rung);
  g_string_append (out, " [label=\"");
  if (rung->is_layer)
    {
      append_dot_text (out, rung->motivation->label != NULL ? rung->motivation->label : rung->motivation->id,
                       LABEL_COLUMNS);
      g_string_append (out, "\\nmotivation");
    }
  else
    {
      append_dot_text (out, rung->label != NULL ? rung->label : rung->id, LABEL_COLUMNS);
      g_string_append (out, "\\n");
      append_dot_text (out, fw_level_to_string (rung->level), 0);
      if (rung->motivation != NULL)
        {
          g_string_append (out, ": ");
          append_dot_text (out, rung->motivation->id, 0);
        }
    }
  g_string_append_printf (out, "\", fillcolor=\"%s\"%s];\n", fill_of (rung->level),
                          rung->is_layer ? ", shape=ellipse, style=filled, penwidth=2" : "");
}

static void
append_edge (GString *out, FwRuleset *ruleset, FwRung *from, FwRung *to, GPtrArray *asks)
{
  g_string_append (out, "  ");
  append_node_name (out, ruleset, from);
  g_string_append (out, " -> ");
  append_node_name (out, ruleset, to);
  GString *attrs = g_string_new (NULL);
  if (asks != NULL && asks->len > 0)
    {
      g_string_append (attrs, "label=\"");
      append_dot_text (attrs, g_ptr_array_index (asks, 0), EDGE_COLUMNS);
      g_string_append_c (attrs, '"');
    }
  /* A <goto>: the child is defined under another parent. */
  if (!to->is_layer && to->parent != from)
    g_string_append_printf (attrs, "%sstyle=dashed", attrs->len > 0 ? ", " : "");
  if (attrs->len > 0)
    g_string_append_printf (out, " [%s]", attrs->str);
  g_string_append (out, ";\n");
  g_string_free (attrs, TRUE);
}

static void
append_ruleset (GString *out, FwRuleset *ruleset, GPtrArray *sink, GHashTable *layer_seen)
{
  g_string_append (out, "\n  /* ");
  /* a comment cannot hold "*" "/" safely: keep the id only, which the schema limits */
  g_string_append (out, ruleset->id);
  g_string_append (out, " */\n  ");
  append_node_name (out, ruleset, NULL);
  g_string_append (out, " [label=\"");
  append_dot_text (out, ruleset->title != NULL ? ruleset->title : ruleset->id, LABEL_COLUMNS);
  g_string_append_printf (out, "\\nneed\", shape=box, style=\"filled,bold\", fillcolor=\"%s\"];\n",
                          fill_of (FW_LEVEL_NEED));

  /* Nodes: the ruleset's rungs, then the shared motivations its paths name. */
  for (guint i = 0; i < ruleset->all_rungs->len; i++)
    {
      FwRung *rung = g_ptr_array_index (ruleset->all_rungs, i);
      append_rung_node (out, ruleset, rung);
      if (rung->level == FW_LEVEL_MOTIVATION)
        {
          GString *name = g_string_new (NULL);
          append_node_name (name, ruleset, rung);
          g_ptr_array_add (sink, g_string_free (name, FALSE));
        }
    }
  GPtrArray *parents = g_ptr_array_new ();
  g_ptr_array_add (parents, NULL);
  g_ptr_array_extend (parents, ruleset->all_rungs, NULL, NULL);
  for (guint i = 0; i < parents->len; i++)
    {
      FwRung *parent = g_ptr_array_index (parents, i);
      GPtrArray *children = parent != NULL ? parent->children : ruleset->rungs;
      for (guint c = 0; c < children->len; c++)
        {
          FwRung *child = g_ptr_array_index (children, c);
          if (!child->is_layer || g_hash_table_contains (layer_seen, child->motivation))
            continue;
          g_hash_table_add (layer_seen, child->motivation);
          append_rung_node (out, ruleset, child);
          GString *name = g_string_new (NULL);
          append_node_name (name, ruleset, child);
          g_ptr_array_add (sink, g_string_free (name, FALSE));
        }
    }

  /* Edges, each labelled with the parent's first question. */
  for (guint i = 0; i < parents->len; i++)
    {
      FwRung *parent = g_ptr_array_index (parents, i);
      GPtrArray *children = parent != NULL ? parent->children : ruleset->rungs;
      GPtrArray *asks = parent != NULL ? parent->asks : ruleset->asks;
      for (guint c = 0; c < children->len; c++)
        append_edge (out, ruleset, parent, g_ptr_array_index (children, c), asks);
    }
  g_ptr_array_unref (parents);
}

char *
fw_graph_dot (FwLibrary *library, const GPtrArray *rulesets)
{
  g_return_val_if_fail (library != NULL && library->compiled, NULL);
  const GPtrArray *list = rulesets != NULL && rulesets->len > 0 ? rulesets : library->rulesets;
  GString *out = g_string_new (NULL);
  g_string_append (out,
                   "digraph fivewhys {\n"
                   "  graph [rankdir=TB, charset=\"UTF-8\", fontname=\"Helvetica\", nodesep=0.25, ranksep=0.55];\n"
                   "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=11];\n"
                   "  edge [fontname=\"Helvetica\", fontsize=9, color=\"#555555\", fontcolor=\"#333333\"];\n");
  g_autoptr (GPtrArray) sink = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GHashTable) layer_seen = g_hash_table_new (g_direct_hash, g_direct_equal);
  for (guint i = 0; i < list->len; i++)
    append_ruleset (out, g_ptr_array_index (list, i), sink, layer_seen);
  if (sink->len > 0)
    {
      g_string_append (out, "\n  /* the motivations, in one bottom rank */\n  { rank=sink;");
      for (guint i = 0; i < sink->len; i++)
        g_string_append_printf (out, " %s;", (const char *) g_ptr_array_index (sink, i));
      g_string_append (out, " }\n");
    }
  g_string_append (out, "}\n");
  return g_string_free (out, FALSE);
}
