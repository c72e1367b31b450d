package dev.streamsight.cli;

import dev.streamsight.StreamsightException;
import dev.streamsight.fetch.ImageFetcher;
import dev.streamsight.image.DecodeHint;
import dev.streamsight.image.DecoderOptions;
import dev.streamsight.image.ImageDecoder;
import dev.streamsight.image.ImageDecoders;
import dev.streamsight.image.RgbImage;
import dev.streamsight.inference.DetectionResult;
import dev.streamsight.postprocess.Detection;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws labelled boxes on a full-resolution copy of an image and writes it to a directory as
 * {@code <name>.jpg} (or {@code .png} for PNG sources). Used by {@code detect --draw}; not
 * thread-safe (the CLI calls it from one thread).
 */
final class BoxPainter {
    private static final Color[] PALETTE = {new Color(0xE6194B), new Color(0x3CB44B), new Color(0x4363D8),
        new Color(0xF58231), new Color(0x911EB4), new Color(0x42D4F4), new Color(0xF032E6), new Color(0xBFEF45)};

    private final Path dir;
    private final ImageFetcher fetcher;
    private final ImageDecoder decoder;
    private final java.util.Set<Path> written = new java.util.HashSet<>();

    BoxPainter(Path dir, ImageFetcher fetcher, long maxPixels) {
        this.dir = dir;
        this.fetcher = fetcher;
        this.decoder = ImageDecoders.fallback(new DecoderOptions(maxPixels));
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    void paint(String image, DetectionResult result) {
        RgbImage rgb;
        try {
            rgb = decoder.decode(fetcher.fetch(image), DecodeHint.FULL_RESOLUTION);
        } catch (StreamsightException e) {
            System.err.println("streamsight detect: cannot draw " + image + ": " + e.getMessage());
            return;
        }
        BufferedImage canvas = toBufferedImage(rgb);
        Graphics2D g = canvas.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            int stroke = Math.max(2, Math.min(rgb.width(), rgb.height()) / 250);
            g.setStroke(new BasicStroke(stroke));
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(12, stroke * 6)));
            FontMetrics fm = g.getFontMetrics();
            for (Detection d : result.detections()) {
                Color c = PALETTE[Math.floorMod(d.index(), PALETTE.length)];
                int x = Math.round(d.x1());
                int y = Math.round(d.y1());
                int w = Math.round(d.x2() - d.x1());
                int h = Math.round(d.y2() - d.y1());
                g.setColor(c);
                g.drawRect(x, y, w, h);
                String text = String.format(Locale.ROOT, "%s %.2f", d.label(), d.score());
                int tw = fm.stringWidth(text) + 6;
                int th = fm.getHeight();
                int ty = y - th < 0 ? y : y - th;
                g.fillRect(x, ty, tw, th);
                g.setColor(Color.WHITE);
                g.drawString(text, x + 3, ty + fm.getAscent());
            }
        } finally {
            g.dispose();
        }
        String name = Path.of(image.replaceFirst("^[a-zA-Z]+://", "")).getFileName().toString();
        boolean png = name.toLowerCase(Locale.ROOT).endsWith(".png");
        String base = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
        String ext = png ? ".png" : ".jpg";
        Path target = dir.resolve(base + ext);
        // Two inputs with the same file name (from different directories) must not overwrite each other.
        for (int n = 2; !written.add(target); n++) {
            target = dir.resolve(base + "-" + n + ext);
        }
        try {
            ImageIO.write(canvas, png ? "png" : "jpg", target.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    private static BufferedImage toBufferedImage(RgbImage rgb) {
        BufferedImage img = new BufferedImage(rgb.width(), rgb.height(), BufferedImage.TYPE_INT_RGB);
        byte[] px = rgb.pixels();
        int[] row = new int[rgb.width()];
        for (int y = 0; y < rgb.height(); y++) {
            int o = y * rgb.width() * 3;
            for (int x = 0; x < rgb.width(); x++, o += 3) {
                row[x] = (px[o] & 0xFF) << 16 | (px[o + 1] & 0xFF) << 8 | (px[o + 2] & 0xFF);
            }
            img.setRGB(0, y, rgb.width(), 1, row, 0, rgb.width());
        }
        return img;
    }
}
