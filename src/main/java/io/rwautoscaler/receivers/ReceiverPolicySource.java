package io.rwautoscaler.receivers;

import io.rwautoscaler.prometheus.Prometheus;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.rwautoscaler.core.receivers.PolicyProblem;
import io.rwautoscaler.core.receivers.PolicyRule;
import io.rwautoscaler.core.receivers.PolicyValidation;
import io.rwautoscaler.core.receivers.PolicyValidator;
import io.rwautoscaler.core.receivers.ReceiverPolicy;
import io.rwautoscaler.core.receivers.WindowProof;
import io.rwautoscaler.prometheus.PrometheusException;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Where the receiver policy comes from: the built-in defaults (the runbook's table), or a YAML file re-read
 * every cycle. A file whose content changed is parsed, validated and its PromQL checked against Prometheus;
 * only a policy without errors replaces the one in force, otherwise the previous one stays and the error is
 * reported.
 *
 * <p>Change detection hashes the content each cycle instead of watching the mtime: a ConfigMap volume
 * updates by swapping the {@code ..data} symlink, which leaves the mtime seen through the path unreliable,
 * and reading a small file every 30s costs nothing.
 *
 * <p>Start-up decision: an invalid (or unreadable) file at start-up does not stop the service, because the
 * same process serves the HPA's metrics and a policy typo must not take those down. The built-in defaults
 * are evaluated and reported instead, with the error, and nothing is applied ({@link State#actingAllowed()}
 * is false) until the file validates: acting on rules the operator replaced would be acting on a policy
 * nobody chose.
 */
public final class ReceiverPolicySource {

    private static final Logger LOG = Logger.getLogger(ReceiverPolicySource.class);

    /** A ConfigMap holds at most 1 MiB; anything bigger is not a policy. */
    static final long MAX_BYTES = 1024 * 1024;
    static final String DEFAULTS = "built-in defaults (the runbook's table)";

    /** What the last {@link #refresh} did. */
    public enum Change {
        /** Nothing new to read. */
        UNCHANGED,
        /** A new policy is in force. */
        LOADED,
        /** The file (or its new content) was rejected; the previous policy stays. */
        REJECTED,
        /** Prometheus could not be asked about the PromQL; the check is retried next cycle. */
        DEFERRED
    }

    /**
     * The policy in force and what the report says about it.
     *
     * @param source        where the policy in force came from
     * @param file          the configured file, if any
     * @param valid         the configured source is in force at its latest content (always true for the defaults)
     * @param actingAllowed false while the defaults stand in for a file that never validated
     * @param lastError     why the latest content of the file is not in force; empty when it is
     * @param problems      the latest validation's problems (warnings only, when it loaded)
     */
    public record State(ReceiverPolicy policy, String source, Optional<Path> file, boolean valid, boolean actingAllowed,
                        Optional<Instant> loadedAt, Optional<String> sha256, Optional<String> lastError,
                        Optional<Instant> lastErrorAt, List<PolicyProblem> problems, Change change) {

        public State {
            Objects.requireNonNull(policy, "policy");
            problems = List.copyOf(problems);
        }

        State with(Change c) {
            return new State(policy, source, file, valid, actingAllowed, loadedAt, sha256, lastError, lastErrorAt, problems, c);
        }
    }

    private final Optional<Path> file;
    private final boolean checkQueries;
    private final Prometheus prometheus;
    private final ObjectMapper yaml;

    private State state;
    /** Hash of the content last decided on (loaded or rejected); a deferred check leaves it unset so it is retried. */
    private String decidedHash;
    private String deferredHash;

    public ReceiverPolicySource(Optional<Path> file, boolean checkQueries, Prometheus prometheus) {
        this.file = Objects.requireNonNull(file, "file");
        this.checkQueries = checkQueries;
        this.prometheus = prometheus;
        this.yaml = new ObjectMapper(new YAMLFactory());
        // A key written twice is almost always a paste error; last-wins would hide it.
        this.yaml.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        this.state = new State(ReceiverPolicy.defaults(), DEFAULTS, file, file.isEmpty(), file.isEmpty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), List.of(), Change.UNCHANGED);
    }

    public State current() {
        return state;
    }

    /** Re-reads the file when there is one; returns the state in force afterwards. Never throws. */
    public synchronized State refresh(Instant now) {
        if (file.isEmpty()) {
            state = state.with(Change.UNCHANGED);
            return state;
        }
        Path path = file.get();
        byte[] content;
        try {
            if (Files.size(path) > MAX_BYTES) {
                return reject(now, null, "is larger than 1 MiB: not a policy", List.of());
            }
            content = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return reject(now, null, "does not exist (mount the policy ConfigMap, or unset autoscaler.policy.file for the defaults)", List.of());
        } catch (IOException e) {
            return reject(now, null, "cannot be read: " + e, List.of());
        }
        String hash = sha256(content);
        if (hash.equals(decidedHash)) {
            state = state.with(Change.UNCHANGED);
            return state;
        }

        Map<String, Object> document;
        try {
            document = parse(content);
        } catch (JsonProcessingException e) {
            return reject(now, hash, "is not valid YAML: " + e.getOriginalMessage() + location(e), List.of());
        }
        PolicyValidation validation = PolicyValidator.validate(document);
        List<PolicyProblem> problems = new ArrayList<>(withYamlHints(validation.problems()));
        if (!validation.isValid()) {
            return reject(now, hash, "is invalid: " + describe(problems), problems);
        }
        ReceiverPolicy candidate = validation.policy().orElseThrow();
        if (checkQueries) {
            List<String> unreachable = new ArrayList<>();
            problems.addAll(checkQueries(candidate, now, unreachable));
            if (problems.stream().anyMatch(PolicyProblem::isError)) {
                return reject(now, hash, "is invalid: " + describe(problems), problems);
            }
            if (!unreachable.isEmpty()) {
                // Prometheus down: the candidate waits; the content is re-checked next cycle.
                if (!hash.equals(deferredHash)) {
                    deferredHash = hash;
                    LOG.warnf("receiver policy %s changed but its PromQL cannot be checked yet (%s); keeping %s until it can",
                            path, unreachable.get(0), state.source());
                }
                state = new State(state.policy(), state.source(), file, false, state.actingAllowed(), state.loadedAt(),
                        state.sha256(), Optional.of("not checked yet: Prometheus unreachable (" + unreachable.get(0) + ")"),
                        Optional.of(now), problems, Change.DEFERRED);
                return state;
            }
        }
        decidedHash = hash;
        List<PolicyProblem> warnings = problems.stream().filter(p -> !p.isError()).toList();
        String source = "file " + path;
        if (warnings.isEmpty()) {
            LOG.infof("receiver policy loaded from %s: %d rules", path, candidate.rules().size());
        } else {
            LOG.warnf("receiver policy loaded from %s: %d rules, with warnings: %s", path, candidate.rules().size(), describe(warnings));
        }
        state = new State(candidate, source, file, true, true, Optional.of(now), Optional.of(hash), Optional.empty(),
                Optional.empty(), warnings, Change.LOADED);
        return state;
    }

    private State reject(Instant now, String hash, String why, List<PolicyProblem> problems) {
        String message = "policy file " + file.orElseThrow() + " " + why;
        boolean repeat = hash != null ? hash.equals(decidedHash) : state.lastError().filter(message::equals).isPresent();
        // A missing file forgets the decided content, so the same content coming back is read again.
        decidedHash = hash;
        if (!repeat) {
            // One line naming the file and the rule(s), once per content, not once per cycle.
            LOG.errorf("%s; keeping %s%s", message, state.source(),
                    state.actingAllowed() ? "" : ", and applying nothing until the file validates");
        }
        state = new State(state.policy(), state.source(), file, false, state.actingAllowed(), state.loadedAt(),
                state.sha256(), Optional.of(message), Optional.of(now), problems, repeat ? Change.UNCHANGED : Change.REJECTED);
        return state;
    }

    private Map<String, Object> parse(byte[] content) throws JsonProcessingException {
        JsonNode root;
        try {
            root = yaml.readTree(content);
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException("reading bytes from memory failed", e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return null; // the validator reports "the policy document is empty"
        }
        if (!root.isObject()) {
            throw new NotAMapping(root.getNodeType().toString().toLowerCase(java.util.Locale.ROOT));
        }
        return yaml.convertValue(root, new TypeReference<Map<String, Object>>() {
        });
    }

    /** One dry query per rule and extreme, exactly the ones the evaluation runs. */
    private List<PolicyProblem> checkQueries(ReceiverPolicy policy, Instant now, List<String> unreachable) {
        List<PolicyProblem> out = new ArrayList<>();
        for (PolicyRule rule : policy.rules()) {
            WindowProof proof = policy.proof(rule);
            for (String query : proof.queries().values()) {
                try {
                    prometheus.query(query, now);
                } catch (PrometheusException e) {
                    switch (e.reason()) {
                        case BAD_QUERY -> out.add(new PolicyProblem(PolicyProblem.Severity.ERROR, rule.name(), "expr",
                                "Prometheus rejects the query " + query + ": " + e.getMessage()));
                        case UNREACHABLE, TIMEOUT -> unreachable.add(e.getMessage());
                        default -> out.add(new PolicyProblem(PolicyProblem.Severity.WARNING, rule.name(), "expr",
                                "Prometheus could not evaluate " + query + " (" + e.getMessage()
                                        + "); the rule shows UNKNOWN until it can"));
                    }
                    if (!unreachable.isEmpty()) {
                        return out;
                    }
                    break; // one problem per rule is enough
                }
            }
        }
        return out;
    }

    /** {@code comparison: >} unquoted starts a YAML folded block and reads as an empty string. */
    private static List<PolicyProblem> withYamlHints(List<PolicyProblem> problems) {
        return problems.stream().map(p -> p.field().equals("comparison") && p.message().equals("is empty")
                ? new PolicyProblem(p.severity(), p.rule(), p.field(),
                "is empty; quote it (comparison: \">\"): a bare > or >= starts a YAML block scalar")
                : p).toList();
    }

    private static String describe(List<PolicyProblem> problems) {
        return problems.stream().map(PolicyProblem::toString).collect(Collectors.joining("; "));
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    /** The document is YAML but not a mapping (a list, a bare string). */
    private static final class NotAMapping extends JsonProcessingException {
        NotAMapping(String type) {
            super("the policy must be a mapping with a 'rules' list, got a " + type);
        }
    }
}
