/* test-normalize.c: the normalized text patterns are matched against.
 *
 * Each case feeds an answer as a customer would type it and asserts the
 * exact norm (" stem" per token, "\n" per clause, " ," per soft break)
 * and, where a user would notice, the byte spans and flags of the tokens.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "fivewhys.h"
#include "normalize-private.h"

/* ---- Helpers -------------------------------------------------------------- */

static FwNormalizer *
new_normalizer (const char *lang, FwVocab *vocab)
{
  GError *error = NULL;
  FwNormalizer *normalizer = fw_normalizer_new (lang, vocab, &error);
  if (error != NULL)
    fail_msg ("%s", error->message);
  assert_non_null (normalizer);
  return normalizer;
}

static const FwToken *
token_at (FwDoc *doc, guint i)
{
  assert_true (i < doc->tokens->len);
  return &g_array_index (doc->tokens, FwToken, i);
}

/* The stem of token @i, as written in the norm. */
static char *
stem_of (FwDoc *doc, guint i)
{
  const FwToken *t = token_at (doc, i);
  assert_true (t->norm_start <= t->norm_end && t->norm_end <= doc->norm->len);
  return g_strndup (doc->norm->str + t->norm_start, t->norm_end - t->norm_start);
}

/* Asserts that @text normalizes to @expected in @lang. */
static void
assert_norm_len (const char *lang, const char *text, gsize len, const char *expected)
{
  FwNormalizer *normalizer = new_normalizer (lang, NULL);
  FwDoc *doc = fw_doc_new ();
  fw_normalize (normalizer, text, len, doc);
  assert_string_equal (doc->norm->str, expected);
  fw_doc_free (doc);
  fw_normalizer_free (normalizer);
}

static void
assert_norm (const char *lang, const char *text, const char *expected)
{
  assert_norm_len (lang, text, strlen (text), expected);
}

/* Asserts everything about token @i except its norm offsets. */
static void
assert_token (FwDoc *doc, guint i, const char *stem, guint32 start, guint32 end, guint32 clause, guint8 kind,
              guint8 negation)
{
  char *actual = stem_of (doc, i);
  const FwToken *t = token_at (doc, i);
  assert_string_equal (actual, stem);
  assert_int_equal (t->start, start);
  assert_int_equal (t->end, end);
  assert_int_equal (t->clause, clause);
  assert_int_equal (t->kind, kind);
  assert_int_equal (t->negation, negation);
  g_free (actual);
}

/* Normalizes @text with @normalizer into @doc. */
static void
normalize (FwNormalizer *normalizer, FwDoc *doc, const char *text)
{
  fw_normalize (normalizer, text, strlen (text), doc);
}

/* ---- The format ------------------------------------------------------------ */

static void
test_header_example_gives_documented_norm (void **state)
{
  assert_norm ("en", "We're not sure. It's for the kids, mostly!", " we are not sure\n it is for the kid , most\n");
}

static void
test_tokens_map_norm_to_original_spans (void **state)
{
  FwNormalizer *normalizer = new_normalizer ("en", NULL);
  FwDoc *doc = fw_doc_new ();
  const char *text = "We're not sure. It's for the kids, mostly!";
  normalize (normalizer, doc, text);

  assert_int_equal (doc->tokens->len, 11);
  assert_int_equal (doc->n_clauses, 2);
  assert_token (doc, 0, "we", 0, 5, 0, FW_TOKEN_WORD, 0);
  assert_token (doc, 1, "are", 0, 5, 0, FW_TOKEN_WORD, 0);
  assert_token (doc, 2, "not", 6, 9, 0, FW_TOKEN_WORD, 1);
  assert_token (doc, 3, "sure", 10, 14, 0, FW_TOKEN_WORD, 0);
  assert_token (doc, 4, "it", 16, 20, 1, FW_TOKEN_WORD, 0);
  assert_token (doc, 8, "kid", 29, 33, 1, FW_TOKEN_WORD, 0);
  assert_token (doc, 9, ",", 33, 34, 1, FW_TOKEN_SOFT_BREAK, 0);
  assert_token (doc, 10, "most", 35, 41, 1, FW_TOKEN_WORD, 0);
  /* norm offsets point at the stem, after its space */
  assert_int_equal (token_at (doc, 0)->norm_start, 1);
  assert_int_equal (token_at (doc, 0)->norm_end, 3);
  assert_int_equal (token_at (doc, 1)->norm_start, 4);
  for (guint i = 0; i < doc->tokens->len; i++)
    assert_int_equal (doc->norm->str[token_at (doc, i)->norm_start - 1], ' ');

  fw_doc_free (doc);
  fw_normalizer_free (normalizer);
}

