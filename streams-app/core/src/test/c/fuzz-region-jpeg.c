/*
 * Memory-safety check of the region decoder and its entropy decoder on corrupted JPEGs; not part of
 * the test suite (it needs a sanitizer build). From streams-app/core:
 *
 *   gcc -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined -Isrc/main/c \
 *       -o /tmp/fuzz src/test/c/fuzz-region-jpeg.c src/main/c/region_jpeg.c src/main/c/huffman.c \
 *       -ljpeg -lturbojpeg
 *   /tmp/fuzz 40000 ../../../shared/images/imagenet-sample/[a-z]* src/test/resources/jpeg-codings/[a-z]*.jpg
 *
 * Each iteration takes the next file, changes 1 to 4 bytes of its scan data (a third of them to
 * 0xFF, which makes stuffing and markers) or cuts it short inside the scan, and decodes it whole,
 * a centre region and at scale 1/2. A sanitizer report aborts the run; the last line counts the
 * outcomes by return code.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <turbojpeg.h>

int ssj_decode(const unsigned char *jpeg, unsigned long size, int scale_num, int scale_denom, int out_w,
               int out_h, int x, int y, int w, int h, unsigned char *dst, long dst_cap, char *msg, int msg_cap);

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s ITERATIONS JPEG...\n", argv[0]);
    return 2;
  }
  static unsigned char out[3 * 4000 * 4000];
  int counts[5] = {0}; /* by ssj_decode's code + 2: MISMATCH, ERROR, OK, WARNING, NOT_RGB */
  srand(12345);
  for (int iter = 0; iter < atoi(argv[1]); iter++) {
    const char *path = argv[2 + iter % (argc - 2)];
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
      perror(path);
      return 1;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc((size_t)n);
    if (b == NULL || fread(b, 1, (size_t)n, f) != (size_t)n) {
      return 1;
    }
    fclose(f);
    long sos = 0;
    for (long i = 2; i + 3 < n; i++) {
      if (b[i] == 0xFF && b[i + 1] == 0xDA) {
        sos = i + 2 + (b[i + 2] << 8 | b[i + 3]);
        break;
      }
    }
    if (sos > 0 && sos < n) {
      if (rand() % 4 == 3) {
        n = sos + rand() % (n - sos);
      } else {
        for (int k = 0; k <= rand() % 4; k++) {
          b[sos + rand() % (n - sos)] = rand() % 3 == 0 ? 0xFF : (unsigned char)(rand() % 256);
        }
      }
    }
    tjhandle tj = tjInitDecompress();
    int w, h, subsampling, colorspace;
    if (tjDecompressHeader3(tj, b, (unsigned long)n, &w, &h, &subsampling, &colorspace) == 0
        && (long)w * h * 3 <= (long)sizeof out) {
      char msg[256];
      counts[ssj_decode(b, (unsigned long)n, 1, 1, w, h, 0, 0, w, h, out, sizeof out, msg, sizeof msg) + 2]++;
      if (w > 8 && h > 8) {
        ssj_decode(b, (unsigned long)n, 1, 1, w, h, w / 4, h / 4, w / 2, h / 2, out, sizeof out, msg, sizeof msg);
      }
      ssj_decode(b, (unsigned long)n, 1, 2, (w + 1) / 2, (h + 1) / 2, 0, 0, (w + 1) / 2, (h + 1) / 2, out,
                 sizeof out, msg, sizeof msg);
    }
    tjDestroy(tj);
    free(b);
  }
  printf("mismatch %d error %d ok %d warning %d not-rgb %d\n", counts[0], counts[1], counts[2], counts[3],
         counts[4]);
  return 0;
}
