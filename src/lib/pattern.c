/* pattern.c: compiles phrase patterns to PCRE2.
 *
 * A phrase pattern is a sequence of items separated by spaces:
 *   word          the word, case-folded and stemmed like the answer
 *   ~concept      any term of the concept (terms may be several words)
 *   [a b ~c "d e"] any one of the items
 *   {items}       the items, optionally
 *   *             a gap of up to FW_MAX_GAP_WORDS words inside one clause
 *   !item         the clause must not contain the item
 * It compiles to a regex over the normalized text of normalize-private.h,
 * where every token is " stem" and every clause ends with "\n".
 */
#include "config.h"

#include <string.h>

#include "fw-private.h"

/* Phrase regexes up to this size are compiled on first run (see
 * fw_pattern_compile): a regex this small compiles to far less than
 * PCRE2's 64 KiB limit on compiled patterns. */
#define LAZY_COMPILE_MAX_BYTES 8192

#define MAX_CONCEPT_NESTING 4

typedef struct {
  const char *source;
  const char *p;
  FwNormalizer *normalizer;
  FwVocab *vocab;
  GHashTable *concepts;
  GHashTable *shared_concepts;
  FwDoc *doc;
  GString *regex;
  FwPattern *pattern;
  int nesting;
} Compiler;

static void
append_quoted (GString *out, const char *s, gsize len)
{
  for (gsize i = 0; i < len; i++)
    {
      char c = s[i];
      if (strchr ("\\^$.|?*+()[]{}-#", c) != NULL)
        g_string_append_c (out, '\\');
      g_string_append_c (out, c);
    }
}

static gint
compare_ids (gconstpointer a, gconstpointer b)
{
  gint32 x = *(const gint32 *) a, y = *(const gint32 *) b;
  return (x > y) - (x < y);
}

/* Sorts @ids (gint32) and keeps each once. */
static void
sort_unique (GArray *ids)
{
  g_array_sort (ids, compare_ids);
  guint kept = 0;
  for (guint i = 0; i < ids->len; i++)
    if (kept == 0 || g_array_index (ids, gint32, i) != g_array_index (ids, gint32, kept - 1))
      g_array_index (ids, gint32, kept++) = g_array_index (ids, gint32, i);
  g_array_set_size (ids, kept);
}

/* The ']' that closes the character class at @p (a '['), or the end of
 * the string. */
static const char *
class_end (const char *p)
{
  p++;
  if (*p == '^')
    p++;
  if (*p == ']')
    p++;
  while (*p != '\0' && *p != ']')
    p += *p == '\\' && p[1] != '\0' ? 2 : 1;
  return p;
}

/* The ')' that closes the group at @p (a '('), past its nested groups,
 * classes and escapes; or the end of the string. */
static const char *
group_end (const char *p)
{
  int depth = 0;
  for (; *p != '\0'; p++)
    {
      if (*p == '\\' && p[1] != '\0')
        p++;
      else if (*p == '[')
        {
          p = class_end (p);
          if (*p == '\0')
            break;
        }
      else if (*p == '(')
        depth++;
      else if (*p == ')' && --depth == 0)
        break;
    }
  return p;
}

/* Whether @len bytes of phrase regex at @r match exactly one word: words
 * (" stem" and the word-end look-ahead) only as alternatives, in groups
 * with no quantifier, never two in a row ("[stable stability]", "~money"
 * of one-word terms). Adds each stem, unquoted, to @stems when not NULL. */
static gboolean
one_word_stems (const char *r, gsize len, GPtrArray *stems)
{
  static const char look[] = FW_REGEX_WORD_END;
  const gsize look_len = sizeof look - 1;
  const char *p = r, *end = r + len;
  while (p < end)
    {
      if ((gsize) (end - p) >= 3 && strncmp (p, "(?:", 3) == 0)
        p += 3;
      else if (*p == '|')
        p++;
      else if (*p == ')')
        {
          p++;
          if (p < end && *p != '|' && *p != ')')
            return FALSE; /* a quantifier, or more after the group */
        }
      else if (*p == ' ')
        {
          p++;
          GString *stem = g_string_new (NULL);
          while (p < end && !((gsize) (end - p) >= look_len && strncmp (p, look, look_len) == 0))
            {
              if (*p == '\\')
                {
                  if (p + 1 >= end)
                    break;
                  g_string_append_c (stem, p[1]);
                  p += 2;
                  continue;
                }
              if (strchr ("()[]|{}*+?^$. ", *p) != NULL)
                break;
              g_string_append_c (stem, *p);
              p++;
            }
          if (p >= end || strncmp (p, look, look_len) != 0 || stem->len == 0)
            {
              g_string_free (stem, TRUE);
              return FALSE;
            }
          if (stems != NULL)
            g_ptr_array_add (stems, g_string_free (stem, FALSE));
          else
            g_string_free (stem, TRUE);
          p += look_len;
          if (p < end && *p != '|' && *p != ')')
            return FALSE; /* another word follows */
        }
      else
        return FALSE;
    }
  return TRUE;
}

