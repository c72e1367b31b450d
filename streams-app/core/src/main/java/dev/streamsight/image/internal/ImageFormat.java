package dev.streamsight.image.internal;

import dev.streamsight.ReasonCode;
import dev.streamsight.image.ImageException;
import java.nio.charset.StandardCharsets;

/** The encoded formats Streamsight decodes, recognised by their magic bytes. */
public enum ImageFormat {
    JPEG, PNG, GIF, BMP, WEBP;

    private static final byte[] JPEG_MAGIC = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final byte[] GIF87 = ascii("GIF87a");
    private static final byte[] GIF89 = ascii("GIF89a");

    /**
     * Identifies the format of {@code data}.
     *
     * @throws ImageException EMPTY_INPUT for zero bytes; TRUNCATED when the input is a strict prefix
     *     of a magic number; UNSUPPORTED_FORMAT otherwise, naming what the bytes look like
     */
    public static ImageFormat sniff(byte[] data) {
        if (data.length == 0) {
            throw new ImageException(ReasonCode.EMPTY_INPUT, "empty input (0 bytes)");
        }
        if (startsWith(data, JPEG_MAGIC)) {
            return JPEG;
        }
        if (startsWith(data, PNG_MAGIC)) {
            return PNG;
        }
        if (startsWith(data, GIF87) || startsWith(data, GIF89)) {
            return GIF;
        }
        if (data.length >= 12 && startsWith(data, ascii("RIFF")) && matches(data, 8, ascii("WEBP"))) {
            return WEBP;
        }
        if (isBmp(data)) {
            return BMP;
        }
        for (byte[] magic : new byte[][] {JPEG_MAGIC, PNG_MAGIC, GIF87, GIF89}) {
            if (data.length < magic.length && startsWith(magic, data)) {
                throw new ImageException(ReasonCode.TRUNCATED,
                        "input of " + data.length + " bytes ends inside an image signature");
            }
        }
        throw new ImageException(ReasonCode.UNSUPPORTED_FORMAT,
                "unsupported format: " + describe(data) + " (" + data.length + " bytes)");
    }

    private static boolean isBmp(byte[] d) {
        if (d.length < 2 || d[0] != 'B' || d[1] != 'M') {
            return false;
        }
        if (d.length < 18) {
            return d.length >= 6; // too short to tell; let the decoder report it as truncated
        }
        int dibSize = (d[14] & 0xFF) | (d[15] & 0xFF) << 8 | (d[16] & 0xFF) << 16 | (d[17] & 0xFF) << 24;
        return switch (dibSize) {
            case 12, 16, 40, 52, 56, 64, 108, 124 -> true;
            default -> false;
        };
    }

    /** A short human description of unrecognised bytes. */
    static String describe(byte[] d) {
        if (startsWith(d, ascii("%PDF"))) {
            return "PDF document";
        }
        if (startsWith(d, ascii("II*\0")) || startsWith(d, ascii("MM\0*"))) {
            return "TIFF image";
        }
        if (d.length >= 12 && matches(d, 4, ascii("ftyp"))) {
            String brand = new String(d, 8, 4, StandardCharsets.ISO_8859_1);
            return brand.startsWith("avi") ? "AVIF image" : brand.startsWith("he") || brand.startsWith("mif")
                    ? "HEIF/HEIC image" : "ISO media file (" + brand.strip() + ")";
        }
        if (startsWith(d, ascii("RIFF"))) {
            return "RIFF container (not WebP)";
        }
        if (startsWith(d, new byte[] {0, 0, 1, 0})) {
            return "ICO image";
        }
        if (startsWith(d, new byte[] {(byte) 0xFF, 0x0A})
                || startsWith(d, new byte[] {0, 0, 0, 0x0C, 'J', 'X', 'L', ' '})) {
            return "JPEG XL image";
        }
        if (startsWith(d, new byte[] {0, 0, 0, 0x0C, 'j', 'P', ' ', ' '})
                || startsWith(d, new byte[] {(byte) 0xFF, 0x4F, (byte) 0xFF, 0x51})) {
            return "JPEG 2000 image";
        }
        if (startsWith(d, ascii("8BPS"))) {
            return "Photoshop document";
        }
        if (startsWith(d, ascii("PK\3\4"))) {
            return "ZIP archive";
        }
        if (startsWith(d, new byte[] {0x1F, (byte) 0x8B})) {
            return "gzip data";
        }
        if (looksLikeText(d)) {
            String head = new String(d, 0, Math.min(d.length, 64), StandardCharsets.UTF_8).stripLeading();
            if (head.startsWith("<")) {
                return head.regionMatches(true, 0, "<svg", 0, 4) || head.contains("<svg")
                        ? "SVG/XML text" : "HTML/XML text";
            }
            return head.startsWith("{") || head.startsWith("[") ? "JSON text" : "text";
        }
        return "unknown binary data";
    }

    private static boolean looksLikeText(byte[] d) {
        int n = Math.min(d.length, 512);
        for (int i = 0; i < n; i++) {
            int b = d[i] & 0xFF;
            if (b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f') {
                return false;
            }
        }
        return true;
    }

    static boolean startsWith(byte[] data, byte[] prefix) {
        return data.length >= prefix.length && matches(data, 0, prefix);
    }

    static boolean matches(byte[] data, int offset, byte[] expected) {
        if (offset < 0 || data.length - offset < expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (data[offset + i] != expected[i]) {
                return false;
            }
        }
        return true;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
