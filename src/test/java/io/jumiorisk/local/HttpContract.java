package io.jumiorisk.local;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The HTTP contract, {@code infra/openapi.yaml}, as data: its operations, and the routes they make with the function
 * each one's integration invokes. Read as CloudFormation reads an included snippet, as plain YAML: a short-form tag
 * ({@code !Sub}) fails here as it would fail the deployment.
 */
public final class HttpContract {
    /** Relative to the repository root, where the tests, {@code infra/local/run.sh} and the build all run. */
    public static final Path FILE = Path.of("infra", "openapi.yaml");

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch",
            "trace");
    /** The integration URI names the function as {@code ${AWS::StackName}-<handler>}, as template.yaml names it. */
    private static final Pattern FUNCTION = Pattern
            .compile(":function:\\$\\{AWS::StackName}-([a-z]+)\\$\\{Qualifier}/invocations$");

    private final Map<String, Object> root;

    private HttpContract(Map<String, Object> root) {
        this.root = root;
    }

    public static HttpContract load() {
        return load(FILE);
    }

    public static HttpContract load(Path file) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return new HttpContract(map(new Yaml(new SafeConstructor(options)).load(reader), file.toString()));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + file.toAbsolutePath()
                    + " (the HTTP contract; run from the repository root)", e);
        }
    }

    public Map<String, Object> root() {
        return root;
    }

    /** Each operation by its route key, {@code "GET /checks/{checkId}"}, in the document's order. */
    public Map<String, Map<String, Object>> operations() {
        Map<String, Map<String, Object>> operations = new LinkedHashMap<>();
        for (Map.Entry<String, Object> path : map(root.get("paths"), "paths").entrySet()) {
            for (Map.Entry<String, Object> op : map(path.getValue(), path.getKey()).entrySet()) {
                if (METHODS.contains(op.getKey())) {
                    operations.put(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(),
                            map(op.getValue(), op.getKey() + " " + path.getKey()));
                }
            }
        }
        return operations;
    }

    /** The routes API Gateway makes of the document, each with the handler its integration invokes. */
    public List<HttpApiGateway.Route> routes() {
        List<HttpApiGateway.Route> routes = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> op : operations().entrySet()) {
            String[] key = op.getKey().split(" ", 2);
            routes.add(new HttpApiGateway.Route(key[0], key[1], function(op.getKey(), op.getValue())));
        }
        return routes;
    }

    private static String function(String route, Map<String, Object> operation) {
        Map<String, Object> integration = map(operation.get("x-amazon-apigateway-integration"),
                route + ": x-amazon-apigateway-integration");
        Object sub = map(integration.get("uri"), route + ": uri").get("Fn::Sub");
        Object text = sub instanceof List<?> l && !l.isEmpty() ? l.get(0) : sub;
        Matcher m = FUNCTION.matcher(String.valueOf(text));
        if (!m.find()) {
            throw new IllegalStateException(route + ": the integration URI names no function of the stack: " + text);
        }
        return m.group(1);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value, String what) {
        if (!(value instanceof Map)) {
            throw new IllegalStateException(FILE + ": " + what + " is not a mapping");
        }
        return (Map<String, Object>) value;
    }
}
