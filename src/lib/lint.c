/* lint.c: question lint for `fivewhys check`.
 *
 * A why-ladder only works with open questions. Two kinds of <ask> are
 * flagged, as warnings:
 *
 *  - closed or leading questions: ones that start (or end) with a phrase of
 *    the table below ("Do you...?", "Wouldn't you agree...", "..., right?").
 *    The table is per language; a ruleset whose language has no entries is
 *    not checked for this. To add a language, add its openers with the
 *    primary language subtag ("fr", "es") and, for the repeat check, its
 *    function words to stopwords[]. Phrases are matched case-insensitively
 *    (both sides are case-folded, so "ß" and "SS" agree) and must end at a
 *    word boundary.
 *  - questions that repeat their parent: when most of an ask's content words
 *    (stemmed the way answers are, function words and the usual laddering
 *    scaffolding such as "matter" or "mean" left out) already appear in one
 *    question asked at a parent rung (or at the need), the customer is asked
 *    the same thing twice instead of one level deeper.
 *
 * The loader keeps no line for each <ask>, so the file is read once more
 * here, only to find those lines; when that fails the rung's line is used.
 */
#include "config.h"

#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "fw-private.h"

typedef enum {
  LINT_CLOSED,
  LINT_LEADING,
} LintKind;

typedef enum {
  AT_START,
  AT_END,
} LintWhere;

typedef struct {
  const char *lang; /* primary language subtag */
  LintKind kind;
  LintWhere where;
  const char *phrase; /* apostrophes written as ' */
} Opener;

/* Leading entries come first: "don't you think" is leading before "do you"
 * could call it closed, and "wollen sie nicht" before "wollen sie". */
