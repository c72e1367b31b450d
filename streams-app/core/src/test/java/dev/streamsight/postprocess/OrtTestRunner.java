package dev.streamsight.postprocess;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import dev.streamsight.image.Geometry;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Test-only plumbing to run a real detector through plain ONNX Runtime: a minimal letterbox (Java2D
 * bilinear resize) and the batch-1 output copy. Production preprocessing and the engine live elsewhere;
 * this exists only so the decoders can be checked end to end on the shared fixtures.
 */
final class OrtTestRunner {
    private OrtTestRunner() {
    }

    /** How a model wants its input (all values per tensor channel, in tensor channel order). */
    record Prep(int size, boolean bgr, boolean centred, float pad, float[] mean, float[] std) {
    }

    record Letterboxed(float[] nchw, Geometry geometry) {
    }

    static Letterboxed letterbox(Path photo, Prep p) throws IOException {
        BufferedImage img = ImageIO.read(photo.toFile());
        int w = img.getWidth();
        int h = img.getHeight();
        int s = p.size();
        double r = Math.min((double) s / w, (double) s / h);
        int nw = (int) Math.round(w * r);
        int nh = (int) Math.round(h * r);
        int left = p.centred() ? (s - nw) / 2 : 0;
        int top = p.centred() ? (s - nh) / 2 : 0;
        // Bilinear resize onto a canvas filled with the pad value (as cv2.resize INTER_LINEAR + pad).
        BufferedImage canvas = new BufferedImage(s, s, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        int pad = Math.round(p.pad());
        g.setColor(new Color(pad, pad, pad));
        g.fillRect(0, 0, s, s);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(img, left, top, nw, nh, null);
        g.dispose();
        float[] out = new float[3 * s * s];
        int plane = s * s;
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                int rgb = canvas.getRGB(x, y);
                float red = (rgb >> 16) & 0xff;
                float green = (rgb >> 8) & 0xff;
                float blue = rgb & 0xff;
                float[] px = p.bgr() ? new float[] {blue, green, red} : new float[] {red, green, blue};
                for (int c = 0; c < 3; c++) {
                    out[c * plane + y * s + x] = (px[c] - p.mean()[c]) / p.std()[c];
                }
            }
        }
        return new Letterboxed(out, new Geometry(w, h, r, r, left, top));
    }

    /** Runs the model at batch 1 and returns its outputs in session order, batch dimension removed. */
    static List<OutputTensor> run(Path model, float[] nchw, int size) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            opts.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(model.toString(), opts);
                    OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(nchw),
                            new long[] {1, 3, size, size});
                    OrtSession.Result result = session.run(
                            Map.of(session.getInputNames().iterator().next(), input))) {
                List<OutputTensor> outs = new ArrayList<>();
                for (Map.Entry<String, OnnxValue> e : result) {
                    OnnxTensor t = (OnnxTensor) e.getValue();
                    long[] shape = t.getInfo().getShape();
                    FloatBuffer fb = t.getFloatBuffer();
                    float[] data = new float[fb.remaining()];
                    fb.get(data);
                    if (shape[0] != 1) {
                        throw new IllegalStateException("expected batch 1: " + Arrays.toString(shape));
                    }
                    outs.add(new OutputTensor(e.getKey(), Arrays.copyOfRange(shape, 1, shape.length), data));
                }
                return outs;
            }
        }
    }
}
