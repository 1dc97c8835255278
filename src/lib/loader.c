/* loader.c: reads rule files with libxml2, safely, and copies what the
 * library needs into its own structures.
 *
 * Rule files come from people and may be hostile. The parser never touches
 * the network, never loads a DTD, never substitutes entities, and refuses any
 * document with a DOCTYPE before its internal subset is parsed; an external
 * entity loader that denies everything backs this up. Files over
 * FW_MAX_RULE_FILE_BYTES are refused before parsing. Every file is validated
 * against the RelaxNG schema compiled into the library.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gio.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/relaxng.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "fw-private.h"
#include "practice-private.h"
#include "resources.h"

typedef struct {
  FwLibrary *library;
  const char *file; /* interned */
  gboolean doctype;
  int doctype_line;
  int errors;
  char *first_error; /* the first well-formedness error, which names the cause */
  int first_error_line;
} LoadContext;

/* ---- libxml2 guards ---------------------------------------------------- */

static xmlParserInputPtr
deny_external_entity (const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
  /* No file, no network: rule files stand alone. */
  return NULL;
}

static void
silent_generic_error (void *ctx, const char *msg, ...)
{
}

static void
on_internal_subset (void *ctx, const xmlChar *name, const xmlChar *external_id, const xmlChar *system_id)
{
  xmlParserCtxtPtr ctxt = ctx;
  LoadContext *load = ctxt->_private;
  load->doctype = TRUE;
  load->doctype_line = xmlSAX2GetLineNumber (ctxt);
  xmlStopParser (ctxt);
}

static char *one_line (const char *message);

/* libxml2 goes on after the first error and reports its consequences
 * ("premature end of data" past the end of the file); the first error is
 * the one a rule author needs. */
static void
on_parse_error (void *data, xmlErrorPtr err)
{
  xmlParserCtxtPtr ctxt = data;
  LoadContext *load = ctxt != NULL ? ctxt->_private : NULL;
  if (load == NULL || load->first_error != NULL || err == NULL || err->level < XML_ERR_ERROR)
    return;
  load->first_error = one_line (err->message);
  load->first_error_line = err->line;
}

static char *
one_line (const char *message)
{
  char *s = g_strdup (message != NULL ? message : "unknown error");
  g_strstrip (s);
  for (char *p = s; *p; p++)
    if (*p == '\n' || *p == '\r' || *p == '\t')
      *p = ' ';
  /* libxml2 capitalizes some messages; ours are lower case. */
  if (g_ascii_isupper (s[0]) && !g_ascii_isupper (s[1]))
    s[0] = g_ascii_tolower (s[0]);
  return s;
}

static void
on_schema_error (void *data, xmlErrorPtr err)
{
  LoadContext *load = data;
  g_autofree char *msg = one_line (err->message);
  fw_library_diag (load->library, FW_SEVERITY_ERROR, load->file, err->line, "%s", msg);
  load->errors++;
}

