package dev.streamsight.image.internal;

/**
 * Walks a GIF's block structure up to the end of its first image, without decoding, to tell a
 * file cut short from a corrupt one: the JDK's GIF reader reports both as the same I/O error.
 * Only the first frame is decoded (see {@code ImageDecoder}), so data missing after it does not
 * count. Stateless; never throws.
 */
final class GifStructure {
    private static final int HEADER = 6;
    private static final int SCREEN_DESCRIPTOR = 7;
    private static final int IMAGE_DESCRIPTOR = 10;

    private GifStructure() {
    }

    /**
     * Whether {@code d} (starting with a GIF signature) ends before its first image's data is
     * complete. False when the structure is complete up to there, and when it is malformed in some
     * other way (an unknown block, a trailer before any image): that is for the decoder to report.
     */
    static boolean firstImageTruncated(byte[] d) {
        int pos = HEADER + SCREEN_DESCRIPTOR;
        if (d.length < pos) {
            return true;
        }
        int packed = d[HEADER + 4] & 0xFF;
        if ((packed & 0x80) != 0) {
            pos += 3 << ((packed & 0x07) + 1); // global colour table
        }
        while (true) {
            if (pos >= d.length) {
                return true;
            }
            int introducer = d[pos] & 0xFF;
            if (introducer == 0x21) { // extension: label, then data sub-blocks
                pos = skipSubBlocks(d, pos + 2);
                if (pos < 0) {
                    return true;
                }
            } else if (introducer == 0x2C) { // image descriptor
                if (pos + IMAGE_DESCRIPTOR > d.length) {
                    return true;
                }
                int imagePacked = d[pos + 9] & 0xFF;
                pos += IMAGE_DESCRIPTOR;
                if ((imagePacked & 0x80) != 0) {
                    pos += 3 << ((imagePacked & 0x07) + 1); // local colour table
                }
                return skipSubBlocks(d, pos + 1) < 0; // after the LZW minimum code size
            } else {
                return false; // trailer or garbage before any image: not a truncation
            }
        }
    }

    /** The offset after the sub-blocks starting at {@code pos} and their terminator, or -1 if cut short. */
    private static int skipSubBlocks(byte[] d, int pos) {
        while (pos < d.length) {
            int size = d[pos] & 0xFF;
            pos += 1 + size;
            if (size == 0) {
                return pos;
            }
        }
        return -1;
    }
}
