package dev.streamsight.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Builds encoded test images in memory. */
final class TestImages {
    /** Quadrant colours: top-left, top-right, bottom-left, bottom-right. */
    static final int[][] QUADRANTS = {{220, 30, 30}, {30, 200, 30}, {30, 30, 220}, {230, 230, 40}};

    private TestImages() {
    }

    /** Interleaved RGB with four solid quadrants ({@link #QUADRANTS}). */
    static byte[] quadrants(int w, int h) {
        byte[] p = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int[] c = QUADRANTS[(y < h / 2 ? 0 : 2) + (x < w / 2 ? 0 : 1)];
                int i = (y * w + x) * 3;
                p[i] = (byte) c[0];
                p[i + 1] = (byte) c[1];
                p[i + 2] = (byte) c[2];
            }
        }
        return p;
    }

    /** A smooth RGB gradient (so lossy codecs stay close to it). */
    static byte[] gradient(int w, int h) {
        byte[] p = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                p[i] = (byte) (x * 255 / Math.max(1, w - 1));
                p[i + 1] = (byte) (y * 255 / Math.max(1, h - 1));
                p[i + 2] = (byte) ((x + y) * 127 / Math.max(1, w + h - 2));
            }
        }
        return p;
    }

    static BufferedImage rgbImage(byte[] rgb, int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                img.setRGB(x, y, (rgb[i] & 0xFF) << 16 | (rgb[i + 1] & 0xFF) << 8 | (rgb[i + 2] & 0xFF));
            }
        }
        return img;
    }

    static byte[] jpeg(BufferedImage img, float quality, boolean progressive) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            if (progressive) {
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            }
            writer.write(null, new IIOImage(img, null, null), param);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
    }

    static byte[] write(BufferedImage img, String format) {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream()) {
            if (!ImageIO.write(img, format, bytes)) {
                throw new IllegalStateException("no writer for " + format + " / type " + img.getType());
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code jpeg} with an APP1 Exif segment (IFD0 with only the orientation tag) after SOI. */
    static byte[] withExifOrientation(byte[] jpeg, int orientation, boolean bigEndian) {
        byte[] tiff = tiffWithOrientation(orientation, bigEndian);
        ByteBuffer b = ByteBuffer.allocate(jpeg.length + 4 + 6 + tiff.length).order(ByteOrder.BIG_ENDIAN);
        b.put(jpeg, 0, 2);
        b.put((byte) 0xFF).put((byte) 0xE1).putShort((short) (2 + 6 + tiff.length));
        b.put(new byte[] {'E', 'x', 'i', 'f', 0, 0}).put(tiff);
        b.put(jpeg, 2, jpeg.length - 2);
        return b.array();
    }

    static byte[] tiffWithOrientation(int orientation, boolean bigEndian) {
        ByteBuffer t = ByteBuffer.allocate(26).order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        t.put(bigEndian ? (byte) 'M' : (byte) 'I').put(bigEndian ? (byte) 'M' : (byte) 'I');
        t.putShort((short) 42).putInt(8).putShort((short) 1);
        t.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        t.putInt(0);
        return t.array();
    }

    /** Mean RGB of the square of side {@code 2r+1} centred on (cx, cy). */
    static double[] meanAround(RgbImage img, int cx, int cy, int r) {
        double[] sum = new double[3];
        int n = 0;
        for (int y = cy - r; y <= cy + r; y++) {
            for (int x = cx - r; x <= cx + r; x++) {
                int i = (y * img.width() + x) * 3;
                for (int c = 0; c < 3; c++) {
                    sum[c] += img.pixels()[i + c] & 0xFF;
                }
                n++;
            }
        }
        for (int c = 0; c < 3; c++) {
            sum[c] /= n;
        }
        return sum;
    }

    /** Mean absolute difference per sample, and the max, of two equally sized images. */
    static double[] difference(RgbImage a, RgbImage b) {
        if (a.width() != b.width() || a.height() != b.height()) {
            throw new AssertionError("sizes differ: " + a.width() + "x" + a.height() + " vs " + b.width() + "x"
                    + b.height());
        }
        long sum = 0;
        int max = 0;
        byte[] pa = a.pixels();
        byte[] pb = b.pixels();
        for (int i = 0; i < pa.length; i++) {
            int d = Math.abs((pa[i] & 0xFF) - (pb[i] & 0xFF));
            sum += d;
            max = Math.max(max, d);
        }
        return new double[] {(double) sum / pa.length, max};
    }
}
