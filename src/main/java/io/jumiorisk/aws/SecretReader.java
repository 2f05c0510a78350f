package io.jumiorisk.aws;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Reads JSON secrets from Secrets Manager once per container. {@link #forget} lets a caller that was refused re-read
 * a secret after a rotation. Values never leave this class except to the code that uses them.
 */
@ApplicationScoped
public class SecretReader {
    private final Instance<SecretsManagerClient> client;
    private final ObjectMapper mapper;
    private final Map<String, JsonNode> cache = new ConcurrentHashMap<>();

    public SecretReader(Instance<SecretsManagerClient> client, ObjectMapper mapper) {
        this.client = client;
        this.mapper = mapper;
    }

    public String field(String secretId, String field) {
        JsonNode secret = cache.computeIfAbsent(secretId, this::load);
        JsonNode value = secret.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new IllegalStateException("Secret " + secretId + " has no field '" + field + "'");
        }
        return value.asText();
    }

    /** A field that a secret may lack (the previous key outside a rotation). */
    public java.util.Optional<String> optionalField(String secretId, String field) {
        JsonNode value = cache.computeIfAbsent(secretId, this::load).get(field);
        return value == null || !value.isTextual() || value.asText().isBlank()
                ? java.util.Optional.empty()
                : java.util.Optional.of(value.asText());
    }

    public void forget(String secretId) {
        cache.remove(secretId);
    }

    /**
     * Reads every secret read so far again, all at once (after a SnapStart restore, whose snapshot may be older than
     * a rotation); returns how many. A secret that cannot be read now is dropped, to be read when next needed.
     */
    public int refreshAll() {
        List<String> ids = List.copyOf(cache.keySet());
        ids.parallelStream().forEach(id -> {
            try {
                cache.put(id, load(id));
            } catch (RuntimeException e) {
                cache.remove(id);
            }
        });
        return ids.size();
    }

    private JsonNode load(String secretId) {
        String text = client.get().getSecretValue(b -> b.secretId(secretId)).secretString();
        try {
            return mapper.readTree(text);
        } catch (Exception e) {
            // The parser's message would quote the secret.
            throw new IllegalStateException("Secret " + secretId + " is not a JSON object");
        }
    }
}