/* ---- Case folding ----------------------------------------------------------- */

static void
test_ascii_case_is_folded (void **state)
{
  assert_norm ("en", "HOUSE House house hOuSe", " hous hous hous hous\n");
}

static void
test_german_umlaut_case_is_folded (void **state)
{
  assert_norm ("de", "ÜBER Über über", " uber uber uber\n");
  assert_norm ("de", "Häuser HÄUSER", " haus haus\n");
}

static void
test_german_eszett_folds_to_ss (void **state)
{
  assert_norm ("de", "Straße STRASSE strasse", " strass strass strass\n");
}

static void
test_decomposed_umlaut_equals_composed (void **state)
{
  /* "u" + U+0308 COMBINING DIAERESIS: one word, folded to NFC */
  assert_norm ("de", "u\xcc\x88" "ber", " uber\n");
}

static void
test_non_ascii_token_spans_cover_the_whole_word (void **state)
{
  FwNormalizer *normalizer = new_normalizer ("de", NULL);
  FwDoc *doc = fw_doc_new ();
  normalize (normalizer, doc, "Die Straße, bitte");
  assert_string_equal (doc->norm->str, " die strass , bitt\n");
  assert_token (doc, 1, "strass", 4, 11, 0, FW_TOKEN_WORD, 0);
  assert_token (doc, 2, ",", 11, 12, 0, FW_TOKEN_SOFT_BREAK, 0);
  fw_doc_free (doc);
  fw_normalizer_free (normalizer);
}

/* ---- Words, numbers, separators ---------------------------------------------- */

static void
test_hyphen_splits_word_without_break (void **state)
{
  FwNormalizer *normalizer = new_normalizer ("en", NULL);
  FwDoc *doc = fw_doc_new ();
  normalize (normalizer, doc, "our well-being");
  assert_string_equal (doc->norm->str, " our well be\n");
  assert_token (doc, 1, "well", 4, 8, 0, FW_TOKEN_WORD, 0);
  assert_token (doc, 2, "be", 9, 14, 0, FW_TOKEN_WORD, 0);
  fw_doc_free (doc);
  fw_normalizer_free (normalizer);
}

static void
test_numbers_keep_decimal_point_and_thousands_comma (void **state)
{
  assert_norm ("en", "it costs $300,000 at 3.5 percent", " it cost 300,000 at 3.5 percent\n");
}

static void
test_period_and_comma_after_number_still_break (void **state)
{
  assert_norm ("en", "we paid 300. then 5, maybe 6", " we paid 300\n then 5 , mayb 6\n");
}

static void
test_quotes_slashes_currency_are_separators (void **state)
{
  assert_norm ("en", "\"home\"/'flat' \xe2\x82\xac" "5 \xc2\xab" "ok\xc2\xbb & #1 *x*", " home flat 5 ok 1 x\n");
}

static void
test_apostrophe_needs_letter_after_it (void **state)
{
  /* a trailing apostrophe is a separator, so "kids'" is "kids" */
  assert_norm ("en", "the kids' toys 'here'", " the kid toy here\n");
}

/* ---- Clause breaks -------------------------------------------------------------- */

static void
test_each_clause_punctuation_ends_a_clause (void **state)
{
  assert_norm ("en", "a. b! c? d; e: f\xe2\x80\xa6 g (h) i [j] k\nl", " a\n b\n c\n d\n e\n f\n g\n h\n i\n j\n k\n l\n");
}

static void
test_run_of_clause_breaks_counts_once (void **state)
{
  FwNormalizer *normalizer = new_normalizer ("en", NULL);
  FwDoc *doc = fw_doc_new ();
  normalize (normalizer, doc, "Really?! (Yes...)\r\n\r\n\nok");
  assert_string_equal (doc->norm->str, " realli\n yes\n ok\n");
  assert_int_equal (doc->n_clauses, 3);
  assert_int_equal (token_at (doc, 2)->clause, 2);
  fw_doc_free (doc);
  fw_normalizer_free (normalizer);
}

static void
test_only_punctuation_gives_no_tokens (void **state)
{
  FwNormalizer *normalizer = new_normalizer ("en", NULL);
  FwDoc *doc = fw_doc_new ();
  normalize (normalizer, doc, "... !? -- , ; \"' \xe2\x80\x94 ()");
  assert_string_equal (doc->norm->str, "");
  assert_int_equal (doc->tokens->len, 0);
  assert_int_equal (doc->n_clauses, 0);
  fw_doc_free (doc);
  fw_normalizer_free (normalizer);
}

