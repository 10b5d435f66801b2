// `node --import ./test/support/ts-loader.mjs …`: registers ts-hooks.mjs, so tests can import src/*.ts.
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);
