/* questions.c: the classes of a trainee's questions.
 *
 * A <questions lang> file holds, per class (open-probe, closed, leading,
 * pitch, empathy, summary, off-topic), phrase patterns and raw regexes
 * matched with the rule engine, examples and counterexamples that `check`
 * runs as tests, the default replies of every persona, and the advice
 * rules of the scorecard. The patterns are compiled into the language's
 * vocabulary when the library compiles, but kept out of the library's
 * pattern table: notes and answers never run them.
 *
 * Negation does not apply to questions: "Why don't you tell me more?" is
 * an open probe although "tell me more" follows a "not". A pattern that
 * matches only inside a negated clause counts.
 */
#include "config.h"

#include <string.h>

#include <libxml/tree.h>

#include "practice-private.h"

static const char *const class_names[FW_QUESTION_N_CLASSES] = {
  "open-probe", "closed", "leading", "pitch", "empathy", "summary", "off-topic",
};

/* Which class decides when several match: the first of this list. A pitch
 * spoils whatever else the question does; talk about the weather is
 * off-topic even when phrased "how was..." or "..., isn't it?"; a leading
 * question is leading even when it starts "why"; an open probe
 * with a summary in front is still a probe; a summary ending "is that
 * right?" is a summary; an acknowledgement before a closed question does
 * not open it. */
static const FwQuestionClass precedence[FW_QUESTION_N_CLASSES] = {
  FW_QUESTION_PITCH,      FW_QUESTION_OFF_TOPIC, FW_QUESTION_LEADING, FW_QUESTION_OPEN_PROBE,
  FW_QUESTION_SUMMARY,    FW_QUESTION_CLOSED,  FW_QUESTION_EMPATHY,
};

const char *
fw_question_class_to_string (FwQuestionClass klass)
{
  return (guint) klass < FW_QUESTION_N_CLASSES ? class_names[klass] : NULL;
}

gboolean
fw_question_class_from_string (const char *name, FwQuestionClass *klass)
{
  for (guint i = 0; i < FW_QUESTION_N_CLASSES; i++)
    if (g_strcmp0 (name, class_names[i]) == 0)
      {
        *klass = (FwQuestionClass) i;
        return TRUE;
      }
  return FALSE;
}

static const char *const counter_names[FW_COUNTER_N] = {
  "turns", "open-probe", "closed", "leading", "pitch", "empathy", "summary", "off-topic", "warming", "holds",
  "depth", "ladder", "left", "first-pitch", "motivation", "lost", "out-of-time", "warmth", "open-share",
  "closed-run",
};

const char *
fw_practice_counter_to_string (guint counter)
{
  return counter < FW_COUNTER_N ? counter_names[counter] : NULL;
}

static gboolean
counter_from_string (const char *name, guint *counter)
{
  for (guint i = 0; i < FW_COUNTER_N; i++)
    if (g_strcmp0 (name, counter_names[i]) == 0)
      {
        *counter = i;
        return TRUE;
      }
  return FALSE;
}

/* ---- loading ---------------------------------------------------------------- */

static void
pattern_source_free (gpointer data)
{
  FwPatternSource *src = data;
  g_free (src->source);
  g_free (src);
}

static void
advice_free (gpointer data)
{
  FwAdvice *advice = data;
  g_free (advice->id);
  g_array_unref (advice->when);
  g_free (advice->text);
  g_free (advice);
}

void
fw_questions_free (gpointer data)
{
  FwQuestions *questions = data;
  if (questions == NULL)
    return;
  for (guint c = 0; c < FW_QUESTION_N_CLASSES; c++)
    {
      FwQuestionClassDef *def = &questions->classes[c];
      g_free (def->label);
      g_free (def->description);
      g_ptr_array_unref (def->sources);
      g_ptr_array_unref (def->patterns);
      g_ptr_array_unref (def->examples);
      g_ptr_array_unref (def->counterexamples);
    }
  for (guint r = 0; r < FW_REPLY_N; r++)
    g_ptr_array_unref (questions->replies[r]);
  g_ptr_array_unref (questions->advice);
  g_hash_table_unref (questions->concepts);
  g_hash_table_unref (questions->concept_places);
  g_free (questions);
}