static void
test_empty_input_gives_empty_doc (void **state)
{
  FwNormalizer *normalizer = new_normalizer ("en", NULL);
  FwDoc *doc = fw_doc_new ();
  normalize (normalizer, doc, "some words first");
  fw_normalize (normalizer, "", 0, doc);
  assert_string_equal (doc->norm->str, "");
  assert_int_equal (doc->tokens->len, 0);
  assert_int_equal (doc->n_clauses, 0);
  fw_normalize (normalizer, NULL, 0, doc);
  assert_int_equal (doc->tokens->len, 0);
  fw_doc_free (doc);
  fw_normalizer_free (normalizer);
}

/* ---- Soft breaks ----------------------------------------------------------------- */

static void
test_comma_is_soft_break (void **state)
{
  FwNormalizer *normalizer = new_normalizer ("en", NULL);
  FwDoc *doc = fw_doc_new ();
  normalize (normalizer, doc, "safe,secure");
  assert_string_equal (doc->norm->str, " safe , secur\n");
  assert_token (doc, 1, ",", 4, 5, 0, FW_TOKEN_SOFT_BREAK, 0);
  assert_int_equal (token_at (doc, 1)->word, -1);
  fw_doc_free (doc);
  fw_normalizer_free (normalizer);
}

static void
test_dashes_are_soft_breaks (void **state)
{
  assert_norm ("en", "a \xe2\x80\x93 b\xe2\x80\x94" "c - d -- e--f", " a , b , c , d , e , f\n");
}

static void
test_hyphen_without_spaces_is_not_a_dash (void **state)
{
  assert_norm ("en", "a -b c- d", " a b c d\n");
}

static void
test_but_is_soft_break_in_english (void **state)
{
  FwNormalizer *normalizer = new_normalizer ("en", NULL);
  FwDoc *doc = fw_doc_new ();
  normalize (normalizer, doc, "cheap But slow");
  assert_string_equal (doc->norm->str, " cheap , slow\n");
  assert_token (doc, 1, ",", 6, 9, 0, FW_TOKEN_SOFT_BREAK, 0);
  fw_doc_free (doc);
  fw_normalizer_free (normalizer);
}

static void
test_but_word_depends_on_language (void **state)
{
  assert_norm ("de", "billig aber langsam", " billig , langsam\n");
  assert_norm ("es", "barato pero lento", " barat , lent\n");
  assert_norm ("de", "but aber", " but\n");
  assert_norm ("fr", "mais but", " mais but\n");
}

static void
test_soft_breaks_collapse_and_never_start_or_end_a_clause (void **state)
{
  FwNormalizer *normalizer = new_normalizer ("en", NULL);
  FwDoc *doc = fw_doc_new ();
  normalize (normalizer, doc, ", but I like it, but - , no. But yes");
  assert_string_equal (doc->norm->str, " i like it , no\n yes\n");
  /* the break that remains has the span of the first of the run */
  assert_token (doc, 3, ",", 15, 16, 0, FW_TOKEN_SOFT_BREAK, 0);
  fw_doc_free (doc);
  fw_normalizer_free (normalizer);
}

/* ---- Contractions ----------------------------------------------------------------- */

static void
test_nt_contractions_fix_their_stem (void **state)
{
  assert_norm ("en", "can't won't shan't ain't don't doesn't didn't isn't",
               " can not will not shall not is not do not doe not did not is not\n");
}

static void
test_clitics_expand (void **state)
{
  assert_norm ("en", "we're I'm we've they'll she'd", " we are i am we have they will she would\n");
}

static void
test_apostrophe_s_is_is_after_pronouns (void **state)
{
  assert_norm ("en", "it's that's there's what's who's he's she's where's how's everything's nothing's",
               " it is that is there is what is who is he is she is where is how is everyth is noth is\n");
}

static void
test_lets_is_let_us (void **state)
{
  assert_norm ("en", "Let's go", " let us go\n");
}

static void
test_possessive_s_is_dropped (void **state)
{
  assert_norm ("en", "my wife's car and James's dog", " my wife car and jame dog\n");
}

static void
test_two_clitics_expand (void **state)
{
  assert_norm ("en", "I shouldn't've, I'd've", " i should not have , i would have\n");
}

static void
test_expanded_tokens_share_the_word_span (void **state)
{
  FwNormalizer *normalizer = new_normalizer ("en", NULL);
  FwDoc *doc = fw_doc_new ();
  normalize (normalizer, doc, "I don't");
  assert_token (doc, 1, "do", 2, 7, 0, FW_TOKEN_WORD, 0);
  assert_token (doc, 2, "not", 2, 7, 0, FW_TOKEN_WORD, 1);
  fw_doc_free (doc);
  fw_normalizer_free (normalizer);
}

