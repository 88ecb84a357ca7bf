/* dh-gunzip.c: a gzip decompressor (GConverter) for the reader
 *
 * GIO's GZlibDecompressor lets zlib check each member's CRC-32, and zlib's
 * table-driven CRC takes about a fifth of the time spent inflating a log.
 * This converter has zlib parse the gzip header and inflate, with zlib's own
 * check turned off (inflateValidate), and checks the trailer itself: the
 * CRC-32 by libdeflate (carry-less multiplication where the CPU has it,
 * several times faster) and the length. A mismatch is an error, as with GIO.
 * Otherwise it behaves as GZlibDecompressor in gzip mode
 * (G_IO_ERROR_PARTIAL_INPUT when it needs more input, G_IO_ERROR_INVALID_DATA
 * for corrupt data), with two differences. It reads every member of a
 * stream, as gzip -d does: S3 objects and Firehose payloads are often
 * several concatenated, sometimes padded with zeros; anything else after a
 * member is an error. And the bytes of a member whose trailer does not match
 * are still handed over, the error coming with the next call, so a reader
 * keeps the records before it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libdeflate.h>
#include <zlib.h>

#include "dh-gunzip.h"

struct _DhGunzip
{
  GObject  parent_instance;

  z_stream zs;
  gboolean ready;
  guint32  crc;      /* of this member's output so far */
  guint32  size;     /* its length, modulo 2^32 as in the trailer */
  guint8   tail[8];  /* the last input bytes consumed: at the end, the trailer */
  GError  *failed;   /* a bad trailer, reported after the data before it */
  gboolean between;  /* a member ended: the next, padding, or the end */
};

static void dh_gunzip_converter_init (GConverterIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DhGunzip, dh_gunzip, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_CONVERTER,
                                                      dh_gunzip_converter_init))

static void
dh_gunzip_finalize (GObject *object)
{
  DhGunzip *self = DH_GUNZIP (object);

  if (self->ready)
    inflateEnd (&self->zs);
  g_clear_error (&self->failed);
  G_OBJECT_CLASS (dh_gunzip_parent_class)->finalize (object);
}

static void
dh_gunzip_class_init (DhGunzipClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dh_gunzip_finalize;
}

static void
dh_gunzip_init (DhGunzip *self)
{
  /* 16 + 15: a gzip header and trailer around raw deflate data */
  self->ready = inflateInit2 (&self->zs, 16 + 15) == Z_OK;
  if (self->ready)
    inflateValidate (&self->zs, 0);
}

/* Ready for a member's header. */
static void
start_member (DhGunzip *self)
{
  if (self->ready)
    {
      inflateReset (&self->zs);
      inflateValidate (&self->zs, 0);
    }
  self->crc = 0;
  self->size = 0;
  memset (self->tail, 0, sizeof self->tail);
  self->between = FALSE;
}

static void
dh_gunzip_reset (GConverter *converter)
{
  DhGunzip *self = DH_GUNZIP (converter);

  start_member (self);
  g_clear_error (&self->failed);
}

/* Between members: skips zero padding, starts the next member, or ends.
 * Returns: %TRUE when dh_gunzip_convert() goes on inflating; otherwise
 * @result is what it returns. */
static gboolean
next_member (DhGunzip          *self,
             const guint8      *in,
             gsize              in_size,
             GConverterFlags    flags,
             gsize             *bytes_read,
             GConverterResult  *result,
             GError           **error)
{
  gsize zeros = 0;

  while (zeros < in_size && in[zeros] == 0)
    zeros++;
  if (zeros > 0 || in_size == 0)
    {
      *bytes_read = zeros;
      if (zeros == in_size && (flags & G_CONVERTER_INPUT_AT_END))
        *result = G_CONVERTER_FINISHED;
      else if (zeros > 0)
        *result = G_CONVERTER_CONVERTED;
      else
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                               _("Need more input"));
          *result = G_CONVERTER_ERROR;
        }
      return FALSE;
    }
  if (in_size < 2 && !(flags & G_CONVERTER_INPUT_AT_END))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT, _("Need more input"));
      *result = G_CONVERTER_ERROR;
      return FALSE;
    }
  if (in_size >= 2 && in[0] == 0x1f && in[1] == 0x8b)
    {
      start_member (self);
      return TRUE;
    }
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("data that is not gzip follows a gzip member"));
  *result = G_CONVERTER_ERROR;
  return FALSE;
}

