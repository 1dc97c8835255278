/* test-reader.c: the CSV, JSON Lines and text readers, as analyze sees them.
 *
 * Each test reads a file of tests/data/notes/ (or bytes written to a
 * temporary file or a pipe) and checks what a user would see in the output:
 * record numbers, first lines, ids, texts and error reasons. Every read also
 * checks the accounting analyze relies on: records are numbered 1..n without
 * gaps and records read == good + bad.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "fivewhys.h"
#include "reader-private.h"

#define DATA TOP_SRCDIR "/tests/data/notes/"

/* ---- Helpers ------------------------------------------------------------- */

typedef struct {
  guint64 number;
  guint64 line;
  char *id;
  char *text;
  char *error;
  guint flags;
  GStrv keep;
} Seen;

typedef struct {
  GPtrArray *records; /* Seen* */
  guint64 good;
  guint64 bad;
  FwReaderFormat format;
} Result;

static void
seen_free (gpointer data)
{
  Seen *seen = data;
  g_free (seen->id);
  g_free (seen->text);
  g_free (seen->error);
  g_strfreev (seen->keep);
  g_free (seen);
}

static void
result_free (Result *result)
{
  g_ptr_array_unref (result->records);
  g_free (result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Result, result_free)

static char *tmpdir;

static int
make_tmpdir (void **state)
{
  tmpdir = g_dir_make_tmp ("fw-test-reader-XXXXXX", NULL);
  return tmpdir ? 0 : -1;
}

static int
remove_tmpdir (void **state)
{
  GDir *dir = g_dir_open (tmpdir, 0, NULL);
  const char *name;
  while (dir && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (tmpdir, name, NULL);
      g_unlink (path);
    }
  if (dir)
    g_dir_close (dir);
  g_rmdir (tmpdir);
  g_clear_pointer (&tmpdir, g_free);
  return 0;
}

/* Writes @len bytes to a file called @name in the temporary folder. */
static char *
write_temp (const char *name, const char *data, gsize len)
{
  char *path = g_build_filename (tmpdir, name, NULL);
  g_autoptr (GError) error = NULL;
  g_file_set_contents (path, data, (gssize) len, &error);
  assert_null (error);
  return path;
}

/* Reads every record of @reader and checks the accounting. */
static Result *
drain (FwReader *reader)
{
  g_autoptr (FwRecord) record = fw_record_new ();
  g_autoptr (GError) error = NULL;
  Result *result = g_new0 (Result, 1);

  result->records = g_ptr_array_new_with_free_func (seen_free);
  result->format = fw_reader_get_format (reader);
  while (fw_reader_next (reader, record, &error))
    {
      Seen *seen = g_new0 (Seen, 1);
      assert_int_equal (record->number, result->records->len + 1);
      assert_true (record->line >= 1);
      assert_true (record->id->len > 0);
      assert_int_equal (strlen (record->id->str), record->id->len);
      assert_int_equal (strlen (record->text->str), record->text->len); /* no NUL inside */
      seen->number = record->number;
      seen->line = record->line;
      seen->id = g_strdup (record->id->str);
      seen->text = g_strdup (record->text->str);
      seen->error = g_strdup (record->error);
      seen->flags = record->flags;
      seen->keep = g_new0 (char *, record->keep_values->len + 1);
      for (guint i = 0; i < record->keep_values->len; i++)
        seen->keep[i] = g_strdup (((GString *) g_ptr_array_index (record->keep_values, i))->str);
      if (record->error)
        result->bad++;
      else
        result->good++;
      g_ptr_array_add (result->records, seen);
    }
  assert_null (error);
  assert_false (fw_reader_next (reader, record, &error)); /* stays at the end */
  assert_null (error);
  assert_int_equal (fw_reader_get_n_records (reader), result->records->len);
  assert_int_equal (fw_reader_get_n_errors (reader), result->bad);
  assert_int_equal (result->records->len, result->good + result->bad);
  return result;
}

static Result *
read_path (const char *path, const FwReaderOptions *options)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FwReader) reader = fw_reader_new_for_path (path, options, &error);
  if (error)
    fail_msg ("%s", error->message);
  assert_non_null (reader);
  return drain (reader);
}

static Result *
read_bytes (const char *name, const char *data, gsize len, const FwReaderOptions *options)
{
  g_autofree char *path = write_temp (name, data, len);
  return read_path (path, options);
}

#define READ_STRING(name, text, options) read_bytes ((name), (text), strlen (text), (options))

/* Reads @len bytes through a pipe, as from standard input (no name). */
static Result *
read_pipe (const char *data, gsize len, const FwReaderOptions *options)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FwReader) reader = NULL;
  int fds[2];

  assert_true (len < 65536); /* fits in the pipe: no writer thread needed */
  assert_int_equal (pipe (fds), 0);
  assert_int_equal (write (fds[1], data, len), (ssize_t) len);
  close (fds[1]);
  reader = fw_reader_new_for_fd (fds[0], NULL, options, &error);
  if (error)
    fail_msg ("%s", error->message);
  Result *result = drain (reader);
  close (fds[0]);
  return result;
}

/* The error of a constructor that must fail. */
static GError *
open_error (const char *path, const FwReaderOptions *options)
{
  GError *error = NULL;
  FwReader *reader = fw_reader_new_for_path (path, options, &error);
  assert_null (reader);
  assert_non_null (error);
  return error;
}

static Seen *
nth (Result *result, guint number)
{
  assert_true (number >= 1 && number <= result->records->len);
  return g_ptr_array_index (result->records, number - 1);
}

static void
assert_good (Result *result, guint number, guint64 line, const char *id, const char *text)
{
  Seen *seen = nth (result, number);
  if (seen->error)
    fail_msg ("record %u: unexpected error: %s", number, seen->error);
  assert_int_equal (seen->line, line);
  assert_string_equal (seen->id, id);
  assert_string_equal (seen->text, text);
}

