/* test-loader.c: the rule loader and the checks made when a library
 * compiles.
 *
 * Each case writes one small rule file to a scratch folder, loads it after
 * the test motivations (tests/data/rules/motivations.xml), compiles, and
 * asserts every diagnostic exactly as `fivewhys check` would print it:
 * "FILE:LINE: error: MESSAGE", with FILE the file's base name. Rule files
 * are written line by line, numbered, so that the expected line is plain.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include <glib/gstdio.h>

#include "fivewhys.h"
#include "fw-private.h"

#define TEST_MOTIVATIONS TOP_SRCDIR "/tests/data/rules/motivations.xml"
#define TEST_BIKE TOP_SRCDIR "/tests/data/rules/bike.xml"

/* One line of a rule file. The rule files below are written one line of
 * the file to one line of source, numbered where a test names the line;
 * clang-format would reflow them, so it is off for them. */
#define L(text) text "\n"

/* clang-format off */

/* Lines 1-4 of most files below; their rungs start at line 5. */
#define HEAD                                                                                                 \
  L ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")                                                         \
  L ("<ruleset id=\"bike\" lang=\"en\" title=\"Bike\">")                                                   \
  L ("  <need><pattern>[bike bicycle]</pattern></need>")                                                    \
  L ("  <ask>Why do you want a bike?</ask>")
#define TAIL L ("</ruleset>")
/* clang-format on */

/* ---- Fixture ----------------------------------------------------------------- */

typedef struct
{
  char *dir; /* scratch folder, removed at teardown */
  FwLibrary *library;
  gboolean compiled_ok; /* what fw_library_compile returned */
  GError *error;        /* what it set */
  char *text;           /* the last text asserted on: freed at teardown, so
                           that a failing assertion leaks nothing */
} Fixture;

static int
setup (void **state)
{
  Fixture *f = g_new0 (Fixture, 1);
  GError *error = NULL;
  f->dir = g_dir_make_tmp ("fivewhys-loader-XXXXXX", &error);
  assert_null (error);
  f->library = fw_library_new ();
  *state = f;
  return 0;
}

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      GDir *dir = g_dir_open (path, 0, NULL);
      const char *name;
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          char *child = g_build_filename (path, name, NULL);
          remove_tree (child);
          g_free (child);
        }
      if (dir != NULL)
        g_dir_close (dir);
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static int
teardown (void **state)
{
  Fixture *f = *state;
  fw_library_free (f->library);
  g_clear_error (&f->error);
  g_free (f->text);
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f);
  return 0;
}

/* Writes @len bytes of @data to @name in the scratch folder; returns the
 * path, owned by the caller. */
static char *
write_bytes (Fixture *f, const char *name, const char *data, gssize len)
{
  char *path = g_build_filename (f->dir, name, NULL);
  char *parent = g_path_get_dirname (path);
  g_mkdir_with_parents (parent, 0700);
  g_free (parent);
  GError *error = NULL;
  g_file_set_contents (path, data, len, &error);
  assert_null (error);
  return path;
}

static void
add_path (Fixture *f, const char *path)
{
  GError *error = NULL;
  gboolean ok = fw_library_add_path (f->library, path, &error);
  if (!ok)
    fail_msg ("cannot add %s: %s", path, error != NULL ? error->message : "(no error)");
  assert_null (error);
}

static void
compile (Fixture *f)
{
  f->compiled_ok = fw_library_compile (f->library, &f->error);
}

/* Loads the test motivations, then @xml as rules.xml, and compiles. */
static void
load_rules (Fixture *f, const char *xml)
{
  add_path (f, TEST_MOTIVATIONS);
  char *path = write_bytes (f, "rules.xml", xml, -1);
  add_path (f, path);
  g_free (path);
  compile (f);
}

/* Every diagnostic as check prints it, with the file's base name; one a
 * line, each ending in a newline. */
static char *
diagnostics_text (FwLibrary *library)
{
  const GPtrArray *diags = fw_library_get_diagnostics (library);
  GString *out = g_string_new (NULL);
  for (guint i = 0; i < diags->len; i++)
    {
      const FwDiagnostic *d = g_ptr_array_index (diags, i);
      char *base = d->file != NULL ? g_path_get_basename (d->file) : g_strdup ("(none)");
      g_string_append_printf (out, "%s:%d: %s: %s\n", base, d->line,
                              d->severity == FW_SEVERITY_ERROR ? "error" : "warning", d->message);
      g_free (base);
    }
  return g_string_free (out, FALSE);
}

static void
assert_diagnostics (Fixture *f, const char *expected)
{
  g_free (f->text);
  f->text = diagnostics_text (f->library);
  if (strcmp (f->text, expected) != 0)
    print_error ("diagnostics:\n%s\nexpected:\n%s\n", f->text, expected);
  assert_string_equal (f->text, expected);
}

/* The library did not compile and says how many errors it has. */
static void
assert_failed_with (Fixture *f, guint errors)
{
  assert_false (f->compiled_ok);
  assert_non_null (f->error);
  assert_true (g_error_matches (f->error, FW_ERROR, FW_ERROR_RULE));
  g_free (f->text);
  f->text = g_strdup_printf ("the rules have %u error%s", errors, errors == 1 ? "" : "s");
  assert_string_equal (f->error->message, f->text);
  assert_int_equal (fw_library_count_diagnostics (f->library, FW_SEVERITY_ERROR), errors);
}

static FwRung *
find_rung (FwRuleset *ruleset, const char *id)
{
  FwRung *rung = g_hash_table_lookup (ruleset->rung_by_id, id);
  if (rung == NULL)
    fail_msg ("no rung '%s'", id);
  return rung;
}

/* ---- Loading what is right ---------------------------------------------------- */

/* clang-format off */

static void
test_clean_ruleset_compiles_without_diagnostics (void **state)
{
  Fixture *f = *state;
  add_path (f, TEST_MOTIVATIONS);
  add_path (f, TEST_BIKE);
  compile (f);
  assert_true (f->compiled_ok);
  assert_null (f->error);
  assert_diagnostics (f, "");
  assert_int_equal (fw_library_get_n_rulesets (f->library), 1);
  assert_int_equal (fw_library_get_n_motivations (f->library), 3);
}

