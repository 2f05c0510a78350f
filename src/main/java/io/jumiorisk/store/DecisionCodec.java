package io.jumiorisk.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.jumiorisk.check.model.Decision;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The decision summary as a DynamoDB map. */
final class DecisionCodec {
    private DecisionCodec() {
    }

    static AttributeValue encode(Decision d) {
        Map<String, AttributeValue> m = new HashMap<>();
        put(m, "type", d.type());
        put(m, "label", d.label());
        if (d.riskScore() != null) {
            m.put("riskScore", AttributeValue.fromN(d.riskScore().toString()));
        }
        List<AttributeValue> caps = new ArrayList<>();
        for (Decision.CapabilityDecision c : d.capabilities()) {
            Map<String, AttributeValue> cm = new HashMap<>();
            put(cm, "name", c.name());
            put(cm, "type", c.type());
            put(cm, "label", c.label());
            caps.add(AttributeValue.fromM(cm));
        }
        m.put("capabilities", AttributeValue.fromL(caps));
        return AttributeValue.fromM(m);
    }

    static Decision decode(AttributeValue value) {
        if (value == null || !value.hasM()) {
            return null;
        }
        Map<String, AttributeValue> m = value.m();
        List<Decision.CapabilityDecision> caps = new ArrayList<>();
        AttributeValue list = m.get("capabilities");
        if (list != null && list.hasL()) {
            for (AttributeValue c : list.l()) {
                caps.add(new Decision.CapabilityDecision(Attr.str(c.m(), "name"), Attr.str(c.m(), "type"),
                        Attr.str(c.m(), "label")));
            }
        }
        Long score = Attr.num(m, "riskScore");
        return new Decision(Attr.str(m, "type"), Attr.str(m, "label"), score == null ? null : score.intValue(), caps);
    }

    private static void put(Map<String, AttributeValue> m, String name, String value) {
        if (value != null) {
            m.put(name, AttributeValue.fromS(value));
        }
    }
}
