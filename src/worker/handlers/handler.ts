import type { LabCommand, LabCommandOf, LabEvent } from '../../protocol/messages';

/** Sends one event to the UI thread. */
export type Post = (e: LabEvent) => void;

/**
 * A command handler. It may throw: the worker turns the failure into a
 * run-error (for commands with a runId) or an error event.
 */
export type Handler<T extends LabCommand['type']> = (
  cmd: LabCommandOf<T>,
  post: Post,
) => Promise<void>;

export type HandlerMap = { [T in LabCommand['type']]?: Handler<T> };