static const Opener openers[] = {
  /* English: leading */
  { "en", LINT_LEADING, AT_START, "wouldn't you agree" },
  { "en", LINT_LEADING, AT_START, "would you not agree" },
  { "en", LINT_LEADING, AT_START, "don't you think" },
  { "en", LINT_LEADING, AT_START, "don't you agree" },
  { "en", LINT_LEADING, AT_START, "don't you want" },
  { "en", LINT_LEADING, AT_START, "isn't it" },
  { "en", LINT_LEADING, AT_START, "isn't that" },
  { "en", LINT_LEADING, AT_START, "aren't you" },
  { "en", LINT_LEADING, AT_START, "wouldn't it" },
  { "en", LINT_LEADING, AT_START, "wouldn't you" },
  { "en", LINT_LEADING, AT_START, "doesn't it" },
  { "en", LINT_LEADING, AT_START, "is it because" },
  { "en", LINT_LEADING, AT_START, "is that because" },
  { "en", LINT_LEADING, AT_START, "so you want" },
  { "en", LINT_LEADING, AT_START, "so you need" },
  { "en", LINT_LEADING, AT_START, "so you're" },
  { "en", LINT_LEADING, AT_START, "surely" },
  { "en", LINT_LEADING, AT_END, ", right?" },
  { "en", LINT_LEADING, AT_END, ", isn't it?" },
  { "en", LINT_LEADING, AT_END, ", don't you?" },
  { "en", LINT_LEADING, AT_END, ", wouldn't you?" },
  { "en", LINT_LEADING, AT_END, ", aren't you?" },
  { "en", LINT_LEADING, AT_END, ", correct?" },
  /* English: closed (yes/no) */
  { "en", LINT_CLOSED, AT_START, "do you" },
  { "en", LINT_CLOSED, AT_START, "do they" },
  { "en", LINT_CLOSED, AT_START, "do we" },
  { "en", LINT_CLOSED, AT_START, "does" },
  { "en", LINT_CLOSED, AT_START, "did" },
  { "en", LINT_CLOSED, AT_START, "are you" },
  { "en", LINT_CLOSED, AT_START, "are they" },
  { "en", LINT_CLOSED, AT_START, "is it" },
  { "en", LINT_CLOSED, AT_START, "is that" },
  { "en", LINT_CLOSED, AT_START, "is this" },
  { "en", LINT_CLOSED, AT_START, "is there" },
  { "en", LINT_CLOSED, AT_START, "was it" },
  { "en", LINT_CLOSED, AT_START, "were you" },
  { "en", LINT_CLOSED, AT_START, "would you" },
  { "en", LINT_CLOSED, AT_START, "will you" },
  { "en", LINT_CLOSED, AT_START, "have you" },
  { "en", LINT_CLOSED, AT_START, "has it" },
  { "en", LINT_CLOSED, AT_START, "had you" },
  { "en", LINT_CLOSED, AT_START, "can you" },
  { "en", LINT_CLOSED, AT_START, "could you" },
  { "en", LINT_CLOSED, AT_START, "should you" },
  { "en", LINT_CLOSED, AT_START, "shall we" },
  /* German: leading */
  { "de", LINT_LEADING, AT_START, "wollen sie nicht" },
  { "de", LINT_LEADING, AT_START, "willst du nicht" },
  { "de", LINT_LEADING, AT_START, "möchten sie nicht" },
  { "de", LINT_LEADING, AT_START, "ist es nicht" },
  { "de", LINT_LEADING, AT_START, "wäre es nicht" },
  { "de", LINT_LEADING, AT_START, "ist es, weil" },
  { "de", LINT_LEADING, AT_START, "ist es weil" },
  { "de", LINT_LEADING, AT_START, "finden sie nicht" },
  { "de", LINT_LEADING, AT_START, "findest du nicht" },
  { "de", LINT_LEADING, AT_START, "meinen sie nicht" },
  { "de", LINT_LEADING, AT_START, "glauben sie nicht" },
  { "de", LINT_LEADING, AT_START, "denken sie nicht" },
  { "de", LINT_LEADING, AT_START, "stimmen sie mir" },
  { "de", LINT_LEADING, AT_START, "sie wollen also" },
  { "de", LINT_LEADING, AT_START, "also wollen sie" },
  { "de", LINT_LEADING, AT_START, "sicher wollen sie" },
  { "de", LINT_LEADING, AT_END, ", oder?" },
  { "de", LINT_LEADING, AT_END, ", nicht wahr?" },
  { "de", LINT_LEADING, AT_END, ", richtig?" },
  { "de", LINT_LEADING, AT_END, ", stimmt's?" },
  /* German: closed (the verb comes first) */
  { "de", LINT_CLOSED, AT_START, "haben sie" },
  { "de", LINT_CLOSED, AT_START, "hast du" },
  { "de", LINT_CLOSED, AT_START, "habt ihr" },
  { "de", LINT_CLOSED, AT_START, "sind sie" },
  { "de", LINT_CLOSED, AT_START, "bist du" },
  { "de", LINT_CLOSED, AT_START, "seid ihr" },
  { "de", LINT_CLOSED, AT_START, "ist es" },
  { "de", LINT_CLOSED, AT_START, "ist das" },
  { "de", LINT_CLOSED, AT_START, "war es" },
  { "de", LINT_CLOSED, AT_START, "gibt es" },
  { "de", LINT_CLOSED, AT_START, "wollen sie" },
  { "de", LINT_CLOSED, AT_START, "willst du" },
  { "de", LINT_CLOSED, AT_START, "möchten sie" },
  { "de", LINT_CLOSED, AT_START, "möchtest du" },
  { "de", LINT_CLOSED, AT_START, "brauchen sie" },
  { "de", LINT_CLOSED, AT_START, "brauchst du" },
  { "de", LINT_CLOSED, AT_START, "können sie" },
  { "de", LINT_CLOSED, AT_START, "kannst du" },
  { "de", LINT_CLOSED, AT_START, "könnten sie" },
  { "de", LINT_CLOSED, AT_START, "würden sie" },
  { "de", LINT_CLOSED, AT_START, "würdest du" },
  { "de", LINT_CLOSED, AT_START, "hätten sie" },
  { "de", LINT_CLOSED, AT_START, "wären sie" },
  { "de", LINT_CLOSED, AT_START, "stimmt es" },
};

