/**
 * Registers `element` as `tag` in `registry`, once. A tag already taken (say by a CDN copy of the library next to
 * an npm one) is left alone, with a warning when the versions differ; a class that already backs another tag is
 * registered through a subclass.
 */
export function defineOnce(element: CustomElementConstructor & { version: string }, tag: string, registry: CustomElementRegistry): void {
  const existing = registry.get(tag) as { version?: string } | undefined;
  if (existing) {
    if (existing.version !== element.version) console.warn(`<${tag}> is ${existing.version}, not ${element.version}`);
    return;
  }
  try {
    registry.define(tag, element);
  } catch {
    registry.define(tag, class extends element {});
  }
}