static void
test_typographic_apostrophes_equal_ascii (void **state)
{
  assert_norm ("en", "don\xe2\x80\x99t DON\xca\xbcT", " do not do not\n");
}

static void
test_colloquial_forms_expand (void **state)
{
  assert_norm ("en", "cannot gonna wanna gotta cuz coz kinda",
               " can not go to want to got to becaus becaus kind of\n");
}

static void
test_leading_apostrophe_cause_is_because (void **state)
{
  FwNormalizer *normalizer = new_normalizer ("en", NULL);
  FwDoc *doc = fw_doc_new ();
  normalize (normalizer, doc, "'cause \xe2\x80\x99" "cause 'cause' cause");
  assert_string_equal (doc->norm->str, " becaus becaus becaus caus\n");
  /* the span takes in the apostrophe */
  assert_token (doc, 0, "becaus", 0, 6, 0, FW_TOKEN_WORD, 0);
  assert_token (doc, 1, "becaus", 7, 15, 0, FW_TOKEN_WORD, 0);
  fw_doc_free (doc);
  fw_normalizer_free (normalizer);
}

static void
test_missing_apostrophe_contractions_expand (void **state)
{
  assert_norm ("en", "dont cant wont im ive youre theyre didnt doesnt isnt wasnt",
               " do not can not will not i am i have you are they are did not doe not is not was not\n");
}

static void
test_real_words_are_not_taken_for_contractions (void **state)
{
  assert_norm ("en", "its were well hell shell id", " it were well hell shell id\n");
}

static void
test_contractions_are_english_only (void **state)
{
  assert_norm ("de", "cannot dont", " cannot dont\n");
}

/* ---- Negation ----------------------------------------------------------------------- */

static void
assert_negation_cues (const char *lang, const char *text, const char *expected_flags)
{
  FwNormalizer *normalizer = new_normalizer (lang, NULL);
  FwDoc *doc = fw_doc_new ();
  normalize (normalizer, doc, text);
  GString *flags = g_string_new (NULL);
  for (guint i = 0; i < doc->tokens->len; i++)
    g_string_append_c (flags, token_at (doc, i)->negation ? '1' : '0');
  assert_string_equal (flags->str, expected_flags);
  g_string_free (flags, TRUE);
  fw_doc_free (doc);
  fw_normalizer_free (normalizer);
}

static void
test_english_negation_cues_are_flagged (void **state)
{
  assert_negation_cues ("en", "not no never without nothing neither nor none nobody nowhere hardly know note",
                        "1111111111100");
}

static void
test_negation_flag_follows_contraction (void **state)
{
  assert_negation_cues ("en", "don't cannot nothing's", "010110");
}

static void
test_german_negation_cues_are_flagged (void **state)
{
  assert_negation_cues ("de", "nicht kein keine keinen keinem keiner nie niemals ohne nichts Nichte",
                        "11111111110");
}

static void
test_spanish_negation_cues_are_flagged (void **state)
{
  assert_negation_cues ("es", "No nunca sin nada ni casa", "111110");
}

static void
test_negation_cues_are_per_language (void **state)
{
  assert_negation_cues ("de", "not no nie", "001");
  assert_negation_cues ("fr", "not no nie", "000");
}

/* ---- Bad input ---------------------------------------------------------------------- */

static void
test_invalid_utf8_is_a_separator (void **state)
{
  /* a stray byte, a truncated sequence, an encoded surrogate, an overlong
   * encoding of "/" */
  FwNormalizer *normalizer = new_normalizer ("en", NULL);
  FwDoc *doc = fw_doc_new ();
  const char text[] = "ab\xff" "cd e\xc3 f\xed\xa0\x80g h\xc0\xafi \xe2\x80";
  fw_normalize (normalizer, text, sizeof text - 1, doc);
  assert_string_equal (doc->norm->str, " ab cd e f g h i\n");
  assert_token (doc, 1, "cd", 3, 5, 0, FW_TOKEN_WORD, 0);
  fw_doc_free (doc);
  fw_normalizer_free (normalizer);
}

static void
test_nul_is_a_separator (void **state)
{
  const char text[] = "home\0loan\0\0. car";
  assert_norm_len ("en", text, sizeof text - 1, " home loan\n car\n");
}

static void
test_text_is_not_read_past_its_length (void **state)
{
  /* the length cuts "mostly" to "mo"; nothing after it is read */
  assert_norm_len ("en", "kids mostly", 7, " kid mo\n");
}

/* ---- The cache, the doc, the vocabulary --------------------------------------------- */

