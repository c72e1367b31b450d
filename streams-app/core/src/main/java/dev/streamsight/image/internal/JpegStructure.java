package dev.streamsight.image.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The marker segments of a JPEG up to its first scan, found without decoding: where the EXIF
 * payload is, which APP2 segments carry an ICC profile, whether the headers are cut short, and
 * whether an EOI marker follows the scan data. Bounded, allocation-light, never throws.
 *
 * @param sosEnd offset of the first entropy-coded byte, or -1 if no SOS was reached
 * @param headerTruncated the data ends inside (or before the end of) the marker segments before SOS
 * @param exifOffset offset of the TIFF header in the first APP1 "Exif" segment, or -1
 * @param exifLength length of that TIFF payload
 * @param iccSegments {start, end} byte ranges of APP2 ICC_PROFILE segments (marker included)
 * @param width width declared by the first SOFn segment, or -1
 * @param height height declared by the first SOFn segment, or -1
 * @param components colour components declared by the first SOFn segment (1 gray, 3 YCbCr/RGB, 4
 *     CMYK/YCCK), or -1
 */
public record JpegStructure(int sosEnd, boolean headerTruncated, int exifOffset, int exifLength,
        List<int[]> iccSegments, int width, int height, int components) {
    private static final byte[] EXIF_ID = ImageFormat.ascii("Exif\0\0");
    private static final byte[] ICC_ID = ImageFormat.ascii("ICC_PROFILE\0");

    /** Scans {@code d}, which starts with the JPEG SOI marker. */
    public static JpegStructure scan(byte[] d) {
        int pos = 2;
        int exifOffset = -1;
        int exifLength = 0;
        List<int[]> icc = new ArrayList<>(0);
        int width = -1;
        int height = -1;
        int components = -1;
        while (true) {
            if (pos >= d.length) {
                return new JpegStructure(-1, true, exifOffset, exifLength, icc, width, height, components);
            }
            if ((d[pos] & 0xFF) != 0xFF) {
                // Bytes between markers: libjpeg skips them with a warning; leave the verdict to it.
                return new JpegStructure(-1, false, exifOffset, exifLength, icc, width, height, components);
            }
            int start = pos;
            while (pos < d.length && (d[pos] & 0xFF) == 0xFF) {
                pos++;
            }
            if (pos >= d.length) {
                return new JpegStructure(-1, true, exifOffset, exifLength, icc, width, height, components);
            }
            int marker = d[pos++] & 0xFF;
            if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                continue;
            }
            if (marker == 0xD9) {
                return new JpegStructure(-1, false, exifOffset, exifLength, icc, width, height, components);
            }
            if (!isSegmentMarker(marker)) {
                // Not a JPEG marker (garbage): no verdict here, the decoder reports it.
                return new JpegStructure(-1, false, exifOffset, exifLength, icc, width, height, components);
            }
            if (pos + 2 > d.length) {
                return new JpegStructure(-1, true, exifOffset, exifLength, icc, width, height, components);
            }
            int len = (d[pos] & 0xFF) << 8 | (d[pos + 1] & 0xFF);
            if (len < 2) {
                return new JpegStructure(-1, false, exifOffset, exifLength, icc, width, height, components);
            }
            if (pos + len > d.length) {
                return new JpegStructure(-1, true, exifOffset, exifLength, icc, width, height, components);
            }
            if (marker == 0xE1 && exifOffset < 0 && ImageFormat.matches(d, pos + 2, EXIF_ID)
                    && len >= 2 + EXIF_ID.length) {
                exifOffset = pos + 2 + EXIF_ID.length;
                exifLength = len - 2 - EXIF_ID.length;
            } else if (marker == 0xE2 && ImageFormat.matches(d, pos + 2, ICC_ID)) {
                icc.add(new int[] {start, pos + len});
            } else if (width < 0 && marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8
                    && marker != 0xCC && len >= 8) {
                height = (d[pos + 3] & 0xFF) << 8 | (d[pos + 4] & 0xFF);
                width = (d[pos + 5] & 0xFF) << 8 | (d[pos + 6] & 0xFF);
                components = d[pos + 7] & 0xFF;
            } else if (marker == 0xDA) {
                return new JpegStructure(pos + len, false, exifOffset, exifLength, icc, width, height, components);
            }
            pos += len;
        }
    }

    /** SOFn, DHT, DAC, SOS, DQT, DNL, DRI, DHP, EXP, APPn, JPGn, COM: markers followed by a length. */
    private static boolean isSegmentMarker(int m) {
        return m >= 0xC0 && m <= 0xCF || m >= 0xDA && m <= 0xDF || m >= 0xE0 && m <= 0xFE;
    }

    /** Whether an EOI marker (FF D9) occurs in the data after the first SOS header. */
    public boolean hasEoiAfterScan(byte[] d) {
        if (sosEnd < 0) {
            return false;
        }
        for (int i = d.length - 2; i >= sosEnd; i--) {
            if ((d[i] & 0xFF) == 0xFF && (d[i + 1] & 0xFF) == 0xD9) {
                return true;
            }
        }
        return false;
    }

    /** {@code d} without its ICC_PROFILE segments ({@code d} itself when there are none). */
    public byte[] withoutIccProfiles(byte[] d) {
        if (iccSegments.isEmpty()) {
            return d;
        }
        int removed = 0;
        for (int[] s : iccSegments) {
            removed += s[1] - s[0];
        }
        byte[] out = new byte[d.length - removed];
        int src = 0;
        int dst = 0;
        for (int[] s : iccSegments) {
            System.arraycopy(d, src, out, dst, s[0] - src);
            dst += s[0] - src;
            src = s[1];
        }
        System.arraycopy(d, src, out, dst, d.length - src);
        return out;
    }
}
