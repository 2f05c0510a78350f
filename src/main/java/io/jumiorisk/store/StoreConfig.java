package io.jumiorisk.store;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "checks")
public interface StoreConfig {
    /**
     * The longest one DynamoDB request may take, the SDK's retries included (its api-call-timeout is set from this in
     * application.properties), so that an outage answers inside the invocation instead of timing it out.
     */
    Duration writeTimeout();

    /** {@code CHECKS_TABLE} */
    @WithDefault("jumio-checks")
    String table();

    /** {@code CHECK_RETENTION_DAYS}: items expire by DynamoDB TTL after this. */
    @WithDefault("30")
    int retentionDays();

    /** {@code RECONCILE_AFTER_SECONDS}: a pending check with no callback this long is asked about at Jumio. */
    @WithDefault("120")
    long reconcileAfterSeconds();

    /**
     * Jumio's suggested delays between status polls, in seconds. After the last one, polls keep that spacing, so a
     * check never stops converging but Jumio is asked at most once per period.
     */
    @WithDefault("40,60,100,160,240,340,460,600,760,940")
    java.util.List<Long> pollSchedule();

    /**
     * {@code ERASURE_RECORD_RETENTION_DAYS}: how long the tombstone of an erased check (its id, when and how it was
     * erased; nothing else) is kept as proof of the erasure before DynamoDB TTL removes it.
     */
    @WithDefault("365")
    int erasureRecordRetentionDays();

    default Duration retention() {
        return Duration.ofDays(retentionDays());
    }

    default Duration erasureRecordRetention() {
        return Duration.ofDays(erasureRecordRetentionDays());
    }
}
