package io.cosellsync.ingress.preflight;

/**
 * One thing a tenant's org or account lacks. An {@code ERROR} holds the tenant (it does not sync until fixed); a
 * {@code WARNING} is reported and worked around (an optional field left out).
 *
 * @param subject what it is about: {@code Object.Field}, an object, or {@code Partner Center}
 * @param problem what is wrong, in a sentence
 * @param fix     what an admin does about it
 */
public record PreflightProblem(Severity severity, String subject, String problem, String fix) {

    public enum Severity {
        ERROR, WARNING
    }

    static PreflightProblem error(String subject, String problem, String fix) {
        return new PreflightProblem(Severity.ERROR, subject, problem, fix);
    }

    static PreflightProblem warning(String subject, String problem, String fix) {
        return new PreflightProblem(Severity.WARNING, subject, problem, fix);
    }
}