#define MAX_SLOT_GAPS 2 /* more gaps: PCRE2, whose match limit bounds the backtracking */

static void
free_slots (FwSlot *slots, guint n)
{
  for (guint i = 0; i < n; i++)
    if (slots[i].ids != NULL)
      g_array_unref (slots[i].ids);
  g_free (slots);
}

/* Reads @pattern's phrase regex as slots (FwPattern.slots) when it is
 * words in a row with bounded gaps; leaves slots NULL otherwise. */
static void
build_slots (FwPattern *pattern, FwVocab *vocab)
{
  static const char gap[] = FW_REGEX_GAP;
  static const char look[] = FW_REGEX_WORD_END;
  const gsize gap_len = sizeof gap - 1;
  g_autoptr (GArray) slots = g_array_new (FALSE, TRUE, sizeof (FwSlot));
  guint pending = 0, gaps = 0;
  gboolean ok = TRUE;
  const char *p = pattern->regex;
  while (*p != '\0' && ok)
    {
      if (strncmp (p, gap, gap_len) == 0)
        {
          ok = slots->len > 0 && pending == 0 && ++gaps <= MAX_SLOT_GAPS;
          pending = FW_MAX_GAP_WORDS;
          p += gap_len;
          continue;
        }
      const char *q = p;
      if (*p == ' ')
        {
          q = strstr (p, look);
          ok = q != NULL;
          if (ok)
            q += sizeof look - 1;
        }
      else if (strncmp (p, "(?:", 3) == 0)
        {
          q = group_end (p);
          ok = *q == ')';
          q += ok;
        }
      else
        ok = FALSE;
      if (!ok)
        break;
      g_autoptr (GPtrArray) stems = g_ptr_array_new_with_free_func (g_free);
      ok = one_word_stems (p, (gsize) (q - p), stems) && stems->len > 0;
      FwSlot slot = { pending, g_array_new (FALSE, FALSE, sizeof (gint32)) };
      for (guint i = 0; ok && i < stems->len; i++)
        {
          gint32 id = fw_vocab_lookup (vocab, g_ptr_array_index (stems, i), FALSE);
          ok = id >= 0;
          g_array_append_val (slot.ids, id);
        }
      sort_unique (slot.ids);
      g_array_append_val (slots, slot);
      pending = 0;
      p = q;
    }
  ok = ok && slots->len > 0 && pending == 0;
  /* The matcher starts the slots at the tokens of pattern->first, and
   * takes the first slot as matched there: they must be the same words. */
  if (ok)
    {
      g_autoptr (GArray) first = g_array_copy (pattern->first);
      sort_unique (first);
      GArray *ids = g_array_index (slots, FwSlot, 0).ids;
      ok = first->len == ids->len && memcmp (first->data, ids->data, ids->len * sizeof (gint32)) == 0;
    }
  guint n = slots->len;
  FwSlot *data = (FwSlot *) g_array_free (g_steal_pointer (&slots), FALSE);
  if (!ok)
    {
      free_slots (data, n);
      return;
    }
  pattern->slots = data;
  pattern->n_slots = n;
}


static const char *
lookup_concept (Compiler *c, const char *name)
{
  const char *terms = NULL;
  if (c->concepts != NULL)
    terms = g_hash_table_lookup (c->concepts, name);
  if (terms == NULL && c->shared_concepts != NULL)
    terms = g_hash_table_lookup (c->shared_concepts, name);
  return terms;
}

static void
add_word_id (GArray *ids, gint32 id)
{
  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (ids, gint32, i) == id)
      return;
  g_array_append_val (ids, id);
}

/* Normalizes a run of words ("the deposit", "don't") and appends
 * " stem1 stem2" to the regex. Adds every word to the pattern's words,
 * and the first one to @first_ids (for the prefilter). Returns FALSE when
 * the text holds no word. */
