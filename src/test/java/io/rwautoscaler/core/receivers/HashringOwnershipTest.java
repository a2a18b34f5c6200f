package io.rwautoscaler.core.receivers;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class HashringOwnershipTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                // label, managers of data.hashrings.json, content is what we last wrote -> other controller (empty = ours to write)
                arguments(null, List.of(), false, null),
                arguments("remote-write-autoscaler", List.of(), false, null),
                arguments("remote-write-autoscaler", List.of("thanos-receive-controller"), false, null),
                arguments("thanos-receive-controller", List.of(), false,
                        "managed by thanos-receive-controller (label app.kubernetes.io/managed-by=thanos-receive-controller)"),
                arguments("Helm", List.of(), true, "managed by Helm (label app.kubernetes.io/managed-by=Helm)"),
                arguments(null, List.of("thanos-receive-controller"), false,
                        "managed by thanos-receive-controller (field manager of data.hashrings.json)"),
                arguments(null, List.of("kubectl-edit", "kustomize-controller"), false,
                        "managed by kustomize-controller (field manager of data.hashrings.json)"),
                // what we wrote last is still there: whoever is recorded as its manager, nobody changed it since
                arguments(null, List.of("fabric8-kubernetes-client"), true, null),
                // people edit with kubectl: a hand edit, overwritten with a Warning Event
                arguments(null, List.of("kubectl-edit"), false, null),
                arguments(null, List.of("kubectl-client-side-apply", "kubectl"), false, null),
                arguments(null, List.of("before-first-apply"), false, null),
                arguments(null, List.of("remote-write-autoscaler"), false, null),
                arguments("", List.of(), false, null));
    }

    @ParameterizedTest(name = "label={0} managers={1} ours={2} -> {3}")
    @MethodSource("cases")
    void anotherControllerIsNamedFromTheLabelOrTheKeysFieldManager(String label, List<String> managers, boolean ours, String expected) {
        HashringOwnership o = new HashringOwnership(Optional.ofNullable(label), managers);
        assertThat(o.otherController("hashrings.json", ours)).isEqualTo(Optional.ofNullable(expected));
    }
}