static void
assert_bad (Result *result, guint number, guint64 line, const char *id, const char *reason)
{
  Seen *seen = nth (result, number);
  assert_non_null (seen->error);
  assert_int_equal (seen->line, line);
  assert_string_equal (seen->id, id);
  assert_string_equal (seen->error, reason);
  assert_string_equal (seen->text, "");
}

static void
assert_counts (Result *result, guint64 good, guint64 bad)
{
  assert_int_equal (result->good, good);
  assert_int_equal (result->bad, bad);
}

/* ---- CSV ------------------------------------------------------------------ */

static void
test_csv_reads_crm_export_with_bom_crlf_and_quoted_newlines (void **state)
{
  g_autoptr (Result) result = read_path (DATA "crm-export.csv", NULL);

  assert_int_equal (result->format, FW_READER_FORMAT_CSV);
  assert_counts (result, 4, 0);
  /* The Subject leads the note (default text fields), then the Comments. */
  assert_good (result, 1, 2, "00T001",
               "Call\nCustomer wants a home loan, mainly for the kids' schooling.");
  assert_good (result, 2, 3, "00T002",
               "Meeting\nDiscussed refinancing.\r\n"
               "She said: \"we need the money to buy somewhere bigger\".\r\n"
               "Follow up next week.");
  assert_good (result, 3, 6, "00T003", "Email"); /* an empty part adds no newline */
  assert_good (result, 4, 8, "00T004",
               "Call\nSecurity for the family \xE2\x80\x94 paid in \xE2\x82\xAC, said "
               "\xC2\xABno rush\xC2\xBB.");
}

static void
test_csv_blank_lines_are_not_records (void **state)
{
  g_autoptr (Result) result = READ_STRING ("blank.csv", "\nId,Note\n\n1,a\n   \n2,b\n\n\n", NULL);

  assert_counts (result, 2, 0);
  assert_good (result, 1, 4, "1", "a");
  assert_good (result, 2, 6, "2", "b");
}

static void
test_csv_header_names_match_without_case_or_separators (void **state)
{
  g_autoptr (Result) first = READ_STRING ("a.csv", "NOTE_ID,owner,NOTES\n7,Ana,hello\n", NULL);
  g_autoptr (Result) second
    = READ_STRING ("b.csv", "Note Id,Record-Id,Description\nn1,r1,hi\n", NULL);

  assert_good (first, 1, 2, "7", "hello");
  assert_good (second, 1, 2, "n1", "hi"); /* NoteId comes before RecordId */
}

static void
test_csv_without_id_column_numbers_the_records (void **state)
{
  g_autoptr (Result) result = READ_STRING ("noid.csv", "Owner,Body\nAna,x\nBen,y\n", NULL);

  assert_good (result, 1, 2, "1", "x");
  assert_good (result, 2, 3, "2", "y");
}

static void
test_csv_empty_id_is_the_record_number (void **state)
{
  g_autoptr (Result) result = READ_STRING ("emptyid.csv", "Id,Body\nA7,x\n,y\n", NULL);

  assert_good (result, 1, 2, "A7", "x");
  assert_good (result, 2, 3, "2", "y");
}

static void
test_csv_without_text_column_fails_naming_the_header (void **state)
{
  g_autoptr (GError) error = open_error (DATA "no-text-column.csv", NULL);

  assert_true (g_error_matches (error, FW_ERROR, FW_ERROR_INPUT));
  assert_string_equal (error->message, DATA "no-text-column.csv:1: no text column found; "
                                            "the header has: Id, Owner, Created");
}

/* Without --text-field: the product and subject lead the note when the
 * export has them (they often say what the need is), then the first body
 * column; a body column is still required. */
static void
test_csv_default_text_leads_with_product_and_subject (void **state)
{
  g_autoptr (Result) result = READ_STRING ("lead.csv",
                                           "Id,Subject,Owner,Description,Product\r\n"
                                           "1,Refi enquiry,Ana,Wants a lower rate.,Home Loan\r\n"
                                           "2,,Ben,Left voicemail.,\r\n",
                                           NULL);
  assert_counts (result, 2, 0);
  assert_good (result, 1, 2, "1", "Home Loan\nRefi enquiry\nWants a lower rate.");
  assert_good (result, 2, 3, "2", "Left voicemail."); /* empty lead fields add nothing */

  g_autofree char *path = NULL;
  int fd = g_file_open_tmp ("lead-only-XXXXXX.csv", &path, NULL);
  assert_true (fd >= 0);
  const char *header_only_lead = "Id,Subject,Product\n1,Call,Home Loan\n";
  assert_true (write (fd, header_only_lead, strlen (header_only_lead)) == (ssize_t) strlen (header_only_lead));
  close (fd);
  g_autoptr (GError) error = open_error (path, NULL);
  g_unlink (path);
  assert_true (strstr (error->message, "no text column found; the header has: Id, Subject, Product") != NULL);
}

static void
test_jsonl_default_text_leads_with_product_and_subject (void **state)
{
  g_autoptr (Result) result = READ_STRING ("lead.jsonl",
                                           "{\"id\":1,\"body\":\"Needs a ute.\",\"title\":\"Ute finance\",\"product\":\"Car Loan\"}\n"
                                           "{\"id\":2,\"subject\":\"Call\"}\n",
                                           NULL);
  assert_counts (result, 1, 1);
  assert_good (result, 1, 1, "1", "Car Loan\nUte finance\nNeeds a ute.");
}

