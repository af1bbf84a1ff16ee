/** A file's size as a person reads it, in the UI's number format: 512 B, 84 KB, 1,2 MB (vi) / 1.2 MB (en). */
export function fileSizeText(bytes: number, locale: string): string {
  if (bytes < 1024) return `${new Intl.NumberFormat(locale).format(bytes)} B`;
  if (bytes < 1024 * 1024) return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(bytes / 1024)} KB`;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(bytes / 1024 / 1024)} MB`;
}
