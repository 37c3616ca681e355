package io.cosellsync.events.partnercenter;

import io.cosellsync.events.Require;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * Deal details. {@code marketplaceIntent} is Partner Center's {@code CustomerMarketplaceIntent}
 * ({@code Yes}, {@code No}, {@code HaveNotDecided}).
 */
public record Details(String notes, BigDecimal dealValue, String currency, Instant closingDateTime,
        List<Solution> solutions, String marketplaceIntent) {

    public Details {
        solutions = Require.list(solutions);
    }
}
