// Every importer failure is an ImportError that names the file and, where one
// row is at fault, its line, so the UI can show "toxic.jsonl line 12: …"
// rather than a bare JSON.parse message.

export class ImportError extends Error {
  constructor(
    readonly fileName: string,
    readonly line: number | null,
    readonly detail: string,
  ) {
    super(line === null ? `${fileName}: ${detail}` : `${fileName} line ${line}: ${detail}`);
    this.name = 'ImportError';
  }
}
