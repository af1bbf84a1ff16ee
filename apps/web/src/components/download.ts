/**
 * Saves text made in the browser as a file (a tip's receipt, an import's problems in the page's
 * language): a temporary object URL clicked through a hidden link. Tiny, so the public pages may use it.
 */
export function saveTextFile(fileName: string, text: string, type = 'text/plain;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = Object.assign(document.createElement('a'), { href: url, download: fileName });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
