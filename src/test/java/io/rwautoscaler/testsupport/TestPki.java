package io.rwautoscaler.testsupport;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Certificates for TLS and front-proxy tests, made at test time (BouncyCastle): CAs, serving certificates with
 * localhost names, client certificates with a common name, expired ones, keys as PKCS#8, PKCS#1 or SEC1 PEM.
 */
public final class TestPki {

    private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());
    private static final SecureRandom RANDOM = new SecureRandom();

    private TestPki() {
    }

    public enum KeyKind { EC, RSA }

    /** A certificate, its key, and the chain a server or client presents (leaf first, CA not included). */
    public record Issued(X509Certificate cert, PrivateKey key, List<X509Certificate> chain) {

        public String certPem() {
            StringBuilder sb = new StringBuilder();
            chain.forEach(c -> sb.append(pem(c)));
            return sb.toString();
        }

        public String keyPemPkcs8() {
            return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(key.getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        }

        /** PKCS#1 for RSA ("RSA PRIVATE KEY"), SEC1 for EC ("EC PRIVATE KEY"): what cert-manager writes by default. */
        public String keyPemTraditional() {
            if (key instanceof java.security.interfaces.ECPrivateKey ec) {
                // SEC1 with the curve and public key in it, as openssl and Go write it (BouncyCastle's writer leaves both out).
                try {
                    var info = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(key.getEncoded());
                    var spki = org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(cert.getPublicKey().getEncoded());
                    var sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(ec.getParams().getOrder().bitLength(), ec.getS(),
                            spki.getPublicKeyData(), info.getPrivateKeyAlgorithm().getParameters());
                    return "-----BEGIN EC PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(sec1.getEncoded()) + "\n-----END EC PRIVATE KEY-----\n";
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            try (StringWriter w = new StringWriter(); JcaPEMWriter pem = new JcaPEMWriter(w)) {
                pem.writeObject(key);
                pem.flush();
                return w.toString();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Writes certificate chain and PKCS#8 key, replacing the files the way a Secret volume update does (rename). */
        public void write(Path certFile, Path keyFile) {
            writeAtomically(certFile, certPem());
            writeAtomically(keyFile, keyPemPkcs8());
        }
    }

    public static Issued ca(String cn) {
        return ca(cn, KeyKind.EC);
    }

    public static Issued ca(String cn, KeyKind kind) {
        KeyPair keys = keys(kind);
        Instant now = Instant.now();
        X509Certificate cert = sign(new X500Name("CN=" + cn), keys, new X500Name("CN=" + cn), keys.getPrivate(),
                now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30)), true, null, List.of());
        return new Issued(cert, keys.getPrivate(), List.of(cert));
    }

    public static Issued server(Issued ca, String cn, Instant notBefore, Instant notAfter, KeyKind kind) {
        KeyPair keys = keys(kind);
        X509Certificate cert = sign(subject(ca), keys, new X500Name("CN=" + cn), ca.key(), notBefore, notAfter, false,
                KeyPurposeId.id_kp_serverAuth, List.of(new GeneralName(GeneralName.dNSName, "localhost"),
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        return new Issued(cert, keys.getPrivate(), List.of(cert));
    }

    public static Issued server(Issued ca, String cn) {
        Instant now = Instant.now();
        return server(ca, cn, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(2)), KeyKind.EC);
    }

    public static Issued client(Issued ca, String cn, Instant notBefore, Instant notAfter) {
        KeyPair keys = keys(KeyKind.EC);
        X509Certificate cert = sign(subject(ca), keys, new X500Name("CN=" + cn), ca.key(), notBefore, notAfter, false,
                KeyPurposeId.id_kp_clientAuth, List.of());
        return new Issued(cert, keys.getPrivate(), List.of(cert));
    }

    public static Issued client(Issued ca, String cn) {
        Instant now = Instant.now();
        return client(ca, cn, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(2)));
    }

    /** A CA (certificate and PKCS#8 key) saved by {@link #saveCa} in an earlier class loader or run. */
    public static Issued loadCa(Path dir, String name) {
        try {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                    new ByteArrayInputStream(Files.readAllBytes(dir.resolve(name + ".crt"))));
            String pem = Files.readString(dir.resolve(name + ".key"));
            byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
            PrivateKey key = KeyFactory.getInstance(cert.getPublicKey().getAlgorithm()).generatePrivate(new PKCS8EncodedKeySpec(der));
            return new Issued(cert, key, List.of(cert));
        } catch (Exception e) {
            throw new IllegalStateException("cannot load test CA " + name + " from " + dir, e);
        }
    }

    public static void saveCa(Path dir, String name, Issued ca) {
        ca.write(dir.resolve(name + ".crt"), dir.resolve(name + ".key"));
    }

    public static String pem(X509Certificate c) {
        try {
            return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(c.getEncoded()) + "\n-----END CERTIFICATE-----\n";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static void writeAtomically(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), ".tmp", ".pem");
            Files.writeString(tmp, content);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X500Name subject(Issued ca) {
        return new X500Name(ca.cert().getSubjectX500Principal().getName());
    }

    private static KeyPair keys(KeyKind kind) {
        try {
            if (kind == KeyKind.RSA) {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(2048, RANDOM);
                return g.generateKeyPair();
            }
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate sign(X500Name issuer, KeyPair subjectKeys, X500Name subject, PrivateKey issuerKey,
                                        Instant notBefore, Instant notAfter, boolean ca, KeyPurposeId usage,
                                        List<GeneralName> sans) {
        try {
            var b = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                    Date.from(notBefore), Date.from(notAfter), subject, subjectKeys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign
                    : KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            if (usage != null) {
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(usage));
            }
            if (!sans.isEmpty()) {
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)));
            }
            String algorithm = issuerKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(algorithm).build(issuerKey)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** All issued certificates' chains joined, for a CA bundle with several CAs. */
    public static String bundle(Issued... cas) {
        List<String> out = new ArrayList<>();
        for (Issued ca : cas) {
            out.add(pem(ca.cert()));
        }
        return String.join("", out);
    }
}
