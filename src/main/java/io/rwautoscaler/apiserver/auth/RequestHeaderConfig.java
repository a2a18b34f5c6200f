package io.rwautoscaler.apiserver.auth;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The front-proxy ("requestheader") settings kube-apiserver publishes in
 * {@code kube-system/extension-apiserver-authentication}: the CA that signs its proxy client certificate, the
 * common names that certificate may carry (empty = any), and the headers that carry user, uid, groups and extra.
 *
 * @param caCertificates empty when the ConfigMap has no {@code requestheader-client-ca-file}: front-proxy
 *                       authentication is then off, bearer tokens still work
 */
public record RequestHeaderConfig(List<X509Certificate> caCertificates, List<String> allowedNames,
                                  List<String> usernameHeaders, List<String> uidHeaders, List<String> groupHeaders,
                                  List<String> extraHeaderPrefixes) {

    public static final String CA_KEY = "requestheader-client-ca-file";

    /** Headers stripped from every request whatever the ConfigMap says, so a forged one never gets through. */
    public static final List<String> DEFAULT_USERNAME_HEADERS = List.of("X-Remote-User");
    public static final List<String> DEFAULT_UID_HEADERS = List.of("X-Remote-Uid");
    public static final List<String> DEFAULT_GROUP_HEADERS = List.of("X-Remote-Group");
    public static final List<String> DEFAULT_EXTRA_PREFIXES = List.of("X-Remote-Extra-");

    private static final ObjectMapper JSON = new ObjectMapper();

    public RequestHeaderConfig {
        caCertificates = List.copyOf(caCertificates);
        allowedNames = List.copyOf(allowedNames);
        usernameHeaders = List.copyOf(usernameHeaders);
        uidHeaders = List.copyOf(uidHeaders);
        groupHeaders = List.copyOf(groupHeaders);
        extraHeaderPrefixes = List.copyOf(extraHeaderPrefixes);
    }

    public boolean frontProxyEnabled() {
        return !caCertificates.isEmpty() && !usernameHeaders.isEmpty();
    }

    /** Parses the ConfigMap's data; a key that is there but unreadable is an error naming the key. */
    public static RequestHeaderConfig parse(Map<String, String> data) throws InvalidException {
        Map<String, String> d = data == null ? Map.of() : data;
        List<X509Certificate> cas = List.of();
        String pem = d.get(CA_KEY);
        if (pem != null && !pem.isBlank()) {
            cas = certificates(CA_KEY, pem);
        }
        return new RequestHeaderConfig(cas,
                list(d, "requestheader-allowed-names"),
                list(d, "requestheader-username-headers"),
                list(d, "requestheader-uid-headers"),
                list(d, "requestheader-group-headers"),
                list(d, "requestheader-extra-headers-prefix"));
    }

    static List<X509Certificate> certificates(String key, String pem) throws InvalidException {
        try {
            CertificateFactory f = CertificateFactory.getInstance("X.509");
            List<X509Certificate> out = new ArrayList<>();
            for (var c : f.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new InvalidException(key + ": no PEM certificate in it");
            }
            return out;
        } catch (CertificateException e) {
            throw new InvalidException(key + ": not a PEM certificate bundle (" + e.getMessage() + ")");
        }
    }

    /** Values are JSON string arrays ({@code ["X-Remote-User"]}); absent or blank = empty. */
    private static List<String> list(Map<String, String> d, String key) throws InvalidException {
        String v = d.get(key);
        if (v == null || v.isBlank()) {
            return List.of();
        }
        try {
            List<String> out = JSON.readValue(v, new TypeReference<List<String>>() {
            });
            return out.stream().filter(s -> s != null && !s.isBlank()).toList();
        } catch (Exception e) {
            throw new InvalidException(key + ": not a JSON list of strings: " + v);
        }
    }

    public static final class InvalidException extends Exception {
        public InvalidException(String message) {
            super(message);
        }
    }
}
