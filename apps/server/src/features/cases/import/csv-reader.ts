import { invalidField } from '../../../errors.js';

/** One CSV record: its cells (text, untrimmed) and the line it ends on (1-based, as an editor counts). */
export interface CsvRecord {
  cells: string[];
  line: number;
}

/** Bytes decoded at a time; cut after a line break so no UTF-8 character is split. */
const CHUNK_BYTES = 1 << 20;
/** A record longer than this is a quote left open, not a real row (re-reading it per chunk would be quadratic). */
const MAX_RECORD_CHARS = 16 << 20;

const QUOTE = 34;
const LF = 10;
const CR = 13;

/**
 * Reads CSV the way the template is written and spreadsheets save it (RFC 4180): cells quoted with `"`
 * (`""` inside is one quote) may hold the delimiter and line breaks; lines end with LF, CRLF or CR; a
 * UTF-8 BOM is skipped; empty lines are skipped; rows may have any number of cells. A quote inside an
 * unquoted cell, or text after a closing quote (`"a"b`), is kept as typed rather than refused.
 *
 * Replaces csv-parse on the import path: on the same 20,000 generated template rows csv-parse took
 * 41–63 µs of CPU per row (per-character state machine, options, stream plumbing) and this 12–19 µs
 * (same run, loaded box; docs/development.md, "Where an import's time goes"). `csv-reader.test.ts`
 * compares both on random files.
 */
export function* readCsvRecords(bytes: Uint8Array, delimiter: string, chunkBytes = CHUNK_BYTES): Generator<CsvRecord> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const delim = delimiter.charCodeAt(0);
  let offset = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  let carry = '';
  let line = 1;
  while (offset < buf.length || carry) {
    let end = Math.min(buf.length, offset + chunkBytes);
    if (end < buf.length) {
      const nl = buf.indexOf(LF, end - 1);
      end = nl === -1 ? buf.length : nl + 1;
    }
    const last = end >= buf.length;
    const s = carry + buf.toString('utf8', offset, end);
    offset = end;
    carry = '';
    const len = s.length;
    let i = 0;
    while (i < len) {
      const recordStart = i;
      const recordLine = line;
      let breaks = 0; // line breaks inside quoted cells of this record
      const cells: string[] = [];
      let incomplete = false;
      for (;;) {
        const fieldStart = i;
        let c = s.charCodeAt(i);
        if (c === QUOTE) {
          let value = '';
          let seg = i + 1;
          let j = seg;
          let closed = -1;
          for (;;) {
            const q = s.indexOf('"', j);
            if (q === -1) break;
            if (s.charCodeAt(q + 1) === QUOTE) {
              value += s.slice(seg, q + 1);
              j = q + 2;
              seg = j;
              continue;
            }
            value += s.slice(seg, q);
            closed = q;
            break;
          }
          if (closed === -1) {
            if (!last) {
              incomplete = true;
              break;
            }
            throw invalidField('file', 'invalid_format', `line ${recordLine + breaks}: a quoted cell is never closed (a missing " )`);
          }
          const after = closed + 1;
          c = after < len ? s.charCodeAt(after) : -1;
          if (c === -1 || c === delim || c === LF || c === CR) {
            for (let k = value.indexOf('\n'); k !== -1; k = value.indexOf('\n', k + 1)) breaks++;
            cells.push(value);
            i = after;
          } else {
            // Text after the closing quote: the cell is taken as typed, quotes included.
            let j2 = after;
            while (j2 < len && (c = s.charCodeAt(j2)) !== delim && c !== LF && c !== CR) j2++;
            const raw = s.slice(fieldStart, j2);
            for (let k = raw.indexOf('\n'); k !== -1; k = raw.indexOf('\n', k + 1)) breaks++;
            cells.push(raw);
            i = j2;
          }
        } else {
          let j = i;
          while (j < len && (c = s.charCodeAt(j)) !== delim && c !== LF && c !== CR) j++;
          cells.push(s.slice(i, j));
          i = j;
        }
        if (i >= len) break;
        c = s.charCodeAt(i);
        if (c === delim) {
          i++;
          // A delimiter at the very end of the text still opens a last, empty cell.
          if (i >= len) {
            if (!last) {
              incomplete = true;
              break;
            }
            cells.push('');
            break;
          }
          continue;
        }
        // A line break ends the record: CRLF, LF or a lone CR.
        i += c === CR && s.charCodeAt(i + 1) === LF ? 2 : 1;
        break;
      }
      if (incomplete) {
        carry = s.slice(recordStart);
        if (carry.length > MAX_RECORD_CHARS) throw invalidField('file', 'invalid_format', `line ${recordLine}: a quoted cell is never closed (a missing " )`);
        break;
      }
      line = recordLine + breaks + 1;
      if (cells.length === 1 && cells[0] === '' && s.charCodeAt(recordStart) !== QUOTE) continue;
      yield { cells, line: recordLine + breaks };
    }
  }
}
