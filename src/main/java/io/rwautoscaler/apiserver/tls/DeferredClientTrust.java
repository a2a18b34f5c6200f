package io.rwautoscaler.apiserver.tls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Supplier;

/**
 * The server asks for a client certificate but lets the handshake go on whatever is sent (TLS still proves the
 * client holds the key): whether the chain is kube-apiserver's front proxy is decided per request, against the
 * requestheader CA current at that moment, as k8s.io/apiserver does with RequestClientCert. A rotated CA then
 * needs no TLS reload. The accepted-issuers list names that CA so clients pick the right certificate.
 */
public final class DeferredClientTrust extends X509ExtendedTrustManager {

    private final Supplier<List<X509Certificate>> acceptedIssuers;

    public DeferredClientTrust(Supplier<List<X509Certificate>> acceptedIssuers) {
        this.acceptedIssuers = acceptedIssuers;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("this trust manager only serves the server side");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("this trust manager only serves the server side");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("this trust manager only serves the server side");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return acceptedIssuers.get().toArray(X509Certificate[]::new);
    }
}
