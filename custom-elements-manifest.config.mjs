// `npm run analyze` (part of the build): the Custom Elements Manifest, from the source and its JSDoc.
export default {
  globs: ['src/**/*.ts'],
  exclude: ['src/server/**'],
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
  ],
};
