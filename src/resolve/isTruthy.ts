const TRUTHY = new Set(['true', '1', 'yes']);

/** Whether `value` is how CI systems spell "on" (`true`, `1`, `yes`, any case: Azure sets `True`). */
export function isTruthy(value: string | undefined): boolean {
  return value !== undefined && TRUTHY.has(value.toLowerCase());
}
