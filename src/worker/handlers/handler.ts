import type { LabCommand, LabCommandOf, LabEvent } from '../../protocol/messages';

/** Sends one event to the UI thread. */
export type Post = (e: LabEvent) => void;

/**
 * A command handler. It may throw: the worker turns the failure into a
 * run-error (for commands with a runId), or an error event (with the
 * requestId of a query).
 */
export type Handler<T extends LabCommand['type']> = (
  cmd: LabCommandOf<T>,
  post: Post,
) => Promise<void>;

/** One handler for every command of a feature's union: leaving one out is a type error. */
export type HandlersOf<C extends LabCommand> = { [T in C['type']]: Handler<T> };

/** The worker's whole table: total, so a command nobody answers does not compile. */
export type HandlerMap = HandlersOf<LabCommand>;