static void
test_csv_given_text_fields_are_joined_with_newlines (void **state)
{
  const char *text_fields[] = { "title", "BODY", NULL };
  FwReaderOptions options = { .text_fields = text_fields };
  g_autoptr (Result) result = read_path (DATA "title-body.csv", &options);

  assert_good (result, 1, 2, "1", "Home loan\nNeeds money, to buy a house");
  assert_good (result, 2, 3, "2", "Only a body"); /* the empty title adds nothing */
}

static void
test_csv_given_column_missing_fails_naming_the_header (void **state)
{
  const char *text_fields[] = { "Bdy", NULL };
  const char *id_fields[] = { "Ticket", NULL };
  const char *keep_fields[] = { "Region", NULL };
  FwReaderOptions text = { .text_fields = text_fields };
  FwReaderOptions id = { .id_fields = id_fields };
  FwReaderOptions keep = { .keep_fields = keep_fields };
  g_autoptr (GError) text_error = open_error (DATA "title-body.csv", &text);
  g_autoptr (GError) id_error = open_error (DATA "title-body.csv", &id);
  g_autoptr (GError) keep_error = open_error (DATA "title-body.csv", &keep);

  assert_string_equal (text_error->message, DATA "title-body.csv:1: no column named 'Bdy'; "
                                                 "the header has: Id, Title, Body, Owner, Stage");
  assert_string_equal (id_error->message, DATA "title-body.csv:1: no column named 'Ticket'; "
                                               "the header has: Id, Title, Body, Owner, Stage");
  assert_string_equal (keep_error->message, DATA "title-body.csv:1: no column named 'Region'; "
                                                 "the header has: Id, Title, Body, Owner, Stage");
}

static void
test_csv_given_id_field_replaces_the_usual_names (void **state)
{
  const char *id_fields[] = { "owner", NULL };
  FwReaderOptions options = { .id_fields = id_fields };
  g_autoptr (Result) result = read_path (DATA "title-body.csv", &options);

  assert_good (result, 1, 2, "Ana", "Home loan\nNeeds money, to buy a house");
}

static void
test_csv_keep_fields_follow_the_keep_list (void **state)
{
  const char *keep_fields[] = { "stage", "OWNER", NULL };
  FwReaderOptions options = { .keep_fields = keep_fields };
  g_autoptr (Result) result = read_path (DATA "title-body.csv", &options);

  assert_string_equal (nth (result, 1)->keep[0], "won");
  assert_string_equal (nth (result, 1)->keep[1], "Ana");
  assert_string_equal (nth (result, 2)->keep[0], "lost");
  assert_string_equal (nth (result, 2)->keep[1], "Ben");
  assert_null (nth (result, 2)->keep[2]);
}

static void
test_csv_ragged_rows_are_error_records_and_reading_goes_on (void **state)
{
  g_autoptr (Result) result = read_path (DATA "ragged.csv", NULL);

  assert_counts (result, 2, 2);
  assert_good (result, 1, 2, "1", "fine");
  assert_bad (result, 2, 3, "2", "row has 2 fields, header has 3");
  assert_bad (result, 3, 4, "3", "row has 5 fields, header has 3");
  assert_good (result, 4, 5, "4", "also fine");
}

static void
test_csv_unterminated_quote_at_eof_costs_only_its_record (void **state)
{
  g_autoptr (Result) result = read_path (DATA "unterminated-quote.csv", NULL);

  assert_counts (result, 3, 1);
  assert_good (result, 1, 2, "1", "first note");
  assert_bad (result, 2, 3, "2", "unterminated quoted field at end of input");
  /* the lines the open quote swallowed are read again */
  assert_good (result, 3, 4, "3", "third note");
  assert_good (result, 4, 5, "4", "fourth note");
}

static void
test_csv_quote_left_open_mid_file_does_not_merge_rows (void **state)
{
  g_autoptr (Result) result = read_path (DATA "stray-quote.csv", NULL);

  assert_counts (result, 3, 1);
  assert_bad (result, 2, 3, "2",
              "unescaped quote at line 4, column 3; a quote opened before it may not be closed");
  assert_good (result, 3, 4, "3", "normal note");
  assert_good (result, 4, 5, "4", "plain note");
}

static void
test_csv_stray_quotes_within_one_line_are_read_literally (void **state)
{
  g_autoptr (Result) result = read_path (DATA "stray-quote.csv", NULL);

  assert_good (result, 1, 2, "1", "He said \"yes\" straight away");
  assert_int_equal (nth (result, 1)->flags, FW_RECORD_QUOTES_REPAIRED);
  assert_int_equal (nth (result, 3)->flags, 0);
}

static void
test_csv_stray_quote_that_breaks_the_row_is_an_error (void **state)
{
  g_autoptr (Result) result
    = READ_STRING ("stray.csv", "Id,Note\n1,\"a \"b\", c\"\n2,ab\"c\"d,x\n3,ok\n", NULL);

  assert_counts (result, 1, 2);
  assert_bad (result, 1, 2, "1", "unescaped quote at column 6");
  assert_bad (result, 2, 3, "2", "unescaped quote at column 5");
  assert_good (result, 3, 4, "3", "ok");
}

static void
test_csv_record_over_the_cap_is_an_error_and_reading_resumes (void **state)
{
  FwReaderOptions options = { .max_record = 64 };
  g_autofree char *long_line = g_strnfill (100, 'x');
  g_autofree char *input = g_strconcat ("Id,Note\n",
                                        "1,", long_line, "\n",              /* one long line */
                                        "2,\"open\n3,a\n4,b\n5,c\n6,d\n7,e\n" /* runs over 64 */
                                        "8,f\n9,g\n10,h\n11,i\n12,j\n13,k\n14,l\n15,m\n"
                                        "16,n\n17,o\n18,p\n19,q\n20,r\n",
                                        NULL);
  g_autoptr (Result) result = READ_STRING ("cap.csv", input, &options);

  assert_bad (result, 1, 2, "1", "record exceeds 64 bytes");
  assert_bad (result, 2, 3, "2", "record exceeds 64 bytes");
  /* the swallowed lines are rows again */
  assert_good (result, 3, 4, "3", "a");
  assert_good (result, 20, 21, "20", "r");
  assert_counts (result, 18, 2);
}