static void
test_ruleset_getters_give_what_the_file_says (void **state)
{
  Fixture *f = *state;
  add_path (f, TEST_MOTIVATIONS);
  add_path (f, TEST_BIKE);
  compile (f);
  FwRuleset *ruleset = fw_library_find_ruleset (f->library, "bike");
  assert_non_null (ruleset);
  assert_ptr_equal (fw_library_get_ruleset (f->library, 0), ruleset);
  assert_string_equal (fw_ruleset_get_id (ruleset), "bike");
  assert_string_equal (fw_ruleset_get_title (ruleset), "Bike");
  assert_string_equal (fw_ruleset_get_lang (ruleset), "en");
  assert_string_equal (fw_ruleset_get_file (ruleset), TEST_BIKE);
  const GPtrArray *asks = fw_ruleset_get_asks (ruleset);
  assert_int_equal (asks->len, 2);
  assert_string_equal (g_ptr_array_index (asks, 0), "Why do you want a bike?");
  assert_string_equal (g_ptr_array_index (asks, 1), "What will the bike do for you?");
  const GPtrArray *rungs = fw_ruleset_get_rungs (ruleset);
  assert_int_equal (rungs->len, 2);
  assert_string_equal (fw_rung_get_id (g_ptr_array_index (rungs, 0)), "commute");
  assert_string_equal (fw_rung_get_id (g_ptr_array_index (rungs, 1)), "theft");
  assert_null (fw_library_find_ruleset (f->library, "car"));
}

static void
test_rung_getters_give_level_label_asks_examples_and_values (void **state)
{
  Fixture *f = *state;
  add_path (f, TEST_MOTIVATIONS);
  add_path (f, TEST_BIKE);
  compile (f);
  FwRuleset *ruleset = fw_library_find_ruleset (f->library, "bike");
  FwRung *commute = find_rung (ruleset, "commute");
  assert_string_equal (fw_rung_get_label (commute), "Rides to work");
  assert_int_equal (fw_rung_get_level (commute), FW_LEVEL_FUNCTION);
  assert_string_equal (fw_level_to_string (fw_rung_get_level (commute)), "function");
  assert_null (fw_rung_get_motivation (commute));
  const GPtrArray *asks = fw_rung_get_asks (commute);
  assert_int_equal (asks->len, 2);
  assert_string_equal (g_ptr_array_index (asks, 1), "What would riding to work change?");
  const GPtrArray *examples = fw_rung_get_examples (commute);
  assert_int_equal (examples->len, 1);
  assert_string_equal (g_ptr_array_index (examples, 0), "so I can ride to work");
  const char *const *values = fw_rung_get_attributes (commute);
  assert_string_equal (values[0], "timeliness");
  assert_string_equal (values[1], "cost");
  assert_null (values[2]);
  /* A rung without value="" gives an empty list, never NULL. */
  const char *const *none = fw_rung_get_attributes (find_rung (ruleset, "exercise"));
  assert_non_null (none);
  assert_null (none[0]);
}

static void
test_motivation_rung_resolves_its_motivation (void **state)
{
  Fixture *f = *state;
  add_path (f, TEST_MOTIVATIONS);
  add_path (f, TEST_BIKE);
  compile (f);
  FwRuleset *ruleset = fw_library_find_ruleset (f->library, "bike");
  FwRung *wellbeing = find_rung (ruleset, "wellbeing");
  assert_int_equal (fw_rung_get_level (wellbeing), FW_LEVEL_MOTIVATION);
  FwMotivation *health = fw_library_find_motivation (f->library, "health");
  assert_non_null (health);
  assert_ptr_equal (fw_rung_get_motivation (wellbeing), health);
  assert_string_equal (fw_motivation_get_label (health), "Health");
  assert_string_equal (fw_motivation_get_description (health), "They want to feel well and live long.");
  assert_string_equal (fw_motivation_get_framing (health), "Talk about energy and years, not features.");
  assert_string_equal (fw_motivation_get_schwartz (health), "security");
  assert_null (fw_motivation_get_avoid (health));
  assert_null (fw_library_find_motivation (f->library, "wealth"));
}

static void
test_depth_counts_rungs_from_the_need (void **state)
{
  Fixture *f = *state;
  add_path (f, TEST_MOTIVATIONS);
  add_path (f, TEST_BIKE);
  compile (f);
  FwRuleset *ruleset = fw_library_find_ruleset (f->library, "bike");
  assert_int_equal (fw_rung_get_depth (find_rung (ruleset, "commute")), 1);
  assert_int_equal (fw_rung_get_depth (find_rung (ruleset, "exercise")), 2);
  assert_int_equal (fw_rung_get_depth (find_rung (ruleset, "wellbeing")), 3);
}

static void
test_goto_shares_one_rung_between_parents (void **state)
{
  Fixture *f = *state;
  add_path (f, TEST_MOTIVATIONS);
  add_path (f, TEST_BIKE);
  compile (f);
  FwRuleset *ruleset = fw_library_find_ruleset (f->library, "bike");
  FwRung *insured = find_rung (ruleset, "insured");
  const GPtrArray *under_commute = fw_rung_get_children (find_rung (ruleset, "commute"));
  const GPtrArray *under_theft = fw_rung_get_children (find_rung (ruleset, "theft"));
  /* commute: exercise, then the <goto>; theft: insured itself. */
  assert_int_equal (under_commute->len, 2);
  assert_ptr_equal (g_ptr_array_index (under_commute, 1), insured);
  assert_int_equal (under_theft->len, 1);
  assert_ptr_equal (g_ptr_array_index (under_theft, 0), insured);
  assert_int_equal (fw_rung_get_depth (insured), 2);
}

static void
test_motivation_ref_ends_a_path_at_the_shared_layer (void **state)
{
  Fixture *f = *state;
  add_path (f, TEST_MOTIVATIONS);
  add_path (f, TEST_BIKE);
  compile (f);
  FwRuleset *ruleset = fw_library_find_ruleset (f->library, "bike");
  const GPtrArray *children = fw_rung_get_children (find_rung (ruleset, "insured"));
  assert_int_equal (children->len, 1);
  FwRung *end = g_ptr_array_index (children, 0);
  assert_string_equal (fw_rung_get_id (end), "security");
  assert_int_equal (fw_rung_get_level (end), FW_LEVEL_MOTIVATION);
  assert_ptr_equal (fw_rung_get_motivation (end), fw_library_find_motivation (f->library, "security"));
}