/* The question classes of @lang; made empty when @create is TRUE and there
 * are none yet. */
FwQuestions *
fw_questions_get (FwLibrary *library, const char *lang, gboolean create)
{
  if (library->practice == NULL && !create)
    return NULL;
  /* Looking up interns nothing: a compiled library is shared by threads. */
  FwPracticeRules *rules = fw_practice_rules_get (library);
  FwQuestions *questions = g_hash_table_lookup (rules->questions, lang);
  if (questions == NULL && create)
    {
      questions = g_new0 (FwQuestions, 1);
      questions->lang = fw_library_intern (library, lang);
      questions->concepts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      questions->concept_places = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      for (guint c = 0; c < FW_QUESTION_N_CLASSES; c++)
        {
          FwQuestionClassDef *def = &questions->classes[c];
          def->sources = g_ptr_array_new_with_free_func (pattern_source_free);
          def->patterns = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_pattern_free);
          def->examples = g_ptr_array_new_with_free_func (fw_example_free);
          def->counterexamples = g_ptr_array_new_with_free_func (fw_example_free);
        }
      for (guint r = 0; r < FW_REPLY_N; r++)
        questions->replies[r] = g_ptr_array_new_with_free_func (g_free);
      questions->advice = g_ptr_array_new_with_free_func (advice_free);
      g_hash_table_insert (rules->questions, (gpointer) questions->lang, questions);
    }
  return questions;
}

static void
load_class (FwLibrary *library, const char *file, FwQuestions *questions, xmlNodePtr node)
{
  g_autofree char *id = fw_practice_xml_attr (node, "id");
  FwQuestionClass klass;
  if (!fw_question_class_from_string (id, &klass))
    return; /* the schema allows only the seven */
  FwQuestionClassDef *def = &questions->classes[klass];
  if (def->defined)
    {
      fw_library_diag (library, FW_SEVERITY_ERROR, file, (int) xmlGetLineNo (node),
                       "question class '%s' is already defined at %s:%d", id, def->place.file, def->place.line);
      return;
    }
  def->defined = TRUE;
  def->place = fw_practice_xml_place (file, node);
  def->label = fw_practice_xml_attr (node, "label");
  g_autofree char *warmth = fw_practice_xml_attr (node, "warmth");
  def->warmth = warmth != NULL ? (int) g_ascii_strtoll (warmth, NULL, 10) : 0;
  for (xmlNodePtr child = node->children; child != NULL; child = child->next)
    {
      gboolean raw = fw_practice_xml_is (child, "regex");
      if (raw || fw_practice_xml_is (child, "pattern"))
        {
          FwPatternSource *src = g_new0 (FwPatternSource, 1);
          src->source = fw_practice_xml_text (child);
          src->raw = raw;
          src->place = fw_practice_xml_place (file, child);
          src->lang = questions->lang;
          src->owner = def;
          g_ptr_array_add (def->sources, src);
        }
      else if (fw_practice_xml_is (child, "example") || fw_practice_xml_is (child, "counterexample"))
        {
          FwExample *example = g_new0 (FwExample, 1);
          example->text = fw_practice_xml_text (child);
          example->place = fw_practice_xml_place (file, child);
          g_ptr_array_add (fw_practice_xml_is (child, "example") ? def->examples : def->counterexamples, example);
        }
      else if (fw_practice_xml_is (child, "description"))
        def->description = fw_practice_xml_text (child);
    }
}

