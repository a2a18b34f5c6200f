package io.rwautoscaler.prometheus;

import java.security.Provider;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The {@link SSLContext} of a Prometheus client whose URLs are all plain http. The JDK's HTTP client wants a context
 * when it is built, and any real one ({@code SSLContext.getInstance("TLS")}, let alone the default) loads the JCA
 * providers and JSSE, about half a second of start-up on a small machine, for handshakes that never happen. This one
 * is built without any provider lookup and refuses to be used for TLS.
 */
final class PlainHttpOnly extends SSLContext {

    static final String PROTOCOL = "none (plain http only)";

    PlainHttpOnly() {
        super(new Spi(), new Provider("rwa-plain-http-only", "1", "no TLS: plain http URLs only") {
            private static final long serialVersionUID = 1L;
        }, PROTOCOL);
    }

    private static final class Spi extends SSLContextSpi {

        private static UnsupportedOperationException refused() {
            return new UnsupportedOperationException(
                    "TLS is not set up: autoscaler.prometheus.url lists plain http URLs only");
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) {
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            throw refused();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            throw refused();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            throw refused();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            throw refused();
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            throw refused();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            throw refused();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return new SSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return new SSLParameters();
        }
    }
}
