package io.rwautoscaler.apiserver.auth;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The attributes k8s.io/apiserver's RequestInfoFactory derives, for every path form this server answers. */
class RequestAttributesTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // method | path | resource? | verb | group | version | namespace | resource | subresource | name
            "GET | /apis/custom.metrics.k8s.io/v1beta2/namespaces/monitoring/pods/*/prometheus_remote_storage_queue_length | true | get | custom.metrics.k8s.io | v1beta2 | monitoring | pods | prometheus_remote_storage_queue_length | *",
            "GET | /apis/custom.metrics.k8s.io/v1beta1/namespaces/monitoring/pods/%2A/queue | true | get | custom.metrics.k8s.io | v1beta1 | monitoring | pods | queue | *",
            "GET | /apis/custom.metrics.k8s.io/v1beta1/namespaces/monitoring/services/thanos-receive/queue | true | get | custom.metrics.k8s.io | v1beta1 | monitoring | services | queue | thanos-receive",
            "GET | /apis/custom.metrics.k8s.io/v1beta1/namespaces/monitoring/metrics/queue | true | get | custom.metrics.k8s.io | v1beta1 | monitoring | metrics | '' | queue",
            "GET | /apis/custom.metrics.k8s.io/v1beta1/nodes/node-1/queue | true | get | custom.metrics.k8s.io | v1beta1 | '' | nodes | queue | node-1",
            "GET | /apis/custom.metrics.k8s.io/v1beta1/namespaces/monitoring | true | get | custom.metrics.k8s.io | v1beta1 | monitoring | namespaces | '' | monitoring",
            "GET | /apis/external.metrics.k8s.io/v1beta1/namespaces/monitoring/prometheus_remote_storage_queue_length | true | list | external.metrics.k8s.io | v1beta1 | monitoring | prometheus_remote_storage_queue_length | '' | ''",
            "GET | /apis/external.metrics.k8s.io/v1beta1/namespaces | true | list | external.metrics.k8s.io | v1beta1 | '' | namespaces | '' | ''",
            "POST | /apis/custom.metrics.k8s.io/v1beta1/namespaces/monitoring/pods | true | create | custom.metrics.k8s.io | v1beta1 | monitoring | pods | '' | ''",
            "DELETE | /apis/custom.metrics.k8s.io/v1beta1/namespaces/monitoring/pods | true | deletecollection | custom.metrics.k8s.io | v1beta1 | monitoring | pods | '' | ''",
            "GET | /apis/custom.metrics.k8s.io/v1beta1/namespaces/monitoring/status | true | get | custom.metrics.k8s.io | v1beta1 | monitoring | namespaces | status | monitoring",
            "GET | /apis/custom.metrics.k8s.io/v1beta1 | false | get | '' | '' | '' | '' | '' | ''",
            "GET | /apis/custom.metrics.k8s.io | false | get | '' | '' | '' | '' | '' | ''",
            "GET | /apis | false | get | '' | '' | '' | '' | '' | ''",
            "GET | /api/v1/agents | false | get | '' | '' | '' | '' | '' | ''",
            "HEAD | /api/v1/rightsizing | false | head | '' | '' | '' | '' | '' | ''",
    })
    void likeKubernetesRequestInfo(String method, String path, boolean resource, String verb, String group, String version,
                                   String namespace, String res, String subresource, String name) {
        RequestAttributes a = RequestAttributes.of(method, path, false);
        assertThat(a.resourceRequest()).isEqualTo(resource);
        assertThat(a.verb()).isEqualTo(verb);
        assertThat(a.group()).isEqualTo(group);
        assertThat(a.version()).isEqualTo(version);
        assertThat(a.namespace()).isEqualTo(namespace);
        assertThat(a.resource()).isEqualTo(res);
        assertThat(a.subresource()).isEqualTo(subresource);
        assertThat(a.name()).isEqualTo(name);
        assertThat(a.path()).isEqualTo(path);
    }

    @org.junit.jupiter.api.Test
    void watchParameterMakesAListAWatch() {
        assertThat(RequestAttributes.of("GET", "/apis/external.metrics.k8s.io/v1beta1/namespaces/m/queue", true).verb())
                .isEqualTo("watch");
    }

    @org.junit.jupiter.api.Test
    void reviewKeyIgnoresThePathOfResourceRequests() {
        var a = RequestAttributes.of("GET", "/apis/custom.metrics.k8s.io/v1beta1/namespaces/m/pods/%2A/q", false);
        var b = RequestAttributes.of("GET", "/apis/custom.metrics.k8s.io/v1beta1/namespaces/m/pods/*/q", false);
        assertThat(a.forReview()).isEqualTo(b.forReview());
        assertThat(a.describe()).isEqualTo("get resource \"pods/q\" in API group \"custom.metrics.k8s.io\" in the namespace \"m\"");
        assertThat(RequestAttributes.of("GET", "/api/v1/agents", false).describe()).isEqualTo("get path \"/api/v1/agents\"");
    }
}
