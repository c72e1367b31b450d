/*
 * A faster entropy decoder for baseline (sequential, Huffman-coded, 8-bit) JPEG scans, installed in
 * place of libjpeg-turbo's own for the one scan of such an image. libjpeg-turbo then does all the
 * rest (IDCT, upsampling, colour conversion, cropping, skipping) exactly as before, so the pixels
 * are the same: entropy decoding is lossless, and this decoder yields the same coefficients.
 *
 * Why: on a photo of a few hundred pixels a side, Huffman decoding is about three quarters of
 * libjpeg-turbo's decode time, and region decoding cannot skip it. libjpeg-turbo looks up a
 * symbol, then reads its magnitude bits in a second step. This decoder also looks up, in one
 * 10-bit table read, the run, the value and the total length of every AC coefficient whose code
 * and magnitude fit in 10 bits (most of them in photos), and refills its 64-bit bit buffer eight
 * bytes at a time where no 0xFF byte needs unstuffing.
 *
 * Anything unusual ends the decode with a libjpeg error (and the Java side then decodes the image
 * with libturbojpeg, which reports the fault in its usual terms): a code that is in no table, fill
 * bytes before a stuffed zero (FF FF 00), or data that runs out or hits a marker before the
 * scan's last MCU, also after a wrong restart marker. A run past the end of a block
 * is clamped as libjpeg clamps it, and restart markers are handled as libjpeg does. The input must come from jpeg_mem_src (the whole
 * file in memory): the decoder reads cinfo->src directly and never asks it for more data.
 *
 * Not thread-safe by itself: one instance per decompressor, owned by the caller of
 * ssj_huff_install, which must keep it alive until the decompressor is destroyed.
 */
#include <string.h>

#include "huffman.h" /* jpeglib.h and jpegint.h, which has no include guard */
#include <jerror.h>

#define FAST_BITS 10
#define FAST_SIZE (1 << FAST_BITS)

/* Zigzag to natural order, with 16 extra entries so that a corrupt run cannot index past a block. */
static const int natural_order[64 + 16] = {
  0,  1,  8, 16,  9,  2,  3, 10, 17, 24, 32, 25, 18, 11,  4,  5,
 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13,  6,  7, 14, 21, 28,
 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63
};

/* Builds t from a JPEG Huffman table; returns 0 if the table is invalid. */
static int build_table(struct ssj_huff_table *t, const JHUFF_TBL *src, int is_ac) {
  int code = 0;
  int k = 0;
  memset(t->lookup, 0, sizeof t->lookup);
  memset(t->fast_ac, 0, sizeof t->fast_ac);
  for (int len = 1; len <= 16; len++) {
    int count = src->bits[len];
    t->valoffset[len] = k - code;
    for (int i = 0; i < count; i++, k++, code++) {
      if (k >= 256 || code >= (1 << len)) {
        return 0; /* too many symbols, or over-subscribed */
      }
      t->huffval[k] = src->huffval[k];
      if (len <= FAST_BITS) {
        int first = code << (FAST_BITS - len);
        for (int j = 0; j < 1 << (FAST_BITS - len); j++) {
          t->lookup[first + j] = (uint16_t)((src->huffval[k] << 8) | len);
        }
      }
    }
    t->maxcode[len] = count > 0 ? code - 1 : -1;
    code <<= 1;
  }
  for (int i = k; i < 256; i++) {
    t->huffval[i] = 0;
  }
  if (!is_ac) {
    return 1;
  }
  for (int i = 0; i < FAST_SIZE; i++) {
    int e = t->lookup[i];
    if (e == 0) {
      continue;
    }
    int len = e & 0xFF;
    int rs = e >> 8;
    int run = rs >> 4;
    int size = rs & 15;
    if (size == 0) { /* end of block (run 0) or sixteen zeros (run 15): value 0 says which */
      if (run == 0 || run == 15) {
        t->fast_ac[i] = (run << 8) | len;
      }
      continue;
    }
    if (len + size > FAST_BITS) {
      continue;
    }
    int v = (i >> (FAST_BITS - len - size)) & ((1 << size) - 1);
    if (v < (1 << (size - 1))) {
      v -= (1 << size) - 1;
    }
    t->fast_ac[i] = (int32_t)((uint32_t)v << 16) | (run << 8) | (len + size);
  }
  return 1;
}

/* Ends the decode with libjpeg's message for `code` (one of its corrupt-data warnings, made fatal). */
static void corrupt(j_decompress_ptr cinfo, int code) {
  ERREXIT(cinfo, code);
}

/* The bit reader's state, in locals of decode_mcu so that the compiler keeps it in registers. */
struct reader {
  uint64_t bits; /* next bit is bit 63 */
  int nbits;     /* bits in the buffer, phantom ones included */
  const JOCTET *p;
  size_t n;
};

/*
 * Fills the buffer to at least 57 bits, byte by byte: unstuffs FF 00, skips fill bytes, and at a
 * marker (which it records in cinfo->unread_marker, as libjpeg does) or the end of the data goes
 * on with zero bits that it counts as phantom.
 */
