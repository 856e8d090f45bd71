import type { HandlerMap } from './handler';

export const playgroundHandlers: HandlerMap = {};