static gboolean
emit_words (Compiler *c, const char *text, gsize len, GArray *first_ids, GArray *seq_out)
{
  /* The words of @text, normalized once per vocabulary (FwVocab.phrases). */
  g_autofree char *key = g_strndup (text, len);
  FwPhraseWords *words = c->vocab->phrases != NULL ? g_hash_table_lookup (c->vocab->phrases, key) : NULL;
  g_autoptr (FwPhraseWords) unkept = NULL;
  if (words == NULL)
    {
      fw_normalize (c->normalizer, text, len, c->doc);
      words = g_new0 (FwPhraseWords, 1);
      words->ids = g_array_new (FALSE, FALSE, sizeof (guint32));
      GString *regex = g_string_new (NULL);
      for (guint i = 0; i < c->doc->tokens->len; i++)
        {
          FwToken *t = &g_array_index (c->doc->tokens, FwToken, i);
          if (t->kind != FW_TOKEN_WORD)
            continue;
          g_autofree char *stem = g_strndup (c->doc->norm->str + t->norm_start, t->norm_end - t->norm_start);
          guint32 word = (guint32) fw_vocab_lookup (c->vocab, stem, TRUE) | (t->negation ? FW_VOCAB_NEGATION : 0);
          g_array_append_val (words->ids, word);
          g_string_append_c (regex, ' ');
          append_quoted (regex, stem, strlen (stem));
        }
      if (words->ids->len > 0)
        g_string_append (regex, FW_REGEX_WORD_END);
      words->regex = g_string_free (regex, FALSE);
      if (c->vocab->deletions == NULL) /* not frozen: memoize */
        {
          if (c->vocab->phrases == NULL)
            c->vocab->phrases = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) fw_phrase_words_free);
          g_hash_table_insert (c->vocab->phrases, g_steal_pointer (&key), words);
        }
      else
        unkept = words;
    }
  g_string_append (c->regex, words->regex);
  guint n = words->ids->len;
  for (guint i = 0; i < n; i++)
    {
      guint32 word = g_array_index (words->ids, guint32, i);
      gint32 id = (gint32) (word & ~FW_VOCAB_NEGATION);
      /* duplicates are removed once the pattern is compiled */
      g_array_append_val (c->pattern->words, id);
      if (word & FW_VOCAB_NEGATION)
        c->pattern->has_negation = TRUE;
      if (i == 0 && first_ids != NULL)
        add_word_id (first_ids, id);
      if (seq_out != NULL)
        g_array_append_val (seq_out, id);
    }
  return n > 0;
}

static gboolean compile_items (Compiler *c, char closer, GArray *required_group_sink, gboolean required,
                               GError **error);