static void refill_slow(j_decompress_ptr cinfo, struct ssj_huff *h, struct reader *r) {
  while (r->nbits <= 56) {
    int c = 0;
    if (h->marker_hit || r->n == 0) {
      h->marker_hit = 1;
      h->phantom += 8;
    } else {
      c = *r->p++;
      r->n--;
      if (c == 0xFF) {
        int fill = 0;
        while (r->n > 0 && *r->p == 0xFF) { /* fill bytes, valid only before a marker */
          r->p++;
          r->n--;
          fill = 1;
        }
        int m = r->n > 0 ? *r->p : -1;
        if (m == 0 && fill) {
          /* FF FF 00: libjpeg-turbo's two Huffman decoders read it differently (a stuffed FF, or a
           * marker that sends the MCU to its slow path with the fast one's coefficients kept). */
          corrupt(cinfo, JWRN_HIT_MARKER);
        }
        if (m >= 0) {
          r->p++;
          r->n--;
        }
        if (m != 0) {
          if (m > 0) {
            cinfo->unread_marker = m;
          }
          h->marker_hit = 1;
          h->phantom += 8;
          c = 0;
        }
      }
    }
    /* Clear the byte's slot first: a fast refill may have left the stream's next bits there. */
    int shift = 56 - r->nbits;
    r->bits = (r->bits & ~(0xFFULL << shift)) | ((uint64_t)c << shift);
    r->nbits += 8;
  }
}

