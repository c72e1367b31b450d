/*
 * JPEG decoding with libjpeg-turbo's libjpeg API (libjpeg.so.62), for Streamsight's fast path.
 *
 * ssj_decode decodes any rectangle of a JPEG, the whole image included, at a DCT scale n/8. A
 * centre-cropping classifier reads only part of an image, so rows above the region are skipped
 * (jpeg_skip_scanlines: entropy-decoded, but no IDCT, upsampling or colour conversion), columns
 * outside it are cropped (jpeg_crop_scanline: no IDCT, upsampling or colour conversion), and
 * decoding stops after the region's last row (nothing below it is even entropy-decoded).
 * ssj_info reads just the header, for the dimensions the caller could not find itself.
 *
 * Every byte of the input is parsed by libjpeg-turbo's own code (markers, entropy decoding); this
 * file only drives it. libjpeg reports fatal errors through error_exit, which must not return.
 * That needs setjmp and longjmp in C, which is why this shim exists rather than calling libjpeg
 * from Java directly.
 *
 * Thread-safe: every call has its own decompressor. No callbacks into the caller, no global state,
 * no allocation that outlives the call, so Java may call it as a critical downcall with heap arrays.
 */
#include <setjmp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include <jerror.h>

/* jpeg_crop_scanline and jpeg_skip_scanlines exist since 1.5; 2.1 fixed the last known bugs in them. */
#if !defined(LIBJPEG_TURBO_VERSION_NUMBER) || LIBJPEG_TURBO_VERSION_NUMBER < 2001000
#error "libjpeg-turbo 2.1 or later is required"
#endif

#define SSJ_EXPORT __attribute__((visibility("default")))

#define SSJ_OK 0          /* decoded */
#define SSJ_WARNING 1     /* decoded; libjpeg warned (the first warning, or a premature end, is in msg) */
#define SSJ_NOT_RGB 2     /* CMYK or YCCK: not decoded, the caller uses another decoder */
#define SSJ_ERROR (-1)    /* libjpeg failed (its message is in msg) */
#define SSJ_MISMATCH (-2) /* arguments do not fit the image (explained in msg) */

/* Version of this interface; the Java binding refuses a library with another one. */
SSJ_EXPORT int ssj_abi_version(void) { return 2; }

struct ssj_error {
  struct jpeg_error_mgr pub;
  jmp_buf escape;
  char *msg;
  int msg_cap;
};

static void ssj_set_message(struct ssj_error *e, const char *text) {
  if (e->msg_cap > 0) {
    strncpy(e->msg, text, (size_t)e->msg_cap - 1);
    e->msg[e->msg_cap - 1] = '\0';
  }
}

/* Keeps the text of libjpeg's message: an error's, or a warning's (see ssj_emit_message). */
static void ssj_output_message(j_common_ptr cinfo) {
  char text[JMSG_LENGTH_MAX];
  (*cinfo->err->format_message)(cinfo, text);
  ssj_set_message((struct ssj_error *)cinfo->err, text);
}

/*
 * Counts warnings and keeps the first one's text, except that the data ending early replaces it:
 * that decides whether the image is complete. Trace messages are ignored.
 */
static void ssj_emit_message(j_common_ptr cinfo, int msg_level) {
  if (msg_level < 0) {
    if (cinfo->err->num_warnings == 0 || cinfo->err->msg_code == JWRN_JPEG_EOF) {
      ssj_output_message(cinfo);
    }
    cinfo->err->num_warnings++;
  }
}

static void ssj_error_exit(j_common_ptr cinfo) {
  struct ssj_error *e = (struct ssj_error *)cinfo->err;
  (*cinfo->err->output_message)(cinfo);
  longjmp(e->escape, 1);
}

/* Points cinfo's error manager at err, which keeps libjpeg's message in msg. */
static void ssj_init(struct jpeg_decompress_struct *cinfo, struct ssj_error *err, char *msg, int msg_cap) {
  if (msg_cap > 0) {
    msg[0] = '\0';
  }
  memset(cinfo, 0, sizeof *cinfo);
  cinfo->err = jpeg_std_error(&err->pub);
  err->pub.error_exit = ssj_error_exit;
  err->pub.output_message = ssj_output_message;
  err->pub.emit_message = ssj_emit_message;
  err->msg = msg;
  err->msg_cap = msg_cap;
}

static int ssj_is_rgb(const struct jpeg_decompress_struct *cinfo) {
  return cinfo->jpeg_color_space != JCS_CMYK && cinfo->jpeg_color_space != JCS_YCCK;
}

/*
 * Reads the header of jpeg: its size (as stored, before any EXIF orientation) goes to dims[0] and
 * dims[1]. Returns SSJ_OK, SSJ_WARNING (libjpeg warned about the header; the first warning is in
 * msg), SSJ_NOT_RGB (CMYK or YCCK; dims are set) or SSJ_ERROR (the header is invalid; libjpeg's
 * message is in msg, dims are not set).
 */
SSJ_EXPORT int ssj_info(const unsigned char *jpeg, unsigned long size, int *dims, char *msg, int msg_cap) {
  struct jpeg_decompress_struct cinfo;
  struct ssj_error err;
  int result;

  ssj_init(&cinfo, &err, msg, msg_cap);
  if (setjmp(err.escape)) {
    jpeg_destroy_decompress(&cinfo);
    return SSJ_ERROR;
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, jpeg, size);
  jpeg_read_header(&cinfo, TRUE);
  dims[0] = (int)cinfo.image_width;
  dims[1] = (int)cinfo.image_height;
  result = !ssj_is_rgb(&cinfo) ? SSJ_NOT_RGB : err.pub.num_warnings > 0 ? SSJ_WARNING : SSJ_OK;
  jpeg_destroy_decompress(&cinfo);
  return result;
}