/* Emits the alternation of a concept's terms. */
static gboolean
emit_concept (Compiler *c, const char *name, GArray *first_ids, GError **error)
{
  const char *terms = lookup_concept (c, name);
  if (terms == NULL)
    {
      g_set_error (error, FW_ERROR, FW_ERROR_PATTERN,
                   "unknown concept '~%s' in pattern '%s': define it with <concept id=\"%s\">", name,
                   c->source, name);
      return FALSE;
    }
  if (c->nesting >= MAX_CONCEPT_NESTING)
    {
      g_set_error (error, FW_ERROR, FW_ERROR_PATTERN,
                   "concept '~%s' nests concepts more than %d deep", name, MAX_CONCEPT_NESTING);
      return FALSE;
    }
  g_auto (GStrv) parts = g_strsplit (terms, ",", -1);
  /* Longer terms first, so that "the deposit" wins over "deposit". */
  guint n = g_strv_length (parts);
  for (guint i = 0; i < n; i++)
    g_strstrip (parts[i]);
  gboolean any = FALSE;
  g_string_append (c->regex, "(?:");
  for (guint i = 0; i < n; i++)
    {
      const char *term = parts[i];
      if (*term == '\0')
        continue;
      if (any)
        g_string_append_c (c->regex, '|');
      if (term[0] == '~')
        {
          c->nesting++;
          gboolean ok = emit_concept (c, term + 1, first_ids, error);
          c->nesting--;
          if (!ok)
            return FALSE;
        }
      else if (!emit_words (c, term, strlen (term), first_ids, NULL))
        {
          g_set_error (error, FW_ERROR, FW_ERROR_PATTERN,
                       "concept '~%s' has a term with no words: '%s'", name, term);
          return FALSE;
        }
      any = TRUE;
      /* Concepts of concepts multiply: four levels of fifty terms would
       * make millions of alternatives. Stop at the limit, early. */
      if (c->regex->len > FW_MAX_REGEX_BYTES)
        {
          g_set_error (error, FW_ERROR, FW_ERROR_LIMIT,
                       "pattern '%s' expands through its concepts to more than the limit of %d bytes of "
                       "regex: use fewer terms, or fewer concepts inside concepts",
                       c->source, FW_MAX_REGEX_BYTES);
          return FALSE;
        }
    }
  g_string_append_c (c->regex, ')');
  if (!any)
    {
      g_set_error (error, FW_ERROR, FW_ERROR_PATTERN, "concept '~%s' has no terms", name);
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_word_char (char ch)
{
  return ch != '\0' && !g_ascii_isspace (ch) && strchr ("[]{}~*!\"", ch) == NULL;
}

static void
skip_space (Compiler *c)
{
  while (g_ascii_isspace (*c->p))
    c->p++;
}

/* Reads one alternative inside [...] or one plain item: a word, a
 * "quoted phrase" or a ~concept. Emits it. */
static gboolean
compile_atom (Compiler *c, GArray *first_ids, GArray *seq_out, GError **error)
{
  const char *start = c->p;
  if (*c->p == '~')
    {
      c->p++;
      const char *name = c->p;
      while (is_word_char (*c->p))
        c->p++;
      if (c->p == name)
        {
          g_set_error (error, FW_ERROR, FW_ERROR_PATTERN,
                       "'~' must be followed by a concept name in pattern '%s'", c->source);
          return FALSE;
        }
      g_autofree char *id = g_strndup (name, c->p - name);
      return emit_concept (c, id, first_ids, error);
    }
  if (*c->p == '"')
    {
      c->p++;
      start = c->p;
      while (*c->p != '\0' && *c->p != '"')
        c->p++;
      if (*c->p != '"')
        {
          g_set_error (error, FW_ERROR, FW_ERROR_PATTERN, "unterminated quote in pattern '%s'",
                       c->source);
          return FALSE;
        }
      gsize len = c->p - start;
      c->p++;
      if (!emit_words (c, start, len, first_ids, seq_out))
        {
          g_set_error (error, FW_ERROR, FW_ERROR_PATTERN, "empty quoted phrase in pattern '%s'",
                       c->source);
          return FALSE;
        }
      return TRUE;
    }
  while (is_word_char (*c->p))
    c->p++;
  if (c->p == start)
    {
      g_set_error (error, FW_ERROR, FW_ERROR_PATTERN, "unexpected '%c' at column %d of pattern '%s'",
                   *c->p, (int) (c->p - c->source) + 1, c->source);
      return FALSE;
    }
  if (!emit_words (c, start, c->p - start, first_ids, seq_out))
    {
      g_set_error (error, FW_ERROR, FW_ERROR_PATTERN,
                   "'%.*s' in pattern '%s' holds no word a customer could say", (int) (c->p - start),
                   start, c->source);
      return FALSE;
    }
  return TRUE;
}

/* [a b ~c "d e"] */
static gboolean
compile_alternation (Compiler *c, GArray *first_ids, GError **error)
{
  c->p++; /* '[' */
  g_string_append (c->regex, "(?:");
  guint n = 0;
  for (;;)
    {
      skip_space (c);
      if (*c->p == ']')
        {
          c->p++;
          break;
        }
      if (*c->p == '\0')
        {
          g_set_error (error, FW_ERROR, FW_ERROR_PATTERN, "missing ']' in pattern '%s'", c->source);
          return FALSE;
        }
      if (n > 0)
        g_string_append_c (c->regex, '|');
      if (!compile_atom (c, first_ids, NULL, error))
        return FALSE;
      n++;
    }
  g_string_append_c (c->regex, ')');
  if (n == 0)
    {
      g_set_error (error, FW_ERROR, FW_ERROR_PATTERN, "empty '[]' in pattern '%s'", c->source);
      return FALSE;
    }
  return TRUE;
}

/* !word, !~concept, ![a b]: record forbidden word sequences, emit nothing. */
static gboolean
compile_forbidden (Compiler *c, GError **error)
{
  c->p++; /* '!' */
  gsize mark = c->regex->len;
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint32));
  guint words_before = c->pattern->words->len;
  gboolean ok;
  if (*c->p == '[')
    ok = compile_alternation (c, ids, error);
  else if (*c->p == '\0' || g_ascii_isspace (*c->p))
    {
      g_set_error (error, FW_ERROR, FW_ERROR_PATTERN, "'!' must be followed by a word in pattern '%s'",
                   c->source);
      return FALSE;
    }
  else
    ok = compile_atom (c, ids, NULL, error);
  if (!ok)
    return FALSE;
  g_string_truncate (c->regex, mark);
  /* Forbidden words are not matched words: keep them out of scoring. */
  g_array_set_size (c->pattern->words, words_before);
  for (guint i = 0; i < ids->len; i++)
    add_word_id (c->pattern->forbidden, g_array_index (ids, gint32, i));
  return TRUE;
}