/* At least 32 bits in the buffer: eight bytes at once where none of them is 0xFF. */
static inline void refill(j_decompress_ptr cinfo, struct ssj_huff *h, struct reader *r) {
  if (r->nbits >= 32) {
    return;
  }
  if (r->n >= 8 && !h->marker_hit) {
    uint64_t w;
    memcpy(&w, r->p, 8);
    uint64_t t = ~w; /* a 0xFF byte of w is a zero byte of t */
    if (((t - 0x0101010101010101ULL) & ~t & 0x8080808080808080ULL) == 0) {
      int take = (64 - r->nbits) >> 3;
      /* The bytes past `take` land in the low bits too; they are the stream's next bits, which
       * the next refill ORs in again. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
      r->bits |= w >> r->nbits;
#else
      r->bits |= __builtin_bswap64(w) >> r->nbits;
#endif
      r->nbits += 8 * take;
      r->p += take;
      r->n -= (size_t)take;
      return;
    }
  }
  refill_slow(cinfo, h, r);
}

static inline void drop(struct reader *r, int count) {
  r->bits <<= count;
  r->nbits -= count;
}

/* The next symbol of table t, or -1 for a code that is in no table. Needs 16 bits in the buffer. */
static inline int decode_symbol(struct reader *r, const struct ssj_huff_table *t) {
  int e = t->lookup[r->bits >> (64 - FAST_BITS)];
  if (e != 0) {
    drop(r, e & 0xFF);
    return e >> 8;
  }
  for (int len = FAST_BITS + 1; len <= 16; len++) {
    int32_t code = (int32_t)(r->bits >> (64 - len));
    if (code <= t->maxcode[len]) {
      drop(r, len);
      return t->huffval[(code + t->valoffset[len]) & 0xFF];
    }
  }
  return -1;
}

/* Reads `size` (1..15) magnitude bits and extends them to a signed value (JPEG's EXTEND). */
static inline int receive_extend(struct reader *r, int size) {
  int v = (int)(r->bits >> (64 - size));
  drop(r, size);
  return v < (1 << (size - 1)) ? v - (1 << size) + 1 : v;
}

/* Past a restart interval: as libjpeg's process_restart. */
static void restart(j_decompress_ptr cinfo, struct ssj_huff *h) {
  int real = h->nbits - h->phantom;
  if (real > 0) {
    cinfo->marker->discarded_bytes += (unsigned int)(real / 8);
  }
  h->bits = 0;
  h->nbits = 0;
  h->phantom = 0;
  if (!(*cinfo->marker->read_restart_marker)(cinfo)) {
    corrupt(cinfo, JWRN_HIT_MARKER); /* suspension: impossible with a memory source */
  }
  /* A wrong restart marker that libjpeg's resynchronisation left pending ends the data, as in
   * libjpeg, whose bit reader reads nothing while a marker is unread. */
  h->marker_hit = cinfo->unread_marker != 0;
  for (int ci = 0; ci < cinfo->comps_in_scan; ci++) {
    h->last_dc[ci] = 0;
  }
  h->restarts_to_go = cinfo->restart_interval;
}

static boolean decode_mcu(j_decompress_ptr cinfo, JBLOCKROW *MCU_data) {
  struct ssj_huff *h = (struct ssj_huff *)cinfo->entropy;
  if (cinfo->restart_interval) {
    if (h->restarts_to_go == 0) {
      restart(cinfo, h);
    }
    h->restarts_to_go--;
  }
  struct reader r = {h->bits, h->nbits, cinfo->src->next_input_byte, cinfo->src->bytes_in_buffer};
  for (int blkn = 0; blkn < cinfo->blocks_in_MCU; blkn++) {
    JCOEF *block = MCU_data != NULL ? MCU_data[blkn][0] : NULL;
    const struct ssj_huff_table *ac = h->ac_of_block[blkn];
    refill(cinfo, h, &r);
    int s = decode_symbol(&r, h->dc_of_block[blkn]);
    if (s < 0 || s > 15) {
      corrupt(cinfo, JWRN_HUFF_BAD_CODE);
    }
    int ci = cinfo->MCU_membership[blkn];
    if (s != 0) { /* wraps like libjpeg's on corrupt data, without signed overflow */
      h->last_dc[ci] = (int)((unsigned int)h->last_dc[ci] + (unsigned int)receive_extend(&r, s));
    }
    if (block != NULL) {
      block[0] = (JCOEF)h->last_dc[ci];
    }
    for (int k = 1; k < 64;) {
      refill(cinfo, h, &r);
      int32_t fast = ac->fast_ac[r.bits >> (64 - FAST_BITS)];
      if (fast != 0) {
        drop(&r, fast & 0xFF);
        int run = (fast >> 8) & 0xFF;
        if ((fast >> 16) == 0) { /* no coefficient */
          if (run == 0) {
            break; /* end of block */
          }
          k += 16;
          continue;
        }
        k += run;
        if (block != NULL) {
          block[natural_order[k]] = (JCOEF)(fast >> 16);
        }
        k++;
        continue;
      }
      int rs = decode_symbol(&r, ac);
      if (rs < 0) {
        corrupt(cinfo, JWRN_HUFF_BAD_CODE);
      }
      int run = rs >> 4;
      int size = rs & 15;
      if (size != 0) {
        k += run;
        int v = receive_extend(&r, size);
        if (block != NULL) {
          block[natural_order[k]] = (JCOEF)v;
        }
        k++;
      } else if (run == 15) {
        k += 16;
      } else {
        break; /* end of block */
      }
    }
    if (r.nbits < h->phantom) {
      corrupt(cinfo, JWRN_HIT_MARKER); /* read past a marker or the end of the data */
    }
  }
  h->bits = r.bits;
  h->nbits = r.nbits;
  cinfo->src->next_input_byte = r.p;
  cinfo->src->bytes_in_buffer = r.n;
  return TRUE;
}

int ssj_huff_install(j_decompress_ptr cinfo, struct ssj_huff *h) {
  if (cinfo->progressive_mode || cinfo->arith_code || cinfo->data_precision != 8
      || cinfo->inputctl->has_multiple_scans || cinfo->Ss != 0 || cinfo->Se != 63 || cinfo->Ah != 0
      || cinfo->Al != 0 || cinfo->src->bytes_in_buffer < 2) {
    return 0;
  }
  int built_dc[NUM_HUFF_TBLS] = {0};
  int built_ac[NUM_HUFF_TBLS] = {0};
  for (int ci = 0; ci < cinfo->comps_in_scan; ci++) {
    jpeg_component_info *comp = cinfo->cur_comp_info[ci];
    int dc = comp->dc_tbl_no;
    int ac = comp->ac_tbl_no;
    if (dc < 0 || dc >= NUM_HUFF_TBLS || ac < 0 || ac >= NUM_HUFF_TBLS || cinfo->dc_huff_tbl_ptrs[dc] == NULL
        || cinfo->ac_huff_tbl_ptrs[ac] == NULL) {
      return 0; /* libjpeg reports it */
    }
    if (!built_dc[dc]) {
      if (!build_table(&h->dc[dc], cinfo->dc_huff_tbl_ptrs[dc], 0)) {
        return 0;
      }
      built_dc[dc] = 1;
    }
    if (!built_ac[ac]) {
      if (!build_table(&h->ac[ac], cinfo->ac_huff_tbl_ptrs[ac], 1)) {
        return 0;
      }
      built_ac[ac] = 1;
    }
    h->last_dc[ci] = 0;
  }
  for (int blkn = 0; blkn < cinfo->blocks_in_MCU; blkn++) {
    jpeg_component_info *comp = cinfo->cur_comp_info[cinfo->MCU_membership[blkn]];
    h->dc_of_block[blkn] = &h->dc[comp->dc_tbl_no];
    h->ac_of_block[blkn] = &h->ac[comp->ac_tbl_no];
  }
  h->bits = 0;
  h->nbits = 0;
  h->phantom = 0;
  h->marker_hit = 0;
  h->restarts_to_go = cinfo->restart_interval;
  h->pub.start_pass = cinfo->entropy->start_pass; /* not called again: the image has one scan */
  h->pub.decode_mcu = decode_mcu;
  h->pub.insufficient_data = FALSE;
  cinfo->entropy = &h->pub;
  return 1;
}