static void
test_cache_gives_same_result_twice (void **state)
{
  FwNormalizer *normalizer = new_normalizer ("en", NULL);
  FwDoc *doc = fw_doc_new ();
  const char *text = "We're not sure. It's for the kids, mostly! \xc3\x9c" "BER Stra\xc3\x9f" "e";
  normalize (normalizer, doc, text);
  char *first = g_strdup (doc->norm->str);
  GArray *first_tokens = g_array_copy (doc->tokens);
  normalize (normalizer, doc, text);
  assert_string_equal (doc->norm->str, first);
  assert_int_equal (doc->tokens->len, first_tokens->len);
  for (guint i = 0; i < first_tokens->len; i++)
    {
      /* field by field: the struct has padding */
      const FwToken *a = &g_array_index (first_tokens, FwToken, i);
      const FwToken *b = token_at (doc, i);
      assert_true (a->norm_start == b->norm_start && a->norm_end == b->norm_end && a->start == b->start
                   && a->end == b->end && a->word == b->word && a->clause == b->clause && a->kind == b->kind
                   && a->negation == b->negation);
    }
  g_free (first);
  g_array_unref (first_tokens);
  fw_doc_free (doc);
  fw_normalizer_free (normalizer);
}

static void
test_cache_overflow_keeps_results_right (void **state)
{
  /* 70000 distinct words: more than the cache holds, so it is cleared
   * at least once on the way */
  FwNormalizer *normalizer = new_normalizer ("en", NULL);
  FwDoc *doc = fw_doc_new ();
  const char *text = "We're not sure. It's for the kids, mostly!";
  normalize (normalizer, doc, text);
  GString *many = g_string_new (NULL);
  for (guint i = 0; i < 70000; i++)
    {
      guint v = i;
      g_string_append_c (many, 'q');
      do
        {
          g_string_append_c (many, (char) ('a' + v % 26));
          v /= 26;
        }
      while (v > 0);
      g_string_append_c (many, ' ');
    }
  fw_normalize (normalizer, many->str, many->len, doc);
  assert_int_equal (doc->tokens->len, 70000);
  normalize (normalizer, doc, text);
  assert_string_equal (doc->norm->str, " we are not sure\n it is for the kid , most\n");
  assert_int_equal (token_at (doc, 2)->negation, 1);
  g_string_free (many, TRUE);
  fw_doc_free (doc);
  fw_normalizer_free (normalizer);
}

static void
test_long_text_is_normalized_whole (void **state)
{
  FwNormalizer *normalizer = new_normalizer ("en", NULL);
  FwDoc *doc = fw_doc_new ();
  const char *sentence = "We're not sure. It's for the kids, mostly! ";
  const char *expected = " we are not sure\n it is for the kid , most\n";
  const guint n = 20000; /* about 860 kB */
  GString *text = g_string_new (NULL);
  GString *norm = g_string_new (NULL);
  for (guint i = 0; i < n; i++)
    {
      g_string_append (text, sentence);
      g_string_append (norm, expected);
    }
  fw_normalize (normalizer, text->str, text->len, doc);
  assert_int_equal (doc->norm->len, norm->len);
  assert_string_equal (doc->norm->str, norm->str);
  assert_int_equal (doc->n_clauses, 2 * n);
  assert_int_equal (doc->tokens->len, 11 * n);
  gsize last_start = (n - 1) * strlen (sentence);
  assert_token (doc, 11 * n - 1, "most", last_start + 35, last_start + 41, 2 * n - 1, FW_TOKEN_WORD, 0);
  g_string_free (text, TRUE);
  g_string_free (norm, TRUE);
  fw_doc_free (doc);
  fw_normalizer_free (normalizer);
}

static void
test_doc_clear_keeps_capacity (void **state)
{
  FwNormalizer *normalizer = new_normalizer ("en", NULL);
  FwDoc *doc = fw_doc_new ();
  GString *text = g_string_new (NULL);
  for (guint i = 0; i < 1000; i++)
    g_string_append (text, "a long answer, again. ");
  fw_normalize (normalizer, text->str, text->len, doc);
  gsize norm_capacity = doc->norm->allocated_len;
  gpointer tokens_data = doc->tokens->data;
  fw_doc_clear (doc);
  assert_int_equal (doc->norm->len, 0);
  assert_string_equal (doc->norm->str, "");
  assert_int_equal (doc->tokens->len, 0);
  assert_int_equal (doc->n_clauses, 0);
  assert_int_equal (doc->norm->allocated_len, norm_capacity);
  /* and normalizing a shorter text reuses the buffers */
  normalize (normalizer, doc, "short one");
  assert_string_equal (doc->norm->str, " short one\n");
  assert_int_equal (doc->norm->allocated_len, norm_capacity);
  assert_ptr_equal (doc->tokens->data, tokens_data);
  g_string_free (text, TRUE);
  fw_doc_free (doc);
  fw_normalizer_free (normalizer);
}

