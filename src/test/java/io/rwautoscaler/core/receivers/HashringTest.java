package io.rwautoscaler.core.receivers;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rwautoscaler.core.model.PodInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class HashringTest {

    static final HashringLayout RUNBOOK = HashringLayout.of("thanos-receive", "monitoring", "thanos-receive");
    // The I/O layer parses the existing ConfigMap with Jackson; the tests read it the same way.
    static final ObjectMapper JSON = new ObjectMapper();

    static PodInfo pod(String name, boolean ready) {
        return new PodInfo("monitoring", name, Map.of("app", "thanos-receive"), ready);
    }

    static List<PodInfo> ready(int count) {
        return IntStream.range(0, count).mapToObj(i -> pod("thanos-receive-" + i, true)).toList();
    }

    static String endpoint(int ordinal) {
        return "thanos-receive-" + ordinal + ".thanos-receive.monitoring.svc.cluster.local:10901";
    }

    @Test
    void rendersTheRunbooksHashringsJson() throws Exception {
        // the runbook's example, with its spacing, after scaling 3 → 5
        String runbook = "[{\"hashring\": \"default\", \"endpoints\": [\"thanos-receive-0.thanos-receive.monitoring.svc.cluster.local:10901\","
                + " \"thanos-receive-1.thanos-receive.monitoring.svc.cluster.local:10901\", \"thanos-receive-2.thanos-receive.monitoring.svc.cluster.local:10901\","
                + " \"thanos-receive-3.thanos-receive.monitoring.svc.cluster.local:10901\", \"thanos-receive-4.thanos-receive.monitoring.svc.cluster.local:10901\"]}]";
        String rendered = Hashring.desired(RUNBOOK, ready(5)).toJson();
        assertThat(rendered).isEqualTo(runbook.replace(": ", ":").replace(", ", ","));
        assertThat(JSON.readTree(rendered)).isEqualTo(JSON.readTree(runbook));
        assertThat(Hashring.desired(RUNBOOK, ready(5)).endpointCount()).isEqualTo(5);
    }

    @Test
    void ordersPodsByOrdinalNumerically() {
        List<PodInfo> pods = new ArrayList<>(ready(12));
        Collections.reverse(pods);
        Collections.swap(pods, 0, 7);
        Hashring ring = Hashring.desired(RUNBOOK, pods);
        assertThat(ring.entries()).singleElement().satisfies(entry ->
                assertThat(entry.endpoints()).containsExactlyElementsOf(IntStream.range(0, 12).mapToObj(HashringTest::endpoint).toList()));
        assertThat(ring.entries().get(0).endpoints().get(10)).startsWith("thanos-receive-10.");
    }

    static Stream<Arguments> membership() {
        return Stream.of(
                arguments("an unready pod is left out", List.of(pod("thanos-receive-0", true), pod("thanos-receive-1", false),
                        pod("thanos-receive-2", true)), List.of(0, 2)),
                arguments("another workload with a similar name is left out", List.of(pod("thanos-receive-0", true),
                        pod("thanos-receive-router-0", true), pod("thanos-receive-1-debug", true), pod("thanos-receive", true)), List.of(0)),
                arguments("a pod of the same name in another namespace is left out", List.of(pod("thanos-receive-0", true),
                        new PodInfo("other", "thanos-receive-1", Map.of(), true)), List.of(0)),
                arguments("names that are not StatefulSet ordinals are left out", List.of(pod("thanos-receive-01", true),
                        pod("thanos-receive--1", true), pod("thanos-receive-x", true), pod("thanos-receive-99999999999", true)), List.of()),
                arguments("a pod listed twice counts once", List.of(pod("thanos-receive-0", true), pod("thanos-receive-0", true)), List.of(0)),
                arguments("no pods at all", List.<PodInfo>of(), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("membership")
    void onlyReadyPodsOfTheStatefulSetAreMembers(String scenario, List<PodInfo> pods, List<Integer> ordinals) {
        assertThat(Hashring.desired(RUNBOOK, pods).entries().get(0).endpoints())
                .containsExactlyElementsOf(ordinals.stream().map(HashringTest::endpoint).toList());
    }

    @Test
    void aHashringWithoutEndpointsMustNotBeWritten() {
        assertThat(Hashring.desired(RUNBOOK, List.of(pod("thanos-receive-0", false))).servesEveryHashring()).isFalse();
        assertThat(Hashring.desired(RUNBOOK, ready(1)).servesEveryHashring()).isTrue();
        assertThat(Hashring.desired(RUNBOOK, List.of(pod("thanos-receive-0", false))).toJson())
                .isEqualTo("[{\"hashring\":\"default\",\"endpoints\":[]}]");
    }

    @Test
    void portServiceAndClusterDomainAreParameters() {
        HashringLayout layout = new HashringLayout("receive", "obs", "receive-headless", 19291, "corp.internal", null);
        assertThat(Hashring.desired(layout, List.of(new PodInfo("obs", "receive-0", Map.of(), true))).toJson())
                .isEqualTo("[{\"hashring\":\"default\",\"endpoints\":[\"receive-0.receive-headless.obs.svc.corp.internal:19291\"]}]");
        assertThat(RUNBOOK.port()).isEqualTo(10901);
        assertThat(RUNBOOK.clusterDomain()).isEqualTo("cluster.local");
        assertThat(RUNBOOK.withPort(10907).withClusterDomain("example").endpoint("thanos-receive-3"))
                .isEqualTo("thanos-receive-3.thanos-receive.monitoring.svc.example:10907");
    }

    @Test
    void tenantHashringsGetTheirTenantsAndTheCatchAllComesLast() throws Exception {
        HashringLayout layout = RUNBOOK.withHashrings(List.of(
                new TenantHashring("team-a", List.of("tenant-a", "tenant-b")),
                new TenantHashring("default", List.of())));
        String json = Hashring.desired(layout, ready(2)).toJson();
        assertThat(json).isEqualTo("[{\"hashring\":\"team-a\",\"endpoints\":[\"" + endpoint(0) + "\",\"" + endpoint(1)
                + "\"],\"tenants\":[\"tenant-a\",\"tenant-b\"]},{\"hashring\":\"default\",\"endpoints\":[\""
                + endpoint(0) + "\",\"" + endpoint(1) + "\"]}]");
        List<?> parsed = JSON.readValue(json, List.class);
        assertThat(parsed).hasSize(2);
        assertThat(Hashring.sameMembership(parsed, Hashring.desired(layout, ready(2)))).isTrue();
    }

    @Test
    void escapesStringsSoThanosReadsThemBack() throws Exception {
        String awkward = "we\"ird\\tenant\n\t\u0001é✓";
        HashringLayout layout = RUNBOOK.withHashrings(List.of(new TenantHashring("ring \"1\"", List.of(awkward))));
        String json = Hashring.desired(layout, ready(1)).toJson();
        assertThat(json).contains("\"ring \\\"1\\\"\"").contains("we\\\"ird\\\\tenant\\n\\t\\u0001é✓");
        Map<?, ?> entry = (Map<?, ?>) JSON.readValue(json, List.class).get(0);
        assertThat(entry.get("hashring")).isEqualTo("ring \"1\"");
        assertThat(entry.get("tenants")).isEqualTo(List.of(awkward));
    }

    static Stream<Arguments> sameMembership() {
        String e0 = endpoint(0);
        String e1 = endpoint(1);
        String e2 = endpoint(2);
        return Stream.of(
                arguments("identical", "[{\"hashring\":\"default\",\"endpoints\":[\"" + e0 + "\",\"" + e1 + "\",\"" + e2 + "\"]}]", true),
                arguments("the runbook's spacing", "[{\"hashring\": \"default\", \"endpoints\": [\"" + e0 + "\", \"" + e1 + "\", \"" + e2 + "\"]}]", true),
                arguments("endpoints in another order", "[{\"hashring\":\"default\",\"endpoints\":[\"" + e2 + "\",\"" + e0 + "\",\"" + e1 + "\"]}]", true),
                arguments("an explicit empty tenant list", "[{\"hashring\":\"default\",\"endpoints\":[\"" + e0 + "\",\"" + e1 + "\",\"" + e2 + "\"],\"tenants\":[]}]", true),
                arguments("a receiver fewer (3 → 2)", "[{\"hashring\":\"default\",\"endpoints\":[\"" + e0 + "\",\"" + e1 + "\"]}]", false),
                arguments("a receiver more", "[{\"hashring\":\"default\",\"endpoints\":[\"" + e0 + "\",\"" + e1 + "\",\"" + e2 + "\",\"" + endpoint(3) + "\"]}]", false),
                arguments("a duplicated endpoint", "[{\"hashring\":\"default\",\"endpoints\":[\"" + e0 + "\",\"" + e1 + "\",\"" + e2 + "\",\"" + e2 + "\"]}]", false),
                arguments("another port", "[{\"hashring\":\"default\",\"endpoints\":[\"" + e0.replace("10901", "19291") + "\",\"" + e1 + "\",\"" + e2 + "\"]}]", false),
                arguments("another hashring name", "[{\"hashring\":\"main\",\"endpoints\":[\"" + e0 + "\",\"" + e1 + "\",\"" + e2 + "\"]}]", false),
                arguments("tenants added by hand", "[{\"hashring\":\"default\",\"endpoints\":[\"" + e0 + "\",\"" + e1 + "\",\"" + e2 + "\"],\"tenants\":[\"x\"]}]", false),
                arguments("an algorithm added by hand", "[{\"hashring\":\"default\",\"algorithm\":\"ketama\",\"endpoints\":[\"" + e0 + "\",\"" + e1 + "\",\"" + e2 + "\"]}]", false),
                arguments("endpoint objects", "[{\"hashring\":\"default\",\"endpoints\":[{\"address\":\"" + e0 + "\"},{\"address\":\"" + e1 + "\"},{\"address\":\"" + e2 + "\"}]}]", false),
                arguments("a second hashring", "[{\"hashring\":\"default\",\"endpoints\":[\"" + e0 + "\",\"" + e1 + "\",\"" + e2 + "\"]},{\"hashring\":\"b\",\"endpoints\":[]}]", false),
                arguments("empty file", "[]", false),
                arguments("endpoints missing", "[{\"hashring\":\"default\"}]", false),
                arguments("not a list of objects", "[\"default\"]", false),
                arguments("wrong types", "[{\"hashring\":1,\"endpoints\":[\"" + e0 + "\"]}]", false));
    }

    @ParameterizedTest(name = "{0}: same = {2}")
    @MethodSource("sameMembership")
    void updatesOnlyWhenMembershipChanges(String scenario, String existingJson, boolean same) throws Exception {
        List<?> existing = JSON.readValue(existingJson, List.class);
        assertThat(Hashring.sameMembership(existing, Hashring.desired(RUNBOOK, ready(3)))).isEqualTo(same);
    }

    @Test
    void hashringOrderCountsBecauseThanosUsesTheFirstMatch() throws Exception {
        HashringLayout layout = RUNBOOK.withHashrings(List.of(new TenantHashring("a", List.of("t1", "t2")),
                new TenantHashring("b", List.of("t3"))));
        Hashring desired = Hashring.desired(layout, ready(1));
        String swapped = "[{\"hashring\":\"b\",\"endpoints\":[\"" + endpoint(0) + "\"],\"tenants\":[\"t3\"]},"
                + "{\"hashring\":\"a\",\"endpoints\":[\"" + endpoint(0) + "\"],\"tenants\":[\"t2\",\"t1\"]}]";
        String tenantsReordered = "[{\"hashring\":\"a\",\"endpoints\":[\"" + endpoint(0) + "\"],\"tenants\":[\"t2\",\"t1\"]},"
                + "{\"hashring\":\"b\",\"endpoints\":[\"" + endpoint(0) + "\"],\"tenants\":[\"t3\"]}]";
        assertThat(Hashring.sameMembership(JSON.readValue(swapped, List.class), desired)).isFalse();
        assertThat(Hashring.sameMembership(JSON.readValue(tenantsReordered, List.class), desired)).isTrue();
    }

    @Test
    void aMissingOrUnparsableFileIsNeverTheSame() {
        assertThat(Hashring.sameMembership(null, Hashring.desired(RUNBOOK, ready(3)))).isFalse();
        List<Object> withNull = new ArrayList<>();
        withNull.add(null);
        assertThat(Hashring.sameMembership(withNull, Hashring.desired(RUNBOOK, ready(3)))).isFalse();
    }

    @Test
    void scalingThreeToFiveAndAPodTurningUnreadyChangeMembership() throws Exception {
        List<?> three = JSON.readValue(Hashring.desired(RUNBOOK, ready(3)).toJson(), List.class);
        Hashring five = Hashring.desired(RUNBOOK, ready(5));
        assertThat(Hashring.sameMembership(three, five)).isFalse();
        List<PodInfo> oneUnready = new ArrayList<>(ready(5));
        oneUnready.set(3, pod("thanos-receive-3", false));
        Hashring four = Hashring.desired(RUNBOOK, oneUnready);
        assertThat(four.endpointCount()).isEqualTo(4);
        assertThat(Hashring.sameMembership(JSON.readValue(five.toJson(), List.class), four)).isFalse();
        assertThat(Hashring.sameMembership(JSON.readValue(four.toJson(), List.class), Hashring.desired(RUNBOOK, oneUnready))).isTrue();
    }

    @Test
    void layoutRejectsHashringsThanosWouldNeverUse() {
        assertThatThrownBy(() -> RUNBOOK.withHashrings(List.of(TenantHashring.DEFAULT, new TenantHashring("a", List.of("t")))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("put it last");
        assertThatThrownBy(() -> RUNBOOK.withHashrings(List.of(new TenantHashring("a", List.of("t")), new TenantHashring("b", List.of("t")))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tenant t is in hashrings a and b");
        assertThatThrownBy(() -> RUNBOOK.withHashrings(List.of(new TenantHashring("a", List.of("t")), new TenantHashring("a", List.of("u")))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("listed twice");
        assertThatThrownBy(() -> new TenantHashring("a", List.of("t", "t"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RUNBOOK.withPort(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RUNBOOK.withPort(65536)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RUNBOOK.withClusterDomain(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThat(RUNBOOK.withHashrings(List.of()).hashrings()).containsExactly(TenantHashring.DEFAULT);
    }
}
