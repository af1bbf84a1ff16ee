/**
 * What the web app takes from @cordon/contracts: types from the root (erased at build time) and values
 * from the zod-free "client" entry, so the bundle does not carry zod (the server validates).
 */
export type * from '@cordon/contracts';
export * from '@cordon/contracts/client';
