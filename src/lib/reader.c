/* reader.c: streaming readers for deal notes: CSV, JSON Lines and text.
 *
 * All three formats sit on one line reader. The input is read in large
 * chunks into a buffer; bytes [keep, end) are held, [pos, end) are unread.
 * A line is found with memchr and handed out as offsets into the buffer,
 * which is compacted (everything before keep dropped) or grown when a chunk
 * no longer fits. A line or record longer than max_record is refused before
 * it is held (LINE_TOO_LONG, and the CSV size check), so memory stays under a
 * small multiple of max_record (a record, one more line, a chunk, libcsv's
 * field buffer) however large the input: a few hundred KiB for real notes.
 *
 * CSV rows are fed to libcsv one physical line at a time. That costs a call
 * per line but tells us exactly where each row starts and ends, which gives
 * line numbers and lets a row whose quoting is broken be abandoned and the
 * input read again from the line after the row's first line: keep stays at
 * the row's start until the row is complete, so those bytes are still there.
 */
#include "config.h"

#include "reader-private.h"

#include "fivewhys.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#define MIB (1024 * 1024)

/* Names are compared after normalize_name(): lower case, no ' ', '_', '-'. */
static const char *const default_id_names[] = {
  "id", "noteid", "activityid", "recordid", "key", "number", NULL,
};
/* Unless the caller names the text fields: the lead fields present (a
 * subject says "Refi enquiry", a product "Vehicle Finance", often all a
 * note says of the need), then the first body field present. */
#define N_LEAD_NAMES 13
static const char *const default_text_names[] = {
  "product", "productname", "products", "productline", "producttype",
  "opportunityname", "opportunity", "dealname", "associateddeal", "subject", "title", "topic", "activitysubject",
  "body", "note", "notes", "description", "comments", "comment", "text",
  "content", "details", "summary", "message", "notebody", "notetext", NULL,
};

typedef struct {
  gsize start; /* offset in reader->row */
  gsize len;
} FieldSpan;

/* What a JSON key is to the reader: each is 0, or 1 + its index in the id,
 * text or keep names. */
typedef struct {
  guint id;
  guint text;
  guint keep;
} KeyRoles;

/* JSON Lines files repeat the same keys on every line; remembering this many
 * saves normalizing them again. Past it, keys are looked up each time. */
#define MAX_CACHED_KEYS 1024

struct _FwReader {
  char *name;
  int fd;
  gboolean owns_fd;
  FwReaderFormat format;
  gsize max_record;
  gsize read_size;
  gboolean text_blocks;

  /* The input buffer: [keep, end) is held, [pos, end) is unread, and the
   * search for the end of the line at pos has covered [pos, scan). */
  char *buf;
  gsize size;
  gsize keep;
  gsize pos;
  gsize scan;
  gsize end;
  gboolean eof;
  gboolean done; /* fw_reader_next() has returned FALSE */
  guint64 line;  /* number of the line that starts at pos */

  guint64 n_records;
  guint64 n_errors;

  /* Field names, normalized. id and text names are tried in order. */
  char **id_names;
  char **text_names;
  char **keep_names;
  gboolean text_given; /* text_names came from the caller: join them all */
  guint n_lead;        /* else the first n_lead names are joined when present, then one body */
  guint n_text;
  guint n_keep;

  /* CSV */
  struct csv_parser csv;
  gboolean csv_ready;
  char delimiter;
  guint n_columns;     /* 0: no header (empty input) */
  GPtrArray *header;   /* char*, as written */
  gint id_column;      /* -1: number the records */
  GArray *text_columns; /* guint */
  GArray *keep_columns; /* guint */
  guint8 *wanted;       /* per column: copy its field */
  guint max_stored;     /* fields of a row kept in row/spans */
  GString *row;         /* the wanted fields of the current row */
  GArray *spans;        /* FieldSpan, one per field up to max_stored */
  guint n_fields;       /* fields of the current row, stored or not */
  gboolean row_done;
  gboolean quotes_repaired;
  gboolean has_rewind; /* rewind_pos holds the start of the row's second line */
  gsize rewind_pos;

  /* JSON Lines */
  JsonParser *json;
  GString *scratch;
  GString *key;
  GHashTable *roles; /* key as written -> KeyRoles, for the keys seen so far */
  JsonNode **text_nodes; /* per text name, for the current object */
  const char **text_keys;
  JsonNode **keep_nodes;
};

/* ---- Small helpers ------------------------------------------------------ */

static void
free_gstring (gpointer string)
{
  g_string_free (string, TRUE);
}

/* Appends @name lower-cased, without spaces, '_' and '-', so that "Note_ID",
 * "Note Id" and "noteid" compare equal. */
static void
append_normalized_name (GString *out, const char *name, gsize len)
{
  for (gsize i = 0; i < len; i++)
    {
      char c = name[i];
      if (c == ' ' || c == '_' || c == '-' || c == '\t')
        continue;
      g_string_append_c (out, g_ascii_tolower (c));
    }
}

static char *
normalize_name (const char *name)
{
  GString *out = g_string_sized_new (strlen (name));
  append_normalized_name (out, name, strlen (name));
  return g_string_free (out, FALSE);
}

static char **
normalize_names (const char *const *names)
{
  guint n = names ? g_strv_length ((char **) names) : 0;
  char **out = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    out[i] = normalize_name (names[i]);
  return out;
}

/* Does @needle occur in the @len bytes at @haystack? */
static gboolean
contains_bytes (const char *haystack, gsize len, const char *needle, gsize needle_len)
{
  const char *p = haystack;
  const char *stop = haystack + len;

  if (needle_len == 0)
    return TRUE;
  while ((gsize) (stop - p) >= needle_len
         && (p = memchr (p, needle[0], (gsize) (stop - p) - needle_len + 1)) != NULL)
    {
      if (memcmp (p, needle, needle_len) == 0)
        return TRUE;
      p++;
    }
  return FALSE;
}

static gboolean
is_blank (const char *text, gsize len)
{
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isspace (text[i]))
      return FALSE;
  return TRUE;
}

/* Replaces every NUL byte of @string by a space. Returns whether there was one. */
static gboolean
replace_nuls (GString *string)
{
  gboolean found = FALSE;
  char *p = string->str;
  char *stop = string->str + string->len;
  while ((p = memchr (p, '\0', stop - p)) != NULL)
    {
      *p++ = ' ';
      found = TRUE;
    }
  return found;
}

static void
append_uint64 (GString *out, guint64 value)
{
  char digits[24];
  int n = 0;
  do
    {
      digits[n++] = (char) ('0' + value % 10);
      value /= 10;
    }
  while (value > 0);
  while (n > 0)
    g_string_append_c (out, digits[--n]);
}

static void
append_int64 (GString *out, gint64 value)
{
  if (value < 0)
    {
      g_string_append_c (out, '-');
      append_uint64 (out, (guint64) 0 - (guint64) value);
    }
  else
    append_uint64 (out, (guint64) value);
}

/* Appends @value as JSON would write it: integral values without a point,
 * others with the fewest digits that read back to the same double. */
