/**
 * The streaming CSV reader: encoding and dialect sniffing, then records into a RecordSink.
 * Pure TypeScript over a ByteSource, so it runs the same in the import worker and in Node.
 */
export { detectEncoding, type TextEncodingName } from './encoding';
export { sniffCsv, sniffDialect, type CsvDialect } from './sniff';
export { readCsv, type CsvReadOptions } from './read';
