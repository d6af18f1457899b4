// The one summary line `npm test` ends with, computed from vitest's JSON report.

export interface Summary {
  passed: number;
  failed: number;
  skipped: number;
}

export interface JsonResults {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults: Array<{ name: string; status: string; message: string; assertionResults: Array<{ status: string }> }>;
}

/** Counts from vitest's JSON report; a file that failed without a failing test (an import or hook error) counts as one failure. */
export function summarise(results: JsonResults): Summary {
  const brokenFiles = results.testResults.filter(
    (file) => file.status === 'failed' && !file.assertionResults.some((test) => test.status === 'failed'),
  ).length;
  return {
    passed: results.numPassedTests,
    failed: results.numFailedTests + brokenFiles,
    skipped: results.numPendingTests + results.numTodoTests,
  };
}

export function summaryLine(summary: Summary): string {
  return `tests: ${summary.passed} passed, ${summary.failed} failed${summary.skipped > 0 ? `, ${summary.skipped} skipped` : ''}`;
}
