/* fuzz-reader.c: the CSV and JSON Lines readers, as `fivewhys analyze`
 * drives them over a pipe or a file. Built twice: fuzz-csv
 * (FUZZ_READER_FORMAT=FW_READER_FORMAT_CSV) and fuzz-jsonl.
 *
 * The input is put in a memfd and read through fw_reader_new_for_fd. How it
 * is read varies with the input's length, so that the corpus covers every
 * combination: the read size (2, 7, 64 or 4096 bytes, so that lines and
 * quoted fields straddle reads), the record limit (16 MiB or 64 bytes), the
 * fields asked for (the usual names, or id/text/keep fields named), and for
 * CSV sometimes format detection.
 *
 * Checked, as reader-private.h promises: records are numbered 1, 2, 3...
 * with no gaps; they start on strictly increasing lines (reading always
 * moves forward); the counts balance (records == good + errors); an id is
 * never empty; no id, text or kept value holds a NUL; a text is never longer
 * than the record limit; an error record has no text and a one-line message.
 */
#define _GNU_SOURCE
#include "config.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz-common.h"
#include "reader-private.h"

#ifndef FUZZ_READER_FORMAT
#error "define FUZZ_READER_FORMAT"
#endif

static int fd = -1;
static FwRecord *record;

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_fatal_warnings ();
  fd = memfd_create ("fuzz-reader", MFD_CLOEXEC);
  FUZZ_REQUIRE (fd >= 0, "memfd_create failed");
  record = fw_record_new ();
  return 0;
}

static gboolean
has_nul (const GString *s)
{
  return memchr (s->str, '\0', s->len) != NULL;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static const gsize read_sizes[] = { 2, 7, 64, 4096 };
  static const char *const id_fields[] = { "Ticket", "Id", NULL };
  static const char *const text_fields[] = { "Subject", "Body", NULL };
  static const char *const keep_fields[] = { "Owner", NULL };

  FUZZ_REQUIRE (ftruncate (fd, 0) == 0, "ftruncate failed");
  FUZZ_REQUIRE (pwrite (fd, data, size, 0) == (ssize_t)size, "pwrite failed");
  FUZZ_REQUIRE (lseek (fd, 0, SEEK_SET) == 0, "lseek failed");

  FwReaderOptions options = { 0 };
  options.format = FUZZ_READER_FORMAT;
  options.read_size = read_sizes[size % 4];
  options.max_record = (size / 4) % 2 ? 64 : 0;
  switch ((size / 8) % 4)
    {
    case 1:
      options.text_fields = text_fields;
      break;
    case 2:
      options.id_fields = id_fields;
      options.keep_fields = keep_fields;
      break;
    case 3:
      options.text_fields = text_fields;
      options.keep_fields = keep_fields;
      break;
    default:
      break;
    }
  if (FUZZ_READER_FORMAT == FW_READER_FORMAT_CSV && (size / 32) % 4 == 0)
    options.format = FW_READER_FORMAT_AUTO;
  gsize max_record = options.max_record ? options.max_record : FW_READER_DEFAULT_MAX_RECORD;

  GError *error = NULL;
  FwReader *reader = fw_reader_new_for_fd (fd, "input", &options, &error);
  if (reader == NULL)
    {
      FUZZ_ASSERT (error != NULL && error->domain == FW_ERROR
                       && (error->code == FW_ERROR_INPUT || error->code == FW_ERROR_IO),
                   "a reader that fails must say why");
      FUZZ_ASSERT (strchr (error->message, '\n') == NULL, "a message of several lines: %s", error->message);
      g_error_free (error);
      return 0;
    }
  FUZZ_ASSERT (fw_reader_get_format (reader) != FW_READER_FORMAT_AUTO, "format not settled");

  guint64 n = 0, n_errors = 0, last_line = 0;
  gsize lines = 1;
  for (gsize i = 0; i < size; i++)
    lines += data[i] == '\n' || data[i] == '\r';
  while (fw_reader_next (reader, record, &error))
    {
      n++;
      FUZZ_ASSERT (record->number == n, "record %" G_GUINT64_FORMAT " numbered %" G_GUINT64_FORMAT, n, record->number);
      FUZZ_ASSERT (record->line > last_line,
                   "record %" G_GUINT64_FORMAT " starts on line %" G_GUINT64_FORMAT
                   ", not after line %" G_GUINT64_FORMAT,
                   n, record->line, last_line);
      last_line = record->line;
      FUZZ_ASSERT (n <= lines, "more records (%" G_GUINT64_FORMAT ") than lines (%zu)", n, (size_t)lines);
      FUZZ_ASSERT (record->id->len > 0, "record %" G_GUINT64_FORMAT " has no id", n);
      FUZZ_ASSERT (!has_nul (record->id) && !has_nul (record->text), "a NUL in record %" G_GUINT64_FORMAT, n);
      FUZZ_ASSERT (record->text->len <= max_record, "text of %zu bytes over the limit", (size_t)record->text->len);
      for (guint k = 0; k < record->keep_values->len; k++)
        FUZZ_ASSERT (!has_nul (g_ptr_array_index (record->keep_values, k)), "a NUL in a kept value");
      if (record->error != NULL)
        {
          n_errors++;
          FUZZ_ASSERT (record->text->len == 0, "an error record with text");
          FUZZ_ASSERT (record->error[0] != '\0' && strchr (record->error, '\n') == NULL,
                       "error message '%s' is not one line", record->error);
        }
    }
  FUZZ_ASSERT (error == NULL, "a memfd read failed: %s", error->message);
  FUZZ_ASSERT (fw_reader_get_n_records (reader) == n,
               "reader counts %" G_GUINT64_FORMAT " records, %" G_GUINT64_FORMAT " returned",
               fw_reader_get_n_records (reader), n);
  FUZZ_ASSERT (fw_reader_get_n_errors (reader) == n_errors,
               "reader counts %" G_GUINT64_FORMAT " errors, %" G_GUINT64_FORMAT " returned",
               fw_reader_get_n_errors (reader), n_errors);
  FUZZ_ASSERT (!fw_reader_next (reader, record, &error), "records after the end");
  fw_reader_free (reader);
  return 0;
}
