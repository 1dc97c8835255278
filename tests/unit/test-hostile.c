/* test-hostile.c: the library against hostile input, one case per
 * behaviour: the limits of fw-private.h, each refused with a message that
 * names it, and the regressions the fuzzers of fuzz/ found (the finding is
 * named above its test).
 */
#define _GNU_SOURCE
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "fivewhys.h"
#include "fw-private.h"
#include "reader-private.h"

#define TEST_MOTIVATIONS TOP_SRCDIR "/tests/data/rules/motivations.xml"

/* ---- helpers ------------------------------------------------------------------ */

static char *tmpdir;

static int
make_tmpdir (void **state)
{
  tmpdir = g_dir_make_tmp ("fw-test-hostile-XXXXXX", NULL);
  return tmpdir != NULL ? 0 : -1;
}

static int
remove_tmpdir (void **state)
{
  GDir *dir = g_dir_open (tmpdir, 0, NULL);
  const char *name;
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      char *path = g_build_filename (tmpdir, name, NULL);
      g_unlink (path);
      g_free (path);
    }
  if (dir != NULL)
    g_dir_close (dir);
  g_rmdir (tmpdir);
  g_free (tmpdir);
  return 0;
}

/* What a reader made of some bytes: each record as "ID|ok" or
 * "ID|error|MESSAGE", or the error that refused the input. */
typedef struct
{
  GPtrArray *records; /* char* */
  char *failure;      /* the reader could not start */
  GPtrArray *texts;   /* char*, the text of each record */
} Read;

static void
read_free (Read *read)
{
  g_ptr_array_unref (read->records);
  g_ptr_array_unref (read->texts);
  g_free (read->failure);
  g_free (read);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Read, read_free)

static Read *
read_bytes (const char *bytes, gssize len, FwReaderFormat format, gsize max_record, const char *const *text_fields)
{
  Read *read = g_new0 (Read, 1);
  read->records = g_ptr_array_new_with_free_func (g_free);
  read->texts = g_ptr_array_new_with_free_func (g_free);
  if (len < 0)
    len = (gssize)strlen (bytes);
  int fd = memfd_create ("test-hostile", MFD_CLOEXEC);
  assert_true (fd >= 0);
  assert_int_equal (write (fd, bytes, (size_t)len), len);
  assert_int_equal (lseek (fd, 0, SEEK_SET), 0);
  FwReaderOptions options = { 0 };
  options.format = format;
  options.max_record = max_record;
  options.text_fields = text_fields;
  GError *error = NULL;
  FwReader *reader = fw_reader_new_for_fd (fd, "input", &options, &error);
  if (reader == NULL)
    {
      read->failure = g_strdup (error->message);
      g_error_free (error);
      close (fd);
      return read;
    }
  FwRecord *record = fw_record_new ();
  guint64 errors = 0;
  while (fw_reader_next (reader, record, &error))
    {
      if (record->error != NULL)
        {
          errors++;
          g_ptr_array_add (read->records, g_strdup_printf ("%s|error|%s", record->id->str, record->error));
        }
      else
        g_ptr_array_add (read->records, g_strdup_printf ("%s|ok", record->id->str));
      g_ptr_array_add (read->texts, g_strdup (record->text->str));
    }
  assert_null (error);
  /* the accounting analyze relies on */
  assert_int_equal (fw_reader_get_n_records (reader), read->records->len);
  assert_int_equal (fw_reader_get_n_errors (reader), errors);
  fw_record_free (record);
  fw_reader_free (reader);
  close (fd);
  return read;
}

#define RECORD(read, i) ((const char *)g_ptr_array_index ((read)->records, (i)))