static void
test_vocab_ids_are_dense_from_zero (void **state)
{
  FwVocab *vocab = fw_vocab_new ();
  assert_int_equal (fw_vocab_lookup (vocab, "kid", FALSE), -1);
  assert_int_equal (fw_vocab_lookup (vocab, "kid", TRUE), 0);
  assert_int_equal (fw_vocab_lookup (vocab, "hous", TRUE), 1);
  assert_int_equal (fw_vocab_lookup (vocab, "kid", TRUE), 0);
  assert_int_equal (fw_vocab_lookup (vocab, "hous", FALSE), 1);
  assert_int_equal (vocab->stems->len, 2);
  assert_string_equal (g_ptr_array_index (vocab->stems, 1), "hous");
  fw_vocab_free (vocab);
}

static void
test_tokens_carry_vocab_ids (void **state)
{
  FwVocab *vocab = fw_vocab_new ();
  fw_vocab_lookup (vocab, "kid", TRUE);
  fw_vocab_lookup (vocab, "not", TRUE);
  FwNormalizer *normalizer = new_normalizer ("en", vocab);
  FwDoc *doc = fw_doc_new ();
  normalize (normalizer, doc, "Kids, don't");
  assert_string_equal (doc->norm->str, " kid , do not\n");
  assert_int_equal (token_at (doc, 0)->word, 0);
  assert_int_equal (token_at (doc, 1)->word, -1); /* the soft break */
  assert_int_equal (token_at (doc, 2)->word, -1);
  assert_int_equal (token_at (doc, 3)->word, 1);
  fw_doc_free (doc);
  fw_normalizer_free (normalizer);
  fw_vocab_free (vocab);
}

static void
test_stem_added_to_vocab_after_caching_gets_its_id (void **state)
{
  FwVocab *vocab = fw_vocab_new ();
  FwNormalizer *normalizer = new_normalizer ("en", vocab);
  FwDoc *doc = fw_doc_new ();
  normalize (normalizer, doc, "kids");
  assert_int_equal (token_at (doc, 0)->word, -1);
  fw_vocab_lookup (vocab, "other", TRUE);
  fw_vocab_lookup (vocab, "kid", TRUE);
  normalize (normalizer, doc, "kids");
  assert_int_equal (token_at (doc, 0)->word, 1);
  fw_doc_free (doc);
  fw_normalizer_free (normalizer);
  fw_vocab_free (vocab);
}

static void
test_token_at_finds_token_by_norm_offset (void **state)
{
  FwNormalizer *normalizer = new_normalizer ("en", NULL);
  FwDoc *doc = fw_doc_new ();
  normalize (normalizer, doc, "big house. now");
  /* " big hous\n now\n": big 1-4, hous 5-9, now 11-14 */
  assert_string_equal (doc->norm->str, " big hous\n now\n");
  assert_int_equal (fw_doc_token_at (doc, 0), 0); /* the space before "big" */
  assert_int_equal (fw_doc_token_at (doc, 1), 0);
  assert_int_equal (fw_doc_token_at (doc, 3), 0);
  assert_int_equal (fw_doc_token_at (doc, 4), 1);
  assert_int_equal (fw_doc_token_at (doc, 8), 1);
  assert_int_equal (fw_doc_token_at (doc, 9), 2); /* the newline */
  assert_int_equal (fw_doc_token_at (doc, 13), 2);
  assert_int_equal (fw_doc_token_at (doc, 14), 3); /* past the last token */
  assert_int_equal (fw_doc_token_at (doc, 1000), 3);
  fw_normalize (normalizer, "", 0, doc);
  assert_int_equal (fw_doc_token_at (doc, 0), 0);
  fw_doc_free (doc);
  fw_normalizer_free (normalizer);
}

/* ---- Languages and pattern words ----------------------------------------------------- */

static void
test_language_codes_and_names_are_accepted (void **state)
{
  const char *langs[] = { "en", "english", "en-GB", "EN_us", "de", "german", "de-AT", "es",
                          "spanish", "fr", "french", "it", "nl", "pt", "pt-BR", "sv",
                          "da", "no", "nb", "fi", "ru", "porter" };
  for (gsize i = 0; i < G_N_ELEMENTS (langs); i++)
    fw_normalizer_free (new_normalizer (langs[i], NULL));
}

static void
test_language_tag_picks_the_rules (void **state)
{
  assert_norm ("en-GB", "don't", " do not\n");
  assert_norm ("german", "Häuser aber", " haus\n");
}

