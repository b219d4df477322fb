/**
 * A count with its noun: `1 drop`, `2 drops`, `0 drops`. Every count in text meant for people
 * (CLI, logs, diagnosis, status page) goes through this, so none reads "1 connections".
 */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