/* A library holding the test motivations and @text as a rule file. */
static FwLibrary *
load_rules (const char *name, const char *text)
{
  char *path = g_build_filename (tmpdir, name, NULL);
  assert_true (g_file_set_contents (path, text, -1, NULL));
  FwLibrary *library = fw_library_new ();
  assert_true (fw_library_add_path (library, TEST_MOTIVATIONS, NULL));
  assert_true (fw_library_add_path (library, path, NULL));
  g_free (path);
  return library;
}

/* The diagnostics of @library, one "LINE: MESSAGE" a line. */
static char *
diagnostics (FwLibrary *library)
{
  GString *out = g_string_new (NULL);
  const GPtrArray *diags = fw_library_get_diagnostics (library);
  for (guint i = 0; i < diags->len; i++)
    {
      const FwDiagnostic *d = g_ptr_array_index (diags, i);
      g_string_append_printf (out, "%d: %s\n", d->line, d->message);
    }
  return g_string_free (out, FALSE);
}

/* A ruleset with @n rungs, each with one pattern and @examples examples,
 * flat under the need. */
static char *
ruleset_with (const char *id, guint n, guint examples)
{
  GString *out = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  g_string_append_printf (out, "<ruleset id=\"%s\" lang=\"en\" title=\"T\">\n", id);
  g_string_append (out, "  <need><pattern>bike</pattern></need>\n  <ask>Why?</ask>\n");
  for (guint i = 0; i < n; i++)
    {
      g_string_append_printf (out, "  <rung id=\"r%u\" level=\"function\" label=\"R\"><pattern>w%u</pattern>", i, i);
      for (guint e = 0; e < examples; e++)
        g_string_append_printf (out, "<example>w%u</example>", i);
      g_string_append (out, "<ask>Why?</ask><motivation ref=\"health\"/></rung>\n");
    }
  g_string_append (out, "</ruleset>\n");
  return g_string_free (out, FALSE);
}

/* ---- readers: fuzz findings ---------------------------------------------------- */

/* fuzz-csv: a header name holding a line break made the "no text column"
 * message two lines long. */
static void
test_csv_header_name_with_a_line_break_gives_a_one_line_message (void **state)
{
  g_autoptr (Read) read = read_bytes ("Id,\"Own\ner\"\n1,x\n", -1, FW_READER_FORMAT_CSV, 0, NULL);
  assert_string_equal (read->failure, "input:1: no text column found; the header has: Id, Own\\ner");
}

/* fuzz-jsonl: the same for the keys listed when a line has no text field,
 * and a key of any length gives a short message. */
static void
test_jsonl_key_with_a_line_break_gives_a_one_line_message (void **state)
{
  g_autoptr (Read) read = read_bytes ("{\"Id\":\"1\",\"a\\nb\\u0001\":\"x\"}\n", -1, FW_READER_FORMAT_JSONL, 0, NULL);
  assert_int_equal (read->records->len, 1);
  assert_string_equal (RECORD (read, 0), "1|error|no text field; the keys are: Id, a\\nb\\x01");
}

static void
test_jsonl_long_key_is_cut_short_in_the_message (void **state)
{
  GString *line = g_string_new ("{\"Id\":\"1\",\"");
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (line, 'k');
  g_string_append (line, "\":\"x\"}\n");
  g_autoptr (Read) read = read_bytes (line->str, (gssize)line->len, FW_READER_FORMAT_JSONL, 0, NULL);
  g_string_free (line, TRUE);
  assert_int_equal (read->records->len, 1);
  g_autofree char *want = g_strdup_printf ("1|error|no text field; the keys are: Id, %.*s...", 64,
                                           "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk");
  assert_string_equal (RECORD (read, 0), want);
}

/* fuzz-jsonl: json-glib quotes the string it could not read, escapes
 * decoded: "\n" in the input became a line break in the message. */
