#!/usr/bin/env node
// The `cordon` command. Runs the TypeScript sources through tsx, like the server does.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