static void
test_folder_loads_every_xml_file_in_name_order (void **state)
{
  Fixture *f = *state;
  char *motivations = NULL;
  g_file_get_contents (TEST_MOTIVATIONS, &motivations, NULL, NULL);
  g_free (write_bytes (f, "rules/0-motivations.xml", motivations, -1));
  g_free (motivations);
  g_free (write_bytes (f, "rules/b.xml",
                       L ("<ruleset id=\"bravo\" lang=\"en\" title=\"B\"><need><pattern>bravo</pattern></need>")
                       L ("<ask>Why?</ask><rung id=\"r\" level=\"benefit\" label=\"R\"><pattern>r</pattern>")
                       L ("<ask>Why r?</ask><motivation ref=\"health\"/></rung></ruleset>"), -1));
  g_free (write_bytes (f, "rules/a.xml",
                       L ("<ruleset id=\"alpha\" lang=\"en\" title=\"A\"><need><pattern>alpha</pattern></need>")
                       L ("<ask>Why?</ask><rung id=\"r\" level=\"benefit\" label=\"R\"><pattern>r</pattern>")
                       L ("<ask>Why r?</ask><motivation ref=\"health\"/></rung></ruleset>"), -1));
  g_free (write_bytes (f, "rules/notes.txt", "not a rule file", -1));
  g_free (write_bytes (f, "rules/.hidden.xml", "not even XML", -1));
  char *folder = g_build_filename (f->dir, "rules", NULL);
  add_path (f, folder);
  g_free (folder);
  compile (f);
  assert_diagnostics (f, "");
  assert_true (f->compiled_ok);
  assert_int_equal (fw_library_get_n_rulesets (f->library), 2);
  assert_string_equal (fw_ruleset_get_id (fw_library_get_ruleset (f->library, 0)), "alpha");
  assert_string_equal (fw_ruleset_get_id (fw_library_get_ruleset (f->library, 1)), "bravo");
}

/* ---- Files that cannot be rules ------------------------------------------------ */

static void
test_missing_path_fails_with_io_error (void **state)
{
  Fixture *f = *state;
  char *path = g_build_filename (f->dir, "nothing-here.xml", NULL);
  GError *error = NULL;
  assert_false (fw_library_add_path (f->library, path, &error));
  assert_true (g_error_matches (error, FW_ERROR, FW_ERROR_IO));
  char *expected = g_strdup_printf ("%s: no such file or folder", path);
  assert_string_equal (error->message, expected);
  assert_diagnostics (f, "nothing-here.xml:0: error: no such file or folder\n");
  g_free (expected);
  g_error_free (error);
  g_free (path);
}

static void
test_folder_without_rule_files_fails_with_io_error (void **state)
{
  Fixture *f = *state;
  g_free (write_bytes (f, "empty/README", "no rules here", -1));
  char *folder = g_build_filename (f->dir, "empty", NULL);
  GError *error = NULL;
  assert_false (fw_library_add_path (f->library, folder, &error));
  assert_true (g_error_matches (error, FW_ERROR, FW_ERROR_IO));
  char *expected = g_strdup_printf ("%s: folder holds no rule files (*.xml)", folder);
  assert_string_equal (error->message, expected);
  assert_diagnostics (f, "empty:0: error: folder holds no rule files (*.xml)\n");
  g_free (expected);
  g_error_free (error);
  g_free (folder);
}

static void
test_empty_file_is_an_error (void **state)
{
  Fixture *f = *state;
  load_rules (f, "");
  assert_diagnostics (f, "rules.xml:0: error: file is empty: a rule file holds one <ruleset> or <motivations>\n");
  assert_failed_with (f, 1);
}

static void
test_binary_file_is_an_error (void **state)
{
  Fixture *f = *state;
  add_path (f, TEST_MOTIVATIONS);
  static const char elf[] = "\x7f" "ELF\x02\x01\x01\x00\x00\x00\x00\x00";
  char *path = write_bytes (f, "rules.xml", elf, sizeof elf - 1);
  add_path (f, path);
  g_free (path);
  compile (f);
  assert_diagnostics (f, "rules.xml:0: error: not a text file (it holds NUL bytes): a rule file is UTF-8 XML\n");
  assert_failed_with (f, 1);
}

static void
test_invalid_utf8_names_its_line (void **state)
{
  Fixture *f = *state;
  load_rules (f, HEAD
                 /* 5 */ L ("  <rung id=\"commute\" level=\"function\" label=\"Rides to work\">")
                 /* 6 */ L ("    <pattern>[ride cycle] to work v\xe9lo</pattern>")
                 /* 7 */ L ("    <ask>Why?</ask><motivation ref=\"health\"/>")
                 /* 8 */ L ("  </rung>")
                 TAIL);
  assert_diagnostics (f, "rules.xml:6: error: invalid UTF-8: save the file as UTF-8\n");
  assert_failed_with (f, 1);
}

static void
test_file_over_the_size_limit_is_refused (void **state)
{
  Fixture *f = *state;
  add_path (f, TEST_MOTIVATIONS);
  gsize len = FW_MAX_RULE_FILE_BYTES + 1;
  char *big = g_malloc (len);
  memset (big, ' ', len);
  memcpy (big, "<ruleset", 8);
  char *path = write_bytes (f, "rules.xml", big, len);
  g_free (big);
  add_path (f, path);
  g_free (path);
  compile (f);
  assert_diagnostics (f, "rules.xml:0: error: file is larger than the limit of 4 MiB for a rule file\n");
  assert_failed_with (f, 1);
}

/* ---- XML that is not well-formed or not allowed ----------------------------------- */

static void
test_not_well_formed_names_its_line (void **state)
{
  Fixture *f = *state;
  load_rules (f, HEAD
                 /* 5 */ L ("  <rung id=\"commute\" level=\"function\" label=\"Rides to work\">")
                 /* 6 */ L ("    <pattern>ride & cycle</pattern>")
                 /* 7 */ L ("    <ask>Why?</ask><motivation ref=\"health\"/>")
                 /* 8 */ L ("  </rung>")
                 TAIL);
  assert_diagnostics (f, "rules.xml:6: error: not well-formed XML: xmlParseEntityRef: no name\n");
  assert_failed_with (f, 1);
}

/* The first error is the one to fix: an element left open is reported where
 * the mismatched end tag is, not at the end of the file. */
static void
test_unclosed_element_names_the_first_error (void **state)
{
  Fixture *f = *state;
  load_rules (f, HEAD
                 /* 5 */ L ("  <rung id=\"commute\" level=\"function\" label=\"Rides to work\">")
                 /* 6 */ L ("    <pattern>[ride cycle] to work")
                 /* 7 */ L ("    <ask>Why?</ask><motivation ref=\"health\"/>")
                 /* 8 */ L ("  </rung>")
                 TAIL);
  assert_diagnostics (f, "rules.xml:8: error: not well-formed XML: opening and ending tag mismatch: pattern line 6 and rung\n");
  assert_failed_with (f, 1);
}

static void
test_doctype_is_refused (void **state)
{
  Fixture *f = *state;
  load_rules (f, L ("<?xml version=\"1.0\"?>")
                 L ("<!DOCTYPE ruleset>")
                 L ("<ruleset id=\"bike\" lang=\"en\" title=\"Bike\"/>"));
  assert_diagnostics (f, "rules.xml:2: error: <!DOCTYPE> is not allowed in rule files: remove it (entities and DTDs are refused)\n");
  assert_failed_with (f, 1);
}

/* The entity would paste /etc/passwd into the title; nothing of it may
 * reach the library or its messages. */
