package io.rwautoscaler.core.receivers;

/** Whether an action grows the pipeline or shrinks it; scale-out always beats scale-in. */
public enum ScalingDirection {
    SCALE_OUT, SCALE_IN
}
