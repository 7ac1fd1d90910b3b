/**
 * rtsock: the BSD routing socket (route(4), PF_ROUTE) for TypeScript.
 * Data flows bytes -> codec -> kernel -> tables, and back out to sockets.
 */
export * from './abi/dialect.js';
export * from './abi/constants.js';
export * from './codec/errors.js';
export * from './codec/sockaddr.js';
export * from './codec/message.js';
export * from './codec/dump.js';
export * from './codec/json.js';
export * from './codec/text.js';
export * from './codec/monitor.js';
export * from './kernel/index.js';
