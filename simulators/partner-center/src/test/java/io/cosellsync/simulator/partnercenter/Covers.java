package io.cosellsync.simulator.partnercenter;

import io.cosellsync.simulator.partnercenter.referrals.ValidationRule;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Marks the contract test of a validation rule; {@link ValidationRuleCoverageTest} requires one per rule. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@interface Covers {
    ValidationRule value();
}
