package io.cosellsync.simulator.partnercenter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cosellsync.simulator.partnercenter.faults.Fault;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every fault has a test in {@link FaultsTest}. */
class FaultCoverageTest {

    @Test
    void everyFaultHasATest() {
        Set<Fault> covered = EnumSet.noneOf(Fault.class);
        Arrays.stream(FaultsTest.class.getDeclaredMethods())
                .filter(m -> m.isAnnotationPresent(InjectsFault.class) && m.isAnnotationPresent(Test.class))
                .forEach(m -> covered.add(m.getAnnotation(InjectsFault.class).value()));
        assertEquals(Set.of(), EnumSet.complementOf(EnumSet.copyOf(covered)), "faults without a test");
    }
}
