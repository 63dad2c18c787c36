package clickseg.server.web;

import clickseg.server.TestServer;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue: 21 of Jetty's own 4xx answers were HTML, not the API's JSON error. */
class ContainerErrorJsonTest {
    @TempDir
    static Path data;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(data);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void a_bad_uri_under_the_api_is_answered_with_the_api_s_json_error() throws Exception {
        String answer = raw("GET /api/images/%zz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        assertJsonError(answer, 400);
    }

    @Test
    void headers_too_large_are_answered_with_the_api_s_json_error() throws Exception {
        String answer = raw("GET /api/models HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "a".repeat(20_000)
                + "\r\nConnection: close\r\n\r\n");
        assertJsonError(answer, 431);
    }

    @Test
    void a_bad_request_line_is_answered_with_json_too() throws Exception {
        String answer = raw("GET /api/models HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: x\r\n\r\n");
        assertJsonError(answer, 400);
    }

    private static void assertJsonError(String answer, int status) {
        int split = answer.indexOf("\r\n\r\n");
        String head = answer.substring(0, split);
        assertTrue(head.startsWith("HTTP/1.1 " + status), head);
        assertTrue(head.toLowerCase().contains("content-type: application/json"), head);
        JsonObject body = JsonParser.parseString(answer.substring(split + 4)).getAsJsonObject();
        assertTrue(body.has("error") && body.has("message"), body.toString());
    }

    private static String raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.uri("/").getPort())) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