static void
append_double (GString *out, double value)
{
  static const char *const formats[] = { "%.15g", "%.16g", "%.17g" };
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (value >= -9007199254740992.0 && value <= 9007199254740992.0
      && (double) (gint64) value == value)
    {
      append_int64 (out, (gint64) value);
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buf, sizeof buf, formats[i], value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  g_string_append (out, buf);
}

/* "16 MiB", "64 KiB" or "100 bytes", for messages about max_record. */
static char *
format_size (gsize size)
{
  if (size >= MIB && size % MIB == 0)
    return g_strdup_printf ("%" G_GSIZE_FORMAT " MiB", size / MIB);
  if (size >= 1024 && size % 1024 == 0)
    return g_strdup_printf ("%" G_GSIZE_FORMAT " KiB", size / 1024);
  return g_strdup_printf ("%" G_GSIZE_FORMAT " bytes", size);
}

/* Appends text from the input (a field name, a key, a parser's message
 * quoting the input) to a message: at most @max bytes, cut at a character
 * boundary and then "...", with control characters written as escapes, so
 * that a name holding a line break or a megabyte of text still gives a short
 * one-line message. */
#define NAME_IN_MESSAGE 64
#define PARSER_MESSAGE_IN_MESSAGE 160

static void
append_escaped (GString *out, const char *text, gsize max)
{
  gsize len = strlen (text);
  gsize shown = len;

  if (len > max)
    {
      shown = max;
      while (shown > 0 && ((guchar) text[shown] & 0xC0) == 0x80)
        shown--;
    }
  for (gsize i = 0; i < shown; i++)
    {
      guchar c = (guchar) text[i];
      if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\r')
        g_string_append (out, "\\r");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c < 0x20 || c == 0x7F)
        g_string_append_printf (out, "\\x%02x", c);
      else
        g_string_append_c (out, (char) c);
    }
  if (shown < len)
    g_string_append (out, "...");
}

static void
append_name (GString *out, const char *name)
{
  append_escaped (out, name, NAME_IN_MESSAGE);
}

static char *
too_long_reason (FwReader *reader)
{
  g_autofree char *size = format_size (reader->max_record);
  return g_strdup_printf ("record exceeds %s", size);
}

/* The column (1-based, in characters when the line so far is valid UTF-8)
 * of byte @offset of @line. */
static gsize
column_of (const char *line, gsize offset)
{
  if (g_utf8_validate_len (line, offset, NULL))
    return (gsize) g_utf8_strlen (line, offset) + 1;
  return offset + 1;
}

/* ---- Reading lines ------------------------------------------------------ */

/* Reads the next chunk of input after end, first making room for it: the
 * bytes before keep are dropped (offsets move down) and the buffer grows only
 * when what is held does not leave a chunk free. Sets eof at end of input.
 * Returns FALSE with FW_ERROR_IO when read(2) fails. */
static gboolean
fill (FwReader *reader, GError **error)
{
  if (reader->size - reader->end < reader->read_size)
    {
      if (reader->keep > 0)
        {
          gsize shift = reader->keep;
          memmove (reader->buf, reader->buf + shift, reader->end - shift);
          reader->keep = 0;
          reader->pos -= shift;
          reader->scan -= shift;
          reader->end -= shift;
          if (reader->has_rewind)
            reader->rewind_pos -= shift;
        }
      if (reader->size - reader->end < reader->read_size)
        {
          reader->size = MAX (reader->size * 2, reader->end + reader->read_size);
          reader->buf = g_realloc (reader->buf, reader->size);
        }
    }

  for (;;)
    {
      ssize_t n = read (reader->fd, reader->buf + reader->end, reader->read_size);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;
          g_autofree char *why = g_ascii_strdown (g_strerror (saved), -1);
          g_set_error (error, FW_ERROR, FW_ERROR_IO, "%s: cannot read: %s", reader->name, why);
          return FALSE;
        }
      if (n == 0)
        reader->eof = TRUE;
      reader->end += (gsize) n;
      return TRUE;
    }
}

/* Reads until at least @bytes unread bytes and @lines line ends are held, or
 * 64 KiB, or the end of input. For sniffing the format and the header. */
static gboolean
lookahead (FwReader *reader, gsize bytes, guint lines, GError **error)
{
  while (!reader->eof && reader->end - reader->pos < 64 * 1024)
    {
      gsize held = reader->end - reader->pos;
      if (held >= bytes)
        {
          guint found = 0;
          const char *p = reader->buf + reader->pos;
          const char *stop = reader->buf + reader->end;
          while (found < lines && (p = memchr (p, '\n', stop - p)) != NULL)
            {
              found++;
              p++;
            }
          if (found >= lines)
            break;
        }
      if (!fill (reader, error))
        return FALSE;
    }
  return TRUE;
}

typedef enum {
  LINE_OK,
  LINE_EOF,
  LINE_TOO_LONG, /* the line at pos is longer than max_record: not consumed */
  LINE_FAILED,   /* a read error, in error */
} LineStatus;

typedef struct {
  gsize start;    /* offset in reader->buf, valid until the next read */
  gsize len;      /* without the line end */
  gsize term;     /* bytes of the line end: 1 (LF, CR) or 2 (CRLF), 0 at EOF */
  guint64 number; /* 1-based */
} Line;

/* Looks for the end of the line at pos, from scan on. A line ends with LF,
 * CRLF or a lone CR (as libcsv's rows do). Returns TRUE with the offset of
 * the line end in *stop and its length in *term (0 for a last line without
 * one); FALSE when more input is needed. */
static gboolean
find_line_end (FwReader *reader, gsize *stop, gsize *term)
{
  const char *base = reader->buf;
  gsize from = reader->scan;
  const char *lf = memchr (base + from, '\n', reader->end - from);
  gsize limit = lf ? (gsize) (lf - base) : reader->end;
  const char *cr = memchr (base + from, '\r', limit - from);

  if (cr)
    {
      gsize at = (gsize) (cr - base);
      if (at + 1 < reader->end || reader->eof)
        {
          *stop = at;
          *term = (at + 1 < reader->end && base[at + 1] == '\n') ? 2 : 1;
          return TRUE;
        }
      reader->scan = at; /* is the next byte a LF? */
      return FALSE;
    }
  if (lf)
    {
      *stop = limit;
      *term = 1;
      return TRUE;
    }
  reader->scan = reader->end;
  if (reader->eof)
    {
      *stop = reader->end;
      *term = 0;
      return TRUE;
    }
  return FALSE;
}

/* Hands out the next line and moves past it. Returns LINE_EOF when nothing
 * is left, LINE_TOO_LONG (consuming nothing) for a line longer than
 * max_record, LINE_FAILED on a read error. */
static LineStatus
next_line (FwReader *reader, Line *line, GError **error)
{
  gsize stop, term;

  for (;;)
    {
      if (reader->pos == reader->end && reader->eof)
        return LINE_EOF;
      if (find_line_end (reader, &stop, &term))
        break;
      if (reader->scan - reader->pos > reader->max_record)
        return LINE_TOO_LONG;
      if (!fill (reader, error))
        return LINE_FAILED;
    }
  if (stop - reader->pos > reader->max_record)
    return LINE_TOO_LONG;

  line->start = reader->pos;
  line->len = stop - reader->pos;
  line->term = term;
  line->number = reader->line++;
  reader->pos = reader->scan = stop + term;
  return LINE_OK;
}

/* Consumes the line at pos without holding it, however long it is. */
static gboolean
skip_line (FwReader *reader, GError **error)
{
  gsize stop, term;

  reader->keep = reader->pos;
  while (!find_line_end (reader, &stop, &term))
    {
      reader->keep = reader->pos = reader->scan;
      if (!fill (reader, error))
        return FALSE;
    }
  reader->keep = reader->pos = reader->scan = stop + term;
  reader->line++;
  return TRUE;
}

/* ---- Records -------------------------------------------------------------- */

FwRecord *
fw_record_new (void)
{
  FwRecord *record = g_new0 (FwRecord, 1);
  record->id = g_string_sized_new (32);
  record->text = g_string_sized_new (1024);
  record->keep_values = g_ptr_array_new_with_free_func (free_gstring);
  return record;
}

void
fw_record_free (FwRecord *record)
{
  if (record == NULL)
    return;
  g_string_free (record->id, TRUE);
  g_string_free (record->text, TRUE);
  g_ptr_array_unref (record->keep_values);
  g_free (record->error);
  g_free (record);
}

