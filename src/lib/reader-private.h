/* reader-private.h: streaming readers for deal notes (CSV, JSON Lines, text).
 *
 * `fivewhys analyze` reads notes exported from a CRM. A reader turns one input
 * (a file or a descriptor) into records, one at a time, in input order, with
 * memory bounded by the longest record allowed (max_record, 16 MiB) whatever
 * the size of the input.
 *
 *   g_autoptr (FwReader) reader = fw_reader_new_for_path ("notes.csv", NULL, &error);
 *   g_autoptr (FwRecord) record = fw_record_new ();
 *   while (fw_reader_next (reader, record, &error))
 *     if (record->error)
 *       g_printerr ("%s:%" G_GUINT64_FORMAT ": %s\n",
 *                   fw_reader_get_name (reader), record->line, record->error);
 *     else
 *       analyze (record->id->str, record->text->str, record->text->len);
 *   if (error) ... an I/O error: exit 4
 *
 * Every record is counted: fw_reader_next() returns TRUE once per record,
 * numbered 1, 2, 3... with no gaps, and a record that cannot be read is
 * returned with @error set rather than dropped. So records returned ==
 * fw_reader_get_n_records() == records with error NULL + fw_reader_get_n_errors().
 * Blank lines (and, in JSON Lines, lines starting with '#') are not records;
 * neither is a CSV header. Input that is empty or blank gives no records.
 *
 * Formats:
 *
 * - CSV as CRMs export it (RFC 4180): a header row; quoted fields holding
 *   delimiters, doubled quotes and line breaks; CRLF, LF or CR line ends; a
 *   UTF-8 byte order mark; ',' ';' or tab as delimiter, taken from Excel's
 *   "sep=;" first line or else from the header line; spaces around unquoted
 *   fields are trimmed. A row whose field count differs from the header's is
 *   an error record ("row has 3 fields, header has 5"). Quoting is read
 *   strictly so that a quote left open cannot silently merge the rows after it
 *   into one record. A one-line row with a stray quote that reads cleanly when
 *   the quote is taken literally (`5,"he said "hi" to me",x`) is accepted with
 *   FW_RECORD_QUOTES_REPAIRED; otherwise the record is an error ("unescaped
 *   quote at line 7, column 12", "unterminated quoted field at end of input",
 *   "record exceeds 16 MiB") and reading starts again at the line after the
 *   record's first line, so the rows a broken quote swallowed are read again
 *   as records of their own. A row whose quoting is sound but which ends past
 *   max_record, over several lines, is an error record and is skipped whole.
 *
 * - JSON Lines: one object per line. A line that is not JSON, is truncated, is
 *   not an object, holds more than one value, nests deeper than 64 levels or
 *   has no text field is an error record with its line number. The last line
 *   needs no newline. Lines starting with '#' are comments (as in corpora/).
 *   Invalid UTF-8 is replaced by U+FFFD before parsing (json-glib rejects it)
 *   and flagged FW_RECORD_UTF8_REPAIRED.
 *
 * - TEXT: the whole input is one note, or with text_blocks each block of lines
 *   separated by blank lines is one; the id is "<name>:<first line>".
 *
 * Fields: the id and text are found by name without regard to case, spaces,
 * '_' or '-' ("Note_ID" == "note id" == "NoteId"). The id is the first of
 * id_fields (default: Id, NoteId, ActivityId, RecordId, Key, Number) that the
 * header or object has; with none, or when its value is empty, the record
 * number is the id. The text is every one of text_fields, joined with "\n"
 * (empty ones skipped), or by default the first present of Body, Note, Notes,
 * Description, Comments, Comment, Text, Content, Details, Summary, Message,
 * NoteBody, NoteText. A CSV header lacking the text column, or a column named
 * in id_fields, text_fields or keep_fields, is an error before any record.
 * JSON numbers and booleans used as ids or text are printed as text.
 *
 * Bytes: text is passed through as read, invalid UTF-8 included (the matcher
 * copes; jsonout replaces it on output). NUL bytes would truncate C strings
 * downstream, so every NUL in an id, text or kept value is replaced by a space
 * and the record is flagged FW_RECORD_NUL_REPLACED (in JSON Lines, "\u0000"
 * escapes likewise, since json-glib would cut the string there).
 *
 * Error messages, in GError and in record->error, are one lower-case line;
 * record errors do not repeat the input name or the record's first line, which
 * the caller prints (as in the example above).
 */
