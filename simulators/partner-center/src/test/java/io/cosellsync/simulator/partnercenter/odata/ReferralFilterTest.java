package io.cosellsync.simulator.partnercenter.odata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cosellsync.simulator.partnercenter.api.ApiException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ReferralFilterTest {

    private static final JsonNode REFERRAL = read("""
            {"engagementId":"65921e35-4f28-472f-9ae4-58ddd6ae6270","status":"New","substatus":"Pending",
             "direction":"Incoming","type":"Shared","qualification":"SalesQualified",
             "createdDateTime":"2026-01-07T05:08:23.8101440Z","updatedDateTime":"2026-01-08T00:00:00.0000000Z",
             "customerProfile":{"address":{"country":"US"}},
             "team":[{"email":"sam.lee@contoso.example"},{"email":"r2d2@contoso.com"}]}""");

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "engagementId eq '65921e35-4f28-472f-9ae4-58ddd6ae6270'                      | true",
        "engagementId eq 65921e35-4f28-472f-9ae4-58ddd6ae6270                        | true",
        "engagementId ne 65921e35-4f28-472f-9ae4-58ddd6ae6270                        | false",
        "status eq 'New' and qualification eq 'SalesQualified'                      | true",
        "status eq 'new'                                                             | true",
        "customerProfile/address/country eq 'US' and direction eq 'Incoming'        | true",
        "customerProfile/address/country eq 'us'                                     | false",
        "(type eq 'Shared' and direction eq 'Incoming')                              | true",
        "(direction eq 'Incoming' and substatus eq 'Pending')                        | true",
        "team/any(t:t/email eq 'r2d2@contoso.com')                                   | true",
        "team/any(t: t/email eq 'nobody@contoso.com')                                | false",
        "status eq 'Closed' or substatus eq 'Pending'                               | true",
        "not (status eq 'New')                                                       | false",
        "not status eq 'Active' and type eq 'Shared'                                 | true",
        "status eq 'Active' or status eq 'New' and type eq 'Independent'             | false",
        "createdDateTime gt 2026-01-07T00:00:00Z                                     | true",
        "createdDateTime ge '2026-01-07T05:08:23.8101440Z'                           | true",
        "updatedDateTime lt 2026-01-08                                               | false",
        "updatedDateTime le 2026-01-08T00:00:00Z                                     | true",
        "2026-01-07T00:00:00Z lt createdDateTime                                     | true",
    })
    void matchesAsOdataSays(String filter, boolean expected) {
        assertEquals(expected, ReferralFilter.parse(filter).test(REFERRAL), filter);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "name eq 'x'",                              // not filterable
        "externalReferenceId eq '006A'",             // not documented as filterable
        "status gt 'New'",                           // ordering on an enum
        "status eq",                                 // incomplete
        "status eq 'New' and",                       // dangling operator
        "contains(name,'x')",                        // functions are not supported
        "status eq 'New')",                          // unbalanced
        "customerProfile/any(c:c/email eq 'x')",     // lambda on the wrong collection
        "team/any(t:t/phoneNumber eq '1')",          // lambda on the wrong property
        "createdDateTime gt 'yesterday'",            // not a date-time
        "status eq status",                          // two properties
    })
    void rejectsWhatTheServiceDoesNotSupportNamingIt(String filter) {
        ApiException e = assertThrows(ApiException.class, () -> ReferralFilter.parse(filter));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().startsWith("'$filter'"), e.getMessage());
    }

    private static JsonNode read(String json) {
        try {
            return new ObjectMapper().readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