/* Empties @record for the next record of @reader, which starts at @line. */
static void
record_begin (FwReader *reader, FwRecord *record, guint64 line)
{
  record->number = reader->n_records + 1;
  record->line = line;
  g_string_truncate (record->id, 0);
  g_string_truncate (record->text, 0);
  while (record->keep_values->len > reader->n_keep)
    g_ptr_array_remove_index (record->keep_values, record->keep_values->len - 1);
  while (record->keep_values->len < reader->n_keep)
    g_ptr_array_add (record->keep_values, g_string_new (NULL));
  for (guint i = 0; i < reader->n_keep; i++)
    g_string_truncate (g_ptr_array_index (record->keep_values, i), 0);
  g_clear_pointer (&record->error, g_free);
  record->flags = 0;
}

/* Counts the record, makes sure it has an id and replaces NULs. Takes
 * @reason (NULL for a good record). Always returns TRUE, for tail calls. */
static gboolean
record_finish (FwReader *reader, FwRecord *record, char *reason)
{
  reader->n_records++;
  if (reason)
    {
      record->error = reason;
      reader->n_errors++;
      g_string_truncate (record->text, 0);
    }
  if (replace_nuls (record->id) | replace_nuls (record->text))
    record->flags |= FW_RECORD_NUL_REPLACED;
  for (guint i = 0; i < reader->n_keep; i++)
    if (replace_nuls (g_ptr_array_index (record->keep_values, i)))
      record->flags |= FW_RECORD_NUL_REPLACED;
  if (record->id->len == 0)
    append_uint64 (record->id, record->number);
  return TRUE;
}

/* ---- CSV ------------------------------------------------------------------ */

static void
csv_on_field (void *data, size_t len, void *user_data)
{
  FwReader *reader = user_data;
  guint index = reader->n_fields++;
  FieldSpan span = { reader->row->len, 0 };

  if (index >= reader->max_stored)
    return;
  if (reader->wanted == NULL || reader->wanted[index])
    {
      g_string_append_len (reader->row, data, (gssize) len);
      span.len = len;
    }
  g_array_append_val (reader->spans, span);
}

static void
csv_on_row (int terminator, void *user_data)
{
  FwReader *reader = user_data;
  reader->row_done = TRUE;
}

/* Forgets the row being read and puts the parser back at the start of a row. */
static void
csv_reset (FwReader *reader)
{
  csv_fini (&reader->csv, NULL, NULL, NULL); /* without CSV_STRICT_FINI it always resets */
  g_string_truncate (reader->row, 0);
  g_array_set_size (reader->spans, 0);
  reader->n_fields = 0;
  reader->row_done = FALSE;
}

/* Feeds one line to the parser. @final: the line is the last and has no line
 * end, so a newline is fed after it to end the row (unless a quoted field is
 * open, which the caller sees as !row_done). Returns FALSE on a quoting error
 * (strict mode), with the offset of the offending byte in *bad. */
static gboolean
csv_feed (FwReader *reader, const char *data, gsize len, gboolean final, gsize *bad)
{
  gsize n = csv_parse (&reader->csv, data, len, csv_on_field, csv_on_row, reader);
  if (n < len)
    {
      if (csv_error (&reader->csv) != CSV_EPARSE)
        g_error ("csv: %s", csv_strerror (csv_error (&reader->csv)));
      *bad = n;
      return FALSE;
    }
  if (final && !reader->row_done)
    csv_parse (&reader->csv, "\n", 1, csv_on_field, csv_on_row, reader);
  return TRUE;
}

/* Reads one line again with stray quotes taken literally, as spreadsheet
 * programs do. Succeeds only when the row ends on this line with @expected
 * fields (any number when 0): then the stray quote was most likely meant
 * literally and did not swallow anything. */
static gboolean
csv_feed_leniently (FwReader *reader, const char *data, gsize len, gboolean final,
                    guint expected)
{
  gsize ignored;
  gboolean ok;

  csv_reset (reader);
  csv_set_opts (&reader->csv, 0);
  ok = csv_feed (reader, data, len, final, &ignored) && reader->row_done
       && (expected == 0 || reader->n_fields == expected);
  csv_set_opts (&reader->csv, CSV_STRICT);
  if (!ok)
    csv_reset (reader);
  return ok;
}

/* Gives up on the row that started on @first_line: resets the parser and, if
 * the row went on past its first line, goes back to its second line, so that
 * rows swallowed by a quote left open are read again. Reading always moves
 * forward: the second line is after the row's start. */
static void
csv_abandon (FwReader *reader, guint64 first_line)
{
  csv_reset (reader);
  if (reader->has_rewind)
    {
      reader->pos = reader->scan = reader->rewind_pos;
      reader->line = first_line + 1;
      reader->has_rewind = FALSE;
    }
  reader->keep = reader->pos;
}

typedef enum {
  ROW_OK,
  ROW_END,
  ROW_BAD,
  ROW_FAILED,
} RowStatus;

/* Reads the next row, skipping blank lines, into row/spans/n_fields.
 * @expected is the header's field count (0 while reading the header).
 * Returns ROW_OK; ROW_END at the end of input; ROW_FAILED on a read error;
 * ROW_BAD with *reason (allocated) when the quoting is broken or the row is
 * longer than max_record, having moved to where reading resumes (see
 * csv_abandon). Sets *first_line but for ROW_END. */
static RowStatus
csv_read_row (FwReader *reader, guint expected, guint64 *first_line, char **reason,
              GError **error)
{
  gboolean begun = FALSE;

  csv_reset (reader);
  reader->quotes_repaired = FALSE;
  reader->has_rewind = FALSE;
  reader->keep = reader->pos;
  *first_line = reader->line;

  for (;;)
    {
      Line line;
      gsize bad;
      const char *data;
      LineStatus status = next_line (reader, &line, error);

      if (status == LINE_FAILED)
        return ROW_FAILED;
      if (status == LINE_TOO_LONG)
        {
          *reason = too_long_reason (reader);
          if (begun)
            {
              /* the long line is read again, and refused, as a row of its own */
              csv_abandon (reader, *first_line);
              return ROW_BAD;
            }
          *first_line = reader->line;
          return skip_line (reader, error) ? ROW_BAD : ROW_FAILED;
        }
      if (status == LINE_EOF)
        {
          if (!begun)
            return ROW_END;
          /* every line fed so far ended inside a quoted field */
          *reason = g_strdup ("unterminated quoted field at end of input");
          csv_abandon (reader, *first_line);
          return ROW_BAD;
        }

      data = reader->buf + line.start;
      if (!begun)
        {
          if (is_blank (data, line.len))
            {
              reader->keep = reader->pos;
              continue;
            }
          begun = TRUE;
          *first_line = line.number;
        }
      else if (!reader->has_rewind)
        {
          reader->has_rewind = TRUE;
          reader->rewind_pos = line.start;
        }

      if (!csv_feed (reader, data, line.len + line.term, line.term == 0, &bad))
        {
          gsize quote = MIN (bad, line.len);
          while (quote > 0 && data[quote] != '"')
            quote--;
          if (line.number == *first_line)
            *reason = g_strdup_printf ("unescaped quote at column %" G_GSIZE_FORMAT,
                                       column_of (data, quote));
          else
            *reason = g_strdup_printf ("unescaped quote at line %" G_GUINT64_FORMAT
                                       ", column %" G_GSIZE_FORMAT
                                       "; a quote opened before it may not be closed",
                                       line.number, column_of (data, quote));
          if (line.number == *first_line
              && csv_feed_leniently (reader, data, line.len + line.term, line.term == 0,
                                     expected))
            {
              g_clear_pointer (reason, g_free);
              reader->quotes_repaired = TRUE;
              reader->keep = reader->pos;
              return ROW_OK;
            }
          csv_abandon (reader, *first_line);
          return ROW_BAD;
        }
      if (reader->row_done)
        {
          /* Each line is within max_record, but a row of several lines can
           * end past it: refuse it whole. Its quoting is sound, so nothing of
           * it is read again. */
          if (reader->pos - reader->keep - line.term > reader->max_record)
            {
              *reason = too_long_reason (reader);
              csv_reset (reader);
              reader->has_rewind = FALSE;
              reader->keep = reader->pos;
              return ROW_BAD;
            }
          reader->keep = reader->pos;
          return ROW_OK;
        }
      if (line.term == 0)
        {
          *reason = g_strdup ("unterminated quoted field at end of input");
          csv_abandon (reader, *first_line);
          return ROW_BAD;
        }
      if (reader->pos - reader->keep > reader->max_record)
        {
          *reason = too_long_reason (reader);
          csv_abandon (reader, *first_line);
          return ROW_BAD;
        }
    }
}

