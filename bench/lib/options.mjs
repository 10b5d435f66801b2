// The command line of `npm run bench`.

/**
 * args: process.argv.slice(2). Returns { quick, strict, build: 'never' | 'always' | 'if-stale', only: Set of
 * figure ids (empty: all) }. Anything else is ignored, as before the runner was split.
 */
export function parseOptions(args) {
  const flags = new Set(args);
  return {
    quick: flags.has('--quick'),
    strict: flags.has('--strict'),
    build: flags.has('--no-build') ? 'never' : flags.has('--build') ? 'always' : 'if-stale',
    only: new Set(args.filter((a) => a.startsWith('--only=')).flatMap((a) => a.slice('--only='.length).split(',')).filter(Boolean)),
  };
}
