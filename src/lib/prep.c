/* prep.c: the call-prep script: one need's why-ladder as a page a seller
 * reads before a call, in plain text, Markdown or HTML.
 *
 * The script is planned once (which rung comes where, and its number) and
 * then written in the chosen format, so the three formats always say the
 * same thing. The plan walks the rule tree depth first, the main path (the
 * first child in the rule) first, or with a history the branch customers
 * took most often first. A rung shared by several parents (<goto>) is
 * described once, where the walk first meets it, and referred to by number
 * elsewhere; a motivation is explained in full once, likewise.
 *
 * The opening and closing words come from the project's seeds: questions
 * about the customer's situation and business (seed 002), the situation,
 * need and measure of value behind every purchase (001), the five value
 * attributes customers measure (003), improving the customer rather than
 * only pleasing them (000), and discovery as a long relationship, not a
 * one-off sale (004).
 *
 * Rule text is untrusted: the HTML escapes all of it with
 * g_markup_escape_text() (and is XHTML-compatible, so an XML parser can
 * check it), Markdown backslash-escapes what could turn into markup or raw
 * HTML, and the plain text drops control characters that a terminal could
 * act on.
 */
#include "config.h"

#include <string.h>

#include "fw-private.h"
#include "prep-private.h"

#define DEFAULT_WIDTH 80
#define MIN_WIDTH 30
#define TOP_PATHS 5
#define MAX_NUMBER 24   /* characters of an outline number ("1.2.1") */
#define MAX_ROUTE 6     /* rung ids shown in a share's route */

/* ---- the plan ------------------------------------------------------------------ */

typedef struct _Node Node;

typedef struct {
  FwRung *rung;
  double count;  /* history: notes that took this branch here; -1: unknown */
  char *route;   /* "money → purchase", for the share; NULL without history */
  guint order;   /* position in the rule, for ties */
} Branch;

struct _Node {
  FwRung *rung;          /* NULL for the need */
  char *number;          /* "1.2.1"; "" for the need */
  GPtrArray *branches;   /* Branch*, in the order to show */
  Node *home;            /* the node under which this one is described */
  Node *motivation_at;   /* where its motivation is explained; itself when here */
};

typedef struct {
  FwLibrary *library;
  FwRuleset *ruleset;
  const FwNeedHistory *history;
  GPtrArray *nodes;             /* Node*, in script order, the need first */
  GHashTable *node_by_rung;     /* FwRung* -> Node* */
  GHashTable *motivation_node;  /* FwMotivation* -> Node* that explains it */
  GPtrArray *route;             /* const char* rung ids, during the walk */
} Plan;

static void
branch_free (gpointer data)
{
  Branch *b = data;
  g_free (b->route);
  g_free (b);
}

static void
node_free (gpointer data)
{
  Node *node = data;
  g_free (node->number);
  g_ptr_array_unref (node->branches);
  g_free (node);
}

static Node *
node_new (FwRung *rung, char *number, Node *home)
{
  Node *node = g_new0 (Node, 1);
  node->rung = rung;
  node->number = number;
  node->home = home;
  node->branches = g_ptr_array_new_with_free_func (branch_free);
  return node;
}

static gint
compare_branches (gconstpointer a, gconstpointer b)
{
  const Branch *x = *(Branch **) a;
  const Branch *y = *(Branch **) b;
  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  return (x->order > y->order) - (x->order < y->order);
}

/* How many notes took @child from where the walk stands, and the route to
 * show with that share. */
static void
weigh_branch (Plan *plan, Branch *branch)
{
  const FwNeedHistory *h = plan->history;
  branch->count = -1;
  if (h == NULL)
    return;
  if (h->has_paths)
    {
      g_ptr_array_add (plan->route, branch->rung->id);
      branch->count = fw_need_history_prefix (h, (const char *const *) plan->route->pdata, plan->route->len);
      GString *route = g_string_new (NULL);
      guint first = plan->route->len > MAX_ROUTE ? plan->route->len - MAX_ROUTE : 0;
      if (first > 0)
        g_string_append (route, "…");
      for (guint i = first; i < plan->route->len; i++)
        g_string_append_printf (route, "%s%s", i > 0 ? " → " : "", (const char *) g_ptr_array_index (plan->route, i));
      branch->route = g_string_free (route, FALSE);
      g_ptr_array_remove_index (plan->route, plan->route->len - 1);
    }
  else if (plan->route->len > 0)
    {
      const char *from = g_ptr_array_index (plan->route, plan->route->len - 1);
      branch->count = fw_need_history_link (h, from, branch->rung->id);
      branch->route = g_strdup_printf ("%s → %s", from, branch->rung->id);
    }
}

/* Plans the branches under @node (its rung's children, or the need's
 * rungs) and, depth first, every rung not planned yet. */