static void
test_external_entity_is_never_read (void **state)
{
  Fixture *f = *state;
  load_rules (f, L ("<?xml version=\"1.0\"?>")
                 L ("<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>")
                 L ("<ruleset id=\"bike\" lang=\"en\" title=\"&x;\">")
                 L ("  <need><pattern>&x;</pattern></need>")
                 L ("  <ask>&x;</ask>")
                 L ("  <rung id=\"r\" level=\"benefit\" label=\"&x;\"><pattern>r</pattern><motivation ref=\"health\"/></rung>")
                 TAIL);
  assert_diagnostics (f, "rules.xml:2: error: <!DOCTYPE> is not allowed in rule files: remove it (entities and DTDs are refused)\n");
  assert_int_equal (fw_library_get_n_rulesets (f->library), 0);
  char *all = diagnostics_text (f->library);
  assert_null (strstr (all, "root:"));
  g_free (all);
  assert_null (strstr (f->error->message, "root:"));
}

static void
test_external_dtd_is_refused (void **state)
{
  Fixture *f = *state;
  load_rules (f, L ("<?xml version=\"1.0\"?>")
                 L ("<!DOCTYPE ruleset SYSTEM \"file:///etc/passwd\">")
                 L ("<ruleset id=\"bike\" lang=\"en\" title=\"Bike\"/>"));
  assert_diagnostics (f, "rules.xml:2: error: <!DOCTYPE> is not allowed in rule files: remove it (entities and DTDs are refused)\n");
  char *all = diagnostics_text (f->library);
  assert_null (strstr (all, "root:"));
  g_free (all);
}

