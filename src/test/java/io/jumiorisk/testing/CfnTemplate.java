package io.jumiorisk.testing;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * {@code template.yaml} as data: CloudFormation's short-form tags ({@code !Ref}, {@code !Sub}, {@code !GetAtt},
 * {@code !If}, ...) are read into their long forms ({@code {"Ref": x}}, {@code {"Fn::Sub": x}}, {@code {"Fn::GetAtt":
 * [resource, attribute]}}, {@code {"Fn::If": [...]}}), as CloudFormation itself reads them. Plus the few readings of
 * IAM and key policies that the template tests need.
 */
public final class CfnTemplate {
    public static final Path TEMPLATE = Path.of("template.yaml");

    private final Map<String, Object> root;

    private CfnTemplate(Map<String, Object> root) {
        this.root = root;
    }

    public static CfnTemplate load() {
        return load(TEMPLATE);
    }

    @SuppressWarnings("unchecked")
    public static CfnTemplate load(Path path) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            return new CfnTemplate((Map<String, Object>) new Yaml(new CfnConstructor(options)).load(reader));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + path.toAbsolutePath(), e);
        }
    }

    public Map<String, Object> root() {
        return root;
    }

    public Map<String, Object> resources() {
        return map(root.get("Resources"));
    }

    public Map<String, Object> resource(String logicalId) {
        Object resource = resources().get(logicalId);
        if (resource == null) {
            throw new AssertionError("template.yaml has no resource " + logicalId);
        }
        return map(resource);
    }

    public String type(String logicalId) {
        return (String) resource(logicalId).get("Type");
    }

    public Map<String, Object> properties(String logicalId) {
        return map(resource(logicalId).get("Properties"));
    }

    public Map<String, Object> parameter(String name) {
        return map(map(root.get("Parameters")).get(name));
    }

    public Object condition(String name) {
        return map(root.get("Conditions")).get(name);
    }

    /** Logical ids of the resources of a type, in template order. */
    public List<String> ofType(String type) {
        return resources().entrySet().stream().filter(e -> type.equals(map(e.getValue()).get("Type")))
                .map(Map.Entry::getKey).toList();
    }

    // ------------------------------------------------------------------------------------------- IAM policies

    /** One Allow or Deny statement of a policy, with its action patterns and its resources as written. */
    public record Statement(String policyOwner, Map<String, Object> raw) {
        public String effect() {
            return (String) raw.get("Effect");
        }

        public List<String> actions() {
            return strings(raw.get("Action"));
        }

        /** The resources, with both branches of any Fn::If and without AWS::NoValue. */
        public List<Object> resources() {
            return branches(raw.get("Resource"));
        }

        public Object principal() {
            return raw.get("Principal");
        }

        @SuppressWarnings("unchecked")
        public Map<String, Object> condition() {
            Object c = raw.get("Condition");
            return c == null ? Map.of() : (Map<String, Object>) c;
        }

        /** Whether one of the statement's action patterns (IAM wildcards, case-insensitive) covers the action. */
        public boolean allows(String action) {
            return "Allow".equals(effect()) && actions().stream().anyMatch(p -> matches(p, action));
        }
    }

    /** The statements of an IAM role's inline policies. */
    public List<Statement> roleStatements(String roleId) {
        List<Statement> statements = new ArrayList<>();
        for (Object policy : list(properties(roleId).get("Policies"))) {
            for (Object s : branches(map(map(policy).get("PolicyDocument")).get("Statement"))) {
                statements.add(new Statement(roleId, map(s)));
            }
        }
        return statements;
    }

    /** The statements of a KMS key's policy; a statement behind Fn::If appears once, as its true branch. */
    public List<Statement> keyPolicyStatements(String keyId) {
        List<Statement> statements = new ArrayList<>();
        for (Object s : branches(map(properties(keyId).get("KeyPolicy")).get("Statement"))) {
            statements.add(new Statement(keyId, map(s)));
        }
        return statements;
    }

    /** Every action a role's Allow statements name, as written. */
    public Set<String> allowedActions(String roleId) {
        Set<String> actions = new TreeSet<>();
        roleStatements(roleId).stream().filter(s -> "Allow".equals(s.effect()))
                .forEach(s -> actions.addAll(s.actions()));
        return actions;
    }

    /** Logical ids of the resources of {@code type} that the role's statements allowing {@code action} name. */
    public Set<String> resourcesAllowed(String roleId, String action, String type) {
        Set<String> ids = new TreeSet<>();
        for (Statement s : roleStatements(roleId)) {
            if (s.allows(action)) {
                for (Object r : s.resources()) {
                    ids.addAll(referencedIds(r, id -> resources().containsKey(id) && type.equals(type(id))));
                }
            }
        }
        return ids;
    }

    /** Logical ids that a value refers to (Ref, Fn::GetAtt, ${...} of Fn::Sub), anywhere inside it. */
    public static Set<String> referencedIds(Object value, Predicate<String> keep) {
        Set<String> ids = new TreeSet<>();
        collectIds(value, ids);
        ids.removeIf(keep.negate());
        return ids;
    }

    private static void collectIds(Object value, Set<String> into) {
        if (value instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if ("Ref".equals(e.getKey()) && e.getValue() instanceof String id) {
                    into.add(id);
                } else if ("Fn::GetAtt".equals(e.getKey()) && e.getValue() instanceof List<?> l && !l.isEmpty()) {
                    into.add(String.valueOf(l.get(0)));
                } else if ("Fn::Sub".equals(e.getKey())) {
                    Object text = e.getValue() instanceof List<?> l ? l.get(0) : e.getValue();
                    java.util.regex.Matcher m2 = java.util.regex.Pattern.compile("\\$\\{([A-Za-z0-9]+)(\\.[^}]*)?}")
                            .matcher(String.valueOf(text));
                    while (m2.find()) {
                        into.add(m2.group(1));
                    }
                    if (e.getValue() instanceof List<?> l && l.size() > 1) {
                        collectIds(l.get(1), into);
                    }
                } else {
                    collectIds(e.getValue(), into);
                }
            }
        } else if (value instanceof List<?> l) {
            l.forEach(v -> collectIds(v, into));
        }
    }

    // ------------------------------------------------------------------------------------------- helpers

    /** IAM's action wildcards: {@code *} any run of characters, {@code ?} one; case-insensitive. */
    public static boolean matches(String pattern, String action) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : java.util.regex.Pattern.quote(String.valueOf(c)));
        }
        return java.util.regex.Pattern.compile(regex.toString(), java.util.regex.Pattern.CASE_INSENSITIVE)
                .matcher(action).matches();
    }

    /** A list of values, with Fn::If expanded into both of its branches and AWS::NoValue dropped. */
    public static List<Object> branches(Object value) {
        List<Object> out = new ArrayList<>();
        if (value instanceof List<?> l) {
            l.forEach(v -> out.addAll(branches(v)));
        } else if (value instanceof Map<?, ?> m && m.size() == 1 && m.containsKey("Fn::If")) {
            List<?> parts = (List<?>) m.get("Fn::If");
            out.addAll(branches(parts.get(1)));
            out.addAll(branches(parts.get(2)));
        } else if (value instanceof Map<?, ?> m && m.size() == 1 && "AWS::NoValue".equals(m.get("Ref"))) {
            // nothing
        } else if (value != null) {
            out.add(value);
        }
        return out;
    }

    public static List<String> strings(Object value) {
        return branches(value).stream().map(String::valueOf).toList();
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object value) {
        if (!(value instanceof Map)) {
            throw new AssertionError("Not a mapping: " + value);
        }
        return (Map<String, Object>) value;
    }

    public static List<?> list(Object value) {
        if (!(value instanceof List<?> l)) {
            throw new AssertionError("Not a list: " + value);
        }
        return l;
    }

    /** Reads {@code !Name value} as {@code {"Fn::Name": value}} ({@code !Ref}, {@code !Condition} without Fn::). */
    private static final class CfnConstructor extends SafeConstructor {
        CfnConstructor(LoaderOptions options) {
            super(options);
            this.yamlMultiConstructors.put("!", new Intrinsic());
        }

        private final class Intrinsic extends AbstractConstruct {
            @Override
            public Object construct(Node node) {
                String name = node.getTag().getValue().substring(1);
                Object value;
                if (node instanceof ScalarNode scalar) {
                    value = constructScalar(scalar);
                } else if (node instanceof SequenceNode sequence) {
                    value = constructSequence(sequence);
                } else {
                    value = constructMapping((MappingNode) node);
                }
                Map<String, Object> intrinsic = new LinkedHashMap<>();
                switch (name) {
                    case "Ref", "Condition" -> intrinsic.put(name, value);
                    case "GetAtt" -> {
                        if (value instanceof String s) {
                            int dot = s.indexOf('.');
                            intrinsic.put("Fn::GetAtt", List.of(s.substring(0, dot), s.substring(dot + 1)));
                        } else {
                            intrinsic.put("Fn::GetAtt", value);
                        }
                    }
                    default -> intrinsic.put("Fn::" + name, value);
                }
                return intrinsic;
            }
        }
    }
}
