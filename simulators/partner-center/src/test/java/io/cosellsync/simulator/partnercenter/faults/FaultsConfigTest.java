package io.cosellsync.simulator.partnercenter.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Faults set in configuration are on from the start and are what a reset returns to. */
class FaultsConfigTest {

    private static Faults configured(Map<String, String> properties) {
        return new Faults(new SmallRyeConfigBuilder().withDefaultValues(properties).build());
    }

    @Test
    void configuredFaultsApplyFromTheStartAndSurviveAReset() {
        Faults faults = configured(Map.of("partner-center-sim.faults.\"contoso\".throttle", "0.25",
                "partner-center-sim.faults.\"contoso\".latency", "150"));
        assertEquals(Map.of(Fault.THROTTLE, 0.25, Fault.LATENCY, 150.0), faults.get("contoso"));
        assertEquals(Map.of(), faults.get("fabrikam"));

        faults.set("contoso", Map.of(Fault.SERVER_ERROR, 1.0));
        assertEquals(Map.of(Fault.SERVER_ERROR, 1.0), faults.get("contoso"));
        faults.reset();
        assertEquals(Map.of(Fault.THROTTLE, 0.25, Fault.LATENCY, 150.0), faults.get("contoso"));
    }

    @Test
    void badConfigurationFailsNamingTheFault() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> configured(Map.of("partner-center-sim.faults.\"contoso\".server-error", "1.5")));
        assertEquals(true, e.getMessage().contains("SERVER_ERROR"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> configured(Map.of("partner-center-sim.faults.\"contoso\".gremlins", "1")));
    }
}
