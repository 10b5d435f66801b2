// A CommonJS consumer: Node >= 20.19 loads the ESM-only package with require(), and TypeScript allows it under
// `module: node20` (or nodenext). Under `module: node16` TypeScript still refuses it (TS1471): that is attw's
// "ESM (dynamic import only)" for node16 from CJS, which test/node/package-checks.test.mjs accepts for this reason.
/* eslint-disable @typescript-eslint/no-require-imports -- require() of the package is what this file checks */
import widget = require('returning-ai-widget');
import classOnly = require('returning-ai-widget/returning-ai-widget.js');
import server = require('returning-ai-widget/server');
import react = require('returning-ai-widget/react');
import vue = require('returning-ai-widget/vue');

export const sameClass: boolean = widget.ReturningAiWidget === classOnly.ReturningAiWidget && react.ReturningAiWidgetElement === classOnly.ReturningAiWidget;
export const handler = server.createWidgetAuthHandler({ apiKey: 'k', communityId: 'c', getUserEmail: () => null });
export type VueWidget = vue.ReturningAiWidgetVueComponent;
