package io.jumiorisk.check;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jumiorisk.IpAddresses;
import io.jumiorisk.errors.InvalidRequest;
import io.jumiorisk.errors.InvalidRequest.FieldError;
import io.jumiorisk.jumio.JumioConfig;

/**
 * Checks a start request against Jumio's rules before anything is stored or sent, and reports every offending field
 * at once. Messages name the rule, never the value, since values may be personal data.
 */
@ApplicationScoped
public class RequestParser {
    /** Characters Jumio forbids in references ({@code customerInternalReference}, {@code userReference}). */
    static final String REFERENCE_FORBIDDEN = "<>\"/;`%{}|";
    /** Characters Jumio forbids in the name, email and phone keys of prepared data. */
    static final String DATA_FORBIDDEN = "<>\"/;%|";

    private static final Set<String> TOP_LEVEL = Set.of("customerInternalReference", "userReference",
            "workflowDefinitionKey", "accountId", "preparedData");
    private static final Set<String> GUARDED_DATA_KEYS = Set.of("firstName", "middleName", "lastName",
            "paternalSurname", "maternalSurname", "email", "phoneNumber");
    private static final Set<String> NAME_KEYS = Set.of("firstName", "middleName", "lastName", "suffix",
            "paternalSurname", "maternalSurname");
    private static final Set<String> ID_TYPES = Set.of("PASSPORT", "DRIVING_LICENSE", "DRIVER_LICENSE", "ID_CARD");
    private static final Set<String> ADDRESS_KEYS = Set.of("line1", "line2", "line3", "line4", "line5", "postalCode",
            "city", "subdivision", "country");

    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");
    // Practical address syntax (RFC 5321 sizes, a dotted domain with a letter TLD); deliverability is Jumio's business.
    private static final Pattern EMAIL = Pattern.compile(
            "[A-Za-z0-9!#$&'*+=?^_`{}|~-]+(\\.[A-Za-z0-9!#$&'*+=?^_`{}|~-]+)*"
                    + "@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}");
    private static final Pattern SSN = Pattern.compile("[0-9]{4}|[0-9]{9}");
    private static final Pattern UUID = Pattern
            .compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern WORKFLOW_KEY = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd")
            .withResolverStyle(ResolverStyle.STRICT);
    private static final Set<String> COUNTRIES_2 = Set.of(Locale.getISOCountries());
    private static final Set<String> COUNTRIES_3 = Set
            .copyOf(Locale.getISOCountries(Locale.IsoCountryCode.PART1_ALPHA3));

    private final JumioConfig config;

    public RequestParser(JumioConfig config) {
        this.config = config;
    }

    /** @param extraAllowed top-level fields this event source adds (Step Functions' {@code taskToken}) */
    public CheckRequest parse(JsonNode body, Set<String> extraAllowed) {
        List<FieldError> errors = new ArrayList<>();
        if (body == null || !body.isObject()) {
            throw InvalidRequest.of("body", "must be a JSON object");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext();) {
            String name = it.next();
            if (!TOP_LEVEL.contains(name) && !extraAllowed.contains(name)) {
                errors.add(new FieldError(safeName(name), "is not a known field"));
            }
        }
        String reference = reference(body, "customerInternalReference", true, errors);
        String userReference = reference(body, "userReference", false, errors);
        String workflowKey = workflowKey(body.get("workflowDefinitionKey"), errors);
        String accountId = null;
        JsonNode account = body.get("accountId");
        if (account != null && !account.isNull()) {
            if (!account.isTextual() || !UUID.matcher(account.asText()).matches()) {
                errors.add(new FieldError("accountId", "must be a Jumio account id (UUID)"));
            } else {
                accountId = account.asText();
            }
        }
        JsonNode data = body.get("preparedData");
        if (data == null || data.isNull()) {
            errors.add(new FieldError("preparedData", "is required"));
        } else if (!data.isObject() || data.isEmpty()) {
            errors.add(new FieldError("preparedData", "must be a non-empty JSON object"));
        } else {
            preparedData((ObjectNode) data, errors);
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequest(errors);
        }
        return new CheckRequest(reference, userReference, workflowKey, accountId, (ObjectNode) data);
    }

