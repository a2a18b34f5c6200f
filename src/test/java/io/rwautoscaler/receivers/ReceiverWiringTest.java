package io.rwautoscaler.receivers;

import io.rwautoscaler.config.KubernetesConfig;
import io.rwautoscaler.config.ReceiverPolicyConfig;
import io.rwautoscaler.config.ReceiversConfig;
import io.rwautoscaler.core.receivers.HashringLayout;
import io.smallrye.config.ConfigValidationException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Invalid receiver-loop configuration fails start-up with a message naming the key. */
class ReceiverWiringTest {

    final ReceiverWiring wiring = new ReceiverWiring();
    final KubernetesConfig local = () -> false;

    record Policy(Duration every, Duration cooldown, double volumeGrowth, Optional<String> volumeMax) implements ReceiverPolicyConfig {
        static Policy defaults() {
            return new Policy(Duration.ofSeconds(30), Duration.ofMinutes(10), 2, Optional.empty());
        }

        @Override
        public boolean enabled() {
            return true;
        }

        @Override
        public Optional<Path> file() {
            return Optional.empty();
        }

        @Override
        public Mode mode() {
            return Mode.RECOMMEND;
        }

        @Override
        public String samplesQuery() {
            return "sum(rate(prometheus_remote_storage_samples_in_total[5m]))";
        }

        @Override
        public boolean checkQueries() {
            return true;
        }
    }

    record Rings(List<String> names, Map<String, List<String>> tenants) implements ReceiversConfig.Hashring {
        @Override
        public boolean sync() {
            return true;
        }

        @Override
        public Duration every() {
            return Duration.ofSeconds(15);
        }

        @Override
        public String configmap() {
            return "thanos-receive-hashring";
        }

        @Override
        public String key() {
            return "hashrings.json";
        }

        @Override
        public int port() {
            return 10901;
        }

        @Override
        public String clusterDomain() {
            return "cluster.local";
        }

        @Override
        public boolean rollOnChange() {
            return false;
        }

        @Override
        public boolean takeOver() {
            return false;
        }
    }

    record Receivers(ReceiversConfig.Hashring hashring) implements ReceiversConfig {
        @Override
        public String podSelector() {
            return "app=thanos-receive";
        }

        @Override
        public Optional<String> agentSelector() {
            return Optional.empty();
        }

        @Override
        public String namespace() {
            return "monitoring";
        }

        @Override
        public String statefulset() {
            return "thanos-receive";
        }

        @Override
        public String headlessService() {
            return "thanos-receive";
        }
    }

    ReceiverActions actions(Policy policy) {
        return wiring.actions(local, new Receivers(new Rings(List.of("default"), Map.of())), policy, null, null);
    }

    @Test
    void theDefaultsAreValid() {
        assertThat(actions(Policy.defaults())).isNotNull();
        HashringLayout layout = wiring.hashringLayout(new Receivers(new Rings(List.of("default"), Map.of())));
        assertThat(layout.endpoint("thanos-receive-0")).isEqualTo("thanos-receive-0.thanos-receive.monitoring.svc.cluster.local:10901");
    }

    @Test
    void aVolumeGrowthThatDoesNotGrowNamesTheKey() {
        assertThatThrownBy(() -> actions(new Policy(Duration.ofSeconds(30), Duration.ofMinutes(10), 0.5, Optional.empty())))
                .isInstanceOf(ConfigValidationException.class).hasMessageContaining("autoscaler.policy.volume-growth");
    }

    @Test
    void aVolumeMaxThatIsNotAQuantityNamesTheKey() {
        assertThatThrownBy(() -> actions(new Policy(Duration.ofSeconds(30), Duration.ofMinutes(10), 2, Optional.of("lots"))))
                .isInstanceOf(ConfigValidationException.class).hasMessageContaining("autoscaler.policy.volume-max");
    }

    @Test
    void aNegativeCooldownNamesTheKey() {
        assertThatThrownBy(() -> actions(new Policy(Duration.ofSeconds(30), Duration.ofMinutes(-1), 2, Optional.empty())))
                .isInstanceOf(ConfigValidationException.class).hasMessageContaining("autoscaler.policy.cooldown");
    }

    @Test
    void tenantsOfAnUnknownHashringNameTheKey() {
        assertThatThrownBy(() -> wiring.hashringLayout(new Receivers(new Rings(List.of("default"), Map.of("team-a", List.of("a"))))))
                .isInstanceOf(ConfigValidationException.class).hasMessageContaining("autoscaler.receivers.hashring.tenants.\"team-a\"");
    }

    @Test
    void aCatchAllBeforeATenantHashringIsRejected() {
        assertThatThrownBy(() -> wiring.hashringLayout(new Receivers(new Rings(List.of("default", "team-a"),
                Map.of("team-a", List.of("a"))))))
                .isInstanceOf(ConfigValidationException.class).hasMessageContaining("autoscaler.receivers.hashring")
                .hasMessageContaining("put it last");
    }

    @Test
    void tenantHashringsAreWrittenInTheConfiguredOrder() {
        HashringLayout layout = wiring.hashringLayout(new Receivers(new Rings(List.of("team-a", "default"),
                Map.of("team-a", List.of("tenant-1", " tenant-2")))));
        assertThat(layout.hashrings()).extracting(r -> r.name()).containsExactly("team-a", "default");
        assertThat(layout.hashrings().get(0).tenants()).containsExactly("tenant-1", "tenant-2");
    }
}