/*
 * Decodes rows [y, y + h) and columns [x, x + w) of the image scaled by scale_num / scale_denom
 * (whose size must be out_w x out_h, as libjpeg computes it) into dst as packed RGB, 3 * w * h
 * bytes; x = y = 0, w = out_w and h = out_h decode the whole image. Returns one of the SSJ_ codes
 * above; on SSJ_ERROR, SSJ_WARNING and SSJ_MISMATCH msg holds a NUL-terminated explanation.
 */
SSJ_EXPORT int ssj_decode(const unsigned char *jpeg, unsigned long size, int scale_num, int scale_denom,
                          int out_w, int out_h, int x, int y, int w, int h,
                          unsigned char *dst, long dst_cap, char *msg, int msg_cap) {
  struct jpeg_decompress_struct cinfo;
  struct ssj_error err;
  unsigned char *volatile row = NULL;
  int result;

  ssj_init(&cinfo, &err, msg, msg_cap);
  if (setjmp(err.escape)) {
    jpeg_destroy_decompress(&cinfo);
    free(row);
    return SSJ_ERROR;
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, jpeg, size);
  jpeg_read_header(&cinfo, TRUE);
  if (!ssj_is_rgb(&cinfo)) {
    jpeg_destroy_decompress(&cinfo);
    return SSJ_NOT_RGB;
  }
  cinfo.out_color_space = JCS_RGB;
  cinfo.dct_method = JDCT_ISLOW;
  cinfo.scale_num = (unsigned int)scale_num;
  cinfo.scale_denom = (unsigned int)scale_denom;
  jpeg_calc_output_dimensions(&cinfo);
  if ((int)cinfo.output_width != out_w || (int)cinfo.output_height != out_h || w <= 0 || h <= 0
      || x < 0 || y < 0 || x > out_w - w || y > out_h - h || dst_cap / 3 / w < h) {
    char text[160];
    snprintf(text, sizeof text, "region %dx%d+%d+%d does not fit the %ux%u image (expected %dx%d)",
             w, h, x, y, cinfo.output_width, cinfo.output_height, out_w, out_h);
    ssj_set_message(&err, text);
    jpeg_destroy_decompress(&cinfo);
    return SSJ_MISMATCH;
  }
  jpeg_start_decompress(&cinfo);

  /*
   * Decode a margin around the region where chroma is upsampled: libjpeg-turbo's fancy upsampling
   * weighs each chroma sample with its neighbours, and at the edge of a cropped or skipped area it
   * has none, so the pixels next to that edge could differ from a whole decode. Two chroma samples
   * of margin on each side keep every neighbour the region's pixels need. Without subsampling
   * along an axis, a pixel depends on its own block only.
   */
  int margin_x = 0;
  int margin_y = 0;
  for (int c = 0; c < cinfo.num_components; c++) {
    if (cinfo.comp_info[c].h_samp_factor != cinfo.max_h_samp_factor) {
      margin_x = 2 * cinfo.max_h_samp_factor;
    }
    if (cinfo.comp_info[c].v_samp_factor != cinfo.max_v_samp_factor) {
      margin_y = 2 * cinfo.max_v_samp_factor;
    }
  }
  int x0 = x > margin_x ? x - margin_x : 0;
  int x1 = out_w - (x + w) > margin_x ? x + w + margin_x : out_w;
  int y0 = y > margin_y ? y - margin_y : 0;
  int y1 = out_h - (y + h) > margin_y ? y + h + margin_y : out_h;

  /* Cropping widens the area to iMCU boundaries: crop_x <= x0 and crop_x + crop_w >= x1. */
  JDIMENSION crop_x = (JDIMENSION)x0;
  JDIMENSION crop_w = (JDIMENSION)(x1 - x0);
  if (x0 > 0 || x1 < out_w) {
    jpeg_crop_scanline(&cinfo, &crop_x, &crop_w);
  }
  size_t row_bytes = (size_t)w * 3;
  size_t skip_bytes = ((size_t)x - crop_x) * 3;
  if (crop_w != (JDIMENSION)w || y0 < y || y1 > y + h) { /* rows or columns to drop */
    row = malloc((size_t)crop_w * 3);
    if (row == NULL) {
      ssj_set_message(&err, "out of memory for a row buffer");
      jpeg_destroy_decompress(&cinfo);
      return SSJ_ERROR;
    }
  }
  if (y0 > 0) {
    jpeg_skip_scanlines(&cinfo, (JDIMENSION)y0);
  }
  while (cinfo.output_scanline < (JDIMENSION)y1) {
    JDIMENSION line = cinfo.output_scanline;
    int wanted = line >= (JDIMENSION)y && line < (JDIMENSION)(y + h);
    unsigned char *out = wanted ? dst + (size_t)(line - (JDIMENSION)y) * row_bytes : NULL;
    JSAMPROW target = row != NULL ? row : out;
    if (jpeg_read_scanlines(&cinfo, &target, 1) != 1) {
      ssj_set_message(&err, "libjpeg returned no scanline");
      free(row);
      jpeg_destroy_decompress(&cinfo);
      return SSJ_ERROR;
    }
    if (wanted && row != NULL) {
      memcpy(out, row + skip_bytes, row_bytes);
    }
  }
  free(row);
  row = NULL;
  if (cinfo.output_scanline == cinfo.output_height) {
    jpeg_finish_decompress(&cinfo); /* reads up to EOI, so a truncated file still warns */
  } else {
    jpeg_abort_decompress(&cinfo);
  }
  result = err.pub.num_warnings > 0 ? SSJ_WARNING : SSJ_OK;
  jpeg_destroy_decompress(&cinfo);
  return result;
}