static void
test_jsonl_parse_error_quoting_the_input_is_one_short_line (void **state)
{
  g_autoptr (Read) read = read_bytes ("{\"Id\": \"1\", \"Product\": \"a\\nb\": \"x\", \"Body\": \"y\"}\n", -1,
                                      FW_READER_FORMAT_JSONL, 0, NULL);
  assert_int_equal (read->records->len, 1);
  assert_string_equal (RECORD (read, 0), "1|error|not valid json: invalid string constant \"a\\nb\", "
                                         "expected valid string constant");

  GString *line = g_string_new ("{\"Id\": \"1\", \"Product\": \"\\n");
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (line, 'x');
  g_string_append (line, "\": \"x\", \"Body\": \"y\"}\n");
  g_autoptr (Read) long_read = read_bytes (line->str, (gssize)line->len, FW_READER_FORMAT_JSONL, 0, NULL);
  g_string_free (line, TRUE);
  assert_int_equal (long_read->records->len, 1);
  assert_true (strlen (RECORD (long_read, 0)) < 300);
  assert_null (strchr (RECORD (long_read, 0), '\n'));
}

/* fuzz-csv: a quoted row of several lines, each under the record limit,
 * could end past it and be returned whole. */
static void
test_csv_row_of_several_lines_over_the_limit_is_an_error_record (void **state)
{
  const char *csv = "Id,Body\n"
                    "1,\"0123456789012345678901234567890123456789\n"
                    "0123456789012345678901234567890123456789\"\n"
                    "2,next\n";
  g_autoptr (Read) read = read_bytes (csv, -1, FW_READER_FORMAT_CSV, 64, NULL);
  assert_int_equal (read->records->len, 2);
  assert_string_equal (RECORD (read, 0), "1|error|record exceeds 64 bytes");
  assert_string_equal (RECORD (read, 1), "2|ok");
  assert_string_equal (g_ptr_array_index (read->texts, 1), "next");
}

/* A row that ends exactly at the limit is a record. */
static void
test_csv_row_of_several_lines_at_the_limit_is_a_record (void **state)
{
  const char *csv = "Id,Body\n"
                    "1,\"0123456789012345678901234567\n"
                    "012345678901234567890123456789\"\n";
  g_autoptr (Read) read = read_bytes (csv, -1, FW_READER_FORMAT_CSV, 64, NULL);
  assert_int_equal (read->records->len, 1);
  assert_string_equal (RECORD (read, 0), "1|ok");
}

/* fuzz-jsonl: invalid UTF-8 repaired to U+FFFD (3 bytes for 1) made a text
 * longer than the record limit its line kept to. */
static void
test_jsonl_text_longer_than_the_limit_once_repaired_is_an_error_record (void **state)
{
  g_autoptr (Read) read = read_bytes ("{\"Id\":\"1\",\"Body\":\"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"
                                      "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\"}\n"
                                      "{\"Id\":\"2\",\"Body\":\"fine\"}\n",
                                      -1, FW_READER_FORMAT_JSONL, 64, NULL);
  assert_int_equal (read->records->len, 2);
  assert_string_equal (RECORD (read, 0), "1|error|record exceeds 64 bytes");
  assert_string_equal (RECORD (read, 1), "2|ok");
}

/* ---- rule files: limits ---------------------------------------------------------- */

static void
test_rule_file_over_the_rung_limit_is_not_loaded (void **state)
{
  g_autofree char *text = ruleset_with ("many", FW_MAX_FILE_RUNGS + 1, 0);
  g_autoptr (FwLibrary) library = load_rules ("many.xml", text);
  g_autofree char *got = diagnostics (library);
  assert_string_equal (got, "2: 501 rungs: more than the limit of 500 in one rule file\n");
  assert_int_equal (fw_library_get_n_rulesets (library), 0);
}

static void
test_rule_file_at_the_rung_limit_loads (void **state)
{
  g_autofree char *text = ruleset_with ("many", FW_MAX_FILE_RUNGS, 0);
  g_autoptr (FwLibrary) library = load_rules ("many.xml", text);
  assert_int_equal (fw_library_count_diagnostics (library, FW_SEVERITY_ERROR), 0);
  assert_int_equal (fw_library_get_n_rulesets (library), 1);
}