static void
test_csv_record_over_16_mib_is_an_error (void **state)
{
  gsize big = 17 * 1024 * 1024;
  GString *input = g_string_new ("Id,Note\n1,");
  g_string_set_size (input, input->len + big);
  memset (input->str + strlen ("Id,Note\n1,"), 'a', big);
  g_string_append (input, "\n2,after\n");
  g_autoptr (Result) result = read_bytes ("big.csv", input->str, input->len, NULL);
  g_string_free (input, TRUE);

  assert_bad (result, 1, 2, "1", "record exceeds 16 MiB");
  assert_good (result, 2, 3, "2", "after");
}

static void
test_csv_semicolons_from_excel_sep_line (void **state)
{
  g_autoptr (Result) result = read_path (DATA "excel-semicolon.csv", NULL);

  assert_counts (result, 2, 0);
  assert_good (result, 1, 3, "1", "Wants a loan, for the kids");
  assert_good (result, 2, 4, "2", "Plain");
}

static void
test_csv_delimiter_is_sniffed_from_the_header (void **state)
{
  g_autoptr (Result) semicolons = READ_STRING ("semi.csv", "Id;Note\n1;a, b, c\n", NULL);
  g_autoptr (Result) tabs = READ_STRING ("tabs.tsv", "Id\tNote\n1\ta, b; c\n", NULL);

  assert_good (semicolons, 1, 2, "1", "a, b, c");
  assert_good (tabs, 1, 2, "1", "a, b; c");
}

static void
test_csv_nul_bytes_become_spaces_and_are_flagged (void **state)
{
  static const char input[] = "Id,Note\n1,\"a\0b\"\n2,c\n";
  g_autoptr (Result) result = read_bytes ("nul.csv", input, sizeof input - 1, NULL);

  assert_good (result, 1, 2, "1", "a b");
  assert_int_equal (nth (result, 1)->flags, FW_RECORD_NUL_REPLACED);
  assert_good (result, 2, 3, "2", "c");
  assert_int_equal (nth (result, 2)->flags, 0);
}

static void
test_csv_invalid_utf8_passes_through (void **state)
{
  g_autoptr (Result) result = READ_STRING ("latin1.csv", "Id,Note\n1,caf\xE9 \xFF\n", NULL);

  assert_good (result, 1, 2, "1", "caf\xE9 \xFF");
  assert_int_equal (nth (result, 1)->flags, 0);
}

static void
test_csv_empty_input_gives_no_records (void **state)
{
  g_autoptr (Result) result = read_path (DATA "empty.csv", NULL);

  assert_int_equal (result->records->len, 0);
}

static void
test_csv_header_only_gives_no_records (void **state)
{
  g_autoptr (Result) result = READ_STRING ("header.csv", "Id,Note\r\n", NULL);

  assert_int_equal (result->records->len, 0);
}

static void
test_csv_last_row_without_newline_is_read (void **state)
{
  g_autoptr (Result) result = READ_STRING ("last.csv", "Id,Note\n1,\"x, y\"", NULL);

  assert_good (result, 1, 2, "1", "x, y");
}

static void
test_csv_lone_cr_ends_lines (void **state)
{
  g_autoptr (Result) result = READ_STRING ("mac.csv", "Id,Note\r1,a\r2,\"b\rc\"\r3,d", NULL);

  assert_good (result, 1, 2, "1", "a");
  assert_good (result, 2, 3, "2", "b\rc");
  assert_good (result, 3, 5, "3", "d");
}

static void
test_csv_header_with_broken_quote_fails (void **state)
{
  g_autofree char *path = write_temp ("badheader.csv", "Id,\"Note\n1,x\n", 13);
  g_autoptr (GError) error = open_error (path, NULL);
  g_autofree char *expected
    = g_strconcat (path, ":1: cannot read the header: unterminated quoted field at end of input",
                   NULL);

  assert_true (g_error_matches (error, FW_ERROR, FW_ERROR_INPUT));
  assert_string_equal (error->message, expected);
}

/* Reading in chunks of any size, down to a byte, gives the same records:
 * lines, quotes, CRLF pairs and the byte order mark split across reads. */
static void
test_records_do_not_depend_on_the_read_size (void **state)
{
  static const char *const files[] = {
    "crm-export.csv", "stray-quote.csv", "unterminated-quote.csv", "ragged.csv",
    "excel-semicolon.csv", "deal-notes.jsonl", "call-notes.txt",
  };
  static const gsize sizes[] = { 1, 2, 3, 4, 5, 7, 11, 64 };

  for (guint f = 0; f < G_N_ELEMENTS (files); f++)
    {
      g_autofree char *path = g_strconcat (DATA, files[f], NULL);
      g_autoptr (Result) expected = read_path (path, NULL);
      for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
        {
          FwReaderOptions options = { .read_size = sizes[s] };
          g_autoptr (Result) result = read_path (path, &options);
          assert_int_equal (result->records->len, expected->records->len);
          for (guint i = 1; i <= expected->records->len; i++)
            {
              Seen *a = nth (expected, i), *b = nth (result, i);
              assert_int_equal (a->line, b->line);
              assert_string_equal (a->id, b->id);
              assert_string_equal (a->text, b->text);
              assert_int_equal (a->error == NULL, b->error == NULL);
              assert_int_equal (a->flags, b->flags);
            }
        }
    }
}

/* ---- JSON Lines ---------------------------------------------------------------- */

