package io.cosellsync.simulator.salesforce.soql;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;
import java.util.Optional;

/**
 * SOQL's relative date literals as day ranges [start, end) in UTC, weeks starting on Sunday (the en_US locale).
 * {@code LAST_N_DAYS:n} covers today and the n days before it, as Salesforce behaves (its documentation says n
 * days); {@code NEXT_N_DAYS:n} starts tomorrow.
 */
final class DateLiterals {

    /** The days a literal covers: {@code start} inclusive, {@code end} exclusive. */
    record Range(LocalDate start, LocalDate end) {
    }

    private DateLiterals() {
    }

    /** The range of a literal ({@code n} for the {@code :n} forms, else null), or empty if there is none. */
    static Optional<Range> resolve(String literal, Integer n, LocalDate today) {
        String name = literal.toUpperCase(Locale.ROOT);
        boolean takesN = name.contains("_N_") || name.equals("N_DAYS_AGO") || name.startsWith("N_");
        if (takesN != (n != null)) {
            return Optional.empty();
        }
        LocalDate week = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.SUNDAY));
        LocalDate month = today.withDayOfMonth(1);
        LocalDate quarter = today.withDayOfMonth(1).withMonth((today.getMonthValue() - 1) / 3 * 3 + 1);
        LocalDate year = today.withDayOfYear(1);
        Range range = switch (name) {
            case "YESTERDAY" -> days(today.minusDays(1), 1);
            case "TODAY" -> days(today, 1);
            case "TOMORROW" -> days(today.plusDays(1), 1);
            case "LAST_WEEK" -> days(week.minusWeeks(1), 7);
            case "THIS_WEEK" -> days(week, 7);
            case "NEXT_WEEK" -> days(week.plusWeeks(1), 7);
            case "LAST_MONTH" -> new Range(month.minusMonths(1), month);
            case "THIS_MONTH" -> new Range(month, month.plusMonths(1));
            case "NEXT_MONTH" -> new Range(month.plusMonths(1), month.plusMonths(2));
            case "LAST_90_DAYS" -> new Range(today.minusDays(90), today.plusDays(1));
            case "NEXT_90_DAYS" -> days(today.plusDays(1), 90);
            case "LAST_QUARTER" -> new Range(quarter.minusMonths(3), quarter);
            case "THIS_QUARTER" -> new Range(quarter, quarter.plusMonths(3));
            case "NEXT_QUARTER" -> new Range(quarter.plusMonths(3), quarter.plusMonths(6));
            case "LAST_YEAR" -> new Range(year.minusYears(1), year);
            case "THIS_YEAR" -> new Range(year, year.plusYears(1));
            case "NEXT_YEAR" -> new Range(year.plusYears(1), year.plusYears(2));
            case "LAST_N_DAYS" -> new Range(today.minusDays(n), today.plusDays(1));
            case "NEXT_N_DAYS" -> days(today.plusDays(1), n);
            case "N_DAYS_AGO" -> days(today.minusDays(n), 1);
            case "LAST_N_WEEKS" -> new Range(week.minusWeeks(n), week);
            case "NEXT_N_WEEKS" -> new Range(week.plusWeeks(1), week.plusWeeks(1 + n));
            case "LAST_N_MONTHS" -> new Range(month.minusMonths(n), month);
            case "NEXT_N_MONTHS" -> new Range(month.plusMonths(1), month.plusMonths(1 + n));
            case "LAST_N_YEARS" -> new Range(year.minusYears(n), year);
            case "NEXT_N_YEARS" -> new Range(year.plusYears(1), year.plusYears(1 + n));
            default -> null;
        };
        return Optional.ofNullable(range);
    }

    private static Range days(LocalDate start, int count) {
        return new Range(start, start.plusDays(count));
    }
}
