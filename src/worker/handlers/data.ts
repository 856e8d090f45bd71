import type { HandlerMap } from './handler';

export const dataHandlers: HandlerMap = {};
