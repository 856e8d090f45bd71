import type { HandlerMap } from './handler';

export const patchesHandlers: HandlerMap = {};
