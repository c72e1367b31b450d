/*
 * Test-only JPEG encoder on libjpeg's compression API, so that the core's tests can make JPEGs of
 * every kind the decoders must handle: RGB with any sampling factors, baseline or progressive,
 * grayscale, CMYK and YCCK. Built by src/main/c/build-native.sh (test) into
 * target/test-classes/native/linux-ARCH/libstreamsight_jpeg_test.so and bound in
 * dev.streamsight.testing.LibjpegEncoder. Thread-safe: every call has its own compressor.
 */
#include <setjmp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>

#define SST_EXPORT __attribute__((visibility("default")))

/* Pixel layouts of the input, and what the JPEG stores. */
#define SST_RGB 0  /* 3 bytes a pixel, stored as YCbCr */
#define SST_GRAY 1 /* 1 byte a pixel */
#define SST_CMYK 2 /* 4 bytes a pixel, stored as CMYK */
#define SST_YCCK 3 /* 4 bytes a pixel (CMYK), stored as YCCK */

struct sst_error {
  struct jpeg_error_mgr pub;
  jmp_buf escape;
};

static void sst_error_exit(j_common_ptr cinfo) {
  longjmp(((struct sst_error *)cinfo->err)->escape, 1);
}

/*
 * Compresses width x height pixels of the given layout at quality 1..100. For SST_RGB, the luma
 * component gets sampling factors h_samp x v_samp and the chroma ones 1 x 1 (2 x 2 is 4:2:0).
 * progressive selects libjpeg's default progression. On success *out holds the JPEG (release it
 * with sst_free) and *out_size its length, and 0 is returned; on failure -1, with libjpeg's
 * message in msg.
 */
SST_EXPORT int sst_encode(const unsigned char *pixels, int width, int height, int layout, int h_samp,
                          int v_samp, int quality, int progressive, unsigned char **out,
                          unsigned long *out_size, char *msg, int msg_cap) {
  static const int components[] = {3, 1, 4, 4};
  static const J_COLOR_SPACE input[] = {JCS_RGB, JCS_GRAYSCALE, JCS_CMYK, JCS_CMYK};
  static const J_COLOR_SPACE stored[] = {JCS_YCbCr, JCS_GRAYSCALE, JCS_CMYK, JCS_YCCK};
  struct jpeg_compress_struct cinfo;
  struct sst_error err;
  unsigned char *volatile buffer = NULL;
  unsigned long size = 0;

  *out = NULL;
  *out_size = 0;
  if (layout < SST_RGB || layout > SST_YCCK) {
    snprintf(msg, (size_t)msg_cap, "unknown layout %d", layout);
    return -1;
  }
  memset(&cinfo, 0, sizeof cinfo);
  cinfo.err = jpeg_std_error(&err.pub);
  err.pub.error_exit = sst_error_exit;
  if (setjmp(err.escape)) {
    char text[JMSG_LENGTH_MAX];
    (*cinfo.err->format_message)((j_common_ptr)&cinfo, text);
    snprintf(msg, (size_t)msg_cap, "%s", text);
    jpeg_destroy_compress(&cinfo);
    free(buffer);
    return -1;
  }
  jpeg_create_compress(&cinfo);
  jpeg_mem_dest(&cinfo, (unsigned char **)&buffer, &size);
  cinfo.image_width = (JDIMENSION)width;
  cinfo.image_height = (JDIMENSION)height;
  cinfo.input_components = components[layout];
  cinfo.in_color_space = input[layout];
  jpeg_set_defaults(&cinfo);
  jpeg_set_colorspace(&cinfo, stored[layout]);
  jpeg_set_quality(&cinfo, quality, TRUE);
  if (layout == SST_RGB) {
    cinfo.comp_info[0].h_samp_factor = h_samp;
    cinfo.comp_info[0].v_samp_factor = v_samp;
  }
  if (progressive) {
    jpeg_simple_progression(&cinfo);
  }
  jpeg_start_compress(&cinfo, TRUE);
  size_t stride = (size_t)width * (size_t)components[layout];
  while (cinfo.next_scanline < cinfo.image_height) {
    JSAMPROW row = (JSAMPROW)(pixels + (size_t)cinfo.next_scanline * stride);
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  *out = buffer;
  *out_size = size;
  return 0;
}

/* Releases a JPEG returned by sst_encode. */
SST_EXPORT void sst_free(unsigned char *jpeg) { free(jpeg); }
