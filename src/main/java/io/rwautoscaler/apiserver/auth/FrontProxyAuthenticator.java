package io.rwautoscaler.apiserver.auth;

import javax.security.auth.x500.X500Principal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidAlgorithmParameterException;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * kube-apiserver's front proxy: a client certificate chain that verifies against the requestheader CA, whose
 * common name is allowed, makes the {@code X-Remote-*} headers (names from the ConfigMap) the caller's identity.
 * Without such a certificate those headers mean nothing, and {@link #headersToStrip} removes them.
 * <p>
 * Verification happens here, per request, against the CA current now (the TLS layer only asks for a
 * certificate): a rotated CA takes effect at the next request, as in k8s.io/apiserver's dynamic verifier.
 */
public final class FrontProxyAuthenticator {

    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";

    private FrontProxyAuthenticator() {
    }

    /** What a presented certificate chain and the headers amount to. */
    public sealed interface Result {
        /** No client certificate, or front-proxy authentication is off: try a bearer token. */
        record NotPresented() implements Result {
        }

        /** A certificate that is not the front proxy's: its headers are ignored. */
        record Rejected(String reason) implements Result {
        }

        /** The front proxy, naming a user. */
        record Authenticated(UserInfo user) implements Result {
        }
    }

    public static Result authenticate(RequestHeaderConfig config, List<X509Certificate> chain, HeaderView headers,
                                      Instant now) {
        if (chain.isEmpty() || config == null || !config.frontProxyEnabled()) {
            return new Result.NotPresented();
        }
        String invalid = verify(chain, config.caCertificates(), now);
        if (invalid != null) {
            return new Result.Rejected("client certificate not signed by the requestheader CA: " + invalid);
        }
        String cn = commonName(chain.get(0).getSubjectX500Principal());
        if (!config.allowedNames().isEmpty() && !config.allowedNames().contains(cn)) {
            return new Result.Rejected("client certificate CN \"" + cn + "\" is not among requestheader-allowed-names "
                    + config.allowedNames());
        }
        String user = first(headers, config.usernameHeaders());
        if (user.isEmpty()) {
            return new Result.Rejected("front-proxy request without a user header " + config.usernameHeaders());
        }
        return new Result.Authenticated(new UserInfo(user, first(headers, config.uidHeaders()),
                all(headers, config.groupHeaders()), extra(headers, config.extraHeaderPrefixes())));
    }

    /** Null when the chain verifies (PKIX, at {@code now}, client-auth usage), else why not. */
    static String verify(List<X509Certificate> chain, List<X509Certificate> cas, Instant now) {
        try {
            Set<TrustAnchor> anchors = new HashSet<>();
            for (X509Certificate ca : cas) {
                anchors.add(new TrustAnchor(ca, null));
            }
            List<X509Certificate> path = new ArrayList<>(chain);
            // A client may send the root too; PKIX wants the path without its anchor.
            while (path.size() > 1 && cas.contains(path.get(path.size() - 1))) {
                path.remove(path.size() - 1);
            }
            PKIXParameters params = new PKIXParameters(anchors);
            params.setRevocationEnabled(false);
            params.setDate(Date.from(now));
            CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(path), params);
            List<String> eku = chain.get(0).getExtendedKeyUsage();
            if (eku != null && !eku.contains(CLIENT_AUTH) && !eku.contains(ANY_EXTENDED_KEY_USAGE)) {
                return "the certificate is not for client authentication (extended key usage " + eku + ")";
            }
            return null;
        } catch (CertPathValidatorException e) {
            return e.getMessage();
        } catch (java.security.cert.CertificateException
                 | InvalidAlgorithmParameterException | NoSuchAlgorithmException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    static String commonName(X500Principal subject) {
        try {
            for (Rdn rdn : new LdapName(subject.getName(X500Principal.RFC2253)).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString();
                }
            }
        } catch (javax.naming.InvalidNameException e) {
            return "";
        }
        return "";
    }

    /** Every header a request must not carry past authentication: the configured ones and the usual defaults. */
    public static boolean isIdentityHeader(RequestHeaderConfig config, String name) {
        String n = name.toLowerCase(Locale.ROOT);
        List<String> exact = new ArrayList<>(RequestHeaderConfig.DEFAULT_USERNAME_HEADERS);
        exact.addAll(RequestHeaderConfig.DEFAULT_UID_HEADERS);
        exact.addAll(RequestHeaderConfig.DEFAULT_GROUP_HEADERS);
        List<String> prefixes = new ArrayList<>(RequestHeaderConfig.DEFAULT_EXTRA_PREFIXES);
        if (config != null) {
            exact.addAll(config.usernameHeaders());
            exact.addAll(config.uidHeaders());
            exact.addAll(config.groupHeaders());
            prefixes.addAll(config.extraHeaderPrefixes());
        }
        return exact.stream().anyMatch(h -> h.equalsIgnoreCase(n))
                || prefixes.stream().anyMatch(p -> n.startsWith(p.toLowerCase(Locale.ROOT)));
    }

    public static List<String> headersToStrip(RequestHeaderConfig config, HeaderView headers) {
        return headers.names().stream().filter(n -> isIdentityHeader(config, n)).toList();
    }

    private static String first(HeaderView headers, List<String> names) {
        for (String n : names) {
            for (String v : headers.all(n)) {
                if (!v.isEmpty()) {
                    return v;
                }
            }
        }
        return "";
    }

    private static List<String> all(HeaderView headers, List<String> names) {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            headers.all(n).stream().filter(v -> !v.isEmpty()).forEach(out::add);
        }
        return out;
    }

    /** {@code X-Remote-Extra-Scopes: a} → {@code scopes: [a]}; keys lowercased and percent-decoded, as Go does. */
    private static Map<String, List<String>> extra(HeaderView headers, List<String> prefixes) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String prefix : prefixes) {
            String p = prefix.toLowerCase(Locale.ROOT);
            for (String name : headers.names()) {
                String n = name.toLowerCase(Locale.ROOT);
                if (!n.startsWith(p) || n.length() == p.length()) {
                    continue;
                }
                String key = unescape(n.substring(p.length()));
                out.computeIfAbsent(key, k -> new ArrayList<>()).addAll(headers.all(name));
            }
        }
        return out;
    }

    private static String unescape(String key) {
        try {
            return URLDecoder.decode(key.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return key;
        }
    }
}
