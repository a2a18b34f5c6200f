package io.rwautoscaler.apiserver.tls;

import io.quarkus.arc.Unremovable;
import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.rwautoscaler.apiserver.auth.RequestHeaderConfig;
import io.rwautoscaler.apiserver.auth.RequestHeaderSource;
import io.rwautoscaler.config.TlsConfig;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * Turns on Quarkus' HTTPS listener ({@code quarkus.http.ssl-port}) with the reloading serving certificate and a
 * client-certificate request (not requirement): kube-apiserver's front proxy presents one, HPAs behind it do not
 * reach this server directly, bearer-token callers send none. Not used by the TLS registry on purpose: its
 * reload would replace a good pair with an expired one and knows nothing of the requestheader CA.
 */
@Singleton
@Unremovable
public class HttpsListener implements HttpServerOptionsCustomizer {

    @Inject
    TlsConfig config;
    @Inject
    ServingCertificate certificate;
    @Inject
    RequestHeaderSource requestHeaders;

    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        if (!config.enabled()) {
            return;
        }
        options.setSsl(true);
        options.setKeyCertOptions(KeyCertOptions.wrap(certificate.keyManager()));
        options.setTrustOptions(TrustOptions.wrap(new DeferredClientTrust(() -> requestHeaders.current()
                .map(RequestHeaderConfig::caCertificates).orElse(List.of()))));
        options.setClientAuth(ClientAuth.REQUEST);
    }
}