static void
test_library_rung_limit_counts_every_file (void **state)
{
  g_autoptr (FwLibrary) library = fw_library_new ();
  assert_true (fw_library_add_path (library, TEST_MOTIVATIONS, NULL));
  for (guint f = 0; f < FW_MAX_RUNGS / FW_MAX_FILE_RUNGS + 1; f++)
    {
      g_autofree char *id = g_strdup_printf ("need%u", f);
      g_autofree char *name = g_strdup_printf ("%s.xml", id);
      g_autofree char *path = g_build_filename (tmpdir, name, NULL);
      g_autofree char *text = ruleset_with (id, FW_MAX_FILE_RUNGS, 0);
      assert_true (g_file_set_contents (path, text, -1, NULL));
      assert_true (fw_library_add_path (library, path, NULL));
    }
  g_autofree char *got = diagnostics (library);
  assert_string_equal (got, "2: 500 rungs, with the 5000 already loaded: more than the limit of 5000 in one library\n");
  assert_int_equal (fw_library_get_n_rulesets (library), FW_MAX_RUNGS / FW_MAX_FILE_RUNGS);
}

static void
test_rule_file_over_the_example_limit_is_not_loaded (void **state)
{
  g_autofree char *text = ruleset_with ("many", 100, 11);
  g_autoptr (FwLibrary) library = load_rules ("examples.xml", text);
  g_autofree char *got = diagnostics (library);
  assert_string_equal (got, "2: 1100 examples and counterexamples: more than the limit of 1000 in one rule file\n");
}

static void
test_rule_file_over_the_pattern_limit_is_not_loaded (void **state)
{
  GString *text
      = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ruleset id=\"p\" lang=\"en\" title=\"T\">\n<need>");
  for (guint i = 0; i <= FW_MAX_FILE_PATTERNS; i++)
    g_string_append_printf (text, "<pattern>w%u</pattern>", i);
  g_string_append (text, "</need>\n</ruleset>\n");
  g_autoptr (FwLibrary) library = load_rules ("patterns.xml", text->str);
  g_string_free (text, TRUE);
  g_autofree char *got = diagnostics (library);
  assert_string_equal (got, "2: 2001 patterns and regexes: more than the limit of 2000 in one rule file\n");
}

static void
test_long_attribute_names_its_limit (void **state)
{
  GString *text = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ruleset id=\"p\" lang=\"en\" title=\"");
  for (guint i = 0; i < 5000; i++)
    g_string_append (text, "\xc3\xa9"); /* characters, not bytes, count */
  g_string_append (text, "\">\n<need><pattern>bike</pattern></need>\n</ruleset>\n");
  g_autoptr (FwLibrary) library = load_rules ("title.xml", text->str);
  g_string_free (text, TRUE);
  g_autofree char *got = diagnostics (library);
  assert_string_equal (got, "2: attribute 'title' of <ruleset> holds 5000 characters: more than the limit of 4096\n");
}

static void
test_long_id_names_its_limit (void **state)
{
  g_autoptr (FwLibrary) library = load_rules (
      "id.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                "<ruleset id=\"p\" lang=\"en\" title=\"T\">\n"
                "<need><pattern>bike</pattern></need>\n"
                "<rung id=\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\" "
                "level=\"function\" label=\"A\"><pattern>a</pattern><motivation ref=\"health\"/></rung>\n"
                "</ruleset>\n");
  g_autofree char *got = diagnostics (library);
  assert_string_equal (got, "4: attribute 'id' of <rung> holds 84 characters: more than the limit of 64 for an id\n");
}

