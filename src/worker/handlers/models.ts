import type { HandlerMap } from './handler';

export const modelsHandlers: HandlerMap = {};
