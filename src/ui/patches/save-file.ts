// Offers bytes from the worker as a browser download (a Blob URL clicked once).
export function saveFile(file: { fileName: string; mime: string; bytes: Uint8Array }): void {
  const blob = new Blob([file.bytes as BlobPart], { type: file.mime });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = file.fileName;
  document.body.append(a);
  a.click();
  a.remove();
  // Revoke later: some browsers start the download only after the click handler returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The message of a rejected client call, for a status line. */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