static void
test_long_text_names_its_limit (void **state)
{
  GString *text
      = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ruleset id=\"p\" lang=\"en\" title=\"T\">\n"
                      "<need><pattern>bike</pattern></need>\n<ask>");
  for (guint i = 0; i < 4097; i++)
    g_string_append_c (text, 'w');
  g_string_append (text, "</ask>\n</ruleset>\n");
  g_autoptr (FwLibrary) library = load_rules ("ask.xml", text->str);
  g_string_free (text, TRUE);
  g_autofree char *got = diagnostics (library);
  assert_string_equal (got, "4: <ask> holds 4097 characters of text: more than the limit of 4096\n");
}

static void
test_nesting_past_the_limit_is_refused_once (void **state)
{
  GString *text
      = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ruleset id=\"p\" lang=\"en\" title=\"T\">\n");
  for (guint i = 0; i < 100; i++)
    g_string_append (text, "<x>");
  g_string_append (text, "\n");
  for (guint i = 0; i < 100; i++)
    g_string_append (text, "</x>");
  g_string_append (text, "\n</ruleset>\n");
  g_autoptr (FwLibrary) library = load_rules ("deep.xml", text->str);
  g_string_free (text, TRUE);
  g_autofree char *got = diagnostics (library);
  assert_string_equal (got, "3: elements nest deeper than the limit of 64\n");
}

/* Concepts inside concepts multiply; the compiler stops at the regex limit
 * rather than building millions of alternatives. */
static void
test_concepts_that_multiply_stop_at_the_regex_limit (void **state)
{
  g_autoptr (GHashTable) concepts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint level = 1; level <= 4; level++)
    {
      GString *terms = g_string_new (NULL);
      for (guint t = 0; t < 50; t++)
        {
          if (t > 0)
            g_string_append (terms, ", ");
          if (level < 4)
            g_string_append_printf (terms, "~c%u", level + 1);
          else
            g_string_append_printf (terms, "word%u", t);
        }
      g_hash_table_insert (concepts, g_strdup_printf ("c%u", level), g_string_free (terms, FALSE));
    }
  FwNormalizer *normalizer = fw_normalizer_new ("en", NULL, NULL);
  FwVocab *vocab = fw_vocab_new ();
  GError *error = NULL;
  FwPattern *pattern = fw_pattern_compile ("need ~c1", FALSE, normalizer, vocab, concepts, NULL, &error);
  assert_null (pattern);
  assert_true (g_error_matches (error, FW_ERROR, FW_ERROR_LIMIT));
  assert_string_equal (error->message, "pattern 'need ~c1' expands through its concepts to more than the limit of "
                                       "65536 bytes of regex: use fewer terms, or fewer concepts inside concepts");
  g_error_free (error);
  fw_vocab_free (vocab);
  fw_normalizer_free (normalizer);
}

/* ---- matching ------------------------------------------------------------------------- */

/* Once a clause is known to hold a forbidden word the matcher goes on
 * after it, which keeps a huge clause linear: the match in a later clause
 * must still be found, and one in the same clause never. */
static void
test_forbidden_clause_is_skipped_and_the_next_clause_still_matches (void **state)
{
  g_autoptr (FwLibrary) library
      = load_rules ("forbidden.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                     "<ruleset id=\"p\" lang=\"en\" title=\"T\">\n"
                                     "<need><pattern>bike</pattern></need>\n<ask>Why?</ask>\n"
                                     "<rung id=\"money\" level=\"function\" label=\"M\"><pattern>money !deal</pattern>"
                                     "<ask>Why?</ask><motivation ref=\"health\"/></rung>\n"
                                     "</ruleset>\n");
  assert_true (fw_library_compile (library, NULL));
  FwRuleset *ruleset = fw_library_find_ruleset (library, "p");
  FwRung *rung = fw_ruleset_find_rung (ruleset, "money");
  g_autoptr (FwScratch) scratch = fw_scratch_new (library);
  GPtrArray *patterns = rung->patterns;

  GString *text = g_string_new (NULL);
  for (guint i = 0; i < 2000; i++)
    g_string_append (text, "money and a deal, ");
  gsize clause_end = text->len;
  g_string_append (text, ". we need money");
  FwHit hit;
  assert_true (fw_match_patterns (scratch, patterns, ruleset->lang, text->str, text->len, &hit, NULL));
  assert_true (hit.start > clause_end);
  assert_int_equal (hit.end, text->len);

  g_string_truncate (text, clause_end);
  g_string_append (text, "and more money");
  assert_false (fw_match_patterns (scratch, patterns, ruleset->lang, text->str, text->len, &hit, NULL));
  g_string_free (text, TRUE);
}

