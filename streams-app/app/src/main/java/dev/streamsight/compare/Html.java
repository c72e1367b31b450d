package dev.streamsight.compare;

/** HTML escaping for text and attribute values. Stateless. */
final class Html {
    private Html() {
    }

    /**
     * {@code s} with {@code & < > " '} as character references and control characters as {@code ?}:
     * safe in text and quoted attributes.
     */
    static String escape(String s) {
        s = Table.printable(s);
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
