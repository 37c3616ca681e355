package io.cosellsync.simulator.salesforce;

import io.cosellsync.simulator.salesforce.control.Fault;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The fault a test injects (checked by {@link SalesforceFaultsTest#everyFaultHasATest}). */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@interface InjectsFault {
    Fault value();
}
