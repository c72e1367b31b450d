/*
 * Memory-safety check of the native JPEG decoder (region_jpeg.c: its header reading, cropping,
 * skipping and error handling around libjpeg) on corrupted JPEGs; not part of the test suite (it
 * needs a sanitizer build). From streams-app/core:
 *
 *   gcc -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined \
 *       -o /tmp/fuzz src/test/c/fuzz-region-jpeg.c src/main/c/region_jpeg.c -ljpeg
 *   /tmp/fuzz 40000 ../../../shared/images/imagenet-sample/[a-z]* src/test/resources/jpeg-codings/[a-z]*.jpg
 *
 * Each iteration takes the next file, changes 1 to 4 bytes of its headers or scan data (a third of
 * them to 0xFF, which makes stuffing and markers) or cuts it short, reads its header, and decodes
 * it whole, a centre region and at scale 1/2. A sanitizer report aborts the run; the last line
 * counts the outcomes of the whole decodes by return code.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ssj_info(const unsigned char *jpeg, unsigned long size, int *dims, char *msg, int msg_cap);
int ssj_decode(const unsigned char *jpeg, unsigned long size, int scale_num, int scale_denom, int out_w,
               int out_h, int x, int y, int w, int h, unsigned char *dst, long dst_cap, char *msg, int msg_cap);

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s ITERATIONS JPEG...\n", argv[0]);
    return 2;
  }
  static unsigned char out[3 * 4000 * 4000];
  int counts[5] = {0}; /* by ssj_decode's code + 2: MISMATCH, ERROR, OK, WARNING, NOT_RGB */
  int header_errors = 0;
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
      int what = rand() % 8;
      long from = what == 7 ? 2 : sos; /* one in eight changes the headers */
      long span = what == 7 ? sos - 2 : n - sos;
      if (what == 3) {
        n = sos + rand() % (n - sos);
      } else {
        for (int k = 0; k <= rand() % 4; k++) {
          b[from + rand() % span] = rand() % 3 == 0 ? 0xFF : (unsigned char)(rand() % 256);
        }
      }
    }
    char msg[256];
    int dims[2];
    int info = ssj_info(b, (unsigned long)n, dims, msg, sizeof msg);
    int w = dims[0];
    int h = dims[1];
    header_errors += info == -1;
    if ((info == 0 || info == 1) && (long)w * h * 3 <= (long)sizeof out) {
      counts[ssj_decode(b, (unsigned long)n, 1, 1, w, h, 0, 0, w, h, out, sizeof out, msg, sizeof msg) + 2]++;
      if (w > 8 && h > 8) {
        ssj_decode(b, (unsigned long)n, 1, 1, w, h, w / 4, h / 4, w / 2, h / 2, out, sizeof out, msg, sizeof msg);
      }
      ssj_decode(b, (unsigned long)n, 1, 2, (w + 1) / 2, (h + 1) / 2, 0, 0, (w + 1) / 2, (h + 1) / 2, out,
                 sizeof out, msg, sizeof msg);
    }
    free(b);
  }
  printf("header errors %d; decodes: mismatch %d error %d ok %d warning %d not-rgb %d\n", header_errors, counts[0],
         counts[1], counts[2], counts[3], counts[4]);
  return 0;
}