static xmlRelaxNGPtr
schema (void)
{
  static gsize once = 0;
  static xmlRelaxNGPtr rng = NULL;
  if (g_once_init_enter (&once))
    {
      g_autoptr (GBytes) bytes = g_resource_lookup_data (fw_get_resource (), "/fivewhys/fivewhys.rng",
                                                         G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
      gsize len = 0;
      const char *data = g_bytes_get_data (bytes, &len);
      xmlRelaxNGParserCtxtPtr pctxt = xmlRelaxNGNewMemParserCtxt (data, (int) len);
      rng = xmlRelaxNGParse (pctxt);
      xmlRelaxNGFreeParserCtxt (pctxt);
      g_once_init_leave (&once, 1);
    }
  return rng;
}

/* ---- helpers ------------------------------------------------------------- */

static gboolean
is (xmlNodePtr node, const char *name)
{
  return node->type == XML_ELEMENT_NODE && strcmp ((const char *) node->name, name) == 0;
}


static char *
attr (xmlNodePtr node, const char *name)
{
  xmlChar *value = xmlGetProp (node, (const xmlChar *) name);
  if (value == NULL)
    return NULL;
  char *copy = g_strdup ((const char *) value);
  xmlFree (value);
  g_strstrip (copy);
  return copy;
}

static FwPlace
place_of (LoadContext *load, xmlNodePtr node)
{
  FwPlace place = { load->file, (int) xmlGetLineNo (node) };
  return place;
}

static FwExample *
example_new (LoadContext *load, xmlNodePtr node)
{
  FwExample *example = g_new0 (FwExample, 1);
  example->text = fw_practice_xml_text (node);
  example->place = place_of (load, node);
  return example;
}

static void
add_pattern_source (LoadContext *load, xmlNodePtr node, FwOwnerKind kind, gpointer owner,
                    const char *lang, FwRuleset *ruleset)
{
  FwPatternSource *src = g_new0 (FwPatternSource, 1);
  src->source = fw_practice_xml_text (node);
  src->raw = is (node, "regex");
  src->place = place_of (load, node);
  g_autofree char *in = attr (node, "in"); /* the schema allows answers and notes */
  src->scope = g_strcmp0 (in, "answers") == 0 ? FW_SCOPE_ANSWERS : g_strcmp0 (in, "notes") == 0 ? FW_SCOPE_NOTES : FW_SCOPE_BOTH;
  src->owner_kind = kind;
  src->owner = owner;
  src->lang = lang;
  src->ruleset = ruleset;
  g_ptr_array_add (load->library->pattern_sources, src);
}

static void
add_concept (LoadContext *load, xmlNodePtr node, GHashTable *concepts, GHashTable *places)
{
  g_autofree char *id = attr (node, "id");
  FwPlace *seen = g_hash_table_lookup (places, id);
  if (seen != NULL)
    {
      fw_library_diag (load->library, FW_SEVERITY_ERROR, load->file, (int) xmlGetLineNo (node),
                       "concept '%s' is already defined at %s:%d", id, seen->file, seen->line);
      return;
    }
  FwPlace *place = g_new (FwPlace, 1);
  *place = place_of (load, node);
  g_hash_table_insert (places, g_strdup (id), place);
  g_hash_table_insert (concepts, g_strdup (id), fw_practice_xml_text (node));
}

/* ---- rulesets -------------------------------------------------------------- */

static FwRung *load_rung (LoadContext *load, FwRuleset *ruleset, FwRung *parent, xmlNodePtr node,
                          guint depth);

static FwLevel
level_from_string (const char *s)
{
  if (g_strcmp0 (s, "attribute") == 0)
    return FW_LEVEL_ATTRIBUTE;
  if (g_strcmp0 (s, "function") == 0)
    return FW_LEVEL_FUNCTION;
  if (g_strcmp0 (s, "benefit") == 0)
    return FW_LEVEL_BENEFIT;
  return FW_LEVEL_MOTIVATION;
}

/* A child of the need or of a rung: <rung>, <goto rung>, <motivation ref>.
 * Appends to @children (rungs) or to @refs (ids, resolved at compile). */
static void
load_child (LoadContext *load, FwRuleset *ruleset, FwRung *parent, xmlNodePtr node, guint depth,
            GPtrArray *children, GPtrArray *refs)
{
  if (is (node, "rung"))
    {
      FwRung *rung = load_rung (load, ruleset, parent, node, depth);
      if (rung != NULL)
        g_ptr_array_add (children, rung);
    }
  else if (is (node, "goto") || is (node, "motivation"))
    {
      g_autofree char *id = attr (node, is (node, "goto") ? "rung" : "ref");
      /* "@" marks a motivation reference; the line is kept for messages. */
      g_ptr_array_add (refs, g_strdup_printf ("%s%s:%d", is (node, "goto") ? "" : "@", id,
                                              (int) xmlGetLineNo (node)));
    }
}

static FwRung *
load_rung (LoadContext *load, FwRuleset *ruleset, FwRung *parent, xmlNodePtr node, guint depth)
{
  if (depth > FW_MAX_RULE_DEPTH)
    {
      fw_library_diag (load->library, FW_SEVERITY_ERROR, load->file, (int) xmlGetLineNo (node),
                       "rungs nest deeper than the limit of %d below the need", FW_MAX_RULE_DEPTH);
      return NULL;
    }
  FwRung *rung = g_new0 (FwRung, 1);
  rung->id = attr (node, "id");
  rung->label = attr (node, "label");
  g_autofree char *level = attr (node, "level");
  rung->level = level_from_string (level);
  rung->motivation_id = attr (node, "motivation");
  g_autofree char *value = attr (node, "value");
  rung->attributes = value != NULL ? g_strsplit_set (value, " \t\n", -1) : g_new0 (char *, 1);
  rung->patterns = g_ptr_array_new ();
  rung->examples = g_ptr_array_new_with_free_func (fw_example_free);
  rung->counterexamples = g_ptr_array_new_with_free_func (fw_example_free);
  rung->example_texts = g_ptr_array_new ();
  rung->asks = g_ptr_array_new_with_free_func (g_free);
  rung->children = g_ptr_array_new ();
  rung->child_refs = g_ptr_array_new_with_free_func (g_free);
  rung->parent = parent;
  rung->ruleset = ruleset;
  rung->place = place_of (load, node);

  FwRung *seen = g_hash_table_lookup (ruleset->rung_by_id, rung->id);
  if (seen != NULL)
    fw_library_diag (load->library, FW_SEVERITY_ERROR, load->file, rung->place.line,
                     "duplicate rung id '%s': already defined at %s:%d; ids must be unique in a ruleset",
                     rung->id, seen->place.file, seen->place.line);
  else
    g_hash_table_insert (ruleset->rung_by_id, rung->id, rung);
  g_ptr_array_add (ruleset->all_rungs, rung);

  for (xmlNodePtr child = node->children; child != NULL; child = child->next)
    {
      if (is (child, "pattern") || is (child, "regex"))
        add_pattern_source (load, child, FW_OWNER_RUNG, rung, ruleset->lang, ruleset);
      else if (is (child, "example"))
        {
          FwExample *example = example_new (load, child);
          g_ptr_array_add (rung->examples, example);
          g_ptr_array_add (rung->example_texts, example->text);
        }
      else if (is (child, "counterexample"))
        g_ptr_array_add (rung->counterexamples, example_new (load, child));
      else if (is (child, "ask"))
        g_ptr_array_add (rung->asks, fw_practice_xml_text (child));
      else
        load_child (load, ruleset, rung, child, depth + 1, rung->children, rung->child_refs);
    }
  return rung;
}

static void
load_ruleset (LoadContext *load, xmlNodePtr root)
{
  FwLibrary *library = load->library;
  g_autofree char *id = attr (root, "id");
  for (guint i = 0; i < library->rulesets->len; i++)
    {
      FwRuleset *other = g_ptr_array_index (library->rulesets, i);
      if (strcmp (other->id, id) == 0)
        {
          fw_library_diag (library, FW_SEVERITY_ERROR, load->file, (int) xmlGetLineNo (root),
                           "duplicate ruleset id '%s': already defined at %s:%d", id, other->place.file,
                           other->place.line);
          return;
        }
    }
  FwRuleset *ruleset = g_new0 (FwRuleset, 1);
  ruleset->id = g_steal_pointer (&id);
  ruleset->title = attr (root, "title");
  g_autofree char *lang = attr (root, "lang");
  ruleset->lang = (char *) fw_library_intern (library, lang);
  ruleset->file = g_strdup (load->file);
  ruleset->place = place_of (load, root);
  ruleset->need_patterns = g_ptr_array_new ();
  ruleset->need_examples = g_ptr_array_new_with_free_func (fw_example_free);
  ruleset->need_counterexamples = g_ptr_array_new_with_free_func (fw_example_free);
  ruleset->asks = g_ptr_array_new_with_free_func (g_free);
  ruleset->rungs = g_ptr_array_new ();
  ruleset->all_rungs = g_ptr_array_new ();
  ruleset->rung_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  ruleset->concepts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  ruleset->concept_places = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  ruleset->layer = g_ptr_array_new ();
  g_ptr_array_add (library->rulesets, ruleset);

  ruleset->root_refs = g_ptr_array_new_with_free_func (g_free);
  for (xmlNodePtr node = root->children; node != NULL; node = node->next)
    {
      if (is (node, "description"))
        ruleset->description = fw_practice_xml_text (node);
      else if (is (node, "need"))
        {
          for (xmlNodePtr child = node->children; child != NULL; child = child->next)
            {
              if (is (child, "pattern") || is (child, "regex"))
                add_pattern_source (load, child, FW_OWNER_NEED, ruleset, ruleset->lang, ruleset);
              else if (is (child, "example"))
                g_ptr_array_add (ruleset->need_examples, example_new (load, child));
              else if (is (child, "counterexample"))
                g_ptr_array_add (ruleset->need_counterexamples, example_new (load, child));
            }
        }
      else if (is (node, "concept"))
        add_concept (load, node, ruleset->concepts, ruleset->concept_places);
      else if (is (node, "ask"))
        g_ptr_array_add (ruleset->asks, fw_practice_xml_text (node));
      else
        load_child (load, ruleset, NULL, node, 1, ruleset->rungs, ruleset->root_refs);
    }
}

/* ---- motivations ----------------------------------------------------------- */

static void
load_motivations (LoadContext *load, xmlNodePtr root)
{
  FwLibrary *library = load->library;
  g_autofree char *lang_attr = attr (root, "lang");
  const char *lang = fw_library_intern (library, lang_attr);
  FwLangLayer *layer = fw_library_lang_layer (library, lang);

  for (xmlNodePtr node = root->children; node != NULL; node = node->next)
    {
      if (is (node, "concept"))
        add_concept (load, node, layer->concepts, layer->concept_places);
      else if (is (node, "reprompt"))
        g_ptr_array_add (layer->reprompts, fw_practice_xml_text (node));
      else if (is (node, "encourage"))
        g_ptr_array_add (layer->encourages, fw_practice_xml_text (node));
      else if (is (node, "nonanswer"))
        {
          for (xmlNodePtr child = node->children; child != NULL; child = child->next)
            {
              if (is (child, "pattern") || is (child, "regex"))
                add_pattern_source (load, child, FW_OWNER_NONANSWER, layer, lang, NULL);
              else if (is (child, "example"))
                g_ptr_array_add (layer->nonanswer_examples, example_new (load, child));
            }
        }
      else if (is (node, "motivation"))
        {
          g_autofree char *id = attr (node, "id");
          FwMotivation *m = g_hash_table_lookup (library->motivation_by_id, id);
          if (m == NULL)
            {
              m = g_new0 (FwMotivation, 1);
              m->id = g_steal_pointer (&id);
              m->asks = g_ptr_array_new_with_free_func (g_free);
              m->patterns = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                                   (GDestroyNotify) g_ptr_array_unref);
              m->examples = g_ptr_array_new_with_free_func (fw_example_free);
              m->example_langs = g_ptr_array_new ();
              m->counterexamples = g_ptr_array_new_with_free_func (fw_example_free);
              m->counterexample_langs = g_ptr_array_new ();
              m->place = place_of (load, node);
              g_ptr_array_add (library->motivations, m);
              g_hash_table_insert (library->motivation_by_id, m->id, m);
            }
          char *label = attr (node, "label");
          char *schwartz = attr (node, "schwartz");
          /* The first file to describe a motivation owns its description. */
          if (label != NULL && m->label == NULL)
            m->label = label;
          else
            g_free (label);
          g_autofree char *terminal = attr (node, "terminal");
          if (terminal != NULL)
            m->terminal = strcmp (terminal, "true") == 0;
          if (schwartz != NULL && m->schwartz == NULL)
            m->schwartz = schwartz;
          else
            g_free (schwartz);
          for (xmlNodePtr child = node->children; child != NULL; child = child->next)
            {
              char **slot = NULL;
              if (is (child, "description"))
                slot = &m->description;
              else if (is (child, "framing"))
                slot = &m->framing;
              else if (is (child, "avoid"))
                slot = &m->avoid;
              if (slot != NULL)
                {
                  if (*slot != NULL)
                    fw_library_diag (library, FW_SEVERITY_ERROR, load->file, (int) xmlGetLineNo (child),
                                     "motivation '%s' already has a <%s> (first at %s:%d)", m->id,
                                     (const char *) child->name, m->place.file, m->place.line);
                  else
                    *slot = fw_practice_xml_text (child);
                }
              else if (is (child, "ask"))
                g_ptr_array_add (m->asks, fw_practice_xml_text (child));
              else if (is (child, "pattern") || is (child, "regex"))
                add_pattern_source (load, child, FW_OWNER_MOTIVATION, m, lang, NULL);
              else if (is (child, "example"))
                {
                  g_ptr_array_add (m->examples, example_new (load, child));
                  g_ptr_array_add (m->example_langs, (gpointer) lang);
                }
              else if (is (child, "counterexample"))
                {
                  g_ptr_array_add (m->counterexamples, example_new (load, child));
                  g_ptr_array_add (m->counterexample_langs, (gpointer) lang);
                }
            }
        }
    }
}