static void
test_jsonl_reads_ids_and_texts (void **state)
{
  g_autoptr (Result) result = read_path (DATA "deal-notes.jsonl", NULL);

  assert_int_equal (result->format, FW_READER_FORMAT_JSONL);
  assert_good (result, 1, 1, "101", "Wants a mortgage so the kids have a yard.");
  assert_good (result, 2, 3, "n-102", "Keys match without regard to case.");
}

static void
test_jsonl_blank_and_comment_lines_are_not_records (void **state)
{
  g_autoptr (Result) result = read_path (DATA "deal-notes.jsonl", NULL);

  /* 11 lines: one blank, one comment */
  assert_int_equal (result->records->len, 9);
  assert_counts (result, 4, 5);
}

static void
test_jsonl_truncated_line_is_an_error_record (void **state)
{
  g_autoptr (Result) result = read_path (DATA "deal-notes.jsonl", NULL);

  assert_bad (result, 3, 5, "3", "truncated json: the line ends inside a string");
}

static void
test_jsonl_line_that_is_not_an_object_is_an_error_record (void **state)
{
  g_autoptr (Result) result = read_path (DATA "deal-notes.jsonl", NULL);

  assert_bad (result, 4, 6, "4", "not a json object but an array");
}

static void
test_jsonl_deep_nesting_is_an_error_record (void **state)
{
  g_autoptr (Result) result = read_path (DATA "deal-notes.jsonl", NULL);

  assert_bad (result, 5, 7, "5", "json nested deeper than 64 levels");
}

static void
test_jsonl_very_deep_nesting_does_not_overflow_the_stack (void **state)
{
  gsize depth = 1000000;
  GString *input = g_string_new ("{\"body\": ");
  for (gsize i = 0; i < depth; i++)
    g_string_append_c (input, '[');
  g_string_append (input, "\n{\"body\": \"next\"}\n");
  g_autoptr (Result) result = read_bytes ("deep.jsonl", input->str, input->len, NULL);
  g_string_free (input, TRUE);

  assert_bad (result, 1, 1, "1", "json nested deeper than 64 levels");
  assert_good (result, 2, 2, "2", "next");
}

static void
test_jsonl_missing_text_field_is_an_error_record (void **state)
{
  g_autoptr (Result) result = read_path (DATA "deal-notes.jsonl", NULL);

  assert_bad (result, 6, 8, "106", "no text field; the keys are: id, owner");
}

static void
test_jsonl_invalid_json_is_an_error_record (void **state)
{
  g_autoptr (Result) result = read_path (DATA "deal-notes.jsonl", NULL);

  assert_bad (result, 7, 9, "7", "not valid json: unexpected identifier `not', expected value");
}

static void
test_jsonl_last_line_without_newline_is_a_record (void **state)
{
  g_autoptr (Result) result = read_path (DATA "deal-notes.jsonl", NULL);

  assert_good (result, 9, 11, "109", "No newline after the last line.");
}

static void
test_jsonl_numbers_and_booleans_are_printed_as_text (void **state)
{
  const char *keep_fields[] = { "owner", "won", "score", "missing", NULL };
  FwReaderOptions options = { .keep_fields = keep_fields };
  g_autoptr (Result) result
    = READ_STRING ("values.jsonl",
                   "{\"id\": 108.5, \"body\": 42, \"owner\": {\"name\": \"Di\"}, \"won\": true,"
                   " \"score\": 0.1}\n"
                   "{\"id\": -7, \"body\": false, \"score\": 1e300, \"won\": null}\n",
                   &options);

  assert_good (result, 1, 1, "108.5", "42");
  assert_string_equal (nth (result, 1)->keep[0], "{\"name\":\"Di\"}");
  assert_string_equal (nth (result, 1)->keep[1], "true");
  assert_string_equal (nth (result, 1)->keep[2], "0.1");
  assert_string_equal (nth (result, 1)->keep[3], "");
  assert_good (result, 2, 2, "-7", "false");
  assert_string_equal (nth (result, 2)->keep[1], ""); /* null */
  assert_string_equal (nth (result, 2)->keep[2], "1e+300");
}

static void
test_jsonl_null_text_falls_back_to_the_next_name (void **state)
{
  g_autoptr (Result) result
    = READ_STRING ("null.jsonl",
                   "{\"id\": 1, \"body\": null, \"description\": \"from description\"}\n"
                   "{\"id\": 2, \"body\": null}\n"
                   "{\"id\": 3, \"notes\": [\"a\", \"b\"]}\n",
                   NULL);

  assert_good (result, 1, 1, "1", "from description");
  assert_bad (result, 2, 2, "2", "the text field 'body' is null");
  assert_bad (result, 3, 3, "3", "the text field 'notes' is an array");
}

static void
test_jsonl_given_fields_replace_the_usual_names (void **state)
{
  const char *id_fields[] = { "ticket", NULL };
  const char *text_fields[] = { "subject", "body", NULL };
  FwReaderOptions options = { .id_fields = id_fields, .text_fields = text_fields };
  g_autoptr (Result) result
    = READ_STRING ("given.jsonl",
                   "{\"id\": 1, \"ticket\": \"T-9\", \"subject\": \"Loan\","
                   " \"body\": \"for a house\"}\n"
                   "{\"id\": 2, \"body\": \"no subject, no ticket\"}\n"
                   "{\"id\": 3, \"note\": \"not a given field\"}\n",
                   &options);

  assert_good (result, 1, 1, "T-9", "Loan\nfor a house");
  assert_good (result, 2, 2, "2", "no subject, no ticket");
  assert_bad (result, 3, 3, "3", "no text field; the keys are: id, note");
}

