package io.cosellsync.simulator.salesforce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cosellsync.simulator.salesforce.cdc.PubSubTail;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** The command-line subscriber, run as a person would run it against the simulator's TLS port. */
@QuarkusTest
class PubSubTailTest {

    @Test
    void itSignsInAndPrintsEachEventDecodedOnOneLine() throws Exception {
        Org org = Org.fresh("contoso");
        String account = org.account("Tail Spin");
        int tls = ConfigProvider.getConfig().getValue("quarkus.http.test-ssl-port", Integer.class);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = PubSubTail.run(new String[] {"--pubsub", "localhost:" + tls,
                "--ca", TlsResource.directory.resolve("ca.pem").toString(),
                "--instance-url", "http://localhost:" + RestAssured.port,
                "--client-id", org.credentials.getString("consumerKey"),
                "--client-secret", org.credentials.getString("consumerSecret"),
                "--topic", "/data/AccountChangeEvent", "--replay", "EARLIEST", "--count", "1", "--seconds", "20"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(1, lines.length);
        JsonNode event = new ObjectMapper().readTree(lines[0]);
        assertEquals("CREATE", event.path("header").path("changeType").asText());
        assertEquals(account, event.path("header").path("recordIds").get(0).asText());
        assertEquals("Tail Spin", event.path("values").path("Name").asText());
        assertEquals("US", event.path("values").path("BillingAddress").path("Country").asText());
        assertTrue(event.path("replayId").asText().length() > 8);
    }

    @Test
    void withoutWhereToConnectItPrintsItsUsage() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, PubSubTail.run(new String[] {"--topic", "/data/ChangeEvents"},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("usage: PubSubTail"));
    }
}
