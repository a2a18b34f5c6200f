package io.rwautoscaler.apiserver;

import io.rwautoscaler.testsupport.TestPki;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import java.net.Socket;
import java.net.URI;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.HttpsURLConnection;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/** HTTPS requests to the service under test, as kube-apiserver's front proxy or as a token holder would send them. */
final class ClusterModeClient {

    private final int port;
    private final TestPki.Issued servingCa;

    ClusterModeClient(int port, TestPki.Issued servingCa) {
        this.port = port;
        this.servingCa = servingCa;
    }

    /** An HTTP answer: status, Content-Type, body. */
    record Reply(int statusCode, String contentType, String body) {
    }

    /** GET over a new TLS connection, presenting {@code clientCertificate} when not null; headers as name, value pairs. */
    Reply get(String path, TestPki.Issued clientCertificate, String... headers) throws Exception {
        HttpsURLConnection c = (HttpsURLConnection) URI.create("https://localhost:" + port + path).toURL().openConnection();
        try {
            c.setSSLSocketFactory(context(clientCertificate).getSocketFactory());
            c.setConnectTimeout(5000);
            c.setReadTimeout(20000);
            c.setRequestProperty("Connection", "close");
            for (int i = 0; i < headers.length; i += 2) {
                c.addRequestProperty(headers[i], headers[i + 1]);
            }
            int code = c.getResponseCode();
            try (InputStream in = code >= 400 ? c.getErrorStream() : c.getInputStream()) {
                return new Reply(code, c.getContentType(), in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } finally {
            c.disconnect();
        }
    }

    /** A TLS connection with its handshake done and nothing sent yet (no client certificate, HTTP/1.1). */
    Socket handshaken() throws java.io.IOException {
        try {
            SSLSocket s = (SSLSocket) context(null).getSocketFactory().createSocket("localhost", port);
            s.startHandshake();
            return s;
        } catch (java.io.IOException e) {
            throw e;
        } catch (Exception e) {
            throw new java.io.IOException(e);
        }
    }

    /** The certificate the server presents to a new connection now. */
    X509Certificate servedCertificate() throws Exception {
        try (SSLSocket s = (SSLSocket) context(null).getSocketFactory().createSocket("localhost", port)) {
            s.startHandshake();
            return (X509Certificate) s.getSession().getPeerCertificates()[0];
        }
    }

    private SSLContext context(TestPki.Issued clientCertificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("serving-ca", servingCa.cert());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(clientCertificate == null ? null : new X509ExtendedKeyManager[]{presenting(clientCertificate)},
                tmf.getTrustManagers(), null);
        return ctx;
    }

    /** Presents the certificate whatever CAs the server names, so a wrong-CA certificate really reaches it. */
    private static X509ExtendedKeyManager presenting(TestPki.Issued c) {
        return new X509ExtendedKeyManager() {
            @Override
            public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
                return "client";
            }

            @Override
            public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
                return "client";
            }

            @Override
            public String[] getClientAliases(String keyType, Principal[] issuers) {
                return new String[]{"client"};
            }

            @Override
            public X509Certificate[] getCertificateChain(String alias) {
                return c.chain().toArray(X509Certificate[]::new);
            }

            @Override
            public PrivateKey getPrivateKey(String alias) {
                return c.key();
            }

            @Override
            public String[] getServerAliases(String keyType, Principal[] issuers) {
                return null;
            }

            @Override
            public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
                return null;
            }
        };
    }
}
