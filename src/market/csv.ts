/** Bar CSV files: `time,open,high,low,close,volume`, validated on the way in. */
export { CSV_COLUMNS, CSV_HEADER, DataError, parseBarsCsv, readBarsCsv } from './csv-read.ts';
export { formatBarsCsv, writeBarsCsv } from './csv-write.ts';
