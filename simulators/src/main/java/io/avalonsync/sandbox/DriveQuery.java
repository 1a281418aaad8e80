package io.avalonsync.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The part of Drive's files.list {@code q} language the simulator understands: {@code name}, {@code mimeType}
 * ({@code =}, {@code !=}, {@code contains}), {@code trashed} ({@code =}, {@code !=}), {@code '<id>' in parents},
 * joined by {@code and}, {@code or}, {@code not} and parentheses. String literals are single-quoted with
 * {@code \'} and {@code \\} escapes. Anything else is refused, as Drive refuses a query it cannot parse.
 */
final class DriveQuery {

    /** The file attributes a query can test. */
    interface Subject {
        String name();

        String mimeType();

        boolean trashed();

        List<String> parents();
    }

    /** A query Drive would answer 400 "Invalid Value" for. */
    static final class InvalidQueryException extends IllegalArgumentException {
        InvalidQueryException(String message) {
            super(message);
        }
    }

    private record Token(String kind, String text) {
    }

    private final List<Token> tokens;
    private final UnaryOperator<String> canonicalId;
    private int position;

    private DriveQuery(List<Token> tokens, UnaryOperator<String> canonicalId) {
        this.tokens = tokens;
        this.canonicalId = canonicalId;
    }

    /** Parses {@code q}; blank matches everything. {@code canonicalId} resolves aliases such as {@code root}. */
    static Predicate<Subject> parse(String q, UnaryOperator<String> canonicalId) {
        return parseQuery(q, canonicalId).matches();
    }

    /**
     * A parsed query: what it matches, and the folder every match is in when the query requires one
     * ({@code '<id>' in parents} as a term of the top-level {@code and}), so a listing can look at that folder's
     * children only, as Drive's own index does.
     */
    record Parsed(Predicate<Subject> matches, String parent) {
    }

    static Parsed parseQuery(String q, UnaryOperator<String> canonicalId) {
        if (q == null || q.isBlank()) {
            return new Parsed(subject -> true, null);
        }
        DriveQuery parser = new DriveQuery(tokenize(q), canonicalId);
        Parsed parsed = parser.or();
        if (parser.position != parser.tokens.size()) {
            throw new InvalidQueryException("unexpected '" + parser.tokens.get(parser.position).text() + "' in q: " + q);
        }
        return parsed;
    }

    private Parsed or() {
        Parsed left = and();
        while (acceptWord("or")) {
            // either side may match outside the folder
            left = new Parsed(left.matches().or(and().matches()), null);
        }
        return left;
    }

    private Parsed and() {
        Parsed left = unary();
        while (acceptWord("and")) {
            Parsed right = unary();
            left = new Parsed(left.matches().and(right.matches()), left.parent() != null ? left.parent() : right.parent());
        }
        return left;
    }

    private Parsed unary() {
        if (acceptWord("not")) {
            return new Parsed(unary().matches().negate(), null);
        }
        if (accept("(")) {
            Parsed inner = or();
            expect(")");
            return inner;
        }
        return term();
    }

    private Parsed term() {
        Token first = next();
        if (first.kind().equals("string")) {
            // '<id>' in parents
            if (!acceptWord("in")) {
                throw new InvalidQueryException("expected 'in' after '" + first.text() + "'");
            }
            Token field = next();
            if (!field.kind().equals("word") || !field.text().equals("parents")) {
                throw new InvalidQueryException("only 'parents' may follow 'in', not " + field.text());
            }
            String id = canonicalId.apply(first.text());
            return new Parsed(subject -> subject.parents().contains(id), id);
        }
        return new Parsed(field(first), null);
    }

    private Predicate<Subject> field(Token first) {
        if (!first.kind().equals("word")) {
            throw new InvalidQueryException("expected a query term, not " + first.text());
        }
        String field = first.text();
        Token operator = next();
        String op = operator.text().toLowerCase(Locale.ROOT);
        switch (field) {
            case "name":
            case "mimeType": {
                Token value = next();
                if (!value.kind().equals("string")) {
                    throw new InvalidQueryException(field + " needs a quoted string, not " + value.text());
                }
                String literal = value.text();
                boolean isName = field.equals("name");
                switch (op) {
                    case "=":
                        return subject -> literal.equals(isName ? subject.name() : subject.mimeType());
                    case "!=":
                        return subject -> !literal.equals(isName ? subject.name() : subject.mimeType());
                    case "contains":
                        // Drive's name contains is a prefix match on words; a plain prefix is close enough here
                        return subject -> {
                            String text = isName ? subject.name() : subject.mimeType();
                            return text != null && (isName ? text.startsWith(literal) : text.contains(literal));
                        };
                    default:
                        throw new InvalidQueryException("operator " + operator.text() + " is not valid for " + field);
                }
            }
            case "trashed": {
                Token value = next();
                if (!value.kind().equals("word") || !(value.text().equals("true") || value.text().equals("false"))) {
                    throw new InvalidQueryException("trashed needs true or false, not " + value.text());
                }
                boolean wanted = Boolean.parseBoolean(value.text());
                switch (op) {
                    case "=":
                        return subject -> subject.trashed() == wanted;
                    case "!=":
                        return subject -> subject.trashed() != wanted;
                    default:
                        throw new InvalidQueryException("operator " + operator.text() + " is not valid for trashed");
                }
            }
            default:
                throw new InvalidQueryException("query term not supported: " + field);
        }
    }

    private Token next() {
        if (position >= tokens.size()) {
            throw new InvalidQueryException("query ends too early");
        }
        return tokens.get(position++);
    }

    private boolean accept(String symbol) {
        if (position < tokens.size() && tokens.get(position).kind().equals("symbol")
                && tokens.get(position).text().equals(symbol)) {
            position++;
            return true;
        }
        return false;
    }

    private boolean acceptWord(String word) {
        if (position < tokens.size() && tokens.get(position).kind().equals("word")
                && tokens.get(position).text().equalsIgnoreCase(word)) {
            position++;
            return true;
        }
        return false;
    }

    private void expect(String symbol) {
        if (!accept(symbol)) {
            throw new InvalidQueryException("expected " + symbol);
        }
    }

    private static List<Token> tokenize(String q) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < q.length()) {
            char c = q.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'') {
                StringBuilder literal = new StringBuilder();
                i++;
                boolean closed = false;
                while (i < q.length()) {
                    char d = q.charAt(i++);
                    if (d == '\\') {
                        if (i >= q.length()) {
                            throw new InvalidQueryException("dangling backslash in q: " + q);
                        }
                        literal.append(q.charAt(i++));
                    } else if (d == '\'') {
                        closed = true;
                        break;
                    } else {
                        literal.append(d);
                    }
                }
                if (!closed) {
                    throw new InvalidQueryException("unterminated string in q: " + q);
                }
                tokens.add(new Token("string", literal.toString()));
            } else if (c == '(' || c == ')') {
                tokens.add(new Token("symbol", String.valueOf(c)));
                i++;
            } else if (c == '=' || c == '!' || c == '<' || c == '>') {
                int start = i++;
                if (i < q.length() && q.charAt(i) == '=') {
                    i++;
                }
                String op = q.substring(start, i);
                if (op.equals("!")) {
                    throw new InvalidQueryException("invalid operator ! in q: " + q);
                }
                tokens.add(new Token("operator", op));
            } else if (Character.isLetterOrDigit(c) || c == '_') {
                int start = i;
                while (i < q.length() && (Character.isLetterOrDigit(q.charAt(i)) || q.charAt(i) == '_')) {
                    i++;
                }
                tokens.add(new Token("word", q.substring(start, i)));
            } else {
                throw new InvalidQueryException("unexpected character '" + c + "' in q: " + q);
            }
        }
        return tokens;
    }
}