/* "Id, Owner, Body", at most 20 names, for messages. */
static char *
describe_header (FwReader *reader)
{
  GString *out = g_string_new (NULL);
  guint shown = MIN (reader->header->len, 20);

  if (reader->header->len == 0)
    return g_string_free (out, FALSE);
  for (guint i = 0; i < shown; i++)
    {
      const char *name = g_ptr_array_index (reader->header, i);
      if (i > 0)
        g_string_append (out, ", ");
      if (*name)
        append_name (out, name);
      else
        g_string_append (out, "(empty)");
    }
  if (shown < reader->header->len)
    g_string_append_printf (out, ", ... (%u more)", reader->header->len - shown);
  return g_string_free (out, FALSE);
}

/* The first column whose normalized name is @name, or -1. */
static gint
find_column (GPtrArray *normalized, const char *name)
{
  for (guint i = 0; i < normalized->len; i++)
    if (strcmp (g_ptr_array_index (normalized, i), name) == 0)
      return (gint) i;
  return -1;
}

/* Finds the id, text and keep columns in the header. Returns FALSE with
 * FW_ERROR_INPUT naming the header when the text column, or a column the
 * caller named, is missing. @given_*: the caller's spelling, for messages. */
static gboolean
csv_find_columns (FwReader *reader, guint64 header_line, const char *const *given_id,
                  const char *const *given_text, const char *const *given_keep,
                  GError **error)
{
  g_autoptr (GPtrArray) normalized = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *names = describe_header (reader);
  gint column;

  for (guint i = 0; i < reader->header->len; i++)
    g_ptr_array_add (normalized, normalize_name (g_ptr_array_index (reader->header, i)));

  reader->text_columns = g_array_new (FALSE, FALSE, sizeof (guint));
  reader->keep_columns = g_array_new (FALSE, FALSE, sizeof (guint));
  gboolean body = FALSE;
  for (guint i = 0; reader->text_names[i]; i++)
    {
      column = find_column (normalized, reader->text_names[i]);
      if (column < 0 && reader->text_given)
        {
          g_set_error (error, FW_ERROR, FW_ERROR_INPUT,
                       "%s:%" G_GUINT64_FORMAT ": no column named '%s'; the header has: %s",
                       reader->name, header_line, given_text[i], names);
          return FALSE;
        }
      if (column >= 0)
        {
          guint c = (guint) column;
          gboolean seen = FALSE; /* "Title" and "Topic" may be one column */
          for (guint k = 0; k < reader->text_columns->len && !seen; k++)
            seen = g_array_index (reader->text_columns, guint, k) == c;
          if (!seen)
            g_array_append_val (reader->text_columns, c);
          if (i >= reader->n_lead)
            {
              body = TRUE;
              if (!reader->text_given)
                break;
            }
        }
    }
  if (!body)
    {
      g_set_error (error, FW_ERROR, FW_ERROR_INPUT,
                   "%s:%" G_GUINT64_FORMAT ": no text column found; the header has: %s",
                   reader->name, header_line, names);
      return FALSE;
    }

  reader->id_column = -1;
  for (guint i = 0; reader->id_names[i] && reader->id_column < 0; i++)
    reader->id_column = find_column (normalized, reader->id_names[i]);
  if (reader->id_column < 0 && given_id && given_id[0])
    {
      g_set_error (error, FW_ERROR, FW_ERROR_INPUT,
                   "%s:%" G_GUINT64_FORMAT ": no column named '%s'; the header has: %s",
                   reader->name, header_line, given_id[0], names);
      return FALSE;
    }

  for (guint i = 0; i < reader->n_keep; i++)
    {
      column = find_column (normalized, reader->keep_names[i]);
      if (column < 0)
        {
          g_set_error (error, FW_ERROR, FW_ERROR_INPUT,
                       "%s:%" G_GUINT64_FORMAT ": no column named '%s'; the header has: %s",
                       reader->name, header_line, given_keep[i], names);
          return FALSE;
        }
      guint c = (guint) column;
      g_array_append_val (reader->keep_columns, c);
    }

  reader->n_columns = reader->header->len;
  reader->max_stored = reader->n_columns;
  reader->wanted = g_new0 (guint8, reader->n_columns);
  if (reader->id_column >= 0)
    reader->wanted[reader->id_column] = 1;
  for (guint i = 0; i < reader->text_columns->len; i++)
    reader->wanted[g_array_index (reader->text_columns, guint, i)] = 1;
  for (guint i = 0; i < reader->keep_columns->len; i++)
    reader->wanted[g_array_index (reader->keep_columns, guint, i)] = 1;
  return TRUE;
}

/* Counts @c in the first line of @text outside double quotes. */
static guint
count_unquoted (const char *text, gsize len, char c)
{
  gboolean quoted = FALSE;
  guint n = 0;
  for (gsize i = 0; i < len && (quoted || (text[i] != '\n' && text[i] != '\r')); i++)
    {
      if (text[i] == '"')
        quoted = !quoted;
      else if (text[i] == c && !quoted)
        n++;
    }
  return n;
}

/* The delimiter of a header line: the most frequent of ',' ';' and tab
 * outside quotes, ',' when tied or absent. */
static char
sniff_delimiter (const char *text, gsize len)
{
  static const char candidates[] = { ',', ';', '\t' };
  char best = ',';
  guint best_count = 0;
  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      guint n = count_unquoted (text, len, candidates[i]);
      if (n > best_count)
        {
          best = candidates[i];
          best_count = n;
        }
    }
  return best;
}

/* Sets up the CSV parser, takes the delimiter (from the options, Excel's
 * "sep=X" line or the header) and reads the header. An input with no header
 * gives no records; one whose header cannot be read or lacks the text column
 * fails with FW_ERROR_INPUT. */
static gboolean
csv_start (FwReader *reader, const FwReaderOptions *options, GError **error)
{
  guint64 first_line;
  g_autofree char *reason = NULL;
  RowStatus status;

  if (csv_init (&reader->csv, CSV_STRICT) != 0)
    g_error ("csv: cannot initialize the parser");
  reader->csv_ready = TRUE;
  csv_set_blk_size (&reader->csv, 64 * 1024);
  reader->row = g_string_sized_new (4096);
  reader->spans = g_array_new (FALSE, FALSE, sizeof (FieldSpan));
  reader->header = g_ptr_array_new_with_free_func (g_free);
  reader->max_stored = FW_READER_MAX_COLUMNS + 1;

  if (!lookahead (reader, 8, 2, error))
    return FALSE;
  reader->delimiter = options->delimiter;
  {
    const char *head = reader->buf + reader->pos;
    gsize held = reader->end - reader->pos;
    if (held >= 5 && g_ascii_strncasecmp (head, "sep=", 4) == 0
        && (held == 5 || head[5] == '\n' || head[5] == '\r'))
      {
        Line line;
        if (reader->delimiter == 0)
          reader->delimiter = head[4];
        if (next_line (reader, &line, error) == LINE_FAILED)
          return FALSE;
      }
    else if (reader->delimiter == 0)
      reader->delimiter = sniff_delimiter (head, held);
  }
  csv_set_delim (&reader->csv, (unsigned char) reader->delimiter);

  status = csv_read_row (reader, 0, &first_line, &reason, error);
  if (status == ROW_FAILED)
    return FALSE;
  if (status == ROW_END)
    return TRUE;
  if (status == ROW_BAD)
    {
      g_set_error (error, FW_ERROR, FW_ERROR_INPUT,
                   "%s:%" G_GUINT64_FORMAT ": cannot read the header: %s", reader->name,
                   first_line, reason);
      return FALSE;
    }
  if (reader->n_fields > FW_READER_MAX_COLUMNS)
    {
      g_set_error (error, FW_ERROR, FW_ERROR_INPUT,
                   "%s:%" G_GUINT64_FORMAT ": the header has more than %u columns",
                   reader->name, first_line, FW_READER_MAX_COLUMNS);
      return FALSE;
    }
  replace_nuls (reader->row);
  for (guint i = 0; i < reader->n_fields; i++)
    {
      FieldSpan *span = &g_array_index (reader->spans, FieldSpan, i);
      char *name = g_strndup (reader->row->str + span->start, span->len);
      g_ptr_array_add (reader->header, g_strstrip (name));
    }
  return csv_find_columns (reader, first_line, options->id_fields, options->text_fields,
                           options->keep_fields, error);
}

