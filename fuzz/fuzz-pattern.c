/* fuzz-pattern.c: the phrase-pattern compiler and raw regexes.
 *
 * The first byte chooses a phrase pattern (even) or a raw <regex> (odd);
 * the rest is the pattern as written. It compiles against a fixed table of
 * concepts (some nesting, one cycle, one empty) into a fresh vocabulary.
 * A pattern that compiles is run, under the library's match limits, over a
 * few normalized answers, as the matcher would. A compile error must be a
 * FW_ERROR_PATTERN or FW_ERROR_LIMIT with a message; a compiled pattern must
 * have a regex and PCRE2 code.
 */
#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "fw-private.h"

static FwNormalizer *normalizer;
static GHashTable *concepts;
static GHashTable *shared_concepts;
static pcre2_match_data *match_data;
static pcre2_match_context *match_context;

static const char *const answers[] = {
  "We need the money to buy a house for the kids, not for me.",
  "it's about the deposit, honestly -- and peace of mind",
  "Ich möchte ein Haus kaufen, für die Familie.",
  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!",
  "don't won't can't shouldn't've ain't y'all",
};

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_fatal_warnings ();
  normalizer = fw_normalizer_new ("en", NULL, NULL);
  FUZZ_REQUIRE (normalizer != NULL, "no English stemmer");
  concepts = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (concepts, "money", "money, cash, funds, the deposit, finance");
  g_hash_table_insert (concepts, "home", "home, house, a place of our own, ~family");
  g_hash_table_insert (concepts, "loop", "round, ~loop");
  g_hash_table_insert (concepts, "empty", " , ,");
  g_hash_table_insert (concepts, "punct", "..., !!!");
  /* concepts of concepts that multiply: ~fan1 alone passes the regex limit */
  g_hash_table_insert (concepts, "fan1", "~fan2, ~fan2, ~fan2, ~fan2, ~fan2, ~fan2, ~fan2, ~fan2, ~fan2, ~fan2");
  g_hash_table_insert (concepts, "fan2", "~fan3, ~fan3, ~fan3, ~fan3, ~fan3, ~fan3, ~fan3, ~fan3, ~fan3, ~fan3");
  g_hash_table_insert (concepts, "fan3", "~fan4, ~fan4, ~fan4, ~fan4, ~fan4, ~fan4, ~fan4, ~fan4, ~fan4, ~fan4");
  g_hash_table_insert (concepts, "fan4", "one, two, three, four, five, six, seven, eight, nine, ten");
  shared_concepts = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (shared_concepts, "family", "family, kids, the kids, children, my wife");
  g_hash_table_insert (shared_concepts, "money", "never used: the ruleset's wins");
  match_data = pcre2_match_data_create (1, NULL);
  match_context = pcre2_match_context_create (NULL);
  pcre2_set_match_limit (match_context, FW_MATCH_LIMIT);
  pcre2_set_depth_limit (match_context, FW_MATCH_LIMIT);
  pcre2_set_heap_limit (match_context, FW_HEAP_LIMIT_KB);
  /* As fw_scratch_new: the JIT stack the matcher runs with. */
  pcre2_jit_stack *jit_stack = pcre2_jit_stack_create (32 * 1024, 1024 * 1024, NULL);
  pcre2_jit_stack_assign (match_context, NULL, jit_stack);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size == 0)
    return 0;
  gboolean raw = data[0] & 1;
  /* Patterns come from XML text: NUL-terminated, and NUL cannot occur. */
  char *source = g_strndup ((const char *)data + 1, size - 1);
  FwVocab *vocab = fw_vocab_new ();
  GError *error = NULL;
  FwPattern *pattern = fw_pattern_compile (source, raw, normalizer, vocab, concepts, shared_concepts, &error);
  /* As the library does (library.c): a regex that compiles is probed, and
   * one that cannot run or backtracks catastrophically is refused. */
  if (pattern != NULL && !fw_pattern_probe (pattern, &error))
    g_clear_pointer (&pattern, fw_pattern_free);
  if (pattern == NULL)
    {
      FUZZ_ASSERT (error != NULL && error->domain == FW_ERROR
                       && (error->code == FW_ERROR_PATTERN || error->code == FW_ERROR_LIMIT),
                   "a failed compile must say why");
      FUZZ_ASSERT (error->message[0] != '\0', "empty pattern error");
      g_error_free (error);
    }
  else
    {
      FUZZ_ASSERT (error == NULL, "an error set on success");
      /* A phrase regex is compiled on its first run (fw_pattern_code): it
       * must compile then, as PCRE2 always takes what the compiler writes. */
      FUZZ_ASSERT (pattern->regex != NULL && fw_pattern_code (pattern) != NULL, "compiled pattern without code");
      FwDoc *doc = fw_doc_new ();
      for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
        {
          const char *subject;
          gsize len;
          if (raw)
            {
              subject = answers[i];
              len = strlen (subject);
            }
          else
            {
              fw_normalize (normalizer, answers[i], strlen (answers[i]), doc);
              subject = doc->norm->str;
              len = doc->norm->len;
            }
          int rc = pcre2_match (fw_pattern_code (pattern), (PCRE2_SPTR)subject, len, 0, 0, match_data, match_context);
          FUZZ_ASSERT (rc >= -1 || rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT
                           || rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT,
                       "pcre2_match failed with %d on '%s'", rc, pattern->regex);
        }
      fw_doc_free (doc);
      fw_pattern_free (pattern);
    }
  fw_vocab_free (vocab);
  g_free (source);
  return 0;
}
