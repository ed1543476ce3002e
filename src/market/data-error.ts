/** Bad input data (a CSV file): printed as one line naming file, line, column and value; exit code 2. */
export class DataError extends Error {
  override name = 'DataError';
}
