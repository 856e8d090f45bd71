import type { HandlerMap } from './handler';

export const evalHandlers: HandlerMap = {};
