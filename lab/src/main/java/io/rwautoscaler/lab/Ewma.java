package io.rwautoscaler.lab;

/**
 * Prometheus' {@code ewmaRate} (storage/remote/ewma.go): events are counted between ticks; each tick (every
 * {@code shardUpdateDuration}, 10 s) turns them into a rate and folds it in with weight 0.2. The first tick with
 * events sets the rate outright.
 */
final class Ewma {
    static final double WEIGHT = 0.2;

    private final double intervalSeconds;
    private double newEvents;
    private double rate;
    private boolean init;

    Ewma(double intervalSeconds) {
        this.intervalSeconds = intervalSeconds;
    }

    void incr(double events) {
        newEvents += events;
    }

    void tick() {
        double instant = newEvents / intervalSeconds;
        if (init) {
            rate += WEIGHT * (instant - rate);
        } else if (newEvents > 0) {
            init = true;
            rate = instant;
        }
        newEvents = 0;
    }

    double rate() {
        return rate;
    }
}