/* Keeps the last eight bytes consumed so far. */
static void
remember_tail (DhGunzip     *self,
               const guint8 *in,
               gsize         n)
{
  if (n >= sizeof self->tail)
    memcpy (self->tail, in + n - sizeof self->tail, sizeof self->tail);
  else if (n > 0)
    {
      memmove (self->tail, self->tail + n, sizeof self->tail - n);
      memcpy (self->tail + sizeof self->tail - n, in, n);
    }
}

static GConverterResult
dh_gunzip_convert (GConverter      *converter,
                   const void      *inbuf,
                   gsize            inbuf_size,
                   void            *outbuf,
                   gsize            outbuf_size,
                   GConverterFlags  flags,
                   gsize           *bytes_read,
                   gsize           *bytes_written,
                   GError         **error)
{
  DhGunzip *self = DH_GUNZIP (converter);
  gsize consumed, produced;
  int ret;

  if (!self->ready)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("The gzip decompressor could not be set up"));
      return G_CONVERTER_ERROR;
    }
  if (self->failed != NULL)
    {
      g_propagate_error (error, g_error_copy (self->failed));
      return G_CONVERTER_ERROR;
    }
  if (outbuf_size == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                           _("Not enough space in the output buffer"));
      return G_CONVERTER_ERROR;
    }
  if (self->between)
    {
      GConverterResult result;

      *bytes_written = 0;
      if (!next_member (self, inbuf, inbuf_size, flags, bytes_read, &result, error))
        return result;
    }

  self->zs.next_in = (Bytef *) inbuf;
  self->zs.avail_in = MIN (inbuf_size, G_MAXUINT);
  self->zs.next_out = outbuf;
  self->zs.avail_out = MIN (outbuf_size, G_MAXUINT);
  ret = inflate (&self->zs, Z_NO_FLUSH);
  consumed = (const guint8 *) self->zs.next_in - (const guint8 *) inbuf;
  produced = (guint8 *) self->zs.next_out - (guint8 *) outbuf;

  switch (ret)
    {
    case Z_OK:
    case Z_STREAM_END:
      break;
    case Z_BUF_ERROR:
      /* no progress was possible */
      if (flags & G_CONVERTER_FLUSH)
        {
          *bytes_read = *bytes_written = 0;
          return G_CONVERTER_FLUSHED;
        }
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT, _("Need more input"));
      return G_CONVERTER_ERROR;
    case Z_MEM_ERROR:
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Not enough memory"));
      return G_CONVERTER_ERROR;
    default:
      /* Z_DATA_ERROR, Z_NEED_DICT, Z_STREAM_ERROR */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s",
                   self->zs.msg ? self->zs.msg : _("Invalid compressed data"));
      return G_CONVERTER_ERROR;
    }

  remember_tail (self, inbuf, consumed);
  self->crc = libdeflate_crc32 (self->crc, outbuf, produced);
  self->size += (guint32) produced;
  *bytes_read = consumed;
  *bytes_written = produced;

  if (ret == Z_STREAM_END)
    {
      guint32 crc, size;

      memcpy (&crc, self->tail, 4);
      memcpy (&size, self->tail + 4, 4);
      crc = GUINT32_FROM_LE (crc);
      size = GUINT32_FROM_LE (size);

      if (crc != self->crc)
        self->failed = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                            _("the CRC-32 of the data does not match the "
                                              "gzip trailer"));
      else if (size != self->size)
        self->failed = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                            _("the length of the data does not match the "
                                              "gzip trailer"));
      /* The data is handed over either way (as the data before a corrupt
       * block is); the next call reports the bad trailer. */
      if (self->failed)
        return G_CONVERTER_CONVERTED;
      self->between = TRUE;
      if (consumed == inbuf_size && (flags & G_CONVERTER_INPUT_AT_END))
        return G_CONVERTER_FINISHED;
      return G_CONVERTER_CONVERTED;
    }
  return G_CONVERTER_CONVERTED;
}

static void
dh_gunzip_converter_init (GConverterIface *iface)
{
  iface->convert = dh_gunzip_convert;
  iface->reset = dh_gunzip_reset;
}

/**
 * dh_gunzip_new:
 *
 * Returns: (transfer full): a decompressor for a gzip stream of one member
 *   or several
 */
DhGunzip *
dh_gunzip_new (void)
{
  return g_object_new (DH_TYPE_GUNZIP, NULL);
}