/* Compiles items up to @closer ('\0' or '}'). Required items add a group
 * to the pattern's prefilter. */
static gboolean
compile_items (Compiler *c, char closer, GArray *unused, gboolean required, GError **error)
{
  gboolean last_was_gap = TRUE; /* a gap may not start a sequence */
  guint emitted = 0;
  for (;;)
    {
      skip_space (c);
      if (*c->p == closer)
        break;
      if (*c->p == '\0')
        {
          g_set_error (error, FW_ERROR, FW_ERROR_PATTERN, "missing '}' in pattern '%s'", c->source);
          return FALSE;
        }
      if (*c->p == ']' || *c->p == '}')
        {
          g_set_error (error, FW_ERROR, FW_ERROR_PATTERN, "unbalanced '%c' at column %d of pattern '%s'",
                       *c->p, (int) (c->p - c->source) + 1, c->source);
          return FALSE;
        }
      if (*c->p == '!')
        {
          if (!compile_forbidden (c, error))
            return FALSE;
          continue;
        }
      if (*c->p == '*')
        {
          c->p++;
          if (last_was_gap)
            {
              g_set_error (error, FW_ERROR, FW_ERROR_PATTERN,
                           "a gap '*' must stand between two words in pattern '%s'", c->source);
              return FALSE;
            }
          g_string_append (c->regex, FW_REGEX_GAP);
          c->pattern->has_gap = TRUE;
          last_was_gap = TRUE;
          continue;
        }
      if (*c->p == '{')
        {
          c->p++;
          g_string_append (c->regex, "(?:");
          if (!compile_items (c, '}', NULL, FALSE, error))
            return FALSE;
          c->p++; /* '}' */
          g_string_append (c->regex, ")?");
          last_was_gap = FALSE;
          emitted++;
          continue;
        }
      g_autoptr (GArray) group = g_array_new (FALSE, FALSE, sizeof (gint32));
      g_autoptr (GArray) seq = g_array_new (FALSE, FALSE, sizeof (gint32));
      gboolean ok;
      if (*c->p == '[')
        ok = compile_alternation (c, group, error);
      else
        ok = compile_atom (c, group, *c->p == '~' ? NULL : seq, error);
      if (!ok)
        return FALSE;
      /* The words that can begin a match: those that begin the first item.
       * No pattern can start with an optional item or a gap. */
      if (closer == '\0' && emitted == 0 && c->pattern->first == NULL && group->len > 0)
        c->pattern->first = g_array_copy (group);
      if (required)
        {
          if (seq->len > 1)
            {
              /* "do not": every word of the sequence is required */
              for (guint i = 0; i < seq->len; i++)
                {
                  GArray *one = g_array_new (FALSE, FALSE, sizeof (gint32));
                  g_array_append_val (one, g_array_index (seq, gint32, i));
                  g_ptr_array_add (c->pattern->required, one);
                }
            }
          else if (group->len > 0)
            g_ptr_array_add (c->pattern->required, g_steal_pointer (&group));
        }
      c->pattern->n_elements++;
      last_was_gap = FALSE;
      emitted++;
    }
  if (emitted > 0 && last_was_gap)
    {
      g_set_error (error, FW_ERROR, FW_ERROR_PATTERN,
                   "a gap '*' must stand between two words in pattern '%s'", c->source);
      return FALSE;
    }
  if (emitted == 0)
    {
      g_set_error (error, FW_ERROR, FW_ERROR_PATTERN, closer == '}' ? "empty '{}' in pattern '%s'"
                                                                    : "pattern '%s' has no words to match",
                   c->source);
      return FALSE;
    }
  return TRUE;
}

