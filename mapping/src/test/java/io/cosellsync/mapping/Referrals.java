package io.cosellsync.mapping;

import io.cosellsync.events.partnercenter.Address;
import io.cosellsync.events.partnercenter.Consent;
import io.cosellsync.events.partnercenter.Customer;
import io.cosellsync.events.partnercenter.Details;
import io.cosellsync.events.partnercenter.InviteContext;
import io.cosellsync.events.partnercenter.Member;
import io.cosellsync.events.partnercenter.ReferralDirection;
import io.cosellsync.events.partnercenter.ReferralSnapshot;
import io.cosellsync.events.partnercenter.ReferralStatus;
import io.cosellsync.events.partnercenter.ReferralSubstatus;
import io.cosellsync.events.partnercenter.ReferralType;
import io.cosellsync.events.partnercenter.Solution;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Generated referrals: the awkward values a real tenant sends (long and unicode names, ✔, "" vs null, time zones). */
final class Referrals {

    static final List<String[]> STATUSES = List.of(new String[] {"New", "Pending"}, new String[] {"New", "Received"},
            new String[] {"Active", "Accepted"}, new String[] {"Closed", "Won"}, new String[] {"Closed", "Lost"},
            new String[] {"Closed", "Declined"}, new String[] {"Closed", "Expired"});

    private Referrals() {
    }

    /** Text of any length up to max, from several scripts, with ✔/✖, surrogate pairs, "" and null. */
    static Arbitrary<String> text(int max) {
        Arbitrary<String> any = Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z')
                .withChars(' ', '✔', '✖', 'é', 'ß', 'Ω', 'ж', '中', '文', '-', '&', '\'').ofMinLength(1).ofMaxLength(max);
        Arbitrary<String> withEmoji = any.map(s -> s.length() > 2 ? s.substring(0, s.length() - 2) + "😀" : s);
        return Arbitraries.oneOf(any, withEmoji, Arbitraries.just(""), Arbitraries.just(null));
    }

    static Arbitrary<String> present(int max) {
        return Arbitraries.strings().withCharRange('a', 'z').withChars(' ', '✔', 'é', '中').ofMinLength(1)
                .ofMaxLength(max).filter(s -> !s.isBlank());
    }

    static Arbitrary<String> name() {
        Arbitrary<String> full = Arbitraries.strings().withCharRange('A', 'Z').withChars('✔', ' ', 'ü').ofLength(120);
        return Arbitraries.oneOf(present(120), full, full.map(s -> s.substring(0, 117) + " ✔x"));
    }

    static Arbitrary<BigDecimal> dealValue() {
        return Arbitraries.oneOf(Arbitraries.bigDecimals().between(BigDecimal.ZERO, new BigDecimal("9999999999999"))
                .ofScale(2), Arbitraries.bigDecimals().between(BigDecimal.ZERO, new BigDecimal("1000000")).ofScale(0),
                Arbitraries.just(null));
    }

    /** Closing dates written at midnight in time zones from UTC-12 to UTC+14, or at any time of day. */
    static Arbitrary<Instant> closing() {
        Arbitrary<LocalDate> day = Arbitraries.integers().between(0, 3650).map(d -> LocalDate.of(2024, 1, 1)
                .plusDays(d));
        Arbitrary<ZoneOffset> zone = Arbitraries.integers().between(-12 * 4, 14 * 4)
                .map(q -> ZoneOffset.ofTotalSeconds(q * 15 * 60));
        Arbitrary<LocalTime> time = Arbitraries.oneOf(Arbitraries.just(LocalTime.MIDNIGHT),
                Arbitraries.integers().between(0, 86399).map(LocalTime::ofSecondOfDay));
        return Arbitraries.oneOf(Combinators.combine(day, time, zone).as((d, t, z) -> OffsetDateTime.of(d, t, z)
                .toInstant()), Arbitraries.just(null));
    }

    static Arbitrary<Member> member() {
        Arbitrary<String> email = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12)
                .map(s -> s + "@contoso.example");
        return Combinators.combine(text(40), text(80), email, text(20), text(60)).as(Member::new);
    }

    static Arbitrary<List<Member>> members(int max) {
        return member().list().ofMaxSize(max).uniqueElements(Member::email);
    }

    static Arbitrary<Solution> solution() {
        return Combinators.combine(Arbitraries.strings().numeric().ofLength(5).map(s -> "SOL-" + s + "-MQF"),
                text(80), Arbitraries.of("Name", "Category")).as(Solution::new);
    }

    static Arbitrary<Address> address() {
        Arbitrary<String> line = Arbitraries.strings().withCharRange('a', 'z').withChars(' ', '1', 'ö')
                .ofMaxLength(60).injectNull(0.2);
        Arbitrary<String> country = Arbitraries.of("US", "DE", "FR", "JP", "BR", "in", "gb");
        return Combinators.combine(line, line, text(40), text(40), text(20), country, text(20)).as(Address::new);
    }

    static Arbitrary<ReferralSnapshot> referral() {
        Arbitrary<String[]> status = Arbitraries.of(STATUSES);
        Arbitrary<Customer> customer = Combinators.combine(present(80), address(), members(4))
                .as((n, a, c) -> new Customer(n, a, null, c));
        Arbitrary<Details> details = Combinators.combine(text(500), dealValue(),
                Arbitraries.of("USD", "EUR", "jpy", "GBP").injectNull(0.1), closing(),
                solution().list().ofMaxSize(3).uniqueElements(Solution::id),
                Arbitraries.of("Yes", "No", "HaveNotDecided").injectNull(0.3)).as(Details::new);
        Arbitrary<Consent> consent = Arbitraries.of(Boolean.TRUE, Boolean.FALSE).injectNull(0.2)
                .map(b -> new Consent(true, true, false, b));
        Arbitrary<InviteContext> invite = Arbitraries.of("WorkloadSpecificValueProposition", "GeneralOrOther",
                "QuotesOrLicensing", "Unknown").injectNull(0.2).map(code -> new InviteContext(null, code, "msft",
                        "Microsoft"));
        return Combinators.combine(name(), status, customer, details, consent, invite, members(3))
                .as((name, st, cust, det, con, inv, team) -> new ReferralSnapshot(
                        "7f3c1a2e-0b4d-4e6f-8a9b-1c2d3e4f5a6b", "e1", name, null, "org", ReferralStatus.valueOf(
                                st[0].toUpperCase()), ReferralSubstatus.valueOf(st[1].toUpperCase()), null,
                        ReferralType.SHARED, null, ReferralDirection.INCOMING, Instant.parse("2026-11-01T09:30:00Z"),
                        Instant.parse("2026-11-20T10:00:00Z"), null, null, null, "\"etag\"", cust, con, det, team,
                        inv, "MSX-1", "https://partner.microsoft.com/dashboard/referrals/v2/leads/x"));
    }
}
