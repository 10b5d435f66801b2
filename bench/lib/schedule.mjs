// Turns the list of figures into the steps the runner takes: one figure at a time, except that neighbouring
// `concurrent` figures (they count rather than time) share a step.

/** Throws a plain message when a module does not have the shape figures/index.mjs describes. */
export function checkFigure(figure) {
  const name = figure?.id ?? '(a figure without an id)';
  const problems = [
    typeof figure?.id !== 'string' && 'an `id` string',
    typeof figure?.key !== 'string' && 'a `key` string',
    typeof figure?.measure !== 'function' && 'a `measure(ctx)` function',
    typeof figure?.rows !== 'function' && 'a `rows(result, ctx)` function',
  ].filter(Boolean);
  if (problems.length) throw new Error(`bench figure ${name} needs ${problems.join(', ')}`);
  return figure;
}

/** Figures → steps (arrays of figures run side by side), in list order. */
export function stepsOf(figures) {
  const steps = [];
  for (const figure of figures) {
    const previous = steps.at(-1);
    if (figure.concurrent && previous?.[0].concurrent) previous.push(figure);
    else steps.push([figure]);
  }
  return steps;
}