static void
set_pcre2_error (GError **error, const char *what, const char *regex, int code, PCRE2_SIZE offset)
{
  PCRE2_UCHAR buffer[256];
  pcre2_get_error_message (code, buffer, sizeof buffer);
  g_set_error (error, FW_ERROR, FW_ERROR_PATTERN, "%s does not compile at offset %zu: %s\n    %s\n    %*s^",
               what, (size_t) offset, (const char *) buffer, regex, (int) offset, "");
}

/* A raw regex that backtracks catastrophically ("(a+)+$") would hit the
 * match limit on ordinary notes, and every such note would become an error
 * record. Try it on short probes of repeated characters and refuse it here,
 * where the rule author can fix it, rather than at run time. */
gboolean
fw_pattern_probe (FwPattern *pattern, GError **error)
{
  static const char *const fixed[] = { "a", "ab", "1", " ", "a ", "aa1", NULL };
  if (!pattern->raw)
    return TRUE; /* phrase patterns have bounded gaps and no nested repeats */
  /* Runs of each letter the regex names ("(x+x+)+y" wants "xxx..."), then
   * the fixed shapes; every probe ends in a tail holding every letter, so
   * that a required last character ("y") is present and does not let PCRE2
   * skip the match. */
  g_autoptr (GPtrArray) units = g_ptr_array_new_with_free_func (g_free);
  for (const char *c = pattern->source; *c != '\0' && units->len < 24; c++)
    if (g_ascii_isalnum (*c) && (c == pattern->source || c[-1] != '\\'))
      {
        char unit[2] = { *c, '\0' };
        gboolean seen = FALSE;
        for (guint i = 0; i < units->len && !seen; i++)
          seen = strcmp (g_ptr_array_index (units, i), unit) == 0;
        if (!seen)
          g_ptr_array_add (units, g_strdup (unit));
      }
  for (guint i = 0; fixed[i] != NULL; i++)
    g_ptr_array_add (units, g_strdup (fixed[i]));
  if (!pattern->raw)
    return TRUE; /* phrase patterns have bounded gaps and no nested repeats */
  pcre2_match_data *md = pcre2_match_data_create (1, NULL);
  pcre2_match_context *mc = pcre2_match_context_create (NULL);
  pcre2_set_match_limit (mc, FW_MATCH_LIMIT);
  pcre2_set_heap_limit (mc, FW_HEAP_LIMIT_KB);
  gboolean ok = TRUE;
  for (guint u = 0; u < units->len && ok; u++)
    {
      GString *probe = g_string_new (NULL);
      while (probe->len < 48)
        g_string_append (probe, g_ptr_array_index (units, u));
      g_string_append (probe, "!\x01 The quick brown fox jumps over the lazy dog. 0123456789 ,;:?-_'\"");
      int rc = pcre2_match (pattern->code, (PCRE2_SPTR) probe->str, probe->len, 0, 0, md, mc);
      if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT)
        {
          g_set_error (error, FW_ERROR, FW_ERROR_LIMIT,
                       "regex '%s' backtracks catastrophically: it hit the match limit of %d on a short test text; "
                       "avoid nested repeats such as (a+)+", pattern->source, FW_MATCH_LIMIT);
          ok = FALSE;
        }
      else if (rc < 0 && rc != PCRE2_ERROR_NOMATCH)
        {
          /* A regex that compiles but cannot run on any text ("(?R)":
           * a recursion that never consumes a character). */
          PCRE2_UCHAR message[256];
          pcre2_get_error_message (rc, message, sizeof message);
          g_set_error (error, FW_ERROR, FW_ERROR_PATTERN,
                       "regex '%s' cannot run: PCRE2 says \"%s\" on a short test text; "
                       "a recursion must consume a character before it recurses", pattern->source,
                       (const char *) message);
          ok = FALSE;
        }
      g_string_free (probe, TRUE);
    }
  pcre2_match_context_free (mc);
  pcre2_match_data_free (md);
  return ok;
}

/* The longest run of literal ASCII characters (three or more) that every
 * match of raw regex @regex must contain, lower-cased; NULL when none is
 * found. Conservative: only characters outside groups, classes and
 * quantifiers count, and a regex with an alternation at its top level, an
 * inline option ("(?x)") or a \Q quote has none. The matcher skips the
 * regex on a text that lacks it, without running PCRE2. */