static void
test_billion_laughs_is_refused_at_once (void **state)
{
  Fixture *f = *state;
  gint64 start = g_get_monotonic_time ();
  load_rules (f, L ("<?xml version=\"1.0\"?>")
                 L ("<!DOCTYPE r [")
                 L (" <!ENTITY a \"lollollollollollollollollollol\">")
                 L (" <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">")
                 L (" <!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">")
                 L (" <!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">")
                 L (" <!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">")
                 L (" <!ENTITY g \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">")
                 L (" <!ENTITY h \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\">")
                 L (" <!ENTITY i \"&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;\">")
                 L (" <!ENTITY j \"&i;&i;&i;&i;&i;&i;&i;&i;&i;&i;\">")
                 L ("]>")
                 L ("<ruleset id=\"bike\" lang=\"en\" title=\"&j;\"/>"));
  gint64 elapsed = g_get_monotonic_time () - start;
  assert_diagnostics (f, "rules.xml:2: error: <!DOCTYPE> is not allowed in rule files: remove it (entities and DTDs are refused)\n");
  /* Generous: valgrind is slow, an expansion would take minutes. */
  assert_true (elapsed < 10 * G_USEC_PER_SEC);
}

/* ---- Schema ------------------------------------------------------------------------ */

static void
test_schema_violation_names_its_line (void **state)
{
  Fixture *f = *state;
  load_rules (f, HEAD
                 /* 5 */ L ("  <rung id=\"commute\" level=\"feature\" label=\"Rides to work\">")
                 /* 6 */ L ("    <pattern>[ride cycle] to work</pattern>")
                 /* 7 */ L ("    <ask>Why?</ask><motivation ref=\"health\"/>")
                 /* 8 */ L ("  </rung>")
                 TAIL);
  assert_diagnostics (f, "rules.xml:5: error: element rung failed to validate attributes\n");
  assert_failed_with (f, 1);
  assert_int_equal (fw_library_get_n_rulesets (f->library), 0);
}

static void
test_unknown_element_is_a_schema_error (void **state)
{
  Fixture *f = *state;
  load_rules (f, HEAD
                 /* 5 */ L ("  <rung id=\"commute\" level=\"function\" label=\"Rides to work\">")
                 /* 6 */ L ("    <pattern>[ride cycle] to work</pattern>")
                 /* 7 */ L ("    <question>Why?</question><motivation ref=\"health\"/>")
                 /* 8 */ L ("  </rung>")
                 TAIL);
  assert_diagnostics (f, "rules.xml:7: error: element rung has extra content: question\n");
  assert_failed_with (f, 1);
}

/* ---- Rules the schema cannot check ---------------------------------------------------- */

static void
test_duplicate_rung_id_names_both_places (void **state)
{
  Fixture *f = *state;
  load_rules (f, HEAD
                 /* 5 */ L ("  <rung id=\"commute\" level=\"function\" label=\"Rides to work\">")
                 /* 6 */ L ("    <pattern>[ride cycle] to work</pattern>")
                 /* 7 */ L ("    <ask>Why?</ask><motivation ref=\"health\"/>")
                 /* 8 */ L ("  </rung>")
                 /* 9 */ L ("  <rung id=\"commute\" level=\"function\" label=\"Commutes\">")
                 /* 10 */ L ("    <pattern>commute</pattern>")
                 /* 11 */ L ("    <ask>Why?</ask><motivation ref=\"health\"/>")
                 /* 12 */ L ("  </rung>")
                 TAIL);
  char *expected = g_strdup_printf ("rules.xml:9: error: duplicate rung id 'commute': already defined at %s/rules.xml:5; "
                                    "ids must be unique in a ruleset\n", f->dir);
  assert_diagnostics (f, expected);
  g_free (expected);
  assert_failed_with (f, 1);
}

static void
test_duplicate_concept_names_both_places (void **state)
{
  Fixture *f = *state;
  load_rules (f, L ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
                 L ("<ruleset id=\"bike\" lang=\"en\" title=\"Bike\">")
                 L ("  <need><pattern>[bike bicycle]</pattern></need>")
                 /* 4 */ L ("  <concept id=\"job\">work, the office</concept>")
                 /* 5 */ L ("  <concept id=\"job\">my job</concept>")
                 L ("  <ask>Why do you want a bike?</ask>")
                 L ("  <rung id=\"commute\" level=\"function\" label=\"Rides to work\">")
                 L ("    <pattern>[ride cycle] to ~job</pattern>")
                 L ("    <ask>Why?</ask><motivation ref=\"health\"/>")
                 L ("  </rung>")
                 TAIL);
  char *expected = g_strdup_printf ("rules.xml:5: error: concept 'job' is already defined at %s/rules.xml:4\n", f->dir);
  assert_diagnostics (f, expected);
  g_free (expected);
  assert_failed_with (f, 1);
}

static void
test_duplicate_ruleset_id_names_the_first_file (void **state)
{
  Fixture *f = *state;
  add_path (f, TEST_MOTIVATIONS);
  add_path (f, TEST_BIKE);
  char *path = write_bytes (f, "again.xml",
                            HEAD
                            /* 5 */ L ("  <rung id=\"r\" level=\"benefit\" label=\"R\"><pattern>r</pattern>")
                            /* 6 */ L ("    <ask>Why?</ask><motivation ref=\"health\"/></rung>")
                            TAIL, -1);
  add_path (f, path);
  g_free (path);
  compile (f);
  char *expected = g_strdup_printf ("again.xml:2: error: duplicate ruleset id 'bike': already defined at %s:6\n", TEST_BIKE);
  assert_diagnostics (f, expected);
  g_free (expected);
  assert_failed_with (f, 1);
  assert_int_equal (fw_library_get_n_rulesets (f->library), 1);
}

static void
test_unknown_goto_is_an_error (void **state)
{
  Fixture *f = *state;
  load_rules (f, HEAD
                 /* 5 */ L ("  <rung id=\"commute\" level=\"function\" label=\"Rides to work\">")
                 /* 6 */ L ("    <pattern>[ride cycle] to work</pattern>")
                 /* 7 */ L ("    <ask>Why?</ask>")
                 /* 8 */ L ("    <goto rung=\"fitnes\"/>")
                 /* 9 */ L ("    <motivation ref=\"health\"/>")
                 /* 10 */ L ("  </rung>")
                 TAIL);
  assert_diagnostics (f, "rules.xml:8: error: <goto rung=\"fitnes\"> names no rung of ruleset 'bike'\n");
  assert_failed_with (f, 1);
}

static void
test_unknown_motivation_ref_is_an_error (void **state)
{
  Fixture *f = *state;
  load_rules (f, HEAD
                 /* 5 */ L ("  <rung id=\"commute\" level=\"function\" label=\"Rides to work\">")
                 /* 6 */ L ("    <pattern>[ride cycle] to work</pattern>")
                 /* 7 */ L ("    <ask>Why?</ask>")
                 /* 8 */ L ("    <motivation ref=\"wellness\"/>")
                 /* 9 */ L ("    <motivation ref=\"health\"/>")
                 /* 10 */ L ("  </rung>")
                 TAIL);
  assert_diagnostics (f, "rules.xml:8: error: unknown motivation 'wellness': the motivations are defined in motivations.xml\n");
  assert_failed_with (f, 1);
}

static void
test_unknown_motivation_on_a_rung_is_an_error (void **state)
{
  Fixture *f = *state;
  load_rules (f, HEAD
                 /* 5 */ L ("  <rung id=\"commute\" level=\"function\" label=\"Rides to work\">")
                 /* 6 */ L ("    <pattern>[ride cycle] to work</pattern>")
                 /* 7 */ L ("    <ask>Why?</ask>")
                 /* 8 */ L ("    <rung id=\"famous\" level=\"motivation\" motivation=\"fame\" label=\"F\">")
                 /* 9 */ L ("      <pattern>famous</pattern>")
                 /* 10 */ L ("    </rung>")
                 /* 11 */ L ("  </rung>")
                 TAIL);
  assert_diagnostics (f, "rules.xml:8: error: unknown motivation 'fame' on rung 'famous': use one of the ids in motivations.xml\n");
  assert_failed_with (f, 1);
}

static void
test_cycle_through_goto_is_an_error (void **state)
{
  Fixture *f = *state;
  load_rules (f, HEAD
                 /* 5 */ L ("  <rung id=\"commute\" level=\"function\" label=\"Rides to work\">")
                 /* 6 */ L ("    <pattern>[ride cycle] to work</pattern>")
                 /* 7 */ L ("    <ask>Why?</ask>")
                 /* 8 */ L ("    <rung id=\"fitness\" level=\"function\" label=\"Gets fit\">")
                 /* 9 */ L ("      <pattern>fit</pattern>")
                 /* 10 */ L ("      <ask>Why?</ask>")
                 /* 11 */ L ("      <goto rung=\"commute\"/>")
                 /* 12 */ L ("      <motivation ref=\"health\"/>")
                 /* 13 */ L ("    </rung>")
                 /* 14 */ L ("  </rung>")
                 TAIL);
  assert_diagnostics (f, "rules.xml:5: error: rungs form a cycle: commute -> fitness -> commute; a ladder must always go down\n");
  assert_failed_with (f, 1);
}

static void
test_goto_to_itself_is_a_cycle (void **state)
{
  Fixture *f = *state;
  load_rules (f, HEAD
                 /* 5 */ L ("  <rung id=\"commute\" level=\"function\" label=\"Rides to work\">")
                 /* 6 */ L ("    <pattern>[ride cycle] to work</pattern>")
                 /* 7 */ L ("    <ask>Why?</ask>")
                 /* 8 */ L ("    <goto rung=\"commute\"/>")
                 /* 9 */ L ("    <motivation ref=\"health\"/>")
                 /* 10 */ L ("  </rung>")
                 TAIL);
  assert_diagnostics (f, "rules.xml:5: error: rungs form a cycle: commute -> commute; a ladder must always go down\n");
  assert_failed_with (f, 1);
}

static void
test_dead_end_is_an_error (void **state)
{
  Fixture *f = *state;
  load_rules (f, HEAD
                 /* 5 */ L ("  <rung id=\"commute\" level=\"function\" label=\"Rides to work\">")
                 /* 6 */ L ("    <pattern>[ride cycle] to work</pattern>")
                 /* 7 */ L ("    <ask>Why?</ask>")
                 /* 8 */ L ("  </rung>")
                 TAIL);
  assert_diagnostics (f, "rules.xml:5: error: rung 'commute' is a dead end: every path must end at a motivation; "
                         "add a child rung or <motivation ref=\"...\"/>\n");
  assert_failed_with (f, 1);
}

static void
test_level_going_back_up_is_an_error (void **state)
{
  Fixture *f = *state;
  load_rules (f, HEAD
                 /* 5 */ L ("  <rung id=\"fitness\" level=\"benefit\" label=\"Gets fit\">")
                 /* 6 */ L ("    <pattern>fit</pattern>")
                 /* 7 */ L ("    <ask>Why?</ask>")
                 /* 8 */ L ("    <rung id=\"commute\" level=\"attribute\" label=\"Rides to work\">")
                 /* 9 */ L ("      <pattern>[ride cycle] to work</pattern>")
                 /* 10 */ L ("      <ask>Why?</ask><motivation ref=\"health\"/>")
                 /* 11 */ L ("    </rung>")
                 /* 12 */ L ("  </rung>")
                 TAIL);
  assert_diagnostics (f, "rules.xml:8: error: rung 'commute' (attribute) sits below 'fitness' (benefit): "
                         "levels go attribute, function, benefit, motivation and never back up\n");
  assert_failed_with (f, 1);
}

static void
test_same_level_below_is_allowed (void **state)
{
  Fixture *f = *state;
  load_rules (f, HEAD
                 /* 5 */ L ("  <rung id=\"commute\" level=\"function\" label=\"Rides to work\">")
                 /* 6 */ L ("    <pattern>[ride cycle] to work</pattern>")
                 /* 7 */ L ("    <ask>Why?</ask>")
                 /* 8 */ L ("    <rung id=\"faster\" level=\"function\" label=\"Gets there faster\">")
                 /* 9 */ L ("      <pattern>faster</pattern>")
                 /* 10 */ L ("      <ask>Why?</ask><motivation ref=\"health\"/>")
                 /* 11 */ L ("    </rung>")
                 /* 12 */ L ("  </rung>")
                 TAIL);
  assert_diagnostics (f, "");
  assert_true (f->compiled_ok);
}

static void
test_motivation_level_needs_a_motivation_id (void **state)
{
  Fixture *f = *state;
  load_rules (f, HEAD
                 /* 5 */ L ("  <rung id=\"commute\" level=\"function\" label=\"Rides to work\">")
                 /* 6 */ L ("    <pattern>[ride cycle] to work</pattern>")
                 /* 7 */ L ("    <ask>Why?</ask>")
                 /* 8 */ L ("    <rung id=\"well\" level=\"motivation\" label=\"Feels well\"><pattern>well</pattern></rung>")
                 /* 9 */ L ("  </rung>")
                 TAIL);
  assert_diagnostics (f, "rules.xml:8: error: rung 'well' has level motivation but no motivation=\"...\": "
                         "say which motivation it stands for\n");
  assert_failed_with (f, 1);
}

static void
test_rung_id_may_not_be_a_motivation_id (void **state)
{
  Fixture *f = *state;
  load_rules (f, HEAD
                 /* 5 */ L ("  <rung id=\"health\" level=\"benefit\" label=\"Stays healthy\">")
                 /* 6 */ L ("    <pattern>healthy</pattern>")
                 /* 7 */ L ("    <ask>Why?</ask><motivation ref=\"security\"/>")
                 /* 8 */ L ("  </rung>")
                 TAIL);
  assert_diagnostics (f, "rules.xml:5: error: rung id 'health' is also a motivation id: rename the rung, "
                         "or end the path with <motivation ref=\"health\"/>\n");
  assert_failed_with (f, 1);
}

static void
test_rungs_nested_past_the_limit_are_refused (void **state)
{
  Fixture *f = *state;
  GString *xml = g_string_new (HEAD);
  for (int i = 1; i <= FW_MAX_RULE_DEPTH + 1; i++)
    g_string_append_printf (xml, "<rung id=\"r%d\" level=\"function\" label=\"R\"><pattern>w%d</pattern><ask>Why?</ask>\n",
                            i, i);
  g_string_append (xml, "<motivation ref=\"health\"/>\n");
  for (int i = 1; i <= FW_MAX_RULE_DEPTH + 1; i++)
    g_string_append (xml, "</rung>\n");
  g_string_append (xml, TAIL);
  load_rules (f, xml->str);
  g_string_free (xml, TRUE);
  /* r33 (line 37) is refused, which leaves r32 (line 36) a dead end. */
  assert_diagnostics (f, "rules.xml:36: error: rung 'r32' is a dead end: every path must end at a motivation; "
                         "add a child rung or <motivation ref=\"...\"/>\n"
                         "rules.xml:37: error: rungs nest deeper than the limit of 32 below the need\n");
}

static void
test_unknown_concept_is_an_error (void **state)
{
  Fixture *f = *state;
  load_rules (f, HEAD
                 /* 5 */ L ("  <rung id=\"commute\" level=\"function\" label=\"Rides to work\">")
                 /* 6 */ L ("    <pattern>[ride cycle] to work</pattern>")
                 /* 7 */ L ("    <pattern>[ride cycle] to ~jobs</pattern>")
                 /* 8 */ L ("    <ask>Why?</ask><motivation ref=\"health\"/>")
                 /* 9 */ L ("  </rung>")
                 TAIL);
  assert_diagnostics (f, "rules.xml:7: error: unknown concept '~jobs' in pattern '[ride cycle] to ~jobs': "
                         "define it with <concept id=\"jobs\">\n");
  assert_failed_with (f, 1);
}

static void
test_shared_concepts_of_the_motivations_can_be_used (void **state)
{
  Fixture *f = *state;
  load_rules (f, HEAD
                 /* 5 */ L ("  <rung id=\"carry\" level=\"function\" label=\"Carries the kids\">")
                 /* 6 */ L ("    <pattern>carry * ~family</pattern>")
                 /* 7 */ L ("    <ask>Why?</ask><motivation ref=\"family\"/>")
                 /* 8 */ L ("  </rung>")
                 TAIL);
  assert_diagnostics (f, "");
  assert_true (f->compiled_ok);
}

static void
test_bad_pattern_is_an_error (void **state)
{
  Fixture *f = *state;
  load_rules (f, HEAD
                 /* 5 */ L ("  <rung id=\"commute\" level=\"function\" label=\"Rides to work\">")
                 /* 6 */ L ("    <pattern>[ride cycle] to work</pattern>")
                 /* 7 */ L ("    <pattern>[ride cycle to work</pattern>")
                 /* 8 */ L ("    <pattern>* to work</pattern>")
                 /* 9 */ L ("    <ask>Why?</ask><motivation ref=\"health\"/>")
                 /* 10 */ L ("  </rung>")
                 TAIL);
  assert_diagnostics (f, "rules.xml:7: error: missing ']' in pattern '[ride cycle to work'\n"
                         "rules.xml:8: error: a gap '*' must stand between two words in pattern '* to work'\n");
  assert_failed_with (f, 2);
}

static void
test_bad_regex_shows_a_caret_under_the_offset (void **state)
{
  Fixture *f = *state;
  load_rules (f, HEAD
                 /* 5 */ L ("  <rung id=\"commute\" level=\"function\" label=\"Rides to work\">")
                 /* 6 */ L ("    <pattern>[ride cycle] to work</pattern>")
                 /* 7 */ L ("    <regex>\\b(ride|cycle to work</regex>")
                 /* 8 */ L ("    <ask>Why?</ask><motivation ref=\"health\"/>")
                 /* 9 */ L ("  </rung>")
                 TAIL);
  assert_diagnostics (f, "rules.xml:7: error: regex does not compile at offset 21: missing closing parenthesis\n"
                         "    \\b(ride|cycle to work\n"
                         "                         ^\n");
  assert_failed_with (f, 1);
}

/* One wrong lang="" is one mistake: one error, where the attribute is, not
 * one per pattern of the file. */
static void
test_unknown_language_is_one_error_at_the_ruleset (void **state)
{
  Fixture *f = *state;
  load_rules (f, L ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
                 L ("<ruleset id=\"bike\" lang=\"tlh\" title=\"Bike\">")
                 L ("  <need><pattern>bike</pattern></need>")
                 L ("  <ask>Why do you want a bike?</ask>")
                 L ("  <rung id=\"r\" level=\"benefit\" label=\"R\"><pattern>r</pattern><pattern>s</pattern>")
                 L ("    <ask>Why?</ask><motivation ref=\"health\"/></rung>")
                 TAIL);
  assert_false (f->compiled_ok);
  assert_int_equal (fw_library_count_diagnostics (f->library, FW_SEVERITY_ERROR), 1);
  const GPtrArray *diags = fw_library_get_diagnostics (f->library);
  for (guint i = 0; i < diags->len; i++)
    {
      const FwDiagnostic *d = g_ptr_array_index (diags, i);
      if (d->severity != FW_SEVERITY_ERROR)
        continue;
      assert_int_equal (d->line, 2);
      assert_string_equal (d->message, "unknown language 'tlh': libstemmer has no stemmer for it");
    }
}

static void
test_rules_without_motivations_are_an_error (void **state)
{
  Fixture *f = *state;
  add_path (f, TEST_BIKE);
  compile (f);
  assert_diagnostics (f, "bike.xml:0: error: no motivations are loaded: add motivations.xml to the rule paths\n"
                         "bike.xml:28: error: unknown motivation 'health' on rung 'wellbeing': use one of the ids in motivations.xml\n"
                         "bike.xml:40: error: rung 'insured' is a dead end: every path must end at a motivation; "
                         "add a child rung or <motivation ref=\"...\"/>\n"
                         "bike.xml:44: error: unknown motivation 'security': the motivations are defined in motivations.xml\n");
}

static void
test_motivation_needs_description_and_framing (void **state)
{
  Fixture *f = *state;
  char *path = write_bytes (f, "motivations.xml",
                            L ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
                            L ("<motivations lang=\"en\">")
                            L ("  <motivation id=\"health\" label=\"Health\">")
                            L ("    <description>They want to feel well.</description>")
                            L ("    <pattern>healthy</pattern>")
                            L ("  </motivation>")
                            L ("</motivations>"), -1);
  add_path (f, path);
  g_free (path);
  compile (f);
  assert_diagnostics (f, "motivations.xml:3: error: motivation 'health' needs a label, a <description> and a <framing> in one of its files\n");
  assert_failed_with (f, 1);
}

/* ---- Warnings ----------------------------------------------------------------------- */

static void
test_rung_without_patterns_or_asks_is_a_warning (void **state)
{
  Fixture *f = *state;
  load_rules (f, HEAD
                 /* 5 */ L ("  <rung id=\"commute\" level=\"function\" label=\"Rides to work\">")
                 /* 6 */ L ("    <pattern>[ride cycle] to work</pattern>")
                 /* 7 */ L ("    <ask>Why?</ask>")
                 /* 8 */ L ("    <rung id=\"quiet\" level=\"benefit\" label=\"Never asked\">")
                 /* 9 */ L ("      <motivation ref=\"health\"/>")
                 /* 10 */ L ("    </rung>")
                 /* 11 */ L ("  </rung>")
                 TAIL);
  assert_diagnostics (f, "rules.xml:8: warning: rung 'quiet' has no patterns: no answer can reach it\n"
                         "rules.xml:8: warning: rung 'quiet' has no <ask>: the session falls back to generic questions\n");
  /* Warnings do not fail the compile. */
  assert_true (f->compiled_ok);
  assert_null (f->error);
  assert_int_equal (fw_library_count_diagnostics (f->library, FW_SEVERITY_WARNING), 2);
  assert_int_equal (fw_library_count_diagnostics (f->library, FW_SEVERITY_ERROR), 0);
}

static void
test_diagnostics_come_in_file_and_line_order (void **state)
{
  Fixture *f = *state;
  add_path (f, TEST_MOTIVATIONS);
  char *b = write_bytes (f, "b.xml", HEAD L ("  <rung id=\"x\" level=\"benefit\" label=\"X\"><pattern>x</pattern><ask>Why?</ask></rung>") TAIL, -1);
  char *a = write_bytes (f, "a.xml",
                         L ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
                         L ("<ruleset id=\"other\" lang=\"en\" title=\"Other\">")
                         L ("  <need><pattern>other</pattern></need>")
                         L ("  <ask>Why?</ask>")
                         L ("  <rung id=\"y\" level=\"benefit\" label=\"Y\"><pattern>y</pattern><ask>Why?</ask>")
                         L ("    <goto rung=\"nowhere\"/>")
                         L ("  </rung>")
                         TAIL, -1);
  add_path (f, b);
  add_path (f, a);
  g_free (a);
  g_free (b);
  compile (f);
  assert_diagnostics (f, "a.xml:5: error: rung 'y' is a dead end: every path must end at a motivation; add a child rung or <motivation ref=\"...\"/>\n"
                         "a.xml:6: error: <goto rung=\"nowhere\"> names no rung of ruleset 'other'\n"
                         "b.xml:5: error: rung 'x' is a dead end: every path must end at a motivation; add a child rung or <motivation ref=\"...\"/>\n");
}

/* ---- Examples as tests ------------------------------------------------------------------ */

static void
test_examples_of_a_clean_ruleset_all_pass (void **state)
{
  Fixture *f = *state;
  add_path (f, TEST_MOTIVATIONS);
  add_path (f, TEST_BIKE);
  compile (f);
  assert_int_equal (fw_library_run_examples (f->library), 0);
  assert_diagnostics (f, "");
}

static void
test_example_that_misses_its_rung_is_an_error (void **state)
{
  Fixture *f = *state;
  load_rules (f, HEAD
                 /* 5 */ L ("  <rung id=\"commute\" level=\"function\" label=\"Rides to work\">")
                 /* 6 */ L ("    <pattern>[ride cycle] to work</pattern>")
                 /* 7 */ L ("    <example>so I can ride to work</example>")
                 /* 8 */ L ("    <example>to get to the office</example>")
                 /* 9 */ L ("    <ask>Why?</ask><motivation ref=\"health\"/>")
                 /* 10 */ L ("  </rung>")
                 TAIL);
  assert_true (f->compiled_ok);
  assert_int_equal (fw_library_run_examples (f->library), 1);
  assert_diagnostics (f, "rules.xml:8: error: example \"to get to the office\" does not reach rung 'commute': no pattern matches it\n");
}

static void
test_counterexample_that_reaches_its_rung_is_an_error (void **state)
{
  Fixture *f = *state;
  load_rules (f, HEAD
                 /* 5 */ L ("  <rung id=\"commute\" level=\"function\" label=\"Rides to work\">")
                 /* 6 */ L ("    <pattern>work</pattern>")
                 /* 7 */ L ("    <counterexample>work is a nightmare</counterexample>")
                 /* 8 */ L ("    <counterexample>I don't want to ride to work</counterexample>")
                 /* 9 */ L ("    <ask>Why?</ask><motivation ref=\"health\"/>")
                 /* 10 */ L ("  </rung>")
                 TAIL);
  assert_int_equal (fw_library_run_examples (f->library), 1);
  assert_diagnostics (f, "rules.xml:7: error: counterexample \"work is a nightmare\" reaches rung 'commute' (pattern 'work' at line 6)\n");
}

static void
test_example_taken_by_a_sibling_is_a_shadowing_warning (void **state)
{
  Fixture *f = *state;
  load_rules (f, HEAD
                 /* 5 */ L ("  <rung id=\"commute\" level=\"function\" label=\"Rides to work\">")
                 /* 6 */ L ("    <pattern>[ride cycle] to work</pattern>")
                 /* 7 */ L ("    <ask>Why?</ask><motivation ref=\"health\"/>")
                 /* 8 */ L ("  </rung>")
                 /* 9 */ L ("  <rung id=\"ride\" level=\"function\" label=\"Likes to ride\">")
                 /* 10 */ L ("    <pattern>ride</pattern>")
                 /* 11 */ L ("    <example>I love to ride</example>")
                 /* 12 */ L ("    <example>so I can ride to work</example>")
                 /* 13 */ L ("    <ask>Why?</ask><motivation ref=\"health\"/>")
                 /* 14 */ L ("  </rung>")
                 TAIL);
  assert_int_equal (fw_library_run_examples (f->library), 0);
  assert_diagnostics (f, "rules.xml:12: warning: rung 'ride' is shadowed: its example \"so I can ride to work\" is "
                         "taken by sibling 'commute' (pattern '[ride cycle] to work' at line 6)\n");
}

static void
test_need_examples_are_tests_too (void **state)
{
  Fixture *f = *state;
  load_rules (f, L ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
                 L ("<ruleset id=\"bike\" lang=\"en\" title=\"Bike\">")
                 L ("  <need>")
                 L ("    <pattern>[bike bicycle]</pattern>")
                 L ("    <example>a new bike</example>")
                 L ("    <example>something to cycle on</example>")
                 L ("    <counterexample>a bike rack for the car</counterexample>")
                 L ("  </need>")
                 L ("  <ask>Why do you want a bike?</ask>")
                 L ("  <rung id=\"r\" level=\"benefit\" label=\"R\"><pattern>r</pattern><ask>Why?</ask><motivation ref=\"health\"/></rung>")
                 TAIL);
  assert_int_equal (fw_library_run_examples (f->library), 2);
  assert_diagnostics (f, "rules.xml:6: error: need example \"something to cycle on\" is not recognised as 'bike': no need pattern matches it\n"
                         "rules.xml:7: error: need counterexample \"a bike rack for the car\" is recognised as 'bike'\n");
}

/* ---- Ownership ------------------------------------------------------------------------- */

static void
test_free_accepts_null (void **state)
{
  (void) state;
  fw_library_free (NULL);
  fw_scratch_free (NULL);
  fw_session_free (NULL);
}

/* Under valgrind: a library that failed half way frees everything. */
static void
test_library_with_errors_frees_cleanly (void **state)
{
  Fixture *f = *state;
  load_rules (f, HEAD
                 L ("  <concept id=\"job\">work</concept>")
                 L ("  <rung id=\"commute\" level=\"function\" label=\"Rides to work\">")
                 L ("    <pattern>[ride cycle] to ~jobs</pattern>")
                 L ("    <regex>(((</regex>")
                 L ("    <goto rung=\"nowhere\"/>")
                 L ("  </rung>")
                 TAIL);
  assert_false (f->compiled_ok);
  fw_library_free (f->library);
  f->library = fw_library_new (); /* freed again at teardown, empty */
}

static void
test_library_never_compiled_frees_cleanly (void **state)
{
  Fixture *f = *state;
  add_path (f, TEST_MOTIVATIONS);
  add_path (f, TEST_BIKE);
  /* no compile: the pending pattern sources are freed with the library */
}

/* clang-format on */

int
main (void)
{
  const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown (name, setup, teardown)
    T (test_clean_ruleset_compiles_without_diagnostics),
    T (test_ruleset_getters_give_what_the_file_says),
    T (test_rung_getters_give_level_label_asks_examples_and_values),
    T (test_motivation_rung_resolves_its_motivation),
    T (test_depth_counts_rungs_from_the_need),
    T (test_goto_shares_one_rung_between_parents),
    T (test_motivation_ref_ends_a_path_at_the_shared_layer),
    T (test_folder_loads_every_xml_file_in_name_order),
    T (test_missing_path_fails_with_io_error),
    T (test_folder_without_rule_files_fails_with_io_error),
    T (test_empty_file_is_an_error),
    T (test_binary_file_is_an_error),
    T (test_invalid_utf8_names_its_line),
    T (test_file_over_the_size_limit_is_refused),
    T (test_not_well_formed_names_its_line),
    T (test_unclosed_element_names_the_first_error),
    T (test_doctype_is_refused),
    T (test_external_entity_is_never_read),
    T (test_external_dtd_is_refused),
    T (test_billion_laughs_is_refused_at_once),
    T (test_schema_violation_names_its_line),
    T (test_unknown_element_is_a_schema_error),
    T (test_duplicate_rung_id_names_both_places),
    T (test_duplicate_concept_names_both_places),
    T (test_duplicate_ruleset_id_names_the_first_file),
    T (test_unknown_goto_is_an_error),
    T (test_unknown_motivation_ref_is_an_error),
    T (test_unknown_motivation_on_a_rung_is_an_error),
    T (test_cycle_through_goto_is_an_error),
    T (test_goto_to_itself_is_a_cycle),
    T (test_dead_end_is_an_error),
    T (test_level_going_back_up_is_an_error),
    T (test_same_level_below_is_allowed),
    T (test_motivation_level_needs_a_motivation_id),
    T (test_rung_id_may_not_be_a_motivation_id),
    T (test_rungs_nested_past_the_limit_are_refused),
    T (test_unknown_concept_is_an_error),
    T (test_shared_concepts_of_the_motivations_can_be_used),
    T (test_bad_pattern_is_an_error),
    T (test_bad_regex_shows_a_caret_under_the_offset),
    T (test_unknown_language_is_one_error_at_the_ruleset),
    T (test_rules_without_motivations_are_an_error),
    T (test_motivation_needs_description_and_framing),
    T (test_rung_without_patterns_or_asks_is_a_warning),
    T (test_diagnostics_come_in_file_and_line_order),
    T (test_examples_of_a_clean_ruleset_all_pass),
    T (test_example_that_misses_its_rung_is_an_error),
    T (test_counterexample_that_reaches_its_rung_is_an_error),
    T (test_example_taken_by_a_sibling_is_a_shadowing_warning),
    T (test_need_examples_are_tests_too),
    T (test_free_accepts_null),
    T (test_library_with_errors_frees_cleanly),
    T (test_library_never_compiled_frees_cleanly),
#undef T
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
