package wxsend.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** What the push endpoint answered, on either surface; and what every push test asks of one. */
record Reply(int status, String contentType, String body) {

    JsonNode json() {
        try {
            return new ObjectMapper().readTree(body);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    /** WeChat stops retrying on exactly this. */
    static void assertSuccess(Reply reply) {
        assertEquals(200, reply.status(), reply::body);
        assertEquals("success", reply.body());
        assertTrue(reply.contentType().startsWith("text/plain"), reply.contentType());
    }

    /** Refused with this status, naming this field, and nothing forwarded. */
    static void assertRefused(Reply reply, int status, String field, java.util.List<?> forwarded) {
        assertEquals(status, reply.status(), reply::body);
        assertNotEquals("success", reply.body());
        assertEquals(field, reply.json().path("field").asText(null), reply::body);
        assertEquals(java.util.List.of(), forwarded, "nothing forwarded");
    }

    /** A MsgId no other push in this JVM has. */
    static long msgId() {
        return ThreadLocalRandom.current().nextLong(1_000_000_000_000_000L, Long.MAX_VALUE);
    }
}
