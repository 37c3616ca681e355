package io.cosellsync.simulator.salesforce.org;

import jakarta.enterprise.context.ApplicationScoped;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;

/**
 * The simulated Salesforce orgs, one per partner tenant: an 18-character org id, a connected app (consumer key and
 * secret, and the key pair whose certificate an admin would upload for the JWT bearer flow) with its run-as
 * integration user, and a seller user.
 */
@ApplicationScoped
public class Orgs {

    public record User(String id, String username, String name, String email) {
    }

    public record App(String consumerKey, String consumerSecret, KeyPair jwtKeys) {
    }

    public record Org(String tenant, String id, String name, App app, User integrationUser, User seller) {

        public Optional<User> user(String usernameOrId) {
            return List.of(integrationUser, seller).stream()
                    .filter(u -> u.username().equalsIgnoreCase(usernameOrId) || u.id().equals(usernameOrId))
                    .findFirst();
        }
    }

    private final List<Org> orgs;

    public Orgs() throws NoSuchAlgorithmException {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        orgs = List.of(
                new Org("contoso", "00D5g00000ContoEAB", "Contoso", new App(
                        "3MVG9contosoSimConsumerKey0000000000000000000000000000000000000000000000000000001",
                        "contoso-consumer-secret", rsa.generateKeyPair()),
                        new User("0055g00000IntegAAB", "integration@contoso.example.sim", "Co-sell Integration",
                                "integration@contoso.example"),
                        new User("0055g00000SelleAAB", "sam.lee@contoso.example.sim", "Sam Lee",
                                "sam.lee@contoso.example")),
                new Org("fabrikam", "00D5g00000FabriEAB", "Fabrikam Partners", new App(
                        "3MVG9fabrikamSimConsumerKey000000000000000000000000000000000000000000000000000001",
                        "fabrikam-consumer-secret", rsa.generateKeyPair()),
                        new User("0055g00000FbIntAAF", "integration@fabrikam.example.sim", "Co-sell Integration",
                                "integration@fabrikam-partners.example"),
                        new User("0055g00000FbSelAAF", "sam.lee@fabrikam.example.sim", "Sam Lee",
                                "sam.lee@fabrikam-partners.example")));
    }

    public List<Org> all() {
        return orgs;
    }

    public Optional<Org> byTenant(String tenant) {
        return orgs.stream().filter(o -> o.tenant().equals(tenant)).findFirst();
    }

    public Optional<Org> byId(String orgId) {
        return orgs.stream().filter(o -> o.id().equals(orgId)).findFirst();
    }

    public Optional<Org> byConsumerKey(String consumerKey) {
        return orgs.stream().filter(o -> o.app().consumerKey().equals(consumerKey)).findFirst();
    }
}
