package dev.streamsight.image.internal;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;

/**
 * Converts any decoded {@link BufferedImage} to interleaved 8-bit RGB from its raw samples, without
 * colour management: alpha is dropped keeping the stored colour values, gray is replicated, samples
 * wider than 8 bits keep their high byte, narrower ones are scaled to 0..255, palettes are looked
 * up, CMYK uses Pillow's formula {@code R = (255-C)(255-K)/255}. Only colour models outside these
 * families fall back to {@link BufferedImage#getRGB}.
 */
public final class RgbConverter {
    private RgbConverter() {
    }

    /** Interleaved RGB of {@code img}, {@code 3 * width * height} bytes. */
    public static byte[] toRgb(BufferedImage img) {
        Raster r = img.getRaster();
        ColorModel cm = img.getColorModel();
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] out = new byte[Math.multiplyExact(Math.multiplyExact(w, h), 3)];
        if (cm instanceof IndexColorModel icm) {
            indexed(r, icm, w, h, out);
        } else if (cm instanceof DirectColorModel dcm && r.getSampleModel() instanceof SinglePixelPackedSampleModel
                && r.getDataBuffer() instanceof DataBufferInt) {
            packedInt(r, dcm, w, h, out);
        } else if (cm instanceof ComponentColorModel ccm && isRgbOrGrayOrCmyk(ccm)) {
            if (r.getSampleModel() instanceof ComponentSampleModel csm
                    && r.getDataBuffer() instanceof DataBufferByte
                    && r.getSampleModelTranslateX() == 0 && r.getSampleModelTranslateY() == 0
                    && ccm.getColorSpace().getType() != ColorSpace.TYPE_CMYK) {
                componentBytes(r, csm, ccm.getNumColorComponents(), w, h, out);
            } else {
                componentSamples(r, ccm, w, h, out);
            }
        } else {
            viaGetRgb(img, w, h, out);
        }
        return out;
    }

    private static boolean isRgbOrGrayOrCmyk(ComponentColorModel ccm) {
        int t = ccm.getColorSpace().getType();
        int n = ccm.getNumColorComponents();
        int dt = ccm.getTransferType();
        boolean integral = dt == DataBuffer.TYPE_BYTE || dt == DataBuffer.TYPE_USHORT || dt == DataBuffer.TYPE_INT;
        return integral && (t == ColorSpace.TYPE_RGB && n == 3 || t == ColorSpace.TYPE_GRAY && n == 1
                || t == ColorSpace.TYPE_CMYK && n == 4);
    }

    private static void componentBytes(Raster r, ComponentSampleModel sm, int colours, int w, int h, byte[] out) {
        DataBufferByte db = (DataBufferByte) r.getDataBuffer();
        int stride = sm.getScanlineStride();
        int ps = sm.getPixelStride();
        int[] banks = sm.getBankIndices();
        int[] offs = sm.getBandOffsets();
        byte[] d0 = db.getData(banks[0]);
        int o0 = db.getOffsets()[banks[0]] + offs[0];
        byte[] d1 = d0;
        byte[] d2 = d0;
        int o1 = o0;
        int o2 = o0;
        if (colours == 3) {
            d1 = db.getData(banks[1]);
            d2 = db.getData(banks[2]);
            o1 = db.getOffsets()[banks[1]] + offs[1];
            o2 = db.getOffsets()[banks[2]] + offs[2];
        }
        int o = 0;
        for (int y = 0; y < h; y++) {
            int row = y * stride;
            for (int x = 0, p = row; x < w; x++, p += ps) {
                out[o++] = d0[o0 + p];
                out[o++] = d1[o1 + p];
                out[o++] = d2[o2 + p];
            }
        }
    }

    private static void componentSamples(Raster r, ComponentColorModel cm, int w, int h, byte[] out) {
        int n = cm.getNumColorComponents();
        int[][] rows = new int[n][w];
        int[] shift = new int[n];
        int[] max = new int[n];
        for (int b = 0; b < n; b++) {
            int bits = cm.getComponentSize(b);
            shift[b] = Math.max(0, bits - 8);
            max[b] = bits < 8 ? (1 << bits) - 1 : 0;
        }
        int minX = r.getMinX();
        int minY = r.getMinY();
        int o = 0;
        for (int y = 0; y < h; y++) {
            for (int b = 0; b < n; b++) {
                r.getSamples(minX, minY + y, w, 1, b, rows[b]);
                int[] s = rows[b];
                for (int x = 0; x < w; x++) {
                    s[x] = max[b] != 0 ? (s[x] * 255 + max[b] / 2) / max[b] : s[x] >>> shift[b];
                }
            }
            if (n == 1) {
                for (int x = 0; x < w; x++) {
                    byte g = (byte) rows[0][x];
                    out[o++] = g;
                    out[o++] = g;
                    out[o++] = g;
                }
            } else if (n == 3) {
                for (int x = 0; x < w; x++) {
                    out[o++] = (byte) rows[0][x];
                    out[o++] = (byte) rows[1][x];
                    out[o++] = (byte) rows[2][x];
                }
            } else {
                for (int x = 0; x < w; x++) {
                    int nk = 255 - rows[3][x];
                    out[o++] = (byte) cmyk(rows[0][x], nk);
                    out[o++] = (byte) cmyk(rows[1][x], nk);
                    out[o++] = (byte) cmyk(rows[2][x], nk);
                }
            }
        }
    }

    /** Pillow's {@code cmyk2rgb}: {@code nk - nk*c/255} with rounding, {@code nk = 255 - k}. */
    static int cmyk(int c, int nk) {
        int t = c * nk + 128;
        return nk - ((t + (t >> 8)) >> 8);
    }

    private static void packedInt(Raster r, DirectColorModel cm, int w, int h, byte[] out) {
        SinglePixelPackedSampleModel sm = (SinglePixelPackedSampleModel) r.getSampleModel();
        int[] data = ((DataBufferInt) r.getDataBuffer()).getData();
        int base = r.getDataBuffer().getOffset()
                - r.getSampleModelTranslateY() * sm.getScanlineStride() - r.getSampleModelTranslateX();
        int stride = sm.getScanlineStride();
        int[] masks = {cm.getRedMask(), cm.getGreenMask(), cm.getBlueMask()};
        int[] shifts = new int[3];
        int[] maxes = new int[3];
        for (int c = 0; c < 3; c++) {
            shifts[c] = Integer.numberOfTrailingZeros(masks[c]);
            maxes[c] = masks[c] >>> shifts[c];
        }
        int o = 0;
        for (int y = 0; y < h; y++) {
            int p = base + y * stride;
            for (int x = 0; x < w; x++) {
                int px = data[p + x];
                for (int c = 0; c < 3; c++) {
                    int v = (px & masks[c]) >>> shifts[c];
                    out[o++] = (byte) (maxes[c] == 255 ? v : maxes[c] == 0 ? 0 : (v * 255 + maxes[c] / 2) / maxes[c]);
                }
            }
        }
    }

    private static void indexed(Raster r, IndexColorModel cm, int w, int h, byte[] out) {
        int size = cm.getMapSize();
        byte[] red = new byte[Math.max(256, size)];
        byte[] green = new byte[red.length];
        byte[] blue = new byte[red.length];
        cm.getReds(red);
        cm.getGreens(green);
        cm.getBlues(blue);
        int[] row = new int[w];
        int o = 0;
        for (int y = 0; y < h; y++) {
            r.getSamples(r.getMinX(), r.getMinY() + y, w, 1, 0, row);
            for (int x = 0; x < w; x++) {
                int i = row[x] >= 0 && row[x] < size ? row[x] : 0;
                out[o++] = red[i];
                out[o++] = green[i];
                out[o++] = blue[i];
            }
        }
    }

    private static void viaGetRgb(BufferedImage img, int w, int h, byte[] out) {
        int[] row = new int[w];
        int o = 0;
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int p = row[x];
                out[o++] = (byte) (p >> 16);
                out[o++] = (byte) (p >> 8);
                out[o++] = (byte) p;
            }
        }
    }
}
