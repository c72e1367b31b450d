/*
 * The fast baseline entropy decoder of huffman.c, which replaces libjpeg-turbo's for one scan.
 */
#ifndef SSJ_HUFFMAN_H
#define SSJ_HUFFMAN_H

#include <stdint.h>
#include <stdio.h>
#include <jpeglib.h>
#include <jpegint.h>

/* One Huffman table, expanded for decoding. */
struct ssj_huff_table {
  /* By the next 10 bits: (symbol << 8) | code length, or 0 where the code is longer. */
  uint16_t lookup[1 << 10];
  /* AC tables only, by the next 10 bits: (value << 16) | (run << 8) | (code + magnitude length)
   * where a coefficient's code and magnitude bits fit in 10 bits; (run << 8) | code length for
   * end of block (run 0) and sixteen zeros (run 15); else 0. */
  int32_t fast_ac[1 << 10];
  int32_t maxcode[17]; /* largest code of each length, -1 if none */
  int32_t valoffset[17];
  uint8_t huffval[256];
};

/* The decoder's state; pub must stay first (cinfo->entropy points at it). */
struct ssj_huff {
  struct jpeg_entropy_decoder pub;
  uint64_t bits; /* next bit is bit 63 */
  int nbits;     /* bits in the buffer, phantom ones included */
  int phantom;   /* zero bits added past a marker or the end of the data */
  int marker_hit;
  unsigned int restarts_to_go;
  int last_dc[MAX_COMPS_IN_SCAN];
  const struct ssj_huff_table *dc_of_block[D_MAX_BLOCKS_IN_MCU];
  const struct ssj_huff_table *ac_of_block[D_MAX_BLOCKS_IN_MCU];
  struct ssj_huff_table dc[NUM_HUFF_TBLS];
  struct ssj_huff_table ac[NUM_HUFF_TBLS];
};

/*
 * After jpeg_start_decompress: if the image is one baseline Huffman scan of 8-bit samples read from
 * memory, builds h's tables, makes h the decompressor's entropy decoder and returns 1; otherwise
 * leaves everything as it was and returns 0. h must live until the decompressor is destroyed.
 */
int ssj_huff_install(j_decompress_ptr cinfo, struct ssj_huff *h);

#endif