/* ---- limits ---------------------------------------------------------------- */

#define MAX_LIMIT_ERRORS 10 /* reported per file; past them the walk stops */

static gboolean
is_id_attribute (const xmlChar *name)
{
  static const char *const names[] = { "id", "ref", "rung", "need", "motivation", NULL };
  return g_strv_contains (names, (const char *) name);
}

/* Refuses, before the schema sees it, a document that breaks a size or count
 * limit of fw-private.h, with a message that names the limit: the schema
 * would only say that an element "failed to validate", and the work of
 * checking a ruleset grows with its rungs times its examples. Rungs are also
 * counted against the library's limit. Returns FALSE when it recorded an
 * error; the file is then not loaded. */
static gboolean
check_limits (LoadContext *load, xmlNodePtr root)
{
  FwLibrary *library = load->library;
  guint rungs = 0, patterns = 0, examples = 0, errors = 0;
  gboolean too_deep = FALSE;
  xmlNodePtr node = root;
  int depth = 1;

  for (;;)
    {
      if (node->type == XML_ELEMENT_NODE)
        {
          if (depth > FW_MAX_XML_DEPTH && !too_deep)
            {
              too_deep = TRUE;
              errors++;
              fw_library_diag (library, FW_SEVERITY_ERROR, load->file, (int) xmlGetLineNo (node),
                               "elements nest deeper than the limit of %d", FW_MAX_XML_DEPTH);
            }
          if (is (node, "rung"))
            rungs++;
          else if (is (node, "pattern") || is (node, "regex"))
            patterns++;
          else if (is (node, "example") || is (node, "counterexample"))
            examples++;
          for (xmlAttrPtr a = node->properties; a != NULL && errors < MAX_LIMIT_ERRORS; a = a->next)
            {
              const char *value = a->children != NULL ? (const char *) a->children->content : NULL;
              glong limit = is_id_attribute (a->name) ? FW_MAX_ID_CHARS : FW_MAX_TEXT_CHARS;
              glong chars = value != NULL ? g_utf8_strlen (value, -1) : 0;
              if (chars > limit)
                {
                  errors++;
                  fw_library_diag (library, FW_SEVERITY_ERROR, load->file, (int) xmlGetLineNo (node),
                                   "attribute '%s' of <%s> holds %ld characters: more than the limit of %ld%s",
                                   (const char *) a->name, (const char *) node->name, chars, limit,
                                   limit == FW_MAX_ID_CHARS ? " for an id" : "");
                }
            }
        }
      else if ((node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) && node->content != NULL)
        {
          glong chars = g_utf8_strlen ((const char *) node->content, -1);
          if (chars > FW_MAX_TEXT_CHARS)
            {
              errors++;
              fw_library_diag (library, FW_SEVERITY_ERROR, load->file, (int) xmlGetLineNo (node->parent),
                               "<%s> holds %ld characters of text: more than the limit of %d",
                               (const char *) node->parent->name, chars, FW_MAX_TEXT_CHARS);
            }
        }
      if (errors >= MAX_LIMIT_ERRORS)
        break;
      if (node->type == XML_ELEMENT_NODE && node->children != NULL && depth <= FW_MAX_XML_DEPTH)
        {
          node = node->children;
          depth++;
          continue;
        }
      while (node != root && node->next == NULL)
        {
          node = node->parent;
          depth--;
        }
      if (node == root)
        break;
      node = node->next;
    }

  int line = (int) xmlGetLineNo (root);
  if (rungs > FW_MAX_FILE_RUNGS)
    {
      errors++;
      fw_library_diag (library, FW_SEVERITY_ERROR, load->file, line,
                       "%u rungs: more than the limit of %d in one rule file", rungs, FW_MAX_FILE_RUNGS);
    }
  else
    {
      guint loaded = 0;
      for (guint i = 0; i < library->rulesets->len; i++)
        loaded += ((FwRuleset *) g_ptr_array_index (library->rulesets, i))->all_rungs->len;
      if (loaded + rungs > FW_MAX_RUNGS)
        {
          errors++;
          fw_library_diag (library, FW_SEVERITY_ERROR, load->file, line,
                           "%u rungs, with the %u already loaded: more than the limit of %d in one library",
                           rungs, loaded, FW_MAX_RUNGS);
        }
    }
  if (patterns > FW_MAX_FILE_PATTERNS)
    {
      errors++;
      fw_library_diag (library, FW_SEVERITY_ERROR, load->file, line,
                       "%u patterns and regexes: more than the limit of %d in one rule file", patterns,
                       FW_MAX_FILE_PATTERNS);
    }
  if (examples > FW_MAX_FILE_EXAMPLES)
    {
      errors++;
      fw_library_diag (library, FW_SEVERITY_ERROR, load->file, line,
                       "%u examples and counterexamples: more than the limit of %d in one rule file", examples,
                       FW_MAX_FILE_EXAMPLES);
    }
  return errors == 0;
}