static void
append_field (FwReader *reader, GString *out, guint column)
{
  FieldSpan *span = &g_array_index (reader->spans, FieldSpan, column);
  g_string_append_len (out, reader->row->str + span->start, (gssize) span->len);
}

static gboolean
csv_next (FwReader *reader, FwRecord *record, GError **error)
{
  guint64 first_line;
  char *reason = NULL;
  RowStatus status;

  if (reader->n_columns == 0)
    return FALSE; /* no header: empty input */
  status = csv_read_row (reader, reader->n_columns, &first_line, &reason, error);
  if (status == ROW_END || status == ROW_FAILED)
    return FALSE;

  record_begin (reader, record, first_line);
  if (status == ROW_BAD)
    return record_finish (reader, record, reason);

  if (reader->quotes_repaired)
    record->flags |= FW_RECORD_QUOTES_REPAIRED;
  if (reader->n_fields != reader->n_columns)
    {
      /* the id is most likely still in place (it is usually first) */
      if (reader->id_column >= 0 && (guint) reader->id_column < reader->n_fields)
        append_field (reader, record->id, (guint) reader->id_column);
      return record_finish (reader, record,
                            g_strdup_printf ("row has %u field%s, header has %u",
                                             reader->n_fields,
                                             reader->n_fields == 1 ? "" : "s",
                                             reader->n_columns));
    }

  if (reader->id_column >= 0)
    append_field (reader, record->id, (guint) reader->id_column);
  for (guint i = 0; i < reader->text_columns->len; i++)
    {
      guint column = g_array_index (reader->text_columns, guint, i);
      if (g_array_index (reader->spans, FieldSpan, column).len == 0)
        continue;
      if (record->text->len > 0)
        g_string_append_c (record->text, '\n');
      append_field (reader, record->text, column);
    }
  for (guint i = 0; i < reader->n_keep; i++)
    append_field (reader, g_ptr_array_index (record->keep_values, i),
                  g_array_index (reader->keep_columns, guint, i));
  return record_finish (reader, record, NULL);
}

/* ---- JSON Lines ------------------------------------------------------------ */

/* What a quick pass over a line finds before json-glib sees it: json-glib
 * recurses once per nesting level (a line of "[[[[..." would overflow the
 * stack), accepts "{}{}" as one value, stops strings at "\u0000", and wraps
 * integers past 2^63 around. Strings, most of a line, are skipped with memchr. */
typedef struct {
  guint max_depth;
  guint open;          /* brackets still open at the end */
  gboolean in_string;  /* the line ends inside a string */
  gsize trailing;      /* 1 + byte offset of anything after the value, or 0 */
  gboolean nul;        /* a NUL byte or a \u0000 escape */
  guint max_digits;    /* longest run of digits outside strings */
} JsonScan;

static void
scan_json_line (const char *line, gsize len, JsonScan *scan)
{
  const char *s = line;
  const char *stop = line + len;
  guint depth = 0, digits = 0;
  gboolean closed = FALSE;

  memset (scan, 0, sizeof *scan);
  scan->nul = memchr (line, '\0', len) != NULL;
  while (s < stop)
    {
      char c = *s;
      if (c >= '0' && c <= '9')
        {
          digits++;
          scan->max_digits = MAX (scan->max_digits, digits);
          s++;
          continue;
        }
      digits = 0;
      switch (c)
        {
        case ' ':
        case '\t':
        case '\r':
        case '\n':
          break;
        case '"':
          if (closed)
            goto trailing;
          for (s++;;)
            {
              const char *quote = memchr (s, '"', (gsize) (stop - s));
              const char *escape = memchr (s, '\\', (gsize) ((quote ? quote : stop) - s));
              if (escape)
                {
                  if (stop - escape > 5 && escape[1] == 'u' && memcmp (escape + 2, "0000", 4) == 0)
                    scan->nul = TRUE;
                  if (stop - escape <= 2)
                    {
                      scan->in_string = TRUE;
                      goto end;
                    }
                  s = escape + 2;
                  continue;
                }
              if (!quote)
                {
                  scan->in_string = TRUE;
                  goto end;
                }
              s = quote;
              break;
            }
          break;
        case '{':
        case '[':
          if (closed)
            goto trailing;
          depth++;
          scan->max_depth = MAX (scan->max_depth, depth);
          break;
        case '}':
        case ']':
          if (closed)
            goto trailing;
          if (depth > 0 && --depth == 0)
            closed = TRUE;
          break;
        default:
          if (closed && c != '\0')
            goto trailing;
          break;
        }
      s++;
    }
end:
  scan->open = depth;
  return;

trailing:
  scan->trailing = (gsize) (s - line) + 1;
  scan->open = depth;
}

/* Copies @line to @out with NUL bytes made spaces and "\u0000" escapes made
 * "\u0020" (an escaped backslash before "u0000" is left alone). */
static void
copy_without_nuls (GString *out, const char *line, gsize len)
{
  gboolean in_string = FALSE;

  g_string_truncate (out, 0);
  for (gsize i = 0; i < len; i++)
    {
      char c = line[i];
      if (c == '\0')
        c = ' ';
      else if (in_string && c == '\\' && i + 1 < len)
        {
          if (line[i + 1] == 'u' && i + 5 < len && memcmp (line + i + 2, "0000", 4) == 0)
            {
              g_string_append (out, "\\u0020");
              i += 5;
            }
          else
            {
              g_string_append_c (out, c);
              g_string_append_c (out, line[++i] ? line[i] : ' ');
            }
          continue;
        }
      else if (c == '"')
        in_string = !in_string;
      g_string_append_c (out, c);
    }
}

/* "not valid json: unexpected identifier `hello', expected value" from
 * json-glib's "<data>:1:5: Parse error: unexpected identifier ...". Its
 * column points past the offending token, so it is left out. */
static char *
describe_parse_error (const GError *json_error)
{
  const char *rest = json_error->message;
  const char *marker;
  g_autofree char *lower = NULL;

  if ((marker = strstr (rest, "Parse error: ")) != NULL)
    rest = marker + strlen ("Parse error: ");
  if (g_str_has_prefix (rest, "scanner: "))
    rest += strlen ("scanner: ");
  lower = g_strdup (rest);
  if (g_ascii_isupper (lower[0]))
    lower[0] = g_ascii_tolower (lower[0]);
  /* json-glib quotes the offending token, which comes from the input */
  GString *out = g_string_new ("not valid json: ");
  append_escaped (out, lower, PARSER_MESSAGE_IN_MESSAGE);
  return g_string_free (out, FALSE);
}

