// The bench's figures, in the order they run and print. `--only=` takes their ids.
//
// A figure is an ES module with these exports (a module namespace is the figure):
//   id            string     what `--only=` selects, e.g. 'size'
//   key           string     where its result goes in bench/results/latest.json, e.g. 'size'
//   needsBrowser  boolean    optional, default false: true to get `servers` and `openPage` in ctx (Chromium is
//                            only launched while a selected figure needs it)
//   concurrent    boolean    optional, default false: it counts rather than times, so it runs side by side with
//                            the concurrent figures next to it in this list
//   measure(ctx)  async      its result, any JSON value
//   rows(result, ctx)        its table rows: [{ figure, ours, reference, target, verdict }] (strings; a verdict
//                            starting with FAIL makes `--strict` exit 1); `row()` in ../lib/format.mjs builds one
//   notes(result, ctx)       optional: lines printed under the table
// ctx: { config (../config.mjs), quick, log(message), build, cdnModule (the bundle's bytes, read once) }, plus
// { servers, openPage(cfg) } for figures that need the browser.
//
// A figure that makes its own rows plugs in with an adapter this short:
//   import { measureBackend } from '../backend.mjs';
//   export const id = 'backend';
//   export const key = 'backend';
//   export const measure = ({ quick }) => measureBackend({ quick });
//   export const rows = (result) => result.rows;
import * as size from './size.mjs';
import * as latency from './latency.mjs';
import * as coldStart from './cold-start.mjs';
import * as expiry from './expiry.mjs';
import * as requests from './requests.mjs';
import * as steadyState from './steady-state.mjs';
import * as backend from './backend.mjs';

export const FIGURES = [size, latency, coldStart, expiry, requests, steadyState, backend];
