// The line under an import: it counts what the set list shows, so a
// CrowS-Pairs file reads "Imported 1508 pairs" beside its "1508 pairs" set.

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function importedText(imported: { prompts: number; pairs: number }): string {
  const parts: string[] = [];
  if (imported.prompts > 0 || imported.pairs === 0)
    parts.push(count(imported.prompts, 'prompt', 'prompts'));
  if (imported.pairs > 0) parts.push(count(imported.pairs, 'pair', 'pairs'));
  return `Imported ${parts.join(' and ')}`;
}
