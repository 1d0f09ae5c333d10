import { matchesPattern } from './router.js';
import type { ScriptStep } from './types.js';

interface Script {
  method: string;
  pattern: string;
  steps: ScriptStep[];
}

/**
 * Scripted faults: each request matching (method, pattern) consumes the next step of the first
 * script that still has steps; when all are consumed, normal behaviour resumes. Scripting the same
 * method + pattern again replaces the remaining steps.
 */
export class FaultScripts {
  private scripts: Script[] = [];

  add(method: string, pattern: string, steps: readonly ScriptStep[]): void {
    const m = method.toUpperCase();
    this.scripts = this.scripts.filter((s) => !(s.method === m && s.pattern === pattern));
    this.scripts.push({ method: m, pattern, steps: [...steps] });
  }

  take(method: string, path: string): ScriptStep | undefined {
    for (const script of this.scripts) {
      if (script.steps.length > 0 && matchesPattern(script.method, script.pattern, method, path)) return script.steps.shift();
    }
    return undefined;
  }

  clear(): void {
    this.scripts = [];
  }
}