static const char *
describe_node (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT: return "an object";
    case JSON_NODE_ARRAY: return "an array";
    case JSON_NODE_NULL: return "null";
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING: return "a string";
        case G_TYPE_BOOLEAN: return "a boolean";
        default: return "a number";
        }
    }
  return "something else";
}

/* Appends a scalar as text: strings as they are, numbers as written in
 * JSON, booleans as true/false. Returns FALSE (appending nothing) for null,
 * objects and arrays. */
static gboolean
append_scalar (GString *out, JsonNode *node)
{
  if (json_node_get_node_type (node) != JSON_NODE_VALUE)
    return FALSE;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      g_string_append (out, json_node_get_string (node));
      break;
    case G_TYPE_INT64:
      append_int64 (out, json_node_get_int (node));
      break;
    case G_TYPE_DOUBLE:
      append_double (out, json_node_get_double (node));
      break;
    case G_TYPE_BOOLEAN:
      g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
      break;
    default:
      return FALSE;
    }
  return TRUE;
}

/* 1 + the index of @name in @names, or 0. */
static guint
name_index (char **names, const char *name)
{
  for (guint i = 0; names[i]; i++)
    if (strcmp (names[i], name) == 0)
      return i + 1;
  return 0;
}

/* What @key is to @reader: looked up in the cache, or worked out and
 * remembered. */
static KeyRoles
key_roles (FwReader *reader, const char *key)
{
  KeyRoles *cached = g_hash_table_lookup (reader->roles, key);
  KeyRoles roles;

  if (cached)
    return *cached;
  g_string_truncate (reader->key, 0);
  append_normalized_name (reader->key, key, strlen (key));
  roles.id = name_index (reader->id_names, reader->key->str);
  roles.text = name_index (reader->text_names, reader->key->str);
  roles.keep = name_index (reader->keep_names, reader->key->str);
  if (g_hash_table_size (reader->roles) < MAX_CACHED_KEYS)
    g_hash_table_insert (reader->roles, g_strdup (key), g_memdup2 (&roles, sizeof roles));
  return roles;
}

static gboolean
jsonl_start (FwReader *reader, GError **error)
{
  const char *p, *stop;

  if (!lookahead (reader, 64, 2, error))
    return FALSE;
  p = reader->buf + reader->pos;
  stop = reader->buf + reader->end;
  while (p < stop && g_ascii_isspace (*p))
    p++;
  if (p < stop && *p == '[')
    {
      g_set_error (error, FW_ERROR, FW_ERROR_INPUT,
                   "%s: input is a json array, not json lines (one object per line); "
                   "convert it with jq -c '.[]'",
                   reader->name);
      return FALSE;
    }

  reader->json = json_parser_new ();
  reader->scratch = g_string_new (NULL);
  reader->key = g_string_new (NULL);
  reader->roles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  reader->n_text = g_strv_length (reader->text_names);
  reader->text_nodes = g_new0 (JsonNode *, reader->n_text + 1);
  reader->text_keys = g_new0 (const char *, reader->n_text + 1);
  reader->keep_nodes = g_new0 (JsonNode *, reader->n_keep + 1);
  return TRUE;
}

/* "no text field; the keys are: id, owner" (at most 10 keys). */
static char *
describe_missing_text (JsonObject *object)
{
  GString *out = g_string_new ("no text field");
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;
  guint n = 0;

  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, &node))
    {
      if (n == 10)
        {
          g_string_append (out, ", ...");
          break;
        }
      g_string_append (out, n++ == 0 ? "; the keys are: " : ", ");
      append_name (out, name);
    }
  if (n == 0)
    g_string_append (out, "; the object is empty");
  return g_string_free (out, FALSE);
}

/* Fills @record from the object on one line. Returns the reason the line is
 * not a record, or NULL. */
static char *
jsonl_read_object (FwReader *reader, FwRecord *record, const char *line, gsize len)
{
  g_autofree char *repaired = NULL;
  g_autoptr (GError) json_error = NULL;
  guint n_text = reader->n_text;
  JsonScan scan;
  JsonNode *root, *id_node = NULL, *node;
  JsonObject *object;
  JsonObjectIter iter;
  const char *name;
  guint id_rank = G_MAXUINT;

  scan_json_line (line, len, &scan);
  if (scan.max_depth > FW_READER_MAX_JSON_DEPTH)
    return g_strdup_printf ("json nested deeper than %u levels", FW_READER_MAX_JSON_DEPTH);
  if (scan.trailing)
    return g_strdup_printf ("unexpected data after the json value at column %" G_GSIZE_FORMAT,
                            column_of (line, scan.trailing - 1));
  if (scan.nul)
    {
      copy_without_nuls (reader->scratch, line, len);
      line = reader->scratch->str;
      len = reader->scratch->len;
      record->flags |= FW_RECORD_NUL_REPLACED;
    }

  /* json-glib checks UTF-8 itself: repair and retry only when it refuses */
  if (!json_parser_load_from_data (reader->json, line, (gssize) len, &json_error)
      && g_error_matches (json_error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA)
      && !g_utf8_validate_len (line, len, NULL))
    {
      g_clear_error (&json_error);
      repaired = g_utf8_make_valid (line, (gssize) len);
      line = repaired;
      len = strlen (repaired);
      record->flags |= FW_RECORD_UTF8_REPAIRED;
      json_parser_load_from_data (reader->json, line, (gssize) len, &json_error);
    }
  if (json_error)
    {
      if (scan.in_string)
        return g_strdup ("truncated json: the line ends inside a string");
      if (scan.open > 0)
        return g_strdup_printf ("truncated json: the line ends with %u unclosed bracket%s",
                                scan.open, scan.open == 1 ? "" : "s");
      return describe_parse_error (json_error);
    }
  root = json_parser_get_root (reader->json);
  if (root == NULL)
    return g_strdup ("not valid json: no value");
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return g_strdup_printf ("not a json object but %s", describe_node (root));
  object = json_node_get_object (root);

  memset (reader->text_nodes, 0, n_text * sizeof (JsonNode *));
  memset (reader->keep_nodes, 0, reader->n_keep * sizeof (JsonNode *));
  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, &node))
    {
      KeyRoles roles = key_roles (reader, name);
      if (roles.id && roles.id < id_rank)
        {
          id_rank = roles.id;
          id_node = node;
        }
      if (roles.text && reader->text_nodes[roles.text - 1] == NULL)
        {
          reader->text_nodes[roles.text - 1] = node;
          reader->text_keys[roles.text - 1] = name;
        }
      if (roles.keep && reader->keep_nodes[roles.keep - 1] == NULL)
        reader->keep_nodes[roles.keep - 1] = node;
    }

  if (id_node && append_scalar (record->id, id_node))
    {
      GType type = json_node_get_value_type (id_node);
      /* json-glib wraps integers past 2^63 around and makes 1e999 infinite:
       * check that the digits survived */
      if ((type == G_TYPE_DOUBLE && !isfinite (json_node_get_double (id_node)))
          || (type == G_TYPE_INT64 && scan.max_digits >= 19
              && !contains_bytes (line, len, record->id->str, record->id->len)))
        {
          g_string_truncate (record->id, 0);
          return g_strdup ("the id is a number too large to read exactly; export it as a string");
        }
    }

  {
    JsonNode *unusable = NULL;
    const char *unusable_key = NULL;
    gboolean found = FALSE;
    for (guint i = 0; i < n_text; i++)
      {
        GString *text = record->text;
        gsize before = text->len;
        node = reader->text_nodes[i];
        if (node == NULL)
          continue;
        if (before > 0)
          g_string_append_c (text, '\n');
        if (!append_scalar (text, node))
          {
            g_string_truncate (text, before);
            if (unusable == NULL)
              {
                unusable = node;
                unusable_key = reader->text_keys[i];
              }
            continue;
          }
        if (i >= reader->n_lead)
          found = TRUE;
        if (text->len == before + (before > 0))
          g_string_truncate (text, before); /* an empty part adds no newline */
        if (!reader->text_given && i >= reader->n_lead)
          break;
      }
    if (!found && unusable)
      {
        GString *out = g_string_new ("the text field '");
        append_name (out, unusable_key);
        g_string_append_printf (out, "' is %s", describe_node (unusable));
        return g_string_free (out, FALSE);
      }
    if (!found)
      return describe_missing_text (object);
  }

  for (guint i = 0; i < reader->n_keep; i++)
    if (reader->keep_nodes[i])
      {
        GString *value = g_ptr_array_index (record->keep_values, i);
        if (!append_scalar (value, reader->keep_nodes[i])
            && json_node_get_node_type (reader->keep_nodes[i]) != JSON_NODE_NULL)
          {
            g_autofree char *json = json_to_string (reader->keep_nodes[i], FALSE);
            g_string_append (value, json);
          }
      }
  return NULL;
}