    private static String reference(JsonNode body, String field, boolean required, List<FieldError> errors) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                errors.add(new FieldError(field, "is required"));
            }
            return null;
        }
        if (!node.isTextual()) {
            errors.add(new FieldError(field, "must be a string"));
            return null;
        }
        String value = node.asText();
        int before = errors.size();
        length(field, value, 1, 100, errors);
        forbidden(field, value, REFERENCE_FORBIDDEN, errors);
        plainText(field, value, errors);
        return errors.size() == before ? value : null;
    }

    private String workflowKey(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return config.workflowKey().filter(k -> !k.isBlank()).orElseGet(() -> {
                errors.add(new FieldError("workflowDefinitionKey",
                        "is required (no JUMIO_WORKFLOW_KEY default is configured)"));
                return null;
            });
        }
        // canConvertToLong: asLong() would wrap a larger integer into another, valid-looking key.
        if (node.isIntegralNumber() && node.canConvertToLong() && node.asLong() > 0) {
            return Long.toString(node.asLong());
        }
        if (node.isTextual() && WORKFLOW_KEY.matcher(node.asText()).matches()) {
            return node.asText();
        }
        errors.add(new FieldError("workflowDefinitionKey",
                "must be a positive integer or a key of letters, digits, '-' and '_'"));
        return null;
    }

    private static void preparedData(ObjectNode data, List<FieldError> errors) {
        for (Iterator<Map.Entry<String, JsonNode>> it = data.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey();
            String path = "preparedData." + safeName(key);
            JsonNode value = field.getValue();
            switch (key) {
                case "address" -> nested(path, value, ADDRESS_KEYS, errors, (k, v, p) -> {
                    if (k.equals("country")) {
                        country(p, v, errors);
                    }
                });
                case "id" ->
                    nested(path, value, Set.of("idNumber", "type", "issuingDate", "expiryDate"), errors, (k, v, p) -> {
                        switch (k) {
                            case "type" -> {
                                if (!ID_TYPES.contains(v)) {
                                    errors.add(new FieldError(p, "must be one of "
                                            + ID_TYPES.stream().sorted().collect(Collectors.joining(", "))));
                                }
                            }
                            case "issuingDate", "expiryDate" -> date(p, v, false, errors);
                            default -> {
                            }
                        }
                    });
                case "kyc" ->
                    nested(path, value, Set.of("registrationDate", "registrationIpAddress"), errors, (k, v, p) -> {
                        if (k.equals("registrationDate")) {
                            date(p, v, true, errors);
                        } else {
                            ip(p, v, errors);
                        }
                    });
                default -> {
                    if (!isKnownScalar(key)) {
                        errors.add(new FieldError(path, "is not a known prepared-data field"));
                        continue;
                    }
                    String text = text(path, value, errors);
                    if (text != null) {
                        scalar(key, path, text, errors);
                    }
                }
            }
        }
    }

    private static boolean isKnownScalar(String key) {
        return NAME_KEYS.contains(key) || Set.of("sex", "dateOfBirth", "socialSecurityNumber", "nationality", "email",
                "phoneNumber", "phoneNumber2", "personalNumber", "ipAddress").contains(key);
    }

    private static void scalar(String key, String path, String value, List<FieldError> errors) {
        if (GUARDED_DATA_KEYS.contains(key)) {
            forbidden(path, value, DATA_FORBIDDEN, errors);
        }
        switch (key) {
            case "email" -> {
                length(path, value, 3, 254, errors);
                if (!EMAIL.matcher(value).matches()) {
                    errors.add(new FieldError(path, "must be an email address"));
                }
            }
            case "phoneNumber", "phoneNumber2" -> {
                if (!E164.matcher(value).matches()) {
                    errors.add(new FieldError(path,
                            "must be an E.164 phone number with country code, such as +14155550100"));
                }
            }
            case "dateOfBirth" -> date(path, value, true, errors);
            case "socialSecurityNumber" -> {
                if (!SSN.matcher(value).matches()) {
                    errors.add(new FieldError(path, "must be 4 or 9 digits"));
                }
            }
            case "nationality" -> country(path, value, errors);
            case "ipAddress" -> ip(path, value, errors);
            default -> length(path, value, 1, 100, errors);
        }
    }

    @FunctionalInterface
    private interface NestedRule {
        void check(String key, String value, String path);
    }

    private static void nested(String path, JsonNode value, Set<String> allowed, List<FieldError> errors,
            NestedRule rule) {
        if (!value.isObject()) {
            errors.add(new FieldError(path, "must be a JSON object"));
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            String p = path + "." + safeName(field.getKey());
            if (!allowed.contains(field.getKey())) {
                errors.add(new FieldError(p, "is not a known field"));
                continue;
            }
            String text = text(p, field.getValue(), errors);
            if (text != null) {
                length(p, text, 1, 255, errors);
                rule.check(field.getKey(), text, p);
            }
        }
    }

    private static String text(String path, JsonNode value, List<FieldError> errors) {
        if (!value.isTextual()) {
            errors.add(new FieldError(path, "must be a string"));
            return null;
        }
        return plainText(path, value.asText(), errors) ? value.asText() : null;
    }

    /**
     * No value needs control characters (NUL, CR, LF...), half a surrogate pair, or bidirectional overrides, and each
     * can do harm downstream: truncation at a NUL, forged lines in someone's log, text that displays other than it
     * reads. Right-to-left scripts, combining marks and emoji (with their joiners) are fine.
     */
    private static boolean plainText(String path, String value, List<FieldError> errors) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean pairedSurrogate = Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1));
            if (pairedSurrogate) {
                i++;
                continue;
            }
            if (Character.isISOControl(c) || Character.isSurrogate(c) || (c >= '\u202A' && c <= '\u202E')
                    || (c >= '\u2066' && c <= '\u2069')) {
                errors.add(new FieldError(path, "must not contain control characters, unpaired surrogates or "
                        + "bidirectional overrides"));
                return false;
            }
        }
        return true;
    }

    private static void length(String path, String value, int min, int max, List<FieldError> errors) {
        int length = value.codePointCount(0, value.length());
        if (length < min || length > max) {
            errors.add(new FieldError(path, "must be " + min + " to " + max + " characters long"));
        }
    }

    private static void forbidden(String path, String value, String forbidden, List<FieldError> errors) {
        if (value.chars().anyMatch(c -> forbidden.indexOf(c) >= 0)) {
            errors.add(new FieldError(path, "must not contain any of " + forbidden));
        }
    }

    private static void date(String path, String value, boolean notInFuture, List<FieldError> errors) {
        try {
            LocalDate date = LocalDate.parse(value, DATE);
            if (notInFuture && date.isAfter(LocalDate.now())) {
                errors.add(new FieldError(path, "must not be in the future"));
            }
        } catch (DateTimeException e) {
            errors.add(new FieldError(path, "must be a date as YYYY-MM-DD"));
        }
    }

    private static void country(String path, String value, List<FieldError> errors) {
        boolean ok = value.length() == 3
                ? COUNTRIES_3.contains(value)
                : value.length() == 2 && COUNTRIES_2.contains(value);
        if (!ok) {
            errors.add(new FieldError(path, "must be an ISO 3166 country code (alpha-3 such as USA, or alpha-2)"));
        }
    }

    private static void ip(String path, String value, List<FieldError> errors) {
        if (IpAddresses.parse(value) == null) {
            errors.add(new FieldError(path, "must be an IPv4 or IPv6 address"));
        }
    }

    /** Unknown field names are echoed back; keep them short and printable so they cannot smuggle data. */
    private static String safeName(String name) {
        String clean = name.replaceAll("[^A-Za-z0-9_.-]", "?");
        return clean.length() > 40 ? clean.substring(0, 40) + "..." : clean;
    }
}