/* ---- files ---------------------------------------------------------------- */

/* Where the first invalid UTF-8 byte is, as a line number. */
static int
invalid_utf8_line (const char *data, gsize len)
{
  const char *end = NULL;
  if (g_utf8_validate_len (data, len, &end))
    return 0;
  int line = 1;
  for (const char *p = data; p < end; p++)
    if (*p == '\n')
      line++;
  return line;
}

gboolean
fw_loader_load_file (FwLibrary *library, const char *path, GError **error)
{
  LoadContext load = { 0 };
  load.library = library;
  load.file = fw_library_intern (library, path);

  /* Only a regular file is read, and at most one byte past the limit: a
   * FIFO would block and a device (/dev/zero) would never end. */
  int fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  struct stat st;
  if (fd < 0 || fstat (fd, &st) != 0)
    {
      int saved = errno;
      if (fd >= 0)
        close (fd);
      g_autofree char *why = g_ascii_strdown (g_strerror (saved), -1);
      g_set_error (error, FW_ERROR, FW_ERROR_IO, "%s: cannot read: %s", path, why);
      return FALSE;
    }
  library->n_files++;
  if (!S_ISREG (st.st_mode))
    {
      close (fd);
      fw_library_diag (library, FW_SEVERITY_ERROR, load.file, 0,
                       "not a regular file (a device, a pipe or a socket): a rule file is UTF-8 XML");
      return TRUE;
    }
  gsize len = 0;
  gsize cap = (gsize) MIN (st.st_size, (off_t) FW_MAX_RULE_FILE_BYTES) + 1;
  g_autofree char *data = g_malloc (cap + 1);
  for (;;)
    {
      if (len == cap)
        {
          if (cap > FW_MAX_RULE_FILE_BYTES)
            break; /* one byte past the limit is enough to refuse it */
          cap = MIN (cap * 2, (gsize) FW_MAX_RULE_FILE_BYTES + 1);
          data = g_realloc (data, cap + 1);
        }
      ssize_t n = read (fd, data + len, cap - len);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;
          close (fd);
          library->n_files--;
          g_autofree char *why = g_ascii_strdown (g_strerror (saved), -1);
          g_set_error (error, FW_ERROR, FW_ERROR_IO, "%s: cannot read: %s", path, why);
          return FALSE;
        }
      if (n == 0)
        break;
      len += (gsize) n;
    }
  close (fd);
  data[len] = '\0';
  if (len > FW_MAX_RULE_FILE_BYTES)
    {
      fw_library_diag (library, FW_SEVERITY_ERROR, load.file, 0,
                       "file is larger than the limit of %d MiB for a rule file",
                       FW_MAX_RULE_FILE_BYTES / (1024 * 1024));
      return TRUE;
    }
  if (len == 0)
    {
      fw_library_diag (library, FW_SEVERITY_ERROR, load.file, 0, "file is empty: a rule file holds one <ruleset> or <motivations>");
      return TRUE;
    }
  if (memchr (data, '\0', len) != NULL)
    {
      fw_library_diag (library, FW_SEVERITY_ERROR, load.file, 0, "not a text file (it holds NUL bytes): a rule file is UTF-8 XML");
      return TRUE;
    }
  int bad_line = invalid_utf8_line (data, len);
  if (bad_line > 0)
    {
      fw_library_diag (library, FW_SEVERITY_ERROR, load.file, bad_line, "invalid UTF-8: save the file as UTF-8");
      return TRUE;
    }

  xmlSetExternalEntityLoader (deny_external_entity);
  xmlSetGenericErrorFunc (NULL, silent_generic_error);
  xmlParserCtxtPtr ctxt = xmlNewParserCtxt ();
  ctxt->_private = &load;
  ctxt->sax->internalSubset = on_internal_subset;
  ctxt->sax->externalSubset = NULL;
  ctxt->sax->entityDecl = NULL;
  ctxt->sax->getEntity = NULL;
  ctxt->sax->getParameterEntity = NULL;
  ctxt->sax->resolveEntity = NULL;
  ctxt->sax->warning = NULL;
  ctxt->sax->error = NULL;
  ctxt->sax->serror = on_parse_error;
  ctxt->vctxt.error = NULL;
  ctxt->vctxt.warning = NULL;
  xmlDocPtr doc = xmlCtxtReadMemory (ctxt, data, (int) len, path, "UTF-8",
                                     XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR |
                                         XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA);
  if (load.doctype)
    {
      fw_library_diag (library, FW_SEVERITY_ERROR, load.file, load.doctype_line,
                       "<!DOCTYPE> is not allowed in rule files: remove it (entities and DTDs are refused)");
      if (doc != NULL)
        xmlFreeDoc (doc);
      xmlFreeParserCtxt (ctxt);
      return TRUE;
    }
  if (doc == NULL || !ctxt->wellFormed)
    {
      xmlErrorPtr err = xmlCtxtGetLastError (ctxt);
      g_autofree char *msg = load.first_error != NULL ? g_strdup (load.first_error)
                                                      : one_line (err != NULL ? err->message : "not well-formed XML");
      int line = load.first_error != NULL ? load.first_error_line : err != NULL ? err->line : 0;
      if (strstr (msg, "xcessive depth") != NULL)
        {
          /* libxml2 suggests XML_PARSE_HUGE, which is not the user's to set. */
          g_free (msg);
          msg = g_strdup ("elements nest deeper than the limit of 256");
        }
      fw_library_diag (library, FW_SEVERITY_ERROR, load.file, line, "not well-formed XML: %s", msg);
      g_free (load.first_error);
      if (doc != NULL)
        xmlFreeDoc (doc);
      xmlFreeParserCtxt (ctxt);
      return TRUE;
    }
  xmlFreeParserCtxt (ctxt);
  g_clear_pointer (&load.first_error, g_free);

  if (!check_limits (&load, xmlDocGetRootElement (doc)))
    {
      xmlFreeDoc (doc);
      return TRUE;
    }

  xmlRelaxNGValidCtxtPtr vctxt = xmlRelaxNGNewValidCtxt (schema ());
  xmlRelaxNGSetValidStructuredErrors (vctxt, on_schema_error, &load);
  int valid = xmlRelaxNGValidateDoc (vctxt, doc);
  xmlRelaxNGFreeValidCtxt (vctxt);
  if (valid != 0)
    {
      if (load.errors == 0)
        fw_library_diag (library, FW_SEVERITY_ERROR, load.file, 0, "does not follow the rule schema");
      xmlFreeDoc (doc);
      return TRUE;
    }

  xmlNodePtr root = xmlDocGetRootElement (doc);
  if (is (root, "ruleset"))
    load_ruleset (&load, root);
  else if (is (root, "persona") || is (root, "questions"))
    fw_practice_load_xml (library, load.file, root); /* practice mode: persona.c */
  else
    load_motivations (&load, root);
  xmlFreeDoc (doc);
  return TRUE;
}
