package io.cosellsync.simulator.salesforce;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cosellsync.simulator.salesforce.data.DataRule;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every data rule has a contract test in {@link DataRulesTest}. */
class DataRuleCoverageTest {

    @Test
    void everyDataRuleHasAContractTest() {
        Set<DataRule> covered = EnumSet.noneOf(DataRule.class);
        Arrays.stream(DataRulesTest.class.getDeclaredMethods())
                .filter(m -> m.isAnnotationPresent(Covers.class) && m.isAnnotationPresent(Test.class))
                .forEach(m -> covered.add(m.getAnnotation(Covers.class).value()));
        assertEquals(Set.of(), EnumSet.complementOf(EnumSet.copyOf(covered)), "data rules without a contract test");
    }
}
