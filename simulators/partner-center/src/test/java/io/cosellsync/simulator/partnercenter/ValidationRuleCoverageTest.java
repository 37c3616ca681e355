package io.cosellsync.simulator.partnercenter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cosellsync.simulator.partnercenter.referrals.ValidationRule;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every validation rule has a contract test in {@link ValidationRulesTest}. */
class ValidationRuleCoverageTest {

    @Test
    void everyRuleHasAContractTest() {
        Set<ValidationRule> covered = EnumSet.noneOf(ValidationRule.class);
        Arrays.stream(ValidationRulesTest.class.getDeclaredMethods())
                .filter(m -> m.isAnnotationPresent(Covers.class) && m.isAnnotationPresent(Test.class))
                .forEach(m -> covered.add(m.getAnnotation(Covers.class).value()));
        Set<ValidationRule> missing = EnumSet.complementOf(EnumSet.copyOf(covered));
        assertEquals(Set.of(), missing, "validation rules without a contract test");
    }
}
