package io.cosellsync.simulator.salesforce;

import io.cosellsync.simulator.salesforce.data.DataRule;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The data rule a contract test covers (checked by {@link DataRuleCoverageTest}). */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@interface Covers {
    DataRule value();
}