static gboolean
jsonl_next (FwReader *reader, FwRecord *record, GError **error)
{
  for (;;)
    {
      Line line;
      LineStatus status;
      const char *data;
      gsize len, lead = 0;
      char *reason;

      reader->keep = reader->pos;
      status = next_line (reader, &line, error);
      if (status == LINE_FAILED || status == LINE_EOF)
        return FALSE;
      if (status == LINE_TOO_LONG)
        {
          record_begin (reader, record, reader->line);
          if (!skip_line (reader, error))
            return FALSE;
          return record_finish (reader, record, too_long_reason (reader));
        }
      data = reader->buf + line.start;
      len = line.len;
      while (lead < len && g_ascii_isspace (data[lead]))
        lead++;
      if (lead == len || data[lead] == '#')
        continue; /* blank lines and comments are not records */

      record_begin (reader, record, line.number);
      reason = jsonl_read_object (reader, record, data, len);
      /* invalid UTF-8 made U+FFFD can make the text longer than its line */
      if (reason == NULL && record->text->len > reader->max_record)
        reason = too_long_reason (reader);
      if (reason)
        {
          /* keep the id when the object had one, drop what else was read */
          for (guint i = 0; i < reader->n_keep; i++)
            g_string_truncate (g_ptr_array_index (record->keep_values, i), 0);
        }
      return record_finish (reader, record, reason);
    }
}

/* ---- Plain text ------------------------------------------------------------ */

/* Reads one note: the whole input, or with text_blocks the next block of
 * non-blank lines. Leading blank lines are skipped; trailing whitespace is
 * dropped. A note longer than max_record is an error record, and the rest
 * of it is skipped. */
static gboolean
text_next (FwReader *reader, FwRecord *record, GError **error)
{
  gboolean begun = FALSE, too_long = FALSE;

  for (;;)
    {
      Line line;
      LineStatus status;
      const char *data;

      reader->keep = reader->pos;
      status = next_line (reader, &line, error);
      if (status == LINE_FAILED)
        return FALSE;
      if (status == LINE_EOF)
        break;
      if (status == LINE_TOO_LONG)
        {
          if (!begun)
            record_begin (reader, record, reader->line);
          begun = too_long = TRUE;
          if (!skip_line (reader, error))
            return FALSE;
          continue;
        }
      data = reader->buf + line.start;
      if (is_blank (data, line.len))
        {
          if (!begun)
            continue;
          if (reader->text_blocks)
            break;
        }
      if (!begun)
        {
          record_begin (reader, record, line.number);
          begun = TRUE;
        }
      if (too_long)
        continue;
      if (record->text->len + line.len + line.term > reader->max_record)
        {
          too_long = TRUE;
          g_string_truncate (record->text, 0);
          continue;
        }
      g_string_append_len (record->text, data, (gssize) (line.len + line.term));
    }
  if (!begun)
    return FALSE;

  g_string_append (record->id, reader->name);
  g_string_append_c (record->id, ':');
  append_uint64 (record->id, record->line);
  if (too_long)
    return record_finish (reader, record, too_long_reason (reader));
  while (record->text->len > 0 && g_ascii_isspace (record->text->str[record->text->len - 1]))
    g_string_truncate (record->text, record->text->len - 1);
  return record_finish (reader, record, NULL);
}

/* ---- Readers ------------------------------------------------------------------ */

static FwReaderFormat
format_from_name (const char *name, char *delimiter)
{
  static const struct {
    const char *suffix;
    FwReaderFormat format;
    char delimiter;
  } suffixes[] = {
    { ".csv", FW_READER_FORMAT_CSV, 0 },     { ".tsv", FW_READER_FORMAT_CSV, '\t' },
    { ".jsonl", FW_READER_FORMAT_JSONL, 0 }, { ".ndjson", FW_READER_FORMAT_JSONL, 0 },
    { ".json", FW_READER_FORMAT_JSONL, 0 },  { ".txt", FW_READER_FORMAT_TEXT, 0 },
    { ".text", FW_READER_FORMAT_TEXT, 0 },
  };
  gsize len = strlen (name);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      gsize n = strlen (suffixes[i].suffix);
      if (len > n && g_ascii_strcasecmp (name + len - n, suffixes[i].suffix) == 0)
        {
          if (*delimiter == 0)
            *delimiter = suffixes[i].delimiter;
          return suffixes[i].format;
        }
    }
  return FW_READER_FORMAT_AUTO;
}

/* Does the first line look like a CSV header? It must have a delimiter, and
 * either name a text field or have as many delimiters as the second line (a
 * sentence with commas rarely does). */
static gboolean
looks_like_csv (FwReader *reader, const char *text, gsize len)
{
  char delimiter = sniff_delimiter (text, len);
  guint count = count_unquoted (text, len, delimiter);
  const char *second;
  gsize first_len = 0;

  if (count == 0)
    return FALSE;
  while (first_len < len && text[first_len] != '\n' && text[first_len] != '\r')
    first_len++;

  {
    g_auto (GStrv) fields = NULL;
    g_autofree char *first = g_strndup (text, first_len);
    char separator[2] = { delimiter, 0 };
    fields = g_strsplit (first, separator, -1);
    for (guint i = 0; fields[i]; i++)
      {
        g_autofree char *name = normalize_name (g_strstrip (g_strdelimit (fields[i], "\"", ' ')));
        if (g_strv_contains ((const char *const *) reader->text_names, name))
          return TRUE;
      }
  }

  second = memchr (text, '\n', len);
  if (second == NULL)
    return FALSE;
  second++;
  return count_unquoted (second, len - (gsize) (second - text), delimiter) == count;
}

/* Checks what the input is (refusing UTF-16, compressed files and binary
 * data), skips a UTF-8 byte order mark, settles the format and reads what
 * comes before the first record. */