static void
test_jsonl_nul_bytes_and_escapes_become_spaces (void **state)
{
  static const char input[] = "{\"id\": 1, \"body\": \"a\\u0000b\"}\n"
                              "{\"id\": 2, \"body\": \"c\0d\"}\n"
                              "{\"id\": 3, \"body\": \"e\\\\u0000f\"}\n";
  g_autoptr (Result) result = read_bytes ("nul.jsonl", input, sizeof input - 1, NULL);

  assert_good (result, 1, 1, "1", "a b");
  assert_int_equal (nth (result, 1)->flags, FW_RECORD_NUL_REPLACED);
  assert_good (result, 2, 2, "2", "c d");
  assert_int_equal (nth (result, 2)->flags, FW_RECORD_NUL_REPLACED);
  assert_good (result, 3, 3, "3", "e\\u0000f"); /* an escaped backslash, not a NUL */
  assert_int_equal (nth (result, 3)->flags, 0);
}

static void
test_jsonl_invalid_utf8_is_repaired_not_rejected (void **state)
{
  g_autoptr (Result) result
    = READ_STRING ("latin1.jsonl", "{\"id\": 1, \"body\": \"caf\xE9 ok\"}\n", NULL);

  assert_good (result, 1, 1, "1", "caf\xEF\xBF\xBD ok");
  assert_int_equal (nth (result, 1)->flags, FW_RECORD_UTF8_REPAIRED);
}

static void
test_jsonl_two_values_on_a_line_is_an_error_record (void **state)
{
  g_autoptr (Result) result
    = READ_STRING ("two.jsonl", "{\"body\": \"a\"}{\"body\": \"b\"}\n{\"body\": \"c\"} \n", NULL);

  assert_bad (result, 1, 1, "1", "unexpected data after the json value at column 14");
  assert_good (result, 2, 2, "2", "c");
}

static void
test_jsonl_huge_number_id_is_an_error_record (void **state)
{
  g_autoptr (Result) result
    = READ_STRING ("bigid.jsonl",
                   "{\"id\": 12345678901234567890, \"body\": \"x\"}\n"
                   "{\"id\": 1234567890123456789, \"body\": \"y\"}\n"
                   "{\"id\": 1e999, \"body\": \"z\"}\n",
                   NULL);

  assert_bad (result, 1, 1, "1",
              "the id is a number too large to read exactly; export it as a string");
  assert_good (result, 2, 2, "1234567890123456789", "y");
  assert_bad (result, 3, 3, "3",
              "the id is a number too large to read exactly; export it as a string");
}

static void
test_jsonl_line_over_the_cap_is_an_error_record (void **state)
{
  FwReaderOptions options = { .max_record = 100 };
  g_autofree char *long_text = g_strnfill (200, 'x');
  g_autofree char *input = g_strconcat ("{\"id\": 1, \"body\": \"", long_text, "\"}\n"
                                        "{\"id\": 2, \"body\": \"short\"}\n",
                                        NULL);
  g_autoptr (Result) result = READ_STRING ("cap.jsonl", input, &options);

  assert_bad (result, 1, 1, "1", "record exceeds 100 bytes");
  assert_good (result, 2, 2, "2", "short");
}

static void
test_jsonl_array_input_fails (void **state)
{
  g_autofree char *path = write_temp ("array.json", "[\n {\"body\": \"x\"}\n]\n", 19);
  g_autoptr (GError) error = open_error (path, NULL);
  g_autofree char *expected
    = g_strconcat (path, ": input is a json array, not json lines (one object per line); "
                         "convert it with jq -c '.[]'",
                   NULL);

  assert_true (g_error_matches (error, FW_ERROR, FW_ERROR_INPUT));
  assert_string_equal (error->message, expected);
}

static void
test_jsonl_empty_input_gives_no_records (void **state)
{
  g_autoptr (Result) result = read_path (DATA "empty.jsonl", NULL);

  assert_int_equal (result->format, FW_READER_FORMAT_JSONL);
  assert_int_equal (result->records->len, 0);
}

/* ---- Plain text ------------------------------------------------------------------ */

static void
test_text_whole_input_is_one_note (void **state)
{
  g_autoptr (Result) result = read_path (DATA "call-notes.txt", NULL);

  assert_int_equal (result->format, FW_READER_FORMAT_TEXT);
  assert_counts (result, 1, 0);
  assert_good (result, 1, 2, DATA "call-notes.txt:2",
               "Called Ana about the home loan.\n"
               "She needs the money for a bigger place.\n\n\n"
               "Second call: it is for the kids, mostly.\n   \n"
               "Third call.");
}

static void
test_text_blocks_are_notes (void **state)
{
  FwReaderOptions options = { .text_blocks = TRUE };
  g_autoptr (Result) result = read_path (DATA "call-notes.txt", &options);

  assert_counts (result, 3, 0);
  assert_good (result, 1, 2, DATA "call-notes.txt:2",
               "Called Ana about the home loan.\nShe needs the money for a bigger place.");
  assert_good (result, 2, 6, DATA "call-notes.txt:6", "Second call: it is for the kids, mostly.");
  assert_good (result, 3, 8, DATA "call-notes.txt:8", "Third call.");
}

static void
test_text_blank_input_gives_no_records (void **state)
{
  g_autoptr (Result) result = READ_STRING ("blank.txt", "\n  \n\t\n", NULL);

  assert_int_equal (result->records->len, 0);
}

static void
test_text_note_over_the_cap_is_an_error_record (void **state)
{
  FwReaderOptions options = { .text_blocks = TRUE, .max_record = 16 };
  g_autoptr (Result) result
    = READ_STRING ("cap.txt", "short\n\nthis block is longer\nthan sixteen bytes\n\nlast\n",
                   &options);
  g_autofree char *path = g_build_filename (tmpdir, "cap.txt", NULL);
  g_autofree char *first = g_strconcat (path, ":1", NULL);
  g_autofree char *second = g_strconcat (path, ":3", NULL);
  g_autofree char *third = g_strconcat (path, ":6", NULL);

  assert_good (result, 1, 1, first, "short");
  assert_bad (result, 2, 3, second, "record exceeds 16 bytes");
  assert_good (result, 3, 6, third, "last");
}

