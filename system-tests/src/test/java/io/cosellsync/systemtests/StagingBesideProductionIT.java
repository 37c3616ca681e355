package io.cosellsync.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cosellsync.events.TopicSpec;
import io.cosellsync.events.Topics;
import io.cosellsync.testing.KafkaBroker;
import io.cosellsync.testing.Postgres;
import io.cosellsync.testing.PostgresServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Staging and production of the same tenant side by side, as two Helm releases would run: two whole systems (each
 * with its own simulators, i.e. its own Partner Center account and Salesforce org) on one Kafka broker and one
 * PostgreSQL database, told apart only by their instance names. A referral shared in either's Partner Center becomes
 * an opportunity in that system's org and never in the other's; each has its own topics, consumer groups, schemas
 * and Partner Center sign-in, and neither uses the plain schemas of a system without an instance.
 */
class StagingBesideProductionIT {

    private static final int PRODUCTION = 24000;
    private static final int STAGING = 24200;

    @Test
    void twoInstancesOfOneTenantShareABrokerAndADatabaseButNoEventRowOrGroup() throws Exception {
        LocalSystem.stopShared(); // two whole systems besides the shared one are too much for two cores
        String bootstrap = KafkaBroker.shared().bootstrapServers();
        PostgresServer pg = Postgres.shared();
        String database = "cosell_side_by_side";
        Map<String, String> shared = new HashMap<>(Map.of("COSELL_TENANTS", "contoso",
                "COSELL_KAFKA_BOOTSTRAP", bootstrap, "COSELL_DATABASE", database,
                "COSELL_DATABASE_SERVER", pg.host() + ":" + pg.port() + ":" + pg.username() + ":" + pg.password()));
        Map<String, String> production = new HashMap<>(shared);
        production.put("COSELL_INSTANCE", "contoso-prod");
        Map<String, String> staging = new HashMap<>(shared);
        staging.put("COSELL_INSTANCE", "contoso-staging");
        LocalSystem prod = LocalSystem.start(PRODUCTION, production);
        LocalSystem stage = null;
        try {
            stage = LocalSystem.start(STAGING, staging);
            String prodTag = "prod-" + UUID.randomUUID().toString().substring(0, 8);
            String stageTag = "staging-" + UUID.randomUUID().toString().substring(0, 8);
            prod.postToPartnerCenter("/_sim/tenants/contoso/shared-referrals",
                    PartnerCenterToSalesforceIT.sharedReferral(prodTag));
            stage.postToPartnerCenter("/_sim/tenants/contoso/shared-referrals",
                    PartnerCenterToSalesforceIT.sharedReferral(stageTag));
            LocalSystem finalStage = stage;
            // one wait per system, so that a miss names its side (the logs are in each system's state directory)
            Awaitility.await("production's referral as an opportunity of its org (" + prod.state() + ")")
                    .atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> named(prod, prodTag) == 1);
            Awaitility.await("staging's referral as an opportunity of its org (" + stage.state() + ")")
                    .atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> named(finalStage, stageTag) == 1);

            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                Set<String> groups = admin.listConsumerGroups().all().get().stream()
                        .map(ConsumerGroupListing::groupId).collect(Collectors.toCollection(TreeSet::new));
                Set<String> prodGroups = withPrefix(groups, "contoso-prod.");
                Set<String> stageGroups = withPrefix(groups, "contoso-staging.");
                assertFalse(prodGroups.isEmpty(), groups.toString());
                assertEquals(prodGroups, stageGroups, "the same groups, each under its instance: " + groups);
                Awaitility.await("both salesforce-writers caught up").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(500)).until(() -> prod.lag("contoso-prod.salesforce-writer")
                                + finalStage.lag("contoso-staging.salesforce-writer") == 0);

                Set<String> topics = admin.listTopics().names().get();
                for (String instance : List.of("contoso-prod.", "contoso-staging.")) {
                    for (TopicSpec spec : Topics.all(instance)) {
                        assertTrue(topics.contains(spec.name()), spec.name() + " in " + topics);
                    }
                }
            }
            // each writer has consumed all it was given, so nothing can still cross over later
            assertEquals(0, named(prod, stageTag), "staging's referral never reaches production's org");
            assertEquals(0, named(stage, prodTag), "production's referral never reaches staging's org");

            // rows: each instance's own schemas in the one database, none of the plain ones
            assertEquals(Set.of("contoso_prod_ingress", "contoso_prod_partnercenter_writer",
                    "contoso_prod_salesforce_writer", "contoso_staging_ingress",
                    "contoso_staging_partnercenter_writer", "contoso_staging_salesforce_writer"),
                    new TreeSet<>(List.of(prod.databaseQuery("SELECT string_agg(schema_name, ',' ORDER BY"
                            + " schema_name) FROM information_schema.schemata WHERE schema_name LIKE 'contoso%'"
                            + " OR schema_name IN ('ingress', 'salesforce_writer', 'partnercenter_writer')")
                            .split(","))));
            for (String instance : List.of("contoso_prod", "contoso_staging")) {
                assertEquals(1, prod.databaseCount("SELECT count(*) FROM " + instance + "_ingress.partner_center_"
                        + "credential WHERE tenant_id = 'contoso'"), instance + " holds its own sign-in");
            }
        } finally {
            if (stage != null) {
                stage.stop();
            }
            prod.stop();
        }
    }

    private static int named(LocalSystem system, String tag) {
        return system.count("contoso", "SELECT COUNT() FROM Opportunity WHERE Name LIKE '%" + tag + "%'");
    }

    private static Set<String> withPrefix(Set<String> groups, String prefix) {
        return groups.stream().filter(g -> g.startsWith(prefix)).map(g -> g.substring(prefix.length()))
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
