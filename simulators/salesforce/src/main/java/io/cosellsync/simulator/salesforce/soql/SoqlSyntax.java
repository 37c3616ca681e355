package io.cosellsync.simulator.salesforce.soql;

import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;

/** Parses SOQL text with the generated grammar; the first syntax error is a 400 MALFORMED_QUERY naming the token. */
final class SoqlSyntax {

    private SoqlSyntax() {
    }

    static SoqlParser.QueryContext parse(String text) {
        SoqlLexer lexer = new SoqlLexer(CharStreams.fromString(text));
        SoqlParser parser = new SoqlParser(new CommonTokenStream(lexer));
        FirstError errors = new FirstError(text);
        lexer.removeErrorListeners();
        lexer.addErrorListener(errors);
        parser.removeErrorListeners();
        parser.addErrorListener(errors);
        SoqlParser.StatementContext statement = parser.statement();
        return statement.query();
    }

    private static final class FirstError extends BaseErrorListener {

        private final String text;

        FirstError(String text) {
            this.text = text;
        }

        @Override
        public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line, int column,
                String msg, RecognitionException e) {
            String token;
            if (offendingSymbol instanceof Token t) {
                token = t.getType() == Token.EOF ? "<EOF>" : t.getText();
            } else {
                int at = offset(line, column);
                token = at < text.length() ? String.valueOf(text.charAt(at)) : "<EOF>";
            }
            throw QueryError.at(text, line, column + 1, "MALFORMED_QUERY", "unexpected token: " + token);
        }

        private int offset(int line, int column) {
            int at = 0;
            for (int l = 1; l < line; l++) {
                at = text.indexOf('\n', at) + 1;
            }
            return at + column;
        }
    }
}
