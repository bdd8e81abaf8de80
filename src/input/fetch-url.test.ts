import { describe, expect, it } from 'vitest';
import { fetchUrlProblem } from './fetch-url.js';

describe('fetchUrlProblem', () => {
  it('accepts http and https URLs on ordinary ports', () => {
    for (const url of ['http://127.0.0.1:9090', 'https://prometheus.example', 'http://localhost:8080/prom/']) expect(fetchUrlProblem(url), url).toBeUndefined();
  });

  it('refuses what fetch refuses on every request: bad ports and other schemes', async () => {
    expect(fetchUrlProblem('http://localhost:9/x?y=1')).toMatch(/^port 9 is one fetch never connects to/);
    expect(fetchUrlProblem('ftp://h:21/')).toMatch(/scheme must be http or https, got "ftp"/);
    expect(fetchUrlProblem('nope')).toBe('not a URL');
    // The list is the runtime's: fetch itself refuses the port the check names.
    await expect(fetch('http://127.0.0.1:6000/')).rejects.toThrow(/fetch failed/);
    expect(fetchUrlProblem('http://127.0.0.1:6000/')).toBeDefined();
  });
});