static void
plan_children (Plan *plan, Node *node, GPtrArray *children)
{
  for (guint i = 0; i < children->len; i++)
    {
      Branch *branch = g_new0 (Branch, 1);
      branch->rung = g_ptr_array_index (children, i);
      branch->order = i;
      weigh_branch (plan, branch);
      g_ptr_array_add (node->branches, branch);
    }
  g_ptr_array_sort (node->branches, compare_branches);

  guint k = 0;
  for (guint i = 0; i < node->branches->len; i++)
    {
      FwRung *rung = ((Branch *) g_ptr_array_index (node->branches, i))->rung;
      if (g_hash_table_contains (plan->node_by_rung, rung))
        continue;
      k++;
      /* Outline numbers ("1.2.1") while they stay short; past that (only a
       * very deep chain of <goto>s gets there) a plain running number, so
       * that the script stays linear in the size of the rules. */
      char *number = *node->number == '\0'                ? g_strdup_printf ("%u", k)
                     : strlen (node->number) < MAX_NUMBER ? g_strdup_printf ("%s.%u", node->number, k)
                                                          : g_strdup_printf ("#%u", plan->nodes->len);
      Node *child = node_new (rung, number, node);
      g_ptr_array_add (plan->nodes, child);
      g_hash_table_insert (plan->node_by_rung, rung, child);
      if (rung->motivation != NULL)
        {
          child->motivation_at = g_hash_table_lookup (plan->motivation_node, rung->motivation);
          if (child->motivation_at == NULL)
            {
              child->motivation_at = child;
              g_hash_table_insert (plan->motivation_node, rung->motivation, child);
            }
        }
      g_ptr_array_add (plan->route, rung->id);
      plan_children (plan, child, rung->children);
      g_ptr_array_remove_index (plan->route, plan->route->len - 1);
    }
}

static void
plan_init (Plan *plan, FwLibrary *library, FwRuleset *ruleset, const FwNeedHistory *history)
{
  memset (plan, 0, sizeof *plan);
  plan->library = library;
  plan->ruleset = ruleset;
  plan->history = history;
  plan->nodes = g_ptr_array_new_with_free_func (node_free);
  plan->node_by_rung = g_hash_table_new (g_direct_hash, g_direct_equal);
  plan->motivation_node = g_hash_table_new (g_direct_hash, g_direct_equal);
  plan->route = g_ptr_array_new ();
  Node *need = node_new (NULL, g_strdup (""), NULL);
  g_ptr_array_add (plan->nodes, need);
  plan_children (plan, need, ruleset->rungs);
}

static void
plan_clear (Plan *plan)
{
  g_ptr_array_unref (plan->nodes);
  g_hash_table_unref (plan->node_by_rung);
  g_hash_table_unref (plan->motivation_node);
  g_ptr_array_unref (plan->route);
}

/* ---- output, in three formats ------------------------------------------------ */

typedef struct {
  FwPrepFormat format;
  GString *s;
  guint width;
  gboolean in_list;  /* a list of bullets or checkboxes is open */
} Out;

