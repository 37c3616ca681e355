package io.cosellsync.ingress.webhook;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Checks a Partner Center webhook as Partner Center signs it (partner-center-api.md §4.4): the signature from
 * {@code Authorization: Signature <base64>} or {@code x-ms-signature}, the certificate from
 * {@code X-MS-Certificate-Url} — fetched only from an allow-listed https host (or a configured plain-http host, for the
 * simulator), chained to the configured trust anchors, its issuer's organisation as configured
 * ({@code Microsoft Corporation}) — and RSA with the hash {@code X-MS-Signature-Algorithm} names over the exact body
 * bytes. Certificates are cached by URL. Refusals are {@link WebhookRejected}: 401 for a signature or certificate
 * that is not accepted, 400 for missing certificate headers, 503 when the certificate cannot be fetched now.
 */
public final class SignatureVerifier {

    /** Certificates kept by URL; Partner Center rotates by publishing a new URL, so a handful is plenty. */
    static final int CACHE_SIZE = 16;

    private final Set<String> allowedHosts;
    private final Set<String> plainHttpHosts;
    private final Set<TrustAnchor> anchors;
    private final String issuerOrganization;
    private final Function<URI, byte[]> fetch;
    private final Clock clock;
    private final Map<URI, X509Certificate> cache = new ConcurrentHashMap<>();

    /**
     * @param allowedHosts hosts certificates may come from over https (lower case)
     * @param plainHttpHosts hosts also allowed over plain http (the simulator); empty in production
     * @param trustAnchors the roots a signing certificate must chain to
     * @param issuerOrganization the {@code O=} its issuer must carry
     * @param fetch downloads a certificate (DER or PEM); throws {@link WebhookRejected} 503 when it cannot
     */
    public SignatureVerifier(Set<String> allowedHosts, Set<String> plainHttpHosts, List<X509Certificate> trustAnchors,
            String issuerOrganization, Function<URI, byte[]> fetch, Clock clock) {
        this.allowedHosts = lower(allowedHosts);
        this.plainHttpHosts = lower(plainHttpHosts);
        this.anchors = trustAnchors.stream().map(c -> new TrustAnchor(c, null)).collect(Collectors.toSet());
        this.issuerOrganization = issuerOrganization;
        this.fetch = fetch;
        this.clock = clock;
        if (anchors.isEmpty()) {
            throw new IllegalArgumentException("at least one trust anchor is needed to verify webhooks");
        }
    }

    private static Set<String> lower(Set<String> hosts) {
        return hosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Verifies one call. {@code header} looks a request header up by name, ignoring case (null when absent).
     *
     * @throws WebhookRejected when the call must not be processed
     */
    public void verify(Function<String, String> header, byte[] body) {
        String signature = signature(header);
        String url = header.apply("X-MS-Certificate-Url");
        String algorithm = header.apply("X-MS-Signature-Algorithm");
        if (url == null || url.isBlank() || algorithm == null || algorithm.isBlank()) {
            throw WebhookRejected.badRequest("X-MS-Certificate-Url and X-MS-Signature-Algorithm are required");
        }
        String javaAlgorithm = switch (algorithm.trim().toLowerCase(Locale.ROOT)) {
            case "rsa-sha256" -> "SHA256withRSA";
            case "rsa-sha384" -> "SHA384withRSA";
            case "rsa-sha512" -> "SHA512withRSA";
            default -> throw WebhookRejected.badRequest("unsupported X-MS-Signature-Algorithm: " + algorithm);
        };
        X509Certificate certificate = certificate(url.trim());
        byte[] signatureBytes;
        try {
            signatureBytes = Base64.getDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            throw WebhookRejected.unauthorized("the signature is not base64");
        }
        try {
            Signature verifier = Signature.getInstance(javaAlgorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(body);
            if (!verifier.verify(signatureBytes)) {
                throw WebhookRejected.unauthorized("the signature does not match the body");
            }
        } catch (GeneralSecurityException e) {
            throw WebhookRejected.unauthorized("the signature could not be checked: " + e.getMessage());
        }
    }

    /** The base64 signature: {@code Authorization} or {@code x-ms-signature}, scheme {@code Signature}. */
    private static String signature(Function<String, String> header) {
        String value = header.apply("x-ms-signature");
        if (value == null || value.isBlank()) {
            value = header.apply("Authorization");
        }
        if (value == null || value.isBlank()) {
            throw WebhookRejected.unauthorized("no signature (Authorization or x-ms-signature)");
        }
        String[] parts = value.trim().split("\\s+", 2);
        if (parts.length != 2 || !parts[0].equalsIgnoreCase("Signature")) {
            throw WebhookRejected.unauthorized("the signature must use the 'Signature' scheme");
        }
        return parts[1].trim();
    }

    private X509Certificate certificate(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw WebhookRejected.unauthorized("X-MS-Certificate-Url is not a URL");
        }
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        boolean allowed = "https".equalsIgnoreCase(uri.getScheme()) && allowedHosts.contains(host)
                || "http".equalsIgnoreCase(uri.getScheme()) && plainHttpHosts.contains(host);
        if (!allowed || uri.getUserInfo() != null) {
            throw WebhookRejected.unauthorized("certificates are not fetched from " + uri.getScheme() + "://" + host);
        }
        X509Certificate cached = cache.get(uri);
        if (cached != null && valid(cached)) {
            return cached;
        }
        X509Certificate certificate = parse(fetch.apply(uri));
        check(certificate);
        if (cache.size() >= CACHE_SIZE) {
            cache.clear();
        }
        cache.put(uri, certificate);
        return certificate;
    }

    private boolean valid(X509Certificate certificate) {
        try {
            certificate.checkValidity(Date.from(clock.instant()));
            return true;
        } catch (CertificateException e) {
            return false;
        }
    }

    private static X509Certificate parse(byte[] bytes) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(bytes));
        } catch (CertificateException | ClassCastException e) {
            throw WebhookRejected.unauthorized("X-MS-Certificate-Url does not serve an X.509 certificate");
        }
    }

    /** The chain to a trust anchor (validity on our clock, no revocation lists) and the issuer's organisation. */
    private void check(X509Certificate certificate) {
        try {
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(clock.instant()));
            CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509")
                    .generateCertPath(List.of(certificate)), parameters);
        } catch (CertPathValidatorException e) {
            throw WebhookRejected.unauthorized("the signing certificate does not chain to a trusted root: "
                    + e.getReason());
        } catch (InvalidAlgorithmParameterException | java.security.NoSuchAlgorithmException
                | CertificateException e) {
            throw WebhookRejected.unauthorized("the signing certificate could not be checked: " + e.getMessage());
        }
        if (!organization(certificate.getIssuerX500Principal().getName()).contains(issuerOrganization)) {
            throw WebhookRejected.unauthorized("the signing certificate's issuer is not " + issuerOrganization);
        }
    }

    private static Set<String> organization(String distinguishedName) {
        try {
            return new LdapName(distinguishedName).getRdns().stream()
                    .filter(r -> r.getType().equalsIgnoreCase("O")).map(Rdn::getValue).map(String::valueOf)
                    .collect(Collectors.toSet());
        } catch (InvalidNameException e) {
            return Set.of();
        }
    }
}