/* Words skipped before looking for an opener: "And do you...", "Und haben
 * Sie...". */
static const char *const fillers[] = {
  "en:and", "en:but", "en:so", "en:ok", "en:okay", "en:well", "en:then", "en:now",
  "de:und", "de:aber", "de:also", "de:na", "de:gut", "de:dann", "de:nun",
};

/* Function words and the scaffolding every laddering question shares;
 * space separated, per language. Stemmed at run time. */
static const struct {
  const char *lang;
  const char *words;
} stopwords[] = {
  { "en",
    "a an the and or but so to of for in on at by with about from as into than then that this these those "
    "it its is are was were be been being am do does did done doing have has had having will would shall "
    "should can could may might must i me my we us our ours you your yours they them their he him his she "
    "her what why how who whom whose which when where there here not no yes if once now just really more "
    "most very much also too all any some else again still even ever thing things one way "
    "matter matters mean means meant want wants need needs get gets got give gives make makes let lets "
    "important change changes happen happens like feel say tell think know look go going come comes coming "
    "came back right today currently actually" },
  { "de",
    "der die das den dem des ein eine einen einem einer eines und oder aber so zu von für in im an am auf "
    "mit über aus als wie was warum wieso weshalb wer wen wem wessen welche welcher welches wann wo "
    "es ist sind war waren sein seid bin bist hat haben hast habt hatte hätte wird werden würde würden "
    "kann können könnte könnten soll sollen muss müssen darf will wollen möchte möchten ich mich mir mein "
    "meine wir uns unser unsere sie ihr ihre ihnen du dich dir dein deine er ihn ihm sein seine nicht "
    "kein keine ja nein wenn dann jetzt noch nur sehr mehr auch schon denn doch mal etwas das dass "
    "bedeutet bedeuten wichtig brauchen braucht geben gibt machen macht ändern ändert passiert passieren" },
};

/* An ask counts as a repeat when at least this many content words, and
 * this share of its content words and of the parent question's, appear in
 * both. */
#define REPEAT_MIN_WORDS 2
#define REPEAT_MIN_SHARE 0.6
#define REPEAT_MIN_PARENT_SHARE 0.5

/* "en-GB" -> "en". */
static char *
primary_lang (const char *lang)
{
  char *out = g_ascii_strdown (lang != NULL ? lang : "", -1);
  char *cut = strpbrk (out, "-_");
  if (cut != NULL)
    *cut = '\0';
  return out;
}