static gboolean
reader_start (FwReader *reader, const FwReaderOptions *options, GError **error)
{
  const guchar *head;
  gsize held, nuls = 0;

  if (!lookahead (reader, 512, 2, error))
    return FALSE;
  head = (const guchar *) reader->buf + reader->pos;
  held = reader->end - reader->pos;

  if (held >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF)))
    {
      g_set_error (error, FW_ERROR, FW_ERROR_INPUT,
                   "%s: input is utf-16; save or export it as utf-8", reader->name);
      return FALSE;
    }
  if (held >= 2 && head[0] == 0x1F && head[1] == 0x8B)
    {
      g_set_error (error, FW_ERROR, FW_ERROR_INPUT,
                   "%s: input is gzip-compressed; decompress it first (zcat)", reader->name);
      return FALSE;
    }
  if (held >= 4 && memcmp (head, "PK\003\004", 4) == 0)
    {
      g_set_error (error, FW_ERROR, FW_ERROR_INPUT,
                   "%s: input is a zip archive (an excel workbook?); export it as csv",
                   reader->name);
      return FALSE;
    }
  for (gsize i = 0; i < MIN (held, 512); i++)
    nuls += head[i] == 0;
  if (held >= 16 && nuls * 4 > MIN (held, 512))
    {
      g_set_error (error, FW_ERROR, FW_ERROR_INPUT,
                   "%s: input is binary or utf-16 (%" G_GSIZE_FORMAT " nul bytes in the first %"
                   G_GSIZE_FORMAT "); save or export it as utf-8 text",
                   reader->name, nuls, MIN (held, 512));
      return FALSE;
    }
  if (held >= 3 && memcmp (head, "\xEF\xBB\xBF", 3) == 0)
    reader->keep = reader->pos = reader->scan = reader->pos + 3;

  reader->format = options->format;
  reader->delimiter = options->delimiter;
  if (reader->format == FW_READER_FORMAT_AUTO)
    reader->format = format_from_name (reader->name, &reader->delimiter);
  if (reader->format == FW_READER_FORMAT_AUTO)
    {
      const char *text = reader->buf + reader->pos;
      gsize len = reader->end - reader->pos, lead = 0;
      while (lead < len && g_ascii_isspace (text[lead]))
        lead++;
      if (lead < len && (text[lead] == '{' || text[lead] == '['))
        reader->format = FW_READER_FORMAT_JSONL;
      else if (looks_like_csv (reader, text + lead, len - lead))
        reader->format = FW_READER_FORMAT_CSV;
      else
        reader->format = FW_READER_FORMAT_TEXT;
    }

  switch (reader->format)
    {
    case FW_READER_FORMAT_CSV:
      {
        FwReaderOptions csv_options = *options;
        csv_options.delimiter = reader->delimiter;
        return csv_start (reader, &csv_options, error);
      }
    case FW_READER_FORMAT_JSONL:
      return jsonl_start (reader, error);
    case FW_READER_FORMAT_TEXT:
    case FW_READER_FORMAT_AUTO:
      reader->format = FW_READER_FORMAT_TEXT;
      return TRUE;
    }
  return TRUE;
}

static FwReader *
reader_new (int fd, gboolean owns_fd, const char *name, const FwReaderOptions *options,
            GError **error)
{
  static const FwReaderOptions defaults = { 0 };
  FwReader *reader;

  if (options == NULL)
    options = &defaults;

  reader = g_new0 (FwReader, 1);
  reader->name = g_strdup (name ? name : "-");
  reader->fd = fd;
  reader->owns_fd = owns_fd;
  reader->max_record = options->max_record ? options->max_record : FW_READER_DEFAULT_MAX_RECORD;
  reader->read_size = options->read_size ? options->read_size : FW_READER_DEFAULT_READ_SIZE;
  reader->text_blocks = options->text_blocks;
  reader->size = 2 * reader->read_size;
  reader->buf = g_malloc (reader->size);
  reader->line = 1;
  reader->id_column = -1;

  reader->id_names = normalize_names (options->id_fields ? options->id_fields
                                                         : default_id_names);
  reader->text_given = options->text_fields != NULL && options->text_fields[0] != NULL;
  reader->text_names = normalize_names (reader->text_given ? options->text_fields
                                                           : default_text_names);
  reader->n_lead = reader->text_given ? 0 : N_LEAD_NAMES;
  reader->keep_names = normalize_names (options->keep_fields);
  reader->n_keep = g_strv_length (reader->keep_names);

  if (!reader_start (reader, options, error))
    {
      fw_reader_free (reader);
      return NULL;
    }
  return reader;
}

FwReader *
fw_reader_new_for_fd (int fd, const char *name, const FwReaderOptions *options,
                      GError **error)
{
  g_return_val_if_fail (fd >= 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return reader_new (fd, FALSE, name, options, error);
}

FwReader *
fw_reader_new_for_path (const char *path, const FwReaderOptions *options, GError **error)
{
  int fd;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  do
    fd = open (path, O_RDONLY | O_CLOEXEC);
  while (fd < 0 && errno == EINTR);
  if (fd < 0)
    {
      int saved = errno;
      g_autofree char *why = g_ascii_strdown (g_strerror (saved), -1);
      g_set_error (error, FW_ERROR, FW_ERROR_IO, "%s: cannot open: %s", path, why);
      return NULL;
    }
  return reader_new (fd, TRUE, path, options, error);
}

void
fw_reader_free (FwReader *reader)
{
  if (reader == NULL)
    return;
  if (reader->owns_fd)
    close (reader->fd);
  if (reader->csv_ready)
    csv_free (&reader->csv);
  g_free (reader->name);
  g_free (reader->buf);
  g_strfreev (reader->id_names);
  g_strfreev (reader->text_names);
  g_strfreev (reader->keep_names);
  if (reader->header)
    g_ptr_array_unref (reader->header);
  if (reader->text_columns)
    g_array_unref (reader->text_columns);
  if (reader->keep_columns)
    g_array_unref (reader->keep_columns);
  g_free (reader->wanted);
  if (reader->row)
    g_string_free (reader->row, TRUE);
  if (reader->spans)
    g_array_unref (reader->spans);
  g_clear_object (&reader->json);
  if (reader->scratch)
    g_string_free (reader->scratch, TRUE);
  if (reader->key)
    g_string_free (reader->key, TRUE);
  g_clear_pointer (&reader->roles, g_hash_table_unref);
  g_free (reader->text_nodes);
  g_free (reader->text_keys);
  g_free (reader->keep_nodes);
  g_free (reader);
}

gboolean
fw_reader_next (FwReader *reader, FwRecord *record, GError **error)
{
  gboolean more = FALSE;

  g_return_val_if_fail (reader != NULL, FALSE);
  g_return_val_if_fail (record != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (reader->done)
    return FALSE;
  switch (reader->format)
    {
    case FW_READER_FORMAT_CSV:
      more = csv_next (reader, record, error);
      break;
    case FW_READER_FORMAT_JSONL:
      more = jsonl_next (reader, record, error);
      break;
    case FW_READER_FORMAT_TEXT:
    case FW_READER_FORMAT_AUTO:
      more = text_next (reader, record, error);
      break;
    }
  if (!more)
    reader->done = TRUE;
  return more;
}

const char *
fw_reader_get_name (FwReader *reader)
{
  g_return_val_if_fail (reader != NULL, NULL);
  return reader->name;
}

FwReaderFormat
fw_reader_get_format (FwReader *reader)
{
  g_return_val_if_fail (reader != NULL, FW_READER_FORMAT_TEXT);
  return reader->format;
}

guint64
fw_reader_get_n_records (FwReader *reader)
{
  g_return_val_if_fail (reader != NULL, 0);
  return reader->n_records;
}

guint64
fw_reader_get_n_errors (FwReader *reader)
{
  g_return_val_if_fail (reader != NULL, 0);
  return reader->n_errors;
}

const char *
fw_reader_format_to_string (FwReaderFormat format)
{
  switch (format)
    {
    case FW_READER_FORMAT_AUTO: return "auto";
    case FW_READER_FORMAT_CSV: return "csv";
    case FW_READER_FORMAT_JSONL: return "jsonl";
    case FW_READER_FORMAT_TEXT: return "text";
    }
  return "unknown";
}

gboolean
fw_reader_format_from_string (const char *name, FwReaderFormat *format)
{
  static const struct {
    const char *name;
    FwReaderFormat format;
  } names[] = {
    { "auto", FW_READER_FORMAT_AUTO }, { "csv", FW_READER_FORMAT_CSV },
    { "jsonl", FW_READER_FORMAT_JSONL }, { "ndjson", FW_READER_FORMAT_JSONL },
    { "json", FW_READER_FORMAT_JSONL }, { "text", FW_READER_FORMAT_TEXT },
    { "txt", FW_READER_FORMAT_TEXT },
  };

  g_return_val_if_fail (name != NULL, FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (name, names[i].name) == 0)
      {
        if (format)
          *format = names[i].format;
        return TRUE;
      }
  return FALSE;
}