/* ---- Detection and failures ------------------------------------------------------ */

static void
test_format_follows_the_extension (void **state)
{
  g_autoptr (Result) csv = READ_STRING ("notes.CSV", "Id,Note\n1,a\n", NULL);
  g_autoptr (Result) jsonl = READ_STRING ("notes.ndjson", "{\"note\": \"a\"}\n", NULL);
  g_autoptr (Result) text = READ_STRING ("notes.txt", "Id,Note\n1,a\n", NULL);

  assert_int_equal (csv->format, FW_READER_FORMAT_CSV);
  assert_int_equal (jsonl->format, FW_READER_FORMAT_JSONL);
  assert_int_equal (text->format, FW_READER_FORMAT_TEXT); /* .txt wins over the content */
}

static void
test_format_is_sniffed_from_the_first_bytes (void **state)
{
  static const char json[] = "\n{\"id\": 1, \"note\": \"a\"}\n";
  static const char csv[] = "\xEF\xBB\xBF" "Id;Owner;Notes\r\n1;Ana;\"a, b\"\r\n";
  static const char sentence[] = "Called Bob, he wants a loan, for the kids.\nHe agreed.\n";
  static const char table[] = "a,b,c\n1,2,3\n";
  g_autoptr (Result) from_json = read_pipe (json, sizeof json - 1, NULL);
  g_autoptr (Result) from_csv = read_pipe (csv, sizeof csv - 1, NULL);
  g_autoptr (Result) from_sentence = read_pipe (sentence, sizeof sentence - 1, NULL);
  g_autoptr (GError) error = NULL;
  FwReader *reader;
  int fds[2];

  assert_int_equal (from_json->format, FW_READER_FORMAT_JSONL);
  assert_good (from_json, 1, 2, "1", "a");
  assert_int_equal (from_csv->format, FW_READER_FORMAT_CSV);
  assert_good (from_csv, 1, 2, "1", "a, b");
  assert_int_equal (from_sentence->format, FW_READER_FORMAT_TEXT);
  assert_good (from_sentence, 1, 1, "-:1",
               "Called Bob, he wants a loan, for the kids.\nHe agreed.");

  /* a table whose header names no text column is still a table */
  assert_int_equal (pipe (fds), 0);
  assert_int_equal (write (fds[1], table, sizeof table - 1), (ssize_t) sizeof table - 1);
  close (fds[1]);
  reader = fw_reader_new_for_fd (fds[0], "stdin", NULL, &error);
  close (fds[0]);
  assert_null (reader);
  assert_string_equal (error->message, "stdin:1: no text column found; the header has: a, b, c");
}

