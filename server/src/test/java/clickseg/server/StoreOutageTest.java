package clickseg.server;

import clickseg.testservers.PostgresServer;
import clickseg.testservers.S3ProxyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A replica whose shared stores go away answers 503 with Retry-After (the client, or the load balancer, retries
 * soon or elsewhere), not 500: a real PostgreSQL and a real S3-compatible server, stopped under a running server.
 */
class StoreOutageTest {

    @Test
    void with_the_bucket_or_the_database_gone_requests_get_503_with_retry_after_not_500(
            @TempDir Path folder) throws Exception {
        PostgresServer postgres = PostgresServer.start(folder.resolve("pg"));
        boolean postgresStopped = false;
        try {
            String db = postgres.createDatabase("outage");
            S3ProxyServer s3 = S3ProxyServer.start(folder.resolve("buckets"), "clickseg-outage");
            s3.useCredentialsInThisJvm();
            try (TestServer server = TestServer.start(folder.resolve("data"), Map.of(),
                    "--store", "s3://clickseg-outage/replicas", "--s3-endpoint", s3.endpoint().toString(),
                    "--share-db", db)) {
                String image = "/api/images/" + "0".repeat(64);
                String share = "/api/shares/AAAAAAAAAAAAAAAAAAAAAA";
                assertEquals(404, server.get(image).statusCode(), "with both stores up: simply not there");
                assertEquals(404, server.get(share).statusCode());

                s3.close();
                HttpResponse<byte[]> noBucket = server.get(image);
                assertEquals(503, noBucket.statusCode(), TestServer.text(noBucket));
                assertEquals("store_unavailable", TestServer.json(noBucket).get("error").getAsString());
                assertTrue(TestServer.text(noBucket).contains("the bucket"), TestServer.text(noBucket));
                assertEquals("5", noBucket.headers().firstValue("Retry-After").orElseThrow());

                postgres.close();
                postgresStopped = true;
                HttpResponse<byte[]> noDatabase = server.get(share);
                assertEquals(503, noDatabase.statusCode(), TestServer.text(noDatabase));
                assertTrue(TestServer.text(noDatabase).contains("the database"), TestServer.text(noDatabase));
                assertEquals("5", noDatabase.headers().firstValue("Retry-After").orElseThrow());
            } finally {
                s3.close();
            }
        } finally {
            if (!postgresStopped) {
                postgres.close();
            }
        }
    }
}
