package io.cosellsync.simulator.partnercenter;

import io.cosellsync.simulator.partnercenter.faults.Fault;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Marks the test of a fault; {@link FaultCoverageTest} requires one per fault. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@interface InjectsFault {
    Fault value();
}