static void
load_advice (FwLibrary *library, const char *file, FwQuestions *questions, xmlNodePtr node)
{
  FwAdvice *advice = g_new0 (FwAdvice, 1);
  advice->id = fw_practice_xml_attr (node, "id");
  advice->when = g_array_new (FALSE, TRUE, sizeof (FwAdviceWhen));
  advice->place = fw_practice_xml_place (file, node);
  for (guint i = 0; i < questions->advice->len; i++)
    {
      FwAdvice *other = g_ptr_array_index (questions->advice, i);
      if (strcmp (other->id, advice->id) == 0)
        fw_library_diag (library, FW_SEVERITY_ERROR, file, advice->place.line,
                         "duplicate advice id '%s': already defined at %s:%d", advice->id, other->place.file,
                         other->place.line);
    }
  for (xmlNodePtr child = node->children; child != NULL; child = child->next)
    {
      if (fw_practice_xml_is (child, "text"))
        advice->text = fw_practice_xml_text (child);
      else if (fw_practice_xml_is (child, "when"))
        {
          FwAdviceWhen when = { 0 };
          g_autofree char *counter = fw_practice_xml_attr (child, "counter");
          g_autofree char *min = fw_practice_xml_attr (child, "min");
          g_autofree char *max = fw_practice_xml_attr (child, "max");
          if (!counter_from_string (counter, &when.counter))
            continue;
          when.has_min = min != NULL;
          when.has_max = max != NULL;
          when.min = min != NULL ? (int) g_ascii_strtoll (min, NULL, 10) : 0;
          when.max = max != NULL ? (int) g_ascii_strtoll (max, NULL, 10) : 0;
          if (!when.has_min && !when.has_max)
            fw_library_diag (library, FW_SEVERITY_ERROR, file, (int) xmlGetLineNo (child),
                             "advice '%s': <when counter=\"%s\"> needs min=\"...\" or max=\"...\"", advice->id,
                             counter);
          else if (when.has_min && when.has_max && when.min > when.max)
            fw_library_diag (library, FW_SEVERITY_ERROR, file, (int) xmlGetLineNo (child),
                             "advice '%s': <when counter=\"%s\"> can never hold: min=\"%d\" is above max=\"%d\"",
                             advice->id, counter, when.min, when.max);
          g_array_append_val (advice->when, when);
        }
    }
  /* Placeholders must name counters, or the trainee reads "{pitchs}". */
  for (const char *p = advice->text != NULL ? strchr (advice->text, '{') : NULL; p != NULL; p = strchr (p + 1, '{'))
    {
      const char *close = strchr (p, '}');
      g_autofree char *inside = close != NULL ? g_strndup (p + 1, close - p - 1) : NULL;
      g_auto (GStrv) parts = inside != NULL ? g_strsplit (inside, "|", -1) : NULL;
      guint counter;
      if (parts == NULL || !counter_from_string (parts[0], &counter))
        fw_library_diag (library, FW_SEVERITY_ERROR, file, advice->place.line,
                         "advice '%s': '{%s%s' in its text names no counter (use {turns}, {pitch}, {depth}, ...)",
                         advice->id, inside != NULL ? inside : "", inside != NULL ? "}" : "");
      else if (g_strv_length (parts) != 1 && g_strv_length (parts) != 3)
        fw_library_diag (library, FW_SEVERITY_ERROR, file, advice->place.line,
                         "advice '%s': '{%s}' should be {counter} or {counter|one|many}, as in {holds|time|times}",
                         advice->id, inside);
    }
  g_ptr_array_add (questions->advice, advice);
}

void
fw_questions_load (FwLibrary *library, const char *file, xmlNodePtr root)
{
  g_autofree char *lang = fw_practice_xml_attr (root, "lang");
  FwQuestions *questions = fw_questions_get (library, lang, TRUE);
  if (questions->place.file == NULL)
    questions->place = fw_practice_xml_place (file, root);
  for (xmlNodePtr node = root->children; node != NULL; node = node->next)
    {
      if (fw_practice_xml_is (node, "class"))
        load_class (library, file, questions, node);
      else if (fw_practice_xml_is (node, "advice"))
        load_advice (library, file, questions, node);
      else if (fw_practice_xml_is (node, "reply"))
        {
          g_autofree char *to = fw_practice_xml_attr (node, "to");
          FwReplyKind kind;
          if (fw_reply_kind_from_string (to, &kind))
            g_ptr_array_add (questions->replies[kind], fw_practice_xml_text (node));
        }
      else if (fw_practice_xml_is (node, "concept"))
        {
          g_autofree char *id = fw_practice_xml_attr (node, "id");
          FwPlace *seen = g_hash_table_lookup (questions->concept_places, id);
          if (seen != NULL)
            {
              fw_library_diag (library, FW_SEVERITY_ERROR, file, (int) xmlGetLineNo (node),
                               "concept '%s' is already defined at %s:%d", id, seen->file, seen->line);
              continue;
            }
          FwPlace *place = g_new (FwPlace, 1);
          *place = fw_practice_xml_place (file, node);
          g_hash_table_insert (questions->concept_places, g_strdup (id), place);
          g_hash_table_insert (questions->concepts, g_steal_pointer (&id), fw_practice_xml_text (node));
        }
    }
}

