package io.rwautoscaler.apiserver.auth;

import io.rwautoscaler.testsupport.TestPki;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The ConfigMap kube-apiserver publishes, as kubeadm clusters carry it. */
class RequestHeaderConfigTest {

    static Map<String, String> kubeadm(String caPem) {
        Map<String, String> d = new HashMap<>();
        d.put("client-ca-file", caPem);
        d.put("requestheader-client-ca-file", caPem);
        d.put("requestheader-allowed-names", "[\"front-proxy-client\"]");
        d.put("requestheader-username-headers", "[\"X-Remote-User\"]");
        d.put("requestheader-group-headers", "[\"X-Remote-Group\"]");
        d.put("requestheader-extra-headers-prefix", "[\"X-Remote-Extra-\"]");
        return d;
    }

    @Test
    void parsesTheKubeadmConfigMap() throws Exception {
        var ca = TestPki.ca("front-proxy-ca");
        var c = RequestHeaderConfig.parse(kubeadm(TestPki.bundle(ca, TestPki.ca("second"))));
        assertThat(c.caCertificates()).hasSize(2).first().isEqualTo(ca.cert());
        assertThat(c.allowedNames()).containsExactly("front-proxy-client");
        assertThat(c.usernameHeaders()).containsExactly("X-Remote-User");
        assertThat(c.uidHeaders()).isEmpty();
        assertThat(c.groupHeaders()).containsExactly("X-Remote-Group");
        assertThat(c.extraHeaderPrefixes()).containsExactly("X-Remote-Extra-");
        assertThat(c.frontProxyEnabled()).isTrue();
    }

    @Test
    void emptyAllowedNamesMeansAnyNameSignedByTheCa() throws Exception {
        var d = kubeadm(TestPki.pem(TestPki.ca("ca").cert()));
        d.put("requestheader-allowed-names", "[]");
        assertThat(RequestHeaderConfig.parse(d).allowedNames()).isEmpty();
        d.remove("requestheader-allowed-names");
        assertThat(RequestHeaderConfig.parse(d).allowedNames()).isEmpty();
    }

    @Test
    void withoutTheRequestheaderCaFrontProxyIsOff() throws Exception {
        var d = kubeadm("");
        d.remove("requestheader-client-ca-file");
        assertThat(RequestHeaderConfig.parse(d).frontProxyEnabled()).isFalse();
        assertThat(RequestHeaderConfig.parse(null).frontProxyEnabled()).isFalse();
    }

    @Test
    void unreadableValuesNameTheKey() {
        var d = kubeadm("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> RequestHeaderConfig.parse(d)).hasMessageStartingWith("requestheader-client-ca-file:");
        var e = kubeadm(TestPki.pem(TestPki.ca("ca").cert()));
        e.put("requestheader-group-headers", "X-Remote-Group");
        assertThatThrownBy(() -> RequestHeaderConfig.parse(e)).hasMessageStartingWith("requestheader-group-headers:");
    }
}
