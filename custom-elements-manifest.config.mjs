// `npm run analyze` (part of the build, scripts/manifest.mjs): the Custom Elements Manifest, from the source and its JSDoc.
// `ReturningAiWidget.define()` calls, recorded per module by the analyze phase; the analyzer itself only
// recognizes `customElements.define('tag', Class)` as a definition.
const defineCalls = new Map();

export default {
  globs: ['src/**/*.ts'],
  exclude: ['src/server/**', 'src/frameworks/**', 'src/ssr/**'],
  litelement: true,
  plugins: [
    {
      name: 'public-api-only',
      // #private members are implementation, not API: keep them out of the manifest.
      packageLinkPhase({ customElementsManifest }) {
        for (const module of customElementsManifest.modules) {
          for (const declaration of module.declarations ?? []) {
            if (declaration.members) declaration.members = declaration.members.filter((member) => member.privacy !== 'private');
          }
        }
      },
    },
    {
      name: 'complete-attributes',
      // The analyzer leaves a default that names a constant (`baseUrl = DEFAULT_BASE_URL`) as that name, and an
      // attribute without the type it resolved for the field. Resolve module-level constants and copy the
      // field's type and default to its attribute, so the manifest shows what a user can set and gets.
      packageLinkPhase({ customElementsManifest }) {
        const constants = new Map();
        for (const module of customElementsManifest.modules) {
          for (const declaration of module.declarations ?? []) {
            if (declaration.kind === 'variable' && /^(['"`\d-])/.test(declaration.default ?? '')) constants.set(declaration.name, declaration);
          }
        }
        const resolve = (item) => {
          const constant = constants.get(item.default);
          if (!constant) return;
          item.default = constant.default;
          item.type ??= constant.type;
        };
        for (const module of customElementsManifest.modules) {
          for (const declaration of module.declarations ?? []) {
            if (!declaration.customElement) continue;
            for (const member of declaration.members ?? []) resolve(member);
            for (const attribute of declaration.attributes ?? []) {
              const field = declaration.members?.find((member) => member.name === attribute.fieldName);
              resolve(attribute);
              if (field?.type) attribute.type ??= field.type;
              if (field?.default !== undefined) attribute.default = field.default;
            }
          }
        }
      },
    },
    {
      name: 'static-define-calls',
      // A module that runs `SomeElement.define()` (or `.define('tag')`) defines that element's tag: list it as the
      // module's `custom-element-definition` export, so tools can map the tag to its class and module.
      analyzePhase({ ts, node, moduleDoc }) {
        if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return;
        const { expression: target, name } = node.expression;
        if (name.text !== 'define' || !ts.isIdentifier(target) || target.text === 'customElements') return;
        const [tag] = node.arguments;
        const calls = defineCalls.get(moduleDoc.path) ?? [];
        calls.push({ className: target.text, tag: tag && ts.isStringLiteral(tag) ? tag.text : undefined });
        defineCalls.set(moduleDoc.path, calls);
      },
      packageLinkPhase({ customElementsManifest }) {
        const elements = new Map();
        for (const module of customElementsManifest.modules) {
          for (const declaration of module.declarations ?? []) {
            if (declaration.customElement && declaration.tagName) elements.set(declaration.name, { module: module.path, tagName: declaration.tagName });
          }
        }
        for (const module of customElementsManifest.modules) {
          for (const { className, tag } of defineCalls.get(module.path) ?? []) {
            const element = elements.get(className);
            if (!element) continue;
            (module.exports ??= []).push({
              kind: 'custom-element-definition',
              name: tag ?? element.tagName,
              declaration: { name: className, module: element.module },
            });
          }
        }
      },
    },
  ],
};
