package io.rwautoscaler.apiserver.tls;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;

import javax.net.ssl.X509KeyManager;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

/**
 * A certificate chain and its private key, read from PEM (key as PKCS#8, PKCS#1 RSA or SEC1 EC, which is what
 * cert-manager and kubeadm write), checked to belong together.
 */
public record ServingKeyPair(List<X509Certificate> chain, PrivateKey key, String fingerprint) {

    /** Why a pair on disk is not served. */
    public enum Problem { UNREADABLE, INVALID, KEY_MISMATCH, EXPIRED, NOT_YET_VALID }

    public static final class RejectedException extends Exception {
        private final Problem problem;

        public RejectedException(Problem problem, String message) {
            super(message);
            this.problem = problem;
        }

        public Problem problem() {
            return problem;
        }
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    public Instant notAfter() {
        return leaf().getNotAfter().toInstant();
    }

    public Instant notBefore() {
        return leaf().getNotBefore().toInstant();
    }

    public String keyType() {
        return key.getAlgorithm();
    }

    /** Parses and checks the pair; validity dates are checked separately ({@link #checkValidAt}). */
    public static ServingKeyPair parse(Vertx vertx, byte[] certPem, byte[] keyPem) throws RejectedException {
        KeyStore store;
        try {
            store = new PemKeyCertOptions().setCertValue(Buffer.buffer(certPem)).setKeyValue(Buffer.buffer(keyPem))
                    .loadKeyStore(vertx);
            var kmf = new PemKeyCertOptions().setCertValue(Buffer.buffer(certPem)).setKeyValue(Buffer.buffer(keyPem))
                    .getKeyManagerFactory(vertx);
            X509KeyManager km = (X509KeyManager) kmf.getKeyManagers()[0];
            for (String alias : Collections.list(store.aliases())) {
                if (!store.isKeyEntry(alias)) {
                    continue;
                }
                X509Certificate[] chain = km.getCertificateChain(alias);
                PrivateKey key = km.getPrivateKey(alias);
                if (chain == null || chain.length == 0 || key == null) {
                    continue;
                }
                checkMatch(chain[0], key);
                return new ServingKeyPair(List.of(chain), key, fingerprint(chain[0]));
            }
            throw new RejectedException(Problem.INVALID, "no private key entry in the PEM files");
        } catch (RejectedException e) {
            throw e;
        } catch (Exception e) {
            throw new RejectedException(Problem.INVALID, "not a PEM certificate and private key: " + e.getMessage());
        }
    }

    public void checkValidAt(Instant now) throws RejectedException {
        if (now.isAfter(notAfter())) {
            throw new RejectedException(Problem.EXPIRED, "certificate " + describe() + " expired at " + notAfter());
        }
        if (now.isBefore(notBefore())) {
            throw new RejectedException(Problem.NOT_YET_VALID, "certificate " + describe() + " is not valid before " + notBefore());
        }
    }

    public String describe() {
        return "subject \"" + leaf().getSubjectX500Principal().getName() + "\" serial " + leaf().getSerialNumber().toString(16);
    }

    /** Signs a probe with the key and verifies it with the certificate's public key. */
    private static void checkMatch(X509Certificate cert, PrivateKey key) throws RejectedException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null) {
            throw new RejectedException(Problem.INVALID, "unsupported key type " + key.getAlgorithm());
        }
        try {
            byte[] probe = "remote-write-autoscaler".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(algorithm);
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(algorithm);
            v.initVerify(cert.getPublicKey());
            v.update(probe);
            if (!v.verify(sig)) {
                throw new RejectedException(Problem.KEY_MISMATCH, "the private key does not belong to the certificate");
            }
        } catch (RejectedException e) {
            throw e;
        } catch (Exception e) {
            throw new RejectedException(Problem.KEY_MISMATCH, "the private key does not belong to the certificate ("
                    + e.getMessage() + ")");
        }
    }

    private static String fingerprint(X509Certificate cert) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
    }
}
