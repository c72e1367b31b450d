package dev.streamsight.model.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamsight.image.ChannelOrder;
import dev.streamsight.image.Interpolation;
import dev.streamsight.image.LetterboxAlign;
import dev.streamsight.image.PreprocessSpec;
import dev.streamsight.image.ResizeMode;
import dev.streamsight.image.TensorLayout;
import dev.streamsight.model.ModelDescriptor;
import dev.streamsight.model.ModelException;
import dev.streamsight.model.ScoreKind;
import dev.streamsight.model.Task;
import dev.streamsight.postprocess.DetectionDecoderSpec;
import dev.streamsight.postprocess.DetectionFormat;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * JSON form of {@link ModelDescriptor} (documented in {@code MODEL-DESCRIPTORS.md}). Stateless and
 * thread-safe.
 */
public final class DescriptorCodec {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(SerializationFeature.INDENT_OUTPUT);
    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

    private static final Set<String> TOP = Set.of("id", "version", "task", "file", "url", "sha256",
            "input", "preprocess", "output", "detection", "labels", "description", "origin");
    private static final Set<String> INPUT = Set.of("name", "size", "layout");
    private static final Set<String> PREPROCESS = Set.of("resize", "resizeShortSide", "align", "pad",
            "interpolation", "channels", "scale", "mean", "std");
    private static final Set<String> OUTPUT = Set.of("scores");
    private static final Set<String> DETECTION = Set.of("format", "strides", "regMax",
            "scoresAreLogits", "boxesNormalized");

    private DescriptorCodec() {
    }

