package io.rwautoscaler.core.receivers;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The outcome of reading a policy document: the policy when there is no error, and every problem found. */
public record PolicyValidation(Optional<ReceiverPolicy> policy, List<PolicyProblem> problems) {

    public PolicyValidation {
        Objects.requireNonNull(policy, "policy");
        problems = List.copyOf(problems);
        if (policy.isPresent() && problems.stream().anyMatch(PolicyProblem::isError)) {
            throw new IllegalArgumentException("a policy with errors is not valid");
        }
    }

    public boolean isValid() {
        return policy.isPresent();
    }

    public List<PolicyProblem> errors() {
        return problems.stream().filter(PolicyProblem::isError).toList();
    }

    public List<PolicyProblem> warnings() {
        return problems.stream().filter(p -> !p.isError()).toList();
    }
}