static void
test_unknown_language_is_a_rule_error (void **state)
{
  const char *langs[] = { "xx", "zh-Hant", "", "klingon" };
  for (gsize i = 0; i < G_N_ELEMENTS (langs); i++)
    {
      GError *error = NULL;
      assert_null (fw_normalizer_new (langs[i], NULL, &error));
      assert_non_null (error);
      assert_true (g_error_matches (error, FW_ERROR, FW_ERROR_RULE));
      char *expected = g_strdup_printf ("unknown language '%s': libstemmer has no stemmer for it", langs[i]);
      assert_string_equal (error->message, expected);
      g_free (expected);
      g_error_free (error);
    }
}

static void
assert_stem_words (const char *lang, const char *word, const char *expected)
{
  FwNormalizer *normalizer = new_normalizer (lang, NULL);
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (out, g_strdup ("before"));
  fw_normalizer_stem_words (normalizer, word, out);
  g_ptr_array_add (out, NULL);
  char *joined = g_strjoinv ("|", (char **) out->pdata);
  assert_string_equal (joined, expected);
  g_free (joined);
  g_ptr_array_unref (out);
  fw_normalizer_free (normalizer);
}

static void
test_stem_words_appends_stems (void **state)
{
  assert_stem_words ("en", "Kids", "before|kid");
  assert_stem_words ("de", "Häuser", "before|haus");
}

static void
test_stem_words_expands_contractions (void **state)
{
  assert_stem_words ("en", "don't", "before|do|not");
  assert_stem_words ("en", "won\xe2\x80\x99t", "before|will|not");
}

static void
test_stem_words_gives_nothing_for_soft_break_word (void **state)
{
  assert_stem_words ("en", "but", "before");
}

/* A frozen vocabulary maps typos of known stems to them, and leaves real
 * words that are merely close alone. */
static void
test_typos_of_known_stems_are_corrected (void **state)
{
  FwVocab *vocab = fw_vocab_new ();
  gint32 money = fw_vocab_lookup (vocab, "money", TRUE);
  gint32 mortgage = fw_vocab_lookup (vocab, "mortgag", TRUE);
  gint32 house = fw_vocab_lookup (vocab, "hous", TRUE);
  fw_vocab_freeze (vocab);
  FwNormalizer *n = fw_normalizer_new ("en", vocab, NULL);
  FwDoc *doc = fw_doc_new ();
  fw_normalize (n, "moeny for the mortage", 21, doc);
  assert_string_equal (doc->norm->str, " money for the mortgag\n");
  assert_int_equal (g_array_index (doc->tokens, FwToken, 0).word, money);
  assert_int_equal (g_array_index (doc->tokens, FwToken, 3).word, mortgage);
  /* the span still quotes what the customer typed */
  assert_int_equal (g_array_index (doc->tokens, FwToken, 3).start, 14);
  assert_int_equal (g_array_index (doc->tokens, FwToken, 3).end, 21);
  /* "horse" is one letter from "house" but not a swap: left alone */
  fw_normalize (n, "a horse", 7, doc);
  assert_int_equal (g_array_index (doc->tokens, FwToken, 1).word, -1);
  (void) house;
  fw_doc_free (doc);
  fw_normalizer_free (n);
  fw_vocab_free (vocab);
}

/* A number is no typo: "30500" is one digit from "3000" and stays what it
 * is, while a word beside it is still corrected. The text says whether it
 * was ASCII only (raw regexes run faster on such text). */
static void
test_numbers_are_not_typos (void **state)
{
  FwVocab *vocab = fw_vocab_new ();
  gint32 money = fw_vocab_lookup (vocab, "money", TRUE);
  fw_vocab_lookup (vocab, "3000", TRUE);
  fw_vocab_freeze (vocab);
  FwNormalizer *n = fw_normalizer_new ("en", vocab, NULL);
  FwDoc *doc = fw_doc_new ();
  fw_normalize (n, "30500 moeny", 11, doc);
  assert_string_equal (doc->norm->str, " 30500 money\n");
  assert_int_equal (g_array_index (doc->tokens, FwToken, 0).word, -1);
  assert_int_equal (g_array_index (doc->tokens, FwToken, 1).word, money);
  assert_true (doc->ascii);
  fw_normalize (n, "caf\xc3\xa9 money", 11, doc);
  assert_false (doc->ascii);
  fw_doc_free (doc);
  fw_normalizer_free (n);
  fw_vocab_free (vocab);
}

/* Before the vocabulary is frozen nothing is corrected: pattern words are
 * compiled as written. */
