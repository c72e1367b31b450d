package dev.streamsight.cli;

import dev.streamsight.inference.ModelLoadException;
import dev.streamsight.model.ModelException;
import picocli.CommandLine;

/**
 * Turns start-up failures (a model that cannot be found or loaded, an invalid option value) into
 * one clear message on stderr and exit status 2, without a stack trace; anything unexpected keeps
 * its stack trace.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
    static final int CONFIG_ERROR = 2;

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        if (ex instanceof ModelException || ex instanceof ModelLoadException
                || ex instanceof IllegalArgumentException) {
            cl.getErr().println("streamsight " + cl.getCommandName() + ": " + ex.getMessage());
            return CONFIG_ERROR;
        }
        ex.printStackTrace(cl.getErr());
        return cl.getCommandSpec().exitCodeOnExecutionException();
    }
}
