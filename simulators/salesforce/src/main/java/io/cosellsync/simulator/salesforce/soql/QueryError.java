package io.cosellsync.simulator.salesforce.soql;

import io.cosellsync.simulator.salesforce.api.RestError;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;

/**
 * A query the API refuses, with Salesforce's message layout: the offending line of the query, a caret under the
 * column, {@code ERROR at Row:r:Column:c} and the reason (salesforce-api.md §2.4).
 */
final class QueryError {

    private QueryError() {
    }

    static RestError at(String query, int row, int column, String errorCode, String reason) {
        String[] lines = query.split("\r?\n", -1);
        String line = row >= 1 && row <= lines.length ? lines[row - 1] : query;
        return new RestError(400, errorCode, "\n" + line + "\n" + " ".repeat(Math.max(0, column - 1))
                + "^\nERROR at Row:" + row + ":Column:" + column + "\n" + reason);
    }

    static RestError at(String query, Token token, String errorCode, String reason) {
        return at(query, token.getLine(), token.getCharPositionInLine() + 1, errorCode, reason);
    }

    static RestError at(String query, ParserRuleContext ctx, String errorCode, String reason) {
        return at(query, ctx.getStart(), errorCode, reason);
    }

    static RestError malformed(String query, ParserRuleContext ctx, String reason) {
        return at(query, ctx, "MALFORMED_QUERY", reason);
    }

    static RestError unknownObject(String query, ParserRuleContext from) {
        return at(query, from, "INVALID_TYPE", "sObject type '" + from.getText() + "' is not supported. If you are "
                + "attempting to use a custom object, be sure to append the '__c' after the entity name. Please "
                + "reference your WSDL or the describe call for the appropriate names.");
    }

    static RestError noSuchColumn(String query, ParserRuleContext ctx, String column, String entity) {
        return at(query, ctx, "INVALID_FIELD", "No such column '" + column + "' on entity '" + entity + "'. If you "
                + "are attempting to use a custom field, be sure to append the '__c' after the custom field name. "
                + "Please reference your WSDL or the describe call for the appropriate names.");
    }
}