    /** Parses JSON text into a tree, failing with a message that names {@code source}. */
    public static JsonNode parse(InputStream in, String source) {
        try {
            JsonNode node = MAPPER.readTree(in);
            if (node == null || node.isMissingNode()) {
                throw new ModelException(source + ": empty file, expected a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new ModelException(source + ": not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr()
                            + ", column " + e.getLocation().getColumnNr() + ")"), e);
        } catch (IOException e) {
            throw new ModelException(source + ": cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * Builds a descriptor from its JSON object.
     *
     * @param source file or resource name used in error messages
     * @param defaultId id used when the object has none (a sidecar may omit it), or null to require it
     * @param defaultFile file used when the object has none, or null
     * @param defaultOrigin origin used when the object has none
     */
    public static ModelDescriptor fromJson(JsonNode node, String source, String defaultId,
            String defaultFile, String defaultOrigin) {
        Obj o = new Obj(node, source, "");
        o.only(TOP);
        String id = o.string("id", defaultId);
        if (id == null || id.isBlank()) {
            throw o.error("id", "is required");
        }
        Task task = o.enumValue("task", Task.class, null);
        if (task == null) {
            throw o.error("task", "is required (classification or detection)");
        }
        String sha = o.string("sha256", null);
        if (sha != null && !SHA256.matcher(sha).matches()) {
            throw o.error("sha256", "must be 64 hex digits, got '" + sha + "'");
        }
        String url = o.string("url", null);
        if (url != null && !(url.startsWith("https://") || url.startsWith("http://"))) {
            throw o.error("url", "must be an http(s) address, got '" + url + "'");
        }
        Obj input = o.object("input", true);
        input.only(INPUT);
        int[] size = input.size("size");
        TensorLayout layout = input.enumValue("layout", TensorLayout.class, TensorLayout.NCHW);

        Obj pre = o.object("preprocess", false);
        pre.only(PREPROCESS);
        ResizeMode resize = pre.enumValue("resize", ResizeMode.class,
                task == Task.DETECTION ? ResizeMode.LETTERBOX : ResizeMode.CENTER_CROP);
        PreprocessSpec spec;
        try {
            spec = new PreprocessSpec(size[0], size[1], resize,
                    pre.intValue("resizeShortSide", 0, 0),
                    pre.enumValue("align", LetterboxAlign.class, LetterboxAlign.CENTER),
                    pre.floatValue("pad", resize == ResizeMode.LETTERBOX ? 114f : 0f),
                    pre.enumValue("interpolation", Interpolation.class, Interpolation.BILINEAR),
                    pre.enumValue("channels", ChannelOrder.class, ChannelOrder.RGB),
                    pre.scale("scale", 1f / 255f),
                    pre.triple("mean", new float[] {0f, 0f, 0f}),
                    pre.triple("std", new float[] {1f, 1f, 1f}),
                    layout);
        } catch (IllegalArgumentException e) {
            throw new ModelException(source + ": preprocess: " + e.getMessage(), e);
        }

        ScoreKind scores = null;
        if (o.has("output")) {
            Obj out = o.object("output", true);
            out.only(OUTPUT);
            scores = out.enumValue("scores", ScoreKind.class, null);
        }
        if (task == Task.CLASSIFICATION && scores == null) {
            scores = ScoreKind.LOGITS;
        }
        DetectionDecoderSpec detection = null;
        if (o.has("detection")) {
            Obj d = o.object("detection", true);
            d.only(DETECTION);
            DetectionFormat format = d.enumValue("format", DetectionFormat.class, null);
            if (format == null) {
                throw d.error("format", "is required (yolov8, yolov5, yolox, nanodet or end2end)");
            }
            int[] strides = d.intArray("strides");
            for (int s : strides == null ? new int[0] : strides) {
                if (s <= 0) {
                    throw d.error("strides", "values must be positive");
                }
            }
            try {
                detection = new DetectionDecoderSpec(format, strides, d.intValue("regMax", 7, 0),
                        d.bool("scoresAreLogits", false), d.bool("boxesNormalized", false));
            } catch (IllegalArgumentException e) {
                throw d.error("", e.getMessage());
            }
        }
        if (task == Task.DETECTION && detection == null) {
            throw o.error("detection", "is required for a detector");
        }
        if (task == Task.CLASSIFICATION && detection != null) {
            throw o.error("detection", "is only allowed for task detection");
        }
        if (task == Task.DETECTION && o.has("output")) {
            throw o.error("output", "is only allowed for task classification");
        }
        return new ModelDescriptor(id, o.string("version", null), task,
                o.string("file", defaultFile), url, sha == null ? null : sha.toLowerCase(Locale.ROOT),
                input.string("name", null), spec, task == Task.CLASSIFICATION ? scores : null,
                detection, o.string("labels", null), o.string("description", null),
                o.string("origin", defaultOrigin));
    }

    /** The full JSON object of a descriptor: every field written, so reading it back is lossless. */
    public static ObjectNode toJson(ModelDescriptor d) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode o = f.objectNode();
        o.put("id", d.id());
        o.put("version", d.version());
        o.put("task", lower(d.task()));
        o.put("file", d.file());
        o.put("url", d.url());
        o.put("sha256", d.sha256());
        PreprocessSpec p = d.preprocess();
        ObjectNode input = o.putObject("input");
        if (d.inputName() != null) {
            input.put("name", d.inputName());
        }
        input.putArray("size").add(p.width()).add(p.height());
        input.put("layout", lower(p.layout()));
        ObjectNode pre = o.putObject("preprocess");
        pre.put("resize", lower(p.resize()));
        pre.put("resizeShortSide", p.resizeShortSide());
        pre.put("align", lower(p.align()));
        pre.put("pad", p.padValue());
        pre.put("interpolation", lower(p.interpolation()));
        pre.put("channels", lower(p.channels()));
        String scale = scaleText(p.scale());
        if (scale != null) {
            pre.put("scale", scale);
        } else {
            pre.put("scale", p.scale());
        }
        ArrayNode mean = pre.putArray("mean");
        for (float v : p.mean()) {
            mean.add(v);
        }
        ArrayNode std = pre.putArray("std");
        for (float v : p.std()) {
            std.add(v);
        }
        if (d.scoreKind() != null) {
            o.putObject("output").put("scores", lower(d.scoreKind()));
        }
        if (d.detection() != null) {
            DetectionDecoderSpec s = d.detection();
            ObjectNode det = o.putObject("detection");
            det.put("format", lower(s.format()));
            ArrayNode strides = det.putArray("strides");
            for (int v : s.strides()) {
                strides.add(v);
            }
            det.put("regMax", s.regMax());
            det.put("scoresAreLogits", s.scoresAreLogits());
            det.put("boxesNormalized", s.boxesNormalized());
        }
        o.put("labels", d.labels());
        o.put("description", d.description());
        o.put("origin", d.origin());
        return o;
    }

    /** Pretty-printed JSON text of {@link #toJson}. */
    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String scaleText(float scale) {
        if (scale == 1f) {
            return "1";
        }
        for (String s : new String[] {"1/255", "1/127.5", "1/128", "1/256"}) {
            if (parseFraction(s) == scale) {
                return s;
            }
        }
        return null;
    }

    private static float parseFraction(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            return Float.parseFloat(text.trim());
        }
        double num = Double.parseDouble(text.substring(0, slash).trim());
        double den = Double.parseDouble(text.substring(slash + 1).trim());
        return (float) (num / den);
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    /** A JSON object with its key path, for messages that name file and key. */
    private record Obj(JsonNode node, String source, String prefix) {
        Obj {
            if (node == null || !node.isObject()) {
                throw new ModelException(source + ": " + (prefix.isEmpty() ? "the descriptor"
                        : "key '" + prefix.substring(0, prefix.length() - 1) + "'")
                        + " must be a JSON object");
            }
        }

        ModelException error(String key, String why) {
            String k = (prefix + key).replaceAll("\\.$", "");
            return new ModelException(source + ": key '" + k + "' " + why);
        }

        void only(Set<String> allowed) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
                String k = it.next();
                if (!allowed.contains(k)) {
                    List<String> sorted = new ArrayList<>(allowed);
                    sorted.sort(null);
                    throw error(k, "is unknown (allowed here: " + String.join(", ", sorted) + ")");
                }
            }
        }

        boolean has(String key) {
            return node.has(key) && !node.get(key).isNull();
        }

        Obj object(String key, boolean required) {
            if (!has(key)) {
                if (required) {
                    throw error(key, "is required");
                }
                return new Obj(JsonNodeFactory.instance.objectNode(), source, prefix + key + ".");
            }
            JsonNode v = node.get(key);
            if (!v.isObject()) {
                throw error(key, "must be a JSON object");
            }
            return new Obj(v, source, prefix + key + ".");
        }

        String string(String key, String dflt) {
            if (!has(key)) {
                return dflt;
            }
            JsonNode v = node.get(key);
            if (!v.isTextual()) {
                throw error(key, "must be a string, got " + v);
            }
            return v.asText();
        }

        <E extends Enum<E>> E enumValue(String key, Class<E> type, E dflt) {
            String text = string(key, null);
            if (text == null) {
                return dflt;
            }
            for (E e : type.getEnumConstants()) {
                if (e.name().equalsIgnoreCase(text.replace('-', '_'))) {
                    return e;
                }
            }
            List<String> names = Arrays.stream(type.getEnumConstants())
                    .map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
            throw error(key, "has value '" + text + "', expected one of " + String.join(", ", names));
        }

        int intValue(String key, int dflt, int min) {
            if (!has(key)) {
                return dflt;
            }
            JsonNode v = node.get(key);
            if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                throw error(key, "must be an integer, got " + v);
            }
            if (v.intValue() < min) {
                throw error(key, "must be >= " + min + ", got " + v.intValue());
            }
            return v.intValue();
        }