/* ---- compiling -------------------------------------------------------------- */

/* Compiles every class's patterns into the language's vocabulary (made
 * here when no ruleset uses the language). Concepts come from the file,
 * then from the language's motivations. Called before the vocabularies
 * freeze. */
void
fw_questions_compile (FwLibrary *library, FwQuestions *questions)
{
  g_autoptr (GError) lang_error = NULL;
  FwNormalizer *normalizer = fw_normalizer_new (questions->lang, NULL, &lang_error);
  if (normalizer == NULL)
    {
      fw_library_diag (library, FW_SEVERITY_ERROR, questions->place.file, questions->place.line, "%s",
                       lang_error->message);
      return;
    }
  FwVocab *vocab = g_hash_table_lookup (library->vocabs, questions->lang);
  if (vocab == NULL)
    {
      vocab = fw_vocab_new ();
      g_hash_table_insert (library->vocabs, (gpointer) questions->lang, vocab);
    }
  FwLangLayer *layer = g_hash_table_lookup (library->langs, questions->lang);
  for (guint c = 0; c < FW_QUESTION_N_CLASSES; c++)
    {
      FwQuestionClassDef *def = &questions->classes[c];
      for (guint i = 0; i < def->sources->len; i++)
        {
          FwPatternSource *src = g_ptr_array_index (def->sources, i);
          g_autoptr (GError) error = NULL;
          FwPattern *pattern = fw_pattern_compile (src->source, src->raw, normalizer, vocab, questions->concepts,
                                                   layer != NULL ? layer->concepts : NULL, &error);
          if (pattern == NULL)
            {
              fw_library_diag (library, FW_SEVERITY_ERROR, src->place.file, src->place.line, "%s", error->message);
              continue;
            }
          pattern->place = src->place;
          pattern->lang = questions->lang;
          pattern->owner = def;
          pattern->index = G_MAXUINT; /* not in library->patterns */
          g_ptr_array_add (def->patterns, pattern);
        }
      g_ptr_array_set_size (def->sources, 0);
    }
  fw_normalizer_free (normalizer);
  g_autoptr (GString) missing = g_string_new (NULL);
  for (guint c = 0; c < FW_QUESTION_N_CLASSES; c++)
    if (!questions->classes[c].defined)
      g_string_append_printf (missing, "%s%s", missing->len > 0 ? ", " : "", class_names[c]);
  if (missing->len > 0)
    fw_library_diag (library, FW_SEVERITY_WARNING, questions->place.file, questions->place.line,
                     "the questions for '%s' define no class %s: no question can be taken for %s", questions->lang,
                     missing->str, strchr (missing->str, ',') != NULL ? "those" : "it");
}

/* ---- classifying -------------------------------------------------------------- */

/* Whether @pattern matches the prepared question, negated or not. */
static gboolean
question_match (FwScratch *scratch, FwPattern *pattern, FwDoc *doc, const char *text, gsize len, FwHit *hit)
{
  if (!fw_scratch_may_match (scratch, pattern))
    return FALSE;
  if (fw_pattern_run (scratch, pattern, doc, text, len, hit, NULL))
    return TRUE;
  return hit->pattern != NULL && hit->negated && !hit->forbidden && !hit->limit;
}