static void
test_typos_are_left_alone_while_vocabulary_grows (void **state)
{
  FwVocab *vocab = fw_vocab_new ();
  fw_vocab_lookup (vocab, "money", TRUE);
  FwNormalizer *n = fw_normalizer_new ("en", vocab, NULL);
  FwDoc *doc = fw_doc_new ();
  fw_normalize (n, "moeny", 5, doc);
  assert_string_equal (doc->norm->str, " moeni\n");
  assert_int_equal (g_array_index (doc->tokens, FwToken, 0).word, -1);
  fw_doc_free (doc);
  fw_normalizer_free (n);
  fw_vocab_free (vocab);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_header_example_gives_documented_norm),
    cmocka_unit_test (test_tokens_map_norm_to_original_spans),
    cmocka_unit_test (test_ascii_case_is_folded),
    cmocka_unit_test (test_german_umlaut_case_is_folded),
    cmocka_unit_test (test_german_eszett_folds_to_ss),
    cmocka_unit_test (test_decomposed_umlaut_equals_composed),
    cmocka_unit_test (test_non_ascii_token_spans_cover_the_whole_word),
    cmocka_unit_test (test_hyphen_splits_word_without_break),
    cmocka_unit_test (test_numbers_keep_decimal_point_and_thousands_comma),
    cmocka_unit_test (test_period_and_comma_after_number_still_break),
    cmocka_unit_test (test_quotes_slashes_currency_are_separators),
    cmocka_unit_test (test_apostrophe_needs_letter_after_it),
    cmocka_unit_test (test_each_clause_punctuation_ends_a_clause),
    cmocka_unit_test (test_run_of_clause_breaks_counts_once),
    cmocka_unit_test (test_only_punctuation_gives_no_tokens),
    cmocka_unit_test (test_empty_input_gives_empty_doc),
    cmocka_unit_test (test_comma_is_soft_break),
    cmocka_unit_test (test_dashes_are_soft_breaks),
    cmocka_unit_test (test_hyphen_without_spaces_is_not_a_dash),
    cmocka_unit_test (test_but_is_soft_break_in_english),
    cmocka_unit_test (test_but_word_depends_on_language),
    cmocka_unit_test (test_soft_breaks_collapse_and_never_start_or_end_a_clause),
    cmocka_unit_test (test_nt_contractions_fix_their_stem),
    cmocka_unit_test (test_clitics_expand),
    cmocka_unit_test (test_apostrophe_s_is_is_after_pronouns),
    cmocka_unit_test (test_lets_is_let_us),
    cmocka_unit_test (test_possessive_s_is_dropped),
    cmocka_unit_test (test_two_clitics_expand),
    cmocka_unit_test (test_expanded_tokens_share_the_word_span),
    cmocka_unit_test (test_typographic_apostrophes_equal_ascii),
    cmocka_unit_test (test_colloquial_forms_expand),
    cmocka_unit_test (test_leading_apostrophe_cause_is_because),
    cmocka_unit_test (test_missing_apostrophe_contractions_expand),
    cmocka_unit_test (test_real_words_are_not_taken_for_contractions),
    cmocka_unit_test (test_contractions_are_english_only),
    cmocka_unit_test (test_english_negation_cues_are_flagged),
    cmocka_unit_test (test_negation_flag_follows_contraction),
    cmocka_unit_test (test_german_negation_cues_are_flagged),
    cmocka_unit_test (test_spanish_negation_cues_are_flagged),
    cmocka_unit_test (test_negation_cues_are_per_language),
    cmocka_unit_test (test_invalid_utf8_is_a_separator),
    cmocka_unit_test (test_nul_is_a_separator),
    cmocka_unit_test (test_text_is_not_read_past_its_length),
    cmocka_unit_test (test_cache_gives_same_result_twice),
    cmocka_unit_test (test_cache_overflow_keeps_results_right),
    cmocka_unit_test (test_long_text_is_normalized_whole),
    cmocka_unit_test (test_doc_clear_keeps_capacity),
    cmocka_unit_test (test_vocab_ids_are_dense_from_zero),
    cmocka_unit_test (test_tokens_carry_vocab_ids),
    cmocka_unit_test (test_stem_added_to_vocab_after_caching_gets_its_id),
    cmocka_unit_test (test_token_at_finds_token_by_norm_offset),
    cmocka_unit_test (test_language_codes_and_names_are_accepted),
    cmocka_unit_test (test_language_tag_picks_the_rules),
    cmocka_unit_test (test_unknown_language_is_a_rule_error),
    cmocka_unit_test (test_stem_words_appends_stems),
    cmocka_unit_test (test_stem_words_expands_contractions),
    cmocka_unit_test (test_stem_words_gives_nothing_for_soft_break_word),
    cmocka_unit_test (test_typos_of_known_stems_are_corrected),
    cmocka_unit_test (test_typos_are_left_alone_while_vocabulary_grows),
    cmocka_unit_test (test_numbers_are_not_typos),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