/* @text without control characters (a terminal could act on them). */
static char *
clean (const char *text)
{
  GString *out = g_string_new (NULL);
  for (const char *p = text != NULL ? text : ""; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (c == '\t' || c == '\n' || c == '\r')
        g_string_append_c (out, ' ');
      else if (!g_unichar_iscntrl (c))
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

/* Markdown: backslash-escapes every character that could start markup or
 * raw HTML, and a list marker at the start ("- ", "+ ", "12. "). */
static char *
md_escape (const char *text)
{
  g_autofree char *cleaned = clean (text);
  GString *out = g_string_new (NULL);
  const char *p = cleaned;
  if ((*p == '-' || *p == '+') && (p[1] == ' ' || p[1] == '\0'))
    g_string_append_c (out, '\\');
  else
    {
      const char *q = p;
      while (g_ascii_isdigit (*q))
        q++;
      if (q > p && q - p <= 9 && (*q == '.' || *q == ')') && (q[1] == ' ' || q[1] == '\0'))
        {
          g_string_append_len (out, p, q - p);
          g_string_append_c (out, '\\');
          p = q;
        }
    }
  for (; *p != '\0'; p++)
    {
      if (strchr ("\\`*_[]<>#|~&", *p) != NULL)
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/* Rule text made safe for the output format. */
static char *
escape (Out *o, const char *text)
{
  switch (o->format)
    {
    case FW_PREP_HTML:
      return g_markup_escape_text (text != NULL ? text : "", -1);
    case FW_PREP_MARKDOWN:
      return md_escape (text);
    case FW_PREP_TEXT:
    default:
      return clean (text);
    }
}

/* Columns @text takes on a terminal: wide characters (CJK, most emoji)
 * take two, combining marks none. */
static guint
columns (const char *text, gssize len)
{
  guint n = 0;
  const char *end = len < 0 ? NULL : text + len;
  for (const char *p = text; *p != '\0' && (end == NULL || p < end); p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (g_unichar_iszerowidth (c))
        continue;
      n += g_unichar_iswide (c) ? 2 : 1;
    }
  return n;
}

static void
spaces (GString *s, guint n)
{
  for (guint i = 0; i < n; i++)
    g_string_append_c (s, ' ');
}

/* Appends @text wrapped at spaces to the width: the first line indented by
 * @indent, the others by @hang. A word longer than a line gets a line of
 * its own and is not cut. */
static void
wrap (Out *o, guint indent, guint hang, const char *text)
{
  guint width = MAX (o->width, (guint) MIN_WIDTH);
  indent = MIN (indent, width / 2);
  hang = MIN (hang, width / 2);
  guint col = 0;
  gboolean line_empty = TRUE;
  spaces (o->s, indent);
  col = indent;
  const char *p = text;
  while (*p != '\0')
    {
      while (*p == ' ')
        p++;
      if (*p == '\0')
        break;
      const char *end = strchr (p, ' ');
      gsize len = end != NULL ? (gsize) (end - p) : strlen (p);
      guint w = columns (p, (gssize) len);
      if (!line_empty && col + 1 + w > width)
        {
          g_string_append_c (o->s, '\n');
          spaces (o->s, hang);
          col = hang;
          line_empty = TRUE;
        }
      if (!line_empty)
        {
          g_string_append_c (o->s, ' ');
          col++;
        }
      g_string_append_len (o->s, p, (gssize) len);
      col += w;
      line_empty = FALSE;
      p += len;
    }
  g_string_append_c (o->s, '\n');
}

/* Text and Markdown: ends what was written with one blank line, so that
 * every block is set off by exactly one. */
static void
blank_line (Out *o)
{
  if (o->s->len == 0)
    return;
  while (o->s->len < 2 || o->s->str[o->s->len - 1] != '\n' || o->s->str[o->s->len - 2] != '\n')
    g_string_append_c (o->s, '\n');
}

static void
close_list (Out *o)
{
  if (!o->in_list)
    return;
  o->in_list = FALSE;
  if (o->format == FW_PREP_HTML)
    g_string_append (o->s, "</ul>\n");
  else
    blank_line (o);
}

static const char html_head[] =
  "<!DOCTYPE html>\n"
  "<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"%s\" xml:lang=\"%s\">\n"
  "<head>\n"
  "<meta charset=\"utf-8\"/>\n"
  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
  "<meta name=\"generator\" content=\"fivewhys prep\"/>\n"
  "<title>%s</title>\n"
  "<style>\n"
  "body { font: 11pt/1.45 Georgia, 'Times New Roman', serif; color: #222; max-width: 46em; margin: 2em auto; padding: 0 1em; }\n"
  "h1 { font-size: 1.7em; margin: 0 0 .2em; }\n"
  "h2 { font-size: 1.25em; border-bottom: 1px solid #bbb; margin: 1.6em 0 .5em; padding-bottom: .15em; }\n"
  "h3 { font-size: 1.05em; margin: 0 0 .4em; }\n"
  "h4 { font-size: .8em; text-transform: uppercase; letter-spacing: .05em; color: #555; margin: .6em 0 .2em; }\n"
  "ul { margin: .2em 0 .5em; padding-left: 1.4em; }\n"
  ".lead { font-style: italic; }\n"
  ".num { display: inline-block; min-width: 2.2em; color: #555; font-family: Helvetica, Arial, sans-serif; }\n"
  ".tag { font: .75em Helvetica, Arial, sans-serif; background: #eee; border-radius: 3px; padding: 0 .4em; color: #444; vertical-align: middle; }\n"
  ".rung { border-left: 5px solid #999; padding: .4em .8em .5em; margin: .9em 0; background: #fafafa; }\n"
  ".level-need { border-color: #7f7f7f; }\n"
  ".level-attribute { border-color: #4e79a7; }\n"
  ".level-function { border-color: #59a14f; }\n"
  ".level-benefit { border-color: #f28e2b; }\n"
  ".level-motivation { border-color: #e15759; background: #fff5f5; }\n"
  ".note { color: #555; font-size: .9em; }\n"
  ".checklist { list-style: none; padding-left: .4em; }\n"
  ".checklist li::before { content: \"\\2610\\00a0\\00a0\"; }\n"
  "a { color: inherit; }\n"
  "@page { margin: 14mm; }\n"
  "@media print {\n"
  "  body { font-size: 10pt; max-width: none; margin: 0; padding: 0; }\n"
  "  .rung, .block, li { break-inside: avoid; page-break-inside: avoid; }\n"
  "  h2, h3, h4 { break-after: avoid; page-break-after: avoid; }\n"
  "  a { text-decoration: none; }\n"
  "}\n"
  "</style>\n"
  "</head>\n"
  "<body>\n";

static void
out_title (Out *o, const char *lang, const char *title, const char *lead)
{
  g_autofree char *t = escape (o, title);
  g_autofree char *l = lead != NULL ? escape (o, lead) : NULL;
  switch (o->format)
    {
    case FW_PREP_HTML:
      {
        g_autofree char *lang_attr = g_markup_escape_text (lang != NULL ? lang : "en", -1);
        g_string_append_printf (o->s, html_head, lang_attr, lang_attr, t);
        g_string_append_printf (o->s, "<h1>%s</h1>\n", t);
        if (l != NULL)
          g_string_append_printf (o->s, "<p class=\"lead\">%s</p>\n", l);
      }
      break;
    case FW_PREP_MARKDOWN:
      g_string_append_printf (o->s, "# %s\n\n", t);
      if (l != NULL)
        g_string_append_printf (o->s, "_%s_\n\n", l);
      break;
    case FW_PREP_TEXT:
      wrap (o, 0, 0, t);
      for (guint i = 0; i < MIN (columns (t, -1), MAX (o->width, (guint) MIN_WIDTH)); i++)
        g_string_append_c (o->s, '=');
      g_string_append_c (o->s, '\n');
      if (l != NULL)
        {
          blank_line (o);
          wrap (o, 0, 0, l);
        }
      break;
    }
}

static void
out_section (Out *o, const char *title)
{
  close_list (o);
  g_autofree char *t = escape (o, title);
  switch (o->format)
    {
    case FW_PREP_HTML:
      g_string_append_printf (o->s, "<h2>%s</h2>\n", t);
      break;
    case FW_PREP_MARKDOWN:
      g_string_append_printf (o->s, "## %s\n\n", t);
      break;
    case FW_PREP_TEXT:
      blank_line (o);
      g_string_append_c (o->s, '\n');
      wrap (o, 0, 0, t);
      for (guint i = 0; i < MIN (columns (t, -1), MAX (o->width, (guint) MIN_WIDTH)); i++)
        g_string_append_c (o->s, '-');
      g_string_append_c (o->s, '\n');
      break;
    }
}

static void
out_para (Out *o, const char *text)
{
  close_list (o);
  g_autofree char *t = escape (o, text);
  switch (o->format)
    {
    case FW_PREP_HTML:
      g_string_append_printf (o->s, "<p>%s</p>\n", t);
      break;
    case FW_PREP_MARKDOWN:
      g_string_append_printf (o->s, "%s\n\n", t);
      break;
    case FW_PREP_TEXT:
      blank_line (o);
      wrap (o, 0, 0, t);
      break;
    }
}

/* A bullet (@check FALSE) or a checkbox of a list at section level. */
static void
out_item (Out *o, const char *text, gboolean check)
{
  g_autofree char *t = escape (o, text);
  switch (o->format)
    {
    case FW_PREP_HTML:
      if (!o->in_list)
        g_string_append (o->s, check ? "<ul class=\"checklist block\">\n" : "<ul>\n");
      g_string_append_printf (o->s, "<li>%s</li>\n", t);
      break;
    case FW_PREP_MARKDOWN:
      g_string_append_printf (o->s, "- %s%s\n", check ? "[ ] " : "", t);
      break;
    case FW_PREP_TEXT:
      {
        if (!o->in_list)
          blank_line (o);
        g_autofree char *line = g_strdup_printf ("%s%s", check ? "[ ] " : "* ", t);
        wrap (o, 2, check ? 6 : 4, line);
      }
      break;
    }
  o->in_list = TRUE;
}

static void
out_rung_begin (Out *o, const char *number, const char *label, const char *tag, const char *level_class,
                const char *anchor)
{
  close_list (o);
  g_autofree char *l = escape (o, label);
  g_autofree char *t = tag != NULL ? escape (o, tag) : NULL;
  switch (o->format)
    {
    case FW_PREP_HTML:
      {
        g_autofree char *a = g_markup_escape_text (anchor, -1);
        g_autofree char *n = g_markup_escape_text (number, -1);
        g_string_append_printf (o->s, "<section class=\"rung level-%s\" id=\"%s\">\n<h3>", level_class, a);
        if (*n != '\0')
          g_string_append_printf (o->s, "<span class=\"num\">%s</span> ", n);
        g_string_append (o->s, l);
        if (t != NULL)
          g_string_append_printf (o->s, " <span class=\"tag\">%s</span>", t);
        g_string_append (o->s, "</h3>\n");
      }
      break;
    case FW_PREP_MARKDOWN:
      g_string_append_printf (o->s, "### %s%s%s", number, *number != '\0' ? " " : "", l);
      if (t != NULL)
        g_string_append_printf (o->s, " _(%s)_", t);
      g_string_append (o->s, "\n\n");
      break;
    case FW_PREP_TEXT:
      {
        blank_line (o);
        g_autofree char *line = t != NULL ? g_strdup_printf ("%s%s%s  (%s)", number, *number != '\0' ? "  " : "", l, t)
                                          : g_strdup_printf ("%s%s%s", number, *number != '\0' ? "  " : "", l);
        wrap (o, 0, *number != '\0' ? (guint) strlen (number) + 2 : 0, line);
      }
      break;
    }
}

static void
out_rung_end (Out *o)
{
  if (o->format == FW_PREP_HTML)
    g_string_append (o->s, "</section>\n");
}

static void
out_field_begin (Out *o, const char *name)
{
  g_autofree char *n = escape (o, name);
  switch (o->format)
    {
    case FW_PREP_HTML:
      g_string_append_printf (o->s, "<h4>%s</h4>\n<ul>\n", n);
      break;
    case FW_PREP_MARKDOWN:
      g_string_append_printf (o->s, "**%s**\n\n", n);
      break;
    case FW_PREP_TEXT:
      wrap (o, 2, 2, n);
      break;
    }
}

static void
out_field_end (Out *o)
{
  if (o->format == FW_PREP_HTML)
    g_string_append (o->s, "</ul>\n");
  else if (o->format == FW_PREP_MARKDOWN)
    g_string_append_c (o->s, '\n');
}

/* One item of a field: @lead in bold (a link to @anchor in HTML when
 * given), then @text, then a @note on a line of its own. Each may be NULL. */
static void
out_field_item (Out *o, const char *anchor, const char *lead, const char *text, const char *note)
{
  g_autofree char *l = lead != NULL ? escape (o, lead) : NULL;
  g_autofree char *t = text != NULL ? escape (o, text) : NULL;
  g_autofree char *n = note != NULL ? escape (o, note) : NULL;
  switch (o->format)
    {
    case FW_PREP_HTML:
      g_string_append (o->s, "<li>");
      if (l != NULL && anchor != NULL)
        {
          g_autofree char *a = g_markup_escape_text (anchor, -1);
          g_string_append_printf (o->s, "<a href=\"#%s\"><b>%s</b></a>", a, l);
        }
      else if (l != NULL)
        g_string_append_printf (o->s, "<b>%s</b>", l);
      if (t != NULL)
        g_string_append_printf (o->s, "%s%s", l != NULL ? " " : "", t);
      if (n != NULL)
        g_string_append_printf (o->s, "<br/><span class=\"note\">%s</span>", n);
      g_string_append (o->s, "</li>\n");
      break;
    case FW_PREP_MARKDOWN:
      g_string_append (o->s, "- ");
      if (l != NULL)
        g_string_append_printf (o->s, "**%s**", l);
      if (t != NULL)
        g_string_append_printf (o->s, "%s%s", l != NULL ? " " : "", t);
      if (n != NULL)
        g_string_append_printf (o->s, "  \n  _%s_", n);
      g_string_append_c (o->s, '\n');
      break;
    case FW_PREP_TEXT:
      {
        g_autofree char *line = g_strdup_printf ("%s%s%s", l != NULL ? l : "", l != NULL && t != NULL ? " " : "",
                                                 t != NULL ? t : "");
        wrap (o, 4, 6, line);
        if (n != NULL)
          wrap (o, 6, 6, n);
      }
      break;
    }
}

static void
out_end (Out *o)
{
  close_list (o);
  if (o->format == FW_PREP_HTML)
    g_string_append (o->s, "<p class=\"note\">Written by fivewhys prep from the rules; the questions, answers and framing are the rule authors'.</p>\n</body>\n</html>\n");
}

/* ---- words of the script ------------------------------------------------------ */

typedef struct {
  const char *id;
  const char *name;
  const char *explain;
} ValueAttribute;

/* Seed 003: what customers measure in virtually any product. */
static const ValueAttribute value_attributes[] = {
  { "ease-of-use", "Ease of use",
    "they measure how little effort it takes to get and to use; show how simple each step is for them." },
  { "timeliness", "Timeliness",
    "they measure whether it comes when they need it; be concrete about dates and how long each step takes." },
  { "certainty", "Certainty",
    "they measure consistency, accuracy, reliability, predictability and safety; show what will not change and what protects them." },
  { "cost", "Cost to own and use",
    "they measure value for money over the whole life of it, not the price alone; show the total cost and what it saves them." },
  { "variety", "Variety and choice",
    "they measure the options it leaves them, now and later; lay out the choices rather than one offer." },
};

static const ValueAttribute *
value_attribute (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (value_attributes); i++)
    if (strcmp (value_attributes[i].id, id) == 0)
      return &value_attributes[i];
  return NULL;
}

static char *
quoted (const char *text)
{
  return g_strdup_printf ("“%s”", text);
}

/* "home loan customers" for the title "Home loan"; "CRM software
 * customers" keeps its capitals. */
static char *
customers_of (FwRuleset *ruleset)
{
  const char *title = ruleset->title != NULL ? ruleset->title : ruleset->id;
  g_autofree char *t = g_strdup (title);
  gunichar first = g_utf8_get_char (t);
  const char *second = g_utf8_next_char (t);
  if (g_unichar_isupper (first) && (*second == '\0' || !g_unichar_isupper (g_utf8_get_char (second))))
    {
      char buf[8] = { 0 };
      g_unichar_to_utf8 (g_unichar_tolower (first), buf);
      g_autofree char *rest = g_strdup (second);
      g_free (t);
      t = g_strconcat (buf, rest, NULL);
    }
  return g_strdup_printf ("%s customers", t);
}

/* "62% of home loan customers: money → purchase", or NULL. */
static char *
share_text (Plan *plan, const Branch *branch)
{
  const FwNeedHistory *h = plan->history;
  if (h == NULL || branch->count < 0 || branch->route == NULL)
    return NULL;
  g_autofree char *who = customers_of (plan->ruleset);
  if (h->notes <= 0 || branch->count <= 0)
    return g_strdup_printf ("not taken by past %s: %s", who, branch->route);
  double pct = 100.0 * branch->count / h->notes;
  if (pct > 0 && pct < 0.5)
    return g_strdup_printf ("<1%% of %s: %s", who, branch->route);
  return g_strdup_printf ("%.0f%% of %s: %s", (double) (long) (pct + 0.5), who, branch->route);
}

static const char *
level_name (FwRung *rung)
{
  return rung != NULL ? fw_level_to_string (rung->level) : "need";
}

static char *
anchor_of (FwRung *rung)
{
  if (rung == NULL)
    return g_strdup ("need");
  return g_strdup_printf ("%s-%s", rung->is_layer ? "m" : "r", rung->id);
}

/* The label a seller reads for @rung. */
static const char *
label_of (FwRung *rung)
{
  if (rung->is_layer && rung->motivation != NULL && rung->motivation->label != NULL)
    return rung->motivation->label;
  return rung->label != NULL ? rung->label : rung->id;
}

/* The examples to listen for at @rung: its own, or for a motivation of the
 * shared layer, the motivation's examples in the ruleset's language. */
static GPtrArray *
examples_of (Plan *plan, FwRung *rung)
{
  GPtrArray *out = g_ptr_array_new ();
  if (rung == NULL)
    {
      for (guint i = 0; i < plan->ruleset->need_examples->len; i++)
        g_ptr_array_add (out, ((FwExample *) g_ptr_array_index (plan->ruleset->need_examples, i))->text);
      return out;
    }
  if (rung->is_layer && rung->motivation != NULL)
    {
      FwMotivation *m = rung->motivation;
      for (guint i = 0; i < m->examples->len; i++)
        if (g_strcmp0 (g_ptr_array_index (m->example_langs, i), plan->ruleset->lang) == 0)
          g_ptr_array_add (out, ((FwExample *) g_ptr_array_index (m->examples, i))->text);
      return out;
    }
  for (guint i = 0; i < rung->example_texts->len; i++)
    g_ptr_array_add (out, g_ptr_array_index (rung->example_texts, i));
  return out;
}

/* ---- the script ------------------------------------------------------------------ */

static void
write_opening (Out *o, Plan *plan)
{
  FwRuleset *r = plan->ruleset;
  g_autofree char *title = g_strdup_printf ("Call prep: %s", r->title != NULL ? r->title : r->id);
  out_title (o, r->lang, title, r->description);
  out_para (o, "Your aim is to improve the customer, not only to please them: find what they are really trying to "
               "achieve, and bring an idea they have not thought of yet. Ask permission before you dig, listen more "
               "than you talk, and follow their answers down the ladder below, one \"why\" at a time.");

  out_section (o, "Before the call: their situation");
  out_para (o, "There is always a situation, a need and a measure of value behind a purchase. Be curious: learn "
               "how they work and what they want to achieve before you talk about the product.");
  out_item (o, "What situation are they in, and what made them start looking now?", FALSE);
  out_item (o, "Who do they create value for (their customers, their family, their team), and how?", FALSE);
  out_item (o, "What is driving this (the catalysts), and what stands in the way (the obstacles)?", FALSE);
  out_item (o, "Who else takes part in the decision, and how do they decide together?", FALSE);
  out_item (o, "How do they go about it today: the key steps, people and tools?", FALSE);
  out_item (o, "Once it is done, how will they know it was a good purchase?", FALSE);

  out_section (o, "How they will measure value");
  out_para (o, "Customers judge almost any product by a few attributes. Ask how they will measure value, and "
               "listen for which of these they name; rungs below say which one a customer is measuring when they "
               "give that answer.");
  for (guint i = 0; i < G_N_ELEMENTS (value_attributes); i++)
    {
      g_autofree char *item = g_strdup_printf ("%s: %s", value_attributes[i].name, value_attributes[i].explain);
      out_item (o, item, FALSE);
    }
}

static char *
path_labels (Plan *plan, const FwHistoryPath *p, gboolean *reached)
{
  GString *s = g_string_new (NULL);
  *reached = FALSE;
  for (guint i = 0; i < p->n_ids; i++)
    {
      const char *id = p->ids[i];
      FwRung *rung = g_hash_table_lookup (plan->ruleset->rung_by_id, id);
      FwMotivation *m = g_hash_table_lookup (plan->library->motivation_by_id, id);
      const char *label = rung != NULL ? label_of (rung) : m != NULL && m->label != NULL ? m->label : id;
      g_string_append_printf (s, "%s%s", i > 0 ? " → " : "", label);
      if (i + 1 == p->n_ids)
        *reached = (rung != NULL && rung->level == FW_LEVEL_MOTIVATION) || (rung == NULL && m != NULL);
    }
  return g_string_free (s, FALSE);
}

static void
write_history (Out *o, Plan *plan)
{
  const FwNeedHistory *h = plan->history;
  if (h == NULL)
    return;
  out_section (o, "What past customers said");
  g_autofree char *who = customers_of (plan->ruleset);
  if (h->notes <= 0)
    {
      out_para (o, "The report holds no past deal notes for this need: the branches below are in rule order.");
      return;
    }
  g_autofree char *intro = g_strdup_printf (
      "From %.0f past deal notes. The branches below are ordered by how often customers took them, with the share "
      "of %s who did.%s",
      h->notes, who, h->paths->len > 0 ? " The ladders customers took most often:" : "");
  out_para (o, intro);
  for (guint i = 0; i < h->paths->len && i < TOP_PATHS; i++)
    {
      const FwHistoryPath *p = g_ptr_array_index (h->paths, i);
      gboolean reached;
      g_autofree char *labels = path_labels (plan, p, &reached);
      double pct = 100.0 * p->count / h->notes;
      g_autofree char *share = pct > 0 && pct < 0.5 ? g_strdup ("<1%") : g_strdup_printf ("%.0f%%", (double) (long) (pct + 0.5));
      g_autofree char *item = g_strdup_printf ("%s of %s: %s%s", share, who, labels,
                                               reached ? "" : " (stopped before a motivation)");
      out_item (o, item, FALSE);
    }
}

static void
write_motivation (Out *o, Node *node)
{
  FwMotivation *m = node->rung->motivation;
  const char *label = m->label != NULL ? m->label : m->id;
  if (node->motivation_at != node)
    {
      g_autofree char *name = g_strdup_printf ("Motivation: %s", label);
      g_autofree char *see = g_strdup_printf ("explained at %s: what it means, how to frame value, what to avoid.",
                                              node->motivation_at->number);
      g_autofree char *anchor = anchor_of (node->motivation_at->rung);
      out_field_begin (o, name);
      out_field_item (o, anchor, "Frame value", see, NULL);
      out_field_end (o);
      return;
    }
  g_autofree char *name = m->schwartz != NULL ? g_strdup_printf ("Motivation: %s (Schwartz value: %s)", label, m->schwartz)
                                              : g_strdup_printf ("Motivation: %s", label);
  out_field_begin (o, name);
  if (m->description != NULL)
    out_field_item (o, NULL, "What it means:", m->description, NULL);
  if (m->framing != NULL)
    out_field_item (o, NULL, "Frame value:", m->framing, NULL);
  if (m->avoid != NULL)
    out_field_item (o, NULL, "Avoid:", m->avoid, NULL);
  out_field_end (o);
}

static void
write_branches (Out *o, Plan *plan, Node *node)
{
  if (node->branches->len == 0)
    return;
  out_field_begin (o, node->rung != NULL && node->rung->level == FW_LEVEL_MOTIVATION
                          ? "If they go on, by what you hear"
                          : "Then, by what you hear");
  for (guint i = 0; i < node->branches->len; i++)
    {
      const Branch *b = g_ptr_array_index (node->branches, i);
      Node *child = g_hash_table_lookup (plan->node_by_rung, b->rung);
      g_autofree char *lead = g_strdup_printf ("%s %s", child->number, label_of (b->rung));
      g_autofree char *text = NULL;
      if (b->rung->asks->len > 0)
        {
          g_autofree char *q = quoted (g_ptr_array_index (b->rung->asks, 0));
          text = g_strdup_printf ("→ ask %s", q);
        }
      else if (b->rung->is_layer)
        text = g_strdup ("→ the motivation itself: frame value for it");
      else if (b->rung->motivation != NULL)
        text = g_strdup_printf ("→ the motivation %s: frame value for it",
                                b->rung->motivation->label != NULL ? b->rung->motivation->label : b->rung->motivation->id);
      else
        text = g_strdup ("→ ask why that matters to them");
      if (child->home != node)
        {
          char *more = g_strdup_printf ("%s (described at %s)", text, child->number);
          g_free (text);
          text = more;
        }
      g_autofree char *share = share_text (plan, b);
      g_autofree char *anchor = anchor_of (b->rung);
      out_field_item (o, anchor, lead, text, share);
    }
  out_field_end (o);
}

static void
write_node (Out *o, Plan *plan, Node *node)
{
  FwRung *rung = node->rung;
  g_autofree char *anchor = anchor_of (rung);
  g_autofree char *label = rung != NULL ? g_strdup (label_of (rung))
                                        : g_strdup_printf ("Open with the need: %s",
                                                           plan->ruleset->title != NULL ? plan->ruleset->title : plan->ruleset->id);
  out_rung_begin (o, node->number, label, rung != NULL ? level_name (rung) : NULL, level_name (rung), anchor);

  g_autoptr (GPtrArray) examples = examples_of (plan, rung);
  if (examples->len > 0)
    {
      out_field_begin (o, rung == NULL ? "How customers say it" : "Listen for");
      for (guint i = 0; i < examples->len; i++)
        {
          g_autofree char *q = quoted (g_ptr_array_index (examples, i));
          out_field_item (o, NULL, NULL, q, NULL);
        }
      out_field_end (o);
    }

  if (rung != NULL && rung->attributes != NULL && rung->attributes[0] != NULL)
    {
      out_field_begin (o, "Value they measure");
      for (guint i = 0; rung->attributes[i] != NULL; i++)
        {
          if (*rung->attributes[i] == '\0')
            continue;
          const ValueAttribute *va = value_attribute (rung->attributes[i]);
          g_autofree char *lead = g_strdup_printf ("%s:", va != NULL ? va->name : rung->attributes[i]);
          out_field_item (o, NULL, lead, va != NULL ? va->explain : "", NULL);
        }
      out_field_end (o);
    }

  if (rung != NULL && rung->motivation != NULL)
    write_motivation (o, node);

  GPtrArray *asks = rung != NULL ? rung->asks : plan->ruleset->asks;
  if (asks->len > 0)
    {
      out_field_begin (o, "Ask");
      for (guint i = 0; i < asks->len; i++)
        {
          g_autofree char *q = quoted (g_ptr_array_index (asks, i));
          out_field_item (o, NULL, i > 0 ? "or" : NULL, q, NULL);
        }
      out_field_end (o);
    }
  else if (rung != NULL && rung->level == FW_LEVEL_MOTIVATION)
    {
      out_field_begin (o, "Ask");
      out_field_item (o, NULL, NULL, "Nothing more: the ladder ends here. Speak to the motivation.", NULL);
      out_field_end (o);
    }
  write_branches (o, plan, node);
  out_rung_end (o);
}

static void
write_closing (Out *o, Plan *plan)
{
  out_section (o, "After the call: checklist");
  out_item (o, "You noted the deepest rung you reached, in the customer's own words.", TRUE);
  out_item (o, "You learned how they will measure value: ease of use, timeliness, certainty, cost to own and use, or variety.", TRUE);
  out_item (o, "You framed the offer around their motivation, not around the product's features.", TRUE);
  out_item (o, "You found one way to improve their situation beyond what they asked for.", TRUE);
  out_item (o, "You agreed the next step, and when you will check in again: a long relationship is a cycle, not a one-off sale.", TRUE);
  close_list (o);

  /* The motivations this need reaches, in script order. */
  gboolean any = FALSE;
  for (guint i = 0; i < plan->nodes->len; i++)
    {
      Node *node = g_ptr_array_index (plan->nodes, i);
      if (node->rung == NULL || node->motivation_at != node)
        continue;
      if (!any)
        out_para (o, "Which motivation surfaced?");
      any = TRUE;
      FwMotivation *m = node->rung->motivation;
      g_autofree char *item = g_strdup_printf ("%s (see %s)", m->label != NULL ? m->label : m->id, node->number);
      out_item (o, item, TRUE);
    }
  out_item (o, "None yet: note where the answers stopped, and try another angle next time.", TRUE);
}

gboolean
fw_prep_format_from_string (const char *name, FwPrepFormat *format)
{
  g_return_val_if_fail (format != NULL, FALSE);
  if (g_strcmp0 (name, "text") == 0 || g_strcmp0 (name, "txt") == 0)
    *format = FW_PREP_TEXT;
  else if (g_strcmp0 (name, "markdown") == 0 || g_strcmp0 (name, "md") == 0)
    *format = FW_PREP_MARKDOWN;
  else if (g_strcmp0 (name, "html") == 0)
    *format = FW_PREP_HTML;
  else
    return FALSE;
  return TRUE;
}

char *
fw_prep_script (FwLibrary *library, FwRuleset *ruleset, const FwPrepOptions *options, GError **error)
{
  g_return_val_if_fail (library != NULL && library->compiled, NULL);
  g_return_val_if_fail (ruleset != NULL && options != NULL, NULL);
  const FwNeedHistory *history = NULL;
  if (options->history != NULL)
    {
      history = fw_history_get_need (options->history, ruleset->id, error);
      if (history == NULL)
        return NULL;
    }
  Plan plan;
  plan_init (&plan, library, ruleset, history);
  Out o = { options->format, g_string_new (NULL), options->width > 0 ? options->width : DEFAULT_WIDTH, FALSE };

  write_opening (&o, &plan);
  write_history (&o, &plan);
  out_section (&o, "The ladder");
  out_para (&o, "Ask the opening question, listen for which rung the answer names, and follow that rung. "
                "Customers skip rungs (\"it's for the kids\"): when they name a motivation, go straight to it. "
                "Each rung has several ways to ask; never ask the same question twice in a row.");
  for (guint i = 0; i < plan.nodes->len; i++)
    write_node (&o, &plan, g_ptr_array_index (plan.nodes, i));
  write_closing (&o, &plan);
  out_end (&o);
  plan_clear (&plan);
  return g_string_free (o.s, FALSE);
}
