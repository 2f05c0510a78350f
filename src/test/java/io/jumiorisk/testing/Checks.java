package io.jumiorisk.testing;

import java.util.UUID;

/** Request bodies used across tests. Personal data in them is fake, and distinctive so that leaks can be found. */
public final class Checks {
    public static final String EMAIL = "jane.leakcheck@example.com";
    public static final String PHONE = "+14155550142";
    public static final String LAST_NAME = "Leakcheckova";
    public static final String SSN = "987654321";
    public static final String ID_NUMBER = "X99LEAK77";

    private Checks() {
    }

    public static String reference() {
        return "txn-" + UUID.randomUUID();
    }

    public static String emailRisk(String reference) {
        return """
                {"customerInternalReference":"%s","userReference":"user-42","workflowDefinitionKey":10066,
                 "preparedData":{"email":"%s","ipAddress":"198.51.100.23"}}""".formatted(reference, EMAIL);
    }

    public static String phoneRisk(String reference) {
        return """
                {"customerInternalReference":"%s","userReference":"user-43","workflowDefinitionKey":10065,
                 "preparedData":{"phoneNumber":"%s"}}""".formatted(reference, PHONE);
    }

    public static String ekyc(String reference) {
        return """
                {"customerInternalReference":"%s","userReference":"user-44","workflowDefinitionKey":10148,
                 "preparedData":{"firstName":"Jane","lastName":"%s","dateOfBirth":"1990-04-12",
                   "socialSecurityNumber":"%s","email":"%s","phoneNumber":"%s",
                   "address":{"line1":"1 Main St","city":"Springfield","postalCode":"12345","subdivision":"IL","country":"USA"},
                   "id":{"idNumber":"%s","type":"DRIVING_LICENSE","issuingDate":"2020-01-01","expiryDate":"2030-01-01"}}}"""
                .formatted(reference, LAST_NAME, SSN, EMAIL, PHONE, ID_NUMBER);
    }
}