/* Case-folded, typographic apostrophes as ', white space runs as one space. */
static char *
fold_question (const char *text)
{
  g_autofree char *folded = g_utf8_casefold (text, -1);
  GString *out = g_string_new (NULL);
  gboolean space = FALSE;
  for (const char *p = folded; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (g_unichar_isspace (c))
        {
          space = out->len > 0;
          continue;
        }
      if (space)
        g_string_append_c (out, ' ');
      space = FALSE;
      if (c == 0x2019 || c == 0x2018 || c == 0x02BC)
        g_string_append_c (out, '\'');
      else
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

/* Whether @text starts with @phrase followed by a word boundary. */
static gboolean
starts_with_phrase (const char *text, const char *phrase)
{
  gsize n = strlen (phrase);
  if (strncmp (text, phrase, n) != 0)
    return FALSE;
  if (text[n] == '\0')
    return TRUE;
  return !g_unichar_isalnum (g_utf8_get_char (text + n));
}

/* The opener of @question in @lang, or NULL. @question is folded. */
static const Opener *
find_opener (const char *lang, const char *question)
{
  const char *start = question;
  for (int skipped = 0; skipped <= 2; skipped++)
    {
      for (guint i = 0; i < G_N_ELEMENTS (openers); i++)
        {
          const Opener *o = &openers[i];
          if (strcmp (o->lang, lang) != 0)
            continue;
          g_autofree char *phrase = g_utf8_casefold (o->phrase, -1);
          if (o->where == AT_START && starts_with_phrase (start, phrase))
            return o;
          if (o->where == AT_END && skipped == 0 && g_str_has_suffix (question, phrase))
            return o;
        }
      /* Skip one filler word ("and", "so," ...) and try again. */
      const char *next = NULL;
      for (guint f = 0; f < G_N_ELEMENTS (fillers) && next == NULL; f++)
        {
          gsize ll = strlen (lang);
          if (strncmp (fillers[f], lang, ll) != 0 || fillers[f][ll] != ':')
            continue;
          const char *word = fillers[f] + ll + 1;
          if (starts_with_phrase (start, word))
            next = start + strlen (word);
        }
      if (next == NULL)
        return NULL;
      while (*next == ',' || *next == ' ')
        next++;
      start = next;
    }
  return NULL;
}

/* ---- content words --------------------------------------------------------- */

typedef struct {
  FwNormalizer *normalizer;
  FwDoc *doc;
  GHashTable *stop; /* stems */
} Words;

static gboolean
words_init (Words *w, const char *lang, const char *primary)
{
  const char *list = NULL;
  for (guint i = 0; i < G_N_ELEMENTS (stopwords); i++)
    if (strcmp (stopwords[i].lang, primary) == 0)
      list = stopwords[i].words;
  if (list == NULL)
    return FALSE;
  w->normalizer = fw_normalizer_new (lang, NULL, NULL);
  if (w->normalizer == NULL)
    return FALSE;
  w->doc = fw_doc_new ();
  w->stop = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto (GStrv) words = g_strsplit (list, " ", -1);
  g_autoptr (GPtrArray) stems = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0')
      fw_normalizer_stem_words (w->normalizer, words[i], stems);
  for (guint i = 0; i < stems->len; i++)
    g_hash_table_add (w->stop, g_strdup (g_ptr_array_index (stems, i)));
  return TRUE;
}

static void
words_clear (Words *w)
{
  if (w->normalizer != NULL)
    fw_normalizer_free (w->normalizer);
  if (w->doc != NULL)
    fw_doc_free (w->doc);
  if (w->stop != NULL)
    g_hash_table_unref (w->stop);
  memset (w, 0, sizeof *w);
}

/* The distinct content stems of @text. */
static GHashTable *
content_words (Words *w, const char *text)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  fw_normalize (w->normalizer, text, strlen (text), w->doc);
  for (guint i = 0; i < w->doc->tokens->len; i++)
    {
      FwToken *t = &g_array_index (w->doc->tokens, FwToken, i);
      if (t->kind != FW_TOKEN_WORD)
        continue;
      g_autofree char *stem = g_strndup (w->doc->norm->str + t->norm_start, t->norm_end - t->norm_start);
      if (*stem == '\0' || g_hash_table_contains (w->stop, stem) || g_ascii_isdigit (stem[0]))
        continue;
      g_hash_table_add (set, g_steal_pointer (&stem));
    }
  return set;
}

/* ---- lines of asks ------------------------------------------------------------ */

/* Records the line of every <ask> under @node in @lines, numbering the asks
 * of each owner in document order as the loader does. */
static void
collect_ask_lines (xmlNodePtr node, guint depth, GHashTable *counts, GHashTable *lines)
{
  if (node == NULL || depth > FW_MAX_XML_DEPTH)
    return;
  for (xmlNodePtr child = node->children; child != NULL; child = child->next)
    {
      if (child->type != XML_ELEMENT_NODE)
        continue;
      if (strcmp ((const char *) child->name, "ask") != 0)
        {
          collect_ask_lines (child, depth + 1, counts, lines);
          continue;
        }
      g_autofree char *owner = NULL;
      if (strcmp ((const char *) node->name, "rung") == 0)
        {
          xmlChar *id = xmlGetProp (node, (const xmlChar *) "id");
          owner = g_strstrip (g_strdup (id != NULL ? (const char *) id : ""));
          xmlFree (id);
        }
      else if (strcmp ((const char *) node->name, "ruleset") == 0)
        owner = g_strdup ("");
      if (owner == NULL)
        continue;
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, owner));
      g_hash_table_insert (lines, g_strdup_printf ("%s\x1F%u", owner, n), GINT_TO_POINTER ((int) xmlGetLineNo (child)));
      g_hash_table_insert (counts, g_steal_pointer (&owner), GUINT_TO_POINTER (n + 1));
    }
}