/* ---- sessions --------------------------------------------------------------------------- */

static void
test_answer_over_the_limit_is_a_miss_that_says_why (void **state)
{
  g_autoptr (FwLibrary) library = fw_library_new ();
  assert_true (fw_library_add_path (library, TEST_MOTIVATIONS, NULL));
  assert_true (fw_library_add_path (library, TOP_SRCDIR "/tests/data/rules/bike.xml", NULL));
  assert_true (fw_library_compile (library, NULL));
  FwRuleset *ruleset = fw_library_get_ruleset (library, 0);
  g_autoptr (FwSession) session = fw_session_new (library, ruleset, 2);

  char *answer = g_malloc (FW_ANSWER_MAX_BYTES + 2);
  memset (answer, 'a', FW_ANSWER_MAX_BYTES + 1);
  answer[FW_ANSWER_MAX_BYTES + 1] = '\0';
  const FwStep *step = fw_session_answer (session, answer);
  assert_int_equal (step->kind, FW_STEP_NO_MATCH);
  assert_string_equal (step->error, "answer of 65537 bytes is longer than the limit of 65536: not matched");
  assert_int_equal (fw_session_get_status (session), FW_STATUS_ASKING);

  answer[FW_ANSWER_MAX_BYTES] = '\0'; /* at the limit: matched as usual */
  step = fw_session_answer (session, answer);
  assert_null (step->error);
  assert_int_equal (fw_session_get_status (session), FW_STATUS_STALLED);
  g_free (answer);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_csv_header_name_with_a_line_break_gives_a_one_line_message),
    cmocka_unit_test (test_jsonl_key_with_a_line_break_gives_a_one_line_message),
    cmocka_unit_test (test_jsonl_long_key_is_cut_short_in_the_message),
    cmocka_unit_test (test_jsonl_parse_error_quoting_the_input_is_one_short_line),
    cmocka_unit_test (test_csv_row_of_several_lines_over_the_limit_is_an_error_record),
    cmocka_unit_test (test_csv_row_of_several_lines_at_the_limit_is_a_record),
    cmocka_unit_test (test_jsonl_text_longer_than_the_limit_once_repaired_is_an_error_record),
    cmocka_unit_test (test_rule_file_over_the_rung_limit_is_not_loaded),
    cmocka_unit_test (test_rule_file_at_the_rung_limit_loads),
    cmocka_unit_test (test_library_rung_limit_counts_every_file),
    cmocka_unit_test (test_rule_file_over_the_example_limit_is_not_loaded),
    cmocka_unit_test (test_rule_file_over_the_pattern_limit_is_not_loaded),
    cmocka_unit_test (test_long_attribute_names_its_limit),
    cmocka_unit_test (test_long_id_names_its_limit),
    cmocka_unit_test (test_long_text_names_its_limit),
    cmocka_unit_test (test_nesting_past_the_limit_is_refused_once),
    cmocka_unit_test (test_concepts_that_multiply_stop_at_the_regex_limit),
    cmocka_unit_test (test_forbidden_clause_is_skipped_and_the_next_clause_still_matches),
    cmocka_unit_test (test_answer_over_the_limit_is_a_miss_that_says_why),
  };
  return cmocka_run_group_tests (tests, make_tmpdir, remove_tmpdir);
}
