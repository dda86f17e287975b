/**
 * Saves `blob` as `fileName` through a temporary object URL and `<a download>`: no server round
 * trip, and the URL is released once the browser has taken the file. Shared by the chart image
 * export and the comparison's CSV/JSON exports (src/ui may import charts, not the reverse).
 */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
