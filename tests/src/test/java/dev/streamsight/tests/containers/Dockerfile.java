package dev.streamsight.tests.containers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dockerfile read the way the builder reads it, as far as the container files test needs: parser
 * directives and comments dropped, continuation lines joined, instructions grouped into stages, and
 * {@code ARG} defaults substituted ({@code ${NAME}}, {@code ${NAME:-default}}, {@code $NAME}). No
 * heredocs (the project's Dockerfiles have none).
 */
record Dockerfile(Path path, Map<String, String> globalArgs, List<Stage> stages) {

    /** One instruction: its keyword upper-cased, its arguments as written, its first line. */
    record Instruction(String keyword, String args, int line) {
        /** The arguments split on blanks outside quotes, quotes removed. */
        List<String> words() {
            return Dockerfile.words(args);
        }

        /** The arguments of the JSON (exec) form, or empty when written in shell form. */
        Optional<List<String>> execForm() {
            String a = args.strip();
            if (!a.startsWith("[") || !a.endsWith("]")) {
                return Optional.empty();
            }
            List<String> out = new ArrayList<>();
            Matcher m = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(a.substring(1, a.length() - 1));
            while (m.find()) {
                out.add(m.group(1));
            }
            return Optional.of(out);
        }

        @Override
        public String toString() {
            return "line " + line + ": " + keyword + " " + args;
        }
    }

    /** One build stage: {@code FROM base [AS name]} and what follows it up to the next FROM. */
    record Stage(int index, String base, String name, List<Instruction> instructions, Map<String, String> args) {
        List<Instruction> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
        }

        Optional<Instruction> last(String keyword) {
            List<Instruction> found = all(keyword);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.getLast());
        }

        /** The text of every RUN of the stage, joined: what it builds and installs. */
        String runText() {
            return String.join("\n", all("RUN").stream().map(Instruction::args).toList());
        }

        /** The stage's ENV values (later ones win), ARG defaults substituted. */
        Map<String, String> env() {
            Map<String, String> env = new LinkedHashMap<>();
            for (Instruction i : all("ENV")) {
                for (String w : i.words()) {
                    int eq = w.indexOf('=');
                    if (eq > 0) {
                        env.put(w.substring(0, eq), w.substring(eq + 1));
                    }
                }
            }
            return env;
        }

        /** {@code text} with this stage's ARG defaults substituted. */
        String substitute(String text) {
            return Dockerfile.substitute(text, args);
        }
    }

    private static final Pattern FROM = Pattern.compile("(?i)(?:--platform=\\S+\\s+)?(\\S+)(?:\\s+AS\\s+(\\S+))?\\s*");

    static Dockerfile parse(Path path) throws IOException {
        List<Instruction> instructions = instructions(Files.readAllLines(path));
        Map<String, String> globalArgs = new LinkedHashMap<>();
        List<Stage> stages = new ArrayList<>();
        List<Instruction> current = null;
        Map<String, String> stageArgs = null;
        for (Instruction i : instructions) {
            if (i.keyword().equals("FROM")) {
                Matcher m = FROM.matcher(i.args());
                if (!m.matches()) {
                    throw new IllegalArgumentException(path + " " + i + ": not FROM image [AS name]");
                }
                current = new ArrayList<>();
                stageArgs = new LinkedHashMap<>();
                stages.add(new Stage(stages.size(), substitute(m.group(1), globalArgs), m.group(2), current, stageArgs));
                continue;
            }
            if (i.keyword().equals("ARG")) {
                // Before the first FROM: global (for FROM lines); in a stage: that stage's, and an
                // ARG without a value there takes the global default, as the builder does.
                for (String w : i.words()) {
                    int eq = w.indexOf('=');
                    String name = eq < 0 ? w : w.substring(0, eq);
                    String value = eq < 0 ? globalArgs.getOrDefault(name, "") : w.substring(eq + 1);
                    (current == null ? globalArgs : stageArgs).put(name, value);
                }
            }
            if (current == null) {
                if (!i.keyword().equals("ARG")) {
                    throw new IllegalArgumentException(path + " " + i + ": only ARG may come before FROM");
                }
                continue;
            }
            current.add(i);
        }
        return new Dockerfile(path, globalArgs, stages);
    }

    Stage last() {
        return stages.getLast();
    }

    Optional<Stage> stage(String nameOrIndex) {
        return stages.stream()
                .filter(s -> nameOrIndex.equals(s.name()) || nameOrIndex.equals(Integer.toString(s.index())))
                .findFirst();
    }

    private static List<Instruction> instructions(List<String> lines) {
        List<Instruction> out = new ArrayList<>();
        StringBuilder pending = null;
        int start = 0;
        boolean directives = true;
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            String trimmed = line.strip();
            if (directives && trimmed.matches("#\\s*\\w+=.*")) {
                continue; // a parser directive (# syntax=...)
            }
            directives = false;
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && pending == null)) {
                continue; // comments, also inside continued instructions, as the builder drops them
            }
            boolean continues = trimmed.endsWith("\\");
            String body = continues ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
            if (pending == null) {
                pending = new StringBuilder(body);
                start = n + 1;
            } else {
                pending.append(' ').append(body);
            }
            if (!continues) {
                String text = pending.toString().strip();
                int space = text.indexOf(' ');
                String keyword = (space < 0 ? text : text.substring(0, space)).toUpperCase(java.util.Locale.ROOT);
                out.add(new Instruction(keyword, space < 0 ? "" : text.substring(space + 1).strip(), start));
                pending = null;
            }
        }
        if (pending != null) {
            throw new IllegalArgumentException("the last instruction ends with a line continuation");
        }
        return out;
    }

    private static final Pattern VARIABLE =
            Pattern.compile("\\$\\{(\\w+)(?::-([^}]*))?}|\\$(\\w+)");

    /**
     * Substitutes {@code vars} into {@code text}; an unknown variable with a {@code :-} default takes
     * it, one without is left as written.
     */
    static String substitute(String text, Map<String, String> vars) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(3);
            String value = vars.get(name);
            if (value == null && m.group(2) != null) {
                value = ""; // undefined: the default applies
            }
            if (value == null) {
                m.appendReplacement(out, Matcher.quoteReplacement(m.group()));
            } else {
                String fallback = m.group(2);
                m.appendReplacement(out, Matcher.quoteReplacement(
                        value.isEmpty() && fallback != null ? fallback : value));
            }
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Splits on blanks outside single or double quotes, removing the quotes. */
    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        char quote = 0;
        boolean inWord = false;
        for (char c : text.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    w.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    out.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
            } else {
                w.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            out.add(w.toString());
        }
        return out;
    }
}
