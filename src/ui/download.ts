// Offers bytes as a file download through a temporary link.
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  // Revoke later: some browsers start the download after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function downloadText(text: string, fileName: string, mime: string): void {
  downloadBlob(new Blob([text], { type: mime }), fileName);
}

// Offers bytes from the worker as a browser download.
export function saveFile(file: { fileName: string; mime: string; bytes: Uint8Array }): void {
  downloadBlob(new Blob([file.bytes as BlobPart], { type: file.mime }), file.fileName);
}