static char *
required_literal (const char *regex)
{
  GString *run = g_string_new (NULL);
  GString *best = g_string_new (NULL);
  const char *p = regex;
  gboolean ok = TRUE;
#define END_RUN()                                                                                                      \
  do                                                                                                                   \
    {                                                                                                                  \
      if (run->len > best->len)                                                                                        \
        g_string_assign (best, run->str);                                                                              \
      g_string_truncate (run, 0);                                                                                      \
    }                                                                                                                  \
  while (0)
  while (ok && *p != '\0')
    {
      char c = *p;
      if (c == '|')
        ok = FALSE;
      else if (c == '\\')
        {
          char e = p[1];
          if (e == '\0' || e == 'Q' || e == 'E')
            ok = FALSE;
          else if (g_ascii_isalnum (e) && strchr ("bBdDsSwWhHvVRAzZGKX", e) != NULL)
            END_RUN (); /* an assertion or a class: not a literal character */
          else if (g_ascii_isalnum (e))
            ok = FALSE; /* \x41, \1, \p{L}, \cA...: not worth reading */
          else if ((guchar) e < 0x80)
            g_string_append_c (run, g_ascii_tolower (e)); /* \. \$ \( */
          else
            END_RUN ();
          p += 2;
        }
      else if (c == '(')
        {
          if (p[1] == '?' && g_ascii_isalpha (p[2]))
            ok = FALSE; /* an inline option changes what follows */
          /* Skip the group, with its nested groups, classes and escapes. */
          p = group_end (p);
          if (*p == '\0')
            ok = FALSE;
          else
            p++;
          END_RUN ();
        }
      else if (c == '[')
        {
          p = class_end (p);
          if (*p == '\0')
            ok = FALSE;
          else
            p++;
          END_RUN ();
        }
      else if (c == '?' || c == '*' || c == '+' || c == '{')
        {
          /* The character before is optional or repeated: not in the run. */
          if (run->len > 0)
            g_string_truncate (run, run->len - 1);
          END_RUN ();
          p++;
        }
      else if ((guchar) c >= 0x80 || c == '^' || c == '$' || c == '.' || c == ')' || c == ']' || c == '}'
               || g_ascii_isspace (c) || c == '#')
        {
          END_RUN ();
          p++;
        }
      else
        {
          g_string_append_c (run, g_ascii_tolower (c));
          p++;
        }
    }
  END_RUN ();
#undef END_RUN
  g_string_free (run, TRUE);
  if (!ok || best->len < 3)
    {
      g_string_free (best, TRUE);
      return NULL;
    }
  return g_string_free (best, FALSE);
}

static void
free_group (gpointer group)
{
  g_array_unref (group);
}

/* Compiles @pattern's regex with its options into pattern->code; FALSE,
 * with @error set, when PCRE2 refuses it. */
static gboolean
compile_code (FwPattern *pattern, GError **error)
{
  int code;
  PCRE2_SIZE offset;
  pattern->code = pcre2_compile ((PCRE2_SPTR) pattern->regex, PCRE2_ZERO_TERMINATED, pattern->options, &code,
                                 &offset, NULL);
  if (pattern->code != NULL)
    return TRUE;
  set_pcre2_error (error, pattern->raw ? "regex" : "pattern", pattern->regex, code, offset);
  return FALSE;
}