void
fw_questions_classify (FwQuestions *questions, FwScratch *scratch, const char *text, FwClassified *out)
{
  memset (out, 0, sizeof *out);
  out->klass = FW_QUESTION_OFF_TOPIC;
  if (questions == NULL)
    return;
  gsize len = strlen (text);
  FwDoc *doc = fw_scratch_prepare (scratch, questions->lang, text, len);
  FwHit first[FW_QUESTION_N_CLASSES] = { { 0 } };
  guint matched = 0;
  for (guint c = 0; c < FW_QUESTION_N_CLASSES; c++)
    {
      GPtrArray *patterns = questions->classes[c].patterns;
      for (guint p = 0; p < patterns->len && !(matched & (1u << c)); p++)
        {
          FwHit hit;
          if (question_match (scratch, g_ptr_array_index (patterns, p), doc, text, len, &hit))
            {
              matched |= 1u << c;
              first[c] = hit;
            }
        }
    }
  for (guint i = 0; i < FW_QUESTION_N_CLASSES; i++)
    {
      FwQuestionClass klass = precedence[i];
      if (matched & (1u << klass))
        {
          out->klass = klass;
          out->pattern = first[klass].pattern;
          out->start = first[klass].start;
          out->end = first[klass].end;
          out->also = matched & ~(1u << klass);
          return;
        }
    }
}

FwQuestionClass
fw_library_classify_question (FwLibrary *library, FwScratch *scratch, const char *lang, const char *question,
                              guint *also)
{
  g_return_val_if_fail (library != NULL && library->compiled, FW_QUESTION_OFF_TOPIC);
  g_return_val_if_fail (scratch != NULL && question != NULL, FW_QUESTION_OFF_TOPIC);
  FwClassified classified;
  g_autofree char *valid = g_utf8_make_valid (question, -1);
  fw_questions_classify (lang != NULL ? fw_questions_get (library, lang, FALSE) : NULL, scratch, valid,
                         &classified);
  if (also != NULL)
    *also = classified.also;
  return classified.klass;
}

/* ---- examples as tests -------------------------------------------------------- */

/* An example of a class must be taken for that class; a counterexample
 * must not. Returns the number of errors recorded. */
guint
fw_questions_run_examples (FwLibrary *library, FwScratch *scratch, FwQuestions *questions)
{
  guint errors = 0;
  for (guint c = 0; c < FW_QUESTION_N_CLASSES; c++)
    {
      FwQuestionClassDef *def = &questions->classes[c];
      for (guint pass = 0; pass < 2; pass++)
        {
          GPtrArray *list = pass == 0 ? def->examples : def->counterexamples;
          for (guint e = 0; e < list->len; e++)
            {
              FwExample *ex = g_ptr_array_index (list, e);
              FwClassified got;
              fw_questions_classify (questions, scratch, ex->text, &got);
              if (pass == 0 && got.klass != c)
                {
                  errors++;
                  if (got.pattern != NULL)
                    fw_library_diag (library, FW_SEVERITY_ERROR, ex->place.file, ex->place.line,
                                     "example \"%s\" is not taken for %s: it is taken for %s (pattern '%s' at %s:%d)",
                                     ex->text, class_names[c], class_names[got.klass], got.pattern->source,
                                     got.pattern->place.file, got.pattern->place.line);
                  else
                    fw_library_diag (library, FW_SEVERITY_ERROR, ex->place.file, ex->place.line,
                                     "example \"%s\" is not taken for %s: no pattern matches it", ex->text,
                                     class_names[c]);
                }
              else if (pass == 1 && got.klass == c)
                {
                  errors++;
                  if (got.pattern != NULL)
                    fw_library_diag (library, FW_SEVERITY_ERROR, ex->place.file, ex->place.line,
                                     "counterexample \"%s\" is taken for %s (pattern '%s' at %s:%d)", ex->text,
                                     class_names[c], got.pattern->source, got.pattern->place.file,
                                     got.pattern->place.line);
                  else
                    fw_library_diag (library, FW_SEVERITY_ERROR, ex->place.file, ex->place.line,
                                     "counterexample \"%s\" is taken for %s: no pattern matches it, and off-topic is the default",
                                     ex->text, class_names[c]);
                }
            }
        }
    }
  return errors;
}
