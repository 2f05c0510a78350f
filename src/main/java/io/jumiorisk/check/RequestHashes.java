package io.jumiorisk.check;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jumiorisk.keys.KeyedHash;

/**
 * What the table keeps instead of the caller's idempotency key and request body: keyed hashes, so that a repeat can be
 * recognised and a different body refused without storing either. They are keyed by the data key, which is meant to
 * stay: under a new one, a repeat would not find its check and would start another.
 */
@ApplicationScoped
public class RequestHashes {
    private final KeyedHash keyedHash;
    private final ObjectMapper mapper;

    public RequestHashes(KeyedHash keyedHash, ObjectMapper mapper) {
        this.keyedHash = keyedHash;
        this.mapper = mapper;
    }

    public String idempotencyKey(String key) {
        return keyedHash.of("idempotency-key/v1", key.getBytes(StandardCharsets.UTF_8));
    }

    /** A hash of the request that does not depend on field order or formatting. */
    public String request(CheckRequest request) {
        ObjectNode canonical = mapper.createObjectNode();
        canonical.put("customerInternalReference", request.customerInternalReference());
        canonical.put("userReference", request.userReference());
        canonical.put("workflowKey", request.workflowKey());
        canonical.put("accountId", request.accountId());
        canonical.set("preparedData", request.preparedData());
        try {
            return keyedHash.of("request/v1", mapper.writeValueAsBytes(sorted(canonical)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialize a parsed request", e);
        }
    }

    private static Object sorted(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new TreeMap<>();
            node.fields().forEachRemaining(e -> map.put(e.getKey(), sorted(e.getValue())));
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(n -> list.add(sorted(n)));
            return list;
        }
        return node;
    }
}