        float floatValue(String key, float dflt) {
            if (!has(key)) {
                return dflt;
            }
            JsonNode v = node.get(key);
            if (!v.isNumber()) {
                throw error(key, "must be a number, got " + v);
            }
            return v.floatValue();
        }

        boolean bool(String key, boolean dflt) {
            if (!has(key)) {
                return dflt;
            }
            JsonNode v = node.get(key);
            if (!v.isBoolean()) {
                throw error(key, "must be true or false, got " + v);
            }
            return v.booleanValue();
        }

        float scale(String key, float dflt) {
            if (!has(key)) {
                return dflt;
            }
            JsonNode v = node.get(key);
            float s;
            if (v.isNumber()) {
                s = v.floatValue();
            } else if (v.isTextual()) {
                try {
                    s = parseFraction(v.asText());
                } catch (NumberFormatException e) {
                    throw error(key, "must be a number or a fraction like \"1/255\", got " + v);
                }
            } else {
                throw error(key, "must be a number or a fraction like \"1/255\", got " + v);
            }
            if (!(s > 0f) || Float.isInfinite(s)) {
                throw error(key, "must be > 0, got " + v);
            }
            return s;
        }

        float[] triple(String key, float[] dflt) {
            if (!has(key)) {
                return dflt;
            }
            JsonNode v = node.get(key);
            if (v.isNumber()) {
                return new float[] {v.floatValue(), v.floatValue(), v.floatValue()};
            }
            if (!v.isArray() || v.size() != 3) {
                throw error(key, "must be a number or an array of 3 numbers, got " + v);
            }
            float[] out = new float[3];
            for (int i = 0; i < 3; i++) {
                if (!v.get(i).isNumber()) {
                    throw error(key, "must be an array of 3 numbers, got " + v);
                }
                out[i] = v.get(i).floatValue();
            }
            return out;
        }

        int[] intArray(String key) {
            if (!has(key)) {
                return null;
            }
            JsonNode v = node.get(key);
            if (!v.isArray() || v.isEmpty()) {
                throw error(key, "must be a non-empty array of integers, got " + v);
            }
            int[] out = new int[v.size()];
            for (int i = 0; i < out.length; i++) {
                if (!v.get(i).isIntegralNumber() || !v.get(i).canConvertToInt()) {
                    throw error(key, "must be an array of integers, got " + v);
                }
                out[i] = v.get(i).intValue();
            }
            return out;
        }

        /** [width, height] from {@code [w, h]} or a single number for a square input. */
        int[] size(String key) {
            if (!has(key)) {
                throw error(key, "is required ([width, height] or one number)");
            }
            JsonNode v = node.get(key);
            int[] wh;
            if (v.isIntegralNumber() && v.canConvertToInt()) {
                wh = new int[] {v.intValue(), v.intValue()};
            } else if (v.isArray() && v.size() == 2 && v.get(0).isIntegralNumber()
                    && v.get(1).isIntegralNumber()) {
                wh = new int[] {v.get(0).intValue(), v.get(1).intValue()};
            } else {
                throw error(key, "must be [width, height] or one integer, got " + v);
            }
            if (wh[0] <= 0 || wh[1] <= 0) {
                throw error(key, "must be positive, got " + v);
            }
            return wh;
        }
    }
}