static void
test_input_that_is_not_text_fails (void **state)
{
  static const struct {
    const char *name;
    const char *data;
    gsize len;
    const char *message;
  } cases[] = {
    { "utf16.csv", "\xFF\xFEI\0d\0,\0N\0o\0t\0e\0\n\0", 18,
      ": input is utf-16; save or export it as utf-8" },
    { "notes.csv.gz", "\x1F\x8B\x08\0\0\0\0\0", 8,
      ": input is gzip-compressed; decompress it first (zcat)" },
    { "notes.xlsx", "PK\x03\x04\x14\0\0\0", 8,
      ": input is a zip archive (an excel workbook?); export it as csv" },
    { "utf16-no-bom.csv", "I\0d\0,\0N\0o\0t\0e\0\n\0" "1\0,\0a\0\n\0", 24,
      ": input is binary or utf-16 (12 nul bytes in the first 24); "
      "save or export it as utf-8 text" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = write_temp (cases[i].name, cases[i].data, cases[i].len);
      g_autoptr (GError) error = open_error (path, NULL);
      g_autofree char *expected = g_strconcat (path, cases[i].message, NULL);
      assert_true (g_error_matches (error, FW_ERROR, FW_ERROR_INPUT));
      assert_string_equal (error->message, expected);
    }
}

static void
test_missing_file_fails_with_an_io_error (void **state)
{
  g_autoptr (GError) error = open_error (DATA "no-such-file.csv", NULL);

  assert_true (g_error_matches (error, FW_ERROR, FW_ERROR_IO));
  assert_string_equal (error->message,
                       DATA "no-such-file.csv: cannot open: no such file or directory");
}

static void
test_unreadable_input_fails_with_an_io_error (void **state)
{
  g_autoptr (GError) error = open_error (DATA, NULL); /* a folder opens, but read(2) fails */

  assert_true (g_error_matches (error, FW_ERROR, FW_ERROR_IO));
  assert_string_equal (error->message, DATA ": cannot read: is a directory");
}

static void
test_a_record_can_be_reused_across_readers (void **state)
{
  const char *keep_fields[] = { "owner", "stage", NULL };
  FwReaderOptions keep = { .keep_fields = keep_fields };
  g_autoptr (FwReader) first = fw_reader_new_for_path (DATA "title-body.csv", &keep, NULL);
  g_autoptr (FwReader) second = fw_reader_new_for_path (DATA "ragged.csv", NULL, NULL);
  g_autoptr (FwRecord) record = fw_record_new ();

  assert_true (fw_reader_next (first, record, NULL));
  assert_int_equal (record->keep_values->len, 2);
  assert_true (fw_reader_next (second, record, NULL));
  assert_int_equal (record->keep_values->len, 0);
  assert_true (fw_reader_next (second, record, NULL));
  assert_non_null (record->error);
  assert_true (fw_reader_next (second, record, NULL));
  assert_true (fw_reader_next (second, record, NULL)); /* a good record clears the error */
  assert_null (record->error);
  assert_string_equal (record->text->str, "also fine");
  assert_int_equal (record->number, 4);
}

static void
test_format_names_round_trip (void **state)
{
  FwReaderFormat format = FW_READER_FORMAT_AUTO;

  for (FwReaderFormat f = FW_READER_FORMAT_AUTO; f <= FW_READER_FORMAT_TEXT; f++)
    {
      assert_true (fw_reader_format_from_string (fw_reader_format_to_string (f), &format));
      assert_int_equal (format, f);
    }
  assert_true (fw_reader_format_from_string ("NDJSON", &format));
  assert_int_equal (format, FW_READER_FORMAT_JSONL);
  assert_false (fw_reader_format_from_string ("xlsx", &format));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_csv_reads_crm_export_with_bom_crlf_and_quoted_newlines),
    cmocka_unit_test (test_csv_blank_lines_are_not_records),
    cmocka_unit_test (test_csv_header_names_match_without_case_or_separators),
    cmocka_unit_test (test_csv_without_id_column_numbers_the_records),
    cmocka_unit_test (test_csv_empty_id_is_the_record_number),
    cmocka_unit_test (test_csv_without_text_column_fails_naming_the_header),
    cmocka_unit_test (test_csv_given_text_fields_are_joined_with_newlines),
    cmocka_unit_test (test_csv_default_text_leads_with_product_and_subject),
    cmocka_unit_test (test_jsonl_default_text_leads_with_product_and_subject),
    cmocka_unit_test (test_csv_given_column_missing_fails_naming_the_header),
    cmocka_unit_test (test_csv_given_id_field_replaces_the_usual_names),
    cmocka_unit_test (test_csv_keep_fields_follow_the_keep_list),
    cmocka_unit_test (test_csv_ragged_rows_are_error_records_and_reading_goes_on),
    cmocka_unit_test (test_csv_unterminated_quote_at_eof_costs_only_its_record),
    cmocka_unit_test (test_csv_quote_left_open_mid_file_does_not_merge_rows),
    cmocka_unit_test (test_csv_stray_quotes_within_one_line_are_read_literally),
    cmocka_unit_test (test_csv_stray_quote_that_breaks_the_row_is_an_error),
    cmocka_unit_test (test_csv_record_over_the_cap_is_an_error_and_reading_resumes),
    cmocka_unit_test (test_csv_record_over_16_mib_is_an_error),
    cmocka_unit_test (test_csv_semicolons_from_excel_sep_line),
    cmocka_unit_test (test_csv_delimiter_is_sniffed_from_the_header),
    cmocka_unit_test (test_csv_nul_bytes_become_spaces_and_are_flagged),
    cmocka_unit_test (test_csv_invalid_utf8_passes_through),
    cmocka_unit_test (test_csv_empty_input_gives_no_records),
    cmocka_unit_test (test_csv_header_only_gives_no_records),
    cmocka_unit_test (test_csv_last_row_without_newline_is_read),
    cmocka_unit_test (test_csv_lone_cr_ends_lines),
    cmocka_unit_test (test_csv_header_with_broken_quote_fails),
    cmocka_unit_test (test_records_do_not_depend_on_the_read_size),
    cmocka_unit_test (test_jsonl_reads_ids_and_texts),
    cmocka_unit_test (test_jsonl_blank_and_comment_lines_are_not_records),
    cmocka_unit_test (test_jsonl_truncated_line_is_an_error_record),
    cmocka_unit_test (test_jsonl_line_that_is_not_an_object_is_an_error_record),
    cmocka_unit_test (test_jsonl_deep_nesting_is_an_error_record),
    cmocka_unit_test (test_jsonl_very_deep_nesting_does_not_overflow_the_stack),
    cmocka_unit_test (test_jsonl_missing_text_field_is_an_error_record),
    cmocka_unit_test (test_jsonl_invalid_json_is_an_error_record),
    cmocka_unit_test (test_jsonl_last_line_without_newline_is_a_record),
    cmocka_unit_test (test_jsonl_numbers_and_booleans_are_printed_as_text),
    cmocka_unit_test (test_jsonl_null_text_falls_back_to_the_next_name),
    cmocka_unit_test (test_jsonl_given_fields_replace_the_usual_names),
    cmocka_unit_test (test_jsonl_nul_bytes_and_escapes_become_spaces),
    cmocka_unit_test (test_jsonl_invalid_utf8_is_repaired_not_rejected),
    cmocka_unit_test (test_jsonl_two_values_on_a_line_is_an_error_record),
    cmocka_unit_test (test_jsonl_huge_number_id_is_an_error_record),
    cmocka_unit_test (test_jsonl_line_over_the_cap_is_an_error_record),
    cmocka_unit_test (test_jsonl_array_input_fails),
    cmocka_unit_test (test_jsonl_empty_input_gives_no_records),
    cmocka_unit_test (test_text_whole_input_is_one_note),
    cmocka_unit_test (test_text_blocks_are_notes),
    cmocka_unit_test (test_text_blank_input_gives_no_records),
    cmocka_unit_test (test_text_note_over_the_cap_is_an_error_record),
    cmocka_unit_test (test_format_follows_the_extension),
    cmocka_unit_test (test_format_is_sniffed_from_the_first_bytes),
    cmocka_unit_test (test_input_that_is_not_text_fails),
    cmocka_unit_test (test_missing_file_fails_with_an_io_error),
    cmocka_unit_test (test_unreadable_input_fails_with_an_io_error),
    cmocka_unit_test (test_a_record_can_be_reused_across_readers),
    cmocka_unit_test (test_format_names_round_trip),
  };

  return cmocka_run_group_tests (tests, make_tmpdir, remove_tmpdir);
}
