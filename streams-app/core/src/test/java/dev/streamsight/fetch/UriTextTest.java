package dev.streamsight.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UriTextTest {
    @Test
    void referencesLoseCredentialsQueriesAndControlCharacters() {
        assertEquals("https://***@host/a.jpg?***", UriText.forMessage("https://user:pw@host/a.jpg?sig=secret"));
        assertEquals("file:///x\\u000a[ERROR] forged.jpg", UriText.forMessage("file:///x\n[ERROR] forged.jpg"));
    }

    @Test
    void eventTextIsEscapedAndCutButOtherwiseKept() {
        assertEquals("ev-1?a=b@c", UriText.escaped("ev-1?a=b@c"), "an id is not a URL: nothing is masked");
        assertEquals("id\\u000d\\u000a[WARN] forged", UriText.escaped("id\r\n[WARN] forged"));
        String long_ = "x".repeat(1000);
        String shown = UriText.escaped(long_);
        assertTrue(shown.startsWith("x".repeat(UriText.MAX_CHARS) + "... (1000 characters)"), shown);
        assertEquals("(none)", UriText.escaped(null));
    }
}
