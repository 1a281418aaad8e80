package io.avalonsync.sitesync;

import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the root-less paths stored in representations ({@code {root[work]}/Test/Assets/...}, or
 * {@code {root}/...} from single-root projects) into real paths with this node's root mapping
 * ({@code sitesync.roots.<name>}) or a remote site's ({@code gdrive.roots.<name>}). The root recorded in the
 * representation's context is the publisher's, not ours, so it is never used.
 */
public final class RootPaths {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");
    private static final Pattern NAMED_ROOT = Pattern.compile("root\\[([^\\[\\]]+)]");

    private final Map<String, String> roots;
    private final String source;

    public RootPaths(Map<String, String> roots) {
        this(roots, null);
    }

    private RootPaths(Map<String, String> roots, String prefix) {
        Map<String, String> copy = new TreeMap<>();
        roots.forEach((name, root) -> {
            if (name == null || name.isBlank() || root == null || root.isBlank()) {
                throw new IllegalArgumentException("Root " + (prefix == null ? "" : prefix) + name
                        + " needs a name and a folder, got '" + root + "'");
            }
            copy.put(name.trim(), stripTrailingSeparators(root.trim()));
        });
        this.roots = Collections.unmodifiableMap(copy);
        this.source = prefix;
    }

    /**
     * Roots from configuration keys {@code <prefix><name>=<folder>}, e.g. prefix {@code sitesync.roots.} or
     * {@code gdrive.roots.} (the trailing dot may be left out). Works with {@link java.util.Properties} too.
     */
    public static RootPaths fromProperties(Map<?, ?> properties, String prefix) {
        String p = prefix.endsWith(".") ? prefix : prefix + ".";
        Map<String, String> roots = new TreeMap<>();
        properties.forEach((k, v) -> {
            String key = String.valueOf(k);
            if (key.startsWith(p) && key.length() > p.length() && v != null) {
                roots.put(key.substring(p.length()), String.valueOf(v));
            }
        });
        return new RootPaths(roots, p);
    }

    public Map<String, String> roots() {
        return roots;
    }

    /**
     * The template with every root placeholder replaced.
     *
     * @throws IllegalArgumentException naming the template and the root (or other placeholder) that has no value
     */
    public String resolve(String templatePath) {
        Objects.requireNonNull(templatePath, "templatePath");
        Matcher m = PLACEHOLDER.matcher(templatePath);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String inner = m.group(1);
            String root;
            Matcher named = NAMED_ROOT.matcher(inner);
            if (named.matches()) {
                root = roots.get(named.group(1));
                if (root == null) {
                    throw new IllegalArgumentException("Path '" + templatePath + "' needs root '" + named.group(1)
                            + "', which is not configured" + hint(named.group(1)));
                }
            } else if (inner.equals("root")) {
                if (roots.size() != 1) {
                    throw new IllegalArgumentException("Path '" + templatePath + "' uses a bare {root}, which needs"
                            + " exactly one configured root; configured: " + roots.keySet() + hint(null));
                }
                root = roots.values().iterator().next();
            } else {
                throw new IllegalArgumentException("Path '" + templatePath + "' has placeholder '{" + inner
                        + "}' that cannot be resolved (only {root} and {root[name]} are)");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(root));
        }
        m.appendTail(out);
        String rest = PLACEHOLDER.matcher(templatePath).replaceAll("");
        if (rest.indexOf('{') >= 0 || rest.indexOf('}') >= 0) {
            throw new IllegalArgumentException("Path '" + templatePath + "' has an unbalanced '{' or '}'");
        }
        return out.toString();
    }

    /** The local file for a template path, with this platform's separators. */
    public Path local(String templatePath) {
        return Path.of(resolve(templatePath));
    }

    /** The remote path for a template: '/'-separated, one leading '/', no empty segments. */
    public String remote(String templatePath) {
        String resolved = resolve(templatePath).replace('\\', '/');
        StringBuilder out = new StringBuilder();
        for (String segment : resolved.split("/")) {
            if (!segment.isEmpty()) {
                out.append('/').append(segment);
            }
        }
        if (out.length() == 0) {
            throw new IllegalArgumentException("Path '" + templatePath + "' resolves to no remote path");
        }
        return out.toString();
    }

    /** A remote path split into its folder (e.g. {@code /My Drive/work/Test}) and file name. */
    public record RemoteFile(String folder, String name) {
        public String path() {
            return folder + "/" + name;
        }
    }

    /** {@link #remote(String)} split into folder and file name. */
    public RemoteFile remoteFile(String templatePath) {
        return split(remote(templatePath));
    }

    /** Splits a '/'-separated remote path at its last separator. */
    public static RemoteFile split(String remotePath) {
        int slash = remotePath.lastIndexOf('/');
        if (slash <= 0 || slash == remotePath.length() - 1) {
            throw new IllegalArgumentException("Remote path '" + remotePath + "' has no folder and file name");
        }
        return new RemoteFile(remotePath.substring(0, slash), remotePath.substring(slash + 1));
    }

    private String hint(String name) {
        String key = (source == null ? "<roots>." : source) + (name == null ? "<name>" : name);
        return "; configured roots: " + roots.keySet() + "; set " + key;
    }

    private static String stripTrailingSeparators(String root) {
        int end = root.length();
        while (end > 0 && (root.charAt(end - 1) == '/' || root.charAt(end - 1) == '\\')) {
            end--;
        }
        return root.substring(0, end);
    }

    @Override
    public String toString() {
        return "RootPaths" + roots;
    }
}
