package io.rwautoscaler.apiserver.tls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Hands every TLS handshake the pair being served now, so a rotation needs no server restart. Each pair gets its
 * own alias, and the previous one stays resolvable, so a handshake that chose an alias just before a swap still
 * gets the matching chain and key.
 */
final class ReloadingKeyManager extends X509ExtendedKeyManager {

    private final Supplier<ServingKeyPair> current;
    private final Map<String, ServingKeyPair> recent = new LinkedHashMap<>();

    ReloadingKeyManager(Supplier<ServingKeyPair> current) {
        this.current = current;
    }

    private String alias(String keyType) {
        ServingKeyPair pair = current.get();
        if (pair == null || (keyType != null && !matches(pair.keyType(), keyType))) {
            return null;
        }
        String alias = "serving-" + pair.fingerprint();
        synchronized (recent) {
            recent.put(alias, pair);
            while (recent.size() > 2) {
                recent.remove(recent.keySet().iterator().next());
            }
        }
        return alias;
    }

    private static boolean matches(String keyAlgorithm, String keyType) {
        // JDK key types: "RSA", "RSASSA-PSS", "EC", "EdDSA", and TLS 1.2's "EC_EC"/"EC_RSA" style pairs.
        String t = keyType.contains("_") ? keyType.substring(0, keyType.indexOf('_')) : keyType;
        return switch (keyAlgorithm) {
            case "RSA" -> t.equals("RSA") || t.equals("RSASSA-PSS");
            case "EC" -> t.equals("EC");
            case "Ed25519", "EdDSA" -> t.equals("EdDSA") || t.equals("Ed25519");
            default -> t.equals(keyAlgorithm);
        };
    }

    private ServingKeyPair pair(String alias) {
        synchronized (recent) {
            ServingKeyPair p = recent.get(alias);
            if (p != null) {
                return p;
            }
        }
        ServingKeyPair p = current.get();
        return p != null && alias != null && alias.equals("serving-" + p.fingerprint()) ? p : null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return alias(keyType);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return alias(keyType);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        String a = alias(keyType);
        return a == null ? null : new String[]{a};
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        ServingKeyPair p = pair(alias);
        return p == null ? null : p.chain().toArray(X509Certificate[]::new);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        ServingKeyPair p = pair(alias);
        return p == null ? null : p.key();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return null;
    }
}
