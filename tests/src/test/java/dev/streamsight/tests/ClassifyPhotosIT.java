package dev.streamsight.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code classify} on the shared photos gives the top-1 classes that ../shared/README.md lists for
 * both pre-trained classifiers (synonyms accepted where the README's answers differ by model).
 */
class ClassifyPhotosIT {
    /** Photo → acceptable top-1 labels. */
    private static final Map<String, Set<String>> EXPECTED = new HashMap<>();

    static {
        Set<String> cat = Set.of("tabby", "tiger cat", "Egyptian cat");
        EXPECTED.put("winml_cat.jpg", cat);
        EXPECTED.put("winml_kitten_224.png", cat);
        EXPECTED.put("winml_dog_golden_retriever.jpg", Set.of("golden retriever"));
        EXPECTED.put("pytorch_hub_dog_samoyed.jpg", Set.of("Samoyed"));
        EXPECTED.put("winml_hummingbird.jpg", Set.of("hummingbird"));
        EXPECTED.put("marp_imagenet_house_finch.jpeg", Set.of("house finch"));
        EXPECTED.put("coco_000000000285_bear.jpg", Set.of("brown bear"));
        EXPECTED.put("coco_000000005477_airplane.jpg", Set.of("airliner"));
        EXPECTED.put("coco_000000002149_green_apples.jpg", Set.of("Granny Smith"));
        EXPECTED.put("coco_000000009769_pickup_truck.jpg", Set.of("snowplow", "pickup"));
        EXPECTED.put("coco_000000000724_stop_sign.jpg", Set.of("street sign"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mobilenetv2-12-int8", "squeezenet1.0-fp16"})
    void topOneMatchesTheVerifiedAnswers(String model) {
        String[] args = new String[EXPECTED.size() + 4];
        args[0] = "classify";
        args[1] = "--model=" + model;
        args[2] = "--json";
        args[3] = "--top=5";
        List<String> photos = EXPECTED.keySet().stream().sorted().toList();
        for (int i = 0; i < photos.size(); i++) {
            args[i + 4] = Shared.photo(photos.get(i)).toString();
        }
        Cli.Run run = Cli.run(args);
        assertEquals(0, run.exitCode(), run.err());
        List<JsonNode> lines = run.jsonLines();
        assertEquals(photos.size(), lines.size());
        for (int i = 0; i < photos.size(); i++) {
            JsonNode line = lines.get(i);
            assertEquals(args[i + 4], line.get("image").asText());
            assertEquals(model, line.get("model").asText());
            JsonNode top = line.get("top");
            assertEquals(5, top.size());
            for (int k = 1; k < top.size(); k++) {
                assertTrue(top.get(k - 1).get("score").asDouble() >= top.get(k).get("score").asDouble(),
                        "top is sorted by score: " + top);
            }
            String label = top.get(0).get("label").asText();
            assertTrue(EXPECTED.get(photos.get(i)).contains(label),
                    model + " on " + photos.get(i) + ": top-1 " + label + ", expected one of "
                            + EXPECTED.get(photos.get(i)) + "; top-5 " + top);
        }
    }
}