/* "rung-id\x1Fn" (or "\x1Fn" for the need's asks) -> line of the n-th <ask>. */
static GHashTable *
read_ask_lines (const char *path)
{
  GHashTable *lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *data = NULL;
  gsize len = 0;
  if (!g_file_get_contents (path, &data, &len, NULL) || len > FW_MAX_RULE_FILE_BYTES || len > G_MAXINT)
    return lines;
  /* The loader refuses documents with a DOCTYPE; so does this second read. */
  if (g_strstr_len (data, (gssize) len, "<!DOCTYPE") != NULL || g_strstr_len (data, (gssize) len, "<!ENTITY") != NULL)
    return lines;
  xmlDocPtr doc = xmlReadMemory (data, (int) len, path, "UTF-8",
                                 XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR | XML_PARSE_BIG_LINES);
  if (doc == NULL)
    return lines;
  g_autoptr (GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  collect_ask_lines (xmlDocGetRootElement (doc), 0, counts, lines);
  xmlFreeDoc (doc);
  return lines;
}

static int
ask_line (GHashTable *lines, const char *owner, guint index, int fallback)
{
  g_autofree char *key = g_strdup_printf ("%s\x1F%u", owner, index);
  gpointer line;
  if (g_hash_table_lookup_extended (lines, key, NULL, &line) && GPOINTER_TO_INT (line) > 0)
    return GPOINTER_TO_INT (line);
  return fallback;
}

/* ---- the lint ---------------------------------------------------------------- */

/* The parents' question lists of every rung of @ruleset: rung -> GPtrArray
 * of GPtrArray* (asks), the need's asks for rungs right under the need. */
static GHashTable *
parent_asks (FwRuleset *ruleset)
{
  GHashTable *map = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, (GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0; i < ruleset->rungs->len; i++)
    {
      FwRung *child = g_ptr_array_index (ruleset->rungs, i);
      GPtrArray *list = g_hash_table_lookup (map, child);
      if (list == NULL)
        g_hash_table_insert (map, child, list = g_ptr_array_new ());
      g_ptr_array_add (list, ruleset->asks);
    }
  for (guint r = 0; r < ruleset->all_rungs->len; r++)
    {
      FwRung *rung = g_ptr_array_index (ruleset->all_rungs, r);
      for (guint c = 0; c < rung->children->len; c++)
        {
          FwRung *child = g_ptr_array_index (rung->children, c);
          GPtrArray *list = g_hash_table_lookup (map, child);
          if (list == NULL)
            g_hash_table_insert (map, child, list = g_ptr_array_new ());
          if (g_ptr_array_find (list, rung->asks, NULL))
            continue;
          g_ptr_array_add (list, rung->asks);
        }
    }
  return map;
}

/* Warns when @ask is a closed or leading question; returns whether it did. */
static gboolean
lint_opener (FwLibrary *library, const char *primary, const char *ask, const char *file, int line, guint *added)
{
  g_autofree char *folded = fold_question (ask);
  const Opener *o = find_opener (primary, folded);
  if (o == NULL)
    return FALSE;
  if (o->kind == LINT_CLOSED)
    fw_library_diag (library, FW_SEVERITY_WARNING, file, line,
                     "closed question \"%s\": ask an open why/what question instead", ask);
  else
    fw_library_diag (library, FW_SEVERITY_WARNING, file, line,
                     "leading question \"%s\": it suggests the answer; ask an open why/what question instead", ask);
  (*added)++;
  return TRUE;
}

/* The parent question @ask repeats, or NULL. */
static const char *
repeated_parent (Words *w, const char *ask, GPtrArray *parents)
{
  g_autoptr (GHashTable) mine = content_words (w, ask);
  guint n = g_hash_table_size (mine);
  if (n < REPEAT_MIN_WORDS)
    return NULL;
  for (guint p = 0; parents != NULL && p < parents->len; p++)
    {
      GPtrArray *asks = g_ptr_array_index (parents, p);
      for (guint a = 0; a < asks->len; a++)
        {
          const char *theirs_text = g_ptr_array_index (asks, a);
          g_autoptr (GHashTable) theirs = content_words (w, theirs_text);
          guint shared = 0;
          GHashTableIter iter;
          gpointer stem;
          g_hash_table_iter_init (&iter, mine);
          while (g_hash_table_iter_next (&iter, &stem, NULL))
            if (g_hash_table_contains (theirs, stem))
              shared++;
          if (shared >= REPEAT_MIN_WORDS && (double) shared / n >= REPEAT_MIN_SHARE
              && (double) shared / MAX (1u, g_hash_table_size (theirs)) >= REPEAT_MIN_PARENT_SHARE)
            return theirs_text;
        }
    }
  return NULL;
}

static void
lint_ruleset (FwLibrary *library, FwRuleset *ruleset, guint *added)
{
  g_autofree char *primary = primary_lang (ruleset->lang);
  gboolean has_openers = FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (openers); i++)
    has_openers = has_openers || strcmp (openers[i].lang, primary) == 0;
  Words words = { 0 };
  gboolean has_words = words_init (&words, ruleset->lang, primary);
  if (!has_openers && !has_words)
    return;

  g_autoptr (GHashTable) lines = read_ask_lines (ruleset->file);
  g_autoptr (GHashTable) parents = parent_asks (ruleset);
  if (has_openers)
    for (guint a = 0; a < ruleset->asks->len; a++)
      lint_opener (library, primary, g_ptr_array_index (ruleset->asks, a), ruleset->file,
                   ask_line (lines, "", a, ruleset->place.line), added);
  for (guint r = 0; r < ruleset->all_rungs->len; r++)
    {
      FwRung *rung = g_ptr_array_index (ruleset->all_rungs, r);
      for (guint a = 0; a < rung->asks->len; a++)
        {
          const char *ask = g_ptr_array_index (rung->asks, a);
          int line = ask_line (lines, rung->id, a, rung->place.line);
          /* One warning per question: a closed one needs rewriting anyway. */
          if (has_openers && lint_opener (library, primary, ask, rung->place.file, line, added))
            continue;
          const char *parent = has_words ? repeated_parent (&words, ask, g_hash_table_lookup (parents, rung)) : NULL;
          if (parent != NULL)
            {
              fw_library_diag (library, FW_SEVERITY_WARNING, rung->place.file, line,
                               "question \"%s\" repeats the question before it (\"%s\"): ask one level deeper, about what the answer gives them",
                               ask, parent);
              (*added)++;
            }
        }
    }
  words_clear (&words);
}

guint
fw_library_lint_questions (FwLibrary *library)
{
  g_return_val_if_fail (library != NULL && library->compiled, 0);
  guint added = 0;
  for (guint i = 0; i < library->rulesets->len; i++)
    lint_ruleset (library, g_ptr_array_index (library->rulesets, i), &added);
  return added;
}