#ifndef FW_READER_PRIVATE_H
#define FW_READER_PRIVATE_H

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  FW_READER_FORMAT_AUTO = 0, /* by extension, else by the first bytes */
  FW_READER_FORMAT_CSV,
  FW_READER_FORMAT_JSONL,
  FW_READER_FORMAT_TEXT,
} FwReaderFormat;

/* Things a reader did to a record that the output may want to mention. */
typedef enum {
  FW_RECORD_NUL_REPLACED = 1 << 0,    /* NUL bytes became spaces */
  FW_RECORD_UTF8_REPAIRED = 1 << 1,   /* JSON Lines: invalid UTF-8 became U+FFFD */
  FW_RECORD_QUOTES_REPAIRED = 1 << 2, /* CSV: stray quotes were read literally */
} FwRecordFlags;

#define FW_READER_DEFAULT_MAX_RECORD (16 * 1024 * 1024)
#define FW_READER_DEFAULT_READ_SIZE (256 * 1024)
#define FW_READER_MAX_JSON_DEPTH 64
#define FW_READER_MAX_COLUMNS 4096

/* How to read. A zeroed struct (or NULL) means: detect the format, find the
 * id and text by their usual names, keep nothing. The string vectors are
 * NULL-terminated and copied by the constructor. */
typedef struct {
  FwReaderFormat format;
  const char *const *id_fields;   /* NULL: the usual id names */
  const char *const *text_fields; /* NULL: the usual text names */
  const char *const *keep_fields; /* values to carry to the output */
  char delimiter;     /* CSV: 0 to detect ',' ';' or tab */
  gboolean text_blocks; /* TEXT: a note per blank-line-separated block */
  gsize max_record;   /* 0: FW_READER_DEFAULT_MAX_RECORD bytes */
  gsize read_size;    /* 0: FW_READER_DEFAULT_READ_SIZE; tests use tiny reads */
} FwReaderOptions;

/* One note. fw_reader_next() refills a record in place, reusing its buffers,
 * so a caller may keep a pool of records (one batch per worker thread). */
typedef struct {
  guint64 number;         /* 1-based position among this reader's records */
  guint64 line;           /* 1-based input line where the record starts */
  GString *id;            /* never empty */
  GString *text;          /* may hold invalid UTF-8, never NUL; empty on error */
  GPtrArray *keep_values; /* GString*, one per keep field, parallel to
                             keep_fields; empty when absent or null */
  char *error;            /* NULL, or why the record could not be read */
  guint flags;            /* FwRecordFlags */
} FwRecord;

typedef struct _FwReader FwReader;

FwRecord *fw_record_new (void);
void fw_record_free (FwRecord *record);

/* Opens @path and gets ready to read it: detects the format (the extension
 * .csv/.tsv, .jsonl/.ndjson/.json, .txt/.text, else the first bytes) and, for
 * CSV, reads the header and finds the columns. Returns NULL with FW_ERROR_IO
 * when @path cannot be opened or read, FW_ERROR_INPUT when the input cannot be
 * notes (UTF-16, gzip, a zip or .xlsx, a JSON array, no text column, a named
 * column missing, a header that cannot be read). @options may be NULL. */
FwReader *fw_reader_new_for_path (const char *path, const FwReaderOptions *options,
                                  GError **error);

/* The same for an open descriptor (standard input, a pipe), which is read
 * from its current position and not closed. @name is used in messages, for
 * detection by extension and in TEXT ids; NULL means "-". */
FwReader *fw_reader_new_for_fd (int fd, const char *name, const FwReaderOptions *options,
                                GError **error);

void fw_reader_free (FwReader *reader);

/* Fills @record with the next record. Returns TRUE for a record, bad ones
 * included (record->error set); FALSE at the end of the input, or FALSE with
 * FW_ERROR_IO in @error when reading fails. Never blocks on anything but
 * read(2), and always makes progress: malformed input cannot loop. */
gboolean fw_reader_next (FwReader *reader, FwRecord *record, GError **error);

const char *fw_reader_get_name (FwReader *reader);
/* The format in use, never FW_READER_FORMAT_AUTO. */
FwReaderFormat fw_reader_get_format (FwReader *reader);
guint64 fw_reader_get_n_records (FwReader *reader); /* records returned so far */
guint64 fw_reader_get_n_errors (FwReader *reader);  /* of which had an error */

const char *fw_reader_format_to_string (FwReaderFormat format);
/* "auto", "csv", "jsonl" (or "ndjson", "json"), "text" (or "txt"); FALSE for others. */
gboolean fw_reader_format_from_string (const char *name, FwReaderFormat *format);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwReader, fw_reader_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwRecord, fw_record_free)

G_END_DECLS

#endif /* FW_READER_PRIVATE_H */
