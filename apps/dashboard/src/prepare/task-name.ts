/** How a task name with no value reads in charts, tables and the name select. */
export const UNNAMED_TASK = '(unnamed)'

/** The display form of a task name. */
export function displayTaskName(name: string | null): string {
  return name === null || name === '' ? UNNAMED_TASK : name
}
