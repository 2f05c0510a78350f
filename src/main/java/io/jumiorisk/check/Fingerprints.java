package io.jumiorisk.check;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jumiorisk.jumio.JumioCredentials;

/**
 * What the table keeps instead of sensitive values. Requests and idempotency keys are stored as keyed hashes (HMAC),
 * because a plain hash of a phone number or an email can be reversed by trying them all. The workflow token, needed
 * to resume a start that died halfway, is sealed with AES-GCM. Both keys derive from the Jumio client secret, which
 * never reaches the table; rotating that secret means a repeat that spans the rotation is seen as a new body (409).
 */
@ApplicationScoped
public class Fingerprints {
    // Per instance, created at run time: a native image must not freeze a seeded generator into its heap.
    private final SecureRandom random = new SecureRandom();
    private final JumioCredentials credentials;
    private final ObjectMapper mapper;

    public Fingerprints(JumioCredentials credentials, ObjectMapper mapper) {
        this.credentials = credentials;
        this.mapper = mapper;
    }

    public String idempotencyKey(String key) {
        return hmac("idempotency-key/v1", key.getBytes(StandardCharsets.UTF_8));
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
            byte[] bytes = mapper.writeValueAsBytes(sorted(canonical));
            return hmac("request/v1", bytes);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialize a parsed request", e);
        }
    }

    public String seal(String secret) {
        try {
            byte[] iv = new byte[12];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, aesKey(), new GCMParameterSpec(128, iv));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder()
                    .encodeToString(ByteBuffer.allocate(12 + sealed.length).put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot seal a workflow token", e);
        }
    }

    /** @throws IllegalStateException when the key changed since sealing (the Jumio secret was rotated) */
    public String unseal(String sealed) {
        try {
            byte[] all = Base64.getDecoder().decode(sealed);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, aesKey(), new GCMParameterSpec(128, all, 0, 12));
            return new String(cipher.doFinal(all, 12, all.length - 12), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("Cannot unseal a workflow token: the sealing key changed");
        }
    }

    private SecretKeySpec aesKey() {
        return new SecretKeySpec(HexFormat.of().parseHex(hmac("workflow-token-seal/v1", new byte[0])), "AES");
    }

    private String hmac(String purpose, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(credentials.sealingSecret(), "HmacSHA256"));
            mac.update(purpose.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return HexFormat.of().formatHex(mac.doFinal(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static Object sorted(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new TreeMap<>();
            node.fields().forEachRemaining(e -> map.put(e.getKey(), sorted(e.getValue())));
            return map;
        }
        if (node.isArray()) {
            java.util.List<Object> list = new java.util.ArrayList<>();
            node.forEach(n -> list.add(sorted(n)));
            return list;
        }
        return node;
    }
}
