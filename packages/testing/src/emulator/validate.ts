import { ApiError } from './errors.js';
import type { JsonObject } from './types.js';

/**
 * Field validation for JSON bodies that collects every problem and throws ONE 422
 * `validation_error` whose `fields` names each offending member (clients surface them as
 * `ValidationError.fields`). Getters return `undefined` for absent (or invalid) members.
 */
export class BodyValidator {
  private readonly errors: Record<string, string[]> = {};

  constructor(private readonly body: Record<string, unknown>) {}

  private fail(name: string, message: string): undefined {
    const list = this.errors[name] ?? [];
    list.push(message);
    this.errors[name] = list;
    return undefined;
  }

  has(name: string): boolean {
    return this.body[name] !== undefined;
  }

  string(name: string, opts: { required?: boolean; oneOf?: readonly string[]; nullable?: boolean } = {}): string | undefined {
    const v = this.body[name];
    if (v === undefined || (v === null && opts.nullable)) return opts.required ? this.fail(name, 'is required') : undefined;
    if (typeof v !== 'string') return this.fail(name, 'must be a string');
    if (opts.required && v.trim() === '') return this.fail(name, 'must not be empty');
    if (opts.oneOf && !opts.oneOf.includes(v)) return this.fail(name, `must be one of: ${opts.oneOf.join(', ')}`);
    return v;
  }

  /** Like `string` but also returns `null` when the member is explicitly null. */
  nullableString(name: string): string | null | undefined {
    if (this.body[name] === null) return null;
    return this.string(name);
  }

  bool(name: string, opts: { required?: boolean } = {}): boolean | undefined {
    const v = this.body[name];
    if (v === undefined) return opts.required ? this.fail(name, 'is required') : undefined;
    if (typeof v !== 'boolean') return this.fail(name, 'must be a boolean');
    return v;
  }

  int(name: string, opts: { required?: boolean; min?: number; max?: number; nullable?: boolean } = {}): number | undefined {
    const v = this.body[name];
    if (v === undefined || (v === null && opts.nullable)) return opts.required ? this.fail(name, 'is required') : undefined;
    if (typeof v !== 'number' || !Number.isInteger(v)) return this.fail(name, 'must be an integer');
    if (opts.min !== undefined && v < opts.min) return this.fail(name, `must be >= ${opts.min}`);
    if (opts.max !== undefined && v > opts.max) return this.fail(name, `must be <= ${opts.max}`);
    return v;
  }

  stringArray(name: string, opts: { required?: boolean } = {}): string[] | undefined {
    const v = this.body[name];
    if (v === undefined) return opts.required ? this.fail(name, 'is required') : undefined;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) return this.fail(name, 'must be an array of strings');
    return v as string[];
  }

  object(name: string, opts: { required?: boolean } = {}): JsonObject | undefined {
    const v = this.body[name];
    if (v === undefined) return opts.required ? this.fail(name, 'is required') : undefined;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return this.fail(name, 'must be an object');
    return v as JsonObject;
  }

  url(name: string, opts: { required?: boolean } = {}): string | undefined {
    const v = this.string(name, opts);
    if (v === undefined) return undefined;
    try {
      const u = new URL(v);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') return this.fail(name, 'must be an http(s) URL');
    } catch {
      return this.fail(name, 'must be an absolute URL');
    }
    return v;
  }

  /** Adds a custom error. */
  error(name: string, message: string): void {
    this.fail(name, message);
  }

  /** Throws the collected 422, if any. */
  done(): void {
    if (Object.keys(this.errors).length > 0) throw ApiError.validation(this.errors);
  }
}

export function validate(body: Record<string, unknown>): BodyValidator {
  return new BodyValidator(body);
}
