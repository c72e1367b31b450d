/* Makes the JPEGs in src/test/resources/jpeg-codings: gcc make-jpeg-codings.c -ljpeg -lm && ./a.out DIR */
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <jpeglib.h>
/* Writes small JPEGs with restart markers, arithmetic coding and one scan per component, for the region decoder tests. */
static void write(const char *path, int w, int h, int mode) {
  struct jpeg_compress_struct c; struct jpeg_error_mgr e; FILE *f = fopen(path, "wb");
  c.err = jpeg_std_error(&e); jpeg_create_compress(&c); jpeg_stdio_dest(&c, f);
  c.image_width = w; c.image_height = h; c.input_components = 3; c.in_color_space = JCS_RGB;
  jpeg_set_defaults(&c); jpeg_set_quality(&c, 90, TRUE);
  if (mode == 0) { c.restart_in_rows = 1; }                       /* a restart marker every MCU row */
  if (mode == 1) { c.arith_code = TRUE; }                          /* arithmetic coding */
  if (mode == 2) {                                                 /* baseline, one scan per component */
    static jpeg_scan_info scans[3];
    for (int i = 0; i < 3; i++) { scans[i].comps_in_scan = 1; scans[i].component_index[0] = i; scans[i].Ss = 0; scans[i].Se = 63; scans[i].Ah = 0; scans[i].Al = 0; }
    c.scan_info = scans; c.num_scans = 3;
  }
  if (mode == 3) { c.restart_interval = 7; c.comp_info[0].h_samp_factor = 2; c.comp_info[0].v_samp_factor = 1; } /* 4:2:2, restarts every 7 MCUs */
  jpeg_start_compress(&c, TRUE);
  unsigned char *row = malloc(3 * w);
  while (c.next_scanline < c.image_height) {
    int y = c.next_scanline;
    for (int x = 0; x < w; x++) {
      row[3*x] = (unsigned char)(128 + 100 * sin(x * 0.07) * cos(y * 0.05));
      row[3*x+1] = (unsigned char)((x * 255) / w);
      row[3*x+2] = (unsigned char)(((x / 9 + y / 7) % 2) ? 220 : 30);
    }
    jpeg_write_scanlines(&c, &row, 1);
  }
  jpeg_finish_compress(&c); jpeg_destroy_compress(&c); fclose(f); free(row);
}
int main(int argc, char **argv) {
  const char *dir = argv[1]; char p[512];
  snprintf(p, sizeof p, "%s/restart-every-row-333x217.jpg", dir); write(p, 333, 217, 0);
  snprintf(p, sizeof p, "%s/arithmetic-301x199.jpg", dir); write(p, 301, 199, 1);
  snprintf(p, sizeof p, "%s/non-interleaved-scans-257x190.jpg", dir); write(p, 257, 190, 2);
  snprintf(p, sizeof p, "%s/restart-every-7-mcus-422-310x205.jpg", dir); write(p, 310, 205, 3);
  return 0;
}