FwPattern *
fw_pattern_compile (const char *source, gboolean raw, FwNormalizer *normalizer, FwVocab *vocab,
                    GHashTable *concepts, GHashTable *shared_concepts, GError **error)
{
  g_return_val_if_fail (source != NULL, NULL);
  FwPattern *pattern = g_new0 (FwPattern, 1);
  pattern->source = g_strdup (source);
  pattern->raw = raw;
  pattern->required = g_ptr_array_new_with_free_func (free_group);
  pattern->words = g_array_new (FALSE, FALSE, sizeof (gint32));
  pattern->forbidden = g_array_new (FALSE, FALSE, sizeof (gint32));

  if (strlen (source) > FW_MAX_PATTERN_BYTES)
    {
      g_set_error (error, FW_ERROR, FW_ERROR_LIMIT, "pattern is longer than the limit of %d bytes",
                   FW_MAX_PATTERN_BYTES);
      fw_pattern_free (pattern);
      return NULL;
    }

  uint32_t options;
  if (raw)
    {
      pattern->regex = g_strdup (source);
      pattern->literal = required_literal (source);
      options = PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS | PCRE2_MATCH_INVALID_UTF;
    }
  else
    {
      Compiler c = { 0 };
      c.source = source;
      c.p = source;
      c.normalizer = normalizer;
      c.vocab = vocab;
      c.concepts = concepts;
      c.shared_concepts = shared_concepts;
      c.doc = fw_doc_new ();
      c.regex = g_string_new (NULL);
      c.pattern = pattern;
      gboolean ok = compile_items (&c, '\0', NULL, TRUE, error);
      fw_doc_free (c.doc);
      pattern->regex = g_string_free (c.regex, FALSE);
      /* Each word once, sorted: the matcher looks them up (in_sorted_words). */
      sort_unique (pattern->words);
      if (!ok)
        {
          fw_pattern_free (pattern);
          return NULL;
        }
      /* The normalized text is ours and valid UTF-8, and a phrase pattern
       * has no construct that depends on characters rather than bytes
       * (stems are literal bytes; a gap word is "[^ \n]+", which no byte
       * of a multi-byte character matches): bytes are faster to match. A
       * pattern that knows the words it begins with is anchored: the
       * matcher tries it where those words stand, not at every token. */
      options = pattern->first != NULL ? PCRE2_ANCHORED : 0;
      if (pattern->first != NULL)
        build_slots (pattern, vocab);
    }

  pattern->options = options;
  /* A phrase pattern's regex is ours: quoted stems, alternations and
   * bounded gaps, which PCRE2 always compiles while it is small enough to
   * stay far inside PCRE2's limits. Such a regex is compiled on its first
   * run (fw_pattern_jit), like its JIT code: most patterns never run in a
   * drill, and compiling them all was a third of loading the library.
   * A larger one is compiled now, so that `check` reports what PCRE2
   * refuses. */
  if (!raw && strlen (pattern->regex) <= LAZY_COMPILE_MAX_BYTES)
    return pattern;

  if (!compile_code (pattern, error))
    {
      fw_pattern_free (pattern);
      return NULL;
    }
  /* A regex anchored at the start of the text ("^\W*time\W*$") fails at
   * once on a note: looking for its literal first would cost more. */
  uint32_t all_options = 0;
  if (pattern->literal != NULL && pcre2_pattern_info (pattern->code, PCRE2_INFO_ALLOPTIONS, &all_options) == 0
      && (all_options & PCRE2_ANCHORED) != 0)
    g_clear_pointer (&pattern->literal, g_free);
  /* No JIT here: the matcher JIT-compiles a pattern on its first run
   * (fw_pattern_jit). A pattern with a gap has a twin with lazy gaps, for when the greedy
   * match reaches over a negation; rarely run, so the matcher compiles it
   * on first need (matcher.c, pattern_lazy). */
  return pattern;
}

/* Compiles (when fw_pattern_compile left it for later) and JIT-compiles
 * @pattern the first time it runs, once, whichever thread gets there
 * first: most patterns of a library never run in a drill, and compiling
 * them all took most of the library's load time. Afterwards
 * pattern->code is set, or NULL if PCRE2 refused it (never seen: see
 * LAZY_COMPILE_MAX_BYTES), and the pattern matches nothing. */
gboolean
fw_pattern_jit (FwPattern *pattern)
{
  if (g_once_init_enter (&pattern->jit_once))
    {
      g_autoptr (GError) error = NULL;
      if (pattern->code == NULL && !compile_code (pattern, &error))
        g_warning ("%s", error->message);
      pattern->jit = pattern->code != NULL && pcre2_jit_compile (pattern->code, PCRE2_JIT_COMPLETE) == 0;
      g_once_init_leave (&pattern->jit_once, 1);
    }
  return pattern->jit;
}

/* @pattern's compiled code, compiling it now if it was left for its first
 * run; NULL if PCRE2 refused it. */
pcre2_code *
fw_pattern_code (FwPattern *pattern)
{
  fw_pattern_jit (pattern);
  return pattern->code;
}

void
fw_pattern_free (FwPattern *pattern)
{
  if (pattern == NULL)
    return;
  g_free (pattern->source);
  g_free (pattern->regex);
  if (pattern->code != NULL)
    pcre2_code_free (pattern->code);
  if (pattern->first != NULL)
    g_array_unref (pattern->first);
  if (pattern->ascii_code != NULL)
    pcre2_code_free (pattern->ascii_code);
  g_free (pattern->literal);
  if (pattern->lazy != NULL)
    pcre2_code_free (pattern->lazy);
  free_slots (pattern->slots, pattern->n_slots);
  g_ptr_array_unref (pattern->required);
  g_array_unref (pattern->words);
  g_array_unref (pattern->forbidden);
  g_free (pattern);
}
