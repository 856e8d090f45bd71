import type { HandlerMap } from './handler';

export const trainHandlers: HandlerMap = {};
