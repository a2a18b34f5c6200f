package io.rwautoscaler.apiserver.auth;

import io.rwautoscaler.apiserver.auth.FrontProxyAuthenticator.Result;
import io.rwautoscaler.testsupport.TestPki;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FrontProxyAuthenticatorTest {

    static final TestPki.Issued CA = TestPki.ca("front-proxy-ca");
    static final TestPki.Issued PROXY = TestPki.client(CA, "front-proxy-client");
    static final Instant NOW = Instant.now();

    static RequestHeaderConfig config(List<String> allowedNames) throws Exception {
        var d = RequestHeaderConfigTest.kubeadm(TestPki.pem(CA.cert()));
        d.put("requestheader-allowed-names", new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(allowedNames));
        d.put("requestheader-uid-headers", "[\"X-Remote-Uid\"]");
        return RequestHeaderConfig.parse(d);
    }

    static final TestHeaders HEADERS = TestHeaders.of(
            "X-Remote-User", "jane", "X-Remote-Uid", "42", "X-Remote-Group", "team-a", "x-remote-group", "",
            "X-Remote-Group", "system:authenticated", "X-Remote-Extra-Scopes", "view", "X-Remote-Extra-Scopes", "edit",
            "X-Remote-Extra-Acme.com%2Fproject", "thanos", "Accept", "application/json");

    @Test
    void theFrontProxyNamesTheUserGroupsAndExtra() throws Exception {
        Result r = FrontProxyAuthenticator.authenticate(config(List.of("front-proxy-client")), PROXY.chain(), HEADERS, NOW);
        assertThat(r).isEqualTo(new Result.Authenticated(new UserInfo("jane", "42", List.of("team-a", "system:authenticated"),
                Map.of("scopes", List.of("view", "edit"), "acme.com/project", List.of("thanos")))));
    }

    @Test
    void anyNameSignedByTheCaWhenNoNamesAreListed() throws Exception {
        var other = TestPki.client(CA, "aggregator");
        assertThat(FrontProxyAuthenticator.authenticate(config(List.of()), other.chain(), HEADERS, NOW))
                .isInstanceOf(Result.Authenticated.class);
    }

    @Test
    void aNameNotAllowedIsRejected() throws Exception {
        var other = TestPki.client(CA, "aggregator");
        assertThat(FrontProxyAuthenticator.authenticate(config(List.of("front-proxy-client")), other.chain(), HEADERS, NOW))
                .isInstanceOfSatisfying(Result.Rejected.class, r -> assertThat(r.reason()).contains("CN \"aggregator\""));
    }

    @Test
    void aCertificateFromAnotherCaIsRejected() throws Exception {
        var forged = TestPki.client(TestPki.ca("front-proxy-ca"), "front-proxy-client");
        assertThat(FrontProxyAuthenticator.authenticate(config(List.of()), forged.chain(), HEADERS, NOW))
                .isInstanceOfSatisfying(Result.Rejected.class, r -> assertThat(r.reason()).contains("not signed by the requestheader CA"));
    }

    @Test
    void anExpiredOrServerOnlyCertificateIsRejected() throws Exception {
        var expired = TestPki.client(CA, "front-proxy-client", NOW.minus(Duration.ofDays(3)), NOW.minus(Duration.ofDays(1)));
        assertThat(FrontProxyAuthenticator.authenticate(config(List.of()), expired.chain(), HEADERS, NOW))
                .isInstanceOf(Result.Rejected.class);
        var serving = TestPki.server(CA, "front-proxy-client");
        assertThat(FrontProxyAuthenticator.authenticate(config(List.of()), serving.chain(), HEADERS, NOW))
                .isInstanceOfSatisfying(Result.Rejected.class, r -> assertThat(r.reason()).contains("not for client authentication"));
    }

    @Test
    void aChainThatIncludesTheRootStillVerifies() throws Exception {
        List<java.security.cert.X509Certificate> withRoot = List.of(PROXY.cert(), CA.cert());
        assertThat(FrontProxyAuthenticator.authenticate(config(List.of()), withRoot, HEADERS, NOW))
                .isInstanceOf(Result.Authenticated.class);
    }

    @Test
    void noUserHeaderIsNoIdentity() throws Exception {
        assertThat(FrontProxyAuthenticator.authenticate(config(List.of()), PROXY.chain(), TestHeaders.of("X-Remote-Group", "g"), NOW))
                .isInstanceOf(Result.Rejected.class);
    }

    @Test
    void noCertificateOrNoCaIsNotPresented() throws Exception {
        assertThat(FrontProxyAuthenticator.authenticate(config(List.of()), List.of(), HEADERS, NOW))
                .isInstanceOf(Result.NotPresented.class);
        assertThat(FrontProxyAuthenticator.authenticate(null, PROXY.chain(), HEADERS, NOW)).isInstanceOf(Result.NotPresented.class);
    }

    @Test
    void identityHeadersAreStrippedWhateverTheConfig() throws Exception {
        var h = TestHeaders.of("x-remote-user", "root", "X-Remote-Group", "system:masters", "X-Remote-Extra-a", "b",
                "X-Remote-Uid", "0", "X-Proxy-User", "p", "Authorization", "Bearer t");
        assertThat(FrontProxyAuthenticator.headersToStrip(null, h))
                .containsExactly("x-remote-user", "X-Remote-Group", "X-Remote-Extra-a", "X-Remote-Uid");
        var custom = RequestHeaderConfig.parse(Map.of("requestheader-username-headers", "[\"X-Proxy-User\"]"));
        assertThat(FrontProxyAuthenticator.headersToStrip(custom, h)).contains("X-Proxy-User").doesNotContain("Authorization");
    }
}
