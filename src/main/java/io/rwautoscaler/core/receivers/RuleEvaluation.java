package io.rwautoscaler.core.receivers;

import io.rwautoscaler.core.model.WindowCoverage;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Every rule's state in one cycle, and the hold history to carry into the next.
 *
 * <p>A rule FIRES when its window-proven value satisfies the condition (the whole {@code for} window held)
 * and the instant value, when there is one, still does: the instant can be up to one step newer than the
 * window's last point, and a condition that has just cleared must not act. No window data is UNKNOWN, and so is a
 * window the data does not cover ({@link WindowCoverage}: agents started 43 s ago cannot prove "for 15m"), unless
 * the data it has already breaks the condition (NOT_FIRING).
 *
 * <p>"Held since" follows the current evidence (the instant value, else the proven one): set when the
 * condition starts holding, kept while it holds, cleared when it stops or there is no data at all (a gap
 * cannot be counted as holding). A proven window moves it back to at least {@code now - for}, so a restart
 * of this service does not report a long-standing condition as just begun. "Held since" is never earlier than
 * the data: with a window covered only in part it is at most {@code now - observed}.
 */
public record RuleEvaluation(List<RuleStatus> statuses, RuleHoldHistory history) {

    public RuleEvaluation {
        statuses = List.copyOf(statuses);
        Objects.requireNonNull(history, "history");
    }

    /**
     * @param observations by rule name; a rule without an entry has no data
     * @param previous     the history the previous cycle returned ({@link RuleHoldHistory#empty()} at start)
     */
    public static RuleEvaluation evaluate(ReceiverPolicy policy, Map<String, RuleObservation> observations,
                                          RuleHoldHistory previous, Instant now) {
        Objects.requireNonNull(now, "now");
        List<RuleStatus> statuses = new ArrayList<>();
        Map<String, Instant> next = new HashMap<>();
        for (PolicyRule rule : policy.rules()) {
            RuleObservation seen = observations.getOrDefault(rule.name(), RuleObservation.noData());
            RuleStatus status = evaluate(rule, seen, previous.since(rule.name()), now);
            status.heldSince().ifPresent(since -> next.put(rule.name(), since));
            statuses.add(status);
        }
        return new RuleEvaluation(statuses, new RuleHoldHistory(next));
    }

    static RuleStatus evaluate(PolicyRule rule, RuleObservation seen, Optional<Instant> previousSince, Instant now) {
        OptionalDouble proven = seen.provenValue();
        OptionalDouble instant = seen.instantValue();
        boolean provenHolds = proven.isPresent() && rule.holds(proven.getAsDouble());
        boolean instantHolds = instant.isPresent() && rule.holds(instant.getAsDouble());

        Optional<WindowCoverage> coverage = seen.coverage();
        boolean covered = coverage.map(WindowCoverage::covered).orElse(true);

        RuleState state;
        if (proven.isEmpty()) {
            state = RuleState.UNKNOWN;
        } else if (!provenHolds || (instant.isPresent() && !instantHolds)) {
            state = RuleState.NOT_FIRING; // the data there is already breaks the condition, covered or not
        } else if (!covered) {
            state = RuleState.UNKNOWN;
        } else {
            state = RuleState.FIRING;
        }

        boolean holdsNow = instant.isPresent() ? instantHolds : provenHolds;
        Optional<Instant> since = Optional.empty();
        if (holdsNow) {
            // A "since" in the future (clock moved back) restarts the count rather than report a negative hold.
            Instant start = previousSince.filter(s -> !s.isAfter(now)).orElse(now);
            if (state == RuleState.FIRING) {
                Instant windowStart = now.minus(rule.forDuration());
                start = start.isAfter(windowStart) ? windowStart : start;
            }
            if (coverage.isPresent() && coverage.get().observed().compareTo(rule.forDuration()) < 0) {
                Instant dataStart = coverage.get().earliestSince(now);
                start = start.isBefore(dataStart) ? dataStart : start;
            }
            since = Optional.of(start);
        }
        Duration heldFor = since.map(s -> Duration.between(s, now)).orElse(Duration.ZERO);
        return new RuleStatus(rule, state, proven, instant, heldFor, since, coverage);
    }

    public List<RuleStatus> firing() {
        return statuses.stream().filter(RuleStatus::firing).toList();
    }

    public List<RuleStatus> unknown() {
        return statuses.stream().filter(s -> s.state() == RuleState.UNKNOWN).toList();
    }

    public Optional<RuleStatus> status(String ruleName) {
        return statuses.stream().filter(s -> s.name().equals(ruleName)).findFirst();
    }
}
