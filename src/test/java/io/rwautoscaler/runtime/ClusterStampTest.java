package io.rwautoscaler.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Reports name their cluster right after kind and apiVersion. */
class ClusterStampTest {

    final ObjectMapper json = new ObjectMapper();

    String stamp(String report) throws Exception {
        return json.writeValueAsString(ClusterStamp.withCluster((ObjectNode) json.readTree(report), "cluster-03"));
    }

    @Test
    void afterKindAndApiVersion() throws Exception {
        assertThat(stamp("{\"kind\":\"AgentList\",\"apiVersion\":\"rwautoscaler.io/v1\",\"mode\":\"recommend\"}"))
                .isEqualTo("{\"kind\":\"AgentList\",\"apiVersion\":\"rwautoscaler.io/v1\",\"cluster\":\"cluster-03\",\"mode\":\"recommend\"}");
    }

    @Test
    void firstWhenTheReportHasNeither() throws Exception {
        assertThat(stamp("{\"mode\":\"recommend\"}")).isEqualTo("{\"cluster\":\"cluster-03\",\"mode\":\"recommend\"}");
    }
}
