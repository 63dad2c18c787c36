package clickseg.server.everything;

import clickseg.server.TestServer;
import com.google.gson.JsonObject;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What a client of POST /api/images/{id}/everything does: take the 200 answer, or follow the 202's job until it
 * is done. Waits are on conditions with generous bounds (the machine is shared), never fixed sleeps for results.
 */
final class EverythingJobClient {
    /** Far past any job these tests start (an 8×8 to 16×16 grid: seconds), for a loaded machine. */
    static final Duration PATIENCE = Duration.ofMinutes(5);
    static final long POLL_MILLIS = 50;

    private EverythingJobClient() {
    }

    /** The result of a POST …/everything answer: a 200's body, or the result of the 202's job once done. */
    static JsonObject completed(TestServer server, HttpResponse<byte[]> answer) throws Exception {
        if (answer.statusCode() == 200) {
            return TestServer.json(answer);
        }
        assertEquals(202, answer.statusCode(), TestServer.text(answer));
        String url = answer.headers().firstValue("Location").orElseThrow();
        JsonObject job = await(server, url, EverythingJobClient::finished);
        if (!"done".equals(job.get("status").getAsString())) {
            fail("the job ended " + job);
        }
        return job.getAsJsonObject("result");
    }

    static boolean finished(JsonObject job) {
        String status = job.get("status").getAsString();
        return !"queued".equals(status) && !"running".equals(status);
    }

    /** GETs the job until {@code until} holds (each answer 200 JSON); the last answer. */
    static JsonObject await(TestServer server, String url, Predicate<JsonObject> until) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        JsonObject last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<byte[]> r = server.get(url);
            assertEquals(200, r.statusCode(), TestServer.text(r));
            last = TestServer.json(r);
            if (until.test(last)) {
                return last;
            }
            Thread.sleep(POLL_MILLIS);
        }
        fail("gave up after " + PATIENCE + " waiting on " + url + "; last: " + last);
        return null;
    }

    /** Waits until no everything job runs or waits (a cancelled one may finish its current point first). */
    static void awaitIdle(TestServer server) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            JsonObject everything = TestServer.json(server.get("/health")).getAsJsonObject("everything");
            if (everything.get("running").getAsInt() == 0 && everything.get("waiting").getAsInt() == 0) {
                return;
            }
            Thread.sleep(POLL_MILLIS);
        }
        fail("everything jobs still running after " + PATIENCE);
    }
}
